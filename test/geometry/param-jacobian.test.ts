import { bezier } from '../../src/geometry/param/bezier';
import { jacobianFD, jacobianOf } from '../../src/geometry/param/common';
import { cst } from '../../src/geometry/param/cst';
import { hicksHenne } from '../../src/geometry/param/hicksHenne';
import { naca4, naca5, nacaAirfoil } from '../../src/geometry/param/naca';
import { parsec } from '../../src/geometry/param/parsec';
import type { CoordinateJacobian, Parametrization } from '../../src/geometry/param/types';
import type { Airfoil } from '../../src/geometry/types';

/** Small deterministic PRNG (mulberry32) for reproducible "random" parameter vectors. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** max |A - B| / max |A| over dx and dy. */
function relativeError(a: CoordinateJacobian, b: CoordinateJacobian): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.dx.length; i++) {
    num = Math.max(num, Math.abs(a.dx[i] - b.dx[i]), Math.abs(a.dy[i] - b.dy[i]));
    den = Math.max(den, Math.abs(a.dx[i]), Math.abs(a.dy[i]));
  }
  return num / den;
}

/** initial() perturbed by +-`scale` of each variable's bound width (clipped to the bounds). */
function randomParams(p: Parametrization, rand: () => number, scale: number): Float64Array {
  const v = p.initial();
  for (let j = 0; j < p.nVars; j++) {
    const w = Number.isFinite(p.upper[j] - p.lower[j]) ? p.upper[j] - p.lower[j] : 1;
    v[j] = Math.min(p.upper[j], Math.max(p.lower[j], v[j] + scale * w * (2 * rand() - 1)));
  }
  return v;
}

const base = nacaAirfoil('0012', 80);
const builtIns: [string, () => Parametrization, number][] = [
  ['cst', () => cst(), 0.05],
  ['cst:4', () => cst({ weightsPerSide: 4 }), 0.05],
  ['naca4', () => naca4(), 0.3],
  ['naca5', () => naca5(), 0.3],
  ['bezier', () => bezier(), 0.02],
  ['hicks-henne', () => hicksHenne(base), 0.1],
  ['parsec', () => parsec(), 0.03],
];

/** Measured errors, printed once at the end (the report quotes them). */
const measured: string[] = [];
afterAll(() => {
  console.log(
    `analytic vs central-difference Jacobians (max abs diff / max abs entry):\n${measured.join('\n')}`,
  );
});

describe('analytic Jacobians agree with central differences', () => {
  it.each(builtIns)('%s', (label, make, scale) => {
    const p = make();
    const rand = rng(12345);
    for (let trial = 0; trial < 2; trial++) {
      const v = randomParams(p, rand, scale);
      const analytic = p.jacobian!(v);
      expect(analytic.nNodes).toBe(p.coordinates(v).x.length);
      expect(analytic.nVars).toBe(p.nVars);
      const fd = jacobianFD(p, v);
      const err = relativeError(analytic, fd);
      measured.push(`  ${label.padEnd(12)} trial ${trial}: ${err.toExponential(2)}`);
      expect(err).toBeLessThan(1e-6);
    }
  });
});

describe('finite-difference fallback', () => {
  /** A plug-in without jacobian: the base airfoil scaled in y by s and sheared by c x (dy = y0 ds + x dc). */
  function plugin(b: Airfoil): Parametrization {
    return {
      name: 'scaled',
      nVars: 2,
      varNames: ['s', 'c'],
      lower: Float64Array.from([0.1, -1]),
      upper: Float64Array.from([3, 1]),
      initial: () => Float64Array.from([1, 0]),
      coordinates: (v) => ({
        name: 'scaled',
        x: Float64Array.from(b.x),
        y: Float64Array.from(b.y, (y, i) => v[0] * y + v[1] * b.x[i]),
      }),
      fit: () => {
        throw new Error('not used');
      },
    };
  }

  it('jacobianOf uses central differences when the plug-in has no jacobian, matching the exact one', () => {
    const p = plugin(base);
    const v = Float64Array.from([1.3, 0.02]);
    const j = jacobianOf(p, v);
    let maxErr = 0;
    for (let i = 0; i < base.x.length; i++) {
      maxErr = Math.max(
        maxErr,
        Math.abs(j.dy[i * 2] - base.y[i]),
        Math.abs(j.dy[i * 2 + 1] - base.x[i]),
        Math.abs(j.dx[i * 2]),
      );
    }
    expect(maxErr).toBeLessThan(1e-9);
  });

  it('steps one-sidedly at a bound instead of leaving it', () => {
    const p = plugin(base);
    const calls: number[] = [];
    const spy: Parametrization = {
      ...p,
      coordinates: (v) => {
        calls.push(v[0]);
        return p.coordinates(v);
      },
    };
    const j = jacobianFD(spy, Float64Array.from([3, 0]));
    expect(Math.max(...calls)).toBeLessThanOrEqual(3);
    expect(j.dy[2 * 10]).toBeCloseTo(base.y[10], 8);
  });

  it('jacobianOf prefers the analytic Jacobian', () => {
    const p = cst();
    const v = p.initial();
    expect(jacobianOf(p, v).dy).toEqual(p.jacobian(v).dy);
  });
});
