/** CLI behaviour: help, JSON output, one-line errors with exit code 1 for bad input. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { run } from '../../src/cli/main';
import { readAirfoilFile } from '../../src/geometry/io';

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await run(argv, { stdout: (t) => void (out += t), stderr: (t) => void (err += t) });
  return { code, out, err };
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'foilopt-cli-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('foilopt CLI', () => {
  test('--help lists the commands; each command has --help', async () => {
    const r = await cli('--help');
    expect(r.code).toBe(0);
    for (const c of ['geometry', 'analyze', 'airfoils']) expect(r.out).toContain(c);
    const g = await cli('geometry', '--help');
    expect(g.code).toBe(0);
    expect(g.out).toContain('--fit');
    expect(g.out).toContain('--json');
  });

  test('geometry --json reports NACA 0012 measures and a CST fit', async () => {
    const r = await cli('geometry', 'naca0012', '--fit', 'cst:8', '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.measures.maxThickness).toBeCloseTo(0.12, 3);
    expect(j.measures.maxThicknessX).toBeCloseTo(0.3, 1);
    expect(j.fit.names).toHaveLength(18);
    expect(j.fit.maxDeviation).toBeLessThan(5e-4);
  });

  test('geometry --panels --out writes a Selig file with N nodes that reads back', async () => {
    const out = path.join(tmp, 'e387-160.dat');
    const r = await cli('geometry', 'e387', '--panels', '160', '--out', out);
    expect(r.code).toBe(0);
    const a = readAirfoilFile(out);
    expect(a.x.length).toBe(160);
  });

  test.each([
    ['binary', Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 53) % 256))],
    ['empty', ''],
    ['one line', 'just a name\n'],
    ['huge numbers', 'x\n1 0\n0.5 1e300\n0 0\n0.5 -0.05\n1 0\n'],
  ])('garbage input (%s) gives one line naming the file and exit 1', async (name, content) => {
    const file = path.join(tmp, `${name.replace(' ', '-')}.dat`);
    fs.writeFileSync(file, content);
    const r = await cli('geometry', file);
    expect(r.code).toBe(1);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toContain(file);
    expect(r.err).not.toMatch(/\bat .*\.ts:\d+/); // no stack trace
  });

  test('unknown command, unknown option and bad numbers are one-line errors', async () => {
    for (const argv of [
      ['frobnicate'],
      ['geometry', 'e387', '--bogus'],
      ['geometry', 'e387', '--panels', 'abc'],
      ['geometry', 'nosuchfoil'],
    ]) {
      const r = await cli(...argv);
      expect(r.code).toBe(1);
      expect(r.err.trim().split('\n')).toHaveLength(1);
    }
  });

  test('airfoils --json lists the shipped set with thickness', async () => {
    const r = await cli('airfoils', '--json');
    const list = JSON.parse(r.out) as { name: string; thicknessMax: number }[];
    const names = list.map((a) => a.name);
    for (const n of [
      'naca0012',
      'naca2412',
      'naca4412',
      'e387',
      'sd7037',
      's1223',
      'clarky',
      'dae11',
      'rae2822',
      'ag35',
    ])
      expect(names).toContain(n);
    expect(list.find((a) => a.name === 'naca0012')!.thicknessMax).toBeCloseTo(0.12, 3);
  });
});

describe('foilopt analyze', () => {
  test('--json prints one object per point with exactly the documented keys', async () => {
    const r = await cli('analyze', 'naca0012', '--re', '1e6', '--alpha', '-2:2:2', '--json');
    expect(r.code).toBe(0);
    const lines = r.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.alpha)).toEqual([-2, 0, 2]);
    for (const l of lines) {
      expect(Object.keys(l)).toEqual([
        'alpha',
        'cl',
        'cd',
        'cdp',
        'cdf',
        'cm',
        'xtrTop',
        'xtrBot',
        'converged',
        'iterations',
      ]);
      expect(l.converged).toBe(true);
    }
    // symmetric section: antisymmetric lift, symmetric drag (XFOIL: cd 0.00540 at alpha 0)
    expect(lines[0].cl).toBeCloseTo(-lines[2].cl, 3);
    expect(lines[1].cd).toBeGreaterThan(0.005);
    expect(lines[1].cd).toBeLessThan(0.0058);
  });

  test('the polar table has the XFOIL-style header; bad numbers are one-line errors', async () => {
    const r = await cli('analyze', 'naca0012', '--re', '1e6', '--alpha', '0');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/alpha\s+CL\s+CD\s+CDp\s+CDf\s+CM\s+Top_Xtr\s+Bot_Xtr/);
    for (const argv of [
      ['analyze', 'naca0012', '--re', 'fast', '--alpha', '0'],
      ['analyze', 'naca0012', '--re', '1e6', '--alpha', '0:4:0'],
      ['analyze', 'naca0012', '--re', '1e6', '--alpha', 'x'],
    ]) {
      const e = await cli(...argv);
      expect(e.code).toBe(1);
      expect(e.err.trim().split('\n')).toHaveLength(1);
    }
  });
});

describe('argument parser', () => {
  const { parseArgs } = require('../../src/cli/args') as typeof import('../../src/cli/args');
  test('negative values, --opt=value, variadic last positional', () => {
    const r = parseArgs(
      ['merge', 'a', 'b', 'c', 'd', 'e', '--alpha', '-4:12:1', '--re=1e6'],
      [
        { name: 'alpha', type: 'string', description: '' },
        { name: 're', type: 'number', description: '' },
      ],
      [
        { name: 'action', description: '' },
        { name: 'DIR', description: '', variadic: true, required: false },
      ],
    );
    expect(r.positionals).toEqual(['merge', 'a', 'b', 'c', 'd', 'e']);
    expect(r.options.alpha).toBe('-4:12:1');
    expect(r.options.re).toBe(1e6);
  });
});
