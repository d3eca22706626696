/**
 * Reverse-mode (vector-Jacobian) products of the geometric pieces of the panel method w.r.t. the
 * node coordinates: spline slopes and values (geometry/spline.ts), cumulative chord length, the
 * trailing-edge quantities of panelGeometry (inviscid.ts TECALC), the leading edge and chord (LEFIND),
 * the wake node spacing (wake.ts geometricSpacing), the wake gap (stations.ts XICALC), the force
 * integration (inviscid.ts forceCoefficients) and a transposed LU solve (dense-lu.ts factors).
 *
 * Conventions: "bars" are derivatives of one scalar w.r.t. the named quantity; every function adds
 * (+=) into caller-owned bar arrays.
 */
import { cubicSecond, cubicSlope, cubicValue } from '../geometry/spline';
import { findInterval } from '../geometry/spline';
import type { PanelGeometry } from './inviscid';
import { WAKE_GAP_LENGTH_RATIO } from './stations';

/**
 * Solves A^T x = b in place with the factors of dense-lu.ts luFactor (PA = LU, row-major, LAPACK
 * pivots): U^T z = b, L^T w = z, x = P^T w.
 */
export function luSolveTransposed(
  lu: Float64Array,
  n: number,
  piv: Int32Array,
  b: Float64Array,
): Float64Array {
  // U^T z = b (forward): z_i = (b_i - sum_{k<i} U_ki z_k) / U_ii
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= lu[k * n + i] * b[k];
    b[i] = s / lu[i * n + i];
  }
  // L^T w = z (backward, unit diagonal): w_i = z_i - sum_{k>i} L_ki w_k
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i];
    for (let k = i + 1; k < n; k++) s -= lu[k * n + i] * b[k];
    b[i] = s;
  }
  // x = P^T w: undo the row exchanges in reverse order
  for (let k = n - 1; k >= 0; k--) {
    const p = piv[k];
    if (p !== k) {
      const t = b[k];
      b[k] = b[p];
      b[p] = t;
    }
  }
  return b;
}

/**
 * Reverse of splineSlopes (geometry/spline.ts): the slopes fs of the spline (s, f) solve a
 * tridiagonal system T(s) fs = r(f, s) per corner-free segment. Given fsB (bars of the slopes),
 * adds the bars of f and s. `fs` = the forward slopes. fsB is not modified.
 */
export function splineSlopesReverse(
  f: ArrayLike<number>,
  s: ArrayLike<number>,
  fs: ArrayLike<number>,
  fsB: ArrayLike<number>,
  fB: Float64Array,
  sB: Float64Array,
): void {
  const n = f.length;
  let i0 = 0;
  while (i0 < n) {
    let i1 = i0;
    while (i1 + 1 < n && s[i1 + 1] !== s[i1]) i1++;
    segmentReverse(f, s, fs, fsB, fB, sB, i0, i1);
    i0 = i1 + 1;
  }
}

