/**
 * Stream-function influence kernels of XFOIL's panel method (the mathematics of xpanel.f PSILIN and
 * PSWLIN, physics reference sections 2.2, 2.4, 2.6 and 3), written from the published formulas.
 *
 * Singularities:
 * - airfoil vorticity `gam`: linear on each airfoil panel j -> j+1 (node values gam_j);
 * - airfoil / wake source: node values SIG_j (a "mass" m, not a density); the source density is
 *   linear on half-panels, with the value (SIG_(j+1) - SIG_j)/|P_(j+1) - P_j| at the panel midpoint
 *   and (SIG_(j+1) - SIG_(j-1))/|P_(j+1) - P_(j-1)| at node j (one-sided at the first and last node);
 * - trailing-edge gap panel (node n-1 -> node 0): uniform source sigTE = 0.5 SCS (gam_0 - gam_(n-1))
 *   and uniform vortex gamTE = -0.5 SDS (gam_0 - gam_(n-1)); skipped when the gap is below SEPS.
 *
 * Panel-local coordinates of the field point r for a panel from P1 to P2 (length d, tangent t):
 *   X1 = (r - P1).t, X2 = (r - P2).t, Y = t x (r - P1), G_k = ln |r - P_k|^2, T_k = atan2(X_k, Y).
 * Source angles enter as (T - apanel) = -(global polar angle) so that all panels share one angle
 * origin. A field point coinciding with a panel end sets that end's G and T to 0 (principal value).
 *
 * Every kernel returns the derivatives of psi and of the directional derivative dpsi/dn_i (n_i =
 * a given unit vector; dpsi/dn_i is the velocity component along n_i rotated by -90 deg, i.e. the
 * tangential speed when n_i is the surface normal) with respect to the singularity strengths. The
 * freestream is added by the callers.
 */

/** 1/(4 pi) */
export const QOPI = 1 / (4 * Math.PI);
/** 1/(2 pi) */
export const HOPI = 1 / (2 * Math.PI);

/**
 * Panel data the kernels need (a subset of the airfoil PanelGeometry, see inviscid.ts). Arrays have
 * length n (nodes); panel j runs from node j to node j+1, panel n-1 is the TE gap panel (n-1 -> 0).
 */
export interface KernelPanels {
  /** number of airfoil nodes */
  n: number;
  /** node coordinates */
  x: Float64Array;
  y: Float64Array;
  /** panel angle apanel_j = atan2(dx_j, -dy_j) (XFOIL APCALC), gap panel per TECALC/APCALC */
  apanel: Float64Array;
  /** panel length |P_(j+1) - P_j| (j = n-1: gap length) */
  panelLength: Float64Array;
  /** SCS, SDS of the gap panel (section 2.4) */
  scs: number;
  sds: number;
  /** true when the gap panel is present (gap >= SEPS) */
  gapPanel: boolean;
}

/** Wake panel data for the wake-source kernel (see wake.ts `Wake`). */
export interface KernelWakePanels {
  /** number of wake nodes */
  nw: number;
  x: Float64Array;
  y: Float64Array;
  apanel: Float64Array;
}

/**
 * Output of the kernels (caller-allocated, reused). Airfoil arrays have length >= n, wake arrays
 * length >= nw.
 */
export interface KernelOutput {
  /** dpsi/dgam_j */
  dzdg: Float64Array;
  /** d(dpsi/dn_i)/dgam_j */
  dqdg: Float64Array;
  /** dpsi/dSIG_j, airfoil sources */
  dzdm: Float64Array;
  /** d(dpsi/dn_i)/dSIG_j, airfoil sources */
  dqdm: Float64Array;
  /** dpsi/dSIG_k, wake sources */
  wzdm: Float64Array;
  /** d(dpsi/dn_i)/dSIG_k, wake sources */
  wqdm: Float64Array;
}

/** Allocates kernel output arrays for n airfoil nodes and nw wake nodes. */
export function newKernelOutput(n: number, nw: number): KernelOutput {
  return {
    dzdg: new Float64Array(n),
    dqdg: new Float64Array(n),
    dzdm: new Float64Array(n),
    dqdm: new Float64Array(n),
    wzdm: new Float64Array(Math.max(nw, 1)),
    wqdm: new Float64Array(Math.max(nw, 1)),
  };
}

