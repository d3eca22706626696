/**
 * The optimization problem: design variables (the free parameters of the parametrization and the
 * free angles of attack), the objective and the constraints, evaluated with any AeroModel.
 *
 * Variables. x (raw units) = [free shape parameters..., free alphas (degrees)...]. The optimizer
 * sees z = (x - x0) / s, s = half-width of each variable's box, so every variable moves in about
 * [-1, 1] (SLSQP's and MMA's steps are scale-sensitive).
 *
 * Functions. The optimizer minimizes f (maxLD: the negative weighted mean L/D, ...) scaled by its
 * magnitude at the start; constraints are g <= 0 and h = 0 in raw units (thickness in chord, Cm,
 * degrees), divided by a fixed unit per kind (CONSTRAINT_UNITS) for the optimizer.
 *
 * Gradients (chain rule): model gradients are d/d(node coordinates) and d/d(alpha); the
 * parametrization's Jacobian d(coords)/d(params) (analytic, or FD for plug-ins) takes them to the
 * parameters. Geometric measures (thickness, area, LE radius, TE angle) are cheap: forward
 * differences over the free parameters. The inverse-design objective (Cp match) has no adjoint in
 * src/flow, so its gradient is a forward difference of model evaluations; `gradient: "fd"` uses
 * central differences of the whole evaluation.
 */
import { FoiloptError } from '../errors';
import { findSelfIntersection } from '../geometry/intersect';
import { measureAirfoil, thicknessCamber, type AirfoilMeasures } from '../geometry/measure';
import { jacobianOf } from '../geometry/param/common';
import type { Parametrization } from '../geometry/param/types';
import type { Airfoil } from '../geometry/types';
import type { ConstraintConfig, OptimizeConfig } from './config';
import type { AeroModel, CpDistribution, ModelPoint, OperatingPoint, Quantity } from './model';

/** Units that scale each constraint kind for the optimizer (raw value / unit). */
export const CONSTRAINT_UNITS: Record<ConstraintConfig['type'], number> = {
  thickness: 0.01,
  maxThickness: 0.01,
  area: 0.01,
  leRadius: 0.001,
  teAngle: 1,
  cm: 0.01,
  cl: 0.01,
  clMin: 0.01,
  confidence: 0.1,
};

/** A user objective (module): a function of the per-point forces. */
export interface UserObjective {
  /** value to MINIMIZE from the per-point results (alpha, cl, cd, cm, ld, weight) */
  evaluate(points: readonly PointValues[]): number;
  /** optional analytic partials d(value)/d(cl, cd, cm, alpha) per point; else central differences */
  gradient?(points: readonly PointValues[]): { cl: number; cd: number; cm: number }[];
  /** short label for outputs */
  label?: string;
}

/** Per-point values passed to user objectives. */
export interface PointValues {
  alphaDeg: number;
  cl: number;
  cd: number;
  cm: number;
  ld: number;
  weight: number;
}

/** Target Cp of an inverse design, sampled at stations per side. */
export interface CpTarget {
  point: number;
  top: { x: Float64Array; cp: Float64Array };
  bottom: { x: Float64Array; cp: Float64Array };
}

/** One scalar constraint of the problem. */
export interface ConstraintFn {
  /** label, e.g. "thickness(x=0.33) >= 0.128" */
  name: string;
  kind: 'ineq' | 'eq';
  type: ConstraintConfig['type'];
  /** optimizer scale (raw / unit) */
  unit: number;
  /** design point (model constraints) or -1 (geometric) */
  point: number;
  /** the config entry */
  spec: ConstraintConfig;
  /** lower or upper bound of a two-sided entry */
  side: 'min' | 'max';
}

/** Everything computed at one design vector. */
export interface Evaluation {
  /** the evaluation succeeded: valid shape, every point converged */
  ok: boolean;
  reason?: string;
  /** objective to minimize (raw), its natural value (e.g. L/D), and d(f)/dx (raw variables) */
  f: number;
  natural: number;
  df?: Float64Array;
  /** constraint values in raw units (g <= 0, h = 0; order of Problem.constraints) and gradients */
  c: Float64Array;
  dc?: Float64Array[];
  /** per-point model results (gradients dropped) */
  points: ModelPoint[];
  /** geometric measures of the shape (when computed) */
  measures?: AirfoilMeasures;
}

