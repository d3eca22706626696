/**
 * The optimizer with the real neural operator (src/operator): a small model trained here on the
 * dataset generator's fast analytic 'synthetic' data (the committed pretrained model is not needed),
 * loaded through the optimizer's lazy loader. Checked: the problem's chain-rule gradients with the
 * operator's autodiff (free alpha; fixed CL with the total derivative at constant CL) against
 * central differences of the operator itself, and a multifidelity run whose search phase runs on the
 * operator in worker threads (verification and polish on the solver) with the operator's prediction
 * of the final design reported next to the solver's.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { generateDataset } from '../../src/dataset';
import { trainOperator } from '../../src/operator/train';
import { resolveOptimizeConfig, type OptimizeConfigInput } from '../../src/optimize/config';
import { loadNeuralOperator, OperatorModel } from '../../src/optimize/operator-model';
import { optimize } from '../../src/optimize/run';
import { setupProblem } from '../../src/optimize/setup';

jest.setTimeout(240_000);
let tmp: string;
let modelDir: string;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'foilopt-opt-operator-'));
  await generateDataset({
    out: path.join(tmp, 'data'),
    nCases: 192,
    seed: 11,
    workers: 0,
    evaluator: 'synthetic',
    config: {
      polarPoints: 8,
      casesPerShard: 48,
      conditions: { alphaDeg: [-2, 10], re: [5e5, 2e6], mach: [0, 0.1], forcedTransition: { fraction: 0 } },
    },
  });
  modelDir = path.join(tmp, 'model');
  await trainOperator({
    data: [path.join(tmp, 'data')],
    out: modelDir,
    epochs: 40,
    batchSize: 16,
    learningRate: 1e-2,
    validationFraction: 0.15,
    width: 32,
    depth: 2,
    cpStations: { perSide: 17, packing: 0.5 },
    blStations: { perSide: 9, packing: 0.7 },
  });
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  let n = 0;
  for (let i = 0; i < a.length; i++) {
    d += (a[i] - b[i]) ** 2;
    n += b[i] ** 2;
  }
  return Math.sqrt(d / Math.max(n, 1e-30));
}

async function gradientCheck(input: OptimizeConfigInput) {
  const model = new OperatorModel(await loadNeuralOperator(modelDir), { minConfidence: 0 });
  const { problem } = setupProblem(resolveOptimizeConfig(input), process.cwd());
  const x = Float64Array.from(problem.layout.x0);
  const e = problem.evaluate(x, model, 'model');
  expect(e.ok).toBe(true);
  const fd = new Float64Array(problem.n);
  const fdC = problem.constraints.map(() => new Float64Array(problem.n));
  for (let j = 0; j < problem.n; j++) {
    // float32 network: steps large enough to stay above its rounding
    const h = problem.layout.names[j].startsWith('alpha') ? 1e-2 : 2e-3;
    const xp = Float64Array.from(x);
    const xm = Float64Array.from(x);
    xp[j] += h;
    xm[j] -= h;
    const ep = problem.evaluate(xp, model, 'none');
    const em = problem.evaluate(xm, model, 'none');
    fd[j] = (ep.f - em.f) / (2 * h);
    problem.constraints.forEach((_, k) => (fdC[k][j] = (ep.c[k] - em.c[k]) / (2 * h)));
  }
  return { e, fd, fdC, problem };
}

describe('optimizer + neural operator', () => {
  test('chain-rule gradients with autodiff: free alpha (L/D, Cm) ', async () => {
    const { e, fd, fdC } = await gradientCheck({
      airfoil: 'naca2412',
      parametrization: 'cst:4',
      points: [{ alphaDeg: 4, alphaBoundsDeg: [0, 8], re: 1e6 }],
      constraints: [{ type: 'cm', min: -0.12 }],
      variables: { freeze: ['teThickness'] },
    });
    expect(relErr(e.df!, fd)).toBeLessThan(0.03);
    expect(relErr(e.dc![0], fdC[0])).toBeLessThan(0.03);
  });

  test('chain-rule gradients with autodiff: fixed CL (Cd at constant CL)', async () => {
    const { e, fd } = await gradientCheck({
      airfoil: 'naca2412',
      parametrization: 'cst:4',
      points: [{ cl: 0.6, re: 1e6 }],
      objective: { type: 'minCd' },
      variables: { freeze: ['teThickness'] },
    });
    expect(e.points[0].cl).toBeCloseTo(0.6, 6);
    expect(relErr(e.df!, fd)).toBeLessThan(0.05);
  });

  test('multifidelity: operator search in worker threads, solver verification and polish', async () => {
    const r = await optimize(
      {
        airfoil: 'naca2412',
        parametrization: 'cst:3',
        points: [{ alphaDeg: 3, re: 1e6 }],
        objective: { type: 'maxLD' },
        constraints: [{ type: 'maxThickness', min: 0.12 }],
        variables: { freeze: ['teThickness'] },
        search: { model: 'operator', starts: 2, workers: 2, maxEvaluations: 10, verify: 2 },
        maxEvaluations: 4,
        polarAlphaDeg: [2, 4, 2],
        xfoil: false,
      },
      { modelDir },
    );
    expect(r.models.search).toBe('operator');
    expect(r.models.operatorLoaded).toBe(true);
    expect(r.evaluations.operator).toBeGreaterThan(4);
    expect(r.phases.map((p) => p.name)).toEqual(['search', 'verify', 'polish']);
    expect(r.phases[0].model).toBe('operator');
    // the final design is the solver's; the operator's prediction of it is reported beside it
    expect(r.final!.solver[0].converged).toBe(true);
    expect(r.final!.operator![0].ld).not.toBeNull();
    expect(r.final!.gap![0].ldRelative).toBeCloseTo(
      (r.final!.operator![0].ld! - r.final!.solver[0].ld!) / r.final!.solver[0].ld!,
      10,
    );
    expect(r.warnings.join(' ')).not.toMatch(/operator unavailable/);
  });
});
