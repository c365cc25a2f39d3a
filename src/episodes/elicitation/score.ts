/**
 * Behavior codes scored on E-1.1 elicitation traces: B-01 (ambiguity detection), B-02 (scope
 * boundary probing), B-03 (constraint discovery) and B-04 (sufficiency detection). All four apply to
 * every elicitation trace; a signal that cannot be measured in one trace is null (its weight drops).
 *
 * Evidence is the candidate's own valid actions (type and `dimension` argument, in order), the
 * links the episode attached to them (`changed_implementation`, `revealed_requirement`,
 * `redundant_question`, `missed_requirement`, `ready_at_right_time` / `ready_too_early`), the
 * outcome facts of `finish()`, and the hidden requirement set (which requirements were stated,
 * obvious, revealed before implementation, or missed). Never the prompt's wording. Formulas and
 * heuristic stand-ins: docs/reward.md.
 */

import { clamp01 } from '../../core/numbers.js';
import {
  blendedJudgeSignal,
  type CodeScore,
  codeScore,
  judgeSignal,
  type PerformativeRules,
  type ScoreContext,
  type SignalValue,
} from '../../core/scorer.js';
import type { DecisionRecord, Trace } from '../../core/trace.js';
import { CONSTRAINT_DIMENSIONS, type Requirement } from '../../sim/story.js';
import { WORTH_ASKING } from './outcome.js';
import type { ElicitationFacts, ElicitationHidden } from './types.js';

/** The constraint dimensions of B-03 (performance, integration, security, deployment). */
const CONSTRAINTS: ReadonlySet<string> = new Set(CONSTRAINT_DIMENSIONS);
/** Chance that an uncorrected stated assumption catches a miss during development (the episode's 70%). */
const ASSUMPTION_CATCH = 0.7;
/** An obvious requirement is handled without asking 90% of the time. */
const OBVIOUS_HANDLED = 0.9;
/** question_count_calibration: the smallest denominator (one question off an optimal of 1 is not a total miss). */
const CALIBRATION_FLOOR = 2;
/** false_constraint_penalty: cost of each question about what context or conventions settle. */
const FALSE_CONSTRAINT_COST = 0.5;
/** question_count_calibration: share of the count fit (the rest is the stopping point). */
const COUNT_SHARE = 0.6;
/** implementation_change_rate: a rate at or above this is full marks (the proxy's bar is 0.3). */
const CHANGE_RATE_FULL = 0.5;

/** One pass over the candidate's valid decisions. */
interface Walk {
  questionIds: string[];
  assumptionIds: string[];
  scopeIds: string[];
  constraintIds: string[];
  falseConstraintIds: string[];
  changedIds: string[];
  redundantIds: string[];
  readyId: string | undefined;
  /** ask_question + request_example (the episode's `questionsAsked`). */
  questions: number;
  /** Dimension questions (ask_question with a dimension other than general). */
  dimensionQuestions: number;
  specificitySum: number;
  general: number;
  /** Questions past the product owner's patience (answered with "let us move on"). */
  unanswered: number;
  /** Dimensions addressed by an answered question or example, or by an assumption the product owner corrected. */
  covered: Set<string>;
  /** Questions (ask or example) whose answer changed the implementation. */
  changedQuestions: number;
  redundant: number;
  askedScopeOut: boolean;
  assumedScopeOut: boolean;
  /** Dimensions the candidate asked about (answered) or stated an assumption on. */
  touched: Set<string>;
  /** Dimensions with an uncorrected assumption (kept on the list to validate in development). */
  assumed: Set<string>;
  /** Requirement ids revealed before implementation. */
  revealed: Set<string>;
  /** Requirement ids review found missing. */
  missed: Set<string>;
  /** Assumptions stated on dimensions still open (not stated, not already revealed). */
  openAssumptions: number;
  /** Dimension questions, by dimension, that did not change the implementation (candidates for false_constraint_penalty). */
  idleQuestions: { id: string; dimension: string }[];
  readyTooEarly: boolean;
}

