/**
 * The hidden task graph of a story and the execution simulator used by E-1.2 decomposition.
 *
 * A story is broken into 2..8 visible work components. The hidden truth per component: its effort
 * (hours of pair work), its risk (probability that its uncertainty materializes) with a pre-drawn
 * fate, an optional cross-team dependency (working days of waiting), and the hard/soft
 * dependencies between components (a hard one must finish first; a soft one can overlap at the
 * cost of some integration rework). The visible descriptions carry noisy cues about all of this.
 *
 * `simulatePlan` executes a plan (ordered tasks, declared dependencies, flagged risks) with list
 * scheduling over 2..3 developer pairs: each free pair takes the first task in plan order whose
 * declared hard prerequisites are done. Time is in focused pair-hours (6 per working day).
 */
import type { Rng } from './rng.js';

/** Focused hours a pair works per day. */
export const HOURS_PER_DAY = 6;
/** A task longer than this (hours) cannot be finished in one working session. */
export const SESSION_HOURS = 6;
/** Hours of a spike (timeboxed investigation) on a flagged component. */
export const SPIKE_HOURS = 2;
/** Per-task overhead (hours): standup mention, pull request, review. */
export const TASK_OVERHEAD_HOURS = 0.5;
/** Coordination hours per task beyond two tasks per story point. */
export const EXCESS_TASK_HOURS = 2;
/** Risk at or above which a component counts as risky. */
export const RISKY = 0.3;

export type DepKind = 'hard' | 'soft';
export type CueKind = 'needs' | 'reuses' | 'external' | 'uncertain';

export interface Cue {
  kind: CueKind;
  /** The component referred to, for `needs` / `reuses`. */
  ref?: number;
  text: string;
}

export interface Component {
  index: number;
  title: string;
  /** Architectural layer 0..3 (foundation .. quality/ops); hidden. */
  layer: number;
  /** True effort in pair-hours; hidden. */
  effort: number;
  /** Visible estimate in hours (true effort with noise). */
  estimate: number;
  /** Probability that the component's uncertainty materializes; hidden. */
  risk: number;
  /** Pre-drawn fate: the risk materializes when `riskDraw < risk`; hidden. */
  riskDraw: number;
  /** Hidden reason the risk materializes (a secret). */
  riskReason: string;
  /** Working days of waiting on another team (0 = none); hidden. */
  externalDays: number;
  /** Hidden: which team and why (a secret). */
  externalReason: string;
  /** Hidden: the team waited on (its visible cue, its hidden reason). */
  externalTeam: { cue: string; reason: string } | undefined;
  /** Visible noisy cues. */
  cues: Cue[];
  /** Visible readable description (cues included). */
  description: string;
}

export interface TrueDep {
  from: number;
  to: number;
  kind: DepKind;
}

export interface Approach {
  index: number;
  title: string;
  summary: string;
  /** Hidden: the approach works in execution without a major pivot. */
  survives: boolean;
  /** Hidden reason it fails or holds (a secret). */
  verdict: string;
  /** Pre-drawn noisy evidence a comparison would reveal. */
  evidence: Evidence;
}

export type Evidence = 'promising' | 'mixed' | 'doubtful';

export interface TaskGraph {
  components: Component[];
  deps: TrueDep[];
  /** Bitmask per component of the components it shares a real dependency with (either way). */
  related: number[];
  approaches: Approach[];
}

interface ComponentTemplate {
  title: string;
  layer: number;
  /** Relative size weight. */
  weight: number;
  /** Probability of a cross-team dependency. */
  external: number;
  /** Probability of being risky. */
  risky: number;
}

