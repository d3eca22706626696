/**
 * Fitting machinery shared by the built-in parametrizations: (bounded) linear least squares,
 * a bounded Levenberg-Marquardt solver, splitting a target airfoil into its surfaces, and the
 * generic geometric fit (least squares on the distances from the target's points to the
 * parametrization's node polyline).
 */
import { CholeskyDecomposition, Matrix, QrDecomposition } from 'ml-matrix';
import { FoiloptError } from '../../errors';
import { leadingEdge, normalize } from '../normalize';
import { arcLength, buildSpline, evalScalarSpline, findInterval, type Spline } from '../spline';
import type { Airfoil } from '../types';
import { jacobianOf } from './common';
import type { FitResult, Parametrization } from './types';

/**
 * Least-squares solution of A p ~= b (A row-major, m x n) with a small Tikhonov term:
 * minimizes |A p - b|^2 + ridge * sum_j (|A_j| p_j)^2 (ridge relative to each column norm |A_j|,
 * so it is scale-invariant). Solved by QR of the column-scaled, ridge-augmented matrix.
 * Columns that are identically zero get p_j = 0.
 */
export function linearLeastSquares(
  a: Float64Array,
  b: Float64Array,
  m: number,
  n: number,
  ridge = 1e-12,
): Float64Array {
  const scale = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let i = 0; i < m; i++) s += a[i * n + j] * a[i * n + j];
    scale[j] = s > 0 ? 1 / Math.sqrt(s) : 0;
  }
  const sr = Math.sqrt(ridge);
  const rows = m + n;
  const mat = new Matrix(rows, n);
  const rhs = new Matrix(rows, 1);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) mat.set(i, j, a[i * n + j] * scale[j]);
    rhs.set(i, 0, b[i]);
  }
  // ridge rows; a zero column gets a unit row so that its (zero) solution is determined
  for (let j = 0; j < n; j++) mat.set(m + j, j, scale[j] > 0 ? sr : 1);
  const sol = new QrDecomposition(mat).solve(rhs);
  const p = new Float64Array(n);
  for (let j = 0; j < n; j++) p[j] = sol.get(j, 0) * scale[j];
  return p;
}

/**
 * Linear least squares with bounds lower <= p <= upper by a simple active-set loop: solve the free
 * problem, fix the most-violated variables at their bounds, re-solve for the rest, and release a
 * fixed variable when the residual gradient pulls it back inside. Exact for the usual case of no or
 * few active bounds (the built-ins' bounds are wide).
 */
export function boundedLinearLeastSquares(
  a: Float64Array,
  b: Float64Array,
  m: number,
  n: number,
  lower: Float64Array,
  upper: Float64Array,
  ridge = 1e-12,
): Float64Array {
  const fixed = new Float64Array(n).fill(NaN); // NaN = free, else the bound value
  const p = new Float64Array(n);
  for (let pass = 0; pass < 2 * n + 2; pass++) {
    const free: number[] = [];
    for (let j = 0; j < n; j++) if (Number.isNaN(fixed[j])) free.push(j);
    const nf = free.length;
    const af = new Float64Array(m * nf);
    const bf = Float64Array.from(b);
    for (let i = 0; i < m; i++) {
      for (let k = 0; k < nf; k++) af[i * nf + k] = a[i * n + free[k]];
      for (let j = 0; j < n; j++) if (!Number.isNaN(fixed[j])) bf[i] -= a[i * n + j] * fixed[j];
    }
    const pf = nf > 0 ? linearLeastSquares(af, bf, m, nf, ridge) : new Float64Array(0);
    for (let j = 0; j < n; j++) p[j] = Number.isNaN(fixed[j]) ? 0 : fixed[j];
    for (let k = 0; k < nf; k++) p[free[k]] = pf[k];
    // most violated free variable -> fix it
    let worst = -1;
    let worstViol = 0;
    for (const j of free) {
      const viol = Math.max(lower[j] - p[j], p[j] - upper[j]) / (upper[j] - lower[j] || 1);
      if (viol > worstViol) {
        worstViol = viol;
        worst = j;
      }
    }
    if (worst >= 0) {
      fixed[worst] = p[worst] < lower[worst] ? lower[worst] : upper[worst];
      continue;
    }
    // release a fixed variable whose gradient points inside (descent direction -g)
    let released = false;
    for (let j = 0; j < n && !released; j++) {
      if (Number.isNaN(fixed[j])) continue;
      let g = 0;
      for (let i = 0; i < m; i++) {
        let r = -b[i];
        for (let k = 0; k < n; k++) r += a[i * n + k] * p[k];
        g += a[i * n + j] * r;
      }
      if ((fixed[j] === lower[j] && g < 0) || (fixed[j] === upper[j] && g > 0)) {
        fixed[j] = NaN;
        released = true;
      }
    }
    if (!released) break;
  }
  return p;
}

