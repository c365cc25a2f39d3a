/**
 * Decision samples and the batched forward/backward over them, shared by PPO, GRPO and
 * pretraining. A decision's sequence is its context followed by its generated tokens but the
 * last; the model's output at context end − 1 + j predicts token j, and the value is read at the
 * first of those positions. Forced tokens (one allowed choice) carry no gradient and are skipped.
 */

import { maskedLogSoftmax } from '../model/masked-softmax.js';
import type { Transformer } from '../model/transformer.js';
import type { AdamW, StepReport } from './optimizer.js';

// ---------------------------------------------------------------------------------------------
// Token statistics under constrained decoding
// ---------------------------------------------------------------------------------------------

/**
 * Token-level quantities under constrained decoding. Each generated token was chosen among an
 * allowed set; its log-probability is a log-softmax over that set only (the same mask the policy
 * sampled under), and the entropy is that masked distribution's entropy. Gradients with respect
 * to the logits are written out: d logp_target / d z_i = 1[i = target] − p_i and
 * d H / d z_i = −p_i (log p_i + H), both zero outside the allowed set.
 */
export interface TokenTarget {
  /** Row of the logits matrix (the model output position). */
  row: number;
  target: number;
  allowed: readonly number[];
}

export interface TokenStats {
  logp: Float64Array;
  entropy: Float64Array;
  /** Masked probabilities per token, aligned with `allowed`. */
  probs: Float64Array[];
}

export function tokenStats(logits: Float32Array, vocab: number, targets: readonly TokenTarget[]): TokenStats {
  const logp = new Float64Array(targets.length);
  const entropy = new Float64Array(targets.length);
  const probs: Float64Array[] = [];
  targets.forEach((t, k) => {
    const lps = maskedLogSoftmax(logits, t.row * vocab, t.allowed);
    const p = new Float64Array(t.allowed.length);
    let h = 0;
    t.allowed.forEach((id, i) => {
      const lp = lps[i] as number;
      p[i] = Math.exp(lp);
      h -= (p[i] as number) * lp;
      if (id === t.target) logp[k] = lp;
    });
    entropy[k] = h;
    probs.push(p);
  });
  return { logp, entropy, probs };
}

/** d loss / d logits from d loss / d logp and d loss / d entropy per token. */
export function tokenLogitGrads(
  vocab: number,
  rows: number,
  targets: readonly TokenTarget[],
  stats: TokenStats,
  dLogp: ArrayLike<number>,
  dEntropy?: ArrayLike<number>,
): Float32Array {
  const out = new Float32Array(rows * vocab);
  targets.forEach((t, k) => {
    const base = t.row * vocab;
    const p = stats.probs[k] as Float64Array;
    const gl = dLogp[k] as number;
    const ge = dEntropy ? (dEntropy[k] as number) : 0;
    const h = stats.entropy[k] as number;
    t.allowed.forEach((id, i) => {
      const pi = p[i] as number;
      let g = gl * ((id === t.target ? 1 : 0) - pi);
      if (ge !== 0 && pi > 0) g += ge * -pi * (Math.log(pi) + h);
      out[base + id] = (out[base + id] as number) + g;
    });
  });
  return out;
}

// ---------------------------------------------------------------------------------------------
// Decision samples and the batched forward / backward
// ---------------------------------------------------------------------------------------------

export interface DecisionSample {
  context: readonly number[];
  tokens: readonly number[];
  allowed: readonly (readonly number[])[];
  /** Log-probabilities when sampled (behavior policy), per token. */
  oldLogp: readonly number[];
  /** Reference (base model) log-probabilities per token, for the KL penalty. */
  refLogp?: readonly number[];
  advantage: number;
  /** Value target. */
  ret: number;
}

export interface BatchLayout {
  ids: Int32Array;
  seq: number;
  positions: Int32Array;
  /** Trainable token targets (allowed set > 1), with their decision and token index. */
  targets: (TokenTarget & { decision: number; token: number })[];
  /** Output row of each decision's value. */
  valueRows: number[];
}

export function layoutBatch(samples: readonly DecisionSample[], pad: number): BatchLayout {
  const seq = Math.max(1, ...samples.map((s) => s.context.length + s.tokens.length - 1));
  const ids = new Int32Array(samples.length * seq).fill(pad);
  const positions: number[] = [];
  const targets: BatchLayout['targets'] = [];
  const valueRows: number[] = [];
  samples.forEach((s, b) => {
    const full = [...s.context, ...s.tokens.slice(0, -1)];
    ids.set(full, b * seq);
    s.tokens.forEach((token, j) => {
      const allowed = s.allowed[j] as readonly number[];
      if (j > 0 && allowed.length < 2) return;
      const row = positions.length;
      positions.push(b * seq + s.context.length - 1 + j);
      if (j === 0) valueRows.push(row);
      if (allowed.length > 1) targets.push({ row, target: token, allowed, decision: b, token: j });
    });
  });
  return { ids, seq, positions: Int32Array.from(positions), targets, valueRows };
}

