import type { EpisodeType } from '../../core/episode-type.js';
import { scopeChangePerformative, scopeChangeStrategies } from './personas.js';
import { performativeRules, scoreScopeChange } from './score.js';
import { scopeChange as world } from './world.js';

/** The scope_change episode type: its world, scripted personas, behavior scorer and performative-risk rules. */
export const scopeChange: EpisodeType = {
  ...world,
  personas: { ...scopeChangeStrategies, performative: scopeChangePerformative },
  score: scoreScopeChange,
  performative: performativeRules,
};
