/**
 * Built-in transformer throughput on the WebAssembly backend: a LoRA training step (forward +
 * backward, as in PPO: the adapter `dojo train` trains by default — low-rank matrices and copies of
 * the embedding and head — and the value head), a full-parameter step (as in
 * pretraining), an inference forward (one output row per sequence, as in a decoding step), and
 * constrained-decoding rollouts through `ModelPolicy`.
 *
 * Cases: the `dojo train` default model (dim 64, 2 layers, 4 heads, MLP 176, the real tokenizer's
 * vocabulary; a minibatch of 128 decisions of 64 tokens with 3 output rows each; inference over 64
 * sequences) and engines.md's reference model (dim 128, 4 layers, 4 heads, MLP 344, vocab 2048,
 * batch 8 x seq 64, outputs at every position).
 *
 * FLOP counting (effective GFLOP/s = counted FLOPs / measured time). Only matmuls count, 2*m*k*n
 * each: per token and layer the seven projections (4*D*D + 3*D*F multiply-adds), LoRA's two
 * factors per adapted projection (r*(in+out)), attention scores and context (2*T*D, the full T x T
 * square although half is masked); per output row the LM head (D*V) and the value head (D). A
 * training step counts every forward matmul x3 (forward, input gradient, weight gradient) — the
 * convention behind engines.md's reference figures — even where a frozen weight needs no weight
 * gradient, so LoRA and full steps of one shape count the same work (plus LoRA's own).
 *
 * Each figure is the median of `--runs` timed repetitions after warm-up runs.
 *
 * Data-parallel steps: the same LoRA training step taken as a PPO minibatch step through
 * `Parallel.step` (src/train/parallel.ts) with 1 and with 2 threads (one worker thread holding a
 * copy of the model; the shards' gradients are summed and applied once), on decision samples of
 * the same shapes; counted with the same FLOPs as the LoRA step.
 *
 * Usage: npm run bench:model [-- --runs 7] [--impl path/to/transformer.js]
 *   --impl loads another build of the Transformer class (e.g. a saved copy of an older version) to
 *   compare against in the same session.
 */

import { Rng } from '../core/rng.js';
import { DojoEnv } from '../env/env.js';
import { EPISODE_TYPES, episodeType } from '../episodes/all.js';
import type { ModelConfig } from '../model/config.js';
import { initEngine } from '../model/engine.js';
import { DEFAULT_LORA, initBase, initLora, initValueHead, type LoraConfig } from '../model/params.js';
import { Tokenizer } from '../model/tokenizer.js';
import { type Batch, Transformer } from '../model/transformer.js';
import { ModelPolicy } from '../policy/model-policy.js';
import type { PolicyInput } from '../policy/types.js';
import { STAGE_EPISODE_TYPES } from '../spec/curriculum.js';
import { TrainConfigSchema } from '../train/config.js';
import { AdamW } from '../train/optimizer.js';
import { Parallel } from '../train/parallel.js';
import { ppoLossConfig } from '../train/ppo.js';
import type { DecisionSample } from '../train/samples.js';

const args = process.argv.slice(2);
function flag(name: string): string | undefined {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : undefined;
}
const runs = Number(flag('runs') ?? 7);
const impl = flag('impl');

type TransformerClass = typeof Transformer;
const TransformerImpl: TransformerClass = impl
  ? ((await import(new URL(impl, `file://${process.cwd()}/`).href)) as { Transformer: TransformerClass }).Transformer
  : Transformer;

await initEngine('wasm');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

async function timeAsync(fn: () => Promise<unknown>, warmup = 2): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn();
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    ms.push(performance.now() - t0);
  }
  return median(ms);
}

/** Decision samples whose layout is `batch` sequences of `seq` tokens with `outputs` trained tokens each. */
function makeSamples(rng: Rng, vocab: number, batch: number, seq: number, outputs: number): DecisionSample[] {
  return Array.from({ length: batch }, () => {
    const tokens = Array.from({ length: outputs }, () => rng.int(vocab));
    return {
      context: Array.from({ length: seq + 1 - outputs }, () => rng.int(vocab)),
      tokens,
      allowed: tokens.map((t) => [t, (t + 1) % vocab, (t + 2) % vocab]),
      oldLogp: tokens.map(() => -1.1),
      refLogp: tokens.map(() => -1.1),
      advantage: rng.normal(0, 1),
      ret: rng.normal(0, 0.3),
    };
  });
}

