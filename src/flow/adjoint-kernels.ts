/**
 * Reverse-mode (vector-Jacobian) products of the stream-function panel kernels of panel-kernels.ts
 * with respect to the geometry: the panel node coordinates, the field point and its direction.
 *
 * For one field point (a row of an influence matrix) and given strengths, the kernels define the
 * scalar
 *   psi mode: F = sum_j dzdg_j gam_j + sum_j dzdm_j sig_j        (stream function at the point)
 *   dq mode:  F = sum_j dqdg_j gam_j + sum_j dqdm_j sig_j        (dpsi/dn_i, n_i = (nxi, nyi))
 * (airfoil vortex + gap panel + airfoil half-panel sources; or the wake half-panel sources). The
 * functions here add dF/d(geometry) to caller-owned bar arrays. A sum over rows with row weights w_i
 * is obtained by passing the weighted strengths w_i gam, w_i sig (linearity), so one call per row
 * gives the VJP of a whole influence matrix: O(panels) per row, like the forward kernel.
 *
 * The forward formulas are re-evaluated here (the reverse sweep needs their intermediates); they are
 * the same expressions as panel-kernels.ts, and test/flow/adjoint.test.ts checks every path against
 * finite differences of panel-kernels.ts itself. Panel angles and lengths are treated as the
 * functions of the node coordinates they are (APCALC), except the sharp-TE gap panel angle (pi).
 * A field point that coincides with a panel end has that end's log/angle terms set to zero in the
 * forward kernel (principal value); they carry no derivative here, which is exact when the point
 * moves with the node (the caller adds the field-point bars of an airfoil node row to that node).
 */
import type { KernelWakePanels } from './panel-kernels';
import type { PanelGeometry } from './inviscid';

/** 1/(4 pi), 1/(2 pi) as in panel-kernels.ts (local copies: hot loops) */
const QOPI = 1 / (4 * Math.PI);
const HOPI = 1 / (2 * Math.PI);

/** Derivatives w.r.t. the field point position and direction. */
export interface FieldBars {
  x: number;
  y: number;
  nx: number;
  ny: number;
}

/** Zeroed FieldBars. */
export function newFieldBars(): FieldBars {
  return { x: 0, y: 0, nx: 0, ny: 0 };
}

/** Derivatives w.r.t. airfoil node coordinates and the gap-panel factors SCS, SDS. */
export interface AirfoilBars {
  x: Float64Array;
  y: Float64Array;
  scs: number;
  sds: number;
}

/** Zeroed AirfoilBars for n nodes. */
export function newAirfoilBars(n: number): AirfoilBars {
  return { x: new Float64Array(n), y: new Float64Array(n), scs: 0, sds: 0 };
}

/** Derivatives w.r.t. wake node coordinates. */
export interface WakeBars {
  x: Float64Array;
  y: Float64Array;
}

/** psi mode (stream function rows) */
export const MODE_PSI = 0;
/** dq mode (directional-derivative rows) */
export const MODE_DQ = 1;

// ---- scratch of the half-panel reverse (module level, no allocation)
const hb = {
  xa: 0,
  xb: 0,
  yy: 0,
  rsa: 0,
  rsb: 0,
  ga: 0,
  gb: 0,
  aa: 0,
  ab: 0,
  x1i: 0,
  yyi: 0,
};
const hv = { psum: 0, pdif: 0, psni: 0, pdni: 0 };

/**
 * Reverse of one half-panel: given the bars of (psum, pdif, psni, pdni), sets hb to the bars of
 * (xa, xb, yy, rsa, rsb, ga, gb, aa, ab, x1i, yyi).
 */
function halfReverse(
  xa: number,
  xb: number,
  yy: number,
  rsa: number,
  rsb: number,
  ga: number,
  gb: number,
  aa: number,
  ab: number,
  x1i: number,
  yyi: number,
  psumB0: number,
  pdifB0: number,
  psniB: number,
  pdniB: number,
): void {
  const dxinv = 1 / (xa - xb);
  const S = xa + xb;
  const psum = xb * ab - xa * aa + 0.5 * yy * (ga - gb);
  const pdifN = S * psum + rsa * aa - rsb * ab + (xb - xa) * yy;
  const pdif = pdifN * dxinv;
  const psxa = -aa;
  const psxb = ab;
  const psyy = 0.5 * (ga - gb);
  hv.psum = psum;
  hv.pdif = pdif;
  let xaB = 0;
  let xbB = 0;
  let yyB = 0;
  let rsaB = 0;
  let rsbB = 0;
  let gaB = 0;
  let gbB = 0;
  let aaB = 0;
  let abB = 0;
  let x1iB = 0;
  let yyiB = 0;
  let SB = 0;
  let dxinvB = 0;
  let psumB = psumB0;
  let pdifB = pdifB0;
  hv.psni = (psxa + psxb) * x1i + psyy * yyi;
  if (psniB !== 0 || pdniB !== 0) {
    const pdxaN = S * psxa + psum + 2 * xa * aa - pdif;
    const pdxbN = S * psxb + psum - 2 * xb * ab + pdif;
    const pdyyN = S * psyy + 2 * (xb - xa + yy * (aa - ab));
    const pdxa = pdxaN * dxinv;
    const pdxb = pdxbN * dxinv;
    const pdyy = pdyyN * dxinv;
    hv.pdni = (pdxa + pdxb) * x1i + pdyy * yyi;
    // psni = (psxa + psxb) x1i + psyy yyi; pdni = (pdxa + pdxb) x1i + pdyy yyi
    const psxaB = psniB * x1i;
    const psxbB = psniB * x1i;
    let psyyB = psniB * yyi;
    x1iB += psniB * (psxa + psxb) + pdniB * (pdxa + pdxb);
    yyiB += psniB * psyy + pdniB * pdyy;
    const pdxaB = pdniB * x1i;
    const pdxbB = pdniB * x1i;
    const pdyyB = pdniB * yyi;
    let psxaT = psxaB;
    let psxbT = psxbB;
    // pdyy
    {
      const q = pdyyB * dxinv;
      dxinvB += pdyyB * pdyyN;
      SB += q * psyy;
      psyyB += q * S;
      xbB += 2 * q;
      xaB -= 2 * q;
      yyB += 2 * q * (aa - ab);
      aaB += 2 * q * yy;
      abB -= 2 * q * yy;
    }
    // pdxb
    {
      const q = pdxbB * dxinv;
      dxinvB += pdxbB * pdxbN;
      SB += q * psxb;
      psxbT += q * S;
      psumB += q;
      xbB -= 2 * q * ab;
      abB -= 2 * q * xb;
      pdifB += q;
    }
    // pdxa
    {
      const q = pdxaB * dxinv;
      dxinvB += pdxaB * pdxaN;
      SB += q * psxa;
      psxaT += q * S;
      psumB += q;
      xaB += 2 * q * aa;
      aaB += 2 * q * xa;
      pdifB -= q;
    }
    // psxa = -aa, psxb = ab, psyy = 0.5 (ga - gb)
    aaB -= psxaT;
    abB += psxbT;
    gaB += 0.5 * psyyB;
    gbB -= 0.5 * psyyB;
  } else {
    hv.pdni = NaN; // not needed by the caller when the dq bars are zero
  }
  // pdif
  {
    const q = pdifB * dxinv;
    dxinvB += pdifB * pdifN;
    SB += q * psum;
    psumB += q * S;
    rsaB += q * aa;
    aaB += q * rsa;
    rsbB -= q * ab;
    abB -= q * rsb;
    xbB += q * yy;
    xaB -= q * yy;
    yyB += q * (xb - xa);
  }
  // psum = xb ab - xa aa + 0.5 yy (ga - gb)
  xbB += psumB * ab;
  abB += psumB * xb;
  xaB -= psumB * aa;
  aaB -= psumB * xa;
  yyB += 0.5 * psumB * (ga - gb);
  gaB += 0.5 * psumB * yy;
  gbB -= 0.5 * psumB * yy;
  // S, dxinv
  xaB += SB;
  xbB += SB;
  const d2 = dxinv * dxinv;
  xaB -= dxinvB * d2;
  xbB += dxinvB * d2;
  hb.xa = xaB;
  hb.xb = xbB;
  hb.yy = yyB;
  hb.rsa = rsaB;
  hb.rsb = rsbB;
  hb.ga = gaB;
  hb.gb = gbB;
  hb.aa = aaB;
  hb.ab = abB;
  hb.x1i = x1iB;
  hb.yyi = yyiB;
}

