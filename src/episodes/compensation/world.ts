/**
 * E-4.3 Compensation: a key member just left mid-sprint; some knowledge areas are now uncovered
 * and the sprint still holds their commitments.
 *
 * Visible: the departed member's habits (how thoroughly they wrote docs, commit messages and
 * tests), the three remaining members (nominal 48 h each for the 8 days left, who is on call,
 * which areas each knows), four knowledge areas (which are lost — known only by the departed
 * member — and how complex each is), and six committed cards (hours, area, owner, PO priority).
 *
 * Hidden truth: for each lost area, what each artifact source (commits, docs, tickets, chat,
 * tests) still holds — full, partial or nothing, drawn from the visible habits; whether the
 * area can be read back from the code (simple 80%, complex 25%, +30% with partial notes
 * somewhere); an area with no full record that cannot be read back is unrecoverable in the
 * team (only a specialist helps); each member's real capacity (on call -15%, plus an unseen
 * drain of 0-20%: interviews for the backfill, support); the true severity and blast radius,
 * which follow from the commitment against the real capacity left after the cheapest recovery. Pre-drawn fates (per area and attempt, per card)
 * make two action sequences on one seed meet the same world.
 *
 * Actions and their costs in team hours: `assess_impact` (0.5 h) states severity and blast
 * radius; `search_artifacts {source}` (1.5 h) shows what one source holds for every lost area;
 * `recover_knowledge {area}` costs 3 h from a found full artifact (always works), 6 h from a
 * found partial one (85% when the code can be read back, never otherwise), 8 h to rediscover
 * from the code alone (75% when it can be read back, never otherwise); `request_specialist
 * {area}` always recovers it but the cards wait 6 h and the other team loses 12 h; `redistribute_work {card, member}` (0.25 h)
 * gives a card an owner; `adjust_commitment {decision, card}` (0.25 h) drops or restores a card,
 * and `{decision: commit}` (0.5 h) recommits the sprint with the product owner (ends the episode).
 *
 * Outcome: each kept card's effort is its hours, x1.5 with a 60% regression when its lost area
 * was not recovered, x1.2 with a 25% regression when its owner lacks a covered area's knowledge,
 * x1.3 when nobody owns it (picked up mid-sprint); a regression adds half the card as rework.
 * Overcommitment pressure (planned effort over the capacity left, minus one, capped at 1) adds
 * 0.2 x pressure to every kept card's regression chance and costs 0.2 x pressure of the capacity
 * (multitasking on too many cards). Members work their cards; overflow moves to members with
 * slack at 1.25x; cards are delivered in priority order within the capacity left after the hours
 * spent. The last assessment is compared with the truth: matched -4 h (the team replans early), optimistic +8 h (late crunch),
 * pessimistic +4 h (needless firefighting), none +6 h when severity is high or critical (else
 * +2 h); a wrong blast radius +2 h. Without `commit` the product owner still expects every
 * original card (silent replanning).
 * Components: story_accepted (the product owner's review: half for honoring the commitment — 1
 * when every committed card is delivered, else half the delivered share — and half for the
 * sprint goal, the share of the highest-priority work the real capacity allows that was
 * delivered), tests_passing (1 - 0.25 per regression), low_iteration_count (1 - 0.2 per failed
 * recovery or regression), velocity_maintained (delivered hours, less half the other team's
 * hours lost to needless specialists, over what an ideal plan could deliver), low_rework (1 -
 * 0.4 per regression), coverage_threshold (lost areas recovered / lost areas; 1 at >= 0.8).
 */

import type {
  Action,
  ActionResult,
  DecisionLink,
  Episode,
  EpisodeResult,
  EpisodeWorld,
  ScenarioOptions,
  Secret,
} from '../../core/episode.js';
import { clamp01, round3 } from '../../core/numbers.js';
import type { Rng } from '../../core/rng.js';
import { BLAST_RADII, type BlastRadius, SEVERITIES, type Severity } from '../../spec/curriculum.js';
import type { OutcomeComponents } from '../../spec/reward.js';

export const SOURCES = ['commits', 'docs', 'tickets', 'chat', 'tests'] as const;
export type Source = (typeof SOURCES)[number];

export const HOLDS = ['full', 'partial', 'none'] as const;
export type Holds = (typeof HOLDS)[number];

export const COMMITMENT_DECISIONS = ['keep', 'drop', 'commit'] as const;
export type CommitmentDecision = (typeof COMMITMENT_DECISIONS)[number];

export const DOC_HABITS = ['rare', 'some', 'thorough'] as const;
export const COMMIT_HABITS = ['terse', 'detailed'] as const;
export const TEST_HABITS = ['sparse', 'thorough'] as const;

export const AREAS = 4;
export const MEMBERS = 3;
export const CARDS = 6;
/** Nominal hours per member for the 8 days left (6 h a day). */
export const NOMINAL_HOURS = 48;
const ON_CALL_SHARE = 0.15;

