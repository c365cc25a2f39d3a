/**
 * Causal multi-head attention over rotated queries and keys, and its backward pass: the inner
 * loops of `Transformer.attention` / `attentionBack`. Two implementations with bit-identical
 * results: a WebAssembly SIMD kernel (attention.wat, about 3x faster) and the plain JavaScript
 * reference below, used where WebAssembly SIMD is unavailable, and by the tests that hold the
 * kernel to it. The head size is even (rotary positions rotate pairs).
 *
 * Shapes: q, k, v [N, D] with N = B*T rows (row n is position n % T of sequence n / T) and
 * D = H*dh; `queries` picks the query rows (undefined: every row), R of them; ctx [R, D];
 * p [R, H, T] the attention probabilities (zero beyond the causal limit), kept for the backward
 * pass when `keep`.
 */
import { WASM_BASE64 } from './attention-wasm.js';

export interface AttentionShape {
  /** Sequence length. */
  T: number;
  heads: number;
  headDim: number;
}

/** Rotated queries and keys and the values, [N, D] each, and the query rows (undefined: every row). */
export interface AttentionInputs {
  q: Float32Array;
  k: Float32Array;
  v: Float32Array;
  queries: Int32Array | undefined;
}

export interface AttentionOut {
  ctx: Float32Array;
  /** [R, H, T] probabilities; undefined unless `keep`. */
  p: Float32Array | undefined;
}

export interface AttentionGrads {
  dq: Float32Array;
  dk: Float32Array;
  dv: Float32Array;
}

/** Which implementation `attend` / `attendBack` use: the kernel when it loaded, else the reference. */
export function attentionImplementation(): 'wasm' | 'js' {
  return kernel() ? 'wasm' : 'js';
}

/** Why the kernel did not load (undefined when it did): for the run log, since the fallback is slower. */
export function attentionFallbackReason(): string | undefined {
  return kernel() ? undefined : loadError;
}

export function attend(x: AttentionInputs, shape: AttentionShape, keep: boolean): AttentionOut {
  const wasm = kernel();
  return wasm ? wasm.forward(x, shape, keep) : attentionReference(x, shape, keep);
}

export function attendBack(x: AttentionInputs, p: Float32Array, dctx: Float32Array, shape: AttentionShape): AttentionGrads {
  const wasm = kernel();
  return wasm ? wasm.backward(x, p, dctx, shape) : attentionBackReference(x, p, dctx, shape);
}

/** The JavaScript reference of the forward pass. */
export function attentionReference(
  { q, k, v, queries }: AttentionInputs,
  { T, heads: H, headDim: dh }: AttentionShape,
  keep: boolean,
): AttentionOut {
  const D = H * dh;
  const R = queries ? queries.length : q.length / D;
  const scale = 1 / Math.sqrt(dh);
  const ctx = new Float32Array(R * D);
  const p = new Float32Array(keep ? R * H * T : T);
  for (let r = 0; r < R; r++) {
    const n = queries ? (queries[r] as number) : r;
    const t = n % T;
    const first = n - t;
    for (let h = 0; h < H; h++) {
      const po = keep ? (r * H + h) * T : 0;
      const qo = n * D + h * dh;
      let max = Number.NEGATIVE_INFINITY;
      for (let j = 0; j <= t; j++) {
        const ko = (first + j) * D + h * dh;
        // Two accumulators (the head size is even): about 2x faster than one in V8.
        let d0 = 0;
        let d1 = 0;
        for (let d = 0; d < dh; d += 2) {
          d0 += (q[qo + d] as number) * (k[ko + d] as number);
          d1 += (q[qo + d + 1] as number) * (k[ko + d + 1] as number);
        }
        const dot = (d0 + d1) * scale;
        p[po + j] = dot;
        if (dot > max) max = dot;
      }
      let sum = 0;
      for (let j = 0; j <= t; j++) {
        const e = Math.exp((p[po + j] as number) - max);
        p[po + j] = e;
        sum += e;
      }
      const inv = 1 / sum;
      const co = r * D + h * dh;
      for (let j = 0; j <= t; j++) {
        const w = (p[po + j] as number) * inv;
        p[po + j] = w;
        const vo = (first + j) * D + h * dh;
        for (let d = 0; d < dh; d += 2) {
          ctx[co + d] = (ctx[co + d] as number) + w * (v[vo + d] as number);
          ctx[co + d + 1] = (ctx[co + d + 1] as number) + w * (v[vo + d + 1] as number);
        }
      }
    }
  }
  return { ctx, p: keep ? p : undefined };
}

