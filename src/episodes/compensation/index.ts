/**
 * E-4.3 compensation: a key member just left mid-sprint — assess the impact, recover the lost
 * knowledge from what the artifacts hold, call in a specialist only when nothing else can, give the
 * orphaned work to people who can do it, and recommit what the team can deliver. Trains B-10
 * (stuck detection), B-12 (knowing your limits), B-13 (severity triage) and B-14 (graceful
 * replanning).
 */
import type { EpisodeType } from '../../core/episode-type.js';
import { compensationPersonas } from './personas.js';
import { performativeRules, scoreCompensation } from './score.js';
import type { CompensationFacts, CompensationHidden, CompensationView } from './types.js';
import { compensationWorld } from './world.js';

export const compensation: EpisodeType<CompensationView, CompensationFacts, CompensationHidden> = {
  ...compensationWorld,
  personas: compensationPersonas,
  score: scoreCompensation,
  performative: performativeRules,
};
