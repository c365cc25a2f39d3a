/**
 * The reward landscape of self_monitoring for short fixed plays, to show why RL from the base finds
 * a shortcut: the Stage-1 composite (with the senior efficiency baselines a run computes) of a few
 * action sequences averaged over seeds, and of naming each suspect, then continuing — split into
 * the right suspect (the planted issue) and the wrong ones; then simple state-dependent plays
 * (research the suspects that explain the most failing tests until one shows strong evidence, at
 * most N, assess behind, name the strongly implicated one, decide as its resolution hint says),
 * with the share of episodes that found the planted issue (the self-correction criterion).
 *
 * Usage: npx tsx research/self-monitoring-landscape.ts [--seeds 200]
 */

import { persona, STAGE1_TYPES } from '../src/cli/registry.js';
import type { Action } from '../src/core/episode.js';
import { mean } from '../src/core/numbers.js';

import { DojoEnv } from '../src/env/env.js';
import { episodeType } from '../src/episodes/all.js';
import { trainingReward } from '../src/reward/credit.js';
import { playSync } from '../src/rollout/rollout.js';
import { seniorBaselines } from '../src/train/evaluate.js';

const args = process.argv.slice(2);
const at = args.indexOf('--seeds');
const seeds = at >= 0 ? Number(args[at + 1]) : 200;

// The efficiency baselines exactly as `dojo train` computes them.
const baselines = seniorBaselines(STAGE1_TYPES);

const env = new DojoEnv(episodeType('self_monitoring'), { render: ['structured'] });
const CONTINUE: Action = { type: 'checkpoint_continue', args: {} };
/**
 * Plays one seed: `choose` picks each action from the public state (undefined: stop choosing);
 * an episode not ended by then gets a checkpoint_continue.
 */
function play(seed: number, choose: (state: unknown, turn: number) => Action | undefined) {
  let { observation } = env.resetSync({ seed });
  let ended = false;
  for (let turn = 0; !ended; turn++) {
    const action = choose(observation.structured.state, turn);
    if (!action) break;
    const r = env.stepSync(action);
    observation = r.observation;
    ended = r.terminated || r.truncated;
  }
  if (!ended) env.stepSync(CONTINUE);
  const trace = env.trace();
  return { reward: trainingReward(trace, { stage: 1, baselines }).reward, found: trace.outcome.plantedIssueFound === true };
}
const fixed = (actions: readonly Action[]) => (_: unknown, turn: number) => actions[turn];

const plays: Record<string, Action[]> = {
  continue: [CONTINUE],
  pivot: [{ type: 'checkpoint_pivot', args: {} }],
  escalate: [{ type: 'checkpoint_escalate', args: {} }],
  'assess behind, continue (trained)': [{ type: 'assess_progress', args: { estimate: 'behind' } }, CONTINUE],
  'assess behind, pivot': [
    { type: 'assess_progress', args: { estimate: 'behind' } },
    { type: 'checkpoint_pivot', args: {} },
  ],
  'reread, continue': [{ type: 'reread_requirements', args: {} }, CONTINUE],
};
for (const [name, actions] of Object.entries(plays)) {
  const r = Array.from({ length: seeds }, (_, s) => play(s, fixed(actions)).reward);
  console.log(`${name.padEnd(34)} ${mean(r).toFixed(3)}`);
}
const right: number[] = [];
const wrong: number[] = [];
for (let s = 0; s < seeds; s++) {
  for (let k = 0; k < 4; k++) {
    const r = play(s, fixed([{ type: 'identify_issue', args: { suspect: k } }]));
    (r.found ? right : wrong).push(r.reward);
  }
}
console.log(`${'identify the right suspect, continue'.padEnd(34)} ${mean(right).toFixed(3)}`);
console.log(`${'identify a wrong suspect, continue'.padEnd(34)} ${mean(wrong).toFixed(3)}`);
console.log(`${'identify a suspect at random'.padEnd(34)} ${mean([...right, ...wrong]).toFixed(3)}`);
for (const p of ['senior', 'mid', 'junior'] as const) {
  const r = Array.from(
    { length: seeds },
    (_, s) => trainingReward(playSync(persona(p, 1), episodeType('self_monitoring'), s), { stage: 1, baselines }).reward,
  );
  console.log(`${`scripted ${p}`.padEnd(34)} ${mean(r).toFixed(3)}`);
}

// State-dependent chains: how far a simple evidence-following policy gets.
type View = {
  suspects: { index: number; failingTestsExplained: number }[];
  findings: { action: string; suspect: number; relevance: string | null; resolutionHint: string | null }[];
  assessments: unknown[];
  identified: unknown[];
};
const DECIDE: Record<string, Action['type']> = {
  fixable_in_place: 'checkpoint_continue',
  needs_new_approach: 'checkpoint_pivot',
  needs_outside_help: 'checkpoint_escalate',
};
function chain(maxResearch: number, view: View): Action {
  const strong = view.findings.find((f) => f.relevance === 'strong');
  const researched = new Set(view.findings.filter((f) => f.action === 'research').map((f) => f.suspect));
  if (!strong && researched.size < maxResearch) {
    const next = view.suspects.filter((s) => !researched.has(s.index)).sort((a, b) => b.failingTestsExplained - a.failingTestsExplained)[0];
    if (next) return { type: 'research', args: { topic: next.index } };
  }
  if (view.assessments.length === 0) return { type: 'assess_progress', args: { estimate: 'behind' } };
  if (strong && view.identified.length === 0) return { type: 'identify_issue', args: { suspect: strong.suspect } };
  return { type: strong?.resolutionHint ? (DECIDE[strong.resolutionHint] as Action['type']) : 'checkpoint_continue', args: {} };
}
for (const maxResearch of [1, 2, 3]) {
  const results = Array.from({ length: seeds }, (_, seed) => play(seed, (state) => chain(maxResearch, state as View)));
  console.log(
    `${`chain: research up to ${maxResearch}, name, hint`.padEnd(34)} ${mean(results.map((r) => r.reward)).toFixed(3)} (planted issue found in ${mean(results.map((r) => (r.found ? 1 : 0))).toFixed(2)})`,
  );
}
