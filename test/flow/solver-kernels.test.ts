/**
 * The speed-ups of the solver's inner kernels must not change a single bit of the results:
 * - the fused wake-node kernel (panel-kernels.ts wakeNodeInfluence, used by buildWake and the wake
 *   rows of the source influence matrix) against separate airfoilInfluence calls;
 * - the WebAssembly SIMD row updates of the block solver against the JavaScript ones (same
 *   operations in the same order, so identical numbers), and the SIMD solver against the reference
 *   XFOIL-order elimination;
 * - the station-1 memo of the amplification rate (closures.ts axset) against fresh evaluations.
 */
import {
  createBlockSystem,
  copyBlockSystem,
  simdAvailable,
  solveBlockSystem,
  solveBlockSystemSimple,
} from '../../src/flow/blsolve';
import { axset } from '../../src/flow/closures';
import { buildInviscidSystem, panelGeometry } from '../../src/flow/inviscid';
import { airfoilInfluence, newKernelOutput, wakeNodeInfluence } from '../../src/flow/panel-kernels';
import { buildWake } from '../../src/flow/wake';
import { nacaFixture, roundCoordinates } from './inviscid-fixtures';

/** seeded uniform random numbers in [-0.5, 0.5) */
function rng(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 16807) % 2147483647;
    return s / 2147483647 - 0.5;
  };
}

