/**
 * Behavior codes scored on triage (E-2.1) traces: B-13 severity triage, B-14 graceful replanning,
 * B-21 status transparency.
 *
 * Evidence, structured only: the candidate's actions (investigate, assess_severity,
 * assess_blast_radius, communicate, respond_*) in order, the links the episode attaches to them
 * (response_right/wrong, severity_*, radius_*, informed_stakeholder, alarm_spread, false_blocker,
 * redundant_communication, trivia_status ...), the outcome facts and the hidden truth (true
 * severity and radius, owner, the right response, the audiences that needed the assessment).
 * One pass over the decisions. Formulas: the module's functions and docs/reward.md.
 */

import { clamp01 } from '../../core/numbers.js';
import { type CodeScore, codeScore, judgeSignal, type PerformativeRules, type ScoreContext, type SignalValue } from '../../core/scorer.js';
import type { DecisionRecord, Trace } from '../../core/trace.js';
import type { BlastRadius, Severity } from '../../spec/curriculum.js';
import { ratingAccuracy } from '../common.js';
import { RADIUS_RANK, type Response, SEVERITY_RANK, type TriageFacts, type TriageHidden } from './types.js';

type TriageTrace = Trace<TriageFacts, TriageHidden>;

/** How much each response changes the sprint plan (for proportionality). */
const CHANGE: Record<Response, number> = { defer: 0, fix_now: 1, escalate: 2 };
/** Message link effects that carry no useful information (hollow as well: see `performativeRules`). */
const NOISE: ReadonlySet<string> = new Set([
  'redundant_communication',
  'trivia_status',
  'unneeded_audience',
  'alarm_spread',
  'false_blocker',
  'understated_assessment',
]);

/** What one pass over the valid decisions collects. */
interface Walk {
  severity: { id: string; step: number; value: Severity }[];
  radius: { id: string; value: BlastRadius }[];
  responseId: string | undefined;
  responseStep: number;
  response: Response | undefined;
  messages: DecisionRecord[];
  /** Step of the first impact investigation that found something. */
  firstImpactEvidence: number;
  investigationIds: string[];
}

function walk(trace: TriageTrace): Walk {
  const w: Walk = {
    severity: [],
    radius: [],
    responseId: undefined,
    responseStep: -1,
    response: undefined,
    messages: [],
    firstImpactEvidence: -1,
    investigationIds: [],
  };
  for (const d of trace.decisions) {
    if (!d.valid) continue;
    const a = d.action;
    switch (a.type) {
      case 'assess_severity':
        w.severity.push({ id: d.id, step: d.step, value: a.args?.level as Severity });
        break;
      case 'assess_blast_radius':
        w.radius.push({ id: d.id, value: a.args?.radius as BlastRadius });
        break;
      case 'communicate':
        w.messages.push(d);
        break;
      case 'investigate':
        w.investigationIds.push(d.id);
        if (
          a.args?.area === 'impact' &&
          w.firstImpactEvidence < 0 &&
          d.links.some((l) => l.effect === 'evidence_found' || l.effect === 'evidence_misleading')
        )
          w.firstImpactEvidence = d.step;
        break;
      case 'respond_fix_now':
      case 'respond_defer':
      case 'respond_escalate':
        w.responseId = d.id;
        w.responseStep = d.step;
        w.response = a.type.slice('respond_'.length) as Response;
        break;
    }
  }
  return w;
}

/** B-13: ratings that match the truth, and a response that fits them, decided after assessing. */
function severityTriage(context: ScoreContext, w: Walk, h: TriageHidden): CodeScore {
  const lastSev = w.severity[w.severity.length - 1]?.value;
  const lastRad = w.radius[w.radius.length - 1]?.value;
  const assessedFirst = w.severity.some((s) => s.step < w.responseStep);
  let match = 0;
  let reason: string;
  if (w.response === undefined) reason = 'no response';
  else {
    match = w.response === h.rightResponse ? 1 : 0;
    if (!assessedFirst) match *= 0.6;
    reason = `${w.response} when ${h.rightResponse} was right${assessedFirst ? '' : ', reacted before rating severity'}`;
  }
  const signals: SignalValue[] = [
    { name: 'severity_accuracy', source: 'outcome', weight: 0.35, value: ratingAccuracy(lastSev, h.severity, SEVERITY_RANK) },
    { name: 'blast_radius_accuracy', source: 'outcome', weight: 0.3, value: ratingAccuracy(lastRad, h.radius, RADIUS_RANK) },
    judgeSignal('response_match', 0.35, 'B-13', context, match),
  ];
  reason = `severity ${lastSev ?? 'not rated'} (true ${h.severity}), radius ${lastRad ?? 'not rated'} (true ${h.radius}); ${reason}`;
  const ids = [...w.severity.map((s) => s.id), ...w.radius.map((r) => r.id)];
  if (w.responseId) ids.push(w.responseId);
  return codeScore('B-13', signals, ids, reason);
}

