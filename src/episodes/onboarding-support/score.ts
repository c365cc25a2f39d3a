/**
 * Behavior codes scored on onboarding_support traces (E-4.2): B-20 context acquisition efficiency,
 * B-07 appropriate granularity, B-22 help request quality.
 *
 * Interpretation for this episode (the candidate is the senior onboarding a newcomer):
 * - B-20: the candidate builds the picture of the newcomer efficiently — commitments (gaps named,
 *   pairing asked, task assigned, sprint sized) rest on assessments made first; the most critical
 *   unknowns (the areas the plausible starter tasks touch and the team's work leans on) are assessed
 *   first; the first actions are productive; the newcomer gets the context they lack and not what
 *   they know. Signals in the slots of reward.yaml's B-18_B-19_B-20 list, with the same weights.
 * - B-07 (as in decomposition: work sized to be finished and verified): the starter task is sized to
 *   the newcomer, finished within the sprint, with a clear done state and a single thing to learn;
 *   the sprint plan counts the newcomer at their true ramp-up (the commitment sized to the team).
 * - B-22: the candidate's own help requests (pairing requests to teammates) state the context and
 *   the need — the area was assessed (the newcomer's level travels with the request) and named a
 *   gap before asking — and are addressed answerably (an available expert on a real gap); and the
 *   setup makes the newcomer's own help requests answerable in one exchange (behaviors.yaml proxy).
 *
 * Evidence, structured only: the valid decisions in order, the outcome facts and the hidden truth
 * (true skills and gaps, context needs, teammates' expertise, load and availability, tasks, true
 * capacity). One pass over the decisions. Formulas: docs/reward.md (onboarding_support).
 */

import { clamp01 } from '../../core/numbers.js';
import { type CodeScore, codeScore, judgeSignal, type PerformativeRules, type ScoreContext, type SignalValue } from '../../core/scorer.js';
import type { DecisionRecord, Trace } from '../../core/trace.js';
import { CONTEXT_SESSIONS } from './outcome.js';
import { AREAS, type Area, type OnboardingSupportFacts, type OnboardingSupportHidden, type Topic } from './types.js';

/** The window of the behaviors.yaml proxy for B-20 ("within the first 5 actions"). */
const EARLY_WINDOW = 5;
/** Actions within which the first useful commitment earns the full time-to-productivity credit. */
const FIRST_COMMITMENT = 6;
/** Team work share at or above which an area is worth assessing even if no task touches it. */
const RELEVANT_MIX = 0.15;
/** Largest starter task that is a plausible candidate (points). */
const PLAUSIBLE_POINTS = 3;

type OnboardingSupportTrace = Trace<OnboardingSupportFacts, OnboardingSupportHidden>;

/** The hidden truth, with the true gaps and the lacking context topics as sets. */
interface Truth {
  hidden: OnboardingSupportHidden;
  gaps: ReadonlySet<Area>;
  needs: ReadonlySet<Topic>;
}

/** Criticality of an unknown area: the team's work share plus 0.3 per plausible task touching it. */
function criticality(area: Area, truth: Truth): number {
  let c = truth.hidden.workMix[area];
  for (const t of truth.hidden.tasks) if (t.points <= PLAUSIBLE_POINTS && t.areas.includes(area)) c += 0.3;
  return c;
}

function relevant(area: Area, truth: Truth): boolean {
  return (
    truth.hidden.workMix[area] >= RELEVANT_MIX || truth.hidden.tasks.some((t) => t.points <= PLAUSIBLE_POINTS && t.areas.includes(area))
  );
}

interface Request {
  id: string;
  member: number;
  area: Area;
  briefed: boolean;
  needStated: boolean;
}

/** What one pass over the valid decisions collects. */
interface Walk {
  valid: DecisionRecord[];
  /** Distinct areas assessed, in order, and the ids of every assessment. */
  assessedOrder: Area[];
  assessmentIds: string[];
  wastedAssessments: number;
  /** Commitments (gap named, pairing asked, task areas, sprint sized) and how many rested on an assessment. */
  commitments: number;
  backed: number;
  commitmentIds: string[];
  requests: Request[];
  contextIds: string[];
  contextTopics: Topic[];
  /** Index (among valid decisions) of the first useful commitment; -1 when none. */
  firstUseful: number;
  productiveEarly: number;
  earlyIds: string[];
  assignId: string | undefined;
  assignedTask: number;
  adjustIds: string[];
}

