/**
 * The residual function of the viscous Newton system, R(U; P), as a standalone function of the
 * station unknowns U and of the geometry-dependent inputs P, with its reverse (vector-Jacobian)
 * product w.r.t. P. This is the function whose zero the solver (viscous.ts) converges to and whose
 * U-Jacobian it assembles (ViscousSolver.jacobian()); the adjoint (adjoint.ts) needs R's partial
 * derivatives w.r.t. P, which the solver does not form.
 *
 * Unknowns, in system order iv = 0..nsys-1 (side 0 stations, then side 1 stations and the wake, as
 * StationMap.isys): U[3 iv + 0] = nAmp (laminar station) or s = sqrt(ctau) (turbulent/wake),
 * U[3 iv + 1] = theta, U[3 iv + 2] = m = ue deltaStar (mass defect).
 * Residual rows R[3 iv + k], k = 0..2: the interval equations ending at station iv (BLSYS rows as in
 * blsys.ts: amplification or shear lag, momentum, shape; similarity at ibl = 1; TE merge at the
 * first wake station), evaluated with
 *   ue_iv = ueInv_iv + sum_j UM[iv, j] m_j           (UM[i, j] = -v_i v_j DIJ(node_i, node_j))
 *   deltaStar_iv = m_iv / ue_iv
 *   xi: side 0 airfoil sst - s_node, side 1 airfoil s_node - sst (floored at xeps), wake
 *       xi_TE(side 1) + L_k (L_k = wake arc length from wake node 0), where the stagnation arc
 *       length sst interpolates q = v ue linearly between the two stagnation-adjacent nodes.
 *   forced-transition xi: xi_TE of the side (no trip), else +-(sst - sTrip) capped at xi_TE.
 * P = (ueInv per station, UM, s of the airfoil station nodes, wake lengths L, wake gap per wake
 * station, TE gap thickness ante, trip arc lengths). The transition station index, the
 * stagnation panel and the closure types are held fixed (the function is smooth in U and P between
 * those discrete events).
 */
import {
  blInterval,
  blSimilarity,
  blStation,
  blTransition,
  BlStation,
  BlSystem,
  LAMINAR,
  teSystem,
  TURBULENT,
  WAKE,
  type BlParams,
} from './blsys';
import { addLocalBlocksTransposed } from './adjoint-solve';
import type { BlockSystem } from './blsolve';
import { tripXi } from './blstate';
import type { ViscousSolver } from './viscous';

/** Frozen layout, inputs P and state U of a converged viscous solution (see module comment). */
export interface ResidualData {
  p: BlParams;
  /** airfoil nodes, wake nodes, system stations */
  n: number;
  nw: number;
  nsys: number;
  /** per system station: side (0, 1), station index on the side, combined node index, v = +-1 */
  side: Int8Array;
  ibl: Int32Array;
  node: Int32Array;
  vti: Float64Array;
  /** closure type of the station record (LAMINAR, TURBULENT, WAKE) */
  type: Int8Array;
  /** TE station index per side, first turbulent station per side */
  iblte: Int32Array;
  itran: Int32Array;
  /** system index of station 1 (stagnation-adjacent) and of the TE station, per side */
  ivLe: Int32Array;
  ivTe: Int32Array;
  /** system index of the first wake station */
  ivWake0: number;
  // ---- inputs P
  /** inviscid edge speed per station, and its alpha derivative (per radian) */
  ueInv: Float64Array;
  ueInvA: Float64Array;
  /** ue sensitivity to the masses, nsys x nsys row-major */
  um: Float64Array;
  /** airfoil stations: arc length s of the node; wake stations: wake length L from wake node 0 */
  sNode: Float64Array;
  /** stagnation panel: node ist and the arc lengths of nodes ist and ist + 1 */
  ist: number;
  sA: number;
  sB: number;
  /** xi floor */
  xeps: number;
  /** wake gap per wake station k (station ivWake0 + k) */
  wgap: Float64Array;
  /** TE gap thickness (XFOIL ANTE) */
  ante: number;
  /** spline arc length of the trip per side; NaN when the side has no trip (x/c >= 1) */
  trip: Float64Array;
  // ---- state U
  u: Float64Array;
}

