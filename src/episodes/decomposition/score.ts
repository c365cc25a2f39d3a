/**
 * Behavior codes scored on decomposition traces (E-1.2): B-05 risk-first ordering, B-06 dependency
 * identification, B-07 granularity, B-08 trade-off articulation.
 *
 * Evidence is the candidate's own valid actions (`create_task`, `add_dependency`, `identify_risk`,
 * `propose_approach`, `compare_approaches`), read in one pass over the decisions, set against the
 * episode's hidden truth (component risk, effort and cross-team waits, the true dependencies, the
 * approaches' fates and evidence) and the outcome facts `finish()` emits. The formulas are in
 * docs/reward.md.
 */

import { clamp01 } from '../../core/numbers.js';
import { type CodeScore, codeScore, judgeSignal, type PerformativeRules, type ScoreContext, type SignalValue } from '../../core/scorer.js';
import type { DecisionRecord } from '../../core/trace.js';
import { RISKY, SESSION_HOURS, type TrueDep } from '../../sim/task-graph.js';
import { type ApproachTruth, type ComponentTruth, type DecompositionTrace, EVIDENCE_RANK } from './types.js';

/** A part of a split component below this many hours is a fragment with no outcome of its own. */
const FRAGMENT_HOURS = 1.5;
/** Tasks per story point inside which granularity is right (behaviors.yaml proxy). */
const TPP_LOW = 0.5;
const TPP_HIGH = 2;

/** What the candidate did, read from its valid decisions in one pass. */
interface Plan {
  /** Component of each task, in plan order. */
  tasks: number[];
  /** Decision id of each task's `create_task`. */
  taskIds: string[];
  /** Per component: number of parts (tasks), and plan position of its first task (-1: none). */
  parts: number[];
  first: number[];
  /** Declared dependencies with their decision ids. */
  declared: { from: number; to: number; kind: string; id: string }[];
  /** Flagged component -> decision id of the `identify_risk`. */
  flagged: Map<number, string>;
  /** Distinct approaches proposed (first-proposal order), the last proposed, and decision ids. */
  proposed: number[];
  chosen: number;
  proposalIds: string[];
  /** Approaches shown evidence by a valid comparison, and its decision id. */
  compared: Set<number>;
  compareId: string | undefined;
  /** The decision that committed the plan (`signal_plan_complete`), else the last decision: the
   * evidence of what a plan lacks. */
  commitId: string | undefined;
}

function readPlan(decisions: readonly DecisionRecord[], n: number): Plan {
  const plan: Plan = {
    tasks: [],
    taskIds: [],
    parts: new Array<number>(n).fill(0),
    first: new Array<number>(n).fill(-1),
    declared: [],
    flagged: new Map(),
    proposed: [],
    chosen: -1,
    proposalIds: [],
    compared: new Set(),
    compareId: undefined,
    commitId: decisions[decisions.length - 1]?.id,
  };
  for (const d of decisions) {
    if (!d.valid) continue;
    const args = d.action.args ?? {};
    switch (d.action.type) {
      case 'create_task': {
        const c = args.component as number;
        if (c < 0 || c >= n) break;
        if (plan.first[c] === -1) plan.first[c] = plan.tasks.length;
        plan.parts[c] = (plan.parts[c] as number) + 1;
        plan.tasks.push(c);
        plan.taskIds.push(d.id);
        break;
      }
      case 'add_dependency':
        plan.declared.push({ from: args.from as number, to: args.to as number, kind: String(args.kind), id: d.id });
        break;
      case 'identify_risk': {
        const c = plan.tasks[args.task as number];
        if (c !== undefined && !plan.flagged.has(c)) plan.flagged.set(c, d.id);
        break;
      }
      case 'propose_approach': {
        const a = args.approach as number;
        if (!plan.proposed.includes(a)) plan.proposed.push(a);
        plan.chosen = a;
        plan.proposalIds.push(d.id);
        break;
      }
      case 'compare_approaches':
        for (const a of plan.proposed) plan.compared.add(a);
        plan.compareId = d.id;
        break;
      case 'signal_plan_complete':
        plan.commitId = d.id;
        break;
    }
  }
  return plan;
}

/** Evidence ids; when the candidate did nothing for the code, the decision that committed the plan. */
function withCommit(ids: string[], plan: Plan): string[] {
  if (ids.length === 0 && plan.commitId !== undefined) ids.push(plan.commitId);
  return ids;
}

