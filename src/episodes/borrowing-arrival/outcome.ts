/**
 * The outcome of a borrowing_arrival episode, computed when the candidate starts work (or the turn
 * limit comes): the first contribution is implemented, reviewed and accepted or not. Its named parts:
 *
 * - `reconnaissance`: which key parts of the layout were read (entry point, a main abstraction, the
 *   tests), the understanding they give (0.3 / 0.4 / 0.3) and the slowdown without it;
 * - `adherence`: for each convention aspect, whether the contribution follows it (`followed`: known,
 *   picked up by imitation, or the home habit by chance; the legacy module's outdated style copied;
 *   an asserted habit locked in), and the violations review counts;
 * - `questionTally`: questions resolved in one exchange, answered by the docs, redundant, vague, and
 *   claiming more context than the candidate's actions back;
 * - `contribution`: acceptance (P = 0.9 for the top priority else 0.135, times the violation factor,
 *   times 0.85 when understanding < 0.7), review rounds, rework, time to the first useful
 *   contribution against its target, team hours, tests and velocity, with the links of `start_work`
 *   (priority, each convention, an ignored answer, writing before reading) — or, with no
 *   contribution by the turn limit, a lost day;
 * - `orientationLinks`: the links of every read, search, docs section, question, identification and
 *   proposal.
 *
 * `borrowingArrivalOutcome` combines them into the facts, the six outcome components and the links.
 */
import type { DecisionLink, EpisodeResult } from '../../core/episode.js';
import { clamp01, round3 } from '../../core/numbers.js';
import type { OutcomeComponents } from '../../spec/reward.js';
import { FILES, type FileInfo, type Scenario } from './scenario.js';
import {
  ASPECTS,
  type Aspect,
  type BorrowingArrivalFacts,
  type Effort,
  type FileRole,
  type IdentificationOutcome,
  type Need,
  type QuestionContext,
  type QuestionQuality,
  SECTIONS,
  type Section,
  TOPICS,
  type Topic,
} from './types.js';

/** The docs section where each topic would be documented. */
export const TOPIC_SECTION: Record<Topic, Section> = {
  naming: 'contributing',
  error_handling: 'contributing',
  test_style: 'contributing',
  module_layout: 'architecture',
  logging: 'architecture',
  setup: 'readme',
  priority: 'roadmap',
};

/** How much context each kind of help request states (0 none, 1 tried, 2 with a proposal). */
export const CONTEXT_LEVEL: Record<QuestionContext, number> = { none: 0, tried: 1, tried_and_proposal: 2 };

/** Implementation hours of a need by its effort. */
const EFFORT_HOURS: Record<Effort, number> = { small: 2, medium: 3.5, large: 5 };
/** Team hours per review round past the first. */
const TEAM_REVIEW_ROUND = 0.3;
/** Team hours spent redirecting a candidate who worked on the wrong need. */
const TEAM_REDIRECT = 1;
/** Files read before further reads count as excess (reading everything). */
export const READ_BUDGET = 5;
/** Hours of team time + half the overrun that empty velocity_maintained. */
const VELOCITY_BUDGET = 10;
/** Hours for the first contribution before the team expects it, plus the top need's effort. */
const TARGET_BASE = 5;
/** Probability that a newcomer who read the legacy module copies its outdated naming or error handling. */
const LEGACY_COPY = 0.5;
/** Aspects the legacy module shows in their outdated form. */
const LEGACY_ASPECTS: readonly Aspect[] = ['naming', 'error_handling'];
/** Probability of following an unstated convention by imitation, by evidence (0, 1, >= 2). */
const ABSORB = [0, 0.3, 0.6] as const;
/** P(accepted) factor by convention violations (0..5). */
const VIOLATION_FACTOR = [1, 0.85, 0.6, 0.3, 0.15, 0.05] as const;
/** Residual chance that review asks for a redesign whatever the candidate did. */
const ACCEPT_CEILING = 0.9;

