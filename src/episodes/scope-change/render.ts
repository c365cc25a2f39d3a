/**
 * The texts of a scope_change episode: what analyses and the product owner say, the compact tokens
 * and the natural-language description of the public state, and the vocabulary of the tokens.
 */
import type { Negotiation } from './outcome.js';
import { CARDS, committedRemaining, flexibleCards, type Scenario, SPRINT_LENGTH } from './scenario.js';
import { ASPECTS, type Aspect, SIZES, URGENCIES, type Urgency, VALUES, type Value } from './types.js';

export const VALUE_TEXT: Record<Value, string> = {
  low: 'a nice-to-have: few users would notice it',
  medium: 'worth having: it saves real work for one group of users',
  high: 'important: it unblocks revenue or a commitment to customers',
};
export const URGENCY_TEXT: Record<Urgency, string> = {
  later: 'nothing breaks if it waits for the next sprint',
  this_sprint: 'it must land before the sprint review',
  now: 'it is needed within days: a deadline outside the team depends on it',
};

/** What one analysis of `aspect` says (`value` is what it found, right or not). */
export function evidenceText(x: Scenario, aspect: Aspect, value: string): string {
  if (aspect === 'value') return `Analysis of "${x.context.newCard}": its value looks ${value}, ${VALUE_TEXT[value as Value]}.`;
  if (aspect === 'urgency')
    return `Analysis of "${x.context.newCard}": urgency ${value.replace('_', ' ')}, ${URGENCY_TEXT[value as Urgency]}.`;
  return `Estimation of "${x.context.newCard}": the team sizes it at ${value} points.`;
}

/** The product owner on the minimum deliverable. */
export function minimumText(x: Scenario): string {
  return x.sliceable
    ? `The product owner: the minimum that matters now is ${x.context.slice} (about ${x.slice} point${x.slice > 1 ? 's' : ''}); ${x.context.rest} can wait as a later story.`
    : `The product owner: there is no useful smaller piece of "${x.context.newCard}"; it ships whole or not at all.`;
}

/** The product owner on which committed cards could make room. */
export function flexibilityText(x: Scenario): string {
  const cards = flexibleCards(x);
  return `The product owner: to make room I could give up card${cards.length > 1 ? 's' : ''} ${cards.join(' and ')}; the rest are promised to stakeholders.`;
}

export function scopeChangeTokens(s: Negotiation): string[] {
  const x = s.scenario;
  const out = [
    'task:scope_change',
    `days_left:${x.daysLeft}`,
    `slack:${x.slack}`,
    `claimed:${x.claimedUrgency}`,
    `rough_size:${x.roughSize}`,
  ];
  x.cards.forEach((c, i) => {
    out.push(`c${i}:r${Math.min(5, c.remaining)}`);
    if (c.goal) out.push(`c${i}:goal`);
  });
  for (const e of s.evidence) out.push(e.value === null ? `assessed:${e.aspect}:nothing_new` : `assessed:${e.aspect}:${e.value}`);
  for (const e of s.exchanges) {
    if (e.kind === 'ask') {
      if (e.topic === 'value') out.push(`po:value:${x.value}`);
      else if (e.topic === 'urgency') out.push(`po:urgency:${x.urgency}`);
      else if (e.topic === 'minimum') out.push(x.sliceable ? `po:minimum:${x.slice}` : 'po:minimum:whole');
      else {
        out.push('po:flexibility');
        x.flexible.forEach((f, i) => {
          if (f) out.push(`po:flexible:c${i}`);
        });
      }
    } else out.push(`proposed:${e.topic}${e.card !== undefined ? `:c${e.card}` : ''}`, e.agreed ? 'po:agreed' : 'po:refused');
  }
  return out;
}

export function scopeChangeDescription(s: Negotiation): string {
  const x = s.scenario;
  const lines = [
    `You are a senior developer on day ${x.day} of a ${SPRINT_LENGTH}-day sprint. The team has ${x.capacity} points of capacity left for ${committedRemaining(x.cards)} points of committed work (slack ${x.slack}).`,
    `An unplanned card arrives from ${x.context.requester}: "${x.context.newCard}". They say it is ${x.claimedUrgency.replace('_', ' ')}; a first guess puts it at ${x.roughSize} points.`,
    'Find out what it really is, negotiate a trade-off with the product owner if needed, then accept it into the sprint or defer it.',
    '',
    'Committed cards:',
    ...x.cards.map(
      (c, i) =>
        `- [${i}] ${c.title}: ${c.remaining} of ${c.points} points left, ${c.status.replace('_', ' ')}${c.goal ? ' (sprint goal)' : ''}${s.swapsAgreed.includes(i) ? ' (agreed to swap out)' : ''}`,
    ),
  ];
  if (s.evidence.length > 0) {
    lines.push('', 'Your analysis:');
    for (const e of s.evidence) lines.push(`- ${e.text}`);
  }
  if (s.exchanges.length > 0) {
    lines.push('', 'With the product owner:');
    for (const e of s.exchanges) lines.push(`- ${e.text}`);
  }
  if (s.splitAgreed) lines.push('Agreed: only the first slice comes into this sprint.');
  lines.push(`Time spent so far: ${s.hours} hours.`);
  return lines.join('\n');
}

/** Every token `scopeChangeTokens` may produce. */
export const SCOPE_CHANGE_VOCABULARY: readonly string[] = [
  'task:scope_change',
  ...Array.from({ length: SPRINT_LENGTH }, (_, i) => `days_left:${i}`),
  'slack:0',
  'slack:1',
  'slack:2',
  ...URGENCIES.map((u) => `claimed:${u}`),
  ...SIZES.map((s) => `rough_size:${s}`),
  ...Array.from({ length: CARDS }, (_, i) => [...[0, 1, 2, 3, 4, 5].map((r) => `c${i}:r${r}`), `c${i}:goal`]).flat(),
  ...VALUES.map((v) => `assessed:value:${v}`),
  ...URGENCIES.map((u) => `assessed:urgency:${u}`),
  ...SIZES.map((s) => `assessed:size:${s}`),
  ...ASPECTS.map((a) => `assessed:${a}:nothing_new`),
  ...VALUES.map((v) => `po:value:${v}`),
  ...URGENCIES.map((u) => `po:urgency:${u}`),
  'po:minimum:1',
  'po:minimum:2',
  'po:minimum:whole',
  'po:flexibility',
  ...Array.from({ length: CARDS }, (_, i) => `po:flexible:c${i}`),
  'proposed:split',
  ...Array.from({ length: CARDS }, (_, i) => `proposed:swap:c${i}`),
  'po:agreed',
  'po:refused',
];
