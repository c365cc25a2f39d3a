/**
 * Drives full sprints (`sim/full-sprint.ts`): every phase episode the sprint asks the candidate to
 * play goes through the ordinary environment (`DojoEnv`), so the candidate sees the same
 * observations and is scored the same way as in training.
 *
 *   const kinds = kindMap(EPISODE_TYPES);
 *   const result = runFullSprintSync({ seed: 7 }, persona('senior'), kinds);       // scripted, fast
 *   const result = await runFullSprint({ seed: 7 }, someLanguageModelPolicy, kinds); // any Policy
 *
 * An episode type the caller did not pass (or a scripted persona cannot play) is answered
 * `undefined`: the sprint falls back to the seat's scripted model for that phase.
 */

import type { EpisodeWorld } from '../core/episode.js';
import type { Trace } from '../core/trace.js';
import type { ScriptedPersona } from '../policy/scripted.js';
import type { Policy } from '../policy/types.js';
import {
  createTeamSprint,
  type EpisodeRequest,
  type FullSprintOptions,
  type FullSprintResult,
  type PhaseEpisode,
  type SprintProcess,
  sprintProcess,
  type TeamSprint,
  type TeamSprintResult,
} from '../sim/full-sprint.js';
import { type OrgSprintOptions, orgSprintProcess } from '../sim/org-sprint.js';
import type { EpisodeTypeName } from '../spec/episodes.js';
import { runScripted } from './batch.js';
import { DojoEnv } from './env.js';

export type EpisodeKinds = Partial<Record<EpisodeTypeName, EpisodeWorld>>;

export function kindMap(kinds: readonly EpisodeWorld[]): EpisodeKinds {
  const out: EpisodeKinds = {};
  for (const kind of kinds) out[kind.name] = kind;
  return out;
}

function phaseEpisode(trace: Trace): PhaseEpisode {
  return { outcome: trace.reward.outcome, components: trace.reward.components, facts: trace.outcome, turns: trace.turns };
}

/** Plays sprint episodes with a scripted persona, synchronously; reuses one environment per type. */
export class ScriptedEpisodePlayer {
  private readonly envs = new Map<EpisodeTypeName, DojoEnv>();
  private readonly playable: Set<EpisodeTypeName>;
  /** Every trace played, when `keepTraces` is on. */
  readonly traces: Trace[] = [];

  constructor(
    readonly persona: ScriptedPersona,
    private readonly kinds: EpisodeKinds,
    private readonly keepTraces = false,
  ) {
    const types = Object.keys(kinds) as EpisodeTypeName[];
    // Every episode type implements every scripted persona (`EpisodeType.personas`).
    this.playable = new Set(types);
  }

  play(request: EpisodeRequest): PhaseEpisode | undefined {
    const kind = this.kinds[request.type];
    if (!kind || !this.playable.has(request.type)) return undefined;
    let env = this.envs.get(request.type);
    if (!env) {
      env = new DojoEnv(kind, { policyName: this.persona.name });
      this.envs.set(request.type, env);
    }
    const trace = runScripted(env, this.persona, request.seed, request.options);
    if (this.keepTraces) this.traces.push(trace);
    return phaseEpisode(trace);
  }
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

/** One full sprint of one team with a scripted candidate (or `null`: an all-scripted team). */
export function runFullSprintSync(
  options: FullSprintOptions,
  candidate: ScriptedPersona | ScriptedEpisodePlayer | null,
  kinds: EpisodeKinds = {},
): FullSprintResult {
  const player =
    candidate === null ? null : candidate instanceof ScriptedEpisodePlayer ? candidate : new ScriptedEpisodePlayer(candidate, kinds);
  const team = createTeamSprint({ ...options, candidate: player !== null && options.candidate !== false });
  return driveSync(sprintProcess([team], player ? player.persona.name : null), player ? (r) => player.play(r) : undefined);
}

/** Plays one episode with any policy through the async environment API. */
async function playWithPolicy(policy: Policy, kind: EpisodeWorld, request: EpisodeRequest): Promise<PhaseEpisode> {
  const env = new DojoEnv(kind, { policyName: policy.name });
  let { observation } = await env.reset({ seed: request.seed, options: request.options });
  for (;;) {
    const [output] = await policy.act([{ observation, legalActions: env.legalActions() }]);
    if (!output) throw new Error(`policy ${policy.name} returned no output`);
    const step = await env.step(output.action);
    observation = step.observation;
    if (step.terminated || step.truncated) break;
  }
  return phaseEpisode(env.trace());
}

/** Runs a sprint process with any `Policy` as the candidate (language models, the built-in model). */
export async function driveAsync(process: SprintProcess, policy: Policy, kinds: EpisodeKinds): Promise<FullSprintResult> {
  let next = process.next();
  while (!next.done) {
    const kind = kinds[next.value.type];
    next = process.next(kind ? await playWithPolicy(policy, kind, next.value) : undefined);
  }
  return next.value;
}

/** One full sprint of one team with any policy as the candidate. */
export async function runFullSprint(options: FullSprintOptions, policy: Policy, kinds: EpisodeKinds): Promise<FullSprintResult> {
  const team: TeamSprint = createTeamSprint({ ...options, candidate: true });
  return driveAsync(sprintProcess([team], policy.name), policy, kinds);
}

// ---------------------------------------------------------------------------------------------
// Organisations (2-3 teams, borrowing, departures)
// ---------------------------------------------------------------------------------------------

/** One org sprint (1-3 teams in lockstep) with a scripted candidate, or `null` for all-scripted. */
export function runOrgSprintSync(
  options: OrgSprintOptions,
  candidate: ScriptedPersona | ScriptedEpisodePlayer | null,
  kinds: EpisodeKinds = {},
): FullSprintResult {
  const player =
    candidate === null ? null : candidate instanceof ScriptedEpisodePlayer ? candidate : new ScriptedEpisodePlayer(candidate, kinds);
  return driveSync(orgSprintProcess(options, player ? player.persona.name : null), player ? (r) => player.play(r) : undefined);
}

/** One org sprint with any policy as the candidate. */
export async function runOrgSprint(options: OrgSprintOptions, policy: Policy, kinds: EpisodeKinds): Promise<FullSprintResult> {
  return driveAsync(orgSprintProcess(options, policy.name), policy, kinds);
}

// ---------------------------------------------------------------------------------------------
// Sprint-level measures of the graduation criteria (curriculum.yaml)
// ---------------------------------------------------------------------------------------------

type Candidate = ScriptedEpisodePlayer | null;

function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
}

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
