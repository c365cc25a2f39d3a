/**
 * The scenario of an onboarding_support episode, drawn once from the seed: the team (domain, work
 * mix, four teammates with their expertise, load and hidden availability), the newcomer (hiring
 * level, background, true skills and gaps, the inflated self-report, the context topics they lack),
 * the true ramp-up capacity, the sprint commitment, the four starter tasks built from the truth, and
 * the pre-drawn reading noise and review fates.
 */
import type { ScenarioOptions } from '../../core/episode.js';
import { clamp, round1, round2 } from '../../core/numbers.js';
import type { Rng } from '../../core/rng.js';
import { DOMAINS, type Domain } from '../../spec/episodes.js';
import {
  AREAS,
  type Area,
  HIRED_AS,
  type HiredAs,
  INFLATIONS,
  type Inflation,
  LOADS,
  type Load,
  type MemberRole,
  type TaskKind,
  type TaskPoints,
  type Topic,
} from './types.js';

/** Teammates who can pair; candidate starter tasks. */
export const MEMBERS = 4;
export const TASKS = 4;

/** True skill below which an area is a gap; at or above which it is a known area. */
export const GAP_BELOW = 0.45;
export const KNOWN_FROM = 0.55;

const AVAILABILITY: Record<Load, number> = { light: 0.9, normal: 0.6, heavy: 0.15 };
/** How much each trait inflates the self-report (scaled by 1.6 - 1.2 x skill). */
const INFLATION: Record<Inflation, number> = { honest: 0.03, mild: 0.12, inflated: 0.22 };
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
const ROLES: readonly MemberRole[] = ['dev_lead', 'senior_dev', 'senior_dev', 'mid_dev'];

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
  points: TaskPoints;
  areas: Area[];
  clear: boolean;
  title: string;
  /** Which construction it came from (hidden). */
  kind: TaskKind;
}

export interface Member {
  name: string;
  role: MemberRole;
  primary: Area;
  secondary: Area;
  load: Load;
  /** Hidden: accepts a pairing request this sprint. */
  available: boolean;
}

/** Everything drawn from the seed: the hidden truth and the static public parts. */
export interface Scenario {
  domain: Domain;
  mix: Record<Area, number>;
  hiredAs: HiredAs;
  newcomer: string;
  sameDomain: boolean;
  knowsStack: boolean;
  inflation: Inflation;
  trueSkill: Record<Area, number>;
  selfReport: Record<Area, number>;
  /** Per area: the noise of an assessment's reading. */
  noise: Record<Area, number>;
  gaps: Set<Area>;
  /** Per topic: whether the newcomer lacks it. */
  needs: Record<Topic, boolean>;
  members: Member[];
  tasks: StarterTask[];
  /** True ramp-up capacity this sprint. */
  capacity: number;
  committedPoints: number;
  /** Review fates: acceptance, conventions missed, an open-ended task bounced, a gap area bounced (per area). */
  fate: { accept: number; conventions: number; open: number; gapRework: number[] };
}

const clampSkill = (x: number) => clamp(x, 0.1, 0.95);

