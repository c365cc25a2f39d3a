/**
 * Held-out evaluation of a trained model, shared by the end of `dojo train` and by `dojo eval`: the
 * trained policy, its pristine base and the scripted junior, mid and senior on the same held-out
 * seeds, the trained policy's paired differences with 95% intervals, and each stage's graduation
 * verdicts. Also the graduation checks during training and the efficiency baselines of a run.
 */
import { mean } from '../core/numbers.js';
import { episodeType } from '../episodes/all.js';
import type { Param } from '../model/params.js';
import type { Tokenizer } from '../model/tokenizer.js';
import type { Transformer } from '../model/transformer.js';
import { ModelPolicy } from '../policy/model-policy.js';
import { ScriptedPersona } from '../policy/scripted.js';
import { type BaselinesFile, computeBaselines } from '../reward/baselines.js';
import { type ScoreSettings, trainingReward } from '../reward/credit.js';
import { pairedDifference } from '../reward/stats.js';
import { type EpisodeSpec, rolloutSync } from '../rollout/rollout.js';
import type { StageNumber } from '../spec/curriculum.js';
import type { CollectedEpisode } from './collect.js';
import { type CriterionResult, graduation, runTypes, SEED_RANGES, stageTypes } from './curriculum.js';
import type { Parallel } from './parallel.js';

export interface EvalRow {
  policy: string;
  type: string;
  episodes: number;
  composite: number;
  outcome: number;
  behavioral: number;
}

/** The trained policy's composite minus another policy's, paired over the same held-out seeds. */
export interface PairedComparison {
  policy: 'trained';
  against: string;
  episodes: number;
  /** Mean per-seed difference of the composites. */
  difference: number;
  standardError: number;
  /** 95% interval of the mean difference (normal approximation). */
  low: number;
  high: number;
}

/** The final table: per-type rows of every policy, the paired comparisons and the graduation verdicts. */
export interface EvaluationReport {
  rows: EvalRow[];
  comparisons: PairedComparison[];
  graduation: Record<string, CriterionResult[]>;
  episodes: number;
}

/** Episodes of the scripted senior per type that the efficiency baselines rest on. */
export const BASELINE_EPISODES = 200;

/**
 * The efficiency baselines of a run: median actions of the scripted senior's successful episodes
 * (200 per type, seeds from SEED_RANGES.baselines) per type and difficulty.
 */
export function seniorBaselines(types: readonly string[]): BaselinesFile {
  const senior = new ScriptedPersona('senior', SEED_RANGES.baselines);
  const specs = types.flatMap((name) =>
    Array.from({ length: BASELINE_EPISODES }, (_, i): EpisodeSpec => ({ type: episodeType(name), seed: SEED_RANGES.baselines + i })),
  );
  const traces = rolloutSync(senior, specs).map((e) => e.trace);
  return computeBaselines(traces, (t) => t.reward.components.story_accepted >= 0.5, { seed: SEED_RANGES.baselines });
}

/** `total` held-out specs spread evenly over `types` (at least one per type), seeds from `base`. */
export function evaluationSpecs(types: readonly string[], total: number, base: number): EpisodeSpec[] {
  const perType = Math.max(1, Math.ceil(total / types.length));
  return types.flatMap((type) => Array.from({ length: perType }, (_, i) => ({ type: episodeType(type), seed: base + i, key: `eval${i}` })));
}

/** A scripted persona's episodes of `specs`, scored like the model's. */
function scriptedEpisodes(persona: ScriptedPersona, specs: readonly EpisodeSpec[], settings: ScoreSettings): CollectedEpisode[] {
  return rolloutSync(persona, specs).map(({ spec, trace }) => ({ spec, trace, decisions: [], ...trainingReward(trace, settings) }));
}

function summarize(policy: string, episodes: readonly CollectedEpisode[]): EvalRow[] {
  const types = [...new Set(episodes.map((e) => e.trace.type))];
  const row = (type: string, es: readonly CollectedEpisode[]): EvalRow => ({
    policy,
    type,
    episodes: es.length,
    composite: mean(es.map((e) => e.reward)),
    outcome: mean(es.map((e) => e.trace.reward.outcome)),
    behavioral: mean(es.map((e) => e.score.behavioral)),
  });
  return [
    ...types.map((t) =>
      row(
        t,
        episodes.filter((e) => e.trace.type === t),
      ),
    ),
    row('all', episodes),
  ];
}

/** A stage's graduation criteria measured on `seeds` held-out episodes per type (seeds from 800,000,000). */
export async function graduationCheck(
  pool: Parallel,
  tokenizer: Tokenizer,
  stage: StageNumber,
  seeds: number,
  options: { greedy: boolean; seed: number },
  settings: ScoreSettings,
): Promise<CriterionResult[]> {
  const types = stageTypes(stage);
  const specs = evaluationSpecs(types, seeds * types.length, SEED_RANGES.graduation);
  const episodes = await pool.collect(
    new ModelPolicy(pool.model, tokenizer, { lora: true, greedy: options.greedy, seed: options.seed, name: 'graduation' }),
    specs,
    settings,
  );
  return graduation(stage, episodes);
}

/** Rounds of the final evaluation under a time budget (each round: a quarter of the seeds of every type). */
const EVALUATION_ROUNDS = 4;

/** A time limit for the evaluation: what is left, and what a number of episodes is expected to take (ms). */
export interface EvaluationBudget {
  remaining(): number;
  estimate(episodes: number): number;
}

