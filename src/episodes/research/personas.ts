/**
 * Persona strategies for E-1.5 research (public view only).
 *
 * Senior (B-16, B-17, B-04): searches the codebase first (version in use), runs a versioned query
 * (then a specific one if the docs for that version did not come up), reads the official docs for
 * the version in use first, then maintainer threads; cross-checks with a second version-matching
 * source on big stories (>= 5 points) or when the docs do not cover the question, resolves
 * disagreement by authority and version fit, synthesizes, states confidence by how well the
 * source fits (high: docs for the version in use, uncontradicted; medium: another source for that
 * version or a disagreement; low: a source for another version), and signals sufficient.
 * Mid: checks the code on bigger stories, runs one specific query, reads the top docs page
 * (whatever version) and one other result, synthesizes the docs, states high confidence.
 * Junior: one generic query; sometimes signals with nothing synthesized; otherwise reads the first
 * result, adopts it, often states high confidence.
 * Performative (anti-gaming): the motions of a senior without the substance: many searches and
 * fetches in listed order, then synthesizes from the first result that answers, with high confidence.
 */

import type { Action } from '../../core/episode.js';
import type { Personas } from '../../core/episode-type.js';
import type { StructuredObservation } from '../../core/observation.js';
import type { Rng } from '../../core/rng.js';
import { AUTHORITY, type ConfidenceLevel, type QueryKind, type ResearchView, type ResultView, type SourceKind } from './types.js';

type Observation = StructuredObservation<ResearchView>;

/** Order in which the senior reads unread results of each kind. */
const READ_ORDER: Record<SourceKind, number> = { official_docs: 0, maintainer_issue: 1, blog: 2, forum_answer: 3 };

const search = (query: QueryKind): Action => ({ type: 'search', args: { query } });
const fetch = (source: number): Action => ({ type: 'fetch_doc', args: { source } });
const synthesize = (source: number, confidence: number): Action => ({ type: 'synthesize', args: { source }, confidence });
const signal = (confidence: number): Action => ({ type: 'signal_sufficient', args: {}, confidence });
const confidenceValue = { low: 0.3, medium: 0.6, high: 0.9 } as const;
const assess = (level: ConfidenceLevel): Action => ({
  type: 'assess_confidence',
  args: { level },
  confidence: confidenceValue[level],
});

/** Weight of a read source's answer: authority, discounted when written for another version. */
function weight(r: ResultView, inUse: number): number {
  return AUTHORITY[r.kind] * (r.version === inUse ? 1 : 0.35);
}

/** The answer with the most weight among read sources, and the best source stating it. */
function vote(read: ResultView[], inUse: number): { source: ResultView; contested: boolean } | undefined {
  const totals = new Map<string, number>();
  for (const r of read) if (r.answer) totals.set(r.answer, (totals.get(r.answer) ?? 0) + weight(r, inUse));
  let best: string | undefined;
  let bestTotal = -1;
  for (const [answer, total] of totals)
    if (total > bestTotal) {
      best = answer;
      bestTotal = total;
    }
  if (best === undefined) return undefined;
  const sources = read.filter((r) => r.answer === best).sort((a, b) => weight(b, inUse) - weight(a, inUse));
  const contested = read.some((r) => r.answer && r.answer !== best && r.version === inUse);
  return { source: sources[0] as ResultView, contested };
}

