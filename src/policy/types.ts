/**
 * The policy interface: batched `act` over observations. Scripted personas, the built-in model and
 * language-model backends all sit behind it, and the one episode loop (`rollout/rollout.ts`) drives
 * every one of them. A policy sees only observations: never hidden truth.
 */
import type { Action } from '../core/episode.js';
import type { Observation, RenderMode } from '../core/observation.js';

export interface PolicyInput {
  observation: Observation;
  /** Every legal concrete action now; empty unless the policy declares `needsLegalActions`. */
  legalActions: Action[];
  /**
   * The episode's sampling key (default: its episode id). GRPO plays one scenario several times
   * under distinct keys, so that the repeats sample differently.
   */
  key?: string;
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
  /** Trainable policies: the decision's tokens, allowed sets, log-probabilities and value estimate. */
  decision?: TokenDecision;
}

/** Declared, never detected (STYLE.md item 9). */
export interface PolicyCapabilities {
  /** Produces token decisions with log-probabilities and can be updated. */
  trainable: boolean;
  /** The observation renderings the policy reads; the loop renders only these. */
  observes: readonly RenderMode[];
  /** Reads `legalActions`; the loop lists them only for policies that do. */
  needsLegalActions: boolean;
  /**
   * Answers many inputs at once faster than one by one (the built-in model's batched forward pass,
   * concurrent requests to a server): the loop then keeps every episode live at once by default.
   */
  batched: boolean;
}

export interface Policy {
  readonly name: string;
  readonly capabilities: PolicyCapabilities;
  /** One output per input, in order. */
  act(inputs: readonly PolicyInput[]): Promise<PolicyOutput[]>;
  /**
   * The same as `act`, synchronously, for policies that compute in-process (scripted personas, the
   * built-in model): lets synchronous callers and hot loops skip the promise per step.
   */
  actSync?(inputs: readonly PolicyInput[]): PolicyOutput[];
}
