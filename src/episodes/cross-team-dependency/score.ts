/**
 * Behavior codes scored on cross_team_dependency (E-3.2) traces: B-06 dependency identification,
 * B-03 constraint discovery, B-21 status transparency.
 *
 * Evidence, structured only: the candidate's valid actions (analyze_story, search_architecture,
 * flag_dependency with its kind and confidence, propose_resolution, communicate_cross_team,
 * proceed_without), the links the episode attaches (timely_communication / late_communication per
 * area, hollow_communication), and the hidden truth (each area's nature, kind and category).
 * B-06 keeps the meaning of the decomposition scorer: real dependencies found, none invented,
 * hard/soft told apart. B-03 reads the other teams' services as the integration constraints of
 * the story. B-21 reads the dependencies on other teams as blockers to report. Formulas:
 * docs/reward.md.
 */

import { clamp01 } from '../../core/numbers.js';
import { type CodeScore, codeScore, judgeSignal, type PerformativeRules, type ScoreContext, type SignalValue } from '../../core/scorer.js';
import type { Trace } from '../../core/trace.js';
import { AssertionTally } from '../common.js';
import { AREAS } from './scenario.js';
import type { CrossTeamDependencyFacts, CrossTeamDependencyHidden } from './types.js';
import { SEARCH_DEPTH } from './world.js';

type CrossTeamDependencyTrace = Trace<CrossTeamDependencyFacts, CrossTeamDependencyHidden>;
type HiddenArea = CrossTeamDependencyHidden['areas'][number];
/** false_constraint_penalty: cost of each redundant investigation. */
const REDUNDANT_COST = 0.5;
/** A blocker reported after its team's cut-off: reported, but after it had already cost days. */
const LATE_REPORT = 0.25;

/** What one pass over the decisions collects. */
interface Walk {
  /** Last flag per area (kind, decision id). */
  flags: Map<number, { kind: string; id: string }>;
  flagIds: string[];
  /** Areas searched or flagged, and the decision ids. */
  touched: Set<number>;
  searchIds: string[];
  redundantIds: string[];
  investigations: number;
  contactIds: string[];
  /** Per area: 1 told before the cut-off, LATE_REPORT after it (from the episode's links); decision id. */
  told: Map<number, { value: number; id: string }>;
  hollowIds: string[];
  /** Assertions scored for calibration (unhedged ones count as confidence 1). */
  calibration: AssertionTally;
  assertionIds: string[];
}

function walk(trace: CrossTeamDependencyTrace, areas: readonly HiddenArea[]): Walk {
  const w: Walk = {
    flags: new Map(),
    flagIds: [],
    touched: new Set(),
    searchIds: [],
    redundantIds: [],
    investigations: 0,
    contactIds: [],
    told: new Map(),
    hollowIds: [],
    calibration: new AssertionTally(),
    assertionIds: [],
  };
  const searches = new Array<number>(AREAS).fill(0);
  const confirmed = new Set<number>();
  let analyses = 0;
  const calibrate = (confidence: number | undefined, correct: boolean, id: string) => {
    w.calibration.add(confidence, correct);
    w.assertionIds.push(id);
  };
  const flagged = new Set<number>();
  for (const d of trace.decisions) {
    if (!d.valid) continue;
    const a = d.action;
    switch (a.type) {
      case 'analyze_story':
        w.investigations++;
        if (++analyses > 1) w.redundantIds.push(d.id);
        break;
      case 'search_architecture': {
        const area = Number(a.args?.area);
        w.investigations++;
        w.touched.add(area);
        w.searchIds.push(d.id);
        searches[area] = (searches[area] ?? 0) + 1;
        // Past what a search can find, or after the owning team already confirmed the area.
        if ((searches[area] as number) > SEARCH_DEPTH || confirmed.has(area)) w.redundantIds.push(d.id);
        break;
      }
      case 'flag_dependency': {
        const area = Number(a.args?.target);
        w.flags.set(area, { kind: String(a.args?.kind), id: d.id });
        w.flagIds.push(d.id);
        w.touched.add(area);
        flagged.add(area);
        calibrate(a.confidence, areas[area]?.real === true, d.id);
        break;
      }
      case 'communicate_cross_team': {
        w.contactIds.push(d.id);
        const team = Number(a.args?.team);
        for (const area of areas) if (area.team === team && flagged.has(area.index)) confirmed.add(area.index);
        for (const l of d.links) {
          const area = Number(String(l.target ?? '').replace('area_', ''));
          if (l.effect === 'timely_communication' && !w.told.has(area)) w.told.set(area, { value: 1, id: d.id });
          if (l.effect === 'late_communication' && !w.told.has(area)) w.told.set(area, { value: LATE_REPORT, id: d.id });
          if (l.effect === 'hollow_communication') w.hollowIds.push(d.id);
        }
        break;
      }
      case 'proceed_without':
        calibrate(a.confidence, trace.outcome.missedHard === 0, d.id);
        break;
    }
  }
  return w;
}

