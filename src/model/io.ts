/**
 * Saving and loading the built-in model and its LoRA adapters in standard formats, and merging an
 * adapter into the base weights.
 *
 * A model directory (loads in transformers as `LlamaForCausalLM.from_pretrained(dir)`):
 *
 *     config.json              LlamaConfig (toHuggingFaceConfig), with the tokenizer's bos/eos/pad ids
 *     model.safetensors        base weights under transformers' Llama names, F32, {format: 'pt'}
 *     value_head.safetensors   value_head.weight [1, dim], value_head.bias [1] (not part of Llama)
 *     tokenizer.json           Hugging Face WordLevel tokenizer
 *
 * An adapter directory (loads in PEFT as `PeftModel.from_pretrained(model, dir)`), one per
 * curriculum stage (`lora-v1` .. `lora-v4`):
 *
 *     adapter_config.json        PEFT LoraConfig (peft_type LORA, task_type CAUSAL_LM, r, lora_alpha, ...)
 *     adapter_model.safetensors  base_model.model.<module>.lora_A.weight [r, in] / lora_B.weight [out, r];
 *                                with modules_to_save also base_model.model.lm_head.weight and
 *                                base_model.model.model.embed_tokens.weight [vocab, dim] (PEFT's saved names)
 *
 * Every file is written atomically (a temporary file in the same directory, then a rename), and
 * every malformed or missing file gets an error naming the file, the field and the fix.
 */
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { DojoError } from '../core/errors.js';
import { fromHuggingFaceConfig, type ModelConfig, toHuggingFaceConfig } from './config.js';
import {
  addLowRank,
  LORA_TARGETS,
  type LoraConfig,
  type LoraTarget,
  linearName,
  linearShape,
  loraAName,
  loraBName,
  type Param,
  SAVED_MODULES,
  type SavedModule,
  savedModuleBase,
  savedModuleName,
} from './params.js';
import { decodeSafetensors, encodeSafetensors, type NamedTensor } from './safetensors.js';
import { BOS, EOS, PAD, Tokenizer } from './tokenizer.js';
import { Transformer } from './transformer.js';

export const MODEL_FILES = {
  config: 'config.json',
  weights: 'model.safetensors',
  valueHead: 'value_head.safetensors',
  tokenizer: 'tokenizer.json',
} as const;

export const ADAPTER_FILES = {
  config: 'adapter_config.json',
  weights: 'adapter_model.safetensors',
} as const;

/** The directory name of the adapter trained in curriculum stage `stage` (1-based): `lora-v1` .. */
export function stageAdapterName(stage: number): string {
  if (!Number.isInteger(stage) || stage < 1) throw new DojoError(`curriculum stage must be an integer >= 1 (got ${stage})`);
  return `lora-v${stage}`;
}

/** A LoRA adapter: its configuration and its A/B matrices under PEFT names. */
export interface LoraAdapter {
  config: LoraConfig;
  params: Map<string, Param>;
}

/** A model file or adapter file that is missing or malformed; the message names the file, the field and the fix. */
export class ModelFileError extends DojoError {
  override name = 'ModelFileError';
  readonly file: string;
  readonly field: string | undefined;

  constructor(file: string, field: string | undefined, problem: string, fix: string) {
    super(`${file}${field ? `: field "${field}"` : ''}: ${problem}. ${fix}`);
    this.file = file;
    this.field = field;
  }
}

// ---------------------------------------------------------------------------------------------
// Atomic writes and checked reads
// ---------------------------------------------------------------------------------------------

let tempCounter = 0;

/** Writes `data` to `path` through a temporary file in the same directory and a rename. */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  // pid + counter: unique per process without a clock or random source; same directory so the
  // rename never crosses a filesystem and is atomic.
  const temp = `${path}.tmp-${process.pid}-${tempCounter++}`;
  try {
    await writeFile(temp, data);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

async function readBytes(path: string, fix: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const problem = code === 'ENOENT' ? 'file not found' : `cannot be read (${(error as Error).message})`;
    throw new ModelFileError(path, undefined, problem, fix);
  }
}

async function readJson(path: string, fix: string): Promise<Record<string, unknown>> {
  const text = Buffer.from(await readBytes(path, fix)).toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ModelFileError(path, undefined, `is not valid JSON (${(error as Error).message})`, fix);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new ModelFileError(path, undefined, 'must hold a JSON object', fix);
  return json as Record<string, unknown>;
}

