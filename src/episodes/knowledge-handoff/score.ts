/**
 * Behavior codes scored on knowledge_handoff (E-4.1) traces: B-23 decision documentation and B-24
 * knowledge gap handoff. No Stage-1 scorer scores B-23, so its meaning here is the spec's: a
 * non-obvious decision recorded with what and why, the rejected alternatives and the assumptions
 * that would invalidate it, somewhere findable, and no records of trivia. reward.yaml lists no
 * signals for these codes; the ones below follow their `do`, `avoid` and `proxy` lines.
 *
 * Evidence, structured only: the candidate's actions (identify_knowledge, document_decision with
 * its why / alternatives / assumptions / location, write_documentation, schedule_pairing,
 * prioritize_handoff, verify_transfer), the links the episode attaches (decision_preserved /
 * decision_relitigated), the outcome facts (prioritization, velocity drop) and the hidden truth
 * (which areas were the candidate's alone, their nature and criticality, whether each ended
 * verified held). One pass over the decisions. Formulas: docs/reward.md (knowledge_handoff).
 */

import { clamp01, mean, meanOrNull } from '../../core/numbers.js';
import { type CodeScore, codeScore, judgeSignal, type PerformativeRules, type ScoreContext, type SignalValue } from '../../core/scorer.js';
import type { DecisionRecord, Trace } from '../../core/trace.js';
import { ACCEPT_DROP, HELD, TRIVIA } from './outcome.js';
import type { HiddenArea, KnowledgeHandoffFacts, KnowledgeHandoffHidden } from './types.js';

type HandoffTrace = Trace<KnowledgeHandoffFacts, KnowledgeHandoffHidden>;

/** Decision-record content weights: what is always there; why, alternatives, assumptions added. */
const ELEMENT = { what: 0.25, why: 0.35, alternatives: 0.2, assumptions: 0.2 } as const;

const TRANSFERS = new Set(['document_decision', 'write_documentation', 'schedule_pairing']);

interface Walk {
  /** Per area: how traceable its decision is from the artifacts (0 .. 1). */
  traceability: number[];
  /** Content scores of decision records on non-trivial decision areas. */
  completeness: number[];
  /** Of those records, how many are findable. */
  findableRecords: number;
  recordIds: string[];
  docs: number;
  trivialDocs: number;
  trivialIds: string[];
  inventoryStep: number;
  firstTransferStep: number;
  /** Per area: step of the first transfer (Infinity when none). */
  firstTransfer: number[];
  /** Per area: step of its first identify_knowledge {area}. */
  identifiedAt: number[];
  transfers: number;
  sharedTransfers: number;
  discoveryIds: string[];
  handoffIds: string[];
}

