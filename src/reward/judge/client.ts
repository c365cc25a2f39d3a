/**
 * The judge client: wraps any `ModelProvider` (`src/providers`) with a content-hash cache, bounded
 * retries with exponential backoff and jitter, a per-request timeout, a response-size cap, a
 * call/cost budget, a deterministic sampling schedule and a failure record for the metrics. It
 * sends each rubric prompt as a system and a user message and parses the verdict from the reply's
 * text.
 *
 * `judge` never throws: on any failure the caller gets `{ok: false, reason}` and falls back to the
 * heuristic scorer. The clock, timers and jitter source are injected (defaults in `system.ts`).
 */

import type { Verdict } from '../../core/scorer.js';
import type { Trace } from '../../core/trace.js';
import type { ModelProvider, ModelRequest, ModelResponse, ModelUsage, ProviderError, ProviderErrorKind } from '../../providers/types.js';
import { CACHE_SCHEMA, type CacheEntry, contentHash, readCacheEntry, writeCacheEntry } from './cache.js';
import { buildJudgeRequest, type JudgeRequest, type RubricOptions } from './rubric.js';
import { isSampled, type SamplingSchedule } from './sampling.js';
import { type JudgeClock, SYSTEM_CLOCK, SYSTEM_RANDOM } from './system.js';
import { parseVerdict } from './verdict.js';

// ---------------------------------------------------------------------------------------------
// Options and results
// ---------------------------------------------------------------------------------------------

export interface JudgeBudget {
  /** Most provider calls (retries included; cache hits are free). Unlimited when left out. */
  maxCalls?: number;
  /** Most estimated spend in US dollars. Unlimited when left out. */
  maxCostUsd?: number;
}

export interface JudgeClientOptions {
  provider: ModelProvider;
  /** Cache directory; no cache when left out. */
  cacheDir?: string;
  /** Attempts per request, first call included; default 4. */
  maxAttempts?: number;
  /** Exponential backoff: `baseMs * 2^(attempt-1)`, capped at `maxMs`, with equal jitter. Defaults 500 ms and 30 s. */
  backoff?: { baseMs?: number; maxMs?: number };
  /** Longest Retry-After honoured, in milliseconds; default 60 000. */
  retryAfterCapMs?: number;
  /** Per-request timeout in milliseconds; default 120 000. */
  timeoutMs?: number;
  /** Response-body cap in bytes; default 1 MiB. */
  maxResponseBytes?: number;
  budget?: JudgeBudget;
  /** Which episodes `judge(trace)` looks at; default every episode. */
  sampling?: SamplingSchedule;
  rubric?: RubricOptions;
  /** Receives one line per failed attempt and per final failure, secrets redacted. */
  log?: (line: string) => void;
  /** Clock, sleep and timeout signals; the real ones by default. */
  clock?: JudgeClock;
  /** Uniform [0, 1) generator for backoff jitter; `Math.random` by default. */
  random?: () => number;
  /** Most failure records kept (the counts are kept in full); default 1000. */
  maxFailureRecords?: number;
}

/** Why `judge` gave no verdict: a provider error kind, or one of the client's own reasons. */
export type JudgeFailureReason =
  | ProviderErrorKind
  /** The reply was not a valid verdict, even after the one content retry. */
  | 'invalid_verdict'
  /** The call or cost budget is spent. */
  | 'budget_exhausted'
  /** No rubric could be built for the trace (unknown type or code). */
  | 'invalid_request'
  /** The sampling schedule skipped this episode (not counted as a failure). */
  | 'not_sampled';

export type JudgeOutcome =
  | {
      ok: true;
      episodeId: string;
      verdict: Verdict;
      /** The content hash: cache file name and replay key. */
      key: string;
      cached: boolean;
      /** Provider calls made (0 on a cache hit). */
      attempts: number;
      usage: ModelUsage;
      warnings: string[];
    }
  | { ok: false; episodeId: string; reason: JudgeFailureReason; message: string; attempts: number; usage: ModelUsage; warnings: string[] };

export interface FailureRecord {
  episodeId: string;
  reason: JudgeFailureReason;
  attempts: number;
  message: string;
  status?: number;
  /** Milliseconds since the epoch, from the injected clock. */
  at: number;
}

