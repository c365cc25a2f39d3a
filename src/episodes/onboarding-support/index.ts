import type { EpisodeType } from '../../core/episode-type.js';
import { onboardingSupportPerformative, onboardingSupportStrategies } from './personas.js';
import { performativeRules, scoreOnboardingSupport } from './score.js';
import { onboardingSupport as world } from './world.js';

/** The onboarding_support episode type: its world, scripted personas, behavior scorer and performative-risk rules. */
export const onboardingSupport: EpisodeType = {
  ...world,
  personas: { ...onboardingSupportStrategies, performative: onboardingSupportPerformative },
  score: scoreOnboardingSupport,
  performative: performativeRules,
};
