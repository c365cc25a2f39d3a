/**
 * Full-sprint throughput: one 11-member team (the candidate a scripted senior in the dev lead's
 * seat, the other ten scripted by seniority) plays whole sprints — refinement, planning, five work
 * days with disturbances on, review, retrospective — with every candidate phase episode played
 * through the environment. Prints one line per run and a final line ending in "N sprints/s".
 *
 * Usage: npm run bench:sprint [-- --seconds 3 --runs 3 --persona senior]
 */

import { EPISODE_TYPES } from '../episodes/all.js';
import { type PersonaName, ScriptedPersona } from '../policy/scripted.js';
import { episodeTypesByName, runFullSprintSync, SprintPlayer } from '../rollout/sprint.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? (args[at + 1] as string) : fallback;
};
const seconds = Number(option('seconds', '3'));
const runs = Number(option('runs', '3'));
const name = option('persona', 'senior');
const kinds = episodeTypesByName(EPISODE_TYPES);
const player = new SprintPlayer(new ScriptedPersona(name as PersonaName, 0), kinds);

// Warm up the JIT.
for (let seed = 0; seed < 1500; seed++) runFullSprintSync({ seed }, player);

const rates: number[] = [];
let seed = 100_000;
let episodes = 0;
for (let run = 0; run < runs; run++) {
  let sprints = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  while (performance.now() < deadline) {
    for (let k = 0; k < 20; k++) episodes += runFullSprintSync({ seed: seed++ }, player).episodes.length;
    sprints += 20;
  }
  const rate = sprints / ((performance.now() - started) / 1000);
  rates.push(rate);
  console.log(
    `  run ${run + 1}: ${sprints} sprints in ${((performance.now() - started) / 1000).toFixed(1)} s: ${Math.round(rate)} sprints/s`,
  );
}
const sorted = rates.slice().sort((a, b) => a - b);
const median = sorted[Math.floor((sorted.length - 1) / 2)] as number;
console.log(`  (${(episodes / (seed - 100_000)).toFixed(1)} candidate episodes per sprint)`);
console.log(
  `Full-sprint throughput (11-member team, scripted ${name} candidate, disturbances on, median of ${runs} runs): ${Math.round(median)} sprints/s`,
);
