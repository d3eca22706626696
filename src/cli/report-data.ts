/**
 * Collectors of the HTML report's data (src/report renders, it imports no model; this module runs the
 * models for what the report needs and is missing): an analysis of one airfoil (`foilopt analyze
 * --report`, `foilopt predict --report`) and an optimizer run directory (`foilopt report <run-dir>`,
 * the end of `foilopt optimize`).
 *
 * The flow field comes from the solver's singularity distribution (src/flow/field.ts) at one
 * operating point: the solver is run there (warm-started from 0 deg) when the data does not carry it.
 */
import * as fs from 'fs';
import * as path from 'path';
import { FoiloptError } from '../errors';
import { readAirfoilFile } from '../geometry/io';
import { resolveOptimizeConfig } from '../optimize/config';
import { setupProblem } from '../optimize/setup';
import { findXfoil, runXfoilPolar } from '../optimize/xfoil';
import type { OptionSpec, ParsedArgs } from './args';
import { analyze, createSolver, prepareAirfoil } from '../flow';
import { flowField } from '../flow/field';
import type { FlowConditions, PointResult } from '../flow/types';
import { thicknessCamber } from '../geometry/measure';
import { normalize } from '../geometry/normalize';
import type { Airfoil } from '../geometry/types';
import { writeReport } from '../report';
import { conditionsText } from '../report/figures';
import type {
  ConditionsData,
  FlowFieldData,
  GenericTable,
  IterationRecord,
  MetricRow,
  ModelName,
  OperatingPointData,
  PointSolution,
  PolarData,
  ReportData,
  ReportTables,
  ShapeData,
  SurfaceData,
} from '../report/types';

const VERSION: string = (() => {
  try {
    return String(require('../../package.json').version);
  } catch {
    return 'unknown';
  }
})();

/** Surface distributions as a model gives them (PointResult's BoundaryLayerSide fits). */
export interface SideLike {
  x: ArrayLike<number>;
  cp: ArrayLike<number>;
  cf?: ArrayLike<number>;
  h?: ArrayLike<number>;
  deltaStar?: ArrayLike<number>;
  theta?: ArrayLike<number>;
}

/** One operating point of any model (the solver's PointResult and the operator's results fit). */
export interface ModelPointLike {
  alpha: number;
  cl: number;
  cd?: number | null;
  cm?: number | null;
  cdp?: number | null;
  cdf?: number | null;
  xtrTop?: number | null;
  xtrBot?: number | null;
  converged?: boolean;
  confidence?: number | null;
  boundaryLayer?: { top?: SideLike; bottom?: SideLike } | null;
}

/** Grid and placement of the flow field. */
export interface FieldRequest {
  /** angle of attack, degrees (default: the solver's point of best L/D) */
  alphaDeg?: number;
  /** grid nodes (default 161 x 97) */
  nx?: number;
  ny?: number;
  /** streamlines (default 23) */
  streamlines?: number;
}

/** What an analysis report shows: one airfoil, one flow condition, results of one or more models. */
export interface AnalysisReportInput {
  /** the airfoil as loaded (its name is shown escaped) */
  airfoil: Airfoil;
  /** flow of the sweep */
  conditions: FlowConditions;
  /** solver results of the sweep (analyze()), in sweep order */
  solver?: readonly ModelPointLike[];
  /** operator predictions (drawn dashed); distributions when the operator returned them */
  operator?: readonly ModelPointLike[];
  /** XFOIL's polar of the same airfoil and conditions (dotted) */
  xfoil?: readonly ModelPointLike[];
  /** angles whose Cp and boundary layer are shown (default: up to 3 picked from the sweep) */
  detailAlphas?: number[];
  /** flow field: false for none; default at the solver's best-L/D point with a 161 x 97 grid */
  field?: false | FieldRequest;
  /** panel nodes of the solver (for the field), default 160 */
  panels?: number;
  /** page title (default: the airfoil's name) */
  title?: string;
  /** command line shown in the configuration table */
  command?: string;
  /** wall times so far, seconds */
  timings?: { phase: string; seconds: number }[];
  /** extra remarks */
  notes?: string[];
}

/** CLI options of the flow-field figure (analyze --report, report, predict --report). */
export const FIELD_OPTIONS: OptionSpec[] = [
  {
    name: 'field-grid',
    type: 'string',
    placeholder: 'NXxNY',
    default: '161x97',
    description: 'flow-field grid of the report (nodes along x and y; 0 = no flow field)',
  },
  {
    name: 'field-alpha',
    type: 'number',
    placeholder: 'A',
    description: 'angle of attack of the flow field, degrees (default: best L/D)',
  },
];

/** Parses "NXxNY" (or "N" for N x N, "0" for none). */
export function parseFieldGrid(spec: string): { nx: number; ny: number } | false {
  const s = spec.trim().toLowerCase();
  if (s === '0' || s === 'none') return false;
  const m = /^(\d+)(?:x(\d+))?$/.exec(s);
  const nx = m ? Number(m[1]) : NaN;
  const ny = m ? Number(m[2] ?? m[1]) : NaN;
  if (!m || !(nx >= 3 && nx <= 2001 && ny >= 3 && ny <= 2001)) {
    throw new FoiloptError(
      `--field-grid: expected NXxNY with 3..2001 nodes each (e.g. 161x97), or 0 for none; got '${spec}'`,
    );
  }
  return { nx, ny };
}

