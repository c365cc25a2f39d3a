/**
 * The contract between an episode type's world and the environment.
 *
 * An episode world (`EpisodeWorld`) creates episodes (`Episode`) from a seeded generator and scenario
 * options. Each episode holds hidden ground truth, answers the candidate's actions from that truth,
 * and at the end simulates the downstream consequences of what the candidate did (implementation,
 * review, effect on the sprint), returning outcome facts, the six outcome components of
 * `spec/reward.yaml` and the links from each decision to the outcomes it caused.
 *
 * Episodes never see the policy and never throw on bad actions: the environment validates the
 * action's type and arguments against `argSpecs` first; the episode may still refuse an action
 * that is well-formed but impossible now (`{ok: false, error}`).
 */
import type { Codebase, Difficulty, Domain, EpisodeSpecEntry, Language, StoryPoints, TechnicalDebt } from '../spec/episodes.js';
import { OUTCOME_COMPONENTS, OUTCOME_WEIGHTS, type OutcomeComponents } from '../spec/reward.js';
import { clamp01 } from './numbers.js';
import type { Rng } from './rng.js';

export type ArgValue = string | number | boolean;

/** A candidate action: `type` from the episode's vocabulary, typed `args`. */
export interface Action {
  type: string;
  args?: Record<string, ArgValue>;
  /** Natural-language content, when the policy is a language model. */
  text?: string;
  /** Stated confidence in [0, 1] when the action asserts something (B-30). */
  confidence?: number;
}

/** Arguments are finite enums or bounded integers, so the legal action set is enumerable. */
export type ArgSpec =
  | { kind: 'enum'; values: readonly string[]; description: string; optional?: boolean }
  | { kind: 'int'; min: number; max: number; description: string; optional?: boolean }
  | { kind: 'bool'; description: string; optional?: boolean };

export interface ActionSpec {
  description: string;
  args: Record<string, ArgSpec>;
  /** True when the action asserts something and may carry a confidence. */
  asserts?: boolean;
}

/** A documented lever: something the candidate does that moves the outcome in a known direction. */
export interface Lever {
  name: string;
  description: string;
  /** 'up' = doing it raises the outcome reward; 'down' = lowers it. */
  direction: 'up' | 'down';
}

/** Options that shape a generated scenario; anything left out is drawn from the seed. */
export interface ScenarioOptions {
  difficulty?: Difficulty;
  domain?: Domain;
  language?: Language;
  /** 0.1 (fully specified) .. 0.9 (one-line description). */
  ambiguity?: number;
  storyPoints?: StoryPoints;
  codebase?: Codebase;
  technicalDebt?: TechnicalDebt;
}

export type ActionResult =
  | {
      ok: true;
      /** What the world says back (the product owner's answer, a test run's output, ...). */
      response: string;
      /** True when this action ends the episode (signal_ready, a final checkpoint, ...). */
      terminal: boolean;
    }
  | { ok: false; error: string };

/** A decision's link to an outcome it caused, filled in at episode end. */
export interface DecisionLink {
  /** Step index of the decision (0-based among the candidate's actions, valid or not). */
  step: number;
  /** Machine-readable effect, e.g. `revealed_requirement`, `changed_implementation`, `real_dependency`. */
  effect: string;
  /** What it concerns (a requirement id, a task id, a file). */
  target?: string;
  /** Signed contribution to the outcome, in outcome-reward units where meaningful. */
  value: number;
  note: string;
}

/** Outcome facts: plain named values (story accepted, tests passing, iterations, rework ...). */
export type OutcomeFacts = Record<string, number | boolean | string>;

export interface EpisodeResult<Facts extends OutcomeFacts = OutcomeFacts> {
  /** Outcome facts: story accepted, tests passing, iterations, rework, velocity effect, coverage ... */
  facts: Facts;
  /** The six outcome components of reward.yaml, each in [0, 1]. */
  components: OutcomeComponents;
  links: DecisionLink[];
}

/** A hidden item, for the leak test: its text must not appear in any observation until revealed. */
export interface Secret {
  id: string;
  text: string;
  revealed: boolean;
}

/**
 * One episode: `View` is the structured public state, `Facts` the outcome facts, `Hidden` the
 * hidden ground truth written to the trace. Each episode type declares all three as type aliases
 * (plain JSON shapes).
 */
export interface Episode<View = Record<string, unknown>, Facts extends OutcomeFacts = OutcomeFacts, Hidden = Record<string, unknown>> {
  /** Structured public view: only what the candidate may legitimately know, as plain JSON. */
  view(): View;
  /** Compact tokens describing the public state (words from the kind's `vocabulary`). */
  tokens(): string[];
  /** A natural-language description of the public state (for language models). */
  describe(): string;
  /** Every legal concrete action now (finite; used for constrained decoding and random policies). */
  legalActions(): Action[];
  /** Applies a well-formed action; never throws. `step` is the decision's index. */
  act(action: Action, step: number): ActionResult;
  /** Simulates the consequences and returns the outcome. Called once, at termination or truncation. */
  finish(): EpisodeResult<Facts>;
  /** The hidden ground truth, for the trace (written after the episode, never observed). */
  hidden(): Hidden;
  /** Hidden items with their revealed flag (leak test). */
  secrets(): Secret[];
}

/** An episode type's world: its action vocabulary, levers, compact vocabulary and episode factory. */
export interface EpisodeWorld<View = Record<string, unknown>, Facts extends OutcomeFacts = OutcomeFacts, Hidden = Record<string, unknown>> {
  /** The type's name in traces, flags and the compact vocabulary (snake_case). */
  name: string;
  /** Its entry of `spec/episodes.yaml` (`EPISODE_SPECS[name]` for the types the spec lists). */
  spec: EpisodeSpecEntry;
  /** One-paragraph summary for docs and prompts. */
  summary: string;
  actions: Record<string, ActionSpec>;
  /** Candidate actions after which the episode is truncated if not terminated. */
  maxTurns: number;
  levers: readonly Lever[];
  /** Every token `tokens()` may produce, apart from numbers rendered as `n0`..`n9` buckets. */
  vocabulary: readonly string[];
  create(rng: Rng, options: ScenarioOptions): Episode<View, Facts, Hidden>;
  /** Optional: maps free text from a language model to an action when it is not JSON or call syntax. */
  fromText?(text: string): Action | undefined;
}

/** What action parsing and prompts read of a world: its name, summary, action vocabulary and text parser. */
export type WorldActions = Pick<EpisodeWorld, 'name' | 'summary' | 'actions' | 'fromText'>;

/** Weighted sum of the six outcome components, each clamped to [0, 1]. Result in [0, 1]. */
export function outcomeReward(components: OutcomeComponents): number {
  let total = 0;
  for (const key of OUTCOME_COMPONENTS) total += OUTCOME_WEIGHTS[key] * clamp01(components[key]);
  return clamp01(total);
}
