/**
 * Persona strategies for E-1.2 decomposition (public view only).
 *
 * Senior (B-05..B-08): plans every component in dependency order with the uncertain and
 * cross-team work first, splits components estimated above a session, declares one dependency per
 * cue ("needs" -> hard, "reuses" -> soft), flags every component with an uncertainty or
 * cross-team cue, proposes every approach, compares them and takes the one the evidence favours,
 * then signals the plan complete. Mid: listed order with uncertain work moved up, splits only very
 * large components, declares only the "needs" cues, flags only uncertain components, proposes two
 * approaches and compares them. Junior: creates tasks in listed order and sometimes stops early,
 * declares no dependency (or a random one), flags nothing, takes the first approach.
 */
import type { StructuredObservation } from '../../env/observation.js';
import type { Action } from '../../sim/episodes/types.js';
import type { Rng } from '../../sim/rng.js';
import type { TypeStrategies } from './index.js';

type CueKind = 'needs' | 'reuses' | 'external' | 'uncertain';
type Evidence = 'promising' | 'mixed' | 'doubtful';

interface DecompositionView {
  team: { pairs: number; sprintDaysLeft: number; sessionHours: number };
  components: { index: number; estimateHours: number; cues: { kind: CueKind; ref?: number }[] }[];
  approaches: { index: number; proposed: boolean; evidence?: Evidence }[];
  tasks: { index: number; component: number; part: number }[];
  dependencies: { from: number; to: number; kind: 'hard' | 'soft' }[];
  flaggedComponents: number[];
  chosenApproach: number | null;
  compared: boolean;
}

const create = (component: number): Action => ({ type: 'create_task', args: { component } });
const depend = (from: number, to: number, kind: 'hard' | 'soft'): Action => ({
  type: 'add_dependency',
  args: { from, to, kind },
  confidence: 0.7,
});
const flag = (task: number): Action => ({ type: 'identify_risk', args: { task }, confidence: 0.6 });
const propose = (approach: number): Action => ({ type: 'propose_approach', args: { approach } });
const complete = (confidence: number): Action => ({ type: 'signal_plan_complete', args: {}, confidence });

const EVIDENCE_RANK: Record<Evidence, number> = { promising: 2, mixed: 1, doubtful: 0 };

function hasCue(c: DecompositionView['components'][number], kind: CueKind): boolean {
  return c.cues.some((cue) => cue.kind === kind);
}

/** Per component: number of tasks so far, and the plan position of its first task (-1 if none). */
function planState(view: DecompositionView): { parts: number[]; first: number[] } {
  const n = view.components.length;
  const parts = new Array<number>(n).fill(0);
  const first = new Array<number>(n).fill(-1);
  for (const t of view.tasks) {
    parts[t.component] = (parts[t.component] as number) + 1;
    if (first[t.component] === -1) first[t.component] = t.index;
  }
  return { parts, first };
}

function isDeclared(view: DecompositionView, from: number, to: number): boolean {
  for (const d of view.dependencies) if (d.from === from && d.to === to) return true;
  return false;
}

/** Dependency order over the cue graph, uncertain and cross-team work first among the ready ones. */
function riskFirstOrder(view: DecompositionView): number[] {
  const priority = (c: DecompositionView['components'][number]) =>
    (hasCue(c, 'uncertain') ? 2 : 0) + (hasCue(c, 'external') ? 1.5 : 0) + c.estimateHours / 10;
  const order: number[] = [];
  const placed = new Set<number>();
  while (order.length < view.components.length) {
    let best: DecompositionView['components'][number] | undefined;
    let fallback: DecompositionView['components'][number] | undefined;
    for (const c of view.components) {
      if (placed.has(c.index)) continue;
      if (!fallback || priority(c) > priority(fallback)) fallback = c;
      if (c.cues.some((cue) => cue.ref !== undefined && !placed.has(cue.ref))) continue;
      if (!best || priority(c) > priority(best)) best = c;
    }
    const next = (best ?? fallback) as DecompositionView['components'][number];
    placed.add(next.index);
    order.push(next.index);
  }
  return order;
}

/** Tasks for a component so that each fits a session. */
function partsFor(estimate: number, session: number): number {
  return estimate > 2 * session ? 3 : estimate > session ? 2 : 1;
}

/** What the senior reads once from the (static) component list: plan order, parts, cues. */
interface SeniorReading {
  order: number[];
  parts: number[];
  /** Dependencies suggested by cues: [from, to, kind]. */
  deps: [number, number, 'hard' | 'soft'][];
  /** Components with an uncertainty or cross-team cue. */
  risky: number[];
}

/** Keyed by the component list object, which stays the same across an episode's observations. */
const readings = new WeakMap<object, SeniorReading>();