/** Scratch of residual evaluations (one per ResidualData). */
export interface ResidualWork {
  ue: Float64Array;
  xi: Float64Array;
  rec: BlStation[];
  sys: BlSystem;
  /** stagnation arc length and its derivatives w.r.t. q_ist, q_(ist+1) (last evaluation) */
  sst: number;
  sstQa: number;
  sstQb: number;
  /** interpolation weight t: sst = sA + (sB - sA) t */
  sstT: number;
  /** forced-transition xi per side (last evaluation) and whether it is the trip (not xi_TE) */
  xiForc: Float64Array;
  tripActive: Uint8Array;
}

/** Derivatives of a scalar (lambda^T R, or an objective) w.r.t. the inputs P and the masses. */
export interface ResidualBars {
  /** d/d ue of each station (ue as an input: ue = ueInv + UM m); feeds ueInv and UM */
  ue: Float64Array;
  /** d/d s of each airfoil station node (index: system station), wake entries: d/d L */
  sNode: Float64Array;
  /** d/d s at nodes ist and ist + 1 (through sst) */
  sA: number;
  sB: number;
  /** d/d wake gap per wake station */
  wgap: Float64Array;
  ante: number;
  /** d/d (trip arc length) per side */
  trip: Float64Array;
}

/** Allocates zeroed bars for a ResidualData. */
export function newResidualBars(d: ResidualData): ResidualBars {
  return {
    ue: new Float64Array(d.nsys),
    sNode: new Float64Array(d.nsys),
    sA: 0,
    sB: 0,
    wgap: new Float64Array(d.nw),
    ante: 0,
    trip: new Float64Array(2),
  };
}

/**
 * Captures layout, inputs P and state U of the solver's current (converged) viscous state. The
 * ue-sensitivity matrix UM is formed from the solver's DIJ exactly as the solver does. Pass a
 * previous result as `reuse` to overwrite its storage (same station count), avoiding allocation.
 */
