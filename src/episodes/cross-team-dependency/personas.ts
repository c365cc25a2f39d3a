/**
 * Persona strategies for E-3.2 cross_team_dependency (public view only).
 *
 * Senior (B-06, B-03, B-21): analyzes the story, searches the cued areas (strong signals first,
 * then weak ones) across every constraint category, and as soon as a search shows a real
 * dependency flags it with the kind its nature implies, proposes the resolution that fits that
 * nature and tells the owning team at once (a concrete request while the team can still plan
 * for it); it never flags an area the search found not needed, retypes a flag when the team's
 * reply contradicts it, and proceeds once every cued area is checked. Its flag confidence follows
 * the evidence. Mid: searches only the strongly cued areas, flags what they show, picks a generic
 * resolution by kind (contract first when hard, mock when soft), and tells the teams only after
 * everything is flagged. Junior: assumes the story is independent — often proceeds at once, or
 * flags the loudest signal as hard without checking, works around it, and never tells anyone.
 * Performative (anti-gaming): analyzes, searches every area once in listed order without using
 * what it finds, flags every signalled area as hard with high confidence, proposes contract first
 * for each, messages every team, then proceeds.
 */

import type { Action } from '../../core/episode.js';
import type { Personas } from '../../core/episode-type.js';
import type { StructuredObservation } from '../../core/observation.js';
import type { Rng } from '../../core/rng.js';
import { BEST_RESOLUTION, type CrossTeamDependencyView, NATURE_KIND, type Nature, type RealNature, type Resolution } from './types.js';

type Observation = StructuredObservation<CrossTeamDependencyView>;

interface Belief {
  nature: Nature | undefined;
  searches: number;
  agree: boolean;
}

/** What the evidence says about each area: the confirmed nature, else the latest search result. */
function beliefs(view: CrossTeamDependencyView): Belief[] {
  const out: Belief[] = [];
  const first: (Nature | undefined)[] = [];
  for (let i = 0; i < view.areas.length; i++) {
    out.push({ nature: view.confirmed[i] ?? undefined, searches: 0, agree: view.confirmed[i] != null });
    first.push(undefined);
  }
  for (const f of view.findings) {
    if (f.result === 'nothing_new') continue;
    const b = out[f.area] as Belief;
    b.searches++;
    if (view.confirmed[f.area] != null) continue;
    if (b.searches === 1) {
      first[f.area] = f.result;
      b.nature = f.result;
    } else if (b.searches === 2) {
      const one = first[f.area] as Nature;
      b.agree = one === f.result;
      // Two searches that disagree: the real-looking one wins only when the story cue is strong.
      if (!b.agree) {
        const real = one !== 'not_needed' ? one : f.result !== 'not_needed' ? f.result : undefined;
        b.nature = view.areas[f.area]?.cue === 'strong' && real ? real : 'not_needed';
      }
    }
  }
  return out;
}

function senior(observation: Observation): Action {
  const view = observation.state;
  if (!view.analyzed) return { type: 'analyze_story', args: {} };
  if (observation.turn >= observation.maxTurns - 1) return { type: 'proceed_without', args: {}, confidence: 0.6 };
  const bs = beliefs(view);
  // By area (later entries win, as in a map built from the lists).
  const flags: (CrossTeamDependencyView['flags'][number] | undefined)[] = [];
  for (const f of view.flags) flags[f.area] = f;
  const resolutions: (Resolution | undefined)[] = [];
  for (const r of view.resolutions) resolutions[r.area] = r.resolution;
  const told: boolean[] = [];
  for (const c of view.communications) for (const a of c.carried) told[a] = true;
  // Act on what is known: flag, resolve and tell, one dependency at a time.
  for (let i = 0; i < bs.length; i++) {
    const b = bs[i] as Belief;
    if (b.nature === undefined || b.nature === 'not_needed') continue;
    const nature = b.nature as RealNature;
    const kind = NATURE_KIND[nature];
    const flag = flags[i];
    if (flag?.cleared) continue;
    const confidence = view.confirmed[i] ? 0.95 : b.agree ? 0.85 : 0.75;
    if (!flag || flag.kind !== kind) return { type: 'flag_dependency', args: { target: i, kind }, confidence };
    const best = BEST_RESOLUTION[nature];
    if (resolutions[i] !== best) return { type: 'propose_resolution', args: { target: i, kind: best }, confidence };
    // Tell the owning team while it can still plan for it (a frozen service will change nothing: adapt instead).
    if (told[i] !== true && best !== 'workaround') return { type: 'communicate_cross_team', args: { team: view.areas[i]?.team ?? 0 } };
  }
  // Then check the next cued area: strong signals first, then weak ones.
  for (const cue of ['strong', 'weak'] as const) {
    const next = view.areas.find((a) => a.cue === cue && (bs[a.index] as Belief).searches === 0);
    if (next) return { type: 'search_architecture', args: { area: next.index } };
  }
  // A strong signal that one search called not needed deserves a second look.
  const doubtful = view.areas.find(
    (a) => a.cue === 'strong' && bs[a.index]?.searches === 1 && bs[a.index]?.nature === 'not_needed' && view.confirmed[a.index] === null,
  );
  if (doubtful) return { type: 'search_architecture', args: { area: doubtful.index } };
  return { type: 'proceed_without', args: {}, confidence: 0.75 };
}