function walk(
  decisions: readonly DecisionRecord[],
  statedDims: ReadonlySet<string>,
  unstatedByDim: ReadonlyMap<string, string[]>,
  patience: number,
): Walk {
  const w: Walk = {
    questionIds: [],
    assumptionIds: [],
    scopeIds: [],
    constraintIds: [],
    falseConstraintIds: [],
    changedIds: [],
    redundantIds: [],
    readyId: undefined,
    questions: 0,
    dimensionQuestions: 0,
    specificitySum: 0,
    general: 0,
    unanswered: 0,
    covered: new Set(),
    changedQuestions: 0,
    redundant: 0,
    askedScopeOut: false,
    assumedScopeOut: false,
    touched: new Set(),
    assumed: new Set(),
    revealed: new Set(),
    missed: new Set(),
    openAssumptions: 0,
    idleQuestions: [],
    readyTooEarly: false,
  };
  const revealedDims = new Set<string>();
  const lastAnswer = new Map<string, 'revealed' | 'vague' | 'clear'>();
  for (const d of decisions) {
    if (!d.valid) continue;
    const type = d.action.type;
    let changed = false;
    let revealed = false;
    let redundant = false;
    for (const link of d.links) {
      const effect = link.effect;
      if (effect === 'changed_implementation') {
        changed = true;
        revealed = true;
        if (link.target !== undefined) w.revealed.add(link.target);
      } else if (effect === 'revealed_requirement') {
        revealed = true;
        if (link.target !== undefined) w.revealed.add(link.target);
      } else if (effect === 'redundant_question') redundant = true;
      else if (effect === 'missed_requirement') {
        if (link.target !== undefined) w.missed.add(link.target);
      } else if (effect === 'ready_too_early') w.readyTooEarly = true;
    }
    if (type === 'ask_question' || type === 'request_example') {
      const dimension = type === 'request_example' ? 'acceptance' : String(d.action.args?.dimension ?? 'general');
      w.questions++;
      w.questionIds.push(d.id);
      if (changed) {
        w.changedQuestions++;
        w.changedIds.push(d.id);
      }
      // Re-asking a dimension whose last answer was clear (not vague) is asking what was already answered.
      const key = type === 'request_example' ? 'example' : dimension;
      const last = lastAnswer.get(key);
      if (redundant || (dimension !== 'general' && last !== undefined && last !== 'vague')) {
        w.redundant++;
        w.redundantIds.push(d.id);
        redundant = true;
      }
      lastAnswer.set(key, revealed ? 'revealed' : hasOpen(unstatedByDim.get(dimension), w.revealed) ? 'vague' : 'clear');
      // Past the product owner's patience nothing is answered: the question addresses nothing.
      if (w.questions > patience) {
        w.unanswered++;
        continue;
      }
      // Specificity stand-in: a dimension question or a request for a concrete example is specific to
      // the task; one about what the story already states or was already answered is not, nor a general one.
      if (dimension === 'general') {
        w.general++;
        continue;
      }
      if (!redundant) w.specificitySum += 1;
      w.touched.add(dimension);
      w.covered.add(dimension);
      if (revealed) revealedDims.add(dimension);
      if (type === 'request_example') continue;
      w.dimensionQuestions++;
      if (dimension === 'scope_out') {
        w.askedScopeOut = true;
        w.scopeIds.push(d.id);
      }
      if (CONSTRAINTS.has(dimension)) w.constraintIds.push(d.id);
      if (!changed) w.idleQuestions.push({ id: d.id, dimension });
    } else if (type === 'state_assumption') {
      const dimension = String(d.action.args?.dimension ?? '');
      w.assumptionIds.push(d.id);
      // An assumption lists something still open: not stated, not asked or assumed before, not revealed.
      if (!statedDims.has(dimension) && !w.touched.has(dimension) && !revealedDims.has(dimension)) w.openAssumptions++;
      w.touched.add(dimension);
      if (revealed) {
        revealedDims.add(dimension);
        w.covered.add(dimension);
      } else w.assumed.add(dimension);
      if (dimension === 'scope_out') {
        w.assumedScopeOut = true;
        w.scopeIds.push(d.id);
      }
      if (CONSTRAINTS.has(dimension)) w.constraintIds.push(d.id);
    } else if (type === 'signal_ready') {
      w.readyId = d.id;
    }
  }
  return w;
}

/**
 * Whether a dimension still holds an unrevealed unstated requirement. A specific question about such
 * a dimension that revealed nothing got a vague answer (the product owner reveals it otherwise).
 */
function hasOpen(ids: readonly string[] | undefined, revealed: ReadonlySet<string>): boolean {
  if (!ids) return false;
  for (const id of ids) if (!revealed.has(id)) return true;
  return false;
}

