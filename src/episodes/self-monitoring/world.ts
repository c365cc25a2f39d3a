/**
 * E-1.4 Self-monitoring: a story half implemented, some tests failing, a checkpoint is due.
 *
 * Visible: the plan's progress estimate, the test run (passing / total), how many fix attempts
 * made no progress, the days left, and four suspects — candidate explanations of the failures,
 * each with a category (race condition, misread requirement, dependency version mismatch,
 * knowledge gap, design limit, external blocker), a symptom, the number of failing tests it could
 * explain, and which one is the loudest in the logs.
 *
 * Hidden truth (drawn in `scenario.ts`): which suspect is the real (planted) issue and its root
 * cause; each suspect's resolution — fixable in place (continue), needs a new approach (pivot) or
 * needs someone outside the team (escalate); a misread requirement may be adaptable or may
 * invalidate the approach, a dependency mismatch may have a released fix or need an unreleased
 * upstream one, a knowledge gap may be researchable or expert-only; a race condition is always
 * fixable, a design limit always needs a pivot, an external blocker always needs escalation. The
 * right checkpoint decision is the real suspect's resolution. The true state (on_track, behind,
 * stuck) and the true progress follow: stuck when the approach cannot converge or is blocked, else
 * on_track or behind. The visible plan overstates progress; the pass rate and the stuck attempts
 * are noisy proxies. Pre-drawn fates (per suspect and per attempt) decide what research finds and
 * what happens downstream, so two action sequences on one seed meet the same world.
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
 * Outcome: see `outcome.ts` (team hours lost against the budget, the checkpoint decision's
 * consequence, the last assessment against the true state).
 */

import type { Action, ActionResult, Episode, EpisodeResult, EpisodeWorld, ScenarioOptions, Secret } from '../../core/episode.js';
import { round3 } from '../../core/numbers.js';
import type { Rng } from '../../core/rng.js';
import { EPISODE_SPECS } from '../../spec/episodes.js';
import { withConfidence } from '../common.js';
import {
  type Assessment,
  type Checkpoint,
  type Finding,
  HOURS_REREAD,
  HOURS_RESEARCH,
  HOURS_STATEMENT,
  type Identification,
  INVESTIGATION_BUDGET,
  realSuspect,
  rightDecision,
  selfMonitoringOutcome,
} from './outcome.js';
import { drawScenario, type Scenario, SUSPECTS, type Suspect, type SuspectFate } from './scenario.js';
import {
  DECISIONS,
  type Decision,
  ESTIMATES,
  type Estimate,
  ISSUE_CATEGORIES,
  RELEVANCE,
  RESOLUTION_HINTS,
  type Relevance,
  type SelfMonitoringFacts,
  type SelfMonitoringHidden,
  type SelfMonitoringView,
} from './types.js';

/** Research attempts on one suspect that can still find something new. */
export const RESEARCH_DEPTH = 2;
/** Accuracy of a research resolution hint. */
const HINT_ACCURACY = 0.85;
/** Accuracy of a reread on whether a requirement was misread. */
const REREAD_ACCURACY = 0.9;

class SelfMonitoringEpisode implements Episode<SelfMonitoringView, SelfMonitoringFacts, SelfMonitoringHidden>, Checkpoint {
  readonly scenario: Scenario;
  readonly findings: Finding[] = [];
  readonly researchCount: number[] = [0, 0, 0, 0];
  rereads = 0;
  investigative = 0;
  hours = 0;
  excessInvestigation = 0;
  readonly assessments: Assessment[] = [];
  readonly identifications: Identification[] = [];
  decision: Decision | undefined;
  decisionStep = -1;
  decisionConfidence: number | undefined;
  rootRevealed = false;
  resolutionRevealed = false;

  constructor(rng: Rng, _options: ScenarioOptions) {
    this.scenario = drawScenario(rng);
  }

