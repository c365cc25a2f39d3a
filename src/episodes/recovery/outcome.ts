/**
 * The outcome of a recovery episode, computed at the replan (or at the turn limit, as a silent
 * keep). Recovery hours H are the actions' hours and collateral repairs plus the consequences:
 * still red at replanning (the team finds it later 60 %, +10 h, else +16 h and red at sprint end),
 * a patched cause recurring in the sprint (75 %, +8 h), escaped collateral (+6 h). The sprint was
 * committed near capacity (0.92–1.05 × the cards' hours). The kept cards are delivered in priority
 * order from capacity − H; a kept invalid card burns half its hours (added to H) and is not
 * delivered. The parts, in order:
 *
 * - `buildFate`: whether the build is green at sprint end, and what recurred or escaped;
 * - `recoveryHours`: H before the replan;
 * - `sprintDelivery`: the cards the replan drops (`droppedCards`), its overhead, and what the rest
 *   of the sprint delivers against an ideal recovery (8 h, exactly the invalid cards dropped);
 * - `laterRecurrence`: whether the issue comes back later, given the best learning about the
 *   real cause;
 * - `recoveryComponents`: story_accepted = delivered points / achievable points; tests_passing =
 *   green at sprint end (−0.5 for escaped collateral, −0.5 for an in-sprint recurrence);
 *   low_iteration_count = 1 − (changes until green − 1) / 3 (0 if never green);
 *   velocity_maintained = 1 − H / (6 h × days left); low_rework = 1 − 0.5 per recurrence (in the
 *   sprint, later); coverage_threshold = 1 without escaped collateral damage, else 0;
 * - the links of each verification, hypothesis, change, learning and the replan, and `calibration`
 *   (the Brier score of the stated confidences).
 *
 * `recoveryOutcome` combines them into the facts, the six outcome components and the links.
 */
import type { DecisionLink, EpisodeResult } from '../../core/episode.js';
import { clamp01, round1, round3 } from '../../core/numbers.js';
import type { OutcomeComponents } from '../../spec/reward.js';
import { BrierTally } from '../common.js';
import { type Card, type Scenario, SUSPECTS, type Suspect } from './scenario.js';
import {
  type BestLearning,
  type CodeChange,
  type LearningKind,
  REPLAN_CHANGES,
  type RecoveryFacts,
  type ReplanChange,
  type SuiteResult,
  type Verdict,
  type VerificationPhase,
} from './types.js';

/** Cards dropped by each replan level. */
export const DROPS: Record<ReplanChange, number> = { keep: 0, minimal: 1, partial: 2, full: 3 };

/** Team hours per sprint day (the velocity budget is this × days left). */
const TEAM_HOURS_PER_DAY = 6;
const HOURS_COMMUNICATE = 0.5;
const HOURS_FULL_REPLAN = 4;
const HOURS_COLLATERAL_ESCAPED = 6;
const HOURS_RECURRENCE = 8;
const HOURS_SILENT_DROP = 2;
const HOURS_RED_FOUND_LATE = 10;
const HOURS_RED_NOT_FOUND = 16;
/** Recovery hours of the ideal recovery (achievable delivery reference). */
const HOURS_IDEAL = 8;
/** A patched cause comes back within the sprint. */
const P_RECUR_IN_SPRINT = 0.75;
/** Later recurrence: no useful learning, a root-cause learning, a prevention learning, cause never fixed. */
const P_RECUR_LATER = { none: 0.5, root_cause: 0.25, prevention: 0.1, unfixed: 0.85 } as const;
/** Still red at replanning: the team finds the cause later with this chance. */
const P_FOUND_LATE = 0.6;

/** One `verify_hypothesis`: an experiment before a change on the suspect, a suite run after one. */
export interface Verification {
  step: number;
  suspect: number;
  phase: VerificationPhase;
  result: Verdict | SuiteResult;
  text: string;
}