const TEMPLATES: readonly ComponentTemplate[] = [
  { title: 'data model and schema migration', layer: 0, weight: 1.0, external: 0.25, risky: 0.35 },
  { title: 'configuration and feature flag', layer: 0, weight: 0.5, external: 0.1, risky: 0.1 },
  { title: 'core domain logic', layer: 1, weight: 1.4, external: 0.05, risky: 0.3 },
  { title: 'integration with the {system}', layer: 1, weight: 1.1, external: 0.6, risky: 0.45 },
  { title: 'permission checks', layer: 1, weight: 0.7, external: 0.2, risky: 0.2 },
  { title: 'caching layer', layer: 1, weight: 0.8, external: 0.05, risky: 0.45 },
  { title: 'background job', layer: 1, weight: 0.9, external: 0.15, risky: 0.3 },
  { title: 'API endpoint', layer: 2, weight: 1.0, external: 0.1, risky: 0.15 },
  { title: 'user interface', layer: 2, weight: 1.2, external: 0.1, risky: 0.2 },
  { title: 'event publishing', layer: 2, weight: 0.7, external: 0.35, risky: 0.3 },
  { title: 'metrics and alerting', layer: 3, weight: 0.5, external: 0.3, risky: 0.1 },
  { title: 'end-to-end tests', layer: 3, weight: 0.8, external: 0.1, risky: 0.1 },
  { title: 'backfill of existing records', layer: 3, weight: 0.9, external: 0.2, risky: 0.4 },
];

const SYSTEMS = ['billing service', 'search index', 'notification service', 'audit log', 'identity provider'];

const NEEDS_PHRASES = [
  'reads the records written by {ref}',
  'cannot be tested until {ref} is merged',
  'calls the functions introduced by {ref}',
];
const REUSES_PHRASES = ['reuses helpers from {ref}', 'follows the same pattern as {ref}', 'shares test fixtures with {ref}'];
const UNCERTAIN_PHRASES = [
  'first use of an unfamiliar library',
  'performance under production load is unknown',
  'touches a legacy module without tests',
  'the behaviour of the upstream system here is undocumented',
  'touches the shared schema that other teams read',
];
const EXTERNAL = [
  { cue: "calls the payments team's API", reason: 'the payments team grants API access only after a security review' },
  { cue: 'needs a firewall change from the platform team', reason: 'the platform team batches firewall changes on a weekly cycle' },
  { cue: 'needs credentials from the security team', reason: 'the security team rotates service credentials only on request tickets' },
  { cue: 'needs a schema review by the data team', reason: 'the data team reviews schema changes in a fortnightly board' },
];
const RISK_REASONS = [
  'the chosen library leaks memory in streaming mode past ten thousand items',
  'p95 latency triples once the index holds more than a million rows',
  'the legacy module silently relies on a global timezone setting',
  'the existing client retries non-idempotent calls twice',
  'a nightly report owned by another team breaks on the new column',
  'the vendor sandbox behaves differently from production on partial failures',
];
const APPROACHES = [
  {
    title: 'extend the existing module in place',
    summary: 'least new code; couples the change to legacy paths',
    fails: 'the legacy module cannot be changed without breaking two other callers',
  },
  {
    title: 'build a separate service behind the gateway',
    summary: 'clean boundary; more deployment work',
    fails: 'the extra service needs an operations review that takes the whole sprint',
  },
  {
    title: 'adopt an open-source library',
    summary: 'fast start; depends on the library fitting our constraints',
    fails: 'the library cannot meet the memory limit of the container',
  },
  {
    title: 'event-driven design on the message bus',
    summary: 'decoupled and scalable; harder to test end to end',
    fails: 'the message ordering it assumes is not guaranteed per key',
  },
  {
    title: 'nightly batch job over a snapshot',
    summary: 'simple and robust; results are up to a day stale',
    fails: 'staleness of a day violates an unstated reporting expectation',
  },
  {
    title: 'thin adapter over the vendor SDK',
    summary: 'little code; ties us to the vendor behaviour',
    fails: 'the vendor SDK lacks the bulk endpoint the design needs',
  },
];

/** Components for a story of this size: 2..8. */
function componentCount(rng: Rng, points: number): number {
  if (points <= 1) return 2;
  if (points <= 2) return 3;
  if (points <= 3) return rng.intBetween(3, 4);
  if (points <= 5) return rng.intBetween(4, 6);
  return rng.intBetween(6, 8);
}

