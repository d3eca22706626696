/**
 * Public analysis entry point: normalizes and repanels an airfoil like XFOIL's `PANE` (160 nodes by
 * default) and solves a list of operating points (fixed alpha or fixed CL) with warm starts, in
 * XFOIL's polar order (from the point nearest 0 outward both ways, like two ASEQ sweeps).
 */
import { FoiloptError } from '../errors';
import { normalize } from '../geometry/normalize';
import { repanel } from '../geometry/paneling';
import type { Airfoil } from '../geometry/types';
import type { FlowConditions, PointResult, SolverOptions } from './types';
import { failedPoint } from './result';
import { createSolver, resolveSettings, type ViscousSolver } from './viscous';

/** Conditions of `analyze`: the flow plus either angles of attack (degrees) or lift coefficients. */
export type AnalyzeConditions = FlowConditions & { alphaDeg?: number | number[]; cl?: number | number[] };

/**
 * Chord-1 airfoil as the solver sees it: normalized (LE at the origin, chord 1, incidence kept like
 * XFOIL's NORM) and, unless `options.repanel === false`, repaneled with `options.panels` (160) nodes.
 */
export function prepareAirfoil(airfoil: Airfoil, options: SolverOptions = {}): Airfoil {
  const a = normalize(airfoil);
  if (options.repanel === false) return a;
  return repanel(a, { nodes: options.panels ?? 160 });
}

/**
 * Order in which a sweep is solved: indices of the unique finite values, starting at the value
 * nearest 0, then upward, then (restarting from the first) downward. Returned as two branches.
 */
export function sweepOrder(values: readonly number[]): { up: number[]; down: number[] } {
  const uniq = [...new Set(values.filter((v) => Number.isFinite(v)))].sort((a, b) => a - b);
  if (uniq.length === 0) return { up: [], down: [] };
  let k0 = 0;
  for (let k = 1; k < uniq.length; k++) if (Math.abs(uniq[k]) < Math.abs(uniq[k0])) k0 = k;
  const up = uniq.slice(k0);
  const down = uniq.slice(0, k0).reverse();
  return { up, down };
}

/**
 * Solves a sweep on one solver: the upward branch from the start value, then the downward branch
 * warm-started from the start point's state (a failed point re-initializes the next one, like
 * XFOIL's polar after a failure with re-initialization). Then every failed point is retried once,
 * warm-started from its converged outer neighbour (approaching it from the other side, which often
 * avoids a transition limit cycle), else from a fresh initialization. Returns value -> result.
 */
export function solveSweep(
  solver: ViscousSolver,
  values: readonly number[],
  mode: 'alpha' | 'cl',
): Map<number, PointResult> {
  const { up, down } = sweepOrder(values);
  const out = new Map<number, PointResult>();
  const snaps = new Map<number, ReturnType<ViscousSolver['saveState']>>();
  const solve = (v: number, retry: boolean): PointResult => {
    const r = mode === 'alpha' ? solver.solveAlpha(v, retry) : solver.solveCl(v, retry);
    if (r.converged) snaps.set(v, solver.saveState());
    out.set(v, r);
    return r;
  };
  for (const v of up) solve(v, false);
  if (down.length > 0) solver.restoreState(snaps.get(up[0]) ?? null);
  for (const v of down) solve(v, false);
  // fix-ups: branch order, so a repaired point can seed the next failed one
  for (const branch of [up, down]) {
    for (let k = 0; k < branch.length; k++) {
      const v = branch[k];
      if (out.get(v)!.converged) continue;
      const outer = k + 1 < branch.length ? snaps.get(branch[k + 1]) : undefined;
      solver.restoreState(outer ?? null);
      const before = out.get(v)!.iterations;
      solve(v, outer !== undefined).iterations += before;
    }
  }
  return out;
}

/**
 * Analyzes an airfoil at the given angles of attack (`alphaDeg`, degrees) or lift coefficients
 * (`cl`), one PointResult per requested value in the requested order. The airfoil is normalized and
 * repaneled first (see prepareAirfoil). Re = 0 or Infinity runs the inviscid panel method only.
 * Points that fail (no convergence, non-finite input, a geometry the panel method cannot handle)
 * come back with converged = false instead of throwing; invalid flow conditions or options throw a
 * FoiloptError.
 */
export function analyze(
  airfoil: Airfoil,
  conditions: AnalyzeConditions,
  options: SolverOptions = {},
): PointResult[] {
  const hasAlpha = conditions.alphaDeg !== undefined;
  const hasCl = conditions.cl !== undefined;
  if (hasAlpha === hasCl) throw new FoiloptError('analyze: give exactly one of alphaDeg or cl');
  const list = (hasAlpha ? conditions.alphaDeg : conditions.cl) as number | number[];
  const values = Array.isArray(list) ? list : [list];
  const mode = hasAlpha ? 'alpha' : 'cl';
  const failAll = (): PointResult[] => values.map((v) => failedPoint(mode === 'alpha' ? v : NaN));
  if (options.panels !== undefined && !(Number.isInteger(options.panels) && options.panels >= 20)) {
    throw new FoiloptError(`panels must be an integer >= 20, got ${options.panels}`);
  }
  const flow: FlowConditions = {
    re: conditions.re,
    mach: conditions.mach,
    nCrit: conditions.nCrit,
    xtrTop: conditions.xtrTop,
    xtrBot: conditions.xtrBot,
  };
  resolveSettings(flow, options); // invalid conditions or options are user errors: throw here
  // a geometry the panel method cannot handle gives failed points, not an exception
  let solver: ViscousSolver;
  try {
    solver = createSolver(prepareAirfoil(airfoil, options), flow, options);
  } catch {
    return failAll();
  }
  const results = solveSweep(solver, values, mode);
  return values.map((v) => results.get(v) ?? failedPoint(mode === 'alpha' ? v : NaN));
}
