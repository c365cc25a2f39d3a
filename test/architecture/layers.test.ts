/**
 * The direction of dependencies (docs/architecture.md): a folder of `src/` imports only from
 * itself and from the folders above it in `LAYERS`; a world file of an episode package never
 * imports a scorer (the reward reads only the trace, so it can be swapped alone); an episode
 * package imports no other package; and nothing but `cli` imports `cli`. Tests (`*.test.ts`) may
 * import anything. `violations` is checked on planted examples too, so the check itself can fail.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/** The layers, top first: each may import only from itself and the ones above it. */
const LAYERS = [
  'spec',
  'core',
  'providers',
  'sim',
  'episodes',
  'env',
  'reward',
  'model',
  'policy',
  'rollout',
  'train',
  'bench',
  'cli',
] as const;

/** The files of an episode package that may import its scorer: the scorer itself and the assembly. */
const SCORER_FILES = new Set(['score.ts', 'index.ts']);

const SRC = resolve(import.meta.dirname, '..', '..', 'src');

interface SourceFile {
  /** Path relative to src/, with forward slashes. */
  path: string;
  text: string;
}

function sourceFiles(dir: string): SourceFile[] {
  const out: SourceFile[] = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...sourceFiles(full));
    else if (name.endsWith('.ts') && !name.endsWith('.test.ts'))
      out.push({ path: relative(SRC, full).split('\\').join('/'), text: readFileSync(full, 'utf8') });
  }
  return out;
}

/** Relative module specifiers of a file's static imports and exports (`import type` included). */
function importsOf(text: string): string[] {
  const out: string[] = [];
  for (const match of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+'(\.{1,2}\/[^']+)'/g)) out.push(match[1] as string);
  return out;
}

/** Every rule the file breaks, as readable lines. */
function violations(files: readonly SourceFile[]): string[] {
  const problems: string[] = [];
  for (const file of files) {
    const [folder, packageName] = file.path.split('/');
    const from = LAYERS.indexOf(folder as (typeof LAYERS)[number]);
    if (from < 0) {
      problems.push(`${file.path}: src/${folder} is not a layer of docs/architecture.md`);
      continue;
    }
    for (const specifier of importsOf(file.text)) {
      const target = relative(SRC, resolve(SRC, dirname(file.path), specifier))
        .split('\\')
        .join('/')
        .replace(/\.js$/, '.ts');
      if (target.startsWith('..')) continue;
      const [targetFolder, targetPackage] = target.split('/');
      const to = LAYERS.indexOf(targetFolder as (typeof LAYERS)[number]);
      if (to > from) problems.push(`${file.path} imports ${target}: ${folder} may not import ${targetFolder} (a layer below it)`);
      if (targetFolder === 'cli' && folder !== 'cli') problems.push(`${file.path} imports ${target}: only cli imports cli`);
      if (folder === 'episodes' && targetFolder === 'episodes' && packageName !== undefined && target.split('/').length > 2) {
        const own = file.path.split('/').length > 2;
        if (own && targetPackage !== packageName)
          problems.push(`${file.path} imports ${target}: an episode package imports no other package`);
        const base = target.split('/').pop() as string;
        const fileBase = file.path.split('/').pop() as string;
        if (own && targetPackage === packageName && base === 'score.ts' && !SCORER_FILES.has(fileBase))
          problems.push(`${file.path} imports ${target}: a world file never imports a scorer`);
      }
    }
  }
  return problems;
}

describe('dependency direction', () => {
  it('holds for every file of src/', () => {
    const files = sourceFiles(SRC);
    expect(files.length).toBeGreaterThan(100);
    expect(violations(files)).toEqual([]);
  });

  it('catches a layer imported from above, a world file importing its scorer, a package importing another, and cli imported', () => {
    const planted: SourceFile[] = [
      { path: 'env/env.ts', text: "import { ppoIteration } from '../train/ppo.js';\n" },
      { path: 'episodes/triage/world.ts', text: "import { scoreTriage } from './score.js';\n" },
      { path: 'episodes/triage/outcome.ts', text: "import type { X } from '../recovery/types.js';\n" },
      { path: 'train/trainer.ts', text: "export { persona } from '../cli/registry.js';\n" },
      { path: 'episodes/triage/index.ts', text: "import { scoreTriage } from './score.js';\nimport { x } from '../../core/rng.js';\n" },
    ];
    expect(violations(planted)).toEqual([
      'env/env.ts imports train/ppo.ts: env may not import train (a layer below it)',
      'episodes/triage/world.ts imports episodes/triage/score.ts: a world file never imports a scorer',
      'episodes/triage/outcome.ts imports episodes/recovery/types.ts: an episode package imports no other package',
      'train/trainer.ts imports cli/registry.ts: train may not import cli (a layer below it)',
      'train/trainer.ts imports cli/registry.ts: only cli imports cli',
    ]);
  });
});
