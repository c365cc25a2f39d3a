import { describe, expect, it } from 'vitest';
import { hiddenTruth, personaTraces, replay, seedsWhere } from '../../../test/helpers.js';
import type { Action } from '../../core/episode.js';
import { Rng } from '../../core/rng.js';
import { DojoEnv } from '../../env/env.js';
import { mean } from '../../reward/stats.js';
import { crossTeamDependency } from './index.js';
import { BEST_RESOLUTION, type CrossTeamDependencyHidden, type RealNature } from './types.js';

type Hidden = CrossTeamDependencyHidden;
type HiddenArea = Hidden['areas'][number];

const hiddenOf = (seed: number) => hiddenTruth(crossTeamDependency, seed);

const flag = (target: number, kind: string): Action => ({ type: 'flag_dependency', args: { target, kind } });
const propose = (target: number, kind: string): Action => ({ type: 'propose_resolution', args: { target, kind } });
const tell = (team: number): Action => ({ type: 'communicate_cross_team', args: { team } });
const search = (area: number): Action => ({ type: 'search_architecture', args: { area } });
const proceed: Action = { type: 'proceed_without', args: {} };

/** Flags, resolves and tells every real dependency the right way (the truth known). */
function handleAll(h: Hidden, except = -1): Action[] {
  const out: Action[] = [];
  for (const a of h.areas)
    if (a.real && a.index !== except) out.push(flag(a.index, a.kind), propose(a.index, a.bestResolution), tell(a.team));
  return out;
}

