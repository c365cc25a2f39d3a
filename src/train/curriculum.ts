/**
 * The curriculum of `spec/curriculum.yaml`: each stage's episode mix and graduation criteria, and
 * how each criterion is measured in the simulated world (heuristic scores unless a judge is
 * configured). A criterion the world cannot measure yet is reported as pending, never as passed.
 */

import { Rng } from '../core/rng.js';
import { episodeType } from '../episodes/all.js';
import { meanInterval } from '../reward/stats.js';
import type { EpisodeSpec } from '../rollout/rollout.js';
import { STAGE_EPISODE_TYPES, type StageNumber } from '../spec/curriculum.js';
import type { EpisodeTypeName } from '../spec/episodes.js';
import type { CollectedEpisode } from './collect.js';
import { parseWeightPairs } from './parse.js';

/** Seed ranges kept apart: training episodes, graduation checks, final evaluation, baselines, warm start. */
export const SEED_RANGES = {
  train: 0,
  graduation: 800_000_000,
  evaluation: 900_000_000,
  baselines: 2_000_000,
  warmStart: 3_000_000,
} as const;

/** Relative episode counts of a stage's types. */
export type EpisodeMix = Partial<Record<EpisodeTypeName, number>>;

/**
 * Relative episode counts per stage: the midpoints of curriculum.yaml's ranges ("500-1000" → 750);
 * research, "part of stage 1", gets the smallest Stage-1 share; context_switching (stage 3) has no
 * episode type of its own in episodes.yaml and is left out.
 */
export const STAGE_MIX: Record<StageNumber, EpisodeMix> = {
  1: { elicitation: 750, decomposition: 750, implementation: 1500, self_monitoring: 750, research: 500 },
  2: { triage: 750, scope_change: 400, recovery: 400 },
  3: { borrowing_arrival: 400, cross_team_dependency: 250 },
  4: { knowledge_handoff: 250, onboarding_support: 250, compensation: 250 },
};

/**
 * Parses `--mix elicitation=1000,implementation=1000`: relative episode counts that replace
 * STAGE_MIX's for the named types (each type belongs to one stage). Throws a message that names the
 * bad pair and what would fix it; a stage must keep at least one type with a positive weight.
 */
export function parseMix(text: string, stages: readonly StageNumber[]): EpisodeMix {
  const overrides: EpisodeMix = {};
  for (const [type, weight] of parseWeightPairs(text, 'mix', 'elicitation=1000,implementation=1000')) {
    const stage = stages.find((s) => Object.hasOwn(STAGE_MIX[s], type));
    if (stage === undefined) {
      const known = stages.flatMap((s) => Object.keys(STAGE_MIX[s]));
      throw new Error(`--mix: "${type}" is not an episode type of stage ${stages.join(',')} (types: ${known.join(', ')})`);
    }
    overrides[type as EpisodeTypeName] = weight;
  }
  for (const stage of stages) {
    if (!Object.values(stageMix(stage, overrides)).some((w) => (w ?? 0) > 0))
      throw new Error(`--mix: every type of stage ${stage} has weight 0; give at least one a positive weight`);
  }
  return overrides;
}

/** A stage's episode mix: STAGE_MIX with `--mix`'s overrides for the stage's types. */
export function stageMix(stage: StageNumber, overrides: EpisodeMix = {}): EpisodeMix {
  const mix = { ...STAGE_MIX[stage] };
  for (const type of Object.keys(mix) as EpisodeTypeName[]) {
    const value = overrides[type];
    if (value !== undefined) mix[type] = value;
  }
  return mix;
}

export interface CriterionResult {
  name: string;
  /** The spec's wording. */
  spec: string;
  value: number | null;
  /** Standard error of `value` over the episodes it was measured on (null when pending). */
  standardError: number | null;
  /** 95% interval of `value` (normal approximation, clipped to [0, 1]; null when pending). */
  interval: [number, number] | null;
  /** Episodes the value was measured on (0 when pending). */
  episodes: number;
  threshold: number | null;
  /** 'pass' | 'fail' | 'pending' (not measurable in this world yet). */
  verdict: 'pass' | 'fail' | 'pending';
  how: string;
}

function behavioralOf(episodes: readonly CollectedEpisode[], type: string): number[] {
  return episodes.filter((e) => e.trace.type === type).map((e) => e.score.behavioral);
}

function factRate(episodes: readonly CollectedEpisode[], type: string, fact: string): number[] {
  return episodes.filter((e) => e.trace.type === type).map((e) => (e.trace.outcome[fact] === true ? 1 : 0));
}

/** A criterion measured on per-episode values `xs` (pending when there are none). */
function criterion(name: string, spec: string, xs: readonly number[], threshold: number, how: string): CriterionResult {
  if (xs.length === 0) return { ...pending(name, spec, how), threshold };
  const { mean: value, standardError, low, high } = meanInterval(xs);
  const verdict = value > threshold ? 'pass' : 'fail';
  return {
    name,
    spec,
    value,
    standardError,
    interval: [Math.max(0, low), Math.min(1, high)],
    episodes: xs.length,
    threshold,
    verdict,
    how,
  };
}

