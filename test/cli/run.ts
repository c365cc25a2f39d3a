/** Runs the CLI in-process with captured output, as the CLI tests call it. */
import type { Io } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';

/** Runs `dojo <argv>` in-process, non-interactive; the exit code and what it printed. */
export async function runCli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const io: Io = { out: (t) => stdout.push(t), err: (t) => stderr.push(t), interactive: false };
  const code = await main(argv, io);
  return { code, stdout: stdout.join('\n'), stderr: stderr.join('\n') };
}
