/**
 * Dataset generation: N cases in shards of `casesPerShard`, each shard computed in chunks of
 * `chunkCases` by worker threads (or the calling thread), each finished chunk checkpointed atomically,
 * each finished shard assembled atomically, the manifest written last. A run split into jobs
 * (--shard i/n) computes a contiguous block of shards and writes a job manifest; `mergeDatasets`
 * combines them. Same seed, config and evaluator -> same bytes, however the work is split.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { FoiloptError } from '../errors';
import { caseContext, recordBytes, type CaseEvaluator } from './cases';
import { computeChunk, type ChunkOutput } from './chunk';
import { resolveConfig, type DatasetConfig, type DatasetConfigInput } from './config';
import { evaluatorId, resolveEvaluator, resolvePolarEvaluator, type EvaluatorSpec } from './evaluate';
import {
  chunkDir,
  chunkFile,
  jsonText,
  manifestFileName,
  readShardFile,
  sha256,
  shardFileName,
  writeFileAtomic,
} from './files';
import { assertLittleEndian, encodeShardHeader, SCHEMA_VERSION } from './layout';
import {
  buildManifest,
  jobShards,
  runDifference,
  shardCount,
  shardRange,
  statsOfRecords,
  type DatasetManifest,
  type RunRecord,
  type ShardEntry,
} from './manifest';
import { loadCstTable, loadHoldout } from './shapes';
import type { WorkerInit } from './worker';

/** A job of a split run: `index` of `count` (0-based). */
export interface JobShard {
  index: number;
  count: number;
}

/** Progress of a run (cases of this job). */
export interface GenerateProgress {
  /** cases finished, including those found finished on --resume */
  done: number;
  /** cases of this job */
  total: number;
  /** cases computed by this run so far */
  computed: number;
  /** seconds since this run started computing */
  seconds: number;
  /** computed / seconds */
  casesPerSecond: number;
}

export interface GenerateOptions {
  /** output directory (created) */
  out: string;
  /** number of cases of the whole dataset (may be omitted with resume: taken from run.json) */
  nCases?: number;
  /** dataset seed, integer 0..2^32-1 (default 1; with resume: run.json's) */
  seed?: number;
  /** config (validated with defaults filled in; with resume: run.json's unless given) */
  config?: DatasetConfig | DatasetConfigInput;
  /** file the config came from (for error messages) */
  configFile?: string;
  /** worker threads; 0 = compute in the calling thread (default: available cores) */
  workers?: number;
  /** job of a split run (default: the whole dataset) */
  shard?: JobShard | null;
  /** continue an interrupted run: keep finished shards and chunks */
  resume?: boolean;
  /** evaluator spec (default 'solver'), or a function (only with workers = 0) */
  evaluator?: EvaluatorSpec | CaseEvaluator;
  /** called after every case */
  onProgress?: (p: GenerateProgress) => void;
  /** called for recoverable problems found on resume (a corrupt shard that is regenerated, ...) */
  onWarning?: (message: string) => void;
  /** aborts the run (finished chunks stay on disk; resume later) */
  signal?: AbortSignal;
}

export interface GenerateResult {
  dir: string;
  manifestFile: string;
  manifest: DatasetManifest;
  /** cases computed by this run */
  computedCases: number;
  /** cases found finished (resume) */
  skippedCases: number;
  /** wall time of the whole call, s */
  seconds: number;
  /** time from the first dispatched chunk to the last finished one, s */
  computeSeconds: number;
  /** computedCases / computeSeconds */
  casesPerSecond: number;
  /** workers used (0 = calling thread) */
  workers: number;
  /** evaluator exceptions (cases kept as failed) */
  errors: number;
  firstError?: string;
}

/**
 * Parses "--shard i/n" (0 <= i < n) or "auto" (index and count from the batch system's environment:
 * FOILOPT_SHARD_INDEX/FOILOPT_SHARD_COUNT; Kubernetes Indexed Job JOB_COMPLETION_INDEX with
 * FOILOPT_SHARD_COUNT (or JOB_COMPLETIONS); Slurm SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN with
 * SLURM_ARRAY_TASK_COUNT).
 */
