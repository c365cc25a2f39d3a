/**
 * Persona strategies for E-1.4 self_monitoring (public view only).
 *
 * Senior (B-09, B-10, B-12, B-30): rereads the requirements (a misread check and a measure of the
 * acceptance criteria really met), researches the suspects that explain the most failing tests
 * (never chasing the loudest log line for its own sake) until one shows strong evidence, weighs
 * the evidence, assesses progress from the tests and criteria rather than the plan, names the
 * issue, and takes the decision its resolution supports, with confidence that follows the
 * strength of the evidence. Mid: researches the top suspect once, names it on strong evidence,
 * assesses from the test pass rate, follows the hint. Junior: claims on_track with high
 * confidence, sometimes names the loudest suspect, mostly continues (sometimes escalates trivia).
 * Performative (anti-gaming): goes through the motions of a senior without the substance —
 * assesses progress again and again as on track with high confidence, researches suspects it never
 * uses, names the loudest one, continues.
 */

import type { Action } from '../../core/episode.js';
import type { Personas } from '../../core/episode-type.js';
import type { StructuredObservation } from '../../core/observation.js';
import type { Rng } from '../../core/rng.js';
import type { Estimate, IssueCategory, ResolutionHint, SelfMonitoringView } from './types.js';

type Observation = StructuredObservation<SelfMonitoringView>;

const DECISION_FOR: Record<ResolutionHint, Action['type']> = {
  fixable_in_place: 'checkpoint_continue',
  needs_new_approach: 'checkpoint_pivot',
  needs_outside_help: 'checkpoint_escalate',
};

/** What a senior expects each category usually needs (race conditions get fixed, blockers escalated). */
const TYPICAL: Partial<Record<IssueCategory, ResolutionHint>> = {
  race_condition: 'fixable_in_place',
  design_limit: 'needs_new_approach',
  external_blocker: 'needs_outside_help',
};

const RELEVANCE_SCORE = { strong: 2, weak: 0.5, none: -1 } as const;

interface Belief {
  score: number;
  researched: number;
  strong: boolean;
  hints: Map<ResolutionHint, number>;
}

/** Evidence per suspect: a prior from the failing tests it explains, plus what was found. */
function beliefs(view: SelfMonitoringView): Belief[] {
  const failing = Math.max(1, view.tests.failing);
  const out = view.suspects.map((s) => ({
    score: s.failingTestsExplained >= failing ? 0.6 : (0.5 * s.failingTestsExplained) / failing,
    researched: 0,
    strong: false,
    hints: new Map<ResolutionHint, number>(),
  }));
  for (const f of view.findings) {
    const b = out[f.suspect];
    if (!b) continue;
    if (f.action === 'research') b.researched++;
    if (f.relevance) b.score += RELEVANCE_SCORE[f.relevance];
    if (f.action === 'reread_requirements' && f.relevance === 'none') b.score -= 1;
    if (f.relevance === 'strong') b.strong = true;
    if (f.resolutionHint) b.hints.set(f.resolutionHint, (b.hints.get(f.resolutionHint) ?? 0) + (f.relevance === 'strong' ? 1.5 : 1));
  }
  return out;
}

function best(bs: readonly Belief[]): number {
  let index = 0;
  for (let i = 1; i < bs.length; i++) if ((bs[i] as Belief).score > (bs[index] as Belief).score) index = i;
  return index;
}

function topHint(b: Belief): ResolutionHint | undefined {
  let out: ResolutionHint | undefined;
  let weight = 0;
  for (const [hint, w] of b.hints)
    if (w > weight) {
      out = hint;
      weight = w;
    }
  return out;
}

/** Progress from the evidence: tests and (if reread) acceptance criteria against the plan. */
function measuredGap(view: SelfMonitoringView): number {
  const passRatio = view.tests.passing / view.tests.total;
  const measured = view.criteriaMet === null ? passRatio : (passRatio + view.criteriaMet / view.plan.acceptanceCriteria) / 2;
  return view.plan.plannedProgress - measured;
}

