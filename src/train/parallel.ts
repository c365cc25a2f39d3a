/**
 * Data parallelism over worker threads, so training uses every core (the embedded default runs on
 * 2). The main thread keeps the model, the optimizer and the environments' bookkeeping; each of
 * `threads − 1` workers holds a copy of the model (base, adapters and value head, kept in sync by
 * the main thread before every task) and takes one shard of each batched job:
 *
 * - rollouts (`collect`): the episode specs are dealt round-robin; each shard plays and scores its
 *   episodes with the same policy options, and the results are put back in spec order. Sampling is
 *   keyed per episode and turn, so an episode plays the same whichever thread runs it;
 * - log-probabilities without gradients (`evaluate`: the KL reference pass);
 * - gradient steps (`step`): the minibatch is sorted by length and dealt round-robin; every shard
 *   computes its loss with the whole minibatch's divisors (token and decision counts), so the
 *   shards' gradients sum to the minibatch's gradient; the sum (in shard order, so a run is
 *   deterministic for a given thread count) is applied once by the main thread's optimizer.
 *
 * With one thread nothing is started and every job runs in-process, exactly as before. Different
 * thread counts sum gradients in a different order, so their runs agree to float rounding only.
 */
import { Worker } from 'node:worker_threads';
import type { ScenarioOptions } from '../core/episode.js';
import type { ModelConfig } from '../model/config.js';
import type { Backend } from '../model/engine.js';
import type { LoraConfig } from '../model/params.js';
import type { Tokenizer } from '../model/tokenizer.js';
import type { Transformer } from '../model/transformer.js';
import type { ModelPolicy, ModelPolicyOptions } from '../policy/model-policy.js';
import type { ScoreSettings } from '../reward/credit.js';
import type { EpisodeSpec } from '../rollout/rollout.js';
import { type CollectedEpisode, collectEpisodes } from './collect.js';
import { type GrpoLossConfig, grpoLoss } from './grpo.js';
import type { AdamW, StepReport } from './optimizer.js';
import type { Divisors, LossParts } from './policy-gradient.js';
import { type PpoLossConfig, ppoLoss } from './ppo.js';
import { imitationLoss } from './pretrain.js';
import {
  applyGradients,
  type DecisionSample,
  evaluateSamples,
  type LossGradients,
  sampleGradients,
  type TokenBatchView,
} from './samples.js';

/** A loss a worker can rebuild: plain data, no closures. */
export type LossSpec =
  | { kind: 'ppo'; config: PpoLossConfig }
  | { kind: 'grpo'; config: GrpoLossConfig }
  | { kind: 'imitation'; valueCoef: number };

/** The loss function of a spec over a shard, with the whole minibatch's divisors. */
export function lossFor(
  spec: LossSpec,
  samples: readonly DecisionSample[],
  divisors: Divisors,
): (view: TokenBatchView) => LossGradients & { parts?: LossParts } {
  if (spec.kind === 'ppo')
    return (view) => {
      const r = ppoLoss(samples, view, spec.config, divisors);
      return { loss: r.parts.loss, dLogp: r.dLogp, dEntropy: r.dEntropy, dValues: r.dValues, parts: r.parts };
    };
  if (spec.kind === 'grpo')
    return (view) => {
      const r = grpoLoss(samples, view, spec.config, divisors);
      return { loss: r.parts.loss, dLogp: r.dLogp, parts: r.parts };
    };
  return (view) => imitationLoss(samples, view, spec.valueCoef, divisors);
}

/** Trainable tokens and decisions of a minibatch: the divisors of its means. */
export function divisorsOf(samples: readonly DecisionSample[]): Divisors {
  let tokens = 0;
  for (const s of samples) for (const a of s.allowed) if (a.length > 1) tokens++;
  return { tokens, decisions: samples.length };
}

