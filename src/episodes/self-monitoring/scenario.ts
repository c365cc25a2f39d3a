/**
 * The scenario of a self-monitoring episode, drawn once from the seed: the story's context, four
 * suspects with their texts and hidden resolutions, the real issue among them, the true state and
 * progress behind the visible plan and tests, and the pre-drawn fates that decide what research
 * finds and what happens downstream (so two action sequences on one seed meet the same world).
 */
import { clamp } from '../../core/numbers.js';
import type { Rng } from '../../core/rng.js';
import { type Decision, type Estimate, ISSUE_CATEGORIES, type IssueCategory } from './types.js';

/** Suspects per episode (the `topic` and `suspect` arguments index them). */
export const SUSPECTS = 4;

/** The story the checkpoint is about: the names its texts use. */
export interface Context {
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

/** Every context's texts, rendered once at load (`drawScenario` only picks). */
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

/** A candidate explanation of the failing tests, with its hidden resolution. */
export interface Suspect {
  category: IssueCategory;
  resolution: Decision;
  symptom: string;
  root: string;
  resolutionText: Record<Decision, string>;
  failingTestsExplained: number;
  loudest: boolean;
}

/** Pre-drawn research fates of one suspect (one draw per attempt that can find something). */
export interface SuspectFate {
  /** Relevance draw per research attempt. */
  relevance: number[];
  /** Hint accuracy draw per research attempt. */
  hint: number[];
  /** Which wrong resolution a wrong hint names, per attempt. */
  alt: number[];
}

/** Pre-drawn fates of a requirements reread: whether it finds the misread, and the hint it gives. */
export interface RereadFate {
  found: number;
  detail: number;
  alt: number;
}

/** Pre-drawn fates of what happens after the checkpoint decision. */
export interface DownstreamFate {
  /** The story is accepted when `accept` is below the consequence's acceptance chance. */
  accept: number;
  /** An issue left in place is found late when `latent < 0.65`. */
  latent: number;
  /** A pivot without naming the flaw repeats it when `repeat < 0.5`. */
  repeat: number;
  /** A landed fix takes a second iteration when `extraIteration < 0.3`. */
  extraIteration: number;
}

/** Everything drawn from the seed: the public situation and the hidden truth behind it. */
export interface Scenario {
  context: Context;
  suspects: Suspect[];
  /** Index of the real (planted) issue among the suspects. */
  real: number;
  trueState: Estimate;
  /** The plan's progress estimate (visible; overstates the true progress). */
  plannedProgress: number;
  trueProgress: number;
  testsTotal: number;
  testsPassing: number;
  attemptsWithoutProgress: number;
  daysLeft: number;
  criteriaTotal: number;
  /** Acceptance criteria demonstrably met (a noisy measure of the true progress, shown after a reread). */
  criteriaMet: number;
  fates: SuspectFate[];
  reread: RereadFate;
  downstream: DownstreamFate;
}

/** Draws a scenario: the suspects and the real issue first, then the true state, the tests and the fates. */
export function drawScenario(rng: Rng): Scenario {
  const contextIndex = rng.int(CONTEXTS.length);
  const context = CONTEXTS[contextIndex] as Context;
  const rendered = RENDERED[contextIndex] as Record<IssueCategory, RenderedText>;
  const categories = rng.shuffle(ISSUE_CATEGORIES).slice(0, SUSPECTS) as IssueCategory[];
  // Most checkpoint problems are fixable in place: the real issue leans toward those categories.
  const real = rng.weightedIndex(categories.map((c) => REAL_WEIGHT[c]));
  const daysLeft = rng.intBetween(5, 8);
  const plannedProgress = Math.round(rng.uniform(0.45, 0.65) * 20) / 20;

  const resolutions = categories.map((c) => {
    const model = RESOLUTION_MODEL[c];
    return rng.chance(model.pContinue) ? 'continue' : model.otherwise;
  });
  const rightDecision = resolutions[real] as Decision;
  const trueState: Estimate = rightDecision !== 'continue' ? 'stuck' : rng.chance(0.45) ? 'on_track' : 'behind';
  const gap = trueState === 'on_track' ? rng.uniform(0, 0.08) : trueState === 'behind' ? rng.uniform(0.15, 0.3) : rng.uniform(0.2, 0.35);
  const trueProgress = Math.max(0.1, plannedProgress - gap);
  const testsTotal = rng.intBetween(12, 24);
  const passRatio = clamp(trueProgress + rng.normal(0, 0.07), 0.15, 0.9);
  const testsPassing = Math.min(testsTotal - 2, Math.round(testsTotal * passRatio));
  const attemptsWithoutProgress =
    trueState === 'stuck' ? rng.intBetween(2, 5) : trueState === 'behind' ? rng.intBetween(1, 3) : rng.intBetween(0, 2);
  const criteriaTotal = rng.intBetween(4, 8);
  const criteriaMet = clamp(Math.round(criteriaTotal * (trueProgress + rng.normal(0, 0.05))), 0, criteriaTotal);

  const failing = testsTotal - testsPassing;
  const loudDecoy = rng.chance(0.7);
  const decoys = [0, 1, 2, 3].filter((i) => i !== real);
  const loud = loudDecoy ? rng.pick(decoys) : real;
  const suspects = categories.map((category, i) => {
    const t = rendered[category];
    const explained =
      i === real
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
  const fates = categories.map(() => ({
    relevance: [fateRng.next(), fateRng.next()],
    hint: [fateRng.next(), fateRng.next()],
    alt: [fateRng.next(), fateRng.next()],
  }));
  const reread = { found: fateRng.next(), detail: fateRng.next(), alt: fateRng.next() };
  const downstream = { accept: fateRng.next(), latent: fateRng.next(), repeat: fateRng.next(), extraIteration: fateRng.next() };
  return {
    context,
    suspects,
    real,
    trueState,
    plannedProgress,
    trueProgress,
    testsTotal,
    testsPassing,
    attemptsWithoutProgress,
    daysLeft,
    criteriaTotal,
    criteriaMet,
    fates,
    reread,
    downstream,
  };
}
