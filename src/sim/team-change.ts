/**
 * Team change: who may leave, what leaves with them, and how newcomers come up to speed.
 *
 * Pure pieces that `org.ts` composes into the day-level state machine:
 *   - protected roles (never borrowed, never leave);
 *   - knowledge areas held by people at a depth in [0, 1], their coverage and the capacity penalty
 *     for uncovered criticality;
 *   - handoff: how much of a leaver's depth reaches a receiver, given the handoff quality;
 *   - ramp-up curves for new hires, borrowed arrivals and members coming back home;
 *   - backfill hires: arrival delay and the new person's skills.
 *
 * Every random draw takes an `Rng` the caller keyed by ids (see `org.ts`), so a fate does not
 * depend on the order in which unrelated things happened.
 */

import { clamp, clamp01, round2 } from '../core/numbers.js';
import type { Rng } from '../core/rng.js';
import { DOMAINS, type Domain } from '../spec/episodes.js';
import { PO_PERSONAS, type Role, type Seniority, type TeamMember } from './team.js';

// ---------------------------------------------------------------------------------------------
// Constants
// ---------------------------------------------------------------------------------------------

/** Roles that are never borrowed out and never leave (the team cannot run without them). */
export const PROTECTED_ROLES: readonly Role[] = ['product_owner', 'dev_lead', 'qa_lead'];

/** A holder at this depth or more covers an area fully; below it, coverage is depth / 0.7. */
export const FULL_COVERAGE_DEPTH = 0.7;

/** An area whose coverage is below this is listed as uncovered. */
export const UNCOVERED_BELOW = 0.5;

/** Ramp-up length of a new hire in days, by seniority (inclusive range, drawn per hire). */
export const HIRE_RAMP_DAYS: Record<Seniority, readonly [number, number]> = {
  senior: [4, 7],
  mid: [6, 10],
  junior: [9, 14],
};
export const MAX_HIRE_RAMP_DAYS = 14;

/** Share of a ramp that full onboarding support (quality 1) removes. */
const SUPPORT_SPEEDUP = 0.4;

const WORK_STYLES = ['methodical', 'fast', 'collaborative', 'quiet'];
const SKILL_BASE: Record<Seniority, number> = { junior: 0.35, mid: 0.55, senior: 0.75 };

export function seniorityOf(role: Role): Seniority {
  if (role === 'junior_dev') return 'junior';
  if (role === 'mid_dev' || role === 'tester') return 'mid';
  return 'senior';
}

// ---------------------------------------------------------------------------------------------
// Ramp-up
// ---------------------------------------------------------------------------------------------

/** A linear ramp from `floor` on `startDay` to 1 after `days` days. */
export interface Ramp {
  startDay: number;
  /** Productivity share on the first day, in [0, 1]. */
  floor: number;
  /** Days until full productivity (≥ 1). */
  days: number;
  kind: 'hire' | 'borrow' | 'return';
}

/** Productivity share on `day`: floor + (1 − floor) × min(1, (day − start) / days); 1 without a ramp. */
export function rampFactor(ramp: Ramp | undefined, day: number): number {
  if (!ramp) return 1;
  const progress = (day - ramp.startDay) / ramp.days;
  if (progress >= 1) return 1;
  if (progress <= 0) return ramp.floor;
  return ramp.floor + (1 - ramp.floor) * progress;
}

function supported(days: number, support: number): number {
  return Math.max(1, Math.round(days * (1 - SUPPORT_SPEEDUP * clamp01(support))));
}

/**
 * Ramp of a new hire: length drawn from `HIRE_RAMP_DAYS[seniority]`, first-day share 0.15–0.35
 * rising with the hire's skill in the team's domain; onboarding support shortens it by up to 40%.
 */
export function hireRamp(rng: Rng, seniority: Seniority, skill: number, startDay: number, support = 0): Ramp {
  const [lo, hi] = HIRE_RAMP_DAYS[seniority];
  const days = supported(rng.intBetween(lo, hi), support);
  return { startDay, floor: round2(0.15 + 0.2 * clamp01(skill)), days, kind: 'hire' };
}

/**
 * Ramp of a borrowed member in the receiving team. Faster and higher from the start when the
 * member's skill in the receiving domain is high, slower when conventions differ and when the
 * language is not the member's own. Length ≈ 1.5 + 5·(1 − skill) + 3·distance (+2 other language),
 * jittered ±20%, then shortened by onboarding support.
 */
