import { describe, expect, it } from 'vitest';
import { ask, hiddenOf, split, swap, swapCard, viewOf } from '../../../test/episodes/kits/scope-change.js';
import { createEpisode, personaTraces, replay, seedsWhere } from '../../../test/helpers.js';
import type { Action } from '../../core/episode.js';
import { DojoEnv } from '../../env/env.js';
import { mean } from '../../reward/stats.js';
import { scopeChange } from './index.js';
import { rightHandling } from './scenario.js';
import type { ScopeChangeHidden } from './types.js';

type Hidden = ScopeChangeHidden;

const play = (seed: number, actions: readonly Action[]) => replay(scopeChange, seed, actions);
const accept: Action = { type: 'accept_scope', args: {} };
const defer: Action = { type: 'defer_scope', args: {} };

/** The trade-off the truth calls for, as negotiation actions, without the decision. */
function tradeoff(seed: number, h: Hidden, withSplit = true): Action[] {
  if (!h.needed) return [];
  const out: Action[] = [];
  if (withSplit && h.sliceable) out.push(split);
  if (h.rightHandling.endsWith('_swap')) out.push(swap(swapCard(seed, h)));
  return out;
}

/** Learns urgency and value, then plays the right handling. */
function informed(seed: number, h: Hidden): Action[] {
  return [ask('urgency'), ask('value'), ...tradeoff(seed, h), h.needed ? accept : defer];
}

describe('scope_change world', () => {
  it('derives the right handling from need, slice and slack', () => {
    expect(rightHandling(false, true, 1, 2)).toBe('defer');
    expect(rightHandling(true, true, 1, 2)).toBe('accept_split');
    expect(rightHandling(true, true, 2, 0)).toBe('accept_split_swap');
    expect(rightHandling(true, false, 3, 1)).toBe('accept_full_swap');
    expect(rightHandling(true, false, 1, 1)).toBe('accept_full');
  });

  it('always leaves a flexible card big enough when a swap is needed', () => {
    for (const seed of seedsWhere(hiddenOf, (h) => h.rightHandling.endsWith('_swap'), 100, 800))
      expect(swapCard(seed, hiddenOf(seed))).toBeGreaterThanOrEqual(0);
  });

  it('the right handling beats every simple alternative on average', () => {
    const right: number[] = [];
    const acceptAll: number[] = [];
    const deferAll: number[] = [];
    for (let seed = 0; seed < 150; seed++) {
      const h = hiddenOf(seed);
      right.push(play(seed, informed(seed, h)).outcome);
      acceptAll.push(play(seed, [accept]).outcome);
      deferAll.push(play(seed, [defer]).outcome);
    }
    expect(mean(right) - mean(acceptAll)).toBeGreaterThan(0.2);
    expect(mean(right) - mean(deferAll)).toBeGreaterThan(0.1);
  });
});

