/**
 * The pretrained operator as a user-facing model: batched force predictions, distributions at any
 * surface points, gradients with respect to node coordinates and alpha, and `predict()` mirroring the
 * solver's `analyze()`. Everything runs in tf.tidy scopes: no tensor outlives a call.
 */
import * as path from 'path';
import { FoiloptError } from '../errors';
import { packageRoot } from '../geometry/lookup';
import { prepareAirfoil } from '../flow/analyze';
import type { Airfoil } from '../geometry/types';
import type { BoundaryLayerSide, PointResult } from '../flow/types';
import { initBackend, tf } from './backend';
import { createEncoder } from './encoders';
import { leadingEdgeIndex, type GeometryEncoding } from './encoding';
import {
  ALPHA_COLUMN,
  ALPHA_FEATURE_PER_DEG,
  encodeConditions,
  encodeRow,
  type OperatorConditions,
} from './features';
import { loadNet, type ModelFile } from './io';
import { OperatorNet } from './model';
import { stationSigma, stationsToPoints, upperFlags } from './stations';

export type { OperatorConditions } from './features';

/** Forces of one evaluation. */
export interface OperatorForces {
  alphaDeg: number;
  cl: number;
  cd: number;
  cm: number;
  /** predicted transition x/c, upper and lower surface */
  xtrTop: number;
  xtrBot: number;
  /** in [0, 1]: that the solver converges here and the input lies inside the training envelope */
  confidence: number;
}

export type ForceName = 'cl' | 'cd' | 'cm' | 'ld' | 'confidence';
export const FORCE_NAMES: ForceName[] = ['cl', 'cd', 'cm', 'ld', 'confidence'];

export interface ForceGradient {
  value: OperatorForces & { ld: number };
  /** d(value[name]) / d(airfoil.x[i]) and d(airfoil.y[i]) for the airfoil's nodes as given */
  dX: Record<ForceName, Float64Array>;
  dY: Record<ForceName, Float64Array>;
  /** d(value[name]) / d(alphaDeg), per degree */
  dAlphaDeg: Record<ForceName, number>;
}

/** Surface distributions at requested points (x/c and surface). */
export interface OperatorDistributions {
  x: Float64Array;
  upper: boolean[];
  cp: Float64Array;
  /** |edge speed| / Vinf from Cp (Karman-Tsien inverted) */
  ue: Float64Array;
  theta: Float64Array;
  h: Float64Array;
  deltaStar: Float64Array;
  cf: Float64Array;
}

/**
 * One operating point of `predict`, shaped like the solver's PointResult (its scalar fields; cdf is
 * integrated from the predicted Cf, cdp = cd - cdf; converged = confidence >= 0.5, the operator's call
 * whether the solver converges here), with no wake in the boundary layer.
 */
export interface OperatorPointResult extends Pick<
  PointResult,
  'alpha' | 'cl' | 'cd' | 'cdp' | 'cdf' | 'cm' | 'xtrTop' | 'xtrBot' | 'converged' | 'residual'
> {
  confidence: number;
  iterations: 0;
  boundaryLayer?: { top: BoundaryLayerSide; bottom: BoundaryLayerSide };
}

/** Default location of the committed pretrained model. */
export function defaultModelDir(): string {
  return process.env.FOILOPT_MODEL ?? path.join(packageRoot(), 'models', 'operator');
}

const confidenceOf = (logit: number) => 0.5 * (1 + Math.tanh(logit / 2));
const clamp01 = (v: number) => Math.min(1, Math.max(0, v));

/** Forces of batch row b from the read-back outputs [cl, lnCd, cm, xtrTop, xtrBot, logit, ...]. */
function forcesAt(v: Float32Array[], b: number, alphaDeg: number): OperatorForces {
  return {
    alphaDeg,
    cl: v[0][b],
    cd: Math.exp(v[1][b]),
    cm: v[2][b],
    xtrTop: clamp01(v[3][b]),
    xtrBot: clamp01(v[4][b]),
    confidence: confidenceOf(v[5][b]),
  };
}

