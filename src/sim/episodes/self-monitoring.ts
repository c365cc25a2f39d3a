/** Placeholder: the self_monitoring episode type is being written. */
import type { EpisodeKind } from './types.js';

export const selfMonitoring: EpisodeKind = {
  name: 'self_monitoring',
  summary: 'not implemented yet',
  actions: {},
  maxTurns: 1,
  levers: [],
  vocabulary: [],
  create() {
    throw new Error('self_monitoring is not implemented yet');
  },
};
