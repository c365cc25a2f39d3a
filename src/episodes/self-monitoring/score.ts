/**
 * Behavior codes scored on self_monitoring (E-1.4) traces: B-09 progress calibration, B-10 stuck
 * detection, B-12 knowing your limits. B-11 (error diagnosis) and B-30 (confidence calibration,
 * cross-episode: it reads the `calibrationBrier` / `confidenceStatements` facts over a window) are
 * not scored here.
 *
 * Evidence, structured only: the candidate's actions (assess_progress, identify_issue, research,
 * reread_requirements, checkpoint_*) with their stated confidences, the links the episode attaches
 * (checkpoint_right/wrong/missed, assessment_matched/optimistic/pessimistic, issue_identified /
 * wrong_issue), the outcome facts and the hidden truth (true state, real suspect, right decision).
 * One pass over the decisions. Formulas and stand-ins: docs/reward.md.
 */

import { clamp01 } from '../../core/numbers.js';
import { type CodeScore, codeScore, judgeSignal, type PerformativeRules, type ScoreContext, type SignalValue } from '../../core/scorer.js';
import type { DecisionRecord, Trace } from '../../core/trace.js';
import { AssertionTally } from '../common.js';
import { INVESTIGATION_BUDGET } from './outcome.js';
import { type Decision, ESTIMATE_ORDER, type Estimate, type SelfMonitoringFacts, type SelfMonitoringHidden } from './types.js';
import { RESEARCH_DEPTH } from './world.js';

type SelfMonitoringTrace = Trace<SelfMonitoringFacts, SelfMonitoringHidden>;

/** What one pass over the decisions collects. */
interface Walk {
  /** Valid assess_progress decisions, in order. */
  assessments: { id: string; estimate: Estimate }[];
  /** Decision id of the checkpoint decision (continue / pivot / escalate); undefined when missed. */
  checkpointId: string | undefined;
  /** Ids of every assertion (assessment, identification, checkpoint). */
  assertionIds: string[];
  /** Ids of research / reread decisions on the real issue. */
  realEvidenceIds: string[];
  /** Assertions scored for calibration (unhedged ones count as confidence 1). */
  calibration: AssertionTally;
  /** Non-productive decisions before the first stuck signal (only counted when the state is stuck). */
  wasted: number;
  wastedIds: string[];
  /** Decisions over the whole episode that could bring no new information (see `waste`). */
  idle: number;
  idleIds: string[];
  /** Id of the decision that first signalled stuck (stuck assessment, pivot or escalation). */
  detectionId: string | undefined;
  /** Whether the candidate itself said "stuck" in some assessment. */
  saidStuck: boolean;
}

function walk(trace: SelfMonitoringTrace, trueState: Estimate, realSuspect: number, rightDecision: Decision): Walk {
  const w: Walk = {
    assessments: [],
    checkpointId: undefined,
    assertionIds: [],
    realEvidenceIds: [],
    calibration: new AssertionTally(),
    wasted: 0,
    wastedIds: [],
    idle: 0,
    idleIds: [],
    detectionId: undefined,
    saidStuck: false,
  };
  const stuck = trueState === 'stuck';
  const researched = [0, 0, 0, 0];
  let rereads = 0;
  let investigative = 0;
  for (const d of trace.decisions) {
    const a = d.action;
    // An action that cannot bring new information (invalid, research past what it can find, a repeated
    // reread, investigation past the budget, a fix attempt on a wrong suspect, a third assessment) is an idle iteration;
    // before the first stuck signal, so is an assessment that does not say stuck while stuck.
    let waste = !d.valid;
    let idle = !d.valid;
    if (d.valid) {
      switch (a.type) {
        case 'assess_progress': {
          const estimate = a.args?.estimate as Estimate;
          w.assessments.push({ id: d.id, estimate });
          w.assertionIds.push(d.id);
          w.calibration.add(a.confidence, estimate === trueState);
          if (w.assessments.length > 2) idle = true; // checking constantly
          if (estimate === 'stuck') {
            w.saidStuck = true;
            if (w.detectionId === undefined) w.detectionId = d.id;
          } else waste = true; // claiming progress (or just slowness) while stuck
          break;
        }
        case 'identify_issue': {
          const suspect = a.args?.suspect as number;
          w.assertionIds.push(d.id);
          w.calibration.add(a.confidence, suspect === realSuspect);
          if (suspect !== realSuspect) waste = idle = true; // a fix attempt on the wrong suspect
          break;
        }
        case 'research': {
          const topic = a.args?.topic as number;
          investigative++;
          const n = (researched[topic] ?? 0) + 1;
          researched[topic] = n;
          if (n > RESEARCH_DEPTH || investigative > INVESTIGATION_BUDGET) waste = idle = true;
          if (topic === realSuspect) w.realEvidenceIds.push(d.id);
          break;
        }
        case 'reread_requirements': {
          investigative++;
          rereads++;
          if (rereads > 1 || investigative > INVESTIGATION_BUDGET) waste = idle = true;
          // A reread is evidence on the real issue when the real issue is a misread requirement.
          if (trace.outcome.requirementsMisread) w.realEvidenceIds.push(d.id);
          break;
        }
        case 'checkpoint_continue':
        case 'checkpoint_pivot':
        case 'checkpoint_escalate': {
          const decision = a.type.slice('checkpoint_'.length);
          w.checkpointId = d.id;
          w.assertionIds.push(d.id);
          w.calibration.add(a.confidence, decision === rightDecision);
          if (decision !== 'continue' && w.detectionId === undefined) w.detectionId = d.id;
          waste = false;
          break;
        }
      }
    }
    if (idle) {
      w.idle++;
      w.idleIds.push(d.id);
    }
    if (stuck && waste && w.detectionId === undefined) {
      w.wasted++;
      w.wastedIds.push(d.id);
    }
  }
  return w;
}

