/**
 * `dojo train`: pretrain the built-in model when no base exists, train LoRA adapters with PPO or
 * GRPO through the curriculum stages, evaluate on held-out seeds and print base vs trained vs the
 * scripted personas. Everything lands in the run directory; `--resume DIR` continues a run.
 */
import { SingleBar } from 'cli-progress';
import type { z } from 'zod';
import type { TrainIo } from '../../train/base.js';
import { TrainConfigSchema } from '../../train/config.js';
import type { CriterionResult } from '../../train/curriculum.js';
import type { EvaluationReport } from '../../train/evaluate.js';
import { runTraining } from '../../train/trainer.js';
import type { CommandSpec } from '../flags.js';
import { type Io, table } from '../io.js';

export const trainSchema = TrainConfigSchema;

export const trainCommand: CommandSpec<typeof trainSchema> = {
  name: 'train',
  summary: 'Train the built-in model: imitation pretraining, then PPO/GRPO with LoRA through the curriculum; evaluates at the end.',
  usage: 'dojo train [--algo ppo|grpo] [--stages 1] [--seed S] [--max-minutes M] [--output DIR] [--resume DIR]',
  schema: trainSchema,
};

function progressIo(io: Io): TrainIo {
  let bar: SingleBar | undefined;
  let phase = '';
  let lastLine = 0;
  return {
    log(line) {
      if (bar) {
        bar.stop();
        bar = undefined;
        phase = '';
      }
      io.err(line);
    },
    progress({ phase: name, done, total, detail }) {
      if (!io.interactive) {
        // Non-interactive: a line per ~10% of the phase.
        const step = Math.max(1, Math.floor(total / 10));
        if (name !== phase || done - lastLine >= step || done >= total) {
          phase = name;
          lastLine = done;
          io.err(`${name}: ${done}/${total} ${detail}`);
        }
        return;
      }
      if (name !== phase) {
        bar?.stop();
        bar = new SingleBar({
          format: `${name.padEnd(9)} [{bar}] {value}/{total} | ETA {eta_formatted} | {detail}`,
          stream: process.stderr,
          hideCursor: true,
        });
        bar.start(total, done, { detail });
        phase = name;
      } else bar?.update(done, { detail });
    },
  };
}

function verdictRows(graduation: Record<string, CriterionResult[]>): string[][] {
  return Object.entries(graduation).flatMap(([stage, results]) =>
    results.map((r) => [
      stage,
      r.name,
      r.value === null ? '-' : r.value.toFixed(3),
      r.interval === null ? '-' : `${r.interval[0].toFixed(3)} … ${r.interval[1].toFixed(3)}`,
      r.threshold === null ? '-' : `> ${r.threshold}`,
      r.verdict,
    ]),
  );
}

/** Prints the final table, the paired comparisons and the graduation verdicts (`dojo train`, `dojo eval`). */
export function printEvaluation(
  io: Io,
  report: Pick<EvaluationReport, 'rows' | 'comparisons' | 'graduation'>,
  decoding: 'sample' | 'greedy',
): void {
  if (report.rows.length === 0) {
    io.out('No held-out evaluation: the time budget was spent before it (dojo eval --run DIR evaluates the saved adapters).');
    return;
  }
  const policies = ['base', 'trained', 'junior', 'mid', 'senior'];
  const types = [...new Set(report.rows.map((r) => r.type))];
  const rows = types.flatMap((type) =>
    (['composite', 'outcome', 'behavioral'] as const).map((metric) => [
      type,
      metric,
      ...policies.map((p) => {
        const row = report.rows.find((r) => r.policy === p && r.type === type);
        return row ? row[metric].toFixed(3) : '-';
      }),
    ]),
  );
  const n = report.rows.find((r) => r.policy === 'trained' && r.type === 'all')?.episodes ?? 0;
  io.out(`Held-out evaluation (${n} episodes; the models ${decoding === 'greedy' ? 'decode greedily' : 'sample their actions'}):`);
  io.out(table(['type', 'metric', ...policies], rows));
  const signed = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(3)}`;
  io.out('\nTrained minus each policy, composite, paired over the same held-out seeds:');
  io.out(
    table(
      ['comparison', 'difference', '95% interval', 'episodes'],
      report.comparisons.map((c) => [
        `trained − ${c.against}`,
        signed(c.difference),
        `${signed(c.low)} … ${signed(c.high)}`,
        String(c.episodes),
      ]),
    ),
  );
  io.out('\nGraduation:');
  io.out(table(['stage', 'criterion', 'value', '95% interval', 'needs', 'verdict'], verdictRows(report.graduation)));
}

export async function runTrainCommand(config: z.infer<typeof trainSchema>, io: Io): Promise<number> {
  const trainIo = progressIo(io);
  const result = await runTraining(config, { io: trainIo, clock: () => performance.now() });
  trainIo.log(`done in ${(result.wallMs / 60_000).toFixed(1)} min; run directory ${result.runDir}`);
  printEvaluation(
    io,
    { rows: result.evaluation, comparisons: result.comparisons, graduation: result.graduation },
    result.config.evalDecoding,
  );
  return 0;
}
