/**
 * The reward the trainer optimizes, per decision (`reward/credit.ts`): table-driven cases of
 * `stepRewards`, its invariants, and the link values read from a trace.
 */
import { describe, expect, it } from 'vitest';
import { elicitation } from '../../src/episodes/elicitation/index.js';
import { ScriptedPersona } from '../../src/policy/scripted.js';
import { decisionLinkValues, stepRewards, trainingReward } from '../../src/reward/credit.js';
import { scoreEpisode } from '../../src/reward/episode-score.js';
import { rolloutSync } from '../../src/rollout/rollout.js';

const sum = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0);

describe('stepRewards', () => {
  const cases: { reward: number; links: number[]; steps: number[]; why: string }[] = [
    // No links: everything comes with the last decision.
    { reward: 0.6, links: [0, 0, 0], steps: [0, 0, 0.6], why: 'no links: the reward comes last' },
    // One positive link: ρ·|R| = 0.4 to d0; the rest 0.4 comes last.
    { reward: 0.8, links: [0.3, 0, 0, 0], steps: [0.4, 0, 0, 0.4], why: 'one positive link' },
    // +0.2 and −0.2: ±0.5 · 1 · 0.2/0.4 = ±0.25; the rest 1 comes last.
    { reward: 1, links: [0.2, -0.2, 0, 0], steps: [0.25, -0.25, 0, 1], why: 'a helpful and a harmful decision' },
    // +0.3, +0.1: 0.5 · 0.4 · (0.75, 0.25) = 0.15, 0.05; the rest 0.2 with the last.
    { reward: 0.4, links: [0.3, 0.1], steps: [0.15, 0.25], why: 'proportional to link values' },
    // Negative reward −0.2 with links +0.1, −0.1: ±0.05; the decision that helped is still rewarded.
    { reward: -0.2, links: [0.1, -0.1], steps: [0.05, -0.25], why: 'negative reward keeps the order' },
    // Zero reward: nothing to share.
    { reward: 0, links: [0.5, -0.5], steps: [0, 0], why: 'zero reward' },
    // One decision takes everything.
    { reward: 0.7, links: [-1], steps: [0.7], why: 'single decision' },
  ];
  it.each(cases)('$why', ({ reward, links, steps }) => {
    const result = stepRewards(reward, links);
    for (const [i, r] of result.entries()) expect(r).toBeCloseTo(steps[i] as number, 12);
    expect(sum(result)).toBeCloseTo(reward, 12);
  });

  it('keeps every return-to-go equal to R plus the link values from that decision on (γ = 1)', () => {
    const links = [0.3, -0.1, 0, 0.2, -0.4];
    const reward = 0.65;
    const steps = stepRewards(reward, links);
    const scale = sum(links.map(Math.abs));
    for (let i = 0; i < links.length; i++) {
      const before = links.slice(0, i).reduce((s, v) => s + (0.5 * reward * v) / scale, 0);
      expect(sum(steps.slice(i))).toBeCloseTo(reward - before, 12);
    }
  });

  it('refuses a share outside [0, 1]; no decisions give no rewards', () => {
    expect(() => stepRewards(1, [1, 2], 2)).toThrow(/linkedShare/);
    expect(stepRewards(0.5, [])).toEqual([]);
  });
});

describe('the training reward of an episode', () => {
  it('is the stage composite plus the invalid-action penalties, spread by stepRewards', () => {
    const [played] = rolloutSync(new ScriptedPersona('senior', 1), [{ type: elicitation, seed: 3 }]);
    const trace = played?.trace;
    if (!trace) throw new Error('no episode');
    const { reward, credits, score } = trainingReward(trace, { stage: 1 });
    expect(reward).toBeCloseTo(scoreEpisode(trace, { stage: 1 }).breakdown.total + trace.reward.invalidPenalty, 12);
    expect(score.behavioral).toBeGreaterThan(0);
    expect(credits).toEqual(stepRewards(reward, decisionLinkValues(trace)));
  });

  it('reads link values from a trace (episode-level links are not attributed)', () => {
    const trace = {
      decisions: [
        { id: 'ep/d0', links: [{ effect: 'revealed_requirement', value: 0.1, note: '' }] },
        {
          id: 'ep/d1',
          links: [
            { effect: 'changed_implementation', value: 0.2, note: '' },
            { effect: 'false_dependency', value: -0.05, note: '' },
          ],
        },
        { id: 'ep/d2', links: [] },
      ],
    };
    const values = decisionLinkValues(trace as never);
    expect(values[0]).toBeCloseTo(0.1, 12);
    expect(values[1]).toBeCloseTo(0.15, 12);
    expect(values[2]).toBe(0);
  });
});
