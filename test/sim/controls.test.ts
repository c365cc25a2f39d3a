import { describe, expect, it } from 'vitest';
import { persona } from '../../src/cli/registry.js';
import { ConfigError } from '../../src/core/errors.js';
import { Rng } from '../../src/core/rng.js';
import { EPISODE_TYPES } from '../../src/episodes/all.js';
import { driveSync, episodeTypesByName, runFullSprintSync } from '../../src/rollout/sprint.js';
import { parseControls, type SprintControl, validateControls } from '../../src/sim/controls.js';
import { createTeamSprint, type FullSprintOptions, STAGE1_BACKLOGS, sprintProcess } from '../../src/sim/full-sprint.js';
import type { TeamSprintResult } from '../../src/sim/sprint-result.js';
import { generateTeam } from '../../src/sim/team.js';

const team = generateTeam(Rng.seeded(1, 'team', 'T1'), STAGE1_BACKLOGS);
const context = { team, days: 5 };

function run(options: FullSprintOptions): TeamSprintResult {
  return driveSync(sprintProcess([createTeamSprint({ ...options, candidate: false })], null), undefined).teams[0] as TeamSprintResult;
}

function expectError(controls: unknown[], message: RegExp) {
  expect(() => validateControls(controls as SprintControl[], context)).toThrow(ConfigError);
  expect(() => validateControls(controls as SprintControl[], context)).toThrow(message);
}

