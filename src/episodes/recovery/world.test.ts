import { describe, expect, it } from 'vitest';
import { createEpisode, personaTraces, playActions, replay, seedsWhere } from '../../../test/helpers.js';
import type { Action } from '../../core/episode.js';
import { DojoEnv } from '../../env/env.js';
import { mean } from '../../reward/stats.js';
import { recovery } from './index.js';
import type { RecoveryHidden } from './types.js';

type Hidden = RecoveryHidden & { loudest: number };

/** The hidden truth of a seed (plus the public loudest suspect), from an episode created as the environment creates it. */
function hiddenOf(seed: number): Hidden {
  const episode = createEpisode(recovery, seed);
  return { ...episode.hidden(), loudest: episode.view().suspects.findIndex((s) => s.loudest) };
}

const state = (suspect: number): Action => ({ type: 'diagnose_root_cause', args: { suspect, change: 'state_only' } });
const fix = (suspect: number): Action => ({ type: 'diagnose_root_cause', args: { suspect, change: 'fix_cause' } });
const patch = (suspect: number): Action => ({ type: 'diagnose_root_cause', args: { suspect, change: 'patch_symptom' } });
const verify = (suspect: number): Action => ({ type: 'verify_hypothesis', args: { suspect } });
const learn = (kind: string, suspect: number): Action => ({ type: 'capture_learning', args: { kind, suspect } });
const replan = (change: string, communicate = true): Action => ({ type: 'replan_sprint', args: { change, communicate } });

