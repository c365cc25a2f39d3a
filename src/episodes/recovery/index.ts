import type { EpisodeType } from '../../core/episode-type.js';
import { recoveryPerformative, recoveryStrategies } from './personas.js';
import { performativeRules, scoreRecovery } from './score.js';
import { recovery as world } from './world.js';

/** The recovery episode type: its world, scripted personas, behavior scorer and performative-risk rules. */
export const recovery: EpisodeType = {
  ...world,
  personas: { ...recoveryStrategies, performative: recoveryPerformative },
  score: scoreRecovery,
  performative: performativeRules,
};
