/**
 * The dataset manifest (manifest.json) and run record (run.json): what was generated (n, seed,
 * config, evaluator, held-out list, record layout), per-shard checksums and statistics, and the
 * totals (counts, convergence rate, value ranges). Everything here is a deterministic function of the
 * shard files, so a dataset generated in one run and one generated in shards and merged have
 * byte-identical manifests.
 */
import { FoiloptError } from '../errors';
import type { DatasetConfig } from './config';
import {
  ARRAY_FIELDS,
  FAMILY_SHIFT,
  FLAG_CONVERGED,
  FLAG_ERROR,
  FLAG_PERTURBED,
  FLAG_RETRIED,
  FLAG_SURFACE,
  FLAG_TRIPPED,
  INT_FIELDS,
  RECORD_HEADER_WORDS,
  SCALAR_FIELDS,
  SCHEMA_VERSION,
  SHARD_HEADER_BYTES,
  SHARD_MAGIC,
  WORD,
  recordWords,
} from './layout';
import { SHAPE_FAMILIES, type ShapeFamily } from './shapes';

/** Inclusive [min, max], or null when there was no value. */
export type Range = [number, number] | null;

/** Condition fields whose range is tracked over all cases. */
export const CONDITION_FIELDS = ['alphaDeg', 're', 'mach', 'nCrit'] as const;
/** Result fields whose range is tracked over converged cases. */
export const RESULT_FIELDS = ['cl', 'cd', 'cdp', 'cdf', 'cm', 'xtrTop', 'xtrBot'] as const;

/** Counts and ranges of a set of cases (a shard or the dataset). */
export interface CaseStats {
  cases: number;
  converged: number;
  /** cases with forced transition */
  tripped: number;
  /** UIUC cases with perturbed CST weights */
  perturbed: number;
  /** cases with surface distributions */
  withSurface: number;
  /** cases whose evaluator threw */
  errors: number;
  /** cases converged only by the warm-started retry */
  retried: number;
  /** sum of the Newton iterations of the converged cases */
  iterationsConverged: number;
  byFamily: Record<ShapeFamily, { cases: number; converged: number }>;
  /** ranges of the conditions over all cases */
  conditions: Record<(typeof CONDITION_FIELDS)[number], Range>;
  /** ranges of the results over converged cases */
  results: Record<(typeof RESULT_FIELDS)[number], Range>;
}

/** A shard in a manifest. */
export interface ShardEntry {
  index: number;
  file: string;
  firstCase: number;
  cases: number;
  bytes: number;
  /** sha256 of the whole shard file, hex */
  sha256: string;
  stats: CaseStats;
}

/** run.json: the parameters of a run, written before any shard. */
export interface RunRecord {
  format: 'foilopt-dataset-run';
  schemaVersion: number;
  nCases: number;
  seed: number;
  evaluator: string;
  config: DatasetConfig;
  holdout: { uiuc: string[]; naca: string[] };
  /** names of the CST table entries (sourceId of a uiuc-cst case indexes this list) */
  uiucNames: string[];
}

/** manifest.json (or a job manifest). */
export interface DatasetManifest extends Omit<RunRecord, 'format'> {
  format: 'foilopt-dataset';
  nodes: number;
  casesPerShard: number;
  shardCount: number;
  /** null for a complete dataset; the job of a --shard i/n run otherwise */
  job: { index: number; count: number } | null;
  layout: ReturnType<typeof layoutDescription>;
  /** totals over the shards listed */
  totals: CaseStats & { convergenceRate: number | null };
  shards: ShardEntry[];
}

/** Machine-readable record layout, stored in the manifest (see layout.ts). */
export function layoutDescription(nodes: number) {
  return {
    endianness: 'little' as const,
    shardMagic: SHARD_MAGIC,
    shardHeaderBytes: SHARD_HEADER_BYTES,
    recordBytes: 4 * recordWords(nodes),
    uint32Words: Object.fromEntries(INT_FIELDS.map((f) => [f, WORD[f]])),
    float32Words: Object.fromEntries(SCALAR_FIELDS.map((f) => [f, WORD[f]])),
    float32Arrays: Object.fromEntries(ARRAY_FIELDS.map((f, i) => [f, RECORD_HEADER_WORDS + i * nodes])),
    arrayLength: nodes,
    flags: {
      converged: FLAG_CONVERGED,
      tripped: FLAG_TRIPPED,
      surface: FLAG_SURFACE,
      perturbed: FLAG_PERTURBED,
      error: FLAG_ERROR,
      retried: FLAG_RETRIED,
      familyShift: FAMILY_SHIFT,
    },
    families: [...SHAPE_FAMILIES],
  };
}