describe('recovery levers', () => {
  it('verify_before_fix: a verified hypothesis beats fixing the loudest symptom first', () => {
    const seeds = seedsWhere(hiddenOf, (h) => h.loudest !== h.realSuspect, 25);
    expect(seeds.length).toBe(25);
    const verified: number[] = [];
    const blind: number[] = [];
    for (const seed of seeds) {
      const h = hiddenOf(seed);
      const a = replay(recovery, seed, [
        state(h.realSuspect),
        verify(h.realSuspect),
        fix(h.realSuspect),
        verify(h.realSuspect),
        replan(h.rightChange),
      ]);
      const b = replay(recovery, seed, [fix(h.loudest), fix(h.realSuspect), verify(h.realSuspect), replan(h.rightChange)]);
      expect(b.facts.wrongChanges).toBe(1);
      expect(a.facts.changesToGreen).toBe(1);
      expect(b.facts.changesToGreen).toBe(2);
      expect(a.outcome).toBeGreaterThan(b.outcome);
      verified.push(a.outcome);
      blind.push(b.outcome);
    }
    expect(mean(verified) - mean(blind)).toBeGreaterThan(0.05);
  });

  it('verify_before_fix: stating the hypothesis first sharpens the check on the real cause', () => {
    const seeds = seedsWhere(hiddenOf, () => true, 200);
    let stated = 0;
    let unstated = 0;
    for (const seed of seeds) {
      const h = hiddenOf(seed);
      if (replay(recovery, seed, [state(h.realSuspect), verify(h.realSuspect), replan('keep')]).facts.rootCauseConfirmed) stated++;
      if (replay(recovery, seed, [verify(h.realSuspect), replan('keep')]).facts.rootCauseConfirmed) unstated++;
    }
    expect(stated).toBeGreaterThan(unstated + 20);
  });

  it('fix_root_cause: fixing the cause beats patching the symptom', () => {
    const seeds = seedsWhere(hiddenOf, () => true, 40);
    const fixed: number[] = [];
    const patched: number[] = [];
    for (const seed of seeds) {
      const h = hiddenOf(seed);
      const a = replay(recovery, seed, [fix(h.realSuspect), verify(h.realSuspect), replan(h.rightChange)]);
      const b = replay(recovery, seed, [patch(h.realSuspect), verify(h.realSuspect), replan(h.rightChange)]);
      expect(a.facts.rootCauseFixed).toBe(true);
      expect(b.facts.symptomPatched).toBe(true);
      expect(a.facts.recurredInSprint).toBe(false);
      if (b.facts.recurredInSprint) expect(a.outcome).toBeGreaterThan(b.outcome);
      fixed.push(a.outcome);
      patched.push(b.outcome);
    }
    expect(mean(fixed) - mean(patched)).toBeGreaterThan(0.1);
  });

  it('change_without_suite: collateral breakage escapes when the suite is not run after a change', () => {
    const seeds = seedsWhere(hiddenOf, () => true, 120).filter(
      (seed) => replay(recovery, seed, [fix(hiddenOf(seed).realSuspect), replan('keep')]).facts.collateralIntroduced === 1,
    );
    expect(seeds.length).toBeGreaterThan(15);
    for (const seed of seeds) {
      const h = hiddenOf(seed);
      const a = replay(recovery, seed, [fix(h.realSuspect), verify(h.realSuspect), replan(h.rightChange)]);
      const b = replay(recovery, seed, [fix(h.realSuspect), replan(h.rightChange)]);
      expect(a.facts.collateralCaught).toBe(1);
      expect(b.facts.collateralEscaped).toBe(1);
      expect(b.components.coverage_threshold).toBe(0);
      expect(a.outcome).toBeGreaterThan(b.outcome);
    }
  });

  it('proportional_replan: a replan sized to the verified damage beats forcing the old plan or throwing it away', () => {
    const seeds = seedsWhere(hiddenOf, () => true, 150).filter(
      (seed) =>
        replay(recovery, seed, [state(hiddenOf(seed).realSuspect), verify(hiddenOf(seed).realSuspect), replan('keep')]).facts
          .rootCauseConfirmed,
    );
    const under: [number, number][] = [];
    const over: [number, number][] = [];
    for (const seed of seeds) {
      const h = hiddenOf(seed);
      const head = [state(h.realSuspect), verify(h.realSuspect), fix(h.realSuspect), verify(h.realSuspect)];
      const right = replay(recovery, seed, [...head, replan(h.rightChange)]);
      expect(right.facts.replanDistance).toBe(0);
      expect(right.facts.validCardsDropped).toBe(0);
      expect(right.facts.invalidCardsKept).toBe(0);
      if (h.rightChange !== 'keep') {
        const forced = replay(recovery, seed, [...head, replan('keep')]);
        expect(right.outcome).toBeGreaterThan(forced.outcome);
        under.push([right.outcome, forced.outcome]);
      }
      if (h.rightChange !== 'full') {
        const thrown = replay(recovery, seed, [...head, replan('full')]);
        expect(right.outcome).toBeGreaterThanOrEqual(thrown.outcome);
        over.push([right.outcome, thrown.outcome]);
      }
    }
    expect(under.length).toBeGreaterThan(20);
    expect(over.length).toBeGreaterThan(20);
    expect(mean(under.map(([a, b]) => a - b))).toBeGreaterThan(0.05);
    expect(mean(over.map(([a, b]) => a - b))).toBeGreaterThan(0.05);
  });

  it('silent_replan: dropping cards without telling the team costs hours', () => {
    const seeds = seedsWhere(hiddenOf, (h) => h.rightChange !== 'keep', 25);
    for (const seed of seeds) {
      const h = hiddenOf(seed);
      const head = [state(h.realSuspect), verify(h.realSuspect), fix(h.realSuspect), verify(h.realSuspect)];
      const told = replay(recovery, seed, [...head, replan(h.rightChange, true)]);
      const silent = replay(recovery, seed, [...head, replan(h.rightChange, false)]);
      expect(silent.facts.lostHours).toBeGreaterThan(told.facts.lostHours);
      expect(told.outcome).toBeGreaterThan(silent.outcome);
    }
  });

  it('root_cause_learning: a prevention or root-cause learning prevents recurrences a blame learning does not', () => {
    const seeds = seedsWhere(hiddenOf, (h) => h.recurrenceLaterDraw >= 0.1 && h.recurrenceLaterDraw < 0.5, 25);
    expect(seeds.length).toBe(25);
    for (const seed of seeds) {
      const h = hiddenOf(seed);
      const head = [fix(h.realSuspect), verify(h.realSuspect)];
      const prevention = replay(recovery, seed, [...head, learn('prevention', h.realSuspect), replan(h.rightChange)]);
      const blame = replay(recovery, seed, [...head, learn('blame', h.realSuspect), replan(h.rightChange)]);
      const symptom = replay(recovery, seed, [...head, learn('symptom', h.realSuspect), replan(h.rightChange)]);
      expect(prevention.facts.recurredLater).toBe(false);
      expect(blame.facts.recurredLater).toBe(true);
      expect(symptom.facts.recurredLater).toBe(true);
      expect(prevention.outcome).toBeGreaterThan(blame.outcome);
      if (h.recurrenceLaterDraw >= 0.25) {
        const root = replay(recovery, seed, [...head, learn('root_cause', h.realSuspect), replan(h.rightChange)]);
        expect(root.facts.recurredLater).toBe(false);
      }
    }
  });

  it('random_changes: changing suspects that are not the cause costs outcome', () => {
    const seeds = seedsWhere(hiddenOf, () => true, 25);
    for (const seed of seeds) {
      const h = hiddenOf(seed);
      const decoys = [0, 1, 2, 3].filter((i) => i !== h.realSuspect);
      const a = replay(recovery, seed, [fix(h.realSuspect), verify(h.realSuspect), replan(h.rightChange)]);
      const b = replay(recovery, seed, [
        fix(decoys[0] as number),
        fix(decoys[1] as number),
        fix(h.realSuspect),
        verify(h.realSuspect),
        replan(h.rightChange),
      ]);
      expect(b.facts.wrongChanges).toBe(2);
      expect(a.outcome).toBeGreaterThan(b.outcome);
    }
  });
});

