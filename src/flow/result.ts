/** Helpers for PointResult values shared by the solver, analyze() and the dataset generator. */
import type { PointResult } from './types';

/** A point that could not be computed at all (NaN everywhere, converged false). */
export function failedPoint(alphaDeg: number): PointResult {
  return {
    alpha: alphaDeg,
    cl: NaN,
    cd: NaN,
    cdp: NaN,
    cdf: NaN,
    cm: NaN,
    xtrTop: NaN,
    xtrBot: NaN,
    converged: false,
    iterations: 0,
    residual: NaN,
  };
}
