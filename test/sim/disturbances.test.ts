import { describe, expect, it } from 'vitest';
import { driveSync } from '../../src/rollout/sprint.js';
import { NO_DISTURBANCES, resolveFrequencies, scheduleDisturbances } from '../../src/sim/disturbances.js';
import { createTeamSprint, type FullSprintOptions, type FullSprintResult, sprintProcess } from '../../src/sim/full-sprint.js';
import type { TeamSprintResult } from '../../src/sim/sprint-result.js';
import { BLAST_RADII, DISTURBANCE_FREQUENCIES, DISTURBANCE_TYPES, type DisturbanceType, SEVERITIES } from '../../src/spec/curriculum.js';

/** An all-scripted sprint (no candidate): the fast path for statistics. */
function scripted(options: FullSprintOptions): TeamSprintResult {
  const team = createTeamSprint({ ...options, candidate: false });
  return (driveSync(sprintProcess([team], null), undefined) as FullSprintResult).teams[0] as TeamSprintResult;
}

function only(type: DisturbanceType, p = 1) {
  return { ...NO_DISTURBANCES, [type]: p };
}

describe('disturbance scheduling', () => {
  it('draws each type from its own keyed generator: turning one type off leaves the others unchanged', () => {
    for (let seed = 0; seed < 50; seed++) {
      const all = scheduleDisturbances(seed, 'T1', resolveFrequencies(true), 5);
      const without = scheduleDisturbances(seed, 'T1', { ...resolveFrequencies(true), flaky_test: 0 }, 5);
      const strip = (list: typeof all) => list.map((d) => `${d.type}/${d.severity}/${d.scheduledDay}/${d.intendedRadius}`);
      expect(strip(without)).toEqual(strip(all).filter((x) => !x.startsWith('flaky_test/')));
    }
  });

  it('rejects bad frequency overrides with a clear message', () => {
    expect(() => resolveFrequencies({ flaky_tests: 0.2 } as never)).toThrow(/unknown disturbance type "flaky_tests"/);
    expect(() => resolveFrequencies({ flaky_test: 1.5 })).toThrow(/probability in \[0, 1\]/);
  });
});

describe('disturbance frequencies over 10,000 sprints', () => {
  it('every type fires at its configured per-sprint frequency within sampling error, and changes sprint state', () => {
    const n = 10_000;
    const fired = Object.fromEntries(DISTURBANCE_TYPES.map((t) => [t, 0])) as Record<DisturbanceType, number>;
    const withEffects = { ...fired };
    for (let seed = 0; seed < n; seed++) {
      const team = scripted({ seed });
      for (const d of team.disturbances) {
        if (d.firedDay === 0) continue;
        fired[d.type as DisturbanceType]++;
        if (d.effects.length > 0) withEffects[d.type as DisturbanceType]++;
        expect(SEVERITIES).toContain(d.severity);
        expect(BLAST_RADII).toContain(d.blastRadius);
      }
    }
    for (const type of DISTURBANCE_TYPES) {
      const p = DISTURBANCE_FREQUENCIES[type];
      const rate = fired[type] / n;
      const sigma = Math.sqrt((p * (1 - p)) / n);
      // Within 4 standard errors (about ±0.02 at these rates).
      expect(Math.abs(rate - p), `${type}: fired ${rate} vs configured ${p}`).toBeLessThan(4 * sigma);
      expect(withEffects[type], `${type} fired without effect`).toBe(fired[type]);
    }
  }, 240_000);
});

