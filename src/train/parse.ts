/**
 * Parsers of the training options that are lists: `--stages 1,2` and `name=weight` pairs (`--mix`,
 * `--pretrain-mixture`). Each error names the option, the bad part and an example that works.
 */

import type { StageNumber } from '../spec/curriculum.js';

/** Parses `--stages 1,2` into stage numbers, with a clear message for bad input. */
export function parseStages(text: string): StageNumber[] {
  const parts = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (parts.length === 0) throw new Error('--stages: give at least one stage, e.g. --stages 1 or --stages 1,2');
  return parts.map((p) => {
    const n = Number(p);
    if (![1, 2, 3, 4].includes(n)) throw new Error(`--stages: "${p}" is not a curriculum stage (1, 2, 3 or 4)`);
    return n as StageNumber;
  });
}

/**
 * Parses comma-separated `name=weight` pairs (weights finite and ≥ 0, in the order given) for the
 * option `--<flag>`, with a message that names the bad pair and shows `example`.
 */
export function parseWeightPairs(text: string, flag: string, example: string): [string, number][] {
  return text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)
    .map((pair) => {
      const [name, weight, ...rest] = pair.split('=').map((s) => s.trim());
      const value = Number(weight);
      if (!name || weight === undefined || weight === '' || rest.length > 0 || !Number.isFinite(value) || value < 0)
        throw new Error(`--${flag}: "${pair}" is not name=weight with a weight ≥ 0 (e.g. --${flag} ${example})`);
      return [name, value];
    });
}
