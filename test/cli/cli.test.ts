import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { STAGE1_TYPES } from '../../src/cli/registry.js';
import { PERSONA_NAMES } from '../../src/policy/scripted.js';
import { runCli } from './run.js';

const run = runCli;

describe('dojo episode', () => {
  it('prints byte-identical JSON traces for the same seed, for every Stage-1 type and persona', async () => {
    for (const type of STAGE1_TYPES) {
      for (const persona of PERSONA_NAMES) {
        const a = await run('episode', '--type', type, '--persona', persona, '--seed', '7', '--json');
        const b = await run('episode', '--type', type, '--persona', persona, '--seed', '7', '--json');
        expect(a.code).toBe(0);
        expect(a.stdout).toBe(b.stdout);
        const trace = JSON.parse(a.stdout);
        expect(trace.schema).toBe('dojo.trace/1');
        expect(trace.reward.outcome).toBeGreaterThanOrEqual(0);
        expect(trace.reward.outcome).toBeLessThanOrEqual(1);
        expect(trace.decisions.length).toBe(trace.turns);
      }
    }
  });

  it('prints a readable transcript', async () => {
    const { code, stdout } = await run('episode', '--type', 'elicitation', '--seed', '3');
    expect(code).toBe(0);
    expect(stdout).toMatch(/As an? .+, I want to/);
    expect(stdout).toMatch(/\[0\] \w+\(/);
    expect(stdout).toMatch(/outcome reward\s+\d\.\d{3}/);
  });

  it('rejects bad flags with a message saying what is valid', async () => {
    let r = await run('episode', '--type', 'elicitaton');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Did you mean "elicitation"\?/);
    r = await run('episode', '--type', 'elicitation', '--sed', '3');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown option --sed\. Did you mean "--seed"\?/);
    r = await run('episode', '--type', 'elicitation', '--seed', 'abc');
    expect(r.stderr).toMatch(/--seed must be a number/);
    r = await run('episode', '--type', 'elicitation', '--seed', '-1');
    expect(r.code).toBe(2);
    r = await run('episode');
    expect(r.stderr).toMatch(/--type is required/);
    r = await run('episodes');
    expect(r.stderr).toMatch(/Did you mean "episode"\?/);
  });

  it('refuses a malformed --mix, --pretrain-mixture or warm-start option before making a run directory', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'dojo-cli-')), 'run');
    let r = await run('train', '--mix', 'research', '--output', dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--mix: "research" is not name=weight/);
    expect(existsSync(dir)).toBe(false);
    r = await run('train', '--pretrain-mixture', 'senior=1', '--output', dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/"senior" cannot be imitated by the base/);
    expect(existsSync(dir)).toBe(false);
    r = await run('train', '--warm-start-types', '-elicitatio', '--output', dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--warm-start-types: "elicitatio" is not an episode type \(choose from elicitation/);
    expect(existsSync(dir)).toBe(false);
    r = await run('train', '--warm-start-top', '1.5', '--output', dir);
    expect(r.code).toBe(2);
    expect(existsSync(dir)).toBe(false);
  });

  it('has --help on every command', async () => {
    for (const command of ['episode', 'simulate', 'train', 'eval', 'play', 'score', 'baseline']) {
      const r = await run(command, '--help');
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/Usage: dojo/);
    }
    expect((await run('--help')).stdout).toMatch(/Commands:/);
  });

  it('reads options from a config file, flags overriding, unknown keys rejected', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dojo-cli-'));
    const good = join(dir, 'good.json');
    writeFileSync(good, JSON.stringify({ type: 'elicitation', seed: 5, json: true }));
    const fromFile = await run('episode', '--config', good);
    expect(JSON.parse(fromFile.stdout).seed).toBe(5);
    const overridden = await run('episode', '--config', good, '--seed', '6');
    expect(JSON.parse(overridden.stdout).seed).toBe(6);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ type: 'elicitation', sede: 5 }));
    const r = await run('episode', '--config', bad);
    expect(r.stderr).toMatch(/unknown option "sede" \(in .*bad\.json\)\. Did you mean "seed"\?/);
    writeFileSync(bad, '{ not json');
    expect((await run('episode', '--config', bad)).stderr).toMatch(/bad\.json is not a JSON object/);
  });
});

describe('dojo simulate', () => {
  it('writes one trace per episode and prints a per-type summary', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dojo-sim-'));
    const out = join(dir, 'sub', 'traces.jsonl');
    const r = await run(
      'simulate',
      '--types',
      'elicitation',
      '--persona',
      'senior,junior',
      '--episodes',
      '20',
      '--seed',
      '100',
      '--out',
      out,
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/elicitation\s+senior\s+20/);
    expect(r.stdout).toMatch(/elicitation\s+junior\s+20/);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(40);
    const seeds = lines.map((l) => JSON.parse(l).seed);
    expect(seeds.slice(0, 20)).toEqual(Array.from({ length: 20 }, (_, i) => 100 + i));
  });

  it('fails at once with a clear message when --out cannot be written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dojo-sim-'));
    writeFileSync(join(dir, 'file'), '');
    const r = await run('simulate', '--episodes', '1', '--out', join(dir, 'file', 'traces.jsonl'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot write --out .*traces\.jsonl/);
  });

  it('rejects an unknown persona in a list', async () => {
    const r = await run('simulate', '--persona', 'senior,guru');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/"guru" is not valid/);
  });
});

