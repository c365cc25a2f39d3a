/**
 * Parity with PyTorch: a model directory and a LoRA adapter saved by Dojo load in transformers
 * (`LlamaForCausalLM.from_pretrained`) and PEFT (`PeftModel.from_pretrained`) and give the same
 * logits as Dojo's forward pass, to 1e-4, on fixed token ids.
 *
 * Needs a Python with torch, transformers and peft: `DOJO_PYTHON=/path/to/python` (for example the
 * venv scripts/setup-python.sh creates), else `python3`. Without one the tests are skipped and the
 * reason is printed.
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import type { ModelConfig } from '../../src/model/config.js';
import { mergeAdapter, saveAdapter, saveModel, stageAdapterName } from '../../src/model/io.js';
import { LORA_TARGETS, type LoraConfig } from '../../src/model/params.js';
import { ACT, BOS, EOS, PAD, Tokenizer, UNK } from '../../src/model/tokenizer.js';
import type { Batch, Transformer } from '../../src/model/transformer.js';
import { randomModel } from '../model/random-model.js';

const TOLERANCE = 1e-4;
const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'scripts', 'python-parity.py');
const PYTHON = process.env.DOJO_PYTHON ?? 'python3';

/** Why the parity tests cannot run here, or undefined when they can. */
function unavailableReason(): string | undefined {
  const probe = spawnSync(PYTHON, ['-c', 'import torch, transformers, peft, safetensors'], { encoding: 'utf8', timeout: 120_000 });
  if (probe.error) return `cannot run ${PYTHON} (${probe.error.message})`;
  if (probe.status !== 0) {
    const lastLine = probe.stderr.trim().split('\n').at(-1) ?? '';
    return `${PYTHON} cannot import torch, transformers, peft and safetensors (${lastLine})`;
  }
  return undefined;
}

const skipReason = unavailableReason();
if (skipReason)
  console.warn(
    `python-parity: skipped: ${skipReason}. Set DOJO_PYTHON to a Python with torch, transformers and peft (scripts/setup-python.sh makes one).`,
  );

const TOKENS = [PAD, BOS, EOS, UNK, ACT, ...Array.from({ length: 19 }, (_, i) => `w${i}`)];
// Four heads of size 8 (exercises the per-head RoPE split), an MLP wider than the model, and
// rope_theta / eps away from the defaults so a misread config field shows.
const CONFIG: ModelConfig = {
  vocabSize: TOKENS.length,
  dim: 32,
  layers: 2,
  heads: 4,
  hidden: 48,
  maxSeq: 32,
  ropeTheta: 500,
  normEps: 1e-6,
};
/** Low-rank adapters only, and with trained copies of the embedding and the output head (PEFT's modules_to_save). */
const ADAPTERS: [string, LoraConfig][] = [
  ['LoRA', { rank: 4, alpha: 8, targets: LORA_TARGETS }],
  ['LoRA + modules_to_save', { rank: 4, alpha: 8, targets: LORA_TARGETS, modulesToSave: ['embed_tokens', 'lm_head'] }],
];
const IDS = [
  [1, 5, 9, 13, 4, 20, 7, 7, 22, 2, 6, 11],
  [1, 21, 3, 8, 8, 4, 10, 16, 5, 2, 0, 0],
];

/** Random, non-trivial weights (norm gains away from 1, LoRA B non-zero, saved modules away from the base's). */
function parityModel(lora: LoraConfig): Transformer {
  return randomModel(CONFIG, Rng.seeded(20, 'parity'), 0.2, { config: lora, std: 0.15 });
}

function batch(): Batch {
  const seq = (IDS[0] as number[]).length;
  const ids = Int32Array.from(IDS.flat());
  return { ids, batch: IDS.length, seq, positions: Int32Array.from(ids, (_, i) => i) };
}

interface PythonLogits {
  versions: Record<string, string>;
  base: number[][][];
  adapted: number[][][];
  merged: number[][][];
}

/** Max |Dojo - PyTorch| over every position and vocabulary entry. */
function maxAbsDiff(dojo: Float32Array, torch: number[][][]): number {
  const flat = torch.flat(2);
  expect(flat.length).toBe(dojo.length);
  let m = 0;
  for (let i = 0; i < flat.length; i++) m = Math.max(m, Math.abs((flat[i] as number) - (dojo[i] as number)));
  return m;
}

function maxAbs(values: Float32Array): number {
  let m = 0;
  for (const v of values) m = Math.max(m, Math.abs(v));
  return m;
}

describe.skipIf(skipReason !== undefined).each(ADAPTERS)('PyTorch parity (transformers LlamaForCausalLM + PEFT, %s)', (label, lora) => {
  let root: string;
  let python: PythonLogits;
  let model: Transformer;

  beforeAll(async () => {
    tf.env().set('IS_TEST', true);
    await tf.setBackend('cpu');
    root = await mkdtemp(join(tmpdir(), 'dojo-parity-'));
    model = parityModel(lora);
    const modelDir = join(root, 'model');
    const adapterDir = join(root, stageAdapterName(1));
    await saveModel(modelDir, model, new Tokenizer(TOKENS, {}));
    await saveAdapter(adapterDir, model.lora as NonNullable<Transformer['lora']>, { baseModelDir: modelDir });
    const { stdout } = await promisify(execFile)(
      PYTHON,
      [SCRIPT, '--model', modelDir, '--adapter', adapterDir, '--ids', JSON.stringify(IDS)],
      { maxBuffer: 64 * 1024 * 1024, timeout: 300_000 },
    );
    python = JSON.parse(stdout) as PythonLogits;
  }, 320_000);

  afterAll(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('base logits match to 1e-4', () => {
    const dojo = model.forward(batch(), { lora: false }).logits;
    const diff = maxAbsDiff(dojo, python.base);
    console.info(
      `python-parity (${label}): base max |Δlogit| = ${diff.toExponential(2)} (logits up to ${maxAbs(dojo).toFixed(2)}; ${JSON.stringify(python.versions)})`,
    );
    expect(maxAbs(dojo)).toBeGreaterThan(0.5); // the comparison is not of near-zero numbers
    expect(diff).toBeLessThan(TOLERANCE);
  });

  it('adapted logits (PeftModel.from_pretrained) match to 1e-4', () => {
    const base = model.forward(batch(), { lora: false }).logits;
    const dojo = model.forward(batch(), { lora: true }).logits;
    const diff = maxAbsDiff(dojo, python.adapted);
    console.info(`python-parity (${label}): adapted max |Δlogit| = ${diff.toExponential(2)}`);
    // The adapter changes the logits far more than the tolerance, so the test sees it applied.
    expect(maxAbsDiff(dojo, [[Array.from(base)]])).toBeGreaterThan(100 * TOLERANCE);
    expect(diff).toBeLessThan(TOLERANCE);
  });

  it("Dojo's mergeAdapter matches PEFT's merge_and_unload to 1e-4", () => {
    const fresh = parityModel(lora);
    mergeAdapter(fresh);
    const dojo = fresh.forward(batch(), { lora: false }).logits;
    const diff = maxAbsDiff(dojo, python.merged);
    console.info(`python-parity (${label}): merged max |Δlogit| = ${diff.toExponential(2)}`);
    expect(diff).toBeLessThan(TOLERANCE);
  });
});
