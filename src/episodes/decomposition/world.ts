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
 * Outcome (`outcome.ts`): the plan is executed on the hidden graph by list scheduling; missed,
 * invented and mistyped dependencies, risks, cross-team waits, the chosen approach and the task
 * sizes decide the cycle time against the sprint, the rework and the six components. The sprint has
 * ceil((1.2 x ideal + 3 h) / 6 h) working days left, the ideal being the cycle time of a
 * well-informed plan.
 */

import type { Action, ActionResult, Episode, EpisodeResult, EpisodeWorld, ScenarioOptions, Secret } from '../../core/episode.js';
import { round1, round3 } from '../../core/numbers.js';
import type { Rng } from '../../core/rng.js';
import { type Approach, type Component, type DepKind, RISKY } from '../../sim/task-graph.js';
import { EPISODE_SPECS } from '../../spec/episodes.js';
import { ScenarioFields } from '../common.js';
import { chosenApproach, type Declared, decompositionOutcome, MAX_PARTS, type Planning, type PlanTask, type Proposal } from './outcome.js';
import { decompositionDescription, decompositionTokens } from './render.js';
import { drawScenario, type Scenario, staticView } from './scenario.js';
import type { ApproachView, DecompositionFacts, DecompositionHidden, DecompositionView, DependencyView, TaskView } from './types.js';

/** Most components a story has; component and dependency arguments range over 0..7. */
const MAX_COMPONENTS = 8;
/** Most tasks in a plan; task arguments range over 0..15. */
const MAX_TASKS = 16;
const MAX_APPROACHES = 3;

class DecompositionEpisode
  extends ScenarioFields<Scenario>()
  implements Episode<DecompositionView, DecompositionFacts, DecompositionHidden>, Planning
{
  readonly tasks: PlanTask[] = [];
  readonly parts: number[];
  readonly declared: Declared[] = [];
  /** Flagged component -> step of the identify_risk. */
  readonly flagged = new Map<number, number>();
  readonly proposals: Proposal[] = [];
  /** The distinct approaches proposed, in order of first proposal. */
  readonly proposed: number[] = [];
  readonly evidenceShown = new Set<number>();
  compared = false;
  compareStep = -1;
  complete = false;
  completeStep = -1;
  /** Plan position of each component's first task (-1: none yet). */
  readonly first: number[];
  private readonly staticView: Pick<DecompositionView, 'story' | 'team' | 'components'>;
  /** Public lists kept up to date by `act` (copied by `view`). */
  private approachesView: ApproachView[] = [];
  private readonly tasksView: TaskView[] = [];
  private readonly depsView: DependencyView[] = [];
  /** Copies of the public lists handed out by `view`, made again only after a change. */
  private tasksSnapshot: TaskView[] | undefined;
  private depsSnapshot: DependencyView[] | undefined;
  private flaggedSnapshot: number[] | undefined;
  private tasksPerPoint = 0;

  constructor(rng: Rng, options: ScenarioOptions) {
    super(drawScenario(rng, options));
    this.parts = new Array<number>(this.graph.components.length).fill(0);
    this.first = new Array<number>(this.graph.components.length).fill(-1);
    this.staticView = staticView(this);
    this.refreshApproaches();
  }

  private firstTaskOf(component: number): number {
    return this.first[component] ?? -1;
  }

  view(): DecompositionView {
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
      chosenApproach: this.proposals.length > 0 ? chosenApproach(this.proposals) : null,
      compared: this.compared,
      tasksPerPoint: this.tasksPerPoint,
    };
  }

  /** Rebuilds the public approach list after a proposal or a comparison. */
  private refreshApproaches(): void {
    const proposed = this.proposed;
    this.approachesView = this.graph.approaches.map((a) => {
      const out: ApproachView = { index: a.index, title: a.title, summary: a.summary, proposed: proposed.includes(a.index) };
      if (this.evidenceShown.has(a.index)) out.evidence = a.evidence;
      return out;
    });
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

  tokens(): string[] {
    return decompositionTokens(this);
  }

  describe(): string {
    return decompositionDescription(this);
  }

  finish(): EpisodeResult<DecompositionFacts> {
    return decompositionOutcome(this);
  }

  hidden(): DecompositionHidden {
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

export const decompositionWorld: EpisodeWorld<DecompositionView, DecompositionFacts, DecompositionHidden> = {
  name: 'decomposition',
  spec: EPISODE_SPECS.decomposition,
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
