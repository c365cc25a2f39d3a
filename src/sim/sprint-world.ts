/**
 * The state of one team's full sprint: stories with their hidden fates, work cards on the kanban
 * board, and the people working them. Shared by the full-sprint engine (`full-sprint.ts` and its
 * parts `sprint-planning.ts`, `sprint-work.ts`, `sprint-episodes.ts`, `sprint-result.ts`), the
 * disturbance engine (`disturbances.ts`) and the environment controls (`controls.ts`).
 *
 * Units: effort in focus hours, time in sprint days (1-based work days; 0 is refinement and
 * planning, `days + 1` the review and retrospective).
 */

import type { Rng } from '../core/rng.js';
import type { BlastRadius, DisturbanceType, ProfileSwappingMode, Severity } from '../spec/curriculum.js';
import type { Domain } from '../spec/episodes.js';
import { type Card, KanbanBoard, type KanbanState } from './sprint.js';
import type { Story } from './story.js';
import type { Role, TeamMember } from './team.js';

/** Focus hours one story point takes a developer of skill 0.5. */
export const HOURS_PER_POINT = 5;

/** Full-sprint WIP limits: wider than the single-episode board, for a team of 7 developers. */
export const FULL_SPRINT_WIP_LIMITS: Readonly<Partial<Record<KanbanState, number>>> = { in_progress: 6, review: 3, qa: 3 };

/** Default number of work days in a full sprint (the issue: five days of work). */
export const DEFAULT_SPRINT_DAYS = 5;

/** What a member does today. */
export type WorkMode = 'dev' | 'test' | 'product';

export type CardKind = 'task' | 'rework' | 'scope';

/** A card on the board with its effort and hidden quality fates. */
export interface WorkCard extends Card {
  kind: CardKind;
  /** Index of its story in `SprintWorld.stories`. */
  story: number;
  /** Development hours still needed (at speed 1). */
  remaining: number;
  /** Total development hours put on the card so far (for the report). */
  effortSpent: number;
  /** Review hours still needed once in review. */
  reviewLeft: number;
  /** Testing hours still needed once in QA. */
  testLeft: number;
  /** Defects currently in the work (hidden until QA or review finds them). */
  defects: number;
  /** Defects that went through QA unseen. */
  escaped: number;
  /** Pre-drawn uniform fates for defect creation (three per card). */
  defectRolls: readonly number[];
  /** Uniform fate per QA pass for detection (indexed by pass). */
  detectRolls: readonly number[];
  qaPasses: number;
  /** The card stays blocked through this day (0 = not blocked). */
  blockedUntil: number;
  /** A hard dependency nobody planned for: the card is blocked this many days once started. */
  hiddenBlockDays: number;
  startedDay: number;
  doneDay: number;
  reopened: number;
  /** The developer who started the card. */
  author: string;
}

/** A requirement the story's owner did not elicit, and where it will surface. */
export interface MissedRequirement {
  impact: number;
  /** Found in the story's acceptance test when `qaRoll < QA_FINDS_MISSED`. */
  qaRoll: number;
  /** Found by the product owner at review when `poRoll < impact`. */
  poRoll: number;
  /** Rework was done for it. */
  resolved: boolean;
  /** A rework card was added for it. */
  found: boolean;
}

export interface SprintStory {
  index: number;
  story: Story;
  /** Product-owner priority, 0 = first. */
  priority: number;
  committed: boolean;
  /** The member who owns the story (refines, decomposes, leads the work). */
  owner: string;
  candidate: boolean;
  /** Hidden size factor: the true effort is points × HOURS_PER_POINT × sizeFactor. */
  sizeFactor: number;
  /** Multiplier on development effort from the owner's implementation quality. */
  effortFactor: number;
  /** Chance per defect roll that finished work carries a defect (owner's implementation quality). */
  defectRate: number;
  missed: MissedRequirement[];
  /** Fate of the product owner noticing each escaped defect at review. */
  escapeRolls: readonly number[];
  cards: WorkCard[];
  startedDay: number;
  /** Day its last card passed QA with nothing pending (0 = not yet). */
  doneDay: number;
  /** Work discovered late that the plan missed (hours; added as a card on `discoveryDay`). */
  discoveredHours: number;
  discoveryDay: number;
  /** Effort multiplier already applied by the mid-sprint checkpoint. */
  checkpointed: boolean;
  implemented: boolean;
  qaPassed: boolean;
  poAccepted: boolean;
  rejectedReason: string;
}

