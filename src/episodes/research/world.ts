/**
 * E-1.5 Research: a technical question that needs outside information, answered with search,
 * documentation and code-search tools (B-16 search strategy, B-17 source evaluation, B-04
 * sufficiency).
 *
 * Setup: a story needs a library feature ("how do we enable response streaming with httpflux in
 * our service?"). The library and its API are fictional, so a model trained here learns how to
 * research, not false facts about real libraries. The question names the library, not the version
 * the codebase uses.
 *
 * Hidden truth: the library's latest major version L, the major V the codebase has pinned (V = L,
 * or V = L-1 in the `pinned` scenario, 30%), the major B in which the feature's API changed, and so
 * the true answer (the `new_api` answer when V >= B, else the `old_api` one). A pool of 5-8
 * sources: official docs pages (the latest major, often older ones), a maintainer's issue thread,
 * two blog posts and one or two forum answers. Each source describes one major version and is accurate for it with a
 * probability by kind (docs 0.80 + 0.12 "does not cover it", maintainer 0.90, blog 0.80, forum
 * 0.55); an inaccurate source gives a plausible wrong answer (a stale docs page gives the old API).
 * A source for a version on the other side of B gives the outdated (or not yet available) answer.
 * How each query kind ranks the sources is pre-drawn per source (the "fates"): a generic query
 * favours popular, older blog and forum content; a specific query favours authority; a versioned
 * query favours sources whose version matches the version searched for, which is the version in
 * use once `search_code` has revealed it and the latest version otherwise. Also pre-drawn: whether
 * a wrong answer would be caught in development, and whether a guess from memory would be right.
 *
 * Levers: search the codebase before a versioned query (the docs for the version in use come up);
 * synthesize from the official docs of the version in use rather than from a forum answer; do not
 * signal without synthesizing (the work proceeds on a guess); do not over-research (searches and
 * fetches cost hours); state low confidence when unsure (the team verifies, catching a wrong answer
 * in development instead of review).
 *
 * Outcome: research that hits the turn limit without `signal_sufficient` overruns its time box and
 * the story slips out of the sprint (every component 0). After `signal_sufficient` the story is
 * implemented with the synthesized answer (or, with none, a guess from memory, right 20%). A
 * correct answer works first time. A wrong one is caught during development with probability base + bonus, where base is
 * 0.35 for an outdated API (it errors) and 0.15 for a plausible wrong answer (it misbehaves
 * silently), and the bonus is 0.55 / 0.30 / 0 for stated low / medium / high (or no) confidence;
 * caught, it costs a second iteration and 1.5 h per story point of rework but the story is still
 * accepted; not caught, review finds it (3 iterations, 3 h per point of rework, story rejected).
 * Research time past a 1-hour allowance, verification time (2 h for low confidence, 1 h for
 * medium) and rework come out of the story's budget of 2 + 3 * points hours (velocity_maintained).
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
import { DOMAINS, type Domain, LANGUAGES, type Language, STORY_POINTS, type StoryPoints } from '../../spec/episodes.js';
import type { OutcomeComponents } from '../../spec/reward.js';

export const QUERY_KINDS = ['generic', 'specific', 'versioned'] as const;
export type QueryKind = (typeof QUERY_KINDS)[number];
export const CONFIDENCE_LEVELS = ['low', 'medium', 'high'] as const;
export type ConfidenceLevel = (typeof CONFIDENCE_LEVELS)[number];
export const SOURCE_KINDS = ['official_docs', 'maintainer_issue', 'blog', 'forum_answer'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];
type AnswerId = 'new_api' | 'old_api' | 'wrong' | 'none';

/** Highest result index (results are numbered 0.. in the order searches surface them). */
const MAX_SOURCES = 10;
/** Results returned by one search. */
const RESULTS_PER_SEARCH = 4;
/** Authority of a source kind in [0, 1] (B-17: docs > maintainers > blogs > forums). */
export const AUTHORITY: Record<SourceKind, number> = { official_docs: 1, maintainer_issue: 0.8, blog: 0.5, forum_answer: 0.3 };
/** Query specificity score in [0, 1], for the facts. */
const SPECIFICITY: Record<QueryKind, number> = { generic: 0, specific: 0.5, versioned: 1 };
/** Stated confidence in [0, 1] for each level when the action carries none. */
const CONFIDENCE_VALUE: Record<ConfidenceLevel, number> = { low: 0.3, medium: 0.6, high: 0.9 };
/** Hours of verification (a spike or contract test) the team adds for each stated confidence level. */
const VERIFICATION_HOURS: Record<ConfidenceLevel, number> = { low: 2, medium: 1, high: 0 };
/** Added chance of catching a wrong answer during development, by stated confidence. */
const VERIFICATION_CATCH: Record<ConfidenceLevel, number> = { low: 0.55, medium: 0.3, high: 0 };
/** Hours per action (developer time). */
const HOURS = { search: 0.25, fetch: 0.5, search_code: 0.25, synthesize: 0.25, assess: 0.05, refetch: 0.1 } as const;
/** Extra hours for each search past the second (context switches, skimming noise). */
const HOURS_PER_EXCESS_SEARCH = 0.5;
/** Research hours every story can spend without losing velocity. */
const RESEARCH_ALLOWANCE = 1;
/** Chance that implementing from memory, without research, happens to be right. */
const GUESS_RIGHT = 0.2;

