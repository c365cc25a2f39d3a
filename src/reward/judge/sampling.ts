/**
 * Which episodes the judge sees. Deterministic by episode id: the same id always gets the same
 * answer, across processes and restarts, so a resumed run judges the same episodes.
 */

import { createHash } from 'node:crypto';

export type SamplingSchedule =
  /** Every episode. */
  | { kind: 'all' }
  /** About one episode in `every` (`every` >= 1), chosen by the hash of its id. */
  | { kind: 'every'; every: number; salt?: string }
  /** About `fraction` of the episodes (0..1), chosen by the hash of its id. */
  | { kind: 'fraction'; fraction: number; salt?: string };

/** A uniform number in [0, 1) from the sha256 of salt and episode id. */
export function episodeUnit(episodeId: string, salt = ''): number {
  const digest = createHash('sha256').update(`${salt}\u0000${episodeId}`).digest();
  return digest.readUInt32BE(0) / 2 ** 32;
}

/** True when the schedule selects this episode. Throws on an invalid schedule (a configuration error). */
export function isSampled(schedule: SamplingSchedule, episodeId: string): boolean {
  switch (schedule.kind) {
    case 'all':
      return true;
    case 'every': {
      if (!Number.isInteger(schedule.every) || schedule.every < 1) {
        throw new RangeError(`sampling.every must be an integer >= 1, got ${schedule.every}`);
      }
      const digest = createHash('sha256')
        .update(`${schedule.salt ?? ''}\u0000${episodeId}`)
        .digest();
      return digest.readUInt32BE(0) % schedule.every === 0;
    }
    case 'fraction': {
      if (!(schedule.fraction >= 0 && schedule.fraction <= 1)) {
        throw new RangeError(`sampling.fraction must be in [0, 1], got ${schedule.fraction}`);
      }
      return episodeUnit(episodeId, schedule.salt) < schedule.fraction;
    }
  }
}
