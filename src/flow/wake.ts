/**
 * Wake trajectory and inviscid wake speeds in XFOIL 6.99's formulation (xpanel.f XYWAKE, QWCALC;
 * xutils.f SETEXP), physics reference section 2.8, written from the published description.
 *
 * The wake is a streamline of the inviscid flow at the angle of attack it was built for: NW nodes,
 * the first 1e-4 (coordinate units) behind the TE midpoint along the TE bisector, then explicit
 * steps along the local velocity direction with geometric spacing (first step = mean of the two TE
 * panel lengths, total length WAKLEN * chord). It is not updated for viscous effects.
 *
 * Wake node k (0..nw-1) has the combined index n + k after the n airfoil nodes (XFOIL's N+1+k).
 */
import { wakeNodeInfluence, type KernelWakePanels } from './panel-kernels';
import type { InviscidSystem } from './inviscid';

/** offset of the first wake node behind the TE midpoint, coordinate units [XYWAKE] */
export const WAKE_FIRST_POINT_OFFSET = 1e-4;

/** Wake geometry and unit-solution speeds. Arrays have length nw. */
export interface Wake extends KernelWakePanels {
  /** number of wake nodes NW */
  nw: number;
  /** angle of attack (radians) whose inviscid streamline this wake follows */
  alphaRad: number;
  /** wake length in chords (WAKLEN) */
  lengthChords: number;
  /** node coordinates */
  x: Float64Array;
  y: Float64Array;
  /** arc length, continuing the airfoil's: s[0] = s_airfoil[n-1], then + step lengths */
  s: Float64Array;
  /**
   * unit normal of node k: k = 0: normal to the TE bisector; k >= 1: minus the normalized
   * stream-function gradient at node k-1 (i.e. normal to the step k-1 -> k). The wake speed of node k
   * is dpsi/dn along this normal (negative for downstream flow, like the lower surface's gam).
   */
  nx: Float64Array;
  ny: Float64Array;
  /** panel angle atan2(dx, -dy) of wake panel k -> k+1 (last entry: of the last panel) */
  apanel: Float64Array;
  /** wake-node speed q for the alpha = 0 unit solution (node 0 copies the TE node n-1) [QWCALC] */
  q0: Float64Array;
  /** wake-node speed q for the alpha = 90 deg unit solution */
  q90: Float64Array;
  /**
   * dq_k/dgam_j: wake-node speed (dpsi/dn along the node normal) per airfoil node vorticity,
   * dqdg[k*n + j], n = airfoil nodes; row 0 is not used (node 0 copies the TE node)
   */
  dqdg: Float64Array;
  /** dq_k/dSIG_j: the same for the airfoil node sources (QDCALC wake rows, direct part) */
  dqdm: Float64Array;
  /** scratch of buildWake: surface vorticity, stream-function gradient kernels, spacing (length n, n, n, nw) */
  work: { gam: Float64Array; gx: Float64Array; gy: Float64Array; snew: Float64Array };
}

/** Number of wake nodes NW = floor(n/12) + 10 floor(WAKLEN) [XYWAKE]. */
export function wakeNodeCount(n: number, lengthChords = 1): number {
  return Math.floor(n / 12) + 10 * Math.floor(lengthChords);
}

/**
 * Geometrically stretched array (XFOIL SETEXP): out[0] = 0, out[1] = ds1, successive increments in
 * the constant ratio r with out[nn-1] = smax (ratio by Newton's method on the geometric sum).
 */
export function geometricSpacing(
  ds1: number,
  smax: number,
  nn: number,
  out: Float64Array = new Float64Array(nn),
): Float64Array {
  const nex = nn - 1;
  const sigma = smax / ds1;
  // initial guess from the cubic expansion of the geometric sum in (r - 1), as SETEXP
  const aaa = (nex * (nex - 1) * (nex - 2)) / 6;
  const bbb = (nex * (nex - 1)) / 2;
  const ccc = nex - sigma;
  let ratio: number;
  if (nex <= 1) ratio = 1;
  else if (nex === 2) ratio = -ccc / bbb + 1;
  else ratio = (-bbb + Math.sqrt(Math.max(0, bbb * bbb - 4 * aaa * ccc))) / (2 * aaa) + 1;
  if (nex >= 2 && ratio !== 1) {
    const rni = 1 / nex;
    for (let it = 0; it < 100; it++) {
      const rn = ratio ** nex;
      const sigman = (rn - 1) / (ratio - 1);
      const res = sigman ** rni - sigma ** rni;
      const dresdr = (rni * sigman ** rni * (nex * ratio ** (nex - 1) - sigman)) / (rn - 1);
      const dr = -res / dresdr;
      ratio += dr;
      if (Math.abs(dr) < 1e-14 || !Number.isFinite(dr)) break;
    }
  }
  out[0] = 0;
  let ds = ds1;
  for (let k = 1; k < nn; k++) {
    out[k] = out[k - 1] + ds;
    ds *= ratio;
  }
  return out;
}

