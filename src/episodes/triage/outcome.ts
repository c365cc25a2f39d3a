/**
 * The outcome of a triage episode, computed on a response (or at the turn limit with none), in team
 * hours; all losses are avoidable losses beyond the unavoidable fix work:
 *
 * - `responseEffect`: the response against the right one gives waste hours, recovery hours, system
 *   health and rework (e.g. deferring what needed a fix lets it fester: live damage for the rest of
 *   the sprint plus a carry-over; fixing what could wait interrupts committed work; fixing what is
 *   beyond the team's reach flails, then escalates late; escalating what the team could fix wastes
 *   the lead);
 * - `scopedExecution`: the assessments scope the execution of a fix or escalation: a severity rated
 *   too high makes the team swarm (2 h per step), too low deprioritizes the fix (recovery +2 h per
 *   step), none costs 1.5 h of "how bad is it?"; a blast radius rated too narrow leaves affected
 *   cards to break later (3 h and recovery +2 h per step, one rework), too wide over-scopes the fix
 *   (1.5 h per step), none scopes the fix to the task. While the disturbance is live it costs
 *   rate(severity) x multiplier(radius) team hours per hour, from the start of triage to recovery, so
 *   time spent investigating and rating before responding costs more on severe ones (messages go out
 *   in parallel and do not delay the response);
 * - `communication`: the team always needs the assessment, the product owner when it reaches beyond
 *   the task, the lead when escalation is right or severity is critical; each one uninformed costs
 *   (team 1.5 h, product owner 2 h and less slack at review, lead 2 h); an assessment communicated
 *   two or more steps above the truth spreads alarm (2.5 h); a blocker announced when there is none
 *   is a false alarm (1 h); repeated messages and more than four cost extra;
 * - `responseLinks`, `ratingLinks`, `investigationLinks` and `calibration`: the links of the
 *   response, the ratings and the investigations, and the Brier score of the stated confidences (B-30).
 *
 * `triageOutcome` combines the parts into the facts, the six components — story_accepted (sprint
 * goal kept: lost hours within the sprint's hidden slack), tests_passing (system health at sprint
 * end), low_iteration_count (1 - (re-triage rounds - 1) / 3, one round per inaccurate or missing
 * rating and one for a wrong response), velocity_maintained (1 - lost / (12 + 2 x days left)),
 * low_rework (1 - 0.5 per rework), coverage_threshold (recovery: 1 - recovery hours / 24) — and the links.
 */
import type { DecisionLink, EpisodeResult } from '../../core/episode.js';
import { clamp01, round3 } from '../../core/numbers.js';
import type { BlastRadius, Severity } from '../../spec/curriculum.js';
import type { OutcomeComponents } from '../../spec/reward.js';
import { BrierTally } from '../common.js';
import { neededAudiences, type Scenario } from './scenario.js';
import {
  type Area,
  type Audience,
  type Content,
  RADIUS_RANK,
  type Reading,
  type Response,
  SEVERITY_RANK,
  type TriageFacts,
} from './types.js';

/** Hours per investigation (double past the budget). */
export const HOURS_INVESTIGATE = 0.5;
/** Hours per rating or message. */
export const HOURS_STATEMENT = 0.25;
/** Investigations before each one costs double. */
export const INVESTIGATION_BUDGET = 3;
/** Messages before each further one costs extra (meeting overhead, trivia). */
const MESSAGE_BUDGET = 4;
/** Team hours lost per hour while the disturbance is live, by severity rank. */
const RATE = [0, 0.25, 0.75, 1.5] as const;
/** Multiplier of the live damage and of the fix size, by blast-radius rank. */
const MULT = [1, 1.5, 2] as const;
/** Fix hours by severity rank (times the radius multiplier). */
const FIX = [1, 2, 3.5, 5] as const;
/** Damage carried past the sprint when a needed fix is deferred, by severity rank (times MULT). */
const CARRY = [0, 1, 4, 12] as const;
/** Recovery hours are capped here (the score reaches 0). */
const RECOVERY_CAP = 24;

/** What one investigation found (world state). */
export interface Finding {
  step: number;
  area: Area;
  /** The value the evidence points to (null when nothing new was found). */
  value: Reading | null;
  correct: boolean;
  text: string;
}

/** One rating of severity or blast radius, with its stated confidence when there was one. */
export interface Assessment<Value> {
  step: number;
  value: Value;
  confidence?: number;
}

export interface Message {
  step: number;
  audience: Audience;
  content: Content;
  /** The assessment at the time, for `assessment` messages. */
  severity?: Severity;
  radius?: BlastRadius;
}

