/**
 * Persona strategies for E-2.1 triage (public view only).
 *
 * Senior (B-13, B-14, B-21): investigates the impact, then the spread (skipping the spread only on
 * a task-sized, low reading), and the ownership when the cause may sit outside the team (the
 * reading points outside, or the disturbance type often comes from outside) and the impact is
 * at least medium; rates severity and blast radius from the evidence with calibrated confidence;
 * tells the team the assessment, the product owner when it reaches beyond the task, the lead when
 * it escalates or the severity is critical (a blocker when the cause is outside); then responds in
 * proportion: escalate what is beyond the team or critical and sprint-wide, fix high and critical
 * now, fix medium now only when it reaches beyond the task with days to spare, defer the rest.
 * Mid: investigates the impact only, rates severity from it and the radius from the reading, tells
 * the team, fixes high and critical, escalates critical, defers the rest. Junior: reacts to the
 * loudest symptom: mostly responds at once (fix when it sounds bad), sometimes rates it critical
 * first and tells the team, rarely escalates. Performative (anti-gaming): investigates every area
 * twice (past the budget, the third look at nothing), rates everything critical and sprint-wide with
 * high confidence, tells everyone everything (assessment, status, blocker), then escalates.
 */

import type { Action } from '../../core/episode.js';
import type { Personas } from '../../core/episode-type.js';
import type { StructuredObservation } from '../../core/observation.js';
import type { Rng } from '../../core/rng.js';
import type { BlastRadius, Severity } from '../../spec/curriculum.js';
import type { Area, Owner, TriageView } from './types.js';

type Observation = StructuredObservation<TriageView>;

const RANK: Record<string, number> = { low: 0, medium: 1, high: 2, critical: 3, task: 0, story: 1, sprint: 2 };
/** Disturbance types whose cause often sits outside the team. */
const OFTEN_OUTSIDE = new Set(['dependency_breaks', 'production_incident', 'scope_creep', 'architectural_debt_surfaces']);

function reading(view: TriageView, area: Area): string {
  return view.symptoms.find((s) => s.area === area)?.reading ?? '';
}

/** The latest evidence on an area, or undefined. */
function evidence(view: TriageView, area: Area): string | undefined {
  let out: string | undefined;
  for (const f of view.findings) if (f.area === area && f.value !== null) out = f.value;
  return out;
}

function looked(view: TriageView, area: Area): boolean {
  return view.findings.some((f) => f.area === area);
}

/** The senior's response rule (the triage heuristic of an experienced engineer). */
function respond(severity: Severity, radius: BlastRadius, owner: Owner, daysLeft: number): Action['type'] {
  const s = RANK[severity] as number;
  const r = RANK[radius] as number;
  if (owner === 'outside' && s >= 1) return 'respond_escalate';
  if (s === 3 && r === 2) return 'respond_escalate';
  if (s >= 2) return 'respond_fix_now';
  if (s === 1) return r >= 1 && daysLeft >= 3 ? 'respond_fix_now' : 'respond_defer';
  return r === 2 && daysLeft >= 6 ? 'respond_fix_now' : 'respond_defer';
}

function told(view: TriageView, audience: string, content: string): boolean {
  return view.communications.some((c) => c.audience === audience && c.content === content);
}

function senior(observation: Observation): Action {
  const view = observation.state;
  if (!looked(view, 'impact')) return { type: 'investigate', args: { area: 'impact' } };
  const severity = (evidence(view, 'impact') ?? reading(view, 'impact')) as Severity;
  const spreadReading = reading(view, 'spread') as BlastRadius;
  if (!looked(view, 'spread') && !(severity === 'low' && spreadReading === 'task'))
    return { type: 'investigate', args: { area: 'spread' } };
  const radius = (evidence(view, 'spread') ?? spreadReading) as BlastRadius;
  const mayBeOutside = reading(view, 'ownership') === 'outside' || OFTEN_OUTSIDE.has(view.disturbance.type);
  if (!looked(view, 'ownership') && mayBeOutside && RANK[severity]! >= 1) return { type: 'investigate', args: { area: 'ownership' } };
  const owner = (evidence(view, 'ownership') ?? reading(view, 'ownership')) as Owner;
  const sure = (area: Area) => (evidence(view, area) !== undefined ? 0.85 : 0.55);
  if (view.assessed.severity !== severity) return { type: 'assess_severity', args: { level: severity }, confidence: sure('impact') };
  if (view.assessed.radius !== radius) return { type: 'assess_blast_radius', args: { radius }, confidence: sure('spread') };
  const response = respond(severity, radius, owner, view.sprint.daysLeft);
  if (!told(view, 'team', 'assessment')) return { type: 'communicate', args: { audience: 'team', content: 'assessment' } };
  if (RANK[radius]! >= 1 && !told(view, 'po', 'assessment'))
    return { type: 'communicate', args: { audience: 'po', content: 'assessment' } };
  if (response === 'respond_escalate' && owner === 'outside' && !told(view, 'lead', 'blocker'))
    return { type: 'communicate', args: { audience: 'lead', content: 'blocker' } };
  if ((response === 'respond_escalate' || severity === 'critical') && owner !== 'outside' && !told(view, 'lead', 'assessment'))
    return { type: 'communicate', args: { audience: 'lead', content: 'assessment' } };
  return { type: response, args: {}, confidence: evidence(view, 'impact') !== undefined ? 0.8 : 0.6 };
}

