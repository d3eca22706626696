/**
 * Dataset cases: what one case is (shape + flow conditions), how it is drawn from the dataset seed
 * and its global index, what an evaluator returns for it, and how both are packed into a record
 * (layout.ts). A case's content is a pure function of (config, seed, index).
 */
import { prepareAirfoil } from '../flow/analyze';
import { failedPoint } from '../flow/result';
import type { PointResult } from '../flow/types';
import type { Airfoil } from '../geometry/types';
import type { DatasetConfig } from './config';
import {
  arrayOffset,
  FAMILY_SHIFT,
  FLAG_CONVERGED,
  FLAG_PERTURBED,
  FLAG_RETRIED,
  FLAG_SURFACE,
  FLAG_TRIPPED,
  RECORD_HEADER_WORDS,
  WORD,
  recordWords,
} from './layout';
import { caseRng, STREAM_CONDITIONS, STREAM_POLAR_ALPHA, STREAM_SHAPE, type CaseRng } from './rng';
import { SHAPE_FAMILIES, ShapeSampler, type SampledShape } from './shapes';

/** Flow conditions of a case (each value rounded to float32, so the record holds what was solved). */
export interface CaseConditions {
  alphaDeg: number;
  re: number;
  mach: number;
  nCrit: number;
  /** trip x/c, upper surface (1 = free transition) */
  xtrTop: number;
  /** trip x/c, lower surface (1 = free transition) */
  xtrBot: number;
}

/** One case to evaluate. */
export interface CaseSpec {
  /** global case index in the dataset */
  index: number;
  shape: SampledShape;
  /** the shape normalized and repaneled to `config.panels` nodes: the stored node coordinates */
  airfoil: Airfoil;
  conditions: CaseConditions;
  /** true when transition is forced (tripped) on both sides */
  tripped: boolean;
  config: DatasetConfig;
  /** polar mode (config.polarPoints > 1): the polar this case belongs to and its point in it */
  polar?: { index: number; point: number };
}

/**
 * Surface distributions at the airfoil nodes, node order (upper TE -> LE -> lower TE), each of length
 * `config.panels`; meanings as in BoundaryLayerSide (src/flow/types.ts).
 */
export interface SurfaceDistributions {
  /** pressure coefficient */
  cp: Float64Array;
  /** boundary-layer edge speed ue / Vinf, positive downstream of the stagnation point on both sides */
  ue: Float64Array;
  /** displacement thickness delta* / chord */
  deltaStar: Float64Array;
  /** momentum thickness theta / chord */
  theta: Float64Array;
  /** shape factor H = delta* / theta */
  h: Float64Array;
  /** skin friction coefficient on freestream dynamic pressure */
  cf: Float64Array;
  /** amplification exponent N (laminar nodes) or sqrt(Ctau) (turbulent nodes) */
  nAmpOrSqrtCtau: Float64Array;
  /** 1 on turbulent nodes, 0 on laminar */
  turbulent: Float64Array;
}

/** What an evaluator returns for a case (NaN where nothing was computed). */
export interface CaseResult extends Omit<PointResult, 'alpha' | 'boundaryLayer'> {
  /** true when the result comes from a retry (warm-started sweep) after a failed first attempt */
  retried?: boolean;
  surface?: SurfaceDistributions;
}

/** Computes the result of one case (the solver by default, see evaluate.ts). */
export type CaseEvaluator = (c: CaseSpec) => CaseResult;

/**
 * Computes the points of one polar together (polar mode): `cases` share shape and conditions but
 * alphaDeg; returns one result per case, same order.
 */
export type PolarEvaluator = (cases: CaseSpec[]) => CaseResult[];

/** Per-thread state for building cases: the config, the seed and the shape sampler. */
export interface CaseContext {
  config: DatasetConfig;
  seed: number;
  sampler: ShapeSampler;
}

/** Builds the per-thread case context (loads the CST table and the held-out list). */
export function caseContext(config: DatasetConfig, seed: number): CaseContext {
  return { config, seed, sampler: new ShapeSampler(config) };
}

/** Draws the flow conditions of a case from its conditions stream. */
export function drawConditions(
  config: DatasetConfig,
  rng: CaseRng,
): { conditions: CaseConditions; tripped: boolean } {
  const c = config.conditions;
  const alphaDeg = Math.fround(rng.between(c.alphaDeg[0], c.alphaDeg[1]));
  const re = Math.fround(rng.logBetween(c.re[0], c.re[1]));
  const mach = Math.fround(rng.between(c.mach[0], c.mach[1]));
  const nCrit = Math.fround(rng.between(c.nCrit[0], c.nCrit[1]));
  const tripped = rng.uniform() < c.forcedTransition.fraction;
  const [xlo, xhi] = c.forcedTransition.xtr;
  const xtrTop = tripped ? Math.fround(rng.between(xlo, xhi)) : 1;
  const xtrBot = tripped ? Math.fround(rng.between(xlo, xhi)) : 1;
  return { conditions: { alphaDeg, re, mach, nCrit, xtrTop, xtrBot }, tripped };
}

/** The solver's geometry preparation (as analyze does it): normalize, then repanel to `nodes`. */
export function prepareNodes(shape: Airfoil, nodes: number): Airfoil {
  return prepareAirfoil(shape, { panels: nodes });
}

