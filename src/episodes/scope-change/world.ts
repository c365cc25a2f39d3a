/**
 * E-2.3 Scope change: mid-sprint, an unplanned card arrives while the sprint is near capacity.
 * Find out what it really is, negotiate a sound trade-off with the product owner, then accept it
 * (under the agreed trade-off) or defer it.
 *
 * Visible: the sprint clock (day of a 10-day sprint), five committed cards (points, remaining
 * points, status; two carry the sprint goal), the team's remaining capacity in points and the slack
 * (capacity minus committed remaining work, 0-2 points). The new card: title, who asks for it, the
 * urgency the requester claims (requesters inflate it) and a rough size guess (right half the time).
 *
 * Hidden truth (`scenario.ts`): the new card's value (low, medium, high), urgency (later,
 * this_sprint, now) and size (1, 2, 3, 5, 8 points); whether a smaller first slice (1-2 points)
 * would deliver what is urgent and the product owner would take it (`sliceable`); which committed
 * non-goal cards the product owner would give up (`flexible`, at least one big enough when a swap
 * is needed); a capacity surprise (-2, -1, 0, 0, 0, +1 points) and an estimate overrun of the new
 * work (+1 point 30% of the time, +1 more for a whole card of 5+ points 40% of the time) drawn up
 * front, like the per-aspect evidence fates; and from them the right handling.
 *
 * Actions: `assess_new_scope {aspect: value|urgency|size}` — the candidate's own analysis (0.5 h;
 * right 80% for value and urgency, 85% for size, wrong ones adjacent; a third look finds nothing).
 * `ask_po {topic: value|urgency|flexibility|minimum}` — the product owner answers truthfully
 * (value, urgency; which cards could make room; what the minimum deliverable is and what can be
 * left out for later) (0.25 h; the product owner's patience is four interactions, questions and
 * proposals together). `negotiate_tradeoff {kind: split|swap, card}` — proposes trimming the new
 * card to its first slice, or swapping out committed card `card`; the product owner agrees when the
 * card is needed and the trade-off is acceptable to them (sliceable; a flexible card), and refuses
 * otherwise, saying why (0.25 h). `accept_scope` and `defer_scope` are terminal.
 *
 * Outcome (`outcome.ts`): the sprint load after the decision against the actual capacity, slipped
 * cards, the trade-off's soundness, lost hours and the product owner's satisfaction.
 */

import type { Action, ActionResult, Episode, EpisodeResult, EpisodeWorld, ScenarioOptions, Secret } from '../../core/episode.js';
import type { Rng } from '../../core/rng.js';
import { EPISODE_SPECS } from '../../spec/episodes.js';
import { type Evidence, type Negotiation, PO_PATIENCE, type PoExchange, scopeChangeOutcome } from './outcome.js';
import {
  evidenceText,
  flexibilityText,
  minimumText,
  SCOPE_CHANGE_VOCABULARY,
  scopeChangeDescription,
  scopeChangeTokens,
  URGENCY_TEXT,
  VALUE_TEXT,
} from './render.js';
import {
  adjacent,
  CARDS,
  committedRemaining,
  createScenario,
  flexibleCards,
  requestTruth,
  type Scenario,
  SPRINT_LENGTH,
} from './scenario.js';
import {
  ASPECTS,
  type Aspect,
  type CommittedCard,
  type Decision,
  PO_TOPICS,
  type PoTopic,
  type ScopeChangeFacts,
  type ScopeChangeHidden,
  type ScopeChangeView,
  SIZES,
  TRADEOFFS,
  type Tradeoff,
  URGENCIES,
  VALUES,
} from './types.js';

const HOURS_ASSESS = 0.5;
const HOURS_PO = 0.25;
const ASSESS_ACCURACY: Record<Aspect, number> = { value: 0.8, urgency: 0.8, size: 0.85 };
/** Analyses of one aspect that can find something; later ones find nothing new. */
const ASSESS_DEPTH = 2;

class ScopeChangeEpisode implements Episode<ScopeChangeView, ScopeChangeFacts, ScopeChangeHidden>, Negotiation {
  readonly scenario: Scenario;
  readonly evidence: Evidence[] = [];
  readonly looks: Record<Aspect, number> = { value: 0, urgency: 0, size: 0 };
  readonly exchanges: PoExchange[] = [];
  readonly asked = new Set<PoTopic>();
  splitAgreed = false;
  readonly swapsAgreed: number[] = [];
  hours = 0;
  decision: Decision | undefined;
  decisionStep = -1;
  decisionConfidence: number | undefined;
  /** Which hidden items the candidate has learned (leak test). */
  private readonly revealed: Record<'value' | 'urgency' | 'size' | 'minimum' | 'flexibility', boolean> = {
    value: false,
    urgency: false,
    size: false,
    minimum: false,
    flexibility: false,
  };