/** One `diagnose_root_cause` that changed code. */
export interface ChangeRecord {
  step: number;
  suspect: number;
  change: CodeChange;
  /** Tests green right after this change. */
  green: boolean;
  /** This change broke something elsewhere (pending until a suite run catches it). */
  collateral: boolean;
  /** Step of the suite run that caught the collateral, -1 if it escaped. */
  caughtAt: number;
  /** Verified (the same suspect) before this change. */
  verifiedBefore: boolean;
}

export interface Learning {
  step: number;
  kind: LearningKind;
  suspect: number;
  confidence?: number;
}

/** One `diagnose_root_cause` with `state_only`. */
export interface Hypothesis {
  step: number;
  suspect: number;
  confidence?: number;
}

export interface Replan {
  step: number;
  change: ReplanChange;
  communicate: boolean;
  confidence?: number;
}

/** Everything the outcome depends on: the scenario and its fates, and what the candidate did. */
export interface Incident extends Readonly<Scenario> {
  /** Hours the actions and collateral repairs took. */
  readonly hours: number;
  readonly hypotheses: readonly Hypothesis[];
  readonly verifications: readonly Verification[];
  readonly changes: readonly ChangeRecord[];
  readonly learnings: readonly Learning[];
  readonly replan: Replan | undefined;
  /** The failing tests pass (a change on the real suspect). */
  readonly green: boolean;
  readonly hoursToGreen: number;
  readonly changesToGreen: number;
  /** The real suspect was fixed at the cause. */
  readonly rootFixed: boolean;
  /** The real suspect was patched at the symptom. */
  readonly patched: boolean;
  readonly symptomSeen: boolean;
  /** Per suspect: a verification confirmed it (its blast radius and cards are known). */
  readonly confirmed: readonly boolean[];
}

/** The replan that fits the real damage: one card dropped per invalid card, at most `full`. */
export function rightChange(invalidCount: number): ReplanChange {
  return REPLAN_CHANGES[Math.min(3, invalidCount)] as ReplanChange;
}

/** Delivery of the sprint for a set of dropped cards and recovery hours. */
function deliver(
  cards: readonly Card[],
  dropped: ReadonlySet<number>,
  capacity: number,
  hours: number,
): { points: number; spill: number; burnt: number } {
  let available = capacity - hours;
  let points = 0;
  let spill = 0;
  let burnt = 0;
  for (let i = 0; i < cards.length; i++) {
    if (dropped.has(i)) continue;
    const c = cards[i] as Card;
    if (c.invalid) {
      // Work on an undeliverable card: half its hours burnt before the team gives up on it.
      available -= c.hours / 2;
      burnt += c.hours / 2;
      spill++;
      continue;
    }
    if (c.hours <= available) {
      available -= c.hours;
      points += c.points;
    } else spill++;
  }
  return { points, spill, burnt };
}

/** Cards dropped by a replan: known-invalid first, then unknown cards touching the area, lowest priority first. */
export function droppedCards(incident: Incident, change: ReplanChange): Set<number> {
  const d = DROPS[change];
  const knownInvalid = new Set<number>();
  let blastKnown = false;
  // The candidate knows the real blast only from a confirmed verification of the real suspect;
  // a false confirmation of a decoy shows that decoy's (wrong) cards instead.
  for (let i = 0; i < SUSPECTS; i++)
    if (incident.confirmed[i]) {
      blastKnown = true;
      for (const c of (incident.suspects[i] as Suspect).hits) knownInvalid.add(c);
    }
  const order: number[] = [];
  const n = incident.cards.length;
  for (let j = n - 1; j >= 0; j--) if (knownInvalid.has(j)) order.push(j);
  for (let j = n - 1; j >= 0; j--) if (!knownInvalid.has(j) && (incident.cards[j] as Card).touchesArea && !blastKnown) order.push(j);
  for (let j = n - 1; j >= 0; j--) if (!order.includes(j)) order.push(j);
  return new Set(order.slice(0, d));
}

/** What became of the build after the episode. */
export interface BuildFate {
  /** Still red at replanning, and the team found the cause later in the sprint. */
  foundLate: boolean;
  greenAtEnd: boolean;
  /** A patched (not fixed) cause came back within the sprint. */
  recurredInSprint: boolean;
  /** Changes whose collateral breakage no suite run caught. */
  escaped: number;
}

