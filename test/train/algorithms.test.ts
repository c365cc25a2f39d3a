/**
 * The algorithms' math against hand computations: GAE against its defining sum, the PPO and GRPO
 * losses and gradients on small fixed batches, and the masked token gradients against finite
 * differences.
 */
import { describe, expect, it } from 'vitest';
import { grpoAdvantages, grpoLoss } from '../../src/train/grpo.js';
import { gae, kl, normalize } from '../../src/train/math.js';
import { ppoAdvantages, ppoLoss } from '../../src/train/ppo.js';
import type { DecisionSample, TokenBatchView } from '../../src/train/samples.js';
import { tokenLogitGrads, tokenStats } from '../../src/train/samples.js';

describe('GAE', () => {
  it('equals the defining sum A_t = Σ_l (γλ)^l δ_{t+l} on a terminated trajectory', () => {
    const rewards = [0.1, -0.2, 0.5, 1];
    const values = [0.3, 0.2, 0.6, 0.4];
    const dones = [false, false, false, true];
    const gamma = 0.9;
    const lambda = 0.8;
    const { advantages, returns } = gae(rewards, values, dones, gamma, lambda);
    const delta = rewards.map((r, t) => r + (t < 3 ? gamma * (values[t + 1] as number) : 0) - (values[t] as number));
    for (let t = 0; t < 4; t++) {
      let a = 0;
      for (let l = 0; t + l < 4; l++) a += (gamma * lambda) ** l * (delta[t + l] as number);
      expect(advantages[t]).toBeCloseTo(a, 12);
      expect(returns[t]).toBeCloseTo(a + (values[t] as number), 12);
    }
  });

  it('stops at episode boundaries and bootstraps a truncated end', () => {
    const { advantages } = gae([1, 1], [0, 0], [true, false], 1, 1, 5);
    expect(advantages).toEqual([1, 6]);
  });

  it('PPO advantages are GAE per episode, then normalized over the batch', () => {
    const episodes = [
      { rewards: [0, 1], values: [0.5, 0.5] },
      { rewards: [0.2], values: [0.1] },
    ];
    const raw = ppoAdvantages(episodes, { gamma: 1, lambda: 1, normalizeAdvantages: false });
    expect(raw.advantages).toEqual([0.5, 0.5, 0.2 - 0.1].map((x) => expect.closeTo(x, 12)));
    const normed = ppoAdvantages(episodes, { gamma: 1, lambda: 1, normalizeAdvantages: true });
    expect(normed.advantages).toEqual(normalize(raw.advantages));
  });

  it('PPO advantages normalize within each group when episodes name one', () => {
    const episodes = [
      { rewards: [0, 1], values: [0.5, 0.5], group: 'a' },
      { rewards: [0.2], values: [0.1], group: 'b' },
      { rewards: [3, 0], values: [0, 0], group: 'b' },
      { rewards: [0.4], values: [0], group: 'a' },
      { rewards: [0.7], values: [0.2], group: 'c' },
    ];
    const raw = ppoAdvantages(episodes, { gamma: 1, lambda: 1, normalizeAdvantages: false }).advantages;
    const normed = ppoAdvantages(episodes, { gamma: 1, lambda: 1, normalizeAdvantages: true }).advantages;
    // Flattened order: a a | b | b b | a | c
    const a = [0, 1, 5];
    const b = [2, 3, 4];
    const pick = (xs: number[], at: number[]) => at.map((i) => xs[i] as number);
    expect(pick(normed, a)).toEqual(normalize(pick(raw, a)).map((x) => expect.closeTo(x, 12)));
    expect(pick(normed, b)).toEqual(normalize(pick(raw, b)).map((x) => expect.closeTo(x, 12)));
    // A group of one decision is its own mean: 0.
    expect(normed[6]).toBe(0);
    // Not the batch normalization.
    expect(normed).not.toEqual(normalize(raw));
  });
});