/** Gradients and loss parts of one shard of a minibatch. */
export function shardGradients(
  model: Transformer,
  samples: readonly DecisionSample[],
  pad: number,
  spec: LossSpec,
  divisors: Divisors,
): { loss: number; grads: Map<string, Float32Array>; parts?: LossParts } {
  if (samples.length === 0) return { loss: 0, grads: new Map() };
  const fn = lossFor(spec, samples, divisors);
  let parts: LossParts | undefined;
  const { loss, grads } = sampleGradients(model, samples, pad, (view) => {
    const r = fn(view);
    parts = r.parts;
    return r;
  });
  return parts ? { loss, grads, parts } : { loss, grads };
}

/** Round-robin shards of `count` items over `k` threads (indices), balanced by `weight` when given. */
export function deal(count: number, k: number, weight?: (i: number) => number): number[][] {
  const order = Array.from({ length: count }, (_, i) => i);
  if (weight) order.sort((a, b) => weight(a) - weight(b) || a - b);
  const shards: number[][] = Array.from({ length: k }, () => []);
  order.forEach((i, j) => {
    (shards[j % k] as number[]).push(i);
  });
  return shards;
}

/** A spec as plain data: the episode type by name. */
interface WireSpec {
  typeName: string;
  seed: number;
  options?: ScenarioOptions;
  group?: number;
  key?: string;
}

type Request =
  | { op: 'sync'; lora: { config: LoraConfig; names: string[] } | null | undefined; params: [string, readonly number[], Float32Array][] }
  | { op: 'grads'; samples: DecisionSample[]; pad: number; spec: LossSpec; divisors: Divisors; trainable: string[] }
  | { op: 'evaluate'; samples: DecisionSample[]; pad: number; lora: boolean }
  | { op: 'collect'; specs: WireSpec[]; settings: ScoreSettings; policy: ModelPolicyOptions };

export type WorkerRequest = Request & { id: number };

export interface WorkerInit {
  backend: Backend;
  config: ModelConfig;
  tokenizer: Record<string, unknown>;
}

class Remote {
  private next = 0;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private failure: Error | undefined;

  constructor(readonly worker: Worker) {
    worker.on('message', (msg: { id: number; ok: boolean; value?: unknown; error?: string }) => {
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      // An idle worker does not keep the process alive; one with work pending does.
      if (this.pending.size === 0) worker.unref();
      if (msg.ok) p.resolve(msg.value);
      else p.reject(new Error(`training worker: ${msg.error}`));
    });
    const fail = (e: Error) => {
      this.failure = e;
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
      worker.unref();
    };
    worker.on('error', (e) => fail(new Error(`training worker failed: ${e.message}`)));
    worker.on('exit', (code) => {
      if (this.pending.size > 0) fail(new Error(`training worker exited (code ${code}) with work pending`));
    });
  }

  call<T>(request: Request): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.next++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.ref();
      this.worker.postMessage({ ...request, id });
    });
  }
}

