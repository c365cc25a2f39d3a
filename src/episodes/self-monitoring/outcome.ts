/**
 * The outcome of a self-monitoring episode, computed on a checkpoint decision (or at the turn limit
 * with no decision), in team hours lost against a budget of 6 hours per day left:
 *
 * - `checkpointConsequence`: the right decision finishes the story — continue lands the fix only if
 *   the real issue was named first (otherwise the issue stays in place; it is found late 65% of the
 *   time and the story then makes it 80% of the time); pivot discards work (10 h, one rework) and
 *   repeats the flaw half the time unless the issue was named; escalate waits on the expert, longer
 *   and less surely when the escalation names no issue. A wrong decision burns days: continuing a
 *   doomed or blocked approach fails the story (20 h), an unneeded pivot throws away converging work
 *   (16 h), escalating trivia wastes the expert's time (20 h unnamed, 8 h named);
 * - `suspectNaming` and `estimateChanges`: each wrong suspect named costs a fix attempt (6 h, one
 *   iteration); each change of the stated estimate 2 h;
 * - `progressReport`: the last progress assessment against the true state — an honest one lets the
 *   team replan (-4 h when behind or stuck), an optimistic one blows the sprint plan (+8 h), a
 *   pessimistic one causes needless replanning (+2 h), none leaves the team unwarned (+4 h when
 *   behind or stuck);
 * - `investigationLinks`, `calibration`, `firstStuckSignal` and `gapDiagnosis`: the links of the
 *   investigation, the Brier score of the stated confidences (B-30), when "stuck" was first
 *   signalled, and the class of gap the decision implies against the true one (B-10 / B-12).
 *
 * Investigation hours count too: research 2 h, reread 1 h, a statement 0.25 h (charged as the
 * candidate acts). `selfMonitoringOutcome` combines the parts into the facts, the six components —
 * story_accepted (accepted this sprint), tests_passing (final pass fraction: 1 when accepted),
 * low_iteration_count (1 - (iterations - 1) / 4), velocity_maintained (1 - lost hours / budget
 * hours), low_rework (1 - 0.5 per rework: a pivot, continuing after naming the wrong suspect),
 * coverage_threshold (1 when accepted, else the final pass fraction; 1 at >= 0.8) — and the links.
 */
import type { DecisionLink, EpisodeResult } from '../../core/episode.js';
import { clamp01, round1, round3 } from '../../core/numbers.js';
import type { OutcomeComponents } from '../../spec/reward.js';
import { BrierTally } from '../common.js';
import type { Scenario, Suspect } from './scenario.js';
import {
  type DecidedGap,
  type Decision,
  ESTIMATE_ORDER,
  type Estimate,
  type FindingAction,
  type GapClass,
  type IssueCategory,
  type Relevance,
  type ResolutionHint,
  type SelfMonitoringFacts,
} from './types.js';

/** Hours per research action. */
export const HOURS_RESEARCH = 2;
/** Hours per requirements reread. */
export const HOURS_REREAD = 1;
/** Hours per assessment or identification (writing it up, telling the team). */
export const HOURS_STATEMENT = 0.25;
/** Hours of a fix attempt on a wrongly named suspect. */
export const HOURS_WRONG_FIX = 6;
/** Hours of replanning when the stated estimate changes. */
export const HOURS_ESTIMATE_CHANGE = 2;
/** Investigative actions (research + reread) before each one costs double. */
export const INVESTIGATION_BUDGET = 4;

/** What one research or reread found (world state). */
export interface Finding {
  step: number;
  action: FindingAction;
  suspect: number;
  relevance?: Relevance;
  resolutionHint?: ResolutionHint;
  text: string;
}

/** An assertion the candidate made, with its stated confidence when there was one. */
export interface Statement {
  step: number;
  confidence?: number;
}

export type Assessment = Statement & { estimate: Estimate };
export type Identification = Statement & { suspect: number };

/** Everything the outcome depends on: the drawn scenario and what the candidate did. */
export interface Checkpoint {
  scenario: Scenario;
  findings: readonly Finding[];
  /** Research actions per suspect. */
  researchCount: readonly number[];
  rereads: number;
  investigative: number;
  /** Investigation and statement hours charged so far. */
  hours: number;
  excessInvestigation: number;
  assessments: readonly Assessment[];
  identifications: readonly Identification[];
  decision: Decision | undefined;
  decisionStep: number;
  decisionConfidence: number | undefined;
  rootRevealed: boolean;
  resolutionRevealed: boolean;
}

/** The real (planted) issue. */
export function realSuspect(scenario: Scenario): Suspect {
  return scenario.suspects[scenario.real] as Suspect;
}

