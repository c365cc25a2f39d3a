/**
 * The research behavior scorer (B-16 search strategy, B-17 source evaluation, B-04 sufficiency) on
 * real traces: fixed action sequences played with DojoEnv on seeds chosen from the hidden truth,
 * table-driven with a comment per case; the senior plan scores every code; and a judge verdict
 * overrides the judge signals.
 */
import { describe, expect, it } from 'vitest';
import { act, docsInUse, fetchWhere, latestDocs, type Step, search, synthWhere } from '../../../test/episodes/kits/research.js';
import { expectScored, firstSeedWhere, playPlan } from '../../../test/helpers.js';
import type { CodeScore } from '../../core/scorer.js';
import { research } from './index.js';
import { scoreResearch } from './score.js';
import type { ResearchTrace, ResultView } from './types.js';

const codeSearch = act('search_code');
const assess = (level: string) => act('assess_confidence', { level });
const any = () => true;
const forum = (r: ResultView) => r.kind === 'forum_answer';

/** Plays a plan on a seed; `signal` appends signal_sufficient. Steps that do not apply are skipped. */
const play = (seed: number, plan: Step[], signal = true): ResearchTrace =>
  playPlan(research, seed, signal ? [...plan, act('signal_sufficient')] : plan, { strict: false });

/** First seed whose played trace satisfies `when`. */
const seedWhere = (plan: Step[], when: (t: ResearchTrace) => boolean, signal = true) =>
  firstSeedWhere((seed) => play(seed, plan, signal), when, 500);

const score = (t: ResearchTrace, code: string): CodeScore => {
  const s = scoreResearch(t, {}).find((c) => c.code === code);
  if (!s) throw new Error(`${code} not scored`);
  return s;
};
const pinned = (t: ResearchTrace) => t.hidden.scenario === 'pinned';
const small = (t: ResearchTrace) => t.outcome.points < 5;

// The model senior's plan: check the version, versioned query, read and adopt the docs for the
// version in use, state confidence, signal.
const SENIOR: Step[] = [codeSearch, search('versioned'), fetchWhere(docsInUse), synthWhere(docsInUse), assess('high')];
// Blind: versioned query for the latest major without checking the codebase, latest docs adopted.
const BLIND: Step[] = [search('versioned'), fetchWhere(latestDocs), synthWhere(latestDocs), assess('high')];
// Vague and busy: three generic searches and three reads, then a guess (nothing synthesized).
const BUSY_UNUSED: Step[] = [search('generic'), search('generic'), search('generic'), fetchWhere(any), fetchWhere(any), fetchWhere(any)];
// Forum first result accepted without a version check, high confidence.
const FORUM: Step[] = [search('generic'), fetchWhere(forum), synthWhere(forum), assess('high')];
// Over-research: the senior's answer after four searches and five reads.
const OVER: Step[] = [
  codeSearch,
  search('versioned'),
  search('specific'),
  search('generic'),
  search('generic'),
  fetchWhere((r) => r.kind !== 'official_docs'),
  fetchWhere((r) => r.kind !== 'official_docs'),
  fetchWhere((r) => r.kind !== 'official_docs'),
  fetchWhere(any),
  fetchWhere(docsInUse),
  synthWhere(docsInUse),
  assess('high'),
];

const correctSmall = (t: ResearchTrace) => t.outcome.correctAnswerUsed === true && small(t);
const seniorPinned = seedWhere(SENIOR, (t) => pinned(t) && correctSmall(t) && t.outcome.usedSourceVersionMatches === true);
const blindOutdated = seedWhere(BLIND, (t) => pinned(t) && t.outcome.outdatedInfoUsed === true);
const busyGuessWrong = seedWhere(BUSY_UNUSED, (t) => t.outcome.sourcesFetched === 3 && t.outcome.correctAnswerUsed === false);
const forumOutdated = seedWhere(FORUM, (t) => t.outcome.usedSourceKind === 'forum_answer' && t.outcome.outdatedInfoUsed === true);
const guessWrong = seedWhere([], (t) => t.outcome.correctAnswerUsed === false);
const overSeed = seedWhere(OVER, (t) => correctSmall(t) && t.outcome.sourcesDisagreed === false && t.outcome.searches === 4);
const neverStops = seedWhere(
  Array.from({ length: 20 }, () => search('generic')),
  (t) => t.outcome.truncated === true,
  false,
);

