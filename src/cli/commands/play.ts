/**
 * `dojo play`: one episode played by a trained run's model and by its base model, greedy, shown
 * side by side turn by turn (action and the world's reply), with both episodes' rewards.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Action } from '../../core/episode.js';
import { ConfigError } from '../../core/errors.js';
import { EPISODE_TYPES, episodeType } from '../../episodes/all.js';
import { initEngine } from '../../model/engine.js';
import { loadAdapter, loadModel, mergeAdapter } from '../../model/io.js';
import type { Tokenizer } from '../../model/tokenizer.js';
import type { Transformer } from '../../model/transformer.js';
import { ModelPolicy } from '../../policy/model-policy.js';
import { trainingReward } from '../../reward/credit.js';
import { type PlayedEpisode, rolloutSync } from '../../rollout/rollout.js';
import type { CommandSpec } from '../flags.js';
import type { Io } from '../io.js';

export const playSchema = z.object({
  run: z.string().describe('run directory written by dojo train'),
  type: z.enum(EPISODE_TYPES.map((k) => k.name) as [string, ...string[]]).describe('episode type'),
  seed: z.number().int().min(0).default(3).describe('scenario seed'),
  width: z.number().int().min(20).max(200).default(58).describe('column width of each transcript'),
});

export const playCommand: CommandSpec<typeof playSchema> = {
  name: 'play',
  summary: "Show a trained run's policy and its base model playing the same episode, side by side.",
  usage: 'dojo play --run runs/<id> --type elicitation [--seed 3]',
  schema: playSchema,
};

interface Turn {
  action: string;
  reply: string;
}

function play(model: Transformer, tokenizer: Tokenizer, lora: boolean, type: string, seed: number): { turns: Turn[]; summary: string } {
  const policy = new ModelPolicy(model, tokenizer, { lora, greedy: true, name: lora ? 'trained' : 'base' });
  const turns: Turn[] = [];
  const [played] = rolloutSync(policy, [{ type: episodeType(type), seed }], {
    onStep: ({ output, result }) => {
      const action = output.action as Action;
      const args = Object.entries(action.args ?? {})
        .map(([k, v]) => `${k}=${v}`)
        .join(' ');
      turns.push({
        action: `${action.type}${args ? ` ${args}` : ''}`,
        reply: result.info.valid ? (result.info.response ?? '') : `invalid: ${result.info.error}`,
      });
    },
  });
  const trace = (played as PlayedEpisode).trace;
  const { reward } = trainingReward(trace, { stage: trace.stage });
  return { turns, summary: `outcome ${trace.reward.outcome.toFixed(3)}, composite ${reward.toFixed(3)}, ${trace.turns} actions` };
}

function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      out.push(line);
      line = '';
    }
    line = line ? `${line} ${word}` : word.slice(0, width);
  }
  if (line) out.push(line);
  return out.length > 0 ? out : [''];
}

export async function runPlayCommand(config: z.infer<typeof playSchema>, io: Io): Promise<number> {
  const basePath = join(config.run, 'base.json');
  if (!existsSync(basePath))
    throw new ConfigError(`--run ${config.run}: ${basePath} does not exist; point --run at a directory written by dojo train`);
  const { baseDir } = JSON.parse(readFileSync(basePath, 'utf8')) as { baseDir: string };
  const adaptersDir = join(config.run, 'adapters');
  const adapters = existsSync(adaptersDir)
    ? readdirSync(adaptersDir)
        .filter((d) => /^lora-v\d+$/.test(d))
        .sort()
    : [];
  if (adapters.length === 0)
    throw new ConfigError(`--run ${config.run}: no finished stage adapter under ${adaptersDir} yet (a stage saves lora-vN when it ends)`);
  await initEngine('wasm');
  const { model, tokenizer } = await loadModel(baseDir);
  const base = play(model, tokenizer, false, config.type, config.seed);
  for (const name of adapters) {
    model.setLora(await loadAdapter(join(adaptersDir, name), model.config));
    if (name !== adapters[adapters.length - 1]) mergeAdapter(model);
  }
  const trained = play(model, tokenizer, true, config.type, config.seed);
  const w = config.width;
  const lines: string[] = [`${'trained'.padEnd(w)} | base`, `${'-'.repeat(w)}-+-${'-'.repeat(w)}`];
  const n = Math.max(trained.turns.length, base.turns.length);
  for (let i = 0; i < n; i++) {
    const left = trained.turns[i];
    const right = base.turns[i];
    const l = left ? [...wrap(`${i + 1}. ${left.action}`, w), ...wrap(`   ${left.reply}`, w)] : [];
    const r = right ? [...wrap(`${i + 1}. ${right.action}`, w), ...wrap(`   ${right.reply}`, w)] : [];
    for (let k = 0; k < Math.max(l.length, r.length); k++) lines.push(`${(l[k] ?? '').padEnd(w)} | ${r[k] ?? ''}`);
  }
  lines.push(`${'-'.repeat(w)}-+-${'-'.repeat(w)}`, `${trained.summary.padEnd(w)} | ${base.summary}`);
  io.out(`${config.type}, seed ${config.seed} (adapters: ${adapters.join(', ')})`);
  io.out(lines.join('\n'));
  return 0;
}
