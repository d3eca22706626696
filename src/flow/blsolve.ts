/**
 * Block solver of the global viscous/inviscid Newton system (the structure of XFOIL's BLSOLV
 * [xsolve.f BLSOLV], physics reference section 7.2), written from the published description.
 *
 * System (one block row of 3 equations per BL station iv = 0..nsys-1, in IBLSYS order: side 1
 * stations, then side 2 stations and the wake):
 *
 *   VB_iv (dq1, dth)_(iv-1) + VA_iv (dq1, dth)_iv + sum_l VM_iv,l dm_l  =  rhs_iv
 *
 * with dq1 = dN (laminar) or dS = d sqrt(Ctau) (turbulent), dth = d theta, dm = d(ue delta*).
 * VA, VB are 3x2, VM is dense (3 rows per station, one column per station), and one extra 3x2
 * block VZ couples the first wake station to the side-1 trailing-edge station (the TE merge). Two
 * right-hand sides are carried: column 0 = the Newton residual, column 1 = the sensitivity to the
 * global variable (alpha in fixed-CL mode).
 *
 * Elimination: for each station, the 3x3 pivot block [VA | VM(:, iv)] is reduced to the identity,
 * the next station's VB (and VZ) is eliminated, and the entries of column iv below are eliminated.
 * Entries smaller than `vaccel` (row 0) or `vaccel * 2 / (s_N - s_1)` (rows 1, 2) are skipped, as
 * XFOIL does with VACCEL = 0.01: that makes the step a quasi-Newton step with a much cheaper
 * elimination; vaccel = 0 gives the exact solution. Back substitution runs along the dm columns.
 * No pivoting (the BL blocks are diagonally dominant in practice, as in XFOIL).
 */

/** Storage of the Newton system, preallocated per solver for a maximum station count. */
export interface BlockSystem {
  /** number of stations (system block rows) currently in use */
  nsys: number;
  /** capacity in stations */
  readonly cap: number;
  /** VA blocks: va[(iv*3 + k)*2 + j], k = equation, j = (q1, theta) */
  readonly va: Float64Array;
  /** VB blocks (coefficients of the upstream station), same layout as va */
  readonly vb: Float64Array;
  /** VM rows: vm[(iv*3 + k)*cap + l] = d(eq k of station iv)/d(m_l) */
  readonly vm: Float64Array;
  /** right-hand sides: rhs[(iv*3 + k)*2 + c], c = 0 residual, c = 1 global-variable sensitivity */
  readonly rhs: Float64Array;
  /** VZ block (first wake station on the side-1 TE station): vz[k*2 + j] */
  readonly vz: Float64Array;
  /** system index of the side-1 trailing-edge station (VZ column owner) */
  ivte1: number;
  /** system index of the first wake station (VZ row owner) */
  ivz: number;
}

/** Allocates a block system for up to `cap` stations. */
export function createBlockSystem(cap: number): BlockSystem {
  return {
    nsys: 0,
    cap,
    va: new Float64Array(cap * 6),
    vb: new Float64Array(cap * 6),
    vm: new Float64Array(cap * 3 * cap),
    rhs: new Float64Array(cap * 6),
    vz: new Float64Array(6),
    ivte1: -1,
    ivz: -1,
  };
}

/** Deep copy of the used part of a block system (e.g. to keep the Jacobian for an adjoint). */
export function copyBlockSystem(src: BlockSystem, dst: BlockSystem = createBlockSystem(src.cap)): BlockSystem {
  if (dst.cap !== src.cap) throw new Error('copyBlockSystem: capacity mismatch');
  dst.nsys = src.nsys;
  dst.ivte1 = src.ivte1;
  dst.ivz = src.ivz;
  const n6 = src.nsys * 6;
  dst.va.set(src.va.subarray(0, n6));
  dst.vb.set(src.vb.subarray(0, n6));
  dst.rhs.set(src.rhs.subarray(0, n6));
  dst.vz.set(src.vz);
  dst.vm.set(src.vm.subarray(0, src.nsys * 3 * src.cap));
  return dst;
}

/**
 * Solves the block system in place. On return rhs[(iv*3+k)*2 + c] holds the solution
 * (dq1, dth, dm) of station iv for right-hand side c. `vaccel` is XFOIL's VACCEL (0 = exact);
 * `sSpan` = s_N - s_1 (total airfoil arc length) scales the threshold of rows 1 and 2.
 * Returns false if a zero or non-finite pivot was met (the system is then garbage).
 */
