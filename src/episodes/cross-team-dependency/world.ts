/**
 * E-3.2 Cross-team dependency: a story with an implicit, unstated dependency on other teams.
 *
 * Visible: the story (our estimate in days, the days left in the sprint), three other teams with
 * their domains, and five architecture areas the story might touch — each owned by one of those
 * teams, with its service, a constraint category (integration, data, security, deployment) and
 * the touchpoint. Nothing says which areas the story really needs.
 *
 * Hidden truth (`scenario.ts`): each area's nature — a real dependency (hard: `new_endpoint`, the
 * owning team must add an API; `owned_data`, the owning team must change data only it may change;
 * soft: `published_contract`, an existing contract only needs access and a version bump;
 * `frozen_service`, the service is frozen and will not change, so we must adapt on our side) or
 * a plausible false one (`not_needed`: what the service already offers suffices). One to three
 * areas are real. Each dependency's build days (hard: 1..3); each team's availability: a
 * planning cut-off (2..8 hours from now) before which a concrete request still fits their
 * sprint (they answer in 0..1 day), after which it waits for their next opening (2..4 days).
 * Pre-drawn fates (per area and attempt: analysis cue, search accuracy and wrong answer; per
 * dependency: rework and discovery; one acceptance draw) make two action sequences on one seed
 * meet the same world.
 *
 * Evidence: `analyze_story` (1 h) reads the story for implicit touchpoints: a cue per area (a
 * real one reads strong 60-75%, a false one strong 15-20%). `search_architecture {area}` (1 h)
 * reports the area's nature, right 80-88% (by difficulty); a wrong report calls a real area not
 * needed or another nature, a false one a published contract; a third search of one area finds
 * nothing new. `communicate_cross_team {team}` (0.5 h) sends the team the dependencies flagged on
 * its areas: it replies exactly (confirms each real one with its nature, clears each false flag at
 * the cost of its time) and says when it can deliver. A contact that carries no flagged area is
 * a hollow heads-up: it reserves nothing.
 *
 * Outcome (on `proceed_without`, or at the turn limit: the story then starts two days late), in
 * days of delay against the sprint slack, plus reworks: `outcome.ts`.
 */

import type { Action, ActionResult, Episode, EpisodeResult, EpisodeWorld, ScenarioOptions, Secret } from '../../core/episode.js';
import type { Rng } from '../../core/rng.js';
import { EPISODE_SPECS } from '../../spec/episodes.js';
import { ScenarioFields, withConfidence } from '../common.js';
import { type Contact, crossTeamDependencyOutcome, type Finding, type Flag, type Planning, type Proposal } from './outcome.js';
import { AREAS, type Area, type AreaFate, generateScenario, natureText, type Scenario, TEAMS, type Team } from './scenario.js';
import {
  BEST_RESOLUTION,
  CATEGORIES,
  type CrossTeamDependencyFacts,
  type CrossTeamDependencyHidden,
  type CrossTeamDependencyView,
  CUES,
  type Cue,
  DEPENDENCY_KINDS,
  type DependencyKind,
  NATURE_KIND,
  NATURES,
  type Nature,
  RESOLUTIONS,
  type Resolution,
  type SearchResult,
} from './types.js';

const HOURS_ANALYZE = 1;
const HOURS_SEARCH = 1;
const HOURS_FLAG = 0.25;
const HOURS_PROPOSE = 0.25;
const HOURS_COMMUNICATE = 0.5;
/** Searches of one area that can still find something new. */
export const SEARCH_DEPTH = 2;

type View = CrossTeamDependencyView;
/** The parts of the view that change only on analysis. */
type StaticView = Pick<View, 'story' | 'teams' | 'areas' | 'analyzed'>;

