/**
 * The built-in model as a `Policy`: batched constrained decoding over the legal actions.
 *
 * The context is the observation's compact tokens followed by `<act>`; the model then writes the
 * action's tokens (`act:<type>`, `<arg>=<value>` ..., `<eos>`). At every step the next token is
 * restricted to those that continue some legal action (a prefix trie of the legal actions' token
 * sequences), and its log-probability is taken under that same restriction: a masked softmax. A
 * step with one allowed token is forced (probability 1) and needs no forward pass. The trainer
 * recomputes log-probabilities from the recorded context, tokens and allowed sets.
 */

import type { Action } from '../core/episode.js';
import { hashString, LazyRng, type Rng } from '../core/rng.js';
import { maskedLogSoftmax } from '../model/masked-softmax.js';
import { ACT, PAD, type Tokenizer } from '../model/tokenizer.js';
import type { Transformer } from '../model/transformer.js';
import type { Policy, PolicyCapabilities, PolicyInput, PolicyOutput, TokenDecision } from './types.js';

/** A decision with the legal action its tokens spell. */
export interface DecisionRecord extends TokenDecision {
  action: Action;
}

export interface ModelPolicyOptions {
  /** Apply the LoRA adapters (false: the base model). */
  lora: boolean;
  /** Pick the most likely legal token instead of sampling (evaluation). */
  greedy?: boolean;
  temperature?: number;
  seed?: number;
  name?: string;
}

interface TrieNode {
  children: Map<number, TrieNode>;
}

function buildTrie(sequences: readonly number[][]): TrieNode {
  const root: TrieNode = { children: new Map() };
  for (const seq of sequences) {
    let node = root;
    for (const id of seq) {
      let next = node.children.get(id);
      if (!next) {
        next = { children: new Map() };
        node.children.set(id, next);
      }
      node = next;
    }
  }
  return root;
}

/** Fits a context into `budget` tokens: keeps the first `head` tokens and the most recent rest. */
export function fitContext(ids: number[], budget: number, head = 3): number[] {
  if (ids.length <= budget) return ids;
  return [...ids.slice(0, head), ...ids.slice(ids.length - (budget - head))];
}

interface Pending {
  index: number;
  context: number[];
  node: TrieNode;
  actions: Map<string, Action>;
  tokens: number[];
  allowed: number[][];
  logProbs: number[];
  value: number;
  rng: Rng;
  done: boolean;
}

export class ModelPolicy implements Policy {
  /** Reads the compact tokens and decodes among the legal actions. */
  readonly capabilities: PolicyCapabilities = {
    trainable: true,
    observes: ['structured', 'tokens'],
    needsLegalActions: true,
    batched: true,
  };
  readonly name: string;

  constructor(
    readonly model: Transformer,
    readonly tokenizer: Tokenizer,
    readonly options: ModelPolicyOptions,
  ) {
    this.name = options.name ?? (options.lora ? 'model' : 'base');
  }

  /** The longest action a context must leave room for. */
  static readonly ACTION_BUDGET = 6;

  encodeContext(observationTokens: readonly string[]): number[] {
    const ids = this.tokenizer.encode(observationTokens);
    return [...fitContext(ids, this.model.config.maxSeq - ModelPolicy.ACTION_BUDGET - 1), this.tokenizer.id(ACT)];
  }

  async act(inputs: readonly PolicyInput[]): Promise<PolicyOutput[]> {
    return this.actSync(inputs);
  }

  actSync(inputs: readonly PolicyInput[]): PolicyOutput[] {
    return this.decide(inputs).map(({ action, ...decision }) => ({ action, decision }));
  }

  /**
   * Decodes one constrained action per input, batching the model's forward passes. Sampling draws
   * from a generator keyed by the policy's seed, the input's sampling key (default: the episode id)
   * and the turn, so an episode plays the same whatever it is batched with.
   */
  decide(inputs: readonly PolicyInput[]): DecisionRecord[] {
    const pending: Pending[] = inputs.map((input, index) => {
      const tokens = input.observation.tokens;
      if (!tokens) throw new Error('the built-in model needs token observations: create the environment with render including "tokens"');
      if (input.legalActions.length === 0) throw new Error(`no legal actions for episode ${input.observation.structured.episodeId}`);
      const structured = input.observation.structured;
      const sequences = input.legalActions.map((a) => this.tokenizer.encodeAction(a));
      return {
        index,
        context: this.encodeContext(tokens),
        node: buildTrie(sequences),
        actions: new Map(sequences.map((seq, i) => [seq.join(','), input.legalActions[i] as Action])),
        tokens: [],
        allowed: [],
        logProbs: [],
        value: 0,
        rng: new LazyRng(hashString(`${this.name}|${this.options.seed ?? 0}|${input.key ?? structured.episodeId}`), structured.turn),
        done: false,
      };
    });
    const temperature = this.options.temperature ?? 1;
    for (let step = 0; pending.some((p) => !p.done); step++) {
      // Forced steps need no forward pass, except the first (the value is read there).
      const needForward = pending.filter((p) => !p.done && (step === 0 || p.node.children.size > 1));
      let logits: Float32Array = new Float32Array(0);
      let values: Float32Array = new Float32Array(0);
      const row = new Map<Pending, number>();
      if (needForward.length > 0) {
        const seq = Math.max(...needForward.map((p) => p.context.length + p.tokens.length));
        const ids = new Int32Array(needForward.length * seq).fill(this.tokenizer.id(PAD));
        const positions = new Int32Array(needForward.length);
        needForward.forEach((p, b) => {
          const full = [...p.context, ...p.tokens];
          ids.set(full, b * seq);
          positions[b] = b * seq + full.length - 1;
          row.set(p, b);
        });
        ({ logits, values } = this.model.forward({ ids, batch: needForward.length, seq, positions }, { lora: this.options.lora }));
      }
      const V = this.model.config.vocabSize;
      for (const p of pending) {
        if (p.done) continue;
        const allowed = [...p.node.children.keys()];
        const b = row.get(p);
        if (step === 0 && b !== undefined) p.value = values[b] as number;
        let choice = 0;
        let logProb = 0;
        if (allowed.length > 1 && b !== undefined) {
          const lp = maskedLogSoftmax(logits, b * V, allowed, temperature);
          if (this.options.greedy) {
            for (let i = 1; i < lp.length; i++) if ((lp[i] as number) > (lp[choice] as number)) choice = i;
          } else {
            let u = p.rng.next();
            choice = lp.length - 1;
            for (let i = 0; i < lp.length; i++) {
              u -= Math.exp(lp[i] as number);
              if (u <= 0) {
                choice = i;
                break;
              }
            }
          }
          logProb = lp[choice] as number;
        }
        const id = allowed[choice] as number;
        p.tokens.push(id);
        p.allowed.push(allowed);
        p.logProbs.push(logProb);
        p.node = p.node.children.get(id) as TrieNode;
        if (p.node.children.size === 0) p.done = true;
      }
    }
    return pending.map((p) => ({
      context: p.context,
      tokens: p.tokens,
      allowed: p.allowed,
      logProbs: p.logProbs,
      value: p.value,
      action: p.actions.get(p.tokens.join(',')) as Action,
    }));
  }
}
