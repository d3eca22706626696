/**
 * Cubic splines of airfoil contours parametrized by cumulative chord length, in the manner of
 * XFOIL's SCALC / SEGSPL / SEVAL / LEFIND (implemented here from the published description):
 *
 * - the parameter `s` is the cumulative length of the polyline through the nodes (not the exact
 *   arc length of the spline, so |r'(s)| is close to, but not exactly, 1);
 * - each coordinate is a C2 piecewise cubic in Hermite form (values and slopes at the nodes);
 * - the end conditions are "zero third derivative" on the first and last interval of every segment;
 * - a doubled point (two consecutive nodes at the same position, so equal `s`) is a corner: the
 *   contour is split there into independent spline segments that only share the point.
 *
 * Everything works on Float64Array; evaluation writes into caller-owned objects and allocates nothing.
 */

/** A 2-D parametric spline x(s), y(s) through contour nodes. */
export interface Spline {
  /** number of nodes */
  readonly n: number;
  /** cumulative chord length at the nodes, s[0] = 0 (equal at a doubled point / corner) */
  readonly s: Float64Array;
  /** node x coordinates (a copy of the input) */
  readonly x: Float64Array;
  /** node y coordinates (a copy of the input) */
  readonly y: Float64Array;
  /** dx/ds at the nodes */
  readonly xs: Float64Array;
  /** dy/ds at the nodes */
  readonly ys: Float64Array;
}

/** Position and first/second s-derivatives of a spline at one parameter value. */
export interface SplinePoint {
  x: number;
  y: number;
  /** dx/ds */
  dx: number;
  /** dy/ds */
  dy: number;
  /** d2x/ds2 */
  ddx: number;
  /** d2y/ds2 */
  ddy: number;
}

/** A zeroed SplinePoint, to be reused across evaluations. */
export function newSplinePoint(): SplinePoint {
  return { x: 0, y: 0, dx: 0, dy: 0, ddx: 0, ddy: 0 };
}

/**
 * Cumulative chord length of the polyline (x, y): out[0] = 0, out[i] = out[i-1] + |P_i - P_(i-1)|.
 * Consecutive identical points give equal values (a corner, see the module comment).
 */
export function arcLength(x: Float64Array, y: Float64Array, out?: Float64Array): Float64Array {
  const n = x.length;
  const s = out && out.length === n ? out : new Float64Array(n);
  s[0] = 0;
  for (let i = 1; i < n; i++) s[i] = s[i - 1] + Math.hypot(x[i] - x[i - 1], y[i] - y[i - 1]);
  return s;
}

/**
 * Slopes df/ds at the nodes of the C2 cubic spline f(s) through (s, f), with zero third derivative
 * at both ends of every segment; segments are split where s[i] == s[i+1] (corner). `work` (length
 * >= 2n, optional) avoids allocation. Returns `out`.
 */
export function splineSlopes(
  f: Float64Array,
  s: Float64Array,
  out?: Float64Array,
  work?: Float64Array,
): Float64Array {
  const n = f.length;
  const fs = out && out.length === n ? out : new Float64Array(n);
  const w = work && work.length >= 2 * n ? work : new Float64Array(2 * n);
  let i0 = 0;
  while (i0 < n) {
    let i1 = i0;
    while (i1 + 1 < n && s[i1 + 1] !== s[i1]) i1++;
    segmentSlopes(f, s, fs, i0, i1, w, n);
    i0 = i1 + 1;
  }
  return fs;
}

/**
 * Slopes on one corner-free segment i0..i1 (inclusive). Tridiagonal system (Thomas algorithm):
 * interior rows are second-derivative continuity
 *   fs[i-1]/h0 + 2 fs[i] (1/h0 + 1/h1) + fs[i+1]/h1 = 3 (d0/h0^2 + d1/h1^2),
 * end rows are zero third derivative on the end interval: fs[a] + fs[b] = 2 d/h.
 * Storage: w[0..n) holds the modified super-diagonal, w[n..2n) the modified right-hand side.
 */
function segmentSlopes(
  f: Float64Array,
  s: Float64Array,
  fs: Float64Array,
  i0: number,
  i1: number,
  w: Float64Array,
  n: number,
): void {
  const m = i1 - i0 + 1;
  if (m === 1) {
    fs[i0] = 0;
    return;
  }
  if (m === 2) {
    const slope = (f[i1] - f[i0]) / (s[i1] - s[i0]);
    fs[i0] = slope;
    fs[i1] = slope;
    return;
  }
  // row i0: 1*fs0 + 1*fs1 = 2 d/h
  let h = s[i0 + 1] - s[i0];
  let cPrev = 1; // super-diagonal after normalization (diag = 1)
  let rPrev = (2 * (f[i0 + 1] - f[i0])) / h;
  w[i0] = cPrev;
  w[n + i0] = rPrev;
  for (let i = i0 + 1; i < i1; i++) {
    const h0 = s[i] - s[i - 1];
    const h1 = s[i + 1] - s[i];
    const a = 1 / h0;
    const b = 2 * (1 / h0 + 1 / h1);
    const c = 1 / h1;
    const r = 3 * ((f[i] - f[i - 1]) / (h0 * h0) + (f[i + 1] - f[i]) / (h1 * h1));
    const den = b - a * cPrev;
    cPrev = c / den;
    rPrev = (r - a * rPrev) / den;
    w[i] = cPrev;
    w[n + i] = rPrev;
  }
  // last row: 1*fs[i1-1] + 1*fs[i1] = 2 d/h
  h = s[i1] - s[i1 - 1];
  const rLast = (2 * (f[i1] - f[i1 - 1])) / h;
  fs[i1] = (rLast - rPrev) / (1 - cPrev);
  for (let i = i1 - 1; i >= i0; i--) fs[i] = w[n + i] - w[i] * fs[i + 1];
}

