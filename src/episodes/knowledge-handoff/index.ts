import type { EpisodeType } from '../../core/episode-type.js';
import { knowledgeHandoffPerformative, knowledgeHandoffStrategies } from './personas.js';
import { performativeRules, scoreKnowledgeHandoff } from './score.js';
import { knowledgeHandoff as world } from './world.js';

/** The knowledge_handoff episode type: its world, scripted personas, behavior scorer and performative-risk rules. */
export const knowledgeHandoff: EpisodeType = {
  ...world,
  personas: { ...knowledgeHandoffStrategies, performative: knowledgeHandoffPerformative },
  score: scoreKnowledgeHandoff,
  performative: performativeRules,
};
