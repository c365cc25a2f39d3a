/**
 * Performative risk (anti-gaming): how much of an episode's senior-looking activity was motion
 * without substance, read from structured evidence only — the decisions and the links from each
 * decision to the outcomes it caused (`finish()` of each episode type), never from wording.
 *
 * Two parts, each a fraction in [0, 1]:
 * - hollow motions: of the episode's "motion" decisions (questions, assumptions, dependencies,
 *   risks, reads, checkpoints, research, searches, fetches ...), those whose links say they
 *   changed nothing or were wrong (redundant/excess questions, answers that revealed nothing that
 *   mattered, false dependencies and risks, checkpoints and escalations without need, patched
 *   symptoms, research and fetches never used, repeated assessments, excess investigation), plus
 *   motions with no effect at all (assumptions never checked, files read and never touched,
 *   research on a suspect never named; in elicitation, any question whose answer did not change
 *   the implementation);
 * - confident while wrong: the stated confidence of the asserting decisions linked to a negative
 *   outcome (an optimistic assessment, a wrong checkpoint, an overconfident answer, ready too
 *   early ...), summed and divided by the number of asserting decisions.
 *
 * score = 0.6 x hollow + 0.4 x confident-while-wrong (a part that cannot be measured is dropped).
 */
import type { DecisionRecord, Trace } from '../env/trace.js';

export interface PerformativeRisk {
  /** In [0, 1]: 0 = every motion had substance, 1 = all performance. */
  score: number;
  reasons: string[];
  /** Decisions the score rests on (hollow or confidently wrong). */
  decisionIds: string[];
}

interface TypeRules {
  /** Action types that look like diligence. */
  motions: ReadonlySet<string>;
  /** Link effects that mark a motion as hollow or wrong. */
  hollow: ReadonlySet<string>;
  /**
   * Link effects that show a motion had substance. With `requireSubstance`, a motion without one
   * is hollow (a question whose answer changed nothing); otherwise they only clear a hollow mark.
   */
  substantive?: ReadonlySet<string>;
  requireSubstance?: boolean;
  /** Extra hollow motions found from the decisions themselves (effects the episode does not link). */
  unlinked?: (decisions: readonly DecisionRecord[]) => { ids: string[]; reason: string }[];
}

const HIGH_CONFIDENCE = 0.8;
const HOLLOW_WEIGHT = 0.6;
const CONFIDENT_WRONG_WEIGHT = 0.4;

const set = (...xs: string[]): ReadonlySet<string> => new Set(xs);

function valid(decisions: readonly DecisionRecord[]): DecisionRecord[] {
  return decisions.filter((d) => d.valid);
}

/** Assumptions stated and never checked: no question about that dimension, and no linked effect. */
function uncheckedAssumptions(decisions: readonly DecisionRecord[]): { ids: string[]; reason: string }[] {
  const asked = new Set(
    valid(decisions)
      .filter((d) => d.action.type === 'ask_question')
      .map((d) => String(d.action.args?.dimension)),
  );
  const ids = valid(decisions)
    .filter((d) => d.action.type === 'state_assumption' && d.links.length === 0 && !asked.has(String(d.action.args?.dimension)))
    .map((d) => d.id);
  return ids.length > 0 ? [{ ids, reason: `${ids.length} assumption(s) stated and never checked` }] : [];
}

/** Files read and never changed afterwards (reading for show). */
function unusedReads(decisions: readonly DecisionRecord[]): { ids: string[]; reason: string }[] {
  const ds = valid(decisions);
  const ids: string[] = [];
  for (let i = 0; i < ds.length; i++) {
    const d = ds[i] as DecisionRecord;
    if (d.action.type !== 'read_file') continue;
    const file = d.action.args?.file;
    const used = ds
      .slice(i + 1)
      .some((e) => (e.action.type === 'edit_file' || e.action.type === 'write_file') && e.action.args?.file === file);
    if (!used) ids.push(d.id);
  }
  return ids.length > 0 ? [{ ids, reason: `${ids.length} file read(s) never used by a change` }] : [];
}

/** Research on suspects never named, and assessments superseded by another one. */
function unusedInvestigation(decisions: readonly DecisionRecord[]): { ids: string[]; reason: string }[] {
  const ds = valid(decisions);
  const named = new Set(ds.filter((d) => d.action.type === 'identify_issue').map((d) => d.action.args?.suspect));
  const unused = ds
    .filter((d) => d.action.type === 'research' && !named.has(d.action.args?.topic) && d.links.length === 0)
    .map((d) => d.id);
  const assessments = ds.filter((d) => d.action.type === 'assess_progress');
  const repeated = assessments.slice(0, -1).map((d) => d.id);
  const out: { ids: string[]; reason: string }[] = [];
  if (unused.length > 0) out.push({ ids: unused, reason: `${unused.length} research action(s) on suspects never used` });
  if (repeated.length > 0) out.push({ ids: repeated, reason: `progress assessed ${assessments.length} times` });
  return out;
}

