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

import type {
  Action,
  ActionResult,
  DecisionLink,
  Episode,
  EpisodeResult,
  EpisodeWorld,
  ScenarioOptions,
  Secret,
} from '../../core/episode.js';
import { clamp01, round1, round3 } from '../../core/numbers.js';
import type { Rng } from '../../core/rng.js';
import { ProductOwner } from '../../sim/product-owner.js';
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
import type { OutcomeComponents } from '../../spec/reward.js';
import { ambiguityFor, storyOptionsFor } from '../common.js';

const QUESTION_TARGETS = [...DIMENSIONS, 'general'] as const;
type QuestionTarget = (typeof QUESTION_TARGETS)[number];

/** Team hours per question (developer + product owner). */
const HOURS_PER_QUESTION = 0.5;
/** Extra hours for each question past the optimal number (meeting overrun, waiting on the PO). */
const HOURS_PER_EXCESS_QUESTION = 1.0;
/** Requirements below this impact are not worth a question. */
const WORTH_ASKING = 0.3;
/** Impact at which a defect found in review makes the product owner reject the story. */
const MAJOR_DEFECT = 0.5;

interface Interaction {
  step: number;
  kind: 'question' | 'assumption' | 'example';
  dimension: QuestionTarget;
  answerKind: string;
  answer: string;
  revealedId?: string;
}

interface Fate {
  /** Review catches the miss when `detect < impact`. */
  detect: number;
  /** An obvious requirement is handled without asking when `handled < 0.9`. */
  handled: number;
  /** A stated assumption catches the miss during development when `caught < 0.7`. */
  caught: number;
}

class ElicitationEpisode implements Episode {
  private readonly story: Story;
  private readonly po: ProductOwner;
  private readonly poPersona: PoPersona;
  /** Questions the product owner tolerates before pulling the story from the sprint. */
  private readonly patience: number;
  private readonly fates: Map<string, Fate>;
  private readonly revealed = new Set<string>();
  private readonly revealedBy = new Map<string, number>();
  private readonly interactions: Interaction[] = [];
  private readonly stated: Dimension[];
  private questions = 0;
  private ready = false;
  private readyStep = -1;

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

  /** Requirements worth a question: unstated, not obvious, impact >= 0.3. */
  private worthAsking(): Requirement[] {
    return this.story.requirements.filter((r) => !r.stated && !r.obvious && r.impact >= WORTH_ASKING);
  }

  private optimalQuestions(): number {
    return this.worthAsking().length;
  }

