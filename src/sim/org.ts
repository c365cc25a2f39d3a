/**
 * The organisation: one to three teams with their own domain, language, codebase and conventions,
 * a day-level clock, cross-team coordination, the borrowing lifecycle (borrow, work, return) and
 * team change (departures, backfill hires that arrive and ramp up, knowledge areas and handoff).
 *
 * Everything here is causal and keyed by ids: a hire's delay, skills and ramp, a borrow's ramp and
 * a handoff's extent are drawn from `Rng.seeded(seed, kind, id...)`, so two runs on one seed that
 * differ in one choice differ only in what that choice causes.
 *
 * Errors: mutators throw `ConfigError` with a message that says how to fix the call; each has a
 * `can*` twin returning the same message (or `undefined`) for callers that must not throw.
 *
 * Stages of a day (`advanceDay`): borrowed members due back return → scheduled hires due arrive →
 * automatic attrition (when `attritionPerSprint` > 0) → ramp-up progress is reported → areas not
 * fully covered are slowly rediscovered.
 */
import { ConfigError, didYouMean } from '../core/errors.js';
import { round3 } from '../core/numbers.js';
import { Rng } from '../core/rng.js';
import { CODEBASES, type Codebase, DOMAINS, type Domain, LANGUAGES, type Language } from '../spec/episodes.js';
import { generateTeam, ROLES, type Role, type TeamMember } from './team.js';
import {
  areaCoverage,
  borrowRamp,
  drawHireDelay,
  FULL_COVERAGE_DEPTH,
  generateHire,
  generateKnowledgeAreas,
  type HandoffResult,
  hireRamp,
  type KnowledgeArea,
  type KnowledgeCoverage,
  knowledgeCoverage,
  knowledgePenalty,
  PROTECTED_ROLES,
  type Ramp,
  rampFactor,
  returnRamp,
  supportRamp,
  transferDepth,
} from './team-change.js';

// ---------------------------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------------------------

export type TeamId = string;

export const CONVENTION_ASPECTS = [
  'naming',
  'testing',
  'branching',
  'review',
  'commit_messages',
  'error_handling',
  'documentation',
  'formatting',
] as const;
export type ConventionAspect = (typeof CONVENTION_ASPECTS)[number];
export type Conventions = Record<ConventionAspect, string>;

/** The values a team's convention can take, per aspect. */
export const CONVENTION_VALUES: Record<ConventionAspect, readonly string[]> = {
  naming: ['camelCase', 'snake_case', 'domain prefixes', 'verbose descriptive names'],
  testing: ['test-first', 'tests beside the code', 'integration tests only', 'property-based tests'],
  branching: ['trunk-based', 'feature branches', 'git-flow', 'short-lived branches with flags'],
  review: ['two approvals', 'one approval', 'pair-programmed, no review', 'owner approval per module'],
  commit_messages: ['conventional commits', 'ticket id first', 'free form', 'imperative summary + body'],
  error_handling: ['result types', 'exceptions', 'error codes', 'panic on invariant, result elsewhere'],
  documentation: ['ADRs', 'README per module', 'wiki', 'doc comments only'],
  formatting: ['formatter enforced in CI', 'editorconfig only', 'linter warnings', 'no enforcement'],
};

export interface Team {
  id: TeamId;
  name: string;
  domain: Domain;
  language: Language;
  codebase: Codebase;
  conventions: Conventions;
  /** Current roster: home members who have arrived and not left (borrowed-out members included). */
  members: TeamMember[];
  knowledgeAreas: KnowledgeArea[];
}

export interface OrgOptions {
  /** Number of teams; team T1 is the default 11-role team, the others have the same roles. Default 1. */
  teams?: 1 | 2 | 3;
  /** One domain per team, all different. Default: drawn, all different. */
  domains?: readonly Domain[];
  /** One language per team. Default: drawn, all different. */
  languages?: readonly Language[];
  /** Days per sprint; only turns `attritionPerSprint` into a daily rate. Default 10. */
  sprintDays?: number;
  /** Chance per sprint that someone (not protected) leaves, applied daily in `advanceDay`. Default 0. */
  attritionPerSprint?: number;
  /** Roles never borrowed out and never leaving. Default `PROTECTED_ROLES`. */
  protectedRoles?: readonly Role[];
  /** Days from a departure (or `hire`) to the new person's arrival, inclusive range. Default [3, 10]. */
  hireDelayDays?: readonly [number, number];
  /** Every departure schedules a same-role backfill hire. Default true. */
  autoBackfill?: boolean;
  /** Coordination hours per day per other team (scrum of scrums). Default 0.5. */
  coordinationHoursPerTeam?: number;
  /** Coordination hours per day per active borrow the team lends or receives. Default 0.5. */
  borrowCoordinationHours?: number;
  /** Coordination hours per day per open cross-team dependency touching the team. Default 0.5. */
  dependencyCoordinationHours?: number;
  /** Hours per day the team spends helping a ramping member at factor 0 (scaled by 1 − factor). Default 1.5. */
  mentoringHoursPerDay?: number;
  /** Capacity share lost per unit of uncovered criticality. Default 0.15. */
  knowledgePenaltyRate?: number;
  /** Cap on the knowledge penalty share. Default 0.5. */
  maxKnowledgePenalty?: number;
  /**
   * Depth per day the team regains on each area it does not fully cover (its best-placed member
   * rediscovers it from code and artifacts) until `FULL_COVERAGE_DEPTH`. Default 0.02 (a lost area
   * takes 35 days to rediscover; a handoff at quality 0.5 about half that). 0 turns it off.
   */
  rediscoveryPerDay?: number;
}