// ---- per-panel accumulators of the primitive bars
const pb = {
  x1: 0,
  x2: 0,
  x0: 0,
  yy: 0,
  rs1: 0,
  rs2: 0,
  rs0: 0,
  g1: 0,
  g2: 0,
  g0: 0,
  t1: 0,
  t2: 0,
  t0: 0,
  apan: 0,
  x1i: 0,
  yyi: 0,
};

function resetPb(): void {
  pb.x1 = 0;
  pb.x2 = 0;
  pb.x0 = 0;
  pb.yy = 0;
  pb.rs1 = 0;
  pb.rs2 = 0;
  pb.rs0 = 0;
  pb.g1 = 0;
  pb.g2 = 0;
  pb.g0 = 0;
  pb.t1 = 0;
  pb.t2 = 0;
  pb.t0 = 0;
  pb.apan = 0;
  pb.x1i = 0;
  pb.yyi = 0;
}

/**
 * Source part of one panel (both half-panels, node "masses" sm, so, sp, sq of nodes jm, jo, jp, jq):
 * given wz (psi weight) and wq (dq weight), accumulates the primitive bars into pb and returns the
 * bars of dsim, dsio, dsip in srcB.
 */
const srcB = { dsim: 0, dsio: 0, dsip: 0 };
function sourcePanelReverse(
  x1: number,
  x0: number,
  x2: number,
  yy: number,
  rs1: number,
  rs0: number,
  rs2: number,
  g1: number,
  g0: number,
  g2: number,
  a1: number,
  a0: number,
  a2: number,
  x1i: number,
  yyi: number,
  sm: number,
  so: number,
  sp: number,
  sq: number,
  dsim: number,
  dsio: number,
  dsip: number,
  wz: number,
  wq: number,
): void {
  const A1 = (sp - sm) * dsim + (sp - so) * dsio;
  const B1 = (sm - sp) * dsim + (sp - so) * dsio;
  const A2 = (sq - so) * dsip + (sp - so) * dsio;
  const B2 = (sq - so) * dsip + (so - sp) * dsio;
  // half 1-0
  halfReverse(
    x1,
    x0,
    yy,
    rs1,
    rs0,
    g1,
    g0,
    a1,
    a0,
    x1i,
    yyi,
    QOPI * wz * A1,
    QOPI * wz * B1,
    QOPI * wq * A1,
    QOPI * wq * B1,
  );
  const A1B = QOPI * (wq !== 0 ? wz * hv.psum + wq * hv.psni : wz * hv.psum);
  const B1B = QOPI * (wq !== 0 ? wz * hv.pdif + wq * hv.pdni : wz * hv.pdif);
  pb.x1 += hb.xa;
  pb.x0 += hb.xb;
  pb.yy += hb.yy;
  pb.rs1 += hb.rsa;
  pb.rs0 += hb.rsb;
  pb.g1 += hb.ga;
  pb.g0 += hb.gb;
  pb.t1 += hb.aa;
  pb.t0 += hb.ab;
  pb.apan -= hb.aa + hb.ab;
  pb.x1i += hb.x1i;
  pb.yyi += hb.yyi;
  // half 0-2
  halfReverse(
    x0,
    x2,
    yy,
    rs0,
    rs2,
    g0,
    g2,
    a0,
    a2,
    x1i,
    yyi,
    QOPI * wz * A2,
    QOPI * wz * B2,
    QOPI * wq * A2,
    QOPI * wq * B2,
  );
  const A2B = QOPI * (wq !== 0 ? wz * hv.psum + wq * hv.psni : wz * hv.psum);
  const B2B = QOPI * (wq !== 0 ? wz * hv.pdif + wq * hv.pdni : wz * hv.pdif);
  pb.x0 += hb.xa;
  pb.x2 += hb.xb;
  pb.yy += hb.yy;
  pb.rs0 += hb.rsa;
  pb.rs2 += hb.rsb;
  pb.g0 += hb.ga;
  pb.g2 += hb.gb;
  pb.t0 += hb.aa;
  pb.t2 += hb.ab;
  pb.apan -= hb.aa + hb.ab;
  pb.x1i += hb.x1i;
  pb.yyi += hb.yyi;
  srcB.dsim = (A1B - B1B) * (sp - sm);
  srcB.dsio = (A1B + B1B + A2B - B2B) * (sp - so);
  srcB.dsip = (A2B + B2B) * (sq - so);
}

/**
 * Reverse of the panel-local frame: primitive bars in pb (panel from P_o to P_p, unit direction
 * (sx, sy), field point r, direction n) to the bars of r - P_o, r - P_p (fo[0..3] = rx1, ry1, rx2,
 * ry2), of n (fo[4], fo[5]) and of the panel direction (fo[6], fo[7] = sx, sy bars). g/t bars of an
 * end are dropped when that end is skipped (field point at the panel end).
 */
const fo = new Float64Array(8);
function frameReverse(
  rx1: number,
  ry1: number,
  rx2: number,
  ry2: number,
  sx: number,
  sy: number,
  x1: number,
  x2: number,
  x0: number,
  yy: number,
  rs1: number,
  rs2: number,
  rs0: number,
  nxi: number,
  nyi: number,
  skip1: boolean,
  skip2: boolean,
  hasMid: boolean,
): void {
  let x1B = pb.x1;
  let x2B = pb.x2;
  let yyB = pb.yy;
  let rs1B = pb.rs1;
  let rs2B = pb.rs2;
  if (!skip1) {
    rs1B += pb.g1 / rs1;
    x1B += (pb.t1 * yy) / rs1;
    yyB -= (pb.t1 * x1) / rs1;
  }
  if (!skip2) {
    rs2B += pb.g2 / rs2;
    x2B += (pb.t2 * yy) / rs2;
    yyB -= (pb.t2 * x2) / rs2;
  }
  if (hasMid) {
    // rs0 = x0^2 + yy^2, x0 = (x1 + x2)/2, g0 = log rs0, t0 = atan2(x0, yy)
    const rs0B = pb.rs0 + pb.g0 / rs0;
    const x0B = pb.x0 + (pb.t0 * yy) / rs0 + 2 * x0 * rs0B;
    yyB += -(pb.t0 * x0) / rs0 + 2 * yy * rs0B;
    x1B += 0.5 * x0B;
    x2B += 0.5 * x0B;
  }
  // x1 = sx rx1 + sy ry1, x2 = sx rx2 + sy ry2, yy = sx ry1 - sy rx1, rs = r.r, x1i, yyi
  fo[6] = x1B * rx1 + x2B * rx2 + yyB * ry1 + pb.x1i * nxi + pb.yyi * nyi;
  fo[7] = x1B * ry1 + x2B * ry2 - yyB * rx1 + pb.x1i * nyi - pb.yyi * nxi;
  fo[0] = x1B * sx - yyB * sy + 2 * rx1 * rs1B;
  fo[1] = x1B * sy + yyB * sx + 2 * ry1 * rs1B;
  fo[2] = x2B * sx + 2 * rx2 * rs2B;
  fo[3] = x2B * sy + 2 * ry2 * rs2B;
  fo[4] = pb.x1i * sx - pb.yyi * sy;
  fo[5] = pb.x1i * sy + pb.yyi * sx;
}

/**
 * Panel-level bars accumulated over many field points (rows) and converted to node bars once
 * (finishAirfoilPanels / finishWakePanels): per panel j, the bars of its unit direction (sx, sy),
 * its length (through the source densities), its angle, and of the two neighbour lengths
 * |P_(j+1) - P_(j-1)|, |P_(j+2) - P_j| of the half-panel source densities.
 */
export interface PanelAccumulator {
  sx: Float64Array;
  sy: Float64Array;
  len: Float64Array;
  apan: Float64Array;
  dsm: Float64Array;
  dsp: Float64Array;
}

