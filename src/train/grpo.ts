/**
 * Group Relative Policy Optimization (Shao et al., 2024, DeepSeekMath) over constrained token
 * decisions: one iteration, top to bottom — collect groups, group-relative advantages, the KL
 * reference, epochs × minibatches, logging. No critic: for each scenario (episode type and seed)
 * `grpoGroupSize` episodes are rolled out, and advantages are relative to the group.
 *
 * By default (`outcomeOnly`) each episode's reward is normalized within its group and shared by all
 * its decisions. Without it, the step rewards (`reward/credit.ts`) act as process supervision: all
 * decision rewards of a group are normalized together, r̃ = (r − mean) / (std + ε), and a
 * decision's advantage is the sum of the normalized rewards from it to the end of its episode
 * (DeepSeekMath's process-supervised variant). Per token, with ρ = exp(logp − logp_old):
 *
 *   L = −min(ρ A, clip(ρ, 1 − ε, 1 + ε) A) + β · k3(logp, logp_ref)
 *
 * averaged over the tokens of the minibatch (the value head is not trained).
 */

import { mean } from '../core/numbers.js';
import type { CollectedEpisode } from './collect.js';
import { iterationSpecs } from './curriculum.js';
import { normalize, std } from './math.js';
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

/** The loss settings a worker thread needs to rebuild the GRPO loss (plain data). */
export interface GrpoLossConfig {
  clip: number;
  klBeta: number;
}

/**
 * Advantages per decision for one group: `episodes[i]` holds episode i's per-decision rewards
 * (step rewards, summing to its composite). Returned in the same nested order.
 */
export function grpoAdvantages(episodes: readonly (readonly number[])[], outcomeOnly: boolean, eps = 1e-8): number[][] {
  if (outcomeOnly) {
    const scores = normalize(
      episodes.map((rs) => rs.reduce((a, b) => a + b, 0)),
      eps,
    );
    return episodes.map((rs, i) => rs.map(() => scores[i] as number));
  }
  const all = episodes.flat();
  const m = mean(all);
  const s = std(all);
  return episodes.map((rs) => {
    const out = new Array<number>(rs.length).fill(0);
    let acc = 0;
    for (let t = rs.length - 1; t >= 0; t--) {
      acc += ((rs[t] as number) - m) / (s + eps);
      out[t] = acc;
    }
    return out;
  });
}

/** The GRPO loss of a minibatch and its gradient with respect to each token's log-probability. */
export function grpoLoss(samples: readonly DecisionSample[], view: TokenBatchView, config: GrpoLossConfig, divisors?: Divisors) {
  const terms = clippedSurrogate(samples, view, config.clip, config.klBeta, divisors);
  const { n } = terms;
  const parts: LossParts = {
    policy: terms.policy / n,
    value: 0,
    entropy: terms.entropy / n,
    kl: terms.kl / n,
    clipFraction: terms.clipped / n,
    approxKl: terms.approxKl / n,
    loss: 0,
  };
  parts.loss = parts.policy + config.klBeta * parts.kl;
  return { parts, dLogp: terms.dLogp };
}

/** The decision samples of a batch of groups, each with its group-relative advantage. */
function grpoSamples(ctx: IterationContext, episodes: readonly CollectedEpisode[]): DecisionSample[] {
  const groups = new Map<number, CollectedEpisode[]>();
  for (const e of episodes) {
    const g = e.spec.group ?? 0;
    groups.set(g, [...(groups.get(g) ?? []), e]);
  }
  const samples: DecisionSample[] = [];
  for (const group of groups.values()) {
    const advantages = grpoAdvantages(
      group.map((e) => e.credits),
      ctx.config.grpoOutcomeOnly,
    );
    group.forEach((e, i) => {
      e.decisions.forEach((d, t) => {
        samples.push({
          context: d.context,
          tokens: d.tokens,
          allowed: d.allowed,
          oldLogp: d.logProbs,
          advantage: (advantages[i] as number[])[t] as number,
          ret: 0,
        });
      });
    });
  }
  return samples;
}

/** One GRPO iteration: the policy updated on fresh groups of episodes. */
export async function grpoIteration(ctx: IterationContext, log: (line: string) => void): Promise<IterationResult> {
  const { config } = ctx;

  // ---- 1. collect: groups of `grpoGroupSize` episodes of one scenario each, played and scored -----
  const started = ctx.clock();
  const specs = iterationSpecs(config.seed, ctx.stage, ctx.episodeCounter, ctx.mix, config.episodesPerIteration, config.grpoGroupSize);
  const episodes = await ctx.pool.collect(ctx.policy, specs, ctx.settings);
  const decisions = episodes.reduce((n, e) => n + e.decisions.length, 0);
  const decisionsPerSecond = decisions / Math.max(1e-3, (ctx.clock() - started) / 1000);

  // ---- 2. advantages: each episode (or decision) against its group ------------------------------
  const samples = grpoSamples(ctx, episodes);

  // ---- 3. the KL reference: each token's log-probability under the base model ---------------------
  if (config.grpoKlBeta > 0) await attachReference(ctx, samples);

  // ---- 4. epochs × minibatches of the clipped surrogate ------------------------------------------
  const loss = { kind: 'grpo' as const, config: { clip: config.grpoClip, klBeta: config.grpoKlBeta } };
  const update = await optimizeEpochs(ctx, samples, loss, config.grpoEpochs, config.grpoMinibatch, log);
  update.skipped += (await ctx.afterUpdates?.()) ?? 0;

  // ---- 5. log -------------------------------------------------------------------------------------
  return { specs, episodes, metrics: iterationMetrics(ctx, specs, episodes, update, decisionsPerSecond), decisionsPerSecond };
}
