/**
 * Episode types, their action vocabularies and lengths, from `spec/episodes.yaml`.
 * These names are part of the public API: traces, CLI flags and the compact vocabulary use them.
 * `test/spec.test.ts` checks this file against the YAML when `../shared/spec` is present.
 */
export const EPISODE_SPECS = {
  elicitation: {
    id: 'E-1.1',
    stage: 1,
    length: { actions: [5, 15], minutes: 2 },
    actions: ['ask_question', 'state_assumption', 'request_example', 'signal_ready'],
    trains: ['B-01', 'B-02', 'B-03', 'B-04'],
  },
  decomposition: {
    id: 'E-1.2',
    stage: 1,
    length: { actions: [8, 20], minutes: 3 },
    actions: ['create_task', 'add_dependency', 'identify_risk', 'propose_approach', 'compare_approaches', 'signal_plan_complete'],
    trains: ['B-05', 'B-06', 'B-07', 'B-08'],
  },
  implementation: {
    id: 'E-1.3',
    stage: 1,
    length: { actions: [20, 50], minutes: 10 },
    actions: [
      'read_file',
      'write_file',
      'edit_file',
      'run_tests',
      'bash',
      'git_add',
      'git_commit',
      'checkpoint_continue',
      'checkpoint_pivot',
      'checkpoint_escalate',
    ],
    trains: ['B-09', 'B-10', 'B-11', 'B-25', 'B-26'],
  },
  self_monitoring: {
    id: 'E-1.4',
    stage: 1,
    length: { actions: [5, 15], minutes: 3 },
    actions: [
      'assess_progress',
      'identify_issue',
      'checkpoint_continue',
      'checkpoint_pivot',
      'checkpoint_escalate',
      'research',
      'reread_requirements',
    ],
    trains: ['B-09', 'B-10', 'B-12', 'B-30'],
  },
  research: {
    id: 'E-1.5',
    stage: 1,
    length: { actions: [5, 15], minutes: 3 },
    actions: ['search', 'fetch_doc', 'search_code', 'synthesize', 'assess_confidence', 'signal_sufficient'],
    trains: ['B-16', 'B-17', 'B-04'],
  },
  triage: {
    id: 'E-2.1',
    stage: 2,
    length: { actions: [5, 15], minutes: 3 },
    actions: [
      'assess_severity',
      'assess_blast_radius',
      'respond_fix_now',
      'respond_defer',
      'respond_escalate',
      'communicate',
      'investigate',
    ],
    trains: ['B-13', 'B-14', 'B-21'],
  },
  recovery: {
    id: 'E-2.2',
    stage: 2,
    length: { actions: [10, 25], minutes: 5 },
    actions: ['diagnose_root_cause', 'verify_hypothesis', 'replan_sprint', 'capture_learning'],
    trains: ['B-10', 'B-11', 'B-14', 'B-15'],
  },
  scope_change: {
    id: 'E-2.3',
    stage: 2,
    length: { actions: [5, 15], minutes: 3 },
    actions: ['assess_new_scope', 'negotiate_tradeoff', 'accept_scope', 'defer_scope', 'ask_po'],
    trains: ['B-02', 'B-13', 'B-14', 'B-25'],
  },
  borrowing_arrival: {
    id: 'E-3.1',
    stage: 3,
    length: { actions: [10, 25], minutes: 5 },
    actions: ['read_file', 'search_code', 'ask_team', 'read_docs', 'identify_conventions', 'propose_contribution', 'start_work'],
    trains: ['B-18', 'B-19', 'B-20', 'B-22'],
  },
  cross_team_dependency: {
    id: 'E-3.2',
    stage: 3,
    length: { actions: [5, 15], minutes: 3 },
    actions: ['analyze_story', 'search_architecture', 'flag_dependency', 'propose_resolution', 'communicate_cross_team', 'proceed_without'],
    trains: ['B-06', 'B-03', 'B-21'],
  },
  knowledge_handoff: {
    id: 'E-4.1',
    stage: 4,
    length: { actions: [10, 20], minutes: 5 },
    actions: [
      'identify_knowledge',
      'document_decision',
      'schedule_pairing',
      'write_documentation',
      'prioritize_handoff',
      'verify_transfer',
    ],
    trains: ['B-23', 'B-24'],
  },
  onboarding_support: {
    id: 'E-4.2',
    stage: 4,
    length: { actions: [10, 20], minutes: 5 },
    actions: ['assess_skills', 'identify_gaps', 'suggest_pairing', 'provide_context', 'assign_starter_task', 'adjust_sprint'],
    trains: ['B-20', 'B-07', 'B-22'],
  },
  compensation: {
    id: 'E-4.3',
    stage: 4,
    length: { actions: [10, 20], minutes: 5 },
    actions: ['assess_impact', 'search_artifacts', 'recover_knowledge', 'adjust_commitment', 'request_specialist', 'redistribute_work'],
    trains: ['B-10', 'B-12', 'B-13', 'B-14'],
  },
} as const;

export type EpisodeTypeName = keyof typeof EPISODE_SPECS;

/** One episode type's entry of episodes.yaml: its id, stage, length, action vocabulary and the codes it trains. */
export interface EpisodeSpecEntry {
  id: string;
  stage: 1 | 2 | 3 | 4;
  length: { actions: readonly [number, number]; minutes: number };
  actions: readonly string[];
  trains: readonly string[];
}
export const EPISODE_TYPE_NAMES = Object.keys(EPISODE_SPECS) as EpisodeTypeName[];

/** The diversity dimensions of generated scenarios (`diversity:` in episodes.yaml). */
export const DOMAINS = ['crud_api', 'data_pipeline', 'ml_service', 'frontend_spa', 'cli_tool', 'library', 'infrastructure'] as const;
export type Domain = (typeof DOMAINS)[number];

export const LANGUAGES = ['python', 'typescript', 'go', 'rust'] as const;
export type Language = (typeof LANGUAGES)[number];

export const STORY_POINTS = [1, 2, 3, 5, 8] as const;
export type StoryPoints = (typeof STORY_POINTS)[number];

export const CODEBASES = ['greenfield', 'small_brownfield', 'large_brownfield'] as const;
export type Codebase = (typeof CODEBASES)[number];

export const TECHNICAL_DEBT = ['clean', 'some', 'legacy_with_known_issues'] as const;
export type TechnicalDebt = (typeof TECHNICAL_DEBT)[number];

export const SPRINT_DAYS = ['early', 'mid', 'late'] as const;
export type SprintDay = (typeof SPRINT_DAYS)[number];

/** Ambiguity range of generated stories: 0.1 (fully specified) .. 0.9 (one-line description). */
export const AMBIGUITY_RANGE = [0.1, 0.9] as const;

export const DIFFICULTIES = ['easy', 'medium', 'hard'] as const;
export type Difficulty = (typeof DIFFICULTIES)[number];
