import type { EpisodeType } from '../../core/episode-type.js';
import { selfMonitoringPerformative } from './performative.js';
import { selfMonitoringStrategies } from './personas.js';
import { performativeRules, scoreSelfMonitoring } from './score.js';
import { selfMonitoring as world } from './world.js';

/** The self_monitoring episode type: its world, scripted personas, behavior scorer and performative-risk rules. */
export const selfMonitoring: EpisodeType = {
  ...world,
  personas: { ...selfMonitoringStrategies, performative: selfMonitoringPerformative },
  score: scoreSelfMonitoring,
  performative: performativeRules,
};
