/**
 * The scenario of a triage episode, drawn once from the seed and the options: the team's project
 * and cards, the disturbance (its type and, from type-specific priors, its true severity, blast
 * radius and owner), the sprint day, the noisy first-impression readings, the sprint's hidden slack
 * and the pre-drawn investigation fates (so two action sequences on one seed meet the same world),
 * with the response that minimizes damage and the audiences that need the assessment.
 */
import type { ScenarioOptions } from '../../core/episode.js';
import type { Rng } from '../../core/rng.js';
import {
  BLAST_RADII,
  type BlastRadius,
  DISTURBANCE_TYPES,
  type DisturbanceType,
  SEVERITIES,
  type Severity,
} from '../../spec/curriculum.js';
import type { Domain } from '../../spec/episodes.js';
import {
  type Area,
  type Audience,
  type CardStatus,
  type Owner,
  RADIUS_RANK,
  type Reading,
  type Readings,
  type Response,
  SEVERITY_RANK,
} from './types.js';

/** Length of the sprint in working days. */
export const SPRINT_LENGTH = 10;

/** Type-specific priors of the hidden truth, and the texts that name the disturbance. */
interface Prior {
  severity: readonly [number, number, number, number];
  radius: readonly [number, number, number];
  outside: number;
  /** What the disturbance is about, given a context. */
  thing: (c: Context) => string;
  /** Who sits outside the team when the cause is beyond reach. */
  outsider: (c: Context) => string;
  title: (c: Context) => string;
}

/** The team's project, by domain: the names the texts use and the cards in progress. */
export interface Context {
  service: string;
  area: string;
  lib: string;
  vendor: string;
  story: string;
  cards: readonly string[];
}

const CONTEXTS: Record<Domain, Context> = {
  crud_api: {
    service: 'orders-api',
    area: 'order history',
    lib: 'ormlite',
    vendor: 'the payments provider',
    story: 'Order history export',
    cards: ['Paginate order history', 'CSV export endpoint', 'Order filters by status', 'Audit log for refunds'],
  },
  data_pipeline: {
    service: 'ingest-worker',
    area: 'daily aggregation',
    lib: 'frameflow',
    vendor: 'the warehouse vendor',
    story: 'Daily revenue rollup',
    cards: ['Backfill March partitions', 'Deduplicate late events', 'Revenue rollup job', 'Schema drift alert'],
  },
  ml_service: {
    service: 'scoring-service',
    area: 'feature store',
    lib: 'tensorkit',
    vendor: 'the GPU cloud provider',
    story: 'Fraud score v2',
    cards: ['Feature freshness check', 'Shadow-mode scoring', 'Model card update', 'Latency budget dashboard'],
  },
  frontend_spa: {
    service: 'web-app',
    area: 'checkout page',
    lib: 'reactive-forms',
    vendor: 'the CDN provider',
    story: 'One-page checkout',
    cards: ['Address autocomplete', 'Checkout error states', 'Promo code field', 'Accessibility pass on forms'],
  },
  cli_tool: {
    service: 'release-cli',
    area: 'config loader',
    lib: 'argparse-plus',
    vendor: 'the package registry',
    story: 'Profiles in the config file',
    cards: ['Profile switching', 'Config validation errors', 'Shell completion', 'Windows path handling'],
  },
  library: {
    service: 'sdk-core',
    area: 'retry module',
    lib: 'httpwire',
    vendor: 'the upstream maintainers',
    story: 'Configurable retries',
    cards: ['Backoff strategies', 'Retry budget', 'Typed errors', 'Changelog and migration note'],
  },
  infrastructure: {
    service: 'deploy-pipeline',
    area: 'staging cluster',
    lib: 'terraform-kit',
    vendor: 'the cloud provider',
    story: 'Blue-green deploys',
    cards: ['Traffic switch script', 'Health-check gates', 'Rollback runbook', 'Cost tags on resources'],
  },
};

const DOMAIN_LIST = Object.keys(CONTEXTS) as Domain[];

