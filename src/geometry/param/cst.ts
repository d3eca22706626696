/**
 * CST (Class-Shape Transformation) airfoil parametrization of Kulfan & Bussoletti (2006),
 * with Kulfan's leading-edge modification (LEM) term (Kulfan 2010, "Recent extensions and
 * applications of the CST universal parametric geometry representation method", Aero. J. 114) and a
 * linear trailing-edge thickness term, in the form used by AeroSandbox's Kulfan airfoils:
 *
 *   y_upper(x) = C(x) S_u(x) + w_LE x (1-x)^(n+0.5) + x dzTE/2
 *   y_lower(x) = C(x) S_l(x) + w_LE x (1-x)^(n+0.5) - x dzTE/2
 *   C(x) = x^0.5 (1-x)^1.0,   S(x) = sum_{i=0}^{n-1} w_i K_i x^i (1-x)^(n-1-i),  K_i = binom(n-1, i)
 *
 * with n weights per side. The LEM term equals C(x) x^0.5 (1-x)^(n-0.5) and enters both surfaces
 * with the same sign. Everything is linear in the variables
 * (wUpper_0..n-1, wLower_0..n-1, leWeight, teThickness).
 */
import { FoiloptError } from '../../errors';
import type { Airfoil } from '../types';
import {
  checkParams,
  checkPointsPerSide,
  cosineSpacing,
  DEFAULT_POINTS_PER_SIDE,
  emptyJacobian,
  seligIndex,
} from './common';
import { boundedLinearLeastSquares, fitFrame, splitSurfaces } from './fit';
import { nacaAirfoil } from './naca';
import type { CoordinateJacobian, FitResult, Parametrization } from './types';

/** Default number of CST weights per side. */
export const CST_DEFAULT_WEIGHTS = 8;

/** Options of the CST parametrization. */
export interface CstOptions {
  /** weights per side (Bernstein order n-1), default 8 */
  weightsPerSide?: number;
  /** nodes per surface, LE and TE included (default 100; 2n-1 nodes in total) */
  pointsPerSide?: number;
  /**
   * fit objective: 'minimax' (default) minimizes the max vertical deviation by Lawson's iteratively
   * reweighted least squares (CST_LAWSON_ITERATIONS passes, starting from the plain least-squares
   * fit, best pass kept); 'l2' is the plain least-squares fit
   */
  fitObjective?: 'minimax' | 'l2';
}

/** Reweighting passes of the minimax (Lawson) CST fit. */
export const CST_LAWSON_ITERATIONS = 30;

/**
 * Values of the linear CST basis at x (0 <= x <= 1), written into `out` (length n + 1):
 * out[i] = C(x) K_i x^i (1-x)^(n-1-i) for i < n, out[n] = x (1-x)^(n+0.5) (the LEM term).
 */
export function cstBasis(x: number, n: number, binom: Float64Array, out: Float64Array): void {
  const xc = x < 0 ? 0 : x > 1 ? 1 : x;
  const u = 1 - xc;
  const c = Math.sqrt(xc) * u;
  // x^i (1-x)^(n-1-i) built by running products
  let xi = 1;
  for (let i = 0; i < n; i++) {
    out[i] = c * binom[i] * xi;
    xi *= xc;
  }
  let ui = 1;
  for (let i = n - 1; i >= 0; i--) {
    out[i] *= ui;
    ui *= u;
  }
  out[n] = xc * Math.pow(u, n + 0.5);
}

/** Binomial coefficients binom(n-1, i), i = 0..n-1. */
export function binomialRow(n: number): Float64Array {
  const k = new Float64Array(n);
  k[0] = 1;
  for (let i = 1; i < n; i++) k[i] = (k[i - 1] * (n - i)) / i;
  return k;
}

/** CST parametrization (see the module comment); create with `cst(options)`. */
export class CstParametrization implements Parametrization {
  readonly name = 'cst';
  readonly nVars: number;
  readonly varNames: readonly string[];
  readonly lower: Float64Array;
  readonly upper: Float64Array;
  /** weights per side */
  readonly nWeights: number;
  /** nodes per surface */
  readonly pointsPerSide: number;
  /** objective of fit() */
  readonly fitObjective: 'minimax' | 'l2';
  private readonly binom: Float64Array;
  private readonly xBase: Float64Array;
  /** basis at the base stations, row k = station k (n + 1 values) */
  private readonly basis: Float64Array;
  private initialCache?: Float64Array;