/**
 * Generates the hidden task graph of a story with `points` story points. Deterministic in `rng`.
 *
 * Total effort is 4.5..6 pair-hours per point, split by template weight. Dependencies only go from
 * a lower layer to a higher one (hard 22%, soft 12% per pair, at most two prerequisites each).
 * Cues: a real dependency is hinted on the dependent 85% (hard) / 80% (soft) of the time, phrased
 * "needs" 80% / 25% of the time; a spurious hint appears on 5% of the unrelated pairs (at most 2).
 * A risky component (risk 0.35..0.7) shows an "uncertain" cue 80% of the time, a safe one (risk
 * 0.03..0.12) 10%; a cross-team dependency (1..3 days) shows an "external" cue 85%, a false one 6%.
 */
export function generateTaskGraph(rng: Rng, points: number): TaskGraph {
  const n = componentCount(rng.fork('count'), points);
  const shape = rng.fork('shape');
  // At least one foundation and one core component; the rest from the whole pool.
  const foundation = TEMPLATES.filter((t) => t.layer === 0);
  const core = TEMPLATES.filter((t) => t.layer === 1);
  const chosen = new Set<ComponentTemplate>([shape.pick(foundation), shape.pick(core)]);
  for (const t of shape.shuffle(TEMPLATES)) {
    if (chosen.size >= n) break;
    chosen.add(t);
  }
  const templates = shape.shuffle([...chosen].slice(0, n));
  const system = shape.pick(SYSTEMS);
  const totalEffort = points * shape.uniform(4.5, 6);
  const weights = templates.map((t) => t.weight * shape.uniform(0.6, 1.5));
  const weightSum = weights.reduce((a, b) => a + b, 0);

  const truth = rng.fork('truth');
  const components: Component[] = templates.map((t, index) => {
    const effort = round1(Math.max(1, (totalEffort * (weights[index] as number)) / weightSum));
    const risky = truth.chance(t.risky);
    const external = truth.chance(t.external) ? truth.intBetween(1, 3) : 0;
    const ext = truth.pick(EXTERNAL);
    return {
      index,
      title: t.title.replaceAll('{system}', system),
      layer: t.layer,
      effort,
      estimate: Math.max(0.5, Math.round(effort * Math.exp(truth.normal(0, 0.18)) * 2) / 2),
      risk: round2(risky ? truth.uniform(0.35, 0.7) : truth.uniform(0.03, 0.12)),
      riskDraw: truth.next(),
      riskReason: `C${index} ${truth.pick(RISK_REASONS)}`,
      externalDays: external,
      externalReason: external > 0 ? `C${index} waits ${external} working day(s): ${ext.reason}` : '',
      externalTeam: external > 0 ? ext : undefined,
      cues: [],
      description: '',
    };
  });
  // At least one risky component.
  if (!components.some((c) => c.risk >= RISKY)) {
    const c = components[truth.int(n)] as Component;
    c.risk = round2(truth.uniform(0.35, 0.7));
  }

  const deps: TrueDep[] = [];
  const prereqs = new Array<number>(n).fill(0);
  /** Bitmask per component of the components it shares a real dependency with (either way). */
  const related = new Array<number>(n).fill(0);
  for (const to of truth.shuffle(components.map((c) => c.index))) {
    const b = components[to] as Component;
    for (const a of components) {
      if (a.layer >= b.layer || (prereqs[to] as number) >= 2) continue;
      const roll = truth.next();
      if (roll < 0.22) deps.push({ from: a.index, to, kind: 'hard' });
      else if (roll < 0.34) deps.push({ from: a.index, to, kind: 'soft' });
      else continue;
      prereqs[to] = (prereqs[to] as number) + 1;
      related[to] = (related[to] as number) | (1 << a.index);
      related[a.index] = (related[a.index] as number) | (1 << to);
    }
  }

  // Cues, from their own stream so the truth above does not depend on them.
  const cueRng = rng.fork('cues');
  const label = (i: number) => `C${i} (${(components[i] as Component).title})`;
  for (const d of deps) {
    const shown = cueRng.chance(d.kind === 'hard' ? 0.85 : 0.8);
    const needs = cueRng.chance(d.kind === 'hard' ? 0.8 : 0.25);
    const phrase = cueRng.pick(needs ? NEEDS_PHRASES : REUSES_PHRASES);
    if (shown)
      (components[d.to] as Component).cues.push({
        kind: needs ? 'needs' : 'reuses',
        ref: d.from,
        text: phrase.replace('{ref}', label(d.from)),
      });
  }
  let spurious = 0;
  for (const b of components) {
    for (const a of components) {
      if (a === b || (related[b.index] as number) & (1 << a.index) || spurious >= 2) continue;
      if (!cueRng.chance(0.05)) continue;
      spurious++;
      const needs = cueRng.chance(0.3);
      const phrase = cueRng.pick(needs ? NEEDS_PHRASES : REUSES_PHRASES);
      b.cues.push({ kind: needs ? 'needs' : 'reuses', ref: a.index, text: phrase.replace('{ref}', label(a.index)) });
    }
  }
  for (const c of components) {
    if (cueRng.chance(c.risk >= RISKY ? 0.8 : 0.1)) c.cues.push({ kind: 'uncertain', text: cueRng.pick(UNCERTAIN_PHRASES) });
    const ext = c.externalTeam ?? cueRng.pick(EXTERNAL);
    if (cueRng.chance(c.externalDays > 0 ? 0.85 : 0.06)) c.cues.push({ kind: 'external', text: ext.cue });
    if (c.cues.length > 1) c.cues.sort((x, y) => (x.ref ?? -1) - (y.ref ?? -1));
    let text = `Implement the ${c.title} (estimate ${c.estimate} h).`;
    for (let i = 0; i < c.cues.length; i++) text += `${i === 0 ? ' Notes: ' : '; '}${(c.cues[i] as Cue).text}`;
    c.description = c.cues.length > 0 ? `${text}.` : text;
  }

  const apRng = rng.fork('approaches');
  const k = apRng.chance(0.6) ? 3 : 2;
  const picks = apRng.sample(
    APPROACHES.map((_, i) => i),
    k,
  );
  const approaches: Approach[] = picks.map((p, index) => {
    const template = APPROACHES[p] as (typeof APPROACHES)[number];
    return {
      index,
      title: template.title,
      summary: template.summary,
      survives: apRng.chance(0.5),
      verdict: template.fails,
      evidence: 'mixed',
    };
  });
  if (!approaches.some((a) => a.survives)) (approaches[apRng.int(k)] as Approach).survives = true;
  for (const a of approaches) {
    a.verdict = a.survives
      ? `approach ${a.index} (${a.title}) survives execution without a major pivot`
      : `approach ${a.index} (${a.title}) fails in execution: ${a.verdict}`;
    const roll = apRng.next();
    a.evidence = a.survives
      ? roll < 0.75
        ? 'promising'
        : roll < 0.95
          ? 'mixed'
          : 'doubtful'
      : roll < 0.6
        ? 'doubtful'
        : roll < 0.9
          ? 'mixed'
          : 'promising';
  }
  return { components, deps, related, approaches };
}