/** The right checkpoint decision: the real issue's resolution. */
export function rightDecision(scenario: Scenario): Decision {
  return realSuspect(scenario).resolution;
}

/** The class of gap behind a resolution (B-10 / B-12 diagnosis). */
export function gapClass(category: IssueCategory, resolution: Decision): GapClass {
  if (resolution === 'pivot') return 'wrong_approach';
  if (resolution === 'escalate')
    return category === 'external_blocker' || category === 'dependency_mismatch' ? 'external_blocker' : 'expert_required';
  return category === 'knowledge_gap' || category === 'dependency_mismatch' ? 'researchable' : 'fixable_bug';
}

/** Who the candidate named: the last identification, whether it is the real issue, and how many wrong suspects were named. */
export interface Naming {
  lastId: Identification | undefined;
  identified: boolean;
  wrongId: boolean;
  /** Distinct wrong suspects named: each sent the team on a fix attempt that could not work. */
  wrongNamed: number;
}

/** The identifications against the real issue. */
export function suspectNaming(state: Checkpoint): Naming {
  const real = state.scenario.real;
  const lastId = state.identifications[state.identifications.length - 1];
  return {
    lastId,
    identified: lastId !== undefined && lastId.suspect === real,
    wrongId: lastId !== undefined && lastId.suspect !== real,
    wrongNamed: new Set(state.identifications.filter((i) => i.suspect !== real).map((i) => i.suspect)).size,
  };
}

/** Changes of the stated estimate from one assessment to the next: each makes the team replan. */
export function estimateChanges(assessments: readonly Assessment[]): number {
  let changes = 0;
  for (let i = 1; i < assessments.length; i++)
    if ((assessments[i] as Assessment).estimate !== (assessments[i - 1] as Assessment).estimate) changes++;
  return changes;
}

/** The consequence of the checkpoint decision: hours lost, test-fix iterations, acceptance chance. */
export interface Consequence {
  hours: number;
  iterations: number;
  pAccept: number;
  /** Final pass fraction when the story is not accepted. */
  testsIfRejected: number;
  note: string;
}

/** The checkpoint decision's consequence and what it says about the work (rework, a fix landed, the issue left in place). */
export interface CheckpointResult {
  consequence: Consequence;
  rework: number;
  issueLeftInPlace: boolean;
  fixLanded: boolean;
  repeatedFlaw: boolean;
}