const HOURS_ASSESS = 0.5;
const HOURS_SEARCH = 1.5;
const HOURS_SMALL = 0.25;
const HOURS_COMMIT = 0.5;
export const RECOVERY_HOURS = { full: 3, partial: 6, rediscover: 8 } as const;
const P_PARTIAL = 0.85;
const P_REDISCOVER = 0.75;
/** Team hours the area's cards wait for a specialist. */
export const SPECIALIST_LEAD = 6;
/** Hours the other team loses to a specialist request. */
export const SPECIALIST_CROSS = 12;
/** Extra regression chance per card at full overcommitment pressure (planned effort 2x the capacity). */
const RUSH_REGRESSION = 0.2;
/** Share of the capacity lost to multitasking at full overcommitment pressure. */
const RUSH_CAPACITY_LOSS = 0.2;
/** Recovery attempts with their own fate (later ones reuse the last). */
const ATTEMPTS = 4;

const AREA_NAMES = [
  'billing reconciliation job',
  'partner API auth',
  'deploy pipeline',
  'search ranking rules',
  'legacy import scripts',
  'fraud rules engine',
  'report scheduler',
  'feature flag service',
] as const;
const MEMBER_NAMES = ['Ana', 'Bo', 'Chen', 'Dara', 'Eli', 'Femi'] as const;
const DEPARTED_NAMES = ['Gus', 'Hana', 'Ivo', 'Jun'] as const;
const CARD_VERBS = ['Extend', 'Fix', 'Migrate', 'Harden', 'Speed up', 'Add tests to'] as const;
/** Card titles, rendered once at load: `CARD_TITLES[verb][area name]`. */
const CARD_TITLES: readonly Record<string, string>[] = CARD_VERBS.map((verb) =>
  Object.fromEntries(AREA_NAMES.map((name) => [name, `${verb} the ${name}`])),
);

/** Probability that a source holds an area fully / partially, by the departed member's habits. */
function sourceOdds(source: Source, docs: string, commits: string, tests: string): Odds {
  switch (source) {
    case 'docs':
      return docs === 'thorough' ? ODDS_DOCS_THOROUGH : docs === 'some' ? ODDS_DOCS_SOME : ODDS_DOCS_RARE;
    case 'commits':
      return commits === 'detailed' ? ODDS_COMMITS_DETAILED : ODDS_COMMITS_TERSE;
    case 'tests':
      return tests === 'thorough' ? ODDS_TESTS_THOROUGH : ODDS_TESTS_SPARSE;
    default:
      return ODDS_OTHER;
  }
}

interface Odds {
  readonly full: number;
  readonly partial: number;
}
// The odds, allocated once (read-only).
const ODDS_DOCS_THOROUGH: Odds = { full: 0.45, partial: 0.25 };
const ODDS_DOCS_SOME: Odds = { full: 0.2, partial: 0.25 };
const ODDS_DOCS_RARE: Odds = { full: 0.03, partial: 0.12 };
const ODDS_COMMITS_DETAILED: Odds = { full: 0.3, partial: 0.3 };
const ODDS_COMMITS_TERSE: Odds = { full: 0.05, partial: 0.2 };
const ODDS_TESTS_THOROUGH: Odds = { full: 0.3, partial: 0.25 };
const ODDS_TESTS_SPARSE: Odds = { full: 0.03, partial: 0.15 };
const ODDS_OTHER: Odds = { full: 0.03, partial: 0.15 };

interface Area {
  name: string;
  lost: boolean;
  /** Some source holds a full / a partial record. */
  hasFull: boolean;
  hasPartial: boolean;
  complex: boolean;
  rediscoverable: boolean;
  holds: Record<Source, Holds>;
  /** Recovery draws per attempt. */
  fate: number[];
}

interface Member {
  name: string;
  onCall: boolean;
  drain: number;
  knows: Set<number>;
}

interface Card {
  title: string;
  hours: number;
  area: number;
  /** Owner at the start: a member index, or -1 for the departed member. */
  originalOwner: number;
  priority: number;
  regressionDraw: number;
}

interface Assessment {
  step: number;
  severity: Severity;
  radius: BlastRadius;
  confidence?: number;
}

interface Attempt {
  step: number;
  area: number;
  ok: boolean;
  via: 'full' | 'partial' | 'rediscover';
  text: string;
}

interface Search {
  step: number;
  source: Source;
  repeat: boolean;
  found: { area: number; holds: Holds }[];
}

export interface CompensationTruth {
  severity: Severity;
  radius: BlastRadius;
  ratio: number;
  realCapacity: number;
  idealOverhead: number;
  idealDropHours: number;
  achievable: number;
  /** Cards an ideal plan keeps (highest priority first within the capacity). */
  idealKept: number[];
}