/** Incompressible Cp from a Karman-Tsien Cp at Mach M (inverse of Cp = Cpi / (beta + bfac Cpi)). */
export function incompressibleCp(cp: number, mach: number): number {
  if (!(mach > 0)) return cp;
  const beta = Math.sqrt(1 - mach * mach);
  const bfac = (0.5 * mach * mach) / (1 + beta);
  return (cp * beta) / (1 - bfac * cp);
}

/** Checks an airfoil and conditions; throws a one-line FoiloptError naming what is wrong. */
function checkInput(a: Airfoil, c: OperatorConditions): void {
  if (
    !a ||
    !(a.x instanceof Float64Array || Array.isArray(a.x)) ||
    a.x.length !== a.y.length ||
    a.x.length < 10
  )
    throw new FoiloptError('operator: an airfoil needs x and y arrays of equal length (at least 10 points)');
  for (let i = 0; i < a.x.length; i++)
    if (!Number.isFinite(a.x[i]) || !Number.isFinite(a.y[i]))
      throw new FoiloptError(`operator: airfoil point ${i} is not finite`);
  if (!Number.isFinite(c.alphaDeg))
    throw new FoiloptError(`operator: alphaDeg must be finite, got ${c.alphaDeg}`);
  if (!(c.re > 0) || !Number.isFinite(c.re)) throw new FoiloptError(`operator: re must be > 0, got ${c.re}`);
  const m = c.mach ?? 0;
  if (!(m >= 0 && m < 1)) throw new FoiloptError(`operator: mach must be in [0, 1), got ${m}`);
  const n = c.nCrit ?? 9;
  if (!(n > 0)) throw new FoiloptError(`operator: nCrit must be > 0, got ${n}`);
}

/** The pretrained operator: create with `loadOperator()`. */
export class NeuralOperator {
  readonly encoder: GeometryEncoding;
  private readonly cpStations: Float64Array;
  private readonly blStations: Float64Array;

  constructor(
    readonly net: OperatorNet,
    readonly file: ModelFile,
    readonly dir: string,
  ) {
    net.freeze(); // evaluation only: gradients go to the input rows alone
    this.encoder = createEncoder(net.spec.encoding);
    this.cpStations = stationSigma(net.spec.cpStations);
    this.blStations = stationSigma(net.spec.blStations);
  }

  /** Number of raw input features. */
  get inputs(): number {
    return this.net.nIn;
  }

  /** Raw input rows for (airfoil_i, conditions_i) pairs (one airfoil: shared, encoded once). */
  private rows(airfoils: Airfoil[], conditions: OperatorConditions[]): Float32Array {
    const B = conditions.length;
    if (airfoils.length !== 1 && airfoils.length !== B)
      throw new FoiloptError(`operator: ${airfoils.length} airfoils for ${B} conditions (give 1 or ${B})`);
    const nIn = this.net.nIn;
    const u = new Float32Array(B * nIn);
    const fg = this.encoder.featureCount;
    for (let b = 0; b < B; b++) {
      const a = airfoils.length === 1 ? airfoils[0] : airfoils[b];
      checkInput(a, conditions[b]);
      if (airfoils.length === 1 && b > 0) {
        u.copyWithin(b * nIn, 0, fg);
        encodeConditions(conditions[b], u, b * nIn + fg);
      } else encodeRow(this.encoder, a.x, a.y, conditions[b], u, b * nIn);
    }
    return u;
  }

  /** Forces for many (airfoil_i, conditions_i) pairs, in batches of 8,192. */
  predictForces(airfoils: Airfoil[], conditions: OperatorConditions[]): OperatorForces[] {
    const u = this.rows(airfoils, conditions);
    const nIn = this.net.nIn;
    const out: OperatorForces[] = [];
    const CH = 8192;
    for (let s = 0; s < conditions.length; s += CH) {
      const B = Math.min(CH, conditions.length - s);
      const ts = tf.tidy(() => {
        const o = this.net.forward(tf.tensor2d(u.subarray(s * nIn, (s + B) * nIn), [B, nIn]), false);
        return [o.cl, o.lnCd, o.cm, o.xtrTop, o.xtrBot, o.logit] as tf.Tensor[];
      });
      const v = ts.map((t) => t.dataSync() as Float32Array);
      for (const t of ts) t.dispose();
      for (let b = 0; b < B; b++) out.push(forcesAt(v, b, conditions[s + b].alphaDeg));
    }
    return out;
  }