describe('control validation: clear errors naming the control, the field and what is valid', () => {
  // Table: each bad control, and what the message must say.
  const cases: [string, unknown[], RegExp][] = [
    [
      'unknown control, with a suggestion',
      [{ control: 'inject_disturbanse' }],
      /controls\[0\]: unknown control "inject_disturbanse".*Did you mean "inject_disturbance"/,
    ],
    [
      'unknown disturbance type',
      [{ control: 'inject_disturbance', type: 'flaky_tests', severity: 'low' }],
      /type "flaky_tests" is not valid.*Did you mean "flaky_test"/,
    ],
    [
      'bad severity',
      [{ control: 'inject_disturbance', type: 'flaky_test', severity: 'severe' }],
      /severity "severe" is not valid.*low, medium, high, critical/,
    ],
    [
      'bad blast radius',
      [{ control: 'inject_disturbance', type: 'flaky_test', severity: 'low', blastRadius: 'team' }],
      /blastRadius "team"/,
    ],
    [
      'day out of range',
      [{ control: 'inject_disturbance', type: 'flaky_test', severity: 'low', day: 9 }],
      /day must be an integer in 0\.\.5/,
    ],
    [
      'unknown agent, listing members',
      [{ control: 'swap_agent_role', agent: 'M-99', targetRole: 'mid_dev', proficiency: 0.7 }],
      /agent "M-99" is not on the team.*Members: M-1 \(dev_lead\)/,
    ],
    [
      'unknown role',
      [{ control: 'swap_agent_role', agent: 'M-10', targetRole: 'developer', proficiency: 0.7 }],
      /targetRole "developer" is not valid/,
    ],
    [
      'proficiency out of range',
      [{ control: 'swap_agent_role', agent: 'M-10', targetRole: 'mid_dev', proficiency: 1.5 }],
      /proficiency must be a number in \(0, 1\]/,
    ],
    [
      'swapping the product owner',
      [{ control: 'swap_agent_role', agent: 'M-3', targetRole: 'mid_dev', proficiency: 0.5 }],
      /exactly one product owner/,
    ],
    ['backlog action', [{ control: 'modify_backlog', action: 'replace' }], /action "replace" is not valid/],
    ['backlog remove without a story', [{ control: 'modify_backlog', action: 'remove' }], /"remove" needs story/],
    ['story points', [{ control: 'modify_backlog', action: 'add', points: 4 }], /points "4" is not valid.*1, 2, 3, 5, 8/],
    ['product owner departing', [{ control: 'modify_team_composition', action: 'depart', agent: 'M-3' }], /product owner cannot depart/],
    [
      'backfill without departure',
      [{ control: 'modify_team_composition', action: 'backfill', agent: 'M-8' }],
      /has not departed in an earlier control/,
    ],
    [
      'departing twice',
      [
        { control: 'modify_team_composition', action: 'depart', agent: 'M-8' },
        { control: 'modify_team_composition', action: 'depart', agent: 'M-8' },
      ],
      /controls\[1\].*already departed/,
    ],
    ['empty sprint params', [{ control: 'adjust_sprint_params' }], /give duration \(days\) and\/or wipLimits/],
    [
      'duration out of range',
      [{ control: 'adjust_sprint_params', duration: 40 }],
      /duration must be an integer number of work days in 1\.\.15/,
    ],
    [
      'unknown WIP column',
      [{ control: 'adjust_sprint_params', wipLimits: { in_progres: 4 } }],
      /wipLimits has no column "in_progres".*Did you mean "in_progress"/,
    ],
    ['bad WIP value', [{ control: 'adjust_sprint_params', wipLimits: { qa: 0 } }], /wipLimits\.qa must be a positive integer/],
    [
      'injecting after a shortened sprint',
      [
        { control: 'adjust_sprint_params', duration: 3 },
        { control: 'inject_disturbance', type: 'flaky_test', severity: 'low', day: 4 },
      ],
      /controls\[1\].*day must be an integer in 0\.\.3/,
    ],
  ];
  for (const [name, controls, message] of cases) it(name, () => expectError(controls, message));

  it('parseControls refuses a non-list', () => {
    expect(() => parseControls({ control: 'inject_disturbance' }, context)).toThrow(/controls must be a list/);
  });

  it('valid controls pass silently', () => {
    const controls: SprintControl[] = [
      { control: 'inject_disturbance', type: 'merge_conflict', severity: 'high', day: 2, blastRadius: 'story' },
      { control: 'swap_agent_role', agent: 'M-10', targetRole: 'mid_dev', proficiency: 0.7 },
      { control: 'modify_backlog', action: 'add', points: 3 },
      { control: 'modify_backlog', action: 'remove', story: 'T1-S2' },
      { control: 'modify_team_composition', action: 'depart', agent: 'M-8', day: 2 },
      { control: 'modify_team_composition', action: 'backfill', agent: 'M-8', day: 3 },
      { control: 'adjust_sprint_params', duration: 8, wipLimits: { in_progress: 4, qa: 2 } },
    ];
    expect(() => validateControls(controls, context)).not.toThrow();
  });

  it('a sprint with a bad control fails before it starts', () => {
    expect(() =>
      createTeamSprint({ seed: 1, controls: [{ control: 'swap_agent_role', agent: 'nobody', targetRole: 'mid_dev', proficiency: 1 }] }),
    ).toThrow(/agent "nobody" is not on the team/);
  });

  it('removing a story that does not exist names the stories that do', () => {
    expect(() => run({ seed: 1, controls: [{ control: 'modify_backlog', action: 'remove', story: 'T1-S99' }] })).toThrow(
      /no story "T1-S99" in team T1.*Valid: T1-S1/,
    );
  });
});

