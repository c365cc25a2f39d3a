/**
 * The behavior scorer's contract. Each behavior code is scored from the candidate's own actions
 * (the decision trace) and their linked outcomes — never from the prompt's wording — as a weighted
 * combination of the signals of `spec/reward.yaml`. A code that does not apply to an episode is
 * `null`, never 0.
 */
import type { BehaviorCode } from '../spec/behaviors.js';
import type { DecisionRecord } from './trace.js';

export interface CodeVerdict {
  /** 0 = the behavior was absent or done badly, 1 = exemplary. */
  score: number;
  justification: string;
}

export interface Verdict {
  codes: Record<string, CodeVerdict>;
  /** Overall behavioral quality of the episode, in [0, 1]. */
  overall: number;
  /** How likely the behaviors were performed without substance (anti-gaming), in [0, 1]. */
  performativeRisk: number;
}

export type SignalSource = 'trace' | 'outcome' | 'judge' | 'trace+outcome' | 'trace+judge';

export interface SignalValue {
  /** Signal name from reward.yaml, e.g. `gap_coverage`. */
  name: string;
  source: SignalSource;
  weight: number;
  /** In [0, 1]; null when the signal cannot be measured in this episode (its weight is dropped). */
  value: number | null;
  /** For judge-sourced signals: 'judge' when a verdict was used, 'heuristic' for the stand-in. */
  from?: 'judge' | 'heuristic';
}

export interface CodeScore {
  code: BehaviorCode;
  /** In [0, 1], or null when the code does not apply to this episode. */
  score: number | null;
  evidence: {
    /** Decision ids the score rests on. */
    decisionIds: string[];
    reason: string;
  };
  signals: SignalValue[];
}

export interface ScoreContext {
  /** A judge verdict for this episode, when one exists. */
  verdict?: Verdict;
}

/**
 * An episode type's performative-risk rules (anti-gaming, `reward/performative.ts`): which of its
 * actions look like diligence, and which link effects say such an action changed nothing.
 */
export interface PerformativeRules {
  /** Action types that look like diligence. */
  motions: ReadonlySet<string>;
  /** Link effects that mark a motion as hollow or wrong. */
  hollow: ReadonlySet<string>;
  /**
   * Link effects that show a motion had substance. With `requireSubstance`, a motion without one
   * is hollow (a question whose answer changed nothing); otherwise they only clear a hollow mark.
   */
  substantive?: ReadonlySet<string>;
  requireSubstance?: boolean;
  /** Extra hollow motions found from the decisions themselves (effects the episode does not link). */
  unlinked?: (decisions: readonly DecisionRecord[]) => { ids: string[]; reason: string }[];
}

/** Weighted mean of the measurable signals; null when none is measurable. */
export function combineSignals(signals: readonly SignalValue[]): number | null {
  let total = 0;
  let weight = 0;
  for (const s of signals) {
    if (s.value === null || Number.isNaN(s.value)) continue;
    total += s.weight * Math.min(1, Math.max(0, s.value));
    weight += s.weight;
  }
  return weight > 0 ? total / weight : null;
}

/**
 * A judge-sourced signal: the verdict's score for the code when present, otherwise the documented
 * heuristic stand-in.
 */
export function judgeSignal(
  name: string,
  weight: number,
  code: BehaviorCode,
  context: ScoreContext,
  heuristic: number | null,
): SignalValue {
  const judged = context.verdict?.codes[code]?.score;
  if (judged !== undefined) return { name, source: 'judge', weight, value: judged, from: 'judge' };
  return { name, source: 'judge', weight, value: heuristic, from: 'heuristic' };
}

/**
 * A `trace+judge` signal: the heuristic value, averaged half and half with the verdict's score for
 * the code when a verdict exists.
 */
export function blendedJudgeSignal(
  name: string,
  weight: number,
  code: BehaviorCode,
  context: ScoreContext,
  heuristic: number,
): SignalValue {
  const judged = context.verdict?.codes[code]?.score;
  if (judged !== undefined) return { name, source: 'trace+judge', weight, value: 0.5 * heuristic + 0.5 * judged, from: 'judge' };
  return { name, source: 'trace+judge', weight, value: heuristic, from: 'heuristic' };
}

/** Builds a code score from its signals. */
export function codeScore(code: BehaviorCode, signals: SignalValue[], decisionIds: string[], reason: string): CodeScore {
  return { code, score: combineSignals(signals), evidence: { decisionIds, reason }, signals };
}