/** Free variable layout. */
export interface VariableLayout {
  names: string[];
  /** index into the parameter vector, or -1 - point index for a free alpha */
  source: number[];
  x0: Float64Array;
  lower: Float64Array;
  upper: Float64Array;
  /** half-widths: z = (x - x0) / scale */
  scale: Float64Array;
}

export interface ProblemInit {
  config: OptimizeConfig;
  param: Parametrization;
  /** the start parameter vector (the base airfoil's fit) */
  p0: Float64Array;
  /** resolved user objective (module objectives) */
  userObjective?: UserObjective;
  /** resolved Cp target (inverse design) */
  cpTarget?: CpTarget;
}

/** Geometric quantities a constraint needs. */
function needsMeasures(cs: readonly ConstraintConfig[]): boolean {
  return cs.some(
    (c) => c.type === 'maxThickness' || c.type === 'area' || c.type === 'leRadius' || c.type === 'teAngle',
  );
}

/** Linear interpolation of (xs, ys) at xq; xs ascending over the part used (stagnation -> TE). */
export function interpolateSide(xs: Float64Array, ys: Float64Array, xq: number): number {
  const n = xs.length;
  // scan from the TE towards the LE: the first bracket (robust to the stagnation region)
  for (let i = n - 1; i > 0; i--) {
    const a = xs[i - 1];
    const b = xs[i];
    if ((a - xq) * (b - xq) <= 0 && a !== b) return ys[i - 1] + ((ys[i] - ys[i - 1]) * (xq - a)) / (b - a);
  }
  return xq <= xs[0] ? ys[0] : ys[n - 1];
}

/** Mean squared difference of a Cp distribution from the target at the target's stations. */
export function cpMismatch(cp: CpDistribution, target: CpTarget): number {
  let s = 0;
  let n = 0;
  for (const side of ['top', 'bottom'] as const) {
    const t = target[side];
    const m = cp[side];
    for (let k = 0; k < t.x.length; k++) {
      const d = interpolateSide(m.x, m.cp, t.x[k]) - t.cp[k];
      s += d * d;
      n++;
    }
  }
  return s / n;
}

/** The optimization problem (see the module comment). */
export class Problem {
  readonly config: OptimizeConfig;
  readonly param: Parametrization;
  readonly p0: Float64Array;
  readonly layout: VariableLayout;
  readonly constraints: ConstraintFn[] = [];
  readonly points: OperatingPoint[];
  readonly weights: number[];
  private readonly userObjective?: UserObjective;
  readonly cpTarget?: CpTarget;
  private readonly needMeasures: boolean;
  /** label of the objective's natural value ("weighted L/D", "weighted Cd", "Cp mismatch") */
  readonly objectiveLabel: string;
  /** natural = sign * f */
  private readonly naturalSign: number;

  constructor(init: ProblemInit) {
    const { config, param, p0 } = init;
    this.config = config;
    this.param = param;
    this.p0 = Float64Array.from(p0);
    this.userObjective = init.userObjective;
    this.cpTarget = init.cpTarget;
    this.points = config.points.map((p) => ({
      alphaDeg: p.alphaDeg,
      cl: p.cl,
      re: p.re,
      mach: p.mach,
      nCrit: p.nCrit,
      xtrTop: p.xtrTop,
      xtrBot: p.xtrBot,
    }));
    this.weights = config.points.map((p) => p.weight);
    if (!(this.weights.reduce((a, b) => a + b, 0) > 0))
      throw new FoiloptError(
        'invalid optimize config: points: at least one design point needs a positive weight',
      );
    this.layout = buildLayout(config, param, p0);
    this.needMeasures = needsMeasures(config.constraints);
    const o = config.objective;
    if ('module' in o) {
      this.objectiveLabel = init.userObjective?.label ?? `user objective (${o.export})`;
      this.naturalSign = 1;
    } else if (o.type === 'inverseCp') {
      if (!init.cpTarget) throw new Error('inverseCp objective without a resolved target');
      this.objectiveLabel = 'Cp mismatch (mean square)';
      this.naturalSign = 1;
    } else {
      const labels: Record<string, [string, number]> = {
        maxLD: ['weighted L/D', -1],
        minCd: ['weighted Cd', 1],
        maxCl: ['weighted Cl', -1],
        minCm: ['weighted Cm', 1],
        maxCm: ['weighted Cm', -1],
      };
      [this.objectiveLabel, this.naturalSign] = labels[o.type];
    }
    config.constraints.forEach((c) => this.addConstraint(c));
  }