function segmentReverse(
  f: ArrayLike<number>,
  s: ArrayLike<number>,
  fs: ArrayLike<number>,
  fsB: ArrayLike<number>,
  fB: Float64Array,
  sB: Float64Array,
  i0: number,
  i1: number,
): void {
  const m = i1 - i0 + 1;
  if (m === 1) return;
  if (m === 2) {
    const h = s[i1] - s[i0];
    const sl = (f[i1] - f[i0]) / h;
    const b = fsB[i0] + fsB[i1];
    fB[i1] += b / h;
    fB[i0] -= b / h;
    sB[i1] -= (b * sl) / h;
    sB[i0] += (b * sl) / h;
    return;
  }
  // rows (local index r = i - i0): sub a, diag d, super c of T
  const a = new Float64Array(m);
  const d = new Float64Array(m);
  const c = new Float64Array(m);
  d[0] = 1;
  c[0] = 1;
  for (let r = 1; r < m - 1; r++) {
    const i = i0 + r;
    const h0 = s[i] - s[i - 1];
    const h1 = s[i + 1] - s[i];
    a[r] = 1 / h0;
    d[r] = 2 * (1 / h0 + 1 / h1);
    c[r] = 1 / h1;
  }
  a[m - 1] = 1;
  d[m - 1] = 1;
  // T^T mu = fsB: T^T has sub(r) = c[r-1], diag d[r], super(r) = a[r+1]; Thomas algorithm
  const cp = new Float64Array(m);
  const mu = new Float64Array(m);
  let den = d[0];
  cp[0] = a[1] / den;
  mu[0] = fsB[i0] / den;
  for (let r = 1; r < m; r++) {
    const sub = c[r - 1];
    den = d[r] - sub * cp[r - 1];
    cp[r] = r + 1 < m ? a[r + 1] / den : 0;
    mu[r] = (fsB[i0 + r] - sub * mu[r - 1]) / den;
  }
  for (let r = m - 2; r >= 0; r--) mu[r] -= cp[r] * mu[r + 1];
  // bars of f and of the interval lengths h_i = s[i+1] - s[i]
  const hB = new Float64Array(m - 1);
  {
    const h = s[i0 + 1] - s[i0];
    const dd = f[i0 + 1] - f[i0];
    fB[i0 + 1] += (2 * mu[0]) / h;
    fB[i0] -= (2 * mu[0]) / h;
    hB[0] -= (2 * mu[0] * dd) / (h * h);
  }
  for (let r = 1; r < m - 1; r++) {
    const i = i0 + r;
    const u = mu[r];
    if (u === 0) continue;
    const h0 = s[i] - s[i - 1];
    const h1 = s[i + 1] - s[i];
    const d0 = f[i] - f[i - 1];
    const d1 = f[i + 1] - f[i];
    fB[i - 1] -= (3 * u) / (h0 * h0);
    fB[i] += 3 * u * (1 / (h0 * h0) - 1 / (h1 * h1));
    fB[i + 1] += (3 * u) / (h1 * h1);
    hB[r - 1] += u * ((-6 * d0) / (h0 * h0 * h0) + (fs[i - 1] + 2 * fs[i]) / (h0 * h0));
    hB[r] += u * ((-6 * d1) / (h1 * h1 * h1) + (2 * fs[i] + fs[i + 1]) / (h1 * h1));
  }
  {
    const h = s[i1] - s[i1 - 1];
    const dd = f[i1] - f[i1 - 1];
    const u = mu[m - 1];
    fB[i1] += (2 * u) / h;
    fB[i1 - 1] -= (2 * u) / h;
    hB[m - 2] -= (2 * u * dd) / (h * h);
  }
  for (let r = 0; r < m - 1; r++) {
    sB[i0 + r + 1] += hB[r];
    sB[i0 + r] -= hB[r];
  }
}

/**
 * Reverse of cubicValue (geometry/spline.ts) on interval i at parameter sq: given the bar vB of the
 * value, adds the bars of f[i], f[i+1], fs[i], fs[i+1], s[i], s[i+1]; returns the bar of sq.
 */
export function cubicValueReverse(
  f: ArrayLike<number>,
  fs: ArrayLike<number>,
  s: ArrayLike<number>,
  i: number,
  sq: number,
  vB: number,
  fB: Float64Array,
  fsB: Float64Array,
  sB: Float64Array,
): number {
  const h = s[i + 1] - s[i];
  const t = (sq - s[i]) / h;
  const d = f[i + 1] - f[i];
  const c1 = h * fs[i] - d;
  const c2 = h * fs[i + 1] - d;
  const P = t - t * t;
  const Q = (1 - t) * c1 - t * c2;
  fB[i] += vB * (1 - t + P * (1 - 2 * t));
  fB[i + 1] += vB * (t - P * (1 - 2 * t));
  fsB[i] += vB * P * (1 - t) * h;
  fsB[i + 1] -= vB * P * t * h;
  const vt = d + (1 - 2 * t) * Q - P * (c1 + c2);
  const vh = P * ((1 - t) * fs[i] - t * fs[i + 1]);
  sB[i] += vB * ((vt * (t - 1)) / h - vh);
  sB[i + 1] += vB * ((-vt * t) / h + vh);
  return (vB * vt) / h;
}

