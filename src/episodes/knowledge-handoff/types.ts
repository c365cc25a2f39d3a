/**
 * What a knowledge_handoff episode shows, reports and hides: the typed `View` the candidate acts on,
 * the outcome `Facts` of `finish()` and the `Hidden` truth written to the trace.
 */
import type { Domain } from '../../spec/episodes.js';

export const NATURES = ['decision', 'procedure', 'tacit'] as const;
/** What kind of knowledge an area is: a decision with a non-obvious why, a procedure, or tacit judgment. */
export type Nature = (typeof NATURES)[number];
export const METHODS = ['write_documentation', 'document_decision', 'schedule_pairing'] as const;
/** The three transfer actions. */
export type Method = (typeof METHODS)[number];
export const LOCATIONS = ['repo', 'wiki', 'chat'] as const;
/** Where a written artifact lives. */
export type Location = (typeof LOCATIONS)[number];
export const CRITICALITY_BUCKETS = ['low', 'medium', 'high'] as const;
export type CriticalityBucket = (typeof CRITICALITY_BUCKETS)[number];
export const SENIORITIES = ['junior', 'mid', 'senior'] as const;
export type MemberSeniority = (typeof SENIORITIES)[number];
export const VERIFICATIONS = ['held', 'partial', 'not_held'] as const;
/** What a verification found: the receiver holds the area (>= 0.75), part of it, or none of it. */
export type Verification = (typeof VERIFICATIONS)[number];

/** Hours each action takes (published in the view). */
export type HandoffCosts = {
  inventory: number;
  identify_area: number;
  document_decision_base: number;
  /** Added per element of a decision record: why, alternatives, assumptions. */
  document_decision_element: number;
  write_documentation: number;
  schedule_pairing: number;
  prioritize_handoff: number;
  verify_transfer: number;
};

/** A receiver of the handoff; `index` is the `member` argument. */
export type MemberView = { index: number; name: string; seniority: MemberSeniority };

/** One transfer of an area, as the candidate made it. */
export type TransferView = {
  method: Method;
  /** The colleague paired with (pairings only). */
  member: number | null;
  /** Where it was written (written artifacts only). */
  location: Location | null;
  why: boolean;
  alternatives: boolean;
  assumptions: boolean;
};

/** One knowledge area, with what the candidate has found out about it and done with it. */
export type AreaView = {
  index: number;
  name: string;
  /** Who holds it: unknown until the inventory or an identification. */
  holders: 'unknown' | 'only_you' | 'shared';
  /** Known once the area is identified. */
  nature: Nature | null;
  /** The criticality bucket, read through noise; known once the area is identified. */
  criticality: CriticalityBucket | null;
  /** Rank on the published handoff plan (1-based), when planned. */
  planRank: number | null;
  transfers: TransferView[];
  /** The result of the last verification. */
  verification: Verification | null;
  /** Whether the last verification came after the last transfer. */
  verifiedSinceLastTransfer: boolean;
};

export type KnowledgeHandoffView = {
  system: Domain;
  departure: { daysLeft: number; budgetHours: number; hoursUsed: number; hoursLeft: number };
  costs: HandoffCosts;
  members: MemberView[];
  inventoryTaken: boolean;
  areas: AreaView[];
  /** Area indexes on the published handoff plan, in rank order. */
  plan: number[];
  /** What happened outside the candidate's actions (the incident, the sign-off). */
  events: string[];
};

export type KnowledgeHandoffFacts = {
  daysLeft: number;
  budgetHours: number;
  hoursUsed: number;
  incident: boolean;
  signedOff: boolean;
  areas: number;
  uniqueAreas: number;
  inventoryTaken: boolean;
  inventoryBeforeFirstTransfer: boolean;
  identifiedUnique: number;
  identifiedShared: number;
  transfers: number;
  transfersOnShared: number;
  /** Written artifacts on a shared area or one of criticality < 0.2. */
  trivialArtifacts: number;
  /** Transfers of unique areas with the method that suits the nature, and with another one. */
  methodMatched: number;
  methodMismatched: number;
  pairings: number;
  verifications: number;
  /** Verifications that found a gap later handed over again. */
  gapsCaught: number;
  /** Failed transfers of unique areas no later verification caught. */
  silentFailures: number;
  uniqueHeld: number;
  verifiedHeld: number;
  /** Criticality-weighted share of the unique knowledge the team holds. */
  heldShare: number;
  /** Index of the most critical unique area. */
  topArea: number;
  topAreaHeld: boolean;
  topAreaFirst: boolean;
  planSize: number;
  planRight: number;
  /** Share of pairs of unique areas whose first transfers came in criticality order. */
  prioritization: number;
  /** Unique decision areas of criticality >= 0.25, and those with a findable decision record. */
  decisionAreas: number;
  decisionTraceable: number;
  decisionRecords: number;
  decisionRecordsWithWhy: number;
  decisionRecordsComplete: number;
  decisionRecordsFindable: number;
  relitigations: number;
  documentationQuality: number;
  velocityDrop: number;
  handoffAccepted: boolean;
};

/** One area's hidden truth and how it ended. */
export type HiddenArea = {
  index: number;
  name: string;
  unique: boolean;
  criticality: number;
  nature: Nature;
  bucket: CriticalityBucket;
  /** What the team holds of it at departure, before the plan's floor. */
  hold: number;
  verifiedHeld: boolean;
};

export type KnowledgeHandoffHidden = {
  /** Whether a production incident was drawn to take the last day. */
  incident: boolean;
  areas: HiddenArea[];
};
