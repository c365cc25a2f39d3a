/**
 * E-4.2 Onboarding support: a new member joins the team; the candidate is the senior helping them.
 *
 * Visible: the team's domain, language and codebase, the team's work mix (the share of the
 * sprint's work in each of five skill areas: backend, frontend, data, testing, infra), the
 * newcomer's profile (hired as junior / mid / senior, whether they come from the same domain and
 * know the stack, a self-reported skill per area in tenths), four teammates (each with a primary
 * and a secondary area of expertise and a load on the sprint board: light, normal, heavy), four
 * candidate starter tasks (points, the areas they touch, a clear or open-ended done state) and the
 * sprint plan, which counts the newcomer at full capacity until the candidate adjusts it.
 *
 * Hidden truth: the newcomer's true skill per area (the self-report is inflated by a hidden trait:
 * honest +0.03, mild +0.12, inflated +0.22, scaled by 1.6 - 1.2 x skill so gaps are overstated
 * most, plus noise), their gaps (areas with true skill below
 * 0.45; at least one, and at least one area at 0.6 or more), which context topics they lack
 * (architecture and conventions almost always, domain unless they come from the same domain,
 * tooling unless they know the stack, deployment when infra is weak), whether each teammate is
 * available to pair this sprint (light load 90%, normal 60%, heavy 15%), the newcomer's true
 * ramp-up capacity for the sprint (the team-mix-weighted true skill, to the nearest quarter) and
 * which starter tasks fit. The four tasks are built from the truth: one fits (1-2 points, a strong
 * area plus one gap area, clear done state, a gap with an available expert when there is one), one
 * looks right from the self-report but sits in the newcomer's worst gaps, one is too big (5
 * points), one has no gap to learn from (sometimes open-ended). Pre-drawn fates: each
 * assessment's reading noise, each teammate's availability, review fates for rework and the
 * acceptance draw, so two action sequences on one seed meet the same world.
 *
 * Actions: `assess_skills {area}` reveals a reading (true skill +- 0.04) the first time, nothing
 * new after (1 team hour); `identify_gaps {area}` records a gap (0.25 h); `suggest_pairing
 * {member, area}` asks a teammate to pair with the newcomer on an area: an available one accepts
 * (6 h), a busy one declines (0.5 h; asking again is refused); the request carries the newcomer's
 * level when the area was assessed first (a briefed partner is worth more); `provide_context
 * {topic}` runs a context session (1 h; a topic they lack is learned, fully for the first four
 * sessions, 40% after: overload; a topic they know or one already covered wastes half a day of
 * theirs); `adjust_sprint {expectation}` sets the newcomer's capacity in the sprint plan (1 h);
 * `assign_starter_task {task}` hands over the starter task and ends the episode.
 *
 * Outcome (simulated ramp-up, see `outcome.ts`). Effective skill per area = true skill + pairing boost (0.4 x partner
 * skill x brief factor: primary expert 0.9, secondary 0.7, other 0.45; briefed 1, unbriefed 0.7),
 * only in areas below 0.55 and up to 0.7.
 * The newcomer raises help requests while on the task (3 per gap area touched, 1 per area under 0.6,
 * 1 per missing context topic); an area request is resolved in one exchange when a pairing partner
 * covers the area with effective skill >= 0.6; each unresolved request costs half a day of theirs
 * and an hour of the team's. Starter days = points / speed (mean effective skill over the task's
 * areas, floored at 0.25) + stuck days + missing-context days (architecture 1, conventions 0.5,
 * domain 1, tooling 1, deployment 0.75 when the task touches infra else 0.25, scaled by what was not
 * retained) + wasted context days + 1.5 for an open-ended task + 1 per pairing beyond two. Ramp days
 * = sum over true gaps of 8 x team weight x (1 - learned), learned 0.8 when the task touched the
 * gap with an effective partner, 0.4 touched alone, 0.3 paired but not touched, else 0. Time to
 * productivity = starter days + ramp days (14 when no task was assigned). Actual capacity = true
 * capacity, a quarter less when time to productivity exceeds 10 days.
 * Components: story_accepted (starter task merged this sprint: the acceptance draw under
 * (12 - starter days) / 6), tests_passing (task fit: 0.3 size + 0.2 a known area + 0.2 exactly one
 * gap + 0.2 its gap covered by an effective partner + 0.1 clear done state), low_iteration_count
 * (time to productivity: 1 - (days - 3) / 10), velocity_maintained (1 - 1.2 x capacity shortfall
 * - 0.5 x capacity left unplanned - team hours / 80), low_rework (1 - 0.35 per review bounce:
 * conventions missed, an unsupported gap area 60%, an open-ended task 50%), coverage_threshold
 * (gap identification accuracy: Jaccard of the gaps named and the true gaps).
 */

