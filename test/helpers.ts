/**
 * Shared test helpers. The generic checks of every episode type live in
 * `test/episodes/conformance.test.ts` (environment checker, leaks, fuzz, scorer, personas) and
 * `test/env/causality.test.ts` (senior >> junior > random); these helpers serve the type-specific
 * tests of each package: seeds chosen by their hidden truth, replayed action sequences, persona
 * traces and scorer expectations.
 */
import { expect } from 'vitest';
import type { Action, Episode, EpisodeWorld, OutcomeFacts, ScenarioOptions } from '../src/core/episode.js';
import { Rng } from '../src/core/rng.js';
import type { CodeScore } from '../src/core/scorer.js';
import type { Trace } from '../src/core/trace.js';
import { DojoEnv } from '../src/env/env.js';
import { type PersonaName, ScriptedPersona } from '../src/policy/scripted.js';
import { type BehaviorScores, scoreBehaviors } from '../src/reward/behaviors.js';
import { performativeRisk } from '../src/reward/performative.js';
import { rolloutSync } from '../src/rollout/rollout.js';
import type { BehaviorCode } from '../src/spec/behaviors.js';

type World<View, Facts extends OutcomeFacts, Hidden> = EpisodeWorld<View, Facts, Hidden>;

/** The episode of a seed, created exactly as `DojoEnv.resetSync({ seed, options })` creates it. */
export function createEpisode<View, Facts extends OutcomeFacts, Hidden>(
  type: World<View, Facts, Hidden>,
  seed: number,
  options: ScenarioOptions = {},
): Episode<View, Facts, Hidden> {
  return type.create(Rng.seeded(seed, type.name), options);
}

/** The hidden truth of a seed, from the episode `DojoEnv.resetSync({ seed, options })` creates. */
export function hiddenTruth<View, Facts extends OutcomeFacts, Hidden>(
  type: World<View, Facts, Hidden>,
  seed: number,
  options: ScenarioOptions = {},
): Hidden {
  return createEpisode(type, seed, options).hidden();
}

/** The seeds 0..max, in order, whose truth (`truth(seed)`, typically the hidden truth) satisfies `when`; at most `count`. */
export function seedsWhere<T>(truth: (seed: number) => T, when: (t: T, seed: number) => boolean, count: number, max = 600): number[] {
  const out: number[] = [];
  for (let seed = 0; seed <= max && out.length < count; seed++) if (when(truth(seed), seed)) out.push(seed);
  return out;
}

/** The first seed below `limit` whose truth satisfies `when`; throws when there is none. */
export function firstSeedWhere<T>(truth: (seed: number) => T, when: (t: T, seed: number) => boolean, limit = 2000): number {
  for (let seed = 0; seed < limit; seed++) if (when(truth(seed), seed)) return seed;
  throw new Error(`no seed below ${limit} satisfies the condition`);
}

/** A step of a plan: a fixed action, or one chosen from the view it meets (undefined: the step does not apply and is skipped). */
export type PlanStep<View> = Action | ((view: View) => Action | undefined);

/**
 * Plays a plan on a seed and returns the trace, typed by the episode type's outcome facts and
 * hidden truth. `strict` (the default) expects every action to be accepted.
 */
export function playPlan<View extends Record<string, unknown>, Facts extends OutcomeFacts, Hidden extends Record<string, unknown>>(
  type: EpisodeWorld<View, Facts, Hidden>,
  seed: number,
  plan: readonly PlanStep<View>[],
  { strict = true }: { strict?: boolean } = {},
): Trace<Facts, Hidden> {
  const env = new DojoEnv(type);
  let { observation } = env.resetSync({ seed });
  for (const step of plan) {
    const action = typeof step === 'function' ? step(observation.structured.state) : step;
    if (!action) continue;
    const result = env.stepSync(action);
    if (strict) expect(result.info.valid, `seed ${seed}: ${JSON.stringify(action)}: ${result.info.error}`).toBe(true);
    observation = result.observation;
    if (result.terminated || result.truncated) break;
  }
  return env.trace();
}

/** Replays a fixed action sequence on a seed (every action must be accepted) and returns the trace. */
export function playActions<View extends Record<string, unknown>, Facts extends OutcomeFacts, Hidden extends Record<string, unknown>>(
  type: EpisodeWorld<View, Facts, Hidden>,
  seed: number,
  actions: readonly Action[],
): Trace<Facts, Hidden> {
  return playPlan(type, seed, actions);
}