interface Topic {
  /** Library base name (fictional). */
  lib: string;
  feature: string;
  newApi: string;
  oldApi: string;
  wrong: string;
  /** Why the wrong answer is wrong (hidden; for the trace). */
  wrongWhy: string;
  /** Where the codebase uses the library today (revealed by search_code). */
  usage: string;
}

const TOPICS: Record<Domain, readonly Topic[]> = {
  crud_api: [
    {
      lib: 'routekit',
      feature: 'per-client rate limiting',
      newApi: 'register the RateLimiter middleware on the router with the limit and window options',
      oldApi: 'set rateLimit with max and perSeconds in the server config object',
      wrong: 'set the throttle option on each route handler',
      wrongWhy: 'throttle only adds advisory rate-limit headers to responses',
      usage: 'the router is built in the app module; no middleware is registered yet',
    },
    {
      lib: 'routekit',
      feature: 'cursor-based pagination',
      newApi: 'return a Page object from the handler and enable the cursorPaging plugin',
      oldApi: 'call paginate() on the query builder with a cursor argument',
      wrong: 'set pageSize in the route options and read the offset header',
      wrongWhy: 'pageSize with offsets is offset pagination, which skips rows under concurrent writes',
      usage: 'list endpoints return plain arrays from the repository layer',
    },
  ],
  data_pipeline: [
    {
      lib: 'streamforge',
      feature: 'exactly-once delivery',
      newApi: 'enable transactional mode on the producer and commit consumer offsets inside the transaction',
      oldApi: 'set the delivery guarantee to exactly_once on the consumer group settings',
      wrong: 'set acks to all on the producer',
      wrongWhy: 'acks=all gives durability, not exactly-once delivery',
      usage: 'one producer and one consumer group are created in the ingest job',
    },
  ],
  ml_service: [
    {
      lib: 'tensorserve',
      feature: 'server-side request batching',
      newApi: 'set batching.max_batch_size and batching.timeout_ms in the model config file',
      oldApi: 'start the server with the enable-batching flag and a batching parameters file',
      wrong: 'raise num_workers in the serving config',
      wrongWhy: 'more workers add parallelism but never batch requests',
      usage: 'the model server is started from the deploy script with a model config file',
    },
  ],
  frontend_spa: [
    {
      lib: 'viewstate',
      feature: 'streaming server-side rendering',
      newApi: 'render with renderToStream() and start piping on the shellReady callback',
      oldApi: 'use renderToNodeStream() from the legacy server entry point',
      wrong: 'set ssr to stream in the bundler config',
      wrongWhy: 'the bundler setting only affects the development server',
      usage: 'the server entry renders the app to a string on each request',
    },
  ],
  cli_tool: [
    {
      lib: 'flagship',
      feature: 'shell completion scripts',
      newApi: 'call app.completion() to add a completion subcommand that prints the script',
      oldApi: 'generate the scripts with the gen-completion build command and ship them',
      wrong: 'set autocomplete on each flag definition',
      wrongWhy: 'autocomplete only enables fuzzy matching of flag names',
      usage: 'commands are declared in the cli module with the app builder',
    },
  ],
  library: [
    {
      lib: 'httpflux',
      feature: 'response streaming',
      newApi: 'pass stream: true to request() and iterate over the response body',
      oldApi: 'call client.stream() which returns a chunk iterator',
      wrong: 'set chunked: true in the client config',
      wrongWhy: 'chunked only affects request uploads',
      usage: 'a shared client is created in the transport module and responses are read whole',
    },
  ],
  infrastructure: [
    {
      lib: 'cloudform',
      feature: 'retries with backoff on API throttling',
      newApi: 'configure the provider retry block with adaptive mode and max_attempts',
      oldApi: 'set max_retries on the provider block',
      wrong: 'add depends_on between the throttled resources',
      wrongWhy: 'depends_on orders resources but never retries a throttled call',
      usage: 'one provider block per region is declared in the root module',
    },
  ],
};

const LIB_NAME: Record<Language, (base: string) => string> = {
  python: (b) => `${b}-py`,
  typescript: (b) => `@${b}/core`,
  go: (b) => `${b}-go`,
  rust: (b) => `${b}-rs`,
};

/** Per-source draws of how each query ranks it (noise in [0, 1)). */
interface RankFate {
  generic: number;
  specific: number;
  versioned: number;
}

interface Source {
  kind: SourceKind;
  /** Major version the source describes. */
  version: number;
  /** Publication year. */
  year: number;
  answer: AnswerId;
  title: string;
  snippet: string;
  /** Full text, revealed on fetch. */
  content: string;
  rank: RankFate;
}

interface SearchRecord {
  step: number;
  query: QueryKind;
  /** Major version a versioned query searched for (undefined for other kinds). */
  target?: number;
  /** Result indices returned (new and already known). */
  results: number[];
  /** How many of them were new. */
  newResults: number;
}

interface Fetch {
  step: number;
  /** Result index. */
  result: number;
}

class ResearchEpisode implements Episode {
  private readonly domain: Domain;
  private readonly language: Language;
  private readonly points: StoryPoints;
  private readonly topic: Topic;
  private readonly lib: string;
  private readonly latest: number;
  private readonly inUse: number;
  private readonly breaking: number;
  private readonly pinned: boolean;
  private readonly truth: AnswerId;
  private readonly answers: Record<Exclude<AnswerId, 'none'>, string>;
  /** Sources in pool order (hidden order, shuffled). */
  private readonly pool: Source[];
  /** Pre-computed result lists (pool indices) per query and target version. */
  private readonly rankings = new Map<string, number[]>();
  /** A wrong answer is caught in development when `detect < base + bonus`. */
  private readonly detect: number;
  /** Implementing without research is right when `guess < GUESS_RIGHT`. */
  private readonly guess: number;
  private readonly pinnedText: string;