/** The JavaScript reference of the backward pass: d ctx to dq, dk, dv. */
export function attentionBackReference(
  { q, k, v, queries }: AttentionInputs,
  p: Float32Array,
  dctx: Float32Array,
  { T, heads: H, headDim: dh }: AttentionShape,
): AttentionGrads {
  const D = H * dh;
  const N = q.length / D;
  const scale = 1 / Math.sqrt(dh);
  const dq = new Float32Array(N * D);
  const dk = new Float32Array(N * D);
  const dv = new Float32Array(N * D);
  const dp = new Float32Array(T);
  const R = queries ? queries.length : N;
  for (let r = 0; r < R; r++) {
    const n = queries ? (queries[r] as number) : r;
    const t = n % T;
    const first = n - t;
    for (let h = 0; h < H; h++) {
      const po = (r * H + h) * T;
      const go = r * D + h * dh;
      const qo = n * D + h * dh;
      let rowDot = 0;
      for (let j = 0; j <= t; j++) {
        const vo = (first + j) * D + h * dh;
        const w = p[po + j] as number;
        let d0 = 0;
        let d1 = 0;
        for (let d = 0; d < dh; d += 2) {
          const g0 = dctx[go + d] as number;
          const g1 = dctx[go + d + 1] as number;
          d0 += g0 * (v[vo + d] as number);
          d1 += g1 * (v[vo + d + 1] as number);
          dv[vo + d] = (dv[vo + d] as number) + w * g0;
          dv[vo + d + 1] = (dv[vo + d + 1] as number) + w * g1;
        }
        const dot = d0 + d1;
        dp[j] = dot;
        rowDot += w * dot;
      }
      for (let j = 0; j <= t; j++) {
        const ds = (p[po + j] as number) * ((dp[j] as number) - rowDot) * scale;
        const ko = (first + j) * D + h * dh;
        for (let d = 0; d < dh; d += 2) {
          dq[qo + d] = (dq[qo + d] as number) + ds * (k[ko + d] as number);
          dq[qo + d + 1] = (dq[qo + d + 1] as number) + ds * (k[ko + d + 1] as number);
          dk[ko + d] = (dk[ko + d] as number) + ds * (q[qo + d] as number);
          dk[ko + d + 1] = (dk[ko + d + 1] as number) + ds * (q[qo + d + 1] as number);
        }
      }
    }
  }
  return { dq, dk, dv };
}

/** The slice of the WebAssembly API used here (the project's type libraries do not declare it). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: Record<string, Record<string, unknown>>) => { exports: unknown };
}

/** The trailing arguments of both entry points: query rows, sequence length, heads, head size, 1/sqrt(head size). */
type KernelDims = [R: number, T: number, H: number, dh: number, scale: number];

/** The module's exports; array arguments are byte addresses in its memory (see attention.wat). */
interface KernelExports {
  memory: WasmMemory;
  forward(
    ...args: [
      q: number,
      k: number,
      v: number,
      ctx: number,
      p: number,
      maxes: number,
      invs: number,
      queries: number,
      hasQueries: number,
      keep: number,
      ...dims: KernelDims,
    ]
  ): void;
  backward(
    ...args: [
      q: number,
      k: number,
      v: number,
      p: number,
      dctx: number,
      dq: number,
      dk: number,
      dv: number,
      dp: number,
      queries: number,
      hasQueries: number,
      ...dims: KernelDims,
    ]
  ): void;
  /** fdlibm's exp (exported for the test that holds it to Math.exp). */
  exp(x: number): number;
}

/** The kernel instance of this thread, with a bump layout of its arrays in the module's memory. */
class AttentionKernel {
  constructor(private readonly exports: KernelExports) {}

