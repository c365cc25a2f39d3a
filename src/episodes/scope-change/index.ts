/**
 * E-2.3 scope_change: mid-sprint, an unplanned card arrives with the sprint near capacity — find
 * its real value, urgency and size, negotiate a trade-off with the product owner, then accept or
 * defer it. Trains B-02, B-13, B-14 and B-25.
 */
import type { EpisodeType } from '../../core/episode-type.js';
import { scopeChangePersonas } from './personas.js';
import { performativeRules, scoreScopeChange } from './score.js';
import type { ScopeChangeFacts, ScopeChangeHidden, ScopeChangeView } from './types.js';
import { scopeChangeWorld } from './world.js';

export const scopeChange: EpisodeType<ScopeChangeView, ScopeChangeFacts, ScopeChangeHidden> = {
  ...scopeChangeWorld,
  personas: scopeChangePersonas,
  score: scoreScopeChange,
  performative: performativeRules,
};
