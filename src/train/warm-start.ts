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
import { Rng } from '../core/rng.js';
import type { Tokenizer } from '../model/tokenizer.js';
import type { PersonaName } from '../policy/scripted.js';
import { mean } from './math.js';
import { minibatches } from './ppo.js';
import { DEFAULT_PRETRAIN, type ImitationEpisode, type ImitationStep, imitationEpisodes, type PretrainConfig } from './pretrain.js';
import type { ScoreSettings } from './rollout.js';
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
  mixture: PretrainConfig['mixture'];
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

/** Plays, scores and filters the logged episodes of `kinds`; the kept decisions in logging order. */
export function warmStartSamples(
  kinds: readonly EpisodeWorld[],
  tokenizer: Tokenizer,
  encodeContext: (tokens: readonly string[]) => number[],
  config: WarmStartConfig,
  scoring: ScoreSettings,
): { samples: DecisionSample[]; summary: WarmStartTypeSummary[] } {
  const logged = imitationEpisodes(
    kinds,
    tokenizer,
    encodeContext,
    { ...DEFAULT_PRETRAIN, mixture: config.mixture, episodesPerType: config.episodesPerType, seed: config.seed },
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
): Promise<{ losses: number[]; skipped: number }> {
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
    }
    losses.push(mean(epochLosses));
    onEpoch?.(epoch, losses[epoch] as number);
  }
  return { losses, skipped };
}