/** How a topic became known. */
export type Known = 'docs' | 'team' | 'identified' | 'config' | 'proposal';

export interface Question {
  step: number;
  topic: Topic;
  context: QuestionContext;
  /** The context the candidate's actions back (a claim of having tried with nothing read is downgraded). */
  effective: QuestionContext;
  quality: QuestionQuality;
  exchanges: number;
  answered: boolean;
}

export interface Read {
  step: number;
  file: number;
  first: boolean;
  /** Reads so far, this one included. */
  ordinal: number;
}

export interface DocsRead {
  step: number;
  section: Section;
  first: boolean;
  revealed: number;
}

export interface Search {
  step: number;
  aspect: Aspect;
  first: boolean;
  found: number;
}

export interface Identification {
  step: number;
  aspect: Aspect;
  outcome: IdentificationOutcome;
  confidence?: number;
}

export interface Proposal {
  step: number;
  need: number;
  top: boolean;
  repeated: boolean;
}

/** Everything the outcome (and the rendering) depends on: the scenario and what the candidate did. */
export interface Arrival {
  readonly scenario: Scenario;
  readonly reads: readonly Read[];
  readonly readCount: readonly number[];
  /** Convention evidence gathered per aspect. */
  readonly evidence: Readonly<Record<Aspect, number>>;
  readonly searches: readonly Search[];
  readonly docs: readonly DocsRead[];
  readonly sectionRead: Readonly<Record<Section, boolean>>;
  /** Topics known, and how. */
  readonly known: Readonly<Partial<Record<Topic, Known>>>;
  readonly questions: readonly Question[];
  readonly identifications: readonly Identification[];
  readonly proposals: readonly Proposal[];
  /** Needs the team said are not its top priority. */
  readonly ruledOut: ReadonlySet<number>;
  /** Candidate hours. */
  readonly hours: number;
  /** Team hours spent on the candidate's questions and proposals. */
  readonly teamHours: number;
  /** The need work started on; undefined without a contribution. */
  readonly chosen: number | undefined;
  readonly startStep: number;
}

type How = 'known' | 'imitated' | 'habit_match' | 'habit' | 'asserted_habit' | 'legacy_copied' | 'missed';

/** Whether some file with `role` was read. */
export function roleRead(a: Arrival, role: FileRole): boolean {
  for (let i = 0; i < FILES; i++) if ((a.scenario.files[i] as FileInfo).role === role && (a.readCount[i] as number) > 0) return true;
  return false;
}

interface Reconnaissance {
  entryRead: boolean;
  coreRead: boolean;
  testsRead: boolean;
  /** 0.3 entry + 0.4 core + 0.3 tests. */
  understanding: number;
  /** Implementation time factor: 1 + 0.6 x (1 - understanding). */
  slowdown: number;
}

/** The key parts of the layout read, and the understanding they give. */
export function reconnaissance(a: Arrival): Reconnaissance {
  const entryRead = roleRead(a, 'entry');
  const coreRead = roleRead(a, 'core');
  const testsRead = roleRead(a, 'tests');
  const understanding = 0.3 * (entryRead ? 1 : 0) + 0.4 * (coreRead ? 1 : 0) + 0.3 * (testsRead ? 1 : 0);
  const slowdown = 1 + 0.6 * (1 - understanding);
  return { entryRead, coreRead, testsRead, understanding, slowdown };
}

/** Whether the contribution follows one convention (known, picked up by imitation, or home habit by chance). */
export function followed(a: Arrival, aspect: Aspect): { follows: boolean; how: How } {
  const s = a.scenario;
  if (a.known[aspect] !== undefined) return { follows: true, how: 'known' };
  // Copying the legacy module's outdated style.
  if (LEGACY_ASPECTS.includes(aspect) && roleRead(a, 'legacy') && s.legacyCopy[aspect] < LEGACY_COPY)
    return { follows: false, how: 'legacy_copied' };
  // A convention asserted without evidence locks in the home habit: nothing is picked up by imitation.
  const asserted = a.identifications.some((i) => i.aspect === aspect && i.outcome === 'unsettled');
  const e = Math.min(2, a.evidence[aspect]);
  if (!asserted && s.absorb[aspect] < (ABSORB[e] as number)) return { follows: true, how: 'imitated' };
  if (s.habits[aspect] === s.conventions[aspect]) return { follows: true, how: 'habit_match' };
  return { follows: false, how: asserted ? 'asserted_habit' : e > 0 ? 'missed' : 'habit' };
}

