/**
 * The outcome of a compensation episode, computed when the sprint is recommitted (or the turns run
 * out). Each kept card's effort is its hours, x1.5 with a 60% regression when its lost area was not
 * recovered, x1.2 with a 25% regression when its owner lacks a covered area's knowledge, x1.3 when
 * nobody owns it (picked up mid-sprint); a regression adds half the card as rework. Overcommitment
 * pressure (planned effort over the capacity left, minus one, capped at 1) adds 0.2 x pressure to
 * every kept card's regression chance and costs 0.2 x pressure of the capacity (multitasking on
 * too many cards). Members work their cards; overflow moves to members with slack at 1.25x; cards
 * are delivered in priority order within the capacity left after the hours spent. Without
 * `commit` the product owner still expects every original card (silent replanning).
 *
 * Named parts, in order (each adds its links):
 * - `assessmentReview`: the last assessment against the truth — matched -4 h (the team replans
 *   early), optimistic +8 h (late crunch), pessimistic +4 h (needless firefighting), none +6 h when
 *   severity is high or critical (else +2 h); a wrong blast radius +2 h;
 * - `specialistReview`: each specialist's wait, and the other team's hours when the team could
 *   have recovered the area itself;
 * - `recoveryReview`: recovery attempts (from a record, blind, failed) and searches;
 * - `cardEffort`, `regressionsAndLoad`, `delivery`: the sprint played out card by card;
 * - `commitment`: delivered against the commitment and against the sprint goal;
 * - `planChangeLinks`: each drop and redistribution that still stands, and the recommitment.
 *
 * Components: story_accepted (the product owner's review: half for honoring the commitment — 1
 * when every committed card is delivered, else half the delivered share — and half for the
 * sprint goal, the share of the highest-priority work the real capacity allows that was
 * delivered), tests_passing (1 - 0.25 per regression), low_iteration_count (1 - 0.2 per failed
 * recovery or regression), velocity_maintained (delivered hours, less half the other team's hours
 * lost to needless specialists, over what an ideal plan could deliver), low_rework (1 - 0.4 per
 * regression), coverage_threshold (lost areas recovered / lost areas; 1 at >= 0.8).
 */
import type { DecisionLink, EpisodeResult } from '../../core/episode.js';
import { clamp01, round3 } from '../../core/numbers.js';
import { type BlastRadius, SEVERITY_RANK, type Severity } from '../../spec/curriculum.js';
import type { OutcomeComponents } from '../../spec/reward.js';
import { BrierTally } from '../common.js';
import {
  AREAS,
  type Area,
  CARDS,
  type Card,
  MEMBERS,
  type Member,
  realCapacity,
  SPECIALIST_CROSS,
  SPECIALIST_LEAD,
  unrecoverable,
} from './scenario.js';
import type { AssessmentEffect, CompensationFacts, CompensationTruth, Holds, Recovery, RecoveryVia, Source } from './types.js';

/** Extra regression chance per card at full overcommitment pressure (planned effort 2x the capacity). */
const RUSH_REGRESSION = 0.2;
/** Share of the capacity lost to multitasking at full overcommitment pressure. */
const RUSH_CAPACITY_LOSS = 0.2;

export interface Assessment {
  step: number;
  severity: Severity;
  radius: BlastRadius;
  confidence?: number;
}

export interface Attempt {
  step: number;
  area: number;
  ok: boolean;
  via: RecoveryVia;
  text: string;
}

export interface Search {
  step: number;
  source: Source;
  repeat: boolean;
  found: { area: number; holds: Holds }[];
}

/** A drop, a keep or a redistribution of one card. */
export interface PlanChange {
  step: number;
  card: number;
  kind: 'drop' | 'keep' | 'redistribute';
  member?: number;
}

/** Everything the outcome depends on: the scenario and its truth, and what the candidate did. */
export interface Compensation {
  areas: readonly Area[];
  members: readonly Member[];
  cards: readonly Card[];
  /** Card indices in priority order. */
  priorityOrder: readonly number[];
  truth: CompensationTruth;
  /** Team hours spent on the candidate's actions. */
  hours: number;
  searches: readonly Search[];
  attempts: readonly Attempt[];
  specialists: readonly { step: number; area: number }[];
  assessments: readonly Assessment[];
  recovered: readonly (Recovery | undefined)[];
  dropped: readonly boolean[];
  owner: readonly number[];
  changes: readonly PlanChange[];
  committed: boolean;
  commitStep: number;
}

