/**
 * Statistics of one polar against a reference polar (ours vs XFOIL 6.99, or either vs a wind
 * tunnel): matching the points both converged, per-point errors, medians and 95th percentiles, and
 * the acceptance criteria of the solver. Pure functions, no I/O.
 *
 * Percentile definition (used for every p95 here): linear interpolation between order statistics,
 * Hyndman & Fan type 7 (the default of NumPy `percentile`, R `quantile` and Excel PERCENTILE.INC):
 * with the values sorted ascending as v_0..v_(n-1), h = (n - 1) p / 100 and
 * P_p = v_floor(h) + (h - floor(h)) (v_ceil(h) - v_floor(h)). The median is P_50 (the mean of the two
 * middle values for even n).
 */
import { FoiloptError } from '../errors';

/** Acceptance criteria of the solver against XFOIL 6.99 over the validation matrix (points converged by both). */
export const ACCEPTANCE = {
  /** median |CL - CL_xfoil| */
  clMedian: 0.01,
  /** median |CD - CD_xfoil| / CD_xfoil */
  cdRelMedian: 0.03,
  /** median |CM - CM_xfoil| */
  cmMedian: 0.005,
  /** median |x_tr - x_tr,xfoil| / c over both surfaces */
  xtrMedian: 0.02,
  /** our wall time per converged point / XFOIL's */
  speedRatio: 1.5,
} as const;

/** Per-point tolerances of the fast fixture test (every point converged by both must meet them). */
export const POINT_TOLERANCE = {
  /** |CL - CL_xfoil| */
  cl: 0.03,
  /** |CD - CD_xfoil| / CD_xfoil */
  cdRel: 0.1,
  /** |CM - CM_xfoil| */
  cm: 0.01,
} as const;

/** Alphas closer than this (degrees) are the same operating point (XFOIL prints alpha with 3 decimals). */
export const ALPHA_MATCH_TOLERANCE_DEG = 5e-4;

/** One operating point of a polar: the scalar fields of PointResult (`converged` absent = converged). */
export interface PolarPoint {
  alpha: number;
  cl: number;
  cd: number;
  cm: number;
  xtrTop: number;
  xtrBot: number;
  converged?: boolean;
}

/** Errors of one point against the reference point at the same alpha (all absolute values). */
export interface PointErrors {
  alpha: number;
  /** |CL - CL_ref| */
  dCl: number;
  /** |CD - CD_ref| / CD_ref */
  cdRel: number;
  /** |CM - CM_ref| */
  dCm: number;
  /** |x_tr,top - x_tr,top,ref| (chord fractions) */
  dXtrTop: number;
  /** |x_tr,bot - x_tr,bot,ref| */
  dXtrBot: number;
}

/** n, median, 95th percentile (type 7, see the module comment) and maximum of a sample; NaN when empty. */
export interface Distribution {
  n: number;
  median: number;
  p95: number;
  max: number;
}

/** Pooled error distributions of a set of matched points. */
export interface ErrorSummary {
  /** points (pairs) pooled */
  n: number;
  cl: Distribution;
  cdRel: Distribution;
  cm: Distribution;
  /** both surfaces pooled: 2 samples per point */
  xtr: Distribution;
}

/** Our polar against a reference polar. */
export interface PolarComparison extends ErrorSummary {
  /** points of the reference that are usable (converged, finite) */
  nRef: number;
  /** points of ours that are usable */
  nOurs: number;
  /** points flagged converged but with a non-finite CL, CD or CM (a solver bug: never allowed) */
  nUnflaggedNaN: number;
  /** alphas usable in ours only / in the reference only */
  onlyOurs: number[];
  onlyRef: number[];
  /** per-point errors of the points usable in both, in our order */
  errors: PointErrors[];
}

/** Sorted ascending copy with NaN removed. */
function sortedFinite(values: ArrayLike<number>): Float64Array {
  const out: number[] = [];
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i])) out.push(values[i]);
  return Float64Array.from(out).sort();
}

/** Type-7 percentile of an already sorted sample (NaN when empty). */
function percentileSorted(v: Float64Array, p: number): number {
  const n = v.length;
  if (n === 0) return NaN;
  const h = ((n - 1) * p) / 100;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  return v[lo] + (h - lo) * (v[hi] - v[lo]);
}

/**
 * p-th percentile (0 <= p <= 100) by linear interpolation between order statistics (type 7, see
 * the module comment); NaN entries are ignored; NaN for an empty sample.
 */
