import {
  arcLength,
  buildSpline,
  cubicValue,
  evalSpline,
  findInterval,
  findLeadingEdge,
  newSplinePoint,
  splineCurvature,
  splineLength,
  splineSlopes,
  splineX,
  splineY,
} from '../../src/geometry/spline';
import { chord, chordAngle, leadingEdge, normalize } from '../../src/geometry/normalize';
import { nacaAirfoil } from '../../src/geometry/param/naca';
import type { Airfoil } from '../../src/geometry/types';

/** Ellipse x = a cos(th), y = b sin(th), th = 0..2pi with N intervals (closed, starts at (a, 0)). */
function ellipse(a: number, b: number, nIntervals: number): { x: Float64Array; y: Float64Array } {
  const x = new Float64Array(nIntervals + 1);
  const y = new Float64Array(nIntervals + 1);
  for (let i = 0; i <= nIntervals; i++) {
    const th = (2 * Math.PI * i) / nIntervals;
    x[i] = a * Math.cos(th);
    y[i] = b * Math.sin(th);
  }
  x[nIntervals] = a;
  y[nIntervals] = 0;
  return { x, y };
}

/** max over a dense s-sample of |(x/a)^2 + (y/b)^2 - 1| (~ relative radial error) */
function ellipseError(a: number, b: number, n: number): number {
  const e = ellipse(a, b, n);
  const sp = buildSpline(e.x, e.y);
  const p = newSplinePoint();
  let err = 0;
  for (let k = 0; k <= 2000; k++) {
    evalSpline(sp, (splineLength(sp) * k) / 2000, p);
    err = Math.max(err, Math.abs((p.x / a) ** 2 + (p.y / b) ** 2 - 1));
  }
  return err;
}

/** Similarity transform r -> scale R(angle) r + (tx, ty). */
function transform(a: Airfoil, scale: number, angle: number, tx: number, ty: number): Airfoil {
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  const x = new Float64Array(a.x.length);
  const y = new Float64Array(a.x.length);
  for (let i = 0; i < x.length; i++) {
    x[i] = scale * (c * a.x[i] - s * a.y[i]) + tx;
    y[i] = scale * (s * a.x[i] + c * a.y[i]) + ty;
  }
  return { name: a.name, x, y };
}

