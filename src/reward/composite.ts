/**
 * The composite episode reward of `spec/reward.yaml`:
 *
 *   reward = outcome_weight · outcome + behavioral_weight · behavioral + efficiency + phase_bonus
 *
 * with the outcome / behavioral weights of the curriculum stage (`STAGE_WEIGHTS`), the efficiency
 * term of reward.yaml plus a small capped bonus for beating the baseline, and the sparse phase
 * bonuses (`PHASE_BONUS`). `credit.ts` spreads an episode's reward over its decisions for training.
 * Formulas and numbers: docs/reward-composite.md.
 */
import { DojoError, didYouMean } from '../core/errors.js';
import { PHASE_BONUS, STAGE_WEIGHTS } from '../spec/reward.js';

/** An input to a reward function that cannot be used (out of range, unknown name). */
export class RewardInputError extends DojoError {
  override name = 'RewardInputError';
}

export type Stage = keyof typeof STAGE_WEIGHTS;
export type PhaseTransition = keyof typeof PHASE_BONUS;
export const PHASE_TRANSITIONS = Object.keys(PHASE_BONUS) as PhaseTransition[];

// ---------------------------------------------------------------------------------------------
// Efficiency
// ---------------------------------------------------------------------------------------------

/**
 * Weight of the efficiency penalty: −0.1 per 100 % of actions beyond the baseline (twice the
 * baseline costs 0.1, the size of one phase bonus). Not capped, as in reward.yaml.
 */
export const EFFICIENCY_PENALTY_WEIGHT = 0.1;
/** Bonus per 100 % of actions saved against the baseline, before the cap and the outcome factor. */
export const EFFICIENCY_BONUS_WEIGHT = 0.05;
/** Largest efficiency bonus (reached at 40 % fewer actions than the baseline, with outcome 1). */
export const EFFICIENCY_BONUS_CAP = 0.02;

export interface EfficiencyTerms {
  /** −EFFICIENCY_PENALTY_WEIGHT · max(0, actions − baseline) / baseline; ≤ 0. */
  penalty: number;
  /** outcome · min(EFFICIENCY_BONUS_CAP, EFFICIENCY_BONUS_WEIGHT · (baseline − actions) / baseline); ≥ 0. */
  bonus: number;
}

/**
 * The efficiency terms for an episode with `actions` actions against `baselineActions`, the
 * median action count of successful episodes of the same type and difficulty. Without a baseline
 * (`null`, `undefined`) both terms are 0. The bonus is scaled by the outcome so that speed alone
 * earns nothing (reward.yaml: never reward speed alone): a fast failure gets no bonus.
 */
export function efficiencyTerms(actions: number, baselineActions: number | null | undefined, outcome: number): EfficiencyTerms {
  if (!Number.isFinite(actions) || actions < 0) {
    throw new RewardInputError(`actions must be a finite count >= 0, got ${actions}. Pass trace.turns.`);
  }
  if (baselineActions === null || baselineActions === undefined) return { penalty: 0, bonus: 0 };
  if (!Number.isFinite(baselineActions) || baselineActions <= 0) {
    throw new RewardInputError(
      `baselineActions must be > 0, got ${baselineActions}. Pass null when no baseline exists for this type and difficulty.`,
    );
  }
  const excess = Math.max(0, actions - baselineActions) / baselineActions;
  const saved = Math.max(0, baselineActions - actions) / baselineActions;
  // `0 - x` rather than `-x` keeps the penalty +0 (not −0) at the baseline, for clean equality.
  return {
    penalty: 0 - EFFICIENCY_PENALTY_WEIGHT * excess,
    bonus: outcome * Math.min(EFFICIENCY_BONUS_CAP, EFFICIENCY_BONUS_WEIGHT * saved),
  };
}

// ---------------------------------------------------------------------------------------------
// Phase bonus
// ---------------------------------------------------------------------------------------------

export interface TransitionEvent {
  transition: PhaseTransition;
  /** Whether the transition was the right call (judged from the outcome, e.g. a pivot that paid off). */
  correct: boolean;
}

/**
 * Sum of `PHASE_BONUS` over the correct transitions. An incorrect transition earns 0 (no penalty:
 * reward.yaml says never penalize every pivot), and each kind of transition counts at most once
 * per episode, so repeating correct checkpoints is not a way to farm reward (never reward raw counts).
 */
