/**
 * Environment throughput: the scripted senior plays episodes of every type in turn, through the
 * episode loop and the full environment (action validation, observations, traces), in one process,
 * 50 episodes per batch. Two groups are
 * measured one after the other: the Stage-1 types and the Stage 2–4 phase types. Prints one line
 * per type and one line per group ending in "N episodes/s".
 *
 * Usage: npm run bench:env [-- --seconds 3]
 */

import type { EpisodeWorld } from '../core/episode.js';

import { EPISODE_TYPES } from '../episodes/all.js';
import { ScriptedPersona } from '../policy/scripted.js';
import { rolloutSync } from '../rollout/rollout.js';

const args = process.argv.slice(2);
const at = args.indexOf('--seconds');
const seconds = at >= 0 ? Number(args[at + 1]) : 3;
const senior = new ScriptedPersona('senior', 0);

/** 50 episodes of `type` from `first`, played in one batch. */
function batch(type: EpisodeWorld, first: number): void {
  rolloutSync(
    senior,
    Array.from({ length: 50 }, (_, k) => ({ type, seed: first + k })),
    { keep: false },
  );
}

function measure(label: string, types: readonly EpisodeWorld[]): void {
  // Warm up the JIT.
  for (let first = 0; first < 2000; first += 50) for (const type of types) batch(type, first);
  const perType = new Array<number>(types.length).fill(0);
  const timePerType = new Array<number>(types.length).fill(0);
  let episodes = 0;
  let seed = 10_000;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  while (performance.now() < deadline) {
    for (let i = 0; i < types.length; i++) {
      const t0 = performance.now();
      batch(types[i] as EpisodeWorld, seed);
      timePerType[i] = (timePerType[i] as number) + performance.now() - t0;
      perType[i] = (perType[i] as number) + 50;
    }
    episodes += 50 * types.length;
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
  EPISODE_TYPES.filter((k) => k.spec.stage === 1),
);
measure(
  'Stage 2-4',
  EPISODE_TYPES.filter((k) => k.spec.stage > 1),
);