/** Bitmask per component of its transitive true prerequisites (either kind). */
function prerequisiteClosure(deps: readonly TrueDep[], n: number): number[] {
  const direct = new Array<number>(n).fill(0);
  for (const d of deps) direct[d.to] = (direct[d.to] as number) | (1 << d.from);
  const closure = direct.slice();
  for (let changed = true; changed; ) {
    changed = false;
    for (let i = 0; i < n; i++) {
      let mask = closure[i] as number;
      for (let j = 0; j < n; j++) if (mask & (1 << j)) mask |= closure[j] as number;
      if (mask !== closure[i]) {
        closure[i] = mask;
        changed = true;
      }
    }
  }
  return closure;
}

/**
 * B-05: the riskiest component planned early (relative to its true prerequisites) and spiked, and
 * flags that predict the risks that materialize.
 */
function riskFirst(trace: DecompositionTrace, plan: Plan, comps: readonly ComponentTruth[], deps: readonly TrueDep[]): CodeScore {
  const n = comps.length;
  const ids: string[] = [];
  // The riskiest component of the story (planned or not) and the risky ones.
  let riskiest = -1;
  let risky = 0;
  let planned = 0;
  let realPlanned = 0;
  for (const c of comps) {
    if (riskiest < 0 || c.risk > (comps[riskiest] as ComponentTruth).risk) riskiest = c.index;
    if (c.risk >= RISKY) risky++;
    if (plan.first[c.index] === -1) continue;
    planned++;
    if (c.risk >= RISKY || c.externalDays > 0) realPlanned++;
  }
  const arose = riskiest >= 0 && (comps[riskiest] as ComponentTruth).risk >= RISKY;

  // risky_task_position: 1 - (position of the riskiest task - the earliest it could be, after the
  // tasks of its true prerequisites) / the tasks after that; 0 when it has no task.
  let position: number | null = null;
  const pos = riskiest >= 0 ? (plan.first[riskiest] as number) : -1;
  if (arose) {
    if (pos < 0) position = 0;
    else {
      const prereqs = prerequisiteClosure(deps, n)[riskiest] as number;
      let earliest = 0;
      for (let i = 0; i < n; i++) if (prereqs & (1 << i)) earliest += plan.parts[i] as number;
      const span = plan.tasks.length - earliest;
      position = pos <= earliest || span <= 1 ? 1 : clamp01(1 - (pos - earliest) / span);
      ids.push(plan.taskIds[pos] as string);
    }
  }

  // risk_prediction: recall (the materialized risks that were flagged or, when none materialized,
  // the risky components that were) times the flags' precision on real risks (risky or
  // cross-team), half raw and half as lift over the base rate of the planned components, so
  // flagging everything ("all tasks equal risk", precision = base rate) earns little.
  // A plan without tasks executes nothing: no risk materialized.
  const materialized = trace.outcome.risksMaterialized ?? 0;
  const predicted = trace.outcome.predictedRisksMaterialized ?? 0;
  let realFlags = 0;
  let riskyFlagged = 0;
  for (const [c, id] of plan.flagged) {
    ids.push(id);
    const comp = comps[c] as ComponentTruth;
    if (comp.risk >= RISKY || comp.externalDays > 0) realFlags++;
    if (comp.risk >= RISKY) riskyFlagged++;
  }
  const base = planned > 0 ? realPlanned / planned : 0;
  const precision = plan.flagged.size > 0 ? realFlags / plan.flagged.size : 0;
  const lift = base >= 1 ? precision : clamp01((precision - base) / (1 - base));
  let prediction: number | null = null;
  if (plan.flagged.size > 0 || risky > 0) {
    const recall = materialized > 0 ? predicted / materialized : risky > 0 ? riskyFlagged / risky : 1;
    prediction = recall * (0.5 * precision + 0.5 * lift);
  }

  // spike_for_uncertainty: a spike (flag) on the riskiest component, from flags that beat the
  // base rate (a spike on everything is no targeted validation) (binary).
  const spiked = plan.flagged.has(riskiest) && lift > 0;
  const spike = arose ? (spiked ? 1 : 0) : null;

  const signals: SignalValue[] = [
    { name: 'risky_task_position', source: 'outcome', weight: 0.35, value: position },
    { name: 'risk_prediction', source: 'outcome', weight: 0.35, value: prediction },
    { name: 'spike_for_uncertainty', source: 'trace', weight: 0.3, value: spike },
  ];
  const where = pos < 0 ? 'never planned' : `first planned at task ${pos} of ${plan.tasks.length}`;
  const reason = arose
    ? `riskiest C${riskiest} ${where}${spiked ? ', spiked' : ', not spiked'}; ${realFlags}/${plan.flagged.size} flags on real risks, ${predicted}/${materialized} materialized risks flagged`
    : `no risky component; ${realFlags}/${plan.flagged.size} flags on real risks`;
  return codeScore('B-05', signals, withCommit(ids, plan), reason);
}