/** Everything the outcome depends on: the drawn scenario and what the candidate did. */
export interface TriageSession {
  scenario: Scenario;
  findings: readonly Finding[];
  /** Investigations per area. */
  looks: Readonly<Record<Area, number>>;
  severityAssessments: readonly Assessment<Severity>[];
  radiusAssessments: readonly Assessment<BlastRadius>[];
  messages: readonly Message[];
  investigations: number;
  excessInvestigation: number;
  /** Triage hours so far (investigations, ratings, messages). */
  hours: number;
  /** Hours of messages (sent while the work goes on: they do not delay the response). */
  messageHours: number;
  response: Response | undefined;
  responseStep: number;
  responseConfidence: number | undefined;
}

/** The last rating, if any. */
export function lastRating<Value>(assessments: readonly Assessment<Value>[]): Value | undefined {
  return assessments[assessments.length - 1]?.value;
}

/** Live damage per hour, fix size and festering cost of the true severity and blast radius. */
export interface Damage {
  /** Team hours lost per hour while the disturbance is live. */
  live: number;
  /** Hours of the fix. */
  fix: number;
  /** Damage for the rest of the sprint and past it when a needed fix never comes. */
  festering: number;
}

export function damageRates(scenario: Scenario): Damage {
  const s = SEVERITY_RANK[scenario.severity];
  const r = RADIUS_RANK[scenario.radius];
  const mult = MULT[r] as number;
  const live = (RATE[s] as number) * mult;
  const fix = (FIX[s] as number) * mult;
  const festering = live * 2 * scenario.daysLeft + (CARRY[s] as number) * mult;
  return { live, fix, festering };
}

/** What the response does: waste and recovery hours, system health, rework, and why. */
export interface ResponseEffect {
  waste: number;
  recovery: number;
  health: number;
  rework: number;
  note: string;
}

/** The response against the right one, before the assessments scope it. */
export function responseEffect(session: TriageSession, rates: Damage): ResponseEffect {
  const { fix, festering } = rates;
  const right = session.scenario.right;
  const given = session.response;
  let waste = 0;
  let recovery = 0;
  let health = 1;
  let rework = 0;
  let note: string;
  if (given === undefined) {
    waste = festering + 2;
    recovery = RECOVERY_CAP;
    health = 0.2;
    rework = 1;
    note = 'no response by the turn limit: the disturbance ran unattended';
  } else if (given === right) {
    note = `${given} was the right response`;
    if (given === 'fix_now') recovery = fix;
    else if (given === 'defer') {
      waste = 0.5;
      health = 0.9;
    } else {
      waste = 1;
      recovery = 4;
    }
  } else if (right === 'fix_now') {
    if (given === 'defer') {
      waste = festering;
      recovery = RECOVERY_CAP;
      health = 0.3;
      rework = 1;
      note = 'deferred a disturbance that needed a fix: it festered';
    } else {
      waste = 3;
      recovery = 3 + fix;
      note = 'escalated what the team could fix: the lead sent it back';
    }
  } else if (right === 'defer') {
    if (given === 'fix_now') {
      waste = fix + 1;
      recovery = fix;
      note = 'fixed now what could wait: committed work was interrupted';
    } else {
      waste = 3;
      recovery = 3;
      health = 0.9;
      note = 'escalated what could wait: the lead lost time on it';
    }
  } else if (given === 'fix_now') {
    waste = 6 + fix / 2;
    recovery = 10;
    health = 0.6;
    rework = 1;
    note = 'fixed in the team what needed escalation: the team flailed, then escalated late';
  } else {
    waste = festering + 2;
    recovery = RECOVERY_CAP;
    health = 0.2;
    rework = 1;
    note = 'deferred what needed escalation: the blocker festered';
  }
  return { waste, recovery, health, rework, note };
}

/** The response's effect once the assessments scope its execution, with the live damage until recovery. */
export interface Execution extends ResponseEffect {
  assessedSeverity: Severity | undefined;
  assessedRadius: BlastRadius | undefined;
  /** Rated minus true rank; undefined when not rated. */
  severityDifference: number | undefined;
  radiusDifference: number | undefined;
  swarm: number;
  blindCost: number;
  /** Hours from the start of triage to the response (messages go out in parallel). */
  reaction: number;
  damage: number;
}

/**
 * The assessments scope the execution of a fix or an escalation (swarming, a deprioritized fix, a
 * fix scoped too narrow or too wide, a round of "how bad is it?"); recovery counts from the start
 * of triage, and the disturbance does live damage until then.
 */
