/**
 * Anthropic Messages API provider: `POST {baseUrl}/v1/messages` with `x-api-key` and
 * `anthropic-version`. System messages become the top-level `system` prompt, tools go out with an
 * `input_schema`, `tool_use` blocks come back as `ToolCall`s and tool results go back as
 * `tool_result` blocks in a user turn. The key is read from the environment (ANTHROPIC_API_KEY by
 * default) when the provider is created, kept in a closure (never a property) and redacted from
 * every echoed text.
 */

import { asRecord, parseArguments } from './http.js';
import { createRemoteProvider, type RemoteProviderOptions, readTokens, type WireProtocol } from './remote.js';
import type { FinishReason, ModelPricing, ModelProvider, ModelRequest, ToolCall, ToolChoice } from './types.js';

export const ANTHROPIC_DEFAULT_MODEL = 'claude-opus-4-1-20250805';
export const ANTHROPIC_DEFAULT_BASE_URL = 'https://api.anthropic.com';
export const ANTHROPIC_VERSION = '2023-06-01';
/** `max_tokens` is required by the Messages API; this is sent when a request sets no `maxOutputTokens`. */
export const ANTHROPIC_DEFAULT_MAX_OUTPUT_TOKENS = 4096;

/** Opus-class list prices per million tokens (USD), used when no pricing is given for the default model. */
const OPUS_PRICING: ModelPricing = { inputPerMillion: 15, outputPerMillion: 75 };

/**
 * Defaults: model `claude-opus-4-1-20250805`, base URL `https://api.anthropic.com`, key from
 * `ANTHROPIC_API_KEY`; prices the Opus list price for the default model, otherwise 0 with a warning.
 */
export type AnthropicProviderOptions = RemoteProviderOptions;

export function createAnthropicProvider(options: AnthropicProviderOptions = {}): ModelProvider {
  const model = options.model ?? ANTHROPIC_DEFAULT_MODEL;
  return createRemoteProvider({
    protocol: MESSAGES_API,
    options,
    defaultModel: ANTHROPIC_DEFAULT_MODEL,
    defaultBaseUrl: ANTHROPIC_DEFAULT_BASE_URL,
    defaultKeyEnv: 'ANTHROPIC_API_KEY',
    defaultPricing: model === ANTHROPIC_DEFAULT_MODEL ? OPUS_PRICING : undefined,
    capabilities: { remote: true, jsonMode: false, tools: true },
  });
}

const FINISH_REASONS: ReadonlyMap<string, FinishReason> = new Map([
  ['end_turn', 'stop'],
  ['stop_sequence', 'stop'],
  ['max_tokens', 'length'],
  ['model_context_window_exceeded', 'length'],
  ['tool_use', 'tool_calls'],
  ['refusal', 'content_filter'],
]);

const MESSAGES_API: WireProtocol = {
  name: 'anthropic',
  label: 'the Anthropic provider',
  path: '/v1/messages',
  headers: (key) => ({ 'x-api-key': key ?? '', 'anthropic-version': ANTHROPIC_VERSION }),
  body: wireRequest,
  read(body) {
    const content = Array.isArray(body?.content) ? body.content : undefined;
    const reply = content ? readContent(content) : undefined;
    const what = content ? 'a tool_use block without an id or name' : 'no content[]';
    return {
      ...readTokens(body?.usage, 'input_tokens', 'output_tokens'),
      reply: reply ? { ...reply, finishReason: body?.stop_reason } : { malformed: `${what} in Messages API response` },
    };
  },
  finishReasons: FINISH_REASONS,
};

type Block = Record<string, unknown>;
interface WireMessage {
  role: 'user' | 'assistant';
  content: Block[];
}

/** The Messages API body; settings the API does not support are dropped with a warning. */
function wireRequest(model: string, request: ModelRequest, warnings: string[]): Record<string, unknown> {
  const system: string[] = [];
  const messages: WireMessage[] = [];
  const append = (role: WireMessage['role'], blocks: Block[]) => {
    const last = messages.at(-1);
    // The API wants user and assistant turns to alternate: consecutive same-role messages (several
    // tool results, then a user note) go into one turn.
    if (last?.role === role) last.content.push(...blocks);
    else messages.push({ role, content: blocks });
  };
  for (const message of request.messages) {
    switch (message.role) {
      case 'system':
        if (messages.length > 0) warnings.push('a system message after the first turn was moved into the top-level system prompt');
        system.push(message.content);
        break;
      case 'user':
        append('user', [{ type: 'text', text: message.content }]);
        break;
      case 'assistant': {
        const blocks: Block[] = message.content === '' ? [] : [{ type: 'text', text: message.content }];
        for (const call of message.toolCalls ?? []) {
          const input = parseArguments(call.arguments);
          if (!input) warnings.push(`tool call ${call.id} has arguments that are not a JSON object; sent as {}`);
          blocks.push({ type: 'tool_use', id: call.id, name: call.name, input: input ?? {} });
        }
        append('assistant', blocks);
        break;
      }
      case 'tool':
        append('user', [
          {
            type: 'tool_result',
            tool_use_id: message.toolCallId,
            content: message.content,
            ...(message.isError ? { is_error: true } : {}),
          },
        ]);
        break;
    }
  }

  const payload: Record<string, unknown> = {
    model,
    max_tokens: request.maxOutputTokens ?? ANTHROPIC_DEFAULT_MAX_OUTPUT_TOKENS,
  };
  if (request.temperature !== undefined) payload.temperature = request.temperature;
  if (system.length > 0) payload.system = system.join('\n\n');
  // A turn that is one text block goes out as a plain string, the API's short form.
  payload.messages = messages.map(({ role, content }) => {
    const only = content.length === 1 ? content[0] : undefined;
    return { role, content: only?.type === 'text' ? only.text : content };
  });
  const tools = request.tools ?? [];
  if (tools.length > 0) {
    payload.tools = tools.map((tool) => ({
      name: tool.name,
      ...(tool.description === undefined ? {} : { description: tool.description }),
      input_schema: tool.parameters,
    }));
    if (request.toolChoice !== undefined) payload.tool_choice = wireToolChoice(request.toolChoice);
  } else if (request.toolChoice !== undefined) {
    warnings.push('toolChoice ignored: the request has no tools');
  }
  if (request.responseFormat === 'json') {
    warnings.push('responseFormat json not sent: the Messages API has no JSON mode; ask for JSON in the prompt');
  }
  return payload;
}

function wireToolChoice(choice: ToolChoice): Record<string, unknown> {
  if (choice === 'auto') return { type: 'auto' };
  if (choice === 'none') return { type: 'none' };
  if (choice === 'required') return { type: 'any' };
  return { type: 'tool', name: choice.tool };
}

/** The text blocks joined, and the `tool_use` blocks as `ToolCall`s; undefined when a tool_use block lacks its id or name. */
function readContent(content: unknown[]): { text: string; toolCalls: ToolCall[] } | undefined {
  let text = '';
  const toolCalls: ToolCall[] = [];
  for (const entry of content) {
    const block = asRecord(entry);
    if (block?.type === 'text' && typeof block.text === 'string') text += block.text;
    if (block?.type === 'tool_use') {
      if (typeof block.id !== 'string' || typeof block.name !== 'string' || block.name === '') return undefined;
      toolCalls.push({ id: block.id, name: block.name, arguments: JSON.stringify(block.input ?? {}) });
    }
  }
  return { text, toolCalls };
}
