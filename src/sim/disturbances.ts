/**
 * The disturbance engine: the seven disturbance types of `spec/curriculum.yaml`, each with a true
 * severity and blast radius and a concrete effect on the sprint's state.
 *
 *   type                         targets (waits until they exist)          effect
 *   dependency_breaks            in-progress cards                          cards blocked for days
 *   production_incident          developers (and the cards they work)       capacity lost, their cards paused
 *   flaky_test                   cards in review or QA (else started ones)  tests failing: cards reopened / effort added
 *   scope_creep                  committed stories not yet done             scope added: new cards
 *   junior_misunderstanding      started cards a junior authored            cards reopened with rework
 *   architectural_debt_surfaces  started in-progress cards                  effort added (high+: blocked a day)
 *   merge_conflict               two or more started cards (dev/review)     rework; reviewed cards reopened
 *
 * Scheduling: at sprint start each type fires with its per-sprint probability (default
 * `DISTURBANCE_FREQUENCIES`) on a drawn day in 1..days−1, or later if its targets do not exist yet
 * (a disturbance that targets in-progress cards waits for them). Every fate of a disturbance
 * (whether, when, how bad, which targets) comes from a generator keyed by the sprint seed and the
 * type, so a sprint with disturbances and its calm twin differ only in what the disturbances cause.
 *
 * Blast radius: a drawn intended radius (task / story / sprint, wider for worse severities) picks
 * the targets; the blast-radius limits (maximum cards and stories per disturbance) then cut the
 * target set, and the recorded `blastRadius` is what it actually touched.
 */

import { round1 } from '../core/numbers.js';
import { Rng } from '../core/rng.js';
import {
  BLAST_RADII,
  type BlastRadius,
  DISTURBANCE_FREQUENCIES,
  DISTURBANCE_TYPES,
  type DisturbanceType,
  SEVERITIES,
  type Severity,
} from '../spec/curriculum.js';
import type { KanbanState } from './sprint.js';
import type { Disturbance, DisturbanceEffect, SprintStory, SprintWorld, WorkCard, WorkerState } from './sprint-world.js';

/** Per-sprint probabilities, one per type. */
export type DisturbanceFrequencies = Record<DisturbanceType, number>;

export const NO_DISTURBANCES: Readonly<DisturbanceFrequencies> = Object.fromEntries(DISTURBANCE_TYPES.map((t) => [t, 0])) as Record<
  DisturbanceType,
  number
>;

/** How bad each severity is, as a damage multiplier. */
export const SEVERITY_MAGNITUDE: Record<Severity, number> = { low: 1.5, medium: 3, high: 5, critical: 7 };

interface DisturbanceModel {
  /** What it targets, for docs and reports. */
  targets: string;
  effect: string;
  /** Severity weights (low, medium, high, critical). */
  severity: readonly [number, number, number, number];
}

export const DISTURBANCE_MODELS: Record<DisturbanceType, DisturbanceModel> = {
  dependency_breaks: {
    targets: 'in-progress cards',
    effect: 'an upstream dependency breaks: the cards are blocked for 1-3 days',
    severity: [0.3, 0.4, 0.2, 0.1],
  },
  production_incident: {
    targets: 'developers on call (and the cards they work)',
    effect: 'developers are pulled onto the incident: capacity lost, their cards paused; critical spills into the next day',
    severity: [0.2, 0.35, 0.3, 0.15],
  },
  flaky_test: {
    targets: 'cards in review or QA (else started in-progress cards)',
    effect: 'tests fail intermittently: the cards go back to development (or get more work) for investigation',
    severity: [0.5, 0.35, 0.15, 0],
  },
  scope_creep: {
    targets: 'committed stories not yet done',
    effect: 'the product owner adds scope: new cards on the stories',
    severity: [0.35, 0.4, 0.2, 0.05],
  },
  junior_misunderstanding: {
    targets: 'started cards a junior developer authored',
    effect: 'the junior built the wrong thing: the cards are reopened with rework',
    severity: [0.4, 0.4, 0.2, 0],
  },
  architectural_debt_surfaces: {
    targets: 'started in-progress cards',
    effect: 'hidden design debt: effort added to the cards; high or critical also blocks them a day',
    severity: [0.25, 0.4, 0.25, 0.1],
  },
  merge_conflict: {
    targets: 'two or more started cards in development or review',
    effect: 'conflicting changes: rework on the cards; reviewed cards go back to development',
    severity: [0.5, 0.35, 0.15, 0],
  },
};

