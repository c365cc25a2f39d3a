/**
 * What PPO (`ppo.ts`) and GRPO (`grpo.ts`) share: the clipped surrogate over constrained token
 * decisions, the loss parts they log, the optimizer epochs over length-bucketed minibatches, and
 * the iteration's metrics record. Each algorithm file holds the rest of its iteration.
 */
import { mean } from '../core/numbers.js';
import { Rng } from '../core/rng.js';
import type { ModelPolicy } from '../policy/model-policy.js';
import type { ScoreSettings } from '../reward/credit.js';
import type { EpisodeSpec } from '../rollout/rollout.js';
import type { StageNumber } from '../spec/curriculum.js';
import type { CollectedEpisode } from './collect.js';
import type { TrainConfig } from './config.js';
import type { EpisodeMix } from './curriculum.js';
import { kl } from './math.js';
import type { AdamW } from './optimizer.js';
import type { LossSpec, Parallel } from './parallel.js';
import type { DecisionSample, TokenBatchView } from './samples.js';

/** What one iteration works with; the trainer (`trainer.ts`) owns all of it. */
export interface IterationContext {
  config: TrainConfig;
  pool: Parallel;
  /** The model with the stage's adapter, sampling. */
  policy: ModelPolicy;
  optimizer: AdamW;
  /** The padding token id. */
  pad: number;
  stage: StageNumber;
  /** Iterations already done in this stage. */
  iteration: number;
  /** Episodes already played in the run (the first new episode's id). */
  episodeCounter: number;
  mix: EpisodeMix;
  settings: ScoreSettings;
  /** The learning rate of this iteration's updates. */
  lr: number;
  /** Milliseconds since an arbitrary origin (timing only). */
  clock: () => number;
  /** Milliseconds the run has used (for the metrics record). */
  elapsed: () => number;
  /** Runs after the updates (the warm start's imitation minibatches); returns the updates it skipped. */
  afterUpdates?: () => Promise<number>;
}

/** What an iteration returns: its episodes and the metrics record the trainer logs. */
export interface IterationResult {
  specs: EpisodeSpec[];
  episodes: CollectedEpisode[];
  /** `kind: 'iteration'` record of metrics.jsonl (the trainer may add the graduation values). */
  metrics: Record<string, unknown>;
  /** Decisions per second of the rollouts (for the time budget). */
  decisionsPerSecond: number;
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

/** Each sample's reference log-probabilities under the base model (no adapter), for the KL penalty. */
export async function attachReference(ctx: IterationContext, samples: DecisionSample[]): Promise<void> {
  const ref = await ctx.pool.evaluate(samples, { lora: false, pad: ctx.pad });
  samples.forEach((s, i) => {
    s.refLogp = ref.logp[i];
  });
}

/**
 * `epochs` passes over the samples in length-bucketed minibatches of `size` decisions (order seeded
 * by run seed, stage and iteration), one optimizer step each with `loss`. Returns the mean loss
 * parts, the last step's gradient norm and the number of skipped (non-finite) updates.
 */
export async function optimizeEpochs(
  ctx: IterationContext,
  samples: readonly DecisionSample[],
  loss: LossSpec,
  epochs: number,
  size: number,
  log: (line: string) => void,
): Promise<{ parts: LossParts; gradNorm: number; skipped: number }> {
  const rng = Rng.seeded(ctx.config.seed, 'minibatch', ctx.stage, ctx.iteration);
  const lengths = samples.map((s) => s.context.length + s.tokens.length);
  const parts: LossParts[] = [];
  let skipped = 0;
  let gradNorm = 0;
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (const idx of minibatches(samples.length, size, rng, lengths)) {
      const batch = idx.map((i) => samples[i] as DecisionSample);
      const { report, parts: stepParts } = await ctx.pool.step(ctx.optimizer, batch, ctx.pad, ctx.lr, loss);
      if (stepParts) parts.push(stepParts);
      if (!report.applied) {
        skipped++;
        log(`update skipped: ${report.skipped}`);
      }
      gradNorm = report.gradNorm;
    }
  }
  return { parts: meanParts(parts), gradNorm, skipped };
}

/** The iteration's `metrics.jsonl` record: rewards of its episodes (overall and per type), loss parts, update statistics. */
export function iterationMetrics(
  ctx: IterationContext,
  specs: readonly EpisodeSpec[],
  episodes: readonly CollectedEpisode[],
  update: { parts: LossParts; gradNorm: number; skipped: number },
  decisionsPerSecond: number,
): Record<string, unknown> {
  const byType: Record<string, number> = {};
  for (const type of new Set(episodes.map((e) => e.trace.type)))
    byType[type] = mean(episodes.filter((e) => e.trace.type === type).map((e) => e.reward));
  return {
    kind: 'iteration',
    stage: ctx.stage,
    iteration: ctx.iteration + 1,
    episodes: ctx.episodeCounter + specs.length,
    reward: mean(episodes.map((e) => e.reward)),
    outcome: mean(episodes.map((e) => e.trace.reward.outcome)),
    behavioral: mean(episodes.map((e) => e.score.behavioral)),
    byType,
    ...update.parts,
    gradNorm: update.gradNorm,
    skippedUpdates: update.skipped,
    lr: ctx.lr,
    decisions: episodes.reduce((n, e) => n + e.decisions.length, 0),
    decisionsPerSecond: Math.round(decisionsPerSecond),
    elapsedS: Math.round(ctx.elapsed() / 1000),
  };
}