/** A nonlinear least-squares problem min 1/2 |r(p)|^2 for levenbergMarquardt. */
export interface LeastSquaresProblem {
  nVars: number;
  nResiduals: number;
  /** writes r(p) into `r` and, when `jac` is given, dr/dp into it (row-major nResiduals x nVars) */
  evaluate(p: Float64Array, r: Float64Array, jac?: Float64Array): void;
}

/** Options of levenbergMarquardt / fitByDistance. */
export interface LmOptions {
  /** fitByDistance only: bounds to use instead of the parametrization's (e.g. to freeze variables) */
  lower?: Float64Array;
  /** fitByDistance only: see `lower` */
  upper?: Float64Array;
  /** maximum accepted + rejected steps (default 200) */
  maxIterations?: number;
  /** stop when the relative cost decrease of an accepted step is below this (default 1e-15) */
  relativeTolerance?: number;
}

/**
 * Bounded Levenberg-Marquardt (Marquardt's diagonal scaling): steps solve
 * (J^T J + mu diag(J^T J)) d = -J^T r over the variables not held at an active bound (a bound is
 * active when the variable sits on it and the gradient pushes outward); the trial point is clipped
 * to the bounds and accepted if it lowers the cost. Returns the best point found.
 */
export function levenbergMarquardt(
  problem: LeastSquaresProblem,
  p0: Float64Array,
  lower: Float64Array,
  upper: Float64Array,
  options: LmOptions = {},
): Float64Array {
  const n = problem.nVars;
  const m = problem.nResiduals;
  const maxIt = options.maxIterations ?? 200;
  const tol = options.relativeTolerance ?? 1e-15;
  const p = new Float64Array(n);
  for (let j = 0; j < n; j++) p[j] = Math.min(upper[j], Math.max(lower[j], p0[j]));
  const r = new Float64Array(m);
  const rTrial = new Float64Array(m);
  const jac = new Float64Array(m * n);
  const trial = new Float64Array(n);
  const g = new Float64Array(n);
  const jtj = new Float64Array(n * n);
  problem.evaluate(p, r, jac);
  let cost = sumSq(r);
  let mu = 1e-3;
  let needJ = false;
  for (let it = 0; it < maxIt && cost > 0; it++) {
    if (needJ) {
      problem.evaluate(p, r, jac);
      needJ = false;
    }
    jtj.fill(0);
    g.fill(0);
    for (let i = 0; i < m; i++) {
      const ri = r[i];
      const row = i * n;
      for (let j = 0; j < n; j++) {
        const jij = jac[row + j];
        if (jij === 0) continue;
        g[j] += jij * ri;
        for (let k = j; k < n; k++) jtj[j * n + k] += jij * jac[row + k];
      }
    }
    const free: number[] = [];
    let maxDiag = 0;
    for (let j = 0; j < n; j++) maxDiag = Math.max(maxDiag, jtj[j * n + j]);
    for (let j = 0; j < n; j++) {
      const atLower = p[j] <= lower[j] && g[j] > 0;
      const atUpper = p[j] >= upper[j] && g[j] < 0;
      if (!atLower && !atUpper && jtj[j * n + j] > 1e-300) free.push(j);
    }
    const nf = free.length;
    if (nf === 0) break;
    const floor = 1e-12 * maxDiag;
    let accepted = false;
    while (!accepted && mu < 1e16) {
      const a = new Matrix(nf, nf);
      const rhs = new Matrix(nf, 1);
      for (let u = 0; u < nf; u++) {
        const ju = free[u];
        for (let v = 0; v < nf; v++) {
          const jv = free[v];
          a.set(u, v, ju <= jv ? jtj[ju * n + jv] : jtj[jv * n + ju]);
        }
        a.set(u, u, a.get(u, u) + mu * Math.max(jtj[ju * n + ju], floor));
        rhs.set(u, 0, -g[ju]);
      }
      const chol = new CholeskyDecomposition(a);
      if (!chol.isPositiveDefinite()) {
        mu *= 10;
        continue;
      }
      const d = chol.solve(rhs);
      trial.set(p);
      let stepNorm = 0;
      for (let u = 0; u < nf; u++) {
        const j = free[u];
        trial[j] = Math.min(upper[j], Math.max(lower[j], p[j] + d.get(u, 0)));
        stepNorm = Math.max(stepNorm, Math.abs(trial[j] - p[j]) / (1 + Math.abs(p[j])));
      }
      problem.evaluate(trial, rTrial);
      const costTrial = sumSq(rTrial);
      if (costTrial < cost) {
        const decrease = (cost - costTrial) / cost;
        p.set(trial);
        r.set(rTrial);
        cost = costTrial;
        mu = Math.max(mu / 3, 1e-12);
        accepted = true;
        needJ = true;
        if (decrease < tol || stepNorm < 1e-15) return p;
      } else {
        if (stepNorm < 1e-15) return p;
        mu *= 4;
      }
      it++;
      if (it >= maxIt) return p;
    }
    if (!accepted) break;
  }
  return p;
}