  constructor(options: CstOptions = {}) {
    const n = options.weightsPerSide ?? CST_DEFAULT_WEIGHTS;
    if (!Number.isInteger(n) || n < 1 || n > 30) {
      throw new FoiloptError(`cst: weights per side must be an integer 1..30, got ${n}`);
    }
    const pps = options.pointsPerSide ?? DEFAULT_POINTS_PER_SIDE;
    checkPointsPerSide(pps);
    this.nWeights = n;
    this.pointsPerSide = pps;
    this.fitObjective = options.fitObjective ?? 'minimax';
    if (this.fitObjective !== 'minimax' && this.fitObjective !== 'l2') {
      throw new FoiloptError(
        `cst: fit objective must be "minimax" or "l2", got "${String(this.fitObjective)}"`,
      );
    }
    this.nVars = 2 * n + 2;
    const names: string[] = [];
    for (let i = 0; i < n; i++) names.push(`wUpper${i}`);
    for (let i = 0; i < n; i++) names.push(`wLower${i}`);
    names.push('leWeight', 'teThickness');
    this.varNames = names;
    this.lower = new Float64Array(this.nVars).fill(-2);
    this.upper = new Float64Array(this.nVars).fill(2);
    this.lower[2 * n] = -1;
    this.upper[2 * n] = 1;
    this.lower[2 * n + 1] = 0;
    this.upper[2 * n + 1] = 0.1;
    this.binom = binomialRow(n);
    this.xBase = cosineSpacing(pps);
    this.basis = new Float64Array(pps * (n + 1));
    const row = new Float64Array(n + 1);
    for (let k = 0; k < pps; k++) {
      cstBasis(this.xBase[k], n, this.binom, row);
      this.basis.set(row, k * (n + 1));
    }
  }

  /** The CST fit of NACA 0012 with a sharp TE (computed once). */
  initial(): Float64Array {
    if (!this.initialCache)
      this.initialCache = this.fit(nacaAirfoil('0012', 161, { sharpTrailingEdge: true })).params;
    return Float64Array.from(this.initialCache);
  }

  /** Nodes: cosine-spaced x on each surface, Selig order. */
  coordinates(params: Float64Array): Airfoil {
    checkParams(this, params);
    const n = this.nWeights;
    const pps = this.pointsPerSide;
    const x = new Float64Array(2 * pps - 1);
    const y = new Float64Array(2 * pps - 1);
    const wLe = params[2 * n];
    const dzTE = params[2 * n + 1];
    for (let k = 0; k < pps; k++) {
      const xb = this.xBase[k];
      const row = k * (n + 1);
      let su = 0;
      let sl = 0;
      for (let i = 0; i < n; i++) {
        su += params[i] * this.basis[row + i];
        sl += params[n + i] * this.basis[row + i];
      }
      const common = wLe * this.basis[row + n];
      const iu = seligIndex(pps, k, true);
      const il = seligIndex(pps, k, false);
      x[iu] = xb;
      x[il] = xb;
      y[iu] = su + common + (xb * dzTE) / 2;
      y[il] = sl + common - (xb * dzTE) / 2;
    }
    return { name: `CST ${n}+${n}`, x, y, source: 'CST (Kulfan) parametrization' };
  }

  /** Closed form: dy is the basis (the model is linear), dx = 0. */
  jacobian(params: Float64Array): CoordinateJacobian {
    checkParams(this, params);
    const n = this.nWeights;
    const pps = this.pointsPerSide;
    const nv = this.nVars;
    const jac = emptyJacobian(2 * pps - 1, nv);
    for (let k = 0; k < pps; k++) {
      const row = k * (n + 1);
      const iu = seligIndex(pps, k, true);
      const il = seligIndex(pps, k, false);
      for (let i = 0; i < n; i++) {
        jac.dy[iu * nv + i] = this.basis[row + i];
        jac.dy[il * nv + n + i] = this.basis[row + i];
      }
      jac.dy[iu * nv + 2 * n] += this.basis[row + n];
      jac.dy[il * nv + 2 * n] += this.basis[row + n];
      jac.dy[iu * nv + 2 * n + 1] += this.xBase[k] / 2;
      jac.dy[il * nv + 2 * n + 1] -= this.xBase[k] / 2;
    }
    return jac;
  }

  /**
   * y of the CST shape at abscissa x on one surface (x clamped to [0, 1]).
   */
  surfaceY(params: Float64Array, upperSurface: boolean, x: number): number {
    const n = this.nWeights;
    const b = new Float64Array(n + 1);
    cstBasis(x, n, this.binom, b);
    const off = upperSurface ? 0 : n;
    let y = params[2 * n] * b[n];
    for (let i = 0; i < n; i++) y += params[off + i] * b[i];
    const xc = x < 0 ? 0 : x > 1 ? 1 : x;
    return y + (upperSurface ? 0.5 : -0.5) * xc * params[2 * n + 1];
  }

