/**
 * The onboarding_support behavior scorer (B-20, B-07, B-22) on real traces: fixed action sequences
 * played with DojoEnv on seeds chosen by their hidden truth.
 */
import { describe, expect, it } from 'vitest';
import {
  expectCaseScore,
  expectScored,
  firstSeedWhere,
  hiddenTruth,
  playActions,
  type ScorerCase,
  signalShape,
} from '../../../test/helpers.js';
import type { Action } from '../../core/episode.js';
import type { Verdict } from '../../core/scorer.js';
import type { Trace } from '../../core/trace.js';
import { scoreBehaviors } from '../../reward/behaviors.js';
import type { BehaviorCode } from '../../spec/behaviors.js';
import { onboardingSupport } from './index.js';
import { scoreOnboardingSupport } from './score.js';
import { AREAS, type Area, type OnboardingSupportHidden, TOPICS, type Topic } from './types.js';

type Hidden = OnboardingSupportHidden;

const hiddenOf = (seed: number): Hidden => hiddenTruth(onboardingSupport, seed);

const assess = (area: Area): Action => ({ type: 'assess_skills', args: { area } });
const identify = (area: Area): Action => ({ type: 'identify_gaps', args: { area }, confidence: 0.8 });
const pair = (member: number, area: Area): Action => ({ type: 'suggest_pairing', args: { member, area } });
const context = (topic: Topic): Action => ({ type: 'provide_context', args: { topic } });
const adjust = (capacity: number): Action => ({ type: 'adjust_sprint', args: { expectation: capacity === 1 ? '1.0' : String(capacity) } });
const assign = (task: number): Action => ({ type: 'assign_starter_task', args: { task } });
const taskOf = (h: Hidden, kind: string) => h.tasks.findIndex((t) => t.kind === kind);

/** The fit task's gap and an available primary expert on it. */
function fitGap(h: Hidden): { gap: Area; member: number } {
  const fit = h.tasks[taskOf(h, 'fit')] as Hidden['tasks'][number];
  const gap = fit.areas.find((a) => h.gaps.includes(a)) as Area;
  return { gap, member: h.members.findIndex((m) => m.available && m.primary === gap) };
}

/** Areas most critical first: the team's work share plus 0.3 per plausible (<= 3 point) task touching it. */
function critical(h: Hidden): Area[] {
  const c = (a: Area) => h.workMix[a] + 0.3 * h.tasks.filter((t) => t.points <= 3 && t.areas.includes(a)).length;
  return AREAS.filter((a) => c(a) >= 0.3).sort((x, y) => c(y) - c(x));
}

/** A senior's onboarding: critical areas assessed first, gaps named, expert paired, targeted context, sprint sized. */
function seniorPlan(h: Hidden): Action[] {
  const { gap, member } = fitGap(h);
  const out: Action[] = [];
  for (const a of critical(h)) {
    out.push(assess(a));
    if (h.gaps.includes(a)) out.push(identify(a));
  }
  if (!out.some((x) => x.args?.area === gap && x.type === 'assess_skills')) out.push(assess(gap), identify(gap));
  out.push(pair(member, gap));
  for (const t of h.contextNeeds.slice(0, 4)) out.push(context(t));
  out.push(adjust(h.trueCapacity), assign(taskOf(h, 'fit')));
  return out;
}

const score = (trace: Trace, code: BehaviorCode) => scoreBehaviors(trace).codes[code];

// A seed where the fit task's gap has an available primary expert, some topic is already known,
// the true capacity is below full, and some teammate with a heavy load is busy.
const mainSeed = firstSeedWhere(
  hiddenOf,
  (h) =>
    fitGap(h).member >= 0 &&
    h.contextNeeds.length < TOPICS.length &&
    h.trueCapacity < 1 &&
    h.members.some((m) => m.load === 'heavy' && !m.available && !h.gaps.includes(m.primary)),
);

/** The cases all play the main seed. */
type Case = Omit<ScorerCase<Hidden>, 'seed'>;

