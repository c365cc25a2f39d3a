import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/errors.js';
import { Rng } from '../../src/core/rng.js';
import { createOrg, type Org, type OrgEvent } from '../../src/sim/org.js';
import type { OrgOptions } from '../../src/sim/org-options.js';
import {
  borrowRamp,
  FULL_COVERAGE_DEPTH,
  generateHire,
  HIRE_RAMP_DAYS,
  hireRamp,
  type KnowledgeArea,
  knowledgeCoverage,
  MAX_HIRE_RAMP_DAYS,
  rampFactor,
  returnRamp,
  transferDepth,
} from '../../src/sim/team-change.js';

function org(seed: number, options: OrgOptions = {}): Org {
  return createOrg(Rng.seeded(seed), options);
}

/** A departable member who is the only holder of at least one area of the team. */
function soleHolder(o: Org, teamId = 'T1'): string {
  for (const area of o.team(teamId).knowledgeAreas) {
    const holders = Object.keys(area.holders);
    if (holders.length === 1 && o.canDepart(holders[0] as string) === undefined) return holders[0] as string;
  }
  throw new Error('no departable sole holder');
}

function fullHandoff(o: Org, memberId: string, quality = 1): Record<string, number> {
  return Object.fromEntries(o.areasHeldBy(memberId).map((a) => [a.id, quality]));
}

function advance(o: Org, days: number): OrgEvent[] {
  const out: OrgEvent[] = [];
  for (let d = 0; d < days; d++) out.push(...o.advanceDay());
  return out;
}

describe('ramp-up curves', () => {
  it('rises linearly from the floor to 1 over the ramp days', () => {
    const ramp = { startDay: 3, floor: 0.2, days: 4, kind: 'hire' as const };
    expect(rampFactor(undefined, 10)).toBe(1);
    expect(rampFactor(ramp, 3)).toBe(0.2);
    expect(rampFactor(ramp, 5)).toBeCloseTo(0.6, 10);
    expect(rampFactor(ramp, 7)).toBe(1);
    expect(rampFactor(returnRamp(1), 1)).toBe(0.8);
  });

  it('ramps a borrowed member faster and higher when skills match the receiving domain and conventions are close', () => {
    const days = (skill: number, distance: number, sameLanguage: boolean) =>
      borrowRamp(Rng.seeded(1, 'b'), skill, distance, sameLanguage, 1);
    expect(days(0.9, 0.3, true).days).toBeLessThan(days(0.3, 0.3, true).days);
    expect(days(0.9, 0.3, true).floor).toBeGreaterThan(days(0.3, 0.3, true).floor);
    expect(days(0.6, 0.2, true).days).toBeLessThan(days(0.6, 0.9, true).days);
    expect(days(0.6, 0.5, true).days).toBeLessThan(days(0.6, 0.5, false).days);
    expect(borrowRamp(Rng.seeded(1, 'b'), 0.5, 0.5, true, 1, 1).days).toBeLessThan(days(0.5, 0.5, true).days);
  });

  it('draws hire ramps within the documented range for each seniority', () => {
    for (let seed = 0; seed < 200; seed++) {
      for (const seniority of ['junior', 'mid', 'senior'] as const) {
        const ramp = hireRamp(Rng.seeded(seed), seniority, 0.5, 1);
        expect(ramp.days).toBeGreaterThanOrEqual(HIRE_RAMP_DAYS[seniority][0]);
        expect(ramp.days).toBeLessThanOrEqual(Math.min(MAX_HIRE_RAMP_DAYS, HIRE_RAMP_DAYS[seniority][1]));
        expect(ramp.floor).toBeGreaterThan(0);
        expect(ramp.floor).toBeLessThan(1);
      }
    }
  });

  it('generates hires with the role seniority and a skill for every domain', () => {
    const m = generateHire(Rng.seeded(3), 'X', 'junior_dev', 'Zoe', 'library');
    expect(m).toMatchObject({ id: 'X', name: 'Zoe', role: 'junior_dev', seniority: 'junior', hoursPerDay: 6 });
    expect(Object.keys(m.skills)).toHaveLength(7);
  });
});

