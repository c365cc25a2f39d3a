/**
 * Running episodes: one episode with one policy, or a batch over many seeds and types.
 */

import type { EpisodeWorld, ScenarioOptions } from '../core/episode.js';
import type { Trace } from '../core/trace.js';
import type { Policy, PolicyInput } from '../policy/types.js';
import { DojoEnv, type EnvConfig } from './env.js';

export interface RunEpisodeArgs {
  kind: EpisodeWorld;
  policy: Policy;
  seed: number;
  options?: ScenarioOptions;
  env?: EnvConfig;
  /** Called after each step with the decision and the world's reply (transcripts). */
  onStep?: (event: { turn: number; action: unknown; valid: boolean; message: string }) => void;
}

export async function runEpisode({ kind, policy, seed, options, env: config, onStep }: RunEpisodeArgs): Promise<Trace> {
  const env = new DojoEnv(kind, { ...config, policyName: policy.name });
  let { observation } = await env.reset(options ? { seed, options } : { seed });
  for (;;) {
    const input: PolicyInput = { observation, legalActions: env.legalActions() };
    const [output] = await policy.act([input]);
    if (!output) throw new Error(`policy ${policy.name} returned no output`);
    const result = await env.step(output.action);
    onStep?.({
      turn: observation.structured.turn,
      action: output.action,
      valid: result.info.valid,
      message: result.info.valid ? (result.info.response ?? '') : (result.info.error ?? ''),
    });
    observation = result.observation;
    if (result.terminated || result.truncated) break;
  }
  const trace = env.trace();
  env.close();
  return trace;
}
