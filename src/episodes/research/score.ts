/**
 * Behavior codes scored on E-1.5 research traces: B-16 (search strategy), B-17 (source evaluation)
 * and B-04 (sufficiency: stopping the research once enough is known).
 *
 * reward.yaml gives B-16 and B-17 one combined signal list (`B-16_B-17`); it is split per code:
 * B-16 takes query_specificity, information_utilization and search_efficiency, B-17 takes
 * source_authority and recency_check plus `outdated_info_avoided`, taken from B-17's proxy
 * ("outdated information used < 0.1"). B-04's elicitation signals are read for research:
 * question_count_calibration is the research-action count against a needed band, explicit_transition
 * is `signal_sufficient` with an answer committed, assumptions_stated is a stated confidence that
 * fits the evidence. Formulas and stand-ins: docs/reward.md.
 *
 * Evidence is the candidate's own valid actions (their types and arguments, in order), the links
 * the episode attached to them, and the outcome facts of `finish()`; never the prompt's wording.
 */

import { clamp01 } from '../../core/numbers.js';
import {
  blendedJudgeSignal,
  type CodeScore,
  codeScore,
  judgeSignal,
  type PerformativeRules,
  type ScoreContext,
  type SignalValue,
} from '../../core/scorer.js';
import type { DecisionRecord } from '../../core/trace.js';
import { FREE_SEARCHES } from './outcome.js';
import type { ConfidenceLevel, ResearchFacts, ResearchTrace } from './types.js';

const LEVEL_INDEX: Record<ConfidenceLevel, number> = { low: 0, medium: 1, high: 2 };

/** query_specificity stand-in per search: a versioned query counts fully only once the version in use is known. */
const QUERY_VALUE = { generic: 0, specific: 0.7, versioned_known: 1, versioned_blind: 0.6 } as const;
/** Research actions needed at least: the version check, one search, one read. */
const MIN_RESEARCH = 3;
/** Upper end of the needed band before the cross-check allowances. */
const BASE_MAX_RESEARCH = 5;

interface Walk {
  codeSearchIds: string[];
  searchIds: string[];
  fetchIds: string[];
  synthIds: string[];
  confidenceIds: string[];
  signalIds: string[];
  searches: number;
  specificitySum: number;
  redundantSearches: number;
  codeSearches: number;
  fetches: number;
  /** Last stated confidence level (from the action), or undefined. */
  level: ConfidenceLevel | undefined;
}

/** One pass over the valid decisions. */
function walk(decisions: readonly DecisionRecord[]): Walk {
  const w: Walk = {
    codeSearchIds: [],
    searchIds: [],
    fetchIds: [],
    synthIds: [],
    confidenceIds: [],
    signalIds: [],
    searches: 0,
    specificitySum: 0,
    redundantSearches: 0,
    codeSearches: 0,
    fetches: 0,
    level: undefined,
  };
  for (const d of decisions) {
    if (!d.valid) continue;
    const a = d.action;
    switch (a.type) {
      case 'search_code':
        w.codeSearches++;
        w.codeSearchIds.push(d.id);
        break;
      case 'search': {
        w.searches++;
        w.searchIds.push(d.id);
        const q = a.args?.query;
        w.specificitySum +=
          q === 'versioned'
            ? w.codeSearches > 0
              ? QUERY_VALUE.versioned_known
              : QUERY_VALUE.versioned_blind
            : q === 'specific'
              ? QUERY_VALUE.specific
              : QUERY_VALUE.generic;
        for (const l of d.links) if (l.effect === 'redundant_search') w.redundantSearches++;
        break;
      }
      case 'fetch_doc':
        w.fetches++;
        w.fetchIds.push(d.id);
        break;
      case 'synthesize':
        w.synthIds.push(d.id);
        break;
      case 'assess_confidence': {
        const level = a.args?.level;
        if (level === 'low' || level === 'medium' || level === 'high') w.level = level;
        w.confidenceIds.push(d.id);
        break;
      }
      case 'signal_sufficient':
        w.signalIds.push(d.id);
        break;
    }
  }
  return w;
}

/**
 * The confidence the evidence supports when the answer was committed: high for the official docs of
 * the version in use (checked in the codebase), uncontradicted; medium for another source of that
 * version, a contradiction, or authoritative docs whose version fit was never checked; low for a
 * source of another version or an unchecked, less authoritative one.
 */
function supportedLevel(o: ResearchFacts): ConfidenceLevel {
  const authority = o.usedSourceAuthority;
  if (!o.recencyChecked) return authority >= 0.8 ? 'medium' : 'low';
  if (!o.usedSourceVersionMatches) return 'low';
  return authority >= 1 && !o.sourcesDisagreed ? 'high' : 'medium';
}

