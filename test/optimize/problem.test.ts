/**
 * Problem gradients against central finite differences of converged solver evaluations: the
 * adjoint chain (nodes -> CST parameters, free alpha) for a fixed-alpha L/D objective and a
 * fixed-CL Cd objective with Cm constraints, and the FD gradients of the geometric constraints.
 * Also: the inverse-design mismatch vanishes at the target, rejected shapes are never "ok".
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { resolveOptimizeConfig, type OptimizeConfigInput } from '../../src/optimize/config';
import { setupProblem } from '../../src/optimize/setup';
import { SolverModel } from '../../src/optimize/solver-model';
import { cpMismatch, interpolateSide } from '../../src/optimize/problem';

const solver = new SolverModel({ panels: 160 });

function setup(input: OptimizeConfigInput) {
  return setupProblem(resolveOptimizeConfig(input), process.cwd());
}

/** Relative 2-norm error of a against b. */
function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  let n = 0;
  for (let i = 0; i < a.length; i++) {
    d += (a[i] - b[i]) ** 2;
    n += b[i] ** 2;
  }
  return Math.sqrt(d / n);
}

function fdCheck(input: OptimizeConfigInput, step: (j: number, name: string) => number) {
  const { problem } = setup(input);
  const x = Float64Array.from(problem.layout.x0);
  const e = problem.evaluate(x, solver, 'model');
  expect(e.ok).toBe(true);
  const n = problem.n;
  const fdF = new Float64Array(n);
  const fdC = problem.constraints.map(() => new Float64Array(n));
  for (let j = 0; j < n; j++) {
    const h = step(j, problem.layout.names[j]);
    const xp = Float64Array.from(x);
    const xm = Float64Array.from(x);
    xp[j] += h;
    xm[j] -= h;
    const ep = problem.evaluate(xp, solver, 'none');
    const em = problem.evaluate(xm, solver, 'none');
    expect(ep.ok && em.ok).toBe(true);
    fdF[j] = (ep.f - em.f) / (2 * h);
    problem.constraints.forEach((_, k) => (fdC[k][j] = (ep.c[k] - em.c[k]) / (2 * h)));
  }
  return { problem, e, fdF, fdC };
}

describe('problem gradients (adjoint chain vs central differences)', () => {
  test('max L/D with a free alpha, Cm and geometric constraints (cst:4)', () => {
    const { problem, e, fdF, fdC } = fdCheck(
      {
        airfoil: 'naca2412',
        parametrization: 'cst:4',
        points: [{ alphaDeg: 4, alphaBoundsDeg: [0, 10], re: 1e6 }],
        constraints: [
          { type: 'cm', min: -0.1 },
          { type: 'thickness', x: 0.3, min: 0.12 },
          { type: 'teAngle', minDeg: 5 },
          { type: 'area', min: 0.07 },
        ],
        variables: { freeze: ['teThickness'] },
      },
      (_j, name) => (name.startsWith('alpha') ? 1e-4 : 1e-6),
    );
    expect(problem.layout.names[problem.n - 1]).toMatch(/^alpha/);
    expect(relErr(e.df!, fdF)).toBeLessThan(1e-3);
    problem.constraints.forEach((c, k) => {
      expect([c.name, relErr(e.dc![k], fdC[k])]).toEqual([c.name, expect.any(Number)]);
      expect(relErr(e.dc![k], fdC[k])).toBeLessThan(2e-3);
    });
    // the objective is -L/D: its natural value is the L/D of the point
    expect(e.natural).toBeCloseTo(e.points[0].cl / e.points[0].cd, 8);
  });

  test('min Cd at fixed CL with a Cm constraint (cst:3)', () => {
    const { problem, e, fdF, fdC } = fdCheck(
      {
        airfoil: 'naca2412',
        parametrization: 'cst:3',
        points: [{ cl: 0.6, re: 1e6 }],
        objective: { type: 'minCd' },
        constraints: [{ type: 'cm', min: -0.08 }],
        variables: { freeze: ['teThickness'] },
      },
      () => 1e-6,
    );
    expect(e.points[0].cl).toBeCloseTo(0.6, 7);
    expect(relErr(e.df!, fdF)).toBeLessThan(2e-3);
    expect(relErr(e.dc![0], fdC[0])).toBeLessThan(2e-3);
    expect(problem.worstViolation(e.c)).toBeGreaterThanOrEqual(0);
  });
});

