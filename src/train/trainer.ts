/**
 * The training run behind `dojo train`: base model (pretrained by imitation when missing), then for
 * each curriculum stage a fresh LoRA adapter trained with PPO or GRPO on that stage's episode mix
 * until its graduation criteria hold or its budget ends, checkpointing after every iteration; then
 * a held-out evaluation of base vs trained vs scripted personas.
 *
 * Determinism: every episode's seed and sampling key derive from the run seed and the global episode
 * counter; minibatch order from the run seed and the iteration. The clock is passed in and only
 * decides when to stop (the time budget), never what is computed.
 */

import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EpisodeWorld } from '../core/episode.js';
import { ConfigError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import { runScripted } from '../env/batch.js';
import { DojoEnv } from '../env/env.js';
import { DEFAULT_MODEL, type ModelConfig } from '../model/config.js';
import { initEngine } from '../model/engine.js';
import { type LoraAdapter, loadModel, mergeAdapter, saveAdapter, saveModel, stageAdapterName } from '../model/io.js';
import { attentionFallbackReason } from '../model/kernels/attention.js';
import { copyParams, initBase, initLora, initValueHead, type LoraConfig, type Param } from '../model/params.js';
import { ModelPolicy } from '../model/policy.js';
import { PAD, Tokenizer } from '../model/tokenizer.js';
import { Transformer } from '../model/transformer.js';
import { ScriptedPersona } from '../policy/scripted.js';
import { type BaselinesFile, computeBaselines } from '../reward/baselines.js';
import { pairedDifference } from '../reward/stats.js';
import { CHECKPOINT_SCHEMA, type CheckpointState, readCheckpoint, writeCheckpoint } from './checkpoint.js';
import { parseStages, type TrainConfig } from './config.js';
import {
  type CriterionResult,
  type EpisodeMix,
  graduated,
  graduation,
  parseMix,
  STAGE_MIX,
  type StageNumber,
  stageMix,
  stageTypes,
} from './curriculum.js';
import { grpoAdvantages } from './grpo.js';
import { mean } from './math.js';
import { AdamW } from './optimizer.js';
import { type LossSpec, Parallel } from './parallel.js';
import { type LossParts, meanParts, minibatches, ppoAdvantages } from './ppo.js';
import { DEFAULT_PRETRAIN, imitationSamples, type PretrainConfig, parsePretrainMixture, pretrain } from './pretrain.js';
import { type CollectedEpisode, type EpisodeSpec, type ScoreSettings, scoreTrace } from './rollout.js';
import type { DecisionSample } from './samples.js';
import {
  parseWarmStartTypes,
  type WarmStartConfig,
  type WarmStartTypeSummary,
  warmStart,
  warmStartSamples,
  warmStartTypesOf,
} from './warm-start.js';

/** Seed ranges kept apart: training episodes, graduation checks, final evaluation, baselines. */
export const SEED_RANGES = {
  train: 0,
  graduation: 800_000_000,
  evaluation: 900_000_000,
  baselines: 2_000_000,
  warmStart: 3_000_000,
} as const;

export interface TrainIo {
  log(line: string): void;
  /** Progress of long phases (the CLI draws bars). */
  progress?(event: { phase: string; done: number; total: number; detail: string }): void;
}

export interface TrainDeps {
  io: TrainIo;
  /** Milliseconds (monotonic enough); only decides when to stop. */
  clock: () => number;
  /** Resolves an episode type name to its kind (the CLI's registry). */
  kind: (name: string) => EpisodeWorld;
  /** Every registered kind (the tokenizer's vocabulary). */
  allKinds: readonly EpisodeWorld[];
}

export interface EvalRow {
  policy: string;
  type: string;
  episodes: number;
  composite: number;
  outcome: number;
  behavioral: number;
}

/** The trained policy's composite minus another policy's, paired over the same held-out seeds. */
export interface PairedComparison {
  policy: 'trained';
  against: string;
  episodes: number;
  /** Mean per-seed difference of the composites. */
  difference: number;
  standardError: number;
  /** 95% interval of the mean difference (normal approximation). */
  low: number;
  high: number;
}

export interface TrainResult {
  runDir: string;
  /** The configuration the run used (on --resume, the run's own config.json, not the flags). */
  config: TrainConfig;
  /** The trained model (adapters of earlier stages merged, the last stage's attached). Not serialized. */
  model?: Transformer;
  evaluation: EvalRow[];
  /** trained − base, − junior, − mid, − senior over all evaluation episodes (paired by seed). */
  comparisons: PairedComparison[];
  graduation: Record<string, CriterionResult[]>;
  wallMs: number;
}

const LOGS = ['metrics.jsonl', 'trajectories.jsonl'] as const;

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

function loraConfigOf(config: TrainConfig): LoraConfig {
  return {
    rank: config.loraRank,
    alpha: config.loraAlpha,
    targets: config.loraTargets,
    // A run directory written before the option existed has no key: its adapters carried no copies.
    ...((config.loraModulesToSave ?? []).length > 0 ? { modulesToSave: config.loraModulesToSave } : {}),
  };
}

function hashOf(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 12);
}

