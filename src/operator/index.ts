/**
 * Public API of the neural operator (src/operator): the pretrained model (loadOperator, predict,
 * batched forces, gradients), training, and the building blocks.
 */
export {
  loadOperator,
  defaultModelDir,
  NeuralOperator,
  FORCE_NAMES,
  frictionDrag,
  incompressibleCp,
  type OperatorForces,
  type OperatorConditions,
  type OperatorPointResult,
  type OperatorDistributions,
  type ForceGradient,
  type ForceName,
} from './predict';
export {
  trainOperator,
  type TrainOptions,
  type TrainResult,
  type EpochRecord,
  type ValidationMetrics,
} from './train';
export { loadTrainingData, datasetShards, type TrainingData } from './data';
export { GeometryEncoder, DEFAULT_ENCODING, type EncodingSpec } from './encoding';
export { initBackend, backendName, type BackendName } from './backend';
export { OperatorNet, DEFAULT_ARCHITECTURE, type OperatorSpec } from './model';
export { saveModel, loadNet, readModelFile } from './io';
