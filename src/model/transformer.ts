/**
 * The built-in decoder-only transformer (Llama blocks: RMSNorm, rotary positions, causal
 * multi-head attention, SiLU-gated MLP, untied LM head) with LoRA on chosen projections and a value
 * head, computed with TensorFlow.js kernels.
 *
 * TensorFlow.js under Node registers no gradient functions, and its generic matmul gradient uses
 * transposed-matmul flags that run 15x slower on the WebAssembly backend (engines.md). So the
 * backward pass is written out by hand, layer by layer, with explicit transposes; the tests check
 * it against finite differences and the two backends against each other.
 *
 * Shapes: a batch is B right-padded sequences of T token ids, flattened to N = B*T rows. Outputs
 * (next-token logits and values) are computed only at the requested `positions` (row indices),
 * which is all training and decoding ever need.
 *
 * Speed (measured with `npm run bench:model`; the wasm backend is launch-bound on small tensors,
 * so fewer, larger ops win): q/k/v are one matmul over concatenated weights; LoRA adapters are
 * merged into the uploaded weights (W + scale*B*A, rebuilt when the adapters change), leaving one
 * extra matmul (x*A^T) only when adapter gradients are wanted; attention with its rotary
 * positions runs as plain loops over the projection output (wasm's batched matmul is ~1 GFLOP/s
 * and the head split/transposes cost more than the math); the last layer runs its queries, MLP
 * and norm only at the output rows; the backward pass stops below the lowest trained parameter.
 */
import * as tf from '@tensorflow/tfjs-core';
import { headDim, type ModelConfig } from './config.js';
import { attend, attendBack } from './kernels/attention.js';
import {
  addLowRank,
  LORA_TARGETS,
  type LoraConfig,
  type LoraTarget,
  linearName,
  linearShape,
  loraAName,
  loraBName,
  type Param,
  savedCopies,
} from './params.js';

export interface Batch {
  /** B*T token ids, row-major, right-padded. */
  ids: Int32Array;
  batch: number;
  seq: number;
  /** Rows (b*T + t) whose next-token logits and values are wanted. */
  positions: Int32Array;
}

export interface Outputs {
  /** positions.length x vocabSize logits, row-major. */
  logits: Float32Array;
  /** One value estimate per position. */
  values: Float32Array;
}

export interface LossAndGrad {
  loss: number;
  /** d loss / d logits, same layout as `Outputs.logits`. */
  dLogits: Float32Array;
  /** d loss / d values (omit when the value head is not trained). */
  dValues?: Float32Array;
}

export interface ForwardOptions {
  /** Apply the LoRA adapters (false: the frozen base, the KL reference). */
  lora: boolean;
}

type T2 = tf.Tensor2D;

/**
 * Projections computed as one matmul: q/k/v read the same input and are concatenated along their
 * outputs, since on wasm one large matmul beats several small ones (and attention reads the
 * [N, 3D] result directly). Gate and up are kept apart: splitting their fused output column-wise
 * costs more on wasm than the second matmul.
 */
const GROUPS: Record<'qkv' | 'o' | 'gate' | 'up' | 'down', readonly LoraTarget[]> = {
  qkv: ['q_proj', 'k_proj', 'v_proj'],
  o: ['o_proj'],
  gate: ['gate_proj'],
  up: ['up_proj'],
  down: ['down_proj'],
};

interface LinearCache {
  x: T2;
  /** x · A^T of the adapted projections, [rows, rank * adapted]. */
  xa?: T2;
}

interface LayerCache {
  h0: T2;
  rinv1: T2;
  qkv: LinearCache;
  attention: AttentionCache;
  o: LinearCache;
  h1: T2;
  rinv2: T2;
  gate: LinearCache;
  up: LinearCache;
  a: T2;
  s: T2;
  b: T2;
  down: LinearCache;
}

interface ForwardCache {
  layers: LayerCache[];
  hL: T2;
  rinvF: T2;
  rows: T2;
  /** The embedding and output-head parameters the pass read (the adapter's copies or the base's). */
  embed: string;
  head: string;
}