async function readTensors(path: string, fix: string): Promise<Record<string, NamedTensor>> {
  const bytes = await readBytes(path, fix);
  try {
    return decodeSafetensors(bytes, path).tensors;
  } catch (error) {
    throw new ModelFileError(path, undefined, (error as Error).message.replace(`${path}: `, ''), fix);
  }
}

/**
 * Checks a tensor file against the expected names and shapes: missing, unexpected, misshapen and
 * non-finite tensors are errors naming the tensor.
 */
function checkTensors(
  path: string,
  tensors: Record<string, NamedTensor>,
  expected: ReadonlyMap<string, readonly number[]>,
  fix: string,
): Map<string, Param> {
  const out = new Map<string, Param>();
  for (const [name, shape] of expected) {
    const t = tensors[name];
    if (!t) throw new ModelFileError(path, name, `tensor is missing (${Object.keys(tensors).length} tensors in the file)`, fix);
    if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i]))
      throw new ModelFileError(path, name, `shape is [${t.shape.join(', ')}], the config implies [${shape.join(', ')}]`, fix);
    for (let i = 0; i < t.data.length; i++)
      if (!Number.isFinite(t.data[i] as number))
        throw new ModelFileError(path, name, `holds a non-finite value (${t.data[i]}) at index ${i}`, fix);
    out.set(name, { shape: [...shape], data: t.data });
  }
  for (const name of Object.keys(tensors))
    if (!expected.has(name))
      throw new ModelFileError(
        path,
        name,
        'unexpected tensor (the model has no such parameter)',
        `${fix} Was the file written for another architecture?`,
      );
  return out;
}

// ---------------------------------------------------------------------------------------------
// The model: config.json, model.safetensors, value_head.safetensors, tokenizer.json
// ---------------------------------------------------------------------------------------------

/** Names and shapes of the base weights a config implies (transformers' LlamaForCausalLM names). */
export function baseShapes(config: ModelConfig): Map<string, readonly number[]> {
  const shapes = new Map<string, readonly number[]>();
  shapes.set('model.embed_tokens.weight', [config.vocabSize, config.dim]);
  for (let l = 0; l < config.layers; l++) {
    shapes.set(`model.layers.${l}.input_layernorm.weight`, [config.dim]);
    shapes.set(`model.layers.${l}.post_attention_layernorm.weight`, [config.dim]);
    for (const t of LORA_TARGETS) shapes.set(`${linearName(l, t)}.weight`, linearShape(config, t));
  }
  shapes.set('model.norm.weight', [config.dim]);
  shapes.set('lm_head.weight', [config.vocabSize, config.dim]);
  return shapes;
}

function valueHeadShapes(config: ModelConfig): Map<string, readonly number[]> {
  return new Map([
    ['value_head.weight', [1, config.dim]],
    ['value_head.bias', [1]],
  ]);
}

function tensorRecord(params: ReadonlyMap<string, Param>): Record<string, NamedTensor> {
  return Object.fromEntries([...params].map(([name, p]) => [name, { shape: p.shape, data: p.data }]));
}

/**
 * Writes the model directory (created if needed): config.json, model.safetensors,
 * value_head.safetensors and tokenizer.json. The adapter, if any, is not saved here (saveAdapter).
 */
export async function saveModel(dir: string, model: Transformer, tokenizer: Tokenizer): Promise<void> {
  if (tokenizer.size !== model.config.vocabSize)
    throw new DojoError(`saveModel: the tokenizer has ${tokenizer.size} tokens but the model's vocabSize is ${model.config.vocabSize}`);
  await mkdir(dir, { recursive: true });
  const ids = { bos: tokenizer.id(BOS), eos: tokenizer.id(EOS), pad: tokenizer.id(PAD) };
  await writeFileAtomic(join(dir, MODEL_FILES.config), `${JSON.stringify(toHuggingFaceConfig(model.config, ids), null, 2)}\n`);
  // Llama's names in a fixed order, so the file is byte-identical for identical weights.
  const base = new Map<string, Param>();
  for (const name of baseShapes(model.config).keys()) base.set(name, model.param(name));
  await writeFileAtomic(join(dir, MODEL_FILES.weights), encodeSafetensors(tensorRecord(base), { format: 'pt' }));
  await writeFileAtomic(join(dir, MODEL_FILES.valueHead), encodeSafetensors(tensorRecord(model.valueHead), { format: 'pt' }));
  await writeFileAtomic(join(dir, MODEL_FILES.tokenizer), `${JSON.stringify(tokenizer.toJSON(), null, 2)}\n`);
}