/** Intended blast-radius weights (task, story, sprint) by severity index. */
const RADIUS_WEIGHTS: readonly (readonly [number, number, number])[] = [
  [0.7, 0.25, 0.05],
  [0.45, 0.4, 0.15],
  [0.2, 0.45, 0.35],
  [0.05, 0.35, 0.6],
];

/** Draws a severity for a type. */
export function drawSeverity(rng: Rng, type: DisturbanceType): Severity {
  return SEVERITIES[rng.weightedIndex(DISTURBANCE_MODELS[type].severity)] as Severity;
}

function drawRadius(rng: Rng, severity: Severity): BlastRadius {
  return BLAST_RADII[rng.weightedIndex(RADIUS_WEIGHTS[SEVERITIES.indexOf(severity)] as readonly number[])] as BlastRadius;
}

function newDisturbance(
  rng: Rng,
  id: string,
  type: DisturbanceType,
  severity: Severity,
  day: number,
  source: 'random' | 'injected',
  radius?: BlastRadius,
): Disturbance {
  return {
    id,
    type,
    severity,
    intendedRadius: radius ?? drawRadius(rng, severity),
    blastRadius: 'task',
    source,
    scheduledDay: day,
    firedDay: 0,
    cardsAffected: [],
    storiesAffected: [],
    membersAffected: [],
    contained: false,
    effects: [],
    responseFactor: 1,
    rng,
  };
}

/**
 * The disturbances of one sprint, drawn at its start. Each type has its own generator keyed by
 * `(seed, teamId, type)`: whether it fires, its day, severity, radius and targets.
 */
export function scheduleDisturbances(
  seed: number,
  teamId: string,
  frequencies: Readonly<DisturbanceFrequencies>,
  days: number,
): Disturbance[] {
  const out: Disturbance[] = [];
  for (const type of DISTURBANCE_TYPES) {
    const p = frequencies[type];
    if (!(p > 0)) continue;
    const rng = Rng.seeded(seed, 'disturbance', teamId, type);
    if (!rng.chance(p)) continue;
    const day = rng.intBetween(1, Math.max(1, days - 1));
    out.push(newDisturbance(rng, `${teamId}-${type}`, type, drawSeverity(rng, type), day, 'random'));
  }
  return out;
}

/** A disturbance the curriculum injects (environment control `inject_disturbance`). */
export function injectedDisturbance(
  seed: number,
  teamId: string,
  index: number,
  type: DisturbanceType,
  severity: Severity,
  day: number,
  radius?: BlastRadius,
): Disturbance {
  const rng = Rng.seeded(seed, 'injected', teamId, index, type);
  return newDisturbance(rng, `${teamId}-inj${index}-${type}`, type, severity, day, 'injected', radius);
}

