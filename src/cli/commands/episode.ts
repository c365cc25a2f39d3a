/** `dojo episode`: one episode with one scripted persona, as a readable transcript or its trace. */
import { z } from 'zod';
import type { Action } from '../../core/episode.js';
import { EPISODE_TYPES, episodeType } from '../../episodes/all.js';
import { PERSONA_NAMES } from '../../policy/scripted.js';
import { type EpisodeSpec, type PlayedEpisode, rollout } from '../../rollout/rollout.js';
import { DIFFICULTIES } from '../../spec/episodes.js';
import type { CommandSpec } from '../flags.js';
import type { Io } from '../io.js';
import { persona } from '../registry.js';

export const episodeSchema = z.object({
  type: z.enum(EPISODE_TYPES.map((k) => k.name) as [string, ...string[]]).describe('episode type'),
  persona: z.enum(PERSONA_NAMES).default('senior').describe('scripted persona that plays the candidate'),
  seed: z.number().int().min(0).default(0).describe('scenario seed (same seed, same episode)'),
  difficulty: z.enum(DIFFICULTIES).optional().describe('scenario difficulty (default: drawn from the seed)'),
  json: z.boolean().default(false).describe('print the decision trace (dojo.trace/1 JSON) instead of the transcript'),
  prompt: z.boolean().default(false).describe('show the natural-language prompt the candidate would see at each turn'),
});

export const episodeCommand: CommandSpec<typeof episodeSchema> = {
  name: 'episode',
  summary: 'Run one episode with a scripted persona and print its transcript (or its trace with --json).',
  usage: 'dojo episode --type TYPE [--persona junior|mid|senior|random] [--seed N] [--difficulty easy|medium|hard] [--json]',
  schema: episodeSchema,
  examples: ['dojo episode --type elicitation --persona senior --seed 7', 'dojo episode --type research --persona junior --seed 3 --json'],
};

export async function runEpisodeCommand(config: z.infer<typeof episodeSchema>, io: Io): Promise<number> {
  const type = episodeType(config.type);
  const policy = persona(config.persona, config.seed);
  const spec: EpisodeSpec = config.difficulty
    ? { type, seed: config.seed, options: { difficulty: config.difficulty } }
    : { type, seed: config.seed };
  const lines: string[] = [];
  // The prompt rendering's user text at turn 0 is the episode's description (the transcript's head).
  const [played] = await rollout(policy, [spec], {
    render: ['structured', 'prompt'],
    onStep: ({ input, output, result }) => {
      if (config.json) return;
      const { observation } = input;
      if (observation.structured.turn === 0)
        lines.push(
          `# ${type.name} (${observation.structured.episodeId}), persona ${config.persona}`,
          '',
          observation.prompt?.user ?? '',
          '',
        );
      const action = output.action as Action;
      if (config.prompt && observation.prompt) lines.push(indent(observation.prompt.user, '    | '));
      const args = Object.entries(action.args ?? {})
        .map(([k, v]) => `${k}=${v}`)
        .join(', ');
      const confidence = action.confidence !== undefined ? ` [confidence ${action.confidence}]` : '';
      lines.push(`[${observation.structured.turn}] ${action.type}(${args})${confidence}`);
      lines.push(`    -> ${result.info.valid ? result.info.response : `INVALID: ${result.info.error}`}`);
    },
  });
  const trace = (played as PlayedEpisode).trace;
  if (config.json) {
    io.out(JSON.stringify(trace));
    return 0;
  }
  lines.push(
    '',
    `Ended: ${trace.terminated ? 'terminated' : 'truncated at the turn limit'} after ${trace.turns} actions (${trace.invalidActions} invalid).`,
    '',
  );
  lines.push('Outcome facts:');
  for (const [k, v] of Object.entries(trace.outcome)) lines.push(`  ${k}: ${v}`);
  lines.push('', 'Outcome reward components:');
  for (const [k, v] of Object.entries(trace.reward.components)) lines.push(`  ${k.padEnd(20)} ${v.toFixed(3)}`);
  lines.push(`  ${'outcome reward'.padEnd(20)} ${trace.reward.outcome.toFixed(3)}`);
  const linked = trace.decisions.filter((d) => d.links.length > 0);
  if (linked.length > 0 || trace.episodeLinks.length > 0) {
    lines.push('', 'Decisions linked to outcomes:');
    for (const d of linked) for (const l of d.links) lines.push(`  [${d.step}] ${l.effect}${l.target ? ` ${l.target}` : ''}: ${l.note}`);
    for (const l of trace.episodeLinks) lines.push(`  [episode] ${l.effect}: ${l.note}`);
  }
  io.out(lines.join('\n'));
  return 0;
}

function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((l) => prefix + l)
    .join('\n');
}
