/**
 * E-2.1 triage: mid-sprint, a disturbance lands on the board — investigate the symptoms, rate its
 * severity and blast radius, tell the people who need to know, then fix now, defer or escalate in
 * proportion. Trains B-13, B-14 and B-21 (and records the confidence facts B-30 reads over a window).
 */
import type { EpisodeType } from '../../core/episode-type.js';
import { triagePersonas } from './personas.js';
import { performativeRules, scoreTriage } from './score.js';
import type { TriageFacts, TriageHidden, TriageView } from './types.js';
import { triageWorld } from './world.js';

export const triage: EpisodeType<TriageView, TriageFacts, TriageHidden> = {
  ...triageWorld,
  personas: triagePersonas,
  score: scoreTriage,
  performative: performativeRules,
};
