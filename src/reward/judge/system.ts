/**
 * The edge: the real clock, timers and random generator. Library code in this folder takes them as
 * options (tests inject fakes); this file is the only place that touches `Date.now`, `setTimeout`
 * and `Math.random`.
 */

export interface JudgeClock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms` milliseconds, or early (without throwing) when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** A signal that aborts with a `TimeoutError` after `ms` milliseconds. */
  timeout(ms: number): AbortSignal;
}

export const SYSTEM_CLOCK: JudgeClock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve) => {
      if (signal?.aborted) return resolve();
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      }
      signal?.addEventListener('abort', done, { once: true });
    }),
  timeout: (ms) => AbortSignal.timeout(ms),
};

/** Uniform in [0, 1); used only for retry jitter, which does not affect results. */
export const SYSTEM_RANDOM = (): number => Math.random();
