/**
 * Bezier airfoil: one Bezier curve of degree d = nc - 1 per surface (nc control points per side),
 * from the leading edge P_0 = (0, 0) to the trailing edge P_d = (1, +-teGap/2):
 *   P(t) = sum_{j=0}^{d} B_j(t) P_j,  B_j(t) = binom(d, j) t^j (1-t)^(d-j),  0 <= t <= 1.
 * The first interior control point is P_1 = (0, y_1), which makes the LE tangent vertical on both
 * surfaces (a round LE; the radius of curvature there is d/(d-1) * y_1^2 / x_2 per surface). Variables, upper side first: y_1, then (x_j, y_j) for j = 2..d-1; then the
 * lower side likewise; then teGap. Nodes: the curves sampled at cosine-spaced t (Selig order).
 * The coordinates are linear in the variables, so the Jacobian is the Bernstein basis.
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
import { fitByDistance, fitFrame, linearLeastSquares, splitSurfaces, type DistanceFitResult } from './fit';
import { nacaAirfoil } from './naca';
import type { CoordinateJacobian, Parametrization } from './types';

/** Default number of control points per side (LE and TE points included). */
export const BEZIER_DEFAULT_CONTROL_POINTS = 6;

/** Curve-fitting passes of BezierParametrization.startFromTarget. */
export const BEZIER_START_PASSES = 20;

/** Options of the Bezier parametrization. */
export interface BezierOptions {
  /** control points per side, LE and TE included (4..16, default 6: a quintic per side) */
  controlPointsPerSide?: number;
  /** nodes per surface, LE and TE included (default 100) */
  pointsPerSide?: number;
}

/** Bernstein polynomials of degree d at t, written into out[0..d]. */
export function bernstein(d: number, t: number, out: Float64Array): void {
  out.fill(0, 0, d + 1);
  out[0] = 1;
  const u = 1 - t;
  // de Casteljau-like build-up: degree k from degree k-1
  for (let k = 1; k <= d; k++) {
    let prev = 0;
    for (let j = 0; j <= k; j++) {
      const cur = out[j];
      out[j] = u * cur + t * prev;
      prev = cur;
    }
  }
}

/** Bezier parametrization (see the module comment); create with `bezier(options)`. */
export class BezierParametrization implements Parametrization {
  readonly name = 'bezier';
  readonly nVars: number;
  readonly varNames: readonly string[];
  readonly lower: Float64Array;
  readonly upper: Float64Array;
  /** control points per side */
  readonly controlPoints: number;
  /** nodes per surface */
  readonly pointsPerSide: number;
  /** variables per side */
  private readonly perSide: number;
  /** Bernstein basis at the sampled t, row k = station k (d + 1 values) */
  private readonly basis: Float64Array;
  private initialCache?: Float64Array;

  constructor(options: BezierOptions = {}) {
    const nc = options.controlPointsPerSide ?? BEZIER_DEFAULT_CONTROL_POINTS;
    if (!Number.isInteger(nc) || nc < 4 || nc > 16) {
      throw new FoiloptError(`bezier: control points per side must be an integer 4..16, got ${nc}`);
    }
    const pps = options.pointsPerSide ?? DEFAULT_POINTS_PER_SIDE;
    checkPointsPerSide(pps);
    this.controlPoints = nc;
    this.pointsPerSide = pps;
    const d = nc - 1;
    this.perSide = 1 + 2 * (nc - 3);
    this.nVars = 2 * this.perSide + 1;
    const names: string[] = [];
    const lo: number[] = [];
    const hi: number[] = [];
    for (const side of ['upper', 'lower']) {
      names.push(`${side}Y1`);
      lo.push(side === 'upper' ? 1e-4 : -0.3);
      hi.push(side === 'upper' ? 0.3 : -1e-4);
      for (let j = 2; j <= d - 1; j++) {
        names.push(`${side}X${j}`, `${side}Y${j}`);
        lo.push(0, -0.5);
        hi.push(1, 0.5);
      }
    }
    names.push('teGap');
    lo.push(0);
    hi.push(0.05);
    this.varNames = names;
    this.lower = Float64Array.from(lo);
    this.upper = Float64Array.from(hi);
    const t = cosineSpacing(pps);
    this.basis = new Float64Array(pps * (d + 1));
    const row = new Float64Array(d + 1);
    for (let k = 0; k < pps; k++) {
      bernstein(d, t[k], row);
      this.basis.set(row, k * (d + 1));
    }
  }

  /**
   * The fit to NACA 0012 with a sharp TE (computed once, from control points on its thickness
   * distribution).
   */
  initial(): Float64Array {
    if (!this.initialCache) {
      const d = this.controlPoints - 1;
      const p0 = new Float64Array(this.nVars);
      for (let s = 0; s < 2; s++) {
        const sign = s === 0 ? 1 : -1;
        const o = s * this.perSide;
        p0[o] = sign * 0.03;
        for (let j = 2; j <= d - 1; j++) {
          const xj = (j - 1) / (d - 1);
          p0[o + 1 + 2 * (j - 2)] = xj;
          p0[o + 2 + 2 * (j - 2)] = sign * 0.075 * Math.sqrt(xj) * (1.2 - xj);
        }
      }
      this.initialCache = fitByDistance(
        this,
        nacaAirfoil('0012', 81, { sharpTrailingEdge: true }),
        p0,
      ).params;
    }
    return Float64Array.from(this.initialCache);
  }

