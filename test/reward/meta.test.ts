/**
 * The cross-episode codes B-27..B-30 over a rolling window of synthetic traces (minimal Trace
 * objects built here), the score mappings, the meta reward, and one smoke run on real traces.
 */
import { describe, expect, it } from 'vitest';
import { persona } from '../../src/cli/registry.js';
import type { Action } from '../../src/core/episode.js';
import { TRACE_SCHEMA, type Trace } from '../../src/core/trace.js';

import { selfMonitoring } from '../../src/episodes/self-monitoring/index.js';
import { scoreBehaviors } from '../../src/reward/behaviors.js';
import {
  actionPattern,
  correlationScore,
  type MetaCode,
  type MetaCodeScore,
  MetaWindow,
  metaReward,
  patternDistance,
  repeatRateScore,
} from '../../src/reward/meta.js';
import { playSync } from '../../src/rollout/rollout.js';

interface Step {
  action: Action;
  links?: { effect: string; value: number }[];
}

let counter = 0;
function trace(type: string, outcome: number, steps: Step[], extra: Partial<Trace> = {}): Trace {
  const id = `${type}-${counter++}`;
  return {
    schema: TRACE_SCHEMA,
    episodeId: id,
    type,
    typeId: type,
    stage: 1,
    seed: counter,
    options: {},
    policy: 'p',
    decisions: steps.map((s, i) => ({
      id: `${id}/d${i}`,
      step: i,
      observationDigest: '0',
      action: s.action,
      valid: true,
      links: (s.links ?? []).map((l) => ({ ...l, note: '' })),
    })),
    terminated: true,
    truncated: false,
    turns: steps.length,
    invalidActions: 0,
    outcome: {},
    reward: { outcome, components: {} as Trace['reward']['components'], invalidPenalty: 0 },
    episodeLinks: [],
    hidden: {},
    ...extra,
  };
}

const a = (type: string, args: Record<string, string | number> = {}, confidence?: number): Action =>
  confidence === undefined ? { type, args } : { type, args, confidence };

function scores(w: MetaWindow): Record<MetaCode, MetaCodeScore> {
  return Object.fromEntries(w.score().map((s) => [s.code, s])) as Record<MetaCode, MetaCodeScore>;
}

/** An elicitation-like episode that does (or does not) make the `missed_requirement` mistake. */
function elicitation(mistake: boolean, outcome = mistake ? 0.3 : 0.8): Trace {
  return trace('elicitation', outcome, [
    { action: a('ask_question', { category: 'scope' }), links: [{ effect: 'revealed_requirement', value: 0.1 }] },
    {
      action: a('signal_ready'),
      links: mistake ? [{ effect: 'missed_requirement', value: -0.2 }] : [{ effect: 'ready_at_right_time', value: 0.05 }],
    },
  ]);
}

describe('MetaWindow: window handling', () => {
  it('returns null for every code while the window is smaller than minEpisodes', () => {
    const w = new MetaWindow();
    for (let i = 0; i < 4; i++) w.push(elicitation(true));
    const s = w.score();
    expect(s.map((x) => x.code)).toEqual(['B-27', 'B-28', 'B-29', 'B-30']);
    for (const x of s) {
      expect(x.score).toBeNull();
      expect(x.evidence.reason).toMatch(/fewer than 5/);
    }
    expect(metaReward(s)).toBe(0);
  });

  it('keeps only the last N episodes and refuses another policy', () => {
    const w = new MetaWindow({ size: 3 });
    const ts = [elicitation(true), elicitation(false), elicitation(false), elicitation(false)];
    for (const t of ts) w.push(t);
    expect(w.length).toBe(3);
    expect(w.traces()[0]?.episodeId).toBe(ts[1]?.episodeId);
    expect(() => w.push({ ...elicitation(false), policy: 'other' })).toThrow(/policy/);
  });

  it('is deterministic: the same pushes give the same scores', () => {
    const build = () => {
      counter = 1000;
      const w = new MetaWindow();
      for (let i = 0; i < 8; i++) w.push(elicitation(i % 3 === 0));
      return w.score();
    };
    expect(build()).toEqual(build());
  });
});

