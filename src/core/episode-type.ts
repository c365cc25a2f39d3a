/**
 * The contract of an episode package (`src/episodes/<type>/index.ts`): one episode type, whole —
 * its world, its scripted personas, its behavior scorer and its performative-risk rules — typed by
 * its public `View`, its outcome `Facts` and its `Hidden` truth, so personas read the view and
 * scorers read the trace without casts. `src/episodes/all.ts` lists every type.
 */
import type { Action, EpisodeWorld, OutcomeFacts } from './episode.js';
import type { StructuredObservation } from './observation.js';
import type { Rng } from './rng.js';
import type { CodeScore, PerformativeRules, ScoreContext } from './scorer.js';
import type { Trace } from './trace.js';

/**
 * An episode type's scripted personas, reading the public view only. Randomness comes from the
 * generator passed in (seeded per persona, episode and turn by `policy/scripted.ts`).
 */
export interface Personas<View> {
  /** Shows the anti-patterns of `spec/behaviors.yaml`. */
  junior(observation: StructuredObservation<View>, rng: Rng): Action;
  /** Sits between the junior and the senior. */
  mid(observation: StructuredObservation<View>, rng: Rng): Action;
  /** Follows the behaviors of `spec/behaviors.yaml`. */
  senior(observation: StructuredObservation<View>, rng: Rng): Action;
  /** Goes through a senior's motions without the substance (anti-gaming tests); deterministic. */
  performative(observation: StructuredObservation<View>): Action;
}

export interface EpisodeType<View = Record<string, unknown>, Facts extends OutcomeFacts = OutcomeFacts, Hidden = Record<string, unknown>>
  extends EpisodeWorld<View, Facts, Hidden> {
  personas: Personas<View>;
  /** Scores the behavior codes this type trains from a finished trace; codes it omits are not applicable. */
  score(trace: Trace<Facts, Hidden>, context: ScoreContext): CodeScore[];
  /** Which actions are diligence motions and which link effects mark them hollow. */
  performative: PerformativeRules;
}