/**
 * Builds the wake for the inviscid flow at alphaRad (XFOIL XYWAKE) and its unit-solution speeds
 * (QWCALC), with the airfoil-singularity influence rows of the wake speeds (dqdg, dqdm) that the
 * source influence matrix reuses. Pass a previous Wake of the same system as `reuse` to overwrite
 * its storage.
 */
export function buildWake(sys: InviscidSystem, alphaRad: number, lengthChords = 1, reuse?: Wake): Wake {
  const g = sys.geom;
  const n = g.n;
  const nw = wakeNodeCount(n, lengthChords);
  const w: Wake =
    reuse && reuse.nw === nw && reuse.work.gam.length === n
      ? reuse
      : {
          nw,
          alphaRad,
          lengthChords,
          x: new Float64Array(nw),
          y: new Float64Array(nw),
          s: new Float64Array(nw),
          nx: new Float64Array(nw),
          ny: new Float64Array(nw),
          apanel: new Float64Array(nw),
          q0: new Float64Array(nw),
          q90: new Float64Array(nw),
          dqdg: new Float64Array(nw * n),
          dqdm: new Float64Array(nw * n),
          work: {
            gam: new Float64Array(n),
            gx: new Float64Array(n),
            gy: new Float64Array(n),
            snew: new Float64Array(nw),
          },
        };
  w.alphaRad = alphaRad;
  w.lengthChords = lengthChords;
  const ca = Math.cos(alphaRad);
  const sa = Math.sin(alphaRad);
  const { gam, gx, gy } = w.work;
  // surface vorticity at this alpha
  for (let j = 0; j < n; j++) gam[j] = ca * sys.gam0[j] + sa * sys.gam90[j];

  const ds1 = 0.5 * (g.s[1] - g.s[0] + g.s[n - 1] - g.s[n - 2]);
  const snew = geometricSpacing(ds1, lengthChords * g.chord, nw, w.work.snew);

  // first node: 1e-4 behind the TE along the bisector; its normal is normal to the bisector
  let sx = 0.5 * (g.yp[n - 1] - g.yp[0]);
  let sy = 0.5 * (g.xp[0] - g.xp[n - 1]);
  const smod = Math.hypot(sx, sy);
  w.nx[0] = sx / smod;
  w.ny[0] = sy / smod;
  w.x[0] = g.xte - WAKE_FIRST_POINT_OFFSET * w.ny[0];
  w.y[0] = g.yte + WAKE_FIRST_POINT_OFFSET * w.nx[0];
  w.s[0] = g.s[n - 1];
  // unit-solution wake speeds [QWCALC]: q = dpsi/dn along the node normal; node 0 copies the TE node
  w.q0[0] = sys.gam0[n - 1];
  w.q90[0] = sys.gam90[n - 1];
  const dqdg = w.dqdg;
  for (let k = 0; k < nw; k++) {
    if (k > 0) {
      const ds = snew[k] - snew[k - 1];
      w.x[k] = w.x[k - 1] - ds * w.ny[k];
      w.y[k] = w.y[k - 1] + ds * w.nx[k];
      w.s[k] = w.s[k - 1] + ds;
    }
    const last = k === nw - 1;
    // one kernel pass: speed along the node normal (k >= 1) and the stream-function gradient (k < nw-1)
    wakeNodeInfluence(g, w.x[k], w.y[k], w.nx[k], w.ny[k], k > 0, !last, dqdg, w.dqdm, k * n, gx, gy);
    if (!last) {
      // stream-function gradient at node k -> normal of the next node
      let psiX = -sa;
      for (let j = 0; j < n; j++) psiX += gx[j] * gam[j];
      let psiY = ca;
      for (let j = 0; j < n; j++) psiY += gy[j] * gam[j];
      const gm = Math.hypot(psiX, psiY);
      w.nx[k + 1] = -psiX / gm;
      w.ny[k + 1] = -psiY / gm;
    }
    if (k > 0) {
      let q0 = w.ny[k];
      let q90 = -w.nx[k];
      const r = k * n;
      for (let j = 0; j < n; j++) {
        q0 += dqdg[r + j] * sys.gam0[j];
        q90 += dqdg[r + j] * sys.gam90[j];
      }
      w.q0[k] = q0;
      w.q90[k] = q90;
    }
  }
  // panel angles [APCALC, wake part]
  for (let k = 0; k < nw - 1; k++) {
    sx = w.x[k + 1] - w.x[k];
    sy = w.y[k + 1] - w.y[k];
    w.apanel[k] = Math.atan2(sx, -sy);
  }
  sx = w.x[nw - 1] - w.x[nw - 2];
  sy = w.y[nw - 1] - w.y[nw - 2];
  w.apanel[nw - 1] = Math.atan2(sx, -sy);
  return w;
}