  /** Pool index of each result index, in the order surfaced. */
  private readonly results: number[] = [];
  private readonly resultOf = new Map<number, number>();
  private readonly fetched = new Set<number>();
  private readonly fetches: Fetch[] = [];
  private readonly searches: SearchRecord[] = [];
  private codeSearchedStep = -1;
  private codeSearches = 0;
  private synthesized = -1;
  private synthStep = -1;
  private synthCodeChecked = false;
  private confidence: ConfidenceLevel | undefined;
  private confidenceValue = 0;
  private confidenceStep = -1;
  private hours = 0;
  private signalled = false;
  private signalStep = -1;
  private refetches = 0;

  constructor(rng: Rng, options: ScenarioOptions) {
    this.domain = options.domain ?? rng.pick(DOMAINS);
    this.language = options.language ?? rng.pick(LANGUAGES);
    const sizes = options.difficulty === 'easy' ? ([1, 2, 3] as const) : options.difficulty === 'hard' ? ([5, 8] as const) : STORY_POINTS;
    this.points = options.storyPoints ?? rng.pick(sizes);
    this.topic = rng.pick(TOPICS[this.domain]);
    this.lib = LIB_NAME[this.language](this.topic.lib);
    this.latest = rng.intBetween(3, 6);
    const pinnedChance = options.difficulty === 'easy' ? 0.1 : options.difficulty === 'hard' ? 0.5 : 0.3;
    this.pinned = rng.chance(pinnedChance);
    this.inUse = this.pinned ? this.latest - 1 : this.latest;
    this.breaking = this.pinned ? this.latest : rng.pick([this.latest - 1, this.latest]);
    this.truth = this.epoch(this.inUse);
    this.answers = { new_api: this.topic.newApi, old_api: this.topic.oldApi, wrong: this.topic.wrong };
    this.pinnedText = `${this.lib} ${this.inUse}.x is pinned in the lockfile`;

    const poolRng = rng.fork('pool');
    const sources: Source[] = [];
    const add = (kind: SourceKind, version: number) => sources.push(this.makeSource(poolRng, kind, Math.max(1, version)));
    add('official_docs', this.latest);
    if (this.pinned || poolRng.chance(0.6)) add('official_docs', this.latest - 1);
    if (this.latest >= 3 && poolRng.chance(0.3)) add('official_docs', this.latest - 2);
    add('maintainer_issue', this.latest - poolRng.weightedIndex([0.4, 0.4, 0.2]));
    for (let i = 0; i < 2; i++) add('blog', this.latest - poolRng.weightedIndex([0.45, 0.3, 0.15, 0.1]));
    const forums = poolRng.intBetween(1, 2);
    for (let i = 0; i < forums; i++) add('forum_answer', this.latest - poolRng.weightedIndex([0.4, 0.3, 0.2, 0.1]));
    this.pool = poolRng.shuffle(sources).slice(0, MAX_SOURCES);

    const fateRng = rng.fork('fates');
    this.detect = fateRng.next();
    this.guess = fateRng.next();
    this.rank('generic', 0);
    this.rank('specific', 0);
    this.rank('versioned', this.latest);
    if (this.inUse !== this.latest) this.rank('versioned', this.inUse);
  }

  /** The answer that holds for a major version. */
  private epoch(version: number): 'new_api' | 'old_api' {
    return version >= this.breaking ? 'new_api' : 'old_api';
  }

  private makeSource(rng: Rng, kind: SourceKind, version: number): Source {
    const u = rng.next();
    const rightFor = this.epoch(version);
    let answer: AnswerId;
    if (kind === 'official_docs') answer = u < 0.08 ? (rightFor === 'new_api' ? 'old_api' : 'wrong') : u < 0.2 ? 'none' : rightFor;
    else answer = u < { maintainer_issue: 0.9, blog: 0.8, forum_answer: 0.55 }[kind] ? rightFor : 'wrong';
    const year = 2025 - 2 * (this.latest - version) - rng.int(2);
    const rank: RankFate = { generic: rng.next(), specific: rng.next(), versioned: rng.next() };
    const { lib } = this;
    const feature = this.topic.feature;
    const issue = 1000 + rng.int(8000);
    // Draws are taken for every kind so the stream does not depend on which texts are built.
    const blogAngle = rng.pick(['a practical guide to', 'getting started with', 'lessons learned with']);
    const forumAsk = rng.pick(['how do I get', 'cannot get', 'best way to do']);
    const votes = 2 + rng.int(12);
    const said = answer === 'none' ? '' : this.answerText(answer);
    let title: string;
    let snippet: string;
    let content: string;
    switch (kind) {
      case 'official_docs': {
        const changed = version >= this.breaking && this.breaking > 1 ? ` Changed in ${this.breaking}.0.` : '';
        title = `${lib} ${version}.x documentation: ${feature}`;
        snippet = `Reference page for ${feature} in ${lib} ${version}.x.`;
        content =
          answer === 'none'
            ? `The ${lib} ${version}.x page lists the client options but does not cover ${feature}; it links to the migration guide.`
            : `${lib} ${version}.x reference: to get ${feature}, ${said}.${changed}`;
        break;
      }
      case 'maintainer_issue':
        title = `${lib} issue #${issue}: ${feature} questions (maintainer replied)`;
        snippet = `A user asks how ${feature} should be configured; a maintainer answers in the thread.`;
        content = `Maintainer (replying about ${lib} ${version}.x): ${said}.`;
        break;
      case 'blog':
        title = `Blog: ${blogAngle} ${feature} in ${lib}`;
        snippet = `A walkthrough of ${feature} with ${lib}, with code samples.`;
        content = `Written for ${lib} ${version}.x: ${said}.`;
        break;
      default:
        title = `Forum: ${forumAsk} ${feature} with ${lib}?`;
        snippet = `A question about ${feature} with an accepted answer and ${votes} votes.`;
        content = `Accepted answer (${lib} ${version}.x): ${said}. Worked for me.`;
    }
    return { kind, version, year, answer, title, snippet, content, rank };
  }

