/**
 * A user-defined shape parametrization, worked end to end:
 *
 *   1. implement the Parametrization interface (no analytic Jacobian: finite differences are used),
 *   2. register it under a name so that specs ("scaled-camber", e.g. `--fit scaled-camber`) find it,
 *   3. fit it to the E387 airfoil and look at the fit and at its (finite-difference) Jacobian.
 *
 * The family: a symmetric base airfoil (NACA 0012, sharp TE) with its thickness scaled by s, plus a
 * camber polynomial that vanishes at the LE and the TE:
 *   y_i = s * y0_i + x_i (1 - x_i) (c1 + c2 x_i + c3 x_i^2),   x_i = x0_i (nodes keep their x)
 * 4 variables: s, c1, c2, c3.
 *
 * Run: npx tsx examples/custom-parametrization.ts
 */
import { loadAirfoil } from '../src/geometry/lookup';
import {
  fitByDistance,
  fitFrame,
  jacobianOf,
  nacaAirfoil,
  parametrizationFromSpec,
  registerParametrization,
  type CoordinateJacobian,
  type FitResult,
  type Parametrization,
} from '../src/geometry/param';
import type { Airfoil } from '../src/geometry/types';

/** Thickness-scaled symmetric base airfoil plus a cubic camber polynomial (see the file comment). */
class ScaledCamberParametrization implements Parametrization {
  readonly name = 'scaled-camber';
  readonly nVars = 4;
  readonly varNames = ['thicknessScale', 'c1', 'c2', 'c3'] as const;
  readonly lower = Float64Array.from([0.2, -1, -2, -2]);
  readonly upper = Float64Array.from([3, 1, 2, 2]);
  private readonly base: Airfoil;

  constructor(base: Airfoil = nacaAirfoil('0012', 100, { sharpTrailingEdge: true })) {
    this.base = base;
  }

  /** The base airfoil itself. */
  initial(): Float64Array {
    return Float64Array.from([1, 0, 0, 0]);
  }

  /** Same node count and order as the base (Selig order, LE once). */
  coordinates(params: Float64Array): Airfoil {
    const [s, c1, c2, c3] = params;
    const x = Float64Array.from(this.base.x);
    const y = new Float64Array(x.length);
    for (let i = 0; i < x.length; i++) {
      const xi = x[i];
      y[i] = s * this.base.y[i] + xi * (1 - xi) * (c1 + xi * (c2 + xi * c3));
    }
    return { name: 'scaled-camber', x, y, source: 'examples/custom-parametrization.ts' };
  }

  // no jacobian(): jacobianOf() falls back to central differences (jacobianFD)

  /** Geometric least-squares fit with the library's generic fitter (uses jacobianOf -> FD). */
  fit(target: Airfoil): FitResult {
    return fitByDistance(this, fitFrame(target), this.initial(), { align: true });
  }
}

registerParametrization('scaled-camber', () => new ScaledCamberParametrization());

function main(): void {
  const p = parametrizationFromSpec('scaled-camber');
  const e387 = loadAirfoil('e387');
  const t0 = Date.now();
  const r = p.fit(e387);
  const ms = Date.now() - t0;
  console.log(`fitted "${p.name}" to ${e387.name} (${e387.x.length} nodes) in ${ms} ms`);
  p.varNames.forEach((name, j) => console.log(`  ${name.padEnd(15)} ${r.params[j].toFixed(6)}`));
  console.log(
    `  max deviation ${r.maxDeviation.toExponential(3)}, rms ${r.rmsDeviation.toExponential(3)} (chord units)`,
  );

  // the same fit with the built-in CST, for comparison
  const c = parametrizationFromSpec('cst:8').fit(e387);
  console.log(`  (cst:8 for comparison: max ${c.maxDeviation.toExponential(3)})`);

  // the finite-difference Jacobian at the fitted parameters; the camber columns are exact here
  // because y is linear in c1..c3: d y_i / d c1 = x_i (1 - x_i)
  const jac: CoordinateJacobian = jacobianOf(p, r.params);
  const shape = p.coordinates(r.params);
  let err = 0;
  for (let i = 0; i < jac.nNodes; i++) {
    const xi = shape.x[i];
    err = Math.max(err, Math.abs(jac.dy[i * jac.nVars + 1] - xi * (1 - xi)));
  }
  console.log(
    `  FD Jacobian ${jac.nNodes} nodes x ${jac.nVars} variables; max |dy/dc1 - x(1-x)| = ${err.toExponential(2)}`,
  );
  const mid = (jac.nNodes - 1) / 2 - 30; // an upper-surface node
  console.log(
    `  at node ${mid} (x = ${shape.x[mid].toFixed(4)}): dy/d(${p.varNames.join(', ')}) =`,
    Array.from(jac.dy.subarray(mid * jac.nVars, (mid + 1) * jac.nVars), (v) => v.toFixed(5)).join(', '),
  );
}

main();