import type { Action, ActionResult, Episode, EpisodeResult, EpisodeWorld, ScenarioOptions, Secret } from '../../core/episode.js';
import { clamp, round2, round3 } from '../../core/numbers.js';
import type { Rng } from '../../core/rng.js';
import { DOMAINS, EPISODE_SPECS } from '../../spec/episodes.js';
import { withConfidence } from '../common.js';
import {
  type Assessment,
  CONTEXT_SESSIONS,
  type ContextSession,
  EXPECTATION_VALUE,
  expectationOf,
  fitOf,
  HOURS,
  type Onboarding,
  OVERLOAD_RETENTION,
  onboardingSupportOutcome,
  type Pairing,
  SPRINT_DAYS,
} from './outcome.js';
import { describeOnboarding, onboardingTokens } from './render.js';
import { generateScenario, MEMBERS, type Member, type Scenario, type StarterTask, TASKS } from './scenario.js';
import {
  AREAS,
  type Area,
  EXPECTATIONS,
  type Expectation,
  HIRED_AS,
  LOADS,
  type OnboardingSupportFacts,
  type OnboardingSupportHidden,
  type OnboardingSupportView,
  TASK_POINTS,
  TOPICS,
  type Topic,
} from './types.js';

class OnboardingSupportEpisode implements Episode<OnboardingSupportView, OnboardingSupportFacts, OnboardingSupportHidden>, Onboarding {
  readonly scenario: Scenario;
  readonly assessments: Assessment[] = [];
  private readonly assessed = new Set<Area>();
  readonly named: { step: number; area: Area; confidence?: number }[] = [];
  readonly namedSet = new Set<Area>();
  readonly pairings: Pairing[] = [];
  readonly contexts: ContextSession[] = [];
  private readonly covered = new Set<Topic>();
  readonly adjustments: { step: number; expectation: Expectation }[] = [];
  /** Parts of the view, shared between observations (see view()). */
  private readonly viewCache: {
    /** The team, the newcomer and the tasks. */
    fixed?: Pick<OnboardingSupportView, 'team' | 'newcomer' | 'tasks'>;
    assessments: OnboardingSupportView['assessments'];
    gapsNamed: Area[];
    pairings: OnboardingSupportView['pairings'];
    contextGiven: Topic[];
  } = { assessments: [], gapsNamed: [], pairings: [], contextGiven: [] };
  assigned = -1;
  assignStep = -1;
  hours = 0;

  constructor(rng: Rng, options: ScenarioOptions) {
    this.scenario = generateScenario(rng, options);
  }

  view(): OnboardingSupportView {
    const s = this.scenario;
    const expectation = expectationOf(this);
    // The team, the newcomer and the tasks never change, and the logs are append-only with fixed
    // entries: their views are built once (or once per new entry) and shared, never mutated.
    const c = this.viewCache;
    if (c.fixed === undefined) {
      const team = {
        domain: s.domain,
        workMix: s.mix,
        members: s.members.map((m, index) => ({
          index,
          name: m.name,
          role: m.role,
          primary: m.primary,
          secondary: m.secondary,
          load: m.load,
        })),
      };
      const newcomer = {
        name: s.newcomer,
        hiredAs: s.hiredAs,
        sameDomain: s.sameDomain,
        knowsStack: s.knowsStack,
        selfReport: s.selfReport,
      };
      const tasks = s.tasks.map((t, index) => ({ index, title: t.title, points: t.points, areas: t.areas, clear: t.clear }));
      c.fixed = { team, newcomer, tasks };
    }
    if (c.assessments.length !== this.assessments.length)
      c.assessments = this.assessments.map((a) => ({ area: a.area, reading: a.reading }));
    if (c.gapsNamed.length !== this.named.length) c.gapsNamed = this.named.map((n) => n.area);
    if (c.pairings.length !== this.pairings.length)
      c.pairings = this.pairings.map((p) => ({ member: p.member, area: p.area, accepted: p.accepted }));
    if (c.contextGiven.length !== this.contexts.length) c.contextGiven = this.contexts.map((x) => x.topic);
    return {
      team: c.fixed.team,
      newcomer: c.fixed.newcomer,
      tasks: c.fixed.tasks,
      sprint: {
        days: SPRINT_DAYS,
        committedPoints: s.committedPoints,
        newcomerCapacity: expectation === null ? 1 : EXPECTATION_VALUE[expectation],
        adjusted: expectation !== null,
      },
      assessments: c.assessments,
      gapsNamed: c.gapsNamed,
      pairings: c.pairings,
      contextGiven: c.contextGiven,
      assignedTask: this.assigned >= 0 ? this.assigned : null,
      teamHours: this.hours,
    };
  }

