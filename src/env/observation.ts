/**
 * Observation renderings. One underlying state, three views:
 * - structured: typed JSON of what the candidate legitimately knows (never unrevealed hidden truth);
 * - tokens: a compact token sequence over a short domain vocabulary, for the built-in model;
 * - prompt: natural language plus a JSON schema of the legal actions, tool-call style, for LLMs.
 */
import type { Episode, WorldActions } from '../core/episode.js';
import { type LastResult, type PromptObservation, TURN_BUCKETS } from '../core/observation.js';
import { actionToolSchemas } from './action.js';

export function renderTokens(episode: Pick<Episode, 'tokens'>, turn: number, last: LastResult | undefined): string[] {
  return [
    '<bos>',
    `turn:${Math.min(turn, TURN_BUCKETS - 1)}`,
    last ? (last.ok ? 'last:ok' : 'last:invalid') : 'last:none',
    ...episode.tokens(),
    '<eos>',
  ];
}

export function renderPrompt(
  kind: WorldActions,
  episode: Pick<Episode, 'describe'>,
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
