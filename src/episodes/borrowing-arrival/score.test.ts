/**
 * The borrowing_arrival behavior scorer (B-18, B-19, B-20, B-22) on real traces: fixed action
 * sequences played with DojoEnv on seeds chosen by their hidden truth.
 */
import { describe, expect, it } from 'vitest';
import {
  createEpisode,
  expectCaseScore,
  expectScored,
  firstSeedWhere,
  playActions,
  type ScorerCase,
  signalShape,
} from '../../../test/helpers.js';
import type { Action } from '../../core/episode.js';
import type { Verdict } from '../../core/scorer.js';
import type { Trace } from '../../core/trace.js';
import { scoreBehaviors } from '../../reward/behaviors.js';
import type { BehaviorCode } from '../../spec/behaviors.js';
import { borrowingArrival } from './index.js';
import { scoreBorrowingArrival } from './score.js';
import type { Aspect, BorrowingArrivalHidden, BorrowingArrivalView, FileRole } from './types.js';

type World = BorrowingArrivalHidden & { files: BorrowingArrivalView['files']; loudest: number };

function worldOf(seed: number): World {
  const episode = createEpisode(borrowingArrival, seed);
  const view = episode.view();
  return {
    ...episode.hidden(),
    files: view.files,
    loudest: view.needs.find((n) => n.loudest)?.index ?? 0,
  };
}

const fileOf = (w: World, role: FileRole) => w.files.find((f) => f.role === role)?.index ?? 0;
const read = (file: number): Action => ({ type: 'read_file', args: { file } });
const docs = (section: string): Action => ({ type: 'read_docs', args: { section } });
const search = (pattern: Aspect): Action => ({ type: 'search_code', args: { pattern } });
const ask = (topic: string, context: string): Action => ({ type: 'ask_team', args: { topic, context } });
const identify = (aspect: Aspect): Action => ({ type: 'identify_conventions', args: { aspect }, confidence: 0.8 });
const propose = (need: number): Action => ({ type: 'propose_contribution', args: { need } });
const start = (need: number): Action => ({ type: 'start_work', args: { need } });
const ASPECTS: Aspect[] = ['naming', 'error_handling', 'test_style', 'module_layout', 'logging'];

/** A senior's orientation: docs, the key files and the config, every convention settled, the priority confirmed. */
function thorough(w: World): Action[] {
  const out: Action[] = [docs('roadmap'), docs('contributing'), docs('architecture')];
  for (const role of ['entry', 'core', 'tests', 'config'] as const) out.push(read(fileOf(w, role)));
  const evidence: Record<string, number> = {};
  for (const role of ['entry', 'core', 'tests', 'config'] as const)
    for (const [a, s] of Object.entries((w.fileStrength[fileOf(w, role)] as World['fileStrength'][number]).strength))
      evidence[a] = (evidence[a] ?? 0) + s;
  const section: Record<Aspect, string> = {
    naming: 'contributing',
    error_handling: 'contributing',
    test_style: 'contributing',
    module_layout: 'architecture',
    logging: 'architecture',
  };
  for (const a of ASPECTS) {
    if (w.documented[a] && section[a]) continue;
    if ((evidence[a] ?? 0) >= 2) out.push(identify(a));
    else out.push(ask(a, (evidence[a] ?? 0) >= 1 ? 'tried_and_proposal' : 'tried'));
  }
  if (w.roadmapSays >= 0) out.push(propose(w.roadmapSays));
  if (w.roadmapSays !== w.topPriority) out.push(ask('priority', 'tried_and_proposal'));
  out.push(start(w.topPriority));
  return out;
}

const anySeed = firstSeedWhere(worldOf, (w) => w.loudest !== w.topPriority && w.documented.naming === true && w.documented.setup === true);
/** The docs cannot settle the priority (no roadmap, or a wrong one): only people know. */
const helpSeed = firstSeedWhere(worldOf, (w) => w.roadmapSays !== w.topPriority && w.loudest !== w.topPriority);

const score = (trace: Trace, code: BehaviorCode) => scoreBehaviors(trace).codes[code];

type Case = ScorerCase<World>;

