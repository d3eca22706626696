/**
 * The operator adapter's own arithmetic, on an analytic stand-in with the operator's interface
 * (closed-form forces of alpha and the node ordinates, exact gradients; not a model of anything):
 * fixed-alpha values and gradients pass through; at a fixed CL the adapter's Newton finds alpha and
 * its gradient is the total derivative at constant CL (checked against finite differences of
 * re-solved fixed-CL evaluations).
 */
import type { Airfoil } from '../../src/geometry/types';
import {
  OperatorModel,
  type NeuralOperatorLike,
  type OperatorConditions,
} from '../../src/optimize/operator-model';

const DEG = Math.PI / 180;

/** cl = 2 pi (alpha + 2 mean(y)) + 0.3 sin(alpha), cd = 0.006 + 0.5 alpha^2 + sum y^2 / n, cm = -0.05 - mean(y). */
function standIn(): NeuralOperatorLike {
  const forces = (a: Airfoil, c: OperatorConditions) => {
    const n = a.y.length;
    let m = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      m += a.y[i] / n;
      s2 += (a.y[i] * a.y[i]) / n;
    }
    const al = c.alphaDeg * DEG;
    const cl = 2 * Math.PI * (al + 2 * m) + 0.3 * Math.sin(al);
    const cd = 0.006 + 0.5 * al * al + s2;
    const cm = -0.05 - m;
    return { n, m, al, cl, cd, cm };
  };
  return {
    predictForces: (as, cs) =>
      cs.map((c, k) => {
        const f = forces(as[Math.min(k, as.length - 1)], c);
        return {
          alphaDeg: c.alphaDeg,
          cl: f.cl,
          cd: f.cd,
          cm: f.cm,
          xtrTop: 0.5,
          xtrBot: 0.6,
          confidence: 0.9,
        };
      }),
    forcesWithGradient: (a, c) => {
      const f = forces(a, c);
      const n = f.n;
      const z = () => new Float64Array(n);
      const dY = { cl: z(), cd: z(), cm: z(), ld: z(), confidence: z() };
      for (let i = 0; i < n; i++) {
        dY.cl[i] = (4 * Math.PI) / n;
        dY.cd[i] = (2 * a.y[i]) / n;
        dY.cm[i] = -1 / n;
        dY.ld[i] = dY.cl[i] / f.cd - (f.cl * dY.cd[i]) / (f.cd * f.cd);
      }
      const dA = {
        cl: (2 * Math.PI + 0.3 * Math.cos(f.al)) * DEG,
        cd: f.al * DEG,
        cm: 0,
        ld: 0,
        confidence: 0,
      };
      dA.ld = dA.cl / f.cd - (f.cl * dA.cd) / (f.cd * f.cd);
      return {
        value: {
          alphaDeg: c.alphaDeg,
          cl: f.cl,
          cd: f.cd,
          cm: f.cm,
          xtrTop: 0.5,
          xtrBot: 0.6,
          confidence: 0.9,
          ld: f.cl / f.cd,
        },
        dX: { cl: z(), cd: z(), cm: z(), ld: z(), confidence: z() },
        dY,
        dAlphaDeg: dA,
      };
    },
    predict: () => [],
    dispose: () => {},
  };
}

const shape: Airfoil = {
  name: 't',
  x: Float64Array.of(1, 0.5, 0, 0.5, 1),
  y: Float64Array.of(0, 0.06, 0, -0.04, 0),
};
const flow = { re: 1e6, mach: 0, nCrit: 9, xtrTop: 1, xtrBot: 1 };

describe('operator adapter', () => {
  test('fixed alpha: values and gradients of the operator', () => {
    const m = new OperatorModel(standIn());
    const r = m.evaluate(shape, { ...flow, alphaDeg: 3 }, { gradients: ['ld', 'cm'] });
    expect(r.converged).toBe(true);
    expect(r.confidence).toBe(0.9);
    expect(r.ld).toBeCloseTo(r.cl / r.cd, 12);
    expect(r.gradients!.cm!.dY[1]).toBeCloseTo(-1 / 5, 12);
    expect(r.gradients!.ld!.dAlphaDeg).not.toBe(0);
  });

  test('fixed CL: alpha by Newton, total derivative at constant CL = FD of re-solved points', () => {
    const m = new OperatorModel(standIn());
    const pt = { ...flow, cl: 0.8 };
    const r = m.evaluate(shape, pt, { gradients: ['cd', 'cm', 'cl'] });
    expect(r.cl).toBeCloseTo(0.8, 9);
    const h = 1e-6;
    for (let i = 0; i < 5; i++) {
      const yp = Float64Array.from(shape.y);
      const ym = Float64Array.from(shape.y);
      yp[i] += h;
      ym[i] -= h;
      const p = m.evaluate({ ...shape, y: yp }, pt);
      const q = m.evaluate({ ...shape, y: ym }, pt);
      expect(r.gradients!.cd!.dY[i]).toBeCloseTo((p.cd - q.cd) / (2 * h), 6);
      expect(r.gradients!.cm!.dY[i]).toBeCloseTo((p.cm - q.cm) / (2 * h), 6);
      expect(r.gradients!.cl!.dY[i]).toBeCloseTo(0, 12);
    }
    expect(r.gradients!.cd!.dAlphaDeg).toBe(0);
  });

  test('low confidence counts as not converged', () => {
    const op = standIn();
    const low: NeuralOperatorLike = {
      ...op,
      predictForces: (a, c) => op.predictForces(a, c).map((f) => ({ ...f, confidence: 0.2 })),
    };
    expect(new OperatorModel(low).evaluate(shape, { ...flow, alphaDeg: 2 }).converged).toBe(false);
  });
});
