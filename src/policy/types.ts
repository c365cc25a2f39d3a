/**
 * The policy interface: batched `act` over observations. Scripted personas, the built-in model and
 * language-model backends all sit behind it. A policy sees only observations: never hidden truth.
 */

import type { Action } from '../core/episode.js';
import type { Observation } from '../core/observation.js';

export interface PolicyInput {
  observation: Observation;
  /** Every legal concrete action now (for constrained decoding and random policies). */
  legalActions: Action[];
}

/** What a trainer needs to recompute a token-level decision's log-probability and value. */
export interface TokenDecision {
  /** Context token ids (the observation and the action marker). */
  context: number[];
  /** Generated action token ids. */
  tokens: number[];
  /** The token ids that were allowed at each generated position (constrained decoding). */
  allowed: number[][];
  logProbs: number[];
  value: number;
}

export interface PolicyOutput {
  /** An action object, or free text for the environment to parse. */
  action: Action | string;
  /** Trainable policies: the generated token ids, their log-probabilities and the value estimate. */
  tokenIds?: number[];
  logProbs?: number[];
  value?: number;
  decision?: TokenDecision;
}

export interface PolicyCapabilities {
  /** Produces token ids and log-probabilities and can be updated. */
  trainable: boolean;
}

export interface Policy {
  readonly name: string;
  readonly capabilities: PolicyCapabilities;
  act(inputs: readonly PolicyInput[]): Promise<PolicyOutput[]>;
}
