/**
 * Configuration of an optimization run (`foilopt optimize config.json`, `optimize(config)`),
 * validated with zod. Every field except the design points has a default; validation errors name
 * the field (dotted path), say why and show the value given, on one line (FoiloptError with the
 * file). The schema is documented field by field in docs/optimize.md.
 */
import * as fs from 'fs';
import * as path from 'path';
import { z } from 'zod';
import { configErrorMessage } from '../config-errors';
import { FoiloptError } from '../errors';

const finite = () => z.number().refine((v) => Number.isFinite(v), { message: 'must be a finite number' });

/** A user module reference: a .ts/.js file (relative to the config file) and the export to use. */
export const ModuleRefSchema = z.strictObject({
  /** path of a .ts or .js module, relative to the config file's directory */
  module: z.string().min(1),
  /** name of the export (default: "default") */
  export: z.string().min(1).default('default'),
  /** passed to the export when it is a factory function or a class */
  options: z.record(z.string(), z.unknown()).default({}),
});
export type ModuleRef = z.output<typeof ModuleRefSchema>;

/** Parametrization: a spec string ("cst:8"), a built-in with options, or a user module. */
const ParametrizationSchema = z.union([
  z.string().min(1),
  z.strictObject({
    /** a built-in or registered name: cst, bezier, hh, parsec, naca4, naca5 */
    type: z.string().min(1),
    /** cst: weightsPerSide, pointsPerSide; bezier: controlPointsPerSide; hh: bumpsPerSide */
    options: z.record(z.string(), z.unknown()).default({}),
  }),
  ModuleRefSchema,
]);

/** One design point: an operating condition with its weight. */
export const DesignPointSchema = z
  .strictObject({
    /** label used in outputs (default "p1", "p2", ...) */
    name: z.string().min(1).optional(),
    /** angle of attack, degrees (with alphaBoundsDeg: the start of a free alpha) */
    alphaDeg: finite().min(-30).max(30).optional(),
    /** alpha is a design variable within these bounds (degrees); needs alphaDeg as its start */
    alphaBoundsDeg: z
      .tuple([finite(), finite()])
      .refine(([a, b]) => a < b, { message: 'lower bound must be < upper bound' })
      .optional(),
    /** target lift coefficient (fixed-CL point; alpha adjusts) */
    cl: finite().min(-2).max(3).optional(),
    /** chord Reynolds number */
    re: finite().min(1e3).max(1e9),
    mach: finite().min(0).max(0.9).default(0),
    nCrit: finite().min(0.1).max(30).default(9),
    /** forced transition x/c (1 = free) */
    xtrTop: finite().min(0).max(1).default(1),
    xtrBot: finite().min(0).max(1).default(1),
    /** weight in weighted multipoint objectives */
    weight: finite().min(0).default(1),
  })
  .refine((p) => (p.alphaDeg === undefined) !== (p.cl === undefined), {
    message: 'give exactly one of alphaDeg or cl',
  })
  .refine((p) => p.alphaBoundsDeg === undefined || p.alphaDeg !== undefined, {
    message: 'alphaBoundsDeg needs alphaDeg (the start of the free alpha)',
  })
  .refine(
    (p) =>
      p.alphaBoundsDeg === undefined ||
      (p.alphaDeg! >= p.alphaBoundsDeg[0] && p.alphaDeg! <= p.alphaBoundsDeg[1]),
    { message: 'alphaDeg must lie inside alphaBoundsDeg' },
  );
export type DesignPointConfig = z.output<typeof DesignPointSchema>;

/** The force objectives: a weighted mean over the design points (weights of the points). */
export const FORCE_OBJECTIVES = ['maxLD', 'minCd', 'maxCl', 'minCm', 'maxCm'] as const;

