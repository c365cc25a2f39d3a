/**
 * A policy's outcome rewards over a range of seeds of one episode type: the causality test and
 * `scripts/causality.ts` compare the scripted personas with it.
 */
import type { EpisodeWorld, ScenarioOptions } from '../core/episode.js';
import type { Policy } from '../policy/types.js';
import { mean, std } from '../reward/stats.js';
import { type EpisodeSpec, rolloutSync } from './rollout.js';

export interface PersonaStats {
  outcomes: number[];
  mean: number;
  std: number;
  meanActions: number;
  acceptance: number;
}

/** Outcome rewards of an in-process policy over seeds `first .. first+count-1`. */
export function personaOutcomes(type: EpisodeWorld, policy: Policy, first: number, count: number, options?: ScenarioOptions): PersonaStats {
  const specs = Array.from({ length: count }, (_, i): EpisodeSpec => ({ type, seed: first + i, options }));
  const outcomes: number[] = [];
  let actions = 0;
  let accepted = 0;
  rolloutSync(policy, specs, {
    keep: false,
    onEpisode: ({ trace }) => {
      outcomes.push(trace.reward.outcome);
      actions += trace.turns;
      if (trace.reward.components.story_accepted >= 0.5) accepted++;
    },
  });
  return { outcomes, mean: mean(outcomes), std: std(outcomes), meanActions: actions / count, acceptance: accepted / count };
}
