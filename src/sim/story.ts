/**
 * Backlog and story generator.
 *
 * A story has a readable text (title, user-story sentence, description) and a hidden requirement
 * set across nine dimensions. The description states part of the requirements (fewer as ambiguity
 * rises); some unstated ones are obvious from context (any competent developer handles them, so
 * asking is wasted); the rest are the gaps a senior has to find. Each requirement has an impact on
 * the implementation in [0, 1]: how likely missing it is to produce a defect that review catches.
 */

import type { ScenarioOptions } from '../core/episode.js';
import { round2 } from '../core/numbers.js';
import type { Rng } from '../core/rng.js';
import {
  AMBIGUITY_RANGE,
  CODEBASES,
  type Codebase,
  DOMAINS,
  type Domain,
  LANGUAGES,
  type Language,
  STORY_POINTS,
  type StoryPoints,
  TECHNICAL_DEBT,
  type TechnicalDebt,
} from '../spec/episodes.js';

export const DIMENSIONS = [
  'scope_in',
  'scope_out',
  'performance',
  'integration',
  'security',
  'deployment',
  'data',
  'acceptance',
  'edge_cases',
] as const;
export type Dimension = (typeof DIMENSIONS)[number];

/** Human names of the dimensions, used in prompts and answers. */
export const DIMENSION_LABELS: Record<Dimension, string> = {
  scope_in: 'what is in scope',
  scope_out: 'what is out of scope',
  performance: 'performance',
  integration: 'integration with existing systems',
  security: 'security and compliance',
  deployment: 'deployment and compatibility',
  data: 'data and storage',
  acceptance: 'acceptance criteria',
  edge_cases: 'edge cases',
};

/** The constraint dimensions of B-03 (performance, integration, security, deployment). */
export const CONSTRAINT_DIMENSIONS: readonly Dimension[] = ['performance', 'integration', 'security', 'deployment'];

export interface Requirement {
  id: string;
  dimension: Dimension;
  text: string;
  /** Impact on the implementation, 0..1: the chance that missing it yields a defect caught in review. */
  impact: number;
  /** Stated in the story description. */
  stated: boolean;
  /** Obvious from context: any developer handles it without asking. */
  obvious: boolean;
}

export interface Story {
  id: string;
  domain: Domain;
  language: Language;
  codebase: Codebase;
  technicalDebt: TechnicalDebt;
  points: StoryPoints;
  ambiguity: number;
  title: string;
  /** The user-story sentence. */
  narrative: string;
  /** Description sentences, one per stated requirement. */
  description: string[];
  /** Context hints visible in the story (domain conventions, codebase) per dimension. */
  hints: Dimension[];
  /** Dimensions the context makes obvious (conventions cover them). */
  implied: Dimension[];
  /** The full hidden requirement set (stated ones included). */
  requirements: Requirement[];
}

interface DomainContent {
  role: string;
  entities: readonly string[];
  goals: readonly string[];
  benefit: string;
  /** Prior probability that a story of this domain has a requirement in each dimension. */
  prior: Partial<Record<Dimension, number>>;
  templates: Record<Dimension, readonly string[]>;
}

const COMMON: Record<Dimension, readonly string[]> = {
  scope_in: ['the {entity} must also be editable, not only created', 'bulk operations on {entity} records are part of this story'],
  scope_out: ['historical {entity} records are out of scope for this story', 'the admin view of {entity} is a separate story'],
  performance: ['it must answer in under {ms} ms at the 95th percentile', 'it must sustain {rps} requests per second'],
  integration: ['it must publish an event to the existing {system} on every change', 'it must reuse the existing {system} client'],
  security: ['only users with the {role} role may see {entity} data', 'personal data in {entity} must be masked in logs (GDPR)'],
  deployment: ['it must be backward compatible with the v1 clients still in use', 'it ships behind a feature flag, off by default'],
  data: ['{entity} records must be kept for {days} days, then purged', 'the {entity} schema change needs a zero-downtime migration'],
  acceptance: ['done means the {entity} appears in the weekly report', 'done means QA can reproduce the flow from the staging fixtures'],
  edge_cases: ['an empty {entity} list must show an explanatory message', 'duplicate {entity} submissions must be rejected idempotently'],
};

