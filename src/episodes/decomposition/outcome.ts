/**
 * The outcome of a decomposition episode, computed when planning ends: the plan is executed on the
 * hidden task graph and the sprint's result is read off the execution.
 *
 * Execution: the plan is run by list scheduling (`simulatePlan` in `task-graph.ts`): each free
 * pair takes the first task in plan order whose declared hard prerequisites are done. A missed or
 * soft-typed hard dependency lets a pair start too early and get blocked (min(40% of the task, 4 h)
 * + 2 h lost, an extra iteration); an invented hard dependency serializes work (longer cycle time);
 * an overlapped real soft dependency costs integration rework (25% of the task, 5% when declared;
 * each declared soft dependency costs a 0.5 h sync); an unflagged cross-team wait is discovered
 * only when the work starts (1 h, then the wait); a materialized risk costs rework of its own
 * component (50%, 20% after a spike) and of the work already built when it is found (50% of the
 * hours of dependency-related tasks, 12% of the others) — so unflagged risky work planned late
 * costs the most; a non-surviving approach forces a major pivot (40% of the planned effort plus a
 * day). Tasks longer than a 6-hour session cost 25% more; each task beyond two per story point
 * costs 2 coordination hours; a component without a task is not built. Post-hoc rework and
 * coordination hours are spread over the pairs and added to the cycle time; a plan never signalled
 * complete (turn limit) starts a day late.
 *
 * Outcome components (builtShare = effort share of the components that have tasks):
 * - story_accepted: every component planned and the cycle time within the sprint days left;
 * - tests_passing: builtShare x (1 - 0.15 per undeclared soft collision or unflagged materialized
 *   risk, at most 3) x (0.8 after a pivot);
 * - low_iteration_count: 1 - (iterations - 1) / 4, iterations = 1 + blocked starts + unflagged
 *   materialized risks + 2 per pivot + 1 if any task exceeds a session + 1 if any undeclared soft
 *   collision;
 * - velocity_maintained: builtShare x (1 - 0.7 x (cycle time - ideal) / ideal), the ideal being the
 *   cycle time of a well-informed plan (`idealCycleHours` in scenario.ts);
 * - low_rework: builtShare x (1 - rework hours / (40% of the total effort));
 * - coverage_threshold: builtShare x (1 - 0.5 x effort share of over-long tasks), 1 from 0.9.
 * A plan without tasks builds nothing: every component is 0.
 *
 * The parts, in the order their links are written: `plannedWork` (what the plan covers),
 * `dependencyAccuracy` (declared against true dependencies), `executePlan` (the schedule and its
 * blocked starts), `riskFates` and `externalDiscoveries` (materialized risks and late cross-team
 * waits), `approachFate` (the chosen approach holds or forces a pivot), `coordination` (task count
 * and soft syncs), `missingComponents`, `delivery` (cycle time and the six components), and
 * `riskProfile` (the riskiest task's position and the flags, for the facts only).
 * `decompositionOutcome` combines them into the facts, the components and the links.
 */
import type { DecisionLink, EpisodeResult } from '../../core/episode.js';
import { clamp01, round1, round3 } from '../../core/numbers.js';
import type { Story } from '../../sim/story.js';
import {
  type Approach,
  type Component,
  type DepKind,
  doneBy,
  EXCESS_TASK_HOURS,
  HOURS_PER_DAY,
  type Plan,
  RISKY,
  SESSION_HOURS,
  type Simulation,
  simulatePlan,
  TASK_OVERHEAD_HOURS,
  type TaskGraph,
  type TrueDep,
} from '../../sim/task-graph.js';
import type { OutcomeComponents } from '../../spec/reward.js';
import type { DecompositionFacts } from './types.js';

