import { describe, expect, it } from 'vitest';
import { createEpisode, personaTraces, replay, seedsWhere } from '../../../test/helpers.js';
import type { Action } from '../../core/episode.js';
import { DojoEnv } from '../../env/env.js';
import { mean } from '../../reward/stats.js';
import { borrowingArrival } from './index.js';
import type { Aspect, BorrowingArrivalHidden, BorrowingArrivalView, FileRole } from './types.js';
import { EVIDENCE_TO_CONFIRM } from './world.js';

interface World {
  hidden: BorrowingArrivalHidden;
  files: BorrowingArrivalView['files'];
  needs: BorrowingArrivalView['needs'];
  /** File index of the first file with a role. */
  file: (role: FileRole) => number;
  loudest: number;
}

/** The hidden truth and public layout of a seed, from an episode created exactly as the environment creates it. */
function worldOf(seed: number): World {
  const episode = createEpisode(borrowingArrival, seed);
  const view = episode.view();
  return {
    hidden: episode.hidden(),
    files: view.files,
    needs: view.needs,
    file: (role) => view.files.find((f) => f.role === role)?.index ?? -1,
    loudest: view.needs.find((n) => n.loudest)?.index ?? 0,
  };
}

const read = (file: number): Action => ({ type: 'read_file', args: { file } });
const docs = (section: string): Action => ({ type: 'read_docs', args: { section } });
const ask = (topic: string, context: string): Action => ({ type: 'ask_team', args: { topic, context } });
const identify = (aspect: Aspect): Action => ({ type: 'identify_conventions', args: { aspect }, confidence: 0.8 });
const propose = (need: number): Action => ({ type: 'propose_contribution', args: { need } });
const start = (need: number): Action => ({ type: 'start_work', args: { need } });
const keyReads = (w: World): Action[] => [read(w.file('entry')), read(w.file('core')), read(w.file('tests'))];

