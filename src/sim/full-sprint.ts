/**
 * Full sprints: refinement → planning → N days of work (standups, pairing, disturbances) →
 * review → retrospective, for one team or several in lockstep.
 *
 * The candidate sits in one seat (default: the dev lead) and owns a few stories (default 3: the
 * Stage-1 criterion "at least 2 of 3 stories pass QA"). It acts in the phases where it has a role,
 * each through a phase episode of the registered episode types:
 *   refinement      an `elicitation` episode per story it owns → requirements it missed
 *   planning        a `decomposition` episode per story it owns → cards, hidden blockers, late work
 *   work            an `implementation` episode when a story of its starts → effort and defect rate,
 *                   a `self_monitoring` checkpoint mid-sprint → remaining effort on its largest story
 *   disturbances    `triage` (and `recovery` / `scope_change`) when a disturbance hits its work,
 *                   if those types are registered → damage multiplier
 * Scripted team members (by seniority) play their own stories through a parametric model driven by
 * their skill: the same quantities (missed requirements, hidden blockers, effort, defects).
 *
 * The sprint is a generator that yields an `EpisodeRequest` whenever the candidate has to act and
 * receives the `PhaseEpisode` outcome (or `undefined`: the type is not available, the seat's
 * scripted model is used). `runFullSprintSync` drives it with a scripted persona, `runFullSprint`
 * with any async `Policy`. Same seed and same candidate decisions give the same sprint.
 *
 * Sprint state flows through the kanban board with WIP limits: ready → in_progress (developers,
 * pairs when nobody is free) → review (another developer, 1 h) → qa (testers; hidden defects are
 * found with a chance and send the card back) → done. A story passes QA when all its cards are done
 * and its acceptance test finds nothing missing; the product owner accepts it at review unless a
 * missed requirement or an escaped defect shows. Velocity is the points the product owner accepted.
 *
 * This module holds one team's sprint (`TeamSprint`: its backlog, roster changes and the hooks the
 * environment controls use, and the phases in order) and the sprint process over one or more teams.
 * The phases' parts: `sprint-planning.ts` (commitment, elicitation, decomposition), `sprint-work.ts`
 * (the work of a day on the board), `sprint-episodes.ts` (the candidate's episodes and the work-day
 * ones it plays), `sprint-result.ts` (review, the team's result, retrospective); the state they
 * share is `sprint-world.ts`.
 */