export function parseShardSpec(text: string, env: NodeJS.ProcessEnv = process.env): JobShard {
  const t = text.trim();
  const int = (v: string | undefined, what: string): number => {
    const n = Number(v);
    if (v === undefined || v.trim() === '' || !Number.isInteger(n) || n < 0) {
      throw new FoiloptError(`--shard auto: ${what} is not a non-negative integer (got "${v}")`);
    }
    return n;
  };
  let index: number;
  let count: number;
  if (t === 'auto') {
    if (env.FOILOPT_SHARD_INDEX !== undefined) {
      index = int(env.FOILOPT_SHARD_INDEX, 'FOILOPT_SHARD_INDEX');
      count = int(env.FOILOPT_SHARD_COUNT, 'FOILOPT_SHARD_COUNT');
    } else if (env.JOB_COMPLETION_INDEX !== undefined) {
      index = int(env.JOB_COMPLETION_INDEX, 'JOB_COMPLETION_INDEX');
      const c = env.FOILOPT_SHARD_COUNT ?? env.JOB_COMPLETIONS;
      count = int(c, "FOILOPT_SHARD_COUNT (set it to the Job's completions)");
    } else if (env.SLURM_ARRAY_TASK_ID !== undefined) {
      const id = int(env.SLURM_ARRAY_TASK_ID, 'SLURM_ARRAY_TASK_ID');
      const min =
        env.SLURM_ARRAY_TASK_MIN !== undefined ? int(env.SLURM_ARRAY_TASK_MIN, 'SLURM_ARRAY_TASK_MIN') : 0;
      index = id - min;
      count = int(env.SLURM_ARRAY_TASK_COUNT, 'SLURM_ARRAY_TASK_COUNT');
    } else {
      throw new FoiloptError(
        '--shard auto: no job index in the environment (Kubernetes: JOB_COMPLETION_INDEX with FOILOPT_SHARD_COUNT; ' +
          'Slurm: SLURM_ARRAY_TASK_ID with SLURM_ARRAY_TASK_COUNT; or FOILOPT_SHARD_INDEX with FOILOPT_SHARD_COUNT)',
      );
    }
  } else {
    const m = /^(\d+)\s*\/\s*(\d+)$/.exec(t);
    if (!m) throw new FoiloptError(`--shard: expected i/n (e.g. 0/4) or auto, got "${text}"`);
    index = Number(m[1]);
    count = Number(m[2]);
  }
  if (count < 1) throw new FoiloptError(`--shard: the job count must be >= 1, got ${count}`);
  if (index >= count)
    throw new FoiloptError(`--shard: job index ${index} is out of range for ${count} jobs (0..${count - 1})`);
  return { index, count };
}

/** Path of the worker script: worker.js next to this file, or worker.ts under tsx/jest. */
function workerScript(): { file: string; execArgv: string[] } {
  const ts = __filename.endsWith('.ts');
  const file = path.join(__dirname, ts ? 'worker.ts' : 'worker.js');
  return { file, execArgv: ts ? ['--require', require.resolve('tsx/cjs')] : [] };
}

/** Reads run.json of a dataset directory (null when absent). */
export function readRunRecord(dir: string): RunRecord | null {
  const file = path.join(dir, 'run.json');
  if (!fs.existsSync(file)) return null;
  try {
    const r = JSON.parse(fs.readFileSync(file, 'utf8')) as RunRecord;
    if (r.format !== 'foilopt-dataset-run') throw new Error('format is not foilopt-dataset-run');
    return r;
  } catch (e) {
    throw new FoiloptError(`unreadable run record: ${(e as Error).message}`, { file });
  }
}

interface ChunkTask {
  id: number;
  shard: number;
  chunk: number;
  first: number;
  count: number;
}

function interrupted(): FoiloptError {
  return new FoiloptError(
    'interrupted; finished chunks are kept: rerun the same command with --resume to continue',
  );
}

