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
import { kl, mean, std } from './math.js';
import type { LossParts } from './ppo.js';
import type { DecisionSample, TokenBatchView } from './samples.js';

export interface GrpoConfig {
  groupSize: number;
  clip: number;
  klBeta: number;
  epochs: number;
  minibatch: number;
  outcomeOnly: boolean;
}

export const DEFAULT_GRPO: GrpoConfig = { groupSize: 8, clip: 0.2, klBeta: 0.04, epochs: 2, minibatch: 64, outcomeOnly: false };

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

export function grpoLoss(samples: readonly DecisionSample[], view: TokenBatchView, config: GrpoConfig) {
  const { targets } = view.layout;
  const n = Math.max(1, targets.length);
  const dLogp = new Float64Array(targets.length);
  let policy = 0;
  let klSum = 0;
  let clipped = 0;
  let approxKl = 0;
  let entropy = 0;
  targets.forEach((t, k) => {
    const s = samples[t.decision] as DecisionSample;
    const logp = view.stats.logp[k] as number;
    const old = s.oldLogp[t.token] as number;
    const ratio = Math.exp(logp - old);
    const a = s.advantage;
    const unclipped = ratio * a;
    const bounded = Math.min(Math.max(ratio, 1 - config.clip), 1 + config.clip) * a;
    policy += -Math.min(unclipped, bounded);
    const active = unclipped <= bounded;
    if (!active) clipped++;
    dLogp[k] = active ? (-a * ratio) / n : 0;
    approxKl += old - logp;
    entropy += view.stats.entropy[k] as number;
    if (config.klBeta > 0 && s.refLogp) {
      const ref = s.refLogp[t.token] as number;
      klSum += kl.k3(logp, ref);
      dLogp[k] = (dLogp[k] as number) + (config.klBeta * kl.k3Grad(logp, ref)) / n;
    }
  });
  const parts: LossParts = {
    policy: policy / n,
    value: 0,
    entropy: entropy / n,
    kl: klSum / n,
    clipFraction: clipped / n,
    approxKl: approxKl / n,
    loss: 0,
  };
  parts.loss = parts.policy + config.klBeta * parts.kl;
  return { parts, dLogp };
}
