import { describe, expect, it } from 'vitest';
import { createEpisode, hiddenTruth, personaTraces, replay, seedsWhere } from '../../../test/helpers.js';
import type { Action } from '../../core/episode.js';
import { DojoEnv } from '../../env/env.js';
import { mean } from '../../reward/stats.js';
import { BLAST_RADII, SEVERITIES } from '../../spec/curriculum.js';
import { triage } from './index.js';
import { neededAudiences, rightResponse } from './scenario.js';
import type { TriageHidden as Hidden } from './types.js';

const hiddenOf = (seed: number): Hidden => hiddenTruth(triage, seed);
const play = (seed: number, actions: readonly Action[]) => replay(triage, seed, actions);
const investigate = (area: string): Action => ({ type: 'investigate', args: { area } });
const severity = (level: string): Action => ({ type: 'assess_severity', args: { level } });
const radius = (r: string): Action => ({ type: 'assess_blast_radius', args: { radius: r } });
const tell = (audience: string, content = 'assessment'): Action => ({ type: 'communicate', args: { audience, content } });
const respond = (response: string): Action => ({ type: `respond_${response}`, args: {} });
/** The assessment told to everyone who needs it. */
const tellNeeded = (h: Hidden): Action[] => h.neededAudiences.map((a) => tell(a));
/** A fully informed triage on the truth. */
const informed = (h: Hidden): Action[] => [severity(h.severity), radius(h.radius), ...tellNeeded(h), respond(h.rightResponse)];

describe('triage world', () => {
  it('derives the right response from severity x radius x sprint day x owner', () => {
    expect(rightResponse('critical', 'sprint', 'team', 5)).toBe('escalate');
    expect(rightResponse('high', 'story', 'outside', 5)).toBe('escalate');
    expect(rightResponse('high', 'task', 'team', 1)).toBe('fix_now');
    expect(rightResponse('medium', 'story', 'team', 5)).toBe('fix_now');
    expect(rightResponse('medium', 'story', 'team', 2)).toBe('defer');
    expect(rightResponse('medium', 'task', 'team', 8)).toBe('defer');
    expect(rightResponse('low', 'sprint', 'team', 7)).toBe('fix_now');
    expect(rightResponse('low', 'sprint', 'outside', 3)).toBe('defer');
    expect(neededAudiences('critical', 'task', 'fix_now')).toEqual(['team', 'lead']);
  });

  it('the right response loses the fewest hours for every truth when the triage is perfect', () => {
    const byTruth = new Map<string, number>();
    for (let seed = 0; seed < 400; seed++) {
      const h = hiddenOf(seed);
      const rightRun = play(seed, informed(h));
      for (const other of ['fix_now', 'defer', 'escalate'].filter((r) => r !== h.rightResponse)) {
        const wrong = play(seed, [severity(h.severity), radius(h.radius), ...tellNeeded(h), respond(other)]);
        expect(rightRun.outcome, `seed ${seed}: ${other} vs ${h.rightResponse}`).toBeGreaterThan(wrong.outcome);
      }
      byTruth.set(`${h.severity}/${h.radius}`, (byTruth.get(`${h.severity}/${h.radius}`) ?? 0) + 1);
    }
    expect(SEVERITIES.length * BLAST_RADII.length).toBe(12);
    expect(byTruth.size).toBeGreaterThanOrEqual(10);
  });
});

