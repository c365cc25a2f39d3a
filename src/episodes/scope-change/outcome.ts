/**
 * The outcome of a scope_change episode, computed when the card is accepted or deferred (or the
 * turn limit comes: the requester goes around the team and the card lands in full).
 *
 * - `sprintLoad`: on accept, the sprint load is the committed remaining work minus agreed swaps
 *   plus the new work (the slice when a split was agreed, else the whole card) plus its overrun;
 * - `slippage`: load beyond the actual capacity slips committed cards, non-goal ones first, then the
 *   sprint goal; deferring a needed card misses the sprint goal (the urgent work is not done);
 * - `tradeoffSoundness`: the decision, the scope and the swap against the right handling, 0.15 off
 *   per refused proposal;
 * - `lostHours`: analysis hours, work on what was not needed, gold-plating beyond the needed scope,
 *   needless swaps, overcommit chaos, against a budget of 12 + 2 x days left;
 * - `poSatisfaction`: the product owner's satisfaction;
 * - `outcomeLinks`: the decision's handling, each exchange with the product owner, each analysis.
 *
 * Components: story_accepted (sprint goal met: goal cards delivered and, when needed, the needed
 * work delivered), tests_passing (share of the renegotiated commitment delivered), low_iteration_count
 * (trade-off soundness), velocity_maintained (1 - lost hours / budget), low_rework (commitment
 * protected: 1 - 0.5 per slipped card - 0.25 per needless swap), coverage_threshold (product owner
 * satisfaction). `scopeChangeOutcome` combines them into the facts, the components and the links.
 */
import type { DecisionLink, EpisodeResult } from '../../core/episode.js';
import { clamp01, round3 } from '../../core/numbers.js';
import type { OutcomeComponents } from '../../spec/reward.js';
import { BrierTally } from '../common.js';
import { committedRemaining, requestTruth, type Scenario } from './scenario.js';
import type { Aspect, CommittedCard, Decision, Handling, PoTopic, ScopeChangeFacts, Tradeoff } from './types.js';

/** Hours of work per story point. */
export const HOURS_PER_POINT = 3;
/** Product-owner interactions (questions and proposals) before patience runs out. */
export const PO_PATIENCE = 4;

/** One analysis of the candidate's; `value` is null when the look found nothing new. */
export interface Evidence {
  step: number;
  aspect: Aspect;
  value: string | null;
  correct: boolean;
  text: string;
}

/** One question to, or proposal for, the product owner. */
export interface PoExchange {
  step: number;
  kind: 'ask' | 'negotiate';
  topic: PoTopic | Tradeoff;
  /** The card a swap proposal names. */
  card?: number;
  /** Whether the product owner agreed to a proposal. */
  agreed?: boolean;
  /** A question asked before. */
  redundant: boolean;
  text: string;
}

/** Everything the outcome depends on: the hidden scenario, and what the candidate learned and agreed. */
export interface Negotiation {
  readonly scenario: Scenario;
  readonly evidence: readonly Evidence[];
  /** Analyses per aspect. */
  readonly looks: Readonly<Record<Aspect, number>>;
  readonly exchanges: readonly PoExchange[];
  /** Topics asked, in the order first asked. */
  readonly asked: ReadonlySet<PoTopic>;
  readonly splitAgreed: boolean;
  readonly swapsAgreed: readonly number[];
  readonly hours: number;
  readonly decision: Decision | undefined;
  readonly decisionStep: number;
  readonly decisionConfidence: number | undefined;
}

/** Committed card `i`. */
const card = (s: Negotiation, i: number): CommittedCard => s.scenario.cards[i] as CommittedCard;

interface Load {
  /** Accepted, or no decision (the card lands in full). */
  accepted: boolean;
  inScope: number;
  swapped: readonly number[];
  swappedPoints: number;
  committedAfter: number;
  overrun: number;
  load: number;
  actualCapacity: number;
  /** Points over the actual capacity. */
  over: number;
}