export interface JudgeStats {
  /** `judge` / `judgeRequest` calls that were not skipped by sampling. */
  requests: number;
  skipped: number;
  /** Provider calls, retries included. */
  calls: number;
  cacheHits: number;
  successes: number;
  failures: number;
  retries: number;
  failuresByReason: Partial<Record<JudgeFailureReason, number>>;
  /** Failed attempts (retried or not) by kind. */
  attemptErrorsByKind: Partial<Record<JudgeFailureReason, number>>;
  usage: ModelUsage;
}

export interface JudgeClient {
  readonly provider: ModelProvider;
  /** True when the sampling schedule selects this episode. */
  shouldJudge(episodeId: string): boolean;
  /** Judges a trace if the schedule selects it (or `force`). Never throws. */
  judge(trace: Trace, options?: { signal?: AbortSignal; force?: boolean }): Promise<JudgeOutcome>;
  /** Judges a prepared request, ignoring the sampling schedule. Never throws. */
  judgeRequest(request: JudgeRequest, options?: { signal?: AbortSignal }): Promise<JudgeOutcome>;
  stats(): JudgeStats;
  /** The most recent failures, oldest first. */
  failures(): readonly FailureRecord[];
}

/** Transient kinds: retried up to `maxAttempts`. */
const TRANSIENT: ReadonlySet<JudgeFailureReason> = new Set(['rate_limited', 'server_error', 'timeout', 'network']);
/** Content kinds: a bad reply may be a fluke, so exactly one retry. */
const CONTENT: ReadonlySet<JudgeFailureReason> = new Set(['invalid_verdict', 'malformed_response']);
const MAX_CONTENT_RETRIES = 1;

// ---------------------------------------------------------------------------------------------
// Client
// ---------------------------------------------------------------------------------------------

