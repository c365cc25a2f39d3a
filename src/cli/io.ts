import { createWriteStream, existsSync, mkdirSync, openSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import { ConfigError } from '../core/errors.js';

/** Output streams for commands, injectable for tests. */
export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  /** True when stderr is an interactive terminal (progress bars are drawn only then). */
  interactive: boolean;
}

export const processIo: Io = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  interactive: Boolean(process.stderr.isTTY),
};

/** Formats rows as an aligned text table. */
export function table(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

/**
 * Opens an output file for writing before any work starts, creating its folder, so a bad path
 * fails at once with a clear message instead of after a long run.
 */
export function openOutput(path: string): WriteStream {
  let fd: number;
  try {
    if (!existsSync(dirname(path))) mkdirSync(dirname(path), { recursive: true });
    fd = openSync(path, 'w');
  } catch (error) {
    throw new ConfigError(`cannot write --out ${path}: ${(error as Error).message}`);
  }
  return createWriteStream('', { fd, encoding: 'utf8' });
}

/** Writes one line, waiting for the stream to drain when its buffer is full. */
export async function writeLine(stream: WriteStream, line: string): Promise<void> {
  if (!stream.write(`${line}\n`)) await new Promise<void>((resolve) => stream.once('drain', () => resolve()));
}

export function closeOutput(stream: WriteStream): Promise<void> {
  return new Promise<void>((resolve, reject) => stream.end((error?: Error | null) => (error ? reject(error) : resolve())));
}