describe('recovery episodes', () => {
  const env = new DojoEnv(recovery);

  it('refuses an out-of-range suspect without throwing or changing state', () => {
    const { observation } = env.resetSync({ seed: 1 });
    const result = env.stepSync({ type: 'verify_hypothesis', args: { suspect: 9 } });
    expect(result.info.valid).toBe(false);
    expect(JSON.stringify(result.observation.structured.state)).toBe(JSON.stringify(observation.structured.state));
  });

  it('refuses a change on a suspect already fixed at the cause, and a duplicate learning, without changing state', () => {
    env.resetSync({ seed: 2 });
    expect(env.stepSync(fix(0)).info.valid).toBe(true);
    const before = env.stepSync(learn('root_cause', 0)).observation.structured.state;
    for (const action of [fix(0), patch(0), learn('root_cause', 0)]) {
      const result = env.stepSync(action);
      expect(result.info.valid).toBe(false);
      expect(result.info.error).toMatch(/already/);
      expect(JSON.stringify(result.observation.structured.state)).toBe(JSON.stringify(before));
    }
    expect(
      env.legalActions().some((a) => a.type === 'diagnose_root_cause' && a.args?.suspect === 0 && a.args.change !== 'state_only'),
    ).toBe(false);
  });

  it('a third check of one suspect finds nothing new', () => {
    const trace = playActions(recovery, 3, [verify(1), verify(1), verify(1), replan('keep')]);
    expect(trace.decisions[2]?.links.some((l) => l.effect === 'verification_repeated')).toBe(true);
  });

  it('the turn limit without a replan forces the old plan silently', () => {
    const h = hiddenOf(4);
    const actions = Array.from({ length: recovery.maxTurns }, (_, i) => state(i % 4));
    const trace = playActions(recovery, 4, actions);
    expect(trace.truncated).toBe(true);
    expect(trace.outcome.replanned).toBe(false);
    expect(trace.outcome.replanChange).toBe('keep');
    expect(trace.episodeLinks.some((l) => l.effect === 'no_replan')).toBe(true);
    expect(trace.outcome.realSuspect).toBe(h.realSuspect);
  });

  it('respects the difficulty option', () => {
    const cards = (difficulty: 'easy' | 'hard') => createEpisode(recovery, 9, { difficulty }).view().sprint.cards.length;
    expect(cards('easy')).toBe(4);
    expect(cards('hard')).toBe(6);
  });

  it('scripted personas finish 50 seeds within typical lengths', () => {
    for (const { persona, trace } of personaTraces(recovery, ['senior', 'mid', 'junior', 'performative'])) {
      expect(trace.terminated).toBe(true);
      if (persona === 'senior') expect(trace.turns).toBeLessThanOrEqual(16);
    }
  });
});
