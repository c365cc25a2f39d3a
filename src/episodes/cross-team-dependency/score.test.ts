/**
 * The cross_team_dependency behavior scorer (B-06, B-03, B-21) on real traces: fixed action
 * sequences played with DojoEnv on seeds chosen by their hidden truth, plus the persona ordering.
 */
import { describe, expect, it } from 'vitest';
import {
  behaviorMeans,
  expectCaseScore,
  expectScored,
  firstSeedWhere,
  hiddenTruth,
  playActions,
  type ScorerCase,
} from '../../../test/helpers.js';
import type { Action } from '../../core/episode.js';
import { scoreBehaviors } from '../../reward/behaviors.js';
import { crossTeamDependency } from './index.js';
import type { CrossTeamDependencyHidden } from './types.js';

type Hidden = CrossTeamDependencyHidden;

const hiddenOf = (seed: number) => hiddenTruth(crossTeamDependency, seed);

const flag = (target: number, kind: string, confidence = 0.8): Action => ({ type: 'flag_dependency', args: { target, kind }, confidence });
const propose = (target: number, kind: string): Action => ({ type: 'propose_resolution', args: { target, kind }, confidence: 0.8 });
const tell = (team: number): Action => ({ type: 'communicate_cross_team', args: { team } });
const search = (area: number): Action => ({ type: 'search_architecture', args: { area } });
const analyze: Action = { type: 'analyze_story', args: {} };
const proceed = (confidence = 0.8): Action => ({ type: 'proceed_without', args: {}, confidence });

/** Analyzes, searches the real areas, flags them with the right kind, resolves them and tells their teams at once. */
function senior(h: Hidden): Action[] {
  const out: Action[] = [analyze];
  for (const a of h.areas) if (a.real) out.push(search(a.index), flag(a.index, a.kind), propose(a.index, a.bestResolution), tell(a.team));
  out.push(proceed());
  return out;
}

/** Two real dependencies on two different teams, at least one hard, and a false area. */
const richSeed = firstSeedWhere(hiddenOf, (h) => {
  const real = h.areas.filter((a) => a.real);
  return (
    real.length === 2 &&
    real.some((a) => a.kind === 'hard') &&
    real[0]!.team !== real[1]!.team &&
    real.every((a) => a.nature !== 'frozen_service')
  );
});

/** The cases all play the rich seed. */
type Case = Omit<ScorerCase<Hidden>, 'seed'>;

const CASES: Case[] = [
  // B-06 present: every real dependency flagged with the right kind, nothing invented.
  { name: 'B-06 all real dependencies, rightly typed, none invented', code: 'B-06', actions: senior, min: 0.95 },
  // B-06 violated: assumes the story is independent (no flag at all).
  { name: 'B-06 assumes independence', code: 'B-06', actions: () => [proceed(0.9)], max: 0.05, evidence: false },
  // B-06 violated: flags every area as hard (invented dependencies that serialize work).
  {
    name: 'B-06 flags every area as hard',
    code: 'B-06',
    actions: () => [0, 1, 2, 3, 4].map((i) => flag(i, 'hard', 0.9)).concat([proceed()]),
    max: 0.55,
  },
  // B-06 partial: real ones found but every kind wrong (untyped thinking).
  {
    name: 'B-06 right areas, wrong kinds',
    code: 'B-06',
    actions: (h) =>
      h.areas
        .filter((a) => a.real)
        .map((a) => flag(a.index, a.kind === 'hard' ? 'soft' : 'hard'))
        .concat([proceed()]),
    min: 0.55,
    max: 0.75,
  },
  // B-03 present: the real constraints known before starting, their categories examined, no redundant digging.
  { name: 'B-03 constraints found before execution', code: 'B-03', actions: senior, min: 0.95 },
  // B-03 violated: proceeds without looking.
  { name: 'B-03 starts without discovering constraints', code: 'B-03', actions: () => [proceed(0.9)], max: 0.05, evidence: false },
  // B-03 violated: digs past what can be learned (repeated analysis and searches), finds nothing.
  {
    name: 'B-03 redundant investigation, nothing flagged',
    code: 'B-03',
    actions: () => [analyze, analyze, search(0), search(0), search(0), search(0), proceed()],
    max: 0.35,
  },
  // B-21 present: each blocker reported to its owning team right away, confidences honest.
  { name: 'B-21 blockers reported early', code: 'B-21', actions: senior, min: 0.85 },
  // B-21 violated: silent — flags the blockers but tells no one.
  {
    name: 'B-21 goes silent about known blockers',
    code: 'B-21',
    actions: (h) =>
      h.areas
        .filter((a) => a.real)
        .map((a) => flag(a.index, a.kind, 0.95))
        .concat([proceed(0.95)]),
    max: 0.3,
  },
  // B-21 violated: hollow heads-ups to every team, then reports only at the end (after the cut-offs).
  {
    name: 'B-21 hollow messages, real report only at the end',
    code: 'B-21',
    actions: (h) => [
      tell(0),
      tell(1),
      tell(2),
      ...[0, 1, 2, 3, 4, 0, 1, 2].map(search),
      ...h.areas.filter((a) => a.real).map((a) => flag(a.index, a.kind)),
      ...[...new Set(h.areas.filter((a) => a.real).map((a) => a.team))].map(tell),
      proceed(),
    ],
    max: 0.5,
  },
];

describe('cross_team_dependency scorer', () => {
  const h = hiddenOf(richSeed);
  it.each(CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    expectCaseScore(playActions(crossTeamDependency, richSeed, c.actions(h)), c);
  });

  it('scores B-06, B-03 and B-21 with the reward.yaml signals', () => {
    const scores = expectScored(playActions(crossTeamDependency, richSeed, senior(h)), ['B-06', 'B-03', 'B-21']);
    expect(scores.codes['B-06'].signals.map((s) => s.name)).toEqual(['true_positive_rate', 'false_positive_penalty', 'typing_accuracy']);
    expect(scores.codes['B-03'].signals.map((s) => s.name)).toEqual([
      'early_constraints',
      'categories_covered',
      'false_constraint_penalty',
    ]);
  });

  it('a judge verdict replaces the communication_substance stand-in', () => {
    const trace = playActions(crossTeamDependency, richSeed, senior(h));
    const judged = scoreBehaviors(trace, {
      verdict: { codes: { 'B-21': { score: 0, justification: 'messages were vague' } } } as never,
    }).codes['B-21'];
    const signal = judged.signals.find((s) => s.name === 'communication_substance');
    expect(signal?.from).toBe('judge');
    expect(signal?.value).toBe(0);
  });

  it('orders the personas: senior > mid > junior on the behavioral mean, and flags the performative persona', () => {
    const means = behaviorMeans(crossTeamDependency, ['senior', 'mid', 'junior', 'performative']);
    expect(means.senior!.behavioral).toBeGreaterThan(means.mid!.behavioral + 0.05);
    expect(means.mid!.behavioral).toBeGreaterThan(means.junior!.behavioral + 0.05);
    expect(means.performative!.behavioral).toBeLessThan(means.senior!.behavioral);
    expect(means.performative!.risk).toBeGreaterThan(means.senior!.risk);
  });
});
