/**
 * Command-line flags generated from a zod object schema, so flags and `--help` cannot drift from
 * the config. Layers: schema defaults < config file (`--config FILE`, JSON) < flags. Unknown keys
 * are errors with a "did you mean" suggestion.
 *
 * Supported field types: string, number (integers where the schema says so), boolean (`--flag`,
 * `--no-flag`, `--flag=false`), enum, and comma-separated lists of strings or enums.
 */
import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { ConfigError, didYouMean } from '../core/errors.js';

type AnySchema = z.ZodType;

interface FieldInfo {
  name: string;
  flag: string;
  kind: 'string' | 'number' | 'boolean' | 'enum' | 'list';
  values?: readonly string[];
  description: string;
  defaultValue?: unknown;
  required: boolean;
}

function unwrap(schema: AnySchema): { inner: AnySchema; defaultValue?: unknown; optional: boolean; description?: string } {
  let inner = schema;
  let defaultValue: unknown;
  let optional = false;
  let description = schema.description;
  for (;;) {
    const def = (inner as unknown as { def: { type: string; innerType?: AnySchema; defaultValue?: unknown } }).def;
    if (def.type === 'default') {
      defaultValue = def.defaultValue;
      optional = true;
    } else if (def.type === 'optional') {
      optional = true;
    } else break;
    inner = def.innerType as AnySchema;
    description ??= inner.description;
  }
  const out: { inner: AnySchema; defaultValue?: unknown; optional: boolean; description?: string } = { inner, optional };
  if (defaultValue !== undefined) out.defaultValue = defaultValue;
  if (description !== undefined) out.description = description;
  return out;
}

export function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

export function fieldsOf(schema: z.ZodObject): FieldInfo[] {
  return Object.entries(schema.shape).map(([name, field]) => {
    const { inner, defaultValue, optional, description } = unwrap(field as AnySchema);
    const def = (inner as unknown as { def: { type: string; element?: AnySchema } }).def;
    let kind: FieldInfo['kind'];
    let values: readonly string[] | undefined;
    switch (def.type) {
      case 'string':
        kind = 'string';
        break;
      case 'number':
        kind = 'number';
        break;
      case 'boolean':
        kind = 'boolean';
        break;
      case 'enum':
        kind = 'enum';
        values = (inner as unknown as { options: string[] }).options;
        break;
      case 'array': {
        kind = 'list';
        const element = unwrap(def.element as AnySchema).inner as unknown as { def: { type: string }; options?: string[] };
        if (element.def.type === 'enum') values = element.options;
        break;
      }
      default:
        throw new Error(`flags: unsupported schema type ${def.type} for ${name}`);
    }
    const info: FieldInfo = { name, flag: `--${kebab(name)}`, kind, description: description ?? '', required: !optional };
    if (values) info.values = values;
    if (defaultValue !== undefined) info.defaultValue = defaultValue;
    return info;
  });
}

export interface CommandSpec<S extends z.ZodObject> {
  name: string;
  summary: string;
  usage: string;
  schema: S;
  examples?: string[];
  /** Positional arguments, mapped in order to these fields. */
  positionals?: (keyof z.infer<S> & string)[];
}

export function helpText(spec: CommandSpec<z.ZodObject>): string {
  const lines = [`${spec.summary}`, '', `Usage: ${spec.usage}`, '', 'Options:'];
  const fields = fieldsOf(spec.schema);
  const width = Math.max(...fields.map((f) => f.flag.length + placeholder(f).length + 1), 12);
  for (const f of fields) {
    const head = `${f.flag}${placeholder(f) ? ` ${placeholder(f)}` : ''}`.padEnd(width);
    const extras: string[] = [];
    if (f.values) extras.push(`one of: ${f.values.join(', ')}${f.kind === 'list' ? ' (comma-separated)' : ''}`);
    if (f.defaultValue !== undefined)
      extras.push(`default: ${Array.isArray(f.defaultValue) ? f.defaultValue.join(',') : String(f.defaultValue)}`);
    if (f.required) extras.push('required');
    lines.push(`  ${head}  ${f.description}${extras.length ? ` (${extras.join('; ')})` : ''}`);
  }
  lines.push(`  ${'--config FILE'.padEnd(width)}  read options from a JSON file (flags override it)`);
  lines.push(`  ${'--help'.padEnd(width)}  show this help`);
  if (spec.examples?.length) lines.push('', 'Examples:', ...spec.examples.map((e) => `  ${e}`));
  return lines.join('\n');
}

function placeholder(f: FieldInfo): string {
  if (f.kind === 'boolean') return '';
  if (f.kind === 'number') return 'N';
  if (f.kind === 'list') return 'A,B';
  if (f.kind === 'enum') return 'NAME';
  return 'VALUE';
}

export type ParseResult<T> = { help: true } | { help: false; config: T };

