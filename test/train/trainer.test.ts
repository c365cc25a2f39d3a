/**
 * The trainer end to end on a tiny configuration: what a run directory holds, that training moves
 * every trainable parameter and no frozen one, and that a run killed (SIGKILL) at random points
 * and resumed each time ends exactly like an uninterrupted run, with contiguous, unique episode ids
 * (with one thread, and with two: data-parallel runs are deterministic too), including a run
 * directory written before the warm start existed.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { evalSchema, runEvalCommand } from '../../src/cli/commands/eval.js';
import { Rng } from '../../src/core/rng.js';
import { initLora } from '../../src/model/params.js';
import { TrainConfigSchema } from '../../src/train/config.js';
import { runTraining, stageLr } from '../../src/train/trainer.js';

const ROOT = join(import.meta.dirname, '..', '..');
const work = mkdtempSync(join(tmpdir(), 'dojo-train-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const TINY = {
  modelDim: 16,
  modelLayers: 1,
  modelHeads: 2,
  modelHidden: 32,
  pretrainEpisodes: 4,
  pretrainEpochs: 1,
  episodesPerIteration: 8,
  maxEpisodes: 64,
  minEpisodes: 100_000,
  evalSeeds: 10,
  graduationSeeds: 2,
  ppoEpochs: 1,
  maxMinutes: 60,
  // The warm start has a resume case of its own below.
  warmStartTop: 0,
};

function flags(config: Record<string, number | string>): string[] {
  return Object.entries(config).flatMap(([k, v]) => [`--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`, String(v)]);
}

/**
 * Runs `dojo train` in a child process. A kill lands at a random point: once the run's metrics log
 * has reached `afterLines` lines, after `delayMs` more (so it hits rollouts, updates or checkpoint
 * writes).
 */
function run(args: string[], output: string, kill?: { afterLines: number; delayMs: number }): Promise<{ killed: boolean }> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, [join(ROOT, 'bin', 'dojo.js'), 'train', ...args], {
      cwd: work,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr?.on('data', (d) => {
      err += String(d);
    });
    let killed = false;
    const poll = kill
      ? setInterval(() => {
          const path = join(output, 'metrics.jsonl');
          const lines = existsSync(path) ? readFileSync(path, 'utf8').split('\n').filter(Boolean).length : 0;
          if (lines >= kill.afterLines) {
            clearInterval(poll);
            setTimeout(() => {
              killed = child.kill('SIGKILL');
            }, kill.delayMs);
          }
        }, 10)
      : undefined;
    child.on('error', reject);
    child.on('exit', (code) => {
      if (poll) clearInterval(poll);
      if (!killed && code !== 0) reject(new Error(`dojo train exited ${code}: ${err.slice(-2000)}`));
      else resolve({ killed });
    });
  });
}

/** A metrics log without its timing fields, line by line. */
function stripTiming(text: string): string[] {
  return text
    .trim()
    .split('\n')
    .map((l) => {
      const o = JSON.parse(l) as Record<string, unknown>;
      delete o.decisionsPerSecond;
      delete o.elapsedS;
      return JSON.stringify(o);
    });
}

const silent = { log: () => {} };

