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
 * Outcome (see `outcome.ts`): the first contribution's relevance (top priority), convention adherence
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

import type { Action, ActionResult, Episode, EpisodeResult, EpisodeWorld, ScenarioOptions, Secret } from '../../core/episode.js';
import { round3 } from '../../core/numbers.js';
import type { Rng } from '../../core/rng.js';
import { DOMAINS, type Domain, EPISODE_SPECS, LANGUAGES, type Language } from '../../spec/episodes.js';
import { withConfidence } from '../common.js';
import {
  type Arrival,
  borrowingArrivalOutcome,
  CONTEXT_LEVEL,
  type DocsRead,
  type Identification,
  type Known,
  type Proposal,
  type Question,
  READ_BUDGET,
  type Read,
  type Search,
  TOPIC_SECTION,
} from './outcome.js';
import { arrivalTokens, articleFree, describeArrival } from './render.js';
import { FILES, type FileInfo, generateScenario, MAX_NEEDS, type Scenario } from './scenario.js';
import {
  ASPECTS,
  type Aspect,
  type BorrowingArrivalFacts,
  type BorrowingArrivalHidden,
  type BorrowingArrivalView,
  CONVENTION_VALUES,
  EFFORTS,
  FILE_ROLES,
  type FileRole,
  IDENTIFICATION_OUTCOMES,
  NEED_KINDS,
  type Need,
  type PublicFile,
  type PublicNeed,
  type PublicQuestion,
  QUESTION_CONTEXTS,
  QUESTION_QUALITIES,
  type QuestionContext,
  REQUESTERS,
  SECTIONS,
  type Section,
  TOPICS,
  type Topic,
} from './types.js';

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
/** Evidence needed before a convention can be confirmed. */
export const EVIDENCE_TO_CONFIRM = 2;
/** Team hours on the candidate's questions past which each further exchange costs double (interruptions compound). */
const TEAM_PATIENCE = 2;

class BorrowingArrivalEpisode implements Episode<BorrowingArrivalView, BorrowingArrivalFacts, BorrowingArrivalHidden>, Arrival {
  readonly scenario: Scenario;
  /** The static parts of the view. */
  private readonly publicTeam: { domain: Domain; language: Language };
  private readonly publicHome: { domain: Domain; language: Language; habits: Record<Aspect, string> };
  /** Built on first use (only the random persona and the checkers ask). */
  private legal: Action[] | undefined;
  /** Parts of the view rebuilt only when an action changes them (an observation is built every step). */
  private readonly cache: {
    needs?: PublicNeed[];
    files?: PublicFile[];
    docs?: BorrowingArrivalView['docs'];
    questions?: PublicQuestion[];
    identified?: BorrowingArrivalView['identified'];
    knowledge?: Pick<BorrowingArrivalView, 'conventions' | 'evidence' | 'searched'>;
  } = {};

  // Public state.
  readonly reads: Read[] = [];
  readonly readCount: number[] = new Array(FILES).fill(0);
  readonly evidence: Record<Aspect, number> = { naming: 0, error_handling: 0, test_style: 0, module_layout: 0, logging: 0 };
  readonly searches: Search[] = [];
  readonly docs: DocsRead[] = [];
  readonly sectionRead: Record<Section, boolean> = { readme: false, contributing: false, architecture: false, roadmap: false };
  readonly known: Partial<Record<Topic, Known>> = {};
  readonly questions: Question[] = [];
  private readonly askedCount: Record<Topic, number> = {
    naming: 0,
    error_handling: 0,
    test_style: 0,
    module_layout: 0,
    logging: 0,
    priority: 0,
    setup: 0,
  };
  readonly identifications: Identification[] = [];
  readonly proposals: Proposal[] = [];
  readonly ruledOut = new Set<number>();
  hours = 0;
  teamHours = 0;
  chosen: number | undefined;
  startStep = -1;

  constructor(rng: Rng, options: ScenarioOptions) {
    const s = generateScenario(rng, options);
    this.scenario = s;
    this.publicTeam = { domain: s.teamDomain, language: s.teamLanguage };
    this.publicHome = { domain: s.homeDomain, language: s.homeLanguage, habits: s.habits };
  }

  // --- public view --------------------------------------------------------------------------------

  private priorityKnown(): boolean {
    return this.known.priority !== undefined;
  }

