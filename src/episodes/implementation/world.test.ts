import { describe, expect, it } from 'vitest';
import { hiddenTruth, seedsWhere as seedsOf } from '../../../test/helpers.js';
import type { Action } from '../../core/episode.js';
import type { Trace } from '../../core/trace.js';
import { DojoEnv } from '../../env/env.js';
import { ScriptedPersona } from '../../policy/scripted.js';
import { mean } from '../../reward/stats.js';
import { personaOutcomes } from '../../rollout/outcomes.js';
import { implementation } from './index.js';
import type { ImplementationFacts, ImplementationHidden } from './types.js';

type Truth = ImplementationHidden;
type ImplementationTrace = Trace<ImplementationFacts, ImplementationHidden>;

const truth = (seed: number): Truth => hiddenTruth(implementation, seed);
/** The first `n` seeds below 500 whose hidden truth satisfies `pred`. */
const seedsWhere = (pred: (t: Truth) => boolean, n: number) => seedsOf(truth, pred, n, 499);

interface Plan {
  /** How to deal with the failing assertion: fix the helper it comes from, patch the caller, edit the test, or ignore it. */
  fix: 'root' | 'symptom' | 'test' | 'none';
  /** Pivot after the same criterion timed out twice. */
  pivot: boolean;
  /** Escalate a failure from an external service. */
  escalate: boolean;
  /** Escalate once at the start whatever the state. */
  escalateAnyway?: boolean;
  /** Files outside the criteria to edit (docs, config, models). */
  extraFiles?: number;
  /** Commit after this many edits of the entry file (default: when the criteria pass). */
  commitAfterCoreEdits?: number;
}

const GOOD: Plan = { fix: 'root', pivot: true, escalate: true };

/** Replays a scripted, view-driven sequence on one seed and returns the trace. */
function play(seed: number, plan: Plan): ImplementationTrace {
  const env = new DojoEnv(implementation);
  let view = env.resetSync({ seed }).observation.structured.state;
  let done = false;
  const step = (action: Action) => {
    if (done) return;
    const r = env.stepSync(action);
    expect(r.info.valid).toBe(true);
    view = r.observation.structured.state;
    done = r.terminated || r.truncated;
  };
  const failing = () => (view.lastRun ? view.lastRun.tests.filter((t) => t.status === 'fail') : []);
  const run = () => step({ type: 'run_tests', args: {} });
  const entry = view.task.entryFile;
  step({ type: 'bash', args: { command: 'list_files' } });
  run();
  if (plan.escalateAnyway || (plan.escalate && failing().some((t) => t.errorKind === 'external'))) {
    step({ type: 'checkpoint_escalate', args: {} });
    run();
  }
  const assertion = failing().find((t) => t.errorKind === 'assertion');
  if (assertion && plan.fix === 'root') {
    step({ type: 'bash', args: { command: 'grep_error' } });
    const definition = view.pointers.find((p) => p.why === 'definition');
    if (definition) {
      step({ type: 'read_file', args: { file: definition.file } });
      step({ type: 'edit_file', args: { file: definition.file } });
      run();
    }
  } else if (assertion && plan.fix === 'symptom') {
    step({ type: 'edit_file', args: { file: assertion.locationFile as number } });
    run();
  } else if (assertion && plan.fix === 'test') {
    step({ type: 'edit_file', args: { file: assertion.file } });
    run();
  }
  const extras = view.files.filter((f) => f.kind === 'docs' || f.kind === 'config' || f.path.includes('models'));
  for (let i = 0; i < (plan.extraFiles ?? 0) && i < extras.length; i++)
    step({ type: 'edit_file', args: { file: (extras[i] as { index: number }).index } });
  step({ type: 'read_file', args: { file: entry } });
  let coreEdits = 0;
  let timeouts = 0;
  for (let guard = 0; guard < 14 && !done; guard++) {
    if (plan.commitAfterCoreEdits !== undefined && coreEdits >= plan.commitAfterCoreEdits) break;
    const open = failing().filter((t) => t.errorKind === 'not_implemented' || t.errorKind === 'timeout' || t.errorKind === 'regression');
    if (open.length === 0) break;
    if (open.some((t) => t.errorKind === 'timeout')) timeouts++;
    if (plan.pivot && timeouts >= 2 && !view.approach.pivoted) {
      step({ type: 'checkpoint_pivot', args: {} });
      run();
      continue;
    }
    const regression = open.find((t) => t.errorKind === 'regression');
    step({ type: 'edit_file', args: { file: regression ? (regression.locationFile as number) : entry } });
    if (!regression) coreEdits++;
    run();
  }
  step({ type: 'git_add', args: {} });
  step({ type: 'git_commit', args: {} });
  expect(done).toBe(true);
  return env.trace();
}

