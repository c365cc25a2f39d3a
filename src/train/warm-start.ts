/**
 * Warm start: reward-filtered imitation of logged persona episodes (filtered behavior cloning, the
 * offline-RL baseline of reward-weighted regression with a top-share weight).
 *
 * Before a stage's RL, the personas of the pretraining mixture (junior, mid, random — never the
 * senior) play `episodesPerType` episodes of each stage type on seeds of their own; the reward
 * pipeline scores each with the stage composite (the reward RL optimizes), and the adapter
 * imitates the best `top` share of each type for `epochs` epochs. The base imitated every such
 * episode alike — an average engineer; the warm start keeps only what the reward says paid, so the
 * policy RL starts from has already picked up the persona behaviors that earn reward (a mid who
 * researched and named the right suspect, a plan that flagged its uncertain parts first) without
 * ever seeing the senior.
 */

import type { EpisodeWorld } from '../core/episode.js';
import { mean } from '../core/numbers.js';
import { Rng } from '../core/rng.js';
import { episodeType } from '../episodes/all.js';
import type { LoraAdapter } from '../model/io.js';
import type { Tokenizer } from '../model/tokenizer.js';
import type { Transformer } from '../model/transformer.js';
import type { ModelPolicy } from '../policy/model-policy.js';
import type { PersonaName } from '../policy/scripted.js';
import type { ScoreSettings } from '../reward/credit.js';
import type { StageNumber } from '../spec/curriculum.js';
import type { TrainIo } from './base.js';
import type { ResolvedTrainConfig } from './config.js';
import { type EpisodeMix, SEED_RANGES } from './curriculum.js';
import { AdamW } from './optimizer.js';
import type { Parallel } from './parallel.js';
import type { IterationContext } from './policy-gradient.js';
import { minibatches } from './policy-gradient.js';
import { type ImitationEpisode, type ImitationStep, imitationEpisodes, type LoggingConfig } from './pretrain.js';
import type { DecisionSample } from './samples.js';

export interface WarmStartConfig {
  /** Share of each type's logged episodes kept, best composite first (0 < top ≤ 1). */
  top: number;
  episodesPerType: number;
  epochs: number;
  lr: number;
  /** Decisions per imitation minibatch. */
  batch: number;
  /** The personas that play the logged episodes (the pretraining mixture). */
  mixture: LoggingConfig['mixture'];
  /** First seed of the logged episodes (seed + i for the i-th of each type). */
  seed: number;
}

/** `--warm-start-types`: the types named (none: every type of the stage) minus those named with `-`. */
export interface WarmStartTypes {
  include: string[];
  exclude: string[];
}

/**
 * Parses `--warm-start-types`, e.g. `decomposition,research` or `-elicitation` (every stage type
 * but elicitation). Throws a message naming an unknown type and the known ones.
 */
export function parseWarmStartTypes(text: string, known: readonly string[]): WarmStartTypes {
  const parsed: WarmStartTypes = { include: [], exclude: [] };
  for (const raw of text.split(',').map((t) => t.trim())) {
    if (raw === '') continue;
    const name = raw.startsWith('-') ? raw.slice(1).trim() : raw;
    if (!known.includes(name))
      throw new Error(`--warm-start-types: "${name}" is not an episode type (choose from ${known.join(', ')}; "-type" leaves one out)`);
    (raw.startsWith('-') ? parsed.exclude : parsed.include).push(name);
  }
  return parsed;
}

/** The stage types a warm start imitates: `include` (or every stage type) minus `exclude`. */
export function warmStartTypesOf(types: WarmStartTypes, stageTypes: readonly string[]): string[] {
  return stageTypes.filter((t) => (types.include.length === 0 || types.include.includes(t)) && !types.exclude.includes(t));
}

/** What was kept of one type: counts, mean composites and the kept episodes' personas. */
export interface WarmStartTypeSummary {
  type: string;
  kept: number;
  logged: number;
  keptMean: number;
  loggedMean: number;
  decisions: number;
  personas: Partial<Record<PersonaName, number>>;
}

