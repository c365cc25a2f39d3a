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
 * Hidden truth: the new card's value (low, medium, high), urgency (later, this_sprint, now) and
 * size (1, 2, 3, 5, 8 points); whether a smaller first slice (1-2 points) would deliver what is
 * urgent and the product owner would take it (`sliceable`); which committed non-goal cards the
 * product owner would give up (`flexible`, at least one big enough when a swap is needed); a
 * capacity surprise (-2, -1, 0, 0, 0, +1 points) and an estimate overrun of the new work (+1 point
 * 30% of the time, +1 more for a whole card of 5+ points 40% of the time) drawn up front, like the
 * per-aspect evidence fates.
 * The card is needed this sprint when urgency is not `later` and value is not `low`. The needed
 * scope is the slice when sliceable, else the whole card. The right handling: defer what is not
 * needed; accept what is needed, trimmed to the needed scope (split), with a swap of a flexible
 * card when the needed scope exceeds the slack.
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
 * Outcome: on accept, the sprint load is the committed remaining work minus agreed swaps plus the
 * new work (the slice when a split was agreed, else the whole card); load beyond the actual
 * capacity slips committed cards, non-goal ones first, then the sprint goal. Deferring a needed
 * card misses the sprint goal (the urgent work is not done) and disappoints the product owner.
 * Components: story_accepted (sprint goal met: goal cards delivered and, when needed, the needed
 * work delivered), tests_passing (share of the renegotiated commitment delivered), low_iteration_count
 * (trade-off soundness: the decision, the scope and the swap against the right handling, 0.15 off
 * per refused proposal), velocity_maintained (1 - lost hours / (12 + 2 x days left): analysis
 * hours, work on what was not needed, gold-plating beyond the needed scope, needless swaps,
 * overcommit chaos), low_rework (commitment protected: 1 - 0.5 per slipped card - 0.25 per needless
 * swap), coverage_threshold (product owner satisfaction).
 */

import type {
  Action,
  ActionResult,
  DecisionLink,
  Episode,
  EpisodeResult,
  EpisodeWorld,
  ScenarioOptions,
  Secret,
} from '../../core/episode.js';
import { clamp01, round3 } from '../../core/numbers.js';
import type { Rng } from '../../core/rng.js';
import type { Domain } from '../../spec/episodes.js';
import type { OutcomeComponents } from '../../spec/reward.js';

export const VALUES = ['low', 'medium', 'high'] as const;
export type Value = (typeof VALUES)[number];
export const URGENCIES = ['later', 'this_sprint', 'now'] as const;
export type Urgency = (typeof URGENCIES)[number];
export const SIZES = [1, 2, 3, 5, 8] as const;
export const ASPECTS = ['value', 'urgency', 'size'] as const;
export type Aspect = (typeof ASPECTS)[number];
export const PO_TOPICS = ['value', 'urgency', 'flexibility', 'minimum'] as const;
export type PoTopic = (typeof PO_TOPICS)[number];
export const TRADEOFFS = ['split', 'swap'] as const;
export type Tradeoff = (typeof TRADEOFFS)[number];
export const HANDLINGS = ['defer', 'accept_full', 'accept_split', 'accept_full_swap', 'accept_split_swap'] as const;
export type Handling = (typeof HANDLINGS)[number];

export const SPRINT_LENGTH = 10;
/** Committed cards in the sprint (the `card` argument indexes them). */
export const CARDS = 5;
const HOURS_ASSESS = 0.5;
const HOURS_PO = 0.25;
/** Hours of work per story point. */
const HOURS_PER_POINT = 3;
/** Product-owner interactions (questions and proposals) before patience runs out. */
const PO_PATIENCE = 4;
const ASSESS_ACCURACY: Record<Aspect, number> = { value: 0.8, urgency: 0.8, size: 0.85 };
const ASSESS_DEPTH = 2;

interface Context {
  cards: readonly string[];
  newCard: string;
  slice: string;
  rest: string;
  requester: string;
}

