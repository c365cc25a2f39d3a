/**
 * Anthropic Messages API provider: `POST {baseUrl}/v1/messages` with `x-api-key` and
 * `anthropic-version`. The key is read from the environment (ANTHROPIC_API_KEY by default) when the
 * provider is created, kept in a closure (never a property) and redacted from every echoed text.
 */

import { asNumber, asRecord, estimateUsage, postJson, readKey, redactSecrets, trimSlash } from './http.js';
import { JUDGE_INTERFACE_VERSION, type JudgeProvider, type JudgeResponse, type ModelPricing, ZERO_USAGE } from './types.js';

export const ANTHROPIC_DEFAULT_MODEL = 'claude-opus-4-1-20250805';
export const ANTHROPIC_DEFAULT_BASE_URL = 'https://api.anthropic.com';
export const ANTHROPIC_VERSION = '2023-06-01';

/** Opus-class list prices per million tokens (USD), used when no pricing is given for the default model. */
const OPUS_PRICING: ModelPricing = { inputPerMillion: 15, outputPerMillion: 75 };

export interface AnthropicProviderOptions {
  /** Model id; default `claude-opus-4-1-20250805`. */
  model?: string;
  /** API root without `/v1`; default `https://api.anthropic.com`. */
  baseUrl?: string;
  /** Name of the environment variable holding the key; default `ANTHROPIC_API_KEY`. */
  apiKeyEnv?: string;
  /** The environment to read the key from; default `process.env`. */
  env?: Record<string, string | undefined>;
  /** Prices for the cost estimate; the Opus list price for the default model, otherwise 0 with a warning. */
  pricing?: ModelPricing;
  /** Injected for tests; Node's global fetch by default. */
  fetch?: typeof fetch;
}

export function createAnthropicProvider(options: AnthropicProviderOptions = {}): JudgeProvider {
  const model = options.model ?? ANTHROPIC_DEFAULT_MODEL;
  const baseUrl = trimSlash(options.baseUrl ?? ANTHROPIC_DEFAULT_BASE_URL);
  const keyEnv = options.apiKeyEnv ?? 'ANTHROPIC_API_KEY';
  const key = readKey(options.env ?? process.env, keyEnv);
  const pricing = options.pricing ?? (model === ANTHROPIC_DEFAULT_MODEL ? OPUS_PRICING : undefined);
  const redact = (text: string) => redactSecrets(text, [key]);

  return {
    specificationVersion: JUDGE_INTERFACE_VERSION,
    name: 'anthropic',
    model,
    capabilities: { remote: true, jsonMode: false },
    redact,
    async judge(request, callOptions): Promise<JudgeResponse> {
      const warnings = pricing ? [] : [`no pricing for model ${model}: cost estimated as 0; pass pricing to enforce a cost budget`];
      if (!key) {
        return {
          ok: false,
          error: { kind: 'missing_key', message: `environment variable ${keyEnv} is not set; export it to use the Anthropic judge` },
          usage: ZERO_USAGE,
          warnings,
        };
      }
      const result = await postJson(
        `${baseUrl}/v1/messages`,
        { 'x-api-key': key, 'anthropic-version': ANTHROPIC_VERSION },
        {
          model,
          max_tokens: request.maxOutputTokens,
          temperature: request.temperature ?? 0,
          system: request.system,
          messages: [{ role: 'user', content: request.prompt }],
        },
        { signal: callOptions.signal, maxResponseBytes: callOptions.maxResponseBytes, redact, fetch: options.fetch },
      );
      if (!result.ok) return { ok: false, error: result.error, usage: ZERO_USAGE, warnings };

      const body = asRecord(result.body);
      const usageRecord = asRecord(body?.usage);
      const usage = estimateUsage(asNumber(usageRecord?.input_tokens), asNumber(usageRecord?.output_tokens), pricing);
      const content = Array.isArray(body?.content) ? body.content : undefined;
      if (!content) {
        const snippet = redact(JSON.stringify(result.body)).slice(0, 300);
        return {
          ok: false,
          error: { kind: 'malformed_response', message: `no content[] in Messages API response: ${snippet}` },
          usage,
          warnings,
        };
      }
      const text = content
        .map((block) => asRecord(block))
        .filter((block) => block?.type === 'text' && typeof block.text === 'string')
        .map((block) => block?.text as string)
        .join('');
      const finishReason = typeof body?.stop_reason === 'string' ? body.stop_reason : 'unknown';
      if (finishReason === 'max_tokens') warnings.push('the reply hit max_tokens and may be truncated; raise maxOutputTokens');
      return { ok: true, text: redact(text), finishReason, usage, warnings };
    },
  };
}
