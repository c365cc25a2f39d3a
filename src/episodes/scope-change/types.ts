/**
 * What a scope_change episode shows, reports and hides: the typed `View` the candidate acts on, the
 * outcome `Facts` of `finish()` and the `Hidden` truth written to the trace.
 */

export const VALUES = ['low', 'medium', 'high'] as const;
export type Value = (typeof VALUES)[number];
export const URGENCIES = ['later', 'this_sprint', 'now'] as const;
export type Urgency = (typeof URGENCIES)[number];
/** Sizes a card may have, in story points. */
export const SIZES = [1, 2, 3, 5, 8] as const;
/** What `assess_new_scope` analyzes. */
export const ASPECTS = ['value', 'urgency', 'size'] as const;
export type Aspect = (typeof ASPECTS)[number];
/** What `ask_po` asks the product owner about. */
export const PO_TOPICS = ['value', 'urgency', 'flexibility', 'minimum'] as const;
export type PoTopic = (typeof PO_TOPICS)[number];
/** What `negotiate_tradeoff` proposes: trim the new card to its first slice, or swap a committed card out. */
export const TRADEOFFS = ['split', 'swap'] as const;
export type Tradeoff = (typeof TRADEOFFS)[number];
/** Ways to handle the new card: defer it, or accept it whole or split, with or without a swap. */
export const HANDLINGS = ['defer', 'accept_full', 'accept_split', 'accept_full_swap', 'accept_split_swap'] as const;
export type Handling = (typeof HANDLINGS)[number];

export type CardStatus = 'todo' | 'in_progress';
export type Decision = 'accept' | 'defer';

export type CommittedCard = {
  title: string;
  points: number;
  remaining: number;
  status: CardStatus;
  /** The card carries the sprint goal. */
  goal: boolean;
};

export type ScopeChangeView = {
  sprint: {
    day: number;
    length: number;
    daysLeft: number;
    capacityPoints: number;
    committedRemaining: number;
    /** Capacity minus committed remaining work. */
    slackPoints: number;
    cards: (CommittedCard & { index: number; swapAgreed: boolean })[];
  };
  newCard: {
    title: string;
    requester: string;
    /** The urgency the requester claims (requesters inflate it). */
    claimedUrgency: Urgency;
    /** A first size guess, right half the time. */
    roughSize: number;
  };
  /** The candidate's own analyses; `value` is null when a look found nothing new. */
  evidence: { aspect: Aspect; value: string | null; text: string }[];
  po: {
    /** Questions (`ask`, topic a `PoTopic`) and proposals (`negotiate`, topic a `Tradeoff`), in order. */
    answers: { kind: 'ask' | 'negotiate'; topic: PoTopic | Tradeoff; card: number | null; agreed: boolean | null; text: string }[];
    /** What the product owner has said; null until asked. */
    known: {
      value: Value | null;
      urgency: Urgency | null;
      flexibleCards: number[] | null;
      /** Points of the first slice; null when not asked or when there is no slice. */
      minimum: number | null;
      splitPossible: boolean | null;
    };
    interactions: number;
    patience: number;
  };
  agreed: { split: boolean; swaps: number[] };
  hoursSpent: number;
};

/** The truth about the new request, which the scenario draws and the facts and hidden truth report. */
export type RequestTruth = {
  value: Value;
  urgency: Urgency;
  size: number;
  /** A first slice (1-2 points) would deliver what is urgent and the product owner would take it. */
  sliceable: boolean;
  slice: number;
  /** Needed this sprint: urgency not `later` and value not `low`. */
  needed: boolean;
  /** The slice when sliceable, else the whole card. */
  neededScope: number;
};

export type ScopeChangeFacts = RequestTruth & {
  slack: number;
  /** Needed scope minus slack: points a swap must free (0 or less: none). */
  room: number;
  rightHandling: Handling;
  /** How the card was handled; `none` without a decision. */
  handling: Handling | 'none';
  handlingRight: boolean;
  decision: Decision | 'none';
  /** -1 when the decision stated no confidence. */
  decisionConfidence: number;
  noDecision: boolean;
  accepted: boolean;
  deferred: boolean;
  splitAgreed: boolean;
  swapsAgreed: number;
  swappedPoints: number;
  needlessSwaps: number;
  proposalsRefused: number;
  inScopePoints: number;
  loadPoints: number;
  capacityActual: number;
  overcommitPoints: number;
  overrunPoints: number;
  slippedCards: number;
  slippedPoints: number;
  goalSlipped: boolean;
  neededDelivered: boolean;
  neededDeferred: boolean;
  goldPlatingHours: number;
  unneededWorkHours: number;
  sprintGoalMet: boolean;
  storyAccepted: boolean;
  deliveredShare: number;
  tradeoffSoundness: number;
  poSatisfaction: number;
  poInteractions: number;
  poPatienceExceeded: number;
  /** Topics asked, comma-separated, in the order first asked. */
  askedTopics: string;
  askedMinimum: boolean;
  askedFlexibility: boolean;
  askedUrgency: boolean;
  askedValue: boolean;
  assessedValue: boolean;
  assessedUrgency: boolean;
  assessedSize: boolean;
  analysisHours: number;
  lostHours: number;
  budgetHours: number;
  velocityEffect: number;
  confidenceStatements: number;
  /** -1 without a stated confidence. */
  calibrationBrier: number;
};

export type ScopeChangeHidden = RequestTruth & {
  rightHandling: Handling;
  /** Committed non-goal cards the product owner would give up. */
  flexibleCards: number[];
  capacitySurprise: number;
  /** Points the new work overruns its estimate by: [as a slice, as the whole card]. */
  overrun: [number, number];
};
