/**
 * Shape gradients of CL, CD, CM, L/D for a design point given by an airfoil (its node coordinates
 * as the variables, "nodes") or by a parametrization ("cst:8", "bezier:6", ...), by the discrete
 * adjoint (adjoint.ts) or by central finite differences of fully converged solves (the reference).
 *
 * The chain of the adjoint gradient: parameters -> coordinates (the parametrization's Jacobian,
 * analytic or FD for plug-ins) -> normalize -> repanel (adjoint-prepare.ts, reverse mode) -> solver
 * nodes -> J (adjoint). Every step is a vector-Jacobian product, so the cost does not grow with the
 * number of variables.
 *
 * Operating point: fixed alpha, or fixed CL. In fixed-CL mode the point is solved at the target CL
 * and then re-converged at fixed alpha with the wake rebuilt at that alpha (the solver's fixed-CL
 * mode rebuilds the wake only when alpha moved by more than 0.01 deg); the gradient holds CL at the
 * value of that state (within ~1e-5 of the target).
 */
import { FoiloptError } from '../errors';
import { jacobianOf, parametrizationFromSpec, type Parametrization } from '../geometry/param';
import { repanel } from '../geometry/paneling';
import type { Airfoil } from '../geometry/types';
import { adjointPanelGradients, type AdjointOptions, type Objective } from './adjoint';
import { normalizeReverse, prepareWithTrace, repanelReverse, type PrepareTrace } from './adjoint-prepare';
import type { FlowConditions, PointResult, SolverOptions } from './types';
import { createSolver, type ViscousSolver } from './viscous';

/**
 * The solver rebuilds the wake only when alpha moves by more than 1e-5 rad; a fixed-alpha solve
 * after a jog of this many degrees puts the wake exactly at the new alpha (the function the adjoint
 * differentiates in fixed-CL mode: wake at the converged alpha).
 */
const WAKE_JOG_DEG = 0.01;

/** Fixed-alpha solve with the wake rebuilt at exactly alphaDeg (jog away and back). */
export function solveAlphaRebuildingWake(solver: ViscousSolver, alphaDeg: number): PointResult {
  const wake = solver.wake;
  if (wake && Math.abs(wake.alphaRad - (alphaDeg * Math.PI) / 180) > 0)
    solver.solveAlpha(alphaDeg + WAKE_JOG_DEG);
  return solver.solveAlpha(alphaDeg);
}

/** Solver tolerance of the design-point solves of a gradient (the adjoint assumes R(U) = 0). */
export const GRADIENT_SOLVE_TOLERANCE = 1e-10;
/** Newton iteration cap of those solves. */
export const GRADIENT_SOLVE_ITERATIONS = 100;

/** A request for shapeGradient. */
export interface ShapeGradientRequest {
  /** the design airfoil (any node count; normalized and repaneled like analyze()) */
  airfoil: Airfoil;
  conditions: FlowConditions;
  /** operating point: exactly one of alphaDeg (fixed alpha) or cl (fixed CL) */
  alphaDeg?: number;
  cl?: number;
  objective: Objective;
  /** design variables: 'nodes' (the airfoil's node coordinates, default) or a parametrization spec */
  param?: string;
  /** parameter vector of the parametrization (default: its fit to `airfoil`) */
  params?: Float64Array;
  /** 'adjoint' (default) or 'fd' (central finite differences of converged solves) */
  method?: 'adjoint' | 'fd';
  /** panels (default 160), repanel (default true), wake length; tolerance and iterations are set here */
  options?: SolverOptions;
  /** FD step per variable (default 1e-6 for parameters, 1e-7 for node coordinates) */
  fdStep?: number;
}

/** Result of shapeGradient (the CLI's --json prints of, value, names, gradient, method, seconds). */
export interface ShapeGradientResult {
  /** objective name */
  of: Objective;
  /** objective value at the design point */
  value: number;
  /** variable names (parametrization names, or x0, y0, x1, y1, ... for nodes) */
  names: string[];
  /** dJ/d(variable) */
  gradient: number[];
  method: 'adjoint' | 'fd';
  /** wall-clock seconds of the whole evaluation (design-point solve included) */
  seconds: number;
  /** dJ/d(alpha in degrees) at fixed geometry (fixed-alpha mode; NaN in fixed-CL mode) */
  alphaDerivative: number;
  /** the converged design point */
  point: PointResult;
  /** the parameter vector used (parametrizations) */
  params?: Float64Array;
}

