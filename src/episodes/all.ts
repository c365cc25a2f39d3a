/**
 * Every episode type, in curriculum order: the one place a type is registered. The CLI, the
 * training workers, the curriculum and the conformance tests read this list. Adding a type is one
 * folder under `src/episodes/` and one line here.
 */
import type { EpisodeType } from '../core/episode-type.js';
import { ConfigError, didYouMean } from '../core/errors.js';
import { borrowingArrival } from './borrowing-arrival/index.js';
import { compensation } from './compensation/index.js';
import { crossTeamDependency } from './cross-team-dependency/index.js';
import { decomposition } from './decomposition/index.js';
import { elicitation } from './elicitation/index.js';
import { implementation } from './implementation/index.js';
import { knowledgeHandoff } from './knowledge-handoff/index.js';
import { onboardingSupport } from './onboarding-support/index.js';
import { recovery } from './recovery/index.js';
import { research } from './research/index.js';
import { scopeChange } from './scope-change/index.js';
import { selfMonitoring } from './self-monitoring/index.js';
import { triage } from './triage/index.js';

export const EPISODE_TYPES: readonly EpisodeType[] = [
  elicitation,
  decomposition,
  implementation,
  selfMonitoring,
  research,
  triage,
  recovery,
  scopeChange,
  borrowingArrival,
  crossTeamDependency,
  knowledgeHandoff,
  onboardingSupport,
  compensation,
];

/** The episode type named `name`; a clear error with a suggestion for an unknown name. */
export function episodeType(name: string): EpisodeType {
  const type = EPISODE_TYPES.find((t) => t.name === name);
  if (!type)
    throw new ConfigError(
      `unknown episode type "${name}".${didYouMean(
        name,
        EPISODE_TYPES.map((t) => t.name),
      )}`,
    );
  return type;
}
