/**
 * A quick RL probe for research on the learning recipe, outside the run machinery of `dojo train`:
 * PPO (GAE with the value head) or GRPO (outcome-only, groups per scenario) with a fresh LoRA
 * adapter on a saved base, on one or several Stage-1 types dealt round-robin, with a constant
 * learning rate and no KL penalty unless `--kl`; sampled held-out evaluation (seeds 900,000,000 up) before and
 * after. Prints the training reward every few iterations.
 *
 * `--sil-top K` adds self-imitation: the K best episodes per type seen so far (by composite) are
 * kept, and after each PPO/GRPO update `--sil-steps` minibatches of `--sil-batch` of their decisions
 * are imitated (masked cross-entropy) at `--sil-lr`. `--balance P` scales each decision's advantage
 * by (mean episode length / its episode's length)^P (1: every episode weighs the same). Measured
 * 2026-12-06: neither beat plain PPO (BENCHMARKS.md, "Pretraining").
 *
 * `--kl B` adds the KL penalty to the base (as `dojo train`'s `--ppo-kl-beta`). `--prefix-share P`
 * starts that share of the training episodes after 1..`--prefix-max` actions of a scripted persona
 * (`--prefix-persona`, default mid; the persona's actions are played, not trained on) — a probe of
 * whether RL learns the later steps of a chain when it is put in their states. `--eval-prefix K`
 * also evaluates after K persona actions and lists the commonest action sequences with their mean
 * composite; evaluation reports the self-correction rate (planted issue found) for self_monitoring.
 *
 * The adapter is `dojo train`'s default (`--lora-*` override it; `--lora-modules-to-save ''` for the
 * low-rank matrices alone, as every probe before 2026-12-07 ran). `--signals` prints, per type, the
 * mean of every behavior code and signal in the evaluations. `--best-epochs E` (with `--algo grpo`)
 * adds best-of-group imitation: each scenario group's best episode, where it beats the group mean
 * by more than `--best-margin`, is imitated for E epochs at `--sil-lr`; `--pg 0` skips the policy-
 * gradient update (expert iteration alone). Diagnostics: `--teacher senior` imitates that persona's
 * `--teacher-episodes` per type for `--best-epochs` epochs instead of RL, evaluating after each;
 * `--full` trains every weight, `--also lm_head,norm` also the base weights whose names contain
 * these (what limits an adapter: BENCHMARKS.md, "Adapters that carry the embedding and the head").
 * `--adapter DIR` starts from a saved adapter (e.g. a run's `adapters/lora-v1`; with
 * `--iterations 0` it only evaluates it); `--personas junior,mid,senior` with `--signals` also
 * prints those scripted personas' signals on the same held-out seeds. `--greedy` evaluates greedily;
 * `--sequences` lists the commonest self_monitoring action sequences of each evaluation.
 *
 * Credit-assignment probes (measured 2026-12-07, BENCHMARKS.md "Exact per-decision credit"):
 * `--vine K` (PPO) replaces GAE by VinePPO-style Monte-Carlo values — V(s_t) the mean composite of
 * K policy rollouts from decision state t, replayed from the seed (`--vine-types` limits it to some
 * types; the cost grows with the square of the episode length); `--branch` (GRPO) plays one trunk
 * per scenario and the rest of the group from a random decision of it, so a group compares
 * continuations of one state.
 *
 * Warm start (as `dojo train --warm-start-*`, src/train/warm-start.ts): `--offline-top F` imitates the
 * best F of `--offline-episodes` (default 1000) logged episodes per type of the pretraining mixture
 * (`--offline-mixture`) for `--offline-epochs` epochs at `--sil-lr` before RL; `--offline-aux K`
 * imitates K minibatches of them after each update. `--offline-types T,...` logs only those types,
 * `--offline-episodes-of type=N,...` gives some types another count, `--offline-by behavioral` ranks
 * by the behavioral channel instead of the composite, `--offline-explore E` replaces each persona
 * decision by a uniformly drawn legal action with probability E (exploration noise in the logged
 * data). Measured 2026-12-07 (BENCHMARKS.md, "Warm start: what else was tried"): none of these
 * lifts a criterion past its threshold. Evaluations print the graduation values (elicitation /
 * decomposition quality, self-correction) of the types they cover.
 *
 * Usage: npx tsx scripts/rl-probe.ts --base .dojo/base-<hash> [--types elicitation,research]
 *   [--algo ppo|grpo] [--iterations 20] [--episodes 128] [--lr 0.002] [--epochs 3] [--minibatch 128]
 *   [--group 8] [--entropy 0.01] [--kl 0] [--eval 100] [--threads 2]
 *   [--sil-top 0] [--sil-steps 4] [--sil-batch 128] [--sil-lr <lr>] [--balance 0]
 *   [--prefix-share 0] [--prefix-persona mid] [--prefix-max 2] [--eval-prefix 0]
 *   [--best-epochs 0] [--best-margin 0] [--pg 1] [--teacher senior --teacher-episodes 1000] [--full] [--also lm_head,norm]
 *   [--vine 0 --vine-types T,...] [--branch] [--greedy] [--sequences]
 *   [--offline-top 0 --offline-episodes 1000 --offline-epochs 2 --offline-aux 0 --offline-mixture junior=0.4,mid=0.4,random=0.2]
 *   [--offline-types T,... --offline-episodes-of type=N,... --offline-by composite|behavioral --offline-explore 0]
 *   [--signals] [--personas mid,senior] [--adapter DIR] [--lora-modules-to-save embed_tokens,lm_head] [--lora-rank 8] [--lora-alpha 16]
 *   [--lora-targets q_proj,v_proj,o_proj,up_proj,down_proj]
 */
