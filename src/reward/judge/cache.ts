/**
 * The on-disk verdict cache: one JSON file per content hash, `<dir>/<sha256>.json`, written
 * atomically (temp file, then rename) so a crash never leaves a half-written entry. The judge's
 * replay provider (`createJudgeReplayProvider`) reads the same files. Entries hold the verdict and
 * the redacted reply, never a key.
 */

import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Verdict } from '../../core/scorer.js';
import { createReplayProvider, type DecodedRecording } from '../../providers/replay.js';
import type { ModelProvider, ModelRequest, ModelUsage } from '../../providers/types.js';
import type { JudgeRequest } from './rubric.js';

export const CACHE_SCHEMA = 'dojo.judge-cache/1';

export interface CacheEntry {
  schema: typeof CACHE_SCHEMA;
  key: string;
  provider: string;
  model: string;
  episodeId: string;
  codes: string[];
  verdict: Verdict;
  /** The judge's reply, secrets redacted. */
  text: string;
  usage: ModelUsage;
  /** Milliseconds since the epoch, from the client's injected clock. */
  createdAt: number;
}

/** sha256 (hex) of provider, model and the full prompt (system + user + output bound). */
export function contentHash(provider: string, model: string, request: Pick<JudgeRequest, 'system' | 'prompt' | 'maxOutputTokens'>): string {
  return createHash('sha256')
    .update(JSON.stringify([provider, model, request.system, request.prompt, request.maxOutputTokens]))
    .digest('hex');
}

export function cachePath(dir: string, key: string): string {
  return join(dir, `${key}.json`);
}

export type CacheRead = { kind: 'hit'; entry: CacheEntry } | { kind: 'miss' } | { kind: 'corrupt'; message: string };

export async function readCacheEntry(dir: string, key: string): Promise<CacheRead> {
  let text: string;
  try {
    text = await readFile(cachePath(dir, key), 'utf8');
  } catch {
    return { kind: 'miss' };
  }
  return parseCacheEntry(text, key);
}

/** Checks one cache file's text: the schema, the key it should hold, a verdict object. */
export function parseCacheEntry(text: string, key: string): Exclude<CacheRead, { kind: 'miss' }> {
  try {
    const entry = JSON.parse(text) as Partial<CacheEntry>;
    if (entry.schema !== CACHE_SCHEMA || entry.key !== key || typeof entry.verdict !== 'object') {
      return { kind: 'corrupt', message: `cache entry ${key} has the wrong schema or key; delete it to re-judge` };
    }
    return { kind: 'hit', entry: entry as CacheEntry };
  } catch {
    return { kind: 'corrupt', message: `cache entry ${key} is not valid JSON; delete it to re-judge` };
  }
}

let tempCounter = 0;

/** Writes the entry to a temp file beside the target, then renames it into place (atomic on POSIX). */
export async function writeCacheEntry(dir: string, entry: CacheEntry): Promise<void> {
  await mkdir(dir, { recursive: true });
  const target = cachePath(dir, entry.key);
  tempCounter += 1;
  const temp = `${target}.${process.pid}.${tempCounter}.tmp`;
  try {
    await writeFile(temp, `${JSON.stringify(entry, null, 1)}\n`, 'utf8');
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw error;
  }
}

export interface JudgeReplayOptions {
  /** A cache directory of an earlier run. */
  dir: string;
  /** Provider name the verdicts were recorded with (part of the key); default `replay`. */
  recordedProvider?: string;
  /** Model the verdicts were recorded with (part of the key); default `replay`. */
  recordedModel?: string;
}

/**
 * A replay provider over a verdict cache directory: point it at the cache of an earlier run, with
 * that run's provider and model names, to re-score without calling anything. It answers the
 * judge's two-message requests (system, then user), keyed by `contentHash` as the cache is; an
 * entry's reply text is served (its verdict as JSON when the text is empty).
 */
export function createJudgeReplayProvider(options: JudgeReplayOptions): ModelProvider {
  const recordedProvider = options.recordedProvider ?? 'replay';
  const recordedModel = options.recordedModel ?? 'replay';
  return createReplayProvider({
    dir: options.dir,
    recordedProvider,
    recordedModel,
    key: (request) => contentHash(recordedProvider, recordedModel, judgePrompt(request)),
    decode: (text, key): DecodedRecording => {
      const read = parseCacheEntry(text, key);
      if (read.kind === 'corrupt') return read;
      const reply = typeof read.entry.text === 'string' && read.entry.text !== '' ? read.entry.text : JSON.stringify(read.entry.verdict);
      return { kind: 'hit', reply: { text: reply } };
    },
  });
}

/** The parts of a judge's model request that its cache key covers. */
function judgePrompt(request: ModelRequest): Pick<JudgeRequest, 'system' | 'prompt' | 'maxOutputTokens'> {
  const contentOf = (role: 'system' | 'user') => request.messages.find((message) => message.role === role)?.content ?? '';
  return { system: contentOf('system'), prompt: contentOf('user'), maxOutputTokens: request.maxOutputTokens ?? 0 };
}
