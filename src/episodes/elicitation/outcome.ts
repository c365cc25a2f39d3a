/**
 * The outcome of an elicitation episode, computed when refinement ends: the story is implemented
 * from what is known, reviewed, and accepted or not. Three named parts, in order:
 *
 * - `requirementFates`: what happens to each requirement in implementation and review (built,
 *   handled by convention, caught through a stated assumption, or missed — found in review or
 *   latent), the rework and defects that follow, and the links from each answer that revealed a
 *   requirement (or from `signal_ready`, for each miss review found);
 * - `questionCosts`: redundant and excess questions, each linked to the decision that asked it;
 * - `readiness`: whether `signal_ready` came once nothing worth a question was still unknown.
 *
 * `elicitationOutcome` combines them into the facts, the six outcome components and the links.
 */
import type { DecisionLink, EpisodeResult } from '../../core/episode.js';
import { clamp01, round1, round3 } from '../../core/numbers.js';
import type { AnswerKind } from '../../sim/product-owner.js';
import { DIMENSION_LABELS, type Dimension, type Requirement, type Story } from '../../sim/story.js';
import type { OutcomeComponents } from '../../spec/reward.js';
import type { ElicitationFacts, InteractionKind, QuestionTarget } from './types.js';

/** Team hours per question (developer + product owner). */
export const HOURS_PER_QUESTION = 0.5;
/** Extra hours for each question past the optimal number (meeting overrun, waiting on the PO). */
export const HOURS_PER_EXCESS_QUESTION = 1.0;
/** Requirements below this impact are not worth a question. */
export const WORTH_ASKING = 0.3;
/** Impact at which a defect found in review makes the product owner reject the story. */
export const MAJOR_DEFECT = 0.5;

/** One exchange with the product owner, with what it revealed (world state). */
export interface Interaction {
  step: number;
  kind: InteractionKind;
  dimension: QuestionTarget;
  answerKind: AnswerKind;
  answer: string;
  revealedId?: string;
}

/** Per-requirement draws of what happens downstream (hidden truth). */
export interface Fate {
  /** Review catches the miss when `detect < impact`. */
  detect: number;
  /** An obvious requirement is handled without asking when `handled < 0.9`. */
  handled: number;
  /** A stated assumption catches the miss during development when `caught < 0.7`. */
  caught: number;
}

/** Everything the outcome depends on: the hidden story and draws, and what the candidate did. */
export interface Refinement {
  story: Story;
  fates: ReadonlyMap<string, Fate>;
  patience: number;
  revealed: ReadonlySet<string>;
  revealedBy: ReadonlyMap<string, number>;
  interactions: readonly Interaction[];
  questions: number;
  ready: boolean;
  readyStep: number;
}

export type Fated = 'built' | 'handled' | 'caught' | 'missed_found' | 'missed_latent';

/** Requirements worth a question: unstated, not obvious, impact >= 0.3. */
export function worthAsking(story: Story): Requirement[] {
  return story.requirements.filter((r) => !r.stated && !r.obvious && r.impact >= WORTH_ASKING);
}

/** What happens to one requirement during implementation and review, given what is known. */
export function fateOf(r: Requirement, fate: Fate, revealed: ReadonlySet<string>, assumed: ReadonlySet<Dimension>): Fated {
  if (r.stated || revealed.has(r.id)) return 'built';
  if (r.obvious && fate.handled < 0.9) return 'handled';
  if (assumed.has(r.dimension) && fate.caught < 0.7) return 'caught';
  return fate.detect < r.impact ? 'missed_found' : 'missed_latent';
}

interface RequirementFates {
  reworkHours: number;
  defectsFound: number;
  majorDefects: number;
  /** Impact-weighted share of the requirements met. */
  weightTotal: number;
  weightSatisfied: number;
  /** Acceptance and edge-case requirements met (test coverage). */
  coverageTotal: number;
  coverageMet: number;
  changedImplementation: number;
}

/** Implementation and review of every requirement, in story order, with their links. */
export function requirementFates(r: Refinement, assumed: ReadonlySet<Dimension>, links: DecisionLink[]): RequirementFates {
  const out: RequirementFates = {
    reworkHours: 0,
    defectsFound: 0,
    majorDefects: 0,
    weightTotal: 0,
    weightSatisfied: 0,
    coverageTotal: 0,
    coverageMet: 0,
    changedImplementation: 0,
  };
  for (const req of r.story.requirements) {
    const fate = r.fates.get(req.id) as Fate;
    const fated = fateOf(req, fate, r.revealed, assumed);
    out.weightTotal += req.impact;
    const satisfied = fated === 'built' || fated === 'handled' || fated === 'caught';
    if (satisfied) out.weightSatisfied += req.impact;
    if (req.dimension === 'acceptance' || req.dimension === 'edge_cases') {
      out.coverageTotal++;
      if (satisfied) out.coverageMet++;
    }
    if (fated === 'caught') out.reworkHours += 1;
    if (fated === 'missed_found') {
      out.defectsFound++;
      out.reworkHours += req.impact * r.story.points * 3;
      if (req.impact >= MAJOR_DEFECT) out.majorDefects++;
    }
    const by = r.revealedBy.get(req.id);
    if (by !== undefined) {
      // Counterfactual: had it stayed unknown, would it have cost a defect?
      const wouldMiss = !(req.obvious && fate.handled < 0.9);
      const changed = wouldMiss && req.impact >= WORTH_ASKING;
      if (changed) out.changedImplementation++;
      links.push({
        step: by,
        effect: changed ? 'changed_implementation' : 'revealed_requirement',
        target: req.id,
        value: changed ? req.impact : 0,
        note: `${changed ? 'answer changed the implementation' : 'answer revealed a requirement that did not change much'}: ${req.text}`,
      });
    } else if (fated === 'missed_found') {
      links.push({
        step: r.readyStep,
        effect: 'missed_requirement',
        target: req.id,
        value: -req.impact,
        note: `never asked about ${DIMENSION_LABELS[req.dimension]}; review found: ${req.text}`,
      });
    }
  }
  return out;
}