const PRIORS: Record<DisturbanceType, Prior> = {
  dependency_breaks: {
    severity: [0.15, 0.35, 0.35, 0.15],
    radius: [0.2, 0.4, 0.4],
    outside: 0.55,
    thing: (c) => `the ${c.lib} upgrade`,
    outsider: (c) => `the ${c.lib} maintainers`,
    title: (c) => `A dependency broke: ${c.lib} changed under ${c.service}`,
  },
  production_incident: {
    severity: [0.05, 0.25, 0.4, 0.3],
    radius: [0.15, 0.35, 0.5],
    outside: 0.3,
    thing: (c) => `${c.service} in production`,
    outsider: (c) => c.vendor,
    title: (c) => `Production incident: ${c.service} misbehaves`,
  },
  flaky_test: {
    severity: [0.45, 0.4, 0.15, 0],
    radius: [0.35, 0.35, 0.3],
    outside: 0.1,
    thing: (c) => `the ${c.area} test suite`,
    outsider: () => 'the CI platform team',
    title: (c) => `Flaky tests in the ${c.area} suite`,
  },
  scope_creep: {
    severity: [0.3, 0.4, 0.25, 0.05],
    radius: [0.2, 0.5, 0.3],
    outside: 0.35,
    thing: (c) => `the extra ${c.area} requests`,
    outsider: () => 'the stakeholders above the product owner',
    title: (c) => `Scope creep: new asks pile onto the ${c.area} work`,
  },
  junior_misunderstanding: {
    severity: [0.4, 0.4, 0.2, 0],
    radius: [0.6, 0.35, 0.05],
    outside: 0,
    thing: (c) => `the ${c.area} card built on a misunderstanding`,
    outsider: () => 'another team',
    title: (c) => `A junior built the ${c.area} card on a misunderstanding`,
  },
  architectural_debt_surfaces: {
    severity: [0.15, 0.35, 0.35, 0.15],
    radius: [0.15, 0.4, 0.45],
    outside: 0.25,
    thing: (c) => `the ${c.area} module`,
    outsider: () => 'the architecture group',
    title: (c) => `Architectural debt surfaces in the ${c.area} module`,
  },
  merge_conflict: {
    severity: [0.5, 0.35, 0.15, 0],
    radius: [0.55, 0.35, 0.1],
    outside: 0.05,
    thing: (c) => `the ${c.area} branch merge`,
    outsider: () => 'the team that owns the other branch',
    title: (c) => `Merge conflict on the ${c.area} branch`,
  },
};

const IMPACT_SYMPTOM: Record<Severity, string> = {
  low: 'A few warnings about {thing}; nobody is blocked yet.',
  medium: 'Some errors around {thing}; a teammate lost part of a morning.',
  high: 'Repeated failures around {thing}; the team channel is busy with it.',
  critical: 'Alarms about {thing}; people ask whether everything is down.',
};
const SPREAD_SYMPTOM: Record<BlastRadius, string> = {
  task: 'Reported on one card so far.',
  story: 'Two cards of the same story mention it.',
  sprint: 'People across the board mention it.',
};
const OWNERSHIP_SYMPTOM: Record<Owner, string> = {
  team: 'The first stack traces point at our own code.',
  outside: 'The first stack traces point at something outside our repository.',
};
const SEVERITY_EVIDENCE: Record<Severity, string> = {
  low: 'cosmetic: no user or teammate is actually blocked',
  medium: 'a real annoyance: work slows down but nothing is broken for users',
  high: 'serious: a user-facing flow or a teammate is blocked',
  critical: 'critical: users are hurt now and the damage grows by the hour',
};
const RADIUS_EVIDENCE: Record<BlastRadius, (c: Context) => string> = {
  task: () => 'only the card in hand',
  story: (c) => `every card of the "${c.story}" story`,
  sprint: () => 'cards across the whole sprint',
};

/** A card in progress on the sprint board. */
export interface Card {
  title: string;
  points: number;
  status: CardStatus;
}

/** Pre-drawn investigation fates per area and attempt. */
export interface Fates {
  /** Accuracy draw per area and attempt. */
  evidence: Record<Area, [number, number]>;
  /** Direction of a wrong finding per area and attempt. */
  direction: Record<Area, [number, number]>;
}

/** The response that minimizes damage (see the module comment). */
export function rightResponse(severity: Severity, radius: BlastRadius, owner: Owner, daysLeft: number): Response {
  const s = SEVERITY_RANK[severity];
  const r = RADIUS_RANK[radius];
  if (owner === 'outside' && s >= 1) return 'escalate';
  if (s === 3 && r === 2) return 'escalate';
  if (s >= 2) return 'fix_now';
  if (s === 1) return r >= 1 && daysLeft >= 3 ? 'fix_now' : 'defer';
  return r === 2 && daysLeft >= 6 ? 'fix_now' : 'defer';
}

/** Who needs the assessment: the team always, the PO beyond the task, the lead on escalation or critical. */
export function neededAudiences(severity: Severity, radius: BlastRadius, right: Response): Audience[] {
  const out: Audience[] = ['team'];
  if (RADIUS_RANK[radius] >= 1) out.push('po');
  if (right === 'escalate' || severity === 'critical') out.push('lead');
  return out;
}

