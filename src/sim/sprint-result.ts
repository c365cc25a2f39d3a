/**
 * The end of one team's sprint and what it reports: the sprint review (the product owner accepts
 * each story that passed QA unless a missed requirement or an escaped defect shows), the team's
 * result (velocity, stories, cycle time, hours, swaps, disturbances, the day-by-day log) and the
 * retrospective's notes on what cost the team most.
 */

import { mean, round1, round2 } from '../core/numbers.js';
import type { ProfileSwappingMode } from '../spec/curriculum.js';
import type { Domain } from '../spec/episodes.js';
import { describeDisturbance } from './disturbances.js';
import type { BlastRadiusLimits, DaySummary, Disturbance, SprintWorld } from './sprint-world.js';

/** Chance the product owner notices one escaped defect at review. */
export const PO_FINDS_ESCAPED = 0.35;

export interface StoryReport {
  id: string;
  title: string;
  points: number;
  owner: string;
  candidate: boolean;
  committed: boolean;
  cards: number;
  qaPassed: boolean;
  poAccepted: boolean;
  rejectedReason: string;
  /** Days from the first card started to QA passed (inclusive); 0 when not finished. */
  cycleTimeDays: number;
  missedRequirements: number;
  escapedDefects: number;
  reopened: number;
}

export interface DisturbanceReport {
  id: string;
  type: string;
  severity: string;
  intendedRadius: string;
  blastRadius: string;
  source: string;
  scheduledDay: number;
  firedDay: number;
  contained: boolean;
  cardsAffected: string[];
  storiesAffected: string[];
  membersAffected: string[];
  responseFactor: number;
  effects: Disturbance['effects'];
  summary: string;
}

export interface TeamSprintResult {
  teamId: string;
  domain: Domain;
  days: number;
  profileSwapping: ProfileSwappingMode;
  blastRadius: BlastRadiusLimits | 'off';
  candidateSeat: string | null;
  committedPoints: number;
  committedStories: number;
  /** Points of stories the product owner accepted. */
  velocity: number;
  acceptedStories: number;
  qaPassedStories: number;
  candidateStories: { total: number; qaPassed: number; accepted: number; points: number; acceptedPoints: number };
  cycleTime: { mean: number; median: number; values: number[] };
  capacityHours: number;
  lostHours: number;
  idleHours: number;
  pairHours: number;
  swaps: number;
  stories: StoryReport[];
  disturbances: DisturbanceReport[];
  daysLog: DaySummary[];
  retrospective: string[];
}

/** Sprint review: the product owner accepts finished stories unless a gap or an escaped defect shows. */
export function reviewSprint(world: SprintWorld): void {
  const w = world;
  w.day = w.days + 1;
  for (const s of w.stories) {
    if (!s.committed) continue;
    s.qaPassed = s.doneDay > 0;
    if (!s.qaPassed) {
      s.rejectedReason = 'not finished';
      continue;
    }
    const gap = s.missed.find((m) => !m.resolved && m.poRoll < m.impact);
    let escaped = 0;
    for (const c of s.cards) escaped += c.escaped;
    let noticed = false;
    for (let i = 0; i < Math.min(escaped, s.escapeRolls.length); i++) if ((s.escapeRolls[i] as number) < PO_FINDS_ESCAPED) noticed = true;
    if (gap) s.rejectedReason = 'a requirement nobody asked about is missing';
    else if (noticed) s.rejectedReason = 'the product owner hit a defect';
    else s.poAccepted = true;
  }
}

