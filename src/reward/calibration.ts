/**
 * Calibration of the two reward channels (`calibration:` in spec/reward.yaml). Per batch of
 * scored episodes, `CalibrationMonitor.observe` reports:
 *
 * - agreement of the judge with the heuristic scorer and with the outcome (MAE, Pearson r),
 * - the two disagreement flags of reward.yaml, with counts and episode ids,
 * - the four-quadrant interpretation counts,
 * - reward-distribution drift per episode type and channel against a reference window (PSI, KS),
 *   with alerts beyond configurable thresholds.
 *
 * The report is plain JSON (no `NaN`: missing statistics are `null`), one line of metrics.jsonl.
 * Deterministic: no clocks; batches are numbered from 1. Fields: docs/reward-composite.md.
 */

import { round3 } from '../core/numbers.js';
import { ksTwoSample, mean, meanAbsoluteDifference, pearson, psi } from './stats.js';

export const CALIBRATION_SCHEMA = 'dojo.calibration/1';

/** One scored episode. Scores are in [0, 1]. */
export interface ScoredEpisode {
  episodeId: string;
  /** Episode type name, e.g. `elicitation`. */
  type: string;
  outcome: number;
  /** The behavioral score that entered the reward (heuristic, calibrated). */
  behavioral: number;
  /** Heuristic scorer's behavioral score, when logged separately. */
  heuristic?: number;
  /** Judge's behavioral score, on the episodes the judge saw. */
  judge?: number;
}

/** Channels whose distributions are watched for drift. */
export const DRIFT_CHANNELS = ['outcome', 'behavioral'] as const;
export type DriftChannel = (typeof DRIFT_CHANNELS)[number];

export interface CalibrationThresholds {
  /** A channel is "high" above this (flags). reward.yaml: 0.7. */
  high: number;
  /** A channel is "low" below this (flags). reward.yaml: 0.3. */
  low: number;
  /** Quadrant split: a score ≥ this counts as high / good. Default 0.5. */
  quadrantSplit: number;
  /** Drift alert when PSI exceeds this. Default 0.2. */
  psi: number;
  /** Drift alert when the KS p-value is below this. Default 0.01. */
  ksPValue: number;
  /**
   * Both the reference and the batch need at least this many episodes of a type before a drift
   * alert is raised. Default 30: PSI of two samples of the same distribution is about
   * (bins − 1)(1/n + 1/m), 0.6 at n = m = 15 with 10 bins, so small samples would alert on noise.
   */
  minSamples: number;
  /** PSI bins on [0, 1]. Default 10. */
  psiBins: number;
}

export const DEFAULT_CALIBRATION_THRESHOLDS: CalibrationThresholds = {
  high: 0.7,
  low: 0.3,
  quadrantSplit: 0.5,
  psi: 0.2,
  ksPValue: 0.01,
  minSamples: 30,
  psiBins: 10,
};

export const FLAG_MEANINGS = {
  performative: 'judge may reward performative behavior',
  unconventional: 'judge may miss effective unconventional strategies',
} as const;

export interface AgreementMetrics {
  /** Episodes with both scores. */
  pairs: number;
  meanAbsoluteDifference: number | null;
  correlation: number | null;
}

export interface DisagreementFlag {
  /** `behavioral > high and outcome < low` (performative) or `behavioral < low and outcome > high` (unconventional). */
  when: string;
  meaning: string;
  count: number;
  /** Share of the batch. */
  rate: number;
  episodeIds: string[];
}

export interface DriftMetrics {
  type: string;
  channel: DriftChannel;
  referenceCount: number;
  count: number;
  referenceMean: number | null;
  mean: number | null;
  psi: number | null;
  ksStatistic: number | null;
  ksPValue: number | null;
  /** Both sides have at least `minSamples` episodes; alerts are only raised when true. */
  enoughSamples: boolean;
  alert: boolean;
  /** Why the alert fired, e.g. `psi 0.31 > 0.2`; empty without alert. */
  reasons: string[];
}

