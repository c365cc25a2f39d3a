/**
 * E-2.2 Recovery: the sprint is mid-flight and a disturbance has turned the build red (a bad
 * merge, a dependency bump, a flaky timing change, lost fixture data ...). The days left and the
 * committed cards are visible; so are four suspects — changes that could explain the failing
 * tests, each with a symptom, the number of failing tests it could explain and which one is the
 * loudest in the logs (the loudest is usually not the cause).
 *
 * Hidden truth (`scenario.ts`): which suspect is the root cause; each suspect's blast radius (task,
 * story, sprint) and the committed cards it makes undeliverable (only the real suspect's are true);
 * the collateral risk of changing each suspect's code (low or high); which cards of the plan remain
 * valid. The reported severity is a noisy reading of the real damage. Pre-drawn fates (per suspect:
 * the verification draws and the collateral draws; per episode: in-sprint and later recurrence,
 * what happens when the build is still red at replanning) make two action sequences on one seed
 * meet the same world.
 *
 * Actions (the spec's vocabulary; the implementation steps live in the arguments):
 * - `diagnose_root_cause {suspect, change}`: `state_only` states the hypothesis (0.25 h, no code
 *   change); `fix_cause` changes the code at the cause (3 h); `patch_symptom` silences the failing
 *   tests where they fail (1 h). The failing tests pass once the real suspect is fixed or patched.
 *   Every change risks collateral breakage (high risk 60 %, low 15 %, a patch 10 %).
 * - `verify_hypothesis {suspect}` (1.5 h): before a change on that suspect, an experiment that
 *   returns confirmed / inconclusive / refuted (sharper when the hypothesis was stated first:
 *   real suspect confirmed 80 % vs 60 %, a decoy refuted 80 % vs 60 %), the collateral risk of
 *   changing it, and on a confirmation the blast radius and the cards it hits; the third check of
 *   one suspect finds nothing new. After a change on that suspect it runs the suite: collateral
 *   breakage from any change is caught and repaired (2 h); a patch on the real cause is seen as
 *   symptom-only 70 % of the time.
 * - `capture_learning {kind, suspect}` (0.5 h): root_cause, prevention, symptom or blame, about a
 *   suspect. A root-cause learning about the real cause lowers the later-recurrence chance from
 *   50 % to 25 %, a prevention learning to 10 %; symptoms and blame change nothing.
 * - `replan_sprint {change, communicate}` (terminal): keep, minimal (drop 1 card), partial (2),
 *   full (3, plus 4 h of re-planning everything); cards are dropped known-invalid first, then
 *   unknown cards touching the area, lowest priority first. Communicating costs 0.5 h; a silent
 *   replan that drops cards wastes 2 h per dropped card (the team kept working on them).
 *
 * Outcome (at the replan, or at the turn limit as a silent keep): `outcome.ts`.
 */

import type { Action, ActionResult, Episode, EpisodeResult, EpisodeWorld, ScenarioOptions, Secret } from '../../core/episode.js';
import { round3 } from '../../core/numbers.js';
import type { Rng } from '../../core/rng.js';
import { EPISODE_SPECS } from '../../spec/episodes.js';
import { ScenarioFields, withConfidence } from '../common.js';
import {
  type ChangeRecord,
  DROPS,
  type Hypothesis,
  type Incident,
  type Learning,
  type Replan,
  recoveryOutcome,
  rightChange,
  type Verification,
} from './outcome.js';
import { type Card, generateScenario, type Scenario, SUSPECTS, type Suspect } from './scenario.js';
import {
  BLAST_RADII,
  CHANGES,
  type Change,
  type CodeChange,
  DISTURBANCES,
  LEARNING_KINDS,
  type LearningKind,
  REPLAN_CHANGES,
  type RecoveryFacts,
  type RecoveryHidden,
  type RecoveryView,
  type ReplanChange,
  RISKS,
  type Risk,
  SEVERITIES,
  SUITE_RESULTS,
  SUSPECT_CATEGORIES,
  type SuiteResult,
  VERDICTS,
  type Verdict,
} from './types.js';