const CONTEXTS: Record<Domain, Context> = {
  crud_api: {
    cards: ['Paginate order history', 'CSV export endpoint', 'Order filters by status', 'Audit log for refunds', 'Rate-limit headers'],
    newCard: 'Bulk order cancellation for support',
    slice: 'cancel a list of order ids from an admin endpoint',
    rest: 'a UI with search and undo',
    requester: 'the support lead',
  },
  data_pipeline: {
    cards: ['Backfill March partitions', 'Deduplicate late events', 'Revenue rollup job', 'Schema drift alert', 'Partition pruning'],
    newCard: 'Finance wants a churn metric in the daily report',
    slice: 'a churn count in the existing report',
    rest: 'cohort breakdowns and a dashboard',
    requester: 'the finance director',
  },
  ml_service: {
    cards: ['Feature freshness check', 'Shadow-mode scoring', 'Model card update', 'Latency budget dashboard', 'Batch re-scoring job'],
    newCard: 'Explain each fraud score to the review team',
    slice: 'the top three features per score in the API response',
    rest: 'a full explanation page with charts',
    requester: 'the fraud review manager',
  },
  frontend_spa: {
    cards: ['Address autocomplete', 'Checkout error states', 'Promo code field', 'Accessibility pass on forms', 'Saved carts'],
    newCard: 'Gift wrapping option at checkout',
    slice: 'a gift-wrap checkbox with a fixed price',
    rest: 'wrapping styles, messages and previews',
    requester: 'the marketing team',
  },
  cli_tool: {
    cards: ['Profile switching', 'Config validation errors', 'Shell completion', 'Windows path handling', 'Verbose logging flag'],
    newCard: 'Dry-run mode for releases',
    slice: 'a --dry-run flag that prints the planned steps',
    rest: 'a diff view and a JSON plan output',
    requester: 'the release manager',
  },
  library: {
    cards: ['Backoff strategies', 'Retry budget', 'Typed errors', 'Changelog and migration note', 'Timeout per request'],
    newCard: 'Request hooks for a key customer',
    slice: 'a before-request hook',
    rest: 'after-response and error hooks with ordering rules',
    requester: 'the account manager of the key customer',
  },
  infrastructure: {
    cards: ['Traffic switch script', 'Health-check gates', 'Rollback runbook', 'Cost tags on resources', 'Log retention policy'],
    newCard: 'Audit trail of deploys for compliance',
    slice: 'a deploy log with who and when',
    rest: 'signed records and a search UI',
    requester: 'the compliance officer',
  },
};
const DOMAIN_LIST = Object.keys(CONTEXTS) as Domain[];

const VALUE_TEXT: Record<Value, string> = {
  low: 'a nice-to-have: few users would notice it',
  medium: 'worth having: it saves real work for one group of users',
  high: 'important: it unblocks revenue or a commitment to customers',
};
const URGENCY_TEXT: Record<Urgency, string> = {
  later: 'nothing breaks if it waits for the next sprint',
  this_sprint: 'it must land before the sprint review',
  now: 'it is needed within days: a deadline outside the team depends on it',
};

export interface CommittedCard {
  title: string;
  points: number;
  remaining: number;
  status: 'todo' | 'in_progress';
  goal: boolean;
}

interface Evidence {
  step: number;
  aspect: Aspect;
  value: string | null;
  correct: boolean;
  text: string;
}

interface PoExchange {
  step: number;
  kind: 'ask' | 'negotiate';
  topic: string;
  card?: number;
  agreed?: boolean;
  redundant: boolean;
  text: string;
}

/** The right handling of a card (see the module comment). */
export function rightHandling(needed: boolean, sliceable: boolean, neededScope: number, slack: number): Handling {
  if (!needed) return 'defer';
  const swap = neededScope > slack;
  if (sliceable) return swap ? 'accept_split_swap' : 'accept_split';
  return swap ? 'accept_full_swap' : 'accept_full';
}

function adjacent<T>(scale: readonly T[], index: number, up: boolean): T {
  if (index === 0) return scale[1] as T;
  if (index === scale.length - 1) return scale[index - 1] as T;
  return scale[up ? index + 1 : index - 1] as T;
}

class ScopeChangeEpisode implements Episode {
  private readonly ctx: Context;
  private readonly day: number;
  private readonly daysLeft: number;
  private readonly cards: CommittedCard[];
  private readonly flexible: boolean[];
  private readonly capacity: number;
  private readonly slack: number;
  private readonly surprise: number;
  /** Points the new work overruns its estimate by: [as a slice, as the whole card]. */
  private readonly overrun: [number, number];
  private readonly value: Value;
  private readonly urgency: Urgency;
  private readonly size: number;
  private readonly sliceable: boolean;
  private readonly slice: number;
  private readonly needed: boolean;
  private readonly neededScope: number;
  private readonly right: Handling;
  private readonly claimedUrgency: Urgency;
  private readonly roughSize: number;
  private readonly fates: Record<Aspect, { accuracy: number[]; direction: number[] }>;

