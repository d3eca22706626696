/**
 * PARSEC airfoil (Sobieczky, "Parametric airfoils and wings", Notes on Numerical Fluid Mechanics 68,
 * 1998): each surface is z(x) = sum_{n=1}^{6} a_n x^(n - 1/2), with the six coefficients per side
 * fixed by six conditions on the 11 geometric parameters
 *   rLE (LE radius), xUp, zUp, zxxUp (upper crest position, height, curvature z''),
 *   xLo, zLo, zxxLo (lower crest), zTE, dzTE (TE height and thickness),
 *   alphaTE_rad (direction of the TE bisector, radians, positive = counterclockwise, i.e. pointing up
 *   towards the TE), betaTE_rad (TE wedge angle, radians):
 *   upper: a_1 = +sqrt(2 rLE), z(1) = zTE + dzTE/2, z(xUp) = zUp, z'(xUp) = 0, z''(xUp) = zxxUp,
 *          z'(1) = tan(alphaTE - betaTE/2)
 *   lower: a_1 = -sqrt(2 rLE), z(1) = zTE - dzTE/2, z(xLo) = zLo, z'(xLo) = 0, z''(xLo) = zxxLo,
 *          z'(1) = tan(alphaTE + betaTE/2)
 * i.e. a 6x6 linear system A(x_crest) a = b(params) per side. Jacobian analytic by differentiating
 * the solve: da/dq = A^-1 (db/dq - dA/dq a) (only the crest position enters A).
 * Nodes: cosine-spaced x on each surface, Selig order.
 */
import { LuDecomposition, Matrix } from 'ml-matrix';
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
import {
  fitByDistance,
  fitFrame,
  linearLeastSquares,
  splitSurfaces,
  type DistanceFitResult,
  type SurfaceSplit,
} from './fit';
import type { CoordinateJacobian, Parametrization } from './types';

/** Names of the 11 PARSEC variables, in order. */
export const PARSEC_VARIABLES = [
  'rLE',
  'xUp',
  'zUp',
  'zxxUp',
  'xLo',
  'zLo',
  'zxxLo',
  'zTE',
  'dzTE',
  'alphaTE_rad',
  'betaTE_rad',
] as const;

/** Options of the PARSEC parametrization. */
export interface ParsecOptions {
  /** nodes per surface, LE and TE included (default 100) */
  pointsPerSide?: number;
}

/** Exponents n - 1/2 of the PARSEC polynomial. */
const EXPONENTS = [0.5, 1.5, 2.5, 3.5, 4.5, 5.5];

/** Coefficients of one surface and their derivatives w.r.t. all 11 variables. */
interface SideSolution {
  /** a_1..a_6 */
  a: Float64Array;
  /** da[n * 11 + q] = d a_n / d param_q */
  da: Float64Array;
}

/**
 * Solves one side's system. upperSide selects the conditions above; with `derivatives` the
 * sensitivities of the coefficients w.r.t. all 11 variables are returned too.
 * Throws a FoiloptError when the system is singular (crest position at 0 or 1).
 */
export function parsecSide(params: Float64Array, upperSide: boolean, derivatives: boolean): SideSolution {
  const [rLE, xUp, zUp, zxxUp, xLo, zLo, zxxLo, zTE, dzTE, alphaTE, betaTE] = params;
  const xc = upperSide ? xUp : xLo;
  const sign = upperSide ? 1 : -1;
  const iX = upperSide ? 1 : 4;
  const iZ = upperSide ? 2 : 5;
  const iZxx = upperSide ? 3 : 6;
  if (!(xc > 0 && xc < 1) || !(rLE > 0)) {
    throw new FoiloptError(
      `parsec: crest positions must lie in (0, 1) and rLE > 0 (got x=${xc}, rLE=${rLE})`,
    );
  }
  const mat = new Matrix(6, 6);
  for (let n = 0; n < 6; n++) {
    const e = EXPONENTS[n];
    mat.set(0, n, n === 0 ? 1 : 0);
    mat.set(1, n, 1);
    mat.set(2, n, Math.pow(xc, e));
    mat.set(3, n, e * Math.pow(xc, e - 1));
    mat.set(4, n, e * (e - 1) * Math.pow(xc, e - 2));
    mat.set(5, n, e);
  }
  const sqrt2r = Math.sqrt(2 * rLE);
  const teAngle = alphaTE - (sign * betaTE) / 2;
  const rhs = new Matrix(6, 1);
  rhs.set(0, 0, sign * sqrt2r);
  rhs.set(1, 0, zTE + (sign * dzTE) / 2);
  rhs.set(2, 0, upperSide ? zUp : zLo);
  rhs.set(3, 0, 0);
  rhs.set(4, 0, upperSide ? zxxUp : zxxLo);
  rhs.set(5, 0, Math.tan(teAngle));
  const lu = new LuDecomposition(mat);
  if (lu.isSingular()) throw new FoiloptError(`parsec: singular coefficient system at crest position ${xc}`);
  const solA = lu.solve(rhs);
  const a = new Float64Array(6);
  for (let n = 0; n < 6; n++) a[n] = solA.get(n, 0);
  const da = new Float64Array(6 * 11);
  if (!derivatives) return { a, da };
  // right-hand sides db/dq - dA/dq a for every variable q (columns)
  const d = new Matrix(6, 11);
  d.set(0, 0, sign / sqrt2r);
  d.set(1, 7, 1);
  d.set(1, 8, sign / 2);
  d.set(2, iZ, 1);
  d.set(4, iZxx, 1);
  const sec2 = 1 + Math.tan(teAngle) ** 2;
  d.set(5, 9, sec2);
  d.set(5, 10, (-sign * sec2) / 2);
  // crest position: rows 2..4 of A depend on it
  let r2 = 0;
  let r3 = 0;
  let r4 = 0;
  for (let n = 0; n < 6; n++) {
    const e = EXPONENTS[n];
    r2 += e * Math.pow(xc, e - 1) * a[n];
    r3 += e * (e - 1) * Math.pow(xc, e - 2) * a[n];
    r4 += e * (e - 1) * (e - 2) * Math.pow(xc, e - 3) * a[n];
  }
  d.set(2, iX, -r2);
  d.set(3, iX, -r3);
  d.set(4, iX, -r4);
  const sol = lu.solve(d);
  for (let n = 0; n < 6; n++) for (let q = 0; q < 11; q++) da[n * 11 + q] = sol.get(n, q);
  return { a, da };
}