/** The team's sprint result; `blastRadius` is the setting the sprint ran with, `candidateSeat` the candidate's member id. */
export function teamSprintResult(
  world: SprintWorld,
  blastRadius: BlastRadiusLimits | 'off',
  candidateSeat: string | undefined,
): TeamSprintResult {
  const w = world;
  const stories: StoryReport[] = w.stories
    .filter((s) => s.committed)
    .map((s) => {
      let escaped = 0;
      let reopened = 0;
      for (const c of s.cards) {
        escaped += c.escaped;
        reopened += c.reopened;
      }
      return {
        id: s.story.id,
        title: s.story.title,
        points: s.story.points,
        owner: s.owner,
        candidate: s.candidate,
        committed: s.committed,
        cards: s.cards.length,
        qaPassed: s.qaPassed,
        poAccepted: s.poAccepted,
        rejectedReason: s.rejectedReason,
        cycleTimeDays: s.doneDay > 0 ? s.doneDay - s.startedDay + 1 : 0,
        missedRequirements: s.missed.length,
        escapedDefects: escaped,
        reopened,
      };
    });
  const cycle = stories.filter((s) => s.qaPassed).map((s) => s.cycleTimeDays);
  const sorted = cycle.slice().sort((a, b) => a - b);
  const mine = stories.filter((s) => s.candidate);
  let capacity = 0;
  for (const x of w.workers) if (x.member.role !== 'product_owner') capacity += x.member.hoursPerDay * w.days;
  const velocity = stories.reduce((a, s) => a + (s.poAccepted ? s.points : 0), 0);
  return {
    teamId: w.teamId,
    domain: w.domain,
    days: w.days,
    profileSwapping: w.swapMode,
    blastRadius,
    candidateSeat: candidateSeat ?? null,
    committedPoints: stories.reduce((a, s) => a + s.points, 0),
    committedStories: stories.length,
    velocity,
    acceptedStories: stories.filter((s) => s.poAccepted).length,
    qaPassedStories: stories.filter((s) => s.qaPassed).length,
    candidateStories: {
      total: mine.length,
      qaPassed: mine.filter((s) => s.qaPassed).length,
      accepted: mine.filter((s) => s.poAccepted).length,
      points: mine.reduce((a, s) => a + s.points, 0),
      acceptedPoints: mine.reduce((a, s) => a + (s.poAccepted ? s.points : 0), 0),
    },
    cycleTime: {
      mean: round2(mean(cycle)),
      median: sorted.length ? (sorted[Math.floor((sorted.length - 1) / 2)] as number) : 0,
      values: cycle,
    },
    capacityHours: capacity,
    lostHours: round1(w.lostHours),
    idleHours: round1(w.idleHours),
    pairHours: round1(w.pairHours),
    swaps: w.swapsTotal,
    stories,
    disturbances: w.disturbances
      .slice()
      .sort((a, b) => (a.firedDay || 99) - (b.firedDay || 99) || a.scheduledDay - b.scheduledDay)
      .map((d) => ({
        id: d.id,
        type: d.type,
        severity: d.severity,
        intendedRadius: d.intendedRadius,
        blastRadius: d.blastRadius,
        source: d.source,
        scheduledDay: d.scheduledDay,
        firedDay: d.firedDay,
        contained: d.contained,
        cardsAffected: d.cardsAffected,
        storiesAffected: d.storiesAffected,
        membersAffected: d.membersAffected,
        responseFactor: d.responseFactor,
        effects: d.effects,
        summary: describeDisturbance(d),
      })),
    daysLog: w.log,
    retrospective: retrospective(w, stories),
  };
}

/** Retrospective: what cost the team most, in the team's words. */
function retrospective(world: SprintWorld, stories: StoryReport[]): string[] {
  const w = world;
  const notes: string[] = [];
  const fired = w.disturbances.filter((d) => d.firedDay > 0);
  if (fired.length > 0) notes.push(`${fired.length} disturbance(s) hit us: ${fired.map((d) => `${d.type} (${d.severity})`).join(', ')}.`);
  const blockedDays = w.log.reduce((a, l) => a + l.blocked, 0);
  if (blockedDays > 0) notes.push(`${blockedDays} card-day(s) blocked.`);
  const missed = stories.reduce((a, s) => a + s.missedRequirements, 0);
  if (missed > 0) notes.push(`${missed} requirement(s) missed in refinement; ask the product owner earlier.`);
  const reopened = stories.reduce((a, s) => a + s.reopened, 0);
  if (reopened > 0) notes.push(`${reopened} card reopening(s) (defects, flaky tests, conflicts).`);
  if (w.idleHours > 10) notes.push(`${round1(w.idleHours)} idle hours: WIP limits or the QA queue held work back.`);
  const unfinished = stories.filter((s) => !s.qaPassed).length;
  if (unfinished > 0) notes.push(`${unfinished} committed story(ies) not finished: commit less or split smaller.`);
  if (notes.length === 0) notes.push('A calm sprint: keep doing what worked.');
  return notes;
}
