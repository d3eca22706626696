/**
 * Input contract of the HTML report (src/report): the report renders exactly this data and imports
 * no model. Producers: the collectors in src/cli/report-data.ts (analysis reports, optimizer run
 * directories) or any caller of `renderReport` / `writeReport`.
 *
 * Everything is plain JSON (numbers, strings, arrays; `null` for a missing value), so a producer can
 * also write it to a file. Units: lengths in chord units (x/c), angles in degrees, Reynolds number on
 * the chord, coefficients on the freestream dynamic pressure, times in seconds.
 * Every string (airfoil names, labels, config values) is shown as text: the report HTML-escapes it.
 */

/** Which model produced a number: the XFOIL-class solver, the neural operator, or XFOIL itself. */
export type ModelName = 'solver' | 'operator' | 'xfoil';

/** Role of a shape: the design's start, the final design, an intermediate iterate. */
export type ShapeRole = 'baseline' | 'optimized' | 'iterate';

export interface ReportData {
  /** 'optimization' (a foilopt optimize run) or 'analysis' (one airfoil: analyze / predict) */
  kind: 'optimization' | 'analysis';
  /** page title, e.g. the run's config name or the airfoil name */
  title: string;
  /** short plain-text lines shown under the title (what was run, the headline result) */
  summary?: string[];
  /** ISO 8601 time the data was produced */
  createdAt?: string;
  /** the shapes; at most one 'baseline' and one 'optimized', any number of 'iterate' */
  shapes: ShapeData[];
  /** operating points with surface distributions: design points (optimization) or selected angles (analysis) */
  points: OperatingPointData[];
  /** polars over an alpha range, per shape and model */
  polars: PolarData[];
  /** optimizer history (optimization only) */
  convergence?: ConvergenceData;
  /** velocity/pressure field around one shape at one operating point */
  field?: FlowFieldData;
  tables?: ReportTables;
  /** warnings and remarks shown at the top, e.g. "XFOIL check skipped: no xfoil binary on PATH" */
  notes?: string[];
}

/** Flow conditions of a polar or operating point. */
export interface ConditionsData {
  /** chord Reynolds number (0 or Infinity: inviscid) */
  re: number;
  mach?: number;
  nCrit?: number;
  /** trip x/c per side (1 = free transition) */
  xtrTop?: number;
  xtrBot?: number;
}

export interface ShapeData {
  /** legend label: the airfoil's name, "optimized", "iteration 12" */
  label: string;
  role: ShapeRole;
  /** node coordinates (Selig order: upper TE -> LE -> lower TE), chord units */
  x: number[];
  y: number[];
  /** iteration number of an iterate */
  iteration?: number;
  /** thickness and camber at chord stations (chord frame), chord units */
  distributions?: { xOverC: number[]; thickness: number[]; camber: number[] };
}

/** Distributions along one surface (or the wake), ordered downstream (stagnation point -> TE). */
export interface SurfaceData {
  /** x/c of the stations */
  x: number[];
  /** pressure coefficient */
  cp: number[];
  /** skin friction coefficient */
  cf?: number[];
  /** shape factor H = deltaStar/theta */
  h?: number[];
  /** displacement thickness, chord units */
  deltaStar?: number[];
  /** momentum thickness, chord units */
  theta?: number[];
}

/** One model's solution for one shape at one operating point. */
export interface PointSolution {
  shape: 'baseline' | 'optimized';
  model: ModelName;
  alphaDeg: number;
  cl: number;
  cd?: number | null;
  cm?: number | null;
  /** transition x/c per side (1 = none before the TE) */
  xtrTop?: number | null;
  xtrBot?: number | null;
  converged?: boolean;
  /** operator confidence in [0, 1] */
  confidence?: number | null;
  top?: SurfaceData;
  bottom?: SurfaceData;
}

export interface OperatingPointData {
  /** e.g. "design point 1"; generated from the conditions when absent */
  label?: string;
  /** the point's specification: alphaDeg or a target cl, and the flow; weight of a multipoint objective */
  conditions: ConditionsData & { alphaDeg?: number; cl?: number; weight?: number };
  results: PointSolution[];
}

