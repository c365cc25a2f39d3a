/**
 * Decision traces: one JSON line per episode, schema `dojo.trace/1` (documented in docs/traces.md).
 */

import type { OutcomeComponents } from '../spec/reward.js';
import type { Action, DecisionLink, OutcomeFacts } from './episode.js';

export const TRACE_SCHEMA = 'dojo.trace/1';

export interface DecisionRecord {
  /** Stable id: `<episodeId>/d<step>`. */
  id: string;
  step: number;
  /** FNV-1a hash (hex) of the structured observation the candidate acted on. */
  observationDigest: string;
  action: Action;
  valid: boolean;
  /** Why the action was rejected (invalid actions only). */
  error?: string;
  /** The world's reply (valid actions only). */
  response?: string;
  /** Outcomes this decision caused, filled in at episode end. */
  links: Omit<DecisionLink, 'step'>[];
}

/** One episode's trace; `Facts` and `Hidden` are the episode type's outcome facts and hidden truth. */
export interface Trace<Facts extends OutcomeFacts = OutcomeFacts, Hidden = Record<string, unknown>> {
  schema: typeof TRACE_SCHEMA;
  episodeId: string;
  type: string;
  typeId: string;
  stage: number;
  seed: number;
  options: Record<string, unknown>;
  policy: string;
  decisions: DecisionRecord[];
  terminated: boolean;
  truncated: boolean;
  turns: number;
  invalidActions: number;
  outcome: Facts;
  reward: {
    /** Outcome reward in [0, 1]: the weighted six components of reward.yaml. */
    outcome: number;
    components: OutcomeComponents;
    /** Sum of invalid-action penalties (<= 0). */
    invalidPenalty: number;
  };
  /** Links not tied to one decision (step -1). */
  episodeLinks: Omit<DecisionLink, 'step'>[];
  /** The hidden ground truth, revealed after the episode for scoring and analysis. */
  hidden: Hidden;
}
