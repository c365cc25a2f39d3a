/**
 * The outcome of a knowledge_handoff episode, computed at departure. Per unique area the team holds
 * h in [0, 1]: the best successful transfer's quality plus the verification Q&A, floored at 0.2 for
 * planned areas (the follow-up call after the candidate leaves). Velocity drop after departure =
 * 0.25 x sum over unique areas of criticality x (1 - h) (x 0.85 when the inventory was published)
 * + 0.04 per relitigated decision + 0.01 per pairing (the member's hours). A decision area
 * (criticality >= 0.25) is relitigated with probability 0.8 when nothing landed, else
 * 0.6 x (1 - 0.5 why - 0.25 alternatives - 0.15 assumptions conveyed).
 *
 * Named parts, per area in list order and then for the whole handoff:
 * - `identification`: looking into an area, linked as finding unique knowledge or wasted on shared;
 * - `transferReview`: every transfer — matched or not, findable or not, on trivia or shared
 *   knowledge, landed or failed silently — and the best artifact;
 * - `verificationReview`: every check — redundant, confirming, catching a gap handed over again, or
 *   ignored;
 * - `retention`: what the team holds of a unique area, the loss it leaves, the documentation it
 *   has, and whether its decision is relitigated;
 * - `prioritization`: pairs of unique areas whose first transfer came in criticality order;
 * - `planReview`: each entry of the published plan against the true criticality order.
 *
 * Components: story_accepted (drop < 0.20), tests_passing (criticality-weighted share held),
 * low_iteration_count (prioritization), velocity_maintained (1 - drop), low_rework (1 - 0.5 per
 * relitigated decision), coverage_threshold (documentation quality: unique areas of criticality
 * >= 0.2 with a matched, findable artifact — for a decision, a record with the why — (1) or any
 * artifact (0.5), minus 0.1 per written artifact on trivia; 1 at >= 0.8).
 * `knowledgeHandoffOutcome` combines the parts into the facts, the components and the links.
 */
import type { DecisionLink, EpisodeResult } from '../../core/episode.js';
import { clamp01, round3 } from '../../core/numbers.js';
import type { OutcomeComponents } from '../../spec/reward.js';
import type { AreaView, CriticalityBucket, KnowledgeHandoffFacts, Location, Method, Nature, Verification } from './types.js';

/** Knowledge areas per episode (the `area` argument indexes them). */
export const AREAS = 6;
/** What a planned area not held at departure is held at (the follow-up call after you leave). */
export const PLAN_FLOOR = 0.2;
/** Velocity drop per unit of criticality not held. */
export const DROP_SCALE = 0.25;
/** Loss factor when the inventory was published (the team knows where its gaps are). */
export const KNOWN_GAP_FACTOR = 0.85;
export const RELITIGATION_DROP = 0.04;
export const PAIRING_DROP = 0.01;
/** Held at or above this counts as held (verification says `held`). */
export const HELD = 0.75;
/** What the first verification after a transfer adds to a partial hold. */
export const VERIFY_BOOST = 0.15;
/** Criticality below which an area is trivia; decision areas at or above RELITIGATE_MIN can be relitigated. */
export const TRIVIA = 0.2;
export const RELITIGATE_MIN = 0.25;
/** A velocity drop below this is a handoff that held (story_accepted). */
export const ACCEPT_DROP = 0.2;

/** The method that suits each nature. */
export const MATCHED_METHOD: Record<Nature, Method> = {
  decision: 'document_decision',
  procedure: 'write_documentation',
  tacit: 'schedule_pairing',
};

/** One transfer of an area (world state). */
export interface Transfer {
  step: number;
  method: Method;
  member?: number;
  location?: Location;
  why: boolean;
  alternatives: boolean;
  assumptions: boolean;
  success: boolean;
  quality: number;
  /** Hours used when the transfer finished. */
  at: number;
  planned: boolean;
}

/** One verification of an area (world state). */
export interface VerificationRecord {
  step: number;
  result: Verification;
  /** Transfers on the area when it was verified. */
  transfers: number;
  boosted: boolean;
}

/** One knowledge area: its hidden truth, its pre-drawn fates and what the candidate did with it. */
export interface Area {
  name: string;
  unique: boolean;
  criticality: number;
  nature: Nature;
  /** The criticality bucket identify_knowledge reports (read through noise). */
  bucket: CriticalityBucket;
  /** Pre-drawn success draws per method and attempt. */
  fates: Record<Method, number[]>;
  /** Pre-drawn relitigation draw (decision areas). */
  relitigate: number;
  // --- state ---
  identified: number;
  identifiedStep: number;
  transfers: Transfer[];
  verifications: VerificationRecord[];
  boost: number;
  planRank: number;
  /** Cached public view (undefined after a change). */
  view: AreaView | undefined;
}