  private readonly evidence: Evidence[] = [];
  private readonly looks: Record<Aspect, number> = { value: 0, urgency: 0, size: 0 };
  private readonly exchanges: PoExchange[] = [];
  private readonly asked = new Set<PoTopic>();
  private splitAgreed = false;
  private readonly swapsAgreed: number[] = [];
  private hours = 0;
  private decision: 'accept' | 'defer' | undefined;
  private decisionStep = -1;
  private decisionConfidence: number | undefined;
  private readonly revealed: Record<'value' | 'urgency' | 'size' | 'minimum' | 'flexibility', boolean> = {
    value: false,
    urgency: false,
    size: false,
    minimum: false,
    flexibility: false,
  };

  constructor(rng: Rng, options: ScenarioOptions) {
    const domain = options.domain ?? rng.pick(DOMAIN_LIST);
    this.ctx = CONTEXTS[domain];
    this.day = rng.intBetween(3, 7);
    this.daysLeft = SPRINT_LENGTH - this.day;
    const goals = rng.sample([0, 1, 2, 3, 4], 2);
    this.cards = this.ctx.cards.map((title, i) => {
      const points = rng.pick([1, 2, 3, 5]);
      const inProgress = rng.chance(0.4);
      return {
        title,
        points,
        remaining: inProgress ? Math.ceil(points / 2) : points,
        status: inProgress ? 'in_progress' : 'todo',
        goal: goals.includes(i),
      };
    });
    this.flexible = this.cards.map((c) => !c.goal && rng.chance(0.5));
    this.slack = rng.weightedIndex([1, 2, 1]);
    const committed = this.cards.reduce((a, c) => a + c.remaining, 0);
    this.capacity = committed + this.slack;
    this.surprise = rng.pick([-2, -1, 0, 0, 0, 1]);

    this.value = VALUES[rng.weightedIndex([0.3, 0.4, 0.3])] as Value;
    const hard = options.difficulty === 'hard';
    this.urgency = URGENCIES[rng.weightedIndex([0.35, 0.4, 0.25])] as Urgency;
    let size = SIZES[rng.weightedIndex(options.difficulty === 'easy' ? [0.3, 0.3, 0.3, 0.1, 0] : [0.1, 0.2, 0.3, 0.25, 0.15])] as number;
    const splittable = size >= 3 && rng.chance(0.65);
    this.sliceable = splittable && rng.chance(0.8);
    // A whole 8-point card cannot fit by swapping one card: such cards come in sliceable or smaller.
    if (!this.sliceable && size === 8) size = 5;
    this.size = size;
    this.slice = size >= 5 ? 2 : 1;
    this.needed = this.urgency !== 'later' && this.value !== 'low';
    this.neededScope = this.sliceable ? this.slice : this.size;
    this.right = rightHandling(this.needed, this.sliceable, this.neededScope, this.slack);
    // When a swap is needed, at least one flexible non-goal card is big enough to make room.
    const room = this.neededScope - this.slack;
    if (this.needed && room > 0 && !this.cards.some((c, i) => this.flexible[i] && c.remaining >= room)) {
      const candidates = [0, 1, 2, 3, 4].filter((i) => !(this.cards[i] as CommittedCard).goal);
      const pick = rng.pick(candidates);
      const card = this.cards[pick] as CommittedCard;
      const points = room <= 1 ? 1 : room <= 2 ? 2 : room <= 3 ? 3 : 5;
      this.capacity += points - card.remaining;
      card.points = Math.max(card.points, points);
      card.remaining = points;
      card.status = card.remaining === card.points ? 'todo' : 'in_progress';
      this.flexible[pick] = true;
    }

    const u = URGENCIES.indexOf(this.urgency);
    const claim = rng.next();
    this.claimedUrgency =
      u === 2 ? 'now' : u === 1 ? (claim < 0.5 ? 'now' : 'this_sprint') : claim < 0.2 ? 'now' : claim < 0.7 ? 'this_sprint' : 'later';
    const sizeIndex = SIZES.indexOf(this.size as (typeof SIZES)[number]);
    this.roughSize = rng.chance(hard ? 0.35 : 0.5) ? this.size : adjacent(SIZES, sizeIndex, rng.chance(0.5));

    const f = rng.fork('fates');
    const slip = f.next() < 0.3 ? 1 : 0;
    const more = f.next() < 0.4 ? 1 : 0;
    this.overrun = [slip, slip + (this.size >= 5 ? more : 0)];
    this.fates = {
      value: { accuracy: [f.next(), f.next()], direction: [f.next(), f.next()] },
      urgency: { accuracy: [f.next(), f.next()], direction: [f.next(), f.next()] },
      size: { accuracy: [f.next(), f.next()], direction: [f.next(), f.next()] },
    };
  }