function time(fn: () => void, warmup = 2): number {
  for (let i = 0; i < warmup; i++) fn();
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    ms.push(performance.now() - t0);
  }
  return median(ms);
}

/** Forward matmul FLOPs of one pass (see the header). */
function forwardFlops(config: ModelConfig, lora: LoraConfig | undefined, batch: number, seq: number, outputs: number): number {
  const { dim: D, hidden: F, layers: L, vocabSize: V } = config;
  const N = batch * seq;
  let perToken = 4 * D * D + 3 * D * F + 2 * seq * D;
  if (lora)
    for (const t of lora.targets)
      perToken += lora.rank * (t === 'down_proj' ? F + D : t === 'gate_proj' || t === 'up_proj' ? D + F : 2 * D);
  return 2 * (N * L * perToken + outputs * (D * V + D));
}

interface Case {
  name: string;
  config: ModelConfig;
  trainBatch: Batch;
  inferBatch: Batch;
}

function makeBatch(rng: Rng, vocab: number, batch: number, seq: number, outputsPerSeq: number): Batch {
  const ids = Int32Array.from({ length: batch * seq }, () => rng.int(vocab));
  const positions: number[] = [];
  for (let b = 0; b < batch; b++) for (let j = seq - outputsPerSeq; j < seq; j++) positions.push(b * seq + j);
  return { ids, batch, seq, positions: Int32Array.from(positions) };
}

/** The adapter `dojo train` trains by default: the low-rank matrices and copies of the embedding and head. */
const ADAPTER: LoraConfig = { ...DEFAULT_LORA, modulesToSave: TrainConfigSchema.parse({}).loraModulesToSave };

function makeModel(config: ModelConfig, rng: Rng): Transformer {
  const base = initBase(config, rng.fork('base'));
  const lora = { config: ADAPTER, params: initLora(config, ADAPTER, rng.fork('lora'), base) };
  // Non-zero B so the adapters carry signal (their cost does not depend on it).
  for (const [name, p] of lora.params) if (name.includes('lora_B')) for (let i = 0; i < p.data.length; i++) p.data[i] = rng.normal(0, 0.02);
  return new TransformerImpl(config, base, initValueHead(config), lora);
}

function lossFn(out: { logits: Float32Array; values: Float32Array }) {
  const dLogits = new Float32Array(out.logits.length);
  for (let i = 0; i < dLogits.length; i++) dLogits[i] = ((i * 7919) % 13) / 13 - 0.5;
  const dValues = new Float32Array(out.values.length).fill(0.1);
  return { loss: 0, dLogits, dValues };
}