type ResolvedOptions = Required<Omit<OrgOptions, 'domains' | 'languages'>>;

const DEFAULTS: ResolvedOptions = {
  teams: 1,
  sprintDays: 10,
  attritionPerSprint: 0,
  protectedRoles: PROTECTED_ROLES,
  hireDelayDays: [3, 10],
  autoBackfill: true,
  coordinationHoursPerTeam: 0.5,
  borrowCoordinationHours: 0.5,
  dependencyCoordinationHours: 0.5,
  mentoringHoursPerDay: 1.5,
  knowledgePenaltyRate: 0.15,
  maxKnowledgePenalty: 0.5,
  rediscoveryPerDay: 0.02,
};
const OPTION_KEYS = [...Object.keys(DEFAULTS), 'domains', 'languages'];

/** The organisation of each curriculum stage's environment (curriculum.yaml `stages.N.environment`). */
export const STAGE_ORG_OPTIONS: Record<1 | 2 | 3 | 4, OrgOptions> = {
  1: { teams: 1 },
  2: { teams: 1 },
  3: { teams: 2 },
  4: { teams: 2, attritionPerSprint: 0.2 },
};

export type OrgEvent =
  | { type: 'borrow_started'; day: number; memberId: string; fromTeamId: TeamId; toTeamId: TeamId; returnDay: number }
  /** `fromTeamId` is the receiving team the member leaves, `toTeamId` the home team. */
  | { type: 'borrow_returned'; day: number; memberId: string; fromTeamId: TeamId; toTeamId: TeamId }
  | {
      type: 'departed';
      day: number;
      memberId: string;
      teamId: TeamId;
      role: Role;
      cause: 'requested' | 'attrition';
      /** Areas nobody holds any more. */
      lostAreas: string[];
      handedOff: HandoffResult[];
      backfillId?: string;
      backfillArrivalDay?: number;
    }
  | { type: 'hire_scheduled'; day: number; hireId: string; teamId: TeamId; role: Role; arrivalDay: number; replaces?: string }
  | { type: 'hire_arrived'; day: number; memberId: string; teamId: TeamId; role: Role; rampDays: number; replaces?: string }
  | { type: 'ramp_progressed'; day: number; memberId: string; teamId: TeamId; factor: number }
  | { type: 'ramp_completed'; day: number; memberId: string; teamId: TeamId }
  /** An area the team had lost (or partly lost) is fully covered again. */
  | { type: 'knowledge_rediscovered'; day: number; teamId: TeamId; areaId: string; memberId: string };

export type BorrowStartedEvent = Extract<OrgEvent, { type: 'borrow_started' }>;
export type BorrowReturnedEvent = Extract<OrgEvent, { type: 'borrow_returned' }>;
export type DepartedEvent = Extract<OrgEvent, { type: 'departed' }>;
export type HireScheduledEvent = Extract<OrgEvent, { type: 'hire_scheduled' }>;

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

export interface PendingHire {
  hireId: string;
  teamId: TeamId;
  role: Role;
  scheduledDay: number;
  arrivalDay: number;
  replaces?: string;
  onboardingSupport: number;
}

/** Today's capacity of a team, in focus hours, and where the rest went. */
export interface CapacityBreakdown {
  /** Σ hoursPerDay of the members working for the team today (product owner excluded). */
  focusHours: number;
  /** Σ hoursPerDay × (1 − ramp factor). */
  rampLossHours: number;
  /** Σ mentoringHoursPerDay × (1 − ramp factor) over members ramping as hires or borrowed arrivals. */
  mentoringHours: number;
  /** Other teams + active borrows lent or received + open cross-team dependencies. */
  coordinationHours: number;
  /** (focus − rampLoss − mentoring − coordination) × knowledge penalty share. */
  knowledgePenaltyHours: number;
  /** What is left for committed work, ≥ 0. */
  capacityHours: number;
}

export interface BorrowOptions {
  /** Receiving team's onboarding support in [0, 1]; shortens the ramp by up to 40%. Default 0. */
  onboardingSupport?: number;
}

export interface DepartOptions {
  /** areaId -> handoff quality in [0, 1]: the share of the leaver's depth that reaches the receiver (×U[0.8, 1]). */
  handoff?: Record<string, number>;
  /** areaId -> member receiving the handoff. Default: the best-placed teammate (existing holder, then domain skill). */
  receivers?: Record<string, string>;
  /** Schedule a same-role backfill. Default `autoBackfill`. */
  backfill?: boolean;
  cause?: 'requested' | 'attrition';
}

export interface HireOptions {
  /** Days until arrival (0 = today). Default: drawn from `hireDelayDays`. */
  delayDays?: number;
  /** Onboarding support in [0, 1] the newcomer gets; shortens the ramp by up to 40%. Default 0. */
  onboardingSupport?: number;
  /** Member id this hire replaces (informational). */
  replaces?: string;
}