function walk(trace: OnboardingSupportTrace, truth: Truth): Walk {
  const hidden = truth.hidden;
  const w: Walk = {
    valid: trace.decisions.filter((d) => d.valid),
    assessedOrder: [],
    assessmentIds: [],
    wastedAssessments: 0,
    commitments: 0,
    backed: 0,
    commitmentIds: [],
    requests: [],
    contextIds: [],
    contextTopics: [],
    firstUseful: -1,
    productiveEarly: 0,
    earlyIds: [],
    assignId: undefined,
    assignedTask: -1,
    adjustIds: [],
  };
  const assessed = new Set<Area>();
  const named = new Set<Area>();
  const covered = new Set<Topic>();
  const declined = new Set<number>();
  let index = 0;
  const pendingEarly: { area: Area; early: boolean }[] = [];
  for (const d of w.valid) {
    const args = d.action.args ?? {};
    let productive = false;
    switch (d.action.type) {
      case 'assess_skills': {
        const area = args.area as Area;
        w.assessmentIds.push(d.id);
        if (assessed.has(area) || !relevant(area, truth)) w.wastedAssessments++;
        // Productive when it tells something that matters: a gap, an inflated self-report, or an
        // area of the task finally assigned (checked in `informative` after the walk).
        else if (informative(area, truth)) productive = true;
        else pendingEarly.push({ area, early: index < EARLY_WINDOW });
        if (!assessed.has(area)) w.assessedOrder.push(area);
        assessed.add(area);
        break;
      }
      case 'identify_gaps': {
        const area = args.area as Area;
        w.commitments++;
        if (assessed.has(area)) w.backed++;
        w.commitmentIds.push(d.id);
        productive = truth.gaps.has(area) && !named.has(area);
        named.add(area);
        break;
      }
      case 'suggest_pairing': {
        const area = args.area as Area;
        const member = args.member as number;
        w.commitments++;
        if (assessed.has(area)) w.backed++;
        w.commitmentIds.push(d.id);
        w.requests.push({ id: d.id, member, area, briefed: assessed.has(area), needStated: named.has(area) });
        const accepted = hidden.members[member]?.available === true && !declined.has(member);
        if (!accepted) declined.add(member);
        productive = accepted && truth.gaps.has(area);
        break;
      }
      case 'provide_context': {
        const topic = args.topic as Topic;
        w.contextIds.push(d.id);
        w.contextTopics.push(topic);
        productive = truth.needs.has(topic) && !covered.has(topic);
        covered.add(topic);
        break;
      }
      case 'adjust_sprint': {
        w.adjustIds.push(d.id);
        // Sized from the picture: at least half of the team's work share assessed first.
        let share = 0;
        for (const a of assessed) share += hidden.workMix[a];
        w.commitments++;
        if (share >= 0.5) w.backed++;
        w.commitmentIds.push(d.id);
        productive = Math.abs(Number(args.expectation) - hidden.trueCapacity) < 0.01;
        break;
      }
      case 'assign_starter_task': {
        const task = args.task as number;
        w.assignId = d.id;
        w.assignedTask = task;
        const t = hidden.tasks[task];
        if (t) {
          for (const a of t.areas) {
            w.commitments++;
            if (assessed.has(a)) w.backed++;
          }
          w.commitmentIds.push(d.id);
          productive = t.fit >= 0.8;
        }
        break;
      }
    }
    const useful =
      (d.action.type === 'identify_gaps' || d.action.type === 'suggest_pairing' || d.action.type === 'assign_starter_task') && productive;
    if (useful && w.firstUseful < 0) w.firstUseful = index;
    if (index < EARLY_WINDOW) {
      w.earlyIds.push(d.id);
      if (productive) w.productiveEarly++;
    }
    index++;
  }
  // An assessment that only confirmed the self-report was still productive if the task needed it.
  const task = hidden.tasks[w.assignedTask];
  for (const p of pendingEarly) if (p.early && task?.areas.includes(p.area)) w.productiveEarly++;
  return w;
}

/** The reading of an area reveals a gap or a self-report inflated by 0.15 or more. */
function informative(area: Area, truth: Truth): boolean {
  return truth.gaps.has(area) || truth.hidden.selfReport[area] - truth.hidden.trueSkill[area] >= 0.15;
}

/** Evidence ids; when the candidate did nothing for the code, its last decision. */
function withLast(ids: string[], trace: OnboardingSupportTrace): string[] {
  const last = trace.decisions[trace.decisions.length - 1];
  if (ids.length === 0 && last) ids.push(last.id);
  return ids;
}

