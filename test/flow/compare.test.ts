import { FoiloptError } from '../../src/errors';
import {
  ACCEPTANCE,
  checkAcceptance,
  comparePolars,
  distribution,
  interpolateLinear,
  matchPoints,
  median,
  percentile,
  pointErrors,
  pointViolations,
  polarAtAlpha,
  polarAtCl,
  summarizeErrors,
  type PolarPoint,
} from '../../src/flow/compare';

/** A synthetic thin-airfoil-like polar: cl = 2 pi alpha + cl0, parabolic cd, constant cm. */
function polar(alphas: number[], dcl = 0, cdScale = 1): PolarPoint[] {
  return alphas.map((a) => ({
    alpha: a,
    cl: (2 * Math.PI * (a * Math.PI)) / 180 + 0.25 + dcl,
    cd: cdScale * (0.006 + 0.01 * ((a - 2) / 10) ** 2),
    cm: -0.05,
    xtrTop: 0.6 - 0.04 * a,
    xtrBot: 0.7 + 0.02 * a,
  }));
}

describe('percentile (type 7, linear between order statistics)', () => {
  it('matches hand-computed values (NumPy percentile default)', () => {
    const v = [15, 20, 35, 40, 50];
    // h = (n-1) p / 100: p 40 -> h 1.6 -> 20 + 0.6 * 15 = 29; p 95 -> h 3.8 -> 40 + 0.8 * 10 = 48
    expect(percentile(v, 40)).toBeCloseTo(29, 12);
    expect(percentile(v, 95)).toBeCloseTo(48, 12);
    expect(percentile(v, 0)).toBe(15);
    expect(percentile(v, 100)).toBe(50);
    // order does not matter
    expect(percentile([50, 15, 40, 35, 20], 95)).toBeCloseTo(48, 12);
  });

  it('gives the p95 of 1..100 as 95.05 and of 1..20 as 19.05', () => {
    const a = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(a, 95)).toBeCloseTo(95.05, 12);
    const b = Array.from({ length: 20 }, (_, i) => i + 1);
    expect(percentile(b, 95)).toBeCloseTo(19.05, 12);
  });

  it('median: middle value for odd n, mean of the two middle values for even n, NaN when empty', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
    expect(median([])).toBeNaN();
    expect(median(Float64Array.from([1, NaN, 3]))).toBe(2); // NaN ignored
  });

  it('rejects p outside [0, 100]', () => {
    expect(() => percentile([1], 101)).toThrow(FoiloptError);
    expect(() => percentile([1], NaN)).toThrow(FoiloptError);
  });

  it('distribution: n, median, p95, max', () => {
    const d = distribution([0.5, 0.1, 0.4, 0.2, 0.3]);
    expect(d.n).toBe(5);
    expect(d.median).toBeCloseTo(0.3, 15);
    expect(d.p95).toBeCloseTo(0.3 + 0.8 * 0.1 + 0.1, 12); // h = 3.8 -> 0.4 + 0.8 * 0.1
    expect(d.max).toBe(0.5);
    expect(distribution([]).median).toBeNaN();
  });
});

