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
 */

import type { ScenarioOptions } from '../core/episode.js';
import { ConfigError } from '../core/errors.js';
import { clamp, round1, round2 } from '../core/numbers.js';
import { Rng } from '../core/rng.js';
import { type ProfileSwappingMode, SEVERITIES } from '../spec/curriculum.js';
import type { Domain, EpisodeTypeName, StoryPoints } from '../spec/episodes.js';
import type { OutcomeComponents } from '../spec/reward.js';
import { applyControl, type SprintControl, validateControls } from './controls.js';
import {
  applyDisturbance,
  type DisturbanceFrequencies,
  describeDisturbance,
  injectedDisturbance,
  resolveFrequencies,
  scheduleDisturbances,
  selectTargets,
} from './disturbances.js';
import { KANBAN_STATES, type KanbanState } from './sprint.js';
import {
  type BlastRadiusLimits,
  type DaySummary,
  DEFAULT_BLAST_RADIUS_LIMITS,
  DEFAULT_SPRINT_DAYS,
  type Disturbance,
  FULL_SPRINT_WIP_LIMITS,
  HOURS_PER_POINT,
  homeModeOf,
  NO_BLAST_RADIUS_LIMITS,
  type SprintStory,
  SprintWorld,
  type WorkCard,
  type WorkerState,
} from './sprint-world.js';
import { generateStory } from './story.js';
import { generateTeam, type TeamMember } from './team.js';

/** The Stage-1 backlogs of curriculum.yaml. */
export const STAGE1_BACKLOGS: readonly Domain[] = ['crud_api', 'data_pipeline', 'frontend_spa', 'library'];

/** Share of a story's missed requirements the acceptance test finds. */
export const QA_FINDS_MISSED = 0.5;
/** Chance the product owner notices one escaped defect at review. */
export const PO_FINDS_ESCAPED = 0.35;
/** Share of capacity the team plans to fill at planning. */
export const PLANNING_FOCUS = 0.62;
/** Slots a work day is split into (work flows between columns from slot to slot). */
export const WORK_SLOTS = 3;

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

/** A request for the candidate to play one phase episode. */
export interface EpisodeRequest {
  type: EpisodeTypeName;
  /** Episode seed (derived from the sprint seed, the team, the purpose and the story). */
  seed: number;
  options: ScenarioOptions;
  /** Why: 'refinement', 'planning', 'implementation', 'checkpoint', 'triage', 'recovery', 'scope_change'. */
  purpose: string;
  storyId?: string;
  disturbanceId?: string;
  teamId: string;
  day: number;
}

/** What the sprint needs back from a played episode. */
export interface PhaseEpisode {
  outcome: number;
  components: OutcomeComponents;
  facts: Record<string, number | boolean | string>;
  turns: number;
}

export interface EpisodeRecord {
  type: EpisodeTypeName;
  purpose: string;
  teamId: string;
  day: number;
  seed: number;
  storyId?: string;
  disturbanceId?: string;
  /** False when the type was not available and the seat's scripted model stood in. */
  played: boolean;
  outcome?: number;
  turns?: number;
  /** What the outcome did to the sprint. */
  effect: string;
}

export interface StoryReport {
  id: string;
  title: string;
  points: number;
  owner: string;
  candidate: boolean;
  committed: boolean;
  cards: number;
  qaPassed: boolean;
  poAccepted: boolean;
  rejectedReason: string;
  /** Days from the first card started to QA passed (inclusive); 0 when not finished. */
  cycleTimeDays: number;
  missedRequirements: number;
  escapedDefects: number;
  reopened: number;
}

export interface DisturbanceReport {
  id: string;
  type: string;
  severity: string;
  intendedRadius: string;
  blastRadius: string;
  source: string;
  scheduledDay: number;
  firedDay: number;
  contained: boolean;
  cardsAffected: string[];
  storiesAffected: string[];
  membersAffected: string[];
  responseFactor: number;
  effects: Disturbance['effects'];
  summary: string;
}

export interface TeamSprintResult {
  teamId: string;
  domain: Domain;
  days: number;
  profileSwapping: ProfileSwappingMode;
  blastRadius: BlastRadiusLimits | 'off';
  candidateSeat: string | null;
  committedPoints: number;
  committedStories: number;
  /** Points of stories the product owner accepted. */
  velocity: number;
  acceptedStories: number;
  qaPassedStories: number;
  candidateStories: { total: number; qaPassed: number; accepted: number; points: number; acceptedPoints: number };
  cycleTime: { mean: number; median: number; values: number[] };
  capacityHours: number;
  lostHours: number;
  idleHours: number;
  pairHours: number;
  swaps: number;
  stories: StoryReport[];
  disturbances: DisturbanceReport[];
  daysLog: DaySummary[];
  retrospective: string[];
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

type Step = Generator<EpisodeRequest, void, PhaseEpisode | undefined>;

/** Team roster and capacity source: the static team, or the organisation model. */
export interface TeamContext {
  /** Members working for the team today. */
  members(day: number): readonly TeamMember[];
  /** Productivity factor of a member today (ramp-up), 1 at full speed. */
  rampFactor(memberId: string, day: number): number;
  /** Team-level hours lost today (coordination, mentoring, knowledge penalty). */
  overheadHours(day: number): number;
}

export function staticTeam(team: readonly TeamMember[]): TeamContext {
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
  private pendingImplementation: SprintStory[] = [];
  private readonly appliedControls: string[] = [];
  private injected = 0;
  private readonly departed = new Set<string>();
  private candidateLeft = false;
  private readonly added = new Map<string, number>();
  private dayStart = { swaps: 0, idle: 0 };
  private readonly blastSetting: BlastRadiusLimits | 'off';

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
    const seat = options.candidateSeat ?? roster.find((m) => m.role === 'dev_lead')?.id;
    this.candidateId = hasCandidate ? seat : undefined;
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
    if (memberId === this.candidateId) this.candidateLeft = true;
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
    this.scriptedElicitation(story);
    this.scriptedDecomposition(story);
  }

