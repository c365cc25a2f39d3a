/**
 * Scripted personas: junior, mid, senior, random and performative baseline policies.
 *
 * The senior follows the behaviors of behaviors.yaml; the junior shows their anti-patterns; the mid
 * sits between; random picks uniformly among the legal actions; performative goes through a
 * senior's motions without the substance. Each episode type implements its junior, mid, senior and
 * performative strategies in its package (`EpisodeType.personas`), reading only the structured
 * observation. Randomness comes from a generator seeded by the persona's seed, the episode id and
 * the turn, so a decision does not depend on batching.
 */

import type { Action } from '../core/episode.js';
import type { EpisodeType } from '../core/episode-type.js';
import { hashString, LazyRng } from '../core/rng.js';
import { EPISODE_TYPES } from '../episodes/all.js';
import type { Policy, PolicyCapabilities, PolicyInput, PolicyOutput } from './types.js';

export const PERSONA_NAMES = ['junior', 'mid', 'senior', 'random', 'performative'] as const;
export type PersonaName = (typeof PERSONA_NAMES)[number];

const PERSONAS: ReadonlyMap<string, EpisodeType['personas']> = new Map(EPISODE_TYPES.map((t) => [t.name, t.personas]));

export class ScriptedPersona implements Policy {
  readonly name: string;
  /** Reads the structured view only; only the random persona reads `legalActions`. */
  readonly capabilities: PolicyCapabilities;

  constructor(
    readonly persona: PersonaName,
    private readonly seed = 0,
  ) {
    this.name = persona;
    this.capabilities = { trainable: false, observes: ['structured'], needsLegalActions: persona === 'random', batched: false };
  }

  async act(inputs: readonly PolicyInput[]): Promise<PolicyOutput[]> {
    return this.actSync(inputs);
  }

  actSync(inputs: readonly PolicyInput[]): PolicyOutput[] {
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
    const personas = PERSONAS.get(observation.type);
    if (!personas) throw new Error(`no ${this.persona} strategy for episode type ${observation.type}`);
    if (this.persona === 'performative') return personas.performative(observation);
    return personas[this.persona](observation, rng);
  }
}
