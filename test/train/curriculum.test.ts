/**
 * The episode mix of a stage: `--mix` parsing (what it accepts, the messages for what it does not)
 * and that the iteration specs follow the weights.
 */
import { describe, expect, it } from 'vitest';
import { TrainConfigSchema } from '../../src/train/config.js';
import { iterationSpecs, parseMix, STAGE_MIX, stageMix } from '../../src/train/curriculum.js';

describe('--mix', () => {
  it('replaces the named types’ weights and keeps the midpoints for the rest', () => {
    const overrides = parseMix(' elicitation=1000, implementation = 0 ', [1]);
    expect(overrides).toEqual({ elicitation: 1000, implementation: 0 });
    expect(stageMix(1, overrides)).toEqual({ ...STAGE_MIX[1], elicitation: 1000, implementation: 0 });
    expect(parseMix('', [1])).toEqual({});
    expect(stageMix(1)).toEqual(STAGE_MIX[1]);
  });

  it('names the bad pair and the fix', () => {
    expect(() => parseMix('elicitation', [1])).toThrow(/"elicitation" is not name=weight/);
    expect(() => parseMix('elicitation=-1', [1])).toThrow(/weight ≥ 0/);
    expect(() => parseMix('elicitation=x', [1])).toThrow(/"elicitation=x"/);
    expect(() => parseMix('triage=10', [1])).toThrow(/"triage" is not an episode type of stage 1 \(types: elicitation, /);
    expect(parseMix('triage=10', [1, 2])).toEqual({ triage: 10 });
    expect(() => parseMix('toString=1', [1])).toThrow(/"toString" is not an episode type/);
    const zeros = Object.keys(STAGE_MIX[1])
      .map((t) => `${t}=0`)
      .join(',');
    expect(() => parseMix(zeros, [1])).toThrow(/every type of stage 1 has weight 0/);
  });

  it('deals iteration episodes by the weights', () => {
    const config = TrainConfigSchema.parse({ episodesPerIteration: 4000 });
    const mix = stageMix(1, parseMix('elicitation=3000,decomposition=1000,implementation=0,self_monitoring=0,research=0', [1]));
    const specs = iterationSpecs(config.seed, 1, 0, mix, config.episodesPerIteration, 1);
    const share = specs.filter((s) => s.type.name === 'elicitation').length / specs.length;
    expect(share).toBeGreaterThan(0.7);
    expect(share).toBeLessThan(0.8);
    expect(new Set(specs.map((s) => s.type.name))).toEqual(new Set(['elicitation', 'decomposition']));
  });
});
