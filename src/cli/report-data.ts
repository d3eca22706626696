/**
 * Collectors of the HTML report's data (src/report renders, it imports no model; this module runs the
 * models for what the report needs and is missing): an analysis of one airfoil (`foilopt analyze
 * --report`, `foilopt predict --report`) and an optimizer run directory (`foilopt report <run-dir>`,
 * the end of `foilopt optimize`).
 *
 * The flow field comes from the solver's singularity distribution (src/flow/field.ts) at one
 * operating point: the solver is run there (warm-started from 0 deg) when the data does not carry it.
 */
import { FoiloptError } from '../errors';
import { analyze, createSolver, prepareAirfoil } from '../flow';
import { flowField } from '../flow/field';
import type { FlowConditions, PointResult } from '../flow/types';
import { thicknessCamber } from '../geometry/measure';
import { normalize } from '../geometry/normalize';
import type { Airfoil } from '../geometry/types';
import { writeReport } from '../report';
import type {
  ConditionsData,
  FlowFieldData,
  GenericTable,
  MetricRow,
  ModelName,
  OperatingPointData,
  PointSolution,
  PolarData,
  ReportData,
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
  const summary = [
    `${airfoil.name}: ${[`Re ${conditions.re}`, `Mach ${conditions.mach ?? 0}`, `Ncrit ${conditions.nCrit ?? 9}`].join(', ')}` +
      `${(conditions.xtrTop ?? 1) < 1 || (conditions.xtrBot ?? 1) < 1 ? `, trips ${conditions.xtrTop ?? 1}/${conditions.xtrBot ?? 1}` : ''}`,
  ];
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
