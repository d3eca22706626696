/**
 * The end of a run: the final solver verification with distributions, polars of baseline and final
 * shapes, the operator's prediction of both (the gap), the XFOIL check, and the files of the run
 * directory (result.json, optimized.dat, baseline.dat, analysis.json, report.html). The schemas
 * are in docs/optimize.md.
 */
import * as fs from 'fs';
import * as path from 'path';
import { writeFileAtomic } from '../dataset/files';
import { analyze } from '../flow/analyze';
import type { BoundaryLayerSide, PointResult } from '../flow/types';
import { formatSelig } from '../geometry/io';
import { measureAirfoil, type AirfoilMeasures } from '../geometry/measure';
import type { Airfoil } from '../geometry/types';
import type { OptimizeConfig } from './config';
import type { AeroModel, ModelPoint, OperatingPoint } from './model';
import type { Evaluation } from './problem';
import type { Setup } from './setup';
import type { SolverModel } from './solver-model';
import { summaryHtml } from './summary-html';
import { findXfoil, runXfoil, type XfoilPoint } from './xfoil';

export const RESULT_VERSION = 1;

/** Per-phase summary in result.json. */
export interface PhaseSummary {
  name: string;
  model: 'solver' | 'operator';
  starts?: {
    tag: string;
    objective: number | null;
    feasible: boolean;
    evaluations: number;
    iterations: number;
    stop: string;
    seconds: number;
  }[];
  candidates?: {
    tag: string;
    ok: boolean;
    reason?: string;
    objective: number | null;
    worstViolation: number | null;
    feasible: boolean;
  }[];
  seconds: number;
}

/** Forces of one design point. */
export interface PointMetrics {
  name: string;
  alphaDeg: number | null;
  cl: number | null;
  cd: number | null;
  cm: number | null;
  ld: number | null;
  xtrTop: number | null;
  xtrBot: number | null;
  converged: boolean;
  confidence?: number | null;
}

/** A shape's evaluation in result.json. */
export interface DesignMetrics {
  /** where the design came from: baseline, search:K, verify, polish */
  source: string;
  variables: number[];
  params: number[];
  objective: number | null;
  solver: PointMetrics[];
  operator: PointMetrics[] | null;
  /** operator - solver per point (ld and cd relative, cl and cm absolute) */
  gap:
    | {
        name: string;
        ldRelative: number | null;
        cdRelative: number | null;
        clAbs: number | null;
        cmAbs: number | null;
      }[]
    | null;
  geometry: Omit<AirfoilMeasures, 'leadingEdge'> | null;
  constraints: ConstraintReport[];
  xfoil: XfoilPoint[] | null;
}

export interface ConstraintReport {
  name: string;
  kind: 'ineq' | 'eq';
  /** raw g (<= 0 feasible) or h (= 0) */
  value: number | null;
  /** distance to the bound on the feasible side: -g (>= 0 feasible), -|h| for equalities */
  margin: number | null;
  satisfied: boolean;
}

/** What optimize() returns (result.json without `airfoil`). */
export interface OptimizeResult {
  version: number;
  name: string;
  status: 'optimized' | 'interrupted' | 'no feasible design';
  message: string;
  strategy: OptimizeConfig['strategy'];
  algorithm: OptimizeConfig['algorithm'];
  models: {
    search: 'solver' | 'operator';
    verify: 'solver';
    polish: 'solver' | null;
    operatorLoaded: boolean;
  };
  objective: { label: string; baseline: number | null; final: number | null; ratio: number | null };
  variables: { names: string[]; lower: number[]; upper: number[] };
  parametrization: { name: string; nVars: number; varNames: string[]; fitDeviation: number };
  designPoints: (OperatingPoint & { name: string; weight: number; alphaFree: boolean })[];
  baseline: DesignMetrics;
  /** the base airfoil's own coordinates under the solver (before the parametrization's fit) */
  baseAirfoil: { name: string; solver: PointMetrics[] };
  final: DesignMetrics | null;
  /** best infeasible design when no feasible one was found */
  bestInfeasible: DesignMetrics | null;
  phases: PhaseSummary[];
  timings: Record<string, number>;
  evaluations: { solver: number; operator: number; replayed: number };
  modelSeconds: { solver: number; operator: number };
  xfoil: { status: 'ok' | 'skipped' | 'failed'; reason?: string; binary?: string };
  warnings: string[];
  files: Record<string, string> | null;
  config: OptimizeConfig;
  /** the optimized shape (not in result.json: optimized.dat has it) */
  airfoil?: Airfoil;
}

const num = (v: number | undefined | null): number | null =>
  v !== undefined && v !== null && Number.isFinite(v) ? v : null;

