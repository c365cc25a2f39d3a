/**
 * Group Relative Policy Optimization (Shao et al., 2024, DeepSeekMath) over constrained token
 * decisions: no critic. For each scenario (episode type and seed) G episodes are rolled out; the
 * advantages are relative to the group.
 *
 * Per-decision credit is used as process supervision: all decision rewards of a group are
 * normalized together, r̃ = (r − mean) / (std + ε), and a decision's advantage is the sum of the
 * normalized rewards from it to the end of its episode (DeepSeekMath's process-supervised
 * variant). With `outcomeOnly`, each episode's composite is normalized within the group instead and
 * shared by all its decisions. Per token, with ρ = exp(logp − logp_old):
 *
 *   L = −min(ρ A, clip(ρ, 1 − ε, 1 + ε) A) + β · k3(logp, logp_ref)
 *
 * averaged over the tokens of the minibatch (the value head is not trained).
 */
import { mean, std } from './math.js';
import { clippedSurrogate, type Divisors, type LossParts } from './ppo.js';
import type { DecisionSample, TokenBatchView } from './samples.js';

export interface GrpoConfig {
  groupSize: number;
  clip: number;
  klBeta: number;
  epochs: number;
  minibatch: number;
  outcomeOnly: boolean;
}

export const DEFAULT_GRPO: GrpoConfig = { groupSize: 8, clip: 0.2, klBeta: 0.04, epochs: 2, minibatch: 64, outcomeOnly: true };

/**
 * Advantages per decision for one group: `episodes[i]` holds episode i's per-decision rewards
 * (credits, summing to its composite). Returned in the same nested order.
 */
export function grpoAdvantages(episodes: readonly (readonly number[])[], outcomeOnly: boolean, eps = 1e-8): number[][] {
  if (outcomeOnly) {
    const totals = episodes.map((rs) => rs.reduce((a, b) => a + b, 0));
    const m = mean(totals);
    const s = std(totals);
    return episodes.map((rs, i) => rs.map(() => ((totals[i] as number) - m) / (s + eps)));
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

export function grpoLoss(samples: readonly DecisionSample[], view: TokenBatchView, config: GrpoConfig, divisors?: Divisors) {
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
