/**
 * The episode loop. Every command plays its episodes here — `dojo episode`, `simulate`, `sprint`,
 * baselines, evaluation, pretraining data and training rollouts, and the tests of whole episodes —
 * against the `Policy` interface, so a new kind of policy plugs in at one place (tests that step an
 * environment by hand, to read secrets or follow a plan, use `DojoEnv` directly):
 *
 *   const played = await rollout(new ScriptedPersona('senior'), [{ type: elicitation, seed: 7 }]);
 *   played[0].trace.reward.outcome;
 *
 * Up to `concurrency` episodes are live at once, stepped in lockstep: one batched policy call per
 * step over every live episode (the built-in model decodes them in one forward pass); a policy that
 * does not declare itself `batched` plays one episode at a time by default. When an
 * episode ends, the next spec takes its slot. Finished episodes are reported in spec order.
 * Decisions never depend on batching: scripted personas and the built-in model sample from
 * generators keyed by episode (or sampling key) and turn.
 *
 * `EpisodeBatch` is the loop's body (start, collect the live inputs, apply the outputs); `rollout`
 * drives it with `policy.act`, `rolloutSync` with `policy.actSync` for policies that compute
 * in-process.
 */
import type { Action, EpisodeWorld, OutcomeFacts, ScenarioOptions } from '../core/episode.js';
import { DojoError } from '../core/errors.js';
import type { Observation, RenderMode } from '../core/observation.js';
import type { Trace } from '../core/trace.js';
import { DojoEnv, type EnvConfig, type StepResult } from '../env/env.js';
import type { Policy, PolicyInput, PolicyOutput } from '../policy/types.js';

/** One episode to play: a type, a scenario seed and options. */
export interface EpisodeSpec {
  type: EpisodeWorld;
  seed: number;
  options?: ScenarioOptions;
  /** Group id (GRPO: the episodes of one scenario share it). */
  group?: number;
  /** Sampling key (default: the episode id); distinct keys make repeats of one scenario sample differently. */
  key?: string;
}

/** A finished episode: its trace and the policy's output at every step. */
export interface PlayedEpisode {
  spec: EpisodeSpec;
  trace: Trace;
  outputs: PolicyOutput[];
}

/** What happened at one step (transcripts, imitation data). */
export interface StepEvent {
  /** Index of the episode's spec. */
  index: number;
  spec: EpisodeSpec;
  /** What the policy was given: the observation and, when it reads them, the legal actions. */
  input: PolicyInput;
  output: PolicyOutput;
  result: StepResult;
}

export interface RolloutOptions {
  /** Renderings of each observation (default: those the policy declares it reads). */
  render?: readonly RenderMode[];
  /** Episodes live at once (default: all of them for a batched policy, else one). */
  concurrency?: number;
  /** Environment settings other than rendering and the policy name. */
  env?: Omit<EnvConfig, 'render' | 'policyName'>;
  /** Name recorded in each trace (default: the policy's name). */
  policyName?: string;
  /** Called after every step. */
  onStep?(event: StepEvent): void;
  /** Called with each finished episode, in spec order. */
  onEpisode?(episode: PlayedEpisode, index: number): void;
  /** Return the finished episodes (default true; false keeps memory flat over long batches). */
  keep?: boolean;
}

/** The legal actions handed to a policy that does not read them (shared, never filled). */
const NO_ACTIONS: Action[] = [];

/** A policy that returned the wrong number of outputs, or none. */
export class PolicyOutputError extends DojoError {
  override name = 'PolicyOutputError';
}

interface Slot {
  index: number;
  spec: EpisodeSpec;
  env: DojoEnv;
  observation: Observation;
  outputs: PolicyOutput[];
}

/**
 * The loop's state: the live episodes and what comes next. `inputs()` lists what the policy must
 * answer (one per live episode, in a stable order), `apply(outputs)` steps every live episode with
 * its output, retires the finished ones and starts the next specs in their place.
 */
export class EpisodeBatch {
  private readonly specs: Iterator<EpisodeSpec>;
  private readonly live: Slot[] = [];
  private readonly concurrency: number;
  private readonly render: readonly RenderMode[];
  private readonly needsLegalActions: boolean;
  private readonly idle = new Map<EpisodeWorld, DojoEnv[]>();
  private readonly finished = new Map<number, PlayedEpisode>();
  private readonly results: PlayedEpisode[] = [];
  /** The inputs last handed out, in live order. */
  private pending: PolicyInput[] = [];
  private next = 0;
  private emitted = 0;
  private exhausted = false;

  constructor(
    private readonly policy: Policy,
    specs: Iterable<EpisodeSpec>,
    private readonly options: RolloutOptions = {},
  ) {
    this.specs = specs[Symbol.iterator]();
    this.concurrency = options.concurrency ?? (policy.capabilities.batched ? Number.POSITIVE_INFINITY : 1);
    if (!(this.concurrency >= 1)) throw new RangeError(`concurrency must be at least 1, got ${options.concurrency}`);
    this.render = options.render ?? policy.capabilities.observes;
    this.needsLegalActions = policy.capabilities.needsLegalActions;
    this.fill();
  }

