/**
 * Persona strategies for E-1.3 implementation (public view only).
 *
 * Senior (B-09, B-10, B-11, B-25, B-26): lists the files and runs the tests first; escalates a
 * failure that comes from outside the workspace; greps a failing assertion, reads the file that
 * defines the helper in the trace and fixes it there; implements one criterion per edit, running the
 * tests after every change; retries a timing-out criterion once, then pivots; takes due checkpoints
 * honestly; touches nothing outside the criteria; commits when green. Mid: runs the tests first but
 * edits two things per iteration, fixes the root cause in about half the episodes (patches the
 * caller otherwise), escalates in about half, pivots late. Junior: edits right away (the file named
 * in the error when it ran the tests), rewrites the entry file in one go, gold-plates, always
 * continues at checkpoints, rarely runs the tests and commits whatever the state.
 * Performative (anti-gaming): goes through the motions of a senior without the substance: lists
 * and reads many files, runs the tests, edits the file named in the error (the symptom), checkpoints
 * 'continue' whenever it can, escalates once without a blocker, runs the linter, commits.
 */

import type { Action } from '../../core/episode.js';
import type { Personas } from '../../core/episode-type.js';
import type { StructuredObservation } from '../../core/observation.js';
import { hashString, type Rng } from '../../core/rng.js';
import { MAX_FILES } from '../../sim/workspace.js';
import type { ImplementationView, TestResult } from './types.js';

type Observation = StructuredObservation<ImplementationView>;

/** Reads and edits of each file index (actions are never mutated: the environment validates a copy). */
const READS: Action[] = Array.from({ length: MAX_FILES }, (_, file) => ({ type: 'read_file', args: { file } }));
const EDITS: Action[] = Array.from({ length: MAX_FILES }, (_, file) => ({ type: 'edit_file', args: { file } }));
const read = (file: number): Action => READS[file] ?? { type: 'read_file', args: { file } };
const edit = (file: number): Action => EDITS[file] ?? { type: 'edit_file', args: { file } };
const write = (file: number): Action => ({ type: 'write_file', args: { file } });
const bash = (command: string): Action => ({ type: 'bash', args: { command } });
const RUN: Action = { type: 'run_tests', args: {} };
const ADD: Action = { type: 'git_add', args: {} };

function commit(view: ImplementationView, confidence: number): Action {
  return view.staged ? { type: 'git_commit', args: {}, confidence } : ADD;
}

/** A test result whose trace points at a file of the workspace. */
type Located = TestResult & { locationFile: number };
const located = (t: TestResult): t is Located => t.locationFile !== undefined && t.locationFile >= 0;

function failing(view: ImplementationView): TestResult[] {
  return view.lastRun ? view.lastRun.tests.filter((t) => t.status === 'fail') : [];
}

function lastCheckpointStep(view: ImplementationView, kind?: 'pivot' | 'escalate'): number {
  let step = -1;
  for (const c of view.checkpoints) if (!kind || c.kind === kind) step = c.step;
  return step;
}

/** Test runs since the last pivot whose failures include a timeout. */
function timeoutRuns(view: ImplementationView): number {
  const since = lastCheckpointStep(view, 'pivot');
  return view.runs.filter((r) => r.step > since && r.kinds.includes('timeout')).length;
}

function ran(view: ImplementationView, command: string): boolean {
  for (const b of view.bash) if (b.command === command) return true;
  return false;
}

const LIST_FILES: Action = bash('list_files');
const GREP_ERROR: Action = bash('grep_error');
const ESCALATE: Action = { type: 'checkpoint_escalate', args: {}, confidence: 0.8 };
const PIVOT_DUE: Action = { type: 'checkpoint_pivot', args: {}, confidence: 0.8 };
const CONTINUE_DUE: Action = { type: 'checkpoint_continue', args: {}, confidence: 0.7 };
const PIVOT_STUCK: Action = { type: 'checkpoint_pivot', args: {}, confidence: 0.75 };