/** Reverse of the cumulative chord length s_i = sum_(k<=i) |P_k - P_(k-1)|: sB to node bars. */
export function arcLengthReverse(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  sB: ArrayLike<number>,
  xB: Float64Array,
  yB: Float64Array,
): void {
  const n = x.length;
  let acc = 0;
  for (let i = n - 1; i >= 1; i--) {
    acc += sB[i];
    if (acc === 0) continue;
    const dx = x[i] - x[i - 1];
    const dy = y[i] - y[i - 1];
    const l = Math.hypot(dx, dy);
    if (l === 0) continue;
    xB[i] += (acc * dx) / l;
    yB[i] += (acc * dy) / l;
    xB[i - 1] -= (acc * dx) / l;
    yB[i - 1] -= (acc * dy) / l;
  }
}

/**
 * Reverse of geometricSpacing(ds1, smax, nn) (wake.ts): out[k] = ds1 (r^k - 1)/(r - 1) with r such
 * that out[nn-1] = smax. Given the bars of out, returns [ds1 bar, smax bar].
 */
export function geometricSpacingReverse(
  ds1: number,
  smax: number,
  nn: number,
  outB: ArrayLike<number>,
): [number, number] {
  const nex = nn - 1;
  // recover r from the forward definition (Newton on G(r) = smax/ds1)
  const sigma = smax / ds1;
  let r = 1.01;
  {
    const aaa = (nex * (nex - 1) * (nex - 2)) / 6;
    const bbb = (nex * (nex - 1)) / 2;
    const ccc = nex - sigma;
    if (nex >= 3) r = (-bbb + Math.sqrt(Math.max(0, bbb * bbb - 4 * aaa * ccc))) / (2 * aaa) + 1;
    for (let it = 0; it < 100; it++) {
      let G = 0;
      let Gp = 0;
      let rk = 1;
      for (let k = 0; k < nex; k++) {
        G += rk;
        if (k + 1 < nex) Gp += (k + 1) * rk;
        rk *= r;
      }
      const dr = (G - sigma) / Gp;
      r -= dr;
      if (Math.abs(dr) < 1e-15) break;
    }
  }
  let ds1B = 0;
  let rB = 0;
  let Gk = 0; // sum_{i<k} r^i
  let Gkp = 0; // d/dr
  let rk = 1;
  for (let k = 1; k < nn; k++) {
    Gkp += (k - 1) * (k >= 2 ? rk / r : 0);
    Gk += rk;
    rk *= r;
    ds1B += outB[k] * Gk;
    rB += outB[k] * ds1 * Gkp;
  }
  // G(r) = Gk at k = nex; ds1 G(r) = smax
  const G = Gk;
  const Gp = Gkp;
  const smaxB = rB / (ds1 * Gp);
  ds1B -= (rB * G) / (ds1 * Gp);
  return [ds1B, smaxB];
}

/** Bars of the trailing-edge and end-slope quantities of a PanelGeometry. */
export interface TeBars {
  /** TE gap thickness ANTE, along-bisector gap ASTE, gap length DSTE */
  ante: number;
  aste: number;
  dste: number;
  /** gap-panel factors */
  scs: number;
  sds: number;
  /** spline slopes at the first and last node */
  xp0: number;
  yp0: number;
  xpN: number;
  ypN: number;
  /** TE midpoint */
  xte: number;
  yte: number;
  /** chord |r_TE - r_LE| */
  chord: number;
}

/** Zeroed TeBars. */
export function newTeBars(): TeBars {
  return {
    ante: 0,
    aste: 0,
    dste: 0,
    scs: 0,
    sds: 0,
    xp0: 0,
    yp0: 0,
    xpN: 0,
    ypN: 0,
    xte: 0,
    yte: 0,
    chord: 0,
  };
}

/**
 * Reverse of panelGeometry's derived quantities (inviscid.ts): TE gap (scs, sds, ante, aste, dste),
 * the TE midpoint, the chord (spline LE held fixed: the chord is stationary w.r.t. the LE parameter,
 * LEFIND's defining condition), the end slopes, and the cumulative chord length s (sB, bars of
 * s at every node). Adds the node-coordinate bars to xB, yB. `sB` is consumed (modified).
 */
