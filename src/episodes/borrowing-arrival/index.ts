import type { EpisodeType } from '../../core/episode-type.js';
import { borrowingArrivalPerformative, borrowingArrivalStrategies } from './personas.js';
import { performativeRules, scoreBorrowingArrival } from './score.js';
import { borrowingArrival as world } from './world.js';

/** The borrowing_arrival episode type: its world, scripted personas, behavior scorer and performative-risk rules. */
export const borrowingArrival: EpisodeType = {
  ...world,
  personas: { ...borrowingArrivalStrategies, performative: borrowingArrivalPerformative },
  score: scoreBorrowingArrival,
  performative: performativeRules,
};
