/**
 * Dataset generator bench (issue 5 acceptance), with the real solver:
 *   1. throughput: the same N cases (default ranges, seed 1) with 1 and with 2 worker threads;
 *      cases/s = computed cases / time from the first dispatched chunk to the last finished one
 *      (worker start-up excluded; wall time including it is reported too); the two runs must also
 *      produce identical bytes;
 *   2. convergence rate over the default ranges (from the 2-worker run), per family, with retries;
 *   3. two jobs (--shard 0/2, 1/2) generated separately + merge == one run, byte for byte;
 *   4. kill -9 of a running `foilopt dataset` process mid-run, then --resume == uninterrupted run;
 *   5. a corrupt and a truncated shard are detected (checksum) with a message naming the shard.
 * Prints the figures and writes bench/out/dataset.json.
 *
 *   npm run bench:dataset [-- --n 240] [--rounds 2] [--small 48] [--keep]
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { REPO_ROOT, writeBenchJson } from './common';
import {
  generateDataset,
  mergeDatasets,
  verifyDataset,
  readDataset,
  type GenerateResult,
} from '../src/dataset';
import { SHARD_HEADER_BYTES } from '../src/dataset/layout';

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
}

const N = arg('n', 240);
const SMALL = arg('small', 48);
const ROUNDS = arg('rounds', 2);
const KEEP = process.argv.includes('--keep');
const SMALL_CONFIG = { casesPerShard: 12, chunkCases: 3 };

/** Every file under dir: relative path -> bytes. */
function snapshot(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(path.relative(dir, p), fs.readFileSync(p));
    }
  };
  walk(dir);
  return out;
}

/** null when the two directories hold the same files with the same bytes, else what differs. */
function compareDirs(a: string, b: string, ignore: (f: string) => boolean = () => false): string | null {
  const sa = snapshot(a);
  const sb = snapshot(b);
  const ka = [...sa.keys()].filter((k) => !ignore(k)).sort();
  const kb = [...sb.keys()].filter((k) => !ignore(k)).sort();
  if (ka.join('|') !== kb.join('|')) return `file lists differ: [${ka.join(', ')}] vs [${kb.join(', ')}]`;
  for (const k of ka) if (!sa.get(k)!.equals(sb.get(k)!)) return `${k} differs`;
  return null;
}

