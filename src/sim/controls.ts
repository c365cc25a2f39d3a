/**
 * Environment controls: what the curriculum (never the candidate) may do to a sprint
 * (`environment_controls` in `spec/curriculum.yaml`):
 *
 *   inject_disturbance       {type, severity, day?, blastRadius?}   a disturbance on a given day
 *   swap_agent_role          {agent, targetRole, proficiency, day?} a member works in another role
 *   modify_backlog           {action: add|remove, story?, points?, day?}
 *   modify_team_composition  {action: depart|backfill, agent, day?}
 *   adjust_sprint_params     {duration?, wipLimits?, day?}
 *
 * `day` is when the control applies: 0 (default) before refinement, 1..days at the start of that
 * work day. Every control is validated before the sprint starts (`validateControls`, or
 * `parseControls` for untyped JSON); a bad one is a `ConfigError` whose message names the control,
 * the field and what is valid.
 */
import { ConfigError, didYouMean } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import {
  BLAST_RADII,
  type BlastRadius,
  DISTURBANCE_TYPES,
  type DisturbanceType,
  ENVIRONMENT_CONTROLS,
  type EnvironmentControl,
  SEVERITIES,
  type Severity,
} from '../spec/curriculum.js';
import { STORY_POINTS, type StoryPoints } from '../spec/episodes.js';
import type { TeamSprint } from './full-sprint.js';
import { KANBAN_STATES, type KanbanState } from './sprint.js';
import { homeModeOf, type SprintStory } from './sprint-world.js';
import { ROLES, type Role, type TeamMember } from './team.js';
import { generateHire } from './team-change.js';

export const MAX_SPRINT_DAYS = 15;
/** Columns whose WIP limit a control may set. */
export const WIP_COLUMNS: readonly KanbanState[] = ['in_progress', 'review', 'qa'];

export type SprintControl =
  | { control: 'inject_disturbance'; type: DisturbanceType; severity: Severity; day?: number; blastRadius?: BlastRadius }
  | { control: 'swap_agent_role'; agent: string; targetRole: Role; proficiency: number; day?: number }
  | { control: 'modify_backlog'; action: 'add'; points?: StoryPoints; day?: number }
  | { control: 'modify_backlog'; action: 'remove'; story: string; day?: number }
  | { control: 'modify_team_composition'; action: 'depart' | 'backfill'; agent: string; day?: number }
  | { control: 'adjust_sprint_params'; duration?: number; wipLimits?: Partial<Record<KanbanState, number>>; day?: number };

export interface ControlContext {
  team: readonly TeamMember[];
  /** Sprint length before any control (days). */
  days: number;
}

const CONTROL_NAMES = Object.keys(ENVIRONMENT_CONTROLS) as EnvironmentControl[];

/** Checks untyped input (a JSON config) and returns typed controls; throws `ConfigError`. */
export function parseControls(raw: unknown, context: ControlContext): SprintControl[] {
  if (!Array.isArray(raw)) throw new ConfigError('controls must be a list of objects like {"control": "inject_disturbance", ...}');
  validateControls(raw as SprintControl[], context);
  return raw as SprintControl[];
}

