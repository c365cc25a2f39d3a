/**
 * The compact tokens and the natural-language description of an implementation episode's public
 * state, and the vocabulary the tokens come from.
 */
import { FILE_KINDS, MAX_FILES, type WorkspaceFile } from '../../sim/workspace.js';
import type { Session } from './outcome.js';
import { pathOf } from './scenario.js';
import { BASH_COMMANDS, type CheckpointKind, ERROR_KINDS, type ImplementationView, POINTER_REASONS } from './types.js';

/** What the candidate can see of an episode, beyond what the outcome reads. */
export interface VisibleState extends Session {
  /** Reads per file. */
  readonly reads: readonly number[];
  readonly pointers: ImplementationView['pointers'];
  readonly findings: ImplementationView['findings'];
  readonly lastRun: ImplementationView['lastRun'];
  readonly editsSinceRun: number;
  readonly bashLog: ImplementationView['bash'];
  readonly checkpointDue: boolean;
  /** Everything changed is staged. */
  readonly allStaged: boolean;
  readonly pivoted: boolean;
}

export function implementationTokens(s: VisibleState): string[] {
  const { story, workspace, criteria } = s.scenario;
  const out = ['task:implementation', `lang:${story.language}`, `acs:${criteria.length}`, `entry:${workspace.core}`];
  for (let i = 0; i < workspace.files.length; i++) {
    out.push(`file:${i}`, `kind:${(workspace.files[i] as WorkspaceFile).kind}`);
    if ((s.reads[i] as number) > 0) out.push('read');
    if ((s.editCounts[i] as number) > 0) out.push('edited');
  }
  for (const p of s.pointers) out.push(`pointer:${p.why}`, `file:${p.file}`);
  for (const f of s.findings) out.push('finding', `file:${f.file}`);
  if (!s.lastRun) out.push('run:none');
  else {
    out.push(s.editsSinceRun > 0 ? 'run:stale' : 'run:fresh', `runs:${Math.min(s.runs.length, 9)}`);
    for (const t of s.lastRun.tests)
      if (t.status === 'fail')
        out.push(`fail:${t.errorKind}`, t.locationFile !== undefined && t.locationFile >= 0 ? `file:${t.locationFile}` : 'at:external');
  }
  for (const b of s.bashLog.slice(-4)) out.push(`bash:${b.command}`);
  out.push(`iter:${Math.min(s.cycles.length, 9)}`);
  if (s.checkpointDue) out.push('checkpoint_due');
  if (s.allStaged) out.push('staged');
  if (s.pivoted) out.push('pivoted');
  if (s.checkpoints.some((c) => c.kind === 'escalate')) out.push('escalated');
  return out;
}

export function implementationDescription(s: VisibleState): string {
  const { story, workspace, criteria } = s.scenario;
  const lines = [
    `You are a senior developer implementing task ${story.id}-T1: "${story.title}" (${story.points} points, ${story.language}).`,
    `Implement the acceptance criteria in ${pathOf(workspace, workspace.core)}, planned approach: ${s.pivoted ? workspace.approach.alternative : workspace.approach.current}. Commit (git_add, git_commit) when done; the commit goes to CI and review.`,
    '',
    `${pathOf(workspace, workspace.feature)}:`,
    ...criteria.map((c) => `- ${c.id}: ${c.text}`),
    '',
    'Files:',
    ...workspace.files.map((f, i) => {
      const marks = [(s.reads[i] as number) > 0 ? 'read' : '', (s.editCounts[i] as number) > 0 ? `edited ${s.editCounts[i]}x` : '']
        .filter(Boolean)
        .join(', ');
      return `  [${i}] ${f.path}${marks ? ` (${marks})` : ''}`;
    }),
  ];
  if (s.findings.length > 0) lines.push('', 'Found while reading:', ...s.findings.map((f) => `- ${pathOf(workspace, f.file)}: ${f.text}`));
  if (s.lastRun) {
    lines.push('', `Last test run (step ${s.lastRun.step}${s.editsSinceRun > 0 ? `, ${s.editsSinceRun} edit(s) since` : ''}):`);
    for (const t of s.lastRun.tests) lines.push(`- ${t.name}: ${t.status === 'pass' ? 'passed' : `FAILED ${t.error}`}`);
  } else lines.push('', 'The tests have not been run yet.');
  for (const b of s.bashLog.slice(-2)) lines.push('', `$ ${b.command}: ${b.output}`);
  for (const c of s.checkpoints.slice(-2)) lines.push('', `Checkpoint (${c.kind}): ${c.response}`);
  lines.push('', `Iterations so far: ${s.cycles.length}; hours spent: ${s.hours.toFixed(2)}.`);
  if (s.checkpointDue) lines.push('A checkpoint is due: continue, pivot or escalate.');
  return lines.join('\n');
}

/** Why a checkpoint was right or wrong (`doomed`: the approach could not converge when it was taken). */
export function checkpointNote(kind: CheckpointKind, right: boolean, doomed: boolean): string {
  return kind === 'continue'
    ? right
      ? 'the plan was converging'
      : doomed
        ? 'continued an approach that cannot converge'
        : 'continued while an external blocker stood'
    : kind === 'pivot'
      ? right
        ? 'pivoted away from an approach that could not converge'
        : 'pivoted away from an approach that was converging: the work starts over'
      : right
        ? 'escalated an external blocker only the lead could remove'
        : "escalated with nothing external blocking: the lead's time was wasted";
}

const ints = (n: number) => Array.from({ length: n }, (_, i) => i);

/** Every token `implementationTokens` may produce. */
export const IMPLEMENTATION_VOCABULARY: readonly string[] = [
  'task:implementation',
  ...['python', 'typescript', 'go', 'rust'].map((l) => `lang:${l}`),
  ...[2, 3, 4].map((k) => `acs:${k}`),
  ...ints(MAX_FILES).flatMap((i) => [`file:${i}`, `entry:${i}`]),
  ...FILE_KINDS.map((k) => `kind:${k}`),
  'read',
  'edited',
  ...POINTER_REASONS.map((w) => `pointer:${w}`),
  'finding',
  'run:none',
  'run:stale',
  'run:fresh',
  ...ints(10).map((i) => `runs:${i}`),
  ...ERROR_KINDS.map((k) => `fail:${k}`),
  'at:external',
  ...BASH_COMMANDS.map((c) => `bash:${c}`),
  ...ints(10).map((i) => `iter:${i}`),
  'checkpoint_due',
  'staged',
  'pivoted',
  'escalated',
];