class CrossTeamDependencyEpisode
  extends ScenarioFields<Scenario>()
  implements Episode<View, CrossTeamDependencyFacts, CrossTeamDependencyHidden>, Planning
{
  analyzed = 0;
  readonly repeatedAnalyses: number[] = [];
  readonly findings: Finding[] = [];
  private readonly searches: number[] = [0, 0, 0, 0, 0];
  readonly flags: (Flag | undefined)[] = [undefined, undefined, undefined, undefined, undefined];
  readonly flagHistory: Flag[] = [];
  readonly proposals: (Proposal | undefined)[] = [undefined, undefined, undefined, undefined, undefined];
  readonly proposalHistory: Proposal[] = [];
  readonly contacts: Contact[] = [];
  /** The last views of the findings and contacts handed out (shared, never mutated). */
  private findingsView: View['findings'] = [];
  private contactsView: View['communications'] = [];
  /** Hours of the first contact with each team that carried each area (-1: none). */
  readonly carriedAt: number[] = [-1, -1, -1, -1, -1];
  readonly carriedStep: number[] = [-1, -1, -1, -1, -1];
  private readonly revealedArea: boolean[] = [false, false, false, false, false];
  private readonly revealedTeam: boolean[] = [false, false, false];
  hours = 0;
  proceeded = false;
  proceedStep = -1;
  proceedConfidence: number | undefined;

  constructor(rng: Rng, options: ScenarioOptions) {
    super(generateScenario(rng, options));
  }

  private isReal(area: number): boolean {
    return (this.areas[area] as Area).nature !== 'not_needed';
  }

  private teamName(team: number): string {
    return (this.teams[team] as Team).name;
  }

  /** The parts of the view that change only on analysis, built once each (never mutated after). */
  private staticView: StaticView | undefined;

  private buildStatic(): StaticView {
    const analyzed = this.analyzed > 0;
    return {
      story: { title: this.title, domain: this.domain, ourDays: this.ourDays, sprintDaysLeft: this.ourDays + this.slackDays },
      teams: this.teams.map((t, index) => ({ index, name: t.name, domain: t.domain })),
      areas: this.areas.map((a, index) => ({
        index,
        team: a.team,
        service: a.service,
        category: a.category,
        touch: a.touch,
        cue: analyzed ? (this.cues[index] as Cue) : null,
      })),
      analyzed,
    };
  }

  /** The structured view. Long texts (findings, replies) are in `describe()` and the responses. */
  view(): View {
    if (this.staticView === undefined || this.staticView.analyzed !== this.analyzed > 0) this.staticView = this.buildStatic();
    const staticView = this.staticView;
    // Findings and contacts are append-only with fixed entries: their views are rebuilt only when they grow.
    if (this.findingsView.length !== this.findings.length)
      this.findingsView = this.findings.map((f) => ({ area: f.area, result: f.result }));
    if (this.contactsView.length !== this.contacts.length)
      this.contactsView = this.contacts.map((c) => ({ team: c.team, carried: c.carried, beforeCutoff: c.beforeCutoff }));
    const flags: View['flags'] = [];
    const resolutions: View['resolutions'] = [];
    const confirmed: (Nature | null)[] = [];
    for (let i = 0; i < AREAS; i++) {
      const f = this.flags[i];
      if (f) flags.push({ area: f.area, kind: f.kind, cleared: f.cleared, confidence: f.confidence ?? null });
      const p = this.proposals[i];
      if (p) resolutions.push({ area: p.area, resolution: p.resolution });
      confirmed.push((this.carriedAt[i] as number) >= 0 ? (this.areas[i] as Area).nature : null);
    }
    return {
      story: staticView.story,
      teams: staticView.teams,
      areas: staticView.areas,
      analyzed: staticView.analyzed,
      findings: this.findingsView,
      flags,
      resolutions,
      communications: this.contactsView,
      confirmed,
      hoursSpent: this.hours,
    };
  }

  tokens(): string[] {
    const out = ['task:cross_team_dependency', `our_days:${this.ourDays}`, `slack:${Math.round(this.slackDays)}`];
    for (let i = 0; i < AREAS; i++) {
      const a = this.areas[i] as Area;
      out.push(`a${i}:team${a.team}`, `a${i}:${a.category}`);
      if (this.analyzed > 0) out.push(`a${i}:cue_${this.cues[i]}`);
      const flag = this.flags[i];
      if (flag) out.push(flag.cleared ? `a${i}:cleared` : `a${i}:flag_${flag.kind}`);
      const p = this.proposals[i];
      if (p) out.push(`a${i}:res_${p.resolution}`);
      if (this.carriedAt[i]! >= 0) out.push(`a${i}:is_${a.nature}`);
    }
    for (const f of this.findings) out.push(`search:a${f.area}`, `found:${f.result}`);
    for (const c of this.contacts)
      out.push(`told:team${c.team}`, c.carried.length === 0 ? 'told:nothing' : c.beforeCutoff ? 'fits:now' : 'fits:later');
    out.push(`hours:n${Math.min(9, Math.floor(this.hours))}`);
    return out;
  }

  describe(): string {
    const lines = [
      `Your team is about to start "${this.title}" (about ${this.ourDays} days of work; ${this.ourDays + this.slackDays} days left in the sprint). The story may depend, without saying so, on other teams. Find the real dependencies, resolve them, tell the teams concerned in time, then proceed.`,
      '',
      'Other teams:',
    ];
    for (let t = 0; t < TEAMS; t++) lines.push(`- [${t}] ${this.teamName(t)}: ${(this.teams[t] as Team).domain}`);
    lines.push('', 'Architecture areas the story might touch:');
    for (let i = 0; i < AREAS; i++) {
      const a = this.areas[i] as Area;
      const cue = this.analyzed > 0 ? ` (story analysis: ${this.cues[i]} signal)` : '';
      lines.push(`- [${i}] ${a.service} (team ${a.team}, ${a.category}): ${a.touch}${cue}`);
    }
    if (this.findings.length > 0) {
      lines.push('', 'Architecture findings:');
      for (const f of this.findings) lines.push(`- area ${f.area}: ${f.text}`);
    }
    const flags = this.flags.filter((f): f is Flag => f !== undefined);
    if (flags.length > 0) {
      lines.push('', 'Flagged dependencies:');
      for (const f of flags) {
        const p = this.proposals[f.area];
        lines.push(
          `- area ${f.area}: ${f.kind}${f.cleared ? ' (cleared by the owning team)' : ''}${p ? `, resolution ${p.resolution}` : ''}`,
        );
      }
    }
    for (const c of this.contacts) lines.push(`You told team ${c.team}: ${c.text}`);
    lines.push(`Hours spent on analysis: ${this.hours}.`);
    return lines.join('\n');
  }

  legalActions(): Action[] {
    const out: Action[] = [{ type: 'analyze_story', args: {} }];
    for (let area = 0; area < AREAS; area++) out.push({ type: 'search_architecture', args: { area } });
    for (let target = 0; target < AREAS; target++) {
      const flag = this.flags[target];
      if (!flag?.cleared)
        for (const kind of DEPENDENCY_KINDS) if (!flag || flag.kind !== kind) out.push({ type: 'flag_dependency', args: { target, kind } });
      if (flag && !flag.cleared) for (const kind of RESOLUTIONS) out.push({ type: 'propose_resolution', args: { target, kind } });
    }
    for (let team = 0; team < TEAMS; team++) out.push({ type: 'communicate_cross_team', args: { team } });
    out.push({ type: 'proceed_without', args: {} });
    return out;
  }

  act(action: Action, step: number): ActionResult {
    const args = action.args ?? {};
    switch (action.type) {
      case 'analyze_story':
        return { ok: true, response: this.analyze(step), terminal: false };
      case 'search_architecture':
        return { ok: true, response: this.search(args.area as number, step), terminal: false };
      case 'flag_dependency': {
        const target = args.target as number;
        const kind = args.kind as DependencyKind;
        const current = this.flags[target];
        if (current && !current.cleared && current.kind === kind)
          return {
            ok: false,
            error: `area ${target} is already flagged as a ${kind} dependency; flag it with the other kind to retype it`,
          };
        if (current?.cleared)
          return { ok: false, error: `the owning team already said area ${target} is not needed; it cannot be flagged again` };
        this.hours += HOURS_FLAG;
        const flag: Flag = withConfidence({ step, area: target, kind, cleared: false }, action.confidence);
        this.flags[target] = flag;
        this.flagHistory.push(flag);
        const a = this.areas[target] as Area;
        return { ok: true, response: `Flagged ${a.service} (${a.touch}) as a ${kind} dependency on team ${a.team}.`, terminal: false };
      }
      case 'propose_resolution': {
        const target = args.target as number;
        const resolution = args.kind as Resolution;
        const flag = this.flags[target];
        if (!flag || flag.cleared)
          return { ok: false, error: `area ${target} is not a flagged dependency: flag_dependency it first, then propose a resolution` };
        this.hours += HOURS_PROPOSE;
        const p: Proposal = { step, area: target, resolution };
        this.proposals[target] = p;
        this.proposalHistory.push(p);
        return { ok: true, response: `Proposed ${resolution.replaceAll('_', ' ')} for area ${target}.`, terminal: false };
      }
      case 'communicate_cross_team':
        return { ok: true, response: this.communicate(args.team as number, step), terminal: false };
      case 'proceed_without': {
        this.proceeded = true;
        this.proceedStep = step;
        this.proceedConfidence = action.confidence;
        return { ok: true, response: 'The team starts the story with the dependencies as planned.', terminal: true };
      }
      default:
        return { ok: false, error: `unknown action ${action.type}` };
    }
  }

  private analyze(step: number): string {
    this.analyzed++;
    this.hours += HOURS_ANALYZE;
    if (this.analyzed > 1) {
      this.repeatedAnalyses.push(step);
      return 'Nothing new: the story reads the same as before.';
    }
    const strong: number[] = [];
    const weak: number[] = [];
    for (let i = 0; i < this.cues.length; i++) {
      const c = this.cues[i];
      if (c === 'strong') strong.push(i);
      else if (c === 'weak') weak.push(i);
    }
    return `The story implies strong signals for area(s) [${strong.join(', ')}] and weak ones for [${weak.join(', ')}].`;
  }

  private search(area: number, step: number): string {
    const a = this.areas[area] as Area;
    const fate = this.fates[area] as AreaFate;
    const attempt = this.searches[area] as number;
    this.searches[area] = attempt + 1;
    this.hours += HOURS_SEARCH;
    let result: SearchResult;
    let text: string;
    if (attempt >= SEARCH_DEPTH) {
      result = 'nothing_new';
      text = `Nothing new about ${a.service}: the same diagrams and docs as before.`;
    } else {
      const right = (fate.search[attempt] as number) < this.searchAccuracy;
      if (right) result = a.nature;
      else if (a.nature === 'not_needed') result = 'published_contract';
      else {
        const others = NATURES.filter((n) => n !== a.nature);
        result = others[Math.min(others.length - 1, Math.floor((fate.wrong[attempt] as number) * others.length))] as Nature;
      }
      const team = this.teams[a.team] as Team;
      text = result === a.nature ? a.truthText : natureText(result, team.name, a.service, a.touch);
      if (result === a.nature) this.revealedArea[area] = true;
    }
    this.findings.push({ step, area, result, text });
    return text;
  }

  private communicate(team: number, step: number): string {
    const t = this.teams[team] as Team;
    const beforeCutoff = this.hours <= t.cutoffHours;
    const at = this.hours;
    this.hours += HOURS_COMMUNICATE;
    this.revealedTeam[team] = true;
    const carried: number[] = [];
    const replies: string[] = [];
    for (let i = 0; i < AREAS; i++) {
      const a = this.areas[i] as Area;
      const flag = this.flags[i];
      if (a.team !== team || !flag || flag.cleared) continue;
      carried.push(i);
      if (this.carriedAt[i]! < 0) {
        this.carriedAt[i] = at;
        this.carriedStep[i] = step;
      }
      this.revealedArea[i] = true;
      if (a.nature === 'not_needed') {
        flag.cleared = true;
        replies.push(`area ${i}: ${a.truthText}`);
      } else replies.push(`area ${i} confirmed: ${a.truthText}`);
    }
    let text: string;
    if (carried.length === 0) text = `The ${t.name} team thanks you for the heads-up and asks what you actually need from them.`;
    else {
      const real = carried.filter((i) => this.isReal(i));
      const when =
        real.length === 0
          ? ''
          : beforeCutoff
            ? ` They can fit it into this sprint and answer within ${t.earlyDays} day(s).`
            : ` Their sprint is already planned; the earliest opening is in ${t.lateDays} days.`;
      text = `The ${t.name} team replies: ${replies.join(' ')}${when}`;
    }
    this.contacts.push({ step, team, hours: at, carried, beforeCutoff, text });
    return text;
  }

  finish(): EpisodeResult<CrossTeamDependencyFacts> {
    return crossTeamDependencyOutcome(this);
  }

  hidden(): CrossTeamDependencyHidden {
    return {
      areas: this.areas.map((a, index) => ({
        index,
        team: a.team,
        category: a.category,
        nature: a.nature,
        real: a.nature !== 'not_needed',
        kind: a.nature === 'not_needed' ? 'none' : NATURE_KIND[a.nature],
        bestResolution: a.nature === 'not_needed' ? 'none' : BEST_RESOLUTION[a.nature],
        buildDays: a.buildDays,
        cue: this.cues[index] as Cue,
      })),
      teams: this.teams.map((t, index) => ({
        index,
        name: t.name,
        cutoffHours: t.cutoffHours,
        earlyDays: t.earlyDays,
        lateDays: t.lateDays,
      })),
      ourDays: this.ourDays,
      slackDays: this.slackDays,
    };
  }

  secrets(): Secret[] {
    const out: Secret[] = this.areas.map((a, i) => ({ id: `area_${i}`, text: a.truthText, revealed: this.revealedArea[i] as boolean }));
    for (let t = 0; t < TEAMS; t++) {
      const team = this.teams[t] as Team;
      out.push({
        id: `availability_${t}`,
        text: `The ${team.name} team takes new requests for this sprint until ${team.cutoffHours} hours from now`,
        revealed: this.revealedTeam[t] as boolean,
      });
    }
    return out;
  }
}

