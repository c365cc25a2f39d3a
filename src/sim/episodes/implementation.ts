/** Placeholder: the implementation episode type is being written. */
import type { EpisodeKind } from './types.js';

export const implementation: EpisodeKind = {
  name: 'implementation',
  summary: 'not implemented yet',
  actions: {},
  maxTurns: 1,
  levers: [],
  vocabulary: [],
  create() {
    throw new Error('implementation is not implemented yet');
  },
};