  private addConstraint(c: ConstraintConfig): void {
    const unit = CONSTRAINT_UNITS[c.type];
    const push = (name: string, kind: 'ineq' | 'eq', point = -1, side: 'min' | 'max' = 'min') =>
      this.constraints.push({ name, kind, type: c.type, unit, point, spec: c, side });
    const pts = (p: 'all' | number[]) => (p === 'all' ? this.points.map((_, i) => i) : p);
    const pname = (i: number) => this.config.points[i].name ?? `p${i + 1}`;
    switch (c.type) {
      case 'thickness':
        push(`thickness(x/c=${c.x}) >= ${c.min}`, 'ineq');
        break;
      case 'maxThickness':
        if (c.min !== undefined) push(`max thickness >= ${c.min}`, 'ineq');
        if (c.max !== undefined) push(`max thickness <= ${c.max}`, 'ineq', -1, 'max');
        break;
      case 'area':
        if (c.min !== undefined) push(`area >= ${c.min}`, 'ineq');
        if (c.max !== undefined) push(`area <= ${c.max}`, 'ineq', -1, 'max');
        break;
      case 'leRadius':
        push(`LE radius >= ${c.min}`, 'ineq');
        break;
      case 'teAngle':
        push(`TE angle >= ${c.minDeg} deg`, 'ineq');
        break;
      case 'cm':
        for (const i of pts(c.points)) push(`Cm(${pname(i)}) >= ${c.min}`, 'ineq', i);
        break;
      case 'cl':
        for (const i of pts(c.points))
          if (this.points[i].cl === undefined) push(`Cl(${pname(i)}) = ${c.equals}`, 'eq', i);
        break;
      case 'clMin':
        for (const i of pts(c.points))
          if (this.points[i].cl === undefined) push(`Cl(${pname(i)}) >= ${c.min}`, 'ineq', i);
        break;
      case 'confidence':
        for (const i of pts(c.points)) push(`confidence(${pname(i)}) >= ${c.min}`, 'ineq', i);
        break;
    }
  }

  /** Number of optimizer variables. */
  get n(): number {
    return this.layout.names.length;
  }

  /** x (raw) from z (scaled). */
  toX(z: ArrayLike<number>): Float64Array {
    const L = this.layout;
    const x = new Float64Array(L.x0.length);
    for (let j = 0; j < x.length; j++) x[j] = L.x0[j] + L.scale[j] * z[j];
    return x;
  }

  /** z (scaled) from x (raw). */
  toZ(x: ArrayLike<number>): Float64Array {
    const L = this.layout;
    const z = new Float64Array(L.x0.length);
    for (let j = 0; j < z.length; j++) z[j] = (x[j] - L.x0[j]) / L.scale[j];
    return z;
  }

  /** The full parameter vector of x. */
  paramsOf(x: ArrayLike<number>): Float64Array {
    const p = Float64Array.from(this.p0);
    const src = this.layout.source;
    for (let j = 0; j < src.length; j++) if (src[j] >= 0) p[src[j]] = x[j];
    return p;
  }

  /** The shape of x (node coordinates of the parametrization). */
  shapeOf(x: ArrayLike<number>): Airfoil {
    return this.param.coordinates(this.paramsOf(x));
  }

  /** The operating points of x (free alphas filled in). */
  pointsOf(x: ArrayLike<number>): OperatingPoint[] {
    const pts = this.points.map((p) => ({ ...p }));
    const src = this.layout.source;
    for (let j = 0; j < src.length; j++) if (src[j] < 0) pts[-1 - src[j]].alphaDeg = x[j];
    return pts;
  }

  /** Does constraint k apply with this model (confidence only with the operator)? */
  active(k: number, model: AeroModel): boolean {
    return this.constraints[k].type !== 'confidence' || model.kind === 'operator';
  }

