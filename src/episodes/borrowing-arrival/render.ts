/**
 * The compact tokens and the natural-language description of a borrowing_arrival episode's public
 * state: the two teams, the needs, the layout, the docs read, the conventions (home habit, what is
 * known of the team's, evidence seen), the roadmap, the setup, the confirmed priority and the
 * questions asked.
 */
import { round3 } from '../../core/numbers.js';
import type { Arrival } from './outcome.js';
import { FILES, type FileInfo } from './scenario.js';
import { ASPECTS, CONVENTION_VALUES, type Need, SECTIONS } from './types.js';

const LABELS = new Map<string, string>();

/** A snake_case name as words ("error_handling" -> "error handling"), memoized: responses use it every step. */
export function articleFree(value: string): string {
  let label = LABELS.get(value);
  if (label === undefined) {
    label = value.replaceAll('_', ' ');
    LABELS.set(value, label);
  }
  return label;
}

export function arrivalTokens(a: Arrival): string[] {
  const s = a.scenario;
  const out = [
    'task:borrowing_arrival',
    `team_domain:${s.teamDomain}`,
    `team_lang:${s.teamLanguage}`,
    `home_domain:${s.homeDomain}`,
    `home_lang:${s.homeLanguage}`,
  ];
  for (const aspect of ASPECTS) out.push(`habit:${aspect}:${s.habits[aspect]}`);
  for (let i = 0; i < s.needs.length; i++) {
    const n = s.needs[i] as Need;
    out.push(`need${i}:${n.kind}`, `need${i}:${n.requester}`, `need${i}:${n.effort}`);
    if (n.loudest) out.push(`need${i}:loudest`);
    if (a.ruledOut.has(i)) out.push(`need${i}:not_top`);
  }
  for (let i = 0; i < FILES; i++) {
    out.push(`file${i}:${(s.files[i] as FileInfo).role}`);
    if ((a.readCount[i] as number) > 0) out.push(`read:file${i}`);
  }
  for (const section of SECTIONS) if (a.sectionRead[section]) out.push(`docs:${section}`);
  for (const aspect of ASPECTS) {
    out.push(`ev:${aspect}:${Math.min(3, a.evidence[aspect])}`);
    if (a.known[aspect] !== undefined) out.push(`conv:${aspect}:${s.conventions[aspect]}`);
  }
  if (a.sectionRead.roadmap) out.push(s.roadmapSays >= 0 ? `roadmap:need${s.roadmapSays}` : 'roadmap:none');
  if (a.known.setup !== undefined) out.push('setup_known');
  if (a.known.priority !== undefined) out.push(`priority:need${s.top}`);
  for (const q of a.questions) out.push(`asked:${q.topic}:${q.effective}`, `answer:${q.quality}`);
  for (const i of a.identifications) out.push(`ident:${i.aspect}:${i.outcome}`);
  return out;
}

export function describeArrival(a: Arrival): string {
  const s = a.scenario;
  const lines = [
    `You are a senior developer from a ${articleFree(s.homeDomain)} team (${s.homeLanguage}) lent for this sprint to a ${articleFree(s.teamDomain)} team working in ${s.teamLanguage}. Find your way in their codebase, learn their conventions, find out what they need most, and make a first useful contribution without draining their time.`,
    '',
    'Needs the team has mentioned:',
  ];
  for (let i = 0; i < s.needs.length; i++) {
    const n = s.needs[i] as Need;
    const status = a.ruledOut.has(i) ? ' — the team says it is not the top priority' : '';
    lines.push(
      `- [${i}] ${n.title} (asked by the ${articleFree(n.requester)}, mentioned ${n.mentions} times, ${n.effort} effort)${n.loudest ? ' — the loudest request' : ''}${status}`,
    );
  }
  lines.push('', 'Codebase layout:');
  for (let i = 0; i < FILES; i++) {
    const f = s.files[i] as FileInfo;
    lines.push(`- [${i}] ${f.path} (${f.role})${(a.readCount[i] as number) > 0 ? ' — read' : ''}`);
  }
  lines.push('', `Docs sections: ${SECTIONS.map((section) => `${section}${a.sectionRead[section] ? ' (read)' : ''}`).join(', ')}.`);
  lines.push('', 'Conventions (your home team habit; what you know of theirs):');
  for (const aspect of ASPECTS) {
    const known = a.known[aspect] !== undefined ? `theirs: ${articleFree(s.conventions[aspect])}` : 'theirs: not known yet';
    lines.push(
      `- ${articleFree(aspect)}: options ${CONVENTION_VALUES[aspect].map(articleFree).join(' / ')}; yours: ${articleFree(s.habits[aspect])}; ${known}; evidence seen ${a.evidence[aspect]}`,
    );
  }
  if (a.sectionRead.roadmap)
    lines.push(s.roadmapSays >= 0 ? `The roadmap lists need ${s.roadmapSays} as its top item.` : 'The roadmap has no current items.');
  if (a.known.setup !== undefined) lines.push(`How to run the tests: ${s.setupText}`);
  if (a.known.priority !== undefined) lines.push(`The team confirmed need ${s.top} as its top priority.`);
  for (const q of a.questions)
    lines.push(
      `You asked the team about ${articleFree(q.topic)} (${articleFree(q.context)}): ${q.quality === 'docs_answered' ? 'they pointed you to the docs' : q.answered ? 'answered' : 'no real answer'} after ${q.exchanges} exchange(s).`,
    );
  lines.push(`Time spent: ${a.hours} h of yours, ${round3(a.teamHours)} h of the team's.`);
  return lines.join('\n');
}
