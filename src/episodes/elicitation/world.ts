/**
 * E-1.1 Elicitation: one user story, a product owner who answers from the hidden truth.
 *
 * Hidden truth: the story's full requirement set (see `story.ts`), the product owner's persona,
 * the product owner's patience, and per-requirement draws of what happens downstream (whether a
 * missed requirement is caught in review, whether an assumption is checked in time).
 *
 * Outcome: after `signal_ready` (or truncation) the story is implemented from what is known —
 * stated and revealed requirements are built; an obvious one is handled anyway (90%); an unknown
 * one covered by a stated assumption is caught during development (70%, a small fix); any other
 * unknown one is missed and review finds the defect with probability equal to its impact. A found
 * defect costs rework; a major one (impact >= 0.5) makes the product owner reject the story.
 * Questions cost team time; past the product owner's patience the story is pulled from the sprint.
 */

import type { Action, ActionResult, Episode, EpisodeResult, EpisodeWorld, ScenarioOptions, Secret } from '../../core/episode.js';
import { round3 } from '../../core/numbers.js';
import type { Rng } from '../../core/rng.js';
import { type AnswerKind, ProductOwner } from '../../sim/product-owner.js';
import {
  DIMENSION_LABELS,
  DIMENSIONS,
  type Dimension,
  generateStory,
  type Requirement,
  type Story,
  statedDimensions,
  storyText,
} from '../../sim/story.js';
import { PO_PERSONAS, type PoPersona } from '../../sim/team.js';
import { EPISODE_SPECS } from '../../spec/episodes.js';
import { ambiguityFor, storyOptionsFor } from '../common.js';
import { elicitationOutcome, type Fate, type Interaction, type Refinement, worthAsking } from './outcome.js';
import { type ElicitationFacts, type ElicitationHidden, type ElicitationView, QUESTION_TARGETS, type QuestionTarget } from './types.js';

class ElicitationEpisode implements Episode<ElicitationView, ElicitationFacts, ElicitationHidden>, Refinement {
  readonly story: Story;
  private readonly po: ProductOwner;
  private readonly poPersona: PoPersona;
  /** Questions the product owner tolerates before pulling the story from the sprint. */
  readonly patience: number;
  readonly fates: Map<string, Fate>;
  readonly revealed = new Set<string>();
  readonly revealedBy = new Map<string, number>();
  readonly interactions: Interaction[] = [];
  private readonly stated: Dimension[];
  questions = 0;
  ready = false;
  readyStep = -1;

  constructor(rng: Rng, options: ScenarioOptions) {
    this.story = generateStory(rng.fork('story'), storyOptionsFor(rng, options, ambiguityFor(options.difficulty, 0.3, 0.9)));
    this.poPersona = rng.pick(Object.keys(PO_PERSONAS) as PoPersona[]);
    this.patience = rng.intBetween(9, 13);
    const fateRng = rng.fork('fates');
    this.fates = new Map(
      this.story.requirements.map((r) => [r.id, { detect: fateRng.next(), handled: fateRng.next(), caught: fateRng.next() }]),
    );
    this.po = new ProductOwner(this.story, this.poPersona, rng.fork('po'));
    this.stated = statedDimensions(this.story);
  }

  view(): ElicitationView {
    const s = this.story;
    return {
      story: {
        id: s.id,
        title: s.title,
        narrative: s.narrative,
        description: s.description,
        domain: s.domain,
        language: s.language,
        codebase: s.codebase,
        technicalDebt: s.technicalDebt,
        points: s.points,
      },
      statedDimensions: this.stated,
      contextHints: s.hints,
      impliedByConventions: s.implied,
      questionsAsked: this.questions,
      interactions: this.interactions.map((i) => ({ kind: i.kind, dimension: i.dimension, answerKind: i.answerKind, answer: i.answer })),
      revealed: this.story.requirements.filter((r) => this.revealed.has(r.id)).map((r) => ({ dimension: r.dimension, text: r.text })),
    };
  }

  /**
   * Grouped by dimension, in a fixed order: what the story says of it (`stated:`, `hint:`,
   * `implied:`), then every question or assumption about it with its answer — so what is known of a
   * dimension sits in one place. General questions and examples come last, in the order asked.
   */
  tokens(): string[] {
    const s = this.story;
    const out = ['task:elicitation', `domain:${s.domain}`, `codebase:${s.codebase}`, `debt:${s.technicalDebt}`, `points:${s.points}`];
    for (const d of DIMENSIONS) {
      if (this.stated.includes(d)) out.push(`stated:${d}`);
      if (s.hints.includes(d)) out.push(`hint:${d}`);
      if (s.implied.includes(d)) out.push(`implied:${d}`);
      for (const i of this.interactions) if (i.dimension === d) out.push(`${i.kind}:${i.dimension}`, `answer:${i.answerKind}`);
    }
    for (const i of this.interactions)
      if (!(DIMENSIONS as readonly string[]).includes(i.dimension)) out.push(`${i.kind}:${i.dimension}`, `answer:${i.answerKind}`);
    return out;
  }

