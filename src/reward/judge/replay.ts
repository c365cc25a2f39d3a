/**
 * Replay provider: serves recorded replies from a directory of cache entries
 * (`<dir>/<contentHash>.json`, the format `cache.ts` writes). Point it at the cache directory of an
 * earlier run, with that run's provider and model names, to re-score without calling anything.
 * A missing recording is a `no_recording` result, never a throw.
 */

import { cachePath, contentHash, readCacheEntry } from './cache.js';
import { JUDGE_INTERFACE_VERSION, type JudgeProvider, type JudgeResponse, ZERO_USAGE } from './types.js';

export interface ReplayProviderOptions {
  /** Directory of recorded entries. */
  dir: string;
  /** Provider name the recordings were made with (part of the key); default `replay`. */
  recordedProvider?: string;
  /** Model the recordings were made with (part of the key); default `replay`. */
  recordedModel?: string;
}

export function createReplayProvider(options: ReplayProviderOptions): JudgeProvider {
  const recordedProvider = options.recordedProvider ?? 'replay';
  const recordedModel = options.recordedModel ?? 'replay';
  return {
    specificationVersion: JUDGE_INTERFACE_VERSION,
    // Same name and model as the recording, so the client's cache key matches the recording's.
    name: recordedProvider,
    model: recordedModel,
    capabilities: { remote: false, jsonMode: true },
    redact: (text) => text,
    async judge(request): Promise<JudgeResponse> {
      const key = contentHash(recordedProvider, recordedModel, request);
      const read = await readCacheEntry(options.dir, key);
      if (read.kind === 'hit') {
        const text = typeof read.entry.text === 'string' && read.entry.text !== '' ? read.entry.text : JSON.stringify(read.entry.verdict);
        return { ok: true, text, finishReason: 'replay', usage: ZERO_USAGE, warnings: [] };
      }
      const message =
        read.kind === 'corrupt'
          ? read.message
          : `no recording at ${cachePath(options.dir, key)} for episode ${request.id}; record it with a live provider first`;
      return { ok: false, error: { kind: 'no_recording', message }, usage: ZERO_USAGE, warnings: [] };
    },
  };
}
