/**
 * E-1.2 Decomposition: break a refined story into a plan of tasks before a sprint starts.
 *
 * Setup: a refined story (low ambiguity, `story.ts`), 2..3 developer pairs, the working days left
 * in the sprint, a list of 2..8 work components with estimates and readable descriptions carrying
 * noisy cues ("reads the records written by C2", "calls the payments team's API", "first use of an
 * unfamiliar library"), and 2..3 candidate approaches.
 *
 * Hidden truth (`task-graph.ts`): per component the true effort (pair-hours), the risk (probability
 * its uncertainty materializes, with a pre-drawn fate), a cross-team wait (working days); the true
 * hard/soft dependencies between components; which approaches survive execution, and the noisy
 * evidence a comparison would reveal. All fates are drawn at creation, so two action sequences on
 * the same seed meet the same world.
 *
 * Actions: tasks are created in plan order (`create_task` on the same component again splits it
 * into one more part); dependencies are declared between components (`from` must already be
 * planned before `to`); `identify_risk` flags a task's component (a 2-hour spike runs first and any
 * cross-team request goes out on the first day); `propose_approach` records an approach (the last proposed
 * is the one chosen); `compare_approaches` reveals noisy evidence on the proposed ones.
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
 *   cycle time of a well-informed plan (`idealCycleHours`);
 * - low_rework: builtShare x (1 - rework hours / (40% of the total effort));
 * - coverage_threshold: builtShare x (1 - 0.5 x effort share of over-long tasks), 1 from 0.9.
 * The sprint has ceil((1.2 x ideal + 3 h) / 6 h) working days left.
 */

