/**
 * The outcome of a cross_team_dependency episode, computed on `proceed_without` (or at the turn
 * limit: the story then starts two days late), in days of delay against the sprint slack, plus
 * reworks. Each real dependency costs what `DEPENDENCY_TABLE` says for its (nature, resolution),
 * given the owning team's delay: its early answer when a request naming the dependency reached it
 * before its cut-off, else its late opening. An unflagged hard dependency blocks the pair
 * mid-story (late opening + build days, rework 50%); an unflagged soft one surfaces at integration
 * (1 day, rework 50-60%). A flag without a resolution is handled by its declared kind (hard:
 * sequence the work around the team's delivery; soft: assume it is ready, integrate late and
 * rushed: a day more, rework 40%). A mistyped flag costs half a day (soft declared on a hard one)
 * or a day of needless waiting (hard declared on a soft one, unless mocked or worked around). Each
 * false flag costs a quarter day; a false flag sent to its team costs them half a day; a
 * resolution on a false one builds or waits for nothing (0.5..1 day, and a 10-40% rework: see
 * `FALSE_RESOLUTION`). Analysis hours beyond a 4-hour refinement session count as delay (6 h a
 * day).
 *
 * The parts: `dependencyTally` walks the areas in order (`startDelay`, then `falseDependency`,
 * `unflaggedDependency` or `flaggedDependency`, and `requestTiming` for each); the links of hollow
 * contacts, investigations and the proceed; `dependencyComponents`: story_accepted (delay within
 * slack and the review passes: 95/60/30/10% by reworks 0/1/2/3+), tests_passing (1 - 0.3 per
 * rework - 0.2 per late block), low_iteration_count (1 - 0.25 per rework or late block),
 * velocity_maintained (1 - (delay + half the other teams' wasted days) / sprint days), low_rework
 * (1 - 0.5 per rework), coverage_threshold (integration tests: contract-backed resolutions of real
 * dependencies / real dependencies; 1 at >= 0.8); `calibration` of the flags' confidences.
 * `crossTeamDependencyOutcome` combines them into the facts, the components and the links.
 */
import type { DecisionLink, EpisodeResult } from '../../core/episode.js';
import { clamp01, round3 } from '../../core/numbers.js';
import type { OutcomeComponents } from '../../spec/reward.js';
import { BrierTally } from '../common.js';
import { AREAS, type Area, type AreaFate, type Scenario, type Team } from './scenario.js';
import {
  BEST_RESOLUTION,
  type CrossTeamDependencyFacts,
  type DependencyKind,
  NATURE_KIND,
  type RealNature,
  type Resolution,
  type SearchResult,
} from './types.js';

/**
 * Consequence of each (nature, resolution) for a flagged real dependency. `delay` is in days given
 * the team's delay T, the build days b and the parallel window P (our days - 1); `rework` the
 * chance of a rework; `cross` days of the other team's time spent beyond what was needed;
 * `contract` whether it leaves integration tests behind (contract or mock).
 */
interface Consequence {
  delay: (t: number, b: number, p: number) => number;
  rework: number;
  cross: number;
  contract: number;
}

const wait = (t: number, b: number, p: number, extra = 0) => Math.max(0, t + b + extra - p);

export const DEPENDENCY_TABLE: Record<RealNature, Record<Resolution, Consequence>> = {
  new_endpoint: {
    contract_first: { delay: (t, b, p) => wait(t, b, p), rework: 0.08, cross: 0, contract: 1 },
    ask_other_team_to_build: { delay: (t, b, p) => wait(t, b, p, 1), rework: 0.1, cross: 1, contract: 1 },
    mock_and_sequence: { delay: (t, b, p) => wait(t, b, p), rework: 0.55, cross: 0, contract: 1 },
    workaround: { delay: () => 1.5, rework: 0.6, cross: 0, contract: 0.5 },
  },
  owned_data: {
    ask_other_team_to_build: { delay: (t, b, p) => wait(t, b, p), rework: 0.05, cross: 0, contract: 1 },
    contract_first: { delay: (t, b, p) => wait(t, b, p, 1), rework: 0.3, cross: 0, contract: 1 },
    mock_and_sequence: { delay: (t, b, p) => wait(t, b, p), rework: 0.5, cross: 0, contract: 1 },
    workaround: { delay: () => 1, rework: 0.75, cross: 0, contract: 0.5 },
  },
  published_contract: {
    mock_and_sequence: { delay: () => 0, rework: 0.05, cross: 0, contract: 1 },
    contract_first: { delay: () => 0.5, rework: 0.05, cross: 0.25, contract: 1 },
    ask_other_team_to_build: { delay: (t, _b, p) => wait(t, 1, p, 0.5), rework: 0.1, cross: 1.5, contract: 1 },
    workaround: { delay: () => 0.5, rework: 0.3, cross: 0, contract: 0.5 },
  },
  frozen_service: {
    workaround: { delay: () => 0.5, rework: 0.1, cross: 0, contract: 1 },
    mock_and_sequence: { delay: () => 1, rework: 0.5, cross: 0, contract: 0.5 },
    contract_first: { delay: (t) => t + 1, rework: 0.3, cross: 0.5, contract: 0.5 },
    ask_other_team_to_build: { delay: (t) => t + 1, rework: 0.3, cross: 0.5, contract: 0.5 },
  },
};