/** What the checkpoint decision leads to, given the real issue's resolution and whether it was named. */
export function checkpointConsequence(state: Checkpoint, named: Naming): CheckpointResult {
  const scenario = state.scenario;
  const right = rightDecision(scenario);
  const real = realSuspect(scenario);
  const decision = state.decision;
  const { identified, wrongId } = named;
  const fate = scenario.downstream;
  const passNow = scenario.testsPassing / scenario.testsTotal;
  /** Pass fraction if everything but the real issue gets fixed. */
  const passWithIssue = clamp01((scenario.testsTotal - real.failingTestsExplained) / scenario.testsTotal);
  let rework = 0;
  let issueLeftInPlace = false;
  let fixLanded = false;
  let repeatedFlaw = false;
  let consequence: Consequence;

  if (decision === undefined) {
    consequence = {
      hours: 20,
      iterations: 5,
      pAccept: 0,
      testsIfRejected: passNow,
      note: 'no checkpoint decision: the work drifted past the checkpoint',
    };
  } else if (decision === right && decision === 'continue') {
    if (identified) {
      fixLanded = true;
      const iterations = fate.extraIteration < 0.3 ? 2 : 1;
      consequence = {
        hours: 2 * iterations,
        iterations,
        pAccept: 1,
        testsIfRejected: 1,
        note: 'the fix for the named issue landed; the approach converged',
      };
    } else {
      issueLeftInPlace = true;
      if (wrongId) rework++;
      consequence =
        fate.latent < 0.65
          ? {
              hours: 10,
              iterations: 3,
              pAccept: 0.8,
              testsIfRejected: passWithIssue,
              note: 'the real issue was found late, after more failed iterations',
            }
          : {
              hours: 18,
              iterations: 5,
              pAccept: 0,
              testsIfRejected: passWithIssue,
              note: 'the real issue stayed in place; the tests it explains still fail',
            };
    }
  } else if (decision === right && decision === 'pivot') {
    rework++;
    if (identified)
      consequence = { hours: 10, iterations: 2, pAccept: 0.85, testsIfRejected: passNow, note: 'the new approach avoids the named flaw' };
    else if (fate.repeat < 0.5) {
      repeatedFlaw = true;
      consequence = { hours: 18, iterations: 4, pAccept: 0, testsIfRejected: passNow, note: 'the new approach repeated the unnamed flaw' };
    } else
      consequence = {
        hours: 10,
        iterations: 3,
        pAccept: 0.7,
        testsIfRejected: passNow,
        note: 'the new approach happened to avoid the flaw',
      };
  } else if (decision === right) {
    consequence = identified
      ? { hours: 4, iterations: 2, pAccept: 0.9, testsIfRejected: passNow, note: 'a precise escalation got the blocker cleared quickly' }
      : {
          hours: 12,
          iterations: 3,
          pAccept: 0.5,
          testsIfRejected: passNow,
          note: 'a vague escalation: the expert had to diagnose first',
        };
  } else if (decision === 'continue') {
    consequence = {
      hours: 20,
      iterations: 5,
      pAccept: 0,
      testsIfRejected: passWithIssue,
      note: right === 'pivot' ? 'continued an approach that cannot converge' : 'continued against an external blocker',
    };
  } else if (decision === 'pivot') {
    rework++;
    consequence =
      right === 'continue'
        ? { hours: 16, iterations: 4, pAccept: 0.2, testsIfRejected: passNow, note: 'pivoted away from work that was converging' }
        : { hours: 18, iterations: 4, pAccept: 0, testsIfRejected: passNow, note: 'the new approach hit the same external blocker' };
  } else if (right === 'continue') {
    consequence = identified
      ? {
          hours: 8,
          iterations: 3,
          pAccept: 0.4,
          testsIfRejected: passWithIssue,
          note: 'escalated a named issue the team could fix: the expert confirmed it',
        }
      : {
          hours: 20,
          iterations: 5,
          pAccept: 0.1,
          testsIfRejected: passNow,
          note: 'escalated trivia: the expert had to find what the team could fix',
        };
  } else {
    rework++;
    consequence = {
      hours: 14,
      iterations: 4,
      pAccept: 0.2,
      testsIfRejected: passNow,
      note: 'escalated; the expert said the approach cannot work, so the pivot came late',
    };
  }
  return { consequence, rework, issueLeftInPlace, fixLanded, repeatedFlaw };
}

/** The checkpoint decision's link: right, wrong, or missed (an episode link when no decision came). */
export function checkpointLink(state: Checkpoint, note: string, links: DecisionLink[]): void {
  const decision = state.decision;
  const right = rightDecision(state.scenario);
  if (decision === undefined) {
    links.push({ step: -1, effect: 'checkpoint_missed', value: -0.3, note });
  } else {
    links.push({
      step: state.decisionStep,
      effect: decision === right ? 'checkpoint_right' : 'checkpoint_wrong',
      target: decision,
      value: decision === right ? 0.3 : -0.3,
      note: `${decision} when ${right} was right: ${note}`,
    });
  }
}

/** The last identification's link: the real issue named (worth more when the fix landed) or a wrong one. */
export function namingLink(state: Checkpoint, named: Naming, fixLanded: boolean, links: DecisionLink[]): void {
  const { lastId, identified } = named;
  if (!lastId) return;
  const real = realSuspect(state.scenario);
  const wrongFix = named.wrongNamed > 0;
  links.push({
    step: lastId.step,
    effect: identified ? 'issue_identified' : 'wrong_issue',
    target: `suspect_${lastId.suspect}`,
    value: identified ? (fixLanded ? 0.2 : 0.05) : wrongFix ? -0.1 : -0.02,
    note: identified
      ? `named the real issue: ${real.category}`
      : `named ${(state.scenario.suspects[lastId.suspect] as Suspect).category}; the real issue was ${real.category}`,
  });
}

export interface ProgressReport {
  lastAssessment: Assessment | undefined;
  assessed: Estimate | undefined;
  matched: boolean;
  optimistic: boolean;
  pessimistic: boolean;
  replanned: boolean;
  /** The hours lost after the team replans from the report. */
  lost: number;
}

/**
 * The last assessment against the true state, with its link: the team replans from it. An honest one
 * saves 4 h when behind or stuck, an optimistic one costs 8 h, a pessimistic one 2 h, none 4 h when
 * behind or stuck.
 */
