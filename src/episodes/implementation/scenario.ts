/**
 * The hidden setup of an implementation episode, drawn once from the seed: the story and its
 * acceptance criteria, the workspace, the planted fault, whether the planned approach converges,
 * the external blocker, the pre-drawn downstream fates and the test suite's tests.
 */
import type { ScenarioOptions, Secret } from '../../core/episode.js';
import type { Rng } from '../../core/rng.js';
import { generateStory, type Story } from '../../sim/story.js';
import { buildWorkspace, type Workspace, type WorkspaceFile } from '../../sim/workspace.js';
import { storyOptionsFor } from '../common.js';
import type { Criterion, Fates, ImplementationHidden, TaskCard } from './types.js';

/** What a test checks: one acceptance criterion, the helper's behavior, the sandbox contract, or the existing flows. */
export type TestId = { kind: 'ac'; ac: number } | { kind: 'fault' } | { kind: 'contract' } | { kind: 'regression' };

export interface TestCase {
  name: string;
  /** Index of the test file. */
  file: number;
  id: TestId;
}

export interface Scenario {
  story: Story;
  workspace: Workspace;
  criteria: Criterion[];
  /** A fault planted in the shared helper (80% of episodes). */
  faultPresent: boolean;
  /** Whether the planned approach can converge. */
  initiallyConverges: boolean;
  /** Index of the criterion a doomed approach cannot meet. */
  hardCriterion: number;
  /** An external blocker: the contract test fails until the lead renews the sandbox credentials. */
  blocked: boolean;
  fates: Fates;
  tests: TestCase[];
  task: TaskCard;
}

/** Number of pre-drawn fates for risky changes (used cyclically). */
const RISKY_FATES = 8;

const FALLBACK_CRITERIA = [
  'errors are reported to the caller with a clear message',
  'the change is covered by automated tests',
  'the behaviour is documented in the API reference',
];

/** The task's acceptance criteria: the story's goal, then the requirements the story states, then generic ones. */
function criteriaFor(story: Story, k: number): Criterion[] {
  const texts = [`${story.title.charAt(0).toLowerCase()}${story.title.slice(1)} works end to end`];
  for (const r of story.requirements) if (texts.length < k && r.stated) texts.push(r.text);
  for (const r of story.requirements) if (texts.length < k && !r.stated && r.impact >= 0.5) texts.push(r.text);
  for (const t of FALLBACK_CRITERIA) if (texts.length < k) texts.push(t);
  return texts.slice(0, k).map((text, i) => ({ id: `AC-${i + 1}`, text }));
}

/** The path of file `file` of the workspace. */
export function pathOf(workspace: Workspace, file: number): string {
  return (workspace.files[file] as WorkspaceFile).path;
}

