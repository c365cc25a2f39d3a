import type { EpisodeType } from '../../core/episode-type.js';
import { compensationPerformative, compensationStrategies } from './personas.js';
import { performativeRules, scoreCompensation } from './score.js';
import { compensation as world } from './world.js';

/** The compensation episode type: its world, scripted personas, behavior scorer and performative-risk rules. */
export const compensation: EpisodeType = {
  ...world,
  personas: { ...compensationStrategies, performative: compensationPerformative },
  score: scoreCompensation,
  performative: performativeRules,
};
