/**
 * XFOIL-like curvature-weighted repaneling (XFOIL's PANGEN, implemented from the description in
 * docs/xfoil-physics.md section 10.2) and a measure of how far a paneling strays from the contour.
 *
 * Outline (kap = dimensionless curvature |kappa| * SBREF, SBREF = half the contour length):
 *  1. kap at every input node; kap_avg = mean of 7 samples around the spline LE (10 at a sharp LE);
 *     the two TE nodes get kap = CTERAT * kap_avg.
 *  2. Smoothing kap_s - Ls^2 d2(kap_s)/ds^2 = kap (ends and corners held), Ls from kap_avg and N;
 *     the spline LE acts as an extra held point with kap_s = kap_LE (not in the doc's outline, but
 *     without it the TE panels come out about 23 % too small; with it the nodes match XFOIL 6.99's PANE to
 *     the 5-decimal rounding of its dump, see test/fixtures/xfoil-panels). kap_s is normalized by
 *     its maximum and splined in s; where that spline dips below zero between sparse input nodes
 *     its slopes are limited (limitCurvatureUndershoot; never triggered on well-sampled input).
 *  3. On an IPFAC = 5 times oversampled node set, the spacing equations
 *       (s_i - s_(i-1)) (1 + Cc sqrt(kap_(i-1)^2 + kap_i^2)) = (s_(i+1) - s_i) (1 + Cc sqrt(kap_i^2 + kap_(i+1)^2))
 *     (Cc = 6 CVPAR) hold at interior nodes, the first and last panel are RTF = 0.334 times their
 *     neighbour, corners (doubled input points) are held at oversampled indices that survive step 4.
 *     Solved by Newton's method (tridiagonal Jacobian including d kap/ds) from an equidistribution guess.
 *  4. Every IPFAC-th node is kept; positions come from the input spline, so nodes lie on it exactly.
 *
 * Differences from XFOIL (deliberate): a corner is output as a single node (XFOIL inserts extra
 * nodes; a zero-length panel would break a panel solver) and the node count is exactly `nodes`;
 * XFOIL's refinement zones (XSREF/XPREF, off by default) are not implemented.
 */
import { FoiloptError } from '../errors';
import type { Airfoil } from './types';
import {
  buildSpline,
  cubicSecond,
  cubicSlope,
  cubicValue,
  findInterval,
  findLeadingEdge,
  splineSlopes,
  type Spline,
} from './spline';

/** Options of repanel (defaults = XFOIL's). */
export interface RepanelOptions {
  /** number of output nodes (XFOIL NPAN), default 160 */
  nodes?: number;
  /** curvature attraction (XFOIL CVPAR), default 1.0; 0 gives uniform spacing */
  curvatureParam?: number;
  /** TE to LE panel density ratio (XFOIL CTERAT), default 0.15 */
  teLeRatio?: number;
  /** length ratio of the TE panel to its neighbour on the fine grid (XFOIL RDSTE), default 0.667 */
  teSpacingRatio?: number;
  /** oversampling factor of the spacing solve (XFOIL IPFAC), default 5 */
  oversample?: number;
  /** also hold a node exactly at the spline leading edge (not XFOIL's behaviour), default false */
  nodeAtLeadingEdge?: boolean;
}

/** Result details of repanelWithInfo. */
export interface RepanelInfo {
  airfoil: Airfoil;
  /** spline parameter (of the input's chord-length spline) of every output node */
  s: Float64Array;
  /** Newton iterations of the spacing solve */
  iterations: number;
  /** max |Newton step| / contour length at the last iteration */
  lastStep: number;
}

/**
 * Repanels an airfoil with XFOIL's curvature-weighted node distribution (see module comment).
 * Output: exactly `nodes` nodes on the input spline, upper TE first, LE once (no duplicated node).
 */
export function repanel(a: Airfoil, opts: RepanelOptions = {}): Airfoil {
  return repanelWithInfo(a, opts).airfoil;
}

/** |curvature| on spline interval i at parameter sq. */
function intervalCurvature(sp: Spline, i: number, sq: number): number {
  const dx = cubicSlope(sp.x, sp.xs, sp.s, i, sq);
  const dy = cubicSlope(sp.y, sp.ys, sp.s, i, sq);
  const ddx = cubicSecond(sp.x, sp.xs, sp.s, i, sq);
  const ddy = cubicSecond(sp.y, sp.ys, sp.s, i, sq);
  const q = dx * dx + dy * dy;
  return Math.abs(dx * ddy - dy * ddx) / (q * Math.sqrt(q));
}

