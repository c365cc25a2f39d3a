/**
 * One episode's full reward from its trace: the 30 behavior codes, the behavioral score and the
 * composite of a curriculum stage (with the phase bonuses of its correct transitions). Used by `dojo score`, the benchmarks and the discrimination
 * tests, so the composite is wired in one place.
 */

import type { Verdict } from '../core/scorer.js';
import type { Trace } from '../core/trace.js';
import { type BehaviorScores, scoreBehaviors } from './behaviors.js';
import { type CompositeBreakdown, composite, phaseBonus } from './composite.js';
import { phaseEvents } from './phase.js';

export interface EpisodeScoreOptions {
  /** Curriculum stage 1-4 (default 1). */
  stage?: number;
  /** A judge verdict for this episode, when one exists. */
  verdict?: Verdict;
  /** Efficiency baseline for the episode's type and difficulty (none: no efficiency term). */
  baselineActions?: number | null;
}

export interface EpisodeScore {
  behaviors: BehaviorScores['codes'];
  /** Mean of the applicable episode-scope codes; 0 when none applies. */
  behavioral: number;
  breakdown: CompositeBreakdown;
}

export function scoreEpisode(trace: Trace, options: EpisodeScoreOptions = {}): EpisodeScore {
  const scores = scoreBehaviors(trace, options.verdict ? { verdict: options.verdict } : {});
  const behavioral = scores.behavioral ?? 0;
  const breakdown = composite({
    outcome: trace.reward.outcome,
    behavioral,
    stage: options.stage ?? 1,
    actions: trace.turns,
    baselineActions: options.baselineActions ?? null,
    phaseBonus: phaseBonus(phaseEvents(trace)),
  });
  return { behaviors: scores.codes, behavioral, breakdown };
}
