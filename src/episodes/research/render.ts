/**
 * The token and text renderings of a research episode's public state.
 */
import { round3 } from '../../core/numbers.js';
import { codeSearched, type Investigation, sourceAt } from './outcome.js';
import { answerText, type Source } from './scenario.js';
import type { AnswerId } from './types.js';

/** Labels of the distinct answers read, in the order first read (the tokens never show an answer's text). */
export const ANSWER_LABELS = ['a', 'b', 'c'] as const;

/** The question the story needs answered. */
export function questionText(r: Investigation): string {
  return `How do we enable ${r.topic.feature} with ${r.lib} in our ${r.language} ${r.domain.replaceAll('_', ' ')} codebase?`;
}

/** A version's relation to the version in use (or, before the code search, to the latest docs seen). */
function relation(r: Investigation, version: number): string {
  if (codeSearched(r)) return version === r.inUse ? 'same' : version < r.inUse ? 'older' : 'newer';
  let max = 0;
  for (const p of r.results) {
    const s = r.pool[p] as Source;
    if (s.kind === 'official_docs' && s.version > max) max = s.version;
  }
  return max === 0 ? 'unknown' : version >= max ? 'latest' : 'older';
}

export function researchTokens(r: Investigation): string[] {
  const out = ['task:research', `domain:${r.domain}`, `lang:${r.language}`, `points:${r.points}`];
  out.push(codeSearched(r) ? 'code:searched' : 'code:unsearched');
  for (const s of r.searches) out.push(`search:${s.query}`);
  const labels = new Map<AnswerId, string>();
  for (let index = 0; index < r.results.length; index++) {
    const s = sourceAt(r, index);
    out.push(`r${index}:${s.kind}`);
    if (s.kind === 'official_docs') out.push(`r${index}:title:${relation(r, s.version)}`);
    if (r.fetched.has(index)) {
      out.push(`r${index}:fetched`, `r${index}:ver:${relation(r, s.version)}`);
      if (s.answer === 'none') out.push(`r${index}:ans:none`);
      else {
        if (!labels.has(s.answer)) labels.set(s.answer, ANSWER_LABELS[labels.size] as string);
        out.push(`r${index}:ans:${labels.get(s.answer)}`);
      }
    }
  }
  if (r.synthesized >= 0) out.push(`synth:r${r.synthesized}`);
  if (r.confidence) out.push(`conf:${r.confidence}`);
  return out;
}

export function researchDescription(r: Investigation): string {
  const lines = [
    'You are a senior developer. The story needs outside information before you can implement it. Research the question, commit to an answer from a source you have read (synthesize), say how confident you are, then signal that the research is sufficient.',
    '',
    `Question: ${questionText(r)} (story of ${r.points} point${r.points === 1 ? '' : 's'})`,
  ];
  lines.push(
    codeSearched(r) ? `Codebase: ${r.pinnedText}; ${r.topic.usage}.` : 'Codebase: not searched yet (the version in use is unknown).',
  );
  if (r.results.length > 0) {
    lines.push('', 'Search results:');
    for (let index = 0; index < r.results.length; index++) {
      const s = sourceAt(r, index);
      lines.push(`[${index}] (${s.kind.replaceAll('_', ' ')}) ${s.title}: ${s.snippet}`);
      if (r.fetched.has(index)) lines.push(`    read: ${s.content} (published ${s.year})`);
    }
  }
  if (r.searches.length > 0) lines.push('', `Searches so far: ${r.searches.map((s) => s.query).join(', ')}.`);
  if (r.synthesized >= 0)
    lines.push(`Synthesized answer (from [${r.synthesized}]): ${answerText(r.answers, sourceAt(r, r.synthesized).answer)}.`);
  if (r.confidence) lines.push(`Stated confidence: ${r.confidence}.`);
  lines.push(`Hours spent on research: ${round3(r.hours)}.`);
  return lines.join('\n');
}
