/**
 * The base model of a run: loaded from `--base` or from the cache directory named by a hash of
 * everything that determines it (`.dojo/base-<hash>`), else pretrained by imitation of the
 * personas' mixture (`pretrain.ts`) and saved there, so later runs with the same settings reuse it.
 *
 * Under a time budget, pretraining measures its first steps and, when the whole would not fit in
 * the share of the budget it may use, stops at once with the estimate and the fix; if it runs late
 * anyway it is cut, and the cut base is kept in the run directory only, never in the shared cache.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../core/errors.js';
import { mean } from '../core/numbers.js';
import { Rng } from '../core/rng.js';
import { EPISODE_TYPES, episodeType } from '../episodes/all.js';
import { DEFAULT_MODEL, type ModelConfig } from '../model/config.js';
import { loadModel, saveModel } from '../model/io.js';
import { initBase, initValueHead } from '../model/params.js';
import { PAD, Tokenizer } from '../model/tokenizer.js';
import { Transformer } from '../model/transformer.js';
import { ModelPolicy } from '../policy/model-policy.js';
import type { StageNumber } from '../spec/curriculum.js';
import type { Budget } from './budget.js';
import type { ResolvedTrainConfig, TrainConfig } from './config.js';
import { runTypes } from './curriculum.js';
import { Parallel } from './parallel.js';
import { imitationSamples, PRETRAIN_BATCH, PRETRAIN_SEED, PRETRAIN_VALUE_COEF, type PretrainConfig, pretrain } from './pretrain.js';

/** Progress and log lines of long phases (the CLI draws bars). */
export interface TrainIo {
  log(line: string): void;
  progress?(event: { phase: string; done: number; total: number; detail: string }): void;
}

/** Pretraining steps taken before the whole is estimated (the first warms the engine up). */
const PROBE_STEPS = 8;

export interface BaseModel {
  model: Transformer;
  tokenizer: Tokenizer;
  /** Where the base is saved. */
  baseDir: string;
}

export function modelConfigOf(config: TrainConfig, vocabSize: number): ModelConfig {
  return {
    ...DEFAULT_MODEL,
    vocabSize,
    dim: config.modelDim,
    layers: config.modelLayers,
    heads: config.modelHeads,
    hidden: config.modelHidden,
    maxSeq: config.modelMaxSeq,
  };
}

/** The pretraining settings of a run. */
export function pretrainConfigOf(resolved: ResolvedTrainConfig): PretrainConfig {
  const { config } = resolved;
  // The key order is part of the cache directory's hash: keep it.
  return {
    episodesPerType: config.pretrainEpisodes,
    mixture: resolved.pretrainMixture,
    epochs: config.pretrainEpochs,
    batch: PRETRAIN_BATCH,
    lr: config.pretrainLr,
    valueCoef: PRETRAIN_VALUE_COEF,
    seed: PRETRAIN_SEED + config.seed,
  };
}

function hashOf(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 12);
}

/** The complete base saved in `dir`, or undefined when there is none (tokenizer.json, the last file `saveModel` writes, is missing). */
export async function loadBase(dir: string, io: TrainIo): Promise<BaseModel | undefined> {
  if (!existsSync(join(dir, 'tokenizer.json'))) return undefined;
  const { model, tokenizer } = await loadModel(dir);
  io.log(`base model: ${dir} (loaded)`);
  return { model, tokenizer, baseDir: dir };
}

/**
 * The base model for a run (see the module comment). `budget` bounds pretraining: it may use
 * `share` of the remaining time; `cutDir` is where a base cut short is saved.
 */
