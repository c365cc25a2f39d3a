/**
 * Efficiency baselines (`baselines:` in spec/reward.yaml): the median action count of successful
 * episodes of a reference policy, per episode type and difficulty. They feed the efficiency term
 * of the composite reward. File format `dojo.baselines/1` (JSON), documented in
 * docs/reward-composite.md:
 *
 *   { "schema": "dojo.baselines/1",
 *     "createdWith": { "policy": "senior", "episodes": 1300, ... },
 *     "entries": { "elicitation": { "easy": { "medianActions": 7, "episodes": 100, "successRate": 0.82 } } } }
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { DojoError } from '../core/errors.js';
import type { Trace } from '../core/trace.js';
import { DIFFICULTIES } from '../spec/episodes.js';

export const BASELINES_SCHEMA = 'dojo.baselines/1';

/** Difficulty keys: the three difficulties, or `any` for traces run without one. */
export const BASELINE_DIFFICULTIES = [...DIFFICULTIES, 'any'] as const;
export type BaselineDifficulty = (typeof BASELINE_DIFFICULTIES)[number];

/** A baselines file that cannot be read or used. The message names the file, the field and the fix. */
export class BaselinesError extends DojoError {
  override name = 'BaselinesError';
}

export const BaselineEntrySchema = z.strictObject({
  /** Median action count (trace.turns) of the successful episodes of the cell. */
  medianActions: z.number().positive(),
  /** Episodes of the cell, successful or not. */
  episodes: z.number().int().positive(),
  /** Successful episodes / episodes. */
  successRate: z.number().min(0).max(1),
});
export type BaselineEntry = z.infer<typeof BaselineEntrySchema>;

export const BaselinesFileSchema = z.strictObject({
  schema: z.literal(BASELINES_SCHEMA),
  /** How the baselines were made: policy name(s), trace count, and anything else worth keeping. */
  createdWith: z.looseObject({ policy: z.string(), traces: z.number().int().nonnegative() }),
  entries: z.record(z.string(), z.partialRecord(z.enum(BASELINE_DIFFICULTIES), BaselineEntrySchema)),
});
export type BaselinesFile = z.infer<typeof BaselinesFileSchema>;

/** The difficulty a trace ran at: `options.difficulty` when it is one of DIFFICULTIES, else `any`. */
export function traceDifficulty(trace: Pick<Trace, 'options'>): BaselineDifficulty {
  const value = trace.options.difficulty;
  return typeof value === 'string' && (DIFFICULTIES as readonly string[]).includes(value) ? (value as BaselineDifficulty) : 'any';
}

/**
 * Baselines from the traces of a reference policy: per type × difficulty, the median `turns` of
 * the episodes `isSuccess` accepts (mean of the two middle values for an even count). A cell
 * with no successful episode gets no entry: its efficiency term is 0 until a baseline exists.
 * `createdWith` gets the sorted distinct policy names and the trace count, plus `extra`.
 */
export function computeBaselines(
  traces: readonly Trace[],
  isSuccess: (trace: Trace) => boolean,
  extra: Record<string, unknown> = {},
): BaselinesFile {
  const cells = new Map<string, { type: string; difficulty: BaselineDifficulty; actions: number[]; episodes: number }>();
  for (const trace of traces) {
    const difficulty = traceDifficulty(trace);
    const key = `${trace.type}\u0000${difficulty}`;
    let cell = cells.get(key);
    if (!cell) {
      cell = { type: trace.type, difficulty, actions: [], episodes: 0 };
      cells.set(key, cell);
    }
    cell.episodes++;
    if (isSuccess(trace)) cell.actions.push(trace.turns);
  }
  const entries: BaselinesFile['entries'] = {};
  // Sorted keys, so the same traces always give byte-identical files.
  for (const cell of [...cells.values()].sort((a, b) => (a.type + a.difficulty < b.type + b.difficulty ? -1 : 1))) {
    if (cell.actions.length === 0) continue;
    const forType = entries[cell.type] ?? {};
    entries[cell.type] = forType;
    forType[cell.difficulty] = {
      medianActions: median(cell.actions),
      episodes: cell.episodes,
      successRate: cell.actions.length / cell.episodes,
    };
  }
  const policies = [...new Set(traces.map((t) => t.policy))].sort().join(',');
  return { schema: BASELINES_SCHEMA, createdWith: { ...extra, policy: policies, traces: traces.length }, entries };
}

