/**
 * Hicks-Henne bump functions on a base airfoil (Hicks & Henne, "Wing design by numerical
 * optimization", J. Aircraft 15(7), 1978):
 *   b_k(x) = sin^w(pi x^(ln 0.5 / ln x_k)),  0 <= x <= 1,
 * a bump of height 1 peaking at x = x_k, width exponent w (default 3). Each base node keeps its x
 * and moves in y by sum_k a_k b_k(x) with the amplitudes a_k of its own surface (upper: nodes
 * before the base's min-x node, lower: after it; the min-x node itself does not move). Variables:
 * upper amplitudes, then lower amplitudes. Linear in the variables: exact Jacobian, linear
 * least-squares fit. The node count and order are the base airfoil's.
 */
import { FoiloptError } from '../../errors';
import type { Airfoil } from '../types';
import { checkParams, emptyJacobian } from './common';
import { boundedLinearLeastSquares, polylineDeviation, splitSurfaces, surfaceYAt } from './fit';
import type { CoordinateJacobian, FitResult, Parametrization } from './types';

/** Default bumps per side. */
export const HICKS_HENNE_DEFAULT_BUMPS = 8;
/** Default width exponent w of the bumps. */
export const HICKS_HENNE_DEFAULT_WIDTH = 3;

/** Options of the Hicks-Henne parametrization. */
export interface HicksHenneOptions {
  /** bumps per side (default 8) */
  bumpsPerSide?: number;
  /**
   * peak positions x_k in (0, 1), same on both sides (default: half-cosine spacing
   * x_k = (1 - cos(pi k / (n + 1))) / 2, k = 1..n)
   */
  positions?: readonly number[];
  /** width exponent w (default 3; larger = narrower bumps) */
  width?: number;
}

/** Hicks-Henne bump b(x) = sin^w(pi x^(ln 0.5 / ln xPeak)); 0 outside 0 < x < 1. */
export function hicksHenneBump(x: number, xPeak: number, width: number): number {
  if (!(x > 0 && x < 1)) return 0;
  const e = Math.log(0.5) / Math.log(xPeak);
  return Math.pow(Math.sin(Math.PI * Math.pow(x, e)), width);
}

/** Hicks-Henne parametrization on a base airfoil; create with `hicksHenne(base, options)`. */
export class HicksHenneParametrization implements Parametrization {
  readonly name = 'hicks-henne';
  readonly nVars: number;
  readonly varNames: readonly string[];
  readonly lower: Float64Array;
  readonly upper: Float64Array;
  /** the base airfoil (copied) */
  readonly base: Airfoil;
  /** bump peak positions */
  readonly positions: Float64Array;
  /** width exponent */
  readonly width: number;
  /** bump values at the base nodes, row i = node i (nVars values, zero for the other side) */
  private readonly basis: Float64Array;
  /** surface of each base node: 1 upper, -1 lower, 0 the min-x (LE) node */
  private readonly nodeSide: Int8Array;

