/**
 * The generated scenario of a recovery episode: the context, the committed sprint, the four
 * suspects with their hidden truth (root cause, collateral risk, blast radius, the cards they make
 * undeliverable) and the pre-drawn fates. Drawn once, in a fixed order, from the episode's seed.
 */

import type { ScenarioOptions } from '../../core/episode.js';
import type { Rng } from '../../core/rng.js';
import { difficultyLevel } from '../common.js';
import {
  BLAST_RADII,
  type BlastRadius,
  type Disturbance,
  type Risk,
  type Severity,
  SUSPECT_CATEGORIES,
  type SuspectCategory,
} from './types.js';

/** The disturbance the team saw first: the loudest suspect's kind (curriculum disturbance names). */
const DISTURBANCE_OF: Record<SuspectCategory, Disturbance> = {
  dependency_bump: 'dependency_breaks',
  merge_resolution: 'merge_conflict',
  flaky_timing: 'flaky_test',
  config_drift: 'dependency_breaks',
  schema_migration: 'architectural_debt_surfaces',
  fixture_data: 'junior_misunderstanding',
};

/** Suspects per episode (the `suspect` arguments index them). */
export const SUSPECTS = 4;

/** The product area the sprint works on: the names the symptom and root-cause texts use. */
export interface Context {
  title: string;
  area: string;
  entity: string;
  lib: string;
  service: string;
}

const CONTEXTS: readonly Context[] = [
  { title: 'Checkout and payments', area: 'checkout', entity: 'order', lib: 'jsonkit', service: 'pricing' },
  { title: 'Usage-based invoicing', area: 'invoicing', entity: 'invoice', lib: 'datemill', service: 'ledger' },
  { title: 'Inventory sync', area: 'inventory', entity: 'stock', lib: 'serdeq', service: 'catalog' },
  { title: 'Notification digests', area: 'digest', entity: 'subscription', lib: 'timefmt', service: 'identity' },
  { title: 'Loyalty ledger', area: 'loyalty', entity: 'points', lib: 'numparse', service: 'accounts' },
  { title: 'Shipment tracking', area: 'tracking', entity: 'shipment', lib: 'wireform', service: 'routing' },
];

const CARD_TITLES = [
  'CSV export',
  'audit log',
  'bulk edit',
  'search filters',
  'rate limiting',
  'email receipts',
  'admin dashboard',
  'retry queue',
  'webhook retries',
  'saved views',
] as const;

interface CategoryText {
  symptom: (c: Context) => string;
  root: (c: Context) => string;
}

const TEXTS: Record<SuspectCategory, CategoryText> = {
  dependency_bump: {
    symptom: (c) => `Since the lockfile refresh, ${c.lib} calls in ${c.area} fail with a type error.`,
    root: (c) => `${c.lib} 4.x changed its default date serialization and the ${c.area} code still relies on the 3.x format.`,
  },
  merge_resolution: {
    symptom: (c) => `The ${c.area} branches merged with conflicts yesterday; ${c.entity} total tests fail.`,
    root: (c) => `The conflict resolution in the ${c.entity} service dropped the rounding step that the other branch had added.`,
  },
  flaky_timing: {
    symptom: (c) => `${c.area} tests time out intermittently; the timeouts are the loudest lines in the CI log.`,
    root: (c) => `A new async job races the ${c.entity} writes, so the tests read before the write has committed.`,
  },
  config_drift: {
    symptom: (c) => `CI fails on the ${c.service} client since the environment update.`,
    root: (c) => `The CI environment now points the ${c.service} base URL at the new staging host, which rejects the old tokens.`,
  },
  schema_migration: {
    symptom: (c) => `Queries on ${c.entity} records return nulls in the integration tests.`,
    root: (c) => `Last night's migration renamed the ${c.entity} status column and one query still reads the old name.`,
  },
  fixture_data: {
    symptom: (c) => `Acceptance tests for ${c.area} expect values the shared fixtures no longer hold.`,
    root: (c) => `Another card edited the shared ${c.entity} fixtures for its own tests and changed defaults the others rely on.`,
  },
};

/** Every context's texts, rendered once at load (create() only picks). */
const RENDERED: readonly Record<SuspectCategory, { symptom: string; root: string }>[] = CONTEXTS.map(
  (c) =>
    Object.fromEntries(SUSPECT_CATEGORIES.map((k) => [k, { symptom: TEXTS[k].symptom(c), root: TEXTS[k].root(c) }])) as Record<
      SuspectCategory,
      { symptom: string; root: string }
    >,
);

export interface Card {
  title: string;
  points: number;
  hours: number;
  touchesArea: boolean;
  /** Hidden: the disturbance makes it undeliverable this sprint. */
  invalid: boolean;
}

export interface Suspect {
  category: SuspectCategory;
  symptom: string;
  root: string;
  failingTestsExplained: number;
  loudest: boolean;
  risk: Risk;
  blast: BlastRadius;
  /** Cards this suspect would make undeliverable (true only for the real suspect). */
  hits: number[];
  /** Pre-drawn fates: verification draws, collateral draws per change. */
  verifyDraw: [number, number];
  collateralDraw: [number, number, number];
}

/** Per-episode fates, drawn at creation so two action sequences on one seed meet the same world. */
export interface Fates {
  /** A patched cause recurs within the sprint when below its chance. */
  recurInSprint: number;
  /** The issue recurs later when below the chance that applies. */
  recurLater: number;
  /** A build still red at replanning is found later in the sprint when below its chance. */
  foundLate: number;
  /** A suite run after a patch on the real cause shows it is symptom-only when below its chance. */
  symptomSeen: number;
}

