/**
 * Behavior codes scored on borrowing_arrival (E-3.1) traces: B-18 codebase reconnaissance, B-19
 * convention respect, B-20 context acquisition efficiency, B-22 help request quality.
 *
 * Evidence, structured only: the candidate's valid actions (types and arguments, in order), the
 * links the episode attaches to them (`key_file_read`, `irrelevant_read`, `excess_reading`,
 * `repeated_read`, `evidence_found`, `docs_informative`, `docs_answered_question`,
 * `redundant_question`, `resolved_first_exchange`, `resolved_after_exchanges`,
 * `question_unanswered`, `unbacked_context`, `convention_confirmed`, `premature_identification`,
 * `priority_confirmed`, `priority_ruled_out`, `worked_on_priority`, `wrong_priority`,
 * `convention_violation`) and the outcome facts of `finish()` (violations, time to the first useful
 * contribution, whether the docs could settle the priority). reward.yaml's combined
 * `B-18_B-19_B-20` list is split by what each code describes, with signals added from each code's
 * proxy; B-22 has no list there, so its signals come from its proxy ("help requests resolved in
 * one exchange / help requests") and its do/avoid lists. Formulas:
 * docs/reward.md.
 */

import { clamp01, mean } from '../../core/numbers.js';
import { type CodeScore, codeScore, judgeSignal, type PerformativeRules, type ScoreContext, type SignalValue } from '../../core/scorer.js';
import type { DecisionRecord, Trace } from '../../core/trace.js';
import { hasLink } from '../common.js';
import { KEY_ROLES } from './scenario.js';
import { ASPECTS, type BorrowingArrivalFacts, type BorrowingArrivalHidden } from './types.js';

/** Aspects of the team conventions. */
const ASPECT_COUNT = ASPECTS.length;
/** Window of the B-20 proxy: productive actions among the first five. */
const EARLY_WINDOW = 5;
const CONTEXT_VALUE: Record<string, number> = { none: 0, tried: 0.6, tried_and_proposal: 1 };

type BorrowingArrivalTrace = Trace<BorrowingArrivalFacts, BorrowingArrivalHidden>;

interface Walk {
  /** Valid decisions before (and excluding) start_work. */
  before: DecisionRecord[];
  start: DecisionRecord | undefined;
  keyRolesRead: Set<string>;
  wastedReads: DecisionRecord[];
  keyReads: DecisionRecord[];
  questions: DecisionRecord[];
  proposals: DecisionRecord[];
  identifications: DecisionRecord[];
  premature: DecisionRecord[];
  /** Decisions that moved the picture forward (B-20). */
  productive: Set<string>;
}

function walk(trace: BorrowingArrivalTrace): Walk {
  const w: Walk = {
    before: [],
    start: undefined,
    keyRolesRead: new Set(),
    wastedReads: [],
    keyReads: [],
    questions: [],
    proposals: [],
    identifications: [],
    premature: [],
    productive: new Set(),
  };
  for (const d of trace.decisions) {
    if (!d.valid) continue;
    const type = d.action.type;
    if (type === 'start_work') {
      w.start = d;
      if (hasLink(d, 'worked_on_priority')) w.productive.add(d.id);
      break;
    }
    w.before.push(d);
    switch (type) {
      case 'read_file': {
        const key = d.links.find((l) => l.effect === 'key_file_read');
        if (key) {
          w.keyReads.push(d);
          w.productive.add(d.id);
          if (key.target && KEY_ROLES.some((role) => role === key.target)) w.keyRolesRead.add(key.target);
        } else if (hasLink(d, 'irrelevant_read') || hasLink(d, 'excess_reading') || hasLink(d, 'repeated_read')) w.wastedReads.push(d);
        break;
      }
      case 'search_code':
        if (hasLink(d, 'evidence_found')) w.productive.add(d.id);
        break;
      case 'read_docs':
        if (hasLink(d, 'docs_informative') || hasLink(d, 'docs_checked')) w.productive.add(d.id);
        break;
      case 'ask_team':
        w.questions.push(d);
        if ((hasLink(d, 'resolved_first_exchange') || hasLink(d, 'resolved_after_exchanges')) && !hasLink(d, 'unbacked_context'))
          w.productive.add(d.id);
        break;
      case 'identify_conventions':
        w.identifications.push(d);
        if (hasLink(d, 'convention_confirmed')) w.productive.add(d.id);
        if (hasLink(d, 'premature_identification')) w.premature.push(d);
        break;
      case 'propose_contribution':
        w.proposals.push(d);
        if (!hasLink(d, 'redundant_proposal')) w.productive.add(d.id);
        break;
    }
  }
  return w;
}

