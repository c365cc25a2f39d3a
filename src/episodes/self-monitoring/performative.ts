/**
 * The performative persona for self_monitoring (anti-gaming): goes through the motions of a senior without the
 * substance: assesses progress again and again as on track with high confidence, researches suspects it never uses, names the loudest one, continues.
 * Used by the reward tests to check that the composite and `performativeRisk` are not fooled.
 */
import type { Action } from '../../core/episode.js';
import type { StructuredObservation } from '../../core/observation.js';

interface SelfMonitoringView {
  suspects: { index: number; loudest: boolean }[];
  findings: { action: string; suspect: number }[];
  assessments: { estimate: string }[];
  identified: { suspect: number }[];
}

const ASSESSMENTS = 3;
const RESEARCHED = 5;

export function selfMonitoringPerformative(observation: StructuredObservation): Action {
  const view = observation.state as unknown as SelfMonitoringView;
  const onTrack: Action = { type: 'assess_progress', args: { estimate: 'on_track' }, confidence: 0.95 };
  const proceed: Action = { type: 'checkpoint_continue', args: {}, confidence: 0.95 };
  if (observation.turn >= observation.maxTurns - 1) return proceed;
  const researched = view.findings.filter((f) => f.action === 'research').length;
  // Alternates confident assessments with research on every suspect in turn.
  if (view.assessments.length <= researched / 2 && view.assessments.length < ASSESSMENTS) return onTrack;
  if (researched < Math.min(RESEARCHED, 2 * view.suspects.length))
    return { type: 'research', args: { topic: researched % Math.max(1, view.suspects.length) } };
  if (view.assessments.length < ASSESSMENTS) return onTrack;
  if (view.identified.length === 0) {
    const loud = view.suspects.find((s) => s.loudest);
    return { type: 'identify_issue', args: { suspect: loud?.index ?? 0 }, confidence: 0.9 };
  }
  return proceed;
}
