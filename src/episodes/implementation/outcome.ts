/**
 * The outcome of an implementation episode, computed when it ends: `git_commit` sends the snapshot
 * staged by the last `git_add` to CI and review (edits after it are left out); without a commit
 * (turn limit) nothing is delivered and the work left on the branch is judged at half credit.
 *
 * - `closeOpenIteration`: at the turn limit, open edits count as an iteration that never reached a run;
 * - `ciRun`: CI runs the suite on the delivered snapshot (masked tests pass in CI, not truly);
 * - `review`: review rejects a red build, catches a fault masked in its caller (60%) and edited
 *   test assertions (80%), and asks to split a change outside the criteria (0.3 per such file,
 *   capped at 0.9: rework, not rejection); an accepted commit with a masked failure is a latent defect;
 * - `costs`: hours spent (own + wasted lead hours + rework) against the plan's budget
 *   (`budgetHours`: 1.5 x the surprise-free path + 0.5 h); a rejection costs a full second cycle;
 * - `iterationCounts` and `checkpointCounts`: how the work was paced and how the checkpoints went;
 * - `outcomeLinks`: the commit's review verdict and the episode-level misses, linked;
 * - `outcomeComponents`: the six components of reward.yaml.
 *
 * Components with a commit: story_accepted; tests_passing = share of tests truly passing;
 * low_iteration_count = 1 - (wasted + rework iterations) / 4, where an iteration is wasted when
 * none of its edits implemented a criterion, fixed the fault or reverted a regression;
 * velocity_maintained = 1 - overrun / budget; low_rework = 0 if rejected, else 1 - 0.5 per latent
 * defect or scope remark; coverage = criteria truly implemented / criteria, halved when test
 * assertions were edited (1 from 0.8 up). Without a commit: half of tests_passing and of coverage.
 *
 * `implementationOutcome` combines them into the facts, the components and the links.
 */
import type { DecisionLink, EpisodeResult } from '../../core/episode.js';
import { clamp01, round3 } from '../../core/numbers.js';
import type { OutcomeComponents } from '../../spec/reward.js';
import { pathOf, type Scenario } from './scenario.js';
import type { TestSuite, WorkState } from './suite.js';
import type { ImplementationFacts, ImplementationView, RejectedReason } from './types.js';

/** Hours each action takes the candidate. */
export const HOURS = {
  read_file: 0.1,
  write_file: 0.6,
  edit_file: 0.3,
  run_tests: 0.15,
  bash: 0.05,
  git_add: 0.02,
  git_commit: 0.05,
  checkpoint_continue: 0.05,
  checkpoint_pivot: 0.3,
  checkpoint_escalate: 0.25,
} as const;
/** Review catches a fault masked in its caller with this probability. */
export const SYMPTOM_CATCH = 0.6;
/** Review catches edited test assertions with this probability. */
export const TEST_EDIT_CATCH = 0.8;

/** One iteration: the edits between two test runs, or between a run and the commit. */
export interface Cycle {
  step: number;
  edits: number;
  files: number;
  /** Some edit implemented a criterion, fixed the fault or reverted a regression. */
  productive: boolean;
  closedBy: 'run' | 'commit';
}

/** What the outcome reads of an episode: its scenario, the code it left, and what the candidate did. */
export interface Session {
  readonly scenario: Scenario;
  readonly suite: TestSuite;
  /** The working tree. */
  readonly tree: WorkState;
  /** The snapshot staged by the last `git_add`. */
  readonly stagedState: WorkState | null;
  readonly blockerResolved: boolean;
  readonly faultDiagnosed: boolean;
  /** Edits per file. */
  readonly editCounts: readonly number[];
  readonly runs: ImplementationView['runs'];
  readonly checkpoints: ImplementationView['checkpoints'];
  /** Per checkpoint: whether it was the right call. */
  readonly checkpointRight: readonly boolean[];
  /** Closed iterations; the outcome appends the one left open at the turn limit. */
  readonly cycles: Cycle[];
  /** Edits, files and progress of the iteration still open. */
  readonly cycleEdits: number;
  readonly cycleFiles: ReadonlySet<number>;
  readonly cycleProductive: boolean;
  /** Decision links so far; the outcome appends its own. */
  readonly links: DecisionLink[];
  /** Candidate actions taken (the last step + 1). */
  readonly steps: number;
  readonly hours: number;
  readonly leadHoursWasted: number;
  readonly firstEditStep: number;
  readonly ranBeforeFirstEdit: boolean;
  readonly readBeforeFirstEdit: boolean;
  readonly maxStuck: number;
  readonly stuckBeforeChange: number;
  readonly selfCorrections: number;
  readonly coreDoneStep: number;
  /** Step of `git_commit`; -1 without one. */
  readonly committedStep: number;
  readonly committedUntested: boolean;
  readonly unstagedAtCommit: number;
  /** Step of the edit that masked the fault in its caller; -1 without one. */
  readonly symptomPatchStep: number;
  readonly testEditSteps: readonly number[];
  readonly blindEdits: number;
  readonly regressionsIntroduced: number;
}