  tokens(): string[] {
    return onboardingTokens(this);
  }

  describe(): string {
    return describeOnboarding(this);
  }

  legalActions(): Action[] {
    const out: Action[] = [];
    for (const area of AREAS) out.push({ type: 'assess_skills', args: { area } });
    for (const area of AREAS) out.push({ type: 'identify_gaps', args: { area } });
    for (let member = 0; member < MEMBERS; member++) {
      if (this.declined(member)) continue;
      for (const area of AREAS) if (!this.paired(member, area)) out.push({ type: 'suggest_pairing', args: { member, area } });
    }
    for (const topic of TOPICS) out.push({ type: 'provide_context', args: { topic } });
    for (const expectation of EXPECTATIONS) out.push({ type: 'adjust_sprint', args: { expectation } });
    for (let task = 0; task < TASKS; task++) out.push({ type: 'assign_starter_task', args: { task } });
    return out;
  }

  private declined(member: number): boolean {
    return this.pairings.some((p) => p.member === member && !p.accepted);
  }

  private paired(member: number, area: Area): boolean {
    return this.pairings.some((p) => p.member === member && p.area === area && p.accepted);
  }

  act(action: Action, step: number): ActionResult {
    const s = this.scenario;
    const args = action.args ?? {};
    switch (action.type) {
      case 'assess_skills': {
        const area = args.area as Area;
        const repeat = this.assessed.has(area);
        const reading = round2(clamp(s.trueSkill[area] + s.noise[area], 0.1, 0.95));
        this.hours += HOURS.assess;
        this.assessments.push({ step, area, reading, repeat });
        this.assessed.add(area);
        if (repeat) return { ok: true, response: `Nothing new: you already worked through ${area} with ${s.newcomer}.`, terminal: false };
        return {
          ok: true,
          response: `A short exercise and a code walk-through on ${area}: ${s.newcomer} reads at ${reading.toFixed(2)} (self-reported ${s.selfReport[area].toFixed(1)}).`,
          terminal: false,
        };
      }
      case 'identify_gaps': {
        const area = args.area as Area;
        this.hours += HOURS.identify;
        this.named.push(withConfidence({ step, area }, action.confidence));
        const again = this.namedSet.has(area);
        this.namedSet.add(area);
        return {
          ok: true,
          response: again
            ? `${area} is already on ${s.newcomer}'s learning plan.`
            : `You add ${area} to ${s.newcomer}'s learning plan as a gap.`,
          terminal: false,
        };
      }
      case 'suggest_pairing': {
        const member = args.member as number;
        const area = args.area as Area;
        const m = s.members[member] as Member;
        if (this.declined(member)) return { ok: false, error: `${m.name} already declined to pair this sprint; ask someone else` };
        if (this.paired(member, area)) return { ok: false, error: `${m.name} already pairs with ${s.newcomer} on ${area}` };
        const pairing: Pairing = { step, member, area, accepted: m.available, briefed: this.assessed.has(area) };
        this.pairings.push(pairing);
        if (!m.available) {
          this.hours += HOURS.declined;
          return { ok: true, response: `${m.name} declines: fully booked on sprint work and cannot pair this sprint.`, terminal: false };
        }
        this.hours += HOURS.pairing;
        const brief = pairing.briefed ? ` You pass on ${s.newcomer}'s assessed level in ${area}.` : '';
        return {
          ok: true,
          response: `${m.name} agrees to pair with ${s.newcomer} on ${area} a few hours a day.${brief}`,
          terminal: false,
        };
      }
      case 'provide_context': {
        const topic = args.topic as Topic;
        const repeat = this.covered.has(topic);
        const needed = s.needs[topic];
        const sessions = this.contexts.length + 1;
        const retention = repeat || !needed ? 0 : sessions > CONTEXT_SESSIONS ? OVERLOAD_RETENTION : 1;
        this.contexts.push({ step, topic, retention, needed, repeat });
        this.covered.add(topic);
        this.hours += HOURS.context;
        return {
          ok: true,
          response: repeat
            ? `You go over ${topic} again; ${s.newcomer} has heard it already.`
            : `You walk ${s.newcomer} through the team's ${topic} for an hour.`,
          terminal: false,
        };
      }
      case 'adjust_sprint': {
        const expectation = args.expectation as Expectation;
        this.hours += HOURS.sprint;
        this.adjustments.push({ step, expectation });
        return {
          ok: true,
          response: `The sprint plan now counts ${s.newcomer} at ${expectation} of a full member's capacity.`,
          terminal: false,
        };
      }
      case 'assign_starter_task': {
        const task = args.task as number;
        this.assigned = task;
        this.assignStep = step;
        const t = s.tasks[task] as StarterTask;
        return { ok: true, response: `${s.newcomer} starts on "${t.title}".`, terminal: true };
      }
      default:
        return { ok: false, error: `unknown action ${action.type}` };
    }
  }

