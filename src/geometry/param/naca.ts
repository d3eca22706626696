/**
 * NACA 4-digit and 5-digit airfoils (Abbott & von Doenhoff, "Theory of Wing Sections", 1959, ch. 6;
 * Jacobs, Ward & Pinkerton, NACA Report 460, 1933; Jacobs & Pinkerton, NACA Report 537 (5-digit);
 * reflexed 5-digit mean lines: NACA Report 610).
 *
 * Construction (the standard one): a camber line yc(x) and a thickness distribution yt(x) on a
 * cosine-spaced base grid x_k; the thickness is applied perpendicular to the camber line,
 *   upper: (x - yt sin(theta), yc + yt cos(theta)),  lower: (x + yt sin(theta), yc - yt cos(theta)),
 * theta = atan(dyc/dx). Nodes in Selig order (upper TE -> LE -> lower TE, LE once), see common.ts.
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
import { fitByDistance, fitFrame, type DistanceFitResult } from './fit';
import type { CoordinateJacobian, Parametrization } from './types';

/** Last thickness coefficient of the classic (open, blunt) NACA trailing edge; XFOIL's NACA command uses it. */
export const NACA_TE_COEF_OPEN = -0.1015;
/** Last thickness coefficient giving a closed (sharp, zero-thickness) trailing edge. */
export const NACA_TE_COEF_SHARP = -0.1036;

/** Options of the NACA generators and parametrizations. */
export interface NacaOptions {
  /** true: sharp TE (coefficient -0.1036); false (default): classic open TE (-0.1015) */
  sharpTrailingEdge?: boolean;
}

/**
 * Thickness shape per unit thickness ratio, T(x) = yt(x) / t (half thickness, chord units):
 *   T(x) = 5 (0.2969 sqrt(x) - 0.1260 x - 0.3516 x^2 + 0.2843 x^3 + teCoef x^4).
 * Near the LE, T^2 / (2x) -> 25 * 0.2969^2 / 2 = 1.1019, i.e. LE radius 1.1019 t^2.
 */
export function nacaThicknessShape(x: number, teCoef = NACA_TE_COEF_OPEN): number {
  const xc = x < 0 ? 0 : x;
  return 5 * (0.2969 * Math.sqrt(xc) + xc * (-0.126 + xc * (-0.3516 + xc * (0.2843 + xc * teCoef))));
}

/**
 * Camber line evaluation with parameter sensitivities, written into `out`:
 * out[0] = yc, out[1] = dyc/dx, out[2 + 2q] = d yc / d q, out[3 + 2q] = d(dyc/dx) / d q
 * for the camber parameters q = 0, 1, ... of the family.
 */
export type CamberFn = (x: number, out: Float64Array) => void;

/**
 * NACA 4-digit camber line with max camber m at x = p (chord units), parameters q = (m, p):
 *   x < p:  yc = m / p^2 (2 p x - x^2)
 *   x >= p: yc = m / (1-p)^2 (1 - 2p + 2 p x - x^2)
 * m = 0 gives a flat camber line for any p (p is then irrelevant and may be 0).
 */
export function camber4(m: number, p: number): CamberFn {
  return (x, out) => {
    if (m === 0) {
      out.fill(0, 0, 6);
      return;
    }
    if (x < p) {
      const ip = 1 / p;
      const ip2 = ip * ip;
      const ip3 = ip2 * ip;
      out[0] = m * ip2 * (2 * p * x - x * x);
      out[1] = 2 * m * ip2 * (p - x);
      out[2] = ip2 * (2 * p * x - x * x);
      out[3] = 2 * ip2 * (p - x);
      out[4] = m * (-2 * x * ip2 + 2 * x * x * ip3);
      out[5] = 2 * m * (-ip2 + 2 * x * ip3);
    } else {
      const iq = 1 / (1 - p);
      const iq2 = iq * iq;
      const iq3 = iq2 * iq;
      const g = 1 - 2 * p + 2 * p * x - x * x;
      out[0] = m * iq2 * g;
      out[1] = 2 * m * iq2 * (p - x);
      out[2] = iq2 * g;
      out[3] = 2 * iq2 * (p - x);
      out[4] = m * ((2 * x - 2) * iq2 + 2 * g * iq3);
      out[5] = 2 * m * (iq2 + 2 * (p - x) * iq3);
    }
  };
}

/** One NACA 5-digit mean line from the published tables (values for design CL = 0.3). */
interface MeanLine5 {
  /** position of max camber (chord units) */
  p: number;
  /** end of the cubic part (chord units) */
  r: number;
  /** k1 for design CL 0.3 */
  k1: number;
  /** k2 / k1 (reflexed lines only, 0 for standard lines) */
  k21: number;
}

