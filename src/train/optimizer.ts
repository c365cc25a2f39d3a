/**
 * AdamW over named Float32Array parameters, with global-norm gradient clipping and a guard that
 * skips an update whose gradients are not finite. Its state (moments and step) serializes to
 * plain arrays for checkpoints.
 */
import type { Param } from '../model/params.js';

export interface AdamWOptions {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  /** Clip the global gradient norm to this value (0: no clipping). */
  maxGradNorm: number;
}

export interface StepReport {
  applied: boolean;
  gradNorm: number;
  /** Why the update was skipped (non-finite gradients). */
  skipped?: string;
}

/** Adam's usual settings, used where the options leave one out: β = (0.9, 0.999), ε = 1e-8, no weight decay, clipping at norm 1. */
const ADAMW_DEFAULTS: Omit<AdamWOptions, 'lr'> = { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, maxGradNorm: 1 };

export class AdamW {
  step = 0;
  readonly m = new Map<string, Float32Array>();
  readonly v = new Map<string, Float32Array>();
  readonly options: AdamWOptions;

  constructor(options: Pick<AdamWOptions, 'lr'> & Partial<AdamWOptions>) {
    this.options = { ...ADAMW_DEFAULTS, ...options };
  }

  /** Applies one update in place; `lr` overrides the configured rate (schedules). */
  update(params: ReadonlyMap<string, Param>, grads: ReadonlyMap<string, Float32Array>, lr = this.options.lr): StepReport {
    let sq = 0;
    for (const [name, g] of grads) {
      for (const x of g) sq += x * x;
      if (!params.has(name)) throw new Error(`gradient for unknown parameter ${name}`);
    }
    const norm = Math.sqrt(sq);
    if (!Number.isFinite(norm)) return { applied: false, gradNorm: norm, skipped: 'non-finite gradient' };
    const clip = this.options.maxGradNorm > 0 && norm > this.options.maxGradNorm ? this.options.maxGradNorm / norm : 1;
    this.step++;
    const { beta1, beta2, eps, weightDecay } = this.options;
    const c1 = 1 - beta1 ** this.step;
    const c2 = 1 - beta2 ** this.step;
    for (const [name, g] of grads) {
      const p = params.get(name) as Param;
      let m = this.m.get(name);
      let v = this.v.get(name);
      if (!m || !v) {
        m = new Float32Array(g.length);
        v = new Float32Array(g.length);
        this.m.set(name, m);
        this.v.set(name, v);
      }
      const w = p.data;
      for (let i = 0; i < g.length; i++) {
        const gi = (g[i] as number) * clip;
        const mi = beta1 * (m[i] as number) + (1 - beta1) * gi;
        const vi = beta2 * (v[i] as number) + (1 - beta2) * gi * gi;
        m[i] = mi;
        v[i] = vi;
        w[i] = (w[i] as number) - lr * (mi / c1 / (Math.sqrt(vi / c2) + eps) + weightDecay * (w[i] as number));
      }
    }
    return { applied: true, gradNorm: norm };
  }
}
