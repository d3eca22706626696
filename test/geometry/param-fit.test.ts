import { UIUC_DIR } from '../helpers/paths';
import { FoiloptError } from '../../src/errors';
import { readAirfoilFile } from '../../src/geometry/io';
import { bezier } from '../../src/geometry/param/bezier';
import { cosineSpacing } from '../../src/geometry/param/common';
import { cst, cstBasis, binomialRow } from '../../src/geometry/param/cst';
import {
  boundedLinearLeastSquares,
  fitByDistance,
  fitFrame,
  levenbergMarquardt,
  linearLeastSquares,
} from '../../src/geometry/param/fit';
import { hicksHenne, hicksHenneBump } from '../../src/geometry/param/hicksHenne';
import { naca4, naca5, nacaAirfoil } from '../../src/geometry/param/naca';
import { parsec, parsecSide } from '../../src/geometry/param/parsec';
import {
  parametrizationFromSpec,
  registerParametrization,
  registeredParametrizations,
} from '../../src/geometry/param/registry';
import type { Parametrization } from '../../src/geometry/param/types';

const UIUC = UIUC_DIR;

describe('round trips: each fit reproduces a shape of its own family to < 1e-6 chord', () => {
  const cases: [string, () => Parametrization, (p: Parametrization) => Float64Array][] = [
    [
      'cst',
      () => cst(),
      (p) => {
        const v = p.initial();
        for (let j = 0; j < 16; j++) v[j] += 0.03 * Math.sin(3 * j + 1);
        v[16] = 0.05;
        v[17] = 0.004;
        return v;
      },
    ],
    ['naca4', () => naca4(), () => Float64Array.from([0.035, 0.32, 0.14])],
    ['naca5', () => naca5(), () => Float64Array.from([0.45, 0.18, 0.1])],
    ['bezier', () => bezier(), (p) => p.initial().map((v, j) => (j % 2 === 0 ? v * 1.1 : v))],
    [
      'hicks-henne',
      () => hicksHenne(nacaAirfoil('0012', 80)),
      (p) => Float64Array.from({ length: p.nVars }, (_, j) => 0.004 * Math.cos(j)),
    ],
    [
      'parsec',
      () => parsec(),
      () => Float64Array.from([0.012, 0.35, 0.07, -0.5, 0.25, -0.04, 0.3, 0.005, 0.003, -0.1, 0.2]),
    ],
  ];
  it.each(cases)('%s', (_label, make, values) => {
    const p = make();
    const v = values(p);
    const shape = p.coordinates(v);
    const r = p.fit(shape);
    expect(r.maxDeviation).toBeLessThan(1e-6);
    expect(r.rmsDeviation).toBeLessThanOrEqual(r.maxDeviation);
    const back = p.coordinates(r.params);
    let d = 0;
    for (let i = 0; i < back.x.length; i++)
      d = Math.max(d, Math.hypot(back.x[i] - shape.x[i], back.y[i] - shape.y[i]));
    // the node positions themselves come back (the linear families exactly)
    expect(d).toBeLessThan(1e-5);
  });
});

describe('CST', () => {
  it('basis: class function times Bernstein terms, and the LEM term x (1-x)^(n+0.5)', () => {
    const n = 8;
    const out = new Float64Array(n + 1);
    const x = 0.3;
    cstBasis(x, n, binomialRow(n), out);
    let sum = 0;
    for (let i = 0; i < n; i++) sum += out[i];
    // sum of Bernstein polynomials is 1 -> sum = C(x)
    expect(sum).toBeCloseTo(Math.sqrt(x) * (1 - x), 14);
    expect(out[2]).toBeCloseTo(Math.sqrt(x) * (1 - x) * 21 * x * x * (1 - x) ** 5, 14);
    expect(out[n]).toBeCloseTo(x * (1 - x) ** 8.5, 14);
  });

  it('nodes: cosine x per side, TE thickness split evenly, LE at (0, 0)', () => {
    const p = cst({ weightsPerSide: 4, pointsPerSide: 30 });
    const v = Float64Array.from([0.2, 0.2, 0.2, 0.2, -0.1, -0.1, -0.1, -0.1, 0.05, 0.01]);
    const a = p.coordinates(v);
    expect(a.x.length).toBe(59);
    const xs = cosineSpacing(30);
    for (let k = 0; k < 30; k++) {
      expect(a.x[29 - k]).toBe(xs[k]);
      expect(a.x[29 + k]).toBe(xs[k]);
    }
    expect(a.y[29]).toBe(0);
    expect(a.y[0] - a.y[58]).toBeCloseTo(0.01, 14);
  });

  it('fits UIUC airfoils to their measured accuracy (8 weights, minimax)', () => {
    // measured max vertical deviations (scripts/cst-fit-survey.ts); the bounds leave ~20% margin
    const expected: [string, number][] = [
      ['e387', 3.5e-4],
      ['naca2412', 6e-4],
      ['clarky', 6e-4],
      ['rae2822', 2.5e-4],
    ];
    const p = cst();
    for (const [name, tol] of expected) {
      const r = p.fit(readAirfoilFile(`${UIUC}/${name}.dat`));
      expect(r.maxDeviation).toBeLessThan(tol);
    }
  });

  it('minimax objective lowers the max deviation of the plain least-squares fit', () => {
    const a = readAirfoilFile(`${UIUC}/e387.dat`);
    const l2 = cst({ fitObjective: 'l2' }).fit(a);
    const mm = cst().fit(a);
    expect(mm.maxDeviation).toBeLessThan(l2.maxDeviation);
    expect(l2.rmsDeviation).toBeLessThanOrEqual(mm.rmsDeviation * 1.0001);
  });

  it('maxDeviation is the vertical distance at the target x (in the fit frame)', () => {
    const a = readAirfoilFile(`${UIUC}/naca2412.dat`);
    const p = cst();
    const r = p.fit(a);
    const t = fitFrame(a);
    let iLE = 0;
    for (let i = 0; i < t.x.length; i++) if (t.x[i] < t.x[iLE]) iLE = i;
    let max = 0;
    for (let i = 0; i < t.x.length; i++) {
      if (i === iLE) continue;
      max = Math.max(max, Math.abs(p.surfaceY(r.params, i < iLE, t.x[i]) - t.y[i]));
    }
    expect(max).toBeLessThanOrEqual(r.maxDeviation + 1e-15);
    expect(max).toBeGreaterThan(0.5 * r.maxDeviation);
  });
});

