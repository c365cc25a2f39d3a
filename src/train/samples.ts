/**
 * Decision samples and the batched forward/backward over them, shared by PPO, GRPO and
 * pretraining. A decision's sequence is its context followed by its generated tokens but the
 * last; the model's output at context end − 1 + j predicts token j, and the value is read at the
 * first of those positions. Forced tokens (one allowed choice) carry no gradient and are skipped.
 */
import type { Transformer } from '../model/transformer.js';
import type { AdamW, StepReport } from './optimizer.js';
import { type TokenStats, type TokenTarget, tokenLogitGrads, tokenStats } from './token-loss.js';

export interface DecisionSample {
  context: readonly number[];
  tokens: readonly number[];
  allowed: readonly (readonly number[])[];
  /** Log-probabilities when sampled (behavior policy), per token. */
  oldLogp: readonly number[];
  /** Reference (base model) log-probabilities per token, for the KL penalty. */
  refLogp?: readonly number[];
  /** Value estimate when sampled. */
  oldValue: number;
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
