/**
 * E-4.1 knowledge_handoff: leaving the team in a few days, find the knowledge only you hold, hand
 * the most critical over first with the method that suits it, and verify that someone holds it.
 * Trains B-23 (decision documentation) and B-24 (knowledge gap handoff).
 */
import type { EpisodeType } from '../../core/episode-type.js';
import { knowledgeHandoffPersonas } from './personas.js';
import { performativeRules, scoreKnowledgeHandoff } from './score.js';
import type { KnowledgeHandoffFacts, KnowledgeHandoffHidden, KnowledgeHandoffView } from './types.js';
import { knowledgeHandoffWorld } from './world.js';

export const knowledgeHandoff: EpisodeType<KnowledgeHandoffView, KnowledgeHandoffFacts, KnowledgeHandoffHidden> = {
  ...knowledgeHandoffWorld,
  personas: knowledgeHandoffPersonas,
  score: scoreKnowledgeHandoff,
  performative: performativeRules,
};