const outcome = (t: ImplementationTrace) => t.reward.outcome;

describe('implementation levers', () => {
  it('fix_root_cause: fixing the helper beats patching the caller named in the error', () => {
    const seeds = seedsWhere((t) => t.faultPresent && t.approach.converges && !t.blocked, 20);
    expect(seeds.length).toBe(20);
    const root = seeds.map((s) => play(s, GOOD));
    const symptom = seeds.map((s) => play(s, { ...GOOD, fix: 'symptom' }));
    for (let i = 0; i < seeds.length; i++) {
      expect(root[i]?.outcome.rootCauseFixed).toBe(true);
      expect(symptom[i]?.outcome.symptomPatched).toBe(true);
      expect(outcome(root[i] as ImplementationTrace)).toBeGreaterThan(outcome(symptom[i] as ImplementationTrace));
    }
    expect(mean(root.map(outcome)) - mean(symptom.map(outcome))).toBeGreaterThan(0.15);
  });

  it('pivot_doomed_approach: pivoting after two timeouts beats continuing', () => {
    const seeds = seedsWhere((t) => !t.approach.converges && !t.blocked, 15);
    expect(seeds.length).toBe(15);
    const pivot = seeds.map((s) => play(s, GOOD));
    const cont = seeds.map((s) => play(s, { ...GOOD, pivot: false }));
    for (let i = 0; i < seeds.length; i++) {
      expect(pivot[i]?.outcome.pivotRight).toBe(true);
      expect(pivot[i]?.outcome.storyAccepted).toBe(true);
      expect(cont[i]?.outcome.storyAccepted).toBe(false);
      expect(outcome(pivot[i] as ImplementationTrace)).toBeGreaterThan(outcome(cont[i] as ImplementationTrace));
    }
    expect(mean(pivot.map(outcome)) - mean(cont.map(outcome))).toBeGreaterThan(0.2);
  });

  it('escalate_blocker: escalating an external blocker unblocks; escalating without one costs', () => {
    const blocked = seedsWhere((t) => t.blocked && t.approach.converges, 15);
    const esc = blocked.map((s) => play(s, GOOD));
    const silent = blocked.map((s) => play(s, { ...GOOD, escalate: false }));
    for (let i = 0; i < blocked.length; i++) {
      expect(esc[i]?.outcome.blockerResolved).toBe(true);
      expect(silent[i]?.outcome.rejectedReason).toBe('ci_red');
    }
    expect(mean(esc.map(outcome)) - mean(silent.map(outcome))).toBeGreaterThan(0.3);

    const free = seedsWhere((t) => !t.blocked && t.approach.converges, 15);
    const needless = free.map((s) => play(s, { ...GOOD, escalateAnyway: true }));
    const plain = free.map((s) => play(s, GOOD));
    for (let i = 0; i < free.length; i++) {
      expect(needless[i]?.outcome.leadHoursWasted).toBeGreaterThan(0);
      expect(outcome(needless[i] as ImplementationTrace)).toBeLessThanOrEqual(outcome(plain[i] as ImplementationTrace));
    }
    expect(mean(plain.map(outcome)) - mean(needless.map(outcome))).toBeGreaterThan(0.02);
  });

  it('gold_plating: editing files outside the criteria lowers the outcome', () => {
    const seeds = seedsWhere((t) => t.approach.converges && !t.blocked, 30);
    const lean = seeds.map((s) => play(s, GOOD));
    const plated = seeds.map((s) => play(s, { ...GOOD, extraFiles: 2 }));
    for (let i = 0; i < seeds.length; i++) {
      expect(plated[i]?.outcome.filesOutsideCriteria).toBe(2);
      expect(outcome(plated[i] as ImplementationTrace)).toBeLessThanOrEqual(outcome(lean[i] as ImplementationTrace));
    }
    expect(mean(lean.map(outcome)) - mean(plated.map(outcome))).toBeGreaterThan(0.05);
  });

  it('commit_with_failures: committing before the criteria pass is rejected', () => {
    const seeds = seedsWhere((t) => t.approach.converges && !t.blocked, 15);
    const full = seeds.map((s) => play(s, GOOD));
    const early = seeds.map((s) => play(s, { ...GOOD, commitAfterCoreEdits: 1 }));
    for (let i = 0; i < seeds.length; i++) {
      expect(early[i]?.outcome.committedWithFailures).toBe(true);
      expect(outcome(early[i] as ImplementationTrace)).toBeLessThan(outcome(full[i] as ImplementationTrace));
    }
    expect(mean(full.map(outcome)) - mean(early.map(outcome))).toBeGreaterThan(0.3);
  });

  it('edit_tests_to_pass: editing the failing test instead of the code lowers the outcome', () => {
    const seeds = seedsWhere((t) => t.faultPresent && t.approach.converges && !t.blocked, 15);
    const fixed = seeds.map((s) => play(s, GOOD));
    const edited = seeds.map((s) => play(s, { ...GOOD, fix: 'test' }));
    for (let i = 0; i < seeds.length; i++) {
      expect(edited[i]?.outcome.testsEdited).toBeGreaterThan(0);
      expect(outcome(edited[i] as ImplementationTrace)).toBeLessThan(outcome(fixed[i] as ImplementationTrace));
    }
    expect(mean(fixed.map(outcome)) - mean(edited.map(outcome))).toBeGreaterThan(0.2);
  });

  it('documents every lever it tests', () => {
    expect(implementation.levers.map((l) => l.name).sort()).toEqual(
      ['commit_with_failures', 'edit_tests_to_pass', 'escalate_blocker', 'fix_root_cause', 'gold_plating', 'pivot_doomed_approach'].sort(),
    );
  });
});

