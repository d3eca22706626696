/**
 * From a resolved config to a Problem: the base airfoil (relative paths against the config's
 * directory), the parametrization (spec, built-in with options, user module, or an object given to
 * the library) fitted to the base airfoil (the start), the user objective, and the inverse-design
 * target (the solver's Cp of the target airfoil at the matched point, sampled at stations).
 */
import * as fs from 'fs';
import * as path from 'path';
import { FoiloptError } from '../errors';
import { loadAirfoil } from '../geometry/lookup';
import { bezier } from '../geometry/param/bezier';
import { cst } from '../geometry/param/cst';
import { hicksHenne } from '../geometry/param/hicksHenne';
import { naca4, naca5 } from '../geometry/param/naca';
import { parsec } from '../geometry/param/parsec';
import { parametrizationFromSpec } from '../geometry/param/registry';
import type { Parametrization } from '../geometry/param/types';
import type { Airfoil } from '../geometry/types';
import type { OptimizeConfig } from './config';
import { interpolateSide, Problem, type CpTarget, type UserObjective } from './problem';
import { checkParametrization, loadObjectiveModule, loadParametrizationModule } from './plugins';
import { SolverModel } from './solver-model';

/** Built-ins that take an options object, with their option names. */
const BUILT_IN: Record<
  string,
  { options: string[]; make: (o: Record<string, unknown>, base: Airfoil) => Parametrization }
> = {
  cst: { options: ['weightsPerSide', 'pointsPerSide', 'fitObjective'], make: (o) => cst(o) },
  bezier: { options: ['controlPointsPerSide', 'pointsPerSide'], make: (o) => bezier(o) },
  hh: { options: ['bumpsPerSide', 'positions', 'width'], make: (o, b) => hicksHenne(b, o) },
  'hicks-henne': { options: ['bumpsPerSide', 'positions', 'width'], make: (o, b) => hicksHenne(b, o) },
  parsec: { options: ['pointsPerSide'], make: (o) => parsec(o) },
  naca4: { options: ['pointsPerSide', 'sharpTrailingEdge'], make: (o) => naca4(o) },
  naca5: { options: ['pointsPerSide', 'sharpTrailingEdge'], make: (o) => naca5(o) },
};

/** Everything a run needs besides the models. */
export interface Setup {
  config: OptimizeConfig;
  baseDir: string;
  base: Airfoil;
  param: Parametrization;
  /** the base airfoil's fit: the start */
  p0: Float64Array;
  fitDeviation: number;
  problem: Problem;
  /** the parametrization came from the library caller (cannot be rebuilt in a worker thread) */
  paramObject: boolean;
}

/** Loads the base airfoil of the config. */
export function loadBaseAirfoil(config: OptimizeConfig, baseDir: string, file?: string): Airfoil {
  return loadAirfoilRelative(config.airfoil, baseDir, 'airfoil', file);
}

function loadAirfoilRelative(spec: string, baseDir: string, field: string, file?: string): Airfoil {
  const rel = path.resolve(baseDir, spec);
  const s = /[/\\]|\.dat$/i.test(spec) && fs.existsSync(rel) ? rel : spec;
  try {
    return loadAirfoil(s);
  } catch (e) {
    if (e instanceof FoiloptError)
      throw new FoiloptError(`invalid optimize config: ${field}: ${e.oneLine()}`, { file });
    throw e;
  }
}

/** The parametrization of the config (or the object given). */
export function resolveParametrization(
  config: OptimizeConfig,
  baseDir: string,
  base: Airfoil,
  given?: Parametrization,
  file?: string,
): Parametrization {
  if (given) return checkParametrization(given, 'parametrization');
  const p = config.parametrization;
  try {
    if (typeof p === 'string') return parametrizationFromSpec(p, base);
    if ('module' in p) return loadParametrizationModule(p, baseDir);
    const key = p.type.trim().toLowerCase();
    const b = BUILT_IN[key];
    if (!b) {
      if (Object.keys(p.options).length > 0)
        throw new FoiloptError(
          `"${p.type}" takes no options here (built-ins with options: ${Object.keys(BUILT_IN).join(', ')})`,
        );
      return parametrizationFromSpec(p.type, base);
    }
    const unknown = Object.keys(p.options).filter((k) => !b.options.includes(k));
    if (unknown.length)
      throw new FoiloptError(
        `options: unknown option "${unknown[0]}" for ${key} (known: ${b.options.join(', ')})`,
      );
    return b.make(p.options, base);
  } catch (e) {
    if (e instanceof FoiloptError) {
      if (e.file) throw e;
      throw new FoiloptError(`invalid optimize config: parametrization: ${e.oneLine()}`, { file });
    }
    throw e;
  }
}