describe('knowledge coverage', () => {
  const areas: KnowledgeArea[] = [
    { id: 'K1', teamId: 'T', name: 'a', criticality: 1, holders: { x: 0.9 } },
    { id: 'K2', teamId: 'T', name: 'b', criticality: 0.5, holders: { y: FULL_COVERAGE_DEPTH / 2 } },
    { id: 'K3', teamId: 'T', name: 'c', criticality: 0.4, holders: {} },
  ];

  it('weights coverage by criticality and penalises uncovered criticality proportionally, with a cap', () => {
    const all = knowledgeCoverage(areas, () => true, 0.15, 0.5);
    expect(all.areas.map((a) => a.coverage)).toEqual([1, 0.5, 0]);
    expect(all.uncovered.map((a) => a.areaId)).toEqual(['K3']);
    expect(all.uncoveredCriticality).toBeCloseTo(0.25 + 0.4, 10);
    expect(all.penalty).toBeCloseTo(0.15 * 0.65, 10);
    expect(all.coverage).toBeCloseTo((1 + 0.25) / 1.9, 10);
    const withoutX = knowledgeCoverage(areas, (id) => id !== 'x', 0.15, 0.5);
    expect(withoutX.penalty).toBeCloseTo(0.15 * 1.65, 10);
    expect(knowledgeCoverage(areas, () => false, 1, 0.5).penalty).toBe(0.5);
  });

  it('transfers more depth with a better handoff on the same fate', () => {
    const depth = (q: number) => transferDepth(Rng.seeded(9, 'handoff'), 0.9, q);
    expect(depth(0)).toBe(0);
    expect(depth(0.3)).toBeLessThan(depth(0.7));
    expect(depth(0.7)).toBeLessThan(depth(1));
    expect(depth(1)).toBeGreaterThanOrEqual(0.9 * 0.8 - 0.01);
  });
});

