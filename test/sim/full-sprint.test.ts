import { describe, expect, it } from 'vitest';
import { persona } from '../../src/cli/registry.js';
import { EPISODE_TYPES } from '../../src/episodes/all.js';
import {
  borrowingGain,
  departureDip,
  disturbanceVelocityDrop,
  episodeTypesByName,
  runFullSprint,
  runFullSprintSync,
  runOrgSprintSync,
  SprintPlayer,
  storiesPassingQa,
} from '../../src/rollout/sprint.js';
import { PROFILE_SWAPPING_MODES } from '../../src/spec/curriculum.js';
import { runCli } from '../cli/run.js';

const kinds = episodeTypesByName(EPISODE_TYPES);
const players = new Map<string, SprintPlayer>();
function player(name: string): SprintPlayer {
  let p = players.get(name);
  if (!p) {
    p = new SprintPlayer(persona(name, 0), kinds);
    players.set(name, p);
  }
  return p;
}
const seeds = (n: number, first = 0) => Array.from({ length: n }, (_, i) => first + i);

describe('full sprint', () => {
  it('delivers nonzero velocity with every scripted persona as the candidate (and with none)', () => {
    for (const name of ['senior', 'mid', 'junior', 'random', 'performative', null]) {
      let velocity = 0;
      let zero = 0;
      for (const seed of seeds(20)) {
        const team = runFullSprintSync({ seed }, name ? player(name) : null).teams[0];
        velocity += team?.velocity ?? 0;
        if (team?.velocity === 0) zero++;
        expect(team?.velocity).toBeLessThanOrEqual(team?.committedPoints ?? 0);
      }
      expect(velocity / 20, `${name}`).toBeGreaterThan(3);
      expect(zero, `${name}: sprints with velocity 0`).toBeLessThanOrEqual(4);
    }
  });

  it('is deterministic by seed, and seeds differ', () => {
    const a = JSON.stringify(runFullSprintSync({ seed: 11 }, persona('senior', 0), kinds));
    const b = JSON.stringify(runFullSprintSync({ seed: 11 }, persona('senior', 0), kinds));
    const c = JSON.stringify(runFullSprintSync({ seed: 12 }, persona('senior', 0), kinds));
    expect(a).toBe(b);
    expect(a).not.toBe(c);
  });

  it('runs the phases in order and the candidate plays its phase episodes', () => {
    const result = runFullSprintSync({ seed: 7 }, player('senior'));
    expect(result.schema).toBe('dojo.sprint/1');
    expect(result.phases).toEqual(['refinement', 'planning', 'work', 'review', 'retrospective']);
    const team = result.teams[0];
    expect(team?.daysLog.map((d) => d.day)).toEqual([1, 2, 3, 4, 5]);
    expect(team?.candidateStories.total).toBe(3);
    const count = (purpose: string) => result.episodes.filter((e) => e.purpose === purpose && e.played).length;
    expect(count('refinement')).toBe(3);
    expect(count('planning')).toBe(3);
    expect(count('implementation')).toBeGreaterThanOrEqual(1);
    expect(count('checkpoint')).toBe(1);
    const order = result.episodes.map((e) => e.purpose);
    expect(order.lastIndexOf('refinement')).toBeLessThan(order.indexOf('planning'));
    expect(order.lastIndexOf('planning')).toBeLessThan(order.indexOf('implementation'));
    expect(team?.retrospective.length).toBeGreaterThan(0);
    for (const s of team?.stories ?? []) if (s.qaPassed) expect(s.cycleTimeDays).toBeGreaterThanOrEqual(1);
  });

  it('the candidate triages and recovers when a disturbance hits its work, if those types are registered', () => {
    let triaged = 0;
    let fallback = 0;
    const stage1Only = new SprintPlayer(
      persona('senior', 0),
      episodeTypesByName(
        EPISODE_TYPES.filter((k) => ['elicitation', 'decomposition', 'implementation', 'self_monitoring'].includes(k.name)),
      ),
    );
    for (const seed of seeds(30)) {
      const result = runFullSprintSync({ seed }, player('senior'));
      const triage = result.episodes.filter((e) => e.purpose === 'triage');
      triaged += triage.filter((e) => e.played).length;
      for (const e of triage) {
        const d = result.teams[0]?.disturbances.find((x) => x.id === e.disturbanceId);
        expect(d?.firedDay).toBeGreaterThan(0);
        if (kinds.triage && e.played) expect(d?.responseFactor).not.toBe(1);
      }
      const plain = runFullSprintSync({ seed }, stage1Only);
      for (const e of plain.episodes.filter((x) => x.purpose === 'triage')) {
        expect(e.played).toBe(false);
        fallback++;
      }
      for (const d of plain.teams[0]?.disturbances ?? []) expect(d.responseFactor).toBe(1);
    }
    if (kinds.triage) expect(triaged).toBeGreaterThan(3);
    expect(fallback).toBeGreaterThan(3);
  });

  it('the senior-led team delivers more accepted stories than the junior-led team over 500 seeds', () => {
    const totals: Record<string, { accepted: number; velocity: number; qa: number }> = {};
    for (const name of ['senior', 'junior']) {
      const t = { accepted: 0, velocity: 0, qa: 0 };
      for (const seed of seeds(500, 10_000)) {
        const team = runFullSprintSync({ seed }, player(name)).teams[0];
        t.accepted += team?.acceptedStories ?? 0;
        t.velocity += team?.velocity ?? 0;
        t.qa += team?.candidateStories.qaPassed ?? 0;
      }
      totals[name] = t;
    }
    const senior = totals.senior as { accepted: number; velocity: number; qa: number };
    const junior = totals.junior as { accepted: number; velocity: number; qa: number };
    expect(senior.accepted).toBeGreaterThan(junior.accepted * 1.2);
    expect(senior.velocity).toBeGreaterThan(junior.velocity);
    expect(senior.qa).toBeGreaterThan(junior.qa);
  }, 240_000);

  it('stage 1 measure: the senior gets at least 2 of its 3 stories through QA most of the time, the junior less often', () => {
    const met = (name: string) =>
      seeds(100, 500).filter((seed) => storiesPassingQa(runFullSprintSync({ seed, disturbances: false }, player(name))).met).length;
    const senior = met('senior');
    const junior = met('junior');
    expect(senior).toBeGreaterThan(70);
    expect(senior).toBeGreaterThan(junior + 20);
  });

  it('stage 2 measure: disturbance sprints lose velocity against their calm twins, less than 30% for the senior', () => {
    const senior = disturbanceVelocityDrop(seeds(80, 700), player('senior'), { profileSwapping: 'constrained' });
    expect(senior.sprints).toBeGreaterThan(50);
    expect(senior.drop).toBeGreaterThan(0);
    expect(senior.drop).toBeLessThan(0.3);
  });

  it('profile swapping modes none / constrained / free behave observably differently', () => {
    const stats = Object.fromEntries(PROFILE_SWAPPING_MODES.map((mode) => [mode, { swaps: 0, idle: 0, velocity: 0, maxPerDay: 0 }]));
    for (const mode of PROFILE_SWAPPING_MODES) {
      const s = stats[mode] as { swaps: number; idle: number; velocity: number; maxPerDay: number };
      for (const seed of seeds(40)) {
        const team = runFullSprintSync({ seed, profileSwapping: mode }, null).teams[0];
        s.swaps += team?.swaps ?? 0;
        s.idle += team?.idleHours ?? 0;
        s.velocity += team?.velocity ?? 0;
        for (const d of team?.daysLog ?? []) s.maxPerDay = Math.max(s.maxPerDay, d.swaps);
      }
    }
    const none = stats.none as { swaps: number; idle: number; velocity: number; maxPerDay: number };
    const constrained = stats.constrained as typeof none;
    const free = stats.free as typeof none;
    expect(none.swaps).toBe(0);
    expect(constrained.swaps).toBeGreaterThan(0);
    expect(constrained.maxPerDay).toBeLessThanOrEqual(2);
    expect(free.swaps).toBeGreaterThan(constrained.swaps);
    expect(free.maxPerDay).toBeGreaterThan(2);
    expect(constrained.idle).toBeLessThan(none.idle);
    expect(free.idle).toBeLessThan(constrained.idle);
    expect(new Set([none.velocity, constrained.velocity, free.velocity]).size).toBe(3);
  });

  it('an async Policy drives the same sprint as the synchronous scripted runner', async () => {
    const sync = runFullSprintSync({ seed: 21 }, persona('mid', 0), kinds);
    const viaPolicy = await runFullSprint({ seed: 21 }, persona('mid', 0), kinds);
    expect(JSON.stringify(viaPolicy)).toBe(JSON.stringify(sync));
  });
});

