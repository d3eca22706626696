/**
 * Polar mode (config.polarPoints = K > 1): K consecutive cases share shape and conditions, their
 * angles are stratified over the range, the solver runs them as one warm-started sweep whose results
 * equal analyze()'s, and the output does not depend on workers or shard splits.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { generateDataset, readDataset } from '../../src/dataset';
import { buildCase, buildPolar, caseContext } from '../../src/dataset/cases';
import { resolveConfig } from '../../src/dataset/config';
import { analyze } from '../../src/flow/analyze';

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'foilopt-polar-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('polar mode', () => {
  const config = resolveConfig({ polarPoints: 6, casesPerShard: 12, chunkCases: 4 });

  it('rounds chunks up to whole polars and rejects shards that would split one', () => {
    expect(config.chunkCases).toBe(6);
    expect(() => resolveConfig({ polarPoints: 5, casesPerShard: 12 })).toThrow(
      /casesPerShard: must be a multiple of polarPoints \(5\)/,
    );
  });

  it('shares shape and conditions inside a polar, stratifies alpha, and differs between polars', () => {
    const ctx = caseContext(config, 9);
    const [lo, hi] = config.conditions.alphaDeg;
    const width = (hi - lo) / 6;
    for (const p of [0, 1, 7]) {
      const cases = buildPolar(ctx, p);
      expect(cases.map((c) => c.index)).toEqual([0, 1, 2, 3, 4, 5].map((j) => 6 * p + j));
      for (const [j, c] of cases.entries()) {
        expect(c.airfoil.y).toEqual(cases[0].airfoil.y);
        const { alphaDeg, ...rest } = c.conditions;
        const { alphaDeg: _a0, ...rest0 } = cases[0].conditions;
        expect(rest).toEqual(rest0);
        expect(alphaDeg).toBeGreaterThanOrEqual(lo + j * width - 1e-5);
        expect(alphaDeg).toBeLessThanOrEqual(lo + (j + 1) * width + 1e-5);
        // buildCase of the same index gives the same case
        const again = buildCase(ctx, c.index);
        expect(again.conditions).toEqual(c.conditions);
        expect(again.airfoil.x).toEqual(c.airfoil.x);
      }
    }
    // the shape of polar p is the shape a one-point dataset draws for case p
    const one = caseContext(resolveConfig({}), 9);
    expect(buildPolar(ctx, 7)[0].airfoil.y).toEqual(buildCase(one, 7).airfoil.y);
    expect(buildPolar(ctx, 7)[0].airfoil.y).not.toEqual(buildPolar(ctx, 8)[0].airfoil.y);
  });

  it('gives the same bytes with workers, shards and the main thread (synthetic evaluator)', async () => {
    const base = { nCases: 36, seed: 4, evaluator: 'synthetic' as const, config };
    const a = await generateDataset({ ...base, out: path.join(tmp, 'a'), workers: 0 });
    await generateDataset({ ...base, out: path.join(tmp, 'b'), workers: 2 });
    await generateDataset({ ...base, out: path.join(tmp, 'c'), workers: 0, shard: { index: 1, count: 3 } });
    for (const f of a.manifest.shards.map((s) => s.file)) {
      expect(fs.readFileSync(path.join(tmp, 'b', f)).equals(fs.readFileSync(path.join(tmp, 'a', f)))).toBe(
        true,
      );
    }
    const f1 = a.manifest.shards[1].file;
    expect(fs.readFileSync(path.join(tmp, 'c', f1)).equals(fs.readFileSync(path.join(tmp, 'a', f1)))).toBe(
      true,
    );
    await expect(
      generateDataset({ ...base, nCases: 40, out: path.join(tmp, 'd'), workers: 0 }),
    ).rejects.toThrow(/multiple of polarPoints \(6\)/);
  });

  it('solves a polar as one warm-started sweep: records equal analyze() on the stored shape', async () => {
    const cfg = {
      polarPoints: 4,
      casesPerShard: 4,
      conditions: {
        alphaDeg: [-2, 6] as [number, number],
        re: [1e6, 2e6] as [number, number],
        mach: [0, 0.1] as [number, number],
        forcedTransition: { fraction: 0 },
      },
    };
    const out = path.join(tmp, 'solver');
    await generateDataset({ out, nCases: 4, seed: 2, workers: 0, config: cfg });
    const d = readDataset(out);
    const cases = [0, 1, 2, 3].map((i) => d.get(i));
    const ctx = caseContext(resolveConfig(cfg), 2);
    const spec = buildPolar(ctx, 0);
    const ref = analyze(
      spec[0].shape.airfoil,
      { ...spec[0].conditions, alphaDeg: spec.map((s) => s.conditions.alphaDeg) },
      { panels: 160 },
    );
    for (let j = 0; j < 4; j++) {
      expect(cases[j].converged).toBe(true);
      expect(cases[j].alphaDeg).toBe(spec[j].conditions.alphaDeg);
      expect(cases[j].cl).toBe(Math.fround(ref[j].cl));
      expect(cases[j].cd).toBe(Math.fround(ref[j].cd));
      expect(cases[j].xtrTop).toBe(Math.fround(ref[j].xtrTop));
    }
    // lift rises with alpha along the polar (attached flow)
    expect(cases[3].cl - cases[0].cl).toBeGreaterThan(0.5);
  });
});
