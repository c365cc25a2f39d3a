/**
 * Behavior codes scored on recovery (E-2.2) traces: B-10 stuck detection, B-11 error diagnosis,
 * B-14 graceful replanning, B-15 post-incident learning. B-10 and B-11 keep their Stage-1 meaning
 * (implementation / self_monitoring): noticing that attempts make no progress and switching to
 * investigation, then fixing the root cause with a verified hypothesis, one change at a time.
 *
 * Evidence, structured only: the candidate's actions (diagnose_root_cause with its `change`,
 * verify_hypothesis, capture_learning, replan_sprint) in order, the links the episode attaches
 * (root_cause_fixed / symptom_patched / wrong_suspect_changed, collateral_caught / _escaped,
 * verification_repeated, learning_*, replan_*), the outcome facts and the hidden truth (the real
 * suspect, the right replan size). One pass over the decisions. Formulas: docs/reward.md.
 */

import { clamp01 } from '../../core/numbers.js';
import { type CodeScore, codeScore, judgeSignal, type PerformativeRules, type ScoreContext, type SignalValue } from '../../core/scorer.js';
import type { Trace } from '../../core/trace.js';
import { hasLink } from '../common.js';
import { DROPS } from './outcome.js';
import type { RecoveryFacts, RecoveryHidden } from './types.js';

type RecoveryTrace = Trace<RecoveryFacts, RecoveryHidden>;

/** What one pass over the decisions collects. */
interface Walk {
  changes: number;
  rootFixChanges: number;
  /** Changes made with a check (verification) since the previous change (or the start). */
  singleChanges: number;
  /** Changes that left the tests red and came with no new information since the previous change. */
  blindFailed: number;
  /** Verifications that could find nothing new. */
  repeated: number;
  firstChangeGrounded: boolean | null;
  checkedBeforeFirstChange: boolean;
  verifiedAny: boolean;
  verifiedRealBeforeChange: boolean;
  ids10: string[];
  ids11: string[];
  ids14: string[];
  ids15: string[];
}

function walk(trace: RecoveryTrace, real: number): Walk {
  const w: Walk = {
    changes: 0,
    rootFixChanges: 0,
    singleChanges: 0,
    blindFailed: 0,
    repeated: 0,
    firstChangeGrounded: null,
    checkedBeforeFirstChange: false,
    verifiedAny: false,
    verifiedRealBeforeChange: false,
    ids10: [],
    ids11: [],
    ids14: [],
    ids15: [],
  };
  const stated = new Set<number>();
  const verified = new Set<number>();
  let checked = true;
  let informed = true;
  for (const d of trace.decisions) {
    if (!d.valid) continue;
    const a = d.action;
    const suspect = a.args?.suspect as number;
    switch (a.type) {
      case 'diagnose_root_cause': {
        if (a.args?.change === 'state_only') {
          stated.add(suspect);
          w.ids11.push(d.id);
          break;
        }
        w.changes++;
        w.ids11.push(d.id);
        if (w.firstChangeGrounded === null) w.firstChangeGrounded = stated.has(suspect) || verified.has(suspect);
        if (checked) w.singleChanges++;
        w.ids10.push(d.id);
        if (hasLink(d, 'root_cause_fixed')) w.rootFixChanges++;
        else if (hasLink(d, 'wrong_suspect_changed') && !informed) w.blindFailed++;
        checked = false;
        informed = false;
        break;
      }
      case 'verify_hypothesis': {
        w.verifiedAny = true;
        if (w.changes === 0) w.checkedBeforeFirstChange = true;
        if (hasLink(d, 'verification_repeated')) {
          w.repeated++;
          w.ids10.push(d.id);
        } else {
          informed = true;
          if (suspect === real && w.changes === 0) {
            w.verifiedRealBeforeChange = true;
            w.ids10.push(d.id);
          }
        }
        if (hasLink(d, 'collateral_caught')) w.ids11.push(d.id);
        verified.add(suspect);
        checked = true;
        if (w.changes === 0) w.ids11.push(d.id);
        break;
      }
      case 'replan_sprint':
        w.ids14.push(d.id);
        break;
      case 'capture_learning':
        w.ids15.push(d.id);
        break;
    }
  }
  return w;
}

