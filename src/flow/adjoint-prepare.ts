/**
 * Reverse (vector-Jacobian) products of the solver's geometry preparation (analyze.ts
 * prepareAirfoil): normalize (geometry/normalize.ts: spline LE at the origin, chord 1) and the
 * XFOIL-like curvature-based repaneling (geometry/paneling.ts repanel, PANGEN). With these, the
 * adjoint gradient w.r.t. the solver's nodes becomes a gradient w.r.t. the user's input coordinates
 * at O(N) extra cost, independent of the number of design variables.
 *
 * repanel does not expose its intermediates, so repanelReverse re-evaluates them with the same
 * formulas (curvature at the nodes and around the LE, the smoothing solve, its normalization, the
 * curvature spline, and the converged oversampled node parameters, re-converged by Newton's method
 * from repanel's own output parameters) and checks that the re-evaluation reproduces repanel's
 * output nodes; then it differentiates:
 *   output node = input spline at s_j  ->  spline data and s_j
 *   s_j: the spacing equations F(s; kap_s spline, s_total) = 0 (implicit function theorem: one
 *        transposed tridiagonal solve)
 *   kap_s = |smoothed kap| / max, smoothing (L_s^2 depends on kap_avg), kap = spline curvature at
 *        the nodes, kap_LE and kap_avg at the spline leading edge
 *   spline LE parameter: root of (r(s) - r_TE) . r'(s) = 0 (implicit)
 *   spline slopes (tridiagonal), cumulative chord length.
 * Unsupported inputs (corners = doubled points, the curvature-undershoot limiter active, a node
 * exactly at the spline LE) throw an Error; the caller then differentiates repanel by finite
 * differences instead.
 */
import { normalize } from '../geometry/normalize';
import {
  limitCurvatureUndershoot,
  repanelWithInfo,
  spacingSystem,
  type RepanelOptions,
} from '../geometry/paneling';
import {
  buildSpline,
  cubicSlope,
  cubicValue,
  findInterval,
  findLeadingEdge,
  splineSlopes,
  type Spline,
} from '../geometry/spline';
import type { Airfoil } from '../geometry/types';
import { arcLengthReverse, cubicEval, cubicReverse, splineSlopesReverse } from './adjoint-geometry';

/** Bars of a spline's data: node values and slopes of x and y, and the node parameters s. */
interface SplineBars {
  x: Float64Array;
  y: Float64Array;
  xs: Float64Array;
  ys: Float64Array;
  s: Float64Array;
}

export function newSplineBars(n: number): SplineBars {
  return {
    x: new Float64Array(n),
    y: new Float64Array(n),
    xs: new Float64Array(n),
    ys: new Float64Array(n),
    s: new Float64Array(n),
  };
}

/** Converts spline-data bars to node-coordinate bars (slopes -> values and s, s -> coordinates). */
export function splineBarsToNodes(sp: Spline, b: SplineBars, xB: Float64Array, yB: Float64Array): void {
  splineSlopesReverse(sp.x, sp.s, sp.xs, b.xs, b.x, b.s);
  splineSlopesReverse(sp.y, sp.s, sp.ys, b.ys, b.y, b.s);
  for (let i = 0; i < sp.n; i++) {
    xB[i] += b.x[i];
    yB[i] += b.y[i];
  }
  arcLengthReverse(sp.x, sp.y, b.s, xB, yB);
}

const ev = new Float64Array(3);

/**
 * Reverse of the implicit LE parameter s_le (findLeadingEdge: g(s) = (r(s) - r_TE) . r'(s) = 0):
 * given its bar, adds the bars of the spline data and of the two end nodes (r_TE).
 */
