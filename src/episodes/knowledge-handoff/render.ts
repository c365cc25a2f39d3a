/**
 * How a knowledge_handoff episode renders its public state: the compact tokens for the built-in
 * model and the description for language models. Both show only what the candidate knows: who
 * holds an area once the inventory or an identification showed it, its nature and criticality
 * bucket once identified, the plan, the transfers, the last verification and the events.
 */
import { AREAS, type Area } from './outcome.js';
import { HOURS, MEMBERS, type Member } from './scenario.js';
import type { Nature } from './types.js';

/** How the candidate sees each nature once an area is identified. */
export const NATURE_TEXT: Record<Nature, string> = {
  decision: 'a decision whose why is not obvious from the code',
  procedure: 'a procedure that documents well',
  tacit: 'tacit judgment that only working side by side conveys',
};

/** What rendering reads of the episode. */
export interface Rendered {
  days: number;
  budget: number;
  hoursLeft: number;
  members: readonly Member[];
  areas: readonly Area[];
  inventoryStep: number;
  incidentHappened: boolean;
  log: readonly string[];
  /** Whether the candidate knows who holds an area. */
  holdersKnown(a: Area): boolean;
}

/** Compact tokens: the departure, the receivers, then per area what is known of it and done with it. */
export function handoffTokens(h: Rendered): string[] {
  const out = ['task:knowledge_handoff', `days:${h.days}`, `hours_left:h${Math.min(9, Math.floor(h.hoursLeft / 3))}`];
  if (h.inventoryStep >= 0) out.push('inventory');
  for (let j = 0; j < MEMBERS; j++) out.push(`m${j}:${(h.members[j] as Member).seniority}`);
  for (let i = 0; i < AREAS; i++) {
    const a = h.areas[i] as Area;
    if (h.holdersKnown(a)) out.push(`a${i}:${a.unique ? 'only_you' : 'shared'}`);
    if (a.identified > 0) out.push(`a${i}:${a.nature}`, `a${i}:crit_${a.bucket}`);
    if (a.planRank > 0) out.push(`a${i}:rank${a.planRank}`);
    for (const t of a.transfers) out.push(`a${i}:${t.method}`);
    const last = a.verifications[a.verifications.length - 1];
    if (last) out.push(`a${i}:${last.result}`);
  }
  if (h.incidentHappened) out.push('incident');
  return out;
}

/** The public state in words, for language models. */
export function handoffDescription(h: Rendered): string {
  const lines = [
    `You are leaving the team in ${h.days} working days (${h.budget} hours; ${h.hoursLeft} left). Hand over what only you know before you go: find it, transfer the most critical first with the method that suits it, and make sure someone really holds it.`,
    '',
    `Hours per action: inventory ${HOURS.inventory}, identify one area ${HOURS.identify_area}, decision record ${HOURS.document_decision_base} + ${HOURS.document_decision_element} per element (why, alternatives, assumptions), documentation ${HOURS.write_documentation}, pairing ${HOURS.schedule_pairing} (and the colleague's), plan entry ${HOURS.prioritize_handoff}, verification ${HOURS.verify_transfer}.`,
    `Receivers: ${h.members.map((m, j) => `[${j}] ${m.name} (${m.seniority})`).join(', ')}.`,
    '',
    'Knowledge areas:',
  ];
  for (let i = 0; i < AREAS; i++) {
    const a = h.areas[i] as Area;
    const parts = [`- [${i}] ${a.name}`];
    if (h.holdersKnown(a)) parts.push(a.unique ? 'only you hold it' : 'colleagues hold it too');
    if (a.identified > 0) parts.push(`${NATURE_TEXT[a.nature]}, ${a.bucket} criticality`);
    if (a.planRank > 0) parts.push(`plan rank ${a.planRank}`);
    for (const t of a.transfers)
      parts.push(
        t.method === 'schedule_pairing'
          ? `paired with ${(h.members[t.member as number] as Member).name}`
          : t.method === 'document_decision'
            ? `decision record in ${t.location}${t.why ? ' with why' : ''}${t.alternatives ? ', alternatives' : ''}${t.assumptions ? ', assumptions' : ''}`
            : `documentation in ${t.location}`,
      );
    const last = a.verifications[a.verifications.length - 1];
    if (last) parts.push(`last check: ${last.result.replace('_', ' ')}`);
    lines.push(parts.join('; '));
  }
  if (h.log.length > 0) lines.push('', ...h.log);
  return lines.join('\n');
}
