/**
 * Persona strategies for E-4.2 onboarding_support (public view only).
 *
 * Senior (B-20, B-07, B-22): builds the picture of the newcomer most critical unknowns first —
 * assesses the areas the plausible starter tasks touch and the team's work leans on, in order of
 * weight, names each gap as a reading shows it; estimates the self-report's inflation from the
 * readings and corrects the unassessed areas; picks the small, clear task with a known area plus
 * exactly one gap that a teammate can cover; asks the expert on that gap (lightest load first,
 * after assessing it, so the request carries the level and the need); gives context only on the
 * topics the profile says they lack; sizes the sprint to the estimated ramp-up; assigns.
 * Mid: assesses the two heaviest areas, trusts the self-report elsewhere, pairs the primary expert
 * on the task's weakest area whatever their load, gives the usual context (always the domain),
 * sizes the sprint from uncorrected estimates. Junior: takes the self-report at face value or
 * throws the newcomer in at the deep end (the biggest task), dumps every context topic, gives only
 * the house conventions, or none,
 * asks the dev lead for pairing on no particular gap, rarely adjusts the sprint.
 */

import type { Action } from '../../core/episode.js';
import type { Personas } from '../../core/episode-type.js';
import { clamp } from '../../core/numbers.js';
import type { StructuredObservation } from '../../core/observation.js';
import type { Rng } from '../../core/rng.js';
import { GAP_BELOW } from './scenario.js';
import { AREAS, type Area, type OnboardingSupportView, type PublicTask, TOPICS, type Topic } from './types.js';

type Observation = StructuredObservation<OnboardingSupportView>;

/** Estimated skill at which the personas count an area as known. */
const KNOWN_FROM = 0.58;

const LOAD_ORDER = { light: 0, normal: 1, heavy: 2 } as const;

function readings(view: OnboardingSupportView): Map<Area, number> {
  const out = new Map<Area, number>();
  for (const a of view.assessments) out.set(a.area, a.reading);
  return out;
}

/** Skill estimates: readings where assessed, else the self-report corrected by the inflation seen so far. */
function estimates(view: OnboardingSupportView, correct: boolean): Record<Area, number> {
  const read = readings(view);
  let inflation = correct ? 0.12 : 0;
  if (correct && read.size > 0) {
    let sum = 0;
    for (const [a, r] of read) sum += view.newcomer.selfReport[a] - r;
    inflation = sum / read.size;
  }
  const out = {} as Record<Area, number>;
  for (const a of AREAS) out[a] = read.get(a) ?? view.newcomer.selfReport[a] - inflation;
  return out;
}

function quarter(x: number): string {
  const q = clamp(Math.round(x * 4) / 4, 0.25, 1);
  return q === 1 ? '1.0' : String(q);
}

function capacityEstimate(view: OnboardingSupportView, est: Record<Area, number>): string {
  let s = 0;
  for (const a of AREAS) s += view.team.workMix[a] * est[a];
  return quarter(1.6 * s - 0.35);
}

/** Teammates who could still pair on an area, best first (primary before secondary, lightest load first). */
function partners(view: OnboardingSupportView, area: Area, heavyToo: boolean): number[] {
  const declined = new Set(view.pairings.filter((p) => !p.accepted).map((p) => p.member));
  return view.team.members
    .filter((m) => !declined.has(m.index) && (m.primary === area || m.secondary === area) && (heavyToo || m.load !== 'heavy'))
    .sort((x, y) => (x.primary === area ? 0 : 1) - (y.primary === area ? 0 : 1) || LOAD_ORDER[x.load] - LOAD_ORDER[y.load])
    .map((m) => m.index);
}

/** Whether `partners(view, area, heavyToo)` is non-empty (without building and sorting the list). */
function hasPartner(view: OnboardingSupportView, area: Area, heavyToo: boolean): boolean {
  for (const m of view.team.members) {
    if ((m.primary !== area && m.secondary !== area) || (!heavyToo && m.load === 'heavy')) continue;
    let declined = false;
    for (const p of view.pairings)
      if (!p.accepted && p.member === m.index) {
        declined = true;
        break;
      }
    if (!declined) return true;
  }
  return false;
}

function covered(view: OnboardingSupportView, area: Area): boolean {
  return view.pairings.some((p) => {
    if (!p.accepted || p.area !== area) return false;
    const m = view.team.members[p.member];
    return m !== undefined && (m.primary === area || m.secondary === area);
  });
}

