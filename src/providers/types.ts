/**
 * The model provider interface, version `dojo.provider/1`.
 *
 * Dependency-free on purpose: a provider is a frozen model backend that turns a conversation
 * (messages, optional tool definitions) into the model's reply (text, tool calls, a finish reason,
 * usage). It never throws for remote failures or unsupported settings: a failure comes back as a
 * typed error kind, an unsupported setting as a line in `warnings[]`. Retries, budgets and caches
 * belong to the caller (the judge client, a policy), which owns the clock.
 */

export const PROVIDER_INTERFACE_VERSION = 'dojo.provider/1';

// ---------------------------------------------------------------------------------------------
// Request
// ---------------------------------------------------------------------------------------------

/** One tool call the model made: which tool, with what arguments. */
export interface ToolCall {
  /** The provider's id for the call; a tool result names it in `toolCallId`. */
  id: string;
  /** The tool's name, as in `ToolDefinition.name`. */
  name: string;
  /**
   * The arguments as JSON text, exactly as the model wrote them. May be malformed or break the
   * tool's schema: the caller parses and validates.
   */
  arguments: string;
}

/** One turn of the conversation. */
export type ModelMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string }
  | {
      role: 'assistant';
      /** The assistant's text; may be empty when it only called tools. */
      content: string;
      toolCalls?: readonly ToolCall[];
    }
  | {
      /** The result of one earlier tool call, sent back to the model. */
      role: 'tool';
      toolCallId: string;
      content: string;
      /** True when the call failed (Anthropic marks the result `is_error`; OpenAI has no such flag). */
      isError?: boolean;
    };

/** A tool the model may call. */
export interface ToolDefinition {
  /** Letters, digits, `_` and `-`; at most 64 characters for both OpenAI and Anthropic. */
  name: string;
  description?: string;
  /** JSON Schema (an `object` schema) of the arguments. */
  parameters: Record<string, unknown>;
}

/**
 * Whether the model must call a tool: `auto` (it decides), `none` (text only), `required` (some
 * tool), or one named tool.
 */
export type ToolChoice = 'auto' | 'none' | 'required' | { tool: string };

export interface ModelRequest {
  messages: readonly ModelMessage[];
  tools?: readonly ToolDefinition[];
  /** Provider default (`auto` when tools are given) when left out. */
  toolChoice?: ToolChoice;
  /** Upper bound on generated tokens; a provider that requires one uses its own default when left out. */
  maxOutputTokens?: number;
  /** Sampling temperature; the server's default when left out. */
  temperature?: number;
  /** `json` asks for one JSON object as the reply, where the provider declares `jsonMode`. */
  responseFormat?: 'text' | 'json';
}

export interface GenerateOptions {
  /** Aborts the call. The caller combines its own signal with any timeout it wants. */
  signal?: AbortSignal;
  /** Response-body cap in bytes; a larger body is an `oversized` error. Default 1 MiB. */
  maxResponseBytes?: number;
  /** Names the request in error messages (for example `episode ep-1`); never sent to the model. */
  label?: string;
}

export const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;

// ---------------------------------------------------------------------------------------------
// Response
// ---------------------------------------------------------------------------------------------

/**
 * Why the model stopped, the same for every provider (the provider's own word is in
 * `rawFinishReason`):
 * - `stop`: it finished its reply (OpenAI `stop`; Anthropic `end_turn`, `stop_sequence`).
 * - `length`: it hit `maxOutputTokens`; the reply may be cut off.
 * - `tool_calls`: it stopped to have its tool calls run.
 * - `content_filter`: the provider withheld or cut the reply (OpenAI `content_filter`, Anthropic `refusal`).
 * - `other`: anything else, or not reported.
 */
export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'other';

/**
 * Why a provider call failed.
 * - `missing_key`: the API key environment variable is unset or empty.
 * - `auth`: HTTP 401/403.
 * - `rate_limited`: HTTP 429 (worth retrying, honouring Retry-After).
 * - `server_error`: HTTP 5xx or 408 (worth retrying).
 * - `client_error`: any other HTTP 4xx (not worth retrying).
 * - `timeout`: a timeout signal fired (worth retrying).
 * - `network`: connection refused, reset, DNS (worth retrying).
 * - `aborted`: the caller's signal fired (not worth retrying).
 * - `oversized`: the response body exceeded the size cap (not worth retrying).
 * - `malformed_response`: the body was not the wire format expected (worth one retry).
 * - `no_recording`: the replay or mock provider has nothing recorded for this request.
 */
export type ProviderErrorKind =
  | 'missing_key'
  | 'auth'
  | 'rate_limited'
  | 'server_error'
  | 'client_error'
  | 'timeout'
  | 'network'
  | 'aborted'
  | 'oversized'
  | 'malformed_response'
  | 'no_recording';

export interface ProviderError {
  kind: ProviderErrorKind;
  /** Human-readable, with secrets redacted. */
  message: string;
  /** HTTP status, when there was a response. */
  status?: number;
  /** The raw Retry-After header of a 429/503, left to the caller to parse (it owns the clock). */
  retryAfter?: string;
}

export interface ModelUsage {
  inputTokens: number;
  outputTokens: number;
  /** Estimated cost in US dollars; 0 when the price of the model is unknown (with a warning). */
  costUsd: number;
}

export const ZERO_USAGE: ModelUsage = { inputTokens: 0, outputTokens: 0, costUsd: 0 };

/** Per-million-token prices in US dollars, for cost estimates. */
export interface ModelPricing {
  inputPerMillion: number;
  outputPerMillion: number;
}

/** What one call returns: the model's reply, or an error kind. Every text in it is redacted. */
export type ModelResponse =
  | {
      ok: true;
      /** The model's text; empty when it only called tools. */
      text: string;
      /** The tools it called, in order; empty when none. */
      toolCalls: ToolCall[];
      finishReason: FinishReason;
      /** The provider's own finish reason (`end_turn`, `stop`, `max_tokens`, `tool_use`, ...); `unknown` when absent. */
      rawFinishReason: string;
      usage: ModelUsage;
      warnings: string[];
    }
  | { ok: false; error: ProviderError; usage: ModelUsage; warnings: string[] };

// ---------------------------------------------------------------------------------------------
// Provider
// ---------------------------------------------------------------------------------------------

/** Declared, never detected (STYLE.md item 9). */
export interface ProviderCapabilities {
  /** True when the provider calls a remote service (costs money, can fail transiently). */
  remote: boolean;
  /** True when `responseFormat: 'json'` is honoured; otherwise it is ignored with a warning. */
  jsonMode: boolean;
  /** True when `tools` are sent to the model; otherwise they are dropped with a warning. */
  tools: boolean;
}

export interface ModelProvider {
  readonly specificationVersion: typeof PROVIDER_INTERFACE_VERSION;
  /** Short provider name (`anthropic`, `openai`, `replay`, `mock`); callers use it in cache keys. */
  readonly name: string;
  /** Model id; callers use it in cache keys. */
  readonly model: string;
  readonly capabilities: ProviderCapabilities;
  /** One model call. Never throws for remote failures or unsupported settings. */
  generate(request: ModelRequest, options?: GenerateOptions): Promise<ModelResponse>;
  /** Removes the provider's secrets from any text (callers use it on everything they log or store). */
  redact(text: string): string;
}