  view(): Record<string, unknown> {
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
    answerKind: string,
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

  /** What happens to one requirement during implementation and review, given what is known. */
  private fateOf(r: Requirement, assumed: ReadonlySet<Dimension>): 'built' | 'handled' | 'caught' | 'missed_found' | 'missed_latent' {
    const fate = this.fates.get(r.id) as Fate;
    if (r.stated || this.revealed.has(r.id)) return 'built';
    if (r.obvious && fate.handled < 0.9) return 'handled';
    if (assumed.has(r.dimension) && fate.caught < 0.7) return 'caught';
    return fate.detect < r.impact ? 'missed_found' : 'missed_latent';
  }

  finish(): EpisodeResult {
    const links: DecisionLink[] = [];
    const optimal = this.optimalQuestions();
    const assumed = new Set(this.interactions.filter((i) => i.kind === 'assumption' && !i.revealedId).map((i) => i.dimension as Dimension));
    const pulled = this.questions > this.patience;
    const notReady = !this.ready;

    let reworkHours = 0;
    let defectsFound = 0;
    let majorDefects = 0;
    let weightTotal = 0;
    let weightSatisfied = 0;
    let coverageTotal = 0;
    let coverageMet = 0;
    let changedImplementation = 0;
    for (const r of this.story.requirements) {
      const fate = this.fateOf(r, assumed);
      weightTotal += r.impact;
      const satisfied = fate === 'built' || fate === 'handled' || fate === 'caught';
      if (satisfied) weightSatisfied += r.impact;
      if (r.dimension === 'acceptance' || r.dimension === 'edge_cases') {
        coverageTotal++;
        if (satisfied) coverageMet++;
      }
      if (fate === 'caught') reworkHours += 1;
      if (fate === 'missed_found') {
        defectsFound++;
        reworkHours += r.impact * this.story.points * 3;
        if (r.impact >= MAJOR_DEFECT) majorDefects++;
      }
      const by = this.revealedBy.get(r.id);
      if (by !== undefined) {
        // Counterfactual: had it stayed unknown, would it have cost a defect?
        const wouldMiss = !(r.obvious && (this.fates.get(r.id) as Fate).handled < 0.9);
        const changed = wouldMiss && r.impact >= WORTH_ASKING;
        if (changed) changedImplementation++;
        links.push({
          step: by,
          effect: changed ? 'changed_implementation' : 'revealed_requirement',
          target: r.id,
          value: changed ? r.impact : 0,
          note: `${changed ? 'answer changed the implementation' : 'answer revealed a requirement that did not change much'}: ${r.text}`,
        });
      } else if (fate === 'missed_found') {
        links.push({
          step: this.readyStep,
          effect: 'missed_requirement',
          target: r.id,
          value: -r.impact,
          note: `never asked about ${DIMENSION_LABELS[r.dimension]}; review found: ${r.text}`,
        });
      }
    }

    let excess = 0;
    let redundant = 0;
    let questionIndex = 0;
    for (const i of this.interactions) {
      if (i.kind === 'assumption') continue;
      questionIndex++;
      if (i.answerKind === 'as_described' || i.answerKind === 'already_answered') {
        redundant++;
        links.push({
          step: i.step,
          effect: 'redundant_question',
          target: i.dimension,
          value: -0.02,
          note: 'asked about something already stated or answered',
        });
      }
      if (questionIndex > optimal) {
        excess++;
        links.push({
          step: i.step,
          effect: 'excess_question',
          target: i.dimension,
          value: -0.02,
          note: `question ${questionIndex} past the optimal ${optimal}`,
        });
      }
    }

    const questionHours = this.questions * HOURS_PER_QUESTION + excess * HOURS_PER_EXCESS_QUESTION + assumed.size * 0.1;
    const budgetHours = this.story.points * 6;
    const missedImportant = this.worthAsking().filter((r) => !this.revealed.has(r.id)).length;
    if (this.ready) {
      links.push({
        step: this.readyStep,
        effect: missedImportant === 0 ? 'ready_at_right_time' : 'ready_too_early',
        value: missedImportant === 0 ? 0.1 : -0.05 * missedImportant,
        note: `${missedImportant} important requirement(s) still unknown when ready was signalled`,
      });
    }

    const accepted = !pulled && !notReady && majorDefects === 0;
    const iterations = pulled || notReady ? 4 : 1 + defectsFound;
    const lostHours = questionHours + reworkHours;
    const velocity = pulled || notReady ? 0 : clamp01(1 - lostHours / budgetHours);
    const testsPassing = pulled || notReady ? 0 : weightTotal > 0 ? weightSatisfied / weightTotal : 1;
    const coverage = pulled || notReady ? 0 : coverageTotal > 0 ? coverageMet / coverageTotal : 1;
    const components: OutcomeComponents = {
      story_accepted: accepted ? 1 : 0,
      tests_passing: testsPassing,
      low_iteration_count: clamp01(1 - (iterations - 1) / 3),
      velocity_maintained: velocity,
      low_rework: pulled || notReady ? 0 : clamp01(1 - 0.5 * defectsFound),
      coverage_threshold: coverage >= 0.8 ? 1 : coverage,
    };
    const needed = new Set(this.worthAsking().map((r) => r.dimension));
    const covered = new Set(this.interactions.filter((i) => i.kind !== 'assumption' || i.revealedId).map((i) => i.dimension));
    let coveredNeeded = 0;
    for (const d of needed) if (covered.has(d)) coveredNeeded++;
    return {
      facts: {
        signalledReady: this.ready,
        pulledFromSprint: pulled,
        storyAccepted: accepted,
        questionsAsked: this.questions,
        optimalQuestions: optimal,
        redundantQuestions: redundant,
        excessQuestions: excess,
        questionsChangedImplementation: changedImplementation,
        requirementsRevealed: this.revealed.size,
        importantRequirements: optimal,
        importantMissed: missedImportant,
        dimensionsNeeded: needed.size,
        dimensionsCovered: coveredNeeded,
        askedScopeOut: this.interactions.some((i) => i.kind === 'question' && i.dimension === 'scope_out'),
        assumptionsStated: this.interactions.filter((i) => i.kind === 'assumption').length,
        defectsFound,
        majorDefects,
        iterations,
        reworkHours: round1(reworkHours),
        questionHours: round1(questionHours),
        velocityEffect: round3(velocity - 1),
        testsPassing: round3(testsPassing),
        coverage: round3(coverage),
      },
      components,
      links,
    };
  }

  hidden(): Record<string, unknown> {
    return {
      ambiguity: round3(this.story.ambiguity),
      productOwnerPersona: this.poPersona,
      patience: this.patience,
      optimalQuestions: this.optimalQuestions(),
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

export const elicitation: EpisodeWorld = {
  name: 'elicitation',
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