/** A flagged real dependency without a resolution, handled by its declared kind. */
function unresolved(nature: RealNature, declared: DependencyKind, t: number, b: number, p: number): { delay: number; rework: number } {
  if (NATURE_KIND[nature] === 'hard')
    return declared === 'hard' ? { delay: wait(t, b, p), rework: 0.15 } : { delay: wait(t, b, p, 1), rework: 0.4 };
  if (nature === 'frozen_service') return { delay: declared === 'hard' ? 2 : 1, rework: 0.4 };
  return { delay: declared === 'hard' ? 1.5 : 0.5, rework: 0.25 };
}

/** A resolution proposed for an area that is not a dependency: days wasted, other team's days, rework chance. */
const FALSE_RESOLUTION: Record<Resolution, { delay: number; cross: number; rework: number }> = {
  contract_first: { delay: 0.5, cross: 0.5, rework: 0.2 },
  mock_and_sequence: { delay: 0.5, cross: 0, rework: 0.1 },
  ask_other_team_to_build: { delay: 1, cross: 1, rework: 0.3 },
  workaround: { delay: 0.5, cross: 0, rework: 0.4 },
};

const P_ACCEPT_BY_REWORKS = [0.95, 0.6, 0.3, 0.1] as const;

/** Team hours per day: analysis hours past the free session count as delay at this rate. */
const HOURS_PER_DAY = 6;
/** Analysis hours that fit in the usual refinement session; beyond them, hours delay the story. */
const FREE_HOURS = 4;
/** Days the story starts late when planning never ends (turn limit). */
export const NO_START_DAYS = 2;

/** One `search_architecture` and what it reported. */
export interface Finding {
  step: number;
  area: number;
  result: SearchResult;
  text: string;
}

/** One `flag_dependency`. */
export interface Flag {
  step: number;
  area: number;
  kind: DependencyKind;
  confidence?: number;
  /** Set when the owning team said it is not needed. */
  cleared: boolean;
}

/** One `propose_resolution`. */
export interface Proposal {
  step: number;
  area: number;
  resolution: Resolution;
}

/** One `communicate_cross_team`. */
export interface Contact {
  step: number;
  team: number;
  /** Analysis hours spent when the team was contacted. */
  hours: number;
  /** Areas flagged (and not cleared) on this team at the time of contact. */
  carried: number[];
  beforeCutoff: boolean;
  text: string;
}

/** Everything the outcome depends on: the scenario and its fates, and what the candidate did. */
export interface Planning extends Readonly<Scenario> {
  /** Analysis hours spent. */
  readonly hours: number;
  readonly proceeded: boolean;
  readonly proceedStep: number;
  readonly proceedConfidence: number | undefined;
  /** Story analyses made. */
  readonly analyzed: number;
  /** Steps of the analyses after the first. */
  readonly repeatedAnalyses: readonly number[];
  readonly findings: readonly Finding[];
  /** The current flag per area. */
  readonly flags: readonly (Flag | undefined)[];
  /** Every flag declared, in order (a retyped area appears once per flag). */
  readonly flagHistory: readonly Flag[];
  /** The current resolution per area. */
  readonly proposals: readonly (Proposal | undefined)[];
  readonly proposalHistory: readonly Proposal[];
  readonly contacts: readonly Contact[];
  /** Per area: analysis hours of the first contact that carried it (-1: none). */
  readonly carriedAt: readonly number[];
  /** Per area: step of that contact (-1: none). */
  readonly carriedStep: readonly number[];
}

function isReal(planning: Planning, area: number): boolean {
  return (planning.areas[area] as Area).nature !== 'not_needed';
}

/** The team's delay for an area: early answer when a request naming it arrived before the cut-off. */
export function teamDelay(planning: Planning, area: number): number {
  const t = planning.teams[(planning.areas[area] as Area).team] as Team;
  const at = planning.carriedAt[area] as number;
  return at >= 0 && at <= t.cutoffHours ? t.earlyDays : t.lateDays;
}