  finish(): EpisodeResult<OnboardingSupportFacts> {
    return onboardingSupportOutcome(this);
  }

  hidden(): OnboardingSupportHidden {
    const s = this.scenario;
    return {
      trueSkill: s.trueSkill,
      gaps: AREAS.filter((a) => s.gaps.has(a)),
      inflation: s.inflation,
      contextNeeds: TOPICS.filter((t) => s.needs[t]),
      trueCapacity: s.capacity,
      tasks: s.tasks.map((t) => ({
        kind: t.kind,
        points: t.points,
        areas: t.areas,
        clear: t.clear,
        fit: round3(fitOf(this, t, true).fit),
      })),
      members: s.members.map((m) => ({ primary: m.primary, secondary: m.secondary, load: m.load, available: m.available })),
      selfReport: s.selfReport,
      workMix: s.mix,
    };
  }

  secrets(): Secret[] {
    const s = this.scenario;
    const out: Secret[] = [];
    for (const a of AREAS)
      out.push({
        id: `true_skill_${a}`,
        text: `${s.newcomer}'s true ${a} skill is ${s.trueSkill[a].toFixed(3)}`,
        revealed: this.assessed.has(a),
      });
    out.push({
      id: 'gaps',
      text: `${s.newcomer}'s real gaps are ${AREAS.filter((a) => s.gaps.has(a)).join(' and ')}`,
      revealed: false,
    });
    out.push({ id: 'inflation', text: `${s.newcomer}'s self-report is ${s.inflation}`, revealed: false });
    out.push({
      id: 'context_needs',
      text: `${s.newcomer} lacks context on ${TOPICS.filter((t) => s.needs[t]).join(', ')}`,
      revealed: false,
    });
    s.members.forEach((m, i) => {
      if (!m.available) out.push({ id: `busy_${i}`, text: `${m.name} declines: fully booked`, revealed: this.declined(i) });
    });
    out.push({ id: 'capacity', text: `true ramp-up capacity ${s.capacity} this sprint`, revealed: false });
    const fitting = s.tasks.findIndex((t) => t.kind === 'fit');
    out.push({ id: 'fitting_task', text: `The starter task that fits is task ${fitting}`, revealed: false });
    return out;
  }
}

const AREA_ARG = { kind: 'enum', values: AREAS, description: 'a skill area of the codebase' } as const;