/**
 * How well one requirement was met, given what was known before implementation: stated or
 * revealed 1; found missing in review 0; otherwise obvious 0.9 (conventions handle it), covered by an
 * uncorrected assumption 0.7 (caught in development), else 0 (missed; review may not have seen it).
 */
function metCredit(r: Requirement, w: Walk): number {
  if (r.stated || w.revealed.has(r.id)) return 1;
  if (w.missed.has(r.id)) return 0;
  if (r.obvious) return OBVIOUS_HANDLED;
  if (w.assumed.has(r.dimension)) return ASSUMPTION_CATCH;
  return 0;
}

export function scoreElicitation(trace: Trace<ElicitationFacts, ElicitationHidden>, context: ScoreContext): CodeScore[] {
  const o = trace.outcome;
  const requirements = trace.hidden.requirements;
  const statedDims = new Set<string>();
  const obviousDims = new Set<string>();
  const unstatedByDim = new Map<string, string[]>();
  for (const r of requirements) {
    if (r.stated) {
      statedDims.add(r.dimension);
      continue;
    }
    if (r.obvious) obviousDims.add(r.dimension);
    const ids = unstatedByDim.get(r.dimension);
    if (ids) ids.push(r.id);
    else unstatedByDim.set(r.dimension, [r.id]);
  }
  const patience = trace.hidden.patience;
  const w = walk(trace.decisions, statedDims, unstatedByDim, patience);
  const delivered = o.signalledReady && !o.pulledFromSprint;
  const optimal = o.optimalQuestions;
  const questions = w.questions;

  // ---- B-01 ambiguity detection ----
  const specificity = questions > 0 ? w.specificitySum / questions : optimal > 0 ? 0 : null;
  const neededDims = new Set<string>();
  for (const r of requirements) if (!r.stated && !r.obvious && r.impact >= WORTH_ASKING) neededDims.add(r.dimension);
  let coveredNeeded = 0;
  for (const d of neededDims) if (w.covered.has(d)) coveredNeeded++;
  const needed = neededDims.size;
  // Answers of a refinement that never reached implementation (pulled, or never ready) addressed nothing.
  const gapCoverage = needed > 0 ? (delivered ? coveredNeeded / needed : 0) : null;
  // No implementation (story pulled or never ready): no answer changed one.
  const changeRate = questions > 0 ? (delivered ? clamp01(w.changedQuestions / questions / CHANGE_RATE_FULL) : 0) : optimal > 0 ? 0 : null;
  // "I assume X; correct?" asks too: an assumption about what is stated or settled counts as redundant.
  const asked = questions + w.assumptionIds.length;
  const settledAssumptions = w.assumptionIds.length - w.openAssumptions;
  const nonRedundancy = asked > 0 ? 1 - (w.redundant + settledAssumptions) / asked : null;
  const b01Signals: SignalValue[] = [
    judgeSignal('question_specificity', 0.25, 'B-01', context, specificity),
    { name: 'gap_coverage', source: 'trace', weight: 0.25, value: gapCoverage },
    { name: 'implementation_change_rate', source: 'outcome', weight: 0.3, value: changeRate },
    { name: 'non_redundancy', source: 'trace', weight: 0.2, value: nonRedundancy },
  ];
  const b01Reason =
    questions === 0
      ? optimal > 0
        ? `asked nothing while ${optimal} requirement(s) worth a question were hidden`
        : 'asked nothing; nothing worth a question was hidden'
      : `${questions} question(s): ${w.changedQuestions} changed the implementation, ${w.redundant} about what was stated or answered` +
        `${w.general > 0 ? `, ${w.general} generic` : ''}; covered ${coveredNeeded}/${needed} dimension(s) needing it` +
        `${w.unanswered > 0 ? `; ${w.unanswered} past the product owner's patience` : ''}`;

  // ---- B-02 scope boundary probing ----
  const scopeOutStated = statedDims.has('scope_out');
  // Asking what the story already bounds is a redundant question, not scope probing.
  const explicitScope = scopeOutStated ? (w.askedScopeOut ? 0.25 : null) : w.askedScopeOut ? 1 : 0;
  let scopeTotal = 0;
  let scopeMet = 0;
  let outTotal = 0;
  let outMissed = 0;
  for (const r of requirements) {
    if (r.dimension !== 'scope_in' && r.dimension !== 'scope_out' && r.dimension !== 'acceptance') continue;
    const credit = delivered ? metCredit(r, w) : 0;
    scopeTotal += r.impact;
    scopeMet += r.impact * credit;
    if (r.dimension === 'scope_out' && !r.stated) {
      // An exclusion nobody learned about: the broad reading gets built (features beyond the criteria).
      outTotal += r.impact;
      outMissed += r.impact * (1 - metCredit(r, w));
    }
  }
  const scopeMatch = delivered ? (scopeTotal > 0 ? scopeMet / scopeTotal : 1) : 0;
  // Nothing built, nothing gold-plated: not measurable.
  const goldPlating = delivered ? (outTotal > 0 ? 1 - outMissed / outTotal : 1) : null;
  const b02Signals: SignalValue[] = [
    { name: 'explicit_scope_question', source: 'trace', weight: 0.3, value: explicitScope },
    { name: 'scope_match', source: 'outcome', weight: 0.4, value: scopeMatch },
    { name: 'gold_plating_penalty', source: 'outcome', weight: 0.3, value: goldPlating },
  ];
  const b02Reason =
    `${w.askedScopeOut ? 'asked what is out of scope' : w.assumedScopeOut ? 'stated an assumption about what is out of scope' : 'never probed what is out of scope'}` +
    `${scopeOutStated ? ' (the story states it)' : ''}; ` +
    (delivered
      ? `scope and done criteria met ${(scopeTotal > 0 ? scopeMet / scopeTotal : 1).toFixed(2)} (impact-weighted)`
      : 'nothing delivered') +
    (outTotal > 0 ? `; hidden exclusions ${outMissed > 0 ? 'missed: broad reading built' : 'learned'}` : '');

  // ---- B-03 constraint discovery ----
  let constraintTotal = 0;
  let constraintEarly = 0;
  const relevant = new Set<string>();
  for (const r of requirements) {
    if (!CONSTRAINTS.has(r.dimension) || r.stated || r.obvious) continue;
    constraintTotal += r.impact;
    if (w.revealed.has(r.id)) constraintEarly += r.impact;
    if (r.impact >= WORTH_ASKING) relevant.add(r.dimension);
  }
  // Known before execution over the constraints execution had to meet; no execution meets none.
  const earlyConstraints = constraintTotal > 0 ? (delivered ? constraintEarly / constraintTotal : 0) : null;
  let coveredCategories = 0;
  for (const d of relevant) if (w.touched.has(d)) coveredCategories++;
  const categoriesCovered = relevant.size > 0 ? (delivered ? coveredCategories / relevant.size : 0) : null;
  let falseConstraint = 0;
  if (w.dimensionQuestions > 0) {
    const implied: readonly string[] = trace.hidden.impliedByConventions;
    for (const q of w.idleQuestions) {
      let obvious = obviousDims.has(q.dimension) || (CONSTRAINTS.has(q.dimension) && statedDims.has(q.dimension));
      if (!obvious && !CONSTRAINTS.has(q.dimension)) {
        obvious = implied.includes(q.dimension);
      }
      if (obvious) {
        falseConstraint++;
        w.falseConstraintIds.push(q.id);
      }
    }
  }
  // A penalty per such question (not diluted by the number of other questions).
  const falsePenalty = w.dimensionQuestions > 0 ? clamp01(1 - FALSE_CONSTRAINT_COST * falseConstraint) : null;
  const b03Signals: SignalValue[] = [
    { name: 'early_constraints', source: 'trace+outcome', weight: 0.4, value: earlyConstraints },
    { name: 'categories_covered', source: 'trace', weight: 0.3, value: categoriesCovered },
    { name: 'false_constraint_penalty', source: 'trace', weight: 0.3, value: falsePenalty },
  ];
  const b03Reason =
    (constraintTotal > 0
      ? `hidden constraints known before implementation ${(constraintEarly / constraintTotal).toFixed(2)} (impact-weighted)${delivered ? '' : ', story never executed'}`
      : 'no hidden constraint') +
    (relevant.size > 0 ? `; ${coveredCategories}/${relevant.size} relevant constraint categories probed` : '') +
    (falseConstraint > 0 ? `; ${falseConstraint} question(s) about what context or conventions settle` : '');

  // ---- B-04 sufficiency detection ----
  // The count against the optimal (the proxy), blended with the stopping point: stopped only once
  // no requirement worth a question was still unknown (`ready_at_right_time` / `ready_too_early`).
  const countFit = clamp01(1 - Math.abs(questions - optimal) / Math.max(optimal, CALIBRATION_FLOOR));
  const importantMissed = o.importantMissed;
  const stoppingPoint = delivered ? (optimal > 0 ? clamp01(1 - importantMissed / optimal) : 1) : 0;
  const countCalibration = COUNT_SHARE * countFit + (1 - COUNT_SHARE) * stoppingPoint;
  const calibrationSignal = blendedJudgeSignal('question_count_calibration', 0.4, 'B-04', context, countCalibration);
  const transition = o.signalledReady ? (o.pulledFromSprint ? 0.5 : 1) : 0;
  // Assumptions count when they are about a dimension still open; none left open means nothing to list.
  let openDims = 0;
  for (const d of ['scope_in', 'scope_out', 'performance', 'integration', 'security', 'deployment', 'data', 'acceptance', 'edge_cases'])
    if (!statedDims.has(d) && !w.touched.has(d)) openDims++;
  // Listed for validation during execution: without a transition to execution there is none.
  // Half for an open list handed to execution, half for how much of what was still unknown and
  // worth asking it covers (all of it when nothing important was left unknown).
  let unknownImportant = 0;
  let unknownListed = 0;
  for (const r of requirements) {
    if (r.stated || r.obvious || r.impact < WORTH_ASKING || w.revealed.has(r.id)) continue;
    unknownImportant++;
    if (w.assumed.has(r.dimension)) unknownListed++;
  }
  const listFit = unknownImportant > 0 ? unknownListed / unknownImportant : 1;
  // Assumptions about what the story states or was already settled are performative: they dilute the list.
  const openShare = w.assumptionIds.length > 0 ? w.openAssumptions / w.assumptionIds.length : 0;
  const assumptionsValue =
    w.openAssumptions > 0 ? (delivered ? openShare * (0.5 + 0.5 * listFit) : 0) : openDims > 0 || w.assumptionIds.length > 0 ? 0 : null;
  const defects = o.defectsFound;
  const quality = o.storyAccepted ? clamp01(1 - 0.25 * defects) : 0;
  const b04Signals: SignalValue[] = [
    calibrationSignal,
    { name: 'explicit_transition', source: 'trace', weight: 0.2, value: transition },
    { name: 'assumptions_stated', source: 'trace', weight: 0.2, value: assumptionsValue },
    { name: 'outcome_quality', source: 'outcome', weight: 0.2, value: quality },
  ];
  const b04Reason =
    `${questions} question(s) against ${optimal} worth asking; ` +
    (o.signalledReady
      ? `${o.pulledFromSprint ? 'signalled ready only after the product owner gave up' : w.readyTooEarly ? 'signalled ready with important gaps open' : 'signalled ready'}`
      : 'never signalled ready') +
    `; ${w.openAssumptions} open assumption(s) stated; ${o.storyAccepted ? `accepted with ${defects} defect(s)` : 'not accepted'}`;

  const readyIds = w.readyId ? [w.readyId] : [];
  return [
    codeScore('B-01', b01Signals, [...w.questionIds, ...readyIds], b01Reason),
    codeScore('B-02', b02Signals, [...w.scopeIds, ...readyIds], b02Reason),
    codeScore('B-03', b03Signals, [...new Set([...w.constraintIds, ...w.falseConstraintIds, ...readyIds])], b03Reason),
    codeScore('B-04', b04Signals, [...w.questionIds, ...w.assumptionIds, ...readyIds], b04Reason),
  ];
}

/** Assumptions stated and never checked: no question about that dimension, and no linked effect. */
function uncheckedAssumptions(decisions: readonly DecisionRecord[]): { ids: string[]; reason: string }[] {
  const asked = new Set(
    decisions
      .filter((d) => d.valid)
      .filter((d) => d.action.type === 'ask_question')
      .map((d) => String(d.action.args?.dimension)),
  );
  const ids = decisions
    .filter((d) => d.valid)
    .filter((d) => d.action.type === 'state_assumption' && d.links.length === 0 && !asked.has(String(d.action.args?.dimension)))
    .map((d) => d.id);
  return ids.length > 0 ? [{ ids, reason: `${ids.length} assumption(s) stated and never checked` }] : [];
}

/** Performative-risk rules of elicitation (`reward/performative.ts`). */
export const performativeRules: PerformativeRules = {
  motions: new Set(['ask_question', 'state_assumption', 'request_example']),
  hollow: new Set(['redundant_question', 'excess_question', 'revealed_requirement']),
  substantive: new Set(['changed_implementation']),
  requireSubstance: true,
  unlinked: uncheckedAssumptions,
};