/** What attention's backward pass needs, kept as plain arrays (attention runs in JavaScript). */
interface AttentionCache {
  /** Rotated queries and keys and the values, [N, D] each. */
  q: Float32Array;
  k: Float32Array;
  v: Float32Array;
  /** Attention probabilities, [queries, heads, T] (zero beyond the causal limit). */
  p: Float32Array;
  /** Row (b*T + t) of each query; undefined: every row. */
  queries: Int32Array | undefined;
}

export class Transformer {
  readonly config: ModelConfig;
  /** Base weights (Hugging Face Llama names). */
  readonly base: Map<string, Param>;
  readonly valueHead: Map<string, Param>;
  lora: { config: LoraConfig; params: Map<string, Param> } | undefined;
  /** Names of the parameters gradients are computed for. */
  trainable = new Set<string>();

  private readonly uploaded = new Map<string, tf.Tensor>();
  /** The parameter names each uploaded tensor was built from (for `invalidate`). */
  private readonly sources = new Map<string, readonly string[]>();
  private readonly loraTargets = new Set<LoraTarget>();
  /** Base parameter name → the attached adapter's trained copy of it (modules_to_save). */
  private savedCopies = new Map<string, string>();
  private readonly ropeCache = new Map<number, { cos: Float32Array; sin: Float32Array }>();
  private untracked = 0;

  constructor(
    config: ModelConfig,
    base: Map<string, Param>,
    valueHead: Map<string, Param>,
    lora?: { config: LoraConfig; params: Map<string, Param> },
  ) {
    this.config = config;
    this.base = base;
    this.valueHead = valueHead;
    this.setLora(lora);
  }

  setLora(lora: { config: LoraConfig; params: Map<string, Param> } | undefined): void {
    this.lora = lora;
    this.loraTargets.clear();
    for (const t of lora?.config.targets ?? []) this.loraTargets.add(t);
    this.savedCopies = savedCopies(lora?.config);
    this.invalidate();
  }

  /** Every parameter by name (base, adapters, value head). */
  param(name: string): Param {
    const p = this.base.get(name) ?? this.valueHead.get(name) ?? this.lora?.params.get(name);
    if (!p) throw new Error(`no parameter ${name}`);
    return p;
  }

  allParams(): Map<string, Param> {
    return new Map([...this.base, ...(this.lora?.params ?? []), ...this.valueHead]);
  }

  /**
   * Counts the changes to parameters outside `trainable` (a new adapter, a merge, a swapped base):
   * what a copy of the model kept current by sending only the trainable parameters would miss.
   */
  get untrackedChanges(): number {
    return this.untracked;
  }

  /** Drops uploaded copies (all, or those built from the named parameters) after the masters changed. */
  invalidate(names?: Iterable<string>): void {
    if (!names) {
      this.untracked++;
      for (const t of this.uploaded.values()) t.dispose();
      this.uploaded.clear();
      this.sources.clear();
      return;
    }
    const changed = new Set(names);
    for (const n of changed)
      if (!this.trainable.has(n)) {
        this.untracked++;
        break;
      }
    for (const [key, from] of this.sources) {
      if (!from.some((n) => changed.has(n))) continue;
      this.uploaded.get(key)?.dispose();
      this.uploaded.delete(key);
      this.sources.delete(key);
    }
  }

  dispose(): void {
    this.invalidate();
  }

  /** An uploaded tensor built from parameters by `build`, cached until one of them changes. */
  private cached(key: string, from: readonly string[], build: () => tf.Tensor): tf.Tensor {
    let t = this.uploaded.get(key);
    if (!t) {
      t = tf.keep(build());
      this.uploaded.set(key, t);
      this.sources.set(key, from);
    }
    return t;
  }

  /** A parameter as a tensor, in its stored layout. */
  private t(name: string): tf.Tensor {
    return this.cached(name, [name], () => {
      const p = this.param(name);
      return tf.tensor(p.data, [...p.shape]);
    });
  }

