/**
 * E-4.3 Compensation: a key member just left mid-sprint; some knowledge areas are now uncovered
 * and the sprint still holds their commitments.
 *
 * Visible: the departed member's habits (how thoroughly they wrote docs, commit messages and
 * tests), the three remaining members (nominal 48 h each for the 8 days left, who is on call,
 * which areas each knows), four knowledge areas (which are lost — known only by the departed
 * member — and how complex each is), and six committed cards (hours, area, owner, PO priority).
 *
 * Hidden truth (`scenario.ts`): what each artifact source still holds on each lost area, whether
 * the area can be read back from the code (an area with neither is unrecoverable in the team: only
 * a specialist helps), each member's real capacity (on call -15%, plus an unseen drain of 0-20%),
 * and the true severity and blast radius. Pre-drawn fates (per area and attempt, per card) make
 * two action sequences on one seed meet the same world.
 *
 * Actions and their costs in team hours: `assess_impact` (0.5 h) states severity and blast
 * radius; `search_artifacts {source}` (1.5 h) shows what one source holds for every lost area;
 * `recover_knowledge {area}` costs 3 h from a found full artifact (always works), 6 h from a
 * found partial one (85% when the code can be read back, never otherwise), 8 h to rediscover
 * from the code alone (75% when it can be read back, never otherwise); `request_specialist
 * {area}` always recovers it but the cards wait 6 h and the other team loses 12 h;
 * `redistribute_work {card, member}` (0.25 h) gives a card an owner; `adjust_commitment {decision, card}` (0.25 h) drops or restores a card,
 * and `{decision: commit}` (0.5 h) recommits the sprint with the product owner (ends the episode).
 *
 * Outcome (`outcome.ts`): the sprint played out card by card from who owns what, what was
 * recovered and how overcommitted the team is; delivered against the recommitment and the sprint
 * goal, and the assessment against the truth.
 */

import type { Action, ActionResult, Episode, EpisodeResult, EpisodeWorld, ScenarioOptions, Secret } from '../../core/episode.js';
import { round1, round3 } from '../../core/numbers.js';
import type { Rng } from '../../core/rng.js';
import { BLAST_RADII, type BlastRadius, SEVERITIES, type Severity } from '../../spec/curriculum.js';
import { EPISODE_SPECS } from '../../spec/episodes.js';
import { ScenarioFields, withConfidence } from '../common.js';
import { type Assessment, type Attempt, type Compensation, compensationOutcome, type PlanChange, type Search } from './outcome.js';
import { compensationDescription, compensationTokens, type Rendered } from './render.js';
import {
  AREAS,
  type Area,
  CARDS,
  type Card,
  generateScenario,
  HOURS_ASSESS,
  HOURS_COMMIT,
  HOURS_SEARCH,
  HOURS_SMALL,
  MEMBERS,
  type Member,
  NOMINAL_HOURS,
  P_PARTIAL,
  P_REDISCOVER,
  RECOVERY_HOURS,
  realCapacity,
  type Scenario,
  SPECIALIST_LEAD,
  unrecoverable,
} from './scenario.js';
import {
  type AreaView,
  type CardView,
  COMMIT_HABITS,
  COMMITMENT_DECISIONS,
  type CommitmentDecision,
  type CompensationFacts,
  type CompensationHidden,
  type CompensationView,
  DOC_HABITS,
  HOLDS,
  type Holds,
  type MemberView,
  type Recovery,
  type SearchView,
  SOURCES,
  type Source,
  TEST_HABITS,
} from './types.js';

/** Recovery attempts with their own fate (later ones reuse the last). */
const ATTEMPTS = 4;

