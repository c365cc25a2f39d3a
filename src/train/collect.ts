/**
 * Training episodes: a batch of specs played to the end by the built-in model through the one
 * episode loop (`rollout/rollout.ts`, every live episode decoded in one batched forward pass per
 * step), each finished trace scored with the reward the trainer optimizes (`reward/credit.ts`).
 */
import type { Trace } from '../core/trace.js';
import type { ModelPolicy } from '../policy/model-policy.js';
import type { TokenDecision } from '../policy/types.js';
import { type ScoreSettings, type TrainingReward, trainingReward } from '../reward/credit.js';
import { type EpisodeSpec, rolloutSync } from '../rollout/rollout.js';

export interface CollectedEpisode extends TrainingReward {
  spec: EpisodeSpec;
  trace: Trace;
  /** The model's token decision at every step. */
  decisions: TokenDecision[];
}

/** Plays every spec to its end with the model and scores it. */
export function collectEpisodes(policy: ModelPolicy, specs: readonly EpisodeSpec[], settings: ScoreSettings): CollectedEpisode[] {
  return rolloutSync(policy, specs).map(({ spec, trace, outputs }) => ({
    spec,
    trace,
    decisions: outputs.map((o) => o.decision as TokenDecision),
    ...trainingReward(trace, settings),
  }));
}