export function solveBlockSystem(sys: BlockSystem, vaccel: number, sSpan: number): boolean {
  const { nsys, cap, va, vb, vm, rhs, vz } = sys;
  const vacc1 = vaccel;
  const vacc23 = (vaccel * 2) / sSpan;
  for (let iv = 0; iv < nsys; iv++) {
    const ivp = iv + 1;
    const a = iv * 6;
    const r0 = iv * 3 * cap;
    const r1 = r0 + cap;
    const r2 = r1 + cap;
    const d0 = iv * 6;
    // --- pivot block: first row
    let piv = 1 / va[a];
    if (!Number.isFinite(piv)) return false;
    va[a + 1] *= piv;
    for (let l = iv; l < nsys; l++) vm[r0 + l] *= piv;
    rhs[d0] *= piv;
    rhs[d0 + 1] *= piv;
    // eliminate first column of rows 1, 2
    for (let k = 1; k < 3; k++) {
      const t = va[a + 2 * k];
      if (t === 0) continue;
      va[a + 2 * k + 1] -= t * va[a + 1];
      const rk = r0 + k * cap;
      for (let l = iv; l < nsys; l++) vm[rk + l] -= t * vm[r0 + l];
      rhs[d0 + 2 * k] -= t * rhs[d0];
      rhs[d0 + 2 * k + 1] -= t * rhs[d0 + 1];
    }
    // second row
    piv = 1 / va[a + 3];
    if (!Number.isFinite(piv)) return false;
    for (let l = iv; l < nsys; l++) vm[r1 + l] *= piv;
    rhs[d0 + 2] *= piv;
    rhs[d0 + 3] *= piv;
    {
      const t = va[a + 5];
      if (t !== 0) {
        for (let l = iv; l < nsys; l++) vm[r2 + l] -= t * vm[r1 + l];
        rhs[d0 + 4] -= t * rhs[d0 + 2];
        rhs[d0 + 5] -= t * rhs[d0 + 3];
      }
    }
    // third row (pivot on the dm_iv column)
    piv = 1 / vm[r2 + iv];
    if (!Number.isFinite(piv)) return false;
    for (let l = ivp; l < nsys; l++) vm[r2 + l] *= piv;
    rhs[d0 + 4] *= piv;
    rhs[d0 + 5] *= piv;
    // eliminate the dm_iv column from rows 0 and 1
    {
      const t1 = vm[r0 + iv];
      const t2 = vm[r1 + iv];
      for (let l = ivp; l < nsys; l++) {
        const v = vm[r2 + l];
        vm[r0 + l] -= t1 * v;
        vm[r1 + l] -= t2 * v;
      }
      rhs[d0] -= t1 * rhs[d0 + 4];
      rhs[d0 + 2] -= t2 * rhs[d0 + 4];
      rhs[d0 + 1] -= t1 * rhs[d0 + 5];
      rhs[d0 + 3] -= t2 * rhs[d0 + 5];
    }
    // eliminate the theta column from row 0
    {
      const t = va[a + 1];
      for (let l = ivp; l < nsys; l++) vm[r0 + l] -= t * vm[r1 + l];
      rhs[d0] -= t * rhs[d0 + 2];
      rhs[d0 + 1] -= t * rhs[d0 + 3];
    }
    if (iv === nsys - 1) break;
    // --- eliminate VB of the next station
    const bn = ivp * 6;
    const rn = ivp * 3 * cap;
    for (let k = 0; k < 3; k++) {
      const t1 = vb[bn + 2 * k];
      const t2 = vb[bn + 2 * k + 1];
      const rk = rn + k * cap;
      const t3 = vm[rk + iv];
      for (let l = ivp; l < nsys; l++) vm[rk + l] -= t1 * vm[r0 + l] + t2 * vm[r1 + l] + t3 * vm[r2 + l];
      rhs[bn + 2 * k] -= t1 * rhs[d0] + t2 * rhs[d0 + 2] + t3 * rhs[d0 + 4];
      rhs[bn + 2 * k + 1] -= t1 * rhs[d0 + 1] + t2 * rhs[d0 + 3] + t3 * rhs[d0 + 5];
    }
    if (iv === sys.ivte1 && sys.ivz >= 0) {
      // eliminate the VZ block (first wake station depends on the side-1 TE station)
      const rz = sys.ivz * 3 * cap;
      const dz = sys.ivz * 6;
      for (let k = 0; k < 3; k++) {
        const t1 = vz[2 * k];
        const t2 = vz[2 * k + 1];
        const rk = rz + k * cap;
        for (let l = ivp; l < nsys; l++) vm[rk + l] -= t1 * vm[r0 + l] + t2 * vm[r1 + l];
        rhs[dz + 2 * k] -= t1 * rhs[d0] + t2 * rhs[d0 + 2];
        rhs[dz + 2 * k + 1] -= t1 * rhs[d0 + 1] + t2 * rhs[d0 + 3];
      }
    }
    if (ivp === nsys - 1) continue;
    // --- eliminate the dm_iv column below (skipping small entries, VACCEL)
    const s4 = rhs[d0 + 4];
    const s5 = rhs[d0 + 5];
    for (let kv = iv + 2; kv < nsys; kv++) {
      const rkv = kv * 3 * cap;
      const dk = kv * 6;
      const t1 = vm[rkv + iv];
      if (Math.abs(t1) > vacc1) {
        for (let l = ivp; l < nsys; l++) vm[rkv + l] -= t1 * vm[r2 + l];
        rhs[dk] -= t1 * s4;
        rhs[dk + 1] -= t1 * s5;
      }
      const t2 = vm[rkv + cap + iv];
      if (Math.abs(t2) > vacc23) {
        const rr = rkv + cap;
        for (let l = ivp; l < nsys; l++) vm[rr + l] -= t2 * vm[r2 + l];
        rhs[dk + 2] -= t2 * s4;
        rhs[dk + 3] -= t2 * s5;
      }
      const t3 = vm[rkv + 2 * cap + iv];
      if (Math.abs(t3) > vacc23) {
        const rr = rkv + 2 * cap;
        for (let l = ivp; l < nsys; l++) vm[rr + l] -= t3 * vm[r2 + l];
        rhs[dk + 4] -= t3 * s4;
        rhs[dk + 5] -= t3 * s5;
      }
    }
  }
  // --- back substitution along the dm columns
  for (let iv = nsys - 1; iv >= 1; iv--) {
    const m0 = rhs[iv * 6 + 4];
    const m1 = rhs[iv * 6 + 5];
    for (let kv = iv - 1; kv >= 0; kv--) {
      const rkv = kv * 3 * cap + iv;
      const dk = kv * 6;
      const c0 = vm[rkv];
      const c1 = vm[rkv + cap];
      const c2 = vm[rkv + 2 * cap];
      rhs[dk] -= c0 * m0;
      rhs[dk + 2] -= c1 * m0;
      rhs[dk + 4] -= c2 * m0;
      rhs[dk + 1] -= c0 * m1;
      rhs[dk + 3] -= c1 * m1;
      rhs[dk + 5] -= c2 * m1;
    }
  }
  return true;
}