  private answerText(answer: AnswerId): string {
    return answer === 'none' ? '' : this.answers[answer];
  }

  /** Pre-computes a query's result list (top RESULTS_PER_SEARCH pool indices). */
  private rank(query: QueryKind, target: number): void {
    const scores = this.pool.map((s, i) => {
      let score: number;
      if (query === 'generic') {
        const popularity = { official_docs: 0.85, maintainer_issue: 0.4, blog: 0.75, forum_answer: 0.8 }[s.kind];
        score = popularity + 0.1 * (this.latest - s.version) + 0.8 * s.rank.generic;
      } else if (query === 'specific') {
        const relevance = { official_docs: 0.9, maintainer_issue: 0.85, blog: 0.55, forum_answer: 0.5 }[s.kind];
        score = relevance + 0.6 * s.rank.specific;
      } else {
        score = 1 - 0.4 * Math.abs(s.version - target) + 0.5 * AUTHORITY[s.kind] + 0.4 * s.rank.versioned;
      }
      return { i, score };
    });
    scores.sort((a, b) => b.score - a.score);
    this.rankings.set(
      `${query}:${target}`,
      scores.slice(0, RESULTS_PER_SEARCH).map((x) => x.i),
    );
  }

  private codeSearched(): boolean {
    return this.codeSearchedStep >= 0;
  }

  private source(result: number): Source {
    return this.pool[this.results[result] as number] as Source;
  }

  view(): Record<string, unknown> {
    return {
      question: {
        text: this.questionText(),
        library: this.lib,
        feature: this.topic.feature,
        domain: this.domain,
        language: this.language,
        points: this.points,
      },
      codebase: this.codeSearched()
        ? { searched: true, versionInUse: this.inUse, usage: `${this.pinnedText}; ${this.topic.usage}.` }
        : { searched: false, versionInUse: null, usage: null },
      searches: this.searches.map((s) => ({ query: s.query, results: s.results, newResults: s.newResults })),
      results: this.results.map((p, index) => {
        const s = this.pool[p] as Source;
        const base: Record<string, unknown> = {
          index,
          kind: s.kind,
          title: s.title,
          snippet: s.snippet,
          titleVersion: s.kind === 'official_docs' ? s.version : null,
          fetched: this.fetched.has(index),
        };
        if (this.fetched.has(index)) {
          base.version = s.version;
          base.published = s.year;
          base.content = s.content;
          base.answer = s.answer === 'none' ? null : this.answerText(s.answer);
        }
        return base;
      }),
      synthesized:
        this.synthesized >= 0 ? { source: this.synthesized, answer: this.answerText(this.source(this.synthesized).answer) } : null,
      confidence: this.confidence ?? null,
      hoursSpent: round3(this.hours),
    };
  }

  private questionText(): string {
    return `How do we enable ${this.topic.feature} with ${this.lib} in our ${this.language} ${this.domain.replaceAll('_', ' ')} codebase?`;
  }

  /** A version's relation to the version in use (or, before the code search, to the latest docs seen). */
  private relation(version: number): string {
    if (this.codeSearched()) return version === this.inUse ? 'same' : version < this.inUse ? 'older' : 'newer';
    let max = 0;
    for (const p of this.results) {
      const s = this.pool[p] as Source;
      if (s.kind === 'official_docs' && s.version > max) max = s.version;
    }
    return max === 0 ? 'unknown' : version >= max ? 'latest' : 'older';
  }

  tokens(): string[] {
    const out = ['task:research', `domain:${this.domain}`, `lang:${this.language}`, `points:${this.points}`];
    out.push(this.codeSearched() ? 'code:searched' : 'code:unsearched');
    for (const s of this.searches) out.push(`search:${s.query}`);
    const labels = new Map<AnswerId, string>();
    for (let index = 0; index < this.results.length; index++) {
      const s = this.source(index);
      out.push(`r${index}:${s.kind}`);
      if (s.kind === 'official_docs') out.push(`r${index}:title:${this.relation(s.version)}`);
      if (this.fetched.has(index)) {
        out.push(`r${index}:fetched`, `r${index}:ver:${this.relation(s.version)}`);
        if (s.answer === 'none') out.push(`r${index}:ans:none`);
        else {
          if (!labels.has(s.answer)) labels.set(s.answer, ANSWER_LABELS[labels.size] as string);
          out.push(`r${index}:ans:${labels.get(s.answer)}`);
        }
      }
    }
    if (this.synthesized >= 0) out.push(`synth:r${this.synthesized}`);
    if (this.confidence) out.push(`conf:${this.confidence}`);
    return out;
  }