function sumSq(r: Float64Array): number {
  let s = 0;
  for (let i = 0; i < r.length; i++) s += r[i] * r[i];
  return s;
}

/** Tolerance (chord units) of isUnitFrame. */
export const UNIT_FRAME_TOLERANCE = 1e-7;

/**
 * True when an airfoil is already in the unit chord frame of the parametrizations: its leftmost
 * node is at (0, 0) and its TE midpoint (first + last node)/2 at (1, 0), within
 * UNIT_FRAME_TOLERANCE.
 */
export function isUnitFrame(a: Airfoil): boolean {
  const n = a.x.length;
  let iLE = 0;
  for (let i = 1; i < n; i++) if (a.x[i] < a.x[iLE]) iLE = i;
  const tol = UNIT_FRAME_TOLERANCE;
  return (
    Math.abs(a.x[iLE]) <= tol &&
    Math.abs(a.y[iLE]) <= tol &&
    Math.abs(0.5 * (a.x[0] + a.x[n - 1]) - 1) <= tol &&
    Math.abs(0.5 * (a.y[0] + a.y[n - 1])) <= tol
  );
}

/**
 * The fit frame of a target: the target itself when it is already in the unit frame (isUnitFrame:
 * e.g. generated shapes and most tabulated files, whose LE node is the published nose), else
 * normalize(target, {derotate: true}) (XFOIL's spline LE at (0, 0), TE midpoint at (1, 0)).
 * Re-normalizing a unit-frame shape would move it by the spline LE's error, which is O(node
 * spacing) at a nose with unequal upper/lower curvature (1e-4 chord for 100 cosine points per side).
 */
export function fitFrame(target: Airfoil): Airfoil {
  return isUnitFrame(target) ? target : normalize(target, { derotate: true });
}

/** The target's nodes split at its spline leading edge (XFOIL's LEFIND, see normalize.ts). */
export interface SurfaceSplit {
  /** spline through the target's nodes */
  spline: Spline;
  /** spline parameter of the leading edge */
  sLE: number;
  /** indices of the nodes before the LE (upper surface, Selig order) */
  upper: number[];
  /** indices of the nodes after the LE (lower surface) */
  lower: number[];
}

/**
 * Splits an airfoil's nodes into upper (before the spline LE) and lower (after it) surfaces; a node
 * exactly at the LE belongs to neither. Throws a FoiloptError for fewer than 5 nodes.
 */