import { persona, STAGE1_TYPES } from '../src/cli/registry.js';
import type { Action } from '../src/core/episode.js';
import type { Observation } from '../src/core/observation.js';
import { Rng } from '../src/core/rng.js';
import { runScripted } from '../src/env/batch.js';
import { DojoEnv } from '../src/env/env.js';
import { episodeType } from '../src/episodes/all.js';
import { initEngine } from '../src/model/engine.js';
import { loadAdapter, loadModel } from '../src/model/io.js';
import { initLora, type LoraTarget, type SavedModule } from '../src/model/params.js';
import { ModelPolicy } from '../src/model/policy.js';
import { PAD } from '../src/model/tokenizer.js';
import type { PersonaName } from '../src/policy/scripted.js';
import type { TokenDecision } from '../src/policy/types.js';
import { parseWeightPairs, TrainConfigSchema } from '../src/train/config.js';
import { graduation } from '../src/train/curriculum.js';
import { grpoAdvantages } from '../src/train/grpo.js';
import { AdamW } from '../src/train/optimizer.js';
import { type LossSpec, Parallel } from '../src/train/parallel.js';
import { DEFAULT_PPO, minibatches, ppoAdvantages } from '../src/train/ppo.js';
import { DEFAULT_PRETRAIN, imitationEpisodes, imitationSamples, parsePretrainMixture } from '../src/train/pretrain.js';
import type { CollectedEpisode, EpisodeSpec } from '../src/train/rollout.js';
import { playToEnd, scoreTrace } from '../src/train/rollout.js';
import type { DecisionSample } from '../src/train/samples.js';
import { seniorBaselines } from '../src/train/trainer.js';

const args = process.argv.slice(2);
const TRAIN_DEFAULTS = TrainConfigSchema.parse({});
const flag = (name: string, fallback: string) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? (args[at + 1] as string) : fallback;
};
const baseDir = flag('base', '');
if (!baseDir) throw new Error('--base DIR is required: a base model directory (dojo pretrain writes one under .dojo/)');
const types = flag('types', STAGE1_TYPES.join(',')).split(',');
const algo = flag('algo', 'ppo');
const iterations = Number(flag('iterations', '20'));
const perIteration = Number(flag('episodes', '128'));
const lr = Number(flag('lr', '0.002'));
const epochs = Number(flag('epochs', '3'));
const minibatch = Number(flag('minibatch', '128'));
const group = algo === 'grpo' ? Number(flag('group', '8')) : 1;
const evalPerType = Number(flag('eval', '100'));
const entropyCoef = Number(flag('entropy', String(DEFAULT_PPO.entropyCoef)));
const threads = Number(flag('threads', '2'));
const balance = Number(flag('balance', '0'));
const silTop = Number(flag('sil-top', '0'));
const silSteps = Number(flag('sil-steps', '4'));
const silLr = Number(flag('sil-lr', String(lr)));
const silBatch = Number(flag('sil-batch', '128'));
const klBeta = Number(flag('kl', '0'));
const prefixShare = Number(flag('prefix-share', '0'));
const prefixPersona = flag('prefix-persona', 'mid');
const prefixMax = Number(flag('prefix-max', '2'));
const evalPrefix = Number(flag('eval-prefix', '0'));
const vine = Number(flag('vine', '0'));
const vineTypes = flag('vine-types', '').split(',').filter(Boolean);
const branch = args.includes('--branch');
const showSignals = args.includes('--signals');
const bestEpochs = Number(flag('best-epochs', '0'));
const bestMargin = Number(flag('best-margin', '0'));
const policyGradient = flag('pg', '1') !== '0';
const teacher = flag('teacher', '') as PersonaName | '';
/** Base parameters trained beside the adapter (diagnostic): names containing any of these. */
const also = flag('also', '').split(',');
const lora = {
  rank: Number(flag('lora-rank', String(TRAIN_DEFAULTS.loraRank))),
  alpha: Number(flag('lora-alpha', String(TRAIN_DEFAULTS.loraAlpha))),
  targets: flag('lora-targets', TRAIN_DEFAULTS.loraTargets.join(',')).split(',') as LoraTarget[],
  modulesToSave: flag('lora-modules-to-save', TRAIN_DEFAULTS.loraModulesToSave.join(',')).split(',').filter(Boolean) as SavedModule[],
};

