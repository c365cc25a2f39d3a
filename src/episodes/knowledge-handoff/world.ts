/**
 * E-4.1 Knowledge handoff: the candidate leaves the team in a few working days and holds knowledge
 * areas, some of them shared with colleagues, some held by no one else (B-23 decision
 * documentation, B-24 knowledge gap handoff).
 *
 * Visible: the departure (days and hours left), the hours each action takes, six knowledge areas by
 * name, three receivers (one senior, one mid, one junior), the handoff plan so far and every
 * artifact written or pairing held.
 *
 * Hidden truth (`scenario.ts`): which areas only the candidate holds, each area's criticality and
 * nature — a `decision` with a non-obvious why, a `procedure` that documents well, or `tacit`
 * judgment that only pairing conveys — and pre-drawn fates that decide whether a transfer silently
 * fails, whether a decision is relitigated after departure, and whether an incident takes the
 * last day. What each transfer conveys for each nature is `CONVEYS` below.
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
 * Outcome (`outcome.ts`): what the team holds of each unique area at departure, the velocity drop
 * that follows (lost knowledge, relitigated decisions, colleagues' hours in pairings) and the six
 * components.
 */

import type { Action, ActionResult, ArgValue, Episode, EpisodeResult, EpisodeWorld, ScenarioOptions, Secret } from '../../core/episode.js';
import { round3 } from '../../core/numbers.js';
import type { Rng } from '../../core/rng.js';
import { EPISODE_SPECS } from '../../spec/episodes.js';
import { ScenarioFields, withConfidence } from '../common.js';
import {
  AREAS,
  type Area,
  DROP_SCALE,
  type Handoff,
  HELD,
  holdOf,
  knowledgeHandoffOutcome,
  MATCHED_METHOD,
  type Prioritization,
  type Transfer,
  VERIFY_BOOST,
  verifiedHeld,
} from './outcome.js';
import { handoffDescription, handoffTokens, NATURE_TEXT, type Rendered } from './render.js';
import { generateScenario, HOURS, HOURS_PER_DAY, MEMBERS, type Member, type Scenario } from './scenario.js';
import {
  type AreaView,
  CRITICALITY_BUCKETS,
  type KnowledgeHandoffFacts,
  type KnowledgeHandoffHidden,
  type KnowledgeHandoffView,
  LOCATIONS,
  type Location,
  METHODS,
  type MemberSeniority,
  type MemberView,
  type Method,
  NATURES,
  type Nature,
  SENIORITIES,
  VERIFICATIONS,
  type Verification,
} from './types.js';

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
const FINDABILITY: Record<Location, number> = { repo: 1, wiki: 0.9, chat: 0.3 };
const MEMBER_FACTOR: Record<MemberSeniority, number> = { senior: 1, mid: 0.9, junior: 0.7 };
/** Success bonus for an area on the published plan (a named owner pays attention). */
const PLAN_BONUS = 0.08;
/** Attempts per method and area that can still succeed by a new draw. */
const ATTEMPTS = 3;

/** Quality of a decision record from its content: what, why, rejected alternatives, invalidating assumptions. */
export function recordQuality(why: boolean, alternatives: boolean, assumptions: boolean): number {
  return 0.4 + (why ? 0.3 : 0) + (alternatives ? 0.15 : 0) + (assumptions ? 0.15 : 0);
}

class KnowledgeHandoffEpisode
  extends ScenarioFields<Scenario>()
  implements Episode<KnowledgeHandoffView, KnowledgeHandoffFacts, KnowledgeHandoffHidden>, Handoff, Rendered
{
  hoursUsed = 0;
  inventoryStep = -1;
  readonly plan: Prioritization[] = [];
  pairings = 0;
  incidentHappened = false;
  signedOff = false;
  readonly log: string[] = [];
  /** The last copy of the log handed out in a view. */
  private eventsView: string[] = [];
  private readonly memberView: MemberView[];

  constructor(rng: Rng, options: ScenarioOptions) {
    super(generateScenario(rng, options));
    this.memberView = this.members.map((m, index) => ({ index, name: m.name, seniority: m.seniority }));
  }

  // --- public state -------------------------------------------------------------------------------

  get hoursLeft(): number {
    return this.budget - this.hoursUsed;
  }

  holdersKnown(a: Area): boolean {
    return this.inventoryStep >= 0 || a.identified > 0;
  }

  view(): KnowledgeHandoffView {
    // The log is append-only: its copy is kept until it grows (shared, never mutated).
    if (this.eventsView.length !== this.log.length) this.eventsView = this.log.slice();
    const areas: AreaView[] = [];
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
  private areaView(a: Area, index: number): AreaView {
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
    return handoffTokens(this);
  }

  describe(): string {
    return handoffDescription(this);
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
        this.plan.push(withConfidence<Prioritization>({ step, area: area as number }, action.confidence));
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
      if (x.unique && !verifiedHeld(x)) {
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

  private verify(a: Area, step: number): string {
    const last = a.verifications[a.verifications.length - 1];
    const fresh = last === undefined || last.transfers < a.transfers.length;
    let h = holdOf(a);
    let boosted = false;
    if (fresh && h > 0 && h < 1) {
      // The receiver's questions close part of the gap while you are still here.
      a.boost += VERIFY_BOOST;
      boosted = true;
      h = holdOf(a);
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

  finish(): EpisodeResult<KnowledgeHandoffFacts> {
    return knowledgeHandoffOutcome(this);
  }

  hidden(): KnowledgeHandoffHidden {
    return {
      incident: this.incident,
      areas: this.areas.map((a, index) => ({
        index,
        name: a.name,
        unique: a.unique,
        criticality: round3(a.criticality),
        nature: a.nature,
        bucket: a.bucket,
        hold: round3(holdOf(a)),
        verifiedHeld: verifiedHeld(a),
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

export const knowledgeHandoffWorld: EpisodeWorld<KnowledgeHandoffView, KnowledgeHandoffFacts, KnowledgeHandoffHidden> = {
  name: 'knowledge_handoff',
  spec: EPISODE_SPECS.knowledge_handoff,
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
