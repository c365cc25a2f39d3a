/**
 * E-1.4 Self-monitoring: a story half implemented, some tests failing, a checkpoint is due.
 *
 * Visible: the plan's progress estimate, the test run (passing / total), how many fix attempts
 * made no progress, the days left, and four suspects — candidate explanations of the failures,
 * each with a category (race condition, misread requirement, dependency version mismatch,
 * knowledge gap, design limit, external blocker), a symptom, the number of failing tests it could
 * explain, and which one is the loudest in the logs.
 *
 * Hidden truth: which suspect is the real (planted) issue and its root cause; each suspect's
 * resolution — fixable in place (continue), needs a new approach (pivot) or needs someone outside
 * the team (escalate); a misread requirement may be adaptable or may invalidate the approach, a
 * dependency mismatch may have a released fix or need an unreleased upstream one, a knowledge gap
 * may be researchable or expert-only; a race condition is always fixable, a design limit always
 * needs a pivot, an external blocker always needs escalation. The right checkpoint decision is
 * the real suspect's resolution. The true state (on_track, behind, stuck) and the true progress
 * follow: stuck when the approach cannot converge or is blocked, else on_track or behind. The
 * visible plan overstates progress; the pass rate and the stuck attempts are noisy proxies.
 * Pre-drawn fates (per suspect and per attempt) decide what research finds and what happens
 * downstream, so two action sequences on one seed meet the same world.
 *
 * Evidence: `research {topic}` on a suspect returns noisy relevance (the real one reads strong
 * 70% of the time, a decoy 8%) and a resolution hint that is right 85% of the time; the third
 * and later research of one suspect find nothing new. `reread_requirements` tells whether a
 * requirement was misread (90% accurate) and how many acceptance criteria are really met (a
 * noisy measure of the true progress). Past four investigative actions each costs double.
 * The real issue leans toward categories fixable in place (weights 1.5 race, 1 misread /
 * dependency / knowledge, 0.8 design / external), so continue is right about 57% of the time
 * (pivot 19%, escalate 24%). Research on a misread requirement is weaker (strong 35%): reread it.
 *
 * Outcome (on a checkpoint, or at the turn limit with no decision), in team hours lost against a
 * budget of 6 hours per day left: the right decision finishes the story — continue lands the fix
 * only if the real issue was named first (otherwise the issue stays in place; it is found late
 * 65% of the time and the story then makes it 80% of the time); pivot discards work (10 h, one
 * rework) and repeats the flaw half the time unless the issue was named; escalate waits on the
 * expert, longer and less surely when the escalation names no issue. A wrong decision burns days:
 * continuing a doomed or blocked approach fails the story (20 h), an unneeded pivot throws away
 * converging work (16 h), escalating trivia wastes the expert's time (20 h unnamed, 8 h named).
 * Each wrong suspect named costs a fix attempt (6 h, one iteration); each change of the stated
 * estimate 2 h. The last progress assessment is compared with the true state: an honest one lets
 * the team replan (-4 h when behind or stuck), an optimistic one blows the sprint plan (+8 h), a
 * pessimistic one causes needless replanning (+2 h), none leaves the team unwarned (+4 h when
 * behind or stuck). Investigation hours count too: research 2 h, reread 1 h, a statement 0.25 h.
 * Components: story_accepted (accepted this sprint), tests_passing (final pass fraction: 1 when
 * accepted), low_iteration_count (1 - (iterations - 1) / 4), velocity_maintained (1 - lost hours
 * / budget hours), low_rework (1 - 0.5 per rework: a pivot, continuing after naming the wrong
 * suspect), coverage_threshold (1 when accepted, else the final pass fraction; 1 at >= 0.8).
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
import { clamp01, round3 } from '../../core/numbers.js';
import type { Rng } from '../../core/rng.js';
import type { OutcomeComponents } from '../../spec/reward.js';

export const ISSUE_CATEGORIES = [
  'race_condition',
  'requirements_misread',
  'dependency_mismatch',
  'knowledge_gap',
  'design_limit',
  'external_blocker',
] as const;
export type IssueCategory = (typeof ISSUE_CATEGORIES)[number];

export const DECISIONS = ['continue', 'pivot', 'escalate'] as const;
export type Decision = (typeof DECISIONS)[number];

export const ESTIMATES = ['on_track', 'behind', 'stuck'] as const;
export type Estimate = (typeof ESTIMATES)[number];

/** How research describes a suspect's resolution, in the view. */
export const RESOLUTION_HINTS = { continue: 'fixable_in_place', pivot: 'needs_new_approach', escalate: 'needs_outside_help' } as const;
export type ResolutionHint = (typeof RESOLUTION_HINTS)[Decision];

export const RELEVANCE = ['strong', 'weak', 'none'] as const;
export type Relevance = (typeof RELEVANCE)[number];

/** Suspects per episode (the `topic` and `suspect` arguments index them). */
export const SUSPECTS = 4;

/** Hours per research action. */
const HOURS_RESEARCH = 2;
/** Hours per requirements reread. */
const HOURS_REREAD = 1;
/** Hours per assessment or identification (writing it up, telling the team). */
const HOURS_STATEMENT = 0.25;
/** Hours of a fix attempt on a wrongly named suspect. */
const HOURS_WRONG_FIX = 6;
/** Hours of replanning when the stated estimate changes. */
const HOURS_ESTIMATE_CHANGE = 2;
/** Investigative actions (research + reread) before each one costs double. */
const INVESTIGATION_BUDGET = 4;
/** Research attempts on one suspect that can still find something new. */
const RESEARCH_DEPTH = 2;
/** Accuracy of a research resolution hint. */
const HINT_ACCURACY = 0.85;
/** Accuracy of a reread on whether a requirement was misread. */
const REREAD_ACCURACY = 0.9;

interface Context {
  area: string;
  entity: string;
  lib: string;
  vendor: string;
  service: string;
  title: string;
}