describe('controls change the sprint', () => {
  it('inject_disturbance: the disturbance fires with the given type and severity', () => {
    const result = run({
      seed: 4,
      disturbances: false,
      controls: [{ control: 'inject_disturbance', type: 'production_incident', severity: 'high', day: 2 }],
    });
    expect(result.disturbances).toHaveLength(1);
    expect(result.disturbances[0]).toMatchObject({ type: 'production_incident', severity: 'high', source: 'injected', firedDay: 2 });
    expect(result.disturbances[0]?.effects.some((e) => e.kind === 'capacity_lost')).toBe(true);
  });

  it('swap_agent_role: a tester swapped to development takes cards (more development, fewer idle hours)', () => {
    let idleBase = 0;
    let idleSwap = 0;
    for (let seed = 0; seed < 30; seed++) {
      idleBase += run({ seed, disturbances: false }).idleHours;
      idleSwap += run({
        seed,
        disturbances: false,
        controls: [{ control: 'swap_agent_role', agent: 'M-10', targetRole: 'mid_dev', proficiency: 0.8 }],
      }).idleHours;
    }
    expect(idleSwap).toBeLessThan(idleBase);
  });

  it('modify_backlog: removing a story before refinement changes what is committed; adding mid-sprint adds it to the board', () => {
    const base = run({ seed: 2, disturbances: false });
    const first = base.stories[0]?.id as string;
    const removed = run({ seed: 2, disturbances: false, controls: [{ control: 'modify_backlog', action: 'remove', story: first }] });
    expect(removed.stories.map((s) => s.id)).not.toContain(first);
    const added = run({ seed: 2, disturbances: false, controls: [{ control: 'modify_backlog', action: 'add', points: 2, day: 2 }] });
    expect(added.committedStories).toBe(base.committedStories + 1);
    expect(added.committedPoints).toBe(base.committedPoints + 2);
    const descoped = run({
      seed: 2,
      disturbances: false,
      controls: [{ control: 'modify_backlog', action: 'remove', story: first, day: 2 }],
    });
    expect(descoped.stories.map((s) => s.id)).not.toContain(first);
  });

  it('modify_team_composition: a departure costs velocity on average; a backfill recovers some of it', () => {
    let base = 0;
    let departed = 0;
    let backfilled = 0;
    for (let seed = 0; seed < 60; seed++) {
      base += run({ seed, disturbances: false }).velocity;
      departed += run({
        seed,
        disturbances: false,
        controls: [{ control: 'modify_team_composition', action: 'depart', agent: 'M-4', day: 1 }],
      }).velocity;
      backfilled += run({
        seed,
        disturbances: false,
        controls: [
          { control: 'modify_team_composition', action: 'depart', agent: 'M-4', day: 1 },
          { control: 'modify_team_composition', action: 'backfill', agent: 'M-4', day: 2 },
        ],
      }).velocity;
    }
    expect(departed).toBeLessThan(base);
    expect(backfilled).toBeGreaterThan(departed);
  });

  it('a departing candidate plays no more episodes; its stories go on with the team', () => {
    const kinds = episodeTypesByName(EPISODE_TYPES);
    const result = runFullSprintSync(
      { seed: 6, controls: [{ control: 'modify_team_composition', action: 'depart', agent: 'M-1', day: 2 }] },
      persona('senior', 0),
      kinds,
    );
    expect(result.episodes.filter((e) => e.day >= 2)).toEqual([]);
    const team = result.teams[0] as TeamSprintResult;
    expect(team.stories.filter((s) => s.candidate).every((s) => s.owner !== 'M-1' || s.qaPassed)).toBe(true);
    expect(team.daysLog).toHaveLength(5);
  });

  it('adjust_sprint_params: a longer sprint commits and delivers more; WIP limits hold on the board', () => {
    const base = run({ seed: 5, disturbances: false });
    const longer = run({ seed: 5, disturbances: false, controls: [{ control: 'adjust_sprint_params', duration: 8 }] });
    expect(longer.days).toBe(8);
    expect(longer.daysLog).toHaveLength(8);
    expect(longer.committedPoints).toBeGreaterThan(base.committedPoints);
    const tight = run({
      seed: 5,
      disturbances: false,
      controls: [{ control: 'adjust_sprint_params', wipLimits: { in_progress: 2, qa: 1 } }],
    });
    for (const day of tight.daysLog) {
      expect(day.columns.in_progress).toBeLessThanOrEqual(2);
      expect(day.columns.qa).toBeLessThanOrEqual(1);
    }
  });
});