  get done(): boolean {
    return this.live.length === 0;
  }

  /** What the policy answers next: one input per live episode. */
  inputs(): PolicyInput[] {
    const inputs = new Array<PolicyInput>(this.live.length);
    for (let k = 0; k < this.live.length; k++) {
      const slot = this.live[k] as Slot;
      inputs[k] = {
        observation: slot.observation,
        legalActions: this.needsLegalActions ? slot.env.legalActions() : NO_ACTIONS,
        key: slot.spec.key,
      };
    }
    this.pending = inputs;
    return inputs;
  }

  /** Steps every live episode with its output (in `inputs()` order). */
  apply(outputs: readonly PolicyOutput[]): void {
    if (this.pending.length !== this.live.length) throw new DojoError('EpisodeBatch.apply() without inputs(): ask for the inputs first');
    if (outputs.length !== this.live.length)
      throw new PolicyOutputError(
        `policy ${this.policy.name} returned ${outputs.length} output(s) for ${this.live.length} input(s); act() must answer every input in order`,
      );
    // The live episodes that go on keep their order (compacted in place).
    let kept = 0;
    for (let k = 0; k < this.live.length; k++) {
      const slot = this.live[k] as Slot;
      const output = outputs[k] as PolicyOutput;
      const result = slot.env.stepSync(output.action);
      slot.outputs.push(output);
      this.options.onStep?.({ index: slot.index, spec: slot.spec, input: this.pending[k] as PolicyInput, output, result });
      slot.observation = result.observation;
      if (result.terminated || result.truncated) this.retire(slot);
      else this.live[kept++] = slot;
    }
    this.live.length = kept;
    this.pending = [];
    this.fill();
  }

  /** The finished episodes, in spec order (empty with `keep: false`). */
  played(): PlayedEpisode[] {
    return this.results;
  }

  private fill(): void {
    while (!this.exhausted && this.live.length < this.concurrency) {
      const next = this.specs.next();
      if (next.done) {
        this.exhausted = true;
        break;
      }
      const spec = next.value;
      const env = this.idle.get(spec.type)?.pop() ?? this.newEnv(spec.type);
      const { observation } = env.resetSync(spec);
      this.live.push({ index: this.next++, spec, env, observation, outputs: [] });
    }
  }

  private newEnv(type: EpisodeWorld): DojoEnv {
    return new DojoEnv(type, { ...this.options.env, render: this.render, policyName: this.options.policyName ?? this.policy.name });
  }

  private retire(slot: Slot): void {
    const episode: PlayedEpisode = { spec: slot.spec, trace: slot.env.trace(), outputs: slot.outputs };
    const pool = this.idle.get(slot.spec.type);
    if (pool) pool.push(slot.env);
    else this.idle.set(slot.spec.type, [slot.env]);
    this.finished.set(slot.index, episode);
    // Report in spec order: an episode waits until every earlier one has finished.
    for (let ready = this.finished.get(this.emitted); ready; ready = this.finished.get(this.emitted)) {
      this.finished.delete(this.emitted);
      this.options.onEpisode?.(ready, this.emitted);
      if (this.options.keep !== false) this.results.push(ready);
      this.emitted++;
    }
  }
}

/** Plays every spec to its end with the policy (see the module comment); the episodes in spec order. */
export async function rollout(policy: Policy, specs: Iterable<EpisodeSpec>, options: RolloutOptions = {}): Promise<PlayedEpisode[]> {
  // A policy that computes in-process gives the same decisions either way: skip a promise per step.
  if (policy.actSync) return rolloutSync(policy, specs, options);
  const batch = new EpisodeBatch(policy, specs, options);
  while (!batch.done) batch.apply(await policy.act(batch.inputs()));
  return batch.played();
}

/** `rollout` for a policy that computes in-process (`actSync`): the same loop, without promises. */
export function rolloutSync(policy: Policy, specs: Iterable<EpisodeSpec>, options: RolloutOptions = {}): PlayedEpisode[] {
  const act = policy.actSync;
  if (!act) throw new DojoError(`policy ${policy.name} has no synchronous act(); use rollout()`);
  const batch = new EpisodeBatch(policy, specs, options);
  while (!batch.done) batch.apply(act.call(policy, batch.inputs()));
  return batch.played();
}

/** One episode of `type` on `seed` with a policy that computes in-process: its trace. */
export function playSync<View extends Record<string, unknown>, Facts extends OutcomeFacts, Hidden extends Record<string, unknown>>(
  policy: Policy,
  type: EpisodeWorld<View, Facts, Hidden>,
  seed: number,
  options?: ScenarioOptions,
): Trace<Facts, Hidden> {
  const [played] = rolloutSync(policy, [{ type, seed, options }]);
  return (played as PlayedEpisode).trace as Trace<Facts, Hidden>;
}
