import { describe, expect, it } from 'vitest';
import { createEpisode, hiddenTruth, personaTraces, replay, seedsWhere } from '../../../test/helpers.js';
import type { Action } from '../../core/episode.js';
import { Rng } from '../../core/rng.js';
import { DojoEnv } from '../../env/env.js';
import { mean } from '../../reward/stats.js';
import { compensation } from './index.js';
import { type CompensationHidden, type CompensationView, type HiddenArea, SOURCES } from './types.js';

type Hidden = CompensationHidden;
type View = CompensationView;

const hiddenOf = (seed: number) => hiddenTruth(compensation, seed);
const viewOf = (seed: number) => createEpisode(compensation, seed).view();

const search = (source: string): Action => ({ type: 'search_artifacts', args: { source } });
const recover = (area: number): Action => ({ type: 'recover_knowledge', args: { area } });
const specialist = (area: number): Action => ({ type: 'request_specialist', args: { area } });
const give = (card: number, member: number): Action => ({ type: 'redistribute_work', args: { card, member } });
const drop = (card: number): Action => ({ type: 'adjust_commitment', args: { decision: 'drop', card } });
const assess = (severity: string, radius: string): Action => ({ type: 'assess_impact', args: { severity, blast_radius: radius } });
const commit: Action = { type: 'adjust_commitment', args: { decision: 'commit' } };

const fullSource = (a: HiddenArea) => SOURCES.find((s) => a.holds[s] === 'full');

/** Handles every lost area except `except` through a specialist, and gives orphaned cards to a knower (or member 0). */
function baseline(h: Hidden, v: View, except = -1): Action[] {
  const out: Action[] = [];
  for (const a of h.areas) if (a.lost && a.index !== except) out.push(specialist(a.index));
  for (const c of v.cards)
    if (c.originalOwner === -1) {
      const knower = v.members.find((m) => m.knows.includes(c.area));
      out.push(give(c.index, knower?.index ?? 0));
    }
  return out;
}

/** The drops an ideal plan makes. */
const idealDrops = (h: Hidden, v: View) => v.cards.filter((c) => !h.idealKept.includes(c.index)).map((c) => drop(c.index));

/** On each seed, two plays that differ only in how they open on one area: then the baseline for the rest, the ideal drops and a commit. */
function openings(seeds: number[], pick: (h: Hidden) => HiddenArea | undefined, open: (area: HiddenArea) => [Action[], Action[]]) {
  return seeds.map((seed) => {
    const h = hiddenOf(seed);
    const v = viewOf(seed);
    const area = pick(h) as HiddenArea;
    const tail = [...baseline(h, v, area.index), ...idealDrops(h, v), commit];
    const [first, second] = open(area);
    return { a: replay(compensation, seed, [...first, ...tail]), b: replay(compensation, seed, [...second, ...tail]) };
  });
}
const recorded = (h: Hidden) => h.areas.find((a) => a.lost && fullSource(a) !== undefined);