function newRunDir(config: TrainConfig): string {
  if (config.output) return config.output;
  for (let n = 1; ; n++) {
    const dir = join('runs', `${config.algo}-s${config.seed}-${n}`);
    if (!existsSync(dir)) return dir;
  }
}

/**
 * The efficiency baselines of a run: median actions of the scripted senior's successful episodes
 * (200 per type, seeds from SEED_RANGES.baselines) per type and difficulty.
 */
/**
 * The learning rate after `episodes` episodes of a stage: a linear warmup over the first
 * `lrWarmup` episodes (none when 0), then a linear decay from `lr` to 10% of it over the budget.
 */
export function stageLr(config: Pick<TrainConfig, 'lr' | 'lrWarmup' | 'maxEpisodes'>, episodes: number): number {
  const warmup = config.lrWarmup > 0 ? Math.min(1, (episodes + 1) / config.lrWarmup) : 1;
  return config.lr * warmup * (1 - 0.9 * Math.min(1, episodes / config.maxEpisodes));
}

export function seniorBaselines(kinds: readonly EpisodeWorld[]): BaselinesFile {
  const senior = new ScriptedPersona('senior', SEED_RANGES.baselines);
  const traces = kinds.flatMap((kind) => {
    const env = new DojoEnv(kind, { policyName: 'senior' });
    return Array.from({ length: 200 }, (_, i) => runScripted(env, senior, SEED_RANGES.baselines + i));
  });
  return computeBaselines(traces, (t) => t.reward.components.story_accepted >= 0.5, { seed: SEED_RANGES.baselines });
}

/** The episode specs of one training iteration (deterministic in seed, stage and counter). */
export function iterationSpecs(
  config: TrainConfig,
  stage: StageNumber,
  episodeCounter: number,
  deps: TrainDeps,
  weights: EpisodeMix = STAGE_MIX[stage],
): EpisodeSpec[] {
  const mix = Object.entries(weights) as [string, number][];
  const rng = Rng.seeded(config.seed, 'specs', stage, episodeCounter);
  const specs: EpisodeSpec[] = [];
  const group = config.algo === 'grpo' ? config.grpoGroupSize : 1;
  const scenarios = Math.max(1, Math.floor(config.episodesPerIteration / group));
  for (let s = 0; s < scenarios; s++) {
    const type = (mix[rng.weightedIndex(mix.map(([, w]) => w))] as [string, number])[0];
    const seed = SEED_RANGES.train + episodeCounter + s * group;
    for (let g = 0; g < group; g++) {
      specs.push({ kind: deps.kind(type), seed, group: s, key: `e${episodeCounter + s * group + g}` });
    }
  }
  return specs;
}

function evaluationSpecs(types: readonly string[], total: number, base: number, deps: Pick<TrainDeps, 'kind'>): EpisodeSpec[] {
  const perType = Math.max(1, Math.ceil(total / types.length));
  return types.flatMap((type) => Array.from({ length: perType }, (_, i) => ({ kind: deps.kind(type), seed: base + i, key: `eval${i}` })));
}

function scriptedEpisodes(
  persona: ScriptedPersona,
  specs: readonly EpisodeSpec[],
  stage: number,
  baselines: BaselinesFile,
): CollectedEpisode[] {
  const envs = new Map<string, DojoEnv>();
  return specs.map((spec) => {
    let env = envs.get(spec.kind.name);
    if (!env) {
      env = new DojoEnv(spec.kind, { policyName: persona.name });
      envs.set(spec.kind.name, env);
    }
    const trace = runScripted(env, persona, spec.seed, spec.options);
    const { score, reward, credits } = scoreTrace(trace, { stage, baselines });
    return { spec, trace, decisions: [], score, reward, credits };
  });
}

function summarize(policy: string, episodes: readonly CollectedEpisode[]): EvalRow[] {
  const types = [...new Set(episodes.map((e) => e.trace.type))];
  const row = (type: string, es: readonly CollectedEpisode[]): EvalRow => ({
    policy,
    type,
    episodes: es.length,
    composite: mean(es.map((e) => e.reward)),
    outcome: mean(es.map((e) => e.trace.reward.outcome)),
    behavioral: mean(es.map((e) => e.score.behavioral)),
  });
  return [
    ...types.map((t) =>
      row(
        t,
        episodes.filter((e) => e.trace.type === t),
      ),
    ),
    row('all', episodes),
  ];
}