/** Ramp-up capacity this sprint from the team-mix-weighted skill, to the nearest quarter. */
export function capacityFor(weightedSkill: number): number {
  return clamp(Math.round((1.6 * weightedSkill - 0.35) * 4) / 4, 0.25, 1);
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

/** The four candidate starter tasks, built from the hidden truth (see the world's module comment). */
function buildTasks(
  rng: Rng,
  skill: Record<Area, number>,
  gapSet: ReadonlySet<Area>,
  members: readonly Member[],
  selfReport: Record<Area, number>,
): StarterTask[] {
  const gaps = AREAS.filter((a) => gapSet.has(a));
  const known = descending(
    AREAS.filter((a) => skill[a] >= KNOWN_FROM),
    skill,
  );
  const expertAvailable = (a: Area) => members.some((m) => m.available && (m.primary === a || m.secondary === a));
  // Fit: a strong area plus a gap that an available teammate can cover (when one can).
  const coverable = gaps.filter(expertAvailable);
  const fitGap = (coverable.length > 0 ? rng.pick(coverable) : rng.pick(gaps)) as Area;
  const fitKnown = rng.pick(known.slice(0, 2)) as Area;
  // Looks right: the gaps the self-report makes look best.
  const byReport = descending(gaps.slice(), selfReport);
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

/** Draws a scenario; explicit domain and difficulty options win. */
export function generateScenario(rng: Rng, options: ScenarioOptions): Scenario {
  const domain = options.domain ?? rng.pick(DOMAINS);
  const mix = WORK_MIX[domain];
  const difficulty = options.difficulty;
  const hiredAs =
    difficulty === 'easy'
      ? rng.pick(['mid', 'senior'] as const)
      : difficulty === 'hard'
        ? rng.pick(['junior', 'mid'] as const)
        : rng.pick(HIRED_AS);
  const newcomer = rng.pick(NEWCOMER_NAMES);
  const sameDomain = rng.chance(0.45);
  const knowsStack = rng.chance(0.5);
  const inflation = INFLATIONS[rng.weightedIndex(difficulty === 'hard' ? [0.15, 0.35, 0.5] : [0.3, 0.4, 0.3])] as Inflation;

  // True skills: around the hiring level, with at least one gap and one strong area.
  const mean = SKILL_MEAN[hiredAs];
  const skill = {} as Record<Area, number>;
  for (const a of AREAS) skill[a] = round2(clampSkill(mean + rng.normal(0, 0.17)));
  const order = rng.shuffle(AREAS);
  const gapArea = order[0] as Area;
  const strongArea = order[1] as Area;
  if (skill[gapArea] >= GAP_BELOW) skill[gapArea] = round2(rng.uniform(0.15, 0.4));
  if (skill[strongArea] < 0.6) skill[strongArea] = round2(rng.uniform(0.62, 0.85));
  const gaps = new Set(AREAS.filter((a) => skill[a] < GAP_BELOW));
  const report = {} as Record<Area, number>;
  // The weaker the area, the more it is overstated (x1.24 at 0.3, x0.64 at 0.8): gaps hide best.
  for (const a of AREAS)
    report[a] = round1(clamp(skill[a] + INFLATION[inflation] * (1.6 - 1.2 * skill[a]) + rng.normal(0, 0.08), 0.1, 0.9));

  const needs = {
    architecture: rng.chance(0.9),
    conventions: rng.chance(0.95),
    domain: rng.chance(sameDomain ? 0.15 : 0.9),
    tooling: rng.chance(knowsStack ? 0.2 : 0.9),
    deployment: rng.chance(skill.infra < KNOWN_FROM ? 0.85 : 0.2),
  };

  // Teammates: distinct primary areas, a secondary one, a visible load, hidden availability.
  const names = rng.shuffle(NAMES);
  const primaries = rng.shuffle(AREAS);
  const members: Member[] = ROLES.map((role, i) => {
    const primary = primaries[i] as Area;
    const others = AREAS.filter((a) => a !== primary);
    const load = LOADS[rng.weightedIndex(role === 'dev_lead' ? [0.15, 0.4, 0.45] : [0.35, 0.45, 0.2])] as Load;
    return { name: names[i] as string, role, primary, secondary: rng.pick(others), load, available: false };
  });
  const availability = rng.fork('availability');
  for (const m of members) m.available = availability.next() < AVAILABILITY[m.load];

  const capacity = capacityFor(AREAS.reduce((s, a) => s + mix[a] * skill[a], 0));
  const committedPoints = rng.intBetween(24, 40);
  const tasks = rng.shuffle(buildTasks(rng.fork('tasks'), skill, gaps, members, report));

  const noise = rng.fork('readings');
  const readings = {} as Record<Area, number>;
  for (const a of AREAS) readings[a] = noise.normal(0, 0.04);
  const fates = rng.fork('fates');
  const fate = {
    accept: fates.next(),
    conventions: fates.next(),
    open: fates.next(),
    gapRework: AREAS.map(() => fates.next()),
  };
  return {
    domain,
    mix,
    hiredAs,
    newcomer,
    sameDomain,
    knowsStack,
    inflation,
    trueSkill: skill,
    selfReport: report,
    noise: readings,
    gaps,
    needs,
    members,
    tasks,
    capacity,
    committedPoints,
    fate,
  };
}