/** Design variables of a gradient: the parametrization (null for node coordinates) and its point. */
export interface Design {
  param: Parametrization | null;
  params: Float64Array | null;
  /** the design's coordinates (input of normalize + repanel) */
  coords: Airfoil;
  names: string[];
}

/**
 * The design of an airfoil for a variables spec: 'nodes' (the airfoil's node coordinates, names
 * x0, y0, x1, ...) or a parametrization spec, at `params` or (default) at its fit to the airfoil.
 */
export function createDesign(airfoil: Airfoil, spec = 'nodes', params?: Float64Array): Design {
  const sp = spec.trim();
  if (sp.toLowerCase() === 'nodes') {
    const n = airfoil.x.length;
    const names: string[] = [];
    for (let i = 0; i < n; i++) names.push(`x${i}`, `y${i}`);
    return { param: null, params: null, coords: airfoil, names };
  }
  const p = parametrizationFromSpec(sp, airfoil);
  const pv = params ? Float64Array.from(params) : p.fit(airfoil).params;
  return { param: p, params: pv, coords: p.coordinates(pv), names: [...p.varNames] };
}

function designOf(req: ShapeGradientRequest): Design {
  return createDesign(req.airfoil, req.param ?? 'nodes', req.params);
}

/** Solver options of the gradient solves (tight tolerance). */
export function tightOptions(o: SolverOptions | undefined): SolverOptions {
  return {
    ...o,
    tolerance: Math.min(o?.tolerance ?? GRADIENT_SOLVE_TOLERANCE, GRADIENT_SOLVE_TOLERANCE),
    maxIterations: Math.max(o?.maxIterations ?? GRADIENT_SOLVE_ITERATIONS, GRADIENT_SOLVE_ITERATIONS),
  };
}

/** A solved design point. */
export interface Solved {
  trace: PrepareTrace;
  solver: ViscousSolver;
  point: PointResult;
}

/**
 * Prepares and solves a design point: fixed alpha, or fixed CL followed by a fixed-alpha
 * re-convergence at the found alpha (wake at that alpha).
 */
export function solveDesign(
  coords: Airfoil,
  req: { conditions: FlowConditions; alphaDeg?: number; cl?: number },
  opts: SolverOptions,
): Solved {
  const trace = prepareWithTrace(coords, opts.panels ?? 160, opts.repanel !== false);
  const solver = createSolver(trace.prepared, req.conditions, opts);
  let point: PointResult;
  if (req.cl !== undefined) {
    const r = solver.solveCl(req.cl);
    point = r.converged ? solveAlphaRebuildingWake(solver, r.alpha) : r;
  } else {
    point = solver.solveAlpha(req.alphaDeg!);
  }
  return { trace, solver, point };
}

/** Objective value of a point result. */
export function objectiveOf(p: PointResult, obj: Objective): number {
  return obj === 'cl' ? p.cl : obj === 'cd' ? p.cd : obj === 'cm' ? p.cm : p.cl / p.cd;
}

/** Adjoint gradient of one objective w.r.t. the design variables. */
export interface VariableGradient {
  objective: Objective;
  value: number;
  gradient: number[];
  /** dJ/dalpha per radian at fixed geometry (fixed alpha), dJ/dCL (fixed CL) */
  alpha: number;
}

/**
 * Adjoint gradients of several objectives w.r.t. the design variables at a solved design point:
 * one adjoint solve per objective (two in fixed-CL mode: + CL), then the chain through repanel,
 * normalize and the parametrization (reverse mode; repanel by central differences of the map when
 * its reverse does not support the input, e.g. corners).
 */
