/**
 * E-2.1 Triage: mid-sprint, a disturbance lands on the board; rate it, respond in proportion, tell
 * the people who need to know.
 *
 * Visible: the sprint clock (day of a 10-day sprint, days left), the cards in progress, the
 * disturbance's type (one of the seven curriculum disturbance types) and three symptoms, one per
 * area: `impact` (how loud the reports are, a reading on the severity scale), `spread` (who reports
 * it, a reading on the blast-radius scale) and `ownership` (where the logs point: our code or
 * outside). Readings are noisy: the impact reading is right about half the time and, when wrong,
 * leans alarmist (loud reports overstate); spread is right a little more often; ownership 75%.
 *
 * Hidden truth, drawn from type-specific priors: the true severity (low, medium, high, critical),
 * blast radius (task, story, sprint) and owner (team, outside), and from them and the sprint day
 * the response that minimizes damage:
 *   outside owner and severity >= medium -> escalate; critical and sprint-wide -> escalate (the
 *   sprint goal is at risk, the lead must replan and bring hands); high or critical -> fix_now;
 *   medium -> fix_now when it reaches beyond the task and >= 3 days are left, else defer; low ->
 *   fix_now only when sprint-wide with >= 6 days left (a nuisance for the whole sprint), else defer.
 * Pre-drawn fates (per area and attempt) decide what an investigation finds; the sprint's slack
 * hours are drawn up front too. Two action sequences on one seed meet the same world.
 *
 * Actions: `investigate {area}` reveals precise evidence on the area (right 90% per attempt; a
 * third look finds nothing new); 0.5 h each, 1 h past three. `assess_severity {level}` and
 * `assess_blast_radius {radius}` assert the candidate's rating (0.25 h); the last one counts.
 * `communicate {audience, content}` (0.25 h) tells the team, the product owner or the lead the
 * current assessment (needs one), a status (findings so far) or a blocker. `respond_fix_now`,
 * `respond_defer`, `respond_escalate` are terminal: communication therefore happens before the
 * response (a senior announces the assessment and plan, then acts).
 *
 * Outcome (in team hours; all losses are avoidable losses beyond the unavoidable fix work):
 * - the response against the right one gives waste hours, recovery hours, system health and rework
 *   (e.g. deferring what needed a fix lets it fester: live damage for the rest of the sprint plus a
 *   carry-over; fixing what could wait interrupts committed work; fixing what is beyond the team's
 *   reach flails, then escalates late; escalating what the team could fix wastes the lead);
 * - the assessments scope the execution of a fix or escalation: a severity rated too high makes
 *   the team swarm (2 h per step), too low deprioritizes the fix (recovery +2 h per step), none
 *   costs 1.5 h of "how bad is it?"; a blast radius rated too narrow leaves affected cards to break
 *   later (3 h and recovery +2 h per step, one rework), too wide over-scopes the fix (1.5 h per step),
 *   none scopes the fix to the task;
 * - while the disturbance is live it costs rate(severity) x multiplier(radius) team hours per hour,
 *   from the start of triage to recovery, so time spent investigating and rating before responding
 *   costs more on severe ones (messages go out in parallel and do not delay the response);
 * - communication: the team always needs the assessment, the product owner when it reaches beyond
 *   the task, the lead when escalation is right or severity is critical; each one uninformed costs
 *   (team 1.5 h, product owner 2 h and less slack at review, lead 2 h); an assessment communicated
 *   two or more steps above the truth spreads alarm (2.5 h); a blocker announced when there is none
 *   is a false alarm (1 h); repeated messages and more than four cost extra.
 * Components: story_accepted (sprint goal kept: lost hours within the sprint's hidden slack),
 * tests_passing (system health at sprint end), low_iteration_count (1 - (re-triage rounds - 1) / 3,
 * one round per inaccurate or missing rating and one for a wrong response), velocity_maintained
 * (1 - lost / (12 + 2 x days left)), low_rework (1 - 0.5 per rework), coverage_threshold (recovery:
 * 1 - recovery hours / 24).
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
import {
  BLAST_RADII,
  type BlastRadius,
  DISTURBANCE_TYPES,
  type DisturbanceType,
  SEVERITIES,
  type Severity,
} from '../../spec/curriculum.js';
import type { Domain } from '../../spec/episodes.js';
import type { OutcomeComponents } from '../../spec/reward.js';

export const AREAS = ['impact', 'spread', 'ownership'] as const;
export type Area = (typeof AREAS)[number];

export const OWNERS = ['team', 'outside'] as const;
export type Owner = (typeof OWNERS)[number];

export const RESPONSES = ['fix_now', 'defer', 'escalate'] as const;
export type Response = (typeof RESPONSES)[number];

export const AUDIENCES = ['team', 'po', 'lead'] as const;
export type Audience = (typeof AUDIENCES)[number];

export const CONTENTS = ['assessment', 'status', 'blocker'] as const;
export type Content = (typeof CONTENTS)[number];

/** Length of the sprint in working days. */
export const SPRINT_LENGTH = 10;
/** Investigations before each one costs double. */
const INVESTIGATION_BUDGET = 3;
/** Investigations of one area that can still find something. */
const INVESTIGATION_DEPTH = 2;
/** Accuracy of one investigation. */
const EVIDENCE_ACCURACY = 0.9;
const HOURS_INVESTIGATE = 0.5;
const HOURS_STATEMENT = 0.25;
/** Messages before each further one costs extra (meeting overhead, trivia). */
const MESSAGE_BUDGET = 4;

