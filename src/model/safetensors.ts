/**
 * The safetensors format (Hugging Face): an 8-byte little-endian header length, a JSON header
 * mapping each tensor name to `{dtype, shape, data_offsets}` (offsets relative to the data block)
 * plus an optional `__metadata__` string map, then the raw little-endian tensor data.
 *
 * Dojo writes F32 tensors (and reads F32, F16 and BF16, converting to F32) so its weights and LoRA
 * adapters load in PyTorch (`safetensors.torch.load_file`), transformers and PEFT unchanged.
 */

export type SafetensorsDtype = 'F32' | 'F16' | 'BF16';

export interface NamedTensor {
  shape: readonly number[];
  data: Float32Array;
}

export interface SafetensorsFile {
  tensors: Record<string, NamedTensor>;
  metadata: Record<string, string>;
}

export class SafetensorsError extends Error {
  constructor(file: string, message: string) {
    super(`${file}: ${message}`);
    this.name = 'SafetensorsError';
  }
}

const ALIGN = 8;

function elementCount(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Serializes tensors (in the given name order) as F32 safetensors bytes. */
export function encodeSafetensors(tensors: Record<string, NamedTensor>, metadata: Record<string, string> = {}): Uint8Array {
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  let offset = 0;
  const names = Object.keys(tensors);
  for (const name of names) {
    const t = tensors[name] as NamedTensor;
    const n = elementCount(t.shape);
    if (n !== t.data.length) throw new Error(`tensor ${name}: shape [${t.shape.join(', ')}] holds ${n} values, data has ${t.data.length}`);
    header[name] = { dtype: 'F32', shape: [...t.shape], data_offsets: [offset, offset + 4 * n] };
    offset += 4 * n;
  }
  let json = JSON.stringify(header);
  // Pad the header with spaces so the data block starts 8-byte aligned.
  const rawLength = Buffer.byteLength(json, 'utf8');
  json += ' '.repeat((ALIGN - ((8 + rawLength) % ALIGN)) % ALIGN);
  const headerBytes = Buffer.from(json, 'utf8');
  const out = new Uint8Array(8 + headerBytes.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  const base = 8 + headerBytes.length;
  for (const name of names) {
    const t = tensors[name] as NamedTensor;
    const start = (header[name] as { data_offsets: [number, number] }).data_offsets[0];
    for (let i = 0; i < t.data.length; i++) view.setFloat32(base + start + 4 * i, t.data[i] as number, true);
  }
  return out;
}

function f16ToF32(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024);
  if (exp === 0x1f) return frac ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}

const BYTES: Record<SafetensorsDtype, number> = { F32: 4, F16: 2, BF16: 2 };

/** Parses safetensors bytes; `file` names the source in every error. */
export function decodeSafetensors(bytes: Uint8Array, file = '<safetensors>'): SafetensorsFile {
  if (bytes.length < 8) throw new SafetensorsError(file, `too short (${bytes.length} bytes) to be a safetensors file`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = Number(view.getBigUint64(0, true));
  if (headerLength > bytes.length - 8)
    throw new SafetensorsError(
      file,
      `header length ${headerLength} exceeds the file size ${bytes.length}; the file is truncated or not safetensors`,
    );
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(Buffer.from(bytes.subarray(8, 8 + headerLength)).toString('utf8')) as Record<string, unknown>;
  } catch (error) {
    throw new SafetensorsError(file, `header is not valid JSON (${(error as Error).message})`);
  }
  const base = 8 + headerLength;
  const dataLength = bytes.length - base;
  const tensors: Record<string, NamedTensor> = {};
  let metadata: Record<string, string> = {};
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') {
      metadata = entry as Record<string, string>;
      continue;
    }
    const e = entry as { dtype?: string; shape?: number[]; data_offsets?: [number, number] };
    if (!e.dtype || !(e.dtype in BYTES))
      throw new SafetensorsError(file, `tensor "${name}": dtype ${String(e.dtype)} is not supported (use F32, F16 or BF16)`);
    if (!Array.isArray(e.shape) || !Array.isArray(e.data_offsets) || e.data_offsets.length !== 2)
      throw new SafetensorsError(file, `tensor "${name}": missing shape or data_offsets`);
    const dtype = e.dtype as SafetensorsDtype;
    const [start, end] = e.data_offsets;
    const n = elementCount(e.shape);
    if (end - start !== n * BYTES[dtype] || start < 0 || end > dataLength)
      throw new SafetensorsError(
        file,
        `tensor "${name}": data_offsets [${start}, ${end}] do not match shape [${e.shape.join(', ')}] (${dtype})`,
      );
    const data = new Float32Array(n);
    const at = base + start;
    if (dtype === 'F32') for (let i = 0; i < n; i++) data[i] = view.getFloat32(at + 4 * i, true);
    else if (dtype === 'F16') for (let i = 0; i < n; i++) data[i] = f16ToF32(view.getUint16(at + 2 * i, true));
    else {
      const scratch = new DataView(new ArrayBuffer(4));
      for (let i = 0; i < n; i++) {
        scratch.setUint32(0, view.getUint16(at + 2 * i, true) << 16, true);
        data[i] = scratch.getFloat32(0, true);
      }
    }
    tensors[name] = { shape: e.shape, data };
  }
  return { tensors, metadata };
}
