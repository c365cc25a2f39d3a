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
 * Outcome (`outcome.ts`): after `signal_sufficient` the story is implemented with the synthesized
 * answer (or a guess from memory); a wrong answer is caught in development (more often after a
 * stated low confidence) or found in review; research that never ends overruns its time box.
 */

import type { Action, ActionResult, Episode, EpisodeResult, EpisodeWorld, ScenarioOptions, Secret } from '../../core/episode.js';
import { round3 } from '../../core/numbers.js';
import type { Rng } from '../../core/rng.js';
import { DOMAINS, EPISODE_SPECS, LANGUAGES, STORY_POINTS } from '../../spec/episodes.js';
import { ScenarioFields } from '../common.js';
import {
  codeSearched,
  type Fetch,
  FREE_SEARCHES,
  GUESS_RIGHT,
  type Investigation,
  researchOutcome,
  type SearchRecord,
  sourceAt,
  VERIFICATION_HOURS,
} from './outcome.js';
import { ANSWER_LABELS, questionText, researchDescription, researchTokens } from './render.js';
import { answerText, drawScenario, MAX_SOURCES, type Scenario, type Source } from './scenario.js';
import {
  type AnswerId,
  CONFIDENCE_LEVELS,
  type ConfidenceLevel,
  QUERY_KINDS,
  type QueryKind,
  type ResearchFacts,
  type ResearchHidden,
  type ResearchView,
  type ResultView,
  SOURCE_KINDS,
} from './types.js';

/** Stated confidence in [0, 1] for each level when the action carries none. */
const CONFIDENCE_VALUE: Record<ConfidenceLevel, number> = { low: 0.3, medium: 0.6, high: 0.9 };
/** Hours per action (developer time). */
const HOURS = { search: 0.25, fetch: 0.5, search_code: 0.25, synthesize: 0.25, assess: 0.05, refetch: 0.1 } as const;
/** Extra hours for each search past the second (context switches, skimming noise). */
const HOURS_PER_EXCESS_SEARCH = 0.5;

class ResearchEpisode extends ScenarioFields<Scenario>() implements Episode<ResearchView, ResearchFacts, ResearchHidden>, Investigation {
  readonly results: number[] = [];
  private readonly resultOf = new Map<number, number>();
  readonly fetched = new Set<number>();
  readonly fetches: Fetch[] = [];
  readonly searches: SearchRecord[] = [];
  codeSearchedStep = -1;
  codeSearches = 0;
  synthesized = -1;
  synthStep = -1;
  synthCodeChecked = false;
  confidence: ConfidenceLevel | undefined;
  confidenceValue = 0;
  confidenceStep = -1;
  hours = 0;
  signalled = false;
  signalStep = -1;
  refetches = 0;

  constructor(rng: Rng, options: ScenarioOptions) {
    super(drawScenario(rng, options));
  }

  private codeSearched(): boolean {
    return codeSearched(this);
  }

  private source(result: number): Source {
    return sourceAt(this, result);
  }

  private answerText(answer: AnswerId): string {
    return answerText(this.answers, answer);
  }

  view(): ResearchView {
    return {
      question: {
        text: questionText(this),
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
        const base: ResultView = {
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

  tokens(): string[] {
    return researchTokens(this);
  }

  describe(): string {
    return researchDescription(this);
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
        this.hours += HOURS.search + (this.searches.length > FREE_SEARCHES ? HOURS_PER_EXCESS_SEARCH : 0);
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

  finish(): EpisodeResult<ResearchFacts> {
    return researchOutcome(this);
  }

  hidden(): ResearchHidden {
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

export const researchWorld: EpisodeWorld<ResearchView, ResearchFacts, ResearchHidden> = {
  name: 'research',
  spec: EPISODE_SPECS.research,
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