/**
 * Index i of the interval [s[i], s[i+1]] (of nonzero length) holding sq, by binary search; values
 * outside [s[0], s[n-1]] map to the end intervals (extrapolation). At a corner value the interval
 * after the corner is returned.
 */
export function findInterval(s: Float64Array, sq: number): number {
  const n = s.length;
  let lo = 0;
  let hi = n - 1;
  // largest i with s[i] <= sq (or 0)
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (s[mid] <= sq) lo = mid;
    else hi = mid;
  }
  let i = lo;
  if (i > n - 2) i = n - 2;
  while (i > 0 && s[i + 1] === s[i]) i--;
  return i;
}

/** Value at sq of the spline (s, f, fs) on interval i (from findInterval). */
export function cubicValue(
  f: ArrayLike<number>,
  fs: ArrayLike<number>,
  s: ArrayLike<number>,
  i: number,
  sq: number,
): number {
  const h = s[i + 1] - s[i];
  const t = (sq - s[i]) / h;
  const d = f[i + 1] - f[i];
  const c1 = h * fs[i] - d;
  const c2 = h * fs[i + 1] - d;
  return t * f[i + 1] + (1 - t) * f[i] + (t - t * t) * ((1 - t) * c1 - t * c2);
}

/** df/ds at sq of the spline (s, f, fs) on interval i. */
export function cubicSlope(
  f: ArrayLike<number>,
  fs: ArrayLike<number>,
  s: ArrayLike<number>,
  i: number,
  sq: number,
): number {
  const h = s[i + 1] - s[i];
  const t = (sq - s[i]) / h;
  const d = f[i + 1] - f[i];
  const c1 = h * fs[i] - d;
  const c2 = h * fs[i + 1] - d;
  return (d + (1 - 4 * t + 3 * t * t) * c1 + t * (3 * t - 2) * c2) / h;
}

/** d2f/ds2 at sq of the spline (s, f, fs) on interval i. */
export function cubicSecond(
  f: ArrayLike<number>,
  fs: ArrayLike<number>,
  s: ArrayLike<number>,
  i: number,
  sq: number,
): number {
  const h = s[i + 1] - s[i];
  const t = (sq - s[i]) / h;
  const d = f[i + 1] - f[i];
  const c1 = h * fs[i] - d;
  const c2 = h * fs[i + 1] - d;
  return ((6 * t - 4) * c1 + (6 * t - 2) * c2) / (h * h);
}

/** 1-D spline value f(sq) with interval search (convenience for scalar splines such as curvature). */
export function evalScalarSpline(f: Float64Array, fs: Float64Array, s: Float64Array, sq: number): number {
  return cubicValue(f, fs, s, findInterval(s, sq), sq);
}

/**
 * Spline through the contour nodes (x, y), parametrized by cumulative chord length. Pass a previous
 * spline of the same node count as `reuse` to overwrite its storage instead of allocating.
 */
export function buildSpline(x: Float64Array, y: Float64Array, reuse?: Spline): Spline {
  const n = x.length;
  if (n < 2 || y.length !== n)
    throw new Error(`buildSpline: need >= 2 nodes and equal x/y lengths (got ${n}, ${y.length})`);
  const same = reuse !== undefined && reuse.n === n;
  const sp: Spline = same
    ? reuse
    : {
        n,
        s: new Float64Array(n),
        x: new Float64Array(n),
        y: new Float64Array(n),
        xs: new Float64Array(n),
        ys: new Float64Array(n),
      };
  if (sp.x !== x) sp.x.set(x);
  if (sp.y !== y) sp.y.set(y);
  arcLength(sp.x, sp.y, sp.s);
  if (sp.s[n - 1] <= 0) throw new Error('buildSpline: all nodes coincide');
  const work = new Float64Array(2 * n);
  splineSlopes(sp.x, sp.s, sp.xs, work);
  splineSlopes(sp.y, sp.s, sp.ys, work);
  return sp;
}

/** Total parameter length s[n-1] of a spline. */
export function splineLength(sp: Spline): number {
  return sp.s[sp.n - 1];
}