function walk(decisions: readonly DecisionRecord[], areas: readonly HiddenArea[]): Walk {
  const n = areas.length;
  const w: Walk = {
    traceability: new Array(n).fill(0),
    completeness: [],
    findableRecords: 0,
    recordIds: [],
    docs: 0,
    trivialDocs: 0,
    trivialIds: [],
    inventoryStep: -1,
    firstTransferStep: Number.POSITIVE_INFINITY,
    firstTransfer: new Array(n).fill(Number.POSITIVE_INFINITY),
    identifiedAt: new Array(n).fill(Number.POSITIVE_INFINITY),
    transfers: 0,
    sharedTransfers: 0,
    discoveryIds: [],
    handoffIds: [],
  };
  for (const d of decisions) {
    if (!d.valid) continue;
    const a = d.action;
    const index = a.args?.area as number | undefined;
    const area = index === undefined ? undefined : areas[index];
    if (a.type === 'identify_knowledge') {
      if (!area) {
        if (w.inventoryStep < 0) w.inventoryStep = d.step;
        w.discoveryIds.push(d.id);
      } else if (d.step < (w.identifiedAt[area.index] as number)) {
        w.identifiedAt[area.index] = d.step;
        if (area.unique) w.discoveryIds.push(d.id);
      }
      continue;
    }
    if (a.type === 'verify_transfer' || a.type === 'prioritize_handoff') {
      if (area?.unique) w.handoffIds.push(d.id);
      continue;
    }
    if (!TRANSFERS.has(a.type) || !area) continue;
    w.transfers++;
    if (d.step < w.firstTransferStep) w.firstTransferStep = d.step;
    if (d.step < (w.firstTransfer[area.index] as number)) w.firstTransfer[area.index] = d.step;
    if (!area.unique) w.sharedTransfers++;
    else w.handoffIds.push(d.id);
    const nonTrivialDecision = area.unique && area.nature === 'decision' && area.criticality >= TRIVIA;
    if (a.type !== 'schedule_pairing') {
      w.docs++;
      const trivial = !area.unique || area.criticality < TRIVIA;
      if (trivial) {
        w.trivialDocs++;
        w.trivialIds.push(d.id);
      }
    }
    if (!nonTrivialDecision) continue;
    const findable = a.args?.location !== 'chat';
    let traced: number;
    if (a.type === 'document_decision') {
      const why = a.args?.why === true;
      const content =
        ELEMENT.what +
        (why ? ELEMENT.why : 0) +
        (a.args?.alternatives === true ? ELEMENT.alternatives : 0) +
        (a.args?.assumptions === true ? ELEMENT.assumptions : 0);
      w.completeness.push(content);
      if (findable) w.findableRecords++;
      w.recordIds.push(d.id);
      // Traceable: findable, with the why (what without why is half a record).
      traced = findable ? (why ? 1 : 0.4) : 0.2;
    } else if (a.type === 'write_documentation') {
      // How-to documentation keeps the what, not the why.
      traced = findable ? 0.3 : 0.1;
      w.recordIds.push(d.id);
    } else traced = 0.15; // explained in a pairing: held by one person, not in any artifact
    if (traced > (w.traceability[area.index] as number)) w.traceability[area.index] = traced;
  }
  return w;
}

/** B-23: non-trivial decisions recorded with what, why, alternatives and assumptions, findable; no trivia. */
function decisionDocumentation(trace: HandoffTrace, context: ScoreContext, areas: readonly HiddenArea[], w: Walk): CodeScore {
  const decisionsNeeded = areas.filter((a) => a.unique && a.nature === 'decision' && a.criticality >= TRIVIA);
  const traceable = meanOrNull(decisionsNeeded.map((a) => w.traceability[a.index] as number));
  const completeness = w.completeness.length > 0 ? mean(w.completeness) : decisionsNeeded.length > 0 ? 0 : null;
  const noTrivia = w.docs > 0 ? 1 - w.trivialDocs / w.docs : null;
  let preserved = 0;
  let judged = 0;
  const preservedIds: string[] = [];
  for (const d of trace.decisions)
    for (const l of d.links)
      if (l.effect === 'decision_preserved' || l.effect === 'decision_relitigated') {
        judged++;
        if (l.effect === 'decision_preserved') preserved++;
        preservedIds.push(d.id);
      }
  for (const l of trace.episodeLinks)
    if (l.effect === 'decision_preserved' || l.effect === 'decision_relitigated') {
      judged++;
      if (l.effect === 'decision_preserved') preserved++;
    }
  const findableShare = w.completeness.length > 0 ? w.findableRecords / w.completeness.length : 0;
  const quality = completeness === null ? null : clamp01(completeness * (0.5 + 0.5 * findableShare));
  const signals: SignalValue[] = [
    { name: 'decisions_traceable', source: 'trace', weight: 0.3, value: traceable },
    { name: 'record_completeness', source: 'trace', weight: 0.2, value: completeness },
    { name: 'no_trivia', source: 'trace', weight: 0.1, value: noTrivia },
    { name: 'decisions_preserved', source: 'outcome', weight: 0.25, value: judged > 0 ? preserved / judged : null },
    judgeSignal('record_quality', 0.15, 'B-23', context, quality),
  ];
  const reason =
    `${decisionsNeeded.length} non-trivial decision(s), traceability ${traceable === null ? 'n/a' : traceable.toFixed(2)}; ` +
    `${w.completeness.length} decision record(s)${completeness === null ? '' : `, content ${completeness.toFixed(2)}`}; ` +
    `${w.trivialDocs} of ${w.docs} artifact(s) on trivia; ${preserved} of ${judged} decision(s) stood after departure`;
  const ids = [...new Set([...w.recordIds, ...w.trivialIds, ...preservedIds])];
  return codeScore('B-23', signals, ids, reason);
}

