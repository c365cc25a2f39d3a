/**
 * E-4.1 Knowledge handoff: the candidate leaves the team in a few working days and holds knowledge
 * areas, some of them shared with colleagues, some held by no one else (B-23 decision
 * documentation, B-24 knowledge gap handoff).
 *
 * Visible: the departure (3-5 working days of 5 handoff hours, the rest going to ongoing work;
 * easy 5 days, medium 4, hard 3, otherwise drawn), the hours each
 * action takes, six knowledge areas by name, three receivers (one senior, one mid, one junior), the
 * handoff plan so far and every artifact written or pairing held.
 *
 * Hidden truth: which areas only the candidate holds (3 or 4; easy 3, hard 4), each area's
 * criticality in [0.05, 1] (the share of velocity the team loses without it, scaled below; one
 * unique area is always critical, >= 0.7, and one is a non-trivial decision, >= 0.3), each area's nature — a `decision` with a non-obvious
 * why, a `procedure` that documents well, or `tacit` judgment that only pairing conveys — and what
 * each transfer action conveys for each nature (`CONVEYS`: chance the receiver really holds it and
 * the quality of what they hold). Pre-drawn fates (per area, per method, per attempt) decide
 * whether a transfer silently fails, whether a decision is relitigated after departure, and
 * whether an incident takes the candidate's last day (30%).
 *
 * Actions (hours): `identify_knowledge {}` (1.5) takes an inventory — it reveals which areas are
 * yours alone and publishes the list (the team knows its gaps); `identify_knowledge {area}` (1)
 * reveals the area's nature and a criticality bucket (low / medium / high, read through noise).
 * `document_decision {area, why?, alternatives?, assumptions?, location}` (1.5 + 0.5 per element)
 * writes a decision record; `write_documentation {area, location}` (3) writes how-to docs;
 * `schedule_pairing {area, member}` (4, and as many of the member's) pairs on it; findable
 * locations are `repo` (1.0) and `wiki` (0.9); a `chat` thread is found 30% as often.
 * `prioritize_handoff {area}` (0.5, asserts) appends the area to the published handoff plan: it
 * names an owner (later transfers of that area succeed 8 points more often) and, if it is still
 * not held at departure, the team books a follow-up call (it holds it at 0.2).
 * `verify_transfer {area}` (1) asks the receiver to explain the area back: it reveals whether they
 * really hold it (held >= 0.75, partial, not_held), and the first check after a transfer closes
 * part of a partial gap (+0.15). An action that does not fit in the hours left is refused.
 *
 * End: when no action fits in the hours left, when every unique area has been verified held (the
 * manager signs the handoff off), when the incident takes the last day (after the first action
 * that reaches it), or at the turn limit — all mean departure.
 *
 * Outcome: per unique area the team holds h in [0, 1] (the best successful transfer's quality,
 * plus the verification Q&A, floored at 0.2 for planned areas). Velocity drop after departure =
 * 0.25 x sum over unique areas of criticality x (1 - h) (x 0.85 when the inventory was published)
 * + 0.04 per relitigated decision + 0.01 per pairing (the member's hours). A decision area
 * (criticality >= 0.25) is relitigated with probability 0.8 when not held, else
 * 0.6 x (1 - 0.5 why - 0.25 alternatives - 0.15 assumptions conveyed). Components:
 * story_accepted (drop < 0.20: the handoff held), tests_passing (criticality-weighted share of the
 * unique knowledge held), low_iteration_count (prioritization: pairs of unique areas whose first
 * transfer came in criticality order), velocity_maintained (1 - drop), low_rework (1 - 0.5 per
 * relitigated decision), coverage_threshold (documentation quality: unique areas of criticality
 * >= 0.2 with a matched, findable artifact — for a decision, a record with the why — (1) or any
 * artifact (0.5), minus 0.1 per written artifact on
 * trivia — a shared area or one of criticality < 0.2; 1 at >= 0.8).
 */

import type {
  Action,
  ActionResult,
  ArgValue,
  DecisionLink,
  Episode,
  EpisodeResult,
  EpisodeWorld,
  ScenarioOptions,
  Secret,
} from '../../core/episode.js';
import { clamp01, round3 } from '../../core/numbers.js';
import type { Rng } from '../../core/rng.js';
import { DOMAINS, type Domain } from '../../spec/episodes.js';
import type { OutcomeComponents } from '../../spec/reward.js';

export const NATURES = ['decision', 'procedure', 'tacit'] as const;
export type Nature = (typeof NATURES)[number];
export const METHODS = ['write_documentation', 'document_decision', 'schedule_pairing'] as const;
export type Method = (typeof METHODS)[number];
export const LOCATIONS = ['repo', 'wiki', 'chat'] as const;
export type Location = (typeof LOCATIONS)[number];
export const CRITICALITY_BUCKETS = ['low', 'medium', 'high'] as const;
export type CriticalityBucket = (typeof CRITICALITY_BUCKETS)[number];
export const SENIORITIES = ['junior', 'mid', 'senior'] as const;
export type MemberSeniority = (typeof SENIORITIES)[number];
export const VERIFICATIONS = ['held', 'partial', 'not_held'] as const;
export type Verification = (typeof VERIFICATIONS)[number];

/** Knowledge areas per episode (the `area` argument indexes them). */
export const AREAS = 6;
/** Receivers (the `member` argument indexes them). */
export const MEMBERS = 3;
const HOURS_PER_DAY = 5;

/** Hours each action takes. */
export const HOURS = {
  inventory: 1.5,
  identify_area: 1,
  document_decision_base: 1.5,
  document_decision_element: 0.5,
  write_documentation: 3,
  schedule_pairing: 4,
  prioritize_handoff: 0.5,
  verify_transfer: 1,
} as const;
const MIN_ACTION_HOURS = HOURS.prioritize_handoff;

/**
 * What each transfer action conveys for each nature: `p` the chance the receiver really holds the
 * knowledge afterwards, `q` the quality of what they hold (a decision documented as a how-to keeps
 * the what without the why). The decision record's quality depends on its content (see recordQuality).
 */