/** Fills `out` with x, y and their first and second s-derivatives at parameter sq. Returns `out`. */
export function evalSpline(sp: Spline, sq: number, out: SplinePoint): SplinePoint {
  const i = findInterval(sp.s, sq);
  out.x = cubicValue(sp.x, sp.xs, sp.s, i, sq);
  out.y = cubicValue(sp.y, sp.ys, sp.s, i, sq);
  out.dx = cubicSlope(sp.x, sp.xs, sp.s, i, sq);
  out.dy = cubicSlope(sp.y, sp.ys, sp.s, i, sq);
  out.ddx = cubicSecond(sp.x, sp.xs, sp.s, i, sq);
  out.ddy = cubicSecond(sp.y, sp.ys, sp.s, i, sq);
  return out;
}

/** x(sq) */
export function splineX(sp: Spline, sq: number): number {
  return cubicValue(sp.x, sp.xs, sp.s, findInterval(sp.s, sq), sq);
}

/** y(sq) */
export function splineY(sp: Spline, sq: number): number {
  return cubicValue(sp.y, sp.ys, sp.s, findInterval(sp.s, sq), sq);
}

/** Signed curvature (x'y'' - y'x'')/|r'|^3 of an evaluated point (positive = turning left). */
export function pointCurvature(p: SplinePoint): number {
  const q = p.dx * p.dx + p.dy * p.dy;
  return (p.dx * p.ddy - p.dy * p.ddx) / (q * Math.sqrt(q));
}

const scratchPoint = newSplinePoint();

/**
 * Signed curvature at sq; for a counterclockwise contour (the Airfoil node order) it is positive
 * where the surface is convex. Units: 1/length.
 */
export function splineCurvature(sp: Spline, sq: number): number {
  return pointCurvature(evalSpline(sp, sq, scratchPoint));
}

/** Leading edge found on the spline: parameter and position. */
export interface LeadingEdge {
  s: number;
  x: number;
  y: number;
}

/**
 * Leading edge as XFOIL's LEFIND defines it: the spline point whose tangent is perpendicular to the
 * line from the trailing-edge midpoint r_TE = (P_first + P_last)/2, i.e. a root of
 *   g(s) = (r(s) - r_TE) . r'(s)
 * (a stationary point of the distance to r_TE). Among the roots, the one farthest from r_TE is taken
 * (g changes sign from + to - there, scanning in node order). The root is bracketed on one spline
 * interval and refined by Newton's method (g' = |r'|^2 + (r - r_TE) . r'') with bisection safeguard.
 * A corner (doubled point) where g jumps from + to - is itself the leading edge (sharp LE).
 */
export function findLeadingEdge(sp: Spline): LeadingEdge {
  const { n, s, x, y, xs, ys } = sp;
  const xte = 0.5 * (x[0] + x[n - 1]);
  const yte = 0.5 * (y[0] + y[n - 1]);
  let bestD2 = -1;
  let bestI = -1; // bracketing interval [i, i+1] or, for a corner, the corner index with bestCorner
  let bestCorner = false;
  let gPrev = (x[0] - xte) * xs[0] + (y[0] - yte) * ys[0];
  for (let i = 1; i < n; i++) {
    const g = (x[i] - xte) * xs[i] + (y[i] - yte) * ys[i];
    if (gPrev > 0 && g <= 0) {
      const corner = s[i] === s[i - 1];
      // candidate distance: the larger node distance of the bracket
      const d2 = Math.max(
        (x[i] - xte) ** 2 + (y[i] - yte) ** 2,
        (x[i - 1] - xte) ** 2 + (y[i - 1] - yte) ** 2,
      );
      if (d2 > bestD2) {
        bestD2 = d2;
        bestI = i - 1;
        bestCorner = corner;
      }
    }
    gPrev = g;
  }
  if (bestI < 0) {
    // no sign change (degenerate contour): take the node farthest from the TE midpoint
    let k = 0;
    for (let i = 0; i < n; i++) {
      const d2 = (x[i] - xte) ** 2 + (y[i] - yte) ** 2;
      if (d2 > bestD2) {
        bestD2 = d2;
        k = i;
      }
    }
    return { s: s[k], x: x[k], y: y[k] };
  }
  if (bestCorner) return { s: s[bestI], x: x[bestI], y: y[bestI] };
  const i = bestI;
  let a = s[i];
  let b = s[i + 1];
  let sq = 0.5 * (a + b);
  const tol = 1e-14 * (s[n - 1] + 1);
  for (let it = 0; it < 60; it++) {
    const px = cubicValue(x, xs, s, i, sq) - xte;
    const py = cubicValue(y, ys, s, i, sq) - yte;
    const dx = cubicSlope(x, xs, s, i, sq);
    const dy = cubicSlope(y, ys, s, i, sq);
    const g = px * dx + py * dy;
    if (g > 0) a = sq;
    else b = sq;
    const gp = dx * dx + dy * dy + px * cubicSecond(x, xs, s, i, sq) + py * cubicSecond(y, ys, s, i, sq);
    let next = sq - g / gp;
    if (!(next > a && next < b)) next = 0.5 * (a + b);
    const step = Math.abs(next - sq);
    sq = next;
    if (step < tol || b - a < tol) break;
  }
  return { s: sq, x: cubicValue(x, xs, s, i, sq), y: cubicValue(y, ys, s, i, sq) };
}