  constructor(rng: Rng, options: ScenarioOptions) {
    this.scenario = createScenario(rng, options);
  }

  view(): ScopeChangeView {
    const x = this.scenario;
    return {
      sprint: {
        day: x.day,
        length: SPRINT_LENGTH,
        daysLeft: x.daysLeft,
        capacityPoints: x.capacity,
        committedRemaining: committedRemaining(x.cards),
        slackPoints: x.slack,
        cards: x.cards.map((c, index) => ({
          index,
          title: c.title,
          points: c.points,
          remaining: c.remaining,
          status: c.status,
          goal: c.goal,
          swapAgreed: this.swapsAgreed.includes(index),
        })),
      },
      newCard: { title: x.context.newCard, requester: x.context.requester, claimedUrgency: x.claimedUrgency, roughSize: x.roughSize },
      evidence: this.evidence.map((e) => ({ aspect: e.aspect, value: e.value, text: e.text })),
      po: {
        answers: this.exchanges.map((e) => ({
          kind: e.kind,
          topic: e.topic,
          card: e.card ?? null,
          agreed: e.agreed ?? null,
          text: e.text,
        })),
        known: {
          value: this.asked.has('value') ? x.value : null,
          urgency: this.asked.has('urgency') ? x.urgency : null,
          flexibleCards: this.asked.has('flexibility') ? flexibleCards(x) : null,
          minimum: this.asked.has('minimum') ? (x.sliceable ? x.slice : null) : null,
          splitPossible: this.asked.has('minimum') ? x.sliceable : null,
        },
        interactions: this.exchanges.length,
        patience: PO_PATIENCE,
      },
      agreed: { split: this.splitAgreed, swaps: this.swapsAgreed.slice() },
      hoursSpent: this.hours,
    };
  }

  tokens(): string[] {
    return scopeChangeTokens(this);
  }

  describe(): string {
    return scopeChangeDescription(this);
  }

  legalActions(): Action[] {
    const out: Action[] = [];
    for (const aspect of ASPECTS) out.push({ type: 'assess_new_scope', args: { aspect } });
    for (const topic of PO_TOPICS) out.push({ type: 'ask_po', args: { topic } });
    if (!this.splitAgreed) out.push({ type: 'negotiate_tradeoff', args: { kind: 'split' } });
    for (let card = 0; card < CARDS; card++)
      if (!this.swapsAgreed.includes(card)) out.push({ type: 'negotiate_tradeoff', args: { kind: 'swap', card } });
    out.push({ type: 'accept_scope', args: {} }, { type: 'defer_scope', args: {} });
    return out;
  }

  act(action: Action, step: number): ActionResult {
    switch (action.type) {
      case 'assess_new_scope':
        return { ok: true, response: this.assess(action.args?.aspect as Aspect, step), terminal: false };
      case 'ask_po':
        return { ok: true, response: this.askPo(action.args?.topic as PoTopic, step), terminal: false };
      case 'negotiate_tradeoff': {
        const kind = action.args?.kind as Tradeoff;
        const card = action.args?.card as number | undefined;
        if (kind === 'swap' && card === undefined)
          return { ok: false, error: 'a swap needs the committed card to swap out: args.card 0..4' };
        if (kind === 'swap' && this.swapsAgreed.includes(card as number))
          return { ok: false, error: `card ${card} is already agreed to be swapped out` };
        if (kind === 'split' && this.splitAgreed) return { ok: false, error: 'the split is already agreed' };
        return { ok: true, response: this.negotiate(kind, card, step), terminal: false };
      }
      case 'accept_scope':
      case 'defer_scope': {
        this.decision = action.type === 'accept_scope' ? 'accept' : 'defer';
        this.decisionStep = step;
        this.decisionConfidence = action.confidence;
        const response =
          this.decision === 'accept'
            ? `"${this.scenario.context.newCard}" comes into the sprint${this.splitAgreed ? ' (first slice only)' : ''}${this.swapsAgreed.length > 0 ? `; card ${this.swapsAgreed.join(' and ')} goes back to the backlog` : ''}.`
            : `"${this.scenario.context.newCard}" goes to the backlog for a later sprint.`;
        return { ok: true, response, terminal: true };
      }
      default:
        return { ok: false, error: `unknown action ${action.type}` };
    }
  }

