/**
 * What an onboarding_support episode shows, reports and hides: the typed `View` the candidate acts
 * on, the outcome `Facts` of `finish()` and the `Hidden` truth written to the trace, with the string
 * unions they are made of.
 */
import type { Domain } from '../../spec/episodes.js';

export const AREAS = ['backend', 'frontend', 'data', 'testing', 'infra'] as const;
export type Area = (typeof AREAS)[number];

export const TOPICS = ['architecture', 'conventions', 'domain', 'tooling', 'deployment'] as const;
export type Topic = (typeof TOPICS)[number];

export const LOADS = ['light', 'normal', 'heavy'] as const;
export type Load = (typeof LOADS)[number];

/** The newcomer capacities the sprint plan can count on (`adjust_sprint`). */
export const EXPECTATIONS = ['0.25', '0.5', '0.75', '1.0'] as const;
export type Expectation = (typeof EXPECTATIONS)[number];

export const HIRED_AS = ['junior', 'mid', 'senior'] as const;
export type HiredAs = (typeof HIRED_AS)[number];

/** How much the newcomer's self-report overstates their skill (hidden trait). */
export const INFLATIONS = ['honest', 'mild', 'inflated'] as const;
export type Inflation = (typeof INFLATIONS)[number];

export const TASK_POINTS = [1, 2, 3, 5] as const;
export type TaskPoints = (typeof TASK_POINTS)[number];

/** Which construction a starter task came from (hidden): fit, looks right from the self-report, too big, no gap. */
export type TaskKind = 'fit' | 'looks_right' | 'too_big' | 'no_gap';

export type MemberRole = 'dev_lead' | 'senior_dev' | 'mid_dev';

/** One teammate, as the candidate sees them. */
export type PublicMember = {
  index: number;
  name: string;
  role: MemberRole;
  /** Area of expertise. */
  primary: Area;
  secondary: Area;
  /** Load on the sprint board. */
  load: Load;
};

/** One candidate starter task. */
export type PublicTask = {
  index: number;
  title: string;
  points: TaskPoints;
  areas: Area[];
  /** A clear done state (else open-ended). */
  clear: boolean;
};

export type OnboardingSupportView = {
  team: {
    domain: Domain;
    /** Share of the sprint's work in each area (sums to 1). */
    workMix: Record<Area, number>;
    members: PublicMember[];
  };
  newcomer: {
    name: string;
    hiredAs: HiredAs;
    sameDomain: boolean;
    knowsStack: boolean;
    /** Self-reported skill per area, in tenths (inflated by a hidden trait). */
    selfReport: Record<Area, number>;
  };
  tasks: PublicTask[];
  sprint: {
    days: number;
    committedPoints: number;
    /** The newcomer's capacity the plan counts on: 1 until adjusted. */
    newcomerCapacity: number;
    adjusted: boolean;
  };
  /** Readings of assessed skill, in the order taken. */
  assessments: { area: Area; reading: number }[];
  gapsNamed: Area[];
  pairings: { member: number; area: Area; accepted: boolean }[];
  contextGiven: Topic[];
  assignedTask: number | null;
  teamHours: number;
};

export type OnboardingSupportFacts = {
  domain: Domain;
  hiredAs: HiredAs;
  inflation: Inflation;
  /** The true gaps, comma-separated in area order. */
  trueGaps: string;
  /** The areas named gaps, comma-separated in the order first named. */
  gapsNamed: string;
  /** Jaccard of the gaps named and the true gaps (1 when both are empty). */
  gapAccuracy: number;
  gapsHit: number;
  assessments: number;
  redundantAssessments: number;
  /** -1 when no task was assigned. */
  assignedTask: number;
  /** The task that fits best given the pairings the team could set up. */
  bestTask: number;
  assignedKind: TaskKind | 'none';
  taskFit: number;
  taskPoints: number;
  taskSizeFit: number;
  taskClear: boolean;
  taskGapAreas: number;
  pairingsAccepted: number;
  pairingsDeclined: number;
  pairingsOnGap: number;
  pairingsBriefed: number;
  contextSessions: number;
  contextNeeded: number;
  contextWasted: number;
  topicsNeeded: number;
  /** Lacking topics not fully retained. */
  missingTopics: number;
  helpRequests: number;
  helpResolvedOneExchange: number;
  /** -1 when the newcomer raised no help request. */
  oneExchangeRate: number;
  /** -1 when no task was assigned. */
  starterDays: number;
  rampDays: number;
  timeToProductivity: number;
  starterDelivered: boolean;
  trueCapacity: number;
  actualCapacity: number;
  plannedCapacity: number;
  sprintAdjusted: boolean;
  capacityShortfall: number;
  capacityUnder: number;
  sprintAdjustments: number;
  conventionsMissed: boolean;
  reworkCount: number;
  teamHours: number;
  velocityEffect: number;
  actionsUsed: number;
};

export type OnboardingSupportHidden = {
  trueSkill: Record<Area, number>;
  /** Areas with true skill below the gap bar, in area order. */
  gaps: Area[];
  inflation: Inflation;
  /** Context topics the newcomer lacks. */
  contextNeeds: Topic[];
  /** True ramp-up capacity this sprint (a quarter step). */
  trueCapacity: number;
  /** The starter tasks in listed order, with their fit given the pairings the team could set up. */
  tasks: { kind: TaskKind; points: TaskPoints; areas: Area[]; clear: boolean; fit: number }[];
  members: { primary: Area; secondary: Area; load: Load; available: boolean }[];
  selfReport: Record<Area, number>;
  workMix: Record<Area, number>;
};
