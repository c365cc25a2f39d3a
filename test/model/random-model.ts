/** Transformers with random, non-trivial weights for the model, file-format and parity tests. */
import type { Rng } from '../../src/core/rng.js';
import type { ModelConfig } from '../../src/model/config.js';
import { initBase, initLora, initValueHead, type LoraConfig, type Param } from '../../src/model/params.js';
import { Transformer } from '../../src/model/transformer.js';

/** Sets every entry of the parameters to a N(0, std) draw. */
export function randomize(params: Map<string, Param>, rng: Rng, std: number): void {
  for (const p of params.values()) for (let i = 0; i < p.data.length; i++) p.data[i] = rng.normal(0, std);
}

/**
 * Base and value head drawn from N(0, std) with norm gains 1 ± 0.3 (larger-than-init weights make
 * every path, attention, gates and norms, carry real signal), and with `lora` an adapter drawn from
 * N(0, loraStd): B non-zero, and saved modules away from the base's.
 */
export function randomModel(config: ModelConfig, rng: Rng, std: number, lora?: { config: LoraConfig; std: number }): Transformer {
  const base = initBase(config, rng.fork('base'));
  randomize(base, rng.fork('rand'), std);
  for (const [name, p] of base)
    if (name.endsWith('norm.weight')) for (let i = 0; i < p.data.length; i++) p.data[i] = 1 + 0.3 * rng.normal();
  const value = initValueHead(config);
  randomize(value, rng.fork('value'), std);
  if (!lora) return new Transformer(config, base, value);
  const params = initLora(config, lora.config, rng.fork('lora'), base);
  randomize(params, rng.fork('lora-rand'), lora.std);
  return new Transformer(config, base, value, { config: lora.config, params });
}