  private assess(aspect: Aspect, step: number): string {
    const attempt = this.looks[aspect];
    this.looks[aspect] = attempt + 1;
    this.hours += HOURS_ASSESS;
    if (attempt >= ASSESS_DEPTH) {
      const text = `Nothing new on the ${aspect}: the same information as before.`;
      this.evidence.push({ step, aspect, value: null, correct: false, text });
      return text;
    }
    const fate = this.scenario.fates[aspect];
    const correct = (fate.accuracy[attempt] as number) < ASSESS_ACCURACY[aspect];
    const up = (fate.direction[attempt] as number) < 0.5;
    let value: string;
    if (aspect === 'value') value = correct ? this.scenario.value : adjacent(VALUES, VALUES.indexOf(this.scenario.value), up);
    else if (aspect === 'urgency')
      value = correct ? this.scenario.urgency : adjacent(URGENCIES, URGENCIES.indexOf(this.scenario.urgency), up);
    else value = String(correct ? this.scenario.size : adjacent(SIZES, SIZES.indexOf(this.scenario.size as (typeof SIZES)[number]), up));
    if (correct) this.revealed[aspect] = true;
    const text = evidenceText(this.scenario, aspect, value);
    this.evidence.push({ step, aspect, value, correct, text });
    return text;
  }

  private askPo(topic: PoTopic, step: number): string {
    this.hours += HOURS_PO;
    const redundant = this.asked.has(topic);
    this.asked.add(topic);
    let text: string;
    if (topic === 'value') {
      text = `The product owner: ${VALUE_TEXT[this.scenario.value]} (value ${this.scenario.value}).`;
      this.revealed.value = true;
    } else if (topic === 'urgency') {
      text = `The product owner: ${URGENCY_TEXT[this.scenario.urgency]} (urgency ${this.scenario.urgency.replace('_', ' ')}).`;
      this.revealed.urgency = true;
    } else if (topic === 'minimum') {
      text = minimumText(this.scenario);
      this.revealed.minimum = true;
    } else {
      text = flexibilityText(this.scenario);
      this.revealed.flexibility = true;
    }
    if (redundant) text = `As I said: ${text}`;
    if (this.exchanges.length >= PO_PATIENCE) text += ' (The product owner is getting impatient.)';
    this.exchanges.push({ step, kind: 'ask', topic, redundant, text });
    return text;
  }

  private negotiate(kind: Tradeoff, card: number | undefined, step: number): string {
    this.hours += HOURS_PO;
    let agreed: boolean;
    let text: string;
    if (!this.scenario.needed) {
      agreed = false;
      text = `The product owner: no need to squeeze anything out for "${this.scenario.context.newCard}"; it can wait for a later sprint.`;
    } else if (kind === 'split') {
      agreed = this.scenario.sliceable;
      text = agreed
        ? `The product owner agrees: only ${this.scenario.context.slice} this sprint; ${this.scenario.context.rest} becomes a later story.`
        : 'The product owner refuses: a smaller piece would not help; it is all or nothing.';
      if (agreed) this.splitAgreed = true;
    } else {
      const c = this.scenario.cards[card as number] as CommittedCard;
      agreed = this.scenario.flexible[card as number] === true;
      text = agreed
        ? `The product owner agrees to move "${c.title}" back to the backlog to make room.`
        : `The product owner refuses: "${c.title}" is promised to stakeholders.`;
      if (agreed) this.swapsAgreed.push(card as number);
    }
    if (this.exchanges.length >= PO_PATIENCE) text += ' (The product owner is getting impatient.)';
    const exchange: PoExchange = { step, kind: 'negotiate', topic: kind, agreed, redundant: false, text };
    if (kind === 'swap') exchange.card = card as number;
    this.exchanges.push(exchange);
    return text;
  }

  finish(): EpisodeResult<ScopeChangeFacts> {
    return scopeChangeOutcome(this);
  }

  hidden(): ScopeChangeHidden {
    const x = this.scenario;
    return {
      ...requestTruth(x),
      rightHandling: x.right,
      flexibleCards: flexibleCards(x),
      capacitySurprise: x.surprise,
      overrun: x.overrun,
    };
  }

