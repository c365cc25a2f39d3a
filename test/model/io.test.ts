/**
 * Model and adapter directories: round trips, merge/unmerge, malformed files and atomic writes.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import type { ModelConfig } from '../../src/model/config.js';
import {
  ADAPTER_FILES,
  loadAdapter,
  loadModel,
  MODEL_FILES,
  ModelFileError,
  mergeAdapter,
  saveAdapter,
  saveModel,
  stageAdapterName,
  unmergeAdapter,
  writeFileAtomic,
} from '../../src/model/io.js';
import { initLora, type LoraConfig } from '../../src/model/params.js';
import { decodeSafetensors, encodeSafetensors } from '../../src/model/safetensors.js';
import { ACT, BOS, EOS, PAD, Tokenizer, UNK } from '../../src/model/tokenizer.js';
import type { Batch, Transformer } from '../../src/model/transformer.js';
import { randomModel } from './random-model.js';

const TOKENS = [PAD, BOS, EOS, UNK, ACT, 'a', 'b', 'c', 'act:go', 'x=1', 'x=2'];
const CONFIG: ModelConfig = {
  vocabSize: TOKENS.length,
  dim: 8,
  layers: 2,
  heads: 2,
  hidden: 12,
  maxSeq: 8,
  ropeTheta: 10000,
  normEps: 1e-5,
};
const LORA: LoraConfig = { rank: 2, alpha: 4, targets: ['q_proj', 'v_proj', 'o_proj', 'up_proj', 'down_proj'] };
const BATCH: Batch = {
  ids: new Int32Array([1, 5, 6, 4, 8, 1, 7, 7, 4, 9]),
  batch: 2,
  seq: 5,
  positions: new Int32Array([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]),
};

function tokenizer(): Tokenizer {
  return new Tokenizer(TOKENS, { go: ['x'] });
}

/** The same adapter with trained copies of the embedding and the output head (PEFT's modules_to_save). */
const LORA_SAVED: LoraConfig = { ...LORA, modulesToSave: ['embed_tokens', 'lm_head'] };

/** A model with non-trivial random weights and a non-zero adapter (its saved modules away from the base's). */
function model(seed: number, lora: LoraConfig = LORA): Transformer {
  return randomModel(CONFIG, Rng.seeded(seed, 'io'), 0.5, { config: lora, std: 0.4 });
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
}

let root: string;
let counter = 0;
async function freshDir(): Promise<string> {
  return join(root, `case-${counter++}`);
}

/** Expects `run` to reject with a ModelFileError whose message names the file and the field. */
async function expectFileError(run: Promise<unknown>, file: string, field?: string): Promise<ModelFileError> {
  const error = await run.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ModelFileError);
  const e = error as ModelFileError;
  expect(e.message).toContain(file);
  if (field !== undefined) {
    expect(e.field).toBe(field);
    expect(e.message).toContain(`"${field}"`);
  }
  return e;
}

