/**
 * A fake `fetch` for the provider tests: it records every request and answers with a scripted
 * `Response`, honouring the request's abort signal the way Node's fetch does.
 */
import type { ToolCall } from '../../src/providers/types.js';

export interface SeenRequest {
  url: string;
  headers: Record<string, string>;
  /** The parsed JSON body. */
  body: Record<string, unknown>;
}

export type FakeHandler = (request: SeenRequest, index: number, signal: AbortSignal | undefined) => Response | Promise<Response>;

export interface FakeFetch {
  fetch: typeof fetch;
  seen: SeenRequest[];
}

export function fakeFetch(handler: FakeHandler): FakeFetch {
  const seen: SeenRequest[] = [];
  const fetchFunction = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const request: SeenRequest = {
      url: String(input),
      headers: { ...(init?.headers as Record<string, string>) },
      body: JSON.parse(String(init?.body)),
    };
    seen.push(request);
    const signal = init?.signal ?? undefined;
    if (signal?.aborted) throw signal.reason;
    return handler(request, seen.length - 1, signal);
  };
  return { fetch: fetchFunction as typeof fetch, seen };
}

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(typeof body === 'string' ? body : JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

/** A request that never gets an answer: rejects with the signal's reason when it aborts, like Node's fetch. */
export function never(signal: AbortSignal | undefined): Promise<Response> {
  return new Promise((_, reject) => {
    signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

/** A 200 whose body sends one chunk and then stalls until the signal aborts (errors the stream, like Node's fetch). */
export function stallingBody(signal: AbortSignal | undefined): Response {
  let sent = false;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (!sent) {
        sent = true;
        controller.enqueue(new TextEncoder().encode('{"partial": '));
        return;
      }
      return new Promise<void>((resolve) => {
        signal?.addEventListener(
          'abort',
          () => {
            controller.error(signal.reason);
            resolve();
          },
          { once: true },
        );
      });
    },
  });
  return new Response(stream, { status: 200 });
}

/** A 200 body of `chunks` × `chunkBytes` bytes, with or without a content-length header. */
export function bigBody(chunkBytes: number, chunks: number, declareLength: boolean): Response {
  const chunk = new TextEncoder().encode('x'.repeat(chunkBytes));
  let sent = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent === chunks) return controller.close();
      sent += 1;
      controller.enqueue(chunk);
    },
  });
  return new Response(stream, { status: 200, headers: declareLength ? { 'content-length': String(chunkBytes * chunks) } : {} });
}

/** What a server says, in words both wire formats can express. */
export interface WireReply {
  text: string;
  toolCalls?: ToolCall[];
  /** The provider's own finish reason; the natural one for the reply when left out. */
  finishReason?: string;
  inputTokens?: number;
  outputTokens?: number;
}

/** A Chat Completions response body. */
export function openaiBody(reply: WireReply): Record<string, unknown> {
  const calls = reply.toolCalls ?? [];
  return {
    id: 'chatcmpl-1',
    object: 'chat.completion',
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: reply.text === '' && calls.length > 0 ? null : reply.text,
          ...(calls.length > 0
            ? {
                tool_calls: calls.map((call) => ({
                  id: call.id,
                  type: 'function',
                  function: { name: call.name, arguments: call.arguments },
                })),
              }
            : {}),
        },
        finish_reason: reply.finishReason ?? (calls.length > 0 ? 'tool_calls' : 'stop'),
      },
    ],
    usage: { prompt_tokens: reply.inputTokens ?? 1000, completion_tokens: reply.outputTokens ?? 200 },
  };
}

/** A Messages API response body. */
export function anthropicBody(reply: WireReply): Record<string, unknown> {
  const calls = reply.toolCalls ?? [];
  return {
    id: 'msg_1',
    type: 'message',
    role: 'assistant',
    content: [
      ...(reply.text === '' ? [] : [{ type: 'text', text: reply.text }]),
      ...calls.map((call) => ({ type: 'tool_use', id: call.id, name: call.name, input: JSON.parse(call.arguments) })),
    ],
    stop_reason: reply.finishReason ?? (calls.length > 0 ? 'tool_use' : 'end_turn'),
    usage: { input_tokens: reply.inputTokens ?? 1000, output_tokens: reply.outputTokens ?? 200 },
  };
}