/** The sprint load after the decision, against the capacity the sprint turns out to have. */
export function sprintLoad(s: Negotiation): Load {
  const x = s.scenario;
  // No decision by the turn limit: the requester goes around the team and the card lands in full.
  const accepted = s.decision !== 'defer';
  const inScope = accepted ? (s.splitAgreed ? x.slice : x.size) : 0;
  const swapped = accepted ? s.swapsAgreed : [];
  const swappedPoints = swapped.reduce((a, i) => a + card(s, i).remaining, 0);
  const committedAfter = committedRemaining(x.cards) - swappedPoints;
  // Estimates are uncertain: the new work may overrun (a slice less than the whole card).
  const overrun = accepted && inScope > 0 ? x.overrun[s.splitAgreed ? 0 : 1] : 0;
  const load = committedAfter + inScope + overrun;
  const actualCapacity = x.capacity + x.surprise;
  const over = Math.max(0, load - actualCapacity);
  return { accepted, inScope, swapped, swappedPoints, committedAfter, overrun, load, actualCapacity, over };
}

/** Cards that slip: non-goal cards (last listed first), then goal cards; the new work, under pressure, lands. */
export function slippage(s: Negotiation, load: Load) {
  const x = s.scenario;
  let toSlip = load.over;
  const slipped: number[] = [];
  const order = [4, 3, 2, 1, 0].filter((i) => !load.swapped.includes(i));
  for (const goalPass of [false, true])
    for (const i of order) {
      const c = card(s, i);
      if (c.goal !== goalPass || toSlip <= 0) continue;
      slipped.push(i);
      toSlip -= c.remaining;
    }
  const slippedPoints = slipped.reduce((a, i) => a + card(s, i).remaining, 0);
  const goalSlipped = slipped.some((i) => card(s, i).goal);
  const neededDelivered = !x.needed || (load.accepted && load.inScope >= x.neededScope);
  const goalMet = !goalSlipped && neededDelivered;
  const committedAfter = load.committedAfter;
  const delivered = committedAfter > 0 ? Math.max(0, committedAfter - Math.min(slippedPoints, load.over)) / committedAfter : 1;
  return { slipped, slippedPoints, goalSlipped, neededDelivered, goalMet, delivered };
}

/** Soundness of the trade-off against the right handling, before and after the refused proposals. */
export function tradeoffSoundness(s: Negotiation, load: Load) {
  const x = s.scenario;
  const right = x.right;
  const rightAccept = right !== 'defer';
  const swapNeeded = right.endsWith('_swap');
  const room = x.neededScope - x.slack;
  let soundness: number;
  if (s.decision === undefined) soundness = 0;
  else if (!load.accepted) soundness = rightAccept ? 0 : 1;
  else if (!rightAccept) soundness = 0;
  else {
    const scopeRight = x.sliceable ? s.splitAgreed : true;
    const swapRight = swapNeeded ? load.swapped.length === 1 && load.swappedPoints >= room : load.swapped.length === 0;
    soundness = 0.5 + (scopeRight ? 0.25 : 0) + (swapRight ? 0.25 : 0);
  }
  const refused = s.exchanges.filter((e) => e.kind === 'negotiate' && e.agreed === false).length;
  const soundnessScore = clamp01(soundness - 0.15 * refused);
  return { rightAccept, swapNeeded, room, soundness, refused, soundnessScore };
}

/** Hours lost to the card, and the budget they are measured against. */
export function lostHours(s: Negotiation, load: Load, swapNeeded: boolean, room: number) {
  const x = s.scenario;
  const { accepted, inScope, swapped } = load;
  const analysis = s.hours;
  const unneededWork = accepted && !x.needed ? inScope * HOURS_PER_POINT : 0;
  const goldPlating = accepted && x.needed && inScope > x.neededScope ? (inScope - x.neededScope) * HOURS_PER_POINT : 0;
  let churn = 0;
  const needless = new Set<number>();
  if (accepted) {
    // Swaps beyond the one that was needed (or any when none was) are needless churn.
    const keep = swapNeeded ? swapped.find((i) => card(s, i).remaining >= room) : undefined;
    for (const i of swapped) if (i !== keep) needless.add(i);
    for (const i of swapped) if (card(s, i).status === 'in_progress') churn += 2;
    churn += 1.5 * needless.size;
  }
  const chaos = load.over > 0 ? 3 + load.over : 0;
  const noDecision = s.decision === undefined ? 4 : 0;
  const lost = analysis + unneededWork + goldPlating + churn + chaos + noDecision;
  const budget = 12 + 2 * x.daysLeft;
  return { analysis, unneededWork, goldPlating, needless, lost, budget };
}