function metricsOf(name: string, p: ModelPoint, operator = false): PointMetrics {
  const m: PointMetrics = {
    name,
    alphaDeg: num(p.alphaDeg),
    cl: num(p.cl),
    cd: num(p.cd),
    cm: num(p.cm),
    ld: num(p.ld),
    xtrTop: num(p.xtrTop),
    xtrBot: num(p.xtrBot),
    converged: p.converged,
  };
  if (operator) m.confidence = num(p.confidence);
  return m;
}

/** Distribution arrays of one BL side, as plain arrays. */
function sideData(s: BoundaryLayerSide) {
  const a = (v: ArrayLike<number>) => Array.from(v, (x) => (Number.isFinite(x) ? x : null));
  return {
    x: a(s.x),
    y: a(s.y),
    xi: a(s.xi),
    cp: a(s.cp),
    ue: a(s.ue),
    deltaStar: a(s.deltaStar),
    theta: a(s.theta),
    h: a(s.h),
    cf: a(s.cf),
    nAmpOrSqrtCtau: a(s.nAmpOrSqrtCtau),
    turbulent: Array.from(s.turbulent),
  };
}

/** analysis.json content for one shape. */
interface ShapeAnalysis {
  coordinates: { x: number[]; y: number[] };
  /** per design point: the solver's converged point with its BL distributions */
  points: {
    name: string;
    alphaDeg: number | null;
    cl: number | null;
    cd: number | null;
    cm: number | null;
    converged: boolean;
    boundaryLayer: {
      top: ReturnType<typeof sideData>;
      bottom: ReturnType<typeof sideData>;
      wake: ReturnType<typeof sideData>;
    } | null;
  }[];
  /** solver polar per distinct flow condition of the design points */
  polars: {
    conditions: Omit<OperatingPoint, 'alphaDeg' | 'cl'>;
    points: { alpha: number; cl: number | null; cd: number | null; cm: number | null; converged: boolean }[];
  }[];
}

export interface FinalAnalysis {
  baseline: DesignMetrics;
  baseAirfoil: { name: string; solver: PointMetrics[] };
  final: DesignMetrics | null;
  bestInfeasible: DesignMetrics | null;
  finalAirfoil: Airfoil | null;
  baselineAirfoil: Airfoil;
  analysis: { baseline: ShapeAnalysis | null; final: ShapeAnalysis | null };
  xfoil: OptimizeResult['xfoil'];
}

interface Candidate {
  z: Float64Array;
  ev: Evaluation;
  tag: string;
}