/**
 * The last assessment against the truth, linked; repeated assessments linked as superseded.
 * Returns the overhead (the hours spent plus what the assessment costs or saves) and its effect.
 */
export function assessmentReview(s: Compensation, links: DecisionLink[]): { overhead: number; effect: AssessmentEffect } {
  const t = s.truth;
  const last = s.assessments[s.assessments.length - 1];
  let overhead = s.hours;
  let effect: AssessmentEffect = 'none';
  if (last === undefined) overhead += SEVERITY_RANK[t.severity] >= 2 ? 6 : 2;
  else {
    const d = SEVERITY_RANK[last.severity] - SEVERITY_RANK[t.severity];
    effect = d === 0 ? 'matched' : d < 0 ? 'optimistic' : 'pessimistic';
    overhead += d === 0 ? -4 : d < 0 ? 8 : 4;
    if (last.radius !== t.radius) overhead += 2;
    links.push({
      step: last.step,
      effect: `assessment_${effect}`,
      target: last.severity,
      value: d === 0 ? 0.05 : d < 0 ? -0.1 : -0.05,
      note: `assessed ${last.severity}/${last.radius}; the truth was ${t.severity}/${t.radius}`,
    });
    if (last.radius !== t.radius)
      links.push({
        step: last.step,
        effect: 'blast_radius_wrong',
        target: last.radius,
        value: -0.02,
        note: `true blast radius ${t.radius}`,
      });
  }
  for (const a of s.assessments.slice(0, -1))
    links.push({ step: a.step, effect: 'repeated_assessment', value: -0.01, note: 'superseded by a later assessment' });
  return { overhead, effect };
}

/**
 * Each specialist: the cards wait for them (added to `overhead`), and the other team's hours are
 * needless when the team could have recovered the area itself. Linked as needed or unneeded.
 */
export function specialistReview(s: Compensation, overhead: number, links: DecisionLink[]): { overhead: number; needlessCross: number } {
  let needlessCross = 0;
  for (const sp of s.specialists) {
    overhead += SPECIALIST_LEAD;
    const needed = unrecoverable(s.areas[sp.area] as Area);
    if (!needed) needlessCross += SPECIALIST_CROSS;
    links.push({
      step: sp.step,
      effect: needed ? 'specialist_needed' : 'specialist_unneeded',
      target: `area_${sp.area}`,
      value: needed ? 0.1 : -0.1,
      note: needed ? 'no artifact held it and the code alone could not explain it' : 'the team could have recovered it itself',
    });
  }
  return { overhead, needlessCross };
}

/** Recovery attempts (from a record, blind when a full record existed, failed) and searches, each linked; returns the failures. */
export function recoveryReview(s: Compensation, links: DecisionLink[]): number {
  let failedRecoveries = 0;
  for (const at of s.attempts) {
    if (!at.ok) failedRecoveries++;
    const blind = at.via !== 'full' && (s.areas[at.area] as Area).hasFull;
    links.push({
      step: at.step,
      effect: at.ok
        ? at.via === 'full'
          ? 'recovered_from_record'
          : blind
            ? 'blind_rediscovery'
            : 'knowledge_recovered'
        : 'recovery_failed',
      target: `area_${at.area}`,
      value: at.ok ? (blind ? 0.02 : 0.08) : -0.05,
      note: at.text,
    });
  }
  for (const search of s.searches) {
    const useful = search.found.some((f) => f.holds !== 'none' && s.areas[f.area]?.lost);
    links.push({
      step: search.step,
      effect: search.repeat ? 'redundant_search' : useful ? 'artifact_found' : 'nothing_found',
      target: search.source,
      value: search.repeat ? -0.02 : useful ? 0.03 : -0.01,
      note: search.repeat ? 'searched again' : search.found.map((f) => `area ${f.area}: ${f.holds}`).join(', '),
    });
  }
  return failedRecoveries;
}