/** Empty statistics. */
export function emptyStats(): CaseStats {
  const byFamily = Object.fromEntries(
    SHAPE_FAMILIES.map((f) => [f, { cases: 0, converged: 0 }]),
  ) as CaseStats['byFamily'];
  return {
    cases: 0,
    converged: 0,
    tripped: 0,
    perturbed: 0,
    withSurface: 0,
    errors: 0,
    retried: 0,
    iterationsConverged: 0,
    byFamily,
    conditions: Object.fromEntries(CONDITION_FIELDS.map((f) => [f, null])) as CaseStats['conditions'],
    results: Object.fromEntries(RESULT_FIELDS.map((f) => [f, null])) as CaseStats['results'],
  };
}

function widen(r: Range, v: number): Range {
  if (!Number.isFinite(v)) return r;
  if (!r) return [v, v];
  return [Math.min(r[0], v), Math.max(r[1], v)];
}

function unite(a: Range, b: Range): Range {
  if (!a) return b ? [b[0], b[1]] : null;
  if (!b) return [a[0], a[1]];
  return [Math.min(a[0], b[0]), Math.max(a[1], b[1])];
}

/** Statistics of the records in a shard payload. */
export function statsOfRecords(payload: Uint8Array, nodes: number): CaseStats {
  const words = recordWords(nodes);
  const f32 = new Float32Array(payload.buffer, payload.byteOffset, payload.byteLength / 4);
  const u32 = new Uint32Array(payload.buffer, payload.byteOffset, payload.byteLength / 4);
  const count = payload.byteLength / (4 * words);
  const s = emptyStats();
  for (let i = 0; i < count; i++) {
    const o = i * words;
    const flags = u32[o + WORD.flags];
    const family = SHAPE_FAMILIES[(flags >>> FAMILY_SHIFT) & 0xff];
    const conv = (flags & FLAG_CONVERGED) !== 0;
    s.cases++;
    if (family) s.byFamily[family].cases++;
    if (flags & FLAG_TRIPPED) s.tripped++;
    if (flags & FLAG_PERTURBED) s.perturbed++;
    if (flags & FLAG_SURFACE) s.withSurface++;
    if (flags & FLAG_ERROR) s.errors++;
    if (flags & FLAG_RETRIED) s.retried++;
    for (const f of CONDITION_FIELDS) s.conditions[f] = widen(s.conditions[f], f32[o + WORD[f]]);
    if (conv) {
      s.converged++;
      if (family) s.byFamily[family].converged++;
      s.iterationsConverged += u32[o + WORD.iterations];
      for (const f of RESULT_FIELDS) s.results[f] = widen(s.results[f], f32[o + WORD[f]]);
    }
  }
  return s;
}

/** Sum of statistics (in order; deterministic). */
export function addStats(a: CaseStats, b: CaseStats): CaseStats {
  const s = emptyStats();
  for (const k of [
    'cases',
    'converged',
    'tripped',
    'perturbed',
    'withSurface',
    'errors',
    'retried',
    'iterationsConverged',
  ] as const) {
    s[k] = a[k] + b[k];
  }
  for (const f of SHAPE_FAMILIES) {
    s.byFamily[f] = {
      cases: a.byFamily[f].cases + b.byFamily[f].cases,
      converged: a.byFamily[f].converged + b.byFamily[f].converged,
    };
  }
  for (const f of CONDITION_FIELDS) s.conditions[f] = unite(a.conditions[f], b.conditions[f]);
  for (const f of RESULT_FIELDS) s.results[f] = unite(a.results[f], b.results[f]);
  return s;
}

/** Builds a manifest from the run record and the (job's) shard entries, sorted by index. */
export function buildManifest(
  run: RunRecord,
  shards: ShardEntry[],
  job: { index: number; count: number } | null,
): DatasetManifest {
  const sorted = [...shards].sort((a, b) => a.index - b.index);
  let totals = emptyStats();
  for (const e of sorted) totals = addStats(totals, e.stats);
  const { format: _format, ...rest } = run;
  void _format;
  return {
    format: 'foilopt-dataset',
    ...rest,
    nodes: run.config.panels,
    casesPerShard: run.config.casesPerShard,
    shardCount: shardCount(run.nCases, run.config.casesPerShard),
    job: job && job.count > 1 ? job : null,
    layout: layoutDescription(run.config.panels),
    totals: { ...totals, convergenceRate: totals.cases ? totals.converged / totals.cases : null },
    shards: sorted,
  };
}