const AREA_ARG = { kind: 'int', min: 0, max: AREAS - 1, description: 'index of an architecture area' } as const;

export const crossTeamDependencyWorld: EpisodeWorld<View, CrossTeamDependencyFacts, CrossTeamDependencyHidden> = {
  name: 'cross_team_dependency',
  spec: EPISODE_SPECS.cross_team_dependency,
  summary:
    'Before starting a story, find its unstated dependencies on other teams, tell real ones from plausible false ones, choose how to resolve each, and tell the teams concerned while they can still plan for it.',
  actions: {
    analyze_story: {
      description: 'Read the story for implicit touchpoints: a signal (strong, weak, none) per architecture area.',
      args: {},
    },
    search_architecture: {
      description: 'Look up one area in the architecture docs and service catalog: what the story would need from its team.',
      args: { area: AREA_ARG },
    },
    flag_dependency: {
      description: 'Declare an area a dependency, hard (must wait for the other team) or soft (can run in parallel at some risk).',
      args: {
        target: { ...AREA_ARG, description: 'index of the area to flag' },
        kind: { kind: 'enum', values: DEPENDENCY_KINDS, description: 'hard or soft' },
      },
      asserts: true,
    },
    propose_resolution: {
      description:
        'Choose how to resolve a flagged dependency: contract_first (agree the interface, build in parallel), mock_and_sequence (mock it, integrate later), ask_other_team_to_build, or workaround (adapt on our side).',
      args: {
        target: { ...AREA_ARG, description: 'index of a flagged area' },
        kind: { kind: 'enum', values: RESOLUTIONS, description: 'the resolution' },
      },
      asserts: true,
    },
    communicate_cross_team: {
      description: 'Contact another team about the dependencies flagged on its areas; it confirms them and says when it can deliver.',
      args: { team: { kind: 'int', min: 0, max: TEAMS - 1, description: 'index of the other team' } },
    },
    proceed_without: {
      description: 'Start the story now with the dependencies as flagged and resolved so far (ends the episode).',
      args: {},
      asserts: true,
    },
  },
  maxTurns: 20,
  levers: [
    {
      name: 'flag_real_dependency',
      direction: 'up',
      description:
        'Flagging a real hard dependency before proceeding avoids the mid-story block (the late opening plus build days, and a likely rework).',
    },
    {
      name: 'false_dependency',
      direction: 'down',
      description:
        'Flagging an area that is not a dependency costs time, and waiting for it or sending it to its team costs more (their time and a serialized wait).',
    },
    {
      name: 'right_resolution',
      direction: 'up',
      description:
        'The resolution that fits the dependency (contract first for a new endpoint, the owning team builds owned data, mock a published contract, work around a frozen service) avoids rework and waiting.',
    },
    {
      name: 'timely_communication',
      direction: 'up',
      description:
        'Contacting the owning team about a flagged dependency before its planning cut-off gets an answer this sprint instead of at its next opening (days of delay).',
    },
    {
      name: 'hollow_communication',
      direction: 'down',
      description:
        'A contact that carries no flagged dependency reserves nothing and costs analysis time; the team still needs a concrete request.',
    },
    {
      name: 'never_proceed',
      direction: 'down',
      description: 'Reaching the turn limit without proceeding starts the story two days late.',
    },
    {
      name: 'mistyped_dependency',
      direction: 'down',
      description:
        'Declaring a hard dependency soft plans no wait for it (a late, rushed integration); declaring a soft one hard serializes the work for nothing.',
    },
  ],
  vocabulary: [
    'task:cross_team_dependency',
    ...[3, 4, 5, 6].map((n) => `our_days:${n}`),
    ...[1, 2, 3].map((n) => `slack:${n}`),
    ...[0, 1, 2, 3, 4].flatMap((i) => [
      ...[0, 1, 2].map((t) => `a${i}:team${t}`),
      ...CATEGORIES.map((c) => `a${i}:${c}`),
      ...CUES.map((c) => `a${i}:cue_${c}`),
      `a${i}:cleared`,
      ...DEPENDENCY_KINDS.map((k) => `a${i}:flag_${k}`),
      ...RESOLUTIONS.map((r) => `a${i}:res_${r}`),
      ...NATURES.map((n) => `a${i}:is_${n}`),
      `search:a${i}`,
    ]),
    ...[...NATURES, 'nothing_new'].map((n) => `found:${n}`),
    ...[0, 1, 2].map((t) => `told:team${t}`),
    'told:nothing',
    'fits:now',
    'fits:later',
    ...[0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => `hours:n${n}`),
  ],
  create: (rng, options) => new CrossTeamDependencyEpisode(rng, options),
  fromText(text): Action | undefined {
    const lower = text.toLowerCase();
    if (lower.includes('proceed')) return { type: 'proceed_without', args: {}, text };
    if (lower.includes('analy')) return { type: 'analyze_story', args: {}, text };
    return undefined;
  },
};