/** Everything drawn at creation. */
export interface Scenario {
  context: Context;
  suspects: Suspect[];
  /** Index of the real suspect (the root cause). */
  real: number;
  /** The committed cards, in priority order. */
  cards: Card[];
  daysLeft: number;
  /** Team hours left in the sprint. */
  capacity: number;
  testsTotal: number;
  failing: number;
  reportedSeverity: Severity;
  disturbance: Disturbance;
  /** Cards the real suspect makes undeliverable. */
  invalidCount: number;
  fate: Fates;
}

/** `k` distinct integers in [0, n), ascending (a partial Fisher-Yates draw). */
function pickDistinct(rng: Rng, n: number, k: number): number[] {
  const pool: number[] = [];
  for (let i = 0; i < n; i++) pool.push(i);
  for (let i = 0; i < k; i++) {
    const j = i + rng.int(n - i);
    const tmp = pool[i] as number;
    pool[i] = pool[j] as number;
    pool[j] = tmp;
  }
  // The first k, ascending (insertion sort: same result as a numeric sort, cheaper on a few items).
  const out: number[] = [];
  for (let i = 0; i < k && i < n; i++) {
    const x = pool[i] as number;
    let j = out.length - 1;
    out.push(x);
    while (j >= 0 && (out[j] as number) > x) {
      out[j + 1] = out[j] as number;
      j--;
    }
    out[j + 1] = x;
  }
  return out;
}

const SEVERITY_OF_INVALID: readonly Severity[] = ['low', 'medium', 'high', 'critical'];

/** Draws a scenario; the order of the draws is part of the seed's meaning. */
export function generateScenario(rng: Rng, options: ScenarioOptions): Scenario {
  const level = difficultyLevel(rng, options.difficulty);
  const contextIndex = rng.int(CONTEXTS.length);
  const context = CONTEXTS[contextIndex] as Context;
  const rendered = RENDERED[contextIndex] as Record<SuspectCategory, { symptom: string; root: string }>;
  const categories = rng.shuffle(SUSPECT_CATEGORIES).slice(0, SUSPECTS) as SuspectCategory[];
  const real = rng.int(SUSPECTS);
  const daysLeft = rng.intBetween(3, 7);
  const testsTotal = rng.intBetween(20, 60);
  const failing = rng.intBetween(3, Math.min(14, testsTotal - 5));

  // Cards: the committed sprint, in priority order.
  const n = options.difficulty === 'easy' ? 4 : options.difficulty === 'hard' ? 6 : rng.intBetween(4, 6);
  const cards: Card[] = pickDistinct(rng, CARD_TITLES.length, n).map((t) => {
    const title = CARD_TITLES[t] as string;
    const points = rng.pick([1, 2, 3, 5] as const);
    return { title, points, hours: points * 3, touchesArea: false, invalid: false };
  });
  const work = cards.reduce((a, c) => a + c.hours, 0);
  // Committed near capacity: the recovery's hours must come out of the plan somewhere.
  const capacity = Math.round(work * rng.uniform(0.92, 1.05));

  // Loudest suspect: a decoy more often as difficulty grows.
  const loudReal = rng.chance(0.5 - 0.3 * level);
  const decoys = [0, 1, 2, 3].filter((i) => i !== real);
  const loud = loudReal ? real : rng.pick(decoys);

  const suspects = categories.map((category, i): Suspect => {
    const t = rendered[category];
    const explained =
      i === real ? (rng.chance(0.6) ? failing : Math.max(1, failing - 1)) : rng.intBetween(Math.max(1, Math.floor(failing * 0.3)), failing);
    const blast = BLAST_RADII[rng.weightedIndex([0.35, 0.4, 0.25])] as BlastRadius;
    const k = blast === 'task' ? (rng.chance(0.5) ? 0 : 1) : blast === 'story' ? 1 : Math.min(n - 2, rng.chance(0.5) ? 2 : 3);
    const risk: Risk = rng.chance(0.4) ? 'high' : 'low';
    return {
      category,
      symptom: t.symptom,
      root: t.root,
      failingTestsExplained: explained,
      loudest: i === loud,
      risk,
      blast,
      hits: pickDistinct(rng, n, k),
      verifyDraw: [0, 0],
      collateralDraw: [0, 0, 0],
    };
  });
  const realSuspect = suspects[real] as Suspect;
  for (const c of realSuspect.hits) (cards[c] as Card).invalid = true;
  const invalidCount = realSuspect.hits.length;
  // Cards visibly touching the affected area: the invalid ones and one or two valid ones.
  const valid = rng.shuffle(cards.map((_, j) => j).filter((j) => !(cards[j] as Card).invalid));
  const extra = Math.min(valid.length - 1, rng.intBetween(1, 2));
  for (const j of realSuspect.hits) (cards[j] as Card).touchesArea = true;
  for (const j of valid.slice(0, extra)) (cards[j] as Card).touchesArea = true;
  // Reported severity: a noisy reading of the true damage.
  const severity = invalidCount;
  const accurate = rng.chance(0.85 - 0.4 * level);
  const off = rng.chance(0.5) ? -1 : 1;
  const reportedSeverity = SEVERITY_OF_INVALID[accurate ? severity : Math.max(0, Math.min(3, severity + off))] as Severity;
  const disturbance = DISTURBANCE_OF[(suspects[loud] as Suspect).category];

  const fateRng = rng.fork('fates');
  for (const s of suspects) {
    s.verifyDraw = [fateRng.next(), fateRng.next()];
    s.collateralDraw = [fateRng.next(), fateRng.next(), fateRng.next()];
  }
  const fate = { recurInSprint: fateRng.next(), recurLater: fateRng.next(), foundLate: fateRng.next(), symptomSeen: fateRng.next() };
  return { context, suspects, real, cards, daysLeft, capacity, testsTotal, failing, reportedSeverity, disturbance, invalidCount, fate };
}
