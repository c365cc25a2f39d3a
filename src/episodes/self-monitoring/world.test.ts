import { describe, expect, it } from 'vitest';
import type { Action } from '../../core/episode.js';
import { Rng } from '../../core/rng.js';

import { DojoEnv } from '../../env/env.js';
import { ScriptedPersona } from '../../policy/scripted.js';
import { cohensD } from '../../reward/stats.js';
import { personaOutcomes } from '../../rollout/outcomes.js';
import { playSync } from '../../rollout/rollout.js';
import { selfMonitoring } from './index.js';
import type { SelfMonitoringHidden as Hidden } from './types.js';

/** The hidden truth of a seed, from an episode created exactly as the environment creates it. */
function hiddenOf(seed: number): Hidden {
  return selfMonitoring.create(Rng.seeded(seed, selfMonitoring.name), {}).hidden();
}

/** Seeds in 0..max whose hidden truth satisfies `when`, at most `count`. */
function seedsWhere(when: (h: Hidden) => boolean, count: number, max = 400): number[] {
  const out: number[] = [];
  for (let seed = 0; seed <= max && out.length < count; seed++) if (when(hiddenOf(seed))) out.push(seed);
  return out;
}

const env = new DojoEnv(selfMonitoring);

/** Replays actions on a seed; returns the outcome reward and the outcome facts. */
function replay(seed: number, actions: readonly Action[]) {
  env.resetSync({ seed });
  for (const action of actions) {
    const result = env.stepSync(action);
    expect(result.info.valid).toBe(true);
    if (result.terminated || result.truncated) break;
  }
  const trace = env.trace();
  return { outcome: trace.reward.outcome, facts: trace.outcome };
}