  view(): BorrowingArrivalView {
    // Cached parts are replaced, never mutated, so earlier observations stay as they were.
    const s = this.scenario;
    const c = this.cache;
    if (!c.knowledge) {
      const conventions = {} as Record<Aspect, string | null>;
      for (const aspect of ASPECTS) conventions[aspect] = this.known[aspect] !== undefined ? s.conventions[aspect] : null;
      c.knowledge = {
        conventions,
        evidence: { ...this.evidence },
        searched: this.searches.filter((search) => search.first).map((search) => search.aspect),
      };
    }
    c.needs ??= s.needs.map((n, index) => ({
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
    c.files ??= s.files.map((f, index) => ({ index, path: f.path, role: f.role, reads: this.readCount[index] as number }));
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
      evidence: c.knowledge.evidence,
      searched: c.knowledge.searched,
      conventions: c.knowledge.conventions,
      setup: this.known.setup !== undefined ? s.setupText : null,
      roadmap: this.sectionRead.roadmap ? { topItem: s.roadmapSays >= 0 ? s.roadmapSays : null } : null,
      priority: this.priorityKnown() ? s.top : null,
      questions: c.questions,
      identified: c.identified,
      hoursSpent: round3(this.hours),
      teamHoursUsed: round3(this.teamHours),
    };
  }

  tokens(): string[] {
    return arrivalTokens(this);
  }

  describe(): string {
    return describeArrival(this);
  }

  legalActions(): Action[] {
    if (this.legal) return this.legal;
    const needs = this.scenario.needs.length;
    const legal: Action[] = [];
    for (let file = 0; file < FILES; file++) legal.push({ type: 'read_file', args: { file } });
    for (const pattern of ASPECTS) legal.push({ type: 'search_code', args: { pattern } });
    for (const section of SECTIONS) legal.push({ type: 'read_docs', args: { section } });
    for (const topic of TOPICS) for (const context of QUESTION_CONTEXTS) legal.push({ type: 'ask_team', args: { topic, context } });
    for (const aspect of ASPECTS) legal.push({ type: 'identify_conventions', args: { aspect } });
    for (let need = 0; need < needs; need++) legal.push({ type: 'propose_contribution', args: { need } });
    for (let need = 0; need < needs; need++) legal.push({ type: 'start_work', args: { need } });
    this.legal = legal;
    return legal;
  }

  // --- actions ------------------------------------------------------------------------------------

  act(action: Action, step: number): ActionResult {
    const args = action.args ?? {};
    const c = this.cache;
    const needs = this.scenario.needs;
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
        if (!(need >= 0 && need < needs.length)) return { ok: false, error: `no need ${need}: this team has needs 0..${needs.length - 1}` };
        c.needs = undefined;
        return { ok: true, response: this.propose(need, step), terminal: false };
      }
      case 'start_work': {
        const need = args.need as number;
        if (!(need >= 0 && need < needs.length)) return { ok: false, error: `no need ${need}: this team has needs 0..${needs.length - 1}` };
        this.chosen = need;
        this.startStep = step;
        return { ok: true, response: `You start work on need ${need}: ${(needs[need] as Need).title}.`, terminal: true };
      }
      default:
        return { ok: false, error: `unknown action ${action.type}` };
    }
  }

