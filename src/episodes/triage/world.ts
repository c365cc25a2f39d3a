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
 * Hidden truth (drawn in `scenario.ts`), from type-specific priors: the true severity (low, medium,
 * high, critical), blast radius (task, story, sprint) and owner (team, outside), and from them and
 * the sprint day the response that minimizes damage:
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
 * Outcome: see `outcome.ts` (team hours lost beyond the unavoidable fix work, against the sprint's
 * slack; the response, the ratings that scope it, and who was told).
 */

import type { Action, ActionResult, Episode, EpisodeResult, EpisodeWorld, ScenarioOptions, Secret } from '../../core/episode.js';
import { round3 } from '../../core/numbers.js';
import type { Rng } from '../../core/rng.js';
import { BLAST_RADII, type BlastRadius, DISTURBANCE_TYPES, SEVERITIES, type Severity } from '../../spec/curriculum.js';
import { EPISODE_SPECS } from '../../spec/episodes.js';
import { withConfidence } from '../common.js';
import {
  type Assessment,
  type Finding,
  HOURS_INVESTIGATE,
  HOURS_STATEMENT,
  INVESTIGATION_BUDGET,
  lastRating,
  type Message,
  type TriageSession,
  triageOutcome,
} from './outcome.js';
import { drawScenario, evidenceText, neededAudiences, type Scenario, SPRINT_LENGTH, shifted } from './scenario.js';
import {
  AREAS,
  type Area,
  AUDIENCES,
  type Audience,
  CONTENTS,
  type Content,
  OWNERS,
  RADIUS_RANK,
  type Reading,
  type Response,
  SEVERITY_RANK,
  type TriageFacts,
  type TriageHidden,
  type TriageView,
} from './types.js';

/** Investigations of one area that can still find something. */
const INVESTIGATION_DEPTH = 2;
/** Accuracy of one investigation. */
const EVIDENCE_ACCURACY = 0.9;

class TriageEpisode implements Episode<TriageView, TriageFacts, TriageHidden>, TriageSession {
  readonly scenario: Scenario;
  readonly findings: Finding[] = [];
  readonly looks: Record<Area, number> = { impact: 0, spread: 0, ownership: 0 };
  readonly severityAssessments: Assessment<Severity>[] = [];
  readonly radiusAssessments: Assessment<BlastRadius>[] = [];
  readonly messages: Message[] = [];
  investigations = 0;
  excessInvestigation = 0;
  hours = 0;
  messageHours = 0;
  response: Response | undefined;
  responseStep = -1;
  responseConfidence: number | undefined;
  private readonly revealed: Record<Area, boolean> = { impact: false, spread: false, ownership: false };

  constructor(rng: Rng, options: ScenarioOptions) {
    this.scenario = drawScenario(rng, options);
  }

  view(): TriageView {
    const scenario = this.scenario;
    return {
      sprint: {
        day: scenario.day,
        length: SPRINT_LENGTH,
        daysLeft: scenario.daysLeft,
        story: scenario.context.story,
        cardsInProgress: scenario.cards.map((c, index) => ({ index, title: c.title, points: c.points, status: c.status })),
      },
      disturbance: { type: scenario.type, title: scenario.title },
      symptoms: AREAS.map((area) => ({ area, reading: scenario.readings[area], text: scenario.symptomTexts[area] })),
      findings: this.findings.map((f) => ({ area: f.area, value: f.value, text: f.text })),
      assessed: {
        severity: lastRating(this.severityAssessments) ?? null,
        radius: lastRating(this.radiusAssessments) ?? null,
        severityConfidence: this.severityAssessments[this.severityAssessments.length - 1]?.confidence ?? null,
        radiusConfidence: this.radiusAssessments[this.radiusAssessments.length - 1]?.confidence ?? null,
      },
      communications: this.messages.map((m) => ({ audience: m.audience, content: m.content })),
      investigations: this.investigations,
      hoursSpent: this.hours,
    };
  }

