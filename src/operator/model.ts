/**
 * The geometry-informed neural operator, composed of named stages:
 *
 *   surface points ──ContourSampler──► thickness / camber on a psi grid ──SpectralEncoder──► modes   (encoding.ts, plain JS)
 *   alpha, Re, M, Ncrit, trips ──ConditionEncoder──► condition features                            (features.ts)
 *   [modes, conditions] ──MirrorPair──► (input, mirrored input) ──InputNormalization──► ResidualTrunk
 *        ├─► ForceHead: Cl, ln Cd, Cm, x_tr upper / lower, confidence logit (minus the Mahalanobis
 *        │   distance of the input from the training data: ConfidencePrior)
 *        └─► FieldHead: PressureHead (Cp at the Cp stations from q = cos(a) q0 + sin(a) q90 + dq, Karman-
 *            Tsien) and ln theta, ln H, 1000 Cf at the boundary-layer stations
 *   MirrorPair un-mirrors the second half (Cl, Cm negate, sides swap) and averages: symmetric by
 *   construction (a symmetric airfoil at alpha = 0 gives Cl = Cm = 0 exactly)
 *   StationDecoder: stations ──linear interpolation in sigma──► any requested surface points     (stations.ts)
 *
 * This file holds the tfjs part (everything after the features); the model's spec (sizes and the
 * data statistics it was trained with) is plain JSON saved beside the weights (io.ts).
 */
import { tf } from './backend';
import { DEFAULT_ENCODING, geometryFeatureCount, type EncodingSpec } from './encoding';
import { createEncoder, inputMirror } from './encoders';
import { CONDITION_FEATURES } from './features';
import { Dense, InitRng, matMulConst, ParamStore, ResidualTrunk } from './layers';
import type { StationSpec } from './stations';

/** Force outputs in the order of the force head (latent columns 0..4; column 5 is the confidence logit). */
export const FORCE_OUTPUTS = ['cl', 'lnCd', 'cm', 'xtrTop', 'xtrBot'] as const;
/** Field outputs: Cp on the Cp stations; the rest on the boundary-layer stations. */
export const FIELD_OUTPUTS = ['cp', 'lnTheta', 'lnH', 'cf1000'] as const;

/** Everything that defines a model apart from its weights (saved as model.json). */
export interface OperatorSpec {
  format: 'foilopt-operator';
  version: 1;
  encoding: EncodingSpec;
  cpStations: StationSpec;
  blStations: StationSpec;
  width: number;
  depth: number;
  /** mean and standard deviation of every raw input feature over the training set */
  inputMean: number[];
  inputStd: number[];
  /**
   * GeometryProjection: principal directions of the raw geometry features over the training shapes,
   * whitened ([geometry features x components], row-major: z = (g - inputMean) B); components whose
   * standard deviation is below geometryFloor (chord units) are dropped, so shape details the training
   * shapes never vary (and paneling noise) do not reach the network
   */
  geometryBasis: number[];
  geometryComponents: number;
  geometryFloor: number;
  /** mean and standard deviation of every latent target (forces then fields) over converged cases */
  targetMean: number[];
  targetStd: number[];
  /** precision matrix (normalized inputs x normalized inputs, row-major) of the training inputs */
  precision: number[];
  /**
   * confidence logit is reduced by (d^2 + r^2) / (2 * priorScale): d the Mahalanobis distance of the
   * normalized input, r the part of the geometry features outside the retained principal directions
   * in units of geometryFloor (what the projection drops: a shape unlike every training shape)
   */
  priorScale: number;
  /** seed of the initial weights */
  seed: number;
}

/** Raw input row length: geometry features, then condition features. */
export function inputCount(spec: Pick<OperatorSpec, 'encoding'>): number {
  return geometryFeatureCount(spec.encoding) + CONDITION_FEATURES.length;
}

/** Normalized input length (what the trunk sees): geometry components, then condition features. */
export function normalizedCount(spec: Pick<OperatorSpec, 'geometryComponents'>): number {
  return spec.geometryComponents + CONDITION_FEATURES.length;
}