const HOURS_STATE = 0.25;
const HOURS_VERIFY = 1.5;
const HOURS_FIX = 3;
const HOURS_PATCH = 1;
const HOURS_LEARNING = 0.5;
const HOURS_COLLATERAL_REPAIR = 2;
/** Checks of one suspect (before a change) that can still find something new. */
const VERIFY_DEPTH = 2;
/** Collateral chance of a change, by risk; a symptom patch is small. */
const COLLATERAL_P: Record<Risk, number> = { low: 0.15, high: 0.6 };
const COLLATERAL_P_PATCH = 0.1;
/** A post-change suite run shows a patch is symptom-only. */
const P_SYMPTOM_SEEN = 0.7;
/** Verification outcome thresholds [confirmed, confirmed + inconclusive]. */
const VERIFY_P = {
  real: { stated: [0.8, 0.97], unstated: [0.6, 0.9] },
  decoy: { stated: [0.04, 0.2], unstated: [0.08, 0.4] },
} as const;

class RecoveryEpisode extends ScenarioFields<Scenario>() implements Episode<RecoveryView, RecoveryFacts, RecoveryHidden>, Incident {
  hours = 0;
  readonly hypotheses: Hypothesis[] = [];
  readonly verifications: Verification[] = [];
  private readonly verifyCount: number[] = [0, 0, 0, 0];
  private readonly changeCount: number[] = [0, 0, 0, 0];
  readonly changes: ChangeRecord[] = [];
  readonly learnings: Learning[] = [];
  replan: Replan | undefined;
  green = false;
  hoursToGreen = -1;
  changesToGreen = -1;
  rootFixed = false;
  patched = false;
  symptomSeen = false;
  private readonly riskRevealed: boolean[] = [false, false, false, false];
  readonly confirmed: boolean[] = [false, false, false, false];

  constructor(rng: Rng, options: ScenarioOptions) {
    super(generateScenario(rng, options));
  }

  view(): RecoveryView {
    return {
      task: { title: this.context.title, area: this.context.area, disturbance: this.disturbance, reportedSeverity: this.reportedSeverity },
      sprint: {
        daysLeft: this.daysLeft,
        capacityHours: this.capacity,
        cards: this.cards.map((c, index) => ({ index, title: c.title, points: c.points, hours: c.hours, touchesArea: c.touchesArea })),
      },
      tests: { total: this.testsTotal, failing: this.green ? 0 : this.failing, green: this.green },
      suspects: this.suspects.map((s, index) => ({
        index,
        category: s.category,
        symptom: s.symptom,
        failingTestsExplained: s.failingTestsExplained,
        loudest: s.loudest,
        collateralRisk: this.riskRevealed[index] ? s.risk : null,
        blastRadius: this.confirmed[index] ? s.blast : null,
        affectedCards: this.confirmed[index] ? s.hits.slice() : null,
      })),
      hypotheses: this.hypotheses.map((h) => ({ suspect: h.suspect })),
      verifications: this.verifications.map((v) => ({ step: v.step, suspect: v.suspect, phase: v.phase, result: v.result, text: v.text })),
      changes: this.changes.map((c) => ({ step: c.step, suspect: c.suspect, change: c.change, green: c.green })),
      learnings: this.learnings.map((l) => ({ kind: l.kind, suspect: l.suspect })),
      hoursSpent: this.hours,
    };
  }

  tokens(): string[] {
    const out = [
      'task:recovery',
      `dist:${this.disturbance}`,
      `sev:${this.reportedSeverity}`,
      `days_left:${this.daysLeft}`,
      `failing:p${Math.min(9, Math.floor((this.failing / this.testsTotal) * 10))}`,
      this.green ? 'tests:green' : 'tests:red',
    ];
    for (let i = 0; i < this.cards.length; i++) {
      const c = this.cards[i] as Card;
      out.push(`card${i}:pts${c.points}`);
      if (c.touchesArea) out.push(`card${i}:touches`);
    }
    for (let i = 0; i < SUSPECTS; i++) {
      const s = this.suspects[i] as Suspect;
      out.push(`s${i}:${s.category}`, `s${i}:explains_${s.failingTestsExplained >= this.failing ? 'all' : 'some'}`);
      if (s.loudest) out.push(`s${i}:loudest`);
      if (this.riskRevealed[i]) out.push(`s${i}:risk_${s.risk}`);
      if (this.confirmed[i]) {
        out.push(`s${i}:blast_${s.blast}`);
        for (const c of s.hits) out.push(`affected:card${c}`);
      }
    }
    for (const h of this.hypotheses) out.push(`hyp:s${h.suspect}`);
    for (const v of this.verifications) out.push(`verify:s${v.suspect}`, `result:${v.result}`);
    for (const c of this.changes) out.push(`${c.change}:s${c.suspect}`);
    for (const l of this.learnings) out.push(`learned:${l.kind}`, `learned:s${l.suspect}`);
    return out;
  }

