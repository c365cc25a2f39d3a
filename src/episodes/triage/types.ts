/**
 * What a triage episode shows, reports and hides: the typed `View` the candidate acts on, the
 * outcome `Facts` of `finish()` and the `Hidden` truth written to the trace.
 */
import type { BlastRadius, DisturbanceType, Severity } from '../../spec/curriculum.js';

/** The symptom areas: impact (severity), spread (blast radius), ownership (whose code). */
export const AREAS = ['impact', 'spread', 'ownership'] as const;
export type Area = (typeof AREAS)[number];

/** Where the cause sits: in code the team owns, or outside its reach. */
export const OWNERS = ['team', 'outside'] as const;
export type Owner = (typeof OWNERS)[number];

export const RESPONSES = ['fix_now', 'defer', 'escalate'] as const;
export type Response = (typeof RESPONSES)[number];

/** Who a message goes to: the team, the product owner, the team lead. */
export const AUDIENCES = ['team', 'po', 'lead'] as const;
export type Audience = (typeof AUDIENCES)[number];

export const CONTENTS = ['assessment', 'status', 'blocker'] as const;
export type Content = (typeof CONTENTS)[number];

/** The severity and blast-radius scales' ranks, from the curriculum. */
export { RADIUS_RANK, SEVERITY_RANK } from '../../spec/curriculum.js';

/** A value on one area's scale: a severity (impact), a blast radius (spread) or an owner (ownership). */
export type Reading = Severity | BlastRadius | Owner;

/** The first-impression readings of the three areas (noisy; impact leans alarmist). */
export type Readings = { impact: Severity; spread: BlastRadius; ownership: Owner };

export type CardStatus = 'in_progress' | 'review';

export type TriageView = {
  sprint: {
    day: number;
    length: number;
    daysLeft: number;
    story: string;
    cardsInProgress: { index: number; title: string; points: number; status: CardStatus }[];
  };
  disturbance: { type: DisturbanceType; title: string };
  /** One symptom per area, in `AREAS` order: the reading and its text. */
  symptoms: { area: Area; reading: Reading; text: string }[];
  /** Investigation results; `value` is null when a look found nothing new. */
  findings: { area: Area; value: Reading | null; text: string }[];
  /** The last ratings and their stated confidences (null when none). */
  assessed: { severity: Severity | null; radius: BlastRadius | null; severityConfidence: number | null; radiusConfidence: number | null };
  communications: { audience: Audience; content: Content }[];
  investigations: number;
  hoursSpent: number;
};

export type TriageFacts = {
  disturbance: DisturbanceType;
  trueSeverity: Severity;
  trueRadius: BlastRadius;
  owner: Owner;
  daysLeft: number;
  rightResponse: Response;
  response: Response | 'none';
  responseRight: boolean;
  /** -1 when the response stated no confidence. */
  responseConfidence: number;
  noResponse: boolean;
  /** The last ratings; `none` when not rated. */
  assessedSeverity: Severity | 'none';
  assessedRadius: BlastRadius | 'none';
  severityAccurate: boolean;
  /** Rated minus true severity rank; -9 when not rated. */
  severityError: number;
  radiusAccurate: boolean;
  /** Rated minus true blast-radius rank; -9 when not rated. */
  radiusError: number;
  severityAssessments: number;
  radiusAssessments: number;
  reactedBeforeAssessing: boolean;
  /** The impact was investigated (with a finding) before the first severity rating. */
  investigatedBeforeSeverity: boolean;
  investigations: number;
  /** Investigations past the budget of three. */
  excessInvestigation: number;
  impactInvestigated: boolean;
  spreadInvestigated: boolean;
  ownershipInvestigated: boolean;
  messages: number;
  /** Comma-separated audiences that needed the assessment, in `AUDIENCES` order. */
  neededAudiences: string;
  /** Comma-separated needed audiences that were informed. */
  informedAudiences: string;
  neededInformed: number;
  neededCount: number;
  /** Comma-separated needed audiences left uninformed. */
  uninformed: string;
  /** The cause sits outside the team and the severity is at least medium. */
  blockerExists: boolean;
  blockerReported: boolean;
  falseBlockers: number;
  alarmSpread: boolean;
  redundantMessages: number;
  swarmHours: number;
  reactionHours: number;
  recoveryHours: number;
  damageHours: number;
  wasteHours: number;
  coordinationHours: number;
  lostHours: number;
  slackHours: number;
  budgetHours: number;
  /** Lost hours within the sprint's slack, with a response. */
  goalKept: boolean;
  storyAccepted: boolean;
  systemHealth: number;
  reworkCount: number;
  iterations: number;
  velocityEffect: number;
  /** Assertions that stated a confidence (B-30 reads these over a window). */
  confidenceStatements: number;
  /** Mean Brier score of the stated confidences; -1 when none. */
  calibrationBrier: number;
};

export type TriageHidden = {
  severity: Severity;
  radius: BlastRadius;
  owner: Owner;
  rightResponse: Response;
  neededAudiences: Audience[];
  slackHours: number;
  readings: Readings;
};
