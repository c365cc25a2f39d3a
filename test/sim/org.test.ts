import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/errors.js';
import { Rng } from '../../src/core/rng.js';
import { createOrg, type Org } from '../../src/sim/org.js';
import type { OrgOptions } from '../../src/sim/org-options.js';
import { CONVENTION_ASPECTS } from '../../src/sim/org-teams.js';
import { DEFAULT_TEAM_ROLES } from '../../src/sim/team.js';
import { PROTECTED_ROLES } from '../../src/sim/team-change.js';

function org(seed: number, options: OrgOptions = {}): Org {
  return createOrg(Rng.seeded(seed), options);
}

/** A member of the team with the role who is the only holder of no knowledge area (so borrowing them costs no coverage). */
function freeMember(o: Org, teamId: string, role: string): string {
  const team = o.team(teamId);
  const solo = new Set(team.knowledgeAreas.filter((a) => Object.keys(a.holders).length === 1).flatMap((a) => Object.keys(a.holders)));
  const m = team.members.find((x) => x.role === role && !solo.has(x.id));
  if (!m) throw new Error(`no free ${role} in ${teamId}`);
  return m.id;
}

/** First member of a team with the given role. */
function memberWithRole(o: Org, teamId: string, role: string): string {
  const m = o.team(teamId).members.find((x) => x.role === role);
  if (!m) throw new Error(`no ${role} in ${teamId}`);
  return m.id;
}

describe('createOrg', () => {
  it('builds 1 to 3 teams with their own domain, language, codebase, conventions and the default roles', () => {
    for (const teams of [1, 2, 3] as const) {
      const o = org(5, { teams });
      expect(o.teams).toHaveLength(teams);
      expect(new Set(o.teams.map((t) => t.domain)).size).toBe(teams);
      expect(new Set(o.teams.map((t) => t.language)).size).toBe(teams);
      for (const t of o.teams) {
        expect(t.members.map((m) => m.role)).toEqual(DEFAULT_TEAM_ROLES);
        expect(Object.keys(t.conventions).sort()).toEqual([...CONVENTION_ASPECTS].sort());
        expect(['greenfield', 'small_brownfield', 'large_brownfield']).toContain(t.codebase);
      }
      const ids = o.teams.flatMap((t) => t.members.map((m) => m.id));
      const names = o.teams.flatMap((t) => t.members.map((m) => m.name));
      expect(new Set(ids).size).toBe(ids.length);
      expect(new Set(names).size).toBe(names.length);
      expect(o.day).toBe(1);
    }
  });

  it('gives every pair of teams conventions that differ in at least 3 aspects', () => {
    for (let seed = 0; seed < 50; seed++) {
      const o = org(seed, { teams: 3 });
      expect(o.conventionDistance('T1', 'T2')).toBeGreaterThanOrEqual(3 / 8);
      expect(o.conventionDistance('T1', 'T3')).toBeGreaterThanOrEqual(3 / 8);
      expect(o.conventionDistance('T2', 'T3')).toBeGreaterThanOrEqual(3 / 8);
      expect(o.conventionDistance('T2', 'T2')).toBe(0);
    }
  });

  it('gives each team knowledge areas held by people, two of them by a single departable member', () => {
    for (let seed = 0; seed < 50; seed++) {
      const o = org(seed, { teams: 2 });
      for (const t of o.teams) {
        expect(t.knowledgeAreas.length).toBeGreaterThanOrEqual(5);
        const ids = new Set(t.members.map((m) => m.id));
        let soloDepartable = 0;
        for (const area of t.knowledgeAreas) {
          expect(area.criticality).toBeGreaterThanOrEqual(0);
          expect(area.criticality).toBeLessThanOrEqual(1);
          const holders = Object.keys(area.holders);
          expect(holders.length).toBeGreaterThanOrEqual(1);
          for (const h of holders) expect(ids.has(h)).toBe(true);
          const only = holders.length === 1 ? o.memberState(holders[0] as string).member.role : undefined;
          if (only && !PROTECTED_ROLES.includes(only)) soloDepartable++;
        }
        expect(soloDepartable).toBeGreaterThanOrEqual(2);
        expect(o.knowledgeCoverage(t.id).coverage).toBe(1);
        expect(o.knowledgeCoverage(t.id).uncovered).toEqual([]);
      }
    }
  });

  it('honours explicit domains and languages', () => {
    const o = org(1, { teams: 2, domains: ['cli_tool', 'ml_service'], languages: ['go', 'go'] });
    expect(o.teams.map((t) => t.domain)).toEqual(['cli_tool', 'ml_service']);
    expect(o.teams.map((t) => t.language)).toEqual(['go', 'go']);
    expect(o.team('T2').name).toBe('ML Serving');
  });

  it('is deterministic by seed', () => {
    const a = org(42, { teams: 3 });
    const b = org(42, { teams: 3 });
    const c = org(43, { teams: 3 });
    expect(JSON.stringify(a.teams)).toBe(JSON.stringify(b.teams));
    expect(JSON.stringify(a.teams)).not.toBe(JSON.stringify(c.teams));
  });

  it('rejects invalid options with messages that say how to fix them', () => {
    expect(() => org(1, { teams: 4 as 3 })).toThrow(ConfigError);
    expect(() => org(1, { teams: 4 as 3 })).toThrow(/teams must be 1, 2 or 3/);
    expect(() => org(1, { teams: 2, domains: ['crud_api', 'crud_api'] })).toThrow(/domains must all differ/);
    expect(() => org(1, { teams: 2, domains: ['crud_api'] })).toThrow(/one domain per team/);
    expect(() => org(1, { domains: ['crud_apj' as 'crud_api'] })).toThrow(/Did you mean "crud_api"/);
    expect(() => org(1, { teamz: 2 } as OrgOptions)).toThrow(/Unknown key "teamz" in createOrg options\. Did you mean "teams"/);
    expect(() => org(1, { hireDelayDays: [5, 2] })).toThrow(/hireDelayDays must be \[min, max\]/);
    expect(() => org(1, { attritionPerSprint: 1.5 })).toThrow(/attritionPerSprint must be a number in \[0, 1\]/);
    expect(() => org(1, { protectedRoles: ['boss' as 'dev_lead'] })).toThrow(/Unknown protected role "boss"/);
    expect(() => org(1).team('T9')).toThrow(/Unknown team "T9"/);
    expect(() => org(1).memberState('T1-M99')).toThrow(/Unknown member "T1-M99"/);
  });
});