export function adjointShapeGradients(
  s: Solved,
  design: Design,
  objectives: readonly Objective[],
  mode: 'alpha' | 'cl',
  adjointOptions: AdjointOptions = {},
): VariableGradient[] {
  const grads = adjointPanelGradients(s.solver, objectives, { ...adjointOptions, mode });
  const t = s.trace;
  return grads.map((g) => {
    let nb: { x: Float64Array; y: Float64Array } = { x: g.x, y: g.y };
    if (t.repaneled) {
      try {
        nb = repanelReverse(t.normalized, t.opts, t.sOut, t.prepared, g.x, g.y);
      } catch {
        nb = repanelReverseFD(t, g.x, g.y);
      }
    }
    const ib = normalizeReverse(t.input, nb.x, nb.y);
    return {
      objective: g.objective,
      value: g.value,
      gradient: toVariables(design, ib.x, ib.y),
      alpha: g.alpha,
    };
  });
}

/** Reverse of repanel by central differences of the map, one input coordinate at a time (fallback). */
function repanelReverseFD(
  t: PrepareTrace,
  gx: Float64Array,
  gy: Float64Array,
): { x: Float64Array; y: Float64Array } {
  const a = t.normalized;
  const nb = a.x.length;
  const out = { x: new Float64Array(nb), y: new Float64Array(nb) };
  const h = 1e-8;
  const f = (x: Float64Array, y: Float64Array): number => {
    const r = repanel({ name: a.name, x, y }, t.opts);
    let s = 0;
    for (let i = 0; i < r.x.length; i++) s += gx[i] * r.x[i] + gy[i] * r.y[i];
    return s;
  };
  for (let i = 0; i < nb; i++) {
    for (const c of [0, 1]) {
      const xp = Float64Array.from(a.x);
      const yp = Float64Array.from(a.y);
      const xm = Float64Array.from(a.x);
      const ym = Float64Array.from(a.y);
      if (c === 0) {
        xp[i] += h;
        xm[i] -= h;
      } else {
        yp[i] += h;
        ym[i] -= h;
      }
      const d = (f(xp, yp) - f(xm, ym)) / (2 * h);
      if (c === 0) out.x[i] = d;
      else out.y[i] = d;
    }
  }
  return out;
}

/** Chain from input-coordinate bars to the design variables. */
export function toVariables(design: Design, xB: Float64Array, yB: Float64Array): number[] {
  if (!design.param || !design.params) {
    const g: number[] = [];
    for (let i = 0; i < xB.length; i++) g.push(xB[i], yB[i]);
    return g;
  }
  const jac = jacobianOf(design.param, design.params);
  const nv = jac.nVars;
  const g = new Array<number>(nv).fill(0);
  for (let i = 0; i < jac.nNodes; i++) {
    const bx = xB[i];
    const by = yB[i];
    const o = i * nv;
    for (let j = 0; j < nv; j++) g[j] += bx * jac.dx[o + j] + by * jac.dy[o + j];
  }
  return g;
}

/**
 * Fixed-CL solution of a design: alpha adjusted (secant on fixed-alpha solves, wake rebuilt at every
 * alpha) until CL equals `clTarget` to 1e-12. Returns the converged point (converged false if not).
 */
export function solveFixedCl(
  coords: Airfoil,
  conditions: FlowConditions,
  opts: SolverOptions,
  clTarget: number,
  alpha0: number,
  clAlphaDeg: number,
): Solved {
  const trace = prepareWithTrace(coords, opts.panels ?? 160, opts.repanel !== false);
  const solver = createSolver(trace.prepared, conditions, opts);
  let a = alpha0;
  let p = solver.solveAlpha(a);
  let slope = clAlphaDeg;
  for (let it = 0; it < 20 && p.converged; it++) {
    const err = p.cl - clTarget;
    if (Math.abs(err) < 1e-12) break;
    const a2 = a - err / slope;
    const p2 = solveAlphaRebuildingWake(solver, a2);
    if (p2.converged && a2 !== a) slope = (p2.cl - p.cl) / (a2 - a);
    a = a2;
    p = p2;
  }
  if (Math.abs(p.cl - clTarget) > 1e-9) p.converged = false;
  return { trace, solver, point: p };
}