describe('dojo train (tiny)', () => {
  it('writes the run directory and trains every trainable parameter, and no frozen one', async () => {
    const output = join(work, 'run-a');
    // Graduation checks every 3 of the 8 iterations: the last update is followed by no check, so the
    // final evaluation is the first call after it (the workers must still get that update).
    const config = TrainConfigSchema.parse({ ...TINY, output, base: join(work, 'base-a'), seed: 5, minEpisodes: 0, graduationEvery: 3 });
    // The same base, loaded before training, to compare the frozen weights with.
    const result = await runTraining(config, { io: silent, clock: () => performance.now() });
    const model = result.model;
    if (!model?.lora) throw new Error('no trained adapter');
    for (const file of [
      'config.json',
      'base.json',
      'metrics.jsonl',
      'trajectories.jsonl',
      'summary.json',
      'baselines.json',
      'checkpoint/state.json',
    ])
      expect(existsSync(join(output, file)), file).toBe(true);
    expect(existsSync(join(output, 'adapters', 'lora-v1', 'adapter_config.json'))).toBe(true);
    expect(existsSync(join(output, 'adapters', 'lora-v1', 'adapter_model.safetensors'))).toBe(true);
    const { loadModel } = await import('../../src/model/io.js');
    const { model: frozen } = await loadModel(join(work, 'base-a'));
    const initial = initLora(model.config, model.lora.config, Rng.seeded(5, 'lora', 1), frozen.base);
    expect(model.lora.config.modulesToSave).toEqual(['embed_tokens', 'lm_head']);
    for (const [name, p] of model.lora.params) {
      const before = initial.get(name)?.data as Float32Array;
      const width = model.config.dim;
      let changed = 0;
      let rowsChanged = 0;
      for (let i = 0; i < p.data.length; i++) if (p.data[i] !== before[i]) changed++;
      for (let r = 0; r < p.data.length / width; r++)
        if (p.data.subarray(r * width, (r + 1) * width).some((v, j) => v !== before[r * width + j])) rowsChanged++;
      if (name.endsWith('lora_A.weight') || name.endsWith('lora_B.weight')) expect(changed / p.data.length, name).toBeGreaterThan(0.9);
      // A copy of the embedding or the head: only the rows of tokens the run read (or could emit)
      // get gradients, and each of those rows changes as a whole.
      else expect(rowsChanged, name).toBeGreaterThan(20);
      if (!name.endsWith('lora_A.weight') && !name.endsWith('lora_B.weight'))
        expect(changed, name).toBeGreaterThan(0.9 * rowsChanged * width);
    }
    for (const [name, p] of model.base) {
      const before = frozen.base.get(name);
      if (!before) throw new Error(`base tensor ${name} missing after training`);
      expect(Buffer.from(p.data.buffer).equals(Buffer.from(before.data.buffer)), name).toBe(true);
    }
    for (const [name, p] of model.valueHead) expect(p.data).not.toEqual(frozen.valueHead.get(name)?.data);
    const lines = readFileSync(join(output, 'trajectories.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { episode: number });
    expect(lines.map((l) => l.episode)).toEqual(lines.map((_, i) => i));
    const summary = JSON.parse(readFileSync(join(output, 'summary.json'), 'utf8'));
    expect(summary.evaluation.map((r: { policy: string }) => r.policy)).toEqual(
      expect.arrayContaining(['base', 'trained', 'junior', 'mid', 'senior']),
    );
    // The paired differences agree with the table's means (same seeds, so mean(a − b) = mean a − mean b).
    type Row = { policy: string; type: string; composite: number; episodes: number };
    const all = (p: string) => (summary.evaluation as Row[]).find((r) => r.policy === p && r.type === 'all') as Row;
    expect(summary.comparisons.map((c: { against: string }) => c.against)).toEqual(['base', 'junior', 'mid', 'senior']);
    for (const c of summary.comparisons as { against: string; difference: number; low: number; high: number; episodes: number }[]) {
      expect(c.difference).toBeCloseTo(all('trained').composite - all(c.against).composite, 12);
      expect(c.episodes).toBe(all('trained').episodes);
      expect(c.low).toBeLessThanOrEqual(c.difference);
      expect(c.high).toBeGreaterThanOrEqual(c.difference);
    }
    for (const criterion of summary.graduation['1'] as { verdict: string; interval: [number, number] | null; value: number | null }[])
      if (criterion.verdict !== 'pending') {
        const [low, high] = criterion.interval as [number, number];
        expect(low).toBeLessThanOrEqual(criterion.value as number);
        expect(high).toBeGreaterThanOrEqual(criterion.value as number);
      } else expect(criterion.interval).toBeNull();

    // dojo eval on the saved adapters reproduces the run's own final report (one thread instead
    // of the run's default: sampling is keyed per episode, not per thread).
    const printed: string[] = [];
    const io = { out: (l: string) => void printed.push(l), err: () => {}, interactive: false };
    const report = join(work, 'eval-a.json');
    expect(await runEvalCommand(evalSchema.parse({ run: output, evalSeeds: TINY.evalSeeds, threads: 1, out: report }), io)).toBe(0);
    const again = JSON.parse(readFileSync(report, 'utf8'));
    expect(again.rows).toEqual(summary.evaluation);
    expect(again.comparisons).toEqual(summary.comparisons);
    expect(again.graduation).toEqual(summary.graduation);
    expect(printed.join('\n')).toMatch(/trained − base/);
    // A directory with no finished stage is refused with a message that says what to do.
    await expect(runEvalCommand(evalSchema.parse({ run: join(work, 'nowhere') }), io)).rejects.toThrow(/config\.json does not exist/);
  }, 240_000);

  // The warm start (with its imitation minibatches after each update) resumes exactly too: a kill
  // before its checkpoint redoes it, one after rebuilds the kept set for the minibatches.
  const WARM = { warmStartTop: 0.25, warmStartEpisodes: 8, warmStartEpochs: 2, warmStartAux: 1 };
  it.each([
    [1, 'ppo', 'no warm start', {}],
    [2, 'ppo', 'no warm start', {}],
    [1, 'grpo', 'no warm start', {}],
    [1, 'ppo', 'warm start', WARM],
  ] as const)(
    'resumes after SIGKILL at 5 random points and ends exactly like an uninterrupted run (%i thread(s), %s, %s)',
    async (threads, algo, label, warm) => {
      const base = join(work, 'base-b');
      const common = { ...TINY, ...warm, seed: 9, base, threads, algo };
      const tag = `${threads}-${algo}-${label.replace(/ /g, '-')}`;
      const straight = join(work, `straight-${tag}`);
      await run([...flags({ ...common, output: straight })], straight);
      const iterations = readFileSync(join(straight, 'metrics.jsonl'), 'utf8')
        .split('\n')
        .filter((l) => l.includes('"iteration"')).length;
      const resumed = join(work, `resumed-${tag}`);
      const rng = Rng.seeded(42, 'kill-points');
      const points = Array.from({ length: 5 }, () => rng.int(Math.max(1, iterations - 1))).sort((a, b) => a - b);
      let kills = 0;
      for (const [i, afterLines] of points.entries()) {
        const args = i === 0 ? [...flags({ ...common, output: resumed })] : ['--resume', resumed];
        const result = await run(args, resumed, { afterLines, delayMs: rng.uniform(0, 150) });
        if (result.killed) kills++;
      }
      await run(['--resume', resumed], resumed);
      expect(kills).toBe(5);
      const read = (dir: string, file: string) => readFileSync(join(dir, file), 'utf8');
      expect(stripTiming(read(resumed, 'metrics.jsonl'))).toEqual(stripTiming(read(straight, 'metrics.jsonl')));
      expect(read(straight, 'metrics.jsonl').includes('"kind":"warm_start"')).toBe(label === 'warm start');
      expect(read(resumed, 'trajectories.jsonl')).toEqual(read(straight, 'trajectories.jsonl'));
      const ids = read(resumed, 'trajectories.jsonl')
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { episode: number }).episode);
      expect(ids).toEqual(ids.map((_, i) => i));
      const evaluation = (dir: string) => JSON.parse(read(dir, 'summary.json')).evaluation;
      expect(evaluation(resumed)).toEqual(evaluation(straight));
      // Resuming a finished run evaluates it again: the same trained model (its adapter merged into
      // the base, which every worker must receive too) and the same figures.
      await run(['--resume', resumed], resumed);
      expect(evaluation(resumed)).toEqual(evaluation(straight));
    },
    600_000,
  );

  it('resumes a run directory written before the warm start existed without one (its config.json has no warm-start keys)', async () => {
    const common = { ...TINY, seed: 9, base: join(work, 'base-b'), threads: 1 };
    const straight = join(work, 'straight-legacy');
    await run(flags({ ...common, output: straight }), straight);
    const legacy = join(work, 'resumed-legacy');
    expect((await run(flags({ ...common, output: legacy }), legacy, { afterLines: 2, delayMs: 0 })).killed).toBe(true);
    // Such a directory's config.json (version 1): no `schema` key, no warm-start keys at all (the
    // schema's defaults would turn it on) and no GRPO clip.
    const path = join(legacy, 'config.json');
    const config = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    const legacyKeys = Object.entries(config).filter(([k]) => !k.startsWith('warmStart') && k !== 'schema' && k !== 'grpoClip');
    writeFileSync(path, JSON.stringify(Object.fromEntries(legacyKeys)));
    await run(['--resume', legacy], legacy);
    const metrics = (dir: string) => readFileSync(join(dir, 'metrics.jsonl'), 'utf8');
    expect(metrics(legacy).includes('"kind":"warm_start"')).toBe(false);
    expect(stripTiming(metrics(legacy))).toEqual(stripTiming(metrics(straight)));
  }, 240_000);
});