function senior(observation: Observation): Action {
  const view = observation.state;
  const hasRequirementsSuspect = view.suspects.some((s) => s.category === 'requirements_misread');
  if (!view.requirementsReread) return { type: 'reread_requirements', args: {} };
  const bs = beliefs(view);
  const lead = best(bs);
  const leader = bs[lead] as Belief;
  const requirementsLead = view.suspects[lead]?.category === 'requirements_misread' && hasRequirementsSuspect && leader.strong;
  // Investigate until one suspect shows strong evidence, at most four investigative actions.
  if (!leader.strong && !requirementsLead && view.investigativeActions < 4) {
    const order = bs
      .map((b, i) => ({ i, b, cat: view.suspects[i]?.category }))
      .filter((x) => x.cat !== 'requirements_misread' && x.b.researched < 2)
      .sort((x, y) => y.b.score - x.b.score);
    const next = order[0];
    if (next) return { type: 'research', args: { topic: next.i } };
  }
  const confidence = leader.strong ? 0.8 : leader.score > 0.5 ? 0.6 : 0.4;
  // Experience: some categories have a typical resolution; a single hint against it is weighed, not obeyed.
  const category = view.suspects[lead]?.category;
  const typical = category === undefined ? undefined : TYPICAL[category];
  if (typical) leader.hints.set(typical, (leader.hints.get(typical) ?? 0) + 1.6);
  const hint = topHint(leader) ?? 'fixable_in_place';
  if (view.assessments.length === 0) {
    const gap = measuredGap(view);
    const estimate: Estimate =
      hint !== 'fixable_in_place' ? 'stuck' : gap > 0.1 || view.attemptsWithoutProgress >= 3 ? 'behind' : 'on_track';
    return { type: 'assess_progress', args: { estimate }, confidence: Math.min(0.85, confidence + 0.05) };
  }
  if (view.identified.length === 0) return { type: 'identify_issue', args: { suspect: lead }, confidence };
  return { type: DECISION_FOR[hint], args: {}, confidence };
}

function mid(observation: Observation, rng: Rng): Action {
  const view = observation.state;
  const bs = beliefs(view);
  const researched = view.findings.filter((f) => f.action === 'research').length;
  if (researched === 0) {
    const top = view.suspects.slice().sort((a, b) => b.failingTestsExplained - a.failingTestsExplained)[0];
    return { type: 'research', args: { topic: top?.index ?? 0 } };
  }
  const lead = best(bs);
  const leader = bs[lead] as Belief;
  if (view.assessments.length === 0) {
    const passRatio = view.tests.passing / view.tests.total;
    const estimate: Estimate = view.plan.plannedProgress - passRatio > 0.15 ? 'behind' : 'on_track';
    return { type: 'assess_progress', args: { estimate }, confidence: 0.75 };
  }
  if (view.identified.length === 0 && leader.strong) return { type: 'identify_issue', args: { suspect: lead }, confidence: 0.75 };
  const hint = leader.strong ? topHint(leader) : undefined;
  if (hint && rng.chance(0.85)) return { type: DECISION_FOR[hint], args: {}, confidence: 0.75 };
  return { type: 'checkpoint_continue', args: {}, confidence: 0.75 };
}

function junior(observation: Observation, rng: Rng): Action {
  const view = observation.state;
  if (view.assessments.length === 0 && view.identified.length === 0 && rng.chance(0.85)) {
    // Optimistic: on track unless most tests fail; never "stuck", always sure.
    const estimate: Estimate = view.tests.failing > view.tests.passing ? 'behind' : 'on_track';
    return { type: 'assess_progress', args: { estimate }, confidence: 0.95 };
  }
  if (view.identified.length === 0 && rng.chance(0.25)) {
    const loud = view.suspects.find((s) => s.loudest);
    return { type: 'identify_issue', args: { suspect: loud?.index ?? 0 }, confidence: 0.9 };
  }
  const roll = rng.next();
  if (roll < 0.8) return { type: 'checkpoint_continue', args: {}, confidence: 0.95 };
  if (roll < 0.92) return { type: 'checkpoint_escalate', args: {}, confidence: 0.9 };
  return { type: 'checkpoint_pivot', args: {}, confidence: 0.9 };
}

// --- performative: the motions without the substance ----------------------------------------------

const ASSESSMENTS = 3;
const RESEARCHED = 5;

function performative(observation: Observation): Action {
  const view = observation.state;
  const onTrack: Action = { type: 'assess_progress', args: { estimate: 'on_track' }, confidence: 0.95 };
  const proceed: Action = { type: 'checkpoint_continue', args: {}, confidence: 0.95 };
  if (observation.turn >= observation.maxTurns - 1) return proceed;
  const researched = view.findings.filter((f) => f.action === 'research').length;
  // Alternates confident assessments with research on every suspect in turn.
  if (view.assessments.length <= researched / 2 && view.assessments.length < ASSESSMENTS) return onTrack;
  if (researched < Math.min(RESEARCHED, 2 * view.suspects.length))
    return { type: 'research', args: { topic: researched % Math.max(1, view.suspects.length) } };
  if (view.assessments.length < ASSESSMENTS) return onTrack;
  if (view.identified.length === 0) {
    const loud = view.suspects.find((s) => s.loudest);
    return { type: 'identify_issue', args: { suspect: loud?.index ?? 0 }, confidence: 0.9 };
  }
  return proceed;
}

export const selfMonitoringPersonas: Personas<SelfMonitoringView> = { senior, mid, junior, performative };
