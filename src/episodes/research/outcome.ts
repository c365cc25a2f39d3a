/**
 * The outcome of a research episode, computed when research ends.
 *
 * Research that hits the turn limit without `signal_sufficient` overruns its time box and the story
 * slips out of the sprint (every component 0). After `signal_sufficient` the story is implemented
 * with the synthesized answer (or, with none, a guess from memory, right 20%). A correct answer
 * works first time. A wrong one is caught during development with probability base + bonus, where
 * base is 0.35 for an outdated API (it errors) and 0.15 for a plausible wrong answer (it misbehaves
 * silently), and the bonus is 0.55 / 0.30 / 0 for stated low / medium / high (or no) confidence;
 * caught, it costs a second iteration and 1.5 h per story point of rework but the story is still
 * accepted; not caught, review finds it (3 iterations, 3 h per point of rework, story rejected).
 * Research time past a 1-hour allowance, verification time (2 h for low confidence, 1 h for
 * medium) and rework come out of the story's budget of 2 + 3 * points hours (velocity_maintained).
 *
 * The parts, in the order their links are written: `answerFate` (the answer implemented and what
 * became of it), `sourceUse` (each read source: used, corroborating, set aside or unused),
 * `searchCosts` (searches that surfaced the answer, returned nothing new, or came past the second),
 * `versionCheck`, `answerUse` and `confidenceCalibration` (the code search, the synthesis and the
 * stated confidence), `closing` (how research ended) and `delivery` (the six components).
 * `researchOutcome` combines them into the facts, the components and the links.
 */
import type { DecisionLink, EpisodeResult } from '../../core/episode.js';
import { clamp01, mean, round3 } from '../../core/numbers.js';
import type { OutcomeComponents } from '../../spec/reward.js';
import { answerText, type Scenario, type Source } from './scenario.js';
import { type AnswerId, AUTHORITY, type ConfidenceLevel, type QueryKind, type ResearchFacts } from './types.js';

/** Hours of verification (a spike or contract test) the team adds for each stated confidence level. */
export const VERIFICATION_HOURS: Record<ConfidenceLevel, number> = { low: 2, medium: 1, high: 0 };
/** Added chance of catching a wrong answer during development, by stated confidence. */
const VERIFICATION_CATCH: Record<ConfidenceLevel, number> = { low: 0.55, medium: 0.3, high: 0 };
/** Research hours every story can spend without losing velocity. */
const RESEARCH_ALLOWANCE = 1;
/** Chance that implementing from memory, without research, happens to be right. */
export const GUESS_RIGHT = 0.2;
/** Searches that cost nothing extra; each one past them costs more time and is linked as excess. */
export const FREE_SEARCHES = 2;
/** Query specificity score in [0, 1], for the facts. */
const SPECIFICITY: Record<QueryKind, number> = { generic: 0, specific: 0.5, versioned: 1 };

/** One search as run (world state). */
export interface SearchRecord {
  step: number;
  query: QueryKind;
  /** Major version a versioned query searched for (undefined for other kinds). */
  target?: number;
  /** Result indices returned (new and already known). */
  results: number[];
  /** How many of them were new. */
  newResults: number;
}

/** One first read of a result. */
export interface Fetch {
  step: number;
  /** Result index. */
  result: number;
}

/** Everything the outcome depends on: the hidden scenario, and what the candidate did. */
export interface Investigation extends Scenario {
  /** Pool index of each result index, in the order surfaced. */
  readonly results: readonly number[];
  /** Result indices read. */
  readonly fetched: ReadonlySet<number>;
  readonly fetches: readonly Fetch[];
  readonly searches: readonly SearchRecord[];
  /** Step of the first code search (-1: none). */
  readonly codeSearchedStep: number;
  readonly codeSearches: number;
  /** The synthesized result index (-1: none), its step, and whether the code had been searched by then. */
  readonly synthesized: number;
  readonly synthStep: number;
  readonly synthCodeChecked: boolean;
  readonly confidence: ConfidenceLevel | undefined;
  readonly confidenceValue: number;
  readonly confidenceStep: number;
  readonly hours: number;
  readonly signalled: boolean;
  readonly signalStep: number;
  readonly refetches: number;
}

