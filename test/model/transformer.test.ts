/**
 * The hand-written backward pass against central finite differences, LoRA's identity at
 * initialization, and agreement of the WebAssembly and pure-JS backends.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import type { ModelConfig } from '../../src/model/config.js';
import { initLora, LORA_TARGETS } from '../../src/model/params.js';
import type { Batch, Transformer } from '../../src/model/transformer.js';
import { randomModel } from './random-model.js';

const CONFIG: ModelConfig = { vocabSize: 11, dim: 8, layers: 2, heads: 2, hidden: 12, maxSeq: 8, ropeTheta: 10000, normEps: 1e-5 };
const BATCH: Batch = { ids: new Int32Array([1, 4, 7, 2, 9, 3, 5, 5, 10, 0]), batch: 2, seq: 5, positions: new Int32Array([1, 4, 5, 8]) };

/** The adapter carries trained copies of the embedding and the output head (modules_to_save). */
const LORA = { rank: 2, alpha: 4, targets: LORA_TARGETS, modulesToSave: ['embed_tokens', 'lm_head'] } as const;

function model(seed: number, withLora: boolean): Transformer {
  return randomModel(CONFIG, Rng.seeded(seed, 'model'), 0.5, withLora ? { config: LORA, std: 0.4 } : undefined);
}

/** A fixed random linear functional of the outputs: its gradient is the coefficients. */
function linearLoss(seed: number) {
  const rng = Rng.seeded(seed, 'loss');
  const c = Float32Array.from({ length: BATCH.positions.length * CONFIG.vocabSize }, () => rng.normal());
  const e = Float32Array.from({ length: BATCH.positions.length }, () => rng.normal());
  return (out: { logits: Float32Array; values: Float32Array }) => {
    let loss = 0;
    for (let i = 0; i < c.length; i++) loss += (c[i] as number) * (out.logits[i] as number);
    for (let i = 0; i < e.length; i++) loss += (e[i] as number) * (out.values[i] as number);
    return { loss, dLogits: c, dValues: e };
  };
}

function checkAgainstFiniteDifferences(m: Transformer, names: string[], lora: boolean): void {
  m.trainable = new Set(names);
  const lossFn = linearLoss(3);
  const { grads } = m.gradients(BATCH, { lora }, lossFn);
  const rng = Rng.seeded(9, 'pick');
  for (const name of names) {
    const p = m.param(name);
    const g = grads.get(name);
    expect(g, name).toBeDefined();
    let maxAbs = 0;
    for (const v of g as Float32Array) maxAbs = Math.max(maxAbs, Math.abs(v));
    for (let k = 0; k < 3; k++) {
      const i = rng.int(p.data.length);
      const orig = p.data[i] as number;
      const eps = 1e-2;
      p.data[i] = orig + eps;
      m.invalidate([name]);
      const plus = lossFn(m.forward(BATCH, { lora })).loss;
      p.data[i] = orig - eps;
      m.invalidate([name]);
      const minus = lossFn(m.forward(BATCH, { lora })).loss;
      p.data[i] = orig;
      m.invalidate([name]);
      const numeric = (plus - minus) / (2 * eps);
      expect(
        Math.abs(numeric - ((g as Float32Array)[i] as number)),
        `${name}[${i}] analytic ${(g as Float32Array)[i]} numeric ${numeric}`,
      ).toBeLessThan(2e-3 + 2e-2 * Math.max(maxAbs, Math.abs(numeric)));
    }
  }
}

describe('Transformer', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('base gradients match finite differences for every parameter tensor', () => {
    const m = model(1, false);
    const names = [...m.base.keys(), ...m.valueHead.keys()];
    checkAgainstFiniteDifferences(m, names, false);
  });

  it('LoRA gradients (adapters and saved modules) match finite differences', () => {
    const m = model(2, true);
    const names = [...(m.lora?.params.keys() ?? [])];
    expect(names).toContain('base_model.model.lm_head.weight');
    expect(names).toContain('base_model.model.model.embed_tokens.weight');
    checkAgainstFiniteDifferences(m, names, true);
  });

  it('with B = 0 (initialization) the adapted model equals the base exactly', () => {
    const m = model(4, false);
    const lora = { rank: 4, alpha: 8, targets: LORA_TARGETS, modulesToSave: ['embed_tokens', 'lm_head'] } as const;
    const params = initLora(CONFIG, lora, Rng.seeded(5), m.base);
    const base = m.forward(BATCH, { lora: false });
    m.setLora({ config: lora, params });
    const adapted = m.forward(BATCH, { lora: true });
    expect([...adapted.logits]).toEqual([...base.logits]);
    expect([...adapted.values]).toEqual([...base.values]);
  });

  it('a position only sees earlier tokens (causal)', () => {
    const m = model(6, false);
    const a = m.forward(BATCH, { lora: false });
    const changed = { ...BATCH, ids: Int32Array.from(BATCH.ids) };
    changed.ids[4] = 6; // the last token of sequence 0; position 1 must not change
    const b = m.forward(changed, { lora: false });
    const V = CONFIG.vocabSize;
    expect([...b.logits.slice(0, V)]).toEqual([...a.logits.slice(0, V)]);
    expect([...b.logits.slice(V, 2 * V)]).not.toEqual([...a.logits.slice(V, 2 * V)]);
  });

  it('the WebAssembly and pure-JS backends agree on a forward and a backward pass', async () => {
    const run = () => {
      const m = model(7, true);
      m.trainable = new Set([...m.allParams().keys()]);
      const r = m.gradients(BATCH, { lora: true }, linearLoss(8));
      m.dispose();
      return r;
    };
    await tf.setBackend('cpu');
    const cpu = run();
    await tf.setBackend('wasm');
    const wasm = run();
    await tf.setBackend('cpu');
    for (let i = 0; i < cpu.outputs.logits.length; i++) expect(wasm.outputs.logits[i]).toBeCloseTo(cpu.outputs.logits[i] as number, 4);
    for (const [name, g] of cpu.grads) {
      const w = wasm.grads.get(name) as Float32Array;
      for (let i = 0; i < g.length; i++)
        expect(Math.abs((w[i] as number) - (g[i] as number)), name).toBeLessThan(1e-3 + 1e-3 * Math.abs(g[i] as number));
    }
  });
});