const CONTEXTS: readonly Context[] = [
  { title: 'Checkout totals with discounts', area: 'checkout', entity: 'cart', lib: 'jsonkit', vendor: 'PayFlow', service: 'pricing' },
  { title: 'Usage-based invoicing', area: 'invoicing', entity: 'invoice', lib: 'datemill', vendor: 'Billwise', service: 'ledger' },
  {
    title: 'Inventory sync from suppliers',
    area: 'inventory sync',
    entity: 'stock',
    lib: 'serdeq',
    vendor: 'SupplyHub',
    service: 'catalog',
  },
  { title: 'Team notification digests', area: 'digest', entity: 'subscription', lib: 'timefmt', vendor: 'Pingly', service: 'identity' },
  { title: 'Loyalty points ledger', area: 'loyalty', entity: 'points', lib: 'numparse', vendor: 'RewardsCo', service: 'accounts' },
  { title: 'Shipment tracking updates', area: 'tracking', entity: 'shipment', lib: 'wireform', vendor: 'ShipTrack', service: 'routing' },
];

interface CategoryText {
  symptom: (c: Context) => string;
  /** The root cause, shown when research finds strong evidence. */
  root: (c: Context) => string;
  /** What fixing it takes, per resolution (the true one is a secret for the real suspect). */
  resolution: Record<Decision, (c: Context) => string>;
}

const TEXTS: Record<IssueCategory, CategoryText> = {
  race_condition: {
    symptom: (c) => `Tests around ${c.area} fail intermittently when the suite runs in parallel.`,
    root: (c) => `Two workers update the same ${c.entity} record without a lock, so one write silently overwrites the other.`,
    resolution: {
      continue: (c) => `An atomic update around the ${c.entity} write fixes it inside the current design.`,
      pivot: (c) => `The ${c.entity} writes are spread over too many code paths to lock; the concurrency model needs redesigning.`,
      escalate: () => 'The contention is inside the shared database driver, which only the platform team may change.',
    },
  },
  requirements_misread: {
    symptom: (c) => `The acceptance tests for ${c.area} expect values the implementation never produces.`,
    root: (c) => `The requirement computes ${c.entity} totals per billing period, but the code assumed per calendar month.`,
    resolution: {
      continue: () => 'Only the aggregation step depends on the misread period; adjusting it keeps the rest of the work.',
      pivot: (c) =>
        `The calendar-month assumption is baked into the ${c.entity} data model; the current design cannot meet the requirement.`,
      escalate: () => 'The requirement contradicts the contract signed with the customer; only the product owner can settle it.',
    },
  },
  dependency_mismatch: {
    symptom: (c) => `Since the lockfile refresh, ${c.lib} serialization tests fail with a type error.`,
    root: (c) => `${c.lib} 4.x changed its default date serialization while the code still relies on the 3.x behavior.`,
    resolution: {
      continue: (c) => `${c.lib} 4.2.1 restores the old date behavior behind a flag; pinning it resolves the mismatch.`,
      pivot: (c) => `${c.lib} is abandoned and no version fits; the serialization layer must move to another library.`,
      escalate: (c) => `The needed ${c.lib} fix is unreleased on its main branch; the platform team must approve a patched build.`,
    },
  },
  knowledge_gap: {
    symptom: (c) => `Nobody on the team is sure how ${c.vendor} signs webhook payloads; signature checks fail.`,
    root: (c) => `The ${c.vendor} signature covers the raw request body, but the framework hands over a re-encoded body.`,
    resolution: {
      continue: (c) => `The ${c.vendor} developer guide documents the raw-body signing scheme; it can be learned and applied in hours.`,
      pivot: (c) => `The ${c.vendor} webhook flow cannot work behind the current gateway; polling their API is the way.`,
      escalate: (c) => `The signing scheme is undocumented and only the ${c.vendor} integration specialist knows the raw-body detail.`,
    },
  },
  design_limit: {
    symptom: (c) => `The ${c.area} job slows down sharply as fixture data grows; the performance test times out.`,
    root: (c) => `The in-memory join over all ${c.entity} records is quadratic, and production volume is 200 times the fixtures.`,
    resolution: {
      continue: () => 'An index on the join key brings the job under the time limit without changing the design.',
      pivot: () => 'No tuning makes the in-memory design meet the production volume; it needs a streaming approach.',
      escalate: () => 'The volume target itself looks wrong; the architect must confirm the capacity numbers.',
    },
  },
  external_blocker: {
    symptom: (c) => `Integration tests against the ${c.service} staging endpoint return 503 errors.`,
    root: (c) => `The ${c.service} team disabled the staging endpoint during their migration, and no mock matches its new contract.`,
    resolution: {
      continue: (c) => `A local stub of the ${c.service} contract lets the tests run; the endpoint is back tomorrow.`,
      pivot: (c) => `Calling ${c.service} synchronously cannot work after the migration; an event-driven flow is needed.`,
      escalate: (c) => `Only the ${c.service} team can restore the endpoint or publish the new contract; it needs the team lead.`,
    },
  },
};

interface RenderedText {
  symptom: string;
  root: string;
  resolutionText: Record<Decision, string>;
}

/** Every context's texts, rendered once at load (create() only picks). */
const RENDERED: readonly Record<IssueCategory, RenderedText>[] = CONTEXTS.map(
  (c) =>
    Object.fromEntries(
      ISSUE_CATEGORIES.map((category) => {
        const t = TEXTS[category];
        return [
          category,
          {
            symptom: t.symptom(c),
            root: t.root(c),
            resolutionText: { continue: t.resolution.continue(c), pivot: t.resolution.pivot(c), escalate: t.resolution.escalate(c) },
          },
        ];
      }),
    ) as Record<IssueCategory, RenderedText>,
);

/** Per-category probability that the resolution is `continue`; otherwise the category's alternative. */
const RESOLUTION_MODEL: Record<IssueCategory, { pContinue: number; otherwise: Decision }> = {
  race_condition: { pContinue: 1, otherwise: 'continue' },
  requirements_misread: { pContinue: 0.7, otherwise: 'pivot' },
  dependency_mismatch: { pContinue: 0.7, otherwise: 'escalate' },
  knowledge_gap: { pContinue: 0.65, otherwise: 'escalate' },
  design_limit: { pContinue: 0, otherwise: 'pivot' },
  external_blocker: { pContinue: 0, otherwise: 'escalate' },
};

