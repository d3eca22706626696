/**
 * What goes into a case: the per-case RNG, the condition distributions, the shape families and the
 * held-out list, config validation, and the mapping of boundary-layer stations onto nodes.
 */
import * as fs from 'fs';
import * as path from 'path';
import { caseRng, STREAM_CONDITIONS, STREAM_SHAPE } from '../../src/dataset/rng';
import { resolveConfig, loadConfigFile } from '../../src/dataset/config';
import { drawConditions, caseContext, buildCase } from '../../src/dataset/cases';
import { ShapeSampler, loadCstTable, loadHoldout, thicknessOk } from '../../src/dataset/shapes';
import { surfaceAtNodes, retrySweep } from '../../src/dataset/evaluate';
import { parseShardSpec } from '../../src/dataset/generate';
import { jobShards } from '../../src/dataset/manifest';
import type { BoundaryLayerSide } from '../../src/flow/types';
import { cst } from '../../src/geometry/param/cst';
import { nacaAirfoil } from '../../src/geometry/param/naca';

const REPO = path.resolve(__dirname, '..', '..');

describe('per-case random streams', () => {
  test('a stream depends only on (seed, index, stream) and streams differ', () => {
    const draw = (s: number, i: number, k: number) =>
      Array.from(
        { length: 5 },
        (
          (r) => () =>
            r.nextUint32()
        )(caseRng(s, i, k)),
      );
    expect(draw(1, 7, STREAM_SHAPE)).toEqual(draw(1, 7, STREAM_SHAPE));
    expect(draw(1, 7, STREAM_SHAPE)).not.toEqual(draw(1, 8, STREAM_SHAPE));
    expect(draw(1, 7, STREAM_SHAPE)).not.toEqual(draw(2, 7, STREAM_SHAPE));
    expect(draw(1, 7, STREAM_SHAPE)).not.toEqual(draw(1, 7, STREAM_CONDITIONS));
    // indices above 2^32 are distinct too
    expect(draw(1, 5, 1)).not.toEqual(draw(1, 5 + 2 ** 32, 1));
  });

  test('uniform draws: mean 1/2, variance 1/12; normal draws: mean 0, variance 1 (N = 20000, 5 sigma bounds)', () => {
    const n = 20000;
    let s = 0;
    let s2 = 0;
    let g = 0;
    let g2 = 0;
    for (let i = 0; i < n; i++) {
      const r = caseRng(3, i, 1);
      const u = r.uniform();
      s += u;
      s2 += u * u;
      const z = r.normal();
      g += z;
      g2 += z * z;
    }
    expect(Math.abs(s / n - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / n));
    expect(Math.abs(s2 / n - (s / n) ** 2 - 1 / 12)).toBeLessThan(0.003);
    expect(Math.abs(g / n)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(g2 / n - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
  });
});

describe('flow conditions', () => {
  test('default ranges: alpha uniform in [-6, 16], Re log-uniform in [5e4, 1e7], Mach in [0, 0.5], Ncrit in [3, 12], 20% tripped', () => {
    const config = resolveConfig({});
    const n = 10000;
    let alphaSum = 0;
    let belowGeoMean = 0;
    let tripped = 0;
    const reMid = Math.sqrt(5e4 * 1e7);
    for (let i = 0; i < n; i++) {
      const { conditions: c, tripped: t } = drawConditions(config, caseRng(5, i, STREAM_CONDITIONS));
      expect(c.alphaDeg).toBeGreaterThanOrEqual(-6);
      expect(c.alphaDeg).toBeLessThanOrEqual(16);
      expect(c.re).toBeGreaterThanOrEqual(Math.fround(5e4));
      expect(c.re).toBeLessThanOrEqual(Math.fround(1e7));
      expect(c.mach).toBeLessThanOrEqual(0.5);
      expect(c.nCrit).toBeGreaterThanOrEqual(3);
      expect(c.nCrit).toBeLessThanOrEqual(12);
      // stored values are float32 exactly
      expect(Math.fround(c.re)).toBe(c.re);
      if (t) {
        tripped++;
        expect(c.xtrTop).toBeGreaterThanOrEqual(0.02);
        expect(c.xtrBot).toBeLessThanOrEqual(0.9);
      } else expect([c.xtrTop, c.xtrBot]).toEqual([1, 1]);
      alphaSum += c.alphaDeg;
      if (c.re < reMid) belowGeoMean++;
    }
    const sigmaFrac = Math.sqrt(0.25 / n);
    expect(Math.abs(alphaSum / n - 5)).toBeLessThan(5 * (22 / Math.sqrt(12 * n)));
    // log-uniform: half of the draws below the geometric mean of the bounds
    expect(Math.abs(belowGeoMean / n - 0.5)).toBeLessThan(5 * sigmaFrac);
    expect(Math.abs(tripped / n - 0.2)).toBeLessThan(5 * Math.sqrt(0.16 / n));
  });

  test('config validation names the field and the reason', () => {
    const bad: [unknown, RegExp][] = [
      [{ conditions: { re: [1e7, 5e4] } }, /conditions\.re: min must be <= max.*got \[10000000,50000\]/],
      [{ conditions: { mach: [0, 1.2] } }, /conditions\.mach: values must lie in \[0, 0\.95\]/],
      [{ panels: 12 }, /panels: Too small.*>=40.*got 12/],
      [{ chunkCases: 2.5 }, /chunkCases: .*expected int.*got 2\.5/],
      [
        { shapes: { mix: { uiucCst: 0, naca4: 0, naca5: 0 } } },
        /shapes\.mix: at least one shape family needs a positive weight/,
      ],
      [{ shapes: { perturbation: { weightSigma: -1 } } }, /shapes\.perturbation\.weightSigma: .*>=0/],
      [
        { conditions: { forcedTransition: { fraction: 2 } } },
        /conditions\.forcedTransition\.fraction: .*<=1/,
      ],
      [{ alpha: [0, 1] }, /top level: unknown field "alpha"/],
      [{ conditions: { alphaDeg: 'x' } }, /conditions\.alphaDeg: .*expected tuple/],
    ];
    for (const [cfg, re] of bad) expect(() => resolveConfig(cfg, 'my.json')).toThrow(re);
    try {
      resolveConfig({ conditions: { re: [1e7, 5e4] } }, 'my.json');
    } catch (e) {
      expect((e as { oneLine(): string }).oneLine()).toMatch(
        /^my\.json: invalid dataset config: conditions\.re:/,
      );
    }
    const file = path.join(REPO, 'test', 'dataset', '.tmp-config.json');
    fs.writeFileSync(file, '{"conditions": {"re": [1e5, 1e6],}}');
    try {
      expect(() => loadConfigFile(file)).toThrow(/not valid JSON/);
    } finally {
      fs.rmSync(file, { force: true });
    }
    // a partial config keeps every other default
    const c = resolveConfig({ conditions: { mach: [0, 0.3] } });
    expect(c.conditions.mach).toEqual([0, 0.3]);
    expect(c.conditions.re).toEqual([5e4, 1e7]);
    expect(c.shapes.mix.uiucCst).toBe(0.7);
  });
});

describe('shapes and the held-out list', () => {
  const holdout = loadHoldout();
  const table = loadCstTable();

  test('the committed table holds CST fits that reproduce the airfoils (e387 fit within 1e-3 chord)', () => {
    expect(table.names.length).toBeGreaterThan(1500);
    expect(table.weightsPerSide).toBe(8);
    const k = table.names.indexOf('e387');
    expect(k).toBeGreaterThanOrEqual(0);
    const p = cst({ weightsPerSide: 8 });
    const a = p.coordinates(table.params.subarray(k * table.nVars, (k + 1) * table.nVars));
    // E387: max thickness 9.07% near x = 0.31 (UIUC coordinates)
    let tMax = 0;
    for (let i = 1; i < 99; i++) tMax = Math.max(tMax, a.y[99 - i] - a.y[99 + i]);
    expect(tMax).toBeCloseTo(0.0907, 2);
  });

  test('held-out list: validation airfoils plus 20 random UIUC names; NACA 0012/2412/4412 and UIUC naca codes', () => {
    for (const n of ['e387', 'sd7037', 's1223', 'clarky', 'dae11', 'n0012', 'naca2412', 'naca4412'])
      expect(holdout.uiuc.has(n)).toBe(true);
    expect(holdout.uiuc.size).toBe(28);
    for (const n of holdout.uiuc) expect(table.names).toContain(n);
    for (const c of ['0012', '2412', '4412']) expect(holdout.naca.has(c)).toBe(true);
  });

  test('no held-out airfoil is ever drawn (30000 shapes, NACA thickness fixed at 12% to provoke 0012/2412/4412)', () => {
    const config = resolveConfig({
      shapes: { nacaThicknessPercent: [12, 12], mix: { uiucCst: 1, naca4: 2, naca5: 0 } },
    });
    const sampler = new ShapeSampler(config);
    expect(sampler.eligible.length).toBe(table.names.length - 28);
    const seen = new Set<string>();
    for (let i = 0; i < 30000; i++) {
      const s = sampler.sample(caseRng(9, i, STREAM_SHAPE));
      seen.add(s.sourceName);
      if (s.family === 'uiuc-cst') expect(holdout.uiuc.has(s.sourceName)).toBe(false);
      else expect(holdout.naca.has(s.sourceName.replace('naca', ''))).toBe(false);
    }
    // the 12% 4-digit family has 1 + 9*9 = 82 codes, 3 held out: all 79 others appear
    expect([...seen].filter((n) => /^naca\d\d12$/.test(n)).length).toBe(79);
  });

  test('perturbed CST shapes stay valid: positive thickness, within bounds; NACA shapes match the formula', () => {
    const config = resolveConfig({});
    const sampler = new ShapeSampler(config);
    let perturbed = 0;
    for (let i = 0; i < 500; i++) {
      const s = sampler.sample(caseRng(4, i, STREAM_SHAPE));
      if (s.family === 'uiuc-cst' && s.perturbed) {
        // (unperturbed fits are the airfoils themselves and are not checked)
        expect(thicknessOk(s.airfoil, 100, 0.002, 0.35)).toBe(true);
        perturbed++;
      } else if (s.family !== 'uiuc-cst') {
        const ref = nacaAirfoil(s.sourceName.replace('naca', ''));
        expect(Array.from(s.airfoil.y)).toEqual(Array.from(ref.y));
      }
    }
    expect(perturbed).toBeGreaterThan(250);
  });

  test('a case holds the repaneled nodes (160, chord 1, counterclockwise from the upper TE)', () => {
    const ctx = caseContext(resolveConfig({}), 1);
    const c = buildCase(ctx, 0);
    const { x, y } = c.airfoil;
    expect(x.length).toBe(160);
    let iLe = 0;
    for (let i = 0; i < 160; i++) if (x[i] < x[iLe]) iLe = i;
    expect(Math.abs(x[iLe])).toBeLessThan(1e-4);
    expect(x[0]).toBeCloseTo(1, 4);
    expect(x[159]).toBeCloseTo(1, 4);
    // counterclockwise: signed area (shoelace) positive
    let area = 0;
    for (let i = 0; i < 160; i++) {
      const j = (i + 1) % 160;
      area += x[i] * y[j] - x[j] * y[i];
    }
    expect(area).toBeGreaterThan(0);
  });
});

describe('batch-system shards', () => {
  test('--shard i/n and auto from Kubernetes / Slurm variables', () => {
    expect(parseShardSpec('1/4')).toEqual({ index: 1, count: 4 });
    expect(parseShardSpec('auto', { JOB_COMPLETION_INDEX: '3', FOILOPT_SHARD_COUNT: '8' })).toEqual({
      index: 3,
      count: 8,
    });
    expect(
      parseShardSpec('auto', {
        SLURM_ARRAY_TASK_ID: '12',
        SLURM_ARRAY_TASK_MIN: '10',
        SLURM_ARRAY_TASK_COUNT: '4',
      }),
    ).toEqual({
      index: 2,
      count: 4,
    });
    expect(() => parseShardSpec('4/4')).toThrow(/job index 4 is out of range for 4 jobs/);
    expect(() => parseShardSpec('auto', {})).toThrow(/JOB_COMPLETION_INDEX/);
    expect(() => parseShardSpec('auto', { JOB_COMPLETION_INDEX: '1' })).toThrow(/FOILOPT_SHARD_COUNT/);
    expect(() => parseShardSpec('x')).toThrow(/expected i\/n/);
  });

  test('jobs cover every shard exactly once, in contiguous blocks', () => {
    for (const [shards, jobs] of [
      [10, 3],
      [3, 5],
      [7, 7],
      [1, 1],
    ]) {
      const all = Array.from({ length: jobs }, (_, i) => jobShards(shards, { index: i, count: jobs })).flat();
      expect(all).toEqual(Array.from({ length: shards }, (_, k) => k));
    }
  });
});

describe('boundary-layer stations onto nodes', () => {
  /** A side holding node values f(j) for the given node indices (downstream order). */
  function side(
    x: Float64Array,
    y: Float64Array,
    nodes: number[],
    name: 'top' | 'bottom',
  ): BoundaryLayerSide {
    const f = (g: (j: number) => number) => Float64Array.from(nodes, g);
    return {
      side: name,
      x: f((j) => x[j]),
      y: f((j) => y[j]),
      xi: f((j) => j),
      cp: f((j) => 1 - j / 100),
      ue: f((j) => j / 10),
      deltaStar: f((j) => 2e-3 * j),
      theta: f((j) => 1e-3 * j),
      h: f(() => 2),
      cf: f((j) => 1e-4 * j),
      nAmpOrSqrtCtau: f((j) => j),
      turbulent: Uint8Array.from(nodes, (j) => j % 2),
    };
  }

  test('top reversed + bottom gives node order; a sharp TE (coincident end nodes) maps each side to its own end node', () => {
    const a = nacaAirfoil('0012', 41, { sharpTrailingEdge: true });
    const n = a.x.length;
    expect(a.x[0]).toBe(a.x[n - 1]);
    expect(a.y[0]).toBeCloseTo(a.y[n - 1], 12);
    a.y[n - 1] = a.y[0]; // exactly coincident
    const stag = 40; // stagnation between nodes 40 and 41
    const top = Array.from({ length: stag + 1 }, (_, k) => stag - k);
    const bottom = Array.from({ length: n - stag - 1 }, (_, k) => stag + 1 + k);
    const s = surfaceAtNodes(a, {
      top: side(a.x, a.y, top, 'top'),
      bottom: side(a.x, a.y, bottom, 'bottom'),
    })!;
    expect(s).not.toBeNull();
    for (let j = 0; j < n; j++) {
      expect(s.cp[j]).toBeCloseTo(1 - j / 100, 12);
      expect(s.theta[j]).toBeCloseTo(1e-3 * j, 15);
      expect(s.turbulent[j]).toBe(j % 2);
    }
    // a station that is not on a node: no surface data
    const off = side(a.x, a.y, bottom, 'bottom');
    off.y[3] += 1e-3;
    expect(surfaceAtNodes(a, { top: side(a.x, a.y, top, 'top'), bottom: off })).toBeNull();
  });

  test('retry sweep: 0 to alpha in equal steps of at most the step', () => {
    expect(retrySweep(14, 4)).toEqual([0, 3.5, 7, 10.5, 14]);
    expect(retrySweep(-3, 4)).toEqual([0, -3]);
  });
});
