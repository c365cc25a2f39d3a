import { describe, expect, it } from 'vitest';
import { hiddenTruth, personaTraces, replay, seedsWhere } from '../../../test/helpers.js';
import type { Action } from '../../core/episode.js';
import { DojoEnv } from '../../env/env.js';
import { mean } from '../../reward/stats.js';
import { selfMonitoring } from './index.js';
import type { SelfMonitoringHidden as Hidden } from './types.js';

const hiddenOf = (seed: number): Hidden => hiddenTruth(selfMonitoring, seed);

const identify = (suspect: number): Action => ({ type: 'identify_issue', args: { suspect } });
const checkpoint = (decision: string): Action => ({ type: `checkpoint_${decision}`, args: {} });
const research = (topic: number): Action => ({ type: 'research', args: { topic } });

describe('self_monitoring levers', () => {
  it('identify_before_continue: naming the real issue before continuing lets the fix land', () => {
    const seeds = seedsWhere(hiddenOf, (h) => h.rightDecision === 'continue', 25, 400);
    expect(seeds.length).toBe(25);
    const named: number[] = [];
    const blind: number[] = [];
    for (const seed of seeds) {
      const h = hiddenOf(seed);
      const a = replay(selfMonitoring, seed, [identify(h.realSuspect), checkpoint('continue')]);
      const b = replay(selfMonitoring, seed, [checkpoint('continue')]);
      expect(a.facts.fixLanded).toBe(true);
      expect(b.facts.issueLeftInPlace).toBe(true);
      expect(a.outcome).toBeGreaterThan(b.outcome);
      named.push(a.outcome);
      blind.push(b.outcome);
    }
    expect(mean(named) - mean(blind)).toBeGreaterThan(0.2);
  });

  it('identify_before_continue: naming the wrong suspect is worse than naming none', () => {
    const seeds = seedsWhere(hiddenOf, (h) => h.rightDecision === 'continue', 20, 400);
    for (const seed of seeds) {
      const h = hiddenOf(seed);
      const wrong = (h.realSuspect + 1) % 4;
      const a = replay(selfMonitoring, seed, [identify(wrong), checkpoint('continue')]);
      const b = replay(selfMonitoring, seed, [checkpoint('continue')]);
      expect(a.facts.wrongFixAttempted).toBe(true);
      expect(a.outcome).toBeLessThan(b.outcome);
    }
  });

  it('right_checkpoint: the decision that matches the real issue beats a wrong one', () => {
    const seeds = Array.from({ length: 60 }, (_, i) => i);
    const right: number[] = [];
    const wrong: number[] = [];
    for (const seed of seeds) {
      const h = hiddenOf(seed);
      const other = h.rightDecision === 'continue' ? 'pivot' : 'continue';
      const a = replay(selfMonitoring, seed, [identify(h.realSuspect), checkpoint(h.rightDecision)]);
      const b = replay(selfMonitoring, seed, [identify(h.realSuspect), checkpoint(other)]);
      expect(a.facts.decisionRight).toBe(true);
      expect(b.facts.decisionRight).toBe(false);
      right.push(a.outcome);
      wrong.push(b.outcome);
    }
    expect(mean(right) - mean(wrong)).toBeGreaterThan(0.3);
    expect(right.filter((r, i) => r > (wrong[i] as number)).length).toBeGreaterThan(50);
  });

  it('honest_assessment: matching the true state beats claiming on_track when behind or stuck', () => {
    const seeds = seedsWhere(hiddenOf, (h) => h.trueState !== 'on_track', 25, 400);
    for (const seed of seeds) {
      const h = hiddenOf(seed);
      const tail = [identify(h.realSuspect), checkpoint(h.rightDecision)];
      const honest = replay(selfMonitoring, seed, [{ type: 'assess_progress', args: { estimate: h.trueState } }, ...tail]);
      const optimistic = replay(selfMonitoring, seed, [{ type: 'assess_progress', args: { estimate: 'on_track' } }, ...tail]);
      expect(honest.facts.assessmentMatched).toBe(true);
      expect(optimistic.facts.assessmentOptimistic).toBe(true);
      expect(honest.outcome).toBeGreaterThanOrEqual(optimistic.outcome);
      expect(honest.facts.lostHours < optimistic.facts.lostHours).toBe(true);
    }
  });

  it('escalate_trivia: escalating a fixable issue is worse than continuing', () => {
    const seeds = seedsWhere(hiddenOf, (h) => h.rightDecision === 'continue', 20, 400);
    const escalated: number[] = [];
    const continued: number[] = [];
    for (const seed of seeds) {
      const h = hiddenOf(seed);
      const a = replay(selfMonitoring, seed, [identify(h.realSuspect), checkpoint('escalate')]);
      const b = replay(selfMonitoring, seed, [identify(h.realSuspect), checkpoint('continue')]);
      expect(a.facts.unnecessaryEscalation).toBe(true);
      expect(a.outcome).toBeLessThan(b.outcome);
      escalated.push(a.outcome);
      continued.push(b.outcome);
    }
    expect(mean(continued) - mean(escalated)).toBeGreaterThan(0.2);
  });

  it('excess_investigation: research past the budget costs velocity', () => {
    const seeds = seedsWhere(hiddenOf, (h) => h.rightDecision === 'continue', 20, 400);
    for (const seed of seeds) {
      const h = hiddenOf(seed);
      const tail = [identify(h.realSuspect), checkpoint('continue')];
      const lean = replay(selfMonitoring, seed, [research(0), research(1), ...tail]);
      const heavy = replay(selfMonitoring, seed, [
        research(0),
        research(1),
        research(2),
        research(3),
        research(0),
        research(1),
        research(2),
        research(3),
        ...tail,
      ]);
      expect(heavy.facts.excessInvestigation).toBe(4);
      expect(heavy.outcome).toBeLessThan(lean.outcome);
    }
  });

  it('no_checkpoint_decision: drifting to the turn limit loses the story', () => {
    for (const seed of seedsWhere(hiddenOf, () => true, 15, 400)) {
      const h = hiddenOf(seed);
      const drift = replay(
        selfMonitoring,
        seed,
        Array.from({ length: selfMonitoring.maxTurns }, () => ({ type: 'reread_requirements', args: {} })),
      );
      const decided = replay(selfMonitoring, seed, [
        { type: 'reread_requirements', args: {} },
        identify(h.realSuspect),
        checkpoint(h.rightDecision),
      ]);
      expect(drift.facts.checkpointMissed).toBe(true);
      expect(drift.facts.storyAccepted).toBe(false);
      expect(drift.outcome).toBeLessThan(decided.outcome);
    }
  });
});

describe('self_monitoring episodes', () => {
  it('rejects an out-of-range suspect without throwing', () => {
    const env = new DojoEnv(selfMonitoring);
    env.resetSync({ seed: 1 });
    const result = env.stepSync({ type: 'identify_issue', args: { suspect: 9 } });
    expect(result.info.valid).toBe(false);
  });

  it('scripted personas finish 50 seeds within 10 actions', () => {
    for (const { persona, trace } of personaTraces(selfMonitoring, ['senior', 'mid', 'junior'])) {
      expect(trace.terminated, `${persona} seed ${trace.seed}`).toBe(true);
      expect(trace.turns).toBeLessThanOrEqual(10);
    }
  });
});