export interface CalibrationReport {
  schema: typeof CALIBRATION_SCHEMA;
  /** 1-based index of the batch in this monitor. */
  batch: number;
  episodes: number;
  /** Episodes with a judge score. */
  judged: number;
  means: { outcome: number | null; behavioral: number | null; heuristic: number | null; judge: number | null };
  judgeVsHeuristic: AgreementMetrics;
  judgeVsOutcome: AgreementMetrics;
  behavioralVsOutcome: AgreementMetrics;
  flags: { performative: DisagreementFlag; unconventional: DisagreementFlag };
  quadrants: {
    /** High behavioral, good outcome. */
    reinforce: number;
    /** High behavioral, bad outcome. */
    rubric_needs_updating: number;
    /** Low behavioral, good outcome: reinforce weakly. */
    lucky: number;
    /** Low behavioral, bad outcome. */
    clear_negative: number;
  };
  /** Per type and channel, sorted by type then channel; empty when there is no reference yet. */
  drift: DriftMetrics[];
  /** `<type>/<channel>` of every drift alert. */
  driftAlerts: string[];
  /** True when this batch became the reference window (the first batch without an explicit reference). */
  referenceFromThisBatch: boolean;
}

/** The batch statistics of a report, without the monitor's bookkeeping fields. */
export type CalibrationBatchMetrics = Omit<CalibrationReport, 'schema' | 'batch' | 'referenceFromThisBatch'>;

export interface CalibrationMonitorOptions {
  thresholds?: Partial<CalibrationThresholds>;
  /** Reference window (e.g. the baseline run). Without it, the first observed batch becomes the reference. */
  reference?: readonly ScoredEpisode[];
}

/**
 * Watches batches of scored episodes. The reference window is fixed (given, or the first batch)
 * until `setReference` replaces it, so slow drift accumulates against it instead of being absorbed.
 */
export class CalibrationMonitor {
  readonly thresholds: CalibrationThresholds;
  private reference: ScoredEpisode[] | null;
  private batches = 0;

  constructor(options: CalibrationMonitorOptions = {}) {
    this.thresholds = { ...DEFAULT_CALIBRATION_THRESHOLDS, ...options.thresholds };
    if (!(this.thresholds.low < this.thresholds.high)) {
      throw new RangeError(`calibration thresholds need low < high, got low ${this.thresholds.low} and high ${this.thresholds.high}`);
    }
    this.reference = options.reference ? [...options.reference] : null;
  }

  /** Replaces the reference window (e.g. after a deliberate rubric or curriculum change). */
  setReference(episodes: readonly ScoredEpisode[]): void {
    this.reference = [...episodes];
  }

  /** Scores one batch; the report is JSON-serializable. */
  observe(batch: readonly ScoredEpisode[]): CalibrationReport {
    this.batches++;
    let referenceFromThisBatch = false;
    if (this.reference === null) {
      this.reference = [...batch];
      referenceFromThisBatch = true;
    }
    const metrics = calibrationReport(batch, this.reference, this.thresholds);
    return { schema: CALIBRATION_SCHEMA, batch: this.batches, referenceFromThisBatch, ...metrics };
  }
}