/** Parses argv against the schema; throws ConfigError with a fix on any problem. */
export function parseFlags<S extends z.ZodObject>(spec: CommandSpec<S>, argv: readonly string[]): ParseResult<z.infer<S>> {
  const fields = fieldsOf(spec.schema);
  const byFlag = new Map(fields.map((f) => [f.flag, f]));
  const raw: Record<string, unknown> = {};
  const positionals: string[] = [];
  let configFile: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--help' || arg === '-h') return { help: true };
    if (!arg.startsWith('--')) {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    let flag = eq >= 0 ? arg.slice(0, eq) : arg;
    let value: string | undefined = eq >= 0 ? arg.slice(eq + 1) : undefined;
    if (flag === '--config') {
      configFile = value ?? argv[++i];
      if (!configFile) throw new ConfigError('--config needs a file path');
      continue;
    }
    let negated = false;
    if (!byFlag.has(flag) && flag.startsWith('--no-') && byFlag.get(`--${flag.slice(5)}`)?.kind === 'boolean') {
      flag = `--${flag.slice(5)}`;
      negated = true;
    }
    const field = byFlag.get(flag);
    if (!field) throw new ConfigError(`${spec.name}: unknown option ${flag}.${didYouMean(flag, [...byFlag.keys(), '--config', '--help'])}`);
    if (field.kind === 'boolean') {
      if (value === undefined) raw[field.name] = !negated;
      else if (value === 'true' || value === 'false') raw[field.name] = value === 'true';
      else throw new ConfigError(`${spec.name}: ${flag} takes no value or =true/=false, got "${value}"`);
      continue;
    }
    if (value === undefined) {
      value = argv[i + 1];
      if (value === undefined || (value.startsWith('--') && value.length > 2))
        throw new ConfigError(`${spec.name}: ${flag} needs a value (${describeField(field)})`);
      i++;
    }
    raw[field.name] = convert(spec.name, field, value);
  }
  const names = spec.positionals ?? [];
  if (positionals.length > names.length) {
    throw new ConfigError(`${spec.name}: unexpected argument "${positionals[names.length]}". Usage: ${spec.usage}`);
  }
  positionals.forEach((value, index) => {
    const field = fields.find((f) => f.name === names[index]) as FieldInfo;
    raw[field.name] = convert(spec.name, field, value);
  });
  const fromFile = configFile ? readConfigFile(configFile) : {};
  return { help: false, config: validate(spec, { ...fromFile, ...raw }, configFile) };
}

function convert(command: string, field: FieldInfo, value: string): unknown {
  switch (field.kind) {
    case 'number': {
      const n = Number(value);
      if (value.trim() === '' || !Number.isFinite(n)) throw new ConfigError(`${command}: ${field.flag} must be a number, got "${value}"`);
      return n;
    }
    case 'list':
      return value
        .split(',')
        .map((v) => v.trim())
        .filter((v) => v.length > 0);
    default:
      return value;
  }
}

function describeField(field: FieldInfo): string {
  if (field.values) return `one of ${field.values.join(', ')}`;
  return field.kind;
}

function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read config file ${path}: ${(error as Error).message}`);
  }
  try {
    const parsed = JSON.parse(text) as unknown;
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('the top level must be an object');
    return parsed as Record<string, unknown>;
  } catch (error) {
    throw new ConfigError(`config file ${path} is not a JSON object: ${(error as Error).message}. Fix the file or pass options as flags.`);
  }
}

function validate<S extends z.ZodObject>(spec: CommandSpec<S>, raw: Record<string, unknown>, file: string | undefined): z.infer<S> {
  const result = spec.schema.strict().safeParse(raw);
  if (result.success) return result.data as z.infer<S>;
  const fields = fieldsOf(spec.schema);
  const issue = result.error.issues[0] as z.core.$ZodIssue;
  const key = String(issue.path[0] ?? '');
  const where = file ? ` (in ${file})` : '';
  if (issue.code === 'unrecognized_keys') {
    const unknown = issue.keys[0] ?? '';
    throw new ConfigError(
      `${spec.name}: unknown option "${unknown}"${where}.${didYouMean(
        unknown,
        fields.map((f) => f.name),
      )}`,
    );
  }
  const field = fields.find((f) => f.name === key);
  const label = field ? field.flag : key;
  if (raw[key] === undefined && field?.required) {
    throw new ConfigError(`${spec.name}: ${label} is required (${field ? describeField(field) : ''}). Usage: ${spec.usage}`);
  }
  if ((issue.code === 'invalid_value' || issue.code === 'invalid_type') && field?.values) {
    const given = Array.isArray(raw[key]) ? (raw[key] as unknown[]).find((v) => !field.values?.includes(String(v))) : raw[key];
    throw new ConfigError(`${spec.name}: ${label} "${String(given)}" is not valid${where}.${didYouMean(String(given), field.values)}`);
  }
  throw new ConfigError(`${spec.name}: ${label}${where}: ${issue.message}`);
}
