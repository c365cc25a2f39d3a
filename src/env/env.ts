/**
 * The Gymnasium-shaped environment over one episode type.
 *
 *   const env = new DojoEnv(elicitation);
 *   let { observation } = await env.reset({ seed: 7 });
 *   for (;;) {
 *     const { observation: next, terminated, truncated } = await env.step(action);
 *     if (terminated || truncated) break;
 *   }
 *   const trace = env.trace();
 *
 * Same seed and same actions give the same trajectory. An invalid action never throws: it is
 * reported in `info`, costs `invalidPenalty`, counts as a turn, and leaves the world unchanged.
 * The turn limit truncates (`truncated`, not `terminated`); the outcome is still simulated.
 */

import type { Action, DecisionLink, Episode, EpisodeWorld, OutcomeFacts, ScenarioOptions } from '../core/episode.js';
import { outcomeReward } from '../core/episode.js';
import { EnvOrderError } from '../core/errors.js';
import { round4 } from '../core/numbers.js';
import type { LastResult, Observation, RenderMode, StructuredObservation } from '../core/observation.js';
import { hashString, Rng } from '../core/rng.js';
import { type DecisionRecord, TRACE_SCHEMA, type Trace } from '../core/trace.js';
import { OUTCOME_COMPONENTS, type OutcomeComponents } from '../spec/reward.js';
import { parseAction } from './action.js';
import { renderPrompt, renderTokens } from './observation.js';

export interface EnvConfig {
  /** Renderings included in each observation (default: structured only). */
  render?: readonly RenderMode[];
  /** Reward added for each invalid action (default -0.02). */
  invalidPenalty?: number;
  /** Overrides the type's turn limit. */
  maxTurns?: number;
  /** Name recorded in the trace as the acting policy. */
  policyName?: string;
}

export interface ResetArgs {
  seed: number;
  options?: ScenarioOptions;
}

export interface StepInfo {
  decisionId: string;
  valid: boolean;
  error?: string;
  response?: string;
  /** Present on the last step: the outcome reward and its components. */
  outcome?: Trace['reward'];
}

export interface StepResult<View = Record<string, unknown>> {
  observation: Observation<View>;
  reward: number;
  terminated: boolean;
  truncated: boolean;
  info: StepInfo;
}

export class DojoEnv<View = Record<string, unknown>, Facts extends OutcomeFacts = OutcomeFacts, Hidden = Record<string, unknown>> {
  readonly type: EpisodeWorld<View, Facts, Hidden>;
  readonly maxTurns: number;
  readonly render: readonly RenderMode[];
  /** No rendering beyond the structured view (the common case: skips the render loop). */
  private readonly structuredOnly: boolean;
  /** The type's action types (shared by every observation; do not mutate). */
  private readonly actionTypes: string[];
  private readonly invalidPenalty: number;
  private policyName: string;
  private episode: Episode<View, Facts, Hidden> | undefined;
  private episodeId = '';
  private seed = 0;
  private options: ScenarioOptions = {};
  private turn = 0;
  private done = false;
  private terminated = false;
  private truncated = false;
  private invalid = 0;
  private decisions: DecisionRecord[] = [];
  private last: LastResult | undefined;
  /** Chained digest of everything observed so far (what the candidate saw at each decision). */
  private digest = 0;
  private digests: number[] = [];
  private finalTrace: Trace<Facts, Hidden> | undefined;
  private closed = false;

  constructor(type: EpisodeWorld<View, Facts, Hidden>, config: EnvConfig = {}) {
    this.type = type;
    this.maxTurns = config.maxTurns ?? type.maxTurns;
    this.actionTypes = actionTypesOf(type);
    this.render = config.render ?? ['structured'];
    this.structuredOnly = !this.render.some((mode) => mode === 'tokens' || mode === 'prompt');
    this.invalidPenalty = config.invalidPenalty ?? -0.02;
    this.policyName = config.policyName ?? 'unknown';
  }

  async reset(args: ResetArgs): Promise<{ observation: Observation<View>; info: { episodeId: string } }> {
    return this.resetSync(args);
  }

  async step(action: Action | string): Promise<StepResult<View>> {
    return this.stepSync(action);
  }

