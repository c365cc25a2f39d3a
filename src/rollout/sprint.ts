/**
 * Full sprints (`sim/full-sprint.ts`, `sim/org-sprint.ts`) with a candidate policy: every phase
 * episode the sprint asks the candidate to play goes through the episode loop (`rollout.ts`), so
 * the candidate sees the same observations and is scored the same way as in training.
 *
 *   const types = episodeTypesByName(EPISODE_TYPES);
 *   const result = runFullSprintSync({ seed: 7 }, new ScriptedPersona('senior'), types);   // in-process policies
 *   const result = await runFullSprint({ seed: 7 }, someLanguageModelPolicy, types);        // any Policy
 *
 * An episode type the caller did not pass is answered `undefined`: the sprint falls back to the
 * seat's scripted model for that phase.
 */

import type { EpisodeWorld } from '../core/episode.js';
import { mean } from '../core/numbers.js';
import type { Trace } from '../core/trace.js';
import type { Policy } from '../policy/types.js';
import { createTeamSprint, type FullSprintOptions, type FullSprintResult, type SprintProcess, sprintProcess } from '../sim/full-sprint.js';
import { type OrgSprintOptions, orgSprintProcess } from '../sim/org-sprint.js';
import type { EpisodeRequest, PhaseEpisode } from '../sim/sprint-episodes.js';
import type { TeamSprintResult } from '../sim/sprint-result.js';
import type { EpisodeTypeName } from '../spec/episodes.js';
import { type EpisodeSpec, playSync, rollout } from './rollout.js';

/** The episode types a sprint may ask for, by name. */
export type EpisodeTypes = Partial<Record<EpisodeTypeName, EpisodeWorld>>;

export function episodeTypesByName(types: readonly EpisodeWorld[]): EpisodeTypes {
  const out: EpisodeTypes = {};
  for (const type of types) out[type.name as EpisodeTypeName] = type;
  return out;
}

function phaseEpisode(trace: Trace): PhaseEpisode {
  return { outcome: trace.reward.outcome, components: trace.reward.components, facts: trace.outcome, turns: trace.turns };
}

/** Plays the episodes a sprint asks its candidate for, with one policy, through the episode loop. */
export class SprintPlayer {
  /** Every trace played, when `keepTraces` is on. */
  readonly traces: Trace[] = [];

  constructor(
    readonly policy: Policy,
    private readonly types: EpisodeTypes,
    private readonly keepTraces = false,
  ) {}

  private spec(request: EpisodeRequest): EpisodeSpec | undefined {
    const type = this.types[request.type];
    return type ? { type, seed: request.seed, options: request.options } : undefined;
  }

  private done(trace: Trace): PhaseEpisode {
    if (this.keepTraces) this.traces.push(trace);
    return phaseEpisode(trace);
  }

  /** Plays one requested episode (undefined: the type is not available). */
  async play(request: EpisodeRequest): Promise<PhaseEpisode | undefined> {
    const spec = this.spec(request);
    if (!spec) return undefined;
    const [played] = await rollout(this.policy, [spec]);
    return this.done((played as { trace: Trace }).trace);
  }

  /** `play` for a policy that computes in-process (`actSync`). */
  playSync(request: EpisodeRequest): PhaseEpisode | undefined {
    const type = this.types[request.type];
    return type ? this.done(playSync(this.policy, type, request.seed, request.options)) : undefined;
  }
}

function playerOf(candidate: Policy | SprintPlayer | null, types: EpisodeTypes): SprintPlayer | null {
  if (candidate === null) return null;
  return candidate instanceof SprintPlayer ? candidate : new SprintPlayer(candidate, types);
}

/** Runs a sprint process to the end with a synchronous player (or none: all-scripted team). */
export function driveSync(
  process: SprintProcess,
  play: ((request: EpisodeRequest) => PhaseEpisode | undefined) | undefined,
): FullSprintResult {
  let next = process.next();
  while (!next.done) next = process.next(play ? play(next.value) : undefined);
  return next.value;
}

/** One full sprint of one team with an in-process candidate policy (or `null`: an all-scripted team). */
export function runFullSprintSync(
  options: FullSprintOptions,
  candidate: Policy | SprintPlayer | null,
  types: EpisodeTypes = {},
): FullSprintResult {
  const player = playerOf(candidate, types);
  const team = createTeamSprint({ ...options, candidate: player !== null && options.candidate !== false });
  return driveSync(sprintProcess([team], player ? player.policy.name : null), player ? (r) => player.playSync(r) : undefined);
}

/** Runs a sprint process with any policy as the candidate (language models, the built-in model). */
export async function driveAsync(process: SprintProcess, player: SprintPlayer): Promise<FullSprintResult> {
  let next = process.next();
  while (!next.done) next = process.next(await player.play(next.value));
  return next.value;
}

/** One full sprint of one team with any policy as the candidate. */
export async function runFullSprint(
  options: FullSprintOptions,
  candidate: Policy | SprintPlayer,
  types: EpisodeTypes,
): Promise<FullSprintResult> {
  const player = playerOf(candidate, types) as SprintPlayer;
  return driveAsync(sprintProcess([createTeamSprint({ ...options, candidate: true })], player.policy.name), player);
}