/** FieldRequest from FIELD_OPTIONS (false: no field). */
export function fieldRequestFromArgs(args: ParsedArgs): FieldRequest | false {
  const grid = parseFieldGrid(String(args.options['field-grid'] ?? '161x97'));
  if (grid === false) return false;
  const alpha = args.options['field-alpha'] as number | undefined;
  return { ...grid, ...(alpha !== undefined ? { alphaDeg: alpha } : {}) };
}

const finite = (v: number | null | undefined): v is number =>
  v !== null && v !== undefined && Number.isFinite(v);
const arr = (v: ArrayLike<number> | undefined): number[] | undefined => (v ? Array.from(v) : undefined);

function conditionsData(c: FlowConditions): ConditionsData {
  return { re: c.re, mach: c.mach ?? 0, nCrit: c.nCrit ?? 9, xtrTop: c.xtrTop ?? 1, xtrBot: c.xtrBot ?? 1 };
}

function surface(s: SideLike | undefined): SurfaceData | undefined {
  if (!s || !s.x || !s.cp || s.x.length === 0) return undefined;
  return {
    x: Array.from(s.x),
    cp: Array.from(s.cp),
    cf: arr(s.cf),
    h: arr(s.h),
    deltaStar: arr(s.deltaStar),
    theta: arr(s.theta),
  };
}

/** A model's point as a report PointSolution. */
export function pointSolution(
  p: ModelPointLike,
  shape: 'baseline' | 'optimized',
  model: ModelName,
): PointSolution {
  return {
    shape,
    model,
    alphaDeg: p.alpha,
    cl: p.cl,
    cd: finite(p.cd) ? p.cd : null,
    cm: finite(p.cm) ? p.cm : null,
    xtrTop: finite(p.xtrTop) ? p.xtrTop : null,
    xtrBot: finite(p.xtrBot) ? p.xtrBot : null,
    converged: p.converged ?? true,
    confidence: finite(p.confidence) ? p.confidence : undefined,
    top: surface(p.boundaryLayer?.top),
    bottom: surface(p.boundaryLayer?.bottom),
  };
}

/** Converged points of a model as a polar (ascending alpha). */
export function polarData(
  points: readonly ModelPointLike[],
  shape: 'baseline' | 'optimized',
  model: ModelName,
  conditions: ConditionsData,
): PolarData {
  const ok = points
    .filter((p) => p.converged !== false && finite(p.alpha) && finite(p.cl) && finite(p.cd) && finite(p.cm))
    .slice()
    .sort((a, b) => a.alpha - b.alpha);
  return {
    shape,
    model,
    conditions,
    alphaDeg: ok.map((p) => p.alpha),
    cl: ok.map((p) => p.cl),
    cd: ok.map((p) => p.cd as number),
    cm: ok.map((p) => p.cm as number),
  };
}

/** Shape data with thickness and camber (chord frame) at 121 cosine-spaced stations. */
export function shapeData(airfoil: Airfoil, role: ShapeData['role'], label = airfoil.name): ShapeData {
  const a = normalize(airfoil);
  const m = 121;
  const xs = new Float64Array(m);
  for (let i = 0; i < m; i++) xs[i] = 0.5 * (1 - Math.cos((Math.PI * i) / (m - 1)));
  let distributions: ShapeData['distributions'];
  try {
    const tc = thicknessCamber(airfoil, xs);
    distributions = {
      xOverC: Array.from(xs),
      thickness: Array.from(tc.thickness),
      camber: Array.from(tc.camber),
    };
  } catch {
    distributions = undefined;
  }
  return { label, role, x: Array.from(a.x), y: Array.from(a.y), distributions };
}

/** Best-L/D converged point of a sweep (null when none converged with positive drag). */
export function bestLdPoint<T extends ModelPointLike>(points: readonly T[]): T | null {
  let best: T | null = null;
  for (const p of points) {
    if (p.converged === false || !finite(p.cd) || !(p.cd > 0)) continue;
    if (!best || p.cl / p.cd > best.cl / (best.cd as number)) best = p;
  }
  return best;
}

/** Default angles for the Cp/BL figures: nearest 0 deg, best L/D, highest converged angle (deduplicated). */
export function defaultDetailAlphas(points: readonly ModelPointLike[]): number[] {
  const ok = points.filter((p) => p.converged !== false && finite(p.alpha));
  if (!ok.length) return [];
  const near0 = ok.reduce((a, b) => (Math.abs(b.alpha) < Math.abs(a.alpha) ? b : a)).alpha;
  const best = bestLdPoint(ok)?.alpha;
  const top = Math.max(...ok.map((p) => p.alpha));
  const out: number[] = [];
  for (const a of [near0, best, top])
    if (a !== undefined && !out.some((b) => Math.abs(b - a) < 1e-9)) out.push(a);
  return out.sort((a, b) => a - b);
}

function atAlpha<T extends ModelPointLike>(points: readonly T[] | undefined, alpha: number): T | undefined {
  return points?.find((p) => Math.abs(p.alpha - alpha) < 1e-6);
}

/**
 * The flow field of `airfoil` at alphaDeg: the solver (prepared like analyze(): normalized, repaneled)
 * warm-started over 0..alpha in steps of at most 2 deg, then src/flow/field.ts on its converged
 * state (inviscid field when the flow is inviscid). Null when the point does not converge.
 */