/**
 * B-06: the real dependencies between planned components (and the cross-team waits) found, none
 * invented, hard/soft told apart.
 */
function dependencies(plan: Plan, comps: readonly ComponentTruth[], deps: readonly TrueDep[]): CodeScore {
  const ids: string[] = [];
  let planned = 0;
  for (const c of comps) if (plan.first[c.index] !== -1) planned++;
  let realAmongPlanned = 0;
  for (const d of deps) if (plan.first[d.from] !== -1 && plan.first[d.to] !== -1) realAmongPlanned++;
  let found = 0;
  let typed = 0;
  let falseWeight = 0;
  for (const dec of plan.declared) {
    ids.push(dec.id);
    let real: string | undefined;
    for (const x of deps) if (x.from === dec.from && x.to === dec.to) real = x.kind;
    if (real === undefined) falseWeight += dec.kind === 'hard' ? 1 : 0.5;
    else {
      found++;
      if (real === dec.kind) typed++;
    }
  }
  // Cross-team waits of planned components count as dependencies to find (flagged = requested on day 1).
  let externals = 0;
  let externalsFound = 0;
  for (const c of comps) {
    if (c.externalDays <= 0 || plan.first[c.index] === -1) continue;
    externals++;
    const id = plan.flagged.get(c.index);
    if (id !== undefined) {
      externalsFound++;
      ids.push(id);
    }
  }
  const toFind = realAmongPlanned + externals;
  const empty = plan.tasks.length === 0 && (deps.length > 0 || comps.some((c) => c.externalDays > 0));
  const recall = toFind > 0 ? (found + externalsFound) / toFind : empty ? 0 : null;
  // false_positive_penalty: weighted precision of the declarations (an invented hard dependency
  // serializes work: weight 1; an invented soft one costs a sync: 0.5), as lift over the share of
  // real ones among the pairs that could be declared, so declaring every pair earns nothing.
  let falsePenalty: number | null = null;
  if (plan.declared.length > 0) {
    const pairs = (planned * (planned - 1)) / 2;
    const base = pairs > 0 ? Math.min(1, realAmongPlanned / pairs) : 0;
    const precision = clamp01(1 - falseWeight / plan.declared.length);
    falsePenalty = base >= 1 ? precision : clamp01((precision - base) / (1 - base));
  }
  // typing_accuracy: declarations of the right kind / declarations (an invented one is mistyped:
  // its true kind is "none"); 0 when real dependencies were met but none declared.
  const typing = plan.declared.length > 0 ? typed / plan.declared.length : realAmongPlanned > 0 || empty ? 0 : null;
  const signals: SignalValue[] = [
    { name: 'true_positive_rate', source: 'outcome', weight: 0.4, value: recall },
    { name: 'false_positive_penalty', source: 'outcome', weight: 0.3, value: falsePenalty },
    { name: 'typing_accuracy', source: 'outcome', weight: 0.3, value: typing },
  ];
  const reason = empty
    ? 'no task planned: no dependency identified'
    : `${found}/${realAmongPlanned} real dependencies and ${externalsFound}/${externals} cross-team waits found; ${plan.declared.length - found} of ${plan.declared.length} declared not real; ${typed}/${plan.declared.length} declared with the right kind`;
  return codeScore('B-06', signals, withCommit(ids, plan), reason);
}