  /** Quantities whose gradients point i needs. */
  private quantitiesAt(i: number): Quantity[] {
    const q = new Set<Quantity>();
    const o = this.config.objective;
    if ('module' in o) ['cl', 'cd', 'cm'].forEach((s) => q.add(s as Quantity));
    else if (o.type === 'maxLD') q.add('ld');
    else if (o.type === 'minCd') q.add('cd');
    else if (o.type === 'maxCl') q.add('cl');
    else if (o.type === 'minCm' || o.type === 'maxCm') q.add('cm');
    for (const c of this.constraints) {
      if (c.point !== i) continue;
      if (c.type === 'cm') q.add('cm');
      else if (c.type === 'cl' || c.type === 'clMin') q.add('cl');
      else if (c.type === 'confidence') q.add('confidence');
    }
    if (this.points[i].cl !== undefined) q.delete('cl');
    return [...q];
  }

  /** Natural value of the objective from f. */
  natural(f: number): number {
    return this.naturalSign * f;
  }

  /** Per-point values for objective formulas. */
  private pointValues(res: ModelPoint[]): PointValues[] {
    return res.map((r, i) => ({
      alphaDeg: r.alphaDeg,
      cl: r.cl,
      cd: r.cd,
      cm: r.cm,
      ld: r.ld,
      weight: this.weights[i],
    }));
  }

  /**
   * The objective f (to minimize) and its partials d f / d(cl, cd, cm, ld) per point (force
   * objectives and user modules; inverse design has its own path).
   */
  private objectiveFromPoints(res: ModelPoint[]): { f: number; partial: Record<Quantity, number>[] } {
    const o = this.config.objective;
    const wSum = this.weights.reduce((a, b) => a + b, 0);
    const zero = (): Record<Quantity, number> => ({ cl: 0, cd: 0, cm: 0, ld: 0, confidence: 0 });
    const partial = res.map(zero);
    if ('module' in o) {
      const u = this.userObjective!;
      const pv = this.pointValues(res);
      const f = u.evaluate(pv);
      if (u.gradient) {
        const g = u.gradient(pv);
        g.forEach((gi, i) => {
          partial[i].cl = gi.cl;
          partial[i].cd = gi.cd;
          partial[i].cm = gi.cm;
        });
      } else {
        for (let i = 0; i < pv.length; i++) {
          for (const q of ['cl', 'cd', 'cm'] as const) {
            const h = 1e-6 * Math.max(Math.abs(pv[i][q]), 1e-3);
            const save = pv[i][q];
            const up = () => {
              pv[i].ld = pv[i].cl / pv[i].cd;
            };
            pv[i][q] = save + h;
            up();
            const fp = u.evaluate(pv);
            pv[i][q] = save - h;
            up();
            const fm = u.evaluate(pv);
            pv[i][q] = save;
            up();
            partial[i][q] = (fp - fm) / (2 * h);
          }
        }
      }
      return { f, partial };
    }
    const key: Record<string, [Quantity, number]> = {
      maxLD: ['ld', -1],
      minCd: ['cd', 1],
      maxCl: ['cl', -1],
      minCm: ['cm', 1],
      maxCm: ['cm', -1],
    };
    const [q, sign] = key[(o as { type: string }).type];
    let f = 0;
    res.forEach((r, i) => {
      const w = (sign * this.weights[i]) / wSum;
      f += w * r[q];
      partial[i][q] = w;
    });
    return { f, partial };
  }

  /** Raw constraint values from the model results and the geometry. */
  private constraintValues(shape: Airfoil, res: ModelPoint[], m: AirfoilMeasures | undefined): Float64Array {
    const out = new Float64Array(this.constraints.length);
    this.constraints.forEach((con, k) => {
      const c = con.spec;
      const r = con.point >= 0 ? res[con.point] : undefined;
      if (con.point >= 0 && !r) return;
      switch (c.type) {
        case 'thickness':
          out[k] = c.min - thicknessCamber(shape, Float64Array.of(c.x)).thickness[0];
          break;
        case 'maxThickness':
          out[k] = con.side === 'min' ? c.min! - m!.maxThickness : m!.maxThickness - c.max!;
          break;
        case 'area':
          out[k] = con.side === 'min' ? c.min! - m!.area : m!.area - c.max!;
          break;
        case 'leRadius':
          out[k] = c.min - m!.leRadius;
          break;
        case 'teAngle':
          out[k] = c.minDeg - m!.teAngleDeg;
          break;
        case 'cm':
          out[k] = c.min - r!.cm;
          break;
        case 'cl':
          out[k] = r!.cl - c.equals;
          break;
        case 'clMin':
          out[k] = c.min - r!.cl;
          break;
        case 'confidence':
          out[k] = c.min - r!.confidence;
          break;
      }
    });
    return out;
  }