/** Team hours lost per hour while the disturbance is live, by severity rank. */
const RATE = [0, 0.25, 0.75, 1.5] as const;
/** Multiplier of the live damage and of the fix size, by blast-radius rank. */
const MULT = [1, 1.5, 2] as const;
/** Fix hours by severity rank (times the radius multiplier). */
const FIX = [1, 2, 3.5, 5] as const;
/** Damage carried past the sprint when a needed fix is deferred, by severity rank (times MULT). */
const CARRY = [0, 1, 4, 12] as const;
/** Recovery hours are capped here (the score reaches 0). */
const RECOVERY_CAP = 24;

export const SEVERITY_RANK: Record<Severity, number> = { low: 0, medium: 1, high: 2, critical: 3 };
export const RADIUS_RANK: Record<BlastRadius, number> = { task: 0, story: 1, sprint: 2 };

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

interface Context {
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

interface Card {
  title: string;
  points: number;
  status: 'in_progress' | 'review';
}

interface Finding {
  step: number;
  area: Area;
  /** The value the evidence points to (null when nothing new was found). */
  value: string | null;
  correct: boolean;
  text: string;
}

interface Assessment {
  step: number;
  value: string;
  confidence?: number;
}

interface Message {
  step: number;
  audience: Audience;
  content: Content;
  /** The assessment at the time, for `assessment` messages. */
  severity?: Severity;
  radius?: BlastRadius;
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

function shifted<T>(scale: readonly T[], index: number, up: boolean): T {
  const i = up ? Math.min(scale.length - 1, index + 1) : Math.max(0, index - 1);
  return scale[i === index ? (up ? index - 1 : index + 1) : i] as T;
}

interface Fates {
  /** Accuracy draw per area and attempt. */
  evidence: Record<Area, [number, number]>;
  /** Direction of a wrong finding per area and attempt. */
  direction: Record<Area, [number, number]>;
}

class TriageEpisode implements Episode {
  private readonly ctx: Context;
  private readonly type: DisturbanceType;
  private readonly severity: Severity;
  private readonly radius: BlastRadius;
  private readonly owner: Owner;
  private readonly day: number;
  private readonly daysLeft: number;
  private readonly right: Response;
  private readonly cards: Card[];
  private readonly readings: { impact: Severity; spread: BlastRadius; ownership: Owner };
  private readonly thing: string;
  private readonly outsider: string;
  private readonly title: string;
  private readonly symptomTexts: Record<Area, string>;
  private readonly slack: number;
  private readonly fates: Fates;

  private readonly findings: Finding[] = [];
  private readonly looks: Record<Area, number> = { impact: 0, spread: 0, ownership: 0 };
  private readonly severityAssessments: Assessment[] = [];
  private readonly radiusAssessments: Assessment[] = [];
  private readonly messages: Message[] = [];
  private investigations = 0;
  private excessInvestigation = 0;
  private hours = 0;
  /** Hours of messages (sent while the work goes on: they do not delay the response). */
  private messageHours = 0;
  private response: Response | undefined;
  private responseStep = -1;
  private responseConfidence: number | undefined;
  private revealed: Record<Area, boolean> = { impact: false, spread: false, ownership: false };

