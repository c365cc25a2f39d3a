/**
 * Action parsing and validation.
 *
 * A policy's output is either an `Action` object or free text. Text is parsed as JSON (a bare
 * object or a fenced ```json block), then as call syntax (`ask_question(dimension=security)`), then
 * by the episode kind's own `fromText` hook. Every action is then validated against the kind's
 * action specs. Nothing here throws: a bad action comes back as `{ok: false, error}`.
 */
import type { Action, ActionSpec, ArgSpec, ArgValue, WorldActions } from '../core/episode.js';
import { didYouMean } from '../core/errors.js';

export type Parsed = { ok: true; action: Action } | { ok: false; error: string };

/** Longest free text accepted from a policy, in characters. */
export const MAX_TEXT_LENGTH = 8000;

export function parseAction(input: unknown, kind: WorldActions): Parsed {
  if (typeof input === 'string') return parseText(input, kind);
  return validateAction(input, kind);
}

export function validateAction(input: unknown, kind: WorldActions): Parsed {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    return { ok: false, error: 'an action must be an object {type, args?, text?, confidence?}' };
  }
  // Read-only access to the input: validation copies nothing until it builds the action.
  const raw = input as Record<string, unknown>;
  for (const key in raw) {
    if (key !== 'type' && key !== 'args' && key !== 'text' && key !== 'confidence') {
      return { ok: false, error: `unknown action field "${key}"; an action has type, args, text and confidence` };
    }
  }
  if (typeof raw.type !== 'string') return { ok: false, error: 'action.type must be a string' };
  const spec: ActionSpec | undefined = Object.hasOwn(kind.actions, raw.type) ? kind.actions[raw.type] : undefined;
  if (!spec)
    return { ok: false, error: `"${raw.type}" is not an action of ${kind.name}.${didYouMean(raw.type, Object.keys(kind.actions))}` };
  const action: Action = { type: raw.type, args: {} };
  if (raw.args !== undefined) {
    if (raw.args === null || typeof raw.args !== 'object' || Array.isArray(raw.args))
      return { ok: false, error: `${raw.type}: args must be an object` };
  }
  const args = (raw.args ?? {}) as Record<string, unknown>;
  let confidence = raw.confidence;
  for (const name in args) {
    // Tool-call schemas carry confidence among the arguments of asserting actions; lift it.
    if (name === 'confidence' && spec.asserts) {
      if (confidence === undefined) confidence = args.confidence;
      continue;
    }
    if (!Object.hasOwn(spec.args, name)) {
      const valid = Object.keys(spec.args);
      return {
        ok: false,
        error: `${raw.type}: unknown argument "${name}".${valid.length ? didYouMean(name, valid) : ' It takes no arguments.'}`,
      };
    }
  }
  const entries = argEntries(spec);
  for (let i = 0; i < entries.length; i++) {
    const [name, argSpec] = entries[i] as [string, ArgSpec];
    const value = args[name];
    if (value === undefined) {
      if (argSpec.optional) continue;
      return { ok: false, error: `${raw.type}: missing argument "${name}" (${describeArg(argSpec)})` };
    }
    const error = checkArg(value, argSpec);
    if (error) return { ok: false, error: `${raw.type}: argument "${name}" ${error}` };
    (action.args as Record<string, ArgValue>)[name] = value as ArgValue;
  }
  if (raw.text !== undefined) {
    if (typeof raw.text !== 'string') return { ok: false, error: 'action.text must be a string' };
    if (raw.text.length > MAX_TEXT_LENGTH) return { ok: false, error: `action.text is longer than ${MAX_TEXT_LENGTH} characters` };
    action.text = raw.text;
  }
  if (confidence !== undefined) {
    if (typeof confidence !== 'number' || !(confidence >= 0 && confidence <= 1)) {
      return { ok: false, error: 'action.confidence must be a number in [0, 1]' };
    }
    action.confidence = confidence;
  }
  return { ok: true, action };
}

/** Each action spec's argument entries, computed once (specs are static). */
const ARG_ENTRIES = new WeakMap<ActionSpec, [string, ArgSpec][]>();