const SEVERITY_RANK: Record<Severity, number> = { low: 0, medium: 1, high: 2, critical: 3 };

class CompensationEpisode implements Episode {
  private readonly departed: string;
  private readonly habits: { docs: string; commits: string; tests: string };
  private readonly areas: Area[];
  private readonly members: Member[];
  private readonly cards: Card[];
  private readonly truth: CompensationTruth;
  /** Each member's known areas, sorted, for the view (static). */
  private readonly knowsView: number[][];
  private readonly departedView: object;
  /** Card indices in priority order (static). */
  private readonly priorityOrder: number[];
  /** Parts of the view, built on demand and kept until an action changes them. */
  private readonly cache: {
    members?: object[] | undefined;
    areas?: object[] | undefined;
    cards?: object[] | undefined;
    searches?: object[] | undefined;
    attempts?: object[] | undefined;
    specialists?: number[] | undefined;
    assessments?: object[] | undefined;
  } = {};

  private hours = 0;
  private readonly searches: Search[] = [];
  private readonly searched = new Set<Source>();
  private readonly attempts: Attempt[] = [];
  private readonly attemptCount: number[] = [0, 0, 0, 0];
  private readonly failedCount: number[] = [0, 0, 0, 0];
  private readonly recovered: (string | undefined)[] = [undefined, undefined, undefined, undefined];
  private readonly specialists: { step: number; area: number }[] = [];
  private readonly assessments: Assessment[] = [];
  private readonly dropped: boolean[];
  private readonly owner: number[];
  private readonly changes: { step: number; card: number; kind: 'drop' | 'keep' | 'redistribute'; member?: number }[] = [];
  private committed = false;
  private commitStep = -1;
  private readonly revealedHolds: boolean[] = [false, false, false, false];
  private readonly revealedArea: boolean[] = [false, false, false, false];

  constructor(rng: Rng, options: ScenarioOptions) {
    const difficulty = options.difficulty;
    this.departed = rng.pick(DEPARTED_NAMES);
    const poor = difficulty === 'hard' ? 1 : difficulty === 'easy' ? -1 : 0;
    const habit = <T>(values: readonly T[]): T => {
      const i = rng.int(values.length) - (poor > 0 && rng.chance(0.5) ? 1 : 0) + (poor < 0 && rng.chance(0.5) ? 1 : 0);
      return values[Math.max(0, Math.min(values.length - 1, i))] as T;
    };
    this.habits = { docs: habit(DOC_HABITS), commits: habit(COMMIT_HABITS), tests: habit(TEST_HABITS) };
    const names = rng.shuffle(AREA_NAMES).slice(0, AREAS) as string[];
    const lostCount = difficulty === 'easy' ? 1 : difficulty === 'hard' ? 2 : rng.chance(0.5) ? 1 : 2;
    const lostSet = new Set(rng.shuffle([0, 1, 2, 3]).slice(0, lostCount));
    const pComplex = difficulty === 'hard' ? 0.65 : difficulty === 'easy' ? 0.35 : 0.5;
    const areaRng = rng.fork('areas');
    this.areas = names.map((name, i) => {
      const lost = lostSet.has(i);
      const complex = areaRng.chance(pComplex);
      const draw = (source: Source): Holds => {
        const odds = sourceOdds(source, this.habits.docs, this.habits.commits, this.habits.tests);
        const r = areaRng.next();
        return r < odds.full ? 'full' : r < odds.full + odds.partial ? 'partial' : 'none';
      };
      // A literal in SOURCES order: the same draws, keys and key order as a loop over SOURCES.
      const holds: Record<Source, Holds> = {
        commits: draw('commits'),
        docs: draw('docs'),
        tickets: draw('tickets'),
        chat: draw('chat'),
        tests: draw('tests'),
      };
      // Partial notes make the code easier to read back.
      const partial =
        holds.commits === 'partial' ||
        holds.docs === 'partial' ||
        holds.tickets === 'partial' ||
        holds.chat === 'partial' ||
        holds.tests === 'partial';
      const rediscoverable = areaRng.next() < (complex ? 0.25 : 0.8) + (partial ? 0.3 : 0);
      const fate = [areaRng.next(), areaRng.next(), areaRng.next(), areaRng.next()];
      const hasFull =
        holds.commits === 'full' || holds.docs === 'full' || holds.tickets === 'full' || holds.chat === 'full' || holds.tests === 'full';
      return { name, lost, complex, rediscoverable, holds, fate, hasFull, hasPartial: partial };
    });
    // Members: every covered area is known by at least one of them.
    const memberNames = rng.shuffle(MEMBER_NAMES).slice(0, MEMBERS) as string[];
    this.members = memberNames.map((name) => ({ name, onCall: rng.chance(0.3), drain: rng.uniform(0, 0.2), knows: new Set<number>() }));
    const covered = [0, 1, 2, 3].filter((i) => !lostSet.has(i));
    for (let k = 0; k < covered.length; k++) (this.members[k % MEMBERS] as Member).knows.add(covered[k] as number);
    for (const m of this.members) if (rng.chance(0.5)) m.knows.add(rng.pick(covered));
    // Cards: one or two per lost area (the departed member's), the rest on covered areas.
    const cardAreas: number[] = [];
    for (const a of lostSet) cardAreas.push(a);
    for (const a of lostSet) if (cardAreas.length < CARDS && rng.chance(0.5)) cardAreas.push(a);
    while (cardAreas.length < CARDS) cardAreas.push(rng.pick(covered));
    const scale = difficulty === 'hard' ? 1.08 : difficulty === 'easy' ? 0.85 : 1;
    const total = rng.uniform(0.75, 1) * scale * NOMINAL_HOURS * 4 * 0.85;
    const weights = cardAreas.map(() => rng.uniform(0.6, 1.4));
    const wsum = weights.reduce((a, b) => a + b, 0);
    const priorities = rng.shuffle([0, 1, 2, 3, 4, 5]);
    const departedTakesCovered = rng.chance(0.4);
    let departedCovered = false;
    this.cards = cardAreas.map((area, i) => {
      let originalOwner = -1;
      if (!lostSet.has(area)) {
        const knowers: number[] = [];
        for (let k = 0; k < MEMBERS; k++) if ((this.members[k] as Member).knows.has(area)) knowers.push(k);
        originalOwner = rng.pick(knowers) as number;
      }
      if (!lostSet.has(area) && departedTakesCovered && !departedCovered) {
        originalOwner = -1;
        departedCovered = true;
      }
      return {
        title: (CARD_TITLES[rng.int(CARD_VERBS.length)] as Record<string, string>)[(this.areas[area] as Area).name] as string,
        hours: Math.max(6, Math.round((total * (weights[i] as number)) / wsum)),
        area,
        originalOwner,
        priority: priorities[i] as number,
        regressionDraw: rng.next(),
      };
    });
    this.dropped = this.cards.map(() => false);
    this.owner = this.cards.map((c) => c.originalOwner);
    // Card indices by priority (a stable insertion sort; priorities are distinct anyway).
    const byPriority: number[] = [];
    for (let i = 0; i < this.cards.length; i++) {
      const p = (this.cards[i] as Card).priority;
      let j = byPriority.length - 1;
      byPriority.push(i);
      while (j >= 0 && (this.cards[byPriority[j] as number] as Card).priority > p) {
        byPriority[j + 1] = byPriority[j] as number;
        j--;
      }
      byPriority[j + 1] = i;
    }
    this.priorityOrder = byPriority;
    this.truth = this.computeTruth();
    this.knowsView = this.members.map((m) => [...m.knows].sort((x, y) => x - y));
    this.departedView = { name: this.departed, habits: this.habits };
  }