  describe(): string {
    const lines = [
      'You are a senior developer in a story refinement session. Ask the product owner what you need to know to implement this story, then signal that you are ready.',
      '',
      storyText(this.story),
      '',
      `Context: ${this.story.codebase.replaceAll('_', ' ')} codebase, technical debt: ${this.story.technicalDebt.replaceAll('_', ' ')}.`,
    ];
    if (this.interactions.length > 0) {
      lines.push('', 'So far:');
      for (const i of this.interactions)
        lines.push(
          `- you (${i.kind} about ${i.dimension === 'general' ? 'the story in general' : DIMENSION_LABELS[i.dimension]}); product owner: ${i.answer}`,
        );
    }
    return lines.join('\n');
  }

  legalActions(): Action[] {
    const out: Action[] = [];
    for (const dimension of QUESTION_TARGETS) out.push({ type: 'ask_question', args: { dimension } });
    for (const dimension of DIMENSIONS) out.push({ type: 'state_assumption', args: { dimension } });
    out.push({ type: 'request_example', args: {} }, { type: 'signal_ready', args: {} });
    return out;
  }

  act(action: Action, step: number): ActionResult {
    switch (action.type) {
      case 'ask_question': {
        const dimension = action.args?.dimension as QuestionTarget;
        this.questions++;
        const answer =
          this.questions > this.patience
            ? { kind: 'vague' as const, text: 'We have spent long enough on this one; let us move on.', revealed: undefined }
            : this.po.answer(dimension, this.revealed);
        this.record(step, 'question', dimension, answer.kind, answer.text, answer.revealed);
        return { ok: true, response: answer.text, terminal: false };
      }
      case 'state_assumption': {
        const dimension = action.args?.dimension as Dimension;
        const answer = this.po.assumption(dimension, this.revealed);
        this.record(step, 'assumption', dimension, answer.kind, answer.text, answer.revealed);
        return { ok: true, response: answer.text, terminal: false };
      }
      case 'request_example': {
        this.questions++;
        const answer = this.po.example(this.revealed);
        this.record(step, 'example', 'acceptance', answer.kind, answer.text, answer.revealed);
        return { ok: true, response: answer.text, terminal: false };
      }
      case 'signal_ready': {
        this.ready = true;
        this.readyStep = step;
        return { ok: true, response: 'The story moves to planning.', terminal: true };
      }
      default:
        return { ok: false, error: `unknown action ${action.type}` };
    }
  }

  private record(
    step: number,
    kind: Interaction['kind'],
    dimension: QuestionTarget,
    answerKind: AnswerKind,
    answer: string,
    revealed?: Requirement,
  ): void {
    const interaction: Interaction = { step, kind, dimension, answerKind, answer };
    if (revealed) {
      this.revealed.add(revealed.id);
      this.revealedBy.set(revealed.id, step);
      interaction.revealedId = revealed.id;
    }
    this.interactions.push(interaction);
  }

  finish(): EpisodeResult<ElicitationFacts> {
    return elicitationOutcome(this);
  }

  hidden(): ElicitationHidden {
    return {
      ambiguity: round3(this.story.ambiguity),
      productOwnerPersona: this.poPersona,
      patience: this.patience,
      optimalQuestions: worthAsking(this.story).length,
      // The public context at the start, recorded so scorers need not rebuild the episode.
      contextHints: this.story.hints,
      impliedByConventions: this.story.implied,
      requirements: this.story.requirements,
    };
  }

  secrets(): Secret[] {
    return this.story.requirements.filter((r) => !r.stated).map((r) => ({ id: r.id, text: r.text, revealed: this.revealed.has(r.id) }));
  }
}

const DIMENSION_ARG = { kind: 'enum', values: DIMENSIONS, description: 'the requirement dimension concerned' } as const;

