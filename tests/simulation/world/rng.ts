// The simulation's only source of randomness: xoshiro128** (Blackman and Vigna), seeded through splitmix32 from an
// FNV-1a hash of the seed and the fork path. A fork's stream depends only on that path, never on how many numbers
// its parent drew, so adding draws in one part of the world does not shift another's.

export interface SimRandom {
  /** A number in [0, 1). */
  next(): number;
  /** A whole number in [min, maxInclusive]. */
  int(min: number, maxInclusive: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** An independent stream derived from this one's seed and path plus `label`. */
  fork(label: string): SimRandom;
}

export function seededRandom(seed: number): SimRandom {
  if (!Number.isSafeInteger(seed)) throw new RangeError(`A seed is a safe integer, not ${seed}`);
  return new Xoshiro128(String(seed));
}

class Xoshiro128 implements SimRandom {
  private readonly s = new Uint32Array(4);

  constructor(private readonly path: string) {
    let x = fnv1a(path);
    for (let i = 0; i < 4; i++) {
      // splitmix32: spreads one 32-bit hash over the four words, never all zero.
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      this.s[i] = (z ^ (z >>> 16)) >>> 0;
    }
  }

  private nextUint32(): number {
    const s = this.s;
    let [s0, s1, s2, s3] = [s[0]!, s[1]!, s[2]!, s[3]!];
    const result = Math.imul(rotl(Math.imul(s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (s1 << 9) >>> 0;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl(s3, 11);
    s[0] = s0;
    s[1] = s1;
    s[2] = s2;
    s[3] = s3;
    return result;
  }

  next(): number {
    return this.nextUint32() / 0x1_0000_0000;
  }

  int(min: number, maxInclusive: number): number {
    if (!Number.isSafeInteger(min) || !Number.isSafeInteger(maxInclusive) || maxInclusive < min)
      throw new RangeError(`No whole number in [${min}, ${maxInclusive}]`);
    return min + Math.floor(this.next() * (maxInclusive - min + 1));
  }

  chance(p: number): boolean {
    // Always one draw, so a probability changed to 0 or 1 does not shift the draws after it.
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('Nothing to pick from');
    return items[this.int(0, items.length - 1)]!;
  }

  fork(label: string): SimRandom {
    return new Xoshiro128(`${this.path}/${label}`);
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash;
}
