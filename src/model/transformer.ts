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
 */
import * as tf from '@tensorflow/tfjs-core';
import { headDim, type ModelConfig } from './config.js';
import { LORA_TARGETS, type LoraConfig, type LoraTarget, linearName, loraAName, loraBName, type Param } from './params.js';

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

interface LinearCache {
  x: T2;
  xa?: T2;
}

interface LayerCache {
  h0: T2;
  rinv1: T2;
  n1: T2;
  q: LinearCache;
  k: LinearCache;
  v: LinearCache;
  qh: tf.Tensor3D;
  kh: tf.Tensor3D;
  vh: tf.Tensor3D;
  p: tf.Tensor3D;
  o: LinearCache;
  h1: T2;
  rinv2: T2;
  n2: T2;
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
  selT: T2;
  cos: tf.Tensor4D;
  sin: tf.Tensor4D;
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
  private readonly loraTargets = new Set<LoraTarget>();

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

  /** Drops uploaded copies (all, or of the named parameters) after the masters changed. */
  invalidate(names?: Iterable<string>): void {
    if (!names) {
      for (const t of this.uploaded.values()) t.dispose();
      this.uploaded.clear();
      return;
    }
    for (const name of names) {
      for (const key of [name, `${name}#T`]) {
        this.uploaded.get(key)?.dispose();
        this.uploaded.delete(key);
      }
    }
  }

  dispose(): void {
    this.invalidate();
  }

  /** A parameter as a tensor, in its stored layout. */
  private t(name: string): tf.Tensor {
    let t = this.uploaded.get(name);
    if (!t) {
      const p = this.param(name);
      t = tf.keep(tf.tensor(p.data, [...p.shape]));
      this.uploaded.set(name, t);
    }
    return t;
  }

  /** A 2-D parameter, transposed (the layout a forward matmul wants: no transpose flags). */
  private tT(name: string): T2 {
    const key = `${name}#T`;
    let t = this.uploaded.get(key) as T2 | undefined;
    if (!t) {
      const p = this.param(name);
      const [rows, cols] = p.shape as [number, number];
      const out = new Float32Array(p.data.length);
      for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = p.data[r * cols + c] as number;
      t = tf.keep(tf.tensor2d(out, [cols, rows]));
      this.uploaded.set(key, t);
    }
    return t;
  }

  private ropeTables(seq: number): { cos: tf.Tensor4D; sin: tf.Tensor4D } {
    const dh = headDim(this.config);
    const half = dh / 2;
    const cos = new Float32Array(seq * dh);
    const sin = new Float32Array(seq * dh);
    for (let pos = 0; pos < seq; pos++) {
      for (let i = 0; i < half; i++) {
        const angle = pos / this.config.ropeTheta ** ((2 * i) / dh);
        const c = Math.cos(angle);
        const s = Math.sin(angle);
        cos[pos * dh + i] = c;
        cos[pos * dh + i + half] = c;
        sin[pos * dh + i] = s;
        sin[pos * dh + i + half] = s;
      }
    }
    return { cos: tf.tensor4d(cos, [1, seq, 1, dh]), sin: tf.tensor4d(sin, [1, seq, 1, dh]) };
  }

  /** x * cos + rotate_half(x) * sin, with rotate_half(x) = [-x2, x1] (the transformers convention). */
  private rope(x: tf.Tensor4D, cos: tf.Tensor4D, sin: tf.Tensor4D): tf.Tensor4D {
    const half = headDim(this.config) / 2;
    const [x1, x2] = tf.split(x, [half, half], 3);
    const rotated = tf.concat([tf.neg(x2 as tf.Tensor4D), x1 as tf.Tensor4D], 3);
    return tf.add(tf.mul(x, cos), tf.mul(rotated, sin));
  }

  /** The transpose of `rope`: dy * cos + rotate_half^T(dy * sin), rotate_half^T(z) = [z2, -z1]. */
  private ropeBack(dy: tf.Tensor4D, cos: tf.Tensor4D, sin: tf.Tensor4D): tf.Tensor4D {
    const half = headDim(this.config) / 2;
    const zs = tf.mul(dy, sin) as tf.Tensor4D;
    const [z1, z2] = tf.split(zs, [half, half], 3);
    return tf.add(tf.mul(dy, cos), tf.concat([z2 as tf.Tensor4D, tf.neg(z1 as tf.Tensor4D)], 3));
  }

