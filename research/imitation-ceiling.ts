/**
 * What imitation can reach: trains a fresh built-in model (the `dojo train` default size) to
 * imitate one scripted persona — the senior by default, which the product never imitates — and
 * compares the imitator with the persona itself on held-out seeds, per Stage-1 type. A type where
 * even the senior's imitator stays far below the senior is limited by what the model reads (the
 * token observation) or by its size, not by the RL recipe; a type where imitation comes close is
 * one RL could in principle reach.
 *
 * Usage: npx tsx research/imitation-ceiling.ts [--persona senior] [--episodes 1000] [--epochs 3]
 *   [--lr 0.003] [--eval 100] [--threads 2] [--types elicitation,research] [--model-dim 64]
 *   [--model-layers 2] [--model-hidden 176]
 */

import { STAGE1_TYPES } from '../src/cli/registry.js';
import { mean } from '../src/core/numbers.js';
import { Rng } from '../src/core/rng.js';
import { DojoEnv } from '../src/env/env.js';
import { EPISODE_TYPES, episodeType } from '../src/episodes/all.js';
import { initEngine } from '../src/model/engine.js';
import { initBase, initValueHead } from '../src/model/params.js';
import { PAD, Tokenizer } from '../src/model/tokenizer.js';
import { Transformer } from '../src/model/transformer.js';
import { ModelPolicy } from '../src/policy/model-policy.js';
import { type PersonaName, ScriptedPersona } from '../src/policy/scripted.js';
import type { PolicyInput } from '../src/policy/types.js';
import { trainingReward } from '../src/reward/credit.js';
import { modelConfigOf } from '../src/train/base.js';
import { TrainConfigSchema } from '../src/train/config.js';
import { seniorBaselines } from '../src/train/evaluate.js';
import { Parallel } from '../src/train/parallel.js';
import { imitationSamples, PRETRAIN_BATCH, PRETRAIN_SEED, PRETRAIN_VALUE_COEF, pretrain } from '../src/train/pretrain.js';

const args = process.argv.slice(2);
const flag = (name: string, fallback: string) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? (args[at + 1] as string) : fallback;
};
const persona = flag('persona', 'senior') as PersonaName;
const types = flag('types', STAGE1_TYPES.join(',')).split(',');
const evalPerType = Number(flag('eval', '100'));
const threads = Number(flag('threads', '2'));
const started = performance.now();
const seconds = () => `${((performance.now() - started) / 1000).toFixed(0)} s`;

await initEngine('wasm');
const kinds = types.map((t) => episodeType(t));
const baselines = seniorBaselines(types);
const settings = { stage: 1, baselines };
const tokenizer = Tokenizer.fromKinds(EPISODE_TYPES);
// `dojo train`'s settings, with the model-size flags given here.
const sizeFlags = { modelDim: 'model-dim', modelLayers: 'model-layers', modelHidden: 'model-hidden' } as const;
const trainDefaults = TrainConfigSchema.parse(
  Object.fromEntries(
    Object.entries(sizeFlags)
      .filter(([, name]) => args.includes(`--${name}`))
      .map(([key, name]) => [key, Number(flag(name, ''))]),
  ),
);
const modelConfig = modelConfigOf(trainDefaults, tokenizer.size);
const model = new Transformer(modelConfig, initBase(modelConfig, Rng.seeded(0, 'init').fork('base')), initValueHead(modelConfig));
const encoder = new ModelPolicy(model, tokenizer, { lora: false });
const config = {
  batch: PRETRAIN_BATCH,
  valueCoef: PRETRAIN_VALUE_COEF,
  seed: PRETRAIN_SEED,
  mixture: { [persona]: 1 },
  episodesPerType: Number(flag('episodes', String(trainDefaults.pretrainEpisodes))),
  epochs: Number(flag('epochs', String(trainDefaults.pretrainEpochs))),
  lr: Number(flag('lr', String(trainDefaults.pretrainLr))),
};
const samples = imitationSamples(kinds, tokenizer, (t) => encoder.encodeContext(t), config, settings);
console.log(`imitating ${persona}: ${samples.length} decisions from ${config.episodesPerType} episodes per type (${seconds()})`);
const pool = await Parallel.start(threads, model, tokenizer, 'wasm');
const pad = tokenizer.id(PAD);
const { losses } = await pretrain(
  model,
  tokenizer,
  samples,
  config,
  undefined,
  {},
  (optimizer) => (batch, lr) => pool.step(optimizer, batch, pad, lr, { kind: 'imitation', valueCoef: config.valueCoef }),
);
console.log(`loss ${mean(losses.slice(0, 10)).toFixed(3)} -> ${mean(losses.slice(-10)).toFixed(3)} (${seconds()})`);

