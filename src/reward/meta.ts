/**
 * The cross-episode (meta-learning) codes B-27..B-30, computed over a rolling window of one
 * policy's last N episodes (reward.yaml `signals.B-27_B-30`), and the meta reward applied as a
 * bonus or penalty on episode rewards:
 *
 * - B-27 pattern reuse: in a similar context (same type, similar scenario features) the policy
 *   reuses the action pattern of an earlier high-reward episode; in a differing context it adapts.
 * - B-28 mistake non-repetition: the rate at which a mistake pattern (a negative-value link effect,
 *   per episode type) recurs once it has occurred.
 * - B-29 feedback integration: after a negative-reward episode (outcome < 0.4), the next episode of
 *   the same type changes behavior (action-pattern distance), improves, and drops the earlier
 *   episode's mistakes.
 * - B-30 confidence calibration: Pearson correlation between stated confidence and correctness
 *   (target r > 0.6), blended with a Brier term.
 *
 * Everything is a pure function of the pushed traces, in push order: no clocks, no randomness.
 * The mappings are documented in docs/reward.md, "Cross-episode codes B-27..B-30".
 */

import { clamp01, mean, meanOrNull } from '../core/numbers.js';
import { type CodeScore, codeScore, type SignalValue } from '../core/scorer.js';
import type { Trace } from '../core/trace.js';
import type { BehaviorScores } from './behaviors.js';

export type MetaCode = 'B-27' | 'B-28' | 'B-29' | 'B-30';
export const META_CODES: readonly MetaCode[] = ['B-27', 'B-28', 'B-29', 'B-30'];

/** A cross-episode code score: the evidence names the episodes it rests on. */
export interface MetaCodeScore extends CodeScore {
  code: MetaCode;
  evidence: CodeScore['evidence'] & { episodeIds: string[] };
}

/** Scenario features compared for B-27 context similarity. */
export type ContextFeatures = Record<string, string | number | boolean>;

export interface MetaWindowOptions {
  /** Episodes kept (the rolling window). */
  size?: number;
  /** Fewer episodes than this in the window: every code is null. */
  minEpisodes?: number;
  /** Scenario features of a trace (default: the scenario options it was played with). */
  features?: (trace: Trace) => ContextFeatures;
}

/** Window defaults. */
export const META_WINDOW_SIZE = 50;
export const META_MIN_EPISODES = 5;
/** B-27: an earlier episode "earned high reward" at outcome >= this. */
export const HIGH_REWARD = 0.7;
/** B-27: contexts at least this similar are "the same"; at most DIFFERENT_CONTEXT they "differ". */
export const SIMILAR_CONTEXT = 0.75;
export const DIFFERENT_CONTEXT = 0.5;
/** B-27 / B-29: an action-pattern distance (total variation) of this much counts as a full change. */
export const FULL_CHANGE = 0.2;
/** B-28: the proxy's target repeated-mistake rate; it maps to a score of TARGET_SCORE. */
export const REPEAT_RATE_TARGET = 0.15;
/** B-30: the proxy's target correlation; it maps to a score of TARGET_SCORE. */
export const CORRELATION_TARGET = 0.6;
/** The score a code gets exactly at its proxy target. */
export const TARGET_SCORE = 0.7;
/** B-29: an episode with outcome below this is negative feedback. */
export const NEGATIVE_REWARD = 0.4;
/** B-29: an outcome gain of this much counts as a full improvement. */
export const FULL_IMPROVEMENT = 0.2;
/** B-30: fewest (confidence, correctness) pairs to score. */
export const MIN_CONFIDENCE_PAIRS = 5;
/** Each of the four codes moves the meta reward by at most this much either way (4 · 0.025 = 0.1). */
export const META_REWARD_PER_CODE = 0.025;
export const META_REWARD_CAP = 0.1;

/** Confidence levels named by an action's `level` argument, when it carries no number (research). */
const LEVEL_CONFIDENCE: Record<string, number> = { low: 0.3, medium: 0.6, high: 0.9 };

