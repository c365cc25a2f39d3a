/**
 * The one configuration of `dojo train`: a flat zod schema (flags are generated from it; a
 * `--config FILE` JSON may set any key; unknown keys are rejected). Grouped by prefix: model*,
 * lora*, ppo*, grpo*, pretrain*.
 */
import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { LORA_TARGETS, SAVED_MODULES } from '../model/params.js';

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

/** Parses `--stages 1,2` into stage numbers, with a clear message for bad input. */
export function parseStages(text: string): (1 | 2 | 3 | 4)[] {
  const parts = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (parts.length === 0) throw new Error('--stages: give at least one stage, e.g. --stages 1 or --stages 1,2');
  return parts.map((p) => {
    const n = Number(p);
    if (![1, 2, 3, 4].includes(n)) throw new Error(`--stages: "${p}" is not a curriculum stage (1, 2, 3 or 4)`);
    return n as 1 | 2 | 3 | 4;
  });
}

/**
 * Parses comma-separated `name=weight` pairs (weights finite and ≥ 0, in the order given) for the
 * option `--<flag>`, with a message that names the bad pair and shows `example`.
 */
export function parseWeightPairs(text: string, flag: string, example: string): [string, number][] {
  return text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)
    .map((pair) => {
      const [name, weight, ...rest] = pair.split('=').map((s) => s.trim());
      const value = Number(weight);
      if (!name || weight === undefined || weight === '' || rest.length > 0 || !Number.isFinite(value) || value < 0)
        throw new Error(`--${flag}: "${pair}" is not name=weight with a weight ≥ 0 (e.g. --${flag} ${example})`);
      return [name, value];
    });
}