export function createJudgeClient(options: JudgeClientOptions): JudgeClient {
  const provider = options.provider;
  const maxAttempts = options.maxAttempts ?? 4;
  const baseMs = options.backoff?.baseMs ?? 500;
  const maxBackoffMs = options.backoff?.maxMs ?? 30_000;
  const retryAfterCapMs = options.retryAfterCapMs ?? 60_000;
  const timeoutMs = options.timeoutMs ?? 120_000;
  const maxResponseBytes = options.maxResponseBytes ?? 1024 * 1024;
  const sampling = options.sampling ?? { kind: 'all' };
  const clock = options.clock ?? SYSTEM_CLOCK;
  const random = options.random ?? SYSTEM_RANDOM;
  const maxFailureRecords = options.maxFailureRecords ?? 1000;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new RangeError(`maxAttempts must be an integer >= 1, got ${maxAttempts}`);
  if (!(timeoutMs > 0)) throw new RangeError(`timeoutMs must be > 0, got ${timeoutMs}`);
  if (!(maxResponseBytes > 0)) throw new RangeError(`maxResponseBytes must be > 0, got ${maxResponseBytes}`);
  isSampled(sampling, ''); // validates the schedule now rather than on the first episode

  const stats: JudgeStats = {
    requests: 0,
    skipped: 0,
    calls: 0,
    cacheHits: 0,
    successes: 0,
    failures: 0,
    retries: 0,
    failuresByReason: {},
    attemptErrorsByKind: {},
    usage: { inputTokens: 0, outputTokens: 0, costUsd: 0 },
  };
  const failureRecords: FailureRecord[] = [];
  const log = (line: string) => options.log?.(provider.redact(line));

  function budgetLeft(): string | undefined {
    const budget = options.budget;
    if (budget?.maxCalls !== undefined && stats.calls >= budget.maxCalls) return `call budget of ${budget.maxCalls} spent`;
    if (budget?.maxCostUsd !== undefined && stats.usage.costUsd >= budget.maxCostUsd) {
      return `cost budget of $${budget.maxCostUsd} spent ($${stats.usage.costUsd.toFixed(4)})`;
    }
    return undefined;
  }

  function fail(
    episodeId: string,
    reason: JudgeFailureReason,
    message: string,
    attempts: number,
    usage: ModelUsage,
    warnings: string[],
    status?: number,
  ): JudgeOutcome {
    const safe = provider.redact(message);
    if (reason === 'not_sampled') {
      stats.skipped += 1;
    } else {
      stats.failures += 1;
      stats.failuresByReason[reason] = (stats.failuresByReason[reason] ?? 0) + 1;
      const record: FailureRecord = { episodeId, reason, attempts, message: safe, at: clock.now() };
      if (status !== undefined) record.status = status;
      failureRecords.push(record);
      if (failureRecords.length > maxFailureRecords) failureRecords.shift();
      log(`judge: episode ${episodeId} failed (${reason}) after ${attempts} attempt(s): ${safe}`);
    }
    return { ok: false, episodeId, reason, message: safe, attempts, usage, warnings: warnings.map(provider.redact) };
  }

  /** Retry-After (seconds or HTTP date) in milliseconds, capped; undefined when absent or unparsable. */
  function retryAfterMs(value: string | undefined): number | undefined {
    if (value === undefined) return undefined;
    const trimmed = value.trim();
    let ms: number;
    if (/^\d+(\.\d+)?$/.test(trimmed)) ms = Number(trimmed) * 1000;
    else {
      const date = Date.parse(trimmed);
      if (Number.isNaN(date)) return undefined;
      ms = date - clock.now();
    }
    return Math.min(Math.max(ms, 0), retryAfterCapMs);
  }

  function backoffMs(attempt: number): number {
    const ceiling = Math.min(maxBackoffMs, baseMs * 2 ** (attempt - 1));
    // Equal jitter: half fixed, half random, so retries from many workers spread out.
    return ceiling / 2 + random() * (ceiling / 2);
  }

  /** The rubric prompt as a system and a user message; JSON asked for where the provider declares it can. */
  function modelRequest(request: JudgeRequest): ModelRequest {
    return {
      messages: [
        { role: 'system', content: request.system },
        { role: 'user', content: request.prompt },
      ],
      maxOutputTokens: request.maxOutputTokens,
      temperature: request.temperature ?? 0,
      ...(provider.capabilities.jsonMode ? { responseFormat: 'json' as const } : {}),
    };
  }

  async function callOnce(request: JudgeRequest, callerSignal: AbortSignal | undefined): Promise<ModelResponse> {
    const timeoutSignal = clock.timeout(timeoutMs);
    const signal = callerSignal ? AbortSignal.any([callerSignal, timeoutSignal]) : timeoutSignal;
    let response: ModelResponse;
    try {
      response = await provider.generate(modelRequest(request), { signal, maxResponseBytes, label: `episode ${request.id}` });
    } catch (error) {
      // A provider must not throw; if one does, treat it as a network failure rather than crash.
      const message = `provider ${provider.name} threw: ${error instanceof Error ? error.message : String(error)}`;
      response = { ok: false, error: { kind: 'network', message }, usage: { inputTokens: 0, outputTokens: 0, costUsd: 0 }, warnings: [] };
    }
    // The client owns both signals, so it, not the transport, says which one fired.
    if (!response.ok && callerSignal?.aborted) {
      response = { ...response, error: { ...response.error, kind: 'aborted', message: 'aborted by the caller' } };
    } else if (!response.ok && timeoutSignal.aborted) {
      response = { ...response, error: { ...response.error, kind: 'timeout', message: `no reply within ${timeoutMs} ms` } };
    }
    return response;
  }

  async function judgeRequest(request: JudgeRequest, callOptions: { signal?: AbortSignal } = {}): Promise<JudgeOutcome> {
    stats.requests += 1;
    const episodeId = request.id;
    const warnings: string[] = [];
    const usage: ModelUsage = { inputTokens: 0, outputTokens: 0, costUsd: 0 };
    const key = contentHash(provider.name, provider.model, request);

    // ---- cache --------------------------------------------------------------------------------
    if (options.cacheDir) {
      const read = await readCacheEntry(options.cacheDir, key);
      if (read.kind === 'hit') {
        const parsed = parseVerdict(JSON.stringify(read.entry.verdict), request.codes);
        if (parsed.ok) {
          stats.cacheHits += 1;
          stats.successes += 1;
          return { ok: true, episodeId, verdict: parsed.verdict, key, cached: true, attempts: 0, usage, warnings };
        }
        warnings.push(`cache entry ${key} no longer matches the requested codes; re-judging`);
      } else if (read.kind === 'corrupt') {
        warnings.push(read.message);
      }
    }

    // ---- attempts -----------------------------------------------------------------------------
    let attempts = 0;
    let contentRetries = 0;
    let last: ProviderError | { kind: 'invalid_verdict'; message: string; status?: number } | undefined;
    for (;;) {
      const spent = budgetLeft();
      if (spent !== undefined) {
        const after = last ? ` (last error: ${last.kind}: ${last.message})` : '';
        return fail(episodeId, 'budget_exhausted', `${spent}; judge skipped, use the heuristic${after}`, attempts, usage, warnings);
      }
      if (callOptions.signal?.aborted) return fail(episodeId, 'aborted', 'aborted by the caller', attempts, usage, warnings);

      attempts += 1;
      stats.calls += 1;
      const response = await callOnce(request, callOptions.signal);
      for (const key of ['inputTokens', 'outputTokens', 'costUsd'] as const) {
        usage[key] += response.usage[key];
        stats.usage[key] += response.usage[key];
      }
      for (const warning of response.warnings) if (!warnings.includes(warning)) warnings.push(warning);

      if (response.ok) {
        const text = provider.redact(response.text);
        const parsed = parseVerdict(text, request.codes);
        if (parsed.ok) {
          stats.successes += 1;
          if (options.cacheDir) {
            const entry: CacheEntry = {
              schema: CACHE_SCHEMA,
              key,
              provider: provider.name,
              model: provider.model,
              episodeId,
              codes: [...request.codes],
              verdict: parsed.verdict,
              text,
              usage,
              createdAt: clock.now(),
            };
            try {
              await writeCacheEntry(options.cacheDir, entry);
            } catch (error) {
              warnings.push(`could not write cache entry ${key}: ${error instanceof Error ? error.message : String(error)}`);
            }
          }
          return {
            ok: true,
            episodeId,
            verdict: parsed.verdict,
            key,
            cached: false,
            attempts,
            usage,
            warnings: warnings.map(provider.redact),
          };
        }
        last = { kind: 'invalid_verdict', message: parsed.message };
      } else {
        last = response.error;
      }

      stats.attemptErrorsByKind[last.kind] = (stats.attemptErrorsByKind[last.kind] ?? 0) + 1;
      const retryable = TRANSIENT.has(last.kind) || (CONTENT.has(last.kind) && contentRetries < MAX_CONTENT_RETRIES);
      if (!retryable || attempts >= maxAttempts) {
        return fail(episodeId, last.kind, last.message, attempts, usage, warnings, last.status);
      }
      if (CONTENT.has(last.kind)) contentRetries += 1;
      const delay = retryAfterMs('retryAfter' in last ? last.retryAfter : undefined) ?? backoffMs(attempts);
      log(`judge: episode ${episodeId} attempt ${attempts} failed (${last.kind}); retrying in ${Math.round(delay)} ms: ${last.message}`);
      stats.retries += 1;
      await clock.sleep(delay, callOptions.signal);
    }
  }

  return {
    provider,
    shouldJudge: (episodeId) => isSampled(sampling, episodeId),
    judgeRequest,
    async judge(trace, callOptions = {}) {
      const episodeId = String(trace?.episodeId ?? '');
      const none: ModelUsage = { inputTokens: 0, outputTokens: 0, costUsd: 0 };
      if (!callOptions.force && !isSampled(sampling, episodeId)) {
        return fail(episodeId, 'not_sampled', 'not selected by the sampling schedule', 0, none, []);
      }
      let request: JudgeRequest;
      try {
        request = buildJudgeRequest(trace, options.rubric);
      } catch (error) {
        stats.requests += 1;
        return fail(episodeId, 'invalid_request', error instanceof Error ? error.message : String(error), 0, none, []);
      }
      return judgeRequest(request, callOptions.signal ? { signal: callOptions.signal } : {});
    },
    stats: () => structuredClone(stats),
    failures: () => [...failureRecords],
  };
}