export function scopedExecution(session: TriageSession, rates: Damage, effect: ResponseEffect): Execution {
  const s = SEVERITY_RANK[session.scenario.severity];
  const r = RADIUS_RANK[session.scenario.radius];
  const given = session.response;
  let { waste, recovery, health, rework } = effect;
  const reaction = session.hours - session.messageHours;
  const assessedSev = lastRating(session.severityAssessments);
  const assessedRad = lastRating(session.radiusAssessments);
  const acting = given === 'fix_now' || given === 'escalate';
  const sevDiff = assessedSev === undefined ? undefined : SEVERITY_RANK[assessedSev] - s;
  const radDiff = assessedRad === undefined ? undefined : RADIUS_RANK[assessedRad] - r;
  let swarm = 0;
  let blindCost = 0;
  if (acting) {
    if (sevDiff === undefined) blindCost += 1.5;
    else if (sevDiff > 0) swarm = 2 * sevDiff;
    else if (sevDiff < 0) recovery += 2 * -sevDiff;
    const narrower = radDiff === undefined ? r : radDiff < 0 ? -radDiff : 0;
    if (narrower > 0) {
      waste += 3 * narrower;
      recovery += 2 * narrower;
      rework += 1;
      health = Math.max(0, health - 0.15 * narrower);
    } else if (radDiff !== undefined && radDiff > 0) waste += 1.5 * radDiff;
  }
  recovery = Math.min(RECOVERY_CAP, recovery + reaction);
  const damage = rates.live * recovery;
  return {
    waste,
    recovery,
    health,
    rework,
    note: effect.note,
    assessedSeverity: assessedSev,
    assessedRadius: assessedRad,
    severityDifference: sevDiff,
    radiusDifference: radDiff,
    swarm,
    blindCost,
    reaction,
    damage,
  };
}

/** Who needed the assessment and who got it, what the messages cost, and the recovery and slack after them. */
export interface Communication {
  needed: Audience[];
  informed: Set<Audience>;
  uninformed: Audience[];
  alarm: boolean;
  falseBlockers: number;
  redundant: number;
  coordination: number;
  slack: number;
  recovery: number;
}

/**
 * Each message judged in order (redundant, a real or false blocker, an assessment that spreads
 * alarm or understates, a status with or without findings), linked to its decision; then each needed
 * audience left uninformed costs, with an episode link (escalating informs the lead, if coldly).
 */
export function communication(session: TriageSession, recoveryBefore: number, links: DecisionLink[]): Communication {
  const scenario = session.scenario;
  const s = SEVERITY_RANK[scenario.severity];
  const given = session.response;
  let recovery = recoveryBefore;
  const needed = neededAudiences(scenario.severity, scenario.radius, scenario.right);
  const informed = new Set<Audience>();
  const sentKeys = new Set<string>();
  let alarm = false;
  let falseBlockers = 0;
  let redundant = 0;
  let messageCost = 0;
  session.messages.forEach((m, index) => {
    const key = `${m.audience}|${m.content}|${m.severity ?? ''}|${m.radius ?? ''}`;
    const isRedundant = sentKeys.has(key);
    sentKeys.add(key);
    let effect: string;
    let value = 0;
    if (index >= MESSAGE_BUDGET) messageCost += 0.5;
    if (isRedundant) {
      redundant++;
      messageCost += 0.25;
      effect = 'redundant_communication';
      value = -0.02;
    } else if (m.content === 'blocker') {
      if (scenario.owner === 'outside' && s >= 1) {
        if (m.audience !== 'po') informed.add(m.audience);
        effect = 'blocker_reported';
        value = 0.05;
      } else {
        falseBlockers++;
        effect = 'false_blocker';
        value = -0.05;
      }
    } else if (m.content === 'assessment') {
      const over = m.severity !== undefined && SEVERITY_RANK[m.severity] - s >= 2;
      const under = m.severity !== undefined && s - SEVERITY_RANK[m.severity] >= 2;
      if (over) {
        alarm = true;
        effect = 'alarm_spread';
        value = -0.05;
      } else if (under) {
        effect = 'understated_assessment';
        value = -0.03;
      } else if (!needed.includes(m.audience)) {
        effect = 'unneeded_audience';
        value = -0.01;
      } else {
        effect = informed.has(m.audience) ? 'assessment_updated' : 'informed_stakeholder';
        value = 0.04;
      }
      if (!under) informed.add(m.audience);
    } else {
      // A status report: something to report only once there are findings.
      const hasFindings = session.findings.some((f) => f.step < m.step && f.value !== null);
      if (hasFindings && needed.includes(m.audience)) {
        informed.add(m.audience);
        effect = 'status_shared';
        value = 0.02;
      } else {
        effect = 'trivia_status';
        value = -0.02;
      }
    }
    links.push({ step: m.step, effect, target: `${m.audience}:${m.content}`, value, note: `told the ${m.audience} ${m.content}` });
  });
  let coordination = messageCost + (alarm ? 2.5 : 0) + falseBlockers;
  let slack = scenario.slack;
  const uninformed: Audience[] = [];
  for (const audience of needed) {
    if (informed.has(audience)) continue;
    // Escalating informs the lead, if coldly.
    if (audience === 'lead' && given === 'escalate') {
      recovery = Math.min(RECOVERY_CAP, recovery + 2);
    } else if (audience === 'team') coordination += 1.5;
    else if (audience === 'po') {
      coordination += 2;
      slack -= 2;
    } else coordination += 2;
    uninformed.push(audience);
    links.push({
      step: -1,
      effect: 'stakeholder_uninformed',
      target: audience,
      value: -0.05,
      note: `the ${audience} needed the assessment and did not get it`,
    });
  }
  return { needed, informed, uninformed, alarm, falseBlockers, redundant, coordination, slack, recovery };
}