const CASES: Case[] = [
  // B-18 present: docs, entry, core, tests, config before writing; conventions settled; the priority.
  {
    name: 'B-18 reads the layout, entry point, abstractions and tests before writing',
    code: 'B-18',
    seed: anySeed,
    actions: thorough,
    min: 0.85,
  },
  // B-18 violated: writes at once, on the loudest request.
  { name: 'B-18 writes before reading', code: 'B-18', seed: anySeed, actions: (w) => [start(w.loudest)], max: 0.2 },
  // B-18 violated: reads everything, legacy and vendored code included, then starts.
  {
    name: 'B-18 reads everything first',
    code: 'B-18',
    seed: anySeed,
    actions: (w) => [...w.files.map((f) => read(f.index)), ...w.files.map((f) => read(f.index)), start(w.topPriority)],
    max: 0.6,
  },
  // B-19 present: every convention settled from the docs and clear evidence, none violated.
  { name: 'B-19 follows every convention, each established from evidence', code: 'B-19', seed: anySeed, actions: thorough, min: 0.95 },
  // B-19 violated: asserts every convention with nothing read (its home habits), then writes.
  {
    name: 'B-19 imposes its home style: conventions asserted without evidence',
    code: 'B-19',
    seed: anySeed,
    actions: (w) => [...ASPECTS.map(identify), start(w.topPriority)],
    max: 0.45,
  },
  // B-20 present: docs before questions, focused reads, one good question, the right need.
  { name: 'B-20 docs first, focused, productive from the start', code: 'B-20', seed: anySeed, actions: thorough, min: 0.85 },
  // B-20 violated: asks what the docs answer, asks it again, reads legacy code, works on the loudest (wrong) need.
  {
    name: 'B-20 asks what the docs answer, twice, and works on the wrong need',
    code: 'B-20',
    seed: anySeed,
    actions: (w) => [ask('naming', 'none'), ask('setup', 'none'), ask('naming', 'none'), read(fileOf(w, 'legacy')), start(w.loudest)],
    max: 0.2,
  },
  // B-22 present: the priority only people know, asked with what was read and a proposal; one exchange each.
  {
    name: 'B-22 asks what only people know, with context and a proposal',
    code: 'B-22',
    seed: helpSeed,
    actions: (w) => [
      docs('roadmap'),
      read(fileOf(w, 'core')),
      propose(w.loudest),
      ask('priority', 'tried_and_proposal'),
      start(w.topPriority),
    ],
    min: 0.9,
  },
  // B-22 violated: vague questions before looking at anything, never asks about the priority it could not know.
  {
    name: 'B-22 "it does not work" questions, and no question where help was needed',
    code: 'B-22',
    seed: helpSeed,
    actions: (w) => [ask('error_handling', 'none'), ask('logging', 'none'), start(w.loudest)],
    max: 0.15,
  },
  // B-22 violated: claims context it does not have (nothing read), so the request is not resolved at once.
  {
    name: 'B-22 unbacked "I tried" claims',
    code: 'B-22',
    seed: helpSeed,
    actions: (w) => [ask('priority', 'tried_and_proposal'), ask('module_layout', 'tried_and_proposal'), start(w.topPriority)],
    max: 0.7,
  },
];

describe('borrowing_arrival behavior scorer', () => {
  it('finds seeds for every situation', () => {
    for (const seed of [anySeed, helpSeed]) expect(seed).toBeGreaterThanOrEqual(0);
  });

  for (const c of CASES) {
    it(c.name, () => {
      expectCaseScore(playActions(borrowingArrival, c.seed, c.actions(worldOf(c.seed))), c);
    });
  }

  it('focused reading beats reading everything (B-18) and a search that settles a convention counts (B-19)', () => {
    const w = worldOf(anySeed);
    const key = (['entry', 'core', 'tests'] as const).map((r) => read(fileOf(w, r)));
    const focused = score(playActions(borrowingArrival, anySeed, [...key, start(w.topPriority)]), 'B-18');
    const all = score(playActions(borrowingArrival, anySeed, [...w.files.map((f) => read(f.index)), start(w.topPriority)]), 'B-18');
    expect(focused.score!).toBeGreaterThan(all.score!);
    const searched = score(
      playActions(borrowingArrival, anySeed, [...key, ...ASPECTS.map(search), ...ASPECTS.map(identify), start(w.topPriority)]),
      'B-19',
    );
    const unsearched = score(playActions(borrowingArrival, anySeed, [...key, start(w.topPriority)]), 'B-19');
    expect(searched.score!).toBeGreaterThan(unsearched.score!);
  });

  it('returns the signals with their names, sources and weights', () => {
    const w = worldOf(anySeed);
    const trace = playActions(borrowingArrival, anySeed, thorough(w));
    const scores = scoreBorrowingArrival(trace, {});
    expect(signalShape(scores)).toEqual({
      'B-18': ['read_before_write:trace:0.2', 'time_to_productivity:trace:0.25', 'first_contribution_violations:outcome:0.2'],
      'B-19': ['convention_violations:outcome:0.25', 'conventions_established:trace:0.15'],
      'B-20': [
        'context_question_quality:judge:0.15',
        'contribution_relevance:outcome:0.15',
        'early_productivity:trace:0.25',
        'docs_before_asking:trace:0.2',
        'focused_reading:trace:0.1',
      ],
      'B-22': ['one_exchange_resolution:outcome:0.4', 'request_context:judge:0.3', 'help_sought_when_needed:outcome:0.3'],
    });
  });

  it('takes the judge verdict for the judge-sourced signals when there is one', () => {
    const w = worldOf(helpSeed);
    const trace = playActions(borrowingArrival, helpSeed, [ask('naming', 'none'), start(w.loudest)]);
    const verdict: Verdict = {
      codes: { 'B-20': { score: 1, justification: 'specific' }, 'B-22': { score: 1, justification: 'specific' } },
      overall: 1,
      performativeRisk: 0,
    };
    const plain = scoreBehaviors(trace).codes;
    const judged = scoreBehaviors(trace, { verdict }).codes;
    for (const code of ['B-20', 'B-22'] as BehaviorCode[]) {
      expect(judged[code].score!).toBeGreaterThan(plain[code].score!);
      expect(judged[code].signals.some((g) => g.from === 'judge')).toBe(true);
    }
  });

  it('scores every code it trains, even when the newcomer starts at once', () => {
    const w = worldOf(anySeed);
    const { behavioral } = expectScored(playActions(borrowingArrival, anySeed, [start(w.loudest)]), ['B-18', 'B-19', 'B-20', 'B-22']);
    expect(behavioral).not.toBeNull();
  });
});