interface Adherence {
  follow: Record<Aspect, { follows: boolean; how: How }>;
  violations: number;
  /** Violations review sends back (naming, error handling, logging). */
  reviewViolations: number;
}

/** Per-aspect adherence of the contribution. */
export function adherence(a: Arrival): Adherence {
  const follow = {} as Record<Aspect, { follows: boolean; how: How }>;
  let violations = 0;
  let reviewViolations = 0;
  for (const aspect of ASPECTS) {
    follow[aspect] = followed(a, aspect);
    if (!follow[aspect].follows) {
      violations++;
      if (aspect === 'naming' || aspect === 'error_handling' || aspect === 'logging') reviewViolations++;
    }
  }
  return { follow, violations, reviewViolations };
}

interface QuestionTally {
  resolvedInOne: number;
  docsAnswered: number;
  redundant: number;
  vague: number;
  unbacked: number;
}

/** Questions by how the team took them. */
export function questionTally(a: Arrival): QuestionTally {
  let resolvedInOne = 0;
  let docsAnswered = 0;
  let redundant = 0;
  let vague = 0;
  let unbacked = 0;
  for (const q of a.questions) {
    if (q.quality === 'docs_answered') docsAnswered++;
    else if (q.quality === 'redundant') redundant++;
    else {
      if (q.quality === 'vague') vague++;
      if (q.exchanges === 1 && q.answered) resolvedInOne++;
    }
    if (CONTEXT_LEVEL[q.context] > CONTEXT_LEVEL[q.effective]) unbacked++;
  }
  return { resolvedInOne, docsAnswered, redundant, vague, unbacked };
}

interface Contribution {
  components: OutcomeComponents;
  accepted: boolean;
  iterations: number;
  rework: number;
  timeToUseful: number;
  /** Team hours lost: questions, review rounds and a redirect. */
  teamLost: number;
  testsFinal: number;
  velocity: number;
}