/** Target pressure distribution of an inverse design. */
const CpTargetSchema = z.union([
  z.strictObject({
    /** the Cp of this airfoil (file, NACA code or shipped name) at the design point, by the solver */
    airfoil: z.string().min(1),
  }),
  z.strictObject({
    /** given data: x/c and Cp per side */
    top: z.strictObject({ x: z.array(finite()).min(3), cp: z.array(finite()).min(3) }),
    bottom: z.strictObject({ x: z.array(finite()).min(3), cp: z.array(finite()).min(3) }),
  }),
]);

const ObjectiveSchema = z.union([
  z.strictObject({
    type: z.enum(FORCE_OBJECTIVES),
  }),
  z.strictObject({
    type: z.literal('inverseCp'),
    target: CpTargetSchema,
    /** index of the design point whose Cp is matched (default 0) */
    point: z.number().int().min(0).default(0),
    /** compare on x/c in [xMin, xMax] only (default 0.01..0.99: the LE stagnation and TE are stiff) */
    xRange: z
      .tuple([finite().min(0).max(1), finite().min(0).max(1)])
      .refine(([a, b]) => a < b, { message: 'xRange: lower must be < upper' })
      .default([0.01, 0.99]),
    /** stations per side (cosine-spaced in xRange) */
    stations: z.number().int().min(5).max(400).default(60),
  }),
  ModuleRefSchema,
]);

/** Constraints (g <= 0 form internally; see docs/optimize.md). */
const pointsField = z.union([z.literal('all'), z.array(z.number().int().min(0))]).default('all');
const ConstraintSchema = z.discriminatedUnion('type', [
  /** thickness at x/c >= min */
  z.strictObject({ type: z.literal('thickness'), x: finite().gt(0).lt(1), min: finite().min(0).max(1) }),
  /** maximum thickness within [min, max] */
  z.strictObject({
    type: z.literal('maxThickness'),
    min: finite().min(0).max(1).optional(),
    max: finite().gt(0).max(1).optional(),
  }),
  /** enclosed area (chord^2) within [min, max] */
  z.strictObject({
    type: z.literal('area'),
    min: finite().min(0).optional(),
    max: finite().gt(0).optional(),
  }),
  /** leading-edge radius (chord) >= min */
  z.strictObject({ type: z.literal('leRadius'), min: finite().gt(0).max(1) }),
  /** trailing-edge wedge angle (degrees) >= min */
  z.strictObject({ type: z.literal('teAngle'), minDeg: finite().min(0).max(90) }),
  /** pitching moment >= min at the design points */
  z.strictObject({ type: z.literal('cm'), min: finite().min(-2).max(2), points: pointsField }),
  /** lift coefficient = value (fixed-alpha points) */
  z.strictObject({ type: z.literal('cl'), equals: finite().min(-2).max(3), points: pointsField }),
  /** lift coefficient >= min (fixed-alpha points) */
  z.strictObject({ type: z.literal('clMin'), min: finite().min(-2).max(3), points: pointsField }),
  /** operator confidence >= min (operator model only; ignored by the solver, which must converge) */
  z.strictObject({ type: z.literal('confidence'), min: finite().min(0).max(1), points: pointsField }),
]);
export type ConstraintConfig = z.output<typeof ConstraintSchema>;

export const ALGORITHMS = ['slsqp', 'mma', 'ccsaq', 'lbfgs', 'cobyla'] as const;
export type AlgorithmName = (typeof ALGORITHMS)[number];

const VariablesSchema = z.strictObject({
  /** variables held at their start value (names of the parametrization, e.g. "teThickness") */
  freeze: z.array(z.string().min(1)).default([]),
  /**
   * half-width of the box around the start for every shape variable, as a fraction of the
   * parametrization's own bounds range (capped); explicit bounds below override
   */
  boxFraction: finite().gt(0).max(1).default(0.08),
  /** explicit bounds per variable name: [lower, upper] */
  bounds: z
    .record(
      z.string(),
      z.tuple([finite(), finite()]).refine(([a, b]) => a < b, { message: 'lower must be < upper' }),
    )
    .default({}),
});