  /** Geometric constraint values of a shape (model constraints left 0). */
  private geometricValues(shape: Airfoil): Float64Array {
    const m = this.needMeasures ? measureAirfoil(shape) : undefined;
    const out = this.constraintValues(shape, [], m);
    for (let k = 0; k < out.length; k++) if (this.constraints[k].point >= 0) out[k] = 0;
    return out;
  }

  /**
   * Evaluates the problem at raw x with `model`. `gradient`: 'model' (adjoint/autodiff chain),
   * 'fd' (central differences of the whole evaluation), or 'none'.
   */
  evaluate(x: Float64Array, model: AeroModel, gradient: 'model' | 'fd' | 'none'): Evaluation {
    const base = this.evaluateValues(x, model, gradient === 'model');
    if (!base.ok || gradient === 'none') return base;
    if (gradient === 'fd') return this.withFdGradient(x, model, base);
    return base;
  }

  /** Values (and, with `grad`, model-chain gradients) at x. */
  private evaluateValues(x: Float64Array, model: AeroModel, grad: boolean): Evaluation {
    const nc = this.constraints.length;
    const fail = (reason: string, points: ModelPoint[] = []): Evaluation => ({
      ok: false,
      reason,
      f: NaN,
      natural: NaN,
      c: new Float64Array(nc).fill(NaN),
      points,
    });
    const params = this.paramsOf(x);
    let shape: Airfoil;
    try {
      shape = this.param.coordinates(params);
    } catch (e) {
      return fail(`parametrization failed: ${(e as Error).message}`);
    }
    if (!shape.x.every(Number.isFinite) || !shape.y.every(Number.isFinite))
      return fail('non-finite coordinates');
    if (findSelfIntersection(shape.x, shape.y)) return fail('self-intersecting shape');
    const pts = this.pointsOf(x);
    const res: ModelPoint[] = [];
    const inverse = this.cpTarget;
    for (let i = 0; i < pts.length; i++) {
      const r = model.evaluate(shape, pts[i], {
        gradients: grad ? this.quantitiesAt(i) : [],
        cp: inverse !== undefined && inverse.point === i,
      });
      res.push(r);
      if (!r.converged) {
        const why =
          model.kind === 'solver' ? 'did not converge' : `low confidence ${r.confidence.toFixed(3)}`;
        return fail(`point ${this.config.points[i].name ?? `p${i + 1}`} ${why}`, res.map(stripGradients));
      }
    }
    let measures: AirfoilMeasures | undefined;
    try {
      measures = this.needMeasures ? measureAirfoil(shape) : undefined;
    } catch (e) {
      return fail(`geometry measures failed: ${(e as Error).message}`);
    }
    const c = this.constraintValues(shape, res, measures);
    for (let k = 0; k < nc; k++) if (!this.active(k, model)) c[k] = -1;
    let f: number;
    let partial: Record<Quantity, number>[] | null = null;
    if (inverse) {
      const cp = res[inverse.point].cp;
      if (!cp) return fail('the model returned no Cp distribution');
      f = cpMismatch(cp, inverse);
    } else {
      const o = this.objectiveFromPoints(res);
      f = o.f;
      partial = o.partial;
    }
    if (!Number.isFinite(f)) return fail('non-finite objective', res.map(stripGradients));
    const ev: Evaluation = {
      ok: true,
      f,
      natural: this.natural(f),
      c,
      points: res.map(stripGradients),
      measures,
    };
    if (!grad) return ev;

    // gradients: chain d/d(nodes) through the parametrization Jacobian, alphas directly
    const L = this.layout;
    const nx = L.names.length;
    const jac = jacobianOf(this.param, params);
    const nv = jac.nVars;
    const chain = (dX: Float64Array, dY: Float64Array, out: Float64Array, w: number) => {
      for (let j = 0; j < nx; j++) {
        const pj = L.source[j];
        if (pj < 0) continue;
        let s = 0;
        for (let i = 0; i < jac.nNodes; i++) s += dX[i] * jac.dx[i * nv + pj] + dY[i] * jac.dy[i * nv + pj];
        out[j] += w * s;
      }
    };
    const alphaVar = (i: number) => L.source.indexOf(-1 - i);
    // objective
    const df = new Float64Array(nx);
    if (inverse) {
      this.fdObjectiveGradient(x, model, f, df);
    } else {
      res.forEach((r, i) => {
        for (const q of ['cl', 'cd', 'cm', 'ld', 'confidence'] as Quantity[]) {
          const w = partial![i][q];
          if (w === 0) continue;
          let g = r.gradients?.[q];
          if (!g && q !== 'ld') continue;
          if (!g) {
            // ld from cl, cd
            const gc = r.gradients?.cl;
            const gd = r.gradients?.cd;
            if (!gc || !gd) continue;
            g = combineLd(r, gc, gd);
          }
          chain(g.dX, g.dY, df, w);
          const ja = alphaVar(i);
          if (ja >= 0) df[ja] += w * g.dAlphaDeg;
        }
        if ('module' in this.config.objective && r.gradients?.ld === undefined) {
          // user objectives get cl, cd, cm partials only (ld is derived inside their function)
        }
      });
    }
    // constraints
    const dc: Float64Array[] = [];
    const geomIdx: number[] = [];
    for (let k = 0; k < nc; k++) {
      const con = this.constraints[k];
      const g = new Float64Array(nx);
      dc.push(g);
      if (!this.active(k, model)) continue;
      if (con.point < 0) {
        geomIdx.push(k);
        continue;
      }
      const r = res[con.point];
      const q: Quantity = con.type === 'cm' ? 'cm' : con.type === 'confidence' ? 'confidence' : 'cl';
      const sign = con.type === 'cl' ? 1 : -1;
      const mg = r.gradients?.[q];
      if (!mg) continue;
      chain(mg.dX, mg.dY, g, sign);
      const ja = alphaVar(con.point);
      if (ja >= 0) g[ja] += sign * mg.dAlphaDeg;
    }
    if (geomIdx.length > 0) {
      // forward differences of the geometric measures over the free shape parameters
      for (let j = 0; j < nx; j++) {
        if (L.source[j] < 0) continue;
        const h = 1e-6 * Math.max(1, Math.abs(x[j]));
        const xp = Float64Array.from(x);
        xp[j] += h;
        let cp: Float64Array;
        try {
          cp = this.geometricValues(this.shapeOf(xp));
        } catch {
          continue;
        }
        for (const k of geomIdx) dc[k][j] = (cp[k] - c[k]) / h;
      }
    }
    ev.df = df;
    ev.dc = dc;
    return ev;
  }