describe('the built bin', () => {
  const bin = join(import.meta.dirname, '..', '..', 'bin', 'dojo.js');
  const built = existsSync(join(import.meta.dirname, '..', '..', 'dist', 'cli', 'main.js'));
  it.runIf(built)('runs as a process and gives byte-identical output twice', () => {
    const a = execFileSync(process.execPath, [bin, 'episode', '--type', 'elicitation', '--persona', 'senior', '--seed', '7', '--json']);
    const b = execFileSync(process.execPath, [bin, 'episode', '--type', 'elicitation', '--persona', 'senior', '--seed', '7', '--json']);
    expect(a.equals(b)).toBe(true);
    expect(JSON.parse(a.toString()).episodeId).toBe('elicitation-7');
  });
});

describe('dojo score', () => {
  it('scores traces, writes the breakdown, and reports malformed lines with file and line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dojo-score-'));
    const traces = join(dir, 'traces.jsonl');
    await run('simulate', '--types', 'elicitation,research', '--persona', 'senior,junior', '--episodes', '30', '--out', traces);
    writeFileSync(traces, `${readFileSync(traces, 'utf8')}not json\n{"schema":"dojo.trace/0"}\n`);
    const out = join(dir, 'scored.jsonl');
    const metrics = join(dir, 'metrics.jsonl');
    const r = await run('score', traces, '--out', out, '--metrics', metrics);
    const report = JSON.parse(readFileSync(metrics, 'utf8'));
    expect(report.schema).toBe('dojo.calibration/1');
    expect(report.episodes).toBe(120);
    expect(r.stdout).toMatch(/calibration: \d+ episode\(s\) with behavioral > 0\.7 but outcome < 0\.3/);
    expect(r.code).toBe(1); // malformed lines were skipped: not a silent success
    expect(r.stderr).toMatch(/traces\.jsonl:121: not valid JSON/);
    expect(r.stderr).toMatch(/traces\.jsonl:122: field "schema" is "dojo\.trace\/0"/);
    expect(r.stdout).toMatch(/elicitation\s+senior\s+30/);
    expect(r.stdout).toMatch(/scored 120 traces, skipped 2 malformed line\(s\)/);
    const lines = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(120);
    for (const line of lines) {
      expect(line.reward.composite).toBeCloseTo(
        0.3 * line.reward.outcome + 0.7 * line.reward.behavioral + line.reward.breakdown.phaseBonus + line.meta.reward,
        3,
      );
      expect(Math.abs(line.meta.reward)).toBeLessThanOrEqual(0.1);
      expect(Object.keys(line.behaviors)).toHaveLength(30);
      expect(line.behaviors['B-13'].score).toBeNull();
    }
    const senior = lines.filter((l) => l.policy === 'senior' && l.type === 'elicitation');
    const junior = lines.filter((l) => l.policy === 'junior' && l.type === 'elicitation');
    const mean = (xs: { reward: { composite: number } }[]) => xs.reduce((a, l) => a + l.reward.composite, 0) / xs.length;
    expect(mean(senior)).toBeGreaterThan(mean(junior) + 0.2);
  });

  it('falls back to the heuristic when the judge has no recordings, and rejects an unknown judge', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dojo-score-'));
    const traces = join(dir, 't.jsonl');
    await run('simulate', '--types', 'elicitation', '--episodes', '3', '--out', traces);
    const r = await run('score', traces, '--judge', `replay:${join(dir, 'none')}`, '--judge-cache', join(dir, 'cache'));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/judge verdicts used for 0/);
    expect(r.stderr).toMatch(/fell back to the heuristic/);
    expect((await run('score', traces, '--judge', 'gpt')).stderr).toMatch(/--judge "gpt" is not valid/);
    expect((await run('score', join(dir, 'missing.jsonl'))).stderr).toMatch(/no such file/);
  });
});

describe('dojo baseline', () => {
  it('writes a versioned baselines file that dojo score reads for the efficiency term', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dojo-base-'));
    const file = join(dir, 'baselines.json');
    const r = await run('baseline', '--episodes', '40', '--out', file);
    expect(r.code).toBe(0);
    const data = JSON.parse(readFileSync(file, 'utf8'));
    expect(data.schema).toBe('dojo.baselines/1');
    for (const type of STAGE1_TYPES) {
      for (const difficulty of ['easy', 'medium', 'hard', 'any']) expect(data.entries[type][difficulty].medianActions).toBeGreaterThan(0);
    }
    const again = join(dir, 'again.json');
    await run('baseline', '--episodes', '40', '--out', again);
    expect(readFileSync(again, 'utf8')).toBe(readFileSync(file, 'utf8'));
    const traces = join(dir, 't.jsonl');
    await run('simulate', '--types', 'elicitation', '--persona', 'random', '--episodes', '10', '--out', traces);
    const scored = join(dir, 's.jsonl');
    await run('score', traces, '--baselines', file, '--out', scored);
    const lines = readFileSync(scored, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    // The random persona takes far more actions than the senior's median: it pays the efficiency penalty.
    expect(lines.some((l) => l.reward.breakdown.efficiencyPenalty < 0)).toBe(true);
    expect(lines.every((l) => l.reward.breakdown.baselineActions === data.entries.elicitation.any.medianActions)).toBe(true);
    writeFileSync(join(dir, 'bad.json'), '{}');
    expect((await run('score', traces, '--baselines', join(dir, 'bad.json'))).stderr).toMatch(/field schema.*Fix:/s);
  });
});