/** B-14: a plan change in proportion to the disturbance, keeping what still works, said out loud. */
function gracefulReplanning(trace: TriageTrace, context: ScoreContext, w: Walk, h: TriageHidden): CodeScore {
  const f = trace.outcome;
  const lastSev = w.severity[w.severity.length - 1]?.value;
  const lastRad = w.radius[w.radius.length - 1]?.value;
  const acting = w.response === 'fix_now' || w.response === 'escalate';
  const sevOver = acting && lastSev !== undefined ? Math.max(0, SEVERITY_RANK[lastSev] - SEVERITY_RANK[h.severity]) : 0;
  const radOver = acting && lastRad !== undefined ? Math.max(0, RADIUS_RANK[lastRad] - RADIUS_RANK[h.radius]) : 0;
  let proportion = 0;
  let reason: string;
  if (w.response === undefined) reason = 'no response: the plan was never adapted';
  else if (w.response === h.rightResponse) {
    proportion = clamp01(1 - 0.25 * sevOver);
    reason = `${w.response} fits the disturbance${sevOver > 0 ? `, but severity rated ${sevOver} step(s) high` : ''}`;
  } else if (CHANGE[w.response] > CHANGE[h.rightResponse]) {
    proportion = 0.3;
    reason = `over-reaction: ${w.response} when ${h.rightResponse} was enough`;
  } else {
    reason = `under-reaction: ${w.response} when ${h.rightResponse} was needed`;
  }
  // Kept what still works: no interrupted committed work, no swarm, no over-scoped fix; and did
  // not force the old plan (a deferral when the plan had to change keeps parts no longer valid).
  const interrupted = acting && h.rightResponse === 'defer';
  const forced = w.response === 'defer' && h.rightResponse !== 'defer';
  const preserved =
    w.response === undefined ? 0 : clamp01(1 - (interrupted || forced ? 0.5 : 0) - (sevOver > 0 ? 0.25 : 0) - (radOver > 0 ? 0.25 : 0));
  // The change said out loud, before acting, to someone who needed to hear it.
  const informedBefore = w.messages.some(
    (m) =>
      m.step < w.responseStep &&
      m.links.some(
        (l) =>
          l.effect === 'informed_stakeholder' ||
          l.effect === 'status_shared' ||
          l.effect === 'blocker_reported' ||
          l.effect === 'assessment_updated',
      ),
  );
  const communicated = w.response !== undefined && informedBefore ? 1 : 0;
  const after = 0.6 * (f.goalKept ? 1 : 0) + 0.4 * clamp01(1 + f.velocityEffect);
  const signals: SignalValue[] = [
    judgeSignal('proportionality', 0.3, 'B-14', context, proportion),
    { name: 'preserved_valid_parts', source: 'trace', weight: 0.25, value: preserved },
    { name: 'change_communicated', source: 'trace', weight: 0.2, value: communicated },
    { name: 'outcome_after_replan', source: 'outcome', weight: 0.25, value: after },
  ];
  reason += `; ${communicated ? 'told before acting' : 'acted without telling anyone who needed it'}; sprint goal ${f.goalKept ? 'kept' : 'missed'}`;
  const ids = w.messages.map((m) => m.id);
  if (w.responseId) ids.push(w.responseId);
  return codeScore('B-14', signals, ids, reason);
}

/**
 * B-21 (reward.yaml lists no signals; these follow the proxy "blockers reported before they caused
 * delay"): the audiences that needed the assessment informed (outcome), a real blocker reported
 * (trace), signal over noise in the messages (trace), assessments shared as facts — after
 * investigating the impact — rather than first impressions (trace).
 */
function statusTransparency(trace: TriageTrace, w: Walk, h: TriageHidden): CodeScore {
  const f = trace.outcome;
  const neededCount = f.neededCount || 1;
  const informed = f.neededInformed / neededCount;
  const blockerExists = f.blockerExists;
  const reported = w.messages.some((m) => m.links.some((l) => l.effect === 'blocker_reported'));
  const falseBlocker = w.messages.some((m) => m.links.some((l) => l.effect === 'false_blocker'));
  const blocker = blockerExists ? (reported ? 1 : 0) : falseBlocker ? 0 : null;
  const noisy = w.messages.filter((m) => m.links.some((l) => NOISE.has(l.effect))).length;
  const signal = w.messages.length === 0 ? 0 : clamp01(1 - noisy / w.messages.length);
  const assessments = w.messages.filter((m) => m.action.args?.content === 'assessment');
  const factual =
    assessments.length === 0
      ? null
      : assessments.filter((m) => w.firstImpactEvidence >= 0 && w.firstImpactEvidence < m.step).length / assessments.length;
  const signals: SignalValue[] = [
    { name: 'needed_audiences_informed', source: 'outcome', weight: 0.4, value: informed },
    { name: 'blocker_reported', source: 'trace', weight: 0.2, value: blocker },
    { name: 'signal_over_noise', source: 'trace', weight: 0.2, value: signal },
    { name: 'facts_over_impressions', source: 'trace', weight: 0.2, value: factual },
  ];
  const reason =
    w.messages.length === 0
      ? `silent: told nobody (${h.neededAudiences.join(', ')} needed the assessment)`
      : `${w.messages.length} message(s), ${noisy} noise; informed ${f.informedAudiences || 'none'} of ${h.neededAudiences.join(', ')}` +
        `${blockerExists ? (reported ? '; blocker reported' : '; blocker never reported') : falseBlocker ? '; false blocker' : ''}`;
  const ids = w.messages.map((m) => m.id);
  if (ids.length === 0 && w.responseId) ids.push(w.responseId);
  return codeScore('B-21', signals, ids, reason);
}

export function scoreTriage(trace: TriageTrace, context: ScoreContext): CodeScore[] {
  const h = trace.hidden;
  const w = walk(trace);
  return [severityTriage(context, w, h), gracefulReplanning(trace, context, w, h), statusTransparency(trace, w, h)];
}

/** Performative-risk rules of triage (`reward/performative.ts`). */
export const performativeRules: PerformativeRules = {
  motions: new Set(['investigate', 'assess_severity', 'assess_blast_radius', 'communicate']),
  hollow: new Set(['excess_investigation', 'nothing_new', 'severity_over', 'severity_under', 'radius_wider', 'radius_narrower', ...NOISE]),
  substantive: new Set([
    'evidence_found',
    'informed_stakeholder',
    'status_shared',
    'blocker_reported',
    'severity_accurate',
    'radius_accurate',
  ]),
};
