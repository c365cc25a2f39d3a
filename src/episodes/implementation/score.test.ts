import { describe, expect, it } from 'vitest';
import { createEpisode, expectScored, firstSeedWhere, hiddenTruth } from '../../../test/helpers.js';
import type { Action } from '../../core/episode.js';
import type { CodeScore } from '../../core/scorer.js';
import type { Trace } from '../../core/trace.js';
import { DojoEnv } from '../../env/env.js';
import { scoreBehaviors } from '../../reward/behaviors.js';
import { implementation } from './index.js';
import { scoreImplementation } from './score.js';
import type { ImplementationFacts, ImplementationHidden } from './types.js';

type Truth = ImplementationHidden;
type ImplementationTrace = Trace<ImplementationFacts, ImplementationHidden>;

const truth = (seed: number): Truth => hiddenTruth(implementation, seed);

const fileOf = (t: Truth, role: string): number => t.files.findIndex((f) => f.role === role);

/** A step of a scripted plan: an action, or a role-addressed file action resolved with the seed's truth. */
type Step = Action | { op: 'read_file' | 'edit_file' | 'write_file'; role: string };
const RUN: Action = { type: 'run_tests', args: {} };
const ADD: Action = { type: 'git_add', args: {} };
const COMMIT: Action = { type: 'git_commit', args: {} };
const LIST: Action = { type: 'bash', args: { command: 'list_files' } };
const GREP: Action = { type: 'bash', args: { command: 'grep_error' } };
const CONTINUE: Action = { type: 'checkpoint_continue', args: {} };
const PIVOT: Action = { type: 'checkpoint_pivot', args: {} };
const ESCALATE: Action = { type: 'checkpoint_escalate', args: {} };
const read = (role: string): Step => ({ op: 'read_file', role });
const edit = (role: string): Step => ({ op: 'edit_file', role });
const write = (role: string): Step => ({ op: 'write_file', role });
/** `n` rounds of one entry-file edit followed by a test run. */
const implementRounds = (n: number): Step[] => Array.from({ length: n }, () => [edit('core'), RUN]).flat();

/**
 * Plays the plan on `seed`. When `onDue` is given, a due checkpoint is answered with it before the
 * next planned step (the plan itself stays fixed). Ends with the commit, or pads with test runs.
 */
function play(seed: number, plan: Step[], onDue?: Action): ImplementationTrace {
  const t = truth(seed);
  const env = new DojoEnv(implementation, { policyName: 'test' });
  let { observation } = env.resetSync({ seed });
  const queue = plan.slice();
  for (;;) {
    let action: Action;
    if (onDue && observation.structured.state.checkpointDue) action = onDue;
    else {
      const step = queue.shift() ?? RUN;
      action = 'op' in step ? { type: step.op, args: { file: fileOf(t, step.role) } } : step;
    }
    const r = env.stepSync(action);
    observation = r.observation;
    if (r.terminated || r.truncated) return env.trace();
  }
}

function code(trace: ImplementationTrace, c: string): CodeScore {
  const s = scoreImplementation(trace, {}).find((x) => x.code === c);
  if (!s) throw new Error(`${c} not scored`);
  return s;
}

// Seeds chosen from the hidden truth.
const CLEAN_FAULT = firstSeedWhere(truth, (t) => t.faultPresent && t.approach.converges && !t.blocked);
const DOOMED = firstSeedWhere(truth, (t) => !t.faultPresent && !t.approach.converges && !t.blocked);
const BLOCKED = firstSeedWhere(truth, (t) => !t.faultPresent && t.approach.converges && t.blocked);
const PLAIN = firstSeedWhere(truth, (t) => !t.faultPresent && t.approach.converges && !t.blocked);
const criteriaOf = (seed: number): number => createEpisode(implementation, seed).view().featureFile.criteria.length;

// Senior path on a planted fault: orient, read the error, grep it, read the helper, fix it there,
// then one criterion per edit with a run after each, honest continues at due checkpoints, commit green.
const seniorFault = () =>
  play(
    CLEAN_FAULT,
    [LIST, RUN, GREP, read('root'), edit('root'), RUN, read('core'), ...implementRounds(criteriaOf(CLEAN_FAULT)), ADD, COMMIT],
    CONTINUE,
  );