/** Whether the build is green at sprint end and what recurred or escaped; links a build still red at replanning. */
export function buildFate(incident: Incident, links: DecisionLink[]): BuildFate {
  let foundLate = false;
  let greenAtEnd = incident.green;
  if (!incident.green) {
    foundLate = incident.fate.foundLate < P_FOUND_LATE;
    greenAtEnd = foundLate;
    links.push({
      step: -1,
      effect: 'tests_never_green',
      value: -0.3,
      note: foundLate
        ? 'the build was still red at replanning; the team found the cause days later'
        : 'the build stayed red through the sprint',
    });
  }
  const recurredInSprint = incident.patched && !incident.rootFixed && incident.fate.recurInSprint < P_RECUR_IN_SPRINT;
  const escaped = incident.changes.filter((c) => c.collateral && c.caughtAt < 0).length;
  return { foundLate, greenAtEnd, recurredInSprint, escaped };
}

/** Recovery hours before the replan: the actions' hours, a build still red, an in-sprint recurrence, escaped collateral. */
export function recoveryHours(incident: Incident, build: BuildFate): number {
  let lost = incident.hours;
  if (!incident.green) lost += build.foundLate ? HOURS_RED_FOUND_LATE : HOURS_RED_NOT_FOUND;
  if (build.recurredInSprint) lost += HOURS_RECURRENCE;
  lost += HOURS_COLLATERAL_ESCAPED * build.escaped;
  return lost;
}

/** The replan and the rest of the sprint. */
export interface SprintDelivery {
  dropped: Set<number>;
  /** Points delivered. */
  points: number;
  /** Points an ideal recovery delivers (at least 1). */
  achievable: number;
  deliveryRatio: number;
  validDropped: number;
  invalidKept: number;
  /** Recovery hours H, with the replan's overhead and the hours burnt on kept invalid cards. */
  lostHours: number;
}

/**
 * The cards the replan drops, its overhead (4 h for a full replan; 0.5 h to communicate, else 2 h
 * per dropped card the team kept working on), and the delivery of the kept cards from the hours left.
 */
export function sprintDelivery(incident: Incident, replan: Omit<Replan, 'step'>, hoursBefore: number): SprintDelivery {
  const dropped = droppedCards(incident, replan.change);
  let lost = hoursBefore;
  if (replan.change === 'full') lost += HOURS_FULL_REPLAN;
  if (replan.communicate) lost += HOURS_COMMUNICATE;
  else lost += HOURS_SILENT_DROP * dropped.size;
  const delivery = deliver(incident.cards, dropped, incident.capacity, lost);
  // Hours burnt on kept undeliverable cards are velocity lost too.
  lost += delivery.burnt;
  const ideal = new Set<number>();
  for (let j = 0; j < incident.cards.length; j++) if ((incident.cards[j] as Card).invalid) ideal.add(j);
  const achievable = Math.max(1, deliver(incident.cards, ideal, incident.capacity, HOURS_IDEAL).points);
  const deliveryRatio = clamp01(delivery.points / achievable);
  let validDropped = 0;
  let invalidKept = 0;
  for (let j = 0; j < incident.cards.length; j++) {
    const c = incident.cards[j] as Card;
    if (c.invalid && !dropped.has(j)) invalidKept++;
    if (!c.invalid && dropped.has(j)) validDropped++;
  }
  return { dropped, points: delivery.points, achievable, deliveryRatio, validDropped, invalidKept, lostHours: lost };
}

export interface LaterRecurrence {
  bestLearning: BestLearning;
  /** The real cause was fixed (not only patched). */
  fixedForGood: boolean;
  recurredLater: boolean;
  /** The best learning turned a later recurrence into none. */
  learningMattered: boolean;
}

/**
 * Later recurrence: 85 % when the cause was never fixed; else 50 %, lowered to 25 % by a root-cause
 * learning about the real cause and to 10 % by a prevention learning.
 */