describe('cross_team_dependency levers', () => {
  it('flag_real_dependency: flagging a hard dependency before proceeding avoids the mid-story block', () => {
    const seeds = seedsWhere(hiddenOf, (h) => h.areas.some((a) => a.kind === 'hard'), 30);
    const flagged: number[] = [];
    const missed: number[] = [];
    for (const seed of seeds) {
      const h = hiddenOf(seed);
      const hard = h.areas.find((a) => a.kind === 'hard') as HiddenArea;
      const a = replay(crossTeamDependency, seed, [...handleAll(h), proceed]);
      const b = replay(crossTeamDependency, seed, [...handleAll(h, hard.index), proceed]);
      expect(a.facts.missedHard).toBe(0);
      expect(b.facts.missedHard).toBe(1);
      expect(a.outcome).toBeGreaterThanOrEqual(b.outcome);
      flagged.push(a.outcome);
      missed.push(b.outcome);
    }
    expect(mean(flagged) - mean(missed)).toBeGreaterThan(0.15);
  });

  it('false_dependency: flagging (and resolving) an area that is not a dependency costs', () => {
    const seeds = seedsWhere(hiddenOf, (h) => h.areas.some((a) => !a.real), 30);
    const clean: number[] = [];
    const invented: number[] = [];
    for (const seed of seeds) {
      const h = hiddenOf(seed);
      const fake = h.areas.find((a) => !a.real) as HiddenArea;
      const a = replay(crossTeamDependency, seed, [...handleAll(h), proceed]);
      const b = replay(crossTeamDependency, seed, [
        ...handleAll(h),
        flag(fake.index, 'hard'),
        propose(fake.index, 'ask_other_team_to_build'),
        proceed,
      ]);
      expect(b.facts.falseFlags).toBe(1);
      expect(a.outcome).toBeGreaterThanOrEqual(b.outcome);
      clean.push(a.outcome);
      invented.push(b.outcome);
    }
    expect(mean(clean)).toBeGreaterThan(mean(invented));
  });

  it('right_resolution: the resolution that fits the nature beats an ill-fitting one', () => {
    const seeds = seedsWhere(hiddenOf, (h) => h.areas.filter((a) => a.real).length === 1, 40);
    const right: number[] = [];
    const wrong: number[] = [];
    for (const seed of seeds) {
      const h = hiddenOf(seed);
      const dep = h.areas.find((a) => a.real) as HiddenArea;
      const bad = dep.bestResolution === 'workaround' ? 'ask_other_team_to_build' : 'workaround';
      const a = replay(crossTeamDependency, seed, [
        flag(dep.index, dep.kind),
        propose(dep.index, dep.bestResolution),
        tell(dep.team),
        proceed,
      ]);
      const b = replay(crossTeamDependency, seed, [flag(dep.index, dep.kind), propose(dep.index, bad), tell(dep.team), proceed]);
      expect(a.facts.bestResolutions).toBe(1);
      expect(b.facts.bestResolutions).toBe(0);
      expect(a.outcome).toBeGreaterThanOrEqual(b.outcome);
      right.push(a.outcome);
      wrong.push(b.outcome);
    }
    expect(mean(right) - mean(wrong)).toBeGreaterThan(0.1);
  });

  it('timely_communication: telling the owning team before its cut-off beats telling it after', () => {
    const seeds = seedsWhere(
      hiddenOf,
      (h) =>
        h.areas.some(
          (a) => a.kind === 'hard' && (h.teams[a.team]?.cutoffHours ?? 0) < 7.5 && h.teams[a.team]!.earlyDays < h.teams[a.team]!.lateDays,
        ),
      30,
    );
    const early: number[] = [];
    const late: number[] = [];
    for (const seed of seeds) {
      const h = hiddenOf(seed);
      const dep = h.areas.find((a) => a.kind === 'hard' && (h.teams[a.team]?.cutoffHours ?? 0) < 7.5) as HiddenArea;
      const resolve = [flag(dep.index, dep.kind), propose(dep.index, 'ask_other_team_to_build')];
      const digging = [0, 1, 2, 3, 4, 0, 1].map(search);
      const a = replay(crossTeamDependency, seed, [...resolve, tell(dep.team), ...digging, proceed]);
      const b = replay(crossTeamDependency, seed, [...resolve, ...digging, tell(dep.team), proceed]);
      expect(a.facts.timelyContacts).toBe(1);
      expect(b.facts.timelyContacts).toBe(0);
      expect(a.outcome).toBeGreaterThanOrEqual(b.outcome);
      early.push(a.outcome);
      late.push(b.outcome);
    }
    expect(mean(early)).toBeGreaterThan(mean(late));
  });

  it('hollow_communication: a heads-up that carries no flagged dependency only costs time', () => {
    const seeds = seedsWhere(hiddenOf, () => true, 30);
    let strictlyWorse = 0;
    for (const seed of seeds) {
      const h = hiddenOf(seed);
      const digging = [0, 1, 2, 3, 4].map(search);
      const quiet = new Set(h.areas.filter((a) => a.real).map((a) => a.team));
      const team = [0, 1, 2].find((t) => !quiet.has(t)) ?? 0;
      // The heads-up goes out before anything is flagged: it carries nothing.
      const a = replay(crossTeamDependency, seed, [...digging, ...handleAll(h), proceed]);
      const b = replay(crossTeamDependency, seed, [tell(team), ...digging, ...handleAll(h), proceed]);
      expect(b.facts.hollowContacts).toBeGreaterThanOrEqual(1);
      expect(b.outcome).toBeLessThanOrEqual(a.outcome + 1e-9);
      if (b.outcome < a.outcome) strictlyWorse++;
    }
    expect(strictlyWorse).toBeGreaterThan(10);
  });

  it('mistyped_dependency: a flag of the wrong kind (no resolution) costs time', () => {
    const seeds = seedsWhere(hiddenOf, (h) => h.areas.filter((a) => a.real).length === 1, 30);
    const right: number[] = [];
    const wrong: number[] = [];
    for (const seed of seeds) {
      const h = hiddenOf(seed);
      const dep = h.areas.find((a) => a.real) as HiddenArea;
      const other = dep.kind === 'hard' ? 'soft' : 'hard';
      const a = replay(crossTeamDependency, seed, [flag(dep.index, dep.kind), tell(dep.team), proceed]);
      const b = replay(crossTeamDependency, seed, [flag(dep.index, other), tell(dep.team), proceed]);
      expect(a.facts.typedRight).toBe(1);
      expect(b.facts.typedRight).toBe(0);
      right.push(a.facts.delayDays);
      wrong.push(b.facts.delayDays);
      expect(a.outcome + 0.05).toBeGreaterThanOrEqual(b.outcome);
    }
    expect(mean(right)).toBeLessThan(mean(wrong));
  });

  it('never_proceed: reaching the turn limit starts the story late', () => {
    for (const seed of seedsWhere(hiddenOf, () => true, 20)) {
      const h = hiddenOf(seed);
      const plan = handleAll(h);
      const padding = Array.from({ length: crossTeamDependency.maxTurns }, () => ({ type: 'analyze_story', args: {} }));
      const a = replay(crossTeamDependency, seed, [...plan, proceed]);
      const b = replay(crossTeamDependency, seed, [...plan, ...padding]);
      expect(b.trace.truncated).toBe(true);
      expect(b.facts.proceeded).toBe(false);
      expect(b.outcome).toBeLessThan(a.outcome);
    }
  });
});