describe('model io', () => {
  beforeAll(async () => {
    tf.env().set('IS_TEST', true);
    await tf.setBackend('cpu');
    root = await mkdtemp(join(tmpdir(), 'dojo-io-'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('writes the standard files and loads them back with identical logits and values', async () => {
    const dir = await freshDir();
    const m = model(1);
    await saveModel(dir, m, tokenizer());
    expect((await readdir(dir)).sort()).toEqual(['config.json', 'model.safetensors', 'tokenizer.json', 'value_head.safetensors']);
    const hf = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8'));
    expect(hf).toMatchObject({
      architectures: ['LlamaForCausalLM'],
      vocab_size: TOKENS.length,
      bos_token_id: 1,
      eos_token_id: 2,
      pad_token_id: 0,
    });
    const file = decodeSafetensors(new Uint8Array(await readFile(join(dir, 'model.safetensors'))));
    expect(file.metadata).toEqual({ format: 'pt' });
    expect(Object.keys(file.tensors)).toContain('model.layers.1.mlp.down_proj.weight');
    expect(file.tensors['model.layers.1.mlp.down_proj.weight']?.shape).toEqual([8, 12]);

    const { model: loaded, tokenizer: tok } = await loadModel(dir);
    expect(loaded.config).toEqual(CONFIG);
    expect(tok.tokens).toEqual(TOKENS);
    const a = m.forward(BATCH, { lora: false });
    const b = loaded.forward(BATCH, { lora: false });
    expect([...b.logits]).toEqual([...a.logits]);
    expect([...b.values]).toEqual([...a.values]);
  });

  it('writes an adapter in the PEFT layout and loads it back', async () => {
    const dir = await freshDir();
    const m = model(2);
    const adapterDir = join(dir, stageAdapterName(1));
    await saveAdapter(adapterDir, m.lora as NonNullable<Transformer['lora']>, { baseModelDir: dir });
    expect((await readdir(adapterDir)).sort()).toEqual(['adapter_config.json', 'adapter_model.safetensors']);
    const peft = JSON.parse(await readFile(join(adapterDir, 'adapter_config.json'), 'utf8'));
    expect(peft).toMatchObject({
      peft_type: 'LORA',
      task_type: 'CAUSAL_LM',
      r: 2,
      lora_alpha: 4,
      target_modules: ['q_proj', 'v_proj', 'o_proj', 'up_proj', 'down_proj'],
      lora_dropout: 0,
      bias: 'none',
      fan_in_fan_out: false,
      inference_mode: true,
      init_lora_weights: true,
      use_rslora: false,
      modules_to_save: null,
      base_model_name_or_path: '..',
    });
    const file = decodeSafetensors(new Uint8Array(await readFile(join(adapterDir, 'adapter_model.safetensors'))));
    expect(file.metadata).toEqual({ format: 'pt' });
    // PEFT's saved key format: no adapter name ("default") in the key.
    expect(file.tensors['base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight']?.shape).toEqual([2, 8]);
    expect(file.tensors['base_model.model.model.layers.1.mlp.down_proj.lora_B.weight']?.shape).toEqual([8, 2]);
    expect(file.tensors['base_model.model.model.layers.1.mlp.up_proj.lora_A.weight']?.shape).toEqual([2, 8]);
    expect(Object.keys(file.tensors)).toHaveLength(2 * 2 * 5);

    const lora = await loadAdapter(adapterDir, CONFIG);
    expect(lora.config).toEqual(LORA);
    const fresh = model(2);
    fresh.setLora(lora);
    expect([...fresh.forward(BATCH, { lora: true }).logits]).toEqual([...m.forward(BATCH, { lora: true }).logits]);
  });

  it('an adapter with modules_to_save saves them under PEFT names and loads back', async () => {
    const dir = await freshDir();
    const m = model(5, LORA_SAVED);
    await saveAdapter(dir, m.lora as NonNullable<Transformer['lora']>);
    const peft = JSON.parse(await readFile(join(dir, 'adapter_config.json'), 'utf8'));
    expect(peft.modules_to_save).toEqual(['embed_tokens', 'lm_head']);
    const file = decodeSafetensors(new Uint8Array(await readFile(join(dir, 'adapter_model.safetensors'))));
    expect(file.tensors['base_model.model.lm_head.weight']?.shape).toEqual([TOKENS.length, 8]);
    expect(file.tensors['base_model.model.model.embed_tokens.weight']?.shape).toEqual([TOKENS.length, 8]);
    expect(Object.keys(file.tensors)).toHaveLength(2 * 2 * 5 + 2);
    const lora = await loadAdapter(dir, CONFIG);
    expect(lora.config).toEqual(LORA_SAVED);
    const fresh = model(5, LORA);
    fresh.setLora(lora);
    expect([...fresh.forward(BATCH, { lora: true }).logits]).toEqual([...m.forward(BATCH, { lora: true }).logits]);
    // With adapters disabled the base's own modules apply.
    expect([...fresh.forward(BATCH, { lora: false }).logits]).toEqual([...model(5, LORA).forward(BATCH, { lora: false }).logits]);
  });

  it('a fresh adapter with modules_to_save reproduces the base exactly', () => {
    const m = model(6);
    const baseLogits = m.forward(BATCH, { lora: false }).logits;
    m.setLora({ config: LORA_SAVED, params: initLora(CONFIG, LORA_SAVED, Rng.seeded(6, 'fresh'), m.base) });
    expect([...m.forward(BATCH, { lora: true }).logits]).toEqual([...baseLogits]);
    expect(() => initLora(CONFIG, LORA_SAVED, Rng.seeded(6, 'fresh'))).toThrow(/needs the base model's lm_head|embed_tokens/);
  });

  it('merge and unmerge swap the saved modules in and out', () => {
    const m = model(7, LORA_SAVED);
    const baseLogits = m.forward(BATCH, { lora: false }).logits;
    const adapted = m.forward(BATCH, { lora: true }).logits;
    const before = new Map([...m.base].map(([n, p]) => [n, Float32Array.from(p.data)]));
    const lora = mergeAdapter(m);
    expect([...(m.base.get('lm_head.weight')?.data ?? [])]).toEqual([...(lora.params.get('base_model.model.lm_head.weight')?.data ?? [])]);
    expect(maxAbsDiff(m.forward(BATCH, { lora: false }).logits, adapted)).toBeLessThan(1e-5);
    unmergeAdapter(m, lora);
    for (const [name, p] of m.base) expect(maxAbsDiff(p.data, before.get(name) as Float32Array), name).toBeLessThan(1e-6);
    expect(maxAbsDiff(m.forward(BATCH, { lora: false }).logits, baseLogits)).toBeLessThan(1e-5);
  });

  it('merge equals the adapted forward, and unmerge restores the base', () => {
    const m = model(3);
    const baseLogits = m.forward(BATCH, { lora: false }).logits;
    const adapted = m.forward(BATCH, { lora: true }).logits;
    expect(maxAbsDiff(baseLogits, adapted)).toBeGreaterThan(1e-2); // the adapter does something
    const before = new Map([...m.base].map(([n, p]) => [n, Float32Array.from(p.data)]));
    const lora = mergeAdapter(m);
    expect(m.lora).toBeUndefined();
    expect(maxAbsDiff(m.forward(BATCH, { lora: false }).logits, adapted)).toBeLessThan(1e-5);
    expect(maxAbsDiff(m.forward(BATCH, { lora: true }).logits, adapted)).toBeLessThan(1e-5);
    unmergeAdapter(m, lora);
    expect(m.lora).toBe(lora);
    for (const [name, p] of m.base) expect(maxAbsDiff(p.data, before.get(name) as Float32Array), name).toBeLessThan(1e-6);
    expect(maxAbsDiff(m.forward(BATCH, { lora: false }).logits, baseLogits)).toBeLessThan(1e-5);
    expect(maxAbsDiff(m.forward(BATCH, { lora: true }).logits, adapted)).toBeLessThan(1e-5);
  });

  it('a merged model saves and loads as plain weights with the adapted logits', async () => {
    const dir = await freshDir();
    const m = model(4);
    const adapted = m.forward(BATCH, { lora: true }).logits;
    mergeAdapter(m);
    await saveModel(dir, m, tokenizer());
    const { model: loaded } = await loadModel(dir);
    expect(maxAbsDiff(loaded.forward(BATCH, { lora: false }).logits, adapted)).toBeLessThan(1e-5);
  });

  it('merge and unmerge refuse the wrong state', () => {
    const m = model(5);
    const lora = mergeAdapter(m);
    expect(() => mergeAdapter(m)).toThrow(/no adapter attached/);
    unmergeAdapter(m, lora);
    expect(() => unmergeAdapter(m, lora)).toThrow(/already has an adapter/);
  });

  describe('malformed model files', () => {
    let dir: string;
    beforeAll(async () => {
      dir = await freshDir();
      await saveModel(dir, model(6), tokenizer());
    });

    /** Runs `damage` on a fresh copy of the saved directory, then loads it. */
    async function loadDamaged(damage: (copy: string) => Promise<void>): Promise<unknown> {
      const copy = await freshDir();
      await saveModel(copy, (await loadModel(dir)).model, tokenizer());
      await damage(copy);
      return loadModel(copy);
    }

    it('a missing file is named', async () => {
      const e = await expectFileError(
        loadDamaged((c) => rm(join(c, MODEL_FILES.weights))),
        MODEL_FILES.weights,
      );
      expect(e.message).toMatch(/file not found.*saveModel/);
    });

    it('a truncated safetensors file is named', async () => {
      const e = await expectFileError(
        loadDamaged(async (c) => {
          const bytes = await readFile(join(c, MODEL_FILES.weights));
          await writeFile(join(c, MODEL_FILES.weights), bytes.subarray(0, bytes.length - 100));
        }),
        MODEL_FILES.weights,
      );
      expect(e.message).toMatch(/data_offsets/);
    });

    it('a missing tensor is named', async () => {
      await expectFileError(
        loadDamaged(async (c) => {
          const file = decodeSafetensors(new Uint8Array(await readFile(join(c, MODEL_FILES.weights))));
          delete file.tensors['model.layers.1.self_attn.k_proj.weight'];
          await writeFile(join(c, MODEL_FILES.weights), encodeSafetensors(file.tensors));
        }),
        MODEL_FILES.weights,
        'model.layers.1.self_attn.k_proj.weight',
      );
    });

    it('a tensor of the wrong shape is named with both shapes', async () => {
      const e = await expectFileError(
        loadDamaged(async (c) => {
          const file = decodeSafetensors(new Uint8Array(await readFile(join(c, MODEL_FILES.weights))));
          const t = file.tensors['lm_head.weight'] as { shape: number[]; data: Float32Array };
          file.tensors['lm_head.weight'] = { shape: [CONFIG.dim, CONFIG.vocabSize], data: t.data };
          await writeFile(join(c, MODEL_FILES.weights), encodeSafetensors(file.tensors));
        }),
        MODEL_FILES.weights,
        'lm_head.weight',
      );
      expect(e.message).toContain('[8, 11]');
      expect(e.message).toContain('[11, 8]');
    });

    it('a bad config.json field is named', async () => {
      await expectFileError(
        loadDamaged(async (c) => {
          const hf = JSON.parse(await readFile(join(c, MODEL_FILES.config), 'utf8'));
          hf.hidden_size = 'eight';
          await writeFile(join(c, MODEL_FILES.config), JSON.stringify(hf));
        }),
        MODEL_FILES.config,
        'hidden_size',
      );
      await expectFileError(
        loadDamaged(async (c) => {
          const hf = JSON.parse(await readFile(join(c, MODEL_FILES.config), 'utf8'));
          hf.vocab_size = 12;
          await writeFile(join(c, MODEL_FILES.config), JSON.stringify(hf));
        }),
        MODEL_FILES.config,
        'vocab_size',
      );
      await expectFileError(
        loadDamaged((c) => writeFile(join(c, MODEL_FILES.config), '{"model_type": "llama",')),
        MODEL_FILES.config,
      );
    });

    it('a config that changes the shapes is caught by the tensor check', async () => {
      await expectFileError(
        loadDamaged(async (c) => {
          const hf = JSON.parse(await readFile(join(c, MODEL_FILES.config), 'utf8'));
          hf.intermediate_size = 16;
          await writeFile(join(c, MODEL_FILES.config), JSON.stringify(hf));
        }),
        MODEL_FILES.weights,
        'model.layers.0.mlp.gate_proj.weight',
      );
    });
  });

  describe('malformed adapter files', () => {
    async function savedAdapter(): Promise<string> {
      const dir = await freshDir();
      await saveAdapter(dir, model(7).lora as NonNullable<Transformer['lora']>);
      return dir;
    }

    it('a bad adapter_config.json field is named', async () => {
      for (const [field, value] of [
        ['peft_type', 'PREFIX_TUNING'],
        ['r', 0],
        ['lora_alpha', 'x'],
        ['target_modules', ['q_proj', 'qkv']],
        ['use_dora', true],
        ['use_rslora', true],
        ['modules_to_save', ['classifier']],
        ['layers_to_transform', [0]],
      ] as const) {
        const dir = await savedAdapter();
        const json = JSON.parse(await readFile(join(dir, ADAPTER_FILES.config), 'utf8'));
        json[field] = value;
        await writeFile(join(dir, ADAPTER_FILES.config), JSON.stringify(json));
        await expectFileError(loadAdapter(dir, CONFIG), ADAPTER_FILES.config, field);
      }
    });

    it('an r that does not match the tensors names the tensor', async () => {
      const dir = await savedAdapter();
      const json = JSON.parse(await readFile(join(dir, ADAPTER_FILES.config), 'utf8'));
      json.r = 4;
      await writeFile(join(dir, ADAPTER_FILES.config), JSON.stringify(json));
      const e = await expectFileError(
        loadAdapter(dir, CONFIG),
        ADAPTER_FILES.weights,
        'base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight',
      );
      expect(e.message).toMatch(/shape is \[2, 8\], the config implies \[4, 8\]/);
    });

    it('a missing or truncated adapter_model.safetensors is named', async () => {
      const dir = await savedAdapter();
      const bytes = await readFile(join(dir, ADAPTER_FILES.weights));
      await writeFile(join(dir, ADAPTER_FILES.weights), bytes.subarray(0, 6));
      await expectFileError(loadAdapter(dir, CONFIG), ADAPTER_FILES.weights);
      await rm(join(dir, ADAPTER_FILES.weights));
      await expectFileError(loadAdapter(dir, CONFIG), ADAPTER_FILES.weights);
    });

    it('an adapter for a different target set names the unexpected tensor', async () => {
      const dir = await savedAdapter();
      const json = JSON.parse(await readFile(join(dir, ADAPTER_FILES.config), 'utf8'));
      json.target_modules = ['q_proj', 'v_proj', 'o_proj', 'up_proj'];
      await writeFile(join(dir, ADAPTER_FILES.config), JSON.stringify(json));
      const e = await expectFileError(loadAdapter(dir, CONFIG), ADAPTER_FILES.weights);
      expect(e.message).toMatch(/down_proj.*unexpected tensor/);
    });
  });

  it('writes are atomic: no temporary files remain, and an overwrite replaces the files', async () => {
    const dir = await freshDir();
    await saveModel(dir, model(8), tokenizer());
    await saveModel(dir, model(9), tokenizer());
    await saveAdapter(join(dir, 'lora-v2'), model(9).lora as NonNullable<Transformer['lora']>);
    expect((await readdir(dir)).sort()).toEqual([
      'config.json',
      'lora-v2',
      'model.safetensors',
      'tokenizer.json',
      'value_head.safetensors',
    ]);
    expect((await readdir(join(dir, 'lora-v2'))).sort()).toEqual(['adapter_config.json', 'adapter_model.safetensors']);
    const { model: loaded } = await loadModel(dir);
    expect([...loaded.forward(BATCH, { lora: false }).logits]).toEqual([...model(9).forward(BATCH, { lora: false }).logits]);
  });

  it('a failed write leaves the previous file and no temporary file', async () => {
    const dir = await freshDir();
    await saveModel(dir, model(10), tokenizer());
    const before = await readFile(join(dir, MODEL_FILES.config), 'utf8');
    const wrongVocab = new Tokenizer([...TOKENS, 'extra'], {});
    await expect(saveModel(dir, model(11), wrongVocab)).rejects.toThrow(/12 tokens but the model's vocabSize is 11/);
    expect(await readFile(join(dir, MODEL_FILES.config), 'utf8')).toBe(before);
    expect((await readdir(dir)).filter((f) => f.includes('.tmp-'))).toEqual([]);
    // A rename that fails (the target is a directory) removes its temporary file.
    await mkdir(join(dir, 'blocked.json'));
    await expect(writeFileAtomic(join(dir, 'blocked.json'), '{}')).rejects.toThrow();
    expect((await readdir(dir)).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('names adapter directories by curriculum stage', () => {
    expect([1, 2, 3, 4].map(stageAdapterName)).toEqual(['lora-v1', 'lora-v2', 'lora-v3', 'lora-v4']);
    expect(() => stageAdapterName(0)).toThrow(/>= 1/);
  });
});
