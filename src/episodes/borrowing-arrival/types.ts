/**
 * What a borrowing_arrival episode shows, reports and hides: the typed `View` the candidate acts on,
 * the outcome `Facts` of `finish()` and the `Hidden` truth written to the trace, with the string
 * unions they are made of.
 */
import type { Domain, Language } from '../../spec/episodes.js';

export const ASPECTS = ['naming', 'error_handling', 'test_style', 'module_layout', 'logging'] as const;
export type Aspect = (typeof ASPECTS)[number];

/** The three plausible values of each convention aspect (public); the team uses one (hidden). */
export const CONVENTION_VALUES: Record<Aspect, readonly [string, string, string]> = {
  naming: ['camel_case', 'snake_case', 'verb_prefixed'],
  error_handling: ['exceptions', 'result_types', 'error_codes'],
  test_style: ['table_driven', 'bdd_specs', 'fixture_classes'],
  module_layout: ['by_feature', 'by_layer', 'flat_packages'],
  logging: ['structured_json', 'plain_text', 'event_hooks'],
};

/** What a question can be about: a convention aspect, the team's priority, or how to run the tests. */
export const TOPICS = [...ASPECTS, 'priority', 'setup'] as const;
export type Topic = (typeof TOPICS)[number];

/** What a help request states besides the question (B-22). */
export const QUESTION_CONTEXTS = ['none', 'tried', 'tried_and_proposal'] as const;
export type QuestionContext = (typeof QUESTION_CONTEXTS)[number];

export const SECTIONS = ['readme', 'contributing', 'architecture', 'roadmap'] as const;
export type Section = (typeof SECTIONS)[number];

export const FILE_ROLES = ['entry', 'core', 'tests', 'config', 'legacy', 'scripts', 'vendored'] as const;
export type FileRole = (typeof FILE_ROLES)[number];

export const NEED_KINDS = [
  'fix_flaky_ci',
  'add_endpoint',
  'migrate_config',
  'improve_error_messages',
  'speed_up_build',
  'add_metrics',
  'upgrade_dependency',
  'write_integration_tests',
] as const;
export type NeedKind = (typeof NEED_KINDS)[number];

export const REQUESTERS = ['team_lead', 'product_owner', 'developer', 'stakeholder'] as const;
export type Requester = (typeof REQUESTERS)[number];

export const EFFORTS = ['small', 'medium', 'large'] as const;
export type Effort = (typeof EFFORTS)[number];

/**
 * How the team took a question: `good` (backed context, answered or not), `vague` (no context the
 * candidate's actions back), `docs_answered` (the unread docs answer it), `redundant` (already known).
 */
export const QUESTION_QUALITIES = ['good', 'vague', 'docs_answered', 'redundant'] as const;
export type QuestionQuality = (typeof QUESTION_QUALITIES)[number];

/** What stating a convention did: confirmed it (evidence >= 2), left it unsettled, or repeated what was known. */
export const IDENTIFICATION_OUTCOMES = ['confirmed', 'unsettled', 'already_known'] as const;
export type IdentificationOutcome = (typeof IDENTIFICATION_OUTCOMES)[number];

/** One need the team mentioned, as drawn. */
export type Need = {
  kind: NeedKind;
  title: string;
  requester: Requester;
  /** How often it came up. */
  mentions: number;
  effort: Effort;
  /** The need mentioned most often (not necessarily the top priority). */
  loudest: boolean;
};

/** One need the team mentioned, as the candidate sees it. */
export type PublicNeed = Need & {
  /** Position in the list (the `need` argument). */
  index: number;
  proposed: boolean;
  /** The team said it is not its top priority. */
  ruledOut: boolean;
};

/** One file of the codebase layout. */
export type PublicFile = {
  index: number;
  path: string;
  role: FileRole;
  /** Times read so far. */
  reads: number;
};

/** One question to the team, with how it went. */
export type PublicQuestion = {
  topic: Topic;
  /** The context the request claimed (what it counted as is in the trace links). */
  context: QuestionContext;
  quality: QuestionQuality;
  exchanges: number;
  answered: boolean;
};