import type {
  Action,
  ActionResult,
  DecisionLink,
  Episode,
  EpisodeResult,
  EpisodeWorld,
  ScenarioOptions,
  Secret,
} from '../../core/episode.js';
import { clamp01, round1, round3 } from '../../core/numbers.js';
import type { Rng } from '../../core/rng.js';
import { generateStory, type Story, storyText } from '../../sim/story.js';
import {
  type Approach,
  type Component,
  type DepKind,
  doneBy,
  EXCESS_TASK_HOURS,
  generateTaskGraph,
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
import { storyOptionsFor } from '../common.js';

/** Most components a story has; component and dependency arguments range over 0..7. */
const MAX_COMPONENTS = 8;
/** Most tasks in a plan; task arguments range over 0..15. */
const MAX_TASKS = 16;
/** Most parts one component may be split into. */
const MAX_PARTS = 3;
const MAX_APPROACHES = 3;
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
const SPLIT_HOURS = 0.5;
/** Team hours per declared soft dependency (the pairs agree on the shared interface). */
const SOFT_SYNC_HOURS = 0.5;
/** Slack of the sprint over the ideal plan's cycle time. */
const DEADLINE_SLACK = 1.2;

interface PlanTask {
  component: number;
  /** 0-based part index within the component. */
  part: number;
  step: number;
}

interface Declared extends TrueDep {
  step: number;
}

class DecompositionEpisode implements Episode {
  private readonly story: Story;
  private readonly graph: TaskGraph;
  private readonly pairs: number;
  private readonly idealHours: number;
  private readonly deadlineDays: number;
  private readonly tasks: PlanTask[] = [];
  private readonly parts: number[];
  private readonly declared: Declared[] = [];
  /** Flagged component -> step of the identify_risk. */
  private readonly flagged = new Map<number, number>();
  private readonly proposals: { approach: number; step: number }[] = [];
  /** The distinct approaches proposed, in order of first proposal. */
  private readonly proposed: number[] = [];
  private readonly evidenceShown = new Set<number>();
  private compared = false;
  private compareStep = -1;
  private complete = false;
  private completeStep = -1;
  private readonly staticView: { story: unknown; team: unknown; components: unknown };
  /** Public lists kept up to date by `act` (copied by `view`). */
  private approachesView: Record<string, unknown>[] = [];
  private readonly tasksView: { index: number; component: number; part: number }[] = [];
  private readonly depsView: { from: number; to: number; kind: DepKind }[] = [];
  /** Plan position of each component's first task (-1: none yet). */
  private readonly first: number[];
  /** Copies of the public lists handed out by `view`, made again only after a change. */
  private tasksSnapshot: { index: number; component: number; part: number }[] | undefined;
  private depsSnapshot: { from: number; to: number; kind: DepKind }[] | undefined;
  private flaggedSnapshot: number[] | undefined;
  private tasksPerPoint = 0;

  constructor(rng: Rng, options: ScenarioOptions) {
    this.story = generateStory(
      rng.fork('story'),
      storyOptionsFor(rng, options, (r) => r.uniform(0.1, 0.3)),
    );
    this.graph = generateTaskGraph(rng.fork('graph'), this.story.points);
    this.pairs = rng.chance(0.5) ? 2 : 3;
    this.parts = new Array<number>(this.graph.components.length).fill(0);
    this.first = new Array<number>(this.graph.components.length).fill(-1);
    this.idealHours = idealCycleHours(this.graph, this.pairs);
    this.deadlineDays = Math.ceil((this.idealHours * DEADLINE_SLACK + 3) / HOURS_PER_DAY);
    const s = this.story;
    this.staticView = {
      story: { id: s.id, title: s.title, narrative: s.narrative, description: s.description, domain: s.domain, points: s.points },
      team: { pairs: this.pairs, sprintDaysLeft: this.deadlineDays, focusHoursPerDay: HOURS_PER_DAY, sessionHours: SESSION_HOURS },
      components: this.graph.components.map((c) => ({
        index: c.index,
        id: `C${c.index}`,
        title: c.title,
        estimateHours: c.estimate,
        description: c.description,
        cues: c.cues.map((cue) => (cue.ref === undefined ? { kind: cue.kind } : { kind: cue.kind, ref: cue.ref })),
      })),
    };
    this.refreshApproaches();
  }

  private firstTaskOf(component: number): number {
    return this.first[component] ?? -1;
  }

  private chosenApproach(): number {
    const last = this.proposals[this.proposals.length - 1];
    return last ? last.approach : 0;
  }

  view(): Record<string, unknown> {
    // Lists handed out before stay as they were: a change makes a new copy (see `act`).
    if (this.tasksSnapshot === undefined) this.tasksSnapshot = this.tasksView.slice();
    if (this.depsSnapshot === undefined) this.depsSnapshot = this.depsView.slice();
    if (this.flaggedSnapshot === undefined) this.flaggedSnapshot = [...this.flagged.keys()];
    return {
      story: this.staticView.story,
      team: this.staticView.team,
      components: this.staticView.components,
      approaches: this.approachesView,
      tasks: this.tasksSnapshot,
      dependencies: this.depsSnapshot,
      flaggedComponents: this.flaggedSnapshot,
      chosenApproach: this.proposals.length > 0 ? this.chosenApproach() : null,
      compared: this.compared,
      tasksPerPoint: this.tasksPerPoint,
    };
  }

  /** Rebuilds the public approach list after a proposal or a comparison. */
  private refreshApproaches(): void {
    const proposed = this.proposed;
    this.approachesView = this.graph.approaches.map((a) => {
      const out: Record<string, unknown> = { index: a.index, title: a.title, summary: a.summary, proposed: proposed.includes(a.index) };
      if (this.evidenceShown.has(a.index)) out.evidence = a.evidence;
      return out;
    });
  }

  /**
   * One line per component with its state in place — size, cues (`needs:2`: it reads what C2
   * writes), the dependencies declared into it (`hard_from:2`), its tasks so far and the plan
   * position of the first (`tasks:2 first:5`, what identify_risk names), `flagged` — then one per
   * approach (`proposed`, the evidence a comparison revealed, `chosen`: the last proposed). A small
   * model reads a status next to the thing it belongs to far more easily than an event log.
   */
  tokens(): string[] {
    const s = this.story;
    const out = ['task:decomposition', `domain:${s.domain}`, `points:${s.points}`, `pairs:${this.pairs}`];
    for (const c of this.graph.components) {
      out.push(`comp:${c.index}`, `size:${sizeOf(c.estimate)}`);
      for (const cue of c.cues) out.push(cue.ref === undefined ? `cue:${cue.kind}` : `${cue.kind}:${cue.ref}`);
      for (const d of this.declared) if (d.to === c.index) out.push(`${d.kind}_from:${d.from}`);
      const parts = this.parts[c.index] as number;
      if (parts > 0) out.push(`tasks:${parts}`, `first:${this.first[c.index]}`);
      if (this.flagged.has(c.index)) out.push('flagged');
    }
    const chosen = this.proposals.length > 0 ? this.chosenApproach() : -1;
    for (const a of this.graph.approaches) {
      out.push(`approach:${a.index}`);
      if (this.proposed.includes(a.index)) out.push('proposed');
      if (this.evidenceShown.has(a.index)) out.push(`evidence:${a.evidence}`);
      if (a.index === chosen) out.push('chosen');
    }
    if (this.compared) out.push('compared');
    return out;
  }

  describe(): string {
    const s = this.story;
    const lines = [
      'You are a senior developer planning this refined story before the sprint. Create tasks in the order the team should work on them, declare the dependencies between components (hard: must wait; soft: can overlap), flag the risky tasks, propose and compare approaches, then signal that the plan is complete.',
      '',
      storyText(s),
      '',
      `Team: ${this.pairs} developer pairs, ${this.deadlineDays} working days left in the sprint (${HOURS_PER_DAY} focused hours a day; a task should fit in a ${SESSION_HOURS}-hour session).`,
      '',
      'Components:',
    ];
    for (const c of this.graph.components) lines.push(`- C${c.index}: ${c.description}`);
    lines.push('', 'Candidate approaches:');
    for (const a of this.graph.approaches) {
      const evidence = this.evidenceShown.has(a.index) ? ` [comparison: ${a.evidence}]` : '';
      lines.push(`- A${a.index}: ${a.title} (${a.summary})${evidence}`);
    }
    if (this.tasks.length > 0) {
      lines.push('', 'Plan so far:');
      this.tasks.forEach((t, i) => {
        const parts = this.parts[t.component] as number;
        lines.push(
          `- task ${i}: C${t.component}${parts > 1 ? ` part ${t.part + 1}` : ''}${this.flagged.has(t.component) ? ' (flagged risky)' : ''}`,
        );
      });
    }
    if (this.declared.length > 0)
      lines.push(`Dependencies: ${this.declared.map((d) => `C${d.to} waits for C${d.from} (${d.kind})`).join('; ')}`);
    if (this.proposals.length > 0) lines.push(`Chosen approach: A${this.chosenApproach()}`);
    return lines.join('\n');
  }

  legalActions(): Action[] {
    const out: Action[] = [];
    const n = this.graph.components.length;
    if (this.tasks.length < MAX_TASKS) for (let c = 0; c < n; c++) if ((this.parts[c] as number) < MAX_PARTS) out.push(CREATE[c] as Action);
    for (let from = 0; from < n; from++) {
      const a = this.first[from] as number;
      if (a < 0) continue;
      for (let to = 0; to < n; to++) {
        const b = this.first[to] as number;
        if (b <= a || this.isDeclared(from, to)) continue;
        const pair = DEPEND[from * MAX_COMPONENTS + to] as [Action, Action];
        out.push(pair[0], pair[1]);
      }
    }
    for (let t = 0; t < this.tasks.length; t++) if (!this.flagged.has((this.tasks[t] as PlanTask).component)) out.push(RISK[t] as Action);
    for (let a = 0; a < this.graph.approaches.length; a++) out.push(PROPOSE[a] as Action);
    if (this.canCompare()) out.push(COMPARE);
    out.push(SIGNAL);
    return out;
  }

  private isDeclared(from: number, to: number): boolean {
    for (const d of this.declared) if (d.from === from && d.to === to) return true;
    return false;
  }

  private canCompare(): boolean {
    const proposed = this.proposed;
    if (proposed.length < 2) return false;
    for (const a of proposed) if (!this.evidenceShown.has(a)) return true;
    return false;
  }

  act(action: Action, step: number): ActionResult {
    const n = this.graph.components.length;
    switch (action.type) {
      case 'create_task': {
        const c = action.args?.component as number;
        if (c >= n) return { ok: false, error: `there is no component C${c}; the components are C0..C${n - 1}` };
        if (this.tasks.length >= MAX_TASKS) return { ok: false, error: `a plan holds at most ${MAX_TASKS} tasks` };
        if ((this.parts[c] as number) >= MAX_PARTS) return { ok: false, error: `C${c} is already split into ${MAX_PARTS} tasks` };
        const part = this.parts[c] as number;
        this.parts[c] = part + 1;
        if (part === 0) this.first[c] = this.tasks.length;
        this.tasksView.push({ index: this.tasks.length, component: c, part });
        this.tasks.push({ component: c, part, step });
        this.tasksSnapshot = undefined;
        this.tasksPerPoint = round3(this.tasks.length / this.story.points);
        const comp = this.graph.components[c] as Component;
        return {
          ok: true,
          response: `Task ${this.tasks.length - 1} created: ${part === 0 ? `C${c} ${comp.title}` : `C${c} is now split into ${part + 1} tasks`}.`,
          terminal: false,
        };
      }
      case 'add_dependency': {
        const from = action.args?.from as number;
        const to = action.args?.to as number;
        const kind = action.args?.kind as DepKind;
        if (from >= n || to >= n) return { ok: false, error: `components are C0..C${n - 1}` };
        if (from === to) return { ok: false, error: 'a component cannot depend on itself' };
        const a = this.firstTaskOf(from);
        const b = this.firstTaskOf(to);
        if (a < 0 || b < 0) return { ok: false, error: `create a task for C${a < 0 ? from : to} before declaring its dependencies` };
        if (a > b)
          return {
            ok: false,
            error: `C${from} is planned after C${to}: a prerequisite must come before the work that waits for it in the plan`,
          };
        if (this.isDeclared(from, to)) return { ok: false, error: `C${to} -> C${from} is already declared` };
        this.declared.push({ from, to, kind, step });
        this.depsView.push({ from, to, kind });
        this.depsSnapshot = undefined;
        return {
          ok: true,
          response: `Recorded: C${to} ${kind === 'hard' ? 'must wait for' : 'can overlap with, but builds on,'} C${from}.`,
          terminal: false,
        };
      }
      case 'identify_risk': {
        const t = action.args?.task as number;
        if (t >= this.tasks.length) return { ok: false, error: `there is no task ${t}; the plan has ${this.tasks.length} task(s)` };
        const c = (this.tasks[t] as PlanTask).component;
        if (this.flagged.has(c)) return { ok: false, error: `C${c} is already flagged` };
        this.flagged.set(c, step);
        this.flaggedSnapshot = undefined;
        return {
          ok: true,
          response: `C${c} flagged as risky: a 2-hour spike runs first and any cross-team request goes out on day 1.`,
          terminal: false,
        };
      }
      case 'propose_approach': {
        const ap = action.args?.approach as number;
        if (ap >= this.graph.approaches.length) return { ok: false, error: `there is no approach A${ap}` };
        this.proposals.push({ approach: ap, step });
        if (!this.proposed.includes(ap)) this.proposed.push(ap);
        this.refreshApproaches();
        return {
          ok: true,
          response: `Approach A${ap} (${(this.graph.approaches[ap] as Approach).title}) is the current choice.`,
          terminal: false,
        };
      }
      case 'compare_approaches': {
        const proposed = this.proposed;
        if (proposed.length < 2) return { ok: false, error: 'propose at least two approaches before comparing them' };
        this.compared = true;
        this.compareStep = step;
        for (const a of proposed) this.evidenceShown.add(a);
        this.refreshApproaches();
        let summary = '';
        for (let i = 0; i < proposed.length; i++) {
          const a = proposed[i] as number;
          summary += `${i > 0 ? ', ' : ''}A${a} looks ${(this.graph.approaches[a] as Approach).evidence}`;
        }
        return { ok: true, response: `The team weighs the approaches: ${summary}.`, terminal: false };
      }
      case 'signal_plan_complete': {
        this.complete = true;
        this.completeStep = step;
        return { ok: true, response: 'The plan goes to the sprint.', terminal: true };
      }
      default:
        return { ok: false, error: `unknown action ${action.type}` };
    }
  }

  /** Hours of each task of the plan (overhead and session penalty included). */
  private taskEfforts(): { efforts: number[]; longTasks: number; longShare: number } {
    let longTasks = 0;
    let longHours = 0;
    let total = 0;
    const efforts = this.tasks.map((t) => {
      const comp = this.graph.components[t.component] as Component;
      const parts = this.parts[t.component] as number;
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

  finish(): EpisodeResult {
    const g = this.graph;
    const n = g.components.length;
    const links: DecisionLink[] = [];
    const points = this.story.points;
    const endStep = this.complete ? this.completeStep : -1;
    // Planned components as a bitmask (a component is planned once it has its first task).
    let plannedMask = 0;
    let plannedCount = 0;
    let totalEffort = 0;
    let builtEffort = 0;
    for (let i = 0; i < n; i++) {
      const c = g.components[i] as Component;
      totalEffort += c.effort;
      if ((this.first[i] as number) >= 0) {
        plannedMask |= 1 << i;
        plannedCount++;
        builtEffort += c.effort;
      }
    }
    const isPlanned = (c: number) => (plannedMask & (1 << c)) !== 0;
    const builtShare = totalEffort > 0 ? builtEffort / totalEffort : 0;
    const tasksPerPoint = this.tasks.length / points;

    // Dependency accuracy (B-06).
    let realFound = 0;
    let typedRight = 0;
    let falseDeps = 0;
    for (const d of this.declared) {
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
    for (const d of this.declared) {
      declaredFrom[d.to] = (declaredFrom[d.to] as number) | (1 << d.from);
      if (d.kind === 'hard') declaredHardFrom[d.to] = (declaredHardFrom[d.to] as number) | (1 << d.from);
    }
    let realAmongPlanned = 0;
    let realHard = 0;
    let hardFoundTyped = 0;
    let missedHard = 0;
    for (const d of g.deps) {
      const both = isPlanned(d.from) && isPlanned(d.to);
      if (both) realAmongPlanned++;
      if (d.kind !== 'hard') continue;
      realHard++;
      if ((declaredHardFrom[d.to] as number) & (1 << d.from)) hardFoundTyped++;
      if (both && !((declaredFrom[d.to] as number) & (1 << d.from))) missedHard++;
    }

    if (this.tasks.length === 0) return this.emptyResult(links, realHard);

    // Execute the plan.
    const { efforts, longTasks, longShare } = this.taskEfforts();
    const plan: Plan = {
      tasks: this.tasksView.map((t) => t.component),
      declared: this.declared,
      flagged: this.flagged.keys(),
      pairs: this.pairs,
    };
    const sim = simulatePlan(g, plan, efforts);
    for (const b of sim.blocked) {
      links.push({
        step: endStep,
        effect: 'missed_dependency',
        target: `C${b.prereq}->C${b.component}`,
        value: -0.05,
        note: `task ${b.task} (C${b.component}) started before C${b.prereq} was done and was blocked`,
      });
    }

    // Risks (B-05).
    let riskRework = 0;
    let materialized = 0;
    let predictedMaterialized = 0;
    let unflaggedMaterialized = 0;
    for (const c of g.components) {
      if (!isPlanned(c.index)) continue;
      const happens = c.riskDraw < c.risk;
      const flagStep = this.flagged.get(c.index);
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
    for (const t of sim.externalDiscoveries) {
      const c = this.tasks[t]?.component as number;
      links.push({
        step: endStep,
        effect: 'external_dependency_missed',
        target: `C${c}`,
        value: -0.03,
        note: `the cross-team wait on C${c} was discovered only when the work started`,
      });
    }

    // Approaches (B-08).
    const considered = this.proposed.length;
    const chosen = this.chosenApproach();
    const survived = (g.approaches[chosen] as Approach).survives;
    const pivotRework = survived ? 0 : PIVOT_SHARE * builtEffort + HOURS_PER_DAY;
    const lastProposal = this.proposals[this.proposals.length - 1];
    links.push({
      step: lastProposal ? lastProposal.step : endStep,
      effect: survived ? 'approach_survived' : 'approach_pivot',
      target: `A${chosen}`,
      value: survived ? 0.05 : -0.1,
      note: (g.approaches[chosen] as Approach).verdict,
    });
    if (this.compared)
      links.push({
        step: this.compareStep,
        effect: 'approaches_compared',
        value: 0,
        note: `evidence shown on ${this.evidenceShown.size} approaches`,
      });

    // Granularity (B-07).
    const excessTasks = Math.max(0, this.tasks.length - 2 * points);
    let softDeclared = 0;
    for (const d of this.declared) if (d.kind === 'soft') softDeclared++;
    const coordinationHours = excessTasks * EXCESS_TASK_HOURS + softDeclared * SOFT_SYNC_HOURS;
    const completable = this.tasks.length - longTasks;

    for (const c of g.components) {
      if (isPlanned(c.index)) continue;
      links.push({
        step: endStep,
        effect: 'missing_component',
        target: `C${c.index}`,
        value: -0.1,
        note: `no task for C${c.index} (${c.title}): its acceptance criteria are unmet`,
      });
    }

    const truncatedHours = this.complete ? 0 : HOURS_PER_DAY;
    const extraHours = (riskRework + pivotRework + coordinationHours) / this.pairs + truncatedHours;
    const cycleHours = sim.makespan + extraHours;
    const deadlineHours = this.deadlineDays * HOURS_PER_DAY;
    const onTime = cycleHours <= deadlineHours;
    const allBuilt = plannedCount === n;
    const accepted = allBuilt && onTime;
    let softUndeclared = 0;
    let softHours = 0;
    for (const s of sim.softCollisions) {
      if (!s.declared) softUndeclared++;
      softHours += s.hours;
    }
    const reworkHours = sim.blockedHours + softHours + riskRework + pivotRework;
    const iterations =
      1 + sim.blocked.length + unflaggedMaterialized + (survived ? 0 : 2) + (longTasks > 0 ? 1 : 0) + (softUndeclared > 0 ? 1 : 0);
    const testsPassing = builtShare * (1 - 0.15 * Math.min(3, softUndeclared + unflaggedMaterialized)) * (survived ? 1 : 0.8);
    const coverage = builtShare * (1 - 0.5 * longShare);
    const velocity = builtShare * clamp01(1 - (0.7 * Math.max(0, cycleHours - this.idealHours)) / this.idealHours);
    const components: OutcomeComponents = {
      story_accepted: accepted ? 1 : 0,
      tests_passing: clamp01(testsPassing),
      low_iteration_count: clamp01(1 - (iterations - 1) / 4),
      velocity_maintained: velocity,
      low_rework: builtShare * clamp01(1 - reworkHours / (0.4 * totalEffort)),
      coverage_threshold: coverage >= 0.9 ? 1 : clamp01(coverage),
    };
    links.push({
      step: endStep,
      effect: accepted ? 'plan_delivered' : allBuilt ? 'plan_late' : 'plan_incomplete',
      value: accepted ? 0.1 : -0.1,
      note: `cycle time ${round1(cycleHours / HOURS_PER_DAY)} of ${this.deadlineDays} days; ${plannedCount}/${n} components built`,
    });

    // Riskiest task position (B-05): the first task of the riskiest planned component.
    let riskiest = -1;
    for (const c of g.components)
      if (isPlanned(c.index) && (riskiest < 0 || c.risk > (g.components[riskiest] as Component).risk)) riskiest = c.index;
    const riskiestPosition = riskiest >= 0 ? this.firstTaskOf(riskiest) : -1;
    let riskyComponents = 0;
    let externals = 0;
    let externalFlagged = 0;
    for (const c of g.components) {
      if (c.risk >= RISKY) riskyComponents++;
      if (c.externalDays > 0) {
        externals++;
        if (this.flagged.has(c.index)) externalFlagged++;
      }
    }
    let flaggedRisky = 0;
    let spikes = 0;
    for (const c of this.flagged.keys()) {
      if ((g.components[c] as Component).risk >= RISKY) flaggedRisky++;
      if (isPlanned(c)) spikes++;
    }
    const parallelism = sim.makespan > 0 ? sim.busyHours / sim.makespan : 0;
    return {
      facts: {
        planComplete: this.complete,
        storyAccepted: accepted,
        components: n,
        componentsPlanned: plannedCount,
        missingComponents: n - plannedCount,
        tasksCreated: this.tasks.length,
        tasksPerPoint: round3(tasksPerPoint),
        granularityInRange: tasksPerPoint >= 0.5 && tasksPerPoint <= 2,
        completableTasks: completable,
        completability: round3(completable / this.tasks.length),
        excessTasks,
        realDependencies: g.deps.length,
        realDependenciesMet: realAmongPlanned,
        realDependenciesIdentified: realFound,
        dependencyRecall: round3(realAmongPlanned > 0 ? realFound / realAmongPlanned : 1),
        realHardDependencies: realHard,
        hardDependenciesIdentified: hardFoundTyped,
        falseDependencies: falseDeps,
        declaredDependencies: this.declared.length,
        typingCorrect: typedRight,
        typingAccuracy: round3(realFound > 0 ? typedRight / realFound : realAmongPlanned === 0 ? 1 : 0),
        missedHardDependencies: missedHard,
        blockedEvents: sim.blocked.length,
        blockedHours: round1(sim.blockedHours),
        softCollisions: sim.softCollisions.length,
        deadlocksBroken: sim.deadlocksBroken,
        riskyComponents,
        riskiestComponent: riskiest,
        riskiestTaskPosition: riskiestPosition,
        riskyTaskPositionScore: round3(riskiestPosition >= 0 ? 1 - riskiestPosition / this.tasks.length : 0),
        risksIdentified: this.flagged.size,
        risksIdentifiedRisky: flaggedRisky,
        risksMaterialized: materialized,
        predictedRisksMaterialized: predictedMaterialized,
        riskPrediction: round3(this.flagged.size > 0 ? predictedMaterialized / this.flagged.size : 0),
        unflaggedRisksMaterialized: unflaggedMaterialized,
        spikes,
        riskReworkHours: round1(riskRework),
        externalDependencies: externals,
        externalFlagged,
        externalDiscoveredLate: sim.externalDiscoveries.length,
        approachesAvailable: g.approaches.length,
        approachesConsidered: considered,
        approachesCompared: this.compared,
        chosenApproach: chosen,
        approachSurvived: survived,
        pivot: !survived,
        pivotReworkHours: round1(pivotRework),
        parallelism: round3(parallelism),
        idleHours: round1(sim.idleHours),
        cycleTimeDays: round3(cycleHours / HOURS_PER_DAY),
        idealCycleTimeDays: round3(this.idealHours / HOURS_PER_DAY),
        sprintDaysLeft: this.deadlineDays,
        finishedInSprint: onTime,
        reworkHours: round1(reworkHours),
        coordinationHours: round1(coordinationHours),
        iterations,
        testsPassing: round3(clamp01(testsPassing)),
        coverage: round3(coverage),
      },
      components,
      links,
    };
  }

  /** No task was created: nothing is built. */
  private emptyResult(links: DecisionLink[], realHard: number): EpisodeResult {
    links.push({ step: this.complete ? this.completeStep : -1, effect: 'plan_incomplete', value: -0.3, note: 'the plan has no tasks' });
    const n = this.graph.components.length;
    return {
      facts: {
        planComplete: this.complete,
        storyAccepted: false,
        components: n,
        componentsPlanned: 0,
        missingComponents: n,
        tasksCreated: 0,
        tasksPerPoint: 0,
        granularityInRange: false,
        realDependencies: this.graph.deps.length,
        realHardDependencies: realHard,
        approachesConsidered: this.proposed.length,
        approachesCompared: this.compared,
        sprintDaysLeft: this.deadlineDays,
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

  hidden(): Record<string, unknown> {
    const g = this.graph;
    return {
      pairs: this.pairs,
      idealCycleHours: round1(this.idealHours),
      components: g.components.map((c) => ({
        index: c.index,
        title: c.title,
        layer: c.layer,
        effort: c.effort,
        risk: c.risk,
        riskMaterializes: c.riskDraw < c.risk,
        riskReason: c.riskReason,
        externalDays: c.externalDays,
        externalReason: c.externalReason,
      })),
      dependencies: g.deps,
      approaches: g.approaches.map((a) => ({
        index: a.index,
        title: a.title,
        survives: a.survives,
        verdict: a.verdict,
        evidence: a.evidence,
      })),
    };
  }

  secrets(): Secret[] {
    const g = this.graph;
    const out: Secret[] = [];
    for (const d of g.deps)
      out.push({ id: `dep-${d.from}-${d.to}`, text: `true ${d.kind} dependency C${d.from} -> C${d.to}`, revealed: false });
    for (const c of g.components) {
      if (c.risk >= RISKY) out.push({ id: `risk-C${c.index}`, text: c.riskReason, revealed: false });
      if (c.externalDays > 0) out.push({ id: `external-C${c.index}`, text: c.externalReason, revealed: false });
    }
    for (const a of g.approaches) out.push({ id: `approach-A${a.index}`, text: a.verdict, revealed: false });
    return out;
  }
}

/** Size bucket of an estimate: L needs two sessions, XL three (the split a session-sized plan takes). */
function sizeOf(estimate: number): 'S' | 'M' | 'L' | 'XL' {
  return estimate <= 3 ? 'S' : estimate <= SESSION_HOURS ? 'M' : estimate <= 2 * SESSION_HOURS ? 'L' : 'XL';
}

/**
 * Cycle time (hours) of the plan a well-informed team would make: every component, split to fit
 * a session, in dependency order with risky and cross-team work first, every real dependency
 * declared with its true type, risky and cross-team components flagged. Risks are not drawn.
 */
function idealCycleHours(g: TaskGraph, pairs: number): number {
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

/** Every concrete action, built once and shared (read-only) by `legalActions`. */
const CREATE: readonly Action[] = Array.from({ length: MAX_COMPONENTS }, (_, c) => frozen({ type: 'create_task', args: { component: c } }));
const DEPEND: readonly [Action, Action][] = Array.from({ length: MAX_COMPONENTS * MAX_COMPONENTS }, (_, i) => {
  const from = Math.floor(i / MAX_COMPONENTS);
  const to = i % MAX_COMPONENTS;
  return [
    frozen({ type: 'add_dependency', args: { from, to, kind: 'hard' } }),
    frozen({ type: 'add_dependency', args: { from, to, kind: 'soft' } }),
  ];
});
const RISK: readonly Action[] = Array.from({ length: MAX_TASKS }, (_, t) => frozen({ type: 'identify_risk', args: { task: t } }));
const PROPOSE: readonly Action[] = Array.from({ length: MAX_APPROACHES }, (_, a) =>
  frozen({ type: 'propose_approach', args: { approach: a } }),
);
const COMPARE: Action = frozen({ type: 'compare_approaches', args: {} });
const SIGNAL: Action = frozen({ type: 'signal_plan_complete', args: {} });

function frozen(action: Action): Action {
  Object.freeze(action.args);
  return Object.freeze(action);
}

const COMPONENT_ARG = { kind: 'int', min: 0, max: MAX_COMPONENTS - 1, description: 'a component index (C0..C7 as listed)' } as const;

export const decomposition: EpisodeWorld = {
  name: 'decomposition',
  summary:
    'Decompose a refined story into an ordered plan of tasks: declare the real dependencies with their type, put the risky work first, size tasks to a session, and compare approaches before committing.',
  actions: {
    create_task: {
      description:
        'Append a task for a component to the plan (plan order = creation order). Creating another task for the same component splits it into one more part (at most 3).',
      args: { component: COMPONENT_ARG },
    },
    add_dependency: {
      description:
        'Declare that component `to` depends on component `from` (component indices; `from` must already be planned before `to`). hard: `to` must wait until `from` is done; soft: they can overlap, at some integration risk.',
      args: {
        from: { ...COMPONENT_ARG, description: 'the prerequisite component' },
        to: { ...COMPONENT_ARG, description: 'the component that depends on it' },
        kind: { kind: 'enum', values: ['hard', 'soft'], description: 'hard = must wait; soft = can run in parallel at some risk' },
      },
      asserts: true,
    },
    identify_risk: {
      description:
        "Flag a task's component as risky (task index in plan order): a 2-hour spike validates it first and any cross-team request goes out on day 1.",
      args: { task: { kind: 'int', min: 0, max: MAX_TASKS - 1, description: 'a task index in plan order' } },
      asserts: true,
    },
    propose_approach: {
      description: 'Put an approach on the table; the approach proposed last is the one the team will take.',
      args: { approach: { kind: 'int', min: 0, max: MAX_APPROACHES - 1, description: 'an approach index (A0..A2 as listed)' } },
    },
    compare_approaches: {
      description: 'Weigh the proposed approaches (at least two): reveals evidence on how each is likely to fare.',
      args: {},
    },
    signal_plan_complete: { description: 'Declare the plan complete; the sprint starts executing it.', args: {}, asserts: true },
  },
  maxTurns: 40,
  levers: [
    {
      name: 'declare_hard_dependency',
      direction: 'up',
      description:
        'Declaring a real hard dependency makes the dependent wait for its prerequisite; left undeclared, a pair starts too early and is blocked (lost hours, an extra iteration).',
    },
    {
      name: 'invent_dependency',
      direction: 'down',
      description: 'A declared hard dependency that is not real serializes work: less parallelism, a longer cycle time.',
    },
    {
      name: 'risk_first_with_spike',
      direction: 'up',
      description:
        'Flagging a risky task (a spike runs first) and planning it early means a materializing risk is found before work is built on it; risky work planned late and unflagged causes rework of what was built around it.',
    },
    {
      name: 'compare_approaches',
      direction: 'up',
      description:
        'Proposing several approaches and comparing them reveals noisy evidence, so the chosen approach survives more often; an approach chosen blind fails about half the time and forces a major pivot.',
    },
    {
      name: 'missing_component',
      direction: 'down',
      description: 'A component without a task is not built: its acceptance criteria are unmet and the story is not accepted.',
    },
    {
      name: 'split_large_component',
      direction: 'up',
      description:
        'Splitting a component estimated above a session into parts makes each task completable in one session (no long-task penalty) and lets pairs work in parallel.',
    },
  ],
  vocabulary: [
    'task:decomposition',
    ...['crud_api', 'data_pipeline', 'ml_service', 'frontend_spa', 'cli_tool', 'library', 'infrastructure'].map((d) => `domain:${d}`),
    ...[1, 2, 3, 5, 8].map((p) => `points:${p}`),
    'pairs:2',
    'pairs:3',
    ...['S', 'M', 'L', 'XL'].map((s) => `size:${s}`),
    ...['needs', 'reuses', 'external', 'uncertain'].map((c) => `cue:${c}`),
    ...Array.from({ length: MAX_COMPONENTS }, (_, i) => [
      `comp:${i}`,
      ...(['needs', 'reuses', 'external', 'uncertain'] as const).map((k) => `${k}:${i}`),
      `hard_from:${i}`,
      `soft_from:${i}`,
    ]).flat(),
    ...Array.from({ length: MAX_PARTS }, (_, i) => `tasks:${i + 1}`),
    ...Array.from({ length: MAX_TASKS }, (_, i) => `first:${i}`),
    'flagged',
    ...Array.from({ length: MAX_APPROACHES }, (_, i) => `approach:${i}`),
    'proposed',
    ...['promising', 'mixed', 'doubtful'].map((e) => `evidence:${e}`),
    'chosen',
    'compared',
  ],
  create: (rng, options) => new DecompositionEpisode(rng, options),
  fromText(text): Action | undefined {
    const lower = text.toLowerCase();
    if (/plan (is )?(complete|done|ready)|signal/.test(lower)) return { type: 'signal_plan_complete', args: {}, text };
    if (/\bcompare\b/.test(lower)) return { type: 'compare_approaches', args: {}, text };
    const dep = /c(\d)\b.*\b(depends on|waits for|needs|builds on)\b.*\bc(\d)\b/.exec(lower);
    if (dep)
      return {
        type: 'add_dependency',
        args: { from: Number(dep[3]), to: Number(dep[1]), kind: /soft|builds on/.test(lower) ? 'soft' : 'hard' },
        text,
      };
    const risk = /\brisk\w*\b.*\btask (\d+)/.exec(lower);
    if (risk) return { type: 'identify_risk', args: { task: Number(risk[1]) }, text };
    const approach = /\ba(\d)\b|approach (\d)/.exec(lower);
    if (approach && /propos|choose|go with|take/.test(lower))
      return { type: 'propose_approach', args: { approach: Number(approach[1] ?? approach[2]) }, text };
    const task = /task for c(\d)|\bc(\d)\b/.exec(lower);
    if (task && /task|create|add/.test(lower)) return { type: 'create_task', args: { component: Number(task[1] ?? task[2]) }, text };
    return undefined;
  },
};