/** Running totals of the pass over the areas, accumulated in area order. */
export interface Tally {
  /** Days of delay against the sprint slack. */
  delay: number;
  /** Days of the other teams' time spent beyond what was needed. */
  cross: number;
  reworks: number;
  lateBlocks: number;
  /** Integration tests left behind by the resolutions of real dependencies (contract 1, half 0.5). */
  contractSum: number;
  realCount: number;
  realFlagged: number;
  typedRight: number;
  falseFlags: number;
  bestResolutions: number;
  timely: number;
  missedHard: number;
}

/** Delay before any dependency: analysis hours beyond the refinement session, and a story that never started. */
export function startDelay(planning: Planning): number {
  return Math.max(0, planning.hours - FREE_HOURS) / HOURS_PER_DAY + (planning.proceeded ? 0 : NO_START_DAYS);
}

/**
 * A flag on an area that is not a dependency: a quarter day, half a day of the team's time if sent
 * to it, and a resolution that builds or waits for nothing (or, unresolved and not cleared, a day
 * of waiting when declared hard, a quarter when soft); linked to the flag and the resolution.
 */
export function falseDependency(planning: Planning, index: number, flag: Flag, tally: Tally, links: DecisionLink[]): void {
  const a = planning.areas[index] as Area;
  const p = planning.proposals[index];
  const fate = planning.fates[index] as AreaFate;
  // Every false flag (even one later cleared) was declared: the history keeps its decision.
  tally.falseFlags++;
  tally.delay += 0.25;
  if (planning.carriedAt[index]! >= 0) tally.cross += 0.5;
  let extra = 0;
  if (p) {
    const waste = FALSE_RESOLUTION[p.resolution];
    extra = waste.delay;
    tally.cross += waste.cross;
    // Building against a need that does not exist bends our code the wrong way.
    if (fate.rework < waste.rework) tally.reworks++;
  } else if (!flag.cleared) extra = flag.kind === 'hard' ? 1 : 0.25;
  tally.delay += extra;
  links.push({
    step: flag.step,
    effect: 'false_dependency',
    target: `area_${index}`,
    value: -round3((0.25 + extra) / 10),
    note: `area ${index} (${a.service}) was not a dependency${flag.cleared ? '; its team cleared it' : ''}`,
  });
  if (p)
    links.push({
      step: p.step,
      effect: 'resolution_on_false_dependency',
      target: `area_${index}`,
      value: -round3(extra / 10),
      note: `${p.resolution} for a dependency that did not exist`,
    });
}

/** How a real dependency played out: days of delay, the rework chance, and the integration tests it leaves. */
interface Handling {
  delay: number;
  rework: number;
  contract: number;
}

/** A real dependency nobody flagged: a hard one blocks the work mid-story, a soft one surfaces at integration. */
export function unflaggedDependency(planning: Planning, index: number, tally: Tally, links: DecisionLink[]): Handling {
  const a = planning.areas[index] as Area;
  const nature = a.nature as RealNature;
  const kind = NATURE_KIND[nature];
  let delay: number;
  let rework: number;
  if (kind === 'hard') {
    tally.lateBlocks++;
    tally.missedHard++;
    delay = (planning.teams[a.team] as Team).lateDays + a.buildDays;
    rework = 0.5;
  } else {
    delay = 1;
    rework = nature === 'frozen_service' ? 0.6 : 0.5;
  }
  links.push({
    step: -1,
    effect: 'missed_dependency',
    target: `area_${index}`,
    value: -round3(delay / 10),
    note: `unflagged ${kind} dependency on ${a.service} (${nature}) surfaced during the work`,
  });
  return { delay, rework, contract: 0 };
}

/**
 * A flagged real dependency: its resolution's consequence (`DEPENDENCY_TABLE`), plus a misleading
 * declared kind, or without a resolution the handling of its declared kind; linked to the flag and
 * the resolution.
 */