/**
 * Standard (non-reflexed) 5-digit mean lines 210..250 (Abbott & von Doenhoff, p. 115) and the
 * reflexed 221..251 (NACA Report 610), keyed by the 2nd and 3rd digit.
 */
const MEAN_LINES_5: Record<string, MeanLine5> = {
  '10': { p: 0.05, r: 0.058, k1: 361.4, k21: 0 },
  '20': { p: 0.1, r: 0.126, k1: 51.64, k21: 0 },
  '30': { p: 0.15, r: 0.2025, k1: 15.957, k21: 0 },
  '40': { p: 0.2, r: 0.29, k1: 6.643, k21: 0 },
  '50': { p: 0.25, r: 0.391, k1: 3.23, k21: 0 },
  '21': { p: 0.1, r: 0.13, k1: 51.99, k21: 0.000764 },
  '31': { p: 0.15, r: 0.217, k1: 15.793, k21: 0.00677 },
  '41': { p: 0.2, r: 0.318, k1: 6.52, k21: 0.0303 },
  '51': { p: 0.25, r: 0.441, k1: 3.191, k21: 0.1355 },
};

/**
 * NACA 5-digit camber line (standard when k21 = 0, reflexed otherwise) for given k1 (already
 * scaled to the design CL), r and k2/k1. Parameter sensitivities are those w.r.t. (k1, r) with
 * k21 held fixed (used by the continuous naca5 parametrization, which only uses standard lines).
 *   standard, x < r:  yc = k1/6 (x^3 - 3 r x^2 + r^2 (3 - r) x);  x >= r: yc = k1 r^3 / 6 (1 - x)
 *   reflexed, x < r:  yc = k1/6 ((x-r)^3 - k21 (1-r)^3 x - r^3 x + r^3)
 *             x >= r: yc = k1/6 (k21 (x-r)^3 - k21 (1-r)^3 x - r^3 x + r^3)
 */
export function camber5(k1: number, r: number, k21: number): CamberFn {
  if (k21 === 0) {
    return (x, out) => {
      if (x < r) {
        const y1 = (x * x * x - 3 * r * x * x + r * r * (3 - r) * x) / 6;
        const d1 = (3 * x * x - 6 * r * x + r * r * (3 - r)) / 6;
        out[0] = k1 * y1;
        out[1] = k1 * d1;
        out[2] = y1;
        out[3] = d1;
        out[4] = (k1 * (-3 * x * x + (6 * r - 3 * r * r) * x)) / 6;
        out[5] = (k1 * (-6 * x + 6 * r - 3 * r * r)) / 6;
      } else {
        const y1 = (r * r * r * (1 - x)) / 6;
        const d1 = (-r * r * r) / 6;
        out[0] = k1 * y1;
        out[1] = k1 * d1;
        out[2] = y1;
        out[3] = d1;
        out[4] = (k1 * r * r * (1 - x)) / 2;
        out[5] = (-k1 * r * r) / 2;
      }
    };
  }
  const a = k21 * (1 - r) ** 3 + r * r * r;
  return (x, out) => {
    const xr = x - r;
    const f = x < r ? 1 : k21;
    const y1 = (f * xr * xr * xr - a * x + r * r * r) / 6;
    const d1 = (3 * f * xr * xr - a) / 6;
    out[0] = k1 * y1;
    out[1] = k1 * d1;
    out[2] = y1;
    out[3] = d1;
    // d/dr with k21 fixed: da/dr = -3 k21 (1-r)^2 + 3 r^2
    const da = -3 * k21 * (1 - r) ** 2 + 3 * r * r;
    out[4] = (k1 * (-3 * f * xr * xr - da * x + 3 * r * r)) / 6;
    out[5] = (k1 * (-6 * f * xr - da)) / 6;
  };
}

/**
 * Builds NACA-type coordinates from a camber line and a thickness ratio on a cosine base grid
 * (thickness perpendicular to the camber line), Selig order, 2n-1 nodes. When `jac` is given it
 * receives d(x,y)/d(camber params..., t) (row-major, nVars = nCamber + 1, t last).
 */
