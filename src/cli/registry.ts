/**
 * The registries: explicit lists that map names to implementations. Only the CLI (and tests that
 * run over every registered implementation) import this file; the library takes objects.
 */

import { ConfigError, didYouMean } from '../env/errors.js';
import { PERSONA_NAMES, type PersonaName, ScriptedPersona } from '../policy/personas/index.js';
import { borrowingArrival } from '../sim/episodes/borrowing-arrival.js';
import { compensation } from '../sim/episodes/compensation.js';
import { crossTeamDependency } from '../sim/episodes/cross-team-dependency.js';
import { decomposition } from '../sim/episodes/decomposition.js';
import { elicitation } from '../sim/episodes/elicitation.js';
import { implementation } from '../sim/episodes/implementation.js';
import { knowledgeHandoff } from '../sim/episodes/knowledge-handoff.js';
import { onboardingSupport } from '../sim/episodes/onboarding-support.js';
import { recovery } from '../sim/episodes/recovery.js';
import { research } from '../sim/episodes/research.js';
import { scopeChange } from '../sim/episodes/scope-change.js';
import { selfMonitoring } from '../sim/episodes/self-monitoring.js';
import { triage } from '../sim/episodes/triage.js';
import type { EpisodeKind } from '../sim/episodes/types.js';
import type { EpisodeTypeName } from '../spec/episodes.js';

/** Every episode type that exists, in curriculum order. */
export const EPISODE_KINDS: readonly EpisodeKind[] = [
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

export const STAGE1_TYPES: readonly EpisodeTypeName[] = ['elicitation', 'decomposition', 'implementation', 'self_monitoring', 'research'];

export function episodeKind(name: string): EpisodeKind {
  const kind = EPISODE_KINDS.find((k) => k.name === name);
  if (!kind)
    throw new ConfigError(
      `unknown episode type "${name}".${didYouMean(
        name,
        EPISODE_KINDS.map((k) => k.name),
      )}`,
    );
  return kind;
}

export { PERSONA_NAMES, type PersonaName };

export function persona(name: string, seed = 0): ScriptedPersona {
  if (!(PERSONA_NAMES as readonly string[]).includes(name))
    throw new ConfigError(`unknown persona "${name}".${didYouMean(name, PERSONA_NAMES)}`);
  return new ScriptedPersona(name as PersonaName, seed);
}
