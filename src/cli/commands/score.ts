/**
 * `dojo score`: scores a JSONL file of traces — the 30 behavior codes, the behavioral score, the
 * stage composite — and writes each trace with its breakdown; prints a per-type × persona table.
 * A malformed line is reported with its file, line, field and fix, skipped, and counted: it never
 * stops the run. A judge that fails (no key, network, budget) falls back to the heuristic.
 */
import { appendFileSync, createReadStream, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { ConfigError } from '../../core/errors.js';
import { round4 } from '../../core/numbers.js';
import type { Verdict } from '../../core/scorer.js';
import { TRACE_SCHEMA, type Trace } from '../../core/trace.js';
import { createAnthropicProvider } from '../../providers/anthropic.js';
import { createOpenAIProvider } from '../../providers/openai.js';
import type { ModelProvider } from '../../providers/types.js';
import { type BaselinesFile, baselineActions, readBaselines, traceDifficulty } from '../../reward/baselines.js';
import { scoreBehaviors } from '../../reward/behaviors.js';
import { CalibrationMonitor, type ScoredEpisode } from '../../reward/calibration.js';
import { scoreEpisode } from '../../reward/episode-score.js';
import { createJudgeReplayProvider } from '../../reward/judge/cache.js';
import { createJudgeClient, type JudgeClient } from '../../reward/judge/client.js';
import { type MetaCodeScore, MetaWindow, metaReward } from '../../reward/meta.js';
import type { CommandSpec } from '../flags.js';
import { closeOutput, type Io, openOutput, table, writeLine } from '../io.js';

export const scoreSchema = z.object({
  traces: z.string().describe('JSONL file of dojo.trace/1 traces (from dojo simulate --out)'),
  judge: z
    .string()
    .default('none')
    .describe('none, replay:DIR (recorded verdicts), anthropic (ANTHROPIC_API_KEY) or openai (OPENAI_API_KEY)'),
  judgeFraction: z.number().min(0).max(1).default(1).describe('share of episodes sent to the judge (deterministic by episode id)'),
  judgeMaxCalls: z.number().int().min(0).optional().describe('most judge calls, retries included (default: no limit)'),
  judgeCache: z.string().default('runs/judge-cache').describe('judge cache directory (content-hash keyed)'),
  baselines: z.string().optional().describe('efficiency baselines file from dojo baseline (default: no efficiency term)'),
  meta: z
    .boolean()
    .default(true)
    .describe('apply the cross-episode codes B-27..B-30 (rolling window per policy, in file order) as a bonus/penalty'),
  stage: z.number().int().min(1).max(4).default(1).describe('curriculum stage: sets the outcome / behavioral weights'),
  out: z.string().optional().describe('write each trace with its scores, one JSON line per episode'),
  metrics: z.string().optional().describe('append the calibration report of this batch (dojo.calibration/1) as a JSON line'),
});

export const scoreCommand: CommandSpec<typeof scoreSchema> = {
  name: 'score',
  summary: 'Score traces: 30 behavior codes, behavioral score and composite reward, with an optional large-model judge.',
  usage: 'dojo score TRACES.jsonl [--judge none|replay:DIR|anthropic|openai] [--stage N] [--out scored.jsonl]',
  schema: scoreSchema,
  positionals: ['traces'],
  examples: ['dojo simulate --persona senior,junior --episodes 200 --out traces.jsonl && dojo score traces.jsonl --out scored.jsonl'],
};

function judgeClient(config: z.infer<typeof scoreSchema>, io: Io): JudgeClient | undefined {
  const spec = config.judge;
  if (spec === 'none') return undefined;
  const keyName = spec === 'anthropic' ? 'ANTHROPIC_API_KEY' : spec === 'openai' ? 'OPENAI_API_KEY' : undefined;
  if (keyName && !process.env[keyName]) {
    io.err(`judge: ${keyName} is not set; scoring with the heuristic only.`);
    return undefined;
  }
  let provider: ModelProvider;
  if (spec === 'anthropic') provider = createAnthropicProvider();
  else if (spec === 'openai') provider = createOpenAIProvider();
  else if (spec.startsWith('replay:') && spec.length > 'replay:'.length)
    provider = createJudgeReplayProvider({ dir: spec.slice('replay:'.length) });
  else throw new ConfigError(`--judge "${spec}" is not valid. Valid: none, replay:DIR, anthropic, openai.`);
  const options: Parameters<typeof createJudgeClient>[0] = {
    provider,
    cacheDir: config.judgeCache,
    sampling: { kind: 'fraction', fraction: config.judgeFraction },
    log: (line) => io.err(`judge: ${line}`),
  };
  if (config.judgeMaxCalls !== undefined) options.budget = { maxCalls: config.judgeMaxCalls };
  return createJudgeClient(options);
}

/** Checks the fields scoring needs; returns a message naming the field and the fix, or undefined. */
export function traceProblem(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    return 'the line is not a JSON object; each line must be one dojo.trace/1 trace';
  const t = value as Record<string, unknown>;
  if (t.schema !== TRACE_SCHEMA)
    return `field "schema" is ${JSON.stringify(t.schema)}, expected "${TRACE_SCHEMA}"; produce traces with dojo simulate --out`;
  if (typeof t.type !== 'string') return 'field "type" must be the episode type name';
  if (typeof t.episodeId !== 'string') return 'field "episodeId" must be a string';
  if (!Array.isArray(t.decisions)) return 'field "decisions" must be an array of decision records';
  if (typeof t.turns !== 'number') return 'field "turns" must be the number of actions';
  if (t.outcome === null || typeof t.outcome !== 'object') return 'field "outcome" must be the object of outcome facts';
  const reward = t.reward as Record<string, unknown> | undefined;
  if (!reward || typeof reward.outcome !== 'number' || !(reward.outcome >= 0 && reward.outcome <= 1))
    return 'field "reward.outcome" must be a number in [0, 1]';
  if (t.hidden === null || typeof t.hidden !== 'object') return 'field "hidden" must be the object of hidden truth';
  return undefined;
}

interface Group {
  type: string;
  policy: string;
  n: number;
  outcome: number;
  behavioral: number;
  composite: number;
}

export async function runScoreCommand(config: z.infer<typeof scoreSchema>, io: Io): Promise<number> {
  if (!existsSync(config.traces))
    throw new ConfigError(`cannot read ${config.traces}: no such file. Make one with: dojo simulate --out ${config.traces}`);
  const baselines = config.baselines ? readBaselinesOrExplain(config.baselines) : undefined;
  const judge = judgeClient(config, io);
  const output = config.out ? openOutput(config.out) : undefined;
  const groups = new Map<string, Group>();
  const calibration: ScoredEpisode[] = [];
  const windows = new Map<string, MetaWindow>();
  let lineNumber = 0;
  let skipped = 0;
  let judged = 0;
  const lines = createInterface({ input: createReadStream(config.traces, { encoding: 'utf8' }), crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of lines) {
    lineNumber++;
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      io.err(`${config.traces}:${lineNumber}: not valid JSON (${(error as Error).message}); skipped. Fix: one trace object per line.`);
      skipped++;
      continue;
    }
    const problem = traceProblem(value);
    if (problem) {
      io.err(`${config.traces}:${lineNumber}: ${problem}; skipped.`);
      skipped++;
      continue;
    }
    const trace = value as Trace;
    let verdict: Verdict | undefined;
    let judgeNote: Record<string, unknown> | undefined;
    if (judge) {
      const result = await judge.judge(trace);
      if (result.ok) {
        verdict = result.verdict;
        judged++;
        judgeNote = { ok: true, cached: result.cached, performativeRisk: result.verdict.performativeRisk, overall: result.verdict.overall };
      } else judgeNote = { ok: false, reason: result.reason };
    }
    const scored = scoreEpisode(trace, {
      stage: config.stage,
      ...(verdict ? { verdict } : {}),
      baselineActions: baselines ? baselineActions(baselines, trace.type, traceDifficulty(trace)) : null,
    });
    const { behavioral, breakdown } = scored;
    let meta: { reward: number; codes: MetaCodeScore[] } | undefined;
    if (config.meta) {
      let window = windows.get(trace.policy);
      if (!window) {
        window = new MetaWindow();
        windows.set(trace.policy, window);
      }
      window.push(trace);
      const codes = window.score();
      meta = { reward: metaReward(codes), codes };
      breakdown.total += meta.reward;
    }
    const scoredEpisode: ScoredEpisode = { episodeId: trace.episodeId, type: trace.type, outcome: trace.reward.outcome, behavioral };
    if (verdict) {
      scoredEpisode.heuristic = scoreBehaviors(trace).behavioral ?? 0;
      scoredEpisode.judge = verdict.overall;
    }
    calibration.push(scoredEpisode);
    const key = `${trace.type}\u0000${trace.policy}`;
    const group = groups.get(key) ?? { type: trace.type, policy: trace.policy, n: 0, outcome: 0, behavioral: 0, composite: 0 };
    group.n++;
    group.outcome += trace.reward.outcome;
    group.behavioral += behavioral;
    group.composite += breakdown.total;
    groups.set(key, group);
    if (output) {
      const line = {
        ...trace,
        reward: { ...trace.reward, behavioral: round4(behavioral), composite: round4(breakdown.total), breakdown },
        behaviors: scored.behaviors,
        ...(meta ? { meta: { reward: round4(meta.reward), codes: meta.codes } } : {}),
        ...(judgeNote ? { judge: judgeNote } : {}),
      };
      await writeLine(output, JSON.stringify(line));
    }
  }
  if (output) await closeOutput(output);
  const rows = [...groups.values()]
    .sort((a, b) => a.type.localeCompare(b.type) || a.policy.localeCompare(b.policy))
    .map((g) => [g.type, g.policy, g.n, (g.outcome / g.n).toFixed(3), (g.behavioral / g.n).toFixed(3), (g.composite / g.n).toFixed(3)]);
  io.out(table(['type', 'policy', 'episodes', 'outcome', 'behavioral', `composite (stage ${config.stage})`], rows));
  const scoredCount = rows.reduce((a, r) => a + (r[2] as number), 0);
  io.out(
    `\nscored ${scoredCount} traces${skipped ? `, skipped ${skipped} malformed line(s)` : ''}${judge ? `; judge verdicts used for ${judged}` : ''}${config.out ? `; wrote ${config.out}` : ''}`,
  );
  if (calibration.length > 0) {
    const report = new CalibrationMonitor().observe(calibration);
    const { performative, unconventional } = report.flags;
    io.out(
      `calibration: ${performative.count} episode(s) with behavioral > 0.7 but outcome < 0.3 (${performative.meaning}); ` +
        `${unconventional.count} with behavioral < 0.3 but outcome > 0.7 (${unconventional.meaning})` +
        (report.judged > 0
          ? `; judge vs heuristic mean |diff| ${report.judgeVsHeuristic.meanAbsoluteDifference?.toFixed(3) ?? 'n/a'}`
          : ''),
    );
    if (config.metrics) {
      try {
        appendFileSync(config.metrics, `${JSON.stringify(report)}\n`);
      } catch (error) {
        throw new ConfigError(`cannot write --metrics ${config.metrics}: ${(error as Error).message}`);
      }
    }
  }
  if (judge) {
    const stats = judge.stats();
    if (stats.failures > 0)
      io.err(`judge: ${stats.failures} episode(s) fell back to the heuristic (${JSON.stringify(stats.failuresByReason)})`);
  }
  return skipped > 0 ? 1 : 0;
}

function readBaselinesOrExplain(path: string): BaselinesFile {
  try {
    return readBaselines(path);
  } catch (error) {
    throw new ConfigError(`--baselines: ${(error as Error).message}`);
  }
}
