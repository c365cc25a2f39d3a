/**
 * E-1.3 implementation: implement one task in a small repository — find the root cause behind the
 * symptom, change one thing at a time, checkpoint honestly, commit when green. Trains B-09, B-10,
 * B-11, B-25 and B-26.
 */
import type { EpisodeType } from '../../core/episode-type.js';
import { implementationPersonas } from './personas.js';
import { performativeRules, scoreImplementation } from './score.js';
import type { ImplementationFacts, ImplementationHidden, ImplementationView } from './types.js';
import { implementationWorld } from './world.js';

export const implementation: EpisodeType<ImplementationView, ImplementationFacts, ImplementationHidden> = {
  ...implementationWorld,
  personas: implementationPersonas,
  score: scoreImplementation,
  performative: performativeRules,
};