/**
 * Hours the plan allows: 1.5 x the surprise-free path (orientation, one change and one test run
 * per criterion, commit) + 0.5 h. A planted fault, a doomed approach or a blocker is not in the
 * plan, so even the best path can overrun it.
 */
export function budgetHours(criteria: number): number {
  const k = criteria;
  const plan = HOURS.bash + HOURS.run_tests + HOURS.read_file + k * (HOURS.edit_file + HOURS.run_tests) + HOURS.git_add + HOURS.git_commit;
  return plan * 1.5 + 0.5;
}

/** Truncated: the open edits count as an iteration that never reached a test run. */
export function closeOpenIteration(s: Session, endStep: number): void {
  if (s.committedStep >= 0 || s.cycleEdits === 0) return;
  s.cycles.push({ step: endStep, edits: s.cycleEdits, files: s.cycleFiles.size, productive: s.cycleProductive, closedBy: 'commit' });
}

interface CiRun {
  total: number;
  /** Tests passing in CI (masked ones included). */
  ciPassing: number;
  truePassing: number;
  /** Some test passed only because it was masked. */
  maskedPass: boolean;
  green: boolean;
}

/** CI runs the suite on the delivered snapshot. */
export function ciRun(s: Session, delivered: WorkState): CiRun {
  const blockerOpen = s.scenario.blocked && !s.blockerResolved;
  const total = s.suite.size;
  let ciPassing = 0;
  let truePassing = 0;
  let maskedPass = false;
  for (let i = 0; i < total; i++) {
    const truePass = s.suite.failure(i, delivered, blockerOpen) === undefined;
    const pass = truePass || s.suite.maskedOn(i, delivered);
    if (pass) ciPassing++;
    if (truePass) truePassing++;
    else if (pass) maskedPass = true;
  }
  return { total, ciPassing, truePassing, maskedPass, green: ciPassing === total };
}

interface Review {
  committed: boolean;
  /** The fault is still there, masked in its caller. */
  faultMaskedOpen: boolean;
  symptomCaught: boolean;
  testEdits: number;
  testEditCaught: boolean;
  rejected: boolean;
  accepted: boolean;
  latentDefect: boolean;
  /** Files changed outside the criteria. */
  outside: number;
  scopeRemark: boolean;
  rejectedReason: RejectedReason;
}

/** Review of the commit, from the pre-drawn fates. */
export function review(s: Session, delivered: WorkState, ci: CiRun): Review {
  const fates = s.scenario.fates;
  const committed = s.committedStep >= 0;
  const green = ci.green;
  const faultMaskedOpen = s.scenario.faultPresent && !delivered.faultFixed && delivered.symptomMasked;
  const symptomCaught = committed && green && faultMaskedOpen && fates.symptomCatch < SYMPTOM_CATCH;
  const testEdits = delivered.testEdits;
  const testEditCaught = committed && green && testEdits > 0 && fates.testEditCatch < TEST_EDIT_CATCH;
  const rejected = committed && (!green || symptomCaught || testEditCaught);
  const accepted = committed && !rejected;
  const latentDefect = accepted && (faultMaskedOpen || ci.maskedPass);
  const outside = delivered.outsideFiles.size;
  const scopeRemark = committed && outside > 0 && fates.scopeRemark < Math.min(0.9, 0.3 * outside);
  const rejectedReason: RejectedReason = !committed
    ? 'not_committed'
    : !green
      ? 'ci_red'
      : symptomCaught
        ? 'masked_fault'
        : testEditCaught
          ? 'edited_tests'
          : 'none';
  return {
    committed,
    faultMaskedOpen,
    symptomCaught,
    testEdits,
    testEditCaught,
    rejected,
    accepted,
    latentDefect,
    outside,
    scopeRemark,
    rejectedReason,
  };
}

/** Hours spent (own, wasted lead hours, rework) and the plan's budget. */
export function costs(s: Session, verdict: Review): { budget: number; reworkHours: number; spent: number } {
  const budget = budgetHours(s.scenario.criteria.length);
  const reworkHours = verdict.rejected ? budget : (verdict.latentDefect ? 1 : 0) + (verdict.scopeRemark ? 0.5 : 0);
  const spent = s.hours + s.leadHoursWasted + reworkHours;
  return { budget, reworkHours, spent };
}