class CompensationEpisode
  extends ScenarioFields<Scenario>()
  implements Episode<CompensationView, CompensationFacts, CompensationHidden>, Compensation, Rendered
{
  /** Each member's known areas, sorted, for the view (static). */
  private readonly knowsView: number[][];
  private readonly departedView: CompensationView['departed'];
  /** Parts of the view, built on demand and kept until an action changes them. */
  private readonly cache: {
    members?: MemberView[] | undefined;
    areas?: AreaView[] | undefined;
    cards?: CardView[] | undefined;
    searches?: SearchView[] | undefined;
    attempts?: CompensationView['attempts'] | undefined;
    specialists?: number[] | undefined;
    assessments?: CompensationView['assessments'] | undefined;
  } = {};

  hours = 0;
  readonly searches: Search[] = [];
  private readonly searched = new Set<Source>();
  readonly attempts: Attempt[] = [];
  private readonly attemptCount: number[] = [0, 0, 0, 0];
  private readonly failedCount: number[] = [0, 0, 0, 0];
  readonly recovered: (Recovery | undefined)[] = [undefined, undefined, undefined, undefined];
  readonly specialists: { step: number; area: number }[] = [];
  readonly assessments: Assessment[] = [];
  readonly dropped: boolean[];
  readonly owner: number[];
  readonly changes: PlanChange[] = [];
  committed = false;
  commitStep = -1;
  private readonly revealedHolds: boolean[] = [false, false, false, false];
  private readonly revealedArea: boolean[] = [false, false, false, false];

  constructor(rng: Rng, options: ScenarioOptions) {
    super(generateScenario(rng, options));
    this.dropped = this.cards.map(() => false);
    this.owner = this.cards.map((c) => c.originalOwner);
    this.knowsView = this.members.map((m) => [...m.knows].sort((x, y) => x - y));
    this.departedView = { name: this.departed, habits: this.habits };
  }

  view(): CompensationView {
    // Cached parts are replaced (act() drops the ones an action may change), never mutated, so
    // earlier observations stay as they were.
    const c = this.cache;
    c.members ??= this.members.map((m, index) => ({
      index,
      name: m.name,
      nominalHours: NOMINAL_HOURS,
      onCall: m.onCall,
      knows: this.knowsView[index] as number[],
      assignedHours: this.assignedHours(index),
    }));
    c.areas ??= this.areas.map((a, index) => ({
      index,
      name: a.name,
      lost: a.lost,
      complexity: a.complex ? 'complex' : 'simple',
      recovered: this.recovered[index] ?? null,
      failedAttempts: this.failedCount[index] as number,
    }));
    c.cards ??= this.cards.map((card, index) => ({
      index,
      hours: card.hours,
      area: card.area,
      priority: card.priority,
      originalOwner: card.originalOwner,
      owner: this.owner[index] as number,
      dropped: this.dropped[index] as boolean,
    }));
    c.searches ??= this.searches.map((s) => ({ source: s.source, found: s.found }));
    c.attempts ??= this.attempts.map((t) => ({ area: t.area, ok: t.ok, via: t.via }));
    c.specialists ??= this.specialists.map((s) => s.area);
    c.assessments ??= this.assessments.map((a) => ({ severity: a.severity, radius: a.radius, confidence: a.confidence ?? null }));
    return {
      departed: this.departedView,
      members: c.members,
      areas: c.areas,
      cards: c.cards,
      searches: c.searches,
      attempts: c.attempts,
      specialists: c.specialists,
      assessments: c.assessments,
      hoursSpent: this.hours,
    };
  }

  /** Drops the cached view parts an action of this type may change. */
  private invalidate(type: string): void {
    const c = this.cache;
    switch (type) {
      case 'assess_impact':
        c.assessments = undefined;
        break;
      case 'search_artifacts':
        c.searches = undefined;
        break;
      case 'recover_knowledge':
        c.areas = undefined;
        c.attempts = undefined;
        break;
      case 'request_specialist':
        c.areas = undefined;
        c.specialists = undefined;
        break;
      default:
        c.members = undefined;
        c.cards = undefined;
    }
  }

  assignedHours(member: number): number {
    let h = 0;
    for (let i = 0; i < CARDS; i++) if (!this.dropped[i] && this.owner[i] === member) h += (this.cards[i] as Card).hours;
    return h;
  }

  tokens(): string[] {
    return compensationTokens(this);
  }

  describe(): string {
    return compensationDescription(this);
  }

  legalActions(): Action[] {
    const out: Action[] = [];
    for (const severity of SEVERITIES)
      for (const blast_radius of BLAST_RADII) out.push({ type: 'assess_impact', args: { severity, blast_radius } });
    for (const source of SOURCES) out.push({ type: 'search_artifacts', args: { source } });
    for (let area = 0; area < AREAS; area++)
      if ((this.areas[area] as Area).lost && !this.recovered[area]) {
        out.push({ type: 'recover_knowledge', args: { area } }, { type: 'request_specialist', args: { area } });
      }
    for (let card = 0; card < CARDS; card++) {
      out.push({ type: 'adjust_commitment', args: { decision: this.dropped[card] ? 'keep' : 'drop', card } });
      if (!this.dropped[card])
        for (let member = 0; member < MEMBERS; member++)
          if (this.owner[card] !== member) out.push({ type: 'redistribute_work', args: { card, member } });
    }
    out.push({ type: 'adjust_commitment', args: { decision: 'commit' } });
    return out;
  }

  act(action: Action, step: number): ActionResult {
    const args = action.args ?? {};
    this.invalidate(action.type);
    switch (action.type) {
      case 'assess_impact': {
        const a: Assessment = withConfidence(
          { step, severity: args.severity as Severity, radius: args.blast_radius as BlastRadius },
          action.confidence,
        );
        this.assessments.push(a);
        this.hours += HOURS_ASSESS;
        return {
          ok: true,
          response: `The team and the product owner hear your assessment: ${a.severity} severity, ${a.radius} blast radius.`,
          terminal: false,
        };
      }
      case 'search_artifacts':
        return { ok: true, response: this.search(args.source as Source, step), terminal: false };
      case 'recover_knowledge': {
        const area = args.area as number;
        const refusal = this.lostCheck(area);
        if (refusal) return { ok: false, error: refusal };
        return { ok: true, response: this.recover(area, step), terminal: false };
      }
      case 'request_specialist': {
        const area = args.area as number;
        const refusal = this.lostCheck(area);
        if (refusal) return { ok: false, error: refusal };
        this.specialists.push({ step, area });
        this.recovered[area] = 'specialist';
        this.revealedArea[area] = true;
        return {
          ok: true,
          response: `A specialist from another team will walk the team through the ${(this.areas[area] as Area).name}; the cards wait ${SPECIALIST_LEAD} h for them.`,
          terminal: false,
        };
      }
      case 'redistribute_work': {
        const card = args.card as number;
        const member = args.member as number;
        if (this.dropped[card])
          return { ok: false, error: `card ${card} is dropped: keep it (adjust_commitment keep) before giving it to someone` };
        if (this.owner[card] === member) return { ok: false, error: `card ${card} is already ${(this.members[member] as Member).name}'s` };
        this.owner[card] = member;
        this.hours += HOURS_SMALL;
        this.changes.push({ step, card, kind: 'redistribute', member });
        return { ok: true, response: `Card ${card} goes to ${(this.members[member] as Member).name}.`, terminal: false };
      }
      case 'adjust_commitment':
        return this.adjust(args.decision as CommitmentDecision, args.card as number | undefined, step);
      default:
        return { ok: false, error: `unknown action ${action.type}` };
    }
  }

  private lostCheck(area: number): string | undefined {
    const a = this.areas[area] as Area;
    if (!a.lost) {
      const knower = this.members.find((m) => m.knows.has(area));
      return `area ${area} (${a.name}) is not lost: ${knower?.name ?? 'a remaining member'} still knows it`;
    }
    if (this.recovered[area]) return `area ${area} (${a.name}) is already recovered (${this.recovered[area]})`;
    return undefined;
  }

  private adjust(decision: CommitmentDecision, card: number | undefined, step: number): ActionResult {
    if (decision === 'commit') {
      if (card !== undefined) return { ok: false, error: 'commit recommits the whole sprint: leave out the card argument' };
      this.committed = true;
      this.commitStep = step;
      this.hours += HOURS_COMMIT;
      const kept = this.dropped.filter((d) => !d).length;
      return { ok: true, response: `The sprint is recommitted with the product owner: ${kept} of ${CARDS} cards.`, terminal: true };
    }
    if (card === undefined)
      return { ok: false, error: `${decision} needs a card: adjust_commitment {decision: ${decision}, card: <index>}` };
    if (decision === 'drop' && this.dropped[card]) return { ok: false, error: `card ${card} is already dropped` };
    if (decision === 'keep' && !this.dropped[card]) return { ok: false, error: `card ${card} is already in the commitment` };
    this.dropped[card] = decision === 'drop';
    this.hours += HOURS_SMALL;
    this.changes.push({ step, card, kind: decision });
    return {
      ok: true,
      response: `Card ${card} is ${decision === 'drop' ? 'dropped from' : 'back in'} the plan (not yet told to the product owner).`,
      terminal: false,
    };
  }

  private search(source: Source, step: number): string {
    this.hours += HOURS_SEARCH;
    const repeat = this.searched.has(source);
    this.searched.add(source);
    const found: { area: number; holds: Holds }[] = [];
    if (!repeat)
      for (let i = 0; i < AREAS; i++) {
        const a = this.areas[i] as Area;
        if (!a.lost) continue;
        found.push({ area: i, holds: a.holds[source] });
        this.revealedHolds[i] = this.revealedHolds[i] || SOURCES.every((s) => this.searched.has(s) || a.holds[s] === 'none');
      }
    this.searches.push({ step, source, repeat, found });
    if (repeat) return `Nothing new in ${source}: you already went through it.`;
    return found
      .map(
        (f) =>
          `${source} hold ${f.holds === 'none' ? 'nothing' : f.holds === 'full' ? 'a full record' : 'a partial record'} of the ${(this.areas[f.area] as Area).name}.`,
      )
      .join(' ');
  }

  /** The best artifact found so far for an area. */
  private foundLevel(area: number): Holds {
    let best: Holds = 'none';
    for (const s of this.searches)
      for (const f of s.found)
        if (f.area === area) {
          if (f.holds === 'full') return 'full';
          if (f.holds === 'partial') best = 'partial';
        }
    return best;
  }

  private recover(area: number, step: number): string {
    const a = this.areas[area] as Area;
    const attempt = this.attemptCount[area] as number;
    this.attemptCount[area] = attempt + 1;
    const draw = a.fate[Math.min(attempt, ATTEMPTS - 1)] as number;
    const level = this.foundLevel(area);
    let ok: boolean;
    let via: Attempt['via'];
    if (level === 'full') {
      via = 'full';
      ok = true;
      this.hours += RECOVERY_HOURS.full;
    } else if (level === 'partial') {
      // Partial notes guide the reading of the code, when the code can be read back at all.
      via = 'partial';
      ok = a.rediscoverable && draw < P_PARTIAL;
      this.hours += RECOVERY_HOURS.partial;
    } else {
      via = 'rediscover';
      ok = a.rediscoverable && draw < P_REDISCOVER;
      this.hours += RECOVERY_HOURS.rediscover;
    }
    let text: string;
    if (ok) {
      this.recovered[area] = via === 'rediscover' ? 'rediscovered' : `from a ${via} artifact`;
      this.revealedArea[area] = true;
      text = `Recovered the ${a.name} ${via === 'rediscover' ? 'by reading the code' : `from a ${via} artifact`}; it is now written down for the team.`;
    } else
      text = `After ${via === 'partial' ? RECOVERY_HOURS.partial : RECOVERY_HOURS.rediscover} h the ${a.name} is still unclear: ${via === 'partial' ? 'the partial record leaves gaps' : 'the code alone does not explain it'}.`;
    if (!ok) this.failedCount[area] = (this.failedCount[area] as number) + 1;
    this.attempts.push({ step, area, ok, via, text });
    return text;
  }

  finish(): EpisodeResult<CompensationFacts> {
    return compensationOutcome(this);
  }

  hidden(): CompensationHidden {
    return {
      severity: this.truth.severity,
      radius: this.truth.radius,
      ratio: this.truth.ratio,
      realCapacity: this.truth.realCapacity,
      idealOverhead: this.truth.idealOverhead,
      idealDropHours: this.truth.idealDropHours,
      idealKept: this.truth.idealKept,
      members: this.members.map((m, index) => ({
        index,
        realHours: round1(realCapacity(m)),
        drain: round3(m.drain),
      })),
      areas: this.areas.map((a, index) => ({
        index,
        lost: a.lost,
        complex: a.complex,
        rediscoverable: a.rediscoverable,
        unrecoverable: unrecoverable(a),
        holds: a.holds,
      })),
    };
  }

  secrets(): Secret[] {
    const out: Secret[] = [];
    for (let i = 0; i < AREAS; i++) {
      const a = this.areas[i] as Area;
      if (!a.lost) continue;
      out.push({
        id: `artifacts_${i}`,
        text: `What the artifacts hold on the ${a.name}: ${SOURCES.map((s) => `${s}=${a.holds[s]}`).join(', ')}`,
        revealed: this.revealedHolds[i] as boolean,
      });
      out.push({
        id: `rediscoverable_${i}`,
        text: `The ${a.name} ${a.rediscoverable ? 'can' : 'cannot'} be rediscovered from the code alone`,
        revealed: this.revealedArea[i] as boolean,
      });
    }
    out.push({
      id: 'real_capacity',
      text: `The team really has ${this.truth.realCapacity} hours left, not ${NOMINAL_HOURS * MEMBERS}`,
      revealed: false,
    });
    out.push({
      id: 'severity',
      text: `The true impact is ${this.truth.severity} with a ${this.truth.radius} blast radius`,
      revealed: false,
    });
    return out;
  }
}