export function buildNaca(
  camber: CamberFn,
  nCamber: number,
  t: number,
  teCoef: number,
  n: number,
  xBase: Float64Array,
  x: Float64Array,
  y: Float64Array,
  jac?: { dx: Float64Array; dy: Float64Array },
): void {
  const out = new Float64Array(2 + 2 * nCamber);
  const nv = nCamber + 1;
  for (let k = 0; k < n; k++) {
    const xb = xBase[k];
    camber(xb, out);
    const shape = nacaThicknessShape(xb, teCoef);
    const yt = t * shape;
    const slope = out[1];
    const c = 1 / Math.sqrt(1 + slope * slope); // cos(theta)
    const s = slope * c; // sin(theta)
    const iu = seligIndex(n, k, true);
    const il = seligIndex(n, k, false);
    x[iu] = xb - yt * s;
    y[iu] = out[0] + yt * c;
    x[il] = xb + yt * s;
    y[il] = out[0] - yt * c;
    if (jac) {
      // ds/dslope = c^3, dc/dslope = -s c^2
      const c3 = c * c * c;
      const sc2 = s * c * c;
      for (let q = 0; q < nCamber; q++) {
        const dyc = out[2 + 2 * q];
        const dslope = out[3 + 2 * q];
        jac.dx[iu * nv + q] = -yt * c3 * dslope;
        jac.dy[iu * nv + q] = dyc - yt * sc2 * dslope;
        jac.dx[il * nv + q] = yt * c3 * dslope;
        jac.dy[il * nv + q] = dyc + yt * sc2 * dslope;
      }
      jac.dx[iu * nv + nCamber] = -shape * s;
      jac.dy[iu * nv + nCamber] = shape * c;
      jac.dx[il * nv + nCamber] = shape * s;
      jac.dy[il * nv + nCamber] = -shape * c;
    }
  }
  // the LE node is shared: both surfaces wrote the same point (yt = 0 there)
}

/** Parsed NACA designation. */
export interface NacaCode {
  /** "4" or "5" digit family */
  family: 4 | 5;
  /** the digits, e.g. "2412" */
  digits: string;
  /** thickness ratio t (max thickness / chord) */
  t: number;
  /** camber line of the family */
  camber: CamberFn;
  /** number of camber parameters of `camber` (used by buildNaca) */
  nCamber: number;
}

/**
 * Parses a NACA designation: "2412", "naca0012", "NACA 0012", "NACA-23012" (case-insensitive,
 * spaces/dashes/underscores ignored). 4-digit: m (max camber, % chord), p (its position, tenths),
 * tt (thickness, % chord). 5-digit: L (design CL = 0.15 L), P (max camber position = P/20),
 * Q (0 standard, 1 reflexed), tt. Throws FoiloptError saying why a code is invalid.
 */
export function parseNacaCode(code: string): NacaCode {
  const digits = code
    .trim()
    .replace(/^naca/i, '')
    .replace(/[\s_-]+/g, '');
  if (!/^\d+$/.test(digits)) {
    throw new FoiloptError(`invalid NACA code "${code}": expected 4 or 5 digits, e.g. "2412" or "23012"`);
  }
  if (digits.length !== 4 && digits.length !== 5) {
    throw new FoiloptError(
      `invalid NACA code "${code}": ${digits.length} digits; only 4-digit (e.g. 2412) and 5-digit (e.g. 23012) series are supported`,
    );
  }
  const t = Number(digits.slice(-2)) / 100;
  if (t === 0)
    throw new FoiloptError(`invalid NACA code "${code}": thickness digits "00" give zero thickness`);
  if (digits.length === 4) {
    const m = Number(digits[0]) / 100;
    const p = Number(digits[1]) / 10;
    if (m > 0 && p === 0) {
      throw new FoiloptError(
        `invalid NACA code "${code}": camber ${digits[0]}% needs a max-camber position (2nd digit 1-9), got 0`,
      );
    }
    return { family: 4, digits, t, camber: camber4(m, p), nCamber: 2 };
  }
  const l = Number(digits[0]);
  const line = MEAN_LINES_5[digits.slice(1, 3)];
  if (l === 0) {
    throw new FoiloptError(`invalid NACA code "${code}": first digit (design CL / 0.15) must be 1-9, got 0`);
  }
  if (!line) {
    const q = digits[2];
    const why =
      q !== '0' && q !== '1'
        ? `third digit must be 0 (standard) or 1 (reflexed), got ${q}`
        : `mean line ${digits.slice(0, 3)} is not defined (standard: 2nd digit 1-5 with 0; reflexed: 2nd digit 2-5 with 1)`;
    throw new FoiloptError(`invalid NACA code "${code}": ${why}`);
  }
  // tables are for design CL 0.3 (L = 2): scale k1 by CL / 0.3 = L / 2
  const k1 = (line.k1 * l) / 2;
  return { family: 5, digits, t, camber: camber5(k1, line.r, line.k21), nCamber: 2 };
}

