/**
 * One call flow for the remote providers: read the key once, POST the wire body, map every failure
 * to a `ProviderError`, read usage and the reply, map the finish reason, and pass every echoed text
 * through `redact`. A wire protocol (OpenAI Chat Completions, Anthropic Messages) supplies only
 * what differs: the path, the headers, the body and how to read the reply.
 */

import {
  asNumber,
  asRecord,
  bodySnippet,
  estimateUsage,
  noPricingWarning,
  postJson,
  readKey,
  redactSecrets,
  TRUNCATED_WARNING,
  trimSlash,
} from './http.js';
import {
  DEFAULT_MAX_RESPONSE_BYTES,
  type FinishReason,
  type ModelPricing,
  type ModelProvider,
  type ModelRequest,
  type ModelResponse,
  PROVIDER_INTERFACE_VERSION,
  type ProviderCapabilities,
  type ToolCall,
  ZERO_USAGE,
} from './types.js';

/** Options every remote provider takes. */
export interface RemoteProviderOptions {
  /** Model id; each provider names its default. */
  model?: string;
  /** API root without `/v1`; each provider names its default. */
  baseUrl?: string;
  /** Name of the environment variable holding the key; each provider names its default. */
  apiKeyEnv?: string;
  /** The environment to read the key from; default `process.env`. */
  env?: Record<string, string | undefined>;
  /** Prices for the cost estimate; without them the cost is estimated as 0, with a warning. */
  pricing?: ModelPricing;
  /** Injected for tests; Node's global fetch by default. */
  fetch?: typeof fetch;
}

/** What a wire protocol read from a response body. */
export interface WireReply {
  inputTokens: number;
  outputTokens: number;
  /** The reply, or what the body lacks (the message names the API: "no content[] in Messages API response"). */
  reply: { text: string; toolCalls: ToolCall[]; finishReason: unknown } | { malformed: string };
}

/** What differs between the remote APIs. */
export interface WireProtocol {
  /** The provider's name in results and traces. */
  name: string;
  /** How a missing-key message names the provider ("the OpenAI-compatible provider"). */
  label: string;
  /** Appended to the base URL. */
  path: string;
  headers(key: string | undefined): Record<string, string>;
  /** The request body; settings the API does not support are dropped with a warning. */
  body(model: string, request: ModelRequest, warnings: string[]): Record<string, unknown>;
  read(body: Record<string, unknown> | undefined): WireReply;
  finishReasons: ReadonlyMap<string, FinishReason>;
}

export interface RemoteProviderSetup {
  protocol: WireProtocol;
  options: RemoteProviderOptions;
  defaultModel: string;
  defaultBaseUrl: string;
  defaultKeyEnv: string;
  /** Prices used when the options give none (a known model's list price). */
  defaultPricing?: ModelPricing | undefined;
  capabilities: ProviderCapabilities;
  /** Call without a key (local compatible servers). */
  keyOptional?: boolean | undefined;
}

export function createRemoteProvider(setup: RemoteProviderSetup): ModelProvider {
  const { protocol, options } = setup;
  const model = options.model ?? setup.defaultModel;
  const baseUrl = trimSlash(options.baseUrl ?? setup.defaultBaseUrl);
  const keyEnv = options.apiKeyEnv ?? setup.defaultKeyEnv;
  const key = readKey(options.env ?? process.env, keyEnv);
  const pricing = options.pricing ?? setup.defaultPricing;
  const redact = (text: string) => redactSecrets(text, [key]);

  return {
    specificationVersion: PROVIDER_INTERFACE_VERSION,
    name: protocol.name,
    model,
    capabilities: { ...setup.capabilities },
    redact,
    async generate(request, callOptions = {}): Promise<ModelResponse> {
      const warnings = pricing ? [] : [noPricingWarning(model)];
      const done = (response: ModelResponse): ModelResponse => ({ ...response, warnings: response.warnings.map(redact) });
      if (!key && !setup.keyOptional) {
        return done({
          ok: false,
          error: { kind: 'missing_key', message: `environment variable ${keyEnv} is not set; export it to use ${protocol.label}` },
          usage: { ...ZERO_USAGE },
          warnings,
        });
      }
      const result = await postJson(`${baseUrl}${protocol.path}`, protocol.headers(key), protocol.body(model, request, warnings), {
        signal: callOptions.signal,
        maxResponseBytes: callOptions.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
        redact,
        fetch: options.fetch,
      });
      if (!result.ok) return done({ ok: false, error: result.error, usage: { ...ZERO_USAGE }, warnings });

      const read = protocol.read(asRecord(result.body));
      const usage = estimateUsage(read.inputTokens, read.outputTokens, pricing);
      if ('malformed' in read.reply) {
        return done({
          ok: false,
          error: { kind: 'malformed_response', message: `${read.reply.malformed}: ${bodySnippet(result.body, redact)}` },
          usage,
          warnings,
        });
      }
      const { text, toolCalls, finishReason: raw } = read.reply;
      const rawFinishReason = typeof raw === 'string' ? redact(raw) : 'unknown';
      const finishReason = protocol.finishReasons.get(rawFinishReason) ?? 'other';
      if (finishReason === 'length') warnings.push(TRUNCATED_WARNING);
      return done({
        ok: true,
        text: redact(text),
        toolCalls: toolCalls.map((call) => ({ id: redact(call.id), name: redact(call.name), arguments: redact(call.arguments) })),
        finishReason,
        rawFinishReason,
        usage,
        warnings,
      });
    },
  };
}

/** Token counts read from a usage object under the API's own field names. */
export function readTokens(usage: unknown, input: string, output: string): { inputTokens: number; outputTokens: number } {
  const record = asRecord(usage);
  return { inputTokens: asNumber(record?.[input]), outputTokens: asNumber(record?.[output]) };
}