// Junior path on the same seed: runs once, patches the caller the error names, rewrites the entry
// file in one go, gold-plates the docs and config, commits without running the tests again.
const juniorFault = () => play(CLEAN_FAULT, [RUN, edit('symptom'), write('core'), edit('docs'), edit('config'), ADD, COMMIT]);
// Doomed approach, detected: implement what converges, retry the timing-out criterion once, pivot,
// then implement everything on the alternative.
const doomedPivot = () => {
  const k = criteriaOf(DOOMED);
  return play(DOOMED, [LIST, RUN, read('core'), ...implementRounds(k + 1), PIVOT, ...implementRounds(k), ADD, COMMIT], CONTINUE);
};
// Doomed approach, never detected: keeps editing the entry file, continues at every checkpoint, commits red.
const doomedKept = () => play(DOOMED, [LIST, RUN, read('core'), ...implementRounds(criteriaOf(DOOMED) + 5), ADD, COMMIT], CONTINUE);
// External blocker escalated after the first run shows it.
const blockerEscalated = () =>
  play(BLOCKED, [LIST, RUN, ESCALATE, RUN, read('core'), ...implementRounds(criteriaOf(BLOCKED)), ADD, COMMIT], CONTINUE);
// External blocker "fixed" by editing the contract test's file, continuing at checkpoints.
const blockerMasked = () => play(BLOCKED, [RUN, edit('api_tests'), RUN, ...implementRounds(criteriaOf(BLOCKED)), ADD, COMMIT], CONTINUE);
// A needless escalation and a needless pivot on an episode where nothing is wrong.
const needlessCheckpoints = () =>
  play(PLAIN, [LIST, RUN, ESCALATE, read('core'), ...implementRounds(2), PIVOT, ...implementRounds(criteriaOf(PLAIN)), ADD, COMMIT]);
// Never runs the tests on a fault-free, converging, unblocked task: no test ever failed in view
// and nothing ever got stuck, so B-10 and B-11 do not apply.
const neverRan = () => play(PLAIN, [...Array.from({ length: criteriaOf(PLAIN) }, () => edit('core')), ADD, COMMIT]);