/** Zeroed PanelAccumulator for `panels` panels. */
export function newPanelAccumulator(panels: number): PanelAccumulator {
  return {
    sx: new Float64Array(panels),
    sy: new Float64Array(panels),
    len: new Float64Array(panels),
    apan: new Float64Array(panels),
    dsm: new Float64Array(panels),
    dsp: new Float64Array(panels),
  };
}

/** Resets a PanelAccumulator to zero. */
export function clearPanelAccumulator(a: PanelAccumulator): void {
  a.sx.fill(0);
  a.sy.fill(0);
  a.len.fill(0);
  a.apan.fill(0);
  a.dsm.fill(0);
  a.dsp.fill(0);
}

/** Converts the bars of panel j (nodes ja -> jb) to node bars (angle bar skipped when fixedAngle). */
function finishPanel(
  acc: PanelAccumulator,
  j: number,
  xs: ArrayLike<number>,
  ys: ArrayLike<number>,
  ja: number,
  jb: number,
  fixedAngle: boolean,
  bx: Float64Array,
  by: Float64Array,
): void {
  const dx = xs[jb] - xs[ja];
  const dy = ys[jb] - ys[ja];
  const l2 = dx * dx + dy * dy;
  const l = Math.sqrt(l2);
  const dsio = 1 / l;
  const sxB = acc.sx[j];
  const syB = acc.sy[j];
  let dxB = sxB * dsio;
  let dyB = syB * dsio;
  const lenB = acc.len[j] - (sxB * dx + syB * dy) * dsio * dsio;
  dxB += lenB * dx * dsio;
  dyB += lenB * dy * dsio;
  if (!fixedAngle) {
    dxB -= (acc.apan[j] * dy) / l2;
    dyB += (acc.apan[j] * dx) / l2;
  }
  bx[jb] += dxB;
  by[jb] += dyB;
  bx[ja] -= dxB;
  by[ja] -= dyB;
}

/** Node bars of the accumulated airfoil panel bars (adds into ab.x, ab.y). */
export function finishAirfoilPanels(g: PanelGeometry, acc: PanelAccumulator, ab: AirfoilBars): void {
  const n = g.n;
  for (let jo = 0; jo < n - 1; jo++) {
    finishPanel(acc, jo, g.x, g.y, jo, jo + 1, false, ab.x, ab.y);
    const jm = jo === 0 ? jo : jo - 1;
    const jq = jo === n - 2 ? jo + 1 : jo + 2;
    lengthBar(ab.x, ab.y, g.x, g.y, jm, jo + 1, acc.dsm[jo]);
    lengthBar(ab.x, ab.y, g.x, g.y, jo, jq, acc.dsp[jo]);
  }
  if (g.gapPanel) finishPanel(acc, n - 1, g.x, g.y, n - 1, 0, g.sharp, ab.x, ab.y);
}

/** Node bars of the accumulated wake panel bars (adds into wb.x, wb.y). */
export function finishWakePanels(w: KernelWakePanels, acc: PanelAccumulator, wb: WakeBars): void {
  const nw = w.nw;
  for (let jo = 0; jo < nw - 1; jo++) {
    finishPanel(acc, jo, w.x, w.y, jo, jo + 1, false, wb.x, wb.y);
    const jm = jo === 0 ? jo : jo - 1;
    const jq = jo === nw - 2 ? jo + 1 : jo + 2;
    lengthBar(wb.x, wb.y, w.x, w.y, jm, jo + 1, acc.dsm[jo]);
    lengthBar(wb.x, wb.y, w.x, w.y, jo, jq, acc.dsp[jo]);
  }
}

/** Adds the bar of |P_b - P_a| (value len) to the node bars. */
function lengthBar(
  bx: Float64Array,
  by: Float64Array,
  xs: Float64Array,
  ys: Float64Array,
  a: number,
  b: number,
  lenB: number,
): void {
  if (lenB === 0) return;
  const dx = xs[b] - xs[a];
  const dy = ys[b] - ys[a];
  const l = Math.sqrt(dx * dx + dy * dy);
  const fx = (lenB * dx) / l;
  const fy = (lenB * dy) / l;
  bx[b] += fx;
  by[b] += fy;
  bx[a] -= fx;
  by[a] -= fy;
}

/**
 * VJP of the airfoil influence (panel-kernels.ts airfoilInfluence) at field point (xi, yi), node
 * index io (as there), direction (nxi, nyi): adds d/d(geometry) of
 *   F = sum_j K_j gam_j + sum_j M_j sig_j,
 * K = dzdg (mode psi) or dqdg (mode dq), M = dzdm or dqdm (omitted when sig is null), to the node
 * bars `ab` (the field point's relative position terms; ab.scs, ab.sds), to the panel accumulator
 * `acc` (panel directions, lengths, angles: convert with finishAirfoilPanels after the last row) and
 * to the field-point bars `fb`.
 */