/** Link effects that say whether the decision carrying them asserted something right or wrong. */
const CORRECT_EFFECTS = new Set(['checkpoint_right', 'issue_identified', 'assessment_matched', 'correct_answer_used', 'underconfident']);
const WRONG_EFFECTS = new Set([
  'checkpoint_wrong',
  'wrong_issue',
  'assessment_optimistic',
  'assessment_pessimistic',
  'wrong_answer_used',
  'outdated_answer_used',
  'overconfident',
]);

interface Entry {
  trace: Trace;
  behaviors: BehaviorScores | undefined;
  pattern: Map<string, number>;
  mistakes: Set<string>;
  features: ContextFeatures;
}

/** A rolling window of one policy's episodes, scoring B-27..B-30. */
export class MetaWindow {
  readonly size: number;
  readonly minEpisodes: number;
  private readonly features: (trace: Trace) => ContextFeatures;
  private readonly entries: Entry[] = [];
  private policy: string | undefined;

  constructor(options: MetaWindowOptions = {}) {
    this.size = options.size ?? META_WINDOW_SIZE;
    this.minEpisodes = options.minEpisodes ?? META_MIN_EPISODES;
    if (!Number.isInteger(this.size) || this.size < 1) throw new RangeError(`window size must be a positive integer, got ${this.size}`);
    this.features = options.features ?? defaultFeatures;
  }

  /** Adds an episode; the oldest falls out past `size`. All episodes must come from one policy. */
  push(trace: Trace, behaviorScores?: BehaviorScores): void {
    if (this.policy !== undefined && trace.policy !== this.policy)
      throw new Error(`MetaWindow holds episodes of policy "${this.policy}", got "${trace.policy}"`);
    this.policy = trace.policy;
    this.entries.push({
      trace,
      behaviors: behaviorScores,
      pattern: actionPattern(trace),
      mistakes: mistakePatterns(trace),
      features: this.features(trace),
    });
    if (this.entries.length > this.size) this.entries.shift();
  }

  get length(): number {
    return this.entries.length;
  }

  /** The traces in the window, oldest first. */
  traces(): Trace[] {
    return this.entries.map((e) => e.trace);
  }

  /** Scores B-27..B-30 over the window (null where the window lacks evidence). */
  score(): MetaCodeScore[] {
    if (this.entries.length < this.minEpisodes) {
      const reason = `window has ${this.entries.length} episode(s), fewer than ${this.minEpisodes}`;
      return META_CODES.map((code) => ({ code, score: null, evidence: { decisionIds: [], episodeIds: [], reason }, signals: [] }));
    }
    return [this.patternReuse(), this.mistakeNonRepetition(), this.feedbackIntegration(), this.calibration()];
  }

  /** B-27: reuse of a high-reward approach in a similar context; adaptation in a differing one. */
  private patternReuse(): MetaCodeScore {
    const reuse: number[] = [];
    const adapt: number[] = [];
    const ids = new Set<string>();
    this.entries.forEach((e, i) => {
      const precedents = this.entries.slice(0, i).filter((p) => p.trace.type === e.trace.type && p.trace.reward.outcome >= HIGH_REWARD);
      if (precedents.length === 0) return;
      // The most similar high-reward precedent (latest on ties).
      let best = precedents[0] as Entry;
      let bestSim = -1;
      for (const p of precedents) {
        const sim = contextSimilarity(p.features, e.features);
        if (sim >= bestSim) {
          best = p;
          bestSim = sim;
        }
      }
      const distance = patternDistance(best.pattern, e.pattern);
      if (bestSim >= SIMILAR_CONTEXT) reuse.push(1 - distance);
      else if (bestSim <= DIFFERENT_CONTEXT) adapt.push(Math.min(1, distance / FULL_CHANGE));
      else return;
      ids.add(best.trace.episodeId);
      ids.add(e.trace.episodeId);
    });
    const signals: SignalValue[] = [
      { name: 'reuse_when_appropriate', source: 'trace+outcome', weight: 0.6, value: meanOrNull(reuse) },
      { name: 'adaptation_when_context_differs', source: 'trace+outcome', weight: 0.4, value: meanOrNull(adapt) },
    ];
    const reason =
      reuse.length + adapt.length === 0
        ? 'no episode follows a high-reward episode of its type in a clearly similar or clearly different context'
        : `${reuse.length} similar-context case(s), action-pattern similarity ${fmt(meanOrNull(reuse))}; ` +
          `${adapt.length} differing-context case(s), adaptation ${fmt(meanOrNull(adapt))}`;
    return meta('B-27', signals, [...ids], reason);
  }