  constructor(rng: Rng, options: ScenarioOptions) {
    const domain = options.domain ?? rng.pick(DOMAIN_LIST);
    this.ctx = CONTEXTS[domain];
    this.type = rng.pick(DISTURBANCE_TYPES);
    const prior = PRIORS[this.type];
    this.severity = SEVERITIES[rng.weightedIndex(prior.severity)] as Severity;
    this.radius = BLAST_RADII[rng.weightedIndex(prior.radius)] as BlastRadius;
    this.owner = rng.chance(prior.outside) ? 'outside' : 'team';
    this.day = rng.intBetween(2, 9);
    this.daysLeft = SPRINT_LENGTH - this.day;
    this.right = rightResponse(this.severity, this.radius, this.owner, this.daysLeft);
    this.thing = prior.thing(this.ctx);
    this.outsider = prior.outsider(this.ctx);
    this.title = prior.title(this.ctx);
    this.cards = this.ctx.cards.map((title) => ({
      title,
      points: rng.pick([1, 2, 3, 5]),
      status: rng.chance(0.75) ? 'in_progress' : 'review',
    }));

    // Noisy readings: difficulty sets how often the symptoms tell the truth.
    const clarity = options.difficulty === 'easy' ? 0.15 : options.difficulty === 'hard' ? -0.15 : 0;
    const s = SEVERITY_RANK[this.severity];
    const impact = rng.chance(0.5 + clarity) ? this.severity : shifted(SEVERITIES, s, s === 0 || (s < 3 && rng.chance(0.65))); // loud reports overstate
    const spread = rng.chance(0.55 + clarity) ? this.radius : shifted(BLAST_RADII, RADIUS_RANK[this.radius], rng.chance(0.5));
    const ownership: Owner = rng.chance(0.75 + clarity / 2) ? this.owner : this.owner === 'team' ? 'outside' : 'team';
    this.readings = { impact, spread, ownership };
    this.symptomTexts = {
      impact: IMPACT_SYMPTOM[impact].replace('{thing}', this.thing),
      spread: SPREAD_SYMPTOM[spread],
      ownership: OWNERSHIP_SYMPTOM[ownership],
    };
    this.slack = rng.uniform(4, 14);

    const f = rng.fork('fates');
    this.fates = {
      evidence: { impact: [f.next(), f.next()], spread: [f.next(), f.next()], ownership: [f.next(), f.next()] },
      direction: { impact: [f.next(), f.next()], spread: [f.next(), f.next()], ownership: [f.next(), f.next()] },
    };
  }

  private evidenceText(area: Area, value: string): string {
    switch (area) {
      case 'impact':
        return `Investigation of ${this.thing}: the measured impact is ${SEVERITY_EVIDENCE[value as Severity]} (severity ${value}).`;
      case 'spread':
        return `Investigation of ${this.thing}: it reaches ${RADIUS_EVIDENCE[value as BlastRadius](this.ctx)} (blast radius ${value}).`;
      default:
        return value === 'outside'
          ? `Investigation of ${this.thing}: the cause sits with ${this.outsider}, beyond the team's reach.`
          : `Investigation of ${this.thing}: the cause is in code the team owns and can change.`;
    }
  }

  private lastSeverity(): Severity | undefined {
    return this.severityAssessments[this.severityAssessments.length - 1]?.value as Severity | undefined;
  }

  private lastRadius(): BlastRadius | undefined {
    return this.radiusAssessments[this.radiusAssessments.length - 1]?.value as BlastRadius | undefined;
  }

  view(): Record<string, unknown> {
    return {
      sprint: {
        day: this.day,
        length: SPRINT_LENGTH,
        daysLeft: this.daysLeft,
        story: this.ctx.story,
        cardsInProgress: this.cards.map((c, index) => ({ index, title: c.title, points: c.points, status: c.status })),
      },
      disturbance: { type: this.type, title: this.title },
      symptoms: AREAS.map((area) => ({ area, reading: this.readings[area], text: this.symptomTexts[area] })),
      findings: this.findings.map((f) => ({ area: f.area, value: f.value, text: f.text })),
      assessed: {
        severity: this.lastSeverity() ?? null,
        radius: this.lastRadius() ?? null,
        severityConfidence: this.severityAssessments[this.severityAssessments.length - 1]?.confidence ?? null,
        radiusConfidence: this.radiusAssessments[this.radiusAssessments.length - 1]?.confidence ?? null,
      },
      communications: this.messages.map((m) => ({ audience: m.audience, content: m.content })),
      investigations: this.investigations,
      hoursSpent: this.hours,
    };
  }

  tokens(): string[] {
    const out = [
      'task:triage',
      `disturbance:${this.type}`,
      `days_left:${this.daysLeft}`,
      `reading:impact:${this.readings.impact}`,
      `reading:spread:${this.readings.spread}`,
      `reading:ownership:${this.readings.ownership}`,
    ];
    for (const f of this.findings) out.push(f.value === null ? `found:${f.area}:nothing_new` : `found:${f.area}:${f.value}`);
    const sev = this.lastSeverity();
    const rad = this.lastRadius();
    if (sev) out.push(`assessed:severity:${sev}`);
    if (rad) out.push(`assessed:radius:${rad}`);
    for (const m of this.messages) out.push(`told:${m.audience}:${m.content}`);
    return out;
  }