/** The product owner's satisfaction (unclamped), and what weighed on it. */
export function poSatisfaction(s: Negotiation, load: Load, neededDelivered: boolean, goalSlipped: boolean, refused: number) {
  const x = s.scenario;
  let satisfaction = 1;
  const patienceExceeded = Math.max(0, s.exchanges.length - PO_PATIENCE);
  const missed = x.needed && !neededDelivered;
  if (missed) satisfaction -= (x.urgency === 'now' ? 0.6 : 0.4) * (x.value === 'high' ? 1 : 0.75);
  if (load.accepted && !x.needed) satisfaction -= 0.15;
  if (goalSlipped) satisfaction -= 0.3;
  const silentOverload = load.accepted && s.exchanges.length === 0 && load.over > 0;
  if (silentOverload) satisfaction -= 0.15;
  if (s.decision === undefined) satisfaction -= 0.2;
  if (s.decision === 'defer' && s.swapsAgreed.length > 0) satisfaction -= 0.1;
  satisfaction -= 0.05 * refused + 0.1 * patienceExceeded;
  return { satisfaction, patienceExceeded, missed };
}

/** How the card was handled, in the terms of `Handling`; `none` without a decision. */
export function handlingOf(s: Negotiation, load: Load): Handling | 'none' {
  if (s.decision === undefined) return 'none';
  if (!load.accepted) return 'defer';
  return `accept_${s.splitAgreed ? 'split' : 'full'}${load.swapped.length > 0 ? '_swap' : ''}` as Handling;
}

/** The decision's links, then each exchange with the product owner, then each analysis. */
export function outcomeLinks(
  s: Negotiation,
  load: Load,
  judged: { handling: Handling | 'none'; soundness: number; rightAccept: boolean; room: number; missed: boolean },
  hours: { goldPlating: number; unneededWork: number; needless: ReadonlySet<number> },
  slippedCards: number,
): DecisionLink[] {
  const x = s.scenario;
  const links: DecisionLink[] = [];
  const { accepted } = load;
  if (s.decision === undefined)
    links.push({ step: -1, effect: 'no_decision', value: -0.3, note: 'no decision by the turn limit: the card landed in full' });
  else {
    const good = judged.soundness >= 1;
    links.push({
      step: s.decisionStep,
      effect: good ? 'handling_right' : accepted === judged.rightAccept ? 'handling_partial' : 'handling_wrong',
      target: judged.handling,
      value: good ? 0.3 : accepted === judged.rightAccept ? 0 : -0.3,
      note: `${judged.handling} when ${x.right} was right`,
    });
    if (accepted && load.over > 0)
      links.push({
        step: s.decisionStep,
        effect: 'overcommitted',
        value: -0.2,
        note: `${load.over} point(s) over capacity; ${slippedCards} card(s) slipped`,
      });
    if (judged.missed)
      links.push({
        step: s.decisionStep,
        effect: 'needed_work_deferred',
        value: -0.2,
        note: `urgency ${x.urgency}, value ${x.value}`,
      });
    if (hours.goldPlating > 0)
      links.push({
        step: s.decisionStep,
        effect: 'gold_plating',
        value: -0.1,
        note: `took the whole card when ${x.neededScope} point(s) were needed`,
      });
    if (hours.unneededWork > 0)
      links.push({ step: s.decisionStep, effect: 'unneeded_work', value: -0.1, note: `accepted ${load.inScope} point(s) that could wait` });
  }
  for (const e of s.exchanges) {
    if (e.kind === 'ask') {
      const useful =
        e.topic === 'value' || e.topic === 'urgency' ? true : e.topic === 'minimum' ? x.needed && x.size >= 3 : x.needed && judged.room > 0;
      const effect = e.redundant ? 'redundant_question' : useful ? 'informative_answer' : 'unneeded_question';
      links.push({ step: e.step, effect, target: e.topic, value: e.redundant ? -0.02 : useful ? 0.03 : -0.01, note: e.text });
    } else {
      const key = `${e.topic}:${e.card ?? ''}`;
      let effect: string;
      if (!e.agreed) effect = 'proposal_refused';
      else if (e.topic === 'split') effect = 'tradeoff_agreed';
      else effect = hours.needless.has(e.card as number) || !accepted ? 'needless_swap' : 'tradeoff_agreed';
      links.push({ step: e.step, effect, target: key, value: effect === 'tradeoff_agreed' ? 0.1 : -0.05, note: e.text });
    }
  }
  s.exchanges.forEach((e, i) => {
    if (i >= PO_PATIENCE)
      links.push({ step: e.step, effect: 'po_patience_exceeded', value: -0.03, note: 'past the product owner patience' });
  });
  for (const e of s.evidence)
    links.push({
      step: e.step,
      effect: e.value === null ? 'nothing_new' : e.correct ? 'evidence_found' : 'evidence_misleading',
      target: e.aspect,
      value: e.value === null ? -0.02 : e.correct ? 0.02 : 0,
      note: e.text,
    });
  return links;
}

