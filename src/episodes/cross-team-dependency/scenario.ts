/**
 * The generated scenario of a cross_team_dependency episode: the story, three other teams with
 * their availability, five architecture areas with their hidden nature, and the pre-drawn fates
 * (per area: analysis cue, search draws and rework; one acceptance draw). Drawn once, in a fixed
 * order, from the episode's seed.
 */

import type { ScenarioOptions } from '../../core/episode.js';
import type { Rng } from '../../core/rng.js';
import type { Domain } from '../../spec/episodes.js';
import { difficultyLevel } from '../common.js';
import { type Category, type Cue, NATURES, type Nature, type RealNature } from './types.js';

/** Architecture areas per episode (the `area` and `target` arguments index them). */
export const AREAS = 5;
/** Other teams per episode (the `team` argument indexes them). */
export const TEAMS = 3;

interface TeamTemplate {
  name: string;
  domain: string;
  service: string;
  areas: readonly { category: Category; touch: string }[];
}

const TEAM_TEMPLATES: readonly TeamTemplate[] = [
  {
    name: 'payments',
    domain: 'charges, refunds and stored cards',
    service: 'payments-api',
    areas: [
      { category: 'integration', touch: 'refund amounts for partial orders' },
      { category: 'security', touch: 'stored card tokens for repeat charges' },
    ],
  },
  {
    name: 'identity',
    domain: 'accounts, roles and tokens',
    service: 'auth-service',
    areas: [
      { category: 'security', touch: 'per-organization roles for the new screens' },
      { category: 'integration', touch: 'service-to-service tokens for the new job' },
    ],
  },
  {
    name: 'data',
    domain: 'the warehouse and shared tables',
    service: 'warehouse',
    areas: [
      { category: 'data', touch: 'the nightly export of order events' },
      { category: 'data', touch: 'the customer segment table' },
    ],
  },
  {
    name: 'notifications',
    domain: 'email, push and webhooks',
    service: 'notify-hub',
    areas: [
      { category: 'integration', touch: 'templated emails on status changes' },
      { category: 'deployment', touch: 'the webhook retry queue' },
    ],
  },
  {
    name: 'platform',
    domain: 'the gateway, runtime and secrets',
    service: 'gateway',
    areas: [
      { category: 'deployment', touch: 'a new route on the API gateway' },
      { category: 'deployment', touch: 'vault secrets for the new worker' },
    ],
  },
  {
    name: 'search',
    domain: 'indexing and queries',
    service: 'search-index',
    areas: [
      { category: 'data', touch: 'reindexing when product fields change' },
      { category: 'integration', touch: 'faceted filters on the new attribute' },
    ],
  },
];

const STORY_TITLES: Record<Domain, string> = {
  crud_api: 'Order amendments API',
  data_pipeline: 'Order events enrichment job',
  ml_service: 'Churn score served at checkout',
  frontend_spa: 'Self-service billing page',
  cli_tool: 'Bulk account import command',
  library: 'Shared pricing client',
  infrastructure: 'Regional failover for the storefront',
};
const DOMAIN_KEYS = Object.keys(STORY_TITLES) as Domain[];

/** The text that states an area's nature (the truth when it matches, a search's wrong report otherwise). */
export function natureText(nature: Nature, team: string, service: string, touch: string): string {
  switch (nature) {
    case 'new_endpoint':
      return `${service} has no endpoint for ${touch}; the ${team} team must add one.`;
    case 'owned_data':
      return `${touch} lives in data the ${team} team owns; only they may change its model.`;
    case 'published_contract':
      return `${service} already publishes a contract for ${touch}; it only needs access and a version bump.`;
    case 'frozen_service':
      return `${service} is frozen for a migration; the ${team} team will not change ${touch} this quarter.`;
    default:
      return `The story can use what ${service} already offers for ${touch}; no change from the ${team} team is needed.`;
  }
}

/** One architecture area the story might touch. */
export interface Area {
  /** Index of the owning team. */
  team: number;
  service: string;
  category: Category;
  touch: string;
  nature: Nature;
  /** Days the owning team needs to build a hard dependency (0 otherwise). */
  buildDays: number;
  truthText: string;
}

/** Another team and its availability. */
export interface Team {
  name: string;
  domain: string;
  /** Hours from now until which a concrete request still fits the team's sprint. */
  cutoffHours: number;
  /** Days to answer a request that arrived before the cut-off. */
  earlyDays: number;
  /** Days until the team's next opening after the cut-off. */
  lateDays: number;
}