/** A plan as the simulator needs it. */
export interface Plan {
  /** Component of each task, in plan (creation) order. */
  tasks: readonly number[];
  /** Declared dependencies between components (`to` waits for `from` when hard). */
  declared: readonly TrueDep[];
  /** Components flagged as risky (spiked first; cross-team requests raised on day 0). */
  flagged: ReadonlySet<number>;
  pairs: number;
}

export interface TaskRun {
  component: number;
  /** Position in the plan. */
  position: number;
  effort: number;
  start: number;
  end: number;
}

export interface Simulation {
  runs: TaskRun[];
  /** Hours until the last task ends (before post-hoc rework). */
  makespan: number;
  /** Pairs that started a task before an undeclared (or soft-typed) hard prerequisite was done. */
  blocked: { task: number; component: number; prereq: number }[];
  blockedHours: number;
  /** Tasks that overlapped a real soft prerequisite (and its rework, hours). */
  softCollisions: { task: number; component: number; prereq: number; hours: number; declared: boolean }[];
  /** Pair-hours lost to discovering an unflagged cross-team wait. */
  externalDiscoveries: number[];
  /** Hours pairs sat idle with nothing ready. */
  idleHours: number;
  /** Work hours actually done (excluding idle). */
  busyHours: number;
  /** End of each spike, per flagged component. */
  spikeEnd: Map<number, number>;
  /** Deadlocks the team had to break (false declared dependencies against real ones). */
  deadlocksBroken: number;
}

