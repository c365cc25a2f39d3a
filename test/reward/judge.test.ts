/**
 * The judge client against a fake HTTP server on 127.0.0.1 that injects faults: no crash, bounded
 * retries (counted on the server side), fallback recorded, both wire formats, cache, budget,
 * sampling, replay, and the secrets policy. The providers themselves are tested in test/providers.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TRACE_SCHEMA, type Trace } from '../../src/core/trace.js';
import { createAnthropicProvider } from '../../src/providers/anthropic.js';
import { createMockProvider } from '../../src/providers/mock.js';
import { createOpenAIProvider } from '../../src/providers/openai.js';
import { contentHash, createJudgeReplayProvider } from '../../src/reward/judge/cache.js';
import { createJudgeClient, type JudgeClientOptions } from '../../src/reward/judge/client.js';
import { buildJudgeRequest, type JudgeRequest, judgedCodes } from '../../src/reward/judge/rubric.js';
import { isSampled } from '../../src/reward/judge/sampling.js';
import type { JudgeClock } from '../../src/reward/judge/system.js';
import { parseVerdict } from '../../src/reward/judge/verdict.js';

// ---- fixtures -----------------------------------------------------------------------------------

const KEY = 'sk-test-SECRET-123';
const ENV = { ANTHROPIC_API_KEY: KEY, OPENAI_API_KEY: KEY };
const HIDDEN = 'HIDDEN-TRUTH-7f3a';
const CODES = ['B-01', 'B-02', 'B-03', 'B-04'];

function trace(episodeId = 'ep-1', type = 'elicitation'): Trace {
  return {
    schema: TRACE_SCHEMA,
    episodeId,
    type,
    typeId: 'E-1.1',
    stage: 1,
    seed: 7,
    options: {},
    policy: 'test',
    decisions: [
      {
        id: `${episodeId}/d0`,
        step: 0,
        observationDigest: 'abc',
        action: { type: 'ask_question', args: { dimension: 'scope' }, text: 'Is CSV export out of scope?' },
        valid: true,
        response: 'Yes, CSV export is out of scope.',
        links: [{ effect: 'revealed_requirement', target: HIDDEN, value: 0.1, note: `link ${HIDDEN}` }],
      },
      {
        id: `${episodeId}/d1`,
        step: 1,
        observationDigest: 'def',
        action: { type: 'signal_ready' },
        valid: true,
        response: 'ok',
        links: [],
      },
    ],
    terminated: true,
    truncated: false,
    turns: 2,
    invalidActions: 0,
    outcome: { story_accepted: true, iterations: 2 },
    reward: {
      outcome: 0.8,
      components: {} as Trace['reward']['components'],
      invalidPenalty: 0,
    },
    episodeLinks: [{ effect: 'missed_requirement', target: HIDDEN, value: -0.1, note: HIDDEN }],
    hidden: { requirements: [HIDDEN] },
  };
}

function verdict(codes = CODES, extra = ''): Record<string, unknown> {
  return {
    codes: Object.fromEntries(codes.map((code) => [code, { score: 0.7, justification: `step 0 asked about scope${extra}` }])),
    overall: 0.7,
    performativeRisk: 0.1,
  };
}

const anthropicBody = (text: string) => ({
  content: [{ type: 'text', text }],
  stop_reason: 'end_turn',
  usage: { input_tokens: 1000, output_tokens: 200 },
});
const openaiBody = (text: string) => ({
  choices: [{ message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 1000, completion_tokens: 200 },
});

// ---- fake server --------------------------------------------------------------------------------

interface Seen {
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}
type Handler = (seen: Seen, res: ServerResponse, index: number) => void;

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function fakeServer(handler: Handler): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const entry = { url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      seen.push(entry);
      handler(entry, res, seen.length - 1);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
}

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'dojo-judge-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** Instant sleeps (recorded), a fixed clock, real timeout signals (the timeout test needs ~50 ms). */
function fakeClock(): JudgeClock & { sleeps: number[] } {
  const sleeps: number[] = [];
  return { sleeps, now: () => 1_700_000_000_000, sleep: async (ms) => void sleeps.push(ms), timeout: (ms) => AbortSignal.timeout(ms) };
}