function argEntries(spec: ActionSpec): [string, ArgSpec][] {
  let entries = ARG_ENTRIES.get(spec);
  if (entries === undefined) {
    entries = Object.entries(spec.args);
    ARG_ENTRIES.set(spec, entries);
  }
  return entries;
}

function checkArg(value: unknown, spec: ArgSpec): string | undefined {
  switch (spec.kind) {
    case 'enum':
      if (typeof value !== 'string' || !spec.values.includes(value)) {
        return `must be one of ${spec.values.join(', ')}${typeof value === 'string' ? `;${didYouMean(value, spec.values).split(' Valid:')[0]}` : ''}`;
      }
      return undefined;
    case 'int':
      if (typeof value !== 'number' || !Number.isInteger(value) || value < spec.min || value > spec.max) {
        return `must be an integer in [${spec.min}, ${spec.max}]`;
      }
      return undefined;
    case 'bool':
      return typeof value === 'boolean' ? undefined : 'must be true or false';
  }
}

export function describeArg(spec: ArgSpec): string {
  switch (spec.kind) {
    case 'enum':
      return `one of ${spec.values.join(', ')}`;
    case 'int':
      return `integer ${spec.min}..${spec.max}`;
    case 'bool':
      return 'true or false';
  }
}

function parseText(text: string, kind: WorldActions): Parsed {
  if (text.length > MAX_TEXT_LENGTH) return { ok: false, error: `the reply is longer than ${MAX_TEXT_LENGTH} characters` };
  const json = extractJson(text);
  if (json !== undefined) {
    const result = validateAction(json, kind);
    if (result.ok && result.action.text === undefined) result.action.text = text;
    return result;
  }
  const call = /^\s*([a-z_]+)\s*\(([^)]*)\)\s*$/.exec(text);
  if (call) {
    const args: Record<string, ArgValue> = {};
    for (const part of (call[2] ?? '').split(',')) {
      if (part.trim() === '') continue;
      const eq = part.indexOf('=');
      if (eq < 0) return { ok: false, error: `cannot read argument "${part.trim()}": write name=value` };
      const name = part.slice(0, eq).trim();
      const rawValue = part
        .slice(eq + 1)
        .trim()
        .replace(/^["']|["']$/g, '');
      args[name] = /^-?\d+$/.test(rawValue) ? Number(rawValue) : rawValue === 'true' ? true : rawValue === 'false' ? false : rawValue;
    }
    return validateAction({ type: call[1], args }, kind);
  }
  const fromText = kind.fromText?.(text);
  if (fromText) return validateAction(fromText, kind);
  return {
    ok: false,
    error: `could not read an action from the reply. Answer with JSON like {"type": "${Object.keys(kind.actions)[0]}", "args": {...}} using one of: ${Object.keys(kind.actions).join(', ')}`,
  };
}

function extractJson(text: string): unknown {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/.exec(text);
  const candidate = fenced ? fenced[1] : text.trim().startsWith('{') ? text.trim() : undefined;
  if (candidate === undefined) return undefined;
  try {
    return JSON.parse(candidate);
  } catch {
    return undefined;
  }
}

/** JSON schema of the legal actions, tool-call style: one entry per action type. */
export function actionToolSchemas(kind: WorldActions): Record<string, unknown>[] {
  return Object.entries(kind.actions).map(([name, spec]) => {
    const properties: Record<string, unknown> = {};
    const required: string[] = [];
    for (const [argName, arg] of Object.entries(spec.args)) {
      if (arg.kind === 'enum') properties[argName] = { type: 'string', enum: [...arg.values], description: arg.description };
      else if (arg.kind === 'int')
        properties[argName] = { type: 'integer', minimum: arg.min, maximum: arg.max, description: arg.description };
      else properties[argName] = { type: 'boolean', description: arg.description };
      if (!arg.optional) required.push(argName);
    }
    const parameters: Record<string, unknown> = { type: 'object', properties, required, additionalProperties: false };
    if (spec.asserts)
      (parameters.properties as Record<string, unknown>).confidence = {
        type: 'number',
        minimum: 0,
        maximum: 1,
        description: 'your confidence that this is right',
      };
    return { type: 'function', function: { name, description: spec.description, parameters } };
  });
}