/** Solves the tridiagonal system a_i u_(i-1) + b_i u_i + c_i u_(i+1) = r_i in place (r <- u); b is overwritten. */
function solveTridiagonal(
  a: Float64Array,
  b: Float64Array,
  c: Float64Array,
  r: Float64Array,
  n: number,
): void {
  for (let i = 1; i < n; i++) {
    const m = a[i] / b[i - 1];
    b[i] -= m * c[i - 1];
    r[i] -= m * r[i - 1];
  }
  r[n - 1] /= b[n - 1];
  for (let i = n - 2; i >= 0; i--) r[i] = (r[i] - c[i] * r[i + 1]) / b[i];
}

/**
 * Removes the undershoot of the (non-negative) curvature spline: on every interval where the cubic
 * dips below zero and the data are locally monotone, the end slopes are limited with the
 * Fritsch-Carlson conditions (slope signs of the secant, alpha^2 + beta^2 <= 9). Well-sampled input
 * never triggers it (XFOIL's distribution is reproduced); on sparse input (tens of points, a high LE
 * curvature next to a long interval) the unlimited spline swings far below zero between nodes,
 * which creates spurious node attraction and stalls the Newton solve.
 */
export function limitCurvatureUndershoot(f: Float64Array, fs: Float64Array, s: Float64Array): void {
  const n = f.length;
  for (let i = 0; i < n - 1; i++) {
    const h = s[i + 1] - s[i];
    if (h <= 0) continue;
    let dips = false;
    for (let k = 1; k < 16 && !dips; k++) dips = cubicValue(f, fs, s, i, s[i] + (h * k) / 16) < 0;
    if (!dips) continue;
    const d = (f[i + 1] - f[i]) / h;
    const prevOk = i === 0 || s[i] === s[i - 1] || (f[i] - f[i - 1]) * d > 0;
    const nextOk = i + 2 >= n || s[i + 2] === s[i + 1] || (f[i + 2] - f[i + 1]) * d > 0;
    if (d === 0) {
      if (prevOk) fs[i] = 0;
      if (nextOk) fs[i + 1] = 0;
      continue;
    }
    if (prevOk && fs[i] * d < 0) fs[i] = 0;
    if (nextOk && fs[i + 1] * d < 0) fs[i + 1] = 0;
    const alpha = fs[i] / d;
    const beta = fs[i + 1] / d;
    const r2 = alpha * alpha + beta * beta;
    if (r2 > 9) {
      const tau = 3 / Math.sqrt(r2);
      fs[i] = tau * alpha * d;
      fs[i + 1] = tau * beta * d;
    }
  }
}

/**
 * Newton system of the spacing equations (module comment, step 3) at the node parameters sn: fills
 * the negated residuals rr and the tridiagonal Jacobian rows (ja, jb, jc = d/ds_(i-1), d/ds_i,
 * d/ds_(i+1)). Rows: a held node is fixed (identity row); node 1 and node n-2 next to a held end
 * carry the TE ratio s_1 - s_0 = RTF (s_2 - s_1), s_N - s_(N-1) = RTF (s_(N-1) - s_(N-2)); every
 * other node the curvature-weighted equidistribution equation. kq = kap_s, kd = d kap_s / ds at the
 * nodes; held = held-node flags (nonzero = held), or null when only the two ends are held;
 * cc = 6 CVPAR; rtf = TE panel ratio RTF.
 */