const TEAM_NAMES: Record<Domain, string> = {
  crud_api: 'Accounts API',
  data_pipeline: 'Data Platform',
  ml_service: 'ML Serving',
  frontend_spa: 'Web App',
  cli_tool: 'Developer Tools',
  library: 'Core Library',
  infrastructure: 'Platform Infrastructure',
};

// biome-ignore format: a name table
const PEOPLE = [
  'Ada', 'Ben', 'Chen', 'Dara', 'Eli', 'Fay', 'Gus', 'Hana', 'Ivo', 'Jia', 'Kai', 'Lea', 'Milo', 'Noor', 'Omar', 'Pia',
  'Quin', 'Rosa', 'Sami', 'Tara', 'Uma', 'Vik', 'Wen', 'Xavi', 'Yara', 'Zed', 'Alma', 'Bo', 'Cyra', 'Dev', 'Edda', 'Finn',
  'Gia', 'Hugo', 'Iris', 'Jon', 'Kira', 'Luca', 'Maya', 'Nils', 'Olga', 'Paz', 'Rhea', 'Sven', 'Tomi', 'Ugo', 'Vera', 'Wim',
];

// ---------------------------------------------------------------------------------------------
// The organisation
// ---------------------------------------------------------------------------------------------

export class Org {
  readonly teams: readonly Team[];
  private readonly options: ResolvedOptions;
  private readonly seed: number;
  private currentDay = 1;
  private readonly events: OrgEvent[] = [];
  private readonly states = new Map<string, MemberState>();
  /** Members who have not left, in arrival order (the hot loops iterate this, not `states`). */
  private readonly live: MemberState[] = [];
  private readonly teamIndex = new Map<TeamId, Team>();
  private readonly pending: PendingHire[] = [];
  private readonly dependencies = new Map<string, { fromTeamId: TeamId; toTeamId: TeamId }>();
  private dependencyCounter = 0;
  private readonly hireCounters = new Map<TeamId, number>();
  private readonly usedNames = new Set<string>();
  private readonly cache = new Map<TeamId, CapacityBreakdown>();

  /** Use `createOrg`. */
  constructor(seed: number, teams: Team[], options: ResolvedOptions) {
    this.seed = seed;
    this.teams = teams;
    this.options = options;
    for (const team of teams) {
      this.teamIndex.set(team.id, team);
      for (const member of team.members) {
        const state: MemberState = { member, homeTeamId: team.id, workingTeamId: team.id, status: 'active', arrivedDay: 1 };
        this.states.set(member.id, state);
        this.live.push(state);
        this.usedNames.add(member.name);
      }
    }
  }

  /** Current day, 1-based. */
  get day(): number {
    return this.currentDay;
  }

  /** Every event so far, in order. */
  get log(): readonly OrgEvent[] {
    return this.events;
  }

  team(teamId: TeamId): Team {
    const team = this.teamIndex.get(teamId);
    if (!team) throw new ConfigError(`Unknown team "${teamId}".${didYouMean(String(teamId), [...this.teamIndex.keys()])}`);
    return team;
  }

  memberState(memberId: string): MemberState {
    const state = this.states.get(memberId);
    if (!state) throw new ConfigError(`Unknown member "${memberId}".${didYouMean(String(memberId), [...this.states.keys()])}`);
    return state;
  }

  /** Who works for the team today: roster minus borrowed-out members plus borrowed-in ones. */
  workingMembers(teamId: TeamId): TeamMember[] {
    this.team(teamId);
    const out: TeamMember[] = [];
    for (const state of this.live) if (state.workingTeamId === teamId) out.push(state.member);
    return out;
  }

  /** Today's productivity share of a member in [0, 1]: 1 at full speed, 0 once departed. */
  rampFactor(memberId: string): number {
    const state = this.memberState(memberId);
    return state.status === 'departed' ? 0 : rampFactor(state.ramp, this.currentDay);
  }

  /** Scheduled hires that have not arrived yet. */
  pendingHires(teamId?: TeamId): PendingHire[] {
    return this.pending.filter((h) => teamId === undefined || h.teamId === teamId).map((h) => ({ ...h }));
  }

  conventionDistance(a: TeamId, b: TeamId): number {
    const ta = this.team(a);
    const tb = this.team(b);
    let differ = 0;
    for (const aspect of CONVENTION_ASPECTS) if (ta.conventions[aspect] !== tb.conventions[aspect]) differ++;
    return differ / CONVENTION_ASPECTS.length;
  }

  // ---- the day clock ---------------------------------------------------------------------------