describe('implementation episode', () => {
  it('scripted personas finish 50 seeds before the turn limit, never offered more than 60 legal actions', () => {
    for (const name of ['senior', 'mid', 'junior'] as const) {
      const persona = new ScriptedPersona(name, 3);
      const env = new DojoEnv(implementation);
      for (let seed = 0; seed < 50; seed++) {
        let { observation } = env.resetSync({ seed });
        for (;;) {
          const legal = env.legalActions();
          expect(legal.length).toBeLessThanOrEqual(60);
          const result = env.stepSync(persona.choose({ observation, legalActions: legal }));
          observation = result.observation;
          if (result.terminated || result.truncated) {
            expect(result.terminated, `${name} seed ${seed}`).toBe(true);
            break;
          }
        }
        expect(env.trace().turns).toBeLessThan(implementation.maxTurns);
      }
    }
  });

  it('refuses a file index beyond the workspace without throwing', () => {
    const env = new DojoEnv(implementation);
    const { observation } = env.resetSync({ seed: 1 });
    const files = observation.structured.state.files.length;
    if (files < 12) {
      const r = env.stepSync({ type: 'read_file', args: { file: 11 } });
      expect(r.info.valid).toBe(false);
    }
    const ok = env.stepSync({ type: 'read_file', args: { file: 0 } });
    expect(ok.info.valid).toBe(true);
  });

  it('over 500 seeds the mid beats the junior, and the junior beats random by at least 0.05', () => {
    const [mid, junior, random] = (['mid', 'junior', 'random'] as const).map((p) =>
      personaOutcomes(implementation, new ScriptedPersona(p, 1), 0, 500),
    );
    expect(mid!.mean).toBeGreaterThan(junior!.mean);
    expect(junior!.mean - random!.mean).toBeGreaterThanOrEqual(0.05);
    expect(mid!.std).toBeGreaterThan(0.05);
  });
});
