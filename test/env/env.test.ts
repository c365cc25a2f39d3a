import { describe, expect, it } from 'vitest';
import { EnvOrderError } from '../../src/core/errors.js';
import { compactVocabulary } from '../../src/core/observation.js';
import type { Trace } from '../../src/core/trace.js';
import { DojoEnv } from '../../src/env/env.js';
import { EPISODE_TYPES } from '../../src/episodes/all.js';
import { elicitation } from '../../src/episodes/elicitation/index.js';
import { ScriptedPersona } from '../../src/policy/scripted.js';
import { rolloutSync } from '../../src/rollout/rollout.js';

describe('DojoEnv', () => {
  it('rewards 0 per ordinary step, penalizes invalid actions, and adds the outcome at the end', () => {
    const env = new DojoEnv(elicitation);
    env.resetSync({ seed: 1 });
    const ok = env.stepSync({ type: 'ask_question', args: { dimension: 'general' } });
    expect(ok.reward).toBe(0);
    expect(ok.info.valid).toBe(true);
    const bad = env.stepSync({ type: 'ask_question', args: { dimension: 'nope' } });
    expect(bad.reward).toBe(-0.02);
    expect(bad.info.error).toMatch(/must be one of/);
    const end = env.stepSync({ type: 'signal_ready' });
    expect(end.terminated).toBe(true);
    expect(end.truncated).toBe(false);
    expect(end.reward).toBeCloseTo(env.trace().reward.outcome, 10);
    expect(env.trace().invalidActions).toBe(1);
    expect(env.trace().reward.invalidPenalty).toBe(-0.02);
    expect(env.trace().decisions.map((d) => d.id)).toEqual(['elicitation-1/d0', 'elicitation-1/d1', 'elicitation-1/d2']);
  });

  it('truncates at the turn limit (truncated, not terminated) and still simulates the outcome', () => {
    const env = new DojoEnv(elicitation, { maxTurns: 3 });
    env.resetSync({ seed: 2 });
    let last = env.stepSync({ type: 'request_example' });
    last = env.stepSync({ type: 'request_example' });
    last = env.stepSync({ type: 'request_example' });
    expect(last.truncated).toBe(true);
    expect(last.terminated).toBe(false);
    expect(last.info.outcome?.outcome).toBe(env.trace().reward.outcome);
    expect(() => env.stepSync({ type: 'signal_ready' })).toThrow(EnvOrderError);
  });

  it('gives every decision a digest that depends on what was seen', () => {
    const [played] = rolloutSync(new ScriptedPersona('senior'), [{ type: elicitation, seed: 4 }]);
    const trace = played?.trace as Trace;
    const digests = trace.decisions.map((d) => d.observationDigest);
    for (const d of digests) expect(d).toMatch(/^[0-9a-f]{8}$/);
    expect(new Set(digests).size).toBe(digests.length);
  });

  it('renders tokens within the shared compact vocabulary and prompts with tool schemas', () => {
    const vocabulary = new Set(compactVocabulary(EPISODE_TYPES));
    for (const kind of EPISODE_TYPES) {
      const env = new DojoEnv(kind, { render: ['structured', 'tokens', 'prompt'] });
      const { observation } = env.resetSync({ seed: 9 });
      expect(observation.tokens?.[0]).toBe('<bos>');
      for (const token of observation.tokens ?? []) expect(vocabulary.has(token)).toBe(true);
      expect(observation.prompt?.tools.length).toBe(Object.keys(kind.actions).length);
      expect(observation.prompt?.user.length).toBeGreaterThan(50);
    }
  });
});