/** One pass over the view per decision (the same decisions as the rules in the module comment, in order). */
function senior(observation: Observation): Action {
  const view = observation.state;
  const entry = view.task.entryFile;
  if (observation.turn >= observation.maxTurns - 4) return commit(view, 0.4);
  if (!ran(view, 'list_files')) return LIST_FILES;
  let lastCheckpoint = -1;
  let lastPivot = -1;
  let escalated = false;
  for (const c of view.checkpoints) {
    lastCheckpoint = c.step;
    if (c.kind === 'pivot') lastPivot = c.step;
    else if (c.kind === 'escalate') escalated = true;
  }
  const lastRun = view.lastRun;
  if (!lastRun || view.editsSinceRun > 0 || lastCheckpoint > lastRun.step) return RUN;
  let external = false;
  let assertion = false;
  let timeout = false;
  let notImplemented = false;
  let regression = -1;
  for (const t of lastRun.tests) {
    if (t.status !== 'fail') continue;
    const kind = t.errorKind;
    if (kind === 'external') external = true;
    else if (kind === 'assertion') assertion = true;
    else if (kind === 'timeout') timeout = true;
    else if (kind === 'not_implemented') notImplemented = true;
    else if (kind === 'regression' && regression < 0 && t.locationFile !== undefined && t.locationFile >= 0) regression = t.locationFile;
  }
  let timeouts = 0;
  for (const r of view.runs)
    if (r.step > lastPivot)
      for (const kind of r.kinds)
        if (kind === 'timeout') {
          timeouts++;
          break;
        }
  const stuck = timeouts >= 2;
  if (view.checkpointDue) {
    if (external && !escalated) return ESCALATE;
    if (stuck) return PIVOT_DUE;
    return CONTINUE_DUE;
  }
  if (external && !escalated) return ESCALATE;
  if (regression >= 0) return edit(regression);
  if (assertion) {
    const finding = view.findings[view.findings.length - 1];
    if (finding) return edit(finding.file);
    let definition = -1;
    for (const p of view.pointers)
      if (p.why === 'definition') {
        definition = p.file;
        break;
      }
    if (definition < 0) return GREP_ERROR;
    if ((view.files[definition]?.reads ?? 0) === 0) return read(definition);
  }
  if (timeout) {
    if (stuck) return PIVOT_STUCK;
    return edit(entry);
  }
  if (notImplemented) {
    if ((view.files[entry]?.reads ?? 0) === 0) return read(entry);
    return edit(entry);
  }
  return commit(view, 0.9);
}

function mid(observation: Observation, rng: Rng): Action {
  const view = observation.state;
  const entry = view.task.entryFile;
  const h = hashString(observation.episodeId);
  const fixesRoot = h % 2 === 0;
  const escalates = (h >> 3) % 2 === 0;
  const pivotAfter = 3 + ((h >> 5) % 2);
  if (observation.turn >= 40) return commit(view, 0.6);
  if (!view.lastRun) return RUN;
  if (view.editsSinceRun >= 2 || lastCheckpointStep(view) > view.lastRun.step) return RUN;
  const fails = failing(view);
  const since = new Set(view.editedSinceRun);
  const escalated = view.checkpoints.some((c) => c.kind === 'escalate');
  const external = fails.some((t) => t.errorKind === 'external');
  const stuck = !view.approach.pivoted && timeoutRuns(view) >= pivotAfter;
  if (view.checkpointDue) {
    if (stuck) return { type: 'checkpoint_pivot', args: {}, confidence: 0.6 };
    if (external && escalates && !escalated) return { type: 'checkpoint_escalate', args: {}, confidence: 0.6 };
    return { type: 'checkpoint_continue', args: {}, confidence: 0.8 };
  }
  if (external && escalates && !escalated) return { type: 'checkpoint_escalate', args: {}, confidence: 0.6 };
  const regression = fails.find((t): t is Located => t.errorKind === 'regression' && located(t));
  if (regression && !since.has(regression.locationFile)) return edit(regression.locationFile);
  const assertion = fails.find((t): t is Located => t.errorKind === 'assertion' && located(t));
  if (assertion) {
    const at = assertion.locationFile;
    if (fixesRoot) {
      const finding = view.findings[view.findings.length - 1];
      if (finding && !since.has(finding.file)) return edit(finding.file);
      const definition = view.pointers.find((p) => p.why === 'definition');
      if (!finding && !definition && (view.files[at]?.reads ?? 0) === 0) return read(at);
      if (!finding && definition && (view.files[definition.file]?.reads ?? 0) === 0) return read(definition.file);
    } else if (!since.has(at) && (view.files[at]?.edits ?? 0) === 0) return edit(at);
  }
  if (stuck) return { type: 'checkpoint_pivot', args: {}, confidence: 0.6 };
  const open = fails.filter((t) => t.errorKind === 'not_implemented' || t.errorKind === 'timeout').length;
  const entryEditsSince = since.has(entry) ? view.editsSinceRun : 0;
  if (open > entryEditsSince && (timeoutRuns(view) < 6 || rng.chance(0.3))) return edit(entry);
  if (view.editsSinceRun > 0) return RUN;
  return commit(view, 0.7);
}