describe('--max-minutes bounds the whole run', () => {
  it('refuses at once a run whose base cannot be pretrained within its budget, and caches nothing', async () => {
    const output = join(work, 'run-budget-refused');
    const base = join(work, 'base-budget-refused');
    const config = TrainConfigSchema.parse({ ...TINY, pretrainEpisodes: 200, output, base, maxMinutes: 0.0005 });
    await expect(runTraining(config, { io: silent, clock: () => performance.now() })).rejects.toThrow(
      /pretraining the base needs about [\d.]+ (s|min) \(\d+ steps at \d+ ms each\) and --max-minutes 0\.0005 leaves it/,
    );
    expect(existsSync(join(base, 'tokenizer.json'))).toBe(false);
  }, 120_000);

  it('stops RL for the evaluation and cuts the evaluation to what fits', async () => {
    const base = join(work, 'base-budget');
    await runTraining(TrainConfigSchema.parse({ ...TINY, output: join(work, 'run-budget-base'), base, maxEpisodes: 8 }), {
      io: silent,
      clock: () => performance.now(),
    });
    const lines: string[] = [];
    const config = TrainConfigSchema.parse({
      ...TINY,
      output: join(work, 'run-budget'),
      base,
      maxMinutes: 0.05,
      maxEpisodes: 1_000_000,
      evalSeeds: 100_000,
    });
    const result = await runTraining(config, { io: { log: (line) => void lines.push(line) }, clock: () => performance.now() });
    expect(lines.some((l) => /time budget reached after \d+ episodes/.test(l))).toBe(true);
    expect(lines.some((l) => /final evaluation (cut to \d+ of|skipped)/.test(l))).toBe(true);
    const evaluated = result.evaluation.find((r) => r.policy === 'trained' && r.type === 'all')?.episodes ?? 0;
    expect(evaluated).toBeLessThan(100_000);
    // 3 s of budget; the overshoot is at most one iteration and one evaluation round of a tiny model.
    expect(result.wallMs).toBeLessThan(30_000);
  }, 120_000);
});

describe('stageLr', () => {
  it('warms up linearly over lrWarmup episodes, then decays linearly to 10% over the budget', () => {
    const config = { lr: 0.002, lrWarmup: 1000, maxEpisodes: 10000 };
    expect(stageLr(config, 0)).toBeCloseTo(0.002 * (1 / 1000), 12);
    expect(stageLr(config, 499)).toBeCloseTo(0.002 * 0.5 * (1 - 0.9 * 0.0499), 12);
    expect(stageLr(config, 999)).toBeCloseTo(0.002 * (1 - 0.9 * 0.0999), 12);
    expect(stageLr(config, 5000)).toBeCloseTo(0.002 * 0.55, 12);
    expect(stageLr(config, 20000)).toBeCloseTo(0.0002, 12);
    expect(stageLr({ ...config, lrWarmup: 0 }, 0)).toBe(0.002);
  });
});
