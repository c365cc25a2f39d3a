/**
 * Reward statistics against hand-computed reference values, and the calibration monitor on
 * synthetic batches drawn with a seeded Rng.
 */
import { describe, expect, it } from 'vitest';
import { clamp01 } from '../../src/core/numbers.js';
import { Rng } from '../../src/core/rng.js';
import { CalibrationMonitor, calibrationReport, FLAG_MEANINGS, type ScoredEpisode } from '../../src/reward/calibration.js';
import {
  binProportions,
  cohensD,
  kolmogorovQ,
  ksTwoSample,
  mean,
  meanAbsoluteDifference,
  meanInterval,
  pairedDifference,
  pearson,
  psi,
  std,
} from '../../src/reward/stats.js';

describe('stats: reference values', () => {
  it('mean and std', () => {
    // (1 + 2 + 3 + 4 + 5) / 5 = 3.
    expect(mean([1, 2, 3, 4, 5])).toBe(3);
    // Squares of deviations sum to 10: sample sqrt(10/4) = 1.5811388300841898, population sqrt(10/5) = 1.4142135623730951.
    expect(std([1, 2, 3, 4, 5])).toBeCloseTo(1.5811388300841898, 14);
    expect(std([1, 2, 3, 4, 5], { sample: false })).toBeCloseTo(Math.SQRT2, 14);
    // A single value has no spread; an empty list has no mean.
    expect(std([7])).toBe(0);
    expect(mean([])).toBeNaN();
  });

  it('mean with a 95% interval, and paired differences', () => {
    // 1..5: mean 3, sample sd sqrt(2.5), SE sqrt(2.5)/sqrt(5) = sqrt(0.5) = 0.7071067811865476;
    // interval 3 ± 1.959964 · 0.7071067811865476 = 3 ± 1.3859039...
    const m = meanInterval([1, 2, 3, 4, 5]);
    expect(m.n).toBe(5);
    expect(m.mean).toBe(3);
    expect(m.standardError).toBeCloseTo(Math.SQRT1_2, 14);
    expect(m.low).toBeCloseTo(3 - 1.959964 * Math.SQRT1_2, 12);
    expect(m.high).toBeCloseTo(3 + 1.959964 * Math.SQRT1_2, 12);
    // Paired: differences 0.5, 0.5, 0.5, 1.5 → mean 0.75, sample sd 0.5, SE 0.25. Unpaired, the
    // same numbers would carry both sides' spread; pairing keeps only the differences'.
    const d = pairedDifference([1, 2, 3, 5], [0.5, 1.5, 2.5, 3.5]);
    expect(d.mean).toBeCloseTo(0.75, 14);
    expect(d.standardError).toBeCloseTo(0.25, 14);
    expect(d.high - d.low).toBeCloseTo(2 * 1.959964 * 0.25, 12);
    expect(() => pairedDifference([1], [1, 2])).toThrow(/paired values, got 1 and 2/);
    expect(meanInterval([]).mean).toBeNaN();
    expect(meanInterval([4]).standardError).toBe(0);
  });

  it("Cohen's d (re-exported from env/batch)", () => {
    // Means 2 and 4, both sample variances 1, pooled sd 1: d = (2 − 4) / 1 = −2.
    expect(cohensD([1, 2, 3], [3, 4, 5])).toBeCloseTo(-2, 14);
  });

  it('Pearson correlation and mean absolute difference', () => {
    // x = 1..4, y = 2,4,5,9: means 2.5 and 5; dx = −1.5,−0.5,0.5,1.5; dy = −3,−1,0,4;
    // Sxy = 4.5+0.5+0+6 = 11, Sxx = 5, Syy = 9+1+0+16 = 26;
    // r = 11 / sqrt(5 · 26) = 0.9647638212377322 (scipy.stats.pearsonr agrees).
    expect(pearson([1, 2, 3, 4], [2, 4, 5, 9])).toBeCloseTo(0.9647638212377322, 12);
    // A constant side has no correlation.
    expect(pearson([1, 1, 1], [1, 2, 3])).toBeNaN();
    // |0.1−0.2| + |0.5−0.2| + |0.9−0.9| = 0.4, over 3.
    expect(meanAbsoluteDifference([0.1, 0.5, 0.9], [0.2, 0.2, 0.9])).toBeCloseTo(0.4 / 3, 14);
  });

  it('PSI over fixed bins on [0, 1]', () => {
    // 4 bins: reference [0.5, 0.5, 0, 0], current [0.75, 0, 0, 0.25]; empty bins become 1e-4:
    //   0.25 · ln(1.5)                  = 0.1013662770
    // + (1e-4 − 0.5) · ln(1e-4 / 0.5)   = 4.2577441876
    // + 0 (both empty)
    // + (0.25 − 1e-4) · ln(0.25 / 1e-4) = 1.9552290470
    // = 6.314340251529005 (independent Python calculation).
    const reference = [0.05, 0.15, 0.25, 0.35];
    const current = [0.05, 0.05, 0.15, 0.95];
    expect(binProportions(reference, 4)).toEqual([0.5, 0.5, 0, 0]);
    expect(binProportions(current, 4)).toEqual([0.75, 0, 0, 0.25]);
    expect(psi(reference, current, { bins: 4 })).toBeCloseTo(6.314340251529005, 10);
    // Same proportions: 0.
    expect(psi([0.1, 0.9], [0.15, 0.95, 0.12, 0.91])).toBe(0);
    // 1 and values outside [0, 1] fall into the end bins.
    expect(binProportions([1, 1.5, -0.2, 0], 2)).toEqual([0.5, 0.5]);
    expect(psi([], [0.5])).toBeNaN();
  });

  it('Kolmogorov distribution tail Q_KS', () => {
    // scipy.stats.kstwobign.sf(0.5) = 0.9639452436648751, sf(1.0) = 0.26999967167735456, sf(1.36) = 0.049485876755377876.
    expect(kolmogorovQ(0.5)).toBeCloseTo(0.9639452436648751, 10);
    expect(kolmogorovQ(1)).toBeCloseTo(0.26999967167735456, 10);
    expect(kolmogorovQ(1.36)).toBeCloseTo(0.049485876755377876, 10);
    expect(kolmogorovQ(0)).toBe(1);
    expect(kolmogorovQ(5)).toBeLessThan(1e-20);
  });

  it('two-sample KS statistic and asymptotic p-value', () => {
    // a = 0.1..0.5, b = 0.35..0.85: after 0.5, F_a = 1 and F_b = 2/6, so D = 2/3 (scipy ks_2samp agrees).
    // nₑ = 5·6/11 = 2.7273; λ = (√nₑ + 0.12 + 0.11/√nₑ) · D = 1.2253693036531241; Q(λ) = 0.099257780485309.
    const result = ksTwoSample([0.1, 0.2, 0.3, 0.4, 0.5], [0.35, 0.45, 0.55, 0.65, 0.75, 0.85]);
    expect(result.statistic).toBeCloseTo(2 / 3, 14);
    expect(result.effectiveN).toBeCloseTo(30 / 11, 14);
    expect(result.pValue).toBeCloseTo(0.099257780485309, 10);
    // Ties: a = [0, 0, 1], b = [0, 1, 1]; at 0, F_a = 2/3 and F_b = 1/3, so D = 1/3.
    expect(ksTwoSample([0, 0, 1], [0, 1, 1]).statistic).toBeCloseTo(1 / 3, 14);
    // Identical samples: D = 0, p = 1.
    expect(ksTwoSample([0.2, 0.4], [0.4, 0.2])).toEqual({ statistic: 0, pValue: 1, effectiveN: 1 });
  });
});

