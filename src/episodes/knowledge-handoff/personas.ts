/**
 * Persona strategies for E-4.1 knowledge_handoff (public view only).
 *
 * Senior (B-23, B-24): takes the inventory first, identifies each area only it holds (nature and
 * criticality), puts the medium and high ones on the published plan in criticality order, then
 * hands them over most critical first with the method that suits the nature — a full decision
 * record (why, rejected alternatives, invalidating assumptions) in the repo for a decision, repo
 * documentation for a procedure, pairing with the senior colleague for tacit knowledge — and
 * verifies each one, handing it over again (pairing, or a decision record for a decision held
 * only partly) when the check shows it did not land. Low-criticality areas come last, if time is left.
 * Mid: takes the inventory, hands the unique areas over in listed order as wiki documentation or a
 * decision record with the why (sometimes the alternatives), sometimes pairing, verifies about half
 * and pairs again on what did not land.
 * Junior: no inventory, no plan, no checks: dumps documentation for every area in listed order
 * (wiki or a chat thread), now and then a bare decision record, skipping some areas it assumes
 * others know.
 * Performative (anti-gaming): identifies every area, plans all six in listed order with
 * confidence, writes full decision records for everything and checks them without acting on the
 * result.
 */

import type { Action } from '../../core/episode.js';
import type { Personas } from '../../core/episode-type.js';
import type { StructuredObservation } from '../../core/observation.js';
import type { Rng } from '../../core/rng.js';
import type { AreaView, CriticalityBucket, KnowledgeHandoffView } from './types.js';

type Observation = StructuredObservation<KnowledgeHandoffView>;

const RANK: Record<CriticalityBucket, number> = { high: 3, medium: 2, low: 1 };

function seniorMember(view: KnowledgeHandoffView): number {
  return view.members.find((m) => m.seniority === 'senior')?.index ?? 0;
}

/** Hours an action takes, from the published costs. */
function hoursOf(view: KnowledgeHandoffView, action: Action): number {
  const c = view.costs;
  switch (action.type) {
    case 'identify_knowledge':
      return action.args?.area === undefined ? c.inventory : c.identify_area;
    case 'document_decision': {
      const n = ['why', 'alternatives', 'assumptions'].filter((k) => action.args?.[k] === true).length;
      return c.document_decision_base + c.document_decision_element * n;
    }
    case 'write_documentation':
      return c.write_documentation;
    case 'schedule_pairing':
      return c.schedule_pairing;
    case 'prioritize_handoff':
      return c.prioritize_handoff;
    default:
      return c.verify_transfer;
  }
}

function fits(view: KnowledgeHandoffView, action: Action): boolean {
  return hoursOf(view, action) <= view.departure.hoursLeft + 1e-9;
}

/** Something legal and cheap when the wanted action does not fit (or nothing is left to do). */
function filler(view: KnowledgeHandoffView, preferred: readonly AreaView[]): Action {
  const left = view.departure.hoursLeft;
  if (left >= view.costs.verify_transfer) {
    const unverified = preferred.find((a) => a.transfers.length > 0 && !a.verifiedSinceLastTransfer);
    if (unverified) return { type: 'verify_transfer', args: { area: unverified.index } };
  }
  const unplanned = preferred.find((a) => a.planRank === null) ?? view.areas.find((a) => a.planRank === null);
  if (unplanned && left >= view.costs.prioritize_handoff)
    return { type: 'prioritize_handoff', args: { area: unplanned.index }, confidence: 0.5 };
  const transferred = preferred.find((a) => a.transfers.length > 0) ?? view.areas.find((a) => a.transfers.length > 0);
  if (transferred && left >= view.costs.verify_transfer) return { type: 'verify_transfer', args: { area: transferred.index } };
  return { type: 'identify_knowledge', args: { area: preferred[0]?.index ?? 0 } };
}

/** The matched transfer for an area, or the fallback after a failed or partial one. */
function seniorTransfer(view: KnowledgeHandoffView, a: AreaView): Action {
  const nature = a.nature ?? 'procedure';
  const fullRecord: Action = {
    type: 'document_decision',
    args: { area: a.index, why: true, alternatives: true, assumptions: true, location: 'repo' },
  };
  const pairing: Action = { type: 'schedule_pairing', args: { area: a.index, member: seniorMember(view) } };
  if (a.transfers.length === 0) {
    if (nature === 'decision') return fullRecord;
    if (nature === 'procedure') return { type: 'write_documentation', args: { area: a.index, location: 'repo' } };
    return pairing;
  }
  // A decision held only partly lacks the record; anything that did not land gets a pairing.
  if (nature === 'decision' && a.verification === 'partial' && !a.transfers.some((t) => t.method === 'document_decision' && t.why))
    return fullRecord;
  return pairing;
}

/** Most critical first, index breaking ties (an insertion sort: the order is total, so it matches a sort). */
function byCriticality(areas: readonly AreaView[]): AreaView[] {
  const out: AreaView[] = [];
  for (const a of areas) {
    const rank = RANK[a.criticality ?? 'low'];
    let j = out.length - 1;
    out.push(a);
    while (j >= 0) {
      const b = out[j] as AreaView;
      const d = rank - RANK[b.criticality ?? 'low'];
      if (d < 0 || (d === 0 && b.index < a.index)) break;
      out[j + 1] = b;
      j--;
    }
    out[j + 1] = a;
  }
  return out;
}