  /** B-28: how often a mistake pattern recurs in a later episode of its type once it occurred. */
  private mistakeNonRepetition(): MetaCodeScore {
    const seen = new Map<string, Set<string>>(); // type -> mistake effects seen so far
    let opportunities = 0;
    let repeats = 0;
    const ids = new Set<string>();
    const repeated = new Set<string>();
    for (const e of this.entries) {
      const before = seen.get(e.trace.type) ?? new Set<string>();
      for (const m of before) {
        opportunities++;
        ids.add(e.trace.episodeId);
        if (e.mistakes.has(m)) {
          repeats++;
          repeated.add(m);
        }
      }
      for (const m of e.mistakes) before.add(m);
      seen.set(e.trace.type, before);
    }
    const rate = opportunities > 0 ? repeats / opportunities : null;
    const signals: SignalValue[] = [
      { name: 'repeated_mistake_rate', source: 'trace+outcome', weight: 1, value: rate === null ? null : repeatRateScore(rate) },
    ];
    const reason =
      rate === null
        ? 'no episode follows an earlier mistake of its type'
        : `${repeats} of ${opportunities} earlier mistake pattern(s) recurred (rate ${fmt(rate)}, target < ${REPEAT_RATE_TARGET})` +
          (repeated.size > 0 ? `: ${[...repeated].sort().join(', ')}` : '');
    return meta('B-28', signals, [...ids], reason);
  }

  /** B-29: after a negative-reward episode, the next one of its type changes behavior and improves. */
  private feedbackIntegration(): MetaCodeScore {
    const change: number[] = [];
    const improved: number[] = [];
    const addressed: number[] = [];
    const ids: string[] = [];
    this.entries.forEach((e, i) => {
      if (e.trace.reward.outcome >= NEGATIVE_REWARD) return;
      const next = this.entries.slice(i + 1).find((n) => n.trace.type === e.trace.type);
      if (!next) return;
      ids.push(e.trace.episodeId, next.trace.episodeId);
      change.push(Math.min(1, patternDistance(e.pattern, next.pattern) / FULL_CHANGE));
      improved.push(clamp01((next.trace.reward.outcome - e.trace.reward.outcome) / FULL_IMPROVEMENT));
      if (e.mistakes.size > 0) {
        let dropped = 0;
        for (const m of e.mistakes) if (!next.mistakes.has(m)) dropped++;
        addressed.push(dropped / e.mistakes.size);
      }
    });
    const signals: SignalValue[] = [
      { name: 'behavior_change_after_negative', source: 'trace', weight: 0.4, value: meanOrNull(change) },
      { name: 'outcome_improved', source: 'outcome', weight: 0.3, value: meanOrNull(improved) },
      { name: 'feedback_addressed', source: 'trace+outcome', weight: 0.3, value: meanOrNull(addressed) },
    ];
    const reason =
      change.length === 0
        ? `no negative-reward episode (outcome < ${NEGATIVE_REWARD}) is followed by one of its type`
        : `${change.length} negative episode(s) followed: change ${fmt(meanOrNull(change))}, improvement ${fmt(meanOrNull(improved))}, ` +
          `mistakes dropped ${fmt(meanOrNull(addressed))}`;
    return meta('B-29', signals, unique(ids), reason);
  }