/** Reads what `saveModel` wrote, checking every tensor's name and shape against config.json. */
export async function loadModel(dir: string): Promise<{ model: Transformer; tokenizer: Tokenizer }> {
  const fix = `Write the directory with Dojo's saveModel (or transformers' save_pretrained with safe_serialization=True, unsharded).`;
  const configPath = join(dir, MODEL_FILES.config);
  const hf = await readJson(configPath, fix);
  let config: ModelConfig;
  try {
    config = fromHuggingFaceConfig(hf, configPath);
  } catch (error) {
    const message = (error as Error).message;
    const field = /field "([^"]+)"/.exec(message)?.[1];
    throw new ModelFileError(configPath, field, message.replace(`${configPath}: `, '').replace(/^field "[^"]+" /, ''), fix);
  }
  if (hf.tie_word_embeddings === true)
    throw new ModelFileError(
      configPath,
      'tie_word_embeddings',
      'is true, the built-in model has an untied lm_head',
      'Set it to false and save lm_head.weight.',
    );

  const tokenizerPath = join(dir, MODEL_FILES.tokenizer);
  const tokenizerJson = await readJson(tokenizerPath, fix);
  let tokenizer: Tokenizer;
  try {
    tokenizer = Tokenizer.fromJSON(tokenizerJson, tokenizerPath);
  } catch (error) {
    throw new ModelFileError(tokenizerPath, 'model', (error as Error).message.replace(`${tokenizerPath}: `, ''), fix);
  }
  if (tokenizer.size !== config.vocabSize)
    throw new ModelFileError(
      configPath,
      'vocab_size',
      `is ${config.vocabSize} but ${MODEL_FILES.tokenizer} has ${tokenizer.size} tokens`,
      'Save the model and its tokenizer together with saveModel.',
    );
  for (const [field, token] of [
    ['bos_token_id', BOS],
    ['eos_token_id', EOS],
    ['pad_token_id', PAD],
  ] as const) {
    if (hf[field] !== undefined && hf[field] !== tokenizer.id(token))
      throw new ModelFileError(
        configPath,
        field,
        `is ${JSON.stringify(hf[field])} but ${MODEL_FILES.tokenizer} gives ${token} the id ${tokenizer.id(token)}`,
        'Save the model and its tokenizer together with saveModel.',
      );
  }

  const weightsPath = join(dir, MODEL_FILES.weights);
  const base = checkTensors(weightsPath, await readTensors(weightsPath, fix), baseShapes(config), fix);
  const valuePath = join(dir, MODEL_FILES.valueHead);
  const valueHead = checkTensors(valuePath, await readTensors(valuePath, fix), valueHeadShapes(config), fix);
  return { model: new Transformer(config, base, valueHead), tokenizer };
}

// ---------------------------------------------------------------------------------------------
// Adapters: adapter_config.json + adapter_model.safetensors (PEFT)
// ---------------------------------------------------------------------------------------------

export interface SaveAdapterOptions {
  /**
   * The base model's directory, written to `base_model_name_or_path` relative to the adapter
   * directory (PEFT resolves it against the working directory when loading through
   * `AutoPeftModelForCausalLM`; `PeftModel.from_pretrained(model, dir)` ignores it). Default: null.
   */
  baseModelDir?: string;
}

/** Names and shapes of an adapter's tensors (PEFT's saved names: no adapter name in the key). */
export function adapterShapes(config: ModelConfig, lora: LoraConfig): Map<string, readonly number[]> {
  const shapes = new Map<string, readonly number[]>();
  for (let l = 0; l < config.layers; l++) {
    for (const t of LORA_TARGETS) {
      if (!lora.targets.includes(t)) continue;
      const [out, inp] = linearShape(config, t);
      shapes.set(loraAName(l, t), [lora.rank, inp]);
      shapes.set(loraBName(l, t), [out, lora.rank]);
    }
  }
  for (const m of lora.modulesToSave ?? []) shapes.set(savedModuleName(m), [config.vocabSize, config.dim]);
  return shapes;
}

