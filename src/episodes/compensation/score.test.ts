/**
 * The compensation behavior scorer (B-10, B-12, B-13, B-14) on real traces: fixed action
 * sequences played with DojoEnv on seeds chosen by their hidden truth, plus the persona ordering.
 */
import { describe, expect, it } from 'vitest';
import {
  behaviorMeans,
  createEpisode,
  expectCaseScore,
  expectScored,
  firstSeedWhere,
  hiddenTruth,
  playActions,
} from '../../../test/helpers.js';
import type { Action } from '../../core/episode.js';
import type { BehaviorCode } from '../../spec/behaviors.js';
import { compensation } from './index.js';
import { type CompensationHidden, type CompensationView, type HiddenArea, SOURCES } from './types.js';

type Hidden = CompensationHidden;
type View = CompensationView;

const hiddenOf = (seed: number) => hiddenTruth(compensation, seed);
const viewOf = (seed: number) => createEpisode(compensation, seed).view();

const fullSource = (a: HiddenArea) => SOURCES.find((s) => a.holds[s] === 'full');
const lostOf = (h: Hidden) => h.areas.filter((a) => a.lost);

const assess = (severity: string, radius: string, confidence = 0.8): Action => ({
  type: 'assess_impact',
  args: { severity, blast_radius: radius },
  confidence,
});
const search = (source: string): Action => ({ type: 'search_artifacts', args: { source } });
const recover = (area: number): Action => ({ type: 'recover_knowledge', args: { area } });
const specialist = (area: number): Action => ({ type: 'request_specialist', args: { area } });
const give = (card: number, member: number): Action => ({ type: 'redistribute_work', args: { card, member } });
const drop = (card: number): Action => ({ type: 'adjust_commitment', args: { decision: 'drop', card } });
const commit: Action = { type: 'adjust_commitment', args: { decision: 'commit' } };

/** Orphaned cards to a member who knows their area (member 0 for a lost area). */
function handOut(v: View): Action[] {
  return v.cards
    .filter((c) => c.originalOwner === -1)
    .map((c) => give(c.index, v.members.find((m) => m.knows.includes(c.area))?.index ?? 0));
}
const idealDrops = (h: Hidden, v: View) => v.cards.filter((c) => !h.idealKept.includes(c.index)).map((c) => drop(c.index));

/** Recovers each lost area the right way: from its record, or through a specialist when nothing can. */
function recoverRight(h: Hidden): Action[] {
  const out: Action[] = [];
  for (const a of lostOf(h)) {
    const source = fullSource(a);
    if (source) out.push(search(source), recover(a.index));
    else out.push(specialist(a.index));
  }
  return out;
}

/** Every lost area is either held by a full record or unrecoverable (no luck involved), one of them unrecoverable. */
const expertSeed = firstSeedWhere(
  hiddenOf,
  (h) => lostOf(h).every((a) => a.unrecoverable || fullSource(a)) && lostOf(h).some((a) => a.unrecoverable),
);
/** Every lost area held by a full record, a serious impact that needs cards dropped. */
const recordSeed = firstSeedWhere(
  hiddenOf,
  (h) =>
    lostOf(h).every((a) => fullSource(a) !== undefined) && h.idealDropHours > 15 && (h.severity === 'high' || h.severity === 'critical'),
);

interface Case {
  name: string;
  code: BehaviorCode;
  seed: number;
  actions: (h: Hidden, v: View) => Action[];
  min?: number;
  max?: number;
}

const senior = (h: Hidden, v: View): Action[] => [
  assess(h.severity, h.radius),
  ...recoverRight(h),
  ...handOut(v),
  ...idealDrops(h, v),
  commit,
];

