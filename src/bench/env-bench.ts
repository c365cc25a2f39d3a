/**
 * Environment throughput: the scripted senior plays episodes of every type in turn, through the
 * full environment (action validation, observations, traces), in one process. Two groups are
 * measured one after the other: the Stage-1 types and the Stage 2–4 phase types. Prints one line
 * per type and one line per group ending in "N episodes/s".
 *
 * Usage: npm run bench:env [-- --seconds 3]
 */

import type { EpisodeWorld } from '../core/episode.js';
import { runScripted } from '../env/batch.js';
import { DojoEnv } from '../env/env.js';
import { EPISODE_TYPES } from '../episodes/all.js';
import { ScriptedPersona } from '../policy/scripted.js';
import { EPISODE_SPECS } from '../spec/episodes.js';

const args = process.argv.slice(2);
const at = args.indexOf('--seconds');
const seconds = at >= 0 ? Number(args[at + 1]) : 3;
const senior = new ScriptedPersona('senior', 0);

function measure(label: string, types: readonly EpisodeWorld[]): void {
  const envs = types.map((kind) => new DojoEnv(kind, { policyName: 'senior' }));
  // Warm up the JIT.
  for (let seed = 0; seed < 2000; seed++) for (const env of envs) runScripted(env, senior, seed);
  const perType = new Array<number>(types.length).fill(0);
  const timePerType = new Array<number>(types.length).fill(0);
  let episodes = 0;
  let seed = 10_000;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  while (performance.now() < deadline) {
    for (let i = 0; i < envs.length; i++) {
      const t0 = performance.now();
      for (let k = 0; k < 50; k++) runScripted(envs[i] as DojoEnv, senior, seed + k);
      timePerType[i] = (timePerType[i] as number) + performance.now() - t0;
      perType[i] = (perType[i] as number) + 50;
    }
    episodes += 50 * envs.length;
    seed += 50;
  }
  const elapsed = (performance.now() - started) / 1000;
  types.forEach((kind, i) => {
    console.log(`  ${kind.name.padEnd(22)} ${Math.round((perType[i] as number) / ((timePerType[i] as number) / 1000))} episodes/s`);
  });
  console.log(
    `${label} throughput (scripted senior, 1 process, ${episodes} episodes in ${elapsed.toFixed(1)} s): ${Math.round(episodes / elapsed)} episodes/s`,
  );
}

measure(
  'Stage-1',
  EPISODE_TYPES.filter((k) => EPISODE_SPECS[k.name].stage === 1),
);
measure(
  'Stage 2-4',
  EPISODE_TYPES.filter((k) => EPISODE_SPECS[k.name].stage > 1),
);