/** B-09: does the candidate's stated progress match the true state, and is the checkpoint call right? */
function progressCalibration(trace: SelfMonitoringTrace, context: ScoreContext, w: Walk, rightDecision: Decision): CodeScore {
  const f = trace.outcome;
  const trueState = f.trueState;
  const last = w.assessments[w.assessments.length - 1];
  const decision = f.decision;
  let accuracy = 0;
  let honesty = 0;
  let reason: string;
  if (last === undefined) {
    reason = `never assessed progress (true state ${trueState})`;
  } else {
    const diff = ESTIMATE_ORDER[last.estimate] - ESTIMATE_ORDER[trueState];
    if (diff === 0) {
      accuracy = 1;
      honesty = 1;
    } else if (diff < 0) {
      accuracy = 0;
      honesty = 0;
    } else {
      // Pessimistic: not the optimism the code warns against, but still a miscalibrated report.
      accuracy = diff === 1 ? 0.3 : 0.1;
      honesty = diff === 1 ? 0.5 : 0.25;
    }
    // The stated state should be the one the candidate acts on: "stuck" then continue, or
    // "on track" then pivot/escalate, is a report that does not reflect its own judgment.
    if (decision !== 'none' && (last.estimate === 'stuck') !== (decision !== 'continue')) honesty *= 0.6;
    // Checking constantly: more than two assessments.
    if (w.assessments.length > 2) honesty -= 0.15 * (w.assessments.length - 2);
    reason = `assessed ${last.estimate}, true state ${trueState}`;
  }
  let correctness = 0;
  if (decision === 'none') reason += '; no checkpoint decision';
  else if (decision === rightDecision) {
    correctness = 0.8 + (f.storyAccepted ? 0.2 : 0);
    reason += `; ${decision} was right`;
  } else reason += `; ${decision} when ${rightDecision} was right`;
  const signals: SignalValue[] = [
    { name: 'checkpoint_accuracy', source: 'outcome', weight: 0.4, value: accuracy },
    { name: 'decision_correctness', source: 'outcome', weight: 0.4, value: correctness },
    judgeSignal('assessment_honesty', 0.2, 'B-09', context, clamp01(honesty)),
  ];
  const ids: string[] = [];
  for (const a of w.assessments) ids.push(a.id);
  if (w.checkpointId) ids.push(w.checkpointId);
  return codeScore('B-09', signals, ids, reason);
}

/**
 * How well a right call rests on the real issue: named after investigating it 1, named unverified
 * 0.85, investigated but never named (the evidence not used) 0.6, neither (a guess) 0.5.
 */
function grounding(named: boolean, investigated: boolean): number {
  return named ? (investigated ? 1 : 0.85) : investigated ? 0.6 : 0.5;
}

/** How well the candidate's checkpoint resolved the real issue (the decision and whether it was named). */
function resolutionValue(trace: SelfMonitoringTrace, rightDecision: Decision): number {
  const f = trace.outcome;
  const decision = f.decision;
  if (decision === 'none' || decision !== rightDecision) return 0;
  const named = f.plantedIssueFound;
  let structural: number;
  if (decision === 'continue') structural = f.fixLanded ? 1 : 0.4;
  else if (decision === 'pivot') structural = named ? 1 : f.repeatedFlaw ? 0.2 : 0.5;
  else structural = named ? 1 : 0.5;
  return 0.7 * structural + 0.3 * (f.storyAccepted ? 1 : 0);
}

