/**
 * Conformance suite over every episode package of `src/episodes/all.ts`, in the Gymnasium checker
 * style: the environment checker, the leak test, the fuzz test and the lever documentation; the
 * scorer (every code it returns is one the type trains, null or in [0, 1], with signals in [0, 1]
 * and evidence ids that exist in the trace); the personas (every action legal, the same trace for
 * the same seed, whatever the batching); and the performative-risk rules (motions from the type's
 * action vocabulary). The golden digests of every type are in `test/golden`. Adding a type to
 * `all.ts` adds it here.
 */
import { describe, expect, it } from 'vitest';
import { compactVocabulary } from '../../src/core/observation.js';
import { Rng } from '../../src/core/rng.js';
import { checkEnv, checkObservation } from '../../src/env/checker.js';
import { DojoEnv } from '../../src/env/env.js';
import { EPISODE_TYPES } from '../../src/episodes/all.js';
import { PERSONA_NAMES, ScriptedPersona } from '../../src/policy/scripted.js';
import { scoreBehaviors } from '../../src/reward/behaviors.js';
import { rolloutSync } from '../../src/rollout/rollout.js';
import { BEHAVIOR_CODES } from '../../src/spec/behaviors.js';
import { EPISODE_SPECS } from '../../src/spec/episodes.js';

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

describe.each(EPISODE_TYPES.map((t) => [t.name, t] as const))('%s', (_name, type) => {
  it('passes the environment checker (spaces, determinism, no leaks, call order, close twice)', () => {
    expect(checkEnv(type, { seeds: Array.from({ length: 30 }, (_, i) => i) })).toEqual([]);
  });

  it('never leaks an unrevealed hidden item while scripted personas play (leak test)', () => {
    const vocabulary = new Set(compactVocabulary([type]));
    const problems: string[] = [];
    let checked = 0;
    for (const name of ['senior', 'mid', 'junior', 'random'] as const) {
      const policy = new ScriptedPersona(name, 3);
      const env = new DojoEnv(type, { render: ['structured', 'tokens', 'prompt'] });
      for (let seed = 0; seed < 60; seed++) {
        let { observation } = env.resetSync({ seed });
        for (;;) {
          problems.push(...checkObservation(type, observation, env.secrets(), vocabulary, seed));
          checked++;
          const result = env.stepSync(policy.choose({ observation, legalActions: env.legalActions() }));
          observation = result.observation;
          if (result.terminated || result.truncated) break;
        }
        problems.push(...checkObservation(type, observation, env.secrets(), vocabulary, seed));
      }
    }
    expect(problems).toEqual([]);
    expect(checked).toBeGreaterThan(200);
  });

  it(`survives ${FUZZ_ACTIONS} random actions and strings with zero exceptions, reporting every invalid one`, () => {
    const rng = Rng.seeded(42, type.name);
    const env = new DojoEnv(type);
    const actionTypes = Object.keys(type.actions);
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
    expect(type.levers.length).toBeGreaterThanOrEqual(2);
    for (const lever of type.levers) expect(lever.description.length).toBeGreaterThan(20);
    expect(new Set(type.vocabulary).size).toBe(type.vocabulary.length);
  });

  it('scores only the codes it trains: each null or in [0, 1], signals in [0, 1], evidence ids from the trace', () => {
    const trains = new Set<string>(type.spec.trains);
    const problems: string[] = [];
    for (const name of PERSONA_NAMES) {
      const played = rolloutSync(
        new ScriptedPersona(name, 5),
        Array.from({ length: 25 }, (_, seed) => ({ type, seed })),
      );
      for (const { trace } of played) {
        const ids = new Set(trace.decisions.map((d) => d.id));
        const where = `${name} seed ${trace.seed}`;
        const scored = type.score(trace, {});
        if (scored.length === 0) problems.push(`${where}: the scorer returned no code`);
        for (const code of scored) {
          if (!trains.has(code.code)) problems.push(`${where}: ${code.code} is not a code ${type.name} trains (${[...trains].join(', ')})`);
          if (code.score !== null && !(code.score >= 0 && code.score <= 1)) problems.push(`${where}: ${code.code} scored ${code.score}`);
          for (const signal of code.signals)
            if (signal.value !== null && !(signal.value >= 0 && signal.value <= 1))
              problems.push(`${where}: ${code.code} signal ${signal.name} is ${signal.value}`);
          for (const id of code.evidence.decisionIds)
            if (!ids.has(id)) problems.push(`${where}: ${code.code} cites ${id}, not in the trace`);
          if (code.evidence.reason.trim() === '') problems.push(`${where}: ${code.code} gives no reason`);
        }
        const all = scoreBehaviors(trace);
        if (Object.keys(all.codes).length !== BEHAVIOR_CODES.length) problems.push(`${where}: scoreBehaviors does not return all 30 codes`);
        if (all.behavioral !== null && !(all.behavioral >= 0 && all.behavioral <= 1))
          problems.push(`${where}: behavioral ${all.behavioral}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('has personas that act legally and deterministically, whatever the batching', () => {
    const specs = Array.from({ length: 20 }, (_, seed) => ({ type, seed: 100 + seed }));
    for (const name of PERSONA_NAMES) {
      const one = rolloutSync(new ScriptedPersona(name, 2), specs, { concurrency: 1 });
      const all = rolloutSync(new ScriptedPersona(name, 2), specs);
      expect(all.map((e) => JSON.stringify(e.trace))).toEqual(one.map((e) => JSON.stringify(e.trace)));
      if (name !== 'random') for (const { trace } of all) expect(trace.invalidActions, `${name} seed ${trace.seed}`).toBe(0);
    }
  });

  it('declares the entry spec/episodes.yaml has for it, when the spec lists the type', () => {
    if (Object.hasOwn(EPISODE_SPECS, type.name)) expect(type.spec).toEqual(EPISODE_SPECS[type.name as keyof typeof EPISODE_SPECS]);
    expect(type.name).toMatch(/^[a-z][a-z_]*$/);
  });

  it('names only its own actions as motions in its performative-risk rules', () => {
    for (const motion of type.performative.motions) expect(Object.keys(type.actions), motion).toContain(motion);
  });
});