/** Generates (or resumes) a dataset; see the module comment. */
export async function generateDataset(opts: GenerateOptions): Promise<GenerateResult> {
  assertLittleEndian();
  const t0 = performance.now();
  const dir = path.resolve(opts.out);
  const warn = opts.onWarning ?? (() => undefined);
  const evaluatorSpec = opts.evaluator ?? 'solver';
  const workers = opts.workers ?? os.availableParallelism();
  if (!Number.isInteger(workers) || workers < 0)
    throw new FoiloptError(`--workers must be an integer >= 0, got ${workers}`);
  if (typeof evaluatorSpec === 'function' && workers > 0) {
    throw new Error(
      'generateDataset: an evaluator function needs workers = 0 (workers load evaluators by module)',
    );
  }
  const job = opts.shard && opts.shard.count > 1 ? opts.shard : null;

  // --- the run record: new, or the one to resume
  fs.mkdirSync(dir, { recursive: true });
  const existing = readRunRecord(dir);
  const resuming = !!opts.resume && existing !== null;
  const nCases = opts.nCases ?? (resuming ? existing!.nCases : undefined);
  if (nCases === undefined) throw new FoiloptError('--n is required (number of cases)');
  if (!Number.isInteger(nCases) || nCases < 1 || nCases > 0xffffffff)
    throw new FoiloptError(`--n must be an integer 1..4294967295, got ${nCases}`);
  const seed = opts.seed ?? (resuming ? existing!.seed : 1);
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff)
    throw new FoiloptError(`--seed must be an integer 0..4294967295, got ${seed}`);
  const config: DatasetConfig =
    opts.config !== undefined
      ? resolveConfig(opts.config, opts.configFile)
      : resuming
        ? resolveConfig(existing!.config)
        : resolveConfig({});
  if (nCases % config.polarPoints !== 0)
    throw new FoiloptError(
      `--n must be a multiple of polarPoints (${config.polarPoints}) in polar mode, got ${nCases}`,
    );
  const holdout = loadHoldout(config.shapes.holdout);
  const run: RunRecord = {
    format: 'foilopt-dataset-run',
    schemaVersion: SCHEMA_VERSION,
    nCases,
    seed,
    evaluator:
      typeof evaluatorSpec === 'function'
        ? `function:${evaluatorSpec.name || 'anonymous'}`
        : evaluatorId(evaluatorSpec),
    config,
    holdout: { uiuc: [...holdout.uiuc].sort(), naca: [...holdout.naca].sort() },
    uiucNames: config.shapes.mix.uiucCst > 0 ? loadCstTable(config.shapes.cstTable).names : [],
  };
  if (existing) {
    const diff = runDifference(existing, run, ['run.json', 'this command']);
    if (diff) {
      throw new FoiloptError(
        `${dir} holds a different dataset run (${diff}); use another --out, or the same parameters${opts.resume ? '' : ' with --resume'}`,
        { file: path.join(dir, 'run.json') },
      );
    }
  }
  const totalShards = shardCount(nCases, config.casesPerShard);
  const myShards = jobShards(totalShards, job);
  const rb = recordBytes(config);
  const manifestFile = path.join(dir, manifestFileName(job));
  if (myShards.length === 0) {
    warn(
      `job ${job!.index}/${job!.count} has no shard to compute: ${nCases} cases make ${totalShards} shard(s) of ` +
        `${config.casesPerShard} (config casesPerShard) for ${job!.count} jobs`,
    );
  }

  // --- what is left to do
  const tasks: ChunkTask[] = [];
  const remaining = new Map<number, number>();
  let skipped = 0;
  let foundOwnFiles = fs.existsSync(manifestFile);
  for (const k of myShards) {
    const { first, count } = shardRange(nCases, config.casesPerShard, k);
    const sf = path.join(dir, shardFileName(k));
    removeStaleTemps(dir, shardFileName(k));
    if (fs.existsSync(sf)) {
      foundOwnFiles = true;
      if (!opts.resume) continue;
      try {
        readShardFile(sf, { shardIndex: k, firstCase: first, caseCount: count, nodes: config.panels, seed });
        skipped += count;
        continue;
      } catch (e) {
        if (!(e instanceof FoiloptError)) throw e;
        warn(`${e.message.replace(/; regenerate.*$/, '')}; regenerating it`);
        fs.rmSync(sf, { force: true });
      }
    }
    const cd = chunkDir(dir, k);
    if (fs.existsSync(cd)) {
      foundOwnFiles = true;
      for (const f of fs.readdirSync(cd))
        if (f.endsWith('.tmp')) fs.rmSync(path.join(cd, f), { force: true });
    }
    const nChunks = Math.ceil(count / config.chunkCases);
    let left = 0;
    for (let c = 0; c < nChunks; c++) {
      const cFirst = first + c * config.chunkCases;
      const cCount = Math.min(config.chunkCases, first + count - cFirst);
      const cf = chunkFile(dir, k, c);
      if (opts.resume && fs.existsSync(cf) && fs.statSync(cf).size === cCount * rb) {
        skipped += cCount;
        continue;
      }
      tasks.push({ id: tasks.length, shard: k, chunk: c, first: cFirst, count: cCount });
      left++;
    }
    remaining.set(k, left);
  }
  if (foundOwnFiles && !opts.resume) {
    throw new FoiloptError(
      `${dir} already holds (part of) this dataset${job ? ` job ${job.index}/${job.count}` : ''}; pass --resume to continue or check it, or use another --out`,
    );
  }
  writeFileAtomic(path.join(dir, 'run.json'), jsonText(run));

  // --- shards whose chunks are all present already (crash between the last chunk and assembly)
  for (const [k, left] of remaining) if (left === 0) assembleShard(dir, k, nCases, seed, config);

  // --- compute
  const total = myShards.reduce((s, k) => s + shardRange(nCases, config.casesPerShard, k).count, 0);
  let done = skipped;
  let computed = 0;
  let errors = 0;
  let casesInDoneChunks = 0;
  let firstError: string | undefined;
  let tFirst = NaN;
  let tLast = NaN;
  const progress = () => {
    computed++;
    done++;
    tLast = performance.now();
    if (opts.onProgress) {
      const seconds = (tLast - tFirst) / 1000;
      opts.onProgress({
        done,
        total,
        computed,
        seconds,
        casesPerSecond: seconds > 0 ? computed / seconds : 0,
      });
    }
  };
  const chunkDone = (t: ChunkTask, out: ChunkOutput) => {
    errors += out.errors;
    casesInDoneChunks += t.count;
    firstError ??= out.firstError;
    if (errors >= 10 && errors === casesInDoneChunks) {
      throw new FoiloptError(`the evaluator fails on every case (${firstError}); stopping`);
    }
    fs.mkdirSync(chunkDir(dir, t.shard), { recursive: true });
    writeFileAtomic(chunkFile(dir, t.shard, t.chunk), out.bytes);
    const left = remaining.get(t.shard)! - 1;
    remaining.set(t.shard, left);
    if (left === 0) assembleShard(dir, t.shard, nCases, seed, config);
  };
  if (tasks.length > 0) {
    if (workers === 0) {
      const evaluate = typeof evaluatorSpec === 'function' ? evaluatorSpec : resolveEvaluator(evaluatorSpec);
      const polarEvaluator =
        typeof evaluatorSpec === 'function' ? undefined : resolvePolarEvaluator(evaluatorSpec);
      const ctx = caseContext(config, seed);
      tFirst = performance.now();
      for (const t of tasks) {
        if (opts.signal?.aborted) throw interrupted();
        const out = computeChunk(ctx, evaluate, t.first, t.count, progress, polarEvaluator);
        if (opts.signal?.aborted) throw interrupted();
        chunkDone(t, out);
        await new Promise((r) => setImmediate(r));
      }
    } else {
      const init: WorkerInit = { config, seed, evaluator: evaluatorSpec as EvaluatorSpec };
      await runWorkers(
        Math.min(workers, tasks.length),
        init,
        tasks,
        progress,
        chunkDone,
        () => {
          tFirst = performance.now();
        },
        opts.signal,
      );
    }
  }
  if (opts.signal?.aborted) throw interrupted();

  // --- manifest from the finished shard files
  const entries: ShardEntry[] = myShards.map((k) => shardEntry(dir, k, nCases, seed, config));
  const manifest = buildManifest(run, entries, job);
  writeFileAtomic(manifestFile, jsonText(manifest));
  removeEmptyPartialDir(dir);
  const computeSeconds = Number.isFinite(tFirst) && Number.isFinite(tLast) ? (tLast - tFirst) / 1000 : 0;
  return {
    dir,
    manifestFile,
    manifest,
    computedCases: computed,
    skippedCases: skipped,
    seconds: (performance.now() - t0) / 1000,
    computeSeconds,
    casesPerSecond: computeSeconds > 0 ? computed / computeSeconds : 0,
    workers: tasks.length === 0 ? 0 : workers === 0 ? 0 : Math.min(workers, tasks.length),
    errors,
    firstError,
  };
}

