/**
 * The performative persona for elicitation (anti-gaming): goes through the motions of a senior without the
 * substance: many generic questions and questions about what the story already states, stated assumptions it never checks, then ready.
 * Used by the reward tests to check that the composite and `performativeRisk` are not fooled.
 */
import type { Action } from '../../core/episode.js';
import type { StructuredObservation } from '../../core/observation.js';
import { DIMENSIONS, type Dimension } from '../../sim/story.js';

interface ElicitationView {
  statedDimensions: Dimension[];
  impliedByConventions: Dimension[];
  questionsAsked: number;
  interactions: { kind: 'question' | 'assumption' | 'example'; dimension: Dimension | 'general' }[];
}

const GENERIC_QUESTIONS = 3;
const ASSUMPTIONS = 3;

export function elicitationPerformative(observation: StructuredObservation): Action {
  const view = observation.state as unknown as ElicitationView;
  if (observation.turn >= observation.maxTurns - 1) return { type: 'signal_ready', args: {}, confidence: 0.95 };
  const questions = view.interactions.filter((i) => i.kind === 'question');
  const asked = new Set(questions.map((i) => i.dimension));
  const generic = questions.filter((i) => i.dimension === 'general').length;
  if (generic < GENERIC_QUESTIONS) return { type: 'ask_question', args: { dimension: 'general' } };
  // Questions about what the story already says, or what conventions already settle.
  for (const d of [...view.statedDimensions, ...view.impliedByConventions])
    if (!asked.has(d)) return { type: 'ask_question', args: { dimension: d } };
  // Assumptions stated with confidence and never checked with a question.
  const assumed = new Set(view.interactions.filter((i) => i.kind === 'assumption').map((i) => i.dimension));
  if (assumed.size < ASSUMPTIONS) {
    const stated = new Set(view.statedDimensions);
    const next = DIMENSIONS.find((d) => !stated.has(d) && !asked.has(d) && !assumed.has(d));
    if (next) return { type: 'state_assumption', args: { dimension: next }, confidence: 0.9 };
  }
  return { type: 'signal_ready', args: {}, confidence: 0.95 };
}