/** Relative weight of each category being the real issue (when among the suspects). */
const REAL_WEIGHT: Record<IssueCategory, number> = {
  race_condition: 1.5,
  requirements_misread: 1,
  dependency_mismatch: 1,
  knowledge_gap: 1,
  design_limit: 0.8,
  external_blocker: 0.8,
};

/** The class of gap behind each resolution (B-10 / B-12 diagnosis). */
function gapClass(category: IssueCategory, resolution: Decision): string {
  if (resolution === 'pivot') return 'wrong_approach';
  if (resolution === 'escalate')
    return category === 'external_blocker' || category === 'dependency_mismatch' ? 'external_blocker' : 'expert_required';
  return category === 'knowledge_gap' || category === 'dependency_mismatch' ? 'researchable' : 'fixable_bug';
}

interface Suspect {
  category: IssueCategory;
  resolution: Decision;
  symptom: string;
  root: string;
  resolutionText: Record<Decision, string>;
  failingTestsExplained: number;
  loudest: boolean;
}

interface SuspectFate {
  /** Relevance draw per research attempt. */
  relevance: number[];
  /** Hint accuracy draw per research attempt. */
  hint: number[];
  /** Which wrong resolution a wrong hint names, per attempt. */
  alt: number[];
}

interface Finding {
  step: number;
  action: 'research' | 'reread_requirements';
  suspect: number;
  relevance?: Relevance;
  resolutionHint?: ResolutionHint;
  text: string;
}

interface Statement {
  step: number;
  confidence?: number;
}

const ORDER: Record<Estimate, number> = { on_track: 0, behind: 1, stuck: 2 };

class SelfMonitoringEpisode implements Episode {
  private readonly ctx: Context;
  private readonly suspects: Suspect[];
  private readonly real: number;
  private readonly trueState: Estimate;
  private readonly plannedProgress: number;
  private readonly trueProgress: number;
  private readonly testsTotal: number;
  private readonly testsPassing: number;
  private readonly attemptsWithoutProgress: number;
  private readonly daysLeft: number;
  private readonly criteriaTotal: number;
  private readonly criteriaMet: number;
  private readonly fates: SuspectFate[];
  private readonly reread: { found: number; detail: number; alt: number };
  private readonly downstream: { accept: number; latent: number; repeat: number; extraIteration: number };

  private readonly findings: Finding[] = [];
  private readonly researchCount: number[] = [0, 0, 0, 0];
  private rereads = 0;
  private investigative = 0;
  private hours = 0;
  private excessInvestigation = 0;
  private readonly assessments: (Statement & { estimate: Estimate })[] = [];
  private readonly identifications: (Statement & { suspect: number })[] = [];
  private decision: Decision | undefined;
  private decisionStep = -1;
  private decisionConfidence: number | undefined;
  private rootRevealed = false;
  private resolutionRevealed = false;

  constructor(rng: Rng, _options: ScenarioOptions) {
    const contextIndex = rng.int(CONTEXTS.length);
    this.ctx = CONTEXTS[contextIndex] as Context;
    const rendered = RENDERED[contextIndex] as Record<IssueCategory, RenderedText>;
    const categories = rng.shuffle(ISSUE_CATEGORIES).slice(0, SUSPECTS) as IssueCategory[];
    // Most checkpoint problems are fixable in place: the real issue leans toward those categories.
    this.real = rng.weightedIndex(categories.map((c) => REAL_WEIGHT[c]));
    this.daysLeft = rng.intBetween(5, 8);
    this.plannedProgress = Math.round(rng.uniform(0.45, 0.65) * 20) / 20;

    const resolutions = categories.map((c) => {
      const model = RESOLUTION_MODEL[c];
      return rng.chance(model.pContinue) ? 'continue' : model.otherwise;
    });
    const rightDecision = resolutions[this.real] as Decision;
    this.trueState = rightDecision !== 'continue' ? 'stuck' : rng.chance(0.45) ? 'on_track' : 'behind';
    const gap =
      this.trueState === 'on_track' ? rng.uniform(0, 0.08) : this.trueState === 'behind' ? rng.uniform(0.15, 0.3) : rng.uniform(0.2, 0.35);
    this.trueProgress = Math.max(0.1, this.plannedProgress - gap);
    this.testsTotal = rng.intBetween(12, 24);
    const passRatio = Math.min(0.9, Math.max(0.15, this.trueProgress + rng.normal(0, 0.07)));
    this.testsPassing = Math.min(this.testsTotal - 2, Math.round(this.testsTotal * passRatio));
    this.attemptsWithoutProgress =
      this.trueState === 'stuck' ? rng.intBetween(2, 5) : this.trueState === 'behind' ? rng.intBetween(1, 3) : rng.intBetween(0, 2);
    this.criteriaTotal = rng.intBetween(4, 8);
    this.criteriaMet = Math.max(
      0,
      Math.min(this.criteriaTotal, Math.round(this.criteriaTotal * (this.trueProgress + rng.normal(0, 0.05)))),
    );

    const failing = this.testsTotal - this.testsPassing;
    const loudDecoy = rng.chance(0.7);
    const decoys = [0, 1, 2, 3].filter((i) => i !== this.real);
    const loud = loudDecoy ? rng.pick(decoys) : this.real;
    this.suspects = categories.map((category, i) => {
      const t = rendered[category];
      const explained =
        i === this.real
          ? rng.chance(0.55)
            ? failing
            : Math.max(1, failing - 1)
          : rng.intBetween(Math.max(1, Math.floor(failing * 0.3)), failing);
      return {
        category,
        resolution: resolutions[i] as Decision,
        symptom: t.symptom,
        root: t.root,
        resolutionText: t.resolutionText,
        failingTestsExplained: explained,
        loudest: i === loud,
      };
    });

    const fateRng = rng.fork('fates');
    this.fates = categories.map(() => ({
      relevance: [fateRng.next(), fateRng.next()],
      hint: [fateRng.next(), fateRng.next()],
      alt: [fateRng.next(), fateRng.next()],
    }));
    this.reread = { found: fateRng.next(), detail: fateRng.next(), alt: fateRng.next() };
    this.downstream = { accept: fateRng.next(), latent: fateRng.next(), repeat: fateRng.next(), extraIteration: fateRng.next() };
  }