await initEngine('wasm');
const baselines = seniorBaselines(types.map((t) => episodeType(t)));
const settings = { stage: 1, baselines };
const { model, tokenizer } = await loadModel(baseDir);
const startFrom = flag('adapter', '');
const loaded = startFrom ? await loadAdapter(startFrom, model.config) : undefined;
const adapter = loaded?.params ?? initLora(model.config, lora, Rng.seeded(0, 'lora', 1), model.base);
model.setLora(loaded ?? { config: lora, params: adapter });
model.trainable = args.includes('--full')
  ? new Set([...model.allParams().keys()])
  : new Set([
      ...adapter.keys(),
      ...(algo === 'ppo' ? model.valueHead.keys() : []),
      ...[...model.allParams().keys()].filter((n) => also.some((a) => a && n.includes(a))),
    ]);
const pool = await Parallel.start(threads, model, tokenizer, 'wasm');
const optimizer = new AdamW({ lr, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, maxGradNorm: 1 });
const policy = new ModelPolicy(model, tokenizer, { lora: true, seed: 0 });
const pad = tokenizer.id(PAD);
const started = performance.now();
const seconds = () => `${((performance.now() - started) / 1000).toFixed(0)} s`;
const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
/** Share of the self_monitoring episodes that found the planted issue. */
const selfCorrection = (episodes: readonly CollectedEpisode[]) =>
  mean(episodes.filter((e) => e.trace.type === 'self_monitoring').map((e) => (e.trace.outcome.plantedIssueFound === true ? 1 : 0)));

/** Per type: behavioral score, each applicable code's mean and each signal's mean (`--signals`). */
function printSignals(episodes: readonly Pick<CollectedEpisode, 'trace' | 'score'>[]): void {
  for (const t of types) {
    const own = episodes.filter((e) => e.trace.type === t);
    const sums = new Map<string, number[]>();
    const add = (key: string, v: number | null) => {
      if (v !== null) sums.set(key, [...(sums.get(key) ?? []), v]);
    };
    for (const e of own) {
      add('behavioral', e.score.behavioral);
      add('outcome', e.trace.reward.outcome);
      for (const c of Object.values(e.score.behaviors)) {
        if (c.score === null) continue;
        add(c.code, c.score);
        for (const sig of c.signals) add(`${c.code}.${sig.name}`, sig.value);
      }
    }
    console.log(`  ${t}: ${[...sums].map(([k, v]) => `${k} ${mean(v).toFixed(2)}`).join(', ')}`);
  }
}