export function residualDataFromSolver(solver: ViscousSolver, reuse?: ResidualData): ResidualData {
  const S = solver.state;
  const map = solver.map;
  const dij = solver.dij;
  const p = solver.params;
  if (!S || !map || !dij || !p || !S.initialized) throw new Error('residualDataFromSolver: no viscous state');
  const g = solver.geom;
  const n = g.n;
  const nw = map.nw;
  const nsys = map.nsys;
  const ok = reuse !== undefined && reuse.nsys === nsys && reuse.n === n && reuse.nw === nw;
  const side = ok ? reuse.side : new Int8Array(nsys);
  const ibl = ok ? reuse.ibl : new Int32Array(nsys);
  const node = ok ? reuse.node : new Int32Array(nsys);
  const vti = ok ? reuse.vti : new Float64Array(nsys);
  const type = ok ? reuse.type : new Int8Array(nsys);
  const ueInv = ok ? reuse.ueInv : new Float64Array(nsys);
  const ueInvA = ok ? reuse.ueInvA : new Float64Array(nsys);
  const sNode = ok ? reuse.sNode : new Float64Array(nsys);
  const u = ok ? reuse.u : new Float64Array(3 * nsys);
  const um = ok ? reuse.um : new Float64Array(nsys * nsys);
  const iblte = Int32Array.from(map.iblte);
  const itran = Int32Array.from(S.itran);
  const wake = solver.wake!;
  // wake length from wake node 0
  const wl = new Float64Array(nw);
  for (let k = 1; k < nw; k++)
    wl[k] = wl[k - 1] + Math.hypot(wake.x[k] - wake.x[k - 1], wake.y[k] - wake.y[k - 1]);
  for (let is = 0; is < 2; is++) {
    for (let b = 1; b < map.nbl[is]; b++) {
      const iv = map.isys[is][b];
      side[iv] = is;
      ibl[iv] = b;
      const I = map.ipan[is][b];
      node[iv] = I;
      vti[iv] = map.vti[is][b];
      type[iv] = b > iblte[is] ? WAKE : b >= itran[is] ? TURBULENT : LAMINAR;
      ueInv[iv] = S.uinv[is][b];
      ueInvA[iv] = S.uinvA[is][b];
      sNode[iv] = I < n ? g.s[I] : wl[I - n];
      u[3 * iv] = S.ctau[is][b];
      u[3 * iv + 1] = S.thet[is][b];
      u[3 * iv + 2] = S.mass[is][b];
    }
  }
  const nTot = dij.nTot;
  const D = dij.dij;
  for (let i = 0; i < nsys; i++) {
    const r = node[i] * nTot;
    const vi = -vti[i];
    const o = i * nsys;
    for (let j = 0; j < nsys; j++) um[o + j] = vi * vti[j] * D[r + node[j]];
  }
  const ist = map.stag.ist;
  const trip = new Float64Array(2);
  for (let is = 0; is < 2; is++) trip[is] = tripArcLength(solver, is);
  return {
    p,
    n,
    nw,
    nsys,
    side,
    ibl,
    node,
    vti,
    type,
    iblte,
    itran,
    ivLe: Int32Array.from([map.isys[0][1], map.isys[1][1]]),
    ivTe: Int32Array.from([map.isys[0][iblte[0]], map.isys[1][iblte[1]]]),
    ivWake0: map.isys[1][iblte[1] + 1],
    ueInv,
    ueInvA,
    um,
    sNode,
    ist,
    sA: g.s[ist],
    sB: g.s[ist + 1],
    xeps: 1e-7 * (g.s[n - 1] - g.s[0]),
    wgap: Float64Array.from(map.wgap),
    ante: g.ante,
    trip,
    u,
  };
}

/**
 * Spline arc length of the trip of a side (NaN when there is none or when the trip is capped at the
 * TE): recovered from the solver's trip xi (blstate.tripXi = +-(sst - sTrip)) and stagnation point.
 */
function tripArcLength(solver: ViscousSolver, side: number): number {
  const S = solver.state!;
  if (!(S.xstrip[side] < 1)) return NaN;
  const map = solver.map!;
  const sst = map.stag.sst;
  const xif = tripXi(S, side);
  const xiTe = map.xi[side][map.iblte[side]];
  if (!(xif < xiTe)) return NaN;
  return side === 0 ? sst - xif : sst + xif;
}

/** Allocates the scratch of residual evaluations. */
export function newResidualWork(d: ResidualData): ResidualWork {
  const rec: BlStation[] = [];
  for (let i = 0; i < d.nsys; i++) rec.push(new BlStation());
  return {
    ue: new Float64Array(d.nsys),
    xi: new Float64Array(d.nsys),
    rec,
    sys: new BlSystem(),
    sst: 0,
    sstQa: 0,
    sstQb: 0,
    sstT: 0,
    xiForc: new Float64Array(2),
    tripActive: new Uint8Array(2),
  };
}

/**
 * Edge speeds, stagnation point, xi of every station, forced-transition xi and the station records
 * for the state u (helper of residual and residualReverse).
 */
