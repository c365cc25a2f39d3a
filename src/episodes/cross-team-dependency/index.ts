/**
 * E-3.2 cross_team_dependency: before starting a story, find its unstated dependencies on other
 * teams, tell real ones from plausible false ones, resolve each and tell the teams concerned while
 * they can still plan for it. Trains B-06, B-03 and B-21.
 */
import type { EpisodeType } from '../../core/episode-type.js';
import { crossTeamDependencyPersonas } from './personas.js';
import { performativeRules, scoreCrossTeamDependency } from './score.js';
import type { CrossTeamDependencyFacts, CrossTeamDependencyHidden, CrossTeamDependencyView } from './types.js';
import { crossTeamDependencyWorld } from './world.js';

export const crossTeamDependency: EpisodeType<CrossTeamDependencyView, CrossTeamDependencyFacts, CrossTeamDependencyHidden> = {
  ...crossTeamDependencyWorld,
  personas: crossTeamDependencyPersonas,
  score: scoreCrossTeamDependency,
  performative: performativeRules,
};