/** The senior's estimate of a task's fit (mirrors what experience says makes a starter task work). */
function estimatedFit(view: OnboardingSupportView, t: PublicTask, est: Record<Area, number>, capacity: number): number {
  const size = t.points <= 2 ? 1 : t.points === 3 ? (capacity >= 0.75 ? 1 : 0.5) : 0.1;
  const known = t.areas.some((a) => est[a] >= KNOWN_FROM) ? 1 : 0;
  const gaps = t.areas.filter((a) => est[a] < GAP_BELOW);
  const gap = gaps.length === 1 ? 1 : gaps.length === 0 ? 0.4 : 0;
  let partner = 0.5;
  if (gaps.length > 0)
    partner = gaps.every((a) => covered(view, a))
      ? 1
      : gaps.every((a) => hasPartner(view, a, false))
        ? 0.8
        : gaps.every((a) => hasPartner(view, a, true))
          ? 0.3
          : 0;
  return 0.3 * size + 0.2 * known + 0.2 * gap + 0.2 * partner + 0.1 * (t.clear ? 1 : 0);
}

function bestTask(view: OnboardingSupportView, est: Record<Area, number>): PublicTask {
  const capacity = Number(capacityEstimate(view, est));
  let best = view.tasks[0] as PublicTask;
  let bestFit = -1;
  for (const t of view.tasks) {
    const f = estimatedFit(view, t, est, capacity);
    if (f > bestFit) {
      best = t;
      bestFit = f;
    }
  }
  return best;
}

/**
 * The next area worth assessing, most critical first: the team's work share, plus 0.3 per plausible
 * (<= 3 point) task touching it, plus 0.1 for a middling self-report (it may hide a gap); areas
 * below 0.3 are not worth the hour. Undefined when every worthwhile area is assessed.
 */
function nextAssessment(view: OnboardingSupportView, read: Map<Area, number>): Area | undefined {
  let best: Area | undefined;
  let bestPriority = 0.3;
  for (const a of AREAS) {
    if (read.has(a)) continue;
    let p = view.team.workMix[a];
    for (const t of view.tasks) if (t.points <= 3 && t.areas.includes(a)) p += 0.3;
    const self = view.newcomer.selfReport[a];
    if (self >= 0.4 && self <= 0.7) p += 0.1;
    if (p >= bestPriority) {
      if (p === bestPriority && best !== undefined) continue;
      best = a;
      bestPriority = p;
    }
  }
  return best;
}

function senior(observation: Observation): Action {
  const view = observation.state;
  const read = readings(view);
  const named = new Set(view.gapsNamed);
  // Name a gap as soon as a reading shows it.
  for (const [a, r] of read) if (r < GAP_BELOW && !named.has(a)) return { type: 'identify_gaps', args: { area: a }, confidence: 0.85 };
  const next = nextAssessment(view, read);
  if (next) return { type: 'assess_skills', args: { area: next }, confidence: 0.8 };
  const est = estimates(view, true);
  // Unassessed areas the corrected self-report puts well below the bar are gaps too.
  for (const a of AREAS)
    if (!read.has(a) && !named.has(a) && est[a] < GAP_BELOW - 0.1) return { type: 'identify_gaps', args: { area: a }, confidence: 0.6 };
  const task = bestTask(view, est);
  // Pair on the task's gap with the expert who can take it.
  for (const a of task.areas) {
    if (est[a] >= GAP_BELOW || covered(view, a)) continue;
    if (!read.has(a)) return { type: 'assess_skills', args: { area: a }, confidence: 0.8 };
    const who = partners(view, a, false)[0] ?? partners(view, a, true)[0];
    if (who !== undefined) return { type: 'suggest_pairing', args: { member: who, area: a } };
  }
  // Context on what the profile says they lack.
  const given = new Set(view.contextGiven);
  const wanted: Topic[] = ['architecture'];
  if (!view.newcomer.sameDomain) wanted.push('domain');
  if (!view.newcomer.knowsStack) wanted.push('tooling');
  wanted.push('conventions');
  if (est.infra < 0.5 || (task.areas.includes('infra') && est.infra < 0.6)) wanted.push('deployment');
  for (const topic of wanted.slice(0, 4)) if (!given.has(topic)) return { type: 'provide_context', args: { topic } };
  const expectation = capacityEstimate(view, est);
  if (!view.sprint.adjusted || String(view.sprint.newcomerCapacity) !== (expectation === '1.0' ? '1' : expectation))
    return { type: 'adjust_sprint', args: { expectation }, confidence: 0.7 };
  return { type: 'assign_starter_task', args: { task: task.index }, confidence: 0.75 };
}