  /** Control point j (0..d) of one side into out = [x, y]. */
  private controlPoint(params: Float64Array, upperSide: boolean, j: number, out: Float64Array): void {
    const d = this.controlPoints - 1;
    const o = upperSide ? 0 : this.perSide;
    const sign = upperSide ? 1 : -1;
    if (j === 0) {
      out[0] = 0;
      out[1] = 0;
    } else if (j === 1) {
      out[0] = 0;
      out[1] = params[o];
    } else if (j === d) {
      out[0] = 1;
      out[1] = (sign * params[this.nVars - 1]) / 2;
    } else {
      out[0] = params[o + 1 + 2 * (j - 2)];
      out[1] = params[o + 2 + 2 * (j - 2)];
    }
  }

  /** Nodes: both curves at cosine-spaced t, Selig order. */
  coordinates(params: Float64Array): Airfoil {
    checkParams(this, params);
    const pps = this.pointsPerSide;
    const d = this.controlPoints - 1;
    const x = new Float64Array(2 * pps - 1);
    const y = new Float64Array(2 * pps - 1);
    const cpx = new Float64Array(2 * (d + 1));
    const cpy = new Float64Array(2 * (d + 1));
    const pt = new Float64Array(2);
    for (let s = 0; s < 2; s++) {
      for (let j = 0; j <= d; j++) {
        this.controlPoint(params, s === 0, j, pt);
        cpx[s * (d + 1) + j] = pt[0];
        cpy[s * (d + 1) + j] = pt[1];
      }
    }
    for (let k = 0; k < pps; k++) {
      const row = k * (d + 1);
      for (let s = 0; s < 2; s++) {
        let px = 0;
        let py = 0;
        for (let j = 0; j <= d; j++) {
          px += this.basis[row + j] * cpx[s * (d + 1) + j];
          py += this.basis[row + j] * cpy[s * (d + 1) + j];
        }
        const i = seligIndex(pps, k, s === 0);
        x[i] = px;
        y[i] = py;
      }
    }
    return {
      name: `Bezier ${this.controlPoints}+${this.controlPoints}`,
      x,
      y,
      source: 'Bezier parametrization',
    };
  }

  /** Bernstein basis: d x/d x_j = d y/d y_j = B_j(t), d y/d teGap = +-B_d(t)/2. */
  jacobian(params: Float64Array): CoordinateJacobian {
    checkParams(this, params);
    const pps = this.pointsPerSide;
    const d = this.controlPoints - 1;
    const nv = this.nVars;
    const jac = emptyJacobian(2 * pps - 1, nv);
    for (let k = 0; k < pps; k++) {
      const row = k * (d + 1);
      for (let s = 0; s < 2; s++) {
        const i = seligIndex(pps, k, s === 0);
        const o = s * this.perSide;
        jac.dy[i * nv + o] += this.basis[row + 1];
        for (let j = 2; j <= d - 1; j++) {
          jac.dx[i * nv + o + 1 + 2 * (j - 2)] += this.basis[row + j];
          jac.dy[i * nv + o + 2 + 2 * (j - 2)] += this.basis[row + j];
        }
        jac.dy[i * nv + nv - 1] += ((s === 0 ? 1 : -1) * this.basis[row + d]) / 2;
      }
    }
    return jac;
  }

