/**
 * The remote providers (OpenAI-compatible, Anthropic) against a fake fetch: every error kind, the
 * size cap, aborts and timeouts, the secrets policy, finish reasons and cost, and each wire format
 * (messages, tools, tool choice, tool results, JSON mode).
 */
import { describe, expect, it } from 'vitest';
import { createAnthropicProvider } from '../../src/providers/anthropic.js';
import { createOpenAIProvider } from '../../src/providers/openai.js';
import type { ModelPricing, ModelProvider, ModelRequest, ToolCall } from '../../src/providers/types.js';
import {
  anthropicBody,
  bigBody,
  type FakeHandler,
  fakeFetch,
  jsonResponse,
  never,
  openaiBody,
  stallingBody,
  type WireReply,
} from './fake-fetch.js';

const KEY = 'sk-test-SECRET-123';
const REQUEST: ModelRequest = {
  messages: [
    { role: 'system', content: 'Reply in JSON.' },
    { role: 'user', content: 'Score this.' },
  ],
  maxOutputTokens: 50,
};

interface RemoteOptions {
  env?: Record<string, string | undefined>;
  apiKeyEnv?: string;
  pricing?: ModelPricing;
  jsonMode?: boolean;
  tools?: boolean;
  keyOptional?: boolean;
}

interface Remote {
  name: 'openai' | 'anthropic';
  body: (reply: WireReply) => Record<string, unknown>;
  make(handler: FakeHandler, options?: RemoteOptions): { provider: ModelProvider; seen: ReturnType<typeof fakeFetch>['seen'] };
}

const OPENAI: Remote = {
  name: 'openai',
  body: openaiBody,
  make(handler, options = {}) {
    const { fetch, seen } = fakeFetch(handler);
    return { provider: createOpenAIProvider({ baseUrl: 'http://model.test/', env: { OPENAI_API_KEY: KEY }, fetch, ...options }), seen };
  },
};

const ANTHROPIC: Remote = {
  name: 'anthropic',
  body: anthropicBody,
  make(handler, options = {}) {
    const { fetch, seen } = fakeFetch(handler);
    const { jsonMode: _jsonMode, tools: _tools, keyOptional: _keyOptional, ...rest } = options;
    return {
      provider: createAnthropicProvider({ baseUrl: 'http://model.test/', env: { ANTHROPIC_API_KEY: KEY }, fetch, ...rest }),
      seen,
    };
  },
};

const REMOTES: Remote[] = [OPENAI, ANTHROPIC];