/** B-06: the real dependencies found, none invented, hard/soft told apart (decomposition's meaning). */
function dependencies(w: Walk, areas: readonly HiddenArea[]): CodeScore {
  const real = areas.filter((a) => a.real);
  let found = 0;
  let typed = 0;
  let falseWeight = 0;
  for (const [area, flag] of w.flags) {
    const truth = areas[area];
    if (!truth?.real) falseWeight += flag.kind === 'hard' ? 1 : 0.5;
    else {
      found++;
      if (truth.kind === flag.kind) typed++;
    }
  }
  const declared = w.flags.size;
  const recall = real.length > 0 ? found / real.length : null;
  // Weighted precision as lift over the share of real areas, so flagging every area earns nothing.
  let falsePenalty: number | null = null;
  if (declared > 0) {
    const base = real.length / AREAS;
    const precision = clamp01(1 - falseWeight / declared);
    falsePenalty = base >= 1 ? precision : clamp01((precision - base) / (1 - base));
  }
  const typing = declared > 0 ? typed / declared : real.length > 0 ? 0 : null;
  const signals: SignalValue[] = [
    { name: 'true_positive_rate', source: 'outcome', weight: 0.4, value: recall },
    { name: 'false_positive_penalty', source: 'outcome', weight: 0.3, value: falsePenalty },
    { name: 'typing_accuracy', source: 'outcome', weight: 0.3, value: typing },
  ];
  const reason = `${found}/${real.length} real dependencies flagged; ${declared - found} of ${declared} flags not real; ${typed}/${declared} with the right kind`;
  return codeScore('B-06', signals, [...w.flagIds], reason);
}

/** B-03: the other teams' constraints known before the work starts, across the relevant categories, without redundant digging. */
function constraints(w: Walk, areas: readonly HiddenArea[]): CodeScore {
  let total = 0;
  let early = 0;
  const relevant = new Set<string>();
  for (const a of areas) {
    if (!a.real) continue;
    const weight = a.kind === 'hard' ? 1 : 0.5;
    total += weight;
    if (w.flags.has(a.index)) early += weight;
    relevant.add(a.category);
  }
  const earlyConstraints = total > 0 ? early / total : null;
  let covered = 0;
  for (const category of relevant) if (areas.some((a) => a.category === category && w.touched.has(a.index))) covered++;
  const categories = relevant.size > 0 ? covered / relevant.size : null;
  const falsePenalty = w.investigations > 0 ? clamp01(1 - REDUNDANT_COST * w.redundantIds.length) : null;
  const signals: SignalValue[] = [
    { name: 'early_constraints', source: 'trace+outcome', weight: 0.4, value: earlyConstraints },
    { name: 'categories_covered', source: 'trace', weight: 0.3, value: categories },
    { name: 'false_constraint_penalty', source: 'trace', weight: 0.3, value: falsePenalty },
  ];
  const reason = `${early}/${total} weighted dependencies known before starting; ${covered}/${relevant.size} relevant categories examined; ${w.redundantIds.length} redundant investigation(s)`;
  return codeScore('B-03', signals, [...w.searchIds, ...w.flagIds], reason);
}

/** B-21: blockers reported to their owners before they cost time, facts told from guesses, no hollow messages. */
function transparency(trace: CrossTeamDependencyTrace, context: ScoreContext, w: Walk, areas: readonly HiddenArea[]): CodeScore {
  // A blocker is a real dependency that needs the other team (a frozen service will change nothing).
  const blockers = areas.filter((a) => a.real && a.nature !== 'frozen_service');
  let reported = 0;
  const ids: string[] = [];
  for (const b of blockers) {
    const t = w.told.get(b.index);
    if (t) {
      reported += t.value;
      ids.push(t.id);
    }
  }
  const early = blockers.length > 0 ? reported / blockers.length : null;
  const brier = w.calibration.brier();
  const calibration = w.calibration.calibration();
  // Silence when there was something to report is the worst; otherwise the share of substantive contacts.
  let substance: number;
  if (w.contactIds.length === 0) substance = blockers.length > 0 ? 0 : 1;
  else substance = 1 - w.hollowIds.length / w.contactIds.length;
  const signals: SignalValue[] = [
    { name: 'blockers_reported_early', source: 'outcome', weight: 0.5, value: early },
    { name: 'uncertainty_stated', source: 'trace', weight: 0.2, value: calibration },
    judgeSignal('communication_substance', 0.3, 'B-21', context, substance),
  ];
  for (const id of w.hollowIds) ids.push(id);
  for (const id of w.assertionIds) ids.push(id);
  const reason =
    `${reported}/${blockers.length} blockers reported (late ones count a quarter); ${w.contactIds.length} contact(s), ${w.hollowIds.length} hollow; ` +
    `${w.calibration.stated} assertion(s), Brier ${brier === null ? 'n/a' : brier.toFixed(2)}` +
    (trace.outcome.proceeded ? '' : '; never proceeded');
  return codeScore('B-21', signals, ids, reason);
}

export function scoreCrossTeamDependency(trace: CrossTeamDependencyTrace, context: ScoreContext): CodeScore[] {
  const areas = trace.hidden.areas;
  const w = walk(trace, areas);
  return [dependencies(w, areas), constraints(w, areas), transparency(trace, context, w, areas)];
}

/** Performative-risk rules of cross_team_dependency (`reward/performative.ts`). */
export const performativeRules: PerformativeRules = {
  motions: new Set(['analyze_story', 'search_architecture', 'flag_dependency', 'propose_resolution', 'communicate_cross_team']),
  hollow: new Set([
    'false_dependency',
    'mistyped_dependency',
    'resolution_wrong',
    'resolution_on_false_dependency',
    'hollow_communication',
    'redundant_search',
    'redundant_analysis',
  ]),
  substantive: new Set(['real_dependency', 'resolution_right', 'timely_communication', 'evidence_on_real_dependency']),
};
