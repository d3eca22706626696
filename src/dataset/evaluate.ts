/**
 * Case evaluators: the default one runs the viscous solver (src/flow/analyze.ts) on a case; the
 * "synthetic" one is a cheap analytic stand-in (thin-airfoil lift, flat-plate friction) for testing the
 * dataset machinery; custom ones are loaded from a module, so that worker threads can load them too.
 */
import * as path from 'path';
import { FoiloptError } from '../errors';
import type { Airfoil } from '../geometry/types';
import type { BoundaryLayerSide, FlowConditions, PointResult, SolverOptions } from '../flow/types';
import {
  failedResult,
  type CaseEvaluator,
  type CaseResult,
  type CaseSpec,
  type PolarEvaluator,
  type SurfaceDistributions,
} from './cases';

/**
 * Which evaluator computes the cases: 'solver' (default), 'synthetic', or a module exporting a
 * CaseEvaluator (`export` names it; default export name "evaluateCase"). Module paths are resolved
 * against the current directory.
 */
export type EvaluatorSpec = 'solver' | 'synthetic' | { module: string; export?: string };

type AnalyzeFn = (
  airfoil: Airfoil,
  conditions: FlowConditions & { alphaDeg?: number | number[]; cl?: number | number[] },
  options?: SolverOptions,
) => PointResult[];

/** Largest node/station distance (chord units) accepted when matching BL stations to nodes. */
export const NODE_MATCH_TOLERANCE = 1e-6;

/**
 * The boundary-layer distributions of a point mapped onto the airfoil nodes (node order). Each side
 * runs downstream from the stagnation point, so node order is the top side reversed, then the bottom
 * side; every station must sit on its node (distance <= NODE_MATCH_TOLERANCE). When that layout does
 * not hold, each station is matched to the nearest free node instead (ties go to the first free node,
 * which keeps a sharp trailing edge's two coincident nodes apart). Returns null unless every node
 * receives exactly one station.
 */
export function surfaceAtNodes(
  airfoil: Airfoil,
  bl: { top: BoundaryLayerSide; bottom: BoundaryLayerSide },
): SurfaceDistributions | null {
  const n = airfoil.x.length;
  const { top, bottom } = bl;
  const nodeOf = new Int32Array(top.x.length + bottom.x.length).fill(-1);
  const station = (k: number): [BoundaryLayerSide, number] =>
    k < top.x.length ? [top, k] : [bottom, k - top.x.length];
  const dist = (j: number, k: number) => {
    const [side, i] = station(k);
    return Math.abs(airfoil.x[j] - side.x[i]) + Math.abs(airfoil.y[j] - side.y[i]);
  };
  let structured = nodeOf.length === n;
  for (let k = 0; structured && k < nodeOf.length; k++) {
    const j = k < top.x.length ? top.x.length - 1 - k : k;
    if (dist(j, k) > NODE_MATCH_TOLERANCE) structured = false;
    else nodeOf[k] = j;
  }
  if (!structured) {
    const filled = new Uint8Array(n);
    for (let k = 0; k < nodeOf.length; k++) {
      let best = -1;
      let bestD = Infinity;
      for (let j = 0; j < n; j++) {
        if (filled[j]) continue;
        const d = dist(j, k);
        if (d < bestD) {
          bestD = d;
          best = j;
        }
      }
      if (best < 0 || bestD > NODE_MATCH_TOLERANCE) return null;
      filled[best] = 1;
      nodeOf[k] = best;
    }
    if (nodeOf.length !== n) return null;
  }
  const out: SurfaceDistributions = {
    cp: new Float64Array(n),
    ue: new Float64Array(n),
    deltaStar: new Float64Array(n),
    theta: new Float64Array(n),
    h: new Float64Array(n),
    cf: new Float64Array(n),
    nAmpOrSqrtCtau: new Float64Array(n),
    turbulent: new Float64Array(n),
  };
  for (let k = 0; k < nodeOf.length; k++) {
    const [side, i] = station(k);
    const j = nodeOf[k];
    out.cp[j] = side.cp[i];
    out.ue[j] = side.ue[i];
    out.deltaStar[j] = side.deltaStar[i];
    out.theta[j] = side.theta[i];
    out.h[j] = side.h[i];
    out.cf[j] = side.cf[i];
    out.nAmpOrSqrtCtau[j] = side.nAmpOrSqrtCtau[i];
    out.turbulent[j] = side.turbulent[i];
  }
  return out;
}

let analyzeFn: AnalyzeFn | undefined;

