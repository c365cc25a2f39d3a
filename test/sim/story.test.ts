import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { ProductOwner } from '../../src/sim/product-owner.js';
import { KanbanBoard, Sprint } from '../../src/sim/sprint.js';
import { DIMENSIONS, generateStory, statedDimensions, storyText } from '../../src/sim/story.js';
import { DEFAULT_TEAM_ROLES, generateTeam } from '../../src/sim/team.js';
import { DOMAINS } from '../../src/spec/episodes.js';

describe('story generator', () => {
  it('produces readable text for every domain', () => {
    for (const domain of DOMAINS) {
      const story = generateStory(Rng.seeded(1, domain), { domain, ambiguity: 0.1 });
      const text = storyText(story);
      expect(text).toMatch(/As an? .+, I want to .+ so that .+\./);
      expect(text).not.toMatch(/\{\w+\}/); // every template placeholder filled
      for (const r of story.requirements) expect(r.text).not.toMatch(/\{\w+\}/);
    }
  });

  it('states fewer requirements as ambiguity rises', () => {
    let clear = 0;
    let vague = 0;
    for (let seed = 0; seed < 300; seed++) {
      clear += generateStory(Rng.seeded(seed), { ambiguity: 0.1 }).requirements.filter((r) => r.stated).length;
      vague += generateStory(Rng.seeded(seed), { ambiguity: 0.9 }).requirements.filter((r) => r.stated).length;
    }
    expect(clear).toBeGreaterThan(vague * 3);
  });

  it('covers all nine dimensions with impacts in [0, 1] and obvious flags only on unstated requirements', () => {
    const seen = new Set<string>();
    for (let seed = 0; seed < 200; seed++) {
      const story = generateStory(Rng.seeded(seed));
      expect(story.ambiguity).toBeGreaterThanOrEqual(0.1);
      expect(story.ambiguity).toBeLessThanOrEqual(0.9);
      for (const r of story.requirements) {
        seen.add(r.dimension);
        expect(r.impact).toBeGreaterThanOrEqual(0);
        expect(r.impact).toBeLessThanOrEqual(1);
        if (r.obvious) expect(r.stated).toBe(false);
      }
    }
    expect([...seen].sort()).toEqual([...DIMENSIONS].sort());
  });
});

describe('product owner', () => {
  it('answers specific questions specifically, stated facts with "as described", generic questions generically', () => {
    let revealedSpecific = 0;
    let revealedGeneric = 0;
    let asDescribed = 0;
    for (let seed = 0; seed < 300; seed++) {
      const story = generateStory(Rng.seeded(seed), { ambiguity: 0.5 });
      const po = new ProductOwner(story, 'precise', Rng.seeded(seed, 'po'));
      const hidden = story.requirements.find((r) => !r.stated);
      if (hidden && !story.requirements.some((r) => r.dimension === hidden.dimension && r.stated)) {
        if (po.answer(hidden.dimension, new Set()).kind === 'revealed') revealedSpecific++;
        if (po.answer('general', new Set()).kind === 'revealed') revealedGeneric++;
      }
      const stated = statedDimensions(story)[0];
      if (stated) {
        const answer = po.answer(stated, new Set());
        expect(answer.kind).toBe('as_described');
        asDescribed++;
      }
    }
    expect(revealedSpecific).toBeGreaterThan(revealedGeneric * 3);
    expect(asDescribed).toBeGreaterThan(50);
  });

  it('is vaguer as a "vague" persona than as a "precise" one', () => {
    let vague = 0;
    let precise = 0;
    for (let seed = 0; seed < 400; seed++) {
      const story = generateStory(Rng.seeded(seed), { ambiguity: 0.9 });
      const hidden = story.requirements.find((r) => !r.stated);
      if (!hidden || story.requirements.some((r) => r.dimension === hidden.dimension && r.stated)) continue;
      if (new ProductOwner(story, 'vague', Rng.seeded(seed, 'a')).answer(hidden.dimension, new Set()).kind === 'vague') vague++;
      if (new ProductOwner(story, 'precise', Rng.seeded(seed, 'a')).answer(hidden.dimension, new Set()).kind === 'vague') precise++;
    }
    expect(vague).toBeGreaterThan(precise * 2);
  });
});

describe('team and sprint', () => {
  it('has the 11 roles of the default team', () => {
    const team = generateTeam(Rng.seeded(1), DOMAINS);
    expect(team.map((m) => m.role)).toEqual(DEFAULT_TEAM_ROLES);
    expect(team.filter((m) => m.role === 'product_owner')[0]?.persona).toMatch(/precise|busy|vague/);
  });

  it('enforces WIP limits and tracks capacity', () => {
    const board = new KanbanBoard({ in_progress: 1 });
    board.add({ id: 'a', storyId: 's', title: 'a', points: 1 });
    board.add({ id: 'b', storyId: 's', title: 'b', points: 1 });
    expect(board.move('a', 'in_progress')).toBeUndefined();
    expect(board.move('b', 'in_progress')).toMatch(/WIP limit/);
    const sprint = new Sprint(generateTeam(Rng.seeded(2), DOMAINS));
    expect(sprint.velocityFactor()).toBe(1);
    sprint.charge(sprint.capacityHours / 4);
    expect(sprint.velocityFactor()).toBeCloseTo(0.75);
  });
});