/** The response's link (right or wrong; an episode link when none came), and one for reacting before rating severity. */
export function responseLinks(session: TriageSession, note: string, links: DecisionLink[]): void {
  const right = session.scenario.right;
  const given = session.response;
  if (given === undefined) links.push({ step: -1, effect: 'no_response', value: -0.3, note });
  else {
    links.push({
      step: session.responseStep,
      effect: given === right ? 'response_right' : 'response_wrong',
      target: given,
      value: given === right ? 0.3 : -0.3,
      note: `${given} when ${right} was right: ${note}`,
    });
    const assessedFirst = session.severityAssessments.some((a) => a.step < session.responseStep);
    if (!assessedFirst)
      links.push({
        step: session.responseStep,
        effect: 'reacted_before_assessing',
        value: -0.05,
        note: 'responded without rating severity',
      });
  }
}

/** Each severity rating, then each blast-radius rating, against the truth (earlier ratings count half). */
export function ratingLinks(session: TriageSession, links: DecisionLink[]): void {
  const scenario = session.scenario;
  const s = SEVERITY_RANK[scenario.severity];
  const r = RADIUS_RANK[scenario.radius];
  session.severityAssessments.forEach((a, i) => {
    const d = SEVERITY_RANK[a.value] - s;
    const last = i === session.severityAssessments.length - 1;
    links.push({
      step: a.step,
      effect: d === 0 ? 'severity_accurate' : d > 0 ? 'severity_over' : 'severity_under',
      target: a.value,
      value: (d === 0 ? 0.1 : -0.05 * Math.abs(d)) * (last ? 1 : 0.5),
      note: `rated ${a.value}; the true severity was ${scenario.severity}`,
    });
  });
  session.radiusAssessments.forEach((a, i) => {
    const d = RADIUS_RANK[a.value] - r;
    const last = i === session.radiusAssessments.length - 1;
    links.push({
      step: a.step,
      effect: d === 0 ? 'radius_accurate' : d > 0 ? 'radius_wider' : 'radius_narrower',
      target: a.value,
      value: (d === 0 ? 0.1 : -0.05 * Math.abs(d)) * (last ? 1 : 0.5),
      note: `rated ${a.value}; the true blast radius was ${scenario.radius}`,
    });
  });
}

/** Each investigation: past the budget excess; within it nothing new, evidence found, or misleading evidence. */
export function investigationLinks(session: TriageSession, links: DecisionLink[]): void {
  let index = 0;
  for (const f of session.findings) {
    index++;
    if (index > INVESTIGATION_BUDGET)
      links.push({
        step: f.step,
        effect: 'excess_investigation',
        target: f.area,
        value: -0.03,
        note: `investigation ${index} past ${INVESTIGATION_BUDGET}`,
      });
    else if (f.value === null) links.push({ step: f.step, effect: 'nothing_new', target: f.area, value: -0.02, note: f.text });
    else
      links.push({
        step: f.step,
        effect: f.correct ? 'evidence_found' : 'evidence_misleading',
        target: f.area,
        value: f.correct ? 0.02 : 0,
        note: f.text,
      });
  }
}

/** Calibration (B-30): the Brier score over every stated confidence — severity ratings, radius ratings, the response. */
export function calibration(session: TriageSession): { stated: number; brier: number } {
  const scenario = session.scenario;
  const given = session.response;
  const tally = new BrierTally();
  for (const a of session.severityAssessments) tally.add(a.confidence, a.value === scenario.severity);
  for (const a of session.radiusAssessments) tally.add(a.confidence, a.value === scenario.radius);
  if (given !== undefined) tally.add(session.responseConfidence, given === scenario.right);
  return { stated: tally.stated, brier: tally.sum };
}