function client(url: string, extra: Partial<JudgeClientOptions> = {}, kind: 'anthropic' | 'openai' = 'anthropic') {
  const provider =
    kind === 'anthropic'
      ? createAnthropicProvider({ baseUrl: url, env: ENV })
      : createOpenAIProvider({ baseUrl: url, env: ENV, pricing: { inputPerMillion: 2, outputPerMillion: 8 } });
  const clock = fakeClock();
  return { clock, client: createJudgeClient({ provider, clock, random: () => 0.5, backoff: { baseMs: 100 }, timeoutMs: 2000, ...extra }) };
}

// ---- rubric and verdict -------------------------------------------------------------------------

describe('rubric', () => {
  it('scores the codes the episode type trains, minus cross-episode codes', () => {
    expect(judgedCodes('elicitation')).toEqual(CODES);
    expect(judgedCodes('self_monitoring')).toEqual(['B-09', 'B-10', 'B-12']); // B-30 is cross-episode
    expect(() => judgedCodes('nope')).toThrow(/unknown episode type "nope"/);
  });

  it('includes the rubric, the actions and the outcome facts, never the hidden truth or links', () => {
    const request = buildJudgeRequest(trace());
    expect(request.codes).toEqual(CODES);
    expect(request.prompt).toContain('B-01 Ambiguity detection');
    expect(request.prompt).toContain('Is CSV export out of scope?');
    expect(request.prompt).toContain('story_accepted');
    expect(request.prompt).toContain('"performativeRisk"');
    expect(request.prompt + request.system).not.toContain(HIDDEN);
    expect(request.prompt).not.toContain('revealed_requirement');
  });
});

describe('verdict parsing', () => {
  const text = JSON.stringify(verdict());
  it.each([
    ['bare JSON', text],
    ['fenced block', `Here you go:\n\`\`\`json\n${text}\n\`\`\``],
    ['prose around the object', `Verdict: ${text} Thanks.`],
  ])('accepts %s', (_, input) => {
    const parsed = parseVerdict(input, CODES);
    expect(parsed.ok && parsed.verdict.codes['B-01']?.score).toBe(0.7);
  });

  it.each([
    ['an extra code', JSON.stringify(verdict([...CODES, 'B-99'])), 'schema', /B-99/],
    ['a missing code', JSON.stringify(verdict(['B-01'])), 'schema', /codes\.B-02/],
    ['a score above 1', JSON.stringify({ ...verdict(), overall: 1.5 }), 'schema', /overall/],
    ['no JSON at all', 'I think the candidate did fine.', 'not_json', /no JSON object/],
  ])('rejects %s with a clear error', (_, input, kind, message) => {
    const parsed = parseVerdict(input, CODES);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.kind).toBe(kind);
      expect(parsed.message).toMatch(message);
    }
  });
});

// ---- wire formats -------------------------------------------------------------------------------

describe('happy paths', () => {
  it('Anthropic Messages API', async () => {
    const server = await fakeServer((_, res) => json(res, 200, anthropicBody(JSON.stringify(verdict()))));
    const { client: judge } = client(server.url);
    const result = await judge.judge(trace());
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.verdict.overall).toBe(0.7);
      expect(result.usage.inputTokens).toBe(1000);
      expect(result.usage.costUsd).toBeCloseTo((1000 * 15 + 200 * 75) / 1e6, 10);
    }
    const [request] = server.seen;
    expect(request?.url).toBe('/v1/messages');
    expect(request?.headers['x-api-key']).toBe(KEY);
    expect(request?.headers['anthropic-version']).toBe('2023-06-01');
    const body = JSON.parse(request?.body ?? '{}');
    expect(body.model).toMatch(/^claude-opus/);
    expect(body.messages[0].role).toBe('user');
  });

  it('OpenAI-compatible chat completions', async () => {
    const server = await fakeServer((_, res) => json(res, 200, openaiBody(`\`\`\`json\n${JSON.stringify(verdict())}\n\`\`\``)));
    const { client: judge } = client(server.url, {}, 'openai');
    const result = await judge.judge(trace());
    expect(result.ok).toBe(true);
    const [request] = server.seen;
    expect(request?.url).toBe('/v1/chat/completions');
    expect(request?.headers.authorization).toBe(`Bearer ${KEY}`);
    const body = JSON.parse(request?.body ?? '{}');
    expect(body.messages.map((m: { role: string }) => m.role)).toEqual(['system', 'user']);
    expect(body.response_format).toEqual({ type: 'json_object' });
  });
});