  /** A 2-D parameter, transposed (the layout a forward matmul wants: no transpose flags). */
  private tT(name: string): T2 {
    return this.cached(`${name}#T`, [name], () => {
      const p = this.param(name);
      const [rows, cols] = p.shape as [number, number];
      return tf.tensor2d(transpose(p.data, rows, cols), [cols, rows]);
    }) as T2;
  }

  /** cos and sin of the rotary angles, [T, dh/2] (built once per sequence length). */
  private rope(seq: number): { cos: Float32Array; sin: Float32Array } {
    let r = this.ropeCache.get(seq);
    if (!r) {
      const dh = headDim(this.config);
      const half = dh / 2;
      const cos = new Float32Array(seq * half);
      const sin = new Float32Array(seq * half);
      for (let pos = 0; pos < seq; pos++) {
        for (let i = 0; i < half; i++) {
          const angle = pos / this.config.ropeTheta ** ((2 * i) / dh);
          cos[pos * half + i] = Math.cos(angle);
          sin[pos * half + i] = Math.sin(angle);
        }
      }
      r = { cos, sin };
      this.ropeCache.set(seq, r);
    }
    return r;
  }

  private rmsNorm(x: T2, gain: string): { y: T2; rinv: T2 } {
    const rinv = tf.rsqrt(tf.add(tf.mean(tf.square(x), 1, true), this.config.normEps)) as T2;
    return { y: tf.mul(tf.mul(x, rinv), this.t(gain)) as T2, rinv };
  }

  private rmsNormBack(x: T2, rinv: T2, gain: string, dy: T2, grads: Map<string, Grad>): T2 {
    const g = this.t(gain);
    if (this.trainable.has(gain)) grads.set(gain, tf.sum(tf.mul(dy, tf.mul(x, rinv)), 0));
    const dyg = tf.mul(dy, g);
    const r3 = tf.mul(tf.mul(rinv, rinv), rinv);
    return tf.sub(tf.mul(rinv, dyg), tf.mul(tf.mul(x, r3), tf.mean(tf.mul(dyg, x), 1, true))) as T2;
  }

  /** The parameter a pass reads for a base module: the adapter's copy when adapters apply and it carries one. */
  private moduleParam(baseName: string, options: ForwardOptions): string {
    return (options.lora && this.savedCopies.get(baseName)) || baseName;
  }

  private adapted(targets: readonly LoraTarget[], options: ForwardOptions): LoraTarget[] {
    if (!options.lora || this.lora === undefined) return [];
    return targets.filter((t) => this.loraTargets.has(t));
  }

  private loraScale(): number {
    const lora = this.lora as { config: LoraConfig };
    return lora.config.alpha / lora.config.rank;
  }

