/**
 * Exact solution of the transposed Newton system J^T lam = g of the viscous solver (the adjoint
 * equation), J = the block system of blsolve.ts (dR/d(q1, theta, m) of every station).
 *
 * Method: GMRES on J^T, right-preconditioned with the transpose of an approximate factorization of J.
 * The factorization is XFOIL's BLSOLV block elimination with its VACCEL skipping (the same
 * approximation the solver's Newton step uses, so P^-1 J is close to the identity: at a converged
 * point the Newton iteration contracts by ~1e-3 per step), but with every elimination multiplier
 * recorded so that P^-T can be applied. GMRES then removes the skipping error to round-off (typically
 * 3-5 iterations for 1e-12); each iteration costs one product with J^T (dense m columns) and one
 * P^-T application, both O(nsys^2). An exact factorization (VACCEL = 0) would cost O(nsys^3), about
 * four times more.
 *
 * Vector layouts: unknowns x[3 iv + j] = (q1, theta, m) of station iv; equations y[3 iv + k].
 */
import type { BlockSystem } from './blsolve';

/** Recorded approximate factorization P ~ J (see module comment). */
export interface BlockFactor {
  nsys: number;
  cap: number;
  ivte1: number;
  ivz: number;
  /** per station: pivots p0, p1, p2 and the in-block multipliers tA1, tA2, tB, tC1, tC2, tD */
  blk: Float64Array;
  /** per station iv: multipliers of the elimination of station iv's (q1, theta, m) from station iv+1's rows, 3x3 */
  te: Float64Array;
  /** VZ multipliers (3x2) */
  vz: Float64Array;
  /**
   * reduced VM rows: upper part (column > station) = U, lower part (column < station - 0) = the
   * multipliers of the m-column eliminations (0 where skipped)
   */
  vm: Float64Array;
  /** scratch: reduced VA blocks */
  va: Float64Array;
  /**
   * single-precision copy of vm used by applyFactorTranspose (the preconditioner needs no more
   * precision; halves the memory traffic of the GMRES iterations, which are bandwidth-bound)
   */
  vm32: Float32Array;
}

const NB = 9;

/**
 * Approximate block factorization of J (not modified). `vaccel` and `sSpan` as in
 * solveBlockSystem (XFOIL VACCEL = 0.01, sSpan = airfoil arc length); vaccel = 0 gives the exact
 * factors. Returns null on a zero or non-finite pivot.
 */
