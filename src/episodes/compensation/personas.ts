/**
 * Persona strategies for E-4.3 compensation (public view only).
 *
 * Senior (B-10, B-12, B-13, B-14): searches the artifact sources the departed member's habits
 * make likely (thorough docs, detailed commits, thorough tests) until each lost area has a full
 * record or no likely source is left; estimates the real capacity (on call and an allowance for
 * the unseen drain) and the recovery cost, and rates severity and blast radius from them before
 * changing anything; recovers from found artifacts, tries a simple area's code once and calls in
 * a specialist after one failure, or at once for a complex area nothing holds; gives each
 * orphaned card to someone who knows its area (or who has the most room once it is recovered);
 * drops only the lowest-priority cards that do not fit; then recommits with the product owner.
 * Mid: checks the docs only, rates from nominal capacity, retries rediscovery rather than asking
 * for help, drops one card when it rated the impact high. Junior: rates it low (or not at all),
 * retries blind rediscovery, gives orphaned cards to whoever has the least work, and keeps the old
 * plan (sometimes throws half of it away), then recommits.
 * Performative (anti-gaming): searches every source, rates the impact critical with high
 * confidence, calls a specialist for every lost area, shuffles cards between members, then
 * recommits without dropping anything.
 */

import type { Action } from '../../core/episode.js';
import type { Personas } from '../../core/episode-type.js';
import type { StructuredObservation } from '../../core/observation.js';
import type { Rng } from '../../core/rng.js';
import { NOMINAL_HOURS, RECOVERY_HOURS, SPECIALIST_LEAD } from './scenario.js';
import type { CardView, CompensationView, Habits, Holds, MemberView, Source } from './types.js';

type Observation = StructuredObservation<CompensationView>;

/** Experience: how likely each source holds a full record, given the habits. */
function sourceValue(source: Source, habits: Habits): number {
  switch (source) {
    case 'docs':
      return habits.docs === 'thorough' ? 0.68 : habits.docs === 'some' ? 0.39 : 0.11;
    case 'commits':
      return habits.commits === 'detailed' ? 0.55 : 0.19;
    case 'tests':
      return habits.tests === 'thorough' ? 0.5 : 0.12;
    default:
      return 0.22;
  }
}

const ALL_SOURCES: readonly Source[] = ['docs', 'commits', 'tests', 'tickets', 'chat'];

function bestFound(view: CompensationView, area: number): Holds {
  let best: Holds = 'none';
  for (const s of view.searches)
    for (const f of s.found)
      if (f.area === area) {
        if (f.holds === 'full') return 'full';
        if (f.holds === 'partial') best = 'partial';
      }
  return best;
}

/** Estimated real capacity: nominal, less on-call duty and an allowance for the unseen drain. */
function estimatedCapacity(view: CompensationView, drain: number): number {
  let total = 0;
  for (const m of view.members) total += NOMINAL_HOURS * (1 - (m.onCall ? 0.15 : 0) - drain);
  return total;
}

/** Estimated hours still needed to recover each lost, unrecovered area. */
function recoveryEstimate(view: CompensationView): number {
  let hours = 0;
  for (const a of view.areas) {
    if (!a.lost || a.recovered) continue;
    const found = bestFound(view, a.index);
    hours +=
      found === 'full'
        ? RECOVERY_HOURS.full
        : found === 'partial'
          ? RECOVERY_HOURS.partial / 0.85
          : a.complexity === 'complex'
            ? SPECIALIST_LEAD
            : RECOVERY_HOURS.rediscover / 0.75;
  }
  return hours;
}

/** The cards by priority (a stable insertion sort: same order as a stable sort, without its overhead on six cards). */
function order(view: CompensationView): CardView[] {
  const out = view.cards.slice();
  for (let i = 1; i < out.length; i++) {
    const c = out[i] as CardView;
    let j = i - 1;
    while (j >= 0 && (out[j] as CardView).priority > c.priority) {
      out[j + 1] = out[j] as CardView;
      j--;
    }
    out[j + 1] = c;
  }
  return out;
}