export function stationCount(s: StationSpec): number {
  return 2 * s.perSide - 1;
}

/** Latent target columns: 5 forces, then fields (cp: Scp, then 3 x Sbl). The logit is separate. */
export function targetCount(spec: Pick<OperatorSpec, 'cpStations' | 'blStations'>): number {
  return FORCE_OUTPUTS.length + stationCount(spec.cpStations) + 3 * stationCount(spec.blStations);
}

/** Default architecture (sizes measured in bench/operator.ts and docs/operator.md). */
export const DEFAULT_ARCHITECTURE = {
  encoding: DEFAULT_ENCODING,
  cpStations: { perSide: 65, packing: 0.4 },
  blStations: { perSide: 41, packing: 0.7 },
  width: 256,
  depth: 4,
};

/** Largest surface speed |q| / Vinf of the PressureHead (Cp_inc >= 1 - Q_MAX^2 = -35). */
export const Q_MAX = 6;

/** Outputs of a forward pass in physical units (tensors; the caller disposes them or uses tf.tidy). */
export interface ForwardOutputs {
  cl: tf.Tensor1D;
  lnCd: tf.Tensor1D;
  cm: tf.Tensor1D;
  xtrTop: tf.Tensor1D;
  xtrBot: tf.Tensor1D;
  /** confidence logit (Mahalanobis prior included) */
  logit: tf.Tensor1D;
  /** [B, Scp] */
  cp?: tf.Tensor2D;
  /** [B, Sbl] each */
  lnTheta?: tf.Tensor2D;
  lnH?: tf.Tensor2D;
  cf1000?: tf.Tensor2D;
}

/** The tfjs model: parameters, constants and the forward passes. */
export class OperatorNet {
  readonly store = new ParamStore();
  readonly trunk: ResidualTrunk;
  readonly forceHead: Dense;
  readonly fieldHead: Dense;
  readonly nIn: number;
  /** normalized input size (geometry components + conditions) */
  readonly nZ: number;
  readonly scp: number;
  readonly sbl: number;
  private readonly geoMean: tf.Tensor1D;
  private readonly geoBasis: tf.Tensor2D;
  private readonly condMean: tf.Tensor1D;
  private readonly condStd: tf.Tensor1D;
  private readonly tMean: tf.Tensor1D;
  private readonly tStd: tf.Tensor1D;
  private readonly precision: tf.Tensor2D;
  /** signed permutation matrix [nIn, nIn]: mirrored row = row x mirrorMatrix */
  private readonly mirrorMatrix: tf.Tensor2D;
  /** transposes of the fixed matrices (their products need gradients to the input only) */
  private readonly geoBasisT: tf.Tensor2D;
  private readonly precisionT: tf.Tensor2D;
  private readonly mirrorMatrixT: tf.Tensor2D;
  /** I - P, P the orthogonal projector on the retained principal directions [fg, fg] (symmetric) */
  private readonly geoResidual: tf.Tensor2D;

