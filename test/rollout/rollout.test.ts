/**
 * The episode loop (`rollout/rollout.ts`): every policy kind through one interface, results that do
 * not depend on batching or on the driver, finished episodes in spec order, free-text replies parsed
 * and unreadable ones reported without stopping, and a policy that answers wrongly reported clearly.
 */
import { describe, expect, it } from 'vitest';
import { EPISODE_TYPES } from '../../src/episodes/all.js';
import { elicitation } from '../../src/episodes/elicitation/index.js';
import { ScriptedPersona } from '../../src/policy/scripted.js';
import type { Policy, PolicyInput, PolicyOutput } from '../../src/policy/types.js';
import { type EpisodeSpec, PolicyOutputError, rollout, rolloutSync } from '../../src/rollout/rollout.js';

/** A mock language model: replays scripted replies and records what it was shown. */
class ReplayPolicy implements Policy {
  readonly name = 'replay';
  readonly capabilities = { trainable: false, observes: ['structured', 'prompt'] as const, needsLegalActions: false, batched: true };
  readonly seen: PolicyInput[] = [];
  constructor(private readonly replies: string[]) {}
  async act(inputs: readonly PolicyInput[]): Promise<PolicyOutput[]> {
    this.seen.push(...inputs);
    return inputs.map(() => ({ action: this.replies.shift() ?? '{"type": "signal_ready"}' }));
  }
}

const specs: EpisodeSpec[] = EPISODE_TYPES.flatMap((type) => [0, 1, 2].map((i) => ({ type, seed: 40 + i })));
const json = (xs: { trace: unknown }[]) => xs.map((x) => JSON.stringify(x.trace));

describe('rollout', () => {
  it('gives the same traces asynchronously, synchronously, and at any concurrency', async () => {
    for (const name of ['mid', 'random'] as const) {
      const all = await rollout(new ScriptedPersona(name, 2), specs);
      expect(json(rolloutSync(new ScriptedPersona(name, 2), specs))).toEqual(json(all));
      expect(json(await rollout(new ScriptedPersona(name, 2), specs, { concurrency: 1 }))).toEqual(json(all));
      expect(json(await rollout(new ScriptedPersona(name, 2), specs, { concurrency: 7 }))).toEqual(json(all));
      expect(all.map((e) => e.trace.type)).toEqual(specs.map((s) => s.type.name));
    }
  });

  it('reports finished episodes in spec order, and can keep none', async () => {
    const order: number[] = [];
    const kept = await rollout(new ScriptedPersona('senior', 1), specs, {
      concurrency: 5,
      keep: false,
      onEpisode: (episode, index) => {
        order.push(index);
        expect(episode.spec).toBe(specs[index]);
      },
    });
    expect(kept).toEqual([]);
    expect(order).toEqual(specs.map((_, i) => i));
  });

  it('parses free-text replies from a language model, and rejects unreadable ones without stopping', async () => {
    const policy = new ReplayPolicy([
      'What latency do we need at peak load?',
      'no idea',
      '```json\n{"type": "signal_ready", "confidence": 0.6}\n```',
    ]);
    const steps: boolean[] = [];
    const [played] = await rollout(policy, [{ type: elicitation, seed: 5 }], { onStep: (e) => steps.push(e.result.info.valid) });
    const trace = played?.trace;
    expect(steps).toEqual([true, false, true]);
    expect(trace?.decisions[0]?.action).toMatchObject({ type: 'ask_question', args: { dimension: 'performance' } });
    expect(trace?.decisions[1]?.action).toEqual({ type: 'invalid', text: 'no idea' });
    expect(trace?.decisions[2]?.action.confidence).toBe(0.6);
    expect(policy.seen[1]?.observation.prompt?.user).toMatch(/latency|performance|Nothing about/i);
    expect(policy.seen[2]?.observation.structured.last?.ok).toBe(false);
    expect(policy.seen[0]?.legalActions).toEqual([]);
  });

  it('reports a policy that answers the wrong number of inputs', async () => {
    const broken: Policy = {
      name: 'broken',
      capabilities: { trainable: false, observes: ['structured'], needsLegalActions: false, batched: true },
      act: async () => [],
    };
    await expect(rollout(broken, specs.slice(0, 2))).rejects.toThrow(PolicyOutputError);
    await expect(rollout(broken, specs.slice(0, 2))).rejects.toThrow(/returned 0 output\(s\) for 2 input\(s\)/);
  });
});