  /** B-30: stated confidence against correctness over every statement in the window. */
  private calibration(): MetaCodeScore {
    const pairs: { confidence: number; correct: number }[] = [];
    const decisionIds: string[] = [];
    const ids = new Set<string>();
    for (const e of this.entries)
      for (const p of confidencePairs(e.trace)) {
        pairs.push(p);
        decisionIds.push(p.decisionId);
        ids.add(e.trace.episodeId);
      }
    if (pairs.length < MIN_CONFIDENCE_PAIRS) {
      const reason = `${pairs.length} confidence statement(s) with a known correctness, fewer than ${MIN_CONFIDENCE_PAIRS}`;
      return { code: 'B-30', score: null, evidence: { decisionIds, episodeIds: [...ids], reason }, signals: [] };
    }
    const conf = pairs.map((p) => p.confidence);
    const corr = pairs.map((p) => p.correct);
    const brier = pairs.reduce((s, p) => s + (p.confidence - p.correct) ** 2, 0) / pairs.length;
    const r = pearson(conf, corr);
    const correctnessVaries = variance(corr) > 1e-9;
    // Constant confidence predicts nothing: r counts as 0. Constant correctness: r is undefined and
    // only the Brier term speaks.
    const rValue = correctnessVaries ? (r ?? 0) : null;
    const signals: SignalValue[] = [
      {
        name: 'confidence_correctness_correlation',
        source: 'trace+outcome',
        weight: 0.8,
        value: rValue === null ? null : correlationScore(rValue),
      },
      { name: 'brier', source: 'trace+outcome', weight: 0.2, value: 1 - brier },
    ];
    const reason =
      `${pairs.length} statement(s): r = ${rValue === null ? 'undefined (correctness constant)' : fmt(rValue)}` +
      `${r === null && correctnessVaries ? ' (confidence constant)' : ''} (target > ${CORRELATION_TARGET}), Brier ${fmt(brier)}`;
    return meta('B-30', signals, [...ids], reason, decisionIds);
  }
}

/**
 * The meta reward: each code contributes `0.025 · (2·score − 1)` (a score of 0.5 is neutral; null
 * contributes 0), so the sum of the four lies in [−0.1, +0.1].
 */
export function metaReward(scores: readonly CodeScore[] | Partial<Record<MetaCode, CodeScore>>): number {
  const list = Array.isArray(scores) ? (scores as readonly CodeScore[]) : Object.values(scores as Record<string, CodeScore>);
  let total = 0;
  for (const s of list) {
    if (!META_CODES.includes(s.code as MetaCode) || s.score === null || Number.isNaN(s.score)) continue;
    total += META_REWARD_PER_CODE * (2 * clamp01(s.score) - 1);
  }
  return Math.max(-META_REWARD_CAP, Math.min(META_REWARD_CAP, total));
}

// ---- mappings ----

/** B-28: piecewise linear through (0, 1), (target 0.15, 0.7), (1, 0). */
export function repeatRateScore(rate: number): number {
  const r = clamp01(rate);
  if (r <= REPEAT_RATE_TARGET) return 1 - (1 - TARGET_SCORE) * (r / REPEAT_RATE_TARGET);
  return TARGET_SCORE * (1 - (r - REPEAT_RATE_TARGET) / (1 - REPEAT_RATE_TARGET));
}

/** B-30: piecewise linear through (r ≤ 0, 0), (target 0.6, 0.7), (1, 1). */
export function correlationScore(r: number): number {
  if (r <= 0) return 0;
  if (r <= CORRELATION_TARGET) return TARGET_SCORE * (r / CORRELATION_TARGET);
  return TARGET_SCORE + (1 - TARGET_SCORE) * Math.min(1, (r - CORRELATION_TARGET) / (1 - CORRELATION_TARGET));
}

// ---- trace features ----

/** Default context features: the scenario options the episode was played with. */
export function defaultFeatures(trace: Trace): ContextFeatures {
  const out: ContextFeatures = {};
  for (const [k, v] of Object.entries(trace.options ?? {}))
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = v;
  return out;
}

/**
 * Context similarity in [0, 1]: the fraction of features (union of both keys) that match; numbers
 * match within 20% of the larger magnitude (or 0.2 absolute below 1). No features on either side: 1.
 */
export function contextSimilarity(a: ContextFeatures, b: ContextFeatures): number {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  if (keys.size === 0) return 1;
  let matched = 0;
  for (const k of keys) {
    const x = a[k];
    const y = b[k];
    if (x === undefined || y === undefined) continue;
    if (typeof x === 'number' && typeof y === 'number') {
      if (Math.abs(x - y) <= 0.2 * Math.max(1, Math.abs(x), Math.abs(y))) matched++;
    } else if (x === y) matched++;
  }
  return matched / keys.size;
}

/**
 * The action pattern: the distribution of valid actions keyed by type and their non-numeric
 * arguments (`ask_question:category=scope`); numeric arguments (indices) are left out.
 */
