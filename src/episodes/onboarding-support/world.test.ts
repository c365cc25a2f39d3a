import { describe, expect, it } from 'vitest';
import { hiddenTruth, personaTraces, replay, seedsWhere } from '../../../test/helpers.js';
import type { Action } from '../../core/episode.js';
import { DojoEnv } from '../../env/env.js';
import { mean } from '../../reward/stats.js';
import { onboardingSupport } from './index.js';
import { AREAS, type Area, type OnboardingSupportHidden, TOPICS, type Topic } from './types.js';

type Hidden = OnboardingSupportHidden;

const hiddenOf = (seed: number): Hidden => hiddenTruth(onboardingSupport, seed);

const assess = (area: Area): Action => ({ type: 'assess_skills', args: { area } });
const identify = (area: Area): Action => ({ type: 'identify_gaps', args: { area } });
const pair = (member: number, area: Area): Action => ({ type: 'suggest_pairing', args: { member, area } });
const context = (topic: Topic): Action => ({ type: 'provide_context', args: { topic } });
const adjust = (capacity: number): Action => ({ type: 'adjust_sprint', args: { expectation: capacity === 1 ? '1.0' : String(capacity) } });
const assign = (task: number): Action => ({ type: 'assign_starter_task', args: { task } });
const taskOf = (h: Hidden, kind: string) => h.tasks.findIndex((t) => t.kind === kind);

/** The fit task's gap area and the best available expert on it (primary first), if any. */
function fitPartner(h: Hidden): { gap: Area; member: number } | undefined {
  const fit = h.tasks[taskOf(h, 'fit')] as Hidden['tasks'][number];
  const gap = fit.areas.find((a) => h.gaps.includes(a)) as Area;
  const primary = h.members.findIndex((m) => m.available && m.primary === gap);
  const member = primary >= 0 ? primary : h.members.findIndex((m) => m.available && m.secondary === gap);
  return member >= 0 ? { gap, member } : undefined;
}

/** A starter-task choice from skill estimates: small, a known area plus exactly one gap, clear. */
function choose(h: Hidden, skill: Record<Area, number>): number {
  let best = 0;
  let bestScore = -1;
  h.tasks.forEach((t, i) => {
    const gaps = t.areas.filter((a) => skill[a] < 0.45).length;
    const score =
      0.3 * (t.points <= 2 ? 1 : t.points === 3 ? 0.5 : 0.1) +
      0.2 * (t.areas.some((a) => skill[a] >= 0.58) ? 1 : 0) +
      0.2 * (gaps === 1 ? 1 : gaps === 0 ? 0.4 : 0) +
      0.1 * (t.clear ? 1 : 0);
    if (score > bestScore) {
      best = i;
      bestScore = score;
    }
  });
  return best;
}