/**
 * Case `index` of the dataset: shape from stream STREAM_SHAPE, conditions from STREAM_CONDITIONS
 * (separate streams, so changing a condition range keeps the shapes). A shape whose repaneling fails
 * is redrawn from the same stream (deterministic). In polar mode (config.polarPoints = K > 1) the
 * streams are those of the polar ⌊index / K⌋, so its K cases share shape and conditions, and the
 * angle of attack is polarAlphaDeg(polar, index mod K).
 */
export function buildCase(ctx: CaseContext, index: number): CaseSpec {
  const k = ctx.config.polarPoints;
  if (k > 1) return buildPolar(ctx, Math.floor(index / k))[index % k];
  const shapeRng = caseRng(ctx.seed, index, STREAM_SHAPE);
  let shape: SampledShape | undefined;
  let airfoil: Airfoil | undefined;
  let lastError: unknown;
  for (let attempt = 0; attempt < 10 && !airfoil; attempt++) {
    shape = ctx.sampler.sample(shapeRng);
    try {
      airfoil = prepareNodes(shape.airfoil, ctx.config.panels);
    } catch (e) {
      lastError = e;
    }
  }
  if (!airfoil || !shape) throw lastError;
  const { conditions, tripped } = drawConditions(ctx.config, caseRng(ctx.seed, index, STREAM_CONDITIONS));
  return { index, shape, airfoil, conditions, tripped, config: ctx.config };
}

/**
 * The K = config.polarPoints cases of polar `polar` (polar mode): shape and conditions drawn from the
 * polar's streams exactly as a one-point dataset draws case `polar`; point j's angle of attack lies
 * in the j-th of K equal parts of conditions.alphaDeg, at a uniform position drawn from the polar's
 * STREAM_POLAR_ALPHA stream (stratified sampling: every polar spans the whole range).
 */
export function buildPolar(ctx: CaseContext, polar: number): CaseSpec[] {
  const k = ctx.config.polarPoints;
  const base = buildCase({ ...ctx, config: { ...ctx.config, polarPoints: 1 } }, polar);
  const [lo, hi] = ctx.config.conditions.alphaDeg;
  const rng = caseRng(ctx.seed, polar, STREAM_POLAR_ALPHA);
  const out: CaseSpec[] = [];
  for (let j = 0; j < k; j++) {
    const alphaDeg = Math.fround(lo + ((j + rng.uniform()) * (hi - lo)) / k);
    out.push({
      ...base,
      index: polar * k + j,
      config: ctx.config,
      polar: { index: polar, point: j },
      conditions: { ...base.conditions, alphaDeg },
    });
  }
  return out;
}

/** A result with nothing computed (NaN everywhere, not converged). */
export function failedResult(): CaseResult {
  const { alpha: _alpha, ...rest } = failedPoint(NaN);
  return rest;
}

/**
 * Packs a case and its result into the record at word `offset` of `f32` / `u32` (two views of the
 * same buffer, see layout.ts). `extraFlags` are or-ed into the flags word.
 */
export function encodeCase(
  spec: CaseSpec,
  r: CaseResult,
  f32: Float32Array,
  u32: Uint32Array,
  offset: number,
  extraFlags = 0,
): void {
  const n = spec.config.panels;
  f32.fill(0, offset, offset + RECORD_HEADER_WORDS);
  let flags = extraFlags | (SHAPE_FAMILIES.indexOf(spec.shape.family) << FAMILY_SHIFT);
  if (r.converged) flags |= FLAG_CONVERGED;
  if (spec.tripped) flags |= FLAG_TRIPPED;
  if (r.surface) flags |= FLAG_SURFACE;
  if (spec.shape.perturbed) flags |= FLAG_PERTURBED;
  if (r.retried) flags |= FLAG_RETRIED;
  u32[offset + WORD.caseIndex] = spec.index;
  u32[offset + WORD.flags] = flags;
  u32[offset + WORD.sourceId] = spec.shape.sourceId;
  u32[offset + WORD.iterations] = Number.isFinite(r.iterations) && r.iterations > 0 ? r.iterations : 0;
  const c = spec.conditions;
  f32[offset + WORD.alphaDeg] = c.alphaDeg;
  f32[offset + WORD.re] = c.re;
  f32[offset + WORD.mach] = c.mach;
  f32[offset + WORD.nCrit] = c.nCrit;
  f32[offset + WORD.tripTop] = c.xtrTop;
  f32[offset + WORD.tripBot] = c.xtrBot;
  f32[offset + WORD.cl] = r.cl;
  f32[offset + WORD.cd] = r.cd;
  f32[offset + WORD.cdp] = r.cdp;
  f32[offset + WORD.cdf] = r.cdf;
  f32[offset + WORD.cm] = r.cm;
  f32[offset + WORD.xtrTop] = r.xtrTop;
  f32[offset + WORD.xtrBot] = r.xtrBot;
  f32[offset + WORD.residual] = r.residual;
  f32.set(spec.airfoil.x, offset + arrayOffset('x', n));
  f32.set(spec.airfoil.y, offset + arrayOffset('y', n));
  const s = r.surface;
  const put = (field: Exclude<keyof SurfaceDistributions, never>) => {
    const o = offset + arrayOffset(field, n);
    if (s) f32.set(s[field], o);
    else f32.fill(NaN, o, o + n);
  };
  put('cp');
  put('ue');
  put('deltaStar');
  put('theta');
  put('h');
  put('cf');
  put('nAmpOrSqrtCtau');
  put('turbulent');
}

/** Bytes of one record for the config's node count. */
export function recordBytes(config: DatasetConfig): number {
  return 4 * recordWords(config.panels);
}