describe('compatibility with earlier runs', () => {
  const request: JudgeRequest = { id: 'ep', codes: ['B-01'], system: 'SYS json', prompt: 'PROMPT', maxOutputTokens: 2000 };

  it('cache keys are unchanged, so existing caches and replay directories still hit', () => {
    expect(contentHash('anthropic', 'claude-opus-4-1-20250805', request)).toBe(
      '411ea95c9f380445ceee58feb3076338a65a790b170608e748ff2089a414cd15',
    );
  });

  // The exact bodies the judge sent before it moved onto src/providers.
  it.each([
    [
      'anthropic',
      {},
      '{"model":"claude-opus-4-1-20250805","max_tokens":2000,"temperature":0,"system":"SYS json","messages":[{"role":"user","content":"PROMPT"}]}',
    ],
    [
      'openai',
      {},
      '{"model":"gpt-4.1","max_tokens":2000,"temperature":0,"messages":[{"role":"system","content":"SYS json"},{"role":"user","content":"PROMPT"}],"response_format":{"type":"json_object"}}',
    ],
    [
      'openai',
      { jsonMode: false, temperature: 0.5 },
      '{"model":"gpt-4.1","max_tokens":2000,"temperature":0.5,"messages":[{"role":"system","content":"SYS json"},{"role":"user","content":"PROMPT"}]}',
    ],
  ] as const)('%s %j: the request body is byte for byte the same', async (kind, extra, expected) => {
    const bodies: string[] = [];
    const fetch = (async (_url: string, init: RequestInit) => {
      bodies.push(String(init.body));
      return new Response('{}', { status: 200 });
    }) as unknown as typeof globalThis.fetch;
    const env = { ANTHROPIC_API_KEY: KEY, OPENAI_API_KEY: KEY };
    const provider =
      kind === 'anthropic'
        ? createAnthropicProvider({ env, fetch })
        : createOpenAIProvider({ env, fetch, ...('jsonMode' in extra ? { jsonMode: extra.jsonMode } : {}) });
    const judge = createJudgeClient({ provider, clock: fakeClock(), random: () => 0, maxAttempts: 1 });
    await judge.judgeRequest({ ...request, ...('temperature' in extra ? { temperature: extra.temperature } : {}) });
    expect(bodies).toEqual([expected]);
  });

  it('the client sends the rubric as a system and a user message, asking for JSON only where the provider declares it', async () => {
    const reply = JSON.stringify(verdict(['B-01']));
    for (const jsonMode of [true, false]) {
      const mock = createMockProvider({ replies: [reply], capabilities: { jsonMode } });
      const result = await createJudgeClient({ provider: mock, clock: fakeClock() }).judgeRequest(request);
      expect(result).toMatchObject({ ok: true, attempts: 1 });
      expect(mock.calls).toEqual([
        {
          request: {
            messages: [
              { role: 'system', content: 'SYS json' },
              { role: 'user', content: 'PROMPT' },
            ],
            maxOutputTokens: 2000,
            temperature: 0,
            ...(jsonMode ? { responseFormat: 'json' } : {}),
          },
          options: { signal: expect.any(AbortSignal), maxResponseBytes: 1024 * 1024, label: 'episode ep' },
        },
      ]);
    }
  });

  it('a provider that throws is a network failure, not a crash', async () => {
    const mock = createMockProvider({
      replies: () => {
        throw new Error('boom');
      },
    });
    const result = await createJudgeClient({ provider: mock, clock: fakeClock(), random: () => 0, maxAttempts: 2 }).judgeRequest(request);
    expect(result).toMatchObject({ ok: false, reason: 'network', attempts: 2, message: 'provider mock threw: boom' });
  });
});

// ---- faults -------------------------------------------------------------------------------------

