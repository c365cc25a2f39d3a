/**
 * Pure math shared by the algorithms: generalized advantage estimation, normalization, KL
 * estimators. No tensors: plain arrays, so each formula can be checked against a plain loop.
 */
import { mean } from '../core/numbers.js';

/**
 * GAE(γ, λ) over one trajectory: δ_t = r_t + γ V(s_{t+1}) (1 - done_t) − V(s_t),
 * A_t = δ_t + γ λ (1 - done_t) A_{t+1}; returns the advantages and the value targets A_t + V(s_t).
 * `lastValue` bootstraps a truncated trajectory (0 when it terminated).
 */
export function gae(
  rewards: readonly number[],
  values: readonly number[],
  dones: readonly boolean[],
  gamma: number,
  lambda: number,
  lastValue = 0,
): { advantages: number[]; returns: number[] } {
  const n = rewards.length;
  const advantages = new Array<number>(n).fill(0);
  let next = 0;
  for (let t = n - 1; t >= 0; t--) {
    const nonTerminal = dones[t] ? 0 : 1;
    const nextValue = t === n - 1 ? lastValue : (values[t + 1] as number);
    const delta = (rewards[t] as number) + gamma * nextValue * nonTerminal - (values[t] as number);
    next = delta + gamma * lambda * nonTerminal * next;
    advantages[t] = next;
  }
  return { advantages, returns: advantages.map((a, t) => a + (values[t] as number)) };
}

export function std(xs: readonly number[]): number {
  if (xs.length < 2) return 0;
  const m = mean(xs);
  let s = 0;
  for (const x of xs) s += (x - m) ** 2;
  return Math.sqrt(s / xs.length);
}

/** (x − mean) / (std + eps). */
export function normalize(xs: readonly number[], eps = 1e-8): number[] {
  const m = mean(xs);
  const s = std(xs);
  return xs.map((x) => (x - m) / (s + eps));
}

/** KL estimators for samples from the current policy, with r = log π_ref − log π. */
export const kl = {
  /** k1 = −r: unbiased, high variance, can be negative. */
  k1(logp: number, refLogp: number): number {
    return logp - refLogp;
  },
  /** k3 = e^r − r − 1: unbiased, always ≥ 0 (Schulman's approximation). */
  k3(logp: number, refLogp: number): number {
    const r = refLogp - logp;
    return Math.exp(r) - r - 1;
  },
  /** d k3 / d logp = 1 − e^r. */
  k3Grad(logp: number, refLogp: number): number {
    return 1 - Math.exp(refLogp - logp);
  },
};
