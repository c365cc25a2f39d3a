/**
 * Writes a digest of the traces of every persona on seeds 0..N-1 for the given types, to compare
 * an optimization against the previous code: identical output means identical behavior.
 * Usage: npx tsx scripts/trace-snapshot.ts [type ...] [--seeds 300] > snapshot.txt
 */
import { persona } from '../src/cli/registry.js';
import { hashString } from '../src/core/rng.js';
import { runScripted } from '../src/env/batch.js';
import { DojoEnv } from '../src/env/env.js';
import { EPISODE_TYPES } from '../src/episodes/all.js';

const args = process.argv.slice(2);
const at = args.indexOf('--seeds');
const seeds = at >= 0 ? Number(args[at + 1]) : 300;
const types = args.filter((a, i) => !a.startsWith('--') && (at < 0 || i !== at + 1));
for (const kind of EPISODE_TYPES) {
  if (types.length > 0 && !types.includes(kind.name)) continue;
  for (const name of ['senior', 'mid', 'junior', 'random']) {
    const env = new DojoEnv(kind, { policyName: name });
    const policy = persona(name, 1);
    let h = 0;
    for (let seed = 0; seed < seeds; seed++) h = hashString(`${h}|${JSON.stringify(runScripted(env, policy, seed))}`);
    console.log(`${kind.name} ${name} ${h.toString(16)}`);
  }
}
