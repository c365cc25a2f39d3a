/**
 * Pretraining by imitation: the base model learns to act like a *mixture* of the junior, mid and
 * random scripted personas — not the senior — so it starts as an average engineer and RL has
 * something to discover. Each decision of the personas' episodes becomes a sample (context, action
 * tokens, allowed sets); the loss is the cross-entropy of the action tokens under the same legal
 * mask the policy decodes with, plus a value regression to the persona's return-to-go (the sum of
 * its remaining per-decision credits), so the critic starts calibrated.
 */

import type { Action, EpisodeWorld } from '../core/episode.js';
import { Rng } from '../core/rng.js';
import type { Tokenizer } from '../model/tokenizer.js';
import { PAD } from '../model/tokenizer.js';
import type { Transformer } from '../model/transformer.js';
import { type PersonaName, ScriptedPersona } from '../policy/scripted.js';
import type { Policy, PolicyInput, PolicyOutput } from '../policy/types.js';
import { type ScoreSettings, trainingReward } from '../reward/credit.js';
import { type EpisodeSpec, rolloutSync } from '../rollout/rollout.js';
import { AdamW, type AdamWOptions } from './optimizer.js';
import { parseWeightPairs } from './parse.js';
import { type Divisors, minibatches } from './policy-gradient.js';
import { type DecisionSample, gradientStep, type TokenBatchView } from './samples.js';

/** Decisions per imitation minibatch. */
export const PRETRAIN_BATCH = 64;
/** Weight of the value regression in the imitation loss. */
export const PRETRAIN_VALUE_COEF = 0.5;
/** First seed of the pretraining episodes (plus the run seed). */
export const PRETRAIN_SEED = 1_000_000;

/** Which personas play which logged episodes: a mixture by share, over `episodesPerType` seeds per type. */
export interface LoggingConfig {
  /**
   * Mixture weights of the imitated personas (the product imitates junior, mid and random; a
   * research script may ask for others, e.g. the senior, to measure what imitation can reach).
   */
  mixture: Partial<Record<PersonaName, number>>;
  /** Episodes per episode type. */
  episodesPerType: number;
  /** Episode i of each type plays seed `seed + i`. */
  seed: number;
}

export interface PretrainConfig extends LoggingConfig {
  epochs: number;
  batch: number;
  lr: number;
  valueCoef: number;
}

/** The personas `dojo train` may imitate for its base: an average engineer, never the senior. */
const BASE_PERSONAS: readonly PersonaName[] = ['junior', 'mid', 'random'];

/**
 * Parses `--pretrain-mixture junior=0.4,mid=0.4,random=0.2` (weights are shares of the imitated
 * episodes, in the order given). Throws a message naming the bad pair and the fix.
 */
export function parsePretrainMixture(text: string): Partial<Record<PersonaName, number>> {
  const mixture: Partial<Record<PersonaName, number>> = {};
  for (const [name, weight] of parseWeightPairs(text, 'pretrain-mixture', 'junior=0.4,mid=0.4,random=0.2')) {
    if (!(BASE_PERSONAS as readonly string[]).includes(name))
      throw new Error(
        `--pretrain-mixture: "${name}" cannot be imitated by the base (choose from ${BASE_PERSONAS.join(', ')}; the base is an average engineer, so RL has something to discover)`,
      );
    mixture[name as PersonaName] = weight;
  }
  if (!Object.values(mixture).some((w) => (w ?? 0) > 0))
    throw new Error('--pretrain-mixture: give at least one persona a positive weight (e.g. junior=0.4,mid=0.4,random=0.2)');
  return mixture;
}

/** Builds the imitation samples (deterministic in the seed). */
export function imitationSamples(
  types: readonly EpisodeWorld[],
  tokenizer: Tokenizer,
  encodeContext: (tokens: readonly string[]) => number[],
  logging: LoggingConfig,
  scoring: ScoreSettings,
): DecisionSample[] {
  return imitationEpisodes(types, tokenizer, encodeContext, logging, scoring).flatMap((e) => e.samples);
}