async function evaluate(label: string): Promise<void> {
  const specs = types.flatMap((t) =>
    Array.from({ length: evalPerType }, (_, i) => ({ kind: episodeType(t), seed: 900_000_000 + i, key: `eval${i}` })),
  );
  const episodes = await pool.collect(
    new ModelPolicy(model, tokenizer, { lora: true, seed: 0, name: 'eval', greedy: args.includes('--greedy') }),
    specs,
    settings,
  );
  const perType = types.map((t) => `${t} ${mean(episodes.filter((e) => e.trace.type === t).map((e) => e.reward)).toFixed(3)}`);
  if (types.includes('self_monitoring')) perType.push(`self-correction ${selfCorrection(episodes).toFixed(3)}`);
  const criteria = graduation(1, episodes).filter((c) => c.value !== null && c.episodes > 0);
  if (criteria.length > 0) perType.push(`graduation ${criteria.map((c) => (c.value as number).toFixed(3)).join(' / ')}`);
  console.log(`${label}: composite ${mean(episodes.map((e) => e.reward)).toFixed(3)} (${perType.join(', ')}) at ${seconds()}`);
  if (showSignals) printSignals(episodes);
  if (args.includes('--sequences')) listSequences(episodes.filter((e) => e.trace.type === 'self_monitoring'));
  if (evalPrefix > 0) {
    const pe = collectWithPrefix(specs, 7, evalPrefix);
    const sm2 = pe.filter((e) => e.trace.type === 'self_monitoring');
    listSequences(sm2);
    console.log(
      `${label} after a ${prefixPersona} prefix: composite ${mean(pe.map((e) => e.reward)).toFixed(3)}, self-correction ${selfCorrection(pe).toFixed(3)}, decision right ${mean(sm2.map((e) => (e.trace.outcome.decisionRight === true ? 1 : 0))).toFixed(3)}`,
    );
  }
}

/** The commonest self_monitoring action sequences (suspect indices as k) with their mean composite. */
function listSequences(sm2: readonly CollectedEpisode[]): void {
  {
    const seqs = new Map<string, number[]>();
    for (const e of sm2) {
      const key = (e.trace.decisions as { action: { type: string; args?: Record<string, unknown> } }[])
        .map(
          (d) =>
            `${d.action.type.replace('checkpoint_', 'cp_')}${d.action.args && Object.keys(d.action.args).length ? `(${Object.values(d.action.args).join(',')})` : ''}`,
        )
        .join(' ')
        .replace(/\(\d\)/g, '(k)');
      seqs.set(key, [...(seqs.get(key) ?? []), e.reward]);
    }
    for (const [k, v] of [...seqs].sort((a, b) => b[1].length - a[1].length).slice(0, 8))
      console.log(`  ${String(v.length).padStart(4)} ${mean(v).toFixed(3)} ${k}`);
  }
}

/**
 * VinePPO-style values (`--vine K`): V(s_t) of every decision state of every episode as the mean
 * composite of K rollouts of the current policy from that state (the episode replayed from its seed
 * up to decision t), V(s_n) = the episode's own composite. Returns per-episode V_0..V_n, or null
 * for episodes whose type is not in `--vine-types` (when given).
 */
function vineValues(episodes: readonly CollectedEpisode[], it: number): (number[] | null)[] {
  const branches: { episode: number; t: number }[] = [];
  const specs: EpisodeSpec[] = [];
  const envs: DojoEnv[] = [];
  const observations: Observation[] = [];
  episodes.forEach((e, i) => {
    if (vineTypes.length > 0 && !vineTypes.includes(e.trace.type)) return;
    for (let t = 0; t < e.trace.decisions.length; t++)
      for (let k = 0; k < vine; k++) {
        const env = new DojoEnv(e.spec.kind, { render: ['structured', 'tokens'], policyName: policy.name });
        let obs = env.resetSync(e.spec.options ? { seed: e.spec.seed, options: e.spec.options } : { seed: e.spec.seed }).observation;
        for (let u = 0; u < t; u++) obs = env.stepSync((e.trace.decisions[u] as { action: Action }).action).observation;
        branches.push({ episode: i, t });
        specs.push({ ...e.spec, key: `vine${it}|${e.spec.key}|${t}|${k}` });
        envs.push(env);
        observations.push(obs);
      }
  });
  playToEnd(policy, envs, observations, specs, new Set(envs.keys()));
  const sums = episodes.map((e) => (vineTypes.length > 0 && !vineTypes.includes(e.trace.type) ? null : e.trace.decisions.map(() => 0)));
  envs.forEach((env, b) => {
    const { episode, t } = branches[b] as { episode: number; t: number };
    const row = sums[episode] as number[];
    row[t] = (row[t] as number) + scoreTrace(env.trace(), settings).reward / vine;
    env.close();
  });
  return sums.map((row, i) => (row ? [...row, (episodes[i] as CollectedEpisode).reward] : null));
}

/**
 * Branched groups (`--algo grpo --branch`): one trunk episode per scenario, a branch point t drawn
 * uniformly over its decisions, and group−1 more episodes replayed from the seed through the trunk's
 * first t actions and then played by the policy. The group's advantages are normalized composites
 * (as GRPO's) on decisions t.. of each member; the shared prefix carries no gradient.
 */
