/**
 * The compact tokens and the natural-language description of an onboarding_support episode's
 * public state: the team and its work mix, the newcomer's profile and self-report, the teammates,
 * the starter tasks, the sprint plan, and what the candidate did so far.
 */
import { expectationOf, type Onboarding, SPRINT_DAYS } from './outcome.js';
import { MEMBERS, type Member, type StarterTask, TASKS } from './scenario.js';
import { AREAS } from './types.js';

export function onboardingTokens(o: Onboarding): string[] {
  const s = o.scenario;
  const out = [
    'task:onboarding_support',
    `domain:${s.domain}`,
    `hired:${s.hiredAs}`,
    s.sameDomain ? 'same_domain' : 'new_domain',
    s.knowsStack ? 'knows_stack' : 'new_stack',
  ];
  for (const a of AREAS) out.push(`self:${a}:b${Math.min(9, Math.round(s.selfReport[a] * 10))}`);
  for (const a of AREAS) out.push(`mix:${a}:b${Math.min(9, Math.round(s.mix[a] * 10))}`);
  for (let i = 0; i < MEMBERS; i++) {
    const m = s.members[i] as Member;
    out.push(`m${i}:${m.primary}`, `m${i}:also:${m.secondary}`, `m${i}:load:${m.load}`);
  }
  for (let i = 0; i < TASKS; i++) {
    const t = s.tasks[i] as StarterTask;
    out.push(`t${i}:p${t.points}`);
    for (const a of t.areas) out.push(`t${i}:${a}`);
    out.push(t.clear ? `t${i}:clear` : `t${i}:open`);
  }
  for (const a of o.assessments) out.push(`assessed:${a.area}:b${Math.min(9, Math.round(a.reading * 10))}`);
  for (const n of o.named) out.push(`gap:${n.area}`);
  for (const p of o.pairings) out.push(p.accepted ? `pair:m${p.member}:${p.area}` : `declined:m${p.member}`);
  for (const c of o.contexts) out.push(`context:${c.topic}`);
  const e = expectationOf(o);
  if (e !== null) out.push(`expect:${e}`);
  if (o.assigned >= 0) out.push(`assigned:t${o.assigned}`);
  return out;
}

export function describeOnboarding(o: Onboarding): string {
  const s = o.scenario;
  const pct = (x: number) => `${Math.round(x * 100)}%`;
  const lines = [
    `You are the senior developer onboarding ${s.newcomer}, who joins your ${s.domain.replaceAll('_', ' ')} team today (hired as ${s.hiredAs}). Build a picture of their skills and gaps, set up pairing and context, adjust the sprint plan, then assign a starter task.`,
    '',
    `Team work mix: ${AREAS.map((a) => `${a} ${pct(s.mix[a])}`).join(', ')}.`,
    `${s.newcomer} ${s.sameDomain ? 'comes from the same domain' : 'is new to this domain'} and ${s.knowsStack ? 'knows the stack' : 'has not used this stack'}. Self-reported skill: ${AREAS.map((a) => `${a} ${s.selfReport[a].toFixed(1)}`).join(', ')}.`,
    '',
    'Teammates:',
  ];
  s.members.forEach((m, i) => {
    lines.push(`- [${i}] ${m.name} (${m.role.replace('_', ' ')}): expert in ${m.primary}, also ${m.secondary}; ${m.load} load this sprint`);
  });
  lines.push('', 'Starter tasks:');
  s.tasks.forEach((t, i) => {
    lines.push(`- [${i}] ${t.title} (${t.points} pt; ${t.areas.join(' + ')}; ${t.clear ? 'clear done state' : 'open-ended'})`);
  });
  const e = expectationOf(o);
  lines.push(
    '',
    `Sprint: ${SPRINT_DAYS} days, ${s.committedPoints} points committed, counting ${s.newcomer} at ${e === null ? 'full capacity (not adjusted)' : `${e} capacity`}.`,
  );
  for (const a of o.assessments) lines.push(`Assessed ${a.area}: ${a.reading.toFixed(2)}.`);
  if (o.named.length > 0) lines.push(`Gaps named: ${o.named.map((n) => n.area).join(', ')}.`);
  for (const p of o.pairings)
    lines.push(`${(s.members[p.member] as Member).name} ${p.accepted ? 'pairs' : 'declined to pair'} on ${p.area}.`);
  if (o.contexts.length > 0) lines.push(`Context given: ${o.contexts.map((c) => c.topic).join(', ')}.`);
  lines.push(`Team hours spent on onboarding: ${o.hours}.`);
  return lines.join('\n');
}