  describe(): string {
    const lines = [
      `You are a senior developer on "${this.context.title}". A disturbance (${this.disturbance.replaceAll('_', ' ')}, reported severity ${this.reportedSeverity}) turned the build red with ${this.daysLeft} days left in the sprint. Find and fix the root cause without breaking anything else, replan the sprint in proportion to the damage, and capture what the team should learn.`,
      '',
      `Tests: ${this.green ? `all ${this.testsTotal} passing` : `${this.failing} of ${this.testsTotal} failing`}. Sprint capacity: ${this.capacity} team hours.`,
      'Committed cards (priority order):',
    ];
    for (let i = 0; i < this.cards.length; i++) {
      const c = this.cards[i] as Card;
      lines.push(`- [${i}] ${c.title}: ${c.points} points (${c.hours} h)${c.touchesArea ? ', touches the affected area' : ''}`);
    }
    lines.push('', 'Suspects:');
    for (let i = 0; i < SUSPECTS; i++) {
      const s = this.suspects[i] as Suspect;
      let line = `- [${i}] ${s.category.replaceAll('_', ' ')}: ${s.symptom} Could explain ${s.failingTestsExplained} of the ${this.failing} failing tests.${s.loudest ? ' (loudest in the logs)' : ''}`;
      if (this.riskRevealed[i]) line += ` Changing it carries ${s.risk} collateral risk.`;
      if (this.confirmed[i])
        line += ` Blast radius ${s.blast}; cards it hits: ${s.hits.length > 0 ? s.hits.map((c) => `[${c}]`).join(' ') : 'none'}.`;
      lines.push(line);
    }
    if (this.hypotheses.length > 0) lines.push('', `Hypotheses stated: ${this.hypotheses.map((h) => `suspect ${h.suspect}`).join(', ')}.`);
    if (this.verifications.length > 0) {
      lines.push('', 'Checks so far:');
      for (const v of this.verifications) lines.push(`- suspect ${v.suspect} (${v.phase.replace('_', ' ')}): ${v.text}`);
    }
    for (const c of this.changes)
      lines.push(`You changed suspect ${c.suspect} (${c.change.replace('_', ' ')}); the failing tests ${c.green ? 'pass' : 'still fail'}.`);
    for (const l of this.learnings) lines.push(`Learning captured: ${l.kind.replace('_', ' ')} about suspect ${l.suspect}.`);
    lines.push(`Hours spent on the recovery: ${this.hours}.`);
    return lines.join('\n');
  }

  legalActions(): Action[] {
    const out: Action[] = [];
    for (let suspect = 0; suspect < SUSPECTS; suspect++) {
      const fixed = this.causeFixed(suspect);
      for (const change of CHANGES)
        if (change === 'state_only' || !fixed) out.push({ type: 'diagnose_root_cause', args: { suspect, change } });
    }
    for (let suspect = 0; suspect < SUSPECTS; suspect++) out.push({ type: 'verify_hypothesis', args: { suspect } });
    for (const kind of LEARNING_KINDS)
      for (let suspect = 0; suspect < SUSPECTS; suspect++)
        if (!this.learned(kind, suspect)) out.push({ type: 'capture_learning', args: { kind, suspect } });
    for (const change of REPLAN_CHANGES)
      for (const communicate of [true, false]) out.push({ type: 'replan_sprint', args: { change, communicate } });
    return out;
  }

