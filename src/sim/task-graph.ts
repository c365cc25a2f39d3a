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

import { round1, round2 } from '../core/numbers.js';
import type { Rng } from '../core/rng.js';

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
  /** Position in `TEMPLATES`. */
  id: number;
}

const TEMPLATES: readonly ComponentTemplate[] = (
  [
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
  ] as Omit<ComponentTemplate, 'id'>[]
).map((t, id) => ({ ...t, id }));

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
  const chosen: ComponentTemplate[] = [shape.pick(FOUNDATION), shape.pick(CORE)];
  for (const t of shape.shuffle(TEMPLATES)) {
    if (chosen.length >= n) break;
    if (!chosen.includes(t)) chosen.push(t);
  }
  if (chosen.length > n) chosen.length = n;
  const templates = shape.shuffle(chosen);
  const system = shape.int(SYSTEMS.length);
  const totalEffort = points * shape.uniform(4.5, 6);
  const weights = new Array<number>(n);
  let weightSum = 0;
  for (let i = 0; i < n; i++) {
    const w = (templates[i] as ComponentTemplate).weight * shape.uniform(0.6, 1.5);
    weights[i] = w;
    weightSum += w;
  }

  const truth = rng.fork('truth');
  const components: Component[] = new Array<Component>(n);
  /** Per component: which title it has (template and system), for the memoized texts. */
  const titleIds = new Array<number>(n);
  let anyRisky = false;
  for (let index = 0; index < n; index++) {
    const t = templates[index] as ComponentTemplate;
    const effort = round1(Math.max(1, (totalEffort * (weights[index] as number)) / weightSum));
    const risky = truth.chance(t.risky);
    const external = truth.chance(t.external) ? truth.intBetween(1, 3) : 0;
    const extIndex = truth.int(EXTERNAL.length);
    const ext = EXTERNAL[extIndex] as (typeof EXTERNAL)[number];
    const estimate = Math.max(0.5, Math.round(effort * Math.exp(truth.normal(0, 0.18)) * 2) / 2);
    const risk = round2(risky ? truth.uniform(0.35, 0.7) : truth.uniform(0.03, 0.12));
    const riskDraw = truth.next();
    const riskReason = RISK_REASON_TEXT[index * RISK_REASONS.length + truth.int(RISK_REASONS.length)] as string;
    const titleId = t.id * SYSTEMS.length + system;
    titleIds[index] = titleId;
    if (risk >= RISKY) anyRisky = true;
    components[index] = {
      index,
      title: TITLES[titleId] as string,
      layer: t.layer,
      effort,
      estimate,
      risk,
      riskDraw,
      riskReason,
      externalDays: external,
      externalReason: external > 0 ? (EXTERNAL_REASON_TEXT[(index * 3 + external - 1) * EXTERNAL.length + extIndex] as string) : '',
      externalTeam: external > 0 ? ext : undefined,
      cues: [],
      description: '',
    };
  }
  // At least one risky component.
  if (!anyRisky) {
    const c = components[truth.int(n)] as Component;
    c.risk = round2(truth.uniform(0.35, 0.7));
  }

  const deps: TrueDep[] = [];
  const prereqs = [0, 0, 0, 0, 0, 0, 0, 0];
  /** Bitmask per component of the components it shares a real dependency with (either way). */
  const related = new Array<number>(n).fill(0);
  for (const to of truth.shuffle(IOTA[n] as readonly number[])) {
    const layer = (components[to] as Component).layer;
    for (let a = 0; a < n; a++) {
      if ((components[a] as Component).layer >= layer || (prereqs[to] as number) >= 2) continue;
      const roll = truth.next();
      if (roll < 0.22) deps.push({ from: a, to, kind: 'hard' });
      else if (roll < 0.34) deps.push({ from: a, to, kind: 'soft' });
      else continue;
      prereqs[to] = (prereqs[to] as number) + 1;
      related[to] = (related[to] as number) | (1 << a);
      related[a] = (related[a] as number) | (1 << to);
    }
  }

  // Cues, from their own stream so the truth above does not depend on them.
  const cueRng = rng.fork('cues');
  for (const d of deps) {
    const shown = cueRng.chance(d.kind === 'hard' ? 0.85 : 0.8);
    const needs = cueRng.chance(d.kind === 'hard' ? 0.8 : 0.25);
    const phrase = cueRng.int(3);
    if (shown)
      (components[d.to] as Component).cues.push({
        kind: needs ? 'needs' : 'reuses',
        ref: d.from,
        text: cueText(needs, phrase, d.from, titleIds[d.from] as number),
      });
  }
  let spurious = 0;
  for (let b = 0; b < n && spurious < 2; b++) {
    const rel = related[b] as number;
    for (let a = 0; a < n; a++) {
      if (a === b || rel & (1 << a) || spurious >= 2) continue;
      if (!cueRng.chance(0.05)) continue;
      spurious++;
      const needs = cueRng.chance(0.3);
      const phrase = cueRng.int(3);
      (components[b] as Component).cues.push({
        kind: needs ? 'needs' : 'reuses',
        ref: a,
        text: cueText(needs, phrase, a, titleIds[a] as number),
      });
    }
  }
  for (let i = 0; i < n; i++) {
    const c = components[i] as Component;
    const cues = c.cues;
    if (cueRng.chance(c.risk >= RISKY ? 0.8 : 0.1)) cues.push({ kind: 'uncertain', text: cueRng.pick(UNCERTAIN_PHRASES) });
    const ext = c.externalTeam ?? cueRng.pick(EXTERNAL);
    if (cueRng.chance(c.externalDays > 0 ? 0.85 : 0.06)) cues.push({ kind: 'external', text: ext.cue });
    // Stable insertion sort by reference (no reference first), as `Array.prototype.sort` would.
    for (let j = 1; j < cues.length; j++) {
      const cue = cues[j] as Cue;
      const key = cue.ref ?? -1;
      let k = j - 1;
      while (k >= 0 && ((cues[k] as Cue).ref ?? -1) > key) {
        cues[k + 1] = cues[k] as Cue;
        k--;
      }
      cues[k + 1] = cue;
    }
    let text = implementText(titleIds[i] as number, c.estimate);
    if (cues.length > 0) {
      text += ' Notes: ';
      text += (cues[0] as Cue).text;
      for (let j = 1; j < cues.length; j++) text += `; ${(cues[j] as Cue).text}`;
      text += '.';
    }
    c.description = text;
  }

  const apRng = rng.fork('approaches');
  const k = apRng.chance(0.6) ? 3 : 2;
  const picks = apRng.sample(APPROACH_INDICES, k);
  const approaches: Approach[] = new Array<Approach>(k);
  let anySurvives = false;
  for (let index = 0; index < k; index++) {
    const template = APPROACHES[picks[index] as number] as (typeof APPROACHES)[number];
    const survives = apRng.chance(0.5);
    if (survives) anySurvives = true;
    approaches[index] = {
      index,
      title: template.title,
      summary: template.summary,
      survives,
      verdict: template.fails,
      evidence: 'mixed',
    };
  }
  if (!anySurvives) (approaches[apRng.int(k)] as Approach).survives = true;
  for (let index = 0; index < k; index++) {
    const a = approaches[index] as Approach;
    const p = picks[index] as number;
    a.verdict = (a.survives ? VERDICT_SURVIVES : VERDICT_FAILS)[index * APPROACHES.length + p] as string;
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

// Precomputed and memoized texts: the same few strings recur across episodes.
const FOUNDATION = TEMPLATES.filter((t) => t.layer === 0);
const CORE = TEMPLATES.filter((t) => t.layer === 1);
/** [0, 1, .., k-1] for every k up to the most components. */
const IOTA: readonly (readonly number[])[] = Array.from({ length: 9 }, (_, k) => Array.from({ length: k }, (_, i) => i));
const APPROACH_INDICES: readonly number[] = APPROACHES.map((_, i) => i);
/** Title per template and system: `TITLES[template * SYSTEMS.length + system]`. */
const TITLES: readonly string[] = TEMPLATES.flatMap((t) => SYSTEMS.map((s) => t.title.replaceAll('{system}', s)));
/** `C<index> <reason>` per component index and reason. */
const RISK_REASON_TEXT: readonly string[] = Array.from({ length: 8 }, (_, index) => RISK_REASONS.map((r) => `C${index} ${r}`)).flat();
/** External reason per component index, days (1..3) and team. */
const EXTERNAL_REASON_TEXT: readonly string[] = Array.from({ length: 8 * 3 }, (_, i) =>
  EXTERNAL.map((e) => `C${Math.floor(i / 3)} waits ${(i % 3) + 1} working day(s): ${e.reason}`),
).flat();
const VERDICT_SURVIVES: readonly string[] = Array.from({ length: 3 }, (_, index) =>
  APPROACHES.map((t) => `approach ${index} (${t.title}) survives execution without a major pivot`),
).flat();
const VERDICT_FAILS: readonly string[] = Array.from({ length: 3 }, (_, index) =>
  APPROACHES.map((t) => `approach ${index} (${t.title}) fails in execution: ${t.fails}`),
).flat();

const cueTexts: (string | undefined)[] = [];
/** Text of a `needs` / `reuses` cue: phrase `phrase` of its list, naming component `ref` by its title. */
function cueText(needs: boolean, phrase: number, ref: number, titleId: number): string {
  const key = (((needs ? 3 : 0) + phrase) * 8 + ref) * TITLES.length + titleId;
  let text = cueTexts[key];
  if (text === undefined) {
    const template = (needs ? NEEDS_PHRASES : REUSES_PHRASES)[phrase] as string;
    text = template.replace('{ref}', `C${ref} (${TITLES[titleId] as string})`);
    cueTexts[key] = text;
  }
  return text;
}

const implementTexts = new Map<number, string>();
/** `Implement the <title> (estimate <estimate> h).` */
function implementText(titleId: number, estimate: number): string {
  const halves = estimate * 2;
  if (!Number.isInteger(halves) || halves >= 10_000) return `Implement the ${TITLES[titleId] as string} (estimate ${estimate} h).`;
  const key = titleId * 10_000 + halves;
  let text = implementTexts.get(key);
  if (text === undefined) {
    text = `Implement the ${TITLES[titleId] as string} (estimate ${estimate} h).`;
    implementTexts.set(key, text);
  }
  return text;
}

/** A plan as the simulator needs it. */
export interface Plan {
  /** Component of each task, in plan (creation) order. */
  tasks: readonly number[];
  /** Declared dependencies between components (`to` waits for `from` when hard). */
  declared: readonly TrueDep[];
  /** Components flagged as risky (spiked first, in this order; cross-team requests raised on day 0). Iterated once. */
  flagged: Iterable<number>;
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
  const pairs = plan.pairs;
  const tasks = plan.tasks;
  // Scratch state, reused across calls (the simulator is synchronous and not reentrant).
  if (n > scratch.n || m > scratch.m || pairs > scratch.pairs) scratch = newScratch(n, m, pairs);
  const { hardIn, softIn, declaredHard, declaredAny, remaining, doneAt, lastEnd, requested } = scratch;
  const { waitFor, readyAt, started, effort, free } = scratch;
  // Prerequisites as bitmasks over components (at most 31 components).
  for (let c = 0; c < n; c++) {
    hardIn[c] = 0;
    softIn[c] = 0;
    declaredHard[c] = 0;
    declaredAny[c] = 0;
    remaining[c] = 0;
    /** Time each component's last task ends (Infinity until all its tasks have started). */
    doneAt[c] = Number.POSITIVE_INFINITY;
    /** Latest end so far among each component's runs. */
    lastEnd[c] = 0;
    requested[c] = 0;
  }
  for (const d of graph.deps) {
    if (d.kind === 'hard') hardIn[d.to] = (hardIn[d.to] as number) | (1 << d.from);
    else softIn[d.to] = (softIn[d.to] as number) | (1 << d.from);
  }
  for (const d of plan.declared) {
    if (d.kind === 'hard') declaredHard[d.to] = (declaredHard[d.to] as number) | (1 << d.from);
    declaredAny[d.to] = (declaredAny[d.to] as number) | (1 << d.from);
  }
  let planned = 0;
  for (let i = 0; i < m; i++) {
    const c = tasks[i] as number;
    planned |= 1 << c;
    remaining[c] = (remaining[c] as number) + 1;
    /** Per task: components it waits for (declared hard or discovered), as a bitmask. */
    waitFor[i] = declaredHard[c] as number;
    readyAt[i] = 0;
    started[i] = 0;
    effort[i] = taskEffort[i] as number;
  }
  for (let q = 0; q < pairs; q++) free[q] = 0;
  const spikeEnd = new Map<number, number>();
  let idleHours = 0;
  let busyHours = 0;

  // Spikes first, one per flagged planned component, round-robin over pairs from t = 0.
  let p = 0;
  let flaggedMask = 0;
  for (const c of plan.flagged) {
    flaggedMask |= 1 << c;
    if (!(planned & (1 << c))) continue;
    const start = free[p] as number;
    free[p] = start + SPIKE_HOURS;
    busyHours += SPIKE_HOURS;
    spikeEnd.set(c, start + SPIKE_HOURS);
    p = (p + 1) % pairs;
  }
  if (flaggedMask !== 0) {
    for (let i = 0; i < m; i++) {
      const c = tasks[i] as number;
      if (flaggedMask & (1 << c)) {
        readyAt[i] = Math.max(spikeEnd.get(c) ?? 0, (graph.components[c] as Component).externalDays * HOURS_PER_DAY);
        requested[c] = 1;
      }
    }
  }

  const runs: TaskRun[] = [];
  const blocked: Simulation['blocked'] = [];
  let blockedHours = 0;
  const softCollisions: Simulation['softCollisions'] = [];
  const externalDiscoveries: number[] = [];
  let deadlocksBroken = 0;
  let left = m;

  for (let guard = 0; left > 0 && guard < 10_000; guard++) {
    // The pair that is free first.
    let pair = 0;
    let t = free[0] as number;
    for (let q = 1; q < pairs; q++) {
      const f = free[q] as number;
      if (f < t) {
        pair = q;
        t = f;
      }
    }
    /** Planned components not done by time t, as a bitmask. */
    let pending = planned;
    for (let c = 0; c < n; c++) if (!((doneAt[c] as number) > t)) pending &= ~(1 << c);
    let pick = -1;
    for (let i = 0; i < m; i++) {
      if (started[i] || (readyAt[i] as number) > t) continue;
      if (((waitFor[i] as number) & pending) === 0) {
        pick = i;
        break;
      }
    }
    if (pick < 0) {
      // Nothing ready: wait for the next event (a task ending, a wait expiring, a pair freeing).
      let next = Number.POSITIVE_INFINITY;
      for (let r = 0; r < runs.length; r++) {
        const end = (runs[r] as TaskRun).end;
        if (end > t && end < next) next = end;
      }
      for (let i = 0; i < m; i++) {
        const ready = readyAt[i] as number;
        if (!started[i] && ready > t && ready < next) next = ready;
      }
      for (let q = 0; q < pairs; q++) {
        const f = free[q] as number;
        if (f > t && f < next) next = f;
      }
      if (next === Number.POSITIVE_INFINITY) {
        // Deadlock (a false declared dependency against a real one): after half a day the team
        // drops the constraints that are not real (and, if that is not enough, all of them).
        deadlocksBroken++;
        for (let i = 0; i < m; i++) {
          if (started[i]) continue;
          waitFor[i] = deadlocksBroken > 3 ? 0 : (waitFor[i] as number) & (hardIn[tasks[i] as number] as number);
        }
        free[pair] = t + 3;
        idleHours += 3;
        continue;
      }
      idleHours += next - t;
      free[pair] = next;
      continue;
    }
    const c = tasks[pick] as number;
    const comp = graph.components[c] as Component;
    // An unflagged cross-team wait is discovered when the work starts: the request goes out now.
    if (comp.externalDays > 0 && !requested[c]) {
      requested[c] = 1;
      for (let i = 0; i < m; i++) if (tasks[i] === c) readyAt[i] = t + 1 + comp.externalDays * HOURS_PER_DAY;
      externalDiscoveries.push(pick);
      free[pair] = t + 1;
      busyHours += 1;
      continue;
    }
    // Real hard prerequisites never planned: the pair improvises the missing piece inside this task.
    const hard = hardIn[c] as number;
    const unplannedHard = hard & ~planned & ~(waitFor[pick] as number);
    if (unplannedHard) {
      for (let h = 0; h < n; h++)
        if (unplannedHard & (1 << h)) effort[pick] = (effort[pick] as number) + 0.5 * (graph.components[h] as Component).effort;
      waitFor[pick] = (waitFor[pick] as number) | unplannedHard;
    }
    // A real hard prerequisite not yet done (not declared hard): the pair starts, gets blocked.
    const missingMask = hard & ~(waitFor[pick] as number) & pending;
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
    const overlapping = (softIn[c] as number) & pending;
    if (overlapping) {
      for (let s = 0; s < n; s++) {
        if (!(overlapping & (1 << s))) continue;
        const declared = ((declaredAny[c] as number) & (1 << s)) !== 0;
        const hours = (declared ? 0.05 : 0.25) * (effort[pick] as number);
        duration += hours;
        softCollisions.push({ task: pick, component: c, prereq: s, hours, declared });
      }
    }
    started[pick] = 1;
    left--;
    const end = t + duration;
    runs.push({ component: c, position: pick, effort: duration, start: t, end });
    busyHours += duration;
    free[pair] = end;
    if (end > (lastEnd[c] as number)) lastEnd[c] = end;
    remaining[c] = (remaining[c] as number) - 1;
    if (remaining[c] === 0) doneAt[c] = lastEnd[c] as number;
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

interface Scratch {
  n: number;
  m: number;
  pairs: number;
  hardIn: Int32Array;
  softIn: Int32Array;
  declaredHard: Int32Array;
  declaredAny: Int32Array;
  remaining: Int32Array;
  doneAt: Float64Array;
  lastEnd: Float64Array;
  requested: Uint8Array;
  waitFor: Int32Array;
  readyAt: Float64Array;
  started: Uint8Array;
  effort: Float64Array;
  free: Float64Array;
}

function newScratch(n: number, m: number, pairs: number): Scratch {
  return {
    n,
    m,
    pairs,
    hardIn: new Int32Array(n),
    softIn: new Int32Array(n),
    declaredHard: new Int32Array(n),
    declaredAny: new Int32Array(n),
    remaining: new Int32Array(n),
    doneAt: new Float64Array(n),
    lastEnd: new Float64Array(n),
    requested: new Uint8Array(n),
    waitFor: new Int32Array(m),
    readyAt: new Float64Array(m),
    started: new Uint8Array(m),
    effort: new Float64Array(m),
    free: new Float64Array(pairs),
  };
}

let scratch: Scratch = newScratch(8, 32, 4);

/** Hours of `run` done by time `t`. */
export function doneBy(run: TaskRun, t: number): number {
  if (t <= run.start) return 0;
  if (t >= run.end) return run.effort;
  return t - run.start;
}