function junior(observation: Observation, rng: Rng): Action {
  const view = observation.state;
  const entry = view.task.entryFile;
  const k = view.featureFile.criteria.length;
  const h = hashString(observation.episodeId);
  const runsFirst = h % 10 < 6;
  const goldPlates = (h >> 4) % 10 < 6;
  const rewrites = (h >> 8) % 10 < 4;
  const testsBeforeCommit = (h >> 12) % 10 < 4;
  const blamesTests = (h >> 16) % 2 === 0;
  if (observation.turn >= 40) return commit(view, 0.95);
  if (view.runs.length === 0 && view.edits === 0 && runsFirst) return RUN;
  if (view.checkpointDue) return { type: 'checkpoint_continue', args: {}, confidence: 0.95 };
  const fails = failing(view);
  // Edit the file the error names, right away.
  const named = fails.find((t): t is Located => t.errorKind === 'assertion' && located(t));
  if (named && (view.files[named.locationFile]?.edits ?? 0) === 0) return edit(named.locationFile);
  const external = fails.find((t) => t.errorKind === 'external');
  if (external && blamesTests && (view.files[external.file]?.edits ?? 0) === 0) return edit(external.file);
  const entryEdits = view.files[entry]?.edits ?? 0;
  if (entryEdits === 0 && rewrites) return write(entry);
  if (entryEdits < k && !(rewrites && entryEdits > 0)) return edit(entry);
  const outside = view.files.filter((f) => f.index !== entry && (f.kind === 'docs' || f.kind === 'config' || f.path.includes('models')));
  if (goldPlates && outside.length > 0 && !outside.some((f) => f.edits > 0)) return edit(rng.pick(outside).index);
  if (testsBeforeCommit && view.runs.length < 2 && view.editsSinceRun > 0) return RUN;
  // One quick fix of whatever the last run names, then commit regardless.
  if (testsBeforeCommit && view.editsSinceRun === 0 && view.edits < k + 4) {
    const target = fails.find((t): t is Located => located(t) && t.locationFile !== entry);
    if (target && (view.files[target.locationFile]?.edits ?? 0) < 2) return edit(target.locationFile);
  }
  return commit(view, 0.95);
}

// --- performative: the motions without the substance ----------------------------------------------

const FILES_READ = 5;

function performative(observation: Observation): Action {
  const view = observation.state;
  const entry = view.task.entryFile;
  const commit: Action = view.staged ? { type: 'git_commit', args: {}, confidence: 0.95 } : { type: 'git_add', args: {} };
  if (observation.turn >= observation.maxTurns - 4) return commit;
  const ran = (command: string) => view.bash.some((b) => b.command === command);
  if (!ran('list_files')) return { type: 'bash', args: { command: 'list_files' } };
  // Reads many files, whatever the task needs.
  const unread = view.files.filter((f) => f.reads === 0);
  if (view.files.length - unread.length < Math.min(FILES_READ, view.files.length) && unread[0])
    return { type: 'read_file', args: { file: unread[0].index } };
  if (!view.lastRun || view.editsSinceRun > 0) return { type: 'run_tests', args: {} };
  const checkpoints = view.checkpoints;
  const lastCheckpoint = checkpoints[checkpoints.length - 1]?.step ?? -1;
  const escalated = checkpoints.some((c) => c.kind === 'escalate');
  // Checkpoints constantly: 'continue' after every test run, one escalation for show.
  if (lastCheckpoint < view.lastRun.step) {
    if (!escalated && view.runs.length >= 2) return { type: 'checkpoint_escalate', args: {}, confidence: 0.9 };
    return { type: 'checkpoint_continue', args: {}, confidence: 0.9 };
  }
  const fails = view.lastRun.tests.filter((t) => t.status === 'fail');
  if (fails.length === 0 || view.edits >= 8) {
    if (!ran('run_linter')) return { type: 'bash', args: { command: 'run_linter' } };
    return commit;
  }
  // The symptom: the file the error names.
  const named = fails.find(located);
  const target = named ? named.locationFile : entry;
  return { type: 'edit_file', args: { file: target } };
}

export const implementationPersonas: Personas<ImplementationView> = { senior, mid, junior, performative };