function mid(observation: Observation, rng: Rng): Action {
  const view = observation.state;
  if (!looked(view, 'impact')) return { type: 'investigate', args: { area: 'impact' } };
  const severity = (evidence(view, 'impact') ?? reading(view, 'impact')) as Severity;
  const radius = reading(view, 'spread') as BlastRadius;
  if (view.assessed.severity === null) return { type: 'assess_severity', args: { level: severity }, confidence: 0.8 };
  if (view.assessed.radius === null && rng.chance(0.6)) return { type: 'assess_blast_radius', args: { radius }, confidence: 0.75 };
  if (!told(view, 'team', 'assessment')) return { type: 'communicate', args: { audience: 'team', content: 'assessment' } };
  const s = RANK[severity] as number;
  const outside = reading(view, 'ownership') === 'outside';
  const type = s === 3 || (outside && s >= 2) ? 'respond_escalate' : s === 2 ? 'respond_fix_now' : 'respond_defer';
  return { type, args: {}, confidence: 0.8 };
}

function junior(observation: Observation, rng: Rng): Action {
  const view = observation.state;
  const loud = RANK[reading(view, 'impact')] as number;
  // Sometimes rates it (always as bad as it sounds, or worse) and tells the team first.
  if (view.assessed.severity === null && observation.turn === 0 && rng.chance(0.35))
    return { type: 'assess_severity', args: { level: loud >= 1 ? 'critical' : 'medium' }, confidence: 0.95 };
  if (view.assessed.severity !== null && view.communications.length === 0 && rng.chance(0.7))
    return { type: 'communicate', args: { audience: 'team', content: 'assessment' } };
  if (observation.turn === 0 && rng.chance(0.2)) return { type: 'investigate', args: { area: 'impact' } };
  const seen = RANK[evidence(view, 'impact') ?? reading(view, 'impact')] as number;
  const roll = rng.next();
  if (roll < 0.08) return { type: 'respond_escalate', args: {}, confidence: 0.9 };
  if (seen >= 2 || (seen === 1 && roll < 0.6)) return { type: 'respond_fix_now', args: {}, confidence: 0.95 };
  return { type: 'respond_defer', args: {}, confidence: 0.9 };
}

// --- performative: the motions without the substance ----------------------------------------------

function performative(observation: Observation): Action {
  const view = observation.state;
  const escalate: Action = { type: 'respond_escalate', args: {}, confidence: 0.95 };
  if (observation.turn >= observation.maxTurns - 1) return escalate;
  for (const area of ['impact', 'spread', 'ownership'] as const)
    if (view.findings.filter((f) => f.area === area).length < 2) return { type: 'investigate', args: { area } };
  if (view.assessed.severity === null) return { type: 'assess_severity', args: { level: 'critical' }, confidence: 0.95 };
  if (view.assessed.radius === null) return { type: 'assess_blast_radius', args: { radius: 'sprint' }, confidence: 0.95 };
  for (const [audience, content] of [
    ['team', 'assessment'],
    ['po', 'assessment'],
    ['lead', 'assessment'],
    ['team', 'status'],
    ['lead', 'blocker'],
  ] as const)
    if (!told(view, audience, content)) return { type: 'communicate', args: { audience, content } };
  return escalate;
}

export const triagePersonas: Personas<TriageView> = { senior, mid, junior, performative };