  private committedRemaining(): number {
    return this.cards.reduce((a, c) => a + c.remaining, 0);
  }

  private evidenceText(aspect: Aspect, value: string): string {
    if (aspect === 'value') return `Analysis of "${this.ctx.newCard}": its value looks ${value}, ${VALUE_TEXT[value as Value]}.`;
    if (aspect === 'urgency')
      return `Analysis of "${this.ctx.newCard}": urgency ${value.replace('_', ' ')}, ${URGENCY_TEXT[value as Urgency]}.`;
    return `Estimation of "${this.ctx.newCard}": the team sizes it at ${value} points.`;
  }

  private minimumText(): string {
    return this.sliceable
      ? `The product owner: the minimum that matters now is ${this.ctx.slice} (about ${this.slice} point${this.slice > 1 ? 's' : ''}); ${this.ctx.rest} can wait as a later story.`
      : `The product owner: there is no useful smaller piece of "${this.ctx.newCard}"; it ships whole or not at all.`;
  }

  private flexibilityText(): string {
    const cards = this.flexible.map((f, i) => (f ? i : -1)).filter((i) => i >= 0);
    return `The product owner: to make room I could give up card${cards.length > 1 ? 's' : ''} ${cards.join(' and ')}; the rest are promised to stakeholders.`;
  }

  view(): Record<string, unknown> {
    return {
      sprint: {
        day: this.day,
        length: SPRINT_LENGTH,
        daysLeft: this.daysLeft,
        capacityPoints: this.capacity,
        committedRemaining: this.committedRemaining(),
        slackPoints: this.slack,
        cards: this.cards.map((c, index) => ({
          index,
          title: c.title,
          points: c.points,
          remaining: c.remaining,
          status: c.status,
          goal: c.goal,
          swapAgreed: this.swapsAgreed.includes(index),
        })),
      },
      newCard: { title: this.ctx.newCard, requester: this.ctx.requester, claimedUrgency: this.claimedUrgency, roughSize: this.roughSize },
      evidence: this.evidence.map((e) => ({ aspect: e.aspect, value: e.value, text: e.text })),
      po: {
        answers: this.exchanges.map((x) => ({
          kind: x.kind,
          topic: x.topic,
          card: x.card ?? null,
          agreed: x.agreed ?? null,
          text: x.text,
        })),
        known: {
          value: this.asked.has('value') ? this.value : null,
          urgency: this.asked.has('urgency') ? this.urgency : null,
          flexibleCards: this.asked.has('flexibility') ? this.flexible.map((f, i) => (f ? i : -1)).filter((i) => i >= 0) : null,
          minimum: this.asked.has('minimum') ? (this.sliceable ? this.slice : null) : null,
          splitPossible: this.asked.has('minimum') ? this.sliceable : null,
        },
        interactions: this.exchanges.length,
        patience: PO_PATIENCE,
      },
      agreed: { split: this.splitAgreed, swaps: this.swapsAgreed.slice() },
      hoursSpent: this.hours,
    };
  }

  tokens(): string[] {
    const out = [
      'task:scope_change',
      `days_left:${this.daysLeft}`,
      `slack:${this.slack}`,
      `claimed:${this.claimedUrgency}`,
      `rough_size:${this.roughSize}`,
    ];
    this.cards.forEach((c, i) => {
      out.push(`c${i}:r${Math.min(5, c.remaining)}`);
      if (c.goal) out.push(`c${i}:goal`);
    });
    for (const e of this.evidence) out.push(e.value === null ? `assessed:${e.aspect}:nothing_new` : `assessed:${e.aspect}:${e.value}`);
    for (const x of this.exchanges) {
      if (x.kind === 'ask') {
        if (x.topic === 'value') out.push(`po:value:${this.value}`);
        else if (x.topic === 'urgency') out.push(`po:urgency:${this.urgency}`);
        else if (x.topic === 'minimum') out.push(this.sliceable ? `po:minimum:${this.slice}` : 'po:minimum:whole');
        else {
          out.push('po:flexibility');
          this.flexible.forEach((f, i) => {
            if (f) out.push(`po:flexible:c${i}`);
          });
        }
      } else out.push(`proposed:${x.topic}${x.card !== undefined ? `:c${x.card}` : ''}`, x.agreed ? 'po:agreed' : 'po:refused');
    }
    return out;
  }

