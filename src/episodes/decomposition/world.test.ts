import { describe, expect, it } from 'vitest';
import { hiddenTruth, personaTraces, playActions, seedsWhere as seedsOf } from '../../../test/helpers.js';
import type { Action } from '../../core/episode.js';
import { DojoEnv } from '../../env/env.js';
import { ScriptedPersona } from '../../policy/scripted.js';
import { mean } from '../../reward/stats.js';
import { personaOutcomes } from '../../rollout/outcomes.js';
import { decomposition } from './index.js';
import type { DecompositionFacts, DecompositionHidden, DecompositionTrace } from './types.js';

type Truth = DecompositionHidden;

/** The hidden truth of a seed (the same world `DojoEnv.resetSync({seed})` builds). */
function truth(seed: number): Truth {
  return hiddenTruth(decomposition, seed);
}

/** A topological order of the true dependencies (listed order among the ready ones). */
function topoOrder(t: Truth, skip: ReadonlySet<number> = new Set()): number[] {
  const order: number[] = [];
  const placed = new Set<number>(skip);
  while (placed.size < t.components.length) {
    const next = t.components.find((c) => !placed.has(c.index) && !t.dependencies.some((d) => d.to === c.index && !placed.has(d.from)));
    if (!next) throw new Error('cycle in the true dependencies');
    placed.add(next.index);
    order.push(next.index);
  }
  return order;
}

const create = (component: number): Action => ({ type: 'create_task', args: { component } });
const hard = (from: number, to: number): Action => ({ type: 'add_dependency', args: { from, to, kind: 'hard' } });
const propose = (approach: number): Action => ({ type: 'propose_approach', args: { approach } });
const SIGNAL: Action = { type: 'signal_plan_complete', args: {} };

function play(seed: number, actions: Action[]): DecompositionTrace {
  return playActions(decomposition, seed, actions);
}

/** The first `count` seeds whose hidden truth satisfies `predicate` (there must be that many). */
function seedsWhere(predicate: (t: Truth, seed: number) => boolean, count: number): number[] {
  const out = seedsOf(truth, predicate, count);
  expect(out.length).toBe(count);
  return out;
}
const fact = (trace: DecompositionTrace, name: keyof DecompositionFacts) => Number(trace.outcome[name]);

