/**
 * The behavior scorer: all 30 codes for one trace. Each episode type's module scores the codes it
 * trains; every other code comes back not applicable (`score: null`). The episode's behavioral
 * score is the mean of its applicable episode-scope codes (the cross-episode codes B-27..B-30 are
 * applied over a window of episodes, not here).
 */
import type { Trace } from '../../env/trace.js';
import { BEHAVIOR_CODES, BEHAVIORS, type BehaviorCode } from '../../spec/behaviors.js';
import type { EpisodeTypeName } from '../../spec/episodes.js';
import { scoreBorrowingArrival } from './borrowing-arrival.js';
import { scoreCompensation } from './compensation.js';
import { scoreCrossTeamDependency } from './cross-team-dependency.js';
import { scoreDecomposition } from './decomposition.js';
import { scoreElicitation } from './elicitation.js';
import { scoreImplementation } from './implementation.js';
import { scoreKnowledgeHandoff } from './knowledge-handoff.js';
import { scoreOnboardingSupport } from './onboarding-support.js';
import { scoreRecovery } from './recovery.js';
import { scoreResearch } from './research.js';
import { scoreScopeChange } from './scope-change.js';
import { scoreSelfMonitoring } from './self-monitoring.js';
import { scoreTriage } from './triage.js';
import type { CodeScore, ScoreContext, TypeScorer } from './types.js';

const SCORERS: Partial<Record<EpisodeTypeName, TypeScorer>> = {
  elicitation: scoreElicitation,
  decomposition: scoreDecomposition,
  implementation: scoreImplementation,
  self_monitoring: scoreSelfMonitoring,
  research: scoreResearch,
  triage: scoreTriage,
  recovery: scoreRecovery,
  scope_change: scoreScopeChange,
  borrowing_arrival: scoreBorrowingArrival,
  cross_team_dependency: scoreCrossTeamDependency,
  knowledge_handoff: scoreKnowledgeHandoff,
  onboarding_support: scoreOnboardingSupport,
  compensation: scoreCompensation,
};

export interface BehaviorScores {
  codes: Record<BehaviorCode, CodeScore>;
  /** Mean of the applicable episode-scope code scores, in [0, 1]; null when none applies. */
  behavioral: number | null;
}

export function scoreBehaviors(trace: Trace, context: ScoreContext = {}): BehaviorScores {
  const scorer = SCORERS[trace.type as EpisodeTypeName];
  const scored = new Map((scorer ? scorer(trace, context) : []).map((s) => [s.code, s]));
  const codes = {} as Record<BehaviorCode, CodeScore>;
  let total = 0;
  let count = 0;
  for (const code of BEHAVIOR_CODES) {
    const s = scored.get(code) ?? {
      code,
      score: null,
      evidence: { decisionIds: [], reason: `not applicable to ${trace.type}` },
      signals: [],
    };
    codes[code] = s;
    if (s.score !== null && BEHAVIORS[code].scope === 'episode') {
      total += s.score;
      count++;
    }
  }
  return { codes, behavioral: count > 0 ? total / count : null };
}