  constructor(readonly spec: OperatorSpec) {
    const rng = new InitRng(spec.seed);
    this.nIn = inputCount(spec);
    this.nZ = normalizedCount(spec);
    this.scp = stationCount(spec.cpStations);
    this.sbl = stationCount(spec.blStations);
    this.trunk = new ResidualTrunk(this.store, 'trunk', this.nZ, spec.width, spec.depth, rng);
    this.forceHead = new Dense(this.store, 'forceHead', spec.width, FORCE_OUTPUTS.length + 1, rng, 0.1);
    this.fieldHead = new Dense(this.store, 'fieldHead', spec.width, 3 * this.scp + 3 * this.sbl, rng, 0.1);
    const fg = geometryFeatureCount(spec.encoding);
    this.geoMean = tf.tensor1d(spec.inputMean.slice(0, fg));
    this.geoBasis = tf.tensor2d(spec.geometryBasis, [fg, spec.geometryComponents]);
    this.condMean = tf.tensor1d(spec.inputMean.slice(fg));
    this.condStd = tf.tensor1d(spec.inputStd.slice(fg).map((s) => (s > 1e-12 ? s : 1)));
    this.tMean = tf.tensor1d(spec.targetMean);
    this.tStd = tf.tensor1d(spec.targetStd.map((s) => (s > 1e-12 ? s : 1)));
    this.precision = tf.tensor2d(spec.precision, [this.nZ, this.nZ]);
    const m = inputMirror(createEncoder(spec.encoding));
    const pm = new Float32Array(this.nIn * this.nIn);
    for (let j = 0; j < this.nIn; j++) pm[m.source[j] * this.nIn + j] = m.sign[j];
    this.mirrorMatrix = tf.tensor2d(pm, [this.nIn, this.nIn]);
    this.geoBasisT = tf.transpose(this.geoBasis);
    this.precisionT = tf.transpose(this.precision);
    this.mirrorMatrixT = tf.transpose(this.mirrorMatrix);
    this.geoResidual = tf.tensor2d(residualProjector(spec.geometryBasis, fg, spec.geometryComponents), [
      fg,
      fg,
    ]);
  }

  /** Evaluation only from here on (a loaded model): cheaper gradients to the input. */
  freeze(): void {
    for (const d of [...this.trunk.layers(), this.forceHead, this.fieldHead]) d.freeze();
  }

  /** Trainable variables. */
  variables(): tf.Variable[] {
    return this.store.variables();
  }

  /**
   * InputNormalization: raw rows [B, nIn] -> [B, nZ]: the geometry features projected on the
   * whitened principal directions (GeometryProjection), the conditions standardized.
   */
  normalize(u: tf.Tensor2D): tf.Tensor2D {
    const fg = this.nIn - CONDITION_FEATURES.length;
    const g = matMulConst(
      tf.sub(tf.slice(u, [0, 0], [-1, fg]), this.geoMean) as tf.Tensor2D,
      this.geoBasis,
      this.geoBasisT,
    );
    const c = tf.div(tf.sub(tf.slice(u, [0, fg], [-1, -1]), this.condMean), this.condStd);
    return tf.concat([g, c], 1) as tf.Tensor2D;
  }

  /** The mirror image of raw features [B, nIn] (camber, alpha negated; trips swapped). */
  mirror(u: tf.Tensor2D): tf.Tensor2D {
    return matMulConst(u, this.mirrorMatrix, this.mirrorMatrixT);
  }

  /**
   * Squared norm, in units of geometryFloor, of the geometry features of raw rows [B, nIn] outside the
   * retained principal directions: ~0.25 for a typical training shape (median), hundreds for shapes
   * unlike any of them (a blunt 5 % trailing edge, an unclosed contour).
   */
  outOfSubspace2(u: tf.Tensor2D): tf.Tensor1D {
    const fg = this.nIn - CONDITION_FEATURES.length;
    const g = tf.sub(tf.slice(u, [0, 0], [-1, fg]), this.geoMean) as tf.Tensor2D;
    const r = matMulConst(g, this.geoResidual, this.geoResidual);
    return tf.div(tf.sum(tf.square(r), 1), this.spec.geometryFloor ** 2) as tf.Tensor1D;
  }

  /** Squared Mahalanobis distance of normalized inputs [B, nZ] from the training mean (0). */
  mahalanobis2(n: tf.Tensor2D): tf.Tensor1D {
    return tf.sum(tf.mul(matMulConst(n, this.precision, this.precisionT), n), 1) as tf.Tensor1D;
  }

