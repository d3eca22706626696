/**
 * Dense LU factorization with partial (row) pivoting, in place on a row-major Float64Array, and
 * the matching forward/back substitutions for one or many right-hand sides. Used for the panel
 * system (XFOIL's LUDCMP/BAKSUB role); no allocation.
 *
 * Storage after luFactor: strictly lower part = L (unit diagonal implied), upper part = U.
 * piv[k] = the row exchanged with row k at elimination step k (LAPACK getrf convention).
 */
import { FoiloptError } from '../errors';

/**
 * Factors the n x n row-major matrix `a` in place, PA = LU. Throws when a pivot is exactly zero
 * (singular matrix, e.g. a degenerate airfoil with coincident non-adjacent nodes).
 */
export function luFactor(a: Float64Array, n: number, piv: Int32Array): void {
  for (let k = 0; k < n; k++) {
    // pivot search in column k
    let p = k;
    let amax = Math.abs(a[k * n + k]);
    for (let i = k + 1; i < n; i++) {
      const v = Math.abs(a[i * n + k]);
      if (v > amax) {
        amax = v;
        p = i;
      }
    }
    piv[k] = p;
    if (amax === 0 || !Number.isFinite(amax)) {
      throw new FoiloptError('panel system is singular (degenerate airfoil geometry?)');
    }
    if (p !== k) {
      const rk = k * n;
      const rp = p * n;
      for (let j = 0; j < n; j++) {
        const t = a[rk + j];
        a[rk + j] = a[rp + j];
        a[rp + j] = t;
      }
    }
    const rk = k * n;
    const inv = 1 / a[rk + k];
    for (let i = k + 1; i < n; i++) {
      const ri = i * n;
      const f = a[ri + k] * inv;
      if (f === 0) {
        a[ri + k] = 0;
        continue;
      }
      a[ri + k] = f;
      for (let j = k + 1; j < n; j++) a[ri + j] -= f * a[rk + j];
    }
  }
}

/** Solves A x = b in place (b of length n) with the factors from luFactor. */
export function luSolve(lu: Float64Array, n: number, piv: Int32Array, b: Float64Array): void {
  for (let k = 0; k < n; k++) {
    const p = piv[k];
    if (p !== k) {
      const t = b[k];
      b[k] = b[p];
      b[p] = t;
    }
  }
  for (let i = 1; i < n; i++) {
    const ri = i * n;
    let s = b[i];
    for (let k = 0; k < i; k++) s -= lu[ri + k] * b[k];
    b[i] = s;
  }
  for (let i = n - 1; i >= 0; i--) {
    const ri = i * n;
    let s = b[i];
    for (let k = i + 1; k < n; k++) s -= lu[ri + k] * b[k];
    b[i] = s / lu[ri + i];
  }
}

/**
 * Solves A X = B in place for m right-hand sides; B is n x m row-major (row i = equation i), so the
 * inner loops run over contiguous rows of B.
 */
export function luSolveMany(lu: Float64Array, n: number, piv: Int32Array, b: Float64Array, m: number): void {
  for (let k = 0; k < n; k++) {
    const p = piv[k];
    if (p !== k) {
      const rk = k * m;
      const rp = p * m;
      for (let j = 0; j < m; j++) {
        const t = b[rk + j];
        b[rk + j] = b[rp + j];
        b[rp + j] = t;
      }
    }
  }
  // forward: L Y = PB (four source rows per pass over the target row)
  for (let i = 1; i < n; i++) {
    const ri = i * m;
    const li = i * n;
    let k = 0;
    for (; k + 3 < i; k += 4) {
      const f0 = lu[li + k];
      const f1 = lu[li + k + 1];
      const f2 = lu[li + k + 2];
      const f3 = lu[li + k + 3];
      const r0 = k * m;
      const r1 = r0 + m;
      const r2 = r1 + m;
      const r3 = r2 + m;
      for (let j = 0; j < m; j++) {
        b[ri + j] -= f0 * b[r0 + j] + f1 * b[r1 + j] + f2 * b[r2 + j] + f3 * b[r3 + j];
      }
    }
    for (; k < i; k++) {
      const f = lu[li + k];
      const rk = k * m;
      for (let j = 0; j < m; j++) b[ri + j] -= f * b[rk + j];
    }
  }
  // backward: U X = Y
  for (let i = n - 1; i >= 0; i--) {
    const ri = i * m;
    const li = i * n;
    let k = i + 1;
    for (; k + 3 < n; k += 4) {
      const f0 = lu[li + k];
      const f1 = lu[li + k + 1];
      const f2 = lu[li + k + 2];
      const f3 = lu[li + k + 3];
      const r0 = k * m;
      const r1 = r0 + m;
      const r2 = r1 + m;
      const r3 = r2 + m;
      for (let j = 0; j < m; j++) {
        b[ri + j] -= f0 * b[r0 + j] + f1 * b[r1 + j] + f2 * b[r2 + j] + f3 * b[r3 + j];
      }
    }
    for (; k < n; k++) {
      const f = lu[li + k];
      const rk = k * m;
      for (let j = 0; j < m; j++) b[ri + j] -= f * b[rk + j];
    }
    const inv = 1 / lu[li + i];
    for (let j = 0; j < m; j++) b[ri + j] *= inv;
  }
}
