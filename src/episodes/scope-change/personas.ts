/**
 * Persona strategies for E-2.3 scope_change (public view only).
 *
 * Senior (B-02, B-13, B-14, B-25): sizes the card with the team, asks the product owner how urgent
 * and how valuable it really is; defers what can wait or is of low value. For needed work: asks
 * for the minimum deliverable when the card is 3 points or more and agrees a split when there is
 * one; when the needed scope exceeds the slack, asks which cards could make room and proposes
 * swapping the smallest flexible card that is big enough; then accepts. Mid: asks the urgency
 * only, defers only what can wait, trusts the rough size, swaps out the first non-goal card big
 * enough without asking which ones the product owner would give up (moving on to the next after a
 * refusal), never splits. Junior: mostly accepts at once (people-pleasing), sometimes defers
 * everything to protect the sprint, sometimes asks the urgency first and accepts anyway.
 * Performative (anti-gaming): analyzes every aspect, asks the product owner every question (past
 * their patience), proposes a split and a swap of the first non-goal card whatever the card is,
 * then accepts with high confidence.
 */

import type { Action } from '../../core/episode.js';
import type { Personas } from '../../core/episode-type.js';
import type { StructuredObservation } from '../../core/observation.js';
import type { Rng } from '../../core/rng.js';
import type { ScopeChangeView } from './types.js';

type Observation = StructuredObservation<ScopeChangeView>;

function latest(view: ScopeChangeView, aspect: string): string | undefined {
  let out: string | undefined;
  for (const e of view.evidence) if (e.aspect === aspect && e.value !== null) out = e.value;
  return out;
}

function refused(view: ScopeChangeView, topic: string, card?: number): boolean {
  return view.po.answers.some(
    (a) => a.kind === 'negotiate' && a.topic === topic && a.agreed === false && (card === undefined || a.card === card),
  );
}

const accept = (confidence: number): Action => ({ type: 'accept_scope', args: {}, confidence });
const defer = (confidence: number): Action => ({ type: 'defer_scope', args: {}, confidence });

function senior(observation: Observation): Action {
  const view = observation.state;
  const known = view.po.known;
  if (latest(view, 'size') === undefined && !view.evidence.some((e) => e.aspect === 'size'))
    return { type: 'assess_new_scope', args: { aspect: 'size' } };
  if (known.urgency === null) return { type: 'ask_po', args: { topic: 'urgency' } };
  if (known.urgency === 'later') return defer(0.85);
  if (known.value === null) return { type: 'ask_po', args: { topic: 'value' } };
  if (known.value === 'low') return defer(0.8);
  const size = Number(latest(view, 'size') ?? view.newCard.roughSize);
  // Scope: the minimum deliverable, when the card is big enough to have one.
  if (size >= 3 && known.splitPossible === null) return { type: 'ask_po', args: { topic: 'minimum' } };
  if (known.splitPossible === true && !view.agreed.split && !refused(view, 'split'))
    return { type: 'negotiate_tradeoff', args: { kind: 'split' } };
  const scope = view.agreed.split ? (known.minimum ?? 1) : size;
  const room = scope - view.sprint.slackPoints;
  const made = view.agreed.swaps.reduce((a, i) => a + (view.sprint.cards[i]?.remaining ?? 0), 0);
  if (room > made) {
    if (known.flexibleCards === null) return { type: 'ask_po', args: { topic: 'flexibility' } };
    const candidates = view.sprint.cards
      .filter((c) => known.flexibleCards?.includes(c.index) && !c.swapAgreed && !refused(view, 'swap', c.index))
      .sort((a, b) => {
        const fitA = a.remaining >= room - made ? 0 : 1;
        const fitB = b.remaining >= room - made ? 0 : 1;
        if (fitA !== fitB) return fitA - fitB;
        // The smallest that makes room; prefer cards not yet started (nothing shelved).
        return fitA === 0 ? a.remaining - b.remaining || (a.status === 'todo' ? -1 : 1) : b.remaining - a.remaining;
      });
    const pick = candidates[0];
    if (pick) return { type: 'negotiate_tradeoff', args: { kind: 'swap', card: pick.index } };
  }
  return accept(0.8);
}

function mid(observation: Observation, rng: Rng): Action {
  const view = observation.state;
  const known = view.po.known;
  if (known.urgency === null) return { type: 'ask_po', args: { topic: 'urgency' } };
  if (known.urgency === 'later') return defer(0.8);
  const size = view.newCard.roughSize;
  const room = size - view.sprint.slackPoints;
  const made = view.agreed.swaps.reduce((a, i) => a + (view.sprint.cards[i]?.remaining ?? 0), 0);
  if (room > made && rng.chance(0.9)) {
    const pick = view.sprint.cards.find((c) => !c.goal && !c.swapAgreed && c.remaining >= room - made && !refused(view, 'swap', c.index));
    if (pick) return { type: 'negotiate_tradeoff', args: { kind: 'swap', card: pick.index } };
  }
  return accept(0.85);
}

function junior(observation: Observation, rng: Rng): Action {
  const view = observation.state;
  if (observation.turn === 0) {
    const roll = rng.next();
    if (roll < 0.15) return defer(0.9);
    if (roll < 0.45) return { type: 'ask_po', args: { topic: 'urgency' } };
    return accept(0.95);
  }
  if (view.po.known.urgency === 'later' && rng.chance(0.7)) return defer(0.9);
  return accept(0.95);
}

// --- performative: the motions without the substance ----------------------------------------------

function performative(observation: Observation): Action {
  const view = observation.state;
  const take = accept(0.95);
  if (observation.turn >= observation.maxTurns - 1) return take;
  for (const aspect of ['value', 'urgency', 'size'] as const)
    if (!view.evidence.some((e) => e.aspect === aspect)) return { type: 'assess_new_scope', args: { aspect } };
  for (const topic of ['value', 'urgency', 'flexibility', 'minimum'] as const)
    if (!view.po.answers.some((a) => a.kind === 'ask' && a.topic === topic)) return { type: 'ask_po', args: { topic } };
  if (!view.agreed.split && !view.po.answers.some((a) => a.kind === 'negotiate' && a.topic === 'split'))
    return { type: 'negotiate_tradeoff', args: { kind: 'split' } };
  const first = view.sprint.cards.find((c) => !c.goal);
  if (first && !first.swapAgreed && !view.po.answers.some((a) => a.kind === 'negotiate' && a.topic === 'swap'))
    return { type: 'negotiate_tradeoff', args: { kind: 'swap', card: first.index } };
  return take;
}

export const scopeChangePersonas: Personas<ScopeChangeView> = { senior, mid, junior, performative };