export interface WorkerState {
  member: TeamMember;
  /** Role it works in today (after swaps and controls). */
  mode: WorkMode;
  /** Its home mode (from its role). */
  homeMode: WorkMode;
  /** Productivity multiplier from a role swap control (1 = none). */
  proficiency: number;
  /** Productivity multiplier from ramp-up (org); 1 at full speed. */
  ramp: number;
  active: boolean;
  /** Hours it cannot work today (incidents, meetings, refinement questions). */
  lostToday: number;
  /** Hours lost on following days (a critical incident spills over). */
  lostTomorrow: number;
  /** The card it develops (undefined when free). */
  card: WorkCard | undefined;
  swappedToday: boolean;
  candidate: boolean;
}

export interface DisturbanceEffect {
  kind: 'blocked' | 'reopened' | 'capacity_lost' | 'tests_failing' | 'scope_added' | 'effort_added';
  /** Card id, story id or member id. */
  target: string;
  /** Hours (capacity, effort, rework) or days (blocked). */
  amount: number;
  note: string;
}

export interface Disturbance {
  id: string;
  type: DisturbanceType;
  severity: Severity;
  /** The blast radius it would have without controls (drawn). */
  intendedRadius: BlastRadius;
  /** The blast radius it actually had (from what it touched). */
  blastRadius: BlastRadius;
  source: 'random' | 'injected';
  scheduledDay: number;
  /** Day it fired (0 = never: its targets never existed). */
  firedDay: number;
  cardsAffected: string[];
  storiesAffected: string[];
  membersAffected: string[];
  /** True when the blast-radius limits cut it down. */
  contained: boolean;
  effects: DisturbanceEffect[];
  /** Damage multiplier from the candidate's triage and recovery (1 = untouched). */
  responseFactor: number;
  /** Private per-disturbance generator (targets, amounts). */
  rng: Rng;
}

/** Maximum cards and stories one disturbance may touch (the curriculum's blast-radius controls). */
export interface BlastRadiusLimits {
  maxCards: number;
  maxStories: number;
}

export const DEFAULT_BLAST_RADIUS_LIMITS: Readonly<BlastRadiusLimits> = { maxCards: 3, maxStories: 2 };
export const NO_BLAST_RADIUS_LIMITS: Readonly<BlastRadiusLimits> = {
  maxCards: Number.POSITIVE_INFINITY,
  maxStories: Number.POSITIVE_INFINITY,
};

export interface DaySummary {
  day: number;
  columns: Record<KanbanState, number>;
  blocked: number;
  inProgressCards: string[];
  pointsDone: number;
  storiesDone: number;
  pairs: number;
  swaps: number;
  idleHours: number;
  lostHours: number;
  events: string[];
}

/** The sprint of one team, mutable while it runs. */
export class SprintWorld {
  readonly board: KanbanBoard;
  readonly stories: SprintStory[] = [];
  readonly workers: WorkerState[] = [];
  readonly disturbances: Disturbance[] = [];
  readonly log: DaySummary[] = [];
  /** Events of the current day (reset each morning). */
  events: string[] = [];
  day = 0;
  days: number;
  swapMode: ProfileSwappingMode;
  limits: BlastRadiusLimits;
  nextCardId = 1;
  swapsTotal = 0;
  pairHours = 0;
  idleHours = 0;
  lostHours = 0;
  /** Team-level hours lost per day (org coordination, mentoring, knowledge penalty), spread over developers. */
  teamOverhead = 0;