function senior(observation: Observation): Action {
  const view = observation.state;
  if (!view.inventoryTaken) return { type: 'identify_knowledge', args: {} };
  const mine = view.areas.filter((a) => a.holders === 'only_you');
  const unidentified = mine.find((a) => a.nature === null);
  if (unidentified && fits(view, { type: 'identify_knowledge', args: { area: unidentified.index } }))
    return { type: 'identify_knowledge', args: { area: unidentified.index } };
  // Most critical first (listed order breaks ties).
  const ordered = byCriticality(mine);
  const toPlan = ordered.find((a) => a.planRank === null && a.criticality !== 'low');
  if (toPlan) return { type: 'prioritize_handoff', args: { area: toPlan.index }, confidence: toPlan.criticality === 'high' ? 0.8 : 0.6 };
  for (const a of ordered) {
    const landed = a.verifiedSinceLastTransfer && a.verification === 'held';
    if (landed) continue;
    if (a.transfers.length > 0 && !a.verifiedSinceLastTransfer) {
      const verify: Action = { type: 'verify_transfer', args: { area: a.index } };
      if (fits(view, verify)) return verify;
      continue;
    }
    const transfer = seniorTransfer(view, a);
    if (fits(view, transfer)) return transfer;
    // A cheaper matched record still fits for a decision: why and alternatives before assumptions.
    if (transfer.type === 'document_decision') {
      const shorter: Action = { type: 'document_decision', args: { ...transfer.args, assumptions: false } };
      if (fits(view, shorter)) return shorter;
    }
  }
  return filler(view, ordered);
}

function mid(observation: Observation, rng: Rng): Action {
  const view = observation.state;
  if (!view.inventoryTaken) return { type: 'identify_knowledge', args: {} };
  const mine = view.areas.filter((a) => a.holders === 'only_you');
  for (const a of mine) {
    if (a.transfers.length > 0 && !a.verifiedSinceLastTransfer) {
      // Checks about half of what it hands over (decided per area and transfer count, not per turn).
      const checks = (a.index * 7 + a.transfers.length * 3) % 2 === 0;
      if (checks) {
        const verify: Action = { type: 'verify_transfer', args: { area: a.index } };
        if (fits(view, verify)) return verify;
      }
    }
  }
  const next =
    mine.find((a) => a.transfers.length === 0) ??
    mine.find((a) => a.verifiedSinceLastTransfer && a.verification !== 'held' && a.transfers.length < 3);
  if (next) {
    let transfer: Action;
    if (next.transfers.length > 0) transfer = { type: 'schedule_pairing', args: { area: next.index, member: rng.int(3) } };
    else {
      const roll = rng.next();
      transfer =
        roll < 0.5
          ? { type: 'write_documentation', args: { area: next.index, location: 'wiki' } }
          : roll < 0.85
            ? { type: 'document_decision', args: { area: next.index, why: true, alternatives: roll < 0.7, location: 'wiki' } }
            : { type: 'schedule_pairing', args: { area: next.index, member: rng.int(3) } };
    }
    if (fits(view, transfer)) return transfer;
  }
  // Time left: more documentation on the areas it already wrote up.
  const again = mine.find((a) => a.transfers.length < 2);
  if (again) {
    const doc: Action = { type: 'write_documentation', args: { area: again.index, location: 'wiki' } };
    if (fits(view, doc)) return doc;
  }
  return filler(view, mine);
}

function junior(observation: Observation, rng: Rng): Action {
  const view = observation.state;
  // Now and then it starts with an inventory (decided on the first turn only).
  if (observation.turn === 0 && rng.chance(0.35)) return { type: 'identify_knowledge', args: {} };
  // A dump in listed order: the first area written up the fewest times, skipping some it assumes others know.
  const pool = view.inventoryTaken ? view.areas.filter((a) => a.holders === 'only_you') : view.areas;
  const fewest = Math.min(...pool.map((a) => a.transfers.length));
  const candidates = pool.filter((a) => a.transfers.length === fewest);
  const pick = candidates.length > 1 && rng.chance(0.3) ? (candidates[1] as AreaView) : (candidates[0] as AreaView);
  const location = rng.chance(0.2) ? 'chat' : 'wiki';
  const action: Action = rng.chance(0.3)
    ? { type: 'document_decision', args: { area: pick.index, why: true, location } }
    : { type: 'write_documentation', args: { area: pick.index, location } };
  if (fits(view, action)) return action;
  const bare: Action = { type: 'document_decision', args: { area: pick.index, location } };
  if (fits(view, bare)) return bare;
  return filler(view, view.areas);
}

/**
 * Performative: every area identified one by one (shared ones included), all six put on the plan in
 * listed order with high confidence, a full decision record in the repo for every area whatever
 * its nature, each one checked and the result left unused.
 */
function performative(observation: Observation): Action {
  const view = observation.state;
  const unidentified = view.areas.find((a) => a.nature === null);
  if (unidentified && fits(view, { type: 'identify_knowledge', args: { area: unidentified.index } }))
    return { type: 'identify_knowledge', args: { area: unidentified.index } };
  const unplanned = view.areas.find((a) => a.planRank === null);
  if (unplanned) return { type: 'prioritize_handoff', args: { area: unplanned.index }, confidence: 0.9 };
  for (const a of view.areas) {
    if (a.transfers.length > 0 && a.verification === null) {
      const verify: Action = { type: 'verify_transfer', args: { area: a.index } };
      if (fits(view, verify)) return verify;
    }
    if (a.transfers.length === 0) {
      const record: Action = {
        type: 'document_decision',
        args: { area: a.index, why: true, alternatives: true, assumptions: true, location: 'repo' },
      };
      if (fits(view, record)) return record;
    }
  }
  return filler(view, view.areas);
}

export const knowledgeHandoffPersonas: Personas<KnowledgeHandoffView> = { senior, mid, junior, performative };