/** Most parts one component may be split into. */
export const MAX_PARTS = 3;
/** Share of a component's effort redone when its risk materializes (unflagged / after a spike). */
const RISK_OWN_REWORK = 0.5;
const RISK_OWN_REWORK_SPIKED = 0.2;
/** Share of the hours already built that is redone when a coupled (dependency-related) / other component's risk materializes. */
const COUPLED_REWORK = 0.5;
const UNCOUPLED_REWORK = 0.12;
/** A major pivot redoes this share of the effort, plus a day of redesign for one pair. */
const PIVOT_SHARE = 0.4;
/** Extra effort of a task too long for one session (context reloads, carry-over). */
const LONG_TASK_PENALTY = 0.25;
/** Extra hours per part when a component is split (integration of the parts). */
export const SPLIT_HOURS = 0.5;
/** Team hours per declared soft dependency (the pairs agree on the shared interface). */
const SOFT_SYNC_HOURS = 0.5;

/** One task of the plan (world state). */
export interface PlanTask {
  component: number;
  /** 0-based part index within the component. */
  part: number;
  step: number;
}

/** A declared dependency with the step that declared it. */
export interface Declared extends TrueDep {
  step: number;
}

/** A `propose_approach`, with its step. */
export interface Proposal {
  approach: number;
  step: number;
}

/** Everything the outcome depends on: the hidden graph and team, and the plan the candidate made. */
export interface Planning {
  readonly story: Story;
  readonly graph: TaskGraph;
  readonly pairs: number;
  /** Cycle time of a well-informed plan (`idealCycleHours`). */
  readonly idealHours: number;
  readonly deadlineDays: number;
  readonly tasks: readonly PlanTask[];
  /** Per component: its number of tasks, and the plan position of its first task (-1: none). */
  readonly parts: readonly number[];
  readonly first: readonly number[];
  readonly declared: readonly Declared[];
  /** Flagged component -> step of the identify_risk, in the order flagged. */
  readonly flagged: ReadonlyMap<number, number>;
  readonly proposals: readonly Proposal[];
  /** The distinct approaches proposed, in order of first proposal. */
  readonly proposed: readonly number[];
  readonly evidenceShown: ReadonlySet<number>;
  readonly compared: boolean;
  readonly compareStep: number;
  readonly complete: boolean;
  readonly completeStep: number;
}

/** The approach proposed last (0 before any proposal). */
export function chosenApproach(proposals: readonly Proposal[]): number {
  const last = proposals[proposals.length - 1];
  return last ? last.approach : 0;
}

/** What the plan covers: a component is planned once it has its first task. */
export interface PlannedWork {
  isPlanned: (component: number) => boolean;
  count: number;
  totalEffort: number;
  builtEffort: number;
  /** Effort share of the planned components. */
  builtShare: number;
}

export function plannedWork(p: Planning): PlannedWork {
  const g = p.graph;
  let mask = 0;
  let count = 0;
  let totalEffort = 0;
  let builtEffort = 0;
  for (let i = 0; i < g.components.length; i++) {
    const c = g.components[i] as Component;
    totalEffort += c.effort;
    if ((p.first[i] as number) >= 0) {
      mask |= 1 << i;
      count++;
      builtEffort += c.effort;
    }
  }
  return {
    isPlanned: (c: number) => (mask & (1 << c)) !== 0,
    count,
    totalEffort,
    builtEffort,
    builtShare: totalEffort > 0 ? builtEffort / totalEffort : 0,
  };
}

export interface DependencyAccuracy {
  /** Declared dependencies that are real, and those declared with their true kind. */
  realFound: number;
  typedRight: number;
  falseDeps: number;
  /** Real dependencies between two planned components. */
  realAmongPlanned: number;
  realHard: number;
  /** Real hard dependencies declared hard. */
  hardFoundTyped: number;
  /** Real hard dependencies between planned components declared neither way. */
  missedHard: number;
}