describe('decomposition levers', () => {
  it('declare_hard_dependency: declaring the real hard dependencies removes blocking and raises the outcome', () => {
    const seeds = seedsWhere((t) => t.dependencies.some((d) => d.kind === 'hard'), 40);
    const without: DecompositionTrace[] = [];
    const withDeps: DecompositionTrace[] = [];
    for (const seed of seeds) {
      const t = truth(seed);
      const base = topoOrder(t).map(create);
      without.push(play(seed, [...base, propose(0), SIGNAL]));
      const deps = t.dependencies.filter((d) => d.kind === 'hard').map((d) => hard(d.from, d.to));
      withDeps.push(play(seed, [...base, ...deps, propose(0), SIGNAL]));
    }
    expect(mean(withDeps.map((x) => fact(x, 'blockedEvents')))).toBe(0);
    expect(mean(without.map((x) => fact(x, 'blockedEvents')))).toBeGreaterThan(0.2);
    expect(mean(withDeps.map((x) => x.reward.outcome))).toBeGreaterThan(mean(without.map((x) => x.reward.outcome)) + 0.01);
  });

  it('invent_dependency: false hard dependencies serialize work and lower the outcome', () => {
    const seeds = seedsWhere((t) => t.components.length >= 4, 40);
    const honest: DecompositionTrace[] = [];
    const invented: DecompositionTrace[] = [];
    for (const seed of seeds) {
      const t = truth(seed);
      const order = topoOrder(t);
      const base = order.map(create);
      const real = t.dependencies.filter((d) => d.kind === 'hard').map((d) => hard(d.from, d.to));
      honest.push(play(seed, [...base, ...real, propose(0), SIGNAL]));
      const fake: Action[] = [];
      for (let i = 0; i + 1 < order.length; i++) {
        const from = order[i] as number;
        const to = order[i + 1] as number;
        if (!t.dependencies.some((d) => d.from === from && d.to === to)) fake.push(hard(from, to));
      }
      invented.push(play(seed, [...base, ...real, ...fake, propose(0), SIGNAL]));
    }
    expect(mean(invented.map((x) => fact(x, 'falseDependencies')))).toBeGreaterThan(1);
    expect(mean(invented.map((x) => fact(x, 'cycleTimeDays')))).toBeGreaterThan(mean(honest.map((x) => fact(x, 'cycleTimeDays'))) + 0.2);
    expect(mean(invented.map((x) => x.reward.outcome))).toBeLessThan(mean(honest.map((x) => x.reward.outcome)) - 0.02);
  });

  it('risk_first_with_spike: a materializing risk planned first and flagged costs less rework than one planned last', () => {
    const riskyFree = (t: Truth) =>
      t.components.find((c) => c.riskMaterializes && !t.dependencies.some((d) => d.from === c.index || d.to === c.index));
    const seeds = seedsWhere((t) => t.components.length >= 3 && riskyFree(t) !== undefined, 25);
    const late: DecompositionTrace[] = [];
    const early: DecompositionTrace[] = [];
    for (const seed of seeds) {
      const t = truth(seed);
      const risky = (riskyFree(t) as Truth['components'][number]).index;
      const others = topoOrder(t, new Set([risky]));
      const deps = t.dependencies.filter((d) => d.kind === 'hard').map((d) => hard(d.from, d.to));
      late.push(play(seed, [...others.map(create), create(risky), ...deps, propose(0), SIGNAL]));
      early.push(
        play(seed, [create(risky), ...others.map(create), ...deps, { type: 'identify_risk', args: { task: 0 } }, propose(0), SIGNAL]),
      );
    }
    expect(mean(early.map((x) => fact(x, 'riskyTaskPositionScore')))).toBeGreaterThan(
      mean(late.map((x) => fact(x, 'riskyTaskPositionScore'))),
    );
    expect(mean(early.map((x) => fact(x, 'riskReworkHours')))).toBeLessThan(mean(late.map((x) => fact(x, 'riskReworkHours'))) - 1);
    expect(mean(early.map((x) => x.reward.outcome))).toBeGreaterThan(mean(late.map((x) => x.reward.outcome)) + 0.02);
  });

  it('compare_approaches: comparing and taking the best-evidenced approach survives more often', () => {
    const blind: DecompositionTrace[] = [];
    const compared: DecompositionTrace[] = [];
    for (let seed = 0; seed < 150; seed++) {
      const t = truth(seed);
      const base = topoOrder(t).map(create);
      const deps = t.dependencies.filter((d) => d.kind === 'hard').map((d) => hard(d.from, d.to));
      blind.push(play(seed, [...base, ...deps, propose(0), SIGNAL]));
      // Compare, then read the revealed evidence from the observation.
      const env = new DojoEnv(decomposition);
      env.resetSync({ seed });
      for (const a of [...base, ...deps, ...t.approaches.map((a) => propose(a.index))]) env.stepSync(a);
      const { observation } = env.stepSync({ type: 'compare_approaches', args: {} });
      const shown = observation.structured.state.approaches.map((a) => ({
        index: a.index,
        rank: a.evidence === 'promising' ? 2 : a.evidence === 'mixed' ? 1 : 0,
      }));
      const best = shown.reduce((a, b) => (b.rank > a.rank ? b : a));
      env.stepSync(propose(best.index));
      env.stepSync(SIGNAL);
      compared.push(env.trace());
    }
    const survivedBlind = mean(blind.map((x) => fact(x, 'approachSurvived')));
    const survivedCompared = mean(compared.map((x) => fact(x, 'approachSurvived')));
    expect(survivedCompared).toBeGreaterThan(survivedBlind + 0.15);
    expect(mean(compared.map((x) => x.reward.outcome))).toBeGreaterThan(mean(blind.map((x) => x.reward.outcome)) + 0.03);
  });

  it('missing_component: leaving a component out of the plan means the story is not accepted', () => {
    const fulls: number[] = [];
    const partials: number[] = [];
    for (let seed = 0; seed < 40; seed++) {
      const t = truth(seed);
      const order = topoOrder(t);
      const deps = (skip: number) =>
        t.dependencies.filter((d) => d.kind === 'hard' && d.from !== skip && d.to !== skip).map((d) => hard(d.from, d.to));
      const full = play(seed, [...order.map(create), ...deps(-1), propose(0), SIGNAL]);
      const last = order[order.length - 1] as number;
      const partial = play(seed, [...order.slice(0, -1).map(create), ...deps(last), propose(0), SIGNAL]);
      expect(partial.outcome.storyAccepted).toBe(false);
      expect(fact(partial, 'missingComponents')).toBe(1);
      if (full.outcome.storyAccepted) expect(partial.reward.outcome).toBeLessThan(full.reward.outcome);
      fulls.push(full.reward.outcome);
      partials.push(partial.reward.outcome);
    }
    expect(mean(partials)).toBeLessThan(mean(fulls) - 0.2);
  });

  it('split_large_component: splitting components larger than a session makes tasks completable and raises the outcome', () => {
    const seeds = seedsWhere((t) => t.components.some((c) => c.effort > 6.5), 30);
    const whole: DecompositionTrace[] = [];
    const split: DecompositionTrace[] = [];
    for (const seed of seeds) {
      const t = truth(seed);
      const order = topoOrder(t);
      const deps = t.dependencies.filter((d) => d.kind === 'hard').map((d) => hard(d.from, d.to));
      whole.push(play(seed, [...order.map(create), ...deps, propose(0), SIGNAL]));
      const parts = order.flatMap((c) => {
        const effort = (t.components[c] as Truth['components'][number]).effort;
        return Array.from({ length: Math.min(3, Math.ceil(effort / 6)) }, () => create(c));
      });
      split.push(play(seed, [...parts, ...deps, propose(0), SIGNAL]));
    }
    expect(mean(split.map((x) => fact(x, 'completability')))).toBe(1);
    expect(mean(whole.map((x) => fact(x, 'completability')))).toBeLessThan(0.9);
    expect(mean(split.map((x) => x.reward.outcome))).toBeGreaterThan(mean(whole.map((x) => x.reward.outcome)) + 0.02);
  });
});

describe('decomposition episodes', () => {
  it('scripted personas finish 50 seeds well before the turn limit', () => {
    for (const { persona, trace } of personaTraces(decomposition, ['senior', 'mid', 'junior'])) {
      expect(trace.terminated, `${persona} seed ${trace.seed}`).toBe(true);
      expect(trace.turns).toBeLessThan(decomposition.maxTurns - 5);
    }
  });

  it('the junior beats random by more than 0.05 over 500 seeds', () => {
    const junior = personaOutcomes(decomposition, new ScriptedPersona('junior', 1), 0, 500);
    const random = personaOutcomes(decomposition, new ScriptedPersona('random', 1), 0, 500);
    expect(junior.mean).toBeGreaterThan(random.mean + 0.05);
  });
});
