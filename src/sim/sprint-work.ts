/**
 * The work of a team's day on the kanban board: developers pull cards (unassigned in-progress cards
 * first, then ready cards under the WIP limit; their own stories first), review teammates' cards,
 * develop and pair when nobody is free; testers test and find defects with a chance (a found defect
 * sends the card back); a story whose cards are all done goes through its acceptance test; people
 * swap roles when profile swapping allows; finished cards flow right where the WIP limits allow.
 * The day runs in `WORK_SLOTS` slots, and ends with the day's summary on the sprint log.
 */

import { round1 } from '../core/numbers.js';
import { Rng } from '../core/rng.js';
import { KANBAN_STATES, type KanbanState } from './sprint.js';
import type { SprintStory, SprintWorld, WorkCard, WorkerState } from './sprint-world.js';

/** Share of a story's missed requirements the acceptance test finds. */
export const QA_FINDS_MISSED = 0.5;
/** Slots a work day is split into (work flows between columns from slot to slot). */
export const WORK_SLOTS = 3;

/** Board totals at the start of a day, for the day's summary. */
export interface DayStart {
  swaps: number;
  idle: number;
}

/** The work on one team's board, day by day. */
export class BoardWork {
  constructor(
    private readonly world: SprintWorld,
    private readonly seed: number,
    /** Called when a story's first card starts. */
    private readonly storyStarted: (story: SprintStory) => void,
  ) {}

  private get teamId(): string {
    return this.world.teamId;
  }

  private speed(x: WorkerState): number {
    const skill = x.candidate ? 0.55 : (x.member.skills[this.world.domain] ?? 0.5);
    const base = x.mode === 'test' && x.homeMode !== 'test' ? 0.8 : 0.5 + skill;
    return base * x.proficiency * x.ramp * (x.swappedToday ? this.swapProficiency() : 1);
  }

  private swapProficiency(): number {
    return this.world.swapMode === 'free' ? 0.85 : 0.6;
  }

  /** Free developers take cards: unassigned in-progress cards first, then ready cards under the WIP limit. */
  assign(): void {
    const w = this.world;
    for (const x of w.workers) {
      if (!x.active || x.mode !== 'dev' || x.card) continue;
      this.pull(x);
    }
  }

  private pull(x: WorkerState): WorkCard | undefined {
    const w = this.world;
    const cards = w.cards();
    let best: WorkCard | undefined;
    let bestScore = Number.POSITIVE_INFINITY;
    for (const c of cards) {
      if (c.state !== 'in_progress' || c.assignees.length > 0 || c.blocked || c.remaining <= 0) continue;
      const score = (w.stories[c.story] as SprintStory).priority - (this.owns(x, c) ? 1000 : 0);
      if (score < bestScore) {
        best = c;
        bestScore = score;
      }
    }
    if (!best && w.board.count('in_progress') < (w.board.wipLimits.in_progress ?? Number.POSITIVE_INFINITY)) {
      for (const c of cards) {
        if (c.state !== 'ready' || c.blocked) continue;
        // A swapped-in tester under constrained swapping takes only small cards.
        if (x.swappedToday && w.swapMode === 'constrained' && c.remaining > 4) continue;
        const score = (w.stories[c.story] as SprintStory).priority - (this.owns(x, c) ? 1000 : 0);
        if (score < bestScore) {
          best = c;
          bestScore = score;
        }
      }
      if (best) best.state = 'in_progress';
    }
    if (!best) return undefined;
    best.assignees = [x.member.id];
    x.card = best;
    if (best.startedDay === 0) {
      best.startedDay = w.day;
      best.author = x.member.id;
      const story = w.stories[best.story] as SprintStory;
      if (story.startedDay === 0) {
        story.startedDay = w.day;
        this.storyStarted(story);
      }
    }
    return best;
  }

  private owns(x: WorkerState, c: WorkCard): boolean {
    return (this.world.stories[c.story] as SprintStory).owner === x.member.id;
  }