/** Whether the codebase has been searched (the version in use is known). */
export function codeSearched(r: Investigation): boolean {
  return r.codeSearchedStep >= 0;
}

/** The source behind a result index. */
export function sourceAt(r: Investigation, result: number): Source {
  return r.pool[r.results[result] as number] as Source;
}

/** The answer implemented and what became of it. */
export interface AnswerFate {
  /** The synthesized source, if any. */
  used: Source | undefined;
  correct: boolean;
  /** The answer holds for another major version. */
  outdated: boolean;
  level: ConfidenceLevel | undefined;
  verificationHours: number;
  /** Research never signalled sufficient. */
  truncated: boolean;
  caughtInDev: boolean;
  inReview: boolean;
}

/** The synthesized answer (or a guess) against the truth, and whether development or review catches a wrong one. */
export function answerFate(r: Investigation): AnswerFate {
  const used = r.synthesized >= 0 ? sourceAt(r, r.synthesized) : undefined;
  const usedAnswer: AnswerId = used ? used.answer : r.guess < GUESS_RIGHT ? r.truth : 'wrong';
  const correct = usedAnswer === r.truth;
  const outdated = !correct && (usedAnswer === 'new_api' || usedAnswer === 'old_api');
  const level = r.confidence;
  const verificationHours = level ? VERIFICATION_HOURS[level] : 0;
  const catchChance = (outdated ? 0.35 : 0.15) + (level ? VERIFICATION_CATCH[level] : 0);
  const truncated = !r.signalled;
  const caughtInDev = !truncated && !correct && r.detect < catchChance;
  const inReview = !truncated && !correct && !caughtInDev;
  return { used, correct, outdated, level, verificationHours, truncated, caughtInDev, inReview };
}

/** Retrieved information and what became of it (B-16 utilization), each read linked. */
export function sourceUse(
  r: Investigation,
  fate: AnswerFate,
  links: DecisionLink[],
): { sourcesUsed: number; correctFound: boolean; answersSeen: ReadonlySet<AnswerId> } {
  const { used, correct } = fate;
  const usedAnswerText = used ? used.answer : undefined;
  let sourcesUsed = 0;
  let correctFound = false;
  const answersSeen = new Set<AnswerId>();
  for (const f of r.fetches) {
    const s = sourceAt(r, f.result);
    if (s.answer !== 'none') answersSeen.add(s.answer);
    if (s.answer === r.truth) correctFound = true;
    let effect: string;
    let value: number;
    let note: string;
    if (f.result === r.synthesized) {
      effect = 'used_in_answer';
      value = correct ? 0.1 : -0.1;
      note = `synthesized: ${answerText(r.answers, s.answer)} (${s.kind}, ${s.version}.x)`;
    } else if (used && s.answer === usedAnswerText) {
      effect = 'corroborated';
      value = 0.02;
      note = `agrees with the synthesized answer (${s.kind}, ${s.version}.x)`;
    } else if (codeSearched(r) && used && s.version !== r.inUse && s.answer !== usedAnswerText) {
      effect = 'ruled_out_outdated';
      value = 0.01;
      note = `read, and set aside: written for ${s.version}.x while ${r.inUse}.x is in use`;
    } else {
      effect = 'retrieved_unused';
      value = -0.02;
      note = `read but not used (${s.kind}, ${s.version}.x)`;
    }
    if (effect !== 'retrieved_unused') sourcesUsed++;
    links.push({ step: f.step, effect, target: `r${f.result}`, value, note });
  }
  return { sourcesUsed, correctFound, answersSeen };
}

/** Index of the search that first surfaced a result. */
function firstSurfacing(r: Investigation, result: number): number {
  for (let i = 0; i < r.searches.length; i++) {
    const s = r.searches[i] as SearchRecord;
    if (s.results.includes(result)) return i;
  }
  return -1;
}