/** One imitated episode: its type, persona, composite reward and recorded decisions. */
export interface ImitationEpisode {
  type: string;
  persona: PersonaName;
  reward: number;
  /** The behavioral channel of the composite (the rubric score, without outcome or efficiency). */
  behavioral: number;
  samples: DecisionSample[];
}

/** Each episode's persona of the mixture, named by its spec's sampling key. */
class MixturePolicy implements Policy {
  readonly name = 'mixture';
  /** Reads the tokens (the samples' contexts) and the legal actions (the samples' allowed sets). */
  readonly capabilities = { trainable: false, observes: ['structured', 'tokens'] as const, needsLegalActions: true, batched: false };

  constructor(private readonly personas: ReadonlyMap<string, ScriptedPersona>) {}

  async act(inputs: readonly PolicyInput[]): Promise<PolicyOutput[]> {
    return this.actSync(inputs);
  }

  actSync(inputs: readonly PolicyInput[]): PolicyOutput[] {
    return inputs.map((input) => ({ action: (this.personas.get(input.key ?? '') as ScriptedPersona).choose(input) }));
  }
}

/** The constrained-decoding sample of one persona decision, or undefined when the action is not legal. */
function imitationSample(
  tokenizer: Tokenizer,
  encodeContext: (tokens: readonly string[]) => number[],
  input: PolicyInput,
  action: Action,
): DecisionSample | undefined {
  const tokens = tokenizer.encodeAction(action);
  const sequences = input.legalActions.map((a) => tokenizer.encodeAction(a));
  const key = tokens.join(',');
  if (!sequences.some((s) => s.join(',') === key)) return undefined;
  // The allowed set at each position: next tokens of the legal sequences sharing the prefix.
  const allowed = tokens.map((_, j) => {
    const prefix = tokens.slice(0, j).join(',');
    const next = new Set<number>();
    for (const s of sequences) if (s.slice(0, j).join(',') === prefix && s.length > j) next.add(s[j] as number);
    return [...next];
  });
  return {
    context: encodeContext(input.observation.tokens ?? []),
    tokens,
    allowed,
    oldLogp: tokens.map(() => 0),
    advantage: 0,
    ret: 0,
  };
}

/**
 * The imitation samples grouped by episode, with each episode's composite (deterministic in the
 * seed): the mixture's personas play `episodesPerType` episodes of each type through the episode
 * loop, a persona drawn per episode by the mixture's weights.
 */
export function imitationEpisodes(
  types: readonly EpisodeWorld[],
  tokenizer: Tokenizer,
  encodeContext: (tokens: readonly string[]) => number[],
  logging: LoggingConfig,
  scoring: ScoreSettings,
): ImitationEpisode[] {
  const rng = Rng.seeded(logging.seed, 'pretrain-mixture');
  const names = (Object.keys(logging.mixture) as PersonaName[]).filter((n) => (logging.mixture[n] ?? 0) > 0);
  const weights = names.map((n) => logging.mixture[n] as number);
  const policy = new MixturePolicy(new Map(names.map((n) => [n, new ScriptedPersona(n, logging.seed)])));
  const specs: EpisodeSpec[] = [];
  for (const type of types)
    for (let i = 0; i < logging.episodesPerType; i++)
      specs.push({ type, seed: logging.seed + i, key: names[rng.weightedIndex(weights)] as string });
  const samples: DecisionSample[][] = specs.map(() => []);
  const played = rolloutSync(policy, specs, {
    policyName: 'unknown',
    onStep: ({ index, input, output }) => {
      const sample = imitationSample(tokenizer, encodeContext, input, output.action as Action);
      if (sample) (samples[index] as DecisionSample[]).push(sample);
    },
  });
  return played.map(({ spec, trace }, index) => {
    const episodeSamples = samples[index] as DecisionSample[];
    const { credits, reward, score } = trainingReward(trace, scoring);
    // Return-to-go per recorded decision (an invalid persona action is skipped above; credits
    // align with the trace's decisions, so skipped ones only shorten the tail sums).
    let acc = 0;
    const rtg = credits.map(() => 0);
    for (let t = credits.length - 1; t >= 0; t--) {
      acc += credits[t] as number;
      rtg[t] = acc;
    }
    for (let k = 0; k < episodeSamples.length; k++) (episodeSamples[k] as DecisionSample).ret = rtg[Math.min(k, rtg.length - 1)] ?? 0;
    return { type: trace.type, persona: spec.key as PersonaName, reward, behavioral: score.behavioral, samples: episodeSamples };
  });
}