/**
 * NACA 4- or 5-digit airfoil from its designation (see parseNacaCode), `pointsPerSide` nodes per
 * surface (LE and TE included; 2 * pointsPerSide - 1 nodes), cosine spacing in the base x, thickness
 * perpendicular to the camber line, Selig order. Open TE (coefficient -0.1015, like XFOIL's NACA
 * command) unless `sharpTrailingEdge`.
 */
export function nacaAirfoil(
  code: string,
  pointsPerSide = DEFAULT_POINTS_PER_SIDE,
  options: NacaOptions = {},
): Airfoil {
  checkPointsPerSide(pointsPerSide);
  const parsed = parseNacaCode(code);
  const n = pointsPerSide;
  const x = new Float64Array(2 * n - 1);
  const y = new Float64Array(2 * n - 1);
  const teCoef = options.sharpTrailingEdge ? NACA_TE_COEF_SHARP : NACA_TE_COEF_OPEN;
  buildNaca(parsed.camber, parsed.nCamber, parsed.t, teCoef, n, cosineSpacing(n), x, y);
  return {
    name: `NACA ${parsed.digits}`,
    x,
    y,
    source: `NACA ${parsed.family}-digit formula`,
  };
}

/**
 * Position r of the end of the cubic part of a standard 5-digit mean line for a max-camber
 * position p: the cubic's slope vanishes at x = r (1 - sqrt(r/3)) = p, solved by Newton's method.
 * Returns r and dr/dp.
 */
export function naca5MeanLineR(p: number): { r: number; drdp: number } {
  let r = p;
  for (let it = 0; it < 50; it++) {
    const f = r - r * Math.sqrt(r / 3) - p;
    const df = 1 - 0.5 * Math.sqrt(3 * r);
    const dr = f / df;
    r -= dr;
    if (Math.abs(dr) < 1e-15) break;
  }
  return { r, drdp: 1 / (1 - 0.5 * Math.sqrt(3 * r)) };
}

/**
 * Thin-airfoil design (ideal) lift coefficient of the standard 5-digit mean line per unit k1,
 * Q(r) = 2 int_0^pi (dyc/dx)/k1 cos(theta) dtheta with x = (1 - cos theta)/2, in closed form, and
 * dQ/dr. k1 = CL_design / Q(r) reproduces the tabulated k1 of mean lines 220..250 to 0.6% (the
 * 210 line's tabulated 361.4 is 2.8% above the theory value 351.6).
 */
export function naca5IdealLift(r: number): { q: number; dqdr: number } {
  const th = Math.acos(1 - 2 * r);
  const s = Math.sin(th);
  const i1 = s; // int cos
  const i2 = th / 2 + Math.sin(2 * th) / 4; // int cos^2
  const i3 = s - (s * s * s) / 3; // int cos^3
  const part1 = 0.75 * (i1 - 2 * i2 + i3) - 3 * r * (i1 - i2) + r * r * (3 - r) * i1;
  const q = part1 / 3 + (r * r * r * s) / 3;
  // the integrand is continuous at x = r, so only the r-derivative of the integrand contributes
  const dpart1 = -3 * (i1 - i2) + (6 * r - 3 * r * r) * i1;
  const dqdr = dpart1 / 3 + r * r * s;
  return { q, dqdr };
}

/**
 * Standard 5-digit camber line for continuous design CL and max-camber position p, parameters
 * q = (designCL, p): r from naca5MeanLineR, k1 = designCL / Q(r) (naca5IdealLift).
 */
export function camber5Continuous(designCL: number, p: number): CamberFn {
  const { r, drdp } = naca5MeanLineR(p);
  const { q, dqdr } = naca5IdealLift(r);
  const k1 = designCL / q;
  const dk1dr = (-designCL * dqdr) / (q * q);
  const inner = camber5(k1, r, 0);
  return (x, out) => {
    inner(x, out);
    const dyK = out[2];
    const dsK = out[3];
    const dyR = out[4];
    const dsR = out[5];
    out[2] = dyK / q;
    out[3] = dsK / q;
    out[4] = (dyK * dk1dr + dyR) * drdp;
    out[5] = (dsK * dk1dr + dsR) * drdp;
  };
}

/** Options of the naca4 / naca5 parametrizations. */
export interface NacaParamOptions extends NacaOptions {
  /** nodes per surface, LE and TE included (default 100) */
  pointsPerSide?: number;
}