describe('other families', () => {
  it('naca4 fit of the UIUC NACA 2412 file recovers (0.02, 0.4, 0.12)', () => {
    const r = naca4().fit(readAirfoilFile(`${UIUC}/naca2412.dat`));
    expect(r.params[0]).toBeCloseTo(0.02, 3);
    expect(r.params[1]).toBeCloseTo(0.4, 1);
    expect(r.params[2]).toBeCloseTo(0.12, 3);
    expect(r.maxDeviation).toBeLessThan(5e-4);
  });

  it('naca5 fit of the UIUC NACA 23012 file recovers design CL 0.3, p 0.15, t 0.12', () => {
    const r = naca5().fit(readAirfoilFile(`${UIUC}/naca23012.dat`));
    expect(r.params[0]).toBeCloseTo(0.3, 1);
    expect(r.params[1]).toBeCloseTo(0.15, 2);
    expect(r.params[2]).toBeCloseTo(0.12, 3);
    expect(r.maxDeviation).toBeLessThan(5e-4);
  });

  it('bezier (6 control points per side) fits E387 within 5e-4 chord', () => {
    expect(bezier().fit(readAirfoilFile(`${UIUC}/e387.dat`)).maxDeviation).toBeLessThan(5e-4);
  });

  it('Hicks-Henne bump peaks at its position with height 1', () => {
    for (const xk of [0.1, 0.5, 0.8]) {
      expect(hicksHenneBump(xk, xk, 3)).toBeCloseTo(1, 14);
      expect(hicksHenneBump(xk + 0.01, xk, 3)).toBeLessThan(1);
      expect(hicksHenneBump(xk - 0.01, xk, 3)).toBeLessThan(1);
    }
    expect(hicksHenneBump(0, 0.5, 3)).toBe(0);
    expect(hicksHenneBump(1, 0.5, 3)).toBe(0);
  });

  it('Hicks-Henne on NACA 0012 fitted to NACA 2412 reduces the deviation tenfold', () => {
    const b = nacaAirfoil('0012', 100);
    const target = nacaAirfoil('2412', 100);
    const hh = hicksHenne(b, { bumpsPerSide: 10 });
    const before = hh.fit(b).maxDeviation;
    expect(before).toBeLessThan(1e-12);
    const r = hh.fit(target);
    const unchanged = fitByDistance(hh, target, hh.initial(), { lower: hh.initial(), upper: hh.initial() });
    expect(r.maxDeviation).toBeLessThan(unchanged.maxDeviation / 10);
  });

  it('PARSEC coefficients satisfy the 6 conditions per side', () => {
    const v = Float64Array.from([0.012, 0.35, 0.07, -0.5, 0.25, -0.04, 0.3, 0.005, 0.003, -0.1, 0.2]);
    const e = [0.5, 1.5, 2.5, 3.5, 4.5, 5.5];
    const z = (a: Float64Array, x: number, d: number): number =>
      e.reduce((s, ek, k) => s + a[k] * (d === 0 ? 1 : d === 1 ? ek : ek * (ek - 1)) * x ** (ek - d), 0);
    const up = parsecSide(v, true, false).a;
    const lo = parsecSide(v, false, false).a;
    expect(up[0]).toBeCloseTo(Math.sqrt(2 * 0.012), 12);
    expect(lo[0]).toBeCloseTo(-Math.sqrt(2 * 0.012), 12);
    expect(z(up, 0.35, 0)).toBeCloseTo(0.07, 12);
    expect(z(up, 0.35, 1)).toBeCloseTo(0, 12);
    expect(z(up, 0.35, 2)).toBeCloseTo(-0.5, 10);
    expect(z(lo, 0.25, 0)).toBeCloseTo(-0.04, 12);
    expect(z(lo, 0.25, 2)).toBeCloseTo(0.3, 10);
    expect(z(up, 1, 0) - z(lo, 1, 0)).toBeCloseTo(0.003, 12);
    expect((z(up, 1, 0) + z(lo, 1, 0)) / 2).toBeCloseTo(0.005, 12);
    expect(Math.atan(z(up, 1, 1))).toBeCloseTo(-0.1 - 0.1, 12);
    expect(Math.atan(z(lo, 1, 1))).toBeCloseTo(-0.1 + 0.1, 12);
  });
});

