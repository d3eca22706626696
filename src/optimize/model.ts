/**
 * The model-agnostic interface of the optimizer: an AeroModel evaluates a shape (node coordinates)
 * at a design point and returns the forces, whether the result can be trusted (converged /
 * confidence) and, on request, their gradients with respect to the shape's node coordinates and
 * to alpha. Two implementations: the viscous solver with its discrete adjoint (solver-model.ts) and
 * the neural operator (operator-model.ts). Search, verification and polish phases only see this.
 */
import type { Airfoil } from '../geometry/types';

/** Force quantities a model returns (ld = cl / cd). */
export type Quantity = 'cl' | 'cd' | 'cm' | 'ld' | 'confidence';

/** An operating point as the models see it. */
export interface OperatingPoint {
  /** fixed alpha (degrees), or undefined at a fixed-CL point */
  alphaDeg?: number;
  /** fixed CL target (alpha adjusts), or undefined */
  cl?: number;
  re: number;
  mach: number;
  nCrit: number;
  xtrTop: number;
  xtrBot: number;
}

/** d(quantity)/d(node coordinates) of the shape as given, and d/d(alpha in degrees). */
export interface NodeGradient {
  dX: Float64Array;
  dY: Float64Array;
  /**
   * d/d(alpha, degrees) at fixed geometry (fixed-alpha points; 0 at fixed-CL points, where the
   * shape gradient is the total derivative at constant CL)
   */
  dAlphaDeg: number;
}

/** Surface pressure distribution per side, LE to TE (x/c ascending). */
export interface CpDistribution {
  top: { x: Float64Array; cp: Float64Array };
  bottom: { x: Float64Array; cp: Float64Array };
}

/** Result of one model evaluation. */
export interface ModelPoint {
  /** alpha of the result (degrees; found by the model at fixed-CL points) */
  alphaDeg: number;
  cl: number;
  cd: number;
  cm: number;
  ld: number;
  xtrTop: number;
  xtrBot: number;
  /** the solver converged (solver) / the operator is confident enough (operator) */
  converged: boolean;
  /** operator confidence in [0, 1]; 1 for a converged solver point, 0 for a failed one */
  confidence: number;
  /** gradients of the requested quantities */
  gradients?: Partial<Record<Quantity, NodeGradient>>;
  /** surface Cp when requested */
  cp?: CpDistribution;
}

/** What to compute besides the values. */
export interface EvaluateRequest {
  /** quantities whose node gradients are needed (empty: values only) */
  gradients?: readonly Quantity[];
  /** return the Cp distribution */
  cp?: boolean;
}

/** A model of the aerodynamics of a shape at a design point. */
export interface AeroModel {
  /** 'solver' or 'operator' */
  readonly kind: 'solver' | 'operator';
  /** how gradients are computed ('adjoint', 'autodiff') */
  readonly gradientMethod: 'adjoint' | 'autodiff';
  /**
   * Evaluates `shape` (normalized coordinates, chord 1, as a parametrization gives them) at `point`.
   * Never throws for a bad shape or a failed point: converged = false instead.
   */
  evaluate(shape: Airfoil, point: OperatingPoint, request?: EvaluateRequest): ModelPoint;
  /** releases resources (tfjs tensors) */
  dispose?(): void;
}

/** A failed evaluation (NaN forces, not converged). */
export function failedModelPoint(alphaDeg = NaN): ModelPoint {
  return {
    alphaDeg,
    cl: NaN,
    cd: NaN,
    cm: NaN,
    ld: NaN,
    xtrTop: NaN,
    xtrBot: NaN,
    converged: false,
    confidence: 0,
  };
}