  /** Moves to the next day and returns what happened on it. */
  advanceDay(): OrgEvent[] {
    this.currentDay++;
    const day = this.currentDay;
    const out: OrgEvent[] = [];
    this.cache.clear();

    // 1. Borrowed members due back return home.
    for (const state of this.live) {
      if (state.borrow && state.borrow.returnDay <= day) out.push(this.returnHome(state));
    }

    // 2. Hires due arrive (in the order they were scheduled).
    for (let i = 0; i < this.pending.length; ) {
      const hire = this.pending[i] as PendingHire;
      if (hire.arrivalDay <= day) {
        this.pending.splice(i, 1);
        out.push(this.arrive(hire));
      } else i++;
    }

    // 3. Automatic attrition: a daily draw keyed by the day.
    if (this.options.attritionPerSprint > 0) {
      const daily = 1 - (1 - this.options.attritionPerSprint) ** (1 / this.options.sprintDays);
      const departure = this.attrition(Rng.seeded(this.seed, 'attrition', day), daily);
      for (const event of departure) out.push(event);
    }

    // 4. Ramp-up progress (arrivals of today start at their floor and are reported as arrivals).
    for (const state of this.live) {
      const ramp = state.ramp;
      if (!ramp || ramp.startDay === day) continue;
      const factor = rampFactor(ramp, day);
      if (factor >= 1) {
        state.ramp = undefined;
        out.push({ type: 'ramp_completed', day, memberId: state.member.id, teamId: state.workingTeamId });
      } else {
        out.push({ type: 'ramp_progressed', day, memberId: state.member.id, teamId: state.workingTeamId, factor: round3(factor) });
      }
    }

    // 5. Rediscovery: each area not fully covered gets a little depth back.
    const rate = this.options.rediscoveryPerDay;
    if (rate > 0) {
      for (const team of this.teams) {
        const active = this.activeIn(team.id);
        for (const area of team.knowledgeAreas) {
          if (areaCoverage(area, active) >= 1) continue;
          const learner = this.bestReceiver(area, '');
          if (learner === undefined) continue;
          const depth = Math.min(FULL_COVERAGE_DEPTH, round3((area.holders[learner] ?? 0) + rate));
          area.holders[learner] = depth;
          if (depth >= FULL_COVERAGE_DEPTH)
            out.push({ type: 'knowledge_rediscovered', day, teamId: team.id, areaId: area.id, memberId: learner });
        }
      }
    }

    for (const event of out) this.events.push(event);
    return out;
  }

  // ---- capacity --------------------------------------------------------------------------------

  /** Today's capacity of a team in focus hours (cached until the next change). */
  capacityHours(teamId: TeamId): number {
    return this.capacityBreakdown(teamId).capacityHours;
  }

  capacityBreakdown(teamId: TeamId): CapacityBreakdown {
    const cached = this.cache.get(teamId);
    if (cached) return cached;
    this.team(teamId);
    const o = this.options;
    const day = this.currentDay;
    let focusHours = 0;
    let rampLossHours = 0;
    let mentoringHours = 0;
    let borrows = 0;
    for (const state of this.live) {
      if (state.borrow && (state.homeTeamId === teamId || state.borrow.toTeamId === teamId)) borrows++;
      if (state.workingTeamId !== teamId || state.member.role === 'product_owner') continue;
      const hours = state.member.hoursPerDay;
      const factor = rampFactor(state.ramp, day);
      focusHours += hours;
      rampLossHours += hours * (1 - factor);
      // Why: newcomers (hires, borrowed arrivals) take teammates' time; a return home does not.
      if (factor < 1 && state.ramp?.kind !== 'return') mentoringHours += o.mentoringHoursPerDay * (1 - factor);
    }
    let dependencies = 0;
    for (const dep of this.dependencies.values()) if (dep.fromTeamId === teamId || dep.toTeamId === teamId) dependencies++;
    const coordinationHours =
      o.coordinationHoursPerTeam * (this.teams.length - 1) +
      o.borrowCoordinationHours * borrows +
      o.dependencyCoordinationHours * dependencies;
    const base = Math.max(0, focusHours - rampLossHours - mentoringHours - coordinationHours);
    const penalty = knowledgePenalty(
      this.team(teamId).knowledgeAreas,
      this.activeIn(teamId),
      o.knowledgePenaltyRate,
      o.maxKnowledgePenalty,
    );
    const knowledgePenaltyHours = base * penalty;
    const breakdown: CapacityBreakdown = {
      focusHours,
      rampLossHours,
      mentoringHours,
      coordinationHours,
      knowledgePenaltyHours,
      capacityHours: base - knowledgePenaltyHours,
    };
    this.cache.set(teamId, breakdown);
    return breakdown;
  }

  /** Coverage of the team's knowledge areas by the people working for it today, and the penalty. */
  knowledgeCoverage(teamId: TeamId): KnowledgeCoverage {
    const team = this.team(teamId);
    return knowledgeCoverage(
      team.knowledgeAreas,
      this.activeIn(teamId),
      this.options.knowledgePenaltyRate,
      this.options.maxKnowledgePenalty,
    );
  }

  private activeIn(teamId: TeamId): (memberId: string) => boolean {
    return (memberId) => {
      const state = this.states.get(memberId);
      return state !== undefined && state.status !== 'departed' && state.workingTeamId === teamId;
    };
  }

  // ---- borrowing -------------------------------------------------------------------------------

