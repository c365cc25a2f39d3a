/** `dojo simulate`: a batch of episodes over types and personas, written as JSONL traces. */
import { SingleBar } from 'cli-progress';
import { z } from 'zod';

import type { Trace } from '../../core/trace.js';
import { EPISODE_TYPES, episodeType } from '../../episodes/all.js';
import { PERSONA_NAMES } from '../../policy/scripted.js';
import { EpisodeBatch, type EpisodeSpec } from '../../rollout/rollout.js';
import { DIFFICULTIES } from '../../spec/episodes.js';
import type { CommandSpec } from '../flags.js';
import { closeOutput, type Io, openOutput, table, writeLine } from '../io.js';
import { persona, STAGE1_TYPES } from '../registry.js';

/** Finished traces held before they are counted and written. */
const WRITE_EVERY = 50;

export const simulateSchema = z.object({
  types: z
    .array(z.enum(EPISODE_TYPES.map((k) => k.name) as [string, ...string[]]))
    .min(1)
    .default([...STAGE1_TYPES])
    .describe('episode types to run'),
  persona: z.array(z.enum(PERSONA_NAMES)).min(1).default(['senior']).describe('scripted personas to run'),
  episodes: z.number().int().min(1).max(10_000_000).default(100).describe('episodes per type and persona'),
  seed: z.number().int().min(0).default(0).describe('first scenario seed; episode i uses seed + i'),
  difficulty: z.enum(DIFFICULTIES).optional().describe('scenario difficulty (default: drawn from each seed)'),
  out: z.string().optional().describe('write one dojo.trace/1 JSON line per episode to this file'),
});

export const simulateCommand: CommandSpec<typeof simulateSchema> = {
  name: 'simulate',
  summary: 'Run a batch of episodes with scripted personas; print a per-type summary and optionally write the traces.',
  usage: 'dojo simulate [--types a,b] [--persona senior,junior] [--episodes N] [--seed S] [--out traces.jsonl]',
  schema: simulateSchema,
  examples: ['dojo simulate --types elicitation,research --persona senior,junior --episodes 500 --seed 0 --out traces.jsonl'],
};

export async function runSimulateCommand(config: z.infer<typeof simulateSchema>, io: Io): Promise<number> {
  const kinds = config.types.map(episodeType);
  const total = kinds.length * config.persona.length * config.episodes;
  const stream = config.out ? openOutput(config.out) : undefined;
  const bar = io.interactive
    ? new SingleBar({ format: 'simulate [{bar}] {value}/{total} episodes | {rate} ep/s | ETA {eta}s', stream: process.stderr })
    : undefined;
  bar?.start(total, 0, { rate: '0' });
  const started = performance.now();
  let done = 0;
  const rows: (string | number)[][] = [];
  const options = config.difficulty ? { difficulty: config.difficulty } : undefined;
  for (const type of kinds) {
    for (const name of config.persona) {
      const policy = persona(name, config.seed);
      let outcome = 0;
      let actions = 0;
      let accepted = 0;
      let invalid = 0;
      const specs = function* (): Generator<EpisodeSpec> {
        for (let i = 0; i < config.episodes; i++) yield { type, seed: config.seed + i, options };
      };
      // One loop over the seed range; finished traces are counted and written a few at a time, so
      // memory stays flat and the output file's back-pressure works.
      const finished: Trace[] = [];
      const batch = new EpisodeBatch(policy, specs(), { keep: false, onEpisode: ({ trace }) => finished.push(trace) });
      while (!batch.done) {
        batch.apply(policy.actSync(batch.inputs()));
        if (finished.length < WRITE_EVERY && !batch.done) continue;
        for (const trace of finished) {
          outcome += trace.reward.outcome;
          actions += trace.turns;
          invalid += trace.invalidActions;
          if (trace.reward.components.story_accepted >= 0.5) accepted++;
          if (stream) await writeLine(stream, JSON.stringify(trace));
          done++;
          if (bar && done % 200 === 0) bar.update(done, { rate: (done / ((performance.now() - started) / 1000)).toFixed(0) });
        }
        finished.length = 0;
      }
      const n = config.episodes;
      rows.push([type.name, name, n, (outcome / n).toFixed(3), (actions / n).toFixed(1), `${((100 * accepted) / n).toFixed(1)}%`, invalid]);
    }
  }
  bar?.update(done, { rate: (done / ((performance.now() - started) / 1000)).toFixed(0) });
  bar?.stop();
  if (stream) await closeOutput(stream);
  io.out(table(['type', 'persona', 'episodes', 'mean outcome', 'actions', 'accepted', 'invalid'], rows));
  if (config.out) io.out(`\nwrote ${done} traces to ${config.out}`);
  return 0;
}
