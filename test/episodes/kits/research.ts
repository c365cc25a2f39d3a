/**
 * Plan steps shared by the research package's world and scorer tests: searches, and fetching or
 * synthesizing the first result a predicate picks from the view.
 */
import type { Action } from '../../../src/core/episode.js';
import type { ResearchView, ResultView } from '../../../src/episodes/research/types.js';
import type { PlanStep } from '../../helpers.js';

export type Step = PlanStep<ResearchView>;
type Pick = (r: ResultView, v: ResearchView) => boolean;

export const act = (type: string, args: Record<string, string | number> = {}): Action => ({ type, args });
export const search = (query: string) => act('search', { query });

/** Fetches the first unfetched result `pick` chooses. */
export const fetchWhere =
  (pick: Pick): Step =>
  (v) => {
    const r = v.results.find((x) => !x.fetched && pick(x, v));
    return r ? act('fetch_doc', { source: r.index }) : undefined;
  };

/** Synthesizes the first fetched result with an answer that `pick` chooses. */
export const synthWhere =
  (pick: Pick): Step =>
  (v) => {
    const r = v.results.find((x) => x.fetched && x.answer && pick(x, v));
    return r ? act('synthesize', { source: r.index }) : undefined;
  };

/** Official docs for the version the codebase uses. */
export const docsInUse = (r: ResultView, v: ResearchView) => r.kind === 'official_docs' && r.titleVersion === v.codebase.versionInUse;
/** Official docs of the latest version listed. */
export const latestDocs = (r: ResultView, v: ResearchView) =>
  r.kind === 'official_docs' && r.titleVersion === Math.max(...v.results.map((x) => x.titleVersion ?? 0));