  /**
   * The weights of a group of projections that share their input, uploaded once per change of
   * the parameters: 'WT' W^T concatenated along the outputs [in, out] and 'W' the same [out, in]
   * (for the input gradient), both with the `adapted` projections' adapters merged in
   * (W + scale * B A); 'AT' the adapted projections' A^T concatenated [in, r*k]; 'B' the block
   * matrix scale * B [out, r*k] (zero outside each projection's block).
   */
  private groupWeight(layer: number, targets: readonly LoraTarget[], kind: 'WT' | 'W' | 'AT' | 'B', adapted: readonly LoraTarget[]): T2 {
    const names = targets.map((t) => `${linearName(layer, t)}.weight`);
    const aNames = adapted.map((t) => loraAName(layer, t));
    const bNames = adapted.map((t) => loraBName(layer, t));
    if (kind === 'WT') {
      // The transpose of 'W' (merged once, transposed on the backend).
      return this.cached(`${names.join('+')}|${aNames.join('+')}#WT`, [...names, ...aNames, ...bNames], () =>
        tf.transpose(this.groupWeight(layer, targets, 'W', adapted)),
      ) as T2;
    }
    if (kind === 'W') {
      // With adapters, the merged W + scale * B A: one matmul instead of three and an add.
      return this.cached(`${names.join('+')}|${aNames.join('+')}#W`, [...names, ...aNames, ...bNames], () => {
        const parts = names.map((n) => this.param(n));
        const inDim = (parts[0] as Param).shape[1] as number;
        const outDim = parts.reduce((s, p) => s + (p.shape[0] as number), 0);
        const w = new Float32Array(outDim * inDim);
        let offset = 0;
        parts.forEach((p, ti) => {
          w.set(p.data, offset);
          const at = adapted.indexOf(targets[ti] as LoraTarget);
          if (at >= 0) {
            const a = this.param(aNames[at] as string).data; // [r, in]
            const b = this.param(bNames[at] as string).data; // [out, r]
            addLowRank(w, offset, a, b, { out: p.shape[0] as number, in: inDim, rank: a.length / inDim }, this.loraScale());
          }
          offset += p.data.length;
        });
        return tf.tensor2d(w, [outDim, inDim]);
      }) as T2;
    }
    if (kind === 'AT') {
      return this.cached(`${aNames.join('+')}#${kind}`, aNames, () => {
        const parts = aNames.map((n) => this.param(n));
        const r = (parts[0] as Param).shape[0] as number;
        const inDim = (parts[0] as Param).shape[1] as number;
        const a = new Float32Array(r * parts.length * inDim);
        parts.forEach((p, i) => {
          a.set(p.data, i * r * inDim);
        });
        const rows = r * parts.length;
        return tf.tensor2d(transpose(a, rows, inDim), [inDim, rows]);
      }) as T2;
    }
    return this.cached(`${names.join('+')}|${bNames.join('+')}#${kind}`, bNames, () => {
      const scale = this.loraScale();
      const outDims = targets.map((t) => linearShape(this.config, t)[0]);
      const outDim = outDims.reduce((s, d) => s + d, 0);
      const r = (this.lora as { config: LoraConfig }).config.rank;
      const rows = r * adapted.length;
      // [rows, outDim]: block i holds scale * B_i^T in the columns of projection adapted[i].
      const bt = new Float32Array(rows * outDim);
      adapted.forEach((t, i) => {
        const b = this.param(loraBName(layer, t)).data; // [out_t, r]
        let col = 0;
        for (let j = 0; j < targets.indexOf(t); j++) col += outDims[j] as number;
        const out = outDims[targets.indexOf(t)] as number;
        for (let o = 0; o < out; o++) for (let k = 0; k < r; k++) bt[(i * r + k) * outDim + col + o] = scale * (b[o * r + k] as number);
      });
      return tf.tensor2d(transpose(bt, rows, outDim), [outDim, rows]);
    }) as T2;
  }

  /** y = x W^T (adapters merged in); `keep`: also x A^T, which the adapters' gradients need. */
  private linear(
    x: T2,
    layer: number,
    targets: readonly LoraTarget[],
    options: ForwardOptions,
    keep: boolean,
  ): { y: T2; cache: LinearCache } {
    const adapted = this.adapted(targets, options);
    const y: T2 = tf.matMul(x, this.groupWeight(layer, targets, 'WT', adapted));
    if (adapted.length === 0 || !keep) return { y, cache: { x } };
    return { y, cache: { x, xa: tf.matMul(x, this.groupWeight(layer, targets, 'AT', adapted)) as T2 } };
  }