const DOMAIN_CONTENT: Record<Domain, DomainContent> = {
  crud_api: {
    role: 'API consumer',
    entities: ['invoice', 'customer', 'order', 'subscription', 'ticket'],
    goals: [
      'create and list {entity} records through the REST API',
      'update a {entity} through a PATCH endpoint',
      'search {entity} records by status',
    ],
    benefit: 'client applications can manage {entity} data without manual work',
    prior: {
      scope_in: 0.5,
      scope_out: 0.5,
      performance: 0.45,
      integration: 0.5,
      security: 0.7,
      deployment: 0.5,
      data: 0.6,
      acceptance: 0.6,
      edge_cases: 0.6,
    },
    templates: {
      ...COMMON,
      edge_cases: [
        'pagination must stay stable when {entity} records are inserted concurrently',
        'a deleted {entity} must return 410, not 404',
      ],
    },
  },
  data_pipeline: {
    role: 'data analyst',
    entities: ['clickstream event', 'sensor reading', 'payment record', 'shipment'],
    goals: [
      'ingest {entity} files into the warehouse daily',
      'deduplicate {entity} rows before aggregation',
      'backfill a year of {entity} data',
    ],
    benefit: 'the dashboards built on {entity} data are correct and fresh',
    prior: {
      scope_in: 0.45,
      scope_out: 0.45,
      performance: 0.6,
      integration: 0.55,
      security: 0.45,
      deployment: 0.4,
      data: 0.85,
      acceptance: 0.6,
      edge_cases: 0.65,
    },
    templates: {
      ...COMMON,
      performance: ['the nightly run must finish within {hours} hours on the current cluster', 'it must process {rps} rows per second'],
      edge_cases: [
        'late-arriving {entity} rows up to 3 days old must still be counted',
        'malformed {entity} rows go to a quarantine table, never dropped',
      ],
    },
  },
  ml_service: {
    role: 'product engineer',
    entities: ['recommendation', 'fraud score', 'forecast', 'classification'],
    goals: ['serve {entity} predictions over HTTP', 'retrain the {entity} model weekly', 'log {entity} inputs for drift monitoring'],
    benefit: 'the product can use {entity} results in real time',
    prior: {
      scope_in: 0.45,
      scope_out: 0.5,
      performance: 0.75,
      integration: 0.55,
      security: 0.45,
      deployment: 0.6,
      data: 0.6,
      acceptance: 0.55,
      edge_cases: 0.5,
    },
    templates: {
      ...COMMON,
      deployment: [
        'the new model must run as a shadow deployment for a week first',
        'it must fit the existing 2 GB container memory limit',
      ],
      edge_cases: [
        'unknown categories must fall back to the baseline {entity}',
        'the service must degrade to cached {entity} results when the model times out',
      ],
    },
  },
  frontend_spa: {
    role: 'customer',
    entities: ['checkout form', 'profile page', 'search results', 'dashboard widget'],
    goals: ['redesign the {entity} for mobile', 'add filters to the {entity}', 'show live updates in the {entity}'],
    benefit: 'I can finish my task without friction',
    prior: {
      scope_in: 0.55,
      scope_out: 0.55,
      performance: 0.5,
      integration: 0.45,
      security: 0.35,
      deployment: 0.4,
      data: 0.3,
      acceptance: 0.7,
      edge_cases: 0.65,
    },
    templates: {
      ...COMMON,
      acceptance: [
        'the {entity} must meet WCAG AA contrast and keyboard navigation',
        'the design system components must be used, no custom widgets',
      ],
      edge_cases: ['the {entity} must work offline with a retry banner', 'very long names must not break the {entity} layout'],
    },
  },
  cli_tool: {
    role: 'operator',
    entities: ['export command', 'config loader', 'migration command', 'status report'],
    goals: ['add a {entity} to the CLI', 'make the {entity} scriptable', 'add a dry-run mode to the {entity}'],
    benefit: 'routine operations can be automated',
    prior: {
      scope_in: 0.5,
      scope_out: 0.5,
      performance: 0.3,
      integration: 0.45,
      security: 0.35,
      deployment: 0.55,
      data: 0.4,
      acceptance: 0.6,
      edge_cases: 0.7,
    },
    templates: {
      ...COMMON,
      deployment: [
        'the {entity} must run on the CentOS 7 hosts with glibc 2.17',
        'exit codes must stay compatible with existing cron scripts',
      ],
      edge_cases: [
        'the {entity} must exit non-zero with a clear message on partial failure',
        'output must be machine-readable with --json',
      ],
    },
  },
  library: {
    role: 'library user',
    entities: ['parser', 'retry helper', 'date formatter', 'cache wrapper'],
    goals: ['add a streaming mode to the {entity}', 'make the {entity} configurable per call', 'support async callers in the {entity}'],
    benefit: 'my code stays simple',
    prior: {
      scope_in: 0.5,
      scope_out: 0.5,
      performance: 0.55,
      integration: 0.35,
      security: 0.3,
      deployment: 0.65,
      data: 0.25,
      acceptance: 0.6,
      edge_cases: 0.7,
    },
    templates: {
      ...COMMON,
      deployment: [
        'the public API of the {entity} must stay semver-compatible (no breaking change)',
        'it must still support the oldest maintained runtime',
      ],
      edge_cases: ['the {entity} must handle inputs larger than memory', 'the {entity} must be safe to call from several threads'],
    },
  },
  infrastructure: {
    role: 'platform engineer',
    entities: ['load balancer', 'backup job', 'log shipper', 'autoscaling policy'],
    goals: ['automate the {entity} with Terraform', 'move the {entity} to the new cluster', 'add alerting for the {entity}'],
    benefit: 'operations stay reliable without manual steps',
    prior: {
      scope_in: 0.45,
      scope_out: 0.5,
      performance: 0.55,
      integration: 0.6,
      security: 0.7,
      deployment: 0.75,
      data: 0.45,
      acceptance: 0.5,
      edge_cases: 0.5,
    },
    templates: {
      ...COMMON,
      deployment: [
        'the {entity} change must roll out region by region with a rollback plan',
        'no downtime is allowed during business hours',
      ],
      security: [
        'the {entity} must only be reachable from the private network',
        'all {entity} secrets must come from the vault, never from files',
      ],
    },
  },
};

