/**
 * E-1.4 self_monitoring: at a mid-implementation checkpoint, assess progress honestly, investigate
 * the suspects behind the failing tests, name the real issue, then continue, pivot or escalate.
 * Trains B-09, B-10 and B-12 (and records the confidence facts B-30 reads over a window).
 */
import type { EpisodeType } from '../../core/episode-type.js';
import { selfMonitoringPersonas } from './personas.js';
import { performativeRules, scoreSelfMonitoring } from './score.js';
import type { SelfMonitoringFacts, SelfMonitoringHidden, SelfMonitoringView } from './types.js';
import { selfMonitoringWorld } from './world.js';

export const selfMonitoring: EpisodeType<SelfMonitoringView, SelfMonitoringFacts, SelfMonitoringHidden> = {
  ...selfMonitoringWorld,
  personas: selfMonitoringPersonas,
  score: scoreSelfMonitoring,
  performative: performativeRules,
};