export function leadingEdgeReverse(sp: Spline, sle: number, sleB: number, b: SplineBars): void {
  if (sleB === 0) return;
  const n = sp.n;
  const i = findInterval(sp.s, sle);
  const xte = 0.5 * (sp.x[0] + sp.x[n - 1]);
  const yte = 0.5 * (sp.y[0] + sp.y[n - 1]);
  cubicEval(sp.x, sp.xs, sp.s, i, sle, ev);
  const px = ev[0] - xte;
  const dx = ev[1];
  const ddx = ev[2];
  cubicEval(sp.y, sp.ys, sp.s, i, sle, ev);
  const py = ev[0] - yte;
  const dy = ev[1];
  const ddy = ev[2];
  const gs = dx * dx + dy * dy + px * ddx + py * ddy;
  const lam = -sleB / gs;
  // g = px dx + py dy
  cubicReverse(sp.x, sp.xs, sp.s, i, sle, lam * dx, lam * px, 0, b.x, b.xs, b.s);
  cubicReverse(sp.y, sp.ys, sp.s, i, sle, lam * dy, lam * py, 0, b.y, b.ys, b.s);
  b.x[0] -= 0.5 * lam * dx;
  b.x[n - 1] -= 0.5 * lam * dx;
  b.y[0] -= 0.5 * lam * dy;
  b.y[n - 1] -= 0.5 * lam * dy;
}

/**
 * Reverse of normalize(a) (no derotation): out = (r - r_LE)/c, c = |r_TE - r_LE|, r_LE the spline
 * leading edge. Given the bars of the output coordinates, returns the bars of a's coordinates.
 */
export function normalizeReverse(
  a: Airfoil,
  outXB: ArrayLike<number>,
  outYB: ArrayLike<number>,
): { x: Float64Array; y: Float64Array } {
  const n = a.x.length;
  const sp = buildSpline(a.x, a.y);
  const le = findLeadingEdge(sp);
  const xte = 0.5 * (a.x[0] + a.x[n - 1]);
  const yte = 0.5 * (a.y[0] + a.y[n - 1]);
  const cx = xte - le.x;
  const cy = yte - le.y;
  const c = Math.hypot(cx, cy);
  const xB = new Float64Array(n);
  const yB = new Float64Array(n);
  let xleB = 0;
  let yleB = 0;
  let cB = 0;
  for (let i = 0; i < n; i++) {
    const ox = (a.x[i] - le.x) / c;
    const oy = (a.y[i] - le.y) / c;
    xB[i] += outXB[i] / c;
    yB[i] += outYB[i] / c;
    xleB -= outXB[i] / c;
    yleB -= outYB[i] / c;
    cB -= (outXB[i] * ox + outYB[i] * oy) / c;
  }
  // c = |r_TE - r_LE|
  const xteB = (cB * cx) / c;
  const yteB = (cB * cy) / c;
  xleB -= (cB * cx) / c;
  yleB -= (cB * cy) / c;
  xB[0] += 0.5 * xteB;
  xB[n - 1] += 0.5 * xteB;
  yB[0] += 0.5 * yteB;
  yB[n - 1] += 0.5 * yteB;
  // r_LE = r(s_le): the value at fixed s_le, plus s_le's own dependence
  const b = newSplineBars(n);
  const i = findInterval(sp.s, le.s);
  let sleB = cubicReverse(sp.x, sp.xs, sp.s, i, le.s, xleB, 0, 0, b.x, b.xs, b.s);
  sleB += cubicReverse(sp.y, sp.ys, sp.s, i, le.s, yleB, 0, 0, b.y, b.ys, b.s);
  leadingEdgeReverse(sp, le.s, sleB, b);
  splineBarsToNodes(sp, b, xB, yB);
  return { x: xB, y: yB };
}

/** |curvature| of the spline on interval i at sq, its value (for the reverse). */
export function curvature(sp: Spline, i: number, sq: number): number {
  cubicEval(sp.x, sp.xs, sp.s, i, sq, ev);
  const dx = ev[1];
  const ddx = ev[2];
  cubicEval(sp.y, sp.ys, sp.s, i, sq, ev);
  const dy = ev[1];
  const ddy = ev[2];
  const q = dx * dx + dy * dy;
  return Math.abs(dx * ddy - dy * ddx) / (q * Math.sqrt(q));
}