  private get rightDecision(): Decision {
    return (this.suspects[this.real] as Suspect).resolution;
  }

  private requirementsSuspect(): number {
    return this.suspects.findIndex((s) => s.category === 'requirements_misread');
  }

  view(): Record<string, unknown> {
    return {
      task: { title: this.ctx.title, area: this.ctx.area },
      plan: { plannedProgress: this.plannedProgress, daysLeft: this.daysLeft, acceptanceCriteria: this.criteriaTotal },
      tests: { total: this.testsTotal, passing: this.testsPassing, failing: this.testsTotal - this.testsPassing },
      attemptsWithoutProgress: this.attemptsWithoutProgress,
      suspects: this.suspects.map((s, index) => ({
        index,
        category: s.category,
        symptom: s.symptom,
        failingTestsExplained: s.failingTestsExplained,
        loudest: s.loudest,
      })),
      findings: this.findings.map((f) => ({
        action: f.action,
        suspect: f.suspect,
        relevance: f.relevance ?? null,
        resolutionHint: f.resolutionHint ?? null,
        text: f.text,
      })),
      requirementsReread: this.rereads > 0,
      /** Acceptance criteria demonstrably met, known after a reread. */
      criteriaMet: this.rereads > 0 ? this.criteriaMet : null,
      assessments: this.assessments.map((a) => ({ estimate: a.estimate, confidence: a.confidence ?? null })),
      identified: this.identifications.map((i) => ({ suspect: i.suspect, confidence: i.confidence ?? null })),
      investigativeActions: this.investigative,
      hoursSpent: this.hours,
    };
  }

  tokens(): string[] {
    const failRatio = (this.testsTotal - this.testsPassing) / this.testsTotal;
    const out = [
      'task:self_monitoring',
      `plan:p${Math.round(this.plannedProgress * 10)}`,
      `passing:p${Math.min(9, Math.floor((this.testsPassing / this.testsTotal) * 10))}`,
      `failing:p${Math.min(9, Math.floor(failRatio * 10))}`,
      `stuck_attempts:${this.attemptsWithoutProgress}`,
      `days_left:${this.daysLeft}`,
    ];
    const failing = this.testsTotal - this.testsPassing;
    const finding = (f: Finding) => {
      out.push(f.action === 'research' ? `research:s${f.suspect}` : 'reread');
      if (f.relevance) out.push(`relevance:${f.relevance}`);
      if (f.resolutionHint) out.push(`hint:${f.resolutionHint}`);
      if (!f.relevance && !f.resolutionHint) out.push('nothing_new');
    };
    // What a reread measured: the share of acceptance criteria demonstrably met, in tenths; a
    // reread that found no misread suspect stays here, the others go with their suspect.
    if (this.rereads > 0) out.push(`criteria_met:p${Math.min(9, Math.floor((this.criteriaMet / this.criteriaTotal) * 10))}`);
    for (const f of this.findings) if (f.suspect < 0) finding(f);
    // One line per suspect with what was found about it and whether it was named, in place.
    for (let i = 0; i < SUSPECTS; i++) {
      const s = this.suspects[i] as Suspect;
      out.push(`s${i}:${s.category}`, `s${i}:explains_${s.failingTestsExplained >= failing ? 'all' : 'some'}`);
      if (s.loudest) out.push(`s${i}:loudest`);
      for (const f of this.findings) if (f.suspect === i) finding(f);
      for (const n of this.identifications) if (n.suspect === i) out.push(`identified:s${i}`);
    }
    for (const a of this.assessments) out.push(`assessed:${a.estimate}`);
    return out;
  }

  describe(): string {
    const failing = this.testsTotal - this.testsPassing;
    const lines = [
      `You are a senior developer halfway through "${this.ctx.title}". A checkpoint is due: assess progress honestly, investigate what you need, name the real issue, then decide to continue, pivot or escalate.`,
      '',
      `The plan says ${Math.round(this.plannedProgress * 100)}% done with ${this.daysLeft} days left; ${this.criteriaTotal} acceptance criteria.`,
      `Tests: ${this.testsPassing} of ${this.testsTotal} passing (${failing} failing). The last ${this.attemptsWithoutProgress} fix attempt(s) did not reduce the failures.`,
      '',
      'Suspects:',
    ];
    for (let i = 0; i < SUSPECTS; i++) {
      const s = this.suspects[i] as Suspect;
      lines.push(
        `- [${i}] ${s.category.replaceAll('_', ' ')}: ${s.symptom} Could explain ${s.failingTestsExplained} of the ${failing} failing tests.${s.loudest ? ' (loudest in the logs)' : ''}`,
      );
    }
    if (this.findings.length > 0) {
      lines.push('', 'Findings so far:');
      for (const f of this.findings)
        lines.push(`- ${f.action === 'research' ? `research on suspect ${f.suspect}` : 'requirements reread'}: ${f.text}`);
    }
    for (const a of this.assessments) lines.push(`You assessed progress as ${a.estimate.replaceAll('_', ' ')}.`);
    for (const i of this.identifications) lines.push(`You named suspect ${i.suspect} as the real issue.`);
    lines.push(`Investigation so far: ${this.hours} hours.`);
    return lines.join('\n');
  }

  legalActions(): Action[] {
    const out: Action[] = [];
    for (const estimate of ESTIMATES) out.push({ type: 'assess_progress', args: { estimate } });
    for (let suspect = 0; suspect < SUSPECTS; suspect++) out.push({ type: 'identify_issue', args: { suspect } });
    for (let topic = 0; topic < SUSPECTS; topic++) out.push({ type: 'research', args: { topic } });
    out.push(
      { type: 'reread_requirements', args: {} },
      { type: 'checkpoint_continue', args: {} },
      { type: 'checkpoint_pivot', args: {} },
      { type: 'checkpoint_escalate', args: {} },
    );
    return out;
  }