export function factorBlockSystem(
  J: BlockSystem,
  vaccel: number,
  sSpan: number,
  reuse?: BlockFactor,
): BlockFactor | null {
  const { nsys, cap } = J;
  const ok = reuse !== undefined && reuse.cap === cap && reuse.blk.length >= NB * nsys;
  const va = ok ? reuse.va : new Float64Array(6 * cap);
  va.set(J.va.subarray(0, 6 * nsys));
  const vb = J.vb;
  const vm = ok ? reuse.vm : new Float64Array(3 * cap * cap);
  vm.set(J.vm.subarray(0, 3 * nsys * cap));
  const blk = ok ? reuse.blk : new Float64Array(NB * cap);
  const te = ok ? reuse.te : new Float64Array(9 * cap);
  te.fill(0);
  const vacc1 = vaccel;
  const vacc23 = (vaccel * 2) / sSpan;
  const ivz = J.ivz;
  for (let iv = 0; iv < nsys; iv++) {
    const ivp = iv + 1;
    const a = iv * 6;
    const r0 = iv * 3 * cap;
    const r1 = r0 + cap;
    const r2 = r1 + cap;
    const B = iv * NB;
    // pivot block [VA | VM(:, iv)] reduced to the identity (same operations as BLSOLV, recorded):
    // row0 /= p; rows 1, 2 -= tA row0; row1 /= p; row2 -= tB row1; row2 /= p (pivot on m_iv);
    // rows 0, 1 -= tC row2; row0 -= tD row1
    const p0 = 1 / va[a];
    if (!Number.isFinite(p0)) return null;
    const tA1 = va[a + 2];
    const tA2 = va[a + 4];
    const v01 = va[a + 1] * p0;
    const p1 = 1 / (va[a + 3] - tA1 * v01);
    if (!Number.isFinite(p1)) return null;
    const tB = va[a + 5] - tA2 * v01;
    // column iv
    const b0 = vm[r0 + iv] * p0;
    const b1 = (vm[r1 + iv] - tA1 * b0) * p1;
    const c2 = vm[r2 + iv] - tA2 * b0 - tB * b1;
    const p2 = 1 / c2;
    if (!Number.isFinite(p2)) return null;
    const tC1 = b0;
    const tC2 = b1;
    const tD = v01;
    blk[B] = p0;
    blk[B + 1] = p1;
    blk[B + 2] = p2;
    blk[B + 3] = tA1;
    blk[B + 4] = tA2;
    blk[B + 5] = tB;
    blk[B + 6] = tC1;
    blk[B + 7] = tC2;
    blk[B + 8] = tD;
    vm[r0 + iv] = b0;
    vm[r1 + iv] = b1;
    vm[r2 + iv] = c2;
    const last = iv === nsys - 1;
    // multipliers of the next station's rows (its VB block and its m_iv entries)
    const bn = ivp * 6;
    const s0 = ivp * 3 * cap;
    const s1 = s0 + cap;
    const s2 = s1 + cap;
    let e00 = 0;
    let e01 = 0;
    let e02 = 0;
    let e10 = 0;
    let e11 = 0;
    let e12 = 0;
    let e20 = 0;
    let e21 = 0;
    let e22 = 0;
    if (!last) {
      e00 = vb[bn];
      e01 = vb[bn + 1];
      e02 = vm[s0 + iv];
      e10 = vb[bn + 2];
      e11 = vb[bn + 3];
      e12 = vm[s1 + iv];
      e20 = vb[bn + 4];
      e21 = vb[bn + 5];
      e22 = vm[s2 + iv];
      const T = iv * 9;
      te[T] = e00;
      te[T + 1] = e01;
      te[T + 2] = e02;
      te[T + 3] = e10;
      te[T + 4] = e11;
      te[T + 5] = e12;
      te[T + 6] = e20;
      te[T + 7] = e21;
      te[T + 8] = e22;
    }
    // one pass over the columns right of iv: the pivot rows, and the next station's rows
    if (!last) {
      for (let l = ivp; l < nsys; l++) {
        const x0 = vm[r0 + l] * p0;
        const x1 = (vm[r1 + l] - tA1 * x0) * p1;
        const x2 = (vm[r2 + l] - tA2 * x0 - tB * x1) * p2;
        const y1 = x1 - tC2 * x2;
        const y0 = x0 - tC1 * x2 - tD * y1;
        vm[r0 + l] = y0;
        vm[r1 + l] = y1;
        vm[r2 + l] = x2;
        vm[s0 + l] -= e00 * y0 + e01 * y1 + e02 * x2;
        vm[s1 + l] -= e10 * y0 + e11 * y1 + e12 * x2;
        vm[s2 + l] -= e20 * y0 + e21 * y1 + e22 * x2;
      }
    }
    if (last) break;
    if (iv === J.ivte1 && ivz >= 0) {
      for (let k = 0; k < 3; k++) {
        const rk = (3 * ivz + k) * cap;
        const t1 = J.vz[2 * k];
        const t2 = J.vz[2 * k + 1];
        for (let l = ivp; l < nsys; l++) vm[rk + l] -= t1 * vm[r0 + l] + t2 * vm[r1 + l];
      }
    }
    // m_iv column below (skipping small entries as VACCEL): rank-one updates with the pivot row 2
    for (let kv = iv + 2; kv < nsys; kv++) {
      const rkv = kv * 3 * cap;
      let t0 = vm[rkv + iv];
      let t1 = vm[rkv + cap + iv];
      let t2 = vm[rkv + 2 * cap + iv];
      if (!(Math.abs(t0) > vacc1)) t0 = vm[rkv + iv] = 0;
      if (!(Math.abs(t1) > vacc23)) t1 = vm[rkv + cap + iv] = 0;
      if (!(Math.abs(t2) > vacc23)) t2 = vm[rkv + 2 * cap + iv] = 0;
      if (t0 === 0 && t1 === 0 && t2 === 0) continue;
      const q0 = rkv;
      const q1 = rkv + cap;
      const q2 = q1 + cap;
      for (let l = ivp; l < nsys; l++) {
        const v = vm[r2 + l];
        vm[q0 + l] -= t0 * v;
        vm[q1 + l] -= t1 * v;
        vm[q2 + l] -= t2 * v;
      }
    }
  }
  const out = ok
    ? reuse
    : {
        nsys,
        cap,
        ivte1: J.ivte1,
        ivz,
        blk,
        te,
        vz: new Float64Array(6),
        vm,
        va,
        vm32: new Float32Array(3 * cap * cap),
      };
  out.vm32.set(vm.subarray(0, 3 * nsys * cap));
  out.nsys = nsys;
  out.ivte1 = J.ivte1;
  out.ivz = ivz;
  out.vz.set(J.vz);
  return out;
}

