/**
 * The scenario of a decomposition episode, drawn at creation: a refined story, its hidden task graph
 * (`task-graph.ts`), 2..3 developer pairs, and the working days left in the sprint — enough for a
 * well-informed plan with some slack.
 */
import type { ScenarioOptions } from '../../core/episode.js';
import type { Rng } from '../../core/rng.js';
import { generateStory, type Story } from '../../sim/story.js';
import {
  type Component,
  generateTaskGraph,
  HOURS_PER_DAY,
  RISKY,
  SESSION_HOURS,
  type Simulation,
  simulatePlan,
  TASK_OVERHEAD_HOURS,
  type TaskGraph,
} from '../../sim/task-graph.js';
import { storyOptionsFor } from '../common.js';
import { MAX_PARTS, SPLIT_HOURS } from './outcome.js';
import type { DecompositionView } from './types.js';

/** Slack of the sprint over the ideal plan's cycle time. */
const DEADLINE_SLACK = 1.2;

export interface Scenario {
  story: Story;
  graph: TaskGraph;
  pairs: number;
  /** Cycle time of a well-informed plan (`idealCycleHours`). */
  idealHours: number;
  /** ceil((1.2 x ideal + 3 h) / 6 h). */
  deadlineDays: number;
}

export function drawScenario(rng: Rng, options: ScenarioOptions): Scenario {
  const story = generateStory(
    rng.fork('story'),
    storyOptionsFor(rng, options, (r) => r.uniform(0.1, 0.3)),
  );
  const graph = generateTaskGraph(rng.fork('graph'), story.points);
  const pairs = rng.chance(0.5) ? 2 : 3;
  const idealHours = idealCycleHours(graph, pairs);
  const deadlineDays = Math.ceil((idealHours * DEADLINE_SLACK + 3) / HOURS_PER_DAY);
  return { story, graph, pairs, idealHours, deadlineDays };
}

/** The part of the view that never changes: the story, the team and the components. */
export function staticView(s: Scenario): Pick<DecompositionView, 'story' | 'team' | 'components'> {
  const story = s.story;
  return {
    story: {
      id: story.id,
      title: story.title,
      narrative: story.narrative,
      description: story.description,
      domain: story.domain,
      points: story.points,
    },
    team: { pairs: s.pairs, sprintDaysLeft: s.deadlineDays, focusHoursPerDay: HOURS_PER_DAY, sessionHours: SESSION_HOURS },
    components: s.graph.components.map((c) => ({
      index: c.index,
      id: `C${c.index}`,
      title: c.title,
      estimateHours: c.estimate,
      description: c.description,
      cues: c.cues.map((cue) => (cue.ref === undefined ? { kind: cue.kind } : { kind: cue.kind, ref: cue.ref })),
    })),
  };
}

/**
 * Cycle time (hours) of the plan a well-informed team would make: every component, split to fit
 * a session, in dependency order with risky and cross-team work first, every real dependency
 * declared with its true type, risky and cross-team components flagged. Risks are not drawn.
 */
export function idealCycleHours(g: TaskGraph, pairs: number): number {
  const comps = g.components;
  const n = comps.length;
  // Per component: its priority and its true prerequisites (either kind), as a bitmask.
  const priority = new Array<number>(n);
  const prereqs = new Array<number>(n).fill(0);
  let flaggedMask = 0;
  for (let i = 0; i < n; i++) {
    const c = comps[i] as Component;
    priority[i] = (c.risk >= RISKY ? 2 : 0) + (c.externalDays > 0 ? 1.5 : 0) + c.effort / 10;
    if (c.risk >= RISKY || c.externalDays > 0) flaggedMask |= 1 << i;
  }
  for (const d of g.deps) prereqs[d.to] = (prereqs[d.to] as number) | (1 << d.from);
  const tasks: number[] = [];
  const efforts: number[] = [];
  let placed = 0;
  for (let k = 0; k < n; k++) {
    let best = -1;
    for (let i = 0; i < n; i++) {
      if (placed & (1 << i) || (prereqs[i] as number) & ~placed) continue;
      if (best < 0 || (priority[i] as number) > (priority[best] as number)) best = i;
    }
    if (best < 0) break;
    placed |= 1 << best;
    const comp = comps[best] as Component;
    const parts = Math.min(MAX_PARTS, Math.ceil(comp.effort / SESSION_HOURS));
    for (let p = 0; p < parts; p++) {
      tasks.push(best);
      efforts.push(comp.effort / parts + TASK_OVERHEAD_HOURS + (parts > 1 ? SPLIT_HOURS : 0));
    }
  }
  const flagged = new Set<number>();
  for (let i = 0; i < n; i++) if (flaggedMask & (1 << i)) flagged.add(i);
  const sim: Simulation = simulatePlan(g, { tasks, declared: g.deps, flagged, pairs }, efforts);
  return Math.max(sim.makespan, 1);
}
