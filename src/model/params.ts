/**
 * Parameters of the built-in model: Float32Array master copies under Hugging Face Llama names
 * (PyTorch layouts: a linear weight is [out, in]), LoRA adapters under PEFT names, and the value
 * head. Compute tensors are uploaded from the masters lazily and re-uploaded after an update.
 */
import type { Rng } from '../core/rng.js';
import type { ModelConfig } from './config.js';

export interface Param {
  shape: readonly number[];
  data: Float32Array;
}

/** The seven projections of a Llama block LoRA can adapt. */
export const LORA_TARGETS = ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj'] as const;
export type LoraTarget = (typeof LORA_TARGETS)[number];

/**
 * Whole modules an adapter may carry a trained copy of (PEFT's `modules_to_save`): the token
 * embedding and the output head. With adapters disabled the base's own modules apply.
 */
export const SAVED_MODULES = ['embed_tokens', 'lm_head'] as const;
export type SavedModule = (typeof SAVED_MODULES)[number];

export interface LoraConfig {
  rank: number;
  alpha: number;
  targets: readonly LoraTarget[];
  /** Modules trained as full copies beside the low-rank adapters (none when absent). */
  modulesToSave?: readonly SavedModule[];
}

export const DEFAULT_LORA: LoraConfig = { rank: 8, alpha: 16, targets: ['q_proj', 'v_proj', 'o_proj', 'up_proj', 'down_proj'] };

/** A copy of every parameter, values included (the pristine base a run compares against). */
export function copyParams(params: ReadonlyMap<string, Param>): Map<string, Param> {
  return new Map([...params].map(([name, p]) => [name, { shape: p.shape, data: Float32Array.from(p.data) }]));
}

export function linearName(layer: number, target: LoraTarget): string {
  const group = target === 'gate_proj' || target === 'up_proj' || target === 'down_proj' ? 'mlp' : 'self_attn';
  return `model.layers.${layer}.${group}.${target}`;
}

/** [out, in] of a projection. */
export function linearShape(config: ModelConfig, target: LoraTarget): [number, number] {
  if (target === 'gate_proj' || target === 'up_proj') return [config.hidden, config.dim];
  if (target === 'down_proj') return [config.dim, config.hidden];
  return [config.dim, config.dim];
}

