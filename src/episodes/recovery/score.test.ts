/**
 * The recovery behavior scorer (B-10, B-11, B-14, B-15) on real traces: fixed action sequences
 * played with DojoEnv on seeds chosen by their hidden truth.
 */
import { describe, expect, it } from 'vitest';
import { expectCaseScore, firstSeedWhere, hiddenTruth, playActions, type ScorerCase, signalShape } from '../../../test/helpers.js';
import type { Action } from '../../core/episode.js';
import type { Verdict } from '../../core/scorer.js';
import type { Trace } from '../../core/trace.js';
import { scoreBehaviors } from '../../reward/behaviors.js';
import type { BehaviorCode } from '../../spec/behaviors.js';
import { recovery } from './index.js';
import { scoreRecovery } from './score.js';
import type { RecoveryFacts, RecoveryHidden } from './types.js';

const hiddenOf = (seed: number): RecoveryHidden => hiddenTruth(recovery, seed);

function play(seed: number, actions: readonly Action[]): Trace<RecoveryFacts, RecoveryHidden> {
  return playActions(recovery, seed, actions);
}

const state = (suspect: number): Action => ({ type: 'diagnose_root_cause', args: { suspect, change: 'state_only' }, confidence: 0.6 });
const fix = (suspect: number): Action => ({ type: 'diagnose_root_cause', args: { suspect, change: 'fix_cause' }, confidence: 0.8 });
const patch = (suspect: number): Action => ({ type: 'diagnose_root_cause', args: { suspect, change: 'patch_symptom' }, confidence: 0.9 });
const verify = (suspect: number): Action => ({ type: 'verify_hypothesis', args: { suspect } });
const learn = (kind: string, suspect: number): Action => ({ type: 'capture_learning', args: { kind, suspect } });
const replan = (change: string, communicate: boolean): Action => ({ type: 'replan_sprint', args: { change, communicate } });
const others = (real: number) => [0, 1, 2, 3].filter((i) => i !== real);

/** The senior's recovery: hypothesis, verification, fix at the cause, suite run. */
const careful = (h: RecoveryHidden): Action[] => [state(h.realSuspect), verify(h.realSuspect), fix(h.realSuspect), verify(h.realSuspect)];

/** The first seed whose hidden truth and a probe trace satisfy `when`. */
const confirms = (h: RecoveryHidden, seed: number) =>
  play(seed, [state(h.realSuspect), verify(h.realSuspect), replan('keep', true)]).outcome.rootCauseConfirmed;

const confirmedSeed = firstSeedWhere(hiddenOf, (h, seed) => h.recurrenceLaterDraw >= 0.1 && confirms(h, seed));
const bigDamageSeed = firstSeedWhere(hiddenOf, (h, seed) => (h.rightChange === 'partial' || h.rightChange === 'full') && confirms(h, seed));
const noDamageSeed = firstSeedWhere(hiddenOf, (h, seed) => h.rightChange === 'keep' && confirms(h, seed));
const recurInSprintSeed = firstSeedWhere(
  hiddenOf,
  (h, seed) => play(seed, [patch(h.realSuspect), replan('keep', true)]).outcome.recurredInSprint,
);
const recursLaterSeed = firstSeedWhere(hiddenOf, (h) => h.recurrenceLaterDraw < 0.5);
const quietSeed = firstSeedWhere(hiddenOf, (h) => h.recurrenceLaterDraw >= 0.5);

type Case = ScorerCase<RecoveryHidden>;

