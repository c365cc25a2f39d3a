/**
 * Proximal Policy Optimization (Schulman et al., 2017) over constrained token decisions.
 *
 * Advantages: GAE(γ, λ) between the decisions of an episode, each decision rewarded with its
 * per-decision credit from the reward pipeline (credits sum to the episode's composite). Every
 * token of a decision shares its advantage (γ = 1 between the tokens of one decision, whose reward
 * sits on its last token). Per token, with ratio ρ = exp(logp − logp_old):
 *
 *   L_clip  = −min(ρ A, clip(ρ, 1 − ε, 1 + ε) A)
 *   L_kl    = β · k3(logp, logp_ref),   k3 = e^{ref − logp} − (ref − logp) − 1
 *   L_ent   = −c_H · H
 * and per decision L_value = c_V · ½ (V − R)².
 * The loss is the token mean of L_clip + L_kl + L_ent plus the decision mean of L_value, minimized
 * by AdamW over minibatches for several epochs, with global-norm clipping and a linear
 * learning-rate decay over the run.
 */
import type { Rng } from '../core/rng.js';
import { gae, kl, mean, normalize } from './math.js';
import type { DecisionSample, TokenBatchView } from './samples.js';

export interface PpoConfig {
  clip: number;
  valueCoef: number;
  entropyCoef: number;
  klBeta: number;
  gamma: number;
  lambda: number;
  epochs: number;
  minibatch: number;
  normalizeAdvantages: boolean;
}

export const DEFAULT_PPO: PpoConfig = {
  clip: 0.2,
  valueCoef: 0.5,
  entropyCoef: 0.01,
  klBeta: 0.02,
  gamma: 0.99,
  lambda: 0.95,
  epochs: 4,
  minibatch: 64,
  normalizeAdvantages: true,
};

export interface EpisodeDecisions {
  /** Per-decision rewards (credits), in order. */
  rewards: number[];
  /** Value estimates when sampled. */
  values: number[];
  /** True if the episode ended by termination (no bootstrap); truncated episodes bootstrap 0 too. */
  terminated: boolean;
  /**
   * Normalization group (the episode type): with groups given, advantages are normalized within
   * each group instead of over the whole batch.
   */
  group?: string;
}

/**
 * GAE advantages and returns for each episode's decisions, flattened in order. Normalized to zero
 * mean and unit deviation over the batch, or within each episode's `group` where episodes name one
 * (so an episode type with a small reward spread still weighs as much as one with a large spread).
 */
export function ppoAdvantages(episodes: readonly EpisodeDecisions[], config: Pick<PpoConfig, 'gamma' | 'lambda' | 'normalizeAdvantages'>) {
  const advantages: number[] = [];
  const returns: number[] = [];
  const groups: string[] = [];
  for (const e of episodes) {
    const dones = e.rewards.map((_, i) => i === e.rewards.length - 1);
    const r = gae(e.rewards, e.values, dones, config.gamma, config.lambda);
    advantages.push(...r.advantages);
    returns.push(...r.returns);
    for (let i = 0; i < r.advantages.length; i++) groups.push(e.group ?? '');
  }
  if (!config.normalizeAdvantages || advantages.length < 2) return { advantages, returns };
  const out = advantages.slice();
  for (const g of new Set(groups)) {
    const at = groups.flatMap((x, i) => (x === g ? [i] : []));
    // A group of one decision normalizes to 0, as its own mean.
    const normed = normalize(at.map((i) => advantages[i] as number));
    at.forEach((i, k) => {
      out[i] = normed[k] as number;
    });
  }
  return { advantages: out, returns };
}

export interface LossParts {
  loss: number;
  policy: number;
  value: number;
  entropy: number;
  kl: number;
  clipFraction: number;
  approxKl: number;
}

/**
 * The divisors of a minibatch's means: its trainable tokens and its decisions. A shard of a
 * minibatch (data parallelism, see parallel.ts) passes the whole minibatch's divisors, so the
 * shards' gradients add up to the whole minibatch's gradient.
 */
export interface Divisors {
  tokens: number;
  decisions: number;
}

/** Token sums of the clipped surrogate and the KL penalty, shared by PPO and GRPO. */
export interface SurrogateTerms {
  /** Number of trainable tokens (at least 1: the divisor of every mean). */
  n: number;
  policy: number;
  kl: number;
  entropy: number;
  clipped: number;
  approxKl: number;
  /** d (token-mean loss) / d logp per token. */
  dLogp: Float64Array;
}