const SearchSchema = z.strictObject({
  /** model of the search phase of the multifidelity strategy */
  model: z.enum(['operator', 'solver']).default('operator'),
  /** number of starts (the base shape and random perturbations of it) */
  starts: z.number().int().min(1).max(64).default(4),
  /** worker threads (0 = run in the main thread) */
  workers: z.number().int().min(0).max(64).default(2),
  /** objective evaluations per start */
  maxEvaluations: z.number().int().min(1).max(100000).default(150),
  /** candidates verified with the solver */
  verify: z.number().int().min(1).max(64).default(3),
  /** perturbation of the random starts, fraction of each variable's box half-width */
  perturbation: finite().min(0).max(1).default(0.3),
});

export const OptimizeConfigSchema = z.strictObject({
  /** run name (outputs and report title) */
  name: z.string().min(1).default('optimization'),
  /** base airfoil: .dat path (relative to the config file), NACA code or shipped name */
  airfoil: z.string().min(1).default('naca2412'),
  parametrization: ParametrizationSchema.default('cst:8'),
  points: z.array(DesignPointSchema).min(1),
  objective: ObjectiveSchema.default({ type: 'maxLD' }),
  constraints: z.array(ConstraintSchema).default([]),
  variables: VariablesSchema.prefault({}),
  /** 'multifidelity': operator search -> solver verification -> adjoint polish; 'single': one model */
  strategy: z.enum(['multifidelity', 'single']).default('multifidelity'),
  /** model of the 'single' strategy */
  model: z.enum(['operator', 'solver']).default('solver'),
  /** gradients: adjoint (solver), autodiff (operator), fd (finite differences, any model) */
  gradient: z.enum(['adjoint', 'autodiff', 'fd']).optional(),
  algorithm: z.enum(ALGORITHMS).default('slsqp'),
  /** objective evaluations of the solver optimization (polish, or the single run) */
  maxEvaluations: z.number().int().min(1).max(100000).default(80),
  /** wall-clock limit of the whole run, seconds (0 = none); a limit makes --resume inexact */
  maxTimeSeconds: finite().min(0).default(0),
  /** relative objective tolerance of the local optimizer */
  tolerance: finite().gt(0).max(0.1).default(1e-6),
  /** constraint tolerance (raw units) */
  constraintTolerance: finite().gt(0).max(0.1).default(1e-5),
  search: SearchSchema.prefault({}),
  /** panel nodes of the solver */
  panels: z.number().int().min(60).max(400).default(160),
  /** random seed of the multi-start perturbations */
  seed: z.number().int().min(0).default(1),
  /** alpha range of the baseline/final polars written for the report (degrees, step) */
  polarAlphaDeg: z
    .tuple([finite(), finite(), finite().gt(0)])
    .refine(([a, b]) => a < b, { message: 'start must be < end' })
    .default([-4, 14, 1]),
  /** run XFOIL on the baseline and final shapes when available (xfoil on PATH or FOILOPT_XFOIL) */
  xfoil: z.boolean().default(true),
});

/** A resolved optimization config. */
export type OptimizeConfig = z.output<typeof OptimizeConfigSchema>;
/** What a config file may contain. */
export type OptimizeConfigInput = z.input<typeof OptimizeConfigSchema>;

