/**
 * E-2.2 recovery: after a disturbance turned the build red mid-sprint, find and fix the root cause
 * (not the loudest symptom) without collateral damage, replan the sprint in proportion to the damage
 * and capture a learning that prevents recurrence. Trains B-10, B-11, B-14 and B-15.
 */
import type { EpisodeType } from '../../core/episode-type.js';
import { recoveryPersonas } from './personas.js';
import { performativeRules, scoreRecovery } from './score.js';
import type { RecoveryFacts, RecoveryHidden, RecoveryView } from './types.js';
import { recoveryWorld } from './world.js';

export const recovery: EpisodeType<RecoveryView, RecoveryFacts, RecoveryHidden> = {
  ...recoveryWorld,
  personas: recoveryPersonas,
  score: scoreRecovery,
  performative: performativeRules,
};