  /** Forward differences of the inverse-design objective over the variables (model evaluations). */
  private fdObjectiveGradient(x: Float64Array, model: AeroModel, f0: number, out: Float64Array): void {
    const L = this.layout;
    for (let j = 0; j < out.length; j++) {
      const h = 1e-4 * L.scale[j];
      const xp = Float64Array.from(x);
      xp[j] += h;
      const e = this.evaluateValues(xp, model, false);
      if (!e.ok) {
        const xm = Float64Array.from(x);
        xm[j] -= h;
        const em = this.evaluateValues(xm, model, false);
        out[j] = em.ok ? (f0 - em.f) / h : 0;
      } else {
        out[j] = (e.f - f0) / h;
      }
    }
  }

  /** Central differences of the whole evaluation (gradient "fd"). */
  private withFdGradient(x: Float64Array, model: AeroModel, base: Evaluation): Evaluation {
    const L = this.layout;
    const nx = L.names.length;
    const nc = this.constraints.length;
    const df = new Float64Array(nx);
    const dc = Array.from({ length: nc }, () => new Float64Array(nx));
    for (let j = 0; j < nx; j++) {
      const h = 1e-4 * L.scale[j];
      const xp = Float64Array.from(x);
      const xm = Float64Array.from(x);
      xp[j] += h;
      xm[j] -= h;
      const ep = this.evaluateValues(xp, model, false);
      const em = this.evaluateValues(xm, model, false);
      const [a, b, d] =
        ep.ok && em.ok ? [ep, em, 2 * h] : ep.ok ? [ep, base, h] : em.ok ? [base, em, h] : [base, base, 1];
      df[j] = (a.f - b.f) / d;
      for (let k = 0; k < nc; k++) dc[k][j] = (a.c[k] - b.c[k]) / d;
    }
    return { ...base, df, dc };
  }