  /** One day of work: reviews first, then development (pairs when free), then QA; swaps if allowed. */
  work(): void {
    const w = this.world;
    const people: WorkerState[] = [];
    const budget: number[] = [];
    for (const x of w.workers) {
      if (!x.active || x.mode === 'product') continue;
      people.push(x);
      budget.push(Math.max(0, x.member.hoursPerDay - x.lostToday));
      w.lostHours += Math.min(x.member.hoursPerDay, x.lostToday);
    }
    const n = people.length;
    const hours = new Array<number>(n).fill(0);
    // The day runs in slots so work flows within it: a card developed in the morning can be
    // reviewed and tested by the afternoon, and a defect QA finds can be fixed the same day.
    let swapsLeft = w.swapMode === 'constrained' ? 2 : w.swapMode === 'free' ? Number.POSITIVE_INFINITY : 0;
    for (let slot = 0; slot < WORK_SLOTS; slot++) {
      const share = 1 / (WORK_SLOTS - slot);
      for (let i = 0; i < n; i++) hours[i] = (budget[i] as number) * share;
      // Reviews first: stop starting, start finishing.
      for (let i = 0; i < n; i++) {
        const x = people[i] as WorkerState;
        const h = hours[i] as number;
        if (x.mode !== 'dev' || h <= 0) continue;
        const cap = Math.min(h, 0.75);
        hours[i] = this.review(x, cap) + (h - cap);
      }
      this.flow();
      for (let i = 0; i < n; i++)
        if ((people[i] as WorkerState).mode === 'dev') hours[i] = this.develop(people[i] as WorkerState, hours[i] as number);
      this.flow();
      for (let i = 0; i < n; i++)
        if ((people[i] as WorkerState).mode === 'test') hours[i] = this.test(people[i] as WorkerState, hours[i] as number);
      // Profile swapping: people with nothing to do in their role help the other column.
      if (swapsLeft > 0) {
        for (let i = 0; i < n; i++) {
          const x = people[i] as WorkerState;
          const h = hours[i] as number;
          if (h < 0.5 || swapsLeft <= 0 || x.swappedToday) continue;
          if (w.swapMode === 'constrained' && x.member.seniority === 'junior') continue;
          if (x.mode === 'test' && this.devWorkAvailable()) {
            this.swap(x, 'dev');
            swapsLeft--;
            hours[i] = this.develop(x, h);
          } else if (x.mode === 'dev' && w.cardsIn('qa').some((c) => c.testLeft > 0)) {
            this.swap(x, 'test');
            swapsLeft--;
            hours[i] = this.test(x, h);
          }
        }
      }
      for (let i = 0; i < n; i++) {
        budget[i] = (budget[i] as number) * (1 - share);
        w.idleHours += hours[i] as number;
      }
      this.flow();
    }
  }

  private swap(x: WorkerState, mode: 'dev' | 'test'): void {
    const w = this.world;
    x.mode = mode;
    x.swappedToday = true;
    w.swapsTotal++;
    w.events.push(`${x.member.name} (${x.member.role}) swapped to ${mode === 'dev' ? 'development' : 'testing'}`);
  }

  private devWorkAvailable(): boolean {
    const w = this.world;
    const room = w.board.count('in_progress') < (w.board.wipLimits.in_progress ?? Number.POSITIVE_INFINITY);
    for (const c of w.cards()) {
      if (c.blocked) continue;
      if (c.state === 'in_progress' && c.assignees.length === 0 && c.remaining > 0) return true;
      if (room && c.state === 'ready') return true;
    }
    return false;
  }

  private review(x: WorkerState, budget: number): number {
    const w = this.world;
    let h = budget;
    for (const c of w.cards()) {
      if (h <= 0) break;
      if (c.state !== 'review' || c.reviewLeft <= 0 || c.author === x.member.id) continue;
      const spend = Math.min(h, c.reviewLeft);
      c.reviewLeft -= spend;
      h -= spend;
    }
    return h;
  }

