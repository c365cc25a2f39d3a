/**
 * The performative persona for implementation (anti-gaming): goes through the motions of a senior without the
 * substance: lists and reads many files, runs the tests, edits the file named in the error (the symptom), checkpoints 'continue' whenever it can, escalates once without a blocker, runs the linter, commits.
 * Used by the reward tests to check that the composite and `performativeRisk` are not fooled.
 */
import type { Action } from '../../core/episode.js';
import type { StructuredObservation } from '../../core/observation.js';
import type { ImplementationView } from './world.js';

const FILES_READ = 5;

export function implementationPerformative(observation: StructuredObservation): Action {
  const view = observation.state as unknown as ImplementationView;
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
  const lastCheckpoint = checkpoints.length > 0 ? (checkpoints[checkpoints.length - 1] as { step: number }).step : -1;
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
  const named = fails.find((t) => t.locationFile !== undefined && t.locationFile >= 0);
  const target = named ? (named.locationFile as number) : entry;
  return { type: 'edit_file', args: { file: target } };
}
