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
 *
 * Speed: the row updates (vm[dst..] -= sum t_k vm[src_k..], the bulk of the work) run in a small
 * WebAssembly SIMD kernel (two lanes per instruction; VM then lives in WebAssembly memory), written
 * out below as bytes. Lane-wise IEEE operations in the order of the JavaScript expression give the
 * same numbers bit for bit; runtimes without WebAssembly SIMD use the JavaScript kernels.
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
  /** @internal row-update kernels bound to vm (WebAssembly SIMD when available, else JavaScript) */
  readonly rows: RowKernels;
}

/** pivots per block of the delayed row updates */
const BLOCK = 4;
/** max pending updates of one row per block: BLOCK lower eliminations + 3 (VB) + 2 (VZ) */
const MAXP = BLOCK + 6;

// ------------------------------------------------------------------------------------------------
// row-update kernels

/**
 * The row operations of the elimination on one VM matrix: vm[dst + l] -= sum_k t_k vm[s_k + l] for
 * l < len, with the sum formed left to right (t_a a + t_b b, then + t_c c, ...), as the JavaScript
 * expression does. Element indices, not byte offsets.
 */
export interface RowKernels {
  /** true when the kernels are the WebAssembly SIMD ones */
  readonly simd: boolean;
  u1(dst: number, len: number, sa: number, ta: number): void;
  u2(dst: number, len: number, sa: number, ta: number, sb: number, tb: number): void;
  u3(dst: number, len: number, sa: number, ta: number, sb: number, tb: number, sc: number, tc: number): void;
  u4(
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
  ): void;
}

/** JavaScript row kernels over vm (the fallback; same operations in the same order). */
function jsRowKernels(vm: Float64Array): RowKernels {
  return {
    simd: false,
    u1: (dst, len, sa, ta) => rowUpdate(vm, dst, ta, sa, len),
    u2: (dst, len, sa, ta, sb, tb) => {
      for (let l = 0; l < len; l++) vm[dst + l] -= ta * vm[sa + l] + tb * vm[sb + l];
    },
    u3: (dst, len, sa, ta, sb, tb, sc, tc) => {
      for (let l = 0; l < len; l++) vm[dst + l] -= ta * vm[sa + l] + tb * vm[sb + l] + tc * vm[sc + l];
    },
    u4: (dst, len, sa, ta, sb, tb, sc, tc, sd, td) => {
      for (let l = 0; l < len; l++) {
        vm[dst + l] -= ta * vm[sa + l] + tb * vm[sb + l] + tc * vm[sc + l] + td * vm[sd + l];
      }
    },
  };
}

/** unsigned LEB128 */
function uleb(v: number): number[] {
  const out: number[] = [];
  do {
    let b = v & 0x7f;
    v >>>= 7;
    if (v !== 0) b |= 0x80;
    out.push(b);
  } while (v !== 0);
  return out;
}

