/**
 * The performative persona for research (anti-gaming): goes through the motions of a senior without the
 * substance: many searches and fetches in listed order, then synthesizes from the first result that answers, with high confidence.
 * Used by the reward tests to check that the composite and `performativeRisk` are not fooled.
 */
import type { Action } from '../../core/episode.js';
import type { StructuredObservation } from '../../core/observation.js';

interface ResearchView {
  searches: { query: string }[];
  results: { index: number; fetched: boolean; answer?: string | null }[];
  synthesized: { source: number } | null;
  confidence: string | null;
}

const QUERIES = ['generic', 'specific', 'generic', 'versioned'] as const;
const FETCHES = 4;

export function researchPerformative(observation: StructuredObservation): Action {
  const view = observation.state as unknown as ResearchView;
  const signal: Action = { type: 'signal_sufficient', args: {}, confidence: 0.95 };
  if (view.synthesized) {
    if (view.confidence === null) return { type: 'assess_confidence', args: { level: 'high' }, confidence: 0.9 };
    return signal;
  }
  const read = view.results.filter((r) => r.fetched);
  const answered = read.find((r) => r.answer);
  if (observation.turn >= observation.maxTurns - 3)
    return answered ? { type: 'synthesize', args: { source: answered.index }, confidence: 0.95 } : signal;
  if (view.searches.length < QUERIES.length) return { type: 'search', args: { query: QUERIES[view.searches.length] as string } };
  const unread = view.results.find((r) => !r.fetched);
  if (unread && read.length < FETCHES) return { type: 'fetch_doc', args: { source: unread.index } };
  // The first result read that answers, whatever its authority or version.
  if (answered) return { type: 'synthesize', args: { source: answered.index }, confidence: 0.95 };
  if (unread) return { type: 'fetch_doc', args: { source: unread.index } };
  return signal;
}
