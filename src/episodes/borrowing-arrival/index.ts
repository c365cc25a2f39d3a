/**
 * E-3.1 borrowing_arrival: lent to an unfamiliar team, find the way in its codebase, learn its
 * conventions and its real priority, and make a first useful contribution without draining the
 * team's time. Trains B-18, B-19, B-20 and B-22.
 */
import type { EpisodeType } from '../../core/episode-type.js';
import { borrowingArrivalPersonas } from './personas.js';
import { performativeRules, scoreBorrowingArrival } from './score.js';
import type { BorrowingArrivalFacts, BorrowingArrivalHidden, BorrowingArrivalView } from './types.js';
import { borrowingArrivalWorld } from './world.js';

export const borrowingArrival: EpisodeType<BorrowingArrivalView, BorrowingArrivalFacts, BorrowingArrivalHidden> = {
  ...borrowingArrivalWorld,
  personas: borrowingArrivalPersonas,
  score: scoreBorrowingArrival,
  performative: performativeRules,
};
