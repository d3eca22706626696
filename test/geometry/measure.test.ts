import { curvature, measureAirfoil, normals, thicknessCamber } from '../../src/geometry/measure';
import {
  NACA_TE_COEF_OPEN,
  NACA_TE_COEF_SHARP,
  nacaAirfoil,
  nacaThicknessShape,
} from '../../src/geometry/param/naca';
import type { Airfoil } from '../../src/geometry/types';

/** Ellipse "airfoil": center (0.5, 0), semi-axes a = 0.5 (x) and b, from (1, 0) counterclockwise. */
function ellipseAirfoil(b: number, nIntervals: number): { foil: Airfoil; theta: Float64Array } {
  const x = new Float64Array(nIntervals + 1);
  const y = new Float64Array(nIntervals + 1);
  const theta = new Float64Array(nIntervals + 1);
  for (let i = 0; i <= nIntervals; i++) {
    theta[i] = (2 * Math.PI * i) / nIntervals;
    x[i] = 0.5 + 0.5 * Math.cos(theta[i]);
    y[i] = b * Math.sin(theta[i]);
  }
  x[nIntervals] = 1;
  y[nIntervals] = 0;
  return { foil: { name: 'ellipse', x, y }, theta };
}

/**
 * Thickness added vertically to a camber line, yU/L = yc(x) +- t T(x), cosine spacing; the LE is
 * exactly (0, 0) and the TE midpoint (1, 0), so the chord frame is the input frame.
 */
function verticalFoil(t: number, camber: (x: number) => number, n: number, teCoef: number): Airfoil {
  const x = new Float64Array(2 * n - 1);
  const y = new Float64Array(2 * n - 1);
  for (let k = 0; k < n; k++) {
    const xc = 0.5 * (1 - Math.cos((Math.PI * k) / (n - 1)));
    const yt = t * nacaThicknessShape(xc, teCoef);
    x[n - 1 - k] = xc;
    y[n - 1 - k] = camber(xc) + yt;
    x[n - 1 + k] = xc;
    y[n - 1 + k] = camber(xc) - yt;
  }
  return { name: 'vertical', x, y };
}

/** Integral over [0, 1] of the NACA thickness shape T(x) (closed form). */
function shapeIntegral(teCoef: number): number {
  return 5 * ((0.2969 * 2) / 3 - 0.126 / 2 - 0.3516 / 3 + 0.2843 / 4 + teCoef / 5);
}

/** NACA TE wedge angle from the closed form: 2 atan(|dyt/dx| at x = 1), degrees. */
function nacaTeAngle(t: number, teCoef: number): number {
  const slope = 5 * t * (0.2969 / 2 - 0.126 - 2 * 0.3516 + 3 * 0.2843 + 4 * teCoef);
  return (2 * Math.atan(Math.abs(slope)) * 180) / Math.PI;
}

describe('measureAirfoil: NACA 0012 (201 cosine points per side)', () => {
  const t = 0.12;
  const open = measureAirfoil(nacaAirfoil('0012', 201));
  const sharp = measureAirfoil(nacaAirfoil('0012', 201, { sharpTrailingEdge: true }));

  test('max thickness 0.12 at x = 0.30, zero camber', () => {
    expect(Math.abs(open.maxThickness - 0.12)).toBeLessThan(1e-4);
    // the closed form's own maximum: t_max = 2 t T(x*) with T'(x*) = 0, x* = 0.2998
    expect(Math.abs(open.maxThickness - 2 * t * nacaThicknessShape(open.maxThicknessX))).toBeLessThan(1e-8);
    expect(Math.abs(open.maxThicknessX - 0.3)).toBeLessThan(0.005);
    expect(Math.abs(open.maxCamber)).toBeLessThan(1e-12);
  });

  test('LE radius 1.1019 t^2 within 1 %', () => {
    expect(Math.abs(open.leRadius / (1.1019 * t * t) - 1)).toBeLessThan(0.01);
  });

  test('area 0.685 t c (closed-form integral)', () => {
    const exact = 2 * t * shapeIntegral(NACA_TE_COEF_OPEN);
    expect(Math.abs(exact - 0.08221)).toBeLessThan(1e-5);
    expect(Math.abs(open.area - exact)).toBeLessThan(1e-7);
    expect(Math.abs(sharp.area - 2 * t * shapeIntegral(NACA_TE_COEF_SHARP))).toBeLessThan(1e-7);
  });

  test('TE thickness and wedge angle: blunt (open) and sharp TE', () => {
    expect(Math.abs(open.teThickness - 2 * t * nacaThicknessShape(1, NACA_TE_COEF_OPEN))).toBeLessThan(1e-12);
    expect(open.teThickness).toBeGreaterThan(0.0025);
    expect(sharp.teThickness).toBeLessThan(1e-12);
    expect(Math.abs(open.teAngleDeg - nacaTeAngle(t, NACA_TE_COEF_OPEN))).toBeLessThan(1e-3);
    expect(Math.abs(sharp.teAngleDeg - nacaTeAngle(t, NACA_TE_COEF_SHARP))).toBeLessThan(1e-3);
  });

  test('chord 1, LE at the origin, no self-intersection', () => {
    expect(Math.abs(open.chord - 1)).toBeLessThan(1e-12);
    expect(Math.hypot(open.leadingEdge.x, open.leadingEdge.y)).toBeLessThan(1e-12);
    expect(open.selfIntersecting).toBe(false);
  });
});

