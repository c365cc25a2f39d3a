/**
 * E-3.2 Cross-team dependency: a story with an implicit, unstated dependency on other teams.
 *
 * Visible: the story (our estimate in days, the days left in the sprint), three other teams with
 * their domains, and five architecture areas the story might touch — each owned by one of those
 * teams, with its service, a constraint category (integration, data, security, deployment) and
 * the touchpoint. Nothing says which areas the story really needs.
 *
 * Hidden truth: each area's nature — a real dependency (hard: `new_endpoint`, the owning team must
 * add an API; `owned_data`, the owning team must change data only it may change; soft:
 * `published_contract`, an existing contract only needs access and a version bump;
 * `frozen_service`, the service is frozen and will not change, so we must adapt on our side) or
 * a plausible false one (`not_needed`: what the service already offers suffices). One to three
 * areas are real. Each dependency's build days (hard: 1..3); each team's availability: a
 * planning cut-off (2..8 hours from now) before which a concrete request still fits their
 * sprint (they answer in 0..1 day), after which it waits for their next opening (2..4 days).
 * Pre-drawn fates (per area and attempt: analysis cue, search accuracy and wrong answer; per
 * dependency: rework and discovery; one acceptance draw) make two action sequences on one seed
 * meet the same world.
 *
 * Evidence: `analyze_story` (1 h) reads the story for implicit touchpoints: a cue per area (a
 * real one reads strong 60-75%, a false one strong 15-20%). `search_architecture {area}` (1 h)
 * reports the area's nature, right 80-88% (by difficulty); a wrong report calls a real area not
 * needed or another nature, a false one a published contract; a third search of one area finds
 * nothing new. `communicate_cross_team {team}` (0.5 h) sends the team the dependencies flagged on
 * its areas: it replies exactly (confirms each real one with its nature, clears each false flag at
 * the cost of its time) and says when it can deliver. A contact that carries no flagged area is
 * a hollow heads-up: it reserves nothing.
 *
 * Outcome (on `proceed_without`, or at the turn limit: the story then starts two days late), in
 * days of delay against the sprint slack, plus reworks: see `DEPENDENCY_TABLE` for each
 * (nature, resolution). A team's delay is its early answer when a request naming the dependency
 * reached it before its cut-off, else its late opening. An unflagged hard dependency blocks the
 * pair mid-story (late opening + build days, rework 50%); an unflagged soft one surfaces at
 * integration (1 day, rework 50-60%). A flag without a resolution is handled by its declared kind
 * (hard: sequence the work around the team's delivery; soft: assume it is ready, integrate late
 * and rushed: a day more, rework 40%). A mistyped flag costs half a day (soft
 * declared on a hard one) or a day of needless waiting (hard declared on a soft one, unless
 * mocked or worked around). Each false flag costs a quarter day; a false flag sent to its team
 * costs them half a day; a resolution on a false one builds or waits for nothing (0.5..1 day,
 * and a 10-40% rework: see `FALSE_RESOLUTION`).
 * Analysis hours beyond a 4-hour refinement session count as delay (6 h a day).
 * Components: story_accepted (delay within slack and the review passes: 95/60/30/10% by reworks
 * 0/1/2/3+), tests_passing (1 - 0.3 per rework - 0.2 per late block), low_iteration_count
 * (1 - 0.25 per rework or late block), velocity_maintained (1 - (delay + half the other teams'
 * wasted days) / sprint days), low_rework (1 - 0.5 per rework), coverage_threshold (integration
 * tests: contract-backed resolutions of real dependencies / real dependencies; 1 at >= 0.8).
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
import { difficultyLevel } from '../common.js';

export const NATURES = ['new_endpoint', 'owned_data', 'published_contract', 'frozen_service', 'not_needed'] as const;
export type Nature = (typeof NATURES)[number];
export type RealNature = Exclude<Nature, 'not_needed'>;

export const RESOLUTIONS = ['contract_first', 'mock_and_sequence', 'ask_other_team_to_build', 'workaround'] as const;
export type Resolution = (typeof RESOLUTIONS)[number];

export const DEP_KINDS = ['hard', 'soft'] as const;
export type DepKind = (typeof DEP_KINDS)[number];

export const CATEGORIES = ['integration', 'data', 'security', 'deployment'] as const;
export type Category = (typeof CATEGORIES)[number];

export const CUES = ['strong', 'weak', 'none'] as const;
export type Cue = (typeof CUES)[number];

/** What a search can report about an area. */
export type SearchResult = Nature | 'nothing_new';

/** The kind of each real nature (hard: must wait for the other team; soft: can run in parallel). */
export const NATURE_KIND: Record<RealNature, DepKind> = {
  new_endpoint: 'hard',
  owned_data: 'hard',
  published_contract: 'soft',
  frozen_service: 'soft',
};

/** The best resolution for each real nature. */
export const BEST_RESOLUTION: Record<RealNature, Resolution> = {
  new_endpoint: 'contract_first',
  owned_data: 'ask_other_team_to_build',
  published_contract: 'mock_and_sequence',
  frozen_service: 'workaround',
};

export const AREAS = 5;
export const TEAMS = 3;