  private readFile(file: number, step: number): string {
    const f = this.scenario.files[file] as FileInfo;
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
      text += ` How to run the tests: ${this.scenario.setupText}`;
    }
    return text;
  }

  private search(aspect: Aspect, step: number): string {
    const first = !this.searches.some((s) => s.aspect === aspect);
    const found = first ? this.scenario.searchStrength[aspect] : 0;
    this.searches.push({ step, aspect, first, found });
    this.hours += HOURS_SEARCH;
    if (!first) return `Searching for ${articleFree(aspect)} again turns up the same hits.`;
    this.evidence[aspect] += found;
    return found > 0
      ? `The search finds a clear example of the team's ${articleFree(aspect)} in current code.`
      : `The hits for ${articleFree(aspect)} are mostly in legacy and vendored code: inconclusive.`;
  }

  private readDocs(section: Section, step: number): string {
    const s = this.scenario;
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
        s.roadmapSays >= 0
          ? `The roadmap (updated this quarter) lists "${(s.needs[s.roadmapSays] as Need).title}" as its top item.`
          : 'The roadmap has no current items.',
      );
    } else {
      for (const topic of TOPICS) {
        if (TOPIC_SECTION[topic] !== section) continue;
        if (!s.documented[topic]) {
          parts.push(`${articleFree(topic)}: not covered.`);
          continue;
        }
        if (this.known[topic] === undefined) {
          this.known[topic] = 'docs';
          revealed++;
        }
        parts.push(
          topic === 'setup'
            ? `How to run the tests: ${s.setupText}`
            : `${articleFree(topic)}: ${articleFree(s.conventions[topic as Aspect])}.`,
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
    return this.scenario.files.findIndex((f) => f.role === role);
  }

  /** Charges team hours for the candidate's questions; past the team's patience they cost double. */
  private chargeTeam(hours: number): void {
    this.teamHours += this.teamHours >= TEAM_PATIENCE ? 2 * hours : hours;
  }

  private ask(topic: Topic, context: QuestionContext, step: number): string {
    const attempt = Math.min(3, this.askedCount[topic]);
    this.askedCount[topic]++;
    const fate = this.scenario.questionFates[topic];
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
    if (this.scenario.documented[topic] && !this.sectionRead[section]) {
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
    const s = this.scenario;
    if (topic === 'priority') return `Top priority: need ${s.top}, ${(s.needs[s.top] as Need).title}.`;
    if (topic === 'setup') return `How to run the tests: ${s.setupText}`;
    return `${articleFree(topic)}: ${articleFree(s.conventions[topic])}.`;
  }

  private identify(aspect: Aspect, step: number, confidence: number | undefined): string {
    const s = this.scenario;
    this.hours += HOURS_IDENTIFY;
    const record = withConfidence<Identification>({ step, aspect, outcome: 'confirmed' }, confidence);
    this.identifications.push(record);
    if (this.known[aspect] !== undefined) {
      record.outcome = 'already_known';
      return `Already settled: ${articleFree(aspect)} is ${articleFree(s.conventions[aspect])}.`;
    }
    if (this.evidence[aspect] >= EVIDENCE_TO_CONFIRM) {
      this.known[aspect] = 'identified';
      return `The code you read agrees: ${articleFree(aspect)} is ${articleFree(s.conventions[aspect])}.`;
    }
    record.outcome = 'unsettled';
    return `Not settled: you have seen ${articleFree(aspect)} in too few places to tell (evidence ${this.evidence[aspect]}); your home habit is ${articleFree(s.habits[aspect])}.`;
  }

  private propose(need: number, step: number): string {
    const repeated = this.proposals.some((p) => p.need === need);
    const top = need === this.scenario.top;
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

  // --- outcome and hidden truth -------------------------------------------------------------------

  finish(): EpisodeResult<BorrowingArrivalFacts> {
    return borrowingArrivalOutcome(this);
  }

  hidden(): BorrowingArrivalHidden {
    const s = this.scenario;
    return {
      conventions: { ...s.conventions },
      documented: { ...s.documented },
      topPriority: s.top,
      roadmapSays: s.roadmapSays,
      setup: s.setupText,
      fileStrength: s.files.map((f) => ({ role: f.role, strength: f.strength })),
      searchStrength: { ...s.searchStrength },
      level: round3(s.level),
      effortSurprise: round3(s.surprise),
      preexistingFailures: round3(s.preexistingFailures),
    };
  }

  secrets(): Secret[] {
    const s = this.scenario;
    const out: Secret[] = ASPECTS.map((aspect) => ({
      id: `convention_${aspect}`,
      text: `The receiving team's ${aspect} convention is ${s.conventions[aspect]}.`,
      revealed: this.known[aspect] !== undefined,
    }));
    out.push(
      {
        id: 'top_priority',
        text: `The team's actual top priority is need ${s.top} (${(s.needs[s.top] as Need).kind}).`,
        revealed: this.known.priority !== undefined,
      },
      { id: 'setup', text: s.setupText, revealed: this.known.setup !== undefined },
      {
        id: 'docs_coverage',
        text: `Documented topics: ${TOPICS.filter((t) => s.documented[t]).join(', ') || 'none'}.`,
        revealed: SECTIONS.every((section) => this.sectionRead[section]),
      },
    );
    return out;
  }
}

const NEED_ARG = { kind: 'int', min: 0, max: MAX_NEEDS - 1, description: 'index of a need in the list' } as const;

export const borrowingArrivalWorld: EpisodeWorld<BorrowingArrivalView, BorrowingArrivalFacts, BorrowingArrivalHidden> = {
  name: 'borrowing_arrival',
  spec: EPISODE_SPECS.borrowing_arrival,
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
    ...QUESTION_QUALITIES.map((q) => `answer:${q}`),
    ...ASPECTS.flatMap((a) => IDENTIFICATION_OUTCOMES.map((o) => `ident:${a}:${o}`)),
  ],
  create: (rng, options) => new BorrowingArrivalEpisode(rng, options),
};
