/**
 * E-3.1 Borrowing arrival: the candidate is lent to an unfamiliar team (another domain, another
 * language, other conventions) that has several plausible needs; it must find its way in the
 * codebase, learn the team's conventions, find out what the team actually needs first, and make a
 * first useful contribution without draining the team's time (B-18 reconnaissance, B-19
 * convention respect, B-20 context acquisition efficiency, B-22 help request quality).
 *
 * Visible: the receiving team's domain and language, the candidate's home team (domain, language
 * and its habits for each convention aspect), the team's needs (kind, who asked, how often it came
 * up, effort; one is the loudest), the codebase layout (eight files with their role: entry point,
 * two main abstractions, tests, config, a legacy module, scripts, vendored code), the docs sections
 * (readme, contributing, architecture, roadmap), the three plausible values of each convention
 * aspect (naming, error handling, test style, module layout, logging), and everything found so far.
 *
 * Hidden truth: the team's value for each convention aspect; which topics its docs answer (each
 * topic lives in one section and is documented or not; the roadmap names a current top item that
 * is right 80% of the time); the team's actual top priority (weighted toward needs from the team
 * lead and product owner; the loudest need is the top one only 20-55% of the time, by
 * difficulty); how to run the tests (setup). Pre-drawn fates: how much convention evidence each
 * file and each code search holds per aspect, whether the candidate's home habit happens to match
 * each convention (25%), whether conventions seen but never stated are picked up anyway, whether
 * a reader of the legacy module copies its outdated style, how many exchanges each question
 * takes, how much harder the work is than estimated (x0.8-1.6), pre-existing failures in the
 * team's suite, and whether the contribution is accepted.
 *
 * Causal model: reading a file adds its evidence to each aspect it shows (entry and core show
 * naming and error handling, tests show test style, config shows layout and logging and how to run
 * the tests; legacy, scripts and vendored code show little or nothing); `identify_conventions`
 * confirms a convention (reveals its value) only with evidence >= 2, otherwise it is a premature
 * assertion that locks in the home habit. In the contribution a confirmed, documented or told
 * convention is followed; naming and error handling are copied from the legacy module (wrong) with
 * probability 0.5 when it was read; an unstated convention is picked up with probability 0.6
 * (evidence >= 2) or 0.3 (evidence 1); otherwise the home habit is used (right only by chance). A
 * question about what the docs answer (section unread) is answered with a pointer to the docs at
 * an extra 0.5 team hour; a repeated one costs an exchange for nothing; a question states a
 * context (`none`, `tried`, `tried_and_proposal`) that counts only as far as the candidate's
 * actions back it (a claim of having tried with nothing read is downgraded): vague questions take
 * 2-3 exchanges and are left unanswered 40% of the time, `tried` 1-2, `tried_and_proposal` one
 * (90%). Each exchange costs the team 0.4 h, double once the candidate has used 2 team hours.
 * Proposing a need (0.25 team hour) gets a yes (it is the top priority) or a no. `start_work` ends
 * the episode.
 *
 * Outcome (see `finish`): the first contribution's relevance (top priority), convention adherence
 * (violations), codebase understanding (entry, core and tests read), setup knowledge, time to the
 * first useful contribution against a target of 5 h + the top need's effort, and the team hours
 * spent on the candidate. Components: story_accepted (the team accepts the contribution: P = 0.9
 * for the top priority else 0.135, times 1/0.85/0.6/0.3/0.15/0.05 for 0..5 violations, times 0.85
 * when understanding < 0.7), tests_passing ((0.35 + 0.3 understanding + 0.2 setup + 0.15 test
 * style followed) x (1 - pre-existing failures)), low_iteration_count (review rounds: one per
 * naming / error handling / logging violation, one without setup, one without reading the tests),
 * velocity_maintained (1 - (team hours + 0.5 x overrun hours) / 10), low_rework (1 - 0.4 per rework: wrong need, wrong module
 * layout, three or more violations), coverage_threshold (test style followed: 1, or 0.8 without
 * reading the tests; not followed 0.4). No contribution by the turn limit: every component 0 but
 * velocity, which counts a lost day.
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
import { DOMAINS, type Domain, LANGUAGES, type Language } from '../../spec/episodes.js';
import type { OutcomeComponents } from '../../spec/reward.js';
import { difficultyLevel } from '../common.js';

export const ASPECTS = ['naming', 'error_handling', 'test_style', 'module_layout', 'logging'] as const;
export type Aspect = (typeof ASPECTS)[number];

/** The three plausible values of each convention aspect (public); the team uses one (hidden). */
export const CONVENTION_VALUES: Record<Aspect, readonly [string, string, string]> = {
  naming: ['camel_case', 'snake_case', 'verb_prefixed'],
  error_handling: ['exceptions', 'result_types', 'error_codes'],
  test_style: ['table_driven', 'bdd_specs', 'fixture_classes'],
  module_layout: ['by_feature', 'by_layer', 'flat_packages'],
  logging: ['structured_json', 'plain_text', 'event_hooks'],
};

/** What a question can be about: a convention aspect, the team's priority, or how to run the tests. */
export const TOPICS = [...ASPECTS, 'priority', 'setup'] as const;
export type Topic = (typeof TOPICS)[number];

/** What a help request states besides the question (B-22). */
export const QUESTION_CONTEXTS = ['none', 'tried', 'tried_and_proposal'] as const;
export type QuestionContext = (typeof QUESTION_CONTEXTS)[number];

export const SECTIONS = ['readme', 'contributing', 'architecture', 'roadmap'] as const;
export type Section = (typeof SECTIONS)[number];

/** The docs section where each topic would be documented. */
export const TOPIC_SECTION: Record<Topic, Section> = {
  naming: 'contributing',
  error_handling: 'contributing',
  test_style: 'contributing',
  module_layout: 'architecture',
  logging: 'architecture',
  setup: 'readme',
  priority: 'roadmap',
};

export const FILE_ROLES = ['entry', 'core', 'tests', 'config', 'legacy', 'scripts', 'vendored'] as const;
export type FileRole = (typeof FILE_ROLES)[number];
/** The eight files of every codebase, by role (shuffled per episode). */
const LAYOUT: readonly FileRole[] = ['entry', 'core', 'core', 'tests', 'config', 'legacy', 'scripts', 'vendored'];
export const FILES = LAYOUT.length;
/** Roles a reconnaissance should cover (B-18): the entry point, a main abstraction, the tests. */
export const KEY_ROLES: readonly FileRole[] = ['entry', 'core', 'tests'];

export const NEED_KINDS = [
  'fix_flaky_ci',
  'add_endpoint',
  'migrate_config',
  'improve_error_messages',
  'speed_up_build',
  'add_metrics',
  'upgrade_dependency',
  'write_integration_tests',
] as const;
export type NeedKind = (typeof NEED_KINDS)[number];

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

export const REQUESTERS = ['team_lead', 'product_owner', 'developer', 'stakeholder'] as const;
export type Requester = (typeof REQUESTERS)[number];
/** How likely each requester's need is the real top priority (relative weights). */
const REQUESTER_WEIGHT: Record<Requester, number> = { team_lead: 1.6, product_owner: 1.3, developer: 0.8, stakeholder: 0.5 };

