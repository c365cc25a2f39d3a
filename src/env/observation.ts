/**
 * Observation renderings. One underlying state, three views:
 * - structured: typed JSON of what the candidate legitimately knows (never unrevealed hidden truth);
 * - tokens: a compact token sequence over a short domain vocabulary, for the built-in model;
 * - prompt: natural language plus a JSON schema of the legal actions, tool-call style, for LLMs.
 */
import type { Episode, EpisodeWorld } from '../core/episode.js';
import type { LastResult, PromptObservation } from '../core/observation.js';
import { actionToolSchemas } from './action.js';

/** Special tokens shared by every episode kind. */
export const SPECIAL_TOKENS = ['<pad>', '<bos>', '<eos>', '<unk>', 'last:ok', 'last:invalid', 'last:none'] as const;

/** Turn counter buckets: `turn:0` .. `turn:30` (higher turns share the last bucket). */
export const TURN_BUCKETS = 31;

export function renderTokens(episode: Episode, turn: number, last: LastResult | undefined): string[] {
  return [
    '<bos>',
    `turn:${Math.min(turn, TURN_BUCKETS - 1)}`,
    last ? (last.ok ? 'last:ok' : 'last:invalid') : 'last:none',
    ...episode.tokens(),
    '<eos>',
  ];
}

export function renderPrompt(
  kind: EpisodeWorld,
  episode: Episode,
  turn: number,
  maxTurns: number,
  last: LastResult | undefined,
): PromptObservation {
  const system = [
    'You are the candidate engineer in Dojo, a simulated agile team.',
    kind.summary,
    'Reply with exactly one action: a tool call, or JSON {"type": ..., "args": {...}, "text": ..., "confidence": ...}.',
    `You have used ${turn} of ${maxTurns} actions.`,
  ].join('\n');
  const user = last
    ? `${episode.describe()}\n\nYour last action (${last.action}) ${last.ok ? 'got' : 'was rejected'}: ${last.message}`
    : episode.describe();
  return { system, user, tools: actionToolSchemas(kind) };
}

/** The compact vocabulary over several episode kinds, in a stable order (special tokens first). */
export function compactVocabulary(kinds: readonly EpisodeWorld[]): string[] {
  const seen = new Set<string>(SPECIAL_TOKENS);
  const out: string[] = [...SPECIAL_TOKENS];
  for (let t = 0; t < TURN_BUCKETS; t++) {
    out.push(`turn:${t}`);
    seen.add(`turn:${t}`);
  }
  for (const kind of kinds) {
    for (const token of kind.vocabulary) {
      if (!seen.has(token)) {
        seen.add(token);
        out.push(token);
      }
    }
  }
  return out;
}