  act(action: Action, step: number): ActionResult {
    switch (action.type) {
      case 'diagnose_root_cause': {
        const suspect = action.args?.suspect as number;
        const change = action.args?.change as Change;
        if (change === 'state_only') {
          this.hours += HOURS_STATE;
          this.hypotheses.push(withConfidence<Hypothesis>({ step, suspect }, action.confidence));
          return {
            ok: true,
            response: `Hypothesis stated: suspect ${suspect} (${(this.suspects[suspect] as Suspect).category}) causes the failures.`,
            terminal: false,
          };
        }
        if (this.causeFixed(suspect))
          return { ok: false, error: `suspect ${suspect} was already fixed at the cause; there is nothing left to change there` };
        return { ok: true, response: this.applyChange(suspect, change, step), terminal: false };
      }
      case 'verify_hypothesis':
        return { ok: true, response: this.verify(action.args?.suspect as number, step), terminal: false };
      case 'capture_learning': {
        const l: Learning = { step, kind: action.args?.kind as LearningKind, suspect: action.args?.suspect as number };
        if (this.learned(l.kind, l.suspect))
          return { ok: false, error: `a ${l.kind.replace('_', ' ')} learning about suspect ${l.suspect} is already recorded` };
        this.hours += HOURS_LEARNING;
        this.learnings.push(withConfidence(l, action.confidence));
        return { ok: true, response: `Learning recorded (${l.kind.replace('_', ' ')}, suspect ${l.suspect}).`, terminal: false };
      }
      case 'replan_sprint': {
        const r: Replan = withConfidence(
          { step, change: action.args?.change as ReplanChange, communicate: action.args?.communicate === true },
          action.confidence,
        );
        this.replan = r;
        return {
          ok: true,
          response: `Sprint replanned (${r.change}, dropping ${DROPS[r.change]} card(s))${r.communicate ? '; the team and product owner were told what changed and why' : ''}.`,
          terminal: true,
        };
      }
      default:
        return { ok: false, error: `unknown action ${action.type}` };
    }
  }

  private causeFixed(suspect: number): boolean {
    for (const c of this.changes) if (c.suspect === suspect && c.change === 'fix_cause') return true;
    return false;
  }

  private learned(kind: LearningKind, suspect: number): boolean {
    for (const l of this.learnings) if (l.kind === kind && l.suspect === suspect) return true;
    return false;
  }

  private applyChange(suspect: number, change: CodeChange, step: number): string {
    const s = this.suspects[suspect] as Suspect;
    const n = this.changeCount[suspect] as number;
    this.changeCount[suspect] = n + 1;
    this.hours += change === 'fix_cause' ? HOURS_FIX : HOURS_PATCH;
    const p = change === 'fix_cause' ? COLLATERAL_P[s.risk] : COLLATERAL_P_PATCH;
    const collateral = (s.collateralDraw[Math.min(2, n)] as number) < p;
    const verifiedBefore = this.verifications.some((v) => v.suspect === suspect && v.phase === 'before_change');
    const isReal = suspect === this.real;
    if (isReal) {
      if (change === 'fix_cause') this.rootFixed = true;
      else this.patched = true;
    }
    const wasGreen = this.green;
    if (isReal && !this.green) {
      this.green = true;
      this.hoursToGreen = this.hours;
      this.changesToGreen = this.changes.length + 1;
    }
    this.changes.push({
      step,
      suspect,
      change,
      green: this.green,
      collateral,
      caughtAt: -1,
      verifiedBefore,
    });
    const what =
      change === 'fix_cause'
        ? `You change the code at suspect ${suspect}`
        : `You patch the failing tests' symptom around suspect ${suspect}`;
    if (this.green && !wasGreen) return `${what}. The ${this.failing} failing tests now pass.`;
    if (wasGreen) return `${what}. The failing tests were already passing.`;
    return `${what}. The ${this.failing} failing tests still fail.`;
  }

