/**
 * The registries at the edge: the names the CLI accepts mapped to implementations. Episode types
 * come from the one list, `episodes/all.ts`; personas by name here.
 */

import { ConfigError, didYouMean } from '../core/errors.js';
import { PERSONA_NAMES, type PersonaName, ScriptedPersona } from '../policy/scripted.js';
import { STAGE_EPISODE_TYPES } from '../spec/curriculum.js';
import type { EpisodeTypeName } from '../spec/episodes.js';

export const STAGE1_TYPES: readonly EpisodeTypeName[] = STAGE_EPISODE_TYPES[1];

export function persona(name: string, seed = 0): ScriptedPersona {
  if (!(PERSONA_NAMES as readonly string[]).includes(name))
    throw new ConfigError(`unknown persona "${name}".${didYouMean(name, PERSONA_NAMES)}`);
  return new ScriptedPersona(name as PersonaName, seed);
}
