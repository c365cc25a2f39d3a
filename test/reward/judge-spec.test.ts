/**
 * `src/spec/behaviors.ts` must match ../shared/spec/behaviors.yaml, the source of truth, when it is
 * present (a plain clone skips this check).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { BEHAVIOR_CATEGORIES, BEHAVIOR_CODES, BEHAVIORS } from '../../src/spec/behaviors.js';
import { EPISODE_SPECS } from '../../src/spec/episodes.js';

const BEHAVIORS_YAML = join(import.meta.dirname, '..', '..', '..', 'shared', 'spec', 'behaviors.yaml');

interface YamlBehavior {
  name: string;
  stage: (number | string)[];
  transfer: string;
  scope: string;
  trigger: string;
  do: unknown[];
  avoid: unknown[];
  proxy: string;
}

/** A list item written `- key: value` in the YAML parses as a one-entry map; ours is the string `key: value`. */
function asText(item: unknown): string {
  if (typeof item === 'string') return item;
  const [[key, value]] = Object.entries(item as Record<string, string>) as [[string, string]];
  return `${key}: ${value}`;
}

describe('behavior constants', () => {
  it('has 30 codes, each in exactly one category, and every trained code exists', () => {
    expect(BEHAVIOR_CODES).toHaveLength(30);
    const categorized = Object.values(BEHAVIOR_CATEGORIES).flat();
    expect([...categorized].sort()).toEqual([...BEHAVIOR_CODES].sort());
    for (const type of Object.values(EPISODE_SPECS)) for (const code of type.trains) expect(BEHAVIOR_CODES).toContain(code);
  });
});

describe.runIf(existsSync(BEHAVIORS_YAML))('behaviors.ts matches shared/spec/behaviors.yaml', () => {
  const yaml = existsSync(BEHAVIORS_YAML)
    ? (parse(readFileSync(BEHAVIORS_YAML, 'utf8')) as { categories: Record<string, string[]>; codes: Record<string, YamlBehavior> })
    : { categories: {}, codes: {} };

  it('categories', () => {
    expect(Object.fromEntries(Object.entries(BEHAVIOR_CATEGORIES).map(([k, v]) => [k, [...v]]))).toEqual(yaml.categories);
  });

  it('every code, field by field', () => {
    expect(Object.keys(BEHAVIORS)).toEqual(Object.keys(yaml.codes));
    for (const [code, entry] of Object.entries(yaml.codes)) {
      const ours = BEHAVIORS[code as keyof typeof BEHAVIORS];
      const category = Object.entries(yaml.categories).find(([, codes]) => codes.includes(code))?.[0];
      expect({ ...ours, stage: [...ours.stage], do: [...ours.do], avoid: [...ours.avoid] }).toEqual({
        code,
        name: entry.name,
        category,
        stage: entry.stage,
        transfer: entry.transfer,
        scope: entry.scope,
        trigger: entry.trigger,
        do: entry.do.map(asText),
        avoid: entry.avoid.map(asText),
        proxy: entry.proxy,
      });
    }
  });
});
