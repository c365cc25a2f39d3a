/** Small numeric helpers shared by every layer: clamping and rounding for reports and traces. */

/** `x` clamped to [0, 1]; NaN counts as 0. */
export function clamp01(x: number): number {
  if (Number.isNaN(x)) return 0;
  return Math.min(1, Math.max(0, x));
}

/** `x` clamped to [low, high]. */
export function clamp(x: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, x));
}

/** Rounded to 1 decimal. */
export function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

/** Rounded to 2 decimals. */
export function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

/** Rounded to 3 decimals. */
export function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** Rounded to 4 decimals. */
export function round4(x: number): number {
  return Math.round(x * 10000) / 10000;
}

/** Arithmetic mean; 0 for no values. */
export function mean(xs: readonly number[]): number {
  if (xs.length === 0) return 0;
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

/** Arithmetic mean; null for no values. */
export function meanOrNull(xs: readonly number[]): number | null {
  return xs.length > 0 ? mean(xs) : null;
}
