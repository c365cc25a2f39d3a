/**
 * The product owner answers from the story's hidden truth:
 * - a specific question about a dimension with an unrevealed requirement reveals it, unless the
 *   persona answers vaguely (chance per persona: precise 5%, busy 20%, vague 35%);
 * - a question about a dimension the description already states gets "as described";
 * - a specific question about a dimension with nothing hidden gets "nothing beyond the story";
 * - a generic question gets a generic answer (it reveals a random unrevealed requirement only
 *   with probability 0.2, and then the least impactful one: generic questions get generic answers).
 */
import type { Rng } from '../core/rng.js';
import { DIMENSION_LABELS, type Dimension, type Requirement, type Story } from './story.js';
import { PO_PERSONAS, type PoPersona } from './team.js';

export type AnswerKind = 'revealed' | 'as_described' | 'nothing_more' | 'vague' | 'generic' | 'already_answered';

export interface Answer {
  kind: AnswerKind;
  text: string;
  /** The requirement the answer revealed, if any. */
  revealed?: Requirement;
}

export class ProductOwner {
  constructor(
    private readonly story: Story,
    readonly persona: PoPersona,
    private readonly rng: Rng,
  ) {}

  /** Answers a question about one dimension, or a generic question when `dimension` is 'general'. */
  answer(dimension: Dimension | 'general', revealed: ReadonlySet<string>): Answer {
    if (dimension === 'general') return this.generic(revealed);
    const inDimension = this.story.requirements.filter((r) => r.dimension === dimension);
    const stated = inDimension.find((r) => r.stated);
    if (stated) return { kind: 'as_described', text: `As described: ${stated.text}.` };
    const open = inDimension.filter((r) => !revealed.has(r.id)).sort((a, b) => b.impact - a.impact);
    const first = open[0];
    if (!first) {
      if (inDimension.length > 0) return { kind: 'already_answered', text: `I already answered that: ${inDimension[0]?.text}.` };
      return { kind: 'nothing_more', text: `Nothing about ${DIMENSION_LABELS[dimension]} beyond what the story says.` };
    }
    if (this.rng.chance(PO_PERSONAS[this.persona])) {
      return { kind: 'vague', text: `Hmm, ${DIMENSION_LABELS[dimension]}... do what is usual, I think. Let me get back to you.` };
    }
    return { kind: 'revealed', text: `Good question: ${first.text}.`, revealed: first };
  }

  /** Confirms or corrects a stated assumption about a dimension (corrects with probability 0.6). */
  assumption(dimension: Dimension, revealed: ReadonlySet<string>): Answer {
    const open = this.story.requirements
      .filter((r) => r.dimension === dimension && !r.stated && !revealed.has(r.id))
      .sort((a, b) => b.impact - a.impact);
    const first = open[0];
    if (first && this.rng.chance(0.6)) return { kind: 'revealed', text: `Not quite: ${first.text}.`, revealed: first };
    return { kind: 'generic', text: 'Sounds reasonable; keep it on your list to validate.' };
  }

  /** Gives a concrete example: reveals an acceptance or edge-case requirement when one is open. */
  example(revealed: ReadonlySet<string>): Answer {
    const open = this.story.requirements
      .filter((r) => (r.dimension === 'acceptance' || r.dimension === 'edge_cases') && !r.stated && !revealed.has(r.id))
      .sort((a, b) => b.impact - a.impact);
    const first = open[0];
    if (first && !this.rng.chance(PO_PERSONAS[this.persona])) {
      return { kind: 'revealed', text: `For example: ${first.text}.`, revealed: first };
    }
    return { kind: 'generic', text: 'A typical case is what the story describes.' };
  }

  private generic(revealed: ReadonlySet<string>): Answer {
    const open = this.story.requirements.filter((r) => !r.stated && !revealed.has(r.id)).sort((a, b) => a.impact - b.impact);
    const first = open[0];
    if (first && this.rng.chance(0.2)) return { kind: 'revealed', text: `Well, one thing: ${first.text}.`, revealed: first };
    return { kind: 'generic', text: `It is a standard ${this.story.domain.replaceAll('_', ' ')} story; make it work like the others.` };
  }
}