/** Number of shards of a dataset. */
export function shardCount(nCases: number, casesPerShard: number): number {
  return Math.ceil(nCases / casesPerShard);
}

/** First case and case count of shard k. */
export function shardRange(
  nCases: number,
  casesPerShard: number,
  k: number,
): { first: number; count: number } {
  const first = k * casesPerShard;
  return { first, count: Math.max(0, Math.min(casesPerShard, nCases - first)) };
}

/** The shards of job `index` of `count`: a contiguous block of shard indices (may be empty). */
export function jobShards(totalShards: number, job: { index: number; count: number } | null): number[] {
  if (!job) return Array.from({ length: totalShards }, (_, k) => k);
  const a = Math.floor((job.index * totalShards) / job.count);
  const b = Math.floor(((job.index + 1) * totalShards) / job.count);
  return Array.from({ length: b - a }, (_, i) => a + i);
}

/** The run-defining fields of a run record or manifest, as canonical JSON (for equality checks). */
export function runKey(r: Omit<RunRecord, 'format'>): string {
  return JSON.stringify([r.schemaVersion, r.nCases, r.seed, r.evaluator, r.config, r.holdout, r.uiucNames]);
}

/**
 * Names the first differing run field between two run records (for "does not match" messages), or
 * null when they define the same run.
 */
export function runDifference(
  a: Omit<RunRecord, 'format'>,
  b: Omit<RunRecord, 'format'>,
  labels: [string, string] = ['existing', 'requested'],
): string | null {
  const fmt = (name: string, x: unknown, y: unknown) =>
    `${name}: ${labels[0]} ${JSON.stringify(x)}, ${labels[1]} ${JSON.stringify(y)}`;
  const fields: [string, unknown, unknown][] = [
    ['schemaVersion', a.schemaVersion, b.schemaVersion],
    ['n', a.nCases, b.nCases],
    ['seed', a.seed, b.seed],
    ['evaluator', a.evaluator, b.evaluator],
  ];
  for (const [name, x, y] of fields) if (x !== y) return fmt(name, x, y);
  const ca = a.config as unknown as Record<string, unknown>;
  const cb = b.config as unknown as Record<string, unknown>;
  const diff = firstDiff(ca, cb, 'config', fmt);
  if (diff) return diff;
  if (JSON.stringify(a.holdout) !== JSON.stringify(b.holdout)) return 'held-out airfoil list';
  if (JSON.stringify(a.uiucNames) !== JSON.stringify(b.uiucNames)) return 'CST table';
  return null;
}

function firstDiff(
  a: unknown,
  b: unknown,
  where: string,
  fmt: (name: string, x: unknown, y: unknown) => string,
): string | null {
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a)) {
    const keys = [...new Set([...Object.keys(a as object), ...Object.keys(b as object)])].sort();
    for (const k of keys) {
      const d = firstDiff(
        (a as Record<string, unknown>)[k],
        (b as Record<string, unknown>)[k],
        `${where}.${k}`,
        fmt,
      );
      if (d) return d;
    }
    return null;
  }
  return JSON.stringify(a) === JSON.stringify(b) ? null : fmt(where, a, b);
}

/** Parses and checks a manifest's JSON text. */
export function parseManifest(text: string, file: string): DatasetManifest {
  let m: Partial<DatasetManifest>;
  try {
    m = JSON.parse(text);
  } catch (e) {
    throw new FoiloptError(
      `the dataset manifest is not valid JSON (${(e as Error).message}); it may be truncated`,
      { file },
    );
  }
  if (m.format !== 'foilopt-dataset')
    throw new FoiloptError('not a foilopt dataset manifest (format "foilopt-dataset")', { file });
  if (m.schemaVersion !== SCHEMA_VERSION) {
    throw new FoiloptError(
      `dataset schema version ${m.schemaVersion}; this foilopt reads version ${SCHEMA_VERSION}`,
      { file },
    );
  }
  if (!Array.isArray(m.shards) || !m.config || !Number.isInteger(m.nodes) || !Number.isInteger(m.nCases)) {
    throw new FoiloptError('incomplete dataset manifest (shards, config, nodes, nCases)', { file });
  }
  return m as DatasetManifest;
}