/** Quality of one question in [0, 1]: good and resolved at once 1, good after more exchanges 0.7, vague 0.3, docs-answered or repeated 0. */
function questionQuality(d: DecisionRecord): number {
  if (hasLink(d, 'docs_answered_question') || hasLink(d, 'redundant_question')) return 0;
  let q = hasLink(d, 'resolved_first_exchange') ? 1 : hasLink(d, 'resolved_after_exchanges') ? 0.7 : 0.3;
  if (hasLink(d, 'unbacked_context')) q -= 0.3;
  return clamp01(q);
}

/** The context a request really carried (an unbacked claim counts as what the actions backed). */
function effectiveContext(d: DecisionRecord): number {
  if (hasLink(d, 'docs_answered_question') || hasLink(d, 'redundant_question')) return 0;
  const claimed = CONTEXT_VALUE[String(d.action.args?.context)] ?? 0;
  if (!hasLink(d, 'unbacked_context')) return claimed;
  // Backed one level lower at least: vague questions take two or three exchanges.
  return hasLink(d, 'resolved_first_exchange') ? Math.min(claimed, CONTEXT_VALUE.tried as number) : 0;
}

function ids(...groups: (DecisionRecord | undefined)[][]): string[] {
  const out: string[] = [];
  for (const g of groups) for (const d of g) if (d) out.push(d.id);
  return out;
}

/** B-18: the layout's key parts read before writing, without reading everything; productive soon; few violations. */
function reconnaissance(trace: BorrowingArrivalTrace, w: Walk): CodeScore {
  const f = trace.outcome;
  const delivered = f.delivered;
  const coverage = w.keyRolesRead.size / KEY_ROLES.length;
  const readBeforeWrite = clamp01(coverage - 0.15 * w.wastedReads.length);
  const target = f.targetHours;
  const time = f.timeToUsefulHours;
  const productivity = delivered ? clamp01(1 - Math.max(0, time - target) / (0.5 * target)) : 0;
  const violations = f.conventionViolations;
  const few = !delivered ? null : violations < 2 ? 1 : violations === 2 ? 0.5 : 0;
  const signals: SignalValue[] = [
    { name: 'read_before_write', source: 'trace', weight: 0.2, value: readBeforeWrite },
    { name: 'time_to_productivity', source: 'trace', weight: 0.25, value: productivity },
    { name: 'first_contribution_violations', source: 'outcome', weight: 0.2, value: few },
  ];
  const missing = KEY_ROLES.filter((r) => !w.keyRolesRead.has(r));
  const reason =
    `read ${w.keyRolesRead.size}/3 key parts${missing.length > 0 ? ` (not ${missing.join(', ')})` : ''} before writing, ${w.wastedReads.length} wasted read(s); ` +
    (delivered ? `first useful contribution after ${time} h (target ${target} h), ${violations} violation(s)` : 'no contribution');
  return codeScore('B-18', signals, ids(w.keyReads, w.wastedReads, [w.start]), reason);
}

/** B-19: the contribution follows the team's conventions, established from evidence, not asserted from home habits. */
function conventionRespect(trace: BorrowingArrivalTrace, w: Walk): CodeScore {
  const f = trace.outcome;
  const delivered = f.delivered;
  const violations = f.conventionViolations;
  const known = f.conventionsKnown;
  const adherence = delivered ? clamp01(1 - violations / ASPECT_COUNT) : null;
  const established = clamp01(known / ASPECT_COUNT - 0.1 * w.premature.length);
  const signals: SignalValue[] = [
    { name: 'convention_violations', source: 'outcome', weight: 0.25, value: adherence },
    { name: 'conventions_established', source: 'trace', weight: 0.15, value: established },
  ];
  const violationIds = w.start?.links.some((l) => l.effect === 'convention_violation') ? [w.start] : [];
  const reason =
    `${known}/${ASPECT_COUNT} conventions known before writing, ${w.premature.length} asserted without evidence; ` +
    (delivered ? `${violations} violation(s) in the first contribution` : 'no contribution');
  return codeScore('B-19', signals, ids(w.identifications, violationIds), reason);
}

