/**
 * The outcome of an onboarding_support episode: the newcomer's simulated ramp-up once the starter
 * task is assigned (or the turn limit comes). Its named parts, in order:
 *
 * - `contextLearning`: what each context session left (a lacking topic learned fully for the first
 *   four sessions, 40% after), the days wasted on topics known or repeated, and the days the
 *   missing context costs on the task;
 * - `helpOnTask`: on each of the task's areas, effective skill (true skill plus the pairing boost,
 *   only below 0.55 and up to 0.7), the help requests the newcomer raises and how many a partner
 *   resolves in one exchange, and the gap areas left unsupported;
 * - `rampDays`: days to learn the true gaps on the team's real work (8 x work share x what is not
 *   learned on the task or with a partner);
 * - `capacityPlan`: the newcomer's actual capacity against what the sprint plan counts on;
 * - `review`: review bounces of the first contribution (conventions missed, an unsupported gap area,
 *   an open-ended task);
 * - `gapIdentification`: the Jaccard of the gaps named and the true gaps;
 * - the links of each assessment, gap named, pairing, context session, sprint adjustment and the
 *   assignment (`assessmentLinks`, `planLinks`).
 *
 * `onboardingSupportOutcome` combines them into the facts, the six outcome components and the links.
 */
import type { DecisionLink, EpisodeResult } from '../../core/episode.js';
import { clamp01, round3 } from '../../core/numbers.js';
import type { OutcomeComponents } from '../../spec/reward.js';
import { GAP_BELOW, KNOWN_FROM, type Member, type Scenario, type StarterTask } from './scenario.js';
import { AREAS, type Area, type Expectation, type OnboardingSupportFacts, TOPICS, type Topic } from './types.js';

/** Effective partner skill (expertise x brief) at which the newcomer's requests resolve in one exchange. */
const RESOLVES_FROM = 0.6;
/** Context sessions retained fully; later ones retain `OVERLOAD_RETENTION`. */
export const CONTEXT_SESSIONS = 4;
export const OVERLOAD_RETENTION = 0.4;
/** Pairings the newcomer can absorb before context switching costs a day each. */
export const PAIRINGS = 2;
/** Sprint length in working days. */
export const SPRINT_DAYS = 10;
/** Team hours that cost the whole velocity component. */
const HOURS_SCALE = 80;
/** Team hours per action, and per help request left unresolved. */
export const HOURS = { assess: 1, identify: 0.25, pairing: 6, declined: 0.5, context: 1, sprint: 1, unresolved: 1 } as const;
/** Days a missing topic delays the starter task (deployment: `DEPLOY_DAYS` when the task touches infra). */
const TOPIC_DAYS: Record<Topic, number> = { architecture: 1, conventions: 0.5, domain: 1, tooling: 1, deployment: 0.25 };
const DEPLOY_DAYS = 0.75;
/** A partner's worth on an area by their expertise in it. */
const EXPERTISE = { primary: 0.9, secondary: 0.7, other: 0.45 } as const;
export const EXPECTATION_VALUE: Record<Expectation, number> = { '0.25': 0.25, '0.5': 0.5, '0.75': 0.75, '1.0': 1 };

export interface Pairing {
  step: number;
  member: number;
  area: Area;
  accepted: boolean;
  /** The area had been assessed before the request (the request carried the newcomer's level). */
  briefed: boolean;
}

export interface Assessment {
  step: number;
  area: Area;
  reading: number;
  repeat: boolean;
}

export interface ContextSession {
  step: number;
  topic: Topic;
  /** 0 (known or repeated), 1, or OVERLOAD_RETENTION. */
  retention: number;
  needed: boolean;
  repeat: boolean;
}

/** Everything the outcome (and the rendering) depends on: the scenario and what the candidate did. */
export interface Onboarding {
  readonly scenario: Scenario;
  readonly assessments: readonly Assessment[];
  readonly named: readonly { step: number; area: Area; confidence?: number }[];
  readonly namedSet: ReadonlySet<Area>;
  readonly pairings: readonly Pairing[];
  readonly contexts: readonly ContextSession[];
  readonly adjustments: readonly { step: number; expectation: Expectation }[];
  /** The task assigned; -1 before. */
  readonly assigned: number;
  readonly assignStep: number;
  /** Team hours spent on onboarding. */
  readonly hours: number;
}

/** The expectation the sprint plan counts on: the last adjustment, or null when never adjusted. */
export function expectationOf(o: Onboarding): Expectation | null {
  const last = o.adjustments[o.adjustments.length - 1];
  return last ? last.expectation : null;
}