describe('cross_team_dependency episodes', () => {
  const env = new DojoEnv(crossTeamDependency);

  it('refuses impossible actions without changing the world', () => {
    const { observation } = env.resetSync({ seed: 3 });
    const before = JSON.stringify(observation.structured.state);
    const unflagged = env.stepSync(propose(0, 'contract_first'));
    expect(unflagged.info.valid).toBe(false);
    expect(unflagged.info.error).toMatch(/flag_dependency it first/);
    expect(JSON.stringify(unflagged.observation.structured.state)).toBe(before);
    expect(env.stepSync({ type: 'search_architecture', args: { area: 9 } }).info.valid).toBe(false);
    expect(env.stepSync(flag(1, 'hard')).info.valid).toBe(true);
    const again = env.stepSync(flag(1, 'hard'));
    expect(again.info.valid).toBe(false);
    expect(again.info.error).toMatch(/already flagged/);
    expect(env.stepSync(flag(1, 'soft')).info.valid).toBe(true);
  });

  it('a cleared false flag cannot be flagged again', () => {
    const seed = seedsWhere(hiddenOf, (h) => h.areas.some((a) => !a.real), 1)[0] as number;
    const h = hiddenOf(seed);
    const fake = h.areas.find((a) => !a.real) as HiddenArea;
    env.resetSync({ seed });
    env.stepSync(flag(fake.index, 'soft'));
    env.stepSync(tell(fake.team));
    const retry = env.stepSync(flag(fake.index, 'hard'));
    expect(retry.info.valid).toBe(false);
    expect(retry.info.error).toMatch(/not needed/);
  });

  it('the best resolutions are consistent with the natures', () => {
    for (const a of hiddenOf(7).areas) if (a.real) expect(a.bestResolution).toBe(BEST_RESOLUTION[a.nature as RealNature]);
  });

  it('respects difficulty: easy has one real dependency, hard two or three', () => {
    for (let seed = 0; seed < 30; seed++) {
      const easy = crossTeamDependency.create(Rng.seeded(seed, 'x'), { difficulty: 'easy' }).hidden();
      const hard = crossTeamDependency.create(Rng.seeded(seed, 'x'), { difficulty: 'hard' }).hidden();
      expect(easy.areas.filter((a) => a.real).length).toBe(1);
      expect(hard.areas.filter((a) => a.real).length).toBeGreaterThanOrEqual(2);
    }
  });

  it('scripted personas finish within the turn limit and the senior proceeds', () => {
    for (const { trace } of personaTraces(crossTeamDependency, ['senior'])) {
      expect(trace.terminated).toBe(true);
      expect(trace.turns).toBeLessThanOrEqual(crossTeamDependency.maxTurns);
    }
  });
});
