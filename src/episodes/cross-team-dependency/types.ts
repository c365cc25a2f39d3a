/**
 * What a cross_team_dependency episode shows, reports and hides: the typed `View` the candidate
 * acts on, the outcome `Facts` of `finish()` and the `Hidden` truth written to the trace, with the
 * vocabularies they use and what each dependency nature means.
 */
import type { Domain } from '../../spec/episodes.js';

/** What an area really is: a dependency of one of four natures, or a plausible false one. */
export const NATURES = ['new_endpoint', 'owned_data', 'published_contract', 'frozen_service', 'not_needed'] as const;
export type Nature = (typeof NATURES)[number];
export type RealNature = Exclude<Nature, 'not_needed'>;

export const RESOLUTIONS = ['contract_first', 'mock_and_sequence', 'ask_other_team_to_build', 'workaround'] as const;
export type Resolution = (typeof RESOLUTIONS)[number];

/** Hard: must wait for the other team; soft: can run in parallel. */
export const DEPENDENCY_KINDS = ['hard', 'soft'] as const;
export type DependencyKind = (typeof DEPENDENCY_KINDS)[number];

export const CATEGORIES = ['integration', 'data', 'security', 'deployment'] as const;
export type Category = (typeof CATEGORIES)[number];

/** How strongly the story analysis points at an area. */
export const CUES = ['strong', 'weak', 'none'] as const;
export type Cue = (typeof CUES)[number];

/** What a search can report about an area. */
export type SearchResult = Nature | 'nothing_new';

/** The kind of each real nature (hard: must wait for the other team; soft: can run in parallel). */
export const NATURE_KIND: Record<RealNature, DependencyKind> = {
  new_endpoint: 'hard',
  owned_data: 'hard',
  published_contract: 'soft',
  frozen_service: 'soft',
};

/** The best resolution for each real nature. */
export const BEST_RESOLUTION: Record<RealNature, Resolution> = {
  new_endpoint: 'contract_first',
  owned_data: 'ask_other_team_to_build',
  published_contract: 'mock_and_sequence',
  frozen_service: 'workaround',
};

export type CrossTeamDependencyView = {
  story: { title: string; domain: Domain; ourDays: number; sprintDaysLeft: number };
  teams: { index: number; name: string; domain: string }[];
  areas: {
    index: number;
    /** Index of the owning team. */
    team: number;
    service: string;
    category: Category;
    touch: string;
    /** The story analysis's signal; null until the story was analyzed. */
    cue: Cue | null;
  }[];
  analyzed: boolean;
  findings: { area: number; result: SearchResult }[];
  /** The current flag of each flagged area, in area order. */
  flags: { area: number; kind: DependencyKind; cleared: boolean; confidence: number | null }[];
  /** The current resolution of each area that has one, in area order. */
  resolutions: { area: number; resolution: Resolution }[];
  /** Each contact: the team, the flagged areas it carried, and whether it came before the team's cut-off. */
  communications: { team: number; carried: number[]; beforeCutoff: boolean }[];
  /** Per area: the nature the owning team confirmed (null until a contact carried it). */
  confirmed: (Nature | null)[];
  hoursSpent: number;
};

export type CrossTeamDependencyFacts = {
  proceeded: boolean;
  /** The confidence stated with `proceed_without`; -1 without one. */
  proceedConfidence: number;
  analyzed: boolean;
  analyses: number;
  searches: number;
  realDependencies: number;
  /** Areas whose nature is a hard one (new_endpoint, owned_data). */
  hardDependencies: number;
  realFlagged: number;
  /** Real dependencies flagged with the kind their nature implies. */
  typedRight: number;
  falseFlags: number;
  flagsDeclared: number;
  /** Real hard dependencies never flagged. */
  missedHard: number;
  /** Unflagged hard dependencies that blocked the work mid-story. */
  lateBlocks: number;
  resolutionsProposed: number;
  bestResolutions: number;
  contacts: number;
  /** Real dependencies whose team heard of them before its cut-off. */
  timelyContacts: number;
  /** Contacts that carried no real dependency. */
  hollowContacts: number;
  reworkCount: number;
  delayDays: number;
  slackDays: number;
  ourDays: number;
  /** Days of the other teams' time spent beyond what was needed. */
  crossTeamDays: number;
  hoursSpent: number;
  storyAccepted: boolean;
  /** The delay fit in the sprint slack. */
  onTime: boolean;
  /** Contract-backed resolutions of real dependencies / real dependencies (1 without any). */
  integrationCoverage: number;
  confidenceStatements: number;
  /** Mean Brier score of the flags' confidences; -1 without any. */
  calibrationBrier: number;
};

export type CrossTeamDependencyHidden = {
  areas: {
    index: number;
    team: number;
    category: Category;
    nature: Nature;
    real: boolean;
    kind: DependencyKind | 'none';
    bestResolution: Resolution | 'none';
    /** Days the owning team needs to build a hard dependency (0 otherwise). */
    buildDays: number;
    cue: Cue;
  }[];
  teams: {
    index: number;
    name: string;
    /** Hours from now until which a concrete request still fits the team's sprint. */
    cutoffHours: number;
    /** Days to answer a request that arrived before the cut-off. */
    earlyDays: number;
    /** Days until the team's next opening after the cut-off. */
    lateDays: number;
  }[];
  ourDays: number;
  slackDays: number;
};
