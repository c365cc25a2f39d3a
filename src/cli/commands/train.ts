/**
 * `dojo train`: the trainer (built-in transformer, LoRA, PPO/GRPO, curriculum) is not built yet.
 * Until it is, this command says so and shows the Stage-1 baselines the trainer will have to beat.
 */
import { z } from 'zod';
import { personaOutcomes } from '../../env/batch.js';
import type { CommandSpec } from '../flags.js';
import { type Io, table } from '../io.js';
import { episodeKind, persona, STAGE1_TYPES } from '../registry.js';

export const trainSchema = z.object({
  episodes: z.number().int().min(1).max(100_000).default(200).describe('held-out episodes per type and persona for the baseline table'),
  seed: z.number().int().min(0).default(1_000_000).describe('first held-out seed'),
});

export const trainCommand: CommandSpec<typeof trainSchema> = {
  name: 'train',
  summary: 'Train the built-in model (coming with the trainer). For now: prints the Stage-1 scripted baselines it must beat.',
  usage: 'dojo train [--episodes N] [--seed S]',
  schema: trainSchema,
};

export async function runTrainCommand(config: z.infer<typeof trainSchema>, io: Io): Promise<number> {
  io.out(
    [
      'Training is not available yet: the built-in transformer, LoRA adapters, PPO/GRPO and the curriculum come next.',
      'What exists today is the causal Stage-1 world. Try:',
      '  npx dojo episode --type elicitation --persona senior --seed 7',
      '  npx dojo simulate --persona senior,junior --episodes 500 --out traces.jsonl',
      '',
      `Stage-1 outcome reward of the scripted baselines on ${config.episodes} held-out seeds per type (the targets for training):`,
    ].join('\n'),
  );
  const personas = ['random', 'junior', 'mid', 'senior'] as const;
  const rows = STAGE1_TYPES.map((type) => {
    const kind = episodeKind(type);
    return [type, ...personas.map((p) => personaOutcomes(kind, persona(p, config.seed), config.seed, config.episodes).mean.toFixed(3))];
  });
  io.out(table(['type', ...personas], rows));
  return 0;
}
