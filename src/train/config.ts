/**
 * The one configuration of `dojo train`: a flat zod schema with the defaults and the help text
 * (flags are generated from it; a `--config FILE` JSON may set any key; unknown keys are
 * rejected), grouped by prefix: model*, lora*, ppo*, grpo*, pretrain*, warmStart*.
 *
 * `resolveTrainConfig` turns it into what a run uses — the stages, each stage's episode mix, the
 * pretraining mixture and the warm-start types parsed once and checked together — and
 * `runConfigFile` / `readRunConfig` write and read it as a run directory's versioned
 * `config.json`. A run directory written by an older version is migrated in one place
 * (`migrateRunConfig`), to the settings that run actually used.
 */
import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { ConfigError } from '../core/errors.js';
import { LORA_TARGETS, type LoraConfig, SAVED_MODULES } from '../model/params.js';
import type { PersonaName } from '../policy/scripted.js';
import { STAGE_EPISODE_TYPES, type StageNumber } from '../spec/curriculum.js';
import { type EpisodeMix, parseMix, stageMix } from './curriculum.js';
import { parseStages } from './parse.js';
import { parsePretrainMixture } from './pretrain.js';
import { parseWarmStartTypes, type WarmStartTypes } from './warm-start.js';

export const TrainConfigSchema = z
  .object({
    algo: z.enum(['ppo', 'grpo']).default('ppo').describe('policy-gradient algorithm'),
    stages: z.string().default('1').describe('curriculum stages to train, comma-separated in order (e.g. 1,2)'),
    seed: z.number().int().min(0).default(0).describe('run seed (episodes, sampling, initialization)'),
    mix: z
      .string()
      .default('')
      .describe(
        "episode mix as type=weight pairs, e.g. elicitation=1000,implementation=1000 (types not named keep the midpoint of curriculum.yaml's range)",
      ),
    maxMinutes: z.number().positive().default(13).describe('wall-clock budget for the whole run, evaluation included'),
    output: z.string().optional().describe('run directory (default runs/<algo>-s<seed>-<n>)'),
    resume: z.string().optional().describe('continue the run in this directory from its last checkpoint'),
    backend: z.enum(['wasm', 'cpu']).default('wasm').describe('TensorFlow.js backend (cpu: the slow pure-JS reference)'),
    threads: z
      .number()
      .int()
      .min(1)
      .max(64)
      .default(Math.max(1, Math.min(2, availableParallelism())))
      .describe('threads for rollouts, evaluation and gradients (data parallel; default: the cores, at most 2)'),
    base: z.string().optional().describe('pretrained base model directory (default .dojo/base-<config hash>, pretrained when missing)'),
    episodesPerIteration: z.number().int().min(2).max(4096).default(128).describe('episodes collected per policy update'),
    maxEpisodes: z.number().int().min(1).default(16000).describe('episode budget per stage (the learning rate decays linearly over it)'),
    minEpisodes: z.number().int().min(0).default(1024).describe('episodes before a stage may graduate'),
    graduationEvery: z.number().int().min(1).default(4).describe('check graduation every N iterations'),
    graduationSeeds: z.number().int().min(1).default(40).describe('held-out episodes per type for a graduation check'),
    evalSeeds: z.number().int().min(0).default(500).describe('held-out seeds in the final evaluation (spread over the stage types)'),
    evalDecoding: z
      .enum(['sample', 'greedy'])
      .default('sample')
      .describe('how the models act in graduation checks and the final evaluation: sample (the trained policy itself) or greedy'),
    lr: z.number().positive().default(2e-3).describe('peak learning rate (LoRA and value head), linear decay to 10%'),
    lrWarmup: z.number().int().min(0).default(0).describe('episodes of linear learning-rate warmup at the start of each stage (0: none)'),
    maxGradNorm: z.number().min(0).default(1).describe('global gradient-norm clip (0: off)'),
    modelDim: z.number().int().min(8).default(64).describe('model hidden size'),
    modelLayers: z.number().int().min(1).default(2).describe('transformer blocks'),
    modelHeads: z.number().int().min(1).default(4).describe('attention heads'),
    modelHidden: z.number().int().min(8).default(176).describe('gated-MLP intermediate size'),
    modelMaxSeq: z.number().int().min(16).default(96).describe('longest sequence the model reads'),
    loraRank: z.number().int().min(1).default(8).describe('LoRA rank'),
    loraAlpha: z.number().positive().default(16).describe('LoRA alpha (scale = alpha / rank)'),
    loraTargets: z
      .array(z.enum(LORA_TARGETS))
      .default(['q_proj', 'v_proj', 'o_proj', 'up_proj', 'down_proj'])
      .describe('projections LoRA adapts'),
    loraModulesToSave: z
      .array(z.enum(SAVED_MODULES))
      .default(['embed_tokens', 'lm_head'])
      .describe("modules the adapter trains as full copies (PEFT's modules_to_save; an empty value for none)"),
    ppoClip: z.number().positive().default(0.2).describe('PPO clip range ε'),
    ppoEpochs: z.number().int().min(1).default(3).describe('PPO epochs per batch'),
    ppoMinibatch: z.number().int().min(1).default(128).describe('decisions per PPO minibatch'),
    ppoValueCoef: z.number().min(0).default(0.5).describe('value-loss coefficient'),
    ppoEntropyCoef: z.number().min(0).default(0.01).describe('entropy bonus coefficient'),
    ppoKlBeta: z.number().min(0).default(0.02).describe('KL penalty to the reference (base without adapters)'),
    ppoGamma: z.number().min(0).max(1).default(0.99).describe('discount between decisions'),
    ppoLambda: z.number().min(0).max(1).default(0.95).describe('GAE λ'),
    ppoAdvantageNorm: z
      .enum(['batch', 'type'])
      .default('batch')
      .describe('normalize PPO advantages over the whole batch, or within each episode type'),
    grpoGroupSize: z.number().int().min(2).default(8).describe('rollouts per scenario'),
    grpoClip: z.number().positive().default(0.2).describe('GRPO clip range ε'),
    grpoEpochs: z.number().int().min(1).default(3).describe('GRPO epochs per batch'),
    grpoMinibatch: z.number().int().min(1).default(128).describe('decisions per GRPO minibatch'),
    grpoKlBeta: z.number().min(0).default(0.02).describe('GRPO KL β'),
    grpoOutcomeOnly: z
      .boolean()
      .default(true)
      .describe(
        'GRPO: one group-normalized reward per episode (default); --no-grpo-outcome-only: process supervision from the step rewards',
      ),
    pretrainMixture: z
      .string()
      .default('junior=0.4,mid=0.4,random=0.2')
      .describe(
        'personas the base model imitates, persona=weight pairs of junior, mid and random (never the senior); weights are shares of episodes',
      ),
    warmStartTop: z
      .number()
      .min(0)
      .max(1)
      .default(0.05)
      .describe(
        "warm start: share of the pretraining personas' logged episodes per type, best composite first, the adapter imitates before each stage's RL (0: none)",
      ),
    warmStartEpisodes: z.number().int().min(1).default(4000).describe('warm start: logged persona episodes per stage type'),
    warmStartTypes: z
      .string()
      .default('-elicitation')
      .describe(
        "warm start: the types whose logged episodes are imitated, comma-separated; '-type' leaves one out (the default leaves out elicitation, whose best logged episodes are short lucky ones)",
      ),
    warmStartEpochs: z.number().int().min(1).default(6).describe('warm start: imitation epochs over the kept episodes'),
    warmStartLr: z.number().positive().default(2e-3).describe('warm start: imitation learning rate (constant)'),
    warmStartAux: z
      .number()
      .int()
      .min(0)
      .default(4)
      .describe('warm start: minibatches of the kept episodes imitated after each RL update, to keep what the warm start taught (0: none)'),
    pretrainEpisodes: z.number().int().min(1).default(1000).describe('imitation episodes per Stage-1 type for the base model'),
    pretrainEpochs: z.number().int().min(1).default(3).describe('imitation epochs'),
    pretrainLr: z.number().positive().default(3e-3).describe('imitation learning rate'),
  })
  .strict();

