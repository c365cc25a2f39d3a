/**
 * The `dojo` command. Each subcommand has one zod schema; its flags and help are generated from it.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import { DojoError, didYouMean } from '../core/errors.js';
import { baselineCommand, runBaselineCommand } from './commands/baseline.js';
import { episodeCommand, runEpisodeCommand } from './commands/episode.js';
import { evalCommand, runEvalCommand } from './commands/eval.js';
import { playCommand, runPlayCommand } from './commands/play.js';
import { pretrainCommand, runPretrainCommand } from './commands/pretrain.js';
import { runScoreCommand, scoreCommand } from './commands/score.js';
import { runSimulateCommand, simulateCommand } from './commands/simulate.js';
import { runSprintCommand, sprintCommand } from './commands/sprint.js';
import { runTrainCommand, trainCommand } from './commands/train.js';
import { type CommandSpec, helpText, parseFlags } from './flags.js';
import { type Io, processIo } from './io.js';

interface Command {
  spec: CommandSpec<z.ZodObject>;
  run: (config: never, io: Io) => Promise<number>;
}

const COMMANDS: Record<string, Command> = {
  train: { spec: trainCommand as unknown as CommandSpec<z.ZodObject>, run: runTrainCommand },
  pretrain: { spec: pretrainCommand as unknown as CommandSpec<z.ZodObject>, run: runPretrainCommand },
  eval: { spec: evalCommand as unknown as CommandSpec<z.ZodObject>, run: runEvalCommand },
  play: { spec: playCommand as unknown as CommandSpec<z.ZodObject>, run: runPlayCommand },
  episode: { spec: episodeCommand as unknown as CommandSpec<z.ZodObject>, run: runEpisodeCommand },
  simulate: { spec: simulateCommand as unknown as CommandSpec<z.ZodObject>, run: runSimulateCommand },
  sprint: { spec: sprintCommand as unknown as CommandSpec<z.ZodObject>, run: runSprintCommand },
  score: { spec: scoreCommand as unknown as CommandSpec<z.ZodObject>, run: runScoreCommand },
  baseline: { spec: baselineCommand as unknown as CommandSpec<z.ZodObject>, run: runBaselineCommand },
};

function version(): string {
  const path = fileURLToPath(new URL('../../package.json', import.meta.url));
  return (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version;
}

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  return [
    'dojo — train language models to behave like senior software engineers.',
    '',
    'Usage: dojo <command> [options]   (dojo <command> --help for its options)',
    '',
    'Commands:',
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.spec.summary}`),
  ].join('\n');
}

/** Runs the CLI; returns the exit code. Errors the user can fix print a message, not a stack. */
export async function main(argv: readonly string[], io: Io = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? rest[0] : undefined;
    if (topic && COMMANDS[topic]) io.out(helpText((COMMANDS[topic] as Command).spec));
    else io.out(usage());
    return 0;
  }
  if (name === '--version' || name === '-v') {
    io.out(version());
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.err(`dojo: unknown command "${name}".${didYouMean(name, Object.keys(COMMANDS))}\nRun "dojo --help" for the list.`);
    return 2;
  }
  try {
    const parsed = parseFlags(command.spec, rest);
    if (parsed.help) {
      io.out(helpText(command.spec));
      return 0;
    }
    return await command.run(parsed.config as never, io);
  } catch (error) {
    if (error instanceof DojoError) {
      io.err(`dojo: ${error.message}`);
      return 2;
    }
    throw error;
  }
}
