/**
 * Behavioral and composite (stage 1) discrimination per episode type and persona over N seeds:
 * prints means, senior - junior and Cohen's d, and per-code senior/junior means.
 * Usage: npx tsx scripts/discrimination.ts [type ...] [--seeds 500] [--codes]
 */
import { persona } from '../src/cli/registry.js';

import { EPISODE_TYPES } from '../src/episodes/all.js';
import { scoreEpisode } from '../src/reward/episode-score.js';
import { cohensD, mean } from '../src/reward/stats.js';
import { playSync } from '../src/rollout/rollout.js';

const args = process.argv.slice(2);
const at = args.indexOf('--seeds');
const seeds = at >= 0 ? Number(args[at + 1]) : 500;
const showCodes = args.includes('--codes');
const types = args.filter((a, i) => !a.startsWith('--') && (at < 0 || i !== at + 1));
for (const kind of EPISODE_TYPES) {
  if (types.length > 0 && !types.includes(kind.name)) continue;
  const result: Record<string, { composite: number[]; behavioral: number[]; codes: Record<string, number[]> }> = {};
  for (const name of ['senior', 'mid', 'junior', 'random']) {
    const policy = persona(name, 1);
    const r = { composite: [] as number[], behavioral: [] as number[], codes: {} as Record<string, number[]> };
    for (let seed = 0; seed < seeds; seed++) {
      const trace = playSync(policy, kind, seed);
      const scored = scoreEpisode(trace);
      r.behavioral.push(scored.behavioral);
      r.composite.push(scored.breakdown.total);
      for (const [code, s] of Object.entries(scored.behaviors)) {
        if (s.score === null) continue;
        r.codes[code] ??= [];
        r.codes[code].push(s.score);
      }
    }
    result[name] = r;
  }
  const line = ['senior', 'mid', 'junior', 'random'].map(
    (p) => `${p} ${mean(result[p]!.composite).toFixed(3)} (beh ${mean(result[p]!.behavioral).toFixed(3)})`,
  );
  const d = cohensD(result.senior!.composite, result.junior!.composite);
  console.log(
    `${kind.name}: ${line.join(' | ')} | composite senior-junior ${(mean(result.senior!.composite) - mean(result.junior!.composite)).toFixed(3)} d=${d.toFixed(2)}`,
  );
  if (showCodes) {
    for (const code of Object.keys(result.senior!.codes).sort()) {
      console.log(
        `  ${code}: ${['senior', 'mid', 'junior', 'random'].map((p) => `${p} ${mean(result[p]!.codes[code] ?? []).toFixed(3)}`).join(' | ')}`,
      );
    }
  }
}