export function spacingSystem(
  sn: Float64Array,
  kq: Float64Array,
  kd: Float64Array,
  held: Uint8Array | null,
  cc: number,
  rtf: number,
  rr: Float64Array,
  ja: Float64Array,
  jb: Float64Array,
  jc: Float64Array,
): void {
  const nn = sn.length;
  const firstHeld = held === null || held[0] !== 0;
  const lastHeld = held === null || held[nn - 1] !== 0;
  for (let i = 0; i < nn; i++) {
    ja[i] = 0;
    jc[i] = 0;
    if (held === null ? i === 0 || i === nn - 1 : held[i] !== 0) {
      jb[i] = 1;
      rr[i] = 0;
      continue;
    }
    const dsm = sn[i] - sn[i - 1];
    const dsp = sn[i + 1] - sn[i];
    if ((i === 1 && firstHeld) || (i === nn - 2 && lastHeld && i !== 1)) {
      if (i === 1) {
        // s_1 - s_0 = RTF (s_2 - s_1)
        rr[i] = -(dsm - rtf * dsp);
        ja[i] = -1;
        jb[i] = 1 + rtf;
        jc[i] = -rtf;
      } else {
        // s_N - s_(N-1) = RTF (s_(N-1) - s_(N-2))
        rr[i] = -(dsp - rtf * dsm);
        ja[i] = rtf;
        jb[i] = -1 - rtf;
        jc[i] = 1;
      }
      continue;
    }
    const cm = Math.sqrt(kq[i - 1] * kq[i - 1] + kq[i] * kq[i]);
    const cp = Math.sqrt(kq[i] * kq[i] + kq[i + 1] * kq[i + 1]);
    const am = 1 + cc * cm;
    const ap = 1 + cc * cp;
    const fm = cm > 0 ? (cc * dsm) / cm : 0;
    const fp = cp > 0 ? (cc * dsp) / cp : 0;
    rr[i] = -(dsm * am - dsp * ap);
    ja[i] = -am + fm * kq[i - 1] * kd[i - 1];
    jb[i] = am + ap + (fm - fp) * kq[i] * kd[i];
    jc[i] = -ap - fp * kq[i + 1] * kd[i + 1];
  }
}

