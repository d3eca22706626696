/**
 * The viscous solver as an AeroModel: each evaluation normalizes, repanels and solves the shape at
 * the design point (fixed alpha, or fixed CL with the wake rebuilt at the converged alpha), converged
 * to 1e-10 so that the discrete adjoint is exact; gradients by the adjoint (one adjoint solve per
 * requested quantity; at fixed CL the adjoint adds the CL solve and returns the total derivative at
 * constant CL). A point that fails cold is retried by a warm-started alpha sweep from 0 (XFOIL's
 * way to reach high-lift points). Failed points and shapes the panel method cannot handle come back
 * with converged = false.
 */
import type { Objective } from '../flow/adjoint';
import {
  adjointShapeGradients,
  createDesign,
  solveAlphaRebuildingWake,
  solveDesign,
  tightOptions,
  type Solved,
} from '../flow/adjoint-chain';
import type { FlowConditions, PointResult, SolverOptions } from '../flow/types';
import type { Airfoil } from '../geometry/types';
import {
  failedModelPoint,
  type AeroModel,
  type CpDistribution,
  type EvaluateRequest,
  type ModelPoint,
  type NodeGradient,
  type OperatingPoint,
  type Quantity,
} from './model';

const DEG = Math.PI / 180;
/** Largest alpha step of the warm-started retry sweep (degrees). */
const RETRY_STEP_DEG = 2;

/** Options of the solver model. */
export interface SolverModelOptions {
  /** panel nodes (default 160) */
  panels?: number;
}

function flowOf(p: OperatingPoint): FlowConditions {
  return { re: p.re, mach: p.mach, nCrit: p.nCrit, xtrTop: p.xtrTop, xtrBot: p.xtrBot };
}

/** Cp per side from a solver point (the BL stations' nodes, stagnation point to TE). */
export function cpFromPoint(p: PointResult): CpDistribution | undefined {
  const bl = p.boundaryLayer;
  if (!bl) return undefined;
  const side = (s: typeof bl.top) => {
    // ascending x from the LE: the stations run stagnation -> TE
    const n = s.x.length;
    const x = new Float64Array(n);
    const cp = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      x[i] = s.x[i];
      cp[i] = s.cp[i];
    }
    return { x, cp };
  };
  return { top: side(bl.top), bottom: side(bl.bottom) };
}

/** Solves the design point cold, then (on failure) by a warm-started sweep from alpha 0. */
export function solvePoint(shape: Airfoil, point: OperatingPoint, opts: SolverOptions): Solved | null {
  const conditions = flowOf(point);
  let s: Solved;
  try {
    s = solveDesign(shape, { conditions, alphaDeg: point.alphaDeg, cl: point.cl }, opts);
  } catch {
    return null; // a geometry the panel method cannot handle
  }
  if (s.point.converged) return s;
  // retry: sweep alpha from 0 towards the target in steps of RETRY_STEP_DEG, warm-started
  try {
    const solver = s.solver;
    solver.restoreState(null);
    let target = point.alphaDeg;
    let last = solver.solveAlpha(0);
    if (!last.converged) return s;
    if (target === undefined) {
      // fixed CL: estimate alpha with the thin-airfoil slope, refine after the sweep
      target = last.alpha + (point.cl! - last.cl) / (2 * Math.PI * DEG);
    }
    const nSteps = Math.ceil(Math.abs(target) / RETRY_STEP_DEG);
    for (let k = 1; k <= nSteps && last.converged; k++) last = solver.solveAlpha((target * k) / nSteps);
    if (!last.converged) return s;
    let p: PointResult;
    if (point.cl !== undefined) {
      const r = solver.solveCl(point.cl);
      p = r.converged ? solveAlphaRebuildingWake(solver, r.alpha) : r;
    } else {
      p = last;
    }
    return { trace: s.trace, solver, point: p };
  } catch {
    return s;
  }
}

/** The viscous solver + discrete adjoint as an AeroModel. */
export class SolverModel implements AeroModel {
  readonly kind = 'solver' as const;
  readonly gradientMethod = 'adjoint' as const;
  private readonly opts: SolverOptions;
  /** evaluations and seconds spent (for the timings of result.json) */
  evaluations = 0;
  seconds = 0;

  constructor(options: SolverModelOptions = {}) {
    this.opts = tightOptions({ panels: options.panels ?? 160 });
  }

  /** The solved design point itself (for the outputs: BL distributions, polars). */
  solve(shape: Airfoil, point: OperatingPoint): Solved | null {
    return solvePoint(shape, point, this.opts);
  }

  evaluate(shape: Airfoil, point: OperatingPoint, request: EvaluateRequest = {}): ModelPoint {
    const t0 = performance.now();
    this.evaluations++;
    try {
      return this.evaluateInner(shape, point, request);
    } finally {
      this.seconds += (performance.now() - t0) / 1000;
    }
  }

  private evaluateInner(shape: Airfoil, point: OperatingPoint, request: EvaluateRequest): ModelPoint {
    const s = solvePoint(shape, point, this.opts);
    if (!s || !s.point.converged || !Number.isFinite(s.point.cd) || s.point.cd <= 0)
      return failedModelPoint(point.alphaDeg);
    const p = s.point;
    const out: ModelPoint = {
      alphaDeg: p.alpha,
      cl: p.cl,
      cd: p.cd,
      cm: p.cm,
      ld: p.cl / p.cd,
      xtrTop: p.xtrTop,
      xtrBot: p.xtrBot,
      converged: true,
      confidence: 1,
    };
    if (request.cp) out.cp = cpFromPoint(p);
    const want = request.gradients ?? [];
    if (want.length === 0) return out;
    const fixedCl = point.cl !== undefined;
    const objectives = want.filter(
      (q): q is Objective => q !== 'confidence' && !(fixedCl && q === 'cl'),
    ) as Objective[];
    const n = shape.x.length;
    const grads: Partial<Record<Quantity, NodeGradient>> = {};
    if (objectives.length > 0) {
      let g;
      try {
        g = adjointShapeGradients(s, createDesign(shape, 'nodes'), objectives, fixedCl ? 'cl' : 'alpha');
      } catch {
        return failedModelPoint(point.alphaDeg);
      }
      for (const gi of g) {
        const dX = new Float64Array(n);
        const dY = new Float64Array(n);
        let finite = true;
        for (let i = 0; i < n; i++) {
          dX[i] = gi.gradient[2 * i];
          dY[i] = gi.gradient[2 * i + 1];
          if (!Number.isFinite(dX[i]) || !Number.isFinite(dY[i])) finite = false;
        }
        if (!finite) return failedModelPoint(point.alphaDeg);
        grads[gi.objective] = { dX, dY, dAlphaDeg: fixedCl ? 0 : gi.alpha * DEG };
      }
    }
    for (const q of want) {
      if (!grads[q]) grads[q] = { dX: new Float64Array(n), dY: new Float64Array(n), dAlphaDeg: 0 };
    }
    out.gradients = grads;
    return out;
  }
}
