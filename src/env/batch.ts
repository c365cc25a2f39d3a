/**
 * Synchronous batch runs of scripted personas: the hot loop behind `dojo simulate`, the benchmark
 * and the causality tests. (Trainable policies use the async `DojoEnv` API through `runEpisode`.)
 */

import type { Action, EpisodeWorld, ScenarioOptions } from '../core/episode.js';
import type { Trace } from '../core/trace.js';
import type { ScriptedPersona } from '../policy/scripted.js';
import { DojoEnv, type EnvConfig } from './env.js';

const NO_ACTIONS: Action[] = [];

/** Runs one episode of a scripted persona and returns its trace. */
export function runScripted(env: DojoEnv, persona: ScriptedPersona, seed: number, options?: ScenarioOptions): Trace {
  let { observation } = env.resetSync(options ? { seed, options } : { seed });
  for (;;) {
    // Only the random persona reads the legal actions; the others are spared building them.
    const action = persona.choose({ observation, legalActions: persona.needsLegalActions ? env.legalActions() : NO_ACTIONS });
    const result = env.stepSync(action);
    observation = result.observation;
    if (result.terminated || result.truncated) return env.trace();
  }
}

export interface PersonaStats {
  outcomes: number[];
  mean: number;
  std: number;
  meanActions: number;
  acceptance: number;
}

/** Outcome rewards of a persona over seeds `first .. first+count-1`. */
export function personaOutcomes(
  kind: EpisodeWorld,
  persona: ScriptedPersona,
  first: number,
  count: number,
  options?: ScenarioOptions,
  config?: EnvConfig,
): PersonaStats {
  const env = new DojoEnv(kind, { ...config, policyName: persona.name });
  const outcomes: number[] = [];
  let actions = 0;
  let accepted = 0;
  for (let seed = first; seed < first + count; seed++) {
    const trace = runScripted(env, persona, seed, options);
    outcomes.push(trace.reward.outcome);
    actions += trace.turns;
    if (trace.reward.components.story_accepted >= 0.5) accepted++;
  }
  const mean = outcomes.reduce((a, b) => a + b, 0) / count;
  const std = Math.sqrt(outcomes.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, count - 1));
  return { outcomes, mean, std, meanActions: actions / count, acceptance: accepted / count };
}

/** Cohen's d with a pooled standard deviation. */
export function cohensD(a: readonly number[], b: readonly number[]): number {
  const mean = (x: readonly number[]) => x.reduce((s, v) => s + v, 0) / x.length;
  const variance = (x: readonly number[], m: number) => x.reduce((s, v) => s + (v - m) ** 2, 0) / Math.max(1, x.length - 1);
  const ma = mean(a);
  const mb = mean(b);
  const pooled = Math.sqrt(((a.length - 1) * variance(a, ma) + (b.length - 1) * variance(b, mb)) / Math.max(1, a.length + b.length - 2));
  return pooled === 0 ? (ma === mb ? 0 : Number.POSITIVE_INFINITY) : (ma - mb) / pooled;
}