  private verify(suspect: number, step: number): string {
    const s = this.suspects[suspect] as Suspect;
    this.hours += HOURS_VERIFY;
    this.riskRevealed[suspect] = true;
    const changed = (this.changeCount[suspect] as number) > 0;
    let result: Verdict | SuiteResult;
    let text: string;
    if (changed) {
      // The suite after a change: catches pending collateral from any change.
      const pending = this.changes.filter((c) => c.collateral && c.caughtAt < 0);
      for (const c of pending) c.caughtAt = step;
      if (pending.length > 0) this.hours += HOURS_COLLATERAL_REPAIR * pending.length;
      const symptom = suspect === this.real && this.patched && !this.rootFixed && this.fate.symptomSeen < P_SYMPTOM_SEEN;
      if (symptom) this.symptomSeen = true;
      if (pending.length > 0) {
        result = 'collateral_caught';
        text = `The full suite shows ${pending.length} regression(s) elsewhere caused by your change(s); repaired before merging.`;
      } else if (symptom) {
        result = 'symptom_only';
        text = 'The failing tests pass, but the patched code path still misbehaves: the patch hides the symptom, not the cause.';
      } else if (this.green) {
        result = 'fix_holds';
        text = 'The full suite passes; no regression elsewhere.';
      } else {
        result = 'still_failing';
        text = `The full suite still shows the ${this.failing} original failures; no new regression.`;
      }
      if (symptom && pending.length > 0) text += ' The patched code path still misbehaves: the patch hides the symptom.';
      this.verifications.push({ step, suspect, phase: 'after_change', result, text });
      return `${text} Changing this code carries ${s.risk} collateral risk.`;
    }
    const attempt = this.verifyCount[suspect] as number;
    this.verifyCount[suspect] = attempt + 1;
    if (attempt >= VERIFY_DEPTH) {
      result = 'nothing_new';
      text = 'Nothing new: the experiment repeats what you already saw.';
    } else {
      const isReal = suspect === this.real;
      const stated = this.hypotheses.some((h) => h.suspect === suspect);
      const [pc, pi] = (isReal ? VERIFY_P.real : VERIFY_P.decoy)[stated ? 'stated' : 'unstated'];
      const draw = s.verifyDraw[attempt] as number;
      result = draw < pc ? 'confirmed' : draw < pi ? 'inconclusive' : 'refuted';
      if (result === 'confirmed') {
        this.confirmed[suspect] = true;
        text = `Confirmed: ${s.root} Blast radius ${s.blast}; cards it hits: ${s.hits.length > 0 ? s.hits.map((c) => `[${c}]`).join(' ') : 'none'}.`;
      } else if (result === 'inconclusive') text = 'Inconclusive: the experiment neither reproduces nor rules out this cause.';
      else text = 'Refuted: with this suspect ruled out the failures still reproduce.';
    }
    this.verifications.push({ step, suspect, phase: 'before_change', result, text });
    return `${text} Changing this code carries ${s.risk} collateral risk.`;
  }

  finish(): EpisodeResult<RecoveryFacts> {
    return recoveryOutcome(this);
  }

  hidden(): RecoveryHidden {
    const real = this.suspects[this.real] as Suspect;
    return {
      realSuspect: this.real,
      realCategory: real.category,
      rootCause: real.root,
      blastRadius: real.blast,
      invalidCards: real.hits.slice(),
      rightChange: rightChange(this.invalidCount),
      suspects: this.suspects.map((s) => ({ category: s.category, collateralRisk: s.risk })),
      recurrenceLaterDraw: round3(this.fate.recurLater),
    };
  }

  secrets(): Secret[] {
    const real = this.suspects[this.real] as Suspect;
    const out: Secret[] = [
      { id: 'root_cause', text: real.root, revealed: this.confirmed[this.real] === true },
      {
        id: 'plan_validity',
        text: `Undeliverable this sprint: ${real.hits.length > 0 ? real.hits.map((c) => (this.cards[c] as Card).title).join(', ') : 'no card'}; the rest of the plan holds.`,
        revealed: false,
      },
    ];
    for (let i = 0; i < SUSPECTS; i++) {
      const s = this.suspects[i] as Suspect;
      out.push({
        id: `collateral_risk_${i}`,
        text: `Changing the ${s.category} code risks collateral damage at the ${s.risk} level.`,
        revealed: this.riskRevealed[i] === true,
      });
    }
    return out;
  }
}

const SUSPECT_ARG = { kind: 'int', min: 0, max: SUSPECTS - 1, description: 'index of a suspect in the list' } as const;

