/** Actions shared by the scope_change package's world and scorer tests. */

import type { Action } from '../../../src/core/episode.js';
import { scopeChange } from '../../../src/episodes/scope-change/index.js';
import type { ScopeChangeHidden } from '../../../src/episodes/scope-change/types.js';
import { createEpisode, hiddenTruth } from '../../helpers.js';

export const hiddenOf = (seed: number) => hiddenTruth(scopeChange, seed);
export const viewOf = (seed: number) => createEpisode(scopeChange, seed).view();

export const ask = (topic: string): Action => ({ type: 'ask_po', args: { topic } });
export const split: Action = { type: 'negotiate_tradeoff', args: { kind: 'split' } };
export const swap = (card: number): Action => ({ type: 'negotiate_tradeoff', args: { kind: 'swap', card } });

/** The smallest flexible card that makes room for the needed scope. */
export function swapCard(seed: number, h: ScopeChangeHidden): number {
  const v = viewOf(seed);
  const room = h.neededScope - v.sprint.slackPoints;
  const fits = v.sprint.cards
    .filter((c) => h.flexibleCards.includes(c.index) && c.remaining >= room)
    .sort((a, b) => a.remaining - b.remaining);
  return (fits[0] as { index: number }).index;
}
