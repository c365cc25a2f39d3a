/**
 * `--pretrain-mixture`: what the base imitates. The default parses to the mixture the base cache
 * hash has always covered, the senior is refused, and bad pairs are named.
 */
import { describe, expect, it } from 'vitest';
import { TrainConfigSchema } from '../../src/train/config.js';
import { parsePretrainMixture } from '../../src/train/pretrain.js';

describe('--pretrain-mixture', () => {
  it('parses the default to junior 0.4, mid 0.4, random 0.2, in that order', () => {
    const mixture = parsePretrainMixture(TrainConfigSchema.parse({}).pretrainMixture);
    expect(JSON.stringify(mixture)).toBe('{"junior":0.4,"mid":0.4,"random":0.2}');
    expect(parsePretrainMixture(' mid = 0.7 , junior=0.3 ')).toEqual({ mid: 0.7, junior: 0.3 });
  });

  it('refuses the senior and names bad pairs', () => {
    expect(() => parsePretrainMixture('senior=0.5,mid=0.5')).toThrow(
      /"senior" cannot be imitated by the base \(choose from junior, mid, random/,
    );
    expect(() => parsePretrainMixture('mid')).toThrow(/"mid" is not name=weight/);
    expect(() => parsePretrainMixture('mid=-0.1')).toThrow(/weight ≥ 0/);
    expect(() => parsePretrainMixture('mid=0,junior=0')).toThrow(/at least one persona a positive weight/);
    expect(() => parsePretrainMixture('')).toThrow(/at least one persona a positive weight/);
  });
});
