/**
 * `dojo pretrain`: builds the base model by imitation of a mixture of the junior, mid and random
 * personas (never the senior) and saves it; `dojo train` does this itself when no base exists and
 * reuses the saved one when the same settings are asked again.
 */
import { z } from 'zod';
import { EPISODE_TYPES } from '../../episodes/all.js';
import { initEngine } from '../../model/engine.js';
import { ensureBase } from '../../train/base.js';
import { resolveTrainConfig, TrainConfigSchema } from '../../train/config.js';
import type { CommandSpec } from '../flags.js';
import type { Io } from '../io.js';

export const pretrainSchema = TrainConfigSchema.pick({
  stages: true,
  seed: true,
  backend: true,
  threads: true,
  base: true,
  modelDim: true,
  modelLayers: true,
  modelHeads: true,
  modelHidden: true,
  modelMaxSeq: true,
  pretrainEpisodes: true,
  pretrainEpochs: true,
  pretrainLr: true,
  pretrainMixture: true,
}).extend({
  base: z.string().optional().describe('where to save the base model (default .dojo/base-<settings hash>, where dojo train looks)'),
});

export const pretrainCommand: CommandSpec<typeof pretrainSchema> = {
  name: 'pretrain',
  summary: 'Pretrain the base model by imitating junior, mid and random personas (dojo train does this when needed).',
  usage: 'dojo pretrain [--stages 1] [--seed S] [--pretrain-episodes N] [--pretrain-mixture junior=0.4,mid=0.4,random=0.2] [--base DIR]',
  schema: pretrainSchema,
};

export async function runPretrainCommand(config: z.infer<typeof pretrainSchema>, io: Io): Promise<number> {
  const resolved = resolveTrainConfig(
    TrainConfigSchema.parse({ ...config }),
    EPISODE_TYPES.map((t) => t.name),
  );
  await initEngine(config.backend);
  const started = performance.now();
  let last = -1;
  const { baseDir } = await ensureBase(resolved, {
    io: {
      log: (line) => io.err(line),
      progress: ({ done, total, detail }) => {
        const tenth = Math.floor((10 * done) / total);
        if (tenth !== last) {
          last = tenth;
          io.err(`pretrain: ${done}/${total} ${detail}`);
        }
      },
    },
    clock: () => performance.now(),
  });
  io.out(`base model in ${baseDir} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  return 0;
}