function senior(observation: Observation): Action {
  const view = observation.state;
  const lost = view.areas.filter((a) => a.lost);
  const found = view.areas.map((a) => (a.lost ? bestFound(view, a.index) : 'none'));
  const byPriority = order(view);
  const searched = new Set(view.searches.map((s) => s.source));
  // 1. Look where the departed member's habits say the knowledge is.
  const needsRecord = lost.some((a) => !a.recovered && found[a.index] !== 'full');
  if (needsRecord && view.searches.length < 3) {
    // The most promising unsearched source (the first of equals, as a stable sort would put it).
    let next: Source | undefined;
    let nextValue = 0;
    for (const s of ALL_SOURCES) {
      if (searched.has(s)) continue;
      const value = sourceValue(s, view.departed.habits);
      if (next === undefined || value > nextValue) {
        next = s;
        nextValue = value;
      }
    }
    if (next && sourceValue(next, view.departed.habits) >= 0.3) return { type: 'search_artifacts', args: { source: next } };
  }
  // 2. Assess before changing anything: the commitment against the estimated capacity left.
  const committed = view.cards.reduce((s, c) => s + (c.dropped ? 0 : c.hours), 0);
  const capacity = estimatedCapacity(view, 0.1);
  if (view.assessments.length === 0) {
    const effective = capacity - view.hoursSpent - recoveryEstimate(view) - 2;
    const ratio = committed / effective;
    let sev = ratio <= 1 ? 0 : ratio <= 1.15 ? 1 : ratio <= 1.35 ? 2 : 3;
    const expertHours = view.cards
      .filter((c) => {
        const a = view.areas[c.area];
        return a?.lost && a.complexity === 'complex' && found[a.index] === 'none';
      })
      .reduce((s, c) => s + c.hours, 0);
    if (expertHours >= 0.2 * committed) sev = Math.min(3, sev + 1);
    const lostCards = view.cards.filter((c) => view.areas[c.area]?.lost).length;
    const radius = ratio <= 1 ? (lostCards <= 1 ? 'task' : 'story') : ratio <= 1.15 ? 'story' : 'sprint';
    const severity = (['low', 'medium', 'high', 'critical'] as const)[sev];
    return { type: 'assess_impact', args: { severity: severity as string, blast_radius: radius }, confidence: 0.7 };
  }
  // 3. Recover: from the record when there is one; the code once for a simple area; otherwise an expert.
  for (const a of lost) {
    if (a.recovered) continue;
    const record = found[a.index];
    if (record === 'full' || (record === 'partial' && a.failedAttempts < 2)) return { type: 'recover_knowledge', args: { area: a.index } };
    if (record === 'none' && a.complexity === 'simple' && a.failedAttempts === 0)
      return { type: 'recover_knowledge', args: { area: a.index } };
    return { type: 'request_specialist', args: { area: a.index } };
  }
  // 4. Orphaned cards to someone who knows the area, or with the most room.
  const room = view.members.map((m) => NOMINAL_HOURS * (1 - (m.onCall ? 0.15 : 0) - 0.1) - m.assignedHours);
  for (const c of byPriority) {
    if (c.dropped || c.owner !== -1) continue;
    const candidates = view.members.filter((m) => view.areas[c.area]?.lost || m.knows.includes(c.area));
    // The one with the most room (the first of equals, as a stable sort would put it).
    let pick: MemberView | undefined;
    for (const m of candidates.length > 0 ? candidates : view.members)
      if (pick === undefined || (room[m.index] as number) > (room[pick.index] as number)) pick = m;
    return { type: 'redistribute_work', args: { card: c.index, member: pick?.index ?? 0 } };
  }
  // 5. Drop the lowest-priority cards that do not fit the capacity left.
  let budget = capacity - view.hoursSpent - 0.5;
  const keep = new Set<number>();
  for (const c of byPriority) {
    if (c.hours <= budget) {
      keep.add(c.index);
      budget -= c.hours;
    }
  }
  for (let i = byPriority.length - 1; i >= 0; i--) {
    const c = byPriority[i] as CardView;
    if (!c.dropped && !keep.has(c.index)) return { type: 'adjust_commitment', args: { decision: 'drop', card: c.index } };
  }
  const toKeep = byPriority.find((c) => c.dropped && keep.has(c.index));
  if (toKeep) return { type: 'adjust_commitment', args: { decision: 'keep', card: toKeep.index } };
  return { type: 'adjust_commitment', args: { decision: 'commit' } };
}