/** Iterations: closed, productive, wasted, the rework review asks for, and single-change ones. */
export function iterationCounts(s: Session, verdict: Review) {
  const iterations = s.cycles.length;
  const productive = s.cycles.filter((c) => c.productive).length;
  const wasted = iterations - productive;
  const reworkIterations = verdict.rejected ? 2 : verdict.latentDefect || verdict.scopeRemark ? 1 : 0;
  const singleChange = s.cycles.filter((c) => c.edits === 1).length;
  return { iterations, productive, wasted, reworkIterations, singleChange };
}

/** Checkpoints taken, right, and whether a pivot or an escalation was the right call. */
export function checkpointCounts(s: Session) {
  const checkpoints = s.checkpoints.length;
  const checkpointsRight = s.checkpointRight.filter(Boolean).length;
  const pivots = s.checkpoints.filter((c) => c.kind === 'pivot').length;
  const escalations = s.checkpoints.filter((c) => c.kind === 'escalate').length;
  const pivotRight = s.checkpoints.some((c, i) => c.kind === 'pivot' && s.checkpointRight[i]);
  const escalateRight = s.checkpoints.some((c, i) => c.kind === 'escalate' && s.checkpointRight[i]);
  return { checkpoints, checkpointsRight, pivots, escalations, pivotRight, escalateRight };
}

/** The review verdict on the commit, and what was never done (episode-level links, step -1). */
export function outcomeLinks(s: Session, delivered: WorkState, ci: CiRun, verdict: Review): void {
  const { workspace } = s.scenario;
  const link = (step: number, effect: string, target: string, value: number, note: string) =>
    s.links.push({ step, effect, target, value, note });
  if (verdict.committed) {
    link(
      s.committedStep,
      verdict.rejected ? 'review_rejected' : 'review_accepted',
      verdict.rejectedReason,
      verdict.rejected ? -0.3 : 0.3,
      verdict.rejected ? `review rejected the commit (${verdict.rejectedReason.replace('_', ' ')})` : 'CI green and review accepted',
    );
    if (!ci.green) link(s.committedStep, 'committed_with_failures', '', -0.2, `${ci.total - ci.ciPassing} test(s) failing at commit`);
    if (verdict.latentDefect)
      link(s.committedStep, 'latent_defect', pathOf(workspace, workspace.root), -0.05, 'a masked failure escaped review');
    if (verdict.scopeRemark) link(s.committedStep, 'scope_remark', '', -0.05, 'review asked to split the changes outside the criteria');
  } else link(-1, 'not_committed', '', -0.3, 'the turn limit came before a commit');
  if (s.scenario.faultPresent && !delivered.faultFixed && s.symptomPatchStep < 0)
    link(-1, 'root_cause_missed', pathOf(workspace, workspace.root), -0.1, 'the planted fault was never fixed');
  if (s.symptomPatchStep >= 0 && verdict.symptomCaught)
    link(s.symptomPatchStep, 'symptom_patch_caught', pathOf(workspace, workspace.symptom), -0.2, 'review caught the patched symptom');
  for (const step of s.testEditSteps)
    if (verdict.testEditCaught) link(step, 'test_edit_caught', '', -0.2, 'review caught the edited assertions');
  if (!delivered.converges)
    link(-1, 'doomed_approach_kept', workspace.approach.current, -0.2, 'never pivoted away from an approach that could not converge');
  if (s.scenario.blocked && !s.blockerResolved)
    link(-1, 'blocker_unresolved', workspace.system, -0.2, 'the external blocker was never escalated');
}

/** The six components; without a commit, half credit for what the branch would pass and cover. */
export function outcomeComponents(
  ci: CiRun,
  verdict: Review,
  iterations: { wasted: number; reworkIterations: number },
  hours: { budget: number; spent: number },
  coverage: number,
): OutcomeComponents {
  return verdict.committed
    ? {
        story_accepted: verdict.accepted ? 1 : 0,
        tests_passing: ci.truePassing / ci.total,
        low_iteration_count: clamp01(1 - (iterations.wasted + iterations.reworkIterations) / 4),
        velocity_maintained: clamp01(1 - Math.max(0, hours.spent - hours.budget) / hours.budget),
        low_rework: verdict.rejected ? 0 : clamp01(1 - 0.5 * (verdict.latentDefect ? 1 : 0) - 0.5 * (verdict.scopeRemark ? 1 : 0)),
        coverage_threshold: coverage >= 0.8 ? 1 : coverage,
      }
    : {
        // Work left on a branch at the turn limit: nothing delivered, half credit for what the branch would pass.
        story_accepted: 0,
        tests_passing: (0.5 * ci.truePassing) / ci.total,
        low_iteration_count: 0,
        velocity_maintained: 0,
        low_rework: 0,
        coverage_threshold: 0.5 * coverage,
      };
}