  describe(): string {
    const lines = [
      `You are a senior developer on day ${this.day} of a ${SPRINT_LENGTH}-day sprint. The team has ${this.capacity} points of capacity left for ${this.committedRemaining()} points of committed work (slack ${this.slack}).`,
      `An unplanned card arrives from ${this.ctx.requester}: "${this.ctx.newCard}". They say it is ${this.claimedUrgency.replace('_', ' ')}; a first guess puts it at ${this.roughSize} points.`,
      'Find out what it really is, negotiate a trade-off with the product owner if needed, then accept it into the sprint or defer it.',
      '',
      'Committed cards:',
      ...this.cards.map(
        (c, i) =>
          `- [${i}] ${c.title}: ${c.remaining} of ${c.points} points left, ${c.status.replace('_', ' ')}${c.goal ? ' (sprint goal)' : ''}${this.swapsAgreed.includes(i) ? ' (agreed to swap out)' : ''}`,
      ),
    ];
    if (this.evidence.length > 0) {
      lines.push('', 'Your analysis:');
      for (const e of this.evidence) lines.push(`- ${e.text}`);
    }
    if (this.exchanges.length > 0) {
      lines.push('', 'With the product owner:');
      for (const x of this.exchanges) lines.push(`- ${x.text}`);
    }
    if (this.splitAgreed) lines.push('Agreed: only the first slice comes into this sprint.');
    lines.push(`Time spent so far: ${this.hours} hours.`);
    return lines.join('\n');
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
            ? `"${this.ctx.newCard}" comes into the sprint${this.splitAgreed ? ' (first slice only)' : ''}${this.swapsAgreed.length > 0 ? `; card ${this.swapsAgreed.join(' and ')} goes back to the backlog` : ''}.`
            : `"${this.ctx.newCard}" goes to the backlog for a later sprint.`;
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
    const fate = this.fates[aspect];
    const correct = (fate.accuracy[attempt] as number) < ASSESS_ACCURACY[aspect];
    const up = (fate.direction[attempt] as number) < 0.5;
    let value: string;
    if (aspect === 'value') value = correct ? this.value : adjacent(VALUES, VALUES.indexOf(this.value), up);
    else if (aspect === 'urgency') value = correct ? this.urgency : adjacent(URGENCIES, URGENCIES.indexOf(this.urgency), up);
    else value = String(correct ? this.size : adjacent(SIZES, SIZES.indexOf(this.size as (typeof SIZES)[number]), up));
    if (correct) this.revealed[aspect] = true;
    const text = this.evidenceText(aspect, value);
    this.evidence.push({ step, aspect, value, correct, text });
    return text;
  }