  /** Develops for `h` hours; returns hours left unused. */
  private develop(x: WorkerState, hours: number): number {
    const w = this.world;
    let h = hours;
    let guard = 0;
    while (h > 1e-6 && guard++ < 20) {
      let card = x.card;
      const workable = card !== undefined && card.state === 'in_progress' && !card.blocked && card.remaining > 0;
      if (!workable) {
        if (card) {
          card.assignees = card.assignees.filter((id) => id !== x.member.id);
          x.card = undefined;
        }
        // Stop starting, start finishing: review a teammate's card before pulling a new one.
        const reviewed = this.review(x, h);
        if (reviewed < h - 1e-6) {
          h = reviewed;
          continue;
        }
        card = this.pull(x);
      }
      if (!card) {
        // Nobody free to start: pair on the in-progress card with the most work left.
        const partner = this.pairTarget(x);
        if (!partner) break;
        const rate = 0.7 * this.speed(x);
        const spend = Math.min(h, partner.remaining / rate);
        partner.remaining -= spend * rate;
        partner.effortSpent += spend;
        h -= spend;
        w.pairHours += spend;
        if (!partner.assignees.includes(x.member.id)) partner.assignees.push(x.member.id);
        if (partner.remaining <= 1e-6) {
          this.finishDev(partner);
          this.toReview(partner);
        }
        continue;
      }
      const rate = this.speed(x);
      const spend = Math.min(h, card.remaining / rate);
      card.remaining -= spend * rate;
      card.effortSpent += spend;
      h -= spend;
      if (card.remaining <= 1e-6) {
        this.finishDev(card);
        w.release(card);
        x.card = undefined;
        this.toReview(card);
      }
    }
    return h;
  }

  private pairTarget(x: WorkerState): WorkCard | undefined {
    let best: WorkCard | undefined;
    for (const c of this.world.cards()) {
      if (c.state !== 'in_progress' || c.blocked || c.remaining <= 0 || c.assignees.length === 0) continue;
      if (c.assignees.includes(x.member.id)) continue;
      if (!best || c.remaining > best.remaining) best = c;
    }
    return best;
  }

  /** Development finished: defects appear by the owner's defect rate (lower when a senior paired). */
  private finishDev(card: WorkCard): void {
    card.remaining = 0;
    if (card.qaPasses > 0 || card.reopened > 0) return;
    const w = this.world;
    const story = w.stories[card.story] as SprintStory;
    let rate = story.defectRate;
    for (const id of card.assignees) if (id !== card.author && w.worker(id)?.member.seniority === 'senior') rate *= 0.6;
    let defects = 0;
    for (const roll of card.defectRolls) if (roll < rate) defects++;
    card.defects = defects;
  }

  /** Tests for `h` hours; returns hours left unused. */
  private test(x: WorkerState, hours: number): number {
    const w = this.world;
    let h = hours;
    const skill = x.member.skills[w.domain] ?? 0.5;
    const pDetect = x.homeMode === 'test' ? 0.5 + 0.4 * skill : 0.45;
    for (const c of w.cards()) {
      if (h <= 1e-6) break;
      if (c.state !== 'qa' || c.testLeft <= 0) continue;
      const rate = this.speed(x);
      const spend = Math.min(h, c.testLeft / rate);
      c.testLeft -= spend * rate;
      h -= spend;
      if (c.testLeft <= 1e-6) this.finishQa(c, pDetect);
    }
    return h;
  }

  private finishQa(card: WorkCard, pDetect: number): void {
    const w = this.world;
    const roll = card.detectRolls[Math.min(card.qaPasses, card.detectRolls.length - 1)] as number;
    card.qaPasses++;
    if (card.defects > 0 && roll < pDetect) {
      const n = card.defects;
      card.defects = 0;
      w.reopen(card, 1.5 * n);
      w.events.push(`${card.id}: QA found ${n} defect(s); back to development`);
      return;
    }
    card.escaped += card.defects;
    card.defects = 0;
    card.state = 'done';
    card.doneDay = w.day;
    this.acceptanceTest(w.stories[card.story] as SprintStory);
  }

