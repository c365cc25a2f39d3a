/**
 * What the remote providers share: one JSON POST with a response-size cap, every failure mapped to
 * a `ProviderError` (never thrown), every echoed text passed through `redact`; reading keys from
 * the environment, redaction, cost estimates and small helpers for reading untyped JSON.
 */

import type { ModelPricing, ModelUsage, ProviderError } from './types.js';

export type PostResult = { ok: true; status: number; body: unknown } | { ok: false; error: ProviderError };

export interface PostJsonOptions {
  signal?: AbortSignal | undefined;
  maxResponseBytes: number;
  /** Removes secrets from any text that ends up in an error message. */
  redact: (text: string) => string;
  /** Injected for tests; Node's global fetch by default. */
  fetch?: typeof fetch | undefined;
}

/** How much of an error body is quoted in a message. */
export const ERROR_SNIPPET_CHARS = 300;

export async function postJson(
  url: string,
  headers: Record<string, string>,
  payload: unknown,
  options: PostJsonOptions,
): Promise<PostResult> {
  const doFetch = options.fetch ?? fetch;
  const fail = (kind: ProviderError['kind'], message: string, extra: Partial<ProviderError> = {}): PostResult => ({
    ok: false,
    error: { kind, message: options.redact(message), ...extra },
  });
  let response: Response;
  try {
    response = await doFetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(payload),
      signal: options.signal ?? null,
    });
  } catch (error) {
    return transportFailure(error, options.signal, fail);
  }

  const read = await readCapped(response, options.maxResponseBytes, options.signal);
  if (read.kind === 'oversized') {
    return fail('oversized', `response body exceeds ${options.maxResponseBytes} bytes; raise maxResponseBytes if this is expected`, {
      status: response.status,
    });
  }
  if (read.kind === 'error') return transportFailure(read.error, options.signal, fail);
  const text = read.text;

  if (!response.ok) {
    const status = response.status;
    const snippet = text.slice(0, ERROR_SNIPPET_CHARS);
    const message = `HTTP ${status} from ${new URL(url).host}: ${snippet}`;
    const retryAfter = response.headers.get('retry-after') ?? undefined;
    const extra: Partial<ProviderError> = retryAfter === undefined ? { status } : { status, retryAfter };
    if (status === 429) return fail('rate_limited', message, extra);
    if (status === 401 || status === 403) return fail('auth', `${message} (check the API key environment variable)`, extra);
    if (status === 408 || status >= 500) return fail('server_error', message, extra);
    return fail('client_error', message, extra);
  }
  try {
    return { ok: true, status: response.status, body: JSON.parse(text) };
  } catch {
    return fail('malformed_response', `response is not JSON: ${text.slice(0, ERROR_SNIPPET_CHARS)}`, { status: response.status });
  }
}

type ReadResult = { kind: 'ok'; text: string } | { kind: 'oversized' } | { kind: 'error'; error: unknown };

/** Reads the body chunk by chunk and stops as soon as it passes `maxBytes`, so a huge body cannot exhaust memory. */
async function readCapped(response: Response, maxBytes: number, signal: AbortSignal | undefined): Promise<ReadResult> {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    return { kind: 'oversized' };
  }
  if (!response.body) return { kind: 'ok', text: '' };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      if (signal?.aborted) throw signal.reason;
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        await reader.cancel().catch(() => undefined);
        return { kind: 'oversized' };
      }
      chunks.push(value);
    }
  } catch (error) {
    await reader.cancel().catch(() => undefined);
    return { kind: 'error', error };
  }
  return { kind: 'ok', text: Buffer.concat(chunks).toString('utf8') };
}

function transportFailure(
  error: unknown,
  signal: AbortSignal | undefined,
  fail: (kind: ProviderError['kind'], message: string) => PostResult,
): PostResult {
  if (signal?.aborted) {
    const reason = signal.reason as { name?: string } | undefined;
    return reason?.name === 'TimeoutError' ? fail('timeout', 'request timed out') : fail('aborted', 'request aborted by the caller');
  }
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  const detail = cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
  return fail('network', `network error: ${detail}`);
}

/** Replaces every occurrence of each secret (of 4+ characters) with `[REDACTED]`. */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 4) out = out.split(secret).join('[REDACTED]');
  }
  return out;
}

/** Reads an API key from the environment; empty counts as unset. */
export function readKey(env: Record<string, string | undefined>, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

export function estimateUsage(inputTokens: number, outputTokens: number, pricing: ModelPricing | undefined): ModelUsage {
  const costUsd = pricing ? (inputTokens * pricing.inputPerMillion + outputTokens * pricing.outputPerMillion) / 1e6 : 0;
  return { inputTokens, outputTokens, costUsd };
}

/** The warning a provider without prices gives on every call. */
export function noPricingWarning(model: string): string {
  return `no pricing for model ${model}: cost estimated as 0; pass pricing to enforce a cost budget`;
}

export const TRUNCATED_WARNING = 'the reply hit max_tokens and may be truncated; raise maxOutputTokens';

/** The start of an unexpected body, redacted, for a `malformed_response` message. */
export function bodySnippet(body: unknown, redact: (text: string) => string): string {
  return redact(JSON.stringify(body) ?? String(body)).slice(0, ERROR_SNIPPET_CHARS);
}

/** Parses JSON text of tool arguments into an object; undefined when it is not one. */
export function parseArguments(text: string): Record<string, unknown> | undefined {
  try {
    return asRecord(JSON.parse(text));
  } catch {
    return undefined;
  }
}

export function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

export function asNumber(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}