/**
 * NACA 4-digit (variables m, p, t) or standard 5-digit (variables designCL, p, t) family as a
 * continuous parametrization; nodes as nacaAirfoil (cosine base grid, Selig order). Closed-form
 * Jacobian (camber and thickness formulas differentiated by hand, see buildNaca). Fit: see fit().
 */
export class NacaParametrization implements Parametrization {
  readonly name: 'naca4' | 'naca5';
  readonly nVars = 3;
  readonly varNames: readonly string[];
  readonly lower: Float64Array;
  readonly upper: Float64Array;
  /** nodes per surface */
  readonly pointsPerSide: number;
  private readonly teCoef: number;
  private readonly xBase: Float64Array;

  constructor(family: 4 | 5, options: NacaParamOptions = {}) {
    const pps = options.pointsPerSide ?? DEFAULT_POINTS_PER_SIDE;
    checkPointsPerSide(pps);
    this.pointsPerSide = pps;
    this.teCoef = options.sharpTrailingEdge ? NACA_TE_COEF_SHARP : NACA_TE_COEF_OPEN;
    this.xBase = cosineSpacing(pps);
    if (family === 4) {
      this.name = 'naca4';
      this.varNames = ['maxCamber', 'maxCamberPosition', 'thickness'];
      this.lower = Float64Array.from([-0.095, 0.1, 0.01]);
      this.upper = Float64Array.from([0.095, 0.9, 0.4]);
    } else {
      this.name = 'naca5';
      this.varNames = ['designCL', 'maxCamberPosition', 'thickness'];
      this.lower = Float64Array.from([-0.6, 0.03, 0.01]);
      this.upper = Float64Array.from([1.2, 0.35, 0.4]);
    }
  }

  /** NACA 2412 (naca4) or 23012 (naca5, continuous mean line). */
  initial(): Float64Array {
    return this.name === 'naca4'
      ? Float64Array.from([0.02, 0.4, 0.12])
      : Float64Array.from([0.3, 0.15, 0.12]);
  }

  private camber(params: Float64Array): CamberFn {
    return this.name === 'naca4' ? camber4(params[0], params[1]) : camber5Continuous(params[0], params[1]);
  }

  /** Nodes for (m, p, t) or (designCL, p, t). */
  coordinates(params: Float64Array): Airfoil {
    checkParams(this, params);
    const n = this.pointsPerSide;
    const x = new Float64Array(2 * n - 1);
    const y = new Float64Array(2 * n - 1);
    buildNaca(this.camber(params), 2, params[2], this.teCoef, n, this.xBase, x, y);
    const label = this.varNames.map((v, j) => `${v}=${params[j].toPrecision(4)}`).join(' ');
    return {
      name: `${this.name} ${label}`,
      x,
      y,
      source: `NACA ${this.name === 'naca4' ? 4 : 5}-digit formula`,
    };
  }

  /** Closed-form Jacobian. */
  jacobian(params: Float64Array): CoordinateJacobian {
    checkParams(this, params);
    const n = this.pointsPerSide;
    const jac = emptyJacobian(2 * n - 1, 3);
    const x = new Float64Array(2 * n - 1);
    const y = new Float64Array(2 * n - 1);
    buildNaca(this.camber(params), 2, params[2], this.teCoef, n, this.xBase, x, y, jac);
    return jac;
  }

  /**
   * Geometric fit: the target is brought to the unit frame (fitFrame: normalize with derotate unless already there), then Levenberg-Marquardt on
   * the distances to the node polyline with a small alignment of the target (fitByDistance with
   * align: the NACA chord runs from the camber line's nose, which is not XFOIL's spline LE), from
   * three starting max-camber positions, best kept.
   */
  fit(target: Airfoil): DistanceFitResult {
    const t = fitFrame(target);
    const starts = this.name === 'naca4' ? [0.25, 0.4, 0.6] : [0.08, 0.15, 0.22];
    let best: DistanceFitResult | undefined;
    for (const p of starts) {
      const p0 = this.initial();
      p0[1] = p;
      const r = fitByDistance(this, t, p0, { align: true });
      if (!best || r.rmsDeviation < best.rmsDeviation) best = r;
    }
    return best as DistanceFitResult;
  }
}

/** NACA 4-digit parametrization (variables maxCamber m, maxCamberPosition p, thickness t). */
export function naca4(options: NacaParamOptions = {}): NacaParametrization {
  return new NacaParametrization(4, options);
}

/** Standard NACA 5-digit parametrization (variables designCL, maxCamberPosition p, thickness t). */
export function naca5(options: NacaParamOptions = {}): NacaParametrization {
  return new NacaParametrization(5, options);
}