describe('departure lifecycle', () => {
  it('depart -> knowledge lost -> backfill arrives -> ramps up -> capacity recovers', () => {
    const o = org(21, { rediscoveryPerDay: 0 });
    const base = o.capacityHours('T1');
    const leaver = soleHolder(o);
    const solo = o
      .areasHeldBy(leaver)
      .filter((a) => Object.keys(a.holders).length === 1)
      .map((a) => a.id);
    const event = o.depart(leaver);
    expect(event).toMatchObject({
      type: 'departed',
      memberId: leaver,
      teamId: 'T1',
      cause: 'requested',
      handedOff: [],
      backfillId: `${leaver}-b1`,
    });
    expect(event.lostAreas).toEqual(solo);
    expect(o.memberState(leaver).status).toBe('departed');
    expect(o.team('T1').members.map((m) => m.id)).not.toContain(leaver);
    expect(o.rampFactor(leaver)).toBe(0);
    for (const id of solo) expect(o.knowledgeCoverage('T1').uncovered.map((a) => a.areaId)).toContain(id);
    const afterDeparture = o.capacityBreakdown('T1');
    expect(afterDeparture.focusHours).toBe(54);
    expect(afterDeparture.knowledgePenaltyHours).toBeGreaterThan(0);
    expect(afterDeparture.capacityHours).toBeLessThan(base - 6);
    expect(o.pendingHires('T1')).toEqual([
      expect.objectContaining({ hireId: `${leaver}-b1`, role: event.role, arrivalDay: event.backfillArrivalDay }),
    ]);

    // The backfill arrives on the scheduled day, ramps up and completes its ramp.
    const arrivalDay = event.backfillArrivalDay as number;
    const hireId = event.backfillId as string;
    const events = advance(o, arrivalDay - o.day);
    expect(events.filter((e) => e.type === 'hire_arrived')).toEqual([
      expect.objectContaining({ memberId: hireId, teamId: 'T1', role: event.role, replaces: leaver, day: arrivalDay }),
    ]);
    expect(o.pendingHires()).toEqual([]);
    expect(o.team('T1').members.map((m) => m.id)).toContain(hireId);
    const factors = [o.rampFactor(hireId)];
    let completedOn: number | undefined;
    while (completedOn === undefined && o.day < arrivalDay + 30) {
      for (const e of o.advanceDay()) if (e.type === 'ramp_completed' && e.memberId === hireId) completedOn = o.day;
      factors.push(o.rampFactor(hireId));
    }
    expect(completedOn).toBeDefined();
    expect((completedOn as number) - arrivalDay).toBeLessThanOrEqual(MAX_HIRE_RAMP_DAYS);
    for (let i = 1; i < factors.length; i++) expect(factors[i]).toBeGreaterThan(factors[i - 1] as number);
    // Capacity recovers the lost hours; only the knowledge that left stays lost (rediscovery is off).
    const recovered = o.capacityBreakdown('T1');
    expect(recovered.focusHours).toBe(60);
    expect(recovered.capacityHours).toBeGreaterThan(afterDeparture.capacityHours);
    expect(recovered.capacityHours).toBeCloseTo(60 - recovered.knowledgePenaltyHours, 5);
  });

  it('hands off knowledge so the area stays covered by the receiver', () => {
    const o = org(22);
    const leaver = soleHolder(o);
    const areas = o.areasHeldBy(leaver).map((a) => a.id);
    const receiver = o.team('T1').members.find((m) => m.role === 'mid_dev' && m.id !== leaver)?.id as string;
    const first = areas[0] as string;
    const event = o.depart(leaver, { handoff: fullHandoff(o, leaver), receivers: { [first]: receiver } });
    expect(event.lostAreas).toEqual([]);
    expect(event.handedOff.map((h) => h.areaId)).toEqual(areas);
    expect(event.handedOff[0]?.toMemberId).toBe(receiver);
    for (const h of event.handedOff) expect(h.depth).toBeGreaterThan(0.5);
    expect(o.knowledgeCoverage('T1').uncovered).toEqual([]);
  });

  it('loses less capacity with a handoff than without, on the same seed (many seeds)', () => {
    for (let seed = 0; seed < 60; seed++) {
      const withHandoff = org(seed, { teams: 2 });
      const without = org(seed, { teams: 2 });
      const partial = org(seed, { teams: 2 });
      const leaver = soleHolder(without);
      without.depart(leaver);
      withHandoff.depart(leaver, { handoff: fullHandoff(withHandoff, leaver, 1) });
      partial.depart(leaver, { handoff: fullHandoff(partial, leaver, 0.4) });
      let sumWith = withHandoff.capacityHours('T1');
      let sumWithout = without.capacityHours('T1');
      let sumPartial = partial.capacityHours('T1');
      expect(sumWith).toBeGreaterThan(sumWithout);
      for (let d = 0; d < 20; d++) {
        withHandoff.advanceDay();
        without.advanceDay();
        partial.advanceDay();
        // Same backfill, same arrival: the handoff is the only difference, and it never hurts.
        expect(withHandoff.capacityHours('T1')).toBeGreaterThanOrEqual(without.capacityHours('T1') - 1e-9);
        sumWith += withHandoff.capacityHours('T1');
        sumWithout += without.capacityHours('T1');
        sumPartial += partial.capacityHours('T1');
      }
      expect(sumWith).toBeGreaterThan(sumPartial);
      expect(sumPartial).toBeGreaterThan(sumWithout);
    }
  });

  it('always delivers the backfill within the documented delay bound and ramps it up within MAX_HIRE_RAMP_DAYS (many seeds)', () => {
    for (let seed = 0; seed < 150; seed++) {
      const range: [number, number] = seed % 2 === 0 ? [3, 10] : [1, 4];
      const o = org(seed, { teams: 2, hireDelayDays: range });
      const rng = Rng.seeded(seed, 'test');
      advance(o, rng.int(5));
      const candidates = o.team('T2').members.filter((m) => o.canDepart(m.id) === undefined);
      const leaver = rng.pick(candidates).id;
      const event = o.depart(leaver);
      const delay = (event.backfillArrivalDay as number) - event.day;
      expect(delay).toBeGreaterThanOrEqual(range[0]);
      expect(delay).toBeLessThanOrEqual(range[1]);
      const arrived = advance(o, range[1]).find((e) => e.type === 'hire_arrived' && e.memberId === event.backfillId);
      expect(arrived?.day).toBe(event.backfillArrivalDay);
      expect(o.memberState(event.backfillId as string).status).toBe('active');
      advance(o, MAX_HIRE_RAMP_DAYS);
      expect(o.rampFactor(event.backfillId as string)).toBe(1);
      expect(o.capacityBreakdown('T2').focusHours).toBe(60);
    }
  });

  it('refuses protected roles, repeated departures and bad handoffs with clear errors', () => {
    const o = org(23, { teams: 2 });
    for (const role of ['product_owner', 'dev_lead', 'qa_lead']) {
      const id = o.team('T1').members.find((m) => m.role === role)?.id as string;
      expect(o.canDepart(id)).toMatch(/protected role/);
      expect(() => o.depart(id)).toThrow(ConfigError);
    }
    const leaver = soleHolder(o);
    const notHeld = o.team('T1').knowledgeAreas.find((a) => a.holders[leaver] === undefined)?.id as string;
    const held = o.areasHeldBy(leaver)[0]?.id as string;
    expect(() => o.depart(leaver, { handoff: { [notHeld]: 1 } })).toThrow(
      new RegExp(`Cannot hand off "${notHeld}": ${leaver} does not hold it`),
    );
    expect(() => o.depart(leaver, { handoff: { [held]: 1.2 } })).toThrow(/must be a number in \[0, 1\]/);
    expect(() => o.depart(leaver, { receivers: { [held]: 'T1-M4' } })).toThrow(/handoff\[.*\] is not/);
    expect(() => o.depart(leaver, { handoff: { [held]: 1 }, receivers: { [held]: 'T2-M4' } })).toThrow(
      /must be someone else working for T1/,
    );
    expect(() => o.depart(leaver, { handof: {} } as never)).toThrow(/Unknown key "handof" in depart options\. Did you mean "handoff"/);
    expect(o.memberState(leaver).status).toBe('active'); // refused calls change nothing
    o.depart(leaver, { backfill: false });
    expect(o.pendingHires()).toEqual([]);
    expect(() => o.depart(leaver)).toThrow(/already left on day 1/);
    expect(() => o.borrow(leaver, 'T2', 2)).toThrow(/left on day 1/);
  });

  it('makes a borrowed member who leaves leave from the receiving team', () => {
    const o = org(24, { teams: 2 });
    const leaver = soleHolder(o);
    o.borrow(leaver, 'T2', 5);
    o.depart(leaver);
    expect(o.workingMembers('T2').map((m) => m.id)).not.toContain(leaver);
    expect(o.capacityBreakdown('T2').coordinationHours).toBe(0.5);
  });
});

