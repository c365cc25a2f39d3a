/**
 * The behavior scorer: all 30 codes for one trace. Each episode type's module scores the codes it
 * trains; every other code comes back not applicable (`score: null`). The episode's behavioral
 * score is the mean of its applicable episode-scope codes (the cross-episode codes B-27..B-30 are
 * applied over a window of episodes, not here).
 */

import type { EpisodeType } from '../core/episode-type.js';
import type { CodeScore, ScoreContext } from '../core/scorer.js';
import type { Trace } from '../core/trace.js';
import { EPISODE_TYPES } from '../episodes/all.js';
import { BEHAVIOR_CODES, BEHAVIORS, type BehaviorCode } from '../spec/behaviors.js';

/** Each episode type's scorer, by name (a trace of an unknown type scores nothing). */
const SCORERS: ReadonlyMap<string, EpisodeType['score']> = new Map(EPISODE_TYPES.map((t) => [t.name, t.score]));

export interface BehaviorScores {
  codes: Record<BehaviorCode, CodeScore>;
  /** Mean of the applicable episode-scope code scores, in [0, 1]; null when none applies. */
  behavioral: number | null;
}

export function scoreBehaviors(trace: Trace, context: ScoreContext = {}): BehaviorScores {
  const scorer = SCORERS.get(trace.type);
  const scored = new Map((scorer ? scorer(trace, context) : []).map((s) => [s.code, s]));
  const codes = {} as Record<BehaviorCode, CodeScore>;
  let total = 0;
  let count = 0;
  for (const code of BEHAVIOR_CODES) {
    const s = scored.get(code) ?? {
      code,
      score: null,
      evidence: { decisionIds: [], reason: `not applicable to ${trace.type}` },
      signals: [],
    };
    codes[code] = s;
    if (s.score !== null && BEHAVIORS[code].scope === 'episode') {
      total += s.score;
      count++;
    }
  }
  return { codes, behavioral: count > 0 ? total / count : null };
}