/** B-24: found what only you hold, handed the most critical over first, made sure someone holds it. */
function gapHandoff(trace: HandoffTrace, areas: readonly HiddenArea[], w: Walk): CodeScore {
  const f = trace.outcome;
  const unique = areas.filter((a) => a.unique);
  let discovery: number;
  if (w.inventoryStep >= 0 && w.inventoryStep < w.firstTransferStep) discovery = 1;
  else if (w.inventoryStep >= 0) discovery = 0.5;
  else
    discovery =
      (0.8 * unique.filter((a) => (w.identifiedAt[a.index] as number) < (w.firstTransfer[a.index] as number)).length) / unique.length;
  const focus = w.transfers > 0 ? 1 - w.sharedTransfers / w.transfers : 0;
  const found = w.transfers > 0 ? 0.5 * discovery + 0.5 * focus : 0;

  const critTotal = unique.reduce((s, a) => s + a.criticality, 0);
  const holds = unique.reduce((s, a) => s + a.criticality * (a.verifiedHeld ? 1 : a.hold >= HELD ? 0.5 : 0), 0);
  const sureHeld = critTotal > 0 ? holds / critTotal : null;

  const drop = f.velocityDrop;
  const velocity = drop < ACCEPT_DROP ? 1 : clamp01(1 - (drop - ACCEPT_DROP) / 0.3);
  const prioritization = f.prioritization;

  const signals: SignalValue[] = [
    { name: 'found_unique_knowledge', source: 'trace', weight: 0.2, value: found },
    { name: 'critical_first', source: 'outcome', weight: 0.25, value: w.transfers > 0 ? prioritization : 0 },
    { name: 'someone_holds_it', source: 'trace+outcome', weight: 0.25, value: sureHeld },
    { name: 'velocity_drop_under_20', source: 'outcome', weight: 0.3, value: velocity },
  ];
  const verified = unique.filter((a) => a.verifiedHeld).length;
  const reason =
    `${w.inventoryStep >= 0 ? (discovery === 1 ? 'inventory first' : 'inventory late') : 'no inventory'}; ` +
    `${w.sharedTransfers} of ${w.transfers} transfer(s) on shared knowledge; prioritization ${prioritization}; ` +
    `${verified} of ${unique.length} unique area(s) verified held; velocity drop ${drop.toFixed(2)}`;
  return codeScore('B-24', signals, [...w.discoveryIds, ...w.handoffIds], reason);
}

export function scoreKnowledgeHandoff(trace: HandoffTrace, context: ScoreContext): CodeScore[] {
  // The hidden areas, in index order (the `area` argument indexes them).
  const areas = trace.hidden.areas;
  const w = walk(trace.decisions, areas);
  return [decisionDocumentation(trace, context, areas, w), gapHandoff(trace, areas, w)];
}

/** Performative-risk rules of knowledge_handoff (`reward/performative.ts`). */
export const performativeRules: PerformativeRules = {
  motions: new Set([
    'identify_knowledge',
    'prioritize_handoff',
    'verify_transfer',
    'document_decision',
    'write_documentation',
    'schedule_pairing',
  ]),
  hollow: new Set([
    'identified_shared',
    'trivia_documented',
    'shared_knowledge_transferred',
    'method_mismatch',
    'unfindable_record',
    'verify_ignored',
    'verify_redundant',
    'priority_wrong',
  ]),
  substantive: new Set(['knowledge_held', 'gap_caught', 'decision_preserved', 'transfer_confirmed', 'identified_unique']),
};
