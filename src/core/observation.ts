/**
 * What a policy sees: one underlying state, three renderings (built by `env/observation.ts`):
 * - structured: typed JSON of what the candidate legitimately knows (never unrevealed hidden truth);
 * - tokens: a compact token sequence over a short domain vocabulary, for the built-in model;
 * - prompt: natural language plus a JSON schema of the legal actions, tool-call style, for LLMs.
 */
import type { EpisodeWorld } from './episode.js';

export const RENDER_MODES = ['structured', 'tokens', 'prompt'] as const;
export type RenderMode = (typeof RENDER_MODES)[number];

export interface LastResult {
  action: string;
  ok: boolean;
  /** The world's reply, or the reason the action was rejected. */
  message: string;
}

export interface StructuredObservation<View = Record<string, unknown>> {
  episodeId: string;
  type: string;
  /** Candidate actions taken so far (valid or not). */
  turn: number;
  maxTurns: number;
  actionTypes: string[];
  /** The episode's public state. */
  state: View;
  last?: LastResult;
}

export interface PromptObservation {
  system: string;
  user: string;
  /** OpenAI-style tool definitions, one per action type. */
  tools: Record<string, unknown>[];
}

export interface Observation<View = Record<string, unknown>> {
  structured: StructuredObservation<View>;
  tokens?: string[];
  prompt?: PromptObservation;
}

/** Special tokens shared by every episode type. */
export const SPECIAL_TOKENS = ['<pad>', '<bos>', '<eos>', '<unk>', 'last:ok', 'last:invalid', 'last:none'] as const;

/** Turn counter buckets: `turn:0` .. `turn:30` (higher turns share the last bucket). */
export const TURN_BUCKETS = 31;

/** The compact vocabulary over several episode types, in a stable order (special tokens first). */
export function compactVocabulary(types: readonly EpisodeWorld[]): string[] {
  const seen = new Set<string>(SPECIAL_TOKENS);
  const out: string[] = [...SPECIAL_TOKENS];
  for (let t = 0; t < TURN_BUCKETS; t++) {
    out.push(`turn:${t}`);
    seen.add(`turn:${t}`);
  }
  for (const type of types) {
    for (const token of type.vocabulary) {
      if (!seen.has(token)) {
        seen.add(token);
        out.push(token);
      }
    }
  }
  return out;
}