  describe(): string {
    const lines = [
      'You are a senior developer. The story needs outside information before you can implement it. Research the question, commit to an answer from a source you have read (synthesize), say how confident you are, then signal that the research is sufficient.',
      '',
      `Question: ${this.questionText()} (story of ${this.points} point${this.points === 1 ? '' : 's'})`,
    ];
    lines.push(
      this.codeSearched()
        ? `Codebase: ${this.pinnedText}; ${this.topic.usage}.`
        : 'Codebase: not searched yet (the version in use is unknown).',
    );
    if (this.results.length > 0) {
      lines.push('', 'Search results:');
      for (let index = 0; index < this.results.length; index++) {
        const s = this.source(index);
        lines.push(`[${index}] (${s.kind.replaceAll('_', ' ')}) ${s.title}: ${s.snippet}`);
        if (this.fetched.has(index)) lines.push(`    read: ${s.content} (published ${s.year})`);
      }
    }
    if (this.searches.length > 0) lines.push('', `Searches so far: ${this.searches.map((s) => s.query).join(', ')}.`);
    if (this.synthesized >= 0)
      lines.push(`Synthesized answer (from [${this.synthesized}]): ${this.answerText(this.source(this.synthesized).answer)}.`);
    if (this.confidence) lines.push(`Stated confidence: ${this.confidence}.`);
    lines.push(`Hours spent on research: ${round3(this.hours)}.`);
    return lines.join('\n');
  }

  legalActions(): Action[] {
    const out: Action[] = [];
    for (const query of QUERY_KINDS) out.push({ type: 'search', args: { query } });
    if (!this.codeSearched()) out.push({ type: 'search_code', args: {} });
    for (let index = 0; index < this.results.length; index++) {
      if (!this.fetched.has(index)) out.push({ type: 'fetch_doc', args: { source: index } });
      else if (index !== this.synthesized && this.source(index).answer !== 'none')
        out.push({ type: 'synthesize', args: { source: index } });
    }
    if (this.synthesized >= 0) for (const level of CONFIDENCE_LEVELS) out.push({ type: 'assess_confidence', args: { level } });
    out.push({ type: 'signal_sufficient', args: {} });
    return out;
  }

  act(action: Action, step: number): ActionResult {
    switch (action.type) {
      case 'search': {
        const query = action.args?.query as QueryKind;
        const target = query === 'versioned' ? (this.codeSearched() ? this.inUse : this.latest) : 0;
        const found = this.rankings.get(`${query}:${target}`) ?? [];
        const indices: number[] = [];
        let fresh = 0;
        for (const p of found) {
          let index = this.resultOf.get(p);
          if (index === undefined) {
            index = this.results.length;
            this.results.push(p);
            this.resultOf.set(p, index);
            fresh++;
          }
          indices.push(index);
        }
        const record: SearchRecord = { step, query, results: indices, newResults: fresh };
        if (query === 'versioned') record.target = target;
        this.searches.push(record);
        this.hours += HOURS.search + (this.searches.length > 2 ? HOURS_PER_EXCESS_SEARCH : 0);
        const what = query === 'versioned' ? `${query} query for ${this.lib} ${target}.x` : `${query} query`;
        const titles = indices.map((i) => `[${i}] ${this.source(i).title}`).join('; ');
        return { ok: true, response: `${what}: ${fresh} new result(s). ${titles}`, terminal: false };
      }
      case 'fetch_doc': {
        const index = action.args?.source as number;
        if (index >= this.results.length)
          return { ok: false, error: `no result [${index}]: only ${this.results.length} result(s) so far; search first` };
        const s = this.source(index);
        if (this.fetched.has(index)) {
          this.refetches++;
          this.hours += HOURS.refetch;
          return { ok: true, response: `Already read: ${s.content}`, terminal: false };
        }
        this.fetched.add(index);
        this.fetches.push({ step, result: index });
        this.hours += HOURS.fetch;
        return { ok: true, response: `${s.content} (published ${s.year})`, terminal: false };
      }
      case 'search_code': {
        this.codeSearches++;
        this.hours += HOURS.search_code;
        if (this.codeSearchedStep < 0) this.codeSearchedStep = step;
        return { ok: true, response: `${this.pinnedText}; ${this.topic.usage}.`, terminal: false };
      }
      case 'synthesize': {
        const index = action.args?.source as number;
        if (index >= this.results.length || !this.fetched.has(index))
          return { ok: false, error: `source [${index}] has not been read: fetch_doc it before synthesizing from it` };
        const s = this.source(index);
        if (s.answer === 'none') return { ok: false, error: `source [${index}] does not answer the question` };
        this.synthesized = index;
        this.synthStep = step;
        this.synthCodeChecked = this.codeSearched();
        this.hours += HOURS.synthesize;
        return { ok: true, response: `The implementation will follow: ${this.answerText(s.answer)}.`, terminal: false };
      }
      case 'assess_confidence': {
        if (this.synthesized < 0)
          return { ok: false, error: 'nothing synthesized yet: synthesize an answer before assessing confidence in it' };
        const level = action.args?.level as ConfidenceLevel;
        this.confidence = level;
        this.confidenceValue = action.confidence ?? CONFIDENCE_VALUE[level];
        this.confidenceStep = step;
        this.hours += HOURS.assess;
        const plan =
          level === 'high'
            ? 'the team implements it directly.'
            : `the team adds ${VERIFICATION_HOURS[level]} h of verification (a spike and a contract test).`;
        return { ok: true, response: `Confidence ${level}: ${plan}`, terminal: false };
      }
      case 'signal_sufficient': {
        this.signalled = true;
        this.signalStep = step;
        return {
          ok: true,
          response:
            this.synthesized >= 0
              ? 'Research closed; the story moves on with the synthesized answer.'
              : 'Research closed with no answer synthesized; the developer will implement from memory.',
          terminal: true,
        };
      }
      default:
        return { ok: false, error: `unknown action ${action.type}` };
    }
  }

