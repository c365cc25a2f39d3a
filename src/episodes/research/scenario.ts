/**
 * The scenario of a research episode, drawn at creation: the story's domain, language and size, a
 * topic (a fictional library's feature), the library's latest major, the major the codebase pins
 * and the major in which the feature's API changed, a pool of 5-8 sources, how each query kind
 * ranks them, and the downstream draws (whether a wrong answer is caught in development, whether a
 * guess from memory is right). All of it is fixed at creation, so two action sequences on the same
 * seed meet the same world.
 */
import type { ScenarioOptions } from '../../core/episode.js';
import type { Rng } from '../../core/rng.js';
import { DOMAINS, type Domain, LANGUAGES, type Language, type StoryPoints } from '../../spec/episodes.js';
import { storyPointsFor } from '../common.js';
import { type AnswerId, type ApiAnswer, AUTHORITY, type QueryKind, type SourceKind } from './types.js';

/** Highest result index (results are numbered 0.. in the order searches surface them). */
export const MAX_SOURCES = 10;
/** Results returned by one search. */
const RESULTS_PER_SEARCH = 4;

export interface Topic {
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

export interface Source {
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

/** The text of each answer a source may give. */
export type AnswerTexts = Record<Exclude<AnswerId, 'none'>, string>;

export interface Scenario {
  readonly domain: Domain;
  readonly language: Language;
  readonly points: StoryPoints;
  readonly topic: Topic;
  /** The library's name in the story's language. */
  readonly lib: string;
  /** The library's latest major, the major the codebase uses, and the major in which the API changed. */
  readonly latest: number;
  readonly inUse: number;
  readonly breaking: number;
  /** The codebase pins the major before the latest. */
  readonly pinned: boolean;
  /** The answer that holds for the version in use. */
  readonly truth: ApiAnswer;
  readonly answers: AnswerTexts;
  /** Sources in pool order (hidden order, shuffled). */
  readonly pool: readonly Source[];
  /** Pre-computed result lists (pool indices) per query and target version, keyed `<query>:<target>`. */
  readonly rankings: ReadonlyMap<string, number[]>;
  /** A wrong answer is caught in development when `detect < base + bonus`. */
  readonly detect: number;
  /** Implementing without research is right when `guess < GUESS_RIGHT`. */
  readonly guess: number;
  /** What the code search reveals about the version in use. */
  readonly pinnedText: string;
}

/** What building a source's texts needs to know of the scenario. */
interface SourceBase {
  latest: number;
  breaking: number;
  lib: string;
  feature: string;
  answers: AnswerTexts;
}

/** The answer that holds for a major version. */
export function epoch(version: number, breaking: number): ApiAnswer {
  return version >= breaking ? 'new_api' : 'old_api';
}

/** The text of an answer ('' for none). */
export function answerText(answers: AnswerTexts, answer: AnswerId): string {
  return answer === 'none' ? '' : answers[answer];
}

export function drawScenario(rng: Rng, options: ScenarioOptions): Scenario {
  const domain = options.domain ?? rng.pick(DOMAINS);
  const language = options.language ?? rng.pick(LANGUAGES);
  const points = storyPointsFor(rng, options);
  const topic = rng.pick(TOPICS[domain]);
  const lib = LIB_NAME[language](topic.lib);
  const latest = rng.intBetween(3, 6);
  const pinnedChance = options.difficulty === 'easy' ? 0.1 : options.difficulty === 'hard' ? 0.5 : 0.3;
  const pinned = rng.chance(pinnedChance);
  const inUse = pinned ? latest - 1 : latest;
  const breaking = pinned ? latest : rng.pick([latest - 1, latest]);
  const truth = epoch(inUse, breaking);
  const answers: AnswerTexts = { new_api: topic.newApi, old_api: topic.oldApi, wrong: topic.wrong };
  const pinnedText = `${lib} ${inUse}.x is pinned in the lockfile`;

  const poolRng = rng.fork('pool');
  const base: SourceBase = { latest, breaking, lib, feature: topic.feature, answers };
  const sources: Source[] = [];
  const add = (kind: SourceKind, version: number) => sources.push(makeSource(poolRng, base, kind, Math.max(1, version)));
  add('official_docs', latest);
  if (pinned || poolRng.chance(0.6)) add('official_docs', latest - 1);
  if (latest >= 3 && poolRng.chance(0.3)) add('official_docs', latest - 2);
  add('maintainer_issue', latest - poolRng.weightedIndex([0.4, 0.4, 0.2]));
  for (let i = 0; i < 2; i++) add('blog', latest - poolRng.weightedIndex([0.45, 0.3, 0.15, 0.1]));
  const forums = poolRng.intBetween(1, 2);
  for (let i = 0; i < forums; i++) add('forum_answer', latest - poolRng.weightedIndex([0.4, 0.3, 0.2, 0.1]));
  const pool = poolRng.shuffle(sources).slice(0, MAX_SOURCES);

  const fateRng = rng.fork('fates');
  const detect = fateRng.next();
  const guess = fateRng.next();
  const rankings = new Map<string, number[]>();
  const rank = (query: QueryKind, target: number) => rankings.set(`${query}:${target}`, rankPool(pool, latest, query, target));
  rank('generic', 0);
  rank('specific', 0);
  rank('versioned', latest);
  if (inUse !== latest) rank('versioned', inUse);
  return {
    domain,
    language,
    points,
    topic,
    lib,
    latest,
    inUse,
    breaking,
    pinned,
    truth,
    answers,
    pool,
    rankings,
    detect,
    guess,
    pinnedText,
  };
}

/** One source of a kind, written for a major version: its answer (accurate with a probability by kind), year, texts and rank draws. */
function makeSource(rng: Rng, base: SourceBase, kind: SourceKind, version: number): Source {
  const u = rng.next();
  const rightFor = epoch(version, base.breaking);
  let answer: AnswerId;
  if (kind === 'official_docs') answer = u < 0.08 ? (rightFor === 'new_api' ? 'old_api' : 'wrong') : u < 0.2 ? 'none' : rightFor;
  else answer = u < { maintainer_issue: 0.9, blog: 0.8, forum_answer: 0.55 }[kind] ? rightFor : 'wrong';
  const year = 2025 - 2 * (base.latest - version) - rng.int(2);
  const rank: RankFate = { generic: rng.next(), specific: rng.next(), versioned: rng.next() };
  const { lib } = base;
  const feature = base.feature;
  const issue = 1000 + rng.int(8000);
  // Draws are taken for every kind so the stream does not depend on which texts are built.
  const blogAngle = rng.pick(['a practical guide to', 'getting started with', 'lessons learned with']);
  const forumAsk = rng.pick(['how do I get', 'cannot get', 'best way to do']);
  const votes = 2 + rng.int(12);
  const said = answer === 'none' ? '' : answerText(base.answers, answer);
  let title: string;
  let snippet: string;
  let content: string;
  switch (kind) {
    case 'official_docs': {
      const changed = version >= base.breaking && base.breaking > 1 ? ` Changed in ${base.breaking}.0.` : '';
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

/** Pre-computes a query's result list (top RESULTS_PER_SEARCH pool indices). */
function rankPool(pool: readonly Source[], latest: number, query: QueryKind, target: number): number[] {
  const scores = pool.map((s, i) => {
    let score: number;
    if (query === 'generic') {
      const popularity = { official_docs: 0.85, maintainer_issue: 0.4, blog: 0.75, forum_answer: 0.8 }[s.kind];
      score = popularity + 0.1 * (latest - s.version) + 0.8 * s.rank.generic;
    } else if (query === 'specific') {
      const relevance = { official_docs: 0.9, maintainer_issue: 0.85, blog: 0.55, forum_answer: 0.5 }[s.kind];
      score = relevance + 0.6 * s.rank.specific;
    } else {
      score = 1 - 0.4 * Math.abs(s.version - target) + 0.5 * AUTHORITY[s.kind] + 0.4 * s.rank.versioned;
    }
    return { i, score };
  });
  scores.sort((a, b) => b.score - a.score);
  return scores.slice(0, RESULTS_PER_SEARCH).map((x) => x.i);
}