const AREA_ARG = { kind: 'int', min: 0, max: AREAS - 1, description: 'index of a knowledge area' } as const;

export const compensationWorld: EpisodeWorld<CompensationView, CompensationFacts, CompensationHidden> = {
  name: 'compensation',
  spec: EPISODE_SPECS.compensation,
  summary:
    'A key member just left mid-sprint: assess the impact, recover the lost knowledge from what the artifacts still hold, call in a specialist only when nothing else can, give the orphaned work to people who can do it, and recommit what the team can really deliver.',
  actions: {
    assess_impact: {
      description: 'State the severity (low, medium, high, critical) and blast radius (task, story, sprint) of the departure.',
      args: {
        severity: { kind: 'enum', values: SEVERITIES, description: 'how badly the sprint is hit' },
        blast_radius: { kind: 'enum', values: BLAST_RADII, description: 'how far the impact reaches' },
      },
      asserts: true,
    },
    search_artifacts: {
      description:
        'Go through one source the departed member left behind (commits, docs, tickets, chat, tests): what it holds on each lost area.',
      args: { source: { kind: 'enum', values: SOURCES, description: 'the artifact source' } },
    },
    recover_knowledge: {
      description: 'Rebuild a lost area: cheap from a found artifact, expensive (and not always possible) from the code alone.',
      args: { area: AREA_ARG },
    },
    adjust_commitment: {
      description:
        'Drop a card from the sprint, keep (restore) a dropped card, or commit: recommit the sprint with the product owner, saying what changed and why (ends the episode).',
      args: {
        decision: { kind: 'enum', values: COMMITMENT_DECISIONS, description: 'keep, drop or commit' },
        card: { kind: 'int', min: 0, max: CARDS - 1, description: 'index of a card (not with commit)', optional: true },
      },
    },
    request_specialist: {
      description: "Ask another team's specialist to walk the team through a lost area (costs that team's time).",
      args: { area: AREA_ARG },
    },
    redistribute_work: {
      description: 'Give a committed card to a remaining member.',
      args: {
        card: { kind: 'int', min: 0, max: CARDS - 1, description: 'index of a card' },
        member: { kind: 'int', min: 0, max: MEMBERS - 1, description: 'index of a remaining member' },
      },
    },
  },
  maxTurns: 22,
  levers: [
    {
      name: 'search_before_recover',
      direction: 'up',
      description: 'Recovering a lost area from an artifact found by a search costs 3-6 h instead of an 8 h rediscovery that can fail.',
    },
    {
      name: 'specialist_when_unrecoverable',
      direction: 'up',
      description:
        'Requesting a specialist for an area no artifact holds and the code cannot explain recovers it; repeated rediscovery attempts on it only burn hours.',
    },
    {
      name: 'unneeded_specialist',
      direction: 'down',
      description: "Requesting a specialist for an area the team could recover itself costs the other team's hours and a wait.",
    },
    {
      name: 'knowledgeable_redistribution',
      direction: 'up',
      description:
        'Giving a card to a member who knows its area (or after its lost area is recovered) avoids the slow, regression-prone work of someone without the knowledge.',
    },
    {
      name: 'right_sized_commitment',
      direction: 'up',
      description:
        'Dropping the lowest-priority cards that do not fit the real capacity keeps the commitment; dropping too little misses it, dropping too much loses velocity.',
    },
    {
      name: 'honest_assessment',
      direction: 'up',
      description: 'An assessment that matches the true severity lets the team replan early; an optimistic one causes a late crunch.',
    },
    {
      name: 'silent_replan',
      direction: 'down',
      description:
        'Never recommitting (no commit) leaves the product owner expecting the original plan: every dropped card counts as missed.',
    },
  ],
  vocabulary: [
    'task:compensation',
    ...DOC_HABITS.map((h) => `docs:${h}`),
    ...COMMIT_HABITS.map((h) => `commits:${h}`),
    ...TEST_HABITS.map((h) => `tests:${h}`),
    ...[0, 1, 2].flatMap((m) => [
      `m${m}:on_call`,
      ...[0, 1, 2, 3].map((a) => `m${m}:knows_k${a}`),
      ...[0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => `m${m}:load_n${n}`),
    ]),
    ...[0, 1, 2, 3].flatMap((a) => [
      `k${a}:lost`,
      `k${a}:complex`,
      `k${a}:simple`,
      `k${a}:recovered`,
      ...SOURCES.flatMap((s) => HOLDS.map((h) => `k${a}:${s}_${h}`)),
      `recover:k${a}`,
      `specialist:k${a}`,
    ]),
    ...[0, 1, 2, 3, 4, 5].flatMap((c) => [
      ...[0, 1, 2, 3].map((a) => `c${c}:k${a}`),
      ...[0, 1, 2, 3, 4, 5].map((p) => `c${c}:p${p}`),
      ...[0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => `c${c}:h_n${n}`),
      `c${c}:dropped`,
      `c${c}:unowned`,
      ...[0, 1, 2].map((m) => `c${c}:m${m}`),
    ]),
    ...SOURCES.map((s) => `searched:${s}`),
    'recover:ok',
    'recover:failed',
    ...SEVERITIES.map((s) => `assessed:${s}`),
    ...BLAST_RADII.map((r) => `radius:${r}`),
  ],
  create: (rng, options) => new CompensationEpisode(rng, options),
  fromText(text): Action | undefined {
    const lower = text.toLowerCase();
    if (lower.includes('recommit') || lower.includes('commit the sprint'))
      return { type: 'adjust_commitment', args: { decision: 'commit' }, text };
    for (const source of SOURCES) if (lower.includes(`search ${source}`)) return { type: 'search_artifacts', args: { source }, text };
    return undefined;
  },
};