  finish(): EpisodeResult {
    const links: DecisionLink[] = [];
    const used = this.synthesized >= 0 ? this.source(this.synthesized) : undefined;
    const usedAnswer: AnswerId = used ? used.answer : this.guess < GUESS_RIGHT ? this.truth : 'wrong';
    const correct = usedAnswer === this.truth;
    const outdated = !correct && (usedAnswer === 'new_api' || usedAnswer === 'old_api');
    const level = this.confidence;
    const verificationHours = level ? VERIFICATION_HOURS[level] : 0;
    const catchChance = (outdated ? 0.35 : 0.15) + (level ? VERIFICATION_CATCH[level] : 0);
    const truncated = !this.signalled;
    const caughtInDev = !truncated && !correct && this.detect < catchChance;
    const inReview = !truncated && !correct && !caughtInDev;
    const decisionStep = this.signalled ? this.signalStep : -1;

    // Retrieved information and what became of it (B-16 utilization).
    const usedAnswerText = used ? used.answer : undefined;
    let sourcesUsed = 0;
    let correctFound = false;
    const answersSeen = new Set<AnswerId>();
    for (const f of this.fetches) {
      const s = this.source(f.result);
      if (s.answer !== 'none') answersSeen.add(s.answer);
      if (s.answer === this.truth) correctFound = true;
      let effect: string;
      let value: number;
      let note: string;
      if (f.result === this.synthesized) {
        effect = 'used_in_answer';
        value = correct ? 0.1 : -0.1;
        note = `synthesized: ${this.answerText(s.answer)} (${s.kind}, ${s.version}.x)`;
      } else if (used && s.answer === usedAnswerText) {
        effect = 'corroborated';
        value = 0.02;
        note = `agrees with the synthesized answer (${s.kind}, ${s.version}.x)`;
      } else if (this.codeSearched() && used && s.version !== this.inUse && s.answer !== usedAnswerText) {
        effect = 'ruled_out_outdated';
        value = 0.01;
        note = `read, and set aside: written for ${s.version}.x while ${this.inUse}.x is in use`;
      } else {
        effect = 'retrieved_unused';
        value = -0.02;
        note = `read but not used (${s.kind}, ${s.version}.x)`;
      }
      if (effect !== 'retrieved_unused') sourcesUsed++;
      links.push({ step: f.step, effect, target: `r${f.result}`, value, note });
    }

    let excessSearches = 0;
    const seenTargets = new Set<string>();
    for (let i = 0; i < this.searches.length; i++) {
      const s = this.searches[i] as SearchRecord;
      const key = `${s.query}:${s.target ?? 0}`;
      const repeat = seenTargets.has(key);
      seenTargets.add(key);
      if (i >= 2) excessSearches++;
      const surfacedUsed =
        this.synthesized >= 0 && s.results.includes(this.synthesized) && s.newResults > 0 && this.firstSurfacing(this.synthesized) === i;
      if (surfacedUsed)
        links.push({
          step: s.step,
          effect: 'surfaced_used_source',
          target: `r${this.synthesized}`,
          value: correct ? 0.05 : -0.05,
          note: `${s.query} query surfaced the source the answer came from`,
        });
      else if (repeat || s.newResults === 0)
        links.push({ step: s.step, effect: 'redundant_search', target: s.query, value: -0.02, note: 'the query returned nothing new' });
      else if (i >= 2)
        links.push({ step: s.step, effect: 'excess_search', target: s.query, value: -0.02, note: `search ${i + 1} past the second` });
    }
    if (this.codeSearchedStep >= 0) {
      links.push({
        step: this.codeSearchedStep,
        effect: this.synthCodeChecked ? 'recency_checked' : 'version_revealed',
        target: `${this.inUse}.x`,
        value: this.synthCodeChecked ? 0.05 : 0,
        note: `the codebase uses ${this.lib} ${this.inUse}.x (latest ${this.latest}.x)`,
      });
    }
    if (this.synthStep >= 0) {
      links.push({
        step: this.synthStep,
        effect: correct ? 'correct_answer_used' : outdated ? 'outdated_answer_used' : 'wrong_answer_used',
        target: `r${this.synthesized}`,
        value: correct ? 0.3 : caughtInDev ? -0.15 : -0.5,
        note: correct
          ? 'the implementation works with the synthesized answer'
          : outdated
            ? `the answer holds for another major version than ${this.inUse}.x; ${caughtInDev ? 'caught in development' : 'review found it'}`
            : `the answer is wrong (${this.topic.wrongWhy}); ${caughtInDev ? 'caught in development' : 'review found it'}`,
      });
    }
    const calibrated = level ? (correct ? level !== 'low' : level !== 'high') : false;
    if (this.confidenceStep >= 0) {
      links.push({
        step: this.confidenceStep,
        effect: calibrated ? 'calibrated_confidence' : correct ? 'underconfident' : 'overconfident',
        value: calibrated ? 0.05 : -0.05,
        note: `stated ${level} confidence in ${correct ? 'a correct' : 'a wrong'} answer${caughtInDev ? '; the verification caught the mistake' : ''}`,
      });
    }
    links.push({
      step: decisionStep,
      effect: truncated ? 'research_overran' : used ? 'signalled_with_answer' : 'signalled_on_guess',
      value: truncated ? -0.1 : used ? 0.05 : -0.2,
      note: truncated
        ? 'research hit the time box without a decision'
        : used
          ? 'research closed with an answer'
          : 'no answer synthesized: implemented from memory',
    });

    const researchHours = this.hours;
    const reworkHours = caughtInDev ? 1.5 * this.points : inReview ? 3 * this.points : 0;
    const budgetHours = 2 + 3 * this.points;
    const lostHours = Math.max(0, researchHours - RESEARCH_ALLOWANCE) + verificationHours + reworkHours;
    // Research that never ends overruns its time box and the story slips out of the sprint.
    const velocity = truncated ? 0 : clamp01(1 - lostHours / budgetHours);
    const iterations = truncated ? 4 : correct ? 1 : caughtInDev ? 2 : 3;
    const testsPassing = truncated ? 0 : correct ? 1 : caughtInDev ? 0.8 : 0.3;
    const coverage = truncated ? 0 : correct ? (verificationHours > 0 ? 1 : 0.9) : caughtInDev ? 0.8 : 0.4;
    const components: OutcomeComponents = {
      story_accepted: truncated || inReview ? 0 : 1,
      tests_passing: testsPassing,
      low_iteration_count: clamp01(1 - (iterations - 1) / 3),
      velocity_maintained: velocity,
      low_rework: truncated ? 0 : correct ? 1 : caughtInDev ? 0.6 : 0,
      coverage_threshold: coverage,
    };

    const searches = this.searches.length;
    const specificity = searches > 0 ? this.searches.reduce((a, s) => a + SPECIFICITY[s.query], 0) / searches : 0;
    const fetchedCount = this.fetches.length;
    const crossChecked =
      used !== undefined && this.fetches.some((f) => f.result !== this.synthesized && this.source(f.result).answer === used.answer);
    return {
      facts: {
        scenario: this.pinned ? 'pinned' : 'current',
        points: this.points,
        latestVersion: this.latest,
        versionInUse: this.inUse,
        signalledSufficient: this.signalled,
        truncated,
        answerSource: used ? 'synthesized' : 'guess',
        synthesized: used !== undefined,
        correctInfoFound: correctFound,
        correctAnswerUsed: correct,
        outdatedInfoUsed: outdated,
        wrongInfoUsed: !correct && !outdated,
        searches,
        excessSearches,
        querySpecificity: round3(specificity),
        versionedQuery: this.searches.some((s) => s.query === 'versioned'),
        versionedQueryOnVersionInUse: this.searches.some((s) => s.query === 'versioned' && s.target === this.inUse),
        codeSearched: this.codeSearched(),
        codeSearches: this.codeSearches,
        codeSearchedFirst: this.codeSearchedStep === 0,
        recencyChecked: this.synthCodeChecked,
        sourcesSurfaced: this.results.length,
        sourcesFetched: fetchedCount,
        sourcesUsed,
        informationUtilization: fetchedCount > 0 ? round3(sourcesUsed / fetchedCount) : 0,
        refetches: this.refetches,
        sourcesDisagreed: answersSeen.size > 1,
        crossChecked,
        usedSourceKind: used ? used.kind : 'none',
        usedSourceAuthority: used ? AUTHORITY[used.kind] : 0,
        usedSourceVersion: used ? used.version : 0,
        usedSourceVersionMatches: used ? used.version === this.inUse : false,
        confidenceStated: level !== undefined,
        confidenceLevel: level ?? 'none',
        statedConfidence: level ? round3(this.confidenceValue) : 0,
        confidenceError: level ? round3(Math.abs(this.confidenceValue - (correct ? 1 : 0))) : 1,
        confidenceCalibrated: calibrated,
        defectCaughtInDev: caughtInDev,
        defectInReview: inReview,
        storySlipped: truncated,
        storyAccepted: !truncated && !inReview,
        iterations,
        researchHours: round3(researchHours),
        verificationHours,
        reworkHours: round3(reworkHours),
        velocityEffect: round3(velocity - 1),
        testsPassing,
        coverage,
      },
      components,
      links,
    };
  }