/** Baseline actions for a type and difficulty, falling back to `any`; null when there is none. */
export function baselineActions(baselines: BaselinesFile, type: string, difficulty: BaselineDifficulty): number | null {
  const forType = baselines.entries[type];
  return forType?.[difficulty]?.medianActions ?? forType?.any?.medianActions ?? null;
}

/** Reads and validates a baselines file. Throws `BaselinesError` naming the file, the field and the fix. */
export function readBaselines(path: string): BaselinesFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : `cannot be read (${(error as Error).message})`;
    throw new BaselinesError(
      `Baselines file ${path} ${reason}. Fix: compute baselines from reference-policy traces with computeBaselines() and save them with writeBaselines().`,
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new BaselinesError(
      `Baselines file ${path} is not valid JSON (${(error as Error).message}). Fix: rewrite it with writeBaselines(), or repair the JSON by hand.`,
    );
  }
  const parsed = BaselinesFileSchema.safeParse(data);
  if (!parsed.success) throw new BaselinesError(describeIssues(path, parsed.error));
  return parsed.data;
}

/** Validates and writes a baselines file atomically: a temporary file beside it, then a rename. */
export function writeBaselines(path: string, data: BaselinesFile): void {
  const parsed = BaselinesFileSchema.safeParse(data);
  if (!parsed.success) throw new BaselinesError(describeIssues(path, parsed.error).replace('is invalid', 'would be invalid'));
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, `${JSON.stringify(parsed.data, null, 2)}\n`, 'utf8');
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

function describeIssues(path: string, error: z.ZodError): string {
  const lines = error.issues.slice(0, 5).map((issue) => {
    const field = issue.path.length === 0 ? '(top level)' : issue.path.map(String).join('.');
    return `  - field ${field}: ${issue.message}. Fix: ${fixFor(issue)}`;
  });
  const more = error.issues.length > 5 ? `\n  ... and ${error.issues.length - 5} more` : '';
  return `Baselines file ${path} is invalid (${BASELINES_SCHEMA}):\n${lines.join('\n')}${more}`;
}

function fixFor(issue: z.core.$ZodIssue): string {
  const path = issue.path;
  const [head, , difficulty, field] = path;
  if (path.length === 0 && issue.code === 'unrecognized_keys')
    return 'remove the field: the file has schema, createdWith and entries only.';
  if (head === 'schema') return `set "schema": "${BASELINES_SCHEMA}" (files of another version must be recomputed).`;
  if (head === 'createdWith') return 'give createdWith a "policy" string and a "traces" count.';
  if (head === 'entries' && (path.length === 3 || (path.length === 2 && issue.code === 'unrecognized_keys')))
    return `use a difficulty key among ${BASELINE_DIFFICULTIES.join(', ')}.`;
  if (head === 'entries' && field === 'medianActions') return 'medianActions must be a number > 0 (median actions of successful episodes).';
  if (head === 'entries' && field === 'episodes') return 'episodes must be a whole number > 0.';
  if (head === 'entries' && field === 'successRate') return 'successRate must be in [0, 1].';
  if (head === 'entries' && difficulty !== undefined)
    return 'each entry is {"medianActions": number, "episodes": integer, "successRate": number} and nothing else.';
  if (head === 'entries') return 'entries maps type -> difficulty -> {medianActions, episodes, successRate}.';
  return 'remove the field or recompute the file with computeBaselines().';
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}
