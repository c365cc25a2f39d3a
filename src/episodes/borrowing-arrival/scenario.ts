/**
 * The scenario of a borrowing_arrival episode, drawn once from the seed: the receiving team and the
 * candidate's home team, the team's conventions and the candidate's habits, the team's needs and its
 * real top priority, what the docs answer, the codebase layout with the convention evidence of each
 * file, and the pre-drawn fates of searches, imitation, the legacy module, questions, acceptance,
 * effort and the team's suite.
 */
import type { ScenarioOptions } from '../../core/episode.js';
import type { Rng } from '../../core/rng.js';
import { DOMAINS, type Domain, LANGUAGES, type Language } from '../../spec/episodes.js';
import { difficultyLevel } from '../common.js';
import {
  ASPECTS,
  type Aspect,
  CONVENTION_VALUES,
  EFFORTS,
  type FileRole,
  NEED_KINDS,
  type Need,
  type NeedKind,
  REQUESTERS,
  type Requester,
  TOPICS,
  type Topic,
} from './types.js';

/** The eight files of every codebase, by role (shuffled per episode). */
const LAYOUT: readonly FileRole[] = ['entry', 'core', 'core', 'tests', 'config', 'legacy', 'scripts', 'vendored'];
export const FILES = LAYOUT.length;
/** Roles a reconnaissance should cover (B-18): the entry point, a main abstraction, the tests. */
export const KEY_ROLES: readonly FileRole[] = ['entry', 'core', 'tests'];

/** Most needs per episode (the `need` argument indexes them). */
export const MAX_NEEDS = 4;

const NEED_TITLES: Record<NeedKind, string> = {
  fix_flaky_ci: 'Fix the flaky CI pipeline',
  add_endpoint: 'Add the export endpoint customers asked for',
  migrate_config: 'Migrate service config to the new format',
  improve_error_messages: 'Make user-facing error messages actionable',
  speed_up_build: 'Cut the build time in half',
  add_metrics: 'Add latency metrics to the hot paths',
  upgrade_dependency: 'Upgrade the serialization library',
  write_integration_tests: 'Cover the import flow with integration tests',
};

/** How likely each requester's need is the real top priority (relative weights). */
const REQUESTER_WEIGHT: Record<Requester, number> = { team_lead: 1.6, product_owner: 1.3, developer: 0.8, stakeholder: 0.5 };

/** Probability that the candidate's home habit happens to be the team's convention. */
const HABIT_MATCH = 0.25;
/** Probability that a current roadmap names the real top priority. */
const ROADMAP_ACCURACY = 0.8;

/** Evidence strength of each file role per aspect: [P(0), P(1)], the rest is P(2). */
const EVIDENCE_TABLE: Record<FileRole, Partial<Record<Aspect, readonly [number, number]>>> = {
  entry: { naming: [0.2, 0.5], error_handling: [0.2, 0.5], logging: [0.1, 0.4] },
  core: { naming: [0.1, 0.4], error_handling: [0.1, 0.4], module_layout: [0.3, 0.5], logging: [0.5, 0.4] },
  tests: { test_style: [0, 0.3], naming: [0.4, 0.5] },
  config: { module_layout: [0.2, 0.4], logging: [0.4, 0.4] },
  legacy: {},
  scripts: { naming: [0.8, 0.2] },
  vendored: {},
};
/** Probability that a code search for an aspect finds a clear example (else hits are inconclusive). */
const SEARCH_HIT = 0.75;

const EXTENSION: Record<Language, string> = { python: 'py', typescript: 'ts', go: 'go', rust: 'rs' };
const SETUP_TEXTS = [
  'Tests run with `make check` inside the dev container, after `make deps` pulls the fixtures.',
  'Run `./scripts/test --integration` with the local stack from `docker compose up db queue`.',
  'The suite needs `TEST_DB_URL` pointing at the shared test database; then `task test` runs it.',
  'Tests run through `just ci`, which regenerates the protobuf stubs first; a plain test run fails.',
] as const;

