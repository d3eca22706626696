/**
 * Reading a dataset (for training the operator and for `foilopt dataset info`): open the manifest,
 * iterate the cases shard by shard, or load everything. Every shard is checked (size, header,
 * sha256 against the manifest) before a single record of it is returned; a bad shard is a one-line
 * FoiloptError naming it.
 */
import * as fs from 'fs';
import * as path from 'path';
import { FoiloptError } from '../errors';
import { readShardFile } from './files';
import { JOB_MANIFEST_PATTERN } from './files';
import {
  arrayOffset,
  assertLittleEndian,
  FAMILY_SHIFT,
  FLAG_CONVERGED,
  FLAG_ERROR,
  FLAG_PERTURBED,
  FLAG_RETRIED,
  FLAG_SURFACE,
  FLAG_TRIPPED,
  WORD,
  recordWords,
} from './layout';
import { parseManifest, type DatasetManifest, type ShardEntry } from './manifest';
import { SHAPE_FAMILIES, type ShapeFamily } from './shapes';

/** One case as read back (array fields are views into the shard's records, node order). */
export interface DatasetCase {
  index: number;
  family: ShapeFamily;
  /** UIUC table index (name: manifest.uiucNames[sourceId]) or NACA digits as a number */
  sourceId: number;
  /** UIUC name or "naca<digits>" */
  sourceName: string;
  converged: boolean;
  /** forced transition on both sides */
  tripped: boolean;
  perturbed: boolean;
  /** surface distributions present */
  hasSurface: boolean;
  /** the evaluator threw on this case */
  error: boolean;
  /** converged only in the warm-started retry sweep */
  retried: boolean;
  iterations: number;
  alphaDeg: number;
  re: number;
  mach: number;
  nCrit: number;
  /** trip x/c (1 = free) */
  tripTop: number;
  tripBot: number;
  cl: number;
  cd: number;
  cdp: number;
  cdf: number;
  cm: number;
  /** transition x/c found by the solver */
  xtrTop: number;
  xtrBot: number;
  residual: number;
  x: Float32Array;
  y: Float32Array;
  cp: Float32Array;
  ue: Float32Array;
  deltaStar: Float32Array;
  theta: Float32Array;
  h: Float32Array;
  cf: Float32Array;
  nAmpOrSqrtCtau: Float32Array;
  turbulent: Float32Array;
}

/** An opened dataset: its manifest and where it is. */
export interface DatasetHandle {
  dir: string;
  manifestFile: string;
  manifest: DatasetManifest;
  nodes: number;
  nCases: number;
}

/**
 * Opens DIR/manifest.json. A directory holding only job manifests (an unmerged --shard run) or only
 * run.json (a run in progress) gets an error saying so.
 */
export function openDataset(dir: string): DatasetHandle {
  assertLittleEndian();
  const manifestFile = path.join(dir, 'manifest.json');
  if (!fs.existsSync(manifestFile)) {
    let files: string[] = [];
    try {
      files = fs.readdirSync(dir);
    } catch {
      throw new FoiloptError('no such dataset directory', { file: dir });
    }
    if (files.some((f) => JOB_MANIFEST_PATTERN.test(f))) {
      throw new FoiloptError(
        `holds job manifests of a --shard run, not a merged dataset: run foilopt dataset merge ${dir} --out DIR`,
        { file: dir },
      );
    }
    if (files.includes('run.json')) {
      throw new FoiloptError(
        'the dataset run is not finished (no manifest.json yet); finish it with foilopt dataset --resume',
        { file: dir },
      );
    }
    throw new FoiloptError('not a foilopt dataset (no manifest.json)', { file: dir });
  }
  const manifest = parseManifest(fs.readFileSync(manifestFile, 'utf8'), manifestFile);
  return { dir, manifestFile, manifest, nodes: manifest.nodes, nCases: manifest.nCases };
}

/** Name of a case's source airfoil. */
function sourceName(m: DatasetManifest, family: ShapeFamily, id: number): string {
  if (family === 'uiuc-cst') return m.uiucNames?.[id] ?? `uiuc#${id}`;
  return `naca${String(id).padStart(4, '0')}`;
}