  exp(x: number): number {
    return this.exports.exp(x);
  }

  /** Byte offsets for arrays of the given element counts (4 bytes each), 16-byte aligned; grows the memory. */
  private layout<const C extends readonly number[]>(counts: C): { [K in keyof C]: number } {
    const offsets: number[] = [];
    let at = 16;
    for (const c of counts) {
      offsets.push(at);
      at += Math.ceil((c * 4) / 16) * 16;
    }
    const memory = this.exports.memory;
    const missing = at - memory.buffer.byteLength;
    if (missing > 0) memory.grow(Math.ceil(missing / 65536));
    return offsets as { [K in keyof C]: number };
  }

  private f32(offset: number, length: number): Float32Array {
    return new Float32Array(this.exports.memory.buffer, offset, length);
  }

  forward({ q, k, v, queries }: AttentionInputs, shape: AttentionShape, keep: boolean): AttentionOut {
    const { T, heads: H, headDim: dh } = shape;
    const D = H * dh;
    const N = q.length / D;
    const R = queries ? queries.length : N;
    const pLength = keep ? R * H * T : H * T;
    const [qa, ka, va, ca, pa, xa, ma, ia] = this.layout([N * D, N * D, N * D, R * D, pLength, R, 2 * H, 2 * H]);
    this.f32(qa, N * D).set(q);
    this.f32(ka, N * D).set(k);
    this.f32(va, N * D).set(v);
    this.f32(ca, R * D).fill(0);
    if (keep) this.f32(pa, pLength).fill(0); // beyond each row's causal limit stays zero
    if (queries) new Int32Array(this.exports.memory.buffer, xa, R).set(queries);
    this.exports.forward(qa, ka, va, ca, pa, ma, ia, xa, queries ? 1 : 0, keep ? 1 : 0, R, T, H, dh, 1 / Math.sqrt(dh));
    return { ctx: this.f32(ca, R * D).slice(), p: keep ? this.f32(pa, pLength).slice() : undefined };
  }

  backward({ q, k, v, queries }: AttentionInputs, p: Float32Array, dctx: Float32Array, shape: AttentionShape): AttentionGrads {
    const { T, heads: H, headDim: dh } = shape;
    const D = H * dh;
    const N = q.length / D;
    const R = queries ? queries.length : N;
    const [qa, ka, va, pa, ga, dqa, dka, dva, dpa, xa] = this.layout([N * D, N * D, N * D, R * H * T, R * D, N * D, N * D, N * D, T, R]);
    this.f32(qa, N * D).set(q);
    this.f32(ka, N * D).set(k);
    this.f32(va, N * D).set(v);
    this.f32(pa, R * H * T).set(p);
    this.f32(ga, R * D).set(dctx);
    for (const at of [dqa, dka, dva]) this.f32(at, N * D).fill(0);
    if (queries) new Int32Array(this.exports.memory.buffer, xa, R).set(queries);
    this.exports.backward(qa, ka, va, pa, ga, dqa, dka, dva, dpa, xa, queries ? 1 : 0, R, T, H, dh, 1 / Math.sqrt(dh));
    return { dq: this.f32(dqa, N * D).slice(), dk: this.f32(dka, N * D).slice(), dv: this.f32(dva, N * D).slice() };
  }
}

let loaded: AttentionKernel | null | undefined;
let loadError: string | undefined;

/** The kernel's exp (fdlibm's algorithm, as V8's Math.exp); undefined where the kernel did not load. */
export function kernelExp(x: number): number | undefined {
  return kernel()?.exp(x);
}

/** This thread's kernel, instantiated on first use; null where WebAssembly SIMD is unavailable. */
function kernel(): AttentionKernel | null {
  if (loaded === undefined) {
    try {
      const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
      const module = new wasm.Module(Buffer.from(WASM_BASE64, 'base64'));
      const instance = new wasm.Instance(module, {});
      loaded = new AttentionKernel(instance.exports as unknown as KernelExports);
    } catch (e) {
      loaded = null;
      loadError = e instanceof Error ? e.message : String(e);
    }
  }
  return loaded;
}