describe('B-28 mistake non-repetition', () => {
  it('a policy repeating the same mistake scores low; one that stops repeating scores high', () => {
    const repeater = new MetaWindow();
    for (let i = 0; i < 10; i++) repeater.push(elicitation(true));
    const learner = new MetaWindow();
    learner.push(elicitation(true));
    for (let i = 0; i < 9; i++) learner.push(elicitation(false));
    const r = scores(repeater)['B-28'];
    const l = scores(learner)['B-28'];
    // Rate 1: every later episode repeats it → score 0.
    expect(r.score).toBe(0);
    expect(r.evidence.reason).toMatch(/missed_requirement/);
    // Rate 0 → score 1.
    expect(l.score).toBe(1);
    expect(l.evidence.episodeIds.length).toBe(9);
  });

  it('mistakes are per type: the same effect in another type is no repetition', () => {
    const w = new MetaWindow();
    w.push(elicitation(true));
    for (let i = 0; i < 5; i++)
      w.push(
        trace('research', 0.5, [{ action: a('search', { query: 'generic' }), links: [{ effect: 'missed_requirement', value: -0.1 }] }]),
      );
    // Research has its own first occurrence, then 4 repeats out of 4 opportunities; elicitation none.
    expect(scores(w)['B-28'].score).toBe(0);
    const w2 = new MetaWindow();
    w2.push(elicitation(true));
    for (let i = 0; i < 5; i++) w2.push(trace('research', 0.8, [{ action: a('search') }]));
    expect(scores(w2)['B-28'].score).toBeNull();
  });

  it('maps the rate piecewise through the 0.15 target', () => {
    expect(repeatRateScore(0)).toBe(1);
    expect(repeatRateScore(0.15)).toBeCloseTo(0.7, 10);
    expect(repeatRateScore(1)).toBe(0);
    expect(repeatRateScore(0.575)).toBeCloseTo(0.35, 10);
  });
});

describe('B-30 confidence calibration', () => {
  /** Self-monitoring-like episodes: one checkpoint decision with a confidence and a right/wrong link. */
  const checkpoint = (confidence: number, right: boolean) =>
    trace('self_monitoring', right ? 0.8 : 0.4, [
      {
        action: a('decide', { decision: 'continue' }, confidence),
        links: [{ effect: right ? 'checkpoint_right' : 'checkpoint_wrong', value: right ? 0.1 : -0.1 }],
      },
    ]);
  const pattern: boolean[] = [true, false, true, true, false, true, false, true, true, false];

  it('a calibrated confidence sequence scores high', () => {
    const w = new MetaWindow();
    for (const right of pattern) w.push(checkpoint(right ? 0.85 : 0.2, right));
    const s = scores(w)['B-30'];
    expect(s.score).toBeGreaterThan(0.9);
    expect(s.evidence.decisionIds.length).toBe(10);
  });

  it('uniform high confidence scores low (r counts as 0; only the Brier term is left)', () => {
    const w = new MetaWindow();
    for (const right of pattern) w.push(checkpoint(0.95, right));
    const s = scores(w)['B-30'];
    expect(s.score).toBeLessThan(0.2);
    expect(s.evidence.reason).toMatch(/confidence constant/);
  });

  it('anti-correlated confidence scores lower than uniform', () => {
    const w = new MetaWindow();
    for (const right of pattern) w.push(checkpoint(right ? 0.2 : 0.9, right));
    expect(scores(w)['B-30'].score).toBeLessThan(0.1);
  });

  it('reads research confidence levels against correctAnswerUsed; too few statements is null', () => {
    const research = (level: string, correct: boolean) =>
      trace('research', correct ? 0.9 : 0.2, [{ action: a('assess_confidence', { level }) }], { outcome: { correctAnswerUsed: correct } });
    const w = new MetaWindow();
    for (const right of pattern) w.push(research(right ? 'high' : 'low', right));
    expect(scores(w)['B-30'].score).toBeGreaterThan(0.9);
    const few = new MetaWindow();
    for (let i = 0; i < 5; i++) few.push(i < 2 ? research('high', true) : elicitation(false));
    expect(scores(few)['B-30'].score).toBeNull();
  });

  it('maps r piecewise through the 0.6 target', () => {
    expect(correlationScore(-0.5)).toBe(0);
    expect(correlationScore(0.6)).toBeCloseTo(0.7, 10);
    expect(correlationScore(1)).toBe(1);
  });
});

describe('B-29 feedback integration', () => {
  const bad = () =>
    trace('implementation', 0.2, [
      { action: a('edit', { file: 1 }), links: [{ effect: 'symptom_patched', value: -0.15 }] },
      { action: a('commit'), links: [{ effect: 'committed_with_failures', value: -0.2 }] },
    ]);
  const good = () =>
    trace('implementation', 0.8, [
      { action: a('read', { file: 1 }) },
      { action: a('run_tests') },
      { action: a('edit', { file: 2 }), links: [{ effect: 'root_cause_fixed', value: 0.15 }] },
      { action: a('commit') },
    ]);
  const filler = () => trace('research', 0.6, [{ action: a('search', { query: 'versioned' }) }]);

  it('detects a change and improvement after a bad episode', () => {
    const w = new MetaWindow();
    for (const t of [bad(), filler(), good(), filler(), filler()]) w.push(t);
    const s = scores(w)['B-29'];
    expect(s.score).toBe(1);
    expect(s.evidence.episodeIds.length).toBe(2);
  });

  it('scores 0 when the policy repeats the same bad episode', () => {
    const w = new MetaWindow();
    for (let i = 0; i < 5; i++) w.push(bad());
    expect(scores(w)['B-29'].score).toBe(0);
  });

  it('is null without a negative-reward episode followed by one of its type', () => {
    const w = new MetaWindow();
    for (let i = 0; i < 5; i++) w.push(good());
    expect(scores(w)['B-29'].score).toBeNull();
  });
});

