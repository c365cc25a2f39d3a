/** Helpers shared by the episode types. */

import type { ScenarioOptions } from '../core/episode.js';
import type { Rng } from '../core/rng.js';
import type { StoryOptions } from '../sim/story.js';
import { type Difficulty, STORY_POINTS } from '../spec/episodes.js';

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

/** Story options for a scenario: explicit options win; difficulty shapes ambiguity and size. */
export function storyOptionsFor(rng: Rng, options: ScenarioOptions, ambiguity: (rng: Rng) => number): StoryOptions {
  const sizes = options.difficulty === 'easy' ? ([1, 2, 3] as const) : options.difficulty === 'hard' ? ([5, 8] as const) : STORY_POINTS;
  const out: StoryOptions = {
    ambiguity: options.ambiguity ?? ambiguity(rng),
    storyPoints: options.storyPoints ?? rng.pick(sizes),
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
