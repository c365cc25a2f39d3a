/**
 * Performative risk (anti-gaming): how much of an episode's senior-looking activity was motion
 * without substance, read from structured evidence only — the decisions and the links from each
 * decision to the outcomes it caused (`finish()` of each episode type), never from wording.
 *
 * Two parts, each a fraction in [0, 1]:
 * - hollow motions: of the episode's "motion" decisions (questions, assumptions, dependencies,
 *   risks, reads, checkpoints, research, searches, fetches ...), those whose links say they
 *   changed nothing or were wrong (redundant/excess questions, answers that revealed nothing that
 *   mattered, false dependencies and risks, checkpoints and escalations without need, patched
 *   symptoms, research and fetches never used, repeated assessments, excess investigation), plus
 *   motions with no effect at all (assumptions never checked, files read and never touched,
 *   research on a suspect never named; in elicitation, any question whose answer did not change
 *   the implementation);
 * - confident while wrong: the stated confidence of the asserting decisions linked to a negative
 *   outcome (an optimistic assessment, a wrong checkpoint, an overconfident answer, ready too
 *   early ...), summed and divided by the number of asserting decisions.
 *
 * score = 0.6 x hollow + 0.4 x confident-while-wrong (a part that cannot be measured is dropped).
 */
import type { PerformativeRules } from '../core/scorer.js';
import type { DecisionRecord, Trace } from '../core/trace.js';
import { EPISODE_TYPES } from '../episodes/all.js';

export interface PerformativeRisk {
  /** In [0, 1]: 0 = every motion had substance, 1 = all performance. */
  score: number;
  reasons: string[];
  /** Decisions the score rests on (hollow or confidently wrong). */
  decisionIds: string[];
}

const HIGH_CONFIDENCE = 0.8;
const HOLLOW_WEIGHT = 0.6;
const CONFIDENT_WRONG_WEIGHT = 0.4;

function valid(decisions: readonly DecisionRecord[]): DecisionRecord[] {
  return decisions.filter((d) => d.valid);
}

/** Each episode type's rules, by name (a trace of an unknown type has none). */
const RULES: ReadonlyMap<string, PerformativeRules> = new Map(EPISODE_TYPES.map((t) => [t.name, t.performative]));

/** Performative risk of one episode's trace (see the module comment). */
export function performativeRisk(trace: Trace): PerformativeRisk {
  const rules = RULES.get(trace.type);
  const decisions = valid(trace.decisions);
  const reasons: string[] = [];
  const flagged = new Set<string>();

  let hollowPart: number | null = null;
  if (rules) {
    const motions = decisions.filter((d) => rules.motions.has(d.action.type));
    const hollow = new Set<string>();
    const counts = new Map<string, number>();
    for (const d of motions) {
      if (rules.substantive && d.links.some((l) => rules.substantive?.has(l.effect))) continue;
      for (const l of d.links)
        if (rules.hollow.has(l.effect)) {
          hollow.add(d.id);
          counts.set(l.effect, (counts.get(l.effect) ?? 0) + 1);
        }
      if (rules.requireSubstance && !hollow.has(d.id) && d.action.type !== 'state_assumption') {
        hollow.add(d.id);
        counts.set('no_effect', (counts.get('no_effect') ?? 0) + 1);
      }
    }
    for (const [effect, n] of [...counts].sort((a, b) => b[1] - a[1])) reasons.push(`${n} x ${effect}`);
    for (const extra of rules.unlinked?.(trace.decisions) ?? []) {
      for (const id of extra.ids) hollow.add(id);
      reasons.push(extra.reason);
    }
    if (motions.length > 0) hollowPart = Math.min(1, hollow.size / motions.length);
    for (const id of hollow) flagged.add(id);
  }

  // Confidence mass on wrong assertions: each asserting decision linked to a bad outcome counts
  // its stated confidence, over all asserting decisions.
  const asserting = decisions.filter((d) => d.action.confidence !== undefined);
  const wrong = asserting.filter((d) => d.links.some((l) => l.value < 0));
  const confidentPart = asserting.length > 0 ? wrong.reduce((sum, d) => sum + (d.action.confidence as number), 0) / asserting.length : null;
  const confidentWrong = wrong.filter((d) => (d.action.confidence as number) >= HIGH_CONFIDENCE);
  if (confidentWrong.length > 0)
    reasons.push(`${confidentWrong.length} decision(s) stated with confidence >= ${HIGH_CONFIDENCE} linked to a bad outcome`);
  for (const d of confidentWrong) flagged.add(d.id);

  let total = 0;
  let weight = 0;
  if (hollowPart !== null) {
    total += HOLLOW_WEIGHT * hollowPart;
    weight += HOLLOW_WEIGHT;
  }
  if (confidentPart !== null) {
    total += CONFIDENT_WRONG_WEIGHT * confidentPart;
    weight += CONFIDENT_WRONG_WEIGHT;
  }
  const score = weight > 0 ? Math.min(1, Math.max(0, total / weight)) : 0;
  const order = new Map(trace.decisions.map((d, i) => [d.id, i]));
  const decisionIds = [...flagged].sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
  return { score, reasons, decisionIds };
}