/** Removes leftovers of interrupted atomic writes of `name` in `dir` (name.<pid>-<rand>.tmp). */
function removeStaleTemps(dir: string, name: string): void {
  let files: string[];
  try {
    files = fs.readdirSync(dir);
  } catch {
    return;
  }
  for (const f of files)
    if (f.startsWith(name + '.') && f.endsWith('.tmp')) fs.rmSync(path.join(dir, f), { force: true });
}

function removeEmptyPartialDir(dir: string): void {
  const p = path.join(dir, '.partial');
  try {
    if (fs.readdirSync(p).length === 0) fs.rmdirSync(p);
  } catch {
    // absent or not empty (another job still running)
  }
}

/** Concatenates the chunks of shard k into its shard file (atomically) and removes the chunks. */
function assembleShard(dir: string, k: number, nCases: number, seed: number, config: DatasetConfig): void {
  const { first, count } = shardRange(nCases, config.casesPerShard, k);
  const rb = recordBytes(config);
  const nChunks = Math.ceil(count / config.chunkCases);
  const parts: Buffer[] = [];
  for (let c = 0; c < nChunks; c++) {
    const b = fs.readFileSync(chunkFile(dir, k, c));
    const expected = Math.min(config.chunkCases, count - c * config.chunkCases) * rb;
    if (b.length !== expected)
      throw new FoiloptError(
        `checkpoint chunk ${c} of shard ${k} has ${b.length} bytes, expected ${expected}`,
        { file: chunkFile(dir, k, c) },
      );
    parts.push(b);
  }
  const payload = Buffer.concat(parts);
  const header = encodeShardHeader({
    schemaVersion: SCHEMA_VERSION,
    nodes: config.panels,
    recordWords: rb / 4,
    shardIndex: k,
    firstCase: first,
    caseCount: count,
    seed,
    payloadSha256: sha256(payload),
  });
  writeFileAtomic(path.join(dir, shardFileName(k)), header, payload);
  fs.rmSync(chunkDir(dir, k), { recursive: true, force: true });
}

