/** Shared test helpers. */
import { expect } from 'vitest';
import type { Action, EpisodeWorld, OutcomeFacts } from '../src/core/episode.js';
import type { Trace } from '../src/core/trace.js';

import { DojoEnv } from '../src/env/env.js';
import { ScriptedPersona } from '../src/policy/scripted.js';
import { playSync } from '../src/rollout/rollout.js';
import type { BehaviorCode } from '../src/spec/behaviors.js';

/**
 * Replays a fixed action sequence on a seed (every action must be accepted) and returns the trace,
 * typed by the episode type's outcome facts and hidden truth.
 */
export function playActions<View extends Record<string, unknown>, Facts extends OutcomeFacts, Hidden extends Record<string, unknown>>(
  type: EpisodeWorld<View, Facts, Hidden>,
  seed: number,
  actions: readonly Action[],
): Trace<Facts, Hidden> {
  const env = new DojoEnv(type);
  env.resetSync({ seed });
  for (const action of actions) {
    const result = env.stepSync(action);
    expect(result.info.valid, `seed ${seed}: ${JSON.stringify(action)}: ${result.info.error}`).toBe(true);
    if (result.terminated || result.truncated) break;
  }
  return env.trace();
}

/** One row of a scorer's table test: actions scripted from the hidden truth of a seed, and the expected score range of one code. */
export interface ScorerCase<Hidden> {
  name: string;
  code: BehaviorCode;
  seed: number;
  actions: (hidden: Hidden) => Action[];
  min?: number;
  max?: number;
}

/** The same seed replays byte-identically with the scripted senior; the next seed differs. */
export function expectDeterministicBySeed<
  View extends Record<string, unknown>,
  Facts extends OutcomeFacts,
  Hidden extends Record<string, unknown>,
>(type: EpisodeWorld<View, Facts, Hidden>): void {
  const senior = new ScriptedPersona('senior', 1);
  const first = JSON.stringify(playSync(senior, type, 42));
  expect(JSON.stringify(playSync(senior, type, 42))).toBe(first);
  expect(JSON.stringify(playSync(senior, type, 43))).not.toBe(first);
}