// ---------------------------------------------------------------------------------------------
// Synthetic batches
// ---------------------------------------------------------------------------------------------

const TYPES = ['elicitation', 'decomposition', 'triage'] as const;

/**
 * `perType` episodes of each type: outcome ~ N(0.6, 0.15) (or `shift` added for `shiftedType`),
 * behavioral = outcome + N(0, 0.05), heuristic = behavioral, judge = behavioral + N(0, 0.05) on
 * every other episode. The two channels agree closely, so no episode is flagged by chance.
 */
function syntheticBatch(seed: number, perType: number, drift: { type?: string; shift?: number } = {}): ScoredEpisode[] {
  const rng = Rng.seeded(seed, 'calibration-test');
  const out: ScoredEpisode[] = [];
  for (const type of TYPES) {
    const center = 0.6 + (type === drift.type ? (drift.shift ?? 0) : 0);
    for (let i = 0; i < perType; i++) {
      const outcome = clamp01(rng.normal(center, 0.15));
      const behavioral = clamp01(outcome + rng.normal(0, 0.05));
      const episode: ScoredEpisode = { episodeId: `${seed}-${type}-${i}`, type, outcome, behavioral, heuristic: behavioral };
      if (i % 2 === 0) episode.judge = clamp01(behavioral + rng.normal(0, 0.05));
      out.push(episode);
    }
  }
  return out;
}

