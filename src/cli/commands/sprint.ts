/** `dojo sprint`: one full sprint with a scripted candidate, as a readable report or JSON. */
import { z } from 'zod';
import { EPISODE_TYPES } from '../../episodes/all.js';
import { PERSONA_NAMES } from '../../policy/scripted.js';
import { episodeTypesByName, runFullSprintSync, runOrgSprintSync, SprintPlayer } from '../../rollout/sprint.js';
import type { FullSprintResult } from '../../sim/full-sprint.js';
import type { OrgSprintOptions } from '../../sim/org-sprint.js';
import type { TeamSprintResult } from '../../sim/sprint-result.js';
import { PROFILE_SWAPPING_MODES } from '../../spec/curriculum.js';
import type { CommandSpec } from '../flags.js';
import { type Io, table } from '../io.js';
import { persona } from '../registry.js';

export const sprintSchema = z.object({
  persona: z.enum(PERSONA_NAMES).default('senior').describe('scripted persona playing the candidate'),
  seed: z.number().int().min(0).default(0).describe('sprint seed; the same seed gives the same sprint'),
  disturbances: z.enum(['on', 'off']).default('on').describe('draw the seven disturbance types at their default per-sprint frequencies'),
  teams: z.number().int().min(1).max(3).default(1).describe('teams in the organisation, run in lockstep'),
  scenario: z
    .enum(['home', 'borrowed', 'departure'])
    .default('home')
    .describe('home: candidate in T1; borrowed: borrowed into T2 (needs --teams 2|3); departure: hands off and leaves T1'),
  swapping: z.enum(PROFILE_SWAPPING_MODES).default('none').describe('profile swapping mode'),
  blastRadius: z.enum(['on', 'off']).default('on').describe('blast-radius controls (at most 3 cards and 2 stories per disturbance)'),
  days: z.number().int().min(1).max(15).default(5).describe('work days'),
  json: z.boolean().default(false).describe('print the sprint result (dojo.sprint/1) as JSON'),
});

export const sprintCommand: CommandSpec<typeof sprintSchema> = {
  name: 'sprint',
  summary: 'Run one full sprint (refinement, planning, work days, review, retrospective) with a scripted candidate.',
  usage: 'dojo sprint [--persona senior] [--seed S] [--disturbances on|off] [--teams 1|2|3] [--json]',
  schema: sprintSchema,
  examples: ['dojo sprint --persona senior --seed 7', 'dojo sprint --persona junior --seed 7 --teams 2 --scenario borrowed --json'],
};

export async function runSprintCommand(config: z.infer<typeof sprintSchema>, io: Io): Promise<number> {
  if (config.scenario === 'borrowed' && config.teams < 2) {
    io.err('dojo: sprint: --scenario borrowed needs --teams 2 or 3 (the candidate is borrowed into T2)');
    return 2;
  }
  const kinds = episodeTypesByName(EPISODE_TYPES);
  const player = new SprintPlayer(persona(config.persona, config.seed), kinds);
  const options: OrgSprintOptions = {
    seed: config.seed,
    teams: config.teams as 1 | 2 | 3,
    days: config.days,
    disturbances: config.disturbances === 'on',
    profileSwapping: config.swapping,
    blastRadius: config.blastRadius === 'on' ? { maxCards: 3, maxStories: 2 } : 'off',
  };
  if (config.scenario === 'borrowed') options.borrowInto = 'T2';
  if (config.scenario === 'departure') options.candidateDeparts = true;
  // One team at home is the curriculum's plain single team; anything else goes through the organisation model.
  const result =
    config.teams === 1 && config.scenario === 'home' ? runFullSprintSync(options, player, kinds) : runOrgSprintSync(options, player, kinds);
  io.out(config.json ? JSON.stringify(result, null, 2) : sprintReport(result, config.disturbances === 'on'));
  return 0;
}

