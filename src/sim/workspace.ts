/**
 * A small simulated repository for the implementation episode (E-1.3).
 *
 * The workspace has 9 to 12 files with realistic paths: the task's entry file (where the acceptance
 * criteria are implemented), a caller of a shared helper (where a planted fault SHOWS), the shared
 * helper itself (where the fault LIVES), a models file, one or two unrelated modules, two test
 * files, a config file, the feature file and sometimes a docs page. Paths, kinds and the feature
 * file are public; the roles of the files (which one holds the fault, which ones matter at all) are
 * hidden truth. Content tables here are static; `buildWorkspace` draws one workspace from an `Rng`.
 */

import type { Rng } from '../core/rng.js';
import type { Domain, Language } from '../spec/episodes.js';

/** What a file visibly is (from its path). */
export const FILE_KINDS = ['source', 'test', 'config', 'docs', 'feature'] as const;
export type FileKind = (typeof FILE_KINDS)[number];

/** What a file is for this task (hidden). */
export type FileRole = 'core' | 'symptom' | 'root' | 'models' | 'unrelated' | 'ac_tests' | 'api_tests' | 'config' | 'docs' | 'feature';

export interface WorkspaceFile {
  path: string;
  kind: FileKind;
  role: FileRole;
}

/** A shared helper that may hold the planted fault. */
export interface HelperSpec {
  /** File stem, e.g. `money`. */
  stem: string;
  /** The helper function, e.g. `round_amount`. */
  fn: string;
  /** What the failing test is about (part of its name), e.g. `totals`. */
  area: string;
  /** The bug, as found when the helper's file is read (hidden until then). */
  bug: string;
  /** What the failing assertion says (visible in the test output). */
  assertion: string;
}

export const HELPERS: readonly HelperSpec[] = [
  {
    stem: 'money',
    fn: 'round_amount',
    area: 'totals',
    bug: 'truncates to whole cents instead of rounding half-even',
    assertion: 'expected total 10.01, got 10.00',
  },
  {
    stem: 'dates',
    fn: 'to_utc',
    area: 'timestamps',
    bug: 'drops the timezone offset and treats local times as UTC',
    assertion: 'expected 2024-03-01T00:00Z, got 2024-02-29T23:00Z',
  },
  {
    stem: 'pagination',
    fn: 'next_cursor',
    area: 'paging',
    bug: 'builds the cursor from the last id before sorting, skipping one row per page',
    assertion: 'expected 20 items on page 2, got 19',
  },
  {
    stem: 'serializer',
    fn: 'to_payload',
    area: 'payload',
    bug: 'omits every falsy field (0, empty string) instead of only missing ones',
    assertion: "KeyError: 'quantity'",
  },
  {
    stem: 'cache',
    fn: 'cache_key',
    area: 'tenant_isolation',
    bug: 'ignores the tenant id when building the key, so tenants share entries',
    assertion: "expected the record of tenant t2, got tenant t1's",
  },
  {
    stem: 'retry',
    fn: 'with_retry',
    area: 'upstream_errors',
    bug: 'swallows the last exception and returns None after the final attempt',
    assertion: "TypeError: 'NoneType' object is not subscriptable",
  },
];

/** The approach the task was planned with, and the alternative a pivot switches to. */
export interface ApproachSpec {
  current: string;
  alternative: string;
  /** Why the current approach cannot converge, when it cannot (hidden until a pivot). */
  reason: string;
  /** What the timeout error says about it (visible in the test output). */
  symptom: string;
}

export const APPROACHES: readonly ApproachSpec[] = [
  {
    current: 'extend the existing query in the service layer',
    alternative: 'a dedicated read model',
    reason: 'the existing query scans the whole table, so the latency criterion can never be met by tuning it',
    symptom: 'slow query',
  },
  {
    current: 'patch the legacy synchronous client',
    alternative: 'the async client already used by other modules',
    reason: 'the legacy client serializes every call, so the batch criterion times out whatever is tuned',
    symptom: 'calls queued behind each other',
  },
  {
    current: 'compute the result on every request',
    alternative: 'precomputing it in the scheduled job',
    reason: 'recomputing per request is too slow on production-sized data however it is optimized',
    symptom: 'per-request recomputation',
  },
  {
    current: 'a regular-expression parser',
    alternative: 'the existing tokenizer',
    reason: 'nested input makes the regular expression backtrack catastrophically, which no pattern tweak removes',
    symptom: 'parser still running',
  },
  {
    current: 'polling the upstream for changes',
    alternative: 'subscribing to the change events',
    reason: 'polling cannot meet the freshness criterion within the upstream rate limit',
    symptom: 'waiting on the next poll',
  },
];

/** External systems whose sandbox can block an integration test. */
export const SYSTEMS = ['billing_service', 'event_bus', 'search_index', 'audit_log', 'notification_service', 'identity_provider'] as const;

const ENTITIES = [
  'invoice',
  'customer',
  'order',
  'subscription',
  'ticket',
  'clickstream event',
  'sensor reading',
  'payment record',
  'shipment',
  'recommendation',
  'fraud score',
  'forecast',
  'classification',
  'checkout form',
  'profile page',
  'search results',
  'dashboard widget',
  'export command',
  'config loader',
  'migration command',
  'status report',
  'parser',
  'retry helper',
  'date formatter',
  'cache wrapper',
  'load balancer',
  'backup job',
  'log shipper',
  'autoscaling policy',
];

