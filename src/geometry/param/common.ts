/**
 * Helpers shared by the built-in parametrizations: node layout (cosine spacing, Selig order),
 * finite-difference Jacobians and the Jacobian dispatcher.
 *
 * Node layout of every built-in: `pointsPerSide` nodes per surface including the leading edge and
 * the trailing edge, Selig order (upper TE -> LE -> lower TE), the LE node shared, so
 * 2 * pointsPerSide - 1 nodes in total.
 */
import { FoiloptError } from '../../errors';
import type { CoordinateJacobian, Parametrization } from './types';

/** Default number of nodes per surface (LE and TE included) of every built-in parametrization. */
export const DEFAULT_POINTS_PER_SIDE = 100;

/**
 * Cosine ("half-cosine") spacing on [0, 1]: s_i = (1 - cos(pi i / (n - 1))) / 2, i = 0..n-1,
 * dense at both ends. s_0 = 0 and s_{n-1} = 1 exactly.
 */
export function cosineSpacing(n: number): Float64Array {
  const s = new Float64Array(n);
  for (let i = 0; i < n; i++) s[i] = 0.5 * (1 - Math.cos((Math.PI * i) / (n - 1)));
  s[0] = 0;
  s[n - 1] = 1;
  return s;
}

/** Throws a FoiloptError unless `n` is an integer >= 3 (a usable points-per-side count). */
export function checkPointsPerSide(n: number): void {
  if (!Number.isInteger(n) || n < 3) {
    throw new FoiloptError(`points per side must be an integer >= 3, got ${n}`);
  }
}

/**
 * Node index of surface station k (0 = LE, n-1 = TE) in Selig order with n points per side:
 * upper surface -> n-1-k, lower surface -> n-1+k.
 */
export function seligIndex(n: number, k: number, upper: boolean): number {
  return upper ? n - 1 - k : n - 1 + k;
}

/** Zeroed coordinate Jacobian of the given size. */
export function emptyJacobian(nNodes: number, nVars: number): CoordinateJacobian {
  return { nNodes, nVars, dx: new Float64Array(nNodes * nVars), dy: new Float64Array(nNodes * nVars) };
}

/**
 * Central-difference coordinate Jacobian: column j = (coords(p + h_j e_j) - coords(p - h_j e_j)) / (2 h_j)
 * with h_j = h * max(1, |p_j|). Steps that would leave the bounds are made one-sided there.
 */
export function jacobianFD(p: Parametrization, params: Float64Array, h = 1e-6): CoordinateJacobian {
  const nVars = p.nVars;
  const work = Float64Array.from(params);
  let jac: CoordinateJacobian | undefined;
  for (let j = 0; j < nVars; j++) {
    const hj = h * Math.max(1, Math.abs(params[j]));
    let plus = params[j] + hj;
    let minus = params[j] - hj;
    if (plus > p.upper[j]) plus = params[j];
    if (minus < p.lower[j]) minus = params[j];
    work[j] = plus;
    const a = p.coordinates(work);
    work[j] = minus;
    const b = p.coordinates(work);
    work[j] = params[j];
    const nNodes = a.x.length;
    if (b.x.length !== nNodes) {
      throw new FoiloptError(`parametrization "${p.name}" changed its node count between evaluations`);
    }
    if (!jac) jac = emptyJacobian(nNodes, nVars);
    const inv = 1 / (plus - minus);
    for (let i = 0; i < nNodes; i++) {
      jac.dx[i * nVars + j] = (a.x[i] - b.x[i]) * inv;
      jac.dy[i * nVars + j] = (a.y[i] - b.y[i]) * inv;
    }
  }
  if (!jac) jac = emptyJacobian(p.coordinates(params).x.length, 0);
  return jac;
}

/** The parametrization's analytic Jacobian if it has one, else central differences (jacobianFD). */
export function jacobianOf(p: Parametrization, params: Float64Array): CoordinateJacobian {
  return p.jacobian ? p.jacobian(params) : jacobianFD(p, params);
}

/** Throws a FoiloptError unless `params` has the parametrization's length and only finite entries. */
export function checkParams(p: { name: string; nVars: number }, params: Float64Array): void {
  if (params.length !== p.nVars) {
    throw new FoiloptError(`${p.name}: expected ${p.nVars} parameters, got ${params.length}`);
  }
  for (let j = 0; j < params.length; j++) {
    if (!Number.isFinite(params[j])) throw new FoiloptError(`${p.name}: parameter ${j} is not finite`);
  }
}