/** Keeps the best `top` share of each type's episodes (at least one), ties in logging order. */
export function filterEpisodes(
  episodes: readonly ImitationEpisode[],
  top: number,
): { kept: ImitationEpisode[]; summary: WarmStartTypeSummary[] } {
  const kept: ImitationEpisode[] = [];
  const summary: WarmStartTypeSummary[] = [];
  for (const type of [...new Set(episodes.map((e) => e.type))]) {
    const ofType = episodes.filter((e) => e.type === type);
    const best = ofType
      .map((e, i) => ({ e, i }))
      .sort((a, b) => b.e.reward - a.e.reward || a.i - b.i)
      .slice(0, Math.max(1, Math.round(ofType.length * top)))
      .map((x) => x.e);
    const personas: Partial<Record<PersonaName, number>> = {};
    for (const e of best) personas[e.persona] = (personas[e.persona] ?? 0) + 1;
    summary.push({
      type,
      kept: best.length,
      logged: ofType.length,
      keptMean: mean(best.map((e) => e.reward)),
      loggedMean: mean(ofType.map((e) => e.reward)),
      decisions: best.reduce((n, e) => n + e.samples.length, 0),
      personas,
    });
    kept.push(...best);
  }
  return { kept, summary };
}

/** Plays, scores and filters the logged episodes of `types`; the kept decisions in logging order. */
export function warmStartSamples(
  types: readonly EpisodeWorld[],
  tokenizer: Tokenizer,
  encodeContext: (tokens: readonly string[]) => number[],
  config: WarmStartConfig,
  scoring: ScoreSettings,
): { samples: DecisionSample[]; summary: WarmStartTypeSummary[] } {
  const logged = imitationEpisodes(
    types,
    tokenizer,
    encodeContext,
    { mixture: config.mixture, episodesPerType: config.episodesPerType, seed: config.seed },
    scoring,
  );
  const { kept, summary } = filterEpisodes(logged, config.top);
  return { samples: kept.flatMap((e) => e.samples), summary };
}

/**
 * `epochs` passes of masked cross-entropy over `samples` in length-bucketed minibatches at a
 * constant `lr` (the value head is not trained: the logged returns are the filtered personas', not
 * the policy's). Deterministic in `seed`.
 */
export async function warmStart(
  samples: readonly DecisionSample[],
  config: Pick<WarmStartConfig, 'epochs' | 'lr' | 'batch'>,
  seed: number,
  step: ImitationStep,
  onEpoch?: (epoch: number, loss: number) => void,
  stop?: () => string | undefined,
): Promise<{ losses: number[]; skipped: number; stopped?: string }> {
  const rng = Rng.seeded(seed, 'warm-start');
  const lengths = samples.map((s) => s.context.length + s.tokens.length);
  const losses: number[] = [];
  let skipped = 0;
  for (let epoch = 0; epoch < config.epochs; epoch++) {
    const epochLosses: number[] = [];
    for (const idx of minibatches(samples.length, config.batch, rng, lengths)) {
      const { loss, report } = await step(
        idx.map((i) => samples[i] as DecisionSample),
        config.lr,
      );
      if (!report.applied) skipped++;
      epochLosses.push(loss);
      const reason = stop?.();
      if (reason !== undefined) {
        losses.push(mean(epochLosses));
        return { losses, skipped, stopped: reason };
      }
    }
    losses.push(mean(epochLosses));
    onEpoch?.(epoch, losses[epoch] as number);
  }
  return { losses, skipped };
}

// ---------------------------------------------------------------------------------------------
// The warm start of a training stage
// ---------------------------------------------------------------------------------------------

/** Decisions per warm-start minibatch. */
export const WARM_START_BATCH = 128;

/** The warm start's settings from a run's configuration. */
export function warmStartConfigOf(resolved: ResolvedTrainConfig): WarmStartConfig {
  const { config } = resolved;
  return {
    top: config.warmStartTop,
    episodesPerType: config.warmStartEpisodes,
    epochs: config.warmStartEpochs,
    lr: config.warmStartLr,
    batch: WARM_START_BATCH,
    mixture: resolved.pretrainMixture,
    seed: SEED_RANGES.warmStart + config.seed,
  };
}

/**
 * The warm start's data for a stage: the best `--warm-start-top` share of the pretraining
 * personas' logged episodes of each type in the stage's mix (less `--warm-start-types`' exclusions),
 * scored with the stage's reward. Deterministic in the run seed, so a resumed run rebuilds the same set.
 */
