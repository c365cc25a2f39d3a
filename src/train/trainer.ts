/**
 * The training run behind `dojo train`, its lifecycle: the run directory (new, or resumed from its
 * last checkpoint), the time budget, the base model (`base.ts`), then for each curriculum stage a
 * fresh LoRA adapter — the warm start (`warm-start.ts`), then PPO (`ppo.ts`) or GRPO (`grpo.ts`)
 * iterations on the stage's episode mix until its graduation criteria hold or its episodes or time
 * run out, with a graduation check every few iterations and a checkpoint after every one — and the
 * final held-out evaluation (`evaluate.ts`).
 *
 * Determinism: every episode's seed and sampling key derive from the run seed and the global episode
 * counter; minibatch order from the run seed and the iteration. The clock only decides when to stop
 * (`--max-minutes`, which bounds the whole run: pretraining, warm start and evaluation included),
 * never what is computed.
 */

import { appendFileSync, existsSync, mkdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import { EPISODE_TYPES } from '../episodes/all.js';
import { initEngine } from '../model/engine.js';
import { type LoraAdapter, loadAdapter, mergeAdapter, saveAdapter, stageAdapterName } from '../model/io.js';
import { attentionFallbackReason } from '../model/kernels/attention.js';
import { copyParams, initLora, type Param } from '../model/params.js';
import { PAD } from '../model/tokenizer.js';
import type { Transformer } from '../model/transformer.js';
import { ModelPolicy } from '../policy/model-policy.js';
import type { BaselinesFile } from '../reward/baselines.js';
import type { StageNumber } from '../spec/curriculum.js';
import { type BaseModel, ensureBase, loadBase, type TrainIo } from './base.js';
import { Budget, evaluationReserve, type PlayRate } from './budget.js';
import { CHECKPOINT_SCHEMA, type CheckpointData, type CheckpointState, readCheckpoint, writeCheckpoint } from './checkpoint.js';
import { type ResolvedTrainConfig, readRunConfig, resolveTrainConfig, runConfigFile, type TrainConfig } from './config.js';
import { type CriterionResult, graduated, runTypes } from './curriculum.js';
import { type EvalRow, evaluateRun, graduationCheck, type PairedComparison, seniorBaselines } from './evaluate.js';
import { grpoIteration } from './grpo.js';
import { AdamW } from './optimizer.js';
import { Parallel } from './parallel.js';
import type { IterationContext, IterationResult } from './policy-gradient.js';
import { ppoIteration } from './ppo.js';
import type { DecisionSample } from './samples.js';
import { warmStartAux, warmStartData, warmStartStage } from './warm-start.js';

export interface TrainDeps {
  io: TrainIo;
  /** Milliseconds (monotonic enough); only decides when to stop. */
  clock: () => number;
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
/** Share of the remaining budget pretraining may use (the rest is for RL and the evaluation). */
const PRETRAIN_SHARE = 0.6;
/** Share of the remaining budget, less the evaluation's reserve, the warm start may use. */
const WARM_START_SHARE = 0.5;

/**
 * The learning rate after `episodes` episodes of a stage: a linear warmup over the first
 * `lrWarmup` episodes (none when 0), then a linear decay from `lr` to 10% of it over the budget.
 */
export function stageLr(config: Pick<TrainConfig, 'lr' | 'lrWarmup' | 'maxEpisodes'>, episodes: number): number {
  const warmup = config.lrWarmup > 0 ? Math.min(1, (episodes + 1) / config.lrWarmup) : 1;
  return config.lr * warmup * (1 - 0.9 * Math.min(1, episodes / config.maxEpisodes));
}

function newRunDir(config: TrainConfig): string {
  if (config.output) return config.output;
  for (let n = 1; ; n++) {
    const dir = join('runs', `${config.algo}-s${config.seed}-${n}`);
    if (!existsSync(dir)) return dir;
  }
}

/** A new run's directory, or a resumed one's with its own configuration and last checkpoint. */
function openRun(input: TrainConfig, io: TrainIo): { runDir: string; resolved: ResolvedTrainConfig; checkpoint?: CheckpointData } {
  const names = EPISODE_TYPES.map((t) => t.name);
  if (input.resume) {
    const runDir = input.resume;
    const path = join(runDir, 'config.json');
    if (!existsSync(path))
      throw new ConfigError(`--resume ${runDir}: ${path} does not exist; point --resume at a run directory written by dojo train`);
    const config = { ...readRunConfig(readFileSync(path, 'utf8'), path), resume: input.resume, maxMinutes: input.maxMinutes };
    const resolved = resolveTrainConfig(config, names);
    const checkpoint = readCheckpoint(runDir);
    io.log(
      checkpoint
        ? `resuming ${runDir} at stage index ${checkpoint.state.stageIndex}, episode ${checkpoint.state.episodeCounter} with its own config.json (flags other than --max-minutes are not applied)`
        : `resuming ${runDir}: no checkpoint yet, starting over with its own config.json (flags other than --max-minutes are not applied)`,
    );
    return checkpoint ? { runDir, resolved, checkpoint } : { runDir, resolved };
  }
  const runDir = newRunDir(input);
  if (existsSync(join(runDir, 'checkpoint')))
    throw new ConfigError(`${runDir} already holds a run; use --resume ${runDir} to continue it or choose another --output`);
  // Checked before anything is written: a mistyped option leaves nothing behind.
  const resolved = resolveTrainConfig(input, names);
  mkdirSync(runDir, { recursive: true });
  writeFileSync(join(runDir, 'config.json'), runConfigFile(input));
  return { runDir, resolved };
}

/** Everything a stage's iterations share. */
interface Run {
  resolved: ResolvedTrainConfig;
  config: TrainConfig;
  runDir: string;
  deps: TrainDeps;
  budget: Budget;
  pool: Parallel;
  base: BaseModel;
  baselines: BaselinesFile;
  checkpoint: CheckpointData | undefined;
  rate: PlayRate;
}

export async function runTraining(input: TrainConfig, deps: TrainDeps): Promise<TrainResult> {
  const { io } = deps;
  // ---- run directory, configuration and budget -------------------------------------------------
  const { runDir, resolved, checkpoint } = openRun(input, io);
  const { config, stages } = resolved;
  io.log(`resolved config: ${JSON.stringify(config)}`);
  const budget = new Budget(config.maxMinutes * 60_000, deps.clock, checkpoint?.state.elapsedMs ?? 0);
  if (budget.remaining() <= 0)
    throw new ConfigError(
      `${runDir} has used its --max-minutes ${config.maxMinutes} already (${(budget.elapsed() / 60_000).toFixed(1)} min); resume it with a larger --max-minutes`,
    );
  // Logs: truncated to the checkpoint's lengths, so a resumed run neither loses nor repeats lines.
  for (const log of LOGS) {
    const path = join(runDir, log);
    const keep = checkpoint?.state.logBytes[log] ?? 0;
    if (existsSync(path) && statSync(path).size > keep) truncateSync(path, keep);
    if (!existsSync(path)) writeFileSync(path, '');
  }
  await initEngine(config.backend);
  const fallback = attentionFallbackReason();
  const attention =
    fallback === undefined ? 'WebAssembly SIMD kernel' : `JavaScript reference (the kernel did not load: ${fallback}; about 3x slower)`;
  io.log(
    `run directory ${runDir}; backend ${config.backend}; attention ${attention}; algorithm ${config.algo}; stages ${stages.join(',')}`,
  );

  // ---- base model ------------------------------------------------------------------------------
  const base = await runBase(resolved, runDir, deps, budget);
  writeFileSync(join(runDir, 'base.json'), `${JSON.stringify({ baseDir: base.baseDir }, null, 2)}\n`);
  const pool = await Parallel.start(config.threads, base.model, base.tokenizer, config.backend);
  try {
    // ---- efficiency baselines (scripted senior) -----------------------------------------------------
    const baselinesPath = join(runDir, 'baselines.json');
    let baselines: BaselinesFile;
    if (existsSync(baselinesPath)) baselines = JSON.parse(readFileSync(baselinesPath, 'utf8')) as BaselinesFile;
    else {
      baselines = seniorBaselines(runTypes(resolved.stages));
      writeFileSync(baselinesPath, `${JSON.stringify(baselines, null, 2)}\n`);
    }
    const run: Run = {
      resolved,
      config,
      runDir,
      deps,
      budget,
      pool,
      base,
      baselines,
      checkpoint,
      rate: { decisionsPerSecond: 0, decisionsPerEpisode: 15 },
    };
    return await trainStages(run);
  } finally {
    await pool.close();
  }
}

/** The run's base: the one its base.json names when resuming, else `ensureBase` within the budget. */
async function runBase(resolved: ResolvedTrainConfig, runDir: string, deps: TrainDeps, budget: Budget): Promise<BaseModel> {
  const recorded = join(runDir, 'base.json');
  if (resolved.config.resume && existsSync(recorded)) {
    const { baseDir } = JSON.parse(readFileSync(recorded, 'utf8')) as { baseDir: string };
    const loaded = await loadBase(baseDir, deps.io);
    if (loaded) return loaded;
  }
  return ensureBase(resolved, deps, { budget, share: PRETRAIN_SHARE, runDir, cutDir: join(runDir, 'base') });
}

/** Every stage from the checkpoint's on, then the final evaluation and the summary. */
async function trainStages(run: Run): Promise<TrainResult> {
  const { resolved, config, runDir, budget, pool, base } = run;
  const { stages } = resolved;
  const { model } = base;
  // The pristine base's parameters, for the final base-vs-trained comparison.
  const pristine = copyParams(model.base);
  const pristineValue = copyParams(model.valueHead);
  let state: CheckpointState = run.checkpoint?.state ?? {
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
    model.setLora(await loadAdapter(join(runDir, 'adapters', stageAdapterName(stages[i] as number)), model.config));
    mergeAdapter(model);
  }
  for (let si = state.stageIndex + (state.stageDone ? 1 : 0); si < stages.length; si++) {
    if (si !== state.stageIndex || state.stageDone) {
      state = { ...state, stageIndex: si, iteration: 0, stageEpisodes: 0, optimizerStep: 0, stageDone: false };
    }
    graduationResults[String(stages[si])] = await trainStage(run, state, si);
    if (si < stages.length - 1) mergeAdapter(model);
  }

  // ---- final evaluation ---------------------------------------------------------------------------
  // Training is over: nothing is trainable, so syncs send only what changed (the pool still sends
  // the last update's parameters: it tracks what its steps updated).
  model.trainable = new Set();
  const report = await evaluateRun({
    pool,
    model,
    tokenizer: base.tokenizer,
    pristine,
    pristineValue,
    stages,
    evalSeeds: config.evalSeeds,
    greedy: config.evalDecoding === 'greedy',
    seed: config.seed,
    baselines: run.baselines,
    log: (line) => run.deps.io.log(line),
    budget: {
      remaining: () => budget.remaining(),
      estimate: (episodes) => (run.rate.decisionsPerSecond > 0 ? evaluationReserve(episodes, run.rate, budget) : 0),
    },
  });
  const { rows, comparisons } = report;
  Object.assign(graduationResults, report.graduation);
  const result: TrainResult = { runDir, config, evaluation: rows, comparisons, graduation: graduationResults, wallMs: budget.elapsed() };
  writeFileSync(join(runDir, 'summary.json'), `${JSON.stringify(result, null, 2)}\n`);
  result.model = model;
  appendFileSync(
    join(runDir, 'metrics.jsonl'),
    `${JSON.stringify({ kind: 'evaluation', rows, comparisons, graduation: graduationResults })}\n`,
  );
  return result;
}

/**
 * One stage: a fresh adapter (or the checkpoint's), the warm start, then iterations until the
 * stage graduates or its episodes or the time run out; the adapter is saved at the end.
 */
async function trainStage(run: Run, state: CheckpointState, si: number): Promise<CriterionResult[]> {
  const { resolved, config, runDir, deps, budget, pool, base, checkpoint } = run;
  const { io } = deps;
  const { model, tokenizer } = base;
  const stage = resolved.stages[si] as StageNumber;
  const optimizer = new AdamW({ lr: config.lr, maxGradNorm: config.maxGradNorm });
  const adapter: LoraAdapter = {
    config: resolved.lora,
    params: initLora(model.config, resolved.lora, Rng.seeded(config.seed, 'lora', stage), model.base),
  };
  model.setLora(adapter);
  const resumedHere = checkpoint !== undefined && checkpoint.state.stageIndex === si && !checkpoint.state.stageDone;
  if (resumedHere) restoreCheckpoint(checkpoint, adapter, model.valueHead, optimizer, model);
  model.trainable = new Set([...adapter.params.keys(), ...(config.algo === 'ppo' ? model.valueHead.keys() : [])]);
  const policy = new ModelPolicy(model, tokenizer, { lora: true, seed: config.seed, name: 'model' });
  const settings = { stage, baselines: run.baselines };
  const mix = resolved.mixes[stage];
  const pad = tokenizer.id(PAD);
  io.log(
    `stage ${stage}: ${Object.entries(mix)
      .map(([type, weight]) => `${type} ${weight}`)
      .join(', ')}; up to ${config.maxEpisodes} episodes`,
  );
  // The stage's position, log sizes, adapter, value head and optimizer, written atomically.
  const checkpointStage = () => {
    state.optimizerStep = optimizer.step;
    state.logBytes = Object.fromEntries(LOGS.map((l) => [l, statSync(join(runDir, l)).size]));
    state.elapsedMs = budget.elapsed();
    writeCheckpoint(runDir, state, new Map([...adapter.params, ...model.valueHead]), optimizer);
  };
  const reserve = () => evaluationReserve(config.evalSeeds, run.rate, budget);

  // ---- warm start ----------------------------------------------------------------------------------
  const warm =
    config.warmStartTop > 0 && (!resumedHere || config.warmStartAux > 0)
      ? warmStartData(resolved, new ModelPolicy(model, tokenizer, { lora: true }), mix, settings)
      : undefined;
  const warmSamples: DecisionSample[] = warm?.samples ?? [];
  if (!resumedHere && warm?.samples.length === 0)
    io.log(`stage ${stage} warm start: --warm-start-types leaves no type of this stage; none`);
  if (!resumedHere && warm && warm.samples.length > 0) {
    const allowance = (budget.remaining() - reserve()) * WARM_START_SHARE;
    const started = budget.elapsed();
    const record = await warmStartStage({ resolved, io, pool, model, pad, clock: deps.clock }, stage, warm, adapter, () =>
      budget.elapsed() - started > allowance ? `cut to fit --max-minutes ${config.maxMinutes}` : undefined,
    );
    appendFileSync(join(runDir, 'metrics.jsonl'), `${JSON.stringify({ ...record, elapsedS: Math.round(budget.elapsed() / 1000) })}\n`);
    checkpointStage();
  }

  // ---- iterations ----------------------------------------------------------------------------------
  const iterate: (ctx: IterationContext, log: (line: string) => void) => Promise<IterationResult> =
    config.algo === 'ppo' ? ppoIteration : grpoIteration;
  let lastGraduation: CriterionResult[] = [];
  const check = () =>
    graduationCheck(
      pool,
      tokenizer,
      stage,
      config.graduationSeeds,
      { greedy: config.evalDecoding === 'greedy', seed: config.seed },
      settings,
    );
  while (state.stageEpisodes < config.maxEpisodes) {
    if (budget.remaining() < reserve()) {
      io.log(`stage ${stage}: time budget reached after ${state.stageEpisodes} episodes`);
      break;
    }
    const ctx: IterationContext = {
      config,
      pool,
      policy,
      optimizer,
      pad,
      stage,
      iteration: state.iteration,
      episodeCounter: state.episodeCounter,
      mix,
      settings,
      lr: stageLr(config, state.stageEpisodes),
      clock: deps.clock,
      elapsed: () => budget.elapsed(),
    };
    if (config.warmStartAux > 0 && warmSamples.length > 0) ctx.afterUpdates = () => warmStartAux(ctx, warmSamples, io.log);
    const { specs, episodes, metrics, decisionsPerSecond } = await iterate(ctx, io.log);
    run.rate.decisionsPerSecond = decisionsPerSecond;
    run.rate.decisionsPerEpisode = Math.max(run.rate.decisionsPerEpisode, (metrics.decisions as number) / Math.max(1, episodes.length));
    state.iteration++;
    state.stageEpisodes += specs.length;
    const firstId = state.episodeCounter;
    state.episodeCounter += specs.length;
    if (state.iteration % config.graduationEvery === 0 && state.stageEpisodes >= config.minEpisodes) {
      lastGraduation = await check();
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

  // ---- end of the stage ----------------------------------------------------------------------------
  if (lastGraduation.length === 0) lastGraduation = await check();
  await saveAdapter(join(runDir, 'adapters', stageAdapterName(stage)), adapter);
  state.stageDone = true;
  state.stages.push({ stage, episodes: state.stageEpisodes, graduated: graduated(lastGraduation) });
  checkpointStage();
  return lastGraduation;
}

/** A stage's adapter, value head and optimizer as the checkpoint left them. */
function restoreCheckpoint(
  checkpoint: CheckpointData,
  adapter: LoraAdapter,
  valueHead: Map<string, Param>,
  optimizer: AdamW,
  model: Transformer,
): void {
  for (const [name, p] of checkpoint.params) {
    const target = adapter.params.get(name) ?? valueHead.get(name);
    if (target) target.data.set(p.data);
  }
  for (const [k, m] of checkpoint.moments.m) optimizer.m.set(k, m);
  for (const [k, v] of checkpoint.moments.v) optimizer.v.set(k, v);
  optimizer.step = checkpoint.state.optimizerStep;
  model.invalidate();
}
