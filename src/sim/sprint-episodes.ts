/**
 * The candidate's episodes in a full sprint: the request a sprint yields when the candidate has to
 * act, the outcome it gets back, the record of what each episode did, and the candidate's seat in
 * one team's sprint (`CandidateSeat`), which plays the work-day episodes:
 *   implementation   when a story the candidate owns starts → effort and defect rate
 *   self_monitoring  the mid-sprint checkpoint on its story with the most work left → remaining effort
 *   triage, then recovery (scope_change for scope creep)  when a disturbance hits its work → damage
 * Refinement and planning episodes are played in `sprint-planning.ts` through the same seat.
 */

import type { ScenarioOptions } from '../core/episode.js';
import { clamp, round3 } from '../core/numbers.js';
import { Rng } from '../core/rng.js';
import { SEVERITY_RANK } from '../spec/curriculum.js';
import type { EpisodeTypeName } from '../spec/episodes.js';
import type { OutcomeComponents } from '../spec/reward.js';
import {
  type Disturbance,
  type SprintStory,
  type SprintWorld,
  scriptedDefectRate,
  scriptedEffortFactor,
  type WorkerState,
} from './sprint-world.js';

/** A request for the candidate to play one phase episode. */
export interface EpisodeRequest {
  type: EpisodeTypeName;
  /** Episode seed (derived from the sprint seed, the team, the purpose and the story). */
  seed: number;
  options: ScenarioOptions;
  /** Why: 'refinement', 'planning', 'implementation', 'checkpoint', 'triage', 'recovery', 'scope_change'. */
  purpose: string;
  storyId?: string;
  disturbanceId?: string;
  teamId: string;
  day: number;
}

/** What the sprint needs back from a played episode. */
export interface PhaseEpisode {
  outcome: number;
  components: OutcomeComponents;
  facts: Record<string, number | boolean | string>;
  turns: number;
}

export interface EpisodeRecord {
  type: EpisodeTypeName;
  purpose: string;
  teamId: string;
  day: number;
  seed: number;
  storyId?: string;
  disturbanceId?: string;
  /** False when the type was not available and the seat's scripted model stood in. */
  played: boolean;
  outcome?: number;
  turns?: number;
  /** What the outcome did to the sprint. */
  effect: string;
}

/** A phase of a team's sprint: yields the candidate's episode requests, receives their outcomes. */
export type SprintStep = Generator<EpisodeRequest, void, PhaseEpisode | undefined>;

/** The scenario options of an episode about a story (they match the story). */
export function storyOptions(s: SprintStory): ScenarioOptions {
  const st = s.story;
  return {
    domain: st.domain,
    language: st.language,
    ambiguity: st.ambiguity,
    storyPoints: st.points,
    codebase: st.codebase,
    technicalDebt: st.technicalDebt,
  };
}

/** The candidate's seat in one team's sprint: its episode requests and records, and its work-day episodes. */
export class CandidateSeat {
  /** The candidate left the team: it plays no more episodes, its stories go on with the scripted model. */
  left = false;
  /** Stories of the candidate that started and wait for their implementation episode. */
  private readonly pendingImplementation: SprintStory[] = [];

  constructor(
    readonly world: SprintWorld,
    readonly seed: number,
    /** Member id of the seat; undefined when the team has no candidate. */
    readonly memberId: string | undefined,
    /** Every episode the seat was asked to play, in order. */
    private readonly records: EpisodeRecord[],
  ) {}

  request(
    type: EpisodeTypeName,
    purpose: string,
    key: string,
    options: ScenarioOptions,
    extra: Partial<EpisodeRequest> = {},
  ): EpisodeRequest {
    const seed = Rng.seeded(this.seed, 'episode', this.world.teamId, purpose, key).nextUint32();
    return { type, seed, options, purpose, teamId: this.world.teamId, day: this.world.day, ...extra };
  }

  record(request: EpisodeRequest, result: PhaseEpisode | undefined, effect: string): void {
    this.records.push(episodeRecord(request, result, effect));
  }

  /** The seat's worker on the board, when the team has a candidate. */
  worker(): WorkerState | undefined {
    return this.memberId ? this.world.worker(this.memberId) : undefined;
  }

  /** The seat member's skill in the team's domain: what its scripted stand-in plays with. */
  skill(): number {
    return this.worker()?.member.skills[this.world.domain] ?? 0.55;
  }

  /** A story started on the board: a story of the candidate's waits for its implementation episode. */
  storyStarted(story: SprintStory): void {
    if (story.candidate && !story.implemented) this.pendingImplementation.push(story);
  }