export const elicitationWorld: EpisodeWorld<ElicitationView, ElicitationFacts, ElicitationHidden> = {
  name: 'elicitation',
  spec: EPISODE_SPECS.elicitation,
  summary: 'Refine one user story with the product owner: find the hidden requirements that change the implementation, then stop asking.',
  actions: {
    ask_question: {
      description: 'Ask the product owner about one requirement dimension, or a general question ("general").',
      args: {
        dimension: { kind: 'enum', values: QUESTION_TARGETS, description: 'the dimension asked about, or "general" for an open question' },
      },
    },
    state_assumption: {
      description: 'State an assumption about a dimension for the product owner to confirm or correct.',
      args: { dimension: DIMENSION_ARG },
      asserts: true,
    },
    request_example: { description: 'Ask for a concrete example of the expected behavior.', args: {} },
    signal_ready: { description: 'Declare that enough is known to plan the story; ends refinement.', args: {}, asserts: true },
  },
  maxTurns: 20,
  levers: [
    {
      name: 'reveal_high_impact',
      direction: 'up',
      description:
        'A specific question about a dimension with a hidden high-impact requirement reveals it; the requirement is then built, so review finds no defect and the story is accepted without rework.',
    },
    {
      name: 'ask_past_optimal',
      direction: 'down',
      description:
        "Each question past the optimal number costs an extra team hour (velocity_maintained falls); past the product owner's patience the story is pulled from the sprint.",
    },
    {
      name: 'ask_stated_fact',
      direction: 'down',
      description: 'A question about a dimension the description states gets "as described": pure cost in team time.',
    },
    {
      name: 'state_assumption',
      direction: 'up',
      description:
        'A stated assumption is corrected by the product owner (60%) or, if not, checked during development, catching a miss 70% of the time before review.',
    },
    {
      name: 'never_signal_ready',
      direction: 'down',
      description: 'Refinement that never ends (turn limit) leaves the story out of the sprint: not accepted, no velocity.',
    },
  ],
  vocabulary: [
    'task:elicitation',
    ...['crud_api', 'data_pipeline', 'ml_service', 'frontend_spa', 'cli_tool', 'library', 'infrastructure'].map((d) => `domain:${d}`),
    ...['greenfield', 'small_brownfield', 'large_brownfield'].map((c) => `codebase:${c}`),
    ...['clean', 'some', 'legacy_with_known_issues'].map((d) => `debt:${d}`),
    ...[1, 2, 3, 5, 8].map((p) => `points:${p}`),
    ...DIMENSIONS.flatMap((d) => [`stated:${d}`, `hint:${d}`, `implied:${d}`, `assumption:${d}`]),
    ...QUESTION_TARGETS.map((d) => `question:${d}`),
    'example:acceptance',
    ...['revealed', 'as_described', 'nothing_more', 'vague', 'generic', 'already_answered'].map((a) => `answer:${a}`),
  ],
  create: (rng, options) => new ElicitationEpisode(rng, options),
  fromText(text): Action | undefined {
    const lower = text.toLowerCase();
    if (/\bready\b|enough (information|to start)|let'?s (start|plan)/.test(lower)) return { type: 'signal_ready', args: {}, text };
    if (/\bexample\b/.test(lower)) return { type: 'request_example', args: {}, text };
    const dimension = classifyDimension(lower);
    if (/\bi assume\b|\bassuming\b|\bmy assumption\b/.test(lower) && dimension)
      return { type: 'state_assumption', args: { dimension }, text };
    if (lower.includes('?')) return { type: 'ask_question', args: { dimension: dimension ?? 'general' }, text };
    return undefined;
  },
};

const DIMENSION_KEYWORDS: [Dimension, RegExp][] = [
  ['scope_out', /out of scope|not (in|part of) (the )?scope|exclude|not include/],
  ['scope_in', /in scope|include|also (need|support)|part of this/],
  ['performance', /latency|throughput|performance|fast|load|requests per|p9\d|scale/],
  ['security', /security|auth|permission|role|gdpr|compliance|encrypt|privacy|pii/],
  ['deployment', /deploy|rollout|backward|compatib|feature flag|downtime|release/],
  ['integration', /integrat|existing (system|service)|api of|event|downstream|upstream|client/],
  ['data', /data|schema|migration|retention|storage|database|records/],
  ['edge_cases', /edge case|empty|duplicate|error case|failure|invalid|what happens if/],
  ['acceptance', /acceptance|done|criteria|success|how do we know/],
];

/** Maps a question's wording to the dimension it is about, if any. */
export function classifyDimension(lower: string): Dimension | undefined {
  for (const [dimension, pattern] of DIMENSION_KEYWORDS) if (pattern.test(lower)) return dimension;
  return undefined;
}