/** B-20: the picture of the newcomer built from assessments, critical unknowns first, focused on the task. */
function contextAcquisition(trace: OnboardingSupportTrace, truth: Truth, w: Walk, context: ScoreContext): CodeScore {
  const f = trace.outcome;
  const hidden = truth.hidden;
  // read_before_write: commitments that rest on an assessment of what they concern.
  const readFirst = w.commitments > 0 ? w.backed / w.commitments : 0;
  // context_targeting (the newcomer's context): F1 of the topics given against the topics they lack.
  // A session is useful when the topic is lacking, new, and within what the newcomer can absorb.
  const sessions = w.contextTopics.length;
  const seen = new Set<Topic>();
  let useful = 0;
  w.contextTopics.forEach((topic, i) => {
    if (truth.needs.has(topic) && !seen.has(topic) && i < CONTEXT_SESSIONS) useful++;
    seen.add(topic);
  });
  const neededGiven = f.contextNeeded;
  const needed = truth.needs.size;
  let targeting: number | null;
  if (needed === 0) targeting = sessions === 0 ? 1 : 0;
  else if (sessions === 0 || useful === 0) targeting = 0;
  else {
    const precision = useful / sessions;
    const recall = useful / needed;
    targeting = (2 * precision * recall) / (precision + recall);
  }
  // time_to_productivity: half the behaviors.yaml proxy (productive actions among the first five),
  // half reward.yaml's "1 / actions before the first useful contribution (capped)": the first gap
  // named right, expert paired on a gap or task assigned, within FIRST_COMMITMENT actions earns 1.
  const first = w.firstUseful < 0 ? 0 : Math.min(1, FIRST_COMMITMENT / (w.firstUseful + 1));
  const early = 0.5 * (w.productiveEarly / EARLY_WINDOW) + 0.5 * first;
  // context_question_quality stand-in: the first assessments were on the most critical unknowns.
  let order = 0;
  if (w.assessedOrder.length > 0) {
    const ranked = AREAS.map((a) => criticality(a, truth)).sort((x, y) => y - x);
    let best = 0;
    let got = 0;
    for (let k = 0; k < w.assessedOrder.length; k++) {
      // Earlier assessments weigh more: position k counts 1 / (k + 1).
      const weight = 1 / (k + 1);
      best += weight * (ranked[k] ?? 0);
      got += weight * criticality(w.assessedOrder[k] as Area, truth);
    }
    // Asking the same thing twice dilutes the order.
    order = best > 0 ? clamp01(got / best) * (w.assessedOrder.length / w.assessmentIds.length) : 0;
  }
  // contribution_relevance: the picture covered the assigned task's areas, without wasted assessments.
  let relevance = 0;
  const task = hidden.tasks[w.assignedTask];
  if (task) {
    const assessed = new Set(w.assessedOrder);
    const covered = task.areas.filter((a) => assessed.has(a)).length / task.areas.length;
    const waste = w.assessmentIds.length > 0 ? w.wastedAssessments / w.assessmentIds.length : 0;
    relevance = covered * (1 - waste);
  }
  const signals: SignalValue[] = [
    { name: 'read_before_write', source: 'trace', weight: 0.2, value: readFirst },
    { name: 'context_targeting', source: 'outcome', weight: 0.25, value: targeting },
    { name: 'time_to_productivity', source: 'trace', weight: 0.25, value: early },
    judgeSignal('context_question_quality', 0.15, 'B-20', context, order),
    { name: 'contribution_relevance', source: 'outcome', weight: 0.15, value: relevance },
  ];
  const reason =
    `${w.backed}/${w.commitments} commitments rested on an assessment; ${w.productiveEarly}/${EARLY_WINDOW} productive first actions; ` +
    `${w.assessedOrder.length} areas assessed (${w.wastedAssessments} wasted); context ${neededGiven}/${sessions} sessions needed, ${needed} topics lacking`;
  const ids = [...w.earlyIds];
  for (const id of w.assessmentIds) if (!ids.includes(id)) ids.push(id);
  for (const id of w.contextIds) if (!ids.includes(id)) ids.push(id);
  return codeScore('B-20', signals, withLast(ids, trace), reason);
}