/** B-07: tasks sized to the story and to a session, each an outcome that can be verified. */
function granularity(trace: DecompositionTrace, plan: Plan, comps: readonly ComponentTruth[], context: ScoreContext): CodeScore {
  const tasks = plan.tasks.length;
  // Story points are not a fact of their own: tasksPerPoint = tasks / points (points are integers).
  const perPoint = trace.outcome.tasksPerPoint;
  const points = tasks > 0 && perPoint > 0 ? Math.round(tasks / perPoint) : 0;
  // tasks_per_point: 1 inside the range, decaying outside. Every component needs a task, so the
  // upper bound is never below the number of components.
  let tpp: number;
  if (tasks === 0 || points <= 0) tpp = 0;
  else {
    const low = TPP_LOW * points;
    const high = Math.max(TPP_HIGH * points, comps.length);
    tpp = tasks < low ? tasks / low : tasks > high ? clamp01(1 - (tasks - high) / high) : 1;
  }
  const completability = tasks > 0 ? (trace.outcome.completability ?? 0) : 0;
  // testability stand-in: each task is one verifiable outcome: it fits a session and, when its
  // component is split, is not a fragment; components without a task leave criteria unverified.
  let testable = 0;
  let planned = 0;
  for (const c of plan.tasks) {
    const parts = plan.parts[c] as number;
    const hours = (comps[c] as ComponentTruth).effort / parts;
    if (hours <= SESSION_HOURS && (parts === 1 || hours >= FRAGMENT_HOURS)) testable++;
  }
  for (let i = 0; i < comps.length; i++) if (plan.first[i] !== -1) planned++;
  const testability = tasks > 0 ? (testable / tasks) * (planned / comps.length) : 0;
  const signals: SignalValue[] = [
    { name: 'tasks_per_point', source: 'trace', weight: 0.4, value: tpp },
    { name: 'completability', source: 'outcome', weight: 0.3, value: completability },
    judgeSignal('testability', 0.3, 'B-07', context, testability),
  ];
  const reason = `${tasks} tasks for ${points} points over ${planned}/${comps.length} components; ${testable}/${tasks} session-sized outcomes`;
  return codeScore('B-07', signals, withCommit(plan.taskIds.slice(), plan), reason);
}

/** The rank of an approach's evidence (0 for an approach that does not exist). */
function evidenceRank(approach: ApproachTruth | undefined): number {
  return approach === undefined ? 0 : EVIDENCE_RANK[approach.evidence];
}

/** B-08: several approaches, compared, the choice following the evidence, and it held. */
function tradeOffs(trace: DecompositionTrace, plan: Plan, approaches: readonly ApproachTruth[], context: ScoreContext): CodeScore {
  const available = Math.min(3, approaches.length);
  const considered = available > 0 ? Math.min(plan.proposed.length, available) / available : 0;
  // comparison_quality stand-in: share of the approaches put side by side in a comparison.
  const quality = plan.compareId !== undefined && available > 0 ? Math.min(plan.compared.size, available) / available : 0;
  // selection_justified stand-in: after a comparison, the chosen approach is one the evidence favours most.
  let justified = 0;
  if (plan.compareId !== undefined && plan.compared.has(plan.chosen)) {
    let best = -1;
    for (const a of plan.compared) best = Math.max(best, evidenceRank(approaches[a]));
    justified = evidenceRank(approaches[plan.chosen]) === best ? 1 : 0;
  }
  // Absent when the plan had no tasks (nothing was executed).
  const survived = trace.outcome.approachSurvived;
  const ids = plan.proposalIds.slice();
  if (plan.compareId !== undefined) ids.push(plan.compareId);
  const signals: SignalValue[] = [
    { name: 'approaches_considered', source: 'trace', weight: 0.25, value: considered },
    judgeSignal('comparison_quality', 0.25, 'B-08', context, quality),
    judgeSignal('selection_justified', 0.25, 'B-08', context, justified),
    { name: 'approach_survived', source: 'outcome', weight: 0.25, value: survived === undefined ? null : survived ? 1 : 0 },
  ];
  const reason =
    plan.chosen < 0
      ? 'no approach chosen'
      : `${plan.proposed.length}/${approaches.length} approaches proposed, ${plan.compareId === undefined ? 'not compared' : `${plan.compared.size} compared`}; chose A${plan.chosen}${justified ? ' (best evidence)' : ''}, ${survived ? 'it held' : 'it forced a pivot'}`;
  return codeScore('B-08', signals, withCommit(ids, plan), reason);
}

export function scoreDecomposition(trace: DecompositionTrace, context: ScoreContext): CodeScore[] {
  const { components: comps, dependencies: deps, approaches } = trace.hidden;
  const plan = readPlan(trace.decisions, comps.length);
  return [
    riskFirst(trace, plan, comps, deps),
    dependencies(plan, comps, deps),
    granularity(trace, plan, comps, context),
    tradeOffs(trace, plan, approaches, context),
  ];
}

/** Performative-risk rules of decomposition (`reward/performative.ts`). */
export const performativeRules: PerformativeRules = {
  motions: new Set(['add_dependency', 'identify_risk', 'propose_approach', 'compare_approaches']),
  hollow: new Set(['false_dependency', 'mistyped_dependency', 'false_risk', 'approach_pivot']),
};