  private linearBack(
    cache: LinearCache,
    layer: number,
    targets: readonly LoraTarget[],
    dy: T2,
    grads: Map<string, Grad>,
    needInput = true,
  ): T2 | undefined {
    const names = targets.map((t) => `${linearName(layer, t)}.weight`);
    const outDims = targets.map((t) => linearShape(this.config, t)[0]);
    const inDim = linearShape(this.config, targets[0] as LoraTarget)[1];
    const adapted = cache.xa ? this.adapted(targets, { lora: true }) : [];
    const dx = needInput ? (tf.matMul(dy, this.groupWeight(layer, targets, 'W', adapted)) as T2) : undefined;
    const baseTrained = names.some((n) => this.trainable.has(n));
    const outDim = outDims.reduce((s, d) => s + d, 0);
    if (baseTrained) {
      // d W_cat = dy^T x [out, in]; with x narrower than dy, x^T dy (= d W_cat^T) transposes less.
      const wideOut = outDim > inDim;
      const dw = (wideOut ? tf.matMul(tf.transpose(cache.x), dy) : tf.matMul(tf.transpose(dy), cache.x)).dataSync() as Float32Array;
      const dwRows = wideOut ? transpose(dw, inDim, outDim) : dw;
      let offset = 0;
      names.forEach((n, i) => {
        const size = (outDims[i] as number) * inDim;
        if (this.trainable.has(n)) grads.set(n, dwRows.slice(offset, offset + size));
        offset += size;
      });
    }
    if (cache.xa) {
      const r = (this.lora as { config: LoraConfig }).config.rank;
      const scale = this.loraScale();
      const aNames = adapted.map((t) => loraAName(layer, t));
      const bNames = adapted.map((t) => loraBName(layer, t));
      if (aNames.some((n) => this.trainable.has(n))) {
        const dxa = tf.matMul(dy, this.groupWeight(layer, targets, 'B', adapted)) as T2; // [rows, r*k]
        const da = tf.matMul(tf.transpose(dxa), cache.x).dataSync() as Float32Array; // [r*k, in]
        aNames.forEach((n, i) => {
          if (this.trainable.has(n)) grads.set(n, da.slice(i * r * inDim, (i + 1) * r * inDim));
        });
      }
      if (bNames.some((n) => this.trainable.has(n))) {
        // xa^T dy [r*k, out] (transposing the narrow xa, not dy).
        const g = tf.matMul(tf.transpose(cache.xa), dy).dataSync() as Float32Array;
        adapted.forEach((t, i) => {
          const name = bNames[i] as string;
          if (!this.trainable.has(name)) return;
          const ti = targets.indexOf(t);
          let row = 0;
          for (let j = 0; j < ti; j++) row += outDims[j] as number;
          const out = outDims[ti] as number;
          const db = new Float32Array(out * r);
          for (let o = 0; o < out; o++) for (let k = 0; k < r; k++) db[o * r + k] = scale * (g[(i * r + k) * outDim + row + o] as number);
          grads.set(name, db);
        });
      }
    }
    return dx;
  }

  /**
   * Causal multi-head attention with rotary positions, in JavaScript: for sequences this short
   * the wasm backend's batched matmul (~1 GFLOP/s) and the split/concat/transpose glue cost far
   * more than plain loops over the [N, 3D] projection output. `queries` restricts the query rows
   * (the last layer only needs the output rows); keys and values are every row.
   */
  private attention(
    qkv: Float32Array,
    B: number,
    T: number,
    queries: Int32Array | undefined,
    keep: boolean,
  ): { ctx: Float32Array; cache?: AttentionCache } {
    const { dim: D, heads: H } = this.config;
    const dh = headDim(this.config);
    const N = B * T;
    const { cos, sin } = this.rope(T);
    const q = new Float32Array(N * D);
    const k = new Float32Array(N * D);
    const v = new Float32Array(N * D);
    for (let n = 0; n < N; n++) {
      const t = n % T;
      const src = n * 3 * D;
      const dst = n * D;
      rotateRow(qkv, src, q, dst, cos, sin, t, H, dh, 1);
      rotateRow(qkv, src + D, k, dst, cos, sin, t, H, dh, 1);
      v.set(qkv.subarray(src + 2 * D, src + 3 * D), dst);
    }
    const { ctx, p } = attend({ q, k, v, queries }, { T, heads: H, headDim: dh }, keep);
    return p ? { ctx, cache: { q, k, v, p, queries } } : { ctx };
  }

