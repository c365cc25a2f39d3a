/**
 * Refinement and planning of one team's sprint: which backlog stories the team commits to and who
 * owns them, the requirements each owner fails to elicit, and how each owner decomposes its stories
 * into cards on the board (with the hidden blockers and late work its plan misses).
 *
 * Scripted owners play a parametric model driven by their skill in the team's domain; the
 * candidate plays an `elicitation` and a `decomposition` episode per story it owns, whose facts set
 * the same quantities (the scripted model with the seat's skill stands in when a type is not
 * available). Every fate is drawn from a generator keyed by (seed, team, story).
 */

import { Rng } from '../core/rng.js';
import { type CandidateSeat, type SprintStep, storyOptions } from './sprint-episodes.js';
import {
  HOURS_PER_POINT,
  type SprintStory,
  type SprintWorld,
  scriptedDefectRate,
  scriptedEffortFactor,
  type WorkCard,
  type WorkerState,
} from './sprint-world.js';

/** Share of capacity the team plans to fill at planning. */
export const PLANNING_FOCUS = 0.62;

/**
 * The stories refinement prepares for the sprint: in priority order up to the forecast (team
 * developer hours × days × PLANNING_FOCUS / HOURS_PER_POINT); owners assigned (the candidate takes
 * the first few stories of at most 5 points, scripted developers the rest, most skilled first).
 * Returns the stories left in the backlog, in priority order.
 */
export function commitStories(
  world: SprintWorld,
  backlog: readonly SprintStory[],
  candidateId: string | undefined,
  candidateStories: number,
): SprintStory[] {
  const w = world;
  const devs = w.workers.filter((x) => x.active && x.homeMode === 'dev');
  let devHours = 0;
  for (const d of devs) devHours += Math.max(0, d.member.hoursPerDay - 0.25);
  const forecast = (devHours * w.days * PLANNING_FOCUS) / HOURS_PER_POINT;
  let committed = 0;
  const ordered = backlog.slice().sort((a, b) => a.priority - b.priority);
  for (const s of ordered) {
    if (committed + s.story.points > forecast) continue;
    committed += s.story.points;
    s.committed = true;
    s.index = w.stories.length;
    w.stories.push(s);
  }
  const uncommitted = ordered.filter((s) => !s.committed);
  let owned = 0;
  if (candidateId) {
    for (const s of w.stories) {
      if (owned >= candidateStories) break;
      if (s.story.points > 5) continue;
      s.owner = candidateId;
      s.candidate = true;
      owned++;
    }
  }
  const others = devs.filter((x) => !x.candidate).sort((a, b) => b.member.skills[w.domain] - a.member.skills[w.domain]);
  let next = 0;
  for (const s of w.stories) {
    if (s.owner) continue;
    s.owner = others.length > 0 ? (others[next++ % others.length] as WorkerState).member.id : (devs[0]?.member.id ?? '');
  }
  return uncommitted;
}

/** The skill of a story's owner in the team's domain (0.5 when the owner is unknown). */
function ownerSkill(world: SprintWorld, s: SprintStory): number {
  const member = world.worker(s.owner)?.member;
  return member ? (member.skills[world.domain] ?? 0.5) : 0.5;
}

/** Unstated requirements the owner failed to ask about (scripted: by skill). */
export function scriptedElicitation(world: SprintWorld, seed: number, s: SprintStory, skill = ownerSkill(world, s)): void {
  const rng = Rng.seeded(seed, 'elicit', world.teamId, s.story.id);
  const pAsk = 0.25 + 0.8 * skill;
  for (const r of s.story.requirements) {
    if (r.stated || r.obvious) continue;
    const asked = rng.next() < pAsk;
    const qaRoll = rng.next();
    const poRoll = rng.next();
    if (!asked && r.impact >= 0.35) s.missed.push({ impact: r.impact, qaRoll, poRoll, resolved: false, found: false });
  }
}