describe('onboarding_support levers', () => {
  it('assess_before_assigning: a task chosen (and paired) from readings beats one chosen from the self-report', () => {
    /** Choose a task from skill estimates, pair on the gaps the estimates show, size the sprint, assign. */
    const plan = (h: Hidden, skill: Record<Area, number>, assessFirst: boolean): Action[] => {
      const task = choose(h, skill);
      const out: Action[] = assessFirst ? AREAS.map(assess) : [];
      for (const a of (h.tasks[task] as Hidden['tasks'][number]).areas) {
        if (skill[a] >= 0.45) continue;
        const member = h.members.findIndex((m) => m.available && (m.primary === a || m.secondary === a));
        if (member >= 0) out.push(pair(member, a));
      }
      return [...out, adjust(h.trueCapacity), assign(task)];
    };
    const seeds = Array.from({ length: 80 }, (_, i) => i);
    const informed: number[] = [];
    const blind: number[] = [];
    let better = 0;
    let worse = 0;
    for (const seed of seeds) {
      const h = hiddenOf(seed);
      const a = replay(onboardingSupport, seed, plan(h, h.trueSkill, true));
      const b = replay(onboardingSupport, seed, plan(h, h.selfReport, false));
      informed.push(a.outcome);
      blind.push(b.outcome);
      if (a.facts.taskFit > b.facts.taskFit) better++;
      if (a.facts.taskFit < b.facts.taskFit) worse++;
    }
    expect(mean(informed) - mean(blind)).toBeGreaterThan(0.05);
    expect(better).toBeGreaterThan(4 * worse);
  });

  it("pair_on_gap: pairing an available expert on the fit task's gap speeds ramp-up; a briefed request is worth more", () => {
    const seeds = seedsWhere(hiddenOf, (h) => fitPartner(h) !== undefined, 30);
    expect(seeds.length).toBe(30);
    const paired: number[] = [];
    const alone: number[] = [];
    for (const seed of seeds) {
      const h = hiddenOf(seed);
      const { gap, member } = fitPartner(h) as { gap: Area; member: number };
      const task = taskOf(h, 'fit');
      const a = replay(onboardingSupport, seed, [assess(gap), pair(member, gap), assign(task)]);
      const b = replay(onboardingSupport, seed, [assess(gap), assign(task)]);
      const unbriefed = replay(onboardingSupport, seed, [pair(member, gap), assess(gap), assign(task)]);
      expect(a.facts.helpResolvedOneExchange).toBeGreaterThan(b.facts.helpResolvedOneExchange);
      expect(a.facts.timeToProductivity).toBeLessThan(b.facts.timeToProductivity);
      expect(a.outcome).toBeGreaterThan(b.outcome);
      expect(a.outcome).toBeGreaterThanOrEqual(unbriefed.outcome);
      paired.push(a.outcome);
      alone.push(b.outcome);
    }
    expect(mean(paired) - mean(alone)).toBeGreaterThan(0.05);
  });

  it('pair_on_gap: pairing on an area the newcomer is good at costs team hours for nothing', () => {
    for (const seed of seedsWhere(hiddenOf, () => true, 20)) {
      const h = hiddenOf(seed);
      const strong = h.members.findIndex((m) => m.available && h.trueSkill[m.primary] >= 0.6);
      if (strong < 0) continue;
      const area = (h.members[strong] as Hidden['members'][number]).primary;
      const a = replay(onboardingSupport, seed, [adjust(h.trueCapacity), pair(strong, area), assign(taskOf(h, 'fit'))]);
      const b = replay(onboardingSupport, seed, [adjust(h.trueCapacity), assign(taskOf(h, 'fit'))]);
      expect(a.outcome).toBeLessThan(b.outcome);
    }
  });

  it('targeted_context: sessions on the topics the newcomer lacks shorten the ramp-up', () => {
    for (const seed of seedsWhere(hiddenOf, () => true, 30)) {
      const h = hiddenOf(seed);
      const task = taskOf(h, 'fit');
      const a = replay(onboardingSupport, seed, [...h.contextNeeds.map(context), assign(task)]);
      const b = replay(onboardingSupport, seed, [assign(task)]);
      expect(a.facts.starterDays).toBeLessThan(b.facts.starterDays);
      expect(a.outcome).toBeGreaterThan(b.outcome);
    }
  });

  it('context_dump: context on everything wastes the newcomer time and overloads them', () => {
    const seeds = seedsWhere(hiddenOf, (h) => h.contextNeeds.length < TOPICS.length, 30);
    for (const seed of seeds) {
      const h = hiddenOf(seed);
      const task = taskOf(h, 'fit');
      const targeted = replay(onboardingSupport, seed, [...h.contextNeeds.map(context), assign(task)]);
      const dump = replay(onboardingSupport, seed, [...TOPICS.map(context), assign(task)]);
      expect(dump.facts.contextWasted).toBeGreaterThan(0);
      expect(dump.outcome).toBeLessThan(targeted.outcome);
    }
  });

  it('sprint_not_adjusted: planning the newcomer at full capacity misses the commitment', () => {
    const seeds = seedsWhere(hiddenOf, (h) => h.trueCapacity < 1, 30);
    for (const seed of seeds) {
      const h = hiddenOf(seed);
      const task = taskOf(h, 'fit');
      const matched = replay(onboardingSupport, seed, [adjust(h.trueCapacity), assign(task)]);
      const unadjusted = replay(onboardingSupport, seed, [assign(task)]);
      const over = replay(onboardingSupport, seed, [adjust(Math.min(1, h.trueCapacity + 0.25)), assign(task)]);
      expect(matched.facts.capacityShortfall).toBeLessThan(unadjusted.facts.capacityShortfall);
      expect(matched.components.velocity_maintained).toBeGreaterThan(unadjusted.components.velocity_maintained);
      expect(matched.outcome).toBeGreaterThan(unadjusted.outcome);
      expect(matched.outcome).toBeGreaterThan(over.outcome);
    }
  });

  it('oversized_or_all_gap_task: a too-big or all-gap starter task is slower and fits worse', () => {
    const fits: number[] = [];
    const bigs: number[] = [];
    const gapOnly: number[] = [];
    for (const seed of seedsWhere(hiddenOf, () => true, 40)) {
      const h = hiddenOf(seed);
      const fit = replay(onboardingSupport, seed, [assign(taskOf(h, 'fit'))]);
      const big = replay(onboardingSupport, seed, [assign(taskOf(h, 'too_big'))]);
      const looks = replay(onboardingSupport, seed, [assign(taskOf(h, 'looks_right'))]);
      expect(big.facts.starterDays).toBeGreaterThan(fit.facts.starterDays);
      expect(looks.facts.starterDays).toBeGreaterThan(fit.facts.starterDays);
      expect(fit.facts.taskFit).toBeGreaterThan(big.facts.taskFit);
      expect(fit.facts.taskFit).toBeGreaterThan(looks.facts.taskFit);
      fits.push(fit.outcome);
      bigs.push(big.outcome);
      gapOnly.push(looks.outcome);
    }
    expect(mean(fits) - mean(bigs)).toBeGreaterThan(0.15);
    expect(mean(fits) - mean(gapOnly)).toBeGreaterThan(0.1);
  });

  it('gap_identification: naming the true gaps raises accuracy; naming a strong area lowers it', () => {
    for (const seed of seedsWhere(hiddenOf, () => true, 30)) {
      const h = hiddenOf(seed);
      const task = taskOf(h, 'fit');
      const strong = AREAS.find((a) => !h.gaps.includes(a)) as Area;
      const right = replay(onboardingSupport, seed, [...h.gaps.map(identify), assign(task)]);
      const none = replay(onboardingSupport, seed, [assign(task)]);
      const wrong = replay(onboardingSupport, seed, [...h.gaps.map(identify), identify(strong), assign(task)]);
      expect(right.facts.gapAccuracy).toBe(1);
      expect(right.outcome).toBeGreaterThan(none.outcome);
      expect(right.outcome).toBeGreaterThan(wrong.outcome);
    }
  });
});

