/**
 * E-1.5 research: the documented levers (same seed, two action sequences), the scripted personas'
 * episode lengths, and the junior's margin over random across 500 seeds (test/env/causality.test.ts
 * checks senior >> junior > random for every type).
 */
import { describe, expect, it } from 'vitest';
import { act, docsInUse, fetchWhere, latestDocs, type Step, search, synthWhere } from '../../../test/episodes/kits/research.js';
import { personaTraces, playPlan } from '../../../test/helpers.js';
import { persona } from '../../cli/registry.js';
import type { Trace } from '../../core/trace.js';
import { mean } from '../../reward/stats.js';
import { personaOutcomes } from '../../rollout/outcomes.js';
import { research } from './index.js';
import type { ResearchTrace, ResultView } from './types.js';

/** States a confidence level once something is synthesized. */
const assess =
  (level: string): Step =>
  (v) =>
    v.synthesized ? act('assess_confidence', { level }) : undefined;
const first = (r: ResultView) => r.index === 0;

/** Plays a plan on a seed (invalid actions fail the test), signals sufficient at the end. */
const play = (seed: number, plan: Step[]): ResearchTrace => playPlan(research, seed, [...plan, act('signal_sufficient')]);

const hidden = (seed: number) => play(seed, []).hidden;

describe('research levers', () => {
  it('check_version_then_versioned_query: in pinned scenarios the docs for the version in use beat the latest docs', () => {
    const seeds = Array.from({ length: 200 }, (_, i) => i).filter((s) => hidden(s).scenario === 'pinned');
    expect(seeds.length).toBeGreaterThan(30);
    const blind = seeds.map((s) => play(s, [search('versioned'), fetchWhere(latestDocs), synthWhere(latestDocs)]));
    const checked = seeds.map((s) => play(s, [act('search_code'), search('versioned'), fetchWhere(docsInUse), synthWhere(docsInUse)]));
    const correct = (ts: Trace[]) => mean(ts.map((t) => Number(t.outcome.correctAnswerUsed)));
    expect(correct(checked)).toBeGreaterThan(correct(blind) + 0.4);
    expect(mean(checked.map((t) => t.reward.outcome))).toBeGreaterThan(mean(blind.map((t) => t.reward.outcome)) + 0.2);
    expect(checked.filter((t) => t.outcome.synthesized).every((t) => t.outcome.recencyChecked === true)).toBe(true);
  });

  it('authoritative_source: on the same seed, synthesizing the docs for the version in use beats a forum answer', () => {
    const docs: number[] = [];
    const forum: number[] = [];
    for (let seed = 0; seed < 300 && docs.length < 60; seed++) {
      const base: Step[] = [
        act('search_code'),
        search('versioned'),
        search('generic'),
        fetchWhere(docsInUse),
        fetchWhere((r) => r.kind === 'forum_answer'),
      ];
      const a = play(seed, [...base, synthWhere(docsInUse)]);
      const b = play(seed, [...base, synthWhere((r) => r.kind === 'forum_answer')]);
      if (a.outcome.usedSourceKind !== 'official_docs' || b.outcome.usedSourceKind !== 'forum_answer') continue;
      docs.push(a.reward.outcome);
      forum.push(b.reward.outcome);
    }
    expect(docs.length).toBeGreaterThanOrEqual(40);
    expect(mean(docs)).toBeGreaterThan(mean(forum) + 0.2);
  });

  it('specific_query: adopting the top result of a specific query beats the top result of a generic one', () => {
    const seeds = Array.from({ length: 300 }, (_, i) => i);
    const generic = seeds.map((s) => play(s, [search('generic'), fetchWhere(first), synthWhere(first)]));
    const specific = seeds.map((s) => play(s, [search('specific'), fetchWhere(first), synthWhere(first)]));
    const correct = (ts: Trace[]) => mean(ts.map((t) => Number(t.outcome.correctAnswerUsed)));
    expect(correct(specific)).toBeGreaterThan(correct(generic) + 0.1);
    expect(mean(specific.map((t) => t.reward.outcome))).toBeGreaterThan(mean(generic.map((t) => t.reward.outcome)) + 0.05);
  });

  it('signal_without_synthesis: signalling on a guess loses to synthesizing what was read', () => {
    const seeds = Array.from({ length: 150 }, (_, i) => i);
    const base: Step[] = [act('search_code'), search('versioned'), fetchWhere(docsInUse)];
    const guess = seeds.map((s) => play(s, base));
    const synth = seeds.map((s) => play(s, [...base, synthWhere(docsInUse)]));
    expect(guess.every((t) => t.outcome.answerSource === 'guess')).toBe(true);
    expect(mean(synth.map((t) => t.reward.outcome))).toBeGreaterThan(mean(guess.map((t) => t.reward.outcome)) + 0.3);
  });

  it('over_research: extra searches and reads on the same seed with the same answer lower velocity and the outcome', () => {
    let lower = 0;
    const seeds = Array.from({ length: 60 }, (_, i) => i);
    for (const seed of seeds) {
      const core: Step[] = [act('search_code'), search('versioned'), fetchWhere(docsInUse), synthWhere(docsInUse), assess('high')];
      const lean = play(seed, core);
      const heavy = play(seed, [
        act('search_code'),
        search('versioned'),
        search('generic'),
        search('specific'),
        search('generic'),
        fetchWhere((r) => r.kind !== 'official_docs'),
        fetchWhere((r) => r.kind !== 'official_docs'),
        fetchWhere((r) => r.kind !== 'official_docs'),
        ...core.slice(2),
      ]);
      if (
        lean.outcome.usedSourceVersion !== heavy.outcome.usedSourceVersion ||
        lean.outcome.correctAnswerUsed !== heavy.outcome.correctAnswerUsed
      )
        continue;
      expect(heavy.reward.components.velocity_maintained).toBeLessThanOrEqual(lean.reward.components.velocity_maintained);
      if (heavy.reward.outcome < lean.reward.outcome) lower++;
    }
    expect(lower).toBeGreaterThan(seeds.length * 0.7);
  });

  it('low_confidence_when_unsure: stating low confidence in a wrong answer catches it in development more often', () => {
    const low: Trace[] = [];
    const high: Trace[] = [];
    for (let seed = 0; seed < 400 && low.length < 80; seed++) {
      const base: Step[] = [search('generic'), fetchWhere(first), synthWhere(first)];
      const h = play(seed, [...base, assess('high')]);
      if (h.outcome.correctAnswerUsed !== false || h.outcome.synthesized !== true) continue;
      high.push(h);
      low.push(play(seed, [...base, assess('low')]));
    }
    expect(low.length).toBeGreaterThanOrEqual(60);
    const inReview = (ts: Trace[]) => mean(ts.map((t) => Number(t.outcome.defectInReview)));
    expect(inReview(low)).toBeLessThan(inReview(high) - 0.3);
    expect(mean(low.map((t) => t.reward.outcome))).toBeGreaterThan(mean(high.map((t) => t.reward.outcome)) + 0.1);
  });
});

describe('research personas', () => {
  it('senior, mid and junior complete 50 episodes each well before the turn limit', () => {
    for (const { persona: name, trace } of personaTraces(research, ['senior', 'mid', 'junior'], { personaSeed: 1 })) {
      expect(trace.terminated, `${name} seed ${trace.seed}`).toBe(true);
      expect(trace.turns).toBeLessThanOrEqual(12);
    }
  });

  it('the junior beats random by more than 0.05 over 500 seeds', () => {
    const junior = personaOutcomes(research, persona('junior', 1), 0, 500);
    const random = personaOutcomes(research, persona('random', 1), 0, 500);
    expect(junior.mean).toBeGreaterThan(random.mean + 0.05);
  });
});