  /** Why `borrow` would refuse, or undefined when it is allowed. */
  canBorrow(memberId: string, toTeamId: TeamId, days: number): string | undefined {
    const state = this.states.get(memberId);
    if (!state) return `Unknown member "${memberId}".${didYouMean(String(memberId), [...this.states.keys()])}`;
    if (!this.teamIndex.has(toTeamId)) return `Unknown team "${toTeamId}".${didYouMean(String(toTeamId), [...this.teamIndex.keys()])}`;
    if (state.status === 'departed') return `${memberId} left on day ${state.departedDay}; borrow someone still on a team.`;
    if (this.options.protectedRoles.includes(state.member.role)) {
      return `${memberId} is the ${state.member.role} of ${state.homeTeamId}, a protected role (${this.options.protectedRoles.join(', ')}); borrow a developer or tester instead.`;
    }
    if (state.borrow) {
      return `${memberId} is already borrowed by ${state.borrow.toTeamId} until day ${state.borrow.returnDay}; call endBorrow first or pick someone else.`;
    }
    if (state.homeTeamId === toTeamId) return `${memberId} already belongs to ${toTeamId}; borrow into another team.`;
    if (!Number.isInteger(days) || days < 1 || days > 60) return `Borrow length must be a whole number of days in 1..60, got ${days}.`;
    return undefined;
  }

  /**
   * Lends a member to another team for `days` days from today: the lender loses the member's
   * hours at once, the receiver gains them through a ramp-up (faster when the member's skill in
   * the receiving domain is high and the conventions and language are close), both pay
   * coordination while it lasts, and the member comes back on day `day + days` (with a 2-day
   * context switch). Throws `ConfigError` when `canBorrow` refuses.
   */
  borrow(memberId: string, toTeamId: TeamId, days: number, options: BorrowOptions = {}): BorrowStartedEvent {
    checkKeys(options, ['onboardingSupport'], 'borrow options');
    const reason = this.canBorrow(memberId, toTeamId, days);
    if (reason) throw new ConfigError(reason);
    const support = checkUnit(options.onboardingSupport ?? 0, 'onboardingSupport');
    const state = this.states.get(memberId) as MemberState;
    const home = this.team(state.homeTeamId);
    const receiving = this.team(toTeamId);
    const day = this.currentDay;
    state.status = 'borrowed';
    state.workingTeamId = toTeamId;
    state.borrow = { toTeamId, startDay: day, returnDay: day + days };
    state.ramp = borrowRamp(
      Rng.seeded(this.seed, 'borrow', memberId, day),
      state.member.skills[receiving.domain] ?? 0,
      this.conventionDistance(home.id, receiving.id),
      home.language === receiving.language,
      day,
      support,
    );
    return this.emit({ type: 'borrow_started', day, memberId, fromTeamId: home.id, toTeamId, returnDay: day + days });
  }

  /** Ends a borrow today, before its planned return. */
  endBorrow(memberId: string): BorrowReturnedEvent {
    const state = this.memberState(memberId);
    if (!state.borrow) throw new ConfigError(`${memberId} is not borrowed; nothing to end.`);
    return this.emit(this.returnHome(state));
  }

  private returnHome(state: MemberState): BorrowReturnedEvent {
    const from = state.workingTeamId;
    state.status = 'active';
    state.workingTeamId = state.homeTeamId;
    state.borrow = undefined;
    state.ramp = returnRamp(this.currentDay);
    this.cache.clear();
    return { type: 'borrow_returned', day: this.currentDay, memberId: state.member.id, fromTeamId: from, toTeamId: state.homeTeamId };
  }

  // ---- departures and hires --------------------------------------------------------------------

  /** Why `depart` would refuse, or undefined when it is allowed. */
  canDepart(memberId: string): string | undefined {
    const state = this.states.get(memberId);
    if (!state) return `Unknown member "${memberId}".${didYouMean(String(memberId), [...this.states.keys()])}`;
    if (state.status === 'departed') return `${memberId} already left on day ${state.departedDay}.`;
    if (this.options.protectedRoles.includes(state.member.role)) {
      return `${memberId} is the ${state.member.role} of ${state.homeTeamId}, a protected role (${this.options.protectedRoles.join(', ')}) that never leaves; pick a developer or tester.`;
    }
    return undefined;
  }