const SYSTEMS = ['billing service', 'event bus', 'search index', 'audit log', 'notification service'];

/** Hints: what in the visible context makes a dimension likely to matter. */
function contextHints(domain: Domain, codebase: Codebase, debt: TechnicalDebt): Dimension[] {
  const hints = new Set<Dimension>();
  const prior = DOMAIN_CONTENT[domain].prior;
  for (const dim of DIMENSIONS) if ((prior[dim] ?? 0) >= 0.6) hints.add(dim);
  if (codebase !== 'greenfield') hints.add('integration');
  if (codebase === 'large_brownfield') hints.add('deployment');
  if (debt === 'legacy_with_known_issues') hints.add('edge_cases');
  return DIMENSIONS.filter((d) => hints.has(d));
}

/** What a story generator may be told: a scenario's options other than its difficulty. */
export type StoryOptions = Omit<ScenarioOptions, 'difficulty'>;

/** A template split at its placeholders: literal text at even indices, placeholder names at odd. */
const COMPILED = new Map<string, string[]>();

function compile(template: string): string[] {
  let parts = COMPILED.get(template);
  if (parts === undefined) {
    parts = template.split(/\{(\w+)\}/);
    COMPILED.set(template, parts);
  }
  return parts;
}

function fill(template: string, rng: Rng, entity: string, role: string): string {
  if (!template.includes('{')) return template;
  const parts = compile(template);
  let out = parts[0] as string;
  for (let i = 1; i < parts.length; i += 2) out += placeholder(parts[i] as string, rng, entity, role) + parts[i + 1];
  return out;
}

function placeholder(name: string, rng: Rng, entity: string, role: string): string {
  switch (name) {
    case 'entity':
      return entity;
    case 'role':
      return role;
    case 'system':
      return rng.pick(SYSTEMS);
    case 'ms':
      return String(rng.pick(MS));
    case 'rps':
      return String(rng.pick(RPS));
    case 'hours':
      return String(rng.pick(HOURS));
    case 'days':
      return String(rng.pick(DAYS));
    default:
      return name;
  }
}