/** Each card's effort before regressions, who works it and its regression chance. */
interface CardWork {
  /** Effort per card (0 when dropped). */
  effort: number[];
  /** Who works each card (-1 when dropped). */
  workOwner: number[];
  pRegressions: number[];
  orphans: number;
}

/**
 * Each kept card's effort from its owner's knowledge: an unrecovered lost area x1.5 (60% regression),
 * an owner without a covered area's knowledge x1.2 (25%), nobody owning it x1.3 — picked up
 * mid-sprint by the member with the most slack, linked as orphaned.
 */
export function cardEffort(s: Compensation, capacity: readonly number[], load: readonly number[], links: DecisionLink[]): CardWork {
  const known = (member: number, area: number) => (s.members[member] as Member).knows.has(area);
  const effort: number[] = [];
  const workOwner: number[] = [];
  let orphans = 0;
  const pRegressions: number[] = s.cards.map(() => 0);
  for (let c = 0; c < CARDS; c++) {
    const card = s.cards[c] as Card;
    if (s.dropped[c]) {
      effort.push(0);
      workOwner.push(-1);
      continue;
    }
    let owner = s.owner[c] as number;
    let mult = 1;
    if (owner === -1) {
      // Picked up mid-sprint by whoever has the most slack.
      orphans++;
      mult *= 1.3;
      let best = 0;
      for (let m = 1; m < MEMBERS; m++)
        if ((capacity[m] as number) - (load[m] as number) > (capacity[best] as number) - (load[best] as number)) best = m;
      owner = best;
      links.push({
        step: -1,
        effect: 'orphaned_card',
        target: `card_${c}`,
        value: -0.05,
        note: `nobody owned card ${c}: picked up mid-sprint`,
      });
    }
    const area = s.areas[card.area] as Area;
    let pRegression = 0;
    if (area.lost && !s.recovered[card.area]) {
      mult *= 1.5;
      pRegression = 0.6;
    } else if (!area.lost && !known(owner, card.area)) {
      mult *= 1.2;
      pRegression = 0.25;
    }
    effort.push(card.hours * mult);
    workOwner.push(owner);
    pRegressions[c] = pRegression;
  }
  return { effort, workOwner, pRegressions, orphans };
}

/** Overcommitment pressure: planned effort over the capacity left, minus one, in [0, 1]. */
export function overcommitment(effort: readonly number[], capacity: readonly number[]): number {
  let planned = 0;
  let fullCapacity = 0;
  for (let c = 0; c < CARDS; c++) planned += effort[c] as number;
  for (let m = 0; m < MEMBERS; m++) fullCapacity += Math.max(0, capacity[m] as number);
  return clamp01(planned / Math.max(1, fullCapacity) - 1);
}

/**
 * Regressions of the kept cards (the card's chance plus the rush, at most 90%), each adding half the
 * card as rework; adds every kept card's effort to its worker's `load`.
 */
export function regressionsAndLoad(
  s: Compensation,
  work: CardWork,
  pressure: number,
  load: number[],
): { regressions: number; regressed: boolean[] } {
  const { effort, workOwner, pRegressions } = work;
  let regressions = 0;
  const regressed: boolean[] = s.cards.map(() => false);
  for (let c = 0; c < CARDS; c++) {
    if (s.dropped[c]) continue;
    const card = s.cards[c] as Card;
    if (card.regressionDraw < Math.min(0.9, (pRegressions[c] as number) + RUSH_REGRESSION * pressure)) {
      regressions++;
      regressed[c] = true;
      effort[c] = (effort[c] as number) + 0.5 * card.hours;
    }
    const owner = workOwner[c] as number;
    load[owner] = (load[owner] as number) + (effort[c] as number);
  }
  return { regressions, regressed };
}

/**
 * Which cards are delivered: overflow moves to members with slack at 1.25x, multitasking costs
 * capacity under pressure, and cards are delivered in priority order within the work capacity.
 */
