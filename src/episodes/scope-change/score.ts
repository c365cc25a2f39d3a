/**
 * Behavior codes scored on scope_change (E-2.3) traces: B-02 scope boundary probing, B-13
 * severity triage, B-14 graceful replanning, B-25 YAGNI.
 *
 * Evidence, structured only: the candidate's actions (assess_new_scope, ask_po,
 * negotiate_tradeoff, accept_scope, defer_scope) in order, the links the episode attaches
 * (handling_right/partial/wrong, tradeoff_agreed, needless_swap, proposal_refused, overcommitted,
 * gold_plating, unneeded_work ...), the outcome facts and the hidden truth (value, urgency, size,
 * whether a slice would do, the right handling).
 *
 * Meanings kept consistent with the Stage-1 scorers: B-02 as in elicitation (an explicit question
 * about what is out of scope / the minimum, delivered scope matching the intended scope, no
 * gold-plating; nothing taken in means nothing gold-plated, so that signal is not measurable);
 * B-25 as in implementation (the same three signals with the same per-code weights,
 * `SCOPING_WEIGHTS`). B-13 reads the decision as a rating: scope_change has no explicit rating
 * action, so accepting says "needed this sprint" (severity) and the accepted load says how much of
 * the sprint it takes (blast radius). Formulas: docs/reward.md.
 */

import { clamp01 } from '../../core/numbers.js';
import { type CodeScore, codeScore, judgeSignal, type PerformativeRules, type ScoreContext, type SignalValue } from '../../core/scorer.js';
import type { DecisionRecord, Trace } from '../../core/trace.js';
import { SCOPING_WEIGHTS } from '../../spec/reward.js';
import type { ScopeChangeFacts, ScopeChangeHidden } from './types.js';

type ScopeChangeTrace = Trace<ScopeChangeFacts, ScopeChangeHidden>;

interface Walk {
  decisionId: string | undefined;
  decisionStep: number;
  /** Step at which urgency and value were first learned (asked or analyzed), or -1. */
  urgencyStep: number;
  valueStep: number;
  minimumAsk: DecisionRecord | undefined;
  asks: DecisionRecord[];
  proposals: DecisionRecord[];
  analyses: DecisionRecord[];
}

function walk(trace: ScopeChangeTrace): Walk {
  const w: Walk = {
    decisionId: undefined,
    decisionStep: -1,
    urgencyStep: -1,
    valueStep: -1,
    minimumAsk: undefined,
    asks: [],
    proposals: [],
    analyses: [],
  };
  for (const d of trace.decisions) {
    if (!d.valid) continue;
    const a = d.action;
    switch (a.type) {
      case 'ask_po': {
        w.asks.push(d);
        const topic = a.args?.topic;
        if (topic === 'urgency' && w.urgencyStep < 0) w.urgencyStep = d.step;
        if (topic === 'value' && w.valueStep < 0) w.valueStep = d.step;
        if (topic === 'minimum' && !w.minimumAsk) w.minimumAsk = d;
        break;
      }
      case 'assess_new_scope': {
        w.analyses.push(d);
        const aspect = a.args?.aspect;
        if (aspect === 'urgency' && w.urgencyStep < 0) w.urgencyStep = d.step;
        if (aspect === 'value' && w.valueStep < 0) w.valueStep = d.step;
        break;
      }
      case 'negotiate_tradeoff':
        w.proposals.push(d);
        break;
      case 'accept_scope':
      case 'defer_scope':
        w.decisionId = d.id;
        w.decisionStep = d.step;
        break;
    }
  }
  return w;
}

/** What the scorers need to know of the card and the decision. */
interface Situation {
  needed: boolean;
  accepted: boolean;
  deferred: boolean;
  decided: boolean;
  inScope: number;
  neededScope: number;
  sliceable: boolean;
}

function situationOf(trace: ScopeChangeTrace): Situation {
  const o = trace.outcome;
  const h = trace.hidden;
  return {
    needed: h.needed,
    accepted: o.accepted,
    deferred: o.deferred,
    decided: !o.noDecision,
    inScope: o.inScopePoints,
    neededScope: h.neededScope,
    sliceable: h.sliceable,
  };
}