/** Default or overridden frequencies; `false` turns them all off. */
export function resolveFrequencies(setting: boolean | Partial<DisturbanceFrequencies> | undefined): DisturbanceFrequencies {
  if (setting === false) return { ...NO_DISTURBANCES };
  const out: DisturbanceFrequencies = { ...DISTURBANCE_FREQUENCIES };
  if (setting && typeof setting === 'object') {
    for (const [key, value] of Object.entries(setting)) {
      if (!(DISTURBANCE_TYPES as readonly string[]).includes(key)) throw new RangeError(`unknown disturbance type "${key}"`);
      if (typeof value !== 'number' || !(value >= 0 && value <= 1))
        throw new RangeError(`disturbance frequency of ${key} must be a probability in [0, 1], got ${value}`);
      out[key as DisturbanceType] = value;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Targets
// ---------------------------------------------------------------------------------------------

const DEV_COLUMNS: readonly KanbanState[] = ['in_progress', 'review'];

function started(card: WorkCard): boolean {
  return card.effortSpent > 0;
}

/** Candidate cards for a card-targeting type, in board order; empty when it has to wait. */
function targetCards(world: SprintWorld, type: DisturbanceType): WorkCard[] {
  const cards = world.cards();
  const out: WorkCard[] = [];
  switch (type) {
    case 'dependency_breaks':
      for (const c of cards) if (c.state === 'in_progress' && !world.isBlocked(c)) out.push(c);
      return out;
    case 'flaky_test':
      // Tests run in review and QA; failing that, in development on started cards.
      for (const c of cards) if (c.state === 'review' || c.state === 'qa') out.push(c);
      if (out.length === 0) for (const c of cards) if (c.state === 'in_progress' && started(c)) out.push(c);
      return out;
    case 'junior_misunderstanding':
      for (const c of cards) {
        if (c.state === 'backlog' || c.state === 'ready' || !started(c)) continue;
        if (world.worker(c.author)?.member.seniority === 'junior') out.push(c);
      }
      return out;
    case 'architectural_debt_surfaces':
      // Debt surfaces where people are working: started, unblocked cards.
      for (const c of cards) if (c.state === 'in_progress' && started(c) && !world.isBlocked(c)) out.push(c);
      return out;
    case 'merge_conflict':
      for (const c of cards) if (DEV_COLUMNS.includes(c.state) && started(c)) out.push(c);
      return out.length >= 2 ? out : [];
    default:
      return out;
  }
}

/**
 * Picks the cards a disturbance would touch at its intended radius: one card (task), the cards of
 * one story (story), or cards across stories (sprint); then applies the limits.
 */
function pickCards(world: SprintWorld, d: Disturbance, pool: WorkCard[]): WorkCard[] {
  const rng = d.rng;
  const sev = SEVERITIES.indexOf(d.severity);
  let chosen: WorkCard[];
  if (d.intendedRadius === 'task') {
    chosen = [rng.pick(pool)];
  } else if (d.intendedRadius === 'story') {
    const first = rng.pick(pool);
    chosen = [first, ...pool.filter((c) => c !== first && c.story === first.story)].slice(0, 2 + sev);
  } else {
    chosen = rng.shuffle(pool).slice(0, 2 + sev);
  }
  return limitCards(world, d, chosen);
}

/** Keeps cards in order while the card and story limits allow; marks the disturbance contained if cut. */
function limitCards(world: SprintWorld, d: Disturbance, chosen: readonly WorkCard[]): WorkCard[] {
  const out: WorkCard[] = [];
  const stories = new Set<number>();
  for (const c of chosen) {
    if (out.length >= world.limits.maxCards || (!stories.has(c.story) && stories.size >= world.limits.maxStories)) {
      d.contained = true;
      continue;
    }
    out.push(c);
    stories.add(c.story);
  }
  return out;
}

/** Actual radius from what was touched. */
function actualRadius(cards: number, stories: number, members: number): BlastRadius {
  if (stories >= 2 || members >= 3) return 'sprint';
  if (cards >= 2 || members === 2) return 'story';
  return 'task';
}

/**
 * Chooses the targets of a due disturbance if they exist today (`world.day >= scheduledDay`).
 * Returns false when it has to wait. Sets `cardsAffected`, `storiesAffected`, `membersAffected`,
 * `blastRadius` and `contained`; the effects are applied separately (`applyDisturbance`) so the
 * candidate can triage in between.
 */
export function selectTargets(world: SprintWorld, d: Disturbance): boolean {
  if (world.day < d.scheduledDay || d.firedDay > 0) return false;
  const sev = SEVERITIES.indexOf(d.severity);
  if (d.type === 'production_incident') return selectIncident(world, d, sev);
  if (d.type === 'scope_creep') {
    const open = world.stories.filter((s) => s.committed && s.doneDay === 0);
    if (open.length === 0) return false;
    const want = d.intendedRadius === 'sprint' ? Math.min(open.length, 2 + (sev >> 1)) : 1;
    const perStory = d.intendedRadius === 'story' ? 2 : 1;
    const picked = d.rng.sample(open, want);
    // New cards count against the card limit, their stories against the story limit.
    const stories: SprintStory[] = [];
    let cards = 0;
    for (const s of picked) {
      if (stories.length >= world.limits.maxStories || cards + 1 > world.limits.maxCards) {
        d.contained = true;
        break;
      }
      const n = Math.min(perStory, world.limits.maxCards - cards);
      if (n < perStory) d.contained = true;
      cards += n;
      stories.push(s);
      d.storiesAffected.push(s.story.id);
      for (let i = 0; i < n; i++) d.cardsAffected.push(`${s.story.id}#new${i}`);
    }
    if (stories.length === 0) return false;
    d.firedDay = world.day;
    d.blastRadius = actualRadius(cards, stories.length, 0);
    return true;
  }
  const pool = targetCards(world, d.type);
  if (pool.length === 0) return false;
  const cards = pickCards(world, d, pool);
  if (cards.length === 0) return false;
  d.firedDay = world.day;
  const stories = new Set<string>();
  for (const c of cards) {
    d.cardsAffected.push(c.id);
    stories.add(c.storyId);
  }
  d.storiesAffected.push(...stories);
  d.blastRadius = actualRadius(cards.length, stories.size, 0);
  return true;
}

function selectIncident(world: SprintWorld, d: Disturbance, sev: number): boolean {
  const devs = world.workers.filter((w) => w.active && w.mode === 'dev');
  if (devs.length === 0) return false;
  const want = d.intendedRadius === 'task' ? 1 : d.intendedRadius === 'story' ? 2 : Math.min(devs.length, 3 + (sev >> 1));
  // The on-call rotation prefers experienced developers.
  const order = d.rng.shuffle(devs).sort((a, b) => rank(b) - rank(a));
  const pulled: WorkerState[] = [];
  const stories = new Set<number>();
  let cards = 0;
  for (const w of order) {
    if (pulled.length >= want) break;
    const card = w.card;
    if (card && !d.cardsAffected.includes(card.id)) {
      const newStory = !stories.has(card.story);
      if (cards + 1 > world.limits.maxCards || (newStory && stories.size >= world.limits.maxStories)) {
        d.contained = true;
        continue;
      }
      cards++;
      stories.add(card.story);
      d.cardsAffected.push(card.id);
    }
    pulled.push(w);
    d.membersAffected.push(w.member.id);
  }
  if (pulled.length === 0) return false;
  for (const s of stories) d.storiesAffected.push((world.stories[s] as SprintStory).story.id);
  d.firedDay = world.day;
  d.blastRadius = actualRadius(cards, stories.size, pulled.length);
  return true;
}

function rank(w: WorkerState): number {
  return w.member.seniority === 'senior' ? 2 : w.member.seniority === 'mid' ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------
// Effects
// ---------------------------------------------------------------------------------------------

/**
 * Applies a fired disturbance's effect to the sprint state, scaled by `d.responseFactor` (the
 * candidate's triage and recovery; 1 when nobody triaged). Returns the effects, also stored on
 * `d.effects`.
 */
export function applyDisturbance(world: SprintWorld, d: Disturbance): DisturbanceEffect[] {
  const m = SEVERITY_MAGNITUDE[d.severity] * d.responseFactor;
  const effects = d.effects;
  const byId = new Map<string, WorkCard>();
  for (const c of world.cards()) byId.set(c.id, c);
  const cards = d.cardsAffected.map((id) => byId.get(id)).filter((c): c is WorkCard => c !== undefined);
  switch (d.type) {
    case 'dependency_breaks': {
      const days = Math.max(1, Math.round(0.6 * m));
      for (const c of cards) {
        c.blockedUntil = Math.max(c.blockedUntil, world.day + days - 1);
        c.blocked = true;
        effects.push({ kind: 'blocked', target: c.id, amount: days, note: `blocked ${days} day(s): the upstream dependency is broken` });
      }
      break;
    }
    case 'production_incident': {
      const hours = round1(Math.min(6, 1.5 * m));
      for (const id of d.membersAffected) {
        const w = world.worker(id) as WorkerState;
        w.lostToday += hours;
        if (d.severity === 'critical') w.lostTomorrow += round1(3 * d.responseFactor);
        effects.push({
          kind: 'capacity_lost',
          target: id,
          amount: hours,
          note: `${w.member.name} pulled onto the incident for ${hours} h`,
        });
      }
      for (const c of cards) {
        c.blockedUntil = Math.max(c.blockedUntil, world.day);
        c.blocked = true;
        effects.push({ kind: 'blocked', target: c.id, amount: 1, note: 'paused while its developer handles the incident' });
      }
      break;
    }
    case 'flaky_test': {
      const hours = round1(0.75 * m);
      for (const c of cards) {
        effects.push({ kind: 'tests_failing', target: c.id, amount: hours, note: `tests fail intermittently in ${c.state}` });
        if (c.state === 'in_progress') {
          c.remaining += hours;
          effects.push({ kind: 'effort_added', target: c.id, amount: hours, note: `${hours} h to find and fix the flaky test` });
        } else {
          world.reopen(c, hours);
          effects.push({
            kind: 'reopened',
            target: c.id,
            amount: hours,
            note: `back to development: ${hours} h to find and fix the flaky test`,
          });
        }
      }
      break;
    }
    case 'scope_creep': {
      const hours = round1(2 * m);
      const perStory = new Map<string, number>();
      for (const key of d.cardsAffected) {
        const storyId = key.slice(0, key.indexOf('#'));
        perStory.set(storyId, (perStory.get(storyId) ?? 0) + 1);
      }
      const added: string[] = [];
      for (const [storyId, n] of perStory) {
        const story = world.stories.find((s) => s.story.id === storyId) as SprintStory;
        for (let i = 0; i < n; i++) {
          const card = world.addCard(story, 'scope', hours, d.rng);
          added.push(card.id);
          effects.push({
            kind: 'scope_added',
            target: card.id,
            amount: hours,
            note: `the product owner added ${hours} h of scope to ${storyId}`,
          });
        }
      }
      d.cardsAffected = added;
      break;
    }
    case 'junior_misunderstanding': {
      const hours = round1(1.5 * m);
      for (const c of cards) {
        world.reopen(c, hours);
        effects.push({ kind: 'reopened', target: c.id, amount: hours, note: `misunderstood requirement: ${hours} h of rework` });
      }
      break;
    }
    case 'architectural_debt_surfaces': {
      const hours = round1(2 * m);
      for (const c of cards) {
        c.remaining += hours;
        effects.push({ kind: 'effort_added', target: c.id, amount: hours, note: `design debt surfaced: ${hours} h more work` });
        if (d.severity === 'high' || d.severity === 'critical') {
          c.blockedUntil = Math.max(c.blockedUntil, world.day);
          c.blocked = true;
          effects.push({ kind: 'blocked', target: c.id, amount: 1, note: 'blocked a day for a design discussion' });
        }
      }
      break;
    }
    case 'merge_conflict': {
      const hours = round1(m);
      for (const c of cards) {
        if (c.state === 'review') {
          world.reopen(c, hours);
          effects.push({
            kind: 'reopened',
            target: c.id,
            amount: hours,
            note: `conflict found in review: ${hours} h to rebase and retest`,
          });
        } else {
          c.remaining += hours;
          effects.push({ kind: 'effort_added', target: c.id, amount: hours, note: `conflict while merging: ${hours} h to resolve` });
        }
      }
      break;
    }
  }
  return effects;
}

/** One line describing a fired disturbance, for reports. */
export function describeDisturbance(d: Disturbance): string {
  if (d.firedDay === 0) return `${d.type} (${d.severity}) scheduled for day ${d.scheduledDay}: never fired (no targets)`;
  const contained = d.contained ? `, contained from ${d.intendedRadius}` : '';
  return `day ${d.firedDay}: ${d.type} — severity ${d.severity}, blast radius ${d.blastRadius}${contained}; ${d.effects.length} effect(s) on ${
    d.cardsAffected.length
  } card(s), ${d.storiesAffected.length} story(ies), ${d.membersAffected.length} member(s)`;
}