describe('borrowing_arrival levers', () => {
  it('read_before_write: reading the entry point, a main abstraction and the tests first beats writing at once', () => {
    const seeds = seedsWhere(worldOf, () => true, 40);
    const readFirst: number[] = [];
    const blind: number[] = [];
    for (const seed of seeds) {
      const w = worldOf(seed);
      const a = replay(borrowingArrival, seed, [...keyReads(w), start(w.hidden.topPriority)]);
      const b = replay(borrowingArrival, seed, [start(w.hidden.topPriority)]);
      expect(a.facts.understanding).toBe(1);
      expect(b.facts.understanding).toBe(0);
      expect(a.facts.iterations).toBeLessThanOrEqual(b.facts.iterations);
      expect(a.components.tests_passing).toBeGreaterThan(b.components.tests_passing);
      readFirst.push(a.outcome);
      blind.push(b.outcome);
    }
    expect(readFirst.filter((r, i) => r >= (blind[i] as number)).length).toBeGreaterThanOrEqual(36);
    expect(mean(readFirst) - mean(blind)).toBeGreaterThan(0.1);
  });

  it('docs_before_asking: reading the section that answers a topic costs the team less than asking it', () => {
    for (const seed of seedsWhere(worldOf, (w) => w.hidden.documented.naming === true, 25)) {
      const w = worldOf(seed);
      const a = replay(borrowingArrival, seed, [docs('contributing'), start(w.hidden.topPriority)]);
      const b = replay(borrowingArrival, seed, [ask('naming', 'tried_and_proposal'), start(w.hidden.topPriority)]);
      expect(b.facts.docsAnsweredQuestions).toBe(1);
      expect(a.facts.questionTeamHours).toBe(0);
      expect(a.facts.teamHours).toBeLessThan(b.facts.teamHours);
      expect(a.outcome).toBeGreaterThanOrEqual(b.outcome);
    }
  });

  it('identify_conventions: stating a convention the code shows clearly makes the contribution follow it', () => {
    const seeds = seedsWhere(worldOf, () => true, 60);
    const stated: number[] = [];
    const unstated: number[] = [];
    let improved = 0;
    for (const seed of seeds) {
      const w = worldOf(seed);
      const reads = keyReads(w);
      const evidence: Record<string, number> = {};
      for (const role of ['entry', 'core', 'tests'] as const) {
        const f = w.hidden.fileStrength[w.file(role)] as BorrowingArrivalHidden['fileStrength'][number];
        for (const [aspect, s] of Object.entries(f.strength)) evidence[aspect] = (evidence[aspect] ?? 0) + s;
      }
      const clear = (Object.keys(evidence) as Aspect[]).filter((a) => (evidence[a] as number) >= EVIDENCE_TO_CONFIRM);
      const a = replay(borrowingArrival, seed, [...reads, ...clear.map(identify), start(w.hidden.topPriority)]);
      const b = replay(borrowingArrival, seed, [...reads, start(w.hidden.topPriority)]);
      expect(a.facts.conventionsConfirmed).toBe(clear.length);
      expect(a.facts.conventionViolations).toBeLessThanOrEqual(b.facts.conventionViolations);
      if (a.facts.conventionViolations < b.facts.conventionViolations) improved++;
      expect(a.outcome).toBeGreaterThanOrEqual(b.outcome - 0.02);
      stated.push(a.outcome);
      unstated.push(b.outcome);
    }
    expect(improved).toBeGreaterThan(15);
    expect(mean(stated)).toBeGreaterThan(mean(unstated) + 0.03);
  });

  it('identify_conventions: asserting a convention without evidence locks in the home habit', () => {
    let worse = 0;
    for (const seed of seedsWhere(worldOf, (w) => w.hidden.fileStrength[w.file('entry')]?.strength.naming === 2, 30)) {
      const w = worldOf(seed);
      const a = replay(borrowingArrival, seed, [read(w.file('entry')), start(w.hidden.topPriority)]);
      const b = replay(borrowingArrival, seed, [identify('naming'), read(w.file('entry')), start(w.hidden.topPriority)]);
      expect(b.facts.prematureIdentifications).toBe(1);
      expect(b.facts.conventionViolations).toBeGreaterThanOrEqual(a.facts.conventionViolations);
      if (b.facts.conventionViolations > a.facts.conventionViolations) worse++;
    }
    expect(worse).toBeGreaterThan(5);
  });

  it('confirm_priority: proposing the loudest need and asking when turned down beats starting on it unconfirmed', () => {
    const seeds = seedsWhere(worldOf, (w) => w.loudest !== w.hidden.topPriority, 30);
    const confirmed: number[] = [];
    const unconfirmed: number[] = [];
    for (const seed of seeds) {
      const w = worldOf(seed);
      const a = replay(borrowingArrival, seed, [
        ...keyReads(w),
        propose(w.loudest),
        ask('priority', 'tried_and_proposal'),
        start(w.hidden.topPriority),
      ]);
      const b = replay(borrowingArrival, seed, [...keyReads(w), start(w.loudest)]);
      expect(a.facts.priorityConfirmed).toBe(true);
      expect(a.facts.onPriority).toBe(true);
      expect(b.facts.onPriority).toBe(false);
      expect(a.outcome).toBeGreaterThan(b.outcome);
      confirmed.push(a.outcome);
      unconfirmed.push(b.outcome);
    }
    expect(mean(confirmed) - mean(unconfirmed)).toBeGreaterThan(0.15);
  });

  it('help_request_context: a question backed by reading, with a proposal, resolves in fewer exchanges than a vague one', () => {
    const seeds = seedsWhere(
      worldOf,
      (w) => !w.hidden.documented.naming && (w.hidden.fileStrength[w.file('core')]?.strength.naming ?? 0) >= 1,
      25,
    );
    expect(seeds.length).toBe(25);
    let fewer = 0;
    for (const seed of seeds) {
      const w = worldOf(seed);
      const tail = [start(w.hidden.topPriority)];
      const a = replay(borrowingArrival, seed, [read(w.file('core')), ask('naming', 'tried_and_proposal'), ...tail]);
      const b = replay(borrowingArrival, seed, [read(w.file('core')), ask('naming', 'none'), ...tail]);
      expect(b.facts.vagueQuestions).toBe(1);
      expect(a.facts.questionTeamHours).toBeLessThan(b.facts.questionTeamHours);
      expect(a.outcome).toBeGreaterThanOrEqual(b.outcome);
      if (a.facts.questionsResolvedInOne > b.facts.questionsResolvedInOne) fewer++;
      // Claiming context with nothing read behind it does not help: the team sees it.
      const c = replay(borrowingArrival, seed, [ask('naming', 'tried_and_proposal'), ...tail]);
      expect(c.facts.unbackedContext).toBe(1);
      expect(c.facts.questionsResolvedInOne).toBe(0);
    }
    expect(fewer).toBeGreaterThan(18);
  });

  it('read_everything: reading the legacy, scripts and vendored code too delays the first useful contribution', () => {
    const seeds = seedsWhere(worldOf, () => true, 40);
    const focused: number[] = [];
    const everything: number[] = [];
    let slower = 0;
    for (const seed of seeds) {
      const w = worldOf(seed);
      const useful = w.files.filter((f) => ['entry', 'core', 'tests', 'config'].includes(f.role)).map((f) => read(f.index));
      const a = replay(borrowingArrival, seed, [...useful, start(w.hidden.topPriority)]);
      const b = replay(borrowingArrival, seed, [...w.files.map((f) => read(f.index)), start(w.hidden.topPriority)]);
      expect(b.facts.excessReads).toBe(3);
      expect(b.facts.timeToUsefulHours).toBeGreaterThan(a.facts.timeToUsefulHours);
      if (b.components.velocity_maintained < a.components.velocity_maintained) slower++;
      focused.push(a.outcome);
      everything.push(b.outcome);
    }
    expect(slower).toBeGreaterThan(25);
    expect(mean(focused)).toBeGreaterThan(mean(everything));
  });

  it('ask_what_docs_answer: asking before reading the docs, or again after, drains the team', () => {
    for (const seed of seedsWhere(worldOf, (w) => w.hidden.documented.naming === true, 25)) {
      const w = worldOf(seed);
      const tail = [start(w.hidden.topPriority)];
      const a = replay(borrowingArrival, seed, [docs('contributing'), ...tail]);
      const before = replay(borrowingArrival, seed, [ask('naming', 'none'), docs('contributing'), ...tail]);
      const again = replay(borrowingArrival, seed, [docs('contributing'), ask('naming', 'none'), ...tail]);
      expect(before.facts.docsAnsweredQuestions).toBe(1);
      expect(again.facts.redundantQuestions).toBe(1);
      for (const worse of [before, again]) {
        expect(worse.components.velocity_maintained).toBeLessThan(a.components.velocity_maintained);
        expect(worse.outcome).toBeLessThan(a.outcome);
      }
    }
  });
});