export function progressReport(state: Checkpoint, lostBefore: number): ProgressReport {
  const trueState = state.scenario.trueState;
  let lost = lostBefore;
  const lastAssessment = state.assessments[state.assessments.length - 1];
  const assessed = lastAssessment?.estimate;
  const matched = assessed === trueState;
  const optimistic = assessed !== undefined && ESTIMATE_ORDER[assessed] < ESTIMATE_ORDER[trueState];
  const pessimistic = assessed !== undefined && ESTIMATE_ORDER[assessed] > ESTIMATE_ORDER[trueState];
  let replanned = false;
  if (assessed === undefined) {
    if (trueState !== 'on_track') lost += 4;
  } else if (matched) {
    if (trueState !== 'on_track') {
      replanned = true;
      lost = Math.max(0, lost - 4);
    }
  } else if (optimistic) lost += 8;
  else lost += 2;
  return { lastAssessment, assessed, matched, optimistic, pessimistic, replanned, lost };
}

/** The last assessment's link: matched (worth more when it let the team replan), optimistic or pessimistic. */
export function assessmentLink(state: Checkpoint, report: ProgressReport, links: DecisionLink[]): void {
  const { lastAssessment, matched, optimistic, replanned } = report;
  if (!lastAssessment) return;
  links.push({
    step: lastAssessment.step,
    effect: matched ? 'assessment_matched' : optimistic ? 'assessment_optimistic' : 'assessment_pessimistic',
    target: lastAssessment.estimate,
    value: matched ? (replanned ? 0.05 : 0.01) : optimistic ? -0.1 : -0.03,
    note: `assessed ${lastAssessment.estimate}; the true state was ${state.scenario.trueState}`,
  });
}

/** Links of the investigation, in order: past the budget each is excess; within it, evidence on the real issue counts. */
export function investigationLinks(state: Checkpoint, links: DecisionLink[]): void {
  let investigationIndex = 0;
  for (const f of state.findings) {
    investigationIndex++;
    if (investigationIndex > INVESTIGATION_BUDGET) {
      links.push({
        step: f.step,
        effect: 'excess_investigation',
        value: -0.03,
        note: `investigative action ${investigationIndex} past ${INVESTIGATION_BUDGET}`,
      });
    } else if (f.suspect === state.scenario.real && (f.relevance === 'strong' || f.relevance === 'weak')) {
      links.push({ step: f.step, effect: 'evidence_on_real_issue', target: `suspect_${f.suspect}`, value: 0.02, note: f.text });
    }
  }
}

/** Calibration (B-30): the Brier score over every stated confidence — assessments, identifications, the decision. */
export function calibration(state: Checkpoint): { stated: number; brierSum: number } {
  const scenario = state.scenario;
  const decision = state.decision;
  const brier = new BrierTally();
  for (const a of state.assessments) brier.add(a.confidence, a.estimate === scenario.trueState);
  for (const i of state.identifications) brier.add(i.confidence, i.suspect === scenario.real);
  if (decision !== undefined) brier.add(state.decisionConfidence, decision === rightDecision(scenario));
  return { stated: brier.stated, brierSum: brier.sum };
}

/** Step of the first action that signals "stuck": a stuck assessment, a pivot or an escalation. */
export function firstStuckSignal(state: Checkpoint): number {
  let first = -1;
  for (const a of state.assessments) if (a.estimate === 'stuck' && (first < 0 || a.step < first)) first = a.step;
  if (state.decision !== undefined && state.decision !== 'continue' && (first < 0 || state.decisionStep < first))
    first = state.decisionStep;
  return first;
}

/** The class of gap behind the real issue, the class the decision implies, and whether they agree. */
export function gapDiagnosis(state: Checkpoint): { trueGap: GapClass; decidedGap: DecidedGap; gapRight: boolean } {
  const decision = state.decision;
  const trueGap = gapClass(realSuspect(state.scenario).category, rightDecision(state.scenario));
  const decidedGap: DecidedGap =
    decision === undefined
      ? 'none'
      : decision === 'pivot'
        ? 'wrong_approach'
        : decision === 'escalate'
          ? 'outside_help'
          : 'fixable_in_team';
  const gapRight =
    decision !== undefined &&
    (decision === 'continue'
      ? trueGap === 'researchable' || trueGap === 'fixable_bug'
      : decision === 'pivot'
        ? trueGap === 'wrong_approach'
        : trueGap === 'expert_required' || trueGap === 'external_blocker');
  return { trueGap, decidedGap, gapRight };
}

