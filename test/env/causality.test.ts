/**
 * The permanent test of a causal world: for every registered episode type over 500 seeds, the scripted senior
 * beats the junior by >= 0.20 mean outcome reward with Cohen's d >= 0.8, the junior beats random,
 * and outcomes vary within each persona.
 */
import { describe, expect, it } from 'vitest';
import { persona } from '../../src/cli/registry.js';
import { EPISODE_TYPES, episodeType } from '../../src/episodes/all.js';
import { cohensD } from '../../src/reward/stats.js';
import { personaOutcomes } from '../../src/rollout/outcomes.js';

const SEEDS = 500;

describe.each(EPISODE_TYPES.map((k) => [k.name]))('%s over 500 seeds', (type) => {
  it('senior >> junior > random, outcomes not constant', () => {
    const kind = episodeType(type);
    const senior = personaOutcomes(kind, persona('senior', 1), 0, SEEDS);
    const junior = personaOutcomes(kind, persona('junior', 1), 0, SEEDS);
    const random = personaOutcomes(kind, persona('random', 1), 0, SEEDS);
    const d = cohensD(senior.outcomes, junior.outcomes);
    console.info(
      `${type}: senior ${senior.mean.toFixed(3)} junior ${junior.mean.toFixed(3)} random ${random.mean.toFixed(3)} d=${d.toFixed(2)}`,
    );
    expect(senior.mean - junior.mean).toBeGreaterThanOrEqual(0.2);
    expect(d).toBeGreaterThanOrEqual(0.8);
    expect(junior.mean).toBeGreaterThan(random.mean);
    for (const stats of [senior, junior, random]) expect(stats.std).toBeGreaterThan(0.05);
  });
});