  act(action: Action, step: number): ActionResult {
    switch (action.type) {
      case 'assess_progress': {
        const estimate = action.args?.estimate as Estimate;
        this.hours += HOURS_STATEMENT;
        this.assessments.push(withConfidence({ step, estimate }, action.confidence));
        return { ok: true, response: `The team notes your assessment: ${estimate.replaceAll('_', ' ')}.`, terminal: false };
      }
      case 'identify_issue': {
        const suspect = action.args?.suspect as number;
        this.hours += HOURS_STATEMENT;
        this.identifications.push(withConfidence({ step, suspect }, action.confidence));
        return {
          ok: true,
          response: `You name suspect ${suspect} (${(this.suspects[suspect] as Suspect).category}) as the real issue.`,
          terminal: false,
        };
      }
      case 'research':
        return { ok: true, response: this.research(action.args?.topic as number, step), terminal: false };
      case 'reread_requirements':
        return { ok: true, response: this.rereadRequirements(step), terminal: false };
      case 'checkpoint_continue':
      case 'checkpoint_pivot':
      case 'checkpoint_escalate': {
        this.decision = action.type.slice('checkpoint_'.length) as Decision;
        this.decisionStep = step;
        this.decisionConfidence = action.confidence;
        return { ok: true, response: `Checkpoint decision recorded: ${this.decision}.`, terminal: true };
      }
      default:
        return { ok: false, error: `unknown action ${action.type}` };
    }
  }

  private chargeInvestigation(hours: number): void {
    this.investigative++;
    if (this.investigative > INVESTIGATION_BUDGET) {
      this.excessInvestigation++;
      this.hours += 2 * hours;
    } else this.hours += hours;
  }

  private research(topic: number, step: number): string {
    const s = this.suspects[topic] as Suspect;
    const fate = this.fates[topic] as SuspectFate;
    const attempt = this.researchCount[topic] as number;
    this.researchCount[topic] = attempt + 1;
    this.chargeInvestigation(HOURS_RESEARCH);
    if (attempt >= RESEARCH_DEPTH) {
      const text = 'Nothing new: the same logs and docs as before.';
      this.findings.push({ step, action: 'research', suspect: topic, text });
      return text;
    }
    const isReal = topic === this.real;
    // Research cannot settle what the requirements say: evidence on a misread is weaker (reread it).
    const weakChannel = s.category === 'requirements_misread';
    const r = fate.relevance[attempt] as number;
    const [strongP, weakP] = isReal ? (weakChannel ? [0.35, 0.75] : [0.7, 0.92]) : weakChannel ? [0.08, 0.4] : [0.08, 0.35];
    const relevance: Relevance = r < strongP ? 'strong' : r < weakP ? 'weak' : 'none';
    const hinted = this.hintFor(s.resolution, fate.hint[attempt] as number, fate.alt[attempt] as number);
    if (isReal && relevance === 'strong') this.rootRevealed = true;
    if (isReal && hinted === s.resolution) this.resolutionRevealed = true;
    const evidence =
      relevance === 'strong'
        ? `Strong evidence: ${s.root}`
        : relevance === 'weak'
          ? `Some evidence: part of the failure pattern matches (${s.category.replaceAll('_', ' ')}).`
          : 'No sign that this causes the failing tests.';
    const text = `${evidence} Fixing it: ${s.resolutionText[hinted]}${weakChannel ? ' Rereading the requirements would settle it.' : ''}`;
    this.findings.push({ step, action: 'research', suspect: topic, relevance, resolutionHint: RESOLUTION_HINTS[hinted], text });
    return text;
  }

  private hintFor(truth: Decision, draw: number, alt: number): Decision {
    if (draw < HINT_ACCURACY) return truth;
    const others = DECISIONS.filter((d) => d !== truth);
    return others[alt < 0.5 ? 0 : 1] as Decision;
  }

  private rereadRequirements(step: number): string {
    this.rereads++;
    this.chargeInvestigation(HOURS_REREAD);
    const req = this.requirementsSuspect();
    if (this.rereads > 1) {
      const text = 'Nothing new: the requirements read the same as an hour ago.';
      this.findings.push({ step, action: 'reread_requirements', suspect: req, text });
      return text;
    }
    const criteria = `${this.criteriaMet} of ${this.criteriaTotal} acceptance criteria are demonstrably met.`;
    if (req < 0) {
      const text = `The implementation matches the requirements as written; nothing was misread. ${criteria}`;
      this.findings.push({ step, action: 'reread_requirements', suspect: -1, relevance: 'none', text });
      return text;
    }
    const s = this.suspects[req] as Suspect;
    const isReal = req === this.real;
    const found = isReal ? this.reread.found < REREAD_ACCURACY : this.reread.found >= REREAD_ACCURACY;
    if (!found) {
      const text = `The requirements were read correctly; the acceptance tests match them. ${criteria}`;
      this.findings.push({ step, action: 'reread_requirements', suspect: req, relevance: 'none', text });
      return text;
    }
    const hinted = this.hintFor(s.resolution, this.reread.detail, this.reread.alt);
    if (isReal) this.rootRevealed = true;
    if (isReal && hinted === s.resolution) this.resolutionRevealed = true;
    const text = `Misread found: ${s.root} ${s.resolutionText[hinted]} ${criteria}`;
    this.findings.push({
      step,
      action: 'reread_requirements',
      suspect: req,
      relevance: 'strong',
      resolutionHint: RESOLUTION_HINTS[hinted],
      text,
    });
    return text;
  }

