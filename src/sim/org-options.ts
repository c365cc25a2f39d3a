/**
 * Options of the organisation model (`OrgOptions`), their defaults and their validation, and the
 * checks the organisation's calls share (unknown keys, values in [0, 1], hire delays). Every check
 * throws `ConfigError` with a message that says how to fix the call.
 */
import { ConfigError, didYouMean } from '../core/errors.js';
import { DOMAINS, type Domain, LANGUAGES, type Language } from '../spec/episodes.js';
import { ROLES, type Role } from './team.js';
import { PROTECTED_ROLES } from './team-change.js';

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

/** Options with every default filled in (teams' domains and languages stay optional). */
export type ResolvedOrgOptions = Required<Omit<OrgOptions, 'domains' | 'languages'>>;

const DEFAULTS: ResolvedOrgOptions = {
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

/** Fills in the defaults and validates the options of `createOrg`. */
export function resolveOrgOptions(options: OrgOptions): ResolvedOrgOptions {
  checkKeys(options, OPTION_KEYS, 'createOrg options');
  const o: ResolvedOrgOptions = { ...DEFAULTS };
  for (const key of Object.keys(DEFAULTS) as (keyof ResolvedOrgOptions)[]) {
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

/** Throws when `object` has a key not in `allowed` (`what` names the object in the message). */
export function checkKeys(object: object, allowed: readonly string[], what: string): void {
  for (const key of Object.keys(object)) {
    if (!allowed.includes(key)) throw new ConfigError(`Unknown key "${key}" in ${what}.${didYouMean(key, allowed)}`);
  }
}

/** Checks a hire delay in whole days ≥ 0; returns it (0 when not given). */
export function checkDelay(delayDays: number | undefined): number {
  if (delayDays !== undefined && !(Number.isInteger(delayDays) && delayDays >= 0)) {
    throw new ConfigError(`delayDays must be a whole number of days ≥ 0, got ${delayDays}.`);
  }
  return delayDays ?? 0;
}

/** Checks a number in [0, 1]; returns it. */
export function checkUnit(value: number, name: string): number {
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) throw new ConfigError(`${name} must be a number in [0, 1], got ${value}.`);
  return value;
}