  /** Largest constraint violation in raw units (0 when feasible): max(g, |h|). */
  worstViolation(c: Float64Array): number {
    let w = 0;
    for (let k = 0; k < c.length; k++) {
      const v = this.constraints[k].kind === 'eq' ? Math.abs(c[k]) : c[k];
      if (v > w) w = v;
    }
    return w;
  }

  /** Per-point values (for outputs). */
  values(res: ModelPoint[]): PointValues[] {
    return this.pointValues(res);
  }
}

function stripGradients(r: ModelPoint): ModelPoint {
  const { gradients: _g, cp: _c, ...rest } = r;
  return rest;
}

/** d(cl/cd) from d(cl), d(cd). */
function combineLd(
  r: ModelPoint,
  gc: { dX: Float64Array; dY: Float64Array; dAlphaDeg: number },
  gd: { dX: Float64Array; dY: Float64Array; dAlphaDeg: number },
) {
  const a = 1 / r.cd;
  const b = -r.cl / (r.cd * r.cd);
  const n = gc.dX.length;
  const dX = new Float64Array(n);
  const dY = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    dX[i] = a * gc.dX[i] + b * gd.dX[i];
    dY[i] = a * gc.dY[i] + b * gd.dY[i];
  }
  return { dX, dY, dAlphaDeg: a * gc.dAlphaDeg + b * gd.dAlphaDeg };
}

/** Free variables, their boxes and scales. */
function buildLayout(config: OptimizeConfig, param: Parametrization, p0: Float64Array): VariableLayout {
  const v = config.variables;
  for (const name of [...v.freeze, ...Object.keys(v.bounds)]) {
    if (!param.varNames.includes(name))
      throw new FoiloptError(
        `invalid optimize config: variables: unknown variable "${name}" (the parametrization's variables: ${param.varNames.join(', ')})`,
      );
  }
  const names: string[] = [];
  const source: number[] = [];
  const x0: number[] = [];
  const lo: number[] = [];
  const hi: number[] = [];
  for (let j = 0; j < param.nVars; j++) {
    const name = param.varNames[j];
    if (v.freeze.includes(name)) continue;
    let l: number;
    let u: number;
    if (v.bounds[name]) {
      [l, u] = v.bounds[name];
    } else {
      const pl = param.lower[j];
      const pu = param.upper[j];
      const range = Number.isFinite(pl) && Number.isFinite(pu) ? pu - pl : 2 * Math.max(1, Math.abs(p0[j]));
      const hw = v.boxFraction * range;
      l = Math.max(pl, p0[j] - hw);
      u = Math.min(pu, p0[j] + hw);
    }
    if (!(p0[j] >= l && p0[j] <= u))
      throw new FoiloptError(
        `invalid optimize config: variables.bounds.${name}: the start value ${p0[j].toPrecision(6)} lies outside [${l}, ${u}]`,
      );
    if (!(u > l)) continue; // a variable pinned by its bounds
    names.push(name);
    source.push(j);
    x0.push(p0[j]);
    lo.push(l);
    hi.push(u);
  }
  config.points.forEach((p, i) => {
    if (!p.alphaBoundsDeg) return;
    names.push(`alpha(${p.name ?? `p${i + 1}`})`);
    source.push(-1 - i);
    x0.push(p.alphaDeg!);
    lo.push(p.alphaBoundsDeg[0]);
    hi.push(p.alphaBoundsDeg[1]);
  });
  if (names.length === 0)
    throw new FoiloptError('invalid optimize config: variables: every variable is frozen');
  const scale = names.map((_, j) => Math.max(hi[j] - x0[j], x0[j] - lo[j], 1e-12));
  return {
    names,
    source,
    x0: Float64Array.from(x0),
    lower: Float64Array.from(lo),
    upper: Float64Array.from(hi),
    scale: Float64Array.from(scale),
  };
}