  controlNotes(): string[] {
    return this.appliedControls;
  }

  // -------------------------------------------------------------------------------------------
  // Candidate episodes
  // -------------------------------------------------------------------------------------------

  private request(
    type: EpisodeTypeName,
    purpose: string,
    key: string,
    options: ScenarioOptions,
    extra: Partial<EpisodeRequest> = {},
  ): EpisodeRequest {
    const seed = Rng.seeded(this.seed, 'episode', this.teamId, purpose, key).nextUint32();
    return { type, seed, options, purpose, teamId: this.teamId, day: this.world.day, ...extra };
  }

  private record(request: EpisodeRequest, result: PhaseEpisode | undefined, effect: string): void {
    const rec: EpisodeRecord = {
      type: request.type,
      purpose: request.purpose,
      teamId: request.teamId,
      day: request.day,
      seed: request.seed,
      played: result !== undefined,
      effect,
    };
    if (request.storyId) rec.storyId = request.storyId;
    if (request.disturbanceId) rec.disturbanceId = request.disturbanceId;
    if (result) {
      rec.outcome = Math.round(result.outcome * 1000) / 1000;
      rec.turns = result.turns;
    }
    this.episodes.push(rec);
  }

  private storyOptions(s: SprintStory): ScenarioOptions {
    const st = s.story;
    return {
      domain: st.domain,
      language: st.language,
      ambiguity: st.ambiguity,
      storyPoints: st.points,
      codebase: st.codebase,
      technicalDebt: st.technicalDebt,
    };
  }

  private seat(): TeamMember | undefined {
    return this.candidateId ? this.world.worker(this.candidateId)?.member : undefined;
  }

  // -------------------------------------------------------------------------------------------
  // Refinement
  // -------------------------------------------------------------------------------------------

  /** Refinement: the product owner orders the backlog; each owner elicits its story's requirements. */
  *refinement(): Step {
    const w = this.world;
    w.day = 0;
    this.applyControls(0);
    // Random disturbances are drawn now, after the day-0 controls (which may change the length).
    w.disturbances.push(...scheduleDisturbances(this.seed, this.teamId, this.frequencies, w.days));
    this.commit();
    for (const s of w.stories) {
      if (s.candidate) yield* this.candidateElicitation(s);
      else this.scriptedElicitation(s);
    }
  }

  // -------------------------------------------------------------------------------------------
  // Planning
  // -------------------------------------------------------------------------------------------

  /**
   * The stories refinement prepares for the sprint: in priority order up to the forecast (team
   * developer hours × days × PLANNING_FOCUS / HOURS_PER_POINT); owners assigned (the candidate takes
   * the first few stories of at most 5 points, scripted developers the rest, most skilled first).
   */
  private commit(): void {
    const w = this.world;
    const devs = w.workers.filter((x) => x.active && x.homeMode === 'dev');
    let devHours = 0;
    for (const d of devs) devHours += Math.max(0, d.member.hoursPerDay - 0.25);
    const forecast = (devHours * w.days * PLANNING_FOCUS) / HOURS_PER_POINT;
    let committed = 0;
    const backlog = this.backlog.slice().sort((a, b) => a.priority - b.priority);
    for (const s of backlog) {
      if (committed + s.story.points > forecast) continue;
      committed += s.story.points;
      s.committed = true;
      s.index = w.stories.length;
      w.stories.push(s);
    }
    this.backlog = backlog.filter((s) => !s.committed);
    let owned = 0;
    if (this.candidateId) {
      for (const s of w.stories) {
        if (owned >= this.candidateStories) break;
        if (s.story.points > 5) continue;
        s.owner = this.candidateId;
        s.candidate = true;
        owned++;
      }
    }
    const others = devs.filter((x) => !x.candidate).sort((a, b) => b.member.skills[w.domain] - a.member.skills[w.domain]);
    let next = 0;
    for (const s of w.stories) {
      if (s.owner) continue;
      s.owner = others.length > 0 ? (others[next++ % others.length] as WorkerState).member.id : (devs[0]?.member.id ?? '');
    }
  }

  /** Planning: each owner decomposes its stories into cards on the board. */
  *planning(): Step {
    for (const s of this.world.stories) {
      if (s.candidate) yield* this.candidateDecomposition(s);
      else this.scriptedDecomposition(s);
    }
  }

  private ownerSkill(s: SprintStory): number {
    const member = this.world.worker(s.owner)?.member;
    return member ? (member.skills[this.world.domain] ?? 0.5) : 0.5;
  }

