import { describe, expect, it } from 'vitest';
import { DojoEnv } from '../../src/env/env.js';
import { EPISODE_TYPES } from '../../src/episodes/all.js';
import { ACT, EOS, Tokenizer } from '../../src/model/tokenizer.js';

describe('Tokenizer', () => {
  const tokenizer = Tokenizer.fromKinds(EPISODE_TYPES);

  it('encodes every observation token and every legal action of every kind without <unk>', () => {
    const unk = tokenizer.id('<unk>');
    for (const kind of EPISODE_TYPES) {
      const env = new DojoEnv(kind, { render: ['structured', 'tokens'] });
      for (let seed = 0; seed < 5; seed++) {
        const { observation } = env.resetSync({ seed });
        expect(tokenizer.encode(observation.tokens ?? [])).not.toContain(unk);
        for (const action of env.legalActions()) {
          const ids = tokenizer.encodeAction(action);
          expect(ids).not.toContain(unk);
          expect(ids.at(-1)).toBe(tokenizer.id(EOS));
          const back = tokenizer.decodeAction(ids);
          expect(back?.type).toBe(action.type);
          expect(back?.args ?? {}).toEqual(action.args ?? {});
        }
      }
    }
  });

  it('gives every legal action a distinct token sequence', () => {
    for (const kind of EPISODE_TYPES) {
      const env = new DojoEnv(kind, { render: ['structured'] });
      env.resetSync({ seed: 3 });
      const seqs = env.legalActions().map((a) => tokenizer.encodeAction(a).join(','));
      expect(new Set(seqs).size).toBe(seqs.length);
    }
  });

  it('round-trips through a Hugging Face WordLevel tokenizer.json', () => {
    const json = JSON.parse(JSON.stringify(tokenizer.toJSON()));
    expect(json.model.type).toBe('WordLevel');
    const back = Tokenizer.fromJSON(json);
    expect(back.tokens).toEqual(tokenizer.tokens);
    expect(back.id(ACT)).toBe(tokenizer.id(ACT));
    expect(back.actionTokens({ type: 'ask_question', args: { dimension: 'scope' } })).toEqual(
      tokenizer.actionTokens({ type: 'ask_question', args: { dimension: 'scope' } }),
    );
  });

  it('rejects a malformed file with the file and field named', () => {
    expect(() => Tokenizer.fromJSON({ model: { type: 'BPE' } }, 'x/tokenizer.json')).toThrow(/x\/tokenizer\.json: field "model"/);
    expect(() => Tokenizer.fromJSON({ model: { type: 'WordLevel', vocab: { a: 0, b: 2 } } })).toThrow(/without gaps/);
  });
});