/** The value one step up or down `scale` from `index` (the other way at either end): a wrong reading or finding. */
export function shifted<T>(scale: readonly T[], index: number, up: boolean): T {
  const i = up ? Math.min(scale.length - 1, index + 1) : Math.max(0, index - 1);
  return scale[i === index ? (up ? index - 1 : index + 1) : i] as T;
}

/** Everything drawn from the seed and the options: the public situation and the hidden truth behind it. */
export interface Scenario {
  context: Context;
  type: DisturbanceType;
  severity: Severity;
  radius: BlastRadius;
  owner: Owner;
  /** Day of the sprint the disturbance lands on. */
  day: number;
  daysLeft: number;
  /** The response that minimizes damage. */
  right: Response;
  cards: Card[];
  readings: Readings;
  /** What the disturbance is about, who sits outside the team, and its title (texts). */
  thing: string;
  outsider: string;
  title: string;
  symptomTexts: Record<Area, string>;
  /** Hours the sprint can lose and still keep its goal. */
  slack: number;
  fates: Fates;
}

/** Draws a scenario: the disturbance and its truth first, then the cards, the noisy readings, the slack and the fates. */
export function drawScenario(rng: Rng, options: ScenarioOptions): Scenario {
  const domain = options.domain ?? rng.pick(DOMAIN_LIST);
  const context = CONTEXTS[domain];
  const type = rng.pick(DISTURBANCE_TYPES);
  const prior = PRIORS[type];
  const severity = SEVERITIES[rng.weightedIndex(prior.severity)] as Severity;
  const radius = BLAST_RADII[rng.weightedIndex(prior.radius)] as BlastRadius;
  const owner: Owner = rng.chance(prior.outside) ? 'outside' : 'team';
  const day = rng.intBetween(2, 9);
  const daysLeft = SPRINT_LENGTH - day;
  const right = rightResponse(severity, radius, owner, daysLeft);
  const thing = prior.thing(context);
  const outsider = prior.outsider(context);
  const title = prior.title(context);
  const cards = context.cards.map(
    (cardTitle): Card => ({
      title: cardTitle,
      points: rng.pick([1, 2, 3, 5]),
      status: rng.chance(0.75) ? 'in_progress' : 'review',
    }),
  );

  // Noisy readings: difficulty sets how often the symptoms tell the truth.
  const clarity = options.difficulty === 'easy' ? 0.15 : options.difficulty === 'hard' ? -0.15 : 0;
  const s = SEVERITY_RANK[severity];
  const impact = rng.chance(0.5 + clarity) ? severity : shifted(SEVERITIES, s, s === 0 || (s < 3 && rng.chance(0.65))); // loud reports overstate
  const spread = rng.chance(0.55 + clarity) ? radius : shifted(BLAST_RADII, RADIUS_RANK[radius], rng.chance(0.5));
  const ownership: Owner = rng.chance(0.75 + clarity / 2) ? owner : owner === 'team' ? 'outside' : 'team';
  const readings = { impact, spread, ownership };
  const symptomTexts = {
    impact: IMPACT_SYMPTOM[impact].replace('{thing}', thing),
    spread: SPREAD_SYMPTOM[spread],
    ownership: OWNERSHIP_SYMPTOM[ownership],
  };
  const slack = rng.uniform(4, 14);

  const f = rng.fork('fates');
  const fates: Fates = {
    evidence: { impact: [f.next(), f.next()], spread: [f.next(), f.next()], ownership: [f.next(), f.next()] },
    direction: { impact: [f.next(), f.next()], spread: [f.next(), f.next()], ownership: [f.next(), f.next()] },
  };
  return {
    context,
    type,
    severity,
    radius,
    owner,
    day,
    daysLeft,
    right,
    cards,
    readings,
    thing,
    outsider,
    title,
    symptomTexts,
    slack,
    fates,
  };
}

/** What an investigation of `area` says when it points to `value` (the secret text when `value` is the truth). */
export function evidenceText(scenario: Scenario, area: Area, value: Reading): string {
  switch (area) {
    case 'impact':
      return `Investigation of ${scenario.thing}: the measured impact is ${SEVERITY_EVIDENCE[value as Severity]} (severity ${value}).`;
    case 'spread':
      return `Investigation of ${scenario.thing}: it reaches ${RADIUS_EVIDENCE[value as BlastRadius](scenario.context)} (blast radius ${value}).`;
    default:
      return value === 'outside'
        ? `Investigation of ${scenario.thing}: the cause sits with ${scenario.outsider}, beyond the team's reach.`
        : `Investigation of ${scenario.thing}: the cause is in code the team owns and can change.`;
  }
}