/** y <- P^-1 y (forward solve with the recorded factors; for tests). */
export function applyFactor(F: BlockFactor, y: Float64Array): Float64Array {
  const { nsys, cap, blk, te, vm } = F;
  for (let iv = 0; iv < nsys; iv++) {
    const B = iv * NB;
    const o = 3 * iv;
    y[o] *= blk[B];
    y[o + 1] -= blk[B + 3] * y[o];
    y[o + 2] -= blk[B + 4] * y[o];
    y[o + 1] *= blk[B + 1];
    y[o + 2] -= blk[B + 5] * y[o + 1];
    y[o + 2] *= blk[B + 2];
    y[o] -= blk[B + 6] * y[o + 2];
    y[o + 1] -= blk[B + 7] * y[o + 2];
    y[o] -= blk[B + 8] * y[o + 1];
    if (iv === nsys - 1) break;
    for (let k = 0; k < 3; k++) {
      const T = iv * 9 + 3 * k;
      y[o + 3 + k] -= te[T] * y[o] + te[T + 1] * y[o + 1] + te[T + 2] * y[o + 2];
    }
    if (iv === F.ivte1 && F.ivz >= 0) {
      for (let k = 0; k < 3; k++) y[3 * F.ivz + k] -= F.vz[2 * k] * y[o] + F.vz[2 * k + 1] * y[o + 1];
    }
    const m = y[o + 2];
    if (m !== 0)
      for (let kv = iv + 2; kv < nsys; kv++) {
        const rkv = kv * 3 * cap + iv;
        y[3 * kv] -= vm[rkv] * m;
        y[3 * kv + 1] -= vm[rkv + cap] * m;
        y[3 * kv + 2] -= vm[rkv + 2 * cap] * m;
      }
  }
  // back substitution along the m columns
  for (let iv = nsys - 1; iv >= 1; iv--) {
    const m = y[3 * iv + 2];
    if (m === 0) continue;
    for (let kv = 0; kv < iv; kv++) {
      const r = kv * 3 * cap + iv;
      y[3 * kv] -= vm[r] * m;
      y[3 * kv + 1] -= vm[r + cap] * m;
      y[3 * kv + 2] -= vm[r + 2 * cap] * m;
    }
  }
  return y;
}

/**
 * y <- P^-T y (transposed solve with the recorded factors). Both triangular sweeps run along the
 * rows of the stored VM (contiguous): U^T by scattering each finished station's contribution to the
 * later m components, L^T likewise to the earlier ones. `ym` = scratch of length nsys.
 */