/** Best effective partner skill on an area from the accepted pairings (0 when none). */
export function partnerSkill(o: Onboarding, area: Area): number {
  let best = 0;
  for (const p of o.pairings) {
    if (!p.accepted || p.area !== area) continue;
    const m = o.scenario.members[p.member] as Member;
    const expertise = m.primary === area ? EXPERTISE.primary : m.secondary === area ? EXPERTISE.secondary : EXPERTISE.other;
    best = Math.max(best, expertise * (p.briefed ? 1 : 0.7));
  }
  return best;
}

interface Fit {
  /** 0.3 size + 0.2 a known area + 0.2 exactly one gap + 0.2 its gap covered + 0.1 clear done state. */
  fit: number;
  size: number;
  known: number;
  gap: number;
  partner: number;
}

/** Task fit in [0, 1] with the pairing actually set up (`potential`: the best partner the team could give). */
export function fitOf(o: Onboarding, t: StarterTask, potential: boolean): Fit {
  const s = o.scenario;
  const size = t.points <= 2 ? 1 : t.points === 3 ? (s.capacity >= 0.75 ? 1 : 0.5) : 0.1;
  const known = t.areas.some((a) => s.trueSkill[a] >= KNOWN_FROM) ? 1 : 0;
  const gapAreas = t.areas.filter((a) => s.gaps.has(a));
  const gap = gapAreas.length === 1 ? 1 : gapAreas.length === 0 ? 0.4 : 0;
  let partner: number;
  if (gapAreas.length === 0) partner = 0.5;
  else if (potential) partner = gapAreas.every((a) => s.members.some((m) => m.available && (m.primary === a || m.secondary === a))) ? 1 : 0;
  else partner = gapAreas.every((a) => partnerSkill(o, a) >= RESOLVES_FROM) ? 1 : 0;
  return { fit: 0.3 * size + 0.2 * known + 0.2 * gap + 0.2 * partner + 0.1 * (t.clear ? 1 : 0), size, known, gap, partner };
}

interface ContextLearning {
  /** Per topic: the best retention of a session on it. */
  retained: Record<Topic, number>;
  wastedDays: number;
  /** Days the lacking topics still cost on the task. */
  contextDays: number;
  missingTopics: number;
}

/** What the context sessions left, and what the missing context costs on the task. */
export function contextLearning(o: Onboarding, task: StarterTask | undefined): ContextLearning {
  const retained: Record<Topic, number> = { architecture: 0, conventions: 0, domain: 0, tooling: 0, deployment: 0 };
  let wastedDays = 0;
  for (const c of o.contexts) {
    if (c.retention > retained[c.topic]) retained[c.topic] = c.retention;
    if (c.repeat || !c.needed) wastedDays += 0.5;
    else wastedDays += 0.1; // the session itself
  }
  const touchesInfra = task?.areas.includes('infra') ?? false;
  let contextDays = 0;
  let missingTopics = 0;
  for (const topic of TOPICS) {
    if (!o.scenario.needs[topic]) continue;
    const days = topic === 'deployment' && touchesInfra ? DEPLOY_DAYS : TOPIC_DAYS[topic];
    contextDays += days * (1 - retained[topic]);
    if (retained[topic] < 1) missingTopics++;
  }
  return { retained, wastedDays, contextDays, missingTopics };
}

interface HelpOnTask {
  requests: number;
  resolved: number;
  /** Mean effective skill over the task's areas, each floored at 0.25. */
  speed: number;
  /** Gap areas of the task without a partner who resolves requests in one exchange. */
  unsupportedGaps: Area[];
}

/** Effective skill and the newcomer's help requests on the task's areas (none without a task). */
export function helpOnTask(o: Onboarding, task: StarterTask | undefined, missingTopics: number): HelpOnTask {
  const s = o.scenario;
  let requests = 0;
  let resolved = 0;
  let speed = 0;
  const unsupportedGaps: Area[] = [];
  if (task) {
    for (const a of task.areas) {
      const partner = partnerSkill(o, a);
      // Pairing lifts a weak area (up to KNOWN_FROM + 0.15); where they are already decent it adds nothing.
      const skill = s.trueSkill[a];
      const effective = skill < KNOWN_FROM ? Math.min(KNOWN_FROM + 0.15, skill + 0.4 * partner) : skill;
      speed += Math.max(0.25, effective);
      const n = s.gaps.has(a) ? 3 : s.trueSkill[a] < 0.6 ? 1 : 0;
      requests += n;
      if (partner >= RESOLVES_FROM) resolved += n;
      if (s.gaps.has(a) && partner < RESOLVES_FROM) unsupportedGaps.push(a);
    }
    speed /= task.areas.length;
    requests += missingTopics;
  }
  return { requests, resolved, speed, unsupportedGaps };
}