const MODULES: Record<Domain, string> = {
  crud_api: 'api',
  data_pipeline: 'pipeline',
  ml_service: 'serving',
  frontend_spa: 'ui',
  cli_tool: 'cli',
  library: 'lib',
  infrastructure: 'ops',
};

const EXTENSIONS: Record<Language, string> = { python: 'py', typescript: 'ts', go: 'go', rust: 'rs' };

const UNRELATED = ['src/auth/session', 'src/reporting/export', 'src/common/logging', 'scripts/seed_data'];

export interface Workspace {
  /** Files in listing order (shuffled, so an index says nothing about the role). */
  files: WorkspaceFile[];
  /** Index of the task's entry file (named in the task card). */
  core: number;
  /** Index of the caller where the planted fault shows. */
  symptom: number;
  /** Index of the helper file where the planted fault lives. */
  root: number;
  models: number;
  acTests: number;
  apiTests: number;
  feature: number;
  /** Entity slug used in names, e.g. `payment_record`. */
  entity: string;
  helper: HelperSpec;
  approach: ApproachSpec;
  system: string;
}

function testPath(language: Language, name: string): string {
  if (language === 'python') return `tests/test_${name}.py`;
  if (language === 'typescript') return `test/${name}.test.ts`;
  if (language === 'go') return `tests/${name}_test.go`;
  return `tests/${name}.rs`;
}

/** `ENTITIES` as slugs, in the same order. */
const ENTITY_SLUGS = ENTITIES.map((entity) => entity.replaceAll(' ', '_'));

/** Slugs of titles seen before (titles come from a finite set of templates; the cache is bounded anyway). */
const slugCache = new Map<string, string>();
const SLUG_CACHE_LIMIT = 4096;

/** The entity a story title is about, as a slug (falls back to `item`). */
export function entitySlug(title: string): string {
  const cached = slugCache.get(title);
  if (cached !== undefined) return cached;
  const lower = title.toLowerCase();
  let slug = 'item';
  for (let i = 0; i < ENTITIES.length; i++)
    if (lower.includes(ENTITIES[i] as string)) {
      slug = ENTITY_SLUGS[i] as string;
      break;
    }
  if (slugCache.size >= SLUG_CACHE_LIMIT) slugCache.clear();
  slugCache.set(title, slug);
  return slug;
}

/** The unrelated modules that can join a workspace whose helper is `stem` (none shares its name). */
const unrelatedCache = new Map<string, readonly string[]>();
function unrelatedFor(stem: string): readonly string[] {
  let list = unrelatedCache.get(stem);
  if (!list) {
    list = UNRELATED.filter((p) => !p.endsWith(`/${stem}`));
    unrelatedCache.set(stem, list);
  }
  return list;
}

/** Draws one workspace for a story of `domain` in `language` about `title`. Deterministic in `rng`. */
export function buildWorkspace(rng: Rng, domain: Domain, language: Language, title: string): Workspace {
  const ext = EXTENSIONS[language];
  const entity = entitySlug(title);
  const module = MODULES[domain];
  const helper = rng.pick(HELPERS);
  const approach = rng.pick(APPROACHES);
  const system = rng.pick(SYSTEMS);
  const list: WorkspaceFile[] = [
    { path: `src/${module}/${entity}_service.${ext}`, kind: 'source', role: 'core' },
    { path: `src/${module}/${entity}_handler.${ext}`, kind: 'source', role: 'symptom' },
    { path: `src/common/${helper.stem}.${ext}`, kind: 'source', role: 'root' },
    { path: `src/${module}/models.${ext}`, kind: 'source', role: 'models' },
    { path: testPath(language, `${entity}_service`), kind: 'test', role: 'ac_tests' },
    { path: testPath(language, `${entity}_api`), kind: 'test', role: 'api_tests' },
    { path: 'config/settings.yaml', kind: 'config', role: 'config' },
    { path: `features/${entity}.feature`, kind: 'feature', role: 'feature' },
  ];
  const unrelated = rng.sample(unrelatedFor(helper.stem), rng.intBetween(1, 2));
  for (const p of unrelated) list.push({ path: `${p}.${ext}`, kind: 'source', role: 'unrelated' });
  if (rng.chance(0.7)) list.push({ path: `docs/${module}.md`, kind: 'docs', role: 'docs' });
  else list.push({ path: 'README.md', kind: 'docs', role: 'docs' });
  if (rng.chance(0.3)) list.push({ path: 'CHANGELOG.md', kind: 'docs', role: 'docs' });
  const files = rng.shuffle(list);
  // Each of these roles has exactly one file.
  let core = -1;
  let symptom = -1;
  let root = -1;
  let models = -1;
  let acTests = -1;
  let apiTests = -1;
  let feature = -1;
  for (let i = 0; i < files.length; i++) {
    const role = (files[i] as WorkspaceFile).role;
    if (role === 'core') core = i;
    else if (role === 'symptom') symptom = i;
    else if (role === 'root') root = i;
    else if (role === 'models') models = i;
    else if (role === 'ac_tests') acTests = i;
    else if (role === 'api_tests') apiTests = i;
    else if (role === 'feature') feature = i;
  }
  return {
    files,
    core,
    symptom,
    root,
    models,
    acTests,
    apiTests,
    feature,
    entity,
    helper,
    approach,
    system,
  };
}

/** Most files a workspace can have (the `file` argument's range is 0 .. MAX_FILES - 1). */
export const MAX_FILES = 12;
