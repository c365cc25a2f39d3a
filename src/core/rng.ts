/**
 * Seeded random number generator (sfc32, seeded through splitmix32).
 *
 * Library code never calls `Math.random()`: every random choice in Dojo goes through an `Rng`
 * that was passed in, so the same seed always gives the same world. The state is four 32-bit
 * words and can be saved and restored (`state()` / `Rng.fromState`) for checkpoints.
 */
export class Rng {
  protected a: number;
  protected b: number;
  protected c: number;
  protected d: number;

  protected constructor(a: number, b: number, c: number, d: number) {
    this.a = a >>> 0;
    this.b = b >>> 0;
    this.c = c >>> 0;
    this.d = d >>> 0;
  }

  /** A generator from an integer seed and optional labels (e.g. `Rng.seeded(7, 'po')`). */
  static seeded(seed: number, ...labels: (string | number)[]): Rng {
    let h = splitmix32(hashSeed(seed));
    for (const label of labels) h = splitmix32(h ^ hashString(String(label)));
    const a = splitmix32(h);
    const b = splitmix32(a);
    const c = splitmix32(b);
    const d = splitmix32(c);
    const rng = new Rng(a, b, c, d);
    // Discard the first outputs: sfc32 mixes poorly for the first few draws.
    for (let i = 0; i < 12; i++) rng.nextUint32();
    return rng;
  }

  static fromState(state: readonly number[]): Rng {
    if (state.length !== 4 || state.some((x) => !Number.isInteger(x))) {
      throw new RangeError('Rng.fromState expects four 32-bit integers (from rng.state())');
    }
    return new Rng(state[0] as number, state[1] as number, state[2] as number, state[3] as number);
  }

  state(): [number, number, number, number] {
    return [this.a, this.b, this.c, this.d];
  }

  /** A new independent generator derived from this one and a label; this one advances once. */
  fork(label: string | number): Rng {
    return Rng.seeded(this.nextUint32(), label);
  }

  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform float in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform float in [min, max). */
  uniform(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    if (!(n > 0)) throw new RangeError(`Rng.int needs n > 0, got ${n}`);
    return Math.floor(this.next() * n);
  }

  /** Uniform integer in [min, max] (inclusive). */
  intBetween(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('Rng.pick from an empty list');
    return items[this.int(items.length)] as T;
  }

  /** Picks an index with probability proportional to its weight. */
  weightedIndex(weights: readonly number[]): number {
    let total = 0;
    for (const w of weights) total += Math.max(0, w);
    if (!(total > 0)) return this.int(weights.length);
    let r = this.next() * total;
    for (let i = 0; i < weights.length; i++) {
      r -= Math.max(0, weights[i] as number);
      if (r < 0) return i;
    }
    return weights.length - 1;
  }

  /** Standard normal draw (Box-Muller). */
  normal(mean = 0, std = 1): number {
    const u = 1 - this.next();
    const v = this.next();
    return mean + std * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Fisher-Yates shuffle of a copy. */
  shuffle<T>(items: readonly T[]): T[] {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = out[i] as T;
      out[i] = out[j] as T;
      out[j] = tmp;
    }
    return out;
  }

  /** k distinct items, in random order. */
  sample<T>(items: readonly T[], k: number): T[] {
    return this.shuffle(items).slice(0, Math.max(0, Math.min(k, items.length)));
  }
}

/**
 * A generator that is seeded on first use: for callers that create one per decision and often
 * draw nothing (scripted personas). Same draws as `Rng.seeded(seed, label)`.
 */
export class LazyRng extends Rng {
  private pending = true;

  constructor(
    private readonly seed: number,
    private readonly label: number,
  ) {
    super(0, 0, 0, 0);
  }

  private init(): void {
    this.pending = false;
    const [a, b, c, d] = Rng.seeded(this.seed, this.label).state();
    this.a = a;
    this.b = b;
    this.c = c;
    this.d = d;
  }

  override nextUint32(): number {
    if (this.pending) this.init();
    return super.nextUint32();
  }

  override state(): [number, number, number, number] {
    if (this.pending) this.init();
    return super.state();
  }
}

function splitmix32(x: number): number {
  let z = (x + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

function hashSeed(seed: number): number {
  // Seeds may exceed 32 bits; fold the high part in.
  const low = seed >>> 0;
  const high = Math.floor(seed / 4294967296) >>> 0;
  return (low ^ Math.imul(high, 0x27d4eb2d)) >>> 0;
}

/** FNV-1a 32-bit hash of a string. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