describe('capacity and coordination', () => {
  it('is the members focus hours (product owner excluded) with no other team and nothing ramping', () => {
    const o = org(3);
    const b = o.capacityBreakdown('T1');
    expect(b.focusHours).toBe(60);
    expect(b.coordinationHours).toBe(0);
    expect(b.capacityHours).toBe(60);
  });

  it('charges coordination per other team and per open cross-team dependency', () => {
    const o = org(3, { teams: 3 });
    expect(o.capacityBreakdown('T1').coordinationHours).toBe(1);
    const d = o.openDependency('T1', 'T2');
    expect(o.capacityBreakdown('T1').coordinationHours).toBe(1.5);
    expect(o.capacityBreakdown('T2').coordinationHours).toBe(1.5);
    expect(o.capacityBreakdown('T3').coordinationHours).toBe(1);
    o.closeDependency(d);
    expect(o.capacityHours('T1')).toBe(59);
    expect(() => o.closeDependency(d)).toThrow(/Unknown or already closed dependency "D1"/);
    expect(() => o.openDependency('T1', 'T1')).toThrow(/two different teams/);
  });

  it('is fast: a day of 33 members with three capacity reads takes microseconds', () => {
    const o = org(9, { teams: 3, attritionPerSprint: 0.2 });
    o.borrow(memberWithRole(o, 'T1', 'mid_dev'), 'T2', 5);
    const start = performance.now();
    let sum = 0;
    const days = 2000;
    for (let i = 0; i < days; i++) {
      o.advanceDay();
      sum += o.capacityHours('T1') + o.capacityHours('T2') + o.capacityHours('T3');
    }
    const microsPerDay = ((performance.now() - start) * 1000) / days;
    expect(sum).toBeGreaterThan(0);
    // About 10-30 µs per day on an idle laptop core; the bound only catches accidental blow-ups on a busy machine.
    expect(microsPerDay).toBeLessThan(1000);
  });
});

