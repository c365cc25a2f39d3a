/**
 * The performative persona for decomposition (anti-gaming): goes through the motions of a senior without the
 * substance: many tasks in listed order, a hard dependency between every neighbour, a risk flagged on every component, every approach proposed and "compared", then the first one taken.
 * Used by the reward tests to check that the composite and `performativeRisk` are not fooled.
 */
import type { Action } from '../../core/episode.js';
import type { StructuredObservation } from '../../core/observation.js';

interface DecompositionView {
  components: { index: number }[];
  approaches: { index: number; proposed: boolean; evidence?: string }[];
  tasks: { index: number; component: number }[];
  dependencies: { from: number; to: number }[];
  flaggedComponents: number[];
  chosenApproach: number | null;
  compared: boolean;
}

const PARTS_EACH = 2;
const MAX_PLAN_TASKS = 14;

export function decompositionPerformative(observation: StructuredObservation): Action {
  const view = observation.state as unknown as DecompositionView;
  const complete: Action = { type: 'signal_plan_complete', args: {}, confidence: 0.95 };
  if (observation.turn >= observation.maxTurns - 2) return complete;
  const parts = new Map<number, number>();
  const first = new Map<number, number>();
  for (const t of view.tasks) {
    parts.set(t.component, (parts.get(t.component) ?? 0) + 1);
    if (!first.has(t.component)) first.set(t.component, t.index);
  }
  // Many tasks: every component split in two, in listed order.
  if (view.tasks.length < MAX_PLAN_TASKS)
    for (const c of view.components)
      if ((parts.get(c.index) ?? 0) < PARTS_EACH) return { type: 'create_task', args: { component: c.index } };
  // Dependencies declared everywhere: each component on the one listed before it.
  for (let i = 1; i < view.components.length; i++) {
    const from = (view.components[i - 1] as { index: number }).index;
    const to = (view.components[i] as { index: number }).index;
    const a = first.get(from);
    const b = first.get(to);
    if (a === undefined || b === undefined || a > b) continue;
    if (view.dependencies.some((d) => d.from === from && d.to === to)) continue;
    return { type: 'add_dependency', args: { from, to, kind: 'hard' }, confidence: 0.9 };
  }
  // A risk flagged on everything.
  for (const c of view.components) {
    const t = first.get(c.index);
    if (t !== undefined && !view.flaggedComponents.includes(c.index)) return { type: 'identify_risk', args: { task: t }, confidence: 0.9 };
  }
  // Every approach proposed and compared, then the first one taken whatever the evidence.
  for (const a of view.approaches) if (!a.proposed) return { type: 'propose_approach', args: { approach: a.index } };
  if (view.approaches.length >= 2 && !view.compared) return { type: 'compare_approaches', args: {} };
  const firstApproach = view.approaches[0]?.index ?? 0;
  if (view.chosenApproach !== firstApproach) return { type: 'propose_approach', args: { approach: firstApproach } };
  return complete;
}