/** Samples of one iteration with advantages and returns filled in by the algorithm. */
function buildSamples(config: TrainConfig, episodes: readonly CollectedEpisode[]): DecisionSample[] {
  const samples: DecisionSample[] = [];
  if (config.algo === 'ppo') {
    const { advantages, returns } = ppoAdvantages(
      episodes.map((e) => ({
        rewards: e.credits,
        values: e.decisions.map((d) => d.value),
        terminated: e.trace.terminated,
        ...(config.ppoAdvantageNorm === 'type' ? { group: e.trace.type } : {}),
      })),
      { gamma: config.ppoGamma, lambda: config.ppoLambda, normalizeAdvantages: true },
    );
    let k = 0;
    for (const e of episodes) {
      for (const d of e.decisions) {
        samples.push({
          context: d.context,
          tokens: d.tokens,
          allowed: d.allowed,
          oldLogp: d.logProbs,
          oldValue: d.value,
          advantage: advantages[k] as number,
          ret: returns[k] as number,
        });
        k++;
      }
    }
    return samples;
  }
  const groups = new Map<number, CollectedEpisode[]>();
  for (const e of episodes) {
    const g = e.spec.group ?? 0;
    groups.set(g, [...(groups.get(g) ?? []), e]);
  }
  for (const group of groups.values()) {
    const adv = grpoAdvantages(
      group.map((e) => e.credits),
      config.grpoOutcomeOnly,
    );
    group.forEach((e, i) => {
      e.decisions.forEach((d, t) => {
        samples.push({
          context: d.context,
          tokens: d.tokens,
          allowed: d.allowed,
          oldLogp: d.logProbs,
          oldValue: d.value,
          advantage: (adv[i] as number[])[t] as number,
          ret: 0,
        });
      });
    });
  }
  return samples;
}

