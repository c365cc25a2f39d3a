/**
 * Kanban board, WIP limits, the sprint clock and capacity.
 *
 * Episodes charge their costs (questions asked, rework, blocked days) to a `Sprint`, and read the
 * velocity effect from it: the share of planned capacity left for committed work.
 */
import type { TeamMember } from './team.js';

export const KANBAN_STATES = ['backlog', 'ready', 'in_progress', 'review', 'qa', 'done'] as const;
export type KanbanState = (typeof KANBAN_STATES)[number];

export const DEFAULT_WIP_LIMITS: Readonly<Partial<Record<KanbanState, number>>> = { in_progress: 4, review: 3, qa: 2 };

export interface Card {
  id: string;
  storyId: string;
  title: string;
  points: number;
  state: KanbanState;
  assignees: string[];
  blocked: boolean;
}

export class KanbanBoard {
  readonly cards: Card[] = [];
  constructor(readonly wipLimits: Readonly<Partial<Record<KanbanState, number>>> = DEFAULT_WIP_LIMITS) {}

  add(card: Omit<Card, 'state' | 'blocked' | 'assignees'> & Partial<Pick<Card, 'assignees'>>): Card {
    const full: Card = { ...card, state: 'backlog', blocked: false, assignees: card.assignees ?? [] };
    this.cards.push(full);
    return full;
  }

  count(state: KanbanState): number {
    let n = 0;
    for (const c of this.cards) if (c.state === state) n++;
    return n;
  }

  /** Moves a card; refuses (returns an error message) when the target column is at its WIP limit. */
  move(cardId: string, to: KanbanState): string | undefined {
    const card = this.cards.find((c) => c.id === cardId);
    if (!card) return `no card ${cardId}`;
    const limit = this.wipLimits[to];
    if (limit !== undefined && card.state !== to && this.count(to) >= limit) {
      return `WIP limit of ${limit} reached in ${to}`;
    }
    card.state = to;
    return undefined;
  }
}

/** Sprint clock and capacity, in team focus hours. */
export class Sprint {
  readonly days: number;
  /** Current day, 1-based. */
  day: number;
  readonly capacityHours: number;
  /** Hours spent on things other than committed work (meetings, rework, waiting). */
  overheadHours = 0;
  readonly board: KanbanBoard;

  constructor(team: readonly TeamMember[], options: { days?: number; day?: number; board?: KanbanBoard } = {}) {
    this.days = options.days ?? 10;
    this.day = options.day ?? 1;
    let perDay = 0;
    for (const m of team) if (m.role !== 'product_owner') perDay += m.hoursPerDay;
    this.capacityHours = perDay * this.days;
    this.board = options.board ?? new KanbanBoard();
  }

  charge(hours: number): void {
    this.overheadHours += Math.max(0, hours);
  }

  /** Share of the sprint's capacity still available for committed work, in [0, 1]. */
  velocityFactor(): number {
    return Math.max(0, 1 - this.overheadHours / this.capacityHours);
  }
}