describe('borrowing lifecycle', () => {
  it('borrow -> work -> return changes both teams capacities and comes back on the return day', () => {
    const o = org(11, { teams: 2 });
    const lender0 = o.capacityHours('T1');
    const receiver0 = o.capacityHours('T2');
    const id = freeMember(o, 'T1', 'senior_dev');
    const started = o.borrow(id, 'T2', 5);
    expect(started).toMatchObject({ type: 'borrow_started', day: 1, memberId: id, fromTeamId: 'T1', toTeamId: 'T2', returnDay: 6 });
    expect(o.memberState(id).status).toBe('borrowed');
    expect(o.workingMembers('T2').map((m) => m.id)).toContain(id);
    expect(o.workingMembers('T1').map((m) => m.id)).not.toContain(id);
    // Lender: loses the member's 6 hours and pays 0.5 h of borrow coordination.
    expect(o.capacityHours('T1')).toBeCloseTo(lender0 - 6 - 0.5, 5);
    // Receiver: the member's hours at the ramp floor, minus mentoring and borrow coordination.
    const floor = o.rampFactor(id);
    expect(floor).toBeGreaterThan(0);
    expect(floor).toBeLessThan(1);
    expect(o.capacityHours('T2')).toBeCloseTo(receiver0 + 6 * floor - 1.5 * (1 - floor) - 0.5, 5);

    const receiverByDay: number[] = [o.capacityHours('T2')];
    const returned: number[] = [];
    for (let d = 2; d <= 6; d++) {
      const events = o.advanceDay();
      if (events.some((e) => e.type === 'borrow_returned' && e.memberId === id)) returned.push(o.day);
      if (d < 6) receiverByDay.push(o.capacityHours('T2'));
    }
    expect(returned).toEqual([6]);
    // The receiver's gain grows as the borrowed member ramps up.
    for (let i = 1; i < receiverByDay.length; i++) expect(receiverByDay[i]).toBeGreaterThan(receiverByDay[i - 1] as number);
    // A senior borrowed for 5 days is a net gain for the receiver on every day after the first.
    for (const c of receiverByDay.slice(1)) expect(c).toBeGreaterThan(receiver0);
    // Back home: the receiver is back to its baseline, the lender has a short context switch.
    expect(o.memberState(id).status).toBe('active');
    expect(o.capacityHours('T2')).toBeCloseTo(receiver0, 5);
    expect(o.capacityHours('T1')).toBeGreaterThan(lender0 - 6);
    expect(o.capacityHours('T1')).toBeLessThan(lender0);
    o.advanceDay();
    o.advanceDay();
    expect(o.capacityHours('T1')).toBeCloseTo(lender0, 5);
    expect(o.log.map((e) => e.type)).toContain('ramp_completed');
  });

  it('ramps a borrowed member up faster when onboarding support is given', () => {
    const a = org(12, { teams: 2 });
    const b = org(12, { teams: 2 });
    const id = memberWithRole(a, 'T1', 'junior_dev');
    a.borrow(id, 'T2', 10);
    b.borrow(id, 'T2', 10, { onboardingSupport: 1 });
    expect((b.memberState(id).ramp?.days ?? 0) < (a.memberState(id).ramp?.days ?? 0)).toBe(true);
  });

  it('ends a borrow early on request', () => {
    const o = org(13, { teams: 2 });
    const id = memberWithRole(o, 'T1', 'mid_dev');
    o.borrow(id, 'T2', 10);
    o.advanceDay();
    expect(o.endBorrow(id)).toMatchObject({ type: 'borrow_returned', day: 2, fromTeamId: 'T2', toTeamId: 'T1' });
    expect(o.memberState(id).workingTeamId).toBe('T1');
    expect(() => o.endBorrow(id)).toThrow(/is not borrowed/);
  });

  it('refuses protected roles, double borrows and invalid requests with clear errors', () => {
    const o = org(14, { teams: 3 });
    const po = memberWithRole(o, 'T1', 'product_owner');
    const lead = memberWithRole(o, 'T1', 'dev_lead');
    const dev = memberWithRole(o, 'T1', 'mid_dev');
    expect(o.canBorrow(po, 'T2', 3)).toMatch(/protected role/);
    expect(() => o.borrow(po, 'T2', 3)).toThrow(ConfigError);
    expect(() => o.borrow(lead, 'T2', 3)).toThrow(/T1-M1 is the dev_lead of T1, a protected role/);
    expect(() => o.borrow(dev, 'T1', 3)).toThrow(/already belongs to T1/);
    expect(() => o.borrow(dev, 'T2', 0)).toThrow(/whole number of days in 1\.\.60/);
    expect(() => o.borrow(dev, 'T2', 2.5)).toThrow(/whole number of days/);
    expect(() => o.borrow(dev, 'T4', 3)).toThrow(/Unknown team "T4"/);
    expect(() => o.borrow('T1-M66', 'T2', 3)).toThrow(/Unknown member "T1-M66"\. Did you mean "T1-M6"/);
    expect(() => o.borrow(dev, 'T2', 3, { onboardingSupport: 2 })).toThrow(/onboardingSupport must be a number in \[0, 1\]/);
    expect(() => o.borrow(dev, 'T2', 3, { support: 1 } as never)).toThrow(/Unknown key "support" in borrow options/);
    expect(o.canBorrow(dev, 'T2', 3)).toBeUndefined();
    o.borrow(dev, 'T2', 3);
    expect(() => o.borrow(dev, 'T3', 3)).toThrow(/already borrowed by T2 until day 4/);
    // Nothing changed by the refused calls.
    expect(o.log.filter((e) => e.type === 'borrow_started')).toHaveLength(1);
  });

  it('makes a knowledge holder borrowed away leave the area uncovered at home while away', () => {
    const o = org(15, { teams: 2, rediscoveryPerDay: 0 });
    const area = o.team('T1').knowledgeAreas.find((a) => Object.keys(a.holders).length === 1) as {
      id: string;
      holders: Record<string, number>;
    };
    const holder = Object.keys(area.holders)[0] as string;
    const before = o.capacityBreakdown('T1').knowledgePenaltyHours;
    o.borrow(holder, 'T2', 2);
    expect(o.knowledgeCoverage('T1').uncovered.map((a) => a.areaId)).toContain(area.id);
    expect(o.capacityBreakdown('T1').knowledgePenaltyHours).toBeGreaterThan(before);
    o.advanceDay();
    o.advanceDay();
    expect(o.knowledgeCoverage('T1').uncovered).toEqual([]);
  });
});