export function applyFactorTranspose(
  F: BlockFactor,
  y: Float64Array,
  ym: Float64Array = new Float64Array(F.nsys),
): Float64Array {
  const { nsys, cap, blk, te } = F;
  const vm = F.vm32;
  // U^T: y_m[iv] -= sum_{kv < iv} U[(kv, k), iv] y[kv, k]
  for (let iv = 0; iv < nsys; iv++) ym[iv] = y[3 * iv + 2];
  for (let kv = 0; kv < nsys - 1; kv++) {
    const c0 = y[3 * kv];
    const c1 = y[3 * kv + 1];
    const c2 = ym[kv];
    y[3 * kv + 2] = c2;
    const r0 = kv * 3 * cap;
    const r1 = r0 + cap;
    const r2 = r1 + cap;
    for (let iv = kv + 1; iv < nsys; iv++) ym[iv] -= vm[r0 + iv] * c0 + vm[r1 + iv] * c1 + vm[r2 + iv] * c2;
  }
  y[3 * nsys - 1] = ym[nsys - 1];
  // L^T: the recorded operations transposed, in reverse order; m-column multipliers scattered
  // row-wise from each finished station kv to the stations iv <= kv - 2
  ym.fill(0);
  for (let iv = nsys - 1; iv >= 0; iv--) {
    const B = iv * NB;
    const o = 3 * iv;
    y[o + 2] -= ym[iv];
    if (iv < nsys - 1) {
      if (iv === F.ivte1 && F.ivz >= 0) {
        const z = 3 * F.ivz;
        y[o] -= F.vz[0] * y[z] + F.vz[2] * y[z + 1] + F.vz[4] * y[z + 2];
        y[o + 1] -= F.vz[1] * y[z] + F.vz[3] * y[z + 1] + F.vz[5] * y[z + 2];
      }
      const T = iv * 9;
      const n0 = y[o + 3];
      const n1 = y[o + 4];
      const n2 = y[o + 5];
      y[o] -= te[T] * n0 + te[T + 3] * n1 + te[T + 6] * n2;
      y[o + 1] -= te[T + 1] * n0 + te[T + 4] * n1 + te[T + 7] * n2;
      y[o + 2] -= te[T + 2] * n0 + te[T + 5] * n1 + te[T + 8] * n2;
    }
    y[o + 1] -= blk[B + 8] * y[o];
    y[o + 2] -= blk[B + 6] * y[o] + blk[B + 7] * y[o + 1];
    y[o + 2] *= blk[B + 2];
    y[o + 1] -= blk[B + 5] * y[o + 2];
    y[o + 1] *= blk[B + 1];
    y[o] -= blk[B + 3] * y[o + 1] + blk[B + 4] * y[o + 2];
    y[o] *= blk[B];
    // station iv is final: its multipliers L[(iv, k), jv], jv <= iv - 2, act on y_m[jv]
    const c0 = y[o];
    const c1 = y[o + 1];
    const c2 = y[o + 2];
    const r0 = iv * 3 * cap;
    const r1 = r0 + cap;
    const r2 = r1 + cap;
    for (let jv = 0; jv <= iv - 2; jv++) ym[jv] += vm[r0 + jv] * c0 + vm[r1 + jv] * c1 + vm[r2 + jv] * c2;
  }
  return y;
}

/**
 * Adds the transposed local blocks of station iv's three rows (VA on its own (q1, theta) columns, VB
 * on the previous station's, VZ on the upper TE station's for the first wake station) times the row
 * weights (y0, y1, y2) to x. The m columns (VM or their structured form) are the caller's.
 */
export function addLocalBlocksTransposed(
  J: BlockSystem,
  iv: number,
  y0: number,
  y1: number,
  y2: number,
  x: Float64Array,
): void {
  const { va, vb, vz } = J;
  const o = 3 * iv;
  const a = 6 * iv;
  x[o] += va[a] * y0 + va[a + 2] * y1 + va[a + 4] * y2;
  x[o + 1] += va[a + 1] * y0 + va[a + 3] * y1 + va[a + 5] * y2;
  if (iv > 0) {
    x[o - 3] += vb[a] * y0 + vb[a + 2] * y1 + vb[a + 4] * y2;
    x[o - 2] += vb[a + 1] * y0 + vb[a + 3] * y1 + vb[a + 5] * y2;
  }
  if (iv === J.ivz && J.ivte1 >= 0) {
    const t = 3 * J.ivte1;
    x[t] += vz[0] * y0 + vz[2] * y1 + vz[4] * y2;
    x[t + 1] += vz[1] * y0 + vz[3] * y1 + vz[5] * y2;
  }
}