/** The PEFT `adapter_config.json` of a LoRA configuration (fields of PEFT 0.x's LoraConfig). */
export function toPeftConfig(lora: LoraConfig, baseModelNameOrPath: string | null): Record<string, unknown> {
  return {
    peft_type: 'LORA',
    task_type: 'CAUSAL_LM',
    base_model_name_or_path: baseModelNameOrPath,
    revision: null,
    inference_mode: true,
    r: lora.rank,
    lora_alpha: lora.alpha,
    // In Llama's module order so the file does not depend on the order targets were listed in.
    target_modules: LORA_TARGETS.filter((t) => lora.targets.includes(t)),
    exclude_modules: null,
    lora_dropout: 0,
    fan_in_fan_out: false,
    bias: 'none',
    use_rslora: false,
    use_dora: false,
    modules_to_save:
      lora.modulesToSave && lora.modulesToSave.length > 0 ? SAVED_MODULES.filter((m) => lora.modulesToSave?.includes(m)) : null,
    init_lora_weights: true,
    layers_to_transform: null,
    layers_pattern: null,
    rank_pattern: {},
    alpha_pattern: {},
    lora_bias: false,
  };
}

/** Writes an adapter directory (created if needed). */
export async function saveAdapter(dir: string, lora: LoraAdapter, options: SaveAdapterOptions = {}): Promise<void> {
  await mkdir(dir, { recursive: true });
  const baseRef = options.baseModelDir === undefined ? null : relative(dir, options.baseModelDir) || '.';
  await writeFileAtomic(join(dir, ADAPTER_FILES.config), `${JSON.stringify(toPeftConfig(lora.config, baseRef), null, 2)}\n`);
  const tensors: Record<string, NamedTensor> = {};
  for (const name of [...lora.params.keys()].sort()) {
    const p = lora.params.get(name) as Param;
    tensors[name] = { shape: p.shape, data: p.data };
  }
  await writeFileAtomic(join(dir, ADAPTER_FILES.weights), encodeSafetensors(tensors, { format: 'pt' }));
}

/** Reads an adapter's PEFT config, rejecting the LoRA variants the built-in model does not compute. */
export function fromPeftConfig(json: Record<string, unknown>, file: string = ADAPTER_FILES.config): LoraConfig {
  const fix = 'Save the adapter with Dojo, or train it with PEFT LoraConfig(r, lora_alpha, target_modules=[...]) and defaults otherwise.';
  const fail = (field: string, problem: string, fieldFix = fix): never => {
    throw new ModelFileError(file, field, problem, fieldFix);
  };
  if (json.peft_type !== 'LORA') fail('peft_type', `must be "LORA" (got ${JSON.stringify(json.peft_type)})`);
  if (json.task_type !== undefined && json.task_type !== null && json.task_type !== 'CAUSAL_LM')
    fail('task_type', `must be "CAUSAL_LM" (got ${JSON.stringify(json.task_type)})`);
  const r = json.r;
  if (typeof r !== 'number' || !Number.isInteger(r) || r < 1) fail('r', `must be an integer >= 1 (got ${JSON.stringify(r)})`);
  const alpha = json.lora_alpha;
  if (typeof alpha !== 'number' || !(alpha > 0)) fail('lora_alpha', `must be a positive number (got ${JSON.stringify(alpha)})`);
  const targets = json.target_modules;
  if (!Array.isArray(targets) || targets.length === 0)
    fail(
      'target_modules',
      `must be a non-empty list of module names (got ${JSON.stringify(targets)})`,
      `Use names from: ${LORA_TARGETS.join(', ')}.`,
    );
  for (const t of targets as unknown[])
    if (!LORA_TARGETS.includes(t as LoraTarget))
      fail('target_modules', `names an unknown module ${JSON.stringify(t)}`, `Use names from: ${LORA_TARGETS.join(', ')}.`);
  // Variants that change the computation (Dojo computes W x + (alpha / r) B A x only).
  const mustBe: [string, unknown][] = [
    ['use_rslora', false],
    ['use_dora', false],
    ['fan_in_fan_out', false],
    ['bias', 'none'],
    ['lora_bias', false],
  ];
  for (const [field, value] of mustBe)
    if (json[field] !== undefined && json[field] !== null && json[field] !== value)
      fail(field, `must be ${JSON.stringify(value)} for the built-in model (got ${JSON.stringify(json[field])})`);
  for (const field of ['rank_pattern', 'alpha_pattern'])
    if (json[field] && Object.keys(json[field] as object).length > 0)
      fail(field, 'per-module ranks or alphas are not supported by the built-in model', 'Use one r and lora_alpha for every module.');
  if (json.layers_to_transform !== undefined && json.layers_to_transform !== null)
    fail('layers_to_transform', `must be null (got ${JSON.stringify(json.layers_to_transform)}): the built-in model adapts every layer`);
  const saved = json.modules_to_save ?? [];
  if (!Array.isArray(saved) || saved.some((m) => !SAVED_MODULES.includes(m as SavedModule)))
    fail(
      'modules_to_save',
      `must be null or a list of ${SAVED_MODULES.join(', ')} (got ${JSON.stringify(saved)})`,
      `The built-in model can carry trained copies of ${SAVED_MODULES.join(' and ')} only.`,
    );
  const modulesToSave = SAVED_MODULES.filter((m) => (saved as unknown[]).includes(m));
  return {
    rank: r as number,
    alpha: alpha as number,
    targets: [...(targets as LoraTarget[])],
    ...(modulesToSave.length > 0 ? { modulesToSave } : {}),
  };
}