const CONVEYS: Record<Method, Record<Nature, { p: number; q: number }>> = {
  write_documentation: { decision: { p: 0.85, q: 0.5 }, procedure: { p: 0.9, q: 1 }, tacit: { p: 0.2, q: 0.6 } },
  document_decision: { decision: { p: 0.9, q: 1 }, procedure: { p: 0.45, q: 0.8 }, tacit: { p: 0.15, q: 0.6 } },
  schedule_pairing: { decision: { p: 0.75, q: 0.8 }, procedure: { p: 0.85, q: 1 }, tacit: { p: 0.85, q: 1 } },
};
/** The method that suits each nature. */
export const MATCHED_METHOD: Record<Nature, Method> = {
  decision: 'document_decision',
  procedure: 'write_documentation',
  tacit: 'schedule_pairing',
};
const FINDABILITY: Record<Location, number> = { repo: 1, wiki: 0.9, chat: 0.3 };
const MEMBER_FACTOR: Record<MemberSeniority, number> = { senior: 1, mid: 0.9, junior: 0.7 };
/** Success bonus for an area on the published plan (a named owner pays attention). */
const PLAN_BONUS = 0.08;
/** What a planned area not held at departure is held at (the follow-up call after you leave). */
const PLAN_FLOOR = 0.2;
/** Velocity drop per unit of criticality not held. */
const DROP_SCALE = 0.25;
/** Loss factor when the inventory was published (the team knows where its gaps are). */
const KNOWN_GAP_FACTOR = 0.85;
const RELITIGATION_DROP = 0.04;
const PAIRING_DROP = 0.01;
/** Held at or above this counts as held (verification says `held`). */
const HELD = 0.75;
const VERIFY_BOOST = 0.15;
/** Criticality below which an area is trivia; decision areas at or above RELITIGATE_MIN can be relitigated. */
const TRIVIA = 0.2;
const RELITIGATE_MIN = 0.25;
const ACCEPT_DROP = 0.2;
const INCIDENT_CHANCE = 0.3;
/** Attempts per method and area that can still succeed by a new draw. */
const ATTEMPTS = 3;

const AREA_NAMES: Record<Domain, readonly string[]> = {
  crud_api: [
    'order status API',
    'customer search endpoint',
    'rate limiter',
    'audit log tables',
    'soft-delete handling',
    'pagination cursors',
    'tenant isolation',
    'bulk import job',
  ],
  data_pipeline: [
    'nightly ingest DAG',
    'late-data backfill',
    'dedup stage',
    'schema registry',
    'partition layout',
    'vendor feed parser',
    'data quality alerts',
    'warehouse cost controls',
  ],
  ml_service: [
    'feature store sync',
    'model rollout gates',
    'training data sampling',
    'drift monitors',
    'inference cache',
    'label correction flow',
    'GPU node pool',
    'offline evaluation suite',
  ],
  frontend_spa: [
    'design tokens',
    'checkout form state',
    'feature flag wiring',
    'bundle splitting',
    'accessibility audits',
    'i18n loader',
    'error boundary reporting',
    'visual regression suite',
  ],
  cli_tool: [
    'plugin loader',
    'config file migration',
    'release signing',
    'shell completions',
    'telemetry opt-in',
    'update channel',
    'exit code contract',
    'Windows path handling',
  ],
  library: [
    'public API surface',
    'semver policy',
    'deprecation shims',
    'benchmark harness',
    'fuzzing corpus',
    'docs site build',
    'binary compatibility checks',
    'release automation',
  ],
  infrastructure: [
    'Terraform state layout',
    'on-call runbooks',
    'DNS failover',
    'secrets rotation',
    'capacity alerts',
    'database upgrades',
    'CI runner fleet',
    'cost tagging',
  ],
};
const MEMBER_NAMES = ['Ana', 'Ben', 'Chen', 'Dara', 'Eli', 'Farah', 'Goran', 'Hana', 'Ivo', 'Jun'] as const;

const NATURE_TEXT: Record<Nature, string> = {
  decision: 'a decision whose why is not obvious from the code',
  procedure: 'a procedure that documents well',
  tacit: 'tacit judgment that only working side by side conveys',
};

interface Member {
  name: string;
  seniority: MemberSeniority;
}

interface Transfer {
  step: number;
  method: Method;
  member?: number;
  location?: Location;
  why: boolean;
  alternatives: boolean;
  assumptions: boolean;
  success: boolean;
  quality: number;
  /** Hours used when the transfer finished. */
  at: number;
  planned: boolean;
}

interface VerificationRecord {
  step: number;
  result: Verification;
  /** Transfers on the area when it was verified. */
  transfers: number;
  boosted: boolean;
}

interface Area {
  name: string;
  unique: boolean;
  criticality: number;
  nature: Nature;
  /** The criticality bucket identify_knowledge reports (read through noise). */
  bucket: CriticalityBucket;
  /** Pre-drawn success draws per method and attempt. */
  fates: Record<Method, number[]>;
  /** Pre-drawn relitigation draw (decision areas). */
  relitigate: number;
  // --- state ---
  identified: number;
  identifiedStep: number;
  transfers: Transfer[];
  verifications: VerificationRecord[];
  boost: number;
  planRank: number;
  /** Cached public view (undefined after a change). */
  view: Record<string, unknown> | undefined;
}

interface Prioritization {
  step: number;
  area: number;
  confidence?: number;
}

function bucketOf(x: number): CriticalityBucket {
  return x < 0.3 ? 'low' : x < 0.65 ? 'medium' : 'high';
}

/** Quality of a decision record from its content: what, why, rejected alternatives, invalidating assumptions. */
export function recordQuality(why: boolean, alternatives: boolean, assumptions: boolean): number {
  return 0.4 + (why ? 0.3 : 0) + (alternatives ? 0.15 : 0) + (assumptions ? 0.15 : 0);
}

class KnowledgeHandoffEpisode implements Episode {
  private readonly domain: Domain;
  private readonly days: number;
  private readonly budget: number;
  private readonly members: Member[];
  private readonly areas: Area[];
  private readonly incident: boolean;