describe.each(REMOTES)('$name: errors', (remote) => {
  it.each([
    // [status, kind, retry-after header]
    [429, 'rate_limited', '7'],
    [500, 'server_error', undefined],
    [503, 'server_error', 'Wed, 21 Oct 2015 07:28:00 GMT'],
    [408, 'server_error', undefined],
    [401, 'auth', undefined],
    [403, 'auth', undefined],
    [400, 'client_error', undefined],
    [404, 'client_error', undefined],
    [422, 'client_error', undefined],
  ] as const)('HTTP %i is %s, with the status and Retry-After', async (status, kind, retryAfter) => {
    const headers: Record<string, string> = retryAfter === undefined ? {} : { 'retry-after': retryAfter };
    const { provider } = remote.make(() => jsonResponse(status, { error: { message: 'nope' } }, headers));
    const response = await provider.generate(REQUEST);
    expect(response).toMatchObject({ ok: false, error: { kind, status } });
    if (response.ok) return;
    expect(response.error.retryAfter).toBe(retryAfter);
    expect(response.error.message).toContain(`HTTP ${status} from model.test`);
    if (kind === 'auth') expect(response.error.message).toMatch(/check the API key environment variable/);
  });

  it.each([
    // [what the server sends, the message it gives]
    ['a body that is not JSON', '{"choices": [oops', /response is not JSON/],
    ['JSON of the wrong shape', { unexpected: true }, /no (choices\[0\]\.message\.content|content\[\])/],
    ['a tool call without a name', 'nameless-tool-call', /without (a function name|an id or name)/],
  ])('%s is malformed_response', async (_, body, message) => {
    const nameless =
      remote.name === 'openai'
        ? { choices: [{ message: { content: null, tool_calls: [{ id: 'c1', type: 'function', function: { arguments: '{}' } }] } }] }
        : { content: [{ type: 'tool_use', id: 'c1', input: {} }], stop_reason: 'tool_use' };
    const { provider } = remote.make(() => jsonResponse(200, body === 'nameless-tool-call' ? nameless : body));
    const response = await provider.generate(REQUEST);
    expect(response).toMatchObject({ ok: false, error: { kind: 'malformed_response' } });
    expect(!response.ok && response.error.message).toMatch(message);
  });

  it('connection refused is network, naming the cause', async () => {
    const { provider } = remote.make(() => {
      throw new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } });
    });
    expect(await provider.generate(REQUEST)).toMatchObject({
      ok: false,
      error: { kind: 'network', message: 'network error: ECONNREFUSED' },
    });
  });

  it('a timeout signal is timeout; a caller abort is aborted, before or during the body', async () => {
    const { provider } = remote.make((_, index, signal) => (index < 2 ? never(signal) : stallingBody(signal)));
    expect(await provider.generate(REQUEST, { signal: AbortSignal.timeout(20) })).toMatchObject({ ok: false, error: { kind: 'timeout' } });
    const waiting = new AbortController();
    setTimeout(() => waiting.abort(), 20);
    expect(await provider.generate(REQUEST, { signal: waiting.signal })).toMatchObject({ ok: false, error: { kind: 'aborted' } });
    const reading = new AbortController();
    setTimeout(() => reading.abort(), 20);
    expect(await provider.generate(REQUEST, { signal: reading.signal })).toMatchObject({ ok: false, error: { kind: 'aborted' } });
  });

  it.each([
    ['with content-length', true],
    ['chunked, no content-length', false],
  ])('an oversized body (%s) is oversized, never buffered whole', async (_, declared) => {
    const { provider } = remote.make(() => bigBody(64 * 1024, 32, declared));
    const response = await provider.generate(REQUEST, { maxResponseBytes: 10_000 });
    expect(response).toMatchObject({ ok: false, error: { kind: 'oversized', status: 200 } });
    expect(!response.ok && response.error.message).toMatch(/exceeds 10000 bytes/);
  });

  it('a missing key is missing_key naming the variable, with no request', async () => {
    const { provider, seen } = remote.make(() => jsonResponse(200, {}), { env: { OTHER: 'x' }, apiKeyEnv: 'MY_UNSET_KEY' });
    const response = await provider.generate(REQUEST);
    expect(response).toMatchObject({ ok: false, error: { kind: 'missing_key' } });
    expect(!response.ok && response.error.message).toMatch(/environment variable MY_UNSET_KEY is not set/);
    expect(seen).toHaveLength(0);
  });

  it('a key of only spaces counts as missing', async () => {
    const { provider } = remote.make(() => jsonResponse(200, {}), { env: { OPENAI_API_KEY: '  ', ANTHROPIC_API_KEY: '  ' } });
    expect(await provider.generate(REQUEST)).toMatchObject({ ok: false, error: { kind: 'missing_key' } });
  });
});

describe.each(REMOTES)('$name: secrets', (remote) => {
  /** A server that echoes the credential headers back in every place a reply can carry text. */
  const echo: FakeHandler = (seen, index) => {
    const echoed = `${seen.headers['x-api-key'] ?? ''} ${seen.headers.authorization ?? ''}`;
    if (index === 0) return jsonResponse(500, { error: `bad key ${echoed}` });
    if (index === 1) return jsonResponse(429, { error: `rate limited for ${echoed}` }, { 'retry-after': '1' });
    if (index === 2) return jsonResponse(200, `not json ${echoed}`);
    if (index === 3) return jsonResponse(200, { weird: echoed });
    const call: ToolCall = { id: `id-${KEY}`, name: `tool_${KEY}`, arguments: JSON.stringify({ text: echoed }) };
    return jsonResponse(200, remote.body({ text: `verdict ${echoed}`, toolCalls: [call], finishReason: `stop ${echoed}` }));
  };

  it('the key appears in no error message, text, tool call, finish reason, warning or property', async () => {
    const { provider, seen } = remote.make(echo, { env: { MY_KEY: KEY }, apiKeyEnv: 'MY_KEY' });
    const request: ModelRequest = { ...REQUEST, tools: [{ name: 'tool', parameters: { type: 'object' } }], toolChoice: { tool: 'tool' } };
    const responses = [];
    for (let index = 0; index < 5; index++) responses.push(await provider.generate(request));
    expect(responses.map((response) => (response.ok ? 'ok' : response.error.kind))).toEqual([
      'server_error',
      'rate_limited',
      'malformed_response',
      'malformed_response',
      'ok',
    ]);
    expect(JSON.stringify(seen.map((request) => request.headers))).toContain(KEY); // the key was really sent
    const everything = JSON.stringify([responses, provider]);
    expect(everything).not.toContain(KEY);
    expect(everything.match(/\[REDACTED\]/g)?.length).toBeGreaterThanOrEqual(8);
    expect(provider.redact(`a ${KEY} b`)).toBe('a [REDACTED] b');
  });
});

