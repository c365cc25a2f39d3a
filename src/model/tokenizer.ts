/**
 * The built-in model's tokenizer: a word-level vocabulary over the compact observation language
 * (`compactVocabulary` of the registered episode kinds) and an action language derived from the
 * kinds' action specs. An action is the token `act:<type>` followed by one `<arg>=<value>` token per
 * argument present, in the spec's argument order, then `<eos>`:
 *
 *     assess_severity {level: high}  ->  act:assess_severity level=high <eos>
 *
 * Every legal action therefore has exactly one token sequence, so decoding can be constrained to the
 * legal actions with a prefix trie and the sequence log-probability is the action's log-probability.
 *
 * Saved as a Hugging Face `tokenizer.json` (WordLevel model, whitespace pre-tokenizer), which
 * `transformers.PreTrainedTokenizerFast(tokenizer_file=...)` loads.
 */

import type { Action, ArgSpec, EpisodeWorld } from '../core/episode.js';
import { compactVocabulary } from '../core/observation.js';

export const PAD = '<pad>';
export const BOS = '<bos>';
export const EOS = '<eos>';
export const UNK = '<unk>';
/** Separates the observation from the action the model writes. */
export const ACT = '<act>';

function argValues(spec: ArgSpec): string[] {
  if (spec.kind === 'enum') return [...spec.values];
  if (spec.kind === 'bool') return ['true', 'false'];
  const out: string[] = [];
  for (let v = spec.min; v <= spec.max; v++) out.push(String(v));
  return out;
}

export class Tokenizer {
  readonly tokens: readonly string[];
  private readonly ids: Map<string, number>;
  /** Argument order per action type (the spec's order), for canonical encoding. */
  private readonly argOrder: Map<string, readonly string[]>;

  constructor(tokens: readonly string[], argOrder: Record<string, readonly string[]>) {
    this.tokens = tokens;
    this.ids = new Map(tokens.map((t, i) => [t, i]));
    if (this.ids.size !== tokens.length) throw new Error('tokenizer vocabulary has duplicate tokens');
    for (const special of [PAD, BOS, EOS, UNK, ACT]) if (!this.ids.has(special)) throw new Error(`tokenizer vocabulary lacks ${special}`);
    this.argOrder = new Map(Object.entries(argOrder));
  }

  /** Builds the vocabulary from every kind's observation vocabulary and action specs. */
  static fromKinds(kinds: readonly EpisodeWorld[]): Tokenizer {
    const tokens = [...compactVocabulary(kinds)];
    const seen = new Set(tokens);
    const add = (t: string) => {
      if (!seen.has(t)) {
        seen.add(t);
        tokens.push(t);
      }
    };
    add(ACT);
    const argOrder: Record<string, string[]> = {};
    for (const kind of kinds) {
      for (const [type, spec] of Object.entries(kind.actions)) {
        add(`act:${type}`);
        // An action type shared by several kinds (read_file, ...) may take different arguments in
        // each: the canonical order is the union, first kind's order first.
        const known = argOrder[type] ?? [];
        argOrder[type] = [...known, ...Object.keys(spec.args).filter((n) => !known.includes(n))];
        for (const [name, arg] of Object.entries(spec.args)) for (const v of argValues(arg)) add(`${name}=${v}`);
      }
    }
    return new Tokenizer(tokens, argOrder);
  }

  get size(): number {
    return this.tokens.length;
  }

  id(token: string): number {
    return this.ids.get(token) ?? (this.ids.get(UNK) as number);
  }

  has(token: string): boolean {
    return this.ids.has(token);
  }

  token(id: number): string {
    return this.tokens[id] ?? UNK;
  }

  encode(tokens: readonly string[]): number[] {
    return tokens.map((t) => this.id(t));
  }

  /** The canonical token sequence of an action (ending with `<eos>`). */
  actionTokens(action: Action): string[] {
    const out = [`act:${action.type}`];
    const order = this.argOrder.get(action.type) ?? Object.keys(action.args ?? {});
    for (const name of order) {
      const v = action.args?.[name];
      if (v !== undefined) out.push(`${name}=${String(v)}`);
    }
    out.push(EOS);
    return out;
  }

  encodeAction(action: Action): number[] {
    return this.encode(this.actionTokens(action));
  }

  /**
   * Decodes an action token sequence (with or without the final `<eos>`). Argument values are
   * returned as strings, numbers or booleans as the token spells them; the environment validates.
   */
  decodeAction(ids: readonly number[]): Action | undefined {
    const tokens = ids.map((i) => this.token(i)).filter((t) => t !== EOS);
    const head = tokens[0];
    if (!head?.startsWith('act:')) return undefined;
    const args: Record<string, string | number | boolean> = {};
    for (const t of tokens.slice(1)) {
      const eq = t.indexOf('=');
      if (eq < 0) return undefined;
      const raw = t.slice(eq + 1);
      args[t.slice(0, eq)] = raw === 'true' ? true : raw === 'false' ? false : /^-?\d+$/.test(raw) ? Number(raw) : raw;
    }
    return { type: head.slice(4), args };
  }

  /** Hugging Face `tokenizer.json` (WordLevel) with Dojo's argument order kept in an extra field. */
  toJSON(): Record<string, unknown> {
    const specials = [PAD, BOS, EOS, UNK, ACT];
    return {
      version: '1.0',
      truncation: null,
      padding: null,
      added_tokens: specials.map((t) => ({
        id: this.id(t),
        content: t,
        single_word: false,
        lstrip: false,
        rstrip: false,
        normalized: false,
        special: true,
      })),
      normalizer: null,
      pre_tokenizer: { type: 'WhitespaceSplit' },
      post_processor: null,
      decoder: null,
      model: { type: 'WordLevel', vocab: Object.fromEntries(this.tokens.map((t, i) => [t, i])), unk_token: UNK },
      dojo: { format: 'dojo.tokenizer/1', action_arguments: Object.fromEntries(this.argOrder) },
    };
  }

  /** Reads what `toJSON` wrote; `file` names the source in errors. */
  static fromJSON(json: unknown, file = 'tokenizer.json'): Tokenizer {
    const j = json as { model?: { type?: string; vocab?: Record<string, number> }; dojo?: { action_arguments?: Record<string, string[]> } };
    if (j?.model?.type !== 'WordLevel' || typeof j.model.vocab !== 'object')
      throw new Error(`${file}: field "model" must be a WordLevel model with a "vocab" map (write it with Dojo or transformers)`);
    const entries = Object.entries(j.model.vocab).sort((a, b) => a[1] - b[1]);
    entries.forEach(([t, i], at) => {
      if (i !== at)
        throw new Error(`${file}: field "model.vocab": ids must be 0..${entries.length - 1} without gaps (token "${t}" has ${i})`);
    });
    return new Tokenizer(
      entries.map(([t]) => t),
      j.dojo?.action_arguments ?? {},
    );
  }
}
