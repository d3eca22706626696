/**
 * The operator's geometry encoding: a resolution-independent map from an airfoil's surface points (any
 * number, node order upper TE -> LE -> lower TE, chord 1, LE at the origin) to a fixed-size vector.
 * Plain Float64Array numerics (no tfjs), with the exact vector-Jacobian product for gradients.
 *
 * Two named stages:
 *
 * - ContourSampler: every node gets the contour coordinate sigma = -psi(x) on the upper surface and
 *   +psi(x) on the lower one, psi = arccos(1 - 2x) (Glauert's angle: x = (1 - cos psi) / 2). Around a
 *   round nose y is a smooth, nearly linear function of sigma (psi ~ 2 sqrt(x), y ~ sqrt(2 r x)), so
 *   linear interpolation in sigma resolves the leading edge that interpolation in x cannot. The
 *   contour is resampled at G uniform psi stations per side (the same x on both sides), giving the
 *   camber c = (yU + yL) / 2 and the thickness t = yU - yL at x_g = (1 - cos psi_g) / 2.
 * - SpectralEncoder: the TE values (t_TE, c_TE) plus the truncated discrete sine transform (DST-I,
 *   modes 1..M) of t - t_TE x and c - c_TE x on the psi grid, i.e. the contour's Glauert series. The
 *   remainders vanish at both ends and their odd periodic extensions are C1, so the series converge
 *   like k^-3; M = 24 modes represent UIUC airfoils to about 1e-4 chord.
 *
 * The feature vector is [t modes (M), c modes (M), t_TE, c_TE]. Mirroring the airfoil (y -> -y, node
 * order reversed) negates the camber part and keeps the thickness part (mirrorGeometryFeatures).
 */

/**
 * Geometry encoding of a model: 'spectral' (this file, the operator's) or 'cst' (the CST(8) fit of the
 * points, encoding-cst.ts: the NeuralFoil-style input of the ablation baseline).
 */
export interface EncodingSpec {
  kind?: 'spectral' | 'cst';
  /** psi stations per side including LE (psi = 0) and TE (psi = pi) */
  gridPoints: number;
  /** sine modes kept per distribution (thickness, camber); CST: weights per side */
  modes: number;
}

export const DEFAULT_ENCODING: EncodingSpec = { kind: 'spectral', gridPoints: 65, modes: 24 };

/** Length of the geometry feature vector of a spec. */
export function geometryFeatureCount(spec: EncodingSpec): number {
  return 2 * spec.modes + 2;
}

/** What a geometry encoder provides (GeometryEncoder here, CstEncoder in encoding-cst.ts). */
export interface GeometryEncoding {
  readonly featureCount: number;
  encode(x: ArrayLike<number>, y: ArrayLike<number>, out: Float32Array | Float64Array, offset?: number): void;
  /** gradient of a feature-space cotangent to node coordinates (absent: not differentiable) */
  vjp?(
    x: ArrayLike<number>,
    y: ArrayLike<number>,
    gf: ArrayLike<number>,
    gx: Float64Array,
    gy: Float64Array,
    offset?: number,
  ): void;
  /** mirror image y -> -y of a feature vector: feature j of the mirror is sign[j] * f[source[j]] */
  mirror(): { source: Int32Array; sign: Float32Array };
}

/** Largest |d psi / d x| used in gradients (psi'(x) = 1 / sqrt(x (1 - x)) is infinite at x = 0, 1). */
const MAX_PSI_SLOPE = 1e3;

/** Index of the leading-edge node: the node of smallest x (first one on ties). */
export function leadingEdgeIndex(x: ArrayLike<number>): number {
  let k = 0;
  for (let i = 1; i < x.length; i++) if (x[i] < x[k]) k = i;
  return k;
}

/**
 * Contour coordinate sigma of every node: -psi(x) on the upper surface (before the LE node), +psi(x)
 * on the lower one, 0 at the LE node. `slope` receives d sigma / d x (capped, see MAX_PSI_SLOPE).
 */
export function contourCoordinate(x: ArrayLike<number>, sigma: Float64Array, slope: Float64Array): void {
  const iLe = leadingEdgeIndex(x);
  for (let i = 0; i < x.length; i++) {
    if (i === iLe) {
      sigma[i] = 0;
      slope[i] = 0;
      continue;
    }
    // Glauert angle psi = arccos(1 - 2x) of x clamped to [0, 1]; slope 1 / sqrt(x (1 - x)), capped
    const xi = x[i];
    const xc = xi < 0 ? 0 : xi > 1 ? 1 : xi;
    const q = xc * (1 - xc);
    const d = xi < 0 || xi > 1 ? 0 : q > 0 ? Math.min(MAX_PSI_SLOPE, 1 / Math.sqrt(q)) : MAX_PSI_SLOPE;
    const sign = i < iLe ? -1 : 1;
    sigma[i] = sign * Math.acos(1 - 2 * xc);
    slope[i] = sign * d;
  }
}