/** Reverse of curvature(sp, i, sq) with bar kB: adds spline-data bars; returns the bar of sq. */
export function curvatureReverse(sp: Spline, i: number, sq: number, kB: number, b: SplineBars): number {
  if (kB === 0) return 0;
  cubicEval(sp.x, sp.xs, sp.s, i, sq, ev);
  const dx = ev[1];
  const ddx = ev[2];
  cubicEval(sp.y, sp.ys, sp.s, i, sq, ev);
  const dy = ev[1];
  const ddy = ev[2];
  const q = dx * dx + dy * dy;
  const cross = dx * ddy - dy * ddx;
  const k = Math.abs(cross) / (q * Math.sqrt(q));
  const crossB = (Math.sign(cross) * kB) / (q * Math.sqrt(q));
  const qB = (-1.5 * k * kB) / q;
  const dxB = crossB * ddy + 2 * dx * qB;
  const dyB = -crossB * ddx + 2 * dy * qB;
  const ddxB = -crossB * dy;
  const ddyB = crossB * dx;
  let sqB = cubicReverse(sp.x, sp.xs, sp.s, i, sq, 0, dxB, ddxB, b.x, b.xs, b.s);
  sqB += cubicReverse(sp.y, sp.ys, sp.s, i, sq, 0, dyB, ddyB, b.y, b.ys, b.s);
  return sqB;
}

/** Solves a_i u_(i-1) + b_i u_i + c_i u_(i+1) = r_i (inputs kept; optional scratch cp and output u). */
function tridiag(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  c: ArrayLike<number>,
  r: ArrayLike<number>,
  n: number,
  cp: Float64Array = new Float64Array(n),
  u: Float64Array = new Float64Array(n),
): Float64Array {
  let den = b[0];
  cp[0] = c[0] / den;
  u[0] = r[0] / den;
  for (let i = 1; i < n; i++) {
    den = b[i] - a[i] * cp[i - 1];
    cp[i] = c[i] / den;
    u[i] = (r[i] - a[i] * u[i - 1]) / den;
  }
  for (let i = n - 2; i >= 0; i--) u[i] -= cp[i] * u[i + 1];
  return u;
}

/** Solves the transposed tridiagonal system (T^T u = r, T rows as in tridiag). */
function tridiagT(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  c: ArrayLike<number>,
  r: ArrayLike<number>,
  n: number,
): Float64Array {
  // T^T: sub(i) = c[i-1], diag b[i], super(i) = a[i+1]
  const sub = new Float64Array(n);
  const sup = new Float64Array(n);
  for (let i = 1; i < n; i++) sub[i] = c[i - 1];
  for (let i = 0; i < n - 1; i++) sup[i] = a[i + 1];
  return tridiag(sub, b, sup, r, n);
}

/** Result of prepareReverseData: the forward data of normalize + repanel needed by the reverse. */
export interface PrepareTrace {
  input: Airfoil;
  normalized: Airfoil;
  prepared: Airfoil;
  /** repanel options used (nodes) */
  opts: RepanelOptions;
  /** spline parameters of the output nodes on the normalized input's spline */
  sOut: Float64Array;
  repaneled: boolean;
}

/**
 * The solver's geometry preparation (normalize, then repanel with `nodes` nodes unless `repanel` is
 * false), keeping what the reverse needs. Identical output to analyze.ts prepareAirfoil.
 */
export function prepareWithTrace(input: Airfoil, nodes: number, repanel = true): PrepareTrace {
  const normalized = normalize(input);
  if (!repanel) {
    return {
      input,
      normalized,
      prepared: normalized,
      opts: { nodes },
      sOut: new Float64Array(0),
      repaneled: false,
    };
  }
  const info = repanelWithInfo(normalized, { nodes });
  return { input, normalized, prepared: info.airfoil, opts: { nodes }, sOut: info.s, repaneled: true };
}

/**
 * Reverse of repanel(a, opts) (see the module comment): given the bars of the output node
 * coordinates, returns the bars of a's node coordinates. `sOut` = repanelWithInfo(a, opts).s,
 * `out` = its airfoil (checked against the re-evaluation). Throws an Error for unsupported input.
 */
