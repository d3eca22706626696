/** foilopt library entry point. */
export * from './geometry';
export * from './flow';
export { FoiloptError, isFoiloptError } from './errors';
export * from './optimize';

import type { Airfoil } from './geometry/types';
import type { OperatorConditions, OperatorPointResult } from './operator';
export type {
  NeuralOperator,
  OperatorConditions,
  OperatorForces,
  OperatorPointResult,
  ForceGradient,
} from './operator';

/**
 * The neural operator's prediction, mirroring analyze(): one result per alpha (forces, transition,
 * confidence, distributions at the repaneled nodes). Loads the pretrained model (models/operator, or
 * `options.model`) and the tfjs backend on first use; for batches and gradients use loadOperator()
 * from 'foilopt/dist/operator'.
 */
export async function predict(
  airfoil: Airfoil,
  conditions: Omit<OperatorConditions, 'alphaDeg'> & { alphaDeg: number | number[] },
  options: { distributions?: boolean; panels?: number; model?: string } = {},
): Promise<OperatorPointResult[]> {
  const { loadOperator } = await import('./operator');
  const op = await loadOperator(options.model);
  return op.predict(airfoil, conditions, options);
}

/** Loads a neural operator (default: the committed pretrained model); see docs/operator.md. */
export async function loadOperator(dir?: string): Promise<import('./operator').NeuralOperator> {
  return (await import('./operator')).loadOperator(dir);
}