  /** Unstated requirements the owner failed to ask about (scripted: by skill). */
  private scriptedElicitation(s: SprintStory, skill = this.ownerSkill(s)): void {
    const rng = Rng.seeded(this.seed, 'elicit', this.teamId, s.story.id);
    const pAsk = 0.25 + 0.8 * skill;
    for (const r of s.story.requirements) {
      if (r.stated || r.obvious) continue;
      const asked = rng.next() < pAsk;
      const qaRoll = rng.next();
      const poRoll = rng.next();
      if (!asked && r.impact >= 0.35) s.missed.push({ impact: r.impact, qaRoll, poRoll, resolved: false, found: false });
    }
  }

  private *candidateElicitation(s: SprintStory): Step {
    const req = this.request('elicitation', 'refinement', s.story.id, this.storyOptions(s), { storyId: s.story.id });
    const result = yield req;
    if (!result) {
      this.scriptedElicitation(s, this.seatSkill());
      this.record(req, undefined, `scripted stand-in: ${s.missed.length} requirement(s) missed`);
      return;
    }
    const missedCount = num(result.facts.importantMissed, Math.round(2 * (1 - result.components.story_accepted)));
    // The story's own hidden gaps, most impactful first, stand for what the candidate missed.
    const rng = Rng.seeded(this.seed, 'elicit', this.teamId, s.story.id);
    const gaps = s.story.requirements.filter((r) => !r.stated && !r.obvious).sort((a, b) => b.impact - a.impact);
    for (let i = 0; i < missedCount; i++) {
      const impact = gaps[i]?.impact ?? 0.6;
      s.missed.push({ impact, qaRoll: rng.next(), poRoll: rng.next(), resolved: false, found: false });
    }
    const questionHours = Math.min(3, num(result.facts.questionHours, 0));
    const seat = this.candidateId ? this.world.worker(this.candidateId) : undefined;
    if (seat) seat.lostTomorrow += questionHours;
    this.record(req, result, `${missedCount} requirement(s) missed; ${questionHours.toFixed(1)} h of questions`);
  }

  private seatSkill(): number {
    return this.seat()?.skills[this.world.domain] ?? 0.55;
  }

  private baseEffort(s: SprintStory): number {
    return s.story.points * HOURS_PER_POINT * s.sizeFactor;
  }