/** One entry of the published handoff plan. */
export interface Prioritization {
  step: number;
  area: number;
  confidence?: number;
}

/** Everything the outcome depends on: the areas with their hidden truth, and what the candidate did. */
export interface Handoff {
  days: number;
  budget: number;
  hoursUsed: number;
  areas: readonly Area[];
  plan: readonly Prioritization[];
  /** Step of the first inventory; -1 when none was taken. */
  inventoryStep: number;
  pairings: number;
  incidentHappened: boolean;
  signedOff: boolean;
}

/** What the team holds of an area now (before the departure floor). */
export function holdOf(a: Area): number {
  if (!a.unique) return 1;
  let h = 0;
  for (const t of a.transfers) if (t.success && t.quality > h) h = t.quality;
  return h > 0 ? Math.min(1, h + a.boost) : 0;
}

/** Whether the last verification of an area found it held, with no transfer since. */
export function verifiedHeld(a: Area): boolean {
  const last = a.verifications[a.verifications.length - 1];
  return last !== undefined && last.result === 'held' && last.transfers === a.transfers.length;
}

/** Counts over the whole handoff, accumulated area by area. */
interface Tally {
  loss: number;
  critTotal: number;
  critHeld: number;
  relitigations: number;
  uniqueCount: number;
  uniqueHeld: number;
  verifiedHeld: number;
  silentFailures: number;
  /** Unique areas of criticality >= TRIVIA, and the sum of their artifact scores. */
  docNeeded: number;
  docScore: number;
  trivia: number;
  transfers: number;
  transfersShared: number;
  matched: number;
  mismatched: number;
  decisionAreas: number;
  decisionRecords: number;
  recordsWithWhy: number;
  recordsComplete: number;
  recordsFindable: number;
  decisionTraceable: number;
  gapsCaught: number;
  verifications: number;
  identifiedUnique: number;
  identifiedShared: number;
}

/** Looking into one area: linked as finding unique knowledge, or as wasted on what the inventory showed shared. */
export function identification(a: Area, i: number, inventoryStep: number, tally: Tally, links: DecisionLink[]): void {
  if (a.identified === 0) return;
  if (a.unique) tally.identifiedUnique++;
  else tally.identifiedShared++;
  if (!a.unique && inventoryStep >= 0 && inventoryStep < a.identifiedStep)
    links.push({
      step: a.identifiedStep,
      effect: 'identified_shared',
      target: `area_${i}`,
      value: -0.01,
      note: `looked into ${a.name} after the inventory showed colleagues hold it`,
    });
  else if (a.unique)
    links.push({
      step: a.identifiedStep,
      effect: 'identified_unique',
      target: `area_${i}`,
      value: 0.01,
      note: `found that ${a.name} is ${a.nature} knowledge only you hold`,
    });
}

/** What the transfers of one area left behind. */
interface TransferSummary {
  /** The successful transfer of the highest quality. */
  best: Transfer | undefined;
  /** Decision-record elements some successful transfer conveyed. */
  why: boolean;
  alternatives: boolean;
  assumptions: boolean;
  /** Documentation score: 1 for a matched, findable artifact (a decision record with the why), 0.5 for any other. */
  artifact: number;
}