describe('measureAirfoil: ellipse', () => {
  const b = 0.1;
  const { foil, theta } = ellipseAirfoil(b, 400);
  const m = measureAirfoil(foil);

  test('thickness 2b at x = 0.5, LE radius b^2/a, area pi a b, closed TE at 180 deg', () => {
    expect(Math.abs(m.maxThickness - 2 * b)).toBeLessThan(1e-8);
    expect(Math.abs(m.maxThicknessX - 0.5)).toBeLessThan(1e-3);
    expect(Math.abs(m.leRadius / (b * b * 2) - 1)).toBeLessThan(3e-3);
    expect(Math.abs(m.area / (Math.PI * 0.5 * b) - 1)).toBeLessThan(1e-7);
    expect(m.teThickness).toBe(0);
    // end slopes come from the zero-third-derivative end conditions: measured 0.025 deg off
    expect(Math.abs(m.teAngleDeg - 180)).toBeLessThan(0.05);
  });

  test('curvature at the nodes = a b / (a^2 sin^2 + b^2 cos^2)^(3/2), normals outward', () => {
    const k = curvature(foil);
    const { nx, ny } = normals(foil);
    const a = 0.5;
    let errK = 0;
    let errN = 0;
    // interior nodes: the spline ends (the TE, here the blunt tip of the ellipse) use end conditions
    for (let i = 10; i < theta.length - 10; i++) {
      const s = Math.sin(theta[i]);
      const c = Math.cos(theta[i]);
      const exact = (a * b) / (a * a * s * s + b * b * c * c) ** 1.5;
      errK = Math.max(errK, Math.abs(k[i] / exact - 1));
      // outward normal of the ellipse: (cos/a, sin/b) normalized
      const ex = c / a;
      const ey = s / b;
      const h = Math.hypot(ex, ey);
      errN = Math.max(errN, Math.hypot(nx[i] - ex / h, ny[i] - ey / h));
    }
    expect(errK).toBeLessThan(3e-3);
    expect(errN).toBeLessThan(1e-5);
  });
});

describe('thicknessCamber', () => {
  test('vertical definition: returns 2 t T(x) and yc(x) for thickness added vertically to a camber line', () => {
    const t = 0.1;
    const yc = (x: number) => 0.08 * x * (1 - x);
    const foil = verticalFoil(t, yc, 201, NACA_TE_COEF_OPEN);
    const xs = Float64Array.from([0.01, 0.05, 0.1, 0.25, 0.4, 0.5, 0.7, 0.9, 0.99]);
    const { thickness, camber } = thicknessCamber(foil, xs);
    for (let i = 0; i < xs.length; i++) {
      expect(Math.abs(thickness[i] - 2 * t * nacaThicknessShape(xs[i]))).toBeLessThan(1e-6);
      expect(Math.abs(camber[i] - yc(xs[i]))).toBeLessThan(1e-6);
    }
    const m = measureAirfoil(foil);
    expect(Math.abs(m.maxCamber - 0.02)).toBeLessThan(1e-7);
    expect(Math.abs(m.maxCamberX - 0.5)).toBeLessThan(1e-3);
  });
});

describe('measureAirfoil invariance and self-intersection', () => {
  test('dimensionless measures are unchanged by translation, scaling and rotation', () => {
    const a = nacaAirfoil('2412', 151);
    const m0 = measureAirfoil(a);
    const [scale, ang, tx, ty] = [2.5, 0.7, -3, 4];
    const x = new Float64Array(a.x.length);
    const y = new Float64Array(a.x.length);
    for (let i = 0; i < x.length; i++) {
      x[i] = scale * (Math.cos(ang) * a.x[i] - Math.sin(ang) * a.y[i]) + tx;
      y[i] = scale * (Math.sin(ang) * a.x[i] + Math.cos(ang) * a.y[i]) + ty;
    }
    const m1 = measureAirfoil({ name: 't', x, y });
    expect(Math.abs(m1.chord / m0.chord - scale)).toBeLessThan(1e-12);
    for (const key of [
      'maxThickness',
      'maxCamber',
      'area',
      'leRadius',
      'teThickness',
      'teAngleDeg',
    ] as const) {
      expect(Math.abs(m1[key] - m0[key])).toBeLessThan(1e-9 * Math.max(1, Math.abs(m0[key])));
    }
    expect(Math.abs(m1.maxThicknessX - m0.maxThicknessX)).toBeLessThan(1e-6);
    expect(Math.abs(m1.maxCamberX - m0.maxCamberX)).toBeLessThan(1e-6);
    // NACA 2412 in its own chord frame: ~12 % thick, ~2 % camber near 40 % chord
    expect(Math.abs(m0.maxThickness - 0.12)).toBeLessThan(1e-3);
    expect(Math.abs(m0.maxCamber - 0.02)).toBeLessThan(1.5e-3);
  });

  test('a contour whose lower surface crosses the upper one is self-intersecting', () => {
    const a = nacaAirfoil('0012', 60);
    const n = a.x.length;
    // push the lower surface between x = 0.4 and 0.6 up above the upper surface
    for (let i = 59; i < n; i++) if (a.x[i] > 0.4 && a.x[i] < 0.6) a.y[i] = 0.1;
    expect(measureAirfoil(a).selfIntersecting).toBe(true);
  });
});