export function borrowRamp(
  rng: Rng,
  skill: number,
  conventionDistance: number,
  sameLanguage: boolean,
  startDay: number,
  support = 0,
): Ramp {
  const s = clamp01(skill);
  const base = 1.5 + 5 * (1 - s) + 3 * clamp01(conventionDistance) + (sameLanguage ? 0 : 2);
  const days = supported(Math.round(base * rng.uniform(0.8, 1.2)), support);
  const floor = round2(Math.max(0.1, 0.2 + 0.5 * s - 0.15 * clamp01(conventionDistance) - (sameLanguage ? 0 : 0.1)));
  return { startDay, floor, days, kind: 'borrow' };
}

/** Coming back home after a borrow: a short context switch (0.8 on the first day, full after 2 days). */
export function returnRamp(startDay: number): Ramp {
  return { startDay, floor: 0.8, days: 2, kind: 'return' };
}

/** Rescales what is left of a ramp by an onboarding-support quality from `day` on. */
export function supportRamp(ramp: Ramp, day: number, support: number): Ramp {
  const factor = rampFactor(ramp, day);
  if (factor >= 1) return ramp;
  const remaining = ramp.startDay + ramp.days - day;
  const newRemaining = Math.max(1, Math.round(remaining * (1 - SUPPORT_SPEEDUP * clamp01(support))));
  // Restart a linear ramp from today's factor so the curve stays continuous.
  return { startDay: day, floor: factor, days: newRemaining, kind: ramp.kind };
}

// ---------------------------------------------------------------------------------------------
// Backfill hires
// ---------------------------------------------------------------------------------------------

/** Days from the scheduling of a hire to its arrival: uniform integer in `range` (inclusive). */
export function drawHireDelay(rng: Rng, range: readonly [number, number]): number {
  return rng.intBetween(range[0], range[1]);
}

/** A new person for `role`, skills drawn around the role's seniority; a bit stronger in `domain`. */
export function generateHire(rng: Rng, id: string, role: Role, name: string, domain: Domain): TeamMember {
  const seniority = seniorityOf(role);
  const skills = {} as Record<Domain, number>;
  for (const d of DOMAINS) {
    const bonus = d === domain ? 0.1 : 0;
    skills[d] = clampSkill(SKILL_BASE[seniority] + bonus + rng.normal(0, 0.1));
  }
  const persona = role === 'product_owner' ? rng.pick(Object.keys(PO_PERSONAS)) : rng.pick(WORK_STYLES);
  return { id, name, role, seniority, skills, persona, hoursPerDay: role === 'product_owner' ? 3 : 6 };
}

// ---------------------------------------------------------------------------------------------
// Knowledge areas
// ---------------------------------------------------------------------------------------------

export interface KnowledgeArea {
  id: string;
  teamId: string;
  name: string;
  /** How much the team's work depends on it, in [0, 1]. */
  criticality: number;
  /** memberId -> depth of knowledge in [0, 1]. Departed members are removed. */
  holders: Record<string, number>;
}

export interface AreaCoverage {
  areaId: string;
  name: string;
  criticality: number;
  /** min(1, best active holder's depth / FULL_COVERAGE_DEPTH). */
  coverage: number;
}

export interface KnowledgeCoverage {
  /** Criticality-weighted mean coverage, in [0, 1] (1 when the team has no areas). */
  coverage: number;
  areas: AreaCoverage[];
  /** Areas with coverage below `UNCOVERED_BELOW`. */
  uncovered: AreaCoverage[];
  /** Σ criticality × (1 − coverage). */
  uncoveredCriticality: number;
  /** Share of capacity lost: min(maxPenalty, rate × uncoveredCriticality). */
  penalty: number;
}

export interface HandoffResult {
  areaId: string;
  toMemberId: string;
  quality: number;
  /** Depth the receiver holds after the handoff. */
  depth: number;
}

/** Coverage of one area by the holders for which `isActive` is true (working for the team today). */
export function areaCoverage(area: KnowledgeArea, isActive: (memberId: string) => boolean): number {
  let best = 0;
  for (const id in area.holders) {
    const depth = area.holders[id] as number;
    if (depth > best && isActive(id)) best = depth;
  }
  return Math.min(1, best / FULL_COVERAGE_DEPTH);
}