  /** Splits a story's effort into `n` cards on the board. */
  private makeCards(s: SprintStory, n: number, rng: Rng): void {
    const total = this.baseEffort(s) * s.effortFactor;
    const weights: number[] = [];
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const x = rng.uniform(0.6, 1.4);
      weights.push(x);
      sum += x;
    }
    for (let i = 0; i < n; i++) this.world.addCard(s, 'task', (total * (weights[i] as number)) / sum, rng);
  }

  private scriptedDecomposition(s: SprintStory, skill = this.ownerSkill(s)): void {
    const rng = Rng.seeded(this.seed, 'decompose', this.teamId, s.story.id);
    const n = Math.max(1, Math.ceil(s.story.points / 2) + (rng.chance(0.3) ? 1 : 0));
    const hasHardDependency = rng.chance(0.25);
    const found = rng.next() < 0.3 + 0.8 * skill;
    const lateWork = rng.next() < 0.5 * (1 - skill);
    s.effortFactor = 1 + (1 - skill) * 0.6 * rng.next();
    s.defectRate = 0.05 + 0.35 * (1 - skill);
    s.implemented = true;
    this.makeCards(s, n, rng);
    if (hasHardDependency && !found) (s.cards[0] as WorkCard).hiddenBlockDays = 1 + (rng.chance(0.3) ? 1 : 0);
    if (lateWork) {
      s.discoveredHours = 0.2 * this.baseEffort(s);
      s.discoveryDay = 2;
    }
  }

  private *candidateDecomposition(s: SprintStory): Step {
    const req = this.request('decomposition', 'planning', s.story.id, this.storyOptions(s), { storyId: s.story.id });
    const result = yield req;
    if (!result) {
      this.scriptedDecomposition(s, this.seatSkill());
      s.implemented = false;
      this.record(req, undefined, `scripted stand-in: ${s.cards.length} card(s)`);
      return;
    }
    const rng = Rng.seeded(this.seed, 'decompose', this.teamId, s.story.id);
    const tasks = num(result.facts.tasksCreated, Math.ceil(s.story.points / 2));
    const n = Math.max(1, Math.min(6, Math.round(tasks * Math.min(1, s.story.points / 3))));
    const missedHard = num(result.facts.missedHardDependencies, result.outcome < 0.5 ? 1 : 0);
    const missing = num(result.facts.missingComponents, 0);
    const survived = result.facts.approachSurvived !== false;
    if (!survived) s.effortFactor += 0.2;
    this.makeCards(s, n, rng);
    if (missedHard > 0) (s.cards[0] as WorkCard).hiddenBlockDays = Math.min(3, missedHard);
    if (missing > 0) {
      s.discoveredHours = Math.min(0.5, 0.15 * missing) * this.baseEffort(s);
      s.discoveryDay = 2;
    }
    this.record(
      req,
      result,
      `${n} card(s); ${missedHard} hidden blocker(s); ${s.discoveredHours.toFixed(1)} h of late work${survived ? '' : '; approach did not survive (+20% effort)'}`,
    );
  }

  // -------------------------------------------------------------------------------------------
  // Work days
  // -------------------------------------------------------------------------------------------

  *workDay(day: number): Step {
    const w = this.world;
    w.day = day;
    w.events = [];
    this.dayStart = { swaps: w.swapsTotal, idle: w.idleHours };
    this.applyControls(day);
    this.standup(day);
    this.assign();
    yield* this.flushImplementation();
    // Disturbances due today whose targets exist.
    for (const d of w.disturbances) {
      if (d.firedDay > 0 || d.scheduledDay > day) continue;
      if (!selectTargets(w, d)) continue;
      yield* this.respond(d);
      applyDisturbance(w, d);
      w.events.push(
        `${d.type} (severity ${d.severity}, blast radius ${d.blastRadius}${d.contained ? ', contained' : ''}): ${d.effects.map((e) => `${e.kind} ${e.target}`).join(', ')}`,
      );
    }
    this.assign();
    if (day === Math.ceil(w.days / 2)) yield* this.checkpoint();
    this.work();
    yield* this.flushImplementation();
    this.endOfDay(day);
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

  private speed(x: WorkerState): number {
    const skill = x.candidate ? 0.55 : (x.member.skills[this.world.domain] ?? 0.5);
    const base = x.mode === 'test' && x.homeMode !== 'test' ? 0.8 : 0.5 + skill;
    return base * x.proficiency * x.ramp * (x.swappedToday ? this.swapProficiency() : 1);
  }

  private swapProficiency(): number {
    return this.world.swapMode === 'free' ? 0.85 : 0.6;
  }

  /** Free developers take cards: unassigned in-progress cards first, then ready cards under the WIP limit. */
  private assign(): void {
    const w = this.world;
    for (const x of w.workers) {
      if (!x.active || x.mode !== 'dev' || x.card) continue;
      this.pull(x);
    }
  }

  private pull(x: WorkerState): WorkCard | undefined {
    const w = this.world;
    const cards = w.cards();
    let best: WorkCard | undefined;
    let bestScore = Number.POSITIVE_INFINITY;
    for (const c of cards) {
      if (c.state !== 'in_progress' || c.assignees.length > 0 || c.blocked || c.remaining <= 0) continue;
      const score = (w.stories[c.story] as SprintStory).priority - (this.owns(x, c) ? 1000 : 0);
      if (score < bestScore) {
        best = c;
        bestScore = score;
      }
    }
    if (!best && w.board.count('in_progress') < (w.board.wipLimits.in_progress ?? Number.POSITIVE_INFINITY)) {
      for (const c of cards) {
        if (c.state !== 'ready' || c.blocked) continue;
        // A swapped-in tester under constrained swapping takes only small cards.
        if (x.swappedToday && w.swapMode === 'constrained' && c.remaining > 4) continue;
        const score = (w.stories[c.story] as SprintStory).priority - (this.owns(x, c) ? 1000 : 0);
        if (score < bestScore) {
          best = c;
          bestScore = score;
        }
      }
      if (best) best.state = 'in_progress';
    }
    if (!best) return undefined;
    best.assignees = [x.member.id];
    x.card = best;
    if (best.startedDay === 0) {
      best.startedDay = w.day;
      best.author = x.member.id;
      const story = w.stories[best.story] as SprintStory;
      if (story.startedDay === 0) {
        story.startedDay = w.day;
        if (story.candidate && !story.implemented) this.pendingImplementation.push(story);
      }
    }
    return best;
  }

  private owns(x: WorkerState, c: WorkCard): boolean {
    return (this.world.stories[c.story] as SprintStory).owner === x.member.id;
  }

  /** The candidate's implementation episode for a story it owns, when the story starts. */
  private *flushImplementation(): Step {
    if (this.candidateLeft) this.pendingImplementation.length = 0;
    while (this.pendingImplementation.length > 0) {
      const s = this.pendingImplementation.shift() as SprintStory;
      s.implemented = true;
      const req = this.request('implementation', 'implementation', s.story.id, this.storyOptions(s), { storyId: s.story.id });
      const result = yield req;
      let factor: number;
      if (result) {
        const c = result.components;
        factor = 1 + 0.5 * (1 - c.low_iteration_count) + 0.4 * (1 - c.velocity_maintained);
        s.defectRate = 0.04 + 0.45 * (1 - c.tests_passing) + (c.story_accepted >= 0.5 ? 0 : 0.15);
      } else {
        const skill = this.seatSkill();
        const rng = Rng.seeded(this.seed, 'implement', this.teamId, s.story.id);
        factor = 1 + (1 - skill) * 0.6 * rng.next();
        s.defectRate = 0.05 + 0.35 * (1 - skill);
      }
      s.effortFactor *= factor;
      for (const c of s.cards) if (c.state !== 'done') c.remaining *= factor;
      this.record(req, result, `effort ×${factor.toFixed(2)}, defect rate ${s.defectRate.toFixed(2)}`);
    }
  }

  /** Mid-sprint checkpoint on the candidate's story with the most work left. */
  private *checkpoint(): Step {
    const w = this.world;
    if (this.candidateLeft) return;
    let target: SprintStory | undefined;
    let most = 0;
    for (const s of w.stories) {
      if (!s.candidate || s.checkpointed || s.startedDay === 0 || s.doneDay > 0) continue;
      let left = 0;
      for (const c of s.cards) if (c.state !== 'done') left += c.remaining;
      if (left > most) {
        most = left;
        target = s;
      }
    }
    if (!target) return;
    target.checkpointed = true;
    const req = this.request('self_monitoring', 'checkpoint', target.story.id, this.storyOptions(target), { storyId: target.story.id });
    const result = yield req;
    if (!result) {
      this.record(req, undefined, 'no checkpoint episode: nothing changed');
      return;
    }
    const factor = 1.25 - 0.35 * result.outcome;
    for (const c of target.cards) if (c.state !== 'done') c.remaining *= factor;
    target.defectRate += 0.1 * (1 - result.outcome);
    this.record(req, result, `remaining effort ×${factor.toFixed(2)} on ${target.story.id}`);
  }

  /** The candidate triages a disturbance that hits its work, then recovers; sets the damage factor. */
  private *respond(d: Disturbance): Step {
    if (!this.candidateId || this.candidateLeft) return;
    const w = this.world;
    const mine =
      d.membersAffected.includes(this.candidateId) ||
      d.storiesAffected.some((id) => w.stories.some((s) => s.candidate && s.story.id === id)) ||
      d.cardsAffected.some((id) => w.worker(this.candidateId as string)?.card?.id === id);
    if (!mine) return;
    const sev = SEVERITIES.indexOf(d.severity);
    const options: ScenarioOptions = { domain: w.domain, difficulty: sev === 0 ? 'easy' : sev === 1 ? 'medium' : 'hard' };
    const triage = this.request('triage', 'triage', d.id, options, { disturbanceId: d.id });
    const t = yield triage;
    let factor = 1;
    if (t) factor *= clamp(1.5 - t.outcome, 0.5, 1.5);
    this.record(triage, t, t ? `damage ×${factor.toFixed(2)}` : 'triage not available: damage unchanged');
    const followType: EpisodeTypeName = d.type === 'scope_creep' ? 'scope_change' : 'recovery';
    const follow = this.request(followType, followType, d.id, options, { disturbanceId: d.id });
    const r = yield follow;
    let f2 = 1;
    if (r) f2 = clamp(1.25 - 0.5 * r.outcome, 0.6, 1.25);
    factor *= f2;
    this.record(follow, r, r ? `damage ×${f2.toFixed(2)}` : `${followType} not available: damage unchanged`);
    d.responseFactor = Math.round(factor * 1000) / 1000;
  }

  /** One day of work: reviews first, then development (pairs when free), then QA; swaps if allowed. */
  private work(): void {
    const w = this.world;
    const people: WorkerState[] = [];
    const budget: number[] = [];
    for (const x of w.workers) {
      if (!x.active || x.mode === 'product') continue;
      people.push(x);
      budget.push(Math.max(0, x.member.hoursPerDay - x.lostToday));
      w.lostHours += Math.min(x.member.hoursPerDay, x.lostToday);
    }
    const n = people.length;
    const hours = new Array<number>(n).fill(0);
    // The day runs in slots so work flows within it: a card developed in the morning can be
    // reviewed and tested by the afternoon, and a defect QA finds can be fixed the same day.
    let swapsLeft = w.swapMode === 'constrained' ? 2 : w.swapMode === 'free' ? Number.POSITIVE_INFINITY : 0;
    for (let slot = 0; slot < WORK_SLOTS; slot++) {
      const share = 1 / (WORK_SLOTS - slot);
      for (let i = 0; i < n; i++) hours[i] = (budget[i] as number) * share;
      // Reviews first: stop starting, start finishing.
      for (let i = 0; i < n; i++) {
        const x = people[i] as WorkerState;
        const h = hours[i] as number;
        if (x.mode !== 'dev' || h <= 0) continue;
        const cap = Math.min(h, 0.75);
        hours[i] = this.review(x, cap) + (h - cap);
      }
      this.flow();
      for (let i = 0; i < n; i++)
        if ((people[i] as WorkerState).mode === 'dev') hours[i] = this.develop(people[i] as WorkerState, hours[i] as number);
      this.flow();
      for (let i = 0; i < n; i++)
        if ((people[i] as WorkerState).mode === 'test') hours[i] = this.test(people[i] as WorkerState, hours[i] as number);
      // Profile swapping: people with nothing to do in their role help the other column.
      if (swapsLeft > 0) {
        for (let i = 0; i < n; i++) {
          const x = people[i] as WorkerState;
          const h = hours[i] as number;
          if (h < 0.5 || swapsLeft <= 0 || x.swappedToday) continue;
          if (w.swapMode === 'constrained' && x.member.seniority === 'junior') continue;
          if (x.mode === 'test' && this.devWorkAvailable()) {
            this.swap(x, 'dev');
            swapsLeft--;
            hours[i] = this.develop(x, h);
          } else if (x.mode === 'dev' && w.cardsIn('qa').some((c) => c.testLeft > 0)) {
            this.swap(x, 'test');
            swapsLeft--;
            hours[i] = this.test(x, h);
          }
        }
      }
      for (let i = 0; i < n; i++) {
        budget[i] = (budget[i] as number) * (1 - share);
        w.idleHours += hours[i] as number;
      }
      this.flow();
    }
  }

  private swap(x: WorkerState, mode: 'dev' | 'test'): void {
    const w = this.world;
    x.mode = mode;
    x.swappedToday = true;
    w.swapsTotal++;
    w.events.push(`${x.member.name} (${x.member.role}) swapped to ${mode === 'dev' ? 'development' : 'testing'}`);
  }

  private devWorkAvailable(): boolean {
    const w = this.world;
    const room = w.board.count('in_progress') < (w.board.wipLimits.in_progress ?? Number.POSITIVE_INFINITY);
    for (const c of w.cards()) {
      if (c.blocked) continue;
      if (c.state === 'in_progress' && c.assignees.length === 0 && c.remaining > 0) return true;
      if (room && c.state === 'ready') return true;
    }
    return false;
  }

  private review(x: WorkerState, budget: number): number {
    const w = this.world;
    let h = budget;
    for (const c of w.cards()) {
      if (h <= 0) break;
      if (c.state !== 'review' || c.reviewLeft <= 0 || c.author === x.member.id) continue;
      const spend = Math.min(h, c.reviewLeft);
      c.reviewLeft -= spend;
      h -= spend;
    }
    return h;
  }

  /** Develops for `h` hours; returns hours left unused. */
  private develop(x: WorkerState, hours: number): number {
    const w = this.world;
    let h = hours;
    let guard = 0;
    while (h > 1e-6 && guard++ < 20) {
      let card = x.card;
      const workable = card !== undefined && card.state === 'in_progress' && !card.blocked && card.remaining > 0;
      if (!workable) {
        if (card) {
          card.assignees = card.assignees.filter((id) => id !== x.member.id);
          x.card = undefined;
        }
        // Stop starting, start finishing: review a teammate's card before pulling a new one.
        const reviewed = this.review(x, h);
        if (reviewed < h - 1e-6) {
          h = reviewed;
          continue;
        }
        card = this.pull(x);
      }
      if (!card) {
        // Nobody free to start: pair on the in-progress card with the most work left.
        const partner = this.pairTarget(x);
        if (!partner) break;
        const rate = 0.7 * this.speed(x);
        const spend = Math.min(h, partner.remaining / rate);
        partner.remaining -= spend * rate;
        partner.effortSpent += spend;
        h -= spend;
        w.pairHours += spend;
        if (!partner.assignees.includes(x.member.id)) partner.assignees.push(x.member.id);
        if (partner.remaining <= 1e-6) {
          this.finishDev(partner);
          this.toReview(partner);
        }
        continue;
      }
      const rate = this.speed(x);
      const spend = Math.min(h, card.remaining / rate);
      card.remaining -= spend * rate;
      card.effortSpent += spend;
      h -= spend;
      if (card.remaining <= 1e-6) {
        this.finishDev(card);
        w.release(card);
        x.card = undefined;
        this.toReview(card);
      }
    }
    return h;
  }

  private pairTarget(x: WorkerState): WorkCard | undefined {
    let best: WorkCard | undefined;
    for (const c of this.world.cards()) {
      if (c.state !== 'in_progress' || c.blocked || c.remaining <= 0 || c.assignees.length === 0) continue;
      if (c.assignees.includes(x.member.id)) continue;
      if (!best || c.remaining > best.remaining) best = c;
    }
    return best;
  }

  /** Development finished: defects appear by the owner's defect rate (lower when a senior paired). */
  private finishDev(card: WorkCard): void {
    card.remaining = 0;
    if (card.qaPasses > 0 || card.reopened > 0) return;
    const w = this.world;
    const story = w.stories[card.story] as SprintStory;
    let rate = story.defectRate;
    for (const id of card.assignees) if (id !== card.author && w.worker(id)?.member.seniority === 'senior') rate *= 0.6;
    let defects = 0;
    for (const roll of card.defectRolls) if (roll < rate) defects++;
    card.defects = defects;
  }

  /** Tests for `h` hours; returns hours left unused. */
  private test(x: WorkerState, hours: number): number {
    const w = this.world;
    let h = hours;
    const skill = x.member.skills[w.domain] ?? 0.5;
    const pDetect = x.homeMode === 'test' ? 0.5 + 0.4 * skill : 0.45;
    for (const c of w.cards()) {
      if (h <= 1e-6) break;
      if (c.state !== 'qa' || c.testLeft <= 0) continue;
      const rate = this.speed(x);
      const spend = Math.min(h, c.testLeft / rate);
      c.testLeft -= spend * rate;
      h -= spend;
      if (c.testLeft <= 1e-6) this.finishQa(c, pDetect);
    }
    return h;
  }

  private finishQa(card: WorkCard, pDetect: number): void {
    const w = this.world;
    const roll = card.detectRolls[Math.min(card.qaPasses, card.detectRolls.length - 1)] as number;
    card.qaPasses++;
    if (card.defects > 0 && roll < pDetect) {
      const n = card.defects;
      card.defects = 0;
      w.reopen(card, 1.5 * n);
      w.events.push(`${card.id}: QA found ${n} defect(s); back to development`);
      return;
    }
    card.escaped += card.defects;
    card.defects = 0;
    card.state = 'done';
    card.doneDay = w.day;
    this.acceptanceTest(w.stories[card.story] as SprintStory);
  }

  /** When all of a story's cards are done, its acceptance test may find missed requirements. */
  private acceptanceTest(s: SprintStory): void {
    const w = this.world;
    for (const c of s.cards) if (c.state !== 'done') return;
    for (const m of s.missed) if (m.found) m.resolved = true;
    let added = 0;
    for (const m of s.missed) {
      if (m.found || m.qaRoll >= QA_FINDS_MISSED) continue;
      m.found = true;
      added++;
      const hours = 3 * m.impact * (1 + s.story.points / 5);
      const card = w.addCard(s, 'rework', hours, Rng.seeded(this.seed, 'rework', this.teamId, s.story.id, s.cards.length));
      w.events.push(`${s.story.id}: acceptance test found a missed requirement; ${card.id} (${hours.toFixed(1)} h)`);
    }
    if (added === 0) {
      s.doneDay = w.day;
      w.events.push(`${s.story.id} passed QA (${s.story.points} points)`);
    }
  }

  /** A card whose development just ended goes to review at once when there is room (frees its WIP slot). */
  private toReview(card: WorkCard): void {
    const w = this.world;
    if (card.blocked || w.board.count('review') >= (w.board.wipLimits.review ?? Number.POSITIVE_INFINITY)) return;
    card.state = 'review';
    card.reviewLeft = card.reviewLeft > 0 ? card.reviewLeft : 1;
    w.release(card);
  }

  /** Moves finished cards right where the WIP limits allow. */
  private flow(): void {
    const w = this.world;
    const cards = w.cards();
    let inReview = 0;
    let inQa = 0;
    for (const c of cards) {
      if (c.state === 'review') inReview++;
      else if (c.state === 'qa') inQa++;
    }
    const reviewLimit = w.board.wipLimits.review ?? Number.POSITIVE_INFINITY;
    const qaLimit = w.board.wipLimits.qa ?? Number.POSITIVE_INFINITY;
    for (const c of cards) {
      if (c.state === 'in_progress' && c.remaining <= 1e-6 && !c.blocked && inReview < reviewLimit) {
        c.state = 'review';
        c.reviewLeft = c.reviewLeft > 0 ? c.reviewLeft : 1;
        w.release(c);
        inReview++;
      }
      if (c.state === 'review' && c.reviewLeft <= 1e-6 && inQa < qaLimit) {
        c.state = 'qa';
        inReview--;
        inQa++;
      }
    }
  }

  private endOfDay(day: number): void {
    const w = this.world;
    for (const c of w.cards()) {
      if (c.state === 'in_progress' && c.hiddenBlockDays > 0 && c.effortSpent > 0) {
        c.blockedUntil = day + c.hiddenBlockDays;
        w.events.push(`${c.id}: a hard dependency nobody planned for blocks it for ${c.hiddenBlockDays} day(s)`);
        c.hiddenBlockDays = 0;
      }
    }
    // Swapped people go back to their role; their cards stay in the column for a developer.
    for (const x of w.workers) {
      if (x.swappedToday && x.homeMode !== 'dev' && x.card) {
        w.release(x.card);
        x.card = undefined;
      }
    }
    const columns = {} as Record<KanbanState, number>;
    for (const state of KANBAN_STATES) columns[state] = 0;
    let blocked = 0;
    const inProgress: string[] = [];
    let pairs = 0;
    for (const c of w.cards()) {
      columns[c.state]++;
      if (c.blockedUntil >= day) blocked++;
      if (c.state === 'in_progress') {
        inProgress.push(c.id);
        if (c.assignees.length > 1) pairs++;
      }
    }
    let points = 0;
    let stories = 0;
    for (const s of w.stories) {
      if (s.doneDay > 0) {
        points += s.story.points;
        stories++;
      }
    }
    let lost = 0;
    for (const x of w.workers) if (x.active && x.mode !== 'product') lost += Math.min(x.member.hoursPerDay, x.lostToday);
    w.log.push({
      day,
      columns,
      blocked,
      inProgressCards: inProgress,
      pointsDone: points,
      storiesDone: stories,
      pairs,
      swaps: w.swapsTotal - this.dayStart.swaps,
      idleHours: round1(w.idleHours - this.dayStart.idle),
      lostHours: round1(lost),
      events: w.events,
    });
  }

  // -------------------------------------------------------------------------------------------
  // Review and retrospective
  // -------------------------------------------------------------------------------------------

  /** Sprint review: the product owner accepts finished stories unless a gap or an escaped defect shows. */
  sprintReview(): void {
    const w = this.world;
    w.day = w.days + 1;
    for (const s of w.stories) {
      if (!s.committed) continue;
      s.qaPassed = s.doneDay > 0;
      if (!s.qaPassed) {
        s.rejectedReason = 'not finished';
        continue;
      }
      const gap = s.missed.find((m) => !m.resolved && m.poRoll < m.impact);
      let escaped = 0;
      for (const c of s.cards) escaped += c.escaped;
      let noticed = false;
      for (let i = 0; i < Math.min(escaped, s.escapeRolls.length); i++) if ((s.escapeRolls[i] as number) < PO_FINDS_ESCAPED) noticed = true;
      if (gap) s.rejectedReason = 'a requirement nobody asked about is missing';
      else if (noticed) s.rejectedReason = 'the product owner hit a defect';
      else s.poAccepted = true;
    }
  }

  result(): TeamSprintResult {
    const w = this.world;
    const stories: StoryReport[] = w.stories
      .filter((s) => s.committed)
      .map((s) => {
        let escaped = 0;
        let reopened = 0;
        for (const c of s.cards) {
          escaped += c.escaped;
          reopened += c.reopened;
        }
        return {
          id: s.story.id,
          title: s.story.title,
          points: s.story.points,
          owner: s.owner,
          candidate: s.candidate,
          committed: s.committed,
          cards: s.cards.length,
          qaPassed: s.qaPassed,
          poAccepted: s.poAccepted,
          rejectedReason: s.rejectedReason,
          cycleTimeDays: s.doneDay > 0 ? s.doneDay - s.startedDay + 1 : 0,
          missedRequirements: s.missed.length,
          escapedDefects: escaped,
          reopened,
        };
      });
    const cycle = stories.filter((s) => s.qaPassed).map((s) => s.cycleTimeDays);
    const sorted = cycle.slice().sort((a, b) => a - b);
    const mine = stories.filter((s) => s.candidate);
    let capacity = 0;
    for (const x of w.workers) if (x.member.role !== 'product_owner') capacity += x.member.hoursPerDay * w.days;
    const velocity = stories.reduce((a, s) => a + (s.poAccepted ? s.points : 0), 0);
    return {
      teamId: w.teamId,
      domain: w.domain,
      days: w.days,
      profileSwapping: w.swapMode,
      blastRadius: this.blastSetting,
      candidateSeat: this.candidateId ?? null,
      committedPoints: stories.reduce((a, s) => a + s.points, 0),
      committedStories: stories.length,
      velocity,
      acceptedStories: stories.filter((s) => s.poAccepted).length,
      qaPassedStories: stories.filter((s) => s.qaPassed).length,
      candidateStories: {
        total: mine.length,
        qaPassed: mine.filter((s) => s.qaPassed).length,
        accepted: mine.filter((s) => s.poAccepted).length,
        points: mine.reduce((a, s) => a + s.points, 0),
        acceptedPoints: mine.reduce((a, s) => a + (s.poAccepted ? s.points : 0), 0),
      },
      cycleTime: {
        mean: cycle.length ? round2(cycle.reduce((a, b) => a + b, 0) / cycle.length) : 0,
        median: sorted.length ? (sorted[Math.floor((sorted.length - 1) / 2)] as number) : 0,
        values: cycle,
      },
      capacityHours: capacity,
      lostHours: round1(w.lostHours),
      idleHours: round1(w.idleHours),
      pairHours: round1(w.pairHours),
      swaps: w.swapsTotal,
      stories,
      disturbances: w.disturbances
        .slice()
        .sort((a, b) => (a.firedDay || 99) - (b.firedDay || 99) || a.scheduledDay - b.scheduledDay)
        .map((d) => ({
          id: d.id,
          type: d.type,
          severity: d.severity,
          intendedRadius: d.intendedRadius,
          blastRadius: d.blastRadius,
          source: d.source,
          scheduledDay: d.scheduledDay,
          firedDay: d.firedDay,
          contained: d.contained,
          cardsAffected: d.cardsAffected,
          storiesAffected: d.storiesAffected,
          membersAffected: d.membersAffected,
          responseFactor: d.responseFactor,
          effects: d.effects,
          summary: describeDisturbance(d),
        })),
      daysLog: w.log,
      retrospective: this.retrospective(stories),
    };
  }

  /** Retrospective: what cost the team most, in the team's words. */
  private retrospective(stories: StoryReport[]): string[] {
    const w = this.world;
    const notes: string[] = [];
    const fired = w.disturbances.filter((d) => d.firedDay > 0);
    if (fired.length > 0) notes.push(`${fired.length} disturbance(s) hit us: ${fired.map((d) => `${d.type} (${d.severity})`).join(', ')}.`);
    const blockedDays = w.log.reduce((a, l) => a + l.blocked, 0);
    if (blockedDays > 0) notes.push(`${blockedDays} card-day(s) blocked.`);
    const missed = stories.reduce((a, s) => a + s.missedRequirements, 0);
    if (missed > 0) notes.push(`${missed} requirement(s) missed in refinement; ask the product owner earlier.`);
    const reopened = stories.reduce((a, s) => a + s.reopened, 0);
    if (reopened > 0) notes.push(`${reopened} card reopening(s) (defects, flaky tests, conflicts).`);
    if (w.idleHours > 10) notes.push(`${round1(w.idleHours)} idle hours: WIP limits or the QA queue held work back.`);
    const unfinished = stories.filter((s) => !s.qaPassed).length;
    if (unfinished > 0) notes.push(`${unfinished} committed story(ies) not finished: commit less or split smaller.`);
    if (notes.length === 0) notes.push('A calm sprint: keep doing what worked.');
    return notes;
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

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

function num(value: number | boolean | string | undefined, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}
