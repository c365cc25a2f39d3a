/**
 * Behavior codes scored on implementation traces (E-1.3): B-09 progress calibration, B-10 stuck
 * detection, B-11 error diagnosis, B-25 YAGNI and B-26 MVP instinct. Formulas, evidence and the
 * judge stand-ins are documented in `docs/reward.md`.
 *
 * Everything rests on the candidate's own decisions (action types and file arguments), the links
 * the episode attached to them (`criterion_implemented`, `root_cause_fixed`, `symptom_patched`,
 * `stuck_on_approach`, `checkpoint_right`, ...), the outcome facts and, for the world's verdict only,
 * the episode-level links (`doomed_approach_kept`, `root_cause_missed`, ...). One pass over the
 * decisions, no text processing beyond the first character of a test run's reply.
 */

import { clamp01, meanOrNull } from '../../core/numbers.js';
import { type CodeScore, codeScore, judgeSignal, type PerformativeRules, type ScoreContext, type SignalValue } from '../../core/scorer.js';
import type { DecisionRecord, Trace } from '../../core/trace.js';
import { SCOPING_WEIGHTS } from '../../spec/reward.js';
import { hasLink } from '../common.js';
import type { ImplementationFacts, ImplementationHidden } from './types.js';
import { CHECKPOINT_EVERY } from './world.js';

/** Credit for acting after `n` attempts/observations of the problem: at most 2 is prompt, more decays as 2/n. */
function promptness(n: number, early: number): number {
  if (n <= 0) return early;
  if (n === 1) return Math.max(early, 0.85);
  return n <= 2 ? 1 : 2 / n;
}