/** Ramp-up on the team's real work: gaps learned on the starter task or with a partner. */
export function rampDays(o: Onboarding, task: StarterTask | undefined): number {
  let days = 0;
  for (const a of o.scenario.gaps) {
    const touched = task?.areas.includes(a) ?? false;
    const partner = partnerSkill(o, a) >= RESOLVES_FROM;
    const learned = touched ? (partner ? 0.8 : 0.4) : partner ? 0.3 : 0;
    days += 8 * o.scenario.mix[a] * (1 - learned);
  }
  return days;
}

interface CapacityPlan {
  /** True capacity, a quarter less when time to productivity exceeds the sprint. */
  actual: number;
  expectation: Expectation | null;
  /** The capacity the plan counts on (1 when never adjusted). */
  expected: number;
  shortfall: number;
  under: number;
}

/** The newcomer's actual capacity against the sprint plan. */
export function capacityPlan(o: Onboarding, ttp: number): CapacityPlan {
  const actual = Math.max(0, o.scenario.capacity - (ttp > SPRINT_DAYS ? 0.25 : 0));
  const expectation = expectationOf(o);
  const expected = expectation === null ? 1 : EXPECTATION_VALUE[expectation];
  const shortfall = Math.max(0, expected - actual);
  const under = Math.max(0, actual - expected);
  return { actual, expectation, expected, shortfall, under };
}

/** Review bounces of the first contribution. */
export function review(
  o: Onboarding,
  task: StarterTask | undefined,
  retained: Record<Topic, number>,
  unsupportedGaps: readonly Area[],
): { rework: number; conventionsMissed: boolean } {
  const s = o.scenario;
  let rework = 0;
  let conventionsMissed = false;
  if (task) {
    if (s.needs.conventions && retained.conventions < 1 && s.fate.conventions < 1 - retained.conventions) {
      conventionsMissed = true;
      rework++;
    }
    for (const a of unsupportedGaps) if ((s.fate.gapRework[AREAS.indexOf(a)] as number) < 0.6) rework++;
    if (!task.clear && s.fate.open < 0.5) rework++;
  }
  return { rework, conventionsMissed };
}

/** Gap identification accuracy: the Jaccard of the gaps named and the true gaps. */
export function gapIdentification(o: Onboarding): { hit: number; accuracy: number } {
  const gaps = o.scenario.gaps;
  let hit = 0;
  for (const a of o.namedSet) if (gaps.has(a)) hit++;
  const union = o.namedSet.size + gaps.size - hit;
  return { hit, accuracy: union > 0 ? hit / union : 1 };
}

/** Links of the picture-building decisions: each assessment and each gap named. */
export function assessmentLinks(o: Onboarding, links: DecisionLink[]): void {
  const s = o.scenario;
  for (const a of o.assessments) {
    const gap = s.gaps.has(a.area);
    // A reading that shows a gap the candidate then neither names nor pairs on was not used.
    const used = o.namedSet.has(a.area) || o.pairings.some((p) => p.area === a.area);
    const effect = a.repeat
      ? 'redundant_assessment'
      : a.reading < GAP_BELOW && !used
        ? 'assessment_ignored'
        : gap
          ? 'revealed_gap'
          : s.selfReport[a.area] - a.reading >= 0.15
            ? 'revealed_inflation'
            : 'assessment_confirmed';
    const value =
      effect === 'redundant_assessment' || effect === 'assessment_ignored'
        ? -0.02
        : effect === 'revealed_gap'
          ? 0.05
          : effect === 'revealed_inflation'
            ? 0.02
            : 0.01;
    links.push({
      step: a.step,
      effect,
      target: a.area,
      value,
      note: `${a.area} read ${a.reading.toFixed(2)}, self-reported ${s.selfReport[a.area].toFixed(1)}`,
    });
  }
  const seenNamed = new Set<Area>();
  for (const n of o.named) {
    const effect = seenNamed.has(n.area) ? 'duplicate_gap' : s.gaps.has(n.area) ? 'gap_identified' : 'wrong_gap';
    seenNamed.add(n.area);
    links.push({
      step: n.step,
      effect,
      target: n.area,
      value: effect === 'gap_identified' ? 0.05 : effect === 'wrong_gap' ? -0.05 : -0.01,
      note: `named ${n.area} a gap; true skill ${s.gaps.has(n.area) ? 'below' : 'at or above'} ${GAP_BELOW}`,
    });
  }
}

