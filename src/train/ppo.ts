/**
 * Proximal Policy Optimization (Schulman et al., 2017) over constrained token decisions: one
 * iteration, top to bottom — collect, advantages, the KL reference, epochs × minibatches, logging.
 *
 * Rewards: each decision is rewarded with its step reward from `reward/credit.ts` (the step rewards
 * of an episode sum to its composite). Advantages: GAE(γ, λ) between the decisions of an episode,
 * normalized over the batch (or within each episode type). Every token of a decision shares its
 * advantage (γ = 1 between the tokens of one decision, whose reward sits on its last token). Per
 * token, with ratio ρ = exp(logp − logp_old):
 *
 *   L_clip  = −min(ρ A, clip(ρ, 1 − ε, 1 + ε) A)
 *   L_kl    = β · k3(logp, logp_ref),   k3 = e^{ref − logp} − (ref − logp) − 1
 *   L_ent   = −c_H · H
 * and per decision L_value = c_V · ½ (V − R)².
 * The loss is the token mean of L_clip + L_kl + L_ent plus the decision mean of L_value, minimized
 * by AdamW over minibatches for several epochs, with global-norm clipping (the learning rate is the
 * trainer's schedule).
 */
import type { CollectedEpisode } from './collect.js';
import type { TrainConfig } from './config.js';
import { iterationSpecs } from './curriculum.js';
import { gae, normalize } from './math.js';
import {
  attachReference,
  clippedSurrogate,
  type Divisors,
  type IterationContext,
  type IterationResult,
  iterationMetrics,
  type LossParts,
  optimizeEpochs,
} from './policy-gradient.js';
import type { DecisionSample, TokenBatchView } from './samples.js';

/** The loss settings a worker thread needs to rebuild the PPO loss (plain data). */
export interface PpoLossConfig {
  clip: number;
  valueCoef: number;
  entropyCoef: number;
  klBeta: number;
}

/** A run's PPO loss settings. */
export function ppoLossConfig(config: TrainConfig): PpoLossConfig {
  return { clip: config.ppoClip, valueCoef: config.ppoValueCoef, entropyCoef: config.ppoEntropyCoef, klBeta: config.ppoKlBeta };
}

export interface EpisodeDecisions {
  /** Per-decision rewards (step rewards), in order. */
  rewards: number[];
  /** Value estimates when sampled. */
  values: number[];
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
export function ppoAdvantages(
  episodes: readonly EpisodeDecisions[],
  config: { gamma: number; lambda: number; normalizeAdvantages: boolean },
): { advantages: number[]; returns: number[] } {
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

/**
 * The PPO loss of a minibatch and its gradients with respect to each token's log-probability and
 * entropy and each decision's value.
 */
export function ppoLoss(samples: readonly DecisionSample[], view: TokenBatchView, config: PpoLossConfig, divisors?: Divisors) {
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

/** The decision samples of a batch of episodes, each with its GAE advantage and return. */
function ppoSamples(ctx: IterationContext, episodes: readonly CollectedEpisode[]): DecisionSample[] {
  const { config } = ctx;
  const { advantages, returns } = ppoAdvantages(
    episodes.map((e) => ({
      rewards: e.credits,
      values: e.decisions.map((d) => d.value),
      ...(config.ppoAdvantageNorm === 'type' ? { group: e.trace.type } : {}),
    })),
    { gamma: config.ppoGamma, lambda: config.ppoLambda, normalizeAdvantages: true },
  );
  const samples: DecisionSample[] = [];
  let k = 0;
  for (const e of episodes) {
    for (const d of e.decisions) {
      samples.push({
        context: d.context,
        tokens: d.tokens,
        allowed: d.allowed,
        oldLogp: d.logProbs,
        advantage: advantages[k] as number,
        ret: returns[k] as number,
      });
      k++;
    }
  }
  return samples;
}

/** One PPO iteration: the policy and the value head updated on a fresh batch of episodes. */
export async function ppoIteration(ctx: IterationContext, log: (line: string) => void): Promise<IterationResult> {
  const { config } = ctx;

  // ---- 1. collect: `episodesPerIteration` episodes of the stage mix, played and scored ---------
  const started = ctx.clock();
  const specs = iterationSpecs(config.seed, ctx.stage, ctx.episodeCounter, ctx.mix, config.episodesPerIteration, 1);
  const episodes = await ctx.pool.collect(ctx.policy, specs, ctx.settings);
  const decisions = episodes.reduce((n, e) => n + e.decisions.length, 0);
  const decisionsPerSecond = decisions / Math.max(1e-3, (ctx.clock() - started) / 1000);

  // ---- 2. advantages: GAE over each episode's step rewards, normalized ----------------------------
  const samples = ppoSamples(ctx, episodes);

  // ---- 3. the KL reference: each token's log-probability under the base model ---------------------
  if (config.ppoKlBeta > 0) await attachReference(ctx, samples);

  // ---- 4. epochs × minibatches of the clipped surrogate, the value loss and the entropy bonus -----
  const loss = { kind: 'ppo' as const, config: ppoLossConfig(config) };
  const update = await optimizeEpochs(ctx, samples, loss, config.ppoEpochs, config.ppoMinibatch, log);
  update.skipped += (await ctx.afterUpdates?.()) ?? 0;

  // ---- 5. log -------------------------------------------------------------------------------------
  return { specs, episodes, metrics: iterationMetrics(ctx, specs, episodes, update, decisionsPerSecond), decisionsPerSecond };
}