export function delivery(
  s: Compensation,
  effort: readonly number[],
  capacity: readonly number[],
  load: readonly number[],
  pressure: number,
): boolean[] {
  let overflow = 0;
  let slack = 0;
  let base = 0;
  for (let m = 0; m < MEMBERS; m++) {
    const cap = Math.max(0, capacity[m] as number);
    const l = load[m] as number;
    overflow += Math.max(0, l - cap);
    slack += Math.max(0, cap - l);
    base += Math.min(l, cap);
  }
  const transferable = Math.min(overflow, slack / 1.25);
  const workCapacity = (base + transferable) * (1 - RUSH_CAPACITY_LOSS * pressure);
  const delivered: boolean[] = s.cards.map(() => false);
  let used = 0;
  for (const c of s.priorityOrder) {
    if (s.dropped[c]) continue;
    if (used + (effort[c] as number) <= workCapacity + 1e-9) {
      delivered[c] = true;
      used += effort[c] as number;
    }
  }
  return delivered;
}

interface Commitment {
  committedHours: number;
  deliveredCommitted: number;
  deliveredHours: number;
  /** Delivered share of the committed hours. */
  commitmentKept: number;
  allDelivered: boolean;
  /** Delivered share of the hours an ideal plan keeps (the sprint goal). */
  goalShare: number;
}

/** Delivered against the recommitted plan (or, silently replanned, the original one) and against the sprint goal. */
export function commitment(s: Compensation, delivered: readonly boolean[]): Commitment {
  let committedHours = 0;
  let deliveredCommitted = 0;
  let deliveredHours = 0;
  for (let c = 0; c < CARDS; c++) {
    const h = (s.cards[c] as Card).hours;
    if (delivered[c]) deliveredHours += h;
    if (s.committed && s.dropped[c]) continue;
    committedHours += h;
    if (delivered[c]) deliveredCommitted += h;
  }
  const commitmentKept = committedHours > 0 ? deliveredCommitted / committedHours : 1;
  // The sprint goal: the highest-priority work the real capacity allows (what an ideal plan keeps).
  let goalHours = 0;
  let goalDelivered = 0;
  for (const c of s.truth.idealKept) {
    const h = (s.cards[c] as Card).hours;
    goalHours += h;
    if (delivered[c]) goalDelivered += h;
  }
  return {
    committedHours,
    deliveredCommitted,
    deliveredHours,
    commitmentKept,
    allDelivered: commitmentKept >= 0.999,
    goalShare: goalHours > 0 ? goalDelivered / goalHours : 1,
  };
}

/**
 * Links for the plan changes that still stand — a drop the capacity needed or not, a card given to
 * someone who knows its area or not (or that regressed) — then the recommitment, kept or missed,
 * or the silent replan.
 */
export function planChangeLinks(s: Compensation, regressed: readonly boolean[], kept: Commitment, links: DecisionLink[]): void {
  const known = (member: number, area: number) => (s.members[member] as Member).knows.has(area);
  const idealKept = new Set(s.truth.idealKept);
  for (const ch of s.changes) {
    if (ch.kind === 'drop' && s.dropped[ch.card])
      links.push({
        step: ch.step,
        effect: idealKept.has(ch.card) ? 'drop_unneeded' : 'drop_needed',
        target: `card_${ch.card}`,
        value: idealKept.has(ch.card) ? -0.05 : 0.05,
        note: idealKept.has(ch.card) ? 'the team had room for it' : 'it did not fit in the capacity left',
      });
    if (ch.kind === 'redistribute' && ch.member !== undefined && s.owner[ch.card] === ch.member && !s.dropped[ch.card]) {
      const card = s.cards[ch.card] as Card;
      const area = s.areas[card.area] as Area;
      const knows = area.lost ? s.recovered[card.area] !== undefined : known(ch.member, card.area);
      links.push({
        step: ch.step,
        effect: regressed[ch.card] ? 'quality_regression' : knows ? 'knowledgeable_owner' : 'owner_lacks_knowledge',
        target: `card_${ch.card}`,
        value: regressed[ch.card] ? -0.1 : knows ? 0.05 : -0.03,
        note: `${(s.members[ch.member] as Member).name} ${knows ? 'knows' : 'does not know'} the ${area.name}`,
      });
    }
  }
  if (s.committed)
    links.push({
      step: s.commitStep,
      effect: kept.allDelivered ? 'commitment_kept' : 'commitment_missed',
      value: kept.allDelivered ? 0.2 : -0.1,
      note: `${Math.round(kept.deliveredCommitted)} of ${Math.round(kept.committedHours)} committed hours delivered`,
    });
  else
    links.push({
      step: -1,
      effect: 'silent_replan',
      value: -0.2,
      note: 'never recommitted: the product owner expected the original plan',
    });
}