/** Cross-field checks zod cannot express locally; returns [field, message] or null. */
function crossCheck(c: OptimizeConfig): [string, string] | null {
  const nPts = c.points.length;
  for (let k = 0; k < c.constraints.length; k++) {
    const con = c.constraints[k];
    if ('points' in con && Array.isArray(con.points)) {
      const bad = con.points.find((i) => i >= nPts);
      if (bad !== undefined)
        return [`constraints[${k}].points`, `point index ${bad} does not exist (${nPts} design points)`];
    }
    if (
      (con.type === 'maxThickness' || con.type === 'area') &&
      con.min === undefined &&
      con.max === undefined
    )
      return [`constraints[${k}]`, 'give min, max or both'];
    if (
      (con.type === 'maxThickness' || con.type === 'area') &&
      con.min !== undefined &&
      con.max !== undefined
    ) {
      if (con.min > con.max) return [`constraints[${k}].min`, `must be <= max (${con.max})`];
    }
    if (con.type === 'cl' || con.type === 'clMin') {
      const pts = con.points === 'all' ? c.points.map((_, i) => i) : con.points;
      const fixed = pts.find((i) => c.points[i].cl !== undefined);
      if (fixed !== undefined)
        return [
          `constraints[${k}].points`,
          `point ${fixed} is a fixed-CL point already (its CL is the target)`,
        ];
    }
  }
  const o = c.objective;
  if ('type' in o && o.type === 'inverseCp' && o.point >= nPts)
    return ['objective.point', `point index ${o.point} does not exist (${nPts} design points)`];
  if ('type' in o && o.type === 'inverseCp' && c.points[o.point].alphaBoundsDeg)
    return ['objective.point', 'the matched point must have a fixed alpha or CL, not a free alpha'];
  if (c.gradient === 'autodiff' && c.strategy === 'single' && c.model === 'solver')
    return ['gradient', 'autodiff needs model "operator" (the solver differentiates by "adjoint" or "fd")'];
  if (c.gradient === 'adjoint' && c.strategy === 'single' && c.model === 'operator')
    return ['gradient', 'adjoint needs model "solver" (the operator differentiates by "autodiff" or "fd")'];
  return null;
}

/**
 * Validates a config object and fills the defaults. Throws a one-line FoiloptError naming the
 * first bad field (`file` goes into the error's location).
 */
export function resolveOptimizeConfig(input: unknown, file?: string): OptimizeConfig {
  const r = OptimizeConfigSchema.safeParse(input ?? {});
  if (!r.success)
    throw new FoiloptError(`invalid optimize config: ${configErrorMessage(r.error, input)}`, { file });
  const bad = crossCheck(r.data);
  if (bad) throw new FoiloptError(`invalid optimize config: ${bad[0]}: ${bad[1]}`, { file });
  return r.data;
}

/** Reads a JSON config file: unreadable files and JSON syntax errors are one-line errors. */
export function readConfigFile(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new FoiloptError(
      `cannot read the optimize config: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      { file },
    );
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    const m = /position (\d+)/.exec((e as Error).message);
    const line = m ? text.slice(0, Number(m[1])).split('\n').length : undefined;
    throw new FoiloptError(`the optimize config is not valid JSON: ${(e as Error).message}`, { file, line });
  }
}

/** A config loaded from a file: the resolved config and the directory relative paths refer to. */
export interface LoadedConfig {
  config: OptimizeConfig;
  /** directory of the config file (relative airfoil and module paths resolve against it) */
  baseDir: string;
  file: string;
}

/** Reads and validates a config file. */
export function loadOptimizeConfig(file: string): LoadedConfig {
  const config = resolveOptimizeConfig(readConfigFile(file), file);
  return { config, baseDir: path.dirname(path.resolve(file)), file };
}

/** The embedded default run (`npm run demo`, `foilopt optimize` without a config). */
export const DEFAULT_CONFIG: OptimizeConfigInput = {
  name: 'demo: max L/D of NACA 2412 at Re 1e6',
  airfoil: 'naca2412',
  parametrization: 'cst:6',
  points: [{ name: 'cruise', alphaDeg: 4, alphaBoundsDeg: [0, 10], re: 1e6 }],
  objective: { type: 'maxLD' },
  constraints: [
    { type: 'thickness', x: 0.3, min: 0.12 },
    { type: 'maxThickness', min: 0.12 },
    { type: 'cm', min: -0.1 },
    { type: 'teAngle', minDeg: 5 },
  ],
  variables: { freeze: ['teThickness'] },
  search: { starts: 2, maxEvaluations: 25, verify: 2 },
  maxEvaluations: 30,
};
