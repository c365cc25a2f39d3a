/**
 * Data parallelism (src/train/parallel.ts): shards computed with the whole minibatch's divisors
 * sum to the whole minibatch's gradient, and a 2-thread pool (one worker thread) plays the same
 * episodes, computes the same log-probabilities and takes the same optimizer step as one thread;
 * the workers follow every change of the main thread's model (a merged adapter, the last update).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STAGE1_TYPES } from '../../src/cli/registry.js';
import { Rng } from '../../src/core/rng.js';
import { EPISODE_TYPES, episodeType } from '../../src/episodes/all.js';
import { DEFAULT_MODEL, type ModelConfig } from '../../src/model/config.js';
import { initEngine } from '../../src/model/engine.js';
import { mergeAdapter } from '../../src/model/io.js';
import { DEFAULT_LORA, initBase, initLora, initValueHead } from '../../src/model/params.js';
import { PAD, Tokenizer } from '../../src/model/tokenizer.js';
import { Transformer } from '../../src/model/transformer.js';
import { ModelPolicy } from '../../src/policy/model-policy.js';
import type { CollectedEpisode } from '../../src/train/collect.js';
import { TrainConfigSchema } from '../../src/train/config.js';
import { AdamW } from '../../src/train/optimizer.js';
import { deal, divisorsOf, type LossSpec, Parallel, shardGradients } from '../../src/train/parallel.js';
import { ppoAdvantages, ppoLossConfig } from '../../src/train/ppo.js';
import { type DecisionSample, evaluateSamples } from '../../src/train/samples.js';

const tokenizer = Tokenizer.fromKinds(EPISODE_TYPES);
const config: ModelConfig = { ...DEFAULT_MODEL, dim: 32, layers: 1, heads: 2, hidden: 48, vocabSize: tokenizer.size };
const pad = tokenizer.id(PAD);
const spec: LossSpec = { kind: 'ppo', config: ppoLossConfig(TrainConfigSchema.parse({})) };

function makeModel(): Transformer {
  const rng = Rng.seeded(5);
  const model = new Transformer(config, initBase(config, rng.fork('base')), initValueHead(config));
  const lora = initLora(config, DEFAULT_LORA, rng.fork('lora'));
  // Nonzero B, so the adapters' A matrices get gradients too.
  for (const [name, p] of lora) if (name.includes('lora_B')) for (let i = 0; i < p.data.length; i++) p.data[i] = Math.sin(i + 1) * 0.05;
  model.setLora({ config: DEFAULT_LORA, params: lora });
  model.trainable = new Set([...lora.keys(), ...model.valueHead.keys()]);
  return model;
}

function samplesOf(episodes: readonly CollectedEpisode[]): DecisionSample[] {
  const { advantages, returns } = ppoAdvantages(
    episodes.map((e) => ({ rewards: e.credits, values: e.decisions.map((d) => d.value), terminated: true })),
    { gamma: 0.99, lambda: 0.95, normalizeAdvantages: true },
  );
  const samples: DecisionSample[] = [];
  let k = 0;
  for (const e of episodes)
    for (const d of e.decisions) {
      samples.push({
        context: d.context,
        tokens: d.tokens,
        allowed: d.allowed,
        oldLogp: d.logProbs.map((l) => l - 0.05),
        advantage: advantages[k] as number,
        ret: returns[k] as number,
      });
      k++;
    }
  return samples;
}

describe('data parallelism', () => {
  const pools: Parallel[] = [];
  beforeAll(async () => {
    await initEngine('wasm');
  });
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.close()));
  });

  it('deals shards round-robin, balanced by weight', () => {
    expect(deal(5, 2)).toEqual([
      [0, 2, 4],
      [1, 3],
    ]);
    expect(deal(4, 2, (i) => [9, 1, 5, 3][i] as number)).toEqual([
      [1, 2],
      [3, 0],
    ]);
  });

  it('shard gradients with the minibatch divisors sum to the whole-minibatch gradient', async () => {
    const model = makeModel();
    const policy = new ModelPolicy(model, tokenizer, { lora: true, seed: 1 });
    const pool = await Parallel.start(1, model, tokenizer, 'wasm');
    const episodes = await pool.collect(
      policy,
      STAGE1_TYPES.slice(0, 3).map((t, i) => ({ type: episodeType(t), seed: i, key: `k${i}` })),
      { stage: 1 },
    );
    const samples = samplesOf(episodes).slice(0, 24);
    const divisors = divisorsOf(samples);
    const whole = shardGradients(model, samples, pad, spec, divisors);
    const [a, b] = deal(samples.length, 2) as [number[], number[]];
    const [ga, gb] = [a, b].map((shard) =>
      shardGradients(
        model,
        shard.map((i) => samples[i] as DecisionSample),
        pad,
        spec,
        divisors,
      ),
    ) as [ReturnType<typeof shardGradients>, ReturnType<typeof shardGradients>];
    expect(ga.loss + gb.loss).toBeCloseTo(whole.loss, 6);
    expect(whole.grads.size).toBe(model.trainable.size);
    for (const [name, g] of whole.grads) {
      const sa = ga.grads.get(name) as Float32Array;
      const sb = gb.grads.get(name) as Float32Array;
      let max = 0;
      let scale = 0;
      for (let i = 0; i < g.length; i++) {
        max = Math.max(max, Math.abs((sa[i] as number) + (sb[i] as number) - (g[i] as number)));
        scale = Math.max(scale, Math.abs(g[i] as number));
      }
      expect(scale, name).toBeGreaterThan(0);
      expect(max, name).toBeLessThan(1e-5 * Math.max(1, scale));
    }
  });

  it('two threads play, evaluate and step like one', async () => {
    const runs = [];
    for (const threads of [1, 2]) {
      const model = makeModel();
      const pool = await Parallel.start(threads, model, tokenizer, 'wasm');
      pools.push(pool);
      expect(pool.threads).toBe(threads);
      const policy = new ModelPolicy(model, tokenizer, { lora: true, seed: 2 });
      const specs = Array.from({ length: 6 }, (_, i) => ({
        type: episodeType(STAGE1_TYPES[i % STAGE1_TYPES.length] as string),
        seed: 10 + i,
        key: `e${i}`,
      }));
      const episodes = await pool.collect(policy, specs, { stage: 1 });
      const samples = samplesOf(episodes);
      const ref = await pool.evaluate(samples, { lora: false, pad });
      samples.forEach((s, i) => {
        s.refLogp = ref.logp[i] as number[];
      });
      const optimizer = new AdamW({ lr: 1e-3 });
      const step = await pool.step(optimizer, samples, pad, 1e-3, spec);
      // A second step after the update: the worker must have received the new parameters.
      const second = await pool.step(optimizer, samples, pad, 1e-3, spec);
      runs.push({
        episodes: episodes.map((e) => ({ type: e.trace.type, actions: e.trace.decisions.map((d) => d.action), reward: e.reward })),
        ref: ref.logp,
        loss: [step.loss, second.loss],
        params: [...(model.lora?.params ?? [])].map(([n, p]) => [n, Array.from(p.data)] as const),
      });
    }
    const [one, two] = runs as [(typeof runs)[0], (typeof runs)[0]];
    expect(two.episodes).toEqual(one.episodes);
    expect(two.ref.flat().length).toBe(one.ref.flat().length);
    two.ref.flat().forEach((l, i) => {
      expect(l).toBeCloseTo(one.ref.flat()[i] as number, 5);
    });
    expect(two.loss[0]).toBeCloseTo(one.loss[0] as number, 6);
    expect(two.loss[1]).toBeCloseTo(one.loss[1] as number, 6);
    two.params.forEach(([name, values], k) => {
      const other = (one.params[k] as (typeof one.params)[0])[1];
      values.forEach((v, i) => {
        expect(Math.abs(v - (other[i] as number)), name).toBeLessThan(1e-6);
      });
    });
  }, 60_000);

  it('a base changed in place (an adapter merged into it) reaches the workers', async () => {
    const model = makeModel();
    const adapter = model.lora;
    model.setLora(undefined);
    model.trainable = new Set(model.valueHead.keys());
    const pool = await Parallel.start(2, model, tokenizer, 'wasm');
    pools.push(pool);
    const specs = Array.from({ length: 4 }, (_, i) => ({ type: episodeType(STAGE1_TYPES[i] as string), seed: 30 + i, key: `m${i}` }));
    const samples = samplesOf(await pool.collect(new ModelPolicy(model, tokenizer, { lora: false, seed: 3 }), specs, { stage: 1 }));
    // What resuming a finished stage does: set its adapter and merge it, with no pool call between.
    model.setLora(adapter);
    mergeAdapter(model);
    const pooled = await pool.evaluate(samples, { lora: false, pad });
    const local = evaluateSamples(model, samples, { lora: false, pad });
    pooled.logp.flat().forEach((l, i) => {
      expect(l).toBeCloseTo(local.logp.flat()[i] as number, 5);
    });
  }, 60_000);

  it('the last update reaches the workers even when nothing is trainable any more', async () => {
    const model = makeModel();
    const pool = await Parallel.start(2, model, tokenizer, 'wasm');
    pools.push(pool);
    const specs = Array.from({ length: 4 }, (_, i) => ({ type: episodeType(STAGE1_TYPES[i] as string), seed: 50 + i, key: `u${i}` }));
    const samples = samplesOf(await pool.collect(new ModelPolicy(model, tokenizer, { lora: true, seed: 4 }), specs, { stage: 1 }));
    const optimizer = new AdamW({ lr: 1e-2 });
    await pool.step(optimizer, samples, pad, 1e-2, spec);
    // What the end of training does: freeze everything, then evaluate (the first pool call since the step).
    model.trainable = new Set();
    const pooled = await pool.evaluate(samples, { lora: true, pad });
    const local = evaluateSamples(model, samples, { lora: true, pad });
    pooled.logp.flat().forEach((l, i) => {
      expect(l).toBeCloseTo(local.logp.flat()[i] as number, 5);
    });
  }, 60_000);
});
