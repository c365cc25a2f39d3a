/**
 * The knowledge_handoff behavior scorer (B-23, B-24) on real traces: fixed action sequences played
 * with DojoEnv on seeds chosen by their hidden truth. Each code has cases where it is clearly
 * present and cases where it is absent or violated.
 */

import { describe, expect, it } from 'vitest';
import { expectCaseScore, expectScored, firstSeedWhere, hiddenTruth, type ScorerCase, signalShape } from '../../../test/helpers.js';
import type { Action, ScenarioOptions } from '../../core/episode.js';
import type { Verdict } from '../../core/scorer.js';
import type { Trace } from '../../core/trace.js';
import { DojoEnv } from '../../env/env.js';
import { scoreBehaviors } from '../../reward/behaviors.js';
import { knowledgeHandoff } from './index.js';
import { MATCHED_METHOD } from './outcome.js';
import { scoreKnowledgeHandoff } from './score.js';
import type { HiddenArea, KnowledgeHandoffFacts, KnowledgeHandoffHidden } from './types.js';

type Hidden = KnowledgeHandoffHidden;

const OPTIONS: ScenarioOptions = { difficulty: 'easy' };

const hiddenOf = (seed: number): Hidden => hiddenTruth(knowledgeHandoff, seed, OPTIONS);

/** Plays actions (all must be accepted); the departure comes right after the last one. */
function play(seed: number, actions: readonly Action[]): Trace<KnowledgeHandoffFacts, Hidden> {
  const env = new DojoEnv(knowledgeHandoff, { maxTurns: actions.length });
  env.resetSync({ seed, options: OPTIONS });
  for (const action of actions) {
    const result = env.stepSync(action);
    expect(result.info.valid, `${JSON.stringify(action)}: ${result.info.error}`).toBe(true);
    if (result.terminated || result.truncated) break;
  }
  return env.trace();
}

const inventory: Action = { type: 'identify_knowledge', args: {} };
const identify = (area: number): Action => ({ type: 'identify_knowledge', args: { area } });
const verify = (area: number): Action => ({ type: 'verify_transfer', args: { area } });
const doc = (area: number, location = 'repo'): Action => ({ type: 'write_documentation', args: { area, location } });
const record = (area: number, content: 'full' | 'why' | 'bare', location = 'repo'): Action => ({
  type: 'document_decision',
  args:
    content === 'full'
      ? { area, why: true, alternatives: true, assumptions: true, location }
      : content === 'why'
        ? { area, why: true, location }
        : { area, location },
});
const pair = (area: number, member = 0): Action => ({ type: 'schedule_pairing', args: { area, member } });
function matched(a: HiddenArea): Action {
  const method = MATCHED_METHOD[a.nature];
  return method === 'document_decision' ? record(a.index, 'full') : method === 'write_documentation' ? doc(a.index) : pair(a.index);
}

const mine = (h: Hidden) => h.areas.filter((a) => a.unique).sort((a, b) => b.criticality - a.criticality);
const decisions = (h: Hidden) => mine(h).filter((a) => a.nature === 'decision' && a.criticality >= 0.2);
const shared = (h: Hidden) => h.areas.filter((a) => !a.unique);

/** Plays `actions` and tells whether every non-trivial decision stood (no relitigation). */
function stood(seed: number, actions: Action[]): boolean {
  return play(seed, actions).outcome.relitigations === 0;
}

// One non-trivial decision, and it is not reopened after a complete record (fates are per seed).
const decisionSeed = firstSeedWhere(hiddenOf, (h) => decisions(h).length === 1 && !h.incident);
/** A seed whose single decision stands after a complete, findable record. */
const standingSeed = firstSeedWhere(
  hiddenOf,
  (h, seed) => {
    if (decisions(h).length !== 1 || h.incident) return false;
    const d = decisions(h)[0] as HiddenArea;
    return stood(seed, [inventory, identify(d.index), record(d.index, 'full'), verify(d.index)]);
  },
  500,
);
// A seed with four areas of the candidate's own and a clear criticality order.
const handoffSeed = firstSeedWhere(
  hiddenOf,
  (h) => mine(h).length >= 3 && !h.incident && (mine(h)[0] as HiddenArea).criticality - (mine(h)[1] as HiddenArea).criticality > 0.15,
);