function mid(observation: Observation, rng: Rng): Action {
  const view = observation.state;
  const read = readings(view);
  const named = new Set(view.gapsNamed);
  for (const [a, r] of read) if (r < GAP_BELOW && !named.has(a)) return { type: 'identify_gaps', args: { area: a }, confidence: 0.8 };
  const heaviest = AREAS.slice()
    .sort((x, y) => view.team.workMix[y] - view.team.workMix[x])
    .slice(0, 2);
  const next = heaviest.find((a) => !read.has(a));
  if (next) return { type: 'assess_skills', args: { area: next }, confidence: 0.8 };
  const est = estimates(view, false);
  const task = bestTask(view, est);
  if (view.pairings.length === 0) {
    const weakest = task.areas.slice().sort((x, y) => est[x] - est[y])[0] as Area;
    const expert = view.team.members.find((m) => m.primary === weakest) ?? view.team.members[0];
    if (expert && rng.chance(0.8)) return { type: 'suggest_pairing', args: { member: expert.index, area: weakest } };
  }
  const given = new Set(view.contextGiven);
  const usual: Topic[] = ['architecture', 'conventions', 'domain'];
  if (!view.newcomer.knowsStack) usual.push('tooling');
  for (const topic of usual) if (!given.has(topic)) return { type: 'provide_context', args: { topic } };
  if (!view.sprint.adjusted) return { type: 'adjust_sprint', args: { expectation: capacityEstimate(view, est) }, confidence: 0.8 };
  return { type: 'assign_starter_task', args: { task: task.index }, confidence: 0.85 };
}

function junior(observation: Observation, rng: Rng): Action {
  const view = observation.state;
  const self = view.newcomer.selfReport;
  const fresh =
    view.assessments.length + view.gapsNamed.length + view.pairings.length + view.contextGiven.length === 0 && !view.sprint.adjusted;
  if (fresh) {
    const roll = rng.next();
    // Everything about the codebase on day one, or a quick look at one area.
    if (roll < 0.4) return { type: 'provide_context', args: { topic: TOPICS[0] as Topic } };
    if (roll < 0.6) return { type: 'assess_skills', args: { area: rng.pick(AREAS) }, confidence: 0.9 };
    // Or just the house rules.
    if (roll < 0.8) return { type: 'provide_context', args: { topic: 'conventions' } };
  }
  const dumping = view.contextGiven[0] === TOPICS[0];
  if (dumping && view.contextGiven.length < TOPICS.length)
    return { type: 'provide_context', args: { topic: TOPICS[view.contextGiven.length] as Topic } };
  // The task: the one the self-report looks best at, or the biggest (a real feature to get going).
  const byReport = view.tasks
    .slice()
    .sort(
      (x, y) => y.areas.reduce((s, a) => s + self[a], 0) / y.areas.length - x.areas.reduce((s, a) => s + self[a], 0) / x.areas.length,
    )[0];
  const biggest = view.tasks.slice().sort((x, y) => y.points - x.points)[0];
  const task = (rng.chance(0.5) ? biggest : byReport) ?? view.tasks[0];
  if (view.gapsNamed.length === 0 && rng.chance(0.35)) {
    const lowest = AREAS.slice().sort((x, y) => self[x] - self[y])[0] as Area;
    return { type: 'identify_gaps', args: { area: lowest }, confidence: 0.9 };
  }
  if (view.pairings.length === 0 && rng.chance(0.25))
    return { type: 'suggest_pairing', args: { member: 0, area: task?.areas[0] ?? 'backend' } };
  if (!view.sprint.adjusted && rng.chance(0.2))
    return { type: 'adjust_sprint', args: { expectation: rng.chance(0.5) ? '1.0' : '0.75' }, confidence: 0.9 };
  return { type: 'assign_starter_task', args: { task: task?.index ?? 0 }, confidence: 0.95 };
}

/**
 * Performative: every motion of a senior without the substance — assesses every area and then
 * ignores the readings, names the lowest self-reports as gaps with confidence, lines up a pairing
 * with every teammate on their own specialty, runs a session on every topic, plans the newcomer at
 * half capacity whatever they showed, and hands over the smallest task.
 */
function performative(observation: Observation): Action {
  const view = observation.state;
  const assign: Action = {
    type: 'assign_starter_task',
    args: { task: view.tasks.slice().sort((x, y) => x.points - y.points)[0]?.index ?? 0 },
    confidence: 0.95,
  };
  if (observation.turn >= observation.maxTurns - 1) return assign;
  const read = readings(view);
  const next = AREAS.find((a) => !read.has(a));
  if (next) return { type: 'assess_skills', args: { area: next }, confidence: 0.9 };
  const self = view.newcomer.selfReport;
  const lowest = AREAS.slice()
    .sort((x, y) => self[x] - self[y])
    .slice(0, 2);
  for (const a of lowest) if (!view.gapsNamed.includes(a)) return { type: 'identify_gaps', args: { area: a }, confidence: 0.9 };
  for (const m of view.team.members)
    if (!view.pairings.some((p) => p.member === m.index)) return { type: 'suggest_pairing', args: { member: m.index, area: m.primary } };
  for (const topic of TOPICS) if (!view.contextGiven.includes(topic)) return { type: 'provide_context', args: { topic } };
  if (!view.sprint.adjusted) return { type: 'adjust_sprint', args: { expectation: '0.5' }, confidence: 0.9 };
  return assign;
}

export const onboardingSupportPersonas: Personas<OnboardingSupportView> = { senior, mid, junior, performative };