describe.each(REMOTES)('$name: usage and finish reasons', (remote) => {
  it('estimates the cost from the pricing; without pricing, 0 and a warning', async () => {
    const reply = () => jsonResponse(200, remote.body({ text: 'ok', inputTokens: 2_000, outputTokens: 500 }));
    const priced = await remote.make(reply, { pricing: { inputPerMillion: 3, outputPerMillion: 15 } }).provider.generate(REQUEST);
    expect(priced).toMatchObject({ ok: true, usage: { inputTokens: 2000, outputTokens: 500 }, warnings: [] });
    expect(priced.usage.costUsd).toBeCloseTo((2000 * 3 + 500 * 15) / 1e6, 12);
    const { provider } =
      remote.name === 'openai'
        ? remote.make(reply)
        : {
            provider: createAnthropicProvider({ model: 'claude-unknown', env: { ANTHROPIC_API_KEY: KEY }, fetch: fakeFetch(reply).fetch }),
          };
    const unpriced = await provider.generate(REQUEST);
    expect(unpriced.usage.costUsd).toBe(0);
    expect(unpriced.warnings).toEqual([expect.stringMatching(/^no pricing for model .*: cost estimated as 0/)]);
  });

  const table: Record<Remote['name'], [string, string][]> = {
    openai: [
      ['stop', 'stop'],
      ['length', 'length'],
      ['tool_calls', 'tool_calls'],
      ['function_call', 'tool_calls'],
      ['content_filter', 'content_filter'],
      ['constructor', 'other'],
      ['something_new', 'other'],
    ],
    anthropic: [
      ['end_turn', 'stop'],
      ['stop_sequence', 'stop'],
      ['max_tokens', 'length'],
      ['tool_use', 'tool_calls'],
      ['refusal', 'content_filter'],
      ['pause_turn', 'other'],
    ],
  };
  it.each(table[remote.name])('finish reason %s is %s (a cut-off reply warns)', async (raw, finishReason) => {
    const { provider } = remote.make(() => jsonResponse(200, remote.body({ text: 'x', finishReason: raw })), {
      pricing: { inputPerMillion: 0, outputPerMillion: 0 },
    });
    const response = await provider.generate(REQUEST);
    expect(response).toMatchObject({ ok: true, finishReason, rawFinishReason: raw });
    expect(response.warnings).toEqual(finishReason === 'length' ? [expect.stringMatching(/hit max_tokens/)] : []);
  });

  it('an absent finish reason is other / unknown', async () => {
    const body = remote.body({ text: 'x' });
    if (remote.name === 'openai') delete (body.choices as Record<string, unknown>[])[0]?.finish_reason;
    else delete body.stop_reason;
    const { provider } = remote.make(() => jsonResponse(200, body));
    expect(await provider.generate(REQUEST)).toMatchObject({ ok: true, finishReason: 'other', rawFinishReason: 'unknown' });
  });
});

// ---- wire formats ---------------------------------------------------------------------------------

const CALLS: ToolCall[] = [
  { id: 'call_1', name: 'ask_question', arguments: '{"dimension":"scope"}' },
  { id: 'call_2', name: 'signal_ready', arguments: '{}' },
];
const CONVERSATION: ModelRequest = {
  messages: [
    { role: 'system', content: 'You are the candidate.' },
    { role: 'user', content: 'Observation 1' },
    { role: 'assistant', content: 'Let me ask.', toolCalls: CALLS },
    { role: 'tool', toolCallId: 'call_1', content: 'It is out of scope.' },
    { role: 'tool', toolCallId: 'call_2', content: 'error: ask first', isError: true },
    { role: 'user', content: 'Observation 2' },
    { role: 'assistant', content: 'Noted.' },
    { role: 'user', content: 'Observation 3' },
  ],
  tools: [
    {
      name: 'ask_question',
      description: 'Ask one question.',
      parameters: { type: 'object', properties: { dimension: { type: 'string' } } },
    },
    { name: 'signal_ready', parameters: { type: 'object', properties: {} } },
  ],
  toolChoice: 'auto',
  maxOutputTokens: 300,
  temperature: 0.2,
};
const ok = () => jsonResponse(200, openaiBody({ text: 'ok' }));
const okAnthropic = () => jsonResponse(200, anthropicBody({ text: 'ok' }));

