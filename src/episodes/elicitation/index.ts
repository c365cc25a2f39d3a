import type { EpisodeType } from '../../core/episode-type.js';
import { elicitationPerformative } from './performative.js';
import { elicitationStrategies } from './personas.js';
import { performativeRules, scoreElicitation } from './score.js';
import { elicitation as world } from './world.js';

/** The elicitation episode type: its world, scripted personas, behavior scorer and performative-risk rules. */
export const elicitation: EpisodeType = {
  ...world,
  personas: { ...elicitationStrategies, performative: elicitationPerformative },
  score: scoreElicitation,
  performative: performativeRules,
};