type Case = ScorerCase<Hidden>;

const CASES: Case[] = [
  // B-23 present: the decision found, recorded with what, why, alternatives and assumptions in the repo, checked.
  {
    name: 'B-23 complete, findable record of the non-trivial decision',
    code: 'B-23',
    seed: standingSeed,
    actions: (h) => {
      const d = decisions(h)[0] as HiddenArea;
      return [inventory, identify(d.index), record(d.index, 'full'), verify(d.index)];
    },
    min: 0.95,
  },
  // B-23 absent: no record at all — the decision leaves with the candidate.
  {
    name: 'B-23 no record of the decision',
    code: 'B-23',
    seed: decisionSeed,
    actions: (h) =>
      mine(h)
        .filter((a) => a.nature !== 'decision')
        .map((a) => pair(a.index)),
    max: 0.35,
    evidence: false,
  },
  // B-23 violated: what without why, in a chat thread.
  {
    name: 'B-23 what without why, left in chat',
    code: 'B-23',
    seed: decisionSeed,
    actions: (h) => [record((decisions(h)[0] as HiddenArea).index, 'bare', 'chat')],
    // The decision happened to stand on this seed (outcome signal, 0.25); the trace signals are near zero.
    max: 0.5,
  },
  // B-23 violated: a how-to instead of a decision record, plus write-ups of trivia.
  {
    name: 'B-23 how-to for the decision and trivia documented',
    code: 'B-23',
    seed: decisionSeed,
    actions: (h) => [doc((decisions(h)[0] as HiddenArea).index, 'wiki'), ...shared(h).map((a) => doc(a.index, 'wiki'))],
    max: 0.45,
  },
  // B-24 present: inventory first, identify, most critical first with the suited method, every transfer verified.
  {
    name: 'B-24 finds unique knowledge, hands it over most critical first, verifies',
    code: 'B-24',
    seed: handoffSeed,
    actions: (h) => {
      const out: Action[] = [inventory];
      for (const a of mine(h)) out.push(identify(a.index));
      for (const a of mine(h)) out.push(matched(a), verify(a.index));
      return out;
    },
    min: 0.8,
  },
  // B-24 absent: no handoff — only looking at the areas.
  {
    name: 'B-24 no handoff',
    code: 'B-24',
    seed: handoffSeed,
    actions: (h) => h.areas.map((a) => identify(a.index)),
    max: 0.15,
  },
  // B-24 violated: an unprioritized dump over every area in listed order, nothing checked.
  {
    name: 'B-24 unprioritized dump, assuming it landed',
    code: 'B-24',
    seed: handoffSeed,
    actions: (h) => h.areas.map((a) => doc(a.index, 'wiki')),
    max: 0.6,
  },
  // B-24 violated: only the easy knowledge — the least critical areas, the critical one left.
  {
    name: 'B-24 only the easy knowledge',
    code: 'B-24',
    seed: handoffSeed,
    actions: (h) => {
      const rest = mine(h).slice(1).reverse();
      return [inventory, ...rest.map((a) => doc(a.index))];
    },
    max: 0.5,
  },
];

