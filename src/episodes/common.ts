/** Helpers shared by the episode types. */

import type { ScenarioOptions } from '../core/episode.js';
import { clamp01 } from '../core/numbers.js';
import type { Rng } from '../core/rng.js';
import type { DecisionRecord } from '../core/trace.js';
import type { StoryOptions } from '../sim/story.js';
import { type Difficulty, STORY_POINTS, type StoryPoints } from '../spec/episodes.js';

/**
 * Ambiguity for a difficulty, inside [low, high]: easy draws from the lower third, medium the
 * middle, hard the upper third; no difficulty draws from the whole range.
 */
export function ambiguityFor(difficulty: Difficulty | undefined, low: number, high: number): (rng: Rng) => number {
  return (rng) => {
    const third = (high - low) / 3;
    if (difficulty === 'easy') return rng.uniform(low, low + third);
    if (difficulty === 'medium') return rng.uniform(low + third, low + 2 * third);
    if (difficulty === 'hard') return rng.uniform(low + 2 * third, high);
    return rng.uniform(low, high);
  };
}

/** Story points for a scenario: the explicit option wins; else drawn, 1–3 when easy, 5 or 8 when hard, any size otherwise. */
export function storyPointsFor(rng: Rng, options: ScenarioOptions): StoryPoints {
  const sizes = options.difficulty === 'easy' ? ([1, 2, 3] as const) : options.difficulty === 'hard' ? ([5, 8] as const) : STORY_POINTS;
  return options.storyPoints ?? rng.pick(sizes);
}

/** Story options for a scenario: explicit options win; difficulty shapes ambiguity and size. */
export function storyOptionsFor(rng: Rng, options: ScenarioOptions, ambiguity: (rng: Rng) => number): StoryOptions {
  const out: StoryOptions = {
    ambiguity: options.ambiguity ?? ambiguity(rng),
    storyPoints: storyPointsFor(rng, options),
  };
  if (options.domain) out.domain = options.domain;
  if (options.language) out.language = options.language;
  if (options.codebase) out.codebase = options.codebase;
  if (options.technicalDebt) out.technicalDebt = options.technicalDebt;
  return out;
}

/** Difficulty as a number in [0, 1] (easy 0.2, medium 0.5, hard 0.8; unspecified: drawn). */
export function difficultyLevel(rng: Rng, difficulty: Difficulty | undefined): number {
  if (difficulty === 'easy') return 0.2;
  if (difficulty === 'medium') return 0.5;
  if (difficulty === 'hard') return 0.8;
  return rng.uniform(0.1, 0.9);
}

/**
 * A base class whose instances carry the fields of a drawn scenario: `class XEpisode extends
 * ScenarioFields<XScenario>()` receives every field of the object passed to `super(scenario)`,
 * read-only, without declaring or copying each one.
 */
export function ScenarioFields<Scenario extends object>(): new (scenario: Scenario) => Readonly<Scenario> {
  return class {
    constructor(scenario: Scenario) {
      Object.assign(this, scenario);
    }
  } as new (
    scenario: Scenario,
  ) => Readonly<Scenario>;
}

/**
 * Stated confidences scored against what proved right, for the calibration facts B-30 reads over a
 * window: how many were stated and the sum of their Brier scores, (confidence − [right])².
 */
export class BrierTally {
  stated = 0;
  sum = 0;

  /** Scores one statement; a decision with no stated confidence states nothing. */
  add(confidence: number | undefined, correct: boolean): void {
    if (confidence === undefined) return;
    this.stated++;
    this.sum += (confidence - (correct ? 1 : 0)) ** 2;
  }
}

/**
 * Assertions scored for calibration by a behavior code (B-12, B-21): an unhedged assertion (no
 * confidence, or NaN) counts as confidence 1, the others are clamped to [0, 1]; every assertion is
 * counted, unlike the facts' tally.
 */
export class AssertionTally extends BrierTally {
  override add(confidence: number | undefined, correct: boolean): void {
    super.add(confidence === undefined || Number.isNaN(confidence) ? 1 : clamp01(confidence), correct);
  }

  /** Mean Brier score of the assertions; null when there were none. */
  brier(): number | null {
    return this.stated > 0 ? this.sum / this.stated : null;
  }

  /** Calibration as a signal value, clamp01(1 − 2 · Brier); null when there were no assertions. */
  calibration(): number | null {
    const brier = this.brier();
    return brier === null ? null : clamp01(1 - 2 * brier);
  }
}

/** Whether the episode attached a link with this effect to the decision. */
export function hasLink(d: DecisionRecord, effect: string): boolean {
  for (const l of d.links) if (l.effect === effect) return true;
  return false;
}

/** The record with the stated confidence added as its last field, when one was stated. */
export function withConfidence<T extends { step: number; confidence?: number }>(record: T, confidence: number | undefined): T {
  if (confidence !== undefined) record.confidence = confidence;
  return record;
}

/** 1 for a rating that matches the truth, 0.4 one step off on the scale, 0 further or none. */
export function ratingAccuracy<Value extends string>(rated: Value | undefined, truth: Value, rank: Record<Value, number>): number {
  if (rated === undefined) return 0;
  const d = Math.abs(rank[rated] - rank[truth]);
  return d === 0 ? 1 : d === 1 ? 0.4 : 0;
}