describe('user objective modules', () => {
  test('a module objective (class with options, no gradient) chains through the adjoint', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'foilopt-objmod-'));
    try {
      fs.writeFileSync(
        path.join(dir, 'obj.js'),
        'exports.CdMinusCl = class { constructor(o) { this.k = o.k; this.label = "cd - k cl"; }\n' +
          '  evaluate(p) { return p.reduce((s, q) => s + q.weight * (q.cd - this.k * q.cl * q.cl), 0); } };\n',
      );
      const input: OptimizeConfigInput = {
        airfoil: 'naca2412',
        parametrization: 'cst:3',
        points: [{ alphaDeg: 3, re: 1e6 }],
        objective: { module: './obj.js', export: 'CdMinusCl', options: { k: 0.001 } },
        variables: { freeze: ['teThickness'] },
      };
      const { problem } = setupProblem(resolveOptimizeConfig(input), dir);
      expect(problem.objectiveLabel).toBe('cd - k cl');
      const x = Float64Array.from(problem.layout.x0);
      const e = problem.evaluate(x, solver, 'model');
      const p = e.points[0];
      expect(e.f).toBeCloseTo(p.cd - 0.001 * p.cl * p.cl, 12);
      const fd = new Float64Array(problem.n);
      for (let j = 0; j < problem.n; j++) {
        const xp = Float64Array.from(x);
        const xm = Float64Array.from(x);
        xp[j] += 1e-6;
        xm[j] -= 1e-6;
        fd[j] = (problem.evaluate(xp, solver, 'none').f - problem.evaluate(xm, solver, 'none').f) / 2e-6;
      }
      expect(relErr(e.df!, fd)).toBeLessThan(2e-3);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('problem values', () => {
  test('the inverse-design mismatch is ~0 for the target itself and grows away from it', () => {
    const s = setup({
      airfoil: 'naca4412',
      parametrization: 'cst:8',
      points: [{ alphaDeg: 2, re: 1e6 }],
      objective: { type: 'inverseCp', target: { airfoil: 'naca4412' } },
    });
    const x = Float64Array.from(s.problem.layout.x0);
    const e = s.problem.evaluate(x, solver, 'none');
    expect(e.ok).toBe(true);
    expect(e.f).toBeLessThan(1e-3); // the CST fit of NACA 4412 vs NACA 4412 itself (rms Cp 0.02)
    const x2 = Float64Array.from(x);
    x2[2] += 0.05;
    expect(s.problem.evaluate(x2, solver, 'none').f).toBeGreaterThan(3 * e.f);
    // a Cp distribution compared with itself at its own nodes (away from the stagnation region,
    // where a side wraps around the nose and x is not monotonic)
    const cp = solver.evaluate(s.problem.shapeOf(x), s.problem.pointsOf(x)[0], { cp: true }).cp!;
    const inner = (side: { x: Float64Array; cp: Float64Array }) => {
      const keep = Array.from(side.x, (v, i) => (v > 0.02 && v < 0.99 ? i : -1)).filter((i) => i >= 0);
      return { x: Float64Array.from(keep, (i) => side.x[i]), cp: Float64Array.from(keep, (i) => side.cp[i]) };
    };
    expect(cpMismatch(cp, { point: 0, top: inner(cp.top), bottom: inner(cp.bottom) })).toBeLessThan(1e-20);
  });

  test('interpolateSide is linear between stations and clamps outside', () => {
    const xs = Float64Array.of(0, 0.5, 1);
    const ys = Float64Array.of(1, 2, 4);
    expect(interpolateSide(xs, ys, 0.25)).toBeCloseTo(1.5, 12);
    expect(interpolateSide(xs, ys, 0.75)).toBeCloseTo(3, 12);
    expect(interpolateSide(xs, ys, 2)).toBe(4);
  });

  test('a self-intersecting shape is rejected, not evaluated', () => {
    const { problem } = setup({
      airfoil: 'naca2412',
      parametrization: 'cst:4',
      points: [{ alphaDeg: 2, re: 1e6 }],
      variables: { boxFraction: 1 },
    });
    const x = Float64Array.from(problem.layout.x0);
    // push the lower-surface weights above the upper ones: the surfaces cross
    problem.layout.names.forEach((n, j) => {
      if (n.startsWith('wLower')) x[j] = 0.4;
    });
    const e = problem.evaluate(x, solver, 'model');
    expect(e.ok).toBe(false);
    expect(e.reason).toBe('self-intersecting shape');
  });
});
