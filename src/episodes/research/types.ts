/**
 * What a research episode shows, reports and hides: the typed `View` the candidate acts on, the
 * outcome `Facts` of `finish()` and the `Hidden` truth written to the trace.
 */
import type { Trace } from '../../core/trace.js';
import type { Domain, Language, StoryPoints } from '../../spec/episodes.js';

export const QUERY_KINDS = ['generic', 'specific', 'versioned'] as const;
export type QueryKind = (typeof QUERY_KINDS)[number];
export const CONFIDENCE_LEVELS = ['low', 'medium', 'high'] as const;
export type ConfidenceLevel = (typeof CONFIDENCE_LEVELS)[number];
export const SOURCE_KINDS = ['official_docs', 'maintainer_issue', 'blog', 'forum_answer'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];
/** The answer an API version gives: the API after the breaking major, or the one before it. */
export type ApiAnswer = 'new_api' | 'old_api';
/** What a source says: one of the two APIs, a plausible wrong answer, or nothing on the question. */
export type AnswerId = ApiAnswer | 'wrong' | 'none';
/** `pinned`: the codebase uses the major before the latest. */
export type ScenarioName = 'pinned' | 'current';

/** Authority of a source kind in [0, 1] (B-17: docs > maintainers > blogs > forums). */
export const AUTHORITY: Readonly<Record<SourceKind, number>> = { official_docs: 1, maintainer_issue: 0.8, blog: 0.5, forum_answer: 0.3 };

/** A search result, numbered in the order searches surfaced it; what reading it reveals appears once fetched. */
export type ResultView = {
  index: number;
  kind: SourceKind;
  title: string;
  snippet: string;
  /** The major version a docs page's title names (null for other kinds). */
  titleVersion: number | null;
  fetched: boolean;
  /** Major version the source was written for. */
  version?: number;
  /** Publication year. */
  published?: number;
  content?: string;
  /** The answer it gives (null: it does not answer the question). */
  answer?: string | null;
};

/** The codebase as known: the version in use and the library's use appear once searched. */
export type CodebaseView = { searched: true; versionInUse: number; usage: string } | { searched: false; versionInUse: null; usage: null };

export type ResearchView = {
  question: { text: string; library: string; feature: string; domain: Domain; language: Language; points: StoryPoints };
  codebase: CodebaseView;
  /** Each search with the result indices it returned and how many were new. */
  searches: { query: QueryKind; results: number[]; newResults: number }[];
  results: ResultView[];
  /** The read result committed to, and its answer. */
  synthesized: { source: number; answer: string } | null;
  confidence: ConfidenceLevel | null;
  hoursSpent: number;
};

export type ResearchFacts = {
  scenario: ScenarioName;
  points: StoryPoints;
  latestVersion: number;
  versionInUse: number;
  signalledSufficient: boolean;
  truncated: boolean;
  /** `guess`: nothing synthesized, implemented from memory. */
  answerSource: 'synthesized' | 'guess';
  synthesized: boolean;
  /** A read source gave the answer that holds for the version in use. */
  correctInfoFound: boolean;
  correctAnswerUsed: boolean;
  /** The answer used holds for another major version. */
  outdatedInfoUsed: boolean;
  wrongInfoUsed: boolean;
  searches: number;
  /** Searches past the second. */
  excessSearches: number;
  /** Mean query specificity: generic 0, specific 0.5, versioned 1. */
  querySpecificity: number;
  versionedQuery: boolean;
  versionedQueryOnVersionInUse: boolean;
  codeSearched: boolean;
  codeSearches: number;
  codeSearchedFirst: boolean;
  /** The codebase was searched before the answer was synthesized. */
  recencyChecked: boolean;
  sourcesSurfaced: number;
  sourcesFetched: number;
  /** Read sources used: synthesized, corroborating, or ruled out as outdated. */
  sourcesUsed: number;
  informationUtilization: number;
  refetches: number;
  /** The read sources gave more than one answer. */
  sourcesDisagreed: boolean;
  /** Another read source gives the synthesized answer. */
  crossChecked: boolean;
  usedSourceKind: SourceKind | 'none';
  usedSourceAuthority: number;
  /** Major version the used source describes (0: none). */
  usedSourceVersion: number;
  usedSourceVersionMatches: boolean;
  confidenceStated: boolean;
  confidenceLevel: ConfidenceLevel | 'none';
  statedConfidence: number;
  /** |stated confidence - (1 if correct else 0)|; 1 when none stated. */
  confidenceError: number;
  confidenceCalibrated: boolean;
  defectCaughtInDev: boolean;
  defectInReview: boolean;
  storySlipped: boolean;
  storyAccepted: boolean;
  iterations: number;
  researchHours: number;
  verificationHours: number;
  reworkHours: number;
  velocityEffect: number;
  testsPassing: number;
  coverage: number;
};

/** One source of the pool (in hidden pool order). */
export type SourceTruth = { kind: SourceKind; version: number; year: number; answer: AnswerId; title: string };

export type ResearchHidden = {
  scenario: ScenarioName;
  library: string;
  latestVersion: number;
  versionInUse: number;
  /** The major in which the feature's API changed. */
  breakingVersion: number;
  trueAnswer: string;
  trueAnswerKind: ApiAnswer;
  wrongAnswerWhy: string;
  /** A wrong answer is caught in development when this draw is below the catch chance. */
  detectDraw: number;
  /** Whether implementing from memory would be right. */
  guessRight: boolean;
  sources: SourceTruth[];
  /** Pool indices each query returns, keyed `<query>:<target version>` (0 for unversioned queries). */
  rankings: Record<string, number[]>;
};

/** A finished research episode's trace. */
export type ResearchTrace = Trace<ResearchFacts, ResearchHidden>;