// ---------------------------------------------------------------------------------------------
// Organisations (2-3 teams, borrowing, departures)
// ---------------------------------------------------------------------------------------------

/** One org sprint (1-3 teams in lockstep) with an in-process candidate policy, or `null` for all-scripted. */
export function runOrgSprintSync(
  options: OrgSprintOptions,
  candidate: Policy | SprintPlayer | null,
  types: EpisodeTypes = {},
): FullSprintResult {
  const player = playerOf(candidate, types);
  return driveSync(orgSprintProcess(options, player ? player.policy.name : null), player ? (r) => player.playSync(r) : undefined);
}

// ---------------------------------------------------------------------------------------------
// Sprint-level measures of the graduation criteria (curriculum.yaml)
// ---------------------------------------------------------------------------------------------

type Candidate = SprintPlayer | null;

/** Stage 1: how many of the candidate's stories passed QA (criterion: at least 2 of 3). */
export function storiesPassingQa(result: FullSprintResult): { passed: number; total: number; met: boolean } {
  let passed = 0;
  let total = 0;
  for (const team of result.teams) {
    passed += team.candidateStories.qaPassed;
    total += team.candidateStories.total;
  }
  return { passed, total, met: total > 0 && passed * 3 >= 2 * total };
}

export interface VelocityDrop {
  /** Sprints in which at least one disturbance fired (the others are not compared). */
  sprints: number;
  disturbedVelocity: number;
  calmVelocity: number;
  /** 1 − disturbed / calm; the Stage-2 criterion is < 0.30. */
  drop: number;
}

/**
 * Stage 2: velocity in disturbance sprints against matched calm sprints — the same seed with the
 * disturbances off, so everything else (team, backlog, fates, the candidate's episodes) is equal.
 */
export function disturbanceVelocityDrop(
  seeds: readonly number[],
  candidate: Candidate,
  options: Omit<FullSprintOptions, 'seed'> = {},
): VelocityDrop {
  const disturbed: number[] = [];
  const calm: number[] = [];
  for (const seed of seeds) {
    const a = runFullSprintSync({ ...options, seed, disturbances: options.disturbances ?? true }, candidate);
    const team = a.teams[0] as TeamSprintResult;
    if (!team.disturbances.some((d) => d.firedDay > 0)) continue;
    const b = runFullSprintSync({ ...options, seed, disturbances: false }, candidate);
    disturbed.push(team.velocity);
    calm.push((b.teams[0] as TeamSprintResult).velocity);
  }
  const d = mean(disturbed);
  const c = mean(calm);
  return { sprints: disturbed.length, disturbedVelocity: d, calmVelocity: c, drop: c > 0 ? 1 - d / c : 0 };
}

export interface BorrowingGain {
  sprints: number;
  /** Receiving team's velocity with the borrowed candidate. */
  withCandidate: number;
  withoutCandidate: number;
  /** with − without; the Stage-3 criterion is > 0 (net positive). */
  gain: number;
}

/** Stage 3: the receiving team's (T2) velocity with the candidate borrowed in, against the same sprint without it. */
export function borrowingGain(
  seeds: readonly number[],
  candidate: Candidate,
  teams: 2 | 3 = 2,
  options: Partial<OrgSprintOptions> = {},
): BorrowingGain {
  const withC: number[] = [];
  const without: number[] = [];
  for (const seed of seeds) {
    const a = runOrgSprintSync({ disturbances: false, ...options, seed, teams, borrowInto: 'T2' }, candidate);
    const b = runOrgSprintSync({ disturbances: false, ...options, seed, teams }, null);
    withC.push(a.teams.find((t) => t.teamId === 'T2')?.velocity ?? 0);
    without.push(b.teams.find((t) => t.teamId === 'T2')?.velocity ?? 0);
  }
  const w = mean(withC);
  const o = mean(without);
  return { sprints: seeds.length, withCandidate: w, withoutCandidate: o, gain: w - o };
}

export interface DepartureDip {
  sprints: number;
  /** T1's velocity with the (scripted) member in its seat. */
  before: number;
  /** T1's velocity in the sprint after the candidate handed off and left. */
  after: number;
  /** 1 − after / before; the Stage-4 criterion is < 0.20. */
  dip: number;
}

/** Stage 4: the team's velocity dip after the candidate hands off and leaves, against the same sprint with the seat filled. */
export function departureDip(seeds: readonly number[], candidate: Candidate, options: Partial<OrgSprintOptions> = {}): DepartureDip {
  const before: number[] = [];
  const after: number[] = [];
  for (const seed of seeds) {
    const a = runOrgSprintSync({ disturbances: false, ...options, seed, teams: 1, candidateDeparts: true }, candidate);
    const b = runOrgSprintSync({ disturbances: false, ...options, seed, teams: 1 }, null);
    after.push(a.teams[0]?.velocity ?? 0);
    before.push(b.teams[0]?.velocity ?? 0);
  }
  const bm = mean(before);
  const am = mean(after);
  return { sprints: seeds.length, before: bm, after: am, dip: bm > 0 ? 1 - am / bm : 0 };
}
