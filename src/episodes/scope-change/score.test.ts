/**
 * The scope_change behavior scorer (B-02, B-13, B-14, B-25) on real traces: fixed action sequences
 * played with DojoEnv on seeds chosen by their hidden truth.
 */
import { describe, expect, it } from 'vitest';
import { ask, hiddenOf, split, swap, swapCard } from '../../../test/episodes/kits/scope-change.js';
import { expectCaseScore, expectScored, firstSeedWhere, playActions, signalShape } from '../../../test/helpers.js';
import type { Action } from '../../core/episode.js';
import type { Trace } from '../../core/trace.js';
import type { BehaviorCode } from '../../spec/behaviors.js';
import { SCOPING_WEIGHTS } from '../../spec/reward.js';
import { scopeChange } from './index.js';
import { scoreScopeChange } from './score.js';
import type { ScopeChangeFacts, ScopeChangeHidden } from './types.js';

type Hidden = ScopeChangeHidden;
type ScopeChangeTrace = Trace<ScopeChangeFacts, ScopeChangeHidden>;

const play = (seed: number, actions: readonly Action[]): ScopeChangeTrace => playActions(scopeChange, seed, actions);

const accept: Action = { type: 'accept_scope', args: {}, confidence: 0.8 };
const defer: Action = { type: 'defer_scope', args: {}, confidence: 0.8 };

/** Learn, probe the minimum, negotiate what the truth calls for, decide. */
function senior(seed: number, h: Hidden): Action[] {
  if (!h.needed) return [ask('urgency'), ask('value'), defer];
  const out: Action[] = [ask('urgency'), ask('value'), ask('minimum')];
  if (h.sliceable) out.push(split);
  if (h.rightHandling.endsWith('_swap')) out.push(ask('flexibility'), swap(swapCard(seed, h)));
  out.push(accept);
  return out;
}

const sliceSeed = firstSeedWhere(hiddenOf, (h) => h.needed && h.sliceable && !h.rightHandling.endsWith('_swap'));
const swapSeed = firstSeedWhere(
  hiddenOf,
  (h, seed) => h.rightHandling === 'accept_full_swap' && play(seed, [accept]).outcome.slippedCards !== 0,
);
const waitSeed = firstSeedWhere(hiddenOf, (h) => !h.needed);

interface Case {
  name: string;
  code: BehaviorCode;
  seed: number;
  actions: (h: Hidden, seed: number) => Action[];
  min?: number;
  max?: number;
}

const CASES: Case[] = [
  // B-02 present: asks for the minimum, agrees the slice, takes in exactly that.
  { name: 'B-02 asks the minimum and takes in only the slice', code: 'B-02', seed: sliceSeed, actions: (h, s) => senior(s, h), min: 0.95 },
  // B-02 violated: builds the broadest reading — the whole card, never asking.
  { name: 'B-02 takes the whole card without probing scope', code: 'B-02', seed: sliceSeed, actions: () => [accept], max: 0.4 },
  // B-02 present on a card that can wait: deferred after learning, nothing to bound.
  { name: 'B-02 defers a card that can wait', code: 'B-02', seed: waitSeed, actions: (h, s) => senior(s, h), min: 0.95 },
  // B-02 violated: takes in a card nobody needs this sprint.
  { name: 'B-02 takes in work nobody needs now', code: 'B-02', seed: waitSeed, actions: () => [accept], max: 0.05 },
  // B-13 present: learns the urgency, then the handling that fits.
  { name: 'B-13 learns urgency and value, swaps to make room', code: 'B-13', seed: swapSeed, actions: (h, s) => senior(s, h), min: 0.95 },
  { name: 'B-13 learns the card can wait and defers it', code: 'B-13', seed: waitSeed, actions: (h, s) => senior(s, h), min: 0.95 },
  // B-13 violated: treats everything as urgent — accepts a card that can wait, without looking.
  { name: 'B-13 treats a card that can wait as urgent', code: 'B-13', seed: waitSeed, actions: () => [accept], max: 0.35 },
  // B-13 violated: treats a needed card as able to wait.
  { name: 'B-13 defers needed work unexamined', code: 'B-13', seed: swapSeed, actions: () => [defer], max: 0.05 },
  // B-14 present: the smallest swap that makes room, agreed with the product owner.
  { name: 'B-14 swaps one flexible card by agreement', code: 'B-14', seed: swapSeed, actions: (h, s) => senior(s, h), min: 0.85 },
  // B-14 violated: silent replanning that overcommits the sprint.
  { name: 'B-14 accepts on top of a full sprint silently', code: 'B-14', seed: swapSeed, actions: () => [accept], max: 0.45 },
  // B-14 violated: throws away more of the plan than needed.
  {
    name: 'B-14 swaps out every flexible card',
    code: 'B-14',
    seed: firstSeedWhere(hiddenOf, (h) => h.rightHandling === 'accept_full_swap' && h.flexibleCards.length >= 2),
    actions: (h) => [ask('flexibility'), ...h.flexibleCards.map(swap), accept],
    max: 0.75,
  },
  // B-25 present: the slice now, the rest a later story.
  { name: 'B-25 builds only the slice and notes the rest', code: 'B-25', seed: sliceSeed, actions: (h, s) => senior(s, h), min: 0.95 },
  // B-25 violated: gold-plating — the whole card when a slice was what mattered.
  { name: 'B-25 takes the whole card when a slice would do', code: 'B-25', seed: sliceSeed, actions: () => [accept], max: 0.45 },
  // B-25 violated: work nobody asked for now.
  { name: 'B-25 takes in work that could wait', code: 'B-25', seed: waitSeed, actions: () => [accept], max: 0.45 },
];

describe('scope_change behavior scorer', () => {
  it('finds seeds for every situation', () => {
    for (const seed of [sliceSeed, swapSeed, waitSeed]) expect(seed).toBeGreaterThanOrEqual(0);
  });

  for (const c of CASES) {
    it(c.name, () => {
      expectCaseScore(play(c.seed, c.actions(hiddenOf(c.seed), c.seed)), c);
    });
  }

  it('returns the signals with their names, sources and weights (B-25 as in implementation)', () => {
    const scores = scoreScopeChange(play(sliceSeed, senior(sliceSeed, hiddenOf(sliceSeed))), {});

    const w = SCOPING_WEIGHTS['B-25'];
    expect(signalShape(scores)).toEqual({
      'B-02': ['explicit_scope_question:trace:0.3', 'scope_match:outcome:0.4', 'gold_plating_penalty:outcome:0.3'],
      'B-13': ['severity_accuracy:outcome:0.35', 'blast_radius_accuracy:outcome:0.3', 'response_match:judge:0.35'],
      'B-14': [
        'proportionality:judge:0.3',
        'preserved_valid_parts:trace:0.25',
        'change_communicated:trace:0.2',
        'outcome_after_replan:outcome:0.25',
      ],
      'B-25': [
        `acceptance_criteria_coverage:outcome:${w.acceptance_criteria_coverage}`,
        `excess_work_penalty:outcome:${w.excess_work_penalty}`,
        `core_first:trace:${w.core_first}`,
      ],
    });
  });

  it('scores every code it trains when the card is simply deferred', () => {
    expect(expectScored(play(waitSeed, [defer]), ['B-02', 'B-13', 'B-14', 'B-25']).behavioral).not.toBeNull();
  });
});
