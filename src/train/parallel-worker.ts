/**
 * The worker side of `Parallel` (parallel.ts): holds a copy of the model, applies the main
 * thread's parameter syncs, and runs shards of rollouts, evaluations and gradient computations.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { episodeType } from '../episodes/all.js';
import { initEngine } from '../model/engine.js';
import type { Param } from '../model/params.js';
import { Tokenizer } from '../model/tokenizer.js';
import { Transformer } from '../model/transformer.js';
import { ModelPolicy } from '../policy/model-policy.js';
import { collectEpisodes } from './collect.js';
import { shardGradients, type WorkerInit, type WorkerRequest } from './parallel.js';
import { evaluateSamples } from './samples.js';

const init = workerData as WorkerInit;
const port = parentPort;
if (!port) throw new Error('parallel-worker.ts runs as a worker thread of Parallel (src/train/parallel.ts)');
const ready = initEngine(init.backend);
const tokenizer = Tokenizer.fromJSON(init.tokenizer, 'tokenizer (from the main thread)');
let model: Transformer | undefined;

function sync(request: Extract<WorkerRequest, { op: 'sync' }>): void {
  const incoming = new Map(request.params.map(([name, shape, data]) => [name, { shape, data }]));
  const copy = (name: string): Param => {
    const p = incoming.get(name);
    if (!p) throw new Error(`sync: parameter ${name} missing`);
    return { shape: [...p.shape], data: Float32Array.from(p.data) };
  };
  if (!model) {
    // The first sync is a full one: every base and value-head parameter, by name.
    const adapter = new Set(request.lora?.names ?? []);
    const names = [...incoming.keys()].filter((n) => !adapter.has(n));
    const base = new Map(names.filter((n) => !n.startsWith('value_head.')).map((n) => [n, copy(n)]));
    const valueHead = new Map(names.filter((n) => n.startsWith('value_head.')).map((n) => [n, copy(n)]));
    model = new Transformer(init.config, base, valueHead);
  }
  if (request.lora === null) model.setLora(undefined);
  else if (request.lora) model.setLora({ config: request.lora.config, params: new Map(request.lora.names.map((n) => [n, copy(n)])) });
  const changed: string[] = [];
  for (const [name, p] of incoming) {
    if (request.lora?.names.includes(name)) continue;
    model.param(name).data.set(p.data);
    changed.push(name);
  }
  model.invalidate(changed);
}

port.on('message', async (request: WorkerRequest) => {
  try {
    await ready;
    let value: unknown;
    if (request.op === 'sync') sync(request);
    else {
      if (!model) throw new Error(`${request.op} before the first sync`);
      if (request.op === 'grads') {
        model.trainable = new Set(request.trainable);
        value = shardGradients(model, request.samples, request.pad, request.spec, request.divisors);
      } else if (request.op === 'evaluate') {
        value = evaluateSamples(model, request.samples, { lora: request.lora, pad: request.pad });
      } else {
        const policy = new ModelPolicy(model, tokenizer, request.policy);
        const specs = request.specs.map(({ typeName, ...s }) => ({ ...s, type: episodeType(typeName) }));
        value = collectEpisodes(policy, specs, request.settings).map(({ spec: _spec, ...rest }) => rest);
      }
    }
    port.postMessage({ id: request.id, ok: true, value });
  } catch (e) {
    port.postMessage({ id: request.id, ok: false, error: e instanceof Error ? e.message : String(e) });
  }
});
