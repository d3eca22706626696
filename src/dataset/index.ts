/** Training-data generation for the neural operator (docs/dataset.md). */
export {
  DatasetConfigSchema,
  resolveConfig,
  loadConfigFile,
  type DatasetConfig,
  type DatasetConfigInput,
} from './config';
export { caseRng, CaseRng } from './rng';
export {
  buildCase,
  caseContext,
  drawConditions,
  prepareNodes,
  type CaseConditions,
  type CaseContext,
  type CaseEvaluator,
  type CaseResult,
  type CaseSpec,
  type SurfaceDistributions,
} from './cases';
export {
  solverEvaluator,
  syntheticEvaluator,
  surfaceAtNodes,
  resolveEvaluator,
  type EvaluatorSpec,
} from './evaluate';
export {
  ShapeSampler,
  loadCstTable,
  loadHoldout,
  SHAPE_FAMILIES,
  type ShapeFamily,
  type Holdout,
} from './shapes';
export {
  generateDataset,
  parseShardSpec,
  type GenerateOptions,
  type GenerateResult,
  type GenerateProgress,
  type JobShard,
} from './generate';
export { mergeDatasets, type MergeResult } from './merge';
export {
  openDataset,
  readDataset,
  iterateCases,
  verifyDataset,
  decodeCase,
  type DatasetCase,
  type DatasetHandle,
  type LoadedDataset,
} from './read';
export { datasetInfo, formatInfo, type DatasetInfo } from './info';
export type { DatasetManifest, ShardEntry, CaseStats, RunRecord } from './manifest';
export { SCHEMA_VERSION, ARRAY_FIELDS, SCALAR_FIELDS, INT_FIELDS, recordWords } from './layout';
