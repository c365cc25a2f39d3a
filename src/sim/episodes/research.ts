/** Placeholder: the research episode type is being written. */
import type { EpisodeKind } from './types.js';

export const research: EpisodeKind = {
  name: 'research',
  summary: 'not implemented yet',
  actions: {},
  maxTurns: 1,
  levers: [],
  vocabulary: [],
  create() {
    throw new Error('research is not implemented yet');
  },
};