export function laterRecurrence(incident: Incident): LaterRecurrence {
  let bestLearning: BestLearning = 'none';
  for (const l of incident.learnings)
    if (l.suspect === incident.real && (l.kind === 'prevention' || (l.kind === 'root_cause' && bestLearning === 'none')))
      bestLearning = l.kind;
  const fixedForGood = incident.rootFixed;
  const recurLater = incident.fate.recurLater;
  const pLater = fixedForGood ? P_RECUR_LATER[bestLearning] : P_RECUR_LATER.unfixed;
  const recurredLater = recurLater < pLater;
  const learningMattered = fixedForGood && bestLearning !== 'none' && recurLater >= pLater && recurLater < P_RECUR_LATER.none;
  return { bestLearning, fixedForGood, recurredLater, learningMattered };
}

/** The six outcome components. */
export function recoveryComponents(
  incident: Incident,
  build: BuildFate,
  sprint: SprintDelivery,
  later: LaterRecurrence,
  budgetHours: number,
): OutcomeComponents {
  const iterations = Math.max(incident.changesToGreen, 0);
  return {
    story_accepted: sprint.deliveryRatio,
    tests_passing: clamp01((build.greenAtEnd ? 1 : 0) - 0.5 * (build.escaped > 0 ? 1 : 0) - 0.5 * (build.recurredInSprint ? 1 : 0)),
    low_iteration_count: iterations > 0 ? clamp01(1 - (iterations - 1) / 3) : 0,
    velocity_maintained: clamp01(1 - sprint.lostHours / budgetHours),
    low_rework: clamp01(1 - 0.5 * (build.recurredInSprint ? 1 : 0) - 0.5 * (later.recurredLater ? 1 : 0)),
    coverage_threshold: build.escaped > 0 ? 0 : 1,
  };
}

/** Links each verification: a suite run's finding, a repeated check, evidence on the cause, a decoy ruled out or a false confirmation. */
export function verificationLinks(incident: Incident, links: DecisionLink[]): void {
  for (const v of incident.verifications) {
    if (v.phase === 'after_change') {
      if (v.result === 'collateral_caught')
        links.push({ step: v.step, effect: 'collateral_caught', target: `suspect_${v.suspect}`, value: 0.1, note: v.text });
      else if (v.result === 'symptom_only')
        links.push({ step: v.step, effect: 'symptom_exposed', target: `suspect_${v.suspect}`, value: 0.05, note: v.text });
      else links.push({ step: v.step, effect: 'fix_checked', target: `suspect_${v.suspect}`, value: 0.01, note: v.text });
    } else if (v.result === 'nothing_new')
      links.push({ step: v.step, effect: 'verification_repeated', target: `suspect_${v.suspect}`, value: -0.02, note: v.text });
    else if (v.suspect === incident.real)
      links.push({
        step: v.step,
        effect: 'evidence_on_root_cause',
        target: `suspect_${v.suspect}`,
        value: 0.03,
        note: `${v.result} on the real cause`,
      });
    else if (v.result === 'refuted')
      links.push({
        step: v.step,
        effect: 'decoy_ruled_out',
        target: `suspect_${v.suspect}`,
        value: 0.02,
        note: 'a wrong suspect ruled out',
      });
    else if (v.result === 'confirmed')
      links.push({
        step: v.step,
        effect: 'false_confirmation',
        target: `suspect_${v.suspect}`,
        value: -0.02,
        note: 'the experiment misled',
      });
  }
}

/** Links each stated hypothesis as right or wrong. */
export function hypothesisLinks(incident: Incident, links: DecisionLink[]): void {
  const realCategory = (incident.suspects[incident.real] as Suspect).category;
  for (const h of incident.hypotheses)
    links.push({
      step: h.step,
      effect: h.suspect === incident.real ? 'hypothesis_right' : 'hypothesis_wrong',
      target: `suspect_${h.suspect}`,
      value: h.suspect === incident.real ? 0.02 : -0.01,
      note: `hypothesis on ${(incident.suspects[h.suspect] as Suspect).category}; the root cause was ${realCategory}`,
    });
}