  /**
   * Values and exact gradients (of the float32 model) of Cl, Cd, Cm, L/D and confidence with respect
   * to the airfoil's node coordinates and alpha: one batched forward and backward pass.
   */
  forcesWithGradient(airfoil: Airfoil, conditions: OperatorConditions): ForceGradient {
    if (!this.encoder.vjp)
      throw new FoiloptError("operator: this model's geometry encoding is not differentiable");
    const row = this.rows([airfoil], [conditions]);
    const nIn = this.net.nIn;
    const K = FORCE_NAMES.length;
    const u5 = new Float32Array(K * nIn);
    for (let k = 0; k < K; k++) u5.set(row, k * nIn);
    const OUT = K + 2; // the five differentiated outputs, then xtrTop, xtrBot (values only)
    const pick = Float32Array.from({ length: K * OUT }, (_, i) => (Math.floor(i / OUT) === i % OUT ? 1 : 0));
    const [valT, gradT] = tf.tidy(() => {
      const u = tf.tensor2d(u5, [K, nIn]);
      const sel = tf.tensor2d(pick, [K, OUT]);
      const outputs = (x: tf.Tensor2D) => {
        const o = this.net.forward(x, false);
        const cd = tf.exp(o.lnCd);
        const conf = tf.mul(0.5, tf.add(1, tf.tanh(tf.mul(0.5, o.logit))));
        return tf.stack([o.cl, cd, o.cm, tf.div(o.cl, cd), conf, o.xtrTop, o.xtrBot], 1) as tf.Tensor2D; // [K, OUT]
      };
      // row k of the batch carries output k: the gradient of the sum is the Jacobian's row k
      const g = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(outputs(x as tf.Tensor2D), sel)) as tf.Scalar)(u);
      return [
        tf.slice(outputs(tf.slice(u, [0, 0], [1, nIn]) as tf.Tensor2D), [0, 0], [1, OUT]),
        g,
      ] as tf.Tensor[];
    });
    const values = valT.dataSync() as Float32Array;
    const grad = gradT.dataSync() as Float32Array;
    valT.dispose();
    gradT.dispose();
    const n = airfoil.x.length;
    const dX = {} as Record<ForceName, Float64Array>;
    const dY = {} as Record<ForceName, Float64Array>;
    const dAlphaDeg = {} as Record<ForceName, number>;
    const fg = this.encoder.featureCount;
    const gf = new Float64Array(fg);
    for (let k = 0; k < K; k++) {
      const name = FORCE_NAMES[k];
      for (let j = 0; j < fg; j++) gf[j] = grad[k * nIn + j];
      dX[name] = new Float64Array(n);
      dY[name] = new Float64Array(n);
      this.encoder.vjp(airfoil.x, airfoil.y, gf, dX[name], dY[name]);
      dAlphaDeg[name] = grad[k * nIn + fg + ALPHA_COLUMN] * ALPHA_FEATURE_PER_DEG;
    }
    return {
      value: {
        alphaDeg: conditions.alphaDeg,
        cl: values[0],
        cd: values[1],
        cm: values[2],
        ld: values[3],
        confidence: values[4],
        xtrTop: clamp01(values[5]),
        xtrBot: clamp01(values[6]),
      },
      dX,
      dY,
      dAlphaDeg,
    };
  }

  /**
   * Distributions at query points for each condition (default: the airfoil's own nodes). The airfoil
   * is used as given (normalized: LE at the origin, chord 1).
   */
  distributions(
    airfoil: Airfoil,
    conditions: OperatorConditions[],
    query?: { x: ArrayLike<number>; upper: ArrayLike<boolean> },
  ): { forces: OperatorForces[]; fields: OperatorDistributions[] } {
    const q = query ?? { x: airfoil.x, upper: upperFlags(airfoil.x) };
    const nq = q.x.length;
    const mCp = stationsToPoints(this.cpStations, q.x, q.upper);
    const mBl = stationsToPoints(this.blStations, q.x, q.upper);
    const u = this.rows([airfoil], conditions);
    const B = conditions.length;
    const nIn = this.net.nIn;
    const ts = tf.tidy(() => {
      const o = this.net.forward(tf.tensor2d(u, [B, nIn]), true);
      const dCp = tf.tensor2d(mCp, [nq, this.cpStations.length]);
      const dBl = tf.tensor2d(mBl, [nq, this.blStations.length]);
      const at = (s: tf.Tensor2D, d: tf.Tensor2D) => tf.matMul(s, tf.transpose(d));
      return [
        o.cl,
        o.lnCd,
        o.cm,
        o.xtrTop,
        o.xtrBot,
        o.logit,
        at(o.cp!, dCp),
        at(o.lnTheta!, dBl),
        at(o.lnH!, dBl),
        at(o.cf1000!, dBl),
      ] as tf.Tensor[];
    });
    const v = ts.map((t) => t.dataSync() as Float32Array);
    for (const t of ts) t.dispose();
    const forces: OperatorForces[] = [];
    const fields: OperatorDistributions[] = [];
    for (let b = 0; b < B; b++) {
      forces.push(forcesAt(v, b, conditions[b].alphaDeg));
      const f: OperatorDistributions = {
        x: Float64Array.from(q.x),
        upper: Array.from(q.upper),
        cp: new Float64Array(nq),
        ue: new Float64Array(nq),
        theta: new Float64Array(nq),
        h: new Float64Array(nq),
        deltaStar: new Float64Array(nq),
        cf: new Float64Array(nq),
      };
      const mach = conditions[b].mach ?? 0;
      for (let j = 0; j < nq; j++) {
        f.cp[j] = v[6][b * nq + j];
        f.ue[j] = Math.sqrt(Math.max(0, 1 - incompressibleCp(f.cp[j], mach)));
        f.theta[j] = Math.exp(v[7][b * nq + j]);
        f.h[j] = Math.exp(v[8][b * nq + j]);
        f.deltaStar[j] = f.h[j] * f.theta[j];
        f.cf[j] = v[9][b * nq + j] / 1000;
      }
      fields.push(f);
    }
    return { forces, fields };
  }

  /**
   * Mirrors flow's analyze(): normalizes and repanels the airfoil like the solver (options.panels,
   * default 160: the points where distributions are returned), then one result per alpha with
   * forces, confidence and (option `distributions`, default true) the distributions at the nodes as
   * boundary-layer sides (top: LE -> upper TE, bottom: LE -> lower TE).
   */
  predict(
    airfoil: Airfoil,
    conditions: Omit<OperatorConditions, 'alphaDeg'> & { alphaDeg: number | number[] },
    options: { distributions?: boolean; panels?: number } = {},
  ): OperatorPointResult[] {
    const alphas = Array.isArray(conditions.alphaDeg) ? conditions.alphaDeg : [conditions.alphaDeg];
    const a = prepareAirfoil(airfoil, { panels: options.panels ?? 160 });
    const conds = alphas.map((alphaDeg) => ({ ...conditions, alphaDeg }));
    const { forces, fields } = this.distributions(a, conds);
    const n = a.x.length;
    const iLe = leadingEdgeIndex(a.x);
    return forces.map((f, b) => {
      const d = fields[b];
      const cdf = frictionDrag(a, d.cf, f.alphaDeg);
      const side = (which: 'top' | 'bottom'): BoundaryLayerSide => {
        const idx =
          which === 'top'
            ? Array.from({ length: iLe + 1 }, (_, k) => iLe - k)
            : Array.from({ length: n - iLe }, (_, k) => iLe + k);
        const pick = (arr: ArrayLike<number>) => Float64Array.from(idx, (i) => arr[i]);
        const xi = new Float64Array(idx.length);
        for (let k = 1; k < idx.length; k++)
          xi[k] = xi[k - 1] + Math.hypot(a.x[idx[k]] - a.x[idx[k - 1]], a.y[idx[k]] - a.y[idx[k - 1]]);
        const xtr = which === 'top' ? f.xtrTop : f.xtrBot;
        return {
          side: which,
          x: pick(a.x),
          y: pick(a.y),
          xi,
          cp: pick(d.cp),
          ue: pick(d.ue),
          deltaStar: pick(d.deltaStar),
          theta: pick(d.theta),
          h: pick(d.h),
          cf: pick(d.cf),
          nAmpOrSqrtCtau: new Float64Array(idx.length).fill(NaN),
          turbulent: Uint8Array.from(idx, (i) => (a.x[i] >= xtr ? 1 : 0)),
        };
      };
      return {
        alpha: f.alphaDeg,
        cl: f.cl,
        cd: f.cd,
        cdp: f.cd - cdf,
        cdf,
        cm: f.cm,
        xtrTop: f.xtrTop,
        xtrBot: f.xtrBot,
        confidence: f.confidence,
        converged: f.confidence >= 0.5,
        iterations: 0 as const,
        residual: NaN,
        boundaryLayer:
          options.distributions === false ? undefined : { top: side('top'), bottom: side('bottom') },
      };
    });
  }

  /**
   * The angle of attack (degrees) at which the operator's Cl equals `cl`: bracketed on a 0.5-degree
   * grid over [-10, 20] (the crossing nearest alpha = 0 on the rising branch), then refined by secant
   * steps to |dCl| < 1e-6. NaN when no crossing exists (beyond the predicted maximum lift).
   */
  alphaForCl(airfoil: Airfoil, conditions: Omit<OperatorConditions, 'alphaDeg'>, cl: number): number {
    const grid = Array.from({ length: 61 }, (_, k) => -10 + 0.5 * k);
    const f = this.predictForces(
      [airfoil],
      grid.map((alphaDeg) => ({ ...conditions, alphaDeg })),
    ).map((p) => p.cl - cl);
    let best = -1;
    for (let k = 0; k + 1 < grid.length; k++)
      if (f[k] <= 0 && f[k + 1] > 0 && (best < 0 || Math.abs(grid[k]) < Math.abs(grid[best]))) best = k;
    if (best < 0) return NaN;
    let a0 = grid[best];
    let a1 = grid[best + 1];
    let f0 = f[best];
    let f1 = f[best + 1];
    for (let it = 0; it < 30 && Math.abs(f1) > 1e-6 && f1 !== f0; it++) {
      const a2 = a1 - (f1 * (a1 - a0)) / (f1 - f0);
      a0 = a1;
      f0 = f1;
      a1 = a2;
      f1 = this.predictForces([airfoil], [{ ...conditions, alphaDeg: a1 }])[0].cl - cl;
    }
    return a1;
  }

  /** Frees the model's tensors (a later loadOperator() of the same directory loads it again). */
  dispose(): void {
    cache.delete(this.dir);
    this.net.dispose();
  }
}

