/** Shape parametrizations: interface, built-ins, registry and helpers (see docs/parametrizations.md). */
export type { CoordinateJacobian, FitResult, Parametrization } from './types';
export {
  DEFAULT_POINTS_PER_SIDE,
  cosineSpacing,
  emptyJacobian,
  jacobianFD,
  jacobianOf,
  seligIndex,
} from './common';
export {
  ALIGNMENT_LOWER,
  ALIGNMENT_UPPER,
  applyAlignment,
  fitByDistance,
  fitFrame,
  isUnitFrame,
  levenbergMarquardt,
  linearLeastSquares,
  polylineDeviation,
  splitSurfaces,
  surfaceYAt,
  type Alignment,
  type DistanceFitOptions,
  type DistanceFitResult,
  type LeastSquaresProblem,
  type LmOptions,
} from './fit';
export {
  NACA_TE_COEF_OPEN,
  NACA_TE_COEF_SHARP,
  naca4,
  naca5,
  nacaAirfoil,
  parseNacaCode,
  NacaParametrization,
  type NacaOptions,
  type NacaParamOptions,
} from './naca';
export { cst, CstParametrization, CST_DEFAULT_WEIGHTS, type CstOptions } from './cst';
export { bezier, BezierParametrization, BEZIER_DEFAULT_CONTROL_POINTS, type BezierOptions } from './bezier';
export { hicksHenne, hicksHenneBump, HicksHenneParametrization, type HicksHenneOptions } from './hicksHenne';
export { parsec, ParsecParametrization, PARSEC_VARIABLES, type ParsecOptions } from './parsec';
export {
  parametrizationFromSpec,
  registerParametrization,
  registeredParametrizations,
  type ParametrizationFactory,
} from './registry';