/** Spawns the CLI from the TypeScript sources. */
function spawnCli(args: string[]) {
  const main = `process.argv.splice(1, 0, 'foilopt'); require(${JSON.stringify(path.join(REPO_ROOT, 'src', 'cli', 'main.ts'))}).runFromProcess()`;
  return spawn(process.execPath, ['--require', require.resolve('tsx/cjs'), '-e', main, '--', ...args], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
}

function pct(a: number, b: number): string {
  return `${((100 * a) / b).toFixed(1)}%`;
}

async function main(): Promise<void> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'foilopt-bench-dataset-'));
  const out: Record<string, unknown> = {
    date: new Date().toISOString(),
    cpus: os.availableParallelism(),
    node: process.version,
  };
  console.log(`dataset bench (${os.availableParallelism()} cores, Node ${process.version}), work dir ${tmp}`);
  const checks: Record<string, boolean> = {};

  // ---- 1. throughput with 1 and 2 workers (same dataset), ROUNDS alternating rounds; other processes
  // on the machine steal cores, so the load average is recorded and the best round of each is used
  const runs: Record<number, GenerateResult[]> = { 1: [], 2: [] };
  const rounds: {
    workers: number;
    casesPerSecond: number;
    computeSeconds: number;
    wallSeconds: number;
    loadBefore: number;
  }[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    for (const w of [1, 2]) {
      const dir = path.join(tmp, `w${w}-r${round}`);
      const loadBefore = os.loadavg()[0];
      const r = await generateDataset({ out: dir, nCases: N, seed: 1, workers: w });
      runs[w].push(r);
      rounds.push({
        workers: w,
        casesPerSecond: r.casesPerSecond,
        computeSeconds: r.computeSeconds,
        wallSeconds: r.seconds,
        loadBefore,
      });
      console.log(
        `  round ${round + 1}, ${w} worker(s): ${N} cases, ${r.casesPerSecond.toFixed(2)} cases/s (${r.computeSeconds.toFixed(1)} s computing, ` +
          `${r.seconds.toFixed(1)} s wall incl. worker start-up: ${(N / r.seconds).toFixed(2)} cases/s; 1-min load before ${loadBefore.toFixed(2)})`,
      );
    }
  }
  const best = (w: number) => runs[w].reduce((a, b) => (b.casesPerSecond > a.casesPerSecond ? b : a));
  const ratio = best(2).casesPerSecond / best(1).casesPerSecond;
  const sameBytes =
    [...runs[1], ...runs[2]].map((r) => compareDirs(runs[1][0].dir, r.dir)).find((d) => d !== null) ?? null;
  checks.speedupAtLeast1p7 = ratio >= 1.7;
  checks.workersGiveSameBytes = sameBytes === null;
  console.log(
    `  speed-up 2 vs 1 workers (best rounds): ${best(2).casesPerSecond.toFixed(2)} / ${best(1).casesPerSecond.toFixed(2)} = ${ratio.toFixed(2)}x ` +
      `(acceptance >= 1.7)   all runs same bytes: ${sameBytes ?? 'yes'}`,
  );
  out.throughput = {
    nCases: N,
    rounds,
    best1: best(1).casesPerSecond,
    best2: best(2).casesPerSecond,
    speedup: ratio,
    sameBytes: sameBytes === null,
  };
  for (const r of [...runs[1].slice(1), ...runs[2].slice(0, -1)])
    fs.rmSync(r.dir, { recursive: true, force: true });
  const last2 = runs[2][runs[2].length - 1];

  // ---- 2. convergence over the default ranges
  const t = last2.manifest.totals;
  const d = readDataset(last2.dir);
  const byAlpha: Record<string, string> = {};
  const edges = [-6, -2, 2, 6, 10, 13, 16.001];
  for (let i = 0; i < edges.length - 1; i++) {
    let n = 0;
    let c = 0;
    for (let k = 0; k < d.nCases; k++) {
      const x = d.get(k);
      if (x.alphaDeg >= edges[i] && x.alphaDeg < edges[i + 1]) {
        n++;
        if (x.converged) c++;
      }
    }
    byAlpha[`${edges[i]}..${Math.round(edges[i + 1])}`] = `${c}/${n}`;
  }
  console.log(
    `  convergence over the default ranges: ${t.converged}/${t.cases} = ${pct(t.converged, t.cases)} ` +
      `(${t.retried} converged only in the warm-started retry; mean ${(t.iterationsConverged / t.converged).toFixed(1)} iterations)`,
  );
  console.log(
    `    by family: ${Object.entries(t.byFamily)
      .map(([f, v]) => `${f} ${v.converged}/${v.cases}`)
      .join(', ')}`,
  );
  console.log(
    `    by alpha:  ${Object.entries(byAlpha)
      .map(([k, v]) => `${k}: ${v}`)
      .join(', ')}`,
  );
  out.convergence = {
    rate: t.converged / t.cases,
    converged: t.converged,
    cases: t.cases,
    retried: t.retried,
    byFamily: t.byFamily,
    byAlpha,
    withSurface: t.withSurface,
    errors: t.errors,
  };

  // ---- 3. shards + merge == one run
  const ref = await generateDataset({
    out: path.join(tmp, 'ref'),
    nCases: SMALL,
    seed: 3,
    workers: 2,
    config: SMALL_CONFIG,
  });
  for (const i of [0, 1]) {
    await generateDataset({
      out: path.join(tmp, `job${i}`),
      nCases: SMALL,
      seed: 3,
      workers: 1,
      config: SMALL_CONFIG,
      shard: { index: i, count: 2 },
    });
  }
  const merged = mergeDatasets([path.join(tmp, 'job0'), path.join(tmp, 'job1')], path.join(tmp, 'merged'));
  const mergeDiff = compareDirs(ref.dir, merged.dir);
  checks.shardMergeIdentical = mergeDiff === null;
  console.log(
    `  2 jobs (--shard 0/2, 1/2) + merge vs one run (${SMALL} cases, ${ref.manifest.shards.length} shards): ${mergeDiff ?? 'identical bytes'}`,
  );
  out.shardMerge = {
    nCases: SMALL,
    shards: ref.manifest.shards.length,
    identical: mergeDiff === null,
    difference: mergeDiff,
  };

  // ---- 4. kill -9 mid-run, then --resume
  const killedDir = path.join(tmp, 'killed');
  const cfg = path.join(tmp, 'small.json');
  fs.writeFileSync(cfg, JSON.stringify(SMALL_CONFIG));
  const args = [
    'dataset',
    '--n',
    String(SMALL),
    '--seed',
    '3',
    '--out',
    killedDir,
    '--workers',
    '2',
    '--config',
    cfg,
  ];
  const child = spawnCli(args);
  const exited = new Promise<NodeJS.Signals | null>((res) => child.on('exit', (_c, sig) => res(sig)));
  const t0 = Date.now();
  // kill once a shard is finished and the next one has checkpointed chunks (mid-shard)
  const mid = () =>
    fs.existsSync(path.join(killedDir, 'shard-00000.bin')) &&
    fs.existsSync(path.join(killedDir, '.partial')) &&
    fs
      .readdirSync(path.join(killedDir, '.partial'))
      .some((s) => fs.readdirSync(path.join(killedDir, '.partial', s)).length > 0);
  while (!mid()) {
    if (Date.now() - t0 > 120000) throw new Error('the child made no progress in 120 s');
    await new Promise((r) => setTimeout(r, 25));
  }
  child.kill('SIGKILL');
  const sig = await exited;
  const before = {
    shards: fs.readdirSync(killedDir).filter((f) => f.endsWith('.bin')).length,
    chunks: fs
      .readdirSync(path.join(killedDir, '.partial'))
      .map((s) => fs.readdirSync(path.join(killedDir, '.partial', s)).length)
      .reduce((a, b) => a + b, 0),
  };
  const resumed = await generateDataset({ out: killedDir, resume: true, workers: 2 });
  const killDiff = compareDirs(ref.dir, killedDir);
  checks.killResumeIdentical = killDiff === null && sig === 'SIGKILL';
  console.log(
    `  kill -9 after ${((Date.now() - t0) / 1000).toFixed(1)} s (${sig}; ${before.shards} shard(s) and ${before.chunks} checkpointed chunk(s) on disk), ` +
      `--resume computed ${resumed.computedCases} of ${SMALL} cases: ${killDiff ?? 'identical bytes to the uninterrupted run'}`,
  );
  out.killResume = {
    signal: sig,
    shardsBefore: before.shards,
    chunksBefore: before.chunks,
    resumedCases: resumed.computedCases,
    skippedCases: resumed.skippedCases,
    identical: killDiff === null,
    difference: killDiff,
  };

  // ---- 5. corrupt and truncated shards
  const corruptDir = path.join(tmp, 'corrupt');
  fs.cpSync(ref.dir, corruptDir, { recursive: true });
  const shard = path.join(corruptDir, 'shard-00001.bin');
  const bytes = fs.readFileSync(shard);
  const flipped = Buffer.from(bytes);
  flipped[SHARD_HEADER_BYTES + 4321] ^= 0x01;
  fs.writeFileSync(shard, flipped);
  const corruptMsg = verifyDataset(corruptDir);
  fs.writeFileSync(shard, bytes.subarray(0, bytes.length - 1000));
  const truncMsg = verifyDataset(corruptDir);
  let readThrew = '';
  try {
    readDataset(corruptDir);
  } catch (e) {
    readThrew = (e as Error).message;
  }
  checks.corruptDetected = corruptMsg.length === 1 && /shard-00001\.bin is corrupt/.test(corruptMsg[0]);
  checks.truncatedDetected =
    truncMsg.length === 1 && /shard-00001\.bin is truncated/.test(truncMsg[0]) && /truncated/.test(readThrew);
  console.log(`  one flipped bit: ${corruptMsg[0]}`);
  console.log(`  1000 bytes cut:  ${truncMsg[0]}`);
  out.corruption = { flippedBit: corruptMsg, truncated: truncMsg, readDatasetError: readThrew };

  out.checks = checks;
  out.pass = Object.values(checks).every(Boolean);
  const file = writeBenchJson('dataset', out);
  console.log(
    `checks: ${Object.entries(checks)
      .map(([k, v]) => `${k} ${v ? 'PASS' : 'FAIL'}`)
      .join(', ')}`,
  );
  console.log(`wrote ${file}`);
  if (!KEEP) fs.rmSync(tmp, { recursive: true, force: true });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
