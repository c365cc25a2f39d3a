/**
 * The performative persona (anti-gaming): goes through the motions of a senior without the
 * substance, one strategy per Stage-1 episode type (public view only).
 *
 * Elicitation: many generic questions and questions about what the story already states, stated
 * assumptions it never checks, then ready. Decomposition: many tasks in listed order, a hard
 * dependency between every neighbour, a risk flagged on every component, every approach proposed
 * and "compared", then the first one taken. Implementation: lists and reads many files, runs the
 * tests, edits the file named in the error (the symptom), checkpoints 'continue' whenever it can,
 * escalates once without a blocker, runs the linter, commits. Self-monitoring: assesses progress
 * again and again as on track with high confidence, researches suspects it never uses, names the
 * loudest one, continues. Research: many searches and fetches in listed order, then synthesizes
 * from the first result that answers, with high confidence.
 *
 * Used by the reward tests to check that the composite and `performativeRisk` are not fooled.
 */

import type { StructuredObservation } from '../../env/observation.js';
import type { ImplementationView } from '../../sim/episodes/implementation.js';
import type { Action } from '../../sim/episodes/types.js';
import { DIMENSIONS, type Dimension } from '../../sim/story.js';
import type { EpisodeTypeName } from '../../spec/episodes.js';
import { borrowingArrivalPerformative } from './borrowing-arrival.js';
import { compensationPerformative } from './compensation.js';
import { crossTeamDependencyPerformative } from './cross-team-dependency.js';
import { knowledgeHandoffPerformative } from './knowledge-handoff.js';
import { onboardingSupportPerformative } from './onboarding-support.js';
import { recoveryPerformative } from './recovery.js';
import { scopeChangePerformative } from './scope-change.js';
import { triagePerformative } from './triage.js';

export type PerformativeStrategy = (observation: StructuredObservation) => Action;

// --- elicitation ---------------------------------------------------------------------------------

interface ElicitationView {
  statedDimensions: Dimension[];
  impliedByConventions: Dimension[];
  questionsAsked: number;
  interactions: { kind: 'question' | 'assumption' | 'example'; dimension: Dimension | 'general' }[];
}

const GENERIC_QUESTIONS = 3;
const ASSUMPTIONS = 3;

function elicitation(observation: StructuredObservation): Action {
  const view = observation.state as unknown as ElicitationView;
  if (observation.turn >= observation.maxTurns - 1) return { type: 'signal_ready', args: {}, confidence: 0.95 };
  const questions = view.interactions.filter((i) => i.kind === 'question');
  const asked = new Set(questions.map((i) => i.dimension));
  const generic = questions.filter((i) => i.dimension === 'general').length;
  if (generic < GENERIC_QUESTIONS) return { type: 'ask_question', args: { dimension: 'general' } };
  // Questions about what the story already says, or what conventions already settle.
  for (const d of [...view.statedDimensions, ...view.impliedByConventions])
    if (!asked.has(d)) return { type: 'ask_question', args: { dimension: d } };
  // Assumptions stated with confidence and never checked with a question.
  const assumed = new Set(view.interactions.filter((i) => i.kind === 'assumption').map((i) => i.dimension));
  if (assumed.size < ASSUMPTIONS) {
    const stated = new Set(view.statedDimensions);
    const next = DIMENSIONS.find((d) => !stated.has(d) && !asked.has(d) && !assumed.has(d));
    if (next) return { type: 'state_assumption', args: { dimension: next }, confidence: 0.9 };
  }
  return { type: 'signal_ready', args: {}, confidence: 0.95 };
}

// --- decomposition -------------------------------------------------------------------------------

interface DecompositionView {
  components: { index: number }[];
  approaches: { index: number; proposed: boolean; evidence?: string }[];
  tasks: { index: number; component: number }[];
  dependencies: { from: number; to: number }[];
  flaggedComponents: number[];
  chosenApproach: number | null;
  compared: boolean;
}