describe('scoreImplementation on real traces', () => {
  const cases: { name: string; trace: () => ImplementationTrace; code: string; min?: number; max?: number; isNull?: boolean }[] = [
    // B-09: honest continues on a converging plan are right.
    { name: 'senior path, due checkpoints answered honestly', trace: seniorFault, code: 'B-09', min: 0.9 },
    // B-09: pivoting a doomed approach after evidence.
    { name: 'doomed approach pivoted', trace: doomedPivot, code: 'B-09', min: 0.75 },
    // B-09: always continuing on a doomed approach (claiming progress while stuck).
    { name: 'doomed approach kept', trace: doomedKept, code: 'B-09', max: 0.25 },
    // B-09: escalating and pivoting with nothing wrong looks senior but wastes time and work.
    { name: 'needless escalation and pivot', trace: needlessCheckpoints, code: 'B-09', max: 0.3 },
    // B-09: a blocker left standing behind edited tests and optimistic continues.
    { name: 'blocker masked', trace: blockerMasked, code: 'B-09', max: 0.2 },
    // B-10: two attempts on the timing-out criterion, then the right pivot, then delivery.
    { name: 'doomed approach pivoted', trace: doomedPivot, code: 'B-10', min: 0.9 },
    // B-10: escalation right after the first run shows the external failure.
    { name: 'blocker escalated', trace: blockerEscalated, code: 'B-10', min: 0.9 },
    // B-10: never changes course on a doomed approach.
    { name: 'doomed approach kept', trace: doomedKept, code: 'B-10', max: 0.05 },
    // B-10: edits the test instead of diagnosing the external blocker.
    { name: 'blocker masked', trace: blockerMasked, code: 'B-10', max: 0.05 },
    // B-10: nothing ever got stuck.
    { name: 'senior path on a clean approach', trace: seniorFault, code: 'B-10', isNull: true },
    // B-11: error read, hypothesis verified by reading the helper, root cause fixed, one change per run.
    { name: 'senior path', trace: seniorFault, code: 'B-11', min: 0.9 },
    // B-11: patched the symptom the error named, several changes at once.
    { name: 'junior path', trace: juniorFault, code: 'B-11', max: 0.3 },
    // B-11: no failing test was ever seen and no fault existed.
    { name: 'never ran the tests on a fault-free task', trace: neverRan, code: 'B-11', isNull: true },
    // B-25: every edit serves a criterion and all criteria are delivered.
    { name: 'senior path', trace: seniorFault, code: 'B-25', min: 0.9 },
    // B-25: docs and config edits beyond the criteria.
    { name: 'junior path', trace: juniorFault, code: 'B-25', max: 0.5 },
    // B-26: a criterion validated by a test run early in the episode.
    { name: 'senior path', trace: seniorFault, code: 'B-26', min: 0.9 },
    // B-26: full rewrite and polishing, never validated by a run.
    { name: 'junior path', trace: juniorFault, code: 'B-26', max: 0.45 },
  ];
  for (const c of cases) {
    it(`${c.code}: ${c.name}`, () => {
      const trace = c.trace();
      const scores = scoreImplementation(trace, {});
      const s = scores.find((x) => x.code === c.code);
      if (c.isNull) {
        expect(s).toBeUndefined();
        expect(scoreBehaviors(trace).codes[c.code as 'B-10'].score).toBeNull();
        return;
      }
      expect(s).toBeDefined();
      const score = s?.score as number;
      if (c.min !== undefined) expect(score).toBeGreaterThanOrEqual(c.min);
      if (c.max !== undefined) expect(score).toBeLessThanOrEqual(c.max);
      expect(s?.evidence.decisionIds.length).toBeGreaterThan(0);
      for (const id of s?.evidence.decisionIds ?? []) expect(id.startsWith(`${trace.episodeId}/d`)).toBe(true);
    });
  }

  it('signals carry the reward.yaml names, sources and weights', () => {
    const scores = scoreImplementation(doomedPivot(), {});
    const names = Object.fromEntries(scores.map((s) => [s.code, s.signals.map((x) => `${x.name}:${x.source}:${x.weight}`)]));
    expect(names['B-09']).toEqual(['checkpoint_accuracy:outcome:0.4', 'decision_correctness:outcome:0.4', 'assessment_honesty:judge:0.2']);
    expect(names['B-10']).toEqual([
      'detection_speed:trace:0.3',
      'diagnosis_accuracy:outcome:0.35',
      'resolution_effectiveness:outcome:0.35',
    ]);
    expect(names['B-11']).toEqual([
      'root_cause_fixed:outcome:0.4',
      'hypothesis_first:trace:0.25',
      'single_change:trace:0.2',
      'error_read:trace:0.15',
    ]);
    // The B-25/B-26 group split per code; the mean of the two is reward.yaml's 0.35 / 0.30 / 0.35.
    expect(names['B-25']).toEqual(['acceptance_criteria_coverage:outcome:0.4', 'excess_work_penalty:outcome:0.5', 'core_first:trace:0.1']);
    expect(names['B-26']).toEqual(['acceptance_criteria_coverage:outcome:0.3', 'excess_work_penalty:outcome:0.1', 'core_first:trace:0.6']);
  });

  it('the senior path scores B-09, B-11, B-25 and B-26 (B-10 does not apply) above 0.9 on average', () => {
    const result = expectScored(seniorFault(), ['B-09', 'B-11', 'B-25', 'B-26']);
    expect(result.codes['B-10'].score).toBeNull();
    expect(result.behavioral).toBeGreaterThan(0.9);
  });

  it('a judge verdict overrides the judge signal (assessment_honesty)', () => {
    const trace = doomedPivot();
    const heuristic = code(trace, 'B-09');
    expect(heuristic.signals[2]?.from).toBe('heuristic');
    const verdict = { codes: { 'B-09': { score: 0, justification: 'optimistic' } }, overall: 0.5, performativeRisk: 0.2 };
    const judged = scoreImplementation(trace, { verdict }).find((s) => s.code === 'B-09');
    expect(judged?.signals[2]).toMatchObject({ name: 'assessment_honesty', source: 'judge', value: 0, from: 'judge' });
    expect(judged?.score as number).toBeLessThan(heuristic.score as number);
  });

  it('a pivot made before any attempt showed the problem earns less B-10 than one after evidence', () => {
    const k = criteriaOf(DOOMED);
    const guess = play(DOOMED, [LIST, RUN, PIVOT, read('core'), ...implementRounds(k), ADD, COMMIT], CONTINUE);
    expect(code(guess, 'B-10').score as number).toBeLessThan(code(doomedPivot(), 'B-10').score as number);
  });
});