  describe(): string {
    const lines = [
      `You are a senior developer on day ${this.day} of a ${SPRINT_LENGTH}-day sprint (${this.daysLeft} days left). The team is working on "${this.ctx.story}".`,
      `A disturbance lands: ${this.title}. Triage it: rate its severity (low, medium, high, critical) and blast radius (task, story, sprint), respond in proportion (fix now, defer, escalate) and tell the people who need to know before you act.`,
      '',
      'Cards in progress:',
      ...this.cards.map((c, i) => `- [${i}] ${c.title} (${c.points} points, ${c.status.replace('_', ' ')})`),
      '',
      'Symptoms (first impressions, not measurements):',
      ...AREAS.map((a) => `- ${a}: ${this.symptomTexts[a]}`),
    ];
    if (this.findings.length > 0) {
      lines.push('', 'Findings:');
      for (const f of this.findings) lines.push(`- ${f.area}: ${f.text}`);
    }
    const sev = this.lastSeverity();
    const rad = this.lastRadius();
    if (sev || rad) lines.push('', `Your assessment: severity ${sev ?? 'not rated'}, blast radius ${rad ?? 'not rated'}.`);
    for (const m of this.messages) lines.push(`You told the ${m.audience === 'po' ? 'product owner' : m.audience}: ${m.content}.`);
    lines.push(`Time spent on triage so far: ${this.hours} hours.`);
    return lines.join('\n');
  }

  legalActions(): Action[] {
    const out: Action[] = [];
    for (const area of AREAS) out.push({ type: 'investigate', args: { area } });
    for (const level of SEVERITIES) out.push({ type: 'assess_severity', args: { level } });
    for (const radius of BLAST_RADII) out.push({ type: 'assess_blast_radius', args: { radius } });
    const assessed = this.severityAssessments.length > 0 || this.radiusAssessments.length > 0;
    for (const audience of AUDIENCES)
      for (const content of CONTENTS)
        if (content !== 'assessment' || assessed) out.push({ type: 'communicate', args: { audience, content } });
    out.push({ type: 'respond_fix_now', args: {} }, { type: 'respond_defer', args: {} }, { type: 'respond_escalate', args: {} });
    return out;
  }

  act(action: Action, step: number): ActionResult {
    switch (action.type) {
      case 'investigate':
        return { ok: true, response: this.investigate(action.args?.area as Area, step), terminal: false };
      case 'assess_severity': {
        const level = action.args?.level as Severity;
        this.hours += HOURS_STATEMENT;
        this.severityAssessments.push(withConfidence({ step, value: level }, action.confidence));
        return { ok: true, response: `Severity rated ${level}.`, terminal: false };
      }
      case 'assess_blast_radius': {
        const radius = action.args?.radius as BlastRadius;
        this.hours += HOURS_STATEMENT;
        this.radiusAssessments.push(withConfidence({ step, value: radius }, action.confidence));
        return { ok: true, response: `Blast radius rated ${radius}.`, terminal: false };
      }
      case 'communicate': {
        const audience = action.args?.audience as Audience;
        const content = action.args?.content as Content;
        const sev = this.lastSeverity();
        const rad = this.lastRadius();
        if (content === 'assessment' && !sev && !rad)
          return { ok: false, error: 'there is no assessment to communicate yet: assess_severity or assess_blast_radius first' };
        this.hours += HOURS_STATEMENT;
        this.messageHours += HOURS_STATEMENT;
        const message: Message = { step, audience, content };
        if (content === 'assessment') {
          if (sev) message.severity = sev;
          if (rad) message.radius = rad;
        }
        this.messages.push(message);
        const who = audience === 'po' ? 'The product owner' : audience === 'lead' ? 'The team lead' : 'The team';
        return { ok: true, response: `${who} got your ${content}.`, terminal: false };
      }
      case 'respond_fix_now':
      case 'respond_defer':
      case 'respond_escalate': {
        this.response = action.type.slice('respond_'.length) as Response;
        this.responseStep = step;
        this.responseConfidence = action.confidence;
        const said = {
          fix_now: 'The team starts fixing it now.',
          defer: 'It goes to the backlog for later.',
          escalate: 'You escalate to the team lead.',
        };
        return { ok: true, response: said[this.response], terminal: true };
      }
      default:
        return { ok: false, error: `unknown action ${action.type}` };
    }
  }

  private investigate(area: Area, step: number): string {
    const attempt = this.looks[area];
    this.looks[area] = attempt + 1;
    this.investigations++;
    if (this.investigations > INVESTIGATION_BUDGET) {
      this.excessInvestigation++;
      this.hours += 2 * HOURS_INVESTIGATE;
    } else this.hours += HOURS_INVESTIGATE;
    if (attempt >= INVESTIGATION_DEPTH) {
      const text = `Nothing new on ${area}: the same dashboards and logs as before.`;
      this.findings.push({ step, area, value: null, correct: false, text });
      return text;
    }
    const correct = (this.fates.evidence[area][attempt] as number) < EVIDENCE_ACCURACY;
    const up = (this.fates.direction[area][attempt] as number) < 0.5;
    let value: string;
    if (area === 'impact') value = correct ? this.severity : shifted(SEVERITIES, SEVERITY_RANK[this.severity], up);
    else if (area === 'spread') value = correct ? this.radius : shifted(BLAST_RADII, RADIUS_RANK[this.radius], up);
    else value = correct ? this.owner : this.owner === 'team' ? 'outside' : 'team';
    if (correct) this.revealed[area] = true;
    const text = this.evidenceText(area, value);
    this.findings.push({ step, area, value, correct, text });
    return text;
  }

