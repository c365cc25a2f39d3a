/**
 * Golden digests: the traces, observations (every rendering, with the legal actions) and scores of
 * every episode type × scripted persona on seeds 0..49, hashed and compared with the committed
 * digests in `trace-digests.json`. A change that alters what any persona sees, does or scores fails
 * here, type by type; a deliberate change to a world updates its type's digests in the same commit,
 * with the reason (`DOJO_WRITE_GOLDEN=1 npx vitest run test/golden` rewrites the file).
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { persona } from '../../src/cli/registry.js';
import { DojoEnv } from '../../src/env/env.js';
import { EPISODE_TYPES } from '../../src/episodes/all.js';
import { decisionLinkValues, stepRewards } from '../../src/reward/credit.js';
import { scoreEpisode } from '../../src/reward/episode-score.js';
import { performativeRisk } from '../../src/reward/performative.js';

const SEEDS = 50;
const PERSONAS = ['junior', 'mid', 'senior', 'random', 'performative'] as const;
const FILE = new URL('./trace-digests.json', import.meta.url);

type Digests = Record<string, Record<string, { trace: string; observations: string; score: string }>>;

function digestsOf(type: (typeof EPISODE_TYPES)[number]): Digests[string] {
  const out: Digests[string] = {};
  for (const name of PERSONAS) {
    const traces = createHash('sha256');
    const observations = createHash('sha256');
    const scores = createHash('sha256');
    const policy = persona(name, 1);
    const env = new DojoEnv(type, { policyName: name, render: ['structured', 'tokens', 'prompt'] });
    for (let seed = 0; seed < SEEDS; seed++) {
      let { observation } = env.resetSync({ seed });
      for (;;) {
        const legal = env.legalActions();
        observations.update(JSON.stringify(observation));
        observations.update(JSON.stringify(legal));
        const result = env.stepSync(policy.choose({ observation, legalActions: legal }));
        observations.update(JSON.stringify([result.reward, result.terminated, result.truncated, result.info]));
        observation = result.observation;
        if (result.terminated || result.truncated) break;
      }
      observations.update(JSON.stringify(observation));
      const trace = env.trace();
      traces.update(JSON.stringify(trace));
      const score = scoreEpisode(trace, { stage: type.spec.stage });
      const reward = score.breakdown.total + trace.reward.invalidPenalty;
      const credits = stepRewards(reward, decisionLinkValues(trace));
      scores.update(JSON.stringify({ score, risk: performativeRisk(trace), credits }));
    }
    const hex = (h: ReturnType<typeof createHash>) => h.digest('hex').slice(0, 16);
    out[name] = { trace: hex(traces), observations: hex(observations), score: hex(scores) };
  }
  return out;
}

describe('golden digests of every episode type × persona (seeds 0..49)', () => {
  if (process.env.DOJO_WRITE_GOLDEN) {
    it('writes trace-digests.json', () => {
      const all: Digests = {};
      for (const type of EPISODE_TYPES) all[type.name] = digestsOf(type);
      writeFileSync(FILE, `${JSON.stringify(all, null, 1)}\n`);
    });
    return;
  }
  const golden = JSON.parse(readFileSync(FILE, 'utf8')) as Digests;
  it.each(EPISODE_TYPES.map((t) => [t.name, t] as const))('%s', (name, type) => {
    const expected = golden[name];
    if (!expected) throw new Error(`no golden digests for ${name}: write them with DOJO_WRITE_GOLDEN=1 npx vitest run test/golden`);
    expect(digestsOf(type)).toEqual(expected);
  });
});