describe('openai: wire format', () => {
  it('sends messages, tools and tool results in the Chat Completions format', async () => {
    const { provider, seen } = OPENAI.make(ok);
    await provider.generate(CONVERSATION);
    expect(seen[0]?.url).toBe('http://model.test/v1/chat/completions');
    expect(seen[0]?.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(seen[0]?.body).toEqual({
      model: 'gpt-4.1',
      max_tokens: 300,
      temperature: 0.2,
      messages: [
        { role: 'system', content: 'You are the candidate.' },
        { role: 'user', content: 'Observation 1' },
        {
          role: 'assistant',
          content: 'Let me ask.',
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'ask_question', arguments: '{"dimension":"scope"}' } },
            { id: 'call_2', type: 'function', function: { name: 'signal_ready', arguments: '{}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: 'It is out of scope.' },
        { role: 'tool', tool_call_id: 'call_2', content: 'error: ask first' },
        { role: 'user', content: 'Observation 2' },
        { role: 'assistant', content: 'Noted.' },
        { role: 'user', content: 'Observation 3' },
      ],
      tools: [
        {
          type: 'function',
          function: {
            name: 'ask_question',
            description: 'Ask one question.',
            parameters: { type: 'object', properties: { dimension: { type: 'string' } } },
          },
        },
        { type: 'function', function: { name: 'signal_ready', parameters: { type: 'object', properties: {} } } },
      ],
      tool_choice: 'auto',
    });
  });

  it.each([
    ['auto', 'auto'],
    ['none', 'none'],
    ['required', 'required'],
    [{ tool: 'signal_ready' }, { type: 'function', function: { name: 'signal_ready' } }],
  ] as const)('tool choice %j is sent as %j', async (toolChoice, wire) => {
    const { provider, seen } = OPENAI.make(ok);
    await provider.generate({ ...CONVERSATION, toolChoice });
    expect(seen[0]?.body.tool_choice).toEqual(wire);
  });

  it('an assistant turn with only tool calls has null content; tool_calls with object arguments or no id are read', async () => {
    const body = {
      choices: [
        {
          message: { content: null, tool_calls: [{ type: 'function', function: { name: 'signal_ready', arguments: { now: true } } }] },
          finish_reason: 'tool_calls',
        },
      ],
    };
    const { provider, seen } = OPENAI.make(() => jsonResponse(200, body));
    const response = await provider.generate({ messages: [{ role: 'assistant', content: '', toolCalls: CALLS.slice(1) }] });
    expect(seen[0]?.body.messages).toEqual([{ role: 'assistant', content: null, tool_calls: [expect.objectContaining({ id: 'call_2' })] }]);
    expect(response).toMatchObject({ ok: true, text: '', toolCalls: [{ id: 'call_0', name: 'signal_ready', arguments: '{"now":true}' }] });
  });

  it.each([
    // [option, request field, wire field, warning]
    ['jsonMode on', { jsonMode: true }, { responseFormat: 'json' }, { response_format: { type: 'json_object' } }, undefined],
    ['jsonMode off', { jsonMode: false }, { responseFormat: 'json' }, {}, /jsonMode is off/],
    ['tools off', { tools: false }, { tools: CONVERSATION.tools, toolChoice: 'auto' }, {}, /2 tool definition\(s\) not sent/],
    ['tool choice without tools', {}, { toolChoice: 'required' }, {}, /toolChoice ignored/],
  ] as const)('%s', async (_, options, fields, wire, warning) => {
    const { provider, seen } = OPENAI.make(ok, { ...options, pricing: { inputPerMillion: 0, outputPerMillion: 0 } });
    const response = await provider.generate({ ...REQUEST, ...fields });
    for (const field of ['response_format', 'tools', 'tool_choice'])
      expect(seen[0]?.body[field]).toEqual((wire as Record<string, unknown>)[field]);
    expect(response.warnings).toEqual(warning ? [expect.stringMatching(warning)] : []);
  });

  it('a local server without a key: keyOptional sends no authorization header; temperature and max tokens are left to the server', async () => {
    const { provider, seen } = OPENAI.make(ok, { env: {}, keyOptional: true });
    expect((await provider.generate({ messages: [{ role: 'user', content: 'hi' }] })).ok).toBe(true);
    expect(seen[0]?.headers.authorization).toBeUndefined();
    expect(seen[0]?.body).toEqual({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }] });
  });
});