  private hoursUsed = 0;
  private inventoryStep = -1;
  private readonly plan: Prioritization[] = [];
  private pairings = 0;
  private incidentHappened = false;
  private signedOff = false;
  private readonly log: string[] = [];
  /** The last copy of the log handed out in a view. */
  private eventsView: string[] = [];
  private readonly memberView: readonly Record<string, unknown>[];

  constructor(rng: Rng, options: ScenarioOptions) {
    this.domain = options.domain ?? rng.pick(DOMAINS);
    this.days =
      options.difficulty === 'easy' ? 5 : options.difficulty === 'medium' ? 4 : options.difficulty === 'hard' ? 3 : rng.intBetween(3, 5);
    this.budget = this.days * HOURS_PER_DAY;
    const names = rng.shuffle(AREA_NAMES[this.domain]).slice(0, AREAS);
    const people = rng.shuffle(MEMBER_NAMES).slice(0, MEMBERS);
    const seniorities = rng.shuffle(SENIORITIES);
    this.members = people.map((name, i) => ({ name, seniority: seniorities[i] as MemberSeniority }));
    this.memberView = this.members.map((m, index) => ({ index, name: m.name, seniority: m.seniority }));

    const uniqueCount = options.difficulty === 'hard' ? 4 : options.difficulty === 'easy' ? 3 : rng.intBetween(3, 4);
    const order = rng.shuffle([0, 1, 2, 3, 4, 5]);
    const uniqueSet = new Set(order.slice(0, uniqueCount));
    const uniqueList = order.slice(0, uniqueCount);
    const critical = uniqueList[0] as number;
    const decisionArea = uniqueList[rng.int(uniqueCount)] as number;

    const fateRng = rng.fork('fates');
    this.areas = names.map((name, i) => {
      const unique = uniqueSet.has(i);
      // The critical area is >= 0.7; the designated decision is never trivia (B-23 always has a trigger).
      const criticality =
        i === critical
          ? rng.uniform(0.7, 1)
          : i === decisionArea
            ? rng.uniform(0.3, 0.7)
            : unique
              ? rng.uniform(0.05, 0.7)
              : rng.uniform(0.1, 0.9);
      const nature: Nature = i === decisionArea ? 'decision' : (NATURES[rng.weightedIndex([0.35, 0.35, 0.3])] as Nature);
      const noise = rng.normal(0, 0.08);
      const fates = {
        write_documentation: [fateRng.next(), fateRng.next(), fateRng.next()],
        document_decision: [fateRng.next(), fateRng.next(), fateRng.next()],
        schedule_pairing: [fateRng.next(), fateRng.next(), fateRng.next()],
      };
      return {
        name,
        unique,
        criticality,
        nature,
        bucket: bucketOf(criticality + noise),
        fates,
        relitigate: fateRng.next(),
        identified: 0,
        identifiedStep: -1,
        transfers: [],
        verifications: [],
        boost: 0,
        planRank: 0,
        view: undefined,
      };
    });
    this.incident = fateRng.chance(INCIDENT_CHANCE);
  }

  // --- public state -------------------------------------------------------------------------------

  private get hoursLeft(): number {
    return this.budget - this.hoursUsed;
  }

  private holdersKnown(a: Area): boolean {
    return this.inventoryStep >= 0 || a.identified > 0;
  }

  view(): Record<string, unknown> {
    // The log is append-only: its copy is kept until it grows (shared, never mutated).
    if (this.eventsView.length !== this.log.length) this.eventsView = this.log.slice();
    const areas: Record<string, unknown>[] = [];
    for (let i = 0; i < AREAS; i++) {
      const a = this.areas[i] as Area;
      a.view ??= this.areaView(a, i);
      areas.push(a.view);
    }
    return {
      system: this.domain,
      departure: { daysLeft: this.days, budgetHours: this.budget, hoursUsed: this.hoursUsed, hoursLeft: this.hoursLeft },
      costs: HOURS,
      members: this.memberView,
      inventoryTaken: this.inventoryStep >= 0,
      areas,
      plan: this.plan.map((p) => p.area),
      events: this.eventsView,
    };
  }

  /** One area's public view; cached until the area changes (the objects are never mutated). */
  private areaView(a: Area, index: number): Record<string, unknown> {
    const last = a.verifications[a.verifications.length - 1];
    return {
      index,
      name: a.name,
      holders: this.holdersKnown(a) ? (a.unique ? 'only_you' : 'shared') : 'unknown',
      nature: a.identified > 0 ? a.nature : null,
      criticality: a.identified > 0 ? a.bucket : null,
      planRank: a.planRank > 0 ? a.planRank : null,
      transfers: a.transfers.map((t) => ({
        method: t.method,
        member: t.member ?? null,
        location: t.location ?? null,
        why: t.why,
        alternatives: t.alternatives,
        assumptions: t.assumptions,
      })),
      verification: last ? last.result : null,
      verifiedSinceLastTransfer: last !== undefined && last.transfers === a.transfers.length,
    };
  }

  tokens(): string[] {
    const out = ['task:knowledge_handoff', `days:${this.days}`, `hours_left:h${Math.min(9, Math.floor(this.hoursLeft / 3))}`];
    if (this.inventoryStep >= 0) out.push('inventory');
    for (let j = 0; j < MEMBERS; j++) out.push(`m${j}:${(this.members[j] as Member).seniority}`);
    for (let i = 0; i < AREAS; i++) {
      const a = this.areas[i] as Area;
      if (this.holdersKnown(a)) out.push(`a${i}:${a.unique ? 'only_you' : 'shared'}`);
      if (a.identified > 0) out.push(`a${i}:${a.nature}`, `a${i}:crit_${a.bucket}`);
      if (a.planRank > 0) out.push(`a${i}:rank${a.planRank}`);
      for (const t of a.transfers) out.push(`a${i}:${t.method}`);
      const last = a.verifications[a.verifications.length - 1];
      if (last) out.push(`a${i}:${last.result}`);
    }
    if (this.incidentHappened) out.push('incident');
    return out;
  }

