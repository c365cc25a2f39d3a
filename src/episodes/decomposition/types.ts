/**
 * What a decomposition episode shows, reports and hides: the typed `View` the candidate acts on, the
 * outcome `Facts` of `finish()` and the `Hidden` truth written to the trace.
 */
import type { Trace } from '../../core/trace.js';
import type { CueKind, DepKind, Evidence, TrueDep } from '../../sim/task-graph.js';
import type { Domain, StoryPoints } from '../../spec/episodes.js';

/** How strongly a comparison's evidence favours an approach (higher is better). */
export const EVIDENCE_RANK: Readonly<Record<Evidence, number>> = { promising: 2, mixed: 1, doubtful: 0 };

/** One work component as listed to the candidate. */
export type ComponentView = {
  index: number;
  /** `C<index>`. */
  id: string;
  title: string;
  /** Noisy estimate of the true effort, in pair-hours. */
  estimateHours: number;
  description: string;
  /** Noisy cues; `ref` is the component a `needs` / `reuses` cue points at. */
  cues: { kind: CueKind; ref?: number }[];
};

/** One candidate approach; `evidence` appears once a comparison has covered it. */
export type ApproachView = {
  index: number;
  title: string;
  summary: string;
  proposed: boolean;
  evidence?: Evidence;
};

/** One task of the plan: `part` is its 0-based part index within its component. */
export type TaskView = { index: number; component: number; part: number };

/** A declared dependency: `to` waits for (hard) or builds on (soft) `from`. */
export type DependencyView = { from: number; to: number; kind: DepKind };

export type DecompositionView = {
  story: { id: string; title: string; narrative: string; description: string[]; domain: Domain; points: StoryPoints };
  team: { pairs: number; sprintDaysLeft: number; focusHoursPerDay: number; sessionHours: number };
  components: ComponentView[];
  approaches: ApproachView[];
  /** The plan so far, in plan (creation) order. */
  tasks: TaskView[];
  dependencies: DependencyView[];
  /** Flagged components, in the order they were flagged. */
  flaggedComponents: number[];
  /** The approach proposed last (the one the team will take); null before any proposal. */
  chosenApproach: number | null;
  compared: boolean;
  /** Tasks per story point, rounded to 3 decimals. */
  tasksPerPoint: number;
};

/**
 * Outcome facts. A plan without tasks reports only the facts every plan has; the optional ones are
 * those of an executed plan.
 */
export type DecompositionFacts = {
  planComplete: boolean;
  storyAccepted: boolean;
  components: number;
  componentsPlanned: number;
  missingComponents: number;
  tasksCreated: number;
  tasksPerPoint: number;
  granularityInRange: boolean;
  /** Tasks that fit one session. */
  completableTasks?: number;
  completability?: number;
  /** Tasks beyond two per story point (each costs coordination hours). */
  excessTasks?: number;
  realDependencies: number;
  /** Real dependencies between two planned components. */
  realDependenciesMet?: number;
  realDependenciesIdentified?: number;
  dependencyRecall?: number;
  realHardDependencies: number;
  /** Real hard dependencies declared hard. */
  hardDependenciesIdentified?: number;
  falseDependencies?: number;
  declaredDependencies?: number;
  typingCorrect?: number;
  typingAccuracy?: number;
  /** Real hard dependencies between planned components declared neither way. */
  missedHardDependencies?: number;
  blockedEvents?: number;
  blockedHours?: number;
  softCollisions?: number;
  deadlocksBroken?: number;
  riskyComponents?: number;
  /** The riskiest planned component (-1: none planned). */
  riskiestComponent?: number;
  /** Plan position of the riskiest planned component's first task (-1: none). */
  riskiestTaskPosition?: number;
  riskyTaskPositionScore?: number;
  risksIdentified?: number;
  risksIdentifiedRisky?: number;
  risksMaterialized?: number;
  /** Materialized risks that were flagged. */
  predictedRisksMaterialized?: number;
  riskPrediction?: number;
  unflaggedRisksMaterialized?: number;
  /** Flagged components that are planned (each runs a spike). */
  spikes?: number;
  riskReworkHours?: number;
  externalDependencies?: number;
  externalFlagged?: number;
  externalDiscoveredLate?: number;
  approachesAvailable?: number;
  approachesConsidered: number;
  approachesCompared: boolean;
  chosenApproach?: number;
  approachSurvived?: boolean;
  pivot?: boolean;
  pivotReworkHours?: number;
  /** Busy pair-hours over the makespan. */
  parallelism?: number;
  idleHours?: number;
  cycleTimeDays?: number;
  idealCycleTimeDays?: number;
  sprintDaysLeft: number;
  finishedInSprint: boolean;
  reworkHours?: number;
  coordinationHours?: number;
  iterations?: number;
  testsPassing?: number;
  coverage?: number;
};

/** A component's hidden truth. */
export type ComponentTruth = {
  index: number;
  title: string;
  /** Architectural layer 0..3 (foundation .. quality/ops). */
  layer: number;
  /** True effort in pair-hours. */
  effort: number;
  /** Probability that its uncertainty materializes. */
  risk: number;
  /** The pre-drawn fate of that uncertainty. */
  riskMaterializes: boolean;
  riskReason: string;
  /** Working days of waiting on another team (0: none). */
  externalDays: number;
  externalReason: string;
};

/** An approach's hidden truth. */
export type ApproachTruth = {
  index: number;
  title: string;
  /** Works in execution without a major pivot. */
  survives: boolean;
  verdict: string;
  /** The noisy evidence a comparison reveals. */
  evidence: Evidence;
};

export type DecompositionHidden = {
  pairs: number;
  /** Cycle time of a well-informed plan, rounded to 1 decimal. */
  idealCycleHours: number;
  components: ComponentTruth[];
  dependencies: TrueDep[];
  approaches: ApproachTruth[];
};

/** A finished decomposition episode's trace. */
export type DecompositionTrace = Trace<DecompositionFacts, DecompositionHidden>;