export function splitSurfaces(a: Airfoil): SurfaceSplit {
  const n = a.x.length;
  if (n < 5 || a.y.length !== n) {
    throw new FoiloptError(
      `airfoil "${a.name}" needs at least 5 nodes with matching x/y to be fitted, got ${n}`,
    );
  }
  const spline = buildSpline(a.x, a.y);
  const le = leadingEdge(a, spline);
  const s = arcLength(a.x, a.y);
  const tol = 1e-12 * s[n - 1];
  const upper: number[] = [];
  const lower: number[] = [];
  for (let i = 0; i < n; i++) {
    if (s[i] < le.s - tol) upper.push(i);
    else if (s[i] > le.s + tol) lower.push(i);
  }
  return { spline, sLE: le.s, upper, lower };
}

/**
 * y of one surface of a split target at abscissa xq, from its spline: solves x(s) = xq on the
 * surface's parameter range (upper: [0, sLE], lower: [sLE, sEnd]) by bisection + secant on the
 * bracketing spline interval. Outside the surface's x range, the nearest end's y is returned.
 */
export function surfaceYAt(split: SurfaceSplit, upperSurface: boolean, xq: number): number {
  const { spline, sLE } = split;
  const { s, x, xs, y, ys } = spline;
  const n = spline.n;
  const s0 = upperSurface ? 0 : sLE;
  const s1 = upperSurface ? sLE : s[n - 1];
  const fx = (sq: number): number => evalScalarSpline(x, xs, s, sq) - xq;
  // scan the node brackets of the surface for a sign change of x(s) - xq
  let a = s0;
  let fa = fx(a);
  if (fa === 0) return evalScalarSpline(y, ys, s, a);
  let b = NaN;
  let fb = NaN;
  for (let i = findInterval(s, s0) + 1; i <= n; i++) {
    const sb = i < n && s[i] < s1 ? s[i] : s1;
    const f = fx(sb);
    if (f === 0 || Math.sign(f) !== Math.sign(fa)) {
      b = sb;
      fb = f;
      break;
    }
    a = sb;
    fa = f;
    if (sb >= s1) break;
  }
  if (Number.isNaN(b)) {
    // no crossing: the nearer end in x
    const xa = evalScalarSpline(x, xs, s, s0);
    const xb = evalScalarSpline(x, xs, s, s1);
    return evalScalarSpline(y, ys, s, Math.abs(xq - xa) < Math.abs(xq - xb) ? s0 : s1);
  }
  // Illinois false position on [a, b]
  let side = 0;
  let sq = b;
  for (let it = 0; it < 100 && fb !== 0; it++) {
    sq = (a * fb - b * fa) / (fb - fa);
    const f = fx(sq);
    if (Math.abs(f) < 1e-15 || Math.abs(b - a) < 1e-15 * (1 + Math.abs(sq))) break;
    if (Math.sign(f) === Math.sign(fb)) {
      b = sq;
      fb = f;
      if (side === -1) fa /= 2;
      side = -1;
    } else {
      a = sq;
      fa = f;
      if (side === 1) fb /= 2;
      side = 1;
    }
  }
  return evalScalarSpline(y, ys, s, sq);
}

/** Nearest point on a polyline for one query point. */
export interface FootPoint {
  /** segment index k (between nodes k and k+1) */
  segment: number;
  /** position along the segment, 0..1 */
  t: number;
  /** distance from the query point */
  distance: number;
}

/** Nearest point on the open polyline (x, y) to (px, py); writes into `out`. */
export function nearestOnPolyline(
  x: Float64Array,
  y: Float64Array,
  px: number,
  py: number,
  out: FootPoint,
): FootPoint {
  let best = Infinity;
  let bestK = 0;
  let bestT = 0;
  for (let k = 0; k < x.length - 1; k++) {
    const ex = x[k + 1] - x[k];
    const ey = y[k + 1] - y[k];
    const e2 = ex * ex + ey * ey;
    let t = e2 > 0 ? ((px - x[k]) * ex + (py - y[k]) * ey) / e2 : 0;
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    const dx = x[k] + t * ex - px;
    const dy = y[k] + t * ey - py;
    const d2 = dx * dx + dy * dy;
    if (d2 < best) {
      best = d2;
      bestK = k;
      bestT = t;
    }
  }
  out.segment = bestK;
  out.t = bestT;
  out.distance = Math.sqrt(best);
  return out;
}