export function knowledgeCoverage(
  areas: readonly KnowledgeArea[],
  isActive: (memberId: string) => boolean,
  rate = 0.15,
  maxPenalty = 0.5,
): KnowledgeCoverage {
  const list: AreaCoverage[] = [];
  const uncovered: AreaCoverage[] = [];
  let weighted = 0;
  let total = 0;
  let gap = 0;
  for (const area of areas) {
    const coverage = areaCoverage(area, isActive);
    const entry = { areaId: area.id, name: area.name, criticality: area.criticality, coverage };
    list.push(entry);
    if (coverage < UNCOVERED_BELOW) uncovered.push(entry);
    weighted += area.criticality * coverage;
    total += area.criticality;
    gap += area.criticality * (1 - coverage);
  }
  return {
    coverage: total > 0 ? weighted / total : 1,
    areas: list,
    uncovered,
    uncoveredCriticality: gap,
    penalty: Math.min(maxPenalty, rate * gap),
  };
}

/** Capacity penalty share only (no allocation): the hot path of `Org.capacityHours`. */
export function knowledgePenalty(
  areas: readonly KnowledgeArea[],
  isActive: (memberId: string) => boolean,
  rate: number,
  maxPenalty: number,
): number {
  let gap = 0;
  for (const area of areas) gap += area.criticality * (1 - areaCoverage(area, isActive));
  return Math.min(maxPenalty, rate * gap);
}

/**
 * Depth a receiver gets from a handoff: leaverDepth × quality × u, with u ~ U[0.8, 1] drawn from
 * `rng` (keyed by leaver and area, so a better handoff on the same seed always conveys more).
 */
export function transferDepth(rng: Rng, leaverDepth: number, quality: number): number {
  const u = rng.uniform(0.8, 1);
  return round2(clamp01(leaverDepth) * clamp01(quality) * u);
}

const AREA_NAMES: Record<Domain, readonly string[]> = {
  crud_api: ['auth and sessions', 'database schema and migrations', 'billing integration', 'API versioning', 'rate limiting'],
  data_pipeline: ['ingestion connectors', 'schema evolution', 'backfill jobs', 'data quality checks', 'scheduler configuration'],
  ml_service: ['feature store', 'model serving', 'training pipeline', 'evaluation harness', 'GPU capacity planning'],
  frontend_spa: ['state management', 'design system', 'build and bundling', 'accessibility', 'client-side routing'],
  cli_tool: ['argument parsing', 'plugin system', 'release packaging', 'config file format', 'shell completion'],
  library: ['public API surface', 'semantic versioning policy', 'compatibility shims', 'benchmarks', 'documentation site'],
  infrastructure: ['terraform modules', 'networking', 'secrets management', 'observability stack', 'disaster recovery'],
};
const SHARED_AREA_NAMES = ['CI pipeline', 'legacy module', 'on-call runbooks', 'release process'];

/**
 * 5–6 knowledge areas for a team: criticality in [0.2, 1] (at least one ≥ 0.7); each held by one
 * to three members at depth [0.7, 1]. At least two areas are held by a single departable member
 * (someone outside `protectedRoles`, product owner excluded) — the knowledge a departure can lose.
 */
export function generateKnowledgeAreas(
  rng: Rng,
  teamId: string,
  domain: Domain,
  members: readonly TeamMember[],
  protectedRoles: readonly Role[],
): KnowledgeArea[] {
  const count = rng.intBetween(5, 6);
  const names = [...rng.shuffle(AREA_NAMES[domain]), ...rng.shuffle(SHARED_AREA_NAMES)].slice(0, count);
  const engineers = members.filter((m) => m.role !== 'product_owner');
  const departable = engineers.filter((m) => !protectedRoles.includes(m.role));
  const pool = departable.length > 0 ? departable : engineers;
  const weight = (m: TeamMember): number => (m.seniority === 'senior' ? 3 : m.seniority === 'mid' ? 2 : 1);
  return names.map((name, i) => {
    const criticality = i === 0 ? round2(rng.uniform(0.7, 1)) : round2(rng.uniform(0.2, 1));
    const solo = i < 2; // the first two areas (one of them the most critical) have a single holder
    const holderCount = solo ? 1 : rng.intBetween(1, 3);
    const candidates = solo ? pool : engineers;
    const holders: Record<string, number> = {};
    const chosen = new Set<string>();
    while (chosen.size < Math.min(holderCount, candidates.length)) {
      const m = candidates[rng.weightedIndex(candidates.map(weight))] as TeamMember;
      if (chosen.has(m.id)) continue;
      chosen.add(m.id);
      holders[m.id] = round2(rng.uniform(FULL_COVERAGE_DEPTH, 1));
    }
    return { id: `${teamId}-K${i + 1}`, teamId, name, criticality, holders };
  });
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

function clampSkill(x: number): number {
  return clamp(round2(x), 0.05, 1);
}