describe('pointErrors / matchPoints / comparePolars', () => {
  it('computes absolute and relative errors of one point', () => {
    const r: PolarPoint = { alpha: 2, cl: 0.5, cd: 0.008, cm: -0.05, xtrTop: 0.5, xtrBot: 0.9 };
    const o: PolarPoint = { alpha: 2, cl: 0.49, cd: 0.0084, cm: -0.053, xtrTop: 0.52, xtrBot: 1 };
    const e = pointErrors(o, r);
    expect(e.dCl).toBeCloseTo(0.01, 14);
    expect(e.cdRel).toBeCloseTo(0.05, 12);
    expect(e.dCm).toBeCloseTo(0.003, 14);
    expect(e.dXtrTop).toBeCloseTo(0.02, 14);
    expect(e.dXtrBot).toBeCloseTo(0.1, 14);
  });

  it('matches by alpha only the points usable in both (converged and finite)', () => {
    const ref = polar([-2, -1, 0, 1, 2, 3]).filter((p) => p.alpha !== 1); // XFOIL missed alpha 1
    const ours = polar([-2, -1, 0, 1, 2, 3]);
    ours[1].converged = false; // we missed alpha -1
    ours[4].cd = NaN; // alpha 2: NaN although "converged" -> unusable and counted as unflagged NaN
    ours[5].alpha = 3.0002; // within the 5e-4 deg tolerance (XFOIL prints 3 decimals)
    const m = matchPoints(ours, ref);
    expect(m.pairs.map(([o]) => o.alpha)).toEqual([-2, 0, 3.0002]);
    expect(m.onlyOurs).toEqual([1]);
    expect(m.onlyRef).toEqual([-1, 2]);
    const c = comparePolars(ours, ref);
    expect(c.nRef).toBe(5);
    expect(c.nOurs).toBe(4);
    expect(c.nUnflaggedNaN).toBe(1);
    expect(c.n).toBe(3);
  });

  it('recovers a known constant offset and a known Cd scale error', () => {
    const alphas = [-4, -3, -2, -1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
    const ref = polar(alphas);
    const ours = polar(alphas, 0.007, 1.02);
    const c = comparePolars(ours, ref);
    expect(c.n).toBe(17);
    expect(c.cl.median).toBeCloseTo(0.007, 12);
    expect(c.cl.p95).toBeCloseTo(0.007, 12);
    expect(c.cdRel.median).toBeCloseTo(0.02, 12);
    expect(c.cm.max).toBe(0);
    expect(c.xtr.n).toBe(34); // both surfaces pooled
    expect(c.xtr.max).toBe(0);
    const acc = checkAcceptance(c, 1.2);
    expect(acc.map((a) => a.pass)).toEqual([true, true, true, true, true]);
    const fail = checkAcceptance(comparePolars(polar(alphas, 0.02), ref), 2);
    expect(fail.find((a) => a.name === 'median |dCl|')!.pass).toBe(false);
    expect(fail.find((a) => a.name === 'time per point / XFOIL')!.pass).toBe(false);
    expect(fail.find((a) => a.name === 'median |dCl|')!.limit).toBe(ACCEPTANCE.clMedian);
  });

  it('p95 sees a few outliers that the median ignores', () => {
    const alphas = Array.from({ length: 20 }, (_, i) => i - 4);
    const ref = polar(alphas);
    const ours = polar(alphas);
    ours[19].cl += 0.1; // one outlier of 20: h = 19 * 0.95 = 18.05 -> p95 = 0 + 0.05 * 0.1
    const c = comparePolars(ours, ref);
    expect(c.cl.median).toBe(0);
    expect(c.cl.p95).toBeCloseTo(0.005, 12);
    expect(c.cl.max).toBeCloseTo(0.1, 12);
  });

  it('summarizeErrors pools cases point by point (not a median of medians)', () => {
    const a = comparePolars(polar([0, 1, 2], 0.01), polar([0, 1, 2]));
    const b = comparePolars(polar([0], 0.05), polar([0]));
    const s = summarizeErrors([...a.errors, ...b.errors]);
    expect(s.n).toBe(4);
    expect(s.cl.median).toBeCloseTo(0.01, 12); // [0.01, 0.01, 0.01, 0.05]
    expect(s.cl.max).toBeCloseTo(0.05, 12);
  });

  it('pointViolations lists exactly the exceeded per-point tolerances', () => {
    const r: PolarPoint = { alpha: 4, cl: 0.7, cd: 0.01, cm: -0.05, xtrTop: 0.4, xtrBot: 1 };
    expect(pointViolations(pointErrors({ ...r, cl: 0.72, cd: 0.0109, cm: -0.059 }, r))).toEqual([]);
    const v = pointViolations(pointErrors({ ...r, cl: 0.74, cd: 0.0112, cm: -0.0395 }, r));
    expect(v).toHaveLength(3);
    expect(v[0]).toMatch(/\|dCl\| 0\.0400 > 0\.03/);
    expect(v[1]).toMatch(/Cd rel\. error 12\.0 % > 10 %/);
    expect(v[2]).toMatch(/\|dCm\| 0\.0105 > 0\.01/);
    expect(pointViolations(pointErrors({ ...r, cd: NaN }, r))).toHaveLength(1); // NaN never passes
  });
});

describe('interpolation for wind-tunnel comparisons', () => {
  it('interpolates linearly inside and returns NaN outside', () => {
    expect(interpolateLinear([0, 1, 2], [0, 10, 40], 1.5)).toBeCloseTo(25, 12);
    expect(interpolateLinear([2, 1, 0], [40, 10, 0], 0.25)).toBeCloseTo(2.5, 12); // descending x
    expect(interpolateLinear([0, 1], [0, 1], 1.01)).toBeNaN();
    expect(interpolateLinear([], [], 0)).toBeNaN();
    expect(interpolateLinear([3], [7], 3)).toBe(7);
  });

  it('polarAtAlpha reproduces a linear lift curve exactly', () => {
    const p = polar([-2, 0, 2, 4]);
    const expected = (2 * Math.PI * (1.3 * Math.PI)) / 180 + 0.25;
    expect(polarAtAlpha(p, 'cl', 1.3)).toBeCloseTo(expected, 12);
    expect(polarAtAlpha(p, 'cl', 4.5)).toBeNaN();
  });

  it('polarAtCl uses only the pre-stall branch (first CL maximum) of the drag polar', () => {
    const p: PolarPoint[] = [
      { alpha: 0, cl: 0.2, cd: 0.01, cm: 0, xtrTop: 1, xtrBot: 1 },
      { alpha: 4, cl: 0.6, cd: 0.012, cm: 0, xtrTop: 1, xtrBot: 1 },
      { alpha: 8, cl: 1.0, cd: 0.02, cm: 0, xtrTop: 1, xtrBot: 1 },
      { alpha: 12, cl: 0.8, cd: 0.08, cm: 0, xtrTop: 1, xtrBot: 1 }, // post stall, CL back at 0.8
    ];
    // CL 0.8 lies on the segment alpha 4..8 of the branch: cd = 0.012 + 0.5 * 0.008
    expect(polarAtCl(p, 'cd', 0.8)).toBeCloseTo(0.016, 12);
    expect(polarAtCl(p, 'alpha', 0.8)).toBeCloseTo(6, 12);
    expect(polarAtCl(p, 'cd', 1.1)).toBeNaN();
  });
});