describe('research scorer: each code present and absent on real traces', () => {
  const cases: { why: string; trace: () => ResearchTrace; code: string; min?: number; max?: number }[] = [
    // B-16 present: versioned query after the version check, the one read source is the answer used and correct.
    { why: 'specific, efficient, used research', trace: () => play(seniorPinned, SENIOR), code: 'B-16', min: 0.9 },
    // B-16 absent: vague generic queries, two redundant, and nothing read is used (implemented from memory).
    { why: 'vague searches, retrieved but unused', trace: () => play(busyGuessWrong, BUSY_UNUSED), code: 'B-16', max: 0.15 },
    // B-16 absent: no research at all before signalling.
    { why: 'no search at all', trace: () => play(guessWrong, []), code: 'B-16', max: 0.05 },
    // B-17 present: official docs of the checked version in use, version checked before committing.
    { why: 'authoritative, version-checked source', trace: () => play(seniorPinned, SENIOR), code: 'B-17', min: 0.95 },
    // B-17 violated: a forum answer for another version adopted unchecked, with high confidence.
    { why: 'forum, outdated, unchecked', trace: () => play(forumOutdated, FORUM), code: 'B-17', max: 0.2 },
    // B-17 mostly violated even with docs: the latest docs adopted blind in a pinned codebase (outdated API).
    { why: 'authoritative but outdated for the version in use', trace: () => play(blindOutdated, BLIND), code: 'B-17', max: 0.4 },
    // B-04 present: stopped after the minimal sufficient research, answer committed, confidence fits the evidence.
    { why: 'sufficient research, explicit stop', trace: () => play(seniorPinned, SENIOR), code: 'B-04', min: 0.9 },
    // B-04 violated: premature commitment, signalled with nothing researched (a wrong guess).
    { why: 'signal on a guess', trace: () => play(guessWrong, []), code: 'B-04', max: 0.05 },
    // B-04 violated: analysis paralysis, searching until the time box overran without a decision.
    {
      why: 'never stopped',
      trace: () =>
        play(
          neverStops,
          Array.from({ length: 20 }, () => search('generic')),
          false,
        ),
      code: 'B-04',
      max: 0.05,
    },
    // B-04 lowered: the same correct answer after far more research than needed (high-confidence docs, yet over-research).
    { why: 'over-research', trace: () => play(overSeed, OVER), code: 'B-04', max: 0.7 },
  ];
  for (const c of cases) {
    it(`${c.code}: ${c.why}`, () => {
      const s = score(c.trace(), c.code);
      expect(s.score).not.toBeNull();
      if (c.min !== undefined) expect(s.score as number, s.evidence.reason).toBeGreaterThanOrEqual(c.min);
      if (c.max !== undefined) expect(s.score as number, s.evidence.reason).toBeLessThanOrEqual(c.max);
      expect(s.evidence.reason.length).toBeGreaterThan(0);
    });
  }

  it('evidence cites the decisions, signals carry the reward.yaml names, sources and weights', () => {
    const t = play(seniorPinned, SENIOR);
    const ids = new Set(t.decisions.map((d) => d.id));
    const expected: Record<string, [string, string, number][]> = {
      'B-16': [
        ['query_specificity', 'judge', 0.2],
        ['information_utilization', 'outcome', 0.25],
        ['search_efficiency', 'trace', 0.2],
      ],
      'B-17': [
        ['source_authority', 'judge', 0.2],
        ['recency_check', 'trace', 0.15],
        ['outdated_info_avoided', 'outcome', 0.2],
      ],
      'B-04': [
        ['question_count_calibration', 'trace+judge', 0.4],
        ['explicit_transition', 'trace', 0.2],
        ['assumptions_stated', 'trace', 0.2],
        ['outcome_quality', 'outcome', 0.2],
      ],
    };
    for (const s of scoreResearch(t, {})) {
      expect(s.evidence.decisionIds.length).toBeGreaterThan(0);
      for (const id of s.evidence.decisionIds) expect(ids.has(id)).toBe(true);
      expect(s.signals.map((x) => [x.name, x.source, x.weight])).toEqual(expected[s.code]);
    }
  });

  it('over-research scores below the lean plan on the same seed (B-04 and B-16)', () => {
    const lean = play(overSeed, SENIOR);
    const heavy = play(overSeed, OVER);
    for (const code of ['B-04', 'B-16'])
      expect(score(heavy, code).score as number).toBeLessThan((score(lean, code).score as number) - 0.15);
  });

  it('stating high confidence in an unchecked, outdated answer scores below stating low confidence (B-04)', () => {
    const high = play(blindOutdated, BLIND);
    const low = play(blindOutdated, [...BLIND.slice(0, 3), assess('low')]);
    expect(score(low, 'B-04').score as number).toBeGreaterThan(score(high, 'B-04').score as number);
  });
});

describe('research scorer: applicability and judge override', () => {
  it('the senior plan scores B-16, B-17 and B-04 above 0.9 on average', () => {
    expect(expectScored(play(seniorPinned, SENIOR), ['B-16', 'B-17', 'B-04']).behavioral).toBeGreaterThan(0.9);
  });

  it('a judge verdict overrides the judge signals (from: judge)', () => {
    const t = play(forumOutdated, FORUM);
    const verdict = {
      codes: {
        'B-16': { score: 1, justification: 'specific' },
        'B-17': { score: 0.9, justification: 'authoritative' },
        'B-04': { score: 0.2, justification: 'stopped early' },
      },
      overall: 0.5,
      performativeRisk: 0.1,
    };
    const judged = scoreResearch(t, { verdict });
    const plain = scoreResearch(t, {});
    const signal = (ss: CodeScore[], code: string, name: string) => ss.find((s) => s.code === code)?.signals.find((x) => x.name === name);
    expect(signal(judged, 'B-16', 'query_specificity')).toMatchObject({ value: 1, from: 'judge' });
    expect(signal(plain, 'B-16', 'query_specificity')).toMatchObject({ value: 0, from: 'heuristic' });
    expect(signal(judged, 'B-17', 'source_authority')).toMatchObject({ value: 0.9, from: 'judge' });
    expect(signal(judged, 'B-04', 'question_count_calibration')?.from).toBe('judge');
    expect(signal(plain, 'B-04', 'question_count_calibration')?.from).toBe('heuristic');
  });
});