  /** When all of a story's cards are done, its acceptance test may find missed requirements. */
  private acceptanceTest(s: SprintStory): void {
    const w = this.world;
    for (const c of s.cards) if (c.state !== 'done') return;
    for (const m of s.missed) if (m.found) m.resolved = true;
    let added = 0;
    for (const m of s.missed) {
      if (m.found || m.qaRoll >= QA_FINDS_MISSED) continue;
      m.found = true;
      added++;
      const hours = 3 * m.impact * (1 + s.story.points / 5);
      const card = w.addCard(s, 'rework', hours, Rng.seeded(this.seed, 'rework', this.teamId, s.story.id, s.cards.length));
      w.events.push(`${s.story.id}: acceptance test found a missed requirement; ${card.id} (${hours.toFixed(1)} h)`);
    }
    if (added === 0) {
      s.doneDay = w.day;
      w.events.push(`${s.story.id} passed QA (${s.story.points} points)`);
    }
  }

  /** A card whose development just ended goes to review at once when there is room (frees its WIP slot). */
  private toReview(card: WorkCard): void {
    const w = this.world;
    if (card.blocked || w.board.count('review') >= (w.board.wipLimits.review ?? Number.POSITIVE_INFINITY)) return;
    card.state = 'review';
    card.reviewLeft = card.reviewLeft > 0 ? card.reviewLeft : 1;
    w.release(card);
  }

  /** Moves finished cards right where the WIP limits allow. */
  private flow(): void {
    const w = this.world;
    const cards = w.cards();
    let inReview = 0;
    let inQa = 0;
    for (const c of cards) {
      if (c.state === 'review') inReview++;
      else if (c.state === 'qa') inQa++;
    }
    const reviewLimit = w.board.wipLimits.review ?? Number.POSITIVE_INFINITY;
    const qaLimit = w.board.wipLimits.qa ?? Number.POSITIVE_INFINITY;
    for (const c of cards) {
      if (c.state === 'in_progress' && c.remaining <= 1e-6 && !c.blocked && inReview < reviewLimit) {
        c.state = 'review';
        c.reviewLeft = c.reviewLeft > 0 ? c.reviewLeft : 1;
        w.release(c);
        inReview++;
      }
      if (c.state === 'review' && c.reviewLeft <= 1e-6 && inQa < qaLimit) {
        c.state = 'qa';
        inReview--;
        inQa++;
      }
    }
  }

  /** The end of a day: hidden blockers surface, swapped people go back to their role, the day's summary is logged. */
  closeDay(day: number, dayStart: DayStart): void {
    const w = this.world;
    for (const c of w.cards()) {
      if (c.state === 'in_progress' && c.hiddenBlockDays > 0 && c.effortSpent > 0) {
        c.blockedUntil = day + c.hiddenBlockDays;
        w.events.push(`${c.id}: a hard dependency nobody planned for blocks it for ${c.hiddenBlockDays} day(s)`);
        c.hiddenBlockDays = 0;
      }
    }
    // Swapped people go back to their role; their cards stay in the column for a developer.
    for (const x of w.workers) {
      if (x.swappedToday && x.homeMode !== 'dev' && x.card) {
        w.release(x.card);
        x.card = undefined;
      }
    }
    const columns = {} as Record<KanbanState, number>;
    for (const state of KANBAN_STATES) columns[state] = 0;
    let blocked = 0;
    const inProgress: string[] = [];
    let pairs = 0;
    for (const c of w.cards()) {
      columns[c.state]++;
      if (c.blockedUntil >= day) blocked++;
      if (c.state === 'in_progress') {
        inProgress.push(c.id);
        if (c.assignees.length > 1) pairs++;
      }
    }
    let points = 0;
    let stories = 0;
    for (const s of w.stories) {
      if (s.doneDay > 0) {
        points += s.story.points;
        stories++;
      }
    }
    let lost = 0;
    for (const x of w.workers) if (x.active && x.mode !== 'product') lost += Math.min(x.member.hoursPerDay, x.lostToday);
    w.log.push({
      day,
      columns,
      blocked,
      inProgressCards: inProgress,
      pointsDone: points,
      storiesDone: stories,
      pairs,
      swaps: w.swapsTotal - dayStart.swaps,
      idleHours: round1(w.idleHours - dayStart.idle),
      lostHours: round1(lost),
      events: w.events,
    });
  }
}