/** Every transfer of one area, in order: counts, the artifact score and the links of what went wrong. */
export function transferReview(a: Area, i: number, tally: Tally, links: DecisionLink[]): TransferSummary {
  const isTrivia = !a.unique || a.criticality < TRIVIA;
  const out: TransferSummary = { best: undefined, why: false, alternatives: false, assumptions: false, artifact: 0 };
  for (const t of a.transfers) {
    tally.transfers++;
    const isDoc = t.method !== 'schedule_pairing';
    if (!a.unique) tally.transfersShared++;
    if (t.success && (!out.best || t.quality > out.best.quality)) out.best = t;
    if (t.success) {
      out.why ||= t.why;
      out.alternatives ||= t.alternatives;
      out.assumptions ||= t.assumptions;
    }
    const isMatch = t.method === MATCHED_METHOD[a.nature];
    if (a.unique) {
      if (isMatch) tally.matched++;
      else tally.mismatched++;
    }
    const findable = !isDoc || t.location !== 'chat';
    if (isMatch && findable && (a.nature !== 'decision' || t.why)) out.artifact = 1;
    else out.artifact = Math.max(out.artifact, 0.5);
    if (t.method === 'document_decision' && a.nature === 'decision' && a.unique) {
      tally.decisionRecords++;
      if (t.why) tally.recordsWithWhy++;
      if (t.why && t.alternatives && t.assumptions) tally.recordsComplete++;
      if (findable) tally.recordsFindable++;
    }
    if (isDoc && isTrivia) {
      tally.trivia++;
      links.push({
        step: t.step,
        effect: 'trivia_documented',
        target: `area_${i}`,
        value: -0.03,
        note: a.unique ? `documented ${a.name}, which barely matters` : `documented ${a.name}, which colleagues already hold`,
      });
    } else if (!a.unique)
      links.push({
        step: t.step,
        effect: 'shared_knowledge_transferred',
        target: `area_${i}`,
        value: -0.03,
        note: `paired on ${a.name}, which colleagues already hold`,
      });
    if (a.unique && !isMatch)
      links.push({
        step: t.step,
        effect: 'method_mismatch',
        target: `area_${i}`,
        value: -0.02,
        note: `${t.method} on ${a.nature} knowledge (${MATCHED_METHOD[a.nature]} suits it)`,
      });
    if (isDoc && t.location === 'chat' && a.unique)
      links.push({
        step: t.step,
        effect: 'unfindable_record',
        target: `area_${i}`,
        value: -0.03,
        note: `${a.name} written into a chat thread`,
      });
    if (a.unique && !t.success) {
      const caught = a.verifications.some((v) => v.step > t.step);
      if (!caught) tally.silentFailures++;
      links.push({
        step: t.step,
        effect: 'transfer_failed',
        target: `area_${i}`,
        value: caught ? 0 : -0.02,
        note: `${t.method} on ${a.name} did not land${caught ? ' (a verification caught it)' : ' and nobody checked'}`,
      });
    }
  }
  return out;
}

/**
 * Every verification of one area, in order: redundant (nothing new since the last check, or a shared
 * area), confirming a hold, catching a gap that was handed over again, or finding one and leaving it.
 */
export function verificationReview(a: Area, i: number, tally: Tally, links: DecisionLink[]): void {
  for (let v = 0; v < a.verifications.length; v++) {
    const rec = a.verifications[v] as VerificationRecord;
    tally.verifications++;
    const prev = a.verifications[v - 1];
    const redundant = (prev !== undefined && prev.transfers === rec.transfers) || !a.unique;
    if (redundant) {
      links.push({
        step: rec.step,
        effect: 'verify_redundant',
        target: `area_${i}`,
        value: -0.01,
        note: a.unique ? `checked ${a.name} again with nothing new` : `checked ${a.name}, which colleagues already held`,
      });
      continue;
    }
    if (rec.result === 'held') {
      links.push({
        step: rec.step,
        effect: 'transfer_confirmed',
        target: `area_${i}`,
        value: 0.01 + (rec.boosted ? DROP_SCALE * a.criticality * VERIFY_BOOST : 0),
        note: `confirmed someone holds ${a.name}`,
      });
      continue;
    }
    const followUp = a.transfers.some((t) => t.step > rec.step);
    if (followUp) {
      tally.gapsCaught++;
      links.push({
        step: rec.step,
        effect: 'gap_caught',
        target: `area_${i}`,
        value: 0.03,
        note: `found ${a.name} ${rec.result.replace('_', ' ')} and handed it over again`,
      });
    } else
      links.push({
        step: rec.step,
        effect: 'verify_ignored',
        target: `area_${i}`,
        value: -0.02,
        note: `found ${a.name} ${rec.result.replace('_', ' ')} and left it`,
      });
  }
}

/**
 * What the team keeps of one unique area at departure: its hold (floored for planned areas), the
 * loss it leaves, its documentation score and, for a decision that matters, whether the team
 * reopens it. Links the best transfer (held at >= 0.5) or the loss, and the decision's fate.
 */