  describe(): string {
    const lines = [
      `You are leaving the team in ${this.days} working days (${this.budget} hours; ${this.hoursLeft} left). Hand over what only you know before you go: find it, transfer the most critical first with the method that suits it, and make sure someone really holds it.`,
      '',
      `Hours per action: inventory ${HOURS.inventory}, identify one area ${HOURS.identify_area}, decision record ${HOURS.document_decision_base} + ${HOURS.document_decision_element} per element (why, alternatives, assumptions), documentation ${HOURS.write_documentation}, pairing ${HOURS.schedule_pairing} (and the colleague's), plan entry ${HOURS.prioritize_handoff}, verification ${HOURS.verify_transfer}.`,
      `Receivers: ${this.members.map((m, j) => `[${j}] ${m.name} (${m.seniority})`).join(', ')}.`,
      '',
      'Knowledge areas:',
    ];
    for (let i = 0; i < AREAS; i++) {
      const a = this.areas[i] as Area;
      const parts = [`- [${i}] ${a.name}`];
      if (this.holdersKnown(a)) parts.push(a.unique ? 'only you hold it' : 'colleagues hold it too');
      if (a.identified > 0) parts.push(`${NATURE_TEXT[a.nature]}, ${a.bucket} criticality`);
      if (a.planRank > 0) parts.push(`plan rank ${a.planRank}`);
      for (const t of a.transfers)
        parts.push(
          t.method === 'schedule_pairing'
            ? `paired with ${(this.members[t.member as number] as Member).name}`
            : t.method === 'document_decision'
              ? `decision record in ${t.location}${t.why ? ' with why' : ''}${t.alternatives ? ', alternatives' : ''}${t.assumptions ? ', assumptions' : ''}`
              : `documentation in ${t.location}`,
        );
      const last = a.verifications[a.verifications.length - 1];
      if (last) parts.push(`last check: ${last.result.replace('_', ' ')}`);
      lines.push(parts.join('; '));
    }
    if (this.log.length > 0) lines.push('', ...this.log);
    return lines.join('\n');
  }

  // --- actions ------------------------------------------------------------------------------------

  private decisionHours(args: Record<string, ArgValue> | undefined): number {
    const n = (args?.why === true ? 1 : 0) + (args?.alternatives === true ? 1 : 0) + (args?.assumptions === true ? 1 : 0);
    return HOURS.document_decision_base + HOURS.document_decision_element * n;
  }

  legalActions(): Action[] {
    const out: Action[] = [];
    const left = this.hoursLeft;
    if (left >= HOURS.inventory) out.push({ type: 'identify_knowledge', args: {} });
    for (let area = 0; area < AREAS; area++) {
      const a = this.areas[area] as Area;
      if (left >= HOURS.identify_area) out.push({ type: 'identify_knowledge', args: { area } });
      for (const location of LOCATIONS) {
        if (left >= HOURS.write_documentation) out.push({ type: 'write_documentation', args: { area, location } });
        for (let bits = 0; bits < 8; bits++) {
          const args = { area, why: (bits & 1) > 0, alternatives: (bits & 2) > 0, assumptions: (bits & 4) > 0, location };
          if (left >= this.decisionHours(args)) out.push({ type: 'document_decision', args });
        }
      }
      if (left >= HOURS.schedule_pairing)
        for (let member = 0; member < MEMBERS; member++) out.push({ type: 'schedule_pairing', args: { area, member } });
      if (a.planRank === 0 && left >= HOURS.prioritize_handoff) out.push({ type: 'prioritize_handoff', args: { area } });
      if (a.transfers.length > 0 && left >= HOURS.verify_transfer) out.push({ type: 'verify_transfer', args: { area } });
    }
    return out;
  }

  act(action: Action, step: number): ActionResult {
    const args = action.args;
    let hours: number;
    switch (action.type) {
      case 'identify_knowledge':
        hours = args?.area === undefined ? HOURS.inventory : HOURS.identify_area;
        break;
      case 'document_decision':
        hours = this.decisionHours(args);
        break;
      case 'write_documentation':
        hours = HOURS.write_documentation;
        break;
      case 'schedule_pairing':
        hours = HOURS.schedule_pairing;
        break;
      case 'prioritize_handoff':
        hours = HOURS.prioritize_handoff;
        break;
      case 'verify_transfer':
        hours = HOURS.verify_transfer;
        break;
      default:
        return { ok: false, error: `unknown action ${action.type}` };
    }
    if (hours > this.hoursLeft + 1e-9)
      return {
        ok: false,
        error: `${action.type} takes ${hours} hours but only ${this.hoursLeft} remain before you leave; choose a shorter action`,
      };
    const area = args?.area as number | undefined;
    const a = area === undefined ? undefined : this.areas[area];
    if (area !== undefined && !a) return { ok: false, error: `no knowledge area ${area}; areas are 0..${AREAS - 1}` };
    if (action.type === 'prioritize_handoff' && a && a.planRank > 0)
      return { ok: false, error: `${a.name} is already rank ${a.planRank} on the handoff plan; prioritize another area` };
    if (action.type === 'verify_transfer' && a && a.transfers.length === 0)
      return { ok: false, error: `nothing about ${a.name} has been handed over yet; transfer it before verifying` };
    if (action.type === 'schedule_pairing' && !this.members[args?.member as number])
      return { ok: false, error: `no team member ${String(args?.member)}; members are 0..${MEMBERS - 1}` };

    this.hoursUsed += hours;
    if (a) a.view = undefined;
    let response: string;
    switch (action.type) {
      case 'identify_knowledge':
        response = a ? this.identifyArea(a, step) : this.inventory(step);
        break;
      case 'prioritize_handoff': {
        const target = a as Area;
        const p: Prioritization = { step, area: area as number };
        if (action.confidence !== undefined) p.confidence = action.confidence;
        this.plan.push(p);
        target.planRank = this.plan.length;
        response = `${target.name} is rank ${target.planRank} on your published handoff plan; ${this.ownerName()} is named its owner.`;
        break;
      }
      case 'verify_transfer':
        response = this.verify(a as Area, step);
        break;
      default:
        response = this.transfer(action.type as Method, a as Area, args ?? {}, step);
    }
    // An incident takes the last day: the handoff ends once the work reaches it.
    if (this.incident && !this.incidentHappened && this.hoursUsed >= this.budget - HOURS_PER_DAY) {
      this.incidentHappened = true;
      const note = 'A production incident takes your last day: you leave with the handoff as it stands.';
      this.log.push(note);
      return { ok: true, response: `${response} ${note}`, terminal: true };
    }
    let allHeld = true;
    for (const x of this.areas)
      if (x.unique && !this.verifiedHeld(x)) {
        allHeld = false;
        break;
      }
    if (allHeld) {
      this.signedOff = true;
      const note = 'Every area only you held is confirmed held by someone else: your manager signs the handoff off.';
      this.log.push(note);
      return { ok: true, response: `${response} ${note}`, terminal: true };
    }
    return { ok: true, response, terminal: this.nothingFits() };
  }