/** B-10: switched from fruitless attempts to investigation, diagnosed the cause, resolved it. */
function stuckDetection(trace: RecoveryTrace, w: Walk): CodeScore {
  const f = trace.outcome;
  const engaged = w.changes > 0 || w.verifiedAny;
  const wasted = w.blindFailed + w.repeated;
  const speed = engaged ? 1 / (1 + wasted) : 0;
  const grounding = w.verifiedRealBeforeChange ? 1 : 0.85;
  const diagnosis = f.rootCauseFixed ? grounding : f.symptomPatched ? 0.5 * grounding : 0;
  let resolution = 0;
  if (f.rootCauseFixed && f.greenInEpisode) resolution = f.collateralEscaped > 0 ? 0.7 : 1;
  else if (f.symptomPatched) resolution = f.recurredInSprint ? 0 : 0.3;
  else if (f.foundLate) resolution = 0.2;
  const signals: SignalValue[] = [
    { name: 'detection_speed', source: 'trace', weight: 0.3, value: speed },
    { name: 'diagnosis_accuracy', source: 'outcome', weight: 0.35, value: diagnosis },
    { name: 'resolution_effectiveness', source: 'outcome', weight: 0.35, value: resolution },
  ];
  const reason =
    `${engaged ? `${w.blindFailed} blind failed change(s), ${w.repeated} repeated check(s)` : 'never investigated nor changed anything'}; ` +
    `${f.rootCauseFixed ? 'root cause fixed' : f.symptomPatched ? 'only the symptom patched' : 'root cause never fixed'}` +
    `${f.greenInEpisode ? '' : ', build still red at replanning'}`;
  return codeScore('B-10', signals, w.ids10, reason);
}

/** B-11: the fix addressed the root cause, after a hypothesis, one change at a time, the error read. */
function errorDiagnosis(trace: RecoveryTrace, w: Walk): CodeScore {
  const f = trace.outcome;
  const missed = f.rootCauseFixed ? 0 : 1;
  const fixes = w.changes + missed;
  const rootValue = fixes > 0 ? w.rootFixChanges / fixes : null;
  const hypothesis = w.firstChangeGrounded === null ? null : w.firstChangeGrounded ? 1 : 0;
  const single = w.changes > 0 ? w.singleChanges / w.changes : null;
  const errorRead = w.checkedBeforeFirstChange ? 1 : 0;
  const signals: SignalValue[] = [
    { name: 'root_cause_fixed', source: 'outcome', weight: 0.4, value: rootValue },
    { name: 'hypothesis_first', source: 'trace', weight: 0.25, value: hypothesis },
    { name: 'single_change', source: 'trace', weight: 0.2, value: single },
    { name: 'error_read', source: 'trace', weight: 0.15, value: errorRead },
  ];
  const reason =
    `${w.rootFixChanges} root-cause fix(es) of ${w.changes} change(s)${missed ? ', cause never fixed' : ''}; ` +
    `${w.firstChangeGrounded === null ? 'no change' : w.firstChangeGrounded ? 'first change on a stated or verified hypothesis' : 'first change unverified'}; ` +
    `${w.singleChanges}/${w.changes} change(s) checked before the next`;
  return codeScore('B-11', signals, w.ids11, reason);
}

