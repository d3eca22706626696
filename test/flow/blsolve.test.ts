import {
  createBlockSystem,
  copyBlockSystem,
  multiplyBlockSystem,
  solveBlockSystem,
  solveBlockSystemSimple,
} from '../../src/flow/blsolve';

/** Deterministic pseudo-random numbers in [-1, 1). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  };
}

function randomSystem(nsys: number, seed: number) {
  const r = rng(seed);
  const sys = createBlockSystem(nsys + 3);
  sys.nsys = nsys;
  sys.ivte1 = Math.floor(nsys / 3);
  sys.ivz = Math.floor((2 * nsys) / 3);
  const cap = sys.cap;
  for (let iv = 0; iv < nsys; iv++) {
    for (let k = 0; k < 3; k++) {
      for (let j = 0; j < 2; j++) {
        sys.va[iv * 6 + 2 * k + j] = 0.3 * r() + (k === j ? 4 : 0);
        sys.vb[iv * 6 + 2 * k + j] = iv === 0 ? 0 : 0.5 * r();
      }
      for (let l = 0; l < nsys; l++)
        sys.vm[(iv * 3 + k) * cap + l] = (0.2 * r()) / (1 + Math.abs(l - iv)) + (k === 2 && l === iv ? 4 : 0);
    }
  }
  for (let i = 0; i < 6; i++) sys.vz[i] = 0.5 * r();
  return sys;
}

describe('block solver (BLSOLV structure)', () => {
  it('exact elimination (vaccel = 0) solves J d = r for both right-hand sides', () => {
    const nsys = 40;
    const sys = randomSystem(nsys, 7);
    const r = rng(99);
    const x0 = new Float64Array(3 * nsys);
    const x1 = new Float64Array(3 * nsys);
    for (let i = 0; i < 3 * nsys; i++) {
      x0[i] = r();
      x1[i] = r();
    }
    const b0 = multiplyBlockSystem(sys, x0, new Float64Array(3 * nsys));
    const b1 = multiplyBlockSystem(sys, x1, new Float64Array(3 * nsys));
    const work = copyBlockSystem(sys);
    for (let i = 0; i < 3 * nsys; i++) {
      work.rhs[2 * i] = b0[i];
      work.rhs[2 * i + 1] = b1[i];
    }
    expect(solveBlockSystem(work, 0, 2)).toBe(true);
    let err = 0;
    for (let i = 0; i < 3 * nsys; i++)
      err = Math.max(err, Math.abs(work.rhs[2 * i] - x0[i]), Math.abs(work.rhs[2 * i + 1] - x1[i]));
    expect(err).toBeLessThan(1e-12);
  });

  it('VACCEL skipping gives an approximate solution that stays close', () => {
    const nsys = 40;
    const sys = randomSystem(nsys, 3);
    const x0 = new Float64Array(3 * nsys).fill(1);
    const b0 = multiplyBlockSystem(sys, x0, new Float64Array(3 * nsys));
    const work = copyBlockSystem(sys);
    for (let i = 0; i < 3 * nsys; i++) work.rhs[2 * i] = b0[i];
    solveBlockSystem(work, 0.01, 2);
    let err = 0;
    for (let i = 0; i < 3 * nsys; i++) err = Math.max(err, Math.abs(work.rhs[2 * i] - 1));
    expect(err).toBeGreaterThan(0);
    expect(err).toBeLessThan(0.05);
  });

  it('the blocked elimination reproduces the reference (XFOIL-order) elimination, skips included', () => {
    for (const [nsys, seed] of [
      [40, 11],
      [57, 5],
      [9, 2],
    ]) {
      const sys = randomSystem(nsys, seed);
      const r = rng(seed + 100);
      for (let i = 0; i < 6 * nsys; i++) sys.rhs[i] = r();
      const a = copyBlockSystem(sys);
      const b = copyBlockSystem(sys);
      expect(solveBlockSystemSimple(a, 0.01, 2)).toBe(true);
      expect(solveBlockSystem(b, 0.01, 2)).toBe(true);
      let err = 0;
      for (let i = 0; i < 6 * nsys; i++) err = Math.max(err, Math.abs(a.rhs[i] - b.rhs[i]));
      expect(err).toBeLessThan(1e-12);
    }
  });
});