  finish(): EpisodeResult {
    const links: DecisionLink[] = [];
    const s = SEVERITY_RANK[this.severity];
    const r = RADIUS_RANK[this.radius];
    const mult = MULT[r] as number;
    const live = (RATE[s] as number) * mult;
    const fix = (FIX[s] as number) * mult;
    const right = this.right;
    const given = this.response;
    const daysLeft = this.daysLeft;
    /** Hours from the start of triage to the response (messages go out in parallel). */
    const reaction = this.hours - this.messageHours;
    const festering = live * 2 * daysLeft + (CARRY[s] as number) * mult;

    let waste = 0;
    let recovery = 0;
    let health = 1;
    let rework = 0;
    let note: string;
    if (given === undefined) {
      waste = festering + 2;
      recovery = RECOVERY_CAP;
      health = 0.2;
      rework = 1;
      note = 'no response by the turn limit: the disturbance ran unattended';
    } else if (given === right) {
      note = `${given} was the right response`;
      if (given === 'fix_now') recovery = fix;
      else if (given === 'defer') {
        waste = 0.5;
        health = 0.9;
      } else {
        waste = 1;
        recovery = 4;
      }
    } else if (right === 'fix_now') {
      if (given === 'defer') {
        waste = festering;
        recovery = RECOVERY_CAP;
        health = 0.3;
        rework = 1;
        note = 'deferred a disturbance that needed a fix: it festered';
      } else {
        waste = 3;
        recovery = 3 + fix;
        note = 'escalated what the team could fix: the lead sent it back';
      }
    } else if (right === 'defer') {
      if (given === 'fix_now') {
        waste = fix + 1;
        recovery = fix;
        note = 'fixed now what could wait: committed work was interrupted';
      } else {
        waste = 3;
        recovery = 3;
        health = 0.9;
        note = 'escalated what could wait: the lead lost time on it';
      }
    } else if (given === 'fix_now') {
      waste = 6 + fix / 2;
      recovery = 10;
      health = 0.6;
      rework = 1;
      note = 'fixed in the team what needed escalation: the team flailed, then escalated late';
    } else {
      waste = festering + 2;
      recovery = RECOVERY_CAP;
      health = 0.2;
      rework = 1;
      note = 'deferred what needed escalation: the blocker festered';
    }

    // The assessments scope the execution of a fix or an escalation.
    const assessedSev = this.lastSeverity();
    const assessedRad = this.lastRadius();
    const acting = given === 'fix_now' || given === 'escalate';
    const sevDiff = assessedSev === undefined ? undefined : SEVERITY_RANK[assessedSev] - s;
    const radDiff = assessedRad === undefined ? undefined : RADIUS_RANK[assessedRad] - r;
    let swarm = 0;
    let blindCost = 0;
    if (acting) {
      if (sevDiff === undefined) blindCost += 1.5;
      else if (sevDiff > 0) swarm = 2 * sevDiff;
      else if (sevDiff < 0) recovery += 2 * -sevDiff;
      const narrower = radDiff === undefined ? r : radDiff < 0 ? -radDiff : 0;
      if (narrower > 0) {
        waste += 3 * narrower;
        recovery += 2 * narrower;
        rework += 1;
        health = Math.max(0, health - 0.15 * narrower);
      } else if (radDiff !== undefined && radDiff > 0) waste += 1.5 * radDiff;
    }
    recovery = Math.min(RECOVERY_CAP, recovery + reaction);
    const damage = live * recovery;

    // Communication: who needed the assessment and who got it.
    const needed = neededAudiences(this.severity, this.radius, right);
    const informed = new Set<Audience>();
    const sentKeys = new Set<string>();
    let alarm = false;
    let falseBlockers = 0;
    let redundant = 0;
    let messageCost = 0;
    this.messages.forEach((m, index) => {
      const key = `${m.audience}|${m.content}|${m.severity ?? ''}|${m.radius ?? ''}`;
      const isRedundant = sentKeys.has(key);
      sentKeys.add(key);
      let effect: string;
      let value = 0;
      if (index >= MESSAGE_BUDGET) messageCost += 0.5;
      if (isRedundant) {
        redundant++;
        messageCost += 0.25;
        effect = 'redundant_communication';
        value = -0.02;
      } else if (m.content === 'blocker') {
        if (this.owner === 'outside' && s >= 1) {
          if (m.audience !== 'po') informed.add(m.audience);
          effect = 'blocker_reported';
          value = 0.05;
        } else {
          falseBlockers++;
          effect = 'false_blocker';
          value = -0.05;
        }
      } else if (m.content === 'assessment') {
        const over = m.severity !== undefined && SEVERITY_RANK[m.severity] - s >= 2;
        const under = m.severity !== undefined && s - SEVERITY_RANK[m.severity] >= 2;
        if (over) {
          alarm = true;
          effect = 'alarm_spread';
          value = -0.05;
        } else if (under) {
          effect = 'understated_assessment';
          value = -0.03;
        } else if (!needed.includes(m.audience)) {
          effect = 'unneeded_audience';
          value = -0.01;
        } else {
          effect = informed.has(m.audience) ? 'assessment_updated' : 'informed_stakeholder';
          value = 0.04;
        }
        if (!under) informed.add(m.audience);
      } else {
        // A status report: something to report only once there are findings.
        const hasFindings = this.findings.some((f) => f.step < m.step && f.value !== null);
        if (hasFindings && needed.includes(m.audience)) {
          informed.add(m.audience);
          effect = 'status_shared';
          value = 0.02;
        } else {
          effect = 'trivia_status';
          value = -0.02;
        }
      }
      links.push({ step: m.step, effect, target: `${m.audience}:${m.content}`, value, note: `told the ${m.audience} ${m.content}` });
    });
    let coordination = messageCost + (alarm ? 2.5 : 0) + falseBlockers;
    let slack = this.slack;
    const uninformed: Audience[] = [];
    for (const audience of needed) {
      if (informed.has(audience)) continue;
      // Escalating informs the lead, if coldly.
      if (audience === 'lead' && given === 'escalate') {
        recovery = Math.min(RECOVERY_CAP, recovery + 2);
      } else if (audience === 'team') coordination += 1.5;
      else if (audience === 'po') {
        coordination += 2;
        slack -= 2;
      } else coordination += 2;
      uninformed.push(audience);
      links.push({
        step: -1,
        effect: 'stakeholder_uninformed',
        target: audience,
        value: -0.05,
        note: `the ${audience} needed the assessment and did not get it`,
      });
    }

    const lost = this.hours + waste + swarm + blindCost + damage + coordination;
    const goalKept = given !== undefined && lost <= slack;
    const sevMiss = sevDiff !== 0;
    const radMiss = radDiff !== 0;
    const responseWrong = given !== right;
    const iterations = 1 + (sevMiss ? 1 : 0) + (radMiss ? 1 : 0) + (responseWrong ? 1 : 0);
    const budget = 12 + 2 * daysLeft;
    const components: OutcomeComponents = {
      story_accepted: goalKept ? 1 : 0,
      tests_passing: clamp01(health),
      low_iteration_count: clamp01(1 - (iterations - 1) / 3),
      velocity_maintained: clamp01(1 - lost / budget),
      low_rework: clamp01(1 - 0.5 * rework),
      coverage_threshold: clamp01(1 - recovery / RECOVERY_CAP),
    };

    // Links from the decisions.
    if (given === undefined) links.push({ step: -1, effect: 'no_response', value: -0.3, note });
    else {
      links.push({
        step: this.responseStep,
        effect: given === right ? 'response_right' : 'response_wrong',
        target: given,
        value: given === right ? 0.3 : -0.3,
        note: `${given} when ${right} was right: ${note}`,
      });
      const assessedFirst = this.severityAssessments.some((a) => a.step < this.responseStep);
      if (!assessedFirst)
        links.push({
          step: this.responseStep,
          effect: 'reacted_before_assessing',
          value: -0.05,
          note: 'responded without rating severity',
        });
    }
    this.severityAssessments.forEach((a, i) => {
      const d = SEVERITY_RANK[a.value as Severity] - s;
      const last = i === this.severityAssessments.length - 1;
      links.push({
        step: a.step,
        effect: d === 0 ? 'severity_accurate' : d > 0 ? 'severity_over' : 'severity_under',
        target: a.value,
        value: (d === 0 ? 0.1 : -0.05 * Math.abs(d)) * (last ? 1 : 0.5),
        note: `rated ${a.value}; the true severity was ${this.severity}`,
      });
    });
    this.radiusAssessments.forEach((a, i) => {
      const d = RADIUS_RANK[a.value as BlastRadius] - r;
      const last = i === this.radiusAssessments.length - 1;
      links.push({
        step: a.step,
        effect: d === 0 ? 'radius_accurate' : d > 0 ? 'radius_wider' : 'radius_narrower',
        target: a.value,
        value: (d === 0 ? 0.1 : -0.05 * Math.abs(d)) * (last ? 1 : 0.5),
        note: `rated ${a.value}; the true blast radius was ${this.radius}`,
      });
    });
    let index = 0;
    for (const f of this.findings) {
      index++;
      if (index > INVESTIGATION_BUDGET)
        links.push({
          step: f.step,
          effect: 'excess_investigation',
          target: f.area,
          value: -0.03,
          note: `investigation ${index} past ${INVESTIGATION_BUDGET}`,
        });
      else if (f.value === null) links.push({ step: f.step, effect: 'nothing_new', target: f.area, value: -0.02, note: f.text });
      else
        links.push({
          step: f.step,
          effect: f.correct ? 'evidence_found' : 'evidence_misleading',
          target: f.area,
          value: f.correct ? 0.02 : 0,
          note: f.text,
        });
    }

    // Calibration (B-30): Brier score over stated confidences.
    let brier = 0;
    let stated = 0;
    const score = (confidence: number | undefined, correct: boolean) => {
      if (confidence === undefined) return;
      stated++;
      brier += (confidence - (correct ? 1 : 0)) ** 2;
    };
    for (const a of this.severityAssessments) score(a.confidence, a.value === this.severity);
    for (const a of this.radiusAssessments) score(a.confidence, a.value === this.radius);
    if (given !== undefined) score(this.responseConfidence, given === right);

    const investigatedBeforeSeverity =
      this.severityAssessments.length > 0 &&
      this.findings.some((f) => f.area === 'impact' && f.value !== null && f.step < (this.severityAssessments[0] as Assessment).step);
    return {
      facts: {
        disturbance: this.type,
        trueSeverity: this.severity,
        trueRadius: this.radius,
        owner: this.owner,
        daysLeft,
        rightResponse: right,
        response: given ?? 'none',
        responseRight: given === right,
        responseConfidence: this.responseConfidence ?? -1,
        noResponse: given === undefined,
        assessedSeverity: assessedSev ?? 'none',
        assessedRadius: assessedRad ?? 'none',
        severityAccurate: sevDiff === 0,
        severityError: sevDiff ?? -9,
        radiusAccurate: radDiff === 0,
        radiusError: radDiff ?? -9,
        severityAssessments: this.severityAssessments.length,
        radiusAssessments: this.radiusAssessments.length,
        reactedBeforeAssessing: given !== undefined && !this.severityAssessments.some((a) => a.step < this.responseStep),
        investigatedBeforeSeverity,
        investigations: this.investigations,
        excessInvestigation: this.excessInvestigation,
        impactInvestigated: this.looks.impact > 0,
        spreadInvestigated: this.looks.spread > 0,
        ownershipInvestigated: this.looks.ownership > 0,
        messages: this.messages.length,
        neededAudiences: needed.join(','),
        informedAudiences: needed.filter((a) => informed.has(a)).join(','),
        neededInformed: needed.filter((a) => informed.has(a)).length,
        neededCount: needed.length,
        uninformed: uninformed.join(','),
        blockerExists: this.owner === 'outside' && s >= 1,
        blockerReported: this.messages.some((m) => m.content === 'blocker') && this.owner === 'outside' && s >= 1,
        falseBlockers,
        alarmSpread: alarm,
        redundantMessages: redundant,
        swarmHours: swarm,
        reactionHours: round3(reaction),
        recoveryHours: round3(recovery),
        damageHours: round3(damage),
        wasteHours: round3(waste),
        coordinationHours: round3(coordination),
        lostHours: round3(lost),
        slackHours: round3(slack),
        budgetHours: budget,
        goalKept,
        storyAccepted: goalKept,
        systemHealth: round3(health),
        reworkCount: rework,
        iterations,
        velocityEffect: round3(components.velocity_maintained - 1),
        confidenceStatements: stated,
        calibrationBrier: stated > 0 ? round3(brier / stated) : -1,
      },
      components,
      links,
    };
  }

