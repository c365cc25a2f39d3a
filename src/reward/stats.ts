/**
 * Small statistics for reward monitoring and evaluation: mean, standard deviation, means and paired
 * differences with 95% intervals, Cohen's d, the population stability index (PSI) and the
 * two-sample Kolmogorov–Smirnov test. Pure functions, no clocks,
 * no randomness. Empty inputs give `NaN` (callers that log turn it into `null`).
 */

/** Arithmetic mean; `NaN` for an empty list. */
export function mean(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/**
 * Standard deviation. `sample: true` (the default) divides by n − 1, like `personaOutcomes`;
 * `sample: false` gives the population value. `NaN` for an empty list, 0 for a single value.
 */
export function std(values: readonly number[], options: { sample?: boolean } = {}): number {
  if (values.length === 0) return Number.NaN;
  const m = mean(values);
  let squares = 0;
  for (const v of values) squares += (v - m) ** 2;
  const denominator = options.sample === false ? values.length : Math.max(1, values.length - 1);
  return Math.sqrt(squares / denominator);
}

/** A mean with its standard error and 95% interval (normal approximation). */
export interface MeanInterval {
  n: number;
  mean: number;
  /** Sample standard deviation / √n; 0 for a single value. */
  standardError: number;
  low: number;
  high: number;
}

/** z of a two-sided 95% normal interval. */
const Z95 = 1.959964;

/** Mean, standard error and 95% interval of `values`; `NaN` fields for an empty list. */
export function meanInterval(values: readonly number[]): MeanInterval {
  const m = mean(values);
  const se = values.length === 0 ? Number.NaN : std(values) / Math.sqrt(values.length);
  return { n: values.length, mean: m, standardError: se, low: m - Z95 * se, high: m + Z95 * se };
}

/**
 * The mean of the per-pair differences a_i − b_i with its standard error and 95% interval: two
 * policies compared on the same seeds, where the scenario's own difficulty cancels out.
 */
export function pairedDifference(a: readonly number[], b: readonly number[]): MeanInterval {
  if (a.length !== b.length) throw new RangeError(`pairedDifference needs paired values, got ${a.length} and ${b.length}`);
  return meanInterval(a.map((x, i) => x - (b[i] as number)));
}

/** Pearson correlation of paired values; `NaN` with fewer than two pairs or a constant side. */
export function pearson(x: readonly number[], y: readonly number[]): number {
  if (x.length !== y.length) throw new RangeError(`pearson needs paired values, got ${x.length} and ${y.length}`);
  if (x.length < 2) return Number.NaN;
  const mx = mean(x);
  const my = mean(y);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < x.length; i++) {
    const dx = (x[i] as number) - mx;
    const dy = (y[i] as number) - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return Number.NaN;
  return sxy / Math.sqrt(sxx * syy);
}

/** Mean absolute difference of paired values; `NaN` when empty. */
export function meanAbsoluteDifference(x: readonly number[], y: readonly number[]): number {
  if (x.length !== y.length) throw new RangeError(`meanAbsoluteDifference needs paired values, got ${x.length} and ${y.length}`);
  if (x.length === 0) return Number.NaN;
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += Math.abs((x[i] as number) - (y[i] as number));
  return sum / x.length;
}

// ---------------------------------------------------------------------------------------------
// Population stability index
// ---------------------------------------------------------------------------------------------

export interface PsiOptions {
  /** Number of equal-width bins on [0, 1]. Default 10. */
  bins?: number;
  /** Proportion used in place of an empty bin, so the logarithm stays finite. Default 1e-4. */
  epsilon?: number;
}

/**
 * Proportion of values in each of `bins` equal-width bins on [0, 1]. Values outside [0, 1] are
 * clamped into the first or last bin; 1 falls in the last bin.
 */
export function binProportions(values: readonly number[], bins = 10): number[] {
  const counts = new Array<number>(bins).fill(0);
  for (const v of values) {
    const index = Math.min(bins - 1, Math.max(0, Math.floor(v * bins)));
    counts[index] = (counts[index] as number) + 1;
  }
  return counts.map((c) => (values.length === 0 ? 0 : c / values.length));
}

/**
 * Population stability index of `current` against `reference`, over fixed bins on [0, 1]:
 * PSI = Σ (q_i − p_i) · ln(q_i / p_i), with p the reference and q the current proportions and
 * empty bins replaced by `epsilon`. Rule of thumb: < 0.1 stable, 0.1–0.2 moderate, > 0.2 shift.
 * `NaN` when either side is empty.
 */
export function psi(reference: readonly number[], current: readonly number[], options: PsiOptions = {}): number {
  const bins = options.bins ?? 10;
  const epsilon = options.epsilon ?? 1e-4;
  if (!Number.isInteger(bins) || bins < 1) throw new RangeError(`psi needs a positive integer number of bins, got ${bins}`);
  if (reference.length === 0 || current.length === 0) return Number.NaN;
  const p = binProportions(reference, bins);
  const q = binProportions(current, bins);
  let total = 0;
  for (let i = 0; i < bins; i++) {
    const pi = Math.max(p[i] as number, epsilon);
    const qi = Math.max(q[i] as number, epsilon);
    total += (qi - pi) * Math.log(qi / pi);
  }
  return total;
}

// ---------------------------------------------------------------------------------------------
// Two-sample Kolmogorov–Smirnov
// ---------------------------------------------------------------------------------------------

export interface KsResult {
  /** D = sup_x |F_a(x) − F_b(x)|, in [0, 1]. */
  statistic: number;
  /** Asymptotic p-value of D under "same distribution" (Kolmogorov distribution). */
  pValue: number;
  /** Effective sample size n·m / (n + m). */
  effectiveN: number;
}

/**
 * Two-sample KS statistic with the asymptotic p-value Q_KS(λ), λ = (√nₑ + 0.12 + 0.11/√nₑ) · D
 * (Stephens' small-sample correction, as in Numerical Recipes `kstwo`). Ties are handled by
 * stepping both empirical CDFs past equal values together. `NaN`s when either side is empty.
 */
export function ksTwoSample(a: readonly number[], b: readonly number[]): KsResult {
  const n = a.length;
  const m = b.length;
  if (n === 0 || m === 0) return { statistic: Number.NaN, pValue: Number.NaN, effectiveN: 0 };
  const x = [...a].sort((u, v) => u - v);
  const y = [...b].sort((u, v) => u - v);
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < n && j < m) {
    const value = Math.min(x[i] as number, y[j] as number);
    while (i < n && (x[i] as number) <= value) i++;
    while (j < m && (y[j] as number) <= value) j++;
    d = Math.max(d, Math.abs(i / n - j / m));
  }
  const effectiveN = (n * m) / (n + m);
  const root = Math.sqrt(effectiveN);
  return { statistic: d, pValue: kolmogorovQ((root + 0.12 + 0.11 / root) * d), effectiveN };
}