/** The episode's outcome: facts, the six components and the decision links. */
export function scopeChangeOutcome(s: Negotiation): EpisodeResult<ScopeChangeFacts> {
  const x = s.scenario;
  const decision = s.decision;
  const load = sprintLoad(s);
  const slip = slippage(s, load);
  const trade = tradeoffSoundness(s, load);
  const hours = lostHours(s, load, trade.swapNeeded, trade.room);
  const po = poSatisfaction(s, load, slip.neededDelivered, slip.goalSlipped, trade.refused);

  const components: OutcomeComponents = {
    story_accepted: slip.goalMet ? 1 : 0,
    tests_passing: clamp01(slip.delivered),
    low_iteration_count: trade.soundnessScore,
    velocity_maintained: clamp01(1 - hours.lost / hours.budget),
    low_rework: clamp01(1 - 0.5 * slip.slipped.length - 0.25 * hours.needless.size),
    coverage_threshold: clamp01(po.satisfaction),
  };

  const handling = handlingOf(s, load);
  const links = outcomeLinks(
    s,
    load,
    { handling, soundness: trade.soundness, rightAccept: trade.rightAccept, room: trade.room, missed: po.missed },
    hours,
    slip.slipped.length,
  );

  const brier = new BrierTally();
  if (decision !== undefined) brier.add(s.decisionConfidence, trade.soundness >= 1);
  const askedTopics = [...s.asked];
  return {
    facts: {
      ...requestTruth(x),
      slack: x.slack,
      room: trade.room,
      rightHandling: x.right,
      handling,
      handlingRight: trade.soundness >= 1,
      decision: decision ?? 'none',
      decisionConfidence: s.decisionConfidence ?? -1,
      noDecision: decision === undefined,
      accepted: decision === 'accept',
      deferred: decision === 'defer',
      splitAgreed: s.splitAgreed,
      swapsAgreed: s.swapsAgreed.length,
      swappedPoints: load.swappedPoints,
      needlessSwaps: hours.needless.size,
      proposalsRefused: trade.refused,
      inScopePoints: load.inScope,
      loadPoints: load.load,
      capacityActual: load.actualCapacity,
      overcommitPoints: load.over,
      overrunPoints: load.overrun,
      slippedCards: slip.slipped.length,
      slippedPoints: slip.slippedPoints,
      goalSlipped: slip.goalSlipped,
      neededDelivered: slip.neededDelivered,
      neededDeferred: po.missed,
      goldPlatingHours: hours.goldPlating,
      unneededWorkHours: hours.unneededWork,
      sprintGoalMet: slip.goalMet,
      storyAccepted: slip.goalMet,
      deliveredShare: round3(slip.delivered),
      tradeoffSoundness: round3(trade.soundnessScore),
      poSatisfaction: round3(clamp01(po.satisfaction)),
      poInteractions: s.exchanges.length,
      poPatienceExceeded: po.patienceExceeded,
      askedTopics: askedTopics.join(','),
      askedMinimum: s.asked.has('minimum'),
      askedFlexibility: s.asked.has('flexibility'),
      askedUrgency: s.asked.has('urgency'),
      askedValue: s.asked.has('value'),
      assessedValue: s.looks.value > 0,
      assessedUrgency: s.looks.urgency > 0,
      assessedSize: s.looks.size > 0,
      analysisHours: round3(hours.analysis),
      lostHours: round3(hours.lost),
      budgetHours: hours.budget,
      velocityEffect: round3(components.velocity_maintained - 1),
      confidenceStatements: brier.stated,
      calibrationBrier: brier.stated > 0 ? round3(brier.sum) : -1,
    },
    components,
    links,
  };
}