export function retention(a: Area, i: number, transferred: TransferSummary, known: boolean, tally: Tally, links: DecisionLink[]): void {
  const { best, why, alternatives, assumptions, artifact } = transferred;
  tally.uniqueCount++;
  let h = holdOf(a);
  if (a.planRank > 0 && h < PLAN_FLOOR) h = PLAN_FLOOR;
  tally.critTotal += a.criticality;
  tally.critHeld += a.criticality * h;
  if (h >= HELD) tally.uniqueHeld++;
  if (verifiedHeld(a)) tally.verifiedHeld++;
  const areaLoss = a.criticality * (1 - h) * (known ? KNOWN_GAP_FACTOR : 1);
  tally.loss += areaLoss;
  if (best && h >= 0.5)
    links.push({
      step: best.step,
      effect: 'knowledge_held',
      target: `area_${i}`,
      value: round3(DROP_SCALE * a.criticality * h),
      note: `the team holds ${a.name} at ${Math.round(h * 100)}% after you leave`,
    });
  else if (a.criticality >= TRIVIA)
    links.push({
      step: -1,
      effect: 'knowledge_lost',
      target: `area_${i}`,
      value: -round3(DROP_SCALE * areaLoss),
      note: `${a.name} left with you (${a.nature}, criticality ${a.criticality.toFixed(2)})`,
    });
  if (a.criticality >= TRIVIA) {
    tally.docNeeded++;
    tally.docScore += artifact;
  }
  if (a.nature === 'decision' && a.criticality >= RELITIGATE_MIN) {
    tally.decisionAreas++;
    if (a.transfers.some((t) => t.method === 'document_decision' && t.location !== 'chat')) tally.decisionTraceable++;
    const p = best ? 0.6 * (1 - (why ? 0.5 : 0) - (alternatives ? 0.25 : 0) - (assumptions ? 0.15 : 0)) : 0.8;
    const relitigated = a.relitigate < p;
    if (relitigated) tally.relitigations++;
    const record = a.transfers.filter((t) => t.method === 'document_decision').pop();
    links.push({
      step: record ? record.step : -1,
      effect: relitigated ? 'decision_relitigated' : 'decision_preserved',
      target: `area_${i}`,
      value: relitigated ? -RELITIGATION_DROP : record ? 0.02 : 0,
      note: relitigated
        ? `the team reopened the ${a.name} decision${why ? '' : ' without knowing why it was made'}`
        : `the ${a.name} decision stood`,
    });
  }
}

/** Step of an area's first transfer; infinity when it had none. */
function firstStep(a: Area): number {
  return a.transfers.length > 0 ? (a.transfers[0] as Transfer).step : Number.POSITIVE_INFINITY;
}

/** Share of pairs of unique areas (criticality apart by >= 0.1) whose first transfers came in criticality order; 0 with none. */
export function prioritization(uniques: readonly { a: Area; i: number }[]): number {
  let concordant = 0;
  let discordant = 0;
  for (const x of uniques)
    for (const y of uniques) {
      if (x.a.criticality - y.a.criticality < 0.1) continue;
      const tx = firstStep(x.a);
      const ty = firstStep(y.a);
      if (tx === ty) continue;
      if (tx < ty) concordant++;
      else discordant++;
    }
  return concordant + discordant > 0 ? concordant / (concordant + discordant) : 0;
}

/**
 * The published plan against the true criticality order: an entry is right when it is a unique,
 * non-trivial area and no more critical unique area is left below it or off the plan. Links each entry.
 */
export function planReview(h: Handoff, uniques: readonly { a: Area; i: number }[], links: DecisionLink[]): number {
  let planRight = 0;
  for (let r = 0; r < h.plan.length; r++) {
    const p = h.plan[r] as Prioritization;
    const a = h.areas[p.area] as Area;
    const higherBelow = uniques.some(
      (x) => x.a.criticality > a.criticality + 0.1 && (x.a.planRank === 0 || x.a.planRank > r + 1) && x.a.criticality >= TRIVIA,
    );
    const right = a.unique && a.criticality >= TRIVIA && !higherBelow;
    if (right) planRight++;
    links.push({
      step: p.step,
      effect: right ? 'priority_right' : 'priority_wrong',
      target: `area_${p.area}`,
      value: right ? 0.02 : -0.02,
      note: right
        ? `${a.name} at rank ${r + 1} fits its criticality`
        : a.unique
          ? `${a.name} at rank ${r + 1}, ahead of more critical knowledge`
          : `${a.name} planned although colleagues hold it`,
    });
  }
  return planRight;
}

/** Index of the most critical unique area (the first one on ties). */
function topAreaOf(areas: readonly Area[]): number {
  let top = -1;
  for (let i = 0; i < AREAS; i++) {
    const a = areas[i] as Area;
    if (a.unique && (top < 0 || a.criticality > (areas[top] as Area).criticality)) top = i;
  }
  return top;
}