/** B-02: asked for the minimum, took in the intended scope, no more. */
function scopeProbing(w: Walk, x: Situation): CodeScore {
  const askedBefore = w.minimumAsk !== undefined && (w.decisionStep < 0 || w.minimumAsk.step < w.decisionStep);
  // Scope only needs probing when the card needs to come in: nothing to bound otherwise.
  const explicit = x.needed ? (askedBefore ? 1 : 0) : null;
  let match: number;
  if (x.needed) match = x.accepted ? (x.inScope === x.neededScope ? 1 : x.inScope > x.neededScope ? 0.5 : 0) : 0;
  else match = x.accepted ? 0 : x.decided ? 1 : 0;
  // Nothing taken in, nothing gold-plated: not measurable.
  const excess = x.accepted ? Math.max(0, x.inScope - (x.needed ? x.neededScope : 0)) : 0;
  const goldPlating = x.accepted && x.inScope > 0 ? clamp01(1 - excess / x.inScope) : null;
  const signals: SignalValue[] = [
    { name: 'explicit_scope_question', source: 'trace', weight: 0.3, value: explicit },
    { name: 'scope_match', source: 'outcome', weight: 0.4, value: match },
    { name: 'gold_plating_penalty', source: 'outcome', weight: 0.3, value: goldPlating },
  ];
  const reason =
    `${askedBefore ? 'asked the product owner for the minimum' : 'never asked what the minimum is'}; ` +
    `${x.accepted ? `took in ${x.inScope} point(s)` : x.deferred ? 'deferred' : 'no decision'} when ${x.needed ? `${x.neededScope} point(s) were needed` : 'nothing was needed this sprint'}`;
  const ids: string[] = [];
  if (w.minimumAsk) ids.push(w.minimumAsk.id);
  for (const p of w.proposals) if (p.action.args?.kind === 'split') ids.push(p.id);
  if (w.decisionId) ids.push(w.decisionId);
  return codeScore('B-02', signals, ids, reason);
}

/** B-13: the decision as a rating of urgency (in or out) and of sprint impact, made after learning. */
function severityTriage(trace: ScopeChangeTrace, context: ScoreContext, w: Walk, x: Situation): CodeScore {
  const o = trace.outcome;
  const severity = x.decided ? (x.accepted === x.needed ? 1 : 0) : 0;
  // Sprint impact: the load taken on fit (no overcommit, no needless swap); nothing taken on: not measurable.
  const over = o.overcommitPoints;
  const needless = o.needlessSwaps;
  const radius = x.accepted || !x.decided ? clamp01((over > 0 ? 0 : 1) - 0.5 * needless) : null;
  const informed = w.urgencyStep >= 0 && (w.decisionStep < 0 || w.urgencyStep < w.decisionStep);
  const soundness = o.tradeoffSoundness;
  const match = x.decided ? soundness * (informed ? 1 : 0.6) : 0;
  const signals: SignalValue[] = [
    { name: 'severity_accuracy', source: 'outcome', weight: 0.35, value: severity },
    { name: 'blast_radius_accuracy', source: 'outcome', weight: 0.3, value: radius },
    judgeSignal('response_match', 0.35, 'B-13', context, match),
  ];
  const reason =
    `${x.accepted ? 'treated it as needed now' : x.deferred ? 'treated it as able to wait' : 'no decision'} (${x.needed ? 'needed' : 'could wait'}); ` +
    `${x.accepted ? (over > 0 ? `overcommitted by ${over} point(s)` : 'load fit') : ''}${needless > 0 ? `, ${needless} needless swap(s)` : ''}; ` +
    `${informed ? 'learned the urgency first' : 'decided without learning the urgency'}; right handling ${o.rightHandling}`;
  const ids: string[] = [];
  for (const d of [...w.asks, ...w.analyses]) if (d.action.args?.topic === 'urgency' || d.action.args?.aspect === 'urgency') ids.push(d.id);
  if (w.decisionId) ids.push(w.decisionId);
  return codeScore('B-13', signals, ids, reason);
}