/** The final verification and the data of the outputs. `full`: polars, XFOIL (skipped on Ctrl-C). */
export function finalAnalysis(a: {
  setup: Setup;
  solver: SolverModel;
  operator: AeroModel | null;
  baseZ: Float64Array;
  baseEval: Evaluation;
  baseOperator: Evaluation | null;
  best: Candidate | null;
  fallback: Candidate | null;
  full: boolean;
  log: (s: string) => void;
  warnings: string[];
}): FinalAnalysis {
  const { setup, solver, operator } = a;
  const { problem, config } = setup;
  const names = config.points.map((p, i) => p.name ?? `p${i + 1}`);
  let xfoilBinary: string | null = null;
  let xfoil: OptimizeResult['xfoil'] = { status: 'skipped', reason: 'disabled in the config (xfoil: false)' };
  if (config.xfoil) {
    if (!a.full) xfoil = { status: 'skipped', reason: 'run interrupted' };
    else {
      xfoilBinary = findXfoil();
      xfoil = xfoilBinary
        ? { status: 'ok', binary: xfoilBinary }
        : { status: 'skipped', reason: 'no xfoil on PATH and FOILOPT_XFOIL not set' };
    }
  }

  const describe = (
    c: Candidate,
  ): { metrics: DesignMetrics; shape: Airfoil; analysis: ShapeAnalysis | null } => {
    const x = problem.toX(c.z);
    const shape = problem.shapeOf(x);
    const pts = problem.pointsOf(x);
    const solverPts = c.ev.points.map((p, i) => metricsOf(names[i], p));
    let opPts: PointMetrics[] | null = null;
    let gap: DesignMetrics['gap'] = null;
    if (operator) {
      opPts = pts.map((p, i) => metricsOf(names[i], operator.evaluate(shape, p), true));
      gap = opPts.map((o, i) => {
        const s = solverPts[i];
        const rel = (u: number | null, v: number | null) =>
          u !== null && v !== null && v !== 0 ? (u - v) / Math.abs(v) : null;
        const abs = (u: number | null, v: number | null) => (u !== null && v !== null ? u - v : null);
        return {
          name: names[i],
          ldRelative: rel(o.ld, s.ld),
          cdRelative: rel(o.cd, s.cd),
          clAbs: abs(o.cl, s.cl),
          cmAbs: abs(o.cm, s.cm),
        };
      });
    }
    let geometry: DesignMetrics['geometry'] = null;
    try {
      const { leadingEdge: _le, ...rest } = measureAirfoil(shape);
      geometry = rest;
    } catch {
      geometry = null;
    }
    const constraints: ConstraintReport[] = problem.constraints.map((con, k) => {
      const v = num(c.ev.c[k]);
      const active = problem.active(k, solver);
      const margin = v === null ? null : con.kind === 'eq' ? -Math.abs(v) : -v;
      return {
        name: con.name + (active ? '' : ' (operator only)'),
        kind: con.kind,
        value: active ? v : null,
        margin: active ? margin : null,
        satisfied: !active || (margin !== null && margin >= -config.constraintTolerance),
      };
    });
    let xf: XfoilPoint[] | null = null;
    if (xfoilBinary && c.ev.ok) {
      try {
        // XFOIL at the solver's alpha (fixed-alpha points) or at the target CL
        xf = runXfoil(
          xfoilBinary,
          shape,
          pts.map((p, i) => (p.cl !== undefined ? p : { ...p, alphaDeg: c.ev.points[i].alphaDeg })),
          config.panels,
        );
      } catch (e) {
        xfoil = { status: 'failed', reason: (e as Error).message, binary: xfoilBinary };
        xfoilBinary = null;
      }
    }
    let analysis: ShapeAnalysis | null = null;
    if (a.full && c.ev.ok) analysis = shapeAnalysis(shape, pts, names, solver, config);
    return {
      metrics: {
        source: c.tag,
        variables: Array.from(x),
        params: Array.from(problem.paramsOf(x)),
        objective: num(c.ev.natural),
        solver: solverPts,
        operator: opPts,
        gap,
        geometry,
        constraints,
        xfoil: xf,
      },
      shape,
      analysis,
    };
  };

  a.log(
    'final: solver verification, distributions' + (a.full ? ', polars' : '') + (xfoilBinary ? ', XFOIL' : ''),
  );
  const base = describe({ z: a.baseZ, ev: a.baseEval, tag: 'baseline' });
  // the base airfoil's own coordinates
  const baseAirfoilPts = problem.points.map((p, i) => metricsOf(names[i], solver.evaluate(setup.base, p)));
  let fin: ReturnType<typeof describe> | null = null;
  let infeasible: DesignMetrics | null = null;
  if (a.best) {
    // fresh solve of the final design (the verification the result reports)
    const x = problem.toX(a.best.z);
    const check = problem.evaluate(x, solver, 'none');
    if (!check.ok) {
      a.warnings.push(`the final design failed its re-verification: ${check.reason}`);
    }
    fin = describe(a.best);
  } else if (a.fallback) {
    infeasible = describe(a.fallback).metrics;
  }
  return {
    baseline: base.metrics,
    baseAirfoil: { name: setup.base.name, solver: baseAirfoilPts },
    final: fin?.metrics ?? null,
    bestInfeasible: infeasible,
    finalAirfoil: fin ? { ...fin.shape, name: `${config.name} (foilopt)` } : null,
    baselineAirfoil: { ...base.shape, name: `${setup.base.name} (${setup.param.name} fit)` },
    analysis: { baseline: base.analysis, final: fin?.analysis ?? null },
    xfoil,
  };
}

/** Solver distributions at the design points and polars of a shape. */
function shapeAnalysis(
  shape: Airfoil,
  pts: OperatingPoint[],
  names: string[],
  solver: SolverModel,
  config: OptimizeConfig,
): ShapeAnalysis {
  const points = pts.map((p, i) => {
    const s = solver.solve(shape, p);
    const r: PointResult | null = s?.point ?? null;
    const bl = r?.converged && r.boundaryLayer ? r.boundaryLayer : null;
    return {
      name: names[i],
      alphaDeg: num(r?.alpha),
      cl: num(r?.cl),
      cd: num(r?.cd),
      cm: num(r?.cm),
      converged: !!r?.converged,
      boundaryLayer: bl
        ? { top: sideData(bl.top), bottom: sideData(bl.bottom), wake: sideData(bl.wake) }
        : null,
    };
  });
  const [a0, a1, da] = config.polarAlphaDeg;
  const alphas: number[] = [];
  for (let k = 0; a0 + k * da <= a1 + 1e-9; k++) alphas.push(Math.round((a0 + k * da) * 1e6) / 1e6);
  const seen = new Set<string>();
  const polars: ShapeAnalysis['polars'] = [];
  for (const p of pts) {
    const cond = { re: p.re, mach: p.mach, nCrit: p.nCrit, xtrTop: p.xtrTop, xtrBot: p.xtrBot };
    const key = JSON.stringify(cond);
    if (seen.has(key)) continue;
    seen.add(key);
    const res = analyze(shape, { ...cond, alphaDeg: alphas }, { panels: config.panels });
    polars.push({
      conditions: cond,
      points: res.map((r, k) => ({
        alpha: alphas[k],
        cl: num(r.cl),
        cd: num(r.cd),
        cm: num(r.cm),
        converged: r.converged,
      })),
    });
  }
  return { coordinates: { x: Array.from(shape.x), y: Array.from(shape.y) }, points, polars };
}

