/**
 * Elicitation behavior scorer (B-01..B-04): real traces played with DojoEnv on seeds chosen from the
 * hidden truth, one where each code is clearly present and one where it is clearly absent or
 * violated; a judge verdict overrides the judge signal; and the scoring speed. Applicability and
 * ranges of every code are checked for every type in test/episodes/conformance.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { expectCaseScore, expectScored, firstSeedWhere } from '../../../test/helpers.js';
import { persona } from '../../cli/registry.js';
import type { Action } from '../../core/episode.js';
import type { Trace } from '../../core/trace.js';

import { DojoEnv } from '../../env/env.js';
import { scoreBehaviors } from '../../reward/behaviors.js';
import { playSync } from '../../rollout/rollout.js';
import type { Requirement } from '../../sim/story.js';
import type { BehaviorCode } from '../../spec/behaviors.js';
import { elicitation } from './index.js';
import type { ElicitationFacts, ElicitationHidden } from './types.js';

type ElicitationTrace = Trace<ElicitationFacts, ElicitationHidden>;

const ask = (dimension: string): Action => ({ type: 'ask_question', args: { dimension } });
const assume = (dimension: string): Action => ({ type: 'state_assumption', args: { dimension } });
const READY: Action = { type: 'signal_ready', args: {} };
const CONSTRAINTS = ['performance', 'integration', 'security', 'deployment'];
const DIMS = ['scope_in', 'scope_out', 'performance', 'integration', 'security', 'deployment', 'data', 'acceptance', 'edge_cases'];

/** Plays actions; a function action is called with the trace-so-far responses (for re-asking after vague answers). */
function play(seed: number, actions: Action[]): ElicitationTrace {
  const env = new DojoEnv(elicitation);
  env.resetSync({ seed });
  for (const action of actions) {
    const r = env.stepSync(action);
    if (r.terminated || r.truncated) return env.trace();
  }
  if (!actions.some((a) => a.type === 'signal_ready')) {
    for (let i = 0; i < 40; i++) {
      const r = env.stepSync(READY);
      if (r.terminated || r.truncated) break;
    }
  }
  return env.trace();
}

const truth = (seed: number): Requirement[] => play(seed, [READY]).hidden.requirements;
const worth = (rs: Requirement[]) => rs.filter((r) => !r.stated && !r.obvious && r.impact >= 0.3);

/** Asks each dimension needing it (three tries each against vague answers), then an assumption on an empty dimension. */
function oracle(seed: number, extra: Action[] = []): ElicitationTrace {
  const rs = truth(seed);
  const dims = [...new Set(worth(rs).map((r) => r.dimension))];
  const empty = DIMS.find((d) => !rs.some((r) => r.dimension === d));
  const env = new DojoEnv(elicitation);
  env.resetSync({ seed });
  for (const d of dims)
    for (let i = 0; i < 3; i++) {
      const r = env.stepSync(ask(d));
      if (!r.info.response?.startsWith('Hmm,')) break;
    }
  for (const a of extra) env.stepSync(a);
  if (empty) env.stepSync(assume(empty));
  env.stepSync(READY);
  return env.trace();
}

/** First seed (from 0) satisfying a predicate on the hidden truth. */
const findSeed = (pred: (rs: Requirement[], seed: number) => boolean) => firstSeedWhere(truth, pred, 3000);

const acceptedCleanly = (t: ElicitationTrace) => t.outcome.storyAccepted === true && t.outcome.defectsFound === 0;

// Seeds chosen from the hidden truth.
/** Several important hidden gaps, and the oracle's trace is accepted without defects. */
const GAPS = findSeed((rs, s) => worth(rs).length >= 3 && acceptedCleanly(oracle(s)));
/** An unstated, important scope_out requirement (an exclusion to find). */
const SCOPE = findSeed(
  (rs, s) => rs.some((r) => r.dimension === 'scope_out' && !r.stated && r.impact >= 0.5) && acceptedCleanly(oracle(s, [ask('scope_out')])),
);
/** Two or more hidden constraint requirements, at least one of them important. */
const CONSTRAINT = findSeed(
  (rs, s) =>
    rs.filter((r) => CONSTRAINTS.includes(r.dimension) && !r.stated && !r.obvious).length >= 2 &&
    worth(rs).some((r) => CONSTRAINTS.includes(r.dimension)) &&
    acceptedCleanly(oracle(s)),
);
/** A stated constraint and an obvious requirement (something context settles), plus hidden constraints. */
const SETTLED = findSeed(
  (rs) =>
    rs.some((r) => CONSTRAINTS.includes(r.dimension) && r.stated) &&
    rs.some((r) => r.obvious) &&
    worth(rs).some((r) => CONSTRAINTS.includes(r.dimension)),
);

const stated = (rs: Requirement[]) => rs.filter((r) => r.stated).map((r) => r.dimension);

interface Case {
  code: BehaviorCode;
  note: string;
  trace: () => ElicitationTrace;
  min?: number;
  max?: number;
}