const HOURS_ANALYZE = 1;
const HOURS_SEARCH = 1;
const HOURS_FLAG = 0.25;
const HOURS_PROPOSE = 0.25;
const HOURS_COMMUNICATE = 0.5;
const HOURS_PER_DAY = 6;
/** Analysis hours that fit in the usual refinement session; beyond them, hours delay the story. */
const FREE_HOURS = 4;
/** Searches of one area that can still find something new. */
const SEARCH_DEPTH = 2;
/** Days the story starts late when planning never ends (turn limit). */
const NO_START_DAYS = 2;

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

const STORY_TITLES: Record<string, string> = {
  crud_api: 'Order amendments API',
  data_pipeline: 'Order events enrichment job',
  ml_service: 'Churn score served at checkout',
  frontend_spa: 'Self-service billing page',
  cli_tool: 'Bulk account import command',
  library: 'Shared pricing client',
  infrastructure: 'Regional failover for the storefront',
};
const DOMAIN_KEYS = Object.keys(STORY_TITLES);

function natureText(nature: Nature, team: string, service: string, touch: string): string {
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

/**
 * Consequence of each (nature, resolution) for a flagged real dependency. `delay` is in days given
 * the team's delay T, the build days b and the parallel window P (our days - 1); `rework` the
 * chance of a rework; `cross` days of the other team's time spent beyond what was needed;
 * `contract` whether it leaves integration tests behind (contract or mock).
 */
interface Consequence {
  delay: (t: number, b: number, p: number) => number;
  rework: number;
  cross: number;
  contract: number;
}

const wait = (t: number, b: number, p: number, extra = 0) => Math.max(0, t + b + extra - p);

export const DEPENDENCY_TABLE: Record<RealNature, Record<Resolution, Consequence>> = {
  new_endpoint: {
    contract_first: { delay: (t, b, p) => wait(t, b, p), rework: 0.08, cross: 0, contract: 1 },
    ask_other_team_to_build: { delay: (t, b, p) => wait(t, b, p, 1), rework: 0.1, cross: 1, contract: 1 },
    mock_and_sequence: { delay: (t, b, p) => wait(t, b, p), rework: 0.55, cross: 0, contract: 1 },
    workaround: { delay: () => 1.5, rework: 0.6, cross: 0, contract: 0.5 },
  },
  owned_data: {
    ask_other_team_to_build: { delay: (t, b, p) => wait(t, b, p), rework: 0.05, cross: 0, contract: 1 },
    contract_first: { delay: (t, b, p) => wait(t, b, p, 1), rework: 0.3, cross: 0, contract: 1 },
    mock_and_sequence: { delay: (t, b, p) => wait(t, b, p), rework: 0.5, cross: 0, contract: 1 },
    workaround: { delay: () => 1, rework: 0.75, cross: 0, contract: 0.5 },
  },
  published_contract: {
    mock_and_sequence: { delay: () => 0, rework: 0.05, cross: 0, contract: 1 },
    contract_first: { delay: () => 0.5, rework: 0.05, cross: 0.25, contract: 1 },
    ask_other_team_to_build: { delay: (t, _b, p) => wait(t, 1, p, 0.5), rework: 0.1, cross: 1.5, contract: 1 },
    workaround: { delay: () => 0.5, rework: 0.3, cross: 0, contract: 0.5 },
  },
  frozen_service: {
    workaround: { delay: () => 0.5, rework: 0.1, cross: 0, contract: 1 },
    mock_and_sequence: { delay: () => 1, rework: 0.5, cross: 0, contract: 0.5 },
    contract_first: { delay: (t) => t + 1, rework: 0.3, cross: 0.5, contract: 0.5 },
    ask_other_team_to_build: { delay: (t) => t + 1, rework: 0.3, cross: 0.5, contract: 0.5 },
  },
};

/** A flagged real dependency without a resolution, handled by its declared kind. */
function unresolved(nature: RealNature, declared: DepKind, t: number, b: number, p: number): { delay: number; rework: number } {
  if (NATURE_KIND[nature] === 'hard')
    return declared === 'hard' ? { delay: wait(t, b, p), rework: 0.15 } : { delay: wait(t, b, p, 1), rework: 0.4 };
  if (nature === 'frozen_service') return { delay: declared === 'hard' ? 2 : 1, rework: 0.4 };
  return { delay: declared === 'hard' ? 1.5 : 0.5, rework: 0.25 };
}

/** A resolution proposed for an area that is not a dependency: days wasted, other team's days, rework chance. */
const FALSE_RESOLUTION: Record<Resolution, { delay: number; cross: number; rework: number }> = {
  contract_first: { delay: 0.5, cross: 0.5, rework: 0.2 },
  mock_and_sequence: { delay: 0.5, cross: 0, rework: 0.1 },
  ask_other_team_to_build: { delay: 1, cross: 1, rework: 0.3 },
  workaround: { delay: 0.5, cross: 0, rework: 0.4 },
};

const P_ACCEPT_BY_REWORKS = [0.95, 0.6, 0.3, 0.1] as const;

interface Area {
  team: number;
  service: string;
  category: Category;
  touch: string;
  nature: Nature;
  buildDays: number;
  truthText: string;
}

interface Team {
  name: string;
  domain: string;
  cutoffHours: number;
  earlyDays: number;
  lateDays: number;
}

interface AreaFate {
  cue: number;
  search: number[];
  wrong: number[];
  rework: number;
}

interface Finding {
  step: number;
  area: number;
  result: SearchResult;
  text: string;
}

interface Flag {
  step: number;
  area: number;
  kind: DepKind;
  confidence?: number;
  /** Set when the owning team said it is not needed. */
  cleared: boolean;
}

interface Proposal {
  step: number;
  area: number;
  resolution: Resolution;
}

interface Contact {
  step: number;
  team: number;
  hours: number;
  /** Areas flagged (and not cleared) on this team at the time of contact. */
  carried: number[];
  beforeCutoff: boolean;
  text: string;
}

class CrossTeamDependencyEpisode implements Episode {
  private readonly title: string;
  private readonly domain: string;
  private readonly teams: Team[];
  private readonly areas: Area[];
  private readonly ourDays: number;
  private readonly slackDays: number;
  private readonly fates: AreaFate[];
  private readonly acceptDraw: number;
  private readonly searchAccuracy: number;

  private analyzed = 0;
  private readonly repeatedAnalyses: number[] = [];
  private readonly cues: Cue[];
  private readonly findings: Finding[] = [];
  private readonly searches: number[] = [0, 0, 0, 0, 0];
  private readonly flags: (Flag | undefined)[] = [undefined, undefined, undefined, undefined, undefined];
  private readonly flagHistory: Flag[] = [];
  private readonly proposals: (Proposal | undefined)[] = [undefined, undefined, undefined, undefined, undefined];
  private readonly proposalHistory: Proposal[] = [];
  private readonly contacts: Contact[] = [];
  /** The last views of the findings and contacts handed out (shared, never mutated). */
  private findingsView: object[] = [];
  private contactsView: object[] = [];
  /** Hours of the first contact with each team that carried each area (-1: none). */
  private readonly carriedAt: number[] = [-1, -1, -1, -1, -1];
  private readonly carriedStep: number[] = [-1, -1, -1, -1, -1];
  private readonly revealedArea: boolean[] = [false, false, false, false, false];
  private readonly revealedTeam: boolean[] = [false, false, false];
  private hours = 0;
  private proceeded = false;
  private proceedStep = -1;
  private proceedConfidence: number | undefined;

  constructor(rng: Rng, options: ScenarioOptions) {
    const level = difficultyLevel(rng, options.difficulty);
    this.domain = options.domain ?? (rng.pick(DOMAIN_KEYS) as string);
    this.title = STORY_TITLES[this.domain] ?? 'Order amendments API';
    const picked = rng.shuffle(TEAM_TEMPLATES).slice(0, TEAMS) as TeamTemplate[];
    this.teams = picked.map((t) => {
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
    this.areas = order.map((s, i) => {
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
    this.ourDays = rng.intBetween(3, 6);
    this.slackDays = Math.round(rng.uniform(1.5, 3) * 2) / 2;
    this.searchAccuracy = 0.88 - 0.1 * level;
    const fateRng = rng.fork('fates');
    this.fates = this.areas.map(() => ({
      cue: fateRng.next(),
      search: [fateRng.next(), fateRng.next()],
      wrong: [fateRng.next(), fateRng.next()],
      rework: fateRng.next(),
    }));
    this.acceptDraw = fateRng.next();
    // Analysis cues, drawn up front: a real area reads strong 75..60% (by difficulty).
    const strongReal = 0.75 - 0.15 * level;
    this.cues = this.areas.map((a, i) => {
      const r = (this.fates[i] as AreaFate).cue;
      if (a.nature !== 'not_needed') return r < strongReal ? 'strong' : r < strongReal + 0.27 ? 'weak' : 'none';
      const strongFalse = 0.15 + 0.05 * level;
      return r < strongFalse ? 'strong' : r < strongFalse + 0.45 ? 'weak' : 'none';
    });
  }

  private isReal(area: number): boolean {
    return (this.areas[area] as Area).nature !== 'not_needed';
  }

  private teamName(team: number): string {
    return (this.teams[team] as Team).name;
  }

  /** The parts of the view that change only on analysis, built once each (never mutated after). */
  private staticView: { story: object; teams: object[]; areas: object[]; analyzed: boolean } | undefined;

  private buildStatic(): { story: object; teams: object[]; areas: object[]; analyzed: boolean } {
    const analyzed = this.analyzed > 0;
    return {
      story: { title: this.title, domain: this.domain, ourDays: this.ourDays, sprintDaysLeft: this.ourDays + this.slackDays },
      teams: this.teams.map((t, index) => ({ index, name: t.name, domain: t.domain })),
      areas: this.areas.map((a, index) => ({
        index,
        team: a.team,
        service: a.service,
        category: a.category,
        touch: a.touch,
        cue: analyzed ? this.cues[index] : null,
      })),
      analyzed,
    };
  }

  /** The structured view. Long texts (findings, replies) are in `describe()` and the responses. */
  view(): Record<string, unknown> {
    if (this.staticView === undefined || this.staticView.analyzed !== this.analyzed > 0) this.staticView = this.buildStatic();
    const st = this.staticView;
    // Findings and contacts are append-only with fixed entries: their views are rebuilt only when they grow.
    if (this.findingsView.length !== this.findings.length)
      this.findingsView = this.findings.map((f) => ({ area: f.area, result: f.result }));
    if (this.contactsView.length !== this.contacts.length)
      this.contactsView = this.contacts.map((c) => ({ team: c.team, carried: c.carried, beforeCutoff: c.beforeCutoff }));
    const flags: object[] = [];
    const resolutions: object[] = [];
    const confirmed: (Nature | null)[] = [];
    for (let i = 0; i < AREAS; i++) {
      const f = this.flags[i];
      if (f) flags.push({ area: f.area, kind: f.kind, cleared: f.cleared, confidence: f.confidence ?? null });
      const p = this.proposals[i];
      if (p) resolutions.push({ area: p.area, resolution: p.resolution });
      confirmed.push((this.carriedAt[i] as number) >= 0 ? (this.areas[i] as Area).nature : null);
    }
    return {
      story: st.story,
      teams: st.teams,
      areas: st.areas,
      analyzed: st.analyzed,
      findings: this.findingsView,
      flags,
      resolutions,
      communications: this.contactsView,
      /** Per area: the nature the owning team confirmed (null until a contact carried it). */
      confirmed,
      hoursSpent: this.hours,
    };
  }

  tokens(): string[] {
    const out = ['task:cross_team_dependency', `our_days:${this.ourDays}`, `slack:${Math.round(this.slackDays)}`];
    for (let i = 0; i < AREAS; i++) {
      const a = this.areas[i] as Area;
      out.push(`a${i}:team${a.team}`, `a${i}:${a.category}`);
      if (this.analyzed > 0) out.push(`a${i}:cue_${this.cues[i]}`);
      const flag = this.flags[i];
      if (flag) out.push(flag.cleared ? `a${i}:cleared` : `a${i}:flag_${flag.kind}`);
      const p = this.proposals[i];
      if (p) out.push(`a${i}:res_${p.resolution}`);
      if (this.carriedAt[i]! >= 0) out.push(`a${i}:is_${a.nature}`);
    }
    for (const f of this.findings) out.push(`search:a${f.area}`, `found:${f.result}`);
    for (const c of this.contacts)
      out.push(`told:team${c.team}`, c.carried.length === 0 ? 'told:nothing' : c.beforeCutoff ? 'fits:now' : 'fits:later');
    out.push(`hours:n${Math.min(9, Math.floor(this.hours))}`);
    return out;
  }

  describe(): string {
    const lines = [
      `Your team is about to start "${this.title}" (about ${this.ourDays} days of work; ${this.ourDays + this.slackDays} days left in the sprint). The story may depend, without saying so, on other teams. Find the real dependencies, resolve them, tell the teams concerned in time, then proceed.`,
      '',
      'Other teams:',
    ];
    for (let t = 0; t < TEAMS; t++) lines.push(`- [${t}] ${this.teamName(t)}: ${(this.teams[t] as Team).domain}`);
    lines.push('', 'Architecture areas the story might touch:');
    for (let i = 0; i < AREAS; i++) {
      const a = this.areas[i] as Area;
      const cue = this.analyzed > 0 ? ` (story analysis: ${this.cues[i]} signal)` : '';
      lines.push(`- [${i}] ${a.service} (team ${a.team}, ${a.category}): ${a.touch}${cue}`);
    }
    if (this.findings.length > 0) {
      lines.push('', 'Architecture findings:');
      for (const f of this.findings) lines.push(`- area ${f.area}: ${f.text}`);
    }
    const flags = this.flags.filter((f): f is Flag => f !== undefined);
    if (flags.length > 0) {
      lines.push('', 'Flagged dependencies:');
      for (const f of flags) {
        const p = this.proposals[f.area];
        lines.push(
          `- area ${f.area}: ${f.kind}${f.cleared ? ' (cleared by the owning team)' : ''}${p ? `, resolution ${p.resolution}` : ''}`,
        );
      }
    }
    for (const c of this.contacts) lines.push(`You told team ${c.team}: ${c.text}`);
    lines.push(`Hours spent on analysis: ${this.hours}.`);
    return lines.join('\n');
  }

  legalActions(): Action[] {
    const out: Action[] = [{ type: 'analyze_story', args: {} }];
    for (let area = 0; area < AREAS; area++) out.push({ type: 'search_architecture', args: { area } });
    for (let target = 0; target < AREAS; target++) {
      const flag = this.flags[target];
      if (!flag?.cleared)
        for (const kind of DEP_KINDS) if (!flag || flag.kind !== kind) out.push({ type: 'flag_dependency', args: { target, kind } });
      if (flag && !flag.cleared) for (const kind of RESOLUTIONS) out.push({ type: 'propose_resolution', args: { target, kind } });
    }
    for (let team = 0; team < TEAMS; team++) out.push({ type: 'communicate_cross_team', args: { team } });
    out.push({ type: 'proceed_without', args: {} });
    return out;
  }

  act(action: Action, step: number): ActionResult {
    const args = action.args ?? {};
    switch (action.type) {
      case 'analyze_story':
        return { ok: true, response: this.analyze(step), terminal: false };
      case 'search_architecture':
        return { ok: true, response: this.search(args.area as number, step), terminal: false };
      case 'flag_dependency': {
        const target = args.target as number;
        const kind = args.kind as DepKind;
        const current = this.flags[target];
        if (current && !current.cleared && current.kind === kind)
          return {
            ok: false,
            error: `area ${target} is already flagged as a ${kind} dependency; flag it with the other kind to retype it`,
          };
        if (current?.cleared)
          return { ok: false, error: `the owning team already said area ${target} is not needed; it cannot be flagged again` };
        this.hours += HOURS_FLAG;
        const flag: Flag = { step, area: target, kind, cleared: false };
        if (action.confidence !== undefined) flag.confidence = action.confidence;
        this.flags[target] = flag;
        this.flagHistory.push(flag);
        const a = this.areas[target] as Area;
        return { ok: true, response: `Flagged ${a.service} (${a.touch}) as a ${kind} dependency on team ${a.team}.`, terminal: false };
      }
      case 'propose_resolution': {
        const target = args.target as number;
        const resolution = args.kind as Resolution;
        const flag = this.flags[target];
        if (!flag || flag.cleared)
          return { ok: false, error: `area ${target} is not a flagged dependency: flag_dependency it first, then propose a resolution` };
        this.hours += HOURS_PROPOSE;
        const p: Proposal = { step, area: target, resolution };
        this.proposals[target] = p;
        this.proposalHistory.push(p);
        return { ok: true, response: `Proposed ${resolution.replaceAll('_', ' ')} for area ${target}.`, terminal: false };
      }
      case 'communicate_cross_team':
        return { ok: true, response: this.communicate(args.team as number, step), terminal: false };
      case 'proceed_without': {
        this.proceeded = true;
        this.proceedStep = step;
        this.proceedConfidence = action.confidence;
        return { ok: true, response: 'The team starts the story with the dependencies as planned.', terminal: true };
      }
      default:
        return { ok: false, error: `unknown action ${action.type}` };
    }
  }

  private analyze(step: number): string {
    this.analyzed++;
    this.hours += HOURS_ANALYZE;
    if (this.analyzed > 1) {
      this.repeatedAnalyses.push(step);
      return 'Nothing new: the story reads the same as before.';
    }
    const strong: number[] = [];
    const weak: number[] = [];
    for (let i = 0; i < this.cues.length; i++) {
      const c = this.cues[i];
      if (c === 'strong') strong.push(i);
      else if (c === 'weak') weak.push(i);
    }
    return `The story implies strong signals for area(s) [${strong.join(', ')}] and weak ones for [${weak.join(', ')}].`;
  }

  private search(area: number, step: number): string {
    const a = this.areas[area] as Area;
    const fate = this.fates[area] as AreaFate;
    const attempt = this.searches[area] as number;
    this.searches[area] = attempt + 1;
    this.hours += HOURS_SEARCH;
    let result: SearchResult;
    let text: string;
    if (attempt >= SEARCH_DEPTH) {
      result = 'nothing_new';
      text = `Nothing new about ${a.service}: the same diagrams and docs as before.`;
    } else {
      const right = (fate.search[attempt] as number) < this.searchAccuracy;
      if (right) result = a.nature;
      else if (a.nature === 'not_needed') result = 'published_contract';
      else {
        const others = NATURES.filter((n) => n !== a.nature);
        result = others[Math.min(others.length - 1, Math.floor((fate.wrong[attempt] as number) * others.length))] as Nature;
      }
      const team = this.teams[a.team] as Team;
      text = result === a.nature ? a.truthText : natureText(result, team.name, a.service, a.touch);
      if (result === a.nature) this.revealedArea[area] = true;
    }
    this.findings.push({ step, area, result, text });
    return text;
  }

  private communicate(team: number, step: number): string {
    const t = this.teams[team] as Team;
    const beforeCutoff = this.hours <= t.cutoffHours;
    const at = this.hours;
    this.hours += HOURS_COMMUNICATE;
    this.revealedTeam[team] = true;
    const carried: number[] = [];
    const replies: string[] = [];
    for (let i = 0; i < AREAS; i++) {
      const a = this.areas[i] as Area;
      const flag = this.flags[i];
      if (a.team !== team || !flag || flag.cleared) continue;
      carried.push(i);
      if (this.carriedAt[i]! < 0) {
        this.carriedAt[i] = at;
        this.carriedStep[i] = step;
      }
      this.revealedArea[i] = true;
      if (a.nature === 'not_needed') {
        flag.cleared = true;
        replies.push(`area ${i}: ${a.truthText}`);
      } else replies.push(`area ${i} confirmed: ${a.truthText}`);
    }
    let text: string;
    if (carried.length === 0) text = `The ${t.name} team thanks you for the heads-up and asks what you actually need from them.`;
    else {
      const real = carried.filter((i) => this.isReal(i));
      const when =
        real.length === 0
          ? ''
          : beforeCutoff
            ? ` They can fit it into this sprint and answer within ${t.earlyDays} day(s).`
            : ` Their sprint is already planned; the earliest opening is in ${t.lateDays} days.`;
      text = `The ${t.name} team replies: ${replies.join(' ')}${when}`;
    }
    this.contacts.push({ step, team, hours: at, carried, beforeCutoff, text });
    return text;
  }

  /** The team's delay for an area: early answer when a request naming it arrived before the cut-off. */
  private teamDelay(area: number): number {
    const t = this.teams[(this.areas[area] as Area).team] as Team;
    const at = this.carriedAt[area] as number;
    return at >= 0 && at <= t.cutoffHours ? t.earlyDays : t.lateDays;
  }

  finish(): EpisodeResult {
    const links: DecisionLink[] = [];
    const parallel = this.ourDays - 1;
    let delay = Math.max(0, this.hours - FREE_HOURS) / HOURS_PER_DAY + (this.proceeded ? 0 : NO_START_DAYS);
    let cross = 0;
    let reworks = 0;
    let lateBlocks = 0;
    let contractSum = 0;
    let realCount = 0;
    let realFlagged = 0;
    let typedRight = 0;
    let falseFlags = 0;
    let bestResolutions = 0;
    let timely = 0;
    let missedHard = 0;

    for (let i = 0; i < AREAS; i++) {
      const a = this.areas[i] as Area;
      const flag = this.flags[i];
      const p = this.proposals[i];
      const fate = this.fates[i] as AreaFate;
      if (a.nature === 'not_needed') {
        if (!flag) continue;
        // Every false flag (even one later cleared) was declared: the history keeps its decision.
        falseFlags++;
        delay += 0.25;
        if (this.carriedAt[i]! >= 0) cross += 0.5;
        let extra = 0;
        if (p) {
          const waste = FALSE_RESOLUTION[p.resolution];
          extra = waste.delay;
          cross += waste.cross;
          // Building against a need that does not exist bends our code the wrong way.
          if (fate.rework < waste.rework) reworks++;
        } else if (!flag.cleared) extra = flag.kind === 'hard' ? 1 : 0.25;
        delay += extra;
        links.push({
          step: flag.step,
          effect: 'false_dependency',
          target: `area_${i}`,
          value: -round3((0.25 + extra) / 10),
          note: `area ${i} (${a.service}) was not a dependency${flag.cleared ? '; its team cleared it' : ''}`,
        });
        if (p)
          links.push({
            step: p.step,
            effect: 'resolution_on_false_dependency',
            target: `area_${i}`,
            value: -round3(extra / 10),
            note: `${p.resolution} for a dependency that did not exist`,
          });
        continue;
      }
      realCount++;
      const nature = a.nature;
      const kind = NATURE_KIND[nature];
      const t = this.teamDelay(i);
      const b = a.buildDays;
      let d: number;
      let pRework: number;
      let contract = 0;
      if (!flag) {
        if (kind === 'hard') {
          lateBlocks++;
          missedHard++;
          d = (this.teams[a.team] as Team).lateDays + b;
          pRework = 0.5;
        } else {
          d = 1;
          pRework = nature === 'frozen_service' ? 0.6 : 0.5;
        }
        links.push({
          step: -1,
          effect: 'missed_dependency',
          target: `area_${i}`,
          value: -round3(d / 10),
          note: `unflagged ${kind} dependency on ${a.service} (${nature}) surfaced during the work`,
        });
      } else {
        realFlagged++;
        if (flag.kind === kind) typedRight++;
        links.push({
          step: flag.step,
          effect: flag.kind === kind ? 'real_dependency' : 'mistyped_dependency',
          target: `area_${i}`,
          value: flag.kind === kind ? 0.1 : 0.03,
          note: `${a.service}: ${nature} (${kind}), flagged ${flag.kind}`,
        });
        if (p) {
          const c = DEPENDENCY_TABLE[nature][p.resolution];
          d = c.delay(t, b, parallel);
          pRework = c.rework;
          cross += c.cross;
          contract = c.contract;
          // A declared kind that contradicts the truth misleads the plan around the resolution.
          if (flag.kind !== kind)
            d += kind === 'hard' ? 0.5 : p.resolution === 'mock_and_sequence' || p.resolution === 'workaround' ? 0 : 1;
          const best = BEST_RESOLUTION[nature];
          if (p.resolution === best) bestResolutions++;
          const quality = p.resolution === best ? 'resolution_right' : c.rework <= 0.3 ? 'resolution_acceptable' : 'resolution_wrong';
          links.push({
            step: p.step,
            effect: quality,
            target: `area_${i}`,
            value: quality === 'resolution_right' ? 0.1 : quality === 'resolution_acceptable' ? 0.02 : -0.1,
            note: `${p.resolution} for ${nature} (best: ${best})`,
          });
        } else {
          const u = unresolved(nature, flag.kind, t, b, parallel);
          d = u.delay;
          pRework = u.rework;
        }
      }
      if (fate.rework < pRework) reworks++;
      delay += d;
      contractSum += contract;
      // Communication: did a request naming this dependency reach its team before the cut-off?
      const team = this.teams[a.team] as Team;
      const at = this.carriedAt[i] as number;
      if (at >= 0) {
        const early = at <= team.cutoffHours;
        if (early) timely++;
        links.push({
          step: this.carriedStep[i] as number,
          effect: early ? 'timely_communication' : 'late_communication',
          target: `area_${i}`,
          value: early ? round3((team.lateDays - team.earlyDays) / 20) : -0.02,
          note: early
            ? `team ${team.name} told at ${at} h, before its ${team.cutoffHours} h cut-off`
            : `team ${team.name} told at ${at} h, after its ${team.cutoffHours} h cut-off`,
        });
      }
    }
    // Contacts that carried no real dependency: hollow heads-ups or only false flags.
    for (const c of this.contacts)
      if (!c.carried.some((i) => this.isReal(i)))
        links.push({
          step: c.step,
          effect: 'hollow_communication',
          target: `team_${c.team}`,
          value: -0.02,
          note: c.carried.length === 0 ? 'a heads-up with nothing concrete' : 'only dependencies that did not exist',
        });
    // Investigation past what can be learned.
    for (const f of this.findings)
      if (f.result === 'nothing_new')
        links.push({ step: f.step, effect: 'redundant_search', target: `area_${f.area}`, value: -0.02, note: 'nothing new to find' });
      else if (this.isReal(f.area) && f.result === (this.areas[f.area] as Area).nature)
        links.push({ step: f.step, effect: 'evidence_on_real_dependency', target: `area_${f.area}`, value: 0.02, note: f.text });
    for (const step of this.repeatedAnalyses)
      links.push({ step, effect: 'redundant_analysis', value: -0.02, note: 'the story was already analyzed' });
    if (this.proceeded)
      links.push({
        step: this.proceedStep,
        effect: missedHard > 0 ? 'proceeded_with_blockers' : 'proceeded_ready',
        value: missedHard > 0 ? -0.2 : 0.05,
        note: missedHard > 0 ? `${missedHard} hard dependency(ies) left unflagged` : 'every hard dependency known before starting',
      });
    else
      links.push({
        step: -1,
        effect: 'never_proceeded',
        value: -0.2,
        note: `planning never ended: the story started ${NO_START_DAYS} days late`,
      });

    const totalDays = this.ourDays + this.slackDays;
    const onTime = delay <= this.slackDays;
    const pAccept = P_ACCEPT_BY_REWORKS[Math.min(3, reworks)] as number;
    const accepted = onTime && this.acceptDraw < pAccept;
    const coverageShare = realCount > 0 ? contractSum / realCount : 1;
    const coverage = clamp01(coverageShare);
    const components: OutcomeComponents = {
      story_accepted: accepted ? 1 : 0,
      tests_passing: clamp01(1 - 0.3 * reworks - 0.2 * lateBlocks),
      low_iteration_count: clamp01(1 - 0.25 * (reworks + lateBlocks)),
      velocity_maintained: clamp01(1 - (delay + 0.5 * cross) / totalDays),
      low_rework: clamp01(1 - 0.5 * reworks),
      coverage_threshold: coverage >= 0.8 ? 1 : coverage,
    };
    // Calibration of the asserting decisions (flags): a flag is right when the area is real.
    let brierSum = 0;
    let stated = 0;
    for (const f of this.flagHistory)
      if (f.confidence !== undefined) {
        stated++;
        brierSum += (f.confidence - (this.isReal(f.area) ? 1 : 0)) ** 2;
      }
    const hardReal = this.areas.filter((a) => a.nature === 'new_endpoint' || a.nature === 'owned_data').length;
    return {
      facts: {
        proceeded: this.proceeded,
        proceedConfidence: this.proceedConfidence ?? -1,
        analyzed: this.analyzed > 0,
        analyses: this.analyzed,
        searches: this.findings.length,
        realDependencies: realCount,
        hardDependencies: hardReal,
        realFlagged,
        typedRight,
        falseFlags,
        flagsDeclared: this.flagHistory.length,
        missedHard,
        lateBlocks,
        resolutionsProposed: this.proposalHistory.length,
        bestResolutions,
        contacts: this.contacts.length,
        timelyContacts: timely,
        hollowContacts: this.contacts.filter((c) => !c.carried.some((i) => this.isReal(i))).length,
        reworkCount: reworks,
        delayDays: round3(delay),
        slackDays: this.slackDays,
        ourDays: this.ourDays,
        crossTeamDays: round3(cross),
        hoursSpent: this.hours,
        storyAccepted: accepted,
        onTime,
        integrationCoverage: round3(coverageShare),
        confidenceStatements: stated,
        calibrationBrier: stated > 0 ? round3(brierSum / stated) : -1,
      },
      components,
      links,
    };
  }

  hidden(): Record<string, unknown> {
    return {
      areas: this.areas.map((a, index) => ({
        index,
        team: a.team,
        category: a.category,
        nature: a.nature,
        real: a.nature !== 'not_needed',
        kind: a.nature === 'not_needed' ? 'none' : NATURE_KIND[a.nature],
        bestResolution: a.nature === 'not_needed' ? 'none' : BEST_RESOLUTION[a.nature],
        buildDays: a.buildDays,
        cue: this.cues[index],
      })),
      teams: this.teams.map((t, index) => ({
        index,
        name: t.name,
        cutoffHours: t.cutoffHours,
        earlyDays: t.earlyDays,
        lateDays: t.lateDays,
      })),
      ourDays: this.ourDays,
      slackDays: this.slackDays,
    };
  }

  secrets(): Secret[] {
    const out: Secret[] = this.areas.map((a, i) => ({ id: `area_${i}`, text: a.truthText, revealed: this.revealedArea[i] as boolean }));
    for (let t = 0; t < TEAMS; t++) {
      const team = this.teams[t] as Team;
      out.push({
        id: `availability_${t}`,
        text: `The ${team.name} team takes new requests for this sprint until ${team.cutoffHours} hours from now`,
        revealed: this.revealedTeam[t] as boolean,
      });
    }
    return out;
  }
}

const AREA_ARG = { kind: 'int', min: 0, max: AREAS - 1, description: 'index of an architecture area' } as const;

export const crossTeamDependency: EpisodeWorld = {
  name: 'cross_team_dependency',
  summary:
    'Before starting a story, find its unstated dependencies on other teams, tell real ones from plausible false ones, choose how to resolve each, and tell the teams concerned while they can still plan for it.',
  actions: {
    analyze_story: {
      description: 'Read the story for implicit touchpoints: a signal (strong, weak, none) per architecture area.',
      args: {},
    },
    search_architecture: {
      description: 'Look up one area in the architecture docs and service catalog: what the story would need from its team.',
      args: { area: AREA_ARG },
    },
    flag_dependency: {
      description: 'Declare an area a dependency, hard (must wait for the other team) or soft (can run in parallel at some risk).',
      args: {
        target: { ...AREA_ARG, description: 'index of the area to flag' },
        kind: { kind: 'enum', values: DEP_KINDS, description: 'hard or soft' },
      },
      asserts: true,
    },
    propose_resolution: {
      description:
        'Choose how to resolve a flagged dependency: contract_first (agree the interface, build in parallel), mock_and_sequence (mock it, integrate later), ask_other_team_to_build, or workaround (adapt on our side).',
      args: {
        target: { ...AREA_ARG, description: 'index of a flagged area' },
        kind: { kind: 'enum', values: RESOLUTIONS, description: 'the resolution' },
      },
      asserts: true,
    },
    communicate_cross_team: {
      description: 'Contact another team about the dependencies flagged on its areas; it confirms them and says when it can deliver.',
      args: { team: { kind: 'int', min: 0, max: TEAMS - 1, description: 'index of the other team' } },
    },
    proceed_without: {
      description: 'Start the story now with the dependencies as flagged and resolved so far (ends the episode).',
      args: {},
      asserts: true,
    },
  },
  maxTurns: 20,
  levers: [
    {
      name: 'flag_real_dependency',
      direction: 'up',
      description:
        'Flagging a real hard dependency before proceeding avoids the mid-story block (the late opening plus build days, and a likely rework).',
    },
    {
      name: 'false_dependency',
      direction: 'down',
      description:
        'Flagging an area that is not a dependency costs time, and waiting for it or sending it to its team costs more (their time and a serialized wait).',
    },
    {
      name: 'right_resolution',
      direction: 'up',
      description:
        'The resolution that fits the dependency (contract first for a new endpoint, the owning team builds owned data, mock a published contract, work around a frozen service) avoids rework and waiting.',
    },
    {
      name: 'timely_communication',
      direction: 'up',
      description:
        'Contacting the owning team about a flagged dependency before its planning cut-off gets an answer this sprint instead of at its next opening (days of delay).',
    },
    {
      name: 'hollow_communication',
      direction: 'down',
      description:
        'A contact that carries no flagged dependency reserves nothing and costs analysis time; the team still needs a concrete request.',
    },
    {
      name: 'never_proceed',
      direction: 'down',
      description: 'Reaching the turn limit without proceeding starts the story two days late.',
    },
    {
      name: 'mistyped_dependency',
      direction: 'down',
      description:
        'Declaring a hard dependency soft plans no wait for it (a late, rushed integration); declaring a soft one hard serializes the work for nothing.',
    },
  ],
  vocabulary: [
    'task:cross_team_dependency',
    ...[3, 4, 5, 6].map((n) => `our_days:${n}`),
    ...[1, 2, 3].map((n) => `slack:${n}`),
    ...[0, 1, 2, 3, 4].flatMap((i) => [
      ...[0, 1, 2].map((t) => `a${i}:team${t}`),
      ...CATEGORIES.map((c) => `a${i}:${c}`),
      ...CUES.map((c) => `a${i}:cue_${c}`),
      `a${i}:cleared`,
      ...DEP_KINDS.map((k) => `a${i}:flag_${k}`),
      ...RESOLUTIONS.map((r) => `a${i}:res_${r}`),
      ...NATURES.map((n) => `a${i}:is_${n}`),
      `search:a${i}`,
    ]),
    ...[...NATURES, 'nothing_new'].map((n) => `found:${n}`),
    ...[0, 1, 2].map((t) => `told:team${t}`),
    'told:nothing',
    'fits:now',
    'fits:later',
    ...[0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => `hours:n${n}`),
  ],
  create: (rng, options) => new CrossTeamDependencyEpisode(rng, options),
  fromText(text): Action | undefined {
    const lower = text.toLowerCase();
    if (lower.includes('proceed')) return { type: 'proceed_without', args: {}, text };
    if (lower.includes('analy')) return { type: 'analyze_story', args: {}, text };
    return undefined;
  },
};