  finish(): EpisodeResult {
    const links: DecisionLink[] = [];
    const right = this.rightDecision;
    const real = this.suspects[this.real] as Suspect;
    const decision = this.decision;
    const lastId = this.identifications[this.identifications.length - 1];
    const identified = lastId !== undefined && lastId.suspect === this.real;
    const wrongId = lastId !== undefined && lastId.suspect !== this.real;
    const budget = this.daysLeft * 6;
    const fate = this.downstream;
    const failing = this.testsTotal - this.testsPassing;
    const passNow = this.testsPassing / this.testsTotal;
    /** Pass fraction if everything but the real issue gets fixed. */
    const passWithIssue = clamp01((this.testsTotal - real.failingTestsExplained) / this.testsTotal);

    // Each wrong suspect named sent the team on a fix attempt that could not work.
    const wrongNamed = new Set(this.identifications.filter((i) => i.suspect !== this.real).map((i) => i.suspect)).size;
    // Each change of the stated estimate makes the team replan twice.
    let estimateChanges = 0;
    for (let i = 1; i < this.assessments.length; i++)
      if (
        (this.assessments[i] as Statement & { estimate: Estimate }).estimate !==
        (this.assessments[i - 1] as { estimate: Estimate }).estimate
      )
        estimateChanges++;

    let lost = this.hours + HOURS_WRONG_FIX * wrongNamed + HOURS_ESTIMATE_CHANGE * estimateChanges;
    let rework = 0;
    let issueLeftInPlace = false;
    let fixLanded = false;
    let repeatedFlaw = false;
    const wrongFix = wrongNamed > 0;
    /** The consequence of the checkpoint decision: hours lost, test-fix iterations, acceptance chance. */
    let c: { hours: number; iterations: number; pAccept: number; testsIfRejected: number; note: string };

    if (decision === undefined) {
      c = {
        hours: 20,
        iterations: 5,
        pAccept: 0,
        testsIfRejected: passNow,
        note: 'no checkpoint decision: the work drifted past the checkpoint',
      };
    } else if (decision === right && decision === 'continue') {
      if (identified) {
        fixLanded = true;
        const iterations = fate.extraIteration < 0.3 ? 2 : 1;
        c = {
          hours: 2 * iterations,
          iterations,
          pAccept: 1,
          testsIfRejected: 1,
          note: 'the fix for the named issue landed; the approach converged',
        };
      } else {
        issueLeftInPlace = true;
        if (wrongId) rework++;
        c =
          fate.latent < 0.65
            ? {
                hours: 10,
                iterations: 3,
                pAccept: 0.8,
                testsIfRejected: passWithIssue,
                note: 'the real issue was found late, after more failed iterations',
              }
            : {
                hours: 18,
                iterations: 5,
                pAccept: 0,
                testsIfRejected: passWithIssue,
                note: 'the real issue stayed in place; the tests it explains still fail',
              };
      }
    } else if (decision === right && decision === 'pivot') {
      rework++;
      if (identified)
        c = { hours: 10, iterations: 2, pAccept: 0.85, testsIfRejected: passNow, note: 'the new approach avoids the named flaw' };
      else if (fate.repeat < 0.5) {
        repeatedFlaw = true;
        c = { hours: 18, iterations: 4, pAccept: 0, testsIfRejected: passNow, note: 'the new approach repeated the unnamed flaw' };
      } else c = { hours: 10, iterations: 3, pAccept: 0.7, testsIfRejected: passNow, note: 'the new approach happened to avoid the flaw' };
    } else if (decision === right) {
      c = identified
        ? { hours: 4, iterations: 2, pAccept: 0.9, testsIfRejected: passNow, note: 'a precise escalation got the blocker cleared quickly' }
        : {
            hours: 12,
            iterations: 3,
            pAccept: 0.5,
            testsIfRejected: passNow,
            note: 'a vague escalation: the expert had to diagnose first',
          };
    } else if (decision === 'continue') {
      c = {
        hours: 20,
        iterations: 5,
        pAccept: 0,
        testsIfRejected: passWithIssue,
        note: right === 'pivot' ? 'continued an approach that cannot converge' : 'continued against an external blocker',
      };
    } else if (decision === 'pivot') {
      rework++;
      c =
        right === 'continue'
          ? { hours: 16, iterations: 4, pAccept: 0.2, testsIfRejected: passNow, note: 'pivoted away from work that was converging' }
          : { hours: 18, iterations: 4, pAccept: 0, testsIfRejected: passNow, note: 'the new approach hit the same external blocker' };
    } else if (right === 'continue') {
      c = identified
        ? {
            hours: 8,
            iterations: 3,
            pAccept: 0.4,
            testsIfRejected: passWithIssue,
            note: 'escalated a named issue the team could fix: the expert confirmed it',
          }
        : {
            hours: 20,
            iterations: 5,
            pAccept: 0.1,
            testsIfRejected: passNow,
            note: 'escalated trivia: the expert had to find what the team could fix',
          };
    } else {
      rework++;
      c = {
        hours: 14,
        iterations: 4,
        pAccept: 0.2,
        testsIfRejected: passNow,
        note: 'escalated; the expert said the approach cannot work, so the pivot came late',
      };
    }
    lost += c.hours;
    const iterations = Math.min(5, c.iterations + wrongNamed);
    const accepted = fate.accept < c.pAccept;
    const testsFinal = accepted ? 1 : c.testsIfRejected;
    const outcomeNote = c.note;

    // The last assessment against the true state: the team replans from it.
    const lastAssessment = this.assessments[this.assessments.length - 1];
    const assessed = lastAssessment?.estimate;
    const matched = assessed === this.trueState;
    const optimistic = assessed !== undefined && ORDER[assessed] < ORDER[this.trueState];
    const pessimistic = assessed !== undefined && ORDER[assessed] > ORDER[this.trueState];
    let replanned = false;
    if (assessed === undefined) {
      if (this.trueState !== 'on_track') lost += 4;
    } else if (matched) {
      if (this.trueState !== 'on_track') {
        replanned = true;
        lost = Math.max(0, lost - 4);
      }
    } else if (optimistic) lost += 8;
    else lost += 2;

    const velocity = clamp01(1 - lost / budget);
    const coverage = accepted ? 1 : clamp01(testsFinal);
    const components: OutcomeComponents = {
      story_accepted: accepted ? 1 : 0,
      tests_passing: clamp01(testsFinal),
      low_iteration_count: clamp01(1 - (iterations - 1) / 4),
      velocity_maintained: velocity,
      low_rework: clamp01(1 - 0.5 * rework),
      coverage_threshold: coverage >= 0.8 ? 1 : coverage,
    };

    // Links from decisions to outcomes.
    if (decision === undefined) {
      links.push({ step: -1, effect: 'checkpoint_missed', value: -0.3, note: outcomeNote });
    } else {
      links.push({
        step: this.decisionStep,
        effect: decision === right ? 'checkpoint_right' : 'checkpoint_wrong',
        target: decision,
        value: decision === right ? 0.3 : -0.3,
        note: `${decision} when ${right} was right: ${outcomeNote}`,
      });
    }
    if (lastId) {
      links.push({
        step: lastId.step,
        effect: identified ? 'issue_identified' : 'wrong_issue',
        target: `suspect_${lastId.suspect}`,
        value: identified ? (fixLanded ? 0.2 : 0.05) : wrongFix ? -0.1 : -0.02,
        note: identified
          ? `named the real issue: ${real.category}`
          : `named ${(this.suspects[lastId.suspect] as Suspect).category}; the real issue was ${real.category}`,
      });
    }
    if (lastAssessment) {
      links.push({
        step: lastAssessment.step,
        effect: matched ? 'assessment_matched' : optimistic ? 'assessment_optimistic' : 'assessment_pessimistic',
        target: lastAssessment.estimate,
        value: matched ? (replanned ? 0.05 : 0.01) : optimistic ? -0.1 : -0.03,
        note: `assessed ${lastAssessment.estimate}; the true state was ${this.trueState}`,
      });
    }
    let investigationIndex = 0;
    for (const f of this.findings) {
      investigationIndex++;
      if (investigationIndex > INVESTIGATION_BUDGET) {
        links.push({
          step: f.step,
          effect: 'excess_investigation',
          value: -0.03,
          note: `investigative action ${investigationIndex} past ${INVESTIGATION_BUDGET}`,
        });
      } else if (f.suspect === this.real && (f.relevance === 'strong' || f.relevance === 'weak')) {
        links.push({ step: f.step, effect: 'evidence_on_real_issue', target: `suspect_${f.suspect}`, value: 0.02, note: f.text });
      }
    }

    // Calibration (B-30): Brier score over every stated confidence.
    let brierSum = 0;
    let stated = 0;
    const score = (confidence: number | undefined, correct: boolean) => {
      if (confidence === undefined) return;
      stated++;
      brierSum += (confidence - (correct ? 1 : 0)) ** 2;
    };
    for (const a of this.assessments) score(a.confidence, a.estimate === this.trueState);
    for (const i of this.identifications) score(i.confidence, i.suspect === this.real);
    if (decision !== undefined) score(this.decisionConfidence, decision === right);

    const firstStuckStep = this.firstStuckSignal();
    const researched = this.researchCount.reduce((a, b) => a + b, 0);
    const trueGap = gapClass(real.category, right);
    const decidedGap =
      decision === undefined
        ? 'none'
        : decision === 'pivot'
          ? 'wrong_approach'
          : decision === 'escalate'
            ? 'outside_help'
            : 'fixable_in_team';
    const gapRight =
      decision !== undefined &&
      (decision === 'continue'
        ? trueGap === 'researchable' || trueGap === 'fixable_bug'
        : decision === 'pivot'
          ? trueGap === 'wrong_approach'
          : trueGap === 'expert_required' || trueGap === 'external_blocker');
    return {
      facts: {
        decision: decision ?? 'none',
        rightDecision: right,
        decisionRight: decision === right,
        decisionConfidence: this.decisionConfidence ?? -1,
        checkpointMissed: decision === undefined,
        realSuspect: this.real,
        realCategory: real.category,
        identifiedSuspect: lastId?.suspect ?? -1,
        plantedIssueFound: identified,
        identifyConfidence: lastId?.confidence ?? -1,
        identifications: this.identifications.length,
        wrongFixAttempted: wrongFix,
        issueLeftInPlace,
        fixLanded,
        repeatedFlaw,
        trueState: this.trueState,
        assessedState: assessed ?? 'none',
        assessmentMatched: matched,
        assessmentOptimistic: optimistic,
        assessmentPessimistic: pessimistic,
        assessmentConfidence: lastAssessment?.confidence ?? -1,
        assessments: this.assessments.length,
        replanned,
        plannedProgress: this.plannedProgress,
        trueProgress: round3(this.trueProgress),
        progressOverstatement: round3(this.plannedProgress - this.trueProgress),
        confidenceStatements: stated,
        calibrationBrier: stated > 0 ? round3(brierSum / stated) : -1,
        stuckTrue: this.trueState === 'stuck',
        stuckDetected: this.trueState === 'stuck' && firstStuckStep >= 0,
        stuckDetectionStep: firstStuckStep,
        attemptsWithoutProgress: this.attemptsWithoutProgress,
        escalated: decision === 'escalate',
        escalationNeeded: right === 'escalate',
        escalationAppropriate: (decision === 'escalate') === (right === 'escalate') && decision !== undefined,
        unnecessaryEscalation: decision === 'escalate' && right !== 'escalate',
        gapCategory: trueGap,
        gapCategorized: decidedGap,
        gapCategorizationRight: gapRight,
        gapResearched: (this.researchCount[this.real] as number) > 0 || (real.category === 'requirements_misread' && this.rereads > 0),
        requirementsMisread: real.category === 'requirements_misread',
        rereadRequirements: this.rereads > 0,
        researchActions: researched,
        researchedRealSuspect: (this.researchCount[this.real] as number) > 0,
        investigativeActions: this.investigative,
        excessInvestigation: this.excessInvestigation,
        rootCauseRevealed: this.rootRevealed,
        resolutionRevealed: this.resolutionRevealed,
        actionsUsed: this.findings.length + this.assessments.length + this.identifications.length + (decision ? 1 : 0),
        storyAccepted: accepted,
        iterations,
        reworkCount: rework,
        lostHours: Math.round(lost * 10) / 10,
        budgetHours: budget,
        velocityEffect: round3(velocity - 1),
        testsPassingFinal: round3(testsFinal),
        failingTestsAtCheckpoint: failing,
      },
      components,
      links,
    };
  }

