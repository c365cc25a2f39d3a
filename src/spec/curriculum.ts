/**
 * Curriculum constants from `spec/curriculum.yaml`: the disturbance types and their default
 * per-sprint probabilities, the profile-swapping modes and the environment controls the
 * curriculum (not the candidate) may apply. `test/spec.test.ts` checks them against the YAML.
 */

/** Default probability per sprint of each disturbance type. */
export const DISTURBANCE_FREQUENCIES = {
  dependency_breaks: 0.166,
  production_incident: 0.125,
  flaky_test: 0.25,
  scope_creep: 0.2,
  junior_misunderstanding: 0.33,
  architectural_debt_surfaces: 0.166,
  merge_conflict: 0.3,
} as const;

export type DisturbanceType = keyof typeof DISTURBANCE_FREQUENCIES;
export const DISTURBANCE_TYPES = Object.keys(DISTURBANCE_FREQUENCIES) as DisturbanceType[];

/** Severity scale of B-13 (behaviors.yaml), lowest first. */
export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Blast-radius scale of B-13, narrowest first. */
export const BLAST_RADII = ['task', 'story', 'sprint'] as const;
export type BlastRadius = (typeof BLAST_RADII)[number];

/** Each severity's place on its scale (its index in `SEVERITIES`). */
export const SEVERITY_RANK: Record<Severity, number> = { low: 0, medium: 1, high: 2, critical: 3 };
/** Each blast radius's place on its scale (its index in `BLAST_RADII`). */
export const RADIUS_RANK: Record<BlastRadius, number> = { task: 0, story: 1, sprint: 2 };

export const PROFILE_SWAPPING_MODES = ['none', 'constrained', 'free'] as const;
export type ProfileSwappingMode = (typeof PROFILE_SWAPPING_MODES)[number];

/** Environment controls and their parameters. */
export const ENVIRONMENT_CONTROLS = {
  inject_disturbance: ['type', 'severity'],
  swap_agent_role: ['agent', 'target_role', 'proficiency'],
  modify_backlog: ['add or remove', 'story'],
  modify_team_composition: ['depart or backfill', 'agent'],
  adjust_sprint_params: ['duration', 'wip_limits'],
} as const;
export type EnvironmentControl = keyof typeof ENVIRONMENT_CONTROLS;

/** Which episode types each curriculum stage trains (curriculum.yaml names mapped to episode types). */
export const STAGE_EPISODE_TYPES = {
  1: ['elicitation', 'decomposition', 'implementation', 'self_monitoring', 'research'],
  2: ['triage', 'scope_change', 'recovery'],
  3: ['borrowing_arrival', 'cross_team_dependency'],
  4: ['knowledge_handoff', 'onboarding_support', 'compensation'],
} as const;

/** A curriculum stage. */
export type StageNumber = keyof typeof STAGE_EPISODE_TYPES;
