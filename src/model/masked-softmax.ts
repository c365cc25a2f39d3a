/**
 * The log-softmax of constrained decoding: over the allowed token ids of one logits row only, the
 * mask the policy samples under and the trainer recomputes log-probabilities under.
 */

/** Log-softmax over the allowed ids of one logits row (temperature applied). */
export function maskedLogSoftmax(logits: Float32Array, offset: number, allowed: readonly number[], temperature = 1): number[] {
  let max = Number.NEGATIVE_INFINITY;
  for (const id of allowed) max = Math.max(max, (logits[offset + id] as number) / temperature);
  let sum = 0;
  for (const id of allowed) sum += Math.exp((logits[offset + id] as number) / temperature - max);
  const logZ = max + Math.log(sum);
  return allowed.map((id) => (logits[offset + id] as number) / temperature - logZ);
}