  hidden(): Record<string, unknown> {
    return {
      severity: this.severity,
      radius: this.radius,
      owner: this.owner,
      rightResponse: this.right,
      neededAudiences: neededAudiences(this.severity, this.radius, this.right),
      slackHours: round3(this.slack),
      readings: this.readings,
    };
  }

  secrets(): Secret[] {
    return [
      { id: 'severity', text: this.evidenceText('impact', this.severity), revealed: this.revealed.impact },
      { id: 'radius', text: this.evidenceText('spread', this.radius), revealed: this.revealed.spread },
      { id: 'owner', text: this.evidenceText('ownership', this.owner), revealed: this.revealed.ownership },
      { id: 'right_response', text: `The response that minimizes damage here is ${this.right}`, revealed: false },
    ];
  }
}

function withConfidence(a: Assessment, confidence: number | undefined): Assessment {
  if (confidence !== undefined) a.confidence = confidence;
  return a;
}

export const triage: EpisodeWorld = {
  name: 'triage',
  summary:
    'Mid-sprint, a disturbance lands: investigate the symptoms, rate severity and blast radius, tell the people who need to know, then fix now, defer or escalate in proportion.',
  actions: {
    investigate: {
      description:
        'Look into one symptom area for precise evidence (0.5 h): impact (severity), spread (blast radius) or ownership (whose code).',
      args: { area: { kind: 'enum', values: AREAS, description: 'the symptom area to investigate' } },
    },
    assess_severity: {
      description: 'Rate the disturbance severity: low, medium, high or critical.',
      args: { level: { kind: 'enum', values: SEVERITIES, description: 'your severity rating' } },
      asserts: true,
    },
    assess_blast_radius: {
      description: 'Rate how far the disturbance reaches: the task, the story or the whole sprint.',
      args: { radius: { kind: 'enum', values: BLAST_RADII, description: 'your blast-radius rating' } },
      asserts: true,
    },
    communicate: {
      description: 'Tell the team, the product owner (po) or the team lead your current assessment, a status update or a blocker.',
      args: {
        audience: { kind: 'enum', values: AUDIENCES, description: 'who you tell' },
        content: { kind: 'enum', values: CONTENTS, description: 'what you tell them (assessment needs one made first)' },
      },
    },
    respond_fix_now: { description: 'Stop and fix it now inside the team (ends triage).', args: {}, asserts: true },
    respond_defer: { description: 'Contain it and put the fix in the backlog for later (ends triage).', args: {}, asserts: true },
    respond_escalate: { description: 'Escalate to the team lead for help beyond the team (ends triage).', args: {}, asserts: true },
  },
  maxTurns: 18,
  levers: [
    {
      name: 'investigate_before_assessing',
      direction: 'up',
      description:
        'Investigating the impact and spread before rating them replaces noisy, alarm-biased readings with evidence: ratings match the truth more often, which scopes the fix right and picks the right response.',
    },
    {
      name: 'right_response',
      direction: 'up',
      description:
        'The response that fits severity x blast radius x sprint day (and whether the cause is beyond the team) minimizes damage; deferring a needed fix lets it fester, fixing what could wait interrupts the sprint, fixing what needs escalation flails.',
    },
    {
      name: 'communicate_assessment',
      direction: 'up',
      description:
        'Telling the assessment to everyone who needs it (team always, product owner beyond the task, lead on escalation or critical) avoids duplicate debugging, a surprised product owner and a cold escalation.',
    },
    {
      name: 'react_before_assessing',
      direction: 'down',
      description:
        'Fixing or escalating with no severity or blast-radius rating costs a round of "how bad is it?" and scopes the fix to the task, so affected cards break later.',
    },
    {
      name: 'over_investigation',
      direction: 'down',
      description:
        'Investigations past three cost double and repeat looks find nothing new, while the disturbance stays live: velocity and recovery fall.',
    },
    {
      name: 'everything_critical',
      direction: 'down',
      description:
        'Rating a disturbance above its true severity makes the team swarm (2 h per step) and, told two steps too high, spreads alarm.',
    },
  ],
  vocabulary: [
    'task:triage',
    ...DISTURBANCE_TYPES.map((t) => `disturbance:${t}`),
    ...Array.from({ length: SPRINT_LENGTH }, (_, i) => `days_left:${i}`),
    ...SEVERITIES.map((s) => `reading:impact:${s}`),
    ...BLAST_RADII.map((r) => `reading:spread:${r}`),
    ...OWNERS.map((o) => `reading:ownership:${o}`),
    ...SEVERITIES.map((s) => `found:impact:${s}`),
    ...BLAST_RADII.map((r) => `found:spread:${r}`),
    ...OWNERS.map((o) => `found:ownership:${o}`),
    ...AREAS.map((a) => `found:${a}:nothing_new`),
    ...SEVERITIES.map((s) => `assessed:severity:${s}`),
    ...BLAST_RADII.map((r) => `assessed:radius:${r}`),
    ...AUDIENCES.flatMap((a) => CONTENTS.map((c) => `told:${a}:${c}`)),
  ],
  create: (rng, options) => new TriageEpisode(rng, options),
  fromText(text): Action | undefined {
    const lower = text.toLowerCase();
    if (lower.includes('escalat')) return { type: 'respond_escalate', args: {}, text };
    if (lower.includes('defer') || lower.includes('backlog')) return { type: 'respond_defer', args: {}, text };
    if (lower.includes('fix now') || lower.includes('fix it now')) return { type: 'respond_fix_now', args: {}, text };
    for (const area of AREAS) if (lower.includes(`investigate ${area}`)) return { type: 'investigate', args: { area }, text };
    return undefined;
  },
};