export const EFFORTS = ['small', 'medium', 'large'] as const;
export type Effort = (typeof EFFORTS)[number];
const EFFORT_HOURS: Record<Effort, number> = { small: 2, medium: 3.5, large: 5 };

/** Most needs per episode (the `need` argument indexes them). */
export const MAX_NEEDS = 4;

// Candidate hours per action.
const HOURS_READ = 0.75;
const HOURS_REREAD = 0.25;
const HOURS_SEARCH = 0.25;
const HOURS_DOCS = 0.5;
const HOURS_IDENTIFY = 0.1;
const HOURS_PROPOSE = 0.25;
const HOURS_PER_EXCHANGE = 0.25;
// Team hours.
const TEAM_PER_EXCHANGE = 0.4;
const TEAM_DOCS_ANSWERED = 0.5;
const TEAM_PROPOSE = 0.25;
const TEAM_REVIEW_ROUND = 0.3;
const TEAM_REDIRECT = 1;
/** Evidence needed before a convention can be confirmed. */
export const EVIDENCE_TO_CONFIRM = 2;
/** Files read before further reads count as excess (reading everything). */
export const READ_BUDGET = 5;
/** Hours of team time + half the overrun that empty velocity_maintained. */
const VELOCITY_BUDGET = 10;
/** Hours for the first contribution before the team expects it, plus the top need's effort. */
const TARGET_BASE = 5;
/** Probability that the candidate's home habit happens to be the team's convention. */
const HABIT_MATCH = 0.25;
/** Probability that a newcomer who read the legacy module copies its outdated naming or error handling. */
const LEGACY_COPY = 0.5;
/** Aspects the legacy module shows in their outdated form. */
const LEGACY_ASPECTS: readonly Aspect[] = ['naming', 'error_handling'];
/** Probability of following an unstated convention by imitation, by evidence (0, 1, >= 2). */
const ABSORB = [0, 0.3, 0.6] as const;
/** P(accepted) factor by convention violations (0..5). */
const VIOLATION_FACTOR = [1, 0.85, 0.6, 0.3, 0.15, 0.05] as const;
/** Team hours on the candidate's questions past which each further exchange costs double (interruptions compound). */
const TEAM_PATIENCE = 2;
/** Residual chance that review asks for a redesign whatever the candidate did. */
const ACCEPT_CEILING = 0.9;
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

interface FileInfo {
  role: FileRole;
  path: string;
  /** Evidence strength per aspect (pre-drawn). */
  strength: Record<Aspect, number>;
}

interface Need {
  kind: NeedKind;
  title: string;
  requester: Requester;
  mentions: number;
  effort: Effort;
  loudest: boolean;
}

type Known = 'docs' | 'team' | 'identified' | 'config' | 'proposal';

type QuestionQuality = 'good' | 'vague' | 'docs_answered' | 'redundant';

interface Question {
  step: number;
  topic: Topic;
  context: QuestionContext;
  /** The context the candidate's actions back (a claim of having tried with nothing read is downgraded). */
  effective: QuestionContext;
  quality: QuestionQuality;
  exchanges: number;
  answered: boolean;
}

interface Read {
  step: number;
  file: number;
  first: boolean;
  /** Reads so far, this one included. */
  ordinal: number;
}

interface DocsRead {
  step: number;
  section: Section;
  first: boolean;
  revealed: number;
}

interface Search {
  step: number;
  aspect: Aspect;
  first: boolean;
  found: number;
}

interface Identification {
  step: number;
  aspect: Aspect;
  outcome: 'confirmed' | 'unsettled' | 'already_known';
  confidence?: number;
}

interface Proposal {
  step: number;
  need: number;
  top: boolean;
  repeated: boolean;
}

const CONTEXT_LEVEL: Record<QuestionContext, number> = { none: 0, tried: 1, tried_and_proposal: 2 };

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

const LABELS = new Map<string, string>();

/** A snake_case name as words ("error_handling" -> "error handling"), memoized: responses use it every step. */
function articleFree(value: string): string {
  let label = LABELS.get(value);
  if (label === undefined) {
    label = value.replaceAll('_', ' ');
    LABELS.set(value, label);
  }
  return label;
}

class BorrowingArrivalEpisode implements Episode {
  private readonly teamDomain: Domain;
  private readonly teamLanguage: Language;
  private readonly homeDomain: Domain;
  private readonly homeLanguage: Language;
  private readonly level: number;
  private readonly conventions: Record<Aspect, string>;
  private readonly habits: Record<Aspect, string>;
  private readonly documented: Record<Topic, boolean>;
  private readonly roadmapSays: number;
  private readonly files: FileInfo[];
  private readonly needs: Need[];
  private readonly top: number;
  private readonly setupText: string;
  private readonly searchStrength: Record<Aspect, number>;
  private readonly absorb: Record<Aspect, number>;
  /** Per aspect: draw against LEGACY_COPY when the legacy module was read. */
  private readonly legacyCopy: Record<Aspect, number>;
  /** Per topic, per attempt: exchanges draw and answer draw. */
  private readonly questionFates: Record<Topic, { exchanges: number[]; answer: number[] }>;
  private readonly acceptFate: number;
  /** How much harder the work turns out than its estimate (pre-drawn, 0.8..1.6). */
  private readonly surprise: number;
  /** Share of the team's suite that already fails for reasons unrelated to the contribution. */
  private readonly preexistingFailures: number;
  /** The static parts of the view. */
  private readonly publicTeam: { domain: Domain; language: Language };
  private readonly publicHome: { domain: Domain; language: Language; habits: Record<Aspect, string> };
  /** Built on first use (only the random persona and the checkers ask). */
  private legal: Action[] | undefined;
  /** Parts of the view rebuilt only when an action changes them (an observation is built every step). */
  private readonly cache: {
    needs?: unknown[];
    files?: unknown[];
    docs?: unknown[];
    questions?: unknown[];
    identified?: unknown[];
    knowledge?: { conventions: Record<string, string | null>; evidence: Record<Aspect, number>; searched: Aspect[] };
  } = {};

  // Public state.
  private readonly reads: Read[] = [];
  private readonly readCount: number[] = new Array(FILES).fill(0);
  private readonly evidence: Record<Aspect, number> = { naming: 0, error_handling: 0, test_style: 0, module_layout: 0, logging: 0 };
  private readonly searches: Search[] = [];
  private readonly docs: DocsRead[] = [];
  private readonly sectionRead: Record<Section, boolean> = { readme: false, contributing: false, architecture: false, roadmap: false };
  private readonly known: Partial<Record<Topic, Known>> = {};
  private readonly questions: Question[] = [];
  private readonly askedCount: Record<Topic, number> = {
    naming: 0,
    error_handling: 0,
    test_style: 0,
    module_layout: 0,
    logging: 0,
    priority: 0,
    setup: 0,
  };
  private readonly identifications: Identification[] = [];
  private readonly proposals: Proposal[] = [];
  private readonly ruledOut = new Set<number>();
  private hours = 0;
  private teamHours = 0;
  private chosen: number | undefined;
  private startStep = -1;

