/**
 * Replay provider: answers from recorded replies, one JSON file per request in a directory,
 * `<dir>/<key>.json`, where the key is a hash of the request. Nothing is sent anywhere and nothing
 * costs money. A missing recording is a `no_recording` result, never a throw.
 *
 * By default the key is `recordingKey` (sha256 of the provider name, the model and the whole
 * request) and the files are `dojo.provider-recording/1` entries written by `writeRecording`.
 * A caller with its own format (the judge's verdict cache) passes `key` and `decode`.
 */

import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { asRecord } from './http.js';
import {
  type FinishReason,
  type ModelProvider,
  type ModelRequest,
  type ModelResponse,
  type ModelUsage,
  PROVIDER_INTERFACE_VERSION,
  type ToolCall,
  ZERO_USAGE,
} from './types.js';

export const RECORDING_SCHEMA = 'dojo.provider-recording/1';

/** What a recording holds of the reply. */
export interface RecordedReply {
  text: string;
  toolCalls?: ToolCall[];
  /** `stop` (or `tool_calls` when there are tool calls) when left out. */
  finishReason?: FinishReason;
  /** `replay` when left out. */
  rawFinishReason?: string;
}

/** One `dojo.provider-recording/1` file. */
export interface Recording {
  schema: typeof RECORDING_SCHEMA;
  key: string;
  provider: string;
  model: string;
  request: ModelRequest;
  reply: RecordedReply;
  /** What the recorded call cost; a replay costs nothing. */
  usage: ModelUsage;
}

/** What `decode` makes of one recording file. */
export type DecodedRecording = { kind: 'hit'; reply: RecordedReply } | { kind: 'corrupt'; message: string };

export interface ReplayProviderOptions {
  /** Directory of recordings. */
  dir: string;
  /** Provider name the recordings were made with (part of the key; the replay provider's `name`); default `replay`. */
  recordedProvider?: string;
  /** Model the recordings were made with (part of the key; the replay provider's `model`); default `replay`. */
  recordedModel?: string;
  /** The file name, without `.json`, of a request's recording; default `recordingKey(recordedProvider, recordedModel, request)`. */
  key?: (request: ModelRequest) => string;
  /** Reads one recording file; default reads `dojo.provider-recording/1`. */
  decode?: (text: string, key: string) => DecodedRecording;
}

export function createReplayProvider(options: ReplayProviderOptions): ModelProvider {
  const recordedProvider = options.recordedProvider ?? 'replay';
  const recordedModel = options.recordedModel ?? 'replay';
  const keyOf = options.key ?? ((request: ModelRequest) => recordingKey(recordedProvider, recordedModel, request));
  const decode = options.decode ?? decodeRecording;
  return {
    specificationVersion: PROVIDER_INTERFACE_VERSION,
    // Same name and model as the recording, so a caller's own cache key matches the recording's.
    name: recordedProvider,
    model: recordedModel,
    capabilities: { remote: false, jsonMode: true, tools: true },
    redact: (text) => text,
    async generate(request, callOptions = {}): Promise<ModelResponse> {
      const failure = (kind: 'aborted' | 'no_recording', message: string): ModelResponse => ({
        ok: false,
        error: { kind, message },
        usage: { ...ZERO_USAGE },
        warnings: [],
      });
      if (callOptions.signal?.aborted) return failure('aborted', 'request aborted by the caller');
      const key = keyOf(request);
      let text: string;
      try {
        text = await readFile(recordingPath(options.dir, key), 'utf8');
      } catch {
        const about = callOptions.label === undefined ? '' : ` for ${callOptions.label}`;
        return failure('no_recording', `no recording at ${recordingPath(options.dir, key)}${about}; record it with a live provider first`);
      }
      const decoded = decode(text, key);
      if (decoded.kind === 'corrupt') return failure('no_recording', decoded.message);
      const toolCalls = decoded.reply.toolCalls ?? [];
      return {
        ok: true,
        text: decoded.reply.text,
        toolCalls,
        finishReason: decoded.reply.finishReason ?? (toolCalls.length > 0 ? 'tool_calls' : 'stop'),
        rawFinishReason: decoded.reply.rawFinishReason ?? 'replay',
        usage: { ...ZERO_USAGE },
        warnings: [],
      };
    },
  };
}

