/**
 * The judge provider interface, version `dojo.judge/1`.
 *
 * Dependency-free on purpose: a provider is a frozen model backend that turns one rubric prompt
 * into text. It never throws for remote failures; every failure comes back as a typed error kind
 * with usage and `warnings[]`, and the client (`client.ts`) decides whether to retry, parses the
 * verdict and falls back to the heuristic scorer.
 */

export const JUDGE_INTERFACE_VERSION = 'dojo.judge/1';

/** One rubric prompt for one trace. */
export interface JudgeRequest {
  /** The episode id the request is about (for logs and failure records, not sent to the model). */
  id: string;
  /** The behavior codes the verdict must score, and only those. */
  codes: readonly string[];
  /** System prompt: the judge's role and the output contract. */
  system: string;
  /** User prompt: the rubric and the trace. */
  prompt: string;
  /** Upper bound on generated tokens. */
  maxOutputTokens: number;
  /** Sampling temperature; 0 when left out. */
  temperature?: number;
}

/** Declared, never detected (STYLE.md item 9). */
export interface JudgeCapabilities {
  /** True when the provider calls a remote service (costs money, can fail transiently). */
  remote: boolean;
  /** True when the provider can be asked for JSON-only output. */
  jsonMode: boolean;
}

/**
 * Why a provider call failed.
 * - `missing_key`: the API key environment variable is unset or empty.
 * - `auth`: HTTP 401/403.
 * - `rate_limited`: HTTP 429 (retried, honouring Retry-After).
 * - `server_error`: HTTP 5xx or 408 (retried).
 * - `client_error`: any other HTTP 4xx (not retried).
 * - `timeout`: the per-request timeout fired (retried).
 * - `network`: connection refused, reset, DNS (retried).
 * - `aborted`: the caller's signal fired (not retried).
 * - `oversized`: the response body exceeded the size cap (not retried).
 * - `malformed_response`: the body was not the wire format expected (retried once).
 * - `no_recording`: the replay provider has nothing recorded for this prompt.
 */
export type JudgeErrorKind =
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

export interface JudgeError {
  kind: JudgeErrorKind;
  /** Human-readable, with secrets redacted. */
  message: string;
  /** HTTP status, when there was a response. */
  status?: number;
  /** The raw Retry-After header of a 429/503, parsed by the client (it owns the clock). */
  retryAfter?: string;
}

export interface JudgeUsage {
  inputTokens: number;
  outputTokens: number;
  /** Estimated cost in US dollars; 0 when the price of the model is unknown (with a warning). */
  costUsd: number;
}

export const ZERO_USAGE: JudgeUsage = { inputTokens: 0, outputTokens: 0, costUsd: 0 };

/** What one provider call returns: the model's text, or an error kind. */
export type JudgeResponse =
  | {
      ok: true;
      /** The model's reply, secrets redacted. The client parses the verdict from it. */
      text: string;
      /** Provider finish reason as reported (`end_turn`, `stop`, `max_tokens`, `length`, ...). */
      finishReason: string;
      usage: JudgeUsage;
      warnings: string[];
    }
  | { ok: false; error: JudgeError; usage: JudgeUsage; warnings: string[] };

export interface JudgeCallOptions {
  /** Aborts the call (the client combines the caller's signal with its per-request timeout). */
  signal?: AbortSignal;
  /** Response-body cap in bytes; a larger body is an `oversized` error. */
  maxResponseBytes: number;
}

export interface JudgeProvider {
  readonly specificationVersion: typeof JUDGE_INTERFACE_VERSION;
  /** Short provider name (`anthropic`, `openai`, `replay`); part of the cache key. */
  readonly name: string;
  /** Model id; part of the cache key. */
  readonly model: string;
  readonly capabilities: JudgeCapabilities;
  judge(request: JudgeRequest, options: JudgeCallOptions): Promise<JudgeResponse>;
  /** Removes the provider's secrets from any text (used by the client on everything it logs or stores). */
  redact(text: string): string;
}

/** Per-million-token prices in US dollars, for cost estimates. */
export interface ModelPricing {
  inputPerMillion: number;
  outputPerMillion: number;
}