/** Links of the support and the plan: each pairing and context session, the sprint plan, the task assigned. */
export function planLinks(
  o: Onboarding,
  task: StarterTask | undefined,
  plan: CapacityPlan,
  fit: Fit,
  starterDays: number,
  ttp: number,
  links: DecisionLink[],
): void {
  const s = o.scenario;
  let acceptedSoFar = 0;
  for (const p of o.pairings) {
    const m = s.members[p.member] as Member;
    let effect: string;
    let value: number;
    if (!p.accepted) {
      effect = 'pairing_declined';
      value = -0.01;
    } else {
      acceptedSoFar++;
      if (acceptedSoFar > PAIRINGS) {
        effect = 'pairing_overload';
        value = -0.05;
      } else if (!s.gaps.has(p.area)) {
        effect = 'pairing_unneeded';
        value = -0.05;
      } else if (task?.areas.includes(p.area) && partnerSkill(o, p.area) >= RESOLVES_FROM) {
        effect = 'pairing_on_gap';
        value = 0.1;
      } else {
        effect = 'pairing_weak';
        value = 0.01;
      }
    }
    links.push({
      step: p.step,
      effect,
      target: `m${p.member}:${p.area}`,
      value,
      note: `${m.name} (${m.primary}/${m.secondary}, ${m.load}) ${p.accepted ? 'paired' : 'declined'} on ${p.area}${p.briefed ? ', briefed' : ', unbriefed'}`,
    });
  }
  for (const c of o.contexts) {
    const effect = c.repeat ? 'context_repeated' : !c.needed ? 'context_known' : c.retention < 1 ? 'context_overload' : 'context_needed';
    const value = effect === 'context_needed' ? 0.03 : effect === 'context_overload' ? 0 : -0.03;
    links.push({
      step: c.step,
      effect,
      target: c.topic,
      value,
      note: `${c.topic}: ${c.needed ? 'needed' : 'already known'}, retained ${c.retention}`,
    });
  }
  const { actual, expected, shortfall, under } = plan;
  const lastAdjust = o.adjustments[o.adjustments.length - 1];
  if (lastAdjust) {
    const effect = shortfall > 0 ? 'expectation_over' : under > 0 ? 'expectation_under' : 'expectation_matched';
    links.push({
      step: lastAdjust.step,
      effect,
      target: lastAdjust.expectation,
      value: effect === 'expectation_matched' ? 0.1 : -round3(1.2 * shortfall + 0.5 * under),
      note: `planned ${expected}, actual capacity ${actual}`,
    });
  } else {
    links.push({
      step: -1,
      effect: 'sprint_not_adjusted',
      value: -round3(1.2 * shortfall),
      note: `planned at full capacity, actual ${actual}`,
    });
  }
  if (task) {
    const gapCount = task.areas.filter((a) => s.gaps.has(a)).length;
    const effect =
      fit.size < 1
        ? 'task_too_big'
        : fit.known === 0 || gapCount >= 2
          ? 'task_all_gaps'
          : gapCount === 0
            ? 'task_no_learning'
            : !task.clear
              ? 'task_open_ended'
              : 'task_fit';
    links.push({
      step: o.assignStep,
      effect,
      target: `t${o.assigned}`,
      value: round3(fit.fit - 0.5),
      note: `${task.points} pt on ${task.areas.join('+')}: fit ${round3(fit.fit)}, starter ${round3(starterDays)} days, productive after ${round3(ttp)}`,
    });
  } else {
    links.push({ step: -1, effect: 'no_starter_task', value: -0.3, note: 'no starter task assigned: the newcomer floated' });
  }
}

/** The task that fits best given the pairings the team could set up (the first of equals). */
export function bestTask(o: Onboarding): number {
  let best = 0;
  let bestFit = -1;
  o.scenario.tasks.forEach((t, i) => {
    const f = fitOf(o, t, true).fit;
    if (f > bestFit) {
      best = i;
      bestFit = f;
    }
  });
  return best;
}