describe('onboarding_support episodes', () => {
  const env = new DojoEnv(onboardingSupport);

  it('refuses impossible actions without changing the state', () => {
    const seed = seedsWhere(hiddenOf, (h) => h.members.some((m) => !m.available), 1)[0] as number;
    const h = hiddenOf(seed);
    const busy = h.members.findIndex((m) => !m.available);
    env.resetSync({ seed });
    const first = env.stepSync(pair(busy, 'backend'));
    expect(first.info.valid).toBe(true);
    const before = JSON.stringify(first.observation.structured.state);
    const again = env.stepSync(pair(busy, 'data'));
    expect(again.info.valid).toBe(false);
    expect(again.info.error).toMatch(/declined/);
    expect(JSON.stringify(again.observation.structured.state)).toBe(before);
    for (const bad of [pair(9, 'data'), { type: 'assess_skills', args: { area: 'cooking' } }, assign(7)]) {
      const r = env.stepSync(bad);
      expect(r.info.valid).toBe(false);
      expect(JSON.stringify(r.observation.structured.state)).toBe(before);
    }
  });

  it('refuses a pairing that already exists', () => {
    const seed = seedsWhere(hiddenOf, (h) => h.members.some((m) => m.available), 1)[0] as number;
    const h = hiddenOf(seed);
    const free = h.members.findIndex((m) => m.available);
    env.resetSync({ seed });
    expect(env.stepSync(pair(free, 'infra')).info.valid).toBe(true);
    const r = env.stepSync(pair(free, 'infra'));
    expect(r.info.valid).toBe(false);
    expect(r.info.error).toMatch(/already pairs/);
  });

  it('personas finish within the typical length', () => {
    const personas = ['senior', 'mid', 'junior', 'performative'] as const;
    for (const { persona, trace } of personaTraces(onboardingSupport, personas, { seeds: 40, personaSeed: 2 })) {
      expect(trace.terminated).toBe(true);
      if (persona === 'senior') {
        expect(trace.turns).toBeGreaterThanOrEqual(8);
        expect(trace.turns).toBeLessThanOrEqual(20);
      }
    }
  });

  it('honours the difficulty option (easy hires are stronger than hard ones)', () => {
    const capacity = (difficulty: 'easy' | 'hard') =>
      mean(
        Array.from({ length: 100 }, (_, seed) => {
          const h = hiddenTruth(onboardingSupport, seed, { difficulty });
          return h.trueCapacity;
        }),
      );
    expect(capacity('easy')).toBeGreaterThan(capacity('hard'));
  });
});