/** x = J^T y for the (unfactored) block system; `xm` = scratch of length nsys. */
export function multiplyTranspose(
  J: BlockSystem,
  y: Float64Array,
  x: Float64Array,
  xm: Float64Array = new Float64Array(J.nsys),
): Float64Array {
  const { nsys, cap, vm } = J;
  x.fill(0, 0, 3 * nsys);
  xm.fill(0, 0, nsys);
  for (let iv = 0; iv < nsys; iv++) {
    const o = 3 * iv;
    const y0 = y[o];
    const y1 = y[o + 1];
    const y2 = y[o + 2];
    addLocalBlocksTransposed(J, iv, y0, y1, y2, x);
    const r0 = iv * 3 * cap;
    const r1 = r0 + cap;
    const r2 = r1 + cap;
    for (let l = 0; l < nsys; l++) xm[l] += vm[r0 + l] * y0 + vm[r1 + l] * y1 + vm[r2 + l] * y2;
  }
  for (let l = 0; l < nsys; l++) x[3 * l + 2] += xm[l];
  return x;
}

/** Options of solveTransposed. */
export interface TransposedSolveOptions {
  /** relative residual target ||J^T lam - g|| / ||g|| (default 1e-13) */
  tolerance?: number;
  /** max GMRES iterations (default 60) */
  maxIterations?: number;
  /** x = J^T y (default: multiplyTranspose of the block system) */
  multiply?: (y: Float64Array, x: Float64Array) => void;
}

/** Reusable storage of solveTransposed (Krylov basis and Hessenberg matrix). */
export interface GmresWorkspace {
  n: number;
  maxIt: number;
  V: Float64Array[];
  Z: Float64Array[];
  H: Float64Array;
  cs: Float64Array;
  sn: Float64Array;
  e: Float64Array;
  w: Float64Array;
  r: Float64Array;
  yv: Float64Array;
  scratch: Float64Array;
}

/** Allocates a GMRES workspace for systems of n unknowns (nsys stations) and maxIt iterations. */
export function newGmresWorkspace(n: number, nsys: number, maxIt = 60): GmresWorkspace {
  const V: Float64Array[] = [];
  const Z: Float64Array[] = [];
  for (let k = 0; k <= maxIt; k++) {
    V.push(new Float64Array(n));
    Z.push(new Float64Array(n));
  }
  return {
    n,
    maxIt,
    V,
    Z,
    H: new Float64Array((maxIt + 1) * maxIt),
    cs: new Float64Array(maxIt),
    sn: new Float64Array(maxIt),
    e: new Float64Array(maxIt + 1),
    w: new Float64Array(n),
    r: new Float64Array(n),
    yv: new Float64Array(maxIt),
    scratch: new Float64Array(nsys),
  };
}

/** Result of solveTransposed. */
export interface TransposedSolveResult {
  lam: Float64Array;
  iterations: number;
  /** final relative residual ||J^T lam - g|| / ||g|| (recomputed) */
  relResidual: number;
}

/**
 * Solves J^T lam = g by right-preconditioned GMRES (no restart within maxIterations) with
 * P^-T from `F` (factorBlockSystem of J). Several right-hand sides: call once per g.
 */