export type BorrowingArrivalView = {
  /** The receiving team. */
  team: { domain: Domain; language: Language };
  /** The candidate's home team and its habit for each convention aspect. */
  home: { domain: Domain; language: Language; habits: Record<Aspect, string> };
  needs: PublicNeed[];
  files: PublicFile[];
  docs: { section: Section; read: boolean }[];
  conventionOptions: Record<Aspect, readonly [string, string, string]>;
  /** Convention evidence gathered per aspect (file reads and code searches). */
  evidence: Record<Aspect, number>;
  /** Aspects searched for, in the order first searched. */
  searched: Aspect[];
  /** Conventions known (confirmed, documented or told); null when not known. */
  conventions: Record<Aspect, string | null>;
  /** How to run the tests, once known. */
  setup: string | null;
  /** Once the roadmap is read: the need it lists as its top item, or null when it has none. */
  roadmap: { topItem: number | null } | null;
  /** The team's top priority once confirmed (a proposal accepted or the team's answer). */
  priority: number | null;
  questions: PublicQuestion[];
  identified: { aspect: Aspect; outcome: IdentificationOutcome }[];
  hoursSpent: number;
  teamHoursUsed: number;
};

export type BorrowingArrivalFacts = {
  delivered: boolean;
  /** The need worked on; -1 without a contribution. */
  chosenNeed: number;
  topPriority: number;
  onPriority: boolean;
  loudestIsTop: boolean;
  chosenLoudest: boolean;
  priorityConfirmed: boolean;
  priorityConfirmedBeforeStart: boolean;
  proposals: number;
  /** Whether the roadmap documents a top item. */
  roadmapDocumented: boolean;
  roadmapRight: boolean;
  /** The docs cannot settle the priority (no roadmap item, or a wrong one): only people know it. */
  helpNeededForPriority: boolean;
  priorityAskedOrProposed: boolean;
  /** Aspects the contribution does not follow; -1 without a contribution. */
  conventionViolations: number;
  conventionsKnown: number;
  conventionsConfirmed: number;
  prematureIdentifications: number;
  identifications: number;
  /** Aspects where the home habit happens to be the team's convention. */
  habitMatches: number;
  entryRead: boolean;
  coreRead: boolean;
  testsRead: boolean;
  configRead: boolean;
  keyRolesRead: number;
  /** Distinct files read. */
  filesRead: number;
  readActions: number;
  irrelevantReads: number;
  excessReads: number;
  searches: number;
  docsSectionsRead: number;
  docsAnswerableTopics: number;
  understanding: number;
  setupKnown: boolean;
  questions: number;
  questionsResolvedInOne: number;
  docsAnsweredQuestions: number;
  redundantQuestions: number;
  vagueQuestions: number;
  /** Questions claiming more context than the candidate's actions back. */
  unbackedContext: number;
  storyAccepted: boolean;
  iterations: number;
  reworkCount: number;
  candidateHours: number;
  /** Team hours lost: questions, review rounds and a redirect. */
  teamHours: number;
  /** Team hours spent on the candidate's questions and proposals. */
  questionTeamHours: number;
  timeToUsefulHours: number;
  targetHours: number;
  testsPassingFinal: number;
  velocityEffect: number;
};

export type BorrowingArrivalHidden = {
  conventions: Record<Aspect, string>;
  /** Whether the docs answer each topic. */
  documented: Record<Topic, boolean>;
  topPriority: number;
  /** The need the roadmap lists as its top item; -1 when the priority is not documented. */
  roadmapSays: number;
  setup: string;
  /** Per file, in layout order: its role and its evidence strength per aspect (0..2). */
  fileStrength: { role: FileRole; strength: Record<Aspect, number> }[];
  /** Per aspect: 1 when a code search finds a clear example, else 0. */
  searchStrength: Record<Aspect, number>;
  /** Difficulty in [0, 1]. */
  level: number;
  /** How much harder the work is than estimated (x0.8-1.6). */
  effortSurprise: number;
  preexistingFailures: number;
};
