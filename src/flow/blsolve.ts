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
  /** @internal workspaces of the blocked elimination (pending row updates) */
  readonly pendN: Int32Array;
  readonly pendSrc: Int32Array;
  readonly pendT: Float64Array;
  readonly touched: Int32Array;
}

/** pivots per block of the delayed row updates */
const BLOCK = 4;
/** max pending updates of one row per block: BLOCK lower eliminations + 3 (VB) + 2 (VZ) */
const MAXP = BLOCK + 6;

/** vm[dst + l] -= t vm[src + l], l < len (unrolled by 4: the hot loop of the elimination). */
function rowUpdate(vm: Float64Array, dst: number, t: number, src: number, len: number): void {
  let l = 0;
  for (; l + 3 < len; l += 4) {
    vm[dst + l] -= t * vm[src + l];
    vm[dst + l + 1] -= t * vm[src + l + 1];
    vm[dst + l + 2] -= t * vm[src + l + 2];
    vm[dst + l + 3] -= t * vm[src + l + 3];
  }
  for (; l < len; l++) vm[dst + l] -= t * vm[src + l];
}

/** The three rows dst, dst + stride, dst + 2 stride minus (t1, t2, t3) times the row src. */
function rowUpdate3(
  vm: Float64Array,
  dst: number,
  stride: number,
  t1: number,
  t2: number,
  t3: number,
  src: number,
  len: number,
): void {
  const d2 = dst + stride;
  const d3 = d2 + stride;
  let l = 0;
  for (; l + 1 < len; l += 2) {
    const a = vm[src + l];
    const b = vm[src + l + 1];
    vm[dst + l] -= t1 * a;
    vm[dst + l + 1] -= t1 * b;
    vm[d2 + l] -= t2 * a;
    vm[d2 + l + 1] -= t2 * b;
    vm[d3 + l] -= t3 * a;
    vm[d3 + l + 1] -= t3 * b;
  }
  for (; l < len; l++) {
    const a = vm[src + l];
    vm[dst + l] -= t1 * a;
    vm[d2 + l] -= t2 * a;
    vm[d3 + l] -= t3 * a;
  }
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
    pendN: new Int32Array(3 * cap),
    pendSrc: new Int32Array(3 * cap * MAXP),
    pendT: new Float64Array(3 * cap * MAXP),
    touched: new Int32Array(3 * cap),
  };
}

