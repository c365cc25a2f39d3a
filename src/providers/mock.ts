/**
 * A recording mock provider for tests: it records every request it is given (in `calls`) and
 * answers with scripted replies, in order, or with a function of the request. Nothing is sent
 * anywhere. When the script runs out, the call is a `no_recording` result that says so.
 */

import {
  type FinishReason,
  type GenerateOptions,
  type ModelProvider,
  type ModelRequest,
  type ModelResponse,
  type ModelUsage,
  PROVIDER_INTERFACE_VERSION,
  type ProviderCapabilities,
  type ToolCall,
  ZERO_USAGE,
} from './types.js';

/** A successful reply with defaults for what is left out. */
export interface MockSuccess {
  /** Default empty. */
  text?: string;
  /** Default none. */
  toolCalls?: ToolCall[];
  /** Default `tool_calls` when there are tool calls, `stop` otherwise. */
  finishReason?: FinishReason;
  /** Default the `finishReason`. */
  rawFinishReason?: string;
  /** Default zero. */
  usage?: Partial<ModelUsage>;
  /** Default none. */
  warnings?: string[];
}

/** A scripted reply: the text of a successful reply, a successful reply with defaults, or a whole response (`ok: false` for a failure). */
export type MockReply = string | MockSuccess | ModelResponse;

/** One recorded call. */
export interface MockCall {
  /** A copy of the request, as it was when the call was made. */
  request: ModelRequest;
  options: GenerateOptions;
}

export interface MockProvider extends ModelProvider {
  /** Every call so far, in order. */
  readonly calls: readonly MockCall[];
}

export interface MockProviderOptions {
  /** Default `mock`. */
  name?: string;
  /** Default `mock`. */
  model?: string;
  /** Default `{remote: false, jsonMode: true, tools: true}`. */
  capabilities?: Partial<ProviderCapabilities>;
  /**
   * The replies, one per call in order, or a function of the request and the call's index (from 0).
   * A function that throws makes `generate` throw: a bug in the test, not a provider failure.
   * Default: no replies.
   */
  replies?: readonly MockReply[] | ((request: ModelRequest, index: number) => MockReply | Promise<MockReply>);
}

export function createMockProvider(options: MockProviderOptions = {}): MockProvider {
  const calls: MockCall[] = [];
  const replies = options.replies ?? [];
  return {
    specificationVersion: PROVIDER_INTERFACE_VERSION,
    name: options.name ?? 'mock',
    model: options.model ?? 'mock',
    capabilities: { remote: false, jsonMode: true, tools: true, ...options.capabilities },
    calls,
    redact: (text) => text,
    async generate(request, callOptions = {}): Promise<ModelResponse> {
      const index = calls.length;
      calls.push({ request: structuredClone(request), options: { ...callOptions } });
      if (callOptions.signal?.aborted) {
        return { ok: false, error: { kind: 'aborted', message: 'request aborted by the caller' }, usage: { ...ZERO_USAGE }, warnings: [] };
      }
      let reply: MockReply | undefined;
      if (typeof replies === 'function') reply = await replies(request, index);
      else reply = replies[index];
      if (reply === undefined) {
        const message =
          typeof replies === 'function'
            ? `mock provider's reply function returned nothing for call ${index + 1}`
            : `mock provider has no reply for call ${index + 1} (${replies.length} scripted); script more replies`;
        return { ok: false, error: { kind: 'no_recording', message }, usage: { ...ZERO_USAGE }, warnings: [] };
      }
      return toResponse(reply);
    },
  };
}

function toResponse(reply: MockReply): ModelResponse {
  if (typeof reply === 'string') reply = { text: reply };
  if ('ok' in reply) return structuredClone(reply);
  const toolCalls = reply.toolCalls ?? [];
  const finishReason = reply.finishReason ?? (toolCalls.length > 0 ? 'tool_calls' : 'stop');
  return {
    ok: true,
    text: reply.text ?? '',
    toolCalls: structuredClone(toolCalls),
    finishReason,
    rawFinishReason: reply.rawFinishReason ?? finishReason,
    usage: { ...ZERO_USAGE, ...reply.usage },
    warnings: [...(reply.warnings ?? [])],
  };
}