function prepare(d: ResidualData, u: Float64Array, w: ResidualWork): void {
  const nsys = d.nsys;
  const ue = w.ue;
  const um = d.um;
  for (let i = 0; i < nsys; i++) {
    let s = d.ueInv[i];
    const o = i * nsys;
    for (let j = 0; j < nsys; j++) s += um[o + j] * u[3 * j + 2];
    ue[i] = s;
  }
  // stagnation point between nodes ist (q = +ue of side-0 station 1) and ist+1 (q = -ue of side-1 station 1)
  const qa = ue[d.ivLe[0]];
  const qb = -ue[d.ivLe[1]];
  const dgam = qb - qa;
  const ds = d.sB - d.sA;
  const t = -qa / dgam;
  let sst = qa < -qb ? d.sA - ds * (qa / dgam) : d.sB - ds * (qb / dgam);
  if (sst <= d.sA) sst = d.sA + 1e-7;
  if (sst >= d.sB) sst = d.sB - 1e-7;
  w.sst = sst;
  w.sstT = t;
  w.sstQa = (sst - d.sB) / dgam;
  w.sstQb = (d.sA - sst) / dgam;
  const xi = w.xi;
  const xiTe1 = Math.max(d.sNode[d.ivTe[1]] - sst, d.xeps);
  for (let i = 0; i < nsys; i++) {
    if (d.type[i] === WAKE) xi[i] = xiTe1 + d.sNode[i];
    else if (d.side[i] === 0) xi[i] = Math.max(sst - d.sNode[i], d.xeps);
    else xi[i] = Math.max(d.sNode[i] - sst, d.xeps);
  }
  for (let is = 0; is < 2; is++) {
    const xiTe = xi[d.ivTe[is]];
    const tr = d.trip[is];
    let xif = xiTe;
    w.tripActive[is] = 0;
    if (Number.isFinite(tr)) {
      const v = is === 0 ? sst - tr : tr - sst;
      if (v < xiTe && v >= 0) {
        xif = v;
        w.tripActive[is] = 1;
      }
    }
    w.xiForc[is] = xif;
  }
  for (let i = 0; i < nsys; i++) fillRecord(d, u, w, i, d.type[i] === WAKE ? d.wgap[i - d.ivWake0] : 0);
}

/** Station record of system station i with wake gap `gap`. */
function fillRecord(d: ResidualData, u: Float64Array, w: ResidualWork, i: number, gap: number): void {
  const ue = w.ue[i];
  blStation(d.p, d.type[i], w.xi[i], u[3 * i], u[3 * i + 1], u[3 * i + 2] / ue, ue, gap, w.rec[i]);
}

/**
 * Interval system ending at station i into w.sys (res, a1, a2, az, axf). Returns the kind:
 * 0 similarity, 1 regular/transition interval, 2 TE merge.
 */
function interval(d: ResidualData, u: Float64Array, w: ResidualWork, i: number): number {
  const b = d.ibl[i];
  const is = d.side[i];
  const sys = w.sys;
  if (b === 1) {
    blSimilarity(d.p, w.rec[i], sys);
    return 0;
  }
  if (d.type[i] === WAKE && b === d.iblte[is] + 1) {
    teSystem(w.rec[d.ivTe[0]], w.rec[i - 1], w.rec[i], d.ante, sys);
    return 2;
  }
  if (b === d.itran[is]) {
    if (!blTransition(d.p, w.rec[i - 1], w.rec[i], u[3 * (i - 1)], w.xiForc[is], sys)) {
      blTransition(d.p, w.rec[i - 1], w.rec[i], u[3 * (i - 1)], w.xi[i], sys);
    }
    return 1;
  }
  blInterval(d.p, d.type[i], w.rec[i - 1], w.rec[i], sys);
  return 1;
}

/** Evaluates R(U; P) into r (length 3 nsys). */
export function residual(d: ResidualData, u: Float64Array, r: Float64Array, w: ResidualWork): Float64Array {
  prepare(d, u, w);
  for (let i = 0; i < d.nsys; i++) {
    interval(d, u, w, i);
    r[3 * i] = w.sys.res[0];
    r[3 * i + 1] = w.sys.res[1];
    r[3 * i + 2] = w.sys.res[2];
  }
  return r;
}

/**
 * Reverse product: adds lam^T dR/dP (at the state u) to `bars` (see ResidualBars), and
 * lam^T dR/dU to `uBar` when given (a check of the assembled Jacobian's transpose). The wake-gap
 * partials are central differences of the local interval residuals (they enter the closures and the
 * momentum equation's gap term; smooth, cheap: only stations inside the gap region).
 */