/** Validates every control against the team and sprint; throws `ConfigError` naming the first problem. */
export function validateControls(controls: readonly SprintControl[], context: ControlContext): void {
  let days = context.days;
  const members = new Map(context.team.map((m) => [m.id, m]));
  const departed = new Set<string>();
  controls.forEach((control, i) => {
    const where = `controls[${i}]`;
    if (control === null || typeof control !== 'object') throw new ConfigError(`${where} must be an object with a "control" field`);
    const name = (control as { control?: unknown }).control;
    if (typeof name !== 'string' || !(CONTROL_NAMES as string[]).includes(name)) {
      throw new ConfigError(`${where}: unknown control "${String(name)}".${didYouMean(String(name), CONTROL_NAMES)}`);
    }
    const at = `${where} (${name})`;
    const day = (control as { day?: unknown }).day ?? 0;
    if (!Number.isInteger(day) || (day as number) < 0 || (day as number) > days) {
      throw new ConfigError(`${at}: day must be an integer in 0..${days} (0 = before refinement), got ${String(day)}`);
    }
    const fields = control as unknown as Record<string, unknown>;
    switch (control.control) {
      case 'inject_disturbance': {
        oneOf(at, 'type', fields.type, DISTURBANCE_TYPES);
        oneOf(at, 'severity', fields.severity, SEVERITIES);
        if (fields.blastRadius !== undefined) oneOf(at, 'blastRadius', fields.blastRadius, BLAST_RADII);
        if (day === 0 && days < 1) throw new ConfigError(`${at}: the sprint has no work day to inject into`);
        break;
      }
      case 'swap_agent_role': {
        const member = knownMember(at, fields.agent, members);
        oneOf(at, 'targetRole', fields.targetRole, ROLES);
        if (member.role === 'product_owner' || fields.targetRole === 'product_owner') {
          throw new ConfigError(`${at}: the team has exactly one product owner; swap developers and testers only`);
        }
        if (departed.has(member.id)) throw new ConfigError(`${at}: ${member.id} has already departed`);
        const p = fields.proficiency;
        if (typeof p !== 'number' || !(p > 0 && p <= 1)) {
          throw new ConfigError(`${at}: proficiency must be a number in (0, 1] (1 = as good as in the home role), got ${String(p)}`);
        }
        break;
      }
      case 'modify_backlog': {
        oneOf(at, 'action', fields.action, ['add', 'remove']);
        if (fields.action === 'add' && fields.points !== undefined) oneOf(at, 'points', fields.points, STORY_POINTS);
        if (fields.action === 'remove' && (typeof fields.story !== 'string' || fields.story.length === 0)) {
          throw new ConfigError(`${at}: "remove" needs story: the id of a backlog or sprint story (e.g. "T1-S3")`);
        }
        break;
      }
      case 'modify_team_composition': {
        oneOf(at, 'action', fields.action, ['depart', 'backfill']);
        const member = knownMember(at, fields.agent, members);
        if (fields.action === 'depart') {
          if (member.role === 'product_owner') throw new ConfigError(`${at}: the product owner cannot depart mid-sprint`);
          if (departed.has(member.id)) throw new ConfigError(`${at}: ${member.id} has already departed`);
          departed.add(member.id);
        } else if (!departed.has(member.id)) {
          throw new ConfigError(`${at}: backfill names the member being replaced, and ${member.id} has not departed in an earlier control`);
        }
        break;
      }
      case 'adjust_sprint_params': {
        if (fields.duration === undefined && fields.wipLimits === undefined) {
          throw new ConfigError(`${at}: give duration (days) and/or wipLimits ({"in_progress": 5, ...})`);
        }
        if (fields.duration !== undefined) {
          const d = fields.duration;
          if (!Number.isInteger(d) || (d as number) < 1 || (d as number) > MAX_SPRINT_DAYS) {
            throw new ConfigError(`${at}: duration must be an integer number of work days in 1..${MAX_SPRINT_DAYS}, got ${String(d)}`);
          }
          if ((d as number) < (day as number)) throw new ConfigError(`${at}: duration ${d} would end the sprint before day ${day}`);
          days = d as number;
        }
        if (fields.wipLimits !== undefined) {
          const limits = fields.wipLimits;
          if (limits === null || typeof limits !== 'object' || Array.isArray(limits)) {
            throw new ConfigError(`${at}: wipLimits must be an object such as {"in_progress": 5, "review": 3, "qa": 3}`);
          }
          for (const [column, value] of Object.entries(limits)) {
            if (!(WIP_COLUMNS as string[]).includes(column)) {
              throw new ConfigError(`${at}: wipLimits has no column "${column}".${didYouMean(column, WIP_COLUMNS)}`);
            }
            if (!Number.isInteger(value) || (value as number) < 1) {
              throw new ConfigError(`${at}: wipLimits.${column} must be a positive integer, got ${String(value)}`);
            }
          }
        }
        break;
      }
    }
  });
}

function oneOf(at: string, field: string, value: unknown, valid: readonly (string | number)[]): void {
  if (!valid.includes(value as string | number)) {
    const text = String(value);
    throw new ConfigError(`${at}: ${field} "${text}" is not valid.${didYouMean(text, valid.map(String))}`);
  }
}

function knownMember(at: string, agent: unknown, members: Map<string, TeamMember>): TeamMember {
  const id = String(agent);
  const member = members.get(id);
  if (!member) {
    const list = [...members.values()].map((m) => `${m.id} (${m.role})`);
    const hint = didYouMean(id, [...members.keys()]).replace(/ Valid: .*$/, '');
    throw new ConfigError(`${at}: agent "${id}" is not on the team.${hint} Members: ${list.join(', ')}.`);
  }
  return member;
}

