import { describe, expect, it } from 'vitest';
import { hashString, LazyRng, Rng } from '../../src/core/rng.js';

describe('Rng', () => {
  it('is deterministic by seed and labels', () => {
    const a = Rng.seeded(7, 'po');
    const b = Rng.seeded(7, 'po');
    const c = Rng.seeded(7, 'story');
    const xs = Array.from({ length: 5 }, () => a.nextUint32());
    expect(Array.from({ length: 5 }, () => b.nextUint32())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.nextUint32())).not.toEqual(xs);
  });

  it('restores from its state', () => {
    const a = Rng.seeded(1);
    a.next();
    const b = Rng.fromState(a.state());
    expect(b.next()).toBe(a.next());
    expect(() => Rng.fromState([1, 2])).toThrow(/four 32-bit integers/);
  });

  it('draws uniformly (mean and bucket counts within sampling error)', () => {
    const rng = Rng.seeded(123);
    const buckets = new Array(10).fill(0);
    let sum = 0;
    let outside = 0;
    const n = 100_000;
    for (let i = 0; i < n; i++) {
      const x = rng.next();
      if (!(x >= 0 && x < 1)) outside++;
      sum += x;
      buckets[Math.floor(x * 10)]++;
    }
    expect(outside).toBe(0);
    expect(Math.abs(sum / n - 0.5)).toBeLessThan(0.005);
    for (const count of buckets) expect(Math.abs(count - n / 10)).toBeLessThan(600); // ~6 sigma
  });

  it('int, intBetween, pick, chance, weightedIndex, shuffle and sample respect their ranges', () => {
    const rng = Rng.seeded(5);
    for (let i = 0; i < 1000; i++) {
      const k = rng.intBetween(3, 5);
      expect(k >= 3 && k <= 5 && Number.isInteger(k)).toBe(true);
    }
    expect(() => rng.int(0)).toThrow(RangeError);
    expect(() => rng.pick([])).toThrow(RangeError);
    let hits = 0;
    for (let i = 0; i < 10_000; i++) if (rng.chance(0.3)) hits++;
    expect(Math.abs(hits / 10_000 - 0.3)).toBeLessThan(0.03);
    const counts = [0, 0, 0];
    for (let i = 0; i < 10_000; i++) {
      const j = rng.weightedIndex([1, 0, 3]);
      counts[j] = (counts[j] ?? 0) + 1;
    }
    expect(counts[1]).toBe(0);
    expect(Math.abs((counts[2] as number) / 10_000 - 0.75)).toBeLessThan(0.03);
    const items = [1, 2, 3, 4, 5];
    expect(rng.shuffle(items).sort()).toEqual(items);
    expect(new Set(rng.sample(items, 3)).size).toBe(3);
  });

  it('normal draws have the right mean and spread', () => {
    const rng = Rng.seeded(9);
    const xs = Array.from({ length: 20_000 }, () => rng.normal(2, 3));
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const std = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
    expect(Math.abs(mean - 2)).toBeLessThan(0.1);
    expect(Math.abs(std - 3)).toBeLessThan(0.1);
  });

  it('LazyRng draws exactly what Rng.seeded draws, seeding on first use', () => {
    const lazy = new LazyRng(77, 3);
    const eager = Rng.seeded(77, 3);
    expect(lazy.state()).toEqual(eager.state());
    expect(Array.from({ length: 10 }, () => lazy.int(1000))).toEqual(Array.from({ length: 10 }, () => eager.int(1000)));
    const lazy2 = new LazyRng(5, 1);
    expect(lazy2.next()).toBe(Rng.seeded(5, 1).next());
  });

  it('hashString is FNV-1a', () => {
    expect(hashString('')).toBe(0x811c9dc5);
    expect(hashString('a')).toBe(0xe40c292c);
  });
});
