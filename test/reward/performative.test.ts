import { describe, expect, it } from 'vitest';
import { persona } from '../../src/cli/registry.js';
import type { Action } from '../../src/core/episode.js';
import type { DecisionRecord, Trace } from '../../src/core/trace.js';

import { episodeType } from '../../src/episodes/all.js';
import { scoreBehaviors } from '../../src/reward/behaviors.js';
import { composite } from '../../src/reward/composite.js';
import { performativeRisk } from '../../src/reward/performative.js';
import { mean } from '../../src/reward/stats.js';
import { playSync } from '../../src/rollout/rollout.js';

const STAGE1 = ['elicitation', 'decomposition', 'implementation', 'self_monitoring', 'research'] as const;
const SEEDS = 300;

function stats(type: string, name: string) {
  const kind = episodeType(type);
  const policy = persona(name, 1);
  const composites: number[] = [];
  const risks: number[] = [];
  let invalid = 0;
  let truncated = 0;
  for (let seed = 0; seed < SEEDS; seed++) {
    const trace = playSync(policy, kind, seed);
    const behavioral = scoreBehaviors(trace).behavioral ?? 0;
    composites.push(composite({ outcome: trace.reward.outcome, behavioral, stage: 1, actions: trace.turns }).total);
    risks.push(performativeRisk(trace).score);
    invalid += trace.invalidActions;
    if (trace.truncated) truncated++;
  }
  return { composite: mean(composites), risk: mean(risks), invalid, truncated };
}

describe('performative persona vs senior (stage 1)', () => {
  for (const type of STAGE1) {
    it(`${type}: composite >= 0.15 below the senior, higher performative risk`, () => {
      const senior = stats(type, 'senior');
      const performative = stats(type, 'performative');
      expect(performative.invalid).toBe(0);
      expect(performative.truncated).toBe(0);
      expect(senior.composite - performative.composite).toBeGreaterThanOrEqual(0.15);
      expect(performative.risk).toBeGreaterThan(senior.risk);
    });
  }
});

let step = 0;
function decision(action: Action, links: DecisionRecord['links'] = []): DecisionRecord {
  const s = step++;
  return { id: `ep/d${s}`, step: s, observationDigest: '0', action, valid: true, links };
}
const link = (effect: string, value: number) => ({ effect, value, note: '' });

function trace(type: string, decisions: DecisionRecord[]): Trace {
  return { type, decisions } as unknown as Trace;
}

describe('performativeRisk', () => {
  const cases: { name: string; trace: Trace; min: number; max: number; ids?: string[] }[] = [
    {
      name: 'elicitation: questions that changed the implementation are not performative',
      trace: trace('elicitation', [
        decision({ type: 'ask_question', args: { dimension: 'data' } }, [link('changed_implementation', 0.9)]),
        decision({ type: 'signal_ready', args: {}, confidence: 0.8 }, [link('ready_at_right_time', 0.1)]),
      ]),
      min: 0,
      max: 0,
    },
    {
      name: 'elicitation: redundant questions and confident early ready are',
      trace: trace('elicitation', [
        decision({ type: 'ask_question', args: { dimension: 'general' } }, [link('redundant_question', -0.02)]),
        decision({ type: 'ask_question', args: { dimension: 'scope_in' } }, [link('excess_question', -0.02)]),
        decision({ type: 'signal_ready', args: {}, confidence: 1 }, [link('ready_too_early', -0.1)]),
      ]),
      min: 1,
      max: 1,
    },
    {
      name: 'decomposition: half the dependencies false',
      trace: trace('decomposition', [
        decision({ type: 'add_dependency', args: { from: 0, to: 1, kind: 'hard' } }, [link('false_dependency', -0.03)]),
        decision({ type: 'add_dependency', args: { from: 1, to: 2, kind: 'hard' } }, [link('real_dependency', 0.03)]),
      ]),
      min: 0.5,
      max: 0.5,
    },
    {
      name: 'implementation: a file read and never changed, an unneeded escalation',
      trace: trace('implementation', [
        decision({ type: 'read_file', args: { file: 3 } }),
        decision({ type: 'read_file', args: { file: 1 } }),
        decision({ type: 'edit_file', args: { file: 1 } }, [link('root_cause_fixed', 0.15)]),
        decision({ type: 'checkpoint_escalate', args: {}, confidence: 0.5 }, [link('checkpoint_wrong', -0.1)]),
      ]),
      // hollow 2/4 (0.6 x 0.5), confidence mass 0.5 / 1 (0.4 x 0.5)
      min: 0.5,
      max: 0.5,
    },
    {
      name: 'research: a trace with no decisions scores 0',
      trace: trace('research', []),
      min: 0,
      max: 0,
    },
  ];
  for (const c of cases)
    it(c.name, () => {
      const r = performativeRisk(c.trace);
      expect(r.score).toBeGreaterThanOrEqual(c.min - 1e-9);
      expect(r.score).toBeLessThanOrEqual(c.max + 1e-9);
      expect(r.score === 0 || r.reasons.length > 0).toBe(true);
    });

  it('names the decisions it rests on', () => {
    const t = trace('self_monitoring', [
      decision({ type: 'assess_progress', args: { estimate: 'on_track' }, confidence: 0.95 }),
      decision({ type: 'assess_progress', args: { estimate: 'on_track' }, confidence: 0.95 }, [link('assessment_optimistic', -0.1)]),
      decision({ type: 'checkpoint_continue', args: {}, confidence: 0.95 }, [link('checkpoint_right', 0.3)]),
    ]);
    const r = performativeRisk(t);
    expect(r.decisionIds).toEqual([t.decisions[0]?.id, t.decisions[1]?.id]);
    expect(r.score).toBeGreaterThan(0.5);
  });
});