  /** The transpose of `attention`: d ctx [R, D] to d qkv [N, 3D] (rotation undone). */
  private attentionBack(c: AttentionCache, dctx: Float32Array, B: number, T: number): Float32Array {
    const { dim: D, heads: H } = this.config;
    const dh = headDim(this.config);
    const N = B * T;
    const { cos, sin } = this.rope(T);
    const { dq, dk, dv } = attendBack(c, c.p, dctx, { T, heads: H, headDim: dh });
    // Undo the rotation (its transpose) and lay the three gradients side by side.
    const dqkv = new Float32Array(N * 3 * D);
    for (let n = 0; n < N; n++) {
      const t = n % T;
      const src = n * D;
      const dst = n * 3 * D;
      rotateRow(dq, src, dqkv, dst, cos, sin, t, H, dh, -1);
      rotateRow(dk, src, dqkv, dst + D, cos, sin, t, H, dh, -1);
      dqkv.set(dv.subarray(src, src + D), dst + 2 * D);
    }
    return dqkv;
  }

  /** Forward pass; call inside `tf.tidy`. `keep`: retain what the backward pass needs. */
  private forwardTensors(batch: Batch, options: ForwardOptions, keep: boolean): { logits: T2; values: T2; cache: ForwardCache } {
    const { batch: B, seq: T } = batch;
    const { dim: D } = this.config;
    if (T > this.config.maxSeq) throw new Error(`sequence length ${T} exceeds the model's maxSeq ${this.config.maxSeq}`);
    const N = B * T;
    // Embedding rows gathered from the master copy (always current; no upload of the table).
    const embed = this.moduleParam('model.embed_tokens.weight', options);
    const head = this.moduleParam('lm_head.weight', options);
    const table = this.param(embed).data;
    const x0 = new Float32Array(N * D);
    for (let i = 0; i < N; i++) {
      const id = batch.ids[i] as number;
      x0.set(table.subarray(id * D, (id + 1) * D), i * D);
    }
    let h: T2 = tf.tensor2d(x0, [N, D]);
    const layers: LayerCache[] = [];
    for (let l = 0; l < this.config.layers; l++) {
      const pre = `model.layers.${l}`;
      // The last layer computes queries, MLP and outputs only at the wanted rows.
      const last = l === this.config.layers - 1;
      const h0 = h;
      const { y: n1, rinv: rinv1 } = this.rmsNorm(h0, `${pre}.input_layernorm.weight`);
      const qkv = this.linear(n1, l, GROUPS.qkv, options, keep);
      const queries = last ? batch.positions : undefined;
      const attn = this.attention(qkv.y.dataSync() as Float32Array, B, T, queries, keep);
      const R = queries ? queries.length : N;
      const ctx = tf.tensor2d(attn.ctx, [R, D]);
      const o = this.linear(ctx, l, GROUPS.o, options, keep);
      const hq = queries ? (tf.gather(h0, tf.tensor1d(queries, 'int32')) as T2) : h0;
      const h1 = tf.add(hq, o.y) as T2;
      const { y: n2, rinv: rinv2 } = this.rmsNorm(h1, `${pre}.post_attention_layernorm.weight`);
      const gate = this.linear(n2, l, GROUPS.gate, options, keep);
      const up = this.linear(n2, l, GROUPS.up, options, keep);
      const a = gate.y;
      const b = up.y;
      const s = tf.sigmoid(a) as T2;
      const m = tf.mul(tf.mul(a, s), b) as T2;
      const down = this.linear(m, l, GROUPS.down, options, keep);
      h = tf.add(h1, down.y) as T2;
      if (keep)
        layers.push({
          h0,
          rinv1,
          qkv: qkv.cache,
          attention: attn.cache as AttentionCache,
          o: o.cache,
          h1,
          rinv2,
          gate: gate.cache,
          up: up.cache,
          a,
          s,
          b,
          down: down.cache,
        });
    }
    // h is [P, D]: the last layer ran at the output rows only.
    const { y: rows, rinv: rinvF } = this.rmsNorm(h, 'model.norm.weight');
    const logits: T2 = tf.matMul(rows, this.tT(head));
    const values = tf.add(tf.matMul(rows, this.tT('value_head.weight')), this.t('value_head.bias')) as T2;
    return { logits, values, cache: { layers, hL: h, rinvF, rows, embed, head } };
  }