function loadAnalyze(): AnalyzeFn {
  if (analyzeFn) return analyzeFn;
  const mod = require('../flow/analyze') as { analyze?: AnalyzeFn };
  if (typeof mod.analyze !== 'function')
    throw new FoiloptError('the viscous solver module does not export analyze()');
  analyzeFn = mod.analyze;
  return analyzeFn;
}

/**
 * Angles of the retry sweep: 0 to alphaDeg in equal steps of at most stepDeg (both ends included).
 */
export function retrySweep(alphaDeg: number, stepDeg: number): number[] {
  const k = Math.max(1, Math.ceil(Math.abs(alphaDeg) / stepDeg));
  return Array.from({ length: k + 1 }, (_, i) => (i === 0 ? 0 : i === k ? alphaDeg : (alphaDeg * i) / k));
}

/**
 * The default evaluator: `analyze(shape, conditions, {panels, maxIterations, tolerance})` on the
 * case's raw shape (analyze normalizes and repanels exactly like prepareNodes, so the solver's nodes
 * are the stored nodes; the match is checked by surfaceAtNodes). One cold-started point per case;
 * when it fails and solver.retrySweepStepDeg > 0, a warm-started sweep from alpha 0 (retrySweep) is
 * tried and its last point kept if it converged (retried = true).
 */
export const solverEvaluator: CaseEvaluator = (c: CaseSpec): CaseResult => {
  const analyze = loadAnalyze();
  const s = c.config.solver;
  const options = solverOptions(c);
  const alpha = c.conditions.alphaDeg;
  let [p] = analyze(c.shape.airfoil, { ...c.conditions, alphaDeg: alpha }, options);
  let retried = false;
  if (p && !p.converged && s.retrySweepStepDeg > 0 && alpha !== 0) {
    const sweep = analyze(
      c.shape.airfoil,
      { ...c.conditions, alphaDeg: retrySweep(alpha, s.retrySweepStepDeg) },
      options,
    );
    const q = sweep[sweep.length - 1];
    if (q?.converged) {
      p = q;
      retried = true;
    }
  }
  return p ? caseResultOf(c, p, retried) : failedResult();
};

/**
 * The default evaluator in polar mode: the cases of one polar (same shape and conditions, different
 * alphaDeg) solved by one `analyze` call, i.e. one warm-started sweep from the angle nearest 0 outward
 * in both directions, failed points retried once from their converged neighbour (solveSweep). No
 * extra retry sweep: the polar is its own warm start.
 */
export const solverPolarEvaluator: PolarEvaluator = (cases: CaseSpec[]): CaseResult[] => {
  const analyze = loadAnalyze();
  const c = cases[0];
  const points = analyze(
    c.shape.airfoil,
    { ...c.conditions, alphaDeg: cases.map((k) => k.conditions.alphaDeg) },
    solverOptions(c),
  );
  return cases.map((k, i) => (points[i] ? caseResultOf(k, points[i], false) : failedResult()));
};

/** The solver options of a case: its config's panels, iteration limit and tolerance. */
function solverOptions(c: CaseSpec): SolverOptions {
  const s = c.config.solver;
  const options: SolverOptions = { panels: c.config.panels };
  if (s.maxIterations !== undefined) options.maxIterations = s.maxIterations;
  if (s.tolerance !== undefined) options.tolerance = s.tolerance;
  return options;
}

/** A solver point as the CaseResult of case `c` (surface distributions mapped onto its nodes). */
function caseResultOf(c: CaseSpec, p: PointResult, retried: boolean): CaseResult {
  const r: CaseResult = {
    cl: p.cl,
    cd: p.cd,
    cdp: p.cdp,
    cdf: p.cdf,
    cm: p.cm,
    xtrTop: p.xtrTop,
    xtrBot: p.xtrBot,
    converged: p.converged,
    iterations: p.iterations,
    residual: p.residual,
    retried,
  };
  if (p.boundaryLayer) {
    const surface = surfaceAtNodes(c.airfoil, p.boundaryLayer);
    if (surface) r.surface = surface;
  }
  return r;
}

/**
 * Analytic stand-in for the solver, for tests and benches of the dataset machinery (not physics
 * data): thin-airfoil lift cl = 2 pi (alpha - alpha0) / sqrt(1 - M^2) with alpha0 = -4 * (mean
 * height of the contour), friction cdf = 2 * 0.074 Re^-0.2 (turbulent flat plate, both sides),
 * cdp = 0.25 cdf, cm = -pi * (mean height); "converged" when |alpha| <= 12 deg; node distributions
 * from the contour (cp = 1 - (1 + 2 y +- cl/4)^2 ...). Busy-waits FOILOPT_SYNTHETIC_DELAY_MS per
 * case when that variable is set (to make runs slow enough to interrupt).
 */