const CASES: Case[] = [
  // B-01 present: one specific question per hidden gap; every answer changes the implementation.
  { code: 'B-01', note: 'specific question per gap', trace: () => oracle(GAPS), min: 0.8 },
  // B-01 absent: a generic question and questions about what the story states, then ready.
  {
    code: 'B-01',
    note: 'generic + stated-fact questions',
    trace: () => play(GAPS, [ask('general'), ...stated(truth(GAPS)).slice(0, 2).map(ask), READY]),
    max: 0.3,
  },
  // B-01 absent: no question at all although gaps were hidden.
  { code: 'B-01', note: 'proposing without asking', trace: () => play(GAPS, [READY]), max: 0.05 },
  // B-02 present: asks what is out of scope (a hidden exclusion) and the other gaps.
  { code: 'B-02', note: 'explicit out-of-scope question', trace: () => oracle(SCOPE, [ask('scope_out')]), min: 0.85 },
  // B-02 absent: never discusses scope, so the hidden exclusion is built (gold-plating).
  { code: 'B-02', note: 'scope never discussed', trace: () => play(SCOPE, [READY]), max: 0.2 },
  // B-03 present: the hidden constraint categories asked before implementation.
  { code: 'B-03', note: 'constraints asked', trace: () => oracle(CONSTRAINT), min: 0.85 },
  // B-03 violated: asks about a stated constraint and an obvious (convention) dimension, never the hidden ones.
  {
    code: 'B-03',
    note: 'asks what context settles',
    trace: () => {
      const rs = truth(SETTLED);
      const statedConstraint = rs.find((r) => CONSTRAINTS.includes(r.dimension) && r.stated)?.dimension as string;
      const obvious = rs.find((r) => r.obvious)?.dimension as string;
      return play(SETTLED, [ask(statedConstraint), ask(obvious), READY]);
    },
    max: 0.15,
  },
  // B-04 present: asks what is needed, lists an open assumption, signals ready; accepted cleanly.
  { code: 'B-04', note: 'calibrated stop with assumptions', trace: () => oracle(GAPS), min: 0.8 },
  // B-04 violated: analysis paralysis — keeps asking until the product owner pulls the story.
  {
    code: 'B-04',
    note: 'asks past patience',
    trace: () => play(GAPS, [...Array.from({ length: 14 }, (_, i) => ask(DIMS[i % 9] as string)), READY]),
    max: 0.15,
  },
  // B-04 violated: premature commitment — ready at once with important gaps open, no assumptions.
  { code: 'B-04', note: 'premature ready', trace: () => play(GAPS, [READY]), max: 0.45 },
];

describe('scoreElicitation', () => {
  it.each(CASES)('$code: $note', (c) => {
    expectCaseScore(c.trace(), c);
  });

  it('scores B-01..B-04 with evidence and the reward.yaml signals', () => {
    const trained: BehaviorCode[] = ['B-01', 'B-02', 'B-03', 'B-04'];
    const scores = expectScored(oracle(GAPS), trained);
    for (const code of trained) expect(scores.codes[code].evidence.decisionIds.length, code).toBeGreaterThan(0);
    const names = (code: BehaviorCode) => scores.codes[code].signals.map((x) => `${x.name}:${x.source}:${x.weight}`);
    expect(names('B-01')).toEqual([
      'question_specificity:judge:0.25',
      'gap_coverage:trace:0.25',
      'implementation_change_rate:outcome:0.3',
      'non_redundancy:trace:0.2',
    ]);
    expect(names('B-02')).toEqual(['explicit_scope_question:trace:0.3', 'scope_match:outcome:0.4', 'gold_plating_penalty:outcome:0.3']);
    expect(names('B-03')).toEqual([
      'early_constraints:trace+outcome:0.4',
      'categories_covered:trace:0.3',
      'false_constraint_penalty:trace:0.3',
    ]);
    expect(names('B-04')).toEqual([
      'question_count_calibration:trace+judge:0.4',
      'explicit_transition:trace:0.2',
      'assumptions_stated:trace:0.2',
      'outcome_quality:outcome:0.2',
    ]);
  });

  it('a judge verdict overrides the judge signal', () => {
    const t = play(GAPS, [ask('general'), READY]);
    const verdict = {
      codes: { 'B-01': { score: 1, justification: 'x' }, 'B-04': { score: 0, justification: 'y' } },
      overall: 0.5,
      performativeRisk: 0,
    };
    const plain = scoreBehaviors(t).codes;
    const judged = scoreBehaviors(t, { verdict }).codes;
    const spec = (c: typeof plain) => c['B-01'].signals.find((s) => s.name === 'question_specificity');
    expect(spec(plain)).toMatchObject({ from: 'heuristic', value: 0 });
    expect(spec(judged)).toMatchObject({ from: 'judge', value: 1, source: 'judge' });
    expect(judged['B-01'].score as number).toBeGreaterThan(plain['B-01'].score as number);
    const cal = judged['B-04'].signals.find((s) => s.name === 'question_count_calibration');
    expect(cal).toMatchObject({ from: 'judge', source: 'trace+judge' });
  });

  it('rewards substance, not appearance: an assumption about what the story states does not count', () => {
    const rs = truth(GAPS);
    const s = stated(rs)[0] as string;
    const t = play(GAPS, [assume(s), READY]);
    const sig = scoreBehaviors(t).codes['B-04'].signals.find((x) => x.name === 'assumptions_stated');
    expect(sig?.value).toBe(0);
  });

  it('is fast (>= 20,000 traces/s)', () => {
    const traces = Array.from({ length: 1000 }, (_, seed) => playSync(persona('random', 1), elicitation, seed));
    for (const t of traces) scoreBehaviors(t); // warm-up
    const start = performance.now();
    let n = 0;
    for (let rep = 0; rep < 20; rep++) for (const t of traces) n += scoreBehaviors(t).behavioral ?? 0;
    const perSecond = (20 * traces.length) / ((performance.now() - start) / 1000);
    expect(n).toBeGreaterThan(0);
    expect(perSecond).toBeGreaterThan(20_000);
  });
});
