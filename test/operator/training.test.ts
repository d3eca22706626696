/**
 * Operator training and persistence on a small dataset (the dataset generator's analytic 'synthetic'
 * evaluator: thin-airfoil lift, flat-plate friction; fast, and smooth enough to learn): a few steps lower the loss, the saved
 * model reloads to identical predictions, --resume continues from the checkpoint, gradients agree
 * with central differences of the model, and no tensor leaks over repeated predictions.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { generateDataset } from '../../src/dataset';
import { prepareAirfoil } from '../../src/flow/analyze';
import { loadAirfoil } from '../../src/geometry/lookup';
import { tf } from '../../src/operator/backend';
import { loadTrainingData } from '../../src/operator/data';
import { DEFAULT_ENCODING } from '../../src/operator/encoding';
import { loadOperator, FORCE_NAMES } from '../../src/operator/predict';
import { trainOperator } from '../../src/operator/train';

jest.setTimeout(120_000);
let tmp: string;
const SMALL = {
  width: 32,
  depth: 2,
  cpStations: { perSide: 17, packing: 0.5 },
  blStations: { perSide: 9, packing: 0.7 },
};

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'foilopt-operator-'));
  await generateDataset({
    out: path.join(tmp, 'data'),
    nCases: 192,
    seed: 5,
    workers: 0,
    evaluator: 'synthetic',
    config: {
      polarPoints: 8,
      casesPerShard: 48,
      conditions: { alphaDeg: [-4, 10], re: [3e5, 3e6], mach: [0, 0.2], forcedTransition: { fraction: 0 } },
    },
  });
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('operator training', () => {
  it('loads datasets into inputs and targets', () => {
    const d = loadTrainingData([path.join(tmp, 'data')], { encoding: DEFAULT_ENCODING, ...SMALL });
    expect(d.n).toBe(192);
    expect(d.nIn).toBe(2 * DEFAULT_ENCODING.modes + 2 + 7);
    // 24 polars of 8 points: 24 groups
    expect(new Set(d.group).size).toBe(24);
    for (let r = 0; r < d.n; r++) {
      const alphaRad = d.inputs[r * d.nIn + 2 * DEFAULT_ENCODING.modes + 2];
      expect(Math.abs(alphaRad)).toBeLessThanOrEqual((10 * Math.PI) / 180 + 1e-6);
      if (!d.converged[r]) continue;
      // synthetic physics: cd = 1.25 * 2 * 0.074 Re^-0.2
      const lnRe = d.inputs[r * d.nIn + 2 * DEFAULT_ENCODING.modes + 3];
      expect(d.targets[r * d.nT + 1]).toBeCloseTo(Math.log(1.25 * 0.148 * Math.exp(-0.2 * lnRe)), 4);
    }
  });

  it('a few steps lower the loss; the model saves, reloads identically and resumes', async () => {
    const out = path.join(tmp, 'model');
    const losses: number[] = [];
    const run = {
      data: [path.join(tmp, 'data')],
      out,
      epochs: 25,
      batchSize: 16,
      learningRate: 3e-3,
      validationFraction: 0.15,
      ...SMALL,
    };
    const r = await trainOperator({ ...run, onEpoch: (e) => losses.push(e.trainLoss) });
    expect(r.finished).toBe(true);
    expect(losses[losses.length - 1]).toBeLessThan(0.6 * losses[0]);
    // reload: identical predictions
    const op = await loadOperator(out);
    const a = prepareAirfoil(loadAirfoil('naca2412'), { panels: 120 });
    const c = { alphaDeg: 3, re: 1e6 };
    const p1 = op.predictForces([a], [c])[0];
    op.dispose();
    const op2 = await loadOperator(out);
    const p2 = op2.predictForces([a], [c])[0];
    expect(p2).toEqual(p1);
    op2.dispose();
    // --resume after the run: nothing left to do, same model
    const again = await trainOperator({ ...run, resume: true });
    expect(again.epochs).toBe(25);
    await expect(trainOperator({ ...run, epochs: 12 })).rejects.toThrow(/holds a training checkpoint/);
  });

  it('resuming an interrupted run gives the same model as an uninterrupted one', async () => {
    const base = {
      data: [path.join(tmp, 'data')],
      epochs: 4,
      batchSize: 16,
      validationFraction: 0.15,
      ...SMALL,
      seed: 3,
    };
    await trainOperator({ ...base, out: path.join(tmp, 'full') });
    const ac = new AbortController();
    let steps = 0;
    await trainOperator({
      ...base,
      out: path.join(tmp, 'part'),
      signal: ac.signal,
      checkpointMinutes: 1e-6,
      onProgress: () => {
        if (++steps === 7) ac.abort();
      },
    });
    const r = await trainOperator({ ...base, out: path.join(tmp, 'part'), resume: true });
    expect(r.finished).toBe(true);
    const w1 = fs.readFileSync(path.join(tmp, 'full', 'weights.bin'));
    const w2 = fs.readFileSync(path.join(tmp, 'part', 'weights.bin'));
    expect(w2.equals(w1)).toBe(true);
  });

  it('gradients agree with central differences of the model; no tensor leak over repeated calls', async () => {
    const op = await loadOperator(path.join(tmp, 'model'));
    const a = prepareAirfoil(loadAirfoil('naca4412'), { panels: 100 });
    const c = { alphaDeg: 2, re: 2e6, mach: 0.1 };
    const g = op.forcesWithGradient(a, c);
    // directional derivative along a smooth y perturbation and along alpha
    const n = a.y.length;
    const dir = Float64Array.from(
      { length: n },
      (_, i) => Math.sin((Math.PI * i) / (n - 1)) * a.x[i] * (1 - a.x[i]),
    );
    const h = 2e-3;
    const at = (s: number) => {
      const y = Float64Array.from(a.y, (v, i) => v + s * dir[i]);
      const f = op.predictForces([{ ...a, y }], [c])[0];
      return { cl: f.cl, cd: f.cd, cm: f.cm, ld: f.cl / f.cd, confidence: f.confidence };
    };
    const p = at(h);
    const m = at(-h);
    for (const name of FORCE_NAMES) {
      const fd = (p[name] - m[name]) / (2 * h);
      const ad = g.dY[name].reduce((s, v, i) => s + v * dir[i], 0);
      expect(Math.abs(fd - ad)).toBeLessThan(0.01 * Math.max(Math.abs(ad), 1e-3) + 2e-4);
    }
    const fa =
      (op.predictForces([a], [{ ...c, alphaDeg: 2.05 }])[0].cl -
        op.predictForces([a], [{ ...c, alphaDeg: 1.95 }])[0].cl) /
      0.1;
    expect(Math.abs(fa - g.dAlphaDeg.cl)).toBeLessThan(0.01 * Math.abs(g.dAlphaDeg.cl) + 1e-4);
    const before = tf.memory().numTensors;
    for (let k = 0; k < 50; k++) {
      op.predictForces([a], [c]);
      op.forcesWithGradient(a, c);
      op.predict(a, { ...c, alphaDeg: [0, 2] });
    }
    expect(tf.memory().numTensors).toBe(before);
    op.dispose();
  });
});

describe('foilopt train (CLI)', () => {
  async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
    const { run } = await import('../../src/cli/main');
    let out = '';
    let err = '';
    const code = await run(argv, { stdout: (t) => void (out += t), stderr: (t) => void (err += t) });
    return { code, out, err };
  }

  it('trains with per-epoch validation lines, writes a model predict can load, and --resume of a finished run trains nothing more', async () => {
    const out = path.join(tmp, 'cli-model');
    const args = [
      'train',
      '--data',
      path.join(tmp, 'data'),
      '--out',
      out,
      '--epochs',
      '2',
      '--width',
      '16',
      '--depth',
      '2',
      '--batch',
      '64',
      '--json',
    ];
    const r = await cli(...args);
    expect(r.code).toBe(0);
    const lines = r.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const epochs = lines.filter((l) => l.epoch !== undefined);
    expect(epochs.map((l) => l.epoch)).toEqual([1, 2]);
    for (const l of epochs) {
      expect(l.validation.cases).toBeGreaterThan(0);
      expect(Number.isFinite(l.validation.clMae)).toBe(true);
      expect(l.trainLoss).toBeGreaterThan(0);
    }
    expect(lines[lines.length - 1].finished).toBe(true);
    expect(fs.existsSync(path.join(out, 'model.json'))).toBe(true);
    const p = await cli('predict', 'naca2412', '--re', '1e6', '--alpha', '2', '--model', out, '--json');
    expect(p.code).toBe(0);
    expect(JSON.parse(p.out).confidence).toBeGreaterThanOrEqual(0);
    const again = await cli(...args, '--resume');
    expect(again.code).toBe(0);
    expect(again.out.split('\n').filter((l) => l.includes('"epoch"'))).toHaveLength(0);
  });

  it('bad input exits 1 with one line', async () => {
    for (const argv of [
      ['train', '--data', path.join(tmp, 'no-such-dir'), '--out', path.join(tmp, 'x')],
      ['train', '--data', path.join(tmp, 'data')],
      ['train', '--data', path.join(tmp, 'data'), '--out', path.join(tmp, 'y'), '--epochs', '0'],
    ]) {
      const r = await cli(...argv);
      expect(r.code).toBe(1);
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.err).toMatch(/^foilopt: /);
    }
  });
});