/** B-14: the smallest plan change that makes room, agreed with the product owner, delivery kept. */
function gracefulReplanning(trace: ScopeChangeTrace, context: ScoreContext, w: Walk, x: Situation): CodeScore {
  const o = trace.outcome;
  const swapNeeded = o.rightHandling.endsWith('_swap');
  const swaps = o.swapsAgreed;
  const needless = o.needlessSwaps;
  const over = o.overcommitPoints;
  let proportion: number;
  if (!x.decided) proportion = 0;
  else if (!x.needed) proportion = x.deferred ? 1 : 0.2;
  else if (x.deferred) proportion = 0;
  else if (swapNeeded) proportion = swaps === 0 ? 0.2 : needless > 0 ? 0.5 : 1;
  else proportion = needless > 0 || swaps > 0 ? 0.3 : 1;
  if (x.accepted && over > 0) proportion = Math.min(proportion, 0.5);
  const slipped = o.slippedCards;
  const preserved = x.decided ? clamp01(1 - 0.4 * needless - 0.3 * slipped) : 0;
  // Said what changed: the product owner consulted before the decision.
  const consulted = w.asks.length + w.proposals.length > 0 && x.decided;
  const agreed = w.proposals.some((p) => p.links.some((l) => l.effect === 'tradeoff_agreed'));
  const communicated = consulted ? 1 : 0;
  const after = 0.5 * (o.sprintGoalMet ? 1 : 0) + 0.5 * o.deliveredShare;
  const signals: SignalValue[] = [
    judgeSignal('proportionality', 0.3, 'B-14', context, proportion),
    { name: 'preserved_valid_parts', source: 'trace', weight: 0.25, value: preserved },
    { name: 'change_communicated', source: 'trace', weight: 0.2, value: communicated },
    { name: 'outcome_after_replan', source: 'outcome', weight: 0.25, value: after },
  ];
  const reason =
    `${swaps} swap(s) agreed (${swapNeeded ? 'one was needed' : 'none needed'})${needless > 0 ? `, ${needless} needless` : ''}; ` +
    `${slipped} committed card(s) slipped; ${consulted ? (agreed ? 'trade-off agreed with the product owner' : 'product owner consulted') : 'decided without the product owner'}`;
  const ids = w.proposals.map((p) => p.id);
  if (w.decisionId) ids.push(w.decisionId);
  return codeScore('B-14', signals, ids, reason);
}

/** B-25: only what is needed now comes in; the rest is noted as a later story (an agreed split). */
function yagni(trace: ScopeChangeTrace, w: Walk, x: Situation): CodeScore {
  const o = trace.outcome;
  const weights = SCOPING_WEIGHTS['B-25'];
  const coverage = x.needed ? (o.neededDelivered ? 1 : 0) : x.decided ? 1 : 0;
  const excess = x.accepted ? Math.max(0, x.inScope - (x.needed ? x.neededScope : 0)) : 0;
  // As in implementation: the share of work beyond what was needed, penalized 2.5-fold.
  const excessValue = x.accepted && x.inScope > 0 ? clamp01(1 - 2.5 * (excess / x.inScope)) : x.decided ? 1 : 0;
  const split = o.splitAgreed;
  const core = x.needed && x.sliceable ? (split ? 1 : w.minimumAsk ? 0.5 : 0) : null;
  const signals: SignalValue[] = [
    { name: 'acceptance_criteria_coverage', source: 'outcome', weight: weights.acceptance_criteria_coverage, value: coverage },
    { name: 'excess_work_penalty', source: 'outcome', weight: weights.excess_work_penalty, value: excessValue },
    { name: 'core_first', source: 'trace', weight: weights.core_first, value: core },
  ];
  const reason =
    `${x.accepted ? `${x.inScope} point(s) taken in, ${excess} beyond what was needed now` : x.deferred ? 'nothing taken in' : 'no decision'}` +
    `${x.needed ? (o.neededDelivered ? '; the needed work lands' : '; the needed work does not land') : ''}` +
    `${x.needed && x.sliceable ? (split ? '; the rest noted as a later story' : '; no split though one was possible') : ''}`;
  const ids: string[] = [];
  if (w.minimumAsk) ids.push(w.minimumAsk.id);
  for (const p of w.proposals) if (p.action.args?.kind === 'split') ids.push(p.id);
  if (w.decisionId) ids.push(w.decisionId);
  return codeScore('B-25', signals, ids, reason);
}

export function scoreScopeChange(trace: ScopeChangeTrace, context: ScoreContext): CodeScore[] {
  const w = walk(trace);
  const x = situationOf(trace);
  return [scopeProbing(w, x), severityTriage(trace, context, w, x), gracefulReplanning(trace, context, w, x), yagni(trace, w, x)];
}

/** Performative-risk rules of scope_change (`reward/performative.ts`). */
export const performativeRules: PerformativeRules = {
  motions: new Set(['assess_new_scope', 'ask_po', 'negotiate_tradeoff']),
  hollow: new Set(['redundant_question', 'unneeded_question', 'proposal_refused', 'needless_swap', 'po_patience_exceeded', 'nothing_new']),
  substantive: new Set(['informative_answer', 'tradeoff_agreed', 'evidence_found']),
};