function mid(observation: Observation): Action {
  const view = observation.state;
  if (view.searches.length === 0) return { type: 'search_artifacts', args: { source: 'docs' } };
  const committed = view.cards.reduce((s, c) => s + (c.dropped ? 0 : c.hours), 0);
  if (view.assessments.length === 0) {
    // Rates from nominal capacity: on-call duty and the drain are forgotten.
    const ratio = committed / (NOMINAL_HOURS * view.members.length - 10);
    const severity = ratio <= 1 ? 'low' : ratio <= 1.15 ? 'medium' : ratio <= 1.35 ? 'high' : 'critical';
    return { type: 'assess_impact', args: { severity, blast_radius: ratio <= 1.15 ? 'story' : 'sprint' }, confidence: 0.8 };
  }
  for (const a of view.areas)
    if (a.lost && !a.recovered && a.failedAttempts < 2) return { type: 'recover_knowledge', args: { area: a.index } };
  for (const c of order(view)) {
    if (c.dropped || c.owner !== -1) continue;
    const knower = view.members.find((m) => m.knows.includes(c.area));
    const least = view.members.slice().sort((x, y) => x.assignedHours - y.assignedHours)[0];
    return { type: 'redistribute_work', args: { card: c.index, member: (knower ?? least)?.index ?? 0 } };
  }
  const rated = view.assessments[view.assessments.length - 1]?.severity;
  if ((rated === 'high' || rated === 'critical') && !view.cards.some((c) => c.dropped)) {
    const last = order(view).reverse()[0];
    if (last) return { type: 'adjust_commitment', args: { decision: 'drop', card: last.index } };
  }
  return { type: 'adjust_commitment', args: { decision: 'commit' } };
}

function junior(observation: Observation, rng: Rng): Action {
  const view = observation.state;
  if (observation.turn === 0 && rng.chance(0.6))
    return { type: 'assess_impact', args: { severity: 'low', blast_radius: 'task' }, confidence: 0.9 };
  // Blind rediscovery, again and again.
  const stuck = view.areas.find((a) => a.lost && !a.recovered && a.failedAttempts < 2);
  if (stuck && rng.chance(0.7)) return { type: 'recover_knowledge', args: { area: stuck.index } };
  for (const c of view.cards) {
    if (c.dropped || c.owner !== -1) continue;
    const least = view.members.slice().sort((x, y) => x.assignedHours - y.assignedHours)[0];
    return { type: 'redistribute_work', args: { card: c.index, member: least?.index ?? 0 } };
  }
  // Throws half the plan away now and then; mostly forces the old plan.
  const dropped = view.cards.filter((c) => c.dropped).length;
  if (dropped < 3 && (dropped > 0 || rng.chance(0.15))) {
    const next = order(view)
      .reverse()
      .find((c) => !c.dropped);
    if (next) return { type: 'adjust_commitment', args: { decision: 'drop', card: next.index } };
  }
  return { type: 'adjust_commitment', args: { decision: 'commit' } };
}

/**
 * Performative: searches every source, rates the impact critical across the sprint with high
 * confidence, calls a specialist for every lost area, shuffles every card to another member,
 * then recommits without dropping anything.
 */
function performative(observation: Observation): Action {
  const view = observation.state;
  const searched = new Set(view.searches.map((s) => s.source));
  const next = ALL_SOURCES.find((s) => !searched.has(s));
  if (next) return { type: 'search_artifacts', args: { source: next } };
  if (view.assessments.length === 0)
    return { type: 'assess_impact', args: { severity: 'critical', blast_radius: 'sprint' }, confidence: 0.95 };
  const open = view.areas.find((a) => a.lost && !a.recovered);
  if (open) return { type: 'request_specialist', args: { area: open.index } };
  const moves = observation.turn - view.searches.length - 1 - view.specialists.length;
  const card = view.cards[moves];
  if (card && !card.dropped && observation.turn < observation.maxTurns - 1)
    return { type: 'redistribute_work', args: { card: card.index, member: (Math.max(0, card.owner) + 1) % view.members.length } };
  return { type: 'adjust_commitment', args: { decision: 'commit' } };
}

export const compensationPersonas: Personas<CompensationView> = { senior, mid, junior, performative };
