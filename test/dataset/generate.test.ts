/**
 * Dataset machinery with the synthetic evaluator (fast): determinism, shard + merge == one run,
 * resume after an interruption and after kill -9, corrupt/truncated shard detection.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { FoiloptError } from '../../src/errors';
import {
  generateDataset,
  mergeDatasets,
  readDataset,
  iterateCases,
  verifyDataset,
  datasetInfo,
} from '../../src/dataset';
import { recordWords, SHARD_HEADER_BYTES } from '../../src/dataset/layout';

const REPO = path.resolve(__dirname, '..', '..');
const CONFIG = { casesPerShard: 16, chunkCases: 4 };
let tmp: string;

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'foilopt-dataset-'));
});
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** Every file under dir (relative path -> bytes), skipping nothing. */
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

function expectSameFiles(a: string, b: string): void {
  const sa = snapshot(a);
  const sb = snapshot(b);
  expect([...sb.keys()].sort()).toEqual([...sa.keys()].sort());
  for (const [k, v] of sa) {
    if (!v.equals(sb.get(k)!)) throw new Error(`${k} differs between ${a} and ${b}`);
  }
}

const gen = (out: string, extra: Partial<Parameters<typeof generateDataset>[0]> = {}) =>
  generateDataset({
    out: path.join(tmp, out),
    nCases: 40,
    seed: 11,
    workers: 0,
    evaluator: 'synthetic',
    config: CONFIG,
    ...extra,
  });

