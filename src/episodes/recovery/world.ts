/**
 * E-2.2 Recovery: the sprint is mid-flight and a disturbance has turned the build red (a bad
 * merge, a dependency bump, a flaky timing change, lost fixture data ...). The days left and the
 * committed cards are visible; so are four suspects — changes that could explain the failing
 * tests, each with a symptom, the number of failing tests it could explain and which one is the
 * loudest in the logs (the loudest is usually not the cause).
 *
 * Hidden truth: which suspect is the root cause; each suspect's blast radius (task, story, sprint)
 * and the committed cards it makes undeliverable (only the real suspect's are true); the collateral
 * risk of changing each suspect's code (low or high); which cards of the plan remain valid. The
 * reported severity is a noisy reading of the real damage. Pre-drawn fates (per suspect: the
 * verification draws and the collateral draws; per episode: in-sprint and later recurrence, what
 * happens when the build is still red at replanning) make two action sequences on one seed meet
 * the same world.
 *
 * Actions (the spec's vocabulary; the implementation steps live in the arguments):
 * - `diagnose_root_cause {suspect, change}`: `state_only` states the hypothesis (0.25 h, no code
 *   change); `fix_cause` changes the code at the cause (3 h); `patch_symptom` silences the failing
 *   tests where they fail (1 h). The failing tests pass once the real suspect is fixed or patched.
 *   Every change risks collateral breakage (high risk 60 %, low 15 %, a patch 10 %).
 * - `verify_hypothesis {suspect}` (1.5 h): before a change on that suspect, an experiment that
 *   returns confirmed / inconclusive / refuted (sharper when the hypothesis was stated first:
 *   real suspect confirmed 80 % vs 60 %, a decoy refuted 80 % vs 60 %), the collateral risk of
 *   changing it, and on a confirmation the blast radius and the cards it hits; the third check of
 *   one suspect finds nothing new. After a change on that suspect it runs the suite: collateral
 *   breakage from any change is caught and repaired (2 h); a patch on the real cause is seen as
 *   symptom-only 70 % of the time.
 * - `capture_learning {kind, suspect}` (0.5 h): root_cause, prevention, symptom or blame, about a
 *   suspect. A root-cause learning about the real cause lowers the later-recurrence chance from
 *   50 % to 25 %, a prevention learning to 10 %; symptoms and blame change nothing.
 * - `replan_sprint {change, communicate}` (terminal): keep, minimal (drop 1 card), partial (2),
 *   full (3, plus 4 h of re-planning everything); cards are dropped known-invalid first, then
 *   unknown cards touching the area, lowest priority first. Communicating costs 0.5 h; a silent
 *   replan that drops cards wastes 2 h per dropped card (the team kept working on them).
 *
 * Outcome (at the replan, or at the turn limit as a silent keep). Recovery hours H: the actions'
 * hours, collateral repairs, consequences: still red at replanning (the team finds it later 60 %,
 * +10 h, else +16 h and red at sprint end), a patched cause recurring in the sprint (75 %, +8 h),
 * escaped collateral (+6 h). The sprint was committed near capacity (0.92–1.05 × the cards'
 * hours). The kept cards are delivered in priority order from capacity − H; a kept invalid card
 * burns half its hours (added to H) and is not delivered. Components: story_accepted =
 * delivered points / achievable points (an ideal recovery: 8 h, exactly the invalid cards dropped);
 * tests_passing = green at sprint end (−0.5 for escaped collateral, −0.5 for an in-sprint
 * recurrence); low_iteration_count = 1 − (changes until green − 1) / 3 (0 if never green);
 * velocity_maintained = 1 − H / (6 h × days left); low_rework = 1 − 0.5 per recurrence (in the
 * sprint, later); coverage_threshold = 1 without escaped collateral damage, else 0.
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
import type { OutcomeComponents } from '../../spec/reward.js';
import { difficultyLevel } from '../common.js';

export const SUSPECT_CATEGORIES = [
  'dependency_bump',
  'merge_resolution',
  'flaky_timing',
  'config_drift',
  'schema_migration',
  'fixture_data',
] as const;
export type SuspectCategory = (typeof SUSPECT_CATEGORIES)[number];

export const CHANGES = ['state_only', 'fix_cause', 'patch_symptom'] as const;
export type Change = (typeof CHANGES)[number];

export const REPLAN_CHANGES = ['keep', 'minimal', 'partial', 'full'] as const;
export type ReplanChange = (typeof REPLAN_CHANGES)[number];

export const LEARNING_KINDS = ['root_cause', 'prevention', 'symptom', 'blame'] as const;
export type LearningKind = (typeof LEARNING_KINDS)[number];

export const VERDICTS = ['confirmed', 'inconclusive', 'refuted', 'nothing_new'] as const;
export const SUITE_RESULTS = ['fix_holds', 'still_failing', 'collateral_caught', 'symptom_only'] as const;
export type Verdict = (typeof VERDICTS)[number];
export type SuiteResult = (typeof SUITE_RESULTS)[number];

export const BLAST_RADII = ['task', 'story', 'sprint'] as const;
export type BlastRadius = (typeof BLAST_RADII)[number];
export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const RISKS = ['low', 'high'] as const;
export type Risk = (typeof RISKS)[number];

/** The disturbance the team saw first: the loudest suspect's kind (curriculum disturbance names). */
const DISTURBANCE_OF: Record<SuspectCategory, string> = {
  dependency_bump: 'dependency_breaks',
  merge_resolution: 'merge_conflict',
  flaky_timing: 'flaky_test',
  config_drift: 'dependency_breaks',
  schema_migration: 'architectural_debt_surfaces',
  fixture_data: 'junior_misunderstanding',
};
export const DISTURBANCES = ['dependency_breaks', 'merge_conflict', 'flaky_test', 'architectural_debt_surfaces', 'junior_misunderstanding'];

/** Suspects per episode (the `suspect` arguments index them). */
export const SUSPECTS = 4;
/** Cards dropped by each replan level. */
export const DROPS: Record<ReplanChange, number> = { keep: 0, minimal: 1, partial: 2, full: 3 };