describe('knowledge_handoff behavior scorer', () => {
  it('finds seeds for every situation', () => {
    for (const seed of [decisionSeed, standingSeed, handoffSeed]) expect(seed).toBeGreaterThanOrEqual(0);
  });

  for (const c of CASES) {
    it(c.name, () => {
      expectCaseScore(play(c.seed, c.actions(hiddenOf(c.seed))), c);
    });
  }

  it('each element of a decision record raises B-23 (why most), and a findable place beats chat', () => {
    const h = hiddenOf(decisionSeed);
    const d = (decisions(h)[0] as HiddenArea).index;
    const score = (actions: Action[]) => scoreBehaviors(play(decisionSeed, actions)).codes['B-23'].signals;
    const value = (signals: ReturnType<typeof score>, name: string) => signals.find((s) => s.name === name)?.value as number;
    const bare = score([record(d, 'bare')]);
    const why = score([record(d, 'why')]);
    const full = score([record(d, 'full')]);
    const chat = score([record(d, 'full', 'chat')]);
    expect(value(why, 'decisions_traceable')).toBeGreaterThan(value(bare, 'decisions_traceable'));
    expect(value(full, 'record_completeness')).toBeGreaterThan(value(why, 'record_completeness'));
    expect(value(why, 'record_completeness') - value(bare, 'record_completeness')).toBeGreaterThan(0.3);
    expect(value(full, 'decisions_traceable')).toBeGreaterThan(value(chat, 'decisions_traceable'));
    expect(value(full, 'record_quality')).toBeGreaterThan(value(chat, 'record_quality'));
  });

  it('documenting trivia lowers B-23', () => {
    const h = hiddenOf(decisionSeed);
    const d = (decisions(h)[0] as HiddenArea).index;
    const lean = scoreBehaviors(play(decisionSeed, [record(d, 'full')])).codes['B-23'];
    const padded = scoreBehaviors(play(decisionSeed, [record(d, 'full'), ...shared(h).map((a) => record(a.index, 'full'))])).codes['B-23'];
    expect(padded.signals.find((s) => s.name === 'no_trivia')?.value).toBeLessThan(1);
    expect(padded.score!).toBeLessThan(lean.score!);
  });

  it('transferring the most critical area first scores B-24 higher than the reverse', () => {
    const h = hiddenOf(handoffSeed);
    const order = mine(h);
    const first = scoreBehaviors(play(handoffSeed, [inventory, ...order.map(matched)])).codes['B-24'];
    const last = scoreBehaviors(play(handoffSeed, [inventory, ...order.slice().reverse().map(matched)])).codes['B-24'];
    expect(first.signals.find((s) => s.name === 'critical_first')?.value).toBe(1);
    expect(last.signals.find((s) => s.name === 'critical_first')?.value).toBe(0);
    expect(first.score!).toBeGreaterThan(last.score! + 0.2);
  });

  it('returns its signals with names, sources and weights', () => {
    const h = hiddenOf(decisionSeed);
    const scores = scoreKnowledgeHandoff(play(decisionSeed, [inventory, record((decisions(h)[0] as HiddenArea).index, 'why')]), {});
    expect(signalShape(scores)).toEqual({
      'B-23': [
        'decisions_traceable:trace:0.3',
        'record_completeness:trace:0.2',
        'no_trivia:trace:0.1',
        'decisions_preserved:outcome:0.25',
        'record_quality:judge:0.15',
      ],
      'B-24': [
        'found_unique_knowledge:trace:0.2',
        'critical_first:outcome:0.25',
        'someone_holds_it:trace+outcome:0.25',
        'velocity_drop_under_20:outcome:0.3',
      ],
    });
  });

  it('scores B-23 and B-24 after a bare inventory', () => {
    expect(expectScored(play(decisionSeed, [inventory]), ['B-23', 'B-24']).behavioral).not.toBeNull();
  });

  it('a judge verdict overrides the record_quality stand-in', () => {
    const h = hiddenOf(decisionSeed);
    const trace = play(decisionSeed, [record((decisions(h)[0] as HiddenArea).index, 'full')]);
    const verdict: Verdict = { codes: { 'B-23': { score: 0.1, justification: 'boilerplate' } }, overall: 0.5, performativeRisk: 0.3 };
    const heuristic = scoreBehaviors(trace).codes['B-23'];
    const judged = scoreBehaviors(trace, { verdict }).codes['B-23'];
    const hs = heuristic.signals.find((s) => s.name === 'record_quality')!;
    const js = judged.signals.find((s) => s.name === 'record_quality')!;
    expect(hs.from).toBe('heuristic');
    expect(hs.value).toBe(1);
    expect(js.from).toBe('judge');
    expect(js.value).toBe(0.1);
    expect(judged.score!).toBeLessThan(heuristic.score!);
  });
});
