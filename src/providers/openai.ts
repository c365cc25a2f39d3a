/**
 * OpenAI-compatible Chat Completions provider: `POST {baseUrl}/v1/chat/completions` with a bearer
 * key. Works with OpenAI and with compatible servers (vLLM, llama.cpp's server, Ollama, LM Studio,
 * SGLang, gateways). Tools go out in the OpenAI `function` format and `tool_calls` come back as
 * `ToolCall`s. The key is read from the environment (OPENAI_API_KEY by default) when the provider
 * is created, kept in a closure (never a property) and redacted from every echoed text.
 */

import { asRecord } from './http.js';
import { createRemoteProvider, type RemoteProviderOptions, readTokens, type WireReply } from './remote.js';
import type { FinishReason, ModelMessage, ModelProvider, ModelRequest, ProviderCapabilities, ToolCall, ToolChoice } from './types.js';

export const OPENAI_DEFAULT_MODEL = 'gpt-4.1';
export const OPENAI_DEFAULT_BASE_URL = 'https://api.openai.com';

/** Defaults: model `gpt-4.1`, base URL `https://api.openai.com`, key from `OPENAI_API_KEY`. */
export interface OpenAIProviderOptions extends RemoteProviderOptions {
  /** Allow calls without a key (local compatible servers); default false. */
  keyOptional?: boolean;
  /** Send `response_format: {type: 'json_object'}` when a request asks for JSON; default true. Turn off for servers that reject it. */
  jsonMode?: boolean;
  /** Send tool definitions; default true. Turn off for servers without tool calling (they are then dropped with a warning). */
  tools?: boolean;
}

export function createOpenAIProvider(options: OpenAIProviderOptions = {}): ModelProvider {
  const capabilities: ProviderCapabilities = { remote: true, jsonMode: options.jsonMode ?? true, tools: options.tools ?? true };
  return createRemoteProvider({
    protocol: {
      name: 'openai',
      label: 'the OpenAI-compatible provider',
      path: '/v1/chat/completions',
      headers: (key): Record<string, string> => (key ? { authorization: `Bearer ${key}` } : {}),
      body: (model, request, warnings) => wireRequest(model, capabilities, request, warnings),
      read: readCompletion,
      finishReasons: FINISH_REASONS,
    },
    options,
    defaultModel: OPENAI_DEFAULT_MODEL,
    defaultBaseUrl: OPENAI_DEFAULT_BASE_URL,
    defaultKeyEnv: 'OPENAI_API_KEY',
    capabilities,
    keyOptional: options.keyOptional,
  });
}

function readCompletion(body: Record<string, unknown> | undefined): WireReply {
  const choice = Array.isArray(body?.choices) ? asRecord(body.choices[0]) : undefined;
  const message = asRecord(choice?.message);
  const content = message?.content;
  const toolCalls = readToolCalls(message?.tool_calls);
  const tokens = readTokens(body?.usage, 'prompt_tokens', 'completion_tokens');
  if (toolCalls === 'malformed' || (typeof content !== 'string' && toolCalls.length === 0)) {
    const what = toolCalls === 'malformed' ? 'a tool call without a function name' : 'no choices[0].message.content';
    return { ...tokens, reply: { malformed: `${what} in chat completion` } };
  }
  return { ...tokens, reply: { text: typeof content === 'string' ? content : '', toolCalls, finishReason: choice?.finish_reason } };
}

/** The Chat Completions body; settings the provider does not declare are dropped with a warning. */
function wireRequest(
  model: string,
  capabilities: ProviderCapabilities,
  request: ModelRequest,
  warnings: string[],
): Record<string, unknown> {
  const payload: Record<string, unknown> = { model };
  if (request.maxOutputTokens !== undefined) payload.max_tokens = request.maxOutputTokens;
  if (request.temperature !== undefined) payload.temperature = request.temperature;
  payload.messages = request.messages.map(wireMessage);
  const tools = request.tools ?? [];
  if (tools.length > 0 && !capabilities.tools) {
    warnings.push(`${tools.length} tool definition(s) not sent: tools are turned off for this provider`);
  } else if (tools.length > 0) {
    payload.tools = tools.map((tool) => ({
      type: 'function',
      function: {
        name: tool.name,
        ...(tool.description === undefined ? {} : { description: tool.description }),
        parameters: tool.parameters,
      },
    }));
    if (request.toolChoice !== undefined) payload.tool_choice = wireToolChoice(request.toolChoice);
  } else if (request.toolChoice !== undefined) {
    warnings.push('toolChoice ignored: the request has no tools');
  }
  if (request.responseFormat === 'json') {
    if (capabilities.jsonMode) payload.response_format = { type: 'json_object' };
    else warnings.push('responseFormat json not sent: jsonMode is off for this provider; ask for JSON in the prompt');
  }
  return payload;
}

const FINISH_REASONS: ReadonlyMap<string, FinishReason> = new Map([
  ['stop', 'stop'],
  ['length', 'length'],
  ['tool_calls', 'tool_calls'],
  ['function_call', 'tool_calls'],
  ['content_filter', 'content_filter'],
]);

function wireMessage(message: ModelMessage): Record<string, unknown> {
  switch (message.role) {
    case 'system':
    case 'user':
      return { role: message.role, content: message.content };
    case 'assistant': {
      const calls = message.toolCalls ?? [];
      if (calls.length === 0) return { role: 'assistant', content: message.content };
      return {
        role: 'assistant',
        content: message.content === '' ? null : message.content,
        tool_calls: calls.map((call) => ({ id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } })),
      };
    }
    case 'tool':
      return { role: 'tool', tool_call_id: message.toolCallId, content: message.content };
  }
}

function wireToolChoice(choice: ToolChoice): unknown {
  return typeof choice === 'string' ? choice : { type: 'function', function: { name: choice.tool } };
}

/**
 * `message.tool_calls` as `ToolCall`s. Arguments are kept as the model wrote them (some servers
 * send an object rather than JSON text: it is serialized); a missing id gets `call_<index>`.
 */
function readToolCalls(value: unknown): ToolCall[] | 'malformed' {
  if (!Array.isArray(value)) return [];
  const calls: ToolCall[] = [];
  for (const [index, entry] of value.entries()) {
    const record = asRecord(entry);
    const called = asRecord(record?.function);
    if (typeof called?.name !== 'string' || called.name === '') return 'malformed';
    const args = called.arguments;
    calls.push({
      id: typeof record?.id === 'string' && record.id !== '' ? record.id : `call_${index}`,
      name: called.name,
      arguments: typeof args === 'string' ? args : args === undefined ? '{}' : JSON.stringify(args),
    });
  }
  return calls;
}
