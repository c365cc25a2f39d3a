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
 * Performative (anti-gaming): the motions of a senior without the substance: many tasks in listed
 * order, a hard dependency between every neighbour, a risk flagged on every component, every
 * approach proposed and "compared", then the first one taken whatever the evidence.
 */

import type { Action } from '../../core/episode.js';
import type { Personas } from '../../core/episode-type.js';
import type { StructuredObservation } from '../../core/observation.js';
import type { Rng } from '../../core/rng.js';
import type { CueKind, DepKind } from '../../sim/task-graph.js';
import { type ApproachView, type ComponentView, type DecompositionView, EVIDENCE_RANK, type TaskView } from './types.js';

type Observation = StructuredObservation<DecompositionView>;

const create = (component: number): Action => ({ type: 'create_task', args: { component } });
const depend = (from: number, to: number, kind: DepKind): Action => ({
  type: 'add_dependency',
  args: { from, to, kind },
  confidence: 0.7,
});
const flag = (task: number): Action => ({ type: 'identify_risk', args: { task }, confidence: 0.6 });
const propose = (approach: number): Action => ({ type: 'propose_approach', args: { approach } });
const complete = (confidence: number): Action => ({ type: 'signal_plan_complete', args: {}, confidence });

function hasCue(c: ComponentView, kind: CueKind): boolean {
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
  const components = view.components;
  const n = components.length;
  // Per component (list position): its priority, and the components its cues refer to (bitmask).
  const priority = new Array<number>(n);
  const refs = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const c = components[i] as ComponentView;
    priority[i] = (hasCue(c, 'uncertain') ? 2 : 0) + (hasCue(c, 'external') ? 1.5 : 0) + c.estimateHours / 10;
    let mask = 0;
    for (const cue of c.cues) if (cue.ref !== undefined) mask |= 1 << cue.ref;
    refs[i] = mask;
  }
  const order: number[] = [];
  let placed = 0;
  while (order.length < n) {
    let best = -1;
    let fallback = -1;
    for (let i = 0; i < n; i++) {
      if (placed & (1 << (components[i] as ComponentView).index)) continue;
      const p = priority[i] as number;
      if (fallback < 0 || p > (priority[fallback] as number)) fallback = i;
      if ((refs[i] as number) & ~placed) continue;
      if (best < 0 || p > (priority[best] as number)) best = i;
    }
    const next = components[best >= 0 ? best : fallback] as ComponentView;
    placed |= 1 << next.index;
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
  deps: [number, number, DepKind][];
  /** Components with an uncertainty or cross-team cue. */
  risky: number[];
  /** Indices of the approaches. */
  approaches: number[];
  /** The plan state of the last task list seen (`planState`, kept up to date as tasks are appended). */
  tasks: readonly TaskView[] | undefined;
  planParts: number[];
  planFirst: number[];
}

/**
 * The readings of the last few episodes, keyed by the component list object, which stays the same
 * across an episode's observations (a short list: a WeakMap costs more than the reading saves).
 */
const READINGS_KEPT = 4;
const readingKeys: object[] = [];
const readingValues: SeniorReading[] = [];
let nextReadingSlot = 0;

function seniorReading(view: DecompositionView): SeniorReading {
  const key = view.components;
  for (let i = 0; i < readingKeys.length; i++) if (readingKeys[i] === key) return readingValues[i] as SeniorReading;
  const session = view.team.sessionHours;
  const parts: number[] = [];
  const deps: [number, number, DepKind][] = [];
  const risky: number[] = [];
  for (const c of view.components) {
    parts.push(partsFor(c.estimateHours, session));
    let uncertainOrExternal = false;
    for (const cue of c.cues) {
      if (cue.ref !== undefined) deps.push([cue.ref, c.index, cue.kind === 'needs' ? 'hard' : 'soft']);
      if (cue.kind === 'uncertain' || cue.kind === 'external') uncertainOrExternal = true;
    }
    if (uncertainOrExternal) risky.push(c.index);
  }
  const n = view.components.length;
  const reading: SeniorReading = {
    order: riskFirstOrder(view),
    parts,
    deps,
    risky,
    approaches: view.approaches.map((a) => a.index),
    tasks: undefined,
    planParts: new Array<number>(n).fill(0),
    planFirst: new Array<number>(n).fill(-1),
  };
  readingKeys[nextReadingSlot] = key;
  readingValues[nextReadingSlot] = reading;
  nextReadingSlot = (nextReadingSlot + 1) % READINGS_KEPT;
  return reading;
}