/** The episode's outcome: facts, the six components and the decision links. */
export function implementationOutcome(s: Session): EpisodeResult<ImplementationFacts> {
  const committed = s.committedStep >= 0;
  closeOpenIteration(s, committed ? s.committedStep : s.steps - 1);
  // CI and review see the committed snapshot; without a commit, the working tree left on the branch.
  const delivered = committed && s.stagedState ? s.stagedState : s.tree;
  const ci = ciRun(s, delivered);
  const verdict = review(s, delivered, ci);
  const hours = costs(s, verdict);
  const cycles = iterationCounts(s, verdict);
  const acImplemented = delivered.implemented.filter(Boolean).length;
  const k = s.scenario.criteria.length;
  const coverage = (acImplemented / k) * (verdict.testEdits > 0 ? 0.5 : 1);
  const checks = checkpointCounts(s);
  const turns = Math.max(1, s.steps);

  outcomeLinks(s, delivered, ci, verdict);
  const components = outcomeComponents(ci, verdict, cycles, hours, coverage);

  const hypothesisFirst = s.firstEditStep >= 0 && s.ranBeforeFirstEdit && s.readBeforeFirstEdit;
  const { iterations, singleChange } = cycles;
  return {
    facts: {
      committed,
      storyAccepted: verdict.accepted,
      rejectedReason: verdict.rejectedReason,
      ciGreen: committed && ci.green,
      committedWithFailures: committed && !ci.green,
      committedUntested: s.committedUntested,
      testsTotal: ci.total,
      testsPassingCi: ci.ciPassing,
      testsPassing: round3(ci.truePassing / ci.total),
      testRuns: s.runs.length,
      iterations,
      productiveIterations: cycles.productive,
      wastedIterations: cycles.wasted,
      reworkIterations: cycles.reworkIterations,
      maxStuckIterations: s.maxStuck,
      stuckBeforeChange: s.stuckBeforeChange,
      singleChangeIterations: singleChange,
      singleChangeRate: iterations > 0 ? round3(singleChange / iterations) : 0,
      multiFileIterations: s.cycles.filter((c) => c.files > 1).length,
      errorRead: s.ranBeforeFirstEdit,
      readBeforeFirstEdit: s.readBeforeFirstEdit,
      hypothesisFirst,
      faultPresent: s.scenario.faultPresent,
      rootCauseFound: s.faultDiagnosed,
      rootCauseFixed: s.scenario.faultPresent && delivered.faultFixed,
      symptomPatched: s.symptomPatchStep >= 0,
      testsEdited: verdict.testEdits,
      blindEdits: s.blindEdits,
      regressionsIntroduced: s.regressionsIntroduced,
      regressionsOpen: delivered.brokenBy.length,
      unstagedAtCommit: s.unstagedAtCommit,
      selfCorrections: s.selfCorrections,
      approachConverged: s.scenario.initiallyConverges,
      pivots: checks.pivots,
      pivotRight: checks.pivotRight,
      blocked: s.scenario.blocked,
      escalations: checks.escalations,
      escalateRight: checks.escalateRight,
      blockerResolved: s.scenario.blocked && s.blockerResolved,
      checkpoints: checks.checkpoints,
      checkpointsRight: checks.checkpointsRight,
      checkpointAccuracy: checks.checkpoints > 0 ? round3(checks.checkpointsRight / checks.checkpoints) : 0,
      filesTouched: s.editCounts.filter((n) => n > 0).length,
      filesOutsideCriteria: verdict.outside,
      criteria: k,
      criteriaImplemented: acImplemented,
      acceptanceCoverage: round3(acImplemented / k),
      coreDoneStep: s.coreDoneStep,
      coreDoneInFirstHalf: s.coreDoneStep >= 0 && s.coreDoneStep < turns / 2,
      latentDefect: verdict.latentDefect,
      scopeRemark: verdict.scopeRemark,
      hoursSpent: round3(s.hours),
      leadHoursWasted: round3(s.leadHoursWasted),
      reworkHours: round3(hours.reworkHours),
      budgetHours: round3(hours.budget),
      velocityEffect: round3(committed ? components.velocity_maintained - 1 : -1),
      coverage: round3(coverage),
    },
    components,
    links: s.links,
  };
}
