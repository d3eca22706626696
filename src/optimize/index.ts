/** Inverse design: objectives, constraints, nlopt-js drivers, the multifidelity loop (docs/optimize.md). */
export {
  DEFAULT_CONFIG,
  OptimizeConfigSchema,
  loadOptimizeConfig,
  resolveOptimizeConfig,
  type OptimizeConfig,
  type OptimizeConfigInput,
} from './config';
export type { AeroModel, ModelPoint, OperatingPoint, NodeGradient, Quantity, CpDistribution } from './model';
export { SolverModel } from './solver-model';
export { OperatorModel, loadNeuralOperator, operatorAvailable } from './operator-model';
export { Problem, type UserObjective, type PointValues, type Evaluation } from './problem';
export { setupProblem } from './setup';
export { optimize, type OptimizeOptions, type IterationInfo } from './run';
export type { OptimizeResult, DesignMetrics, PointMetrics, ConstraintReport } from './outputs';