const CASES: Case[] = [
  // B-10 present: one failed rediscovery of the area nothing holds, then a specialist at once.
  {
    name: 'B-10 notices the failing recovery after one attempt and calls the expert',
    code: 'B-10',
    seed: expertSeed,
    actions: (h, v) => {
      const expert = lostOf(h).find((a) => a.unrecoverable) as HiddenArea;
      const rest = recoverRight(h).filter((a) => a.args?.area !== expert.index);
      return [
        assess(h.severity, h.radius),
        recover(expert.index),
        specialist(expert.index),
        ...rest,
        ...handOut(v),
        ...idealDrops(h, v),
        commit,
      ];
    },
    min: 0.9,
  },
  // B-10 violated: the same blind rediscovery three times, never diagnosed, never resolved.
  {
    name: 'B-10 repeats the failing rediscovery and persists',
    code: 'B-10',
    seed: expertSeed,
    actions: (h) => {
      const expert = lostOf(h).find((a) => a.unrecoverable) as HiddenArea;
      return [recover(expert.index), recover(expert.index), recover(expert.index), commit];
    },
    max: 0.3,
  },
  // B-12 present: searches before recovering, asks for help exactly where nothing else works, honest confidence.
  { name: 'B-12 researchable gaps researched, the expert gap escalated', code: 'B-12', seed: expertSeed, actions: senior, min: 0.9 },
  // B-12 violated: a specialist for every lost area (even those a record holds), a confidently wrong rating.
  {
    name: 'B-12 asks for help everywhere, confidently wrong',
    code: 'B-12',
    seed: recordSeed,
    actions: (h) => [assess('low', 'task', 0.95), ...lostOf(h).map((a) => specialist(a.index)), commit],
    max: 0.3,
  },
  // B-13 present: the true severity and radius rated before changing anything, a matching drop.
  { name: 'B-13 right rating first, proportionate response', code: 'B-13', seed: recordSeed, actions: senior, min: 0.9 },
  // B-13 violated: reacts first (hands out work), then rates a serious departure "low, one task", drops nothing.
  {
    name: 'B-13 reacts before assessing and rates it low',
    code: 'B-13',
    seed: recordSeed,
    actions: (h, v) => [...handOut(v), assess('low', 'task', 0.9), ...recoverRight(h), commit],
    max: 0.25,
  },
  // B-14 present: drops only what does not fit, keeps the rest, recommits after explaining.
  { name: 'B-14 proportionate replan, communicated', code: 'B-14', seed: recordSeed, actions: senior, min: 0.8 },
  // B-14 violated: throws almost the whole plan away.
  {
    name: 'B-14 throws the plan away',
    code: 'B-14',
    seed: recordSeed,
    actions: (h, v) => [assess(h.severity, h.radius), ...recoverRight(h), ...v.cards.slice(1).map((c) => drop(c.index)), commit],
    max: 0.6,
  },
  // B-14 violated: replans silently (drops, never recommits) — and forces nothing else.
  {
    name: 'B-14 silent replanning',
    code: 'B-14',
    seed: recordSeed,
    actions: (h, v) => [...idealDrops(h, v), ...Array.from({ length: compensation.maxTurns }, () => search('chat'))],
    max: 0.6,
  },
  // B-14 violated: forces the old plan (no drop) although the capacity cannot hold it.
  {
    name: 'B-14 forces the old plan',
    code: 'B-14',
    seed: recordSeed,
    actions: (h, v) => [assess(h.severity, h.radius), ...recoverRight(h), ...handOut(v), commit],
    max: 0.7,
  },
];

describe('compensation scorer', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    expectCaseScore(playActions(compensation, c.seed, c.actions(hiddenOf(c.seed), viewOf(c.seed))), c);
  });

  it('scores B-10, B-12, B-13 and B-14 with the reward.yaml signals', () => {
    const trace = playActions(compensation, recordSeed, senior(hiddenOf(recordSeed), viewOf(recordSeed)));
    const scores = expectScored(trace, ['B-10', 'B-12', 'B-13', 'B-14']);
    expect(scores.codes['B-13'].signals.map((s) => s.name)).toEqual(['severity_accuracy', 'blast_radius_accuracy', 'response_match']);
    expect(scores.codes['B-14'].signals.map((s) => s.name)).toEqual([
      'proportionality',
      'preserved_valid_parts',
      'change_communicated',
      'outcome_after_replan',
    ]);
  });

  it('orders the personas: senior > mid > junior on the behavioral mean, and flags the performative persona', () => {
    const means = behaviorMeans(compensation, ['senior', 'mid', 'junior', 'performative']);
    expect(means.senior!.behavioral).toBeGreaterThan(means.mid!.behavioral + 0.05);
    expect(means.mid!.behavioral).toBeGreaterThan(means.junior!.behavioral);
    expect(means.performative!.behavioral).toBeLessThan(means.senior!.behavioral);
    expect(means.performative!.risk).toBeGreaterThan(means.senior!.risk);
  });
});