/**
 * Applies one validated control to a running team sprint; returns a line for the report.
 * Throws `ConfigError` only for what depends on the sprint's state (e.g. removing a story that
 * is not there), with a message that lists what is.
 */
export function applyControl(sprint: TeamSprint, control: SprintControl): string {
  const w = sprint.world;
  switch (control.control) {
    case 'inject_disturbance': {
      const d = sprint.inject(control);
      return `inject_disturbance: ${d.type} (${d.severity}) on day ${d.scheduledDay}`;
    }
    case 'swap_agent_role': {
      const x = w.worker(control.agent);
      if (!x) throw new ConfigError(`swap_agent_role: agent ${control.agent} is not on team ${w.teamId}`);
      const from = x.member.role;
      x.member = { ...x.member, role: control.targetRole };
      x.homeMode = homeModeOf(control.targetRole);
      x.mode = x.homeMode;
      x.proficiency = control.proficiency;
      if (x.card && x.homeMode !== 'dev') w.release(x.card);
      return `swap_agent_role: ${x.member.name} (${control.agent}) from ${from} to ${control.targetRole} at proficiency ${control.proficiency}`;
    }
    case 'modify_backlog': {
      if (control.action === 'add') {
        const story = sprint.addToBacklog(control.points);
        if (w.day > 0) sprint.addToSprint(story);
        return `modify_backlog: added ${story.story.id} (${story.story.points} points)${w.day > 0 ? ' to the running sprint' : ''}`;
      }
      const inBacklog = sprint.backlogStories().findIndex((s) => s.story.id === control.story);
      if (inBacklog >= 0) {
        sprint.backlogStories().splice(inBacklog, 1);
        return `modify_backlog: removed ${control.story} from the backlog`;
      }
      const inSprint = w.stories.find((s) => s.story.id === control.story);
      if (!inSprint) {
        const ids = [...sprint.backlogStories(), ...w.stories].map((s) => s.story.id);
        throw new ConfigError(`modify_backlog: no story "${control.story}" in team ${w.teamId}.${didYouMean(control.story, ids)}`);
      }
      descope(sprint, inSprint);
      return `modify_backlog: removed ${control.story} from the sprint (its cards leave the board)`;
    }
    case 'modify_team_composition': {
      if (control.action === 'depart') {
        sprint.depart(control.agent);
        return `modify_team_composition: ${control.agent} departed`;
      }
      const leaver = w.worker(control.agent);
      if (!leaver) throw new ConfigError(`modify_team_composition: ${control.agent} was never on team ${w.teamId}`);
      const rng = Rng.seeded(sprint.seed, 'backfill', w.teamId, control.agent);
      const hire = generateHire(rng, `${control.agent}-b1`, leaver.member.role, `${leaver.member.name}'s successor`, w.domain);
      // A newcomer starts at half speed in a single-team sprint (the org model ramps it properly).
      sprint.addWorker(hire, 0.5);
      return `modify_team_composition: ${hire.id} (${hire.role}) backfills ${control.agent}`;
    }
    case 'adjust_sprint_params': {
      const notes: string[] = [];
      if (control.duration !== undefined) {
        if (control.duration < w.day)
          throw new ConfigError(`adjust_sprint_params: duration ${control.duration} is before today (day ${w.day})`);
        w.days = control.duration;
        notes.push(`duration ${control.duration} days`);
      }
      if (control.wipLimits) {
        const limits = w.board.wipLimits as Partial<Record<KanbanState, number>>;
        for (const column of KANBAN_STATES) {
          const value = control.wipLimits[column];
          if (value !== undefined) {
            limits[column] = value;
            notes.push(`WIP ${column} ${value}`);
          }
        }
      }
      return `adjust_sprint_params: ${notes.join(', ')}`;
    }
  }
}

/** Takes a story out of the running sprint: its cards leave the board. */
function descope(sprint: TeamSprint, story: SprintStory): void {
  const w = sprint.world;
  story.committed = false;
  for (const c of story.cards) w.release(c);
  const keep = w.board.cards.filter((c) => c.storyId !== story.story.id);
  w.board.cards.length = 0;
  w.board.cards.push(...keep);
  story.cards.length = 0;
}