export function percentile(values: ArrayLike<number>, p: number): number {
  if (!(p >= 0 && p <= 100)) throw new FoiloptError(`percentile must be in [0, 100], got ${p}`);
  return percentileSorted(sortedFinite(values), p);
}

/** Median (type-7 50th percentile: the mean of the two middle values for an even count); NaN when empty. */
export function median(values: ArrayLike<number>): number {
  return percentile(values, 50);
}

/** n, median, p95, max of a sample (NaN entries ignored). */
export function distribution(values: ArrayLike<number>): Distribution {
  const v = sortedFinite(values);
  return {
    n: v.length,
    median: percentileSorted(v, 50),
    p95: percentileSorted(v, 95),
    max: v.length ? v[v.length - 1] : NaN,
  };
}

/** True when a point counts as a result: converged (or not flagged otherwise) and CL, CD, CM finite. */
export function isUsablePoint(p: PolarPoint): boolean {
  return p.converged !== false && Number.isFinite(p.cl) && Number.isFinite(p.cd) && Number.isFinite(p.cm);
}

/** Errors of `ours` against `ref` (same operating point). */
export function pointErrors(ours: PolarPoint, ref: PolarPoint): PointErrors {
  return {
    alpha: ref.alpha,
    dCl: Math.abs(ours.cl - ref.cl),
    cdRel: Math.abs(ours.cd - ref.cd) / Math.abs(ref.cd),
    dCm: Math.abs(ours.cm - ref.cm),
    dXtrTop: Math.abs(ours.xtrTop - ref.xtrTop),
    dXtrBot: Math.abs(ours.xtrBot - ref.xtrBot),
  };
}

/**
 * Pairs the usable points of two polars by alpha (within ALPHA_MATCH_TOLERANCE_DEG; each reference
 * point is used once). Returns the pairs in our order and the alphas usable on one side only.
 */
export function matchPoints(
  ours: readonly PolarPoint[],
  ref: readonly PolarPoint[],
  alphaTolDeg = ALPHA_MATCH_TOLERANCE_DEG,
): { pairs: Array<[PolarPoint, PolarPoint]>; onlyOurs: number[]; onlyRef: number[] } {
  const refUsable = ref.filter(isUsablePoint);
  const used = new Uint8Array(refUsable.length);
  const pairs: Array<[PolarPoint, PolarPoint]> = [];
  const onlyOurs: number[] = [];
  for (const p of ours) {
    if (!isUsablePoint(p)) continue;
    let j = -1;
    for (let k = 0; k < refUsable.length; k++) {
      if (!used[k] && Math.abs(refUsable[k].alpha - p.alpha) <= alphaTolDeg) {
        j = k;
        break;
      }
    }
    if (j < 0) onlyOurs.push(p.alpha);
    else {
      used[j] = 1;
      pairs.push([p, refUsable[j]]);
    }
  }
  const onlyRef = refUsable.filter((_, k) => !used[k]).map((p) => p.alpha);
  return { pairs, onlyOurs, onlyRef };
}

/** Pooled distributions of per-point errors (e.g. of all cases of the matrix together). */
export function summarizeErrors(errors: readonly PointErrors[]): ErrorSummary {
  const xtr: number[] = [];
  for (const e of errors) xtr.push(e.dXtrTop, e.dXtrBot);
  return {
    n: errors.length,
    cl: distribution(errors.map((e) => e.dCl)),
    cdRel: distribution(errors.map((e) => e.cdRel)),
    cm: distribution(errors.map((e) => e.dCm)),
    xtr: distribution(xtr),
  };
}

/** Compares our polar with a reference polar over the points usable in both. */
export function comparePolars(ours: readonly PolarPoint[], ref: readonly PolarPoint[]): PolarComparison {
  const { pairs, onlyOurs, onlyRef } = matchPoints(ours, ref);
  const errors = pairs.map(([o, r]) => pointErrors(o, r));
  let nUnflaggedNaN = 0;
  for (const p of ours) {
    if (p.converged !== false && !(Number.isFinite(p.cl) && Number.isFinite(p.cd) && Number.isFinite(p.cm))) {
      nUnflaggedNaN++;
    }
  }
  return {
    ...summarizeErrors(errors),
    nRef: ref.filter(isUsablePoint).length,
    nOurs: ours.filter(isUsablePoint).length,
    nUnflaggedNaN,
    onlyOurs,
    onlyRef,
    errors,
  };
}

