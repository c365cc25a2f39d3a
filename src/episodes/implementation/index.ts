import type { EpisodeType } from '../../core/episode-type.js';
import { implementationPerformative } from './performative.js';
import { implementationStrategies } from './personas.js';
import { performativeRules, scoreImplementation } from './score.js';
import { implementation as world } from './world.js';

/** The implementation episode type: its world, scripted personas, behavior scorer and performative-risk rules. */
export const implementation: EpisodeType = {
  ...world,
  personas: { ...implementationStrategies, performative: implementationPerformative },
  score: scoreImplementation,
  performative: performativeRules,
};