export async function runTraining(input: TrainConfig, deps: TrainDeps): Promise<TrainResult> {
  const started = deps.clock();
  const { io } = deps;
  // --- run directory and resolved config -------------------------------------------------------
  let config = input;
  let runDir: string;
  let checkpoint: ReturnType<typeof readCheckpoint>;
  if (input.resume) {
    runDir = input.resume;
    const path = join(runDir, 'config.json');
    if (!existsSync(path))
      throw new ConfigError(`--resume ${runDir}: ${path} does not exist; point --resume at a run directory written by dojo train`);
    config = { ...(JSON.parse(readFileSync(path, 'utf8')) as TrainConfig), resume: input.resume, maxMinutes: input.maxMinutes };
    checkpoint = readCheckpoint(runDir);
    io.log(
      checkpoint
        ? `resuming ${runDir} at stage index ${checkpoint.state.stageIndex}, episode ${checkpoint.state.episodeCounter} with its own config.json (flags other than --max-minutes are not applied)`
        : `resuming ${runDir}: no checkpoint yet, starting over with its own config.json (flags other than --max-minutes are not applied)`,
    );
  } else {
    runDir = newRunDir(input);
    if (existsSync(join(runDir, 'checkpoint')))
      throw new ConfigError(`${runDir} already holds a run; use --resume ${runDir} to continue it or choose another --output`);
  }
  let stages: StageNumber[];
  let mixOverrides: EpisodeMix;
  try {
    stages = parseStages(config.stages);
    // A run directory written before --mix existed has no `mix` key: its default mix.
    mixOverrides = parseMix(config.mix ?? '', stages);
    // Checked here too (ensureBase parses it again) so that a bad value fails before anything is written.
    if (config.pretrainMixture !== undefined) parsePretrainMixture(config.pretrainMixture);
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
  for (const stage of stages) {
    const missing = stageTypes(stage).filter((t) => !deps.allKinds.some((k) => k.name === t));
    if (missing.length > 0)
      throw new ConfigError(`--stages ${config.stages}: stage ${stage} needs episode types that do not exist yet (${missing.join(', ')})`);
  }
  try {
    parseWarmStartTypes(
      config.warmStartTypes ?? '',
      deps.allKinds.map((k) => k.name),
    );
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
  // A new run's directory is made only once its options parse: a mistyped flag leaves nothing behind.
  if (!input.resume) {
    mkdirSync(runDir, { recursive: true });
    writeFileSync(join(runDir, 'config.json'), `${JSON.stringify(config, null, 2)}\n`);
  }
  // Logs: truncate to the checkpoint's lengths so a resumed run neither loses nor repeats lines.
  for (const log of LOGS) {
    const path = join(runDir, log);
    const keep = checkpoint?.state.logBytes[log] ?? 0;
    if (existsSync(path) && statSync(path).size > keep) truncateSync(path, keep);
    if (!existsSync(path)) writeFileSync(path, '');
  }
  const elapsedBefore = checkpoint?.state.elapsedMs ?? 0;
  const elapsed = () => elapsedBefore + deps.clock() - started;
  const budgetMs = config.maxMinutes * 60_000;

  await initEngine(config.backend);
  const fallback = attentionFallbackReason();
  const attention =
    fallback === undefined ? 'WebAssembly SIMD kernel' : `JavaScript reference (the kernel did not load: ${fallback}; about 3x slower)`;
  io.log(
    `run directory ${runDir}; backend ${config.backend}; attention ${attention}; algorithm ${config.algo}; stages ${stages.join(',')}`,
  );

  // --- base model -------------------------------------------------------------------------------
  const { model, tokenizer, modelConfig, pretrainTypes, baseDir } = await ensureBase(config, stages, deps);
  writeFileSync(join(runDir, 'base.json'), `${JSON.stringify({ baseDir }, null, 2)}\n`);
  const pool = await Parallel.start(config.threads, model, tokenizer, config.backend);
  try {
    return await trainStages();
  } finally {
    await pool.close();
  }
  async function trainStages(): Promise<TrainResult> {
    // The pristine base's parameters, for the final base-vs-trained comparison.
    const pristine = copyParams(model.base);
    const pristineValue = copyParams(model.valueHead);

    // --- efficiency baselines (scripted senior) ---------------------------------------------------
    const baselinesPath = join(runDir, 'baselines.json');
    let baselines: BaselinesFile;
    if (existsSync(baselinesPath)) baselines = JSON.parse(readFileSync(baselinesPath, 'utf8')) as BaselinesFile;
    else {
      baselines = seniorBaselines(pretrainTypes.map((t) => deps.kind(t)));
      writeFileSync(baselinesPath, `${JSON.stringify(baselines, null, 2)}\n`);
    }

    // --- stages -------------------------------------------------------------------------------------
    const loraConfig = loraConfigOf(config);
    let state: CheckpointState = checkpoint?.state ?? {
      schema: CHECKPOINT_SCHEMA,
      stageIndex: 0,
      iteration: 0,
      stageEpisodes: 0,
      episodeCounter: 0,
      optimizerStep: 0,
      logBytes: {},
      stageDone: false,
      elapsedMs: 0,
      stages: [],
    };
    const graduationResults: Record<string, CriterionResult[]> = {};
    // Earlier stages' adapters are merged into the base before a later stage starts.
    for (let i = 0; i < state.stageIndex + (state.stageDone ? 1 : 0) && i < stages.length; i++) {
      await mergeSavedAdapter(model, join(runDir, 'adapters', stageAdapterName(stages[i] as number)));
    }
    let decisionsPerSecond = 0;
    let decisionsPerEpisode = 15;
    for (let si = state.stageIndex + (state.stageDone ? 1 : 0); si < stages.length; si++) {
      const stage = stages[si] as StageNumber;
      if (si !== state.stageIndex || state.stageDone) {
        state = { ...state, stageIndex: si, iteration: 0, stageEpisodes: 0, optimizerStep: 0, stageDone: false };
      }
      const optimizer = new AdamW({ lr: config.lr, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, maxGradNorm: config.maxGradNorm });
      const adapter: LoraAdapter = {
        config: loraConfig,
        params: initLora(modelConfig, loraConfig, Rng.seeded(config.seed, 'lora', stage), model.base),
      };
      model.setLora(adapter);
      if (checkpoint && checkpoint.state.stageIndex === si && !checkpoint.state.stageDone) {
        for (const [name, p] of checkpoint.params) {
          const target = adapter.params.get(name) ?? model.valueHead.get(name);
          if (target) target.data.set(p.data);
        }
        for (const [k, m] of checkpoint.moments.m) optimizer.m.set(k, m);
        for (const [k, v] of checkpoint.moments.v) optimizer.v.set(k, v);
        optimizer.step = checkpoint.state.optimizerStep;
        model.invalidate();
      }
      model.trainable = new Set([...adapter.params.keys(), ...(config.algo === 'ppo' ? model.valueHead.keys() : [])]);
      const policy = new ModelPolicy(model, tokenizer, { lora: true, seed: config.seed, name: 'model' });
      const settings = { stage, baselines };
      const mix = stageMix(stage, mixOverrides);
      io.log(
        `stage ${stage}: ${Object.entries(mix)
          .map(([type, weight]) => `${type} ${weight}`)
          .join(', ')}; up to ${config.maxEpisodes} episodes`,
      );
      const resumedHere = checkpoint !== undefined && checkpoint.state.stageIndex === si && !checkpoint.state.stageDone;
      // The stage's position, log sizes, adapter, value head and optimizer, written atomically.
      const checkpointStage = () => {
        state.optimizerStep = optimizer.step;
        state.logBytes = Object.fromEntries(LOGS.map((l) => [l, statSync(join(runDir, l)).size]));
        state.elapsedMs = elapsed();
        writeCheckpoint(runDir, state, new Map([...adapter.params, ...model.valueHead]), optimizer);
      };
      // A run directory written before the warm start existed has no keys: none.
      const warm =
        (config.warmStartTop ?? 0) > 0 && (!resumedHere || (config.warmStartAux ?? 0) > 0)
          ? warmStartData({ config, deps, model, tokenizer }, mix, settings)
          : undefined;
      const warmSamples = warm?.samples ?? [];
      // A --warm-start-types that leaves out every type of this stage means no warm start here.
      if (!resumedHere && warm?.samples.length === 0)
        io.log(`stage ${stage} warm start: --warm-start-types leaves no type of this stage; none`);
      if (!resumedHere && warm && warm.samples.length > 0) {
        await warmStartStage({ config, deps, runDir, pool, model, tokenizer, elapsed }, stage, warm, adapter);
        checkpointStage();
      }
      let lastGraduation: CriterionResult[] = [];
      while (state.stageEpisodes < config.maxEpisodes) {
        // Time kept for the final evaluation: two model passes over the evaluation seeds at the
        // measured decision rate and decisions per episode, with a margin.
        const evalReserve =
          decisionsPerSecond > 0 ? ((config.evalSeeds * 2 * decisionsPerEpisode) / decisionsPerSecond) * 1000 * 1.5 : budgetMs * 0.25;
        if (elapsed() + evalReserve > budgetMs) {
          io.log(`stage ${stage}: time budget reached after ${state.stageEpisodes} episodes`);
          break;
        }
        const t0 = deps.clock();
        const specs = iterationSpecs(config, stage, state.episodeCounter, deps, mix);
        const episodes = await pool.collect(policy, specs, settings);
        const decisions = episodes.reduce((n, e) => n + e.decisions.length, 0);
        const collectMs = deps.clock() - t0;
        decisionsPerSecond = decisions / Math.max(1e-3, collectMs / 1000);
        decisionsPerEpisode = Math.max(decisionsPerEpisode, decisions / Math.max(1, episodes.length));
        const samples = buildSamples(config, episodes);
        const pad = tokenizer.id(PAD);
        const klBeta = config.algo === 'ppo' ? config.ppoKlBeta : config.grpoKlBeta;
        if (klBeta > 0) {
          const ref = await pool.evaluate(samples, { lora: false, pad });
          samples.forEach((s, i) => {
            s.refLogp = ref.logp[i];
          });
        }
        const epochs = config.algo === 'ppo' ? config.ppoEpochs : config.grpoEpochs;
        const size = config.algo === 'ppo' ? config.ppoMinibatch : config.grpoMinibatch;
        const rng = Rng.seeded(config.seed, 'minibatch', stage, state.iteration);
        const parts: LossParts[] = [];
        const lengths = samples.map((s) => s.context.length + s.tokens.length);
        let skipped = 0;
        let gradNorm = 0;
        const progressLr = stageLr(config, state.stageEpisodes);
        for (let epoch = 0; epoch < epochs; epoch++) {
          for (const idx of minibatches(samples.length, size, rng, lengths)) {
            const batch = idx.map((i) => samples[i] as DecisionSample);
            const lossSpec: LossSpec =
              config.algo === 'ppo'
                ? {
                    kind: 'ppo',
                    config: {
                      clip: config.ppoClip,
                      valueCoef: config.ppoValueCoef,
                      entropyCoef: config.ppoEntropyCoef,
                      klBeta: config.ppoKlBeta,
                      gamma: config.ppoGamma,
                      lambda: config.ppoLambda,
                      epochs,
                      minibatch: size,
                      normalizeAdvantages: true,
                    },
                  }
                : {
                    kind: 'grpo',
                    config: {
                      groupSize: config.grpoGroupSize,
                      clip: config.ppoClip,
                      klBeta: config.grpoKlBeta,
                      epochs,
                      minibatch: size,
                      outcomeOnly: config.grpoOutcomeOnly,
                    },
                  };
            const { report, parts: stepParts } = await pool.step(optimizer, batch, pad, progressLr, lossSpec);
            if (stepParts) parts.push(stepParts);
            if (!report.applied) {
              skipped++;
              io.log(`update skipped: ${report.skipped}`);
            }
            gradNorm = report.gradNorm;
          }
        }
        if ((config.warmStartAux ?? 0) > 0 && warmSamples.length > 0) {
          // Keep what the warm start taught: a few minibatches of its kept decisions (same optimizer,
          // so a resumed run continues them exactly), at the warm-start rate decayed with RL's.
          const auxRng = Rng.seeded(config.seed, 'warm-aux', stage, state.iteration);
          const auxLengths = warmSamples.map((s) => s.context.length + s.tokens.length);
          let steps = 0;
          for (const idx of minibatches(warmSamples.length, size, auxRng, auxLengths)) {
            if (steps++ >= config.warmStartAux) break;
            const { report } = await pool.step(
              optimizer,
              idx.map((i) => warmSamples[i] as DecisionSample),
              pad,
              config.warmStartLr * (progressLr / config.lr),
              { kind: 'imitation', valueCoef: 0 },
            );
            if (!report.applied) {
              skipped++;
              io.log(`update skipped: ${report.skipped}`);
            }
          }
        }
        state.iteration++;
        state.stageEpisodes += new Set(specs.map((s) => s.key)).size;
        const firstId = state.episodeCounter;
        state.episodeCounter += specs.length;
        const loss = meanParts(parts);
        const byType: Record<string, number> = {};
        for (const type of new Set(episodes.map((e) => e.trace.type)))
          byType[type] = mean(episodes.filter((e) => e.trace.type === type).map((e) => e.reward));
        const metrics: Record<string, unknown> = {
          kind: 'iteration',
          stage,
          iteration: state.iteration,
          episodes: state.episodeCounter,
          reward: mean(episodes.map((e) => e.reward)),
          outcome: mean(episodes.map((e) => e.trace.reward.outcome)),
          behavioral: mean(episodes.map((e) => e.score.behavioral)),
          byType,
          ...loss,
          gradNorm,
          skippedUpdates: skipped,
          lr: progressLr,
          decisions,
          decisionsPerSecond: Math.round(decisionsPerSecond),
          elapsedS: Math.round(elapsed() / 1000),
        };
        if (state.iteration % config.graduationEvery === 0 && state.stageEpisodes >= config.minEpisodes) {
          lastGraduation = await graduationCheck(pool, tokenizer, config, stage, settings, deps);
          metrics.graduation = Object.fromEntries(lastGraduation.map((c) => [c.name, c.value]));
          if (graduated(lastGraduation)) {
            state.stageDone = true;
            io.log(`stage ${stage}: graduated after ${state.stageEpisodes} episodes`);
          }
        }
        appendFileSync(join(runDir, 'metrics.jsonl'), `${JSON.stringify(metrics)}\n`);
        appendFileSync(
          join(runDir, 'trajectories.jsonl'),
          episodes
            .map((e, i) =>
              JSON.stringify({
                episode: firstId + i,
                stage,
                type: e.trace.type,
                seed: e.trace.seed,
                actions: e.trace.decisions.map((d) => d.action.type),
                reward: e.reward,
                outcome: e.trace.reward.outcome,
                behavioral: e.score.behavioral,
              }),
            )
            .join('\n')
            .concat('\n'),
        );
        io.progress?.({
          phase: `stage ${stage}`,
          done: state.stageEpisodes,
          total: config.maxEpisodes,
          detail: `reward ${(metrics.reward as number).toFixed(3)} ${lastGraduation.map((c) => `${c.name} ${c.value === null ? '-' : c.value.toFixed(2)}`).join(' ')}`,
        });
        checkpointStage();
        if (state.stageDone) break;
      }
      if (lastGraduation.length === 0) lastGraduation = await graduationCheck(pool, tokenizer, config, stage, settings, deps);
      graduationResults[String(stage)] = lastGraduation;
      await saveAdapter(join(runDir, 'adapters', stageAdapterName(stage)), adapter);
      state.stageDone = true;
      state.stages.push({ stage, episodes: state.stageEpisodes, graduated: graduated(lastGraduation) });
      checkpointStage();
      if (si < stages.length - 1) mergeAdapter(model);
    }

    // --- final evaluation ---------------------------------------------------------------------------
    // Training is over: nothing is trainable, so syncs send only what changed (the pool still sends
    // the last update's parameters: it tracks what its steps updated).
    model.trainable = new Set();
    const report = await evaluateRun({
      pool,
      model,
      tokenizer,
      pristine,
      pristineValue,
      stages,
      evalSeeds: config.evalSeeds,
      greedy: config.evalDecoding === 'greedy',
      seed: config.seed,
      baselines,
      deps,
    });
    const { rows, comparisons } = report;
    Object.assign(graduationResults, report.graduation);
    const result: TrainResult = { runDir, config, evaluation: rows, comparisons, graduation: graduationResults, wallMs: elapsed() };
    writeFileSync(join(runDir, 'summary.json'), `${JSON.stringify(result, null, 2)}\n`);
    result.model = model;
    appendFileSync(
      join(runDir, 'metrics.jsonl'),
      `${JSON.stringify({ kind: 'evaluation', rows, comparisons, graduation: graduationResults })}\n`,
    );
    return result;
  }
}

/** The final table: per-type rows of every policy, the paired comparisons and the graduation verdicts. */
export interface EvaluationReport {
  rows: EvalRow[];
  comparisons: PairedComparison[];
  graduation: Record<string, CriterionResult[]>;
  episodes: number;
}

/**
 * Evaluates a trained model on `evalSeeds` held-out seeds of the stages' types (900,000,000 up): the
 * model with its adapter (earlier stages merged), the pristine base (`pristine` swapped in, then the
 * trained weights put back), and the scripted junior, mid and senior, all on the same specs in the
 * same order, so comparisons pair by seed. Shared by `dojo train` and `dojo eval`.
 */
export async function evaluateRun(input: {
  pool: Parallel;
  model: Transformer;
  tokenizer: Tokenizer;
  pristine: ReadonlyMap<string, Param>;
  pristineValue: ReadonlyMap<string, Param>;
  stages: readonly StageNumber[];
  evalSeeds: number;
  greedy: boolean;
  seed: number;
  baselines: BaselinesFile;
  deps: Pick<TrainDeps, 'io' | 'kind'>;
}): Promise<EvaluationReport> {
  const { pool, model, tokenizer, pristine, pristineValue, stages, greedy, baselines, deps } = input;
  const lastStage = stages[stages.length - 1] as StageNumber;
  const evalTypes = [...new Set(stages.flatMap((s) => stageTypes(s)))];
  const specs = evaluationSpecs(evalTypes, input.evalSeeds, SEED_RANGES.evaluation, deps);
  const settings = { stage: lastStage, baselines };
  deps.io.log(`evaluating on ${specs.length} held-out episodes (${evalTypes.length} types)`);
  const trained = await pool.collect(
    new ModelPolicy(model, tokenizer, { lora: true, greedy, seed: input.seed, name: 'trained' }),
    specs,
    settings,
  );
  const finalAdapter = model.lora;
  const trainedBase = new Map(model.base);
  for (const [k, p] of pristine) model.base.set(k, p);
  const trainedValue = new Map(model.valueHead);
  for (const [k, p] of pristineValue) model.valueHead.set(k, p);
  model.setLora(undefined);
  const base = await pool.collect(
    new ModelPolicy(model, tokenizer, { lora: false, greedy, seed: input.seed, name: 'base' }),
    specs,
    settings,
  );
  for (const [k, p] of trainedBase) model.base.set(k, p);
  for (const [k, p] of trainedValue) model.valueHead.set(k, p);
  model.setLora(finalAdapter);
  const rows: EvalRow[] = [...summarize('base', base), ...summarize('trained', trained)];
  const others: [string, CollectedEpisode[]][] = [['base', base]];
  for (const name of ['junior', 'mid', 'senior'] as const) {
    const played = scriptedEpisodes(new ScriptedPersona(name, 1), specs, lastStage, baselines);
    rows.push(...summarize(name, played));
    others.push([name, played]);
  }
  // Every policy played the same specs in the same order: differences pair by seed.
  const comparisons: PairedComparison[] = others.map(([against, played]) => {
    const d = pairedDifference(
      trained.map((e) => e.reward),
      played.map((e) => e.reward),
    );
    return { policy: 'trained', against, episodes: d.n, difference: d.mean, standardError: d.standardError, low: d.low, high: d.high };
  });
  const graduationResults: Record<string, CriterionResult[]> = {};
  for (const stage of stages)
    graduationResults[String(stage)] = graduation(
      stage,
      trained.filter((e) => stageTypes(stage).includes(e.trace.type as never)),
    );
  return { rows, comparisons, graduation: graduationResults, episodes: specs.length };
}

/**
 * The base model for a run: loaded from `config.base` (or the cache directory named by a hash of
 * everything that determines it), else pretrained by imitation and saved there.
 */
export async function ensureBase(
  config: TrainConfig,
  stages: readonly StageNumber[],
  deps: TrainDeps,
): Promise<{ model: Transformer; tokenizer: Tokenizer; modelConfig: ModelConfig; pretrainTypes: string[]; baseDir: string }> {
  const { io } = deps;
  const tokenizer = Tokenizer.fromKinds(deps.allKinds);
  const modelConfig = modelConfigOf(config, tokenizer.size);
  const pretrainTypes: string[] = [...new Set(stages.flatMap((s) => stageTypes(s)))];
  let mixture: PretrainConfig['mixture'];
  try {
    // A run directory written before --pretrain-mixture existed imitated the default mixture.
    mixture = config.pretrainMixture === undefined ? DEFAULT_PRETRAIN.mixture : parsePretrainMixture(config.pretrainMixture);
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
  const pretrainConfig = {
    ...DEFAULT_PRETRAIN,
    mixture,
    episodesPerType: config.pretrainEpisodes,
    epochs: config.pretrainEpochs,
    lr: config.pretrainLr,
    seed: DEFAULT_PRETRAIN.seed + config.seed,
  };
  const baseDir = config.base ?? join('.dojo', `base-${hashOf({ modelConfig, pretrainConfig, pretrainTypes, vocab: tokenizer.tokens })}`);
  // tokenizer.json is the last file saveModel writes: its presence means the base is complete.
  if (existsSync(join(baseDir, 'tokenizer.json'))) {
    const loaded = await loadModel(baseDir);
    io.log(`base model: ${baseDir} (loaded)`);
    return { model: loaded.model, tokenizer: loaded.tokenizer, modelConfig: loaded.model.config, pretrainTypes, baseDir };
  }
  io.log(
    `base model: none at ${baseDir}; pretraining by imitation of the personas ${Object.entries(mixture)
      .map(([name, weight]) => `${name} ${weight}`)
      .join(' / ')} on ${pretrainTypes.join(', ')}`,
  );
  const rng = Rng.seeded(config.seed, 'init');
  const model = new Transformer(modelConfig, initBase(modelConfig, rng.fork('base')), initValueHead(modelConfig));
  const encoder = new ModelPolicy(model, tokenizer, { lora: false });
  const t0 = deps.clock();
  const samples = imitationSamples(
    pretrainTypes.map((t) => deps.kind(t)),
    tokenizer,
    (tokens) => encoder.encodeContext(tokens),
    pretrainConfig,
    { stage: stages[0] as number },
  );
  const pool = await Parallel.start(config.threads, model, tokenizer, config.backend);
  const pad = tokenizer.id(PAD);
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
    );
  } finally {
    await pool.close();
  }
  io.log(
    `pretrained on ${samples.length} decisions in ${((deps.clock() - t0) / 1000).toFixed(1)} s; loss ${mean(result.losses.slice(0, 10)).toFixed(3)} -> ${mean(result.losses.slice(-10)).toFixed(3)}${result.skipped ? `; ${result.skipped} non-finite updates skipped` : ''}`,
  );
  await saveModel(baseDir, model, tokenizer);
  return { model, tokenizer, modelConfig, pretrainTypes, baseDir };
}

async function graduationCheck(
  pool: Parallel,
  tokenizer: Tokenizer,
  config: TrainConfig,
  stage: StageNumber,
  settings: { stage: number; baselines: BaselinesFile },
  deps: TrainDeps,
): Promise<CriterionResult[]> {
  const model = pool.model;
  const specs = evaluationSpecs(stageTypes(stage), config.graduationSeeds * stageTypes(stage).length, SEED_RANGES.graduation, deps);
  const episodes = await pool.collect(
    new ModelPolicy(model, tokenizer, { lora: true, greedy: config.evalDecoding === 'greedy', seed: config.seed, name: 'graduation' }),
    specs,
    settings,
  );
  return graduation(stage, episodes);
}

async function mergeSavedAdapter(model: Transformer, dir: string): Promise<void> {
  const { loadAdapter } = await import('../model/io.js');
  model.setLora(await loadAdapter(dir, model.config));
  mergeAdapter(model);
}

/** The warm start's settings from a run's config (`warm-start.ts`). */
function warmStartConfigOf(config: TrainConfig): WarmStartConfig {
  return {
    top: config.warmStartTop,
    episodesPerType: config.warmStartEpisodes,
    epochs: config.warmStartEpochs,
    lr: config.warmStartLr,
    batch: 128,
    mixture: config.pretrainMixture === undefined ? DEFAULT_PRETRAIN.mixture : parsePretrainMixture(config.pretrainMixture),
    seed: SEED_RANGES.warmStart + config.seed,
  };
}

/**
 * The warm start's data for a stage: the best `--warm-start-top` share of the pretraining
 * personas' logged episodes of each type in the stage's mix, scored with the stage's reward.
 * Deterministic in the run seed, so a resumed run rebuilds the same set.
 */
function warmStartData(
  run: { config: TrainConfig; deps: TrainDeps; model: Transformer; tokenizer: Tokenizer },
  mix: EpisodeMix,
  settings: ScoreSettings,
): { samples: DecisionSample[]; summary: WarmStartTypeSummary[] } {
  const { config, deps, model, tokenizer } = run;
  const types = warmStartTypesOf(
    parseWarmStartTypes(
      config.warmStartTypes ?? '',
      deps.allKinds.map((k) => k.name),
    ),
    Object.entries(mix)
      .filter(([, weight]) => weight > 0)
      .map(([type]) => type),
  );
  const encoder = new ModelPolicy(model, tokenizer, { lora: true });
  return warmStartSamples(
    types.map((t) => deps.kind(t)),
    tokenizer,
    (tokens) => encoder.encodeContext(tokens),
    warmStartConfigOf(config),
    settings,
  );
}

/**
 * The warm start of a stage (`warm-start.ts`): the adapter imitates the kept logged episodes for
 * `--warm-start-epochs` epochs with an optimizer of its own; logged and written to metrics.jsonl.
 */
async function warmStartStage(
  run: {
    config: TrainConfig;
    deps: TrainDeps;
    runDir: string;
    pool: Parallel;
    model: Transformer;
    tokenizer: Tokenizer;
    elapsed: () => number;
  },
  stage: StageNumber,
  data: { samples: DecisionSample[]; summary: WarmStartTypeSummary[] },
  adapter: LoraAdapter,
): Promise<void> {
  const { config, deps, runDir, pool, model, tokenizer, elapsed } = run;
  const { io } = deps;
  const { samples, summary } = data;
  const t0 = deps.clock();
  io.log(
    `stage ${stage} warm start: the best ${config.warmStartTop} of ${config.warmStartEpisodes} logged persona episodes per type (${samples.length} decisions):`,
  );
  for (const t of summary)
    io.log(
      `  ${t.type}: ${t.kept} kept, composite ${t.keptMean.toFixed(3)} (all ${t.loggedMean.toFixed(3)}), ${Object.entries(t.personas)
        .map(([name, n]) => `${name} ${n}`)
        .join(' / ')}`,
    );
  const warmConfig = warmStartConfigOf(config);
  const previous = model.trainable;
  model.trainable = new Set(adapter.params.keys());
  const warmOptimizer = new AdamW({
    lr: config.warmStartLr,
    beta1: 0.9,
    beta2: 0.999,
    eps: 1e-8,
    weightDecay: 0,
    maxGradNorm: config.maxGradNorm,
  });
  const pad = tokenizer.id(PAD);
  const { losses, skipped } = await warmStart(
    samples,
    warmConfig,
    config.seed,
    (batch, lr) => pool.step(warmOptimizer, batch, pad, lr, { kind: 'imitation', valueCoef: 0 }),
    (epoch, loss) => {
      io.progress?.({ phase: `stage ${stage} warm start`, done: epoch + 1, total: warmConfig.epochs, detail: `loss ${loss.toFixed(3)}` });
    },
  );
  model.trainable = previous;
  const seconds = (deps.clock() - t0) / 1000;
  io.log(
    `stage ${stage} warm start: ${warmConfig.epochs} epochs in ${seconds.toFixed(1)} s; loss ${losses.map((l) => l.toFixed(3)).join(' -> ')}${skipped ? `; ${skipped} non-finite updates skipped` : ''}`,
  );
  appendFileSync(
    join(runDir, 'metrics.jsonl'),
    `${JSON.stringify({ kind: 'warm_start', stage, decisions: samples.length, losses, skippedUpdates: skipped, types: summary, elapsedS: Math.round(elapsed() / 1000) })}\n`,
  );
}