  secrets(): Secret[] {
    const x = this.scenario;
    return [
      { id: 'value', text: VALUE_TEXT[x.value], revealed: this.revealed.value },
      { id: 'urgency', text: URGENCY_TEXT[x.urgency], revealed: this.revealed.urgency },
      { id: 'size', text: evidenceText(x, 'size', String(x.size)), revealed: this.revealed.size },
      { id: 'minimum', text: minimumText(x), revealed: this.revealed.minimum },
      { id: 'flexibility', text: flexibilityText(x), revealed: this.revealed.flexibility },
      { id: 'right_handling', text: `The right handling of this card is ${x.right}`, revealed: false },
    ];
  }
}

export const scopeChangeWorld: EpisodeWorld<ScopeChangeView, ScopeChangeFacts, ScopeChangeHidden> = {
  name: 'scope_change',
  spec: EPISODE_SPECS.scope_change,
  summary:
    'Mid-sprint, an unplanned card arrives with the sprint near capacity: find its real value, urgency and size, negotiate a trade-off with the product owner, then accept it (trimmed or with a swap) or defer it.',
  actions: {
    assess_new_scope: {
      description: "Analyze one aspect of the new card yourself (0.5 h): its value, its urgency, or its size (the team's estimate).",
      args: { aspect: { kind: 'enum', values: ASPECTS, description: 'the aspect to analyze' } },
    },
    ask_po: {
      description:
        "Ask the product owner (0.25 h, uses their patience): the card's value, its urgency, which committed cards could make room (flexibility), or the minimum deliverable and what can be left out (minimum).",
      args: { topic: { kind: 'enum', values: PO_TOPICS, description: 'what to ask the product owner' } },
    },
    negotiate_tradeoff: {
      description:
        'Propose a trade-off to the product owner: split (only a first slice this sprint) or swap (move committed card `card` out).',
      args: {
        kind: { kind: 'enum', values: TRADEOFFS, description: 'split the new card, or swap a committed card out' },
        card: { kind: 'int', min: 0, max: CARDS - 1, description: 'the committed card to swap out (swap only)', optional: true },
      },
    },
    accept_scope: {
      description: 'Take the new card into the sprint under the agreed trade-offs (ends the episode).',
      args: {},
      asserts: true,
    },
    defer_scope: { description: 'Put the new card in the backlog for a later sprint (ends the episode).', args: {}, asserts: true },
  },
  maxTurns: 18,
  levers: [
    {
      name: 'learn_before_deciding',
      direction: 'up',
      description:
        "Learning the card's real urgency and value (ask the product owner or analyze) before deciding beats trusting the requester's claim: what can wait is deferred and what is needed comes in.",
    },
    {
      name: 'negotiate_swap',
      direction: 'up',
      description:
        'When the needed work exceeds the slack, an agreed swap of a flexible committed card protects the commitment; accepting on top overcommits and slips committed cards (possibly the sprint goal).',
    },
    {
      name: 'split_to_minimum',
      direction: 'up',
      description:
        'Asking for the minimum and agreeing a split brings in only what is urgent; taking the whole card gold-plates the sprint and eats capacity (the rest becomes a later story).',
    },
    {
      name: 'accept_silently',
      direction: 'down',
      description:
        'Accepting the whole card at once, without finding out or negotiating, overcommits the sprint or spends capacity on what could wait.',
    },
    {
      name: 'defer_needed_work',
      direction: 'down',
      description: 'Deferring a card that is needed this sprint misses the sprint goal and disappoints the product owner.',
    },
    {
      name: 'exhaust_po_patience',
      direction: 'down',
      description:
        "More than four questions and proposals to the product owner, or proposals they refuse, cost satisfaction and the trade-off's soundness.",
    },
  ],
  vocabulary: SCOPE_CHANGE_VOCABULARY,
  create: (rng, options) => new ScopeChangeEpisode(rng, options),
  fromText(text): Action | undefined {
    const lower = text.toLowerCase();
    if (lower.includes('defer') || lower.includes('backlog')) return { type: 'defer_scope', args: {}, text };
    if (lower.includes('accept')) return { type: 'accept_scope', args: {}, text };
    if (lower.includes('split')) return { type: 'negotiate_tradeoff', args: { kind: 'split' }, text };
    return undefined;
  },
};
