/**
 * User modules of an optimization config: parametrizations and objectives given as
 * `{ "module": "./my-param.ts", "export": "MyParam", "options": {...} }`. A .ts module is loaded
 * through tsx's CommonJS register API (tsx must be installed: it is a dev dependency of foilopt, so
 * a checkout has it; elsewhere compile the module to .js); .js/.cjs modules are required directly.
 * Every failure (missing file, syntax or runtime error while loading, missing export, an export of
 * the wrong shape) is a one-line FoiloptError naming the module.
 */
import * as fs from 'fs';
import * as path from 'path';
import { FoiloptError } from '../errors';
import type { Parametrization } from '../geometry/param/types';
import type { ModuleRef } from './config';
import type { UserObjective } from './problem';

/** Absolute path of a module reference (relative to baseDir). */
export function modulePath(ref: ModuleRef, baseDir: string): string {
  return path.resolve(baseDir, ref.module);
}

/** The module's exports (loaded once per process; Node's require cache). */
export function loadModule(ref: ModuleRef, baseDir: string, what: string): Record<string, unknown> {
  const file = modulePath(ref, baseDir);
  const rel = path.relative(process.cwd(), file);
  const shown = rel && !rel.startsWith('..') ? rel : file;
  if (!fs.existsSync(file)) throw new FoiloptError(`${what}: module not found`, { file: shown });
  const ts = /\.[cm]?ts$/i.test(file);
  try {
    // .ts loads directly where the runtime already compiles TypeScript (tsx, jest), else through tsx's API
    const tsReady =
      process.env.JEST_WORKER_ID !== undefined || (require.extensions && '.ts' in require.extensions);
    if (ts && !tsReady) {
      let api: { require: (id: string, from: string) => unknown };
      try {
        api = require('tsx/cjs/api');
      } catch {
        throw new FoiloptError(
          `${what}: loading a .ts module needs the tsx package (npm i -D tsx), or compile it to .js`,
          { file: shown },
        );
      }
      return api.require(file, __filename) as Record<string, unknown>;
    }
    return require(file) as Record<string, unknown>;
  } catch (e) {
    if (e instanceof FoiloptError) throw e;
    const err = e as Error;
    const msg = err?.message ?? String(e);
    // esbuild (tsx) syntax errors: "Transform failed ... FILE:LINE:COL: ERROR: why"
    const esb = /:(\d+):\d+: ERROR: (.*)/.exec(msg);
    const loc = /\((.*?):(\d+):\d+\)/.exec(err?.stack ?? '');
    const line = esb ? Number(esb[1]) : loc && path.resolve(loc[1]) === file ? Number(loc[2]) : undefined;
    throw new FoiloptError(`${what}: the module failed to load: ${esb ? esb[2] : firstLine(msg)}`, {
      file: shown,
      line,
    });
  }
}

function firstLine(s: string): string {
  return s.split('\n').find((l) => l.trim() !== '') ?? s;
}

/** The named export, or a one-line error listing what the module exports. */
function exportOf(mod: Record<string, unknown>, ref: ModuleRef, what: string): unknown {
  const v = ref.export === 'default' ? (mod.default ?? mod) : mod[ref.export];
  if (v === undefined) {
    const names = Object.keys(mod).filter((k) => k !== '__esModule');
    throw new FoiloptError(
      `${what}: the module has no export "${ref.export}" (exports: ${names.join(', ') || 'none'})`,
      { file: ref.module },
    );
  }
  return v;
}

function isClass(f: unknown): boolean {
  return typeof f === 'function' && /^class[\s{]/.test(Function.prototype.toString.call(f));
}

/** Instantiates an export: a class (new X(options)), a factory (X(options)) or an object. */
function instantiate(v: unknown, options: Record<string, unknown>, ref: ModuleRef, what: string): unknown {
  try {
    if (isClass(v)) return new (v as new (o: unknown) => unknown)(options);
    if (typeof v === 'function') return (v as (o: unknown) => unknown)(options);
    return v;
  } catch (e) {
    if (e instanceof FoiloptError) throw e;
    throw new FoiloptError(
      `${what}: "${ref.export}" threw: ${firstLine((e as Error)?.message ?? String(e))}`,
      {
        file: ref.module,
      },
    );
  }
}

/** Checks that an object implements the Parametrization interface (one-line error otherwise). */
export function checkParametrization(p: unknown, where: string, file?: string): Parametrization {
  const o = p as Partial<Parametrization>;
  const bad = (why: string): never => {
    throw new FoiloptError(`${where}: not a parametrization: ${why}`, { file });
  };
  if (!o || typeof o !== 'object') bad('expected an object');
  if (!Number.isInteger(o.nVars) || o.nVars! < 1) bad('nVars must be a positive integer');
  if (!Array.isArray(o.varNames) && !(o.varNames && typeof o.varNames === 'object')) bad('varNames missing');
  if (o.varNames!.length !== o.nVars)
    bad(`varNames has ${o.varNames!.length} names for ${o.nVars} variables`);
  if (!(o.lower instanceof Float64Array) || o.lower.length !== o.nVars)
    bad('lower must be a Float64Array(nVars)');
  if (!(o.upper instanceof Float64Array) || o.upper.length !== o.nVars)
    bad('upper must be a Float64Array(nVars)');
  for (const f of ['initial', 'coordinates', 'fit'] as const)
    if (typeof o[f] !== 'function') bad(`method ${f}() missing`);
  return o as Parametrization;
}

/** A user parametrization from a module reference. */
export function loadParametrizationModule(ref: ModuleRef, baseDir: string): Parametrization {
  const what = `parametrization module "${ref.module}"`;
  const mod = loadModule(ref, baseDir, what);
  const p = instantiate(exportOf(mod, ref, what), ref.options, ref, what);
  return checkParametrization(p, what, ref.module);
}

/** A user objective from a module reference (see UserObjective). */
export function loadObjectiveModule(ref: ModuleRef, baseDir: string): UserObjective {
  const what = `objective module "${ref.module}"`;
  const mod = loadModule(ref, baseDir, what);
  const v = exportOf(mod, ref, what);
  const o = instantiate(v, ref.options, ref, what);
  if (!o || typeof (o as UserObjective).evaluate !== 'function')
    throw new FoiloptError(
      `${what}: "${ref.export}" must be an objective ({ evaluate(points) }) or a factory of one`,
      {
        file: ref.module,
      },
    );
  return o as UserObjective;
}