/** Links each code change (root cause fixed, symptom patched, wrong suspect) and its collateral, then an in-sprint recurrence. */
export function changeLinks(incident: Incident, build: BuildFate, links: DecisionLink[]): void {
  for (const c of incident.changes) {
    const category = (incident.suspects[c.suspect] as Suspect).category;
    if (c.suspect === incident.real && c.change === 'fix_cause')
      links.push({
        step: c.step,
        effect: 'root_cause_fixed',
        target: `suspect_${c.suspect}`,
        value: 0.2,
        note: `fixed ${category} at the cause`,
      });
    else if (c.suspect === incident.real)
      links.push({
        step: c.step,
        effect: 'symptom_patched',
        target: `suspect_${c.suspect}`,
        value: -0.1,
        note: `patched the symptom of ${category}; the cause stayed${incident.rootFixed ? ' until a later fix' : ''}`,
      });
    else
      links.push({
        step: c.step,
        effect: 'wrong_suspect_changed',
        target: `suspect_${c.suspect}`,
        value: -0.1,
        note: `changed ${category}, which was not the cause`,
      });
    if (c.collateral)
      links.push({
        step: c.step,
        effect: c.caughtAt >= 0 ? 'collateral_introduced' : 'collateral_escaped',
        target: `suspect_${c.suspect}`,
        value: c.caughtAt >= 0 ? -0.03 : -0.2,
        note:
          c.caughtAt >= 0
            ? `the change broke something elsewhere; caught at step ${c.caughtAt}`
            : 'the change broke another card; nobody ran the suite',
      });
  }
  if (build.recurredInSprint)
    links.push({ step: -1, effect: 'recurred_in_sprint', value: -0.2, note: 'the patched cause came back within the sprint' });
}

/** Links each learning (about the real cause, or one that changes nothing), the lack of any, and a later recurrence. */
export function learningLinks(incident: Incident, later: LaterRecurrence, links: DecisionLink[]): void {
  for (const l of incident.learnings) {
    const onReal = l.suspect === incident.real;
    const effect =
      l.kind === 'blame'
        ? 'learning_blame'
        : l.kind === 'symptom'
          ? 'learning_symptom'
          : !onReal
            ? 'learning_wrong_cause'
            : l.kind === 'prevention'
              ? 'learning_prevention'
              : 'learning_root_cause';
    const good = effect === 'learning_prevention' || effect === 'learning_root_cause';
    links.push({
      step: l.step,
      effect,
      target: `suspect_${l.suspect}`,
      value: good ? (later.learningMattered && l.kind === later.bestLearning ? 0.15 : 0.03) : -0.03,
      note: good
        ? later.learningMattered && l.kind === later.bestLearning
          ? 'the learning prevented a later recurrence'
          : 'a learning about the real cause'
        : `a ${l.kind.replace('_', ' ')} learning changes nothing`,
    });
  }
  if (incident.learnings.length === 0) links.push({ step: -1, effect: 'no_learning', value: -0.05, note: 'moved on without reflection' });
  if (later.recurredLater)
    links.push({
      step: -1,
      effect: 'recurred_later',
      value: -0.1,
      note: later.fixedForGood
        ? `the same class of issue came back later (${later.bestLearning} learning)`
        : 'the unfixed cause came back later',
    });
}

/** Links the replan as proportional, under or over the damage (and silent), or the missing replan. */
export function replanLinks(
  incident: Incident,
  replan: Omit<Replan, 'confidence'>,
  right: ReplanChange,
  sprint: SprintDelivery,
  links: DecisionLink[],
): void {
  const distance = DROPS[replan.change] - DROPS[right];
  const effect = distance === 0 ? 'replan_proportional' : distance < 0 ? 'replan_under' : 'replan_over';
  const note = `${replan.change} when ${right} fit the damage: ${sprint.validDropped} valid card(s) dropped, ${sprint.invalidKept} invalid card(s) kept; ${sprint.points}/${sprint.achievable} achievable points delivered`;
  if (incident.replan) {
    links.push({ step: replan.step, effect, target: replan.change, value: distance === 0 ? 0.1 : -0.1, note });
    if (!replan.communicate && sprint.dropped.size > 0)
      links.push({ step: replan.step, effect: 'replan_silent', value: -0.05, note: 'dropped cards without telling the team' });
  } else links.push({ step: -1, effect: 'no_replan', value: -0.2, note: `never replanned: the old plan was forced. ${note}` });
}

