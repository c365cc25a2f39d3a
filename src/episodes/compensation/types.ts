/**
 * What a compensation episode shows, reports and hides: the typed `View` the candidate acts on, the
 * outcome `Facts` of `finish()` and the `Hidden` truth written to the trace.
 */
import type { BlastRadius, Severity } from '../../spec/curriculum.js';

/** The artifact sources the departed member left behind. */
export const SOURCES = ['commits', 'docs', 'tickets', 'chat', 'tests'] as const;
export type Source = (typeof SOURCES)[number];

/** What a source holds on a lost area. */
export const HOLDS = ['full', 'partial', 'none'] as const;
export type Holds = (typeof HOLDS)[number];

export const COMMITMENT_DECISIONS = ['keep', 'drop', 'commit'] as const;
export type CommitmentDecision = (typeof COMMITMENT_DECISIONS)[number];

export const DOC_HABITS = ['rare', 'some', 'thorough'] as const;
export const COMMIT_HABITS = ['terse', 'detailed'] as const;
export const TEST_HABITS = ['sparse', 'thorough'] as const;

/** How thoroughly the departed member wrote docs, commit messages and tests. */
export type Habits = {
  docs: (typeof DOC_HABITS)[number];
  commits: (typeof COMMIT_HABITS)[number];
  tests: (typeof TEST_HABITS)[number];
};

/** How a recovery attempt worked: from a found full or partial artifact, or by reading the code. */
export type RecoveryVia = 'full' | 'partial' | 'rediscover';
/** How a lost area was recovered. */
export type Recovery = 'specialist' | 'rediscovered' | 'from a full artifact' | 'from a partial artifact';

/** One remaining member; `index` is the `member` argument. */
export type MemberView = {
  index: number;
  name: string;
  nominalHours: number;
  onCall: boolean;
  /** Knowledge areas the member knows, ascending. */
  knows: number[];
  /** Hours of the kept cards the member owns. */
  assignedHours: number;
};

export type AreaView = {
  index: number;
  name: string;
  /** Known only by the departed member. */
  lost: boolean;
  complexity: 'simple' | 'complex';
  recovered: Recovery | null;
  failedAttempts: number;
};

export type CardView = {
  index: number;
  hours: number;
  area: number;
  /** The product owner's priority, 0 first. */
  priority: number;
  /** Owner at the start: a member index, or -1 for the departed member. */
  originalOwner: number;
  /** Owner now; -1 while nobody owns it. */
  owner: number;
  dropped: boolean;
};

export type SearchView = { source: Source; found: { area: number; holds: Holds }[] };

export type CompensationView = {
  departed: { name: string; habits: Habits };
  members: MemberView[];
  areas: AreaView[];
  cards: CardView[];
  /** Every search in order; a repeated search found nothing (`found` is empty). */
  searches: SearchView[];
  attempts: { area: number; ok: boolean; via: RecoveryVia }[];
  /** Areas a specialist was requested for, in order. */
  specialists: number[];
  assessments: { severity: Severity; radius: BlastRadius; confidence: number | null }[];
  /** Team hours spent on the candidate's actions. */
  hoursSpent: number;
};

/** The last assessment against the true severity; `none` without an assessment. */
export type AssessmentEffect = 'none' | 'matched' | 'optimistic' | 'pessimistic';

export type CompensationFacts = {
  committed: boolean;
  trueSeverity: Severity;
  trueRadius: BlastRadius;
  assessedSeverity: Severity | 'none';
  assessedRadius: BlastRadius | 'none';
  assessment: AssessmentEffect;
  assessments: number;
  lostAreas: number;
  recoveredAreas: number;
  unrecoverableAreas: number;
  searches: number;
  redundantSearches: number;
  recoveryAttempts: number;
  failedRecoveries: number;
  specialists: number;
  specialistsUnneeded: number;
  regressions: number;
  orphanedCards: number;
  /** Planned effort over the capacity left, minus one, in [0, 1]. */
  overcommitPressure: number;
  droppedCards: number;
  droppedHours: number;
  idealDropHours: number;
  committedHours: number;
  originalHours: number;
  deliveredHours: number;
  /** Delivered share of the committed hours (the original plan without `commit`). */
  commitmentKept: number;
  allDelivered: boolean;
  /** Delivered share of the hours an ideal plan keeps. */
  goalDelivered: number;
  achievableHours: number;
  realCapacity: number;
  teamHoursSpent: number;
  /** The other team's hours lost to specialists the team did not need. */
  needlessCrossHours: number;
  velocityEffect: number;
  confidenceStatements: number;
  /** Mean Brier score of the stated confidences; -1 when none was stated. */
  calibrationBrier: number;
};

/** One lost or covered area's hidden truth. */
export type HiddenArea = {
  index: number;
  lost: boolean;
  complex: boolean;
  /** The code can be read back (a rediscovery or a partial record can work). */
  rediscoverable: boolean;
  /** Lost, with no full record and no reading back: only a specialist recovers it. */
  unrecoverable: boolean;
  holds: Record<Source, Holds>;
};

/** The truth a scenario's draw implies. */
export type CompensationTruth = {
  severity: Severity;
  radius: BlastRadius;
  /** Committed hours over the real capacity left after the cheapest recovery. */
  ratio: number;
  realCapacity: number;
  idealOverhead: number;
  idealDropHours: number;
  /** Cards an ideal plan keeps (highest priority first within the capacity). */
  idealKept: number[];
  /** Hours of committed work an ideal plan can deliver. */
  achievable: number;
};

export type CompensationHidden = Omit<CompensationTruth, 'achievable'> & {
  members: { index: number; realHours: number; drain: number }[];
  areas: HiddenArea[];
};
