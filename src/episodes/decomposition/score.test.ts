import { describe, expect, it } from 'vitest';
import { createEpisode, expectCaseScore, expectScored, firstSeedWhere, playActions, signalShape } from '../../../test/helpers.js';
import { persona } from '../../cli/registry.js';
import type { Action } from '../../core/episode.js';

import { playSync } from '../../rollout/rollout.js';
import { decomposition } from './index.js';
import { scoreDecomposition } from './score.js';
import type { DecompositionHidden, DecompositionTrace } from './types.js';

/** The hidden truth, plus the story points (from the public view). */
type Truth = DecompositionHidden & { points: number };

const RISKY = 0.3;
const RANK = { promising: 2, mixed: 1, doubtful: 0 } as const;

/** The hidden truth of a seed (the same world `DojoEnv.resetSync({seed})` builds), plus the story points. */
function truth(seed: number): Truth {
  const episode = createEpisode(decomposition, seed);
  return { ...episode.hidden(), points: episode.view().story.points };
}

/**
 * A topological order of the true dependencies (listed order among the ready ones); `first` goes as
 * early as its prerequisites allow (they come first), `last` goes last.
 */
function topoOrder(t: Truth, first = -1, last = -1): number[] {
  const ancestors = new Set<number>();
  const stack = first >= 0 ? [first] : [];
  while (stack.length > 0) {
    const c = stack.pop() as number;
    for (const d of t.dependencies) {
      if (d.to !== c || ancestors.has(d.from)) continue;
      ancestors.add(d.from);
      stack.push(d.from);
    }
  }
  const order: number[] = [];
  const placed = new Set<number>();
  const ready = (i: number) => !placed.has(i) && !t.dependencies.some((d) => d.to === i && !placed.has(d.from));
  while (order.length < t.components.length) {
    let next = first >= 0 && ready(first) ? first : -1;
    if (next < 0) next = [...ancestors].find(ready) ?? -1;
    if (next < 0) next = t.components.find((c) => c.index !== last && ready(c.index))?.index ?? last;
    placed.add(next);
    order.push(next);
  }
  return order;
}

const create = (component: number): Action => ({ type: 'create_task', args: { component } });
const depend = (from: number, to: number, kind: 'hard' | 'soft'): Action => ({ type: 'add_dependency', args: { from, to, kind } });
const flag = (task: number): Action => ({ type: 'identify_risk', args: { task } });
const propose = (approach: number): Action => ({ type: 'propose_approach', args: { approach } });
const COMPARE: Action = { type: 'compare_approaches', args: {} };
const SIGNAL: Action = { type: 'signal_plan_complete', args: {} };

function play(seed: number, actions: Action[]): DecompositionTrace {
  return playActions(decomposition, seed, actions);
}

const riskiestOf = (t: Truth) => t.components.reduce((a, b) => (b.risk > a.risk ? b : a)).index;
/** Parts that fit each component into a session. */
const partsFor = (effort: number) => Math.min(3, Math.ceil(effort / 6));
/** Tasks of a plan in `order`, each component split to fit a session. */
const sessionTasks = (t: Truth, order: number[]) =>
  order.flatMap((c) => Array.from({ length: partsFor((t.components[c] as Truth['components'][number]).effort) }, () => create(c)));
/** First task index of each component in a list of create actions. */
function firstTasks(tasks: Action[]): Map<number, number> {
  const out = new Map<number, number>();
  tasks.forEach((a, i) => {
    const c = a.args?.component as number;
    if (!out.has(c)) out.set(c, i);
  });
  return out;
}
/** A fair, simple plan tail: hard-typed true dependencies and approach 0. */
const hardDeps = (t: Truth) => t.dependencies.map((d) => depend(d.from, d.to, 'hard'));

interface Case {
  /** What the trace shows. */
  name: string;
  code: 'B-05' | 'B-06' | 'B-07' | 'B-08';
  seed: () => number;
  actions: (t: Truth) => Action[];
  min?: number;
  max?: number;
}