/**
 * Each search linked: it surfaced the source the answer came from, returned nothing new (or
 * repeated a query), or came past the second. Returns the number of searches past the second.
 */
export function searchCosts(r: Investigation, correct: boolean, links: DecisionLink[]): number {
  let excessSearches = 0;
  const seenTargets = new Set<string>();
  for (let i = 0; i < r.searches.length; i++) {
    const s = r.searches[i] as SearchRecord;
    const key = `${s.query}:${s.target ?? 0}`;
    const repeat = seenTargets.has(key);
    seenTargets.add(key);
    if (i >= FREE_SEARCHES) excessSearches++;
    const surfacedUsed =
      r.synthesized >= 0 && s.results.includes(r.synthesized) && s.newResults > 0 && firstSurfacing(r, r.synthesized) === i;
    if (surfacedUsed)
      links.push({
        step: s.step,
        effect: 'surfaced_used_source',
        target: `r${r.synthesized}`,
        value: correct ? 0.05 : -0.05,
        note: `${s.query} query surfaced the source the answer came from`,
      });
    else if (repeat || s.newResults === 0)
      links.push({ step: s.step, effect: 'redundant_search', target: s.query, value: -0.02, note: 'the query returned nothing new' });
    else if (i >= FREE_SEARCHES)
      links.push({ step: s.step, effect: 'excess_search', target: s.query, value: -0.02, note: `search ${i + 1} past the second` });
  }
  return excessSearches;
}

/** Links the code search: the version in use checked before the synthesis, or only revealed. */
export function versionCheck(r: Investigation, links: DecisionLink[]): void {
  if (r.codeSearchedStep < 0) return;
  links.push({
    step: r.codeSearchedStep,
    effect: r.synthCodeChecked ? 'recency_checked' : 'version_revealed',
    target: `${r.inUse}.x`,
    value: r.synthCodeChecked ? 0.05 : 0,
    note: `the codebase uses ${r.lib} ${r.inUse}.x (latest ${r.latest}.x)`,
  });
}

/** Links the synthesis: the answer worked, was outdated or wrong (caught in development or in review). */
export function answerUse(r: Investigation, fate: AnswerFate, links: DecisionLink[]): void {
  if (r.synthStep < 0) return;
  const { correct, outdated, caughtInDev } = fate;
  links.push({
    step: r.synthStep,
    effect: correct ? 'correct_answer_used' : outdated ? 'outdated_answer_used' : 'wrong_answer_used',
    target: `r${r.synthesized}`,
    value: correct ? 0.3 : caughtInDev ? -0.15 : -0.5,
    note: correct
      ? 'the implementation works with the synthesized answer'
      : outdated
        ? `the answer holds for another major version than ${r.inUse}.x; ${caughtInDev ? 'caught in development' : 'review found it'}`
        : `the answer is wrong (${r.topic.wrongWhy}); ${caughtInDev ? 'caught in development' : 'review found it'}`,
  });
}

/** Whether the stated confidence fits the answer's correctness (not low when right, not high when wrong); linked. */
export function confidenceCalibration(r: Investigation, fate: AnswerFate, links: DecisionLink[]): boolean {
  const { level, correct } = fate;
  const calibrated = level ? (correct ? level !== 'low' : level !== 'high') : false;
  if (r.confidenceStep >= 0) {
    links.push({
      step: r.confidenceStep,
      effect: calibrated ? 'calibrated_confidence' : correct ? 'underconfident' : 'overconfident',
      value: calibrated ? 0.05 : -0.05,
      note: `stated ${level} confidence in ${correct ? 'a correct' : 'a wrong'} answer${fate.caughtInDev ? '; the verification caught the mistake' : ''}`,
    });
  }
  return calibrated;
}

