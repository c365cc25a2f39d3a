/**
 * E-1.5 research: answer a technical question that needs outside information — search
 * specifically, check the version the codebase uses, read authoritative current sources, commit to
 * an answer with calibrated confidence, then stop. Trains B-16, B-17 and B-04.
 */
import type { EpisodeType } from '../../core/episode-type.js';
import { researchPersonas } from './personas.js';
import { performativeRules, scoreResearch } from './score.js';
import type { ResearchFacts, ResearchHidden, ResearchView } from './types.js';
import { researchWorld } from './world.js';

export const research: EpisodeType<ResearchView, ResearchFacts, ResearchHidden> = {
  ...researchWorld,
  personas: researchPersonas,
  score: scoreResearch,
  performative: performativeRules,
};