import { ConfigError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import type { ProfileSwappingMode } from '../spec/curriculum.js';
import type { Domain, StoryPoints } from '../spec/episodes.js';
import { applyControl, type SprintControl, validateControls } from './controls.js';
import {
  applyDisturbance,
  type DisturbanceFrequencies,
  injectedDisturbance,
  resolveFrequencies,
  scheduleDisturbances,
  selectTargets,
} from './disturbances.js';
import type { KanbanState } from './sprint.js';
import { CandidateSeat, type EpisodeRecord, type EpisodeRequest, type PhaseEpisode, type SprintStep } from './sprint-episodes.js';
import {
  candidateDecomposition,
  candidateElicitation,
  commitStories,
  scriptedDecomposition,
  scriptedElicitation,
} from './sprint-planning.js';
import { reviewSprint, type TeamSprintResult, teamSprintResult } from './sprint-result.js';
import { BoardWork, type DayStart } from './sprint-work.js';
import {
  type BlastRadiusLimits,
  DEFAULT_BLAST_RADIUS_LIMITS,
  DEFAULT_SPRINT_DAYS,
  type Disturbance,
  FULL_SPRINT_WIP_LIMITS,
  homeModeOf,
  NO_BLAST_RADIUS_LIMITS,
  type SprintStory,
  SprintWorld,
  type WorkerState,
} from './sprint-world.js';
import { generateStory } from './story.js';
import { generateTeam, type TeamMember } from './team.js';

/** The Stage-1 backlogs of curriculum.yaml. */
export const STAGE1_BACKLOGS: readonly Domain[] = ['crud_api', 'data_pipeline', 'frontend_spa', 'library'];

// ---------------------------------------------------------------------------------------------
// Options and results
// ---------------------------------------------------------------------------------------------

export interface FullSprintOptions {
  seed: number;
  /** Team id, prefix of card and disturbance ids (default 'T1'). */
  teamId?: string;
  /** Backlog domain (default drawn from the Stage-1 backlogs). */
  domain?: Domain;
  /** Work days (default 5). */
  days?: number;
  wipLimits?: Partial<Record<KanbanState, number>>;
  /** `true` (default frequencies), `false` (calm sprint) or per-type probabilities. */
  disturbances?: boolean | Partial<DisturbanceFrequencies>;
  /** Blast-radius limits; 'off' disables them (default on: 3 cards, 2 stories). */
  blastRadius?: BlastRadiusLimits | 'off';
  profileSwapping?: ProfileSwappingMode;
  /** Is there a candidate at all (default true)? Without one the seat is a scripted member. */
  candidate?: boolean;
  /** Stories the candidate owns (default 3). */
  candidateStories?: number;
  /** Member id of the candidate's seat (default the dev lead). */
  candidateSeat?: string;
  /** Stories in the product backlog before refinement (default 12). */
  backlogSize?: number;
  /** Environment controls (validated with clear errors before the sprint starts). */
  controls?: readonly SprintControl[];
  /** The team (default the 11-member team generated from the seed). */
  team?: readonly TeamMember[];
}

export interface FullSprintResult {
  schema: 'dojo.sprint/1';
  seed: number;
  /** The candidate's policy name, or null for an all-scripted team. */
  candidate: string | null;
  phases: string[];
  teams: TeamSprintResult[];
  episodes: EpisodeRecord[];
  controls: string[];
}

export type SprintProcess = Generator<EpisodeRequest, FullSprintResult, PhaseEpisode | undefined>;

// ---------------------------------------------------------------------------------------------
// One team's sprint
// ---------------------------------------------------------------------------------------------

/** Team roster and capacity source: the static team, or the organisation model. */
export interface TeamContext {
  /** Members working for the team today. */
  members(day: number): readonly TeamMember[];
  /** Productivity factor of a member today (ramp-up), 1 at full speed. */
  rampFactor(memberId: string, day: number): number;
  /** Team-level hours lost today (coordination, mentoring, knowledge penalty). */
  overheadHours(day: number): number;
}

function staticTeam(team: readonly TeamMember[]): TeamContext {
  return { members: () => team, rampFactor: () => 1, overheadHours: () => 0 };
}

export class TeamSprint {
  readonly world: SprintWorld;
  readonly episodes: EpisodeRecord[] = [];
  readonly candidateId: string | undefined;
  readonly seed: number;
  private readonly frequencies: DisturbanceFrequencies;
  private readonly controls: SprintControl[];
  private readonly candidateStories: number;
  private backlog: SprintStory[] = [];
  private readonly appliedControls: string[] = [];
  private injected = 0;
  private readonly departed = new Set<string>();
  private readonly added = new Map<string, number>();
  private dayStart: DayStart = { swaps: 0, idle: 0 };
  private readonly blastSetting: BlastRadiusLimits | 'off';
  private readonly seat: CandidateSeat;
  private readonly board: BoardWork;

  constructor(
    options: FullSprintOptions,
    private readonly context: TeamContext,
    readonly hasCandidate: boolean,
  ) {
    this.seed = options.seed;
    const teamId = options.teamId ?? 'T1';
    const domain = options.domain ?? Rng.seeded(options.seed, 'domain', teamId).pick(STAGE1_BACKLOGS);
    this.blastSetting = options.blastRadius ?? { ...DEFAULT_BLAST_RADIUS_LIMITS };
    this.world = new SprintWorld(teamId, domain, {
      days: options.days ?? DEFAULT_SPRINT_DAYS,
      wipLimits: { ...FULL_SPRINT_WIP_LIMITS, ...(options.wipLimits ?? {}) },
      swapMode: options.profileSwapping ?? 'none',
      limits: this.blastSetting === 'off' ? NO_BLAST_RADIUS_LIMITS : this.blastSetting,
    });
    this.frequencies = resolveFrequencies(options.disturbances ?? true);
    this.controls = [...(options.controls ?? [])];
    this.candidateStories = options.candidateStories ?? 3;
    const roster = context.members(1);
    const seatId = options.candidateSeat ?? roster.find((m) => m.role === 'dev_lead')?.id;
    this.candidateId = hasCandidate ? seatId : undefined;
    this.seat = new CandidateSeat(this.world, this.seed, this.candidateId, this.episodes);
    this.board = new BoardWork(this.world, this.seed, (story) => this.seat.storyStarted(story));
    for (const member of roster) this.world.workers.push(this.workerFor(member));
    this.generateBacklog(options.backlogSize ?? 12);
  }

  get teamId(): string {
    return this.world.teamId;
  }

  private workerFor(member: TeamMember): WorkerState {
    const mode = homeModeOf(member.role);
    return {
      member,
      mode,
      homeMode: mode,
      proficiency: 1,
      ramp: 1,
      active: true,
      lostToday: 0,
      lostTomorrow: 0,
      card: undefined,
      swappedToday: false,
      candidate: member.id === this.candidateId,
    };
  }

  private generateBacklog(size: number): void {
    const rng = Rng.seeded(this.seed, 'backlog', this.teamId);
    for (let i = 0; i < size; i++) this.backlog.push(this.newStory(rng, i));
  }

  /** A backlog story with its hidden fates (its own keyed generator). */
  newStory(rng: Rng, index: number, points?: number): SprintStory {
    const storyOptions =
      points === undefined ? { domain: this.world.domain } : { domain: this.world.domain, storyPoints: points as StoryPoints };
    const story = generateStory(rng, storyOptions, `${this.teamId}-S${index + 1}`);
    const fates = Rng.seeded(this.seed, 'story-fates', this.teamId, story.id);
    return {
      index: -1,
      story,
      priority: index,
      committed: false,
      owner: '',
      candidate: false,
      sizeFactor: fates.uniform(0.8, 1.3),
      effortFactor: 1,
      defectRate: 0.15,
      missed: [],
      escapeRolls: [fates.next(), fates.next(), fates.next(), fates.next()],
      cards: [],
      startedDay: 0,
      doneDay: 0,
      discoveredHours: 0,
      discoveryDay: 0,
      checkpointed: false,
      implemented: false,
      qaPassed: false,
      poAccepted: false,
      rejectedReason: '',
    };
  }

  /** Controls the curriculum applies to this team (validated up front, applied on their day). */
  private applyControls(day: number): void {
    for (const control of this.controls) {
      if ((control.day ?? 0) !== day) continue;
      const note = applyControl(this, control);
      this.appliedControls.push(`day ${day}: ${note}`);
      this.world.events.push(note);
    }
  }

  /** Adds a disturbance injected by a control. */
  inject(control: Extract<SprintControl, { control: 'inject_disturbance' }>): Disturbance {
    const d = injectedDisturbance(
      this.seed,
      this.teamId,
      this.injected++,
      control.type,
      control.severity,
      Math.max(1, control.day ?? 1),
      control.blastRadius,
    );
    this.world.disturbances.push(d);
    return d;
  }

  /** Backlog access for controls. */
  backlogStories(): SprintStory[] {
    return this.backlog;
  }

  addToBacklog(points: number | undefined): SprintStory {
    const index = this.backlog.length + this.world.stories.length;
    const story = this.newStory(Rng.seeded(this.seed, 'backlog-added', this.teamId, index), index, points);
    story.priority = points === undefined ? this.backlog.length : 0;
    // An added story goes to the top when the control gives it a size (urgent), else to the bottom.
    if (points !== undefined) {
      for (const s of this.backlog) s.priority++;
      this.backlog.unshift(story);
    } else this.backlog.push(story);
    return story;
  }

  /** Adds a member (backfill) mid-sprint, at a fixed productivity factor (ramp-up). */
  addWorker(member: TeamMember, ramp: number): WorkerState {
    const w = this.workerFor(member);
    w.ramp = ramp;
    this.world.workers.push(w);
    this.added.set(member.id, ramp);
    return w;
  }

  /**
   * A member leaves: their cards go back to the column unassigned, and what only they knew costs
   * the next developer 20% more on each of them.
   */
  depart(memberId: string): void {
    const w = this.world;
    const x = w.worker(memberId);
    if (!x) throw new ConfigError(`depart: ${memberId} is not on team ${w.teamId}`);
    this.departed.add(memberId);
    x.active = false;
    for (const c of w.cards()) {
      if (c.author === memberId && c.state === 'in_progress' && c.remaining > 0) c.remaining *= 1.2;
      if (c.assignees.includes(memberId)) c.assignees = c.assignees.filter((id) => id !== memberId);
    }
    x.card = undefined;
    // A departed candidate plays no more episodes: its stories go on with the scripted model.
    if (memberId === this.candidateId) this.seat.left = true;
    for (const s of w.stories) {
      if (s.owner !== memberId || s.doneDay > 0) continue;
      if (s.candidate) s.implemented = true;
      const next = w.workers.find((y) => y.active && y.homeMode === 'dev');
      if (next) s.owner = next.member.id;
    }
  }

  /** A story added to the running sprint (curriculum control): a scripted owner refines and splits it. */
  addToSprint(story: SprintStory): void {
    const w = this.world;
    this.backlog = this.backlog.filter((s) => s !== story);
    story.committed = true;
    story.index = w.stories.length;
    story.priority = w.stories.length;
    w.stories.push(story);
    const devs = w.workers.filter((x) => x.active && x.homeMode === 'dev' && !x.candidate);
    story.owner = (devs[story.index % Math.max(1, devs.length)] ?? w.workers[0])?.member.id ?? '';
    scriptedElicitation(w, this.seed, story);
    scriptedDecomposition(w, this.seed, story);
  }

  controlNotes(): string[] {
    return this.appliedControls;
  }

  // -------------------------------------------------------------------------------------------
  // Refinement
  // -------------------------------------------------------------------------------------------

  /** Refinement: the product owner orders the backlog; each owner elicits its story's requirements. */
  *refinement(): SprintStep {
    const w = this.world;
    w.day = 0;
    this.applyControls(0);
    // Random disturbances are drawn now, after the day-0 controls (which may change the length).
    w.disturbances.push(...scheduleDisturbances(this.seed, this.teamId, this.frequencies, w.days));
    this.backlog = commitStories(w, this.backlog, this.candidateId, this.candidateStories);
    for (const s of w.stories) {
      if (s.candidate) yield* candidateElicitation(this.seat, s);
      else scriptedElicitation(w, this.seed, s);
    }
  }

  // -------------------------------------------------------------------------------------------
  // Planning
  // -------------------------------------------------------------------------------------------

  /** Planning: each owner decomposes its stories into cards on the board. */
  *planning(): SprintStep {
    for (const s of this.world.stories) {
      if (s.candidate) yield* candidateDecomposition(this.seat, s);
      else scriptedDecomposition(this.world, this.seed, s);
    }
  }

  // -------------------------------------------------------------------------------------------
  // Work days
  // -------------------------------------------------------------------------------------------

  *workDay(day: number): SprintStep {
    const w = this.world;
    w.day = day;
    w.events = [];
    this.dayStart = { swaps: w.swapsTotal, idle: w.idleHours };
    this.applyControls(day);
    this.standup(day);
    this.board.assign();
    yield* this.seat.implementation();
    // Disturbances due today whose targets exist.
    for (const d of w.disturbances) {
      if (d.firedDay > 0 || d.scheduledDay > day) continue;
      if (!selectTargets(w, d)) continue;
      yield* this.seat.respond(d);
      applyDisturbance(w, d);
      w.events.push(
        `${d.type} (severity ${d.severity}, blast radius ${d.blastRadius}${d.contained ? ', contained' : ''}): ${d.effects.map((e) => `${e.kind} ${e.target}`).join(', ')}`,
      );
    }
    this.board.assign();
    if (day === Math.ceil(w.days / 2)) yield* this.seat.checkpoint();
    this.board.work();
    yield* this.seat.implementation();
    this.board.closeDay(day, this.dayStart);
  }

  private standup(day: number): void {
    const w = this.world;
    const members = this.context.members(day);
    const present = new Set<string>();
    for (const m of members) present.add(m.id);
    for (const m of members) if (!w.worker(m.id)) w.workers.push(this.workerFor(m));
    const overhead = this.context.overheadHours(day);
    w.teamOverhead = overhead;
    let devs = 0;
    for (const x of w.workers) {
      const id = x.member.id;
      x.active = !this.departed.has(id) && (present.has(id) || this.added.has(id));
      if (!x.active) {
        if (x.card) w.release(x.card);
        continue;
      }
      x.ramp = this.added.get(id) ?? this.context.rampFactor(id, day);
      x.lostToday = x.lostTomorrow + 0.25;
      x.lostTomorrow = 0;
      x.swappedToday = false;
      x.mode = x.homeMode;
      if (x.homeMode === 'dev') devs++;
    }
    if (overhead > 0 && devs > 0) for (const x of w.workers) if (x.active && x.homeMode === 'dev') x.lostToday += overhead / devs;
    for (const c of w.cards()) {
      c.blocked = c.blockedUntil >= day;
      // A developer does not sit on a blocked card: it stays in its column, unassigned.
      if (c.blocked && c.assignees.length > 0) w.release(c);
    }
    for (const s of w.stories) {
      if (s.discoveryDay === day && s.discoveredHours > 0) {
        const rng = Rng.seeded(this.seed, 'discovered', this.teamId, s.story.id);
        const card = w.addCard(s, 'task', s.discoveredHours, rng);
        w.events.push(`${card.id}: ${s.discoveredHours.toFixed(1)} h of work the plan missed on ${s.story.id}`);
      }
    }
  }

  // -------------------------------------------------------------------------------------------
  // Review and retrospective
  // -------------------------------------------------------------------------------------------

  /** Sprint review: the product owner accepts finished stories unless a gap or an escaped defect shows. */
  sprintReview(): void {
    reviewSprint(this.world);
  }

  result(): TeamSprintResult {
    return teamSprintResult(this.world, this.blastSetting, this.candidateId);
  }
}

// ---------------------------------------------------------------------------------------------
// The sprint process (one or more teams in lockstep)
// ---------------------------------------------------------------------------------------------

export const SPRINT_PHASES = ['refinement', 'planning', 'work', 'review', 'retrospective'] as const;

/** Creates the team sprints of a single-team sprint (validating the options and controls). */
export function createTeamSprint(options: FullSprintOptions, context?: TeamContext): TeamSprint {
  const teamId = options.teamId ?? 'T1';
  if (!Number.isSafeInteger(options.seed) || options.seed < 0)
    throw new RangeError(`seed must be a non-negative integer, got ${options.seed}`);
  const team = options.team ?? generateTeam(Rng.seeded(options.seed, 'team', teamId), STAGE1_BACKLOGS);
  validateControls(options.controls ?? [], { team, days: options.days ?? DEFAULT_SPRINT_DAYS });
  const sprint = new TeamSprint(options, context ?? staticTeam(team), options.candidate ?? true);
  return sprint;
}

/**
 * The sprint as a process: yields every episode the candidate has to play, returns the result.
 * Several team sprints run day by day in lockstep (the organisation model supplies their rosters).
 */
export function* sprintProcess(teams: readonly TeamSprint[], candidateName: string | null, onDay?: (day: number) => void): SprintProcess {
  for (const t of teams) yield* t.refinement();
  for (const t of teams) yield* t.planning();
  const days = Math.max(...teams.map((t) => t.world.days));
  for (let day = 1; day <= days; day++) {
    onDay?.(day);
    for (const t of teams) if (day <= t.world.days) yield* t.workDay(day);
  }
  for (const t of teams) t.sprintReview();
  const episodes: EpisodeRecord[] = [];
  const controls: string[] = [];
  for (const t of teams) {
    episodes.push(...t.episodes);
    controls.push(...t.controlNotes());
  }
  return {
    schema: 'dojo.sprint/1',
    seed: teams[0]?.seed ?? 0,
    candidate: candidateName,
    phases: [...SPRINT_PHASES],
    teams: teams.map((t) => t.result()),
    episodes,
    controls,
  };
}
