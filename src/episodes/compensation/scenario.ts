/**
 * The seeded scenario of a compensation episode: the departed member and their habits (how
 * thoroughly they wrote docs, commit messages and tests; easy leans thorough, hard leans poor), four
 * knowledge areas (one or two lost — easy 1, hard 2 — each simple or complex), what each artifact
 * source still holds on each area (drawn from the habits), whether the code can be read back
 * (simple 80%, complex 25%, +30% with partial notes somewhere), three remaining members (on call
 * 30%, an unseen drain of 0-20%, which areas each knows) and six committed cards with hours, area,
 * owner and priority — plus the pre-drawn fates of each recovery attempt and card regression.
 *
 * The ground truth follows from it: the true severity and blast radius compare the commitment with
 * the real capacity left after the cheapest recovery of every lost area, and the ideal plan keeps
 * the highest-priority cards that fit.
 */
import type { ScenarioOptions } from '../../core/episode.js';
import { round1, round3 } from '../../core/numbers.js';
import type { Rng } from '../../core/rng.js';
import { type BlastRadius, SEVERITIES, type Severity } from '../../spec/curriculum.js';
import { COMMIT_HABITS, type CompensationTruth, DOC_HABITS, type Habits, type Holds, type Source, TEST_HABITS } from './types.js';

export const AREAS = 4;
export const MEMBERS = 3;
export const CARDS = 6;
/** Nominal hours per member for the 8 days left (6 h a day). */
export const NOMINAL_HOURS = 48;
const ON_CALL_SHARE = 0.15;

// Team hours each action costs.
export const HOURS_ASSESS = 0.5;
export const HOURS_SEARCH = 1.5;
/** A card dropped, kept or given to someone. */
export const HOURS_SMALL = 0.25;
export const HOURS_COMMIT = 0.5;
export const RECOVERY_HOURS = { full: 3, partial: 6, rediscover: 8 } as const;
/** Chance a recovery from a partial record works, when the code can be read back. */
export const P_PARTIAL = 0.85;
/** Chance a rediscovery from the code alone works, when the code can be read back. */
export const P_REDISCOVER = 0.75;
/** Team hours the area's cards wait for a specialist. */
export const SPECIALIST_LEAD = 6;
/** Hours the other team loses to a specialist request. */
export const SPECIALIST_CROSS = 12;

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

