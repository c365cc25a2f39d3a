/**
 * How a compensation episode renders its public state: the compact tokens for the built-in model
 * and the description for language models. Both show only what the candidate knows: the habits,
 * the members with what they know and their assigned hours, which areas are lost and recovered,
 * the cards, and what each search, recovery, specialist and assessment gave.
 */
import type { Assessment, Attempt, Search } from './outcome.js';
import { AREAS, type Area, CARDS, type Card, MEMBERS, type Member } from './scenario.js';
import type { Habits, Recovery } from './types.js';

/** What rendering reads of the episode. */
export interface Rendered {
  departed: string;
  habits: Habits;
  members: readonly Member[];
  areas: readonly Area[];
  cards: readonly Card[];
  recovered: readonly (Recovery | undefined)[];
  dropped: readonly boolean[];
  owner: readonly number[];
  searches: readonly Search[];
  attempts: readonly Attempt[];
  specialists: readonly { step: number; area: number }[];
  assessments: readonly Assessment[];
  /** Team hours spent so far. */
  hours: number;
  /** Hours of the kept cards a member owns. */
  assignedHours(member: number): number;
}

/** Compact tokens: the habits, the members and their load, the areas, the cards, then every action taken. */
export function compensationTokens(e: Rendered): string[] {
  const out = ['task:compensation', `docs:${e.habits.docs}`, `commits:${e.habits.commits}`, `tests:${e.habits.tests}`];
  for (let m = 0; m < MEMBERS; m++) {
    const member = e.members[m] as Member;
    if (member.onCall) out.push(`m${m}:on_call`);
    for (const a of member.knows) out.push(`m${m}:knows_k${a}`);
    out.push(`m${m}:load_n${Math.min(9, Math.floor(e.assignedHours(m) / 10))}`);
  }
  for (let i = 0; i < AREAS; i++) {
    const a = e.areas[i] as Area;
    if (a.lost) out.push(`k${i}:lost`, `k${i}:${a.complex ? 'complex' : 'simple'}`);
    if (e.recovered[i]) out.push(`k${i}:recovered`);
  }
  for (let c = 0; c < CARDS; c++) {
    const card = e.cards[c] as Card;
    out.push(`c${c}:k${card.area}`, `c${c}:p${card.priority}`, `c${c}:h_n${Math.min(9, Math.floor(card.hours / 10))}`);
    out.push(e.dropped[c] ? `c${c}:dropped` : e.owner[c] === -1 ? `c${c}:unowned` : `c${c}:m${e.owner[c]}`);
  }
  for (const s of e.searches) {
    out.push(`searched:${s.source}`);
    for (const f of s.found) out.push(`k${f.area}:${s.source}_${f.holds}`);
  }
  for (const t of e.attempts) out.push(`recover:k${t.area}`, t.ok ? 'recover:ok' : 'recover:failed');
  for (const a of e.specialists) out.push(`specialist:k${a.area}`);
  for (const a of e.assessments) out.push(`assessed:${a.severity}`, `radius:${a.radius}`);
  return out;
}

/** The public state in words, for language models. */
export function compensationDescription(e: Rendered): string {
  const lines = [
    `${e.departed} has just left the team, eight days before the end of the sprint. Assess the impact, recover what the artifacts still hold, decide what the team can still commit to, give the orphaned work to the right people, then recommit the sprint with the product owner.`,
    '',
    `${e.departed} wrote ${e.habits.docs} docs, ${e.habits.commits} commit messages and ${e.habits.tests} tests.`,
    '',
    'Remaining members (48 nominal hours each):',
  ];
  for (let m = 0; m < MEMBERS; m++) {
    const member = e.members[m] as Member;
    const knows = [...member.knows].map((a) => (e.areas[a] as Area).name).join(', ');
    lines.push(`- [${m}] ${member.name}${member.onCall ? ' (on call)' : ''}: knows ${knows}; assigned ${e.assignedHours(m)} h`);
  }
  lines.push('', 'Knowledge areas:');
  for (let i = 0; i < AREAS; i++) {
    const a = e.areas[i] as Area;
    lines.push(
      `- [${i}] ${a.name}: ${a.lost ? `LOST (only ${e.departed} knew it), ${a.complex ? 'complex' : 'simple'}` : 'covered'}${e.recovered[i] ? `, recovered (${e.recovered[i]})` : ''}`,
    );
  }
  lines.push('', 'Committed cards:');
  for (let c = 0; c < CARDS; c++) {
    const card = e.cards[c] as Card;
    const owner = e.owner[c] === -1 ? `nobody (was ${e.departed})` : (e.members[e.owner[c] as number] as Member).name;
    lines.push(
      `- [${c}] priority ${card.priority + 1}: ${card.title}, ${card.hours} h, area ${card.area}, owner ${owner}${e.dropped[c] ? ' (dropped)' : ''}`,
    );
  }
  for (const s of e.searches)
    lines.push(
      `Searched ${s.source}: ${s.repeat ? 'nothing new' : s.found.map((f) => `${(e.areas[f.area] as Area).name}: ${f.holds}`).join('; ')}`,
    );
  for (const t of e.attempts) lines.push(`Recovery of area ${t.area}: ${t.text}`);
  for (const s of e.specialists) lines.push(`A specialist was requested for area ${s.area}.`);
  for (const a of e.assessments) lines.push(`You assessed the impact as ${a.severity}, blast radius ${a.radius}.`);
  lines.push(`Team hours spent so far: ${e.hours}.`);
  return lines.join('\n');
}