/** Per-token log-probabilities (and values) of samples under the model, without gradients. */
export function evaluateSamples(
  model: Transformer,
  samples: readonly DecisionSample[],
  options: { lora: boolean; pad: number; batchSize?: number },
): { logp: number[][]; values: number[] } {
  const logp: number[][] = samples.map((s) => s.tokens.map(() => 0));
  const values = new Array<number>(samples.length).fill(0);
  const size = options.batchSize ?? 64;
  // Length-sorted chunks pad little; results go back to the samples' own order.
  const order = samples
    .map((_, i) => i)
    .sort((a, b) => {
      const la = (samples[a] as DecisionSample).context.length + (samples[a] as DecisionSample).tokens.length;
      const lb = (samples[b] as DecisionSample).context.length + (samples[b] as DecisionSample).tokens.length;
      return la - lb || a - b;
    });
  for (let start = 0; start < order.length; start += size) {
    const idx = order.slice(start, start + size);
    const chunk = idx.map((i) => samples[i] as DecisionSample);
    const layout = layoutBatch(chunk, options.pad);
    const out = model.forward(
      { ids: layout.ids, batch: chunk.length, seq: layout.seq, positions: layout.positions },
      { lora: options.lora },
    );
    const stats = tokenStats(out.logits, model.config.vocabSize, layout.targets);
    layout.targets.forEach((t, k) => {
      (logp[idx[t.decision] as number] as number[])[t.token] = stats.logp[k] as number;
    });
    layout.valueRows.forEach((row, b) => {
      values[idx[b] as number] = out.values[row] as number;
    });
  }
  return { logp, values };
}

export interface TokenBatchView {
  layout: BatchLayout;
  stats: TokenStats;
  /** Values at each decision's value row. */
  values: Float32Array;
}

/** What a loss returns: its value and its gradients with respect to the token statistics and values. */
export interface LossGradients {
  loss: number;
  dLogp: ArrayLike<number>;
  dEntropy?: ArrayLike<number>;
  dValues?: ArrayLike<number>;
}

/**
 * The gradients of `loss` over samples, without an update: `loss` maps the token statistics and
 * values to the loss and its gradients with respect to each token's log-probability and entropy
 * and each decision's value.
 */
export function sampleGradients(
  model: Transformer,
  samples: readonly DecisionSample[],
  pad: number,
  loss: (view: TokenBatchView) => LossGradients,
): { loss: number; grads: Map<string, Float32Array> } {
  const layout = layoutBatch(samples, pad);
  const V = model.config.vocabSize;
  const { loss: value, grads } = model.gradients(
    { ids: layout.ids, batch: samples.length, seq: layout.seq, positions: layout.positions },
    { lora: model.lora !== undefined },
    (out) => {
      const stats = tokenStats(out.logits, V, layout.targets);
      const values = Float32Array.from(layout.valueRows.map((r) => out.values[r] as number));
      const l = loss({ layout, stats, values });
      const dLogits = tokenLogitGrads(V, layout.positions.length, layout.targets, stats, l.dLogp, l.dEntropy);
      let dValues: Float32Array | undefined;
      if (l.dValues) {
        dValues = new Float32Array(layout.positions.length);
        layout.valueRows.forEach((r, i) => {
          (dValues as Float32Array)[r] = (l.dValues as ArrayLike<number>)[i] as number;
        });
      }
      return dValues ? { loss: l.loss, dLogits, dValues } : { loss: l.loss, dLogits };
    },
  );
  return { loss: value, grads };
}

/** Applies summed gradients with the optimizer; a non-finite loss skips the update. */
export function applyGradients(
  model: Transformer,
  optimizer: AdamW,
  loss: number,
  grads: Map<string, Float32Array>,
  lr: number,
): { loss: number; report: StepReport } {
  if (!Number.isFinite(loss)) return { loss, report: { applied: false, gradNorm: Number.NaN, skipped: 'non-finite loss' } };
  const report = optimizer.update(model.allParams(), grads, lr);
  if (report.applied) model.invalidate(grads.keys());
  return { loss, report };
}

/** One optimizer step on a minibatch (`sampleGradients`, then `applyGradients`). */
export function gradientStep(
  model: Transformer,
  optimizer: AdamW,
  samples: readonly DecisionSample[],
  pad: number,
  lr: number,
  loss: (view: TokenBatchView) => LossGradients,
): { loss: number; report: StepReport } {
  const { loss: value, grads } = sampleGradients(model, samples, pad, loss);
  return applyGradients(model, optimizer, value, grads, lr);
}