  /** True when no action fits in the hours left (the cheapest: a plan entry 0.5 h, a check or identification 1 h). */
  private nothingFits(): boolean {
    const left = this.hoursLeft;
    if (left >= HOURS.identify_area) return false;
    return left < MIN_ACTION_HOURS || this.areas.every((a) => a.planRank > 0);
  }

  /** The member named owner of planned areas: the senior receiver. */
  private ownerName(): string {
    return (this.members.find((m) => m.seniority === 'senior') as Member).name;
  }

  private verifiedHeld(a: Area): boolean {
    const last = a.verifications[a.verifications.length - 1];
    return last !== undefined && last.result === 'held' && last.transfers === a.transfers.length;
  }

  private inventory(step: number): string {
    const first = this.inventoryStep < 0;
    if (first) {
      this.inventoryStep = step;
      for (const a of this.areas) a.view = undefined;
    }
    const mine = this.areas.filter((a) => a.unique).map((a) => a.name);
    return `${first ? 'Inventory published' : 'The inventory is unchanged'}: only you hold ${mine.join(', ')}; colleagues already hold the rest.`;
  }

  private identifyArea(a: Area, step: number): string {
    const first = a.identified === 0;
    a.identified++;
    if (first) a.identifiedStep = step;
    const holders = a.unique ? 'only you hold it' : 'colleagues hold it too';
    return `${first ? '' : 'Nothing new: '}${a.name}: ${holders}; it is ${NATURE_TEXT[a.nature]}; losing it would hurt the team at a ${a.bucket} level.`;
  }

  private transfer(method: Method, a: Area, args: Record<string, ArgValue>, step: number): string {
    const conveys = CONVEYS[method][a.nature];
    const attempt = Math.min(ATTEMPTS - 1, a.transfers.filter((t) => t.method === method).length);
    const draw = a.fates[method][attempt] as number;
    const planned = a.planRank > 0;
    let p = conveys.p;
    let quality = conveys.q;
    const t: Transfer = {
      step,
      method,
      why: false,
      alternatives: false,
      assumptions: false,
      success: false,
      quality: 0,
      at: 0,
      planned,
    };
    let response: string;
    if (method === 'schedule_pairing') {
      const member = args.member as number;
      const m = this.members[member] as Member;
      t.member = member;
      t.why = a.nature === 'decision';
      p *= MEMBER_FACTOR[m.seniority];
      this.pairings++;
      response = `You paired with ${m.name} on ${a.name} for half a day.`;
    } else {
      const location = args.location as Location;
      t.location = location;
      p *= FINDABILITY[location];
      if (method === 'document_decision') {
        t.why = args.why === true;
        t.alternatives = args.alternatives === true;
        t.assumptions = args.assumptions === true;
        quality *= recordQuality(t.why, t.alternatives, t.assumptions);
        const parts = ['what was decided'];
        if (t.why) parts.push('why');
        if (t.alternatives) parts.push('the rejected alternatives');
        if (t.assumptions) parts.push('the assumptions that would invalidate it');
        response = `You wrote a decision record for ${a.name} in the ${location} (${parts.join(', ')}).`;
      } else response = `You wrote documentation for ${a.name} in the ${location}.`;
    }
    if (planned) p += PLAN_BONUS;
    t.success = draw < Math.min(0.97, p);
    t.quality = t.success ? quality : 0;
    t.at = this.hoursUsed;
    a.transfers.push(t);
    return response;
  }

  /** What the team holds of an area now (before the departure floor). */
  private hold(a: Area): number {
    if (!a.unique) return 1;
    let h = 0;
    for (const t of a.transfers) if (t.success && t.quality > h) h = t.quality;
    return h > 0 ? Math.min(1, h + a.boost) : 0;
  }

  private verify(a: Area, step: number): string {
    const last = a.verifications[a.verifications.length - 1];
    const fresh = last === undefined || last.transfers < a.transfers.length;
    let h = this.hold(a);
    let boosted = false;
    if (fresh && h > 0 && h < 1) {
      // The receiver's questions close part of the gap while you are still here.
      a.boost += VERIFY_BOOST;
      boosted = true;
      h = this.hold(a);
    }
    const result: Verification = h >= HELD ? 'held' : h > 0 ? 'partial' : 'not_held';
    a.verifications.push({ step, result, transfers: a.transfers.length, boosted });
    const text =
      result === 'held'
        ? 'the receiver explains it back correctly'
        : result === 'partial'
          ? 'the receiver knows what, but not all of why or when it breaks'
          : 'the receiver cannot explain it: the handoff did not land';
    return `Verification of ${a.name}: ${text}.${fresh ? '' : ' Nothing changed since the last check.'}`;
  }

  // --- outcome ------------------------------------------------------------------------------------