export interface FileInfo {
  role: FileRole;
  path: string;
  /** Evidence strength per aspect (pre-drawn). */
  strength: Record<Aspect, number>;
}

/** Everything drawn from the seed: the hidden truth and the static public parts. */
export interface Scenario {
  /** Difficulty in [0, 1]. */
  level: number;
  teamDomain: Domain;
  teamLanguage: Language;
  homeDomain: Domain;
  homeLanguage: Language;
  conventions: Record<Aspect, string>;
  habits: Record<Aspect, string>;
  needs: Need[];
  /** Index of the team's real top priority. */
  top: number;
  documented: Record<Topic, boolean>;
  /** The need the roadmap lists as its top item; -1 when the priority is not documented. */
  roadmapSays: number;
  setupText: string;
  files: FileInfo[];
  /** Per aspect: 1 when a code search finds a clear example, else 0. */
  searchStrength: Record<Aspect, number>;
  /** Per aspect: draw against the imitation probability of an unstated convention. */
  absorb: Record<Aspect, number>;
  /** Per aspect: draw against the probability of copying the legacy module when it was read. */
  legacyCopy: Record<Aspect, number>;
  /** Per topic, per attempt: exchanges draw and answer draw. */
  questionFates: Record<Topic, { exchanges: number[]; answer: number[] }>;
  acceptFate: number;
  /** How much harder the work turns out than its estimate (0.8..1.6). */
  surprise: number;
  /** Share of the team's suite that already fails for reasons unrelated to the contribution. */
  preexistingFailures: number;
}

function strengthDraw(rng: Rng, p: readonly [number, number] | undefined): number {
  const u = rng.next();
  if (!p) return 0;
  return u < p[0] ? 0 : u < p[0] + p[1] ? 1 : 2;
}

/** A domain's name without underscores, memoized (every episode renders eight paths). */
const AREA_OF_DOMAIN = new Map<string, string>();

function pathFor(role: FileRole, coreIndex: number, domain: Domain, language: Language): string {
  const ext = EXTENSION[language];
  let area = AREA_OF_DOMAIN.get(domain);
  if (area === undefined) {
    area = domain.replaceAll('_', '');
    AREA_OF_DOMAIN.set(domain, area);
  }
  switch (role) {
    case 'entry':
      return language === 'go' ? `cmd/${area}/main.go` : `src/main.${ext}`;
    case 'core':
      return `src/${area}/${coreIndex === 0 ? 'service' : 'repository'}.${ext}`;
    case 'tests':
      return `tests/${area}_service_test.${ext}`;
    case 'config':
      return 'Makefile and ci/pipeline.yaml';
    case 'legacy':
      return `legacy/${area}_v1.${ext}`;
    case 'scripts':
      return `scripts/seed_data.${ext}`;
    default:
      return `vendor/third_party/codec.${ext}`;
  }
}

