/**
 * Persona strategies for E-2.2 recovery (public view only).
 *
 * Senior (B-10, B-11, B-14, B-15): ranks the suspects by the failing tests they explain (never by
 * how loud they are), states a hypothesis and verifies it before touching code, moves to the next
 * suspect when refuted, fixes the cause of the confirmed one, runs the suite after the change,
 * records the root cause and a prevention, and replans by the verified blast radius (the reported
 * severity only when nothing was confirmed), telling the team what changed. Mid: verifies the top
 * suspect once without stating a hypothesis, fixes the best-evidence suspect, runs the suite half
 * the time, records a root-cause learning most of the time, replans by the reported severity.
 * Junior: patches the loudest symptom without checking, then the next suspect, captures blame or
 * symptom learnings (or none), and forces the old plan or throws it away, silently.
 * Performative (anti-gaming): a hypothesis stated on every suspect, each verified once in listed
 * order (results ignored), then a confident fix of the loudest suspect, a suite run, root-cause and
 * prevention learnings about it and a communicated partial replan — senior motions without their
 * substance.
 */

import type { Action } from '../../core/episode.js';
import type { Personas } from '../../core/episode-type.js';
import type { StructuredObservation } from '../../core/observation.js';
import type { Rng } from '../../core/rng.js';
import { SEVERITY_RANK } from '../../spec/curriculum.js';
import { type Change, type LearningKind, REPLAN_CHANGES, type RecoveryView, type ReplanChange } from './types.js';

type Observation = StructuredObservation<RecoveryView>;

const diagnose = (suspect: number, change: Change, confidence?: number): Action =>
  confidence === undefined
    ? { type: 'diagnose_root_cause', args: { suspect, change } }
    : { type: 'diagnose_root_cause', args: { suspect, change }, confidence };
const verify = (suspect: number): Action => ({ type: 'verify_hypothesis', args: { suspect } });
const learn = (kind: LearningKind, suspect: number, confidence?: number): Action =>
  confidence === undefined
    ? { type: 'capture_learning', args: { kind, suspect } }
    : { type: 'capture_learning', args: { kind, suspect }, confidence };
const replan = (change: ReplanChange, communicate: boolean, confidence?: number): Action =>
  confidence === undefined
    ? { type: 'replan_sprint', args: { change, communicate } }
    : { type: 'replan_sprint', args: { change, communicate }, confidence };

interface Evidence {
  score: number;
  checks: number;
  confirmed: boolean;
  refuted: boolean;
  exhausted: boolean;
}

/** Evidence per suspect: a prior from the failing tests it explains plus the checks before changes. */
function evidence(view: RecoveryView): Evidence[] {
  const failing = Math.max(1, view.tests.failing || view.suspects.reduce((m, s) => Math.max(m, s.failingTestsExplained), 1));
  const out = view.suspects.map((s) => ({
    score: s.failingTestsExplained >= failing ? 1 : (0.6 * s.failingTestsExplained) / failing,
    checks: 0,
    confirmed: false,
    refuted: false,
    exhausted: false,
  }));
  for (const v of view.verifications) {
    const e = out[v.suspect];
    if (!e || v.phase !== 'before_change') continue;
    e.checks++;
    if (v.result === 'confirmed') {
      e.confirmed = true;
      e.score += 3;
    } else if (v.result === 'refuted') {
      e.refuted = true;
      e.score -= 3;
    } else if (v.result === 'inconclusive') e.score += 0.2;
    else e.exhausted = true;
  }
  // A change that left the tests red rules its suspect out.
  for (const c of view.changes) if (!c.green && out[c.suspect]) (out[c.suspect] as Evidence).score -= 5;
  return out;
}

function best(es: readonly Evidence[], exclude?: (i: number) => boolean): number {
  let index = -1;
  for (let i = 0; i < es.length; i++) {
    if (exclude?.(i)) continue;
    if (index < 0 || (es[i] as Evidence).score > (es[index] as Evidence).score) index = i;
  }
  return index;
}

/** The leading suspect still worth changing: never one already fixed at the cause, refuted ones last. */
function lead(view: RecoveryView, es: readonly Evidence[]): number {
  const fixed = (i: number) => view.changes.some((c) => c.suspect === i && c.change === 'fix_cause');
  const first = best(es, (i) => fixed(i) || ((es[i] as Evidence).refuted && !(es[i] as Evidence).confirmed));
  if (first >= 0) return first;
  return Math.max(0, best(es, fixed));
}

/** True when the last change has been followed by a suite run (a verification after it). */
function lastChangeChecked(view: RecoveryView): boolean {
  const last = view.changes[view.changes.length - 1];
  if (!last) return true;
  return view.verifications.some((v) => v.step > last.step && v.phase === 'after_change');
}

function symptomOnly(view: RecoveryView): number {
  for (const v of view.verifications) if (v.result === 'symptom_only') return v.suspect;
  return -1;
}

/** Cards the damage invalidates, from a confirmed blast radius; else the reported severity. */
function damageLevel(view: RecoveryView, suspect: number): number {
  const affected = view.suspects[suspect]?.affectedCards;
  if (affected) return Math.min(3, affected.length);
  return SEVERITY_RANK[view.task.reportedSeverity];
}

