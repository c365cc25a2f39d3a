/**
 * OpenAI-compatible chat completions provider: `POST {baseUrl}/v1/chat/completions` with a bearer
 * key. Works with OpenAI and with compatible servers (vLLM, llama.cpp, gateways). The key is read
 * from the environment (OPENAI_API_KEY by default), kept in a closure and redacted from every echoed text.
 */

import { asNumber, asRecord, estimateUsage, postJson, readKey, redactSecrets, trimSlash } from './http.js';
import { JUDGE_INTERFACE_VERSION, type JudgeProvider, type JudgeResponse, type ModelPricing, ZERO_USAGE } from './types.js';

export const OPENAI_DEFAULT_MODEL = 'gpt-4.1';
export const OPENAI_DEFAULT_BASE_URL = 'https://api.openai.com';

export interface OpenAIProviderOptions {
  /** Model id; default `gpt-4.1`. */
  model?: string;
  /** API root without `/v1`; default `https://api.openai.com`. */
  baseUrl?: string;
  /** Name of the environment variable holding the key; default `OPENAI_API_KEY`. */
  apiKeyEnv?: string;
  /** Allow calls without a key (local compatible servers); default false. */
  keyOptional?: boolean;
  /** The environment to read the key from; default `process.env`. */
  env?: Record<string, string | undefined>;
  /** Ask for `response_format: {type: 'json_object'}`; default true. Turn off for servers that reject it. */
  jsonMode?: boolean;
  /** Prices for the cost estimate; without them the cost is estimated as 0, with a warning. */
  pricing?: ModelPricing;
  /** Injected for tests; Node's global fetch by default. */
  fetch?: typeof fetch;
}

export function createOpenAIProvider(options: OpenAIProviderOptions = {}): JudgeProvider {
  const model = options.model ?? OPENAI_DEFAULT_MODEL;
  const baseUrl = trimSlash(options.baseUrl ?? OPENAI_DEFAULT_BASE_URL);
  const keyEnv = options.apiKeyEnv ?? 'OPENAI_API_KEY';
  const key = readKey(options.env ?? process.env, keyEnv);
  const jsonMode = options.jsonMode ?? true;
  const pricing = options.pricing;
  const redact = (text: string) => redactSecrets(text, [key]);

  return {
    specificationVersion: JUDGE_INTERFACE_VERSION,
    name: 'openai',
    model,
    capabilities: { remote: true, jsonMode },
    redact,
    async judge(request, callOptions): Promise<JudgeResponse> {
      const warnings = pricing ? [] : [`no pricing for model ${model}: cost estimated as 0; pass pricing to enforce a cost budget`];
      if (!key && !options.keyOptional) {
        return {
          ok: false,
          error: {
            kind: 'missing_key',
            message: `environment variable ${keyEnv} is not set; export it to use the OpenAI-compatible judge`,
          },
          usage: ZERO_USAGE,
          warnings,
        };
      }
      const result = await postJson(
        `${baseUrl}/v1/chat/completions`,
        key ? { authorization: `Bearer ${key}` } : {},
        {
          model,
          max_tokens: request.maxOutputTokens,
          temperature: request.temperature ?? 0,
          messages: [
            { role: 'system', content: request.system },
            { role: 'user', content: request.prompt },
          ],
          ...(jsonMode ? { response_format: { type: 'json_object' } } : {}),
        },
        { signal: callOptions.signal, maxResponseBytes: callOptions.maxResponseBytes, redact, fetch: options.fetch },
      );
      if (!result.ok) return { ok: false, error: result.error, usage: ZERO_USAGE, warnings };

      const body = asRecord(result.body);
      const usageRecord = asRecord(body?.usage);
      const usage = estimateUsage(asNumber(usageRecord?.prompt_tokens), asNumber(usageRecord?.completion_tokens), pricing);
      const choice = Array.isArray(body?.choices) ? asRecord(body.choices[0]) : undefined;
      const content = asRecord(choice?.message)?.content;
      if (typeof content !== 'string') {
        const snippet = redact(JSON.stringify(result.body)).slice(0, 300);
        return {
          ok: false,
          error: { kind: 'malformed_response', message: `no choices[0].message.content in chat completion: ${snippet}` },
          usage,
          warnings,
        };
      }
      const finishReason = typeof choice?.finish_reason === 'string' ? choice.finish_reason : 'unknown';
      if (finishReason === 'length') warnings.push('the reply hit max_tokens and may be truncated; raise maxOutputTokens');
      return { ok: true, text: redact(content), finishReason, usage, warnings };
    },
  };
}