  /** Index of the search that first surfaced a result. */
  private firstSurfacing(result: number): number {
    for (let i = 0; i < this.searches.length; i++) {
      const s = this.searches[i] as SearchRecord;
      if (s.results.includes(result)) return i;
    }
    return -1;
  }

  hidden(): Record<string, unknown> {
    return {
      scenario: this.pinned ? 'pinned' : 'current',
      library: this.lib,
      latestVersion: this.latest,
      versionInUse: this.inUse,
      breakingVersion: this.breaking,
      trueAnswer: this.answerText(this.truth),
      trueAnswerKind: this.truth,
      wrongAnswerWhy: this.topic.wrongWhy,
      detectDraw: round3(this.detect),
      guessRight: this.guess < GUESS_RIGHT,
      sources: this.pool.map((s) => ({ kind: s.kind, version: s.version, year: s.year, answer: s.answer, title: s.title })),
      rankings: Object.fromEntries(this.rankings),
    };
  }

  secrets(): Secret[] {
    const revealed = new Set<AnswerId>();
    for (const f of this.fetches) revealed.add(this.source(f.result).answer);
    const out: Secret[] = (['new_api', 'old_api', 'wrong'] as const).map((a) => ({
      id: a === this.truth ? 'true_answer' : `answer_${a}`,
      text: this.answers[a],
      revealed: revealed.has(a),
    }));
    out.push({ id: 'version_in_use', text: this.pinnedText, revealed: this.codeSearched() });
    out.push({ id: 'wrong_answer_why', text: this.topic.wrongWhy, revealed: false });
    return out;
  }
}