/** Each declared dependency against the true ones (linked: real, mistyped or false), and the real ones found. */
export function dependencyAccuracy(p: Planning, work: PlannedWork, links: DecisionLink[]): DependencyAccuracy {
  const g = p.graph;
  let realFound = 0;
  let typedRight = 0;
  let falseDeps = 0;
  for (const d of p.declared) {
    let real: DepKind | undefined;
    for (const x of g.deps) if (x.from === d.from && x.to === d.to) real = x.kind;
    if (real) {
      realFound++;
      if (real === d.kind) typedRight++;
      links.push({
        step: d.step,
        effect: real === d.kind ? 'real_dependency' : 'mistyped_dependency',
        target: `C${d.from}->C${d.to}`,
        value: real === d.kind ? 0.03 : -0.01,
        note: `C${d.to} really ${real === 'hard' ? 'must wait for' : 'builds on'} C${d.from}; declared ${d.kind}`,
      });
    } else {
      falseDeps++;
      links.push({
        step: d.step,
        effect: 'false_dependency',
        target: `C${d.from}->C${d.to}`,
        value: d.kind === 'hard' ? -0.03 : -0.01,
        note: `C${d.to} does not depend on C${d.from}${d.kind === 'hard' ? '; the wait serialized work' : ''}`,
      });
    }
  }
  // Declared dependencies per dependent component, as bitmasks of prerequisites.
  const declaredFrom = [0, 0, 0, 0, 0, 0, 0, 0];
  const declaredHardFrom = [0, 0, 0, 0, 0, 0, 0, 0];
  for (const d of p.declared) {
    declaredFrom[d.to] = (declaredFrom[d.to] as number) | (1 << d.from);
    if (d.kind === 'hard') declaredHardFrom[d.to] = (declaredHardFrom[d.to] as number) | (1 << d.from);
  }
  let realAmongPlanned = 0;
  let realHard = 0;
  let hardFoundTyped = 0;
  let missedHard = 0;
  for (const d of g.deps) {
    const both = work.isPlanned(d.from) && work.isPlanned(d.to);
    if (both) realAmongPlanned++;
    if (d.kind !== 'hard') continue;
    realHard++;
    if ((declaredHardFrom[d.to] as number) & (1 << d.from)) hardFoundTyped++;
    if (both && !((declaredFrom[d.to] as number) & (1 << d.from))) missedHard++;
  }
  return { realFound, typedRight, falseDeps, realAmongPlanned, realHard, hardFoundTyped, missedHard };
}

/** A plan without tasks builds nothing: every component 0, only the facts every plan has. */
export function emptyPlanResult(p: Planning, links: DecisionLink[], realHard: number): EpisodeResult<DecompositionFacts> {
  links.push({ step: p.complete ? p.completeStep : -1, effect: 'plan_incomplete', value: -0.3, note: 'the plan has no tasks' });
  const n = p.graph.components.length;
  return {
    facts: {
      planComplete: p.complete,
      storyAccepted: false,
      components: n,
      componentsPlanned: 0,
      missingComponents: n,
      tasksCreated: 0,
      tasksPerPoint: 0,
      granularityInRange: false,
      realDependencies: p.graph.deps.length,
      realHardDependencies: realHard,
      approachesConsidered: p.proposed.length,
      approachesCompared: p.compared,
      sprintDaysLeft: p.deadlineDays,
      finishedInSprint: false,
    },
    components: {
      story_accepted: 0,
      tests_passing: 0,
      low_iteration_count: 0,
      velocity_maintained: 0,
      low_rework: 0,
      coverage_threshold: 0,
    },
    links,
  };
}

export interface TaskSizes {
  /** Hours of each task (overhead and session penalty included). */
  efforts: number[];
  /** Tasks longer than a session, and their share of the planned hours. */
  longTasks: number;
  longShare: number;
}

/** Hours of each task of the plan, and the over-long ones. */
export function taskEfforts(p: Planning): TaskSizes {
  let longTasks = 0;
  let longHours = 0;
  let total = 0;
  const efforts = p.tasks.map((t) => {
    const comp = p.graph.components[t.component] as Component;
    const parts = p.parts[t.component] as number;
    let hours = comp.effort / parts;
    total += hours;
    if (hours > SESSION_HOURS) {
      longHours += hours;
      hours *= 1 + LONG_TASK_PENALTY;
      longTasks++;
    }
    return hours + TASK_OVERHEAD_HOURS + (parts > 1 ? SPLIT_HOURS : 0);
  });
  return { efforts, longTasks, longShare: total > 0 ? longHours / total : 0 };
}