describe('fault injection', () => {
  it('429 with Retry-After: waits as told, then succeeds', async () => {
    const server = await fakeServer((_, res, i) =>
      i === 0 ? json(res, 429, { error: 'slow down' }, { 'retry-after': '2' }) : json(res, 200, anthropicBody(JSON.stringify(verdict()))),
    );
    const { client: judge, clock } = client(server.url);
    const result = await judge.judge(trace());
    expect(result.ok && result.attempts).toBe(2);
    expect(server.seen).toHaveLength(2);
    expect(clock.sleeps).toEqual([2000]);
  });

  it('Retry-After is capped', async () => {
    const server = await fakeServer((_, res) => json(res, 429, {}, { 'retry-after': '3600' }));
    const { client: judge, clock } = client(server.url, { maxAttempts: 2, retryAfterCapMs: 5000 });
    const result = await judge.judge(trace());
    expect(!result.ok && result.reason).toBe('rate_limited');
    expect(clock.sleeps).toEqual([5000]);
  });

  it('500 forever: bounded retries with exponential backoff, then a recorded failure', async () => {
    const server = await fakeServer((_, res) => json(res, 500, { error: 'boom' }));
    const { client: judge, clock } = client(server.url, { maxAttempts: 3 });
    const result = await judge.judge(trace());
    expect(result).toMatchObject({ ok: false, reason: 'server_error', attempts: 3 });
    expect(server.seen).toHaveLength(3);
    // equal jitter with random() = 0.5: 0.75 * 100, 0.75 * 200
    expect(clock.sleeps).toEqual([75, 150]);
    expect(judge.failures()).toMatchObject([{ episodeId: 'ep-1', reason: 'server_error', attempts: 3, status: 500 }]);
    expect(judge.stats()).toMatchObject({ failures: 1, calls: 3, retries: 2, failuresByReason: { server_error: 1 } });
  });

  it('a server that never answers: per-request timeout, bounded retries', async () => {
    const server = await fakeServer(() => undefined);
    const { client: judge } = client(server.url, { timeoutMs: 50, maxAttempts: 2 });
    const result = await judge.judge(trace());
    expect(result).toMatchObject({ ok: false, reason: 'timeout', attempts: 2 });
    expect(server.seen).toHaveLength(2);
  });

  it('a caller abort stops at once, without retries', async () => {
    const server = await fakeServer(() => undefined);
    const { client: judge } = client(server.url, { timeoutMs: 5000 });
    const result = await judge.judge(trace(), { signal: AbortSignal.timeout(30) });
    expect(result).toMatchObject({ ok: false, reason: 'aborted', attempts: 1 });
    expect(server.seen).toHaveLength(1);
  });

  it('malformed JSON body: one retry, then malformed_response', async () => {
    const server = await fakeServer((_, res) => json(res, 200, '{"content": [oops'));
    const { client: judge } = client(server.url);
    const result = await judge.judge(trace());
    expect(result).toMatchObject({ ok: false, reason: 'malformed_response', attempts: 2 });
    expect(server.seen).toHaveLength(2);
  });

  it('schema-violating verdict: exactly one retry', async () => {
    const server = await fakeServer((_, res) => json(res, 200, anthropicBody(JSON.stringify(verdict([...CODES, 'B-13'])))));
    const { client: judge } = client(server.url, { maxAttempts: 4 });
    const result = await judge.judge(trace());
    expect(result).toMatchObject({ ok: false, reason: 'invalid_verdict', attempts: 2 });
    expect(!result.ok && result.message).toMatch(/B-13/);
    expect(server.seen).toHaveLength(2);
  });

  it('schema-violating verdict once, then a valid one', async () => {
    const server = await fakeServer((_, res, i) => json(res, 200, anthropicBody(i === 0 ? '{"overall": 2}' : JSON.stringify(verdict()))));
    const { client: judge } = client(server.url);
    expect(await judge.judge(trace())).toMatchObject({ ok: true, attempts: 2 });
  });

  it.each([
    ['with content-length', true],
    ['chunked, no content-length', false],
  ])('oversized body (%s): error, no retry', async (_, declared) => {
    const big = 'x'.repeat(64 * 1024);
    const server = await fakeServer((__, res) => {
      res.writeHead(200, declared ? { 'content-length': String(big.length * 32) } : {});
      for (let i = 0; i < 32; i++) res.write(big);
      res.end();
    });
    const { client: judge } = client(server.url, { maxResponseBytes: 10_000 });
    const result = await judge.judge(trace());
    expect(result).toMatchObject({ ok: false, reason: 'oversized', attempts: 1 });
    expect(server.seen).toHaveLength(1);
  });

  it.each([
    [400, 'client_error'],
    [401, 'auth'],
  ])('HTTP %i is not retried (%s)', async (status, reason) => {
    const server = await fakeServer((_, res) => json(res, status, { error: 'no' }));
    const { client: judge } = client(server.url);
    expect(await judge.judge(trace())).toMatchObject({ ok: false, reason, attempts: 1 });
    expect(server.seen).toHaveLength(1);
  });

  it('connection refused: network error, retried', async () => {
    const server = await fakeServer(() => undefined);
    const url = server.url;
    await cleanups.pop()?.();
    const { client: judge } = client(url, { maxAttempts: 2 });
    expect(await judge.judge(trace())).toMatchObject({ ok: false, reason: 'network', attempts: 2 });
  });

  it('an unknown episode type is an invalid_request result, not a throw', async () => {
    const { client: judge } = client('http://127.0.0.1:9');
    expect(await judge.judge(trace('ep-x', 'no_such_type'))).toMatchObject({ ok: false, reason: 'invalid_request', attempts: 0 });
  });
});