  private rmsNorm(x: T2, gain: string): { y: T2; rinv: T2 } {
    const rinv = tf.rsqrt(tf.add(tf.mean(tf.square(x), 1, true), this.config.normEps)) as T2;
    return { y: tf.mul(tf.mul(x, rinv), this.t(gain)) as T2, rinv };
  }

  private rmsNormBack(x: T2, rinv: T2, gain: string, dy: T2, grads: Map<string, tf.Tensor>): T2 {
    const g = this.t(gain);
    if (this.trainable.has(gain)) grads.set(gain, tf.sum(tf.mul(dy, tf.mul(x, rinv)), 0));
    const dyg = tf.mul(dy, g);
    const r3 = tf.mul(tf.mul(rinv, rinv), rinv);
    return tf.sub(tf.mul(rinv, dyg), tf.mul(tf.mul(x, r3), tf.mean(tf.mul(dyg, x), 1, true))) as T2;
  }

  private useLora(target: LoraTarget, options: ForwardOptions): boolean {
    return options.lora && this.lora !== undefined && this.loraTargets.has(target);
  }

  private linear(x: T2, layer: number, target: LoraTarget, options: ForwardOptions): { y: T2; cache: LinearCache } {
    const name = linearName(layer, target);
    let y: T2 = tf.matMul(x, this.tT(`${name}.weight`));
    if (!this.useLora(target, options)) return { y, cache: { x } };
    const lora = this.lora as { config: LoraConfig };
    const scale = lora.config.alpha / lora.config.rank;
    const xa: T2 = tf.matMul(x, this.tT(loraAName(layer, target)));
    y = tf.add(y, tf.mul(tf.matMul(xa, this.tT(loraBName(layer, target))), scale)) as T2;
    return { y, cache: { x, xa } };
  }

  private linearBack(cache: LinearCache, layer: number, target: LoraTarget, dy: T2, grads: Map<string, tf.Tensor>): T2 {
    const name = `${linearName(layer, target)}.weight`;
    let dx: T2 = tf.matMul(dy, this.t(name) as T2);
    const dyT = this.trainable.has(name) || cache.xa ? tf.transpose(dy) : undefined;
    if (this.trainable.has(name)) grads.set(name, tf.matMul(dyT as T2, cache.x));
    if (cache.xa) {
      const lora = this.lora as { config: LoraConfig };
      const scale = lora.config.alpha / lora.config.rank;
      const aName = loraAName(layer, target);
      const bName = loraBName(layer, target);
      const dxa = tf.mul(tf.matMul(dy, this.t(bName) as T2), scale) as T2;
      dx = tf.add(dx, tf.matMul(dxa, this.t(aName) as T2)) as T2;
      if (this.trainable.has(aName)) grads.set(aName, tf.matMul(tf.transpose(dxa), cache.x));
      if (this.trainable.has(bName)) grads.set(bName, tf.mul(tf.matMul(dyT as T2, cache.xa), scale));
    }
    return dx;
  }