/**
 * Linear interpolation weights of query positions `q` (ascending) on nodes at `sigma` (ascending in
 * node order for a proper airfoil): for query j, `seg[j]` = a with sigma[a] <= q[j] <= sigma[a+1] (the
 * first such segment; end segments extrapolate) and `w[j]` the weight of node a+1.
 */
export function bracket(
  sigma: Float64Array,
  n: number,
  q: Float64Array,
  seg: Int32Array,
  w: Float64Array,
): void {
  let a = 0;
  for (let j = 0; j < q.length; j++) {
    const s = q[j];
    while (a < n - 2 && sigma[a + 1] < s) a++;
    // step back if a non-monotone stretch overshot
    while (a > 0 && sigma[a] > s) a--;
    seg[j] = a;
    const d = sigma[a + 1] - sigma[a];
    w[j] = d > 0 ? (s - sigma[a]) / d : 0.5;
  }
}

/** Precomputed tables of an encoding spec (grid, sine matrix). */
export class GeometryEncoder implements GeometryEncoding {
  readonly spec: EncodingSpec;
  readonly featureCount: number;
  /** psi stations, 0..pi */
  readonly psi: Float64Array;
  /** x of the stations */
  readonly xGrid: Float64Array;
  /** sigma query positions, ascending: upper -psi (TE..LE) then lower +psi (LE excluded) */
  readonly query: Float64Array;
  /** DST-I rows: sine[k * G + g] = (2 / (G - 1)) sin((k + 1) psi_g) */
  private readonly sine: Float64Array;
  // scratch
  private sigma = new Float64Array(0);
  private slope = new Float64Array(0);
  private readonly seg: Int32Array;
  private readonly w: Float64Array;
  private readonly yq: Float64Array;
  private readonly t: Float64Array;
  private readonly c: Float64Array;

  constructor(spec: EncodingSpec = DEFAULT_ENCODING) {
    this.spec = spec;
    const G = spec.gridPoints;
    const M = spec.modes;
    if (!(G >= 8 && M >= 1 && M <= G - 2)) throw new Error(`bad encoding spec ${JSON.stringify(spec)}`);
    this.featureCount = geometryFeatureCount(spec);
    this.psi = new Float64Array(G);
    this.xGrid = new Float64Array(G);
    for (let g = 0; g < G; g++) {
      this.psi[g] = (Math.PI * g) / (G - 1);
      this.xGrid[g] = (1 - Math.cos(this.psi[g])) / 2;
    }
    this.xGrid[G - 1] = 1;
    const nq = 2 * G - 1;
    this.query = new Float64Array(nq);
    for (let g = 0; g < G; g++) this.query[g] = -this.psi[G - 1 - g];
    for (let g = 1; g < G; g++) this.query[G - 1 + g] = this.psi[g];
    this.sine = new Float64Array(M * G);
    for (let k = 0; k < M; k++)
      for (let g = 1; g < G - 1; g++) this.sine[k * G + g] = (2 / (G - 1)) * Math.sin((k + 1) * this.psi[g]);
    this.seg = new Int32Array(nq);
    this.w = new Float64Array(nq);
    this.yq = new Float64Array(nq);
    this.t = new Float64Array(G);
    this.c = new Float64Array(G);
  }

  private ensure(n: number): void {
    if (this.sigma.length < n) {
      this.sigma = new Float64Array(n);
      this.slope = new Float64Array(n);
    }
  }

  /** Interpolated y at the query positions (this.yq), with brackets in this.seg / this.w. */
  private sample(x: ArrayLike<number>, y: ArrayLike<number>): void {
    const n = x.length;
    if (n < 4) throw new Error('an airfoil needs at least 4 points');
    this.ensure(n);
    contourCoordinate(x, this.sigma, this.slope);
    bracket(this.sigma, n, this.query, this.seg, this.w);
    for (let j = 0; j < this.query.length; j++) {
      const a = this.seg[j];
      this.yq[j] = y[a] + this.w[j] * (y[a + 1] - y[a]);
    }
  }

  /** Thickness and camber on the psi grid (this.t, this.c) from this.yq. */
  private thicknessCamber(): void {
    const G = this.spec.gridPoints;
    for (let g = 0; g < G; g++) {
      const yU = this.yq[G - 1 - g];
      const yL = this.yq[G - 1 + g];
      this.t[g] = yU - yL;
      this.c[g] = 0.5 * (yU + yL);
    }
  }