export function repanelTrace(
  a: Airfoil,
  opts: RepanelOptions,
  sOut: Float64Array,
  out: Airfoil,
  sleRows?: number,
  checkTol = 1e-9,
) {
  const nOut = opts.nodes ?? 160;
  const cvpar = opts.curvatureParam ?? 1.0;
  const cterat = opts.teLeRatio ?? 0.15;
  const rdste = opts.teSpacingRatio ?? 0.667;
  const ipfac = opts.oversample ?? 5;
  if (opts.nodeAtLeadingEdge) throw new Error('repanelReverse: nodeAtLeadingEdge not supported');
  const sp = buildSpline(a.x, a.y);
  const nb = sp.n;
  const sb = sp.s;
  for (let i = 0; i < nb - 1; i++)
    if (sb[i + 1] === sb[i]) throw new Error('repanelReverse: corners not supported');
  const sTot = sb[nb - 1];
  const sbref = 0.5 * sTot;
  const le = findLeadingEdge(sp);
  const sle = le.s;
  // ---- forward re-evaluation
  const kap = new Float64Array(nb);
  const kIv = new Int32Array(nb);
  for (let i = 0; i < nb; i++) {
    kIv[i] = i < nb - 1 ? i : nb - 2;
    kap[i] = curvature(sp, kIv[i], sb[i]) * sbref;
  }
  // interval of the LE curvature: at a node, the side being taken (its s_le derivative involves the
  // spline's third derivative, which jumps at nodes)
  const iLe = findInterval(sb, sleRows ?? sle);
  const kapLeRaw = curvature(sp, iLe, sle);
  const kapLe = kapLeRaw * sbref;
  const halfDen = Math.max(kapLe, 20);
  const half = sbref / halfDen;
  const sampIv = new Int32Array(7);
  const sampS = new Float64Array(7);
  let kapSum = 0;
  for (let k = -3; k <= 3; k++) {
    const sq = sle + (k / 3) * half;
    sampS[k + 3] = sq;
    sampIv[k + 3] = k === 0 ? iLe : findInterval(sb, sq);
    kapSum += curvature(sp, sampIv[k + 3], sq) * sbref;
  }
  const kapAvg = kapSum / 7;
  kap[0] = cterat * kapAvg;
  kap[nb - 1] = cterat * kapAvg;
  const lsA = 1 / Math.max(kapAvg, 20);
  const lsBv = 0.25 / (nOut / 2);
  const ls = sbref * Math.max(lsA, lsBv);
  const ls2 = ls * ls;
  // smoothing rows: generic (dsm, dsp, dso from sb) or the two rows next to the LE (a virtual
  // neighbour at s_le with value kap_LE, moved to the right-hand side)
  const ta = new Float64Array(nb);
  const tb = new Float64Array(nb);
  const tc = new Float64Array(nb);
  const tv = new Float64Array(nb); // virtual LE coefficient (rhs gets -tv kap_LE)
  const rhs = Float64Array.from(kap);
  const rdsm = new Float64Array(nb);
  const rdsp = new Float64Array(nb);
  tb[0] = 1;
  tb[nb - 1] = 1;
  // position of the LE as the smoothing rows see it (sleRows: one-sided limit at a node, see
  // repanelReverse); the LE curvature itself is evaluated at the true s_le
  const sleR = sleRows ?? sle;
  let jLe = -1; // node before the LE (row with the virtual right neighbour)
  for (let i = 1; i < nb - 1; i++) if (sb[i - 1] < sleR && sb[i] > sleR) jLe = i - 1;
  if (jLe < 0) throw new Error('repanelReverse: leading edge at a node');
  const iLeR = jLe + 1;
  for (let i = 1; i < nb - 1; i++) {
    let dsm = sb[i] - sb[i - 1];
    let dsp = sb[i + 1] - sb[i];
    if (i === jLe && jLe >= 1) dsp = sleR - sb[i];
    if (i === iLeR) dsm = sb[i] - sleR;
    const dso = 0.5 * (dsm + dsp);
    rdsm[i] = dsm;
    rdsp[i] = dsp;
    const cm = -ls2 / (dsm * dso);
    const cp = -ls2 / (dsp * dso);
    tb[i] = 1 + (ls2 * (1 / dsm + 1 / dsp)) / dso;
    if (i === jLe && jLe >= 1) {
      ta[i] = cm;
      tv[i] = cp;
    } else if (i === iLeR) {
      tv[i] = cm;
      tc[i] = cp;
    } else {
      ta[i] = cm;
      tc[i] = cp;
    }
    rhs[i] -= tv[i] * kapLe;
  }
  const raw = tridiag(ta, tb, tc, rhs, nb);
  let kapMax = 0;
  let iMax = 0;
  for (let i = 0; i < nb; i++) {
    if (Math.abs(raw[i]) > kapMax) {
      kapMax = Math.abs(raw[i]);
      iMax = i;
    }
  }
  // nodes tied for the maximum (symmetric sections): max() has a kink there; the reverse takes the
  // mean of the one-sided derivatives (= what central differences measure)
  const maxTies: number[] = [];
  for (let i = 0; i < nb; i++) if (Math.abs(raw[i]) >= kapMax * (1 - 1e-11)) maxTies.push(i);
  const kapS = new Float64Array(nb);
  for (let i = 0; i < nb; i++) kapS[i] = Math.abs(raw[i]) / kapMax;
  const kapSs = splineSlopes(kapS, sb);
  {
    const lim = Float64Array.from(kapSs);
    limitCurvatureUndershoot(kapS, lim, sb);
    for (let i = 0; i < nb; i++)
      if (lim[i] !== kapSs[i]) throw new Error('repanelReverse: curvature limiter active');
  }
  // oversampled node parameters: re-converge the spacing equations from repanel's output parameters
  const cc = 6 * cvpar;
  const nn = ipfac * (nOut - 1) + 1;
  const rtf = 2 * (rdste - 1) + 1;
  const sn = new Float64Array(nn);
  for (let j = 0; j < nOut - 1; j++) {
    for (let k = 0; k < ipfac; k++) sn[j * ipfac + k] = sOut[j] + ((sOut[j + 1] - sOut[j]) * k) / ipfac;
  }
  sn[0] = 0;
  sn[nn - 1] = sTot;
  const kq = new Float64Array(nn);
  const kd = new Float64Array(nn);
  const snIv = new Int32Array(nn);
  const ja = new Float64Array(nn);
  const jb = new Float64Array(nn);
  const jc = new Float64Array(nn);
  const rr = new Float64Array(nn);
  const spacing = (): void => {
    // sn is increasing: intervals by a moving pointer (= findInterval without corners)
    let iv = 0;
    for (let i = 0; i < nn; i++) {
      const sq = sn[i];
      while (iv < nb - 2 && sb[iv + 1] <= sq) iv++;
      snIv[i] = iv;
      kq[i] = cubicValue(kapS, kapSs, sb, iv, sq);
      kd[i] = cubicSlope(kapS, kapSs, sb, iv, sq);
    }
    spacingSystem(sn, kq, kd, null, cc, rtf, rr, ja, jb, jc);
  };
  let newtonIterations = 0;
  const tdCp = new Float64Array(nn);
  const tdU = new Float64Array(nn);
  for (let it = 0; it < 20; it++) {
    newtonIterations++;
    spacing();
    const step = tridiag(ja, jb, jc, rr, nn, tdCp, tdU);
    let mx = 0;
    for (let i = 0; i < nn; i++) {
      sn[i] += step[i];
      mx = Math.max(mx, Math.abs(step[i]));
    }
    if (mx < 1e-13 * sTot) break;
  }
  spacing();
  // check: the re-evaluation reproduces repanel's nodes
  for (let j = 1; j < nOut - 1; j++) {
    const sq = sn[j * ipfac];
    const iv = findInterval(sb, sq);
    const xx = cubicValue(sp.x, sp.xs, sb, iv, sq);
    const yy = cubicValue(sp.y, sp.ys, sb, iv, sq);
    if (Math.abs(xx - out.x[j]) + Math.abs(yy - out.y[j]) > checkTol)
      throw new Error('repanelReverse: re-evaluation differs from repanel');
  }
  return {
    sp,
    nb,
    sb,
    sTot,
    sbref,
    sle,
    sleR,
    kap,
    kIv,
    iLe,
    kapLeRaw,
    kapLe,
    halfDen,
    sampIv,
    sampS,
    kapAvg,
    cterat,
    lsA,
    lsBv,
    ls,
    ls2,
    ta,
    tb,
    tc,
    tv,
    rdsm,
    rdsp,
    jLe,
    iLeR,
    raw,
    kapMax,
    iMax,
    maxTies,
    kapS,
    kapSs,
    cc,
    nn,
    sn,
    kq,
    kd,
    snIv,
    ja,
    jb,
    jc,
    ipfac,
    nOut,
    newtonIterations,
  };
}