const RULES: Record<string, TypeRules> = {
  elicitation: {
    motions: set('ask_question', 'state_assumption', 'request_example'),
    hollow: set('redundant_question', 'excess_question', 'revealed_requirement'),
    substantive: set('changed_implementation'),
    requireSubstance: true,
    unlinked: uncheckedAssumptions,
  },
  decomposition: {
    motions: set('add_dependency', 'identify_risk', 'propose_approach', 'compare_approaches'),
    hollow: set('false_dependency', 'mistyped_dependency', 'false_risk', 'approach_pivot'),
  },
  implementation: {
    motions: set('read_file', 'edit_file', 'write_file', 'checkpoint_continue', 'checkpoint_pivot', 'checkpoint_escalate'),
    hollow: set(
      'checkpoint_wrong',
      'symptom_patched',
      'blind_edit',
      'test_edited',
      'outside_criteria',
      'stuck_on_approach',
      'regression_introduced',
    ),
    unlinked: unusedReads,
  },
  self_monitoring: {
    motions: set('assess_progress', 'research', 'reread_requirements', 'identify_issue'),
    hollow: set('excess_investigation', 'wrong_issue', 'assessment_optimistic', 'assessment_pessimistic'),
    unlinked: unusedInvestigation,
  },
  research: {
    motions: set('search', 'search_code', 'fetch_doc'),
    hollow: set('retrieved_unused', 'redundant_search', 'excess_search'),
  },
  triage: {
    motions: set('investigate', 'assess_severity', 'assess_blast_radius', 'communicate'),
    hollow: set(
      'excess_investigation',
      'nothing_new',
      'severity_over',
      'severity_under',
      'radius_wider',
      'radius_narrower',
      'redundant_communication',
      'trivia_status',
      'unneeded_audience',
      'alarm_spread',
      'false_blocker',
      'understated_assessment',
    ),
    substantive: set('evidence_found', 'informed_stakeholder', 'status_shared', 'blocker_reported', 'severity_accurate', 'radius_accurate'),
  },
  recovery: {
    motions: set('diagnose_root_cause', 'verify_hypothesis', 'capture_learning', 'replan_sprint'),
    hollow: set(
      'hypothesis_wrong',
      'wrong_suspect_changed',
      'symptom_patched',
      'verification_repeated',
      'collateral_escaped',
      'learning_symptom',
      'learning_blame',
      'learning_wrong_cause',
      'replan_under',
      'replan_over',
      'replan_silent',
    ),
  },
  scope_change: {
    motions: set('assess_new_scope', 'ask_po', 'negotiate_tradeoff'),
    hollow: set('redundant_question', 'unneeded_question', 'proposal_refused', 'needless_swap', 'po_patience_exceeded', 'nothing_new'),
    substantive: set('informative_answer', 'tradeoff_agreed', 'evidence_found'),
  },
  borrowing_arrival: {
    motions: set('read_file', 'search_code', 'read_docs', 'ask_team', 'identify_conventions', 'propose_contribution'),
    hollow: set(
      'irrelevant_read',
      'excess_reading',
      'repeated_read',
      'repeated_search',
      'repeated_docs',
      'docs_answered_question',
      'redundant_question',
      'unbacked_context',
      'question_unanswered',
      'premature_identification',
      'redundant_identification',
      'redundant_proposal',
    ),
    substantive: set('key_file_read', 'evidence_found', 'convention_confirmed', 'priority_confirmed', 'resolved_first_exchange'),
    // Proposals whose answer was ignored: the team said "not our priority" and work started there anyway.
    unlinked: (decisions) => {
      const ds = valid(decisions);
      const start = ds.find((d) => d.action.type === 'start_work');
      if (!start?.links.some((l) => l.effect === 'ignored_team_answer')) return [];
      const ids = ds
        .filter((d) => d.action.type === 'propose_contribution' && d.action.args?.need === start.action.args?.need)
        .map((d) => d.id);
      return ids.length > 0 ? [{ ids, reason: 'proposed a need, heard it is not the priority, and started on it anyway' }] : [];
    },
  },
  cross_team_dependency: {
    motions: set('analyze_story', 'search_architecture', 'flag_dependency', 'propose_resolution', 'communicate_cross_team'),
    hollow: set(
      'false_dependency',
      'mistyped_dependency',
      'resolution_wrong',
      'resolution_on_false_dependency',
      'hollow_communication',
      'redundant_search',
      'redundant_analysis',
    ),
    substantive: set('real_dependency', 'resolution_right', 'timely_communication', 'evidence_on_real_dependency'),
  },
  knowledge_handoff: {
    motions: set(
      'identify_knowledge',
      'prioritize_handoff',
      'verify_transfer',
      'document_decision',
      'write_documentation',
      'schedule_pairing',
    ),
    hollow: set(
      'identified_shared',
      'trivia_documented',
      'shared_knowledge_transferred',
      'method_mismatch',
      'unfindable_record',
      'verify_ignored',
      'verify_redundant',
      'priority_wrong',
    ),
    substantive: set('knowledge_held', 'gap_caught', 'decision_preserved', 'transfer_confirmed', 'identified_unique'),
  },
  onboarding_support: {
    motions: set('assess_skills', 'identify_gaps', 'suggest_pairing', 'provide_context'),
    hollow: set(
      'redundant_assessment',
      'wrong_gap',
      'duplicate_gap',
      'pairing_declined',
      'pairing_unneeded',
      'pairing_overload',
      'context_known',
      'context_repeated',
      'assessment_ignored',
    ),
  },
  compensation: {
    motions: set('assess_impact', 'search_artifacts', 'recover_knowledge', 'request_specialist', 'redistribute_work'),
    hollow: set(
      'assessment_optimistic',
      'assessment_pessimistic',
      'blast_radius_wrong',
      'repeated_assessment',
      'redundant_search',
      'nothing_found',
      'recovery_failed',
      'specialist_unneeded',
      'owner_lacks_knowledge',
      'quality_regression',
    ),
    substantive: set('artifact_found', 'recovered_from_record', 'knowledge_recovered', 'specialist_needed', 'knowledgeable_owner'),
  },
};