/** Violations of the per-point tolerances (empty when the point passes), as readable strings. */
export function pointViolations(e: PointErrors, tol: typeof POINT_TOLERANCE = POINT_TOLERANCE): string[] {
  const out: string[] = [];
  if (!(e.dCl <= tol.cl)) out.push(`alpha ${e.alpha}: |dCl| ${e.dCl.toFixed(4)} > ${tol.cl}`);
  if (!(e.cdRel <= tol.cdRel)) {
    out.push(`alpha ${e.alpha}: Cd rel. error ${(100 * e.cdRel).toFixed(1)} % > ${100 * tol.cdRel} %`);
  }
  if (!(e.dCm <= tol.cm)) out.push(`alpha ${e.alpha}: |dCm| ${e.dCm.toFixed(4)} > ${tol.cm}`);
  return out;
}

/** One acceptance criterion evaluated. */
export interface CriterionResult {
  name: string;
  value: number;
  limit: number;
  pass: boolean;
}

/**
 * The acceptance criteria (ACCEPTANCE) evaluated on pooled errors and, when given, the speed ratio
 * (our ms per converged point / XFOIL's). A NaN value (no matched points) fails.
 */
export function checkAcceptance(s: ErrorSummary, speedRatio?: number): CriterionResult[] {
  const r: CriterionResult[] = [
    { name: 'median |dCl|', value: s.cl.median, limit: ACCEPTANCE.clMedian, pass: false },
    { name: 'median Cd rel. error', value: s.cdRel.median, limit: ACCEPTANCE.cdRelMedian, pass: false },
    { name: 'median |dCm|', value: s.cm.median, limit: ACCEPTANCE.cmMedian, pass: false },
    { name: 'median transition |dx/c|', value: s.xtr.median, limit: ACCEPTANCE.xtrMedian, pass: false },
  ];
  if (speedRatio !== undefined) {
    r.push({ name: 'time per point / XFOIL', value: speedRatio, limit: ACCEPTANCE.speedRatio, pass: false });
  }
  for (const c of r) c.pass = c.value <= c.limit;
  return r;
}

/**
 * Linear interpolation of y(x) at xq on the first segment [x_i, x_(i+1)] that contains xq (x need
 * not be monotonic: the first bracketing segment in array order is used); NaN when no segment
 * contains xq (no extrapolation) or the arrays are empty.
 */
export function interpolateLinear(x: ArrayLike<number>, y: ArrayLike<number>, xq: number): number {
  const n = Math.min(x.length, y.length);
  if (n === 1 && x[0] === xq) return y[0];
  for (let i = 0; i + 1 < n; i++) {
    const x0 = x[i];
    const x1 = x[i + 1];
    if ((xq >= x0 && xq <= x1) || (xq <= x0 && xq >= x1)) {
      if (x1 === x0) return y[i];
      const t = (xq - x0) / (x1 - x0);
      return y[i] + t * (y[i + 1] - y[i]);
    }
  }
  return NaN;
}

/**
 * A polar quantity at a given CL on the pre-stall branch: the usable points sorted by alpha from the
 * one with the smallest CL to the one with the largest, interpolated linearly in CL (NaN outside).
 * Used for drag polars (CD at the measured CL).
 */
export function polarAtCl(points: readonly PolarPoint[], value: 'cd' | 'cm' | 'alpha', cl: number): number {
  const p = points.filter(isUsablePoint).sort((a, b) => a.alpha - b.alpha);
  if (p.length === 0) return NaN;
  let iMin = 0;
  let iMax = 0;
  for (let i = 1; i < p.length; i++) {
    if (p[i].cl < p[iMin].cl) iMin = i;
    if (p[i].cl > p[iMax].cl) iMax = i;
  }
  const branch = iMin <= iMax ? p.slice(iMin, iMax + 1) : p.slice(iMax, iMin + 1);
  return interpolateLinear(
    branch.map((q) => q.cl),
    branch.map((q) => q[value]),
    cl,
  );
}

/** A polar quantity at a given alpha (usable points sorted by alpha, linear, NaN outside). */
export function polarAtAlpha(
  points: readonly PolarPoint[],
  value: 'cl' | 'cd' | 'cm',
  alphaDeg: number,
): number {
  const p = points.filter(isUsablePoint).sort((a, b) => a.alpha - b.alpha);
  return interpolateLinear(
    p.map((q) => q.alpha),
    p.map((q) => q[value]),
    alphaDeg,
  );
}