/** The candidate's elicitation episode for a story it owns: the requirements it missed, the hours its questions took. */
export function* candidateElicitation(seat: CandidateSeat, s: SprintStory): SprintStep {
  const req = seat.request('elicitation', 'refinement', s.story.id, storyOptions(s), { storyId: s.story.id });
  const result = yield req;
  if (!result) {
    scriptedElicitation(seat.world, seat.seed, s, seat.skill());
    seat.record(req, undefined, `scripted stand-in: ${s.missed.length} requirement(s) missed`);
    return;
  }
  const missedCount = numericFact(result.facts.importantMissed, Math.round(2 * (1 - result.components.story_accepted)));
  // The story's own hidden gaps, most impactful first, stand for what the candidate missed.
  const rng = Rng.seeded(seat.seed, 'elicit', seat.world.teamId, s.story.id);
  const gaps = s.story.requirements.filter((r) => !r.stated && !r.obvious).sort((a, b) => b.impact - a.impact);
  for (let i = 0; i < missedCount; i++) {
    const impact = gaps[i]?.impact ?? 0.6;
    s.missed.push({ impact, qaRoll: rng.next(), poRoll: rng.next(), resolved: false, found: false });
  }
  const questionHours = Math.min(3, numericFact(result.facts.questionHours, 0));
  const worker = seat.worker();
  if (worker) worker.lostTomorrow += questionHours;
  seat.record(req, result, `${missedCount} requirement(s) missed; ${questionHours.toFixed(1)} h of questions`);
}

function baseEffort(s: SprintStory): number {
  return s.story.points * HOURS_PER_POINT * s.sizeFactor;
}

/** Splits a story's effort into `n` cards on the board. */
function makeCards(world: SprintWorld, s: SprintStory, n: number, rng: Rng): void {
  const total = baseEffort(s) * s.effortFactor;
  const weights: number[] = [];
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const x = rng.uniform(0.6, 1.4);
    weights.push(x);
    sum += x;
  }
  for (let i = 0; i < n; i++) world.addCard(s, 'task', (total * (weights[i] as number)) / sum, rng);
}

/** A scripted owner's decomposition: cards, a hard dependency it may miss, late work, effort and defect rate by skill. */
export function scriptedDecomposition(world: SprintWorld, seed: number, s: SprintStory, skill = ownerSkill(world, s)): void {
  const rng = Rng.seeded(seed, 'decompose', world.teamId, s.story.id);
  const n = Math.max(1, Math.ceil(s.story.points / 2) + (rng.chance(0.3) ? 1 : 0));
  const hasHardDependency = rng.chance(0.25);
  const found = rng.next() < 0.3 + 0.8 * skill;
  const lateWork = rng.next() < 0.5 * (1 - skill);
  s.effortFactor = scriptedEffortFactor(skill, rng);
  s.defectRate = scriptedDefectRate(skill);
  s.implemented = true;
  makeCards(world, s, n, rng);
  if (hasHardDependency && !found) (s.cards[0] as WorkCard).hiddenBlockDays = 1 + (rng.chance(0.3) ? 1 : 0);
  if (lateWork) {
    s.discoveredHours = 0.2 * baseEffort(s);
    s.discoveryDay = 2;
  }
}

/** The candidate's decomposition episode for a story it owns: cards, hidden blockers, late work. */
export function* candidateDecomposition(seat: CandidateSeat, s: SprintStory): SprintStep {
  const req = seat.request('decomposition', 'planning', s.story.id, storyOptions(s), { storyId: s.story.id });
  const result = yield req;
  if (!result) {
    scriptedDecomposition(seat.world, seat.seed, s, seat.skill());
    s.implemented = false;
    seat.record(req, undefined, `scripted stand-in: ${s.cards.length} card(s)`);
    return;
  }
  const rng = Rng.seeded(seat.seed, 'decompose', seat.world.teamId, s.story.id);
  const tasks = numericFact(result.facts.tasksCreated, Math.ceil(s.story.points / 2));
  const n = Math.max(1, Math.min(6, Math.round(tasks * Math.min(1, s.story.points / 3))));
  const missedHard = numericFact(result.facts.missedHardDependencies, result.outcome < 0.5 ? 1 : 0);
  const missing = numericFact(result.facts.missingComponents, 0);
  const survived = result.facts.approachSurvived !== false;
  if (!survived) s.effortFactor += 0.2;
  makeCards(seat.world, s, n, rng);
  if (missedHard > 0) (s.cards[0] as WorkCard).hiddenBlockDays = Math.min(3, missedHard);
  if (missing > 0) {
    s.discoveredHours = Math.min(0.5, 0.15 * missing) * baseEffort(s);
    s.discoveryDay = 2;
  }
  seat.record(
    req,
    result,
    `${n} card(s); ${missedHard} hidden blocker(s); ${s.discoveredHours.toFixed(1)} h of late work${survived ? '' : '; approach did not survive (+20% effort)'}`,
  );
}

/** A numeric fact of a played episode, or the fallback when it is missing or not a finite number. */
function numericFact(value: number | boolean | string | undefined, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}