const CASES: Case[] = [
  // B-20 present: the picture built from assessments, most critical first, context targeted.
  { name: 'B-20 critical areas assessed first, commitments rest on them, targeted context', code: 'B-20', actions: seniorPlan, min: 0.85 },
  // B-20 violated: asks nothing — assigns on day one with no assessment and no context.
  { name: 'B-20 assigns on day one without building any picture', code: 'B-20', actions: (h) => [assign(taskOf(h, 'fit'))], max: 0.15 },
  // B-20 violated: tries to understand everything first — every area twice in list order, every topic.
  {
    name: 'B-20 assesses everything twice and dumps every topic',
    code: 'B-20',
    actions: (h) => [...AREAS.map(assess), ...AREAS.map(assess), ...TOPICS.map(context), assign(taskOf(h, 'no_gap'))],
    max: 0.65,
  },
  // B-07 present: small clear task with one gap and a partner; sprint sized to the true ramp-up.
  {
    name: 'B-07 a small clear starter task, paired, with the sprint sized to the ramp-up',
    code: 'B-07',
    actions: (h) => {
      const { gap, member } = fitGap(h);
      return [assess(gap), pair(member, gap), adjust(h.trueCapacity), assign(taskOf(h, 'fit'))];
    },
    min: 0.85,
  },
  // B-07 violated: the 5-point task, the sprint still counting the newcomer at full capacity.
  { name: 'B-07 a 5-point starter task and an unadjusted sprint', code: 'B-07', actions: (h) => [assign(taskOf(h, 'too_big'))], max: 0.3 },
  // B-22 present: the request states the level (assessed) and the need (named gap), to the available expert.
  {
    name: 'B-22 a briefed pairing request on a named gap to the available expert',
    code: 'B-22',
    actions: (h) => {
      const { gap, member } = fitGap(h);
      return [assess(gap), identify(gap), pair(member, gap), ...h.contextNeeds.slice(0, 4).map(context), assign(taskOf(h, 'fit'))];
    },
    min: 0.85,
  },
  // B-22 violated: asks before trying, with no context, a busy teammate, on an area that is no gap.
  {
    name: 'B-22 an unbriefed request to a busy teammate on no gap',
    code: 'B-22',
    actions: (h) => {
      const busy = h.members.findIndex((m) => m.load === 'heavy' && !m.available && !h.gaps.includes(m.primary));
      return [pair(busy, (h.members[busy] as Hidden['members'][number]).primary), assign(taskOf(h, 'looks_right'))];
    },
    max: 0.2,
  },
  // B-22 absent: help is needed on the task's gap and nobody is asked.
  { name: 'B-22 no request although the task has a gap', code: 'B-22', actions: (h) => [assign(taskOf(h, 'fit'))], max: 0.15 },
];

describe('onboarding_support behavior scorer', () => {
  it('finds a seed for every situation', () => {
    expect(mainSeed).toBeGreaterThanOrEqual(0);
  });

  for (const c of CASES) {
    it(c.name, () => {
      expectCaseScore(playActions(onboardingSupport, mainSeed, c.actions(hiddenOf(mainSeed))), c);
    });
  }

  it('a briefed request beats the same request made before assessing', () => {
    const h = hiddenOf(mainSeed);
    const { gap, member } = fitGap(h);
    const briefed = score(playActions(onboardingSupport, mainSeed, [assess(gap), pair(member, gap), assign(taskOf(h, 'fit'))]), 'B-22');
    const blind = score(playActions(onboardingSupport, mainSeed, [pair(member, gap), assess(gap), assign(taskOf(h, 'fit'))]), 'B-22');
    expect(briefed.score!).toBeGreaterThan(blind.score! + 0.1);
  });

  it('returns its signals with names, sources and weights', () => {
    const h = hiddenOf(mainSeed);
    const trace = playActions(onboardingSupport, mainSeed, seniorPlan(h));
    const scores = scoreOnboardingSupport(trace, {});
    expect(signalShape(scores)).toEqual({
      'B-20': [
        'read_before_write:trace:0.2',
        'context_targeting:outcome:0.25',
        'time_to_productivity:trace:0.25',
        'context_question_quality:judge:0.15',
        'contribution_relevance:outcome:0.15',
      ],
      'B-07': ['task_size_fit:trace:0.4', 'completability:outcome:0.3', 'testability:judge:0.3'],
      'B-22': ['one_exchange_resolution:outcome:0.4', 'request_context:trace:0.35', 'request_targeting:judge:0.25'],
    });
    expect(expectScored(trace, ['B-20', 'B-07', 'B-22']).behavioral).not.toBeNull();
  });

  it('a judge verdict overrides the stand-ins', () => {
    const h = hiddenOf(mainSeed);
    const trace = playActions(onboardingSupport, mainSeed, seniorPlan(h));
    const verdict: Verdict = {
      codes: { 'B-20': { score: 0.1, justification: 'x' }, 'B-07': { score: 0.1, justification: 'x' } },
      overall: 0.5,
      performativeRisk: 0.1,
    };
    const heuristic = scoreBehaviors(trace).codes;
    const judged = scoreBehaviors(trace, { verdict }).codes;
    const signal = (codes: typeof heuristic, code: BehaviorCode, name: string) => codes[code].signals.find((s) => s.name === name)!;
    expect(signal(heuristic, 'B-20', 'context_question_quality').from).toBe('heuristic');
    expect(signal(judged, 'B-20', 'context_question_quality').value).toBe(0.1);
    expect(signal(judged, 'B-07', 'testability').from).toBe('judge');
    expect(judged['B-20'].score!).toBeLessThan(heuristic['B-20'].score!);
  });
});