  /** Forward pass; call inside `tf.tidy`. */
  private forwardTensors(batch: Batch, options: ForwardOptions): { logits: T2; values: T2; cache: ForwardCache } {
    const { batch: B, seq: T } = batch;
    const { dim: D, heads: H } = this.config;
    const dh = headDim(this.config);
    if (T > this.config.maxSeq) throw new Error(`sequence length ${T} exceeds the model's maxSeq ${this.config.maxSeq}`);
    const N = B * T;
    const { cos, sin } = this.ropeTables(T);
    const maskData = new Float32Array(T * T);
    for (let i = 0; i < T; i++) for (let j = i + 1; j < T; j++) maskData[i * T + j] = -1e9;
    const mask = tf.tensor3d(maskData, [1, T, T]);
    const scale = 1 / Math.sqrt(dh);

    let h = tf.gather(this.t('model.embed_tokens.weight') as T2, tf.tensor1d(batch.ids, 'int32')) as T2;
    const layers: LayerCache[] = [];
    const toHeads = (x: T2): tf.Tensor4D => tf.reshape(x, [B, T, H, dh]);
    const headsFirst = (x: tf.Tensor4D): tf.Tensor3D => tf.reshape(tf.transpose(x, [0, 2, 1, 3]), [B * H, T, dh]);
    for (let l = 0; l < this.config.layers; l++) {
      const pre = `model.layers.${l}`;
      const h0 = h;
      const { y: n1, rinv: rinv1 } = this.rmsNorm(h0, `${pre}.input_layernorm.weight`);
      const q = this.linear(n1, l, 'q_proj', options);
      const k = this.linear(n1, l, 'k_proj', options);
      const v = this.linear(n1, l, 'v_proj', options);
      const qh = headsFirst(this.rope(toHeads(q.y), cos, sin));
      const kh = headsFirst(this.rope(toHeads(k.y), cos, sin));
      const vh = headsFirst(toHeads(v.y));
      const scores = tf.add(tf.mul(tf.matMul(qh, tf.transpose(kh, [0, 2, 1])), scale), mask);
      const p = tf.softmax(scores) as tf.Tensor3D;
      const ctxh = tf.matMul(p, vh);
      const ctx = tf.reshape(tf.transpose(tf.reshape(ctxh, [B, H, T, dh]), [0, 2, 1, 3]), [N, D]) as T2;
      const o = this.linear(ctx, l, 'o_proj', options);
      const h1 = tf.add(h0, o.y) as T2;
      const { y: n2, rinv: rinv2 } = this.rmsNorm(h1, `${pre}.post_attention_layernorm.weight`);
      const gate = this.linear(n2, l, 'gate_proj', options);
      const up = this.linear(n2, l, 'up_proj', options);
      const s = tf.sigmoid(gate.y) as T2;
      const m = tf.mul(tf.mul(gate.y, s), up.y) as T2;
      const down = this.linear(m, l, 'down_proj', options);
      h = tf.add(h1, down.y) as T2;
      layers.push({
        h0,
        rinv1,
        n1,
        q: q.cache,
        k: k.cache,
        v: v.cache,
        qh,
        kh,
        vh,
        p,
        o: o.cache,
        h1,
        rinv2,
        n2,
        gate: gate.cache,
        up: up.cache,
        a: gate.y,
        s,
        b: up.y,
        down: down.cache,
      });
    }
    const { y: nf, rinv: rinvF } = this.rmsNorm(h, 'model.norm.weight');
    const P = batch.positions.length;
    const sel = new Float32Array(N * P);
    for (let i = 0; i < P; i++) sel[(batch.positions[i] as number) * P + i] = 1;
    const selT = tf.tensor2d(sel, [N, P]);
    const rows = tf.gather(nf, tf.tensor1d(batch.positions, 'int32')) as T2;
    const logits: T2 = tf.matMul(rows, this.tT('lm_head.weight'));
    const values = tf.add(tf.matMul(rows, this.tT('value_head.weight')), this.t('value_head.bias')) as T2;
    return { logits, values, cache: { layers, hL: h, rinvF, rows, selT, cos, sin } };
  }

