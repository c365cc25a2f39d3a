/**
 * The organisation's people: each member's state (home team, the team worked for today, status,
 * ramp-up, borrow), lookups by id with did-you-mean errors, who works for a team today, and the
 * names in use (a hire gets one nobody has).
 */
import { ConfigError, didYouMean } from '../core/errors.js';
import type { Rng } from '../core/rng.js';
import { PEOPLE, type Team, type TeamId } from './org-teams.js';
import type { TeamMember } from './team.js';
import type { Ramp } from './team-change.js';

export interface MemberState {
  member: TeamMember;
  homeTeamId: TeamId;
  /** The team the member works for today (the receiving team while borrowed). */
  workingTeamId: TeamId;
  status: 'active' | 'borrowed' | 'departed';
  /** Current ramp-up; absent at full speed. */
  ramp?: Ramp;
  borrow?: { toTeamId: TeamId; startDay: number; returnDay: number };
  /** Day the member joined (1 for the initial roster). */
  arrivedDay: number;
  departedDay?: number;
}

/** Every member of the organisation by id, and the teams by id. */
export class Roster {
  private readonly states = new Map<string, MemberState>();
  /** Members who have not left, in arrival order (the hot loops iterate this, not `states`). */
  private readonly liveStates: MemberState[] = [];
  private readonly teamIndex = new Map<TeamId, Team>();
  private readonly usedNames = new Set<string>();

  constructor(teams: readonly Team[]) {
    for (const team of teams) {
      this.teamIndex.set(team.id, team);
      for (const member of team.members) {
        const state: MemberState = { member, homeTeamId: team.id, workingTeamId: team.id, status: 'active', arrivedDay: 1 };
        this.states.set(member.id, state);
        this.liveStates.push(state);
        this.usedNames.add(member.name);
      }
    }
  }

  /** Members who have not left, in arrival order. */
  get live(): readonly MemberState[] {
    return this.liveStates;
  }

  /** The team with this id; throws `ConfigError` for an unknown id. */
  team(teamId: TeamId): Team {
    const team = this.teamIndex.get(teamId);
    if (!team) throw new ConfigError(this.unknownTeam(teamId));
    return team;
  }

  hasTeam(teamId: TeamId): boolean {
    return this.teamIndex.has(teamId);
  }

  /** The message for an unknown team id, with a did-you-mean. */
  unknownTeam(teamId: TeamId): string {
    return `Unknown team "${teamId}".${didYouMean(String(teamId), [...this.teamIndex.keys()])}`;
  }

  /** The state of a member (departed members included); throws `ConfigError` for an unknown id. */
  memberState(memberId: string): MemberState {
    const state = this.states.get(memberId);
    if (!state) throw new ConfigError(this.unknownMember(memberId));
    return state;
  }

  /** The state of a member, or undefined for an unknown id. */
  find(memberId: string): MemberState | undefined {
    return this.states.get(memberId);
  }

  /** The message for an unknown member id, with a did-you-mean. */
  unknownMember(memberId: string): string {
    return `Unknown member "${memberId}".${didYouMean(String(memberId), [...this.states.keys()])}`;
  }

  /** Who works for the team today, in arrival order. */
  workingMembers(teamId: TeamId): TeamMember[] {
    const out: TeamMember[] = [];
    for (const state of this.liveStates) if (state.workingTeamId === teamId) out.push(state.member);
    return out;
  }

  /** Whether a member works for the team today (and has not left). */
  activeIn(teamId: TeamId): (memberId: string) => boolean {
    return (memberId) => {
      const state = this.states.get(memberId);
      return state !== undefined && state.status !== 'departed' && state.workingTeamId === teamId;
    };
  }

  /** A member who arrived. */
  add(state: MemberState): void {
    this.states.set(state.member.id, state);
    this.liveStates.push(state);
  }

  /** A member who left (the state stays known by id). */
  remove(state: MemberState): void {
    this.liveStates.splice(this.liveStates.indexOf(state), 1);
  }

  /** A first name nobody in the organisation has (drawn from `rng`), marked as used. */
  freshName(rng: Rng): string {
    const start = rng.int(PEOPLE.length);
    for (let i = 0; i < PEOPLE.length; i++) {
      const name = PEOPLE[(start + i) % PEOPLE.length] as string;
      if (!this.usedNames.has(name)) {
        this.usedNames.add(name);
        return name;
      }
    }
    return `${PEOPLE[start]} ${this.usedNames.size}`;
  }
}
