/**
 * What a self-monitoring episode shows, reports and hides: the typed `View` the candidate acts on,
 * the outcome `Facts` of `finish()` and the `Hidden` truth written to the trace.
 */

/** What a suspect may be: the category of a candidate explanation of the failing tests. */
export const ISSUE_CATEGORIES = [
  'race_condition',
  'requirements_misread',
  'dependency_mismatch',
  'knowledge_gap',
  'design_limit',
  'external_blocker',
] as const;
export type IssueCategory = (typeof ISSUE_CATEGORIES)[number];

/** The checkpoint decisions; each suspect's resolution is one of them. */
export const DECISIONS = ['continue', 'pivot', 'escalate'] as const;
export type Decision = (typeof DECISIONS)[number];

/** Progress estimates, from best to worst; the true state is one of them. */
export const ESTIMATES = ['on_track', 'behind', 'stuck'] as const;
export type Estimate = (typeof ESTIMATES)[number];

/** How far each estimate is from on_track (an estimate below the true state is optimistic). */
export const ESTIMATE_ORDER: Record<Estimate, number> = { on_track: 0, behind: 1, stuck: 2 };

/** How research describes a suspect's resolution, in the view. */
export const RESOLUTION_HINTS = { continue: 'fixable_in_place', pivot: 'needs_new_approach', escalate: 'needs_outside_help' } as const;
export type ResolutionHint = (typeof RESOLUTION_HINTS)[Decision];

/** How strongly a finding ties a suspect to the failing tests. */
export const RELEVANCE = ['strong', 'weak', 'none'] as const;
export type Relevance = (typeof RELEVANCE)[number];

export type FindingAction = 'research' | 'reread_requirements';

/** The class of gap behind the real issue's resolution (B-10 / B-12 diagnosis). */
export type GapClass = 'wrong_approach' | 'external_blocker' | 'expert_required' | 'researchable' | 'fixable_bug';
/** The class of gap the checkpoint decision implies; `none` without a decision. */
export type DecidedGap = 'none' | 'wrong_approach' | 'outside_help' | 'fixable_in_team';

/** One suspect, as the candidate sees it. */
export type PublicSuspect = {
  index: number;
  category: IssueCategory;
  symptom: string;
  /** Failing tests this suspect could explain (all of them, or some). */
  failingTestsExplained: number;
  /** Whether it is the loudest in the logs (a decoy 70% of the time). */
  loudest: boolean;
};

/** What one research or reread found. */
export type PublicFinding = {
  action: FindingAction;
  /** The suspect concerned; -1 for a reread when no suspect is a misread requirement. */
  suspect: number;
  /** Null when the action found nothing new. */
  relevance: Relevance | null;
  resolutionHint: ResolutionHint | null;
  text: string;
};

export type SelfMonitoringView = {
  task: { title: string; area: string };
  /** The plan's progress estimate (overstated), the days left and the number of acceptance criteria. */
  plan: { plannedProgress: number; daysLeft: number; acceptanceCriteria: number };
  tests: { total: number; passing: number; failing: number };
  /** Recent fix attempts that did not reduce the failures. */
  attemptsWithoutProgress: number;
  suspects: PublicSuspect[];
  findings: PublicFinding[];
  requirementsReread: boolean;
  /** Acceptance criteria demonstrably met, known after a reread. */
  criteriaMet: number | null;
  assessments: { estimate: Estimate; confidence: number | null }[];
  identified: { suspect: number; confidence: number | null }[];
  /** Research and reread actions so far (past four each costs double). */
  investigativeActions: number;
  hoursSpent: number;
};

export type SelfMonitoringFacts = {
  decision: Decision | 'none';
  rightDecision: Decision;
  decisionRight: boolean;
  /** -1 when the decision stated no confidence. */
  decisionConfidence: number;
  checkpointMissed: boolean;
  realSuspect: number;
  realCategory: IssueCategory;
  /** The last suspect named; -1 when none. */
  identifiedSuspect: number;
  /** Whether the last suspect named is the real one. */
  plantedIssueFound: boolean;
  /** -1 when no identification stated a confidence. */
  identifyConfidence: number;
  identifications: number;
  /** Whether a wrong suspect was named (a fix attempt that could not work). */
  wrongFixAttempted: boolean;
  /** Continued rightly without naming the real issue: it stayed in place. */
  issueLeftInPlace: boolean;
  /** Continued rightly after naming the real issue: the fix landed. */
  fixLanded: boolean;
  /** Pivoted rightly without naming the flaw, and the new approach repeated it. */
  repeatedFlaw: boolean;
  trueState: Estimate;
  /** The last assessment; `none` without one. */
  assessedState: Estimate | 'none';
  assessmentMatched: boolean;
  assessmentOptimistic: boolean;
  assessmentPessimistic: boolean;
  /** -1 when the last assessment stated no confidence. */
  assessmentConfidence: number;
  assessments: number;
  /** An honest assessment of a behind or stuck state let the team replan. */
  replanned: boolean;
  plannedProgress: number;
  trueProgress: number;
  progressOverstatement: number;
  /** Assertions that stated a confidence (B-30 reads these over a window). */
  confidenceStatements: number;
  /** Mean Brier score of the stated confidences; -1 when none. */
  calibrationBrier: number;
  stuckTrue: boolean;
  stuckDetected: boolean;
  /** Step of the first stuck signal (stuck assessment, pivot or escalation); -1 when none. */
  stuckDetectionStep: number;
  attemptsWithoutProgress: number;
  escalated: boolean;
  escalationNeeded: boolean;
  escalationAppropriate: boolean;
  unnecessaryEscalation: boolean;
  gapCategory: GapClass;
  gapCategorized: DecidedGap;
  gapCategorizationRight: boolean;
  /** The real suspect was researched, or (for a misread requirement) the requirements reread. */
  gapResearched: boolean;
  requirementsMisread: boolean;
  rereadRequirements: boolean;
  researchActions: number;
  researchedRealSuspect: boolean;
  investigativeActions: number;
  /** Investigative actions past the budget of four. */
  excessInvestigation: number;
  rootCauseRevealed: boolean;
  resolutionRevealed: boolean;
  actionsUsed: number;
  storyAccepted: boolean;
  iterations: number;
  reworkCount: number;
  lostHours: number;
  budgetHours: number;
  velocityEffect: number;
  testsPassingFinal: number;
  failingTestsAtCheckpoint: number;
};

export type SelfMonitoringHidden = {
  /** Index of the real (planted) issue among the suspects. */
  realSuspect: number;
  realCategory: IssueCategory;
  rootCause: string;
  /** The real suspect's resolution. */
  rightDecision: Decision;
  trueState: Estimate;
  trueProgress: number;
  plannedProgress: number;
  criteriaMet: number;
  suspects: { category: IssueCategory; resolution: Decision; root: string }[];
};