export function phaseBonus(events: readonly TransitionEvent[]): number {
  const rewarded = new Set<PhaseTransition>();
  for (const event of events) {
    if (!Object.hasOwn(PHASE_BONUS, event.transition)) {
      throw new RewardInputError(
        `Unknown phase transition "${event.transition}".${didYouMean(String(event.transition), PHASE_TRANSITIONS)}`,
      );
    }
    if (event.correct) rewarded.add(event.transition);
  }
  let total = 0;
  // Summed in the fixed PHASE_BONUS order, so the result does not depend on the event order.
  for (const transition of PHASE_TRANSITIONS) if (rewarded.has(transition)) total += PHASE_BONUS[transition];
  return total;
}

// ---------------------------------------------------------------------------------------------
// Composite
// ---------------------------------------------------------------------------------------------

export interface CompositeInput {
  /** Outcome reward in [0, 1] (the weighted six components). */
  outcome: number;
  /** Behavioral score in [0, 1] (heuristic, calibrated against the judge). */
  behavioral: number;
  /** Curriculum stage 1–4; picks the outcome / behavioral weights. */
  stage: number;
  /** Actions the candidate took (trace.turns). */
  actions: number;
  /** Median actions of successful episodes of this type and difficulty; null when unknown. */
  baselineActions?: number | null;
  /** Phase bonus of the episode, usually `phaseBonus(events)`; default 0. */
  phaseBonus?: number;
}

/** Every term of the composite, each logged under its own name. */
export interface CompositeBreakdown {
  stage: Stage;
  outcomeWeight: number;
  behavioralWeight: number;
  outcome: number;
  behavioral: number;
  /** outcomeWeight · outcome */
  outcomeTerm: number;
  /** behavioralWeight · behavioral */
  behavioralTerm: number;
  actions: number;
  baselineActions: number | null;
  /** ≤ 0, see `efficiencyTerms`. */
  efficiencyPenalty: number;
  /** ≥ 0 and ≤ EFFICIENCY_BONUS_CAP, see `efficiencyTerms`. */
  efficiencyBonus: number;
  phaseBonus: number;
  /** outcomeTerm + behavioralTerm + efficiencyPenalty + efficiencyBonus + phaseBonus */
  total: number;
}

/** The composite reward of one episode, with its breakdown. Throws `RewardInputError` on unusable input. */
export function composite(input: CompositeInput): CompositeBreakdown {
  const stage = input.stage;
  if (!Object.hasOwn(STAGE_WEIGHTS, stage)) {
    throw new RewardInputError(`stage must be one of 1, 2, 3, 4 (curriculum stages of reward.yaml), got ${stage}.`);
  }
  const weights = STAGE_WEIGHTS[stage as Stage];
  checkUnit('outcome', input.outcome);
  checkUnit('behavioral', input.behavioral);
  const bonus = input.phaseBonus ?? 0;
  if (!Number.isFinite(bonus) || bonus < 0) {
    throw new RewardInputError(`phaseBonus must be a finite number >= 0, got ${bonus}. Compute it with phaseBonus(events).`);
  }
  const baselineActions = input.baselineActions ?? null;
  const efficiency = efficiencyTerms(input.actions, baselineActions, input.outcome);
  const outcomeTerm = weights.outcome * input.outcome;
  const behavioralTerm = weights.behavioral * input.behavioral;
  return {
    stage: stage as Stage,
    outcomeWeight: weights.outcome,
    behavioralWeight: weights.behavioral,
    outcome: input.outcome,
    behavioral: input.behavioral,
    outcomeTerm,
    behavioralTerm,
    actions: input.actions,
    baselineActions,
    efficiencyPenalty: efficiency.penalty,
    efficiencyBonus: efficiency.bonus,
    phaseBonus: bonus,
    total: outcomeTerm + behavioralTerm + efficiency.penalty + efficiency.bonus + bonus,
  };
}

function checkUnit(name: string, value: number): void {
  if (!(value >= 0 && value <= 1)) {
    throw new RewardInputError(`${name} must be in [0, 1], got ${value}. Normalize the ${name} score before combining.`);
  }
}