const ANSWER_LABELS = ['a', 'b', 'c'] as const;

export const research: EpisodeWorld = {
  name: 'research',
  summary:
    'Answer a technical question that needs outside information: search specifically, check the version the codebase uses, read authoritative current sources, commit to an answer with calibrated confidence, then stop researching.',
  actions: {
    search: {
      description:
        'Run a web search: "generic" (the feature and library), "specific" (the exact option or API name), or "versioned" (specific, with a major version: the version in use once the codebase was searched, else the latest).',
      args: { query: { kind: 'enum', values: QUERY_KINDS, description: 'how specific the query is' } },
    },
    fetch_doc: {
      description: 'Read a search result: reveals its content, the version it was written for and its publication year.',
      args: { source: { kind: 'int', min: 0, max: MAX_SOURCES - 1, description: 'the result index from the search results' } },
    },
    search_code: { description: 'Search the codebase: reveals the library version in use and how the library is used today.', args: {} },
    synthesize: {
      description: 'Commit to the answer of a source you have read: the implementation will follow it.',
      args: { source: { kind: 'int', min: 0, max: MAX_SOURCES - 1, description: 'the index of a read result' } },
      asserts: true,
    },
    assess_confidence: {
      description:
        'State your confidence in the synthesized answer; lower confidence makes the team verify it (costs hours, catches mistakes).',
      args: { level: { kind: 'enum', values: CONFIDENCE_LEVELS, description: 'confidence that the synthesized answer is right' } },
      asserts: true,
    },
    signal_sufficient: {
      description:
        'Declare the research sufficient; ends the episode and the synthesized answer (or, without one, a guess) is implemented.',
      args: {},
      asserts: true,
    },
  },
  maxTurns: 20,
  levers: [
    {
      name: 'check_version_then_versioned_query',
      direction: 'up',
      description:
        'search_code before a versioned query makes the query target the version in use; in the pinned scenario this surfaces the docs for the pinned version instead of the latest docs, whose API the codebase does not have yet.',
    },
    {
      name: 'authoritative_source',
      direction: 'up',
      description:
        'Synthesizing from the official docs of the version in use instead of a forum answer (accurate 55%, often for an older version) makes the implementation work first time more often.',
    },
    {
      name: 'specific_query',
      direction: 'up',
      description:
        'A specific or versioned query ranks official docs and maintainer threads first; a generic query returns mostly popular, older blog and forum content, so adopting its first result is more often outdated or wrong.',
    },
    {
      name: 'signal_without_synthesis',
      direction: 'down',
      description:
        'Signalling sufficient with nothing synthesized implements from memory (right 20% of the time): a likely defect found in review.',
    },
    {
      name: 'over_research',
      direction: 'down',
      description:
        'Every search (0.25 h, +0.5 h past the second) and fetch (0.5 h) past a 1-hour allowance comes out of the story budget (velocity_maintained).',
    },
    {
      name: 'low_confidence_when_unsure',
      direction: 'up',
      description:
        'Stating low confidence in a wrong answer adds 2 h of verification that catches it during development (+0.55 chance), so the story is still accepted instead of failing review.',
    },
  ],
  vocabulary: [
    'task:research',
    ...DOMAINS.map((d) => `domain:${d}`),
    ...LANGUAGES.map((l) => `lang:${l}`),
    ...STORY_POINTS.map((p) => `points:${p}`),
    'code:searched',
    'code:unsearched',
    ...QUERY_KINDS.map((q) => `search:${q}`),
    ...Array.from({ length: MAX_SOURCES }, (_, i) => [
      ...SOURCE_KINDS.map((k) => `r${i}:${k}`),
      ...['same', 'older', 'newer', 'latest', 'unknown'].flatMap((rel) => [`r${i}:title:${rel}`, `r${i}:ver:${rel}`]),
      `r${i}:fetched`,
      ...[...ANSWER_LABELS, 'none'].map((a) => `r${i}:ans:${a}`),
      `synth:r${i}`,
    ]).flat(),
    ...CONFIDENCE_LEVELS.map((c) => `conf:${c}`),
  ],
  create: (rng, options) => new ResearchEpisode(rng, options),
  fromText(text): Action | undefined {
    const lower = text.toLowerCase();
    if (/\b(sufficient|enough research|done researching)\b/.test(lower)) return { type: 'signal_sufficient', args: {}, text };
    if (/\b(codebase|lockfile|grep|version in use)\b/.test(lower)) return { type: 'search_code', args: {}, text };
    const confidence = /\b(low|medium|high) confidence\b/.exec(lower);
    if (confidence) return { type: 'assess_confidence', args: { level: confidence[1] as ConfidenceLevel }, text };
    const numbered = /\b(read|fetch|open|synthesi[sz]e|use)\b[^0-9]*\[?(\d+)\]?/.exec(lower);
    if (numbered) {
      const source = Number(numbered[2]);
      return {
        type: numbered[1] === 'synthesize' || numbered[1] === 'synthesise' || numbered[1] === 'use' ? 'synthesize' : 'fetch_doc',
        args: { source },
        text,
      };
    }
    if (/\bsearch\b/.test(lower)) {
      const query: QueryKind = /\bv?\d+(\.x)?\b|version/.test(lower)
        ? 'versioned'
        : /`|option|flag|parameter|config/.test(lower)
          ? 'specific'
          : 'generic';
      return { type: 'search', args: { query }, text };
    }
    return undefined;
  },
};