export async function ensureBase(
  resolved: ResolvedTrainConfig,
  deps: { io: TrainIo; clock: () => number },
  limits?: { budget: Budget; share: number; runDir: string; cutDir: string },
): Promise<BaseModel> {
  const { io, clock } = deps;
  const { config } = resolved;
  const tokenizer = Tokenizer.fromKinds(EPISODE_TYPES);
  const modelConfig = modelConfigOf(config, tokenizer.size);
  const pretrainTypes: string[] = runTypes(resolved.stages);
  const pretrainConfig = pretrainConfigOf(resolved);
  const cached = config.base ?? join('.dojo', `base-${hashOf({ modelConfig, pretrainConfig, pretrainTypes, vocab: tokenizer.tokens })}`);
  const loaded = await loadBase(cached, io);
  if (loaded) return loaded;
  io.log(
    `base model: none at ${cached}; pretraining by imitation of the personas ${Object.entries(pretrainConfig.mixture)
      .map(([name, weight]) => `${name} ${weight}`)
      .join(' / ')} on ${pretrainTypes.join(', ')}`,
  );
  // Pretraining, sample generation included, may use `share` of what is left of the budget.
  const allowance = limits ? limits.budget.remaining() * limits.share : Number.POSITIVE_INFINITY;
  const pretrainStart = limits?.budget.elapsed() ?? 0;
  const rng = Rng.seeded(config.seed, 'init');
  const model = new Transformer(modelConfig, initBase(modelConfig, rng.fork('base')), initValueHead(modelConfig));
  const encoder = new ModelPolicy(model, tokenizer, { lora: false });
  const started = clock();
  const samples = imitationSamples(
    pretrainTypes.map((t) => episodeType(t)),
    tokenizer,
    (tokens) => encoder.encodeContext(tokens),
    pretrainConfig,
    { stage: resolved.stages[0] as StageNumber },
  );
  const pool = await Parallel.start(config.threads, model, tokenizer, config.backend);
  const pad = tokenizer.id(PAD);
  const stepsStart = limits?.budget.elapsed() ?? 0;
  let firstStepEnd = stepsStart;
  let cut: string | undefined;
  let result: Awaited<ReturnType<typeof pretrain>>;
  try {
    result = await pretrain(
      model,
      tokenizer,
      samples,
      pretrainConfig,
      (p) => {
        io.progress?.({ phase: 'pretrain', done: p.step, total: p.steps, detail: `loss ${p.loss.toFixed(3)}` });
      },
      {},
      (optimizer) => (batch, lr) => pool.step(optimizer, batch, pad, lr, { kind: 'imitation', valueCoef: pretrainConfig.valueCoef }),
      (p) => {
        if (!limits) return undefined;
        const now = limits.budget.elapsed();
        if (p.step === 1) firstStepEnd = now;
        if (p.step <= PROBE_STEPS && p.step < p.steps) {
          // The whole, estimated from the steps after the first (which warms the engine up):
          // refused at once when it cannot fit.
          const perStep = p.step > 1 ? (now - firstStepEnd) / (p.step - 1) : now - stepsStart;
          const estimate = firstStepEnd - pretrainStart + perStep * (p.steps - 1);
          if ((p.step === PROBE_STEPS && estimate > allowance) || now - pretrainStart > allowance)
            throw new ConfigError(
              `pretraining the base needs about ${minutes(estimate)} (${p.steps} steps at ${perStep.toFixed(0)} ms each) and --max-minutes ${config.maxMinutes} leaves it ${minutes(allowance)}; resume with a larger budget (dojo train --resume ${limits.runDir} --max-minutes ${Math.ceil(((limits.budget.elapsed() + estimate) / 60_000 / limits.share) * 1.1)}), or pretrain the base once with dojo pretrain (no time limit: later runs with the same settings reuse it)`,
            );
        } else if (now - pretrainStart > allowance)
          cut = `pretraining cut after ${p.step} of ${p.steps} steps to fit --max-minutes ${config.maxMinutes}`;
        return cut;
      },
    );
  } finally {
    await pool.close();
  }
  io.log(
    `pretrained on ${samples.length} decisions in ${((clock() - started) / 1000).toFixed(1)} s; loss ${mean(result.losses.slice(0, 10)).toFixed(3)} -> ${mean(result.losses.slice(-10)).toFixed(3)}${result.skipped ? `; ${result.skipped} non-finite updates skipped` : ''}`,
  );
  // A base cut short is this run's alone: the shared cache keeps only complete ones.
  const baseDir = cut && limits ? limits.cutDir : cached;
  if (cut) io.log(`${cut}; the base is saved in ${baseDir}, not in the shared cache`);
  await saveModel(baseDir, model, tokenizer);
  return { model, tokenizer, baseDir };
}

function minutes(ms: number): string {
  return ms < 60_000 ? `${(Math.max(0, ms) / 1000).toFixed(1)} s` : `${(ms / 60_000).toFixed(1)} min`;
}
