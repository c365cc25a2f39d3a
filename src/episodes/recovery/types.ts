/**
 * What a recovery episode shows, reports and hides: the typed `View` the candidate acts on, the
 * outcome `Facts` of `finish()` and the `Hidden` truth written to the trace, with the action
 * vocabularies they use.
 */
import type { BlastRadius, Severity } from '../../spec/curriculum.js';

export const SUSPECT_CATEGORIES = [
  'dependency_bump',
  'merge_resolution',
  'flaky_timing',
  'config_drift',
  'schema_migration',
  'fixture_data',
] as const;
export type SuspectCategory = (typeof SUSPECT_CATEGORIES)[number];

/** The `change` argument of `diagnose_root_cause`. */
export const CHANGES = ['state_only', 'fix_cause', 'patch_symptom'] as const;
export type Change = (typeof CHANGES)[number];
/** A change that touches code. */
export type CodeChange = Exclude<Change, 'state_only'>;

/** The `change` argument of `replan_sprint`, from no change to re-planning everything. */
export const REPLAN_CHANGES = ['keep', 'minimal', 'partial', 'full'] as const;
export type ReplanChange = (typeof REPLAN_CHANGES)[number];

export const LEARNING_KINDS = ['root_cause', 'prevention', 'symptom', 'blame'] as const;
export type LearningKind = (typeof LEARNING_KINDS)[number];
/** The learning about the real cause that lowers the later-recurrence chance most; `none` when no such learning. */
export type BestLearning = 'none' | 'root_cause' | 'prevention';

/** Results of a verification before a change on the suspect (an experiment). */
export const VERDICTS = ['confirmed', 'inconclusive', 'refuted', 'nothing_new'] as const;
/** Results of a verification after a change on the suspect (a full suite run). */
export const SUITE_RESULTS = ['fix_holds', 'still_failing', 'collateral_caught', 'symptom_only'] as const;
export type Verdict = (typeof VERDICTS)[number];
export type SuiteResult = (typeof SUITE_RESULTS)[number];
export type VerificationPhase = 'before_change' | 'after_change';

/** The blast-radius and severity scales of B-13, from the curriculum. */
export { BLAST_RADII, type BlastRadius, SEVERITIES, type Severity } from '../../spec/curriculum.js';
/** Collateral risk of changing a suspect's code. */
export const RISKS = ['low', 'high'] as const;
export type Risk = (typeof RISKS)[number];

/** The disturbance the team saw first (curriculum disturbance names). */
export const DISTURBANCES = [
  'dependency_breaks',
  'merge_conflict',
  'flaky_test',
  'architectural_debt_surfaces',
  'junior_misunderstanding',
] as const;
export type Disturbance = (typeof DISTURBANCES)[number];

export type RecoveryView = {
  task: { title: string; area: string; disturbance: Disturbance; reportedSeverity: Severity };
  sprint: {
    daysLeft: number;
    capacityHours: number;
    /** The committed cards, in priority order. */
    cards: { index: number; title: string; points: number; hours: number; touchesArea: boolean }[];
  };
  tests: { total: number; failing: number; green: boolean };
  suspects: {
    index: number;
    category: SuspectCategory;
    symptom: string;
    failingTestsExplained: number;
    /** Loudest in the logs (usually not the cause). */
    loudest: boolean;
    /** Shown once the suspect was verified. */
    collateralRisk: Risk | null;
    /** Shown once a verification confirmed the suspect. */
    blastRadius: BlastRadius | null;
    /** Indexes of the cards the suspect makes undeliverable, shown once a verification confirmed it. */
    affectedCards: number[] | null;
  }[];
  hypotheses: { suspect: number }[];
  verifications: { step: number; suspect: number; phase: VerificationPhase; result: Verdict | SuiteResult; text: string }[];
  changes: { step: number; suspect: number; change: CodeChange; green: boolean }[];
  learnings: { kind: LearningKind; suspect: number }[];
  hoursSpent: number;
};

export type RecoveryFacts = {
  realSuspect: number;
  realCategory: SuspectCategory;
  loudestIsReal: boolean;
  hypotheses: number;
  verifications: number;
  verificationsBeforeChange: number;
  /** A verification confirmed the real suspect. */
  rootCauseConfirmed: boolean;
  changes: number;
  wrongChanges: number;
  firstChangeVerified: boolean;
  /** -1 without a change. */
  lastChangeSuspect: number;
  rootCauseFixed: boolean;
  symptomPatched: boolean;
  /** A suite run showed the patch on the real cause was symptom-only. */
  symptomExposed: boolean;
  greenInEpisode: boolean;
  greenAtEnd: boolean;
  /** Still red at replanning, and the team found the cause later in the sprint. */
  foundLate: boolean;
  /** Recovery hours when the tests turned green; -1 if never. */
  hoursToGreen: number;
  /** Changes until green; -1 if never. */
  changesToGreen: number;
  collateralIntroduced: number;
  collateralCaught: number;
  collateralEscaped: number;
  recurredInSprint: boolean;
  recurredLater: boolean;
  bestLearning: BestLearning;
  learnings: number;
  /** A learning turned a later recurrence into none. */
  learningPrevented: boolean;
  replanned: boolean;
  /** `keep` when the turn limit came first. */
  replanChange: ReplanChange;
  /** The replan that fits the real damage. */
  rightChange: ReplanChange;
  /** Cards dropped by the replan minus cards the right replan drops. */
  replanDistance: number;
  communicated: boolean;
  cardCount: number;
  invalidCards: number;
  validCardsDropped: number;
  invalidCardsKept: number;
  deliveredPoints: number;
  /** Points an ideal recovery delivers (at least 1). */
  achievablePoints: number;
  deliveryRatio: number;
  reportedSeverity: Severity;
  lostHours: number;
  budgetHours: number;
  /** Hypotheses, learnings and the replan that carried a confidence. */
  confidenceStatements: number;
  /** Mean Brier score of those confidences; -1 without any. */
  calibrationBrier: number;
};

export type RecoveryHidden = {
  realSuspect: number;
  realCategory: SuspectCategory;
  rootCause: string;
  blastRadius: BlastRadius;
  /** Indexes of the cards the disturbance makes undeliverable this sprint. */
  invalidCards: number[];
  rightChange: ReplanChange;
  suspects: { category: SuspectCategory; collateralRisk: Risk }[];
  /** The pre-drawn later-recurrence fate, rounded: a recurrence when below the chance that applies. */
  recurrenceLaterDraw: number;
};
