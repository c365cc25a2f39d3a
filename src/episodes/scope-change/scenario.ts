/**
 * The hidden setup of a scope_change episode, drawn once from the seed: the sprint (day, committed
 * cards, goal cards, slack), the new card's true value, urgency and size, whether a first slice
 * would do, which committed cards the product owner would give up, the capacity surprise, the
 * estimate overrun and the per-aspect evidence fates; and from them the right handling.
 *
 * The card is needed this sprint when urgency is not `later` and value is not `low`. The needed
 * scope is the slice when sliceable, else the whole card. The right handling: defer what is not
 * needed; accept what is needed, trimmed to the needed scope (split), with a swap of a flexible
 * card when the needed scope exceeds the slack.
 */
import type { ScenarioOptions } from '../../core/episode.js';
import type { Rng } from '../../core/rng.js';
import type { Domain } from '../../spec/episodes.js';
import {
  type Aspect,
  type CommittedCard,
  type Handling,
  type RequestTruth,
  SIZES,
  URGENCIES,
  type Urgency,
  VALUES,
  type Value,
} from './types.js';

export const SPRINT_LENGTH = 10;
/** Committed cards in the sprint (the `card` argument indexes them). */
export const CARDS = 5;

/** The domain's wording: the committed cards, the new card, its first slice and what can wait, who asks. */
export interface Context {
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

/** The right handling of a card (see the module comment). */
export function rightHandling(needed: boolean, sliceable: boolean, neededScope: number, slack: number): Handling {
  if (!needed) return 'defer';
  const swap = neededScope > slack;
  if (sliceable) return swap ? 'accept_split_swap' : 'accept_split';
  return swap ? 'accept_full_swap' : 'accept_full';
}

/** The neighbour of `scale[index]`: up or down, or the only one at either end. */
export function adjacent<T>(scale: readonly T[], index: number, up: boolean): T {
  if (index === 0) return scale[1] as T;
  if (index === scale.length - 1) return scale[index - 1] as T;
  return scale[up ? index + 1 : index - 1] as T;
}

/** Pre-drawn evidence fates of one aspect, per look: whether it is right, and which way a wrong one errs. */
export interface AspectFates {
  accuracy: number[];
  direction: number[];
}

export interface Scenario extends RequestTruth {
  context: Context;
  /** Day of the sprint the card arrives on. */
  day: number;
  daysLeft: number;
  cards: CommittedCard[];
  /** Per committed card: whether the product owner would give it up. */
  flexible: boolean[];
  capacity: number;
  slack: number;
  /** Capacity points gained or lost by the end of the sprint. */
  surprise: number;
  /** Points the new work overruns its estimate by: [as a slice, as the whole card]. */
  overrun: [number, number];
  right: Handling;
  claimedUrgency: Urgency;
  roughSize: number;
  fates: Record<Aspect, AspectFates>;
}

/** Draws the scenario; the draws and their order are part of the seed's meaning. */
export function createScenario(rng: Rng, options: ScenarioOptions): Scenario {
  const domain = options.domain ?? rng.pick(DOMAIN_LIST);
  const context = CONTEXTS[domain];
  const day = rng.intBetween(3, 7);
  const daysLeft = SPRINT_LENGTH - day;
  const goals = rng.sample([0, 1, 2, 3, 4], 2);
  const cards: CommittedCard[] = context.cards.map((title, i) => {
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
  const flexible = cards.map((c) => !c.goal && rng.chance(0.5));
  const slack = rng.weightedIndex([1, 2, 1]);
  const committed = cards.reduce((a, c) => a + c.remaining, 0);
  let capacity = committed + slack;
  const surprise = rng.pick([-2, -1, 0, 0, 0, 1]);

  const value = VALUES[rng.weightedIndex([0.3, 0.4, 0.3])] as Value;
  const hard = options.difficulty === 'hard';
  const urgency = URGENCIES[rng.weightedIndex([0.35, 0.4, 0.25])] as Urgency;
  let size = SIZES[rng.weightedIndex(options.difficulty === 'easy' ? [0.3, 0.3, 0.3, 0.1, 0] : [0.1, 0.2, 0.3, 0.25, 0.15])] as number;
  const splittable = size >= 3 && rng.chance(0.65);
  const sliceable = splittable && rng.chance(0.8);
  // A whole 8-point card cannot fit by swapping one card: such cards come in sliceable or smaller.
  if (!sliceable && size === 8) size = 5;
  const slice = size >= 5 ? 2 : 1;
  const needed = urgency !== 'later' && value !== 'low';
  const neededScope = sliceable ? slice : size;
  const right = rightHandling(needed, sliceable, neededScope, slack);
  // When a swap is needed, at least one flexible non-goal card is big enough to make room.
  const room = neededScope - slack;
  if (needed && room > 0 && !cards.some((c, i) => flexible[i] && c.remaining >= room)) {
    const candidates = [0, 1, 2, 3, 4].filter((i) => !(cards[i] as CommittedCard).goal);
    const pick = rng.pick(candidates);
    const card = cards[pick] as CommittedCard;
    const points = room <= 1 ? 1 : room <= 2 ? 2 : room <= 3 ? 3 : 5;
    capacity += points - card.remaining;
    card.points = Math.max(card.points, points);
    card.remaining = points;
    card.status = card.remaining === card.points ? 'todo' : 'in_progress';
    flexible[pick] = true;
  }

  const u = URGENCIES.indexOf(urgency);
  const claim = rng.next();
  const claimedUrgency: Urgency =
    u === 2 ? 'now' : u === 1 ? (claim < 0.5 ? 'now' : 'this_sprint') : claim < 0.2 ? 'now' : claim < 0.7 ? 'this_sprint' : 'later';
  const sizeIndex = SIZES.indexOf(size as (typeof SIZES)[number]);
  const roughSize = rng.chance(hard ? 0.35 : 0.5) ? size : adjacent(SIZES, sizeIndex, rng.chance(0.5));

  const f = rng.fork('fates');
  const slip = f.next() < 0.3 ? 1 : 0;
  const more = f.next() < 0.4 ? 1 : 0;
  const overrun: [number, number] = [slip, slip + (size >= 5 ? more : 0)];
  const fates: Record<Aspect, AspectFates> = {
    value: { accuracy: [f.next(), f.next()], direction: [f.next(), f.next()] },
    urgency: { accuracy: [f.next(), f.next()], direction: [f.next(), f.next()] },
    size: { accuracy: [f.next(), f.next()], direction: [f.next(), f.next()] },
  };
  return {
    context,
    day,
    daysLeft,
    cards,
    flexible,
    capacity,
    slack,
    surprise,
    overrun,
    value,
    urgency,
    size,
    sliceable,
    slice,
    needed,
    neededScope,
    right,
    claimedUrgency,
    roughSize,
    fates,
  };
}

/** Remaining points of the committed cards. */
export function committedRemaining(cards: readonly CommittedCard[]): number {
  return cards.reduce((a, c) => a + c.remaining, 0);
}

/** Indexes of the cards the product owner would give up. */
export function flexibleCards(scenario: Scenario): number[] {
  return scenario.flexible.map((f, i) => (f ? i : -1)).filter((i) => i >= 0);
}

/** The truth about the new request, in the order the facts and the hidden truth report it. */
export function requestTruth(x: RequestTruth): RequestTruth {
  const { value, urgency, size, sliceable, slice, needed, neededScope } = x;
  return { value, urgency, size, sliceable, slice, needed, neededScope };
}