/** The episode's outcome: facts, the six components and the decision links. */
export function knowledgeHandoffOutcome(h: Handoff): EpisodeResult<KnowledgeHandoffFacts> {
  const links: DecisionLink[] = [];
  const known = h.inventoryStep >= 0;
  const tally: Tally = {
    loss: 0,
    critTotal: 0,
    critHeld: 0,
    relitigations: 0,
    uniqueCount: 0,
    uniqueHeld: 0,
    verifiedHeld: 0,
    silentFailures: 0,
    docNeeded: 0,
    docScore: 0,
    trivia: 0,
    transfers: 0,
    transfersShared: 0,
    matched: 0,
    mismatched: 0,
    decisionAreas: 0,
    decisionRecords: 0,
    recordsWithWhy: 0,
    recordsComplete: 0,
    recordsFindable: 0,
    decisionTraceable: 0,
    gapsCaught: 0,
    verifications: 0,
    identifiedUnique: 0,
    identifiedShared: 0,
  };
  const top = topAreaOf(h.areas);

  for (let i = 0; i < AREAS; i++) {
    const a = h.areas[i] as Area;
    identification(a, i, h.inventoryStep, tally, links);
    const transferred = transferReview(a, i, tally, links);
    verificationReview(a, i, tally, links);
    if (a.unique) retention(a, i, transferred, known, tally, links);
  }

  const uniques = h.areas.map((a, i) => ({ a, i })).filter((x) => x.a.unique);
  const prioritized = prioritization(uniques);
  const planRight = planReview(h, uniques, links);
  if (h.inventoryStep >= 0)
    links.push({
      step: h.inventoryStep,
      effect: 'inventory_published',
      value: round3(DROP_SCALE * (1 - KNOWN_GAP_FACTOR) * uniques.reduce((s, x) => s + x.a.criticality * (1 - holdOf(x.a)), 0)),
      note: 'the team knows which knowledge only you held',
    });

  const drop = DROP_SCALE * tally.loss + RELITIGATION_DROP * tally.relitigations + PAIRING_DROP * h.pairings;
  const accepted = drop < ACCEPT_DROP;
  const heldShare = tally.critTotal > 0 ? tally.critHeld / tally.critTotal : 1;
  const documentation = clamp01((tally.docNeeded > 0 ? tally.docScore / tally.docNeeded : 1) - 0.1 * tally.trivia);
  const topArea = h.areas[top] as Area;
  const firstTransfer = h.areas.reduce(
    (best, a, i) => (a.transfers.length > 0 && (best < 0 || firstStep(a) < firstStep(h.areas[best] as Area)) ? i : best),
    -1,
  );
  const components: OutcomeComponents = {
    story_accepted: accepted ? 1 : 0,
    tests_passing: clamp01(heldShare),
    low_iteration_count: clamp01(prioritized),
    velocity_maintained: clamp01(1 - drop),
    low_rework: clamp01(1 - 0.5 * tally.relitigations),
    coverage_threshold: documentation >= 0.8 ? 1 : documentation,
  };
  return {
    facts: {
      daysLeft: h.days,
      budgetHours: h.budget,
      hoursUsed: h.hoursUsed,
      incident: h.incidentHappened,
      signedOff: h.signedOff,
      areas: AREAS,
      uniqueAreas: tally.uniqueCount,
      inventoryTaken: known,
      inventoryBeforeFirstTransfer: known && (firstTransfer < 0 || h.inventoryStep < firstStep(h.areas[firstTransfer] as Area)),
      identifiedUnique: tally.identifiedUnique,
      identifiedShared: tally.identifiedShared,
      transfers: tally.transfers,
      transfersOnShared: tally.transfersShared,
      trivialArtifacts: tally.trivia,
      methodMatched: tally.matched,
      methodMismatched: tally.mismatched,
      pairings: h.pairings,
      verifications: tally.verifications,
      gapsCaught: tally.gapsCaught,
      silentFailures: tally.silentFailures,
      uniqueHeld: tally.uniqueHeld,
      verifiedHeld: tally.verifiedHeld,
      heldShare: round3(heldShare),
      topArea: top,
      topAreaHeld: holdOf(topArea) >= HELD,
      topAreaFirst: firstTransfer === top,
      planSize: h.plan.length,
      planRight,
      prioritization: round3(prioritized),
      decisionAreas: tally.decisionAreas,
      decisionTraceable: tally.decisionTraceable,
      decisionRecords: tally.decisionRecords,
      decisionRecordsWithWhy: tally.recordsWithWhy,
      decisionRecordsComplete: tally.recordsComplete,
      decisionRecordsFindable: tally.recordsFindable,
      relitigations: tally.relitigations,
      documentationQuality: round3(documentation),
      velocityDrop: round3(drop),
      handoffAccepted: accepted,
    },
    components,
    links,
  };
}