export function flaggedDependency(planning: Planning, index: number, flag: Flag, tally: Tally, links: DecisionLink[]): Handling {
  const a = planning.areas[index] as Area;
  const nature = a.nature as RealNature;
  const kind = NATURE_KIND[nature];
  const p = planning.proposals[index];
  const t = teamDelay(planning, index);
  const b = a.buildDays;
  const parallel = planning.ourDays - 1;
  tally.realFlagged++;
  if (flag.kind === kind) tally.typedRight++;
  links.push({
    step: flag.step,
    effect: flag.kind === kind ? 'real_dependency' : 'mistyped_dependency',
    target: `area_${index}`,
    value: flag.kind === kind ? 0.1 : 0.03,
    note: `${a.service}: ${nature} (${kind}), flagged ${flag.kind}`,
  });
  if (!p) {
    const u = unresolved(nature, flag.kind, t, b, parallel);
    return { delay: u.delay, rework: u.rework, contract: 0 };
  }
  const c = DEPENDENCY_TABLE[nature][p.resolution];
  let delay = c.delay(t, b, parallel);
  tally.cross += c.cross;
  // A declared kind that contradicts the truth misleads the plan around the resolution.
  if (flag.kind !== kind) delay += kind === 'hard' ? 0.5 : p.resolution === 'mock_and_sequence' || p.resolution === 'workaround' ? 0 : 1;
  const best = BEST_RESOLUTION[nature];
  if (p.resolution === best) tally.bestResolutions++;
  const quality = p.resolution === best ? 'resolution_right' : c.rework <= 0.3 ? 'resolution_acceptable' : 'resolution_wrong';
  links.push({
    step: p.step,
    effect: quality,
    target: `area_${index}`,
    value: quality === 'resolution_right' ? 0.1 : quality === 'resolution_acceptable' ? 0.02 : -0.1,
    note: `${p.resolution} for ${nature} (best: ${best})`,
  });
  return { delay, rework: c.rework, contract: c.contract };
}

/** Whether a request naming a real dependency reached its team before the cut-off; linked to that contact. */
export function requestTiming(planning: Planning, index: number, tally: Tally, links: DecisionLink[]): void {
  const team = planning.teams[(planning.areas[index] as Area).team] as Team;
  const at = planning.carriedAt[index] as number;
  if (at < 0) return;
  const early = at <= team.cutoffHours;
  if (early) tally.timely++;
  links.push({
    step: planning.carriedStep[index] as number,
    effect: early ? 'timely_communication' : 'late_communication',
    target: `area_${index}`,
    value: early ? round3((team.lateDays - team.earlyDays) / 20) : -0.02,
    note: early
      ? `team ${team.name} told at ${at} h, before its ${team.cutoffHours} h cut-off`
      : `team ${team.name} told at ${at} h, after its ${team.cutoffHours} h cut-off`,
  });
}

/** The pass over the areas, in order: false flags, real dependencies (flagged or not) and their requests. */
export function dependencyTally(planning: Planning, links: DecisionLink[]): Tally {
  const tally: Tally = {
    delay: startDelay(planning),
    cross: 0,
    reworks: 0,
    lateBlocks: 0,
    contractSum: 0,
    realCount: 0,
    realFlagged: 0,
    typedRight: 0,
    falseFlags: 0,
    bestResolutions: 0,
    timely: 0,
    missedHard: 0,
  };
  for (let i = 0; i < AREAS; i++) {
    const flag = planning.flags[i];
    if (!isReal(planning, i)) {
      if (flag) falseDependency(planning, i, flag, tally, links);
      continue;
    }
    tally.realCount++;
    const handling = flag ? flaggedDependency(planning, i, flag, tally, links) : unflaggedDependency(planning, i, tally, links);
    if ((planning.fates[i] as AreaFate).rework < handling.rework) tally.reworks++;
    tally.delay += handling.delay;
    tally.contractSum += handling.contract;
    requestTiming(planning, i, tally, links);
  }
  return tally;
}

/** Links the contacts that carried no real dependency: hollow heads-ups, or only false flags. */
export function hollowContactLinks(planning: Planning, links: DecisionLink[]): void {
  for (const c of planning.contacts)
    if (!c.carried.some((i) => isReal(planning, i)))
      links.push({
        step: c.step,
        effect: 'hollow_communication',
        target: `team_${c.team}`,
        value: -0.02,
        note: c.carried.length === 0 ? 'a heads-up with nothing concrete' : 'only dependencies that did not exist',
      });
}

/** Links investigation past what can be learned, and searches that showed a real dependency. */
export function investigationLinks(planning: Planning, links: DecisionLink[]): void {
  for (const f of planning.findings)
    if (f.result === 'nothing_new')
      links.push({ step: f.step, effect: 'redundant_search', target: `area_${f.area}`, value: -0.02, note: 'nothing new to find' });
    else if (isReal(planning, f.area) && f.result === (planning.areas[f.area] as Area).nature)
      links.push({ step: f.step, effect: 'evidence_on_real_dependency', target: `area_${f.area}`, value: 0.02, note: f.text });
  for (const step of planning.repeatedAnalyses)
    links.push({ step, effect: 'redundant_analysis', value: -0.02, note: 'the story was already analyzed' });
}