export function computeField(
  airfoil: Airfoil,
  conditions: FlowConditions,
  req: FieldRequest & { alphaDeg: number },
  shape: 'baseline' | 'optimized',
  panels = 160,
): { field: FlowFieldData | null; seconds: number; message?: string } {
  const t0 = process.hrtime.bigint();
  const prepared = prepareAirfoil(airfoil, { panels });
  const solver = createSolver(prepared, conditions, { panels });
  const target = req.alphaDeg;
  const steps = Math.max(1, Math.ceil(Math.abs(target) / 2));
  let r: PointResult | null = null;
  for (let k = target === 0 ? 1 : 0; k <= steps; k++) r = solver.solveAlpha((target * k) / steps);
  const seconds = () => Number(process.hrtime.bigint() - t0) / 1e9;
  if (!r || !r.converged) {
    return {
      field: null,
      seconds: seconds(),
      message: `flow field: the solver did not converge at α ${target}°`,
    };
  }
  const f = flowField(solver, { nx: req.nx, ny: req.ny, streamlines: req.streamlines });
  const nan = (v: number) => (Number.isFinite(v) ? v : null);
  const field: FlowFieldData = {
    shape,
    alphaDeg: r.alpha,
    conditions: conditionsData(conditions),
    viscous: f.viscous,
    x: Array.from(f.x),
    y: Array.from(f.y),
    cp: Array.from(f.cp, nan),
    streamlines: f.streamlines.map((l) => ({ x: Array.from(l.x), y: Array.from(l.y) })),
    body: { x: Array.from(prepared.x), y: Array.from(prepared.y) },
    displacement:
      f.displacementTop && f.displacementBottom
        ? [f.displacementTop, f.displacementBottom].map((l) => ({ x: Array.from(l.x), y: Array.from(l.y) }))
        : undefined,
    cl: r.cl,
  };
  return { field, seconds: seconds() };
}

function polarTable(points: readonly ModelPointLike[], title: string): GenericTable {
  const rows = [...points]
    .sort((a, b) => a.alpha - b.alpha)
    .map((p) => [
      p.alpha,
      p.converged === false ? null : p.cl,
      p.converged === false ? null : (p.cd ?? null),
      p.converged === false ? null : (p.cdp ?? null),
      p.converged === false ? null : (p.cdf ?? null),
      p.converged === false ? null : (p.cm ?? null),
      p.converged !== false && finite(p.cd) && p.cd > 0 ? p.cl / p.cd : null,
      p.converged === false ? null : (p.xtrTop ?? null),
      p.converged === false ? null : (p.xtrBot ?? null),
      p.converged === false ? 'no' : 'yes',
    ]);
  return {
    title,
    columns: ['α [deg]', 'Cl', 'Cd', 'Cdp', 'Cdf', 'Cm', 'L/D', 'x_tr upper', 'x_tr lower', 'converged'],
    rows,
  };
}

/** Software versions of the report. */
export function versions(extra: Record<string, string> = {}): Record<string, string> {
  return { foilopt: VERSION, node: process.version, ...extra };
}

/** ReportData of an analysis (see AnalysisReportInput). Runs the solver for the flow field. */
export function analysisReportData(input: AnalysisReportInput): ReportData {
  const { airfoil, conditions } = input;
  const cond = conditionsData(conditions);
  const notes = [...(input.notes ?? [])];
  const timings = [...(input.timings ?? [])];
  const models: [ModelName, readonly ModelPointLike[] | undefined][] = [
    ['solver', input.solver],
    ['operator', input.operator],
    ['xfoil', input.xfoil],
  ];
  const polars = models
    .filter(([, pts]) => pts && pts.length)
    .map(([m, pts]) => polarData(pts!, 'baseline', m, cond))
    .filter((p) => p.alphaDeg.length > 0);
  for (const [m, pts] of models) {
    const failed = (pts ?? []).filter((p) => p.converged === false).map((p) => p.alpha);
    if (failed.length) notes.push(`${m}: no converged result at α ${failed.map((a) => `${a}°`).join(', ')}`);
  }
  const primary = input.solver?.length
    ? input.solver
    : input.operator?.length
      ? input.operator
      : (input.xfoil ?? []);
  const detail = input.detailAlphas ?? defaultDetailAlphas(primary);
  const points: OperatingPointData[] = detail.map((alpha) => ({
    conditions: { ...cond, alphaDeg: alpha },
    results: models
      .map(([m, pts]) => {
        const p = atAlpha(pts, alpha);
        return p && p.converged !== false ? pointSolution(p, 'baseline', m) : null;
      })
      .filter((r): r is PointSolution => r !== null),
  }));

  let field: FlowFieldData | undefined;
  if (input.field !== false) {
    const req = input.field ?? {};
    const alpha =
      req.alphaDeg ?? bestLdPoint(input.solver ?? [])?.alpha ?? bestLdPoint(primary)?.alpha ?? detail[0] ?? 0;
    const r = computeField(airfoil, conditions, { ...req, alphaDeg: alpha }, 'baseline', input.panels);
    if (r.field) field = r.field;
    else if (r.message) notes.push(r.message);
    timings.push({ phase: 'flow field (solver + field)', seconds: r.seconds });
  }

  const multi = models.filter(([, pts]) => pts && pts.length).length > 1;
  const metrics: MetricRow[] = [];
  if (multi) {
    for (const alpha of detail) {
      for (const [key, name] of [
        ['cl', 'Cl'],
        ['cd', 'Cd'],
        ['cm', 'Cm'],
        ['ld', 'L/D'],
      ] as const) {
        const values: Partial<Record<ModelName, number | null>> = {};
        for (const [m, pts] of models) {
          const p = atAlpha(pts, alpha);
          if (!p || p.converged === false) continue;
          const v = key === 'ld' ? (finite(p.cd) && p.cd > 0 ? p.cl / p.cd : null) : (p[key] ?? null);
          values[m] = v;
        }
        metrics.push({ name: `${name} at α ${alpha}°`, baseline: values });
      }
    }
  }
  const extra: GenericTable[] = models
    .filter(([, pts]) => pts && pts.length)
    .map(([m, pts]) => polarTable(pts!, `Polar: ${m === 'xfoil' ? 'XFOIL' : m}`));
  const best = bestLdPoint(primary);
  const summary = [`${airfoil.name}: ${conditionsText(cond)}`];
  if (best && finite(best.cd)) {
    summary.push(
      `best L/D ${(best.cl / best.cd).toFixed(1)} at α ${best.alpha}° (Cl ${best.cl.toFixed(4)}, Cd ${best.cd.toFixed(5)})`,
    );
  }
  return {
    kind: 'analysis',
    title: input.title ?? airfoil.name,
    summary,
    createdAt: new Date().toISOString(),
    shapes: [shapeData(airfoil, 'baseline')],
    points,
    polars,
    field,
    tables: {
      metrics: metrics.length ? metrics : undefined,
      extra,
      config: {
        ...(input.command ? { command: input.command } : {}),
        airfoil: { name: airfoil.name, source: airfoil.source ?? '', nodes: airfoil.x.length },
        conditions: cond,
        panels: input.panels ?? 160,
      },
      versions: versions(),
      timings: timings.length ? timings : undefined,
    },
    notes,
  };
}