  /**
   * PressureHead: Cp at the Cp stations from three station vectors A, B, C of the field head:
   * q = cos(alpha) (1 + A) + sin(alpha) B + C, bounded smoothly below the Karman-Tsien pole (Q tanh(q / Q)) (the inviscid surface speed is exactly
   * cos(alpha) q0 + sin(alpha) q90, so the alpha dependence of the suction peak and the stagnation
   * point is built in, and C carries the rest), Cp_inc = 1 - q^2, Karman-Tsien
   * Cp = Cp_inc / (beta + bfac Cp_inc) with the case's Mach number. `u`: raw input rows.
   */
  pressure(parts: tf.Tensor2D, u: tf.Tensor2D): tf.Tensor2D {
    const S = this.scp;
    const fg = this.nIn - CONDITION_FEATURES.length;
    const alpha = tf.slice(u, [0, fg], [-1, 1]);
    const mach = tf.slice(u, [0, fg + 2], [-1, 1]);
    const beta = tf.sqrt(tf.sub(1, tf.square(mach)));
    const bfac = tf.div(tf.mul(0.5, tf.square(mach)), tf.add(1, beta));
    const q = tf.add(
      tf.add(
        tf.mul(tf.cos(alpha), tf.add(1, tf.slice(parts, [0, 0], [-1, S]))),
        tf.mul(tf.sin(alpha), tf.slice(parts, [0, S], [-1, S])),
      ),
      tf.slice(parts, [0, 2 * S], [-1, S]),
    );
    // |q| < Q smoothly, Q = min(Q_MAX, sqrt(1 + 0.9 beta / bfac)): Cp_inc = 1 - q^2 stays clear of the
    // Karman-Tsien pole at Cp_inc = -beta / bfac (-14.8 at M = 0.35, -12.9 at M = 0.5)
    const qLim = tf.minimum(Q_MAX, tf.sqrt(tf.add(1, tf.mul(0.9, tf.div(beta, tf.maximum(bfac, 1e-6))))));
    const qb = tf.mul(qLim, tf.tanh(tf.div(q, qLim)));
    const cpi = tf.sub(1, tf.square(qb));
    return tf.div(cpi, tf.add(beta, tf.mul(bfac, cpi))) as tf.Tensor2D;
  }

  /**
   * Latent pass: normalized inputs `n` (and the raw rows `u`, for alpha and Mach) through the trunk;
   * the force head (5 standardized forces + the confidence logit minus the prior) and, when asked,
   * Cp at the Cp stations (physical, PressureHead) and the standardized boundary-layer fields.
   */
  latent(
    n: tf.Tensor2D,
    u: tf.Tensor2D,
    fields: boolean,
  ): { forces: tf.Tensor2D; logit: tf.Tensor1D; cp?: tf.Tensor2D; bl?: tf.Tensor2D } {
    const h = this.trunk.apply(n);
    const f = this.forceHead.apply(h);
    const nf = FORCE_OUTPUTS.length;
    const forces = tf.slice(f, [0, 0], [-1, nf]) as tf.Tensor2D;
    const raw = tf.reshape(tf.slice(f, [0, nf], [-1, 1]), [-1]) as tf.Tensor1D;
    const prior = tf.add(this.mahalanobis2(n), this.outOfSubspace2(u));
    const logit = tf.sub(raw, tf.div(prior, 2 * this.spec.priorScale)) as tf.Tensor1D;
    if (!fields) return { forces, logit };
    const all = this.fieldHead.apply(h);
    const cp = this.pressure(tf.slice(all, [0, 0], [-1, 3 * this.scp]) as tf.Tensor2D, u);
    const bl = tf.slice(all, [0, 3 * this.scp], [-1, -1]) as tf.Tensor2D;
    return { forces, logit, cp, bl };
  }

  /** Standardized Cp (per station, with the target statistics): what the loss compares. */
  standardizeCp(cp: tf.Tensor2D): tf.Tensor2D {
    const nf = FORCE_OUTPUTS.length;
    return tf.div(
      tf.sub(cp, tf.slice(this.tMean, nf, this.scp)),
      tf.slice(this.tStd, nf, this.scp),
    ) as tf.Tensor2D;
  }