/**
 * Max and RMS of the distances from each target node to the polyline through a shape's nodes
 * (the deviation measure of the geometric fits; the polyline's chord error is O(kappa h^2 / 8),
 * about 3e-5 chord at mid-chord for 100 cosine-spaced points per side).
 */
export function polylineDeviation(
  target: Airfoil,
  shape: Airfoil,
): { maxDeviation: number; rmsDeviation: number } {
  const foot: FootPoint = { segment: 0, t: 0, distance: 0 };
  let max = 0;
  let sum = 0;
  const m = target.x.length;
  for (let i = 0; i < m; i++) {
    const d = nearestOnPolyline(shape.x, shape.y, target.x[i], target.y[i], foot).distance;
    max = Math.max(max, d);
    sum += d * d;
  }
  return { maxDeviation: max, rmsDeviation: Math.sqrt(sum / m) };
}

/**
 * Similarity transform applied to the (normalized) target by an aligned fit:
 * P' = exp(logScale) R(rotation) P + (dx, dy), rotation in radians (counterclockwise).
 */
export interface Alignment {
  dx: number;
  dy: number;
  rotation: number;
  logScale: number;
}

/** Bounds of the alignment variables (dx, dy, rotation_rad, logScale): a frame correction only. */
export const ALIGNMENT_LOWER = Float64Array.from([-0.02, -0.02, -0.02, -0.01]);
/** See ALIGNMENT_LOWER. */
export const ALIGNMENT_UPPER = Float64Array.from([0.02, 0.02, 0.02, 0.01]);

/** Options of fitByDistance. */
export interface DistanceFitOptions extends LmOptions {
  /**
   * also fit a small similarity transform of the target (Alignment, bounds ALIGNMENT_LOWER/UPPER),
   * to absorb the difference between the target's chord frame and the parametrization's
   */
  align?: boolean;
}

/** FitResult of fitByDistance, with the alignment used (identity when not aligned). */
export interface DistanceFitResult extends FitResult {
  alignment: Alignment;
}

/** Applies an alignment to an airfoil's nodes (new airfoil). */
export function applyAlignment(a: Airfoil, al: Alignment): Airfoil {
  const n = a.x.length;
  const sc = Math.exp(al.logScale);
  const c = Math.cos(al.rotation) * sc;
  const s = Math.sin(al.rotation) * sc;
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = c * a.x[i] - s * a.y[i] + al.dx;
    y[i] = s * a.x[i] + c * a.y[i] + al.dy;
  }
  return { name: a.name, x, y, source: a.source };
}

/**
 * Generic geometric fit of any parametrization: Levenberg-Marquardt on the residuals
 * r_i = n_k . (N_k(p) - P_i), the signed distance of target node P_i (after the alignment, if
 * fitted) from the line of its nearest segment k of the polyline through the parametrization's
 * nodes N (n_k the segment's unit normal); Gauss-Newton derivative with n_k held fixed,
 * dr_i/dp = n_k . ((1-t) dN_k/dp + t dN_{k+1}/dp), t the projection of P_i on the segment
 * (jacobianOf supplies dN/dp). Beyond the polyline's ends (the TE nodes) the residual is the
 * distance to the end node (else the target could slide along the TE segments for free). The target is used as given (callers normalize it first);
 * with options.align a small similarity transform of the target is fitted too (see Alignment).
 * Starts from `p0` (default p.initial()); options.lower/upper replace the parametrization's bounds
 * (equal bounds freeze a variable). Deviations: distances from the (aligned) target's nodes to the
 * fitted node polyline (polylineDeviation).
 */
