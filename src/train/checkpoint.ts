/**
 * Run checkpoints: everything needed to continue a run exactly where it stopped — the adapter and
 * value-head weights, the optimizer's moments and step, the curriculum position, the global episode
 * counter and the byte lengths of the append-only logs at that moment (a resumed run truncates the
 * logs back to them, so no episode is lost or repeated). Episode seeds and sampling keys are
 * derived from the run seed and counters, so no generator state needs saving beyond these.
 *
 * Written atomically: a fresh directory is filled, then swapped in by renames; a crash between the
 * renames leaves `checkpoint.old`, which `readCheckpoint` falls back to.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Param } from '../model/params.js';
import { decodeSafetensors, encodeSafetensors } from '../model/safetensors.js';
import type { AdamW } from './optimizer.js';

export const CHECKPOINT_SCHEMA = 'dojo.checkpoint/1';

export interface CheckpointState {
  schema: typeof CHECKPOINT_SCHEMA;
  /** Index into the run's stage list. */
  stageIndex: number;
  /** Iterations completed in this stage. */
  iteration: number;
  /** Episodes completed in this stage. */
  stageEpisodes: number;
  /** Episodes completed in the run (the next episode's id). */
  episodeCounter: number;
  optimizerStep: number;
  /** Byte length of each log file at checkpoint time. */
  logBytes: Record<string, number>;
  /** Set when the stage is finished (graduated or out of budget) and its adapter saved. */
  stageDone: boolean;
  /** Milliseconds of training already spent before this checkpoint (for the time budget). */
  elapsedMs: number;
  /** Free-form summary of finished stages. */
  stages: Record<string, unknown>[];
}

export interface CheckpointData {
  state: CheckpointState;
  params: Map<string, Param>;
  moments: { m: Map<string, Float32Array>; v: Map<string, Float32Array> };
}

function toTensors(params: ReadonlyMap<string, Param>): Record<string, { shape: readonly number[]; data: Float32Array }> {
  return Object.fromEntries([...params].map(([k, p]) => [k, { shape: p.shape, data: p.data }]));
}

export function writeCheckpoint(runDir: string, state: CheckpointState, params: ReadonlyMap<string, Param>, optimizer: AdamW): void {
  const final = join(runDir, 'checkpoint');
  const temporary = join(runDir, `checkpoint.tmp-${process.pid}`);
  const old = join(runDir, 'checkpoint.old');
  rmSync(temporary, { recursive: true, force: true });
  mkdirSync(temporary, { recursive: true });
  writeFileSync(join(temporary, 'params.safetensors'), encodeSafetensors(toTensors(params)));
  const moments: Record<string, { shape: readonly number[]; data: Float32Array }> = {};
  for (const [k, m] of optimizer.m) moments[`m/${k}`] = { shape: [m.length], data: m };
  for (const [k, v] of optimizer.v) moments[`v/${k}`] = { shape: [v.length], data: v };
  writeFileSync(join(temporary, 'optimizer.safetensors'), encodeSafetensors(moments));
  writeFileSync(join(temporary, 'state.json'), `${JSON.stringify(state, null, 2)}\n`);
  rmSync(old, { recursive: true, force: true });
  if (existsSync(final)) renameSync(final, old);
  renameSync(temporary, final);
  rmSync(old, { recursive: true, force: true });
}

export function readCheckpoint(runDir: string): CheckpointData | undefined {
  let dir = join(runDir, 'checkpoint');
  if (!existsSync(join(dir, 'state.json'))) {
    dir = join(runDir, 'checkpoint.old');
    if (!existsSync(join(dir, 'state.json'))) return undefined;
  }
  const statePath = join(dir, 'state.json');
  let state: CheckpointState;
  try {
    state = JSON.parse(readFileSync(statePath, 'utf8')) as CheckpointState;
  } catch (error) {
    throw new Error(`${statePath}: not valid JSON (${(error as Error).message}); delete the checkpoint directory to restart the run`);
  }
  if (state.schema !== CHECKPOINT_SCHEMA)
    throw new Error(`${statePath}: field "schema" is ${JSON.stringify(state.schema)}, expected ${CHECKPOINT_SCHEMA}`);
  const paramsFile = join(dir, 'params.safetensors');
  const params = new Map<string, Param>();
  for (const [k, t] of Object.entries(decodeSafetensors(readFileSync(paramsFile), paramsFile).tensors)) params.set(k, t);
  const optimizerFile = join(dir, 'optimizer.safetensors');
  const m = new Map<string, Float32Array>();
  const v = new Map<string, Float32Array>();
  for (const [k, t] of Object.entries(decodeSafetensors(readFileSync(optimizerFile), optimizerFile).tensors)) {
    if (k.startsWith('m/')) m.set(k.slice(2), t.data);
    else if (k.startsWith('v/')) v.set(k.slice(2), t.data);
  }
  return { state, params, moments: { m, v } };
}