/** B-07: the starter task and the sprint expectation sized to the newcomer; finished and verifiable. */
function granularity(trace: OnboardingSupportTrace, truth: Truth, w: Walk, context: ScoreContext): CodeScore {
  const f = trace.outcome;
  const hidden = truth.hidden;
  const task = hidden.tasks[w.assignedTask];
  const planned = f.plannedCapacity;
  const expectationFit = clamp01(1 - 2 * Math.abs(planned - hidden.trueCapacity));
  const size = task ? 0.6 * f.taskSizeFit + 0.4 * expectationFit : 0.4 * expectationFit;
  const delivered = f.starterDelivered;
  const completability = task ? (delivered ? (f.starterDays <= 5 ? 1 : 0.7) : 0) : 0;
  const gapAreas = task ? task.areas.filter((a) => truth.gaps.has(a)).length : 0;
  const testability = task ? (task.clear ? (gapAreas <= 1 ? 1 : 0.5) : 0.2) : 0;
  const signals: SignalValue[] = [
    { name: 'task_size_fit', source: 'trace', weight: 0.4, value: size },
    { name: 'completability', source: 'outcome', weight: 0.3, value: completability },
    judgeSignal('testability', 0.3, 'B-07', context, testability),
  ];
  const reason = task
    ? `starter task ${task.points} pt on ${task.areas.join('+')} (${task.clear ? 'clear' : 'open-ended'}, ${gapAreas} gap areas), ${delivered ? 'delivered' : 'not delivered'} in ${f.starterDays.toFixed(1)} days; sprint plans ${planned}, true ramp-up ${hidden.trueCapacity}`
    : `no starter task; sprint plans ${planned}, true ramp-up ${hidden.trueCapacity}`;
  const ids: string[] = [];
  if (w.assignId) ids.push(w.assignId);
  for (const id of w.adjustIds) ids.push(id);
  return codeScore('B-07', signals, withLast(ids, trace), reason);
}

/** B-22: help requests that state context and need, addressed answerably; the newcomer's answered in one exchange. */
function helpRequests(trace: OnboardingSupportTrace, truth: Truth, w: Walk, context: ScoreContext): CodeScore {
  const f = trace.outcome;
  const hidden = truth.hidden;
  const rate = f.oneExchangeRate;
  const task = hidden.tasks[w.assignedTask];
  const helpNeeded = task ? task.areas.some((a) => truth.gaps.has(a)) : truth.gaps.size > 0;
  let stated: number | null = null;
  let targeted: number | null = null;
  if (w.requests.length > 0) {
    let s = 0;
    let t = 0;
    const declined = new Set<number>();
    for (const r of w.requests) {
      s += 0.5 * (r.briefed ? 1 : 0) + 0.5 * (r.needStated ? 1 : 0);
      const m = hidden.members[r.member];
      const expertise = m === undefined ? 0 : m.primary === r.area ? 1 : m.secondary === r.area ? 0.7 : 0.2;
      const accepted = m?.available === true && !declined.has(r.member);
      if (!accepted) declined.add(r.member);
      const answerable = accepted ? 1 : m?.load === 'heavy' ? 0.3 : 0.7;
      t += expertise * (truth.gaps.has(r.area) ? 1 : 0.3) * answerable;
    }
    stated = s / w.requests.length;
    targeted = t / w.requests.length;
  } else if (helpNeeded) {
    stated = 0;
    targeted = 0;
  }
  const signals: SignalValue[] = [
    { name: 'one_exchange_resolution', source: 'outcome', weight: 0.4, value: rate >= 0 ? rate : null },
    { name: 'request_context', source: 'trace', weight: 0.35, value: stated },
    judgeSignal('request_targeting', 0.25, 'B-22', context, targeted),
  ];
  const reason =
    `${w.requests.length} pairing request(s), ${w.requests.filter((r) => r.briefed).length} with the assessed level, ${w.requests.filter((r) => r.needStated).length} with the named gap; ` +
    `newcomer's help requests resolved in one exchange: ${f.helpResolvedOneExchange}/${f.helpRequests}`;
  const ids = w.requests.map((r) => r.id);
  if (w.assignId) ids.push(w.assignId);
  return codeScore('B-22', signals, withLast(ids, trace), reason);
}

export function scoreOnboardingSupport(trace: OnboardingSupportTrace, context: ScoreContext): CodeScore[] {
  const truth: Truth = { hidden: trace.hidden, gaps: new Set(trace.hidden.gaps), needs: new Set(trace.hidden.contextNeeds) };
  const w = walk(trace, truth);
  return [contextAcquisition(trace, truth, w, context), granularity(trace, truth, w, context), helpRequests(trace, truth, w, context)];
}

/** Performative-risk rules of onboarding_support (`reward/performative.ts`). */
export const performativeRules: PerformativeRules = {
  motions: new Set(['assess_skills', 'identify_gaps', 'suggest_pairing', 'provide_context']),
  hollow: new Set([
    'redundant_assessment',
    'wrong_gap',
    'duplicate_gap',
    'pairing_declined',
    'pairing_unneeded',
    'pairing_overload',
    'context_known',
    'context_repeated',
    'assessment_ignored',
  ]),
};