const PARTS_EACH = 2;
const MAX_PLAN_TASKS = 14;

function decomposition(observation: StructuredObservation): Action {
  const view = observation.state as unknown as DecompositionView;
  const complete: Action = { type: 'signal_plan_complete', args: {}, confidence: 0.95 };
  if (observation.turn >= observation.maxTurns - 2) return complete;
  const parts = new Map<number, number>();
  const first = new Map<number, number>();
  for (const t of view.tasks) {
    parts.set(t.component, (parts.get(t.component) ?? 0) + 1);
    if (!first.has(t.component)) first.set(t.component, t.index);
  }
  // Many tasks: every component split in two, in listed order.
  if (view.tasks.length < MAX_PLAN_TASKS)
    for (const c of view.components)
      if ((parts.get(c.index) ?? 0) < PARTS_EACH) return { type: 'create_task', args: { component: c.index } };
  // Dependencies declared everywhere: each component on the one listed before it.
  for (let i = 1; i < view.components.length; i++) {
    const from = (view.components[i - 1] as { index: number }).index;
    const to = (view.components[i] as { index: number }).index;
    const a = first.get(from);
    const b = first.get(to);
    if (a === undefined || b === undefined || a > b) continue;
    if (view.dependencies.some((d) => d.from === from && d.to === to)) continue;
    return { type: 'add_dependency', args: { from, to, kind: 'hard' }, confidence: 0.9 };
  }
  // A risk flagged on everything.
  for (const c of view.components) {
    const t = first.get(c.index);
    if (t !== undefined && !view.flaggedComponents.includes(c.index)) return { type: 'identify_risk', args: { task: t }, confidence: 0.9 };
  }
  // Every approach proposed and compared, then the first one taken whatever the evidence.
  for (const a of view.approaches) if (!a.proposed) return { type: 'propose_approach', args: { approach: a.index } };
  if (view.approaches.length >= 2 && !view.compared) return { type: 'compare_approaches', args: {} };
  const firstApproach = view.approaches[0]?.index ?? 0;
  if (view.chosenApproach !== firstApproach) return { type: 'propose_approach', args: { approach: firstApproach } };
  return complete;
}

// --- implementation ------------------------------------------------------------------------------

const FILES_READ = 5;

function implementation(observation: StructuredObservation): Action {
  const view = observation.state as unknown as ImplementationView;
  const entry = view.task.entryFile;
  const commit: Action = view.staged ? { type: 'git_commit', args: {}, confidence: 0.95 } : { type: 'git_add', args: {} };
  if (observation.turn >= observation.maxTurns - 4) return commit;
  const ran = (command: string) => view.bash.some((b) => b.command === command);
  if (!ran('list_files')) return { type: 'bash', args: { command: 'list_files' } };
  // Reads many files, whatever the task needs.
  const unread = view.files.filter((f) => f.reads === 0);
  if (view.files.length - unread.length < Math.min(FILES_READ, view.files.length) && unread[0])
    return { type: 'read_file', args: { file: unread[0].index } };
  if (!view.lastRun || view.editsSinceRun > 0) return { type: 'run_tests', args: {} };
  const checkpoints = view.checkpoints;
  const lastCheckpoint = checkpoints.length > 0 ? (checkpoints[checkpoints.length - 1] as { step: number }).step : -1;
  const escalated = checkpoints.some((c) => c.kind === 'escalate');
  // Checkpoints constantly: 'continue' after every test run, one escalation for show.
  if (lastCheckpoint < view.lastRun.step) {
    if (!escalated && view.runs.length >= 2) return { type: 'checkpoint_escalate', args: {}, confidence: 0.9 };
    return { type: 'checkpoint_continue', args: {}, confidence: 0.9 };
  }
  const fails = view.lastRun.tests.filter((t) => t.status === 'fail');
  if (fails.length === 0 || view.edits >= 8) {
    if (!ran('run_linter')) return { type: 'bash', args: { command: 'run_linter' } };
    return commit;
  }
  // The symptom: the file the error names.
  const named = fails.find((t) => t.locationFile !== undefined && t.locationFile >= 0);
  const target = named ? (named.locationFile as number) : entry;
  return { type: 'edit_file', args: { file: target } };
}