/**
 * Per token, with ρ = exp(logp − logp_old): −min(ρA, clip(ρ, 1 − ε, 1 + ε)A) + β·k3(logp, logp_ref),
 * summed over the minibatch's trainable tokens, with the gradient of the token mean. The gradient
 * flows through the unclipped branch only when it is the minimum (or equal).
 */
export function clippedSurrogate(
  samples: readonly DecisionSample[],
  view: TokenBatchView,
  clip: number,
  klBeta: number,
  divisors?: Divisors,
): SurrogateTerms {
  const { targets } = view.layout;
  const n = Math.max(1, divisors?.tokens ?? targets.length);
  const dLogp = new Float64Array(targets.length);
  const out = { n, policy: 0, kl: 0, entropy: 0, clipped: 0, approxKl: 0, dLogp };
  targets.forEach((t, k) => {
    const s = samples[t.decision] as DecisionSample;
    const logp = view.stats.logp[k] as number;
    const old = s.oldLogp[t.token] as number;
    const ratio = Math.exp(logp - old);
    const a = s.advantage;
    const unclipped = ratio * a;
    const bounded = Math.min(Math.max(ratio, 1 - clip), 1 + clip) * a;
    out.policy += -Math.min(unclipped, bounded);
    const active = unclipped <= bounded;
    if (!active) out.clipped++;
    dLogp[k] = active ? (-a * ratio) / n : 0;
    out.approxKl += old - logp;
    out.entropy += view.stats.entropy[k] as number;
    if (klBeta > 0 && s.refLogp) {
      const ref = s.refLogp[t.token] as number;
      out.kl += kl.k3(logp, ref);
      dLogp[k] = (dLogp[k] as number) + (klBeta * kl.k3Grad(logp, ref)) / n;
    }
  });
  return out;
}

/**
 * The PPO loss of a minibatch and its gradients with respect to each token's log-probability and
 * entropy and each decision's value.
 */
export function ppoLoss(samples: readonly DecisionSample[], view: TokenBatchView, config: PpoConfig, divisors?: Divisors) {
  const terms = clippedSurrogate(samples, view, config.clip, config.klBeta, divisors);
  const { n } = terms;
  const dEntropy = new Float64Array(view.layout.targets.length).fill(-config.entropyCoef / n);
  const m = Math.max(1, divisors?.decisions ?? samples.length);
  const dValues = new Float64Array(samples.length);
  let valueLoss = 0;
  samples.forEach((s, i) => {
    const diff = (view.values[i] as number) - s.ret;
    valueLoss += 0.5 * diff * diff;
    dValues[i] = (config.valueCoef * diff) / m;
  });
  const parts: LossParts = {
    policy: terms.policy / n,
    value: valueLoss / m,
    entropy: terms.entropy / n,
    kl: terms.kl / n,
    clipFraction: terms.clipped / n,
    approxKl: terms.approxKl / n,
    loss: 0,
  };
  parts.loss = parts.policy + config.valueCoef * parts.value - config.entropyCoef * parts.entropy + config.klBeta * parts.kl;
  return { parts, dLogp: terms.dLogp, dEntropy, dValues };
}

/**
 * Minibatches for one epoch. With `lengths`, samples are grouped by sequence length (a seeded
 * shuffle, then a stable sort by length) so a minibatch pads little, and the minibatches are then
 * visited in a seeded random order; without, a plain seeded shuffle.
 */
export function minibatches(count: number, size: number, rng: Rng, lengths?: readonly number[]): number[][] {
  const order = rng.shuffle(Array.from({ length: count }, (_, i) => i));
  if (lengths) order.sort((a, b) => (lengths[a] as number) - (lengths[b] as number));
  const out: number[][] = [];
  for (let i = 0; i < order.length; i += size) out.push(order.slice(i, i + size));
  return lengths ? rng.shuffle(out) : out;
}

export function meanParts(parts: readonly LossParts[]): LossParts {
  const keys = ['loss', 'policy', 'value', 'entropy', 'kl', 'clipFraction', 'approxKl'] as const;
  const out = {} as LossParts;
  for (const k of keys) out[k] = mean(parts.map((p) => p[k]));
  return out;
}
