/**
 * A whole optimization run with the solver (small: cst:3, one design point, a few evaluations):
 * the result improves the objective, every constraint holds on the solver, the files are written
 * and consistent (optimized.dat re-analyzed gives the reported L/D), the HTML escapes user strings,
 * and a run interrupted mid-way then resumed ends exactly where an uninterrupted run ends.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { analyze } from '../../src/flow/analyze';
import { readAirfoilFile } from '../../src/geometry/io';
import type { OptimizeConfigInput } from '../../src/optimize/config';
import { optimize } from '../../src/optimize/run';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'foilopt-opt-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const config: OptimizeConfigInput = {
  name: 'test <script>alert(1)</script>',
  airfoil: 'naca2412',
  parametrization: 'cst:3',
  points: [{ name: 'cruise', alphaDeg: 3, re: 1e6 }],
  objective: { type: 'maxLD' },
  constraints: [
    { type: 'maxThickness', min: 0.12 },
    { type: 'cm', min: -0.09 },
  ],
  variables: { freeze: ['teThickness'] },
  strategy: 'single',
  model: 'solver',
  search: { starts: 1 },
  maxEvaluations: 8,
  panels: 100,
  polarAlphaDeg: [0, 4, 2],
  xfoil: false,
};

jest.setTimeout(180_000);

describe('optimize run (solver)', () => {
  let first: Awaited<ReturnType<typeof optimize>>;
  const dirA = path.join(tmp, 'a');

  test('improves L/D within the constraints and writes the run directory', async () => {
    const seen: number[] = [];
    first = await optimize(config, {
      outDir: dirA,
      operator: null,
      onIteration: (i) => seen.push(i.evaluation),
    });
    expect(first.status).toBe('optimized');
    expect(first.objective.ratio!).toBeGreaterThan(1.01);
    for (const c of first.final!.constraints) expect(c.margin!).toBeGreaterThanOrEqual(-1e-5);
    expect(seen.length).toBeGreaterThan(3);
    for (const f of [
      'result.json',
      'optimized.dat',
      'baseline.dat',
      'history.jsonl',
      'analysis.json',
      'report.html',
      'checkpoint.json',
    ])
      expect(fs.existsSync(path.join(dirA, f))).toBe(true);
    const result = JSON.parse(fs.readFileSync(path.join(dirA, 'result.json'), 'utf8'));
    expect(result.final.objective).toBe(first.final!.objective);
    const history = fs
      .readFileSync(path.join(dirA, 'history.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(history.length).toBe(seen.length);
    expect(history[0].phase).toBe('baseline');
    // the written shape, analyzed afresh, has the reported L/D (8-decimal coordinates)
    const dat = readAirfoilFile(path.join(dirA, 'optimized.dat'));
    // (the optimizer's solves allow 100 Newton iterations, as the adjoint's do)
    const p = analyze(dat, { re: 1e6, alphaDeg: 3 }, { maxIterations: 100, panels: 100 })[0];
    expect(p.converged).toBe(true);
    expect(Math.abs(p.cl / p.cd - first.final!.objective!) / first.final!.objective!).toBeLessThan(1e-4);
    // analysis.json: distributions and polars of both shapes
    const an = JSON.parse(fs.readFileSync(path.join(dirA, 'analysis.json'), 'utf8'));
    expect(an.final.points[0].boundaryLayer.top.cp.length).toBeGreaterThan(20);
    expect(an.baseline.polars[0].points.map((q: { alpha: number }) => q.alpha)).toEqual([0, 2, 4]);
    const html = fs.readFileSync(path.join(dirA, 'report.html'), 'utf8');
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;');
  });

  test('interrupted, then --resume: the same final design as the uninterrupted run', async () => {
    const dirB = path.join(tmp, 'b');
    const ac = new AbortController();
    const r1 = await optimize(config, {
      outDir: dirB,
      operator: null,
      signal: ac.signal,
      onIteration: (i) => {
        if (i.phase !== 'baseline' && i.evaluation >= 4) ac.abort();
      },
    });
    expect(r1.status).toBe('interrupted');
    expect(JSON.parse(fs.readFileSync(path.join(dirB, 'checkpoint.json'), 'utf8')).status).toBe(
      'interrupted',
    );
    await expect(optimize(config, { outDir: dirB, operator: null })).rejects.toThrow(/unfinished run/);
    const r2 = await optimize(config, { outDir: dirB, resume: true, operator: null });
    expect(r2.status).toBe('optimized');
    expect(r2.evaluations.replayed).toBeGreaterThan(3);
    expect(fs.readFileSync(path.join(dirB, 'optimized.dat'), 'utf8')).toBe(
      fs.readFileSync(path.join(dirA, 'optimized.dat'), 'utf8'),
    );
    expect(r2.final!.objective).toBe(first.final!.objective);
    expect(r2.final!.variables).toEqual(first.final!.variables);
  });
});