/**
 * Writes the analysis report of `input` to `file` (see AnalysisReportInput; `foilopt predict
 * --report` calls this with the operator's points, and the solver's when it ran them).
 * Returns the file size and the number of figures.
 */
export function writeAnalysisReport(
  file: string,
  input: AnalysisReportInput,
): { bytes: number; figures: number } {
  return writeReport(file, analysisReportData(input));
}

/** Runs the solver sweep for an analysis report when the caller has none (library convenience). */
export function solverSweep(
  airfoil: Airfoil,
  conditions: FlowConditions,
  alphaDeg: number[],
  panels = 160,
): { points: PointResult[]; seconds: number } {
  if (!alphaDeg.length) throw new FoiloptError('no angles of attack for the solver sweep');
  const t0 = process.hrtime.bigint();
  const points = analyze(airfoil, { ...conditions, alphaDeg }, { panels });
  return { points, seconds: Number(process.hrtime.bigint() - t0) / 1e9 };
}

// ------------------------------------------------------------------------------------------------
// optimizer run directories (result.json, analysis.json, history.jsonl, baseline.dat, optimized.dat;
// schemas in docs/optimize.md)

/** Options of runReportData / writeRunReport. */
export interface RunReportOptions {
  /** flow field of the final design at the first design point (false: none) */
  field?: false | FieldRequest;
  /** number of intermediate shapes drawn from the history (default 4; 0: none) */
  iterates?: number;
  /** run XFOIL polars of baseline and final when the run used XFOIL and it is still available (default true) */
  xfoil?: boolean;
  /**
   * a loaded neural operator: its Cp and boundary-layer predictions at the design points (dashed) and
   * its polars of baseline and final are added (the caller loads it, e.g. with loadOperator())
   */
  operator?: OperatorLike;
}

/** What the report needs of the neural operator (src/operator NeuralOperator.predict fits). */
export interface OperatorLike {
  predict(
    airfoil: Airfoil,
    conditions: ConditionsData & { alphaDeg: number | number[] },
    options?: { distributions?: boolean },
  ): readonly ModelPointLike[];
}

interface RunPointMetrics {
  name: string;
  alphaDeg: number | null;
  cl: number | null;
  cd: number | null;
  cm: number | null;
  ld: number | null;
  xtrTop?: number | null;
  xtrBot?: number | null;
  converged: boolean;
  confidence?: number | null;
}

interface RunDesign {
  source: string;
  variables: number[];
  objective: number | null;
  solver: RunPointMetrics[];
  operator: RunPointMetrics[] | null;
  geometry: Record<string, number | boolean> | null;
  constraints: {
    name: string;
    kind: string;
    value: number | null;
    margin: number | null;
    satisfied: boolean;
  }[];
  xfoil:
    | {
        alphaDeg: number | null;
        cl: number | null;
        cd: number | null;
        cm: number | null;
        ld: number | null;
        converged: boolean;
      }[]
    | null;
}

interface RunResult {
  version: number;
  name: string;
  status: string;
  message: string;
  strategy: string;
  algorithm: string;
  models: { search: string; verify: string; polish: string | null; operatorLoaded: boolean };
  objective: { label: string; baseline: number | null; final: number | null; ratio: number | null };
  variables: { names: string[]; lower: number[]; upper: number[] };
  parametrization: { name: string; nVars: number; fitDeviation: number };
  designPoints: {
    name: string;
    alphaDeg?: number;
    cl?: number;
    re: number;
    mach: number;
    nCrit: number;
    xtrTop: number;
    xtrBot: number;
    weight: number;
  }[];
  baseline: RunDesign;
  baseAirfoil?: { name: string };
  final: RunDesign | null;
  bestInfeasible: RunDesign | null;
  phases: {
    name: string;
    model: string;
    starts?: {
      tag: string;
      objective: number | null;
      feasible: boolean;
      evaluations: number;
      iterations: number;
      stop: string;
      seconds: number;
    }[];
    seconds: number;
  }[];
  timings: Record<string, number>;
  evaluations: { solver: number; operator: number; replayed: number };
  xfoil: { status: string; reason?: string; binary?: string };
  warnings: string[];
  config: Record<string, unknown> & {
    polarAlphaDeg?: [number, number, number];
    panels?: number;
    objective?: { type?: string };
  };
}

