/** Placeholder: the decomposition episode type is being written. */
import type { EpisodeKind } from './types.js';

export const decomposition: EpisodeKind = {
  name: 'decomposition',
  summary: 'not implemented yet',
  actions: {},
  maxTurns: 1,
  levers: [],
  vocabulary: [],
  create() {
    throw new Error('decomposition is not implemented yet');
  },
};