describe('scope_change levers', () => {
  it('learn_before_deciding: learning urgency and value first defers what can wait', () => {
    const seeds = seedsWhere(hiddenOf, (h) => !h.needed, 40, 800);
    for (const seed of seeds) {
      const learned = play(seed, [ask('urgency'), ask('value'), defer]);
      const trusted = play(seed, [accept]);
      expect(learned.facts.handlingRight).toBe(true);
      expect(trusted.facts.unneededWorkHours).toBeGreaterThan(0);
      expect(learned.outcome).toBeGreaterThan(trusted.outcome);
    }
  });

  it('negotiate_swap: an agreed swap of a flexible card protects the commitment', () => {
    const seeds = seedsWhere(hiddenOf, (h) => h.rightHandling === 'accept_full_swap', 40, 800);
    const swapped: number[] = [];
    const onTop: number[] = [];
    for (const seed of seeds) {
      const h = hiddenOf(seed);
      const a = play(seed, [ask('flexibility'), swap(swapCard(seed, h)), accept]);
      const b = play(seed, [accept]);
      expect(a.facts.swapsAgreed).toBe(1);
      expect(a.facts.slippedCards).toBeLessThanOrEqual(b.facts.slippedCards);
      expect(a.outcome).toBeGreaterThanOrEqual(b.outcome);
      swapped.push(a.outcome);
      onTop.push(b.outcome);
    }
    expect(mean(swapped) - mean(onTop)).toBeGreaterThan(0.1);
  });

  it('split_to_minimum: agreeing the first slice beats taking the whole card', () => {
    const seeds = seedsWhere(hiddenOf, (h) => h.needed && h.sliceable, 40, 800);
    const sliced: number[] = [];
    const whole: number[] = [];
    for (const seed of seeds) {
      const h = hiddenOf(seed);
      const a = play(seed, [ask('minimum'), ...tradeoff(seed, h), accept]);
      const b = play(seed, [...tradeoff(seed, h, false), accept]);
      expect(a.facts.splitAgreed).toBe(true);
      expect(b.facts.goldPlatingHours).toBeGreaterThan(0);
      expect(a.outcome).toBeGreaterThan(b.outcome);
      sliced.push(a.outcome);
      whole.push(b.outcome);
    }
    expect(mean(sliced) - mean(whole)).toBeGreaterThan(0.05);
  });

  it('accept_silently: accepting the whole card at once is worse than the informed handling', () => {
    const informedRuns: number[] = [];
    const silent: number[] = [];
    for (const seed of seedsWhere(hiddenOf, (h) => h.rightHandling !== 'accept_full', 80, 800)) {
      const h = hiddenOf(seed);
      const a = play(seed, informed(seed, h));
      const b = play(seed, [accept]);
      expect(a.outcome).toBeGreaterThan(b.outcome);
      informedRuns.push(a.outcome);
      silent.push(b.outcome);
    }
    expect(mean(informedRuns) - mean(silent)).toBeGreaterThan(0.2);
  });

  it('defer_needed_work: deferring a card needed this sprint misses the goal', () => {
    for (const seed of seedsWhere(hiddenOf, (h) => h.needed, 40, 800)) {
      const h = hiddenOf(seed);
      const a = play(seed, [ask('urgency'), ask('value'), defer]);
      const b = play(seed, informed(seed, h));
      expect(a.facts.neededDeferred).toBe(true);
      expect(a.facts.sprintGoalMet).toBe(false);
      expect(a.outcome).toBeLessThan(b.outcome);
    }
  });

  it('exhaust_po_patience: questions past the patience and refused proposals cost', () => {
    for (const seed of seedsWhere(hiddenOf, (h) => h.needed && !h.sliceable, 30, 800)) {
      const h = hiddenOf(seed);
      const lean = play(seed, informed(seed, h));
      const goal = viewOf(seed).sprint.cards.find((c) => c.goal) as { index: number };
      const noisy = play(seed, [
        ask('urgency'),
        ask('value'),
        ask('urgency'),
        ask('value'),
        ask('flexibility'),
        split,
        swap(goal.index),
        ...tradeoff(seed, h),
        accept,
      ]);
      expect(noisy.facts.proposalsRefused).toBe(2);
      expect(noisy.facts.poPatienceExceeded).toBeGreaterThan(0);
      expect(noisy.outcome).toBeLessThan(lean.outcome);
    }
  });

  it('documents every lever the tests exercise', () => {
    expect(scopeChange.levers.map((l) => l.name)).toEqual([
      'learn_before_deciding',
      'negotiate_swap',
      'split_to_minimum',
      'accept_silently',
      'defer_needed_work',
      'exhaust_po_patience',
    ]);
  });
});

describe('scope_change episodes', () => {
  it('refuses a swap without a card and a repeated agreed trade-off, leaving the state unchanged', () => {
    const seed = seedsWhere(hiddenOf, (h) => h.needed && h.sliceable, 1, 800)[0] as number;
    const env = new DojoEnv(scopeChange);
    const { observation } = env.resetSync({ seed });
    const before = JSON.stringify(observation.structured.state);
    const bad = env.stepSync({ type: 'negotiate_tradeoff', args: { kind: 'swap' } });
    expect(bad.info.valid).toBe(false);
    expect(bad.info.error).toMatch(/card/);
    expect(JSON.stringify(bad.observation.structured.state)).toBe(before);
    expect(env.stepSync(split).info.valid).toBe(true);
    const again = env.stepSync(split);
    expect(again.info.valid).toBe(false);
    expect(env.legalActions().some((a) => a.type === 'negotiate_tradeoff' && a.args?.kind === 'split')).toBe(false);
  });

  it('rejects arguments outside the vocabulary without throwing', () => {
    const env = new DojoEnv(scopeChange);
    env.resetSync({ seed: 1 });
    expect(env.stepSync({ type: 'ask_po', args: { topic: 'weather' } }).info.valid).toBe(false);
    expect(env.stepSync({ type: 'negotiate_tradeoff', args: { kind: 'swap', card: 9 } }).info.valid).toBe(false);
    expect(env.stepSync({ type: 'assess_new_scope', args: { aspect: 'color' } }).info.valid).toBe(false);
  });

  it('the product owner refuses trade-offs for a card that can wait', () => {
    const seed = seedsWhere(hiddenOf, (h) => !h.needed, 1, 800)[0] as number;
    const { facts } = play(seed, [split, swap(0), defer]);
    expect(facts.proposalsRefused).toBe(2);
    expect(facts.handlingRight).toBe(true);
  });

  it('scripted personas finish 50 seeds, the senior within 10 actions', () => {
    for (const { persona, trace } of personaTraces(scopeChange, ['senior', 'mid', 'junior'])) {
      expect(trace.terminated).toBe(true);
      if (persona === 'senior') expect(trace.turns).toBeLessThanOrEqual(10);
    }
  });

  it('respects the domain option', () => {
    const v = createEpisode(scopeChange, 3, { domain: 'library' }).view();
    expect(v.newCard.title).toBe('Request hooks for a key customer');
  });
});