  tokens(): string[] {
    const scenario = this.scenario;
    const out = [
      'task:triage',
      `disturbance:${scenario.type}`,
      `days_left:${scenario.daysLeft}`,
      `reading:impact:${scenario.readings.impact}`,
      `reading:spread:${scenario.readings.spread}`,
      `reading:ownership:${scenario.readings.ownership}`,
    ];
    for (const f of this.findings) out.push(f.value === null ? `found:${f.area}:nothing_new` : `found:${f.area}:${f.value}`);
    const severity = lastRating(this.severityAssessments);
    const radius = lastRating(this.radiusAssessments);
    if (severity) out.push(`assessed:severity:${severity}`);
    if (radius) out.push(`assessed:radius:${radius}`);
    for (const m of this.messages) out.push(`told:${m.audience}:${m.content}`);
    return out;
  }

  describe(): string {
    const scenario = this.scenario;
    const lines = [
      `You are a senior developer on day ${scenario.day} of a ${SPRINT_LENGTH}-day sprint (${scenario.daysLeft} days left). The team is working on "${scenario.context.story}".`,
      `A disturbance lands: ${scenario.title}. Triage it: rate its severity (low, medium, high, critical) and blast radius (task, story, sprint), respond in proportion (fix now, defer, escalate) and tell the people who need to know before you act.`,
      '',
      'Cards in progress:',
      ...scenario.cards.map((c, i) => `- [${i}] ${c.title} (${c.points} points, ${c.status.replace('_', ' ')})`),
      '',
      'Symptoms (first impressions, not measurements):',
      ...AREAS.map((a) => `- ${a}: ${scenario.symptomTexts[a]}`),
    ];
    if (this.findings.length > 0) {
      lines.push('', 'Findings:');
      for (const f of this.findings) lines.push(`- ${f.area}: ${f.text}`);
    }
    const severity = lastRating(this.severityAssessments);
    const radius = lastRating(this.radiusAssessments);
    if (severity || radius) lines.push('', `Your assessment: severity ${severity ?? 'not rated'}, blast radius ${radius ?? 'not rated'}.`);
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
        const severity = lastRating(this.severityAssessments);
        const radius = lastRating(this.radiusAssessments);
        if (content === 'assessment' && !severity && !radius)
          return { ok: false, error: 'there is no assessment to communicate yet: assess_severity or assess_blast_radius first' };
        this.hours += HOURS_STATEMENT;
        this.messageHours += HOURS_STATEMENT;
        const message: Message = { step, audience, content };
        if (content === 'assessment') {
          if (severity) message.severity = severity;
          if (radius) message.radius = radius;
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
    const scenario = this.scenario;
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
    const correct = (scenario.fates.evidence[area][attempt] as number) < EVIDENCE_ACCURACY;
    const up = (scenario.fates.direction[area][attempt] as number) < 0.5;
    let value: Reading;
    if (area === 'impact') value = correct ? scenario.severity : shifted(SEVERITIES, SEVERITY_RANK[scenario.severity], up);
    else if (area === 'spread') value = correct ? scenario.radius : shifted(BLAST_RADII, RADIUS_RANK[scenario.radius], up);
    else value = correct ? scenario.owner : scenario.owner === 'team' ? 'outside' : 'team';
    if (correct) this.revealed[area] = true;
    const text = evidenceText(scenario, area, value);
    this.findings.push({ step, area, value, correct, text });
    return text;
  }

  finish(): EpisodeResult<TriageFacts> {
    return triageOutcome(this);
  }

  hidden(): TriageHidden {
    const scenario = this.scenario;
    return {
      severity: scenario.severity,
      radius: scenario.radius,
      owner: scenario.owner,
      rightResponse: scenario.right,
      neededAudiences: neededAudiences(scenario.severity, scenario.radius, scenario.right),
      slackHours: round3(scenario.slack),
      readings: scenario.readings,
    };
  }

  secrets(): Secret[] {
    const scenario = this.scenario;
    return [
      { id: 'severity', text: evidenceText(scenario, 'impact', scenario.severity), revealed: this.revealed.impact },
      { id: 'radius', text: evidenceText(scenario, 'spread', scenario.radius), revealed: this.revealed.spread },
      { id: 'owner', text: evidenceText(scenario, 'ownership', scenario.owner), revealed: this.revealed.ownership },
      { id: 'right_response', text: `The response that minimizes damage here is ${scenario.right}`, revealed: false },
    ];
  }
}

export const triageWorld: EpisodeWorld<TriageView, TriageFacts, TriageHidden> = {
  name: 'triage',
  spec: EPISODE_SPECS.triage,
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