/** index of the first element where a and b differ bitwise (Object.is), -1 if none */
function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>, n = a.length): number {
  for (let i = 0; i < n; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
}

describe('fused wake-node kernel', () => {
  for (const sharp of [false, true]) {
    test(`${sharp ? 'sharp' : 'blunt'} TE: equals airfoilInfluence bit for bit at every wake node`, () => {
      const a = sharp
        ? roundCoordinates(nacaFixture(0.04, 0.4, 0.12, 41, -0.1036))
        : roundCoordinates(nacaFixture(0.02, 0.4, 0.12, 41));
      const g = panelGeometry(a.x, a.y);
      const sys = buildInviscidSystem(g);
      const wake = buildWake(sys, 6 * (Math.PI / 180), 1);
      const n = g.n;
      const ws = newKernelOutput(n, wake.nw);
      const dqdg = new Float64Array(n);
      const dqdm = new Float64Array(n);
      const gx = new Float64Array(n);
      const gy = new Float64Array(n);
      for (let k = 0; k < wake.nw; k++) {
        const x = wake.x[k];
        const y = wake.y[k];
        wakeNodeInfluence(g, x, y, wake.nx[k], wake.ny[k], true, true, dqdg, dqdm, 0, gx, gy);
        airfoilInfluence(g, n + k, x, y, wake.nx[k], wake.ny[k], true, ws);
        expect(firstDifference(dqdg, ws.dqdg)).toBe(-1);
        expect(firstDifference(dqdm, ws.dqdm)).toBe(-1);
        airfoilInfluence(g, n + k, x, y, 1, 0, false, ws);
        expect(firstDifference(gx, ws.dqdg)).toBe(-1);
        airfoilInfluence(g, n + k, x, y, 0, 1, false, ws);
        expect(firstDifference(gy, ws.dqdg)).toBe(-1);
        // the rows buildWake stored for the source influence matrix (node 0 copies the TE node)
        if (k > 0) {
          expect(firstDifference(wake.dqdg.subarray(k * n, (k + 1) * n), dqdg)).toBe(-1);
          expect(firstDifference(wake.dqdm.subarray(k * n, (k + 1) * n), dqdm)).toBe(-1);
        }
      }
      // the wake-speed unit solutions from the stored rows
      for (let k = 1; k < wake.nw; k++) {
        airfoilInfluence(g, n + k, wake.x[k], wake.y[k], wake.nx[k], wake.ny[k], false, ws);
        let q0 = wake.ny[k];
        for (let j = 0; j < n; j++) q0 += ws.dqdg[j] * sys.gam0[j];
        expect(wake.q0[k]).toBe(q0);
      }
    });
  }
});

/** A diagonally dominant random block system (as in blsolve.test.ts), filled into `sys`. */
function fillRandom(sys: ReturnType<typeof createBlockSystem>, nsys: number, seed: number): void {
  const r = rng(seed);
  const cap = sys.cap;
  sys.nsys = nsys;
  sys.ivte1 = Math.floor(nsys / 3);
  sys.ivz = Math.floor((2 * nsys) / 3);
  for (let iv = 0; iv < nsys; iv++) {
    for (let k = 0; k < 3; k++) {
      for (let j = 0; j < 2; j++) {
        sys.va[iv * 6 + 2 * k + j] = 0.3 * r() + (k === j ? 4 : 0);
        sys.vb[iv * 6 + 2 * k + j] = iv === 0 ? 0 : 0.5 * r();
        sys.rhs[iv * 6 + 2 * k + j] = r();
      }
      for (let l = 0; l < nsys; l++)
        sys.vm[(iv * 3 + k) * cap + l] =
          (0.4 * r()) / (1 + 0.2 * Math.abs(l - iv)) + (k === 2 && l === iv ? 4 : 0);
    }
  }
  for (let i = 0; i < 6; i++) sys.vz[i] = 0.5 * r();
}

describe('block solver row kernels', () => {
  test('Node 20 provides WebAssembly SIMD, and createBlockSystem uses it', () => {
    expect(simdAvailable()).toBe(true);
    expect(createBlockSystem(10).rows.simd).toBe(true);
    expect(createBlockSystem(10, false).rows.simd).toBe(false);
  });

  test('each SIMD kernel equals the JavaScript kernel bit for bit (odd and even lengths)', () => {
    const a = createBlockSystem(10, true); // vm of 300 doubles
    const b = createBlockSystem(10, false);
    expect(a.vm.length).toBeGreaterThanOrEqual(300);
    const r = rng(5);
    for (const len of [0, 1, 2, 3, 7, 64, 97]) {
      for (let i = 0; i < 300; i++) a.vm[i] = b.vm[i] = 10 * r();
      const t = [r(), 3 * r(), -7 * r(), 1e-3 * r()];
      const s = [0, 101, 150, 203];
      const d = 250 - len;
      for (const k of [a.rows, b.rows]) {
        k.u1(d, len, s[0], t[0]);
        k.u2(d, len, s[1], t[1], s[2], t[2]);
        k.u3(d, len, s[0], t[0], s[2], t[2], s[3], t[3]);
        k.u4(d, len, s[3], t[3], s[1], t[1], s[0], t[0], s[2], t[2]);
      }
      expect(firstDifference(a.vm, b.vm, 300)).toBe(-1);
    }
  });

  test('SIMD and JavaScript solves agree bit for bit, and both match the XFOIL-order elimination', () => {
    for (const [nsys, seed] of [
      [9, 2],
      [40, 11],
      [61, 5],
    ]) {
      const simd = createBlockSystem(nsys + 2, true);
      const js = createBlockSystem(nsys + 2, false);
      fillRandom(simd, nsys, seed);
      fillRandom(js, nsys, seed);
      const ref = copyBlockSystem(js, createBlockSystem(nsys + 2, false));
      expect(solveBlockSystem(simd, 0.01, 2)).toBe(true);
      expect(solveBlockSystem(js, 0.01, 2)).toBe(true);
      expect(solveBlockSystemSimple(ref, 0.01, 2)).toBe(true);
      expect(firstDifference(simd.rhs, js.rhs, 6 * nsys)).toBe(-1);
      let err = 0;
      for (let i = 0; i < 6 * nsys; i++) err = Math.max(err, Math.abs(simd.rhs[i] - ref.rhs[i]));
      expect(err).toBeLessThan(1e-12);
    }
  });
});

describe('amplification-rate memo (axset)', () => {
  test('results do not depend on the previous call', () => {
    const out = new Float64Array(9);
    const a = [2.6, 1.1e-3, 620, 1.5, 2.7, 1.2e-3, 700, 2.0] as const;
    const b = [3.1, 0.9e-3, 480, 0.5, 3.3, 1.0e-3, 520, 0.9] as const;
    const call = (s1: readonly number[], s2: readonly number[]) => {
      axset(s1[0], s1[1], s1[2], s1[3], s2[4], s2[5], s2[6], s2[7], 9, 0, out);
      return Float64Array.from(out);
    };
    const first = call(a, a);
    const other = call(b, b);
    expect(firstDifference(call(a, a), first)).toBe(-1); // station 1 changed back
    expect(firstDifference(call(b, b), other)).toBe(-1);
    const mixed = call(b, a); // station 1 of b, station 2 of a
    call(a, a);
    expect(firstDifference(call(b, a), mixed)).toBe(-1);
    // with the memo hit (same station 1) the station-2 part still follows station 2
    call(a, b);
    expect(firstDifference(call(a, a), first)).toBe(-1);
  });
});