export const recoveryWorld: EpisodeWorld<RecoveryView, RecoveryFacts, RecoveryHidden> = {
  name: 'recovery',
  spec: EPISODE_SPECS.recovery,
  summary:
    'After a disturbance turned the build red under sprint-deadline pressure: verify hypotheses, fix the root cause (not the loudest symptom) without collateral damage, replan the sprint in proportion to the damage, and capture a learning that prevents recurrence.',
  actions: {
    diagnose_root_cause: {
      description:
        'Name a suspect as the root cause. change=state_only states the hypothesis without touching code; fix_cause changes the code at the cause; patch_symptom silences the failing tests where they fail.',
      args: {
        suspect: SUSPECT_ARG,
        change: { kind: 'enum', values: CHANGES, description: 'state the hypothesis only, fix the cause, or patch the symptom' },
      },
      asserts: true,
    },
    verify_hypothesis: {
      description:
        'Check a suspect: before changing it, an experiment that confirms, refutes or is inconclusive (and shows the collateral risk of changing it); after changing it, run the full suite to catch regressions.',
      args: { suspect: SUSPECT_ARG },
    },
    replan_sprint: {
      description:
        'Replan the rest of the sprint (ends the recovery): keep the plan, or drop 1 (minimal), 2 (partial) or 3 cards and re-plan everything (full); communicate says whether the team and product owner are told what changed and why.',
      args: {
        change: { kind: 'enum', values: REPLAN_CHANGES, description: 'size of the plan change' },
        communicate: { kind: 'bool', description: 'tell the team and product owner what changed and why' },
      },
      asserts: true,
    },
    capture_learning: {
      description: 'Record a learning for the team about a suspect: its root cause, a prevention, the symptom seen, or who/what to blame.',
      args: {
        kind: { kind: 'enum', values: LEARNING_KINDS, description: 'what the learning records' },
        suspect: SUSPECT_ARG,
      },
      asserts: true,
    },
  },
  maxTurns: 28,
  levers: [
    {
      name: 'verify_before_fix',
      direction: 'up',
      description:
        'Stating a hypothesis and verifying it before changing code finds the real cause (the loudest symptom is usually a decoy): fewer changes to green, fewer wrong changes with their collateral risk.',
    },
    {
      name: 'fix_root_cause',
      direction: 'up',
      description:
        'Fixing the cause rather than patching the symptom: a patch turns the tests green but the cause returns within the sprint 75% of the time (+8 h, tests red again, rework).',
    },
    {
      name: 'change_without_suite',
      direction: 'down',
      description:
        'A change not followed by a suite run (verify_hypothesis after the change) lets collateral breakage escape: +6 h, a card broken in review, coverage lost.',
    },
    {
      name: 'proportional_replan',
      direction: 'up',
      description:
        'A replan whose size matches the damage (verified blast radius) keeps every valid card and drops the invalid ones; forcing the old plan wastes hours on undeliverable cards, throwing the plan away drops valid work.',
    },
    {
      name: 'silent_replan',
      direction: 'down',
      description: 'Dropping cards without telling the team costs 2 h per dropped card the team kept working on.',
    },
    {
      name: 'root_cause_learning',
      direction: 'up',
      description:
        'A root-cause (25%) or prevention (10%) learning about the real cause lowers the later-recurrence chance from 50%; symptom or blame learnings change nothing.',
    },
    {
      name: 'random_changes',
      direction: 'down',
      description: 'Changing suspects that are not the cause costs hours, keeps the build red and risks collateral damage.',
    },
  ],
  vocabulary: [
    'task:recovery',
    ...DISTURBANCES.map((d) => `dist:${d}`),
    ...SEVERITIES.map((s) => `sev:${s}`),
    ...[3, 4, 5, 6, 7].map((d) => `days_left:${d}`),
    ...[0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((p) => `failing:p${p}`),
    'tests:green',
    'tests:red',
    ...[0, 1, 2, 3, 4, 5].flatMap((j) => [...[1, 2, 3, 5].map((p) => `card${j}:pts${p}`), `card${j}:touches`, `affected:card${j}`]),
    ...[0, 1, 2, 3].flatMap((i) => [
      ...SUSPECT_CATEGORIES.map((c) => `s${i}:${c}`),
      `s${i}:explains_all`,
      `s${i}:explains_some`,
      `s${i}:loudest`,
      ...RISKS.map((r) => `s${i}:risk_${r}`),
      ...BLAST_RADII.map((b) => `s${i}:blast_${b}`),
      `hyp:s${i}`,
      `verify:s${i}`,
      `fix_cause:s${i}`,
      `patch_symptom:s${i}`,
      `learned:s${i}`,
    ]),
    ...[...VERDICTS, ...SUITE_RESULTS].map((r) => `result:${r}`),
    ...LEARNING_KINDS.map((k) => `learned:${k}`),
  ],
  create: (rng, options) => new RecoveryEpisode(rng, options),
};
