import type { EpisodeType } from '../../core/episode-type.js';
import { decompositionPerformative } from './performative.js';
import { decompositionStrategies } from './personas.js';
import { performativeRules, scoreDecomposition } from './score.js';
import { decomposition as world } from './world.js';

/** The decomposition episode type: its world, scripted personas, behavior scorer and performative-risk rules. */
export const decomposition: EpisodeType = {
  ...world,
  personas: { ...decompositionStrategies, performative: decompositionPerformative },
  score: scoreDecomposition,
  performative: performativeRules,
};