  private requirementsSuspect(): number {
    return this.scenario.suspects.findIndex((s) => s.category === 'requirements_misread');
  }

  view(): SelfMonitoringView {
    const scenario = this.scenario;
    return {
      task: { title: scenario.context.title, area: scenario.context.area },
      plan: { plannedProgress: scenario.plannedProgress, daysLeft: scenario.daysLeft, acceptanceCriteria: scenario.criteriaTotal },
      tests: { total: scenario.testsTotal, passing: scenario.testsPassing, failing: scenario.testsTotal - scenario.testsPassing },
      attemptsWithoutProgress: scenario.attemptsWithoutProgress,
      suspects: scenario.suspects.map((s, index) => ({
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
      criteriaMet: this.rereads > 0 ? scenario.criteriaMet : null,
      assessments: this.assessments.map((a) => ({ estimate: a.estimate, confidence: a.confidence ?? null })),
      identified: this.identifications.map((i) => ({ suspect: i.suspect, confidence: i.confidence ?? null })),
      investigativeActions: this.investigative,
      hoursSpent: this.hours,
    };
  }

  tokens(): string[] {
    const scenario = this.scenario;
    const failRatio = (scenario.testsTotal - scenario.testsPassing) / scenario.testsTotal;
    const out = [
      'task:self_monitoring',
      `plan:p${Math.round(scenario.plannedProgress * 10)}`,
      `passing:p${Math.min(9, Math.floor((scenario.testsPassing / scenario.testsTotal) * 10))}`,
      `failing:p${Math.min(9, Math.floor(failRatio * 10))}`,
      `stuck_attempts:${scenario.attemptsWithoutProgress}`,
      `days_left:${scenario.daysLeft}`,
    ];
    const failing = scenario.testsTotal - scenario.testsPassing;
    const finding = (f: Finding) => {
      out.push(f.action === 'research' ? `research:s${f.suspect}` : 'reread');
      if (f.relevance) out.push(`relevance:${f.relevance}`);
      if (f.resolutionHint) out.push(`hint:${f.resolutionHint}`);
      if (!f.relevance && !f.resolutionHint) out.push('nothing_new');
    };
    // What a reread measured: the share of acceptance criteria demonstrably met, in tenths; a
    // reread that found no misread suspect stays here, the others go with their suspect.
    if (this.rereads > 0) out.push(`criteria_met:p${Math.min(9, Math.floor((scenario.criteriaMet / scenario.criteriaTotal) * 10))}`);
    for (const f of this.findings) if (f.suspect < 0) finding(f);
    // One line per suspect with what was found about it and whether it was named, in place.
    for (let i = 0; i < SUSPECTS; i++) {
      const s = scenario.suspects[i] as Suspect;
      out.push(`s${i}:${s.category}`, `s${i}:explains_${s.failingTestsExplained >= failing ? 'all' : 'some'}`);
      if (s.loudest) out.push(`s${i}:loudest`);
      for (const f of this.findings) if (f.suspect === i) finding(f);
      for (const n of this.identifications) if (n.suspect === i) out.push(`identified:s${i}`);
    }
    for (const a of this.assessments) out.push(`assessed:${a.estimate}`);
    return out;
  }

  describe(): string {
    const scenario = this.scenario;
    const failing = scenario.testsTotal - scenario.testsPassing;
    const lines = [
      `You are a senior developer halfway through "${scenario.context.title}". A checkpoint is due: assess progress honestly, investigate what you need, name the real issue, then decide to continue, pivot or escalate.`,
      '',
      `The plan says ${Math.round(scenario.plannedProgress * 100)}% done with ${scenario.daysLeft} days left; ${scenario.criteriaTotal} acceptance criteria.`,
      `Tests: ${scenario.testsPassing} of ${scenario.testsTotal} passing (${failing} failing). The last ${scenario.attemptsWithoutProgress} fix attempt(s) did not reduce the failures.`,
      '',
      'Suspects:',
    ];
    for (let i = 0; i < SUSPECTS; i++) {
      const s = scenario.suspects[i] as Suspect;
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
          response: `You name suspect ${suspect} (${(this.scenario.suspects[suspect] as Suspect).category}) as the real issue.`,
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
    const scenario = this.scenario;
    const s = scenario.suspects[topic] as Suspect;
    const fate = scenario.fates[topic] as SuspectFate;
    const attempt = this.researchCount[topic] as number;
    this.researchCount[topic] = attempt + 1;
    this.chargeInvestigation(HOURS_RESEARCH);
    if (attempt >= RESEARCH_DEPTH) {
      const text = 'Nothing new: the same logs and docs as before.';
      this.findings.push({ step, action: 'research', suspect: topic, text });
      return text;
    }
    const isReal = topic === scenario.real;
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
    const scenario = this.scenario;
    this.rereads++;
    this.chargeInvestigation(HOURS_REREAD);
    const req = this.requirementsSuspect();
    if (this.rereads > 1) {
      const text = 'Nothing new: the requirements read the same as an hour ago.';
      this.findings.push({ step, action: 'reread_requirements', suspect: req, text });
      return text;
    }
    const criteria = `${scenario.criteriaMet} of ${scenario.criteriaTotal} acceptance criteria are demonstrably met.`;
    if (req < 0) {
      const text = `The implementation matches the requirements as written; nothing was misread. ${criteria}`;
      this.findings.push({ step, action: 'reread_requirements', suspect: -1, relevance: 'none', text });
      return text;
    }
    const s = scenario.suspects[req] as Suspect;
    const isReal = req === scenario.real;
    const found = isReal ? scenario.reread.found < REREAD_ACCURACY : scenario.reread.found >= REREAD_ACCURACY;
    if (!found) {
      const text = `The requirements were read correctly; the acceptance tests match them. ${criteria}`;
      this.findings.push({ step, action: 'reread_requirements', suspect: req, relevance: 'none', text });
      return text;
    }
    const hinted = this.hintFor(s.resolution, scenario.reread.detail, scenario.reread.alt);
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

  finish(): EpisodeResult<SelfMonitoringFacts> {
    return selfMonitoringOutcome(this);
  }

  hidden(): SelfMonitoringHidden {
    const scenario = this.scenario;
    return {
      realSuspect: scenario.real,
      realCategory: realSuspect(scenario).category,
      rootCause: realSuspect(scenario).root,
      rightDecision: rightDecision(scenario),
      trueState: scenario.trueState,
      trueProgress: round3(scenario.trueProgress),
      plannedProgress: scenario.plannedProgress,
      criteriaMet: scenario.criteriaMet,
      suspects: scenario.suspects.map((s) => ({ category: s.category, resolution: s.resolution, root: s.root })),
    };
  }

  secrets(): Secret[] {
    const scenario = this.scenario;
    const real = realSuspect(scenario);
    return [
      { id: 'root_cause', text: real.root, revealed: this.rootRevealed },
      { id: 'resolution', text: real.resolutionText[real.resolution], revealed: this.resolutionRevealed },
      {
        id: 'true_progress',
        text: `The work is truly ${Math.round(scenario.trueProgress * 100)}% done, not the planned ${Math.round(scenario.plannedProgress * 100)}%`,
        revealed: false,
      },
      { id: 'right_decision', text: `The right checkpoint decision is ${rightDecision(scenario)}`, revealed: false },
    ];
  }
}

const SUSPECT_ARG = { kind: 'int', min: 0, max: SUSPECTS - 1, description: 'index of a suspect in the list' } as const;

export const selfMonitoringWorld: EpisodeWorld<SelfMonitoringView, SelfMonitoringFacts, SelfMonitoringHidden> = {
  name: 'self_monitoring',
  spec: EPISODE_SPECS.self_monitoring,
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
