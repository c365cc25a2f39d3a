/**
 * Knowledge areas inside the organisation: which areas a member holds, who is best placed to
 * receive an area (an existing holder, else the teammate most skilled in the team's domain), and
 * what a leaving member's handoff passes on and what it loses. The areas, their coverage and the
 * depth a handoff transfers are defined in `team-change.ts`.
 */
import { ConfigError, didYouMean } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import type { Domain } from '../spec/episodes.js';
import { checkUnit } from './org-options.js';
import type { MemberState, Roster } from './org-roster.js';
import type { Team } from './org-teams.js';
import { type HandoffResult, type KnowledgeArea, transferDepth } from './team-change.js';

/** Areas (of any team) the member holds. */
export function areasHeldBy(teams: readonly Team[], memberId: string): KnowledgeArea[] {
  const out: KnowledgeArea[] = [];
  for (const team of teams) for (const area of team.knowledgeAreas) if (area.holders[memberId] !== undefined) out.push(area);
  return out;
}

/** The area with this id in any team; throws `ConfigError` with a did-you-mean for an unknown id. */
export function findArea(teams: readonly Team[], areaId: string): KnowledgeArea {
  const all: string[] = [];
  for (const team of teams) {
    for (const area of team.knowledgeAreas) {
      if (area.id === areaId) return area;
      all.push(area.id);
    }
  }
  throw new ConfigError(`Unknown knowledge area "${areaId}".${didYouMean(String(areaId), all)}`);
}

/**
 * Existing holder with the most depth, else the teammate most skilled in the team's domain
 * (`domain`), among the members working for the area's team; `leaverId` is never chosen.
 */
export function bestReceiver(area: KnowledgeArea, domain: Domain, live: readonly MemberState[], leaverId: string): string | undefined {
  let best: MemberState | undefined;
  let bestScore = -1;
  for (const state of live) {
    if (state.workingTeamId !== area.teamId || state.member.id === leaverId) continue;
    if (state.member.role === 'product_owner') continue;
    const score = (area.holders[state.member.id] ?? 0) * 10 + (state.member.skills[domain] ?? 0);
    if (score > bestScore) {
      best = state;
      bestScore = score;
    }
  }
  return best?.member.id;
}

/**
 * Checks a departure's handoff (areaId -> quality in [0, 1], only areas the leaver holds) and
 * receivers (areaId -> someone else working for the area's team today, only for areas handed off).
 */
export function checkHandoff(
  memberId: string,
  held: readonly KnowledgeArea[],
  handoff: Record<string, number>,
  receivers: Record<string, string>,
  roster: Roster,
): void {
  const heldIds = held.map((a) => a.id);
  for (const [areaId, quality] of Object.entries(handoff)) {
    if (!heldIds.includes(areaId)) {
      throw new ConfigError(
        `Cannot hand off "${areaId}": ${memberId} does not hold it. Areas ${memberId} holds: ${heldIds.join(', ') || 'none'}.`,
      );
    }
    checkUnit(quality, `handoff["${areaId}"]`);
  }
  for (const [areaId, receiverId] of Object.entries(receivers)) {
    if (handoff[areaId] === undefined)
      throw new ConfigError(`receivers["${areaId}"] is set but handoff["${areaId}"] is not; give a handoff quality.`);
    const area = held.find((a) => a.id === areaId) as KnowledgeArea;
    const receiver = roster.find(receiverId);
    if (!receiver || receiver.status === 'departed' || receiver.workingTeamId !== area.teamId || receiverId === memberId) {
      throw new ConfigError(`receivers["${areaId}"] = "${receiverId}" must be someone else working for ${area.teamId} today.`);
    }
  }
}

/** What a leaver's handoff passed on, and the areas nobody holds any more. */
export interface HandoffOutcome {
  handedOff: HandoffResult[];
  lostAreas: string[];
}

/**
 * The leaver stops holding each area in `held`; an area handed off at quality > 0 passes part of
 * the leaver's depth (drawn once per leaver and area) to its receiver (`receivers`, else
 * `receiverOf`), who keeps the deeper of that and what it knew.
 */
export function handOff(
  seed: number,
  memberId: string,
  held: readonly KnowledgeArea[],
  handoff: Record<string, number>,
  receivers: Record<string, string>,
  receiverOf: (area: KnowledgeArea) => string | undefined,
): HandoffOutcome {
  const handedOff: HandoffResult[] = [];
  const lostAreas: string[] = [];
  for (const area of held) {
    const leaverDepth = area.holders[memberId] as number;
    delete area.holders[memberId];
    const quality = handoff[area.id] ?? 0;
    if (quality > 0) {
      const receiverId = receivers[area.id] ?? receiverOf(area);
      if (receiverId !== undefined) {
        const depth = transferDepth(Rng.seeded(seed, 'handoff', memberId, area.id), leaverDepth, quality);
        const existing = area.holders[receiverId] ?? 0;
        if (depth > existing) area.holders[receiverId] = depth;
        handedOff.push({ areaId: area.id, toMemberId: receiverId, quality, depth: Math.max(depth, existing) });
      }
    }
    if (Object.keys(area.holders).length === 0) lostAreas.push(area.id);
  }
  return { handedOff, lostAreas };
}