/**
 * Friction drag from a Cf distribution at the nodes: the streamwise component of the wall shear,
 * sum over panels of Cf (panel mean) times the panel's projection on the freestream direction
 * (shear acts along the local flow, downstream of the stagnation point on both sides).
 */
export function frictionDrag(a: Airfoil, cf: ArrayLike<number>, alphaDeg: number): number {
  const ca = Math.cos((alphaDeg * Math.PI) / 180);
  const sa = Math.sin((alphaDeg * Math.PI) / 180);
  let d = 0;
  for (let i = 0; i + 1 < a.x.length; i++) {
    const dx = a.x[i + 1] - a.x[i];
    const dy = a.y[i + 1] - a.y[i];
    const ds = Math.hypot(dx, dy);
    if (ds === 0) continue;
    // unit tangent in the direction of the flow: towards the TE on both sides
    const upper = dx < 0; // node order runs TE -> LE on the upper surface
    const tx = (upper ? -dx : dx) / ds;
    const ty = (upper ? -dy : dy) / ds;
    d += 0.5 * (cf[i] + cf[i + 1]) * ds * (tx * ca + ty * sa);
  }
  return d;
}

const cache = new Map<string, Promise<NeuralOperator>>();

/**
 * Loads a saved operator (default: the committed pretrained model, models/operator, or
 * FOILOPT_MODEL) on the best available tfjs backend. Cached per directory.
 */
export function loadOperator(dir: string = defaultModelDir()): Promise<NeuralOperator> {
  const key = path.resolve(dir);
  let p = cache.get(key);
  if (!p) {
    p = (async () => {
      await initBackend();
      const { net, file } = loadNet(key);
      return new NeuralOperator(net, file, key);
    })();
    cache.set(key, p);
    p.catch(() => cache.delete(key));
  }
  return p;
}