/** One knowledge area and its hidden truth. */
export interface Area {
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

export interface Member {
  name: string;
  onCall: boolean;
  /** Share of the nominal hours lost to what nobody sees (interviews for the backfill, support). */
  drain: number;
  knows: Set<number>;
}

export interface Card {
  title: string;
  hours: number;
  area: number;
  /** Owner at the start: a member index, or -1 for the departed member. */
  originalOwner: number;
  priority: number;
  regressionDraw: number;
}

/** Everything drawn from the seed before the first action, and the truth that follows from it. */
export interface Scenario {
  departed: string;
  habits: Habits;
  areas: Area[];
  members: Member[];
  cards: Card[];
  /** Card indices in priority order. */
  priorityOrder: number[];
  truth: CompensationTruth;
}

/** Draws a scenario; anything `options` leaves open comes from the seed. */
export function generateScenario(rng: Rng, options: ScenarioOptions): Scenario {
  const difficulty = options.difficulty;
  const departed = rng.pick(DEPARTED_NAMES);
  const poor = difficulty === 'hard' ? 1 : difficulty === 'easy' ? -1 : 0;
  const habit = <T>(values: readonly T[]): T => {
    const i = rng.int(values.length) - (poor > 0 && rng.chance(0.5) ? 1 : 0) + (poor < 0 && rng.chance(0.5) ? 1 : 0);
    return values[Math.max(0, Math.min(values.length - 1, i))] as T;
  };
  const habits: Habits = { docs: habit(DOC_HABITS), commits: habit(COMMIT_HABITS), tests: habit(TEST_HABITS) };
  const names = rng.shuffle(AREA_NAMES).slice(0, AREAS) as string[];
  const lostCount = difficulty === 'easy' ? 1 : difficulty === 'hard' ? 2 : rng.chance(0.5) ? 1 : 2;
  const lostSet = new Set(rng.shuffle([0, 1, 2, 3]).slice(0, lostCount));
  const pComplex = difficulty === 'hard' ? 0.65 : difficulty === 'easy' ? 0.35 : 0.5;
  const areaRng = rng.fork('areas');
  const areas = names.map((name, i): Area => {
    const lost = lostSet.has(i);
    const complex = areaRng.chance(pComplex);
    const draw = (source: Source): Holds => {
      const odds = sourceOdds(source, habits.docs, habits.commits, habits.tests);
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
  const members = memberNames.map((name) => ({ name, onCall: rng.chance(0.3), drain: rng.uniform(0, 0.2), knows: new Set<number>() }));
  const covered = [0, 1, 2, 3].filter((i) => !lostSet.has(i));
  for (let k = 0; k < covered.length; k++) (members[k % MEMBERS] as Member).knows.add(covered[k] as number);
  for (const m of members) if (rng.chance(0.5)) m.knows.add(rng.pick(covered));
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
  const cards = cardAreas.map((area, i): Card => {
    let originalOwner = -1;
    if (!lostSet.has(area)) {
      const knowers: number[] = [];
      for (let k = 0; k < MEMBERS; k++) if ((members[k] as Member).knows.has(area)) knowers.push(k);
      originalOwner = rng.pick(knowers) as number;
    }
    if (!lostSet.has(area) && departedTakesCovered && !departedCovered) {
      originalOwner = -1;
      departedCovered = true;
    }
    return {
      title: (CARD_TITLES[rng.int(CARD_VERBS.length)] as Record<string, string>)[(areas[area] as Area).name] as string,
      hours: Math.max(6, Math.round((total * (weights[i] as number)) / wsum)),
      area,
      originalOwner,
      priority: priorities[i] as number,
      regressionDraw: rng.next(),
    };
  });
  // Card indices by priority (a stable insertion sort; priorities are distinct anyway).
  const byPriority: number[] = [];
  for (let i = 0; i < cards.length; i++) {
    const p = (cards[i] as Card).priority;
    let j = byPriority.length - 1;
    byPriority.push(i);
    while (j >= 0 && (cards[byPriority[j] as number] as Card).priority > p) {
      byPriority[j + 1] = byPriority[j] as number;
      j--;
    }
    byPriority[j + 1] = i;
  }
  return { departed, habits, areas, members, cards, priorityOrder: byPriority, truth: groundTruth(areas, members, cards, byPriority) };
}

/** A member's real hours: nominal, less on-call duty and the unseen drain. */
export function realCapacity(m: Member): number {
  return NOMINAL_HOURS * (1 - (m.onCall ? ON_CALL_SHARE : 0) - m.drain);
}

/** The cheapest expected recovery of a lost area (hours, search included) and whether it is recoverable in the team. */
function idealRecovery(area: Area): { hours: number; recoverable: boolean } {
  if (area.hasFull) return { hours: HOURS_SEARCH + RECOVERY_HOURS.full, recoverable: true };
  if (!area.rediscoverable) return { hours: SPECIALIST_LEAD, recoverable: false };
  if (area.hasPartial) return { hours: HOURS_SEARCH + RECOVERY_HOURS.partial / P_PARTIAL, recoverable: true };
  return { hours: RECOVERY_HOURS.rediscover / P_REDISCOVER, recoverable: true };
}

/** Whether an area cannot be recovered inside the team (no full record, and the code cannot be read back). */
export function unrecoverable(a: Area): boolean {
  return a.lost && !a.hasFull && !a.rediscoverable;
}

/** The true severity, blast radius and ideal plan: the commitment against the real capacity left after the cheapest recovery. */
function groundTruth(
  areas: readonly Area[],
  members: readonly Member[],
  cards: readonly Card[],
  priorityOrder: readonly number[],
): CompensationTruth {
  let capacity = 0;
  for (let m = 0; m < MEMBERS; m++) capacity += realCapacity(members[m] as Member);
  let overhead = 2;
  let unrecoverableHours = 0;
  let lostCards = 0;
  for (let i = 0; i < AREAS; i++) {
    const a = areas[i] as Area;
    if (!a.lost) continue;
    const r = idealRecovery(a);
    overhead += r.hours;
    for (const c of cards)
      if (c.area === i) {
        lostCards++;
        if (!r.recoverable) unrecoverableHours += c.hours;
      }
  }
  const committed = cards.reduce((s, c) => s + c.hours, 0);
  const effective = capacity - overhead;
  const ratio = committed / effective;
  let sev = ratio <= 1 ? 0 : ratio <= 1.15 ? 1 : ratio <= 1.35 ? 2 : 3;
  if (unrecoverableHours >= 0.2 * committed) sev = Math.min(3, sev + 1);
  const radius: BlastRadius = ratio <= 1 ? (lostCards <= 1 ? 'task' : 'story') : ratio <= 1.15 ? 'story' : 'sprint';
  // The ideal plan keeps the highest-priority cards that fit.
  const order = priorityOrder;
  const idealKept: number[] = [];
  let used = 0;
  for (const i of order) {
    const h = (cards[i] as Card).hours;
    if (used + h <= effective) {
      idealKept.push(i);
      used += h;
    }
  }
  return {
    severity: SEVERITIES[sev] as Severity,
    radius,
    ratio: round3(ratio),
    realCapacity: round1(capacity),
    idealOverhead: round1(overhead),
    idealDropHours: Math.round(Math.max(0, committed - used)),
    achievable: Math.max(1, Math.min(committed, effective)),
    idealKept,
  };
}