/** Draws a scenario; explicit domain, language and difficulty options win. */
export function generateScenario(rng: Rng, options: ScenarioOptions): Scenario {
  const level = difficultyLevel(rng, options.difficulty);
  const teamDomain = options.domain ?? rng.pick(DOMAINS);
  const teamLanguage = options.language ?? rng.pick(LANGUAGES);
  const homeDomain = rng.pick(DOMAINS.filter((d) => d !== teamDomain));
  const homeLanguage = rng.pick(LANGUAGES.filter((l) => l !== teamLanguage));

  // Conventions and the candidate's home habits (a habit matches the team's value only by chance).
  const conventions = {} as Record<Aspect, string>;
  const habits = {} as Record<Aspect, string>;
  for (const aspect of ASPECTS) {
    const values = CONVENTION_VALUES[aspect];
    const truth = rng.int(3);
    conventions[aspect] = values[truth] as string;
    const match = rng.chance(HABIT_MATCH);
    habits[aspect] = match ? (values[truth] as string) : (values[(truth + 1 + rng.int(2)) % 3] as string);
  }

  // Needs: the top priority leans to the team lead's and product owner's asks; the loudest one
  // is the top only sometimes (less often on harder scenarios).
  const count = level < 0.35 ? 3 : MAX_NEEDS;
  const kinds = rng.shuffle(NEED_KINDS).slice(0, count) as NeedKind[];
  const requesters = kinds.map(() => rng.pick(REQUESTERS));
  const top = rng.weightedIndex(requesters.map((r) => REQUESTER_WEIGHT[r]));
  const loudTop = rng.chance(0.55 - 0.4 * level);
  const others = kinds.map((_, i) => i).filter((i) => i !== top);
  const loud = loudTop ? top : (rng.pick(others) as number);
  const mentions = kinds.map(() => rng.intBetween(1, 3));
  mentions[loud] = rng.intBetween(4, 6);
  const needs = kinds.map((kind, i) => ({
    kind,
    title: NEED_TITLES[kind],
    requester: requesters[i] as Requester,
    mentions: mentions[i] as number,
    effort: rng.pick(EFFORTS),
    loudest: i === loud,
  }));

  // Docs: each topic is documented in its section with a probability that falls with difficulty.
  const pDoc = 0.8 - 0.5 * level;
  const documented = {} as Record<Topic, boolean>;
  for (const topic of TOPICS) documented[topic] = rng.chance(pDoc);
  const roadmapRight = rng.chance(ROADMAP_ACCURACY);
  const roadmapSays = !documented.priority ? -1 : roadmapRight ? top : loud !== top ? loud : (rng.pick(others) as number);
  const setupText = rng.pick(SETUP_TEXTS);

  // The layout: eight files in shuffled order, each with pre-drawn evidence per aspect.
  const fileRng = rng.fork('files');
  const order = fileRng.shuffle(LAYOUT);
  let coreIndex = 0;
  const files = order.map((role) => {
    // A literal in ASPECTS order (draws in that order, same keys and key order as a loop over ASPECTS).
    const table = EVIDENCE_TABLE[role];
    const strength: Record<Aspect, number> = {
      naming: strengthDraw(fileRng, table.naming),
      error_handling: strengthDraw(fileRng, table.error_handling),
      test_style: strengthDraw(fileRng, table.test_style),
      module_layout: strengthDraw(fileRng, table.module_layout),
      logging: strengthDraw(fileRng, table.logging),
    };
    const path = pathFor(role, role === 'core' ? coreIndex++ : 0, teamDomain, teamLanguage);
    return { role, path, strength };
  });

  const fates = rng.fork('fates');
  const searchStrength = {} as Record<Aspect, number>;
  const absorb = {} as Record<Aspect, number>;
  const legacyCopy = {} as Record<Aspect, number>;
  for (const aspect of ASPECTS) {
    searchStrength[aspect] = fates.chance(SEARCH_HIT) ? 1 : 0;
    absorb[aspect] = fates.next();
    legacyCopy[aspect] = fates.next();
  }
  const questionFates = {} as Record<Topic, { exchanges: number[]; answer: number[] }>;
  for (const topic of TOPICS)
    questionFates[topic] = {
      exchanges: [fates.next(), fates.next(), fates.next(), fates.next()],
      answer: [fates.next(), fates.next(), fates.next(), fates.next()],
    };
  const acceptFate = fates.next();
  const surprise = fates.uniform(0.8, 1.6);
  const preexistingFailures = fates.chance(0.4) ? fates.uniform(0.02, 0.15) : 0;
  return {
    level,
    teamDomain,
    teamLanguage,
    homeDomain,
    homeLanguage,
    conventions,
    habits,
    needs,
    top,
    documented,
    roadmapSays,
    setupText,
    files,
    searchStrength,
    absorb,
    legacyCopy,
    questionFates,
    acceptFate,
    surprise,
    preexistingFailures,
  };
}