export function residualReverse(
  d: ResidualData,
  u: Float64Array,
  lam: Float64Array,
  bars: ResidualBars,
  w: ResidualWork,
  uBar?: Float64Array,
): void {
  prepare(d, u, w);
  const nsys = d.nsys;
  const ueb = bars.ue;
  const xib = new Float64Array(nsys);
  const dsb = new Float64Array(nsys);
  const q1b = uBar ? new Float64Array(nsys) : null;
  const thb = uBar ? new Float64Array(nsys) : null;
  const xiForcB = [0, 0];
  const sys = w.sys;
  for (let i = 0; i < nsys; i++) {
    const kind = interval(d, u, w, i);
    const a1 = sys.a1;
    const a2 = sys.a2;
    for (let k = 0; k < 3; k++) {
      const l = lam[3 * i + k];
      if (l === 0) continue;
      const o = 5 * k;
      dsb[i] += l * a2[o + 2];
      ueb[i] += l * a2[o + 3];
      xib[i] += l * a2[o + 4];
      if (q1b && thb) {
        q1b[i] += l * a2[o];
        thb[i] += l * a2[o + 1];
      }
      if (kind !== 0) {
        dsb[i - 1] += l * a1[o + 2];
        ueb[i - 1] += l * a1[o + 3];
        xib[i - 1] += l * a1[o + 4];
        if (q1b && thb) {
          q1b[i - 1] += l * a1[o];
          thb[i - 1] += l * a1[o + 1];
        }
        xiForcB[d.side[i]] += l * sys.axf[k];
      }
      if (kind === 2) {
        const t = d.ivTe[0];
        dsb[t] += l * sys.az[o + 2];
        ueb[t] += l * sys.az[o + 3];
        if (q1b && thb) {
          q1b[t] += l * sys.az[o];
          thb[t] += l * sys.az[o + 1];
        }
        if (k === 2) bars.ante -= l;
      }
    }
  }
  // wake gap: central differences of the two intervals that share each gap station
  for (let k = 0; k < d.nw; k++) {
    const gap = d.wgap[k];
    if (!(gap > 0)) continue;
    const i = d.ivWake0 + k;
    const h = 1e-6 * Math.max(gap, u[3 * i + 2] / w.ue[i]);
    let fp = 0;
    let fm = 0;
    for (const sgn of [1, -1]) {
      fillRecord(d, u, w, i, gap + sgn * h);
      let f = 0;
      for (const j of [i, i + 1]) {
        if (j >= nsys || d.side[j] !== 1) continue;
        interval(d, u, w, j);
        f += lam[3 * j] * sys.res[0] + lam[3 * j + 1] * sys.res[1] + lam[3 * j + 2] * sys.res[2];
      }
      if (sgn > 0) fp = f;
      else fm = f;
    }
    fillRecord(d, u, w, i, gap);
    bars.wgap[k] += (fp - fm) / (2 * h);
  }
  // deltaStar = m / ue
  for (let i = 0; i < nsys; i++) {
    const ue = w.ue[i];
    ueb[i] -= (dsb[i] * u[3 * i + 2]) / (ue * ue);
  }
  // forced-transition xi: xi_TE, or the trip
  for (let is = 0; is < 2; is++) {
    if (w.tripActive[is]) {
      // xif = +-(sst - trip)
      const sg = is === 0 ? 1 : -1;
      stagnationBar(d, w, sg * xiForcB[is], bars);
      bars.trip[is] -= sg * xiForcB[is];
    } else {
      xib[d.ivTe[is]] += xiForcB[is];
    }
  }
  xiReverse(d, w, xib, bars);
  if (uBar && q1b && thb) {
    uBar.fill(0);
    // through ue = ueInv + UM m (including the stagnation-point xi chain already in ueb)
    for (let i = 0; i < nsys; i++) {
      uBar[3 * i] = q1b[i];
      uBar[3 * i + 1] = thb[i];
      uBar[3 * i + 2] += dsb[i] / w.ue[i];
      const e = ueb[i];
      if (e === 0) continue;
      const o = i * nsys;
      for (let j = 0; j < nsys; j++) uBar[3 * j + 2] += e * d.um[o + j];
    }
  }
}