export function airfoilInfluenceVJP(
  g: PanelGeometry,
  io: number,
  xi: number,
  yi: number,
  nxi: number,
  nyi: number,
  mode: number,
  gam: Float64Array,
  sig: Float64Array | null,
  ab: AirfoilBars,
  acc: PanelAccumulator,
  fb: FieldBars,
): void {
  const n = g.n;
  const { x, y, apanel, panelLength } = g;
  const onAirfoil = io >= 0 && io < n;
  const wz = mode === MODE_PSI ? 1 : 0;
  const wq = mode === MODE_DQ ? 1 : 0;
  const pi = Math.PI;
  let gCarry = 0;
  let haveCarry = false;
  let gNode0 = 0;
  let haveNode0 = false;
  for (let jo = 0; jo < n; jo++) {
    let jp = jo + 1;
    let jm = jo - 1;
    let jq = jp + 1;
    if (jo === 0) jm = jo;
    else if (jo === n - 2) jq = jp;
    else if (jo === n - 1) {
      jp = 0;
      if (!g.gapPanel) break;
    }
    const dso = panelLength[jo];
    if (dso === 0) {
      haveCarry = false;
      continue;
    }
    const dsio = 1 / dso;
    const apan = apanel[jo];
    const rx1 = xi - x[jo];
    const ry1 = yi - y[jo];
    const rx2 = xi - x[jp];
    const ry2 = yi - y[jp];
    const sx = (x[jp] - x[jo]) * dsio;
    const sy = (y[jp] - y[jo]) * dsio;
    const x1 = sx * rx1 + sy * ry1;
    const x2 = sx * rx2 + sy * ry2;
    const yy = sx * ry1 - sy * rx1;
    const rs1 = rx1 * rx1 + ry1 * ry1;
    const rs2 = rx2 * rx2 + ry2 * ry2;
    const sgn = onAirfoil ? 1 : yy >= 0 ? 1 : -1;
    const tOff = sgn > 0 ? 0 : pi;
    const skip1 = !(io !== jo && rs1 > 0);
    const skip2 = !(io !== jp && rs2 > 0);
    let g1 = 0;
    let t1 = 0;
    if (!skip1) {
      g1 = haveCarry ? gCarry : Math.log(rs1);
      t1 = Math.atan2(sgn * x1, sgn * yy) + tOff;
    }
    if (jo === 0) {
      gNode0 = g1;
      haveNode0 = true;
    }
    let g2 = 0;
    let t2 = 0;
    if (!skip2) {
      g2 = jp === 0 && haveNode0 ? gNode0 : Math.log(rs2);
      t2 = Math.atan2(sgn * x2, sgn * yy) + tOff;
    }
    gCarry = g2;
    haveCarry = true;
    const x1i = sx * nxi + sy * nyi;
    const yyi = sx * nyi - sy * nxi;
    resetPb();

    if (jo === n - 1) {
      // gap panel: F = (gam_0 - gam_(n-1)) (hs (wz psig + wq psigni) - hd (wz pgam + wq pgamni))
      const delta = gam[jp] - gam[jo];
      if (delta === 0) break;
      const psig = 0.5 * yy * (g1 - g2) + x2 * (t2 - apan) - x1 * (t1 - apan);
      const pgam = 0.5 * x1 * g1 - 0.5 * x2 * g2 + x2 - x1 + yy * (t1 - t2);
      const psigni = (t2 - t1) * x1i + 0.5 * (g1 - g2) * yyi;
      const pgamni = 0.5 * (g1 - g2) * x1i + (t1 - t2) * yyi;
      const hs = 0.5 * HOPI * g.scs;
      const hd = 0.5 * HOPI * g.sds;
      ab.scs += 0.5 * HOPI * delta * (wz * psig + wq * psigni);
      ab.sds -= 0.5 * HOPI * delta * (wz * pgam + wq * pgamni);
      const psigB = wz * delta * hs;
      const pgamB = -wz * delta * hd;
      const psigniB = wq * delta * hs;
      const pgamniB = -wq * delta * hd;
      // psig
      pb.yy += 0.5 * psigB * (g1 - g2);
      pb.g1 += 0.5 * psigB * yy;
      pb.g2 -= 0.5 * psigB * yy;
      pb.x2 += psigB * (t2 - apan);
      pb.t2 += psigB * x2;
      pb.x1 -= psigB * (t1 - apan);
      pb.t1 -= psigB * x1;
      pb.apan += psigB * (x1 - x2);
      // pgam
      pb.x1 += pgamB * (0.5 * g1 - 1);
      pb.g1 += pgamB * 0.5 * x1;
      pb.x2 += pgamB * (1 - 0.5 * g2);
      pb.g2 -= pgamB * 0.5 * x2;
      pb.yy += pgamB * (t1 - t2);
      pb.t1 += pgamB * yy;
      pb.t2 -= pgamB * yy;
      // psigni
      pb.t2 += psigniB * x1i;
      pb.t1 -= psigniB * x1i;
      pb.x1i += psigniB * (t2 - t1) + pgamniB * 0.5 * (g1 - g2);
      pb.g1 += 0.5 * psigniB * yyi + 0.5 * pgamniB * x1i;
      pb.g2 -= 0.5 * psigniB * yyi + 0.5 * pgamniB * x1i;
      pb.yyi += psigniB * 0.5 * (g1 - g2) + pgamniB * (t1 - t2);
      pb.t1 += pgamniB * yyi;
      pb.t2 -= pgamniB * yyi;
      frameReverse(rx1, ry1, rx2, ry2, sx, sy, x1, x2, 0, yy, rs1, rs2, 0, nxi, nyi, skip1, skip2, false);
      accumulate(acc, jo, pb.apan, 0, ab, jo, jp, fb);
      break;
    }

    let x0 = 0;
    let rs0 = 0;
    let lenB = 0;
    if (sig) {
      x0 = 0.5 * (x1 + x2);
      rs0 = x0 * x0 + yy * yy;
      const g0 = Math.log(rs0);
      const t0 = Math.atan2(sgn * x0, sgn * yy) + tOff;
      const dxm = x[jp] - x[jm];
      const dym = y[jp] - y[jm];
      const dsm = Math.sqrt(dxm * dxm + dym * dym);
      const dxp = x[jq] - x[jo];
      const dyp = y[jq] - y[jo];
      const dsp = Math.sqrt(dxp * dxp + dyp * dyp);
      sourcePanelReverse(
        x1,
        x0,
        x2,
        yy,
        rs1,
        rs0,
        rs2,
        g1,
        g0,
        g2,
        t1 - apan,
        t0 - apan,
        t2 - apan,
        x1i,
        yyi,
        sig[jm],
        sig[jo],
        sig[jp],
        sig[jq],
        1 / dsm,
        dsio,
        1 / dsp,
        wz,
        wq,
      );
      acc.dsm[jo] -= srcB.dsim / (dsm * dsm);
      acc.dsp[jo] -= srcB.dsip / (dsp * dsp);
      lenB = -srcB.dsio * dsio * dsio;
    }

    // linear vortex panel
    const go = gam[jo];
    const gp = gam[jp];
    if (go !== 0 || gp !== 0) {
      const psisB = QOPI * wz * (go + gp);
      const psidB = QOPI * wz * (gp - go);
      const psniB = QOPI * wq * (go + gp);
      const pdniB = QOPI * wq * (gp - go);
      vortexReverse(x1, x2, yy, rs1, rs2, g1, g2, t1, t2, x1i, yyi, psisB, psidB, psniB, pdniB);
    }
    frameReverse(
      rx1,
      ry1,
      rx2,
      ry2,
      sx,
      sy,
      x1,
      x2,
      x0,
      yy,
      rs1,
      rs2,
      rs0,
      nxi,
      nyi,
      skip1,
      skip2,
      sig !== null,
    );
    accumulate(acc, jo, pb.apan, lenB, ab, jo, jp, fb);
  }
}

/** Adds the results of frameReverse for panel j (ends ja, jb) to the accumulator, node and field bars. */
function accumulate(
  acc: PanelAccumulator,
  j: number,
  apanB: number,
  lenB: number,
  nb: { x: Float64Array; y: Float64Array },
  ja: number,
  jb: number,
  fb: FieldBars,
): void {
  acc.sx[j] += fo[6];
  acc.sy[j] += fo[7];
  acc.apan[j] += apanB;
  acc.len[j] += lenB;
  fb.x += fo[0] + fo[2];
  fb.y += fo[1] + fo[3];
  fb.nx += fo[4];
  fb.ny += fo[5];
  nb.x[ja] -= fo[0];
  nb.y[ja] -= fo[1];
  nb.x[jb] -= fo[2];
  nb.y[jb] -= fo[3];
}

/** Reverse of the linear-vortex panel formulas (adds the primitive bars into pb). */
function vortexReverse(
  x1: number,
  x2: number,
  yy: number,
  rs1: number,
  rs2: number,
  g1: number,
  g2: number,
  t1: number,
  t2: number,
  x1i: number,
  yyi: number,
  psisB0: number,
  psidB0: number,
  psniB: number,
  pdniB: number,
): void {
  const dxinv = 1 / (x1 - x2);
  const S = x1 + x2;
  const psis = 0.5 * x1 * g1 - 0.5 * x2 * g2 + x2 - x1 + yy * (t1 - t2);
  const psidN = S * psis + 0.5 * (rs2 * g2 - rs1 * g1 + x1 * x1 - x2 * x2);
  const psid = psidN * dxinv;
  const psx1 = 0.5 * g1;
  const psx2 = -0.5 * g2;
  const psyy = t1 - t2;
  const pdx1N = S * psx1 + psis - x1 * g1 - psid;
  const pdx2N = S * psx2 + psis + x2 * g2 + psid;
  const pdyyN = S * psyy - yy * (g1 - g2);
  const pdx1 = pdx1N * dxinv;
  const pdx2 = pdx2N * dxinv;
  const pdyy = pdyyN * dxinv;
  let psisB = psisB0;
  let psidB = psidB0;
  let x1B = 0;
  let x2B = 0;
  let yyB = 0;
  let g1B = 0;
  let g2B = 0;
  let t1B = 0;
  let t2B = 0;
  let rs1B = 0;
  let rs2B = 0;
  let SB = 0;
  let dxinvB = 0;
  if (psniB === 0 && pdniB === 0) {
    // psi mode: only psis, psid
    let x1B = 0;
    let x2B = 0;
    let g1B = 0;
    let g2B = 0;
    const q = psidB0 * dxinv;
    const SB = q * psis;
    const psisB = psisB0 + q * S;
    const dxinvB = psidB0 * psidN;
    x1B += q * x1;
    x2B -= q * x2;
    g2B += 0.5 * q * rs2;
    g1B -= 0.5 * q * rs1;
    pb.rs2 += 0.5 * q * g2;
    pb.rs1 -= 0.5 * q * g1;
    x1B += psisB * (0.5 * g1 - 1) + SB;
    g1B += psisB * 0.5 * x1;
    x2B += psisB * (1 - 0.5 * g2) + SB;
    g2B -= psisB * 0.5 * x2;
    pb.yy += psisB * (t1 - t2);
    pb.t1 += psisB * yy;
    pb.t2 -= psisB * yy;
    const d2 = dxinv * dxinv;
    pb.x1 += x1B - dxinvB * d2;
    pb.x2 += x2B + dxinvB * d2;
    pb.g1 += g1B;
    pb.g2 += g2B;
    return;
  }
  // psni = (psx1 + psx2) x1i + psyy yyi; pdni = (pdx1 + pdx2) x1i + pdyy yyi
  let psx1B = psniB * x1i;
  let psx2B = psniB * x1i;
  let psyyB = psniB * yyi;
  pb.x1i += psniB * (psx1 + psx2) + pdniB * (pdx1 + pdx2);
  pb.yyi += psniB * psyy + pdniB * pdyy;
  const pdx1B = pdniB * x1i;
  const pdx2B = pdniB * x1i;
  const pdyyB = pdniB * yyi;
  {
    const q = pdyyB * dxinv;
    dxinvB += pdyyB * pdyyN;
    SB += q * psyy;
    psyyB += q * S;
    yyB -= q * (g1 - g2);
    g1B -= q * yy;
    g2B += q * yy;
  }
  {
    const q = pdx2B * dxinv;
    dxinvB += pdx2B * pdx2N;
    SB += q * psx2;
    psx2B += q * S;
    psisB += q;
    x2B += q * g2;
    g2B += q * x2;
    psidB += q;
  }
  {
    const q = pdx1B * dxinv;
    dxinvB += pdx1B * pdx1N;
    SB += q * psx1;
    psx1B += q * S;
    psisB += q;
    x1B -= q * g1;
    g1B -= q * x1;
    psidB -= q;
  }
  {
    const q = psidB * dxinv;
    dxinvB += psidB * psidN;
    SB += q * psis;
    psisB += q * S;
    rs2B += 0.5 * q * g2;
    g2B += 0.5 * q * rs2;
    rs1B -= 0.5 * q * g1;
    g1B -= 0.5 * q * rs1;
    x1B += q * x1;
    x2B -= q * x2;
  }
  g1B += 0.5 * psx1B;
  g2B -= 0.5 * psx2B;
  t1B += psyyB;
  t2B -= psyyB;
  // psis
  x1B += psisB * (0.5 * g1 - 1);
  g1B += psisB * 0.5 * x1;
  x2B += psisB * (1 - 0.5 * g2);
  g2B -= psisB * 0.5 * x2;
  yyB += psisB * (t1 - t2);
  t1B += psisB * yy;
  t2B -= psisB * yy;
  x1B += SB;
  x2B += SB;
  const d2 = dxinv * dxinv;
  x1B -= dxinvB * d2;
  x2B += dxinvB * d2;
  pb.x1 += x1B;
  pb.x2 += x2B;
  pb.yy += yyB;
  pb.g1 += g1B;
  pb.g2 += g2B;
  pb.t1 += t1B;
  pb.t2 += t2B;
  pb.rs1 += rs1B;
  pb.rs2 += rs2B;
}