export type TrainConfig = z.infer<typeof TrainConfigSchema>;

/** The version written into a run directory's config.json (`schema`). */
export const RUN_CONFIG_SCHEMA = 'dojo.train-config/2';

/** A run's configuration with its list options parsed: everything a run reads, checked once. */
export interface ResolvedTrainConfig {
  config: TrainConfig;
  stages: StageNumber[];
  /** Each stage's episode mix (curriculum.yaml's, with `--mix` applied). */
  mixes: Record<StageNumber, EpisodeMix>;
  /** The personas the base imitates, by share of episodes. */
  pretrainMixture: Partial<Record<PersonaName, number>>;
  /** The types the warm start imitates (`--warm-start-types`). */
  warmStartTypes: WarmStartTypes;
  lora: LoraConfig;
}

/**
 * Parses and checks a run's configuration: every list option once, with messages that name the
 * option and the fix. Throws `ConfigError` before anything is written.
 */
export function resolveTrainConfig(config: TrainConfig, episodeTypes: readonly string[]): ResolvedTrainConfig {
  try {
    const stages = parseStages(config.stages);
    const overrides = parseMix(config.mix, stages);
    for (const stage of stages) {
      const missing = STAGE_EPISODE_TYPES[stage].filter((t) => !episodeTypes.includes(t));
      if (missing.length > 0)
        throw new Error(`--stages ${config.stages}: stage ${stage} needs episode types that do not exist (${missing.join(', ')})`);
    }
    const mixes = {} as Record<StageNumber, EpisodeMix>;
    for (const stage of stages) mixes[stage] = stageMix(stage, overrides);
    return {
      config,
      stages,
      mixes,
      pretrainMixture: parsePretrainMixture(config.pretrainMixture),
      warmStartTypes: parseWarmStartTypes(config.warmStartTypes, episodeTypes),
      lora: {
        rank: config.loraRank,
        alpha: config.loraAlpha,
        targets: config.loraTargets,
        ...(config.loraModulesToSave.length > 0 ? { modulesToSave: config.loraModulesToSave } : {}),
      },
    };
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError((error as Error).message);
  }
}

