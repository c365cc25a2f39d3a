import { describe, expect, it } from 'vitest';
import { actionToolSchemas, parseAction } from '../../src/env/action.js';
import { elicitation } from '../../src/episodes/elicitation/index.js';

// Each case: input, whether it parses, and what we expect (action or error pattern).
const CASES: [string, unknown, boolean, unknown][] = [
  [
    'object action',
    { type: 'ask_question', args: { dimension: 'security' } },
    true,
    { type: 'ask_question', args: { dimension: 'security' } },
  ],
  ['unknown type with suggestion', { type: 'ask_questio' }, false, /Did you mean "ask_question"/],
  ['missing argument', { type: 'ask_question', args: {} }, false, /missing argument "dimension"/],
  ['bad enum value', { type: 'ask_question', args: { dimension: 'securty' } }, false, /must be one of/],
  ['unknown argument', { type: 'signal_ready', args: { now: true } }, false, /unknown argument "now"/],
  ['unknown field', { type: 'signal_ready', extra: 1 }, false, /unknown action field "extra"/],
  ['confidence out of range', { type: 'signal_ready', confidence: 2 }, false, /confidence must be a number in \[0, 1\]/],
  [
    'confidence among tool arguments is lifted',
    { type: 'signal_ready', args: { confidence: 0.7 } },
    true,
    { type: 'signal_ready', args: {}, confidence: 0.7 },
  ],
  ['not an object', 42, false, /must be an object/],
  ['null', null, false, /must be an object/],
  ['JSON text', '{"type": "request_example"}', true, { type: 'request_example', args: {}, text: '{"type": "request_example"}' }],
  ['fenced JSON', 'Sure.\n```json\n{"type":"signal_ready"}\n```', true, { type: 'signal_ready' }],
  ['call syntax', 'ask_question(dimension=performance)', true, { type: 'ask_question', args: { dimension: 'performance' } }],
  ['natural question', 'What latency do we need at peak?', true, { type: 'ask_question', args: { dimension: 'performance' } }],
  ['natural generic question', 'Can you tell me more?', true, { type: 'ask_question', args: { dimension: 'general' } }],
  [
    'stated assumption',
    'I assume the data retention follows the usual policy.',
    true,
    { type: 'state_assumption', args: { dimension: 'data' } },
  ],
  ['unreadable text', 'hmm', false, /could not read an action/],
  ['broken JSON', '{"type": ', false, /could not read an action/],
];

describe('parseAction', () => {
  for (const [name, input, ok, expected] of CASES) {
    it(name, () => {
      const result = parseAction(input, elicitation);
      expect(result.ok).toBe(ok);
      if (result.ok) expect(result.action).toMatchObject(expected as object);
      else expect(result.error).toMatch(expected as RegExp);
    });
  }

  it('builds a tool schema per action with enums for arguments', () => {
    const tools = actionToolSchemas(elicitation);
    expect(tools.map((t) => (t.function as { name: string }).name)).toEqual([
      'ask_question',
      'state_assumption',
      'request_example',
      'signal_ready',
    ]);
    const ask = tools[0]?.function as { parameters: { properties: { dimension: { enum: string[] } }; required: string[] } };
    expect(ask.parameters.properties.dimension.enum).toContain('general');
    expect(ask.parameters.required).toEqual(['dimension']);
  });
});