/** Reverse of the xi of every station (prepare): xi bars to s, wake length, sst -> ue bars. */
export function xiReverse(d: ResidualData, w: ResidualWork, xib: Float64Array, bars: ResidualBars): void {
  let sstb = 0;
  const sst = w.sst;
  let xiTe1b = 0;
  for (let i = 0; i < d.nsys; i++) {
    const b = xib[i];
    if (b === 0) continue;
    if (d.type[i] === WAKE) {
      xiTe1b += b;
      bars.sNode[i] += b;
    } else if (d.side[i] === 0) {
      if (sst - d.sNode[i] > d.xeps) {
        sstb += b;
        bars.sNode[i] -= b;
      }
    } else if (d.sNode[i] - sst > d.xeps) {
      sstb -= b;
      bars.sNode[i] += b;
    }
  }
  if (xiTe1b !== 0 && d.sNode[d.ivTe[1]] - sst > d.xeps) {
    bars.sNode[d.ivTe[1]] += xiTe1b;
    sstb -= xiTe1b;
  }
  stagnationBar(d, w, sstb, bars);
}

/** Reverse of sst(q_ist, q_ist+1, s_ist, s_ist+1): adds sstb's contributions to ue and s bars. */
function stagnationBar(d: ResidualData, w: ResidualWork, sstb: number, bars: ResidualBars): void {
  if (sstb === 0) return;
  if (!(w.sst > d.sA + 1e-7 && w.sst < d.sB - 1e-7)) return; // clamped
  bars.ue[d.ivLe[0]] += sstb * w.sstQa; // q_ist = +ue
  bars.ue[d.ivLe[1]] -= sstb * w.sstQb; // q_ist+1 = -ue
  bars.sA += sstb * (1 - w.sstT);
  bars.sB += sstb * w.sstT;
}

/** Edge speeds ue = ueInv + UM m of the state u (system order). */
export function edgeSpeeds(
  d: ResidualData,
  u: Float64Array,
  out: Float64Array = new Float64Array(d.nsys),
): Float64Array {
  const nsys = d.nsys;
  for (let i = 0; i < nsys; i++) {
    let s = d.ueInv[i];
    const o = i * nsys;
    for (let j = 0; j < nsys; j++) s += d.um[o + j] * u[3 * j + 2];
    out[i] = s;
  }
  return out;
}

/**
 * Assembles the exact Newton system of R at the state u into `bs` (blsolve.ts layout, the same
 * system as ViscousSolver.jacobian() with the ue mismatch zero): va, vb, vz = d/d(q1, theta) of the
 * station, its upstream station and (TE merge) the side-0 TE station; vm = d/dm of every station
 * through ue = ueInv + UM m, deltaStar = m/ue and the stagnation-point xi; rhs column 0 = -R,
 * column 1 = dR/dalpha at fixed geometry (through ueInv).
 */
