import { UIUC_DIR } from '../helpers/paths';
import { FoiloptError } from '../../src/errors';
import { readAirfoilFile } from '../../src/geometry/io';
import {
  camber5,
  naca5,
  naca5IdealLift,
  naca5MeanLineR,
  nacaAirfoil,
  nacaThicknessShape,
  NACA_TE_COEF_SHARP,
} from '../../src/geometry/param/naca';
import { polylineDeviation } from '../../src/geometry/param/fit';
import type { Airfoil } from '../../src/geometry/types';

const UIUC = UIUC_DIR;

/**
 * Max |y_generated(x) - y_file| over the file's nodes, per surface, generated y linearly
 * interpolated; also checks that every file node but the LE found its generated interval.
 */
function maxVerticalError(gen: Airfoil, file: Airfoil): number {
  let matched = 0;
  const n = (gen.x.length + 1) / 2;
  let iLE = 0;
  for (let i = 0; i < file.x.length; i++) if (file.x[i] < file.x[iLE]) iLE = i;
  let max = 0;
  for (let i = 0; i < file.x.length; i++) {
    const upper = i < iLE;
    const xq = file.x[i];
    // generated surface from LE outwards: upper nodes n-1 .. 0, lower nodes n-1 .. 2n-2
    for (let k = 0; k < n - 1; k++) {
      const a = upper ? n - 1 - k : n - 1 + k;
      const b = upper ? a - 1 : a + 1;
      if ((xq - gen.x[a]) * (xq - gen.x[b]) <= 0 && gen.x[a] !== gen.x[b]) {
        const y = gen.y[a] + ((gen.y[b] - gen.y[a]) * (xq - gen.x[a])) / (gen.x[b] - gen.x[a]);
        max = Math.max(max, Math.abs(y - file.y[i]));
        matched++;
        break;
      }
    }
  }
  expect(matched).toBeGreaterThanOrEqual(file.x.length - 3);
  return max;
}

describe('nacaAirfoil', () => {
  it('matches the UIUC NACA 2412 and 4412 files within 1e-3 chord', () => {
    for (const code of ['2412', '4412']) {
      const gen = nacaAirfoil(code, 200);
      const file = readAirfoilFile(`${UIUC}/naca${code}.dat`);
      expect(maxVerticalError(gen, file)).toBeLessThan(1e-3);
    }
  });

  it('matches the UIUC NACA 23012 file (5-digit) within 1e-3 chord', () => {
    const gen = nacaAirfoil('23012', 200);
    const file = readAirfoilFile(`${UIUC}/naca23012.dat`);
    expect(maxVerticalError(gen, file)).toBeLessThan(1e-3);
  });

  it('has 2n-1 nodes in Selig order with the LE once at (0, 0)', () => {
    const a = nacaAirfoil('NACA 2412', 50);
    expect(a.x.length).toBe(99);
    expect(a.name).toBe('NACA 2412');
    expect(a.x[49]).toBe(0);
    expect(a.y[49]).toBe(0);
    // upper surface above the lower one, TE first and last
    expect(a.y[0]).toBeGreaterThan(a.y[98]);
    expect(a.x[0]).toBeCloseTo(1, 3);
    for (let i = 1; i < 49; i++) expect(a.y[i]).toBeGreaterThan(0);
    // counterclockwise: positive signed area (shoelace, closing segment included)
    let area = 0;
    for (let i = 0; i < 99; i++) {
      const j = (i + 1) % 99;
      area += a.x[i] * a.y[j] - a.x[j] * a.y[i];
    }
    expect(area).toBeGreaterThan(0);
  });

  it('accepts the code spellings and rejects invalid codes with a reason', () => {
    const ref = nacaAirfoil('0012');
    for (const s of ['naca0012', 'NACA 0012', 'naca-0012', ' Naca_0012 ']) {
      expect(Array.from(nacaAirfoil(s).y)).toEqual(Array.from(ref.y));
    }
    const bad: [string, RegExp][] = [
      ['12', /4 or 5 digits|2 digits/],
      ['241x', /expected 4 or 5 digits/],
      ['123456', /6 digits/],
      ['2400', /zero thickness/],
      ['2012', /max-camber position/],
      ['03012', /first digit/],
      ['26012', /not defined/],
      ['21112', /not defined/],
      ['23212', /third digit/],
    ];
    for (const [code, why] of bad) {
      expect(() => nacaAirfoil(code)).toThrow(FoiloptError);
      expect(() => nacaAirfoil(code)).toThrow(why);
    }
    expect(() => nacaAirfoil('0012', 2)).toThrow(FoiloptError);
  });

  it('NACA 0012: max thickness 0.12 at x = 0.30', () => {
    const a = nacaAirfoil('0012', 401);
    const n = 401;
    let tMax = 0;
    let xMax = 0;
    for (let k = 0; k < n; k++) {
      const t = a.y[n - 1 - k] - a.y[n - 1 + k]; // symmetric: same x on both surfaces
      if (t > tMax) {
        tMax = t;
        xMax = a.x[n - 1 - k];
      }
    }
    expect(tMax).toBeCloseTo(0.12, 4);
    expect(Math.abs(xMax - 0.3)).toBeLessThan(0.005);
  });

  it('LE radius is 1.1019 t^2 (closed form and generated geometry)', () => {
    const t = 0.12;
    // closed form: r = lim yt^2 / (2x)
    const x = 1e-12;
    const yt = t * nacaThicknessShape(x);
    expect((yt * yt) / (2 * x) / (t * t)).toBeCloseTo(1.1019, 4);
    // geometry: circle through the LE node and its two neighbours (symmetric airfoil)
    const n = 2000;
    const a = nacaAirfoil('0012', n);
    const x1 = a.x[n - 2];
    const y1 = a.y[n - 2];
    const r = (x1 * x1 + y1 * y1) / (2 * x1);
    expect(Math.abs(r / (1.1019 * t * t) - 1)).toBeLessThan(2e-3);
  });

  it('sharp-TE option closes the trailing edge; default open TE thickness 0.00252 for t = 0.12', () => {
    const sharp = nacaAirfoil('0012', 60, { sharpTrailingEdge: true });
    const m = sharp.x.length - 1;
    expect(Math.abs(sharp.y[0] - sharp.y[m])).toBeLessThan(1e-12);
    expect(nacaThicknessShape(1, NACA_TE_COEF_SHARP)).toBeCloseTo(0, 12);
    const open = nacaAirfoil('0012', 60);
    expect(open.y[0] - open.y[m]).toBeCloseTo(0.00252, 6);
  });

  it('thickness is applied perpendicular to the camber line', () => {
    // NACA 4412: upper and lower points of one base station are symmetric about the camber point
    // and the segment between them is perpendicular to the camber slope
    const n = 100;
    const a = nacaAirfoil('4412', n);
    const k = 30;
    const u = n - 1 - k;
    const l = n - 1 + k;
    const xc = 0.5 * (a.x[u] + a.x[l]);
    const dx = a.x[u] - a.x[l];
    const dy = a.y[u] - a.y[l];
    const m = 0.04;
    const p = 0.4;
    const slope = xc < p ? (2 * m * (p - xc)) / (p * p) : (2 * m * (p - xc)) / ((1 - p) * (1 - p));
    expect(Math.abs(dx + dy * slope)).toBeLessThan(1e-12); // (dx, dy) . (1, slope) = 0
    expect(Math.hypot(dx, dy) / 2).toBeCloseTo(0.12 * nacaThicknessShape(xc), 12);
  });
});

