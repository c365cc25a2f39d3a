/** Efficiency baselines: computation, the dojo.baselines/1 file format, and its error messages. */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Trace } from '../../src/core/trace.js';
import {
  BASELINES_SCHEMA,
  BaselinesError,
  type BaselinesFile,
  baselineActions,
  computeBaselines,
  readBaselines,
  traceDifficulty,
  writeBaselines,
} from '../../src/reward/baselines.js';
import { composite } from '../../src/reward/composite.js';

/** A trace with only the fields baselines read filled in. */
function trace(type: string, turns: number, accepted: boolean, difficulty?: unknown, policy = 'senior'): Trace {
  return {
    schema: 'dojo.trace/1',
    episodeId: `${type}-${turns}`,
    type,
    typeId: 'E-0',
    stage: 1,
    seed: 0,
    options: difficulty === undefined ? {} : { difficulty },
    policy,
    decisions: [],
    terminated: true,
    truncated: false,
    turns,
    invalidActions: 0,
    outcome: { accepted },
    reward: {
      outcome: accepted ? 1 : 0,
      components: {
        story_accepted: accepted ? 1 : 0,
        tests_passing: 0,
        low_iteration_count: 0,
        velocity_maintained: 0,
        low_rework: 0,
        coverage_threshold: 0,
      },
      invalidPenalty: 0,
    },
    episodeLinks: [],
    hidden: {},
  };
}

const accepted = (t: Trace) => t.reward.components.story_accepted >= 0.5;

describe('computeBaselines', () => {
  it('takes the median actions of successful episodes per type and difficulty', () => {
    const traces = [
      // elicitation/easy: successes 5, 9, 7 -> median 7; the failure with 30 actions is ignored.
      trace('elicitation', 5, true, 'easy'),
      trace('elicitation', 9, true, 'easy'),
      trace('elicitation', 7, true, 'easy'),
      trace('elicitation', 30, false, 'easy'),
      // elicitation/hard: successes 10 and 13 -> median 11.5 (mean of the two middle values).
      trace('elicitation', 13, true, 'hard'),
      trace('elicitation', 10, true, 'hard'),
      // decomposition without a difficulty -> 'any'; an unknown difficulty also lands in 'any'.
      trace('decomposition', 12, true),
      trace('decomposition', 14, false, 'impossible', 'reference'),
      // triage: no success at all -> no entry.
      trace('triage', 8, false, 'medium'),
    ];
    const baselines = computeBaselines(traces, accepted, { seeds: '0..8' });
    expect(baselines).toEqual({
      schema: BASELINES_SCHEMA,
      createdWith: { seeds: '0..8', policy: 'reference,senior', traces: 9 },
      entries: {
        decomposition: { any: { medianActions: 12, episodes: 2, successRate: 0.5 } },
        elicitation: {
          easy: { medianActions: 7, episodes: 4, successRate: 0.75 },
          hard: { medianActions: 11.5, episodes: 2, successRate: 1 },
        },
      },
    });
    // Type order in the file is sorted whatever the trace order.
    expect(Object.keys(computeBaselines([...traces].reverse(), accepted).entries)).toEqual(['decomposition', 'elicitation']);
  });

  it('reads the difficulty from trace.options', () => {
    expect(traceDifficulty(trace('x', 1, true, 'medium'))).toBe('medium');
    expect(traceDifficulty(trace('x', 1, true))).toBe('any');
    expect(traceDifficulty(trace('x', 1, true, 3))).toBe('any');
  });

  it('looks up a baseline with a fallback to any, and feeds the composite', () => {
    const baselines = computeBaselines([trace('elicitation', 10, true, 'easy'), trace('research', 6, true)], accepted);
    expect(baselineActions(baselines, 'elicitation', 'easy')).toBe(10);
    expect(baselineActions(baselines, 'elicitation', 'hard')).toBeNull();
    expect(baselineActions(baselines, 'research', 'hard')).toBe(6);
    expect(baselineActions(baselines, 'triage', 'easy')).toBeNull();
    // 15 actions against 10: −0.1 · 5/10 = −0.05.
    const reward = composite({
      outcome: 1,
      behavioral: 1,
      stage: 1,
      actions: 15,
      baselineActions: baselineActions(baselines, 'elicitation', 'easy'),
    });
    expect(reward.efficiencyPenalty).toBeCloseTo(-0.05, 12);
  });
});

