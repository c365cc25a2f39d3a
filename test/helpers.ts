/** Shared test helpers. */
import { expect } from 'vitest';
import { DojoEnv } from '../src/env/env.js';
import type { Trace } from '../src/env/trace.js';
import type { Action, EpisodeKind } from '../src/sim/episodes/types.js';

/** Replays a fixed action sequence on a seed (every action must be accepted) and returns the trace. */
export function playActions(kind: EpisodeKind, seed: number, actions: readonly Action[]): Trace {
  const env = new DojoEnv(kind);
  env.resetSync({ seed });
  for (const action of actions) {
    const result = env.stepSync(action);
    expect(result.info.valid, `seed ${seed}: ${JSON.stringify(action)}: ${result.info.error}`).toBe(true);
    if (result.terminated || result.truncated) break;
  }
  return env.trace();
}