/** Calibration facts (B-30 reads them over a window): stated confidences and their mean Brier score (-1 without any). */
export function calibration(incident: Incident, replanDistance: number): { statements: number; brier: number } {
  const brier = new BrierTally();
  for (const h of incident.hypotheses) brier.add(h.confidence, h.suspect === incident.real);
  for (const l of incident.learnings) brier.add(l.confidence, l.suspect === incident.real);
  if (incident.replan) brier.add(incident.replan.confidence, replanDistance === 0);
  return { statements: brier.stated, brier: brier.stated > 0 ? round3(brier.sum / brier.stated) : -1 };
}

/** The episode's outcome: facts, the six components and the decision links. */
export function recoveryOutcome(incident: Incident): EpisodeResult<RecoveryFacts> {
  const links: DecisionLink[] = [];
  const budget = incident.daysLeft * TEAM_HOURS_PER_DAY;
  const replan = incident.replan ?? { step: -1, change: 'keep' as ReplanChange, communicate: false };
  const right = rightChange(incident.invalidCount);

  const build = buildFate(incident, links);
  const sprint = sprintDelivery(incident, replan, recoveryHours(incident, build));
  const later = laterRecurrence(incident);
  const components = recoveryComponents(incident, build, sprint, later, budget);

  verificationLinks(incident, links);
  hypothesisLinks(incident, links);
  changeLinks(incident, build, links);
  learningLinks(incident, later, links);
  replanLinks(incident, replan, right, sprint, links);
  const replanDistance = DROPS[replan.change] - DROPS[right];
  const confidence = calibration(incident, replanDistance);

  const real = incident.suspects[incident.real] as Suspect;
  const lastChange = incident.changes[incident.changes.length - 1];
  const firstChange = incident.changes[0];
  return {
    facts: {
      realSuspect: incident.real,
      realCategory: real.category,
      loudestIsReal: real.loudest,
      hypotheses: incident.hypotheses.length,
      verifications: incident.verifications.length,
      verificationsBeforeChange: incident.verifications.filter((v) => v.phase === 'before_change').length,
      rootCauseConfirmed: incident.confirmed[incident.real] === true,
      changes: incident.changes.length,
      wrongChanges: incident.changes.filter((c) => c.suspect !== incident.real).length,
      firstChangeVerified: firstChange?.verifiedBefore ?? false,
      lastChangeSuspect: lastChange?.suspect ?? -1,
      rootCauseFixed: incident.rootFixed,
      symptomPatched: incident.patched,
      symptomExposed: incident.symptomSeen,
      greenInEpisode: incident.green,
      greenAtEnd: build.greenAtEnd,
      foundLate: build.foundLate,
      hoursToGreen: incident.hoursToGreen,
      changesToGreen: incident.changesToGreen,
      collateralIntroduced: incident.changes.filter((c) => c.collateral).length,
      collateralCaught: incident.changes.filter((c) => c.collateral && c.caughtAt >= 0).length,
      collateralEscaped: build.escaped,
      recurredInSprint: build.recurredInSprint,
      recurredLater: later.recurredLater,
      bestLearning: later.bestLearning,
      learnings: incident.learnings.length,
      learningPrevented: later.learningMattered,
      replanned: incident.replan !== undefined,
      replanChange: replan.change,
      rightChange: right,
      replanDistance,
      communicated: replan.communicate,
      cardCount: incident.cards.length,
      invalidCards: incident.invalidCount,
      validCardsDropped: sprint.validDropped,
      invalidCardsKept: sprint.invalidKept,
      deliveredPoints: sprint.points,
      achievablePoints: sprint.achievable,
      deliveryRatio: round3(sprint.deliveryRatio),
      reportedSeverity: incident.reportedSeverity,
      lostHours: round1(sprint.lostHours),
      budgetHours: budget,
      confidenceStatements: confidence.statements,
      calibrationBrier: confidence.brier,
    },
    components,
    links,
  };
}