/** How to start a worker: the compiled worker module, or under tsx/vitest the TypeScript source through tsx's loader. */
function newWorker(init: WorkerInit): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./parallel-worker.js', import.meta.url), { workerData: init });
  const source = new URL('./parallel-worker.ts', import.meta.url).href;
  const boot = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(source)}); });`;
  return new Worker(boot, { eval: true, workerData: init });
}

/** The main thread plus `threads − 1` model workers. */
export class Parallel {
  /** The adapter object the workers last received (undefined: nothing synced yet). */
  private syncedLora: Transformer['lora'] | null | undefined = undefined;
  /** `model.untrackedChanges` at the last sync. */
  private syncedUntracked = -1;
  /**
   * Parameters `step` updated since the last sync. Sent at the next sync even when they are no
   * longer trainable by then: a run that empties `model.trainable` after its last update still
   * evaluates that update on every thread.
   */
  private readonly updated = new Set<string>();

  private constructor(
    private readonly remotes: Remote[],
    readonly model: Transformer,
  ) {}

  /** Starts `threads − 1` workers holding copies of `model` (none for one thread). */
  static async start(threads: number, model: Transformer, tokenizer: Tokenizer, backend: Backend): Promise<Parallel> {
    const remotes: Remote[] = [];
    const init: WorkerInit = { backend, config: model.config, tokenizer: tokenizer.toJSON() };
    for (let i = 1; i < threads; i++) {
      const worker = newWorker(init);
      worker.unref();
      remotes.push(new Remote(worker));
    }
    const pool = new Parallel(remotes, model);
    await pool.sync(true);
    return pool;
  }

  get threads(): number {
    return this.remotes.length + 1;
  }

  async close(): Promise<void> {
    await Promise.all(this.remotes.map((r) => r.worker.terminate()));
  }

  /**
   * Brings the workers' models up to date: everything when `full`, when the adapter object changed
   * since the last sync (a new stage, a merge) or when a parameter outside the trainable set did
   * (`Transformer.untrackedChanges`: a merged adapter, a swapped base), else the trainable
   * parameters and those the last steps updated.
   */
  private async sync(full = false): Promise<void> {
    if (this.remotes.length === 0) return;
    const model = this.model;
    const loraChanged = this.syncedLora !== (model.lora ?? null);
    const all = full || loraChanged || this.syncedUntracked !== model.untrackedChanges;
    const names = all ? [...model.allParams().keys()] : [...new Set([...model.trainable, ...this.updated])];
    if (names.length === 0 && !loraChanged) return;
    const params = names.map((n) => {
      const p = model.param(n);
      return [n, p.shape, p.data] as [string, readonly number[], Float32Array];
    });
    const lora = loraChanged ? (model.lora ? { config: model.lora.config, names: [...model.lora.params.keys()] } : null) : undefined;
    await Promise.all(this.remotes.map((r) => r.call({ op: 'sync', lora, params })));
    this.syncedLora = model.lora ?? null;
    this.syncedUntracked = model.untrackedChanges;
    this.updated.clear();
  }

  /**
   * The shape of every sharded call: brings the workers up to date, deals `count` items over the
   * threads (balanced by `weight` when given), sends each worker its shard, works on shard 0 here
   * meanwhile, and returns the shards with their results in thread order.
   */
  private async fanOut<T>(
    count: number,
    weight: ((i: number) => number) | undefined,
    local: (shard: number[]) => T,
    remote: (r: Remote, shard: number[]) => Promise<T>,
  ): Promise<{ shards: number[][]; results: T[] }> {
    await this.sync();
    const shards = deal(count, this.threads, weight);
    const pending = this.remotes.map((r, w) => remote(r, shards[w + 1] as number[]));
    const here = local(shards[0] as number[]);
    return { shards, results: [here, ...(await Promise.all(pending))] };
  }

  /** Plays and scores every spec (see `collectEpisodes`), sharded over the threads. */
  async collect(policy: ModelPolicy, specs: readonly EpisodeSpec[], settings: ScoreSettings): Promise<CollectedEpisode[]> {
    if (this.remotes.length === 0) return collectEpisodes(policy, specs, settings);
    const wire = (s: EpisodeSpec): WireSpec => ({
      typeName: s.type.name,
      seed: s.seed,
      ...(s.options ? { options: s.options } : {}),
      ...(s.group !== undefined ? { group: s.group } : {}),
      ...(s.key !== undefined ? { key: s.key } : {}),
    });
    type Played = Omit<CollectedEpisode, 'spec'>[];
    const { shards, results } = await this.fanOut<Played>(
      specs.length,
      undefined,
      (shard) => collectEpisodes(policy, pick(specs, shard), settings),
      (r, shard) => r.call<Played>({ op: 'collect', specs: pick(specs, shard).map(wire), settings, policy: policy.options }),
    );
    const out = new Array<CollectedEpisode>(specs.length);
    scatter(shards, results, (i, played, j) => {
      out[i] = { ...(played[j] as Played[number]), spec: specs[i] as EpisodeSpec };
    });
    return out;
  }

  /** Per-token log-probabilities and values without gradients (see `evaluateSamples`), sharded. */
  async evaluate(
    samples: readonly DecisionSample[],
    options: { lora: boolean; pad: number },
  ): Promise<{ logp: number[][]; values: number[] }> {
    if (this.remotes.length === 0) return evaluateSamples(this.model, samples, options);
    type Scored = { logp: number[][]; values: number[] };
    const { shards, results } = await this.fanOut<Scored>(
      samples.length,
      (i) => lengthOf(samples[i] as DecisionSample),
      (shard) => evaluateSamples(this.model, pick(samples, shard), options),
      (r, shard) => r.call<Scored>({ op: 'evaluate', samples: pick(samples, shard), pad: options.pad, lora: options.lora }),
    );
    const logp = new Array<number[]>(samples.length);
    const values = new Array<number>(samples.length);
    scatter(shards, results, (i, r, j) => {
      logp[i] = r.logp[j] as number[];
      values[i] = r.values[j] as number;
    });
    return { logp, values };
  }

  /**
   * One optimizer step on a minibatch: each thread computes its shard's gradients with the
   * minibatch's divisors, the main thread sums them in shard order and applies the update.
   * Returns the loss, the summed loss parts (when the loss has parts) and the step report.
   */
  async step(
    optimizer: AdamW,
    samples: readonly DecisionSample[],
    pad: number,
    lr: number,
    spec: LossSpec,
  ): Promise<{ loss: number; parts?: LossParts; report: StepReport }> {
    const model = this.model;
    const divisors = divisorsOf(samples);
    if (this.remotes.length === 0) {
      const { loss, grads, parts } = shardGradients(model, samples, pad, spec, divisors);
      const { report } = applyGradients(model, optimizer, loss, grads, lr);
      return parts ? { loss, parts, report } : { loss, report };
    }
    type Shard = { loss: number; grads: Map<string, Float32Array>; parts?: LossParts };
    const { results } = await this.fanOut<Shard>(
      samples.length,
      (i) => lengthOf(samples[i] as DecisionSample),
      (shard) => shardGradients(model, pick(samples, shard), pad, spec, divisors),
      (r, shard) => r.call<Shard>({ op: 'grads', samples: pick(samples, shard), pad, spec, divisors, trainable: [...model.trainable] }),
    );
    const grads = new Map<string, Float32Array>();
    let loss = 0;
    let parts: LossParts | undefined;
    for (const r of results) {
      loss += r.loss;
      for (const [name, g] of r.grads) {
        const acc = grads.get(name);
        if (!acc) grads.set(name, Float32Array.from(g));
        else for (let i = 0; i < g.length; i++) acc[i] = (acc[i] as number) + (g[i] as number);
      }
      if (r.parts) parts = parts ? addParts(parts, r.parts) : { ...r.parts };
    }
    const { report } = applyGradients(model, optimizer, loss, grads, lr);
    for (const name of model.trainable) this.updated.add(name);
    return parts ? { loss, parts, report } : { loss, report };
  }
}

function pick<T>(items: readonly T[], shard: readonly number[]): T[] {
  return shard.map((i) => items[i] as T);
}

/** Calls `put(i, result, j)` for the j-th item `i` of each shard, with that shard's result. */
function scatter<T>(shards: readonly number[][], results: readonly T[], put: (i: number, result: T, j: number) => void): void {
  shards.forEach((shard, k) => {
    shard.forEach((i, j) => {
      put(i, results[k] as T, j);
    });
  });
}

function lengthOf(s: DecisionSample): number {
  return s.context.length + s.tokens.length;
}

function addParts(a: LossParts, b: LossParts): LossParts {
  return {
    loss: a.loss + b.loss,
    policy: a.policy + b.policy,
    value: a.value + b.value,
    entropy: a.entropy + b.entropy,
    kl: a.kl + b.kl,
    clipFraction: a.clipFraction + b.clipFraction,
    approxKl: a.approxKl + b.approxKl,
  };
}