  private realCapacity(member: number): number {
    const m = this.members[member] as Member;
    return NOMINAL_HOURS * (1 - (m.onCall ? ON_CALL_SHARE : 0) - m.drain);
  }

  /** The cheapest expected recovery of a lost area (hours, search included) and whether it is recoverable in the team. */
  private idealRecovery(area: Area): { hours: number; recoverable: boolean } {
    if (area.hasFull) return { hours: HOURS_SEARCH + RECOVERY_HOURS.full, recoverable: true };
    if (!area.rediscoverable) return { hours: SPECIALIST_LEAD, recoverable: false };
    if (area.hasPartial) return { hours: HOURS_SEARCH + RECOVERY_HOURS.partial / P_PARTIAL, recoverable: true };
    return { hours: RECOVERY_HOURS.rediscover / P_REDISCOVER, recoverable: true };
  }

  /** Whether an area cannot be recovered inside the team (no full record, and the code cannot be read back). */
  private unrecoverable(area: number): boolean {
    const a = this.areas[area] as Area;
    return a.lost && !a.hasFull && !a.rediscoverable;
  }

  private computeTruth(): CompensationTruth {
    let capacity = 0;
    for (let m = 0; m < MEMBERS; m++) capacity += this.realCapacity(m);
    let overhead = 2;
    let unrecoverableHours = 0;
    let lostCards = 0;
    for (let i = 0; i < AREAS; i++) {
      const a = this.areas[i] as Area;
      if (!a.lost) continue;
      const r = this.idealRecovery(a);
      overhead += r.hours;
      for (const c of this.cards)
        if (c.area === i) {
          lostCards++;
          if (!r.recoverable) unrecoverableHours += c.hours;
        }
    }
    const committed = this.cards.reduce((s, c) => s + c.hours, 0);
    const effective = capacity - overhead;
    const ratio = committed / effective;
    let sev = ratio <= 1 ? 0 : ratio <= 1.15 ? 1 : ratio <= 1.35 ? 2 : 3;
    if (unrecoverableHours >= 0.2 * committed) sev = Math.min(3, sev + 1);
    const radius: BlastRadius = ratio <= 1 ? (lostCards <= 1 ? 'task' : 'story') : ratio <= 1.15 ? 'story' : 'sprint';
    // The ideal plan keeps the highest-priority cards that fit.
    const order = this.priorityOrder;
    const idealKept: number[] = [];
    let used = 0;
    for (const i of order) {
      const h = (this.cards[i] as Card).hours;
      if (used + h <= effective) {
        idealKept.push(i);
        used += h;
      }
    }
    return {
      severity: SEVERITIES[sev] as Severity,
      radius,
      ratio: round3(ratio),
      realCapacity: Math.round(capacity * 10) / 10,
      idealOverhead: Math.round(overhead * 10) / 10,
      idealDropHours: Math.round(Math.max(0, committed - used)),
      achievable: Math.max(1, Math.min(committed, effective)),
      idealKept,
    };
  }