function view(logp: number[], entropy: number[], values: number[], decisions: number[], tokens: number[]): TokenBatchView {
  return {
    layout: {
      ids: new Int32Array(0),
      seq: 0,
      positions: new Int32Array(0),
      targets: logp.map((_, k) => ({ row: k, target: 0, allowed: [0, 1], decision: decisions[k] as number, token: tokens[k] as number })),
      valueRows: values.map((_, i) => i),
    },
    stats: { logp: Float64Array.from(logp), entropy: Float64Array.from(entropy), probs: [] },
    values: Float32Array.from(values),
  };
}

function sample(oldLogp: number[], refLogp: number[], advantage: number, ret: number): DecisionSample {
  return { context: [], tokens: oldLogp.map(() => 0), allowed: [], oldLogp, refLogp, advantage, ret };
}

describe('PPO loss', () => {
  it('matches a hand computation: one token inside the clip range, one clipped, KL, entropy and value terms', () => {
    const config = { clip: 0.2, valueCoef: 0.5, entropyCoef: 0.1, klBeta: 0.5 };
    // Decision 0: one token, ratio e^{0.1} = 1.105 (inside), A = 2.
    // Decision 1: one token, ratio e^{0.5} = 1.649 (> 1.2), A = 1 -> clipped: loss −1.2, no gradient.
    const samples = [sample([-1.1], [-0.9], 2, 1), sample([-0.7], [-0.2], 1, 0)];
    const v = view([-1.0, -0.2], [0.6, 0.4], [0.5, 0.3], [0, 1], [0, 0]);
    const { parts, dLogp, dEntropy, dValues } = ppoLoss(samples, v, config);
    const r0 = Math.exp(0.1);
    const r1 = Math.exp(0.5);
    expect(parts.policy).toBeCloseTo((-(r0 * 2) + -1.2) / 2, 12);
    expect(parts.clipFraction).toBe(0.5);
    const k3a = Math.exp(-0.9 - -1.0) - (-0.9 - -1.0) - 1;
    const k3b = Math.exp(-0.2 - -0.2) - 0 - 1;
    expect(parts.kl).toBeCloseTo((k3a + k3b) / 2, 12);
    expect(parts.value).toBeCloseTo((0.5 * 0.25 + 0.5 * 0.09) / 2, 7);
    expect(parts.entropy).toBeCloseTo(0.5, 12);
    expect(parts.loss).toBeCloseTo(parts.policy + 0.5 * parts.value - 0.1 * parts.entropy + 0.5 * parts.kl, 12);
    expect(dLogp[0]).toBeCloseTo((-2 * r0 + 0.5 * (1 - Math.exp(0.1))) / 2, 12);
    expect(dLogp[1]).toBeCloseTo((0.5 * (1 - Math.exp(0))) / 2, 12);
    expect(r1).toBeGreaterThan(1.2);
    expect([...dEntropy]).toEqual([-0.05, -0.05]);
    expect(dValues[0]).toBeCloseTo((0.5 * (0.5 - 1)) / 2, 7);
    expect(dValues[1]).toBeCloseTo((0.5 * 0.3) / 2, 7);
  });

  it('a negative advantage is clipped below 1 − ε', () => {
    const samples = [sample([-1], [-1], -1, 0)];
    const { parts, dLogp } = ppoLoss(samples, view([-1.5], [0], [0], [0], [0]), { clip: 0.2, valueCoef: 0.5, klBeta: 0, entropyCoef: 0 });
    // ratio e^{-0.5} = 0.607 < 0.8: min(−0.607·−1, 0.8·−1)... the clipped −0.8·(−1) = 0.8 is larger, so the loss is 0.8.
    expect(parts.policy).toBeCloseTo(0.8, 12);
    expect(dLogp[0]).toBe(0);
  });
});

