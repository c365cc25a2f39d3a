/**
 * The built-in model's configuration, and its mapping to a Hugging Face `LlamaConfig` so the saved
 * `config.json` + `model.safetensors` load as `LlamaForCausalLM` in transformers.
 */
import { z } from 'zod';

export const ModelConfigSchema = z
  .object({
    vocabSize: z.number().int().min(8).describe('vocabulary size (set from the tokenizer)'),
    dim: z.number().int().min(8).describe('hidden size'),
    layers: z.number().int().min(1).max(48).describe('transformer blocks'),
    heads: z.number().int().min(1).describe('attention heads (dim must be divisible by heads; head size even)'),
    hidden: z.number().int().min(8).describe('gated-MLP intermediate size'),
    maxSeq: z.number().int().min(8).describe('longest sequence (observation + action tokens)'),
    ropeTheta: z.number().positive().describe('rotary-position base'),
    normEps: z.number().positive().describe('RMSNorm epsilon'),
  })
  .strict()
  .refine((c) => c.dim % c.heads === 0 && (c.dim / c.heads) % 2 === 0, {
    message: 'dim must be divisible by heads, with an even head size (rotary positions rotate pairs)',
  });

export type ModelConfig = z.infer<typeof ModelConfigSchema>;

/** The default: about 0.6 M parameters, small enough to train in minutes on 2 CPU cores. */
export const DEFAULT_MODEL: Omit<ModelConfig, 'vocabSize'> = {
  dim: 96,
  layers: 3,
  heads: 4,
  hidden: 256,
  maxSeq: 96,
  ropeTheta: 10000,
  normEps: 1e-5,
};

export function headDim(config: ModelConfig): number {
  return config.dim / config.heads;
}

/** The transformers `config.json` of this model (LlamaForCausalLM, untied embeddings, no biases). */
export function toHuggingFaceConfig(config: ModelConfig, ids: { bos: number; eos: number; pad: number }): Record<string, unknown> {
  return {
    architectures: ['LlamaForCausalLM'],
    model_type: 'llama',
    vocab_size: config.vocabSize,
    hidden_size: config.dim,
    intermediate_size: config.hidden,
    num_hidden_layers: config.layers,
    num_attention_heads: config.heads,
    num_key_value_heads: config.heads,
    head_dim: headDim(config),
    hidden_act: 'silu',
    max_position_embeddings: config.maxSeq,
    rms_norm_eps: config.normEps,
    rope_theta: config.ropeTheta,
    attention_bias: false,
    mlp_bias: false,
    tie_word_embeddings: false,
    bos_token_id: ids.bos,
    eos_token_id: ids.eos,
    pad_token_id: ids.pad,
    torch_dtype: 'float32',
  };
}

/** Reads a `config.json` written by `toHuggingFaceConfig`; `file` names the source in errors. */
export function fromHuggingFaceConfig(json: Record<string, unknown>, file = 'config.json'): ModelConfig {
  const need = (key: string): number => {
    const v = json[key];
    if (typeof v !== 'number') throw new Error(`${file}: field "${key}" must be a number (got ${JSON.stringify(v)})`);
    return v;
  };
  if (json.model_type !== 'llama') throw new Error(`${file}: field "model_type" must be "llama" (got ${JSON.stringify(json.model_type)})`);
  if (json.num_key_value_heads !== undefined && json.num_key_value_heads !== json.num_attention_heads)
    throw new Error(`${file}: grouped-query attention (num_key_value_heads != num_attention_heads) is not supported by the built-in model`);
  const parsed = ModelConfigSchema.safeParse({
    vocabSize: need('vocab_size'),
    dim: need('hidden_size'),
    layers: need('num_hidden_layers'),
    heads: need('num_attention_heads'),
    hidden: need('intermediate_size'),
    maxSeq: need('max_position_embeddings'),
    ropeTheta: need('rope_theta'),
    normEps: need('rms_norm_eps'),
  });
  if (!parsed.success) throw new Error(`${file}: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  return parsed.data;
}