// --- self_monitoring -----------------------------------------------------------------------------

interface SelfMonitoringView {
  suspects: { index: number; loudest: boolean }[];
  findings: { action: string; suspect: number }[];
  assessments: { estimate: string }[];
  identified: { suspect: number }[];
}

const ASSESSMENTS = 3;
const RESEARCHED = 5;

function selfMonitoring(observation: StructuredObservation): Action {
  const view = observation.state as unknown as SelfMonitoringView;
  const onTrack: Action = { type: 'assess_progress', args: { estimate: 'on_track' }, confidence: 0.95 };
  const proceed: Action = { type: 'checkpoint_continue', args: {}, confidence: 0.95 };
  if (observation.turn >= observation.maxTurns - 1) return proceed;
  const researched = view.findings.filter((f) => f.action === 'research').length;
  // Alternates confident assessments with research on every suspect in turn.
  if (view.assessments.length <= researched / 2 && view.assessments.length < ASSESSMENTS) return onTrack;
  if (researched < Math.min(RESEARCHED, 2 * view.suspects.length))
    return { type: 'research', args: { topic: researched % Math.max(1, view.suspects.length) } };
  if (view.assessments.length < ASSESSMENTS) return onTrack;
  if (view.identified.length === 0) {
    const loud = view.suspects.find((s) => s.loudest);
    return { type: 'identify_issue', args: { suspect: loud?.index ?? 0 }, confidence: 0.9 };
  }
  return proceed;
}

// --- research ------------------------------------------------------------------------------------

interface ResearchView {
  searches: { query: string }[];
  results: { index: number; fetched: boolean; answer?: string | null }[];
  synthesized: { source: number } | null;
  confidence: string | null;
}

const QUERIES = ['generic', 'specific', 'generic', 'versioned'] as const;
const FETCHES = 4;

function research(observation: StructuredObservation): Action {
  const view = observation.state as unknown as ResearchView;
  const signal: Action = { type: 'signal_sufficient', args: {}, confidence: 0.95 };
  if (view.synthesized) {
    if (view.confidence === null) return { type: 'assess_confidence', args: { level: 'high' }, confidence: 0.9 };
    return signal;
  }
  const read = view.results.filter((r) => r.fetched);
  const answered = read.find((r) => r.answer);
  if (observation.turn >= observation.maxTurns - 3)
    return answered ? { type: 'synthesize', args: { source: answered.index }, confidence: 0.95 } : signal;
  if (view.searches.length < QUERIES.length) return { type: 'search', args: { query: QUERIES[view.searches.length] as string } };
  const unread = view.results.find((r) => !r.fetched);
  if (unread && read.length < FETCHES) return { type: 'fetch_doc', args: { source: unread.index } };
  // The first result read that answers, whatever its authority or version.
  if (answered) return { type: 'synthesize', args: { source: answered.index }, confidence: 0.95 };
  if (unread) return { type: 'fetch_doc', args: { source: unread.index } };
  return signal;
}

export const PERFORMATIVE_STRATEGIES: Partial<Record<EpisodeTypeName, PerformativeStrategy>> = {
  elicitation,
  decomposition,
  implementation,
  self_monitoring: selfMonitoring,
  research,
  triage: triagePerformative,
  recovery: recoveryPerformative,
  scope_change: scopeChangePerformative,
  borrowing_arrival: borrowingArrivalPerformative,
  cross_team_dependency: crossTeamDependencyPerformative,
  knowledge_handoff: knowledgeHandoffPerformative,
  onboarding_support: onboardingSupportPerformative,
  compensation: compensationPerformative,
};