const specs = kinds.flatMap((type) => Array.from({ length: evalPerType }, (_, i) => ({ type, seed: 900_000_000 + i, key: `eval${i}` })));
const sampled = await pool.collect(new ModelPolicy(model, tokenizer, { lora: false, seed: 0, name: 'eval' }), specs, settings);
const greedy = await pool.collect(new ModelPolicy(model, tokenizer, { lora: false, greedy: true, name: 'eval' }), specs, settings);
await pool.close();

const scripted = new ScriptedPersona(persona, 0);
const imitator = new ModelPolicy(model, tokenizer, { lora: false, greedy: true, name: 'eval' });
const agreement = new Map<string, { agree: number; total: number; wrong: Map<string, number> }>();
console.log(`\ntype               ${persona.padEnd(8)} imitator(sampled) imitator(greedy)  actions: ${persona} / greedy`);
for (const kind of kinds) {
  const env = new DojoEnv(kind, { render: ['structured', 'tokens'] });
  const rewards: number[] = [];
  const lengths: number[] = [];
  for (let i = 0; i < evalPerType; i++) {
    let { observation } = env.resetSync({ seed: 900_000_000 + i });
    for (;;) {
      const legalActions = env.legalActions();
      const action = scripted.choose({ observation, legalActions } as PolicyInput);
      // Teacher forcing: would the imitator (greedy) take the persona's action in the persona's state?
      const [mine] = imitator.decide([{ observation, legalActions } as PolicyInput]);
      const key = tokenizer.actionTokens(action).join(' ');
      const agree = mine !== undefined && tokenizer.actionTokens(mine.action).join(' ') === key;
      const tally = agreement.get(`${kind.name} ${action.type}`) ?? { agree: 0, total: 0, wrong: new Map<string, number>() };
      tally.total++;
      if (agree) tally.agree++;
      else if (mine) {
        const what = `${key} -> ${tokenizer.actionTokens(mine.action).join(' ')}`;
        tally.wrong.set(what, (tally.wrong.get(what) ?? 0) + 1);
      }
      agreement.set(`${kind.name} ${action.type}`, tally);
      const step = env.stepSync(action);
      observation = step.observation;
      if (step.terminated || step.truncated) break;
    }
    const trace = env.trace();
    rewards.push(trainingReward(trace, settings).reward);
    lengths.push(trace.decisions.length);
  }
  env.close();
  const of = (eps: typeof sampled) => eps.filter((e) => e.trace.type === kind.name);
  console.log(
    `${kind.name.padEnd(18)} ${mean(rewards).toFixed(3).padEnd(8)} ${mean(of(sampled).map((e) => e.reward))
      .toFixed(3)
      .padEnd(17)} ${mean(of(greedy).map((e) => e.reward))
      .toFixed(3)
      .padEnd(17)} ${mean(lengths).toFixed(1)} / ${mean(of(greedy).map((e) => e.decisions.length)).toFixed(1)}`,
  );
}
console.log(`\nteacher-forced agreement (greedy imitator vs ${persona}, in ${persona}'s states), with the commonest misses:`);
for (const [key, t] of agreement) {
  const misses = [...t.wrong].sort((a, b) => b[1] - a[1]).slice(0, 3);
  console.log(`${key.padEnd(42)} ${(t.agree / t.total).toFixed(3)} of ${t.total}  ${misses.map(([w, n]) => `[${w}] ×${n}`).join('  ')}`);
}
console.log(`(${seconds()})`);