/** `playActions`, read for a lever test: the outcome reward, the outcome facts, the reward components and the trace. */
export function replay<View extends Record<string, unknown>, Facts extends OutcomeFacts, Hidden extends Record<string, unknown>>(
  type: EpisodeWorld<View, Facts, Hidden>,
  seed: number,
  actions: readonly Action[],
) {
  const trace = playActions(type, seed, actions);
  return { outcome: trace.reward.outcome, facts: trace.outcome, components: trace.reward.components, trace };
}

/** One persona's trace on one seed. */
export interface PersonaTrace<Facts extends OutcomeFacts, Hidden> {
  persona: PersonaName;
  trace: Trace<Facts, Hidden>;
}

/** The traces of scripted personas (each `new ScriptedPersona(name, personaSeed)`) on seeds 0..seeds-1, persona by persona. */
export function personaTraces<View, Facts extends OutcomeFacts, Hidden>(
  type: EpisodeWorld<View, Facts, Hidden>,
  personas: readonly PersonaName[],
  { seeds = 50, personaSeed = 3 }: { seeds?: number; personaSeed?: number } = {},
): PersonaTrace<Facts, Hidden>[] {
  const specs = Array.from({ length: seeds }, (_, seed) => ({ type: type as EpisodeWorld, seed }));
  return personas.flatMap((persona) =>
    rolloutSync(new ScriptedPersona(persona, personaSeed), specs).map(({ trace }) => ({ persona, trace: trace as Trace<Facts, Hidden> })),
  );
}

/** Scores a trace and expects every code of `codes` to apply (not null); returns all the scores. */
export function expectScored(trace: Trace, codes: readonly BehaviorCode[]): BehaviorScores {
  const scores = scoreBehaviors(trace);
  for (const code of codes) expect(scores.codes[code].score, `${code}: ${scores.codes[code].evidence.reason}`).not.toBeNull();
  return scores;
}

/** Each persona's mean behavioral score and mean performative risk over seeds 0..seeds-1 (`new ScriptedPersona(name, 1)`). */
export function behaviorMeans(
  type: EpisodeWorld,
  personas: readonly PersonaName[],
  seeds = 150,
): Partial<Record<PersonaName, { behavioral: number; risk: number }>> {
  const means: Partial<Record<PersonaName, { behavioral: number; risk: number }>> = {};
  for (const persona of personas) {
    let behavioral = 0;
    let risk = 0;
    for (const { trace } of personaTraces(type, [persona], { seeds, personaSeed: 1 })) {
      behavioral += scoreBehaviors(trace).behavioral ?? 0;
      risk += performativeRisk(trace).score;
    }
    means[persona] = { behavioral: behavioral / seeds, risk: risk / seeds };
  }
  return means;
}

/** One row of a scorer's table test: actions scripted from the hidden truth of a seed, and the expected score range of one code. */
export interface ScorerCase<Hidden> {
  name: string;
  code: BehaviorCode;
  seed: number;
  actions: (hidden: Hidden) => Action[];
  min?: number;
  max?: number;
  /** False when the behavior is absent altogether (no decision to point at). */
  evidence?: boolean;
}

/**
 * A scorer case's expectation on its played trace: the code applies, scores within [min, max] and
 * gives a reason, citing decisions of this trace (at least one unless `evidence` is false). Returns
 * every code's score.
 */
export function expectCaseScore(trace: Trace, c: Pick<ScorerCase<unknown>, 'code' | 'min' | 'max' | 'evidence'>): BehaviorScores {
  const scores = scoreBehaviors(trace);
  const s = scores.codes[c.code];
  const why = `${c.code} on ${trace.episodeId}: ${s.evidence.reason}`;
  expect(s.score, why).not.toBeNull();
  if (c.min !== undefined) expect(s.score as number, why).toBeGreaterThanOrEqual(c.min);
  if (c.max !== undefined) expect(s.score as number, why).toBeLessThanOrEqual(c.max);
  expect(s.evidence.reason.length, why).toBeGreaterThan(0);
  if (c.evidence !== false) expect(s.evidence.decisionIds.length, why).toBeGreaterThan(0);
  const ids = new Set(trace.decisions.map((d) => d.id));
  for (const id of s.evidence.decisionIds) expect(ids.has(id), `${why}: cites ${id}`).toBe(true);
  return scores;
}

/** The signals of each scored code as `name:source:weight`, by code: the shape a scorer's reward.yaml entry gives. */
export function signalShape(scores: readonly CodeScore[]): Record<string, string[]> {
  return Object.fromEntries(scores.map((s) => [s.code, s.signals.map((g) => `${g.name}:${g.source}:${g.weight}`)]));
}
