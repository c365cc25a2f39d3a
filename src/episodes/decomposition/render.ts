/**
 * The token and text renderings of a decomposition episode's public state.
 */
import { storyText } from '../../sim/story.js';
import { HOURS_PER_DAY, SESSION_HOURS } from '../../sim/task-graph.js';
import { chosenApproach, type Planning } from './outcome.js';

/** Size bucket of an estimate: L needs two sessions, XL three (the split a session-sized plan takes). */
function sizeOf(estimate: number): 'S' | 'M' | 'L' | 'XL' {
  return estimate <= 3 ? 'S' : estimate <= SESSION_HOURS ? 'M' : estimate <= 2 * SESSION_HOURS ? 'L' : 'XL';
}

/**
 * One line per component with its state in place — size, cues (`needs:2`: it reads what C2
 * writes), the dependencies declared into it (`hard_from:2`), its tasks so far and the plan
 * position of the first (`tasks:2 first:5`, what identify_risk names), `flagged` — then one per
 * approach (`proposed`, the evidence a comparison revealed, `chosen`: the last proposed). A small
 * model reads a status next to the thing it belongs to far more easily than an event log.
 */
export function decompositionTokens(p: Planning): string[] {
  const s = p.story;
  const out = ['task:decomposition', `domain:${s.domain}`, `points:${s.points}`, `pairs:${p.pairs}`];
  for (const c of p.graph.components) {
    out.push(`comp:${c.index}`, `size:${sizeOf(c.estimate)}`);
    for (const cue of c.cues) out.push(cue.ref === undefined ? `cue:${cue.kind}` : `${cue.kind}:${cue.ref}`);
    for (const d of p.declared) if (d.to === c.index) out.push(`${d.kind}_from:${d.from}`);
    const parts = p.parts[c.index] as number;
    if (parts > 0) out.push(`tasks:${parts}`, `first:${p.first[c.index]}`);
    if (p.flagged.has(c.index)) out.push('flagged');
  }
  const chosen = p.proposals.length > 0 ? chosenApproach(p.proposals) : -1;
  for (const a of p.graph.approaches) {
    out.push(`approach:${a.index}`);
    if (p.proposed.includes(a.index)) out.push('proposed');
    if (p.evidenceShown.has(a.index)) out.push(`evidence:${a.evidence}`);
    if (a.index === chosen) out.push('chosen');
  }
  if (p.compared) out.push('compared');
  return out;
}

/** The public state in words, for language models. */
export function decompositionDescription(p: Planning): string {
  const s = p.story;
  const lines = [
    'You are a senior developer planning this refined story before the sprint. Create tasks in the order the team should work on them, declare the dependencies between components (hard: must wait; soft: can overlap), flag the risky tasks, propose and compare approaches, then signal that the plan is complete.',
    '',
    storyText(s),
    '',
    `Team: ${p.pairs} developer pairs, ${p.deadlineDays} working days left in the sprint (${HOURS_PER_DAY} focused hours a day; a task should fit in a ${SESSION_HOURS}-hour session).`,
    '',
    'Components:',
  ];
  for (const c of p.graph.components) lines.push(`- C${c.index}: ${c.description}`);
  lines.push('', 'Candidate approaches:');
  for (const a of p.graph.approaches) {
    const evidence = p.evidenceShown.has(a.index) ? ` [comparison: ${a.evidence}]` : '';
    lines.push(`- A${a.index}: ${a.title} (${a.summary})${evidence}`);
  }
  if (p.tasks.length > 0) {
    lines.push('', 'Plan so far:');
    p.tasks.forEach((t, i) => {
      const parts = p.parts[t.component] as number;
      lines.push(
        `- task ${i}: C${t.component}${parts > 1 ? ` part ${t.part + 1}` : ''}${p.flagged.has(t.component) ? ' (flagged risky)' : ''}`,
      );
    });
  }
  if (p.declared.length > 0) lines.push(`Dependencies: ${p.declared.map((d) => `C${d.to} waits for C${d.from} (${d.kind})`).join('; ')}`);
  if (p.proposals.length > 0) lines.push(`Chosen approach: A${chosenApproach(p.proposals)}`);
  return lines.join('\n');
}