/** Runs the plan on the true graph; each blocked start is linked as a missed dependency. */
export function executePlan(p: Planning, efforts: readonly number[], endStep: number, links: DecisionLink[]): Simulation {
  const plan: Plan = {
    tasks: p.tasks.map((t) => t.component),
    declared: p.declared,
    flagged: p.flagged.keys(),
    pairs: p.pairs,
  };
  const sim = simulatePlan(p.graph, plan, efforts);
  for (const b of sim.blocked) {
    links.push({
      step: endStep,
      effect: 'missed_dependency',
      target: `C${b.prereq}->C${b.component}`,
      value: -0.05,
      note: `task ${b.task} (C${b.component}) started before C${b.prereq} was done and was blocked`,
    });
  }
  return sim;
}

export interface RiskFates {
  /** Rework hours of materialized risks (own component and the work built around it). */
  riskRework: number;
  materialized: number;
  /** Materialized risks that were flagged. */
  predictedMaterialized: number;
  unflaggedMaterialized: number;
}

/**
 * Each planned component's pre-drawn risk: a flag that found nothing is linked (a real risk that
 * held off, a cross-team request sent early, or a false alarm); a materialized risk costs rework of
 * its own component and of the work done by the time it is found (the spike's end when flagged,
 * 60% into its first run otherwise).
 */
export function riskFates(p: Planning, work: PlannedWork, sim: Simulation, endStep: number, links: DecisionLink[]): RiskFates {
  const g = p.graph;
  let riskRework = 0;
  let materialized = 0;
  let predictedMaterialized = 0;
  let unflaggedMaterialized = 0;
  for (const c of g.components) {
    if (!work.isPlanned(c.index)) continue;
    const happens = c.riskDraw < c.risk;
    const flagStep = p.flagged.get(c.index);
    if (!happens) {
      if (flagStep !== undefined)
        links.push({
          step: flagStep,
          effect: c.risk >= RISKY ? 'risk_not_materialized' : c.externalDays > 0 ? 'external_dependency_flagged' : 'false_risk',
          target: `C${c.index}`,
          value: c.risk >= RISKY || c.externalDays > 0 ? 0.01 : -0.01,
          note:
            c.risk >= RISKY
              ? 'a real risk that did not materialize this time'
              : c.externalDays > 0
                ? `the cross-team request went out on day 1 (${c.externalDays} day wait)`
                : 'the spike found nothing',
        });
      continue;
    }
    materialized++;
    let at: number;
    let own: number;
    if (flagStep !== undefined) {
      predictedMaterialized++;
      at = sim.spikeEnd.get(c.index) ?? 0;
      own = RISK_OWN_REWORK_SPIKED * c.effort;
    } else {
      unflaggedMaterialized++;
      at = Number.POSITIVE_INFINITY;
      for (const r of sim.runs) if (r.component === c.index) at = Math.min(at, r.start + 0.6 * (r.end - r.start));
      if (!Number.isFinite(at)) at = sim.makespan;
      own = RISK_OWN_REWORK * c.effort;
    }
    let coupled = 0;
    for (const r of sim.runs) {
      if (r.component === c.index) continue;
      coupled += doneBy(r, at) * ((g.related[c.index] as number) & (1 << r.component) ? COUPLED_REWORK : UNCOUPLED_REWORK);
    }
    riskRework += own + coupled;
    links.push({
      step: flagStep ?? endStep,
      effect: flagStep !== undefined ? 'risk_materialized' : 'unflagged_risk_materialized',
      target: `C${c.index}`,
      value: flagStep !== undefined ? 0.05 : -0.05,
      note: `${c.riskReason} (found at hour ${round1(at)}; ${round1(own + coupled)} h of rework)`,
    });
  }
  return { riskRework, materialized, predictedMaterialized, unflaggedMaterialized };
}