describe('organisation sprints (teams 2-3, borrowing, departures)', () => {
  it('runs 2 and 3 teams in lockstep', () => {
    for (const teams of [2, 3] as const) {
      const result = runOrgSprintSync({ seed: 3, teams }, player('senior'));
      expect(result.teams.map((t) => t.teamId)).toEqual(['T1', 'T2', 'T3'].slice(0, teams));
      for (const t of result.teams) {
        expect(t.daysLog).toHaveLength(5);
        expect(t.velocity).toBeGreaterThanOrEqual(0);
      }
      expect(new Set(result.teams.map((t) => t.domain)).size).toBe(teams);
      expect(result.teams[0]?.candidateSeat).toBe('T1-M1');
    }
  });

  it('stage 3: a borrowed candidate plays borrowing_arrival and works in the receiving team; the senior helps it more than the junior', () => {
    const result = runOrgSprintSync({ seed: 5, teams: 2, borrowInto: 'T2' }, player('senior'));
    expect(result.teams[1]?.candidateSeat).toBe('T1-M4');
    expect(result.teams[1]?.candidateStories.total).toBeGreaterThan(0);
    expect(result.teams[0]?.candidateSeat).toBeNull();
    if (kinds.borrowing_arrival) expect(result.episodes[0]).toMatchObject({ type: 'borrowing_arrival', played: true });
    const senior = borrowingGain(seeds(60, 900), player('senior'));
    const junior = borrowingGain(seeds(60, 900), player('junior'));
    expect(senior.gain).toBeGreaterThan(junior.gain);
    expect(senior.gain).toBeGreaterThan(0);
  });

  it('stage 4: the candidate hands off and leaves; a handoff limits the velocity dip', () => {
    const result = runOrgSprintSync({ seed: 5, teams: 1, candidateDeparts: true }, player('senior'));
    expect(result.teams[0]?.candidateSeat).toBeNull();
    if (kinds.knowledge_handoff) expect(result.episodes[0]).toMatchObject({ type: 'knowledge_handoff', played: true });
    const senior = departureDip(seeds(60, 1300), player('senior'));
    const none = departureDip(seeds(60, 1300), null);
    expect(senior.dip).toBeGreaterThan(0);
    expect(senior.dip).toBeLessThanOrEqual(none.dip);
  });
});

