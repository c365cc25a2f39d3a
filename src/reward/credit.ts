/**
 * The reward the trainer optimizes, per decision. One episode's reward is its composite
 * (`composite.ts`, with the outcome / behavioral weights of the curriculum stage, the efficiency
 * terms against the senior baselines and the phase bonuses) plus its invalid-action penalties. It is
 * spread over the episode's decisions by `stepRewards`:
 *
 *   linked_i = ρ · |R| · v_i / Σ_j |v_j|      (v_i: decision i's net link value; 0 when no links)
 *   r_i      = linked_i                       for i < n − 1
 *   r_{n−1}  = linked_{n−1} + (R − Σ_j linked_j)
 *
 * so the step rewards sum to R, a decision linked to a good outcome is rewarded and one linked to a
 * bad outcome is blamed, whatever the sign of R, and the unlinked rest comes with the last decision.
 *
 * Why the rest comes last and is not spread evenly: an even share R/n per decision makes the
 * return-to-go of a decision grow with the number of decisions still to come, so every extra action
 * looks better than stopping, and PPO learns to lengthen episodes (measured: research episodes went
 * from 8 to 16 actions in 6 iterations while the outcome fell). Paying the rest at the end keeps the
 * return-to-go of every decision equal to R (γ = 1) plus the link values it and its successors
 * earned, so only what the links credit moves a decision's advantage.
 */
import type { Trace } from '../core/trace.js';
import { type BaselinesFile, baselineActions, traceDifficulty } from './baselines.js';
import { RewardInputError } from './composite.js';
import { type EpisodeScore, scoreEpisode } from './episode-score.js';

/** Share ρ of |R| distributed by link values (the rest comes with the last decision). */
export const LINKED_SHARE = 0.5;

/** What the trainer's reward depends on besides the trace. */
export interface ScoreSettings {
  /** Curriculum stage 1–4: the composite's outcome / behavioral weights. */
  stage: number;
  /** Efficiency baselines (none: no efficiency term). */
  baselines?: BaselinesFile;
}

/** One episode's training reward: its score, the episode reward R and the per-decision rewards. */
export interface TrainingReward {
  score: EpisodeScore;
  /** R: the composite (breakdown.total) plus the invalid-action penalties. */
  reward: number;
  /** Per-decision rewards summing to `reward` (see `stepRewards`). */
  credits: number[];
}

/** Net link value of each decision (links with step −1 stay in `episodeLinks` and are not attributed). */
export function decisionLinkValues(trace: Pick<Trace, 'decisions'>): number[] {
  return trace.decisions.map((d) => d.links.reduce((sum, link) => sum + link.value, 0));
}

/** The per-decision rewards of an episode with reward R and net link values v (see the module comment). */
export function stepRewards(reward: number, linkValues: readonly number[], linkedShare = LINKED_SHARE): number[] {
  if (!(linkedShare >= 0 && linkedShare <= 1)) throw new RewardInputError(`linkedShare must be in [0, 1], got ${linkedShare}.`);
  const n = linkValues.length;
  if (n === 0) return [];
  let scale = 0;
  for (const v of linkValues) scale += Math.abs(v);
  const linked = linkValues.map((v) => (scale === 0 ? 0 : (linkedShare * Math.abs(reward) * v) / scale));
  const rest = reward - linked.reduce((a, b) => a + b, 0);
  linked[n - 1] = (linked[n - 1] as number) + rest;
  return linked;
}

/** The reward the trainer optimizes for one finished episode (see the module comment). */
export function trainingReward(trace: Trace, settings: ScoreSettings): TrainingReward {
  const baseline = settings.baselines ? baselineActions(settings.baselines, trace.type, traceDifficulty(trace)) : null;
  const score = scoreEpisode(trace, { stage: settings.stage, baselineActions: baseline });
  const reward = score.breakdown.total + trace.reward.invalidPenalty;
  return { score, reward, credits: stepRewards(reward, decisionLinkValues(trace)) };
}
