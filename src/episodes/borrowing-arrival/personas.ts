/**
 * Persona strategies for E-3.1 borrowing_arrival (public view only).
 *
 * Senior (B-18, B-19, B-20, B-22): reads the roadmap and the contributing guide first, then the
 * entry point, a main abstraction and the tests, the config when it still does not know how to
 * run the tests, and the architecture notes when layout or logging is still open; tops up thin
 * convention evidence with a code search (or the second core file), states each convention once
 * the evidence is clear, asks the team only about what neither docs nor code settled — saying what
 * it tried and proposing an answer — confirms the priority by proposing the roadmap's item (or
 * asks), then starts on the confirmed priority. Mid: skims the contributing guide, reads the entry
 * point and one core file (not the tests), states the conventions that happen to be clear, asks
 * one "I tried" question, proposes the loudest need and asks about the priority when it is turned
 * down. Junior: reads the entry point only, asks vague questions ("what should I work on?", "how
 * do I run this?" — often what the docs answer), and starts on the loudest request (or the one it
 * was told) in its own home style.
 */

import type { Action } from '../../core/episode.js';
import type { Personas } from '../../core/episode-type.js';
import type { StructuredObservation } from '../../core/observation.js';
import type { Rng } from '../../core/rng.js';
import { ASPECTS, type BorrowingArrivalView, type FileRole, type Section, type Topic } from './types.js';

type Observation = StructuredObservation<BorrowingArrivalView>;

const read = (view: BorrowingArrivalView, section: Section) => view.docs.some((d) => d.section === section && d.read);
const fileOf = (view: BorrowingArrivalView, role: FileRole) => view.files.find((f) => f.role === role && f.reads === 0);
const roleRead = (view: BorrowingArrivalView, role: FileRole) => view.files.some((f) => f.role === role && f.reads > 0);
const filesRead = (view: BorrowingArrivalView) => view.files.filter((f) => f.reads > 0).length;
const loudest = (view: BorrowingArrivalView) => view.needs.find((n) => n.loudest)?.index ?? 0;
const askedAbout = (view: BorrowingArrivalView, topic: Topic) => view.questions.filter((q) => q.topic === topic).length;

function readRole(view: BorrowingArrivalView, role: FileRole): Action | undefined {
  const f = fileOf(view, role);
  return f ? { type: 'read_file', args: { file: f.index } } : undefined;
}

/** The need a senior believes is the top one: confirmed, else the roadmap's item, else the likeliest by requester. */
function bestGuess(view: BorrowingArrivalView): number {
  if (view.priority !== null) return view.priority;
  const roadmap = view.roadmap?.topItem;
  if (roadmap !== null && roadmap !== undefined && !view.needs[roadmap]?.ruledOut) return roadmap;
  const rank: Record<string, number> = { team_lead: 4, product_owner: 3, developer: 2, stakeholder: 1 };
  const open = view.needs.filter((n) => !n.ruledOut);
  open.sort((a, b) => (rank[b.requester] ?? 0) - (rank[a.requester] ?? 0) || b.mentions - a.mentions);
  return open[0]?.index ?? 0;
}

function senior(observation: Observation): Action {
  const view = observation.state;
  const lastTurns = observation.maxTurns - observation.turn;
  if (lastTurns <= 1) return { type: 'start_work', args: { need: bestGuess(view) } };
  // Docs first: the roadmap (priority) and the contributing guide (conventions).
  if (!read(view, 'roadmap')) return { type: 'read_docs', args: { section: 'roadmap' } };
  if (!read(view, 'contributing')) return { type: 'read_docs', args: { section: 'contributing' } };
  // The layout's key parts before writing: entry point, a main abstraction, the tests.
  for (const role of ['entry', 'core', 'tests'] as const) if (!roleRead(view, role)) return readRole(view, role) as Action;
  if (view.setup === null && !roleRead(view, 'config')) return readRole(view, 'config') as Action;
  const open = ASPECTS.filter((a) => view.conventions[a] === null);
  if ((view.conventions.module_layout === null || view.conventions.logging === null) && !read(view, 'architecture'))
    return { type: 'read_docs', args: { section: 'architecture' } };
  // Conventions: state what the evidence settles; top up thin evidence with a search, then the second core file.
  for (const aspect of open) if (view.evidence[aspect] >= 2) return { type: 'identify_conventions', args: { aspect }, confidence: 0.85 };
  for (const aspect of open) if (!view.searched.includes(aspect)) return { type: 'search_code', args: { pattern: aspect } };
  if (open.some((a) => a === 'naming' || a === 'error_handling' || a === 'module_layout') && filesRead(view) < 5) {
    const next = readRole(view, 'core');
    if (next) return next;
  }
  // Still unsettled: ask, saying what was tried and proposing the answer the evidence leans to.
  for (const aspect of open)
    if (askedAbout(view, aspect) < 2)
      return { type: 'ask_team', args: { topic: aspect, context: view.evidence[aspect] >= 1 ? 'tried_and_proposal' : 'tried' } };
  if (view.setup === null && askedAbout(view, 'setup') < 2)
    return { type: 'ask_team', args: { topic: 'setup', context: 'tried_and_proposal' } };
  // Priority: confirm before starting.
  if (view.priority === null) {
    const roadmap = view.roadmap?.topItem;
    if (roadmap !== null && roadmap !== undefined && !view.needs[roadmap]?.proposed)
      return { type: 'propose_contribution', args: { need: roadmap } };
    if (askedAbout(view, 'priority') < 2) return { type: 'ask_team', args: { topic: 'priority', context: 'tried_and_proposal' } };
    const guess = view.needs.find((n) => n.index === bestGuess(view));
    if (guess && !guess.proposed) return { type: 'propose_contribution', args: { need: guess.index } };
  }
  return { type: 'start_work', args: { need: bestGuess(view) } };
}