/** Reads what `saveAdapter` wrote (or PEFT's `save_pretrained`) for a model of the given config. */
export async function loadAdapter(dir: string, config: ModelConfig): Promise<LoraAdapter> {
  const fix = "Write the adapter with Dojo's saveAdapter or PEFT's save_pretrained (safetensors).";
  const configPath = join(dir, ADAPTER_FILES.config);
  const lora = fromPeftConfig(await readJson(configPath, fix), configPath);
  const weightsPath = join(dir, ADAPTER_FILES.weights);
  const tensors = await readTensors(weightsPath, fix);
  const params = checkTensors(
    weightsPath,
    tensors,
    adapterShapes(config, lora),
    `${fix} The shapes follow r in ${ADAPTER_FILES.config} and the base model's config.json.`,
  );
  return { config: lora, params };
}

// ---------------------------------------------------------------------------------------------
// Merge and unmerge: W' = W + (alpha / r) B A
// ---------------------------------------------------------------------------------------------

/** The base's own modules a merge replaced with an adapter's copies (modules_to_save), for `unmergeAdapter`. */
const replacedModules = new WeakMap<LoraAdapter, Map<string, Float32Array>>();

function applyAdapter(model: Transformer, lora: LoraAdapter, sign: 1 | -1): void {
  const scale = (sign * lora.config.alpha) / lora.config.rank;
  const changed: string[] = [];
  for (const m of lora.config.modulesToSave ?? []) {
    const name = savedModuleBase(m);
    const base = model.param(name);
    if (sign === 1) {
      const copy = lora.params.get(savedModuleName(m));
      if (!copy) throw new DojoError(`adapter lacks ${savedModuleName(m)} (${m} is in its modules_to_save)`);
      const originals = replacedModules.get(lora) ?? new Map<string, Float32Array>();
      originals.set(name, base.data.slice());
      replacedModules.set(lora, originals);
      base.data.set(copy.data);
    } else {
      const original = replacedModules.get(lora)?.get(name);
      if (!original) throw new DojoError(`unmergeAdapter: ${name} was not replaced by mergeAdapter with this adapter`);
      base.data.set(original);
    }
    changed.push(name);
  }
  for (let l = 0; l < model.config.layers; l++) {
    for (const t of lora.config.targets) {
      const name = `${linearName(l, t)}.weight`;
      const a = lora.params.get(loraAName(l, t));
      const b = lora.params.get(loraBName(l, t));
      if (!a || !b) throw new DojoError(`adapter lacks ${a ? loraBName(l, t) : loraAName(l, t)} (target ${t} is in its config)`);
      const w = model.param(name);
      addLowRank(w.data, 0, a.data, b.data, { out: w.shape[0] as number, in: w.shape[1] as number, rank: a.shape[0] as number }, scale);
      changed.push(name);
    }
  }
  model.invalidate(changed);
}

/**
 * Folds the model's adapter into its base weights (W += (alpha / r) B A for every adapted
 * projection; the modules it saved replace the base's, as PEFT's merge_and_unload) and detaches
 * it, so `forward` with or without `lora` computes the adapted model.
 * Returns the detached adapter, which `unmergeAdapter` takes to undo the merge.
 */
export function mergeAdapter(model: Transformer): LoraAdapter {
  const lora = model.lora;
  if (!lora) throw new DojoError('mergeAdapter: the model has no adapter attached (attach one with model.setLora or loadAdapter)');
  applyAdapter(model, lora, 1);
  model.setLora(undefined);
  return lora;
}

/**
 * The inverse of `mergeAdapter` (up to float32 rounding, about 1e-7 relative): W -= (alpha / r) B A,
 * then re-attaches the adapter.
 */
export function unmergeAdapter(model: Transformer, lora: LoraAdapter): void {
  if (model.lora) throw new DojoError('unmergeAdapter: the model already has an adapter attached; it was not merged');
  applyAdapter(model, lora, -1);
  model.setLora(lora);
}