async function collectBranched(specs: readonly EpisodeSpec[], it: number): Promise<{ episodes: CollectedEpisode[]; from: number[] }> {
  const trunkSpecs = specs.filter((x, i) => i === 0 || (specs[i - 1] as EpisodeSpec).group !== x.group);
  const trunks = await pool.collect(policy, trunkSpecs, settings);
  const rng = Rng.seeded(4, 'branch', it);
  const envs: DojoEnv[] = [];
  const observations: Observation[] = [];
  const branchSpecs: EpisodeSpec[] = [];
  const points: number[] = [];
  for (const trunk of trunks) {
    const n = trunk.trace.decisions.length;
    const t = Math.floor(rng.next() * n);
    points.push(t);
    for (let g = 1; g < group; g++) {
      const env = new DojoEnv(trunk.spec.kind, { render: ['structured', 'tokens'], policyName: policy.name });
      let obs = env.resetSync({ seed: trunk.spec.seed }).observation;
      for (let u = 0; u < t; u++) obs = env.stepSync((trunk.trace.decisions[u] as { action: Action }).action).observation;
      envs.push(env);
      observations.push(obs);
      branchSpecs.push({ ...trunk.spec, key: `${trunk.spec.key}|b${g}` });
    }
  }
  const decisions = playToEnd(policy, envs, observations, branchSpecs, new Set(envs.keys()));
  const episodes: CollectedEpisode[] = [];
  const from: number[] = [];
  trunks.forEach((trunk, k) => {
    episodes.push(trunk);
    from.push(points[k] as number);
    for (let g = 1; g < group; g++) {
      const b = k * (group - 1) + (g - 1);
      const env = envs[b] as DojoEnv;
      const trace = env.trace();
      env.close();
      const { score, reward, credits } = scoreTrace(trace, settings);
      const ds = decisions[b] as TokenDecision[];
      episodes.push({
        spec: branchSpecs[b] as EpisodeSpec,
        trace,
        decisions: ds,
        score,
        reward,
        credits: credits.slice(credits.length - ds.length),
      });
      from.push(0);
    }
  });
  return { episodes, from };
}

function samplesOf(episodes: readonly CollectedEpisode[], values?: (number[] | null)[]): DecisionSample[] {
  const samples: DecisionSample[] = [];
  const meanLen = mean(episodes.map((e) => e.decisions.length));
  const push = (e: CollectedEpisode, t: number, rawAdvantage: number, ret: number) => {
    const d = e.decisions[t];
    if (!d) return;
    const advantage = rawAdvantage * (meanLen / e.decisions.length) ** balance;
    samples.push({ context: d.context, tokens: d.tokens, allowed: d.allowed, oldLogp: d.logProbs, oldValue: d.value, advantage, ret });
  };
  if (algo === 'ppo') {
    const { advantages, returns } = ppoAdvantages(
      episodes.map((e) => ({ rewards: e.credits, values: e.decisions.map((d) => d.value), terminated: e.trace.terminated })),
      { gamma: 0.99, lambda: 0.95, normalizeAdvantages: true },
    );
    let k = 0;
    if (values) {
      // Vine advantages V(s_{t+1}) - V(s_t), normalized over the batch like GAE's.
      const raw: number[] = [];
      episodes.forEach((e, i) => {
        const v = values[i];
        for (let t = 0; t < e.decisions.length; t++) raw.push(v ? (v[t + 1] as number) - (v[t] as number) : (advantages[k + t] as number));
        k += e.decisions.length;
      });
      const m = mean(raw);
      const sd = Math.sqrt(mean(raw.map((x) => (x - m) ** 2))) || 1;
      k = 0;
      for (const e of episodes)
        e.decisions.forEach((_, t) => {
          push(e, t, ((raw[k] as number) - m) / sd, returns[k] as number);
          k++;
        });
      return samples;
    }
    for (const e of episodes)
      e.decisions.forEach((_, t) => {
        push(e, t, advantages[k] as number, returns[k] as number);
        k++;
      });
    return samples;
  }
  const groups = new Map<number, CollectedEpisode[]>();
  for (const e of episodes) groups.set(e.spec.group ?? 0, [...(groups.get(e.spec.group ?? 0) ?? []), e]);
  for (const g of groups.values()) {
    const adv = grpoAdvantages(
      g.map((e) => e.credits),
      true,
    );
    g.forEach((e, i) => {
      const start = branchFrom.get(e) ?? 0;
      e.decisions.forEach((_, t) => {
        if (t >= start) push(e, t, (adv[i] as number[])[t] as number, 0);
      });
    });
  }
  return samples;
}