const CASES: Case[] = [
  // B-10 present: investigates instead of changing blindly, fixes the cause, the build is green.
  {
    name: 'B-10 verifies, fixes the cause, resolves',
    code: 'B-10',
    seed: confirmedSeed,
    actions: (h) => [...careful(h), replan(h.rightChange, true)],
    min: 0.95,
  },
  // B-10 violated: three blind changes on wrong suspects, never investigates, the build stays red.
  {
    name: 'B-10 repeats blind changes and persists',
    code: 'B-10',
    seed: confirmedSeed,
    actions: (h) => [...others(h.realSuspect).map(patch), replan('keep', false)],
    max: 0.2,
  },
  // B-10 violated: gives up at once (replans with a red build, no investigation).
  {
    name: 'B-10 gives up without an attempt',
    code: 'B-10',
    seed: confirmedSeed,
    actions: () => [replan('keep', false)],
    max: 0.1,
    evidence: false,
  },
  // B-11 present: hypothesis, verification (the error read), one change at the cause, suite run.
  {
    name: 'B-11 hypothesis first, root cause fixed',
    code: 'B-11',
    seed: confirmedSeed,
    actions: (h) => [...careful(h), replan(h.rightChange, true)],
    min: 0.95,
  },
  // B-11 violated: random changes back to back until green, then a patch.
  {
    name: 'B-11 random changes until green',
    code: 'B-11',
    seed: confirmedSeed,
    actions: (h) => {
      const [a, b] = others(h.realSuspect) as [number, number];
      return [fix(a), fix(b), patch(h.realSuspect), replan('keep', false)];
    },
    max: 0.15,
  },
  // B-11 partly: a verified hypothesis but only the symptom patched: root_cause_fixed is 0.
  {
    name: 'B-11 verified but patched the symptom',
    code: 'B-11',
    seed: confirmedSeed,
    actions: (h) => [verify(h.realSuspect), patch(h.realSuspect), verify(h.realSuspect), replan(h.rightChange, true)],
    max: 0.65,
    min: 0.5,
  },
  // B-14 present: the replan matches the verified damage, communicated.
  {
    name: 'B-14 proportional, communicated replan',
    code: 'B-14',
    seed: bigDamageSeed,
    actions: (h) => [...careful(h), replan(h.rightChange, true)],
    min: 0.9,
  },
  // B-14 violated: forcing the old plan silently after sprint-wide damage.
  {
    name: 'B-14 forces the old plan silently',
    code: 'B-14',
    seed: bigDamageSeed,
    actions: (h) => [...careful(h), replan('keep', false)],
    max: 0.5,
  },
  // B-14 violated: throwing the whole plan away when nothing was invalidated.
  {
    name: 'B-14 throws the plan away for task-sized damage',
    code: 'B-14',
    seed: noDamageSeed,
    actions: (h) => [...careful(h), replan('full', false)],
    max: 0.45,
  },
  // B-15 present: root cause and prevention about the real cause; no recurrence.
  {
    name: 'B-15 root cause and prevention captured',
    code: 'B-15',
    seed: confirmedSeed,
    actions: (h) => [...careful(h), learn('root_cause', h.realSuspect), learn('prevention', h.realSuspect), replan(h.rightChange, true)],
    min: 0.95,
  },
  // B-15 violated: blames after patching; the patched cause comes back within the sprint.
  {
    name: 'B-15 blame after a patch, the issue recurs',
    code: 'B-15',
    seed: recurInSprintSeed,
    actions: (h) => [patch(h.realSuspect), learn('blame', h.realSuspect), replan('keep', false)],
    max: 0.05,
  },
  // B-15 violated: moves on without reflection; the issue recurs later.
  {
    name: 'B-15 no learning, recurs later',
    code: 'B-15',
    seed: recursLaterSeed,
    actions: (h) => [fix(h.realSuspect), verify(h.realSuspect), replan(h.rightChange, true)],
    max: 0.05,
    evidence: false,
  },
  // B-15 weak: records only the symptom (no recurrence this time: only the outcome part scores).
  {
    name: 'B-15 symptom-only learning',
    code: 'B-15',
    seed: quietSeed,
    actions: (h) => [fix(h.realSuspect), verify(h.realSuspect), learn('symptom', h.realSuspect), replan(h.rightChange, true)],
    max: 0.5,
  },
];

const TRAINED: BehaviorCode[] = ['B-10', 'B-11', 'B-14', 'B-15'];

describe('recovery behavior scorer', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const { codes } = expectCaseScore(play(c.seed, c.actions(hiddenOf(c.seed))), c);
      // Every code recovery trains applies.
      for (const code of TRAINED) expect(codes[code].score).not.toBeNull();
    });
  }

  it('returns the reward.yaml signals with their names, sources and weights', () => {
    const h = hiddenOf(confirmedSeed);
    const scores = scoreRecovery(play(confirmedSeed, [...careful(h), replan(h.rightChange, true)]), {});
    expect(signalShape(scores)).toEqual({
      'B-10': ['detection_speed:trace:0.3', 'diagnosis_accuracy:outcome:0.35', 'resolution_effectiveness:outcome:0.35'],
      'B-11': ['root_cause_fixed:outcome:0.4', 'hypothesis_first:trace:0.25', 'single_change:trace:0.2', 'error_read:trace:0.15'],
      'B-14': [
        'proportionality:judge:0.3',
        'preserved_valid_parts:trace:0.25',
        'change_communicated:trace:0.2',
        'outcome_after_replan:outcome:0.25',
      ],
      'B-15': ['root_cause_captured:judge:0.35', 'prevention_identified:judge:0.3', 'non_recurrence:outcome:0.35'],
    });
  });

  it('a judge verdict overrides the judge-sourced stand-ins', () => {
    const h = hiddenOf(confirmedSeed);
    const trace = play(confirmedSeed, [...careful(h), learn('prevention', h.realSuspect), replan(h.rightChange, true)]);
    const verdict: Verdict = {
      codes: { 'B-14': { score: 0.1, justification: 'no' }, 'B-15': { score: 0.2, justification: 'hollow' } },
      overall: 0.4,
      performativeRisk: 0.2,
    };
    const heuristic = scoreBehaviors(trace).codes;
    const judged = scoreBehaviors(trace, { verdict }).codes;
    const p = judged['B-14'].signals.find((s) => s.name === 'proportionality')!;
    expect(p.from).toBe('judge');
    expect(p.value).toBe(0.1);
    expect(judged['B-14'].score!).toBeLessThan(heuristic['B-14'].score!);
    expect(judged['B-15'].signals.find((s) => s.name === 'prevention_identified')!.value).toBe(0.2);
    expect(judged['B-15'].score!).toBeLessThan(heuristic['B-15'].score!);
  });

  it('a fix with escaped collateral scores lower on B-10 than the same fix with a suite run', () => {
    const seed = firstSeedWhere(hiddenOf, (h, s) => play(s, [fix(h.realSuspect), replan('keep', true)]).outcome.collateralEscaped === 1);
    const h = hiddenOf(seed);
    const checked = scoreBehaviors(play(seed, [fix(h.realSuspect), verify(h.realSuspect), replan(h.rightChange, true)])).codes['B-10'];
    const unchecked = scoreBehaviors(play(seed, [fix(h.realSuspect), replan(h.rightChange, true)])).codes['B-10'];
    expect(checked.score!).toBeGreaterThan(unchecked.score!);
  });
});