export function panelGeometryReverse(
  g: PanelGeometry,
  tb: TeBars,
  sB: Float64Array,
  xB: Float64Array,
  yB: Float64Array,
): void {
  const n = g.n;
  const { x, y, xp, yp, s } = g;
  // scs = ante/dste, sds = aste/dste (blunt TE)
  if (!g.sharp) {
    tb.ante += tb.scs / g.dste;
    tb.aste += tb.sds / g.dste;
    tb.dste -= (tb.scs * g.ante + tb.sds * g.aste) / (g.dste * g.dste);
  }
  const dxte = x[0] - x[n - 1];
  const dyte = y[0] - y[n - 1];
  const dxs = 0.5 * (-xp[0] + xp[n - 1]);
  const dys = 0.5 * (-yp[0] + yp[n - 1]);
  // ante = dxs dyte - dys dxte, aste = dxs dxte + dys dyte, dste = |dte|
  const dxsB = tb.ante * dyte + tb.aste * dxte;
  const dysB = -tb.ante * dxte + tb.aste * dyte;
  let dxteB = -tb.ante * dys + tb.aste * dxs;
  let dyteB = tb.ante * dxs + tb.aste * dys;
  if (tb.dste !== 0 && g.dste > 0) {
    dxteB += (tb.dste * dxte) / g.dste;
    dyteB += (tb.dste * dyte) / g.dste;
  }
  const xpB = new Float64Array(n);
  const ypB = new Float64Array(n);
  xpB[0] += tb.xp0 - 0.5 * dxsB;
  xpB[n - 1] += tb.xpN + 0.5 * dxsB;
  ypB[0] += tb.yp0 - 0.5 * dysB;
  ypB[n - 1] += tb.ypN + 0.5 * dysB;
  xB[0] += dxteB;
  xB[n - 1] -= dxteB;
  yB[0] += dyteB;
  yB[n - 1] -= dyteB;
  // chord = |r_TE - r_LE(sle)|, sle fixed
  let xteB = tb.xte;
  let yteB = tb.yte;
  if (tb.chord !== 0) {
    const cx = g.xte - g.xle;
    const cy = g.yte - g.yle;
    const c = Math.hypot(cx, cy);
    xteB += (tb.chord * cx) / c;
    yteB += (tb.chord * cy) / c;
    const i = findInterval(s, g.sle);
    cubicValueReverse(x, xp, s, i, g.sle, (-tb.chord * cx) / c, xB, xpB, sB);
    cubicValueReverse(y, yp, s, i, g.sle, (-tb.chord * cy) / c, yB, ypB, sB);
  }
  xB[0] += 0.5 * xteB;
  xB[n - 1] += 0.5 * xteB;
  yB[0] += 0.5 * yteB;
  yB[n - 1] += 0.5 * yteB;
  splineSlopesReverse(x, s, xp, xpB, xB, sB);
  splineSlopesReverse(y, s, yp, ypB, yB, sB);
  arcLengthReverse(x, y, sB, xB, yB);
}

/**
 * Reverse of the wake gap (stations.ts buildStationMap, XICALC): wgap_k = ante (A + B z) z^2,
 * z = 1 - L_k/(TELRAT ante), A, B from the TE flap slope (end-slope cross product). Adds to the
 * bars of ante, the end slopes (tb) and the wake lengths LB (index k).
 */