export function actionPattern(trace: Trace): Map<string, number> {
  const counts = new Map<string, number>();
  let n = 0;
  for (const d of trace.decisions) {
    if (!d.valid) continue;
    const args = Object.entries(d.action.args ?? {})
      .filter(([, v]) => typeof v !== 'number')
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${k}=${v}`);
    const key = args.length > 0 ? `${d.action.type}:${args.join(',')}` : d.action.type;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    n++;
  }
  for (const [k, c] of counts) counts.set(k, c / n);
  return counts;
}

/** Total variation distance between two action patterns, in [0, 1] (1 when exactly one is empty). */
export function patternDistance(a: Map<string, number>, b: Map<string, number>): number {
  if (a.size === 0 && b.size === 0) return 0;
  if (a.size === 0 || b.size === 0) return 1;
  let sum = 0;
  for (const k of new Set([...a.keys(), ...b.keys()])) sum += Math.abs((a.get(k) ?? 0) - (b.get(k) ?? 0));
  return sum / 2;
}

/** Mistake patterns of an episode: the effects of its negative-value links (decision and episode links). */
export function mistakePatterns(trace: Trace): Set<string> {
  const out = new Set<string>();
  for (const d of trace.decisions) for (const l of d.links) if (l.value < 0) out.add(l.effect);
  for (const l of trace.episodeLinks) if (l.value < 0) out.add(l.effect);
  return out;
}

/**
 * (confidence, correctness) pairs of an episode: every valid decision that states a confidence
 * (`action.confidence`, or a `level` argument low/medium/high on an asserting action) and whose
 * correctness is known — from its links (a known right/wrong effect, else the sign of their summed
 * value), with research's `correctAnswerUsed` fact for its confidence assessment.
 */
export function confidencePairs(trace: Trace): { decisionId: string; confidence: number; correct: number }[] {
  const out: { decisionId: string; confidence: number; correct: number }[] = [];
  for (const d of trace.decisions) {
    if (!d.valid) continue;
    const level = d.action.args?.level;
    const confidence =
      typeof d.action.confidence === 'number'
        ? d.action.confidence
        : d.action.type === 'assess_confidence' && typeof level === 'string'
          ? LEVEL_CONFIDENCE[level]
          : undefined;
    if (confidence === undefined || !Number.isFinite(confidence)) continue;
    const correct = correctness(trace, d.action.type, d.links);
    if (correct === undefined) continue;
    out.push({ decisionId: d.id, confidence: clamp01(confidence), correct });
  }
  return out;
}

function correctness(trace: Trace, actionType: string, links: readonly { effect: string; value: number }[]): number | undefined {
  if (actionType === 'assess_confidence' && typeof trace.outcome.correctAnswerUsed === 'boolean')
    return trace.outcome.correctAnswerUsed ? 1 : 0;
  for (const l of links) {
    if (CORRECT_EFFECTS.has(l.effect)) return 1;
    if (WRONG_EFFECTS.has(l.effect)) return 0;
  }
  const total = links.reduce((s, l) => s + l.value, 0);
  return total > 0 ? 1 : total < 0 ? 0 : undefined;
}

// ---- helpers ----

function meta(code: MetaCode, signals: SignalValue[], episodeIds: string[], reason: string, decisionIds: string[] = []): MetaCodeScore {
  const base = codeScore(code, signals, decisionIds, reason);
  return { ...base, code, evidence: { ...base.evidence, episodeIds } };
}

/** Pearson correlation; null when either side is constant or there are fewer than 2 values. */
function pearson(x: readonly number[], y: readonly number[]): number | null {
  const n = Math.min(x.length, y.length);
  if (n < 2) return null;
  const mx = mean(x.slice(0, n));
  const my = mean(y.slice(0, n));
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (x[i] as number) - mx;
    const dy = (y[i] as number) - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx < 1e-12 || syy < 1e-12) return null;
  return sxy / Math.sqrt(sxx * syy);
}

function variance(x: readonly number[]): number {
  if (x.length === 0) return 0;
  const m = mean(x);
  return x.reduce((s, v) => s + (v - m) ** 2, 0) / x.length;
}

function unique(x: readonly string[]): string[] {
  return [...new Set(x)];
}

function fmt(x: number | null): string {
  return x === null ? 'n/a' : x.toFixed(2);
}