function elementCount(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

function normalInit(rng: Rng, shape: readonly number[], std: number): Param {
  const data = new Float32Array(elementCount(shape));
  for (let i = 0; i < data.length; i++) data[i] = rng.normal(0, std);
  return { shape, data };
}

function ones(shape: readonly number[]): Param {
  return { shape, data: new Float32Array(elementCount(shape)).fill(1) };
}

function zeros(shape: readonly number[]): Param {
  return { shape, data: new Float32Array(elementCount(shape)) };
}

/** Base weights, named as in transformers' LlamaForCausalLM. */
export function initBase(config: ModelConfig, rng: Rng): Map<string, Param> {
  const p = new Map<string, Param>();
  const std = 0.02;
  // Residual-output projections are scaled down with depth (GPT-2 style) for a stable start.
  const outStd = std / Math.sqrt(2 * config.layers);
  p.set('model.embed_tokens.weight', normalInit(rng.fork('embed'), [config.vocabSize, config.dim], std));
  for (let l = 0; l < config.layers; l++) {
    const r = rng.fork(`layer${l}`);
    p.set(`model.layers.${l}.input_layernorm.weight`, ones([config.dim]));
    p.set(`model.layers.${l}.post_attention_layernorm.weight`, ones([config.dim]));
    for (const t of LORA_TARGETS) {
      const s = t === 'o_proj' || t === 'down_proj' ? outStd : std;
      p.set(`${linearName(l, t)}.weight`, normalInit(r.fork(t), linearShape(config, t), s));
    }
  }
  p.set('model.norm.weight', ones([config.dim]));
  p.set('lm_head.weight', normalInit(rng.fork('lm_head'), [config.vocabSize, config.dim], std));
  return p;
}

/** The value head (not part of the Llama checkpoint: saved beside it). */
export function initValueHead(config: ModelConfig): Map<string, Param> {
  return new Map([
    ['value_head.weight', zeros([1, config.dim])],
    ['value_head.bias', zeros([1])],
  ]);
}

/**
 * LoRA adapters in PEFT naming: `base_model.model.<linear>.lora_A.weight` [r, in] drawn like
 * PEFT's default (Kaiming-uniform), `lora_B.weight` [out, r] zero, so the adapted model equals the
 * base at initialization. Each module of `modulesToSave` starts as a copy of the base's (`base`
 * must then be given), named as PEFT saves it: `base_model.model.lm_head.weight`,
 * `base_model.model.model.embed_tokens.weight`.
 */
export function initLora(config: ModelConfig, lora: LoraConfig, rng: Rng, base?: ReadonlyMap<string, Param>): Map<string, Param> {
  const p = new Map<string, Param>();
  for (let l = 0; l < config.layers; l++) {
    for (const t of lora.targets) {
      const [out, inp] = linearShape(config, t);
      const bound = 1 / Math.sqrt(inp);
      const a = new Float32Array(lora.rank * inp);
      const r = rng.fork(`lora${l}${t}`);
      for (let i = 0; i < a.length; i++) a[i] = r.uniform(-bound, bound);
      p.set(`base_model.model.${linearName(l, t)}.lora_A.weight`, { shape: [lora.rank, inp], data: a });
      p.set(`base_model.model.${linearName(l, t)}.lora_B.weight`, zeros([out, lora.rank]));
    }
  }
  for (const m of lora.modulesToSave ?? []) {
    const original = base?.get(savedModuleBase(m));
    if (!original) throw new Error(`initLora: modules_to_save ${m} needs the base model's ${savedModuleBase(m)} to copy`);
    p.set(savedModuleName(m), { shape: [...original.shape], data: original.data.slice() });
  }
  return p;
}

/** The base parameter a saved module copies. */
export function savedModuleBase(module: SavedModule): string {
  return module === 'embed_tokens' ? 'model.embed_tokens.weight' : 'lm_head.weight';
}

/** The adapter's copy of a saved module, under the name PEFT saves it with (`base_model.model.<base name>`). */
export function savedModuleName(module: SavedModule): string {
  return `base_model.model.${savedModuleBase(module)}`;
}

/** Base parameter name → the adapter's copy of it, for each module the adapter saves (empty without one). */
export function savedCopies(lora: LoraConfig | undefined): Map<string, string> {
  return new Map((lora?.modulesToSave ?? []).map((m) => [savedModuleBase(m), savedModuleName(m)]));
}

export function loraAName(layer: number, target: LoraTarget): string {
  return `base_model.model.${linearName(layer, target)}.lora_A.weight`;
}

export function loraBName(layer: number, target: LoraTarget): string {
  return `base_model.model.${linearName(layer, target)}.lora_B.weight`;
}

/**
 * W += scale · B A for one projection, in place: `w` holds W [out, in] from `offset`, `b` is B
 * [out, rank] and `a` is A [rank, in]. The forward pass builds its adapted weights with it and
 * `mergeAdapter` folds an adapter with it, so a merged model computes exactly what the model with
 * its adapter attached does.
 */
export function addLowRank(
  w: Float32Array,
  offset: number,
  a: Float32Array,
  b: Float32Array,
  shape: { out: number; in: number; rank: number },
  scale: number,
): void {
  const { out, rank } = shape;
  const inDim = shape.in;
  for (let o = 0; o < out; o++)
    for (let k = 0; k < rank; k++) {
      const bk = scale * (b[o * rank + k] as number);
      if (bk === 0) continue;
      const row = offset + o * inDim;
      for (let i = 0; i < inDim; i++) w[row + i] = (w[row + i] as number) + bk * (a[k * inDim + i] as number);
    }
}
