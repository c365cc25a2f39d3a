/**
 * Phase transitions of an episode, read from its trace, for the sparse phase bonuses of
 * reward.yaml. A transition is correct when the episode's own outcome links say so:
 * - elicitation_to_planning: `signal_ready` linked `ready_at_right_time` (no important requirement
 *   left unknown), not `ready_too_early`;
 * - planning_to_execution: `signal_plan_complete` in an episode whose plan was delivered
 *   (`plan_delivered`);
 * - checkpoint_continue / checkpoint_pivot / checkpoint_escalate: the checkpoint action linked
 *   `checkpoint_right` (the decision the hidden truth called for).
 */
import type { Trace } from '../core/trace.js';
import type { TransitionEvent } from './composite.js';

const CHECKPOINTS: Record<string, TransitionEvent['transition']> = {
  checkpoint_continue: 'checkpoint_continue',
  checkpoint_pivot: 'checkpoint_pivot',
  checkpoint_escalate: 'checkpoint_escalate',
};

export function phaseEvents(trace: Pick<Trace, 'decisions' | 'episodeLinks'>): TransitionEvent[] {
  const events: TransitionEvent[] = [];
  let planDelivered = false;
  for (const link of trace.episodeLinks) if (link.effect === 'plan_delivered') planDelivered = true;
  for (const d of trace.decisions) for (const link of d.links) if (link.effect === 'plan_delivered') planDelivered = true;
  for (const d of trace.decisions) {
    if (!d.valid) continue;
    const type = d.action.type;
    if (type === 'signal_ready') {
      events.push({ transition: 'elicitation_to_planning', correct: d.links.some((l) => l.effect === 'ready_at_right_time') });
    } else if (type === 'signal_plan_complete') {
      events.push({ transition: 'planning_to_execution', correct: planDelivered });
    } else if (Object.hasOwn(CHECKPOINTS, type)) {
      events.push({
        transition: CHECKPOINTS[type] as TransitionEvent['transition'],
        correct: d.links.some((l) => l.effect === 'checkpoint_right'),
      });
    }
  }
  return events;
}