  /** Synchronous reset, for hot loops (same semantics as `reset`). */
  resetSync({ seed, options = {} }: ResetArgs): { observation: Observation<View>; info: { episodeId: string } } {
    if (this.closed) throw new EnvOrderError('reset() after close(): create a new environment');
    if (!Number.isSafeInteger(seed) || seed < 0) throw new RangeError(`seed must be a non-negative integer, got ${seed}`);
    this.seed = seed;
    this.options = options;
    this.episodeId = `${this.type.name}-${seed}${optionsSuffix(options)}`;
    this.episode = this.type.create(Rng.seeded(seed, this.type.name), options);
    this.turn = 0;
    this.done = false;
    this.terminated = false;
    this.truncated = false;
    this.invalid = 0;
    this.decisions = [];
    this.last = undefined;
    this.digest = hashString(this.episodeId);
    this.digests = [];
    this.finalTrace = undefined;
    return { observation: this.observe(), info: { episodeId: this.episodeId } };
  }

  /** Synchronous step, for hot loops (same semantics as `step`). */
  stepSync(input: Action | string): StepResult<View> {
    const episode = this.episode;
    if (!episode) throw new EnvOrderError('step() before reset(): call reset({seed}) first');
    if (this.done) throw new EnvOrderError('step() after the episode ended: call reset({seed}) for a new episode');
    const step = this.turn;
    const decisionId = this.episodeId + decisionSuffix(step);
    this.digest = digestOf(this.digest, step, this.last);
    // Formatted as hex when the trace is assembled (most steps never need the string).
    this.digests.push(this.digest);
    const digest = '';
    const parsed = parseAction(input, this.type);
    let reward = 0;
    let info: StepInfo;
    let terminal = false;
    if (!parsed.ok) {
      this.invalid++;
      reward += this.invalidPenalty;
      const recorded: Action = typeof input === 'string' ? { type: 'invalid', text: input.slice(0, 2000) } : sanitizeAction(input);
      this.decisions.push({
        id: decisionId,
        step,
        observationDigest: digest,
        action: recorded,
        valid: false,
        error: parsed.error,
        links: [],
      });
      this.last = { action: recorded.type, ok: false, message: parsed.error };
      info = { decisionId, valid: false, error: parsed.error };
    } else {
      const result = episode.act(parsed.action, step);
      if (result.ok) {
        this.decisions.push({
          id: decisionId,
          step,
          observationDigest: digest,
          action: parsed.action,
          valid: true,
          response: result.response,
          links: [],
        });
        this.last = { action: parsed.action.type, ok: true, message: result.response };
        info = { decisionId, valid: true, response: result.response };
        terminal = result.terminal;
      } else {
        this.invalid++;
        reward += this.invalidPenalty;
        this.decisions.push({
          id: decisionId,
          step,
          observationDigest: digest,
          action: parsed.action,
          valid: false,
          error: result.error,
          links: [],
        });
        this.last = { action: parsed.action.type, ok: false, message: result.error };
        info = { decisionId, valid: false, error: result.error };
      }
    }
    this.turn++;
    if (terminal) this.terminated = true;
    else if (this.turn >= this.maxTurns) this.truncated = true;
    if (this.terminated || this.truncated) {
      this.done = true;
      const trace = this.finish(episode);
      reward += trace.reward.outcome;
      info.outcome = trace.reward;
    }
    return { observation: this.observe(), reward, terminated: this.terminated, truncated: this.truncated, info };
  }

  private finish(episode: Episode<View, Facts, Hidden>): Trace<Facts, Hidden> {
    const result = episode.finish();
    for (let i = 0; i < this.decisions.length; i++) {
      (this.decisions[i] as DecisionRecord).observationDigest = hex8(this.digests[i] as number);
    }
    const episodeLinks: Trace['episodeLinks'] = [];
    for (const link of result.links) {
      // The link without its step (explicit fields: object rest is slow in this hot path).
      const rest: Omit<DecisionLink, 'step'> =
        link.target === undefined
          ? { effect: link.effect, value: link.value, note: link.note }
          : { effect: link.effect, target: link.target, value: link.value, note: link.note };
      const decision = link.step >= 0 ? this.decisions[link.step] : undefined;
      if (decision) decision.links.push(rest);
      else episodeLinks.push(rest);
    }
    const spec = this.type.spec;
    this.finalTrace = {
      schema: TRACE_SCHEMA,
      episodeId: this.episodeId,
      type: this.type.name,
      typeId: spec.id,
      stage: spec.stage,
      seed: this.seed,
      options: { ...this.options },
      policy: this.policyName,
      decisions: this.decisions,
      terminated: this.terminated,
      truncated: this.truncated,
      turns: this.turn,
      invalidActions: this.invalid,
      outcome: result.facts,
      reward: {
        outcome: round4(outcomeReward(result.components)),
        components: roundAll(result.components),
        invalidPenalty: round4(this.invalid * this.invalidPenalty),
      },
      episodeLinks,
      hidden: episode.hidden(),
    };
    return this.finalTrace;
  }