/** Questions about what was stated or answered, and questions past the optimal number, each linked. */
export function questionCosts(r: Refinement, optimal: number, links: DecisionLink[]): { redundant: number; excess: number } {
  let excess = 0;
  let redundant = 0;
  let questionIndex = 0;
  for (const i of r.interactions) {
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
  return { redundant, excess };
}

/** Important requirements still unknown; links `signal_ready` as right on time or too early. */
export function readiness(r: Refinement, links: DecisionLink[]): number {
  const missedImportant = worthAsking(r.story).filter((req) => !r.revealed.has(req.id)).length;
  if (r.ready) {
    links.push({
      step: r.readyStep,
      effect: missedImportant === 0 ? 'ready_at_right_time' : 'ready_too_early',
      value: missedImportant === 0 ? 0.1 : -0.05 * missedImportant,
      note: `${missedImportant} important requirement(s) still unknown when ready was signalled`,
    });
  }
  return missedImportant;
}

/** The episode's outcome: facts, the six components and the decision links. */
export function elicitationOutcome(r: Refinement): EpisodeResult<ElicitationFacts> {
  const links: DecisionLink[] = [];
  const optimal = worthAsking(r.story).length;
  const assumed = new Set(r.interactions.filter((i) => i.kind === 'assumption' && !i.revealedId).map((i) => i.dimension as Dimension));
  const pulled = r.questions > r.patience;
  const notReady = !r.ready;

  const built = requirementFates(r, assumed, links);
  const { redundant, excess } = questionCosts(r, optimal, links);
  const questionHours = r.questions * HOURS_PER_QUESTION + excess * HOURS_PER_EXCESS_QUESTION + assumed.size * 0.1;
  const budgetHours = r.story.points * 6;
  const missedImportant = readiness(r, links);

  const accepted = !pulled && !notReady && built.majorDefects === 0;
  const iterations = pulled || notReady ? 4 : 1 + built.defectsFound;
  const lostHours = questionHours + built.reworkHours;
  const velocity = pulled || notReady ? 0 : clamp01(1 - lostHours / budgetHours);
  const testsPassing = pulled || notReady ? 0 : built.weightTotal > 0 ? built.weightSatisfied / built.weightTotal : 1;
  const coverage = pulled || notReady ? 0 : built.coverageTotal > 0 ? built.coverageMet / built.coverageTotal : 1;
  const components: OutcomeComponents = {
    story_accepted: accepted ? 1 : 0,
    tests_passing: testsPassing,
    low_iteration_count: clamp01(1 - (iterations - 1) / 3),
    velocity_maintained: velocity,
    low_rework: pulled || notReady ? 0 : clamp01(1 - 0.5 * built.defectsFound),
    coverage_threshold: coverage >= 0.8 ? 1 : coverage,
  };
  const needed = new Set(worthAsking(r.story).map((req) => req.dimension));
  const covered = new Set(r.interactions.filter((i) => i.kind !== 'assumption' || i.revealedId).map((i) => i.dimension));
  let coveredNeeded = 0;
  for (const d of needed) if (covered.has(d)) coveredNeeded++;
  return {
    facts: {
      signalledReady: r.ready,
      pulledFromSprint: pulled,
      storyAccepted: accepted,
      questionsAsked: r.questions,
      optimalQuestions: optimal,
      redundantQuestions: redundant,
      excessQuestions: excess,
      questionsChangedImplementation: built.changedImplementation,
      requirementsRevealed: r.revealed.size,
      importantRequirements: optimal,
      importantMissed: missedImportant,
      dimensionsNeeded: needed.size,
      dimensionsCovered: coveredNeeded,
      askedScopeOut: r.interactions.some((i) => i.kind === 'question' && i.dimension === 'scope_out'),
      assumptionsStated: r.interactions.filter((i) => i.kind === 'assumption').length,
      defectsFound: built.defectsFound,
      majorDefects: built.majorDefects,
      iterations,
      reworkHours: round1(built.reworkHours),
      questionHours: round1(questionHours),
      velocityEffect: round3(velocity - 1),
      testsPassing: round3(testsPassing),
      coverage: round3(coverage),
    },
    components,
    links,
  };
}
