/**
 * Heuristic scoring throughput: the 30-code behavior scorer plus the stage-1 composite over traces
 * of the five Stage-1 types and four personas, in one process. Prints a line ending in
 * "N episodes/s". Usage: npm run bench:score [-- --seconds 3]
 */
import { episodeKind, persona, STAGE1_TYPES } from '../cli/registry.js';
import { runScripted } from '../env/batch.js';
import { DojoEnv } from '../env/env.js';
import type { Trace } from '../env/trace.js';
import { scoreEpisode } from '../reward/episode-score.js';

const args = process.argv.slice(2);
const at = args.indexOf('--seconds');
const seconds = at >= 0 ? Number(args[at + 1]) : 3;
const traces: Trace[] = [];
for (const type of STAGE1_TYPES) {
  for (const name of ['senior', 'mid', 'junior', 'random']) {
    const env = new DojoEnv(episodeKind(type), { policyName: name });
    const policy = persona(name, 0);
    for (let seed = 0; seed < 250; seed++) traces.push(runScripted(env, policy, seed));
  }
}
let sink = 0;
const scoreAll = () => {
  for (const trace of traces) sink += scoreEpisode(trace).breakdown.total;
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
  `Heuristic scoring (30 codes + composite, ${traces.length} Stage-1 traces, 1 process, ${scored} scored in ${elapsed.toFixed(1)} s, checksum ${(sink % 1000).toFixed(1)}): ${Math.round(scored / elapsed)} episodes/s`,
);
