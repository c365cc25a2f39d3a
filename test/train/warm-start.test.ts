/**
 * The warm start: reward-filtered imitation of logged persona episodes. Filtering keeps the best
 * share of each type by composite (never the senior: the personas are the pretraining mixture's),
 * the logged episodes are deterministic and score like the personas' own, and the imitation moves
 * the adapter toward the kept actions.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { episodeType } from '../../src/episodes/all.js';
import { DEFAULT_MODEL } from '../../src/model/config.js';
import { initEngine } from '../../src/model/engine.js';
import { initBase, initLora, initValueHead, type LoraConfig } from '../../src/model/params.js';
import { PAD, Tokenizer } from '../../src/model/tokenizer.js';
import { Transformer } from '../../src/model/transformer.js';
import { ModelPolicy } from '../../src/policy/model-policy.js';
import { AdamW } from '../../src/train/optimizer.js';
import { type ImitationEpisode, imitationEpisodes, imitationLoss, parsePretrainMixture } from '../../src/train/pretrain.js';
import { type DecisionSample, gradientStep } from '../../src/train/samples.js';
import { filterEpisodes, parseWarmStartTypes, warmStart, warmStartSamples, warmStartTypesOf } from '../../src/train/warm-start.js';

function episode(type: string, reward: number, persona: ImitationEpisode['persona'] = 'mid', decisions = 1): ImitationEpisode {
  const samples = Array.from({ length: decisions }, () => ({}) as DecisionSample);
  return { type, persona, reward, behavioral: reward, samples };
}

describe('filterEpisodes', () => {
  it('keeps the best share of each type, best first, ties in logging order, at least one', () => {
    const logged = [
      episode('a', 0.1, 'junior'),
      episode('b', 0.9, 'random', 3),
      episode('a', 0.7, 'mid', 2),
      episode('a', 0.7, 'junior', 5),
      episode('a', 0.3, 'mid'),
      episode('b', 0.2, 'mid'),
    ];
    const { kept, summary } = filterEpisodes(logged, 0.5);
    expect(kept).toEqual([logged[2], logged[3], logged[1]]);
    expect(summary).toEqual([
      { type: 'a', kept: 2, logged: 4, keptMean: 0.7, loggedMean: 0.45, decisions: 7, personas: { mid: 1, junior: 1 } },
      { type: 'b', kept: 1, logged: 2, keptMean: 0.9, loggedMean: 0.55, decisions: 3, personas: { random: 1 } },
    ]);
    expect(filterEpisodes(logged, 0.01).kept).toEqual([logged[2], logged[1]]);
    expect(filterEpisodes(logged, 1).kept).toHaveLength(6);
  });
});

describe('warm start', () => {
  const kinds = ['self_monitoring', 'research'].map((t) => episodeType(t));
  const tokenizer = Tokenizer.fromKinds(kinds);
  const encode = (tokens: readonly string[]) => tokens.map((t) => tokenizer.id(t));
  const config = {
    top: 0.25,
    episodesPerType: 40,
    epochs: 3,
    lr: 0.01,
    batch: 32,
    mixture: parsePretrainMixture('junior=0.4,mid=0.4,random=0.2'),
    seed: 3_000_000,
  };

  it('logs the pretraining personas deterministically and keeps episodes that beat the average', () => {
    const a = warmStartSamples(kinds, tokenizer, encode, config, { stage: 1 });
    const b = warmStartSamples(kinds, tokenizer, encode, config, { stage: 1 });
    expect(a.samples.map((s) => s.tokens)).toEqual(b.samples.map((s) => s.tokens));
    expect(a.summary.map((t) => t.type)).toEqual(['self_monitoring', 'research']);
    for (const t of a.summary) {
      expect(t.kept).toBe(10);
      expect(t.logged).toBe(40);
      expect(t.keptMean).toBeGreaterThan(t.loggedMean);
      expect(Object.keys(t.personas).every((p) => ['junior', 'mid', 'random'].includes(p))).toBe(true);
    }
    expect(a.samples.length).toBe(a.summary.reduce((n, t) => n + t.decisions, 0));
    // The same episodes as the imitation mixture plays on those seeds, scored the same way.
    const logged = imitationEpisodes(
      kinds,
      tokenizer,
      encode,
      { mixture: config.mixture, episodesPerType: 40, seed: 3_000_000 },
      { stage: 1 },
    );
    const best = [...logged.filter((e) => e.type === 'research')].sort((x, y) => y.reward - x.reward)[0] as ImitationEpisode;
    expect(a.summary[1]?.keptMean).toBeLessThanOrEqual(best.reward);
  });

  it('trains only the adapter toward the kept actions, deterministically', async () => {
    await initEngine('cpu');
    const { samples } = warmStartSamples(kinds, tokenizer, encode, config, { stage: 1 });
    const run = async () => {
      const modelConfig = { ...DEFAULT_MODEL, vocabSize: tokenizer.size, dim: 16, layers: 1, heads: 2, hidden: 32 };
      const rng = Rng.seeded(1, 'test');
      const model = new Transformer(modelConfig, initBase(modelConfig, rng.fork('base')), initValueHead(modelConfig));
      const lora: LoraConfig = { rank: 4, alpha: 8, targets: ['q_proj', 'v_proj'] };
      const params = initLora(modelConfig, lora, rng.fork('lora'), model.base);
      model.setLora({ config: lora, params });
      model.trainable = new Set(params.keys());
      const base = new Map([...model.base].map(([k, p]) => [k, Float32Array.from(p.data)]));
      const optimizer = new AdamW({ lr: config.lr });
      const pad = tokenizer.id(PAD);
      const { losses, skipped } = await warmStart(samples, config, 0, async (batch, lr) =>
        gradientStep(model, optimizer, batch, pad, lr, (view) => imitationLoss(batch, view, 0)),
      );
      for (const [k, p] of model.base) expect(p.data).toEqual(base.get(k));
      return { losses, skipped, policy: new ModelPolicy(model, tokenizer, { lora: true }) };
    };
    const first = await run();
    const second = await run();
    expect(first.losses).toEqual(second.losses);
    expect(first.skipped).toBe(0);
    expect(first.losses).toHaveLength(3);
    expect(first.losses[2] as number).toBeLessThan(first.losses[0] as number);
  });
});

describe('--warm-start-types', () => {
  const known = ['elicitation', 'decomposition', 'research', 'triage'];
  it('includes the types named, or every stage type, less those named with a minus', () => {
    const stage = ['elicitation', 'decomposition', 'research'];
    expect(warmStartTypesOf(parseWarmStartTypes('', known), stage)).toEqual(stage);
    expect(warmStartTypesOf(parseWarmStartTypes('-elicitation', known), stage)).toEqual(['decomposition', 'research']);
    expect(warmStartTypesOf(parseWarmStartTypes(' research , decomposition ', known), stage)).toEqual(['decomposition', 'research']);
    expect(warmStartTypesOf(parseWarmStartTypes('research,-research', known), stage)).toEqual([]);
    // A type of another stage is accepted and simply not in this one.
    expect(warmStartTypesOf(parseWarmStartTypes('triage', known), stage)).toEqual([]);
  });

  it('names an unknown type and the known ones', () => {
    expect(() => parseWarmStartTypes('decomposition,-elicitatio', known)).toThrow(
      '--warm-start-types: "elicitatio" is not an episode type (choose from elicitation, decomposition, research, triage; "-type" leaves one out)',
    );
  });
});