  /**
   * Starting control points from a target already in the unit frame, by classic Bezier curve
   * fitting per surface: parameters t_i from the chord length along the surface (from the LE), then
   * alternately linear least squares for the free control-point x and y (LE, first-point x and TE
   * fixed; TE gap from the target's end nodes) and one Newton projection step of every t_i onto the
   * curve (BEZIER_START_PASSES passes). Clipped to the bounds.
   */
  startFromTarget(t: Airfoil): Float64Array {
    const d = this.controlPoints - 1;
    const split = splitSurfaces(t);
    const n = t.x.length;
    const gap = Math.min(this.upper[this.nVars - 1], Math.max(0, t.y[0] - t.y[n - 1]));
    const out = new Float64Array(this.nVars);
    out[this.nVars - 1] = gap;
    const b = new Float64Array(d + 1);
    const b1 = new Float64Array(d);
    const b2 = new Float64Array(d - 1);
    for (let s = 0; s < 2; s++) {
      const sign = s === 0 ? 1 : -1;
      // surface nodes from the LE outwards, LE itself excluded
      const nodes = s === 0 ? [...split.upper].reverse() : split.lower;
      const m = nodes.length;
      const px = Float64Array.from(nodes, (i) => t.x[i]);
      const py = Float64Array.from(nodes, (i) => t.y[i]);
      const tp = new Float64Array(m);
      let len = Math.hypot(px[0], py[0]);
      tp[0] = len;
      for (let i = 1; i < m; i++) {
        len += Math.hypot(px[i] - px[i - 1], py[i] - py[i - 1]);
        tp[i] = len;
      }
      for (let i = 0; i < m; i++) tp[i] /= len;
      const cx = new Float64Array(d + 1);
      const cy = new Float64Array(d + 1);
      cx[d] = 1;
      cy[d] = (sign * gap) / 2;
      const nx = d - 2; // free x: j = 2..d-1
      const ny = d - 1; // free y: j = 1..d-1
      for (let pass = 0; pass < BEZIER_START_PASSES; pass++) {
        const ax = new Float64Array(m * nx);
        const bx = new Float64Array(m);
        const ay = new Float64Array(m * ny);
        const by = new Float64Array(m);
        for (let i = 0; i < m; i++) {
          bernstein(d, tp[i], b);
          for (let j = 2; j <= d - 1; j++) ax[i * nx + j - 2] = b[j];
          for (let j = 1; j <= d - 1; j++) ay[i * ny + j - 1] = b[j];
          bx[i] = px[i] - b[d] * cx[d];
          by[i] = py[i] - b[d] * cy[d];
        }
        const solX = linearLeastSquares(ax, bx, m, nx, 1e-10);
        const solY = linearLeastSquares(ay, by, m, ny, 1e-10);
        for (let j = 2; j <= d - 1; j++) cx[j] = solX[j - 2];
        for (let j = 1; j <= d - 1; j++) cy[j] = solY[j - 1];
        // Newton step of each t_i on |C(t) - P_i|^2
        for (let i = 0; i < m; i++) {
          const ti = tp[i];
          bernstein(d, ti, b);
          bernstein(d - 1, ti, b1);
          bernstein(d - 2, ti, b2);
          let x = 0;
          let y = 0;
          let dx = 0;
          let dy = 0;
          let ddx = 0;
          let ddy = 0;
          for (let j = 0; j <= d; j++) {
            x += b[j] * cx[j];
            y += b[j] * cy[j];
          }
          for (let j = 0; j < d; j++) {
            dx += d * b1[j] * (cx[j + 1] - cx[j]);
            dy += d * b1[j] * (cy[j + 1] - cy[j]);
          }
          for (let j = 0; j < d - 1; j++) {
            ddx += d * (d - 1) * b2[j] * (cx[j + 2] - 2 * cx[j + 1] + cx[j]);
            ddy += d * (d - 1) * b2[j] * (cy[j + 2] - 2 * cy[j + 1] + cy[j]);
          }
          const ex = x - px[i];
          const ey = y - py[i];
          const den = dx * dx + dy * dy + ex * ddx + ey * ddy;
          if (den > 0) tp[i] = Math.min(1, Math.max(0, ti - (ex * dx + ey * dy) / den));
        }
      }
      const o = s * this.perSide;
      out[o] = cy[1];
      for (let j = 2; j <= d - 1; j++) {
        out[o + 1 + 2 * (j - 2)] = cx[j];
        out[o + 2 + 2 * (j - 2)] = cy[j];
      }
    }
    for (let j = 0; j < this.nVars; j++) out[j] = Math.min(this.upper[j], Math.max(this.lower[j], out[j]));
    return out;
  }

  /**
   * Geometric fit: the target is brought to the unit frame (fitFrame: normalize with derotate
   * unless already there), then Levenberg-Marquardt on the distances to the node polyline with a
   * small alignment of the target (fitByDistance with align) from three starts, the best kept:
   * initial(); the result of a first pass that moves only the y coordinates and teGap (control-point
   * x frozen at initial()); and startFromTarget (a direct Bezier curve fit of each surface).
   */
  fit(target: Airfoil): DistanceFitResult {
    const t = fitFrame(target);
    const p0 = this.initial();
    const lower = Float64Array.from(this.lower);
    const upper = Float64Array.from(this.upper);
    for (let s = 0; s < 2; s++) {
      for (let j = 2; j <= this.controlPoints - 2; j++) {
        const v = s * this.perSide + 1 + 2 * (j - 2);
        lower[v] = p0[v];
        upper[v] = p0[v];
      }
    }
    const starts = [p0, fitByDistance(this, t, p0, { lower, upper }).params, this.startFromTarget(t)];
    let best: DistanceFitResult | undefined;
    for (const start of starts) {
      const r = fitByDistance(this, t, start, { align: true });
      if (!best || r.rmsDeviation < best.rmsDeviation) best = r;
    }
    return best as DistanceFitResult;
  }
}

/** Bezier parametrization with `controlPointsPerSide` control points per side (default 6). */
export function bezier(options: BezierOptions = {}): BezierParametrization {
  return new BezierParametrization(options);
}