export function solveTransposed(
  J: BlockSystem,
  F: BlockFactor,
  g: Float64Array,
  opts: TransposedSolveOptions = {},
  lam: Float64Array = new Float64Array(3 * J.nsys),
  ws?: GmresWorkspace,
): TransposedSolveResult {
  const n = 3 * J.nsys;
  const tol = opts.tolerance ?? 1e-13;
  const W = ws && ws.n === n ? ws : newGmresWorkspace(n, J.nsys, opts.maxIterations ?? 60);
  const maxIt = Math.min(opts.maxIterations ?? 60, W.maxIt);
  lam.fill(0, 0, n);
  let gNorm = 0;
  for (let i = 0; i < n; i++) gNorm += g[i] * g[i];
  gNorm = Math.sqrt(gNorm);
  if (gNorm === 0) return { lam, iterations: 0, relResidual: 0 };
  const { V, Z, H, cs, sn, e, w, r, yv, scratch } = W;
  const ld = W.maxIt;
  const mul =
    opts.multiply ?? ((y: Float64Array, x: Float64Array) => void multiplyTranspose(J, y, x, scratch));
  let total = 0;
  // restarts (rarely needed): residual r = g - J^T lam
  for (let cycle = 0; cycle < 4; cycle++) {
    r.set(g);
    if (cycle > 0) {
      mul(lam, w);
      for (let i = 0; i < n; i++) r[i] -= w[i];
    }
    let beta = 0;
    for (let i = 0; i < n; i++) beta += r[i] * r[i];
    beta = Math.sqrt(beta);
    if (beta <= tol * gNorm) break;
    const v0 = V[0];
    for (let i = 0; i < n; i++) v0[i] = r[i] / beta;
    e.fill(0);
    e[0] = beta;
    let k = 0;
    for (; k < maxIt; k++) {
      const z = Z[k];
      z.set(V[k]);
      applyFactorTranspose(F, z, scratch);
      mul(z, w);
      // modified Gram-Schmidt
      for (let j = 0; j <= k; j++) {
        const vj = V[j];
        let h = 0;
        for (let i = 0; i < n; i++) h += w[i] * vj[i];
        H[j * ld + k] = h;
        for (let i = 0; i < n; i++) w[i] -= h * vj[i];
      }
      let hn = 0;
      for (let i = 0; i < n; i++) hn += w[i] * w[i];
      hn = Math.sqrt(hn);
      H[(k + 1) * ld + k] = hn;
      // apply previous rotations, then a new one
      for (let j = 0; j < k; j++) {
        const a = H[j * ld + k];
        const b = H[(j + 1) * ld + k];
        H[j * ld + k] = cs[j] * a + sn[j] * b;
        H[(j + 1) * ld + k] = -sn[j] * a + cs[j] * b;
      }
      const a = H[k * ld + k];
      const b = H[(k + 1) * ld + k];
      const den = Math.hypot(a, b);
      cs[k] = den > 0 ? a / den : 1;
      sn[k] = den > 0 ? b / den : 0;
      H[k * ld + k] = den;
      H[(k + 1) * ld + k] = 0;
      e[k + 1] = -sn[k] * e[k];
      e[k] = cs[k] * e[k];
      total++;
      const done = Math.abs(e[k + 1]) <= tol * gNorm || hn === 0;
      if (!done && k + 1 < maxIt) {
        const vn = V[k + 1];
        for (let i = 0; i < n; i++) vn[i] = w[i] / hn;
      }
      if (done) {
        k++;
        break;
      }
    }
    // solve the triangular system and update lam = lam + Z y
    const kk = Math.min(k, maxIt);
    for (let i = kk - 1; i >= 0; i--) {
      let s2 = e[i];
      for (let j = i + 1; j < kk; j++) s2 -= H[i * ld + j] * yv[j];
      yv[i] = s2 / H[i * ld + i];
    }
    for (let j = 0; j < kk; j++) {
      const zj = Z[j];
      const c = yv[j];
      for (let i = 0; i < n; i++) lam[i] += c * zj[i];
    }
  }
  mul(lam, w);
  let rr = 0;
  for (let i = 0; i < n; i++) rr += (g[i] - w[i]) ** 2;
  return { lam, iterations: total, relResidual: Math.sqrt(rr) / gNorm };
}