/** Writes the run directory and returns the result. */
export function writeOutputs(o: {
  setup: Setup;
  analysis: FinalAnalysis;
  status: OptimizeResult['status'];
  searchModel: 'solver' | 'operator';
  operatorLoaded: boolean;
  warnings: string[];
  phases: PhaseSummary[];
  timings: Record<string, number>;
  evaluations: OptimizeResult['evaluations'];
  modelSeconds: OptimizeResult['modelSeconds'];
  outDir: string | null;
}): OptimizeResult {
  const { setup, analysis: A } = o;
  const { problem, config } = setup;
  const L = problem.layout;
  const bObj = A.baseline.objective;
  const fObj = A.final?.objective ?? null;
  const message =
    o.status === 'optimized'
      ? `${problem.objectiveLabel}: ${fmt(bObj)} -> ${fmt(fObj)} (solver-verified, every constraint met)`
      : o.status === 'interrupted'
        ? `${A.final ? `best solver-verified design so far, ${problem.objectiveLabel} ${fmt(fObj)}` : 'no feasible design yet'} (--resume continues)`
        : 'no design met every constraint on the solver; none is reported as the optimum (see bestInfeasible)';
  const files = o.outDir
    ? {
        result: 'result.json',
        ...(A.finalAirfoil ? { optimized: 'optimized.dat' } : {}),
        baseline: 'baseline.dat',
        history: 'history.jsonl',
        analysis: 'analysis.json',
        report: 'report.html',
        checkpoint: 'checkpoint.json',
        journal: 'journal.jsonl',
      }
    : null;
  const result: OptimizeResult = {
    version: RESULT_VERSION,
    name: config.name,
    status: o.status,
    message,
    strategy: config.strategy,
    algorithm: config.algorithm,
    models: {
      search: o.searchModel,
      verify: 'solver',
      polish: config.strategy === 'multifidelity' ? 'solver' : null,
      operatorLoaded: o.operatorLoaded,
    },
    objective: {
      label: problem.objectiveLabel,
      baseline: bObj,
      final: fObj,
      ratio: bObj !== null && fObj !== null && bObj !== 0 ? fObj / bObj : null,
    },
    variables: { names: L.names, lower: Array.from(L.lower), upper: Array.from(L.upper) },
    parametrization: {
      name: setup.param.name,
      nVars: setup.param.nVars,
      varNames: [...setup.param.varNames],
      fitDeviation: setup.fitDeviation,
    },
    designPoints: config.points.map((p, i) => ({
      ...problem.points[i],
      name: p.name ?? `p${i + 1}`,
      weight: p.weight,
      alphaFree: p.alphaBoundsDeg !== undefined,
    })),
    baseline: A.baseline,
    baseAirfoil: A.baseAirfoil,
    final: A.final,
    bestInfeasible: A.bestInfeasible,
    phases: o.phases,
    timings: o.timings,
    evaluations: o.evaluations,
    modelSeconds: o.modelSeconds,
    xfoil: A.xfoil,
    warnings: o.warnings,
    files,
    config,
  };
  if (o.outDir) {
    const dir = o.outDir;
    fs.mkdirSync(dir, { recursive: true });
    writeFileAtomic(path.join(dir, 'result.json'), JSON.stringify(result, null, 2) + '\n');
    if (A.finalAirfoil) writeFileAtomic(path.join(dir, 'optimized.dat'), formatSelig(A.finalAirfoil));
    else fs.rmSync(path.join(dir, 'optimized.dat'), { force: true });
    writeFileAtomic(path.join(dir, 'baseline.dat'), formatSelig(A.baselineAirfoil));
    writeFileAtomic(path.join(dir, 'analysis.json'), JSON.stringify(A.analysis) + '\n');
    writeFileAtomic(path.join(dir, 'report.html'), summaryHtml(result, A));
  }
  if (A.finalAirfoil) result.airfoil = A.finalAirfoil;
  return result;
}

function fmt(v: number | null): string {
  return v === null ? 'n/a' : Math.abs(v) < 0.1 ? v.toPrecision(5) : v.toFixed(3);
}