  private backwardTensors(batch: Batch, cache: ForwardCache, dLogits: T2, dValues: T2 | undefined): Map<string, Grad> {
    const grads = new Map<string, Grad>();
    const { batch: B, seq: T } = batch;
    const { dim: D } = this.config;
    const N = B * T;

    let dRows = tf.matMul(dLogits, this.t(cache.head) as T2);
    if (this.trainable.has(cache.head)) grads.set(cache.head, tf.matMul(tf.transpose(dLogits), cache.rows));
    if (dValues) {
      dRows = tf.add(dRows, tf.matMul(dValues, this.t('value_head.weight') as T2));
      if (this.trainable.has('value_head.weight')) grads.set('value_head.weight', tf.matMul(tf.transpose(dValues), cache.rows));
      if (this.trainable.has('value_head.bias')) grads.set('value_head.bias', tf.sum(dValues, 0));
    }
    let dh_ = this.rmsNormBack(cache.hL, cache.rinvF, 'model.norm.weight', dRows as T2, grads);

    // Below the lowest trained parameter no input gradient is needed.
    const embedTrained = this.trainable.has(cache.embed);
    let lowest = this.config.layers;
    for (const name of this.trainable) {
      const match = /model\.layers\.(\d+)\./.exec(name);
      if (match) lowest = Math.min(lowest, Number(match[1]));
      else if (!name.endsWith('lm_head.weight') && !name.startsWith('value_head.') && name !== 'model.norm.weight') lowest = 0;
    }
    if (embedTrained) lowest = -1;
    for (let l = this.config.layers - 1; l >= 0 && l >= lowest; l--) {
      const c = cache.layers[l] as LayerCache;
      const pre = `model.layers.${l}`;
      // MLP: h2 = h1 + down(silu(gate(n2)) * up(n2))
      const dm = this.linearBack(c.down, l, GROUPS.down, dh_, grads) as T2;
      const db = tf.mul(dm, tf.mul(c.a, c.s)) as T2;
      const dsilu = tf.mul(c.s, tf.add(1, tf.mul(c.a, tf.sub(1, c.s))));
      const da = tf.mul(tf.mul(dm, c.b), dsilu) as T2;
      const dn2 = tf.add(
        this.linearBack(c.gate, l, GROUPS.gate, da, grads) as T2,
        this.linearBack(c.up, l, GROUPS.up, db, grads) as T2,
      ) as T2;
      const dh1 = tf.add(dh_, this.rmsNormBack(c.h1, c.rinv2, `${pre}.post_attention_layernorm.weight`, dn2, grads)) as T2;
      // Attention: h1 = h0 + o(attn(q, k, v))
      const dctx = this.linearBack(c.o, l, GROUPS.o, dh1, grads) as T2;
      const dqkv = tf.tensor2d(this.attentionBack(c.attention, dctx.dataSync() as Float32Array, B, T), [N, 3 * D]);
      const needInput = l > lowest || this.trainable.has(`${pre}.input_layernorm.weight`);
      const dn1 = this.linearBack(c.qkv, l, GROUPS.qkv, dqkv, grads, needInput);
      if (!needInput) break;
      // The residual: scatter the query rows' gradient back to every row when the layer ran at some rows only.
      let dres = dh1;
      const queries = c.attention.queries;
      if (queries) {
        const rows = dh1.dataSync();
        const full = new Float32Array(N * D);
        for (let r = 0; r < queries.length; r++) {
          const o = (queries[r] as number) * D;
          for (let j = 0; j < D; j++) full[o + j] = (full[o + j] as number) + (rows[r * D + j] as number);
        }
        dres = tf.tensor2d(full, [N, D]);
      }
      dh_ = tf.add(dres, this.rmsNormBack(c.h0, c.rinv1, `${pre}.input_layernorm.weight`, dn1 as T2, grads)) as T2;
    }
    if (embedTrained) {
      // Scatter-add the rows' gradients into the embedding table (gather has no wasm backward).
      const dx = dh_.dataSync();
      const out = new Float32Array(this.config.vocabSize * D);
      for (let i = 0; i < N; i++) {
        const id = batch.ids[i] as number;
        for (let j = 0; j < D; j++) out[id * D + j] = (out[id * D + j] as number) + (dx[i * D + j] as number);
      }
      grads.set(cache.embed, out);
    }
    return grads;
  }