describe('each disturbance type has a concrete effect', () => {
  const expected: Record<DisturbanceType, string[]> = {
    dependency_breaks: ['blocked'],
    production_incident: ['capacity_lost'],
    flaky_test: ['tests_failing'],
    scope_creep: ['scope_added'],
    junior_misunderstanding: ['reopened'],
    architectural_debt_surfaces: ['effort_added'],
    merge_conflict: [],
  };
  for (const type of DISTURBANCE_TYPES) {
    it(`${type}: fires, has its effect kinds, and the sprint differs from its calm twin`, () => {
      let differs = 0;
      let firedCount = 0;
      for (let seed = 0; seed < 30; seed++) {
        const hit = scripted({ seed, disturbances: only(type), blastRadius: 'off' });
        const calm = scripted({ seed, disturbances: false, blastRadius: 'off' });
        const d = hit.disturbances.find((x) => x.type === type);
        expect(d).toBeDefined();
        if (!d || d.firedDay === 0) continue;
        firedCount++;
        expect(d.effects.length).toBeGreaterThan(0);
        const kinds = new Set(d.effects.map((e) => e.kind));
        for (const k of expected[type]) expect(kinds.has(k as never), `${type} lacks ${k}`).toBe(true);
        if (type === 'merge_conflict') expect([...kinds].every((k) => k === 'effort_added' || k === 'reopened')).toBe(true);
        const state = (t: TeamSprintResult) =>
          JSON.stringify([t.daysLog.map((l) => [l.columns, l.blocked, l.lostHours, l.idleHours, l.pairs]), t.stories, t.pairHours]);
        if (state(hit) !== state(calm)) differs++;
      }
      expect(firedCount).toBeGreaterThanOrEqual(28);
      expect(differs).toBe(firedCount);
    });
  }

  it('a disturbance waits until its targets exist', () => {
    for (let seed = 0; seed < 40; seed++) {
      for (const type of ['flaky_test', 'junior_misunderstanding', 'architectural_debt_surfaces', 'merge_conflict'] as const) {
        const team = scripted({
          seed,
          disturbances: false,
          controls: [{ control: 'inject_disturbance', type, severity: 'medium', day: 1 }],
        });
        const d = team.disturbances[0];
        expect(d?.scheduledDay).toBe(1);
        // Nothing has been worked on the morning of day 1: these need started cards, so they fire later.
        expect(d?.firedDay, `${type} seed ${seed}`).toBeGreaterThan(1);
      }
      // In-progress cards exist from the first morning's pull: a broken dependency can hit on day 1.
      const dep = scripted({
        seed,
        disturbances: false,
        controls: [{ control: 'inject_disturbance', type: 'dependency_breaks', severity: 'low', day: 1 }],
      });
      expect(dep.disturbances[0]?.firedDay).toBe(1);
    }
  });

  it('a production incident pulls developers: capacity is lost that day', () => {
    const hit = scripted({
      seed: 3,
      disturbances: false,
      controls: [{ control: 'inject_disturbance', type: 'production_incident', severity: 'critical', day: 2 }],
    });
    const calm = scripted({ seed: 3, disturbances: false });
    expect((hit.daysLog[1]?.lostHours ?? 0) - (calm.daysLog[1]?.lostHours ?? 0)).toBeGreaterThan(5);
    // Critical spills into the next day.
    expect(hit.daysLog[2]?.lostHours ?? 0).toBeGreaterThan(calm.daysLog[2]?.lostHours ?? 0);
  });
});

describe('blast-radius limits', () => {
  it('are never exceeded (property over many seeds, every type firing, random limits)', () => {
    let contained = 0;
    let checked = 0;
    for (let seed = 0; seed < 600; seed++) {
      const maxCards = 1 + (seed % 3);
      const maxStories = 1 + ((seed >> 2) % 2);
      const all = Object.fromEntries(DISTURBANCE_TYPES.map((t) => [t, 1]));
      const team = scripted({ seed, disturbances: all, blastRadius: { maxCards, maxStories } });
      for (const d of team.disturbances) {
        if (d.firedDay === 0) continue;
        checked++;
        expect(d.cardsAffected.length, `${d.id} seed ${seed}`).toBeLessThanOrEqual(maxCards);
        expect(d.storiesAffected.length, `${d.id} seed ${seed}`).toBeLessThanOrEqual(maxStories);
        if (d.contained) contained++;
      }
    }
    expect(checked).toBeGreaterThan(3000);
    // The limits actually bite.
    expect(contained).toBeGreaterThan(100);
  });

  it('without limits, disturbances reach wider than the limits allow', () => {
    let wider = 0;
    for (let seed = 0; seed < 200; seed++) {
      const all = Object.fromEntries(DISTURBANCE_TYPES.map((t) => [t, 1]));
      const team = scripted({ seed, disturbances: all, blastRadius: 'off' });
      for (const d of team.disturbances) if (d.cardsAffected.length > 3 || d.storiesAffected.length > 2) wider++;
      for (const d of team.disturbances) expect(d.contained).toBe(false);
    }
    expect(wider).toBeGreaterThan(20);
  });

  it('the recorded blast radius matches what was touched', () => {
    for (let seed = 0; seed < 200; seed++) {
      const all = Object.fromEntries(DISTURBANCE_TYPES.map((t) => [t, 1]));
      const team = scripted({ seed, disturbances: all, blastRadius: 'off' });
      for (const d of team.disturbances) {
        if (d.firedDay === 0) continue;
        if (d.storiesAffected.length >= 2 || d.membersAffected.length >= 3) expect(d.blastRadius).toBe('sprint');
        else if (d.cardsAffected.length <= 1 && d.membersAffected.length <= 1) expect(d.blastRadius).toBe('task');
      }
    }
  });
});