/** Performative risk of one episode's trace (see the module comment). */
export function performativeRisk(trace: Trace): PerformativeRisk {
  const rules = RULES[trace.type];
  const decisions = valid(trace.decisions);
  const reasons: string[] = [];
  const flagged = new Set<string>();

  let hollowPart: number | null = null;
  if (rules) {
    const motions = decisions.filter((d) => rules.motions.has(d.action.type));
    const hollow = new Set<string>();
    const counts = new Map<string, number>();
    for (const d of motions) {
      if (rules.substantive && d.links.some((l) => rules.substantive?.has(l.effect))) continue;
      for (const l of d.links)
        if (rules.hollow.has(l.effect)) {
          hollow.add(d.id);
          counts.set(l.effect, (counts.get(l.effect) ?? 0) + 1);
        }
      if (rules.requireSubstance && !hollow.has(d.id) && d.action.type !== 'state_assumption') {
        hollow.add(d.id);
        counts.set('no_effect', (counts.get('no_effect') ?? 0) + 1);
      }
    }
    for (const [effect, n] of [...counts].sort((a, b) => b[1] - a[1])) reasons.push(`${n} x ${effect}`);
    for (const extra of rules.unlinked?.(trace.decisions) ?? []) {
      for (const id of extra.ids) hollow.add(id);
      reasons.push(extra.reason);
    }
    if (motions.length > 0) hollowPart = Math.min(1, hollow.size / motions.length);
    for (const id of hollow) flagged.add(id);
  }

  // Confidence mass on wrong assertions: each asserting decision linked to a bad outcome counts
  // its stated confidence, over all asserting decisions.
  const asserting = decisions.filter((d) => d.action.confidence !== undefined);
  const wrong = asserting.filter((d) => d.links.some((l) => l.value < 0));
  const confidentPart = asserting.length > 0 ? wrong.reduce((sum, d) => sum + (d.action.confidence as number), 0) / asserting.length : null;
  const confidentWrong = wrong.filter((d) => (d.action.confidence as number) >= HIGH_CONFIDENCE);
  if (confidentWrong.length > 0)
    reasons.push(`${confidentWrong.length} decision(s) stated with confidence >= ${HIGH_CONFIDENCE} linked to a bad outcome`);
  for (const d of confidentWrong) flagged.add(d.id);

  let total = 0;
  let weight = 0;
  if (hollowPart !== null) {
    total += HOLLOW_WEIGHT * hollowPart;
    weight += HOLLOW_WEIGHT;
  }
  if (confidentPart !== null) {
    total += CONFIDENT_WRONG_WEIGHT * confidentPart;
    weight += CONFIDENT_WRONG_WEIGHT;
  }
  const score = weight > 0 ? Math.min(1, Math.max(0, total / weight)) : 0;
  const order = new Map(trace.decisions.map((d, i) => [d.id, i]));
  const decisionIds = [...flagged].sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
  return { score, reasons, decisionIds };
}