/** Repanel, also returning the node parameters and convergence details. */
export function repanelWithInfo(a: Airfoil, opts: RepanelOptions = {}): RepanelInfo {
  const nOut = opts.nodes ?? 160;
  const cvpar = opts.curvatureParam ?? 1.0;
  const cterat = opts.teLeRatio ?? 0.15;
  const rdste = opts.teSpacingRatio ?? 0.667;
  const ipfac = opts.oversample ?? 5;
  if (!Number.isInteger(nOut) || nOut < 5)
    throw new FoiloptError(`number of panel nodes must be an integer >= 5, got ${nOut}`);

  const sp = buildSpline(a.x, a.y);
  const nb = sp.n;
  const sb = sp.s;
  const sTot = sb[nb - 1];
  const sbref = 0.5 * sTot;
  const le = findLeadingEdge(sp);

  // corners: doubled input points (interior only)
  const corners: number[] = [];
  for (let i = 1; i < nb - 2; i++) if (sb[i + 1] === sb[i]) corners.push(sb[i]);
  const sharpLe = corners.some((sc) => Math.abs(sc - le.s) <= 1e-12 * sTot);

  // 1. dimensionless curvature at the input nodes (left-side interval at the end of a segment)
  const kap = new Float64Array(nb);
  for (let i = 0; i < nb; i++) {
    const iv = i < nb - 1 && sb[i + 1] > sb[i] ? i : Math.max(i - 1, 0);
    kap[i] = intervalCurvature(sp, iv, sb[i]) * sbref;
  }
  const kapLe = intervalCurvature(sp, findInterval(sb, le.s), le.s) * sbref;
  let kapAvg: number;
  if (sharpLe) {
    kapAvg = 10;
  } else {
    let sum = 0;
    const half = sbref / Math.max(kapLe, 20);
    for (let k = -3; k <= 3; k++) {
      const sq = le.s + (k / 3) * half;
      sum += intervalCurvature(sp, findInterval(sb, sq), sq) * sbref;
    }
    kapAvg = sum / 7;
  }
  kap[0] = cterat * kapAvg;
  kap[nb - 1] = cterat * kapAvg;

  // 2. smoothing: kap_s - Ls^2 kap_s'' = kap, ends and corner nodes held
  const ls = sbref * Math.max(1 / Math.max(kapAvg, 20), 0.25 / (nOut / 2));
  const ls2 = ls * ls;
  const ta = new Float64Array(nb);
  const tb = new Float64Array(nb);
  const tc = new Float64Array(nb);
  const kapS = Float64Array.from(kap);
  tb[0] = 1;
  tb[nb - 1] = 1;
  for (let i = 1; i < nb - 1; i++) {
    const dsm = sb[i] - sb[i - 1];
    const dsp = sb[i + 1] - sb[i];
    if (dsm === 0 || dsp === 0) {
      tb[i] = 1;
      continue;
    }
    const dso = 0.5 * (dsm + dsp);
    ta[i] = -ls2 / (dsm * dso);
    tc[i] = -ls2 / (dsp * dso);
    tb[i] = 1 + (ls2 * (1 / dsm + 1 / dsp)) / dso;
  }
  // the LE curvature kap_LE is held at the spline LE point: a node on it is fixed, otherwise the LE
  // acts as a Dirichlet point between its two neighbouring nodes
  for (let i = 1; i < nb - 1; i++) {
    if (sb[i] === le.s) {
      ta[i] = 0;
      tb[i] = 1;
      tc[i] = 0;
      kapS[i] = kapLe;
    } else if (sb[i - 1] < le.s && sb[i] > le.s) {
      const j = i - 1; // node just before the LE
      if (j >= 1 && sb[j] > sb[j - 1]) {
        const dsm = sb[j] - sb[j - 1];
        const dsp = le.s - sb[j];
        const dso = 0.5 * (le.s - sb[j - 1]);
        ta[j] = -ls2 / (dsm * dso);
        tb[j] = 1 + (ls2 * (1 / dsm + 1 / dsp)) / dso;
        tc[j] = 0;
        kapS[j] += (ls2 * kapLe) / (dsp * dso);
      }
      if (i + 1 < nb && sb[i + 1] > sb[i]) {
        const dsm = sb[i] - le.s;
        const dsp = sb[i + 1] - sb[i];
        const dso = 0.5 * (sb[i + 1] - le.s);
        ta[i] = 0;
        tb[i] = 1 + (ls2 * (1 / dsm + 1 / dsp)) / dso;
        tc[i] = -ls2 / (dsp * dso);
        kapS[i] += (ls2 * kapLe) / (dsm * dso);
      }
      break;
    }
  }
  solveTridiagonal(ta, tb, tc, kapS, nb);
  let kapMax = 0;
  for (let i = 0; i < nb; i++) kapMax = Math.max(kapMax, Math.abs(kapS[i]));
  if (kapMax > 0) for (let i = 0; i < nb; i++) kapS[i] = Math.abs(kapS[i]) / kapMax;
  const kapSs = splineSlopes(kapS, sb);
  limitCurvatureUndershoot(kapS, kapSs, sb);

  // 3. oversampled spacing solve
  const cc = 6 * cvpar;
  const nn = ipfac * (nOut - 1) + 1;
  const rtf = 2 * (rdste - 1) + 1;

  // density w(s) = 1 + Cc kap_s(s); cumulative integral on a sub-sampled grid for the initial guess
  const sub = 8;
  const ng = (nb - 1) * sub + 1;
  const gs = new Float64Array(ng);
  const gw = new Float64Array(ng);
  for (let i = 0; i < nb - 1; i++) {
    for (let k = 0; k < sub; k++) gs[i * sub + k] = sb[i] + ((sb[i + 1] - sb[i]) * k) / sub;
  }
  gs[ng - 1] = sTot;
  let prevW = 1 + cc * cubicValue(kapS, kapSs, sb, 0, 0);
  for (let j = 1; j < ng; j++) {
    const sq = gs[j];
    const w = 1 + cc * Math.max(0, cubicValue(kapS, kapSs, sb, findInterval(sb, 0.5 * (sq + gs[j - 1])), sq));
    gw[j] = gw[j - 1] + 0.5 * (w + prevW) * (sq - gs[j - 1]);
    prevW = w;
  }
  const wTot = gw[ng - 1];
  const cumW = (sq: number): number => {
    const j = Math.min(findInterval(gs, sq), ng - 2);
    const h = gs[j + 1] - gs[j];
    return h > 0 ? gw[j] + ((gw[j + 1] - gw[j]) * (sq - gs[j])) / h : gw[j];
  };
  const invW = (wq: number): number => {
    const j = Math.min(findInterval(gw, wq), ng - 2);
    const h = gw[j + 1] - gw[j];
    return h > 0 ? gs[j] + ((gs[j + 1] - gs[j]) * (wq - gw[j])) / h : gs[j];
  };

  // held nodes: ends, corners, optional LE, at oversampled indices that are kept (multiples of ipfac)
  const heldIdx: number[] = [0];
  const heldS: number[] = [0];
  const wanted = corners.slice();
  if (opts.nodeAtLeadingEdge && !sharpLe) wanted.push(le.s);
  wanted.sort((p, q) => p - q);
  for (const sc of wanted) {
    let j = Math.round((cumW(sc) / wTot) * (nOut - 1));
    j = Math.max(j, heldIdx[heldIdx.length - 1] / ipfac + 1);
    if (j > nOut - 2)
      throw new FoiloptError(
        `${nOut} panel nodes are too few for the ${corners.length} corners of "${a.name}"`,
      );
    heldIdx.push(j * ipfac);
    heldS.push(sc);
  }
  heldIdx.push(nn - 1);
  heldS.push(sTot);

  const sn = new Float64Array(nn);
  const held = new Uint8Array(nn);
  for (let h = 0; h + 1 < heldIdx.length; h++) {
    const i0 = heldIdx[h];
    const i1 = heldIdx[h + 1];
    const w0 = cumW(heldS[h]);
    const w1 = cumW(heldS[h + 1]);
    held[i0] = 1;
    sn[i0] = heldS[h];
    for (let i = i0 + 1; i < i1; i++) sn[i] = invW(w0 + ((w1 - w0) * (i - i0)) / (i1 - i0));
  }
  held[nn - 1] = 1;
  sn[nn - 1] = sTot;

  const kq = new Float64Array(nn); // kap_s at the nodes
  const kd = new Float64Array(nn); // d kap_s / ds at the nodes
  const ja = new Float64Array(nn);
  const jb = new Float64Array(nn);
  const jc = new Float64Array(nn);
  const rr = new Float64Array(nn);
  let iterations = 0;
  let lastStep = Infinity;
  for (let it = 0; it < 100; it++) {
    iterations = it + 1;
    for (let i = 0; i < nn; i++) {
      const iv = findInterval(sb, sn[i]);
      kq[i] = cubicValue(kapS, kapSs, sb, iv, sn[i]);
      kd[i] = cubicSlope(kapS, kapSs, sb, iv, sn[i]);
      if (held[i] && i > 0 && i < nn - 1 && iv > 0 && sb[iv] === sb[iv - 1]) {
        // corner: take the larger of the two one-sided values, held node so no derivative needed
        kq[i] = Math.max(kq[i], cubicValue(kapS, kapSs, sb, iv - 2, sn[i]));
        kd[i] = 0;
      }
    }
    spacingSystem(sn, kq, kd, held, cc, rtf, rr, ja, jb, jc);
    solveTridiagonal(ja, jb, jc, rr, nn);
    // relaxation: no spacing may shrink below half its current value in one step
    let rlx = 1;
    for (let i = 0; i < nn - 1; i++) {
      const ds = sn[i + 1] - sn[i];
      const dd = rr[i + 1] - rr[i];
      if (dd < 0 && ds + rlx * dd < 0.5 * ds) rlx = (0.5 * ds) / -dd;
    }
    let maxStep = 0;
    for (let i = 0; i < nn; i++) {
      sn[i] += rlx * rr[i];
      maxStep = Math.max(maxStep, Math.abs(rlx * rr[i]));
    }
    lastStep = maxStep / sTot;
    if (lastStep < 1e-13) break;
  }

  // 4. keep every ipfac-th node, positions from the input spline
  const sOut = new Float64Array(nOut);
  const x = new Float64Array(nOut);
  const y = new Float64Array(nOut);
  for (let j = 0; j < nOut; j++) {
    const sq = sn[j * ipfac];
    sOut[j] = sq;
    const iv = findInterval(sb, sq);
    x[j] = cubicValue(sp.x, sp.xs, sb, iv, sq);
    y[j] = cubicValue(sp.y, sp.ys, sb, iv, sq);
  }
  // exact end points (the spline reproduces them up to rounding anyway)
  x[0] = a.x[0];
  y[0] = a.y[0];
  x[nOut - 1] = a.x[nb - 1];
  y[nOut - 1] = a.y[nb - 1];
  return { airfoil: { name: a.name, x, y, source: a.source }, s: sOut, iterations, lastStep };
}

