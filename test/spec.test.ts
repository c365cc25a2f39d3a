/**
 * The typed spec constants must match ../shared/spec/*.yaml, the source of truth, when it is
 * present (it is beside the repository in development and CI; a plain clone skips this check).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DISTURBANCE_FREQUENCIES, ENVIRONMENT_CONTROLS, PROFILE_SWAPPING_MODES } from '../src/spec/curriculum.js';
import { EPISODE_SPECS } from '../src/spec/episodes.js';
import { OUTCOME_WEIGHTS, PHASE_BONUS, STAGE_WEIGHTS } from '../src/spec/reward.js';

const SPEC_DIR = join(import.meta.dirname, '..', '..', 'shared', 'spec');
const present = existsSync(join(SPEC_DIR, 'episodes.yaml'));

describe.runIf(present)('spec constants match shared/spec', () => {
  it('episode types, ids, stages, lengths and action vocabularies', () => {
    const yaml = parse(readFileSync(join(SPEC_DIR, 'episodes.yaml'), 'utf8')) as {
      episodes: Record<string, { id: string; stage: number; actions: string[]; trains: string[]; length: { actions: number[] } }>;
    };
    expect(Object.keys(EPISODE_SPECS).sort()).toEqual(Object.keys(yaml.episodes).sort());
    for (const [name, entry] of Object.entries(yaml.episodes)) {
      const ours = EPISODE_SPECS[name as keyof typeof EPISODE_SPECS];
      expect(ours.id).toBe(entry.id);
      expect(ours.stage).toBe(entry.stage);
      expect([...ours.trains]).toEqual(entry.trains);
      expect([...ours.length.actions]).toEqual(entry.length.actions);
      // "implementation actions" in the YAML stands for the implementation vocabulary.
      expect([...ours.actions]).toEqual(entry.actions.filter((a) => a !== 'implementation actions'));
    }
  });

  it('reward weights, stage weights and phase bonuses', () => {
    const yaml = parse(readFileSync(join(SPEC_DIR, 'reward.yaml'), 'utf8')) as {
      outcome: Record<string, number>;
      stage_weights: Record<string, { outcome: number; behavioral: number }>;
      phase_bonus: Record<string, number>;
    };
    expect(OUTCOME_WEIGHTS).toEqual(yaml.outcome);
    expect(Object.fromEntries(Object.entries(STAGE_WEIGHTS).map(([k, v]) => [k, { ...v }]))).toEqual(yaml.stage_weights);
    expect(PHASE_BONUS).toEqual(yaml.phase_bonus);
    const total = Object.values(OUTCOME_WEIGHTS).reduce((a, b) => a + b, 0);
    expect(total).toBeCloseTo(1, 10);
  });

  it('disturbance frequencies, profile-swapping modes and environment controls', () => {
    const yaml = parse(readFileSync(join(SPEC_DIR, 'curriculum.yaml'), 'utf8')) as {
      disturbances: Record<string, number>;
      profile_swapping_modes: string[];
      environment_controls: Record<string, { params: string[] }>;
    };
    expect({ ...DISTURBANCE_FREQUENCIES }).toEqual(yaml.disturbances);
    expect([...PROFILE_SWAPPING_MODES]).toEqual(yaml.profile_swapping_modes);
    expect(Object.fromEntries(Object.entries(ENVIRONMENT_CONTROLS).map(([k, v]) => [k, { params: [...v] }]))).toEqual(
      yaml.environment_controls,
    );
  });
});
