/**
 * The compact token renderings of decomposition, self-monitoring and elicitation keep each thing's
 * state next to it (see docs/env.md, "Observations"): these tests act and check where the result
 * shows up in the tokens.
 */
import { describe, expect, it } from 'vitest';
import type { Action, EpisodeWorld } from '../../src/core/episode.js';
import { DojoEnv } from '../../src/env/env.js';
import { decomposition } from '../../src/episodes/decomposition/index.js';
import { elicitation } from '../../src/episodes/elicitation/index.js';
import { selfMonitoring } from '../../src/episodes/self-monitoring/index.js';

/** The episode tokens after the actions (all must be accepted), without the env's own prefix. */
function tokensAfter(kind: EpisodeWorld, seed: number, actions: Action[]): string[] {
  const env = new DojoEnv(kind, { render: ['structured', 'tokens'] });
  let { observation } = env.resetSync({ seed });
  for (const action of actions) {
    const step = env.stepSync(action);
    expect(step.observation.structured.last?.ok, JSON.stringify(step.observation.structured.last)).toBe(true);
    observation = step.observation;
  }
  const tokens = observation.tokens ?? [];
  const vocabulary = new Set(kind.vocabulary);
  for (const t of tokens.slice(3, -1)) expect(vocabulary.has(t), `token ${t} is in ${kind.name}'s vocabulary`).toBe(true);
  return tokens.slice(3, -1);
}

/** The tokens from `start` up to (not including) the next token that matches `next`. */
function group(tokens: readonly string[], start: string, next: RegExp): string[] {
  const at = tokens.indexOf(start);
  expect(at, `${start} in ${tokens.join(' ')}`).toBeGreaterThanOrEqual(0);
  let end = at + 1;
  while (end < tokens.length && !next.test(tokens[end] as string)) end++;
  return tokens.slice(at, end);
}

describe('grouped token renderings', () => {
  it('decomposition: a component shows its declared dependencies, tasks, first task position and flag in place', () => {
    const seed = 3;
    const base = tokensAfter(decomposition, seed, []);
    const components = base.filter((t) => t.startsWith('comp:')).length;
    expect(components).toBeGreaterThanOrEqual(2);
    const tokens = tokensAfter(decomposition, seed, [
      { type: 'create_task', args: { component: 0 } },
      { type: 'create_task', args: { component: 1 } },
      { type: 'create_task', args: { component: 1 } },
      { type: 'add_dependency', args: { from: 0, to: 1, kind: 'hard' } },
      { type: 'identify_risk', args: { task: 1 } },
      { type: 'propose_approach', args: { approach: 1 } },
    ]);
    const next = /^(comp|approach):/;
    expect(group(tokens, 'comp:0', next)).toEqual([...group(base, 'comp:0', next), 'tasks:1', 'first:0']);
    expect(group(tokens, 'comp:1', next)).toEqual([...group(base, 'comp:1', next), 'hard_from:0', 'tasks:2', 'first:1', 'flagged']);
    expect(group(tokens, 'approach:1', next)).toEqual(['approach:1', 'proposed', 'chosen']);
    expect(group(tokens, 'approach:0', next)).toEqual(['approach:0']);
  });

  it('decomposition: a comparison shows each proposed approach its own evidence', () => {
    const tokens = tokensAfter(decomposition, 5, [
      { type: 'propose_approach', args: { approach: 0 } },
      { type: 'propose_approach', args: { approach: 1 } },
      { type: 'compare_approaches', args: {} },
    ]);
    const next = /^(comp|approach):|^compared$/;
    expect(group(tokens, 'approach:0', next)).toEqual(['approach:0', 'proposed', expect.stringMatching(/^evidence:/)]);
    expect(group(tokens, 'approach:1', next)).toEqual(['approach:1', 'proposed', expect.stringMatching(/^evidence:/), 'chosen']);
    expect(tokens[tokens.length - 1]).toBe('compared');
  });

  it('self-monitoring: research findings and naming sit with their suspect; a reread adds criteria_met', () => {
    const seed = 7;
    const base = tokensAfter(selfMonitoring, seed, []);
    expect(base.some((t) => t.startsWith('criteria_met:'))).toBe(false);
    const tokens = tokensAfter(selfMonitoring, seed, [
      { type: 'research', args: { topic: 2 } },
      { type: 'reread_requirements', args: {} },
      { type: 'identify_issue', args: { suspect: 2 } },
    ]);
    expect(tokens.filter((t) => t.startsWith('criteria_met:p'))).toHaveLength(1);
    const next = /^s\d:(?!explains|loudest)|^assessed:/;
    const s2 = group(tokens, tokens.find((t) => t.startsWith('s2:')) as string, next);
    expect(s2).toContain('research:s2');
    expect(s2[s2.length - 1]).toBe('identified:s2');
    for (const i of [0, 1, 3])
      expect(group(tokens, tokens.find((t) => t.startsWith(`s${i}:`)) as string, next)).not.toContain('research:s2');
  });

  it('elicitation: a question sits with what the story says of its dimension', () => {
    const seed = 11;
    const base = tokensAfter(elicitation, seed, []);
    const hinted = base.find((t) => t.startsWith('hint:')) as string;
    expect(hinted).toBeDefined();
    const dimension = hinted.slice('hint:'.length);
    const tokens = tokensAfter(elicitation, seed, [
      { type: 'ask_question', args: { dimension: 'general' } },
      { type: 'ask_question', args: { dimension } },
    ]);
    const at = tokens.indexOf(`question:${dimension}`);
    expect(at).toBeGreaterThan(tokens.indexOf(hinted));
    // Nothing about another dimension between the hint and the question.
    for (const t of tokens.slice(tokens.indexOf(hinted) + 1, at)) expect(t.endsWith(`:${dimension}`)).toBe(true);
    expect(tokens.slice(-2)).toEqual(['question:general', expect.stringMatching(/^answer:/)]);
  });
});