/** Intermediate quantities of repanel (see repanelTrace). */
export type RepanelTrace = ReturnType<typeof repanelTrace>;

/** Optional bars of intermediate stages of repanel (for testing the reverse stage by stage). */
export interface RepanelStageBars {
  out?: { x: ArrayLike<number>; y: ArrayLike<number> };
  sn?: Float64Array;
  kapS?: Float64Array;
  raw?: Float64Array;
  kap?: Float64Array;
  kapLe?: number;
  kapAvg?: number;
  sle?: number;
}

/**
 * Reverse of repanel(a, opts) (see the module comment): given the bars of the output node
 * coordinates, returns the bars of a's node coordinates. `sOut` = repanelWithInfo(a, opts).s,
 * `out` = its airfoil (checked against the re-evaluation). Throws an Error for unsupported input.
 */
export function repanelReverse(
  a: Airfoil,
  opts: RepanelOptions,
  sOut: Float64Array,
  out: Airfoil,
  outXB: ArrayLike<number>,
  outYB: ArrayLike<number>,
): { x: Float64Array; y: Float64Array } {
  const sp = buildSpline(a.x, a.y);
  const sle = findLeadingEdge(sp).s;
  const sTot = sp.s[sp.n - 1];
  let node = -1;
  for (let i = 1; i < sp.n - 1; i++) if (Math.abs(sp.s[i] - sle) < LE_AT_NODE_TOL * sTot) node = i;
  const st = { out: { x: outXB, y: outYB } };
  if (node < 0) return repanelReverseStages(repanelTrace(a, opts, sOut, out), st);
  // the LE on a node (e.g. a symmetric section with a shared LE node): repanel's smoothing switches
  // between "LE before node" and "LE after node"; the map is continuous with a kink there. Mean of
  // the two one-sided derivatives (limits taken at +-LE_SIDE_OFFSET), = central differences.
  const d = LE_SIDE_OFFSET * sTot;
  const l = repanelReverseStages(repanelTrace(a, opts, sOut, out, sp.s[node] - d, 1e-6), st);
  const r = repanelReverseStages(repanelTrace(a, opts, sOut, out, sp.s[node] + d, 1e-6), st);
  for (let i = 0; i < l.x.length; i++) {
    l.x[i] = 0.5 * (l.x[i] + r.x[i]);
    l.y[i] = 0.5 * (l.y[i] + r.y[i]);
  }
  return l;
}

