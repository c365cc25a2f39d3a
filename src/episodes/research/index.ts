import type { EpisodeType } from '../../core/episode-type.js';
import { researchPerformative } from './performative.js';
import { researchStrategies } from './personas.js';
import { performativeRules, scoreResearch } from './score.js';
import { research as world } from './world.js';

/** The research episode type: its world, scripted personas, behavior scorer and performative-risk rules. */
export const research: EpisodeType = {
  ...world,
  personas: { ...researchStrategies, performative: researchPerformative },
  score: scoreResearch,
  performative: performativeRules,
};