describe('least-squares machinery', () => {
  it('linearLeastSquares solves an overdetermined consistent system exactly', () => {
    const m = 20;
    const a = new Float64Array(m * 3);
    const b = new Float64Array(m);
    for (let i = 0; i < m; i++) {
      const x = i / (m - 1);
      a[i * 3] = 1;
      a[i * 3 + 1] = x;
      a[i * 3 + 2] = x * x;
      b[i] = 2 - 3 * x + 0.5 * x * x;
    }
    const p = linearLeastSquares(a, b, m, 3);
    expect(p[0]).toBeCloseTo(2, 9);
    expect(p[1]).toBeCloseTo(-3, 9);
    expect(p[2]).toBeCloseTo(0.5, 9);
    // with p1 <= -3.5 the constrained optimum has p1 on the bound
    const q = boundedLinearLeastSquares(
      a,
      b,
      m,
      3,
      Float64Array.from([-10, -10, -10]),
      Float64Array.from([10, -3.5, 10]),
    );
    expect(q[1]).toBe(-3.5);
  });

  it('levenbergMarquardt minimizes the Rosenbrock function as least squares', () => {
    const p = levenbergMarquardt(
      {
        nVars: 2,
        nResiduals: 2,
        evaluate(v, r, j) {
          r[0] = 10 * (v[1] - v[0] * v[0]);
          r[1] = 1 - v[0];
          if (j) {
            j[0] = -20 * v[0];
            j[1] = 10;
            j[2] = -1;
            j[3] = 0;
          }
        },
      },
      Float64Array.from([-1.2, 1]),
      Float64Array.from([-5, -5]),
      Float64Array.from([5, 5]),
    );
    expect(p[0]).toBeCloseTo(1, 8);
    expect(p[1]).toBeCloseTo(1, 8);
  });
});

describe('registry', () => {
  const b = nacaAirfoil('0012', 60);
  it('builds the built-ins from specs', () => {
    expect(parametrizationFromSpec('cst:8').nVars).toBe(18);
    expect(parametrizationFromSpec('cst').nVars).toBe(18);
    expect(parametrizationFromSpec(' CST:4 ').nVars).toBe(10);
    expect(parametrizationFromSpec('naca4').name).toBe('naca4');
    expect(parametrizationFromSpec('naca5').varNames).toEqual(['designCL', 'maxCamberPosition', 'thickness']);
    expect(parametrizationFromSpec('bezier:6').nVars).toBe(15);
    expect(parametrizationFromSpec('bezier').nVars).toBe(15);
    expect(parametrizationFromSpec('hh:8', b).nVars).toBe(16);
    expect(parametrizationFromSpec('hicks-henne:5', b).nVars).toBe(10);
    expect(parametrizationFromSpec('parsec').nVars).toBe(11);
  });

  it('rejects bad specs with a FoiloptError', () => {
    const bad: [string, RegExp][] = [
      ['foo', /unknown parametrization "foo"; known: .*cst/],
      ['cst:x', /not a positive integer/],
      ['cst:0', /weights per side/],
      ['naca4:3', /takes no argument/],
      ['hh:8', /needs a base airfoil/],
      ['bezier:2', /control points/],
      ['', /unknown parametrization/],
    ];
    for (const [spec, why] of bad) {
      expect(() => parametrizationFromSpec(spec)).toThrow(FoiloptError);
      expect(() => parametrizationFromSpec(spec)).toThrow(why);
    }
  });

  it('registers user plug-ins by name; built-ins cannot be replaced', () => {
    registerParametrization('MyShape', (arg) => cst({ weightsPerSide: Number(arg ?? 3) }));
    expect(registeredParametrizations()).toContain('myshape');
    expect(parametrizationFromSpec('myshape:5').nVars).toBe(12);
    expect(parametrizationFromSpec('myShape').nVars).toBe(8);
    expect(() => registerParametrization('cst', () => cst())).toThrow(/built in/);
    expect(() => registerParametrization('9lives', () => cst())).toThrow(FoiloptError);
  });
});
