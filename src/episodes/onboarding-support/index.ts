/**
 * E-4.2 onboarding_support: as the senior helping a new member, assess their real skills, name their
 * gaps, set up pairing and context, size the sprint to their ramp-up and assign a starter task that
 * fits. Trains B-20, B-07 and B-22.
 */
import type { EpisodeType } from '../../core/episode-type.js';
import { onboardingSupportPersonas } from './personas.js';
import { performativeRules, scoreOnboardingSupport } from './score.js';
import type { OnboardingSupportFacts, OnboardingSupportHidden, OnboardingSupportView } from './types.js';
import { onboardingSupportWorld } from './world.js';

export const onboardingSupport: EpisodeType<OnboardingSupportView, OnboardingSupportFacts, OnboardingSupportHidden> = {
  ...onboardingSupportWorld,
  personas: onboardingSupportPersonas,
  score: scoreOnboardingSupport,
  performative: performativeRules,
};