const CASES: Case[] = [
  // B-05 present: the riskiest component planned as early as its prerequisites allow, every truly
  // risky component (and nothing else) spiked.
  {
    name: 'riskiest first and spiked, only real risks flagged',
    code: 'B-05',
    seed: () => firstSeedWhere(truth, (t) => t.components.length >= 5 && t.components.some((c) => c.risk < RISKY && c.externalDays === 0)),
    actions: (t) => {
      const tasks = topoOrder(t, riskiestOf(t)).map(create);
      const first = firstTasks(tasks);
      const flags = t.components.filter((c) => c.risk >= RISKY).map((c) => flag(first.get(c.index) as number));
      return [...tasks, ...hardDeps(t), ...flags, propose(0), SIGNAL];
    },
    min: 0.9,
  },
  // B-05 absent: the riskiest component (no prerequisites) planned last, nothing flagged.
  {
    name: 'riskiest last, no spike, no flag',
    code: 'B-05',
    seed: () => firstSeedWhere(truth, (t) => t.components.length >= 6 && !t.dependencies.some((d) => d.to === riskiestOf(t))),
    actions: (t) => [...topoOrder(t, -1, riskiestOf(t)).map(create), propose(0), SIGNAL],
    max: 0.15,
  },
  // B-05 performative: every task flagged ("all tasks equal risk"): the flags predict nothing and
  // the spike is not targeted, even with the riskiest work first.
  {
    name: 'everything flagged',
    code: 'B-05',
    seed: () =>
      firstSeedWhere(
        truth,
        (t) => t.components.length >= 5 && t.components.filter((c) => c.risk < RISKY && c.externalDays === 0).length >= 2,
      ),
    actions: (t) => {
      const order = topoOrder(t, riskiestOf(t));
      return [...order.map(create), ...order.map((_, i) => flag(i)), propose(0), SIGNAL];
    },
    max: 0.5,
  },
  // B-06 present: every true dependency declared with its true kind, cross-team work flagged.
  {
    name: 'all real dependencies, typed right, cross-team waits flagged',
    code: 'B-06',
    seed: () => firstSeedWhere(truth, (t) => t.dependencies.length >= 3 && t.dependencies.some((d) => d.kind === 'soft')),
    actions: (t) => {
      const tasks = topoOrder(t).map(create);
      const first = firstTasks(tasks);
      const flags = t.components.filter((c) => c.externalDays > 0).map((c) => flag(first.get(c.index) as number));
      return [...tasks, ...t.dependencies.map((d) => depend(d.from, d.to, d.kind)), ...flags, propose(0), SIGNAL];
    },
    min: 0.95,
  },
  // B-06 absent: tasks assumed independent: nothing declared, nothing flagged.
  {
    name: 'no dependency declared',
    code: 'B-06',
    seed: () => firstSeedWhere(truth, (t) => t.dependencies.length >= 3),
    actions: (t) => [...topoOrder(t).map(create), propose(0), SIGNAL],
    max: 0.05,
  },
  // B-06 performative: every possible pair declared hard: all real ones are "found", but the
  // invented ones serialize the work and the kinds are mostly wrong.
  {
    name: 'every pair declared hard',
    code: 'B-06',
    seed: () => firstSeedWhere(truth, (t) => t.components.length >= 6 && t.dependencies.length >= 2),
    actions: (t) => {
      const order = topoOrder(t);
      const all: Action[] = [];
      for (let i = 0; i < order.length; i++)
        for (let j = i + 1; j < order.length; j++) all.push(depend(order[i] as number, order[j] as number, 'hard'));
      return [...order.map(create), ...all, propose(0), SIGNAL];
    },
    max: 0.5,
  },
  // B-07 present: every component split to fit a session, within 0.5..2 tasks per point.
  {
    name: 'session-sized tasks, in range for the points',
    code: 'B-07',
    seed: () =>
      firstSeedWhere(truth, (t) => {
        const tasks = t.components.reduce((s, c) => s + partsFor(c.effort), 0);
        return (
          t.components.some((c) => c.effort > 6) &&
          t.components.every((c) => c.effort <= 18) &&
          tasks <= Math.max(2 * t.points, t.components.length) &&
          tasks >= 0.5 * t.points
        );
      }),
    actions: (t) => [...sessionTasks(t, topoOrder(t)), ...hardDeps(t), propose(0), SIGNAL],
    min: 0.95,
  },
  // B-07 absent: one task for an 8-point story (the largest component, longer than a session).
  {
    name: 'one oversized task for an 8-point story',
    code: 'B-07',
    seed: () => firstSeedWhere(truth, (t) => t.points === 8 && t.components.length >= 4 && t.components.some((c) => c.effort > 6)),
    actions: (t) => [create(t.components.reduce((a, b) => (b.effort > a.effort ? b : a)).index), propose(0), SIGNAL],
    max: 0.2,
  },
  // B-07 violated the other way: a 1-2 point story of small components, each split into three fragments.
  {
    name: 'every component split in three on a small story',
    code: 'B-07',
    seed: () => firstSeedWhere(truth, (t) => t.points <= 2 && t.components.length >= 3 && t.components.every((c) => c.effort < 4.5)),
    actions: (t) => [...topoOrder(t).flatMap((c) => [create(c), create(c), create(c)]), propose(0), SIGNAL],
    max: 0.35,
  },
  // B-08 present: every approach proposed, compared, the best-evidenced one chosen (and it held).
  {
    name: 'all approaches compared, the evidence followed',
    code: 'B-08',
    seed: () =>
      firstSeedWhere(truth, (t) => {
        const best = Math.max(...t.approaches.map((a) => RANK[a.evidence]));
        const pick = t.approaches.find((a) => RANK[a.evidence] === best);
        return t.approaches.length === 3 && pick !== undefined && pick.survives && pick.index !== 2;
      }),
    actions: (t) => {
      const best = Math.max(...t.approaches.map((a) => RANK[a.evidence]));
      const pick = t.approaches.find((a) => RANK[a.evidence] === best)?.index as number;
      return [...topoOrder(t).map(create), ...hardDeps(t), ...t.approaches.map((a) => propose(a.index)), COMPARE, propose(pick), SIGNAL];
    },
    min: 0.95,
  },
  // B-08 absent: the first idea only, which forced a pivot.
  {
    name: 'first approach only, it failed',
    code: 'B-08',
    seed: () => firstSeedWhere(truth, (t) => t.approaches.length === 3 && !(t.approaches[0] as Truth['approaches'][number]).survives),
    actions: (t) => [...topoOrder(t).map(create), ...hardDeps(t), propose(0), SIGNAL],
    max: 0.1,
  },
  // B-08 performative: approaches listed and compared, then the choice goes against the evidence.
  {
    name: 'compared, then chose against the evidence',
    code: 'B-08',
    seed: () =>
      firstSeedWhere(truth, (t) => {
        const ranks = t.approaches.map((a) => RANK[a.evidence]);
        const worst = t.approaches.find((a) => RANK[a.evidence] === Math.min(...ranks));
        return Math.max(...ranks) > Math.min(...ranks) && worst !== undefined && !worst.survives;
      }),
    actions: (t) => {
      const ranks = t.approaches.map((a) => RANK[a.evidence]);
      const worst = t.approaches.find((a) => RANK[a.evidence] === Math.min(...ranks))?.index as number;
      return [...topoOrder(t).map(create), ...hardDeps(t), ...t.approaches.map((a) => propose(a.index)), COMPARE, propose(worst), SIGNAL];
    },
    max: 0.55,
  },
];