describe('triage levers', () => {
  it('investigate_before_assessing: ratings from evidence beat ratings from noisy readings', () => {
    const seeds = seedsWhere(hiddenOf, (h) => h.readings.impact !== h.severity || h.readings.spread !== h.radius, 60);
    const fromEvidence: number[] = [];
    const fromReadings: number[] = [];
    let accurate = 0;
    for (const seed of seeds) {
      const h = hiddenOf(seed);
      const env = new DojoEnv(triage);
      env.resetSync({ seed });
      env.stepSync(investigate('impact'));
      const state = env.stepSync(investigate('spread')).observation.structured.state;
      const found = (area: string) => state.findings.find((f) => f.area === area)?.value as string;
      const a = play(seed, [
        investigate('impact'),
        investigate('spread'),
        severity(found('impact')),
        radius(found('spread')),
        tell('team'),
        respond(h.rightResponse),
      ]);
      const b = play(seed, [severity(h.readings.impact), radius(h.readings.spread), tell('team'), respond(h.rightResponse)]);
      if (a.facts.severityAccurate === true && a.facts.radiusAccurate === true) accurate++;
      fromEvidence.push(a.outcome);
      fromReadings.push(b.outcome);
    }
    expect(accurate / seeds.length).toBeGreaterThan(0.7);
    expect(mean(fromEvidence) - mean(fromReadings)).toBeGreaterThan(0.05);
  });

  it('right_response: the response that fits the disturbance beats a wrong one', () => {
    const right: number[] = [];
    const wrong: number[] = [];
    for (let seed = 0; seed < 80; seed++) {
      const h = hiddenOf(seed);
      const other = h.rightResponse === 'defer' ? 'fix_now' : 'defer';
      const a = play(seed, informed(h));
      const b = play(seed, [severity(h.severity), radius(h.radius), ...tellNeeded(h), respond(other)]);
      expect(a.facts.responseRight).toBe(true);
      expect(b.facts.responseRight).toBe(false);
      expect(a.outcome).toBeGreaterThan(b.outcome);
      right.push(a.outcome);
      wrong.push(b.outcome);
    }
    expect(mean(right) - mean(wrong)).toBeGreaterThan(0.25);
  });

  it('communicate_assessment: telling everyone who needs it beats a silent response', () => {
    const told: number[] = [];
    const silent: number[] = [];
    for (let seed = 0; seed < 60; seed++) {
      const h = hiddenOf(seed);
      const a = play(seed, informed(h));
      const b = play(seed, [severity(h.severity), radius(h.radius), respond(h.rightResponse)]);
      expect(a.facts.uninformed).toBe('');
      expect(b.facts.neededInformed).toBe(0);
      expect(a.outcome).toBeGreaterThanOrEqual(b.outcome);
      told.push(a.outcome);
      silent.push(b.outcome);
    }
    expect(mean(told) - mean(silent)).toBeGreaterThan(0.03);
  });

  it('react_before_assessing: fixing or escalating unrated costs against the same response rated', () => {
    const seeds = seedsWhere(hiddenOf, (h) => h.rightResponse !== 'defer', 40);
    const blind: number[] = [];
    const rated: number[] = [];
    for (const seed of seeds) {
      const h = hiddenOf(seed);
      const a = play(seed, [respond(h.rightResponse)]);
      const b = play(seed, [severity(h.severity), radius(h.radius), respond(h.rightResponse)]);
      expect(a.facts.reactedBeforeAssessing).toBe(true);
      expect(a.outcome).toBeLessThan(b.outcome);
      blind.push(a.outcome);
      rated.push(b.outcome);
    }
    expect(mean(rated) - mean(blind)).toBeGreaterThan(0.1);
  });

  it('over_investigation: looking past the budget costs velocity and recovery', () => {
    for (const seed of seedsWhere(hiddenOf, () => true, 30)) {
      const h = hiddenOf(seed);
      const tail = informed(h);
      const lean = play(seed, [investigate('impact'), investigate('spread'), ...tail]);
      const heavy = play(seed, [
        investigate('impact'),
        investigate('spread'),
        investigate('ownership'),
        investigate('impact'),
        investigate('spread'),
        investigate('impact'),
        ...tail,
      ]);
      expect(heavy.facts.excessInvestigation).toBe(3);
      expect(heavy.outcome).toBeLessThan(lean.outcome);
    }
  });

  it('everything_critical: rating a milder disturbance critical makes the team swarm and spreads alarm', () => {
    const seeds = seedsWhere(hiddenOf, (h) => (h.severity === 'low' || h.severity === 'medium') && h.rightResponse === 'fix_now', 25);
    expect(seeds.length).toBeGreaterThanOrEqual(10);
    for (const seed of seeds) {
      const h = hiddenOf(seed);
      const alarmed = play(seed, [severity('critical'), radius(h.radius), ...tellNeeded(h), respond(h.rightResponse)]);
      const calm = play(seed, informed(h));
      expect(alarmed.facts.alarmSpread).toBe(true);
      expect(alarmed.facts.swarmHours).toBeGreaterThan(0);
      expect(alarmed.outcome).toBeLessThan(calm.outcome);
    }
  });

  it('documents every lever the tests exercise', () => {
    expect(triage.levers.map((l) => l.name)).toEqual([
      'investigate_before_assessing',
      'right_response',
      'communicate_assessment',
      'react_before_assessing',
      'over_investigation',
      'everything_critical',
    ]);
  });
});

describe('triage episodes', () => {
  it('refuses to communicate an assessment before one exists, leaving the state unchanged', () => {
    const env = new DojoEnv(triage);
    const { observation } = env.resetSync({ seed: 3 });
    const before = JSON.stringify(observation.structured.state);
    const result = env.stepSync(tell('team'));
    expect(result.info.valid).toBe(false);
    expect(result.info.error).toMatch(/assessment/);
    expect(JSON.stringify(result.observation.structured.state)).toBe(before);
    expect(env.legalActions().some((a) => a.type === 'communicate' && a.args?.content === 'assessment')).toBe(false);
    expect(env.stepSync(severity('high')).info.valid).toBe(true);
    expect(env.legalActions().some((a) => a.type === 'communicate' && a.args?.content === 'assessment')).toBe(true);
  });

  it('rejects arguments outside the vocabulary without throwing', () => {
    const env = new DojoEnv(triage);
    env.resetSync({ seed: 1 });
    expect(env.stepSync({ type: 'investigate', args: { area: 'vibes' } }).info.valid).toBe(false);
    expect(env.stepSync({ type: 'assess_severity', args: { level: 'apocalyptic' } }).info.valid).toBe(false);
    expect(env.stepSync({ type: 'communicate', args: { audience: 'ceo', content: 'status' } }).info.valid).toBe(false);
  });

  it('a third look at one area finds nothing new', () => {
    const { facts, trace } = play(2, [investigate('impact'), investigate('impact'), investigate('impact'), respond('defer')]);
    expect(facts.investigations).toBe(3);
    expect(trace.decisions[2]?.links.some((l) => l.effect === 'nothing_new')).toBe(true);
  });

  it('scripted personas finish 50 seeds inside the typical length', () => {
    for (const { persona, trace } of personaTraces(triage, ['senior', 'mid', 'junior'])) {
      expect(trace.terminated).toBe(true);
      if (persona === 'senior') expect(trace.turns).toBeLessThanOrEqual(12);
    }
  });

  it('respects the domain option', () => {
    const a = createEpisode(triage, 7, { domain: 'cli_tool' }).view();
    expect(a.sprint.story).toBe('Profiles in the config file');
  });
});
