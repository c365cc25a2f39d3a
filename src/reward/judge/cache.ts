/**
 * The on-disk verdict cache: one JSON file per content hash, `<dir>/<sha256>.json`, written
 * atomically (temp file, then rename) so a crash never leaves a half-written entry. The replay
 * provider reads the same files. Entries hold the verdict and the redacted reply, never a key.
 */

import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Verdict } from '../../core/scorer.js';
import type { JudgeRequest, JudgeUsage } from './types.js';

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
  usage: JudgeUsage;
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