  finish(): EpisodeResult {
    const links: DecisionLink[] = [];
    const known = this.inventoryStep >= 0;
    let loss = 0;
    let critTotal = 0;
    let critHeld = 0;
    let relitigations = 0;
    let uniqueCount = 0;
    let uniqueHeld = 0;
    let verifiedHeld = 0;
    let silentFailures = 0;
    let docNeeded = 0;
    let docScore = 0;
    let trivia = 0;
    let transfers = 0;
    let transfersShared = 0;
    let matched = 0;
    let mismatched = 0;
    let decisionAreas = 0;
    let decisionRecords = 0;
    let recordsWithWhy = 0;
    let recordsComplete = 0;
    let recordsFindable = 0;
    let decisionTraceable = 0;
    let gapsCaught = 0;
    let verifications = 0;
    let identifiedUnique = 0;
    let identifiedShared = 0;
    let top = -1;
    const holds: number[] = [];

    for (let i = 0; i < AREAS; i++) {
      const a = this.areas[i] as Area;
      if (a.unique && (top < 0 || a.criticality > (this.areas[top] as Area).criticality)) top = i;
    }

    for (let i = 0; i < AREAS; i++) {
      const a = this.areas[i] as Area;
      const isTrivia = !a.unique || a.criticality < TRIVIA;
      if (a.identified > 0) {
        if (a.unique) identifiedUnique++;
        else identifiedShared++;
        if (!a.unique && this.inventoryStep >= 0 && this.inventoryStep < a.identifiedStep)
          links.push({
            step: a.identifiedStep,
            effect: 'identified_shared',
            target: `area_${i}`,
            value: -0.01,
            note: `looked into ${a.name} after the inventory showed colleagues hold it`,
          });
        else if (a.unique)
          links.push({
            step: a.identifiedStep,
            effect: 'identified_unique',
            target: `area_${i}`,
            value: 0.01,
            note: `found that ${a.name} is ${a.nature} knowledge only you hold`,
          });
      }
      // Transfers.
      let best: Transfer | undefined;
      let why = false;
      let alternatives = false;
      let assumptions = false;
      let artifact = 0;
      for (const t of a.transfers) {
        transfers++;
        const isDoc = t.method !== 'schedule_pairing';
        if (!a.unique) transfersShared++;
        if (t.success && (!best || t.quality > best.quality)) best = t;
        if (t.success) {
          why ||= t.why;
          alternatives ||= t.alternatives;
          assumptions ||= t.assumptions;
        }
        const isMatch = t.method === MATCHED_METHOD[a.nature];
        if (a.unique) {
          if (isMatch) matched++;
          else mismatched++;
        }
        const findable = !isDoc || t.location !== 'chat';
        if (isMatch && findable && (a.nature !== 'decision' || t.why)) artifact = 1;
        else artifact = Math.max(artifact, 0.5);
        if (t.method === 'document_decision' && a.nature === 'decision' && a.unique) {
          decisionRecords++;
          if (t.why) recordsWithWhy++;
          if (t.why && t.alternatives && t.assumptions) recordsComplete++;
          if (findable) recordsFindable++;
        }
        if (isDoc && isTrivia) {
          trivia++;
          links.push({
            step: t.step,
            effect: 'trivia_documented',
            target: `area_${i}`,
            value: -0.03,
            note: a.unique ? `documented ${a.name}, which barely matters` : `documented ${a.name}, which colleagues already hold`,
          });
        } else if (!a.unique)
          links.push({
            step: t.step,
            effect: 'shared_knowledge_transferred',
            target: `area_${i}`,
            value: -0.03,
            note: `paired on ${a.name}, which colleagues already hold`,
          });
        if (a.unique && !isMatch)
          links.push({
            step: t.step,
            effect: 'method_mismatch',
            target: `area_${i}`,
            value: -0.02,
            note: `${t.method} on ${a.nature} knowledge (${MATCHED_METHOD[a.nature]} suits it)`,
          });
        if (isDoc && t.location === 'chat' && a.unique)
          links.push({
            step: t.step,
            effect: 'unfindable_record',
            target: `area_${i}`,
            value: -0.03,
            note: `${a.name} written into a chat thread`,
          });
        if (a.unique && !t.success) {
          const caught = a.verifications.some((v) => v.step > t.step);
          if (!caught) silentFailures++;
          links.push({
            step: t.step,
            effect: 'transfer_failed',
            target: `area_${i}`,
            value: caught ? 0 : -0.02,
            note: `${t.method} on ${a.name} did not land${caught ? ' (a verification caught it)' : ' and nobody checked'}`,
          });
        }
      }
      // Verifications.
      for (let v = 0; v < a.verifications.length; v++) {
        const rec = a.verifications[v] as VerificationRecord;
        verifications++;
        const prev = a.verifications[v - 1];
        const redundant = (prev !== undefined && prev.transfers === rec.transfers) || !a.unique;
        if (redundant) {
          links.push({
            step: rec.step,
            effect: 'verify_redundant',
            target: `area_${i}`,
            value: -0.01,
            note: a.unique ? `checked ${a.name} again with nothing new` : `checked ${a.name}, which colleagues already held`,
          });
          continue;
        }
        if (rec.result === 'held') {
          links.push({
            step: rec.step,
            effect: 'transfer_confirmed',
            target: `area_${i}`,
            value: 0.01 + (rec.boosted ? DROP_SCALE * a.criticality * VERIFY_BOOST : 0),
            note: `confirmed someone holds ${a.name}`,
          });
          continue;
        }
        const followUp = a.transfers.some((t) => t.step > rec.step);
        if (followUp) {
          gapsCaught++;
          links.push({
            step: rec.step,
            effect: 'gap_caught',
            target: `area_${i}`,
            value: 0.03,
            note: `found ${a.name} ${rec.result.replace('_', ' ')} and handed it over again`,
          });
        } else
          links.push({
            step: rec.step,
            effect: 'verify_ignored',
            target: `area_${i}`,
            value: -0.02,
            note: `found ${a.name} ${rec.result.replace('_', ' ')} and left it`,
          });
      }

      if (!a.unique) continue;
      uniqueCount++;
      let h = this.hold(a);
      if (a.planRank > 0 && h < PLAN_FLOOR) h = PLAN_FLOOR;
      holds.push(round3(h));
      critTotal += a.criticality;
      critHeld += a.criticality * h;
      if (h >= HELD) uniqueHeld++;
      if (this.verifiedHeld(a)) verifiedHeld++;
      const areaLoss = a.criticality * (1 - h) * (known ? KNOWN_GAP_FACTOR : 1);
      loss += areaLoss;
      if (best && h >= 0.5)
        links.push({
          step: best.step,
          effect: 'knowledge_held',
          target: `area_${i}`,
          value: round3(DROP_SCALE * a.criticality * h),
          note: `the team holds ${a.name} at ${Math.round(h * 100)}% after you leave`,
        });
      else if (a.criticality >= TRIVIA)
        links.push({
          step: -1,
          effect: 'knowledge_lost',
          target: `area_${i}`,
          value: -round3(DROP_SCALE * areaLoss),
          note: `${a.name} left with you (${a.nature}, criticality ${a.criticality.toFixed(2)})`,
        });
      if (a.criticality >= TRIVIA) {
        docNeeded++;
        docScore += artifact;
      }
      if (a.nature === 'decision' && a.criticality >= RELITIGATE_MIN) {
        decisionAreas++;
        if (a.transfers.some((t) => t.method === 'document_decision' && t.location !== 'chat')) decisionTraceable++;
        const p = best ? 0.6 * (1 - (why ? 0.5 : 0) - (alternatives ? 0.25 : 0) - (assumptions ? 0.15 : 0)) : 0.8;
        const relitigated = a.relitigate < p;
        if (relitigated) relitigations++;
        const record = a.transfers.filter((t) => t.method === 'document_decision').pop();
        links.push({
          step: record ? record.step : -1,
          effect: relitigated ? 'decision_relitigated' : 'decision_preserved',
          target: `area_${i}`,
          value: relitigated ? -RELITIGATION_DROP : record ? 0.02 : 0,
          note: relitigated
            ? `the team reopened the ${a.name} decision${why ? '' : ' without knowing why it was made'}`
            : `the ${a.name} decision stood`,
        });
      }
    }

    // Prioritization: pairs of unique areas whose first transfer came in criticality order.
    const uniques = this.areas.map((a, i) => ({ a, i })).filter((x) => x.a.unique);
    const firstStep = (a: Area) => (a.transfers.length > 0 ? (a.transfers[0] as Transfer).step : Number.POSITIVE_INFINITY);
    let concordant = 0;
    let discordant = 0;
    for (const x of uniques)
      for (const y of uniques) {
        if (x.a.criticality - y.a.criticality < 0.1) continue;
        const tx = firstStep(x.a);
        const ty = firstStep(y.a);
        if (tx === ty) continue;
        if (tx < ty) concordant++;
        else discordant++;
      }
    const prioritization = concordant + discordant > 0 ? concordant / (concordant + discordant) : 0;

    // The published plan, against the true criticality order.
    let planRight = 0;
    for (let r = 0; r < this.plan.length; r++) {
      const p = this.plan[r] as Prioritization;
      const a = this.areas[p.area] as Area;
      // Right: a unique, non-trivial area, and no more critical unique area left below it or off the plan.
      const higherBelow = uniques.some(
        (x) => x.a.criticality > a.criticality + 0.1 && (x.a.planRank === 0 || x.a.planRank > r + 1) && x.a.criticality >= TRIVIA,
      );
      const right = a.unique && a.criticality >= TRIVIA && !higherBelow;
      if (right) planRight++;
      links.push({
        step: p.step,
        effect: right ? 'priority_right' : 'priority_wrong',
        target: `area_${p.area}`,
        value: right ? 0.02 : -0.02,
        note: right
          ? `${a.name} at rank ${r + 1} fits its criticality`
          : a.unique
            ? `${a.name} at rank ${r + 1}, ahead of more critical knowledge`
            : `${a.name} planned although colleagues hold it`,
      });
    }
    if (this.inventoryStep >= 0)
      links.push({
        step: this.inventoryStep,
        effect: 'inventory_published',
        value: round3(DROP_SCALE * (1 - KNOWN_GAP_FACTOR) * uniques.reduce((s, x) => s + x.a.criticality * (1 - this.hold(x.a)), 0)),
        note: 'the team knows which knowledge only you held',
      });

    const drop = DROP_SCALE * loss + RELITIGATION_DROP * relitigations + PAIRING_DROP * this.pairings;
    const accepted = drop < ACCEPT_DROP;
    const heldShare = critTotal > 0 ? critHeld / critTotal : 1;
    const documentation = clamp01((docNeeded > 0 ? docScore / docNeeded : 1) - 0.1 * trivia);
    const topArea = this.areas[top] as Area;
    const firstTransfer = this.areas.reduce(
      (best, a, i) => (a.transfers.length > 0 && (best < 0 || firstStep(a) < firstStep(this.areas[best] as Area)) ? i : best),
      -1,
    );
    const components: OutcomeComponents = {
      story_accepted: accepted ? 1 : 0,
      tests_passing: clamp01(heldShare),
      low_iteration_count: clamp01(prioritization),
      velocity_maintained: clamp01(1 - drop),
      low_rework: clamp01(1 - 0.5 * relitigations),
      coverage_threshold: documentation >= 0.8 ? 1 : documentation,
    };
    return {
      facts: {
        daysLeft: this.days,
        budgetHours: this.budget,
        hoursUsed: this.hoursUsed,
        incident: this.incidentHappened,
        signedOff: this.signedOff,
        areas: AREAS,
        uniqueAreas: uniqueCount,
        inventoryTaken: known,
        inventoryBeforeFirstTransfer: known && (firstTransfer < 0 || this.inventoryStep < firstStep(this.areas[firstTransfer] as Area)),
        identifiedUnique,
        identifiedShared,
        transfers,
        transfersOnShared: transfersShared,
        trivialArtifacts: trivia,
        methodMatched: matched,
        methodMismatched: mismatched,
        pairings: this.pairings,
        verifications,
        gapsCaught,
        silentFailures,
        uniqueHeld,
        verifiedHeld,
        heldShare: round3(heldShare),
        topArea: top,
        topAreaHeld: this.hold(topArea) >= HELD,
        topAreaFirst: firstTransfer === top,
        planSize: this.plan.length,
        planRight,
        prioritization: round3(prioritization),
        decisionAreas,
        decisionTraceable,
        decisionRecords,
        decisionRecordsWithWhy: recordsWithWhy,
        decisionRecordsComplete: recordsComplete,
        decisionRecordsFindable: recordsFindable,
        relitigations,
        documentationQuality: round3(documentation),
        velocityDrop: round3(drop),
        handoffAccepted: accepted,
      },
      components,
      links,
    };
  }

