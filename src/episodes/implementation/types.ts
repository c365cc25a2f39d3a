/**
 * What an implementation episode shows, reports and hides: the typed `View` the candidate acts on,
 * the outcome `Facts` of `finish()` and the `Hidden` truth written to the trace.
 */
import type { FileKind, FileRole } from '../../sim/workspace.js';
import type { Domain, Language, StoryPoints } from '../../spec/episodes.js';

export const BASH_COMMANDS = ['list_files', 'grep_error', 'git_diff', 'run_linter'] as const;
export type BashCommand = (typeof BASH_COMMANDS)[number];

/** How a failing test fails, in the order the vocabulary lists them. */
export const ERROR_KINDS = ['not_implemented', 'assertion', 'timeout', 'external', 'regression'] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

/** Why a file was pointed at: named at a call site, defining a helper, imported, or in a stack trace. */
export const POINTER_REASONS = ['call_site', 'definition', 'imports', 'trace'] as const;
export type PointerReason = (typeof POINTER_REASONS)[number];

export type CheckpointKind = 'continue' | 'pivot' | 'escalate';

/** A test's result as shown after `run_tests`. */
export type TestResult = {
  name: string;
  /** Index of the test file. */
  file: number;
  status: 'pass' | 'fail';
  errorKind?: ErrorKind;
  error?: string;
  /** Path the stack trace points at, or `external`. */
  location?: string;
  /** Index of the file the trace points at; -1 when external. */
  locationFile?: number;
};

/** The task card: public and fixed for the episode. */
export type TaskCard = {
  id: string;
  title: string;
  points: StoryPoints;
  domain: Domain;
  language: Language;
  /** Index of the file the criteria are implemented in. */
  entryFile: number;
  instructions: string;
};

export type Criterion = { id: string; text: string };

export type ImplementationView = {
  task: TaskCard;
  featureFile: { file: number; criteria: Criterion[] };
  /** The approach followed now; after a pivot `current` is the alternative. */
  approach: { current: string; alternative: string; pivoted: boolean };
  files: { index: number; path: string; kind: FileKind; reads: number; edits: number }[];
  /** What orientation, grep and reading said about where to look. */
  pointers: { file: number; why: PointerReason }[];
  /** Faults found by reading a file. */
  findings: { file: number; text: string }[];
  lastRun: { step: number; editsSince: number; failing: number; tests: TestResult[] } | null;
  /** Every test run: its step and the failing tests' names and error kinds. */
  runs: { step: number; failing: string[]; kinds: ErrorKind[] }[];
  bash: { step: number; command: BashCommand; output: string }[];
  edits: number;
  editsSinceRun: number;
  /** Files edited since the last test run. */
  editedSinceRun: number[];
  /** Whether everything changed is staged (`git_add` after the last edit). */
  staged: boolean;
  /** Closed iterations (edits between two test runs, or a run and the commit). */
  iterations: number;
  checkpointDue: boolean;
  checkpoints: { step: number; kind: CheckpointKind; response: string }[];
  hoursSpent: number;
};

/** Why review turned the commit down, or `none`. */
export type RejectedReason = 'not_committed' | 'ci_red' | 'masked_fault' | 'edited_tests' | 'none';

export type ImplementationFacts = {
  committed: boolean;
  storyAccepted: boolean;
  rejectedReason: RejectedReason;
  ciGreen: boolean;
  committedWithFailures: boolean;
  /** Edits made after the last test run went into the commit. */
  committedUntested: boolean;
  testsTotal: number;
  /** Tests passing in CI, masked ones included. */
  testsPassingCi: number;
  /** Share of tests truly passing (a masked test counts as failing). */
  testsPassing: number;
  testRuns: number;
  iterations: number;
  productiveIterations: number;
  wastedIterations: number;
  reworkIterations: number;
  maxStuckIterations: number;
  /** Unproductive iterations in a row before the first pivot or escalation; -1 without one. */
  stuckBeforeChange: number;
  singleChangeIterations: number;
  singleChangeRate: number;
  multiFileIterations: number;
  /** A test run came before the first edit. */
  errorRead: boolean;
  readBeforeFirstEdit: boolean;
  /** Ran the tests and read a file before the first edit. */
  hypothesisFirst: boolean;
  faultPresent: boolean;
  rootCauseFound: boolean;
  rootCauseFixed: boolean;
  symptomPatched: boolean;
  testsEdited: number;
  blindEdits: number;
  regressionsIntroduced: number;
  regressionsOpen: number;
  unstagedAtCommit: number;
  selfCorrections: number;
  /** Whether the planned approach could converge (hidden truth, reported after the episode). */
  approachConverged: boolean;
  pivots: number;
  pivotRight: boolean;
  blocked: boolean;
  escalations: number;
  escalateRight: boolean;
  blockerResolved: boolean;
  checkpoints: number;
  checkpointsRight: number;
  checkpointAccuracy: number;
  filesTouched: number;
  filesOutsideCriteria: number;
  criteria: number;
  criteriaImplemented: number;
  acceptanceCoverage: number;
  /** Step of the first test run after a criterion was implemented; -1 when none. */
  coreDoneStep: number;
  coreDoneInFirstHalf: boolean;
  latentDefect: boolean;
  scopeRemark: boolean;
  hoursSpent: number;
  leadHoursWasted: number;
  reworkHours: number;
  budgetHours: number;
  velocityEffect: number;
  coverage: number;
};

/** Pre-drawn downstream draws, so that comparing two action sequences on one seed is clean. */
export type Fates = {
  /** Per file: an edit outside the criteria breaks an existing flow when below the file's break chance. */
  breaks: number[];
  /** Per risky change (blind helper edit, rewrite), in order. */
  risky: number[];
  symptomCatch: number;
  testEditCatch: number;
  scopeRemark: number;
};

export type ImplementationHidden = {
  /** Every file of the listing, in listing order, with its role for this task. */
  files: { path: string; role: FileRole }[];
  filesThatMatter: string[];
  faultPresent: boolean;
  fault: { file: string; symptomFile: string; helper: string; bug: string } | null;
  approach: {
    current: string;
    converges: boolean;
    /** The criterion a doomed approach cannot meet; null when the approach converges. */
    hardCriterion: string | null;
    reason: string;
  };
  blocked: boolean;
  /** The external system whose sandbox may block the contract test. */
  system: string;
  fates: Fates;
};