/** The first contribution (or a lost day without one): components, and the links of `start_work`. */
export function contribution(a: Arrival, known: Reconnaissance, adhered: Adherence, target: number, links: DecisionLink[]): Contribution {
  const s = a.scenario;
  const { entryRead, coreRead, testsRead, understanding, slowdown } = known;
  const { follow, violations, reviewViolations } = adhered;
  const setupKnown = a.known.setup !== undefined;
  const topNeed = s.needs[s.top] as Need;
  const onPriority = a.chosen === s.top;
  const testStyleFollowed = follow.test_style.follows;
  const layoutFollowed = follow.module_layout.follows;

  let components: OutcomeComponents;
  let accepted = false;
  let iterations = 0;
  let rework = 0;
  let timeToUseful: number;
  let teamLost = a.teamHours;
  let testsFinal = 0;
  let velocity: number;
  if (a.chosen === undefined) {
    timeToUseful = a.hours + 8;
    velocity = clamp01(1 - (teamLost + 0.5 * Math.max(0, timeToUseful - target)) / VELOCITY_BUDGET);
    components = {
      story_accepted: 0,
      tests_passing: 0,
      low_iteration_count: 0,
      velocity_maintained: velocity,
      low_rework: 0,
      coverage_threshold: 0,
    };
    links.push({ step: -1, effect: 'no_contribution', value: -0.5, note: 'the turn limit came before any contribution' });
    return { components, accepted, iterations, rework, timeToUseful, teamLost, testsFinal, velocity };
  }
  const chosen = s.needs[a.chosen] as Need;
  iterations = Math.min(5, 1 + reviewViolations + (setupKnown ? 0 : 1) + (testsRead ? 0 : 1));
  const implHours = EFFORT_HOURS[chosen.effort] * slowdown * s.surprise;
  timeToUseful = a.hours + implHours + 0.75 * (iterations - 1);
  teamLost += TEAM_REVIEW_ROUND * (iterations - 1);
  if (!onPriority) {
    // The team redirects the candidate; the useful contribution comes after the top need.
    timeToUseful += 1 + EFFORT_HOURS[topNeed.effort] * slowdown * s.surprise;
    teamLost += TEAM_REDIRECT;
    rework++;
  }
  if (!layoutFollowed) rework++;
  if (violations >= 3) rework++;
  const pAccept = ACCEPT_CEILING * (onPriority ? 1 : 0.15) * (VIOLATION_FACTOR[violations] as number) * (understanding >= 0.7 ? 1 : 0.85);
  accepted = s.acceptFate < pAccept;
  testsFinal =
    clamp01(0.35 + 0.3 * understanding + 0.2 * (setupKnown ? 1 : 0) + 0.15 * (testStyleFollowed ? 1 : 0)) * (1 - s.preexistingFailures);
  velocity = clamp01(1 - (teamLost + 0.5 * Math.max(0, timeToUseful - target)) / VELOCITY_BUDGET);
  components = {
    story_accepted: accepted ? 1 : 0,
    tests_passing: testsFinal,
    low_iteration_count: clamp01(1 - (iterations - 1) / 4),
    velocity_maintained: velocity,
    low_rework: clamp01(1 - 0.4 * rework),
    coverage_threshold: testStyleFollowed ? (testsRead ? 1 : 0.8) : 0.4,
  };
  links.push({
    step: a.startStep,
    effect: onPriority ? 'worked_on_priority' : 'wrong_priority',
    target: `need_${a.chosen}`,
    value: onPriority ? 0.3 : -0.3,
    note: onPriority
      ? `worked on the team's top priority (${topNeed.kind})`
      : `worked on ${chosen.kind}; the team's top priority was ${topNeed.kind}`,
  });
  for (const aspect of ASPECTS) {
    const f = follow[aspect];
    links.push({
      step: a.startStep,
      effect: f.follows ? 'convention_followed' : 'convention_violation',
      target: aspect,
      value: f.follows ? 0.02 : -0.06,
      note: f.follows
        ? `${aspect}: followed (${f.how})`
        : f.how === 'legacy_copied'
          ? `${aspect}: copied the legacy module's outdated style; the team uses ${s.conventions[aspect]}`
          : `${aspect}: used ${s.habits[aspect]} (home habit${f.how === 'asserted_habit' ? ', asserted without evidence' : ''}); the team uses ${s.conventions[aspect]}`,
    });
  }
  if (a.ruledOut.has(a.chosen))
    links.push({
      step: a.startStep,
      effect: 'ignored_team_answer',
      target: `need_${a.chosen}`,
      value: -0.1,
      note: 'started on a need the team had said is not its top priority',
    });
  if (!entryRead && !coreRead && !testsRead)
    links.push({
      step: a.startStep,
      effect: 'wrote_before_reading',
      value: -0.1,
      note: 'started work without reading the entry point, a main abstraction or the tests',
    });
  return { components, accepted, iterations, rework, timeToUseful, teamLost, testsFinal, velocity };
}

