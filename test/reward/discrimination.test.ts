/**
 * The reward must reward real seniority: over 500 seeds per Stage-1 type, the stage-1 composite of
 * the scripted senior beats the junior by >= 0.25 with Cohen's d >= 1.0, and the personas are
 * ordered senior > mid > junior > random.
 */
import { describe, expect, it } from 'vitest';
import { persona, STAGE1_TYPES } from '../../src/cli/registry.js';

import { episodeType } from '../../src/episodes/all.js';
import { scoreEpisode } from '../../src/reward/episode-score.js';
import { cohensD, mean } from '../../src/reward/stats.js';
import { playSync } from '../../src/rollout/rollout.js';

const SEEDS = 500;

function composites(type: string, name: string): number[] {
  const policy = persona(name, 1);
  const out: number[] = [];
  for (let seed = 0; seed < SEEDS; seed++) out.push(scoreEpisode(playSync(policy, episodeType(type), seed)).breakdown.total);
  return out;
}

describe.each(STAGE1_TYPES.map((t) => [t]))('%s composite over 500 seeds', (type) => {
  it('senior - junior >= 0.25 with d >= 1.0, and senior > mid > junior > random', () => {
    const senior = composites(type, 'senior');
    const mid = composites(type, 'mid');
    const junior = composites(type, 'junior');
    const random = composites(type, 'random');
    expect(mean(senior) - mean(junior)).toBeGreaterThanOrEqual(0.25);
    expect(cohensD(senior, junior)).toBeGreaterThanOrEqual(1);
    expect(mean(senior)).toBeGreaterThan(mean(mid));
    expect(mean(mid)).toBeGreaterThan(mean(junior));
    expect(mean(junior)).toBeGreaterThan(mean(random));
  });
});