function mid(observation: Observation, rng: Rng): Action {
  const view = observation.state;
  if (!view.analyzed) return { type: 'analyze_story', args: {} };
  const bs = beliefs(view);
  const next = view.areas.find((a) => a.cue === 'strong' && (bs[a.index] as Belief).searches === 0);
  if (next) return { type: 'search_architecture', args: { area: next.index } };
  const flags = new Map(view.flags.map((f) => [f.area, f]));
  for (let i = 0; i < bs.length; i++) {
    const nature = bs[i]?.nature;
    if (nature === undefined || nature === 'not_needed' || flags.has(i)) continue;
    return { type: 'flag_dependency', args: { target: i, kind: NATURE_KIND[nature as RealNature] }, confidence: 0.8 };
  }
  const resolved = new Set(view.resolutions.map((r) => r.area));
  for (const f of view.flags)
    if (!f.cleared && !resolved.has(f.area))
      return {
        type: 'propose_resolution',
        args: { target: f.area, kind: f.kind === 'hard' ? 'contract_first' : 'mock_and_sequence' },
        confidence: 0.8,
      };
  const told = new Set(view.communications.map((c) => c.team));
  const pending = view.flags.find((f) => !f.cleared && !told.has(view.areas[f.area]?.team ?? -1));
  if (pending && rng.chance(0.8)) return { type: 'communicate_cross_team', args: { team: view.areas[pending.area]?.team ?? 0 } };
  return { type: 'proceed_without', args: {}, confidence: 0.8 };
}

function junior(observation: Observation, rng: Rng): Action {
  const view = observation.state;
  if (!view.analyzed && observation.turn === 0)
    return rng.chance(0.9) ? { type: 'analyze_story', args: {} } : { type: 'proceed_without', args: {}, confidence: 0.9 };
  // Flags the loud signals without checking them, all as "hard" (untyped), and tells no one.
  const flagged = new Set(view.flags.map((f) => f.area));
  const loud = view.areas.find((a) => a.cue === 'strong' && !flagged.has(a.index));
  if (loud && rng.chance(0.9)) return { type: 'flag_dependency', args: { target: loud.index, kind: 'hard' }, confidence: 0.9 };
  // "Just ask them to build it", or route around them.
  if (view.flags.length > 0 && view.resolutions.length === 0 && rng.chance(0.5))
    return {
      type: 'propose_resolution',
      args: { target: view.flags[0]?.area ?? 0, kind: rng.chance(0.7) ? 'ask_other_team_to_build' : 'workaround' },
      confidence: 0.9,
    };
  return { type: 'proceed_without', args: {}, confidence: 0.9 };
}

// --- performative: the motions without the substance ----------------------------------------------

function performative(observation: Observation): Action {
  const view = observation.state;
  if (!view.analyzed) return { type: 'analyze_story', args: {} };
  const searched = new Set(view.findings.map((f) => f.area));
  const unsearched = view.areas.find((a) => !searched.has(a.index));
  if (unsearched) return { type: 'search_architecture', args: { area: unsearched.index } };
  const flagged = new Set(view.flags.map((f) => f.area));
  const loud = view.areas.find((a) => a.cue !== 'none' && !flagged.has(a.index));
  if (loud) return { type: 'flag_dependency', args: { target: loud.index, kind: 'hard' }, confidence: 0.95 };
  const resolved = new Set(view.resolutions.map((r) => r.area));
  const open = view.flags.find((f) => !f.cleared && !resolved.has(f.area));
  if (open) return { type: 'propose_resolution', args: { target: open.area, kind: 'contract_first' }, confidence: 0.95 };
  const told = new Set(view.communications.map((c) => c.team));
  for (let team = 0; team < 3; team++) if (!told.has(team)) return { type: 'communicate_cross_team', args: { team } };
  return { type: 'proceed_without', args: {}, confidence: 0.95 };
}

export const crossTeamDependencyPersonas: Personas<CrossTeamDependencyView> = { senior, mid, junior, performative };