  constructor(
    readonly teamId: string,
    readonly domain: Domain,
    options: {
      days: number;
      wipLimits: Readonly<Partial<Record<KanbanState, number>>>;
      swapMode: ProfileSwappingMode;
      limits: BlastRadiusLimits;
    },
  ) {
    this.board = new KanbanBoard({ ...options.wipLimits });
    this.days = options.days;
    this.swapMode = options.swapMode;
    this.limits = { ...options.limits };
  }

  worker(id: string): WorkerState | undefined {
    for (const w of this.workers) if (w.member.id === id) return w;
    return undefined;
  }

  cards(): WorkCard[] {
    return this.board.cards as WorkCard[];
  }

  /** Cards of committed stories in a column. */
  cardsIn(state: KanbanState): WorkCard[] {
    const out: WorkCard[] = [];
    for (const c of this.board.cards as WorkCard[]) if (c.state === state) out.push(c);
    return out;
  }

  isBlocked(card: WorkCard): boolean {
    return card.blockedUntil >= this.day;
  }

  /** Adds a card to a story, in the `ready` column (or `backlog` before planning). */
  addCard(story: SprintStory, kind: CardKind, hours: number, rng: Rng, state: KanbanState = 'ready'): WorkCard {
    const card: WorkCard = {
      id: `${this.teamId}-C${this.nextCardId++}`,
      storyId: story.story.id,
      title: kind === 'task' ? `${story.story.title} (part ${story.cards.length + 1})` : `${kind}: ${story.story.title}`,
      points: 0,
      state,
      assignees: [],
      blocked: false,
      kind,
      story: story.index,
      remaining: hours,
      effortSpent: 0,
      reviewLeft: 1,
      testLeft: Math.max(0.75, 0.25 * hours),
      defects: 0,
      escaped: 0,
      defectRolls: [rng.next(), rng.next(), rng.next()],
      detectRolls: [rng.next(), rng.next(), rng.next(), rng.next()],
      qaPasses: 0,
      blockedUntil: 0,
      hiddenBlockDays: 0,
      startedDay: 0,
      doneDay: 0,
      reopened: 0,
      author: '',
    };
    story.cards.push(card);
    this.board.cards.push(card);
    if (story.doneDay > 0) story.doneDay = 0;
    return card;
  }

  /** Sends a card back for rework: to in-progress when it has a free author and WIP room, else to ready. */
  reopen(card: WorkCard, hours: number): void {
    if (card.state === 'backlog') return;
    const story = this.stories[card.story] as SprintStory;
    if (story.doneDay > 0) story.doneDay = 0;
    card.reopened++;
    card.remaining += hours;
    card.reviewLeft = 1;
    card.testLeft = Math.max(0.75, 0.25 * hours);
    card.doneDay = 0;
    if (card.state === 'in_progress') return;
    const limit = this.board.wipLimits.in_progress ?? Number.POSITIVE_INFINITY;
    if (this.board.count('in_progress') < limit) {
      card.state = 'in_progress';
    } else {
      card.state = 'ready';
      this.release(card);
    }
  }

  /** Frees the card's developers. */
  release(card: WorkCard): void {
    for (const w of this.workers) if (w.card === card) w.card = undefined;
    card.assignees = [];
  }
}

export function homeModeOf(role: Role): WorkMode {
  if (role === 'tester' || role === 'qa_lead') return 'test';
  if (role === 'product_owner') return 'product';
  return 'dev';
}

/** How much a scripted owner of `skill` overruns a story's estimate: one draw from `rng`. */
export function scriptedEffortFactor(skill: number, rng: Rng): number {
  return 1 + (1 - skill) * 0.6 * rng.next();
}

/** The share of a scripted owner's work that comes back from QA. */
export function scriptedDefectRate(skill: number): number {
  return 0.05 + 0.35 * (1 - skill);
}