export function assembleJacobian(
  d: ResidualData,
  u: Float64Array,
  w: ResidualWork,
  bs: BlockSystem,
  coef?: JacobianCoefficients,
): void {
  prepare(d, u, w);
  const nsys = d.nsys;
  const cap = bs.cap;
  const um = d.um;
  const { va, vb, vm, rhs } = bs;
  bs.nsys = nsys;
  bs.ivte1 = d.ivTe[0];
  bs.ivz = d.ivWake0;
  bs.vz.fill(0);
  const sys = w.sys;
  const ue = w.ue;
  const oa = d.ivLe[0] * nsys;
  const ob = d.ivLe[1] * nsys;
  const qa = w.sstQa;
  const qb = -w.sstQb;
  const xleA = qa * d.ueInvA[d.ivLe[0]] + qb * d.ueInvA[d.ivLe[1]];
  if (coef) {
    coef.it = d.ivTe[0];
    coef.ia = d.ivLe[0];
    coef.ib = d.ivLe[1];
    coef.qa = qa;
    coef.qb = qb;
  }
  const cS = new Float64Array(3); // ue coefficient of station 2
  const cP = new Float64Array(3); // of station 1
  const cT = new Float64Array(3); // of the side-0 TE station (merge)
  const cX = new Float64Array(3); // of sst
  for (let i = 0; i < nsys; i++) {
    const kind = interval(d, u, w, i);
    const a1 = sys.a1;
    const a2 = sys.a2;
    const sg = d.type[i] === WAKE || d.side[i] === 1 ? -1 : 1;
    const ds2 = u[3 * i + 2] / ue[i];
    const ip = kind === 0 ? i : i - 1;
    const ds1 = u[3 * ip + 2] / ue[ip];
    const it = d.ivTe[0];
    const dsT = u[3 * it + 2] / ue[it];
    for (let k = 0; k < 3; k++) {
      const o = 5 * k;
      va[6 * i + 2 * k] = a2[o];
      va[6 * i + 2 * k + 1] = a2[o + 1];
      vb[6 * i + 2 * k] = kind === 0 ? 0 : a1[o];
      vb[6 * i + 2 * k + 1] = kind === 0 ? 0 : a1[o + 1];
      cS[k] = a2[o + 3] - (a2[o + 2] * ds2) / ue[i];
      cP[k] = kind === 0 ? 0 : a1[o + 3] - (a1[o + 2] * ds1) / ue[ip];
      cT[k] = kind === 2 ? sys.az[o + 3] - (sys.az[o + 2] * dsT) / ue[it] : 0;
      cX[k] = kind === 2 ? 0 : sg * (a2[o + 4] + (kind === 0 ? 0 : a1[o + 4] + sys.axf[k]));
      if (kind === 2) {
        bs.vz[2 * k] = sys.az[o];
        bs.vz[2 * k + 1] = sys.az[o + 1];
      }
      rhs[6 * i + 2 * k] = -sys.res[k];
      rhs[6 * i + 2 * k + 1] =
        cS[k] * d.ueInvA[i] + cP[k] * d.ueInvA[ip] + cT[k] * d.ueInvA[it] + cX[k] * xleA;
    }
    if (coef) {
      coef.ip[i] = ip;
      for (let k = 0; k < 3; k++) {
        const o = 5 * k;
        const r = 3 * i + k;
        coef.cS[r] = cS[k];
        coef.cP[r] = cP[k];
        coef.cT[r] = cT[k];
        coef.cX[r] = cX[k];
        coef.dS[r] = a2[o + 2] / ue[i];
        coef.dP[r] = kind !== 0 ? a1[o + 2] / ue[ip] : 0;
        coef.dT[r] = kind === 2 ? sys.az[o + 2] / ue[it] : 0;
      }
    }
    const r0 = 3 * i * cap;
    const r1 = r0 + cap;
    const r2 = r1 + cap;
    const os = i * nsys;
    const op = ip * nsys;
    const ot = it * nsys;
    const s0 = cS[0];
    const s1 = cS[1];
    const s2 = cS[2];
    const p0 = cP[0];
    const p1 = cP[1];
    const p2 = cP[2];
    const x0 = cX[0] * qa;
    const x1 = cX[1] * qa;
    const x2 = cX[2] * qa;
    const y0 = cX[0] * qb;
    const y1 = cX[1] * qb;
    const y2 = cX[2] * qb;
    for (let j = 0; j < nsys; j++) {
      const us = um[os + j];
      const up = um[op + j];
      const ua = um[oa + j];
      const ubb = um[ob + j];
      vm[r0 + j] = s0 * us + p0 * up + x0 * ua + y0 * ubb;
      vm[r1 + j] = s1 * us + p1 * up + x1 * ua + y1 * ubb;
      vm[r2 + j] = s2 * us + p2 * up + x2 * ua + y2 * ubb;
    }
    if (kind === 2) {
      for (let j = 0; j < nsys; j++) {
        const ut = um[ot + j];
        vm[r0 + j] += cT[0] * ut;
        vm[r1 + j] += cT[1] * ut;
        vm[r2 + j] += cT[2] * ut;
      }
    }
    // deltaStar = m / ue: direct mass terms
    for (let k = 0; k < 3; k++) {
      const o = 5 * k;
      const r = r0 + k * cap;
      vm[r + i] += a2[o + 2] / ue[i];
      if (kind !== 0) vm[r + ip] += a1[o + 2] / ue[ip];
      if (kind === 2) vm[r + it] += sys.az[o + 2] / ue[it];
    }
  }
}