describe('compensation levers', () => {
  it('search_before_recover: recovering from a found record beats blind rediscovery', () => {
    const seeds = seedsWhere(hiddenOf, (h) => recorded(h) !== undefined, 30, 800);
    const plays = openings(seeds, recorded, (area) => [[search(fullSource(area) as string), recover(area.index)], [recover(area.index)]]);
    for (const { a, b } of plays) {
      expect(a.facts.teamHoursSpent).toBeLessThan(b.facts.teamHoursSpent);
      expect(a.outcome).toBeGreaterThanOrEqual(b.outcome - 1e-9);
    }
    expect(mean(plays.map(({ a }) => a.outcome))).toBeGreaterThan(mean(plays.map(({ b }) => b.outcome)));
  });

  it('specialist_when_unrecoverable: a specialist beats repeated rediscovery of an area nothing holds', () => {
    const seeds = seedsWhere(hiddenOf, (h) => h.areas.some((a) => a.unrecoverable), 20, 800);
    expect(seeds.length).toBeGreaterThan(10);
    const plays = openings(
      seeds,
      (h) => h.areas.find((a) => a.unrecoverable),
      (area) => [[specialist(area.index)], [recover(area.index), recover(area.index)]],
    );
    for (const { a, b } of plays) {
      expect(b.facts.failedRecoveries).toBe(2);
      expect(a.outcome).toBeGreaterThan(b.outcome);
    }
    expect(mean(plays.map(({ a }) => a.outcome)) - mean(plays.map(({ b }) => b.outcome))).toBeGreaterThan(0.1);
  });

  it('unneeded_specialist: calling a specialist for an area a found record holds costs', () => {
    const seeds = seedsWhere(hiddenOf, (h) => recorded(h) !== undefined, 30, 800);
    const plays = openings(seeds, recorded, (area) => [
      [search(fullSource(area) as string), recover(area.index)],
      [specialist(area.index)],
    ]);
    for (const { a, b } of plays) {
      expect(b.facts.specialistsUnneeded).toBeGreaterThanOrEqual(1);
      expect(a.outcome).toBeGreaterThanOrEqual(b.outcome - 1e-9);
    }
    expect(mean(plays.map(({ a }) => a.outcome))).toBeGreaterThan(mean(plays.map(({ b }) => b.outcome)));
  });

  it('knowledgeable_redistribution: an orphaned card goes better to someone who knows its area', () => {
    const seeds = seedsWhere(
      hiddenOf,
      (h, seed) => {
        const v = viewOf(seed);
        const card = v.cards.find((c) => c.originalOwner === -1 && !h.areas[c.area]?.lost);
        return card !== undefined && v.members.some((m) => !m.knows.includes(card.area));
      },
      30,
      800,
    );
    const knowing: number[] = [];
    const unknowing: number[] = [];
    for (const seed of seeds) {
      const h = hiddenOf(seed);
      const v = viewOf(seed);
      const card = v.cards.find((c) => c.originalOwner === -1 && !h.areas[c.area]?.lost) as View['cards'][number];
      const knower = v.members.find((m) => m.knows.includes(card.area)) as View['members'][number];
      const stranger = v.members.find((m) => !m.knows.includes(card.area)) as View['members'][number];
      const rest = baseline(h, v).filter((x) => x.args?.card !== card.index);
      const a = replay(compensation, seed, [give(card.index, knower.index), ...rest, ...idealDrops(h, v), commit]);
      const b = replay(compensation, seed, [give(card.index, stranger.index), ...rest, ...idealDrops(h, v), commit]);
      expect(a.facts.regressions).toBeLessThanOrEqual(b.facts.regressions);
      knowing.push(a.outcome);
      unknowing.push(b.outcome);
    }
    expect(mean(knowing)).toBeGreaterThan(mean(unknowing));
  });

  it('right_sized_commitment: dropping what does not fit beats dropping nothing or nearly everything', () => {
    const seeds = seedsWhere(hiddenOf, (h) => h.idealDropHours > 10, 30, 800);
    const sized: number[] = [];
    const forced: number[] = [];
    const thrown: number[] = [];
    for (const seed of seeds) {
      const h = hiddenOf(seed);
      const v = viewOf(seed);
      const base = baseline(h, v);
      const a = replay(compensation, seed, [...base, ...idealDrops(h, v), commit]);
      const b = replay(compensation, seed, [...base, commit]);
      const c = replay(compensation, seed, [...base, ...v.cards.slice(1).map((x) => drop(x.index)), commit]);
      sized.push(a.outcome);
      forced.push(b.outcome);
      thrown.push(c.outcome);
    }
    expect(mean(sized) - mean(forced)).toBeGreaterThan(0.05);
    expect(mean(sized) - mean(thrown)).toBeGreaterThan(0.1);
  });

  it('honest_assessment: the true severity beats "low, one task" when the impact is high', () => {
    const seeds = seedsWhere(hiddenOf, (h) => h.severity === 'high' || h.severity === 'critical', 30, 800);
    for (const seed of seeds) {
      const h = hiddenOf(seed);
      const v = viewOf(seed);
      const tail = [...baseline(h, v), ...idealDrops(h, v), commit];
      const a = replay(compensation, seed, [assess(h.severity, h.radius), ...tail]);
      const b = replay(compensation, seed, [assess('low', 'task'), ...tail]);
      expect(a.facts.assessment).toBe('matched');
      expect(b.facts.assessment).toBe('optimistic');
      expect(a.outcome).toBeGreaterThanOrEqual(b.outcome);
    }
  });

  it('silent_replan: never recommitting leaves the product owner expecting the original plan', () => {
    const seeds = seedsWhere(hiddenOf, (h) => h.idealDropHours > 0, 20, 800);
    for (const seed of seeds) {
      const h = hiddenOf(seed);
      const v = viewOf(seed);
      const plan = [...baseline(h, v), ...idealDrops(h, v)];
      const padding = Array.from({ length: compensation.maxTurns }, () => search('chat'));
      const a = replay(compensation, seed, [...plan, commit]);
      const b = replay(compensation, seed, [...plan, ...padding]);
      expect(b.trace.truncated).toBe(true);
      expect(b.facts.committed).toBe(false);
      expect(a.outcome).toBeGreaterThan(b.outcome);
    }
  });
});