const identify = (suspect: number): Action => ({ type: 'identify_issue', args: { suspect } });
const checkpoint = (decision: string): Action => ({ type: `checkpoint_${decision}`, args: {} });
const research = (topic: number): Action => ({ type: 'research', args: { topic } });
const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('self_monitoring levers', () => {
  it('identify_before_continue: naming the real issue before continuing lets the fix land', () => {
    const seeds = seedsWhere((h) => h.rightDecision === 'continue', 25);
    expect(seeds.length).toBe(25);
    const named: number[] = [];
    const blind: number[] = [];
    for (const seed of seeds) {
      const h = hiddenOf(seed);
      const a = replay(seed, [identify(h.realSuspect), checkpoint('continue')]);
      const b = replay(seed, [checkpoint('continue')]);
      expect(a.facts.fixLanded).toBe(true);
      expect(b.facts.issueLeftInPlace).toBe(true);
      expect(a.outcome).toBeGreaterThan(b.outcome);
      named.push(a.outcome);
      blind.push(b.outcome);
    }
    expect(mean(named) - mean(blind)).toBeGreaterThan(0.2);
  });

  it('identify_before_continue: naming the wrong suspect is worse than naming none', () => {
    const seeds = seedsWhere((h) => h.rightDecision === 'continue', 20);
    for (const seed of seeds) {
      const h = hiddenOf(seed);
      const wrong = (h.realSuspect + 1) % 4;
      const a = replay(seed, [identify(wrong), checkpoint('continue')]);
      const b = replay(seed, [checkpoint('continue')]);
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
      const a = replay(seed, [identify(h.realSuspect), checkpoint(h.rightDecision)]);
      const b = replay(seed, [identify(h.realSuspect), checkpoint(other)]);
      expect(a.facts.decisionRight).toBe(true);
      expect(b.facts.decisionRight).toBe(false);
      right.push(a.outcome);
      wrong.push(b.outcome);
    }
    expect(mean(right) - mean(wrong)).toBeGreaterThan(0.3);
    expect(right.filter((r, i) => r > (wrong[i] as number)).length).toBeGreaterThan(50);
  });

  it('honest_assessment: matching the true state beats claiming on_track when behind or stuck', () => {
    const seeds = seedsWhere((h) => h.trueState !== 'on_track', 25);
    for (const seed of seeds) {
      const h = hiddenOf(seed);
      const tail = [identify(h.realSuspect), checkpoint(h.rightDecision)];
      const honest = replay(seed, [{ type: 'assess_progress', args: { estimate: h.trueState } }, ...tail]);
      const optimistic = replay(seed, [{ type: 'assess_progress', args: { estimate: 'on_track' } }, ...tail]);
      expect(honest.facts.assessmentMatched).toBe(true);
      expect(optimistic.facts.assessmentOptimistic).toBe(true);
      expect(honest.outcome).toBeGreaterThanOrEqual(optimistic.outcome);
      expect(honest.facts.lostHours < optimistic.facts.lostHours).toBe(true);
    }
  });

  it('escalate_trivia: escalating a fixable issue is worse than continuing', () => {
    const seeds = seedsWhere((h) => h.rightDecision === 'continue', 20);
    const escalated: number[] = [];
    const continued: number[] = [];
    for (const seed of seeds) {
      const h = hiddenOf(seed);
      const a = replay(seed, [identify(h.realSuspect), checkpoint('escalate')]);
      const b = replay(seed, [identify(h.realSuspect), checkpoint('continue')]);
      expect(a.facts.unnecessaryEscalation).toBe(true);
      expect(a.outcome).toBeLessThan(b.outcome);
      escalated.push(a.outcome);
      continued.push(b.outcome);
    }
    expect(mean(continued) - mean(escalated)).toBeGreaterThan(0.2);
  });

  it('excess_investigation: research past the budget costs velocity', () => {
    const seeds = seedsWhere((h) => h.rightDecision === 'continue', 20);
    for (const seed of seeds) {
      const h = hiddenOf(seed);
      const tail = [identify(h.realSuspect), checkpoint('continue')];
      const lean = replay(seed, [research(0), research(1), ...tail]);
      const heavy = replay(seed, [
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
    for (const seed of seedsWhere(() => true, 15)) {
      const h = hiddenOf(seed);
      const drift = replay(
        seed,
        Array.from({ length: selfMonitoring.maxTurns }, () => ({ type: 'reread_requirements', args: {} })),
      );
      const decided = replay(seed, [{ type: 'reread_requirements', args: {} }, identify(h.realSuspect), checkpoint(h.rightDecision)]);
      expect(drift.facts.checkpointMissed).toBe(true);
      expect(drift.facts.storyAccepted).toBe(false);
      expect(drift.outcome).toBeLessThan(decided.outcome);
    }
  });
});

describe('self_monitoring episodes', () => {
  it('rejects an out-of-range suspect without throwing', () => {
    env.resetSync({ seed: 1 });
    const result = env.stepSync({ type: 'identify_issue', args: { suspect: 9 } });
    expect(result.info.valid).toBe(false);
  });

  it('scripted personas finish 50 seeds with valid actions, never leaking secrets or unknown tokens', () => {
    const vocabulary = new Set(selfMonitoring.vocabulary);
    const rich = new DojoEnv(selfMonitoring, { render: ['structured', 'tokens', 'prompt'] });
    for (const name of ['senior', 'mid', 'junior'] as const) {
      const persona = new ScriptedPersona(name, 3);
      for (let seed = 0; seed < 50; seed++) {
        let { observation } = rich.resetSync({ seed });
        for (;;) {
          const shown = JSON.stringify(observation.structured.state) + (observation.prompt?.user ?? '');
          for (const secret of rich.secrets()) if (!secret.revealed) expect(shown.includes(secret.text)).toBe(false);
          for (const token of (observation.tokens ?? []).slice(3, -1)) expect(vocabulary.has(token)).toBe(true);
          const result = rich.stepSync(persona.choose({ observation, legalActions: rich.legalActions() }));
          expect(result.info.valid).toBe(true);
          observation = result.observation;
          if (result.terminated || result.truncated) {
            expect(result.terminated).toBe(true);
            break;
          }
        }
        expect(rich.trace().turns).toBeLessThanOrEqual(10);
      }
    }
  });

  it('every legal action is accepted', () => {
    for (const action of selfMonitoring.create(Rng.seeded(5, selfMonitoring.name), {}).legalActions()) {
      const episode = selfMonitoring.create(Rng.seeded(5, selfMonitoring.name), {});
      expect(episode.act(action, 0).ok).toBe(true);
    }
  });

  it('is deterministic by seed', () => {
    const senior = new ScriptedPersona('senior', 1);
    const a = playSync(senior, selfMonitoring, 42);
    const first = JSON.stringify(a);
    expect(JSON.stringify(playSync(senior, selfMonitoring, 42))).toBe(first);
  });
});

describe('self_monitoring causality', () => {
  it('senior beats junior beats random over 500 seeds', () => {
    const stats = Object.fromEntries(
      (['senior', 'junior', 'random'] as const).map((p) => [p, personaOutcomes(selfMonitoring, new ScriptedPersona(p, 1), 0, 500)]),
    );
    const senior = stats.senior!;
    const junior = stats.junior!;
    const random = stats.random!;
    expect(senior.mean - junior.mean).toBeGreaterThanOrEqual(0.2);
    expect(cohensD(senior.outcomes, junior.outcomes)).toBeGreaterThanOrEqual(0.8);
    expect(junior.mean).toBeGreaterThan(random.mean);
    for (const s of [senior, junior, random]) expect(s.std).toBeGreaterThan(0.05);
  });
});