/** The episode's outcome: facts, the six components and the decision links. */
export function triageOutcome(session: TriageSession): EpisodeResult<TriageFacts> {
  const links: DecisionLink[] = [];
  const scenario = session.scenario;
  const s = SEVERITY_RANK[scenario.severity];
  const right = scenario.right;
  const given = session.response;
  const daysLeft = scenario.daysLeft;
  const rates = damageRates(scenario);
  const effect = responseEffect(session, rates);
  const execution = scopedExecution(session, rates, effect);
  const { waste, health, rework, swarm, blindCost, reaction, damage } = execution;
  const sevDiff = execution.severityDifference;
  const radDiff = execution.radiusDifference;
  const communicated = communication(session, execution.recovery, links);
  const { needed, informed, uninformed, coordination, slack, recovery } = communicated;

  const lost = session.hours + waste + swarm + blindCost + damage + coordination;
  const goalKept = given !== undefined && lost <= slack;
  const sevMiss = sevDiff !== 0;
  const radMiss = radDiff !== 0;
  const responseWrong = given !== right;
  const iterations = 1 + (sevMiss ? 1 : 0) + (radMiss ? 1 : 0) + (responseWrong ? 1 : 0);
  const budget = 12 + 2 * daysLeft;
  const components: OutcomeComponents = {
    story_accepted: goalKept ? 1 : 0,
    tests_passing: clamp01(health),
    low_iteration_count: clamp01(1 - (iterations - 1) / 3),
    velocity_maintained: clamp01(1 - lost / budget),
    low_rework: clamp01(1 - 0.5 * rework),
    coverage_threshold: clamp01(1 - recovery / RECOVERY_CAP),
  };

  responseLinks(session, effect.note, links);
  ratingLinks(session, links);
  investigationLinks(session, links);
  const { stated, brier } = calibration(session);

  const firstSeverity = session.severityAssessments[0];
  const investigatedBeforeSeverity =
    firstSeverity !== undefined && session.findings.some((f) => f.area === 'impact' && f.value !== null && f.step < firstSeverity.step);
  return {
    facts: {
      disturbance: scenario.type,
      trueSeverity: scenario.severity,
      trueRadius: scenario.radius,
      owner: scenario.owner,
      daysLeft,
      rightResponse: right,
      response: given ?? 'none',
      responseRight: given === right,
      responseConfidence: session.responseConfidence ?? -1,
      noResponse: given === undefined,
      assessedSeverity: execution.assessedSeverity ?? 'none',
      assessedRadius: execution.assessedRadius ?? 'none',
      severityAccurate: sevDiff === 0,
      severityError: sevDiff ?? -9,
      radiusAccurate: radDiff === 0,
      radiusError: radDiff ?? -9,
      severityAssessments: session.severityAssessments.length,
      radiusAssessments: session.radiusAssessments.length,
      reactedBeforeAssessing: given !== undefined && !session.severityAssessments.some((a) => a.step < session.responseStep),
      investigatedBeforeSeverity,
      investigations: session.investigations,
      excessInvestigation: session.excessInvestigation,
      impactInvestigated: session.looks.impact > 0,
      spreadInvestigated: session.looks.spread > 0,
      ownershipInvestigated: session.looks.ownership > 0,
      messages: session.messages.length,
      neededAudiences: needed.join(','),
      informedAudiences: needed.filter((a) => informed.has(a)).join(','),
      neededInformed: needed.filter((a) => informed.has(a)).length,
      neededCount: needed.length,
      uninformed: uninformed.join(','),
      blockerExists: scenario.owner === 'outside' && s >= 1,
      blockerReported: session.messages.some((m) => m.content === 'blocker') && scenario.owner === 'outside' && s >= 1,
      falseBlockers: communicated.falseBlockers,
      alarmSpread: communicated.alarm,
      redundantMessages: communicated.redundant,
      swarmHours: swarm,
      reactionHours: round3(reaction),
      recoveryHours: round3(recovery),
      damageHours: round3(damage),
      wasteHours: round3(waste),
      coordinationHours: round3(coordination),
      lostHours: round3(lost),
      slackHours: round3(slack),
      budgetHours: budget,
      goalKept,
      storyAccepted: goalKept,
      systemHealth: round3(health),
      reworkCount: rework,
      iterations,
      velocityEffect: round3(components.velocity_maintained - 1),
      confidenceStatements: stated,
      calibrationBrier: stated > 0 ? round3(brier / stated) : -1,
    },
    components,
    links,
  };
}