describe('dataset generation (synthetic evaluator)', () => {
  let reference: string;

  beforeAll(async () => {
    const r = await gen('ref');
    reference = r.dir;
  });

  test('layout: 3 shards of 16/16/8 cases, records hold the conditions drawn for each index', () => {
    const d = readDataset(reference);
    expect(d.manifest.shards.map((s) => s.cases)).toEqual([16, 16, 8]);
    expect(d.manifest.totals.cases).toBe(40);
    const words = recordWords(160);
    for (const s of d.manifest.shards) {
      expect(s.bytes).toBe(SHARD_HEADER_BYTES + s.cases * words * 4);
    }
    for (let i = 0; i < 40; i++) {
      const c = d.get(i);
      expect(c.index).toBe(i);
      expect(c.x.length).toBe(160);
      // synthetic evaluator: cl = 2 pi (alpha - alpha0) / sqrt(1 - M^2) and cdf = 0.148 Re^-0.2
      expect(c.cdf).toBeCloseTo(2 * 0.074 * Math.pow(c.re, -0.2), 6);
      expect(c.converged).toBe(Math.abs(c.alphaDeg) <= 12);
      // chord-1 normalized nodes: LE at the origin, TE midpoint at distance 1
      expect(Math.min(...c.x)).toBeCloseTo(0, 3);
      expect(Math.hypot((c.x[0] + c.x[159]) / 2, (c.y[0] + c.y[159]) / 2)).toBeCloseTo(1, 4);
    }
  });

  test('same seed gives the same bytes; a different seed does not; cases do not depend on the shard size', async () => {
    const again = await gen('again');
    expectSameFiles(reference, again.dir);
    const other = await gen('seed12', { seed: 12 });
    const a = readDataset(reference);
    const b = readDataset(other.dir);
    expect(Buffer.from(a.f32.buffer).equals(Buffer.from(b.f32.buffer))).toBe(false);
    // different shard/chunk sizes: every record identical
    const big = await gen('big', { config: { casesPerShard: 40, chunkCases: 7 } });
    const c = readDataset(big.dir);
    expect(Buffer.from(c.f32.buffer).equals(Buffer.from(a.f32.buffer))).toBe(true);
  });

  test('two jobs (--shard 0/2, 1/2) generated separately and merged == one run, byte for byte', async () => {
    const j0 = await gen('job0', { shard: { index: 0, count: 2 } });
    const j1 = await gen('job1', { shard: { index: 1, count: 2 }, workers: 2, evaluator: 'synthetic' });
    expect(path.basename(j0.manifestFile)).toBe('manifest.job-0000-of-0002.json');
    expect(j0.manifest.shards.map((s) => s.index)).toEqual([0]);
    expect(j1.manifest.shards.map((s) => s.index)).toEqual([1, 2]);
    expect(() => readDataset(j0.dir)).toThrow(/job manifests.*merge/);
    expect(() => mergeDatasets([j0.dir], path.join(tmp, 'merged-incomplete'))).toThrow(
      /2 of 3 shards missing \(1-2\)/,
    );
    const merged = mergeDatasets([j0.dir, j1.dir], path.join(tmp, 'merged'));
    expect(merged.copied).toBe(3);
    expectSameFiles(reference, merged.dir);
    // both jobs writing into one shared directory, merged in place
    const shared = path.join(tmp, 'shared');
    await gen('shared', { shard: { index: 1, count: 2 } });
    await generateDataset({
      out: shared,
      nCases: 40,
      seed: 11,
      workers: 0,
      evaluator: 'synthetic',
      config: CONFIG,
      shard: { index: 0, count: 2 },
    });
    mergeDatasets([shared], shared);
    for (const f of fs.readdirSync(shared).filter((f) => f.startsWith('manifest.job-')))
      fs.rmSync(path.join(shared, f));
    expectSameFiles(reference, shared);
  });

  test('resume after an interruption mid-shard gives the uninterrupted bytes', async () => {
    const out = path.join(tmp, 'interrupted');
    const ac = new AbortController();
    let seen = 0;
    await expect(
      generateDataset({
        out,
        nCases: 40,
        seed: 11,
        workers: 0,
        evaluator: 'synthetic',
        config: CONFIG,
        signal: ac.signal,
        onProgress: () => {
          if (++seen === 22) ac.abort();
        },
      }),
    ).rejects.toThrow(/interrupted.*--resume/);
    // shard 0 finished, shard 1 partially checkpointed (chunk 0 of 4 cases; the aborted chunk is lost)
    expect(fs.existsSync(path.join(out, 'shard-00000.bin'))).toBe(true);
    expect(fs.readdirSync(path.join(out, '.partial', 'shard-00001'))).toEqual(['chunk-00000.bin']);
    expect(fs.existsSync(path.join(out, 'manifest.json'))).toBe(false);
    // a leftover temp file of an interrupted atomic write must not matter
    fs.writeFileSync(path.join(out, '.partial', 'shard-00001', 'chunk-00001.bin.123-abcd.tmp'), 'garbage');
    await expect(gen('interrupted')).rejects.toThrow(/already holds.*--resume/);
    const r = await gen('interrupted', { resume: true });
    expect(r.skippedCases).toBe(20);
    expect(r.computedCases).toBe(20);
    expectSameFiles(reference, out);
  });

  test('kill -9 of a running CLI, then --resume, gives the uninterrupted bytes', async () => {
    const out = path.join(tmp, 'killed');
    const cfg = path.join(tmp, 'cfg.json');
    fs.writeFileSync(cfg, JSON.stringify(CONFIG));
    const args = [
      'dataset',
      '--n',
      '40',
      '--seed',
      '11',
      '--out',
      out,
      '--workers',
      '1',
      '--evaluator',
      'synthetic',
      '--config',
      cfg,
    ];
    // the CLI from the TypeScript sources (bin/foilopt.js would prefer a possibly stale dist/)
    const main = `process.argv.splice(1, 0, 'foilopt'); require(${JSON.stringify(path.join(REPO, 'src', 'cli', 'main.ts'))}).runFromProcess()`;
    const child = spawn(
      process.execPath,
      ['--require', require.resolve('tsx/cjs'), '-e', main, '--', ...args],
      {
        cwd: REPO,
        env: { ...process.env, FOILOPT_SYNTHETIC_DELAY_MS: '40' },
        stdio: 'ignore',
      },
    );
    const exited = new Promise<NodeJS.Signals | null>((res) => child.on('exit', (_code, sig) => res(sig)));
    // wait until shard 0 is done and shard 1 has a checkpoint, then kill -9
    const t0 = Date.now();
    while (!fs.existsSync(path.join(out, '.partial', 'shard-00001', 'chunk-00000.bin'))) {
      if (Date.now() - t0 > 15000) throw new Error('the child made no progress');
      await new Promise((r) => setTimeout(r, 20));
    }
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    expect(fs.existsSync(path.join(out, 'manifest.json'))).toBe(false);
    const r = await gen('killed', { resume: true });
    expect(r.skippedCases).toBeGreaterThanOrEqual(20);
    expect(r.computedCases).toBeLessThanOrEqual(20);
    expectSameFiles(reference, out);
  });

  test('a corrupt or truncated shard is detected with a message naming it; resume regenerates it', async () => {
    const r = await gen('corrupt');
    const shard = path.join(r.dir, 'shard-00001.bin');
    const bytes = fs.readFileSync(shard);
    bytes[SHARD_HEADER_BYTES + 1000] ^= 0x40; // one bit in a record
    fs.writeFileSync(shard, bytes);
    expect(() => readDataset(r.dir)).toThrow(/shard shard-00001\.bin is corrupt: sha256/);
    expect(() => [...iterateCases(r.dir)]).toThrow(FoiloptError);
    expect(verifyDataset(r.dir)).toEqual([expect.stringMatching(/^shard shard-00001\.bin is corrupt/)]);
    expect(datasetInfo(r.dir).problems).toHaveLength(1);
    // truncated
    fs.writeFileSync(shard, bytes.subarray(0, bytes.length - 100));
    expect(() => readDataset(r.dir)).toThrow(
      /shard shard-00001\.bin is truncated: \d+ bytes, the manifest says \d+/,
    );
    // resume finds it bad, warns, regenerates: identical to the reference again
    const warnings: string[] = [];
    const again = await gen('corrupt', { resume: true, onWarning: (m) => warnings.push(m) });
    expect(warnings).toEqual([expect.stringMatching(/shard-00001\.bin is truncated.*regenerating/)]);
    expect(again.computedCases).toBe(16);
    expectSameFiles(reference, r.dir);
    // merge refuses a corrupt input shard
    const bad = fs.readFileSync(shard);
    bad[SHARD_HEADER_BYTES + 5] ^= 1;
    fs.writeFileSync(shard, bad);
    expect(() => mergeDatasets([r.dir], path.join(tmp, 'merge-bad'))).toThrow(/shard-00001\.bin is corrupt/);
  });

  test('resume refuses a different run in the same directory, naming the field', async () => {
    await expect(gen('ref', { resume: true, seed: 12 })).rejects.toThrow(
      /seed: run\.json 11, this command 12/,
    );
    await expect(
      gen('ref', { resume: true, config: { ...CONFIG, conditions: { mach: [0, 0.3] } } }),
    ).rejects.toThrow(/config\.conditions\.mach: run\.json \[0,0\.5\], this command \[0,0\.3\]/);
    // resume without parameters takes them from run.json (nothing left to do)
    const r = await generateDataset({ out: reference, resume: true, workers: 0, evaluator: 'synthetic' });
    expect(r.computedCases).toBe(0);
    expect(r.skippedCases).toBe(40);
  });
});