/** The readable report: phases, day-by-day board, disturbances, review and measures. */
export function sprintReport(result: FullSprintResult, disturbances: boolean): string {
  const lines: string[] = [];
  lines.push(`Sprint seed ${result.seed} — candidate: ${result.candidate ?? 'none (all scripted)'}; ${result.teams.length} team(s)`);
  const org = result.episodes.filter((e) => e.day === 0 && (e.purpose === 'borrowing' || e.purpose === 'handoff'));
  for (const e of org) lines.push(`  before the sprint: ${e.type} (${e.played ? `outcome ${e.outcome}` : 'not played'}): ${e.effect}`);
  for (const team of result.teams) {
    lines.push('', teamHeader(team, disturbances));
    const episodes = result.episodes.filter((e) => e.teamId === team.teamId && !org.includes(e));
    const phase = (name: string, purposes: string[]) => {
      const list = episodes.filter((e) => purposes.includes(e.purpose));
      if (list.length === 0) return;
      lines.push(`  ${name}:`);
      for (const e of list) {
        const score = e.played ? `outcome ${e.outcome?.toFixed(2)}, ${e.turns} actions` : 'not available';
        lines.push(`    ${e.type.padEnd(15)} ${(e.storyId ?? e.disturbanceId ?? '').padEnd(26)} ${score}: ${e.effect}`);
      }
    };
    lines.push('', '  Refinement');
    phase('candidate', ['refinement']);
    lines.push(`  committed ${team.committedStories} stories, ${team.committedPoints} points`);
    lines.push('', '  Planning');
    phase('candidate', ['planning']);
    lines.push(`  ${team.stories.reduce((a, s) => a + s.cards, 0)} cards at the end of the sprint (rework and added scope included)`);
    lines.push('', '  Work (end of each day: cards per column)');
    const rows = team.daysLog.map((d) => [
      `day ${d.day}`,
      d.columns.ready,
      d.columns.in_progress,
      d.columns.review,
      d.columns.qa,
      d.columns.done,
      d.blocked,
      d.pairs,
      d.swaps,
      d.pointsDone,
    ]);
    lines.push(indent(table(['', 'ready', 'in progress', 'review', 'qa', 'done', 'blocked', 'pairs', 'swaps', 'points done'], rows), 4));
    for (const d of team.daysLog) for (const event of d.events) lines.push(`    day ${d.day}: ${event}`);
    phase('candidate during work', ['implementation', 'checkpoint', 'triage', 'recovery', 'scope_change']);
    lines.push('', '  Disturbances');
    if (team.disturbances.length === 0) lines.push('    none');
    for (const d of team.disturbances) {
      lines.push(`    ${d.summary}`);
      if (d.responseFactor !== 1) lines.push(`      candidate's response scaled the damage ×${d.responseFactor}`);
      for (const e of d.effects) lines.push(`      - ${e.kind} ${e.target}: ${e.note}`);
    }
    lines.push('', '  Review');
    lines.push(
      indent(
        table(
          ['story', 'points', 'owner', 'QA', 'PO', 'cycle (days)', 'note'],
          team.stories.map((s) => [
            `${s.id}${s.candidate ? ' *' : ''}`,
            s.points,
            s.owner,
            s.qaPassed ? 'passed' : '-',
            s.poAccepted ? 'accepted' : '-',
            s.cycleTimeDays || '-',
            s.rejectedReason,
          ]),
        ),
        4,
      ),
    );
    lines.push('    * owned by the candidate');
    lines.push('', '  Retrospective');
    for (const note of team.retrospective) lines.push(`    - ${note}`);
    const c = team.candidateStories;
    lines.push(
      '',
      `  Velocity ${team.velocity} of ${team.committedPoints} committed points; ${team.acceptedStories} of ${team.committedStories} stories accepted by the product owner, ${team.qaPassedStories} passed QA.`,
    );
    if (c.total > 0)
      lines.push(
        `  Candidate's stories: ${c.qaPassed} of ${c.total} passed QA, ${c.accepted} accepted (${c.acceptedPoints} of ${c.points} points).`,
      );
    lines.push(
      `  Cycle time: mean ${team.cycleTime.mean} days, median ${team.cycleTime.median} days. Capacity ${team.capacityHours} h: lost ${team.lostHours} h, idle ${team.idleHours} h, pairing ${team.pairHours} h, ${team.swaps} swap(s).`,
    );
  }
  if (result.controls.length > 0) lines.push('', 'Controls applied:', ...result.controls.map((c) => `  ${c}`));
  return lines.join('\n');
}

function teamHeader(team: TeamSprintResult, disturbances: boolean): string {
  const radius = team.blastRadius === 'off' ? 'off' : `≤ ${team.blastRadius.maxCards} cards / ${team.blastRadius.maxStories} stories`;
  const seat = team.candidateSeat ? `candidate in seat ${team.candidateSeat}` : 'no candidate';
  return `Team ${team.teamId} (${team.domain}), ${team.days} work days, ${seat}; disturbances ${disturbances ? 'on' : 'off'}, blast radius ${radius}, profile swapping ${team.profileSwapping}`;
}

function indent(text: string, n: number): string {
  const pad = ' '.repeat(n);
  return text
    .split('\n')
    .map((l) => pad + l)
    .join('\n');
}
