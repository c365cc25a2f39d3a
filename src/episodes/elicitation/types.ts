/**
 * What an elicitation episode shows, reports and hides: the typed `View` the candidate acts on, the
 * outcome `Facts` of `finish()` and the `Hidden` truth written to the trace.
 */
import type { AnswerKind } from '../../sim/product-owner.js';
import { DIMENSIONS, type Dimension, type Requirement } from '../../sim/story.js';
import type { PoPersona } from '../../sim/team.js';
import type { Codebase, Domain, Language, StoryPoints, TechnicalDebt } from '../../spec/episodes.js';

/** What a question may be about: one requirement dimension, or the story in general. */
export const QUESTION_TARGETS = [...DIMENSIONS, 'general'] as const;
export type QuestionTarget = (typeof QUESTION_TARGETS)[number];

export type InteractionKind = 'question' | 'assumption' | 'example';

/** One exchange with the product owner, as the candidate saw it. */
export type PublicInteraction = {
  kind: InteractionKind;
  dimension: QuestionTarget;
  answerKind: AnswerKind;
  answer: string;
};

export type ElicitationView = {
  story: {
    id: string;
    title: string;
    narrative: string;
    description: string[];
    domain: Domain;
    language: Language;
    codebase: Codebase;
    technicalDebt: TechnicalDebt;
    points: StoryPoints;
  };
  /** Dimensions the description states. */
  statedDimensions: Dimension[];
  /** Dimensions the context hints at (domain conventions, codebase). */
  contextHints: Dimension[];
  /** Dimensions the conventions settle. */
  impliedByConventions: Dimension[];
  /** Questions and example requests so far. */
  questionsAsked: number;
  interactions: PublicInteraction[];
  /** Requirements the product owner revealed. */
  revealed: { dimension: Dimension; text: string }[];
};

export type ElicitationFacts = {
  signalledReady: boolean;
  pulledFromSprint: boolean;
  storyAccepted: boolean;
  questionsAsked: number;
  optimalQuestions: number;
  redundantQuestions: number;
  excessQuestions: number;
  questionsChangedImplementation: number;
  requirementsRevealed: number;
  importantRequirements: number;
  importantMissed: number;
  dimensionsNeeded: number;
  dimensionsCovered: number;
  askedScopeOut: boolean;
  assumptionsStated: number;
  defectsFound: number;
  majorDefects: number;
  iterations: number;
  reworkHours: number;
  questionHours: number;
  velocityEffect: number;
  testsPassing: number;
  coverage: number;
};

export type ElicitationHidden = {
  ambiguity: number;
  productOwnerPersona: PoPersona;
  patience: number;
  optimalQuestions: number;
  /** The public context at the start, recorded so scorers need not rebuild the episode. */
  contextHints: Dimension[];
  impliedByConventions: Dimension[];
  requirements: Requirement[];
};