  /**
   * Symmetric forward pass on raw features [B, nIn]: the net runs on the input and on its mirror
   * image; the mirrored outputs are mapped back (Cl, Cm negated, upper/lower swapped, stations
   * reversed) and averaged. Physical outputs; `fields` adds the distributions at the stations.
   */
  forward(u: tf.Tensor2D, fields = false): ForwardOutputs {
    const B = u.shape[0];
    const nf = FORCE_OUTPUTS.length;
    const both = tf.concat([u, this.mirror(u)], 0) as tf.Tensor2D;
    const lat = this.latent(this.normalize(both), both, fields);
    const forces = tf.add(
      tf.mul(lat.forces, tf.slice(this.tStd, 0, nf)),
      tf.slice(this.tMean, 0, nf),
    ) as tf.Tensor2D;
    const col = (k: number, half: 0 | 1) =>
      tf.reshape(tf.slice(forces, [half * B, k], [B, 1]), [B]) as tf.Tensor1D;
    const avg = (a: tf.Tensor1D, b: tf.Tensor1D) => tf.mul(tf.add(a, b), 0.5) as tf.Tensor1D;
    const dif = (a: tf.Tensor1D, b: tf.Tensor1D) => tf.mul(tf.sub(a, b), 0.5) as tf.Tensor1D;
    const out: ForwardOutputs = {
      cl: dif(col(0, 0), col(0, 1)),
      lnCd: avg(col(1, 0), col(1, 1)),
      cm: dif(col(2, 0), col(2, 1)),
      xtrTop: avg(col(3, 0), col(4, 1)),
      xtrBot: avg(col(4, 0), col(3, 1)),
      logit: avg(tf.slice(lat.logit, 0, B), tf.slice(lat.logit, B, B)),
    };
    if (lat.cp && lat.bl) {
      const o = nf + this.scp;
      const bl = tf.add(tf.mul(lat.bl, tf.slice(this.tStd, o)), tf.slice(this.tMean, o)) as tf.Tensor2D;
      const block = (t: tf.Tensor2D, start: number, size: number) => {
        const a = tf.slice(t, [0, start], [B, size]) as tf.Tensor2D;
        const b = tf.reverse(tf.slice(t, [B, start], [B, size]), 1) as tf.Tensor2D;
        return tf.mul(tf.add(a, b), 0.5) as tf.Tensor2D;
      };
      out.cp = block(lat.cp, 0, this.scp);
      out.lnTheta = block(bl, 0, this.sbl);
      out.lnH = block(bl, this.sbl, this.sbl);
      out.cf1000 = block(bl, 2 * this.sbl, this.sbl);
    }
    return out;
  }

  dispose(): void {
    for (const d of [...this.trunk.layers(), this.forceHead, this.fieldHead]) d.dispose();
    this.store.dispose();
    for (const t of [
      this.geoResidual,
      this.geoBasisT,
      this.precisionT,
      this.mirrorMatrixT,
      this.geoMean,
      this.geoBasis,
      this.condMean,
      this.condStd,
      this.tMean,
      this.tStd,
      this.precision,
      this.mirrorMatrix,
    ])
      t.dispose();
  }
}

/**
 * I - P for the whitened basis B [fg, K] (columns v_k / sqrt(lambda_k), v_k orthonormal): P = sum_k v_k
 * v_k^T = B diag(lambda) B^T, with 1 / lambda_k the squared norm of column k. Row-major [fg, fg].
 */
function residualProjector(basis: number[], fg: number, K: number): Float32Array {
  const r = new Float32Array(fg * fg);
  for (let i = 0; i < fg; i++) r[i * fg + i] = 1;
  for (let k = 0; k < K; k++) {
    let n2 = 0;
    for (let i = 0; i < fg; i++) n2 += basis[i * K + k] ** 2;
    for (let i = 0; i < fg; i++)
      for (let j = 0; j < fg; j++) r[i * fg + j] -= (basis[i * K + k] * basis[j * K + k]) / n2;
  }
  return r;
}
