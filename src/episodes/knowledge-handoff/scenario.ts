/**
 * The seeded scenario of a knowledge_handoff episode: the system's domain, the departure (3-5
 * working days of 5 handoff hours; easy 5, medium 4, hard 3, otherwise drawn), three receivers (one
 * senior, one mid, one junior) and six knowledge areas with their hidden truth — which 3 or 4 only
 * the candidate holds (easy 3, hard 4), each area's criticality (one unique area is always
 * critical, >= 0.7, and one is a decision of criticality >= 0.3), its nature and the noisy bucket
 * identification reports — plus the pre-drawn fates of every transfer attempt, each decision's
 * relitigation draw and whether an incident takes the last day (30%).
 */
import type { ScenarioOptions } from '../../core/episode.js';
import type { Rng } from '../../core/rng.js';
import { DOMAINS, type Domain } from '../../spec/episodes.js';
import { AREAS, type Area } from './outcome.js';
import { type CriticalityBucket, type MemberSeniority, NATURES, type Nature, SENIORITIES } from './types.js';

/** Receivers (the `member` argument indexes them). */
export const MEMBERS = 3;
/** Handoff hours per working day. */
export const HOURS_PER_DAY = 5;
/** Hours each action takes. */
export const HOURS = {
  inventory: 1.5,
  identify_area: 1,
  document_decision_base: 1.5,
  document_decision_element: 0.5,
  write_documentation: 3,
  schedule_pairing: 4,
  prioritize_handoff: 0.5,
  verify_transfer: 1,
} as const;
const INCIDENT_CHANCE = 0.3;

const AREA_NAMES: Record<Domain, readonly string[]> = {
  crud_api: [
    'order status API',
    'customer search endpoint',
    'rate limiter',
    'audit log tables',
    'soft-delete handling',
    'pagination cursors',
    'tenant isolation',
    'bulk import job',
  ],
  data_pipeline: [
    'nightly ingest DAG',
    'late-data backfill',
    'dedup stage',
    'schema registry',
    'partition layout',
    'vendor feed parser',
    'data quality alerts',
    'warehouse cost controls',
  ],
  ml_service: [
    'feature store sync',
    'model rollout gates',
    'training data sampling',
    'drift monitors',
    'inference cache',
    'label correction flow',
    'GPU node pool',
    'offline evaluation suite',
  ],
  frontend_spa: [
    'design tokens',
    'checkout form state',
    'feature flag wiring',
    'bundle splitting',
    'accessibility audits',
    'i18n loader',
    'error boundary reporting',
    'visual regression suite',
  ],
  cli_tool: [
    'plugin loader',
    'config file migration',
    'release signing',
    'shell completions',
    'telemetry opt-in',
    'update channel',
    'exit code contract',
    'Windows path handling',
  ],
  library: [
    'public API surface',
    'semver policy',
    'deprecation shims',
    'benchmark harness',
    'fuzzing corpus',
    'docs site build',
    'binary compatibility checks',
    'release automation',
  ],
  infrastructure: [
    'Terraform state layout',
    'on-call runbooks',
    'DNS failover',
    'secrets rotation',
    'capacity alerts',
    'database upgrades',
    'CI runner fleet',
    'cost tagging',
  ],
};
const MEMBER_NAMES = ['Ana', 'Ben', 'Chen', 'Dara', 'Eli', 'Farah', 'Goran', 'Hana', 'Ivo', 'Jun'] as const;

/** A receiver of the handoff. */
export interface Member {
  name: string;
  seniority: MemberSeniority;
}

/** Everything drawn from the seed before the first action. */
export interface Scenario {
  domain: Domain;
  days: number;
  budget: number;
  members: Member[];
  areas: Area[];
  incident: boolean;
}

function bucketOf(x: number): CriticalityBucket {
  return x < 0.3 ? 'low' : x < 0.65 ? 'medium' : 'high';
}

/** Draws a scenario; anything `options` leaves open comes from the seed. */
export function generateScenario(rng: Rng, options: ScenarioOptions): Scenario {
  const domain = options.domain ?? rng.pick(DOMAINS);
  const days =
    options.difficulty === 'easy' ? 5 : options.difficulty === 'medium' ? 4 : options.difficulty === 'hard' ? 3 : rng.intBetween(3, 5);
  const budget = days * HOURS_PER_DAY;
  const names = rng.shuffle(AREA_NAMES[domain]).slice(0, AREAS);
  const people = rng.shuffle(MEMBER_NAMES).slice(0, MEMBERS);
  const seniorities = rng.shuffle(SENIORITIES);
  const members = people.map((name, i) => ({ name, seniority: seniorities[i] as MemberSeniority }));

  const uniqueCount = options.difficulty === 'hard' ? 4 : options.difficulty === 'easy' ? 3 : rng.intBetween(3, 4);
  const order = rng.shuffle([0, 1, 2, 3, 4, 5]);
  const uniqueSet = new Set(order.slice(0, uniqueCount));
  const uniqueList = order.slice(0, uniqueCount);
  const critical = uniqueList[0] as number;
  const decisionArea = uniqueList[rng.int(uniqueCount)] as number;

  const fateRng = rng.fork('fates');
  const areas = names.map((name, i): Area => {
    const unique = uniqueSet.has(i);
    // The critical area is >= 0.7; the designated decision is never trivia (B-23 always has a trigger).
    const criticality =
      i === critical
        ? rng.uniform(0.7, 1)
        : i === decisionArea
          ? rng.uniform(0.3, 0.7)
          : unique
            ? rng.uniform(0.05, 0.7)
            : rng.uniform(0.1, 0.9);
    const nature: Nature = i === decisionArea ? 'decision' : (NATURES[rng.weightedIndex([0.35, 0.35, 0.3])] as Nature);
    const noise = rng.normal(0, 0.08);
    const fates = {
      write_documentation: [fateRng.next(), fateRng.next(), fateRng.next()],
      document_decision: [fateRng.next(), fateRng.next(), fateRng.next()],
      schedule_pairing: [fateRng.next(), fateRng.next(), fateRng.next()],
    };
    return {
      name,
      unique,
      criticality,
      nature,
      bucket: bucketOf(criticality + noise),
      fates,
      relitigate: fateRng.next(),
      identified: 0,
      identifiedStep: -1,
      transfers: [],
      verifications: [],
      boost: 0,
      planRank: 0,
      view: undefined,
    };
  });
  return { domain, days, budget, members, areas, incident: fateRng.chance(INCIDENT_CHANCE) };
}
