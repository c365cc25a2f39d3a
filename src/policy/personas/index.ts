/**
 * Scripted personas: junior, mid, senior and random baseline policies.
 *
 * The senior follows the behaviors of behaviors.yaml; the junior shows their anti-patterns; the mid
 * sits between; random picks uniformly among the legal actions. Each persona's per-type strategy
 * reads only the structured observation. Randomness comes from a generator seeded by the
 * persona's seed, the episode id and the turn, so a decision does not depend on batching.
 */
import type { StructuredObservation } from '../../env/observation.js';
import type { Action } from '../../sim/episodes/types.js';
import { hashString, LazyRng, type Rng } from '../../sim/rng.js';
import type { EpisodeTypeName } from '../../spec/episodes.js';
import type { Policy, PolicyInput, PolicyOutput } from '../types.js';
import { borrowingArrivalStrategies } from './borrowing-arrival.js';
import { compensationStrategies } from './compensation.js';
import { crossTeamDependencyStrategies } from './cross-team-dependency.js';
import { decompositionStrategies } from './decomposition.js';
import { elicitationStrategies } from './elicitation.js';
import { implementationStrategies } from './implementation.js';
import { knowledgeHandoffStrategies } from './knowledge-handoff.js';
import { onboardingSupportStrategies } from './onboarding-support.js';
import { PERFORMATIVE_STRATEGIES } from './performative.js';
import { recoveryStrategies } from './recovery.js';
import { researchStrategies } from './research.js';
import { scopeChangeStrategies } from './scope-change.js';
import { selfMonitoringStrategies } from './self-monitoring.js';
import { triageStrategies } from './triage.js';

export const PERSONA_NAMES = ['junior', 'mid', 'senior', 'random', 'performative'] as const;
export type PersonaName = (typeof PERSONA_NAMES)[number];
/** Personas with one strategy per level in each type's module ('performative' has its own module). */
export type ScriptedLevel = Exclude<PersonaName, 'random' | 'performative'>;

/** One persona's choice for one observation of one episode type. */
export type Strategy = (observation: StructuredObservation, rng: Rng) => Action;
export type TypeStrategies = Record<ScriptedLevel, Strategy>;

const STRATEGIES: Partial<Record<EpisodeTypeName, TypeStrategies>> = {
  elicitation: elicitationStrategies,
  decomposition: decompositionStrategies,
  implementation: implementationStrategies,
  self_monitoring: selfMonitoringStrategies,
  research: researchStrategies,
  triage: triageStrategies,
  recovery: recoveryStrategies,
  scope_change: scopeChangeStrategies,
  borrowing_arrival: borrowingArrivalStrategies,
  cross_team_dependency: crossTeamDependencyStrategies,
  knowledge_handoff: knowledgeHandoffStrategies,
  onboarding_support: onboardingSupportStrategies,
  compensation: compensationStrategies,
};

/** Episode types that scripted personas can play. */
export function personaTypes(): EpisodeTypeName[] {
  return Object.keys(STRATEGIES) as EpisodeTypeName[];
}

export class ScriptedPersona implements Policy {
  readonly capabilities = { trainable: false };
  readonly name: string;
  /** Declared capability: only the random persona reads `legalActions`. */
  readonly needsLegalActions: boolean;

  constructor(
    readonly persona: PersonaName,
    private readonly seed = 0,
  ) {
    this.name = persona;
    this.needsLegalActions = persona === 'random';
  }

  async act(inputs: readonly PolicyInput[]): Promise<PolicyOutput[]> {
    return inputs.map((input) => ({ action: this.choose(input) }));
  }

  private lastEpisode = '';
  private lastHash = 0;

  /** Seed of the persona's generator for one episode (cached: it is asked once per turn). */
  private episodeHash(episodeId: string): number {
    if (episodeId !== this.lastEpisode) {
      this.lastEpisode = episodeId;
      this.lastHash = (hashString(`${this.persona}|${this.seed}|${episodeId}`) ^ Math.imul(this.seed, 0x9e3779b1)) >>> 0;
    }
    return this.lastHash;
  }

  /** Synchronous choice for one observation (used by hot loops). */
  choose(input: PolicyInput): Action {
    const observation = input.observation.structured;
    const rng = new LazyRng(this.episodeHash(observation.episodeId), observation.turn);
    if (this.persona === 'random') return rng.pick(input.legalActions);
    if (this.persona === 'performative') {
      const strategy = PERFORMATIVE_STRATEGIES[observation.type as EpisodeTypeName];
      if (!strategy) throw new Error(`no performative strategy for episode type ${observation.type}`);
      return strategy(observation);
    }
    const strategies = STRATEGIES[observation.type as EpisodeTypeName];
    if (!strategies) throw new Error(`no ${this.persona} strategy for episode type ${observation.type}`);
    return strategies[this.persona](observation, rng);
  }
}