describe('dojo sprint', () => {
  const run = runCli;

  it('prints a readable sprint report', async () => {
    const { code, stdout } = await run('sprint', '--persona', 'senior', '--seed', '7');
    expect(code).toBe(0);
    for (const heading of ['Refinement', 'Planning', 'Work', 'Disturbances', 'Review', 'Retrospective', 'Velocity', 'Cycle time'])
      expect(stdout).toContain(heading);
    expect(stdout).toMatch(/elicitation/);
    expect(stdout).toMatch(/day 5/);
  });

  it('prints the same JSON for the same seed; disturbances off means none', async () => {
    const a = await run('sprint', '--seed', '3', '--json', '--disturbances', 'off');
    const b = await run('sprint', '--seed', '3', '--json', '--disturbances', 'off');
    expect(a.stdout).toBe(b.stdout);
    const result = JSON.parse(a.stdout);
    expect(result.schema).toBe('dojo.sprint/1');
    expect(result.teams[0].disturbances).toEqual([]);
  });

  it('runs several teams and the borrowed scenario; refuses what cannot work with a clear message', async () => {
    const teams = await run('sprint', '--seed', '2', '--teams', '3', '--json');
    expect(JSON.parse(teams.stdout).teams).toHaveLength(3);
    const borrowed = await run('sprint', '--seed', '2', '--teams', '2', '--scenario', 'borrowed');
    expect(borrowed.code).toBe(0);
    expect(borrowed.stdout).toContain('borrowing_arrival');
    const bad = await run('sprint', '--scenario', 'borrowed');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/needs --teams 2 or 3/);
    const typo = await run('sprint', '--persona', 'senoir');
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/Did you mean "senior"/);
    const teams4 = await run('sprint', '--teams', '4');
    expect(teams4.code).toBe(2);
  });
});