  constructor(base: Airfoil, options: HicksHenneOptions = {}) {
    const nb = options.positions?.length ?? options.bumpsPerSide ?? HICKS_HENNE_DEFAULT_BUMPS;
    if (!Number.isInteger(nb) || nb < 1 || nb > 50) {
      throw new FoiloptError(`hicks-henne: bumps per side must be an integer 1..50, got ${nb}`);
    }
    if (
      options.bumpsPerSide !== undefined &&
      options.positions &&
      options.positions.length !== options.bumpsPerSide
    ) {
      throw new FoiloptError(
        `hicks-henne: ${options.positions.length} positions given for ${options.bumpsPerSide} bumps per side`,
      );
    }
    const positions = options.positions
      ? Float64Array.from(options.positions)
      : Float64Array.from({ length: nb }, (_, k) => 0.5 * (1 - Math.cos((Math.PI * (k + 1)) / (nb + 1))));
    for (const xk of positions) {
      if (!(xk > 0 && xk < 1))
        throw new FoiloptError(`hicks-henne: bump positions must lie in (0, 1), got ${xk}`);
    }
    const width = options.width ?? HICKS_HENNE_DEFAULT_WIDTH;
    if (!(width > 0) || !Number.isFinite(width))
      throw new FoiloptError(`hicks-henne: width must be > 0, got ${width}`);
    const n = base.x.length;
    if (n < 5 || base.y.length !== n)
      throw new FoiloptError(`hicks-henne: base airfoil "${base.name}" needs >= 5 nodes`);
    this.base = {
      name: base.name,
      x: Float64Array.from(base.x),
      y: Float64Array.from(base.y),
      source: base.source,
    };
    this.positions = positions;
    this.width = width;
    this.nVars = 2 * nb;
    const names: string[] = [];
    for (let k = 0; k < nb; k++) names.push(`upperBump${k}`);
    for (let k = 0; k < nb; k++) names.push(`lowerBump${k}`);
    this.varNames = names;
    this.lower = new Float64Array(this.nVars).fill(-0.1);
    this.upper = new Float64Array(this.nVars).fill(0.1);
    let iLE = 0;
    for (let i = 1; i < n; i++) if (base.x[i] < base.x[iLE]) iLE = i;
    this.basis = new Float64Array(n * this.nVars);
    this.nodeSide = new Int8Array(n);
    for (let i = 0; i < n; i++) {
      if (i === iLE) continue;
      this.nodeSide[i] = i < iLE ? 1 : -1;
      const off = i < iLE ? 0 : nb;
      for (let k = 0; k < nb; k++)
        this.basis[i * this.nVars + off + k] = hicksHenneBump(base.x[i], positions[k], width);
    }
  }

  /** All amplitudes zero: the base airfoil. */
  initial(): Float64Array {
    return new Float64Array(this.nVars);
  }

  /** Base nodes moved in y by the bumps of their surface. */
  coordinates(params: Float64Array): Airfoil {
    checkParams(this, params);
    const n = this.base.x.length;
    const nv = this.nVars;
    const y = Float64Array.from(this.base.y);
    for (let i = 0; i < n; i++) {
      let dy = 0;
      for (let j = 0; j < nv; j++) dy += this.basis[i * nv + j] * params[j];
      y[i] += dy;
    }
    return {
      name: `${this.base.name} + Hicks-Henne`,
      x: Float64Array.from(this.base.x),
      y,
      source: 'Hicks-Henne parametrization',
    };
  }

  /** Exact: dy_i/da_k = b_k(x_i) on node i's surface, dx = 0. */
  jacobian(params: Float64Array): CoordinateJacobian {
    checkParams(this, params);
    const jac = emptyJacobian(this.base.x.length, this.nVars);
    jac.dy.set(this.basis);
    return jac;
  }

  /**
   * Linear least squares (within the bounds): the target surfaces, splined and split at their
   * spline LE, are sampled at the base nodes' x (surfaceYAt), and the amplitudes minimize
   * sum_i (y_base,i + sum_k a_k b_k(x_i) - y_target(x_i))^2. The target is used in its own frame.
   * Deviations: distance from the target's nodes to the fitted node polyline (polylineDeviation).
   */
  fit(target: Airfoil): FitResult {
    const split = splitSurfaces(target);
    const n = this.base.x.length;
    const nv = this.nVars;
    const b = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const side = this.nodeSide[i];
      b[i] = side !== 0 ? surfaceYAt(split, side > 0, this.base.x[i]) - this.base.y[i] : 0;
    }
    const params = boundedLinearLeastSquares(this.basis, b, n, nv, this.lower, this.upper);
    return { params, ...polylineDeviation(target, this.coordinates(params)) };
  }
}

/** Hicks-Henne parametrization on `base` (see HicksHenneOptions). */
export function hicksHenne(base: Airfoil, options: HicksHenneOptions = {}): HicksHenneParametrization {
  return new HicksHenneParametrization(base, options);
}