/** a length-prefixed vector of encoded items */
function wvec(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

/** a module section */
function wsection(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

/** a name */
function wname(s: string): number[] {
  return [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];
}

// WebAssembly opcodes used below (core and SIMD, see the WebAssembly 2.0 specification)
const W_I32 = 0x7f;
const W_F64 = 0x7c;
const W_V128 = 0x7b;
const OP_BLOCK = 0x02;
const OP_LOOP = 0x03;
const OP_IF = 0x04;
const OP_END = 0x0b;
const OP_BR = 0x0c;
const OP_BR_IF = 0x0d;
const OP_LOCAL_GET = 0x20;
const OP_LOCAL_SET = 0x21;
const OP_F64_LOAD = 0x2b;
const OP_F64_STORE = 0x39;
const OP_I32_CONST = 0x41;
const OP_I32_GE_U = 0x4f;
const OP_I32_ADD = 0x6a;
const OP_I32_AND = 0x71;
const OP_I32_SHL = 0x74;
const OP_F64_ADD = 0xa0;
const OP_F64_SUB = 0xa1;
const OP_F64_MUL = 0xa2;
const SIMD_PREFIX = 0xfd;
const SIMD_V128_LOAD = 0x00;
const SIMD_V128_STORE = 0x0b;
const SIMD_F64X2_SPLAT = 0x14;
const SIMD_F64X2_ADD = 0xf0;
const SIMD_F64X2_SUB = 0xf1;
const SIMD_F64X2_MUL = 0xf2;
/** memarg of 8-byte accesses: alignment 2^3, offset 0 */
const MEMARG8 = [3, 0];

/**
 * Function body of the k-source row update: params (dst, len, s_1, t_1, ..., s_k, t_k); pairs of
 * elements with f64x2 lanes (lane-wise IEEE operations, identical to the scalar ones), then the odd
 * element with scalar f64 operations.
 */
function rowKernelBody(k: number): number[] {
  const get = (i: number) => [OP_LOCAL_GET, ...uleb(i)];
  const set = (i: number) => [OP_LOCAL_SET, ...uleb(i)];
  const simd = (op: number, ...imm: number[]) => [SIMD_PREFIX, ...uleb(op), ...imm];
  const src = (s: number) => 2 + 2 * s;
  const coef = (s: number) => 3 + 2 * s;
  const iL = 2 + 2 * k; // byte offset of the current pair
  const endL = iL + 1; // byte offset where the pairs end
  const splat = (s: number) => endL + 1 + s;
  const c: number[] = [];
  // element indices -> byte offsets
  for (const p of [0, ...Array.from({ length: k }, (_, s) => src(s))])
    c.push(...get(p), OP_I32_CONST, 3, OP_I32_SHL, ...set(p));
  for (let s = 0; s < k; s++) c.push(...get(coef(s)), ...simd(SIMD_F64X2_SPLAT), ...set(splat(s)));
  // end = (len & -2) * 8; i = 0
  c.push(...get(1), OP_I32_CONST, 0x7e, OP_I32_AND, OP_I32_CONST, 3, OP_I32_SHL, ...set(endL));
  c.push(OP_I32_CONST, 0, ...set(iL));
  c.push(OP_BLOCK, 0x40, OP_LOOP, 0x40);
  c.push(...get(iL), ...get(endL), OP_I32_GE_U, OP_BR_IF, 1);
  c.push(...get(0), ...get(iL), OP_I32_ADD); // store address
  c.push(...get(0), ...get(iL), OP_I32_ADD, ...simd(SIMD_V128_LOAD, ...MEMARG8));
  for (let s = 0; s < k; s++) {
    c.push(...get(splat(s)), ...get(src(s)), ...get(iL), OP_I32_ADD, ...simd(SIMD_V128_LOAD, ...MEMARG8));
    c.push(...simd(SIMD_F64X2_MUL));
    if (s > 0) c.push(...simd(SIMD_F64X2_ADD));
  }
  c.push(...simd(SIMD_F64X2_SUB), ...simd(SIMD_V128_STORE, ...MEMARG8));
  c.push(...get(iL), OP_I32_CONST, 16, OP_I32_ADD, ...set(iL), OP_BR, 0, OP_END, OP_END);
  // odd last element
  c.push(...get(1), OP_I32_CONST, 1, OP_I32_AND, OP_IF, 0x40);
  c.push(...get(0), ...get(endL), OP_I32_ADD);
  c.push(...get(0), ...get(endL), OP_I32_ADD, OP_F64_LOAD, ...MEMARG8);
  for (let s = 0; s < k; s++) {
    c.push(...get(coef(s)), ...get(src(s)), ...get(endL), OP_I32_ADD, OP_F64_LOAD, ...MEMARG8, OP_F64_MUL);
    if (s > 0) c.push(OP_F64_ADD);
  }
  c.push(OP_F64_SUB, OP_F64_STORE, ...MEMARG8, OP_END, OP_END);
  const locals = wvec([
    [2, W_I32],
    [...uleb(k), W_V128],
  ]);
  const body = [...locals, ...c];
  return [...uleb(body.length), ...body];
}

/** "\0asm", binary format version 1 */
const WASM_HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

/** The WebAssembly module of the row kernels u1..u4 (imports its memory as env.mem). */
function rowKernelModuleBytes(): Uint8Array {
  const ks = [1, 2, 3, 4];
  // function type of u_k: (dst i32, len i32, (s i32, t f64) x k) -> ()
  const types = ks.map((k) => {
    const params = [W_I32, W_I32];
    for (let s = 0; s < k; s++) params.push(W_I32, W_F64);
    return [0x60, ...wvec(params.map((t) => [t])), 0];
  });
  const bytes = [
    ...WASM_HEADER,
    ...wsection(1, wvec(types)),
    ...wsection(2, wvec([[...wname('env'), ...wname('mem'), 0x02, 0x00, 0x00]])),
    ...wsection(3, wvec(ks.map((_, i) => uleb(i)))),
    ...wsection(7, wvec(ks.map((k, i) => [...wname(`u${k}`), 0x00, ...uleb(i)]))),
    ...wsection(10, wvec(ks.map((k) => rowKernelBody(k)))),
  ];
  return Uint8Array.from(bytes);
}

/** The part of the WebAssembly JavaScript API used here (not in the ES2022 lib typings). */
interface WasmModule {
  readonly __wasmModule?: never;
}
interface WasmMemory {
  readonly buffer: ArrayBuffer;
}
declare const WebAssembly: {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => WasmModule;
  Memory: new (d: { initial: number; maximum?: number }) => WasmMemory;
  Instance: new (m: WasmModule, imports: object) => { exports: Record<string, unknown> };
};

let rowKernelModule: WasmModule | null | undefined;

/** The compiled row-kernel module, or null when this runtime has no WebAssembly SIMD. */
function simdModule(): WasmModule | null {
  if (rowKernelModule === undefined) {
    rowKernelModule = null;
    try {
      const bytes = rowKernelModuleBytes();
      if (typeof WebAssembly === 'object' && WebAssembly.validate(bytes)) {
        rowKernelModule = new WebAssembly.Module(bytes);
      }
    } catch {
      rowKernelModule = null;
    }
  }
  return rowKernelModule;
}

/**
 * A zeroed matrix of `size` doubles and its row kernels: in WebAssembly memory with the SIMD kernels
 * when the runtime supports them and `simd` is true, else a plain Float64Array with the JavaScript
 * kernels. Both give bit-identical results.
 */
function allocateRows(size: number, simd: boolean): { vm: Float64Array; rows: RowKernels } {
  const mod = simd ? simdModule() : null;
  if (mod) {
    try {
      const pages = Math.max(1, Math.ceil((8 * size) / 65536));
      const memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
      const inst = new WebAssembly.Instance(mod, { env: { mem: memory } });
      const e = inst.exports as unknown as Omit<RowKernels, 'simd'>;
      return {
        vm: new Float64Array(memory.buffer, 0, size),
        rows: { simd: true, u1: e.u1, u2: e.u2, u3: e.u3, u4: e.u4 },
      };
    } catch {
      // no WebAssembly memory to be had (e.g. a virtual-memory limit): the JavaScript kernels
    }
  }
  const vm = new Float64Array(size);
  return { vm, rows: jsRowKernels(vm) };
}

/** true when this runtime runs the block solver's row updates with WebAssembly SIMD */
export function simdAvailable(): boolean {
  return simdModule() !== null;
}

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

/**
 * Allocates a block system for up to `cap` stations. `simd` (default true) lets the row updates use
 * WebAssembly SIMD when the runtime has it (same results bit for bit; false forces JavaScript).
 */
export function createBlockSystem(cap: number, simd = true): BlockSystem {
  const { vm, rows } = allocateRows(cap * 3 * cap, simd);
  return {
    nsys: 0,
    cap,
    va: new Float64Array(cap * 6),
    vb: new Float64Array(cap * 6),
    vm,
    rows,
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
  const { nsys, cap, va, vb, vm, rhs, vz, pendN, pendSrc, pendT, touched, rows } = sys;
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
        rows.u1(r0 + k * cap + iv, nsys - iv, r0 + iv, t);
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
          rows.u1(r2 + iv, nsys - iv, r1 + iv, t);
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
        rows.u1(r0 + ivp, nsys - ivp, r2 + ivp, t1);
        rows.u1(r1 + ivp, nsys - ivp, r2 + ivp, t2);
        rhs[d0] -= t1 * rhs[d0 + 4];
        rhs[d0 + 2] -= t2 * rhs[d0 + 4];
        rhs[d0 + 1] -= t1 * rhs[d0 + 5];
        rhs[d0 + 3] -= t2 * rhs[d0 + 5];
      }
      {
        const t = va[a + 1];
        rows.u1(r0 + ivp, nsys - ivp, r1 + ivp, t);
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
          rows.u3(rk + ivp, nsys - ivp, r0 + ivp, t1, r1 + ivp, t2, r2 + ivp, t3);
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
          if (lEnd > ivp) rows.u2(rk + ivp, lEnd - ivp, r0 + ivp, t1, r1 + ivp, t2);
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
          if (t1 !== 0) rows.u1(rkv + ivp, len, r2 + ivp, t1);
          if (t2 !== 0) rows.u1(rkv + cap + ivp, len, r2 + ivp, t2);
          if (t3 !== 0) rows.u1(rkv + 2 * cap + ivp, len, r2 + ivp, t3);
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
        rows.u4(
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
        rows.u2(dst, len, pendSrc[pb + p] + b1, pendT[pb + p], pendSrc[pb + p + 1] + b1, pendT[pb + p + 1]);
      }
      if (p < np) rows.u1(dst, len, pendSrc[pb + p] + b1, pendT[pb + p]);
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

/**
 * Back substitution along the dm columns (both right-hand sides), row by row from the bottom: every
 * station subtracts the final dm of the stations below it, nearest last (the same subtractions in
 * the same order as the column-wise XFOIL loop, with contiguous row access).
 */
function backSubstitute(sys: BlockSystem): void {
  const { nsys, cap, vm, rhs } = sys;
  for (let kv = nsys - 2; kv >= 0; kv--) {
    const r0 = kv * 3 * cap;
    const r1 = r0 + cap;
    const r2 = r1 + cap;
    const dk = kv * 6;
    let a0 = rhs[dk];
    let a1 = rhs[dk + 1];
    let a2 = rhs[dk + 2];
    let a3 = rhs[dk + 3];
    let a4 = rhs[dk + 4];
    let a5 = rhs[dk + 5];
    for (let iv = nsys - 1; iv > kv; iv--) {
      const m0 = rhs[iv * 6 + 4];
      const m1 = rhs[iv * 6 + 5];
      const c0 = vm[r0 + iv];
      const c1 = vm[r1 + iv];
      const c2 = vm[r2 + iv];
      a0 -= c0 * m0;
      a2 -= c1 * m0;
      a4 -= c2 * m0;
      a1 -= c0 * m1;
      a3 -= c1 * m1;
      a5 -= c2 * m1;
    }
    rhs[dk] = a0;
    rhs[dk + 1] = a1;
    rhs[dk + 2] = a2;
    rhs[dk + 3] = a3;
    rhs[dk + 4] = a4;
    rhs[dk + 5] = a5;
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