/** Pre-drawn fates of one area. */
export interface AreaFate {
  /** Draw of the analysis cue. */
  cue: number;
  /** Per search attempt: right when below the search accuracy. */
  search: number[];
  /** Per search attempt: which wrong nature a wrong search reports. */
  wrong: number[];
  /** A rework happens when below the rework chance of how the area was handled. */
  rework: number;
}

/** Everything drawn at creation. */
export interface Scenario {
  title: string;
  domain: Domain;
  teams: Team[];
  areas: Area[];
  /** Our estimate of the story, in days. */
  ourDays: number;
  /** Days left in the sprint beyond our estimate. */
  slackDays: number;
  fates: AreaFate[];
  /** The review passes when below the acceptance chance. */
  acceptDraw: number;
  /** Chance that a search reports an area's nature right. */
  searchAccuracy: number;
  /** The story analysis's cue per area (shown once the story was analyzed). */
  cues: Cue[];
}

/** Draws a scenario; the order of the draws is part of the seed's meaning. */
export function generateScenario(rng: Rng, options: ScenarioOptions): Scenario {
  const level = difficultyLevel(rng, options.difficulty);
  const domain = options.domain ?? (rng.pick(DOMAIN_KEYS) as Domain);
  const title = STORY_TITLES[domain] ?? 'Order amendments API';
  const picked = rng.shuffle(TEAM_TEMPLATES).slice(0, TEAMS) as TeamTemplate[];
  const teams = picked.map((t): Team => {
    const earlyDays = Math.round(rng.uniform(0, 1) * 2) / 2;
    return {
      name: t.name,
      domain: t.domain,
      cutoffHours: Math.round(rng.uniform(2, 8) * 4) / 4,
      earlyDays,
      lateDays: rng.intBetween(2, 4),
    };
  });
  // One area per team, then two more from the teams' remaining touchpoints.
  const slots: { team: number; a: number }[] = picked.map((_, team) => ({ team, a: rng.int(2) }));
  const rest = rng.shuffle(slots.map((s) => ({ team: s.team, a: 1 - s.a }))).slice(0, AREAS - TEAMS);
  const order = rng.shuffle([...slots, ...rest]);
  // How many are real: difficulty raises the count.
  const realCount = options.difficulty === 'easy' ? 1 : options.difficulty === 'hard' ? rng.intBetween(2, 3) : rng.pick([1, 2, 2, 3]);
  const realIdx = new Set(rng.shuffle([0, 1, 2, 3, 4]).slice(0, realCount));
  const areas = order.map((s, i): Area => {
    const template = (picked[s.team] as TeamTemplate).areas[s.a] as { category: Category; touch: string };
    const team = picked[s.team] as TeamTemplate;
    const nature: Nature = realIdx.has(i) ? (NATURES[rng.weightedIndex([0.35, 0.25, 0.25, 0.15])] as RealNature) : 'not_needed';
    return {
      team: s.team,
      service: team.service,
      category: template.category,
      touch: template.touch,
      nature,
      buildDays: nature === 'new_endpoint' || nature === 'owned_data' ? rng.intBetween(1, 3) : 0,
      truthText: natureText(nature, team.name, team.service, template.touch),
    };
  });
  const ourDays = rng.intBetween(3, 6);
  const slackDays = Math.round(rng.uniform(1.5, 3) * 2) / 2;
  const searchAccuracy = 0.88 - 0.1 * level;
  const fateRng = rng.fork('fates');
  const fates = areas.map(
    (): AreaFate => ({
      cue: fateRng.next(),
      search: [fateRng.next(), fateRng.next()],
      wrong: [fateRng.next(), fateRng.next()],
      rework: fateRng.next(),
    }),
  );
  const acceptDraw = fateRng.next();
  // Analysis cues, drawn up front: a real area reads strong 75..60% (by difficulty).
  const strongReal = 0.75 - 0.15 * level;
  const cues = areas.map((a, i): Cue => {
    const r = (fates[i] as AreaFate).cue;
    if (a.nature !== 'not_needed') return r < strongReal ? 'strong' : r < strongReal + 0.27 ? 'weak' : 'none';
    const strongFalse = 0.15 + 0.05 * level;
    return r < strongFalse ? 'strong' : r < strongFalse + 0.45 ? 'weak' : 'none';
  });
  return { title, domain, teams, areas, ourDays, slackDays, fates, acceptDraw, searchAccuracy, cues };
}