describe('hires, onboarding and rediscovery', () => {
  it('hires explicitly: arrives after the given delay (0 = today) and ramps up', () => {
    const o = org(31);
    const scheduled = o.hire('T1', 'senior_dev', { delayDays: 2 });
    expect(scheduled).toMatchObject({ type: 'hire_scheduled', hireId: 'T1-H1', arrivalDay: 3 });
    expect(o.workingMembers('T1')).toHaveLength(11);
    advance(o, 2);
    expect(o.workingMembers('T1')).toHaveLength(12);
    expect(o.rampFactor('T1-H1')).toBeLessThan(1);
    o.hire('T1', 'tester', { delayDays: 0 });
    expect(o.memberState('T1-H2').arrivedDay).toBe(3);
    expect(o.log.at(-1)).toMatchObject({ type: 'hire_arrived', memberId: 'T1-H2' });
    expect(() => o.hire('T1', 'architect' as 'tester')).toThrow(/Unknown role "architect"/);
    expect(() => o.hire('T1', 'tester', { delayDays: -1 })).toThrow(/delayDays must be a whole number of days ≥ 0/);
    expect(() => o.hire('T7', 'tester')).toThrow(/Unknown team "T7"/);
    expect(o.hire('T1', 'tester')).toMatchObject({ hireId: 'T1-H3' }); // refused calls use up no id
  });

  it('shortens a newcomer ramp with onboarding support', () => {
    const a = org(32);
    const b = org(32);
    a.hire('T1', 'junior_dev', { delayDays: 0 });
    b.hire('T1', 'junior_dev', { delayDays: 0, onboardingSupport: 1 });
    expect(b.memberState('T1-H1').ramp?.days).toBeLessThan(a.memberState('T1-H1').ramp?.days as number);
    a.advanceDay();
    const before = a.memberState('T1-H1').ramp?.days as number;
    a.setOnboardingSupport('T1-H1', 1);
    expect(a.memberState('T1-H1').ramp?.days).toBeLessThan(before);
    expect(() => a.setOnboardingSupport('T1-H1', 3)).toThrow(/quality must be a number in \[0, 1\]/);
  });

  it('restores coverage through learnArea and, slowly, through rediscovery', () => {
    const o = org(33);
    const leaver = soleHolder(o);
    const event = o.depart(leaver);
    const lost = event.lostAreas[0] as string;
    const copy = org(33);
    copy.depart(leaver);
    const learner = copy.team('T1').members.find((m) => m.role === 'mid_dev')?.id as string;
    copy.learnArea(learner, lost, 0.8);
    expect(copy.knowledgeCoverage('T1').areas.find((a) => a.areaId === lost)?.coverage).toBe(1);
    expect(() => copy.learnArea(learner, 'T1-K99', 0.5)).toThrow(/Unknown knowledge area "T1-K99"/);
    expect(() => copy.learnArea(leaver, lost, 0.5)).toThrow(/already left/);
    const rediscovered = advance(o, 40).filter((e) => e.type === 'knowledge_rediscovered');
    expect(rediscovered.map((e) => (e as { areaId: string }).areaId)).toContain(lost);
    expect(o.knowledgeCoverage('T1').uncovered).toEqual([]);
  });
});