/**
 * Evaluates a trained model on `evalSeeds` held-out seeds of the stages' types (900,000,000 up): the
 * model with its adapter (earlier stages merged), the pristine base (`pristine` swapped in, then the
 * trained weights put back), and the scripted junior, mid and senior, all on the same specs in the
 * same order, so comparisons pair by seed.
 *
 * With a `budget`, the model passes run in rounds (a quarter of every type's seeds each), and a
 * round that would not fit in the time left is not started: the report covers the rounds done, and
 * says so; none done is an empty report. Episodes play the same in any batch (sampling is keyed by
 * episode and turn), so a complete evaluation in rounds equals one in a single pass.
 */
export async function evaluateRun(input: {
  pool: Parallel;
  model: Transformer;
  tokenizer: Tokenizer;
  pristine: ReadonlyMap<string, Param>;
  pristineValue: ReadonlyMap<string, Param>;
  stages: readonly StageNumber[];
  evalSeeds: number;
  greedy: boolean;
  seed: number;
  baselines: BaselinesFile;
  log: (line: string) => void;
  budget?: EvaluationBudget;
}): Promise<EvaluationReport> {
  const { pool, model, tokenizer, pristine, pristineValue, stages, greedy, baselines, budget } = input;
  const lastStage = stages[stages.length - 1] as StageNumber;
  const evalTypes = runTypes(stages);
  const specs = evaluationSpecs(evalTypes, input.evalSeeds, SEED_RANGES.evaluation);
  const perType = specs.length / evalTypes.length;
  const settings = { stage: lastStage, baselines };
  const trainedPolicy = new ModelPolicy(model, tokenizer, { lora: true, greedy, seed: input.seed, name: 'trained' });
  const basePolicy = new ModelPolicy(model, tokenizer, { lora: false, greedy, seed: input.seed, name: 'base' });
  input.log(`evaluating on ${specs.length} held-out episodes (${evalTypes.length} types)`);
  const rounds = budget ? EVALUATION_ROUNDS : 1;
  const size = Math.ceil(perType / rounds);
  const played = new Map<number, { trained: CollectedEpisode; base: CollectedEpisode }>();
  let lastRound = 0;
  for (let r = 0; r < rounds && r * size < perType; r++) {
    const indices = specs.flatMap((_, i) => (i % perType >= r * size && i % perType < (r + 1) * size ? [i] : []));
    const expected = r > 0 ? lastRound : (budget?.estimate(indices.length) ?? 0);
    if (budget && budget.remaining() < expected) {
      input.log(
        played.size === 0
          ? 'final evaluation skipped: the time budget is spent (evaluate the saved adapters with dojo eval --run DIR)'
          : `final evaluation cut to ${played.size} of ${specs.length} episodes to fit the time budget`,
      );
      break;
    }
    const before = budget?.remaining() ?? 0;
    const chunk = indices.map((i) => specs[i] as EpisodeSpec);
    const trained = await pool.collect(trainedPolicy, chunk, settings);
    const base = await withPristine(model, pristine, pristineValue, () => pool.collect(basePolicy, chunk, settings));
    indices.forEach((i, k) => {
      played.set(i, { trained: trained[k] as CollectedEpisode, base: base[k] as CollectedEpisode });
    });
    lastRound = before - (budget?.remaining() ?? 0);
  }
  if (played.size === 0) return { rows: [], comparisons: [], graduation: {}, episodes: 0 };
  // Back in spec order (type by type, seeds ascending), whatever the rounds.
  const done = [...played.keys()].sort((a, b) => a - b);
  const doneSpecs = done.map((i) => specs[i] as EpisodeSpec);
  const trained = done.map((i) => played.get(i)?.trained as CollectedEpisode);
  const base = done.map((i) => played.get(i)?.base as CollectedEpisode);
  const rows: EvalRow[] = [...summarize('base', base), ...summarize('trained', trained)];
  const others: [string, CollectedEpisode[]][] = [['base', base]];
  for (const name of ['junior', 'mid', 'senior'] as const) {
    const scripted = scriptedEpisodes(new ScriptedPersona(name, 1), doneSpecs, settings);
    rows.push(...summarize(name, scripted));
    others.push([name, scripted]);
  }
  // Every policy played the same specs in the same order: differences pair by seed.
  const comparisons: PairedComparison[] = others.map(([against, scripted]) => {
    const d = pairedDifference(
      trained.map((e) => e.reward),
      scripted.map((e) => e.reward),
    );
    return { policy: 'trained', against, episodes: d.n, difference: d.mean, standardError: d.standardError, low: d.low, high: d.high };
  });
  const graduationResults: Record<string, CriterionResult[]> = {};
  for (const stage of stages)
    graduationResults[String(stage)] = graduation(
      stage,
      trained.filter((e) => stageTypes(stage).includes(e.trace.type as never)),
    );
  return { rows, comparisons, graduation: graduationResults, episodes: done.length };
}

/** Runs `play` with the pristine base swapped in (no adapter), then puts the trained weights back. */
async function withPristine<T>(
  model: Transformer,
  pristine: ReadonlyMap<string, Param>,
  pristineValue: ReadonlyMap<string, Param>,
  play: () => Promise<T>,
): Promise<T> {
  const adapter = model.lora;
  const trainedBase = new Map(model.base);
  for (const [k, p] of pristine) model.base.set(k, p);
  const trainedValue = new Map(model.valueHead);
  for (const [k, p] of pristineValue) model.valueHead.set(k, p);
  model.setLora(undefined);
  try {
    return await play();
  } finally {
    for (const [k, p] of trainedBase) model.base.set(k, p);
    for (const [k, p] of trainedValue) model.valueHead.set(k, p);
    model.setLora(adapter);
  }
}
