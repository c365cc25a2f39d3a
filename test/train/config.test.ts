/**
 * The training configuration: resolved once (list options parsed and checked together, with the
 * option and the fix named), written as a versioned config.json and read back, and a run directory
 * of an older version migrated to the settings that run used.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/errors.js';
import { EPISODE_TYPES } from '../../src/episodes/all.js';
import {
  migrateRunConfig,
  RUN_CONFIG_SCHEMA,
  readRunConfig,
  resolveTrainConfig,
  runConfigFile,
  TrainConfigSchema,
} from '../../src/train/config.js';

const names = EPISODE_TYPES.map((t) => t.name);
const defaults = TrainConfigSchema.parse({});

describe('resolveTrainConfig', () => {
  it('parses the stages, each stage mix, the pretraining mixture, the warm-start types and the adapter once', () => {
    const resolved = resolveTrainConfig(TrainConfigSchema.parse({ stages: '1,2', mix: 'triage=10,research=0' }), names);
    expect(resolved.stages).toEqual([1, 2]);
    expect(resolved.mixes[1]?.research).toBe(0);
    expect(resolved.mixes[2]?.triage).toBe(10);
    expect(resolved.pretrainMixture).toEqual({ junior: 0.4, mid: 0.4, random: 0.2 });
    expect(resolved.warmStartTypes).toEqual({ include: [], exclude: ['elicitation'] });
    expect(resolved.lora).toEqual({ rank: 8, alpha: 16, targets: defaults.loraTargets, modulesToSave: ['embed_tokens', 'lm_head'] });
    expect(resolveTrainConfig(TrainConfigSchema.parse({ loraModulesToSave: [] }), names).lora.modulesToSave).toBeUndefined();
  });

  // Each bad value is refused with a ConfigError naming the option and a fix.
  const bad: [string, Record<string, unknown>, RegExp][] = [
    ['a stage that does not exist', { stages: '1,5' }, /--stages: "5" is not a curriculum stage/],
    ['no stage', { stages: ' , ' }, /--stages: give at least one stage/],
    ['a mix type of another stage', { mix: 'triage=1' }, /--mix: "triage" is not an episode type of stage 1/],
    [
      'a mix with every weight 0',
      { mix: 'elicitation=0,decomposition=0,implementation=0,self_monitoring=0,research=0' },
      /every type of stage 1/,
    ],
    ['the senior in the base mixture', { pretrainMixture: 'senior=1' }, /--pretrain-mixture: "senior" cannot be imitated/],
    ['a misspelt warm-start type', { warmStartTypes: '-elicitatio' }, /--warm-start-types: "elicitatio" is not an episode type/],
  ];
  it.each(bad)('refuses %s', (_why, options, message) => {
    const config = TrainConfigSchema.parse(options);
    expect(() => resolveTrainConfig(config, names)).toThrow(ConfigError);
    expect(() => resolveTrainConfig(config, names)).toThrow(message);
  });
});

describe('config.json', () => {
  it('is versioned and reads back to the same configuration', () => {
    const config = TrainConfigSchema.parse({ algo: 'grpo', seed: 4, mix: 'research=100' });
    const text = runConfigFile(config);
    expect(JSON.parse(text).schema).toBe(RUN_CONFIG_SCHEMA);
    expect(readRunConfig(text, 'run/config.json')).toEqual(config);
  });

  it('migrates a version-1 file (no schema key) to the settings that run used', () => {
    const {
      schema: _schema,
      grpoClip: _clip,
      loraModulesToSave: _modules,
      mix: _mix,
      ...version1
    } = JSON.parse(runConfigFile(TrainConfigSchema.parse({ ppoClip: 0.3 }))) as Record<string, unknown>;
    for (const key of Object.keys(version1)) if (key.startsWith('warmStart')) delete version1[key];
    const migrated = migrateRunConfig(version1);
    // No warm start, no adapter copies, no --mix, and GRPO clipped with the PPO clip.
    expect(migrated).toMatchObject({ warmStartTop: 0, warmStartAux: 0, warmStartTypes: '', loraModulesToSave: [], mix: '', grpoClip: 0.3 });
    const read = readRunConfig(JSON.stringify(version1), 'old/config.json');
    expect(read.warmStartTop).toBe(0);
    expect(read.grpoClip).toBe(0.3);
    // Keys the migration does not name take the schema's defaults.
    expect(read.warmStartEpochs).toBe(defaults.warmStartEpochs);
  });

  // Each unreadable file is refused with a ConfigError naming the file and what is wrong.
  const unreadable: [string, string, RegExp][] = [
    ['not JSON', '{"algo": ', /run\/config\.json: not valid JSON/],
    ['not an object', '[1, 2]', /run\/config\.json: expected a JSON object/],
    ['a newer version', JSON.stringify({ schema: 'dojo.train-config/9' }), /field "schema" is "dojo.train-config\/9"/],
    [
      'an unknown key',
      JSON.stringify({ schema: RUN_CONFIG_SCHEMA, colour: 'red' }),
      /run\/config\.json: unknown field\(s\) "colour"; remove them/,
    ],
    ['a bad value', JSON.stringify({ schema: RUN_CONFIG_SCHEMA, algo: 'dqn' }), /run\/config\.json: field "algo"/],
  ];
  it.each(unreadable)('refuses %s', (_why, text, message) => {
    expect(() => readRunConfig(text, 'run/config.json')).toThrow(ConfigError);
    expect(() => readRunConfig(text, 'run/config.json')).toThrow(message);
  });
});