/** PARSEC parametrization (see the module comment); create with `parsec(options)`. */
export class ParsecParametrization implements Parametrization {
  readonly name = 'parsec';
  readonly nVars = 11;
  readonly varNames: readonly string[] = PARSEC_VARIABLES;
  readonly lower = Float64Array.from([1e-4, 0.05, -0.1, -5, 0.05, -0.3, -3, -0.1, 0, -0.6, 0]);
  readonly upper = Float64Array.from([0.1, 0.85, 0.3, 3, 0.85, 0.15, 5, 0.1, 0.05, 0.6, 1.2]);
  /** nodes per surface */
  readonly pointsPerSide: number;
  private readonly xBase: Float64Array;
  /** x^(n-1/2) at the base stations, row k = station k */
  private readonly powers: Float64Array;

  constructor(options: ParsecOptions = {}) {
    const pps = options.pointsPerSide ?? DEFAULT_POINTS_PER_SIDE;
    checkPointsPerSide(pps);
    this.pointsPerSide = pps;
    this.xBase = cosineSpacing(pps);
    this.powers = new Float64Array(pps * 6);
    for (let k = 0; k < pps; k++)
      for (let n = 0; n < 6; n++) this.powers[k * 6 + n] = Math.pow(this.xBase[k], EXPONENTS[n]);
  }

  /**
   * NACA 0012-like values: rLE = 1.1019 * 0.12^2, crests (0.3, +-0.06) with z'' = -+0.45,
   * open TE 0.00252, wedge 0.279 rad.
   */
  initial(): Float64Array {
    return Float64Array.from([0.01587, 0.3, 0.06, -0.45, 0.3, -0.06, 0.45, 0, 0.00252, 0, 0.279]);
  }

  /** Nodes from the solved coefficients. */
  coordinates(params: Float64Array): Airfoil {
    checkParams(this, params);
    const pps = this.pointsPerSide;
    const x = new Float64Array(2 * pps - 1);
    const y = new Float64Array(2 * pps - 1);
    for (let s = 0; s < 2; s++) {
      const { a } = parsecSide(params, s === 0, false);
      for (let k = 0; k < pps; k++) {
        let z = 0;
        for (let n = 0; n < 6; n++) z += a[n] * this.powers[k * 6 + n];
        const i = seligIndex(pps, k, s === 0);
        x[i] = this.xBase[k];
        y[i] = z;
      }
    }
    return { name: 'PARSEC', x, y, source: 'PARSEC parametrization' };
  }

  /** Analytic: dz/dq = sum_n (da_n/dq) x^(n-1/2), dx = 0. */
  jacobian(params: Float64Array): CoordinateJacobian {
    checkParams(this, params);
    const pps = this.pointsPerSide;
    const jac = emptyJacobian(2 * pps - 1, 11);
    for (let s = 0; s < 2; s++) {
      const { da } = parsecSide(params, s === 0, true);
      for (let k = 0; k < pps; k++) {
        const i = seligIndex(pps, k, s === 0);
        for (let q = 0; q < 11; q++) {
          let v = 0;
          for (let n = 0; n < 6; n++) v += da[n * 11 + q] * this.powers[k * 6 + n];
          jac.dy[i * 11 + q] = v;
        }
      }
    }
    return jac;
  }