type NullableSide = {
  x: (number | null)[];
  cp: (number | null)[];
  cf?: (number | null)[];
  h?: (number | null)[];
  deltaStar?: (number | null)[];
  theta?: (number | null)[];
};

interface RunShapeAnalysis {
  coordinates: { x: number[]; y: number[] };
  points: {
    name: string;
    alphaDeg: number | null;
    cl: number | null;
    cd: number | null;
    cm: number | null;
    converged: boolean;
    boundaryLayer: { top: NullableSide; bottom: NullableSide } | null;
  }[];
  polars: {
    conditions: ConditionsData;
    points: { alpha: number; cl: number | null; cd: number | null; cm: number | null; converged: boolean }[];
  }[];
}

/** One line of history.jsonl (the fields the report uses). */
interface RunHistoryRecord {
  phase: string;
  evaluation: number;
  model: string;
  gradient: string | null;
  ok: boolean;
  objective: number | null;
  worstViolation: number | null;
  gradientNorm: number | null;
  x: number[];
  elapsed: number;
}

function readJson<T>(file: string, what: string): T {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new FoiloptError(
      `cannot read ${what}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      { file },
    );
  }
  try {
    return JSON.parse(text) as T;
  } catch (e) {
    throw new FoiloptError(`${what} is not valid JSON: ${(e as Error).message}`, { file });
  }
}

/** history.jsonl records; a truncated last line (a killed run) is skipped. */
export function readHistory(file: string): RunHistoryRecord[] {
  if (!fs.existsSync(file)) return [];
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const out: RunHistoryRecord[] = [];
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    try {
      out.push(JSON.parse(line) as RunHistoryRecord);
    } catch {
      if (i < lines.length - 2)
        throw new FoiloptError('history.jsonl: not a JSON line', { file, line: i + 1 });
    }
  });
  return out;
}

/** Phase tag "search:2" -> phase name and start. */
function phaseOf(tag: string): { phase: string; start: number } {
  const m = /^([a-z]+)(?::(\d+))?$/i.exec(tag);
  const names: Record<string, string> = {
    baseline: 'baseline',
    search: 'search',
    verify: 'verification',
    polish: 'polish',
    run: 'optimization',
  };
  if (!m) return { phase: tag, start: 0 };
  return { phase: names[m[1]] ?? m[1], start: m[2] !== undefined ? Number(m[2]) : 0 };
}

/**
 * Iteration records of the convergence figure: the history's evaluations, phases in run order on
 * the x axis (each phase starts after the longest series of the previous one), the starts of a
 * phase overlaid.
 */
export function convergenceRecords(history: readonly RunHistoryRecord[]): IterationRecord[] {
  const phases: string[] = [];
  const maxEval = new Map<string, number>();
  for (const r of history) {
    const { phase } = phaseOf(r.phase);
    if (!phases.includes(phase)) phases.push(phase);
    maxEval.set(phase, Math.max(maxEval.get(phase) ?? 0, r.evaluation));
  }
  const offset = new Map<string, number>();
  let acc = 0;
  for (const p of phases) {
    offset.set(p, acc);
    acc += maxEval.get(p) ?? 0;
  }
  const out: IterationRecord[] = [];
  for (const r of history) {
    if (!r.ok || !finite(r.objective)) continue;
    const { phase, start } = phaseOf(r.phase);
    out.push({
      iteration: (offset.get(phase) ?? 0) + r.evaluation,
      phase,
      model: r.model,
      gradient: r.gradient ?? undefined,
      start,
      objective: r.objective,
      worstViolation: finite(r.worstViolation) ? r.worstViolation : 0,
      gradientNorm: r.gradientNorm,
      elapsedS: r.elapsed,
    });
  }
  return out.sort((a, b) => a.iteration - b.iteration || (a.start ?? 0) - (b.start ?? 0));
}

function sideFromRun(s: NullableSide | undefined): SurfaceData | undefined {
  if (!s) return undefined;
  const a = (v: (number | null)[] | undefined) => (v ? (v as number[]) : undefined);
  return {
    x: s.x as number[],
    cp: s.cp as number[],
    cf: a(s.cf),
    h: a(s.h),
    deltaStar: a(s.deltaStar),
    theta: a(s.theta),
  };
}

function xfoilAlphas(config: RunResult['config']): number[] {
  const [a0, a1, da] = config.polarAlphaDeg ?? [-4, 14, 1];
  const out: number[] = [];
  for (let k = 0; a0 + k * da <= a1 + 1e-9; k++) out.push(Math.round((a0 + k * da) * 1e6) / 1e6);
  return out;
}

/**
 * ReportData of an optimizer run directory. Reads result.json (required), baseline.dat and
 * optimized.dat, analysis.json and history.jsonl; computes what is missing with the solver (polars,
 * distributions), the flow field of the final design, iterate shapes (from the history through the
 * run's parametrization) and XFOIL polars when the run used XFOIL.
 */
export function runReportData(runDir: string, opts: RunReportOptions = {}): ReportData {
  const res = readJson<RunResult>(path.join(runDir, 'result.json'), 'result.json');
  if (res.version !== 1 || !res.baseline || !Array.isArray(res.designPoints)) {
    throw new FoiloptError(`result.json: unsupported format (version ${String(res.version)})`, {
      file: path.join(runDir, 'result.json'),
    });
  }
  const notes: string[] = [...(res.warnings ?? [])];
  const timings: { phase: string; seconds: number }[] = Object.entries(res.timings ?? {})
    .filter(([k]) => k !== 'total')
    .map(([phase, seconds]) => ({ phase, seconds }));
  const panels = res.config.panels ?? 160;
  const final = res.final;
  if (!final) notes.push(`no feasible final design: ${res.message}`);
  const analysisFile = path.join(runDir, 'analysis.json');
  const analysis = fs.existsSync(analysisFile)
    ? readJson<{ baseline: RunShapeAnalysis | null; final: RunShapeAnalysis | null }>(
        analysisFile,
        'analysis.json',
      )
    : { baseline: null, final: null };

  // shapes
  const datFile = (name: string) => path.join(runDir, name);
  const baseAirfoil = fs.existsSync(datFile('baseline.dat'))
    ? readAirfoilFile(datFile('baseline.dat'))
    : analysis.baseline
      ? {
          name: 'baseline',
          x: Float64Array.from(analysis.baseline.coordinates.x),
          y: Float64Array.from(analysis.baseline.coordinates.y),
        }
      : null;
  if (!baseAirfoil)
    throw new FoiloptError('the run directory has neither baseline.dat nor analysis.json', { file: runDir });
  const finalAirfoil = final
    ? fs.existsSync(datFile('optimized.dat'))
      ? readAirfoilFile(datFile('optimized.dat'))
      : analysis.final
        ? {
            name: 'optimized',
            x: Float64Array.from(analysis.final.coordinates.x),
            y: Float64Array.from(analysis.final.coordinates.y),
          }
        : null
    : null;
  const shapes: ShapeData[] = [shapeData(baseAirfoil, 'baseline')];
  if (finalAirfoil) shapes.push(shapeData(finalAirfoil, 'optimized', 'optimized'));

  const history = readHistory(path.join(runDir, 'history.jsonl'));
  const nIterates = opts.iterates ?? 4;
  if (nIterates > 0 && history.length > 0) {
    try {
      shapes.push(...iterateShapes(res, history, nIterates));
    } catch (e) {
      notes.push(`iterate shapes not drawn: ${(e as Error).message}`);
    }
  }

  // design points: solver distributions (analysis.json, else solved here), operator and XFOIL forces
  const designs: ['baseline' | 'optimized', RunDesign | null, Airfoil | null, RunShapeAnalysis | null][] = [
    ['baseline', res.baseline, baseAirfoil, analysis.baseline],
    ['optimized', final, finalAirfoil, analysis.final],
  ];
  const points: OperatingPointData[] = res.designPoints.map((dp, i) => {
    const cond: ConditionsData & { alphaDeg?: number; cl?: number; weight?: number } = {
      re: dp.re,
      mach: dp.mach,
      nCrit: dp.nCrit,
      xtrTop: dp.xtrTop,
      xtrBot: dp.xtrBot,
      weight: dp.weight,
      ...(dp.alphaDeg !== undefined ? { alphaDeg: dp.alphaDeg } : {}),
      ...(dp.cl !== undefined ? { cl: dp.cl } : {}),
    };
    const results: PointSolution[] = [];
    for (const [role, design, airfoil, an] of designs) {
      if (!design || !airfoil) continue;
      const sm = design.solver[i];
      const ap = an?.points[i];
      let top: SurfaceData | undefined;
      let bottom: SurfaceData | undefined;
      if (ap?.boundaryLayer) {
        top = sideFromRun(ap.boundaryLayer.top);
        bottom = sideFromRun(ap.boundaryLayer.bottom);
      } else if (sm && finite(sm.alphaDeg) && sm.converged) {
        const [r] = analyze(airfoil, { ...cond, alphaDeg: sm.alphaDeg }, { panels });
        if (r.converged && r.boundaryLayer) {
          top = surface(r.boundaryLayer.top);
          bottom = surface(r.boundaryLayer.bottom);
        }
      }
      if (sm && finite(sm.alphaDeg) && finite(sm.cl)) {
        results.push({
          shape: role,
          model: 'solver',
          alphaDeg: sm.alphaDeg,
          cl: sm.cl,
          cd: sm.cd,
          cm: sm.cm,
          xtrTop: sm.xtrTop ?? null,
          xtrBot: sm.xtrBot ?? null,
          converged: sm.converged,
          top,
          bottom,
        });
      }
      const om = design.operator?.[i];
      if (opts.operator && sm && finite(sm.alphaDeg)) {
        // the operator's distributions at the solver's angle (its forces at the design point are in result.json)
        try {
          const [op] = opts.operator.predict(
            airfoil,
            { ...cond, alphaDeg: sm.alphaDeg },
            { distributions: true },
          );
          if (op) results.push(pointSolution(op, role, 'operator'));
        } catch (e) {
          notes.push(`operator prediction failed at ${dp.name} (${role}): ${(e as Error).message}`);
        }
      } else if (om && finite(om.alphaDeg) && finite(om.cl)) {
        results.push({
          shape: role,
          model: 'operator',
          alphaDeg: om.alphaDeg,
          cl: om.cl,
          cd: om.cd,
          cm: om.cm,
          converged: om.converged,
          confidence: om.confidence ?? null,
        });
      }
    }
    return { label: dp.name, conditions: cond, results };
  });

  // polars: analysis.json, else the solver over config.polarAlphaDeg
  const polars: PolarData[] = [];
  const alphas = xfoilAlphas(res.config);
  const conditionsList: ConditionsData[] = [];
  for (const dp of res.designPoints) {
    const c = { re: dp.re, mach: dp.mach, nCrit: dp.nCrit, xtrTop: dp.xtrTop, xtrBot: dp.xtrBot };
    if (!conditionsList.some((d) => JSON.stringify(d) === JSON.stringify(c))) conditionsList.push(c);
  }
  for (const [role, design, airfoil, an] of designs) {
    if (!design || !airfoil) continue;
    if (an?.polars?.length) {
      for (const p of an.polars) {
        const pts: ModelPointLike[] = p.points.map((q) => ({
          alpha: q.alpha,
          cl: q.cl ?? NaN,
          cd: q.cd,
          cm: q.cm,
          converged: q.converged,
        }));
        polars.push(polarData(pts, role, 'solver', p.conditions));
      }
    } else {
      const tp = process.hrtime.bigint();
      for (const c of conditionsList)
        polars.push(polarData(analyze(airfoil, { ...c, alphaDeg: alphas }, { panels }), role, 'solver', c));
      timings.push({
        phase: `report: ${role} polars (solver)`,
        seconds: Number(process.hrtime.bigint() - tp) / 1e9,
      });
    }
  }
  // operator polars
  if (opts.operator) {
    for (const [role, design, airfoil] of designs) {
      if (!design || !airfoil) continue;
      for (const c of conditionsList) {
        try {
          polars.push(
            polarData(opts.operator.predict(airfoil, { ...c, alphaDeg: alphas }), role, 'operator', c),
          );
        } catch (e) {
          notes.push(`operator polar failed (${role}): ${(e as Error).message}`);
        }
      }
    }
  }
  // XFOIL polars
  let xfoilVersion: string | undefined;
  if (res.xfoil?.status === 'ok' && opts.xfoil !== false) {
    const binary = findXfoil();
    if (!binary)
      notes.push('XFOIL polars not drawn: the run used XFOIL but no xfoil binary is available now');
    else {
      const tx = process.hrtime.bigint();
      try {
        for (const [role, design, airfoil] of designs) {
          if (!design || !airfoil) continue;
          for (const c of conditionsList) {
            const xp = runXfoilPolar(
              binary,
              airfoil,
              {
                re: c.re,
                mach: c.mach ?? 0,
                nCrit: c.nCrit ?? 9,
                xtrTop: c.xtrTop ?? 1,
                xtrBot: c.xtrBot ?? 1,
              },
              alphas,
              panels,
            );
            const pts: ModelPointLike[] = xp.map((q) => ({
              alpha: q.alphaDeg ?? NaN,
              cl: q.cl ?? NaN,
              cd: q.cd,
              cm: q.cm,
              converged: q.converged,
            }));
            polars.push(polarData(pts, role, 'xfoil', c));
          }
        }
        xfoilVersion = binary;
      } catch (e) {
        notes.push(`XFOIL polars failed: ${(e as Error).message}`);
      }
      timings.push({ phase: 'report: XFOIL polars', seconds: Number(process.hrtime.bigint() - tx) / 1e9 });
    }
  } else if (res.xfoil?.status && res.xfoil.status !== 'ok') {
    notes.push(`XFOIL check ${res.xfoil.status}${res.xfoil.reason ? `: ${res.xfoil.reason}` : ''}`);
  }

  // flow field: final (else baseline) shape at the first design point's solver alpha
  let field: FlowFieldData | undefined;
  if (opts.field !== false) {
    const [role, design, airfoil] = final && finalAirfoil ? designs[1] : designs[0];
    const dp = res.designPoints[0];
    const alpha = opts.field?.alphaDeg ?? design?.solver[0]?.alphaDeg ?? dp.alphaDeg ?? 0;
    if (airfoil && finite(alpha)) {
      const r = computeField(
        airfoil,
        { re: dp.re, mach: dp.mach, nCrit: dp.nCrit, xtrTop: dp.xtrTop, xtrBot: dp.xtrBot },
        { ...(opts.field || {}), alphaDeg: alpha },
        role,
        panels,
      );
      if (r.field) field = r.field;
      else if (r.message) notes.push(r.message);
      timings.push({ phase: 'report: flow field', seconds: r.seconds });
    }
  }

  const tables = runTables(res);
  tables.timings = timings;
  tables.versions = versions(xfoilVersion ? { xfoil: xfoilVersion } : {});
  const sense = String(res.config.objective?.type ?? '').startsWith('max') ? 'max' : 'min';
  return {
    kind: 'optimization',
    title: res.name,
    summary: [
      `${res.status}: ${res.message}`,
      `strategy ${res.strategy}, algorithm ${res.algorithm}; search model ${res.models.search}` +
        `${res.models.polish ? `, polish ${res.models.polish}` : ''}; ${res.evaluations.solver} solver and ${res.evaluations.operator} operator evaluations`,
    ],
    createdAt: new Date().toISOString(),
    shapes,
    points,
    polars,
    convergence: history.length
      ? {
          objectiveName: res.objective.label,
          sense,
          xLabel: 'evaluation (phases in run order, starts of a phase overlaid)',
          iterations: convergenceRecords(history),
        }
      : undefined,
    field,
    tables,
    notes,
  };
}

/** Shapes of `count` evaluations spread over the history (feasible ones of the phases that optimize). */
function iterateShapes(res: RunResult, history: readonly RunHistoryRecord[], count: number): ShapeData[] {
  const candidates = history.filter((r) => r.ok && r.phase !== 'baseline' && Array.isArray(r.x));
  if (!candidates.length) return [];
  const picks: RunHistoryRecord[] = [];
  for (let k = 1; k <= count; k++) {
    const r =
      candidates[Math.min(candidates.length - 1, Math.round((k * (candidates.length - 1)) / (count + 1)))];
    if (!picks.includes(r)) picks.push(r);
  }
  const config = resolveOptimizeConfig(res.config);
  const setup = setupProblem(config, process.cwd());
  return picks.map((r) => {
    const a = setup.problem.shapeOf(r.x);
    return shapeData(a, 'iterate', `${r.phase} evaluation ${r.evaluation}`);
  });
}

function runTables(res: RunResult): ReportTables {
  const base = res.baseline;
  const fin = res.final;
  const designVariables = res.variables.names.map((name, j) => ({
    name,
    baseline: base.variables[j],
    final: fin ? fin.variables[j] : NaN,
    lower: res.variables.lower[j],
    upper: res.variables.upper[j],
  }));
  const metrics: MetricRow[] = [
    {
      name: `objective: ${res.objective.label}`,
      baseline: { solver: res.objective.baseline },
      final: { solver: res.objective.final },
    },
  ];
  const xf = (d: RunDesign | null, i: number, k: 'cl' | 'cd' | 'cm' | 'ld') => d?.xfoil?.[i]?.[k] ?? null;
  res.designPoints.forEach((dp, i) => {
    for (const [k, label] of [
      ['cl', 'Cl'],
      ['cd', 'Cd'],
      ['cm', 'Cm'],
      ['ld', 'L/D'],
    ] as const) {
      const vals = (d: RunDesign | null) =>
        d
          ? {
              solver: d.solver[i]?.[k] ?? null,
              ...(d.operator ? { operator: d.operator[i]?.[k] ?? null } : {}),
              ...(d.xfoil ? { xfoil: xf(d, i, k) } : {}),
            }
          : undefined;
      metrics.push({ name: `${label}, ${dp.name}`, baseline: vals(base), final: vals(fin) });
    }
    if (fin?.operator || base.operator) {
      metrics.push({
        name: `operator confidence, ${dp.name}`,
        baseline: { operator: base.operator?.[i]?.confidence ?? null },
        final: { operator: fin?.operator?.[i]?.confidence ?? null },
      });
    }
  });
  const constraints = base.constraints.map((c, k) => {
    const f = fin?.constraints[k];
    return {
      name: c.name,
      baselineMargin: c.margin,
      margin: f ? f.margin : null,
      satisfied: f ? f.satisfied : undefined,
      model: 'solver' as ModelName,
    };
  });
  const geometryRows: (string | number | null)[][] = [];
  const geoNames: Record<string, string> = {
    maxThickness: 'max thickness t/c',
    maxThicknessX: 'x/c of max thickness',
    maxCamber: 'max camber',
    maxCamberX: 'x/c of max camber',
    area: 'area / c²',
    leRadius: 'LE radius / c',
    teThickness: 'TE thickness / c',
    teAngleDeg: 'TE angle [deg]',
  };
  for (const [k, label] of Object.entries(geoNames)) {
    const b = base.geometry?.[k];
    const f = fin?.geometry?.[k];
    if (typeof b !== 'number' && typeof f !== 'number') continue;
    geometryRows.push([label, typeof b === 'number' ? b : null, typeof f === 'number' ? f : null]);
  }
  const phaseRows: (string | number | boolean | null)[][] = [];
  for (const ph of res.phases ?? []) {
    for (const s of ph.starts ?? []) {
      phaseRows.push([
        ph.name,
        ph.model,
        s.tag,
        s.objective,
        s.feasible ? 'yes' : 'no',
        s.evaluations,
        s.iterations,
        s.stop,
        s.seconds,
      ]);
    }
    if (!ph.starts?.length) phaseRows.push([ph.name, ph.model, '', null, null, null, null, '', ph.seconds]);
  }
  const extra: GenericTable[] = [];
  if (geometryRows.length)
    extra.push({ title: 'Geometry', columns: ['measure', 'baseline', 'final'], rows: geometryRows });
  if (phaseRows.length)
    extra.push({
      title: 'Phases and starts',
      columns: [
        'phase',
        'model',
        'start',
        'objective',
        'feasible',
        'evaluations',
        'iterations',
        'stop',
        'wall time [s]',
      ],
      rows: phaseRows,
    });
  return { designVariables, metrics, constraints, extra, config: res.config };
}

/**
 * Writes the report of an optimizer run directory (see runReportData) to `out` (default
 * <runDir>/report.html). Returns the file, its size and the number of figures.
 */
export function writeRunReport(
  runDir: string,
  opts: RunReportOptions & { out?: string } = {},
): { file: string; bytes: number; figures: number } {
  const file = opts.out ?? path.join(runDir, 'report.html');
  const r = writeReport(file, runReportData(runDir, opts));
  return { file, ...r };
}