  /** The candidate's implementation episode for each story of its that started. */
  *implementation(): SprintStep {
    if (this.left) this.pendingImplementation.length = 0;
    while (this.pendingImplementation.length > 0) {
      const s = this.pendingImplementation.shift() as SprintStory;
      s.implemented = true;
      const req = this.request('implementation', 'implementation', s.story.id, storyOptions(s), { storyId: s.story.id });
      const result = yield req;
      let factor: number;
      if (result) {
        const c = result.components;
        factor = 1 + 0.5 * (1 - c.low_iteration_count) + 0.4 * (1 - c.velocity_maintained);
        s.defectRate = 0.04 + 0.45 * (1 - c.tests_passing) + (c.story_accepted >= 0.5 ? 0 : 0.15);
      } else {
        const skill = this.skill();
        const rng = Rng.seeded(this.seed, 'implement', this.world.teamId, s.story.id);
        factor = scriptedEffortFactor(skill, rng);
        s.defectRate = scriptedDefectRate(skill);
      }
      s.effortFactor *= factor;
      for (const c of s.cards) if (c.state !== 'done') c.remaining *= factor;
      this.record(req, result, `effort ×${factor.toFixed(2)}, defect rate ${s.defectRate.toFixed(2)}`);
    }
  }

  /** Mid-sprint checkpoint on the candidate's story with the most work left. */
  *checkpoint(): SprintStep {
    const w = this.world;
    if (this.left) return;
    let target: SprintStory | undefined;
    let most = 0;
    for (const s of w.stories) {
      if (!s.candidate || s.checkpointed || s.startedDay === 0 || s.doneDay > 0) continue;
      let left = 0;
      for (const c of s.cards) if (c.state !== 'done') left += c.remaining;
      if (left > most) {
        most = left;
        target = s;
      }
    }
    if (!target) return;
    target.checkpointed = true;
    const req = this.request('self_monitoring', 'checkpoint', target.story.id, storyOptions(target), { storyId: target.story.id });
    const result = yield req;
    if (!result) {
      this.record(req, undefined, 'no checkpoint episode: nothing changed');
      return;
    }
    const factor = 1.25 - 0.35 * result.outcome;
    for (const c of target.cards) if (c.state !== 'done') c.remaining *= factor;
    target.defectRate += 0.1 * (1 - result.outcome);
    this.record(req, result, `remaining effort ×${factor.toFixed(2)} on ${target.story.id}`);
  }

  /** The candidate triages a disturbance that hits its work, then recovers; sets the damage factor. */
  *respond(d: Disturbance): SprintStep {
    if (!this.memberId || this.left) return;
    const w = this.world;
    const mine =
      d.membersAffected.includes(this.memberId) ||
      d.storiesAffected.some((id) => w.stories.some((s) => s.candidate && s.story.id === id)) ||
      d.cardsAffected.some((id) => w.worker(this.memberId as string)?.card?.id === id);
    if (!mine) return;
    const sev = SEVERITY_RANK[d.severity];
    const options: ScenarioOptions = { domain: w.domain, difficulty: sev === 0 ? 'easy' : sev === 1 ? 'medium' : 'hard' };
    const triage = this.request('triage', 'triage', d.id, options, { disturbanceId: d.id });
    const t = yield triage;
    let factor = 1;
    if (t) factor *= clamp(1.5 - t.outcome, 0.5, 1.5);
    this.record(triage, t, t ? `damage ×${factor.toFixed(2)}` : 'triage not available: damage unchanged');
    const followType: EpisodeTypeName = d.type === 'scope_creep' ? 'scope_change' : 'recovery';
    const follow = this.request(followType, followType, d.id, options, { disturbanceId: d.id });
    const r = yield follow;
    let f2 = 1;
    if (r) f2 = clamp(1.25 - 0.5 * r.outcome, 0.6, 1.25);
    factor *= f2;
    this.record(follow, r, r ? `damage ×${f2.toFixed(2)}` : `${followType} not available: damage unchanged`);
    d.responseFactor = round3(factor);
  }
}

/** What the sprint report says of one phase episode: its request, whether it was played, its effect and result. */
export function episodeRecord(request: EpisodeRequest, result: PhaseEpisode | undefined, effect: string): EpisodeRecord {
  const rec: EpisodeRecord = {
    type: request.type,
    purpose: request.purpose,
    teamId: request.teamId,
    day: request.day,
    seed: request.seed,
    played: result !== undefined,
    effect,
  };
  if (request.storyId) rec.storyId = request.storyId;
  if (request.disturbanceId) rec.disturbanceId = request.disturbanceId;
  if (result) {
    rec.outcome = round3(result.outcome);
    rec.turns = result.turns;
  }
  return rec;
}