/** A polar: converged points only, ascending alpha (columns of equal length). */
export interface PolarData {
  shape: 'baseline' | 'optimized';
  model: ModelName;
  conditions: ConditionsData;
  alphaDeg: number[];
  cl: number[];
  cd: number[];
  cm: number[];
  /** legend label (default: shape label, model, Re) */
  label?: string;
}

/** One optimizer iteration (one line of history.jsonl). */
export interface IterationRecord {
  /** global iteration counter over all phases */
  iteration: number;
  /** phase of the strategy, e.g. "operator search", "solver verification", "adjoint polish" */
  phase: string;
  /** model evaluating objective and constraints ('operator' | 'solver' | ...) */
  model: string;
  /** gradient source ('autodiff' | 'adjoint' | 'fd' | 'none') */
  gradient?: string;
  /** multi-start index */
  start?: number;
  objective: number;
  /** largest constraint violation (0 when feasible) */
  worstViolation: number;
  /** 2-norm of the objective gradient w.r.t. the design variables (null when none was computed) */
  gradientNorm?: number | null;
  /** wall time since the run started, seconds */
  elapsedS?: number;
}

export interface ConvergenceData {
  /** name of the objective, e.g. "L/D" or "weighted Cd" */
  objectiveName?: string;
  /** whether the objective is minimized or maximized as shown (default 'min') */
  sense?: 'min' | 'max';
  /** x axis title (default 'iteration') */
  xLabel?: string;
  iterations: IterationRecord[];
}

/**
 * Velocity/pressure field on a rectangular grid with streamlines (src/flow/field.ts computes it from
 * the solver's singularities). Grid values row-major: cp[j * x.length + i] at (x[i], y[j]); null
 * inside the airfoil.
 */
export interface FlowFieldData {
  shape: 'baseline' | 'optimized';
  alphaDeg: number;
  conditions: ConditionsData;
  /** true when the boundary layer's displacement sources are included */
  viscous: boolean;
  x: number[];
  y: number[];
  cp: (number | null)[];
  streamlines: { x: number[]; y: number[] }[];
  /** airfoil outline (closed by the renderer) */
  body: { x: number[]; y: number[] };
  /** displacement surface per side (airfoil + deltaStar, continued along the wake) */
  displacement?: { x: number[]; y: number[] }[];
  /** lift coefficient of the solution shown */
  cl?: number;
}

/** Design-variable row: baseline and final values with bounds. */
export interface DesignVariableRow {
  name: string;
  baseline: number;
  final: number;
  lower?: number | null;
  upper?: number | null;
}

/** Values of one metric per model; missing models are omitted or null. */
export type ModelValues = Partial<Record<ModelName, number | null>>;

/** A metric (L/D at a point, Cd, Cm, ...) for baseline and final, per model; gaps are computed by the report. */
export interface MetricRow {
  name: string;
  unit?: string;
  baseline?: ModelValues;
  final?: ModelValues;
}

/**
 * A constraint with its margins (positive = satisfied by that much). Give the margins, or kind, bound
 * and values to have them computed.
 */
export interface ConstraintRow {
  /** e.g. "max thickness >= 0.12" */
  name: string;
  kind?: '>=' | '<=' | '=';
  bound?: number | null;
  /** constrained quantity of baseline and final design */
  baseline?: number | null;
  final?: number | null;
  /** margins; default from kind, bound and value: value - bound ('>='), bound - value ('<='), -|value - bound| ('=') */
  baselineMargin?: number | null;
  margin?: number | null;
  /** whether the final design satisfies it (default: margin >= -tolerance) */
  satisfied?: boolean;
  /** model the final value comes from */
  model?: ModelName;
  /** tolerance of the satisfaction test (default 1e-4) */
  tolerance?: number;
}

/** A plain table (e.g. the polar of an analysis). */
export interface GenericTable {
  title: string;
  columns: string[];
  rows: (string | number | boolean | null)[][];
}

export interface ReportTables {
  designVariables?: DesignVariableRow[];
  metrics?: MetricRow[];
  constraints?: ConstraintRow[];
  /** run configuration, any JSON value (rendered as a key/value tree) */
  config?: unknown;
  /** software versions, e.g. { foilopt: "0.1.0", node: "v20.20.2", xfoil: "6.99" } */
  versions?: Record<string, string>;
  /** wall time per phase */
  timings?: { phase: string; seconds: number }[];
  /** further tables shown at the end */
  extra?: GenericTable[];
}