function pending(name: string, spec: string, how: string): CriterionResult {
  return { name, spec, value: null, standardError: null, interval: null, episodes: 0, threshold: null, verdict: 'pending', how };
}

/** Graduation criteria of a stage, measured on evaluation episodes of that stage's types. */
export function graduation(stage: StageNumber, episodes: readonly CollectedEpisode[]): CriterionResult[] {
  if (stage === 1) {
    return [
      criterion(
        'elicitation_quality',
        'elicitation quality score > 0.70 (judge)',
        behavioralOf(episodes, 'elicitation'),
        0.7,
        'mean behavioral score (B-01..B-04, heuristic unless a judge is configured) of elicitation episodes',
      ),
      criterion(
        'decomposition_quality',
        'decomposition quality > 0.65',
        behavioralOf(episodes, 'decomposition'),
        0.65,
        'mean behavioral score (B-05..B-08) of decomposition episodes',
      ),
      criterion(
        'self_correction_rate',
        'self-correction rate > 0.50',
        factRate(episodes, 'self_monitoring', 'plantedIssueFound'),
        0.5,
        'share of self_monitoring episodes in which the planted issue was found',
      ),
      pending('full_sprint_qa', 'full sprint - at least 2 of 3 stories pass QA', 'needs full sprints with the model as candidate'),
    ];
  }
  if (stage === 2) {
    return [
      criterion(
        'triage_accuracy',
        'triage accuracy (correct severity) > 0.70',
        factRate(episodes, 'triage', 'severityCorrect'),
        0.7,
        'share of triage episodes whose severity assessment matched the truth',
      ),
      pending(
        'full_sprint_velocity_drop',
        'full sprint - velocity drop < 30% in disturbance sprints',
        'needs full sprints with the model as candidate',
      ),
      criterion(
        'adaptation_quality',
        'adaptation quality > 0.65',
        behavioralOf(episodes, 'recovery'),
        0.65,
        'mean behavioral score of recovery episodes',
      ),
    ];
  }
  if (stage === 3) {
    return [
      pending(
        'first_contribution',
        'productive contribution within the first 3 actions',
        'measured on borrowing_arrival traces (pending: metric not wired)',
      ),
      criterion(
        'orientation',
        'codebase orientation score > 0.70',
        behavioralOf(episodes, 'borrowing_arrival'),
        0.7,
        'mean behavioral score of borrowing_arrival episodes',
      ),
      pending(
        'borrowed_velocity',
        'full sprint - a borrowed candidate raises the receiving team velocity',
        'needs full sprints with the model as candidate',
      ),
    ];
  }
  return [
    pending('no_regression', 'all stage 1-3 metrics maintained', 'needs re-evaluation of the earlier stages'),
    pending(
      'handoff_velocity_dip',
      'team velocity dip < 20% after a handed-off departure',
      'needs full sprints with the model as candidate',
    ),
    criterion(
      'reconstructs_intent',
      'given an undocumented codebase, reconstructs intent and architecture',
      behavioralOf(episodes, 'compensation'),
      0.65,
      'mean behavioral score of compensation episodes',
    ),
  ];
}

/** True when every measurable criterion passes (pending ones do not block). */
export function graduated(results: readonly CriterionResult[]): boolean {
  return results.every((r) => r.verdict !== 'fail') && results.some((r) => r.verdict === 'pass');
}

export function stageTypes(stage: StageNumber): readonly EpisodeTypeName[] {
  return STAGE_EPISODE_TYPES[stage] as readonly EpisodeTypeName[];
}

/** The episode types of several stages, each once, in stage order. */
export function runTypes(stages: readonly StageNumber[]): EpisodeTypeName[] {
  return [...new Set(stages.flatMap((s) => stageTypes(s)))];
}

/**
 * The episode specs of one training iteration, deterministic in the run seed, the stage and the
 * run's episode counter: `episodes` episodes in groups of `groupSize` repeats of one scenario
 * (GRPO; 1 for PPO), each scenario's type drawn by the stage mix's weights. Every episode has a
 * sampling key of its own, so the repeats of a scenario sample differently.
 */
export function iterationSpecs(
  seed: number,
  stage: StageNumber,
  episodeCounter: number,
  mix: EpisodeMix,
  episodes: number,
  groupSize: number,
): EpisodeSpec[] {
  const entries = Object.entries(mix) as [EpisodeTypeName, number][];
  const rng = Rng.seeded(seed, 'specs', stage, episodeCounter);
  const specs: EpisodeSpec[] = [];
  const scenarios = Math.max(1, Math.floor(episodes / groupSize));
  for (let s = 0; s < scenarios; s++) {
    const type = (entries[rng.weightedIndex(entries.map(([, w]) => w))] as [EpisodeTypeName, number])[0];
    const scenarioSeed = SEED_RANGES.train + episodeCounter + s * groupSize;
    for (let g = 0; g < groupSize; g++)
      specs.push({ type: episodeType(type), seed: scenarioSeed, group: s, key: `e${episodeCounter + s * groupSize + g}` });
  }
  return specs;
}