function fmt(x: number, digits = 1): string {
  return x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

function report(label: string, ms: number, tokens: number, flops: number): void {
  console.log(
    `  ${label.padEnd(22)} ${fmt(ms).padStart(9)} ms  ${fmt(tokens / (ms / 1000), 0).padStart(9)} tokens/s  ${fmt(flops / (ms / 1000) / 1e9, 2).padStart(7)} GFLOP/s`,
  );
}

const tokenizer = Tokenizer.fromKinds(EPISODE_TYPES);
const rng = Rng.seeded(1, 'model-bench');
const base = { ropeTheta: 10000, normEps: 1e-5 };
const defaultConfig: ModelConfig = { vocabSize: tokenizer.size, dim: 64, layers: 2, heads: 4, hidden: 176, maxSeq: 96, ...base };
const largeConfig: ModelConfig = { vocabSize: 2048, dim: 128, layers: 4, heads: 4, hidden: 344, maxSeq: 64, ...base };
const cases: Case[] = [
  {
    name: `default (d=64, L=2, F=176, V=${tokenizer.size}; train 128x64, 3 outputs/seq; infer 64x64, 1 output/seq)`,
    config: defaultConfig,
    trainBatch: makeBatch(rng.fork('d-train'), defaultConfig.vocabSize, 128, 64, 3),
    inferBatch: makeBatch(rng.fork('d-infer'), defaultConfig.vocabSize, 64, 64, 1),
  },
  {
    name: 'reference (d=128, L=4, F=344, V=2048; train 8x64, all outputs; infer 8x64, all outputs)',
    config: largeConfig,
    trainBatch: makeBatch(rng.fork('l-train'), 2048, 8, 64, 64),
    inferBatch: makeBatch(rng.fork('l-infer'), 2048, 8, 64, 64),
  },
];

console.log(`model bench: wasm backend, median of ${runs} runs${impl ? `, implementation ${impl}` : ''}`);
for (const c of cases) {
  console.log(c.name);
  const model = makeModel(c.config, rng.fork(c.name));
  const tb = c.trainBatch;
  const trainTokens = tb.batch * tb.seq;
  const loraFlops = 3 * forwardFlops(c.config, DEFAULT_LORA, tb.batch, tb.seq, tb.positions.length);
  model.trainable = new Set([...(model.lora?.params.keys() ?? []), ...model.valueHead.keys()]);
  report(
    'LoRA step (fwd+bwd)',
    time(() => model.gradients(tb, { lora: true }, lossFn)),
    trainTokens,
    loraFlops,
  );
  const fullFlops = 3 * forwardFlops(c.config, undefined, tb.batch, tb.seq, tb.positions.length);
  model.trainable = new Set([...model.base.keys(), ...model.valueHead.keys()]);
  report(
    'full step (fwd+bwd)',
    time(() => model.gradients(tb, { lora: false }, lossFn)),
    trainTokens,
    fullFlops,
  );
  const ib = c.inferBatch;
  const inferFlops = forwardFlops(c.config, DEFAULT_LORA, ib.batch, ib.seq, ib.positions.length);
  report(
    'inference forward',
    time(() => model.forward(ib, { lora: true })),
    ib.batch * ib.seq,
    inferFlops,
  );
  // The LoRA step as a PPO minibatch step through Parallel, with 1 and 2 threads.
  const samples = makeSamples(rng.fork(`${c.name}-samples`), c.config.vocabSize, tb.batch, tb.seq, tb.positions.length / tb.batch);
  model.trainable = new Set([...(model.lora?.params.keys() ?? []), ...model.valueHead.keys()]);
  for (const threads of [1, 2]) {
    const pool = await Parallel.start(threads, model, tokenizer, 'wasm');
    // lr 0: the parameters stay as they are, so every repetition does the same work.
    const optimizer = new AdamW({ lr: 0 });
    report(
      `PPO step, ${threads} thread${threads > 1 ? 's' : ''}`,
      await timeAsync(() => pool.step(optimizer, samples, 0, 0, { kind: 'ppo', config: ppoLossConfig(TrainConfigSchema.parse({})) })),
      trainTokens,
      loraFlops,
    );
    await pool.close();
  }
  model.dispose();
}

// Rollouts: constrained decoding of one action for each of 64 Stage-1 observations at once.
{
  const model = makeModel(defaultConfig, rng.fork('rollout'));
  const policy = new ModelPolicy(model, tokenizer, { lora: true, seed: 1 });
  const inputs: PolicyInput[] = [];
  for (let i = 0; i < 64; i++) {
    const env = new DojoEnv(episodeType(STAGE_EPISODE_TYPES[1][i % STAGE_EPISODE_TYPES[1].length] as string), {
      render: ['structured', 'tokens'],
    });
    const { observation } = env.resetSync({ seed: i });
    inputs.push({ observation, legalActions: env.legalActions() } as PolicyInput);
  }
  const ms = time(() => policy.decide(inputs));
  console.log(`rollout (default model, 64 Stage-1 observations decided together)`);
  console.log(`  ${'decide x64'.padEnd(22)} ${fmt(ms).padStart(9)} ms  ${fmt(64 / (ms / 1000), 0).padStart(9)} decisions/s`);
  model.dispose();
}
