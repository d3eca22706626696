/**
 * The committed pretrained operator (models/operator): a loose accuracy floor on held-out airfoils
 * (solver polars in test/fixtures/operator/holdout-sample.json; the full figures are in
 * bench:operator), symmetry by construction, and the predict CLI: XFOIL-style table, JSON with the
 * confidence, one-line errors with exit code 1.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { run } from '../../src/cli/main';
import { loadAirfoil } from '../../src/geometry/lookup';
import { prepareAirfoil } from '../../src/flow/analyze';
import { loadOperator } from '../../src/operator/predict';

jest.setTimeout(60_000);

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await run(argv, { stdout: (t) => void (out += t), stderr: (t) => void (err += t) });
  return { code, out, err };
}

interface SamplePoint {
  airfoil: string;
  re: number;
  mach: number;
  nCrit: number;
  alphaDeg: number;
  cl: number;
  cd: number;
  cm: number;
  xtrTop: number;
  xtrBot: number;
}
const sample = JSON.parse(
  fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'operator', 'holdout-sample.json'), 'utf8'),
).points as SamplePoint[];

describe('committed operator model', () => {
  it('meets a loose accuracy floor on held-out airfoils against the solver', async () => {
    const op = await loadOperator();
    let cl = 0;
    let lncd = 0;
    let cm = 0;
    let xtr = 0;
    for (const p of sample) {
      const [r] = op.predict(
        loadAirfoil(p.airfoil),
        { alphaDeg: p.alphaDeg, re: p.re, mach: p.mach, nCrit: p.nCrit },
        { distributions: false },
      );
      cl += Math.abs(r.cl - p.cl);
      lncd += Math.abs(Math.log(r.cd) - Math.log(p.cd));
      cm += Math.abs(r.cm - p.cm);
      xtr += (Math.abs(r.xtrTop - p.xtrTop) + Math.abs(r.xtrBot - p.xtrBot)) / 2;
      expect(r.confidence).toBeGreaterThan(0.5);
    }
    const n = sample.length;
    expect(n).toBeGreaterThan(30);
    expect(cl / n).toBeLessThan(0.04);
    expect(lncd / n).toBeLessThan(0.1);
    expect(cm / n).toBeLessThan(0.01);
    expect(xtr / n).toBeLessThan(0.06);
  });

  it('is symmetric by construction: NACA 0012 at 0 deg has Cl = Cm = 0; mirror image at -alpha flips', async () => {
    const op = await loadOperator();
    const a = prepareAirfoil(loadAirfoil('naca0012'), { panels: 160 });
    const [f0] = op.predictForces([a], [{ alphaDeg: 0, re: 1e6 }]);
    expect(Math.abs(f0.cl)).toBeLessThan(1e-6);
    expect(Math.abs(f0.cm)).toBeLessThan(1e-6);
    expect(f0.xtrTop).toBeCloseTo(f0.xtrBot, 6);
    const b = prepareAirfoil(loadAirfoil('naca4412'), { panels: 160 });
    const n = b.x.length;
    const m = {
      name: 'mirror',
      x: Float64Array.from(b.x).reverse(),
      y: Float64Array.from(b.y, (v) => -v).reverse(),
    };
    const [p] = op.predictForces([b], [{ alphaDeg: 3, re: 2e6, xtrTop: 0.3 }]);
    const [q] = op.predictForces([m], [{ alphaDeg: -3, re: 2e6, xtrBot: 0.3 }]);
    expect(q.cl).toBeCloseTo(-p.cl, 4);
    expect(q.cm).toBeCloseTo(-p.cm, 4);
    expect(q.cd).toBeCloseTo(p.cd, 5);
    expect(q.xtrBot).toBeCloseTo(p.xtrTop, 4);
    expect(n).toBe(160);
  });

  it('predict prints a table, --json the fields of analyze plus confidence, --bl the distributions', async () => {
    const t = await cli('predict', 'naca2412', '--re', '1e6', '--alpha', '0:4:2');
    expect(t.code).toBe(0);
    expect(t.out).toContain('Operator prediction for');
    expect(t.out).toMatch(/alpha\s+CL\s+CD/);
    const j = await cli('predict', 'naca2412', '--re', '1e6', '--alpha', '0:4:2', '--json');
    expect(j.code).toBe(0);
    const lines = j.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(3);
    for (const k of [
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
      'confidence',
    ])
      expect(lines[0]).toHaveProperty(k);
    expect(lines[2].cl).toBeGreaterThan(lines[0].cl + 0.3);
    const c = await cli('predict', 'naca2412', '--re', '1e6', '--cl', '0.5', '--json');
    const pc = JSON.parse(c.out);
    expect(pc.cl).toBeCloseTo(0.5, 4);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'foilopt-predict-'));
    const b = await cli('predict', 'e387', '--re', '3e5', '--alpha', '2', '--bl', dir);
    expect(b.code).toBe(0);
    const files = fs.readdirSync(dir);
    expect(files).toHaveLength(1);
    const rows = fs
      .readFileSync(path.join(dir, files[0]), 'utf8')
      .split('\n')
      .filter((l) => l && !l.startsWith('#'));
    // analyze's --bl format without the wake: one row per surface node of the prepared airfoil plus
    // the stagnation point, which starts both sides
    expect(rows.length).toBe(prepareAirfoil(loadAirfoil('e387'), { panels: 160 }).x.length + 1);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('bad input exits 1 with one line', async () => {
    for (const argv of [
      ['predict', 'no-such-airfoil.dat', '--re', '1e6'],
      ['predict', 'naca2412', '--alpha', '2'],
      ['predict', 'naca2412', '--re', '1e6', '--alpha', 'x'],
      ['predict', 'naca2412', '--re', '1e6', '--model', '/nonexistent/model'],
    ]) {
      const r = await cli(...argv);
      expect(r.code).toBe(1);
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.err).toMatch(/^foilopt: /);
      expect(r.out).toBe('');
    }
  });
});