  /**
   * A member leaves today (a borrowed member leaves from the receiving team). For every area the
   * leaver holds, `handoff[areaId]` (quality in [0, 1]) passes part of the leaver's depth to a
   * receiver; areas nobody else holds and nobody received are lost. Schedules a same-role backfill
   * that arrives after a drawn delay (`hireDelayDays`) and then ramps up.
   */
  depart(memberId: string, options: DepartOptions = {}): DepartedEvent {
    checkKeys(options, ['handoff', 'receivers', 'backfill', 'cause'], 'depart options');
    const reason = this.canDepart(memberId);
    if (reason) throw new ConfigError(reason);
    const state = this.states.get(memberId) as MemberState;
    const held = this.areasHeldBy(memberId);
    const handoff = options.handoff ?? {};
    const receivers = options.receivers ?? {};
    const heldIds = held.map((a) => a.id);
    for (const [areaId, quality] of Object.entries(handoff)) {
      if (!heldIds.includes(areaId)) {
        throw new ConfigError(
          `Cannot hand off "${areaId}": ${memberId} does not hold it. Areas ${memberId} holds: ${heldIds.join(', ') || 'none'}.`,
        );
      }
      checkUnit(quality, `handoff["${areaId}"]`);
    }
    for (const [areaId, receiverId] of Object.entries(receivers)) {
      if (handoff[areaId] === undefined)
        throw new ConfigError(`receivers["${areaId}"] is set but handoff["${areaId}"] is not; give a handoff quality.`);
      const area = held.find((a) => a.id === areaId) as KnowledgeArea;
      const receiver = this.states.get(receiverId);
      if (!receiver || receiver.status === 'departed' || receiver.workingTeamId !== area.teamId || receiverId === memberId) {
        throw new ConfigError(`receivers["${areaId}"] = "${receiverId}" must be someone else working for ${area.teamId} today.`);
      }
    }
    const cause = options.cause ?? 'requested';
    if (cause !== 'requested' && cause !== 'attrition') throw new ConfigError(`cause must be "requested" or "attrition", got "${cause}".`);

    const day = this.currentDay;
    if (state.borrow) state.borrow = undefined;
    const handedOff: HandoffResult[] = [];
    const lostAreas: string[] = [];
    for (const area of held) {
      const leaverDepth = area.holders[memberId] as number;
      delete area.holders[memberId];
      const quality = handoff[area.id] ?? 0;
      if (quality > 0) {
        const receiverId = receivers[area.id] ?? this.bestReceiver(area, memberId);
        if (receiverId !== undefined) {
          const depth = transferDepth(Rng.seeded(this.seed, 'handoff', memberId, area.id), leaverDepth, quality);
          const existing = area.holders[receiverId] ?? 0;
          if (depth > existing) area.holders[receiverId] = depth;
          handedOff.push({ areaId: area.id, toMemberId: receiverId, quality, depth: Math.max(depth, existing) });
        }
      }
      if (Object.keys(area.holders).length === 0) lostAreas.push(area.id);
    }

    state.status = 'departed';
    state.departedDay = day;
    state.ramp = undefined;
    this.live.splice(this.live.indexOf(state), 1);
    const home = this.team(state.homeTeamId);
    const index = home.members.indexOf(state.member);
    if (index >= 0) home.members.splice(index, 1);
    this.cache.clear();

    const event: DepartedEvent = {
      type: 'departed',
      day,
      memberId,
      teamId: home.id,
      role: state.member.role,
      cause,
      lostAreas,
      handedOff,
    };
    this.emit(event);
    if (options.backfill ?? this.options.autoBackfill) {
      const hire = this.schedule(home.id, state.member.role, `${memberId}-b1`, { replaces: memberId });
      event.backfillId = hire.hireId;
      event.backfillArrivalDay = hire.arrivalDay;
    }
    return event;
  }

  /** Schedules a hire for `role`; it arrives after `delayDays` (default drawn from `hireDelayDays`) and ramps up. */
  hire(teamId: TeamId, role: Role, options: HireOptions = {}): HireScheduledEvent {
    checkKeys(options, ['delayDays', 'onboardingSupport', 'replaces'], 'hire options');
    this.team(teamId);
    if (!ROLES.includes(role)) throw new ConfigError(`Unknown role "${role}".${didYouMean(String(role), ROLES)}`);
    checkDelay(options.delayDays);
    checkUnit(options.onboardingSupport ?? 0, 'onboardingSupport');
    const n = (this.hireCounters.get(teamId) ?? 0) + 1;
    this.hireCounters.set(teamId, n);
    return this.schedule(teamId, role, `${teamId}-H${n}`, options);
  }

  private schedule(teamId: TeamId, role: Role, hireId: string, options: HireOptions): HireScheduledEvent {
    let delay: number;
    if (options.delayDays !== undefined) delay = checkDelay(options.delayDays);
    else delay = drawHireDelay(Rng.seeded(this.seed, 'hire-delay', hireId), this.options.hireDelayDays);
    const support = checkUnit(options.onboardingSupport ?? 0, 'onboardingSupport');
    const day = this.currentDay;
    const pending: PendingHire = { hireId, teamId, role, scheduledDay: day, arrivalDay: day + delay, onboardingSupport: support };
    if (options.replaces !== undefined) pending.replaces = options.replaces;
    const event: HireScheduledEvent = { type: 'hire_scheduled', day, hireId, teamId, role, arrivalDay: day + delay };
    if (options.replaces !== undefined) event.replaces = options.replaces;
    this.emit(event);
    if (delay === 0) this.emit(this.arrive(pending));
    else this.pending.push(pending);
    return event;
  }

  private arrive(hire: PendingHire): OrgEvent {
    const team = this.team(hire.teamId);
    const rng = Rng.seeded(this.seed, 'hire', hire.hireId);
    const member = generateHire(rng, hire.hireId, hire.role, this.freshName(rng), team.domain);
    const ramp = hireRamp(rng, member.seniority, member.skills[team.domain], this.currentDay, hire.onboardingSupport);
    const state: MemberState = { member, homeTeamId: team.id, workingTeamId: team.id, status: 'active', ramp, arrivedDay: this.currentDay };
    this.states.set(member.id, state);
    this.live.push(state);
    team.members.push(member);
    this.cache.clear();
    const event: OrgEvent = {
      type: 'hire_arrived',
      day: this.currentDay,
      memberId: member.id,
      teamId: team.id,
      role: member.role,
      rampDays: ramp.days,
    };
    if (hire.replaces !== undefined) event.replaces = hire.replaces;
    return event;
  }