  /**
   * Writes the geometry features of one airfoil into out[offset .. offset + featureCount).
   */
  encode(x: ArrayLike<number>, y: ArrayLike<number>, out: Float32Array | Float64Array, offset = 0): void {
    this.sample(x, y);
    this.thicknessCamber();
    const G = this.spec.gridPoints;
    const M = this.spec.modes;
    const tTe = this.t[G - 1];
    const cTe = this.c[G - 1];
    for (let k = 0; k < M; k++) {
      let st = 0;
      let sc = 0;
      const row = k * G;
      for (let g = 1; g < G - 1; g++) {
        const s = this.sine[row + g];
        st += s * (this.t[g] - tTe * this.xGrid[g]);
        sc += s * (this.c[g] - cTe * this.xGrid[g]);
      }
      out[offset + k] = st;
      out[offset + M + k] = sc;
    }
    out[offset + 2 * M] = tTe;
    out[offset + 2 * M + 1] = cTe;
  }

  mirror(): { source: Int32Array; sign: Float32Array } {
    const n = this.featureCount;
    const source = Int32Array.from({ length: n }, (_, j) => j);
    const sign = new Float32Array(n).fill(1);
    const M = this.spec.modes;
    for (let k = 0; k < M; k++) sign[M + k] = -1;
    sign[2 * M + 1] = -1;
    return { source, sign };
  }

  /** Thickness and camber of the resampled contour (copies), for inspection and tests. */
  distributions(
    x: ArrayLike<number>,
    y: ArrayLike<number>,
  ): { x: Float64Array; t: Float64Array; c: Float64Array } {
    this.sample(x, y);
    this.thicknessCamber();
    return { x: Float64Array.from(this.xGrid), t: Float64Array.from(this.t), c: Float64Array.from(this.c) };
  }

  /**
   * Vector-Jacobian product: given dL/d(features) `gf` (length featureCount), adds dL/dx and dL/dy of
   * the airfoil's nodes into gx, gy. Linear in y; through sigma(x) in x (capped slope at x = 0, 1).
   */
  vjp(
    x: ArrayLike<number>,
    y: ArrayLike<number>,
    gf: ArrayLike<number>,
    gx: Float64Array,
    gy: Float64Array,
    offset = 0,
  ): void {
    this.sample(x, y);
    const G = this.spec.gridPoints;
    const M = this.spec.modes;
    // dL/dt_g, dL/dc_g (t, c on the grid), including the TE-linear subtraction
    const gt = this.t; // reuse scratch as gradient buffers
    const gc = this.c;
    gt.fill(0);
    gc.fill(0);
    let gtTe = gf[offset + 2 * M];
    let gcTe = gf[offset + 2 * M + 1];
    for (let k = 0; k < M; k++) {
      const ft = gf[offset + k];
      const fc = gf[offset + M + k];
      const row = k * G;
      for (let g = 1; g < G - 1; g++) {
        const s = this.sine[row + g];
        gt[g] += s * ft;
        gc[g] += s * fc;
        gtTe -= s * ft * this.xGrid[g];
        gcTe -= s * fc * this.xGrid[g];
      }
    }
    gt[G - 1] += gtTe;
    gc[G - 1] += gcTe;
    // to the query values yq: t = yU - yL, c = (yU + yL) / 2
    for (let g = 0; g < G; g++) {
      const jU = G - 1 - g;
      const jL = G - 1 + g;
      const dU = gt[g] + 0.5 * gc[g];
      const dL = -gt[g] + 0.5 * gc[g];
      if (jU === jL) this.scatter(jU, dU + dL, x, y, gx, gy);
      else {
        this.scatter(jU, dU, x, y, gx, gy);
        this.scatter(jL, dL, x, y, gx, gy);
      }
    }
  }

  /** Adds gq * d(yq_j)/d(nodes) into gx, gy. */
  private scatter(
    j: number,
    gq: number,
    _x: ArrayLike<number>,
    y: ArrayLike<number>,
    gx: Float64Array,
    gy: Float64Array,
  ): void {
    if (gq === 0) return;
    const a = this.seg[j];
    const b = a + 1;
    const w = this.w[j];
    gy[a] += gq * (1 - w);
    gy[b] += gq * w;
    const d = this.sigma[b] - this.sigma[a];
    if (!(d > 0)) return;
    const dy = y[b] - y[a];
    const s = this.query[j];
    // w = (s - sa) / (sb - sa)
    const dwdsa = (s - this.sigma[b]) / (d * d);
    const dwdsb = -(s - this.sigma[a]) / (d * d);
    gx[a] += gq * dy * dwdsa * this.slope[a];
    gx[b] += gq * dy * dwdsb * this.slope[b];
  }
}

/** Mirror image (y -> -y) of a geometry feature vector in place: camber modes and c_TE negate. */
export function mirrorGeometryFeatures(f: Float32Array | Float64Array, spec: EncodingSpec, offset = 0): void {
  const M = spec.modes;
  for (let k = 0; k < M; k++) f[offset + M + k] = -f[offset + M + k];
  f[offset + 2 * M + 1] = -f[offset + 2 * M + 1];
}
