import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { DojoEnv } from '../../src/env/env.js';
import { EPISODE_TYPES } from '../../src/episodes/all.js';
import { DEFAULT_MODEL, type ModelConfig } from '../../src/model/config.js';
import { initEngine } from '../../src/model/engine.js';
import { maskedLogSoftmax } from '../../src/model/masked-softmax.js';
import { initBase, initValueHead } from '../../src/model/params.js';
import { Tokenizer } from '../../src/model/tokenizer.js';
import { Transformer } from '../../src/model/transformer.js';
import { fitContext, ModelPolicy } from '../../src/policy/model-policy.js';
import type { PolicyInput } from '../../src/policy/types.js';

describe('ModelPolicy (constrained decoding)', () => {
  const tokenizer = Tokenizer.fromKinds(EPISODE_TYPES);
  const config: ModelConfig = { ...DEFAULT_MODEL, dim: 32, layers: 1, heads: 2, hidden: 48, vocabSize: tokenizer.size };
  let model: Transformer;

  beforeAll(async () => {
    await initEngine('wasm');
    const rng = Rng.seeded(1);
    model = new Transformer(config, initBase(config, rng.fork('base')), initValueHead(config));
    // A sharper random model than the init, so sampling is far from uniform.
    for (const p of model.base.values()) for (let i = 0; i < p.data.length; i++) p.data[i] = (p.data[i] as number) * 20;
    model.invalidate();
  });

  it('never emits an illegal action, on every episode type, batched across episodes', async () => {
    const policy = new ModelPolicy(model, tokenizer, { lora: false, seed: 3 });
    for (const kind of EPISODE_TYPES) {
      const envs = Array.from({ length: 3 }, () => new DojoEnv(kind, { render: ['structured', 'tokens'] }));
      const observations = envs.map((env, seed) => env.resetSync({ seed }).observation);
      const live = new Set(envs.keys());
      while (live.size > 0) {
        const ids = [...live];
        const inputs: PolicyInput[] = ids.map(
          (i) => ({ observation: observations[i], legalActions: (envs[i] as DojoEnv).legalActions() }) as PolicyInput,
        );
        const outputs = await policy.act(inputs);
        outputs.forEach((out, k) => {
          const i = ids[k] as number;
          const legal = (inputs[k] as PolicyInput).legalActions.map((a) => JSON.stringify(tokenizer.actionTokens(a)));
          expect(legal).toContain(JSON.stringify(tokenizer.actionTokens(out.action as never)));
          const step = (envs[i] as DojoEnv).stepSync(out.action);
          expect(step.info.valid).toBe(true);
          observations[i] = step.observation;
          if (step.terminated || step.truncated) live.delete(i);
        });
      }
    }
  });

  it('records log-probabilities under the constraint that the model reproduces, and decides deterministically', () => {
    const env = new DojoEnv(EPISODE_TYPES[0] as never, { render: ['structured', 'tokens'] });
    const { observation } = env.resetSync({ seed: 4 });
    const input = { observation, legalActions: env.legalActions() } as PolicyInput;
    const policy = new ModelPolicy(model, tokenizer, { lora: false, seed: 9 });
    const [d] = policy.decide([input]);
    const [again] = policy.decide([input]);
    expect(again).toEqual(d);
    if (!d) throw new Error('no decision');
    // Recompute each token's log-probability from one teacher-forced forward pass.
    const seq = [...d.context, ...d.tokens.slice(0, -1)];
    const positions = Int32Array.from(d.tokens.map((_, j) => d.context.length - 1 + j));
    const out = model.forward({ ids: Int32Array.from(seq), batch: 1, seq: seq.length, positions }, { lora: false });
    d.tokens.forEach((token, j) => {
      const allowed = d.allowed[j] as number[];
      const lp = allowed.length > 1 ? (maskedLogSoftmax(out.logits, j * config.vocabSize, allowed)[allowed.indexOf(token)] as number) : 0;
      expect(lp).toBeCloseTo(d.logProbs[j] as number, 4);
    });
    expect(d.value).toBeCloseTo(out.values[0] as number, 4);
  });

  it('fits long contexts by keeping the head and the most recent tokens', () => {
    expect(fitContext([1, 2, 3, 4, 5, 6, 7, 8], 6)).toEqual([1, 2, 3, 6, 7, 8]);
    expect(fitContext([1, 2], 6)).toEqual([1, 2]);
  });
});