function senior(observation: Observation): Action {
  const view = observation.state;
  if (!view.codebase.searched) return { type: 'search_code', args: {} };
  const inUse = view.codebase.versionInUse;
  if (view.synthesized) {
    if (view.confidence === null) {
      const used = view.results[view.synthesized.source] as ResultView;
      const read = view.results.filter((r) => r.fetched && r.answer);
      const contradicted = read.some((r) => r.answer !== used.answer && r.version === inUse);
      if (used.version !== inUse) return assess('low');
      return assess(used.kind === 'official_docs' && !contradicted ? 'high' : 'medium');
    }
    return signal(0.8);
  }
  const queried = new Set(view.searches.map((s) => s.query));
  if (!queried.has('versioned')) return search('versioned');
  const read = view.results.filter((r) => r.fetched);
  const matching = read.filter((r) => r.answer && r.version === inUse);
  const docsMatch = matching.some((r) => r.kind === 'official_docs');
  const disagree = new Set(matching.map((r) => r.answer)).size > 1;
  const wantsCrossCheck = view.question.points >= 5 || !docsMatch || disagree;
  const enough = matching.length > 0 && (!wantsCrossCheck || (matching.length >= 2 && !disagree) || matching.length >= 3);
  if (!enough && read.length < 4) {
    // Next read: docs for the version in use, then maintainers, blogs, forums; never docs for another version.
    const unread = view.results
      .filter((r) => !r.fetched && (r.kind !== 'official_docs' || r.titleVersion === inUse))
      .sort((a, b) => READ_ORDER[a.kind] - READ_ORDER[b.kind] || a.index - b.index);
    const docs = unread.find((r) => r.kind === 'official_docs');
    if (docs) return fetch(docs.index);
    if (!queried.has('specific') && matching.length === 0) return search('specific');
    const next = unread.find((r) => r.kind !== 'forum_answer') ?? unread[0];
    if (next) return fetch(next.index);
  }
  const choice = vote(read, inUse);
  if (choice) return synthesize(choice.source.index, choice.source.version === inUse ? 0.8 : 0.4);
  const unread = view.results.filter((r) => !r.fetched);
  if (unread[0] && read.length < 5) return fetch(unread[0].index);
  return signal(0.2);
}

function mid(observation: Observation): Action {
  const view = observation.state;
  if (view.question.points >= 3 && !view.codebase.searched) return { type: 'search_code', args: {} };
  if (view.synthesized) {
    if (view.confidence === null) return assess(view.results[view.synthesized.source]?.kind === 'official_docs' ? 'high' : 'medium');
    return signal(0.85);
  }
  if (view.searches.length === 0) return search('specific');
  const read = view.results.filter((r) => r.fetched);
  const docs = view.results.filter((r) => r.kind === 'official_docs').sort((a, b) => (b.titleVersion ?? 0) - (a.titleVersion ?? 0))[0];
  if (docs && !docs.fetched) return fetch(docs.index);
  if (read.length < 2) {
    const other = view.results.find((r) => !r.fetched && r.kind !== 'official_docs');
    if (other) return fetch(other.index);
  }
  const answered = read.filter((r) => r.answer).sort((a, b) => AUTHORITY[b.kind] - AUTHORITY[a.kind]);
  if (answered[0]) return synthesize(answered[0].index, 0.8);
  return signal(0.5);
}

function junior(observation: Observation, rng: Rng): Action {
  const view = observation.state;
  if (view.searches.length === 0) return search('generic');
  if (view.synthesized) {
    if (view.confidence === null && rng.chance(0.65)) return assess('high');
    return signal(0.95);
  }
  const read = view.results.filter((r) => r.fetched);
  if (read.length === 0) {
    if (rng.chance(0.25)) return signal(0.9);
    return fetch(0);
  }
  const answered = read.find((r) => r.answer);
  if (answered) return synthesize(answered.index, 0.95);
  const next = view.results.find((r) => !r.fetched);
  if (next && read.length < 2) return fetch(next.index);
  return signal(0.9);
}

// --- performative: the motions without the substance ----------------------------------------------

const QUERIES = ['generic', 'specific', 'generic', 'versioned'] as const;
const FETCHES = 4;

function performative(observation: Observation): Action {
  const view = observation.state;
  const signal: Action = { type: 'signal_sufficient', args: {}, confidence: 0.95 };
  if (view.synthesized) {
    if (view.confidence === null) return { type: 'assess_confidence', args: { level: 'high' }, confidence: 0.9 };
    return signal;
  }
  const read = view.results.filter((r) => r.fetched);
  const answered = read.find((r) => r.answer);
  if (observation.turn >= observation.maxTurns - 3)
    return answered ? { type: 'synthesize', args: { source: answered.index }, confidence: 0.95 } : signal;
  if (view.searches.length < QUERIES.length) return { type: 'search', args: { query: QUERIES[view.searches.length] as string } };
  const unread = view.results.find((r) => !r.fetched);
  if (unread && read.length < FETCHES) return { type: 'fetch_doc', args: { source: unread.index } };
  // The first result read that answers, whatever its authority or version.
  if (answered) return { type: 'synthesize', args: { source: answered.index }, confidence: 0.95 };
  if (unread) return { type: 'fetch_doc', args: { source: unread.index } };
  return signal;
}

export const researchPersonas: Personas<ResearchView> = { senior, mid, junior, performative };
