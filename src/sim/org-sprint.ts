/**
 * Full sprints over the organisation model (`org.ts`): 1–3 teams run their sprints day by day in
 * lockstep; rosters, ramp-up, coordination, mentoring and the knowledge penalty come from the
 * `Org`, and each morning the org's clock advances with the sprints'.
 *
 * Two curriculum scenarios put the candidate through the org:
 *   borrowing (Stage 3)  the candidate (a senior developer of T1) is borrowed into another team for
 *                        the whole sprint; it first plays `borrowing_arrival` (if registered), whose
 *                        outcome is the onboarding support that shortens its ramp-up, then works
 *                        and owns stories in the receiving team.
 *   departure (Stage 4)  the candidate leaves T1 before the sprint; it first plays
 *                        `knowledge_handoff` (if registered), whose outcome is the handoff quality
 *                        of every knowledge area it holds; what is not handed off is lost and costs
 *                        the team capacity (the org's knowledge penalty) until rediscovered.
 */

import type { ScenarioOptions } from '../core/episode.js';
import { Rng } from '../core/rng.js';
import { validateControls } from './controls.js';
import { type FullSprintOptions, type SprintProcess, sprintProcess, type TeamContext, TeamSprint } from './full-sprint.js';
import { createOrg, type Org } from './org.js';
import type { OrgOptions } from './org-options.js';
import type { TeamId } from './org-teams.js';
import { type EpisodeRecord, type EpisodeRequest, episodeRecord, type PhaseEpisode } from './sprint-episodes.js';
import { DEFAULT_SPRINT_DAYS } from './sprint-world.js';

export interface OrgSprintOptions extends Omit<FullSprintOptions, 'team' | 'teamId' | 'domain'> {
  teams: 1 | 2 | 3;
  /** Stage 3: borrow the candidate from T1 into this team for the sprint. */
  borrowInto?: TeamId;
  /** Stage 4: the candidate hands off and leaves T1 before the sprint. */
  candidateDeparts?: boolean;
  /** Extra options for the organisation model. */
  org?: Omit<OrgOptions, 'teams' | 'sprintDays'>;
}

/** The team context of one team in the org (the org's day must equal the sprint's day). */
export function orgTeamContext(org: Org, teamId: TeamId): TeamContext {
  return {
    members: () => org.workingMembers(teamId),
    rampFactor: (memberId) => org.rampFactor(memberId),
    overheadHours: () => {
      const b = org.capacityBreakdown(teamId);
      return b.mentoringHours + b.coordinationHours + b.knowledgePenaltyHours;
    },
  };
}

/** The candidate's seat in an org sprint: the dev lead, or a senior developer when it is borrowed or leaves (protected roles do neither). */
export function orgCandidateSeat(options: OrgSprintOptions): string {
  if (options.candidateSeat) return options.candidateSeat;
  return options.borrowInto || options.candidateDeparts ? 'T1-M4' : 'T1-M1';
}

/**
 * An org sprint as a process: yields the candidate's episodes (org-level ones first), returns
 * the result with one entry per team. `candidateName` null runs an all-scripted organisation.
 */
export function* orgSprintProcess(options: OrgSprintOptions, candidateName: string | null): SprintProcess {
  if (!Number.isSafeInteger(options.seed) || options.seed < 0)
    throw new RangeError(`seed must be a non-negative integer, got ${options.seed}`);
  const days = options.days ?? DEFAULT_SPRINT_DAYS;
  const org = createOrg(Rng.seeded(options.seed, 'org'), { ...(options.org ?? {}), teams: options.teams, sprintDays: days });
  const seat = orgCandidateSeat(options);
  const hasCandidate = candidateName !== null && options.candidate !== false;
  const orgEpisodes: EpisodeRecord[] = [];
  let candidateTeam: TeamId | undefined = hasCandidate ? 'T1' : undefined;

  if (options.borrowInto !== undefined) {
    const reason = org.canBorrow(seat, options.borrowInto, days);
    if (reason) throw new RangeError(`cannot borrow the candidate: ${reason}`);
    let support = 0;
    if (hasCandidate) {
      const team = org.team(options.borrowInto);
      const request = orgRequest(options.seed, 'borrowing_arrival', 'borrowing', options.borrowInto, {
        domain: team.domain,
        language: team.language,
        codebase: team.codebase,
      });
      const result: PhaseEpisode | undefined = yield request;
      support = result ? result.outcome : 0;
      orgEpisodes.push(orgRecord(request, result, `onboarding support ${support.toFixed(2)} (shortens the ramp-up)`));
    }
    org.borrow(seat, options.borrowInto, days, { onboardingSupport: Math.min(1, Math.max(0, support)) });
    if (hasCandidate) candidateTeam = options.borrowInto;
  }

  if (options.candidateDeparts) {
    const held = org.areasHeldBy(seat);
    let quality = 0;
    if (hasCandidate) {
      const team = org.team('T1');
      const request = orgRequest(options.seed, 'knowledge_handoff', 'handoff', 'T1', { domain: team.domain, language: team.language });
      const result: PhaseEpisode | undefined = yield request;
      quality = result ? result.outcome : 0;
      orgEpisodes.push(orgRecord(request, result, `handoff quality ${quality.toFixed(2)} on ${held.length} knowledge area(s)`));
    }
    const handoff: Record<string, number> = {};
    for (const area of held) handoff[area.id] = Math.min(1, Math.max(0, quality));
    org.depart(seat, { handoff });
    candidateTeam = undefined;
  }

  const teams: TeamSprint[] = org.teams.map((team) => {
    const teamOptions: FullSprintOptions = {
      ...options,
      teamId: team.id,
      domain: team.domain,
      candidateSeat: seat,
      team: team.members,
      candidate: candidateTeam === team.id,
    };
    // Controls apply to T1 and are validated against its roster.
    if (team.id === 'T1') validateControls(options.controls ?? [], { team: team.members, days });
    return new TeamSprint(
      { ...teamOptions, controls: team.id === 'T1' ? (options.controls ?? []) : [] },
      orgTeamContext(org, team.id),
      candidateTeam === team.id,
    );
  });
  const result = yield* sprintProcess(teams, hasCandidate ? candidateName : null, (day) => {
    while (org.day < day) org.advanceDay();
  });
  result.episodes.unshift(...orgEpisodes);
  return result;
}

function orgRequest(
  seed: number,
  type: 'borrowing_arrival' | 'knowledge_handoff',
  purpose: string,
  teamId: string,
  options: ScenarioOptions,
): EpisodeRequest {
  return {
    type,
    seed: Rng.seeded(seed, 'episode', teamId, purpose).nextUint32(),
    options: { ...options, difficulty: 'medium' as const },
    purpose,
    teamId,
    day: 0,
  };
}

/** An org episode's record; one whose type is not available says so in its effect. */
function orgRecord(request: EpisodeRequest, result: PhaseEpisode | undefined, effect: string): EpisodeRecord {
  return episodeRecord(request, result, result ? effect : `${request.type} not available: ${effect}`);
}
