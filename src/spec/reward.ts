/** Reward weights from `spec/reward.yaml`. */

/** Weights of the six outcome components; they sum to 1. */
export const OUTCOME_WEIGHTS = {
  story_accepted: 0.3,
  tests_passing: 0.2,
  low_iteration_count: 0.15,
  velocity_maintained: 0.15,
  low_rework: 0.1,
  coverage_threshold: 0.1,
} as const;
export type OutcomeComponent = keyof typeof OUTCOME_WEIGHTS;
export const OUTCOME_COMPONENTS = Object.keys(OUTCOME_WEIGHTS) as OutcomeComponent[];
export type OutcomeComponents = Record<OutcomeComponent, number>;

/** Outcome / behavioral weight per curriculum stage. */
export const STAGE_WEIGHTS = {
  1: { outcome: 0.3, behavioral: 0.7 },
  2: { outcome: 0.4, behavioral: 0.6 },
  3: { outcome: 0.5, behavioral: 0.5 },
  4: { outcome: 0.6, behavioral: 0.4 },
} as const;

/** Sparse bonuses for a correct phase transition. */
export const PHASE_BONUS = {
  elicitation_to_planning: 0.1,
  planning_to_execution: 0.1,
  checkpoint_continue: 0.05,
  checkpoint_pivot: 0.15,
  checkpoint_escalate: 0.1,
} as const;

/**
 * Per-code weights of reward.yaml's B-25_B-26 signal group (acceptance_criteria_coverage,
 * excess_work_penalty, core_first): their mean is the YAML's 0.35 / 0.30 / 0.35; B-25 (scope
 * discipline) leans on coverage and excess work, B-26 on doing the core first. Used by the
 * implementation and scope_change scorers.
 */
export const SCOPING_WEIGHTS = {
  'B-25': { acceptance_criteria_coverage: 0.4, excess_work_penalty: 0.5, core_first: 0.1 },
  'B-26': { acceptance_criteria_coverage: 0.3, excess_work_penalty: 0.1, core_first: 0.6 },
} as const;
