/**
 * The wall-clock budget of a run (`--max-minutes`): pretraining, the warm start, RL and the final
 * evaluation all draw on it, across resumes (a checkpoint carries the time already spent). The
 * clock only decides when to stop, never what is computed.
 */

export class Budget {
  private readonly started: number;

  constructor(
    /** The whole budget, milliseconds. */
    readonly totalMs: number,
    private readonly clock: () => number,
    /** Milliseconds spent before this process (a resumed run). */
    private readonly spentBefore = 0,
  ) {
    this.started = clock();
  }

  /** Milliseconds the run has used, earlier processes included. */
  elapsed(): number {
    return this.spentBefore + this.clock() - this.started;
  }

  /** Milliseconds left (negative when over). */
  remaining(): number {
    return this.totalMs - this.elapsed();
  }
}

/** How fast the model plays, measured on the last iteration's rollouts. */
export interface PlayRate {
  decisionsPerSecond: number;
  decisionsPerEpisode: number;
}

/**
 * Time the final evaluation needs: two model passes (trained and base) over `episodes` held-out
 * episodes at the measured rate, with a 50% margin; without a measured rate, a quarter of the budget.
 */
export function evaluationReserve(episodes: number, rate: PlayRate, budget: Budget): number {
  if (rate.decisionsPerSecond <= 0) return budget.totalMs * 0.25;
  return ((episodes * 2 * rate.decisionsPerEpisode) / rate.decisionsPerSecond) * 1000 * 1.5;
}