/** Q_KS(λ) = 2 Σ_{j≥1} (−1)^{j−1} e^{−2 j² λ²}: the probability that the Kolmogorov statistic exceeds λ. */
export function kolmogorovQ(lambda: number): number {
  // The series converges slowly for small λ, where Q is 1 to double precision anyway.
  if (lambda < 0.2) return 1;
  let sum = 0;
  let sign = 1;
  for (let j = 1; j <= 100; j++) {
    const term = sign * Math.exp(-2 * j * j * lambda * lambda);
    sum += term;
    if (Math.abs(term) < 1e-12 * Math.abs(sum)) break;
    sign = -sign;
  }
  return Math.min(1, Math.max(0, 2 * sum));
}

/** Cohen's d with a pooled standard deviation. */
export function cohensD(a: readonly number[], b: readonly number[]): number {
  const variance = (x: readonly number[], m: number) => x.reduce((s, v) => s + (v - m) ** 2, 0) / Math.max(1, x.length - 1);
  const ma = mean(a);
  const mb = mean(b);
  const pooled = Math.sqrt(((a.length - 1) * variance(a, ma) + (b.length - 1) * variance(b, mb)) / Math.max(1, a.length + b.length - 2));
  return pooled === 0 ? (ma === mb ? 0 : Number.POSITIVE_INFINITY) : (ma - mb) / pooled;
}