/** The episode's outcome: facts, the six components and the decision links. */
export function selfMonitoringOutcome(state: Checkpoint): EpisodeResult<SelfMonitoringFacts> {
  const links: DecisionLink[] = [];
  const scenario = state.scenario;
  const right = rightDecision(scenario);
  const real = realSuspect(scenario);
  const decision = state.decision;
  const named = suspectNaming(state);
  const { lastId, identified } = named;
  const budget = scenario.daysLeft * 6;
  const failing = scenario.testsTotal - scenario.testsPassing;
  const wrongFix = named.wrongNamed > 0;

  let lost = state.hours + HOURS_WRONG_FIX * named.wrongNamed + HOURS_ESTIMATE_CHANGE * estimateChanges(state.assessments);
  const { consequence, rework, issueLeftInPlace, fixLanded, repeatedFlaw } = checkpointConsequence(state, named);
  lost += consequence.hours;
  const iterations = Math.min(5, consequence.iterations + named.wrongNamed);
  const accepted = scenario.downstream.accept < consequence.pAccept;
  const testsFinal = accepted ? 1 : consequence.testsIfRejected;

  const report = progressReport(state, lost);
  lost = report.lost;
  const { lastAssessment, assessed, matched, optimistic, pessimistic, replanned } = report;

  const velocity = clamp01(1 - lost / budget);
  const coverage = accepted ? 1 : clamp01(testsFinal);
  const components: OutcomeComponents = {
    story_accepted: accepted ? 1 : 0,
    tests_passing: clamp01(testsFinal),
    low_iteration_count: clamp01(1 - (iterations - 1) / 4),
    velocity_maintained: velocity,
    low_rework: clamp01(1 - 0.5 * rework),
    coverage_threshold: coverage >= 0.8 ? 1 : coverage,
  };

  checkpointLink(state, consequence.note, links);
  namingLink(state, named, fixLanded, links);
  assessmentLink(state, report, links);
  investigationLinks(state, links);

  const { stated, brierSum } = calibration(state);
  const firstStuckStep = firstStuckSignal(state);
  const researched = state.researchCount.reduce((a, b) => a + b, 0);
  const { trueGap, decidedGap, gapRight } = gapDiagnosis(state);
  return {
    facts: {
      decision: decision ?? 'none',
      rightDecision: right,
      decisionRight: decision === right,
      decisionConfidence: state.decisionConfidence ?? -1,
      checkpointMissed: decision === undefined,
      realSuspect: scenario.real,
      realCategory: real.category,
      identifiedSuspect: lastId?.suspect ?? -1,
      plantedIssueFound: identified,
      identifyConfidence: lastId?.confidence ?? -1,
      identifications: state.identifications.length,
      wrongFixAttempted: wrongFix,
      issueLeftInPlace,
      fixLanded,
      repeatedFlaw,
      trueState: scenario.trueState,
      assessedState: assessed ?? 'none',
      assessmentMatched: matched,
      assessmentOptimistic: optimistic,
      assessmentPessimistic: pessimistic,
      assessmentConfidence: lastAssessment?.confidence ?? -1,
      assessments: state.assessments.length,
      replanned,
      plannedProgress: scenario.plannedProgress,
      trueProgress: round3(scenario.trueProgress),
      progressOverstatement: round3(scenario.plannedProgress - scenario.trueProgress),
      confidenceStatements: stated,
      calibrationBrier: stated > 0 ? round3(brierSum / stated) : -1,
      stuckTrue: scenario.trueState === 'stuck',
      stuckDetected: scenario.trueState === 'stuck' && firstStuckStep >= 0,
      stuckDetectionStep: firstStuckStep,
      attemptsWithoutProgress: scenario.attemptsWithoutProgress,
      escalated: decision === 'escalate',
      escalationNeeded: right === 'escalate',
      escalationAppropriate: (decision === 'escalate') === (right === 'escalate') && decision !== undefined,
      unnecessaryEscalation: decision === 'escalate' && right !== 'escalate',
      gapCategory: trueGap,
      gapCategorized: decidedGap,
      gapCategorizationRight: gapRight,
      gapResearched: (state.researchCount[scenario.real] as number) > 0 || (real.category === 'requirements_misread' && state.rereads > 0),
      requirementsMisread: real.category === 'requirements_misread',
      rereadRequirements: state.rereads > 0,
      researchActions: researched,
      researchedRealSuspect: (state.researchCount[scenario.real] as number) > 0,
      investigativeActions: state.investigative,
      excessInvestigation: state.excessInvestigation,
      rootCauseRevealed: state.rootRevealed,
      resolutionRevealed: state.resolutionRevealed,
      actionsUsed: state.findings.length + state.assessments.length + state.identifications.length + (decision ? 1 : 0),
      storyAccepted: accepted,
      iterations,
      reworkCount: rework,
      lostHours: round1(lost),
      budgetHours: budget,
      velocityEffect: round3(velocity - 1),
      testsPassingFinal: round3(testsFinal),
      failingTestsAtCheckpoint: failing,
    },
    components,
    links,
  };
}
