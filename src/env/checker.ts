/**
 * The environment checker: conformance checks run over every registered episode kind.
 *
 * - spaces: the action vocabulary is exactly the spec's; every legal action validates and is
 *   accepted; observations are plain JSON; tokens come from the kind's vocabulary;
 * - seeded determinism: the same seed and actions give byte-identical traces;
 * - hidden truth never leaks: no unrevealed secret appears in any rendering of any observation;
 * - invalid actions never throw, are reported, and leave the public state unchanged;
 * - call order: step before reset and step after the end are errors; close twice is fine.
 *
 * Returns the list of problems found (empty when the kind conforms).
 */

import type { Action, EpisodeWorld, Secret } from '../core/episode.js';
import { EnvOrderError } from '../core/errors.js';
import type { Observation } from '../core/observation.js';
import { compactVocabulary } from '../core/observation.js';
import { Rng } from '../core/rng.js';
import { validateAction } from './action.js';
import { DojoEnv } from './env.js';

export interface CheckOptions {
  /** Seeds to play (default 0..19). */
  seeds?: readonly number[];
}

export function checkEnv(kind: EpisodeWorld, options: CheckOptions = {}): string[] {
  const problems: string[] = [];
  const seeds = options.seeds ?? Array.from({ length: 20 }, (_, i) => i);
  const expected = [...kind.spec.actions].sort();
  const actual = Object.keys(kind.actions).sort();
  if (expected.join(',') !== actual.join(','))
    problems.push(`action vocabulary ${actual.join(',')} differs from the spec ${expected.join(',')}`);
  const vocabulary = new Set(compactVocabulary([kind]));

  const traces: string[] = [];
  for (const seed of seeds) {
    const env = new DojoEnv(kind, { render: ['structured', 'tokens', 'prompt'], policyName: 'checker' });
    const rng = Rng.seeded(seed, 'checker');
    let { observation } = env.resetSync({ seed });
    for (let guard = 0; guard < 10_000; guard++) {
      problems.push(...checkObservation(kind, observation, env.secrets(), vocabulary, seed));
      const legal = env.legalActions();
      if (legal.length === 0) {
        problems.push(`seed ${seed}: no legal action at turn ${observation.structured.turn}`);
        break;
      }
      for (const action of legal) {
        const v = validateAction(action, kind);
        if (!v.ok) problems.push(`seed ${seed}: legal action ${JSON.stringify(action)} fails validation: ${v.error}`);
      }
      // An invalid action leaves the public state unchanged.
      const before = JSON.stringify(observation.structured.state);
      const bad = env.stepSync({ type: 'no_such_action' });
      if (bad.info.valid) problems.push(`seed ${seed}: an unknown action type was accepted`);
      if (JSON.stringify(bad.observation.structured.state) !== before)
        problems.push(`seed ${seed}: an invalid action changed the public state`);
      if (bad.terminated || bad.truncated) break;
      const action = rng.pick(legal);
      const result = env.stepSync(action);
      if (!result.info.valid) problems.push(`seed ${seed}: legal action ${JSON.stringify(action)} was rejected: ${result.info.error}`);
      observation = result.observation;
      if (result.terminated || result.truncated) {
        problems.push(...checkObservation(kind, observation, env.secrets(), vocabulary, seed));
        break;
      }
    }
    const trace = env.trace();
    if (!(trace.reward.outcome >= 0 && trace.reward.outcome <= 1))
      problems.push(`seed ${seed}: outcome reward ${trace.reward.outcome} outside [0, 1]`);
    for (const [name, value] of Object.entries(trace.reward.components)) {
      if (!(value >= 0 && value <= 1)) problems.push(`seed ${seed}: component ${name} = ${value} outside [0, 1]`);
    }
    traces.push(JSON.stringify(trace));
    try {
      env.stepSync({ type: Object.keys(kind.actions)[0] as string });
      problems.push(`seed ${seed}: step() after the end did not throw`);
    } catch (error) {
      if (!(error instanceof EnvOrderError))
        problems.push(`seed ${seed}: step() after the end threw ${String(error)} instead of EnvOrderError`);
    }
    env.close();
    env.close();
  }

  // Determinism: replay the same seeds and compare traces byte for byte.
  seeds.forEach((seed, index) => {
    const env = new DojoEnv(kind, { policyName: 'checker' });
    const rng = Rng.seeded(seed, 'checker');
    let { observation } = env.resetSync({ seed });
    for (;;) {
      const legal = env.legalActions();
      if (legal.length === 0) break;
      env.stepSync({ type: 'no_such_action' });
      if (env.legalActions().length === 0) break;
      const result = env.stepSync(rng.pick(legal) as Action);
      observation = result.observation;
      if (result.terminated || result.truncated) break;
    }
    void observation;
    if (JSON.stringify(env.trace()) !== traces[index])
      problems.push(`seed ${seed}: replaying the same seed and actions gave a different trace`);
  });
  if (seeds.length > 1 && new Set(traces).size === 1) problems.push('different seeds gave identical traces');

  const fresh = new DojoEnv(kind);
  try {
    fresh.stepSync({ type: 'x' });
    problems.push('step() before reset() did not throw');
  } catch (error) {
    if (!(error instanceof EnvOrderError)) problems.push(`step() before reset() threw ${String(error)} instead of EnvOrderError`);
  }
  return problems;
}

/** Problems in one observation: leaks of unrevealed secrets, non-JSON state, unknown tokens. */
export function checkObservation(
  kind: EpisodeWorld,
  observation: Observation,
  secrets: readonly Secret[],
  vocabulary: ReadonlySet<string>,
  seed: number,
): string[] {
  const problems: string[] = [];
  const structured = JSON.stringify(observation.structured);
  if (JSON.stringify(JSON.parse(structured)) !== structured) problems.push(`seed ${seed}: structured observation is not plain JSON`);
  const prompt = observation.prompt
    ? `${observation.prompt.system}\n${observation.prompt.user}\n${JSON.stringify(observation.prompt.tools)}`
    : '';
  const tokens = observation.tokens ?? [];
  for (const secret of secrets) {
    if (secret.revealed) continue;
    const escaped = JSON.stringify(secret.text).slice(1, -1);
    if (structured.includes(escaped) || structured.includes(secret.text))
      problems.push(`seed ${seed}: unrevealed secret ${secret.id} leaks into the structured observation`);
    if (prompt.includes(secret.text) || prompt.includes(escaped))
      problems.push(`seed ${seed}: unrevealed secret ${secret.id} leaks into the prompt`);
    if (tokens.some((t) => t.includes(secret.text))) problems.push(`seed ${seed}: unrevealed secret ${secret.id} leaks into the tokens`);
  }
  for (const token of tokens)
    if (!vocabulary.has(token)) problems.push(`seed ${seed}: token "${token}" is not in the ${kind.name} vocabulary`);
  return problems;
}