/** Like `pool.collect` (one thread), but some episodes start after a few scripted persona actions. */
function collectWithPrefix(specs: readonly EpisodeSpec[], it: number, fixed = 0): CollectedEpisode[] {
  const rng = Rng.seeded(0, 'prefix', it);
  const envs = specs.map((s) => new DojoEnv(s.kind, { render: ['structured', 'tokens'], policyName: policy.name }));
  const scripted = persona(prefixPersona, it);
  // A persona action that would end the episode is still played; that episode then has no decision.
  const ended = new Set<number>();
  const observations = envs.map((env, i) => {
    const spec = specs[i] as EpisodeSpec;
    let obs = env.resetSync({ seed: spec.seed }).observation;
    const k = fixed > 0 ? fixed : rng.chance(prefixShare) ? 1 + Math.floor(rng.next() * prefixMax) : 0;
    for (let t = 0; t < k && !ended.has(i); t++) {
      const step = env.stepSync(scripted.choose({ observation: obs, legalActions: env.legalActions() }));
      obs = step.observation;
      if (step.terminated || step.truncated) ended.add(i);
    }
    return obs;
  });
  const decisions = playToEnd(policy, envs, observations, specs, new Set([...envs.keys()].filter((i) => !ended.has(i))));
  return envs.map((env, i) => {
    const trace = env.trace();
    const { score, reward, credits } = scoreTrace(trace, settings);
    const ds = decisions[i] as TokenDecision[];
    return { spec: specs[i] as EpisodeSpec, trace, decisions: ds, score, reward, credits: credits.slice(credits.length - ds.length) };
  });
}

/** One pass over `samples` in minibatches of `batch` (similar lengths together), one step of `loss` each. */
async function epochOf(
  samples: readonly DecisionSample[],
  rng: Rng,
  batch: number,
  opt: AdamW,
  rate: number,
  loss: LossSpec,
): Promise<void> {
  const lengths = samples.map((x) => x.context.length + x.tokens.length);
  for (const idx of minibatches(samples.length, batch, rng, lengths))
    await pool.step(
      opt,
      idx.map((i) => samples[i] as DecisionSample),
      pad,
      rate,
      loss,
    );
}

/** `steps` minibatches of `--sil-batch` of `samples` imitated at `--sil-lr` (cycling through epochs). */
async function imitationSteps(samples: readonly DecisionSample[], steps: number, rng: Rng): Promise<void> {
  if (samples.length === 0) return;
  let done = 0;
  const lengths = samples.map((x) => x.context.length + x.tokens.length);
  for (;;)
    for (const idx of minibatches(samples.length, silBatch, rng, lengths)) {
      if (done++ >= steps) return;
      await pool.step(
        silOptimizer,
        idx.map((i) => samples[i] as DecisionSample),
        pad,
        silLr,
        { kind: 'imitation', valueCoef: 0 },
      );
    }
}

/** One pass of masked cross-entropy over `samples` in `--sil-batch` minibatches at `--sil-lr`. */
function imitationEpoch(samples: readonly DecisionSample[], rng: Rng): Promise<void> {
  return epochOf(samples, rng, silBatch, silOptimizer, silLr, { kind: 'imitation', valueCoef: 0 });
}

/**
 * Best-of-group imitation (`--best-epochs E`): the best episode of each scenario group, where it
 * beats the group's mean by more than `--best-margin`, is imitated (masked cross-entropy) for E
 * epochs of `--sil-batch` minibatches at `--sil-lr`.
 */
async function imitateBest(episodes: readonly CollectedEpisode[], it: number): Promise<void> {
  const groups = new Map<number, CollectedEpisode[]>();
  for (const e of episodes) groups.set(e.spec.group ?? 0, [...(groups.get(e.spec.group ?? 0) ?? []), e]);
  const chosen: DecisionSample[] = [];
  const bestRewards: number[] = [];
  for (const g of groups.values()) {
    const best = g.reduce((a, b) => (b.reward > a.reward ? b : a));
    if (best.reward - mean(g.map((e) => e.reward)) <= bestMargin) continue;
    bestRewards.push(best.reward);
    for (const d of best.decisions)
      chosen.push({ context: d.context, tokens: d.tokens, allowed: d.allowed, oldLogp: d.logProbs, oldValue: 0, advantage: 0, ret: 0 });
  }
  const brng = Rng.seeded(2, 'best', it);
  for (let epoch = 0; epoch < bestEpochs; epoch++) await imitationEpoch(chosen, brng);
  if (it % 5 === 0)
    console.log(`best-of-group: ${bestRewards.length} episodes, mean ${mean(bestRewards).toFixed(3)}, ${chosen.length} decisions`);
}

