/**
 * `foilopt dataset merge DIR... --out DIR`: combines the job outputs of a split run (--shard i/n,
 * e.g. Kubernetes or Slurm array jobs) into one dataset. Every shard is verified against its job
 * manifest before it is copied; the result is byte-identical to generating the dataset in one run.
 */
import * as fs from 'fs';
import * as path from 'path';
import { FoiloptError } from '../errors';
import { JOB_MANIFEST_PATTERN, jsonText, readShardFile, writeFileAtomic } from './files';
import {
  buildManifest,
  parseManifest,
  runDifference,
  shardCount,
  statsOfRecords,
  type DatasetManifest,
  type RunRecord,
  type ShardEntry,
} from './manifest';
import { readRunRecord } from './generate';

/** The run record a manifest was generated from (same key order as generateDataset writes it). */
export function runRecordOf(m: DatasetManifest): RunRecord {
  return {
    format: 'foilopt-dataset-run',
    schemaVersion: m.schemaVersion,
    nCases: m.nCases,
    seed: m.seed,
    evaluator: m.evaluator,
    config: m.config,
    holdout: m.holdout,
    uiucNames: m.uiucNames,
  };
}

/** Manifests (complete or job) found in a directory, with their files. */
export function findManifests(dir: string): { file: string; manifest: DatasetManifest }[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    throw new FoiloptError('no such dataset directory', { file: dir });
  }
  return names
    .filter((f) => f === 'manifest.json' || JOB_MANIFEST_PATTERN.test(f))
    .sort()
    .map((f) => {
      const file = path.join(dir, f);
      return { file, manifest: parseManifest(fs.readFileSync(file, 'utf8'), file) };
    });
}

/** "3, 5-9, 12": compact list of integers. */
function ranges(v: number[]): string {
  const out: string[] = [];
  for (let i = 0; i < v.length;) {
    let j = i;
    while (j + 1 < v.length && v[j + 1] === v[j] + 1) j++;
    out.push(i === j ? `${v[i]}` : `${v[i]}-${v[j]}`);
    i = j + 1;
  }
  return out.join(', ');
}

export interface MergeResult {
  dir: string;
  manifestFile: string;
  manifest: DatasetManifest;
  /** shard files copied into the output directory */
  copied: number;
}

/**
 * Merges the datasets/job outputs in `inputs` into `out` (which may be one of the inputs). Fails with
 * a one-line message on: a directory without manifest, manifests of different runs, two different
 * versions of a shard, missing shards (listed), or a shard that fails verification.
 */
export function mergeDatasets(inputs: string[], out: string): MergeResult {
  if (inputs.length === 0) throw new FoiloptError('merge: give at least one input directory');
  const found: { dir: string; file: string; manifest: DatasetManifest }[] = [];
  for (const dir of inputs) {
    const ms = findManifests(dir);
    if (ms.length === 0) {
      throw new FoiloptError(
        'no manifest (manifest.json or manifest.job-*.json): the run or job has not finished',
        { file: dir },
      );
    }
    for (const m of ms) found.push({ dir, ...m });
  }
  const ref = found[0];
  const run = runRecordOf(ref.manifest);
  for (const f of found.slice(1)) {
    const diff = runDifference(run, f.manifest, ['first manifest', 'this one']);
    if (diff)
      throw new FoiloptError(`belongs to a different dataset run than ${ref.file} (${diff})`, {
        file: f.file,
      });
  }
  const total = shardCount(run.nCases, run.config.casesPerShard);
  const byIndex = new Map<number, { dir: string; entry: ShardEntry }>();
  for (const f of found) {
    for (const e of f.manifest.shards) {
      const prev = byIndex.get(e.index);
      if (prev && prev.entry.sha256 !== e.sha256) {
        throw new FoiloptError(
          `shard ${e.index} exists in two different versions (${prev.dir} and ${f.dir})`,
          { file: f.file },
        );
      }
      if (!prev) byIndex.set(e.index, { dir: f.dir, entry: e });
    }
  }
  const missing: number[] = [];
  for (let k = 0; k < total; k++) if (!byIndex.has(k)) missing.push(k);
  if (missing.length) {
    throw new FoiloptError(
      `merge: ${missing.length} of ${total} shards missing (${ranges(missing)}); finish the jobs that produce them (--shard i/n) and merge again`,
    );
  }
  fs.mkdirSync(out, { recursive: true });
  const existing = readRunRecord(out);
  if (existing) {
    const diff = runDifference(existing, run, ['output directory', 'inputs']);
    if (diff)
      throw new FoiloptError(`the output directory holds a different dataset run (${diff})`, { file: out });
  }
  const entries: ShardEntry[] = [];
  let copied = 0;
  for (let k = 0; k < total; k++) {
    const { dir, entry } = byIndex.get(k)!;
    const src = path.join(dir, entry.file);
    const d = readShardFile(src, {
      bytes: entry.bytes,
      sha256: entry.sha256,
      shardIndex: entry.index,
      firstCase: entry.firstCase,
      caseCount: entry.cases,
      nodes: run.config.panels,
      seed: run.seed,
    });
    const dest = path.join(out, entry.file);
    if (path.resolve(src) !== path.resolve(dest)) {
      writeFileAtomic(dest, d.bytes);
      copied++;
    }
    entries.push({ ...entry, stats: statsOfRecords(d.payload, run.config.panels) });
  }
  writeFileAtomic(path.join(out, 'run.json'), jsonText(run));
  const manifest = buildManifest(run, entries, null);
  const manifestFile = path.join(out, 'manifest.json');
  writeFileAtomic(manifestFile, jsonText(manifest));
  return { dir: out, manifestFile, manifest, copied };
}