describe('NACA 5-digit mean lines', () => {
  it('reproduces the tabulated r and k1 of the 220..250 lines from p (thin-airfoil design CL 0.3)', () => {
    const table = [
      [0.1, 0.126, 51.64],
      [0.15, 0.2025, 15.957],
      [0.2, 0.29, 6.643],
      [0.25, 0.391, 3.23],
    ];
    for (const [p, r, k1] of table) {
      const sol = naca5MeanLineR(p);
      expect(Math.abs(sol.r - r)).toBeLessThan(1.5e-3);
      const k1Theory = 0.3 / naca5IdealLift(r).q;
      expect(Math.abs(k1Theory / k1 - 1)).toBeLessThan(7e-3);
    }
  });

  it('closed-form ideal lift agrees with quadrature, and its r-derivative with differences', () => {
    const r = 0.2025;
    const cam = camber5(1, r, 0);
    const out = new Float64Array(6);
    const N = 20000;
    let q = 0;
    for (let i = 0; i < N; i++) {
      const th = ((i + 0.5) * Math.PI) / N;
      cam((1 - Math.cos(th)) / 2, out);
      q += out[1] * Math.cos(th);
    }
    q *= (2 * Math.PI) / N;
    const { q: qc, dqdr } = naca5IdealLift(r);
    expect(qc).toBeCloseTo(q, 7);
    const h = 1e-6;
    const fd = (naca5IdealLift(r + h).q - naca5IdealLift(r - h).q) / (2 * h);
    expect(dqdr).toBeCloseTo(fd, 6);
  });

  it('reflexed line 231 has zero slope at its max camber position 0.15 and vanishes at x = 1', () => {
    // k1/6 (3 (x-r)^2 - k21 (1-r)^3 - r^3) = 0 at x = p for the tabulated (r, k2/k1)
    const cam = camber5(15.793, 0.217, 0.00677);
    const out = new Float64Array(6);
    cam(0.15, out);
    expect(Math.abs(out[1])).toBeLessThan(2e-3);
    cam(1, out);
    expect(Math.abs(out[0])).toBeLessThan(1e-12);
    const a = nacaAirfoil('23112');
    expect(a.name).toBe('NACA 23112');
  });

  it('continuous naca5 at (0.3, 0.15, 0.12) is within 1e-5 chord of the tabulated NACA 23012', () => {
    const c = naca5().coordinates(Float64Array.from([0.3, 0.15, 0.12]));
    expect(polylineDeviation(nacaAirfoil('23012'), c).maxDeviation).toBeLessThan(1e-5);
  });
});