/** LE closer than this (times the contour length) to a node counts as "at the node". */
const LE_AT_NODE_TOL = 1e-9;
/** one-sided limits at an LE node are evaluated this far (times the contour length) from the node */
const LE_SIDE_OFFSET = 1e-7;

/** Reverse of repanel from the bars of any intermediate stages (RepanelStageBars). */
export function repanelReverseStages(
  T: RepanelTrace,
  st: RepanelStageBars,
): { x: Float64Array; y: Float64Array } {
  const {
    sp,
    nb,
    sb,
    sbref,
    sle,
    kap,
    kIv,
    iLe,
    kapLeRaw,
    kapLe,
    halfDen,
    sampIv,
    sampS,
    kapAvg,
    cterat,
    lsA,
    lsBv,
    ls,
    ls2,
    ta,
    tb,
    tc,
    rdsm,
    rdsp,
    jLe,
    iLeR,
    raw,
    kapMax,
    maxTies,
    kapS,
    kapSs,
    cc,
    nn,
    sn,
    kq,
    snIv,
    ja,
    jb,
    jc,
    ipfac,
    nOut,
  } = T;
  const outXB = st.out?.x ?? new Float64Array(nOut);
  const outYB = st.out?.y ?? new Float64Array(nOut);

  // ---- reverse
  const b = newSplineBars(nb);
  const xB = new Float64Array(nb);
  const yB = new Float64Array(nb);
  xB[0] += outXB[0];
  yB[0] += outYB[0];
  xB[nb - 1] += outXB[nOut - 1];
  yB[nb - 1] += outYB[nOut - 1];
  const snB = st.sn ? Float64Array.from(st.sn) : new Float64Array(nn);
  for (let j = 1; j < nOut - 1; j++) {
    const sq = sn[j * ipfac];
    const iv = findInterval(sb, sq);
    snB[j * ipfac] += cubicReverse(sp.x, sp.xs, sb, iv, sq, outXB[j], 0, 0, b.x, b.xs, b.s);
    snB[j * ipfac] += cubicReverse(sp.y, sp.ys, sb, iv, sq, outYB[j], 0, 0, b.y, b.ys, b.s);
  }
  // implicit function theorem: mu = F_sn^-T snB; theta bars = -mu^T F_theta
  const mu = tridiagT(ja, jb, jc, snB, nn);
  let sTotB = mu[nn - 1];
  const kqB = new Float64Array(nn);
  for (let i = 2; i < nn - 2; i++) {
    const m = mu[i];
    if (m === 0) continue;
    const dsm = sn[i] - sn[i - 1];
    const dsp = sn[i + 1] - sn[i];
    const cm = Math.sqrt(kq[i - 1] * kq[i - 1] + kq[i] * kq[i]);
    const cp = Math.sqrt(kq[i] * kq[i] + kq[i + 1] * kq[i + 1]);
    const fm = cm > 0 ? (cc * dsm) / cm : 0;
    const fp = cp > 0 ? (cc * dsp) / cp : 0;
    // F_i = dsm (1 + cc cm) - dsp (1 + cc cp)
    kqB[i - 1] -= m * fm * kq[i - 1];
    kqB[i] -= m * (fm - fp) * kq[i];
    kqB[i + 1] += m * fp * kq[i + 1];
  }
  const kapSB = st.kapS ? Float64Array.from(st.kapS) : new Float64Array(nb);
  const kapSsB = new Float64Array(nb);
  for (let i = 0; i < nn; i++) {
    if (kqB[i] === 0) continue;
    cubicReverse(kapS, kapSs, sb, snIv[i], sn[i], kqB[i], 0, 0, kapSB, kapSsB, b.s);
  }
  splineSlopesReverse(kapS, sb, kapSs, kapSsB, kapSB, b.s);
  // kap_s = |raw| / kapMax
  const rawB = st.raw ? Float64Array.from(st.raw) : new Float64Array(nb);
  let kapMaxB = 0;
  for (let i = 0; i < nb; i++) {
    rawB[i] += (kapSB[i] * Math.sign(raw[i])) / kapMax;
    kapMaxB -= (kapSB[i] * kapS[i]) / kapMax;
  }
  for (const i of maxTies) rawB[i] += (kapMaxB * Math.sign(raw[i])) / maxTies.length;
  // smoothing solve T raw = rhs: mu2 = T^-T rawB; rhs bars = mu2; T entry bars = -mu2_i u_j
  const mu2 = tridiagT(ta, tb, tc, rawB, nb);
  const kapB = Float64Array.from(mu2);
  if (st.kap) for (let i = 0; i < nb; i++) kapB[i] += st.kap[i];
  let kapLeB = st.kapLe ?? 0;
  let ls2B = 0;
  let sleB = st.sle ?? 0;
  for (let i = 1; i < nb - 1; i++) {
    const m = mu2[i];
    if (m === 0) continue;
    const dsm = rdsm[i];
    const dsp = rdsp[i];
    const dso = 0.5 * (dsm + dsp);
    const uL = i === iLeR ? kapLe : raw[i - 1];
    const uR = i === jLe && jLe >= 1 ? kapLe : raw[i + 1];
    // coefficients of the left and right neighbours: cmv = -ls2/(dsm dso), cpv = -ls2/(dsp dso)
    const cmv = -ls2 / (dsm * dso);
    const cpv = -ls2 / (dsp * dso);
    const cmB = -m * uL;
    const cpB = -m * uR;
    const tbB = -m * raw[i];
    if (i === iLeR) kapLeB -= m * cmv;
    if (i === jLe && jLe >= 1) kapLeB -= m * cpv;
    const u = 1 / dsm + 1 / dsp;
    ls2B += (cmB * cmv + cpB * cpv) / ls2 + (tbB * u) / dso;
    let dsmB = cmB * cmv * (-1 / dsm - 0.5 / dso) + cpB * cpv * (-0.5 / dso);
    let dspB = cpB * cpv * (-1 / dsp - 0.5 / dso) + cmB * cmv * (-0.5 / dso);
    dsmB += tbB * ((ls2 * (-1 / (dsm * dsm))) / dso - (0.5 * ls2 * u) / (dso * dso));
    dspB += tbB * ((ls2 * (-1 / (dsp * dsp))) / dso - (0.5 * ls2 * u) / (dso * dso));
    if (i === iLeR) {
      b.s[i] += dsmB;
      sleB -= dsmB;
    } else {
      b.s[i] += dsmB;
      b.s[i - 1] -= dsmB;
    }
    if (i === jLe && jLe >= 1) {
      sleB += dspB;
      b.s[i] -= dspB;
    } else {
      b.s[i + 1] += dspB;
      b.s[i] -= dspB;
    }
  }
  // ls = sbref max(1/max(kapAvg, 20), 0.25/(nOut/2))
  const lsB = 2 * ls * ls2B;
  let sbrefB = lsB * Math.max(lsA, lsBv);
  let kapAvgB = (st.kapAvg ?? 0) + cterat * (kapB[0] + kapB[nb - 1]);
  if (lsA > lsBv && kapAvg > 20) kapAvgB += (lsB * sbref * -1) / (kapAvg * kapAvg);
  // kapAvg = mean of the 7 LE samples (kap * sbref) at s_le + (k/3) half, half = sbref/max(kapLe, 20)
  let halfB = 0;
  for (let k = -3; k <= 3; k++) {
    const sq = sampS[k + 3];
    const kB = (kapAvgB / 7) * sbref;
    sbrefB += (kapAvgB / 7) * curvature(sp, sampIv[k + 3], sq);
    const sqB = curvatureReverse(sp, sampIv[k + 3], sq, kB, b);
    sleB += sqB;
    halfB += (k / 3) * sqB;
  }
  sbrefB += halfB / halfDen;
  if (kapLe > 20) kapLeB -= (halfB * sbref) / (kapLe * kapLe);
  // kapLe = curvature(s_le) sbref
  sbrefB += kapLeB * kapLeRaw;
  sleB += curvatureReverse(sp, iLe, sle, kapLeB * sbref, b);
  // node curvatures (kap[0], kap[nb-1] are replaced by cterat kapAvg)
  for (let i = 1; i < nb - 1; i++) {
    const kB = kapB[i];
    if (kB === 0) continue;
    sbrefB += kB * (kap[i] / sbref);
    // sq = sb[i] is the node parameter itself: its bar belongs to s[i]
    const sqB = curvatureReverse(sp, kIv[i], sb[i], kB * sbref, b);
    b.s[i] += sqB;
  }
  sTotB += 0.5 * sbrefB;
  b.s[nb - 1] += sTotB;
  leadingEdgeReverse(sp, sle, sleB, b);
  splineBarsToNodes(sp, b, xB, yB);
  return { x: xB, y: yB };
}