  hidden(): Record<string, unknown> {
    return {
      incident: this.incident,
      areas: this.areas.map((a, index) => ({
        index,
        name: a.name,
        unique: a.unique,
        criticality: round3(a.criticality),
        nature: a.nature,
        bucket: a.bucket,
        hold: round3(this.hold(a)),
        verifiedHeld: this.verifiedHeld(a),
      })),
    };
  }

  secrets(): Secret[] {
    const out: Secret[] = [];
    for (let i = 0; i < AREAS; i++) {
      const a = this.areas[i] as Area;
      out.push(
        {
          id: `holders_${i}`,
          text: `${a.name}: ${a.unique ? 'only you hold it' : 'colleagues hold it too'}`,
          revealed: this.holdersKnown(a),
        },
        { id: `nature_${i}`, text: `${a.name} is ${NATURE_TEXT[a.nature]}`, revealed: a.identified > 0 },
        {
          id: `criticality_${i}`,
          text: `without ${a.name} the team loses ${Math.round(a.criticality * DROP_SCALE * 100)}% of its velocity`,
          revealed: false,
        },
        {
          id: `conveys_${i}`,
          text: `for ${a.name}, ${MATCHED_METHOD[a.nature]} is the transfer that conveys it`,
          revealed: false,
        },
      );
    }
    out.push({ id: 'incident', text: 'A production incident takes your last day', revealed: this.incidentHappened || !this.incident });
    return out;
  }
}