  /** Logits and values at the batch's positions. */
  forward(batch: Batch, options: ForwardOptions): Outputs {
    // Read back outside `tidy`: it would walk every element of a returned Float32Array.
    const { logits, values } = tf.tidy(() => {
      const { logits, values } = this.forwardTensors(batch, options, false);
      return { logits, values };
    });
    const out = { logits: logits.dataSync() as Float32Array, values: values.dataSync() as Float32Array };
    logits.dispose();
    values.dispose();
    return out;
  }

  /**
   * One forward and backward pass: `lossFn` sees the outputs and returns the loss and its gradient
   * with respect to them; returns the loss, the outputs and the gradient of every trainable
   * parameter (as Float32Arrays in the parameter's layout).
   */
  gradients(
    batch: Batch,
    options: ForwardOptions,
    lossFn: (outputs: Outputs) => LossAndGrad,
  ): { loss: number; outputs: Outputs; grads: Map<string, Float32Array> } {
    let loss = 0;
    let outputs: Outputs = { logits: new Float32Array(0), values: new Float32Array(0) };
    const grads = new Map<string, Float32Array>();
    tf.tidy(() => {
      const fwd = this.forwardTensors(batch, options, true);
      outputs = { logits: fwd.logits.dataSync() as Float32Array, values: fwd.values.dataSync() as Float32Array };
      const lg = lossFn(outputs);
      loss = lg.loss;
      const P = batch.positions.length;
      const dLogits = tf.tensor2d(lg.dLogits, [P, this.config.vocabSize]);
      const dValues = lg.dValues ? tf.tensor2d(lg.dValues, [P, 1]) : undefined;
      for (const [name, g] of this.backwardTensors(batch, fwd.cache, dLogits, dValues))
        grads.set(name, g instanceof Float32Array ? g : (g.dataSync() as Float32Array));
    });
    return { loss, outputs, grads };
  }
}

/** A gradient, as a tensor or already read back. */
type Grad = tf.Tensor | Float32Array;

/** [rows, cols] row-major to [cols, rows]. */
function transpose(data: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c] as number;
  return out;
}

export { LORA_TARGETS };

/**
 * Rotary positions on one row of D = heads·dh values: each head's pairs (x_i, x_{i+dh/2}) turn by
 * the angles of position t, (x1, x2) → (x1·c − σ·x2·s, x2·c + σ·x1·s). σ = 1 is the rotation of the
 * forward pass; σ = −1 its transpose (the inverse), which the backward pass applies to gradients.
 */
function rotateRow(
  from: Float32Array,
  fromOffset: number,
  to: Float32Array,
  toOffset: number,
  cos: Float32Array,
  sin: Float32Array,
  t: number,
  heads: number,
  dh: number,
  sign: 1 | -1,
): void {
  const half = dh / 2;
  for (let h = 0; h < heads; h++) {
    const a = fromOffset + h * dh;
    const b = toOffset + h * dh;
    for (let i = 0; i < half; i++) {
      const c = cos[t * half + i] as number;
      const s = sign * (sin[t * half + i] as number);
      const x1 = from[a + i] as number;
      const x2 = from[a + i + half] as number;
      to[b + i] = x1 * c - x2 * s;
      to[b + i + half] = x2 * c + x1 * s;
    }
  }
}
