/**
 * Heuristic scoring throughput: the 30-code behavior scorer plus the composite of each type's stage
 * over traces of four personas, in one process: the Stage-1 types, then the Stage 2–4 types. Prints
 * one line per group ending in "N episodes/s". Usage: npm run bench:score [-- --seconds 3]
 */

import type { Trace } from '../core/trace.js';

import { EPISODE_TYPES } from '../episodes/all.js';
import { type PersonaName, ScriptedPersona } from '../policy/scripted.js';
import { scoreEpisode } from '../reward/episode-score.js';
import { rolloutSync } from '../rollout/rollout.js';

const args = process.argv.slice(2);
const at = args.indexOf('--seconds');
const seconds = at >= 0 ? Number(args[at + 1]) : 3;

function measure(label: string, stage1: boolean): void {
  const traces: Trace[] = [];
  for (const kind of EPISODE_TYPES.filter((k) => (k.spec.stage === 1) === stage1)) {
    for (const name of ['senior', 'mid', 'junior', 'random']) {
      const policy = new ScriptedPersona(name as PersonaName, 0);
      for (const { trace } of rolloutSync(
        policy,
        Array.from({ length: 250 }, (_, seed) => ({ type: kind, seed })),
      ))
        traces.push(trace);
    }
  }
  let sink = 0;
  const scoreAll = () => {
    for (const trace of traces) sink += scoreEpisode(trace, { stage: trace.stage }).breakdown.total;
  };
  scoreAll(); // warm-up
  let scored = 0;
  const started = performance.now();
  while (performance.now() - started < seconds * 1000) {
    scoreAll();
    scored += traces.length;
  }
  const elapsed = (performance.now() - started) / 1000;
  console.log(
    `Heuristic scoring (30 codes + composite, ${traces.length} ${label} traces, 1 process, ${scored} scored in ${elapsed.toFixed(1)} s, checksum ${(sink % 1000).toFixed(1)}): ${Math.round(scored / elapsed)} episodes/s`,
  );
}

measure('Stage-1', true);
measure('Stage 2-4', false);
