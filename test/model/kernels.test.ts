import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { assembleKernel, kernelModuleSource } from '../../src/model/kernels/assemble.js';
import {
  type AttentionShape,
  attend,
  attendBack,
  attentionBackReference,
  attentionFallbackReason,
  attentionImplementation,
  attentionReference,
  kernelExp,
} from '../../src/model/kernels/attention.js';

function randoms(rng: Rng, n: number, sd = 1): Float32Array {
  return Float32Array.from({ length: n }, () => rng.normal(0, sd));
}

describe('attention kernel (WebAssembly SIMD)', () => {
  it('loads on Node 20', () => {
    expect(attentionImplementation()).toBe('wasm');
    expect(attentionFallbackReason()).toBeUndefined();
  });

  it('the committed binary is assembled from attention.wat (run scripts/build-kernels.ts after editing it)', async () => {
    const dir = new URL('../../src/model/kernels/', import.meta.url);
    const wat = readFileSync(new URL('attention.wat', dir), 'utf8');
    const expected = kernelModuleSource('attention.wat', await assembleKernel('attention.wat', wat));
    expect(readFileSync(new URL('attention-wasm.ts', dir), 'utf8')).toBe(expected);
  });

  it("computes exp exactly as Math.exp over the softmax's range and at the edges", () => {
    const rng = Rng.seeded(11, 'exp');
    let mismatches = 0;
    const check = (x: number) => {
      if (!Object.is(kernelExp(x), Math.exp(x))) mismatches++;
    };
    for (let i = 0; i < 200_000; i++) {
      check(-rng.next() * 40); // scores minus their maximum
      check(-rng.next() * 800); // down to underflow and subnormal results
      check(rng.next() * 1e-3); // a rounded score just above its maximum
    }
    // Around the thresholds of the argument reduction, and the special values.
    for (const x of [
      0,
      -0,
      -1e-300,
      -(2 ** -28),
      -(2 ** -29),
      -0.34657359027997264,
      -0.3465735902799727,
      -1.0397207708399179,
      -1.03972077083992,
    ])
      for (const y of [x, x * (1 + 1e-15), x * (1 - 1e-15)]) check(y);
    for (const x of [
      -708.4,
      -708.5,
      -709.1,
      -745.13,
      -745.14,
      -746,
      709.7,
      709.8,
      Number.NEGATIVE_INFINITY,
      Number.POSITIVE_INFINITY,
      Number.NaN,
    ])
      check(x);
    expect(mismatches).toBe(0);
  });

  const cases: { name: string; B: number; shape: AttentionShape; queries?: (B: number, T: number) => Int32Array }[] = [
    { name: 'every row, dh 16', B: 3, shape: { T: 11, heads: 4, headDim: 16 } },
    { name: 'every row, dh 2', B: 2, shape: { T: 5, heads: 3, headDim: 2 } },
    {
      name: 'last rows only, dh 32',
      B: 4,
      shape: { T: 9, heads: 2, headDim: 32 },
      queries: (B, T) => Int32Array.from({ length: B }, (_, b) => b * T + T - 1 - b),
    },
    { name: 'one sequence of one token', B: 1, shape: { T: 1, heads: 1, headDim: 6 } },
  ];
  for (const c of cases) {
    it(`matches the JavaScript reference bit for bit: ${c.name}`, () => {
      const rng = Rng.seeded(7, c.name);
      const { T, heads, headDim } = c.shape;
      const n = c.B * T * heads * headDim;
      const q = randoms(rng, n, 2);
      const k = randoms(rng, n, 2);
      const v = randoms(rng, n);
      const queries = c.queries?.(c.B, T);
      for (const keep of [false, true]) {
        const ref = attentionReference({ q, k, v, queries }, c.shape, keep);
        const got = attend({ q, k, v, queries }, c.shape, keep);
        expect(got.ctx).toEqual(ref.ctx);
        expect(got.p).toEqual(ref.p);
      }
      const { p } = attentionReference({ q, k, v, queries }, c.shape, true);
      const rows = queries ? queries.length : c.B * T;
      const dctx = randoms(rng, rows * heads * headDim);
      const ref = attentionBackReference({ q, k, v, queries }, p as Float32Array, dctx, c.shape);
      const got = attendBack({ q, k, v, queries }, p as Float32Array, dctx, c.shape);
      expect(got.dq).toEqual(ref.dq);
      expect(got.dk).toEqual(ref.dk);
      expect(got.dv).toEqual(ref.dv);
      // Not trivially zero: the gradients carry signal.
      expect(got.dq.some((x) => x !== 0) && got.dk.some((x) => x !== 0) && got.dv.some((x) => x !== 0)).toBe(true);
    });
  }

  it('grows its memory for large batches and stays exact', () => {
    const rng = Rng.seeded(3, 'large');
    const shape = { T: 96, heads: 4, headDim: 16 };
    const n = 12 * 96 * 64; // 295 KB per array: beyond the initial 64 KiB page
    const q = randoms(rng, n);
    const k = randoms(rng, n);
    const v = randoms(rng, n);
    const ref = attentionReference({ q, k, v, queries: undefined }, shape, true);
    const got = attend({ q, k, v, queries: undefined }, shape, true);
    expect(got.ctx).toEqual(ref.ctx);
    expect(got.p).toEqual(ref.p);
  });
});
