/**
 * Prints each persona's mean outcome per episode type over N seeds, with senior - junior and
 * Cohen's d. Usage: npx tsx scripts/causality.ts [type ...] [--seeds 500]
 */

import { persona } from '../src/cli/registry.js';
import { EPISODE_TYPES } from '../src/episodes/all.js';
import { cohensD } from '../src/reward/stats.js';
import { personaOutcomes } from '../src/rollout/outcomes.js';

const args = process.argv.slice(2);
const seedsAt = args.indexOf('--seeds');
const seeds = seedsAt >= 0 ? Number(args[seedsAt + 1]) : 500;
const types = args.filter((a, i) => !a.startsWith('--') && (seedsAt < 0 || i !== seedsAt + 1));
for (const kind of EPISODE_TYPES) {
  if (types.length > 0 && !types.includes(kind.name)) continue;
  const stats = Object.fromEntries(['senior', 'mid', 'junior', 'random'].map((p) => [p, personaOutcomes(kind, persona(p, 1), 0, seeds)]));
  const line = Object.entries(stats).map(([p, s]) => `${p} ${s.mean.toFixed(3)}±${s.std.toFixed(3)} (${s.meanActions.toFixed(1)} actions)`);
  const d = cohensD(stats.senior!.outcomes, stats.junior!.outcomes);
  console.log(
    `${kind.name}: ${line.join(' | ')} | senior-junior ${(stats.senior!.mean - stats.junior!.mean).toFixed(3)} d=${d.toFixed(2)}`,
  );
}