function mid(observation: Observation, rng: Rng): Action {
  const view = observation.state;
  if (observation.maxTurns - observation.turn <= 1) return { type: 'start_work', args: { need: view.priority ?? loudest(view) } };
  if (!read(view, 'contributing')) return { type: 'read_docs', args: { section: 'contributing' } };
  for (const role of ['entry', 'core'] as const) if (!roleRead(view, role)) return readRole(view, role) as Action;
  const open = ASPECTS.filter((a) => view.conventions[a] === null);
  const stated = new Set(view.identified.map((i) => i.aspect));
  for (const aspect of open)
    if (view.evidence[aspect] >= 2 && !stated.has(aspect)) return { type: 'identify_conventions', args: { aspect }, confidence: 0.8 };
  // One question about an open convention, saying it looked around (not always backed).
  if (view.questions.filter((q) => q.topic !== 'priority').length === 0 && open.length > 0)
    return { type: 'ask_team', args: { topic: rng.pick(open), context: 'tried' } };
  if (view.priority === null) {
    const loud = view.needs.find((n) => n.loudest);
    if (loud && !loud.proposed) return { type: 'propose_contribution', args: { need: loud.index } };
    if (askedAbout(view, 'priority') === 0) return { type: 'ask_team', args: { topic: 'priority', context: 'tried' } };
  }
  const target = view.priority ?? view.needs.find((n) => !n.ruledOut)?.index ?? loudest(view);
  return { type: 'start_work', args: { need: target } };
}

function junior(observation: Observation, rng: Rng): Action {
  const view = observation.state;
  const turn = observation.turn;
  // One level only: the entry point, never the main abstractions or the tests.
  if (turn === 0) return readRole(view, 'entry') ?? { type: 'start_work', args: { need: loudest(view) } };
  // "What should I work on?" and "how do I run this?" — vague, before looking (the docs may well answer them).
  if (turn === 1 && rng.chance(0.5)) return { type: 'ask_team', args: { topic: 'priority', context: 'none' } };
  if (!view.questions.some((q) => q.topic === 'setup') && view.questions.length < 2 && rng.chance(0.7))
    return { type: 'ask_team', args: { topic: 'setup', context: 'none' } };
  if (view.questions.length < 2 && rng.chance(0.4)) {
    const topic = rng.pick(['naming', 'error_handling', 'test_style', 'module_layout', 'logging']);
    return { type: 'ask_team', args: { topic, context: rng.chance(0.8) ? 'none' : 'tried' } };
  }
  return { type: 'start_work', args: { need: view.priority ?? loudest(view) } };
}

/**
 * Performative: goes through every motion — reads every file in listed order (legacy and vendored
 * included), searches every pattern, states every convention right away (mostly unsettled), asks
 * every convention with "tried and here is my proposal" whatever it read, proposes the loudest
 * need — then starts on the loudest need whatever the team said.
 */
function performative(observation: Observation): Action {
  const view = observation.state;
  const start: Action = { type: 'start_work', args: { need: loudest(view) } };
  if (observation.turn >= observation.maxTurns - 1) return start;
  const unread = view.files.find((f) => f.reads === 0);
  if (unread && filesRead(view) < 6) return { type: 'read_file', args: { file: unread.index } };
  for (const aspect of ASPECTS) if (!view.searched.includes(aspect)) return { type: 'search_code', args: { pattern: aspect } };
  const stated = new Set(view.identified.map((i) => i.aspect));
  for (const aspect of ASPECTS) if (!stated.has(aspect)) return { type: 'identify_conventions', args: { aspect }, confidence: 0.9 };
  for (const aspect of ASPECTS.slice(0, 3))
    if (askedAbout(view, aspect) === 0) return { type: 'ask_team', args: { topic: aspect, context: 'tried_and_proposal' } };
  if (!view.needs.some((n) => n.proposed)) return { type: 'propose_contribution', args: { need: loudest(view) } };
  return start;
}

export const borrowingArrivalPersonas: Personas<BorrowingArrivalView> = { senior, mid, junior, performative };