/** Trunk episodes' branch points (`--branch`): their decisions before it carry no gradient. */
const branchFrom = new Map<CollectedEpisode, number>();
const silOptimizer = new AdamW({ lr: silLr, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, maxGradNorm: 1 });
const personas = flag('personas', '').split(',').filter(Boolean) as PersonaName[];
for (const name of personas) {
  const scripted = persona(name);
  const played = types.flatMap((t) => {
    const env = new DojoEnv(episodeType(t), { policyName: name });
    return Array.from({ length: evalPerType }, (_, i) => {
      const trace = runScripted(env, scripted, 900_000_000 + i);
      return { trace, ...scoreTrace(trace, settings) };
    });
  });
  const perType = types.map((t) => `${t} ${mean(played.filter((e) => e.trace.type === t).map((e) => e.reward)).toFixed(3)}`);
  console.log(`${name}: composite ${mean(played.map((e) => e.reward)).toFixed(3)} (${perType.join(', ')})`);
  if (showSignals) printSignals(played);
}
await evaluate('before');
if (teacher) {
  // Diagnostic: imitate a persona with the adapter (or every parameter with --full), then stop.
  const teacherSamples = imitationSamples(
    types.map((t) => episodeType(t)),
    tokenizer,
    (t) => policy.encodeContext(t),
    { ...DEFAULT_PRETRAIN, mixture: { [teacher]: 1 }, episodesPerType: Number(flag('teacher-episodes', '1000')), seed: 5_000_000 },
    settings,
  );
  const trng = Rng.seeded(3, 'teacher');
  for (let epoch = 0; epoch < bestEpochs; epoch++) {
    await imitationEpoch(teacherSamples, trng);
    await evaluate(`${teacher} imitated, epoch ${epoch + 1} (${teacherSamples.length} decisions)`);
  }
  await pool.close();
  process.exit(0);
}
const offlineTop = Number(flag('offline-top', '0'));
const offlineAux = Number(flag('offline-aux', '0'));
const kept: DecisionSample[] = [];
if (offlineTop > 0) {
  // Reward-filtered imitation of logged non-senior episodes (offline warm start): the pretraining
  // mixture plays `--offline-episodes` per type on fresh seeds, each episode is scored with the
  // Stage-1 composite, and the best `--offline-top` share per type is imitated for
  // `--offline-epochs` epochs at `--sil-lr` before RL.
  const offlineTypes = types.filter((t) => flag('offline-types', types.join(',')).split(',').includes(t));
  // `--offline-episodes-of type=N,...` overrides `--offline-episodes` for some types; the types
  // sharing a count are logged together (so without overrides the draws are those of one call).
  const episodesOf = new Map(parseWeightPairs(flag('offline-episodes-of', ''), 'offline-episodes-of', 'self_monitoring=16000'));
  const countOf = (t: string) => episodesOf.get(t) ?? Number(flag('offline-episodes', '1000'));
  const logged = [...new Set(offlineTypes.map(countOf))].flatMap((count) =>
    imitationEpisodes(
      offlineTypes.filter((t) => countOf(t) === count).map((t) => episodeType(t)),
      tokenizer,
      (tokens) => policy.encodeContext(tokens),
      {
        ...DEFAULT_PRETRAIN,
        mixture: parsePretrainMixture(flag('offline-mixture', TRAIN_DEFAULTS.pretrainMixture)),
        episodesPerType: count,
        seed: 6_000_000,
      },
      settings,
      Number(flag('offline-explore', '0')),
    ),
  );
  const by = flag('offline-by', 'composite');
  const keyOf = (e: (typeof logged)[number]) => (by === 'behavioral' ? e.behavioral : e.reward);
  for (const t of offlineTypes) {
    const ofType = logged.filter((e) => e.type === t).sort((a, b) => keyOf(b) - keyOf(a));
    const top = ofType.slice(0, Math.max(1, Math.round(ofType.length * offlineTop)));
    const share = (p: string) => (top.filter((e) => e.persona === p).length / top.length).toFixed(2);
    console.log(
      `offline ${t}: kept ${top.length} of ${ofType.length}, mean ${mean(top.map((e) => e.reward)).toFixed(3)} (all ${mean(ofType.map((e) => e.reward)).toFixed(3)}), behavioral ${mean(top.map((e) => e.behavioral)).toFixed(3)} (all ${mean(ofType.map((e) => e.behavioral)).toFixed(3)}), ${mean(top.map((e) => e.samples.length)).toFixed(1)} decisions, junior ${share('junior')} mid ${share('mid')} random ${share('random')}`,
    );
    for (const e of top) kept.push(...e.samples);
  }
  const orng = Rng.seeded(4, 'offline');
  for (let epoch = 0; epoch < Number(flag('offline-epochs', '2')); epoch++) {
    await imitationEpoch(kept, orng);
    await evaluate(`offline epoch ${epoch + 1} (${kept.length} decisions, ${seconds()})`);
  }
}
const spec: LossSpec =
  algo === 'ppo'
    ? { kind: 'ppo', config: { ...DEFAULT_PPO, klBeta, entropyCoef, epochs, minibatch } }
    : { kind: 'grpo', config: { groupSize: group, clip: 0.2, epochs, minibatch, outcomeOnly: true, klBeta } };