describe('decomposition behavior scorer', () => {
  it.each(CASES)('$code: $name', (c) => {
    const seed = c.seed();
    expectCaseScore(play(seed, c.actions(truth(seed))), c);
  });

  it('returns the four codes with the reward.yaml signals', () => {
    const trace = playSync(
      persona('senior', 1),
      decomposition,
      firstSeedWhere(truth, (t) => t.dependencies.length > 0 && t.components.some((c) => c.risk >= RISKY)),
    );
    const scores = scoreDecomposition(trace, {});
    expect(scores.map((s) => s.code)).toEqual(['B-05', 'B-06', 'B-07', 'B-08']);
    expect(signalShape(scores)).toEqual({
      'B-05': ['risky_task_position:outcome:0.35', 'risk_prediction:outcome:0.35', 'spike_for_uncertainty:trace:0.3'],
      'B-06': ['true_positive_rate:outcome:0.4', 'false_positive_penalty:outcome:0.3', 'typing_accuracy:outcome:0.3'],
      'B-07': ['tasks_per_point:trace:0.4', 'completability:outcome:0.3', 'testability:judge:0.3'],
      'B-08': [
        'approaches_considered:trace:0.25',
        'comparison_quality:judge:0.25',
        'selection_justified:judge:0.25',
        'approach_survived:outcome:0.25',
      ],
    });
    for (const s of scores) expect(s.score, s.code).not.toBeNull();
  });

  it('an empty plan scores 0 on every code, not null (the situation arose)', () => {
    const seed = firstSeedWhere(truth, (t) => t.dependencies.length > 0 && t.components.some((c) => c.risk >= RISKY));
    const scores = scoreDecomposition(play(seed, [SIGNAL]), {});
    for (const s of scores) expect(s.score, s.code).toBe(0);
  });

  it('scores every code it trains on a senior trace', () => {
    const { behavioral } = expectScored(playSync(persona('senior', 1), decomposition, 5), ['B-05', 'B-06', 'B-07', 'B-08']);
    expect(behavioral).not.toBeNull();
  });

  it('a judge verdict overrides the judge signals (from: judge)', () => {
    const trace = playSync(persona('junior', 1), decomposition, 7);
    const verdict = {
      codes: { 'B-07': { score: 0.9, justification: 'clear done states' }, 'B-08': { score: 0.1, justification: 'no trade-offs' } },
      overall: 0.5,
      performativeRisk: 0.1,
    };
    const scores = scoreDecomposition(trace, { verdict });
    const testability = scores.find((s) => s.code === 'B-07')?.signals.find((x) => x.name === 'testability');
    expect(testability).toMatchObject({ source: 'judge', value: 0.9, from: 'judge' });
    const b08 = scores.find((s) => s.code === 'B-08')?.signals.filter((x) => x.source === 'judge') ?? [];
    expect(b08.map((x) => [x.name, x.value, x.from])).toEqual([
      ['comparison_quality', 0.1, 'judge'],
      ['selection_justified', 0.1, 'judge'],
    ]);
    const heuristic = scoreDecomposition(trace, {})
      .find((s) => s.code === 'B-07')
      ?.signals.find((x) => x.name === 'testability');
    expect(heuristic?.from).toBe('heuristic');
  });

  it('scores at least 20,000 traces per second', () => {
    const traces: DecompositionTrace[] = [];
    for (const name of ['senior', 'junior', 'random']) {
      for (let seed = 0; seed < 100; seed++) traces.push(playSync(persona(name, 1), decomposition, seed));
    }
    // Warmed up (JIT), best of five passes: the machine may be shared with other test runs.
    for (const t of traces) scoreDecomposition(t, {});
    let perSecond = 0;
    for (let pass = 0; pass < 5; pass++) {
      const start = performance.now();
      for (let r = 0; r < 5; r++) for (const t of traces) scoreDecomposition(t, {});
      perSecond = Math.max(perSecond, (5 * traces.length) / ((performance.now() - start) / 1000));
    }
    expect(perSecond).toBeGreaterThan(20_000);
  });
});
