/** The recording mock: it records every call and answers from its script, in order or by function. */
import { describe, expect, it } from 'vitest';
import { createMockProvider, type MockReply } from '../../src/providers/mock.js';
import type { ModelRequest, ModelResponse } from '../../src/providers/types.js';

const ask = (content: string): ModelRequest => ({ messages: [{ role: 'user', content }] });

describe('mock provider', () => {
  it('records every request and its options, in order, as they were when sent', async () => {
    const mock = createMockProvider({ replies: ['a', 'b'] });
    const request = { messages: [{ role: 'user' as const, content: 'first' }] };
    const signal = new AbortController().signal;
    await mock.generate(request, { signal, label: 'episode 1', maxResponseBytes: 10 });
    request.messages[0] = { role: 'user', content: 'changed after the call' };
    await mock.generate(ask('second'));
    expect(mock.calls.map((call) => call.request)).toEqual([ask('first'), ask('second')]);
    expect(mock.calls[0]?.options).toEqual({ signal, label: 'episode 1', maxResponseBytes: 10 });
    expect(mock.calls[1]?.options).toEqual({});
  });

  const failure: ModelResponse = {
    ok: false,
    error: { kind: 'rate_limited', message: 'slow down', status: 429, retryAfter: '2' },
    usage: { inputTokens: 0, outputTokens: 0, costUsd: 0 },
    warnings: [],
  };
  it.each<[string, MockReply, Partial<ModelResponse>]>([
    ['a string is a text reply', 'hello', { ok: true, text: 'hello', toolCalls: [], finishReason: 'stop', rawFinishReason: 'stop' }],
    [
      'tool calls default to the tool_calls finish reason',
      { toolCalls: [{ id: 'c1', name: 'signal_ready', arguments: '{}' }] },
      { ok: true, text: '', finishReason: 'tool_calls', toolCalls: [{ id: 'c1', name: 'signal_ready', arguments: '{}' }] },
    ],
    [
      'usage and warnings are passed through, the rest defaulted',
      { text: 'x', usage: { inputTokens: 5 }, warnings: ['w'], finishReason: 'length' },
      { ok: true, usage: { inputTokens: 5, outputTokens: 0, costUsd: 0 }, warnings: ['w'], finishReason: 'length' },
    ],
    ['a whole response is returned as is (a failure here)', failure, failure],
  ])('%s', async (_, reply, expected) => {
    const mock = createMockProvider({ replies: [reply] });
    expect(await mock.generate(ask('q'))).toMatchObject(expected);
  });

  it('a function answers from the request and the call index', async () => {
    const mock = createMockProvider({
      replies: (request, index) => `${index}:${request.messages.at(-1)?.content}`,
    });
    expect(await mock.generate(ask('a'))).toMatchObject({ ok: true, text: '0:a' });
    expect(await mock.generate(ask('b'))).toMatchObject({ ok: true, text: '1:b' });
    expect(mock.calls).toHaveLength(2);
  });

  it('a script that runs out is a no_recording result that says so', async () => {
    const mock = createMockProvider({ replies: ['only one'] });
    await mock.generate(ask('1'));
    const response = await mock.generate(ask('2'));
    expect(response).toMatchObject({ ok: false, error: { kind: 'no_recording' } });
    expect(!response.ok && response.error.message).toBe('mock provider has no reply for call 2 (1 scripted); script more replies');
  });

  it('replies are copies: changing one result does not change the script', async () => {
    const mock = createMockProvider({ replies: () => ({ toolCalls: [{ id: 'c', name: 'n', arguments: '{}' }] }) });
    const first = await mock.generate(ask('1'));
    if (first.ok) first.toolCalls.push({ id: 'x', name: 'x', arguments: '{}' });
    expect(await mock.generate(ask('2'))).toMatchObject({ ok: true, toolCalls: [{ id: 'c' }] });
  });

  it('names, model and capabilities can be set', () => {
    const mock = createMockProvider({ name: 'fake', model: 'm-1', capabilities: { jsonMode: false } });
    expect(mock).toMatchObject({ name: 'fake', model: 'm-1', capabilities: { remote: false, jsonMode: false, tools: true } });
  });
});