let counter = 0;
const buffer = new Map<string, { reward: number; samples: DecisionSample[] }[]>();
for (let it = 0; it < iterations; it++) {
  const specs: EpisodeSpec[] = [];
  for (let s = 0; s < perIteration / group; s++) {
    const type = types[(counter / group + s) % types.length] as string;
    for (let g = 0; g < group; g++)
      specs.push({ kind: episodeType(type), seed: counter + s * group, group: s, key: `e${counter + s * group + g}` });
  }
  counter += specs.length;
  branchFrom.clear();
  let episodes: CollectedEpisode[];
  if (branch) {
    const b = await collectBranched(specs, it);
    episodes = b.episodes;
    episodes.forEach((e, i) => {
      branchFrom.set(e, b.from[i] as number);
    });
  } else episodes = prefixShare > 0 ? collectWithPrefix(specs, it) : await pool.collect(policy, specs, settings);
  const samples = samplesOf(episodes, vine > 0 ? vineValues(episodes, it) : undefined);
  if (klBeta > 0) {
    const ref = await pool.evaluate(samples, { lora: false, pad });
    samples.forEach((s, i) => {
      s.refLogp = ref.logp[i];
    });
  }
  const rng = Rng.seeded(0, 'minibatch', it);
  if (bestEpochs > 0) await imitateBest(episodes, it);
  if (policyGradient) for (let epoch = 0; epoch < epochs; epoch++) await epochOf(samples, rng, minibatch, optimizer, lr, spec);
  if (offlineAux > 0) {
    // Keep the warm start's behaviors: `--offline-aux` minibatches of the kept logged decisions.
    await imitationSteps(kept, offlineAux, Rng.seeded(5, 'offline-aux', it));
  }
  if (silTop > 0) {
    for (const e of episodes) {
      const list = buffer.get(e.trace.type) ?? [];
      list.push({
        reward: e.reward,
        samples: e.decisions.map((d) => ({
          context: d.context,
          tokens: d.tokens,
          allowed: d.allowed,
          oldLogp: d.logProbs,
          oldValue: 0,
          advantage: 0,
          ret: 0,
        })),
      });
      list.sort((a, b) => b.reward - a.reward);
      buffer.set(e.trace.type, list.slice(0, silTop));
    }
    if (it % 5 === 0)
      console.log(`buffer: ${[...buffer.entries()].map(([t, l]) => `${t} ${mean(l.map((x) => x.reward)).toFixed(2)}`).join(', ')}`);
    const silSamples = [...buffer.values()].flatMap((l) => l.flatMap((x) => x.samples));
    await imitationSteps(silSamples, silSteps, Rng.seeded(1, 'sil', it));
  }
  if (it % 5 === 0 || it === iterations - 1)
    console.log(
      `iteration ${it + 1}: reward ${mean(episodes.map((e) => e.reward)).toFixed(3)}, ${(samples.length / episodes.length).toFixed(1)} actions/episode, ${seconds()}`,
    );
}
await evaluate('after');
await pool.close();