/** Cosine-spaced stations in [a, b]. */
function stations(a: number, b: number, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let k = 0; k < n; k++) out[k] = a + (b - a) * 0.5 * (1 - Math.cos((Math.PI * k) / (n - 1)));
  return out;
}

/** The inverse-design target: Cp per side at the stations. */
export function resolveCpTarget(
  config: OptimizeConfig,
  baseDir: string,
  file?: string,
): CpTarget | undefined {
  const o = config.objective;
  if ('module' in o || o.type !== 'inverseCp') return undefined;
  const xs = stations(o.xRange[0], o.xRange[1], o.stations);
  const sample = (side: { x: ArrayLike<number>; cp: ArrayLike<number> }) => {
    const x = Float64Array.from(side.x);
    const cp = Float64Array.from(side.cp);
    return { x: Float64Array.from(xs), cp: xs.map((xq) => interpolateSide(x, cp, xq)) };
  };
  if ('airfoil' in o.target) {
    const target = loadAirfoilRelative(o.target.airfoil, baseDir, 'objective.target.airfoil', file);
    const pt = config.points[o.point];
    const m = new SolverModel({ panels: config.panels });
    const r = m.evaluate(
      target,
      {
        alphaDeg: pt.alphaDeg,
        cl: pt.cl,
        re: pt.re,
        mach: pt.mach,
        nCrit: pt.nCrit,
        xtrTop: pt.xtrTop,
        xtrBot: pt.xtrBot,
      },
      { cp: true },
    );
    if (!r.converged || !r.cp)
      throw new FoiloptError(
        `invalid optimize config: objective.target.airfoil: the solver does not converge on "${o.target.airfoil}" at point ${o.point}`,
        { file },
      );
    return { point: o.point, top: sample(r.cp.top), bottom: sample(r.cp.bottom) };
  }
  for (const side of ['top', 'bottom'] as const) {
    const d = o.target[side];
    if (d.x.length !== d.cp.length)
      throw new FoiloptError(`invalid optimize config: objective.target.${side}: x and cp differ in length`, {
        file,
      });
  }
  return { point: o.point, top: sample(o.target.top), bottom: sample(o.target.bottom) };
}

/** Builds the problem of a config. `precomputed` (worker threads) skips the fit and the target solve. */
export function setupProblem(
  config: OptimizeConfig,
  baseDir: string,
  options: {
    file?: string;
    parametrization?: Parametrization;
    precomputed?: { p0: Float64Array; fitDeviation: number; cpTarget?: CpTarget };
  } = {},
): Setup {
  const base = loadBaseAirfoil(config, baseDir, options.file);
  const param = resolveParametrization(config, baseDir, base, options.parametrization, options.file);
  let p0: Float64Array;
  let fitDeviation: number;
  if (options.precomputed) {
    p0 = Float64Array.from(options.precomputed.p0);
    fitDeviation = options.precomputed.fitDeviation;
  } else {
    try {
      const fit = param.fit(base);
      p0 = Float64Array.from(fit.params);
      fitDeviation = fit.maxDeviation;
    } catch (e) {
      throw new FoiloptError(
        `parametrization: fitting it to the base airfoil failed: ${(e as Error)?.message ?? String(e)}`,
        { file: options.file },
      );
    }
    if (p0.length !== param.nVars || !p0.every(Number.isFinite))
      throw new FoiloptError('parametrization: its fit returned an invalid parameter vector', {
        file: options.file,
      });
  }
  let userObjective: UserObjective | undefined;
  const o = config.objective;
  if ('module' in o) userObjective = loadObjectiveModule(o, baseDir);
  const cpTarget = options.precomputed
    ? options.precomputed.cpTarget
    : resolveCpTarget(config, baseDir, options.file);
  let problem: Problem;
  try {
    problem = new Problem({ config, param, p0, userObjective, cpTarget });
  } catch (e) {
    if (e instanceof FoiloptError && !e.file) throw new FoiloptError(e.message, { file: options.file });
    throw e;
  }
  return {
    config,
    baseDir,
    base,
    param,
    p0,
    fitDeviation,
    problem,
    paramObject: options.parametrization !== undefined,
  };
}