export function scoreResearch(trace: ResearchTrace, context: ScoreContext): CodeScore[] {
  const o = trace.outcome;
  const w = walk(trace.decisions);
  const synthesized = o.synthesized;
  const correct = o.correctAnswerUsed;
  const truncated = o.truncated || !o.signalledSufficient;
  const fetched = o.sourcesFetched;
  const points = o.points;

  // ---- B-16 search strategy ----
  const specificity = w.searches > 0 ? w.specificitySum / w.searches : 0;
  let utilization = fetched > 0 ? o.informationUtilization : 0;
  // The right answer was retrieved and then not used in the work.
  if (o.correctInfoFound && !correct) utilization *= 0.4;
  const efficiency = w.searches > 0 ? clamp01(Math.min(1, FREE_SEARCHES / w.searches) - 0.25 * w.redundantSearches) : 0;
  const b16Signals: SignalValue[] = [
    judgeSignal('query_specificity', 0.2, 'B-16', context, specificity),
    { name: 'information_utilization', source: 'outcome', weight: 0.25, value: utilization },
    { name: 'search_efficiency', source: 'trace', weight: 0.2, value: efficiency },
  ];
  const b16Reason =
    w.searches === 0
      ? 'no search: the knowledge gap was never researched'
      : `${w.searches} search(es), specificity ${specificity.toFixed(2)}, ${w.redundantSearches} redundant; ` +
        `${o.sourcesUsed}/${fetched} read source(s) used${o.correctInfoFound && !correct ? '; the correct answer was read but not used' : ''}`;

  // ---- B-17 source evaluation ----
  const usedAuthority = synthesized ? o.usedSourceAuthority : 0;
  // Cross-checking matters when the decision is important (a big story).
  const crossCheck = points >= 5 ? (o.crossChecked ? 1 : 0.4) : 1;
  const authority = synthesized ? 0.8 * usedAuthority + 0.2 * crossCheck : 0;
  const recency = o.recencyChecked ? 1 : o.codeSearched && synthesized ? 0.5 : 0;
  let outdatedAvoided: number;
  if (!synthesized) outdatedAvoided = 0;
  else if (o.outdatedInfoUsed) outdatedAvoided = w.level === 'low' ? 0.3 : w.level === 'medium' ? 0.15 : 0;
  else outdatedAvoided = o.usedSourceVersionMatches ? 1 : 0.5;
  const b17Signals: SignalValue[] = [
    judgeSignal('source_authority', 0.2, 'B-17', context, authority),
    { name: 'recency_check', source: 'trace', weight: 0.15, value: recency },
    { name: 'outdated_info_avoided', source: 'outcome', weight: 0.2, value: outdatedAvoided },
  ];
  const b17Reason = synthesized
    ? `answer from ${o.usedSourceKind} ${o.usedSourceVersion}.x (in use ${o.versionInUse}.x); ` +
      `version ${o.recencyChecked ? 'checked before committing' : o.codeSearched ? 'checked only after committing' : 'never checked'}` +
      `${o.outdatedInfoUsed ? '; outdated information used' : ''}${points >= 5 && !o.crossChecked ? '; big story not cross-checked' : ''}`
    : 'no source adopted: implemented from memory';

  // ---- B-04 sufficiency (stopping research once enough is known) ----
  const total = w.codeSearches + w.searches + w.fetches;
  const useful = Math.min(1, w.codeSearches) + (w.searches - w.redundantSearches) + (w.fetches - o.refetches);
  const maxNeeded = BASE_MAX_RESEARCH + (points >= 5 ? 1 : 0) + (o.sourcesDisagreed ? 1 : 0);
  const countCalibration =
    total > maxNeeded ? clamp01(1 - (total - maxNeeded) / maxNeeded) : useful < MIN_RESEARCH ? clamp01(useful / MIN_RESEARCH) : 1;
  const calibrationSignal = blendedJudgeSignal('question_count_calibration', 0.4, 'B-04', context, countCalibration);
  const transition = !truncated && synthesized ? 1 : 0;
  let confidence = 0;
  if (w.level !== undefined && synthesized) {
    const fit = 1 - Math.abs(LEVEL_INDEX[w.level] - LEVEL_INDEX[supportedLevel(o)]) / 2;
    confidence = 0.5 * fit + 0.5 * (1 - o.confidenceError);
  }
  const quality = truncated ? 0 : correct ? 1 : o.defectCaughtInDev ? 0.5 : 0;
  const b04Signals: SignalValue[] = [
    calibrationSignal,
    { name: 'explicit_transition', source: 'trace', weight: 0.2, value: transition },
    { name: 'assumptions_stated', source: 'trace', weight: 0.2, value: confidence },
    { name: 'outcome_quality', source: 'outcome', weight: 0.2, value: quality },
  ];
  const b04Reason =
    `${total} research action(s) (${useful} useful; band ${MIN_RESEARCH}-${maxNeeded}); ` +
    (truncated ? 'never signalled: the time box overran' : synthesized ? 'signalled with an answer' : 'signalled on a guess') +
    (w.level ? `; stated ${w.level} confidence (evidence supports ${synthesized ? supportedLevel(o) : 'none'})` : '; no confidence stated');

  return [
    codeScore('B-16', b16Signals, [...w.searchIds, ...w.fetchIds, ...w.synthIds], b16Reason),
    codeScore('B-17', b17Signals, [...w.codeSearchIds, ...w.fetchIds, ...w.synthIds, ...w.confidenceIds], b17Reason),
    codeScore(
      'B-04',
      b04Signals,
      [...w.codeSearchIds, ...w.searchIds, ...w.fetchIds, ...w.synthIds, ...w.confidenceIds, ...w.signalIds],
      b04Reason,
    ),
  ];
}

/** Performative-risk rules of research (`reward/performative.ts`). */
export const performativeRules: PerformativeRules = {
  motions: new Set(['search', 'search_code', 'fetch_doc']),
  hollow: new Set(['retrieved_unused', 'redundant_search', 'excess_search']),
};