const HOURS_STATE = 0.25;
const HOURS_VERIFY = 1.5;
const HOURS_FIX = 3;
const HOURS_PATCH = 1;
const HOURS_LEARNING = 0.5;
const HOURS_COMMUNICATE = 0.5;
const HOURS_FULL_REPLAN = 4;
const HOURS_COLLATERAL_REPAIR = 2;
const HOURS_COLLATERAL_ESCAPED = 6;
const HOURS_RECURRENCE = 8;
const HOURS_SILENT_DROP = 2;
const HOURS_RED_FOUND_LATE = 10;
const HOURS_RED_NOT_FOUND = 16;
/** Recovery hours of the ideal recovery (achievable delivery reference). */
const HOURS_IDEAL = 8;
/** Checks of one suspect (before a change) that can still find something new. */
const VERIFY_DEPTH = 2;
/** Collateral chance of a change, by risk; a symptom patch is small. */
const COLLATERAL_P: Record<Risk, number> = { low: 0.15, high: 0.6 };
const COLLATERAL_P_PATCH = 0.1;
/** A patched cause comes back within the sprint. */
const P_RECUR_IN_SPRINT = 0.75;
/** Later recurrence: no useful learning, a root-cause learning, a prevention learning, cause never fixed. */
const P_RECUR_LATER = { none: 0.5, root_cause: 0.25, prevention: 0.1, unfixed: 0.85 } as const;
/** Still red at replanning: the team finds the cause later with this chance. */
const P_FOUND_LATE = 0.6;
/** A post-change suite run shows a patch is symptom-only. */
const P_SYMPTOM_SEEN = 0.7;
/** Verification outcome thresholds [confirmed, confirmed + inconclusive]. */
const VERIFY_P = {
  real: { stated: [0.8, 0.97], unstated: [0.6, 0.9] },
  decoy: { stated: [0.04, 0.2], unstated: [0.08, 0.4] },
} as const;