describe('spline', () => {
  test('interpolates the nodes and s is the cumulative chord length', () => {
    const e = ellipse(2, 1, 37);
    const sp = buildSpline(e.x, e.y);
    const s = arcLength(e.x, e.y);
    for (let i = 0; i < sp.n; i++) {
      expect(sp.s[i]).toBe(s[i]);
      expect(Math.abs(splineX(sp, sp.s[i]) - e.x[i])).toBeLessThan(1e-14);
      expect(Math.abs(splineY(sp, sp.s[i]) - e.y[i])).toBeLessThan(1e-14);
    }
  });

  test('reproduces a quadratic exactly (zero-third-derivative end conditions) on a nonuniform grid', () => {
    const n = 23;
    const s = new Float64Array(n);
    const f = new Float64Array(n);
    for (let i = 1; i < n; i++) s[i] = s[i - 1] + 0.1 + 0.07 * Math.sin(3 * i);
    for (let i = 0; i < n; i++) f[i] = 1 + 2 * s[i] - 3 * s[i] * s[i];
    const fs = splineSlopes(f, s);
    for (let i = 0; i < n; i++) expect(Math.abs(fs[i] - (2 - 6 * s[i]))).toBeLessThan(1e-11);
    const sq = 0.5 * (s[4] + s[5]);
    expect(Math.abs(cubicValue(f, fs, s, findInterval(s, sq), sq) - (1 + 2 * sq - 3 * sq * sq))).toBeLessThan(
      1e-12,
    );
  });

  test('reproduces an ellipse and converges at 4th order in node count', () => {
    const errs = [20, 40, 80, 160].map((n) => ellipseError(2, 1, n));
    expect(errs[3]).toBeLessThan(2e-6);
    for (let k = 1; k < errs.length; k++) {
      const order = Math.log2(errs[k - 1] / errs[k]);
      expect(order).toBeGreaterThan(3.7);
    }
  });

  test('first and second derivatives agree with finite differences of the spline itself', () => {
    const e = ellipse(1, 0.4, 50);
    const sp = buildSpline(e.x, e.y);
    const p = newSplinePoint();
    const pm = newSplinePoint();
    const pp = newSplinePoint();
    const h = 1e-5;
    for (const sq of [0.3, 1.1, 2.05, 3.3]) {
      evalSpline(sp, sq, p);
      evalSpline(sp, sq - h, pm);
      evalSpline(sp, sq + h, pp);
      expect(Math.abs((pp.x - pm.x) / (2 * h) - p.dx)).toBeLessThan(1e-8);
      expect(Math.abs((pp.y - pm.y) / (2 * h) - p.dy)).toBeLessThan(1e-8);
      expect(Math.abs((pp.dx - pm.dx) / (2 * h) - p.ddx)).toBeLessThan(1e-6);
      expect(Math.abs((pp.dy - pm.dy) / (2 * h) - p.ddy)).toBeLessThan(1e-6);
    }
  });

  test('curvature of a circle is 1/R (counterclockwise: positive), converging at 2nd order', () => {
    const R = 0.7;
    const errs = [64, 128, 256].map((n) => {
      const e = ellipse(R, R, n);
      const sp = buildSpline(e.x, e.y);
      let err = 0;
      // away from the two ends (open-spline end conditions)
      for (let k = 1; k < 20; k++)
        err = Math.max(err, Math.abs(splineCurvature(sp, (splineLength(sp) * k) / 20) * R - 1));
      return err;
    });
    expect(errs[2]).toBeLessThan(6e-5);
    expect(Math.log2(errs[0] / errs[1])).toBeGreaterThan(1.9);
    expect(Math.log2(errs[1] / errs[2])).toBeGreaterThan(1.9);
  });

  test('a doubled point splits the spline: the straight side of a D shape stays exactly straight', () => {
    // semicircle from (0,-1) over (1,0) to (0,1), corner, straight line back down to (0,-1)
    const nArc = 33;
    const nLine = 9;
    const x: number[] = [];
    const y: number[] = [];
    for (let i = 0; i < nArc; i++) {
      const th = -Math.PI / 2 + (Math.PI * i) / (nArc - 1);
      x.push(Math.cos(th));
      y.push(Math.sin(th));
    }
    x[nArc - 1] = 0;
    y[nArc - 1] = 1;
    for (let i = 0; i < nLine; i++) {
      x.push(0);
      y.push(1 - (2 * i) / (nLine - 1)); // first one doubles (0, 1)
    }
    const sp = buildSpline(Float64Array.from(x), Float64Array.from(y));
    expect(sp.s[nArc]).toBe(sp.s[nArc - 1]);
    // the straight segment: x(s) == 0, y linear
    for (let k = 0; k <= 50; k++) {
      const sq = sp.s[nArc] + ((splineLength(sp) - sp.s[nArc]) * k) / 50;
      expect(Math.abs(splineX(sp, sq))).toBeLessThan(1e-15);
      expect(Math.abs(splineY(sp, sq) - (1 - (sq - sp.s[nArc])))).toBeLessThan(1e-14);
    }
    // the arc is unaffected by the straight part
    const p = newSplinePoint();
    for (let k = 1; k < 20; k++) {
      evalSpline(sp, (sp.s[nArc - 1] * k) / 20, p);
      expect(Math.abs(Math.hypot(p.x, p.y) - 1)).toBeLessThan(1e-5);
    }
  });
});