function senior(observation: Observation): Action {
  const view = observation.state;
  const es = evidence(view);
  const fixed = view.changes.find((c) => c.green && c.change === 'fix_cause');
  const patchedOnly = symptomOnly(view);
  if (patchedOnly >= 0 && !view.changes.some((c) => c.suspect === patchedOnly && c.change === 'fix_cause'))
    return diagnose(patchedOnly, 'fix_cause', 0.85);
  // A change not yet checked by the suite: run it before anything else.
  const last = view.changes[view.changes.length - 1];
  if (last && !lastChangeChecked(view)) return verify(last.suspect);
  if (!view.tests.green) {
    const top = lead(view, es);
    const e = es[top] as Evidence;
    if (e.confirmed) return diagnose(top, 'fix_cause', 0.85);
    if (!view.hypotheses.some((h) => h.suspect === top)) return diagnose(top, 'state_only', 0.6);
    if (e.checks < 2 && !e.exhausted) return verify(top);
    return diagnose(top, 'fix_cause', 0.6);
  }
  const cause = fixed?.suspect ?? view.changes.find((c) => c.green)?.suspect ?? Math.max(0, best(es));
  const learned = (kind: LearningKind) => view.learnings.some((l) => l.kind === kind && l.suspect === cause);
  if (!learned('root_cause')) return learn('root_cause', cause, 0.85);
  if (!learned('prevention')) return learn('prevention', cause, 0.8);
  const level = damageLevel(view, cause);
  return replan(REPLAN_CHANGES[level] as ReplanChange, true, view.suspects[cause]?.affectedCards ? 0.8 : 0.55);
}

function mid(observation: Observation, rng: Rng): Action {
  const view = observation.state;
  const es = evidence(view);
  const last = view.changes[view.changes.length - 1];
  if (last && !lastChangeChecked(view) && view.tests.green && !view.verifications.some((v) => v.step > last.step) && rng.chance(0.5))
    return verify(last.suspect);
  if (!view.tests.green && view.changes.length < 4) {
    const top = lead(view, es);
    const e = es[top] as Evidence;
    if (e.checks === 0 && view.verifications.filter((v) => v.phase === 'before_change').length < 2) return verify(top);
    return diagnose(top, rng.chance(0.85) ? 'fix_cause' : 'patch_symptom', 0.75);
  }
  const cause = view.changes.find((c) => c.green)?.suspect ?? Math.max(0, best(es));
  if (view.learnings.length === 0) return learn(rng.chance(0.7) ? 'root_cause' : 'symptom', cause, 0.75);
  const level = SEVERITY_RANK[view.task.reportedSeverity];
  return replan(REPLAN_CHANGES[level] as ReplanChange, true, 0.75);
}

function junior(observation: Observation, rng: Rng): Action {
  const view = observation.state;
  if (!view.tests.green && view.changes.length < 3) {
    const tried = new Set(view.changes.map((c) => c.suspect));
    const loud = view.suspects.find((s) => s.loudest);
    if (loud && !tried.has(loud.index)) {
      if (view.verifications.length === 0 && rng.chance(0.15)) return verify(loud.index);
      return diagnose(loud.index, rng.chance(0.7) ? 'patch_symptom' : 'fix_cause', 0.9);
    }
    const next = view.suspects.filter((s) => !tried.has(s.index)).sort((a, b) => b.failingTestsExplained - a.failingTestsExplained)[0];
    if (next) return diagnose(next.index, rng.chance(0.6) ? 'patch_symptom' : 'fix_cause', 0.9);
  }
  const target = view.changes[view.changes.length - 1]?.suspect ?? view.suspects.find((s) => s.loudest)?.index ?? 0;
  if (view.learnings.length === 0) {
    const roll = rng.next();
    if (roll < 0.4) return learn('blame', target, 0.9);
    if (roll < 0.7) return learn('symptom', target, 0.9);
  }
  const roll = rng.next();
  const change: ReplanChange =
    roll < 0.5 ? 'keep' : roll < 0.75 ? 'full' : (REPLAN_CHANGES[SEVERITY_RANK[view.task.reportedSeverity]] as ReplanChange);
  return replan(change, rng.chance(0.3), 0.9);
}

// --- performative: the motions without the substance ----------------------------------------------

function performative(observation: Observation): Action {
  const view = observation.state;
  const loud = view.suspects.find((s) => s.loudest)?.index ?? 0;
  if (observation.turn >= observation.maxTurns - 1) return replan('partial', true, 0.9);
  for (const s of view.suspects) if (!view.hypotheses.some((h) => h.suspect === s.index)) return diagnose(s.index, 'state_only', 0.9);
  for (const s of view.suspects)
    if (!view.verifications.some((v) => v.suspect === s.index && v.phase === 'before_change')) return verify(s.index);
  if (view.changes.length === 0) return diagnose(loud, 'fix_cause', 0.95);
  if (!lastChangeChecked(view)) return verify(loud);
  if (!view.learnings.some((l) => l.kind === 'root_cause')) return learn('root_cause', loud, 0.95);
  if (!view.learnings.some((l) => l.kind === 'prevention')) return learn('prevention', loud, 0.95);
  return replan('partial', true, 0.9);
}

export const recoveryPersonas: Personas<RecoveryView> = { senior, mid, junior, performative };