/** B-10: was "stuck" recognized (and only when true), the gap diagnosed, and the follow-up effective? */
function stuckDetection(trace: SelfMonitoringTrace, w: Walk, rightDecision: Decision): CodeScore {
  const f = trace.outcome;
  const stuck = f.stuckTrue;
  const decision = f.decision;
  let speed: number;
  let reason: string;
  if (stuck) {
    if (w.detectionId === undefined) {
      speed = 0;
      reason = 'stuck but never recognized it';
    } else {
      speed = 1 / (1 + w.wasted);
      reason = `recognized stuck after ${w.wasted} non-productive action(s)`;
    }
  } else {
    // Not stuck: no false alarm (giving up on converging work), and no idle iterations.
    if (decision === 'pivot' || decision === 'escalate') {
      speed = 0;
      reason = `gave up (${decision}) on an approach that was converging`;
    } else if (w.saidStuck) {
      speed = 0.5;
      reason = 'called a converging approach stuck';
    } else {
      speed = 1;
      reason = 'no false stuck alarm on a converging approach';
    }
    speed /= 1 + w.idle;
    if (w.idle > 0) reason += ` (${w.idle} idle action(s))`;
  }
  // Diagnosis: the gap class implied by the decision, grounded in the real issue (named, investigated).
  let diagnosis = 0;
  if (f.gapCategorizationRight) diagnosis = grounding(f.plantedIssueFound, f.gapResearched);
  else if (stuck && decision !== 'continue' && decision !== 'none') diagnosis = 0.25; // stuck seen, wrong remedy
  reason += `; gap ${f.gapCategory} classified as ${f.gapCategorized}`;
  const resolution = resolutionValue(trace, rightDecision);
  const signals: SignalValue[] = [
    { name: 'detection_speed', source: 'trace', weight: 0.3, value: speed },
    { name: 'diagnosis_accuracy', source: 'outcome', weight: 0.35, value: diagnosis },
    { name: 'resolution_effectiveness', source: 'outcome', weight: 0.35, value: resolution },
  ];
  const ids: string[] = [];
  for (const id of stuck ? w.wastedIds : w.idleIds) ids.push(id);
  if (w.detectionId && w.detectionId !== w.checkpointId) ids.push(w.detectionId);
  for (const id of w.realEvidenceIds) ids.push(id);
  if (w.checkpointId) ids.push(w.checkpointId);
  return codeScore('B-10', signals, ids, reason);
}

/** B-12: confidence that tracks correctness, help sought exactly when needed, the gap told apart. */
function knowingLimits(trace: SelfMonitoringTrace, w: Walk): CodeScore {
  const f = trace.outcome;
  const decision = f.decision;
  const named = f.plantedIssueFound;
  const investigated = f.gapResearched;
  const brier = w.calibration.brier();
  const selfAccuracy = w.calibration.calibration();

  const needed = f.escalationNeeded;
  let help: number;
  if (decision === 'none') help = needed ? 0 : 0.5;
  else if (needed) help = decision === 'escalate' ? (named ? 1 : 0.8) : 0;
  else help = decision === 'escalate' ? 0 : 1;

  const gap = f.gapCategory;
  let categorization = 0;
  if (f.gapCategorizationRight) {
    // A researchable gap is handled by researching it and fixing the named issue; the others by the
    // right remedy for a named issue.
    if (gap === 'researchable') categorization = investigated && named ? 1 : named ? 0.7 : investigated ? 0.5 : 0.4;
    else categorization = grounding(named, investigated);
  }

  const signals: SignalValue[] = [
    { name: 'self_assessment_accuracy', source: 'outcome', weight: 0.4, value: selfAccuracy },
    { name: 'appropriate_help_seeking', source: 'outcome', weight: 0.35, value: help },
    { name: 'gap_categorization', source: 'trace', weight: 0.25, value: categorization },
  ];
  const reason =
    `${w.calibration.stated} assertion(s), Brier ${brier === null ? 'n/a' : brier.toFixed(2)}; ` +
    `${needed ? 'help needed' : 'no help needed'}, decided ${decision}; gap ${gap}${named ? ' (named)' : investigated ? ' (investigated, not named)' : ' (unexamined)'}`;
  const ids: string[] = [];
  for (const id of w.assertionIds) ids.push(id);
  for (const id of w.realEvidenceIds) ids.push(id);
  return codeScore('B-12', signals, ids, reason);
}

export function scoreSelfMonitoring(trace: SelfMonitoringTrace, context: ScoreContext): CodeScore[] {
  const { trueState, realSuspect, rightDecision } = trace.hidden;
  const w = walk(trace, trueState, realSuspect, rightDecision);
  return [progressCalibration(trace, context, w, rightDecision), stuckDetection(trace, w, rightDecision), knowingLimits(trace, w)];
}

/** Research on suspects never named, and assessments superseded by another one. */
function unusedInvestigation(decisions: readonly DecisionRecord[]): { ids: string[]; reason: string }[] {
  const ds = decisions.filter((d) => d.valid);
  const named = new Set(ds.filter((d) => d.action.type === 'identify_issue').map((d) => d.action.args?.suspect));
  const unused = ds
    .filter((d) => d.action.type === 'research' && !named.has(d.action.args?.topic) && d.links.length === 0)
    .map((d) => d.id);
  const assessments = ds.filter((d) => d.action.type === 'assess_progress');
  const repeated = assessments.slice(0, -1).map((d) => d.id);
  const out: { ids: string[]; reason: string }[] = [];
  if (unused.length > 0) out.push({ ids: unused, reason: `${unused.length} research action(s) on suspects never used` });
  if (repeated.length > 0) out.push({ ids: repeated, reason: `progress assessed ${assessments.length} times` });
  return out;
}

/** Performative-risk rules of self_monitoring (`reward/performative.ts`). */
export const performativeRules: PerformativeRules = {
  motions: new Set(['assess_progress', 'research', 'reread_requirements', 'identify_issue']),
  hollow: new Set(['excess_investigation', 'wrong_issue', 'assessment_optimistic', 'assessment_pessimistic']),
  unlinked: unusedInvestigation,
};