describe('anthropic: wire format', () => {
  it('sends the system prompt at the top, tools with input_schema, tool results as one user turn', async () => {
    const { provider, seen } = ANTHROPIC.make(okAnthropic);
    const response = await provider.generate(CONVERSATION);
    expect(response.warnings).toEqual([]);
    expect(seen[0]?.url).toBe('http://model.test/v1/messages');
    expect(seen[0]?.headers['x-api-key']).toBe(KEY);
    expect(seen[0]?.headers['anthropic-version']).toBe('2023-06-01');
    expect(seen[0]?.body).toEqual({
      model: 'claude-opus-4-1-20250805',
      max_tokens: 300,
      temperature: 0.2,
      system: 'You are the candidate.',
      messages: [
        { role: 'user', content: 'Observation 1' },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'Let me ask.' },
            { type: 'tool_use', id: 'call_1', name: 'ask_question', input: { dimension: 'scope' } },
            { type: 'tool_use', id: 'call_2', name: 'signal_ready', input: {} },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'call_1', content: 'It is out of scope.' },
            { type: 'tool_result', tool_use_id: 'call_2', content: 'error: ask first', is_error: true },
            { type: 'text', text: 'Observation 2' },
          ],
        },
        { role: 'assistant', content: 'Noted.' },
        { role: 'user', content: 'Observation 3' },
      ],
      tools: [
        {
          name: 'ask_question',
          description: 'Ask one question.',
          input_schema: { type: 'object', properties: { dimension: { type: 'string' } } },
        },
        { name: 'signal_ready', input_schema: { type: 'object', properties: {} } },
      ],
      tool_choice: { type: 'auto' },
    });
  });

  it.each([
    ['auto', { type: 'auto' }],
    ['none', { type: 'none' }],
    ['required', { type: 'any' }],
    [{ tool: 'signal_ready' }, { type: 'tool', name: 'signal_ready' }],
  ] as const)('tool choice %j is sent as %j', async (toolChoice, wire) => {
    const { provider, seen } = ANTHROPIC.make(okAnthropic);
    await provider.generate({ ...CONVERSATION, toolChoice });
    expect(seen[0]?.body.tool_choice).toEqual(wire);
  });

  it.each([
    // [case, request, the body fields checked, warning]
    ['no maxOutputTokens: the default max_tokens', { messages: [{ role: 'user', content: 'hi' }] }, { max_tokens: 4096 }, undefined],
    ['JSON mode is not supported', { ...REQUEST, responseFormat: 'json' }, { max_tokens: 50 }, /no JSON mode/],
    [
      'a late system message joins the system prompt',
      {
        messages: [
          { role: 'system', content: 'A' },
          { role: 'user', content: 'hi' },
          { role: 'system', content: 'B' },
        ],
      },
      { system: 'A\n\nB' },
      /moved into the top-level system prompt/,
    ],
    [
      'tool arguments that are not a JSON object are sent as {}',
      { messages: [{ role: 'assistant', content: '', toolCalls: [{ id: 'c', name: 't', arguments: 'not json' }] }] },
      { messages: [{ role: 'assistant', content: [{ type: 'tool_use', id: 'c', name: 't', input: {} }] }] },
      /not a JSON object; sent as \{\}/,
    ],
    ['tool choice without tools', { ...REQUEST, toolChoice: 'required' }, { system: 'Reply in JSON.' }, /toolChoice ignored/],
  ] as const)('%s', async (_, request, fields, warning) => {
    const { provider, seen } = ANTHROPIC.make(okAnthropic);
    const response = await provider.generate(request as ModelRequest);
    expect(seen[0]?.body).toMatchObject(fields);
    expect(seen[0]?.body).not.toHaveProperty('tool_choice');
    expect(response.warnings).toEqual(warning ? [expect.stringMatching(warning)] : []);
  });
});
