/**
 * The triage behavior scorer (B-13, B-14, B-21) on real traces: fixed action sequences played with
 * DojoEnv on seeds chosen by their hidden truth.
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
import type { Trace } from '../../core/trace.js';
import { triage } from './index.js';
import type { TriageHidden as Hidden, TriageFacts } from './types.js';

const hiddenOf = (seed: number): Hidden => hiddenTruth(triage, seed);

/** The trace of the actions on a seed. */
const play = (seed: number, actions: readonly Action[]): Trace<TriageFacts, Hidden> => playActions(triage, seed, actions);
const investigate = (area: string): Action => ({ type: 'investigate', args: { area } });
const severity = (level: string, confidence = 0.8): Action => ({ type: 'assess_severity', args: { level }, confidence });
const radius = (r: string, confidence = 0.8): Action => ({ type: 'assess_blast_radius', args: { radius: r }, confidence });
const tell = (audience: string, content = 'assessment'): Action => ({ type: 'communicate', args: { audience, content } });
const respond = (response: string): Action => ({ type: `respond_${response}`, args: {}, confidence: 0.8 });

/** Investigate, rate the truth, tell who needs it (a blocker to the lead when the cause is outside), respond right. */
function senior(h: Hidden): Action[] {
  const out: Action[] = [investigate('impact'), investigate('spread'), severity(h.severity), radius(h.radius)];
  for (const a of h.neededAudiences) out.push(tell(a));
  if (h.owner === 'outside' && h.severity !== 'low') out.push(tell('lead', 'blocker'));
  out.push(respond(h.rightResponse));
  return out;
}

const mildSeed = firstSeedWhere(hiddenOf, (h) => h.severity === 'low' && h.radius === 'task' && h.rightResponse === 'defer');
const fixSeed = firstSeedWhere(
  hiddenOf,
  (h) => h.severity === 'high' && h.radius === 'story' && h.owner === 'team' && h.rightResponse === 'fix_now',
);
const blockerSeed = firstSeedWhere(hiddenOf, (h) => h.owner === 'outside' && h.severity === 'high' && h.rightResponse === 'escalate');

type Case = ScorerCase<Hidden>;

const CASES: Case[] = [
  // B-13 present: ratings from evidence, response that fits, decided after assessing.
  {
    name: 'B-13 investigates, rates the truth and fixes a high story-wide bug now',
    code: 'B-13',
    seed: fixSeed,
    actions: senior,
    min: 0.95,
  },
  { name: 'B-13 escalates a blocker outside the team after rating it', code: 'B-13', seed: blockerSeed, actions: senior, min: 0.95 },
  // B-13 violated: everything critical — a cosmetic, task-sized issue rated critical and fixed at once.
  {
    name: 'B-13 treats a cosmetic issue as critical',
    code: 'B-13',
    seed: mildSeed,
    actions: () => [severity('critical', 0.95), radius('sprint', 0.95), respond('fix_now')],
    max: 0.1,
  },
  // B-13 violated: reacting before assessing (the response happens to be right).
  { name: 'B-13 reacts before assessing', code: 'B-13', seed: fixSeed, actions: () => [respond('fix_now')], max: 0.25 },
  // B-13 partly violated: right assessment, wrong response.
  {
    name: 'B-13 right assessment but wrong response',
    code: 'B-13',
    seed: fixSeed,
    actions: (h) => [severity(h.severity), radius(h.radius), respond('defer')],
    min: 0.6,
    max: 0.66,
  },
  // B-14 present: a proportionate change, told first, keeping the rest of the plan.
  { name: 'B-14 defers a cosmetic issue after telling the team', code: 'B-14', seed: mildSeed, actions: senior, min: 0.9 },
  { name: 'B-14 fixes a high issue now, told and scoped', code: 'B-14', seed: fixSeed, actions: senior, min: 0.7 },
  // B-14 violated: throwing the plan away for a cosmetic issue.
  {
    name: 'B-14 over-reacts: swarms and escalates a cosmetic issue',
    code: 'B-14',
    seed: mildSeed,
    actions: () => [severity('critical'), radius('sprint'), respond('escalate')],
    max: 0.4,
  },
  // B-14 violated: forcing the old plan — a needed fix deferred, silently.
  { name: 'B-14 under-reacts: defers a high issue silently', code: 'B-14', seed: fixSeed, actions: () => [respond('defer')], max: 0.2 },
  // B-21 present: everyone who needs it told the evidence-based assessment, blocker reported.
  {
    name: 'B-21 tells every needed audience after investigating, reports the blocker',
    code: 'B-21',
    seed: blockerSeed,
    actions: senior,
    min: 0.95,
  },
  { name: 'B-21 tells the team and the product owner the facts', code: 'B-21', seed: fixSeed, actions: senior, min: 0.95 },
  // B-21 violated: going silent.
  {
    name: 'B-21 goes silent',
    code: 'B-21',
    seed: fixSeed,
    actions: (h) => [severity(h.severity), radius(h.radius), respond('fix_now')],
    max: 0.05,
  },
  // B-21 violated: noise — alarm spread to everyone, status with nothing to report, a false blocker.
  {
    name: 'B-21 floods everyone with alarm and trivia',
    code: 'B-21',
    seed: mildSeed,
    actions: () => [
      tell('lead', 'status'),
      severity('critical'),
      tell('team'),
      tell('po'),
      tell('lead'),
      tell('lead', 'blocker'),
      respond('defer'),
    ],
    max: 0.45,
  },
  // B-21 partly violated: the blocker is never reported (the lead gets nothing before the escalation).
  {
    name: 'B-21 never reports a real blocker',
    code: 'B-21',
    seed: blockerSeed,
    actions: (h) => [investigate('impact'), severity(h.severity), radius(h.radius), tell('team'), respond('escalate')],
    max: 0.75,
  },
];

describe('triage behavior scorer', () => {
  it('finds seeds for every situation', () => {
    for (const seed of [mildSeed, fixSeed, blockerSeed]) expect(seed).toBeGreaterThanOrEqual(0);
  });

  for (const c of CASES) {
    it(c.name, () => {
      expectCaseScore(play(c.seed, c.actions(hiddenOf(c.seed))), c);
    });
  }

  it('returns the signals with their names, sources and weights', () => {
    const scores = triage.score(play(fixSeed, senior(hiddenOf(fixSeed))), {});
    expect(signalShape(scores)).toEqual({
      'B-13': ['severity_accuracy:outcome:0.35', 'blast_radius_accuracy:outcome:0.3', 'response_match:judge:0.35'],
      'B-14': [
        'proportionality:judge:0.3',
        'preserved_valid_parts:trace:0.25',
        'change_communicated:trace:0.2',
        'outcome_after_replan:outcome:0.25',
      ],
      'B-21': [
        'needed_audiences_informed:outcome:0.4',
        'blocker_reported:trace:0.2',
        'signal_over_noise:trace:0.2',
        'facts_over_impressions:trace:0.2',
      ],
    });
  });

  it('uses a judge verdict for the judge-sourced signals when one exists', () => {
    const trace = play(fixSeed, [respond('fix_now')]);
    const verdict = { codes: { 'B-13': { score: 1 }, 'B-14': { score: 0 } } } as never;
    const [b13] = triage.score(trace, { verdict });
    expect(b13?.signals.find((s) => s.name === 'response_match')).toMatchObject({ value: 1, from: 'judge' });
  });

  it('scores every code it trains on a mild disturbance', () => {
    expect(expectScored(play(mildSeed, senior(hiddenOf(mildSeed))), ['B-13', 'B-14', 'B-21']).behavioral).not.toBeNull();
  });
});