export const syntheticEvaluator: CaseEvaluator = (c: CaseSpec): CaseResult => {
  const delay = Number(process.env.FOILOPT_SYNTHETIC_DELAY_MS ?? 0);
  if (delay > 0) {
    const until = performance.now() + delay;
    while (performance.now() < until) {
      /* busy wait: simulates solver work */
    }
  }
  const { x, y } = c.airfoil;
  const n = x.length;
  let area = 0;
  let len = 0;
  for (let i = 1; i < n; i++) {
    const dx = Math.abs(x[i] - x[i - 1]);
    area += 0.5 * (y[i] + y[i - 1]) * dx;
    len += dx;
  }
  const meanY = area / len;
  const { alphaDeg, re, mach, xtrTop, xtrBot } = c.conditions;
  const alpha0 = -4 * meanY;
  const cl = (2 * Math.PI * ((alphaDeg * Math.PI) / 180 - alpha0)) / Math.sqrt(1 - mach * mach);
  const cdf = 2 * 0.074 * Math.pow(re, -0.2);
  const cdp = 0.25 * cdf;
  const surface: SurfaceDistributions = {
    cp: new Float64Array(n),
    ue: new Float64Array(n),
    deltaStar: new Float64Array(n),
    theta: new Float64Array(n),
    h: new Float64Array(n),
    cf: new Float64Array(n),
    nAmpOrSqrtCtau: new Float64Array(n),
    turbulent: new Float64Array(n),
  };
  let iLe = 0;
  for (let i = 1; i < n; i++) if (x[i] < x[iLe]) iLe = i;
  for (let i = 0; i < n; i++) {
    const upper = i <= iLe ? 1 : -1;
    const ue = Math.max(0, 1 + 2 * Math.abs(y[i]) + (upper * cl) / 4);
    const theta = (0.664 * Math.sqrt(Math.max(x[i], 1e-4))) / Math.sqrt(re);
    const turbulent = x[i] > (upper > 0 ? Math.min(xtrTop, 0.5) : Math.min(xtrBot, 0.6)) ? 1 : 0;
    surface.ue[i] = ue;
    surface.cp[i] = 1 - ue * ue;
    surface.theta[i] = theta;
    surface.h[i] = turbulent ? 1.4 : 2.59;
    surface.deltaStar[i] = surface.h[i] * theta;
    surface.cf[i] = 0.5 * cdf;
    surface.nAmpOrSqrtCtau[i] = turbulent ? 0.05 : 9 * x[i];
    surface.turbulent[i] = turbulent;
  }
  return {
    cl,
    cd: cdf + cdp,
    cdp,
    cdf,
    cm: -Math.PI * meanY,
    xtrTop: Math.min(xtrTop, 0.5),
    xtrBot: Math.min(xtrBot, 0.6),
    converged: Math.abs(alphaDeg) <= 12,
    iterations: 3 + (c.index % 5),
    residual: 1e-5,
    surface,
  };
};

/** The polar evaluator of a spec (polar mode), or undefined when its cases are evaluated one by one. */
export function resolvePolarEvaluator(spec: EvaluatorSpec): PolarEvaluator | undefined {
  return spec === 'solver' ? solverPolarEvaluator : undefined;
}

/** Short identifier of an evaluator spec, recorded in the manifest. */
export function evaluatorId(spec: EvaluatorSpec): string {
  if (spec === 'solver' || spec === 'synthetic') return spec;
  return `module:${path.basename(spec.module)}#${spec.export ?? 'evaluateCase'}`;
}

/** The evaluator function of a spec (loads a module spec with require). */
export function resolveEvaluator(spec: EvaluatorSpec): CaseEvaluator {
  if (spec === 'solver') return solverEvaluator;
  if (spec === 'synthetic') return syntheticEvaluator;
  const file = path.resolve(spec.module);
  const name = spec.export ?? 'evaluateCase';
  let mod: Record<string, unknown>;
  try {
    mod = require(file);
  } catch (e) {
    throw new FoiloptError(`cannot load the evaluator module: ${(e as Error).message.split('\n')[0]}`, {
      file,
    });
  }
  const fn = mod[name];
  if (typeof fn !== 'function')
    throw new FoiloptError(`the evaluator module does not export a function "${name}"`, { file });
  return fn as CaseEvaluator;
}