/**
 * Influence of the airfoil singularities (vortex panels, gap panel and, when `sources` is true, the
 * airfoil half-panel sources) at field point (xi, yi) with direction (nxi, nyi).
 * `io` is the field point's node index in the combined airfoil (0..n-1) + wake (n..n+nw-1)
 * numbering, or -1 for any other point. Points off the airfoil (io < 0 or io >= n) use the
 * reflected arctangent (keeps T1 - T2 continuous across a panel line). Fills out.dzdg, out.dqdg and,
 * with `sources`, out.dzdm, out.dqdm.
 */
export function airfoilInfluence(
  p: KernelPanels,
  io: number,
  xi: number,
  yi: number,
  nxi: number,
  nyi: number,
  sources: boolean,
  out: KernelOutput,
): void {
  const n = p.n;
  const { x, y, apanel, panelLength } = p;
  const dzdg = out.dzdg;
  const dqdg = out.dqdg;
  const dzdm = out.dzdm;
  const dqdm = out.dqdm;
  for (let j = 0; j < n; j++) {
    dzdg[j] = 0;
    dqdg[j] = 0;
  }
  if (sources) {
    for (let j = 0; j < n; j++) {
      dzdm[j] = 0;
      dqdm[j] = 0;
    }
  }
  const onAirfoil = io >= 0 && io < n;
  const pi = Math.PI;
  // ln r^2 of a panel's end node is the next panel's start-node value (same expression): computed
  // once. gCarry: ln r^2 at node jo from the previous panel (valid when haveCarry); gNode0: at node 0.
  let gCarry = 0;
  let haveCarry = false;
  let gNode0 = 0;
  let haveNode0 = false;

  for (let jo = 0; jo < n; jo++) {
    let jp = jo + 1;
    let jm = jo - 1;
    let jq = jp + 1;
    if (jo === 0) {
      jm = jo;
    } else if (jo === n - 2) {
      jq = jp;
    } else if (jo === n - 1) {
      jp = 0;
      if (!p.gapPanel) break;
    }
    const dso = panelLength[jo];
    if (dso === 0) {
      haveCarry = false;
      continue; // null panel (doubled point)
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
    // reflection flag: on the airfoil no branch problem; elsewhere keep atan2 within +-pi/2 of the normal
    const sgn = onAirfoil ? 1 : yy >= 0 ? 1 : -1;
    const tOff = sgn > 0 ? 0 : pi;
    let g1 = 0;
    let t1 = 0;
    if (io !== jo && rs1 > 0) {
      g1 = haveCarry ? gCarry : Math.log(rs1);
      t1 = Math.atan2(sgn * x1, sgn * yy) + tOff;
    }
    if (jo === 0) {
      gNode0 = g1;
      haveNode0 = true;
    }
    let g2 = 0;
    let t2 = 0;
    if (io !== jp && rs2 > 0) {
      g2 = jp === 0 && haveNode0 ? gNode0 : Math.log(rs2);
      t2 = Math.atan2(sgn * x2, sgn * yy) + tOff;
    }
    gCarry = g2;
    haveCarry = true;
    const x1i = sx * nxi + sy * nyi; // dX/dn_i (same for X1, X2, X0)
    const yyi = sx * nyi - sy * nxi; // dY/dn_i

    if (jo === n - 1) {
      // TE gap panel: uniform source sigTE and vortex gamTE, both tied to gam_0 - gam_(n-1)
      const psig = 0.5 * yy * (g1 - g2) + x2 * (t2 - apan) - x1 * (t1 - apan);
      const pgam = 0.5 * x1 * g1 - 0.5 * x2 * g2 + x2 - x1 + yy * (t1 - t2);
      const psigni = (-(t1 - apan) + (t2 - apan)) * x1i + 0.5 * (g1 - g2) * yyi;
      const pgamni = (0.5 * g1 - 0.5 * g2) * x1i + (t1 - t2) * yyi;
      const hs = 0.5 * HOPI * p.scs;
      const hd = 0.5 * HOPI * p.sds;
      dzdg[jo] += -hs * psig + hd * pgam;
      dzdg[jp] += hs * psig - hd * pgam;
      dqdg[jo] += -hs * psigni + hd * pgamni;
      dqdg[jp] += hs * psigni - hd * pgamni;
      break;
    }

    if (sources) {
      const x0 = 0.5 * (x1 + x2);
      const rs0 = x0 * x0 + yy * yy;
      const g0 = Math.log(rs0);
      const t0 = Math.atan2(sgn * x0, sgn * yy) + tOff;
      const dxm = x[jp] - x[jm];
      const dym = y[jp] - y[jm];
      const dsm = Math.sqrt(dxm * dxm + dym * dym);
      const dsim = 1 / dsm;
      const dxp = x[jq] - x[jo];
      const dyp = y[jq] - y[jo];
      const dsp = Math.sqrt(dxp * dxp + dyp * dyp);
      const dsip = 1 / dsp;
      halfPanelSources(x1, x0, x2, yy, rs1, rs0, rs2, g1, g0, g2, t1 - apan, t0 - apan, t2 - apan, x1i, yyi);
      // 1-0 half: density at node jo (SIG_jp - SIG_jm)*dsim, at midpoint (SIG_jp - SIG_jo)*dsio
      dzdm[jm] += QOPI * (-hp.psum1 + hp.pdif1) * dsim;
      dzdm[jo] += QOPI * (-hp.psum1 - hp.pdif1) * dsio;
      dzdm[jp] += QOPI * (hp.psum1 * (dsio + dsim) + hp.pdif1 * (dsio - dsim));
      dqdm[jm] += QOPI * (-hp.psni1 + hp.pdni1) * dsim;
      dqdm[jo] += QOPI * (-hp.psni1 - hp.pdni1) * dsio;
      dqdm[jp] += QOPI * (hp.psni1 * (dsio + dsim) + hp.pdni1 * (dsio - dsim));
      // 0-2 half: density at midpoint (SIG_jp - SIG_jo)*dsio, at node jp (SIG_jq - SIG_jo)*dsip
      dzdm[jo] += -QOPI * (hp.psum2 * (dsip + dsio) + hp.pdif2 * (dsip - dsio));
      dzdm[jp] += QOPI * (hp.psum2 - hp.pdif2) * dsio;
      dzdm[jq] += QOPI * (hp.psum2 + hp.pdif2) * dsip;
      dqdm[jo] += -QOPI * (hp.psni2 * (dsip + dsio) + hp.pdni2 * (dsip - dsio));
      dqdm[jp] += QOPI * (hp.psni2 - hp.pdni2) * dsio;
      dqdm[jq] += QOPI * (hp.psni2 + hp.pdni2) * dsip;
    }

    // linear vortex panel
    const dxinv = 1 / (x1 - x2);
    const psis = 0.5 * x1 * g1 - 0.5 * x2 * g2 + x2 - x1 + yy * (t1 - t2);
    const psid = ((x1 + x2) * psis + 0.5 * (rs2 * g2 - rs1 * g1 + x1 * x1 - x2 * x2)) * dxinv;
    const psx1 = 0.5 * g1;
    const psx2 = -0.5 * g2;
    const psyy = t1 - t2;
    const pdx1 = ((x1 + x2) * psx1 + psis - x1 * g1 - psid) * dxinv;
    const pdx2 = ((x1 + x2) * psx2 + psis + x2 * g2 + psid) * dxinv;
    const pdyy = ((x1 + x2) * psyy - yy * (g1 - g2)) * dxinv;
    const psni = (psx1 + psx2) * x1i + psyy * yyi;
    const pdni = (pdx1 + pdx2) * x1i + pdyy * yyi;
    dzdg[jo] += QOPI * (psis - psid);
    dzdg[jp] += QOPI * (psis + psid);
    dqdg[jo] += QOPI * (psni - pdni);
    dqdg[jp] += QOPI * (psni + pdni);
  }
}

/**
 * The airfoil-singularity influences a wake node needs (XYWAKE, QWCALC and the wake rows of QDCALC)
 * in one pass over the panels, sharing the logarithms and arctangents: with `normal`, the
 * derivatives of dpsi/dn along the node normal (nxi, nyi) w.r.t. the vortex and source strengths
 * into dqdg[off + j], dqdm[off + j]; with `gradient`, the derivatives of dpsi/dx and dpsi/dy w.r.t.
 * the vortex strengths into gx[j], gy[j]. Every output equals (bit for bit) the corresponding
 * airfoilInfluence output for a field point off the airfoil (io = n + k): dqdg, dqdm with direction
 * (nxi, nyi) and `sources`, dqdg with directions (1, 0) and (0, 1).
 */
export function wakeNodeInfluence(
  p: KernelPanels,
  xi: number,
  yi: number,
  nxi: number,
  nyi: number,
  normal: boolean,
  gradient: boolean,
  dqdg: Float64Array,
  dqdm: Float64Array,
  off: number,
  gx: Float64Array,
  gy: Float64Array,
): void {
  const n = p.n;
  const { x, y, apanel, panelLength } = p;
  if (normal) {
    for (let j = 0; j < n; j++) {
      dqdg[off + j] = 0;
      dqdm[off + j] = 0;
    }
  }
  if (gradient) {
    for (let j = 0; j < n; j++) {
      gx[j] = 0;
      gy[j] = 0;
    }
  }
  const pi = Math.PI;
  let gCarry = 0;
  let haveCarry = false;
  let gNode0 = 0;
  let haveNode0 = false;
  for (let jo = 0; jo < n; jo++) {
    let jp = jo + 1;
    let jm = jo - 1;
    let jq = jp + 1;
    if (jo === 0) {
      jm = jo;
    } else if (jo === n - 2) {
      jq = jp;
    } else if (jo === n - 1) {
      jp = 0;
      if (!p.gapPanel) break;
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
    const sgn = yy >= 0 ? 1 : -1;
    const tOff = sgn > 0 ? 0 : pi;
    let g1 = 0;
    let t1 = 0;
    if (rs1 > 0) {
      g1 = haveCarry ? gCarry : Math.log(rs1);
      t1 = Math.atan2(sgn * x1, sgn * yy) + tOff;
    }
    if (jo === 0) {
      gNode0 = g1;
      haveNode0 = true;
    }
    let g2 = 0;
    let t2 = 0;
    if (rs2 > 0) {
      g2 = jp === 0 && haveNode0 ? gNode0 : Math.log(rs2);
      t2 = Math.atan2(sgn * x2, sgn * yy) + tOff;
    }
    gCarry = g2;
    haveCarry = true;
    // directional derivatives of X and Y: along the normal, and along x = (1, 0), y = (0, 1)
    const x1i = sx * nxi + sy * nyi;
    const yyi = sx * nyi - sy * nxi;

    if (jo === n - 1) {
      const psigx1 = -(t1 - apan) + (t2 - apan);
      const psigyy = 0.5 * (g1 - g2);
      const pgamx1 = 0.5 * g1 - 0.5 * g2;
      const pgamyy = t1 - t2;
      const hs = 0.5 * HOPI * p.scs;
      const hd = 0.5 * HOPI * p.sds;
      if (normal) {
        const psigni = psigx1 * x1i + psigyy * yyi;
        const pgamni = pgamx1 * x1i + pgamyy * yyi;
        dqdg[off + jo] += -hs * psigni + hd * pgamni;
        dqdg[off + jp] += hs * psigni - hd * pgamni;
      }
      if (gradient) {
        // (1, 0): dX = sx, dY = -sy; (0, 1): dX = sy, dY = sx
        const psigX = psigx1 * sx + psigyy * -sy;
        const pgamX = pgamx1 * sx + pgamyy * -sy;
        const psigY = psigx1 * sy + psigyy * sx;
        const pgamY = pgamx1 * sy + pgamyy * sx;
        gx[jo] += -hs * psigX + hd * pgamX;
        gx[jp] += hs * psigX - hd * pgamX;
        gy[jo] += -hs * psigY + hd * pgamY;
        gy[jp] += hs * psigY - hd * pgamY;
      }
      break;
    }

    if (normal) {
      const x0 = 0.5 * (x1 + x2);
      const rs0 = x0 * x0 + yy * yy;
      const g0 = Math.log(rs0);
      const t0 = Math.atan2(sgn * x0, sgn * yy) + tOff;
      const dxm = x[jp] - x[jm];
      const dym = y[jp] - y[jm];
      const dsm = Math.sqrt(dxm * dxm + dym * dym);
      const dsim = 1 / dsm;
      const dxp = x[jq] - x[jo];
      const dyp = y[jq] - y[jo];
      const dsp = Math.sqrt(dxp * dxp + dyp * dyp);
      const dsip = 1 / dsp;
      halfPanelSources(x1, x0, x2, yy, rs1, rs0, rs2, g1, g0, g2, t1 - apan, t0 - apan, t2 - apan, x1i, yyi);
      dqdm[off + jm] += QOPI * (-hp.psni1 + hp.pdni1) * dsim;
      dqdm[off + jo] += QOPI * (-hp.psni1 - hp.pdni1) * dsio;
      dqdm[off + jp] += QOPI * (hp.psni1 * (dsio + dsim) + hp.pdni1 * (dsio - dsim));
      dqdm[off + jo] += -QOPI * (hp.psni2 * (dsip + dsio) + hp.pdni2 * (dsip - dsio));
      dqdm[off + jp] += QOPI * (hp.psni2 - hp.pdni2) * dsio;
      dqdm[off + jq] += QOPI * (hp.psni2 + hp.pdni2) * dsip;
    }

    // linear vortex panel
    const dxinv = 1 / (x1 - x2);
    const psis = 0.5 * x1 * g1 - 0.5 * x2 * g2 + x2 - x1 + yy * (t1 - t2);
    const psid = ((x1 + x2) * psis + 0.5 * (rs2 * g2 - rs1 * g1 + x1 * x1 - x2 * x2)) * dxinv;
    const psx1 = 0.5 * g1;
    const psx2 = -0.5 * g2;
    const psyy = t1 - t2;
    const pdx1 = ((x1 + x2) * psx1 + psis - x1 * g1 - psid) * dxinv;
    const pdx2 = ((x1 + x2) * psx2 + psis + x2 * g2 + psid) * dxinv;
    const pdyy = ((x1 + x2) * psyy - yy * (g1 - g2)) * dxinv;
    if (normal) {
      const psni = (psx1 + psx2) * x1i + psyy * yyi;
      const pdni = (pdx1 + pdx2) * x1i + pdyy * yyi;
      dqdg[off + jo] += QOPI * (psni - pdni);
      dqdg[off + jp] += QOPI * (psni + pdni);
    }
    if (gradient) {
      const psX = (psx1 + psx2) * sx + psyy * -sy;
      const pdX = (pdx1 + pdx2) * sx + pdyy * -sy;
      const psY = (psx1 + psx2) * sy + psyy * sx;
      const pdY = (pdx1 + pdx2) * sy + pdyy * sx;
      gx[jo] += QOPI * (psX - pdX);
      gx[jp] += QOPI * (psX + pdX);
      gy[jo] += QOPI * (psY - pdY);
      gy[jp] += QOPI * (psY + pdY);
    }
  }
}

/** Scratch results of halfPanelSources (module-level, no allocation in the loops). */
const hp = {
  psum1: 0,
  pdif1: 0,
  psni1: 0,
  pdni1: 0,
  psum2: 0,
  pdif2: 0,
  psni2: 0,
  pdni2: 0,
};

/**
 * Stream-function shape integrals of the two linear-source half-panels 1-0 and 0-2 of one panel
 * (0 = midpoint) and their derivatives along n_i; angles passed as (T - apanel). For a half-panel A-B
 * with end densities sA, sB: psi = QOPI (Ssum (sA + sB) + Sdif (sB - sA)).
 */
function halfPanelSources(
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
): void {
  // half-panel 1-0
  let dxinv = 1 / (x1 - x0);
  let psum = x0 * a0 - x1 * a1 + 0.5 * yy * (g1 - g0);
  let pdif = ((x1 + x0) * psum + rs1 * a1 - rs0 * a0 + (x0 - x1) * yy) * dxinv;
  const psx1 = -a1;
  let psx0 = a0;
  let psyy = 0.5 * (g1 - g0);
  const pdx1 = ((x1 + x0) * psx1 + psum + 2 * x1 * a1 - pdif) * dxinv;
  let pdx0 = ((x1 + x0) * psx0 + psum - 2 * x0 * a0 + pdif) * dxinv;
  let pdyy = ((x1 + x0) * psyy + 2 * (x0 - x1 + yy * (a1 - a0))) * dxinv;
  hp.psum1 = psum;
  hp.pdif1 = pdif;
  hp.psni1 = (psx1 + psx0) * x1i + psyy * yyi;
  hp.pdni1 = (pdx1 + pdx0) * x1i + pdyy * yyi;
  // half-panel 0-2
  dxinv = 1 / (x0 - x2);
  psum = x2 * a2 - x0 * a0 + 0.5 * yy * (g0 - g2);
  pdif = ((x0 + x2) * psum + rs0 * a0 - rs2 * a2 + (x2 - x0) * yy) * dxinv;
  psx0 = -a0;
  const psx2 = a2;
  psyy = 0.5 * (g0 - g2);
  pdx0 = ((x0 + x2) * psx0 + psum + 2 * x0 * a0 - pdif) * dxinv;
  const pdx2 = ((x0 + x2) * psx2 + psum - 2 * x2 * a2 + pdif) * dxinv;
  pdyy = ((x0 + x2) * psyy + 2 * (x2 - x0 + yy * (a0 - a2))) * dxinv;
  hp.psum2 = psum;
  hp.pdif2 = pdif;
  hp.psni2 = (psx0 + psx2) * x1i + psyy * yyi;
  hp.pdni2 = (pdx0 + pdx2) * x1i + pdyy * yyi;
}

/**
 * Influence of the wake half-panel sources (wake panels k -> k+1, k = 0..nw-2) at field point
 * (xi, yi) with direction (nxi, nyi); `io` as in airfoilInfluence (wake node k has io = n + k, pass
 * `n` as nAirfoil). The reflected arctangent puts each panel's branch cut downstream along the panel
 * line, so psi is continuous over the airfoil. Fills out.wzdm and out.wqdm (length nw).
 */
export function wakeSourceInfluence(
  w: KernelWakePanels,
  nAirfoil: number,
  io: number,
  xi: number,
  yi: number,
  nxi: number,
  nyi: number,
  out: KernelOutput,
): void {
  const nw = w.nw;
  const { x, y, apanel } = w;
  const wzdm = out.wzdm;
  const wqdm = out.wqdm;
  for (let k = 0; k < nw; k++) {
    wzdm[k] = 0;
    wqdm[k] = 0;
  }
  const iw = io - nAirfoil; // field wake-node index (negative or >= nw when not a wake node)
  const pi = Math.PI;
  let gCarry = 0; // ln r^2 at node jo from the previous panel (as in airfoilInfluence)
  for (let jo = 0; jo < nw - 1; jo++) {
    const jp = jo + 1;
    const jm = jo === 0 ? jo : jo - 1;
    const jq = jo === nw - 2 ? jp : jp + 1;
    const dxo = x[jp] - x[jo];
    const dyo = y[jp] - y[jo];
    const dso = Math.sqrt(dxo * dxo + dyo * dyo);
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
    const sgn = yy >= 0 ? 1 : -1;
    const tOff = sgn > 0 ? 0 : -pi;
    let g1 = 0;
    let t1 = 0;
    if (iw !== jo && rs1 > 0) {
      g1 = jo > 0 ? gCarry : Math.log(rs1);
      t1 = Math.atan2(sgn * x1, sgn * yy) + tOff;
    }
    let g2 = 0;
    let t2 = 0;
    if (iw !== jp && rs2 > 0) {
      g2 = Math.log(rs2);
      t2 = Math.atan2(sgn * x2, sgn * yy) + tOff;
    }
    gCarry = g2;
    const x1i = sx * nxi + sy * nyi;
    const yyi = sx * nyi - sy * nxi;
    const x0 = 0.5 * (x1 + x2);
    const rs0 = x0 * x0 + yy * yy;
    const g0 = Math.log(rs0);
    const t0 = Math.atan2(sgn * x0, sgn * yy) + tOff;
    const dxm = x[jp] - x[jm];
    const dym = y[jp] - y[jm];
    const dsim = 1 / Math.sqrt(dxm * dxm + dym * dym);
    const dxp = x[jq] - x[jo];
    const dyp = y[jq] - y[jo];
    const dsip = 1 / Math.sqrt(dxp * dxp + dyp * dyp);
    halfPanelSources(x1, x0, x2, yy, rs1, rs0, rs2, g1, g0, g2, t1 - apan, t0 - apan, t2 - apan, x1i, yyi);
    wzdm[jm] += QOPI * (-hp.psum1 + hp.pdif1) * dsim;
    wzdm[jo] += QOPI * (-hp.psum1 - hp.pdif1) * dsio;
    wzdm[jp] += QOPI * (hp.psum1 * (dsio + dsim) + hp.pdif1 * (dsio - dsim));
    wqdm[jm] += QOPI * (-hp.psni1 + hp.pdni1) * dsim;
    wqdm[jo] += QOPI * (-hp.psni1 - hp.pdni1) * dsio;
    wqdm[jp] += QOPI * (hp.psni1 * (dsio + dsim) + hp.pdni1 * (dsio - dsim));
    wzdm[jo] += -QOPI * (hp.psum2 * (dsip + dsio) + hp.pdif2 * (dsip - dsio));
    wzdm[jp] += QOPI * (hp.psum2 - hp.pdif2) * dsio;
    wzdm[jq] += QOPI * (hp.psum2 + hp.pdif2) * dsip;
    wqdm[jo] += -QOPI * (hp.psni2 * (dsip + dsio) + hp.pdni2 * (dsip - dsio));
    wqdm[jp] += QOPI * (hp.psni2 - hp.pdni2) * dsio;
    wqdm[jq] += QOPI * (hp.psni2 + hp.pdni2) * dsip;
  }
}