/** Links from the orientation decisions: reads, searches, docs, questions, identifications, proposals, in that order. */
export function orientationLinks(a: Arrival, links: DecisionLink[]): void {
  const s = a.scenario;
  for (const r of a.reads) {
    const role = (s.files[r.file] as FileInfo).role;
    if (!r.first)
      links.push({ step: r.step, effect: 'repeated_read', target: `file_${r.file}`, value: -0.02, note: 'read again: nothing new' });
    else if (r.ordinal > READ_BUDGET)
      links.push({
        step: r.step,
        effect: 'excess_reading',
        target: `file_${r.file}`,
        value: -0.02,
        note: `file read ${r.ordinal} past ${READ_BUDGET}`,
      });
    else if (role === 'legacy' || role === 'scripts' || role === 'vendored')
      links.push({
        step: r.step,
        effect: 'irrelevant_read',
        target: `file_${r.file}`,
        value: -0.02,
        note: `${role} code says little about how the team works`,
      });
    else links.push({ step: r.step, effect: 'key_file_read', target: role, value: 0.02, note: `read the ${role}` });
  }
  for (const search of a.searches) {
    if (!search.first)
      links.push({ step: search.step, effect: 'repeated_search', target: search.aspect, value: -0.01, note: 'same search again' });
    else if (search.found > 0)
      links.push({ step: search.step, effect: 'evidence_found', target: search.aspect, value: 0.01, note: `evidence on ${search.aspect}` });
    else
      links.push({
        step: search.step,
        effect: 'search_inconclusive',
        target: search.aspect,
        value: 0,
        note: 'hits only in legacy or vendored code',
      });
  }
  for (const d of a.docs) {
    if (!d.first) links.push({ step: d.step, effect: 'repeated_docs', target: d.section, value: -0.01, note: 'section read again' });
    else
      links.push({
        step: d.step,
        effect: d.revealed > 0 || (d.section === 'roadmap' && s.roadmapSays >= 0) ? 'docs_informative' : 'docs_checked',
        target: d.section,
        value: d.revealed > 0 ? 0.02 : 0,
        note: d.revealed > 0 ? `answered ${d.revealed} topic(s)` : 'checked; nothing settled here',
      });
  }
  for (const q of a.questions) {
    if (q.quality === 'docs_answered')
      links.push({
        step: q.step,
        effect: 'docs_answered_question',
        target: q.topic,
        value: -0.05,
        note: `the ${TOPIC_SECTION[q.topic]} docs answer it`,
      });
    else if (q.quality === 'redundant')
      links.push({ step: q.step, effect: 'redundant_question', target: q.topic, value: -0.05, note: 'already known' });
    else
      links.push({
        step: q.step,
        effect: !q.answered ? 'question_unanswered' : q.exchanges === 1 ? 'resolved_first_exchange' : 'resolved_after_exchanges',
        target: q.topic,
        value: !q.answered ? -0.04 : q.exchanges === 1 ? 0.03 : -0.01 * q.exchanges,
        note: `${q.exchanges} exchange(s), context ${q.effective}`,
      });
    if (CONTEXT_LEVEL[q.context] > CONTEXT_LEVEL[q.effective])
      links.push({
        step: q.step,
        effect: 'unbacked_context',
        target: q.topic,
        value: -0.02,
        note: `claimed ${q.context}, backed ${q.effective}`,
      });
  }
  for (const i of a.identifications)
    links.push({
      step: i.step,
      effect:
        i.outcome === 'confirmed'
          ? 'convention_confirmed'
          : i.outcome === 'unsettled'
            ? 'premature_identification'
            : 'redundant_identification',
      target: i.aspect,
      value: i.outcome === 'confirmed' ? 0.03 : i.outcome === 'unsettled' ? -0.03 : -0.01,
      note:
        i.outcome === 'confirmed'
          ? 'confirmed from the code read'
          : i.outcome === 'unsettled'
            ? 'asserted without enough evidence'
            : 'already known',
    });
  for (const p of a.proposals)
    links.push({
      step: p.step,
      effect: p.repeated ? 'redundant_proposal' : p.top ? 'priority_confirmed' : 'priority_ruled_out',
      target: `need_${p.need}`,
      value: p.repeated ? -0.02 : p.top ? 0.05 : 0.01,
      note: p.repeated ? 'proposed again' : p.top ? 'the team confirmed its top priority' : 'not the top priority',
    });
}