/** Links each cross-team wait discovered only when its work started (not flagged). */
export function externalDiscoveries(p: Planning, sim: Simulation, endStep: number, links: DecisionLink[]): void {
  for (const t of sim.externalDiscoveries) {
    const c = p.tasks[t]?.component as number;
    links.push({
      step: endStep,
      effect: 'external_dependency_missed',
      target: `C${c}`,
      value: -0.03,
      note: `the cross-team wait on C${c} was discovered only when the work started`,
    });
  }
}

export interface ApproachFate {
  chosen: number;
  survived: boolean;
  /** Hours a pivot redoes (0 when the approach held). */
  pivotRework: number;
}

/** The chosen approach holds or forces a pivot (linked to the last proposal); a comparison is linked too. */
export function approachFate(p: Planning, work: PlannedWork, endStep: number, links: DecisionLink[]): ApproachFate {
  const g = p.graph;
  const chosen = chosenApproach(p.proposals);
  const survived = (g.approaches[chosen] as Approach).survives;
  const pivotRework = survived ? 0 : PIVOT_SHARE * work.builtEffort + HOURS_PER_DAY;
  const lastProposal = p.proposals[p.proposals.length - 1];
  links.push({
    step: lastProposal ? lastProposal.step : endStep,
    effect: survived ? 'approach_survived' : 'approach_pivot',
    target: `A${chosen}`,
    value: survived ? 0.05 : -0.1,
    note: (g.approaches[chosen] as Approach).verdict,
  });
  if (p.compared)
    links.push({
      step: p.compareStep,
      effect: 'approaches_compared',
      value: 0,
      note: `evidence shown on ${p.evidenceShown.size} approaches`,
    });
  return { chosen, survived, pivotRework };
}

/** Coordination hours: tasks beyond two per story point, and a sync per declared soft dependency. */
export function coordination(p: Planning): { excessTasks: number; coordinationHours: number } {
  const excessTasks = Math.max(0, p.tasks.length - 2 * p.story.points);
  let softDeclared = 0;
  for (const d of p.declared) if (d.kind === 'soft') softDeclared++;
  return { excessTasks, coordinationHours: excessTasks * EXCESS_TASK_HOURS + softDeclared * SOFT_SYNC_HOURS };
}

/** Links each component without a task: it is not built. */
export function missingComponents(p: Planning, work: PlannedWork, endStep: number, links: DecisionLink[]): void {
  for (const c of p.graph.components) {
    if (work.isPlanned(c.index)) continue;
    links.push({
      step: endStep,
      effect: 'missing_component',
      target: `C${c.index}`,
      value: -0.1,
      note: `no task for C${c.index} (${c.title}): its acceptance criteria are unmet`,
    });
  }
}

/** The parts of the outcome that delivery adds up. */
export interface DeliveryInputs {
  sizes: TaskSizes;
  risks: RiskFates;
  approach: ApproachFate;
  coordinationHours: number;
}

export interface Delivery {
  cycleHours: number;
  onTime: boolean;
  accepted: boolean;
  reworkHours: number;
  iterations: number;
  testsPassing: number;
  coverage: number;
  components: OutcomeComponents;
}

