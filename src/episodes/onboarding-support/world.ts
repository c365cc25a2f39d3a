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
 * Outcome (simulated ramp-up). Effective skill per area = true skill + pairing boost (0.4 x partner
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
import { clamp01, round3 } from '../../core/numbers.js';
import type { Rng } from '../../core/rng.js';
import type { Domain } from '../../spec/episodes.js';
import { DOMAINS } from '../../spec/episodes.js';
import type { OutcomeComponents } from '../../spec/reward.js';

export const AREAS = ['backend', 'frontend', 'data', 'testing', 'infra'] as const;
export type Area = (typeof AREAS)[number];

export const TOPICS = ['architecture', 'conventions', 'domain', 'tooling', 'deployment'] as const;
export type Topic = (typeof TOPICS)[number];

export const LOADS = ['light', 'normal', 'heavy'] as const;
export type Load = (typeof LOADS)[number];

export const EXPECTATIONS = ['0.25', '0.5', '0.75', '1.0'] as const;
export type Expectation = (typeof EXPECTATIONS)[number];

export const HIRED_AS = ['junior', 'mid', 'senior'] as const;
export type HiredAs = (typeof HIRED_AS)[number];

/** Teammates who can pair; candidate starter tasks. */
export const MEMBERS = 4;
export const TASKS = 4;
const TASK_POINTS = [1, 2, 3, 5] as const;

/** True skill below which an area is a gap; at or above which it is a known area. */
export const GAP_BELOW = 0.45;
export const KNOWN_FROM = 0.55;
/** Effective partner skill (expertise x brief) at which the newcomer's requests resolve in one exchange. */
const RESOLVES_FROM = 0.6;
/** Context sessions retained fully; later ones retain `OVERLOAD_RETENTION`. */
export const CONTEXT_SESSIONS = 4;
const OVERLOAD_RETENTION = 0.4;
/** Pairings the newcomer can absorb before context switching costs a day each. */
export const PAIRINGS = 2;
/** Sprint length in working days. */
const SPRINT_DAYS = 10;
/** Team hours that cost the whole velocity component. */
const HOURS_SCALE = 80;

const HOURS = { assess: 1, identify: 0.25, pairing: 6, declined: 0.5, context: 1, sprint: 1, unresolved: 1 } as const;

/** Days a missing topic delays the starter task (deployment: `DEPLOY_DAYS` when the task touches infra). */
const TOPIC_DAYS: Record<Topic, number> = { architecture: 1, conventions: 0.5, domain: 1, tooling: 1, deployment: 0.25 };
const DEPLOY_DAYS = 0.75;
const EXPERTISE = { primary: 0.9, secondary: 0.7, other: 0.45 } as const;
const AVAILABILITY: Record<Load, number> = { light: 0.9, normal: 0.6, heavy: 0.15 };
const INFLATION = { honest: 0.03, mild: 0.12, inflated: 0.22 } as const;
type Inflation = keyof typeof INFLATION;
const SKILL_MEAN: Record<HiredAs, number> = { junior: 0.45, mid: 0.55, senior: 0.65 };

/** Share of the team's work per area, by domain (rows sum to 1). */
const WORK_MIX: Record<Domain, Record<Area, number>> = {
  crud_api: { backend: 0.4, frontend: 0.1, data: 0.25, testing: 0.15, infra: 0.1 },
  data_pipeline: { backend: 0.2, frontend: 0.05, data: 0.4, testing: 0.15, infra: 0.2 },
  ml_service: { backend: 0.25, frontend: 0.05, data: 0.35, testing: 0.15, infra: 0.2 },
  frontend_spa: { backend: 0.15, frontend: 0.45, data: 0.1, testing: 0.2, infra: 0.1 },
  cli_tool: { backend: 0.4, frontend: 0.05, data: 0.15, testing: 0.25, infra: 0.15 },
  library: { backend: 0.45, frontend: 0.05, data: 0.15, testing: 0.3, infra: 0.05 },
  infrastructure: { backend: 0.2, frontend: 0.05, data: 0.1, testing: 0.15, infra: 0.5 },
};

const NAMES = ['Ada', 'Ben', 'Chen', 'Dara', 'Eli', 'Fay', 'Gus', 'Hana', 'Ivo', 'Jia', 'Kai', 'Lea'];
const NEWCOMER_NAMES = ['Sam', 'Rui', 'Tess', 'Yara', 'Nils', 'Ola'];
const ROLES = ['dev_lead', 'senior_dev', 'senior_dev', 'mid_dev'] as const;

/** Starter-task titles by the task's first area. */
const TITLES: Record<Area, readonly string[]> = {
  backend: [
    'Add pagination to the orders endpoint',
    'Return 404 instead of 500 for unknown ids',
    'Validate the request body of the signup handler',
  ],
  frontend: [
    'Show a spinner while the report loads',
    'Fix the date picker in the filter bar',
    'Make the settings form keyboard accessible',
  ],
  data: ['Add an index for the daily totals query', 'Backfill the missing region column', 'Deduplicate imported customer rows'],
  testing: [
    'Cover the retry path with an integration test',
    'Remove the flaky sleep in the export test',
    'Add fixtures for the empty-cart case',
  ],
  infra: ['Add a health check to the worker container', 'Pin the base image in the CI build', 'Alert when the queue backlog grows'],
};

export interface StarterTask {
  points: (typeof TASK_POINTS)[number];
  areas: Area[];
  clear: boolean;
  title: string;
  /** Which construction it came from (hidden): fit, looks_right, too_big, no_gap. */
  kind: 'fit' | 'looks_right' | 'too_big' | 'no_gap';
}

interface Member {
  name: string;
  role: (typeof ROLES)[number];
  primary: Area;
  secondary: Area;
  load: Load;
  /** Hidden: accepts a pairing request this sprint. */
  available: boolean;
}

interface Pairing {
  step: number;
  member: number;
  area: Area;
  accepted: boolean;
  /** The area had been assessed before the request (the request carried the newcomer's level). */
  briefed: boolean;
  /** The area had been named a gap before the request (the request stated the need). */
  needStated: boolean;
}

interface Assessment {
  step: number;
  area: Area;
  reading: number;
  repeat: boolean;
}

interface ContextSession {
  step: number;
  topic: Topic;
  /** 0 (known or repeated), 1, or OVERLOAD_RETENTION. */
  retention: number;
  needed: boolean;
  repeat: boolean;
}

const round2 = (x: number) => Math.round(x * 100) / 100;
const tenth = (x: number) => Math.round(x * 10) / 10;
const clampSkill = (x: number) => Math.min(0.95, Math.max(0.1, x));
const EXPECTATION_VALUE: Record<Expectation, number> = { '0.25': 0.25, '0.5': 0.5, '0.75': 0.75, '1.0': 1 };

function quarter(x: number): number {
  return Math.min(1, Math.max(0.25, Math.round(x * 4) / 4));
}

/** Ramp-up capacity this sprint from the team-mix-weighted skill, to the nearest quarter. */
export function capacityFor(weightedSkill: number): number {
  return quarter(1.6 * weightedSkill - 0.35);
}

/** Sorts areas by value, highest first, in place (a stable insertion sort: the order a stable sort gives). */
function descending(areas: Area[], value: Record<Area, number>): Area[] {
  for (let i = 1; i < areas.length; i++) {
    const a = areas[i] as Area;
    const v = value[a];
    let j = i - 1;
    while (j >= 0 && value[areas[j] as Area] < v) {
      areas[j + 1] = areas[j] as Area;
      j--;
    }
    areas[j + 1] = a;
  }
  return areas;
}

class OnboardingSupportEpisode implements Episode {
  private readonly domain: Domain;
  private readonly mix: Record<Area, number>;
  private readonly hiredAs: HiredAs;
  private readonly newcomer: string;
  private readonly sameDomain: boolean;
  private readonly knowsStack: boolean;
  private readonly inflation: Inflation;
  private readonly trueSkill: Record<Area, number>;
  private readonly selfReport: Record<Area, number>;
  private readonly noise: Record<Area, number>;
  private readonly gaps: Set<Area>;
  private readonly needs: Record<Topic, boolean>;
  private readonly members: Member[];
  private readonly tasks: StarterTask[];
  private readonly capacity: number;
  private readonly committedPoints: number;
  private readonly fate: { accept: number; conventions: number; open: number; gapRework: number[] };

  private readonly assessments: Assessment[] = [];
  private readonly assessed = new Set<Area>();
  private readonly named: { step: number; area: Area; confidence?: number }[] = [];
  private readonly namedSet = new Set<Area>();
  private readonly pairings: Pairing[] = [];
  private readonly contexts: ContextSession[] = [];
  private readonly covered = new Set<Topic>();
  private readonly adjustments: { step: number; expectation: Expectation }[] = [];
  /** Parts of the view, shared between observations (see view()). */
  private readonly viewCache: {
    team?: object;
    newcomer?: object;
    tasks?: object[];
    assessments: object[];
    gapsNamed: Area[];
    pairings: object[];
    contextGiven: Topic[];
  } = { assessments: [], gapsNamed: [], pairings: [], contextGiven: [] };
  private assigned = -1;
  private assignStep = -1;
  private hours = 0;

  constructor(rng: Rng, options: ScenarioOptions) {
    this.domain = options.domain ?? rng.pick(DOMAINS);
    this.mix = WORK_MIX[this.domain];
    const difficulty = options.difficulty;
    this.hiredAs =
      difficulty === 'easy'
        ? rng.pick(['mid', 'senior'] as const)
        : difficulty === 'hard'
          ? rng.pick(['junior', 'mid'] as const)
          : rng.pick(HIRED_AS);
    this.newcomer = rng.pick(NEWCOMER_NAMES);
    this.sameDomain = rng.chance(0.45);
    this.knowsStack = rng.chance(0.5);
    this.inflation = (['honest', 'mild', 'inflated'] as const)[
      rng.weightedIndex(difficulty === 'hard' ? [0.15, 0.35, 0.5] : [0.3, 0.4, 0.3])
    ] as Inflation;

    // True skills: around the hiring level, with at least one gap and one strong area.
    const mean = SKILL_MEAN[this.hiredAs];
    const skill = {} as Record<Area, number>;
    for (const a of AREAS) skill[a] = round2(clampSkill(mean + rng.normal(0, 0.17)));
    const order = rng.shuffle(AREAS);
    const gapArea = order[0] as Area;
    const strongArea = order[1] as Area;
    if (skill[gapArea] >= GAP_BELOW) skill[gapArea] = round2(rng.uniform(0.15, 0.4));
    if (skill[strongArea] < 0.6) skill[strongArea] = round2(rng.uniform(0.62, 0.85));
    this.trueSkill = skill;
    this.gaps = new Set(AREAS.filter((a) => skill[a] < GAP_BELOW));
    const report = {} as Record<Area, number>;
    // The weaker the area, the more it is overstated (x1.24 at 0.3, x0.64 at 0.8): gaps hide best.
    for (const a of AREAS)
      report[a] = tenth(Math.min(0.9, Math.max(0.1, skill[a] + INFLATION[this.inflation] * (1.6 - 1.2 * skill[a]) + rng.normal(0, 0.08))));
    this.selfReport = report;

    this.needs = {
      architecture: rng.chance(0.9),
      conventions: rng.chance(0.95),
      domain: rng.chance(this.sameDomain ? 0.15 : 0.9),
      tooling: rng.chance(this.knowsStack ? 0.2 : 0.9),
      deployment: rng.chance(skill.infra < KNOWN_FROM ? 0.85 : 0.2),
    };

    // Teammates: distinct primary areas, a secondary one, a visible load, hidden availability.
    const names = rng.shuffle(NAMES);
    const primaries = rng.shuffle(AREAS);
    this.members = ROLES.map((role, i) => {
      const primary = primaries[i] as Area;
      const others = AREAS.filter((a) => a !== primary);
      const load = LOADS[rng.weightedIndex(role === 'dev_lead' ? [0.15, 0.4, 0.45] : [0.35, 0.45, 0.2])] as Load;
      return { name: names[i] as string, role, primary, secondary: rng.pick(others), load, available: false };
    });
    const availability = rng.fork('availability');
    for (const m of this.members) m.available = availability.next() < AVAILABILITY[m.load];

    this.capacity = capacityFor(AREAS.reduce((s, a) => s + this.mix[a] * skill[a], 0));
    this.committedPoints = rng.intBetween(24, 40);
    this.tasks = rng.shuffle(this.buildTasks(rng.fork('tasks')));

    const noise = rng.fork('readings');
    const readings = {} as Record<Area, number>;
    for (const a of AREAS) readings[a] = noise.normal(0, 0.04);
    this.noise = readings;
    const fates = rng.fork('fates');
    this.fate = {
      accept: fates.next(),
      conventions: fates.next(),
      open: fates.next(),
      gapRework: AREAS.map(() => fates.next()),
    };
  }

  /** The four candidate starter tasks, built from the hidden truth (see the module comment). */
  private buildTasks(rng: Rng): StarterTask[] {
    const skill = this.trueSkill;
    const gaps = AREAS.filter((a) => this.gaps.has(a));
    const known = descending(
      AREAS.filter((a) => skill[a] >= KNOWN_FROM),
      skill,
    );
    const expertAvailable = (a: Area) => this.members.some((m) => m.available && (m.primary === a || m.secondary === a));
    // Fit: a strong area plus a gap that an available teammate can cover (when one can).
    const coverable = gaps.filter(expertAvailable);
    const fitGap = (coverable.length > 0 ? rng.pick(coverable) : rng.pick(gaps)) as Area;
    const fitKnown = rng.pick(known.slice(0, 2)) as Area;
    // Looks right: the gaps the self-report makes look best.
    const byReport = descending(gaps.slice(), this.selfReport);
    const lookArea = byReport[0] as Area;
    const lookAreas = byReport.length > 1 && rng.chance(0.6) ? [lookArea, byReport[1] as Area] : [lookArea];
    // Too big: known areas, five points.
    const bigAreas = [known[0] as Area, rng.pick(AREAS.filter((a) => a !== known[0]))];
    // No gap: known areas only.
    const noGapAreas = known.length > 1 && rng.chance(0.5) ? [known[0] as Area, known[1] as Area] : [rng.pick(known) as Area];
    const title = (a: Area) => rng.pick(TITLES[a]);
    return [
      {
        kind: 'fit',
        points: rng.chance(0.4) ? 1 : 2,
        areas: rng.chance(0.5) ? [fitKnown, fitGap] : [fitGap, fitKnown],
        clear: true,
        title: title(fitGap),
      },
      { kind: 'looks_right', points: rng.chance(0.5) ? 2 : 3, areas: lookAreas, clear: true, title: title(lookArea) },
      { kind: 'too_big', points: 5, areas: bigAreas, clear: rng.chance(0.7), title: title(bigAreas[0] as Area) },
      { kind: 'no_gap', points: rng.chance(0.7) ? 1 : 2, areas: noGapAreas, clear: rng.chance(0.5), title: title(noGapAreas[0] as Area) },
    ];
  }

  private expectation(): Expectation | null {
    const last = this.adjustments[this.adjustments.length - 1];
    return last ? last.expectation : null;
  }

  view(): Record<string, unknown> {
    const expectation = this.expectation();
    // The team, the newcomer and the tasks never change, and the logs are append-only with fixed
    // entries: their views are built once (or once per new entry) and shared, never mutated.
    const c = this.viewCache;
    if (c.team === undefined) {
      c.team = {
        domain: this.domain,
        workMix: this.mix,
        members: this.members.map((m, index) => ({
          index,
          name: m.name,
          role: m.role,
          primary: m.primary,
          secondary: m.secondary,
          load: m.load,
        })),
      };
      c.newcomer = {
        name: this.newcomer,
        hiredAs: this.hiredAs,
        sameDomain: this.sameDomain,
        knowsStack: this.knowsStack,
        selfReport: this.selfReport,
      };
      c.tasks = this.tasks.map((t, index) => ({ index, title: t.title, points: t.points, areas: t.areas, clear: t.clear }));
    }
    if (c.assessments.length !== this.assessments.length)
      c.assessments = this.assessments.map((a) => ({ area: a.area, reading: a.reading }));
    if (c.gapsNamed.length !== this.named.length) c.gapsNamed = this.named.map((n) => n.area);
    if (c.pairings.length !== this.pairings.length)
      c.pairings = this.pairings.map((p) => ({ member: p.member, area: p.area, accepted: p.accepted }));
    if (c.contextGiven.length !== this.contexts.length) c.contextGiven = this.contexts.map((x) => x.topic);
    return {
      team: c.team,
      newcomer: c.newcomer,
      tasks: c.tasks,
      sprint: {
        days: SPRINT_DAYS,
        committedPoints: this.committedPoints,
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
    const out = [
      'task:onboarding_support',
      `domain:${this.domain}`,
      `hired:${this.hiredAs}`,
      this.sameDomain ? 'same_domain' : 'new_domain',
      this.knowsStack ? 'knows_stack' : 'new_stack',
    ];
    for (const a of AREAS) out.push(`self:${a}:b${Math.min(9, Math.round(this.selfReport[a] * 10))}`);
    for (const a of AREAS) out.push(`mix:${a}:b${Math.min(9, Math.round(this.mix[a] * 10))}`);
    for (let i = 0; i < MEMBERS; i++) {
      const m = this.members[i] as Member;
      out.push(`m${i}:${m.primary}`, `m${i}:also:${m.secondary}`, `m${i}:load:${m.load}`);
    }
    for (let i = 0; i < TASKS; i++) {
      const t = this.tasks[i] as StarterTask;
      out.push(`t${i}:p${t.points}`);
      for (const a of t.areas) out.push(`t${i}:${a}`);
      out.push(t.clear ? `t${i}:clear` : `t${i}:open`);
    }
    for (const a of this.assessments) out.push(`assessed:${a.area}:b${Math.min(9, Math.round(a.reading * 10))}`);
    for (const n of this.named) out.push(`gap:${n.area}`);
    for (const p of this.pairings) out.push(p.accepted ? `pair:m${p.member}:${p.area}` : `declined:m${p.member}`);
    for (const c of this.contexts) out.push(`context:${c.topic}`);
    const e = this.expectation();
    if (e !== null) out.push(`expect:${e}`);
    if (this.assigned >= 0) out.push(`assigned:t${this.assigned}`);
    return out;
  }

  describe(): string {
    const pct = (x: number) => `${Math.round(x * 100)}%`;
    const lines = [
      `You are the senior developer onboarding ${this.newcomer}, who joins your ${this.domain.replaceAll('_', ' ')} team today (hired as ${this.hiredAs}). Build a picture of their skills and gaps, set up pairing and context, adjust the sprint plan, then assign a starter task.`,
      '',
      `Team work mix: ${AREAS.map((a) => `${a} ${pct(this.mix[a])}`).join(', ')}.`,
      `${this.newcomer} ${this.sameDomain ? 'comes from the same domain' : 'is new to this domain'} and ${this.knowsStack ? 'knows the stack' : 'has not used this stack'}. Self-reported skill: ${AREAS.map((a) => `${a} ${this.selfReport[a].toFixed(1)}`).join(', ')}.`,
      '',
      'Teammates:',
    ];
    this.members.forEach((m, i) => {
      lines.push(
        `- [${i}] ${m.name} (${m.role.replace('_', ' ')}): expert in ${m.primary}, also ${m.secondary}; ${m.load} load this sprint`,
      );
    });
    lines.push('', 'Starter tasks:');
    this.tasks.forEach((t, i) => {
      lines.push(`- [${i}] ${t.title} (${t.points} pt; ${t.areas.join(' + ')}; ${t.clear ? 'clear done state' : 'open-ended'})`);
    });
    const e = this.expectation();
    lines.push(
      '',
      `Sprint: ${SPRINT_DAYS} days, ${this.committedPoints} points committed, counting ${this.newcomer} at ${e === null ? 'full capacity (not adjusted)' : `${e} capacity`}.`,
    );
    for (const a of this.assessments) lines.push(`Assessed ${a.area}: ${a.reading.toFixed(2)}.`);
    if (this.named.length > 0) lines.push(`Gaps named: ${this.named.map((n) => n.area).join(', ')}.`);
    for (const p of this.pairings)
      lines.push(`${(this.members[p.member] as Member).name} ${p.accepted ? 'pairs' : 'declined to pair'} on ${p.area}.`);
    if (this.contexts.length > 0) lines.push(`Context given: ${this.contexts.map((c) => c.topic).join(', ')}.`);
    lines.push(`Team hours spent on onboarding: ${this.hours}.`);
    return lines.join('\n');
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
    const args = action.args ?? {};
    switch (action.type) {
      case 'assess_skills': {
        const area = args.area as Area;
        const repeat = this.assessed.has(area);
        const reading = round2(clampSkill(this.trueSkill[area] + this.noise[area]));
        this.hours += HOURS.assess;
        this.assessments.push({ step, area, reading, repeat });
        this.assessed.add(area);
        if (repeat)
          return { ok: true, response: `Nothing new: you already worked through ${area} with ${this.newcomer}.`, terminal: false };
        return {
          ok: true,
          response: `A short exercise and a code walk-through on ${area}: ${this.newcomer} reads at ${reading.toFixed(2)} (self-reported ${this.selfReport[area].toFixed(1)}).`,
          terminal: false,
        };
      }
      case 'identify_gaps': {
        const area = args.area as Area;
        this.hours += HOURS.identify;
        const entry: { step: number; area: Area; confidence?: number } = { step, area };
        if (action.confidence !== undefined) entry.confidence = action.confidence;
        this.named.push(entry);
        const again = this.namedSet.has(area);
        this.namedSet.add(area);
        return {
          ok: true,
          response: again
            ? `${area} is already on ${this.newcomer}'s learning plan.`
            : `You add ${area} to ${this.newcomer}'s learning plan as a gap.`,
          terminal: false,
        };
      }
      case 'suggest_pairing': {
        const member = args.member as number;
        const area = args.area as Area;
        const m = this.members[member] as Member;
        if (this.declined(member)) return { ok: false, error: `${m.name} already declined to pair this sprint; ask someone else` };
        if (this.paired(member, area)) return { ok: false, error: `${m.name} already pairs with ${this.newcomer} on ${area}` };
        const pairing: Pairing = {
          step,
          member,
          area,
          accepted: m.available,
          briefed: this.assessed.has(area),
          needStated: this.namedSet.has(area),
        };
        this.pairings.push(pairing);
        if (!m.available) {
          this.hours += HOURS.declined;
          return { ok: true, response: `${m.name} declines: fully booked on sprint work and cannot pair this sprint.`, terminal: false };
        }
        this.hours += HOURS.pairing;
        const brief = pairing.briefed ? ` You pass on ${this.newcomer}'s assessed level in ${area}.` : '';
        return {
          ok: true,
          response: `${m.name} agrees to pair with ${this.newcomer} on ${area} a few hours a day.${brief}`,
          terminal: false,
        };
      }
      case 'provide_context': {
        const topic = args.topic as Topic;
        const repeat = this.covered.has(topic);
        const needed = this.needs[topic];
        const sessions = this.contexts.length + 1;
        const retention = repeat || !needed ? 0 : sessions > CONTEXT_SESSIONS ? OVERLOAD_RETENTION : 1;
        this.contexts.push({ step, topic, retention, needed, repeat });
        this.covered.add(topic);
        this.hours += HOURS.context;
        return {
          ok: true,
          response: repeat
            ? `You go over ${topic} again; ${this.newcomer} has heard it already.`
            : `You walk ${this.newcomer} through the team's ${topic} for an hour.`,
          terminal: false,
        };
      }
      case 'adjust_sprint': {
        const expectation = args.expectation as Expectation;
        this.hours += HOURS.sprint;
        this.adjustments.push({ step, expectation });
        return {
          ok: true,
          response: `The sprint plan now counts ${this.newcomer} at ${expectation} of a full member's capacity.`,
          terminal: false,
        };
      }
      case 'assign_starter_task': {
        const task = args.task as number;
        this.assigned = task;
        this.assignStep = step;
        const t = this.tasks[task] as StarterTask;
        return { ok: true, response: `${this.newcomer} starts on "${t.title}".`, terminal: true };
      }
      default:
        return { ok: false, error: `unknown action ${action.type}` };
    }
  }

  /** Best effective partner skill on an area from the accepted pairings (0 when none). */
  private partnerSkill(area: Area): number {
    let best = 0;
    for (const p of this.pairings) {
      if (!p.accepted || p.area !== area) continue;
      const m = this.members[p.member] as Member;
      const expertise = m.primary === area ? EXPERTISE.primary : m.secondary === area ? EXPERTISE.secondary : EXPERTISE.other;
      best = Math.max(best, expertise * (p.briefed ? 1 : 0.7));
    }
    return best;
  }

  /** Task fit in [0, 1] with the pairing actually set up (`potential`: the best partner the team could give). */
  private fit(t: StarterTask, potential: boolean): { fit: number; size: number; known: number; gap: number; partner: number } {
    const size = t.points <= 2 ? 1 : t.points === 3 ? (this.capacity >= 0.75 ? 1 : 0.5) : 0.1;
    const known = t.areas.some((a) => this.trueSkill[a] >= KNOWN_FROM) ? 1 : 0;
    const gapAreas = t.areas.filter((a) => this.gaps.has(a));
    const gap = gapAreas.length === 1 ? 1 : gapAreas.length === 0 ? 0.4 : 0;
    let partner: number;
    if (gapAreas.length === 0) partner = 0.5;
    else if (potential)
      partner = gapAreas.every((a) => this.members.some((m) => m.available && (m.primary === a || m.secondary === a))) ? 1 : 0;
    else partner = gapAreas.every((a) => this.partnerSkill(a) >= RESOLVES_FROM) ? 1 : 0;
    return { fit: 0.3 * size + 0.2 * known + 0.2 * gap + 0.2 * partner + 0.1 * (t.clear ? 1 : 0), size, known, gap, partner };
  }

  finish(): EpisodeResult {
    const links: DecisionLink[] = [];
    const task = this.assigned >= 0 ? (this.tasks[this.assigned] as StarterTask) : undefined;
    let hours = this.hours;

    // Context: what was learned, what was wasted.
    const retained: Record<Topic, number> = { architecture: 0, conventions: 0, domain: 0, tooling: 0, deployment: 0 };
    let wastedDays = 0;
    for (const c of this.contexts) {
      if (c.retention > retained[c.topic]) retained[c.topic] = c.retention;
      if (c.repeat || !c.needed) wastedDays += 0.5;
      else wastedDays += 0.1; // the session itself
    }
    const touchesInfra = task?.areas.includes('infra') ?? false;
    let contextDays = 0;
    let missingTopics = 0;
    for (const topic of TOPICS) {
      if (!this.needs[topic]) continue;
      const days = topic === 'deployment' && touchesInfra ? DEPLOY_DAYS : TOPIC_DAYS[topic];
      contextDays += days * (1 - retained[topic]);
      if (retained[topic] < 1) missingTopics++;
    }

    // Effective skill and help requests on the task's areas.
    const acceptedPairings = this.pairings.filter((p) => p.accepted).length;
    let requests = 0;
    let resolved = 0;
    let speed = 0;
    const unsupportedGaps: Area[] = [];
    if (task) {
      for (const a of task.areas) {
        const partner = this.partnerSkill(a);
        // Pairing lifts a weak area (up to KNOWN_FROM + 0.15); where they are already decent it adds nothing.
        const skill = this.trueSkill[a];
        const effective = skill < KNOWN_FROM ? Math.min(KNOWN_FROM + 0.15, skill + 0.4 * partner) : skill;
        speed += Math.max(0.25, effective);
        const n = this.gaps.has(a) ? 3 : this.trueSkill[a] < 0.6 ? 1 : 0;
        requests += n;
        if (partner >= RESOLVES_FROM) resolved += n;
        if (this.gaps.has(a) && partner < RESOLVES_FROM) unsupportedGaps.push(a);
      }
      speed /= task.areas.length;
      requests += missingTopics;
    }
    const unresolved = requests - resolved;
    hours += HOURS.unresolved * unresolved;
    const overload = Math.max(0, acceptedPairings - PAIRINGS);
    const starterDays = task
      ? task.points / speed + 0.5 * unresolved + contextDays + wastedDays + (task.clear ? 0 : 1.5) + overload
      : Number.POSITIVE_INFINITY;

    // Ramp-up on the team's real work: gaps learned on the starter task or with a partner.
    let rampDays = 0;
    for (const a of this.gaps) {
      const touched = task?.areas.includes(a) ?? false;
      const partner = this.partnerSkill(a) >= RESOLVES_FROM;
      const learned = touched ? (partner ? 0.8 : 0.4) : partner ? 0.3 : 0;
      rampDays += 8 * this.mix[a] * (1 - learned);
    }
    const ttp = task ? starterDays + rampDays : 14;
    const actual = Math.max(0, this.capacity - (ttp > SPRINT_DAYS ? 0.25 : 0));
    const expectation = this.expectation();
    const expected = expectation === null ? 1 : EXPECTATION_VALUE[expectation];
    const shortfall = Math.max(0, expected - actual);
    const under = Math.max(0, actual - expected);

    const fit = task ? this.fit(task, false) : { fit: 0, size: 0, known: 0, gap: 0, partner: 0 };
    const pAccept = task ? clamp01((12 - starterDays) / 6) : 0;
    const accepted = task !== undefined && this.fate.accept < pAccept;

    // Review of the first contribution.
    let rework = 0;
    let conventionsMissed = false;
    if (task) {
      if (this.needs.conventions && retained.conventions < 1 && this.fate.conventions < 1 - retained.conventions) {
        conventionsMissed = true;
        rework++;
      }
      for (const a of unsupportedGaps) if ((this.fate.gapRework[AREAS.indexOf(a)] as number) < 0.6) rework++;
      if (!task.clear && this.fate.open < 0.5) rework++;
    }

    // Gap identification accuracy (Jaccard).
    let hit = 0;
    for (const a of this.namedSet) if (this.gaps.has(a)) hit++;
    const union = this.namedSet.size + this.gaps.size - hit;
    const gapAccuracy = union > 0 ? hit / union : 1;

    const velocity = clamp01(1 - 1.2 * shortfall - 0.5 * under - hours / HOURS_SCALE);
    const components: OutcomeComponents = {
      story_accepted: accepted ? 1 : 0,
      tests_passing: clamp01(fit.fit),
      low_iteration_count: clamp01(1 - (ttp - 3) / 10),
      velocity_maintained: velocity,
      low_rework: task ? clamp01(1 - 0.35 * rework) : 0,
      coverage_threshold: gapAccuracy,
    };

    // --- links -----------------------------------------------------------------------------------
    for (const a of this.assessments) {
      const gap = this.gaps.has(a.area);
      // A reading that shows a gap the candidate then neither names nor pairs on was not used.
      const used = this.namedSet.has(a.area) || this.pairings.some((p) => p.area === a.area);
      const effect = a.repeat
        ? 'redundant_assessment'
        : a.reading < GAP_BELOW && !used
          ? 'assessment_ignored'
          : gap
            ? 'revealed_gap'
            : this.selfReport[a.area] - a.reading >= 0.15
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
        note: `${a.area} read ${a.reading.toFixed(2)}, self-reported ${this.selfReport[a.area].toFixed(1)}`,
      });
    }
    const seenNamed = new Set<Area>();
    for (const n of this.named) {
      const effect = seenNamed.has(n.area) ? 'duplicate_gap' : this.gaps.has(n.area) ? 'gap_identified' : 'wrong_gap';
      seenNamed.add(n.area);
      links.push({
        step: n.step,
        effect,
        target: n.area,
        value: effect === 'gap_identified' ? 0.05 : effect === 'wrong_gap' ? -0.05 : -0.01,
        note: `named ${n.area} a gap; true skill ${this.gaps.has(n.area) ? 'below' : 'at or above'} ${GAP_BELOW}`,
      });
    }
    let acceptedSoFar = 0;
    for (const p of this.pairings) {
      const m = this.members[p.member] as Member;
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
        } else if (!this.gaps.has(p.area)) {
          effect = 'pairing_unneeded';
          value = -0.05;
        } else if (task?.areas.includes(p.area) && this.partnerSkill(p.area) >= RESOLVES_FROM) {
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
    for (const c of this.contexts) {
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
    const lastAdjust = this.adjustments[this.adjustments.length - 1];
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
      const gapCount = task.areas.filter((a) => this.gaps.has(a)).length;
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
        step: this.assignStep,
        effect,
        target: `t${this.assigned}`,
        value: round3(fit.fit - 0.5),
        note: `${task.points} pt on ${task.areas.join('+')}: fit ${round3(fit.fit)}, starter ${round3(starterDays)} days, productive after ${round3(ttp)}`,
      });
    } else {
      links.push({ step: -1, effect: 'no_starter_task', value: -0.3, note: 'no starter task assigned: the newcomer floated' });
    }

    let best = 0;
    let bestFit = -1;
    this.tasks.forEach((t, i) => {
      const f = this.fit(t, true).fit;
      if (f > bestFit) {
        best = i;
        bestFit = f;
      }
    });
    const actions =
      this.assessments.length + this.named.length + this.pairings.length + this.contexts.length + this.adjustments.length + (task ? 1 : 0);
    return {
      facts: {
        domain: this.domain,
        hiredAs: this.hiredAs,
        inflation: this.inflation,
        trueGaps: [...this.gaps].join(','),
        gapsNamed: [...this.namedSet].join(','),
        gapAccuracy: round3(gapAccuracy),
        gapsHit: hit,
        assessments: this.assessments.length,
        redundantAssessments: this.assessments.filter((a) => a.repeat).length,
        assignedTask: this.assigned,
        bestTask: best,
        assignedKind: task?.kind ?? 'none',
        taskFit: round3(fit.fit),
        taskPoints: task?.points ?? 0,
        taskSizeFit: fit.size,
        taskClear: task?.clear ?? false,
        taskGapAreas: task ? task.areas.filter((a) => this.gaps.has(a)).length : 0,
        pairingsAccepted: acceptedPairings,
        pairingsDeclined: this.pairings.length - acceptedPairings,
        pairingsOnGap: this.pairings.filter((p) => p.accepted && this.gaps.has(p.area)).length,
        pairingsBriefed: this.pairings.filter((p) => p.briefed).length,
        contextSessions: this.contexts.length,
        contextNeeded: this.contexts.filter((c) => c.needed && !c.repeat).length,
        contextWasted: this.contexts.filter((c) => c.repeat || !c.needed).length,
        topicsNeeded: TOPICS.filter((t) => this.needs[t]).length,
        missingTopics,
        helpRequests: requests,
        helpResolvedOneExchange: resolved,
        oneExchangeRate: requests > 0 ? round3(resolved / requests) : -1,
        starterDays: task ? round3(starterDays) : -1,
        rampDays: round3(rampDays),
        timeToProductivity: round3(ttp),
        starterDelivered: accepted,
        trueCapacity: this.capacity,
        actualCapacity: actual,
        plannedCapacity: expected,
        sprintAdjusted: expectation !== null,
        capacityShortfall: round3(shortfall),
        capacityUnder: round3(under),
        sprintAdjustments: this.adjustments.length,
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

  hidden(): Record<string, unknown> {
    return {
      trueSkill: this.trueSkill,
      gaps: AREAS.filter((a) => this.gaps.has(a)),
      inflation: this.inflation,
      contextNeeds: TOPICS.filter((t) => this.needs[t]),
      trueCapacity: this.capacity,
      tasks: this.tasks.map((t) => ({
        kind: t.kind,
        points: t.points,
        areas: t.areas,
        clear: t.clear,
        fit: round3(this.fit(t, true).fit),
      })),
      members: this.members.map((m) => ({ primary: m.primary, secondary: m.secondary, load: m.load, available: m.available })),
      selfReport: this.selfReport,
      workMix: this.mix,
    };
  }

  secrets(): Secret[] {
    const out: Secret[] = [];
    for (const a of AREAS)
      out.push({
        id: `true_skill_${a}`,
        text: `${this.newcomer}'s true ${a} skill is ${this.trueSkill[a].toFixed(3)}`,
        revealed: this.assessed.has(a),
      });
    out.push({
      id: 'gaps',
      text: `${this.newcomer}'s real gaps are ${AREAS.filter((a) => this.gaps.has(a)).join(' and ')}`,
      revealed: false,
    });
    out.push({ id: 'inflation', text: `${this.newcomer}'s self-report is ${this.inflation}`, revealed: false });
    out.push({
      id: 'context_needs',
      text: `${this.newcomer} lacks context on ${TOPICS.filter((t) => this.needs[t]).join(', ')}`,
      revealed: false,
    });
    this.members.forEach((m, i) => {
      if (!m.available) out.push({ id: `busy_${i}`, text: `${m.name} declines: fully booked`, revealed: this.declined(i) });
    });
    out.push({ id: 'capacity', text: `true ramp-up capacity ${this.capacity} this sprint`, revealed: false });
    const fitting = this.tasks.findIndex((t) => t.kind === 'fit');
    out.push({ id: 'fitting_task', text: `The starter task that fits is task ${fitting}`, revealed: false });
    return out;
  }
}

const AREA_ARG = { kind: 'enum', values: AREAS, description: 'a skill area of the codebase' } as const;

export const onboardingSupport: EpisodeWorld = {
  name: 'onboarding_support',
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