/** B-20: docs before questions, questions of quality, focused reading, productive from the start, the right need. */
function contextAcquisition(trace: BorrowingArrivalTrace, context: ScoreContext, w: Walk): CodeScore {
  const f = trace.outcome;
  const delivered = f.delivered;
  const needed = f.helpNeededForPriority;
  const asked = w.questions.length;
  let quality: number | null;
  if (asked > 0) quality = mean(w.questions.map((d) => questionQuality(d)));
  else quality = needed && !f.priorityConfirmed ? 0 : null; // asking nothing when only people knew
  const relevance = delivered && f.onPriority ? 1 : 0;
  const early = w.before.slice(0, EARLY_WINDOW);
  if (early.length < EARLY_WINDOW && w.start) early.push(w.start);
  const productiveEarly = early.length > 0 ? early.filter((d) => w.productive.has(d.id)).length / early.length : 0;
  const lowQuality = w.questions.filter((d) => hasLink(d, 'docs_answered_question') || hasLink(d, 'redundant_question'));
  const docsFirst = asked > 0 ? 1 - lowQuality.length / asked : null;
  const focused = clamp01(1 - 0.25 * w.wastedReads.length);
  const signals: SignalValue[] = [
    judgeSignal('context_question_quality', 0.15, 'B-20', context, quality),
    { name: 'contribution_relevance', source: 'outcome', weight: 0.15, value: relevance },
    { name: 'early_productivity', source: 'trace', weight: 0.25, value: productiveEarly },
    { name: 'docs_before_asking', source: 'trace', weight: 0.2, value: docsFirst },
    { name: 'focused_reading', source: 'trace', weight: 0.1, value: focused },
  ];
  const reason =
    `${asked} question(s), ${lowQuality.length} about what the docs answer or already known; ` +
    `${Math.round(productiveEarly * early.length)}/${early.length} productive early action(s); ${w.wastedReads.length} wasted read(s); ` +
    (delivered ? (relevance ? 'worked on the team priority' : 'worked on another need') : 'no contribution');
  return codeScore('B-20', signals, ids(w.questions, early, w.wastedReads), reason);
}

/** B-22: requests that say what was tried and propose an answer, resolved in one exchange; help sought when only people knew. */
function helpRequests(trace: BorrowingArrivalTrace, context: ScoreContext, w: Walk): CodeScore {
  const f = trace.outcome;
  // Proposals are requests too ("I propose X; is it your top priority?"), always with a proposal.
  const requests = w.questions.length + w.proposals.length;
  const resolvedQuestions = w.questions.filter((d) => hasLink(d, 'resolved_first_exchange')).length;
  const freshProposals = w.proposals.filter((d) => !hasLink(d, 'redundant_proposal')).length;
  const oneExchange = requests > 0 ? (resolvedQuestions + freshProposals) / requests : null;
  const contextValue = requests > 0 ? (w.questions.reduce((s, d) => s + effectiveContext(d), 0) + freshProposals) / requests : null;
  const needed = f.helpNeededForPriority;
  const sought = f.priorityAskedOrProposed;
  const whenNeeded = needed ? (sought ? 1 : 0) : 1;
  const signals: SignalValue[] = [
    { name: 'one_exchange_resolution', source: 'outcome', weight: 0.4, value: oneExchange },
    judgeSignal('request_context', 0.3, 'B-22', context, contextValue),
    { name: 'help_sought_when_needed', source: 'outcome', weight: 0.3, value: whenNeeded },
  ];
  const reason =
    `${requests} help request(s) (${w.questions.length} question(s), ${w.proposals.length} proposal(s)), ` +
    `${resolvedQuestions + freshProposals} resolved in one exchange; ` +
    (needed
      ? sought
        ? 'asked about the priority the docs could not settle'
        : 'never asked about a priority only people knew'
      : 'the docs settled the priority');
  return codeScore('B-22', signals, ids(w.questions, w.proposals, [w.start]), reason);
}

export function scoreBorrowingArrival(trace: BorrowingArrivalTrace, context: ScoreContext): CodeScore[] {
  const w = walk(trace);
  return [reconnaissance(trace, w), conventionRespect(trace, w), contextAcquisition(trace, context, w), helpRequests(trace, context, w)];
}

/** Performative-risk rules of borrowing_arrival (`reward/performative.ts`). */
export const performativeRules: PerformativeRules = {
  motions: new Set(['read_file', 'search_code', 'read_docs', 'ask_team', 'identify_conventions', 'propose_contribution']),
  hollow: new Set([
    'irrelevant_read',
    'excess_reading',
    'repeated_read',
    'repeated_search',
    'repeated_docs',
    'docs_answered_question',
    'redundant_question',
    'unbacked_context',
    'question_unanswered',
    'premature_identification',
    'redundant_identification',
    'redundant_proposal',
  ]),
  substantive: new Set(['key_file_read', 'evidence_found', 'convention_confirmed', 'priority_confirmed', 'resolved_first_exchange']),
  // Proposals whose answer was ignored: the team said "not our priority" and work started there anyway.
  unlinked: (decisions) => {
    const ds = decisions.filter((d) => d.valid);
    const start = ds.find((d) => d.action.type === 'start_work');
    if (!start?.links.some((l) => l.effect === 'ignored_team_answer')) return [];
    const ids = ds
      .filter((d) => d.action.type === 'propose_contribution' && d.action.args?.need === start.action.args?.need)
      .map((d) => d.id);
    return ids.length > 0 ? [{ ids, reason: 'proposed a need, heard it is not the priority, and started on it anyway' }] : [];
  },
};