  /**
   * Fit on the target's own points: the target is first brought to the unit frame (fitFrame:
   * normalize(target, {derotate: true}), i.e. spline LE at (0, 0) and TE midpoint at (1, 0), unless
   * its leftmost node is already at (0, 0) and its TE midpoint at (1, 0)), split at its
   * spline leading edge, and every node i (x clamped to [0, 1]) gives the linear equation
   * y_side(x_i) = y_i; upper and lower weights, leWeight and teThickness are solved jointly by
   * (bounded) linear least squares, teThickness kept >= 0. With the default 'minimax' objective the
   * equations are then reweighted by Lawson's rule w_i <- w_i |r_i| / sum(w |r|) for
   * CST_LAWSON_ITERATIONS passes, converging to the fit with the smallest max deviation; the pass
   * with the smallest max deviation is returned.
   * maxDeviation / rmsDeviation: vertical distance |y_fit(x_i) - y_i| at the normalized target's x.
   */
  fit(target: Airfoil): FitResult {
    const t = fitFrame(target);
    const split = splitSurfaces(t);
    const n = this.nWeights;
    const nv = this.nVars;
    const rowNode = [...split.upper, ...split.lower];
    const m = rowNode.length;
    if (m < nv) {
      throw new FoiloptError(
        `cst: airfoil "${target.name}" has ${t.x.length} nodes, too few to fit ${nv} CST variables`,
      );
    }
    const a = new Float64Array(m * nv);
    const b = new Float64Array(m);
    const basis = new Float64Array(n + 1);
    for (let r = 0; r < m; r++) {
      const i = rowNode[r];
      const side = r < split.upper.length ? 1 : -1;
      const xc = Math.min(1, Math.max(0, t.x[i]));
      cstBasis(xc, n, this.binom, basis);
      const off = side > 0 ? 0 : n;
      for (let k = 0; k < n; k++) a[r * nv + off + k] = basis[k];
      a[r * nv + 2 * n] = basis[n];
      a[r * nv + 2 * n + 1] = 0.5 * side * xc;
      b[r] = t.y[i];
    }
    const residuals = new Float64Array(m);
    const maxResidual = (p: Float64Array): number => {
      let max = 0;
      for (let r = 0; r < m; r++) {
        let y = 0;
        for (let j = 0; j < nv; j++) y += a[r * nv + j] * p[j];
        residuals[r] = Math.abs(y - b[r]);
        max = Math.max(max, residuals[r]);
      }
      return max;
    };
    let params = boundedLinearLeastSquares(a, b, m, nv, this.lower, this.upper);
    let best = maxResidual(params);
    if (this.fitObjective === 'minimax' && best > 0) {
      const w = new Float64Array(m).fill(1 / m);
      const aw = new Float64Array(m * nv);
      const bw = new Float64Array(m);
      for (let pass = 0; pass < CST_LAWSON_ITERATIONS; pass++) {
        let sum = 0;
        for (let r = 0; r < m; r++) {
          w[r] *= residuals[r] + 1e-9 * best;
          sum += w[r];
        }
        for (let r = 0; r < m; r++) {
          w[r] /= sum;
          const sw = Math.sqrt(w[r]);
          for (let j = 0; j < nv; j++) aw[r * nv + j] = a[r * nv + j] * sw;
          bw[r] = b[r] * sw;
        }
        const trial = boundedLinearLeastSquares(aw, bw, m, nv, this.lower, this.upper);
        const dev = maxResidual(trial);
        if (dev < best) {
          best = dev;
          params = trial;
        }
      }
    }
    // deviations at every normalized target node (a node exactly at the LE compares with y(0) = 0)
    let max = 0;
    let sum = 0;
    const upperSet = new Set(split.upper);
    for (let i = 0; i < t.x.length; i++) {
      const d = Math.abs(this.surfaceY(params, upperSet.has(i), t.x[i]) - t.y[i]);
      max = Math.max(max, d);
      sum += d * d;
    }
    return { params, maxDeviation: max, rmsDeviation: Math.sqrt(sum / t.x.length) };
  }
}

/** CST parametrization with `weightsPerSide` weights per side (default 8). */
export function cst(options: CstOptions = {}): CstParametrization {
  return new CstParametrization(options);
}