/**
 * Executes a plan on the true graph. `taskEffort[i]` is the hours of task i (overhead included).
 * Missing components' hard prerequisites: a task that needs one gets half its effort added
 * (the pair improvises the missing piece).
 */
export function simulatePlan(graph: TaskGraph, plan: Plan, taskEffort: readonly number[]): Simulation {
  const n = graph.components.length;
  const m = plan.tasks.length;
  // Prerequisites as bitmasks over components (at most 31 components).
  const hardIn = new Array<number>(n).fill(0);
  const softIn = new Array<number>(n).fill(0);
  for (const d of graph.deps) {
    if (d.kind === 'hard') hardIn[d.to] = (hardIn[d.to] as number) | (1 << d.from);
    else softIn[d.to] = (softIn[d.to] as number) | (1 << d.from);
  }
  const declaredHard = new Array<number>(n).fill(0);
  const declaredAny = new Array<number>(n).fill(0);
  for (const d of plan.declared) {
    if (d.kind === 'hard') declaredHard[d.to] = (declaredHard[d.to] as number) | (1 << d.from);
    declaredAny[d.to] = (declaredAny[d.to] as number) | (1 << d.from);
  }
  let planned = 0;
  for (const c of plan.tasks) planned |= 1 << c;
  /** Per task: components it waits for (declared hard or discovered), as a bitmask. */
  const waitFor = plan.tasks.map((c) => declaredHard[c] as number);
  const remaining = new Array<number>(n).fill(0);
  for (const c of plan.tasks) remaining[c] = (remaining[c] as number) + 1;
  /** Time each component's last task ends (Infinity until all its tasks have started). */
  const doneAt = new Array<number>(n).fill(Number.POSITIVE_INFINITY);
  const effort = taskEffort.slice();
  const readyAt = new Array<number>(m).fill(0);
  const requested = new Array<boolean>(n).fill(false);
  const spikeEnd = new Map<number, number>();
  const free = new Array<number>(plan.pairs).fill(0);
  let idleHours = 0;
  let busyHours = 0;

  // Spikes first, one per flagged planned component, round-robin over pairs from t = 0.
  let p = 0;
  for (const c of plan.flagged) {
    if (!(planned & (1 << c))) continue;
    const start = free[p] as number;
    free[p] = start + SPIKE_HOURS;
    busyHours += SPIKE_HOURS;
    spikeEnd.set(c, start + SPIKE_HOURS);
    p = (p + 1) % plan.pairs;
  }
  for (let i = 0; i < m; i++) {
    const c = plan.tasks[i] as number;
    if (plan.flagged.has(c)) {
      readyAt[i] = Math.max(spikeEnd.get(c) ?? 0, (graph.components[c] as Component).externalDays * HOURS_PER_DAY);
      requested[c] = true;
    }
  }

  const runs: TaskRun[] = [];
  const started = new Array<boolean>(m).fill(false);
  const blocked: Simulation['blocked'] = [];
  let blockedHours = 0;
  const softCollisions: Simulation['softCollisions'] = [];
  const externalDiscoveries: number[] = [];
  let deadlocksBroken = 0;
  let left = m;
  /** Components of `mask` (planned ones only) not done by time t, as a bitmask. */
  const notDone = (mask: number, t: number) => {
    let out = 0;
    for (let c = 0; c < n; c++) if (mask & planned & (1 << c) && (doneAt[c] as number) > t) out |= 1 << c;
    return out;
  };

  for (let guard = 0; left > 0 && guard < 10_000; guard++) {
    // The pair that is free first.
    let pair = 0;
    for (let q = 1; q < plan.pairs; q++) if ((free[q] as number) < (free[pair] as number)) pair = q;
    const t = free[pair] as number;
    let pick = -1;
    for (let i = 0; i < m; i++) {
      if (started[i] || (readyAt[i] as number) > t) continue;
      if (notDone(waitFor[i] as number, t) === 0) {
        pick = i;
        break;
      }
    }
    if (pick < 0) {
      // Nothing ready: wait for the next event (a task ending, a wait expiring, a pair freeing).
      let next = Number.POSITIVE_INFINITY;
      for (const r of runs) if (r.end > t && r.end < next) next = r.end;
      for (let i = 0; i < m; i++)
        if (!started[i] && (readyAt[i] as number) > t && (readyAt[i] as number) < next) next = readyAt[i] as number;
      for (let q = 0; q < plan.pairs; q++) if ((free[q] as number) > t && (free[q] as number) < next) next = free[q] as number;
      if (next === Number.POSITIVE_INFINITY) {
        // Deadlock (a false declared dependency against a real one): after half a day the team
        // drops the constraints that are not real (and, if that is not enough, all of them).
        deadlocksBroken++;
        for (let i = 0; i < m; i++) {
          if (started[i]) continue;
          waitFor[i] = deadlocksBroken > 3 ? 0 : (waitFor[i] as number) & (hardIn[plan.tasks[i] as number] as number);
        }
        free[pair] = t + 3;
        idleHours += 3;
        continue;
      }
      idleHours += next - t;
      free[pair] = next;
      continue;
    }
    const c = plan.tasks[pick] as number;
    const comp = graph.components[c] as Component;
    // An unflagged cross-team wait is discovered when the work starts: the request goes out now.
    if (comp.externalDays > 0 && !requested[c]) {
      requested[c] = true;
      for (let i = 0; i < m; i++) if (plan.tasks[i] === c) readyAt[i] = t + 1 + comp.externalDays * HOURS_PER_DAY;
      externalDiscoveries.push(pick);
      free[pair] = t + 1;
      busyHours += 1;
      continue;
    }
    // Real hard prerequisites never planned: the pair improvises the missing piece inside this task.
    const unplannedHard = (hardIn[c] as number) & ~planned & ~(waitFor[pick] as number);
    if (unplannedHard) {
      for (let h = 0; h < n; h++)
        if (unplannedHard & (1 << h)) effort[pick] = (effort[pick] as number) + 0.5 * (graph.components[h] as Component).effort;
      waitFor[pick] = (waitFor[pick] as number) | unplannedHard;
    }
    // A real hard prerequisite not yet done (not declared hard): the pair starts, gets blocked.
    const missingMask = notDone((hardIn[c] as number) & ~(waitFor[pick] as number), t);
    if (missingMask) {
      const missing = 31 - Math.clz32(missingMask & -missingMask);
      const lost = Math.min(0.4 * (effort[pick] as number), 4) + 2;
      waitFor[pick] = (waitFor[pick] as number) | (1 << missing);
      blocked.push({ task: pick, component: c, prereq: missing });
      blockedHours += lost;
      busyHours += lost;
      free[pair] = t + lost;
      continue;
    }
    // Real soft prerequisites still in progress: integration rework (less when declared).
    let duration = effort[pick] as number;
    const overlapping = notDone(softIn[c] as number, t);
    if (overlapping) {
      for (let s = 0; s < n; s++) {
        if (!(overlapping & (1 << s))) continue;
        const declared = ((declaredAny[c] as number) & (1 << s)) !== 0;
        const hours = (declared ? 0.05 : 0.25) * (effort[pick] as number);
        duration += hours;
        softCollisions.push({ task: pick, component: c, prereq: s, hours, declared });
      }
    }
    started[pick] = true;
    left--;
    const end = t + duration;
    runs.push({ component: c, position: pick, effort: duration, start: t, end });
    busyHours += duration;
    free[pair] = end;
    remaining[c] = (remaining[c] as number) - 1;
    if (remaining[c] === 0) {
      let last = 0;
      for (const r of runs) if (r.component === c && r.end > last) last = r.end;
      doneAt[c] = last;
    }
  }
  let makespan = 0;
  for (const r of runs) if (r.end > makespan) makespan = r.end;
  return {
    runs,
    makespan,
    blocked,
    blockedHours,
    softCollisions,
    externalDiscoveries,
    idleHours,
    busyHours,
    spikeEnd,
    deadlocksBroken,
  };
}

/** Hours of `run` done by time `t`. */
export function doneBy(run: TaskRun, t: number): number {
  if (t <= run.start) return 0;
  if (t >= run.end) return run.effort;
  return t - run.start;
}

export function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
export function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