/**
 * Product y = J x of the (unsolved) block system with a vector x[(iv*3 + j)] = (dq1, dth, dm) of
 * every station; used by tests and by the adjoint. y has the same layout (3 equations per station).
 */
export function multiplyBlockSystem(sys: BlockSystem, x: Float64Array, y: Float64Array): Float64Array {
  const { nsys, cap, va, vb, vm, vz } = sys;
  for (let iv = 0; iv < nsys; iv++) {
    for (let k = 0; k < 3; k++) {
      let s = va[iv * 6 + 2 * k] * x[iv * 3] + va[iv * 6 + 2 * k + 1] * x[iv * 3 + 1];
      if (iv > 0) s += vb[iv * 6 + 2 * k] * x[(iv - 1) * 3] + vb[iv * 6 + 2 * k + 1] * x[(iv - 1) * 3 + 1];
      if (iv === sys.ivz && sys.ivte1 >= 0) s += vz[2 * k] * x[sys.ivte1 * 3] + vz[2 * k + 1] * x[sys.ivte1 * 3 + 1];
      const r = (iv * 3 + k) * cap;
      for (let l = 0; l < nsys; l++) s += vm[r + l] * x[l * 3 + 2];
      y[iv * 3 + k] = s;
    }
  }
  return y;
}