/** Deep copy of the used part of a block system (e.g. to keep the Jacobian for an adjoint). */
export function copyBlockSystem(
  src: BlockSystem,
  dst: BlockSystem = createBlockSystem(src.cap),
): BlockSystem {
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
 * Reference (unblocked) version of solveBlockSystem, XFOIL's BLSOLV order of operations. Same
 * contract; kept for tests of the blocked solver.
 */
/**
 * Solves the block system in place. On return rhs[(iv*3+k)*2 + c] holds the solution
 * (dq1, dth, dm) of station iv for right-hand side c. `vaccel` is XFOIL's VACCEL (0 = exact);
 * `sSpan` = s_N - s_1 (total airfoil arc length) scales the threshold of rows 1 and 2.
 * Returns false if a zero or non-finite pivot was met (the system is then garbage).
 */
export function solveBlockSystemSimple(sys: BlockSystem, vaccel: number, sSpan: number): boolean {
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
    const len = nsys - ivp;
    for (let kv = iv + 2; kv < nsys; kv++) {
      const rkv = kv * 3 * cap;
      const dk = kv * 6;
      let t1 = vm[rkv + iv];
      let t2 = vm[rkv + cap + iv];
      let t3 = vm[rkv + 2 * cap + iv];
      if (!(Math.abs(t1) > vacc1)) t1 = 0;
      if (!(Math.abs(t2) > vacc23)) t2 = 0;
      if (!(Math.abs(t3) > vacc23)) t3 = 0;
      const nz = (t1 !== 0 ? 1 : 0) + (t2 !== 0 ? 1 : 0) + (t3 !== 0 ? 1 : 0);
      if (nz === 0) continue;
      if (nz >= 2) {
        rowUpdate3(vm, rkv + ivp, cap, t1, t2, t3, r2 + ivp, len);
      } else {
        const off = t1 !== 0 ? 0 : t2 !== 0 ? cap : 2 * cap;
        rowUpdate(vm, rkv + off + ivp, t1 + t2 + t3, r2 + ivp, len);
      }
      rhs[dk] -= t1 * s4;
      rhs[dk + 1] -= t1 * s5;
      rhs[dk + 2] -= t2 * s4;
      rhs[dk + 3] -= t2 * s5;
      rhs[dk + 4] -= t3 * s4;
      rhs[dk + 5] -= t3 * s5;
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
 * Solves the block system in place. On return rhs[(iv*3+k)*2 + c] holds the solution
 * (dq1, dth, dm) of station iv for right-hand side c. `vaccel` is XFOIL's VACCEL (0 = exact);
 * `sSpan` = s_N - s_1 (total airfoil arc length) scales the threshold of rows 1 and 2.
 * Returns false if a zero or non-finite pivot was met (the system is then garbage).
 *
 * Same eliminations and skip decisions as XFOIL's BLSOLV (solveBlockSystemSimple), reorganized for
 * speed: the row updates of rows below the current block of BLOCK pivots are delayed (applied to
 * the block's own columns at once, so the multipliers and skip tests see the same numbers, and to
 * the remaining columns in one pass per row at the end of the block).
 */
export function solveBlockSystem(sys: BlockSystem, vaccel: number, sSpan: number): boolean {
  const { nsys, cap, va, vb, vm, rhs, vz, pendN, pendSrc, pendT, touched } = sys;
  const vacc1 = vaccel;
  const vacc23 = (vaccel * 2) / sSpan;
  const ivz = sys.ivz;
  for (let b0 = 0; b0 < nsys; b0 += BLOCK) {
    const b1 = Math.min(b0 + BLOCK, nsys);
    let nt = 0;
    for (let iv = b0; iv < b1; iv++) {
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
      for (let k = 1; k < 3; k++) {
        const t = va[a + 2 * k];
        if (t === 0) continue;
        va[a + 2 * k + 1] -= t * va[a + 1];
        rowUpdate(vm, r0 + k * cap + iv, t, r0 + iv, nsys - iv);
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
          rowUpdate(vm, r2 + iv, t, r1 + iv, nsys - iv);
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
      {
        const t1 = vm[r0 + iv];
        const t2 = vm[r1 + iv];
        rowUpdate(vm, r0 + ivp, t1, r2 + ivp, nsys - ivp);
        rowUpdate(vm, r1 + ivp, t2, r2 + ivp, nsys - ivp);
        rhs[d0] -= t1 * rhs[d0 + 4];
        rhs[d0 + 2] -= t2 * rhs[d0 + 4];
        rhs[d0 + 1] -= t1 * rhs[d0 + 5];
        rhs[d0 + 3] -= t2 * rhs[d0 + 5];
      }
      {
        const t = va[a + 1];
        rowUpdate(vm, r0 + ivp, t, r1 + ivp, nsys - ivp);
        rhs[d0] -= t * rhs[d0 + 2];
        rhs[d0 + 1] -= t * rhs[d0 + 3];
      }
      if (iv === nsys - 1) break;
      // --- eliminate VB of the next station
      const bn = ivp * 6;
      for (let k = 0; k < 3; k++) {
        const R = 3 * ivp + k;
        const rk = R * cap;
        const t1 = vb[bn + 2 * k];
        const t2 = vb[bn + 2 * k + 1];
        const t3 = vm[rk + iv];
        if (ivp < b1) {
          for (let l = ivp; l < nsys; l++) vm[rk + l] -= t1 * vm[r0 + l] + t2 * vm[r1 + l] + t3 * vm[r2 + l];
        } else {
          nt = record(sys, nt, R, r0, t1);
          nt = record(sys, nt, R, r1, t2);
          nt = record(sys, nt, R, r2, t3);
        }
        rhs[bn + 2 * k] -= t1 * rhs[d0] + t2 * rhs[d0 + 2] + t3 * rhs[d0 + 4];
        rhs[bn + 2 * k + 1] -= t1 * rhs[d0 + 1] + t2 * rhs[d0 + 3] + t3 * rhs[d0 + 5];
      }
      if (iv === sys.ivte1 && ivz >= 0) {
        // eliminate the VZ block (first wake station depends on the side-1 TE station)
        const dz = ivz * 6;
        for (let k = 0; k < 3; k++) {
          const R = 3 * ivz + k;
          const rk = R * cap;
          const t1 = vz[2 * k];
          const t2 = vz[2 * k + 1];
          const lEnd = ivz < b1 ? nsys : b1;
          for (let l = ivp; l < lEnd; l++) vm[rk + l] -= t1 * vm[r0 + l] + t2 * vm[r1 + l];
          if (ivz >= b1) {
            nt = record(sys, nt, R, r0, t1);
            nt = record(sys, nt, R, r1, t2);
          }
          rhs[dz + 2 * k] -= t1 * rhs[d0] + t2 * rhs[d0 + 2];
          rhs[dz + 2 * k + 1] -= t1 * rhs[d0 + 1] + t2 * rhs[d0 + 3];
        }
      }
      if (ivp === nsys - 1) continue;
      // --- eliminate the dm_iv column below (skipping small entries, VACCEL)
      const s4 = rhs[d0 + 4];
      const s5 = rhs[d0 + 5];
      const len = nsys - ivp;
      for (let kv = iv + 2; kv < nsys; kv++) {
        const rkv = kv * 3 * cap;
        const dk = kv * 6;
        let t1 = vm[rkv + iv];
        let t2 = vm[rkv + cap + iv];
        let t3 = vm[rkv + 2 * cap + iv];
        if (!(Math.abs(t1) > vacc1)) t1 = 0;
        if (!(Math.abs(t2) > vacc23)) t2 = 0;
        if (!(Math.abs(t3) > vacc23)) t3 = 0;
        if (t1 === 0 && t2 === 0 && t3 === 0) continue;
        if (kv < b1) {
          if (t1 !== 0) rowUpdate(vm, rkv + ivp, t1, r2 + ivp, len);
          if (t2 !== 0) rowUpdate(vm, rkv + cap + ivp, t2, r2 + ivp, len);
          if (t3 !== 0) rowUpdate(vm, rkv + 2 * cap + ivp, t3, r2 + ivp, len);
        } else {
          // the block's own columns now, the rest when the block is done
          for (let l = ivp; l < b1; l++) {
            const v = vm[r2 + l];
            vm[rkv + l] -= t1 * v;
            vm[rkv + cap + l] -= t2 * v;
            vm[rkv + 2 * cap + l] -= t3 * v;
          }
          nt = record(sys, nt, 3 * kv, r2, t1);
          nt = record(sys, nt, 3 * kv + 1, r2, t2);
          nt = record(sys, nt, 3 * kv + 2, r2, t3);
        }
        rhs[dk] -= t1 * s4;
        rhs[dk + 1] -= t1 * s5;
        rhs[dk + 2] -= t2 * s4;
        rhs[dk + 3] -= t2 * s5;
        rhs[dk + 4] -= t3 * s4;
        rhs[dk + 5] -= t3 * s5;
      }
    }
    // --- apply the delayed updates to the columns right of the block
    const len = nsys - b1;
    for (let q = 0; q < nt; q++) {
      const R = touched[q];
      const np = pendN[R];
      pendN[R] = 0;
      if (len <= 0) continue;
      const dst = R * cap + b1;
      const pb = R * MAXP;
      let p = 0;
      for (; p + 3 < np; p += 4) {
        rowUpdate4(
          vm,
          dst,
          len,
          pendSrc[pb + p] + b1,
          pendT[pb + p],
          pendSrc[pb + p + 1] + b1,
          pendT[pb + p + 1],
          pendSrc[pb + p + 2] + b1,
          pendT[pb + p + 2],
          pendSrc[pb + p + 3] + b1,
          pendT[pb + p + 3],
        );
      }
      for (; p + 1 < np; p += 2) {
        rowUpdate2(
          vm,
          dst,
          len,
          pendSrc[pb + p] + b1,
          pendT[pb + p],
          pendSrc[pb + p + 1] + b1,
          pendT[pb + p + 1],
        );
      }
      if (p < np) rowUpdate(vm, dst, pendT[pb + p], pendSrc[pb + p] + b1, len);
    }
  }
  // --- back substitution along the dm columns
  backSubstitute(sys);
  return true;
}

/** Records a delayed update "row R -= t row src" (columns right of the block); returns the new touched count. */
function record(sys: BlockSystem, nt: number, R: number, src: number, t: number): number {
  if (t === 0) return nt;
  const np = sys.pendN[R];
  if (np === 0) sys.touched[nt++] = R;
  sys.pendSrc[R * MAXP + np] = src;
  sys.pendT[R * MAXP + np] = t;
  sys.pendN[R] = np + 1;
  return nt;
}

/** Back substitution along the dm columns (both right-hand sides). */
function backSubstitute(sys: BlockSystem): void {
  const { nsys, cap, vm, rhs } = sys;
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
}

/** vm[dst + l] -= ta vm[sa + l] + tb vm[sb + l], l < len */
function rowUpdate2(
  vm: Float64Array,
  dst: number,
  len: number,
  sa: number,
  ta: number,
  sb: number,
  tb: number,
): void {
  let l = 0;
  for (; l + 1 < len; l += 2) {
    vm[dst + l] -= ta * vm[sa + l] + tb * vm[sb + l];
    vm[dst + l + 1] -= ta * vm[sa + l + 1] + tb * vm[sb + l + 1];
  }
  if (l < len) vm[dst + l] -= ta * vm[sa + l] + tb * vm[sb + l];
}

/** vm[dst + l] -= sum of four t vm[s + l], l < len */
function rowUpdate4(
  vm: Float64Array,
  dst: number,
  len: number,
  sa: number,
  ta: number,
  sb: number,
  tb: number,
  sc: number,
  tc: number,
  sd: number,
  td: number,
): void {
  for (let l = 0; l < len; l++) {
    vm[dst + l] -= ta * vm[sa + l] + tb * vm[sb + l] + tc * vm[sc + l] + td * vm[sd + l];
  }
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
      if (iv === sys.ivz && sys.ivte1 >= 0)
        s += vz[2 * k] * x[sys.ivte1 * 3] + vz[2 * k + 1] * x[sys.ivte1 * 3 + 1];
      const r = (iv * 3 + k) * cap;
      for (let l = 0; l < nsys; l++) s += vm[r + l] * x[l * 3 + 2];
      y[iv * 3 + k] = s;
    }
  }
  return y;
}