  private backwardTensors(batch: Batch, cache: ForwardCache, dLogits: T2, dValues: T2 | undefined): Map<string, tf.Tensor> {
    const grads = new Map<string, tf.Tensor>();
    const { batch: B, seq: T } = batch;
    const { dim: D, heads: H } = this.config;
    const dh = headDim(this.config);
    const N = B * T;
    const scale = 1 / Math.sqrt(dh);

    let dRows = tf.matMul(dLogits, this.t('lm_head.weight') as T2);
    if (this.trainable.has('lm_head.weight')) grads.set('lm_head.weight', tf.matMul(tf.transpose(dLogits), cache.rows));
    if (dValues) {
      dRows = tf.add(dRows, tf.matMul(dValues, this.t('value_head.weight') as T2));
      if (this.trainable.has('value_head.weight')) grads.set('value_head.weight', tf.matMul(tf.transpose(dValues), cache.rows));
      if (this.trainable.has('value_head.bias')) grads.set('value_head.bias', tf.sum(dValues, 0));
    }
    const dnf = tf.matMul(cache.selT, dRows) as T2;
    let dh_ = this.rmsNormBack(cache.hL, cache.rinvF, 'model.norm.weight', dnf, grads);

    const fromHeads = (x: tf.Tensor3D): tf.Tensor4D => tf.transpose(tf.reshape(x, [B, H, T, dh]), [0, 2, 1, 3]);
    const headsFirst = (x: tf.Tensor4D): tf.Tensor3D => tf.reshape(tf.transpose(x, [0, 2, 1, 3]), [B * H, T, dh]);
    for (let l = this.config.layers - 1; l >= 0; l--) {
      const c = cache.layers[l] as LayerCache;
      const pre = `model.layers.${l}`;
      // MLP: h2 = h1 + down(silu(gate(n2)) * up(n2))
      const dm = this.linearBack(c.down, l, 'down_proj', dh_, grads);
      const db = tf.mul(dm, tf.mul(c.a, c.s)) as T2;
      const dsilu = tf.mul(c.s, tf.add(1, tf.mul(c.a, tf.sub(1, c.s))));
      const da = tf.mul(tf.mul(dm, c.b), dsilu) as T2;
      const dn2 = tf.add(this.linearBack(c.gate, l, 'gate_proj', da, grads), this.linearBack(c.up, l, 'up_proj', db, grads)) as T2;
      const dh1 = tf.add(dh_, this.rmsNormBack(c.h1, c.rinv2, `${pre}.post_attention_layernorm.weight`, dn2, grads)) as T2;
      // Attention: h1 = h0 + o(attn(q, k, v))
      const dctx = this.linearBack(c.o, l, 'o_proj', dh1, grads);
      const dctxh = headsFirst(tf.reshape(dctx, [B, T, H, dh]));
      const dp = tf.matMul(dctxh, tf.transpose(c.vh, [0, 2, 1]));
      const dvh: tf.Tensor3D = tf.matMul(tf.transpose(c.p, [0, 2, 1]), dctxh);
      const ds = tf.mul(c.p, tf.sub(dp, tf.sum(tf.mul(dp, c.p), 2, true))) as tf.Tensor3D;
      const dqh = tf.mul(tf.matMul(ds, c.kh), scale) as tf.Tensor3D;
      const dkh = tf.mul(tf.matMul(tf.transpose(ds, [0, 2, 1]), c.qh), scale) as tf.Tensor3D;
      const dq = tf.reshape(this.ropeBack(fromHeads(dqh), cache.cos, cache.sin), [N, D]) as T2;
      const dk = tf.reshape(this.ropeBack(fromHeads(dkh), cache.cos, cache.sin), [N, D]) as T2;
      const dv = tf.reshape(fromHeads(dvh), [N, D]) as T2;
      const dn1 = tf.add(
        tf.add(this.linearBack(c.q, l, 'q_proj', dq, grads), this.linearBack(c.k, l, 'k_proj', dk, grads)),
        this.linearBack(c.v, l, 'v_proj', dv, grads),
      ) as T2;
      dh_ = tf.add(dh1, this.rmsNormBack(c.h0, c.rinv1, `${pre}.input_layernorm.weight`, dn1, grads)) as T2;
    }
    if (this.trainable.has('model.embed_tokens.weight')) {
      // Scatter-add the rows' gradients into the embedding table (gather has no wasm backward).
      const dx = dh_.dataSync();
      const out = new Float32Array(this.config.vocabSize * D);
      for (let i = 0; i < N; i++) {
        const id = batch.ids[i] as number;
        for (let j = 0; j < D; j++) out[id * D + j] = (out[id * D + j] as number) + (dx[i * D + j] as number);
      }
      grads.set('model.embed_tokens.weight', tf.tensor2d(out, [this.config.vocabSize, D]));
    }
    return grads;
  }

  /** Logits and values at the batch's positions. */
  forward(batch: Batch, options: ForwardOptions): Outputs {
    return tf.tidy(() => {
      const { logits, values } = this.forwardTensors(batch, options);
      return { logits: logits.dataSync() as Float32Array, values: values.dataSync() as Float32Array };
    });
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
      const fwd = this.forwardTensors(batch, options);
      outputs = { logits: fwd.logits.dataSync() as Float32Array, values: fwd.values.dataSync() as Float32Array };
      const lg = lossFn(outputs);
      loss = lg.loss;
      const P = batch.positions.length;
      const dLogits = tf.tensor2d(lg.dLogits, [P, this.config.vocabSize]);
      const dValues = lg.dValues ? tf.tensor2d(lg.dValues, [P, 1]) : undefined;
      for (const [name, g] of this.backwardTensors(batch, fwd.cache, dLogits, dValues)) grads.set(name, g.dataSync() as Float32Array);
    });
    return { loss, outputs, grads };
  }
}

export { LORA_TARGETS };
