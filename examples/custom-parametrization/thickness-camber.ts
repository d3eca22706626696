/**
 * Example of a user-defined parametrization for `foilopt optimize`: the NACA 4-digit thickness form
 * scaled by one variable plus a camber line made of sine modes,
 *
 *   y_t(x) = 5 t (0.2969 sqrt(x) - 0.1260 x - 0.3516 x^2 + 0.2843 x^3 - 0.1015 x^4)
 *   y_c(x) = sum_k c_k sin(k pi x),  k = 1..modes
 *   upper = y_c + y_t,  lower = y_c - y_t  (vertical addition, cosine-spaced x)
 *
 * Variables: t, c1..c_modes. It implements foilopt's Parametrization interface (name, nVars,
 * varNames, lower, upper, initial, coordinates, fit) without `jacobian`: foilopt then takes the
 * Jacobian by finite differences. The config refers to it as
 *   "parametrization": { "module": "./thickness-camber.ts", "export": "ThicknessCamber", "options": { "modes": 4 } }
 * (.ts modules load through tsx; a compiled .js works the same way). Only types come from foilopt.
 */
import type { Airfoil, FitResult, Parametrization } from '../../src';

export interface ThicknessCamberOptions {
  /** number of sine camber modes (default 4) */
  modes?: number;
  /** nodes per surface (default 81) */
  pointsPerSide?: number;
}

const THICKNESS = [0.2969, -0.126, -0.3516, 0.2843, -0.1015];

function thicknessShape(x: number): number {
  const [a0, a1, a2, a3, a4] = THICKNESS;
  return 5 * (a0 * Math.sqrt(x) + x * (a1 + x * (a2 + x * (a3 + x * a4))));
}

export class ThicknessCamber implements Parametrization {
  readonly name = 'thickness-camber';
  readonly nVars: number;
  readonly varNames: string[];
  readonly lower: Float64Array;
  readonly upper: Float64Array;
  private readonly xs: Float64Array;

  constructor(options: ThicknessCamberOptions = {}) {
    const modes = options.modes ?? 4;
    const n = options.pointsPerSide ?? 81;
    if (!Number.isInteger(modes) || modes < 1 || modes > 12)
      throw new Error(`modes must be 1..12, got ${modes}`);
    if (!Number.isInteger(n) || n < 20) throw new Error(`pointsPerSide must be an integer >= 20, got ${n}`);
    this.nVars = 1 + modes;
    this.varNames = ['thickness', ...Array.from({ length: modes }, (_, k) => `camber${k + 1}`)];
    this.lower = Float64Array.from([0.01, ...new Array(modes).fill(-0.1)]);
    this.upper = Float64Array.from([0.4, ...new Array(modes).fill(0.1)]);
    this.xs = Float64Array.from({ length: n }, (_, k) => 0.5 * (1 - Math.cos((Math.PI * k) / (n - 1))));
  }

  initial(): Float64Array {
    const p = new Float64Array(this.nVars);
    p[0] = 0.12;
    return p;
  }

  private camber(p: Float64Array, x: number): number {
    let y = 0;
    for (let k = 1; k < this.nVars; k++) y += p[k] * Math.sin(k * Math.PI * x);
    return y;
  }

  /** Selig order: upper TE -> LE -> lower TE. */
  coordinates(p: Float64Array): Airfoil {
    const n = this.xs.length;
    const x = new Float64Array(2 * n - 1);
    const y = new Float64Array(2 * n - 1);
    for (let k = 0; k < n; k++) {
      const xk = this.xs[k];
      const yt = p[0] * thicknessShape(xk);
      const yc = this.camber(p, xk);
      x[n - 1 - k] = xk;
      y[n - 1 - k] = yc + yt;
      x[n - 1 + k] = xk;
      y[n - 1 + k] = yc - yt;
    }
    return { name: 'thickness-camber', x, y };
  }

  /** Linear least squares on the vertical distances to the target's surfaces (target normalized, chord 1). */
  fit(target: Airfoil): FitResult {
    const { upper, lower } = surfaces(target);
    const m = this.nVars;
    const ata = new Float64Array(m * m);
    const atb = new Float64Array(m);
    const row = new Float64Array(m);
    const add = (b: number) => {
      for (let i = 0; i < m; i++) {
        atb[i] += row[i] * b;
        for (let j = 0; j < m; j++) ata[i * m + j] += row[i] * row[j];
      }
    };
    for (const xk of this.xs) {
      for (const [side, sign] of [
        [upper, 1],
        [lower, -1],
      ] as const) {
        row[0] = sign * thicknessShape(xk);
        for (let k = 1; k < m; k++) row[k] = Math.sin(k * Math.PI * xk);
        add(interpolate(side, xk));
      }
    }
    const p = solve(ata, atb, m);
    const shape = this.coordinates(p);
    let max = 0;
    let sum = 0;
    let count = 0;
    const fitted = surfaces(shape);
    for (const xk of this.xs) {
      for (const [a, b] of [
        [upper, fitted.upper],
        [lower, fitted.lower],
      ]) {
        const d = Math.abs(interpolate(a, xk) - interpolate(b, xk));
        max = Math.max(max, d);
        sum += d * d;
        count++;
      }
    }
    return { params: p, maxDeviation: max, rmsDeviation: Math.sqrt(sum / count) };
  }
}

/** Upper and lower surfaces as (x ascending, y) arrays, split at the node of smallest x. */
function surfaces(a: Airfoil): { upper: [number[], number[]]; lower: [number[], number[]] } {
  let le = 0;
  for (let i = 1; i < a.x.length; i++) if (a.x[i] < a.x[le]) le = i;
  const ux: number[] = [];
  const uy: number[] = [];
  for (let i = le; i >= 0; i--) {
    ux.push(a.x[i]);
    uy.push(a.y[i]);
  }
  const lx: number[] = [];
  const ly: number[] = [];
  for (let i = le; i < a.x.length; i++) {
    lx.push(a.x[i]);
    ly.push(a.y[i]);
  }
  return { upper: [ux, uy], lower: [lx, ly] };
}

function interpolate([xs, ys]: [number[], number[]], x: number): number {
  if (x <= xs[0]) return ys[0];
  for (let i = 1; i < xs.length; i++) {
    if (xs[i] >= x) return ys[i - 1] + ((ys[i] - ys[i - 1]) * (x - xs[i - 1])) / (xs[i] - xs[i - 1] || 1);
  }
  return ys[ys.length - 1];
}

/** Gaussian elimination with partial pivoting (small dense system). */
function solve(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const A = Float64Array.from(a);
  const x = Float64Array.from(b);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(A[r * n + c]) > Math.abs(A[p * n + c])) p = r;
    for (let j = 0; j < n; j++) [A[c * n + j], A[p * n + j]] = [A[p * n + j], A[c * n + j]];
    [x[c], x[p]] = [x[p], x[c]];
    for (let r = c + 1; r < n; r++) {
      const f = A[r * n + c] / A[c * n + c];
      for (let j = c; j < n; j++) A[r * n + j] -= f * A[c * n + j];
      x[r] -= f * x[c];
    }
  }
  for (let c = n - 1; c >= 0; c--) {
    let s = x[c];
    for (let j = c + 1; j < n; j++) s -= A[c * n + j] * x[j];
    x[c] = s / A[c * n + c];
  }
  return x;
}