  view(): Record<string, unknown> {
    // Cached parts are replaced (act() drops the ones an action may change), never mutated, so
    // earlier observations stay as they were.
    const c = this.cache;
    c.members ??= this.members.map((m, index) => ({
      index,
      name: m.name,
      nominalHours: NOMINAL_HOURS,
      onCall: m.onCall,
      knows: this.knowsView[index],
      assignedHours: this.assignedHours(index),
    }));
    c.areas ??= this.areas.map((a, index) => ({
      index,
      name: a.name,
      lost: a.lost,
      complexity: a.complex ? 'complex' : 'simple',
      recovered: this.recovered[index] ?? null,
      failedAttempts: this.failedCount[index],
    }));
    c.cards ??= this.cards.map((card, index) => ({
      index,
      hours: card.hours,
      area: card.area,
      priority: card.priority,
      originalOwner: card.originalOwner,
      owner: this.owner[index],
      dropped: this.dropped[index],
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

  private assignedHours(member: number): number {
    let h = 0;
    for (let i = 0; i < CARDS; i++) if (!this.dropped[i] && this.owner[i] === member) h += (this.cards[i] as Card).hours;
    return h;
  }

  tokens(): string[] {
    const out = ['task:compensation', `docs:${this.habits.docs}`, `commits:${this.habits.commits}`, `tests:${this.habits.tests}`];
    for (let m = 0; m < MEMBERS; m++) {
      const member = this.members[m] as Member;
      if (member.onCall) out.push(`m${m}:on_call`);
      for (const a of member.knows) out.push(`m${m}:knows_k${a}`);
      out.push(`m${m}:load_n${Math.min(9, Math.floor(this.assignedHours(m) / 10))}`);
    }
    for (let i = 0; i < AREAS; i++) {
      const a = this.areas[i] as Area;
      if (a.lost) out.push(`k${i}:lost`, `k${i}:${a.complex ? 'complex' : 'simple'}`);
      if (this.recovered[i]) out.push(`k${i}:recovered`);
    }
    for (let c = 0; c < CARDS; c++) {
      const card = this.cards[c] as Card;
      out.push(`c${c}:k${card.area}`, `c${c}:p${card.priority}`, `c${c}:h_n${Math.min(9, Math.floor(card.hours / 10))}`);
      out.push(this.dropped[c] ? `c${c}:dropped` : this.owner[c] === -1 ? `c${c}:unowned` : `c${c}:m${this.owner[c]}`);
    }
    for (const s of this.searches) {
      out.push(`searched:${s.source}`);
      for (const f of s.found) out.push(`k${f.area}:${s.source}_${f.holds}`);
    }
    for (const t of this.attempts) out.push(`recover:k${t.area}`, t.ok ? 'recover:ok' : 'recover:failed');
    for (const a of this.specialists) out.push(`specialist:k${a.area}`);
    for (const a of this.assessments) out.push(`assessed:${a.severity}`, `radius:${a.radius}`);
    return out;
  }

  describe(): string {
    const lines = [
      `${this.departed} has just left the team, eight days before the end of the sprint. Assess the impact, recover what the artifacts still hold, decide what the team can still commit to, give the orphaned work to the right people, then recommit the sprint with the product owner.`,
      '',
      `${this.departed} wrote ${this.habits.docs} docs, ${this.habits.commits} commit messages and ${this.habits.tests} tests.`,
      '',
      'Remaining members (48 nominal hours each):',
    ];
    for (let m = 0; m < MEMBERS; m++) {
      const member = this.members[m] as Member;
      const knows = [...member.knows].map((a) => (this.areas[a] as Area).name).join(', ');
      lines.push(`- [${m}] ${member.name}${member.onCall ? ' (on call)' : ''}: knows ${knows}; assigned ${this.assignedHours(m)} h`);
    }
    lines.push('', 'Knowledge areas:');
    for (let i = 0; i < AREAS; i++) {
      const a = this.areas[i] as Area;
      lines.push(
        `- [${i}] ${a.name}: ${a.lost ? `LOST (only ${this.departed} knew it), ${a.complex ? 'complex' : 'simple'}` : 'covered'}${this.recovered[i] ? `, recovered (${this.recovered[i]})` : ''}`,
      );
    }
    lines.push('', 'Committed cards:');
    for (let c = 0; c < CARDS; c++) {
      const card = this.cards[c] as Card;
      const owner = this.owner[c] === -1 ? `nobody (was ${this.departed})` : (this.members[this.owner[c] as number] as Member).name;
      lines.push(
        `- [${c}] priority ${card.priority + 1}: ${card.title}, ${card.hours} h, area ${card.area}, owner ${owner}${this.dropped[c] ? ' (dropped)' : ''}`,
      );
    }
    for (const s of this.searches)
      lines.push(
        `Searched ${s.source}: ${s.repeat ? 'nothing new' : s.found.map((f) => `${(this.areas[f.area] as Area).name}: ${f.holds}`).join('; ')}`,
      );
    for (const t of this.attempts) lines.push(`Recovery of area ${t.area}: ${t.text}`);
    for (const s of this.specialists) lines.push(`A specialist was requested for area ${s.area}.`);
    for (const a of this.assessments) lines.push(`You assessed the impact as ${a.severity}, blast radius ${a.radius}.`);
    lines.push(`Team hours spent so far: ${this.hours}.`);
    return lines.join('\n');
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
        const a: Assessment = { step, severity: args.severity as Severity, radius: args.blast_radius as BlastRadius };
        if (action.confidence !== undefined) a.confidence = action.confidence;
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

  finish(): EpisodeResult {
    const links: DecisionLink[] = [];
    const t = this.truth;
    // --- the assessment, against the truth
    const last = this.assessments[this.assessments.length - 1];
    let overhead = this.hours;
    let assessmentEffect = 'none';
    if (last === undefined) overhead += SEVERITY_RANK[t.severity] >= 2 ? 6 : 2;
    else {
      const d = SEVERITY_RANK[last.severity] - SEVERITY_RANK[t.severity];
      assessmentEffect = d === 0 ? 'matched' : d < 0 ? 'optimistic' : 'pessimistic';
      overhead += d === 0 ? -4 : d < 0 ? 8 : 4;
      if (last.radius !== t.radius) overhead += 2;
      links.push({
        step: last.step,
        effect: `assessment_${assessmentEffect}`,
        target: last.severity,
        value: d === 0 ? 0.05 : d < 0 ? -0.1 : -0.05,
        note: `assessed ${last.severity}/${last.radius}; the truth was ${t.severity}/${t.radius}`,
      });
      if (last.radius !== t.radius)
        links.push({
          step: last.step,
          effect: 'blast_radius_wrong',
          target: last.radius,
          value: -0.02,
          note: `true blast radius ${t.radius}`,
        });
    }
    for (const a of this.assessments.slice(0, -1))
      links.push({ step: a.step, effect: 'repeated_assessment', value: -0.01, note: 'superseded by a later assessment' });
    // --- specialists
    let needlessCross = 0;
    for (const s of this.specialists) {
      overhead += SPECIALIST_LEAD;
      const needed = this.unrecoverable(s.area);
      if (!needed) needlessCross += SPECIALIST_CROSS;
      links.push({
        step: s.step,
        effect: needed ? 'specialist_needed' : 'specialist_unneeded',
        target: `area_${s.area}`,
        value: needed ? 0.1 : -0.1,
        note: needed ? 'no artifact held it and the code alone could not explain it' : 'the team could have recovered it itself',
      });
    }
    // --- recovery attempts and searches
    let failedRecoveries = 0;
    for (const at of this.attempts) {
      if (!at.ok) failedRecoveries++;
      const blind = at.via !== 'full' && (this.areas[at.area] as Area).hasFull;
      links.push({
        step: at.step,
        effect: at.ok
          ? at.via === 'full'
            ? 'recovered_from_record'
            : blind
              ? 'blind_rediscovery'
              : 'knowledge_recovered'
          : 'recovery_failed',
        target: `area_${at.area}`,
        value: at.ok ? (blind ? 0.02 : 0.08) : -0.05,
        note: at.text,
      });
    }
    for (const s of this.searches) {
      const useful = s.found.some((f) => f.holds !== 'none' && this.areas[f.area]?.lost);
      links.push({
        step: s.step,
        effect: s.repeat ? 'redundant_search' : useful ? 'artifact_found' : 'nothing_found',
        target: s.source,
        value: s.repeat ? -0.02 : useful ? 0.03 : -0.01,
        note: s.repeat ? 'searched again' : s.found.map((f) => `area ${f.area}: ${f.holds}`).join(', '),
      });
    }
    // --- the cards: owners, knowledge, effort
    const known = (member: number, area: number) => (this.members[member] as Member).knows.has(area);
    const effort: number[] = [];
    const workOwner: number[] = [];
    let regressions = 0;
    let orphans = 0;
    const regressed: boolean[] = [];
    const pRegressions: number[] = this.cards.map(() => 0);
    const load = [0, 0, 0];
    const capacity = [0, 0, 0].map((_, m) => this.realCapacity(m) - overhead / MEMBERS);
    for (let c = 0; c < CARDS; c++) {
      const card = this.cards[c] as Card;
      regressed.push(false);
      if (this.dropped[c]) {
        effort.push(0);
        workOwner.push(-1);
        continue;
      }
      let owner = this.owner[c] as number;
      let mult = 1;
      if (owner === -1) {
        // Picked up mid-sprint by whoever has the most slack.
        orphans++;
        mult *= 1.3;
        let best = 0;
        for (let m = 1; m < MEMBERS; m++)
          if ((capacity[m] as number) - (load[m] as number) > (capacity[best] as number) - (load[best] as number)) best = m;
        owner = best;
        links.push({
          step: -1,
          effect: 'orphaned_card',
          target: `card_${c}`,
          value: -0.05,
          note: `nobody owned card ${c}: picked up mid-sprint`,
        });
      }
      const area = this.areas[card.area] as Area;
      let pRegression = 0;
      if (area.lost && !this.recovered[card.area]) {
        mult *= 1.5;
        pRegression = 0.6;
      } else if (!area.lost && !known(owner, card.area)) {
        mult *= 1.2;
        pRegression = 0.25;
      }
      effort.push(card.hours * mult);
      workOwner.push(owner);
      pRegressions[c] = pRegression;
    }
    // Overcommitment: a team holding more than it can do rushes (more regressions) and multitasks.
    let planned = 0;
    let fullCapacity = 0;
    for (let c = 0; c < CARDS; c++) planned += effort[c] as number;
    for (let m = 0; m < MEMBERS; m++) fullCapacity += Math.max(0, capacity[m] as number);
    const pressure = clamp01(planned / Math.max(1, fullCapacity) - 1);
    for (let c = 0; c < CARDS; c++) {
      if (this.dropped[c]) continue;
      const card = this.cards[c] as Card;
      if (card.regressionDraw < Math.min(0.9, (pRegressions[c] as number) + RUSH_REGRESSION * pressure)) {
        regressions++;
        regressed[c] = true;
        effort[c] = (effort[c] as number) + 0.5 * card.hours;
      }
      const owner = workOwner[c] as number;
      load[owner] = (load[owner] as number) + (effort[c] as number);
    }
    // Overflow moves to members with slack at 1.25x.
    let overflow = 0;
    let slack = 0;
    let base = 0;
    for (let m = 0; m < MEMBERS; m++) {
      const cap = Math.max(0, capacity[m] as number);
      const l = load[m] as number;
      overflow += Math.max(0, l - cap);
      slack += Math.max(0, cap - l);
      base += Math.min(l, cap);
    }
    const transferable = Math.min(overflow, slack / 1.25);
    const workCapacity = (base + transferable) * (1 - RUSH_CAPACITY_LOSS * pressure);
    // Cards delivered in priority order within the work capacity.
    const order = this.priorityOrder;
    const delivered: boolean[] = this.cards.map(() => false);
    let used = 0;
    for (const c of order) {
      if (this.dropped[c]) continue;
      if (used + (effort[c] as number) <= workCapacity + 1e-9) {
        delivered[c] = true;
        used += effort[c] as number;
      }
    }
    // Commitment: the recommitted plan, or (silently replanned) the original one.
    let committedHours = 0;
    let deliveredCommitted = 0;
    let deliveredHours = 0;
    for (let c = 0; c < CARDS; c++) {
      const h = (this.cards[c] as Card).hours;
      if (delivered[c]) deliveredHours += h;
      if (this.committed && this.dropped[c]) continue;
      committedHours += h;
      if (delivered[c]) deliveredCommitted += h;
    }
    const commitmentKept = committedHours > 0 ? deliveredCommitted / committedHours : 1;
    const allDelivered = commitmentKept >= 0.999;
    // The sprint goal: the highest-priority work the real capacity allows (what an ideal plan keeps).
    let goalHours = 0;
    let goalDelivered = 0;
    for (const c of t.idealKept) {
      const h = (this.cards[c] as Card).hours;
      goalHours += h;
      if (delivered[c]) goalDelivered += h;
    }
    const goalShare = goalHours > 0 ? goalDelivered / goalHours : 1;
    // Links for the plan changes.
    const idealKept = new Set(t.idealKept);
    for (const ch of this.changes) {
      if (ch.kind === 'drop' && this.dropped[ch.card])
        links.push({
          step: ch.step,
          effect: idealKept.has(ch.card) ? 'drop_unneeded' : 'drop_needed',
          target: `card_${ch.card}`,
          value: idealKept.has(ch.card) ? -0.05 : 0.05,
          note: idealKept.has(ch.card) ? 'the team had room for it' : 'it did not fit in the capacity left',
        });
      if (ch.kind === 'redistribute' && ch.member !== undefined && this.owner[ch.card] === ch.member && !this.dropped[ch.card]) {
        const card = this.cards[ch.card] as Card;
        const area = this.areas[card.area] as Area;
        const knows = area.lost ? this.recovered[card.area] !== undefined : known(ch.member, card.area);
        links.push({
          step: ch.step,
          effect: regressed[ch.card] ? 'quality_regression' : knows ? 'knowledgeable_owner' : 'owner_lacks_knowledge',
          target: `card_${ch.card}`,
          value: regressed[ch.card] ? -0.1 : knows ? 0.05 : -0.03,
          note: `${(this.members[ch.member] as Member).name} ${knows ? 'knows' : 'does not know'} the ${area.name}`,
        });
      }
    }
    if (this.committed)
      links.push({
        step: this.commitStep,
        effect: allDelivered ? 'commitment_kept' : 'commitment_missed',
        value: allDelivered ? 0.2 : -0.1,
        note: `${Math.round(deliveredCommitted)} of ${Math.round(committedHours)} committed hours delivered`,
      });
    else
      links.push({
        step: -1,
        effect: 'silent_replan',
        value: -0.2,
        note: 'never recommitted: the product owner expected the original plan',
      });

    let lostAreas = 0;
    let recoveredAreas = 0;
    for (let i = 0; i < AREAS; i++)
      if ((this.areas[i] as Area).lost) {
        lostAreas++;
        if (this.recovered[i]) recoveredAreas++;
      }
    const coverage = lostAreas > 0 ? recoveredAreas / lostAreas : 1;
    const velocity = clamp01((deliveredHours - 0.5 * needlessCross) / t.achievable);
    const components: OutcomeComponents = {
      story_accepted: 0.5 * (allDelivered ? 1 : 0.5 * commitmentKept) + 0.5 * goalShare,
      tests_passing: clamp01(1 - 0.25 * regressions),
      low_iteration_count: clamp01(1 - 0.2 * (failedRecoveries + regressions)),
      velocity_maintained: velocity,
      low_rework: clamp01(1 - 0.4 * regressions),
      coverage_threshold: coverage >= 0.8 ? 1 : coverage,
    };
    const droppedHours = this.cards.reduce((s, c, i) => s + (this.dropped[i] ? c.hours : 0), 0);
    let brierSum = 0;
    let stated = 0;
    for (const a of this.assessments)
      if (a.confidence !== undefined) {
        stated++;
        brierSum += (a.confidence - (a.severity === t.severity ? 1 : 0)) ** 2;
      }
    return {
      facts: {
        committed: this.committed,
        trueSeverity: t.severity,
        trueRadius: t.radius,
        assessedSeverity: last?.severity ?? 'none',
        assessedRadius: last?.radius ?? 'none',
        assessment: assessmentEffect,
        assessments: this.assessments.length,
        lostAreas,
        recoveredAreas,
        unrecoverableAreas: this.areas.filter((_, i) => this.unrecoverable(i)).length,
        searches: this.searches.length,
        redundantSearches: this.searches.filter((s) => s.repeat).length,
        recoveryAttempts: this.attempts.length,
        failedRecoveries,
        specialists: this.specialists.length,
        specialistsUnneeded: this.specialists.filter((s) => !this.unrecoverable(s.area)).length,
        regressions,
        orphanedCards: orphans,
        overcommitPressure: round3(pressure),
        droppedCards: this.dropped.filter((d) => d).length,
        droppedHours,
        idealDropHours: t.idealDropHours,
        committedHours: Math.round(committedHours),
        originalHours: this.cards.reduce((sum, c) => sum + c.hours, 0),
        deliveredHours: Math.round(deliveredHours),
        commitmentKept: round3(commitmentKept),
        allDelivered,
        goalDelivered: round3(goalShare),
        achievableHours: Math.round(t.achievable),
        realCapacity: t.realCapacity,
        teamHoursSpent: this.hours,
        needlessCrossHours: needlessCross,
        velocityEffect: round3(velocity - 1),
        confidenceStatements: stated,
        calibrationBrier: stated > 0 ? round3(brierSum / stated) : -1,
      },
      components,
      links,
    };
  }

  hidden(): Record<string, unknown> {
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
        realHours: Math.round(this.realCapacity(index) * 10) / 10,
        drain: round3(m.drain),
      })),
      areas: this.areas.map((a, index) => ({
        index,
        lost: a.lost,
        complex: a.complex,
        rediscoverable: a.rediscoverable,
        unrecoverable: this.unrecoverable(index),
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

export const compensation: EpisodeWorld = {
  name: 'compensation',
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