/** Cycle time against the sprint, rework, iterations and the six components; links the delivery. */
export function delivery(
  p: Planning,
  work: PlannedWork,
  sim: Simulation,
  inputs: DeliveryInputs,
  endStep: number,
  links: DecisionLink[],
): Delivery {
  const n = p.graph.components.length;
  const { sizes, risks, approach } = inputs;
  const truncatedHours = p.complete ? 0 : HOURS_PER_DAY;
  const extraHours = (risks.riskRework + approach.pivotRework + inputs.coordinationHours) / p.pairs + truncatedHours;
  const cycleHours = sim.makespan + extraHours;
  const deadlineHours = p.deadlineDays * HOURS_PER_DAY;
  const onTime = cycleHours <= deadlineHours;
  const allBuilt = work.count === n;
  const accepted = allBuilt && onTime;
  let softUndeclared = 0;
  let softHours = 0;
  for (const s of sim.softCollisions) {
    if (!s.declared) softUndeclared++;
    softHours += s.hours;
  }
  const reworkHours = sim.blockedHours + softHours + risks.riskRework + approach.pivotRework;
  const iterations =
    1 +
    sim.blocked.length +
    risks.unflaggedMaterialized +
    (approach.survived ? 0 : 2) +
    (sizes.longTasks > 0 ? 1 : 0) +
    (softUndeclared > 0 ? 1 : 0);
  const builtShare = work.builtShare;
  const testsPassing = builtShare * (1 - 0.15 * Math.min(3, softUndeclared + risks.unflaggedMaterialized)) * (approach.survived ? 1 : 0.8);
  const coverage = builtShare * (1 - 0.5 * sizes.longShare);
  const velocity = builtShare * clamp01(1 - (0.7 * Math.max(0, cycleHours - p.idealHours)) / p.idealHours);
  const components: OutcomeComponents = {
    story_accepted: accepted ? 1 : 0,
    tests_passing: clamp01(testsPassing),
    low_iteration_count: clamp01(1 - (iterations - 1) / 4),
    velocity_maintained: velocity,
    low_rework: builtShare * clamp01(1 - reworkHours / (0.4 * work.totalEffort)),
    coverage_threshold: coverage >= 0.9 ? 1 : clamp01(coverage),
  };
  links.push({
    step: endStep,
    effect: accepted ? 'plan_delivered' : allBuilt ? 'plan_late' : 'plan_incomplete',
    value: accepted ? 0.1 : -0.1,
    note: `cycle time ${round1(cycleHours / HOURS_PER_DAY)} of ${p.deadlineDays} days; ${work.count}/${n} components built`,
  });
  return { cycleHours, onTime, accepted, reworkHours, iterations, testsPassing, coverage, components };
}

export interface RiskProfile {
  /** The riskiest planned component (-1: none), and the plan position of its first task (-1: none). */
  riskiest: number;
  riskiestPosition: number;
  riskyComponents: number;
  externals: number;
  externalFlagged: number;
  /** Flagged components that are risky, and flagged ones that are planned (each runs a spike). */
  flaggedRisky: number;
  spikes: number;
}

/** Where the riskiest planned component sits in the plan, and how the flags fall on risky and cross-team work. */
export function riskProfile(p: Planning, work: PlannedWork): RiskProfile {
  const g = p.graph;
  let riskiest = -1;
  for (const c of g.components)
    if (work.isPlanned(c.index) && (riskiest < 0 || c.risk > (g.components[riskiest] as Component).risk)) riskiest = c.index;
  const riskiestPosition = riskiest >= 0 ? (p.first[riskiest] ?? -1) : -1;
  let riskyComponents = 0;
  let externals = 0;
  let externalFlagged = 0;
  for (const c of g.components) {
    if (c.risk >= RISKY) riskyComponents++;
    if (c.externalDays > 0) {
      externals++;
      if (p.flagged.has(c.index)) externalFlagged++;
    }
  }
  let flaggedRisky = 0;
  let spikes = 0;
  for (const c of p.flagged.keys()) {
    if ((g.components[c] as Component).risk >= RISKY) flaggedRisky++;
    if (work.isPlanned(c)) spikes++;
  }
  return { riskiest, riskiestPosition, riskyComponents, externals, externalFlagged, flaggedRisky, spikes };
}

