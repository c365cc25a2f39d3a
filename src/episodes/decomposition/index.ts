/**
 * E-1.2 decomposition: break a refined story into an ordered plan of tasks — the real dependencies
 * with their type, the risky work first, tasks sized to a session, approaches compared before
 * committing. Trains B-05..B-08.
 */
import type { EpisodeType } from '../../core/episode-type.js';
import { decompositionPersonas } from './personas.js';
import { performativeRules, scoreDecomposition } from './score.js';
import type { DecompositionFacts, DecompositionHidden, DecompositionView } from './types.js';
import { decompositionWorld } from './world.js';

export const decomposition: EpisodeType<DecompositionView, DecompositionFacts, DecompositionHidden> = {
  ...decompositionWorld,
  personas: decompositionPersonas,
  score: scoreDecomposition,
  performative: performativeRules,
};