  constructor(rng: Rng, options: ScenarioOptions) {
    this.level = difficultyLevel(rng, options.difficulty);
    this.teamDomain = options.domain ?? rng.pick(DOMAINS);
    this.teamLanguage = options.language ?? rng.pick(LANGUAGES);
    this.homeDomain = rng.pick(DOMAINS.filter((d) => d !== this.teamDomain));
    this.homeLanguage = rng.pick(LANGUAGES.filter((l) => l !== this.teamLanguage));

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
    this.conventions = conventions;
    this.habits = habits;
    this.publicTeam = { domain: this.teamDomain, language: this.teamLanguage };
    this.publicHome = { domain: this.homeDomain, language: this.homeLanguage, habits };

    // Needs: the top priority leans to the team lead's and product owner's asks; the loudest one
    // is the top only sometimes (less often on harder scenarios).
    const count = this.level < 0.35 ? 3 : MAX_NEEDS;
    const kinds = rng.shuffle(NEED_KINDS).slice(0, count) as NeedKind[];
    const requesters = kinds.map(() => rng.pick(REQUESTERS));
    this.top = rng.weightedIndex(requesters.map((r) => REQUESTER_WEIGHT[r]));
    const loudTop = rng.chance(0.55 - 0.4 * this.level);
    const others = kinds.map((_, i) => i).filter((i) => i !== this.top);
    const loud = loudTop ? this.top : (rng.pick(others) as number);
    const mentions = kinds.map(() => rng.intBetween(1, 3));
    mentions[loud] = rng.intBetween(4, 6);
    this.needs = kinds.map((kind, i) => ({
      kind,
      title: NEED_TITLES[kind],
      requester: requesters[i] as Requester,
      mentions: mentions[i] as number,
      effort: rng.pick(EFFORTS),
      loudest: i === loud,
    }));

    // Docs: each topic is documented in its section with a probability that falls with difficulty.
    const pDoc = 0.8 - 0.5 * this.level;
    const documented = {} as Record<Topic, boolean>;
    for (const topic of TOPICS) documented[topic] = rng.chance(pDoc);
    this.documented = documented;
    const roadmapRight = rng.chance(ROADMAP_ACCURACY);
    this.roadmapSays = !documented.priority ? -1 : roadmapRight ? this.top : loud !== this.top ? loud : (rng.pick(others) as number);
    this.setupText = rng.pick(SETUP_TEXTS);

    // The layout: eight files in shuffled order, each with pre-drawn evidence per aspect.
    const fileRng = rng.fork('files');
    const order = fileRng.shuffle(LAYOUT);
    let coreIndex = 0;
    this.files = order.map((role) => {
      // A literal in ASPECTS order (draws in that order, same keys and key order as a loop over ASPECTS).
      const table = EVIDENCE_TABLE[role];
      const strength: Record<Aspect, number> = {
        naming: strengthDraw(fileRng, table.naming),
        error_handling: strengthDraw(fileRng, table.error_handling),
        test_style: strengthDraw(fileRng, table.test_style),
        module_layout: strengthDraw(fileRng, table.module_layout),
        logging: strengthDraw(fileRng, table.logging),
      };
      const path = pathFor(role, role === 'core' ? coreIndex++ : 0, this.teamDomain, this.teamLanguage);
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
    this.searchStrength = searchStrength;
    this.absorb = absorb;
    this.legacyCopy = legacyCopy;
    const questionFates = {} as Record<Topic, { exchanges: number[]; answer: number[] }>;
    for (const topic of TOPICS)
      questionFates[topic] = {
        exchanges: [fates.next(), fates.next(), fates.next(), fates.next()],
        answer: [fates.next(), fates.next(), fates.next(), fates.next()],
      };
    this.questionFates = questionFates;
    this.acceptFate = fates.next();
    this.surprise = fates.uniform(0.8, 1.6);
    this.preexistingFailures = fates.chance(0.4) ? fates.uniform(0.02, 0.15) : 0;
  }

  // --- public view --------------------------------------------------------------------------------

  private priorityKnown(): boolean {
    return this.known.priority !== undefined;
  }

  view(): Record<string, unknown> {
    // Cached parts are replaced, never mutated, so earlier observations stay as they were.
    const c = this.cache;
    if (!c.knowledge) {
      const conventions: Record<string, string | null> = {};
      for (const aspect of ASPECTS) conventions[aspect] = this.known[aspect] !== undefined ? this.conventions[aspect] : null;
      c.knowledge = { conventions, evidence: { ...this.evidence }, searched: this.searches.filter((s) => s.first).map((s) => s.aspect) };
    }
    c.needs ??= this.needs.map((n, index) => ({
      index,
      kind: n.kind,
      title: n.title,
      requester: n.requester,
      mentions: n.mentions,
      effort: n.effort,
      loudest: n.loudest,
      proposed: this.proposals.some((p) => p.need === index),
      ruledOut: this.ruledOut.has(index),
    }));
    c.files ??= this.files.map((f, index) => ({ index, path: f.path, role: f.role, reads: this.readCount[index] }));
    c.docs ??= SECTIONS.map((section) => ({ section, read: this.sectionRead[section] }));
    c.questions ??= this.questions.map((q) => ({
      topic: q.topic,
      context: q.context,
      quality: q.quality,
      exchanges: q.exchanges,
      answered: q.answered,
    }));
    c.identified ??= this.identifications.map((i) => ({ aspect: i.aspect, outcome: i.outcome }));
    return {
      team: this.publicTeam,
      home: this.publicHome,
      needs: c.needs,
      files: c.files,
      docs: c.docs,
      conventionOptions: CONVENTION_VALUES,
      /** Convention evidence gathered per aspect (file reads and code searches). */
      evidence: c.knowledge.evidence,
      searched: c.knowledge.searched,
      /** Conventions known (confirmed, documented or told); null when not known. */
      conventions: c.knowledge.conventions,
      setup: this.known.setup !== undefined ? this.setupText : null,
      roadmap: this.sectionRead.roadmap ? { topItem: this.roadmapSays >= 0 ? this.roadmapSays : null } : null,
      /** The team's top priority once confirmed (a proposal accepted or the team's answer). */
      priority: this.priorityKnown() ? this.top : null,
      questions: c.questions,
      identified: c.identified,
      hoursSpent: round3(this.hours),
      teamHoursUsed: round3(this.teamHours),
    };
  }

  tokens(): string[] {
    const out = [
      'task:borrowing_arrival',
      `team_domain:${this.teamDomain}`,
      `team_lang:${this.teamLanguage}`,
      `home_domain:${this.homeDomain}`,
      `home_lang:${this.homeLanguage}`,
    ];
    for (const aspect of ASPECTS) out.push(`habit:${aspect}:${this.habits[aspect]}`);
    for (let i = 0; i < this.needs.length; i++) {
      const n = this.needs[i] as Need;
      out.push(`need${i}:${n.kind}`, `need${i}:${n.requester}`, `need${i}:${n.effort}`);
      if (n.loudest) out.push(`need${i}:loudest`);
      if (this.ruledOut.has(i)) out.push(`need${i}:not_top`);
    }
    for (let i = 0; i < FILES; i++) {
      out.push(`file${i}:${(this.files[i] as FileInfo).role}`);
      if ((this.readCount[i] as number) > 0) out.push(`read:file${i}`);
    }
    for (const section of SECTIONS) if (this.sectionRead[section]) out.push(`docs:${section}`);
    for (const aspect of ASPECTS) {
      out.push(`ev:${aspect}:${Math.min(3, this.evidence[aspect])}`);
      if (this.known[aspect] !== undefined) out.push(`conv:${aspect}:${this.conventions[aspect]}`);
    }
    if (this.sectionRead.roadmap) out.push(this.roadmapSays >= 0 ? `roadmap:need${this.roadmapSays}` : 'roadmap:none');
    if (this.known.setup !== undefined) out.push('setup_known');
    if (this.priorityKnown()) out.push(`priority:need${this.top}`);
    for (const q of this.questions) out.push(`asked:${q.topic}:${q.effective}`, `answer:${q.quality}`);
    for (const i of this.identifications) out.push(`ident:${i.aspect}:${i.outcome}`);
    return out;
  }

  describe(): string {
    const lines = [
      `You are a senior developer from a ${articleFree(this.homeDomain)} team (${this.homeLanguage}) lent for this sprint to a ${articleFree(this.teamDomain)} team working in ${this.teamLanguage}. Find your way in their codebase, learn their conventions, find out what they need most, and make a first useful contribution without draining their time.`,
      '',
      'Needs the team has mentioned:',
    ];
    for (let i = 0; i < this.needs.length; i++) {
      const n = this.needs[i] as Need;
      const status = this.ruledOut.has(i) ? ' — the team says it is not the top priority' : '';
      lines.push(
        `- [${i}] ${n.title} (asked by the ${articleFree(n.requester)}, mentioned ${n.mentions} times, ${n.effort} effort)${n.loudest ? ' — the loudest request' : ''}${status}`,
      );
    }
    lines.push('', 'Codebase layout:');
    for (let i = 0; i < FILES; i++) {
      const f = this.files[i] as FileInfo;
      lines.push(`- [${i}] ${f.path} (${f.role})${(this.readCount[i] as number) > 0 ? ' — read' : ''}`);
    }
    lines.push('', `Docs sections: ${SECTIONS.map((s) => `${s}${this.sectionRead[s] ? ' (read)' : ''}`).join(', ')}.`);
    lines.push('', 'Conventions (your home team habit; what you know of theirs):');
    for (const aspect of ASPECTS) {
      const known = this.known[aspect] !== undefined ? `theirs: ${articleFree(this.conventions[aspect])}` : 'theirs: not known yet';
      lines.push(
        `- ${articleFree(aspect)}: options ${CONVENTION_VALUES[aspect].map(articleFree).join(' / ')}; yours: ${articleFree(this.habits[aspect])}; ${known}; evidence seen ${this.evidence[aspect]}`,
      );
    }
    if (this.sectionRead.roadmap)
      lines.push(
        this.roadmapSays >= 0 ? `The roadmap lists need ${this.roadmapSays} as its top item.` : 'The roadmap has no current items.',
      );
    if (this.known.setup !== undefined) lines.push(`How to run the tests: ${this.setupText}`);
    if (this.priorityKnown()) lines.push(`The team confirmed need ${this.top} as its top priority.`);
    for (const q of this.questions)
      lines.push(
        `You asked the team about ${articleFree(q.topic)} (${articleFree(q.context)}): ${q.quality === 'docs_answered' ? 'they pointed you to the docs' : q.answered ? 'answered' : 'no real answer'} after ${q.exchanges} exchange(s).`,
      );
    lines.push(`Time spent: ${this.hours} h of yours, ${round3(this.teamHours)} h of the team's.`);
    return lines.join('\n');
  }

  legalActions(): Action[] {
    if (this.legal) return this.legal;
    const legal: Action[] = [];
    for (let file = 0; file < FILES; file++) legal.push({ type: 'read_file', args: { file } });
    for (const pattern of ASPECTS) legal.push({ type: 'search_code', args: { pattern } });
    for (const section of SECTIONS) legal.push({ type: 'read_docs', args: { section } });
    for (const topic of TOPICS) for (const context of QUESTION_CONTEXTS) legal.push({ type: 'ask_team', args: { topic, context } });
    for (const aspect of ASPECTS) legal.push({ type: 'identify_conventions', args: { aspect } });
    for (let need = 0; need < this.needs.length; need++) legal.push({ type: 'propose_contribution', args: { need } });
    for (let need = 0; need < this.needs.length; need++) legal.push({ type: 'start_work', args: { need } });
    this.legal = legal;
    return legal;
  }

  // --- actions ------------------------------------------------------------------------------------

  act(action: Action, step: number): ActionResult {
    const args = action.args ?? {};
    const c = this.cache;
    switch (action.type) {
      case 'read_file':
        c.files = c.knowledge = undefined;
        return { ok: true, response: this.readFile(args.file as number, step), terminal: false };
      case 'search_code':
        c.knowledge = undefined;
        return { ok: true, response: this.search(args.pattern as Aspect, step), terminal: false };
      case 'read_docs':
        c.docs = c.knowledge = undefined;
        return { ok: true, response: this.readDocs(args.section as Section, step), terminal: false };
      case 'ask_team':
        c.questions = c.knowledge = undefined;
        return { ok: true, response: this.ask(args.topic as Topic, args.context as QuestionContext, step), terminal: false };
      case 'identify_conventions':
        c.identified = c.knowledge = undefined;
        return { ok: true, response: this.identify(args.aspect as Aspect, step, action.confidence), terminal: false };
      case 'propose_contribution': {
        const need = args.need as number;
        if (!(need >= 0 && need < this.needs.length))
          return { ok: false, error: `no need ${need}: this team has needs 0..${this.needs.length - 1}` };
        c.needs = undefined;
        return { ok: true, response: this.propose(need, step), terminal: false };
      }
      case 'start_work': {
        const need = args.need as number;
        if (!(need >= 0 && need < this.needs.length))
          return { ok: false, error: `no need ${need}: this team has needs 0..${this.needs.length - 1}` };
        this.chosen = need;
        this.startStep = step;
        return { ok: true, response: `You start work on need ${need}: ${(this.needs[need] as Need).title}.`, terminal: true };
      }
      default:
        return { ok: false, error: `unknown action ${action.type}` };
    }
  }

  private readFile(file: number, step: number): string {
    const f = this.files[file] as FileInfo;
    const first = this.readCount[file] === 0;
    this.readCount[file] = (this.readCount[file] as number) + 1;
    this.reads.push({ step, file, first, ordinal: this.reads.length + 1 });
    if (!first) {
      this.hours += HOURS_REREAD;
      return `${f.path}: nothing new since you last read it.`;
    }
    this.hours += HOURS_READ;
    const shown: string[] = [];
    for (const aspect of ASPECTS) {
      const s = f.strength[aspect];
      if (s > 0) {
        this.evidence[aspect] += s;
        shown.push(`${articleFree(aspect)} (${s === 2 ? 'clearly' : 'in passing'})`);
      }
    }
    let text = `${f.path} (${f.role}): `;
    if (f.role === 'legacy') text += 'an old module that predates the current conventions; the team does not copy it. ';
    if (f.role === 'vendored') text += 'third-party code, not written by the team. ';
    text += shown.length > 0 ? `it shows the team's ${shown.join(', ')}.` : 'it shows nothing of the team conventions.';
    if (f.role === 'config' && this.known.setup === undefined) {
      this.known.setup = 'config';
      text += ` How to run the tests: ${this.setupText}`;
    }
    return text;
  }

  private search(aspect: Aspect, step: number): string {
    const first = !this.searches.some((s) => s.aspect === aspect);
    const found = first ? this.searchStrength[aspect] : 0;
    this.searches.push({ step, aspect, first, found });
    this.hours += HOURS_SEARCH;
    if (!first) return `Searching for ${articleFree(aspect)} again turns up the same hits.`;
    this.evidence[aspect] += found;
    return found > 0
      ? `The search finds a clear example of the team's ${articleFree(aspect)} in current code.`
      : `The hits for ${articleFree(aspect)} are mostly in legacy and vendored code: inconclusive.`;
  }

  private readDocs(section: Section, step: number): string {
    const first = !this.sectionRead[section];
    this.sectionRead[section] = true;
    if (!first) {
      this.hours += HOURS_REREAD;
      this.docs.push({ step, section, first, revealed: 0 });
      return `The ${section} section reads the same as before.`;
    }
    this.hours += HOURS_DOCS;
    const parts: string[] = [];
    let revealed = 0;
    if (section === 'roadmap') {
      parts.push(
        this.roadmapSays >= 0
          ? `The roadmap (updated this quarter) lists "${(this.needs[this.roadmapSays] as Need).title}" as its top item.`
          : 'The roadmap has no current items.',
      );
    } else {
      for (const topic of TOPICS) {
        if (TOPIC_SECTION[topic] !== section) continue;
        if (!this.documented[topic]) {
          parts.push(`${articleFree(topic)}: not covered.`);
          continue;
        }
        if (this.known[topic] === undefined) {
          this.known[topic] = 'docs';
          revealed++;
        }
        parts.push(
          topic === 'setup'
            ? `How to run the tests: ${this.setupText}`
            : `${articleFree(topic)}: ${articleFree(this.conventions[topic as Aspect])}.`,
        );
      }
    }
    this.docs.push({ step, section, first, revealed });
    return `The ${section} section. ${parts.join(' ')}`;
  }

  /** The context the candidate's own actions back for a question on `topic` (0 none, 1 tried, 2 with a proposal). */
  private backedLevel(topic: Topic): number {
    if (topic === 'priority') return this.sectionRead.roadmap || this.proposals.length > 0 ? 2 : this.sectionRead.readme ? 1 : 0;
    if (topic === 'setup') return (this.readCount[this.fileIndex('config')] as number) > 0 ? 2 : this.sectionRead.readme ? 1 : 0;
    if (this.evidence[topic] >= 1) return 2;
    return this.sectionRead[TOPIC_SECTION[topic]] || this.searches.some((s) => s.aspect === topic) ? 1 : 0;
  }

  private fileIndex(role: FileRole): number {
    return this.files.findIndex((f) => f.role === role);
  }

  /** Charges team hours for the candidate's questions; past the team's patience they cost double. */
  private chargeTeam(hours: number): void {
    this.teamHours += this.teamHours >= TEAM_PATIENCE ? 2 * hours : hours;
  }

  private ask(topic: Topic, context: QuestionContext, step: number): string {
    const attempt = Math.min(3, this.askedCount[topic]);
    this.askedCount[topic]++;
    const fate = this.questionFates[topic];
    const question: Question = { step, topic, context, effective: context, quality: 'good', exchanges: 1, answered: true };
    this.questions.push(question);
    if (this.known[topic] !== undefined) {
      question.quality = 'redundant';
      question.effective = context;
      this.chargeTeam(TEAM_PER_EXCHANGE);
      this.hours += HOURS_PER_EXCHANGE;
      return `The team reminds you that you already know this (${articleFree(topic)}).`;
    }
    const section = TOPIC_SECTION[topic];
    if (this.documented[topic] && !this.sectionRead[section]) {
      question.quality = 'docs_answered';
      this.chargeTeam(TEAM_PER_EXCHANGE + TEAM_DOCS_ANSWERED);
      this.hours += HOURS_PER_EXCHANGE;
      this.known[topic] = 'team';
      return `"It's in the ${section} docs." ${this.answerText(topic)}`;
    }
    const level = Math.min(CONTEXT_LEVEL[context], this.backedLevel(topic));
    question.effective = QUESTION_CONTEXTS[level] as QuestionContext;
    const x = fate.exchanges[attempt] as number;
    const exchanges = level === 0 ? (x < 0.5 ? 2 : 3) : level === 1 ? (x < 0.35 ? 1 : 2) : x < 0.9 ? 1 : 2;
    const answered = level > 0 || (fate.answer[attempt] as number) < 0.6;
    question.quality = level === 0 ? 'vague' : 'good';
    question.exchanges = exchanges;
    question.answered = answered;
    this.chargeTeam(TEAM_PER_EXCHANGE * exchanges);
    this.hours += HOURS_PER_EXCHANGE * exchanges;
    const downgraded = CONTEXT_LEVEL[context] > level ? ' (they could tell you had not looked yet)' : '';
    if (!answered) return `After ${exchanges} exchanges the team suggests you look around the code first${downgraded}.`;
    this.known[topic] = 'team';
    return `Resolved after ${exchanges} exchange(s)${downgraded}. ${this.answerText(topic)}`;
  }

  private answerText(topic: Topic): string {
    if (topic === 'priority') return `Top priority: need ${this.top}, ${(this.needs[this.top] as Need).title}.`;
    if (topic === 'setup') return `How to run the tests: ${this.setupText}`;
    return `${articleFree(topic)}: ${articleFree(this.conventions[topic])}.`;
  }

  private identify(aspect: Aspect, step: number, confidence: number | undefined): string {
    this.hours += HOURS_IDENTIFY;
    const record: Identification = { step, aspect, outcome: 'confirmed' };
    if (confidence !== undefined) record.confidence = confidence;
    this.identifications.push(record);
    if (this.known[aspect] !== undefined) {
      record.outcome = 'already_known';
      return `Already settled: ${articleFree(aspect)} is ${articleFree(this.conventions[aspect])}.`;
    }
    if (this.evidence[aspect] >= EVIDENCE_TO_CONFIRM) {
      this.known[aspect] = 'identified';
      return `The code you read agrees: ${articleFree(aspect)} is ${articleFree(this.conventions[aspect])}.`;
    }
    record.outcome = 'unsettled';
    return `Not settled: you have seen ${articleFree(aspect)} in too few places to tell (evidence ${this.evidence[aspect]}); your home habit is ${articleFree(this.habits[aspect])}.`;
  }

  private propose(need: number, step: number): string {
    const repeated = this.proposals.some((p) => p.need === need);
    const top = need === this.top;
    this.proposals.push({ step, need, top, repeated });
    this.hours += HOURS_PROPOSE;
    this.chargeTeam(TEAM_PROPOSE);
    if (repeated) return `You already proposed need ${need}; the team's answer has not changed.`;
    if (top) {
      this.known.priority = 'proposal';
      return `"Yes — that is our top priority right now." Need ${need} confirmed.`;
    }
    this.ruledOut.add(need);
    return `"That would help, but it is not our top priority right now." Need ${need} is not the top one.`;
  }

  // --- outcome ------------------------------------------------------------------------------------

  private roleRead(role: FileRole): boolean {
    for (let i = 0; i < FILES; i++) if ((this.files[i] as FileInfo).role === role && (this.readCount[i] as number) > 0) return true;
    return false;
  }

  /** Whether the contribution follows each convention (known, picked up by imitation, or home habit by chance). */
  private followed(aspect: Aspect): {
    follows: boolean;
    how: 'known' | 'imitated' | 'habit_match' | 'habit' | 'asserted_habit' | 'legacy_copied' | 'missed';
  } {
    if (this.known[aspect] !== undefined) return { follows: true, how: 'known' };
    // Copying the legacy module's outdated style.
    if (LEGACY_ASPECTS.includes(aspect) && this.roleRead('legacy') && this.legacyCopy[aspect] < LEGACY_COPY)
      return { follows: false, how: 'legacy_copied' };
    // A convention asserted without evidence locks in the home habit: nothing is picked up by imitation.
    const asserted = this.identifications.some((i) => i.aspect === aspect && i.outcome === 'unsettled');
    const e = Math.min(2, this.evidence[aspect]);
    if (!asserted && this.absorb[aspect] < (ABSORB[e] as number)) return { follows: true, how: 'imitated' };
    if (this.habits[aspect] === this.conventions[aspect]) return { follows: true, how: 'habit_match' };
    return { follows: false, how: asserted ? 'asserted_habit' : e > 0 ? 'missed' : 'habit' };
  }

  finish(): EpisodeResult {
    const links: DecisionLink[] = [];
    const entryRead = this.roleRead('entry');
    const coreRead = this.roleRead('core');
    const testsRead = this.roleRead('tests');
    const understanding = 0.3 * (entryRead ? 1 : 0) + 0.4 * (coreRead ? 1 : 0) + 0.3 * (testsRead ? 1 : 0);
    const slowdown = 1 + 0.6 * (1 - understanding);
    const setupKnown = this.known.setup !== undefined;
    const topNeed = this.needs[this.top] as Need;
    const target = TARGET_BASE + EFFORT_HOURS[topNeed.effort];
    const delivered = this.chosen !== undefined;
    const onPriority = this.chosen === this.top;

    // Per-aspect adherence of the contribution.
    const follow = {} as Record<Aspect, ReturnType<BorrowingArrivalEpisode['followed']>>;
    let violations = 0;
    let reviewViolations = 0;
    for (const aspect of ASPECTS) {
      follow[aspect] = this.followed(aspect);
      if (!follow[aspect].follows) {
        violations++;
        if (aspect === 'naming' || aspect === 'error_handling' || aspect === 'logging') reviewViolations++;
      }
    }
    const testStyleFollowed = follow.test_style.follows;
    const layoutFollowed = follow.module_layout.follows;

    // Questions: team time, one-exchange resolution.
    let resolvedInOne = 0;
    let docsAnswered = 0;
    let redundant = 0;
    let vague = 0;
    let unbacked = 0;
    for (const q of this.questions) {
      if (q.quality === 'docs_answered') docsAnswered++;
      else if (q.quality === 'redundant') redundant++;
      else {
        if (q.quality === 'vague') vague++;
        if (q.exchanges === 1 && q.answered) resolvedInOne++;
      }
      if (CONTEXT_LEVEL[q.context] > CONTEXT_LEVEL[q.effective]) unbacked++;
    }

    let components: OutcomeComponents;
    let accepted = false;
    let iterations = 0;
    let rework = 0;
    let timeToUseful: number;
    let teamLost = this.teamHours;
    let testsFinal = 0;
    let velocity: number;
    if (!delivered) {
      timeToUseful = this.hours + 8;
      velocity = clamp01(1 - (teamLost + 0.5 * Math.max(0, timeToUseful - target)) / VELOCITY_BUDGET);
      components = {
        story_accepted: 0,
        tests_passing: 0,
        low_iteration_count: 0,
        velocity_maintained: velocity,
        low_rework: 0,
        coverage_threshold: 0,
      };
      links.push({ step: -1, effect: 'no_contribution', value: -0.5, note: 'the turn limit came before any contribution' });
    } else {
      const chosen = this.needs[this.chosen as number] as Need;
      iterations = Math.min(5, 1 + reviewViolations + (setupKnown ? 0 : 1) + (testsRead ? 0 : 1));
      const implHours = EFFORT_HOURS[chosen.effort] * slowdown * this.surprise;
      timeToUseful = this.hours + implHours + 0.75 * (iterations - 1);
      teamLost += TEAM_REVIEW_ROUND * (iterations - 1);
      if (!onPriority) {
        // The team redirects the candidate; the useful contribution comes after the top need.
        timeToUseful += 1 + EFFORT_HOURS[topNeed.effort] * slowdown * this.surprise;
        teamLost += TEAM_REDIRECT;
        rework++;
      }
      if (!layoutFollowed) rework++;
      if (violations >= 3) rework++;
      const pAccept =
        ACCEPT_CEILING * (onPriority ? 1 : 0.15) * (VIOLATION_FACTOR[violations] as number) * (understanding >= 0.7 ? 1 : 0.85);
      accepted = this.acceptFate < pAccept;
      testsFinal =
        clamp01(0.35 + 0.3 * understanding + 0.2 * (setupKnown ? 1 : 0) + 0.15 * (testStyleFollowed ? 1 : 0)) *
        (1 - this.preexistingFailures);
      velocity = clamp01(1 - (teamLost + 0.5 * Math.max(0, timeToUseful - target)) / VELOCITY_BUDGET);
      components = {
        story_accepted: accepted ? 1 : 0,
        tests_passing: testsFinal,
        low_iteration_count: clamp01(1 - (iterations - 1) / 4),
        velocity_maintained: velocity,
        low_rework: clamp01(1 - 0.4 * rework),
        coverage_threshold: testStyleFollowed ? (testsRead ? 1 : 0.8) : 0.4,
      };
      links.push({
        step: this.startStep,
        effect: onPriority ? 'worked_on_priority' : 'wrong_priority',
        target: `need_${this.chosen}`,
        value: onPriority ? 0.3 : -0.3,
        note: onPriority
          ? `worked on the team's top priority (${topNeed.kind})`
          : `worked on ${chosen.kind}; the team's top priority was ${topNeed.kind}`,
      });
      for (const aspect of ASPECTS) {
        const f = follow[aspect];
        links.push({
          step: this.startStep,
          effect: f.follows ? 'convention_followed' : 'convention_violation',
          target: aspect,
          value: f.follows ? 0.02 : -0.06,
          note: f.follows
            ? `${aspect}: followed (${f.how})`
            : f.how === 'legacy_copied'
              ? `${aspect}: copied the legacy module's outdated style; the team uses ${this.conventions[aspect]}`
              : `${aspect}: used ${this.habits[aspect]} (home habit${f.how === 'asserted_habit' ? ', asserted without evidence' : ''}); the team uses ${this.conventions[aspect]}`,
        });
      }
      if (this.ruledOut.has(this.chosen as number))
        links.push({
          step: this.startStep,
          effect: 'ignored_team_answer',
          target: `need_${this.chosen}`,
          value: -0.1,
          note: 'started on a need the team had said is not its top priority',
        });
      if (!entryRead && !coreRead && !testsRead)
        links.push({
          step: this.startStep,
          effect: 'wrote_before_reading',
          value: -0.1,
          note: 'started work without reading the entry point, a main abstraction or the tests',
        });
    }

    // Links from orientation decisions.
    for (const r of this.reads) {
      const role = (this.files[r.file] as FileInfo).role;
      if (!r.first)
        links.push({ step: r.step, effect: 'repeated_read', target: `file_${r.file}`, value: -0.02, note: 'read again: nothing new' });
      else if (r.ordinal > READ_BUDGET)
        links.push({
          step: r.step,
          effect: 'excess_reading',
          target: `file_${r.file}`,
          value: -0.02,
          note: `file read ${r.ordinal} past ${READ_BUDGET}`,
        });
      else if (role === 'legacy' || role === 'scripts' || role === 'vendored')
        links.push({
          step: r.step,
          effect: 'irrelevant_read',
          target: `file_${r.file}`,
          value: -0.02,
          note: `${role} code says little about how the team works`,
        });
      else links.push({ step: r.step, effect: 'key_file_read', target: role, value: 0.02, note: `read the ${role}` });
    }
    for (const s of this.searches) {
      if (!s.first) links.push({ step: s.step, effect: 'repeated_search', target: s.aspect, value: -0.01, note: 'same search again' });
      else if (s.found > 0)
        links.push({ step: s.step, effect: 'evidence_found', target: s.aspect, value: 0.01, note: `evidence on ${s.aspect}` });
      else
        links.push({
          step: s.step,
          effect: 'search_inconclusive',
          target: s.aspect,
          value: 0,
          note: 'hits only in legacy or vendored code',
        });
    }
    for (const d of this.docs) {
      if (!d.first) links.push({ step: d.step, effect: 'repeated_docs', target: d.section, value: -0.01, note: 'section read again' });
      else
        links.push({
          step: d.step,
          effect: d.revealed > 0 || (d.section === 'roadmap' && this.roadmapSays >= 0) ? 'docs_informative' : 'docs_checked',
          target: d.section,
          value: d.revealed > 0 ? 0.02 : 0,
          note: d.revealed > 0 ? `answered ${d.revealed} topic(s)` : 'checked; nothing settled here',
        });
    }
    for (const q of this.questions) {
      if (q.quality === 'docs_answered')
        links.push({
          step: q.step,
          effect: 'docs_answered_question',
          target: q.topic,
          value: -0.05,
          note: `the ${TOPIC_SECTION[q.topic]} docs answer it`,
        });
      else if (q.quality === 'redundant')
        links.push({ step: q.step, effect: 'redundant_question', target: q.topic, value: -0.05, note: 'already known' });
      else
        links.push({
          step: q.step,
          effect: !q.answered ? 'question_unanswered' : q.exchanges === 1 ? 'resolved_first_exchange' : 'resolved_after_exchanges',
          target: q.topic,
          value: !q.answered ? -0.04 : q.exchanges === 1 ? 0.03 : -0.01 * q.exchanges,
          note: `${q.exchanges} exchange(s), context ${q.effective}`,
        });
      if (CONTEXT_LEVEL[q.context] > CONTEXT_LEVEL[q.effective])
        links.push({
          step: q.step,
          effect: 'unbacked_context',
          target: q.topic,
          value: -0.02,
          note: `claimed ${q.context}, backed ${q.effective}`,
        });
    }
    for (const i of this.identifications)
      links.push({
        step: i.step,
        effect:
          i.outcome === 'confirmed'
            ? 'convention_confirmed'
            : i.outcome === 'unsettled'
              ? 'premature_identification'
              : 'redundant_identification',
        target: i.aspect,
        value: i.outcome === 'confirmed' ? 0.03 : i.outcome === 'unsettled' ? -0.03 : -0.01,
        note:
          i.outcome === 'confirmed'
            ? 'confirmed from the code read'
            : i.outcome === 'unsettled'
              ? 'asserted without enough evidence'
              : 'already known',
      });
    for (const p of this.proposals)
      links.push({
        step: p.step,
        effect: p.repeated ? 'redundant_proposal' : p.top ? 'priority_confirmed' : 'priority_ruled_out',
        target: `need_${p.need}`,
        value: p.repeated ? -0.02 : p.top ? 0.05 : 0.01,
        note: p.repeated ? 'proposed again' : p.top ? 'the team confirmed its top priority' : 'not the top priority',
      });

    const keyRolesRead = (entryRead ? 1 : 0) + (coreRead ? 1 : 0) + (testsRead ? 1 : 0);
    const firstReads = this.reads.filter((r) => r.first).length;
    const irrelevantReads = this.reads.filter(
      (r) => r.first && ['legacy', 'scripts', 'vendored'].includes((this.files[r.file] as FileInfo).role),
    ).length;
    const knownConventions = ASPECTS.filter((a) => this.known[a] !== undefined).length;
    const docsAnswerable = TOPICS.filter((t) => this.documented[t]).length;
    const helpNeeded = !this.documented.priority || this.roadmapSays !== this.top;
    const priorityAskedOrProposed = this.proposals.length > 0 || this.questions.some((q) => q.topic === 'priority');
    return {
      facts: {
        delivered,
        chosenNeed: this.chosen ?? -1,
        topPriority: this.top,
        onPriority,
        loudestIsTop: topNeed.loudest,
        chosenLoudest: delivered && (this.needs[this.chosen as number] as Need).loudest,
        priorityConfirmed: this.known.priority !== undefined,
        priorityConfirmedBeforeStart: this.known.priority !== undefined && delivered,
        proposals: this.proposals.length,
        roadmapDocumented: this.documented.priority,
        roadmapRight: this.roadmapSays === this.top,
        helpNeededForPriority: helpNeeded,
        priorityAskedOrProposed,
        conventionViolations: delivered ? violations : -1,
        conventionsKnown: knownConventions,
        conventionsConfirmed: this.identifications.filter((i) => i.outcome === 'confirmed').length,
        prematureIdentifications: this.identifications.filter((i) => i.outcome === 'unsettled').length,
        identifications: this.identifications.length,
        habitMatches: ASPECTS.filter((a) => this.habits[a] === this.conventions[a]).length,
        entryRead,
        coreRead,
        testsRead,
        configRead: this.roleRead('config'),
        keyRolesRead,
        filesRead: firstReads,
        readActions: this.reads.length,
        irrelevantReads,
        excessReads: this.reads.filter((r) => r.first && r.ordinal > READ_BUDGET).length,
        searches: this.searches.length,
        docsSectionsRead: SECTIONS.filter((s) => this.sectionRead[s]).length,
        docsAnswerableTopics: docsAnswerable,
        understanding: round3(understanding),
        setupKnown,
        questions: this.questions.length,
        questionsResolvedInOne: resolvedInOne,
        docsAnsweredQuestions: docsAnswered,
        redundantQuestions: redundant,
        vagueQuestions: vague,
        unbackedContext: unbacked,
        storyAccepted: accepted,
        iterations,
        reworkCount: rework,
        candidateHours: round3(this.hours),
        teamHours: round3(teamLost),
        questionTeamHours: round3(this.teamHours),
        timeToUsefulHours: round3(timeToUseful),
        targetHours: target,
        testsPassingFinal: round3(testsFinal),
        velocityEffect: round3(velocity - 1),
      },
      components,
      links,
    };
  }

  hidden(): Record<string, unknown> {
    return {
      conventions: { ...this.conventions },
      documented: { ...this.documented },
      topPriority: this.top,
      roadmapSays: this.roadmapSays,
      setup: this.setupText,
      fileStrength: this.files.map((f) => ({ role: f.role, strength: f.strength })),
      searchStrength: { ...this.searchStrength },
      level: round3(this.level),
      effortSurprise: round3(this.surprise),
      preexistingFailures: round3(this.preexistingFailures),
    };
  }

  secrets(): Secret[] {
    const out: Secret[] = ASPECTS.map((aspect) => ({
      id: `convention_${aspect}`,
      text: `The receiving team's ${aspect} convention is ${this.conventions[aspect]}.`,
      revealed: this.known[aspect] !== undefined,
    }));
    out.push(
      {
        id: 'top_priority',
        text: `The team's actual top priority is need ${this.top} (${(this.needs[this.top] as Need).kind}).`,
        revealed: this.known.priority !== undefined,
      },
      { id: 'setup', text: this.setupText, revealed: this.known.setup !== undefined },
      {
        id: 'docs_coverage',
        text: `Documented topics: ${TOPICS.filter((t) => this.documented[t]).join(', ') || 'none'}.`,
        revealed: SECTIONS.every((s) => this.sectionRead[s]),
      },
    );
    return out;
  }
}

const NEED_ARG = { kind: 'int', min: 0, max: MAX_NEEDS - 1, description: 'index of a need in the list' } as const;

export const borrowingArrival: EpisodeWorld = {
  name: 'borrowing_arrival',
  summary:
    "Lent to an unfamiliar team: read the codebase's layout, entry point, main abstractions and tests, learn its conventions from the code and the docs, ask good questions only about what the docs do not answer, confirm the team's real priority, then start a first contribution that follows their conventions.",
  actions: {
    read_file: {
      description:
        'Read one file of the codebase: convention evidence (entry, core, tests, config show the most); the config shows how to run the tests.',
      args: { file: { kind: 'int', min: 0, max: FILES - 1, description: 'index of a file in the layout' } },
    },
    search_code: {
      description: 'Search the code for examples of one convention aspect (cheap; may be inconclusive).',
      args: { pattern: { kind: 'enum', values: ASPECTS, description: 'the convention aspect to look for' } },
    },
    ask_team: {
      description:
        'Ask the team a question. It costs their time; asking what the docs answer is low quality; stating what you tried and a proposed answer gets it resolved in one exchange.',
      args: {
        topic: { kind: 'enum', values: TOPICS, description: 'what the question is about' },
        context: { kind: 'enum', values: QUESTION_CONTEXTS, description: 'what the request states besides the question' },
      },
    },
    read_docs: {
      description:
        'Read one section of the team docs (readme: setup; contributing: naming, errors, tests; architecture: layout, logging; roadmap: priorities).',
      args: { section: { kind: 'enum', values: SECTIONS, description: 'docs section' } },
    },
    identify_conventions: {
      description: 'State the team convention for one aspect; confirmed only when the code you read shows it clearly enough.',
      args: { aspect: { kind: 'enum', values: ASPECTS, description: 'convention aspect' } },
      asserts: true,
    },
    propose_contribution: {
      description: 'Propose working on one need; the team says whether it is their top priority.',
      args: { need: NEED_ARG },
    },
    start_work: {
      description: 'Start the first contribution on one need (ends the episode).',
      args: { need: NEED_ARG },
    },
  },
  maxTurns: 30,
  levers: [
    {
      name: 'read_before_write',
      direction: 'up',
      description:
        'Reading the entry point, a main abstraction and the tests before starting raises understanding: faster implementation, passing tests, fewer review rounds, convention evidence.',
    },
    {
      name: 'docs_before_asking',
      direction: 'up',
      description:
        'Reading the docs section that answers a topic before asking about it spares the team time; asking what the docs answer costs the team an extra half hour each time.',
    },
    {
      name: 'identify_conventions',
      direction: 'up',
      description:
        'Stating a convention once the code shows it clearly (evidence >= 2) makes the contribution follow it; unstated conventions are followed only sometimes, the home habit otherwise.',
    },
    {
      name: 'confirm_priority',
      direction: 'up',
      description:
        'Proposing a need (or asking about the priority) before starting reveals whether it is the top one; starting on the loudest request unconfirmed often builds the wrong thing.',
    },
    {
      name: 'help_request_context',
      direction: 'up',
      description:
        'A question that states what was tried (backed by real reading) and a proposed answer is resolved in one exchange; a vague one takes two or three and may get no answer.',
    },
    {
      name: 'read_everything',
      direction: 'down',
      description: `Reading past ${READ_BUDGET} files, or the legacy, scripts and vendored code, costs hours and delays the first useful contribution.`,
    },
    {
      name: 'ask_what_docs_answer',
      direction: 'down',
      description:
        'Questions about documented topics before reading the docs, and repeated questions, drain the team (velocity_maintained falls).',
    },
  ],
  vocabulary: [
    'task:borrowing_arrival',
    ...DOMAINS.flatMap((d) => [`team_domain:${d}`, `home_domain:${d}`]),
    ...LANGUAGES.flatMap((l) => [`team_lang:${l}`, `home_lang:${l}`]),
    ...ASPECTS.flatMap((a) => CONVENTION_VALUES[a].flatMap((v) => [`habit:${a}:${v}`, `conv:${a}:${v}`])),
    ...[0, 1, 2, 3].flatMap((i) => [
      ...NEED_KINDS.map((k) => `need${i}:${k}`),
      ...REQUESTERS.map((r) => `need${i}:${r}`),
      ...EFFORTS.map((e) => `need${i}:${e}`),
      `need${i}:loudest`,
      `need${i}:not_top`,
      `roadmap:need${i}`,
      `priority:need${i}`,
    ]),
    'roadmap:none',
    ...Array.from({ length: FILES }, (_, i) => [...FILE_ROLES.map((r) => `file${i}:${r}`), `read:file${i}`]).flat(),
    ...SECTIONS.map((s) => `docs:${s}`),
    ...ASPECTS.flatMap((a) => [0, 1, 2, 3].map((n) => `ev:${a}:${n}`)),
    'setup_known',
    ...TOPICS.flatMap((t) => QUESTION_CONTEXTS.map((c) => `asked:${t}:${c}`)),
    ...(['good', 'vague', 'docs_answered', 'redundant'] as const).map((q) => `answer:${q}`),
    ...ASPECTS.flatMap((a) => (['confirmed', 'unsettled', 'already_known'] as const).map((o) => `ident:${a}:${o}`)),
  ],
  create: (rng, options) => new BorrowingArrivalEpisode(rng, options),
};