/** Links how research ended: overran, closed with an answer, or closed on a guess. */
export function closing(r: Investigation, fate: AnswerFate, links: DecisionLink[]): void {
  const { truncated, used } = fate;
  links.push({
    step: r.signalled ? r.signalStep : -1,
    effect: truncated ? 'research_overran' : used ? 'signalled_with_answer' : 'signalled_on_guess',
    value: truncated ? -0.1 : used ? 0.05 : -0.2,
    note: truncated
      ? 'research hit the time box without a decision'
      : used
        ? 'research closed with an answer'
        : 'no answer synthesized: implemented from memory',
  });
}

export interface Delivery {
  reworkHours: number;
  velocity: number;
  iterations: number;
  testsPassing: number;
  coverage: number;
  components: OutcomeComponents;
}

/** Rework and lost hours against the story's budget, and the six components. */
export function delivery(r: Investigation, fate: AnswerFate): Delivery {
  const { truncated, correct, caughtInDev, inReview, verificationHours } = fate;
  const researchHours = r.hours;
  const reworkHours = caughtInDev ? 1.5 * r.points : inReview ? 3 * r.points : 0;
  const budgetHours = 2 + 3 * r.points;
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
  return { reworkHours, velocity, iterations, testsPassing, coverage, components };
}

/** The episode's outcome: facts, the six components and the decision links. */
export function researchOutcome(r: Investigation): EpisodeResult<ResearchFacts> {
  const links: DecisionLink[] = [];
  const fate = answerFate(r);
  const { used, correct, outdated, level, truncated, caughtInDev, inReview } = fate;
  const { sourcesUsed, correctFound, answersSeen } = sourceUse(r, fate, links);
  const excessSearches = searchCosts(r, correct, links);
  versionCheck(r, links);
  answerUse(r, fate, links);
  const calibrated = confidenceCalibration(r, fate, links);
  closing(r, fate, links);
  const done = delivery(r, fate);

  const searches = r.searches.length;
  const specificity = mean(r.searches.map((s) => SPECIFICITY[s.query]));
  const fetchedCount = r.fetches.length;
  const crossChecked =
    used !== undefined && r.fetches.some((f) => f.result !== r.synthesized && sourceAt(r, f.result).answer === used.answer);
  return {
    facts: {
      scenario: r.pinned ? 'pinned' : 'current',
      points: r.points,
      latestVersion: r.latest,
      versionInUse: r.inUse,
      signalledSufficient: r.signalled,
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
      versionedQuery: r.searches.some((s) => s.query === 'versioned'),
      versionedQueryOnVersionInUse: r.searches.some((s) => s.query === 'versioned' && s.target === r.inUse),
      codeSearched: codeSearched(r),
      codeSearches: r.codeSearches,
      codeSearchedFirst: r.codeSearchedStep === 0,
      recencyChecked: r.synthCodeChecked,
      sourcesSurfaced: r.results.length,
      sourcesFetched: fetchedCount,
      sourcesUsed,
      informationUtilization: fetchedCount > 0 ? round3(sourcesUsed / fetchedCount) : 0,
      refetches: r.refetches,
      sourcesDisagreed: answersSeen.size > 1,
      crossChecked,
      usedSourceKind: used ? used.kind : 'none',
      usedSourceAuthority: used ? AUTHORITY[used.kind] : 0,
      usedSourceVersion: used ? used.version : 0,
      usedSourceVersionMatches: used ? used.version === r.inUse : false,
      confidenceStated: level !== undefined,
      confidenceLevel: level ?? 'none',
      statedConfidence: level ? round3(r.confidenceValue) : 0,
      confidenceError: level ? round3(Math.abs(r.confidenceValue - (correct ? 1 : 0))) : 1,
      confidenceCalibrated: calibrated,
      defectCaughtInDev: caughtInDev,
      defectInReview: inReview,
      storySlipped: truncated,
      storyAccepted: !truncated && !inReview,
      iterations: done.iterations,
      researchHours: round3(r.hours),
      verificationHours: fate.verificationHours,
      reworkHours: round3(done.reworkHours),
      velocityEffect: round3(done.velocity - 1),
      testsPassing: done.testsPassing,
      coverage: done.coverage,
    },
    components: done.components,
    links,
  };
}