describe('GRPO', () => {
  it('outcome-only advantages are group-normalized episode totals', () => {
    const adv = grpoAdvantages([[0.5, 0.5], [0], [0.2, 0.1]], true);
    const totals = [1, 0, 0.3];
    const m = (1 + 0 + 0.3) / 3;
    const s = Math.sqrt(totals.reduce((a, t) => a + (t - m) ** 2, 0) / 3);
    expect(adv[0]).toEqual([(1 - m) / s, (1 - m) / s].map((x) => expect.closeTo(x, 6)));
    expect(adv[1]?.[0]).toBeCloseTo((0 - m) / s, 6);
  });

  it('process-supervised advantages sum the normalized rewards that follow', () => {
    const rewards = [
      [1, 0],
      [0, 0, 2],
    ];
    const all = [1, 0, 0, 0, 2];
    const m = 0.6;
    const s = Math.sqrt(all.reduce((a, r) => a + (r - m) ** 2, 0) / 5);
    const n = (r: number) => (r - m) / s;
    const adv = grpoAdvantages(rewards, false);
    expect(adv[0]?.[0]).toBeCloseTo(n(1) + n(0), 6);
    expect(adv[0]?.[1]).toBeCloseTo(n(0), 6);
    expect(adv[1]?.[0]).toBeCloseTo(n(0) + n(0) + n(2), 6);
  });

  it('the loss matches a hand computation', () => {
    const config = { groupSize: 2, clip: 0.2, klBeta: 0.1, epochs: 1, minibatch: 8, outcomeOnly: false };
    const samples = [sample([-0.5, -1], [-0.6, -1], 1.5, 0)];
    const { parts, dLogp } = grpoLoss(samples, view([-0.4, -1.3], [0, 0], [0], [0, 0], [0, 1]), config);
    const r0 = Math.exp(0.1);
    const r1 = Math.exp(-0.3);
    expect(parts.policy).toBeCloseTo((-r0 * 1.5 + -r1 * 1.5) / 2, 12);
    expect(parts.kl).toBeCloseTo((kl.k3(-0.4, -0.6) + kl.k3(-1.3, -1)) / 2, 12);
    expect(dLogp[0]).toBeCloseTo((-1.5 * r0 + 0.1 * kl.k3Grad(-0.4, -0.6)) / 2, 12);
    expect(dLogp[1]).toBeCloseTo((-1.5 * r1 + 0.1 * kl.k3Grad(-1.3, -1)) / 2, 12);
  });
});

describe('masked token gradients', () => {
  it('d logp and d entropy with respect to the logits match finite differences', () => {
    const vocab = 5;
    const logits = Float32Array.from([0.3, -1.2, 2.0, 0.5, -0.4, 1.1, 0.0, -0.7, 0.9, 0.2]);
    const targets = [
      { row: 0, target: 2, allowed: [0, 2, 3] },
      { row: 1, target: 4, allowed: [1, 4] },
    ];
    const wl = [0.7, -1.3];
    const we = [0.4, 0.9];
    const f = (z: Float32Array) => {
      const s = tokenStats(z, vocab, targets);
      return wl[0]! * s.logp[0]! + wl[1]! * s.logp[1]! + we[0]! * s.entropy[0]! + we[1]! * s.entropy[1]!;
    };
    const grads = tokenLogitGrads(vocab, 2, targets, tokenStats(logits, vocab, targets), wl, we);
    for (let i = 0; i < logits.length; i++) {
      const z = Float32Array.from(logits);
      const eps = 1e-3;
      z[i] = (logits[i] as number) + eps;
      const plus = f(z);
      z[i] = (logits[i] as number) - eps;
      const minus = f(z);
      expect(grads[i]).toBeCloseTo((plus - minus) / (2 * eps), 3);
    }
    // Tokens outside the allowed sets get no gradient.
    expect(grads[1]).toBe(0);
    expect(grads[5 + 0]).toBe(0);
  });
});

describe('step rewards for the trainer', () => {
  it('sum to the episode reward, pay the linked parts per decision and the rest at the end', async () => {
    const { stepRewards } = await import('../../src/reward/credit.js');
    const r = stepRewards(0.8, [0.5, 0, -0.5, 1]);
    // linked_i = 0.5 * 0.8 * v_i / 2
    expect(r.slice(0, 3)).toEqual([0.1, 0, -0.1].map((x) => expect.closeTo(x, 12)));
    expect(r.reduce((a, b) => a + b, 0)).toBeCloseTo(0.8, 12);
    expect(r[3]).toBeCloseTo(0.2 + 0.6, 12); // its own linked part plus the unlinked rest
    // No links: everything at the end, so the return-to-go of every decision is R.
    expect(stepRewards(0.6, [0, 0, 0])).toEqual([0, 0, 0.6]);
    expect(stepRewards(0.6, [])).toEqual([]);
  });
});