describe('findLeadingEdge', () => {
  test('ellipse: LE is the far end of the major axis (4th-order convergence when it is not a node)', () => {
    const errs = [61, 121, 241].map((n) => {
      const e = ellipse(1.5, 0.3, n);
      const le = findLeadingEdge(buildSpline(e.x, e.y));
      expect(Math.abs(le.y)).toBeLessThan(1e-12);
      return Math.abs(le.x + 1.5);
    });
    expect(errs[2]).toBeLessThan(3e-7);
    expect(Math.log2(errs[0] / errs[1])).toBeGreaterThan(3.7);
    expect(Math.log2(errs[1] / errs[2])).toBeGreaterThan(3.7);
    // even interval count: the LE is a node and is found to rounding
    const e = ellipse(1.5, 0.3, 64);
    const le = findLeadingEdge(buildSpline(e.x, e.y));
    expect(Math.abs(le.x + 1.5)).toBeLessThan(1e-14);
    expect(Math.abs(le.y)).toBeLessThan(1e-12);
  });

  test('NACA 0012: LE at the origin; transforms with a rotated/scaled/translated airfoil', () => {
    const a = nacaAirfoil('0012', 101);
    const le0 = leadingEdge(a);
    expect(Math.abs(le0.x)).toBeLessThan(1e-12);
    expect(Math.abs(le0.y)).toBeLessThan(1e-12);
    const b = nacaAirfoil('2412', 101);
    const leB = leadingEdge(b);
    const [scale, angle, tx, ty] = [3.7, 0.6, -2.5, 11];
    const t = transform(b, scale, angle, tx, ty);
    const leT = leadingEdge(t);
    const ex = scale * (Math.cos(angle) * leB.x - Math.sin(angle) * leB.y) + tx;
    const ey = scale * (Math.sin(angle) * leB.x + Math.cos(angle) * leB.y) + ty;
    expect(Math.abs(leT.x - ex)).toBeLessThan(1e-11);
    expect(Math.abs(leT.y - ey)).toBeLessThan(1e-11);
    expect(Math.abs(leT.s - scale * leB.s)).toBeLessThan(1e-11);
  });

  test('LE tangent is perpendicular to the line to the TE midpoint (LEFIND definition)', () => {
    const a = transform(nacaAirfoil('4412', 81), 1, 0.3, 0, 0);
    const sp = buildSpline(a.x, a.y);
    const le = findLeadingEdge(sp);
    const p = evalSpline(sp, le.s, newSplinePoint());
    const n = a.x.length;
    const vx = le.x - 0.5 * (a.x[0] + a.x[n - 1]);
    const vy = le.y - 0.5 * (a.y[0] + a.y[n - 1]);
    expect(Math.abs(vx * p.dx + vy * p.dy) / Math.hypot(vx, vy)).toBeLessThan(1e-11);
  });

  test('a doubled point at a sharp LE is the LE', () => {
    // biconvex-like sharp-nose contour with the LE node doubled
    const m = 21;
    const x: number[] = [];
    const y: number[] = [];
    for (let i = 0; i < m; i++) {
      const xc = 1 - i / (m - 1);
      x.push(xc);
      y.push(0.2 * xc * (1 - xc));
    }
    for (let i = 0; i < m; i++) {
      const xc = i / (m - 1);
      x.push(xc);
      y.push(-0.2 * xc * (1 - xc));
    }
    const sp = buildSpline(Float64Array.from(x), Float64Array.from(y));
    const le = findLeadingEdge(sp);
    expect(le.x).toBe(0);
    expect(le.y).toBe(0);
    expect(le.s).toBe(sp.s[m - 1]);
  });
});

describe('normalize', () => {
  const base = nacaAirfoil('2412', 81);
  const variants = [
    transform(base, 1, 0, 0, 0),
    transform(base, 2.5, 0, 3, -1),
    transform(base, 0.3, -0.4, -7, 2),
    transform(base, 12, 2.5, 100, 50),
  ];

  test('LE at (0, 0) and chord 1; derotate puts the TE midpoint at (1, 0)', () => {
    for (const v of variants) {
      for (const derotate of [false, true]) {
        const a = normalize(v, { derotate });
        const le = leadingEdge(a);
        expect(Math.hypot(le.x, le.y)).toBeLessThan(1e-12);
        expect(Math.abs(chord(a) - 1)).toBeLessThan(1e-12);
        expect(a.x.length).toBe(v.x.length);
        if (derotate) {
          const n = a.x.length;
          expect(Math.abs(0.5 * (a.x[0] + a.x[n - 1]) - 1)).toBeLessThan(1e-12);
          expect(Math.abs(0.5 * (a.y[0] + a.y[n - 1]))).toBeLessThan(1e-12);
        }
      }
    }
  });

  test('without derotate the chord-line angle of the input is kept', () => {
    for (const v of variants) expect(Math.abs(chordAngle(normalize(v)) - chordAngle(v))).toBeLessThan(1e-12);
  });

  test('derotated result is invariant under translation, scaling and rotation of the input', () => {
    const ref = normalize(variants[0], { derotate: true });
    for (const v of variants.slice(1)) {
      const a = normalize(v, { derotate: true });
      let d = 0;
      for (let i = 0; i < a.x.length; i++)
        d = Math.max(d, Math.abs(a.x[i] - ref.x[i]), Math.abs(a.y[i] - ref.y[i]));
      expect(d).toBeLessThan(1e-12);
    }
  });
});