  /** Step of the first action that signals "stuck": a stuck assessment, a pivot or an escalation. */
  private firstStuckSignal(): number {
    let first = -1;
    for (const a of this.assessments) if (a.estimate === 'stuck' && (first < 0 || a.step < first)) first = a.step;
    if (this.decision !== undefined && this.decision !== 'continue' && (first < 0 || this.decisionStep < first)) first = this.decisionStep;
    return first;
  }

  hidden(): Record<string, unknown> {
    return {
      realSuspect: this.real,
      realCategory: (this.suspects[this.real] as Suspect).category,
      rootCause: (this.suspects[this.real] as Suspect).root,
      rightDecision: this.rightDecision,
      trueState: this.trueState,
      trueProgress: round3(this.trueProgress),
      plannedProgress: this.plannedProgress,
      criteriaMet: this.criteriaMet,
      suspects: this.suspects.map((s) => ({ category: s.category, resolution: s.resolution, root: s.root })),
    };
  }

  secrets(): Secret[] {
    const real = this.suspects[this.real] as Suspect;
    return [
      { id: 'root_cause', text: real.root, revealed: this.rootRevealed },
      { id: 'resolution', text: real.resolutionText[real.resolution], revealed: this.resolutionRevealed },
      {
        id: 'true_progress',
        text: `The work is truly ${Math.round(this.trueProgress * 100)}% done, not the planned ${Math.round(this.plannedProgress * 100)}%`,
        revealed: false,
      },
      { id: 'right_decision', text: `The right checkpoint decision is ${this.rightDecision}`, revealed: false },
    ];
  }
}