  /**
   * Geometric fit: the target is brought to the unit frame (fitFrame: normalize with derotate unless already there), then Levenberg-Marquardt on
   * the distances to the node polyline with a small alignment of the target (fitByDistance with
   * align) from two starts, the better kept: (1) the PARSEC variables read off a free least-squares fit of
   * z = sum a_n x^(n-1/2) to each target surface (parsecStartFromPolynomials), (2) the target's
   * crests (highest upper / lowest lower node), TE height and thickness, rLE = 1.1019 (zUp - zLo)^2.
   */
  fit(input: Airfoil): DistanceFitResult {
    const target = fitFrame(input);
    const split = splitSurfaces(target);
    const p0 = this.initial();
    let iu = split.upper[0];
    for (const i of split.upper) if (target.y[i] > target.y[iu]) iu = i;
    let il = split.lower[0];
    for (const i of split.lower) if (target.y[i] < target.y[il]) il = i;
    const n = target.x.length;
    p0[1] = target.x[iu];
    p0[2] = target.y[iu];
    p0[4] = target.x[il];
    p0[5] = target.y[il];
    p0[7] = 0.5 * (target.y[0] + target.y[n - 1]);
    p0[8] = target.y[0] - target.y[n - 1];
    p0[0] = 1.1019 * (p0[2] - p0[5]) ** 2;
    let best: DistanceFitResult | undefined;
    for (const start of [parsecStartFromPolynomials(target, split), p0]) {
      for (let j = 0; j < 11; j++) start[j] = Math.min(this.upper[j], Math.max(this.lower[j], start[j]));
      const r = fitByDistance(this, target, start, { align: true });
      if (!best || r.rmsDeviation < best.rmsDeviation) best = r;
    }
    return best as DistanceFitResult;
  }
}

/**
 * PARSEC starting values from a target: z = sum a_n x^(n-1/2) fitted freely (linear least squares)
 * to each surface's nodes; then rLE = mean of a_1^2/2 over the sides, crest = the root of z' in
 * [0.05, 0.85] with the largest |z| (else the point of smallest |z'|), its z and z'', TE height,
 * thickness and slopes from z(1), z'(1). Not clamped to the bounds.
 */
export function parsecStartFromPolynomials(target: Airfoil, split: SurfaceSplit): Float64Array {
  const out = new Float64Array(11);
  const zEnd = [0, 0];
  const slopeEnd = [0, 0];
  for (let s = 0; s < 2; s++) {
    const nodes = s === 0 ? split.upper : split.lower;
    const m = nodes.length;
    const a = new Float64Array(m * 6);
    const b = new Float64Array(m);
    nodes.forEach((i, r) => {
      const x = Math.max(0, target.x[i]);
      for (let k = 0; k < 6; k++) a[r * 6 + k] = Math.pow(x, EXPONENTS[k]);
      b[r] = target.y[i];
    });
    const c = linearLeastSquares(a, b, m, 6);
    const z = (x: number, order: number): number => {
      let v = 0;
      for (let k = 0; k < 6; k++) {
        const e = EXPONENTS[k];
        const f = order === 0 ? 1 : order === 1 ? e : e * (e - 1);
        v += c[k] * f * Math.pow(x, e - order);
      }
      return v;
    };
    // crest: scan z' for sign changes on [0.05, 0.85], refine by bisection
    let xc = NaN;
    let bestAbs = -1;
    let xMinSlope = 0.3;
    let minSlope = Infinity;
    const steps = 160;
    let xPrev = 0.05;
    let dPrev = z(xPrev, 1);
    for (let k = 1; k <= steps; k++) {
      const x = 0.05 + (0.8 * k) / steps;
      const d = z(x, 1);
      if (Math.abs(d) < minSlope) {
        minSlope = Math.abs(d);
        xMinSlope = x;
      }
      if (Math.sign(d) !== Math.sign(dPrev)) {
        let lo = xPrev;
        let hi = x;
        for (let it = 0; it < 50; it++) {
          const mid = 0.5 * (lo + hi);
          if (Math.sign(z(mid, 1)) === Math.sign(z(lo, 1))) lo = mid;
          else hi = mid;
        }
        const root = 0.5 * (lo + hi);
        if (Math.abs(z(root, 0)) > bestAbs) {
          bestAbs = Math.abs(z(root, 0));
          xc = root;
        }
      }
      xPrev = x;
      dPrev = d;
    }
    if (Number.isNaN(xc)) xc = xMinSlope;
    const o = s === 0 ? 1 : 4;
    out[o] = xc;
    out[o + 1] = z(xc, 0);
    out[o + 2] = z(xc, 2);
    out[0] += (c[0] * c[0]) / 4;
    zEnd[s] = z(1, 0);
    slopeEnd[s] = z(1, 1);
  }
  out[7] = 0.5 * (zEnd[0] + zEnd[1]);
  out[8] = zEnd[0] - zEnd[1];
  const thU = Math.atan(slopeEnd[0]);
  const thL = Math.atan(slopeEnd[1]);
  out[9] = 0.5 * (thU + thL);
  out[10] = thL - thU;
  return out;
}

/** PARSEC parametrization (11 variables, see PARSEC_VARIABLES). */
export function parsec(options: ParsecOptions = {}): ParsecParametrization {
  return new ParsecParametrization(options);
}
