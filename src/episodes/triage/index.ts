import type { EpisodeType } from '../../core/episode-type.js';
import { triagePerformative, triageStrategies } from './personas.js';
import { performativeRules, scoreTriage } from './score.js';
import { triage as world } from './world.js';

/** The triage episode type: its world, scripted personas, behavior scorer and performative-risk rules. */
export const triage: EpisodeType = {
  ...world,
  personas: { ...triageStrategies, performative: triagePerformative },
  score: scoreTriage,
  performative: performativeRules,
};
