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
    const base = t.row * vocab;
    let max = Number.NEGATIVE_INFINITY;
    for (const id of t.allowed) max = Math.max(max, logits[base + id] as number);
    let sum = 0;
    for (const id of t.allowed) sum += Math.exp((logits[base + id] as number) - max);
    const logZ = max + Math.log(sum);
    const p = new Float64Array(t.allowed.length);
    let h = 0;
    t.allowed.forEach((id, i) => {
      const lp = (logits[base + id] as number) - logZ;
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