/** Manifest entry of finished shard k (reads and verifies the file). */
export function shardEntry(
  dir: string,
  k: number,
  nCases: number,
  seed: number,
  config: DatasetConfig,
): ShardEntry {
  const { first, count } = shardRange(nCases, config.casesPerShard, k);
  const file = shardFileName(k);
  const d = readShardFile(path.join(dir, file), {
    shardIndex: k,
    firstCase: first,
    caseCount: count,
    nodes: config.panels,
    seed,
  });
  return {
    index: k,
    file,
    firstCase: first,
    cases: count,
    bytes: d.bytes.length,
    sha256: d.sha256,
    stats: statsOfRecords(d.payload, config.panels),
  };
}

/**
 * Runs the tasks on `n` worker threads, handing out chunks in order as workers become free; `onStart`
 * runs when the first chunk is dispatched. Rejects (terminating every worker) on a worker failure, an
 * exception in `onChunk`, or an abort.
 */
function runWorkers(
  n: number,
  init: WorkerInit,
  tasks: ChunkTask[],
  onCase: () => void,
  onChunk: (t: ChunkTask, out: ChunkOutput) => void,
  onStart: () => void,
  signal?: AbortSignal,
): Promise<void> {
  const { file, execArgv } = workerScript();
  return new Promise<void>((resolve, reject) => {
    const pool: Worker[] = [];
    let next = 0;
    let finished = 0;
    let settled = false;
    let started = false;
    const stop = (err: Error | null) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      for (const w of pool) void w.terminate();
      if (err) reject(err);
      else resolve();
    };
    const onAbort = () => stop(interrupted());
    if (signal?.aborted) return stop(interrupted());
    signal?.addEventListener('abort', onAbort);
    const feed = (w: Worker) => {
      if (settled) return;
      if (next < tasks.length) {
        const t = tasks[next++];
        if (!started) {
          started = true;
          onStart();
        }
        w.postMessage({ type: 'chunk', id: t.id, first: t.first, count: t.count });
      }
    };
    for (let i = 0; i < n; i++) {
      const w = new Worker(file, { workerData: init, execArgv, stdout: false, stderr: false });
      pool.push(w);
      w.on(
        'message',
        (m: {
          type: string;
          id?: number;
          bytes?: Uint8Array;
          errors?: number;
          firstError?: string;
          message?: string;
          stack?: string;
          user?: boolean;
        }) => {
          if (settled) return;
          try {
            if (m.type === 'ready') feed(w);
            else if (m.type === 'case') onCase();
            else if (m.type === 'done') {
              onChunk(tasks[m.id!], { bytes: m.bytes!, errors: m.errors ?? 0, firstError: m.firstError });
              finished++;
              if (finished === tasks.length) stop(null);
              else feed(w);
            } else if (m.type === 'fail') {
              const err = m.user
                ? new FoiloptError(m.message ?? 'worker failed')
                : new Error(`dataset worker failed: ${m.message}`);
              if (!m.user && m.stack) err.stack = m.stack;
              stop(err);
            }
          } catch (e) {
            stop(e as Error);
          }
        },
      );
      w.on('error', (e) => stop(new Error(`dataset worker crashed: ${e.message}`)));
      w.on('exit', (code) => {
        if (!settled) stop(new Error(`dataset worker exited unexpectedly (code ${code})`));
      });
    }
  });
}
