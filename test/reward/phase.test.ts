import { describe, expect, it } from 'vitest';
import type { DecisionRecord, Trace } from '../../src/core/trace.js';

import { decomposition } from '../../src/episodes/decomposition/index.js';
import { elicitation } from '../../src/episodes/elicitation/index.js';
import { ScriptedPersona } from '../../src/policy/scripted.js';
import { scoreEpisode } from '../../src/reward/episode-score.js';
import { phaseEvents } from '../../src/reward/phase.js';
import { playSync } from '../../src/rollout/rollout.js';

function decision(type: string, effects: string[], valid = true): DecisionRecord {
  return {
    id: `x/d0`,
    step: 0,
    observationDigest: '00000000',
    action: { type },
    valid,
    links: effects.map((effect) => ({ effect, value: 0, note: '' })),
  };
}
const trace = (decisions: DecisionRecord[], episodeEffects: string[] = []) =>
  ({ decisions, episodeLinks: episodeEffects.map((effect) => ({ effect, value: 0, note: '' })) }) as Pick<
    Trace,
    'decisions' | 'episodeLinks'
  >;

// Each case: decisions, episode-level effects, expected events.
const CASES: [string, DecisionRecord[], string[], { transition: string; correct: boolean }[]][] = [
  [
    'ready at the right time',
    [decision('signal_ready', ['ready_at_right_time'])],
    [],
    [{ transition: 'elicitation_to_planning', correct: true }],
  ],
  ['ready too early', [decision('signal_ready', ['ready_too_early'])], [], [{ transition: 'elicitation_to_planning', correct: false }]],
  ['plan delivered', [decision('signal_plan_complete', [])], ['plan_delivered'], [{ transition: 'planning_to_execution', correct: true }]],
  ['plan late', [decision('signal_plan_complete', [])], ['plan_late'], [{ transition: 'planning_to_execution', correct: false }]],
  ['right pivot', [decision('checkpoint_pivot', ['checkpoint_right'])], [], [{ transition: 'checkpoint_pivot', correct: true }]],
  [
    'wrong escalation',
    [decision('checkpoint_escalate', ['checkpoint_wrong'])],
    [],
    [{ transition: 'checkpoint_escalate', correct: false }],
  ],
  ['invalid actions are not transitions', [decision('signal_ready', ['ready_at_right_time'], false)], [], []],
  ['ordinary actions are not transitions', [decision('ask_question', ['changed_implementation'])], [], []],
];

describe('phaseEvents', () => {
  for (const [name, decisions, episodeEffects, expected] of CASES) {
    it(name, () => expect(phaseEvents(trace(decisions, episodeEffects))).toEqual(expected));
  }

  it('adds the bonus of reward.yaml to the composite for a correct transition only', () => {
    const senior = new ScriptedPersona('senior', 1);
    let rightTime = 0;
    let early = 0;
    for (let seed = 0; seed < 100; seed++) {
      const t = playSync(senior, elicitation, seed);
      const score = scoreEpisode(t);
      const correct = t.decisions.some((d) => d.links.some((l) => l.effect === 'ready_at_right_time'));
      expect(score.breakdown.phaseBonus).toBe(correct ? 0.1 : 0);
      if (correct) rightTime++;
      else early++;
    }
    expect(rightTime).toBeGreaterThan(0);
    expect(early).toBeGreaterThan(0);
  });

  it('finds plan_delivered wherever the decomposition episode links it', () => {
    const senior = new ScriptedPersona('senior', 1);
    let delivered = 0;
    for (let seed = 0; seed < 50; seed++) {
      const events = phaseEvents(playSync(senior, decomposition, seed));
      expect(events.filter((e) => e.transition === 'planning_to_execution')).toHaveLength(1);
      if (events[0]?.correct) delivered++;
    }
    expect(delivered).toBeGreaterThan(25);
  });
});