describe('borrowing_arrival episodes', () => {
  it('refuses an impossible need without changing the state', () => {
    const env = new DojoEnv(borrowingArrival);
    const { observation } = env.resetSync({ seed: 3, options: { difficulty: 'easy' } });
    const needs = observation.structured.state.needs.length;
    expect(needs).toBe(3);
    const before = JSON.stringify(observation.structured.state);
    for (const action of [start(3), propose(3)]) {
      const result = env.stepSync(action);
      expect(result.info.valid).toBe(false);
      expect(result.info.error).toMatch(/no need 3/);
      expect(JSON.stringify(result.observation.structured.state)).toBe(before);
      expect(result.terminated).toBe(false);
    }
    const bad = env.stepSync({ type: 'read_file', args: { file: 12 } });
    expect(bad.info.valid).toBe(false);
    expect(JSON.stringify(bad.observation.structured.state)).toBe(before);
  });

  it('respects scenario options (domain, language, difficulty)', () => {
    const episode = createEpisode(borrowingArrival, 9, { domain: 'cli_tool', language: 'rust', difficulty: 'hard' });
    const view = episode.view();
    expect(view.team).toEqual({ domain: 'cli_tool', language: 'rust' });
    expect(view.home.domain).not.toBe('cli_tool');
    expect(view.home.language).not.toBe('rust');
  });

  it('the senior plays 10..25 actions and finishes with a contribution', () => {
    for (const { trace } of personaTraces(borrowingArrival, ['senior'], { personaSeed: 1 })) {
      expect(trace.terminated).toBe(true);
      expect(trace.turns).toBeGreaterThanOrEqual(8);
      expect(trace.turns).toBeLessThanOrEqual(25);
    }
  });
});