/**
 * VJP of the wake-source influence (panel-kernels.ts wakeSourceInfluence) at field point (xi, yi)
 * (node index io, nAirfoil as there), direction (nxi, nyi): adds d/d(geometry) of
 * F = sum_k W_k sig_k (W = wzdm in mode psi, wqdm in mode dq) to the wake node bars `wb`, the wake
 * panel accumulator `acc` (finishWakePanels after the last row) and the field-point bars `fb`.
 */
export function wakeSourceInfluenceVJP(
  w: KernelWakePanels,
  nAirfoil: number,
  io: number,
  xi: number,
  yi: number,
  nxi: number,
  nyi: number,
  mode: number,
  sig: Float64Array,
  wb: WakeBars,
  acc: PanelAccumulator,
  fb: FieldBars,
): void {
  const nw = w.nw;
  const { x, y, apanel } = w;
  const iw = io - nAirfoil;
  const pi = Math.PI;
  const wz = mode === MODE_PSI ? 1 : 0;
  const wq = mode === MODE_DQ ? 1 : 0;
  for (let jo = 0; jo < nw - 1; jo++) {
    const jp = jo + 1;
    const jm = jo === 0 ? jo : jo - 1;
    const jq = jo === nw - 2 ? jp : jp + 1;
    if (sig[jm] === 0 && sig[jo] === 0 && sig[jp] === 0 && sig[jq] === 0) continue;
    const dx = x[jp] - x[jo];
    const dy = y[jp] - y[jo];
    const dso = Math.sqrt(dx * dx + dy * dy);
    const dsio = 1 / dso;
    const apan = apanel[jo];
    const rx1 = xi - x[jo];
    const ry1 = yi - y[jo];
    const rx2 = xi - x[jp];
    const ry2 = yi - y[jp];
    const sx = dx * dsio;
    const sy = dy * dsio;
    const x1 = sx * rx1 + sy * ry1;
    const x2 = sx * rx2 + sy * ry2;
    const yy = sx * ry1 - sy * rx1;
    const rs1 = rx1 * rx1 + ry1 * ry1;
    const rs2 = rx2 * rx2 + ry2 * ry2;
    const sgn = yy >= 0 ? 1 : -1;
    const tOff = sgn > 0 ? 0 : -pi;
    const skip1 = !(iw !== jo && rs1 > 0);
    const skip2 = !(iw !== jp && rs2 > 0);
    const g1 = skip1 ? 0 : Math.log(rs1);
    const t1 = skip1 ? 0 : Math.atan2(sgn * x1, sgn * yy) + tOff;
    const g2 = skip2 ? 0 : Math.log(rs2);
    const t2 = skip2 ? 0 : Math.atan2(sgn * x2, sgn * yy) + tOff;
    const x1i = sx * nxi + sy * nyi;
    const yyi = sx * nyi - sy * nxi;
    const x0 = 0.5 * (x1 + x2);
    const rs0 = x0 * x0 + yy * yy;
    const g0 = Math.log(rs0);
    const t0 = Math.atan2(sgn * x0, sgn * yy) + tOff;
    const dxm = x[jp] - x[jm];
    const dym = y[jp] - y[jm];
    const dsm = Math.sqrt(dxm * dxm + dym * dym);
    const dxp = x[jq] - x[jo];
    const dyp = y[jq] - y[jo];
    const dsp = Math.sqrt(dxp * dxp + dyp * dyp);
    resetPb();
    sourcePanelReverse(
      x1,
      x0,
      x2,
      yy,
      rs1,
      rs0,
      rs2,
      g1,
      g0,
      g2,
      t1 - apan,
      t0 - apan,
      t2 - apan,
      x1i,
      yyi,
      sig[jm],
      sig[jo],
      sig[jp],
      sig[jq],
      1 / dsm,
      dsio,
      1 / dsp,
      wz,
      wq,
    );
    acc.dsm[jo] -= srcB.dsim / (dsm * dsm);
    acc.dsp[jo] -= srcB.dsip / (dsp * dsp);
    frameReverse(rx1, ry1, rx2, ry2, sx, sy, x1, x2, x0, yy, rs1, rs2, rs0, nxi, nyi, skip1, skip2, true);
    accumulate(acc, jo, pb.apan, -srcB.dsio * dsio * dsio, wb, jo, jp, fb);
  }
}

/** Per-panel constants of the airfoil panels for airfoilRowsPsiVJP (direction, lengths). */
export interface PanelConstants {
  /** panel direction angle atan2(sy, sx) */
  theta: Float64Array;
  sx: Float64Array;
  sy: Float64Array;
  dsio: Float64Array;
  dsim: Float64Array;
  dsip: Float64Array;
}

/** Panel constants of a geometry (regular panels 0..n-2; entry n-1 = the gap panel's direction). */
export function panelConstants(g: PanelGeometry): PanelConstants {
  const n = g.n;
  const c: PanelConstants = {
    theta: new Float64Array(n),
    sx: new Float64Array(n),
    sy: new Float64Array(n),
    dsio: new Float64Array(n),
    dsim: new Float64Array(n),
    dsip: new Float64Array(n),
  };
  for (let jo = 0; jo < n; jo++) {
    const jp = jo === n - 1 ? 0 : jo + 1;
    const d = g.panelLength[jo];
    c.dsio[jo] = d > 0 ? 1 / d : 0;
    c.sx[jo] = (g.x[jp] - g.x[jo]) * c.dsio[jo];
    c.sy[jo] = (g.y[jp] - g.y[jo]) * c.dsio[jo];
    c.theta[jo] = Math.atan2(c.sy[jo], c.sx[jo]);
    if (jo < n - 1) {
      const jm = jo === 0 ? jo : jo - 1;
      const jq = jo === n - 2 ? jo + 1 : jo + 2;
      c.dsim[jo] = 1 / Math.hypot(g.x[jp] - g.x[jm], g.y[jp] - g.y[jm]);
      c.dsip[jo] = 1 / Math.hypot(g.x[jq] - g.x[jo], g.y[jq] - g.y[jo]);
    }
  }
  return c;
}

