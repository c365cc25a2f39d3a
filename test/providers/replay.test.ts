/** The replay provider's own format: recording keys, writing recordings, missing and corrupt files. */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createReplayProvider, RECORDING_SCHEMA, recordingKey, recordingPath, writeRecording } from '../../src/providers/replay.js';
import type { ModelRequest, ModelResponse } from '../../src/providers/types.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'dojo-replay-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

const REQUEST: ModelRequest = {
  messages: [
    { role: 'system', content: 'S' },
    { role: 'user', content: 'U' },
  ],
  tools: [{ name: 't', parameters: { type: 'object', properties: { a: { type: 'string' }, b: { type: 'number' } } } }],
  maxOutputTokens: 10,
  temperature: 0,
};
const REPLY: Extract<ModelResponse, { ok: true }> = {
  ok: true,
  text: 'reply with SECRET-KEY',
  toolCalls: [{ id: 'c1', name: 't', arguments: '{"a":"SECRET-KEY"}' }],
  finishReason: 'tool_calls',
  rawFinishReason: 'tool_use',
  usage: { inputTokens: 3, outputTokens: 4, costUsd: 0.5 },
  warnings: [],
};
const RECORDER = { name: 'anthropic', model: 'claude-x', redact: (text: string) => text.split('SECRET-KEY').join('[REDACTED]') };

describe('recording keys', () => {
  const key = (request: ModelRequest) => recordingKey('p', 'm', request);
  it.each<[string, ModelRequest, boolean]>([
    // [case, request, same key as REQUEST]
    ['the same request', structuredClone(REQUEST), true],
    ['object keys in another order', { temperature: 0, maxOutputTokens: 10, tools: REQUEST.tools, messages: REQUEST.messages }, true],
    [
      'schema keys in another order',
      { ...REQUEST, tools: [{ parameters: { properties: { b: { type: 'number' }, a: { type: 'string' } }, type: 'object' }, name: 't' }] },
      true,
    ],
    ['an undefined field', { ...REQUEST, toolChoice: undefined }, true],
    ['another temperature', { ...REQUEST, temperature: 0.7 }, false],
    ['another message', { ...REQUEST, messages: [{ role: 'user', content: 'U' }] }, false],
    ['JSON asked for', { ...REQUEST, responseFormat: 'json' }, false],
    ['no tools', { ...REQUEST, tools: [] }, false],
  ])('%s', (_, request, same) => {
    expect(key(request) === key(REQUEST)).toBe(same);
  });

  it('covers the provider and the model', () => {
    expect(recordingKey('p', 'm', REQUEST)).not.toBe(recordingKey('q', 'm', REQUEST));
    expect(recordingKey('p', 'm', REQUEST)).not.toBe(recordingKey('p', 'n', REQUEST));
    expect(recordingKey('p', 'm', REQUEST)).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('replay provider', () => {
  it('serves what writeRecording wrote, redacted, free, leaving no temporary files', async () => {
    const dir = await tempDir();
    const key = await writeRecording(dir, RECORDER, REQUEST, REPLY);
    expect(await readdir(dir)).toEqual([`${key}.json`]);
    const file = await readFile(recordingPath(dir, key), 'utf8');
    expect(file).not.toContain('SECRET-KEY');
    expect(JSON.parse(file)).toMatchObject({ schema: RECORDING_SCHEMA, key, provider: 'anthropic', model: 'claude-x', request: REQUEST });

    const replay = createReplayProvider({ dir, recordedProvider: 'anthropic', recordedModel: 'claude-x' });
    expect(replay).toMatchObject({ name: 'anthropic', model: 'claude-x', capabilities: { remote: false } });
    expect(await replay.generate(REQUEST)).toEqual({
      ok: true,
      text: 'reply with [REDACTED]',
      toolCalls: [{ id: 'c1', name: 't', arguments: '{"a":"[REDACTED]"}' }],
      finishReason: 'tool_calls',
      rawFinishReason: 'tool_use',
      usage: { inputTokens: 0, outputTokens: 0, costUsd: 0 },
      warnings: [],
    });
  });

  it('nothing recorded is no_recording, naming the file and the label', async () => {
    const dir = await tempDir();
    const replay = createReplayProvider({ dir });
    const response = await replay.generate(REQUEST, { label: 'episode ep-9' });
    const path = recordingPath(dir, recordingKey('replay', 'replay', REQUEST));
    expect(response).toMatchObject({
      ok: false,
      error: { kind: 'no_recording', message: `no recording at ${path} for episode ep-9; record it with a live provider first` },
    });
  });

  it.each([
    // [case, file text, message]
    ['not JSON', '{oops', /is not valid JSON/],
    ['another schema', JSON.stringify({ schema: 'other/1', reply: { text: 'x' } }), /wrong schema or key/],
    ['malformed tool calls', 'TOOL_CALLS', /malformed tool calls/],
  ])('a corrupt recording (%s) is no_recording with a fix', async (_, text, message) => {
    const dir = await tempDir();
    const key = recordingKey('replay', 'replay', REQUEST);
    const body =
      text === 'TOOL_CALLS' ? JSON.stringify({ schema: RECORDING_SCHEMA, key, reply: { text: '', toolCalls: [{ id: 1 }] } }) : text;
    await writeFile(recordingPath(dir, key), body);
    const response = await createReplayProvider({ dir }).generate(REQUEST);
    expect(response).toMatchObject({ ok: false, error: { kind: 'no_recording' } });
    expect(!response.ok && response.error.message).toMatch(message);
  });

  it('a custom key and decoder read another format', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'fixed.json'), 'plain text reply');
    const replay = createReplayProvider({ dir, key: () => 'fixed', decode: (text) => ({ kind: 'hit', reply: { text } }) });
    expect(await replay.generate(REQUEST)).toMatchObject({
      ok: true,
      text: 'plain text reply',
      finishReason: 'stop',
      rawFinishReason: 'replay',
    });
  });
});