export const onboardingSupportWorld: EpisodeWorld<OnboardingSupportView, OnboardingSupportFacts, OnboardingSupportHidden> = {
  name: 'onboarding_support',
  spec: EPISODE_SPECS.onboarding_support,
  summary:
    'A new member joins the team: assess their real skills (the self-report is inflated), name their gaps, set up pairing with an available expert and context on what they lack, size the sprint to their ramp-up, and assign a starter task that fits.',
  actions: {
    assess_skills: {
      description: 'Work through one area with the newcomer (a short exercise, a code walk-through): a reading of their real skill there.',
      args: { area: AREA_ARG },
      asserts: true,
    },
    identify_gaps: {
      description: "Name an area as one of the newcomer's gaps, to put on their learning plan.",
      args: { area: { ...AREA_ARG, description: 'the area you judge a gap' } },
      asserts: true,
    },
    suggest_pairing: {
      description: 'Ask a teammate to pair with the newcomer on an area this sprint (they may be too busy to accept).',
      args: {
        member: { kind: 'int', min: 0, max: MEMBERS - 1, description: 'index of the teammate' },
        area: { ...AREA_ARG, description: 'the area to pair on' },
      },
    },
    provide_context: {
      description: 'Run a context session with the newcomer on one topic.',
      args: { topic: { kind: 'enum', values: TOPICS, description: 'the topic of the session' } },
    },
    assign_starter_task: {
      description: 'Hand the newcomer their starter task (ends the episode).',
      args: { task: { kind: 'int', min: 0, max: TASKS - 1, description: 'index of the starter task' } },
      asserts: true,
    },
    adjust_sprint: {
      description: "Set the newcomer's capacity in the sprint plan, as a share of a full member.",
      args: { expectation: { kind: 'enum', values: EXPECTATIONS, description: 'the newcomer capacity the sprint plan counts on' } },
      asserts: true,
    },
  },
  maxTurns: 24,
  levers: [
    {
      name: 'assess_before_assigning',
      direction: 'up',
      description:
        'Choosing the starter task from assessed readings instead of the (inflated) self-report finds the task that fits: a strong area plus one gap, small, clear.',
    },
    {
      name: 'pair_on_gap',
      direction: 'up',
      description:
        "Pairing the newcomer with an available expert on the starter task's gap area, briefed with the assessed level, resolves their help requests in one exchange and speeds ramp-up.",
    },
    {
      name: 'targeted_context',
      direction: 'up',
      description: 'Context sessions on the topics the newcomer lacks remove the days those topics would cost them.',
    },
    {
      name: 'context_dump',
      direction: 'down',
      description:
        'Context on every topic wastes half a day per topic they already know, and sessions past four are only 40% retained (overload).',
    },
    {
      name: 'sprint_not_adjusted',
      direction: 'down',
      description:
        'Leaving the sprint plan counting the newcomer at full capacity (or above their true ramp-up) misses the sprint commitment; matching the true ramp-up protects it.',
    },
    {
      name: 'oversized_or_all_gap_task',
      direction: 'down',
      description:
        'A starter task that is too big or sits entirely in gap areas is slow, raises many unanswered help requests and often misses the sprint.',
    },
    {
      name: 'gap_identification',
      direction: 'up',
      description: 'Naming exactly the true gaps (after assessing) raises gap identification accuracy; naming strong areas lowers it.',
    },
  ],
  vocabulary: [
    'task:onboarding_support',
    ...DOMAINS.map((d) => `domain:${d}`),
    ...HIRED_AS.map((h) => `hired:${h}`),
    'same_domain',
    'new_domain',
    'knows_stack',
    'new_stack',
    ...AREAS.flatMap((a) => [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].flatMap((b) => [`self:${a}:b${b}`, `mix:${a}:b${b}`, `assessed:${a}:b${b}`])),
    ...[0, 1, 2, 3].flatMap((i) => [
      ...AREAS.flatMap((a) => [`m${i}:${a}`, `m${i}:also:${a}`, `pair:m${i}:${a}`]),
      ...LOADS.map((l) => `m${i}:load:${l}`),
      `declined:m${i}`,
    ]),
    ...[0, 1, 2, 3].flatMap((i) => [
      ...TASK_POINTS.map((p) => `t${i}:p${p}`),
      ...AREAS.map((a) => `t${i}:${a}`),
      `t${i}:clear`,
      `t${i}:open`,
      `assigned:t${i}`,
    ]),
    ...AREAS.map((a) => `gap:${a}`),
    ...TOPICS.map((t) => `context:${t}`),
    ...EXPECTATIONS.map((e) => `expect:${e}`),
  ],
  create: (rng, options) => new OnboardingSupportEpisode(rng, options),
};