/** The run directory's config.json: the versioned, fully resolved flat configuration. */
export function runConfigFile(config: TrainConfig): string {
  return `${JSON.stringify({ schema: RUN_CONFIG_SCHEMA, ...config }, null, 2)}\n`;
}

/**
 * A config.json as written by any version, brought to the current schema with the settings that
 * run used. Version 1 (no `schema` key) was written before some options existed; its run used, for
 * a key it lacks: no modules saved in the adapter, no `--mix`, the default pretraining mixture, no
 * warm start, and GRPO with the PPO clip.
 */
export function migrateRunConfig(raw: Record<string, unknown>): Record<string, unknown> {
  const { schema, ...rest } = raw;
  if (schema === RUN_CONFIG_SCHEMA) return rest;
  if (schema !== undefined)
    throw new Error(`field "schema" is ${JSON.stringify(schema)}; this version reads ${RUN_CONFIG_SCHEMA} and older`);
  const version1: Record<string, unknown> = {
    loraModulesToSave: [],
    mix: '',
    warmStartTop: 0,
    warmStartAux: 0,
    warmStartTypes: '',
    grpoClip: rest.ppoClip,
  };
  const migrated = { ...rest };
  for (const [key, value] of Object.entries(version1)) if (!(key in migrated) && value !== undefined) migrated[key] = value;
  return migrated;
}

/** Reads a run directory's config.json (any version), migrated and validated; `path` names it in errors. */
export function readRunConfig(text: string, path: string): TrainConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(
      `${path}: not valid JSON (${(error as Error).message}); restore it from the run's first lines of output or start a new run`,
    );
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new ConfigError(`${path}: expected a JSON object of training options`);
  let migrated: Record<string, unknown>;
  try {
    migrated = migrateRunConfig(raw as Record<string, unknown>);
  } catch (error) {
    throw new ConfigError(`${path}: ${(error as Error).message}`);
  }
  const parsed = TrainConfigSchema.safeParse(migrated);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    if (issue?.code === 'unrecognized_keys')
      throw new ConfigError(`${path}: unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}; remove them or start a new run`);
    throw new ConfigError(
      `${path}: field "${issue?.path.join('.') ?? ''}": ${issue?.message ?? 'invalid'}; fix the value or start a new run`,
    );
  }
  return parsed.data;
}
