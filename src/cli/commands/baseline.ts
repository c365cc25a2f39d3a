/**
 * `dojo baseline`: runs the strong scripted policy (the senior persona) on every Stage-1 type ×
 * difficulty (and 'any': drawn from the seed) and stores the efficiency baselines — the median action count of its successful
 * episodes (story accepted) — in a versioned JSON file (`dojo.baselines/1`) that `dojo score` reads.
 */
import { z } from 'zod';
import type { Trace } from '../../core/trace.js';

import { episodeType } from '../../episodes/all.js';
import { computeBaselines, writeBaselines } from '../../reward/baselines.js';
import { type EpisodeSpec, rollout } from '../../rollout/rollout.js';
import { DIFFICULTIES } from '../../spec/episodes.js';
import type { CommandSpec } from '../flags.js';
import { type Io, table } from '../io.js';
import { persona, STAGE1_TYPES } from '../registry.js';

export const baselineSchema = z.object({
  episodes: z.number().int().min(1).max(100_000).default(500).describe('episodes per type and difficulty'),
  seed: z.number().int().min(0).default(2_000_000).describe('first seed (kept apart from training and evaluation seeds)'),
  out: z.string().default('baselines.json').describe('where to write the baselines file'),
});

export const baselineCommand: CommandSpec<typeof baselineSchema> = {
  name: 'baseline',
  summary: 'Compute the efficiency baselines (median actions of successful senior episodes per type × difficulty).',
  usage: 'dojo baseline [--episodes N] [--seed S] [--out baselines.json]',
  schema: baselineSchema,
};

export async function runBaselineCommand(config: z.infer<typeof baselineSchema>, io: Io): Promise<number> {
  const policy = persona('senior', config.seed);
  const traces: Trace[] = [];
  for (const name of STAGE1_TYPES) {
    const type = episodeType(name);
    // Each difficulty, and 'any' (difficulty drawn from the seed, as dojo simulate does by default).
    for (const difficulty of [...DIFFICULTIES, undefined]) {
      const specs = Array.from(
        { length: config.episodes },
        (_, i): EpisodeSpec => (difficulty ? { type, seed: config.seed + i, options: { difficulty } } : { type, seed: config.seed + i }),
      );
      for (const { trace } of await rollout(policy, specs)) traces.push(trace);
    }
  }
  const baselines = computeBaselines(traces, (t) => t.reward.components.story_accepted >= 0.5, {
    seed: config.seed,
    episodesPerCell: config.episodes,
  });
  writeBaselines(config.out, baselines);
  const rows: (string | number)[][] = [];
  for (const [type, byDifficulty] of Object.entries(baselines.entries)) {
    for (const [difficulty, entry] of Object.entries(byDifficulty)) {
      if (entry) rows.push([type, difficulty, entry.medianActions, `${(100 * entry.successRate).toFixed(1)}%`, entry.episodes]);
    }
  }
  io.out(table(['type', 'difficulty', 'median actions', 'success rate', 'episodes'], rows));
  io.out(`\nwrote ${config.out}`);
  return 0;
}