// ---- cache, budget, sampling, replay ------------------------------------------------------------

describe('cache', () => {
  it('the second call is a cache hit: the server sees one request; no temp files left', async () => {
    const server = await fakeServer((_, res) => json(res, 200, anthropicBody(JSON.stringify(verdict()))));
    const cacheDir = await tempDir();
    const first = await client(server.url, { cacheDir }).client.judge(trace());
    const second = await client(server.url, { cacheDir }).client.judge(trace());
    expect(first).toMatchObject({ ok: true, cached: false });
    expect(second).toMatchObject({ ok: true, cached: true, attempts: 0 });
    expect(server.seen).toHaveLength(1);
    const files = await readdir(cacheDir);
    expect(files).toEqual([`${first.ok ? first.key : ''}.json`]);
  });
});

describe('budget', () => {
  it('max calls: later requests get budget_exhausted without a request', async () => {
    const server = await fakeServer((_, res) => json(res, 200, anthropicBody(JSON.stringify(verdict()))));
    const { client: judge } = client(server.url, { budget: { maxCalls: 2 } });
    const results = [];
    for (const id of ['a', 'b', 'c']) results.push(await judge.judge(trace(id)));
    expect(results.map((r) => (r.ok ? 'ok' : r.reason))).toEqual(['ok', 'ok', 'budget_exhausted']);
    expect(server.seen).toHaveLength(2);
  });

  it('max cost', async () => {
    const server = await fakeServer((_, res) => json(res, 200, anthropicBody(JSON.stringify(verdict()))));
    const { client: judge } = client(server.url, { budget: { maxCostUsd: 0.01 } }); // one call costs $0.03
    expect((await judge.judge(trace('a'))).ok).toBe(true);
    expect(await judge.judge(trace('b'))).toMatchObject({ ok: false, reason: 'budget_exhausted' });
    expect(server.seen).toHaveLength(1);
  });
});

describe('sampling', () => {
  const ids = Array.from({ length: 2000 }, (_, i) => `episode-${i}`);
  it('is deterministic by episode id and close to the requested rate', () => {
    const pick = () => ids.filter((id) => isSampled({ kind: 'fraction', fraction: 0.25 }, id));
    expect(pick()).toEqual(pick());
    expect(pick().length).toBeGreaterThan(400);
    expect(pick().length).toBeLessThan(600);
    const every = ids.filter((id) => isSampled({ kind: 'every', every: 10 }, id)).length;
    expect(every).toBeGreaterThan(140);
    expect(every).toBeLessThan(260);
    expect(ids.every((id) => isSampled({ kind: 'all' }, id))).toBe(true);
    expect(() => isSampled({ kind: 'every', every: 0 }, 'x')).toThrow(/integer >= 1/);
  });

  it('the client skips unsampled episodes without a request, unless forced', async () => {
    const server = await fakeServer((_, res) => json(res, 200, anthropicBody(JSON.stringify(verdict()))));
    const { client: judge } = client(server.url, { sampling: { kind: 'fraction', fraction: 0 } });
    expect(await judge.judge(trace())).toMatchObject({ ok: false, reason: 'not_sampled' });
    expect(server.seen).toHaveLength(0);
    expect((await judge.judge(trace(), { force: true })).ok).toBe(true);
    expect(judge.stats()).toMatchObject({ skipped: 1, failures: 0, successes: 1 });
  });
});

