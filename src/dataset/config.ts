/**
 * Configuration of a dataset run (`foilopt dataset --config file.json`), validated with zod. Every
 * field has a default; a config file gives only what it changes. Validation errors name the field
 * (dotted path) and say why, on one line (FoiloptError with the file).
 */
import * as fs from 'fs';
import { z } from 'zod';
import { configErrorMessage } from '../config-errors';
import { FoiloptError } from '../errors';

/** [min, max] pair with min <= max, both within [lo, hi]. */
function range(def: [number, number], lo: number, hi: number, what: string) {
  return z
    .tuple([z.number(), z.number()])
    .refine(([a, b]) => a <= b, { message: `min must be <= max (${what})` })
    .refine(([a, b]) => a >= lo && b <= hi, { message: `values must lie in [${lo}, ${hi}] (${what})` })
    .default(def);
}

const fraction = (def: number) => z.number().min(0).max(1).default(def);

const ShapeMixSchema = z.strictObject({
  /** relative weight of perturbed CST fits of the UIUC airfoils */
  uiucCst: z.number().min(0).default(0.7),
  /** relative weight of NACA 4-digit sections */
  naca4: z.number().min(0).default(0.15),
  /** relative weight of NACA 5-digit sections */
  naca5: z.number().min(0).default(0.15),
});

const PerturbationSchema = z.strictObject({
  /** standard deviation of the additive noise on every CST shape weight (absolute) */
  weightSigma: z.number().min(0).max(0.5).default(0.015),
  /** factor on the thickness part (wUpper - wLower) / 2 of the weights, drawn uniformly */
  thicknessScale: range([0.8, 1.25], 0.05, 5, 'thickness scale factor'),
  /** factor on the camber part (wUpper + wLower) / 2 of the weights, drawn uniformly */
  camberScale: range([0.6, 1.4], -5, 5, 'camber scale factor'),
  /** fraction of UIUC cases that use the unperturbed fit */
  unperturbedFraction: fraction(0.1),
});

const ShapesSchema = z.strictObject({
  mix: ShapeMixSchema.prefault({}).refine((m) => m.uiucCst + m.naca4 + m.naca5 > 0, {
    message: 'at least one shape family needs a positive weight',
  }),
  perturbation: PerturbationSchema.prefault({}),
  /** NACA thickness range, percent of chord (integers drawn uniformly) */
  nacaThicknessPercent: range([6, 24], 1, 40, 'NACA thickness in % chord'),
  /** max thickness / chord allowed for a perturbed CST shape; larger draws are redrawn */
  maxThickness: z.number().gt(0).max(1).default(0.35),
  /** minimum thickness / chord at x/c = 0.02..0.9 for a perturbed CST shape; thinner draws are redrawn */
  minThickness: z.number().min(0).max(0.2).default(0.002),
  /** CST table (JSON, see scripts/build-uiuc-cst.ts); default: the shipped data/uiuc-cst8.json */
  cstTable: z.string().min(1).optional(),
  /** held-out list (JSON); default: the shipped data/holdout-airfoils.json */
  holdout: z.string().min(1).optional(),
});

const ForcedTransitionSchema = z.strictObject({
  /** fraction of cases with a trip on both sides */
  fraction: fraction(0.2),
  /** trip x/c range, drawn uniformly per side */
  xtr: range([0.02, 0.9], 0, 1, 'trip location x/c'),
});

const ConditionsSchema = z.strictObject({
  /** angle of attack, degrees, uniform */
  alphaDeg: range([-6, 16], -45, 45, 'degrees'),
  /** chord Reynolds number, log-uniform */
  re: range([5e4, 1e7], 1e3, 1e9, 'Reynolds number'),
  /** Mach number, uniform */
  mach: range([0, 0.5], 0, 0.95, 'Mach number'),
  /** critical amplification exponent, uniform */
  nCrit: range([3, 12], 0.1, 30, 'e^N critical exponent'),
  forcedTransition: ForcedTransitionSchema.prefault({}),
});

const SolverSchema = z.strictObject({
  /** Newton iterations per case (solver default when absent) */
  maxIterations: z.number().int().min(1).max(1000).optional(),
  /** convergence tolerance (solver default when absent) */
  tolerance: z.number().gt(0).max(1).optional(),
  /**
   * when the cold-started point fails, retry with a warm-started sweep from alpha 0 to the case's alpha
   * in steps of at most this many degrees (0 = no retry)
   */
  retrySweepStepDeg: z.number().min(0).max(45).default(4),
});

/** The zod schema of a dataset config file. */
export const DatasetConfigSchema = z.strictObject({
  /** panel nodes per case after repaneling (the solver's paneling) */
  panels: z.number().int().min(40).max(1000).default(160),
  /** cases per shard file (the unit of --resume and of --shard i/n) */
  casesPerShard: z.number().int().min(1).max(10_000_000).default(2048),
  /** cases per checkpoint chunk inside a shard (the unit of work of a worker); rounded up to whole polars */
  chunkCases: z.number().int().min(1).max(100_000).default(4),
  /**
   * points per polar. 1 (default): every case is one cold-started point with its own shape and
   * conditions. K > 1 (polar mode): each block of K consecutive cases shares its shape, Re, Mach,
   * Ncrit and trips; its K angles of attack are stratified over conditions.alphaDeg (one in each K-th
   * of the range, jittered) and solved as one warm-started sweep, like an XFOIL polar
   */
  polarPoints: z.number().int().min(1).max(64).default(1),
  shapes: ShapesSchema.prefault({}),
  conditions: ConditionsSchema.prefault({}),
  solver: SolverSchema.prefault({}),
});

/** A fully resolved dataset config (every default filled in). */
export type DatasetConfig = z.output<typeof DatasetConfigSchema>;
/** What a config file may contain (every field optional). */
export type DatasetConfigInput = z.input<typeof DatasetConfigSchema>;

/**
 * Validates a config object and fills the defaults. Throws a one-line FoiloptError naming the first
 * bad field and why (`file` is put in the error's location).
 */
export function resolveConfig(input: unknown = {}, file?: string): DatasetConfig {
  const r = DatasetConfigSchema.safeParse(input ?? {});
  if (r.success) {
    const c = r.data;
    if (c.casesPerShard % c.polarPoints !== 0) {
      throw new FoiloptError(
        `invalid dataset config: casesPerShard: must be a multiple of polarPoints (${c.polarPoints}) so that no polar is split between shards, got ${c.casesPerShard}`,
        { file },
      );
    }
    c.chunkCases = Math.ceil(c.chunkCases / c.polarPoints) * c.polarPoints;
    if (c.chunkCases > c.casesPerShard) c.chunkCases = c.casesPerShard;
    return c;
  }
  const more = r.error.issues.length > 1 ? ` (and ${r.error.issues.length - 1} more problem(s))` : '';
  throw new FoiloptError(`invalid dataset config: ${configErrorMessage(r.error, input)}${more}`, { file });
}

/** Reads and validates a JSON config file (see resolveConfig). */
export function loadConfigFile(file: string): DatasetConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new FoiloptError(
      `cannot read the dataset config: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      { file },
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    const m = /position (\d+)/.exec((e as Error).message);
    const line = m ? text.slice(0, Number(m[1])).split('\n').length : undefined;
    throw new FoiloptError(`the dataset config is not valid JSON: ${(e as Error).message}`, { file, line });
  }
  return resolveConfig(data, file);
}