/**
 * Fused VJP of the stream-function rows of the airfoil panel system (field point = node i, psi
 * mode, airfoil vortex + sources + gap panel) for all rows i at once, with the row weights folded
 * into the strengths: vortex strength of row i = -(c_i gs_j + cp_i gam_j), source strength
 * -c_i sig_j. Same result as airfoilInfluenceVJP(g, i, x_i, y_i, ., ., MODE_PSI, ...) summed over
 * the rows (the field-point bars added to node i), written out with local variables for speed (this
 * loop over all node/panel pairs is the adjoint's largest cost). Rows listed in `skipRow` (the
 * sharp-TE bisector row, -1 for none) are left out.
 */
export function airfoilRowsPsiVJP(
  g: PanelGeometry,
  pc: PanelConstants,
  c: Float64Array,
  cp: Float64Array,
  gs: Float64Array,
  gam: Float64Array,
  sig: Float64Array,
  skipRow: number,
  ab: AirfoilBars,
  acc: PanelAccumulator,
): void {
  const n = g.n;
  const { x, y, apanel } = g;
  const { sx: psx, sy: psy, dsio: pdsio, dsim: pdsim, dsip: pdsip, theta: pth } = pc;
  const bx = ab.x;
  const by = ab.y;
  // polar angle of (r_i - P_j) per node: the panel-frame end angles atan2(X, Y) are
  // wrap(pi/2 - psi_j + theta_panel), one arctangent per node instead of two per panel
  const psi = new Float64Array(n);
  const pi = Math.PI;
  const twoPi = 2 * Math.PI;
  const halfPi = 0.5 * Math.PI;
  const aSx = acc.sx;
  const aSy = acc.sy;
  const aLen = acc.len;
  const aApan = acc.apan;
  const aDsm = acc.dsm;
  const aDsp = acc.dsp;
  const Q = QOPI;
  for (let i = 0; i < n; i++) {
    if (i === skipRow) continue;
    const ci = c[i];
    const cpi = cp[i];
    if (ci === 0 && cpi === 0) continue;
    const xi = x[i];
    const yi = y[i];
    for (let j = 0; j < n; j++) psi[j] = Math.atan2(yi - y[j], xi - x[j]);
    let fbx = 0;
    let fby = 0;
    let gCarry = 0;
    for (let jo = 0; jo < n - 1; jo++) {
      const jp = jo + 1;
      const jm = jo === 0 ? jo : jo - 1;
      const jq = jo === n - 2 ? jp : jp + 1;
      const th = halfPi + pth[jo];
      const dsio = pdsio[jo];
      const dsim = pdsim[jo];
      const dsip = pdsip[jo];
      const sx = psx[jo];
      const sy = psy[jo];
      const apan = apanel[jo];
      const rx1 = xi - x[jo];
      const ry1 = yi - y[jo];
      const rx2 = xi - x[jp];
      const ry2 = yi - y[jp];
      const x1 = sx * rx1 + sy * ry1;
      const x2 = sx * rx2 + sy * ry2;
      const yy = sx * ry1 - sy * rx1;
      const rs1 = rx1 * rx1 + ry1 * ry1;
      const rs2 = rx2 * rx2 + ry2 * ry2;
      // a field point on a panel end (its own node, or a coincident one: closed TE) has no log/angle
      // terms there, as in the forward kernel
      const skip1 = i === jo || !(rs1 > 0);
      const skip2 = i === jp || !(rs2 > 0);
      let g1 = 0;
      let t1 = 0;
      if (!skip1) {
        g1 = jo > 0 && gCarry !== 0 ? gCarry : Math.log(rs1);
        t1 = th - psi[jo];
        if (t1 > pi) t1 -= twoPi;
        else if (t1 <= -pi) t1 += twoPi;
      }
      let g2 = 0;
      let t2 = 0;
      if (!skip2) {
        g2 = Math.log(rs2);
        t2 = th - psi[jp];
        if (t2 > pi) t2 -= twoPi;
        else if (t2 <= -pi) t2 += twoPi;
      }
      gCarry = g2;
      const x0 = 0.5 * (x1 + x2);
      const rs0 = x0 * x0 + yy * yy;
      const g0 = Math.log(rs0);
      const t0 = Math.atan2(x0, yy);
      const a1 = t1 - apan;
      const a0 = t0 - apan;
      const a2 = t2 - apan;
      // strengths
      const sm = -ci * sig[jm];
      const so = -ci * sig[jo];
      const sp = -ci * sig[jp];
      const sq = -ci * sig[jq];
      const go = -(ci * gs[jo] + cpi * gam[jo]);
      const gp = -(ci * gs[jp] + cpi * gam[jp]);
      const A1 = (sp - sm) * dsim + (sp - so) * dsio;
      const B1 = (sm - sp) * dsim + (sp - so) * dsio;
      const A2 = (sq - so) * dsip + (sp - so) * dsio;
      const B2 = (sq - so) * dsip + (so - sp) * dsio;
      let x1B = 0;
      let x0B = 0;
      let x2B = 0;
      let yyB = 0;
      let rs1B = 0;
      let rs0B = 0;
      let rs2B = 0;
      let g1B = 0;
      let g0B = 0;
      let g2B = 0;
      let t1B = 0;
      let t0B = 0;
      let t2B = 0;
      let apanB = 0;
      let psum1: number;
      let pdif1: number;
      let psum2: number;
      let pdif2: number;
      // ---- half-panel 1-0 (a = 1, b = 0), seeds Q A1, Q B1
      {
        const dxinv = 1 / (x1 - x0);
        const S = x1 + x0;
        const psum = x0 * a0 - x1 * a1 + 0.5 * yy * (g1 - g0);
        const pdifN = S * psum + rs1 * a1 - rs0 * a0 + (x0 - x1) * yy;
        psum1 = psum;
        pdif1 = pdifN * dxinv;
        const pdifB = Q * B1;
        const q = pdifB * dxinv;
        const dxinvB = pdifB * pdifN;
        const psumB = Q * A1 + q * S;
        const SB = q * psum;
        rs1B += q * a1;
        let aaB = q * rs1;
        rs0B -= q * a0;
        let abB = -q * rs0;
        let xbB = q * yy;
        let xaB = -q * yy;
        yyB += q * (x0 - x1);
        xbB += psumB * a0;
        abB += psumB * x0;
        xaB -= psumB * a1;
        aaB -= psumB * x1;
        yyB += 0.5 * psumB * (g1 - g0);
        g1B += 0.5 * psumB * yy;
        g0B -= 0.5 * psumB * yy;
        const d2 = dxinv * dxinv;
        x1B += xaB + SB - dxinvB * d2;
        x0B += xbB + SB + dxinvB * d2;
        t1B += aaB;
        t0B += abB;
        apanB -= aaB + abB;
      }
      // ---- half-panel 0-2 (a = 0, b = 2), seeds Q A2, Q B2
      {
        const dxinv = 1 / (x0 - x2);
        const S = x0 + x2;
        const psum = x2 * a2 - x0 * a0 + 0.5 * yy * (g0 - g2);
        const pdifN = S * psum + rs0 * a0 - rs2 * a2 + (x2 - x0) * yy;
        psum2 = psum;
        pdif2 = pdifN * dxinv;
        const pdifB = Q * B2;
        const q = pdifB * dxinv;
        const dxinvB = pdifB * pdifN;
        const psumB = Q * A2 + q * S;
        const SB = q * psum;
        rs0B += q * a0;
        let aaB = q * rs0;
        rs2B -= q * a2;
        let abB = -q * rs2;
        let xbB = q * yy;
        let xaB = -q * yy;
        yyB += q * (x2 - x0);
        xbB += psumB * a2;
        abB += psumB * x2;
        xaB -= psumB * a0;
        aaB -= psumB * x0;
        yyB += 0.5 * psumB * (g0 - g2);
        g0B += 0.5 * psumB * yy;
        g2B -= 0.5 * psumB * yy;
        const d2 = dxinv * dxinv;
        x0B += xaB + SB - dxinvB * d2;
        x2B += xbB + SB + dxinvB * d2;
        t0B += aaB;
        t2B += abB;
        apanB -= aaB + abB;
      }
      // ---- linear vortex panel, seeds psis Q (go + gp), psid Q (gp - go)
      if (go !== 0 || gp !== 0) {
        const dxinv = 1 / (x1 - x2);
        const S = x1 + x2;
        const psis = 0.5 * x1 * g1 - 0.5 * x2 * g2 + x2 - x1 + yy * (t1 - t2);
        const psidN = S * psis + 0.5 * (rs2 * g2 - rs1 * g1 + x1 * x1 - x2 * x2);
        const psidB = Q * (gp - go);
        const q = psidB * dxinv;
        const SB = q * psis;
        const psisB = Q * (go + gp) + q * S;
        const dxinvB = psidB * psidN;
        const d2 = dxinv * dxinv;
        x1B += q * x1 + psisB * (0.5 * g1 - 1) + SB - dxinvB * d2;
        x2B += -q * x2 + psisB * (1 - 0.5 * g2) + SB + dxinvB * d2;
        g2B += 0.5 * q * rs2 - 0.5 * psisB * x2;
        g1B += -0.5 * q * rs1 + 0.5 * psisB * x1;
        rs2B += 0.5 * q * g2;
        rs1B -= 0.5 * q * g1;
        yyB += psisB * (t1 - t2);
        t1B += psisB * yy;
        t2B -= psisB * yy;
      }
      // ---- panel-local frame
      if (!skip1) {
        rs1B += g1B / rs1;
        x1B += (t1B * yy) / rs1;
        yyB -= (t1B * x1) / rs1;
      }
      if (!skip2) {
        rs2B += g2B / rs2;
        x2B += (t2B * yy) / rs2;
        yyB -= (t2B * x2) / rs2;
      }
      rs0B += g0B / rs0;
      x0B += (t0B * yy) / rs0 + 2 * x0 * rs0B;
      yyB += -(t0B * x0) / rs0 + 2 * yy * rs0B;
      x1B += 0.5 * x0B;
      x2B += 0.5 * x0B;
      aSx[jo] += x1B * rx1 + x2B * rx2 + yyB * ry1;
      aSy[jo] += x1B * ry1 + x2B * ry2 - yyB * rx1;
      const rx1B = x1B * sx - yyB * sy + 2 * rx1 * rs1B;
      const ry1B = x1B * sy + yyB * sx + 2 * ry1 * rs1B;
      const rx2B = x2B * sx + 2 * rx2 * rs2B;
      const ry2B = x2B * sy + 2 * ry2 * rs2B;
      fbx += rx1B + rx2B;
      fby += ry1B + ry2B;
      bx[jo] -= rx1B;
      by[jo] -= ry1B;
      bx[jp] -= rx2B;
      by[jp] -= ry2B;
      // source density coefficients
      const A1B = Q * psum1;
      const B1B = Q * pdif1;
      const A2B = Q * psum2;
      const B2B = Q * pdif2;
      aApan[jo] += apanB;
      aLen[jo] -= (A1B + B1B + A2B - B2B) * (sp - so) * dsio * dsio;
      aDsm[jo] -= (A1B - B1B) * (sp - sm) * dsim * dsim;
      aDsp[jo] -= (A2B + B2B) * (sq - so) * dsip * dsip;
    }
    // ---- TE gap panel (jo = n-1 -> jp = 0): uniform source and vortex tied to gam_0 - gam_(n-1)
    if (g.gapPanel) {
      const jo = n - 1;
      const go = -(ci * gs[jo] + cpi * gam[jo]);
      const gp = -(ci * gs[0] + cpi * gam[0]);
      const delta = gp - go;
      if (delta !== 0) {
        const sx = psx[jo];
        const sy = psy[jo];
        const apan = apanel[jo];
        const rx1 = xi - x[jo];
        const ry1 = yi - y[jo];
        const rx2 = xi - x[0];
        const ry2 = yi - y[0];
        const x1 = sx * rx1 + sy * ry1;
        const x2 = sx * rx2 + sy * ry2;
        const yy = sx * ry1 - sy * rx1;
        const rs1 = rx1 * rx1 + ry1 * ry1;
        const rs2 = rx2 * rx2 + ry2 * ry2;
        const skip1 = i === jo || !(rs1 > 0);
        const skip2 = i === 0 || !(rs2 > 0);
        const g1 = skip1 ? 0 : Math.log(rs1);
        const t1 = skip1 ? 0 : Math.atan2(x1, yy);
        const g2 = skip2 ? 0 : Math.log(rs2);
        const t2 = skip2 ? 0 : Math.atan2(x2, yy);
        const psig = 0.5 * yy * (g1 - g2) + x2 * (t2 - apan) - x1 * (t1 - apan);
        const pgam = 0.5 * x1 * g1 - 0.5 * x2 * g2 + x2 - x1 + yy * (t1 - t2);
        const hs = 0.5 * HOPI * g.scs;
        const hd = 0.5 * HOPI * g.sds;
        ab.scs += 0.5 * HOPI * delta * psig;
        ab.sds -= 0.5 * HOPI * delta * pgam;
        const psigB = delta * hs;
        const pgamB = -delta * hd;
        let x1B = -psigB * (t1 - apan) + pgamB * (0.5 * g1 - 1);
        let x2B = psigB * (t2 - apan) + pgamB * (1 - 0.5 * g2);
        let yyB = 0.5 * psigB * (g1 - g2) + pgamB * (t1 - t2);
        const g1B = 0.5 * psigB * yy + pgamB * 0.5 * x1;
        const g2B = -0.5 * psigB * yy - pgamB * 0.5 * x2;
        const t1B = -psigB * x1 + pgamB * yy;
        const t2B = psigB * x2 - pgamB * yy;
        let rs1B = 0;
        let rs2B = 0;
        if (!skip1) {
          rs1B = g1B / rs1;
          x1B += (t1B * yy) / rs1;
          yyB -= (t1B * x1) / rs1;
        }
        if (!skip2) {
          rs2B = g2B / rs2;
          x2B += (t2B * yy) / rs2;
          yyB -= (t2B * x2) / rs2;
        }
        aSx[jo] += x1B * rx1 + x2B * rx2 + yyB * ry1;
        aSy[jo] += x1B * ry1 + x2B * ry2 - yyB * rx1;
        aApan[jo] += psigB * (x1 - x2);
        const rx1B = x1B * sx - yyB * sy + 2 * rx1 * rs1B;
        const ry1B = x1B * sy + yyB * sx + 2 * ry1 * rs1B;
        const rx2B = x2B * sx + 2 * rx2 * rs2B;
        const ry2B = x2B * sy + 2 * ry2 * rs2B;
        fbx += rx1B + rx2B;
        fby += ry1B + ry2B;
        bx[jo] -= rx1B;
        by[jo] -= ry1B;
        bx[0] -= rx2B;
        by[0] -= ry2B;
      }
    }
    bx[i] += fbx;
    by[i] += fby;
  }
}