/**
 * Gradient of an objective w.r.t. the design variables (see the module comment and
 * ShapeGradientRequest). Throws a FoiloptError when the design point does not converge.
 */
export function shapeGradient(req: ShapeGradientRequest): ShapeGradientResult {
  const t0 = performance.now();
  if ((req.alphaDeg === undefined) === (req.cl === undefined))
    throw new FoiloptError('gradient: give exactly one of alpha or cl');
  const method = req.method ?? 'adjoint';
  const mode: 'alpha' | 'cl' = req.cl !== undefined ? 'cl' : 'alpha';
  const design = designOf(req);
  const opts = tightOptions(req.options);
  const base = solveDesign(design.coords, req, opts);
  if (!base.point.converged) throw new FoiloptError('gradient: the design point did not converge');
  let gradient: number[];
  let value = objectiveOf(base.point, req.objective);
  let alphaDerivative = NaN;
  const DEG = Math.PI / 180;
  if (method === 'adjoint') {
    const [g] = adjointShapeGradients(base, design, [req.objective], mode);
    gradient = g.gradient;
    value = g.value;
    if (mode === 'alpha') alphaDerivative = g.alpha * DEG;
  } else {
    gradient = fdGradient(req, design, opts, base);
    if (mode === 'alpha') {
      const h = 1e-4;
      const s = base.solver;
      const fp = objectiveOf(s.solveAlpha(req.alphaDeg! + h), req.objective);
      const fm = objectiveOf(s.solveAlpha(req.alphaDeg! - h), req.objective);
      alphaDerivative = (fp - fm) / (2 * h);
    }
  }
  return {
    of: req.objective,
    value,
    names: design.names,
    gradient,
    method,
    seconds: (performance.now() - t0) / 1000,
    alphaDerivative,
    point: base.point,
    params: design.params ?? undefined,
  };
}

/** Central finite differences of fully converged solves, one variable at a time. */
function fdGradient(req: ShapeGradientRequest, design: Design, opts: SolverOptions, base: Solved): number[] {
  const nv = design.names.length;
  const out = new Array<number>(nv).fill(NaN);
  const fixedCl = req.cl !== undefined;
  // CL slope per degree for the fixed-CL secant start
  let clAlphaDeg = 0.1;
  if (fixedCl) {
    const s = base.solver;
    const a = base.point.alpha;
    const pp = s.solveAlpha(a + 0.01);
    const pm = s.solveAlpha(a - 0.01);
    clAlphaDeg = (pp.cl - pm.cl) / 0.02;
    s.solveAlpha(a);
  }
  const evalCoords = (coords: Airfoil): number => {
    if (fixedCl) {
      const p = solveFixedCl(coords, req.conditions, opts, base.point.cl, base.point.alpha, clAlphaDeg).point;
      return p.converged ? objectiveOf(p, req.objective) : NaN;
    }
    const s = solveDesign(coords, req, opts);
    return s.point.converged ? objectiveOf(s.point, req.objective) : NaN;
  };
  for (let j = 0; j < nv; j++) {
    let plus: Airfoil;
    let minus: Airfoil;
    let h: number;
    if (design.param && design.params) {
      h = req.fdStep ?? 1e-6 * Math.max(1, Math.abs(design.params[j]));
      const pp = Float64Array.from(design.params);
      const pm = Float64Array.from(design.params);
      pp[j] += h;
      pm[j] -= h;
      plus = design.param.coordinates(pp);
      minus = design.param.coordinates(pm);
    } else {
      h = req.fdStep ?? 1e-7;
      const i = j >> 1;
      const c = design.coords;
      const xp = Float64Array.from(c.x);
      const yp = Float64Array.from(c.y);
      const xm = Float64Array.from(c.x);
      const ym = Float64Array.from(c.y);
      if ((j & 1) === 0) {
        xp[i] += h;
        xm[i] -= h;
      } else {
        yp[i] += h;
        ym[i] -= h;
      }
      plus = { name: c.name, x: xp, y: yp };
      minus = { name: c.name, x: xm, y: ym };
    }
    out[j] = (evalCoords(plus) - evalCoords(minus)) / (2 * h);
  }
  return out;
}
