/**
 * Behavior codes scored on compensation (E-4.3) traces: B-10 stuck detection, B-12 knowing your
 * limits, B-13 severity triage, B-14 graceful replanning — with the meanings of the Stage-1/2
 * scorers (self_monitoring for B-10/B-12, triage for B-13/B-14).
 *
 * Evidence, structured only: the candidate's valid actions (assess_impact with its ratings and
 * confidence, search_artifacts, recover_knowledge, request_specialist, redistribute_work,
 * adjust_commitment), the links the episode attaches to recoveries (recovered_from_record /
 * knowledge_recovered / blind_rediscovery / recovery_failed), the outcome facts (dropped hours, commitment kept,
 * velocity) and the hidden truth (per lost area: what the artifacts hold, whether the code can be
 * read back, whether only an expert can help; the true severity and blast radius; the ideal drop
 * and the cards an ideal plan keeps). Formulas: docs/reward.md.
 */

import { clamp01, mean, meanOrNull } from '../../core/numbers.js';
import { type CodeScore, codeScore, judgeSignal, type PerformativeRules, type ScoreContext, type SignalValue } from '../../core/scorer.js';
import type { Trace } from '../../core/trace.js';
import { type BlastRadius, RADIUS_RANK, SEVERITY_RANK, type Severity } from '../../spec/curriculum.js';
import { AssertionTally, ratingAccuracy } from '../common.js';
import type { CompensationFacts, CompensationHidden, HiddenArea, Source } from './types.js';

type Hidden = CompensationHidden;
type CompensationTrace = Trace<CompensationFacts, CompensationHidden>;

/** The gap behind a lost area: a full record exists, the code can be read back, or only an expert knows. */
type Gap = 'researchable' | 'rediscoverable' | 'expert_required';

function gapOf(a: HiddenArea): Gap {
  if (Object.values(a.holds).includes('full')) return 'researchable';
  return a.unrecoverable ? 'expert_required' : 'rediscoverable';
}

interface AreaWalk {
  /** Recovery attempts in order: ok, via (full artifact, or not), decision id. */
  attempts: { ok: boolean; fromFull: boolean; id: string }[];
  specialistId: string | undefined;
  /** Failed attempts before the specialist (or before the end). */
  failuresBeforeSwitch: number;
  /** Whether a source holding a full record was searched before the first attempt. */
  searchedFullFirst: boolean;
  /** Whether any source was searched before the first attempt or the specialist. */
  searchedFirst: boolean;
}

interface Walk {
  assessments: { id: string; step: number; severity: Severity; radius: BlastRadius; confidence: number | undefined }[];
  areas: Map<number, AreaWalk>;
  /** Step of the first response: a drop/keep, a redistribution or a specialist request. */
  firstResponseStep: number;
  changeIds: string[];
  commitId: string | undefined;
  idleIds: string[];
}

function walk(trace: CompensationTrace, h: Hidden): Walk {
  const w: Walk = {
    assessments: [],
    areas: new Map(),
    firstResponseStep: -1,
    changeIds: [],
    commitId: undefined,
    idleIds: [],
  };
  for (const a of h.areas)
    if (a.lost)
      w.areas.set(a.index, {
        attempts: [],
        specialistId: undefined,
        failuresBeforeSwitch: 0,
        searchedFullFirst: false,
        searchedFirst: false,
      });
  const searched = new Set<string>();
  const respond = (step: number) => {
    if (w.firstResponseStep < 0) w.firstResponseStep = step;
  };
  for (const d of trace.decisions) {
    if (!d.valid) continue;
    const a = d.action;
    switch (a.type) {
      case 'assess_impact':
        w.assessments.push({
          id: d.id,
          step: d.step,
          severity: a.args?.severity as Severity,
          radius: a.args?.blast_radius as BlastRadius,
          confidence: a.confidence,
        });
        if (w.assessments.length > 2) w.idleIds.push(d.id);
        break;
      case 'search_artifacts': {
        const source = String(a.args?.source);
        const repeat = searched.has(source);
        searched.add(source);
        if (repeat) w.idleIds.push(d.id);
        break;
      }
      case 'recover_knowledge': {
        const area = Number(a.args?.area);
        const aw = w.areas.get(area);
        if (!aw) break;
        if (aw.attempts.length === 0 && aw.specialistId === undefined) {
          aw.searchedFirst = searched.size > 0;
          const truth = h.areas[area];
          aw.searchedFullFirst = truth !== undefined && [...searched].some((s) => truth.holds[s as Source] === 'full');
        }
        const ok = d.links.some(
          (l) => l.effect === 'recovered_from_record' || l.effect === 'knowledge_recovered' || l.effect === 'blind_rediscovery',
        );
        const fromFull = d.links.some((l) => l.effect === 'recovered_from_record');
        aw.attempts.push({ ok, fromFull, id: d.id });
        if (!ok && aw.specialistId === undefined) aw.failuresBeforeSwitch++;
        break;
      }
      case 'request_specialist': {
        const area = Number(a.args?.area);
        const aw = w.areas.get(area);
        respond(d.step);
        if (!aw) break;
        if (aw.attempts.length === 0) aw.searchedFirst = searched.size > 0;
        aw.specialistId = d.id;
        break;
      }
      case 'redistribute_work':
        respond(d.step);
        w.changeIds.push(d.id);
        break;
      case 'adjust_commitment':
        if (a.args?.decision === 'commit') w.commitId = d.id;
        else {
          respond(d.step);
          w.changeIds.push(d.id);
        }
        break;
    }
  }
  return w;
}