/**
 * The imitation loss of a minibatch: the token mean of the action tokens' cross-entropy (under
 * the legal-action constraint) plus valueCoef × the decision mean of ½ (V − return-to-go)².
 * `divisors` override the token and decision counts (a shard of a minibatch, see parallel.ts).
 */
export function imitationLoss(samples: readonly DecisionSample[], view: TokenBatchView, valueCoef: number, divisors?: Divisors) {
  const { layout, stats, values } = view;
  const n = Math.max(1, divisors?.tokens ?? layout.targets.length);
  const m = Math.max(1, divisors?.decisions ?? samples.length);
  let ce = 0;
  for (const l of stats.logp) ce -= l;
  const dLogp = new Float64Array(layout.targets.length).fill(-1 / n);
  let mse = 0;
  const dValues = new Float64Array(samples.length);
  samples.forEach((s, i) => {
    const diff = (values[i] as number) - s.ret;
    mse += 0.5 * diff * diff;
    dValues[i] = (valueCoef * diff) / m;
  });
  return { loss: ce / n + (valueCoef * mse) / m, dLogp, dValues };
}

export interface PretrainProgress {
  epoch: number;
  step: number;
  steps: number;
  loss: number;
}

/** One imitation step on a minibatch (a data-parallel one from `Parallel.step`, say). */
export type ImitationStep = (batch: readonly DecisionSample[], lr: number) => Promise<{ loss: number; report: { applied: boolean } }>;

/**
 * Trains every base parameter and the value head on the imitation samples. `step` replaces the
 * in-process gradient step (its optimizer is then the caller's: `adam` is not used). `stop` is
 * asked after every step; a reason ends pretraining there (a time budget).
 */
export async function pretrain(
  model: Transformer,
  tokenizer: Tokenizer,
  samples: readonly DecisionSample[],
  config: PretrainConfig,
  onProgress?: (p: PretrainProgress) => void,
  adam: Partial<AdamWOptions> = {},
  step?: (optimizer: AdamW) => ImitationStep,
  stop?: (p: PretrainProgress) => string | undefined,
): Promise<{ losses: number[]; skipped: number; stopped?: string }> {
  const previousLora = model.lora;
  model.setLora(undefined);
  model.trainable = new Set([...model.base.keys(), ...model.valueHead.keys()]);
  const optimizer = new AdamW({ lr: config.lr, beta2: 0.98, ...adam });
  const stepper: ImitationStep =
    step?.(optimizer) ??
    (async (batch, lr) => gradientStep(model, optimizer, batch, pad, lr, (view) => imitationLoss(batch, view, config.valueCoef)));
  const rng = Rng.seeded(config.seed, 'pretrain-shuffle');
  const pad = tokenizer.id(PAD);
  const losses: number[] = [];
  let skipped = 0;
  const lengths = samples.map((s) => s.context.length + s.tokens.length);
  const perEpoch = Math.ceil(samples.length / config.batch);
  const total = perEpoch * config.epochs;
  let done = 0;
  for (let epoch = 0; epoch < config.epochs; epoch++) {
    for (const idx of minibatches(samples.length, config.batch, rng, lengths)) {
      const batch = idx.map((i) => samples[i] as DecisionSample);
      // Cosine decay from lr to lr / 10.
      const lr = config.lr * (0.1 + 0.9 * 0.5 * (1 + Math.cos((Math.PI * done) / Math.max(1, total))));
      const { loss, report } = await stepper(batch, lr);
      if (!report.applied) skipped++;
      losses.push(loss);
      done++;
      const progress = { epoch, step: done, steps: total, loss };
      onProgress?.(progress);
      const reason = stop?.(progress);
      if (reason !== undefined) {
        model.trainable = new Set();
        model.setLora(previousLora);
        return { losses, skipped, stopped: reason };
      }
    }
  }
  model.trainable = new Set();
  model.setLora(previousLora);
  return { losses, skipped };
}
