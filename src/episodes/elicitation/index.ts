/**
 * E-1.1 elicitation: refine one user story with the product owner — find the hidden requirements
 * that change the implementation, then stop asking. Trains B-01..B-04.
 */
import type { EpisodeType } from '../../core/episode-type.js';
import { elicitationPersonas } from './personas.js';
import { performativeRules, scoreElicitation } from './score.js';
import type { ElicitationFacts, ElicitationHidden, ElicitationView } from './types.js';
import { elicitationWorld } from './world.js';

export const elicitation: EpisodeType<ElicitationView, ElicitationFacts, ElicitationHidden> = {
  ...elicitationWorld,
  personas: elicitationPersonas,
  score: scoreElicitation,
  performative: performativeRules,
};