describe('B-27 pattern reuse', () => {
  const approach = (kind: 'A' | 'B', outcome: number, difficulty: string) =>
    trace(
      'decomposition',
      outcome,
      kind === 'A'
        ? [{ action: a('add_task') }, { action: a('add_dependency') }, { action: a('complete') }]
        : [{ action: a('flag_risk') }, { action: a('compare_approaches') }, { action: a('complete') }],
      { options: { difficulty } },
    );

  it('rewards reuse in a similar context and adaptation in a different one', () => {
    const w = new MetaWindow();
    // High reward with A on easy; reuse A on easy; adapt to B on hard.
    for (const t of [approach('A', 0.9, 'easy'), approach('A', 0.9, 'easy'), approach('B', 0.8, 'hard'), approach('A', 0.9, 'easy')])
      w.push(t);
    w.push(approach('B', 0.8, 'hard'));
    const s = scores(w)['B-27'];
    expect(s.score).toBe(1);
  });

  it('blind reuse in a differing context and abandoning a good approach score low', () => {
    const w = new MetaWindow();
    for (const t of [approach('A', 0.9, 'easy'), approach('B', 0.5, 'easy'), approach('A', 0.5, 'hard'), approach('B', 0.5, 'easy')])
      w.push(t);
    w.push(approach('A', 0.5, 'hard'));
    expect(scores(w)['B-27'].score).toBeLessThan(0.35);
  });

  it('pattern distance is total variation over action keys with string arguments', () => {
    const x = actionPattern(trace('t', 1, [{ action: a('ask', { category: 'scope', n: 1 }) }, { action: a('ready') }]));
    const y = actionPattern(trace('t', 1, [{ action: a('ask', { category: 'scope', n: 2 }) }, { action: a('ask', { category: 'edge' }) }]));
    expect(x.get('ask:category=scope')).toBe(0.5);
    expect(patternDistance(x, y)).toBeCloseTo(0.5, 10);
    expect(patternDistance(x, x)).toBe(0);
  });
});

describe('metaReward', () => {
  const s = (code: MetaCode, score: number | null): MetaCodeScore => ({
    code,
    score,
    evidence: { decisionIds: [], episodeIds: [], reason: '' },
    signals: [],
  });
  const cases: { scores: (number | null)[]; reward: number; why: string }[] = [
    // Every code at 0.5: neutral.
    { scores: [0.5, 0.5, 0.5, 0.5], reward: 0, why: 'neutral policy' },
    // 4 · 0.025 · (2 − 1) = 0.1.
    { scores: [1, 1, 1, 1], reward: 0.1, why: 'maximum bonus' },
    { scores: [0, 0, 0, 0], reward: -0.1, why: 'maximum penalty' },
    // Nulls contribute 0: 0.025 · (2 − 1).
    { scores: [1, null, null, null], reward: 0.025, why: 'one code measured' },
    { scores: [null, null, null, null], reward: 0, why: 'nothing measured' },
    // 0.025 · (0.4 + 0.2 − 0.6 − 1) = −0.025.
    { scores: [0.7, 0.6, 0.2, 0], reward: -0.025, why: 'mixed' },
  ];
  for (const c of cases)
    it(c.why, () => {
      const codes: MetaCode[] = ['B-27', 'B-28', 'B-29', 'B-30'];
      expect(metaReward(codes.map((code, i) => s(code, c.scores[i] ?? null)))).toBeCloseTo(c.reward, 10);
    });

  it('ignores non-meta codes and accepts a record', () => {
    expect(metaReward({ 'B-28': s('B-28', 1) })).toBeCloseTo(0.025, 10);
    expect(metaReward([{ ...s('B-27', 1), code: 'B-01' as MetaCode }])).toBe(0);
  });
});

describe('MetaWindow on real traces', () => {
  it('scores a window of scripted self-monitoring episodes without throwing, within bounds', () => {
    const w = new MetaWindow();
    for (let seed = 0; seed < 12; seed++) {
      const t = playSync(persona('junior', seed), selfMonitoring, seed);
      w.push(t, scoreBehaviors(t));
    }
    const s = w.score();
    for (const x of s) {
      if (x.score === null) continue;
      expect(x.score).toBeGreaterThanOrEqual(0);
      expect(x.score).toBeLessThanOrEqual(1);
    }
    const m = metaReward(s);
    expect(Math.abs(m)).toBeLessThanOrEqual(0.1);
    // Scripted junior episodes of one type repeat mistakes: B-28 is measured.
    expect(s.find((x) => x.code === 'B-28')?.score).not.toBeNull();
  });
});
