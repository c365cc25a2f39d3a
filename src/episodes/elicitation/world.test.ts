/**
 * Elicitation levers: each test replays two action sequences on the same seeds and checks that the
 * documented lever moves the outcome in the documented direction.
 */
import { describe, expect, it } from 'vitest';
import { personaTraces, playActions } from '../../../test/helpers.js';
import type { Action } from '../../core/episode.js';
import type { Trace } from '../../core/trace.js';
import { ScriptedPersona } from '../../policy/scripted.js';
import { mean } from '../../reward/stats.js';
import { playSync } from '../../rollout/rollout.js';
import type { Dimension, Requirement } from '../../sim/story.js';
import { elicitation } from './index.js';
import type { ElicitationFacts, ElicitationHidden } from './types.js';

type ElicitationTrace = Trace<ElicitationFacts, ElicitationHidden>;

const ask = (dimension: string): Action => ({ type: 'ask_question', args: { dimension } });
const assume = (dimension: string): Action => ({ type: 'state_assumption', args: { dimension } });
const READY: Action = { type: 'signal_ready', args: {} };

function play(seed: number, actions: Action[]): ElicitationTrace {
  return playActions(elicitation, seed, actions);
}

function truth(seed: number): Requirement[] {
  return play(seed, [READY]).hidden.requirements;
}

/** Seeds whose story hides a requirement of at least `minImpact` in a dimension the story does not state. */
function seedsWithHidden(minImpact: number, count: number): { seed: number; dimension: Dimension }[] {
  const out: { seed: number; dimension: Dimension }[] = [];
  for (let seed = 0; out.length < count && seed < 2000; seed++) {
    const requirements = truth(seed);
    const stated = new Set(requirements.filter((r) => r.stated).map((r) => r.dimension));
    const target = requirements.find((r) => !r.stated && !r.obvious && r.impact >= minImpact && !stated.has(r.dimension));
    if (target) out.push({ seed, dimension: target.dimension });
  }
  return out;
}

describe('elicitation levers', () => {
  it('reveal_high_impact: asking about a dimension with a hidden high-impact requirement raises the outcome', () => {
    const cases = seedsWithHidden(0.6, 60);
    const asked: number[] = [];
    const silent: number[] = [];
    for (const { seed, dimension } of cases) {
      const a = play(seed, [ask(dimension), ask(dimension), READY]);
      const b = play(seed, [READY]);
      expect(a.reward.components.tests_passing).toBeGreaterThanOrEqual(b.reward.components.tests_passing);
      asked.push(a.reward.outcome);
      silent.push(b.reward.outcome);
    }
    expect(mean(asked) - mean(silent)).toBeGreaterThan(0.1);
  });

  it('ask_past_optimal: questions past the optimal number lower velocity_maintained', () => {
    for (let seed = 0; seed < 40; seed++) {
      const requirements = truth(seed);
      const empty = (
        ['scope_in', 'scope_out', 'performance', 'integration', 'security', 'deployment', 'data', 'acceptance', 'edge_cases'] as const
      ).filter((d) => !requirements.some((r) => r.dimension === d));
      if (empty.length === 0) continue;
      const lean = play(seed, [READY]);
      const optimal = lean.hidden.optimalQuestions;
      const questions = Array.from({ length: optimal + 3 }, (_, i) => ask(empty[i % empty.length] as string));
      const chatty = play(seed, [...questions, READY]);
      expect(chatty.reward.components.velocity_maintained).toBeLessThan(lean.reward.components.velocity_maintained + 1e-9);
      expect(chatty.outcome.excessQuestions).toBe(3);
    }
  });

  it('ask_stated_fact: a question about what the story states is pure cost', () => {
    let compared = 0;
    for (let seed = 0; seed < 80; seed++) {
      const stated = truth(seed).find((r) => r.stated);
      if (!stated) continue;
      const a = play(seed, [READY]);
      const b = play(seed, [ask(stated.dimension), READY]);
      expect(b.outcome.redundantQuestions).toBe(1);
      expect(b.outcome.requirementsRevealed).toBe(0);
      expect(b.reward.outcome).toBeLessThanOrEqual(a.reward.outcome);
      compared++;
    }
    expect(compared).toBeGreaterThan(30);
  });

  it('state_assumption: stating an assumption about a hidden gap raises the outcome on average', () => {
    const cases = seedsWithHidden(0.5, 60);
    const assumed: number[] = [];
    const silent: number[] = [];
    for (const { seed, dimension } of cases) {
      assumed.push(play(seed, [assume(dimension), READY]).reward.outcome);
      silent.push(play(seed, [READY]).reward.outcome);
    }
    expect(mean(assumed) - mean(silent)).toBeGreaterThan(0.05);
  });

  it('never_signal_ready: refinement that runs into the turn limit leaves the story out of the sprint', () => {
    for (let seed = 0; seed < 20; seed++) {
      const endless = play(
        seed,
        Array.from({ length: 30 }, () => assume('data')),
      );
      expect(endless.truncated).toBe(true);
      expect(endless.reward.components.story_accepted).toBe(0);
      expect(endless.reward.components.velocity_maintained).toBe(0);
      expect(endless.reward.outcome).toBeLessThan(play(seed, [READY]).reward.outcome + 1e-9);
    }
  });
});

describe('elicitation personas', () => {
  it('junior, mid and senior finish 50 episodes each before the turn limit', () => {
    for (const { trace } of personaTraces(elicitation, ['junior', 'mid', 'senior'], { personaSeed: 1 }))
      expect(trace.terminated).toBe(true);
  });

  it('the senior asks about hinted gaps and the junior asks generic or redundant questions', () => {
    const senior = new ScriptedPersona('senior', 1);
    const junior = new ScriptedPersona('junior', 1);
    let seniorChanged = 0;
    let juniorChanged = 0;
    let juniorRedundantOrGeneric = 0;
    for (let seed = 0; seed < 200; seed++) {
      for (const [policy, isSenior] of [
        [senior, true],
        [junior, false],
      ] as const) {
        const trace = playSync(policy, elicitation, seed);
        if (isSenior) seniorChanged += trace.outcome.questionsChangedImplementation;
        else {
          juniorChanged += trace.outcome.questionsChangedImplementation;
          juniorRedundantOrGeneric += trace.decisions.filter(
            (d) => d.action.args?.dimension === 'general' || d.links.some((l) => l.effect === 'redundant_question'),
          ).length;
        }
      }
    }
    expect(seniorChanged).toBeGreaterThan(juniorChanged * 3);
    expect(juniorRedundantOrGeneric).toBeGreaterThan(50);
  });
});
