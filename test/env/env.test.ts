import { describe, expect, it } from 'vitest';
import { EnvOrderError } from '../../src/core/errors.js';
import { runScripted } from '../../src/env/batch.js';
import { DojoEnv } from '../../src/env/env.js';
import { compactVocabulary } from '../../src/env/observation.js';
import { runEpisode } from '../../src/env/rollout.js';
import { EPISODE_TYPES } from '../../src/episodes/all.js';
import { elicitation } from '../../src/episodes/elicitation/index.js';
import { ScriptedPersona } from '../../src/policy/scripted.js';
import type { Policy, PolicyInput, PolicyOutput } from '../../src/policy/types.js';

/** A mock language model: replays scripted replies and records what it was shown. */
class ReplayPolicy implements Policy {
  readonly name = 'replay';
  readonly capabilities = { trainable: false };
  readonly seen: PolicyInput[] = [];
  constructor(private readonly replies: string[]) {}
  async act(inputs: readonly PolicyInput[]): Promise<PolicyOutput[]> {
    this.seen.push(...inputs);
    return inputs.map(() => ({ action: this.replies.shift() ?? '{"type": "signal_ready"}' }));
  }
}

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
    const env = new DojoEnv(elicitation);
    const trace = runScripted(env, new ScriptedPersona('senior'), 4);
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

describe('runEpisode (async policies)', () => {
  it('gives the same trace as the synchronous loop for a scripted persona', async () => {
    for (const kind of EPISODE_TYPES) {
      const persona = new ScriptedPersona('mid', 2);
      const a = await runEpisode({ kind, policy: persona, seed: 11 });
      const b = runScripted(new DojoEnv(kind, { policyName: 'mid' }), persona, 11);
      expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    }
  });

  it('parses free-text replies from a language model, and rejects unreadable ones without stopping', async () => {
    const policy = new ReplayPolicy([
      'What latency do we need at peak load?',
      'no idea',
      '```json\n{"type": "signal_ready", "confidence": 0.6}\n```',
    ]);
    const steps: boolean[] = [];
    const trace = await runEpisode({ kind: elicitation, policy, seed: 5, env: { render: ['prompt'] }, onStep: (e) => steps.push(e.valid) });
    expect(steps).toEqual([true, false, true]);
    expect(trace.decisions[0]?.action).toMatchObject({ type: 'ask_question', args: { dimension: 'performance' } });
    expect(trace.decisions[1]?.action).toEqual({ type: 'invalid', text: 'no idea' });
    expect(trace.decisions[2]?.action.confidence).toBe(0.6);
    expect(policy.seen[1]?.observation.prompt?.user).toMatch(/latency|performance|Nothing about/i);
    expect(policy.seen[2]?.observation.structured.last?.ok).toBe(false);
  });
});
