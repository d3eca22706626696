/**
 * The neural operator (src/operator, contract in docs/optimize.md) as an AeroModel. The operator
 * module is loaded lazily with require('../operator') so that the solver path works in builds
 * without it; loadOperatorModel throws a one-line FoiloptError when it is missing.
 *
 * Fixed-alpha points: forcesWithGradient gives the values and d/d(node coordinates), d/d(alpha).
 * Fixed-CL points: alpha by Newton on the operator's CL(alpha) (its own autodiff slope), then the
 * total derivative at constant CL, dJ/dX|CL = dJ/dX - (dJ/dalpha / dCL/dalpha) dCL/dX — the same
 * elimination as the solver's fixed-CL adjoint.
 */
import { FoiloptError } from '../errors';
import type { Airfoil } from '../geometry/types';
import type { PointResult } from '../flow/types';
import {
  failedModelPoint,
  type AeroModel,
  type EvaluateRequest,
  type ModelPoint,
  type NodeGradient,
  type OperatingPoint,
  type Quantity,
} from './model';
import { cpFromPoint } from './solver-model';

import type { ForceGradient, NeuralOperator, OperatorConditions, OperatorForces } from '../operator';

export type { OperatorConditions, OperatorForces };
/** The operator's force gradient (src/operator: ForceGradient). */
export type OperatorForceGradient = ForceGradient;
/** The part of the operator's API the optimizer uses (a NeuralOperator, or a stand-in in tests). */
export type NeuralOperatorLike = Pick<
  NeuralOperator,
  'predictForces' | 'forcesWithGradient' | 'predict' | 'dispose'
>;

/** Is src/operator present in this build? */
export function operatorAvailable(): boolean {
  try {
    require.resolve('../operator');
    return true;
  } catch {
    return false;
  }
}

/** Loads the committed operator (models/operator by default) through the operator module. */
export async function loadNeuralOperator(dir?: string): Promise<NeuralOperatorLike> {
  let mod: { loadOperator?: (dir?: string) => Promise<NeuralOperatorLike> };
  try {
    mod = require('../operator');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err?.code === 'MODULE_NOT_FOUND' && /operator/.test(err.message))
      throw new FoiloptError(
        'the neural operator is not part of this build (src/operator is missing); use "model": "solver" or search.model "solver"',
      );
    throw new FoiloptError(`cannot load the neural operator: ${err?.message ?? String(e)}`);
  }
  if (typeof mod.loadOperator !== 'function')
    throw new FoiloptError('the operator module does not export loadOperator()');
  try {
    return await mod.loadOperator(dir);
  } catch (e) {
    if (e instanceof FoiloptError) throw e;
    throw new FoiloptError(`cannot load the neural operator: ${(e as Error)?.message ?? String(e)}`);
  }
}

/** Options of the operator model. */
export interface OperatorModelOptions {
  /** a point counts as converged when the confidence is at least this (default 0.5) */
  minConfidence?: number;
}

const QUANTITIES: readonly Quantity[] = ['cl', 'cd', 'cm', 'ld', 'confidence'];

/** An AeroModel over a loaded NeuralOperator. */
export class OperatorModel implements AeroModel {
  readonly kind = 'operator' as const;
  readonly gradientMethod = 'autodiff' as const;
  evaluations = 0;
  seconds = 0;
  private readonly minConfidence: number;

  constructor(
    readonly op: NeuralOperatorLike,
    options: OperatorModelOptions = {},
  ) {
    this.minConfidence = options.minConfidence ?? 0.5;
  }

  private conditions(p: OperatingPoint, alphaDeg: number): OperatorConditions {
    return { alphaDeg, re: p.re, mach: p.mach, nCrit: p.nCrit, xtrTop: p.xtrTop, xtrBot: p.xtrBot };
  }

  evaluate(shape: Airfoil, point: OperatingPoint, request: EvaluateRequest = {}): ModelPoint {
    const t0 = performance.now();
    this.evaluations++;
    try {
      return this.evaluateInner(shape, point, request);
    } catch {
      return failedModelPoint(point.alphaDeg);
    } finally {
      this.seconds += (performance.now() - t0) / 1000;
    }
  }

  private evaluateInner(shape: Airfoil, point: OperatingPoint, request: EvaluateRequest): ModelPoint {
    const want = request.gradients ?? [];
    let alpha = point.alphaDeg ?? 0;
    let fg: OperatorForceGradient | null = null;
    if (point.cl !== undefined) {
      // Newton on CL(alpha) with the operator's own slope
      for (let it = 0; it < 30; it++) {
        fg = this.op.forcesWithGradient(shape, this.conditions(point, alpha));
        const err = fg.value.cl - point.cl;
        if (Math.abs(err) < 1e-10) break;
        const slope = fg.dAlphaDeg.cl;
        if (!(slope > 1e-3)) return failedModelPoint();
        const step = Math.max(-3, Math.min(3, -err / slope));
        alpha += step;
        if (Math.abs(step) < 1e-9) break;
      }
      if (!fg || Math.abs(fg.value.cl - point.cl) > 1e-6) return failedModelPoint();
    } else if (want.length > 0) {
      fg = this.op.forcesWithGradient(shape, this.conditions(point, alpha));
    }
    const v: OperatorForces = fg?.value ?? this.op.predictForces([shape], [this.conditions(point, alpha)])[0];
    if (![v.cl, v.cd, v.cm].every(Number.isFinite) || !(v.cd > 0)) return failedModelPoint(point.alphaDeg);
    const out: ModelPoint = {
      alphaDeg: v.alphaDeg ?? alpha,
      cl: v.cl,
      cd: v.cd,
      cm: v.cm,
      ld: v.cl / v.cd,
      xtrTop: v.xtrTop,
      xtrBot: v.xtrBot,
      converged: v.confidence >= this.minConfidence,
      confidence: v.confidence,
    };
    if (request.cp) {
      const r = this.op.predict(shape, { ...this.conditions(point, out.alphaDeg) }, { distributions: true });
      out.cp = cpFromPoint(r[0] as PointResult);
    }
    if (want.length > 0 && fg) {
      const grads: Partial<Record<Quantity, NodeGradient>> = {};
      const fixedCl = point.cl !== undefined;
      for (const q of want) {
        if (!QUANTITIES.includes(q)) continue;
        const dX = Float64Array.from(fg.dX[q]);
        const dY = Float64Array.from(fg.dY[q]);
        let dA = fg.dAlphaDeg[q];
        if (fixedCl) {
          const r = q === 'cl' ? 1 : dA / fg.dAlphaDeg.cl;
          for (let i = 0; i < dX.length; i++) {
            dX[i] -= r * fg.dX.cl[i];
            dY[i] -= r * fg.dY.cl[i];
          }
          dA = 0;
        }
        grads[q] = { dX, dY, dAlphaDeg: dA };
      }
      out.gradients = grads;
    }
    return out;
  }

  dispose(): void {
    this.op.dispose();
  }
}
