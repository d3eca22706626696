/**
 * Deterministic random numbers for the dataset generator. Every case draws from its own stream,
 * seeded from (dataset seed, global case index, stream id) by an integer hash, so a case's content
 * depends only on those numbers — never on the worker that computes it, on timing, or on which other
 * cases were generated before it. Generator: xoshiro128** (Blackman & Vigna), 32-bit integer
 * arithmetic only (bit-identical on every platform).
 */

/** Independent streams of one case: the shape draws and the flow-condition draws. */
export const STREAM_SHAPE = 1;
export const STREAM_CONDITIONS = 2;
/** Polar mode: the jitter of the stratified angles of attack of a polar. */
export const STREAM_POLAR_ALPHA = 3;

/** murmur3's 32-bit finalizer: a bijective avalanche mix of a 32-bit integer. */
export function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** xoshiro128** state and draws; create with `caseRng`. */
export class CaseRng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  /** second Box-Muller normal, kept for the next `normal()` call */
  private spare = NaN;

  constructor(s0: number, s1: number, s2: number, s3: number) {
    this.s0 = s0 >>> 0;
    this.s1 = s1 >>> 0;
    this.s2 = s2 >>> 0;
    this.s3 = s3 >>> 0;
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 0x9e3779b9;
  }

  /** Next uniformly distributed 32-bit unsigned integer. */
  nextUint32(): number {
    const s1 = this.s1;
    const r = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = (s1 << 9) >>> 0;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    this.s0 >>>= 0;
    this.s1 >>>= 0;
    this.s2 >>>= 0;
    this.s3 >>>= 0;
    return r;
  }

  /** Uniform double in [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform double in [lo, hi]. */
  between(lo: number, hi: number): number {
    return lo + (hi - lo) * this.uniform();
  }

  /** Log-uniform double in [lo, hi] (lo, hi > 0). */
  logBetween(lo: number, hi: number): number {
    return Math.exp(Math.log(lo) + (Math.log(hi) - Math.log(lo)) * this.uniform());
  }

  /** Uniform integer in [lo, hi] (inclusive). */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.uniform() * (hi - lo + 1));
  }

  /** Standard normal deviate (Box-Muller, both values used). */
  normal(): number {
    if (!Number.isNaN(this.spare)) {
      const v = this.spare;
      this.spare = NaN;
      return v;
    }
    let u = 0;
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** Index drawn with probability proportional to `weights` (non-negative, positive sum). */
  pick(weights: readonly number[]): number {
    let sum = 0;
    for (const w of weights) sum += w;
    let u = this.uniform() * sum;
    for (let i = 0; i < weights.length; i++) {
      if (weights[i] <= 0) continue;
      u -= weights[i];
      if (u < 0) return i;
    }
    for (let i = weights.length - 1; i >= 0; i--) if (weights[i] > 0) return i;
    return 0;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/**
 * The random stream `stream` of case `caseIndex` (0 <= caseIndex < 2^53) of a dataset with seed
 * `seed` (0 <= seed < 2^32). Pure function of its arguments.
 */
export function caseRng(seed: number, caseIndex: number, stream: number): CaseRng {
  const lo = caseIndex >>> 0;
  const hi = Math.floor(caseIndex / 4294967296) >>> 0;
  let h = mix32((seed >>> 0) ^ 0x243f6a88);
  h = mix32(h ^ lo);
  h = mix32((h + Math.imul(hi, 0x9e3779b1)) >>> 0);
  h = mix32(h ^ Math.imul(stream >>> 0, 0x85ebca77));
  const s0 = mix32(h ^ 0x13198a2e);
  const s1 = mix32(s0 ^ 0x03707344);
  const s2 = mix32(s1 ^ 0xa4093822);
  const s3 = mix32(s2 ^ 0x299f31d0);
  const rng = new CaseRng(s0, s1, s2, s3);
  // discard a few outputs so that nearby seeds decorrelate fully
  for (let i = 0; i < 4; i++) rng.nextUint32();
  return rng;
}