const AREA_ARG = { kind: 'int', min: 0, max: AREAS - 1, description: 'index of a knowledge area in the list' } as const;
const LOCATION_ARG = {
  kind: 'enum',
  values: LOCATIONS,
  description: 'where it is written: repo (next to the code), wiki, or a chat thread',
} as const;

export const knowledgeHandoff: EpisodeWorld = {
  name: 'knowledge_handoff',
  summary:
    'Leaving the team in a few days: find the knowledge only you hold, hand the most critical over first with the method that suits it (decision record, documentation or pairing), and verify that someone really holds it.',
  actions: {
    identify_knowledge: {
      description:
        'Without an area: take an inventory of what only you hold and publish it (1.5 h). With an area: find out what kind of knowledge it is and how critical (1 h).',
      args: { area: { ...AREA_ARG, optional: true } },
    },
    document_decision: {
      description:
        'Write a decision record for an area: what was decided, optionally why, the rejected alternatives and the assumptions that would invalidate it (1.5 h + 0.5 h per element).',
      args: {
        area: AREA_ARG,
        why: { kind: 'bool', description: 'record why the decision was made', optional: true },
        alternatives: { kind: 'bool', description: 'record the alternatives considered and why they were rejected', optional: true },
        assumptions: { kind: 'bool', description: 'record the assumptions that would invalidate the decision', optional: true },
        location: LOCATION_ARG,
      },
    },
    schedule_pairing: {
      description: 'Pair with a colleague on an area for half a day (4 h of yours and 4 h of theirs).',
      args: { area: AREA_ARG, member: { kind: 'int', min: 0, max: MEMBERS - 1, description: 'index of the colleague' } },
    },
    write_documentation: {
      description: 'Write how-to documentation for an area (3 h).',
      args: { area: AREA_ARG, location: LOCATION_ARG },
    },
    prioritize_handoff: {
      description: 'Put an area next on the published handoff plan, naming its owner (0.5 h).',
      args: { area: AREA_ARG },
      asserts: true,
    },
    verify_transfer: {
      description: 'Ask the receiver to explain an area back: does the team really hold it now? (1 h)',
      args: { area: AREA_ARG },
    },
  },
  maxTurns: 24,
  levers: [
    {
      name: 'identify_unique_first',
      direction: 'up',
      description:
        'Taking the inventory before transferring shows which areas only you hold, so no hours go to knowledge colleagues already have, and publishing it makes the remaining gaps known (loss x 0.85).',
    },
    {
      name: 'critical_first',
      direction: 'up',
      description:
        'Handing over the most critical unique area first keeps it safe when the time runs out (or an incident takes the last day) and raises the prioritization component.',
    },
    {
      name: 'match_method_to_nature',
      direction: 'up',
      description:
        'A decision record for a decision, documentation for a procedure, pairing for tacit knowledge: the matched method lands far more often and conveys more than a mismatched one.',
    },
    {
      name: 'verify_transfer',
      direction: 'up',
      description:
        'Verifying reveals silent failures so they can be handed over again, and the first check after a transfer closes part of a partial gap.',
    },
    {
      name: 'complete_decision_record',
      direction: 'up',
      description:
        'A decision record with the why, the rejected alternatives and the invalidating assumptions keeps the team from reopening the decision after you leave (low_rework, velocity).',
    },
    {
      name: 'document_trivia',
      direction: 'down',
      description:
        'Documenting shared or trivial knowledge costs hours and buries the important artifacts (documentation quality -0.1 per trivial artifact).',
    },
    {
      name: 'unfindable_record',
      direction: 'down',
      description: 'A record left in a chat thread is found 30% as often as one in the repo: the handoff usually fails silently.',
    },
  ],
  vocabulary: [
    'task:knowledge_handoff',
    ...[3, 4, 5].map((d) => `days:${d}`),
    ...[0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((h) => `hours_left:h${h}`),
    'inventory',
    'incident',
    ...[0, 1, 2].flatMap((j) => SENIORITIES.map((s) => `m${j}:${s}`)),
    ...[0, 1, 2, 3, 4, 5].flatMap((i) => [
      `a${i}:only_you`,
      `a${i}:shared`,
      ...NATURES.map((n) => `a${i}:${n}`),
      ...CRITICALITY_BUCKETS.map((b) => `a${i}:crit_${b}`),
      ...[1, 2, 3, 4, 5, 6].map((r) => `a${i}:rank${r}`),
      ...METHODS.map((m) => `a${i}:${m}`),
      ...VERIFICATIONS.map((v) => `a${i}:${v}`),
    ]),
  ],
  create: (rng, options) => new KnowledgeHandoffEpisode(rng, options),
};
