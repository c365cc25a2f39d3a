/**
 * Persona strategies for E-1.1 elicitation (public view only).
 *
 * Senior (B-01..B-04): asks one specific question per unstated dimension the context hints at
 * (skipping what conventions imply), re-asks once after a vague answer, probes what is out of scope,
 * asks for an example when acceptance is unstated, states assumptions for the rest, then signals
 * ready. Mid: asks about a few hinted dimensions, sometimes implied or stated ones, no assumptions.
 * Junior: asks little and generically, sometimes about what the story already says.
 * Performative (anti-gaming): many generic questions and questions about what the story already
 * states, stated assumptions it never checks, then ready.
 */

import type { Action } from '../../core/episode.js';
import type { Personas } from '../../core/episode-type.js';
import type { StructuredObservation } from '../../core/observation.js';
import type { Rng } from '../../core/rng.js';
import { DIMENSIONS, type Dimension } from '../../sim/story.js';
import type { ElicitationView } from './types.js';

type Observation = StructuredObservation<ElicitationView>;

const ask = (dimension: Dimension | 'general'): Action => ({ type: 'ask_question', args: { dimension } });
const ready = (confidence: number): Action => ({ type: 'signal_ready', args: {}, confidence });

function history(view: ElicitationView) {
  const asked = new Map<string, number>();
  const vague = new Set<string>();
  for (const i of view.interactions) {
    if (i.kind !== 'question') continue;
    asked.set(i.dimension, (asked.get(i.dimension) ?? 0) + 1);
    if (i.answerKind === 'vague') vague.add(i.dimension);
    else vague.delete(i.dimension);
  }
  return { asked, vague };
}

function senior(observation: Observation): Action {
  const view = observation.state;
  const stated = new Set(view.statedDimensions);
  const implied = new Set(view.impliedByConventions);
  const { asked, vague } = history(view);
  const targets = view.contextHints.filter((d) => !stated.has(d) && !implied.has(d));
  if (!stated.has('scope_out') && !targets.includes('scope_out')) targets.push('scope_out');
  for (const d of targets) if (!asked.has(d)) return ask(d);
  for (const d of targets) if (vague.has(d) && (asked.get(d) ?? 0) < 2) return ask(d);
  const examples = view.interactions.filter((i) => i.kind === 'example').length;
  if (!stated.has('acceptance') && examples === 0) return { type: 'request_example', args: {} };
  const assumed = new Set(view.interactions.filter((i) => i.kind === 'assumption').map((i) => i.dimension));
  const rest = DIMENSIONS.filter((d) => !stated.has(d) && !implied.has(d) && !asked.has(d) && !assumed.has(d));
  if (rest.length > 0 && assumed.size < 3) return { type: 'state_assumption', args: { dimension: rest[0] as Dimension }, confidence: 0.6 };
  return ready(0.8);
}

function mid(observation: Observation, rng: Rng): Action {
  const view = observation.state;
  const budget = 2 + (observation.episodeId.length % 3);
  if (view.questionsAsked >= budget) return ready(0.9);
  const stated = new Set(view.statedDimensions);
  const { asked } = history(view);
  if (rng.chance(0.15) && view.statedDimensions.length > 0) return ask(rng.pick(view.statedDimensions));
  const open = view.contextHints.filter((d) => !asked.has(d) && !stated.has(d));
  if (open.length === 0) return ready(0.9);
  return ask(rng.pick(open));
}

function junior(observation: Observation, rng: Rng): Action {
  const view = observation.state;
  if (view.questionsAsked >= 2 || (view.questionsAsked >= 1 && rng.chance(0.5)) || (view.questionsAsked === 0 && rng.chance(0.35)))
    return ready(0.95);
  const roll = rng.next();
  if (roll < 0.5) return ask('general');
  if (roll < 0.8 && view.statedDimensions.length > 0) return ask(rng.pick(view.statedDimensions));
  return ask(rng.pick(view.contextHints.length > 0 ? view.contextHints : DIMENSIONS));
}

// --- performative: the motions without the substance ----------------------------------------------

const GENERIC_QUESTIONS = 3;
const ASSUMPTIONS = 3;

function performative(observation: Observation): Action {
  const view = observation.state;
  if (observation.turn >= observation.maxTurns - 1) return { type: 'signal_ready', args: {}, confidence: 0.95 };
  const questions = view.interactions.filter((i) => i.kind === 'question');
  const asked = new Set(questions.map((i) => i.dimension));
  const generic = questions.filter((i) => i.dimension === 'general').length;
  if (generic < GENERIC_QUESTIONS) return { type: 'ask_question', args: { dimension: 'general' } };
  // Questions about what the story already says, or what conventions already settle.
  for (const d of [...view.statedDimensions, ...view.impliedByConventions])
    if (!asked.has(d)) return { type: 'ask_question', args: { dimension: d } };
  // Assumptions stated with confidence and never checked with a question.
  const assumed = new Set(view.interactions.filter((i) => i.kind === 'assumption').map((i) => i.dimension));
  if (assumed.size < ASSUMPTIONS) {
    const stated = new Set(view.statedDimensions);
    const next = DIMENSIONS.find((d) => !stated.has(d) && !asked.has(d) && !assumed.has(d));
    if (next) return { type: 'state_assumption', args: { dimension: next }, confidence: 0.9 };
  }
  return { type: 'signal_ready', args: {}, confidence: 0.95 };
}

export const elicitationPersonas: Personas<ElicitationView> = { senior, mid: (o, r) => mid(o, r), junior, performative };
