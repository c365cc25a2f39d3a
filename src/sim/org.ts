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
 *
 * This module holds the `Org` (the clock, capacity, borrowing, departures and hires, onboarding,
 * cross-team dependencies), its events and call options, and `createOrg`. Its parts:
 * `org-options.ts` (`OrgOptions`, defaults, validation), `org-teams.ts` (teams, conventions, the
 * initial teams), `org-roster.ts` (member states and lookups), `org-knowledge.ts` (who holds an
 * area, who receives it, what a handoff passes on); ramp-ups, knowledge areas and hires are
 * defined in `team-change.ts`.
 */
import { ConfigError, didYouMean } from '../core/errors.js';
import { round3 } from '../core/numbers.js';
import { Rng } from '../core/rng.js';
import { areasHeldBy, bestReceiver, checkHandoff, findArea, handOff } from './org-knowledge.js';
import { checkDelay, checkKeys, checkUnit, type OrgOptions, type ResolvedOrgOptions, resolveOrgOptions } from './org-options.js';
import { type MemberState, Roster } from './org-roster.js';
import { CONVENTION_ASPECTS, generateTeams, type Team, type TeamId } from './org-teams.js';
import { ROLES, type Role, type TeamMember } from './team.js';
import {
  areaCoverage,
  borrowRamp,
  drawHireDelay,
  FULL_COVERAGE_DEPTH,
  generateHire,
  type HandoffResult,
  hireRamp,
  type KnowledgeArea,
  type KnowledgeCoverage,
  knowledgeCoverage,
  knowledgePenalty,
  rampFactor,
  returnRamp,
  supportRamp,
} from './team-change.js';

// ---------------------------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// The organisation
// ---------------------------------------------------------------------------------------------

export class Org {
  readonly teams: readonly Team[];
  private readonly options: ResolvedOrgOptions;
  private readonly seed: number;
  private currentDay = 1;
  private readonly events: OrgEvent[] = [];
  private readonly roster: Roster;
  private readonly pending: PendingHire[] = [];
  private readonly dependencies = new Map<string, { fromTeamId: TeamId; toTeamId: TeamId }>();
  private dependencyCounter = 0;
  private readonly hireCounters = new Map<TeamId, number>();
  private readonly cache = new Map<TeamId, CapacityBreakdown>();

  /** Use `createOrg`. */
  constructor(seed: number, teams: Team[], options: ResolvedOrgOptions) {
    this.seed = seed;
    this.teams = teams;
    this.options = options;
    this.roster = new Roster(teams);
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
    return this.roster.team(teamId);
  }

  memberState(memberId: string): MemberState {
    return this.roster.memberState(memberId);
  }

  /** Who works for the team today: roster minus borrowed-out members plus borrowed-in ones. */
  workingMembers(teamId: TeamId): TeamMember[] {
    this.team(teamId);
    return this.roster.workingMembers(teamId);
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
    for (const state of this.roster.live) {
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
    for (const state of this.roster.live) {
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
        const active = this.roster.activeIn(team.id);
        for (const area of team.knowledgeAreas) {
          if (areaCoverage(area, active) >= 1) continue;
          const learner = bestReceiver(area, team.domain, this.roster.live, '');
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
    for (const state of this.roster.live) {
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
      this.roster.activeIn(teamId),
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
      this.roster.activeIn(teamId),
      this.options.knowledgePenaltyRate,
      this.options.maxKnowledgePenalty,
    );
  }

  // ---- borrowing -------------------------------------------------------------------------------

  /** Why `borrow` would refuse, or undefined when it is allowed. */
  canBorrow(memberId: string, toTeamId: TeamId, days: number): string | undefined {
    const state = this.roster.find(memberId);
    if (!state) return this.roster.unknownMember(memberId);
    if (!this.roster.hasTeam(toTeamId)) return this.roster.unknownTeam(toTeamId);
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
    const state = this.roster.find(memberId) as MemberState;
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
    const state = this.roster.find(memberId);
    if (!state) return this.roster.unknownMember(memberId);
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
    const state = this.roster.find(memberId) as MemberState;
    const held = this.areasHeldBy(memberId);
    const handoff = options.handoff ?? {};
    const receivers = options.receivers ?? {};
    checkHandoff(memberId, held, handoff, receivers, this.roster);
    const cause = options.cause ?? 'requested';
    if (cause !== 'requested' && cause !== 'attrition') throw new ConfigError(`cause must be "requested" or "attrition", got "${cause}".`);

    const day = this.currentDay;
    if (state.borrow) state.borrow = undefined;
    const { handedOff, lostAreas } = handOff(this.seed, memberId, held, handoff, receivers, (area) =>
      bestReceiver(area, this.team(area.teamId).domain, this.roster.live, memberId),
    );

    state.status = 'departed';
    state.departedDay = day;
    state.ramp = undefined;
    this.roster.remove(state);
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
    const member = generateHire(rng, hire.hireId, hire.role, this.roster.freshName(rng), team.domain);
    const ramp = hireRamp(rng, member.seniority, member.skills[team.domain], this.currentDay, hire.onboardingSupport);
    const state: MemberState = { member, homeTeamId: team.id, workingTeamId: team.id, status: 'active', ramp, arrivedDay: this.currentDay };
    this.roster.add(state);
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
    for (const state of this.roster.live) {
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
    const area = findArea(this.teams, areaId);
    if ((area.holders[memberId] ?? 0) < depth) area.holders[memberId] = depth;
    this.cache.clear();
  }

  /** Areas (of any team) the member holds. */
  areasHeldBy(memberId: string): KnowledgeArea[] {
    return areasHeldBy(this.teams, memberId);
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
  const resolved = resolveOrgOptions(options);
  const seed = rng.nextUint32();
  const teams = generateTeams(seed, resolved.teams, options.domains, options.languages, resolved.protectedRoles);
  return new Org(seed, teams, resolved);
}