describe('determinism and choice independence', () => {
  function script(o: Org): string {
    o.borrow('T1-M6', 'T2', 4);
    o.advanceDay();
    o.depart('T2-M8', { handoff: Object.fromEntries(o.areasHeldBy('T2-M8').map((a) => [a.id, 0.6])) });
    for (let d = 0; d < 25; d++) o.advanceDay();
    return JSON.stringify({ log: o.log, teams: o.teams, capacity: o.teams.map((t) => o.capacityBreakdown(t.id)) });
  }

  it('replays the same world from the same seed and the same choices', () => {
    expect(script(org(77, { teams: 3, attritionPerSprint: 0.5 }))).toBe(script(org(77, { teams: 3, attritionPerSprint: 0.5 })));
    expect(script(org(77, { teams: 3, attritionPerSprint: 0.5 }))).not.toBe(script(org(78, { teams: 3, attritionPerSprint: 0.5 })));
  });

  it('keeps fates keyed by ids: a borrow elsewhere does not change a backfill delay or the hire drawn', () => {
    for (let seed = 0; seed < 20; seed++) {
      const a = org(seed, { teams: 2 });
      const b = org(seed, { teams: 2 });
      b.borrow('T2-M5', 'T1', 3); // a choice unrelated to the departure
      a.advanceDay();
      b.advanceDay();
      const ea = a.depart('T1-M7');
      const eb = b.depart('T1-M7');
      expect(eb).toMatchObject({ backfillId: 'T1-M7-b1', backfillArrivalDay: ea.backfillArrivalDay });
      for (let d = 0; d < 12; d++) {
        a.advanceDay();
        b.advanceDay();
      }
      expect(b.memberState('T1-M7-b1').member.skills).toEqual(a.memberState('T1-M7-b1').member.skills);
      expect(b.memberState('T1-M7-b1').arrivedDay).toBe(a.memberState('T1-M7-b1').arrivedDay);
    }
  });
});
