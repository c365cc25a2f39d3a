/**
 * Conformance suite over every registered episode kind: the environment checker, the leak test,
 * the fuzz test and the lever documentation. Adding a kind to the registry adds it here.
 */
import { describe, expect, it } from 'vitest';
import { persona } from '../../src/cli/registry.js';
import { compactVocabulary } from '../../src/core/observation.js';
import { Rng } from '../../src/core/rng.js';
import { checkEnv, checkObservation } from '../../src/env/checker.js';
import { DojoEnv } from '../../src/env/env.js';
import { EPISODE_TYPES } from '../../src/episodes/all.js';

const FUZZ_ACTIONS = 10_000;

/** Random junk shaped like actions: wrong types, wrong args, strings, nonsense. */
function junk(rng: Rng, actionTypes: string[], legal: unknown[]): unknown {
  const roll = rng.int(12);
  const word = () => rng.pick(['', 'x', 'ask_question', 'security', '-1', '999', '{', 'null', 'ünïcode ✓', 'a'.repeat(rng.int(50))]);
  switch (roll) {
    case 0:
      return rng.pick(legal);
    case 1:
      return { type: rng.pick(actionTypes), args: { [word()]: word() } };
    case 2:
      return {
        type: rng.pick(actionTypes),
        args: Object.fromEntries(
          Object.entries((rng.pick(legal) as { args?: object }).args ?? {}).map(([k]) => [k, rng.pick([word(), -5, 1e9, true, null, [1]])]),
        ),
      };
    case 3:
      return { type: word() };
    case 4:
      return word();
    case 5:
      return JSON.stringify({ type: rng.pick(actionTypes), args: {} });
    case 6:
      return `${rng.pick(actionTypes)}(${word()}=${word()})`;
    case 7:
      return rng.pick([null, undefined, 42, [], true, { type: 42 }, { args: [] }]);
    case 8:
      return { ...(rng.pick(legal) as object), confidence: rng.pick([-1, 2, Number.NaN, '0.5', 0.5]) };
    case 9:
      return { ...(rng.pick(legal) as object), text: rng.pick([5, 'why?', 'x'.repeat(9000)]) };
    case 10:
      return 'x'.repeat(rng.int(10_000));
    default:
      return `What about ${word()}? I assume ${word()}.`;
  }
}

describe.each(EPISODE_TYPES.map((k) => [k.name, k] as const))('%s', (_name, kind) => {
  it('passes the environment checker (spaces, determinism, no leaks, call order, close twice)', () => {
    expect(checkEnv(kind, { seeds: Array.from({ length: 30 }, (_, i) => i) })).toEqual([]);
  });

  it('never leaks an unrevealed hidden item while scripted personas play (leak test)', () => {
    const vocabulary = new Set(compactVocabulary([kind]));
    const problems: string[] = [];
    let checked = 0;
    for (const name of ['senior', 'mid', 'junior', 'random']) {
      const policy = persona(name, 3);
      const env = new DojoEnv(kind, { render: ['structured', 'tokens', 'prompt'] });
      for (let seed = 0; seed < 60; seed++) {
        let { observation } = env.resetSync({ seed });
        for (;;) {
          problems.push(...checkObservation(kind, observation, env.secrets(), vocabulary, seed));
          checked++;
          const result = env.stepSync(policy.choose({ observation, legalActions: env.legalActions() }));
          observation = result.observation;
          if (result.terminated || result.truncated) break;
        }
        problems.push(...checkObservation(kind, observation, env.secrets(), vocabulary, seed));
      }
    }
    expect(problems).toEqual([]);
    expect(checked).toBeGreaterThan(200);
  });

  it(`survives ${FUZZ_ACTIONS} random actions and strings with zero exceptions, reporting every invalid one`, () => {
    const rng = Rng.seeded(42, kind.name);
    const env = new DojoEnv(kind);
    const actionTypes = Object.keys(kind.actions);
    let seed = 0;
    env.resetSync({ seed });
    let invalid = 0;
    let valid = 0;
    for (let i = 0; i < FUZZ_ACTIONS; i++) {
      const input = junk(rng, actionTypes, env.legalActions());
      const result = env.stepSync(input as never);
      if (result.info.valid) valid++;
      else {
        invalid++;
        expect(result.info.error, `no error message for ${JSON.stringify(input)?.slice(0, 100)}`).toMatch(/\S/);
        expect(result.reward).toBeLessThan(result.terminated || result.truncated ? 1 : 0);
      }
      if (result.terminated || result.truncated) {
        const trace = env.trace();
        expect(trace.invalidActions).toBe(trace.decisions.filter((d) => !d.valid).length);
        env.resetSync({ seed: ++seed });
      }
    }
    expect(invalid).toBeGreaterThan(FUZZ_ACTIONS / 3);
    expect(valid).toBeGreaterThan(0);
  });

  it('documents at least two levers and uses only declared tokens', () => {
    expect(kind.levers.length).toBeGreaterThanOrEqual(2);
    for (const lever of kind.levers) expect(lever.description.length).toBeGreaterThan(20);
    expect(new Set(kind.vocabulary).size).toBe(kind.vocabulary.length);
  });
});