  private freshName(rng: Rng): string {
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

  /**
   * One attrition draw: with `probability` (default `attritionPerSprint`) a random member who is
   * neither protected nor borrowed leaves without a handoff (and is backfilled as usual).
   */
  maybeAttrition(rng: Rng, probability = this.options.attritionPerSprint): OrgEvent[] {
    checkUnit(probability, 'probability');
    const out = this.attrition(rng, probability);
    for (const event of out) this.events.push(event);
    return out;
  }

  private attrition(rng: Rng, probability: number): OrgEvent[] {
    if (!rng.chance(probability)) return [];
    const eligible: MemberState[] = [];
    for (const state of this.live) {
      if (state.status === 'active' && !this.options.protectedRoles.includes(state.member.role)) eligible.push(state);
    }
    if (eligible.length === 0) return [];
    const leaver = rng.pick(eligible);
    const start = this.events.length;
    this.depart(leaver.member.id, { cause: 'attrition' });
    // depart logged its events; hand them back to the caller instead of logging them twice.
    return this.events.splice(start);
  }

  // ---- onboarding and knowledge ----------------------------------------------------------------

  /** Onboarding support in [0, 1] for a ramping member from today on: shortens the rest of the ramp by up to 40%. */
  setOnboardingSupport(memberId: string, quality: number): void {
    const state = this.memberState(memberId);
    checkUnit(quality, 'quality');
    if (state.status === 'departed') throw new ConfigError(`${memberId} already left; support someone still on a team.`);
    if (state.ramp) state.ramp = supportRamp(state.ramp, this.currentDay, quality);
    this.cache.clear();
  }

  /** Gives a member knowledge of an area at `depth` (kept if the member already knows more). */
  learnArea(memberId: string, areaId: string, depth: number): void {
    const state = this.memberState(memberId);
    if (state.status === 'departed') throw new ConfigError(`${memberId} already left; pick someone still on a team.`);
    checkUnit(depth, 'depth');
    const area = this.findArea(areaId);
    if ((area.holders[memberId] ?? 0) < depth) area.holders[memberId] = depth;
    this.cache.clear();
  }

  /** Areas (of any team) the member holds. */
  areasHeldBy(memberId: string): KnowledgeArea[] {
    const out: KnowledgeArea[] = [];
    for (const team of this.teams) for (const area of team.knowledgeAreas) if (area.holders[memberId] !== undefined) out.push(area);
    return out;
  }

  private findArea(areaId: string): KnowledgeArea {
    const all: string[] = [];
    for (const team of this.teams) {
      for (const area of team.knowledgeAreas) {
        if (area.id === areaId) return area;
        all.push(area.id);
      }
    }
    throw new ConfigError(`Unknown knowledge area "${areaId}".${didYouMean(String(areaId), all)}`);
  }

  /** Existing holder with the most depth, else the teammate most skilled in the team's domain. */
  private bestReceiver(area: KnowledgeArea, leaverId: string): string | undefined {
    const domain = this.team(area.teamId).domain;
    let best: MemberState | undefined;
    let bestScore = -1;
    for (const state of this.live) {
      if (state.workingTeamId !== area.teamId || state.member.id === leaverId) continue;
      if (state.member.role === 'product_owner') continue;
      const score = (area.holders[state.member.id] ?? 0) * 10 + (state.member.skills[domain] ?? 0);
      if (score > bestScore) {
        best = state;
        bestScore = score;
      }
    }
    return best?.member.id;
  }

  // ---- cross-team dependencies -----------------------------------------------------------------

  /** Opens a cross-team dependency; both teams pay `dependencyCoordinationHours` per day until it is closed. */
  openDependency(fromTeamId: TeamId, toTeamId: TeamId): string {
    this.team(fromTeamId);
    this.team(toTeamId);
    if (fromTeamId === toTeamId) throw new ConfigError(`A cross-team dependency needs two different teams, got ${fromTeamId} twice.`);
    this.dependencyCounter++;
    const id = `D${this.dependencyCounter}`;
    this.dependencies.set(id, { fromTeamId, toTeamId });
    this.cache.clear();
    return id;
  }

  closeDependency(dependencyId: string): void {
    if (!this.dependencies.delete(dependencyId)) {
      throw new ConfigError(
        `Unknown or already closed dependency "${dependencyId}". Open: ${[...this.dependencies.keys()].join(', ') || 'none'}.`,
      );
    }
    this.cache.clear();
  }

  private emit<E extends OrgEvent>(event: E): E {
    this.events.push(event);
    this.cache.clear();
    return event;
  }
}

// ---------------------------------------------------------------------------------------------
// Construction
// ---------------------------------------------------------------------------------------------

/** Builds an organisation from a generator (one draw from `rng`; everything else keyed off it). */
export function createOrg(rng: Rng, options: OrgOptions = {}): Org {
  const resolved = resolveOptions(options);
  const seed = rng.nextUint32();
  const count = resolved.teams;
  const domains = options.domains ? [...options.domains] : Rng.seeded(seed, 'domains').sample(DOMAINS, count);
  const languages = options.languages ? [...options.languages] : Rng.seeded(seed, 'languages').sample(LANGUAGES, count);
  const names = Rng.seeded(seed, 'names').shuffle(PEOPLE);
  const teams: Team[] = [];
  for (let t = 0; t < count; t++) {
    const id = `T${t + 1}`;
    const domain = domains[t] as Domain;
    const trng = Rng.seeded(seed, 'team', id);
    const conventions = drawConventions(trng, teams);
    const members = generateTeam(trng.fork('members'), DOMAINS).map((m, i) => {
      // Why: people know their own team's domain better than the others (matters for borrowing).
      const skills = { ...m.skills, [domain]: Math.min(1, Math.round((m.skills[domain] + 0.15) * 100) / 100) };
      return { ...m, id: `${id}-M${i + 1}`, name: names[t * 11 + i] as string, skills };
    });
    teams.push({
      id,
      name: TEAM_NAMES[domain],
      domain,
      language: languages[t] as Language,
      codebase: trng.pick(CODEBASES),
      conventions,
      members,
      knowledgeAreas: generateKnowledgeAreas(Rng.seeded(seed, 'knowledge', id), id, domain, members, resolved.protectedRoles),
    });
  }
  return new Org(seed, teams, resolved);
}

/** Draws conventions that differ from every earlier team's in at least 3 of the 8 aspects. */
function drawConventions(rng: Rng, earlier: readonly Team[]): Conventions {
  const conventions = {} as Conventions;
  for (const aspect of CONVENTION_ASPECTS) conventions[aspect] = rng.pick(CONVENTION_VALUES[aspect]);
  for (const other of earlier) {
    const same = CONVENTION_ASPECTS.filter((a) => conventions[a] === other.conventions[a]);
    const need = 3 - (CONVENTION_ASPECTS.length - same.length);
    for (const aspect of rng.sample(same, Math.max(0, need))) {
      const values = CONVENTION_VALUES[aspect].filter((v) => v !== other.conventions[aspect]);
      conventions[aspect] = rng.pick(values);
    }
  }
  return conventions;
}

function resolveOptions(options: OrgOptions): ResolvedOptions {
  checkKeys(options, OPTION_KEYS, 'createOrg options');
  const o: ResolvedOptions = { ...DEFAULTS };
  for (const key of Object.keys(DEFAULTS) as (keyof ResolvedOptions)[]) {
    const value = options[key];
    if (value !== undefined) (o as Record<string, unknown>)[key] = value;
  }
  if (![1, 2, 3].includes(o.teams)) throw new ConfigError(`teams must be 1, 2 or 3, got ${o.teams}.`);
  if (options.domains) {
    if (options.domains.length !== o.teams)
      throw new ConfigError(`domains needs one domain per team (${o.teams}), got ${options.domains.length}.`);
    for (const d of options.domains)
      if (!DOMAINS.includes(d)) throw new ConfigError(`Unknown domain "${d}".${didYouMean(String(d), DOMAINS)}`);
    if (new Set(options.domains).size !== options.domains.length)
      throw new ConfigError(`domains must all differ (each team has its own), got ${options.domains.join(', ')}.`);
  }
  if (options.languages) {
    if (options.languages.length !== o.teams)
      throw new ConfigError(`languages needs one language per team (${o.teams}), got ${options.languages.length}.`);
    for (const l of options.languages)
      if (!LANGUAGES.includes(l)) throw new ConfigError(`Unknown language "${l}".${didYouMean(String(l), LANGUAGES)}`);
  }
  if (!Number.isInteger(o.sprintDays) || o.sprintDays < 1)
    throw new ConfigError(`sprintDays must be a whole number ≥ 1, got ${o.sprintDays}.`);
  checkUnit(o.attritionPerSprint, 'attritionPerSprint');
  for (const r of o.protectedRoles)
    if (!ROLES.includes(r)) throw new ConfigError(`Unknown protected role "${r}".${didYouMean(String(r), ROLES)}`);
  const [lo, hi] = o.hireDelayDays;
  if (o.hireDelayDays.length !== 2 || !Number.isInteger(lo) || !Number.isInteger(hi) || lo < 1 || hi < lo) {
    throw new ConfigError(`hireDelayDays must be [min, max] whole days with 1 ≤ min ≤ max, got [${o.hireDelayDays.join(', ')}].`);
  }
  for (const key of [
    'coordinationHoursPerTeam',
    'borrowCoordinationHours',
    'dependencyCoordinationHours',
    'mentoringHoursPerDay',
    'knowledgePenaltyRate',
  ] as const) {
    if (!(Number.isFinite(o[key]) && o[key] >= 0)) throw new ConfigError(`${key} must be a number ≥ 0, got ${o[key]}.`);
  }
  checkUnit(o.maxKnowledgePenalty, 'maxKnowledgePenalty');
  checkUnit(o.rediscoveryPerDay, 'rediscoveryPerDay');
  return o;
}

function checkKeys(object: object, allowed: readonly string[], what: string): void {
  for (const key of Object.keys(object)) {
    if (!allowed.includes(key)) throw new ConfigError(`Unknown key "${key}" in ${what}.${didYouMean(key, allowed)}`);
  }
}

function checkDelay(delayDays: number | undefined): number {
  if (delayDays !== undefined && !(Number.isInteger(delayDays) && delayDays >= 0)) {
    throw new ConfigError(`delayDays must be a whole number of days ≥ 0, got ${delayDays}.`);
  }
  return delayDays ?? 0;
}

function checkUnit(value: number, name: string): number {
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) throw new ConfigError(`${name} must be a number in [0, 1], got ${value}.`);
  return value;
}