/** The episode's outcome: facts, the six components and the decision links. */
export function borrowingArrivalOutcome(a: Arrival): EpisodeResult<BorrowingArrivalFacts> {
  const s = a.scenario;
  const links: DecisionLink[] = [];
  const known = reconnaissance(a);
  const { entryRead, coreRead, testsRead } = known;
  const setupKnown = a.known.setup !== undefined;
  const topNeed = s.needs[s.top] as Need;
  const target = TARGET_BASE + EFFORT_HOURS[topNeed.effort];
  const delivered = a.chosen !== undefined;
  const onPriority = a.chosen === s.top;
  const adhered = adherence(a);
  const tally = questionTally(a);
  const done = contribution(a, known, adhered, target, links);
  orientationLinks(a, links);

  const keyRolesRead = (entryRead ? 1 : 0) + (coreRead ? 1 : 0) + (testsRead ? 1 : 0);
  const firstReads = a.reads.filter((r) => r.first).length;
  const irrelevantReads = a.reads.filter(
    (r) => r.first && ['legacy', 'scripts', 'vendored'].includes((s.files[r.file] as FileInfo).role),
  ).length;
  const knownConventions = ASPECTS.filter((aspect) => a.known[aspect] !== undefined).length;
  const docsAnswerable = TOPICS.filter((t) => s.documented[t]).length;
  const helpNeeded = !s.documented.priority || s.roadmapSays !== s.top;
  const priorityAskedOrProposed = a.proposals.length > 0 || a.questions.some((q) => q.topic === 'priority');
  return {
    facts: {
      delivered,
      chosenNeed: a.chosen ?? -1,
      topPriority: s.top,
      onPriority,
      loudestIsTop: topNeed.loudest,
      chosenLoudest: delivered && (s.needs[a.chosen as number] as Need).loudest,
      priorityConfirmed: a.known.priority !== undefined,
      priorityConfirmedBeforeStart: a.known.priority !== undefined && delivered,
      proposals: a.proposals.length,
      roadmapDocumented: s.documented.priority,
      roadmapRight: s.roadmapSays === s.top,
      helpNeededForPriority: helpNeeded,
      priorityAskedOrProposed,
      conventionViolations: delivered ? adhered.violations : -1,
      conventionsKnown: knownConventions,
      conventionsConfirmed: a.identifications.filter((i) => i.outcome === 'confirmed').length,
      prematureIdentifications: a.identifications.filter((i) => i.outcome === 'unsettled').length,
      identifications: a.identifications.length,
      habitMatches: ASPECTS.filter((aspect) => s.habits[aspect] === s.conventions[aspect]).length,
      entryRead,
      coreRead,
      testsRead,
      configRead: roleRead(a, 'config'),
      keyRolesRead,
      filesRead: firstReads,
      readActions: a.reads.length,
      irrelevantReads,
      excessReads: a.reads.filter((r) => r.first && r.ordinal > READ_BUDGET).length,
      searches: a.searches.length,
      docsSectionsRead: SECTIONS.filter((section) => a.sectionRead[section]).length,
      docsAnswerableTopics: docsAnswerable,
      understanding: round3(known.understanding),
      setupKnown,
      questions: a.questions.length,
      questionsResolvedInOne: tally.resolvedInOne,
      docsAnsweredQuestions: tally.docsAnswered,
      redundantQuestions: tally.redundant,
      vagueQuestions: tally.vague,
      unbackedContext: tally.unbacked,
      storyAccepted: done.accepted,
      iterations: done.iterations,
      reworkCount: done.rework,
      candidateHours: round3(a.hours),
      teamHours: round3(done.teamLost),
      questionTeamHours: round3(a.teamHours),
      timeToUsefulHours: round3(done.timeToUseful),
      targetHours: target,
      testsPassingFinal: round3(done.testsFinal),
      velocityEffect: round3(done.velocity - 1),
    },
    components: done.components,
    links,
  };
}