/**
 * Fused VJP of the wake-source columns of the airfoil stream-function rows (wakeSourceInfluence at
 * every airfoil node i in psi mode) for all rows at once, with source strength c_i sig_k for row i.
 * Same result as wakeSourceInfluenceVJP(w, n, i, x_i, y_i, ., ., MODE_PSI, c_i sig, ...) summed
 * over the rows, the field-point bars added to node i of `ab`. Row `skipRow` is left out.
 */
export function airfoilRowsWakeSourcePsiVJP(
  g: PanelGeometry,
  w: KernelWakePanels,
  c: Float64Array,
  sig: Float64Array,
  skipRow: number,
  ab: AirfoilBars,
  wb: WakeBars,
  acc: PanelAccumulator,
): void {
  const n = g.n;
  const nw = w.nw;
  const { x, y, apanel } = w;
  const pi = Math.PI;
  const Q = QOPI;
  const wx = wb.x;
  const wy = wb.y;
  // per-panel constants
  const np = nw - 1;
  const psx = new Float64Array(np);
  const psy = new Float64Array(np);
  const pdsio = new Float64Array(np);
  const pdsim = new Float64Array(np);
  const pdsip = new Float64Array(np);
  for (let jo = 0; jo < np; jo++) {
    const jp = jo + 1;
    const jm = jo === 0 ? jo : jo - 1;
    const jq = jo === nw - 2 ? jp : jp + 1;
    const dso = Math.hypot(x[jp] - x[jo], y[jp] - y[jo]);
    pdsio[jo] = 1 / dso;
    psx[jo] = (x[jp] - x[jo]) / dso;
    psy[jo] = (y[jp] - y[jo]) / dso;
    pdsim[jo] = 1 / Math.hypot(x[jp] - x[jm], y[jp] - y[jm]);
    pdsip[jo] = 1 / Math.hypot(x[jq] - x[jo], y[jq] - y[jo]);
  }
  for (let i = 0; i < n; i++) {
    if (i === skipRow) continue;
    const ci = c[i];
    if (ci === 0) continue;
    const xi = g.x[i];
    const yi = g.y[i];
    let fbx = 0;
    let fby = 0;
    let gCarry = 0;
    for (let jo = 0; jo < np; jo++) {
      const jp = jo + 1;
      const jm = jo === 0 ? jo : jo - 1;
      const jq = jo === nw - 2 ? jp : jp + 1;
      const sm = ci * sig[jm];
      const so = ci * sig[jo];
      const sp = ci * sig[jp];
      const sq = ci * sig[jq];
      const dsio = pdsio[jo];
      const dsim = pdsim[jo];
      const dsip = pdsip[jo];
      const sx = psx[jo];
      const sy = psy[jo];
      const apan = apanel[jo];
      const rx1 = xi - x[jo];
      const ry1 = yi - y[jo];
      const rx2 = xi - x[jp];
      const ry2 = yi - y[jp];
      const x1 = sx * rx1 + sy * ry1;
      const x2 = sx * rx2 + sy * ry2;
      const yy = sx * ry1 - sy * rx1;
      const rs1 = rx1 * rx1 + ry1 * ry1;
      const rs2 = rx2 * rx2 + ry2 * ry2;
      const sgn = yy >= 0 ? 1 : -1;
      const tOff = sgn > 0 ? 0 : -pi;
      const g1 = jo > 0 ? gCarry : Math.log(rs1);
      const t1 = Math.atan2(sgn * x1, sgn * yy) + tOff;
      const g2 = Math.log(rs2);
      const t2 = Math.atan2(sgn * x2, sgn * yy) + tOff;
      gCarry = g2;
      const x0 = 0.5 * (x1 + x2);
      const rs0 = x0 * x0 + yy * yy;
      const g0 = Math.log(rs0);
      const t0 = Math.atan2(sgn * x0, sgn * yy) + tOff;
      const a1 = t1 - apan;
      const a0 = t0 - apan;
      const a2 = t2 - apan;
      const A1 = (sp - sm) * dsim + (sp - so) * dsio;
      const B1 = (sm - sp) * dsim + (sp - so) * dsio;
      const A2 = (sq - so) * dsip + (sp - so) * dsio;
      const B2 = (sq - so) * dsip + (so - sp) * dsio;
      let x1B = 0;
      let x0B = 0;
      let x2B = 0;
      let yyB = 0;
      let rs1B = 0;
      let rs0B = 0;
      let rs2B = 0;
      let g1B = 0;
      let g0B = 0;
      let g2B = 0;
      let t1B = 0;
      let t0B = 0;
      let t2B = 0;
      let apanB = 0;
      let psum1: number;
      let pdif1: number;
      let psum2: number;
      let pdif2: number;
      {
        const dxinv = 1 / (x1 - x0);
        const S = x1 + x0;
        const psum = x0 * a0 - x1 * a1 + 0.5 * yy * (g1 - g0);
        const pdifN = S * psum + rs1 * a1 - rs0 * a0 + (x0 - x1) * yy;
        psum1 = psum;
        pdif1 = pdifN * dxinv;
        const pdifB = Q * B1;
        const q = pdifB * dxinv;
        const dxinvB = pdifB * pdifN;
        const psumB = Q * A1 + q * S;
        const SB = q * psum;
        rs1B += q * a1;
        let aaB = q * rs1;
        rs0B -= q * a0;
        let abB = -q * rs0;
        let xbB = q * yy;
        let xaB = -q * yy;
        yyB += q * (x0 - x1);
        xbB += psumB * a0;
        abB += psumB * x0;
        xaB -= psumB * a1;
        aaB -= psumB * x1;
        yyB += 0.5 * psumB * (g1 - g0);
        g1B += 0.5 * psumB * yy;
        g0B -= 0.5 * psumB * yy;
        const d2 = dxinv * dxinv;
        x1B += xaB + SB - dxinvB * d2;
        x0B += xbB + SB + dxinvB * d2;
        t1B += aaB;
        t0B += abB;
        apanB -= aaB + abB;
      }
      {
        const dxinv = 1 / (x0 - x2);
        const S = x0 + x2;
        const psum = x2 * a2 - x0 * a0 + 0.5 * yy * (g0 - g2);
        const pdifN = S * psum + rs0 * a0 - rs2 * a2 + (x2 - x0) * yy;
        psum2 = psum;
        pdif2 = pdifN * dxinv;
        const pdifB = Q * B2;
        const q = pdifB * dxinv;
        const dxinvB = pdifB * pdifN;
        const psumB = Q * A2 + q * S;
        const SB = q * psum;
        rs0B += q * a0;
        let aaB = q * rs0;
        rs2B -= q * a2;
        let abB = -q * rs2;
        let xbB = q * yy;
        let xaB = -q * yy;
        yyB += q * (x2 - x0);
        xbB += psumB * a2;
        abB += psumB * x2;
        xaB -= psumB * a0;
        aaB -= psumB * x0;
        yyB += 0.5 * psumB * (g0 - g2);
        g0B += 0.5 * psumB * yy;
        g2B -= 0.5 * psumB * yy;
        const d2 = dxinv * dxinv;
        x0B += xaB + SB - dxinvB * d2;
        x2B += xbB + SB + dxinvB * d2;
        t0B += aaB;
        t2B += abB;
        apanB -= aaB + abB;
      }
      rs1B += g1B / rs1;
      x1B += (t1B * yy) / rs1;
      yyB -= (t1B * x1) / rs1;
      rs2B += g2B / rs2;
      x2B += (t2B * yy) / rs2;
      yyB -= (t2B * x2) / rs2;
      rs0B += g0B / rs0;
      x0B += (t0B * yy) / rs0 + 2 * x0 * rs0B;
      yyB += -(t0B * x0) / rs0 + 2 * yy * rs0B;
      x1B += 0.5 * x0B;
      x2B += 0.5 * x0B;
      acc.sx[jo] += x1B * rx1 + x2B * rx2 + yyB * ry1;
      acc.sy[jo] += x1B * ry1 + x2B * ry2 - yyB * rx1;
      const rx1B = x1B * sx - yyB * sy + 2 * rx1 * rs1B;
      const ry1B = x1B * sy + yyB * sx + 2 * ry1 * rs1B;
      const rx2B = x2B * sx + 2 * rx2 * rs2B;
      const ry2B = x2B * sy + 2 * ry2 * rs2B;
      fbx += rx1B + rx2B;
      fby += ry1B + ry2B;
      wx[jo] -= rx1B;
      wy[jo] -= ry1B;
      wx[jp] -= rx2B;
      wy[jp] -= ry2B;
      const A1B = Q * psum1;
      const B1B = Q * pdif1;
      const A2B = Q * psum2;
      const B2B = Q * pdif2;
      acc.apan[jo] += apanB;
      acc.len[jo] -= (A1B + B1B + A2B - B2B) * (sp - so) * dsio * dsio;
      acc.dsm[jo] -= (A1B - B1B) * (sp - sm) * dsim * dsim;
      acc.dsp[jo] -= (A2B + B2B) * (sq - so) * dsip * dsip;
    }
    ab.x[i] += fbx;
    ab.y[i] += fby;
  }
}