/** sha256 (hex) of the provider name, the model and the whole request, with object keys sorted. */
export function recordingKey(provider: string, model: string, request: ModelRequest): string {
  return createHash('sha256')
    .update(stableJson([provider, model, request]))
    .digest('hex');
}

export function recordingPath(dir: string, key: string): string {
  return join(dir, `${key}.json`);
}

let temporaryCounter = 0;

/**
 * Records a successful reply for `createReplayProvider` to serve: `<dir>/<key>.json`, written to a
 * temporary file and renamed into place, so a crash never leaves half a file. The reply is passed
 * through `provider.redact` first. Returns the key.
 */
export async function writeRecording(
  dir: string,
  provider: Pick<ModelProvider, 'name' | 'model' | 'redact'>,
  request: ModelRequest,
  response: Extract<ModelResponse, { ok: true }>,
): Promise<string> {
  const key = recordingKey(provider.name, provider.model, request);
  const recording: Recording = {
    schema: RECORDING_SCHEMA,
    key,
    provider: provider.name,
    model: provider.model,
    request,
    reply: {
      text: provider.redact(response.text),
      toolCalls: response.toolCalls.map((call) => ({
        id: provider.redact(call.id),
        name: provider.redact(call.name),
        arguments: provider.redact(call.arguments),
      })),
      finishReason: response.finishReason,
      rawFinishReason: response.rawFinishReason,
    },
    usage: response.usage,
  };
  await mkdir(dir, { recursive: true });
  const target = recordingPath(dir, key);
  temporaryCounter += 1;
  const temporary = `${target}.${process.pid}.${temporaryCounter}.tmp`;
  try {
    await writeFile(temporary, `${JSON.stringify(recording, null, 1)}\n`, 'utf8');
    await rename(temporary, target);
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => undefined);
    throw error;
  }
  return key;
}

/** Reads a `dojo.provider-recording/1` file. */
export function decodeRecording(text: string, key: string): DecodedRecording {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { kind: 'corrupt', message: `recording ${key} is not valid JSON; delete it and record it again` };
  }
  const recording = asRecord(value);
  const reply = asRecord(recording?.reply);
  if (recording?.schema !== RECORDING_SCHEMA || recording.key !== key || typeof reply?.text !== 'string') {
    return { kind: 'corrupt', message: `recording ${key} has the wrong schema or key; delete it and record it again` };
  }
  const toolCalls = reply.toolCalls ?? [];
  const isToolCall = (call: unknown) => {
    const record = asRecord(call);
    return typeof record?.id === 'string' && typeof record.name === 'string' && typeof record.arguments === 'string';
  };
  if (!Array.isArray(toolCalls) || !toolCalls.every(isToolCall)) {
    return { kind: 'corrupt', message: `recording ${key} has malformed tool calls; delete it and record it again` };
  }
  const decoded: RecordedReply = { text: reply.text, toolCalls: toolCalls as ToolCall[] };
  if (typeof reply.finishReason === 'string') decoded.finishReason = reply.finishReason as FinishReason;
  if (typeof reply.rawFinishReason === 'string') decoded.rawFinishReason = reply.rawFinishReason;
  return { kind: 'hit', reply: decoded };
}

/** JSON with every object's keys sorted and `undefined` fields left out, so equal requests hash equally. */
function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) => {
    const record = asRecord(inner);
    if (!record) return inner;
    return Object.fromEntries(
      Object.keys(record)
        .sort()
        .map((name) => [name, record[name]]),
    );
  });
}
