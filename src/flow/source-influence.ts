/**
 * Source (mass) influence matrix DIJ = dq_I/dSIG_J over all airfoil and wake nodes, in XFOIL 6.99's
 * formulation (xpanel.f QDCALC), physics reference section 3, written from the published description.
 *
 * Indices I, J run over the combined node set: airfoil nodes 0..n-1, then wake nodes n..n+nw-1.
 * SIG_J are node "masses" whose differences give the half-panel-linear source density (see
 * panel-kernels.ts); q_I is the airfoil surface speed gam_I (I < n) or the wake speed dpsi/dn along
 * the wake-node normal (I >= n), both in the panel sign convention (positive clockwise; negative on
 * the lower surface and wake for downstream flow). The coupling converts with ue = v q, v = +-1.
 *
 * - airfoil rows: the panel system re-solved with the source terms on the right-hand side (kept LU):
 *   airfoil columns from the stored -dpsi/dSIG (sharp TE: the bisector row's -dq_b/dSIG), wake
 *   columns from -dpsi/dSIG of the wake sources with zero Kutta and zero bisector entries;
 * - wake rows: direct source velocity + sum_k (dq_I/dgam_k) (dgam_k/dSIG_J), with the airfoil
 *   singularity rows dq_I/dgam_k, dq_I/dSIG_J computed by buildWake (wake.dqdg, wake.dqdm);
 * - the first wake row equals the TE row n-1.
 */
import { luSolveMany } from './dense-lu';
import { airfoilSourceInfluence, type InviscidSystem } from './inviscid';
import { newKernelOutput, wakeSourceInfluence, type KernelOutput } from './panel-kernels';
import type { Wake } from './wake';

/** The source influence matrix and its scratch storage. */
export interface SourceInfluence {
  /** airfoil nodes */
  n: number;
  /** wake nodes */
  nw: number;
  /** n + nw */
  nTot: number;
  /** dij[I*nTot + J] = dq_I/dSIG_J, row-major nTot x nTot */
  dij: Float64Array;
  /** scratch: wake-source right-hand sides / solutions, (n+1) x nw */
  bw: Float64Array;
  /** kernel scratch */
  work: KernelOutput;
}

/** Allocates storage for a source influence matrix of n airfoil and nw wake nodes. */
export function newSourceInfluence(n: number, nw: number): SourceInfluence {
  const nTot = n + nw;
  return {
    n,
    nw,
    nTot,
    dij: new Float64Array(nTot * nTot),
    bw: new Float64Array((n + 1) * nw),
    work: newKernelOutput(n, nw),
  };
}

/**
 * Computes DIJ for the airfoil system and wake (XFOIL QDCALC). The airfoil block dgam/dSIG is
 * computed once per geometry and cached on `sys`; the wake rows' airfoil-singularity kernels come
 * with the wake (buildWake); everything else is recomputed (call again after every wake rebuild).
 * Pass `out` (from newSourceInfluence or a previous call) to avoid allocation.
 */
export function sourceInfluenceMatrix(
  sys: InviscidSystem,
  wake: Wake,
  out?: SourceInfluence,
): SourceInfluence {
  const g = sys.geom;
  const n = g.n;
  const nw = wake.nw;
  const d = out && out.n === n && out.nw === nw ? out : newSourceInfluence(n, nw);
  const nTot = d.nTot;
  const dij = d.dij;
  const bw = d.bw;
  const ws = d.work;
  const dg = airfoilSourceInfluence(sys);

  // airfoil rows, wake columns: -dpsi_i/dSIG_k of the wake sources, Kutta (and bisector) rows 0
  for (let i = 0; i < n; i++) {
    wakeSourceInfluence(wake, n, i, g.x[i], g.y[i], g.nx[i], g.ny[i], ws);
    const r = i * nw;
    for (let k = 0; k < nw; k++) bw[r + k] = -ws.wzdm[k];
  }
  bw.fill(0, n * nw, (n + 1) * nw);
  if (g.sharp) bw.fill(0, (n - 1) * nw, n * nw);
  luSolveMany(sys.lu, sys.size, sys.piv, bw, nw);

  for (let i = 0; i < n; i++) {
    const r = i * nTot;
    const rg = i * n;
    for (let j = 0; j < n; j++) dij[r + j] = dg[rg + j];
    const rb = i * nw;
    for (let k = 0; k < nw; k++) dij[r + n + k] = bw[rb + k];
  }

  // wake rows (the first is replaced by the TE row below)
  const cij = wake.dqdg;
  for (let k = 1; k < nw; k++) {
    const io = n + k;
    const r = io * nTot;
    const rc = k * n;
    for (let j = 0; j < n; j++) dij[r + j] = wake.dqdm[rc + j];
    wakeSourceInfluence(wake, n, io, wake.x[k], wake.y[k], wake.nx[k], wake.ny[k], ws);
    for (let l = 0; l < nw; l++) dij[r + n + l] = ws.wqdm[l];
    // + dq/dgam_m * dgam_m/dSIG_J (airfoil rows of dij hold dgam/dSIG), four m per pass, each
    // element accumulated in the order m = 0, 1, 2, ...
    let m = 0;
    for (; m + 3 < n; m += 4) {
      const c0 = cij[rc + m];
      const c1 = cij[rc + m + 1];
      const c2 = cij[rc + m + 2];
      const c3 = cij[rc + m + 3];
      const r0 = m * nTot;
      const r1 = r0 + nTot;
      const r2 = r1 + nTot;
      const r3 = r2 + nTot;
      for (let jj = 0; jj < nTot; jj++) {
        let v = dij[r + jj];
        v += c0 * dij[r0 + jj];
        v += c1 * dij[r1 + jj];
        v += c2 * dij[r2 + jj];
        v += c3 * dij[r3 + jj];
        dij[r + jj] = v;
      }
    }
    for (; m < n; m++) {
      const c = cij[rc + m];
      const rm = m * nTot;
      for (let jj = 0; jj < nTot; jj++) dij[r + jj] += c * dij[rm + jj];
    }
  }
  // first wake node has the TE node's speed
  dij.copyWithin(n * nTot, (n - 1) * nTot, n * nTot);
  return d;
}