  /** The finished episode's trace; throws if the episode has not ended. */
  trace(): Trace<Facts, Hidden> {
    if (!this.finalTrace) throw new EnvOrderError('trace() before the episode ended: step until terminated or truncated');
    return this.finalTrace;
  }

  /** Every legal concrete action now (empty when the episode is over). */
  legalActions(): Action[] {
    if (!this.episode || this.done) return [];
    return this.episode.legalActions();
  }

  /** Hidden items, for the leak test. */
  secrets() {
    if (!this.episode) throw new EnvOrderError('secrets() before reset()');
    return this.episode.secrets();
  }

  private observe(): Observation<View> {
    const episode = this.episode as Episode<View, Facts, Hidden>;
    const structured: StructuredObservation<View> = {
      episodeId: this.episodeId,
      type: this.type.name,
      turn: this.turn,
      maxTurns: this.maxTurns,
      actionTypes: this.actionTypes,
      state: episode.view(),
    };
    if (this.last) structured.last = this.last;
    const observation: Observation<View> = { structured };
    if (this.structuredOnly) return observation;
    for (const mode of this.render) {
      if (mode === 'tokens') observation.tokens = renderTokens(episode, this.turn, this.last);
      else if (mode === 'prompt') observation.prompt = renderPrompt(this.type, episode, this.turn, this.maxTurns, this.last);
    }
    return observation;
  }

  /** Idempotent: closing twice is fine. */
  close(): void {
    this.closed = true;
    this.episode = undefined;
  }
}

function optionsSuffix(options: ScenarioOptions): string {
  return options.difficulty ? `-${options.difficulty}` : '';
}

/**
 * Digest of what the candidate saw: the previous digest chained with the last result. The episode
 * id (seed and type) and the sequence of results determine the observation, so this identifies it
 * without serializing the whole state on every step.
 */
function digestOf(previous: number, step: number, last: LastResult | undefined): number {
  let h = mixString(previous ^ Math.imul(step + 1, 0x9e3779b1), last ? last.action : '');
  if (last) h = mixString(h ^ (last.ok ? 1 : 2), last.message);
  return h >>> 0;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function hex8(x: number): string {
  return (HEX[(x >>> 24) & 255] as string) + HEX[(x >>> 16) & 255] + HEX[(x >>> 8) & 255] + HEX[x & 255];
}

const SUFFIXES: string[] = Array.from({ length: 128 }, (_, i) => `/d${i}`);

function decisionSuffix(step: number): string {
  return step < SUFFIXES.length ? (SUFFIXES[step] as string) : `/d${step}`;
}

function mixString(h: number, text: string): number {
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h;
}

/** Keeps a rejected action's shape readable in the trace without storing arbitrary objects. */
function sanitizeAction(input: unknown): Action {
  if (input && typeof input === 'object' && !Array.isArray(input)) {
    const raw = input as Record<string, unknown>;
    const out: Action = { type: typeof raw.type === 'string' ? raw.type.slice(0, 200) : 'invalid' };
    try {
      const args = JSON.stringify(raw.args ?? {});
      if (args.length <= 2000) out.args = JSON.parse(args);
    } catch {
      // Unserializable arguments are dropped; the error message says what was wrong.
    }
    return out;
  }
  return { type: 'invalid', text: String(input).slice(0, 200) };
}

function roundAll(values: OutcomeComponents): OutcomeComponents {
  const out = {} as OutcomeComponents;
  for (const key of OUTCOME_COMPONENTS) out[key] = round4(values[key]);
  return out;
}

/** Each world's action types, computed once (an environment is made per live episode). */
const ACTION_TYPES = new WeakMap<object, string[]>();

function actionTypesOf(type: Pick<EpisodeWorld, 'actions'>): string[] {
  let types = ACTION_TYPES.get(type);
  if (!types) {
    types = Object.freeze(Object.keys(type.actions)) as string[];
    ACTION_TYPES.set(type, types);
  }
  return types;
}