describe('CalibrationMonitor', () => {
  it('flags injected disagreement, with counts and episode ids', () => {
    const batch = syntheticBatch(1, 100);
    batch.push(
      // Performative: the judge loves the behavior, the outcome is bad.
      { episodeId: 'perf-1', type: 'triage', outcome: 0.1, behavioral: 0.9, judge: 0.95 },
      { episodeId: 'perf-2', type: 'elicitation', outcome: 0.25, behavioral: 0.75 },
      // Unconventional: good outcome the rubric did not credit.
      { episodeId: 'unconv-1', type: 'decomposition', outcome: 0.95, behavioral: 0.1 },
      // On the boundary (0.7 / 0.3 are strict in reward.yaml): no flag.
      { episodeId: 'edge', type: 'triage', outcome: 0.3, behavioral: 0.7 },
    );
    const report = new CalibrationMonitor().observe(batch);
    expect(report.flags.performative.count).toBe(2);
    expect(report.flags.performative.episodeIds).toEqual(['perf-1', 'perf-2']);
    expect(report.flags.performative.meaning).toBe(FLAG_MEANINGS.performative);
    expect(report.flags.performative.when).toBe('behavioral > 0.7 and outcome < 0.3');
    expect(report.flags.unconventional.count).toBe(1);
    expect(report.flags.unconventional.episodeIds).toEqual(['unconv-1']);
    expect(report.flags.unconventional.meaning).toBe('judge may miss effective unconventional strategies');
    expect(report.flags.performative.rate).toBeCloseTo(2 / 304, 14);
  });

  it('a clean batch raises no flag and the judge agrees with the heuristic', () => {
    const report = new CalibrationMonitor().observe(syntheticBatch(2, 100));
    expect(report.flags.performative.count).toBe(0);
    expect(report.flags.unconventional.count).toBe(0);
    expect(report.episodes).toBe(300);
    expect(report.judged).toBe(150);
    expect(report.judgeVsHeuristic.pairs).toBe(150);
    // Judge noise N(0, 0.05): E|noise| = 0.05 · sqrt(2/π) ≈ 0.04 (a little less after clamping).
    expect(report.judgeVsHeuristic.meanAbsoluteDifference).toBeGreaterThan(0.02);
    expect(report.judgeVsHeuristic.meanAbsoluteDifference).toBeLessThan(0.06);
    expect(report.judgeVsHeuristic.correlation).toBeGreaterThan(0.9);
    expect(report.judgeVsOutcome.correlation).toBeGreaterThan(0.8);
  });

  it('counts the four quadrants and reports null where there are no judge scores', () => {
    const batch: ScoredEpisode[] = [
      { episodeId: 'a', type: 't', outcome: 0.9, behavioral: 0.8 }, // reinforce
      { episodeId: 'b', type: 't', outcome: 0.5, behavioral: 0.5 }, // reinforce (0.5 is high)
      { episodeId: 'c', type: 't', outcome: 0.2, behavioral: 0.9 }, // rubric needs updating
      { episodeId: 'd', type: 't', outcome: 0.8, behavioral: 0.1 }, // lucky
      { episodeId: 'e', type: 't', outcome: 0.6, behavioral: 0.4 }, // lucky
      { episodeId: 'f', type: 't', outcome: 0.1, behavioral: 0.2 }, // clear negative
    ];
    const report = new CalibrationMonitor().observe(batch);
    expect(report.quadrants).toEqual({ reinforce: 2, rubric_needs_updating: 1, lucky: 2, clear_negative: 1 });
    expect(report.judgeVsHeuristic).toEqual({ pairs: 0, meanAbsoluteDifference: null, correlation: null });
    expect(report.means.judge).toBeNull();
    // Too few samples for drift alerts, even against itself.
    expect(report.drift.every((d) => !d.enoughSamples && !d.alert)).toBe(true);
  });

  it('a shifted reward distribution for one type raises a drift alert for that type only', () => {
    const monitor = new CalibrationMonitor({ reference: syntheticBatch(10, 300) });
    const report = monitor.observe(syntheticBatch(11, 300, { type: 'decomposition', shift: -0.2 }));
    expect(report.driftAlerts.length).toBeGreaterThan(0);
    expect(report.driftAlerts.every((alert) => alert.startsWith('decomposition/'))).toBe(true);
    expect(report.driftAlerts).toContain('decomposition/outcome');
    const shifted = report.drift.find((d) => d.type === 'decomposition' && d.channel === 'outcome')!;
    expect(shifted.psi).toBeGreaterThan(0.2);
    expect(shifted.ksPValue).toBeLessThan(0.01);
    expect(shifted.reasons.length).toBe(2);
    expect(shifted.mean! - shifted.referenceMean!).toBeLessThan(-0.15);
    expect(report.drift.filter((d) => d.type !== 'decomposition').every((d) => !d.alert)).toBe(true);
  });

  it('unshifted batches from the same generator with other seeds raise no drift alert', () => {
    const monitor = new CalibrationMonitor();
    const first = monitor.observe(syntheticBatch(20, 300));
    expect(first.referenceFromThisBatch).toBe(true);
    expect(first.driftAlerts).toEqual([]);
    for (const seed of [21, 22, 23, 24, 25]) {
      const report = monitor.observe(syntheticBatch(seed, 300));
      expect(report.referenceFromThisBatch).toBe(false);
      expect(report.driftAlerts).toEqual([]);
      for (const d of report.drift) {
        expect(d.enoughSamples).toBe(true);
        expect(d.psi).toBeLessThan(0.2);
      }
    }
    expect(monitor.observe(syntheticBatch(26, 300)).batch).toBe(7);
  });

  it('thresholds are configurable', () => {
    const reference = syntheticBatch(30, 300);
    const batch = syntheticBatch(31, 300, { type: 'triage', shift: 0.05 });
    // A small shift: the defaults may or may not see it, a hair-trigger PSI threshold does.
    const strict = calibrationReport(batch, reference, {
      ...new CalibrationMonitor().thresholds,
      psi: 0,
      ksPValue: 0,
    });
    expect(strict.driftAlerts.length).toBe(6);
    const lax = new CalibrationMonitor({ reference, thresholds: { psi: 10, ksPValue: 0 } }).observe(batch);
    expect(lax.driftAlerts).toEqual([]);
    expect(() => new CalibrationMonitor({ thresholds: { low: 0.8, high: 0.7 } })).toThrow(/low < high/);
    expect(() => new CalibrationMonitor().observe([{ episodeId: 'x9', type: 't', outcome: Number.NaN, behavioral: 0.5 }])).toThrow(
      /Episode x9: outcome must be in \[0, 1\]/,
    );
  });

  it('is deterministic and the report is plain JSON', () => {
    const batch = syntheticBatch(40, 50);
    batch.push({ episodeId: 'lonely', type: 'new_type', outcome: 0.5, behavioral: 0.5 });
    const a = new CalibrationMonitor({ reference: syntheticBatch(41, 50) }).observe(batch);
    const b = new CalibrationMonitor({ reference: syntheticBatch(41, 50) }).observe(batch);
    expect(a).toEqual(b);
    expect(JSON.parse(JSON.stringify(a))).toEqual(a);
    // A type absent from the reference: no statistics, no alert.
    const lonely = a.drift.filter((d) => d.type === 'new_type');
    expect(lonely.map((d) => [d.referenceCount, d.psi, d.ksPValue, d.alert])).toEqual([
      [0, null, null, false],
      [0, null, null, false],
    ]);
    expect(a.schema).toBe('dojo.calibration/1');
  });
});
