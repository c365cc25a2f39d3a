/**
 * The conformance suite every provider implementation passes: the declared interface, a text
 * reply, a tool-call round trip (tool calls out, results back in), an aborted call, plain-data
 * results. Remote providers run against a fake fetch; replay against recordings on disk; the mock
 * against its script.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createAnthropicProvider } from '../../src/providers/anthropic.js';
import { createMockProvider } from '../../src/providers/mock.js';
import { createOpenAIProvider } from '../../src/providers/openai.js';
import { createReplayProvider, writeRecording } from '../../src/providers/replay.js';
import { type ModelProvider, type ModelRequest, PROVIDER_INTERFACE_VERSION, type ToolCall } from '../../src/providers/types.js';
import { anthropicBody, fakeFetch, jsonResponse, openaiBody, type WireReply } from './fake-fetch.js';

const KEY = 'sk-test-CONFORMANCE-123';

/** One exchange of a script: the request the test will send and what the backend answers. */
interface Exchange {
  request: ModelRequest;
  reply: WireReply;
}

interface Implementation {
  name: string;
  /** A provider that answers the script's requests, in order. */
  setup(script: readonly Exchange[]): Promise<ModelProvider>;
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

function remote(name: 'openai' | 'anthropic'): Implementation {
  return {
    name,
    async setup(script) {
      const body = name === 'openai' ? openaiBody : anthropicBody;
      const { fetch } = fakeFetch((_, index) => jsonResponse(200, body(script[index]?.reply ?? { text: 'unscripted' })));
      const common = { baseUrl: 'http://model.test', env: { KEY_VARIABLE: KEY }, apiKeyEnv: 'KEY_VARIABLE', fetch };
      const pricing = { inputPerMillion: 1, outputPerMillion: 2 };
      return name === 'openai' ? createOpenAIProvider({ ...common, pricing }) : createAnthropicProvider({ ...common, pricing });
    },
  };
}

const IMPLEMENTATIONS: Implementation[] = [
  remote('openai'),
  remote('anthropic'),
  {
    name: 'replay',
    async setup(script) {
      const dir = await mkdtemp(join(tmpdir(), 'dojo-replay-'));
      cleanups.push(() => rm(dir, { recursive: true, force: true }));
      const recorder = { name: 'replay', model: 'replay', redact: (text: string) => text };
      for (const { request, reply } of script) {
        const toolCalls = reply.toolCalls ?? [];
        const finishReason = toolCalls.length > 0 ? 'tool_calls' : 'stop';
        const usage = { inputTokens: 1, outputTokens: 1, costUsd: 0 };
        await writeRecording(dir, recorder, request, {
          ok: true,
          text: reply.text,
          toolCalls,
          finishReason,
          rawFinishReason: finishReason,
          usage,
          warnings: [],
        });
      }
      return createReplayProvider({ dir });
    },
  },
  {
    name: 'mock',
    async setup(script) {
      return createMockProvider({ replies: script.map(({ reply }) => ({ text: reply.text, toolCalls: reply.toolCalls ?? [] })) });
    },
  },
];

const CHAT: ModelRequest = {
  messages: [
    { role: 'system', content: 'You are a careful engineer.' },
    { role: 'user', content: 'Say hello.' },
  ],
  maxOutputTokens: 100,
  temperature: 0,
};

const TOOLS: ModelRequest['tools'] = [
  {
    name: 'ask_question',
    description: 'Ask the product owner one question.',
    parameters: { type: 'object', properties: { dimension: { type: 'string' }, text: { type: 'string' } }, required: ['dimension'] },
  },
  { name: 'signal_ready', parameters: { type: 'object', properties: {} } },
];

const CALLS: ToolCall[] = [
  { id: 'call_a1', name: 'ask_question', arguments: JSON.stringify({ dimension: 'scope', text: 'Is CSV export — “out” of scope?' }) },
  { id: 'call_b2', name: 'signal_ready', arguments: JSON.stringify({ nested: { list: [1, 2.5, null, true] } }) },
];

const TOOL_REQUEST: ModelRequest = { ...CHAT, tools: TOOLS, toolChoice: 'required' };
const FOLLOW_UP: ModelRequest = {
  ...TOOL_REQUEST,
  toolChoice: 'auto',
  messages: [
    ...CHAT.messages,
    { role: 'assistant', content: '', toolCalls: CALLS },
    { role: 'tool', toolCallId: 'call_a1', content: 'Yes, CSV export is out of scope.' },
    { role: 'tool', toolCallId: 'call_b2', content: 'error: not ready yet', isError: true },
  ],
};

describe.each(IMPLEMENTATIONS)('$name provider', (implementation) => {
  it('declares the versioned interface and its capabilities', async () => {
    const provider = await implementation.setup([]);
    expect(provider.specificationVersion).toBe(PROVIDER_INTERFACE_VERSION);
    expect(provider.name).toMatch(/^\S+$/);
    expect(provider.model).toMatch(/^\S+$/);
    for (const capability of ['remote', 'jsonMode', 'tools'] as const) expect(typeof provider.capabilities[capability]).toBe('boolean');
    expect(provider.redact('no secrets here')).toBe('no secrets here');
  });

  it('answers a text reply with a finish reason, usage and warnings', async () => {
    const provider = await implementation.setup([{ request: CHAT, reply: { text: 'Hello.' } }]);
    const response = await provider.generate(CHAT);
    expect(response).toMatchObject({ ok: true, text: 'Hello.', toolCalls: [], finishReason: 'stop' });
    if (!response.ok) return;
    expect(typeof response.rawFinishReason).toBe('string');
    for (const count of Object.values(response.usage)) expect(count).toBeGreaterThanOrEqual(0);
    expect(response.warnings.every((warning) => typeof warning === 'string')).toBe(true);
    expect(structuredClone(response)).toEqual(JSON.parse(JSON.stringify(response))); // plain data
  });

  it('round-trips tool calls: calls out, results back in', async () => {
    const provider = await implementation.setup([
      { request: TOOL_REQUEST, reply: { text: '', toolCalls: CALLS } },
      { request: FOLLOW_UP, reply: { text: 'Done.' } },
    ]);
    const first = await provider.generate(TOOL_REQUEST);
    expect(first).toMatchObject({ ok: true, text: '', toolCalls: CALLS, finishReason: 'tool_calls' });
    if (!first.ok) return;
    for (const call of first.toolCalls)
      expect(JSON.parse(call.arguments)).toEqual(JSON.parse(CALLS.find((c) => c.id === call.id)?.arguments ?? ''));
    const second = await provider.generate(FOLLOW_UP);
    expect(second).toMatchObject({ ok: true, text: 'Done.', toolCalls: [], finishReason: 'stop' });
  });

  it('an aborted call is an aborted result, never a throw', async () => {
    const provider = await implementation.setup([{ request: CHAT, reply: { text: 'Hello.' } }]);
    const controller = new AbortController();
    controller.abort();
    const response = await provider.generate(CHAT, { signal: controller.signal });
    expect(response).toMatchObject({ ok: false, error: { kind: 'aborted' } });
    expect(response.usage).toEqual({ inputTokens: 0, outputTokens: 0, costUsd: 0 });
  });
});