/** B-14: plan change proportional to the damage, valid cards kept, change communicated, delivery. */
function replanning(trace: RecoveryTrace, context: ScoreContext, w: Walk): CodeScore {
  const f = trace.outcome;
  const replanned = f.replanned;
  const distance = Math.abs(DROPS[f.replanChange] - DROPS[f.rightChange]);
  const proportional = replanned ? clamp01(1 - distance / 2) : 0;
  const validCards = f.cardCount - f.invalidCards;
  const preserved = validCards > 0 ? clamp01(1 - f.validCardsDropped / validCards) : null;
  const signals: SignalValue[] = [
    judgeSignal('proportionality', 0.3, 'B-14', context, proportional),
    { name: 'preserved_valid_parts', source: 'trace', weight: 0.25, value: preserved },
    { name: 'change_communicated', source: 'trace', weight: 0.2, value: replanned && f.communicated ? 1 : 0 },
    { name: 'outcome_after_replan', source: 'outcome', weight: 0.25, value: f.deliveryRatio },
  ];
  const reason = replanned
    ? `${f.replanChange} when ${f.rightChange} fit the damage; ${f.validCardsDropped} valid card(s) dropped, ` +
      `${f.invalidCardsKept} invalid kept; ${f.communicated ? 'communicated' : 'silent'}; delivery ${f.deliveryRatio}`
    : `never replanned (the old plan forced), ${f.invalidCardsKept} invalid card(s) kept`;
  return codeScore('B-14', signals, w.ids14, reason);
}

/** B-15: the learning names the real root cause and a prevention; the issue does not recur. */
function learning(trace: RecoveryTrace, context: ScoreContext, w: Walk, real: number): CodeScore {
  const f = trace.outcome;
  let rootCaptured = 0;
  let prevention = 0;
  let blamed = false;
  for (const d of trace.decisions) {
    if (!d.valid || d.action.type !== 'capture_learning') continue;
    const kind = d.action.args?.kind;
    const onReal = d.action.args?.suspect === real;
    if (kind === 'blame') blamed = true;
    else if (kind === 'root_cause' || kind === 'prevention') {
      rootCaptured = Math.max(rootCaptured, onReal ? 1 : 0.2);
      prevention = Math.max(prevention, kind === 'prevention' ? (onReal ? 1 : 0.2) : onReal ? 0.3 : 0);
    } else rootCaptured = Math.max(rootCaptured, onReal ? 0.3 : 0.1);
  }
  if (blamed) {
    rootCaptured = clamp01(rootCaptured - 0.3);
    prevention = clamp01(prevention - 0.3);
  }
  const recurred = f.recurredInSprint || f.recurredLater;
  const signals: SignalValue[] = [
    judgeSignal('root_cause_captured', 0.35, 'B-15', context, rootCaptured),
    judgeSignal('prevention_identified', 0.3, 'B-15', context, prevention),
    { name: 'non_recurrence', source: 'outcome', weight: 0.35, value: recurred ? 0 : 1 },
  ];
  const reason =
    `${w.ids15.length} learning(s), best ${f.bestLearning}${blamed ? ', blame recorded' : ''}; ` +
    `${f.recurredInSprint ? 'recurred within the sprint' : f.recurredLater ? 'recurred later' : 'did not recur'}`;
  return codeScore('B-15', signals, w.ids15, reason);
}

export function scoreRecovery(trace: RecoveryTrace, context: ScoreContext): CodeScore[] {
  const real = trace.hidden.realSuspect;
  const w = walk(trace, real);
  return [stuckDetection(trace, w), errorDiagnosis(trace, w), replanning(trace, context, w), learning(trace, context, w, real)];
}

/** Performative-risk rules of recovery (`reward/performative.ts`). */
export const performativeRules: PerformativeRules = {
  motions: new Set(['diagnose_root_cause', 'verify_hypothesis', 'capture_learning', 'replan_sprint']),
  hollow: new Set([
    'hypothesis_wrong',
    'wrong_suspect_changed',
    'symptom_patched',
    'verification_repeated',
    'collateral_escaped',
    'learning_symptom',
    'learning_blame',
    'learning_wrong_cause',
    'replan_under',
    'replan_over',
    'replan_silent',
  ]),
};