/** Decodes the record at word `offset` of a shard's records (views, no copies). */
export function decodeCase(
  m: DatasetManifest,
  f32: Float32Array,
  u32: Uint32Array,
  offset: number,
): DatasetCase {
  const n = m.nodes;
  const flags = u32[offset + WORD.flags];
  const family = SHAPE_FAMILIES[(flags >>> FAMILY_SHIFT) & 0xff] ?? 'uiuc-cst';
  const sourceId = u32[offset + WORD.sourceId];
  const arr = (f: Parameters<typeof arrayOffset>[0]) =>
    f32.subarray(offset + arrayOffset(f, n), offset + arrayOffset(f, n) + n);
  return {
    index: u32[offset + WORD.caseIndex],
    family,
    sourceId,
    sourceName: sourceName(m, family, sourceId),
    converged: (flags & FLAG_CONVERGED) !== 0,
    tripped: (flags & FLAG_TRIPPED) !== 0,
    perturbed: (flags & FLAG_PERTURBED) !== 0,
    hasSurface: (flags & FLAG_SURFACE) !== 0,
    error: (flags & FLAG_ERROR) !== 0,
    retried: (flags & FLAG_RETRIED) !== 0,
    iterations: u32[offset + WORD.iterations],
    alphaDeg: f32[offset + WORD.alphaDeg],
    re: f32[offset + WORD.re],
    mach: f32[offset + WORD.mach],
    nCrit: f32[offset + WORD.nCrit],
    tripTop: f32[offset + WORD.tripTop],
    tripBot: f32[offset + WORD.tripBot],
    cl: f32[offset + WORD.cl],
    cd: f32[offset + WORD.cd],
    cdp: f32[offset + WORD.cdp],
    cdf: f32[offset + WORD.cdf],
    cm: f32[offset + WORD.cm],
    xtrTop: f32[offset + WORD.xtrTop],
    xtrBot: f32[offset + WORD.xtrBot],
    residual: f32[offset + WORD.residual],
    x: arr('x'),
    y: arr('y'),
    cp: arr('cp'),
    ue: arr('ue'),
    deltaStar: arr('deltaStar'),
    theta: arr('theta'),
    h: arr('h'),
    cf: arr('cf'),
    nAmpOrSqrtCtau: arr('nAmpOrSqrtCtau'),
    turbulent: arr('turbulent'),
  };
}

/** The records of one shard, verified against its manifest entry. */
export function readShardRecords(
  h: DatasetHandle,
  e: ShardEntry,
): { f32: Float32Array; u32: Uint32Array; count: number } {
  const d = readShardFile(path.join(h.dir, e.file), {
    bytes: e.bytes,
    sha256: e.sha256,
    shardIndex: e.index,
    firstCase: e.firstCase,
    caseCount: e.cases,
    nodes: h.nodes,
    seed: h.manifest.seed,
  });
  const p = d.payload;
  return {
    f32: new Float32Array(p.buffer, p.byteOffset, p.byteLength / 4),
    u32: new Uint32Array(p.buffer, p.byteOffset, p.byteLength / 4),
    count: e.cases,
  };
}

/** Iterates every case in index order, one verified shard in memory at a time. */
export function* iterateCases(dirOrHandle: string | DatasetHandle): Generator<DatasetCase> {
  const h = typeof dirOrHandle === 'string' ? openDataset(dirOrHandle) : dirOrHandle;
  const words = recordWords(h.nodes);
  for (const e of h.manifest.shards) {
    const { f32, u32, count } = readShardRecords(h, e);
    for (let i = 0; i < count; i++) yield decodeCase(h.manifest, f32, u32, i * words);
  }
}

/** A dataset loaded into memory. */
export interface LoadedDataset extends DatasetHandle {
  /** all records, case order (float32 view) */
  f32: Float32Array;
  /** the same records as uint32 (for the integer words) */
  u32: Uint32Array;
  /** words per record */
  recordWords: number;
  /** case i (views into f32) */
  get(i: number): DatasetCase;
}

/**
 * Loads every shard (verified) into one buffer. For datasets larger than memory use iterateCases.
 */
export function readDataset(dir: string): LoadedDataset {
  const h = openDataset(dir);
  const words = recordWords(h.nodes);
  const m = h.manifest;
  const expected = m.shards.reduce((s, e) => s + e.cases, 0);
  if (m.job !== null || expected !== m.nCases) {
    throw new FoiloptError(`the manifest lists ${expected} of ${m.nCases} cases; the dataset is incomplete`, {
      file: h.manifestFile,
    });
  }
  const f32 = new Float32Array(m.nCases * words);
  for (const e of m.shards) {
    const r = readShardRecords(h, e);
    f32.set(r.f32, e.firstCase * words);
  }
  const u32 = new Uint32Array(f32.buffer);
  return {
    ...h,
    f32,
    u32,
    recordWords: words,
    get: (i: number) => {
      if (!Number.isInteger(i) || i < 0 || i >= m.nCases)
        throw new RangeError(`case ${i} out of range 0..${m.nCases - 1}`);
      return decodeCase(m, f32, u32, i * words);
    },
  };
}

/**
 * Checks every shard of a dataset (size, header, checksum); returns one message per bad shard
 * (empty when all are good).
 */
export function verifyDataset(dirOrHandle: string | DatasetHandle): string[] {
  const h = typeof dirOrHandle === 'string' ? openDataset(dirOrHandle) : dirOrHandle;
  const problems: string[] = [];
  for (const e of h.manifest.shards) {
    try {
      readShardRecords(h, e);
    } catch (err) {
      if (!(err instanceof FoiloptError)) throw err;
      problems.push(err.message);
    }
  }
  return problems;
}