/** Draws the scenario; the draws and their order are part of the seed's meaning. */
export function createScenario(rng: Rng, options: ScenarioOptions): Scenario {
  const story = generateStory(
    rng.fork('story'),
    storyOptionsFor(rng, options, (r) => r.uniform(0.1, 0.6)),
  );
  const workspace = buildWorkspace(rng.fork('workspace'), story.domain, story.language, story.title);
  const truth = rng.fork('truth');
  const k = story.points <= 2 ? 2 : story.points <= 5 ? 3 : 4;
  const criteria = criteriaFor(story, k);
  const hardness = options.difficulty === 'easy' ? 0.2 : options.difficulty === 'hard' ? 0.5 : 0.35;
  const faultPresent = truth.chance(0.8);
  const initiallyConverges = !truth.chance(hardness);
  const hardCriterion = truth.int(k);
  const blocked = truth.chance(options.difficulty === 'easy' ? 0.15 : 0.25);
  const fateRng = rng.fork('fates');
  const breaks: number[] = [];
  for (let i = 0; i < workspace.files.length; i++) breaks.push(fateRng.next());
  const risky: number[] = [];
  for (let i = 0; i < RISKY_FATES; i++) risky.push(fateRng.next());
  const fates: Fates = {
    breaks,
    risky,
    symptomCatch: fateRng.next(),
    testEditCatch: fateRng.next(),
    scopeRemark: fateRng.next(),
  };
  const entity = workspace.entity;
  const tests: TestCase[] = [];
  // Criterion ids are `AC-<n>`, so `id.toLowerCase().replace('-', '')` is `ac<n>`.
  for (let i = 0; i < criteria.length; i++)
    tests.push({ name: `test_ac${i + 1}_${entity}`, file: workspace.acTests, id: { kind: 'ac', ac: i } });
  tests.push(
    { name: `test_${entity}_${workspace.helper.area}`, file: workspace.apiTests, id: { kind: 'fault' } },
    { name: `test_${entity}_${workspace.system}_contract`, file: workspace.apiTests, id: { kind: 'contract' } },
    { name: `test_${entity}_existing_flows`, file: workspace.apiTests, id: { kind: 'regression' } },
  );
  const task: TaskCard = {
    id: `${story.id}-T1`,
    title: `Implement "${story.title}"`,
    points: story.points,
    domain: story.domain,
    language: story.language,
    entryFile: workspace.core,
    instructions: `Implement the acceptance criteria of ${pathOf(workspace, workspace.feature)} in ${pathOf(workspace, workspace.core)} with the planned approach (${workspace.approach.current}); commit when done.`,
  };
  return { story, workspace, criteria, faultPresent, initiallyConverges, hardCriterion, blocked, fates, tests, task };
}

/** The files the task truly needs: the entry file, and the helper when it holds the fault. */
export function relevantFiles(scenario: Scenario): string[] {
  const out = [pathOf(scenario.workspace, scenario.workspace.core)];
  if (scenario.faultPresent) out.push(pathOf(scenario.workspace, scenario.workspace.root));
  return out;
}

/** What reading the helper reveals when it holds the fault. */
export function faultText(workspace: Workspace): string {
  return `root cause: ${workspace.helper.fn}() ${workspace.helper.bug}`;
}

/** The hidden truth, for the trace. */
export function hiddenTruth(scenario: Scenario): ImplementationHidden {
  const { workspace, faultPresent, initiallyConverges } = scenario;
  return {
    files: workspace.files.map((f) => ({ path: f.path, role: f.role })),
    filesThatMatter: relevantFiles(scenario),
    faultPresent,
    fault: faultPresent
      ? {
          file: pathOf(workspace, workspace.root),
          symptomFile: pathOf(workspace, workspace.symptom),
          helper: workspace.helper.fn,
          bug: workspace.helper.bug,
        }
      : null,
    approach: {
      current: workspace.approach.current,
      converges: initiallyConverges,
      hardCriterion: initiallyConverges ? null : (scenario.criteria[scenario.hardCriterion] as Criterion).id,
      reason: workspace.approach.reason,
    },
    blocked: scenario.blocked,
    system: workspace.system,
    fates: scenario.fates,
  };
}

/** The hidden items, with whether the candidate found each (reading the helper, pivoting, escalating). */
export function scenarioSecrets(
  scenario: Scenario,
  found: { faultDiagnosed: boolean; pivoted: boolean; blockerResolved: boolean },
): Secret[] {
  const { workspace } = scenario;
  const out: Secret[] = [{ id: 'files_that_matter', text: `files that matter: ${relevantFiles(scenario).join(' + ')}`, revealed: false }];
  if (scenario.faultPresent) out.push({ id: 'fault', text: faultText(workspace), revealed: found.faultDiagnosed });
  out.push({
    id: 'approach',
    text: scenario.initiallyConverges
      ? `the approach "${workspace.approach.current}" converges`
      : `the approach "${workspace.approach.current}" cannot converge: ${workspace.approach.reason}`,
    revealed: !scenario.initiallyConverges && found.pivoted,
  });
  if (scenario.blocked)
    out.push({
      id: 'blocker',
      text: `external blocker: the ${workspace.system} sandbox credentials expired and only the tech lead can renew them`,
      revealed: found.blockerResolved,
    });
  return out;
}