describe('attrition', () => {
  it('maybeAttrition departs a non-protected member with probability p and schedules the backfill', () => {
    const o = org(41, { teams: 2 });
    expect(o.maybeAttrition(Rng.seeded(1), 0)).toEqual([]);
    const events = o.maybeAttrition(Rng.seeded(1), 1);
    expect(events.map((e) => e.type)).toEqual(['departed', 'hire_scheduled']);
    expect(events[0]).toMatchObject({ cause: 'attrition' });
    expect(o.log.slice(-2)).toEqual(events);
    expect(() => o.maybeAttrition(Rng.seeded(1), 2)).toThrow(/probability must be a number in \[0, 1\]/);
  });

  it('runs daily in advanceDay at the per-sprint rate and never takes a protected role', () => {
    let departures = 0;
    for (let seed = 0; seed < 20; seed++) {
      const o = org(seed, { teams: 2, attritionPerSprint: 0.5 });
      const events = advance(o, 100);
      const gone = events.filter((e) => e.type === 'departed');
      departures += gone.length;
      for (const e of gone) expect(['product_owner', 'dev_lead', 'qa_lead']).not.toContain((e as { role: string }).role);
      // Backfills keep arriving: the rosters never shrink by more than the pending hires.
      for (const t of o.teams) expect(t.members.length + o.pendingHires(t.id).length).toBe(11);
    }
    // 20 orgs x 10 sprints x 0.5 = 100 expected departures.
    expect(departures).toBeGreaterThan(70);
    expect(departures).toBeLessThan(130);
    const quiet = org(1, { teams: 2 });
    expect(advance(quiet, 50).filter((e) => e.type === 'departed')).toEqual([]);
  });
});