describe('replay provider', () => {
  it('serves a recorded verdict from a cache directory; a missing one is no_recording', async () => {
    const server = await fakeServer((_, res) => json(res, 200, anthropicBody(JSON.stringify(verdict()))));
    const dir = await tempDir();
    const { client: live } = client(server.url, { cacheDir: dir });
    expect((await live.judge(trace())).ok).toBe(true);

    const replay = createJudgeReplayProvider({ dir, recordedProvider: 'anthropic', recordedModel: live.provider.model });
    const judge = createJudgeClient({ provider: replay, clock: fakeClock(), random: () => 0 });
    const replayed = await judge.judge(trace());
    expect(replayed).toMatchObject({ ok: true, cached: false, attempts: 1 });
    expect(replayed.ok && replayed.verdict).toEqual(verdict());
    const unrecorded = { ...trace(), outcome: { story_accepted: false } }; // a different prompt, so a different key
    const missing = await judge.judge(unrecorded);
    expect(missing).toMatchObject({ ok: false, reason: 'no_recording', attempts: 1 });
    expect(!missing.ok && missing.message).toMatch(/^no recording at .+\.json for episode ep-1; record it with a live provider first$/);
    expect(server.seen).toHaveLength(1);
  });
});

// ---- secrets ------------------------------------------------------------------------------------

describe('secrets', () => {
  async function filesUnder(dir: string): Promise<string[]> {
    const out: string[] = [];
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) out.push(...(await filesUnder(path)));
      else out.push(await readFile(path, 'utf8'));
    }
    return out;
  }

  it.each(['anthropic', 'openai'] as const)('%s: the key appears in no cache file, log line, result or failure record', async (kind) => {
    // The server echoes the credential headers back, in errors and inside the verdict text.
    const server = await fakeServer((seen, res, i) => {
      const echoed = `${seen.headers['x-api-key'] ?? ''} ${seen.headers.authorization ?? ''}`;
      if (i === 0) return json(res, 500, { error: `bad key ${echoed}` });
      if (i === 1) return json(res, 429, { error: `rate limited for ${echoed}` }, { 'retry-after': '1' });
      const text = JSON.stringify(verdict(CODES, ` echoed ${echoed}`));
      json(res, 200, kind === 'anthropic' ? anthropicBody(text) : openaiBody(text));
    });
    const cacheDir = await tempDir();
    const lines: string[] = [];
    const env = { MY_JUDGE_KEY: KEY };
    const provider =
      kind === 'anthropic'
        ? createAnthropicProvider({ baseUrl: server.url, env, apiKeyEnv: 'MY_JUDGE_KEY' })
        : createOpenAIProvider({ baseUrl: server.url, env, apiKeyEnv: 'MY_JUDGE_KEY' });
    const judge = createJudgeClient({
      provider,
      cacheDir,
      clock: fakeClock(),
      random: () => 0,
      log: (line) => lines.push(line),
      maxAttempts: 2,
    });

    const failed = await judge.judge(trace('secret-1')); // 500 then 429: fails after 2 attempts
    const succeeded = await judge.judge(trace('secret-2'));
    const cached = await judge.judge(trace('secret-2'));
    expect(failed).toMatchObject({ ok: false, reason: 'rate_limited' });
    expect(succeeded.ok && cached.ok).toBe(true);
    expect(server.seen.some((s) => JSON.stringify(s.headers).includes(KEY))).toBe(true); // the key was really sent

    const everything = [
      ...lines,
      ...(await filesUnder(cacheDir)),
      JSON.stringify([failed, succeeded, cached, judge.failures(), judge.stats()]),
      JSON.stringify(provider),
    ];
    expect(lines.length).toBeGreaterThan(0);
    for (const text of everything) expect(text).not.toContain(KEY);
    expect(everything.join('\n')).toContain('[REDACTED]');
  });

  it('a missing key is a missing_key result naming the variable, with no request', async () => {
    const server = await fakeServer(() => undefined);
    const provider = createAnthropicProvider({ baseUrl: server.url, env: {}, apiKeyEnv: 'JUDGE_KEY_UNSET' });
    const result = await createJudgeClient({ provider, clock: fakeClock(), random: () => 0 }).judge(trace());
    expect(result).toMatchObject({ ok: false, reason: 'missing_key', attempts: 1 });
    expect(!result.ok && result.message).toMatch(/JUDGE_KEY_UNSET/);
    expect(server.seen).toHaveLength(0);
  });
});