export function wakeGapReverse(
  g: PanelGeometry,
  L: ArrayLike<number>,
  wgapB: ArrayLike<number>,
  tb: TeBars,
  LB: Float64Array,
): void {
  if (g.sharp) return;
  const n = g.n;
  const xp0 = g.xp[0];
  const yp0 = g.yp[0];
  const xpN = g.xp[n - 1];
  const ypN = g.yp[n - 1];
  const q0 = xp0 * xp0 + yp0 * yp0;
  const qN = xpN * xpN + ypN * ypN;
  const den = Math.sqrt(q0 * qN);
  const crosp = (xp0 * ypN - yp0 * xpN) / den;
  let dw = crosp / Math.sqrt(1 - crosp * crosp);
  const lim = 3 / WAKE_GAP_LENGTH_RATIO;
  const clipped = dw > lim || dw < -lim;
  dw = Math.min(Math.max(dw, -lim), lim);
  const aa = 3 + WAKE_GAP_LENGTH_RATIO * dw;
  const bb = -2 - WAKE_GAP_LENGTH_RATIO * dw;
  const ante = g.ante;
  let dwB = 0;
  for (let k = 0; k < wgapB.length; k++) {
    const b = wgapB[k];
    if (b === 0) continue;
    const zn = 1 - L[k] / (WAKE_GAP_LENGTH_RATIO * ante);
    if (!(zn >= 0)) continue;
    const znB = b * ante * zn * (2 * aa + 3 * bb * zn);
    tb.ante += b * (aa + bb * zn) * zn * zn + (znB * L[k]) / (WAKE_GAP_LENGTH_RATIO * ante * ante);
    LB[k] -= znB / (WAKE_GAP_LENGTH_RATIO * ante);
    dwB += b * ante * WAKE_GAP_LENGTH_RATIO * (1 - zn) * zn * zn;
  }
  if (clipped || dwB === 0) return;
  const crospB = dwB / Math.pow(1 - crosp * crosp, 1.5);
  // crosp = (xp0 ypN - yp0 xpN) / sqrt(q0 qN)
  const num = xp0 * ypN - yp0 * xpN;
  const f = crospB / den;
  tb.xp0 += f * (ypN - (num * xp0) / q0);
  tb.yp0 += f * (-xpN - (num * yp0) / q0);
  tb.xpN += f * (-yp0 - (num * xpN) / qN);
  tb.ypN += f * (xp0 - (num * ypN) / qN);
}

/**
 * Reverse of forceCoefficients (inviscid.ts CLCALC) for CL and CM about (xref, yref): given the bars
 * clB, cmB, adds the bars of the node coordinates, of the node speeds q (qB) and returns the alpha
 * bar. Node speeds enter through the Karman-Tsien Cp.
 */
export function forcesReverse(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  n: number,
  q: ArrayLike<number>,
  alphaRad: number,
  mach: number,
  clB: number,
  cmB: number,
  xB: Float64Array,
  yB: Float64Array,
  qB: Float64Array,
  xref = 0.25,
  yref = 0,
): number {
  const sa = Math.sin(alphaRad);
  const ca = Math.cos(alphaRad);
  const beta = Math.sqrt(1 - mach * mach);
  const bfac = (0.5 * mach * mach) / (1 + beta);
  const cp = new Float64Array(n);
  const cpQ = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const cginc = 1 - q[i] * q[i];
    const den = beta + bfac * cginc;
    cp[i] = cginc / den;
    cpQ[i] = ((1 - bfac * cp[i]) / den) * (-2 * q[i]);
  }
  const cpB = new Float64Array(n);
  let aB = 0;
  for (let i = 0; i < n; i++) {
    const ip = i === n - 1 ? 0 : i + 1;
    const ddx = x[ip] - x[i];
    const ddy = y[ip] - y[i];
    const dx = ddx * ca + ddy * sa;
    const dy = ddy * ca - ddx * sa;
    const cpg1 = cp[i];
    const cpg2 = cp[ip];
    const dg = cpg2 - cpg1;
    const mx = 0.5 * (x[ip] + x[i]) - xref;
    const my = 0.5 * (y[ip] + y[i]) - yref;
    const ax = mx * ca + my * sa;
    const ay = my * ca - mx * sa;
    const ag = 0.5 * (cpg2 + cpg1);
    // cl += dx ag; cm -= dx (ag ax + dg dx/12) + dy (ag ay + dg dy/12)
    const dxB = clB * ag - cmB * (ag * ax + (dg * dx) / 6);
    const dyB = -cmB * (ag * ay + (dg * dy) / 6);
    const agB = clB * dx - cmB * (dx * ax + dy * ay);
    const dgB = (-cmB * (dx * dx + dy * dy)) / 12;
    const axB = -cmB * dx * ag;
    const ayB = -cmB * dy * ag;
    cpB[i] += 0.5 * agB - dgB;
    cpB[ip] += 0.5 * agB + dgB;
    // ax = mx ca + my sa, ay = my ca - mx sa
    const mxB = axB * ca - ayB * sa;
    const myB = axB * sa + ayB * ca;
    aB += axB * (-mx * sa + my * ca) + ayB * (-my * sa - mx * ca);
    xB[ip] += 0.5 * mxB;
    xB[i] += 0.5 * mxB;
    yB[ip] += 0.5 * myB;
    yB[i] += 0.5 * myB;
    // dx = ddx ca + ddy sa, dy = ddy ca - ddx sa
    const ddxB = dxB * ca - dyB * sa;
    const ddyB = dxB * sa + dyB * ca;
    aB += dxB * (-ddx * sa + ddy * ca) + dyB * (-ddy * sa - ddx * ca);
    xB[ip] += ddxB;
    xB[i] -= ddxB;
    yB[ip] += ddyB;
    yB[i] -= ddyB;
  }
  for (let i = 0; i < n; i++) qB[i] += cpB[i] * cpQ[i];
  return aB;
}