describe('baselines file', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'dojo-baselines-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const sample: BaselinesFile = {
    schema: BASELINES_SCHEMA,
    createdWith: { policy: 'senior', traces: 100, seeds: '0..99' },
    entries: { elicitation: { easy: { medianActions: 7, episodes: 100, successRate: 0.8 } } },
  };

  it('round-trips through an atomic write, leaving no temporary file', () => {
    const path = join(dir, 'nested', 'baselines.json');
    writeBaselines(path, sample);
    expect(readBaselines(path)).toEqual(sample);
    expect(readdirSync(join(dir, 'nested'))).toEqual(['baselines.json']);
    expect(readFileSync(path, 'utf8').endsWith('}\n')).toBe(true);
    // Overwriting replaces the whole file.
    writeBaselines(path, { ...sample, entries: {} });
    expect(readBaselines(path).entries).toEqual({});
  });

  it('refuses to write invalid data and leaves the old file in place', () => {
    const path = join(dir, 'baselines.json');
    writeBaselines(path, sample);
    const bad = { ...sample, entries: { elicitation: { easy: { medianActions: -1, episodes: 1, successRate: 1 } } } };
    expect(() => writeBaselines(path, bad)).toThrow(BaselinesError);
    expect(readBaselines(path)).toEqual(sample);
    expect(readdirSync(dir)).toEqual(['baselines.json']);
  });

  it('a missing file names the file and how to make one', () => {
    const path = join(dir, 'missing.json');
    expect(() => readBaselines(path)).toThrow(BaselinesError);
    expect(() => readBaselines(path)).toThrow(`Baselines file ${path} does not exist`);
    expect(() => readBaselines(path)).toThrow(/computeBaselines\(\).*writeBaselines\(\)/);
  });

  it('a file that is not JSON names the file and the fix', () => {
    const path = join(dir, 'broken.json');
    writeFileSync(path, '{"schema": "dojo.baselines/1",');
    expect(() => readBaselines(path)).toThrow(
      new RegExp(`Baselines file ${escapeRegExp(path)} is not valid JSON .*Fix: rewrite it with writeBaselines`),
    );
  });

  it('a malformed file names the file, the field and the fix', () => {
    const path = join(dir, 'malformed.json');
    writeFileSync(
      path,
      JSON.stringify({
        schema: BASELINES_SCHEMA,
        createdWith: { policy: 'senior', traces: 10 },
        entries: { elicitation: { easy: { medianActions: 'seven', episodes: 10, successRate: 0.5 } } },
      }),
    );
    let message = '';
    try {
      readBaselines(path);
    } catch (error) {
      expect(error).toBeInstanceOf(BaselinesError);
      message = (error as Error).message;
    }
    expect(message).toContain(`Baselines file ${path} is invalid (dojo.baselines/1)`);
    expect(message).toContain('field entries.elicitation.easy.medianActions');
    expect(message).toContain('Fix: medianActions must be a number > 0');
  });

  it('names the field for a wrong schema version, a bad difficulty key and an unknown key', () => {
    const path = join(dir, 'old.json');
    writeFileSync(
      path,
      JSON.stringify({
        schema: 'dojo.baselines/0',
        createdWith: { policy: 'senior', traces: 10 },
        entries: { triage: { extreme: { medianActions: 3, episodes: 1, successRate: 1 } } },
        extra: true,
      }),
    );
    let message = '';
    try {
      readBaselines(path);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('field schema:');
    expect(message).toContain('Fix: set "schema": "dojo.baselines/1"');
    expect(message).toMatch(/field entries\.triage(\.extreme)?: .*Fix: use a difficulty key among easy, medium, hard, any/);
    expect(message).toMatch(/extra/);
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