const recoveredIn = (aw: AreaWalk) => aw.specialistId !== undefined || aw.attempts.some((t) => t.ok);

/** B-10: a failing recovery noticed after one failure, the gap diagnosed, and the follow-up resolving it. */
function stuckDetection(h: Hidden, w: Walk): CodeScore {
  const ids: string[] = [];
  const speeds: number[] = [];
  const diagnoses: number[] = [];
  let recovered = 0;
  for (const a of h.areas) {
    const aw = w.areas.get(a.index);
    if (!aw) continue;
    for (const t of aw.attempts) ids.push(t.id);
    if (aw.specialistId) ids.push(aw.specialistId);
    const failures = aw.attempts.filter((t) => !t.ok).length;
    if (failures > 0) {
      // Switching after the first failure is the senior's move; each repeat of a failing attempt halves it.
      const switched = recoveredIn(aw);
      speeds.push(switched ? 1 / (1 + Math.max(0, aw.failuresBeforeSwitch - 1)) : 1 / (1 + failures));
    }
    if (recoveredIn(aw)) recovered++;
    const gap = gapOf(a);
    const viaSpecialist = aw.specialistId !== undefined;
    const viaFull = aw.attempts.some((t) => t.ok && t.fromFull);
    const viaCode = aw.attempts.some((t) => t.ok && !t.fromFull);
    let d = 0;
    if (gap === 'researchable') d = viaFull ? 1 : viaCode ? 0.5 : viaSpecialist ? 0.2 : 0;
    else if (gap === 'rediscoverable') d = viaCode ? 1 : viaSpecialist ? (failures > 0 ? 0.6 : 0.3) : 0;
    else d = viaSpecialist ? (aw.failuresBeforeSwitch <= 1 ? 1 : 0.6) : 0;
    diagnoses.push(d);
  }
  // No failing attempt: no stuck to detect; idle actions (repeated searches, assessments) still count.
  const speed = speeds.length > 0 ? mean(speeds) : 1 / (1 + w.idleIds.length);
  for (const id of w.idleIds) ids.push(id);
  const lost = w.areas.size;
  const signals: SignalValue[] = [
    { name: 'detection_speed', source: 'trace', weight: 0.3, value: speed },
    { name: 'diagnosis_accuracy', source: 'outcome', weight: 0.35, value: meanOrNull(diagnoses) },
    { name: 'resolution_effectiveness', source: 'outcome', weight: 0.35, value: lost > 0 ? recovered / lost : null },
  ];
  const reason = `${speeds.length} lost area(s) with failed recoveries (speed ${speed.toFixed(2)}); gaps ${h.areas
    .filter((a) => a.lost)
    .map(gapOf)
    .join(', ')}; ${recovered}/${lost} recovered`;
  return codeScore('B-10', signals, ids, reason);
}

/** B-12: confidence that tracks correctness, a specialist exactly when the team cannot recover it, the gap told apart. */
function knowingLimits(h: Hidden, w: Walk): CodeScore {
  const calibration = new AssertionTally();
  for (const a of w.assessments) calibration.add(a.confidence, a.severity === h.severity);
  const brier = calibration.brier();
  const help: number[] = [];
  const categorization: number[] = [];
  const ids = w.assessments.map((a) => a.id);
  for (const a of h.areas) {
    const aw = w.areas.get(a.index);
    if (!aw) continue;
    const requested = aw.specialistId !== undefined;
    if (aw.specialistId) ids.push(aw.specialistId);
    help.push(a.unrecoverable === requested ? 1 : 0);
    const gap = gapOf(a);
    let c = 0;
    if (gap === 'researchable') c = aw.searchedFullFirst ? 1 : requested ? 0 : recoveredIn(aw) ? 0.4 : 0;
    else {
      const rightKind = gap === 'expert_required' ? requested : aw.attempts.some((t) => t.ok);
      c = (aw.searchedFirst ? 0.5 : 0) + (rightKind ? 0.5 : 0);
    }
    categorization.push(c);
  }
  const signals: SignalValue[] = [
    { name: 'self_assessment_accuracy', source: 'outcome', weight: 0.4, value: calibration.calibration() },
    { name: 'appropriate_help_seeking', source: 'outcome', weight: 0.35, value: meanOrNull(help) },
    { name: 'gap_categorization', source: 'trace', weight: 0.25, value: meanOrNull(categorization) },
  ];
  const reason = `${w.assessments.length} assessment(s), Brier ${brier === null ? 'n/a' : brier.toFixed(2)}; help sought right for ${help.filter((x) => x === 1).length}/${help.length} lost area(s)`;
  return codeScore('B-12', signals, ids, reason);
}