/**
 * `planState` of the view, from the reading's cache: tasks are only ever appended within an
 * episode, so a task list that extends the last one seen is read from where that one ended.
 */
function seniorPlanState(view: DecompositionView, reading: SeniorReading): { parts: number[]; first: number[] } {
  const tasks = view.tasks;
  const seen = reading.tasks;
  if (tasks === seen) return { parts: reading.planParts, first: reading.planFirst };
  let from = 0;
  if (seen !== undefined && seen.length <= tasks.length && (seen.length === 0 || tasks[seen.length - 1] === seen[seen.length - 1]))
    from = seen.length;
  else {
    reading.planParts.fill(0);
    reading.planFirst.fill(-1);
  }
  const parts = reading.planParts;
  const first = reading.planFirst;
  for (let i = from; i < tasks.length; i++) {
    const t = tasks[i] as TaskView;
    parts[t.component] = (parts[t.component] as number) + 1;
    if (first[t.component] === -1) first[t.component] = t.index;
  }
  reading.tasks = tasks;
  return { parts, first };
}

/** Proposes the approaches in `wanted`, compares them, then takes the best-evidenced one. */
function chooseApproach(view: DecompositionView, wanted: number[]): Action | undefined {
  const approaches = view.approaches;
  for (const a of wanted) if (!(approaches[a] as ApproachView).proposed) return propose(a);
  if (wanted.length >= 2)
    for (const a of wanted) if (approaches[a]?.evidence === undefined) return { type: 'compare_approaches', args: {} };
  let best = wanted[0] as number;
  for (const a of wanted) {
    const e = approaches[a]?.evidence;
    const b = approaches[best]?.evidence;
    if (e && b && EVIDENCE_RANK[e] > EVIDENCE_RANK[b]) best = a;
  }
  if (view.chosenApproach !== best) return propose(best);
  return undefined;
}

function senior(observation: Observation): Action {
  const view = observation.state;
  const reading = seniorReading(view);
  const { parts, first } = seniorPlanState(view, reading);
  if (view.tasks.length < 16) for (const c of reading.order) if ((parts[c] as number) < (reading.parts[c] as number)) return create(c);
  for (let i = 0; i < reading.deps.length; i++) {
    const [from, to, kind] = reading.deps[i] as [number, number, DepKind];
    const a = first[from] as number;
    const b = first[to] as number;
    if (a < 0 || b < 0 || a > b || isDeclared(view, from, to)) continue;
    return depend(from, to, kind);
  }
  for (const c of reading.risky) {
    const t = first[c] as number;
    if (t >= 0 && !view.flaggedComponents.includes(c)) return flag(t);
  }
  const choice = chooseApproach(view, reading.approaches);
  return choice ?? complete(0.8);
}

function mid(observation: Observation, rng: Rng): Action {
  const view = observation.state;
  const { parts, first } = planState(view);
  const order = [
    ...view.components.filter((c) => hasCue(c, 'uncertain')).map((c) => c.index),
    ...view.components.filter((c) => !hasCue(c, 'uncertain')).map((c) => c.index),
  ];
  for (const c of order) {
    const comp = view.components[c] as ComponentView;
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

function junior(observation: Observation, rng: Rng): Action {
  const view = observation.state;
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

// --- performative: the motions without the substance ----------------------------------------------

const PARTS_EACH = 2;
const MAX_PLAN_TASKS = 14;

function performative(observation: Observation): Action {
  const view = observation.state;
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
    const from = (view.components[i - 1] as ComponentView).index;
    const to = (view.components[i] as ComponentView).index;
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

export const decompositionPersonas: Personas<DecompositionView> = { senior, mid, junior, performative };