/**
 * The m-column structure of the assembled Newton system (assembleJacobian): row r = 3 i + k has
 *   d R_r / d m = cS UM[i] + cP UM[ip_i] + cT UM[it] + cX (qa UM[ia] + qb UM[ib]) + diagonal terms
 *   dS at column i, dP at ip_i, dT at it,
 * so products with the m part of J^T cost one UM^T product (nsys^2) instead of 3 nsys^2.
 */
export interface JacobianCoefficients {
  cS: Float64Array;
  cP: Float64Array;
  cT: Float64Array;
  cX: Float64Array;
  dS: Float64Array;
  dP: Float64Array;
  dT: Float64Array;
  ip: Int32Array;
  it: number;
  ia: number;
  ib: number;
  qa: number;
  qb: number;
  /** scratch (length nsys) */
  w: Float64Array;
}

/** Allocates JacobianCoefficients for nsys stations. */
export function newJacobianCoefficients(nsys: number): JacobianCoefficients {
  const r = () => new Float64Array(3 * nsys);
  return {
    cS: r(),
    cP: r(),
    cT: r(),
    cX: r(),
    dS: r(),
    dP: r(),
    dT: r(),
    ip: new Int32Array(nsys),
    it: 0,
    ia: 0,
    ib: 0,
    qa: 0,
    qb: 0,
    w: new Float64Array(nsys),
  };
}

/** x = J^T y using the block structure (va, vb, vz of `bs`) and the m-column structure `c` with UM. */
export function multiplyTransposeStructured(
  bs: BlockSystem,
  c: JacobianCoefficients,
  um: Float64Array,
  y: Float64Array,
  x: Float64Array,
): Float64Array {
  const nsys = bs.nsys;
  const w = c.w;
  w.fill(0);
  x.fill(0, 0, 3 * nsys);
  let wx = 0;
  for (let i = 0; i < nsys; i++) {
    const o = 3 * i;
    const y0 = y[o];
    const y1 = y[o + 1];
    const y2 = y[o + 2];
    addLocalBlocksTransposed(bs, i, y0, y1, y2, x);
    const ip = c.ip[i];
    w[i] += c.cS[o] * y0 + c.cS[o + 1] * y1 + c.cS[o + 2] * y2;
    w[ip] += c.cP[o] * y0 + c.cP[o + 1] * y1 + c.cP[o + 2] * y2;
    w[c.it] += c.cT[o] * y0 + c.cT[o + 1] * y1 + c.cT[o + 2] * y2;
    wx += c.cX[o] * y0 + c.cX[o + 1] * y1 + c.cX[o + 2] * y2;
    x[o + 2] += c.dS[o] * y0 + c.dS[o + 1] * y1 + c.dS[o + 2] * y2;
    x[3 * ip + 2] += c.dP[o] * y0 + c.dP[o + 1] * y1 + c.dP[o + 2] * y2;
    x[3 * c.it + 2] += c.dT[o] * y0 + c.dT[o + 1] * y1 + c.dT[o + 2] * y2;
  }
  w[c.ia] += c.qa * wx;
  w[c.ib] += c.qb * wx;
  for (let i = 0; i < nsys; i++) {
    const wi = w[i];
    if (wi === 0) continue;
    const o = i * nsys;
    for (let l = 0; l < nsys; l++) x[3 * l + 2] += wi * um[o + l];
  }
  return x;
}