export function fitByDistance(
  p: Parametrization,
  target: Airfoil,
  p0?: Float64Array,
  options: DistanceFitOptions = {},
): DistanceFitResult {
  const m = target.x.length;
  const ns = p.nVars;
  const align = options.align ?? false;
  const nv = ns + (align ? 4 : 0);
  const foot: FootPoint = { segment: 0, t: 0, distance: 0 };
  const problem: LeastSquaresProblem = {
    nVars: nv,
    nResiduals: m,
    evaluate(vars, r, jac) {
      const params = align ? vars.subarray(0, ns) : vars;
      const shape = p.coordinates(params);
      const lastSegment = shape.x.length - 2;
      const j = jac ? jacobianOf(p, params) : undefined;
      let c = 1;
      let s = 0;
      let dx = 0;
      let dy = 0;
      if (align) {
        const sc = Math.exp(vars[ns + 3]);
        c = Math.cos(vars[ns + 2]) * sc;
        s = Math.sin(vars[ns + 2]) * sc;
        dx = vars[ns];
        dy = vars[ns + 1];
      }
      for (let i = 0; i < m; i++) {
        const tx = target.x[i];
        const ty = target.y[i];
        const px = c * tx - s * ty + dx;
        const py = s * tx + c * ty + dy;
        nearestOnPolyline(shape.x, shape.y, px, py, foot);
        const k = foot.segment;
        // signed distance to the nearest segment's line (smooth for a fixed segment, zero at an
        // exact fit even when the nearest point is a vertex), t unclamped along the segment; beyond
        // the polyline's ends (the TE nodes) the Euclidean distance to the end node instead
        const ax = shape.x[k];
        const ay = shape.y[k];
        const ex = shape.x[k + 1] - ax;
        const ey = shape.y[k + 1] - ay;
        const e2 = ex * ex + ey * ey;
        const e = Math.sqrt(e2) || 1;
        let nx = -ey / e;
        let ny = ex / e;
        let t = e2 > 0 ? ((px - ax) * ex + (py - ay) * ey) / e2 : 0;
        if ((k === 0 && t < 0) || (k === lastSegment && t > 1)) {
          t = t < 0 ? 0 : 1;
          const fx = ax + t * ex - px;
          const fy = ay + t * ey - py;
          const d = Math.hypot(fx, fy);
          if (d > 0) {
            nx = fx / d;
            ny = fy / d;
          }
        }
        r[i] = nx * (ax + t * ex - px) + ny * (ay + t * ey - py);
        if (jac && j) {
          const r0 = k * ns;
          const r1 = (k + 1) * ns;
          const row = i * nv;
          for (let v = 0; v < ns; v++) {
            jac[row + v] =
              nx * ((1 - t) * j.dx[r0 + v] + t * j.dx[r1 + v]) +
              ny * ((1 - t) * j.dy[r0 + v] + t * j.dy[r1 + v]);
          }
          if (align) {
            // dP'/d(dx, dy) = e_x, e_y; dP'/drotation = (-(s tx + c ty), c tx - s ty); dP'/dlogScale = P' - (dx, dy)
            jac[row + ns] = -nx;
            jac[row + ns + 1] = -ny;
            jac[row + ns + 2] = -(nx * -(s * tx + c * ty) + ny * (c * tx - s * ty));
            jac[row + ns + 3] = -(nx * (px - dx) + ny * (py - dy));
          }
        }
      }
    },
  };
  const start = new Float64Array(nv);
  start.set(p0 ?? p.initial());
  const lower = new Float64Array(nv);
  const upper = new Float64Array(nv);
  lower.set(options.lower ?? p.lower);
  upper.set(options.upper ?? p.upper);
  if (align) {
    lower.set(ALIGNMENT_LOWER, ns);
    upper.set(ALIGNMENT_UPPER, ns);
  }
  const sol = levenbergMarquardt(problem, start, lower, upper, options);
  const params = sol.slice(0, ns);
  const alignment: Alignment = align
    ? { dx: sol[ns], dy: sol[ns + 1], rotation: sol[ns + 2], logScale: sol[ns + 3] }
    : { dx: 0, dy: 0, rotation: 0, logScale: 0 };
  const aligned = align ? applyAlignment(target, alignment) : target;
  return { params, alignment, ...polylineDeviation(aligned, p.coordinates(params)) };
}
