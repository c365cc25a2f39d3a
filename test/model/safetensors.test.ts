import { describe, expect, it } from 'vitest';
import { decodeSafetensors, encodeSafetensors } from '../../src/model/safetensors.js';

describe('safetensors', () => {
  it('round-trips F32 tensors and metadata with an 8-byte aligned data block', () => {
    const tensors = {
      'model.embed_tokens.weight': { shape: [3, 2], data: new Float32Array([1, -2, 3.5, 0, 1e-7, -0]) },
      bias: { shape: [1], data: new Float32Array([42]) },
    };
    const bytes = encodeSafetensors(tensors, { format: 'pt' });
    const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect((8 + headerLength) % 8).toBe(0);
    const back = decodeSafetensors(bytes);
    expect(back.metadata).toEqual({ format: 'pt' });
    expect(Object.keys(back.tensors)).toEqual(['model.embed_tokens.weight', 'bias']);
    expect(back.tensors['model.embed_tokens.weight']?.shape).toEqual([3, 2]);
    expect([...(back.tensors['model.embed_tokens.weight']?.data ?? [])]).toEqual([...tensors['model.embed_tokens.weight'].data]);
    expect(back.tensors.bias?.data[0]).toBe(42);
  });

  it('reads F16 and BF16 data', () => {
    const header = JSON.stringify({
      h: { dtype: 'F16', shape: [2], data_offsets: [0, 4] },
      b: { dtype: 'BF16', shape: [1], data_offsets: [4, 6] },
    });
    const bytes = new Uint8Array(8 + header.length + 6);
    const view = new DataView(bytes.buffer);
    view.setBigUint64(0, BigInt(header.length), true);
    bytes.set(Buffer.from(header), 8);
    const base = 8 + header.length;
    view.setUint16(base, 0x3c00, true); // 1.0
    view.setUint16(base + 2, 0xc000, true); // -2.0
    view.setUint16(base + 4, 0x3fc0, true); // bf16 1.5
    const back = decodeSafetensors(bytes);
    expect([...(back.tensors.h?.data ?? [])]).toEqual([1, -2]);
    expect(back.tensors.b?.data[0]).toBe(1.5);
  });

  it('names the file and the problem for malformed input', () => {
    expect(() => decodeSafetensors(new Uint8Array(3), 'w.safetensors')).toThrow(/w\.safetensors: too short/);
    const bad = encodeSafetensors({ x: { shape: [4], data: new Float32Array(4) } });
    expect(() => decodeSafetensors(bad.subarray(0, bad.length - 4), 'cut.safetensors')).toThrow(
      /cut\.safetensors: tensor "x": data_offsets/,
    );
    expect(() => encodeSafetensors({ x: { shape: [2, 2], data: new Float32Array(3) } })).toThrow(/shape \[2, 2\] holds 4 values/);
  });
});