/**
 * How close the dropped hours come to what the real capacity required. The plan is what was agreed
 * with the product owner: drops never recommitted change nothing.
 */
function proportionality(trace: CompensationTrace, h: Hidden): number {
  const dropped = trace.outcome.committed ? trace.outcome.droppedHours : 0;
  const total = trace.outcome.originalHours;
  const scale = Math.max(15, 0.25 * total);
  return clamp01(1 - Math.abs(dropped - h.idealDropHours) / scale);
}

/** B-13: severity and blast radius rated right, and a response that fits them, decided after assessing. */
function severityTriage(trace: CompensationTrace, context: ScoreContext, h: Hidden, w: Walk): CodeScore {
  const last = w.assessments[w.assessments.length - 1];
  const assessedFirst = w.assessments.length > 0 && (w.firstResponseStep < 0 || w.assessments[0]!.step < w.firstResponseStep);
  let match = proportionality(trace, h);
  if (!assessedFirst) match *= 0.6;
  const signals: SignalValue[] = [
    { name: 'severity_accuracy', source: 'outcome', weight: 0.35, value: ratingAccuracy(last?.severity, h.severity, SEVERITY_RANK) },
    { name: 'blast_radius_accuracy', source: 'outcome', weight: 0.3, value: ratingAccuracy(last?.radius, h.radius, RADIUS_RANK) },
    judgeSignal('response_match', 0.35, 'B-13', context, match),
  ];
  const reason = `rated ${last ? `${last.severity}/${last.radius}` : 'nothing'} (true ${h.severity}/${h.radius}); dropped ${trace.outcome.droppedHours} h of an ideal ${h.idealDropHours} h${assessedFirst ? '' : '; reacted before assessing'}`;
  return codeScore('B-13', signals, [...w.assessments.map((a) => a.id), ...w.changeIds], reason);
}

/** B-14: a plan change in proportion to the lost capacity, keeping what still fits, said out loud, and delivered. */
function gracefulReplanning(trace: CompensationTrace, context: ScoreContext, h: Hidden, w: Walk): CodeScore {
  const f = trace.outcome;
  const dropped = new Set<number>();
  for (const d of trace.decisions) {
    if (!d.valid || d.action.type !== 'adjust_commitment') continue;
    const card = Number(d.action.args?.card);
    if (d.action.args?.decision === 'drop') dropped.add(card);
    if (d.action.args?.decision === 'keep') dropped.delete(card);
  }
  const preserved = h.idealKept.length > 0 ? h.idealKept.filter((c) => !dropped.has(c)).length / h.idealKept.length : 1;
  // Said what changed and why: recommitted with the product owner, after an assessment that explains it.
  const communicated = w.commitId === undefined ? 0 : w.assessments.length > 0 ? 1 : 0.5;
  const after = 0.6 * f.commitmentKept + 0.4 * clamp01(1 + f.velocityEffect);
  const signals: SignalValue[] = [
    judgeSignal('proportionality', 0.3, 'B-14', context, proportionality(trace, h)),
    { name: 'preserved_valid_parts', source: 'trace', weight: 0.25, value: preserved },
    { name: 'change_communicated', source: 'trace', weight: 0.2, value: communicated },
    { name: 'outcome_after_replan', source: 'outcome', weight: 0.25, value: after },
  ];
  const ids = [...w.changeIds];
  if (w.commitId) ids.push(w.commitId);
  const reason = `dropped ${dropped.size} card(s) (${f.droppedHours} h, ideal ${h.idealDropHours} h); kept ${Math.round(preserved * 100)}% of what fits; ${w.commitId ? 'recommitted' : 'never recommitted (silent replanning)'}; commitment kept ${f.commitmentKept}`;
  return codeScore('B-14', signals, ids, reason);
}

export function scoreCompensation(trace: CompensationTrace, context: ScoreContext): CodeScore[] {
  const h = trace.hidden;
  const w = walk(trace, h);
  return [stuckDetection(h, w), knowingLimits(h, w), severityTriage(trace, context, h, w), gracefulReplanning(trace, context, h, w)];
}

/** Performative-risk rules of compensation (`reward/performative.ts`). */
export const performativeRules: PerformativeRules = {
  motions: new Set(['assess_impact', 'search_artifacts', 'recover_knowledge', 'request_specialist', 'redistribute_work']),
  hollow: new Set([
    'assessment_optimistic',
    'assessment_pessimistic',
    'blast_radius_wrong',
    'repeated_assessment',
    'redundant_search',
    'nothing_found',
    'recovery_failed',
    'specialist_unneeded',
    'owner_lacks_knowledge',
    'quality_regression',
  ]),
  substantive: new Set(['artifact_found', 'recovered_from_record', 'knowledge_recovered', 'specialist_needed', 'knowledgeable_owner']),
};
