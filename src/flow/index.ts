/**
 * Public API of the flow solver: analyze() for polars, createSolver() for repeated solves on one
 * geometry (warm starts, Jacobian access for the adjoint), and the result types.
 */
export { analyze, prepareAirfoil, sweepOrder, type AnalyzeConditions } from './analyze';
export { failedPoint } from './result';
export {
  createSolver,
  ViscousSolver,
  DEFAULT_MAX_ITERATIONS,
  DEFAULT_TOLERANCE,
  VACCEL,
  type SolverSnapshot,
} from './viscous';
export type { BlockSystem } from './blsolve';
export type { FlowConditions, SolverOptions, PointResult, BoundaryLayerSide } from './types';
export { adjointPanelGradients, OBJECTIVES, type Objective, type PanelGradient } from './adjoint';
export {
  shapeGradient,
  createDesign,
  solveDesign,
  solveFixedCl,
  adjointShapeGradients,
  type ShapeGradientRequest,
  type ShapeGradientResult,
  type Design,
} from './adjoint-chain';
