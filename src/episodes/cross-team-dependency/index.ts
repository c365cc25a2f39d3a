import type { EpisodeType } from '../../core/episode-type.js';
import { crossTeamDependencyPerformative, crossTeamDependencyStrategies } from './personas.js';
import { performativeRules, scoreCrossTeamDependency } from './score.js';
import { crossTeamDependency as world } from './world.js';

/** The cross_team_dependency episode type: its world, scripted personas, behavior scorer and performative-risk rules. */
export const crossTeamDependency: EpisodeType = {
  ...world,
  personas: { ...crossTeamDependencyStrategies, performative: crossTeamDependencyPerformative },
  score: scoreCrossTeamDependency,
  performative: performativeRules,
};
