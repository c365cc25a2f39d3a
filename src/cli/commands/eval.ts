/**
 * `dojo eval`: evaluates a run's saved adapters again, without training — on more held-out seeds,
 * or decoding greedily — and prints the same report as the end of `dojo train`: base vs trained vs
 * the scripted junior, mid and senior per type, the trained policy's paired differences with 95%
 * intervals, and the graduation verdicts. The run directory is only read; `--out FILE` writes the
 * report as JSON.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../../core/errors.js';
import { EPISODE_TYPES } from '../../episodes/all.js';
import { initEngine } from '../../model/engine.js';
import { loadAdapter, loadModel, mergeAdapter, stageAdapterName } from '../../model/io.js';
import { copyParams } from '../../model/params.js';
import type { BaselinesFile } from '../../reward/baselines.js';
import type { StageNumber } from '../../spec/curriculum.js';
import { readRunConfig, resolveTrainConfig, TrainConfigSchema } from '../../train/config.js';
import { runTypes, SEED_RANGES } from '../../train/curriculum.js';
import { evaluateRun, seniorBaselines } from '../../train/evaluate.js';
import { Parallel } from '../../train/parallel.js';
import type { CommandSpec } from '../flags.js';
import type { Io } from '../io.js';
import { printEvaluation } from './train.js';

export const evalSchema = z
  .object({
    run: z.string().describe('run directory written by dojo train'),
    evalSeeds: z.number().int().min(1).default(500).describe("held-out episodes, spread over the evaluated stages' types"),
    evalDecoding: z
      .enum(['sample', 'greedy'])
      .optional()
      .describe("how the models act: sample or greedy (default: the run's own --eval-decoding)"),
    threads: TrainConfigSchema.shape.threads,
    out: z.string().optional().describe('also write the report as JSON to this file'),
  })
  .strict();

export const evalCommand: CommandSpec<typeof evalSchema> = {
  name: 'eval',
  summary: "Evaluate a run's adapters again on held-out seeds (more seeds, or greedy) without training; prints the final table.",
  usage: 'dojo eval --run runs/<id> [--eval-seeds 2000] [--eval-decoding greedy] [--out report.json]',
  schema: evalSchema,
};

function readJson<T>(path: string, what: string): T {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch (error) {
    throw new ConfigError(`${path}: cannot read the ${what} (${(error as Error).message}); is this a directory written by dojo train?`);
  }
}

export async function runEvalCommand(config: z.infer<typeof evalSchema>, io: Io): Promise<number> {
  const configPath = join(config.run, 'config.json');
  const basePath = join(config.run, 'base.json');
  for (const path of [configPath, basePath])
    if (!existsSync(path))
      throw new ConfigError(`--run ${config.run}: ${path} does not exist; point --run at a directory written by dojo train`);
  const run = readRunConfig(readFileSync(configPath, 'utf8'), configPath);
  const { baseDir } = readJson<{ baseDir: string }>(basePath, 'base model reference');
  let stages: StageNumber[];
  try {
    ({ stages } = resolveTrainConfig(
      run,
      EPISODE_TYPES.map((t) => t.name),
    ));
  } catch (error) {
    throw new ConfigError(`${configPath}: ${(error as Error).message}`);
  }
  // The stages whose adapters exist, in the run's order; a later stage needs the earlier ones.
  const done: StageNumber[] = [];
  for (const stage of stages) {
    if (!existsSync(join(config.run, 'adapters', stageAdapterName(stage), 'adapter_config.json'))) break;
    done.push(stage);
  }
  if (done.length === 0)
    throw new ConfigError(
      `--run ${config.run}: no finished stage adapter under ${join(config.run, 'adapters')} yet (a stage saves lora-vN when it ends; resume the run with dojo train --resume ${config.run})`,
    );
  if (done.length < stages.length)
    io.err(
      `stages ${stages.join(',')} planned; evaluating the finished ones (${done.join(',')}): the run has not saved the others' adapters`,
    );
  if (!existsSync(join(baseDir, 'tokenizer.json')))
    throw new ConfigError(
      `${basePath}: the base model ${baseDir} is missing (a relative path counts from the directory dojo train ran in: run dojo eval there; dojo pretrain with the run's options writes it again)`,
    );

  const backend = run.backend;
  await initEngine(backend);
  const { model, tokenizer } = await loadModel(baseDir);
  const pristine = copyParams(model.base);
  const pristineValue = copyParams(model.valueHead);
  for (const [i, stage] of done.entries()) {
    model.setLora(await loadAdapter(join(config.run, 'adapters', stageAdapterName(stage)), model.config));
    if (i < done.length - 1) mergeAdapter(model);
  }
  model.trainable = new Set();
  const baselinesPath = join(config.run, 'baselines.json');
  const baselines = existsSync(baselinesPath)
    ? readJson<BaselinesFile>(baselinesPath, 'efficiency baselines')
    : seniorBaselines(runTypes(done));
  const decoding = config.evalDecoding ?? run.evalDecoding;
  io.err(
    `evaluating ${config.run} (adapters ${done.map((s) => stageAdapterName(s)).join(', ')}; base ${baseDir}) on held-out seeds from ${SEED_RANGES.evaluation}, ${decoding === 'greedy' ? 'greedy' : 'sampled'}`,
  );
  const pool = await Parallel.start(config.threads, model, tokenizer, backend);
  try {
    const report = await evaluateRun({
      pool,
      model,
      tokenizer,
      pristine,
      pristineValue,
      stages: done,
      evalSeeds: config.evalSeeds,
      greedy: decoding === 'greedy',
      seed: run.seed,
      baselines,
      log: (line) => io.err(line),
    });
    printEvaluation(io, report, decoding);
    if (config.out) {
      mkdirSync(dirname(config.out), { recursive: true });
      const json = { run: config.run, stages: done, evalSeeds: config.evalSeeds, decoding, ...report };
      writeFileSync(config.out, `${JSON.stringify(json, null, 2)}\n`);
      io.err(`report written to ${config.out}`);
    }
  } finally {
    await pool.close();
  }
  return 0;
}