function seniorReading(view: DecompositionView): SeniorReading {
  const cached = readings.get(view.components);
  if (cached) return cached;
  const reading: SeniorReading = {
    order: riskFirstOrder(view),
    parts: view.components.map((c) => partsFor(c.estimateHours, view.team.sessionHours)),
    deps: view.components.flatMap((c) =>
      c.cues
        .filter((cue) => cue.ref !== undefined)
        .map((cue): [number, number, 'hard' | 'soft'] => [cue.ref as number, c.index, cue.kind === 'needs' ? 'hard' : 'soft']),
    ),
    risky: view.components.filter((c) => hasCue(c, 'uncertain') || hasCue(c, 'external')).map((c) => c.index),
  };
  readings.set(view.components, reading);
  return reading;
}

/** Proposes the approaches in `wanted`, compares them, then takes the best-evidenced one. */
function chooseApproach(view: DecompositionView, wanted: number[]): Action | undefined {
  for (const a of wanted) if (!(view.approaches[a] as DecompositionView['approaches'][number]).proposed) return propose(a);
  if (wanted.length >= 2 && wanted.some((a) => view.approaches[a]?.evidence === undefined)) return { type: 'compare_approaches', args: {} };
  let best = wanted[0] as number;
  for (const a of wanted) {
    const e = view.approaches[a]?.evidence;
    const b = view.approaches[best]?.evidence;
    if (e && b && EVIDENCE_RANK[e] > EVIDENCE_RANK[b]) best = a;
  }
  if (view.chosenApproach !== best) return propose(best);
  return undefined;
}

function senior(observation: StructuredObservation): Action {
  const view = observation.state as unknown as DecompositionView;
  const reading = seniorReading(view);
  const { parts, first } = planState(view);
  if (view.tasks.length < 16) for (const c of reading.order) if ((parts[c] as number) < (reading.parts[c] as number)) return create(c);
  for (const [from, to, kind] of reading.deps) {
    const a = first[from] as number;
    const b = first[to] as number;
    if (a < 0 || b < 0 || a > b || isDeclared(view, from, to)) continue;
    return depend(from, to, kind);
  }
  for (const c of reading.risky) {
    const t = first[c] as number;
    if (t >= 0 && !view.flaggedComponents.includes(c)) return flag(t);
  }
  const choice = chooseApproach(
    view,
    view.approaches.map((a) => a.index),
  );
  return choice ?? complete(0.8);
}

function mid(observation: StructuredObservation, rng: Rng): Action {
  const view = observation.state as unknown as DecompositionView;
  const { parts, first } = planState(view);
  const order = [
    ...view.components.filter((c) => hasCue(c, 'uncertain')).map((c) => c.index),
    ...view.components.filter((c) => !hasCue(c, 'uncertain')).map((c) => c.index),
  ];
  for (const c of order) {
    const comp = view.components[c] as DecompositionView['components'][number];
    const wanted = comp.estimateHours > 1.5 * view.team.sessionHours ? 2 : 1;
    if ((parts[c] as number) < wanted) return create(c);
  }
  for (const c of view.components) {
    for (const cue of c.cues) {
      if (cue.kind !== 'needs' || cue.ref === undefined || isDeclared(view, cue.ref, c.index)) continue;
      const a = first[cue.ref] as number;
      const b = first[c.index] as number;
      if (a < 0 || b < 0 || a > b) continue;
      return depend(cue.ref, c.index, 'hard');
    }
  }
  const flagged = new Set(view.flaggedComponents);
  for (const c of view.components)
    if (!flagged.has(c.index) && hasCue(c, 'uncertain') && (first[c.index] as number) >= 0) return flag(first[c.index] as number);
  const choice = chooseApproach(view, view.approaches.length > 1 ? [0, 1] : [0]);
  if (choice) return choice;
  return complete(rng.uniform(0.8, 0.95));
}

function junior(observation: StructuredObservation, rng: Rng): Action {
  const view = observation.state as unknown as DecompositionView;
  const { parts, first } = planState(view);
  if (view.chosenApproach !== null) return complete(0.95);
  const next = view.components.find((c) => (parts[c.index] as number) === 0);
  if (next && (view.tasks.length < 2 || !rng.chance(0.15))) return create(next.index);
  // Sometimes one dependency between two planned components, picked without reading the cues.
  if (view.dependencies.length === 0 && view.tasks.length >= 2 && rng.chance(0.3)) {
    const planned = view.components.filter((c) => (first[c.index] as number) >= 0).map((c) => c.index);
    const from = rng.pick(planned);
    const later = planned.filter((c) => (first[c] as number) > (first[from] as number));
    if (later.length > 0) return depend(from, rng.pick(later), 'hard');
  }
  return propose(0);
}

export const decompositionStrategies: TypeStrategies = { senior, mid, junior };