const MS = [50, 100, 200, 300];
const RPS = [200, 500, 1000, 5000];
const HOURS = [1, 2, 4];
const DAYS = [30, 90, 365];

/**
 * Generates one story with its hidden requirement set. Deterministic in `rng`.
 *
 * Per dimension a requirement exists with the domain prior (raised by context hints); its impact is
 * drawn in [0.15, 0.95]; it is stated with probability `1 - ambiguity`; an unstated one is obvious
 * from context with probability 0.5 when its dimension is implied by the codebase conventions.
 */
export function generateStory(rng: Rng, options: StoryOptions = {}, id = 'S-1'): Story {
  const domain = options.domain ?? rng.pick(DOMAINS);
  const language = options.language ?? rng.pick(LANGUAGES);
  const codebase = options.codebase ?? rng.pick(CODEBASES);
  const technicalDebt = options.technicalDebt ?? rng.pick(TECHNICAL_DEBT);
  const points = options.storyPoints ?? rng.pick(STORY_POINTS);
  const ambiguity = clampAmbiguity(options.ambiguity ?? rng.uniform(AMBIGUITY_RANGE[0], AMBIGUITY_RANGE[1]));
  const content = DOMAIN_CONTENT[domain];
  const entity = rng.pick(content.entities);
  const goal = rng.pick(content.goals).replaceAll('{entity}', entity);
  const hints = contextHints(domain, codebase, technicalDebt);
  // Conventions of an existing codebase make data and acceptance handling obvious more often.
  const implied: Dimension[] = codebase === 'greenfield' ? ['edge_cases'] : ['data', 'acceptance'];

  const requirements: Requirement[] = [];
  for (const dimension of DIMENSIONS) {
    let p = content.prior[dimension] ?? 0.4;
    if (hints.includes(dimension)) p = Math.min(0.95, p + 0.15);
    // Bigger stories carry more requirements.
    p = Math.min(0.95, p * (0.8 + points / 20));
    if (!rng.chance(p)) continue;
    const impact = round2(rng.uniform(0.15, 0.95));
    const stated = rng.chance(1 - ambiguity);
    const obvious = !stated && implied.includes(dimension) && rng.chance(0.5);
    requirements.push({
      id: `R-${requirements.length + 1}`,
      dimension,
      text: fill(rng.pick(content.templates[dimension]), rng, entity, content.role),
      impact: obvious ? round2(impact * 0.3) : impact,
      stated,
      obvious,
    });
  }
  // Every story needs at least one requirement beyond its title.
  if (requirements.length === 0) {
    requirements.push({
      id: 'R-1',
      dimension: 'acceptance',
      text: fill(rng.pick(content.templates.acceptance), rng, entity, content.role),
      impact: round2(rng.uniform(0.3, 0.8)),
      stated: rng.chance(1 - ambiguity),
      obvious: false,
    });
  }

  const title = capitalize(goal);
  const narrative = `As ${/^[aeiou]/i.test(content.role) ? 'an' : 'a'} ${content.role}, I want to ${goal} so that ${content.benefit.replaceAll('{entity}', entity)}.`;
  const description = requirements.filter((r) => r.stated).map((r) => `${capitalize(r.text)}.`);
  return { id, domain, language, codebase, technicalDebt, points, ambiguity, title, narrative, description, hints, implied, requirements };
}

/** The dimensions whose requirements the description states. */
export function statedDimensions(story: Story): Dimension[] {
  const set = new Set(story.requirements.filter((r) => r.stated).map((r) => r.dimension));
  return DIMENSIONS.filter((d) => set.has(d));
}

/** The full readable story text, as the team sees it. */
export function storyText(story: Story): string {
  const lines = [
    `${story.id}: ${story.title} (${story.points} points, ${story.domain}, ${story.language}, ${story.codebase.replaceAll('_', ' ')})`,
    story.narrative,
  ];
  for (const sentence of story.description) lines.push(`- ${sentence}`);
  return lines.join('\n');
}

export function clampAmbiguity(x: number): number {
  return Math.min(AMBIGUITY_RANGE[1], Math.max(AMBIGUITY_RANGE[0], x));
}

function capitalize(text: string): string {
  return text.length === 0 ? text : text[0]?.toUpperCase() + text.slice(1);
}