export function warmStartData(
  resolved: ResolvedTrainConfig,
  encoder: ModelPolicy,
  mix: EpisodeMix,
  settings: ScoreSettings,
): { samples: DecisionSample[]; summary: WarmStartTypeSummary[] } {
  const types = warmStartTypesOf(
    resolved.warmStartTypes,
    Object.entries(mix)
      .filter(([, weight]) => weight > 0)
      .map(([type]) => type),
  );
  return warmStartSamples(
    types.map((t) => episodeType(t)),
    encoder.tokenizer,
    (tokens) => encoder.encodeContext(tokens),
    warmStartConfigOf(resolved),
    settings,
  );
}

/**
 * The warm start of a stage: the adapter imitates the kept logged episodes for
 * `--warm-start-epochs` epochs with an optimizer of its own; logged, and written to metrics.jsonl.
 * `stop` may cut it short (the time budget).
 */
export async function warmStartStage(
  run: { resolved: ResolvedTrainConfig; io: TrainIo; pool: Parallel; model: Transformer; pad: number; clock: () => number },
  stage: StageNumber,
  data: { samples: DecisionSample[]; summary: WarmStartTypeSummary[] },
  adapter: LoraAdapter,
  stop: () => string | undefined,
): Promise<Record<string, unknown>> {
  const { resolved, io, pool, model, pad, clock } = run;
  const { config } = resolved;
  const { samples, summary } = data;
  const started = clock();
  io.log(
    `stage ${stage} warm start: the best ${config.warmStartTop} of ${config.warmStartEpisodes} logged persona episodes per type (${samples.length} decisions):`,
  );
  for (const t of summary)
    io.log(
      `  ${t.type}: ${t.kept} kept, composite ${t.keptMean.toFixed(3)} (all ${t.loggedMean.toFixed(3)}), ${Object.entries(t.personas)
        .map(([name, n]) => `${name} ${n}`)
        .join(' / ')}`,
    );
  const warmConfig = warmStartConfigOf(resolved);
  const previous = model.trainable;
  model.trainable = new Set(adapter.params.keys());
  const optimizer = new AdamW({ lr: config.warmStartLr, maxGradNorm: config.maxGradNorm });
  const { losses, skipped, stopped } = await warmStart(
    samples,
    warmConfig,
    config.seed,
    (batch, lr) => pool.step(optimizer, batch, pad, lr, { kind: 'imitation', valueCoef: 0 }),
    (epoch, loss) => {
      io.progress?.({ phase: `stage ${stage} warm start`, done: epoch + 1, total: warmConfig.epochs, detail: `loss ${loss.toFixed(3)}` });
    },
    stop,
  );
  model.trainable = previous;
  const seconds = (clock() - started) / 1000;
  if (stopped) io.log(`stage ${stage} warm start: ${stopped}`);
  io.log(
    `stage ${stage} warm start: ${losses.length} epochs in ${seconds.toFixed(1)} s; loss ${losses.map((l) => l.toFixed(3)).join(' -> ')}${skipped ? `; ${skipped} non-finite updates skipped` : ''}`,
  );
  return { kind: 'warm_start', stage, decisions: samples.length, losses, skippedUpdates: skipped, types: summary };
}

/**
 * After each RL update, `--warm-start-aux` minibatches of the kept decisions, to keep what the
 * warm start taught: with RL's optimizer (so a resumed run continues them exactly), at the warm-start
 * rate decayed with RL's. Returns the number of skipped updates.
 */
export async function warmStartAux(
  ctx: IterationContext,
  samples: readonly DecisionSample[],
  log: (line: string) => void,
): Promise<number> {
  const { config } = ctx;
  const rng = Rng.seeded(config.seed, 'warm-aux', ctx.stage, ctx.iteration);
  const lengths = samples.map((s) => s.context.length + s.tokens.length);
  const size = config.algo === 'ppo' ? config.ppoMinibatch : config.grpoMinibatch;
  let steps = 0;
  let skipped = 0;
  for (const idx of minibatches(samples.length, size, rng, lengths)) {
    if (steps++ >= config.warmStartAux) break;
    const { report } = await ctx.pool.step(
      ctx.optimizer,
      idx.map((i) => samples[i] as DecisionSample),
      ctx.pad,
      config.warmStartLr * (ctx.lr / config.lr),
      { kind: 'imitation', valueCoef: 0 },
    );
    if (!report.applied) {
      skipped++;
      log(`update skipped: ${report.skipped}`);
    }
  }
  return skipped;
}