/** Links `proceed_without` as ready or with blockers left, or the planning that never ended. */
export function proceedLink(planning: Planning, missedHard: number, links: DecisionLink[]): void {
  if (planning.proceeded)
    links.push({
      step: planning.proceedStep,
      effect: missedHard > 0 ? 'proceeded_with_blockers' : 'proceeded_ready',
      value: missedHard > 0 ? -0.2 : 0.05,
      note: missedHard > 0 ? `${missedHard} hard dependency(ies) left unflagged` : 'every hard dependency known before starting',
    });
  else
    links.push({
      step: -1,
      effect: 'never_proceeded',
      value: -0.2,
      note: `planning never ended: the story started ${NO_START_DAYS} days late`,
    });
}

/**
 * The six components: the story is accepted when the delay fits the slack and the review passes
 * (95/60/30/10% by reworks 0/1/2/3+); coverage is the integration tests the resolutions leave.
 */
export function dependencyComponents(
  planning: Planning,
  tally: Tally,
): { components: OutcomeComponents; accepted: boolean; onTime: boolean; coverageShare: number } {
  const totalDays = planning.ourDays + planning.slackDays;
  const onTime = tally.delay <= planning.slackDays;
  const pAccept = P_ACCEPT_BY_REWORKS[Math.min(3, tally.reworks)] as number;
  const accepted = onTime && planning.acceptDraw < pAccept;
  const coverageShare = tally.realCount > 0 ? tally.contractSum / tally.realCount : 1;
  const coverage = clamp01(coverageShare);
  const components: OutcomeComponents = {
    story_accepted: accepted ? 1 : 0,
    tests_passing: clamp01(1 - 0.3 * tally.reworks - 0.2 * tally.lateBlocks),
    low_iteration_count: clamp01(1 - 0.25 * (tally.reworks + tally.lateBlocks)),
    velocity_maintained: clamp01(1 - (tally.delay + 0.5 * tally.cross) / totalDays),
    low_rework: clamp01(1 - 0.5 * tally.reworks),
    coverage_threshold: coverage >= 0.8 ? 1 : coverage,
  };
  return { components, accepted, onTime, coverageShare };
}

/** Calibration of the asserting decisions (flags): a flag is right when the area is real; Brier -1 without any. */
export function calibration(planning: Planning): { statements: number; brier: number } {
  const brier = new BrierTally();
  for (const f of planning.flagHistory) brier.add(f.confidence, isReal(planning, f.area));
  return { statements: brier.stated, brier: brier.stated > 0 ? round3(brier.sum / brier.stated) : -1 };
}

/** The episode's outcome: facts, the six components and the decision links. */
export function crossTeamDependencyOutcome(planning: Planning): EpisodeResult<CrossTeamDependencyFacts> {
  const links: DecisionLink[] = [];
  const tally = dependencyTally(planning, links);
  hollowContactLinks(planning, links);
  investigationLinks(planning, links);
  proceedLink(planning, tally.missedHard, links);
  const { components, accepted, onTime, coverageShare } = dependencyComponents(planning, tally);
  const confidence = calibration(planning);
  const hardReal = planning.areas.filter((a) => a.nature === 'new_endpoint' || a.nature === 'owned_data').length;
  return {
    facts: {
      proceeded: planning.proceeded,
      proceedConfidence: planning.proceedConfidence ?? -1,
      analyzed: planning.analyzed > 0,
      analyses: planning.analyzed,
      searches: planning.findings.length,
      realDependencies: tally.realCount,
      hardDependencies: hardReal,
      realFlagged: tally.realFlagged,
      typedRight: tally.typedRight,
      falseFlags: tally.falseFlags,
      flagsDeclared: planning.flagHistory.length,
      missedHard: tally.missedHard,
      lateBlocks: tally.lateBlocks,
      resolutionsProposed: planning.proposalHistory.length,
      bestResolutions: tally.bestResolutions,
      contacts: planning.contacts.length,
      timelyContacts: tally.timely,
      hollowContacts: planning.contacts.filter((c) => !c.carried.some((i) => isReal(planning, i))).length,
      reworkCount: tally.reworks,
      delayDays: round3(tally.delay),
      slackDays: planning.slackDays,
      ourDays: planning.ourDays,
      crossTeamDays: round3(tally.cross),
      hoursSpent: planning.hours,
      storyAccepted: accepted,
      onTime,
      integrationCoverage: round3(coverageShare),
      confidenceStatements: confidence.statements,
      calibrationBrier: confidence.brier,
    },
    components,
    links,
  };
}