/** Deviation of a paneling from the original contour's spline (coordinate units; chord units for a unit-chord airfoil). */
export interface PanelDeviation {
  /** max distance of the repaneled nodes from the original spline */
  maxNode: number;
  /** max distance of the repaneled panel midpoints (straight panels, gap panel excluded) from the original spline */
  maxMidpoint: number;
  /** index of the panel (nodes i, i+1) with the largest midpoint deviation */
  worstPanel: number;
}

/**
 * Distance from point (px, py) to the spline. Every interval whose chord lies within (current best +
 * its length) of the point is searched: best of 9 samples, then a safeguarded Newton projection
 * (root of (r(s) - p) . r'(s), clamped to the interval).
 */
export function distanceToSpline(sp: Spline, px: number, py: number): number {
  const { n, s, x, y, xs, ys } = sp;
  let best = Infinity;
  for (let i = 0; i < n; i++) best = Math.min(best, Math.hypot(x[i] - px, y[i] - py));
  for (let iv = 0; iv < n - 1; iv++) {
    const a = s[iv];
    const b = s[iv + 1];
    if (b <= a) continue;
    // distance from p to the chord of the interval, as a screen
    const cx = x[iv + 1] - x[iv];
    const cy = y[iv + 1] - y[iv];
    const c2 = cx * cx + cy * cy;
    let u = c2 > 0 ? ((px - x[iv]) * cx + (py - y[iv]) * cy) / c2 : 0;
    u = u < 0 ? 0 : u > 1 ? 1 : u;
    const dc = Math.hypot(x[iv] + u * cx - px, y[iv] + u * cy - py);
    if (dc > best + (b - a)) continue;
    // start from the best of 9 samples (the distance may have several local minima on a long interval)
    let sq = a;
    let dBest = Infinity;
    for (let k = 0; k <= 8; k++) {
      const sk = a + ((b - a) * k) / 8;
      const dk = Math.hypot(cubicValue(x, xs, s, iv, sk) - px, cubicValue(y, ys, s, iv, sk) - py);
      if (dk < dBest) {
        dBest = dk;
        sq = sk;
      }
    }
    for (let it = 0; it < 30; it++) {
      const ex = cubicValue(x, xs, s, iv, sq) - px;
      const ey = cubicValue(y, ys, s, iv, sq) - py;
      const dx = cubicSlope(x, xs, s, iv, sq);
      const dy = cubicSlope(y, ys, s, iv, sq);
      const g = ex * dx + ey * dy;
      const gp = dx * dx + dy * dy + ex * cubicSecond(x, xs, s, iv, sq) + ey * cubicSecond(y, ys, s, iv, sq);
      let next = gp > 0 ? sq - g / gp : g > 0 ? a : b;
      if (next < a) next = a;
      if (next > b) next = b;
      const step = Math.abs(next - sq);
      sq = next;
      if (step < 1e-15 * (b - a + 1)) break;
    }
    const d = Math.hypot(cubicValue(x, xs, s, iv, sq) - px, cubicValue(y, ys, s, iv, sq) - py);
    if (d < best) best = d;
  }
  return best;
}

/**
 * Max distances of a repaneled airfoil's nodes and panel midpoints from the spline of the original
 * airfoil (the midpoint figure is the chordal sag of the straight panels plus any node error).
 */
export function panelDeviation(original: Airfoil, repaneled: Airfoil): PanelDeviation {
  const sp = buildSpline(original.x, original.y);
  const n = repaneled.x.length;
  let maxNode = 0;
  let maxMidpoint = 0;
  let worstPanel = 0;
  for (let i = 0; i < n; i++)
    maxNode = Math.max(maxNode, distanceToSpline(sp, repaneled.x[i], repaneled.y[i]));
  for (let i = 0; i < n - 1; i++) {
    const mx = 0.5 * (repaneled.x[i] + repaneled.x[i + 1]);
    const my = 0.5 * (repaneled.y[i] + repaneled.y[i + 1]);
    const d = distanceToSpline(sp, mx, my);
    if (d > maxMidpoint) {
      maxMidpoint = d;
      worstPanel = i;
    }
  }
  return { maxNode, maxMidpoint, worstPanel };
}