function withConfidence<T extends Statement>(statement: T, confidence: number | undefined): T {
  if (confidence !== undefined) statement.confidence = confidence;
  return statement;
}

const SUSPECT_ARG = { kind: 'int', min: 0, max: SUSPECTS - 1, description: 'index of a suspect in the list' } as const;

export const selfMonitoring: EpisodeWorld = {
  name: 'self_monitoring',
  summary:
    'At a mid-implementation checkpoint: assess progress honestly, investigate the suspects behind the failing tests, name the real issue, then continue, pivot or escalate.',
  actions: {
    assess_progress: {
      description: 'State how the work stands against the plan: on_track, behind or stuck.',
      args: { estimate: { kind: 'enum', values: ESTIMATES, description: 'your assessment of progress' } },
      asserts: true,
    },
    identify_issue: {
      description: 'Name the suspect you believe is the real issue behind the failing tests.',
      args: { suspect: SUSPECT_ARG },
      asserts: true,
    },
    research: {
      description:
        'Investigate one suspect (logs, docs, a quick experiment): evidence on whether it is the cause and what fixing it takes.',
      args: { topic: { ...SUSPECT_ARG, description: 'index of the suspect to investigate' } },
    },
    reread_requirements: {
      description: 'Reread the story and acceptance criteria: was a requirement misread, and how many criteria are really met?',
      args: {},
    },
    checkpoint_continue: {
      description: 'Keep the current approach and fix the issue in place (ends the checkpoint).',
      args: {},
      asserts: true,
    },
    checkpoint_pivot: { description: 'Abandon the current approach for a different one (ends the checkpoint).', args: {}, asserts: true },
    checkpoint_escalate: {
      description: 'Ask for help outside the team: an expert, another team, the team lead (ends the checkpoint).',
      args: {},
      asserts: true,
    },
  },
  maxTurns: 15,
  levers: [
    {
      name: 'identify_before_continue',
      direction: 'up',
      description:
        'When continuing is right, naming the real issue before continuing lets the fix land; continuing without naming it (or after naming the wrong one) leaves the issue in place and burns iterations.',
    },
    {
      name: 'right_checkpoint',
      direction: 'up',
      description:
        'The decision that matches the real issue (continue when fixable, pivot when the approach cannot converge, escalate when blocked or expert-only) finishes the story; a wrong one burns days.',
    },
    {
      name: 'honest_assessment',
      direction: 'up',
      description:
        'An assessment that matches the true state lets the team replan; an optimistic one (on_track when behind or stuck) blows the sprint plan.',
    },
    {
      name: 'escalate_trivia',
      direction: 'down',
      description: 'Escalating an issue the team could fix wastes the expert and the days spent waiting.',
    },
    {
      name: 'excess_investigation',
      direction: 'down',
      description: 'Past four investigative actions each research or reread costs double hours (velocity_maintained falls).',
    },
    {
      name: 'no_checkpoint_decision',
      direction: 'down',
      description: 'Reaching the turn limit without a checkpoint decision lets the work drift: the story is not accepted.',
    },
  ],
  vocabulary: [
    'task:self_monitoring',
    ...[2, 3, 4, 5, 6, 7, 8].map((p) => `plan:p${p}`),
    ...[0, 1, 2, 3, 4, 5, 6, 7, 8, 9].flatMap((p) => [`passing:p${p}`, `failing:p${p}`]),
    ...[0, 1, 2, 3, 4, 5].map((n) => `stuck_attempts:${n}`),
    ...[5, 6, 7, 8].map((n) => `days_left:${n}`),
    ...[0, 1, 2, 3].flatMap((i) => [
      ...ISSUE_CATEGORIES.map((c) => `s${i}:${c}`),
      `s${i}:explains_all`,
      `s${i}:explains_some`,
      `s${i}:loudest`,
      `research:s${i}`,
      `identified:s${i}`,
    ]),
    'reread',
    ...RELEVANCE.map((r) => `relevance:${r}`),
    'nothing_new',
    ...Object.values(RESOLUTION_HINTS).map((h) => `hint:${h}`),
    ...ESTIMATES.map((e) => `assessed:${e}`),
    ...[0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((p) => `criteria_met:p${p}`),
  ],
  create: (rng, options) => new SelfMonitoringEpisode(rng, options),
  fromText(text): Action | undefined {
    const lower = text.toLowerCase();
    if (lower.includes('escalat')) return { type: 'checkpoint_escalate', args: {}, text };
    if (lower.includes('pivot')) return { type: 'checkpoint_pivot', args: {}, text };
    if (lower.includes('continue')) return { type: 'checkpoint_continue', args: {}, text };
    if (lower.includes('reread') || lower.includes('requirements')) return { type: 'reread_requirements', args: {}, text };
    for (const estimate of ESTIMATES)
      if (lower.includes(estimate.replace('_', ' '))) return { type: 'assess_progress', args: { estimate }, text };
    return undefined;
  },
};
