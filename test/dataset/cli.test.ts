/** `foilopt dataset` / `dataset merge` / `dataset info` through the CLI entry (synthetic evaluator). */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { run } from '../../src/cli/main';

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'foilopt-dataset-cli-'));
  fs.writeFileSync(path.join(tmp, 'cfg.json'), JSON.stringify({ casesPerShard: 10, chunkCases: 5 }));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await run(argv, { stdout: (t) => void (out += t), stderr: (t) => void (err += t) });
  return { code, out, err };
}

describe('foilopt dataset', () => {
  const base = () => [
    '--n',
    '30',
    '--seed',
    '4',
    '--evaluator',
    'synthetic',
    '--workers',
    '0',
    '--config',
    path.join(tmp, 'cfg.json'),
  ];

  test('generate, shards as jobs, merge, info --json: merged equals the single run', async () => {
    const one = await cli('dataset', ...base(), '--out', path.join(tmp, 'one'), '--json');
    expect(one.code).toBe(0);
    const summary = JSON.parse(one.out);
    expect(summary.totals.cases).toBe(30);
    expect(summary.shards).toBe(3);
    for (const i of [0, 1]) {
      const r = await cli(
        'dataset',
        ...base(),
        '--out',
        path.join(tmp, 'jobs', `job${i}`),
        '--shard',
        `${i}/2`,
      );
      expect(r.code).toBe(0);
      expect(r.out).toMatch(new RegExp(`job ${i}/2 done; merge all jobs`));
    }
    // merge takes the parent directory of the job directories
    const m = await cli('dataset', 'merge', path.join(tmp, 'jobs'), '--out', path.join(tmp, 'merged'));
    expect(m.code).toBe(0);
    expect(m.out).toMatch(/merged 3 shards \(30 cases, 3 copied\)/);
    for (const f of ['manifest.json', 'run.json', 'shard-00000.bin', 'shard-00001.bin', 'shard-00002.bin']) {
      expect(
        fs.readFileSync(path.join(tmp, 'merged', f)).equals(fs.readFileSync(path.join(tmp, 'one', f))),
      ).toBe(true);
    }
    const info = await cli('dataset', 'info', path.join(tmp, 'merged'), '--json');
    expect(info.code).toBe(0);
    const j = JSON.parse(info.out);
    expect(j.status).toBe('complete');
    expect(j.problems).toEqual([]);
    expect(j.totals.cases).toBe(30);
    // synthetic evaluator converges iff |alpha| <= 12
    expect(j.totals.convergenceRate).toBeCloseTo(j.totals.converged / 30, 12);
    expect(j.totals.conditions.alphaDeg[0]).toBeGreaterThanOrEqual(-6);
    const text = await cli('dataset', 'info', path.join(tmp, 'jobs', 'job0'));
    expect(text.out).toMatch(/job outputs of a split run/);
  });

  test('errors are one line and name the problem', async () => {
    fs.writeFileSync(path.join(tmp, 'bad.json'), JSON.stringify({ conditions: { nCrit: [12, 3] } }));
    const bad = await cli(
      'dataset',
      '--n',
      '5',
      '--out',
      path.join(tmp, 'x'),
      '--config',
      path.join(tmp, 'bad.json'),
    );
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(
      /^foilopt: .*bad\.json: invalid dataset config: conditions\.nCrit: min must be <= max.*got \[12,3\]\n$/,
    );
    expect((await cli('dataset', '--n', '5')).err).toMatch(/--out DIR is required/);
    expect((await cli('dataset', 'frobnicate')).err).toMatch(/unknown dataset action 'frobnicate'/);
    expect(
      (await cli('dataset', 'merge', path.join(tmp, 'cfg.json'), '--out', path.join(tmp, 'y'))).err,
    ).toMatch(/cfg\.json: no such dataset directory/);
    expect((await cli('dataset', ...base(), '--out', path.join(tmp, 'z'), '--shard', '2/2')).err).toMatch(
      /job index 2 is out of range/,
    );
    // corrupt shard: info exits 1 with the shard named
    const shard = path.join(tmp, 'one', 'shard-00002.bin');
    const b = fs.readFileSync(shard);
    fs.writeFileSync(shard, b.subarray(0, 200));
    const info = await cli('dataset', 'info', path.join(tmp, 'one'));
    expect(info.code).toBe(1);
    expect(info.err).toMatch(/^foilopt: shard shard-00002\.bin is truncated/);
    expect(info.out).toMatch(/VERIFY FAILED: 1 bad shard/);
  });
});
