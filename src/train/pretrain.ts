/**
 * Pretraining by imitation: the base model learns to act like a *mixture* of the junior, mid and
 * random scripted personas — not the senior — so it starts as an average engineer and RL has
 * something to discover. Each decision of the personas' episodes becomes a sample (context, action
 * tokens, allowed sets); the loss is the cross-entropy of the action tokens under the same legal
 * mask the policy decodes with, plus a value regression to the persona's return-to-go (the sum of
 * its remaining per-decision credits), so the critic starts calibrated.
 */
import { DojoEnv } from '../env/env.js';
import { ModelPolicy } from '../model/policy.js';
import type { Tokenizer } from '../model/tokenizer.js';
import { PAD } from '../model/tokenizer.js';
import type { Transformer } from '../model/transformer.js';
import { ScriptedPersona } from '../policy/personas/index.js';
import type { PolicyInput } from '../policy/types.js';
import type { EpisodeKind } from '../sim/episodes/types.js';
import { Rng } from '../sim/rng.js';
import { AdamW, type AdamWOptions } from './optimizer.js';
import { minibatches } from './ppo.js';
import { type ScoreSettings, scoreTrace } from './rollout.js';
import { type DecisionSample, gradientStep } from './samples.js';

export interface PretrainConfig {
  /** Episodes per episode type. */
  episodesPerType: number;
  /** Mixture weights of the imitated personas. */
  mixture: { junior: number; mid: number; random: number };
  epochs: number;
  batch: number;
  lr: number;
  valueCoef: number;
  seed: number;
}

export const DEFAULT_PRETRAIN: PretrainConfig = {
  episodesPerType: 300,
  mixture: { junior: 0.4, mid: 0.4, random: 0.2 },
  epochs: 2,
  batch: 64,
  lr: 3e-3,
  valueCoef: 0.5,
  seed: 1_000_000,
};

/** Builds the imitation samples (deterministic in the seed). */
export function imitationSamples(
  kinds: readonly EpisodeKind[],
  tokenizer: Tokenizer,
  encodeContext: (tokens: readonly string[]) => number[],
  config: PretrainConfig,
  scoring: ScoreSettings,
): DecisionSample[] {
  const rng = Rng.seeded(config.seed, 'pretrain-mixture');
  const names = ['junior', 'mid', 'random'] as const;
  const weights = names.map((n) => config.mixture[n]);
  const personas = names.map((n) => new ScriptedPersona(n, config.seed));
  const samples: DecisionSample[] = [];
  for (const kind of kinds) {
    const env = new DojoEnv(kind, { render: ['structured', 'tokens'] });
    for (let i = 0; i < config.episodesPerType; i++) {
      const persona = personas[rng.weightedIndex(weights)] as ScriptedPersona;
      let { observation } = env.resetSync({ seed: config.seed + i });
      const start = samples.length;
      for (;;) {
        const legal = env.legalActions();
        const action = persona.choose({ observation, legalActions: legal } as PolicyInput);
        const tokens = tokenizer.encodeAction(action);
        const sequences = legal.map((a) => tokenizer.encodeAction(a));
        const key = tokens.join(',');
        if (sequences.some((s) => s.join(',') === key)) {
          // The allowed set at each position: next tokens of the legal sequences sharing the prefix.
          const allowed = tokens.map((_, j) => {
            const prefix = tokens.slice(0, j).join(',');
            const next = new Set<number>();
            for (const s of sequences) if (s.slice(0, j).join(',') === prefix && s.length > j) next.add(s[j] as number);
            return [...next];
          });
          samples.push({
            context: encodeContext(observation.tokens ?? []),
            tokens,
            allowed,
            oldLogp: tokens.map(() => 0),
            oldValue: 0,
            advantage: 0,
            ret: 0,
          });
        }
        const step = env.stepSync(action);
        observation = step.observation;
        if (step.terminated || step.truncated) break;
      }
      const { credits } = scoreTrace(env.trace(), scoring);
      // Return-to-go per recorded decision (an invalid persona action is skipped above; credits
      // align with the trace's decisions, so skipped ones only shorten the tail sums).
      let acc = 0;
      const rtg = credits.map(() => 0);
      for (let t = credits.length - 1; t >= 0; t--) {
        acc += credits[t] as number;
        rtg[t] = acc;
      }
      const recorded = samples.length - start;
      for (let k = 0; k < recorded; k++) (samples[start + k] as DecisionSample).ret = rtg[Math.min(k, rtg.length - 1)] ?? 0;
    }
    env.close();
  }
  return samples;
}

export interface PretrainProgress {
  epoch: number;
  step: number;
  steps: number;
  loss: number;
}

/** Trains every base parameter and the value head on the imitation samples. */
export function pretrain(
  model: Transformer,
  tokenizer: Tokenizer,
  samples: readonly DecisionSample[],
  config: PretrainConfig,
  onProgress?: (p: PretrainProgress) => void,
  adam: Partial<AdamWOptions> = {},
): { losses: number[]; skipped: number } {
  const previousLora = model.lora;
  model.setLora(undefined);
  model.trainable = new Set([...model.base.keys(), ...model.valueHead.keys()]);
  const optimizer = new AdamW({ lr: config.lr, beta1: 0.9, beta2: 0.98, eps: 1e-8, weightDecay: 0, maxGradNorm: 1, ...adam });
  const rng = Rng.seeded(config.seed, 'pretrain-shuffle');
  const pad = tokenizer.id(PAD);
  const losses: number[] = [];
  let skipped = 0;
  const lengths = samples.map((s) => s.context.length + s.tokens.length);
  const perEpoch = Math.ceil(samples.length / config.batch);
  const total = perEpoch * config.epochs;
  let step = 0;
  for (let epoch = 0; epoch < config.epochs; epoch++) {
    for (const idx of minibatches(samples.length, config.batch, rng, lengths)) {
      const batch = idx.map((i) => samples[i] as DecisionSample);
      // Cosine decay from lr to lr / 10.
      const lr = config.lr * (0.1 + 0.9 * 0.5 * (1 + Math.cos((Math.PI * step) / Math.max(1, total))));
      const { loss, report } = gradientStep(model, optimizer, batch, pad, lr, ({ layout, stats, values }) => {
        const n = Math.max(1, layout.targets.length);
        const m = Math.max(1, batch.length);
        let ce = 0;
        for (const l of stats.logp) ce -= l;
        const dLogp = new Float64Array(layout.targets.length).fill(-1 / n);
        let mse = 0;
        const dValues = new Float64Array(batch.length);
        batch.forEach((s, i) => {
          const diff = (values[i] as number) - s.ret;
          mse += 0.5 * diff * diff;
          dValues[i] = (config.valueCoef * diff) / m;
        });
        return { loss: ce / n + (config.valueCoef * mse) / m, dLogp, dValues };
      });
      if (!report.applied) skipped++;
      losses.push(loss);
      step++;
      onProgress?.({ epoch, step, steps: total, loss });
    }
  }
  model.trainable = new Set();
  model.setLora(previousLora);
  return { losses, skipped };
}

export { ModelPolicy };