interface Context {
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

interface Card {
  title: string;
  points: number;
  hours: number;
  touchesArea: boolean;
  /** Hidden: the disturbance makes it undeliverable this sprint. */
  invalid: boolean;
}

interface Suspect {
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

interface Verification {
  step: number;
  suspect: number;
  phase: 'before_change' | 'after_change';
  result: Verdict | SuiteResult;
  stated: boolean;
  text: string;
}

interface ChangeRecord {
  step: number;
  suspect: number;
  change: Exclude<Change, 'state_only'>;
  /** Tests green right after this change. */
  green: boolean;
  /** This change broke something elsewhere (pending until a suite run catches it). */
  collateral: boolean;
  /** Step of the suite run that caught the collateral, -1 if it escaped. */
  caughtAt: number;
  /** Verified (the same suspect) before this change. */
  verifiedBefore: boolean;
  /** A suite run or verification happened since the previous change. */
  checkedSincePrevious: boolean;
}

interface Learning {
  step: number;
  kind: LearningKind;
  suspect: number;
  confidence?: number;
}

interface Hypothesis {
  step: number;
  suspect: number;
  confidence?: number;
}

interface Replan {
  step: number;
  change: ReplanChange;
  communicate: boolean;
  confidence?: number;
}

/** Delivery of the sprint for a set of dropped cards and recovery hours. */
function deliver(
  cards: readonly Card[],
  dropped: ReadonlySet<number>,
  capacity: number,
  hours: number,
): { points: number; spill: number; burnt: number } {
  let available = capacity - hours;
  let points = 0;
  let spill = 0;
  let burnt = 0;
  for (let i = 0; i < cards.length; i++) {
    if (dropped.has(i)) continue;
    const c = cards[i] as Card;
    if (c.invalid) {
      // Work on an undeliverable card: half its hours burnt before the team gives up on it.
      available -= c.hours / 2;
      burnt += c.hours / 2;
      spill++;
      continue;
    }
    if (c.hours <= available) {
      available -= c.hours;
      points += c.points;
    } else spill++;
  }
  return { points, spill, burnt };
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

class RecoveryEpisode implements Episode {
  private readonly ctx: Context;
  private readonly suspects: Suspect[];
  private readonly real: number;
  private readonly cards: Card[];
  private readonly daysLeft: number;
  private readonly capacity: number;
  private readonly testsTotal: number;
  private readonly failing: number;
  private readonly reportedSeverity: Severity;
  private readonly disturbance: string;
  private readonly invalidCount: number;
  private readonly fate: { recurInSprint: number; recurLater: number; foundLate: number; symptomSeen: number };

  private hours = 0;
  private readonly hypotheses: Hypothesis[] = [];
  private readonly verifications: Verification[] = [];
  private readonly verifyCount: number[] = [0, 0, 0, 0];
  private readonly changeCount: number[] = [0, 0, 0, 0];
  private readonly changes: ChangeRecord[] = [];
  private readonly learnings: Learning[] = [];
  private replan: Replan | undefined;
  private green = false;
  private hoursToGreen = -1;
  private changesToGreen = -1;
  private rootFixed = false;
  private patched = false;
  private symptomSeen = false;
  private checkedSinceChange = true;
  private readonly riskRevealed: boolean[] = [false, false, false, false];
  private readonly confirmed: boolean[] = [false, false, false, false];

  constructor(rng: Rng, options: ScenarioOptions) {
    const level = difficultyLevel(rng, options.difficulty);
    const contextIndex = rng.int(CONTEXTS.length);
    this.ctx = CONTEXTS[contextIndex] as Context;
    const rendered = RENDERED[contextIndex] as Record<SuspectCategory, { symptom: string; root: string }>;
    const categories = rng.shuffle(SUSPECT_CATEGORIES).slice(0, SUSPECTS) as SuspectCategory[];
    this.real = rng.int(SUSPECTS);
    this.daysLeft = rng.intBetween(3, 7);
    this.testsTotal = rng.intBetween(20, 60);
    this.failing = rng.intBetween(3, Math.min(14, this.testsTotal - 5));

    // Cards: the committed sprint, in priority order.
    const n = options.difficulty === 'easy' ? 4 : options.difficulty === 'hard' ? 6 : rng.intBetween(4, 6);
    this.cards = pickDistinct(rng, CARD_TITLES.length, n).map((t) => {
      const title = CARD_TITLES[t] as string;
      const points = rng.pick([1, 2, 3, 5] as const);
      return { title, points, hours: points * 3, touchesArea: false, invalid: false };
    });
    const work = this.cards.reduce((a, c) => a + c.hours, 0);
    // Committed near capacity: the recovery's hours must come out of the plan somewhere.
    this.capacity = Math.round(work * rng.uniform(0.92, 1.05));

    // Loudest suspect: a decoy more often as difficulty grows.
    const loudReal = rng.chance(0.5 - 0.3 * level);
    const decoys = [0, 1, 2, 3].filter((i) => i !== this.real);
    const loud = loudReal ? this.real : rng.pick(decoys);

    this.suspects = categories.map((category, i) => {
      const t = rendered[category];
      const explained =
        i === this.real
          ? rng.chance(0.6)
            ? this.failing
            : Math.max(1, this.failing - 1)
          : rng.intBetween(Math.max(1, Math.floor(this.failing * 0.3)), this.failing);
      const blast = BLAST_RADII[rng.weightedIndex([0.35, 0.4, 0.25])] as BlastRadius;
      const k = blast === 'task' ? (rng.chance(0.5) ? 0 : 1) : blast === 'story' ? 1 : Math.min(n - 2, rng.chance(0.5) ? 2 : 3);
      return {
        category,
        symptom: t.symptom,
        root: t.root,
        failingTestsExplained: explained,
        loudest: i === loud,
        risk: rng.chance(0.4) ? 'high' : 'low',
        blast,
        hits: pickDistinct(rng, n, k),
        verifyDraw: [0, 0],
        collateralDraw: [0, 0, 0],
      } as Suspect;
    });
    const real = this.suspects[this.real] as Suspect;
    for (const c of real.hits) (this.cards[c] as Card).invalid = true;
    this.invalidCount = real.hits.length;
    // Cards visibly touching the affected area: the invalid ones and one or two valid ones.
    const valid = rng.shuffle(this.cards.map((_, j) => j).filter((j) => !(this.cards[j] as Card).invalid));
    const extra = Math.min(valid.length - 1, rng.intBetween(1, 2));
    for (const j of real.hits) (this.cards[j] as Card).touchesArea = true;
    for (const j of valid.slice(0, extra)) (this.cards[j] as Card).touchesArea = true;
    // Reported severity: a noisy reading of the true damage.
    const sev = this.invalidCount;
    const accurate = rng.chance(0.85 - 0.4 * level);
    const off = rng.chance(0.5) ? -1 : 1;
    this.reportedSeverity = SEVERITY_OF_INVALID[accurate ? sev : Math.max(0, Math.min(3, sev + off))] as Severity;
    this.disturbance = DISTURBANCE_OF[(this.suspects[loud] as Suspect).category];

    const fateRng = rng.fork('fates');
    for (const s of this.suspects) {
      s.verifyDraw = [fateRng.next(), fateRng.next()];
      s.collateralDraw = [fateRng.next(), fateRng.next(), fateRng.next()];
    }
    this.fate = { recurInSprint: fateRng.next(), recurLater: fateRng.next(), foundLate: fateRng.next(), symptomSeen: fateRng.next() };
  }

  view(): Record<string, unknown> {
    return {
      task: { title: this.ctx.title, area: this.ctx.area, disturbance: this.disturbance, reportedSeverity: this.reportedSeverity },
      sprint: {
        daysLeft: this.daysLeft,
        capacityHours: this.capacity,
        cards: this.cards.map((c, index) => ({ index, title: c.title, points: c.points, hours: c.hours, touchesArea: c.touchesArea })),
      },
      tests: { total: this.testsTotal, failing: this.green ? 0 : this.failing, green: this.green },
      suspects: this.suspects.map((s, index) => ({
        index,
        category: s.category,
        symptom: s.symptom,
        failingTestsExplained: s.failingTestsExplained,
        loudest: s.loudest,
        collateralRisk: this.riskRevealed[index] ? s.risk : null,
        blastRadius: this.confirmed[index] ? s.blast : null,
        affectedCards: this.confirmed[index] ? s.hits.slice() : null,
      })),
      hypotheses: this.hypotheses.map((h) => ({ suspect: h.suspect })),
      verifications: this.verifications.map((v) => ({ step: v.step, suspect: v.suspect, phase: v.phase, result: v.result, text: v.text })),
      changes: this.changes.map((c) => ({ step: c.step, suspect: c.suspect, change: c.change, green: c.green })),
      learnings: this.learnings.map((l) => ({ kind: l.kind, suspect: l.suspect })),
      hoursSpent: this.hours,
    };
  }

  tokens(): string[] {
    const out = [
      'task:recovery',
      `dist:${this.disturbance}`,
      `sev:${this.reportedSeverity}`,
      `days_left:${this.daysLeft}`,
      `failing:p${Math.min(9, Math.floor((this.failing / this.testsTotal) * 10))}`,
      this.green ? 'tests:green' : 'tests:red',
    ];
    for (let i = 0; i < this.cards.length; i++) {
      const c = this.cards[i] as Card;
      out.push(`card${i}:pts${c.points}`);
      if (c.touchesArea) out.push(`card${i}:touches`);
    }
    for (let i = 0; i < SUSPECTS; i++) {
      const s = this.suspects[i] as Suspect;
      out.push(`s${i}:${s.category}`, `s${i}:explains_${s.failingTestsExplained >= this.failing ? 'all' : 'some'}`);
      if (s.loudest) out.push(`s${i}:loudest`);
      if (this.riskRevealed[i]) out.push(`s${i}:risk_${s.risk}`);
      if (this.confirmed[i]) {
        out.push(`s${i}:blast_${s.blast}`);
        for (const c of s.hits) out.push(`affected:card${c}`);
      }
    }
    for (const h of this.hypotheses) out.push(`hyp:s${h.suspect}`);
    for (const v of this.verifications) out.push(`verify:s${v.suspect}`, `result:${v.result}`);
    for (const c of this.changes) out.push(`${c.change}:s${c.suspect}`);
    for (const l of this.learnings) out.push(`learned:${l.kind}`, `learned:s${l.suspect}`);
    return out;
  }

  describe(): string {
    const lines = [
      `You are a senior developer on "${this.ctx.title}". A disturbance (${this.disturbance.replaceAll('_', ' ')}, reported severity ${this.reportedSeverity}) turned the build red with ${this.daysLeft} days left in the sprint. Find and fix the root cause without breaking anything else, replan the sprint in proportion to the damage, and capture what the team should learn.`,
      '',
      `Tests: ${this.green ? `all ${this.testsTotal} passing` : `${this.failing} of ${this.testsTotal} failing`}. Sprint capacity: ${this.capacity} team hours.`,
      'Committed cards (priority order):',
    ];
    for (let i = 0; i < this.cards.length; i++) {
      const c = this.cards[i] as Card;
      lines.push(`- [${i}] ${c.title}: ${c.points} points (${c.hours} h)${c.touchesArea ? ', touches the affected area' : ''}`);
    }
    lines.push('', 'Suspects:');
    for (let i = 0; i < SUSPECTS; i++) {
      const s = this.suspects[i] as Suspect;
      let line = `- [${i}] ${s.category.replaceAll('_', ' ')}: ${s.symptom} Could explain ${s.failingTestsExplained} of the ${this.failing} failing tests.${s.loudest ? ' (loudest in the logs)' : ''}`;
      if (this.riskRevealed[i]) line += ` Changing it carries ${s.risk} collateral risk.`;
      if (this.confirmed[i])
        line += ` Blast radius ${s.blast}; cards it hits: ${s.hits.length > 0 ? s.hits.map((c) => `[${c}]`).join(' ') : 'none'}.`;
      lines.push(line);
    }
    if (this.hypotheses.length > 0) lines.push('', `Hypotheses stated: ${this.hypotheses.map((h) => `suspect ${h.suspect}`).join(', ')}.`);
    if (this.verifications.length > 0) {
      lines.push('', 'Checks so far:');
      for (const v of this.verifications) lines.push(`- suspect ${v.suspect} (${v.phase.replace('_', ' ')}): ${v.text}`);
    }
    for (const c of this.changes)
      lines.push(`You changed suspect ${c.suspect} (${c.change.replace('_', ' ')}); the failing tests ${c.green ? 'pass' : 'still fail'}.`);
    for (const l of this.learnings) lines.push(`Learning captured: ${l.kind.replace('_', ' ')} about suspect ${l.suspect}.`);
    lines.push(`Hours spent on the recovery: ${this.hours}.`);
    return lines.join('\n');
  }

  legalActions(): Action[] {
    const out: Action[] = [];
    for (let suspect = 0; suspect < SUSPECTS; suspect++) {
      const fixed = this.causeFixed(suspect);
      for (const change of CHANGES)
        if (change === 'state_only' || !fixed) out.push({ type: 'diagnose_root_cause', args: { suspect, change } });
    }
    for (let suspect = 0; suspect < SUSPECTS; suspect++) out.push({ type: 'verify_hypothesis', args: { suspect } });
    for (const kind of LEARNING_KINDS)
      for (let suspect = 0; suspect < SUSPECTS; suspect++)
        if (!this.learned(kind, suspect)) out.push({ type: 'capture_learning', args: { kind, suspect } });
    for (const change of REPLAN_CHANGES)
      for (const communicate of [true, false]) out.push({ type: 'replan_sprint', args: { change, communicate } });
    return out;
  }

  act(action: Action, step: number): ActionResult {
    switch (action.type) {
      case 'diagnose_root_cause': {
        const suspect = action.args?.suspect as number;
        const change = action.args?.change as Change;
        if (change === 'state_only') {
          this.hours += HOURS_STATE;
          const h: Hypothesis = { step, suspect };
          if (action.confidence !== undefined) h.confidence = action.confidence;
          this.hypotheses.push(h);
          return {
            ok: true,
            response: `Hypothesis stated: suspect ${suspect} (${(this.suspects[suspect] as Suspect).category}) causes the failures.`,
            terminal: false,
          };
        }
        if (this.causeFixed(suspect))
          return { ok: false, error: `suspect ${suspect} was already fixed at the cause; there is nothing left to change there` };
        return { ok: true, response: this.applyChange(suspect, change, step), terminal: false };
      }
      case 'verify_hypothesis':
        return { ok: true, response: this.verify(action.args?.suspect as number, step), terminal: false };
      case 'capture_learning': {
        const l: Learning = { step, kind: action.args?.kind as LearningKind, suspect: action.args?.suspect as number };
        if (this.learned(l.kind, l.suspect))
          return { ok: false, error: `a ${l.kind.replace('_', ' ')} learning about suspect ${l.suspect} is already recorded` };
        if (action.confidence !== undefined) l.confidence = action.confidence;
        this.hours += HOURS_LEARNING;
        this.learnings.push(l);
        return { ok: true, response: `Learning recorded (${l.kind.replace('_', ' ')}, suspect ${l.suspect}).`, terminal: false };
      }
      case 'replan_sprint': {
        const r: Replan = { step, change: action.args?.change as ReplanChange, communicate: action.args?.communicate === true };
        if (action.confidence !== undefined) r.confidence = action.confidence;
        this.replan = r;
        return {
          ok: true,
          response: `Sprint replanned (${r.change}, dropping ${DROPS[r.change]} card(s))${r.communicate ? '; the team and product owner were told what changed and why' : ''}.`,
          terminal: true,
        };
      }
      default:
        return { ok: false, error: `unknown action ${action.type}` };
    }
  }

  private causeFixed(suspect: number): boolean {
    for (const c of this.changes) if (c.suspect === suspect && c.change === 'fix_cause') return true;
    return false;
  }

  private learned(kind: LearningKind, suspect: number): boolean {
    for (const l of this.learnings) if (l.kind === kind && l.suspect === suspect) return true;
    return false;
  }

  private applyChange(suspect: number, change: 'fix_cause' | 'patch_symptom', step: number): string {
    const s = this.suspects[suspect] as Suspect;
    const n = this.changeCount[suspect] as number;
    this.changeCount[suspect] = n + 1;
    this.hours += change === 'fix_cause' ? HOURS_FIX : HOURS_PATCH;
    const p = change === 'fix_cause' ? COLLATERAL_P[s.risk] : COLLATERAL_P_PATCH;
    const collateral = (s.collateralDraw[Math.min(2, n)] as number) < p;
    const verifiedBefore = this.verifications.some((v) => v.suspect === suspect && v.phase === 'before_change');
    const isReal = suspect === this.real;
    if (isReal) {
      if (change === 'fix_cause') this.rootFixed = true;
      else this.patched = true;
    }
    const wasGreen = this.green;
    if (isReal && !this.green) {
      this.green = true;
      this.hoursToGreen = this.hours;
      this.changesToGreen = this.changes.length + 1;
    }
    this.changes.push({
      step,
      suspect,
      change,
      green: this.green,
      collateral,
      caughtAt: -1,
      verifiedBefore,
      checkedSincePrevious: this.checkedSinceChange,
    });
    this.checkedSinceChange = false;
    const what =
      change === 'fix_cause'
        ? `You change the code at suspect ${suspect}`
        : `You patch the failing tests' symptom around suspect ${suspect}`;
    if (this.green && !wasGreen) return `${what}. The ${this.failing} failing tests now pass.`;
    if (wasGreen) return `${what}. The failing tests were already passing.`;
    return `${what}. The ${this.failing} failing tests still fail.`;
  }

  private verify(suspect: number, step: number): string {
    const s = this.suspects[suspect] as Suspect;
    this.hours += HOURS_VERIFY;
    this.riskRevealed[suspect] = true;
    const changed = (this.changeCount[suspect] as number) > 0;
    const stated = this.hypotheses.some((h) => h.suspect === suspect);
    let result: Verdict | SuiteResult;
    let text: string;
    if (changed) {
      // The suite after a change: catches pending collateral from any change.
      this.checkedSinceChange = true;
      const pending = this.changes.filter((c) => c.collateral && c.caughtAt < 0);
      for (const c of pending) c.caughtAt = step;
      if (pending.length > 0) this.hours += HOURS_COLLATERAL_REPAIR * pending.length;
      const symptom = suspect === this.real && this.patched && !this.rootFixed && this.fate.symptomSeen < P_SYMPTOM_SEEN;
      if (symptom) this.symptomSeen = true;
      if (pending.length > 0) {
        result = 'collateral_caught';
        text = `The full suite shows ${pending.length} regression(s) elsewhere caused by your change(s); repaired before merging.`;
      } else if (symptom) {
        result = 'symptom_only';
        text = 'The failing tests pass, but the patched code path still misbehaves: the patch hides the symptom, not the cause.';
      } else if (this.green) {
        result = 'fix_holds';
        text = 'The full suite passes; no regression elsewhere.';
      } else {
        result = 'still_failing';
        text = `The full suite still shows the ${this.failing} original failures; no new regression.`;
      }
      if (symptom && pending.length > 0) text += ' The patched code path still misbehaves: the patch hides the symptom.';
      this.verifications.push({ step, suspect, phase: 'after_change', result, stated, text });
      return `${text} Changing this code carries ${s.risk} collateral risk.`;
    }
    this.checkedSinceChange = true;
    const attempt = this.verifyCount[suspect] as number;
    this.verifyCount[suspect] = attempt + 1;
    if (attempt >= VERIFY_DEPTH) {
      result = 'nothing_new';
      text = 'Nothing new: the experiment repeats what you already saw.';
    } else {
      const isReal = suspect === this.real;
      const [pc, pi] = (isReal ? VERIFY_P.real : VERIFY_P.decoy)[stated ? 'stated' : 'unstated'];
      const draw = s.verifyDraw[attempt] as number;
      result = draw < pc ? 'confirmed' : draw < pi ? 'inconclusive' : 'refuted';
      if (result === 'confirmed') {
        this.confirmed[suspect] = true;
        text = `Confirmed: ${s.root} Blast radius ${s.blast}; cards it hits: ${s.hits.length > 0 ? s.hits.map((c) => `[${c}]`).join(' ') : 'none'}.`;
      } else if (result === 'inconclusive') text = 'Inconclusive: the experiment neither reproduces nor rules out this cause.';
      else text = 'Refuted: with this suspect ruled out the failures still reproduce.';
    }
    this.verifications.push({ step, suspect, phase: 'before_change', result, stated, text });
    return `${text} Changing this code carries ${s.risk} collateral risk.`;
  }

  /** Cards dropped by a replan: known-invalid first, then unknown cards touching the area, lowest priority first. */
  private droppedCards(change: ReplanChange): Set<number> {
    const d = DROPS[change];
    const knownInvalid = new Set<number>();
    let blastKnown = false;
    // The candidate knows the real blast only from a confirmed verification of the real suspect;
    // a false confirmation of a decoy shows that decoy's (wrong) cards instead.
    for (let i = 0; i < SUSPECTS; i++)
      if (this.confirmed[i]) {
        blastKnown = true;
        for (const c of (this.suspects[i] as Suspect).hits) knownInvalid.add(c);
      }
    const order: number[] = [];
    const n = this.cards.length;
    for (let j = n - 1; j >= 0; j--) if (knownInvalid.has(j)) order.push(j);
    for (let j = n - 1; j >= 0; j--) if (!knownInvalid.has(j) && (this.cards[j] as Card).touchesArea && !blastKnown) order.push(j);
    for (let j = n - 1; j >= 0; j--) if (!order.includes(j)) order.push(j);
    return new Set(order.slice(0, d));
  }

  private rightChange(): ReplanChange {
    return REPLAN_CHANGES[Math.min(3, this.invalidCount)] as ReplanChange;
  }

  finish(): EpisodeResult {
    const links: DecisionLink[] = [];
    const fate = this.fate;
    const budget = this.daysLeft * 6;
    const replan = this.replan ?? { step: -1, change: 'keep' as ReplanChange, communicate: false };
    const right = this.rightChange();
    let lost = this.hours;

    // Still red when the sprint was replanned: the team keeps debugging.
    let foundLate = false;
    let greenAtEnd = this.green;
    if (!this.green) {
      foundLate = fate.foundLate < P_FOUND_LATE;
      lost += foundLate ? HOURS_RED_FOUND_LATE : HOURS_RED_NOT_FOUND;
      greenAtEnd = foundLate;
      links.push({
        step: -1,
        effect: 'tests_never_green',
        value: -0.3,
        note: foundLate
          ? 'the build was still red at replanning; the team found the cause days later'
          : 'the build stayed red through the sprint',
      });
    }
    // A patched (not fixed) cause comes back within the sprint.
    const recurredInSprint = this.patched && !this.rootFixed && fate.recurInSprint < P_RECUR_IN_SPRINT;
    if (recurredInSprint) lost += HOURS_RECURRENCE;
    // Collateral breakage never caught by a suite run escapes to review.
    const escaped = this.changes.filter((c) => c.collateral && c.caughtAt < 0);
    lost += HOURS_COLLATERAL_ESCAPED * escaped.length;

    // The replan: cards dropped, overhead, silent drops.
    const dropped = this.droppedCards(replan.change);
    if (replan.change === 'full') lost += HOURS_FULL_REPLAN;
    if (replan.communicate) lost += HOURS_COMMUNICATE;
    else lost += HOURS_SILENT_DROP * dropped.size;
    const delivery = deliver(this.cards, dropped, this.capacity, lost);
    // Hours burnt on kept undeliverable cards are velocity lost too.
    lost += delivery.burnt;
    const ideal = new Set<number>();
    for (let j = 0; j < this.cards.length; j++) if ((this.cards[j] as Card).invalid) ideal.add(j);
    const achievable = Math.max(1, deliver(this.cards, ideal, this.capacity, HOURS_IDEAL).points);
    const deliveryRatio = clamp01(delivery.points / achievable);
    let validDropped = 0;
    let invalidKept = 0;
    for (let j = 0; j < this.cards.length; j++) {
      const c = this.cards[j] as Card;
      if (c.invalid && !dropped.has(j)) invalidKept++;
      if (!c.invalid && dropped.has(j)) validDropped++;
    }

    // Later recurrence: the best learning about the real cause lowers it, if the cause was fixed.
    let bestLearning: 'none' | 'root_cause' | 'prevention' = 'none';
    for (const l of this.learnings)
      if (l.suspect === this.real && (l.kind === 'prevention' || (l.kind === 'root_cause' && bestLearning === 'none')))
        bestLearning = l.kind;
    const fixedForGood = this.rootFixed;
    const pLater = fixedForGood ? P_RECUR_LATER[bestLearning] : P_RECUR_LATER.unfixed;
    const recurredLater = fate.recurLater < pLater;
    const learningMattered = fixedForGood && bestLearning !== 'none' && fate.recurLater >= pLater && fate.recurLater < P_RECUR_LATER.none;

    const iterations = Math.max(this.changesToGreen, 0);
    const components: OutcomeComponents = {
      story_accepted: deliveryRatio,
      tests_passing: clamp01((greenAtEnd ? 1 : 0) - 0.5 * (escaped.length > 0 ? 1 : 0) - 0.5 * (recurredInSprint ? 1 : 0)),
      low_iteration_count: iterations > 0 ? clamp01(1 - (iterations - 1) / 3) : 0,
      velocity_maintained: clamp01(1 - lost / budget),
      low_rework: clamp01(1 - 0.5 * (recurredInSprint ? 1 : 0) - 0.5 * (recurredLater ? 1 : 0)),
      coverage_threshold: escaped.length > 0 ? 0 : 1,
    };

    // --- links -------------------------------------------------------------------------------
    for (const v of this.verifications) {
      if (v.phase === 'after_change') {
        if (v.result === 'collateral_caught')
          links.push({ step: v.step, effect: 'collateral_caught', target: `suspect_${v.suspect}`, value: 0.1, note: v.text });
        else if (v.result === 'symptom_only')
          links.push({ step: v.step, effect: 'symptom_exposed', target: `suspect_${v.suspect}`, value: 0.05, note: v.text });
        else links.push({ step: v.step, effect: 'fix_checked', target: `suspect_${v.suspect}`, value: 0.01, note: v.text });
      } else if (v.result === 'nothing_new')
        links.push({ step: v.step, effect: 'verification_repeated', target: `suspect_${v.suspect}`, value: -0.02, note: v.text });
      else if (v.suspect === this.real)
        links.push({
          step: v.step,
          effect: 'evidence_on_root_cause',
          target: `suspect_${v.suspect}`,
          value: 0.03,
          note: `${v.result} on the real cause`,
        });
      else if (v.result === 'refuted')
        links.push({
          step: v.step,
          effect: 'decoy_ruled_out',
          target: `suspect_${v.suspect}`,
          value: 0.02,
          note: 'a wrong suspect ruled out',
        });
      else if (v.result === 'confirmed')
        links.push({
          step: v.step,
          effect: 'false_confirmation',
          target: `suspect_${v.suspect}`,
          value: -0.02,
          note: 'the experiment misled',
        });
    }
    for (const h of this.hypotheses)
      links.push({
        step: h.step,
        effect: h.suspect === this.real ? 'hypothesis_right' : 'hypothesis_wrong',
        target: `suspect_${h.suspect}`,
        value: h.suspect === this.real ? 0.02 : -0.01,
        note: `hypothesis on ${(this.suspects[h.suspect] as Suspect).category}; the root cause was ${(this.suspects[this.real] as Suspect).category}`,
      });
    for (const c of this.changes) {
      const cat = (this.suspects[c.suspect] as Suspect).category;
      if (c.suspect === this.real && c.change === 'fix_cause')
        links.push({
          step: c.step,
          effect: 'root_cause_fixed',
          target: `suspect_${c.suspect}`,
          value: 0.2,
          note: `fixed ${cat} at the cause`,
        });
      else if (c.suspect === this.real)
        links.push({
          step: c.step,
          effect: 'symptom_patched',
          target: `suspect_${c.suspect}`,
          value: -0.1,
          note: `patched the symptom of ${cat}; the cause stayed${this.rootFixed ? ' until a later fix' : ''}`,
        });
      else
        links.push({
          step: c.step,
          effect: 'wrong_suspect_changed',
          target: `suspect_${c.suspect}`,
          value: -0.1,
          note: `changed ${cat}, which was not the cause`,
        });
      if (c.collateral)
        links.push({
          step: c.step,
          effect: c.caughtAt >= 0 ? 'collateral_introduced' : 'collateral_escaped',
          target: `suspect_${c.suspect}`,
          value: c.caughtAt >= 0 ? -0.03 : -0.2,
          note:
            c.caughtAt >= 0
              ? `the change broke something elsewhere; caught at step ${c.caughtAt}`
              : 'the change broke another card; nobody ran the suite',
        });
    }
    if (recurredInSprint)
      links.push({ step: -1, effect: 'recurred_in_sprint', value: -0.2, note: 'the patched cause came back within the sprint' });
    for (const l of this.learnings) {
      const onReal = l.suspect === this.real;
      const effect =
        l.kind === 'blame'
          ? 'learning_blame'
          : l.kind === 'symptom'
            ? 'learning_symptom'
            : !onReal
              ? 'learning_wrong_cause'
              : l.kind === 'prevention'
                ? 'learning_prevention'
                : 'learning_root_cause';
      const good = effect === 'learning_prevention' || effect === 'learning_root_cause';
      links.push({
        step: l.step,
        effect,
        target: `suspect_${l.suspect}`,
        value: good ? (learningMattered && l.kind === bestLearning ? 0.15 : 0.03) : -0.03,
        note: good
          ? learningMattered && l.kind === bestLearning
            ? 'the learning prevented a later recurrence'
            : 'a learning about the real cause'
          : `a ${l.kind.replace('_', ' ')} learning changes nothing`,
      });
    }
    if (this.learnings.length === 0) links.push({ step: -1, effect: 'no_learning', value: -0.05, note: 'moved on without reflection' });
    if (recurredLater)
      links.push({
        step: -1,
        effect: 'recurred_later',
        value: -0.1,
        note: fixedForGood ? `the same class of issue came back later (${bestLearning} learning)` : 'the unfixed cause came back later',
      });
    const dReplan = DROPS[replan.change] - DROPS[right];
    const replanEffect = dReplan === 0 ? 'replan_proportional' : dReplan < 0 ? 'replan_under' : 'replan_over';
    const replanNote = `${replan.change} when ${right} fit the damage: ${validDropped} valid card(s) dropped, ${invalidKept} invalid card(s) kept; ${delivery.points}/${achievable} achievable points delivered`;
    if (this.replan) {
      links.push({
        step: replan.step,
        effect: replanEffect,
        target: replan.change,
        value: dReplan === 0 ? 0.1 : -0.1,
        note: replanNote,
      });
      if (!replan.communicate && dropped.size > 0)
        links.push({ step: replan.step, effect: 'replan_silent', value: -0.05, note: 'dropped cards without telling the team' });
    } else links.push({ step: -1, effect: 'no_replan', value: -0.2, note: `never replanned: the old plan was forced. ${replanNote}` });

    // Calibration facts (B-30 reads them over a window).
    let brierSum = 0;
    let stated = 0;
    const score = (confidence: number | undefined, correct: boolean) => {
      if (confidence === undefined) return;
      stated++;
      brierSum += (confidence - (correct ? 1 : 0)) ** 2;
    };
    for (const h of this.hypotheses) score(h.confidence, h.suspect === this.real);
    for (const l of this.learnings) score(l.confidence, l.suspect === this.real);
    if (this.replan) score(this.replan.confidence, dReplan === 0);

    const lastChange = this.changes[this.changes.length - 1];
    const firstChange = this.changes[0];
    return {
      facts: {
        realSuspect: this.real,
        realCategory: (this.suspects[this.real] as Suspect).category,
        loudestIsReal: (this.suspects[this.real] as Suspect).loudest,
        hypotheses: this.hypotheses.length,
        verifications: this.verifications.length,
        verificationsBeforeChange: this.verifications.filter((v) => v.phase === 'before_change').length,
        rootCauseConfirmed: this.confirmed[this.real] === true,
        changes: this.changes.length,
        wrongChanges: this.changes.filter((c) => c.suspect !== this.real).length,
        firstChangeVerified: firstChange?.verifiedBefore ?? false,
        lastChangeSuspect: lastChange?.suspect ?? -1,
        rootCauseFixed: this.rootFixed,
        symptomPatched: this.patched,
        symptomExposed: this.symptomSeen,
        greenInEpisode: this.green,
        greenAtEnd,
        foundLate,
        hoursToGreen: this.hoursToGreen,
        changesToGreen: this.changesToGreen,
        collateralIntroduced: this.changes.filter((c) => c.collateral).length,
        collateralCaught: this.changes.filter((c) => c.collateral && c.caughtAt >= 0).length,
        collateralEscaped: escaped.length,
        recurredInSprint,
        recurredLater,
        bestLearning,
        learnings: this.learnings.length,
        learningPrevented: learningMattered,
        replanned: this.replan !== undefined,
        replanChange: replan.change,
        rightChange: right,
        replanDistance: dReplan,
        communicated: replan.communicate,
        cardCount: this.cards.length,
        invalidCards: this.invalidCount,
        validCardsDropped: validDropped,
        invalidCardsKept: invalidKept,
        deliveredPoints: delivery.points,
        achievablePoints: achievable,
        deliveryRatio: round3(deliveryRatio),
        reportedSeverity: this.reportedSeverity,
        lostHours: Math.round(lost * 10) / 10,
        budgetHours: budget,
        confidenceStatements: stated,
        calibrationBrier: stated > 0 ? round3(brierSum / stated) : -1,
      },
      components,
      links,
    };
  }

  hidden(): Record<string, unknown> {
    const real = this.suspects[this.real] as Suspect;
    return {
      realSuspect: this.real,
      realCategory: real.category,
      rootCause: real.root,
      blastRadius: real.blast,
      invalidCards: real.hits.slice(),
      rightChange: this.rightChange(),
      suspects: this.suspects.map((s) => ({ category: s.category, collateralRisk: s.risk })),
      recurrenceLaterDraw: round3(this.fate.recurLater),
    };
  }

  secrets(): Secret[] {
    const real = this.suspects[this.real] as Suspect;
    const out: Secret[] = [
      { id: 'root_cause', text: real.root, revealed: this.confirmed[this.real] === true },
      {
        id: 'plan_validity',
        text: `Undeliverable this sprint: ${real.hits.length > 0 ? real.hits.map((c) => (this.cards[c] as Card).title).join(', ') : 'no card'}; the rest of the plan holds.`,
        revealed: false,
      },
    ];
    for (let i = 0; i < SUSPECTS; i++) {
      const s = this.suspects[i] as Suspect;
      out.push({
        id: `collateral_risk_${i}`,
        text: `Changing the ${s.category} code risks collateral damage at the ${s.risk} level.`,
        revealed: this.riskRevealed[i] === true,
      });
    }
    return out;
  }
}

const SUSPECT_ARG = { kind: 'int', min: 0, max: SUSPECTS - 1, description: 'index of a suspect in the list' } as const;

export const recovery: EpisodeWorld = {
  name: 'recovery',
  summary:
    'After a disturbance turned the build red under sprint-deadline pressure: verify hypotheses, fix the root cause (not the loudest symptom) without collateral damage, replan the sprint in proportion to the damage, and capture a learning that prevents recurrence.',
  actions: {
    diagnose_root_cause: {
      description:
        'Name a suspect as the root cause. change=state_only states the hypothesis without touching code; fix_cause changes the code at the cause; patch_symptom silences the failing tests where they fail.',
      args: {
        suspect: SUSPECT_ARG,
        change: { kind: 'enum', values: CHANGES, description: 'state the hypothesis only, fix the cause, or patch the symptom' },
      },
      asserts: true,
    },
    verify_hypothesis: {
      description:
        'Check a suspect: before changing it, an experiment that confirms, refutes or is inconclusive (and shows the collateral risk of changing it); after changing it, run the full suite to catch regressions.',
      args: { suspect: SUSPECT_ARG },
    },
    replan_sprint: {
      description:
        'Replan the rest of the sprint (ends the recovery): keep the plan, or drop 1 (minimal), 2 (partial) or 3 cards and re-plan everything (full); communicate says whether the team and product owner are told what changed and why.',
      args: {
        change: { kind: 'enum', values: REPLAN_CHANGES, description: 'size of the plan change' },
        communicate: { kind: 'bool', description: 'tell the team and product owner what changed and why' },
      },
      asserts: true,
    },
    capture_learning: {
      description: 'Record a learning for the team about a suspect: its root cause, a prevention, the symptom seen, or who/what to blame.',
      args: {
        kind: { kind: 'enum', values: LEARNING_KINDS, description: 'what the learning records' },
        suspect: SUSPECT_ARG,
      },
      asserts: true,
    },
  },
  maxTurns: 28,
  levers: [
    {
      name: 'verify_before_fix',
      direction: 'up',
      description:
        'Stating a hypothesis and verifying it before changing code finds the real cause (the loudest symptom is usually a decoy): fewer changes to green, fewer wrong changes with their collateral risk.',
    },
    {
      name: 'fix_root_cause',
      direction: 'up',
      description:
        'Fixing the cause rather than patching the symptom: a patch turns the tests green but the cause returns within the sprint 75% of the time (+8 h, tests red again, rework).',
    },
    {
      name: 'change_without_suite',
      direction: 'down',
      description:
        'A change not followed by a suite run (verify_hypothesis after the change) lets collateral breakage escape: +6 h, a card broken in review, coverage lost.',
    },
    {
      name: 'proportional_replan',
      direction: 'up',
      description:
        'A replan whose size matches the damage (verified blast radius) keeps every valid card and drops the invalid ones; forcing the old plan wastes hours on undeliverable cards, throwing the plan away drops valid work.',
    },
    {
      name: 'silent_replan',
      direction: 'down',
      description: 'Dropping cards without telling the team costs 2 h per dropped card the team kept working on.',
    },
    {
      name: 'root_cause_learning',
      direction: 'up',
      description:
        'A root-cause (25%) or prevention (10%) learning about the real cause lowers the later-recurrence chance from 50%; symptom or blame learnings change nothing.',
    },
    {
      name: 'random_changes',
      direction: 'down',
      description: 'Changing suspects that are not the cause costs hours, keeps the build red and risks collateral damage.',
    },
  ],
  vocabulary: [
    'task:recovery',
    ...DISTURBANCES.map((d) => `dist:${d}`),
    ...SEVERITIES.map((s) => `sev:${s}`),
    ...[3, 4, 5, 6, 7].map((d) => `days_left:${d}`),
    ...[0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((p) => `failing:p${p}`),
    'tests:green',
    'tests:red',
    ...[0, 1, 2, 3, 4, 5].flatMap((j) => [...[1, 2, 3, 5].map((p) => `card${j}:pts${p}`), `card${j}:touches`, `affected:card${j}`]),
    ...[0, 1, 2, 3].flatMap((i) => [
      ...SUSPECT_CATEGORIES.map((c) => `s${i}:${c}`),
      `s${i}:explains_all`,
      `s${i}:explains_some`,
      `s${i}:loudest`,
      ...RISKS.map((r) => `s${i}:risk_${r}`),
      ...BLAST_RADII.map((b) => `s${i}:blast_${b}`),
      `hyp:s${i}`,
      `verify:s${i}`,
      `fix_cause:s${i}`,
      `patch_symptom:s${i}`,
      `learned:s${i}`,
    ]),
    ...[...VERDICTS, ...SUITE_RESULTS].map((r) => `result:${r}`),
    ...LEARNING_KINDS.map((k) => `learned:${k}`),
  ],
  create: (rng, options) => new RecoveryEpisode(rng, options),
};