  private askPo(topic: PoTopic, step: number): string {
    this.hours += HOURS_PO;
    const redundant = this.asked.has(topic);
    this.asked.add(topic);
    let text: string;
    if (topic === 'value') {
      text = `The product owner: ${VALUE_TEXT[this.value]} (value ${this.value}).`;
      this.revealed.value = true;
    } else if (topic === 'urgency') {
      text = `The product owner: ${URGENCY_TEXT[this.urgency]} (urgency ${this.urgency.replace('_', ' ')}).`;
      this.revealed.urgency = true;
    } else if (topic === 'minimum') {
      text = this.minimumText();
      this.revealed.minimum = true;
    } else {
      text = this.flexibilityText();
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
    if (!this.needed) {
      agreed = false;
      text = `The product owner: no need to squeeze anything out for "${this.ctx.newCard}"; it can wait for a later sprint.`;
    } else if (kind === 'split') {
      agreed = this.sliceable;
      text = agreed
        ? `The product owner agrees: only ${this.ctx.slice} this sprint; ${this.ctx.rest} becomes a later story.`
        : 'The product owner refuses: a smaller piece would not help; it is all or nothing.';
      if (agreed) this.splitAgreed = true;
    } else {
      const c = this.cards[card as number] as CommittedCard;
      agreed = this.flexible[card as number] === true;
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

  finish(): EpisodeResult {
    const links: DecisionLink[] = [];
    const decision = this.decision;
    // No decision by the turn limit: the requester goes around the team and the card lands in full.
    const accepted = decision !== 'defer';
    const inScope = accepted ? (this.splitAgreed ? this.slice : this.size) : 0;
    const swapped = accepted ? this.swapsAgreed : [];
    const swappedPoints = swapped.reduce((a, i) => a + (this.cards[i] as CommittedCard).remaining, 0);
    const committedAfter = this.committedRemaining() - swappedPoints;
    // Estimates are uncertain: the new work may overrun (a slice less than the whole card).
    const overrun = accepted && inScope > 0 ? this.overrun[this.splitAgreed ? 0 : 1] : 0;
    const load = committedAfter + inScope + overrun;
    const actualCapacity = this.capacity + this.surprise;
    const over = Math.max(0, load - actualCapacity);

    // Slip: non-goal cards (last listed first), then goal cards; the new work, under pressure, lands.
    let toSlip = over;
    const slipped: number[] = [];
    const order = [4, 3, 2, 1, 0].filter((i) => !swapped.includes(i));
    for (const goalPass of [false, true])
      for (const i of order) {
        const c = this.cards[i] as CommittedCard;
        if (c.goal !== goalPass || toSlip <= 0) continue;
        slipped.push(i);
        toSlip -= c.remaining;
      }
    const slippedPoints = slipped.reduce((a, i) => a + (this.cards[i] as CommittedCard).remaining, 0);
    const goalSlipped = slipped.some((i) => (this.cards[i] as CommittedCard).goal);
    const neededDelivered = !this.needed || (accepted && inScope >= this.neededScope);
    const goalMet = !goalSlipped && neededDelivered;
    const delivered = committedAfter > 0 ? Math.max(0, committedAfter - Math.min(slippedPoints, over)) / committedAfter : 1;

    // Soundness of the trade-off against the right handling.
    const right = this.right;
    const rightAccept = right !== 'defer';
    const swapNeeded = right.endsWith('_swap');
    const room = this.neededScope - this.slack;
    let soundness: number;
    if (decision === undefined) soundness = 0;
    else if (!accepted) soundness = rightAccept ? 0 : 1;
    else if (!rightAccept) soundness = 0;
    else {
      const scopeRight = this.sliceable ? this.splitAgreed : true;
      const swapRight = swapNeeded ? swapped.length === 1 && swappedPoints >= room : swapped.length === 0;
      soundness = 0.5 + (scopeRight ? 0.25 : 0) + (swapRight ? 0.25 : 0);
    }
    const refused = this.exchanges.filter((x) => x.kind === 'negotiate' && x.agreed === false).length;
    const soundnessScore = clamp01(soundness - 0.15 * refused);

    // Lost hours.
    const analysis = this.hours;
    const unneededWork = accepted && !this.needed ? inScope * HOURS_PER_POINT : 0;
    const goldPlating = accepted && this.needed && inScope > this.neededScope ? (inScope - this.neededScope) * HOURS_PER_POINT : 0;
    let churn = 0;
    const needless = new Set<number>();
    if (accepted) {
      // Swaps beyond the one that was needed (or any when none was) are needless churn.
      const keep = swapNeeded ? swapped.find((i) => (this.cards[i] as CommittedCard).remaining >= room) : undefined;
      for (const i of swapped) if (i !== keep) needless.add(i);
      for (const i of swapped) if ((this.cards[i] as CommittedCard).status === 'in_progress') churn += 2;
      churn += 1.5 * needless.size;
    }
    const chaos = over > 0 ? 3 + over : 0;
    const noDecision = decision === undefined ? 4 : 0;
    const lost = analysis + unneededWork + goldPlating + churn + chaos + noDecision;
    const budget = 12 + 2 * this.daysLeft;

    // Product owner satisfaction.
    let satisfaction = 1;
    const patienceExceeded = Math.max(0, this.exchanges.length - PO_PATIENCE);
    const missed = this.needed && !neededDelivered;
    if (missed) satisfaction -= (this.urgency === 'now' ? 0.6 : 0.4) * (this.value === 'high' ? 1 : 0.75);
    if (accepted && !this.needed) satisfaction -= 0.15;
    if (goalSlipped) satisfaction -= 0.3;
    const silentOverload = accepted && this.exchanges.length === 0 && over > 0;
    if (silentOverload) satisfaction -= 0.15;
    if (decision === undefined) satisfaction -= 0.2;
    if (decision === 'defer' && this.swapsAgreed.length > 0) satisfaction -= 0.1;
    satisfaction -= 0.05 * refused + 0.1 * patienceExceeded;

    const components: OutcomeComponents = {
      story_accepted: goalMet ? 1 : 0,
      tests_passing: clamp01(delivered),
      low_iteration_count: soundnessScore,
      velocity_maintained: clamp01(1 - lost / budget),
      low_rework: clamp01(1 - 0.5 * slipped.length - 0.25 * needless.size),
      coverage_threshold: clamp01(satisfaction),
    };

    // Links.
    const handling: Handling | 'none' =
      decision === undefined
        ? 'none'
        : !accepted
          ? 'defer'
          : (`accept_${this.splitAgreed ? 'split' : 'full'}${swapped.length > 0 ? '_swap' : ''}` as Handling);
    if (decision === undefined)
      links.push({ step: -1, effect: 'no_decision', value: -0.3, note: 'no decision by the turn limit: the card landed in full' });
    else {
      const good = soundness >= 1;
      links.push({
        step: this.decisionStep,
        effect: good ? 'handling_right' : accepted === rightAccept ? 'handling_partial' : 'handling_wrong',
        target: handling,
        value: good ? 0.3 : accepted === rightAccept ? 0 : -0.3,
        note: `${handling} when ${right} was right`,
      });
      if (accepted && over > 0)
        links.push({
          step: this.decisionStep,
          effect: 'overcommitted',
          value: -0.2,
          note: `${over} point(s) over capacity; ${slipped.length} card(s) slipped`,
        });
      if (missed)
        links.push({
          step: this.decisionStep,
          effect: 'needed_work_deferred',
          value: -0.2,
          note: `urgency ${this.urgency}, value ${this.value}`,
        });
      if (goldPlating > 0)
        links.push({
          step: this.decisionStep,
          effect: 'gold_plating',
          value: -0.1,
          note: `took the whole card when ${this.neededScope} point(s) were needed`,
        });
      if (unneededWork > 0)
        links.push({ step: this.decisionStep, effect: 'unneeded_work', value: -0.1, note: `accepted ${inScope} point(s) that could wait` });
    }
    const seen = new Set<string>();
    for (const x of this.exchanges) {
      if (x.kind === 'ask') {
        const useful =
          x.topic === 'value' || x.topic === 'urgency'
            ? true
            : x.topic === 'minimum'
              ? this.needed && this.size >= 3
              : this.needed && room > 0;
        const effect = x.redundant ? 'redundant_question' : useful ? 'informative_answer' : 'unneeded_question';
        links.push({ step: x.step, effect, target: x.topic, value: x.redundant ? -0.02 : useful ? 0.03 : -0.01, note: x.text });
      } else {
        const key = `${x.topic}:${x.card ?? ''}`;
        seen.add(key);
        let effect: string;
        if (!x.agreed) effect = 'proposal_refused';
        else if (x.topic === 'split') effect = 'tradeoff_agreed';
        else effect = needless.has(x.card as number) || !accepted ? 'needless_swap' : 'tradeoff_agreed';
        links.push({ step: x.step, effect, target: key, value: effect === 'tradeoff_agreed' ? 0.1 : -0.05, note: x.text });
      }
    }
    this.exchanges.forEach((x, i) => {
      if (i >= PO_PATIENCE)
        links.push({ step: x.step, effect: 'po_patience_exceeded', value: -0.03, note: 'past the product owner patience' });
    });
    for (const e of this.evidence)
      links.push({
        step: e.step,
        effect: e.value === null ? 'nothing_new' : e.correct ? 'evidence_found' : 'evidence_misleading',
        target: e.aspect,
        value: e.value === null ? -0.02 : e.correct ? 0.02 : 0,
        note: e.text,
      });

    let brier = 0;
    let stated = 0;
    if (decision !== undefined && this.decisionConfidence !== undefined) {
      stated = 1;
      brier = (this.decisionConfidence - (soundness >= 1 ? 1 : 0)) ** 2;
    }
    const askedTopics = [...this.asked];
    return {
      facts: {
        value: this.value,
        urgency: this.urgency,
        size: this.size,
        sliceable: this.sliceable,
        slice: this.slice,
        needed: this.needed,
        neededScope: this.neededScope,
        slack: this.slack,
        room,
        rightHandling: right,
        handling,
        handlingRight: soundness >= 1,
        decision: decision ?? 'none',
        decisionConfidence: this.decisionConfidence ?? -1,
        noDecision: decision === undefined,
        accepted: decision === 'accept',
        deferred: decision === 'defer',
        splitAgreed: this.splitAgreed,
        swapsAgreed: this.swapsAgreed.length,
        swappedPoints,
        needlessSwaps: needless.size,
        proposalsRefused: refused,
        inScopePoints: inScope,
        loadPoints: load,
        capacityActual: actualCapacity,
        overcommitPoints: over,
        overrunPoints: overrun,
        slippedCards: slipped.length,
        slippedPoints,
        goalSlipped,
        neededDelivered,
        neededDeferred: missed,
        goldPlatingHours: goldPlating,
        unneededWorkHours: unneededWork,
        sprintGoalMet: goalMet,
        storyAccepted: goalMet,
        deliveredShare: round3(delivered),
        tradeoffSoundness: round3(soundnessScore),
        poSatisfaction: round3(clamp01(satisfaction)),
        poInteractions: this.exchanges.length,
        poPatienceExceeded: patienceExceeded,
        askedTopics: askedTopics.join(','),
        askedMinimum: this.asked.has('minimum'),
        askedFlexibility: this.asked.has('flexibility'),
        askedUrgency: this.asked.has('urgency'),
        askedValue: this.asked.has('value'),
        assessedValue: this.looks.value > 0,
        assessedUrgency: this.looks.urgency > 0,
        assessedSize: this.looks.size > 0,
        analysisHours: round3(analysis),
        lostHours: round3(lost),
        budgetHours: budget,
        velocityEffect: round3(components.velocity_maintained - 1),
        confidenceStatements: stated,
        calibrationBrier: stated > 0 ? round3(brier) : -1,
      },
      components,
      links,
    };
  }

  hidden(): Record<string, unknown> {
    return {
      value: this.value,
      urgency: this.urgency,
      size: this.size,
      sliceable: this.sliceable,
      slice: this.slice,
      needed: this.needed,
      neededScope: this.neededScope,
      rightHandling: this.right,
      flexibleCards: this.flexible.map((f, i) => (f ? i : -1)).filter((i) => i >= 0),
      capacitySurprise: this.surprise,
      overrun: this.overrun,
    };
  }

  secrets(): Secret[] {
    return [
      { id: 'value', text: VALUE_TEXT[this.value], revealed: this.revealed.value },
      { id: 'urgency', text: URGENCY_TEXT[this.urgency], revealed: this.revealed.urgency },
      { id: 'size', text: this.evidenceText('size', String(this.size)), revealed: this.revealed.size },
      { id: 'minimum', text: this.minimumText(), revealed: this.revealed.minimum },
      { id: 'flexibility', text: this.flexibilityText(), revealed: this.revealed.flexibility },
      { id: 'right_handling', text: `The right handling of this card is ${this.right}`, revealed: false },
    ];
  }
}

export const scopeChange: EpisodeWorld = {
  name: 'scope_change',
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
  vocabulary: [
    'task:scope_change',
    ...Array.from({ length: SPRINT_LENGTH }, (_, i) => `days_left:${i}`),
    'slack:0',
    'slack:1',
    'slack:2',
    ...URGENCIES.map((u) => `claimed:${u}`),
    ...SIZES.map((s) => `rough_size:${s}`),
    ...Array.from({ length: CARDS }, (_, i) => [...[0, 1, 2, 3, 4, 5].map((r) => `c${i}:r${r}`), `c${i}:goal`]).flat(),
    ...VALUES.map((v) => `assessed:value:${v}`),
    ...URGENCIES.map((u) => `assessed:urgency:${u}`),
    ...SIZES.map((s) => `assessed:size:${s}`),
    ...ASPECTS.map((a) => `assessed:${a}:nothing_new`),
    ...VALUES.map((v) => `po:value:${v}`),
    ...URGENCIES.map((u) => `po:urgency:${u}`),
    'po:minimum:1',
    'po:minimum:2',
    'po:minimum:whole',
    'po:flexibility',
    ...Array.from({ length: CARDS }, (_, i) => `po:flexible:c${i}`),
    'proposed:split',
    ...Array.from({ length: CARDS }, (_, i) => `proposed:swap:c${i}`),
    'po:agreed',
    'po:refused',
  ],
  create: (rng, options) => new ScopeChangeEpisode(rng, options),
  fromText(text): Action | undefined {
    const lower = text.toLowerCase();
    if (lower.includes('defer') || lower.includes('backlog')) return { type: 'defer_scope', args: {}, text };
    if (lower.includes('accept')) return { type: 'accept_scope', args: {}, text };
    if (lower.includes('split')) return { type: 'negotiate_tradeoff', args: { kind: 'split' }, text };
    return undefined;
  },
};
