/**
 * The composite reward against spec/reward.yaml: stage weights, phase bonuses and the efficiency
 * formula, table-driven with a comment per case, plus the per-decision credit rule.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  composite,
  EFFICIENCY_BONUS_CAP,
  EFFICIENCY_BONUS_WEIGHT,
  EFFICIENCY_PENALTY_WEIGHT,
  efficiencyTerms,
  PHASE_TRANSITIONS,
  phaseBonus,
  RewardInputError,
  type TransitionEvent,
} from '../../src/reward/composite.js';
import { PHASE_BONUS, STAGE_WEIGHTS } from '../../src/spec/reward.js';

describe('composite: stage weights (reward.yaml stage_weights)', () => {
  const cases: { stage: number; outcome: number; behavioral: number; total: number; why: string }[] = [
    // Stage 1 leans on behavior: 0.3 · 1 + 0.7 · 0 = 0.3.
    { stage: 1, outcome: 1, behavioral: 0, total: 0.3, why: 'stage 1 outcome weight 0.3' },
    // 0.3 · 0 + 0.7 · 1 = 0.7.
    { stage: 1, outcome: 0, behavioral: 1, total: 0.7, why: 'stage 1 behavioral weight 0.7' },
    // 0.4 · 1 + 0.6 · 0 = 0.4.
    { stage: 2, outcome: 1, behavioral: 0, total: 0.4, why: 'stage 2 outcome weight 0.4' },
    // 0.4 · 0.5 + 0.6 · 0.5 = 0.5: equal scores give the score whatever the stage.
    { stage: 2, outcome: 0.5, behavioral: 0.5, total: 0.5, why: 'stage 2 weights sum to 1' },
    // 0.5 · 0.8 + 0.5 · 0.2 = 0.5.
    { stage: 3, outcome: 0.8, behavioral: 0.2, total: 0.5, why: 'stage 3 is an even split' },
    // 0.6 · 1 + 0.4 · 0 = 0.6: by stage 4 the weight has moved to the outcome.
    { stage: 4, outcome: 1, behavioral: 0, total: 0.6, why: 'stage 4 outcome weight 0.6' },
    // 0.6 · 0.25 + 0.4 · 0.75 = 0.15 + 0.3 = 0.45.
    { stage: 4, outcome: 0.25, behavioral: 0.75, total: 0.45, why: 'stage 4 mixed scores' },
  ];
  it.each(cases)('stage $stage, outcome $outcome, behavioral $behavioral -> $total ($why)', ({ stage, outcome, behavioral, total }) => {
    // No baseline and no transitions: only the two weighted channels.
    const result = composite({ outcome, behavioral, stage, actions: 10 });
    expect(result.total).toBeCloseTo(total, 12);
    expect(result.outcomeTerm + result.behavioralTerm).toBeCloseTo(total, 12);
    expect(result.efficiencyPenalty).toBe(0);
    expect(result.efficiencyBonus).toBe(0);
    expect(result.phaseBonus).toBe(0);
  });

  it('uses STAGE_WEIGHTS for every stage and names every term', () => {
    for (const stage of [1, 2, 3, 4] as const) {
      const result = composite({ outcome: 0.5, behavioral: 0.5, stage, actions: 12, baselineActions: 10, phaseBonus: 0.1 });
      expect(result.outcomeWeight).toBe(STAGE_WEIGHTS[stage].outcome);
      expect(result.behavioralWeight).toBe(STAGE_WEIGHTS[stage].behavioral);
      expect(Object.keys(result).sort()).toEqual(
        [
          'actions',
          'baselineActions',
          'behavioral',
          'behavioralTerm',
          'behavioralWeight',
          'efficiencyBonus',
          'efficiencyPenalty',
          'outcome',
          'outcomeTerm',
          'outcomeWeight',
          'phaseBonus',
          'stage',
          'total',
        ].sort(),
      );
      // 0.5 + (−0.1 · 2/10) + 0.1
      expect(result.total).toBeCloseTo(0.5 - 0.02 + 0.1, 12);
    }
  });

  it('rejects unusable input with a message that says what to pass', () => {
    expect(() => composite({ outcome: 0.5, behavioral: 0.5, stage: 5, actions: 1 })).toThrow(/stage must be one of 1, 2, 3, 4/);
    expect(() => composite({ outcome: 1.2, behavioral: 0.5, stage: 1, actions: 1 })).toThrow(RewardInputError);
    expect(() => composite({ outcome: Number.NaN, behavioral: 0.5, stage: 1, actions: 1 })).toThrow(/outcome must be in \[0, 1\]/);
    expect(() => composite({ outcome: 0.5, behavioral: 0.5, stage: 1, actions: -1 })).toThrow(/actions/);
    expect(() => composite({ outcome: 0.5, behavioral: 0.5, stage: 1, actions: 3, baselineActions: 0 })).toThrow(/Pass null/);
    expect(() => composite({ outcome: 0.5, behavioral: 0.5, stage: 1, actions: 3, phaseBonus: -0.1 })).toThrow(/phaseBonus/);
  });
});

describe('composite: efficiency (reward.yaml efficiency_penalty)', () => {
  // penalty = −0.1 · max(0, actions − baseline) / baseline; bonus = outcome · min(0.02, 0.05 · saved / baseline).
  const cases: { actions: number; baseline: number | null; outcome: number; penalty: number; bonus: number; why: string }[] = [
    // Exactly the baseline: neither term.
    { actions: 10, baseline: 10, outcome: 1, penalty: 0, bonus: 0, why: 'at the baseline' },
    // 15 vs 10: −0.1 · 5/10 = −0.05.
    { actions: 15, baseline: 10, outcome: 1, penalty: -0.05, bonus: 0, why: '50% over' },
    // 20 vs 10: −0.1 · 10/10 = −0.1, twice the baseline costs one phase bonus.
    { actions: 20, baseline: 10, outcome: 1, penalty: -0.1, bonus: 0, why: 'twice the baseline' },
    // 50 vs 10: −0.1 · 40/10 = −0.4, the penalty is not capped (reward.yaml has no cap).
    { actions: 50, baseline: 10, outcome: 0.3, penalty: -0.4, bonus: 0, why: 'far over, uncapped' },
    // 7.5 baseline (a median can be fractional): 9 → −0.1 · 1.5/7.5 = −0.02.
    { actions: 9, baseline: 7.5, outcome: 1, penalty: -0.02, bonus: 0, why: 'fractional median baseline' },
    // 9 vs 10: 0.05 · 1/10 = 0.005, below the cap.
    { actions: 9, baseline: 10, outcome: 1, penalty: 0, bonus: 0.005, why: '10% under, small bonus' },
    // 6 vs 10: 0.05 · 4/10 = 0.02, exactly the cap.
    { actions: 6, baseline: 10, outcome: 1, penalty: 0, bonus: 0.02, why: '40% under reaches the cap' },
    // 1 vs 10: 0.05 · 9/10 = 0.045, capped at 0.02.
    { actions: 1, baseline: 10, outcome: 1, penalty: 0, bonus: 0.02, why: 'far under, capped' },
    // 1 vs 10 with outcome 0.5: 0.5 · 0.02 = 0.01, the bonus follows the outcome.
    { actions: 1, baseline: 10, outcome: 0.5, penalty: 0, bonus: 0.01, why: 'bonus scaled by outcome' },
    // A fast failure (outcome 0) earns no bonus: speed alone is never rewarded.
    { actions: 2, baseline: 10, outcome: 0, penalty: 0, bonus: 0, why: 'fast failure, no bonus' },
    // No baseline for this type and difficulty: no efficiency term at all.
    { actions: 40, baseline: null, outcome: 1, penalty: 0, bonus: 0, why: 'no baseline' },
  ];
  it.each(cases)('$actions actions vs baseline $baseline, outcome $outcome ($why)', ({ actions, baseline, outcome, penalty, bonus }) => {
    const terms = efficiencyTerms(actions, baseline, outcome);
    expect(terms.penalty).toBeCloseTo(penalty, 12);
    expect(terms.bonus).toBeCloseTo(bonus, 12);
    const result = composite({ outcome, behavioral: 0, stage: 3, actions, baselineActions: baseline });
    expect(result.efficiencyPenalty).toBeCloseTo(penalty, 12);
    expect(result.efficiencyBonus).toBeCloseTo(bonus, 12);
    expect(result.total).toBeCloseTo(0.5 * outcome + penalty + bonus, 12);
  });

  it('matches the reward.yaml formula over a grid, and the bonus stays small', () => {
    for (let baseline = 1; baseline <= 40; baseline += 3) {
      for (let actions = 0; actions <= 100; actions++) {
        const { penalty, bonus } = efficiencyTerms(actions, baseline, 1);
        expect(penalty).toBeCloseTo(-EFFICIENCY_PENALTY_WEIGHT * (Math.max(0, actions - baseline) / baseline), 12);
        expect(bonus).toBeLessThanOrEqual(EFFICIENCY_BONUS_CAP);
        expect(bonus).toBeCloseTo(
          Math.min(EFFICIENCY_BONUS_CAP, (EFFICIENCY_BONUS_WEIGHT * Math.max(0, baseline - actions)) / baseline),
          12,
        );
        // Only one of the two is ever non-zero.
        expect(penalty === 0 || bonus === 0).toBe(true);
      }
    }
    // Smaller than the smallest phase bonus (checkpoint_continue, 0.05).
    expect(EFFICIENCY_BONUS_CAP).toBeLessThan(Math.min(...Object.values(PHASE_BONUS)));
  });
});

describe('phase bonus (reward.yaml phase_bonus)', () => {
  const cases: { events: TransitionEvent[]; total: number; why: string }[] = [
    // Nothing happened: no bonus.
    { events: [], total: 0, why: 'no transitions' },
    // Stopped asking at the right time: 0.10.
    { events: [{ transition: 'elicitation_to_planning', correct: true }], total: 0.1, why: 'elicitation_to_planning' },
    // Viable plan before coding: 0.10.
    { events: [{ transition: 'planning_to_execution', correct: true }], total: 0.1, why: 'planning_to_execution' },
    // A right "continue": 0.05.
    { events: [{ transition: 'checkpoint_continue', correct: true }], total: 0.05, why: 'checkpoint_continue' },
    // A right pivot is harder to learn: 0.15.
    { events: [{ transition: 'checkpoint_pivot', correct: true }], total: 0.15, why: 'checkpoint_pivot' },
    // A right escalation: 0.10.
    { events: [{ transition: 'checkpoint_escalate', correct: true }], total: 0.1, why: 'checkpoint_escalate' },
    // A wrong pivot earns nothing and costs nothing.
    { events: [{ transition: 'checkpoint_pivot', correct: false }], total: 0, why: 'incorrect transition' },
    // 0.10 + 0.10 + 0.15: a full episode with three right transitions.
    {
      events: [
        { transition: 'elicitation_to_planning', correct: true },
        { transition: 'planning_to_execution', correct: true },
        { transition: 'checkpoint_pivot', correct: true },
      ],
      total: 0.35,
      why: 'three correct transitions add up',
    },
    // Three right "continue"s count once (0.05): never reward raw counts.
    {
      events: [
        { transition: 'checkpoint_continue', correct: true },
        { transition: 'checkpoint_continue', correct: true },
        { transition: 'checkpoint_continue', correct: true },
      ],
      total: 0.05,
      why: 'repeats count once',
    },
    // A wrong escalation then a right one: the right one still earns 0.10.
    {
      events: [
        { transition: 'checkpoint_escalate', correct: false },
        { transition: 'checkpoint_escalate', correct: true },
      ],
      total: 0.1,
      why: 'one correct among repeats',
    },
    // Every transition right once: 0.10 + 0.10 + 0.05 + 0.15 + 0.10 = 0.50.
    { events: PHASE_TRANSITIONS.map((transition) => ({ transition, correct: true })), total: 0.5, why: 'all five' },
  ];
  it.each(cases)('$why -> $total', ({ events, total }) => {
    expect(phaseBonus(events)).toBeCloseTo(total, 12);
  });

  it('rejects an unknown transition with a suggestion', () => {
    expect(() => phaseBonus([{ transition: 'checkpoint_pivott' as never, correct: true }])).toThrow(/Did you mean "checkpoint_pivot"/);
  });

  it('feeds the composite', () => {
    const bonus = phaseBonus([{ transition: 'checkpoint_pivot', correct: true }]);
    // 0.3 · 1 + 0.7 · 1 + 0.15
    expect(composite({ outcome: 1, behavioral: 1, stage: 1, actions: 5, phaseBonus: bonus }).total).toBeCloseTo(1.15, 12);
  });
});

const SPEC_FILE = join(import.meta.dirname, '..', '..', '..', 'shared', 'spec', 'reward.yaml');

describe.runIf(existsSync(SPEC_FILE))('composite uses the weights of shared/spec/reward.yaml', () => {
  const spec = existsSync(SPEC_FILE)
    ? (parse(readFileSync(SPEC_FILE, 'utf8')) as {
        composite: string;
        stage_weights: Record<string, { outcome: number; behavioral: number }>;
        phase_bonus: Record<string, number>;
        efficiency_penalty: string;
      })
    : null;

  it('stage weights', () => {
    for (const [stage, weights] of Object.entries(spec!.stage_weights)) {
      const result = composite({ outcome: 0.5, behavioral: 0.5, stage: Number(stage), actions: 1 });
      expect(result.outcomeWeight).toBe(weights.outcome);
      expect(result.behavioralWeight).toBe(weights.behavioral);
      // Outcome alone and behavior alone recover each weight.
      expect(composite({ outcome: 1, behavioral: 0, stage: Number(stage), actions: 1 }).total).toBeCloseTo(weights.outcome, 12);
      expect(composite({ outcome: 0, behavioral: 1, stage: Number(stage), actions: 1 }).total).toBeCloseTo(weights.behavioral, 12);
    }
    expect(Object.keys(spec!.stage_weights).sort()).toEqual(Object.keys(STAGE_WEIGHTS).sort());
  });

  it('phase bonuses', () => {
    expect(Object.keys(spec!.phase_bonus).sort()).toEqual([...PHASE_TRANSITIONS].sort());
    for (const [transition, value] of Object.entries(spec!.phase_bonus)) {
      expect(phaseBonus([{ transition: transition as never, correct: true }])).toBe(value);
    }
  });

  it('composite and efficiency formulas are the ones implemented', () => {
    expect(spec!.composite.replace(/\s+/g, ' ')).toBe(
      'outcome_weight * outcome + behavioral_weight * behavioral + efficiency_penalty + phase_bonus',
    );
    expect(spec!.efficiency_penalty).toContain('-penalty_weight * max(0, actions - baseline_actions) / baseline_actions');
    expect(spec!.efficiency_penalty).toContain('median action count of successful episodes of the same type and difficulty');
  });
});