describe('compensation episodes', () => {
  const env = new DojoEnv(compensation);

  it('refuses impossible actions without changing the world', () => {
    const seed = seedsWhere(hiddenOf, () => true, 1)[0] as number;
    const h = hiddenOf(seed);
    const covered = h.areas.find((a) => !a.lost) as HiddenArea;
    const lost = h.areas.find((a) => a.lost) as HiddenArea;
    const { observation } = env.resetSync({ seed });
    const before = JSON.stringify(observation.structured.state);
    const r1 = env.stepSync(recover(covered.index));
    expect(r1.info.valid).toBe(false);
    expect(r1.info.error).toMatch(/not lost/);
    const r2 = env.stepSync({ type: 'adjust_commitment', args: { decision: 'commit', card: 1 } });
    expect(r2.info.valid).toBe(false);
    const r3 = env.stepSync({ type: 'adjust_commitment', args: { decision: 'drop' } });
    expect(r3.info.valid).toBe(false);
    expect(r3.info.error).toMatch(/needs a card/);
    const r4 = env.stepSync({ type: 'adjust_commitment', args: { decision: 'keep', card: 0 } });
    expect(r4.info.valid).toBe(false);
    expect(JSON.stringify(r4.observation.structured.state)).toBe(before);
    expect(env.stepSync(drop(0)).info.valid).toBe(true);
    expect(env.stepSync(give(0, 1)).info.error).toMatch(/dropped/);
    expect(env.stepSync(specialist(lost.index)).info.valid).toBe(true);
    expect(env.stepSync(specialist(lost.index)).info.error).toMatch(/already recovered/);
  });

  it('respects difficulty: easy loses one area, hard two', () => {
    for (let seed = 0; seed < 30; seed++) {
      const easy = compensation.create(Rng.seeded(seed, 'x'), { difficulty: 'easy' }).hidden();
      const hard = compensation.create(Rng.seeded(seed, 'x'), { difficulty: 'hard' }).hidden();
      expect(easy.areas.filter((a) => a.lost).length).toBe(1);
      expect(hard.areas.filter((a) => a.lost).length).toBe(2);
    }
  });

  it('the senior recommits within the turn limit', () => {
    for (const { trace } of personaTraces(compensation, ['senior'])) {
      expect(trace.terminated).toBe(true);
      expect(trace.outcome.committed).toBe(true);
    }
  });
});