/** The episode's outcome: facts, the six components and the decision links. */
export function onboardingSupportOutcome(o: Onboarding): EpisodeResult<OnboardingSupportFacts> {
  const s = o.scenario;
  const links: DecisionLink[] = [];
  const task = o.assigned >= 0 ? (s.tasks[o.assigned] as StarterTask) : undefined;
  let hours = o.hours;

  const context = contextLearning(o, task);
  const acceptedPairings = o.pairings.filter((p) => p.accepted).length;
  const help = helpOnTask(o, task, context.missingTopics);
  const unresolved = help.requests - help.resolved;
  hours += HOURS.unresolved * unresolved;
  const overload = Math.max(0, acceptedPairings - PAIRINGS);
  const starterDays = task
    ? task.points / help.speed + 0.5 * unresolved + context.contextDays + context.wastedDays + (task.clear ? 0 : 1.5) + overload
    : Number.POSITIVE_INFINITY;
  const ramp = rampDays(o, task);
  const ttp = task ? starterDays + ramp : 14;
  const plan = capacityPlan(o, ttp);

  const fit = task ? fitOf(o, task, false) : { fit: 0, size: 0, known: 0, gap: 0, partner: 0 };
  const pAccept = task ? clamp01((12 - starterDays) / 6) : 0;
  const accepted = task !== undefined && s.fate.accept < pAccept;
  const { rework, conventionsMissed } = review(o, task, context.retained, help.unsupportedGaps);
  const gaps = gapIdentification(o);

  const velocity = clamp01(1 - 1.2 * plan.shortfall - 0.5 * plan.under - hours / HOURS_SCALE);
  const components: OutcomeComponents = {
    story_accepted: accepted ? 1 : 0,
    tests_passing: clamp01(fit.fit),
    low_iteration_count: clamp01(1 - (ttp - 3) / 10),
    velocity_maintained: velocity,
    low_rework: task ? clamp01(1 - 0.35 * rework) : 0,
    coverage_threshold: gaps.accuracy,
  };
  assessmentLinks(o, links);
  planLinks(o, task, plan, fit, starterDays, ttp, links);

  const actions = o.assessments.length + o.named.length + o.pairings.length + o.contexts.length + o.adjustments.length + (task ? 1 : 0);
  return {
    facts: {
      domain: s.domain,
      hiredAs: s.hiredAs,
      inflation: s.inflation,
      trueGaps: [...s.gaps].join(','),
      gapsNamed: [...o.namedSet].join(','),
      gapAccuracy: round3(gaps.accuracy),
      gapsHit: gaps.hit,
      assessments: o.assessments.length,
      redundantAssessments: o.assessments.filter((a) => a.repeat).length,
      assignedTask: o.assigned,
      bestTask: bestTask(o),
      assignedKind: task?.kind ?? 'none',
      taskFit: round3(fit.fit),
      taskPoints: task?.points ?? 0,
      taskSizeFit: fit.size,
      taskClear: task?.clear ?? false,
      taskGapAreas: task ? task.areas.filter((a) => s.gaps.has(a)).length : 0,
      pairingsAccepted: acceptedPairings,
      pairingsDeclined: o.pairings.length - acceptedPairings,
      pairingsOnGap: o.pairings.filter((p) => p.accepted && s.gaps.has(p.area)).length,
      pairingsBriefed: o.pairings.filter((p) => p.briefed).length,
      contextSessions: o.contexts.length,
      contextNeeded: o.contexts.filter((c) => c.needed && !c.repeat).length,
      contextWasted: o.contexts.filter((c) => c.repeat || !c.needed).length,
      topicsNeeded: TOPICS.filter((t) => s.needs[t]).length,
      missingTopics: context.missingTopics,
      helpRequests: help.requests,
      helpResolvedOneExchange: help.resolved,
      oneExchangeRate: help.requests > 0 ? round3(help.resolved / help.requests) : -1,
      starterDays: task ? round3(starterDays) : -1,
      rampDays: round3(ramp),
      timeToProductivity: round3(ttp),
      starterDelivered: accepted,
      trueCapacity: s.capacity,
      actualCapacity: plan.actual,
      plannedCapacity: plan.expected,
      sprintAdjusted: plan.expectation !== null,
      capacityShortfall: round3(plan.shortfall),
      capacityUnder: round3(plan.under),
      sprintAdjustments: o.adjustments.length,
      conventionsMissed,
      reworkCount: rework,
      teamHours: round3(hours),
      velocityEffect: round3(velocity - 1),
      actionsUsed: actions,
    },
    components,
    links,
  };
}