/** The report for one batch against a reference window (the monitor without its state). */
export function calibrationReport(
  batch: readonly ScoredEpisode[],
  reference: readonly ScoredEpisode[],
  thresholds: CalibrationThresholds = DEFAULT_CALIBRATION_THRESHOLDS,
): CalibrationBatchMetrics {
  for (const e of [...batch, ...reference]) {
    for (const key of ['outcome', 'behavioral', 'heuristic', 'judge'] as const) {
      const value = e[key];
      if (value !== undefined && !(value >= 0 && value <= 1)) {
        throw new RangeError(`Episode ${e.episodeId}: ${key} must be in [0, 1], got ${value}. Normalize scores before calibration.`);
      }
    }
  }
  const judged = batch.filter((e) => e.judge !== undefined);
  const withBoth = judged.filter((e) => e.heuristic !== undefined);
  const { high, low, quadrantSplit } = thresholds;

  const performative = batch.filter((e) => e.behavioral > high && e.outcome < low).map((e) => e.episodeId);
  const unconventional = batch.filter((e) => e.behavioral < low && e.outcome > high).map((e) => e.episodeId);
  const flag = (when: string, meaning: string, ids: string[]): DisagreementFlag => ({
    when,
    meaning,
    count: ids.length,
    rate: batch.length === 0 ? 0 : ids.length / batch.length,
    episodeIds: ids,
  });

  const quadrants = { reinforce: 0, rubric_needs_updating: 0, lucky: 0, clear_negative: 0 };
  for (const e of batch) {
    const goodBehavior = e.behavioral >= quadrantSplit;
    const goodOutcome = e.outcome >= quadrantSplit;
    if (goodBehavior && goodOutcome) quadrants.reinforce++;
    else if (goodBehavior) quadrants.rubric_needs_updating++;
    else if (goodOutcome) quadrants.lucky++;
    else quadrants.clear_negative++;
  }

  const drift = driftMetrics(batch, reference, thresholds);
  return {
    episodes: batch.length,
    judged: judged.length,
    means: {
      outcome: finite(mean(batch.map((e) => e.outcome))),
      behavioral: finite(mean(batch.map((e) => e.behavioral))),
      heuristic: finite(mean(batch.flatMap((e) => (e.heuristic === undefined ? [] : [e.heuristic])))),
      judge: finite(mean(judged.map((e) => e.judge as number))),
    },
    judgeVsHeuristic: agreement(
      withBoth.map((e) => e.judge as number),
      withBoth.map((e) => e.heuristic as number),
    ),
    judgeVsOutcome: agreement(
      judged.map((e) => e.judge as number),
      judged.map((e) => e.outcome),
    ),
    behavioralVsOutcome: agreement(
      batch.map((e) => e.behavioral),
      batch.map((e) => e.outcome),
    ),
    flags: {
      performative: flag(`behavioral > ${high} and outcome < ${low}`, FLAG_MEANINGS.performative, performative),
      unconventional: flag(`behavioral < ${low} and outcome > ${high}`, FLAG_MEANINGS.unconventional, unconventional),
    },
    quadrants,
    drift,
    driftAlerts: drift.filter((d) => d.alert).map((d) => `${d.type}/${d.channel}`),
  };
}

function driftMetrics(
  batch: readonly ScoredEpisode[],
  reference: readonly ScoredEpisode[],
  thresholds: CalibrationThresholds,
): DriftMetrics[] {
  const types = [...new Set(batch.map((e) => e.type))].sort();
  const out: DriftMetrics[] = [];
  for (const type of types) {
    const current = batch.filter((e) => e.type === type);
    const past = reference.filter((e) => e.type === type);
    for (const channel of DRIFT_CHANNELS) {
      const q = current.map((e) => e[channel]);
      const p = past.map((e) => e[channel]);
      const psiValue = finite(psi(p, q, { bins: thresholds.psiBins }));
      const ks = ksTwoSample(p, q);
      const enoughSamples = p.length >= thresholds.minSamples && q.length >= thresholds.minSamples;
      const reasons: string[] = [];
      if (enoughSamples && psiValue !== null && psiValue > thresholds.psi) reasons.push(`psi ${round3(psiValue)} > ${thresholds.psi}`);
      if (enoughSamples && ks.pValue < thresholds.ksPValue) reasons.push(`ks p ${ks.pValue.toExponential(2)} < ${thresholds.ksPValue}`);
      out.push({
        type,
        channel,
        referenceCount: p.length,
        count: q.length,
        referenceMean: finite(mean(p)),
        mean: finite(mean(q)),
        psi: psiValue,
        ksStatistic: finite(ks.statistic),
        ksPValue: finite(ks.pValue),
        enoughSamples,
        alert: reasons.length > 0,
        reasons,
      });
    }
  }
  return out;
}

function agreement(x: readonly number[], y: readonly number[]): AgreementMetrics {
  return { pairs: x.length, meanAbsoluteDifference: finite(meanAbsoluteDifference(x, y)), correlation: finite(pearson(x, y)) };
}

function finite(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}
