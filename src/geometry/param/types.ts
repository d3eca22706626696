import type { Airfoil } from '../types';

/**
 * d(coords)/d(params) for one parameter vector: dx[i * nVars + j] = d x_i / d p_j and
 * dy[i * nVars + j] = d y_i / d p_j (row-major, node i, variable j).
 */
export interface CoordinateJacobian {
  nNodes: number;
  nVars: number;
  dx: Float64Array;
  dy: Float64Array;
}

/** Result of a least-squares fit of a parametrization to an airfoil. */
export interface FitResult {
  params: Float64Array;
  /** largest distance (chord units) from the target's points to the fitted shape */
  maxDeviation: number;
  /** root-mean-square of the same distances */
  rmsDeviation: number;
}

/**
 * A shape parametrization: a fixed-length vector of design variables -> airfoil node coordinates
 * (always the same node count and order, see Airfoil). Built-ins and user plug-ins implement this;
 * `jacobian` is optional (finite differences are used when it is missing, see jacobianOf).
 */
export interface Parametrization {
  /** short identifier, e.g. "cst", "naca4", "bezier" */
  readonly name: string;
  /** number of design variables */
  readonly nVars: number;
  /** one name per variable, e.g. "wUpper0" */
  readonly varNames: readonly string[];
  /** lower bounds per variable (may be -Infinity) */
  readonly lower: Float64Array;
  /** upper bounds per variable (may be +Infinity) */
  readonly upper: Float64Array;
  /** a reasonable starting vector (inside the bounds) */
  initial(): Float64Array;
  /** node coordinates for a parameter vector */
  coordinates(params: Float64Array): Airfoil;
  /** analytic d(coords)/d(params); omit to fall back to finite differences */
  jacobian?(params: Float64Array): CoordinateJacobian;
  /** least-squares fit to an airfoil (any node count/order accepted by the geometry layer) */
  fit(target: Airfoil): FitResult;
}