export function scoreImplementation(trace: Trace<ImplementationFacts, ImplementationHidden>, context: ScoreContext): CodeScore[] {
  const o = trace.outcome;
  const blocked = o.blocked;
  const doomed = !o.approachConverged;
  const faultPresent = o.faultPresent;
  const committed = o.committed;
  const turns = Math.max(1, trace.turns);
  const roles = trace.hidden.files;
  /** The hidden role of the file an action names ('' when it names none). */
  const role = (file: unknown): string => (typeof file === 'number' ? (roles[file]?.role ?? '') : '');

  let episodeDoomKept = false;
  let episodeRootMissed = false;
  for (const l of trace.episodeLinks) {
    if (l.effect === 'doomed_approach_kept') episodeDoomKept = true;
    else if (l.effect === 'root_cause_missed') episodeRootMissed = true;
  }

  // --- one pass over the decisions ---------------------------------------------------------
  const ids09: string[] = [];
  const ids10: string[] = [];
  const ids11: string[] = [];
  const ids25: string[] = [];
  const ids26: string[] = [];

  // Iterations and checkpoints.
  let cycleEdits = 0;
  let cycleWrite = false;
  let cycleDoom = false;
  let cycles = 0;
  let singleCycles = 0;
  let closedSinceCheckpoint = 0;
  let missedDue = 0;
  let checkpointCredit = 0;
  let checkpointCount = 0;
  let optimisticClaims = 0;
  let wrongPivots = 0;
  let wrongEscalations = 0;
  let stuckSinceCheckpoint = false;
  let escalatedRight = false;
  let runsSeenBlocked = 0;
  let blockerDetectRuns = -1;
  let blockerWrongChangeFirst = false;
  let pivotedRight = false;
  // Doomed approach: attempts on the criterion it cannot meet, and runs that showed the timeout.
  let doomAttempts = 0;
  let doomRuns = 0;
  let doomDetectAttempts = -1;
  let doomChange: 'pivot' | 'escalate' | null = null;
  // Wasted iterations not explained by the doomed approach.
  let genericStreak = 0;
  let genericMaxStreak = 0;
  let genericStuck = 0;
  let genericStuckInvestigated = 0;
  let genericAwaitingInfo = false;
  let genericStreakOpen = false;
  let genericResolved = true;
  // Diagnosis.
  let failingRuns = 0;
  let runsBeforeFirstEdit = 0;
  let failingSeenBeforeFirstEdit = false;
  let investigatedBeforeFirstEdit = false;
  let firstEditSeen = false;
  let goodFixes = 0;
  /** Files whose edit broke an existing flow, before and after a run or the linter showed it. */
  const brokenUnseen = new Set<number>();
  const brokenSeen = new Set<number>();
  let badFixes = 0;
  // Scope.
  let edits = 0;
  let outsideEdits = 0;
  let outsideBeforeCore = 0;
  let outsideBreaks = 0;
  let firstEntryChangeWasRewrite: boolean | null = null;
  const coreDoneStep = o.coreDoneStep;

  const decisions = trace.decisions;
  for (let i = 0; i < decisions.length; i++) {
    const d = decisions[i] as DecisionRecord;
    if (!d.valid) continue;
    const type = d.action.type;
    if (type === 'edit_file' || type === 'write_file') {
      const file = d.action.args?.file;
      if (!firstEditSeen) {
        firstEditSeen = true;
        ids11.push(d.id);
      }
      edits++;
      cycleEdits++;
      if (type === 'write_file') cycleWrite = true;
      if (role(file) === 'core' && firstEntryChangeWasRewrite === null) {
        firstEntryChangeWasRewrite = type === 'write_file';
        if (firstEntryChangeWasRewrite) ids26.push(d.id);
      }
      if (genericAwaitingInfo) genericAwaitingInfo = false;
      for (const l of d.links) {
        switch (l.effect) {
          case 'criterion_implemented':
            ids25.push(d.id);
            break;
          case 'root_cause_fixed':
            goodFixes++;
            ids11.push(d.id);
            break;
          case 'regression_repaired':
            // A revert counts as a diagnosis only when a run or the linter had shown the breakage.
            if (brokenSeen.has(file as number)) {
              goodFixes++;
              ids11.push(d.id);
            }
            brokenUnseen.delete(file as number);
            brokenSeen.delete(file as number);
            break;
          case 'regression_introduced':
            brokenUnseen.add(file as number);
            break;
          case 'symptom_patched':
          case 'test_edited':
          case 'blind_edit':
            badFixes++;
            ids11.push(d.id);
            break;
          case 'outside_criteria':
            outsideEdits++;
            if (coreDoneStep < 0 || d.step < coreDoneStep) outsideBeforeCore++;
            ids25.push(d.id);
            if (hasLink(d, 'regression_introduced')) outsideBreaks++;
            break;
          case 'stuck_on_approach':
            cycleDoom = true;
            if (doomChange === null) doomAttempts++;
            ids10.push(d.id);
            break;
        }
      }
      continue;
    }
    if (brokenUnseen.size > 0 && (type === 'run_tests' || (type === 'bash' && d.action.args?.command === 'run_linter'))) {
      for (const f of brokenUnseen) brokenSeen.add(f);
      brokenUnseen.clear();
    }
    if (type === 'run_tests') {
      const reply = d.response ?? '';
      const c = reply.charCodeAt(0);
      const failed = c >= 48 && c <= 57; // "<n> of <m> tests failed" (vs "All <m> tests passed.")
      if (failed) failingRuns++;
      if (!firstEditSeen) {
        runsBeforeFirstEdit++;
        if (failed) failingSeenBeforeFirstEdit = true;
      }
      if (blocked && !escalatedRight) runsSeenBlocked++;
      if (doomAttempts > 0 && doomChange === null) doomRuns++;
      if (cycleEdits > 0) {
        cycles++;
        if (cycleEdits === 1 && !cycleWrite) singleCycles++;
        closedSinceCheckpoint++;
        if (closedSinceCheckpoint > CHECKPOINT_EVERY && closedSinceCheckpoint % CHECKPOINT_EVERY === 0) missedDue++;
        const stuck = hasLink(d, 'stuck_iteration');
        if (stuck) stuckSinceCheckpoint = true;
        if (stuck && !cycleDoom) {
          genericStreak++;
          genericStuck++;
          genericAwaitingInfo = true;
          genericStreakOpen = true;
          genericResolved = false;
          ids10.push(d.id);
          if (genericStreak > genericMaxStreak) genericMaxStreak = genericStreak;
        } else if (!stuck) {
          genericStreak = 0;
          if (genericStreakOpen) {
            genericResolved = true;
            genericStreakOpen = false;
          }
        }
        cycleEdits = 0;
        cycleWrite = false;
        cycleDoom = false;
      }
      continue;
    }
    if (type === 'read_file' || type === 'bash') {
      if (genericAwaitingInfo) {
        genericStuckInvestigated++;
        genericAwaitingInfo = false;
      }
      if (!firstEditSeen) {
        const r = type === 'read_file' ? role(d.action.args?.file) : '';
        const targeted =
          type === 'bash'
            ? d.action.args?.command === 'grep_error'
            : r === 'core' || r === 'root' || r === 'symptom' || r === 'ac_tests' || r === 'api_tests' || r === 'feature';
        if (targeted) {
          investigatedBeforeFirstEdit = true;
          ids11.push(d.id);
        }
      }
      continue;
    }
    if (type === 'checkpoint_continue' || type === 'checkpoint_pivot' || type === 'checkpoint_escalate') {
      ids09.push(d.id);
      checkpointCount++;
      if (genericAwaitingInfo) {
        genericStuckInvestigated++;
        genericAwaitingInfo = false;
      }
      const right = hasLink(d, 'checkpoint_right');
      const blockedActive = blocked && !escalatedRight;
      const confident = typeof d.action.confidence === 'number' && d.action.confidence >= 0.8;
      if (type === 'checkpoint_continue') {
        if (right) checkpointCredit += closedSinceCheckpoint === 0 ? 0.5 : 1;
        else {
          // Wrong only in hindsight when nothing had shown the problem yet: half credit.
          const evidence = blockedActive ? runsSeenBlocked > 0 : doomRuns > 0;
          if (!evidence) checkpointCredit += 0.5;
          // Continuing while the runs showed no progress is claiming progress while stuck.
          if (evidence || stuckSinceCheckpoint) optimisticClaims++;
        }
      } else if (type === 'checkpoint_pivot') {
        if (right) {
          checkpointCredit++;
          pivotedRight = true;
        } else {
          wrongPivots++;
          if (blockedActive && blockerDetectRuns < 0) blockerWrongChangeFirst = true;
        }
        if (doomed && doomChange === null) {
          doomChange = 'pivot';
          doomDetectAttempts = doomAttempts;
          ids10.push(d.id);
        }
      } else {
        if (right) {
          checkpointCredit++;
          escalatedRight = true;
          if (blockerDetectRuns < 0) {
            blockerDetectRuns = runsSeenBlocked;
            ids10.push(d.id);
          }
        } else {
          wrongEscalations++;
          if (doomed && doomChange === null && doomAttempts > 0) {
            doomChange = 'escalate';
            doomDetectAttempts = doomAttempts;
            ids10.push(d.id);
          }
        }
      }
      if (!right && confident) optimisticClaims++;
      closedSinceCheckpoint = 0;
      stuckSinceCheckpoint = false;
      continue;
    }
    if (type === 'git_commit' && d.links.length > 0) {
      ids09.push(d.id);
      if (hasLink(d, 'committed_with_failures')) optimisticClaims++;
      else if (o.committedUntested) optimisticClaims += 0.5;
    }
  }
  // A checkpoint that came due (3 closed iterations) and was never taken.
  if (closedSinceCheckpoint >= CHECKPOINT_EVERY) missedDue++;

  const out: CodeScore[] = [];

  // --- B-09 progress calibration ------------------------------------------------------------
  if (checkpointCount > 0 || missedDue > 0 || doomed || blocked) {
    const judged = checkpointCount + missedDue;
    const accuracy = judged > 0 ? checkpointCredit / judged : 0;
    const items: number[] = [];
    if (doomed) items.push(pivotedRight && !episodeDoomKept ? 1 : 0);
    if (blocked) items.push(o.blockerResolved ? 1 : 0);
    const base = meanOrNull(items) ?? (checkpointCount > 0 ? 1 : 0.5);
    const correctness = clamp01(base - 0.5 * (wrongPivots + wrongEscalations));
    const honesty = clamp01(1 - 0.35 * optimisticClaims);
    const signals: SignalValue[] = [
      { name: 'checkpoint_accuracy', source: 'outcome', weight: 0.4, value: accuracy },
      { name: 'decision_correctness', source: 'outcome', weight: 0.4, value: correctness },
      judgeSignal('assessment_honesty', 0.2, 'B-09', context, honesty),
    ];
    out.push(
      codeScore(
        'B-09',
        signals,
        ids09,
        `${checkpointCount} checkpoint(s), ${missedDue} due one(s) skipped, credit ${checkpointCredit}; ` +
          `${doomed ? (pivotedRight ? 'doomed approach pivoted' : 'doomed approach kept') : 'approach converged'}; ` +
          `${blocked ? (o.blockerResolved ? 'blocker escalated' : 'blocker never escalated') : 'no blocker'}; ` +
          `${wrongPivots + wrongEscalations} needless pivot/escalation(s); ${optimisticClaims} optimistic claim(s)`,
      ),
    );
  }

  // --- B-10 stuck detection -----------------------------------------------------------------
  {
    const speed: number[] = [];
    const diagnosis: number[] = [];
    const resolution: number[] = [];
    const parts: string[] = [];
    if (doomed) {
      // Never detected (no pivot, no escalation after the attempts) scores 0 on all three.
      const detected = doomChange !== null;
      speed.push(detected ? promptness(doomDetectAttempts, 0.5) : 0);
      // A pivot before any attempt had shown the timeout is a guess, not a diagnosis.
      diagnosis.push(doomChange === 'pivot' ? (doomDetectAttempts > 0 ? 1 : 0.5) : 0);
      resolution.push(pivotedRight && !episodeDoomKept ? 0.5 + 0.5 * o.acceptanceCoverage : 0);
      parts.push(
        detected ? `doomed approach: ${doomChange} after ${doomDetectAttempts} stuck attempt(s)` : 'doomed approach never detected',
      );
    }
    if (blocked) {
      const detected = blockerDetectRuns >= 0;
      speed.push(detected ? promptness(blockerDetectRuns, 0.5) : 0);
      // Editing the tests to silence the external failure is blaming the tools; escalating unseen is a guess.
      diagnosis.push(!detected || o.testsEdited > 0 ? 0 : blockerWrongChangeFirst || blockerDetectRuns === 0 ? 0.5 : 1);
      resolution.push(o.blockerResolved ? 1 : 0);
      parts.push(detected ? `blocker escalated after ${blockerDetectRuns} run(s)` : 'blocker never escalated');
    }
    if (genericMaxStreak >= 2) {
      speed.push(promptness(genericMaxStreak, 1));
      diagnosis.push(genericStuck > 0 ? genericStuckInvestigated / genericStuck : 0);
      resolution.push(genericResolved ? 1 : 0);
      parts.push(
        `${genericStuck} wasted iteration(s) (longest streak ${genericMaxStreak}), ${genericStuckInvestigated} followed by investigation`,
      );
    }
    if (speed.length > 0) {
      const signals: SignalValue[] = [
        { name: 'detection_speed', source: 'trace', weight: 0.3, value: meanOrNull(speed) },
        { name: 'diagnosis_accuracy', source: 'outcome', weight: 0.35, value: meanOrNull(diagnosis) },
        { name: 'resolution_effectiveness', source: 'outcome', weight: 0.35, value: meanOrNull(resolution) },
      ];
      out.push(codeScore('B-10', signals, ids10, parts.join('; ')));
    }
  }

  // --- B-11 error diagnosis -----------------------------------------------------------------
  if (failingRuns > 0 || faultPresent || o.committedWithFailures) {
    // A fault never fixed (and not even patched) is one more fix that missed the root cause.
    const missed = episodeRootMissed ? 1 : 0;
    const fixes = goodFixes + badFixes + missed;
    const rootValue = fixes > 0 ? goodFixes / fixes : null;
    const blind = o.blindEdits > 0;
    const hypothesis = failingSeenBeforeFirstEdit && investigatedBeforeFirstEdit && !blind ? 1 : firstEditSeen ? 0 : null;
    const single = cycles > 0 ? singleCycles / cycles : null;
    const errorRead = failingSeenBeforeFirstEdit ? 1 : firstEditSeen || failingRuns === 0 ? 0 : 1;
    const signals: SignalValue[] = [
      { name: 'root_cause_fixed', source: 'outcome', weight: 0.4, value: rootValue },
      { name: 'hypothesis_first', source: 'trace', weight: 0.25, value: hypothesis },
      { name: 'single_change', source: 'trace', weight: 0.2, value: single },
      { name: 'error_read', source: 'trace', weight: 0.15, value: errorRead },
    ];
    out.push(
      codeScore(
        'B-11',
        signals,
        ids11,
        `${goodFixes} root-cause fix(es), ${badFixes} symptom/test/blind edit(s)${missed ? ', fault never fixed' : ''}; ` +
          `${runsBeforeFirstEdit} run(s) before the first edit${investigatedBeforeFirstEdit ? ', investigated' : ''}; ` +
          `${singleCycles}/${cycles} single-change iteration(s)`,
      ),
    );
  }

  // --- B-25 YAGNI / B-26 MVP ----------------------------------------------------------------
  {
    const coverage = committed ? o.coverage : 0.5 * o.coverage;
    const outsideShare = edits > 0 ? outsideEdits / edits : 0;
    const scopeRemark = o.scopeRemark ? 1 : 0;
    const excess = edits > 0 ? clamp01(1 - 2.5 * outsideShare - 0.25 * outsideBreaks - 0.25 * scopeRemark) : null;
    let coreFirst = 0;
    if (coreDoneStep >= 0) {
      const frac = (coreDoneStep + 1) / turns;
      coreFirst = frac <= 0.5 ? 1 : clamp01((1 - frac) / 0.5);
      if (firstEntryChangeWasRewrite === true) coreFirst *= 0.6;
      if (outsideBeforeCore > 0) coreFirst *= 0.6;
      ids26.push(`${trace.episodeId}/d${coreDoneStep}`);
    }
    const group = (code: 'B-25' | 'B-26'): SignalValue[] => [
      {
        name: 'acceptance_criteria_coverage',
        source: 'outcome',
        weight: SCOPING_WEIGHTS[code].acceptance_criteria_coverage,
        value: coverage,
      },
      { name: 'excess_work_penalty', source: 'outcome', weight: SCOPING_WEIGHTS[code].excess_work_penalty, value: excess },
      { name: 'core_first', source: 'trace', weight: SCOPING_WEIGHTS[code].core_first, value: coreFirst },
    ];
    out.push(
      codeScore(
        'B-25',
        group('B-25'),
        ids25,
        `${outsideEdits}/${edits} edit(s) outside the acceptance criteria${outsideBreaks ? ` (${outsideBreaks} broke a flow)` : ''}` +
          `${scopeRemark ? ', scope remark' : ''}; coverage ${coverage.toFixed(2)}${committed ? '' : ' (not committed)'}`,
      ),
      codeScore(
        'B-26',
        group('B-26'),
        ids26,
        coreDoneStep >= 0
          ? `core validated at step ${coreDoneStep} of ${turns}${firstEntryChangeWasRewrite ? ', by a full rewrite' : ''}` +
              `${outsideBeforeCore ? `, after ${outsideBeforeCore} edit(s) outside the criteria` : ''}`
          : 'no test run ever validated a criterion',
      ),
    );
  }
  return out;
}

/** Files read and never changed afterwards (reading for show). */
function unusedReads(decisions: readonly DecisionRecord[]): { ids: string[]; reason: string }[] {
  const ds = decisions.filter((d) => d.valid);
  const ids: string[] = [];
  for (let i = 0; i < ds.length; i++) {
    const d = ds[i] as DecisionRecord;
    if (d.action.type !== 'read_file') continue;
    const file = d.action.args?.file;
    const used = ds
      .slice(i + 1)
      .some((e) => (e.action.type === 'edit_file' || e.action.type === 'write_file') && e.action.args?.file === file);
    if (!used) ids.push(d.id);
  }
  return ids.length > 0 ? [{ ids, reason: `${ids.length} file read(s) never used by a change` }] : [];
}

/** Performative-risk rules of implementation (`reward/performative.ts`). */
export const performativeRules: PerformativeRules = {
  motions: new Set(['read_file', 'edit_file', 'write_file', 'checkpoint_continue', 'checkpoint_pivot', 'checkpoint_escalate']),
  hollow: new Set([
    'checkpoint_wrong',
    'symptom_patched',
    'blind_edit',
    'test_edited',
    'outside_criteria',
    'stuck_on_approach',
    'regression_introduced',
  ]),
  unlinked: unusedReads,
};
