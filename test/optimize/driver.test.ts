/**
 * nlopt-js drivers on analytic problems with known optima: every algorithm (SLSQP, MMA, CCSAQ,
 * COBYLA, L-BFGS in the augmented Lagrangian) finds min (x-1)^2 + (y-2)^2 s.t. x + y <= 2 (optimum
 * (0.5, 1.5)) and an equality-constrained problem; failed evaluations are penalized, never returned.
 */
import { loadNlopt, runLocal, type LocalProblem, type ScaledEval } from '../../src/optimize/driver';
import { ALGORITHMS } from '../../src/optimize/config';

function quadratic(
  opts: { failRegion?: (x: Float64Array) => boolean; eq?: boolean } = {},
): LocalProblem & { calls: number } {
  const p = {
    n: 2,
    nIneq: opts.eq ? 0 : 1,
    nEq: opts.eq ? 1 : 0,
    lower: Float64Array.of(-5, -5),
    upper: Float64Array.of(5, 5),
    calls: 0,
    evaluate(z: Float64Array, grad: boolean): ScaledEval {
      p.calls++;
      const [x, y] = z;
      const c = x + y - 2;
      const e: ScaledEval = {
        ok: !(opts.failRegion?.(z) ?? false),
        f: (x - 1) ** 2 + (y - 2) ** 2,
        g: opts.eq ? new Float64Array(0) : Float64Array.of(c),
        h: opts.eq ? Float64Array.of(c) : new Float64Array(0),
        violation: opts.eq ? Math.abs(c) : Math.max(0, c),
      };
      if (grad) {
        e.df = Float64Array.of(2 * (x - 1), 2 * (y - 2));
        const dc = [Float64Array.of(1, 1)];
        if (opts.eq) {
          e.dh = dc;
          e.dg = [];
        } else {
          e.dg = dc;
          e.dh = [];
        }
      }
      return e;
    },
  };
  return p;
}

const options = (algorithm: (typeof ALGORITHMS)[number]) => ({
  algorithm,
  maxEvaluations: algorithm === 'cobyla' ? 400 : 200,
  tolerance: 1e-10,
  constraintTolerance: 1e-6,
  nloptConstraintTolerance: Float64Array.of(1e-8),
});

describe('local drivers', () => {
  test('importing nlopt-js leaves no process-wide error handlers behind', async () => {
    const before = [
      process.listeners('uncaughtException').length,
      process.listeners('unhandledRejection').length,
    ];
    await loadNlopt();
    expect([
      process.listeners('uncaughtException').length,
      process.listeners('unhandledRejection').length,
    ]).toEqual(before);
  });

  test.each(ALGORITHMS)('%s finds the constrained optimum (0.5, 1.5)', async (alg) => {
    const r = await runLocal(quadratic(), Float64Array.of(0, 0), options(alg));
    expect(r.feasible).toBe(true);
    const tol = alg === 'cobyla' ? 1e-3 : 1e-4;
    expect(Math.abs(r.z[0] - 0.5)).toBeLessThan(tol);
    expect(Math.abs(r.z[1] - 1.5)).toBeLessThan(tol);
    expect(r.best!.f).toBeCloseTo(0.5, 3);
  });

  test.each(['slsqp', 'lbfgs'] as const)('%s handles an equality constraint', async (alg) => {
    const r = await runLocal(quadratic({ eq: true }), Float64Array.of(3, -3), options(alg));
    expect(r.feasible).toBe(true);
    expect(r.z[0] + r.z[1]).toBeCloseTo(2, 5);
    expect(r.z[0]).toBeCloseTo(0.5, 3);
  });

  test('failed evaluations are penalized and never returned as the best point', async () => {
    // the region x > 0.9 "does not converge": the optimum (0.5, 1.5) is still reachable
    const prob = quadratic({ failRegion: (z) => z[0] > 0.9 });
    const r = await runLocal(prob, Float64Array.of(0, 0), options('slsqp'));
    expect(r.best!.ok).toBe(true);
    expect(r.z[0]).toBeLessThanOrEqual(0.9);
    expect(r.feasible).toBe(true);
    expect(r.z[0]).toBeCloseTo(0.5, 3);
  });

  test('evaluation limit and stop requests end the run with the best point so far', async () => {
    const prob = quadratic();
    const r = await runLocal(prob, Float64Array.of(-4, -4), { ...options('slsqp'), maxEvaluations: 3 });
    expect(r.evaluations).toBe(3);
    expect(r.stop).toBe('evaluation limit');
    let n = 0;
    const r2 = await runLocal(prob, Float64Array.of(-4, -4), {
      ...options('mma'),
      shouldStop: () => (++n > 4 ? 'interrupted' : null),
    });
    expect(r2.stop).toBe('interrupted');
    expect(r2.evaluations).toBe(4);
    expect(r2.best).not.toBeNull();
  });
});