/**
 * Reverse of the cubic Hermite evaluation on interval i at parameter sq (geometry/spline.ts
 * cubicValue, cubicSlope, cubicSecond at once): given the bars vB, pB, qB of the value, the slope
 * df/ds and the second derivative, adds the bars of f[i], f[i+1], fs[i], fs[i+1], s[i], s[i+1];
 * returns the bar of sq.
 */
export function cubicReverse(
  f: ArrayLike<number>,
  fs: ArrayLike<number>,
  s: ArrayLike<number>,
  i: number,
  sq: number,
  vB: number,
  pB: number,
  qB: number,
  fB: Float64Array,
  fsB: Float64Array,
  sB: Float64Array,
): number {
  const h = s[i + 1] - s[i];
  const t = (sq - s[i]) / h;
  const d = f[i + 1] - f[i];
  const c1 = h * fs[i] - d;
  const c2 = h * fs[i + 1] - d;
  const P = t - t * t;
  const Q = (1 - t) * c1 - t * c2;
  const al = 1 - 4 * t + 3 * t * t;
  const be = 3 * t * t - 2 * t;
  const p = (d + al * c1 + be * c2) / h;
  const q = ((6 * t - 4) * c1 + (6 * t - 2) * c2) / (h * h);
  let dB = vB * t + pB / h;
  const c1B = vB * P * (1 - t) + (pB * al) / h + (qB * (6 * t - 4)) / (h * h);
  const c2B = -vB * P * t + (pB * be) / h + (qB * (6 * t - 2)) / (h * h);
  const tB =
    vB * (d + (1 - 2 * t) * Q - P * (c1 + c2)) +
    (pB * ((6 * t - 4) * c1 + (6 * t - 2) * c2)) / h +
    (qB * 6 * (c1 + c2)) / (h * h);
  let hB = -(pB * p) / h - (2 * qB * q) / h;
  // c1 = h fs0 - d, c2 = h fs1 - d
  fsB[i] += c1B * h;
  fsB[i + 1] += c2B * h;
  hB += c1B * fs[i] + c2B * fs[i + 1];
  dB -= c1B + c2B;
  fB[i] += vB - dB;
  fB[i + 1] += dB;
  // t = (sq - s_i)/h, h = s_(i+1) - s_i
  hB -= (tB * t) / h;
  sB[i] -= tB / h + hB;
  sB[i + 1] += hB;
  return tB / h;
}

/** Value, slope and second derivative of the cubic on interval i at sq (cubicValue/Slope/Second). */
export function cubicEval(
  f: ArrayLike<number>,
  fs: ArrayLike<number>,
  s: ArrayLike<number>,
  i: number,
  sq: number,
  out: Float64Array,
): Float64Array {
  out[0] = cubicValue(f, fs, s, i, sq);
  out[1] = cubicSlope(f, fs, s, i, sq);
  out[2] = cubicSecond(f, fs, s, i, sq);
  return out;
}