/** The episode's outcome: facts, the six components and the decision links. */
export function decompositionOutcome(p: Planning): EpisodeResult<DecompositionFacts> {
  const g = p.graph;
  const n = g.components.length;
  const links: DecisionLink[] = [];
  const endStep = p.complete ? p.completeStep : -1;
  const work = plannedWork(p);
  const tasksPerPoint = p.tasks.length / p.story.points;
  const deps = dependencyAccuracy(p, work, links);
  if (p.tasks.length === 0) return emptyPlanResult(p, links, deps.realHard);

  const sizes = taskEfforts(p);
  const sim = executePlan(p, sizes.efforts, endStep, links);
  const risks = riskFates(p, work, sim, endStep, links);
  externalDiscoveries(p, sim, endStep, links);
  const approach = approachFate(p, work, endStep, links);
  const { excessTasks, coordinationHours } = coordination(p);
  const completable = p.tasks.length - sizes.longTasks;
  missingComponents(p, work, endStep, links);
  const done = delivery(p, work, sim, { sizes, risks, approach, coordinationHours }, endStep, links);
  const profile = riskProfile(p, work);
  const parallelism = sim.makespan > 0 ? sim.busyHours / sim.makespan : 0;
  return {
    facts: {
      planComplete: p.complete,
      storyAccepted: done.accepted,
      components: n,
      componentsPlanned: work.count,
      missingComponents: n - work.count,
      tasksCreated: p.tasks.length,
      tasksPerPoint: round3(tasksPerPoint),
      granularityInRange: tasksPerPoint >= 0.5 && tasksPerPoint <= 2,
      completableTasks: completable,
      completability: round3(completable / p.tasks.length),
      excessTasks,
      realDependencies: g.deps.length,
      realDependenciesMet: deps.realAmongPlanned,
      realDependenciesIdentified: deps.realFound,
      dependencyRecall: round3(deps.realAmongPlanned > 0 ? deps.realFound / deps.realAmongPlanned : 1),
      realHardDependencies: deps.realHard,
      hardDependenciesIdentified: deps.hardFoundTyped,
      falseDependencies: deps.falseDeps,
      declaredDependencies: p.declared.length,
      typingCorrect: deps.typedRight,
      typingAccuracy: round3(deps.realFound > 0 ? deps.typedRight / deps.realFound : deps.realAmongPlanned === 0 ? 1 : 0),
      missedHardDependencies: deps.missedHard,
      blockedEvents: sim.blocked.length,
      blockedHours: round1(sim.blockedHours),
      softCollisions: sim.softCollisions.length,
      deadlocksBroken: sim.deadlocksBroken,
      riskyComponents: profile.riskyComponents,
      riskiestComponent: profile.riskiest,
      riskiestTaskPosition: profile.riskiestPosition,
      riskyTaskPositionScore: round3(profile.riskiestPosition >= 0 ? 1 - profile.riskiestPosition / p.tasks.length : 0),
      risksIdentified: p.flagged.size,
      risksIdentifiedRisky: profile.flaggedRisky,
      risksMaterialized: risks.materialized,
      predictedRisksMaterialized: risks.predictedMaterialized,
      riskPrediction: round3(p.flagged.size > 0 ? risks.predictedMaterialized / p.flagged.size : 0),
      unflaggedRisksMaterialized: risks.unflaggedMaterialized,
      spikes: profile.spikes,
      riskReworkHours: round1(risks.riskRework),
      externalDependencies: profile.externals,
      externalFlagged: profile.externalFlagged,
      externalDiscoveredLate: sim.externalDiscoveries.length,
      approachesAvailable: g.approaches.length,
      approachesConsidered: p.proposed.length,
      approachesCompared: p.compared,
      chosenApproach: approach.chosen,
      approachSurvived: approach.survived,
      pivot: !approach.survived,
      pivotReworkHours: round1(approach.pivotRework),
      parallelism: round3(parallelism),
      idleHours: round1(sim.idleHours),
      cycleTimeDays: round3(done.cycleHours / HOURS_PER_DAY),
      idealCycleTimeDays: round3(p.idealHours / HOURS_PER_DAY),
      sprintDaysLeft: p.deadlineDays,
      finishedInSprint: done.onTime,
      reworkHours: round1(done.reworkHours),
      coordinationHours: round1(coordinationHours),
      iterations: done.iterations,
      testsPassing: round3(clamp01(done.testsPassing)),
      coverage: round3(done.coverage),
    },
    components: done.components,
    links,
  };
}