/** The episode's outcome: facts, the six components and the decision links. */
export function compensationOutcome(s: Compensation): EpisodeResult<CompensationFacts> {
  const links: DecisionLink[] = [];
  const t = s.truth;
  const last = s.assessments[s.assessments.length - 1];
  const assessed = assessmentReview(s, links);
  const { overhead, needlessCross } = specialistReview(s, assessed.overhead, links);
  const failedRecoveries = recoveryReview(s, links);

  // The sprint played out: owners, knowledge, effort, regressions, delivery.
  const load = [0, 0, 0];
  const capacity = [0, 0, 0].map((_, m) => realCapacity(s.members[m] as Member) - overhead / MEMBERS);
  const work = cardEffort(s, capacity, load, links);
  // Overcommitment: a team holding more than it can do rushes (more regressions) and multitasks.
  const pressure = overcommitment(work.effort, capacity);
  const { regressions, regressed } = regressionsAndLoad(s, work, pressure, load);
  const delivered = delivery(s, work.effort, capacity, load, pressure);
  const kept = commitment(s, delivered);
  planChangeLinks(s, regressed, kept, links);

  let lostAreas = 0;
  let recoveredAreas = 0;
  for (let i = 0; i < AREAS; i++)
    if ((s.areas[i] as Area).lost) {
      lostAreas++;
      if (s.recovered[i]) recoveredAreas++;
    }
  const coverage = lostAreas > 0 ? recoveredAreas / lostAreas : 1;
  const velocity = clamp01((kept.deliveredHours - 0.5 * needlessCross) / t.achievable);
  const components: OutcomeComponents = {
    story_accepted: 0.5 * (kept.allDelivered ? 1 : 0.5 * kept.commitmentKept) + 0.5 * kept.goalShare,
    tests_passing: clamp01(1 - 0.25 * regressions),
    low_iteration_count: clamp01(1 - 0.2 * (failedRecoveries + regressions)),
    velocity_maintained: velocity,
    low_rework: clamp01(1 - 0.4 * regressions),
    coverage_threshold: coverage >= 0.8 ? 1 : coverage,
  };
  const droppedHours = s.cards.reduce((sum, c, i) => sum + (s.dropped[i] ? c.hours : 0), 0);
  const brier = new BrierTally();
  for (const a of s.assessments) brier.add(a.confidence, a.severity === t.severity);
  const stated = brier.stated;
  const brierSum = brier.sum;
  return {
    facts: {
      committed: s.committed,
      trueSeverity: t.severity,
      trueRadius: t.radius,
      assessedSeverity: last?.severity ?? 'none',
      assessedRadius: last?.radius ?? 'none',
      assessment: assessed.effect,
      assessments: s.assessments.length,
      lostAreas,
      recoveredAreas,
      unrecoverableAreas: s.areas.filter((a) => unrecoverable(a)).length,
      searches: s.searches.length,
      redundantSearches: s.searches.filter((search) => search.repeat).length,
      recoveryAttempts: s.attempts.length,
      failedRecoveries,
      specialists: s.specialists.length,
      specialistsUnneeded: s.specialists.filter((sp) => !unrecoverable(s.areas[sp.area] as Area)).length,
      regressions,
      orphanedCards: work.orphans,
      overcommitPressure: round3(pressure),
      droppedCards: s.dropped.filter((d) => d).length,
      droppedHours,
      idealDropHours: t.idealDropHours,
      committedHours: Math.round(kept.committedHours),
      originalHours: s.cards.reduce((sum, c) => sum + c.hours, 0),
      deliveredHours: Math.round(kept.deliveredHours),
      commitmentKept: round3(kept.commitmentKept),
      allDelivered: kept.allDelivered,
      goalDelivered: round3(kept.goalShare),
      achievableHours: Math.round(t.achievable),
      realCapacity: t.realCapacity,
      teamHoursSpent: s.hours,
      needlessCrossHours: needlessCross,
      velocityEffect: round3(velocity - 1),
      confidenceStatements: stated,
      calibrationBrier: stated > 0 ? round3(brierSum / stated) : -1,
    },
    components,
    links,
  };
}
