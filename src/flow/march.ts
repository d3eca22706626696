/**
 * Boundary-layer marches of the viscous solver (XFOIL xbl.f MRCHUE and MRCHDU), physics reference
 * section 7.7, written from the published description:
 *
 * - `marchDirect` (MRCHUE): initial march with the edge speed prescribed; where the trial shape
 *   parameter Hk exceeds 3.8 (laminar) or 2.5 (turbulent) the station is solved inversely with a
 *   prescribed Hk target instead (laminar bubbles, separation), so the Goldstein singularity is
 *   never met. Starts from Thwaites' stagnation solution.
 * - `marchMixed` (MRCHDU): march at every global Newton iteration, before assembly, with the 4th
 *   equation a combination of ue and Hk quasi-normal to the local ue-Hk characteristic; it moves the
 *   transition point and brings every station onto its own interval equations.
 *
 * Both march side 0 (upper), then side 1 (lower surface and wake), solving each station's 3 interval
 * equations plus one closing equation for (N or S, theta, deltaStar, ue) by Newton's method with
 * relaxation (max normalized change 0.3), the S clamp [1e-7, 0.3] and the Hk floor, and check for
 * transition (TRCHEK2) at every laminar station.
 */
import {
  blInterval,
  blSimilarity,
  blStation,
  blTransition,
  LAMINAR,
  teSystem,
  trchek2,
  TURBULENT,
  WAKE,
  type BlStation,
} from './blsys';
import { dslim, edgeMachSq, HK_FLOOR_AIRFOIL, HK_FLOOR_WAKE, tripXi, type BlState } from './blstate';
import { hkin } from './closures';

/** laminar Hk above which MRCHUE switches to the inverse mode */
const HK_MAX_LAMINAR = 3.8;
/** turbulent Hk above which MRCHUE switches to the inverse mode */
const HK_MAX_TURBULENT = 2.5;
/** Newton iterations per station */
const MARCH_ITERATIONS = 25;
/** initial S = sqrt(ctau) of a new turbulent station */
const S_START = 0.03;
/** S of a transition station when the march falls back to extrapolation */
const S_FALLBACK = 0.05;

/** The primary variables of the station being marched (XFOIL AMI, CTI, THI, DSI, UEI). */
interface MarchVars {
  ami: number;
  cti: number;
  thi: number;
  dsi: number;
  uei: number;
  /** the current interval is a transition interval (XFOIL TRAN) */
  tran: boolean;
  /** transition xi of the last transition interval */
  xt: number;
  forced: boolean;
}

const a4 = new Float64Array(16);
const b4 = new Float64Array(4);
const at4 = new Float64Array(16);
const bt4 = new Float64Array(4);
const hk3 = new Float64Array(3);

/** Solves the 4x4 row-major system a x = b in place (b <- x) with partial pivoting. */
export function solve4(a: Float64Array, b: Float64Array): boolean {
  for (let k = 0; k < 4; k++) {
    let p = k;
    let amax = Math.abs(a[4 * k + k]);
    for (let i = k + 1; i < 4; i++) {
      const v = Math.abs(a[4 * i + k]);
      if (v > amax) {
        amax = v;
        p = i;
      }
    }
    if (!(amax > 0) || !Number.isFinite(amax)) return false;
    if (p !== k) {
      for (let j = 0; j < 4; j++) {
        const t = a[4 * k + j];
        a[4 * k + j] = a[4 * p + j];
        a[4 * p + j] = t;
      }
      const t = b[k];
      b[k] = b[p];
      b[p] = t;
    }
    const inv = 1 / a[4 * k + k];
    for (let i = k + 1; i < 4; i++) {
      const f = a[4 * i + k] * inv;
      if (f === 0) continue;
      for (let j = k + 1; j < 4; j++) a[4 * i + j] -= f * a[4 * k + j];
      b[i] -= f * b[k];
    }
  }
  for (let k = 3; k >= 0; k--) {
    let s = b[k];
    for (let j = k + 1; j < 4; j++) s -= a[4 * k + j] * b[j];
    b[k] = s / a[4 * k + k];
  }
  return true;
}

/**
 * Station 2 variables and interval system of station `ibl` of `side` for the marches (XFOIL BLPRV,
 * BLKIN, TRCHEK, BLSYS / TESYS): fills `st2` and S.sys, updates m.ami (amplification from TRCHEK2),
 * m.tran, m.xt and S.itran[side].
 */
function stationSystem(
  S: BlState,
  side: number,
  ibl: number,
  m: MarchVars,
  turb: boolean,
  xiforc: number,
  st1: BlStation,
  st2: BlStation,
): void {
  const p = S.p;
  const map = S.map;
  const iblte = map.iblte[side];
  const xsi = map.xi[side][ibl];
  const sys = S.sys;
  m.tran = false;
  if (ibl > iblte) {
    const dsw = map.wgap[ibl - iblte - 1];
    blStation(p, WAKE, xsi, m.cti, m.thi, m.dsi, m.uei, dsw, st2);
    if (ibl === iblte + 1) {
      // side 0 is marched first: its TE record is current
      teSystem(S.rec[0][map.iblte[0]], st1, st2, S.geom.ante, sys);
    } else {
      blInterval(p, WAKE, st1, st2, sys);
    }
    return;
  }
  if (ibl === 1) {
    blStation(p, LAMINAR, xsi, m.ami, m.thi, m.dsi, m.uei, 0, st2);
    blSimilarity(p, st2, sys);
    return;
  }
  if (turb) {
    blStation(p, TURBULENT, xsi, m.cti, m.thi, m.dsi, m.uei, 0, st2);
    blInterval(p, TURBULENT, st1, st2, sys);
    return;
  }
  blStation(p, LAMINAR, xsi, m.ami, m.thi, m.dsi, m.uei, 0, st2);
  const tr = sys.tr;
  trchek2(p, st1, st2, m.ami, xiforc, tr);
  m.ami = tr.n2;
  st2.nAmp = m.ami; // XFOIL: TRCHEK sets AMPL2 of the "2" station
  if (tr.tran) {
    if (m.cti <= 0) m.cti = S_START;
    blStation(p, TURBULENT, xsi, m.cti, m.thi, m.dsi, m.uei, 0, st2);
    if (blTransition(p, st1, st2, m.ami, xiforc, sys)) {
      S.itran[side] = ibl;
      m.tran = true;
      m.xt = sys.tr.xiT;
      m.forced = sys.tr.forced;
      return;
    }
    // the re-evaluation found no transition (round-off at the switch): treat as laminar
    blStation(p, LAMINAR, xsi, m.ami, m.thi, m.dsi, m.uei, 0, st2);
  }
  S.itran[side] = ibl + 2;
  blInterval(p, LAMINAR, st1, st2, sys);
}

/**
 * Refills every station record S.rec from the current state, with deltaStar = m/ue (the Newton
 * unknown), as the assembly needs it when no march precedes it; also sets the wall shear S.tau.
 */
export function refillRecords(S: BlState): void {
  const map = S.map;
  for (let side = 0; side < 2; side++) {
    const iblte = map.iblte[side];
    for (let ibl = 1; ibl < map.nbl[side]; ibl++) {
      const ue = S.uedg[side][ibl];
      const st = S.rec[side][ibl];
      blStation(
        S.p,
        stationType(S, side, ibl),
        map.xi[side][ibl],
        S.ctau[side][ibl],
        S.thet[side][ibl],
        S.mass[side][ibl] / ue,
        ue,
        ibl > iblte ? map.wgap[ibl - iblte - 1] : 0,
        st,
      );
      S.tau[side][ibl] = 0.5 * st.rho * st.uk * st.uk * st.cf;
    }
  }
}

/** Closure type of a stored station (laminar before itran, turbulent to the TE, wake after). */
export function stationType(S: BlState, side: number, ibl: number): number {
  if (ibl > S.map.iblte[side]) return WAKE;
  return ibl >= S.itran[side] ? TURBULENT : LAMINAR;
}

/** Fills `st` from the stored variables of station ibl (type from stationType). */
export function fillStoredStation(S: BlState, side: number, ibl: number, st: BlStation): void {
  const iblte = S.map.iblte[side];
  const dsw = ibl > iblte ? S.map.wgap[ibl - iblte - 1] : 0;
  blStation(
    S.p,
    stationType(S, side, ibl),
    S.map.xi[side][ibl],
    S.ctau[side][ibl],
    S.thet[side][ibl],
    S.dstr[side][ibl],
    S.uedg[side][ibl],
    dsw,
    st,
  );
}

/** Merged TE state (theta, deltaStar incl. the TE gap, S) of the stored TE stations [TESYS inputs]. */
function teMerge(S: BlState, out: Float64Array): void {
  const t0 = S.map.iblte[0];
  const t1 = S.map.iblte[1];
  const tte = S.thet[0][t0] + S.thet[1][t1];
  out[0] = tte;
  out[1] = S.dstr[0][t0] + S.dstr[1][t1] + S.geom.ante;
  out[2] = (S.ctau[0][t0] * S.thet[0][t0] + S.ctau[1][t1] * S.thet[1][t1]) / tte;
}

const teVals = new Float64Array(3);

/** Loads rows 0..2 of the station's 4x4 system (columns S|N, theta, deltaStar, ue) and -R. */
function loadRows(S: BlState, a: Float64Array, b: Float64Array): void {
  const sys = S.sys;
  for (let k = 0; k < 3; k++) {
    for (let c = 0; c < 4; c++) a[4 * k + c] = sys.a2[5 * k + c];
    b[k] = -sys.res[k];
  }
}

/**
 * Stores the marched station and fills its record S.rec[side][ibl] (the next interval's station 1,
 * and the assembly's station data) from the stored values. Returns the record.
 */
function storeStation(S: BlState, side: number, ibl: number, m: MarchVars): BlStation {
  const it = S.itran[side];
  S.ctau[side][ibl] = ibl < it ? m.ami : m.cti;
  S.thet[side][ibl] = m.thi;
  S.dstr[side][ibl] = m.dsi;
  S.uedg[side][ibl] = m.uei;
  S.mass[side][ibl] = m.dsi * m.uei;
  const st = S.rec[side][ibl];
  fillStoredStation(S, side, ibl, st);
  S.tau[side][ibl] = 0.5 * st.rho * st.uk * st.uk * st.cf;
  return st;
}

/** Extrapolated station values when a station's Newton iteration produced garbage [MRCHUE/MRCHDU]. */
function extrapolate(S: BlState, side: number, ibl: number, m: MarchVars, mixed: boolean): void {
  const map = S.map;
  const iblte = map.iblte[side];
  const xi = map.xi[side];
  const ibm = ibl - 1;
  const th = S.thet[side];
  const ds = S.dstr[side];
  const ue = S.uedg[side];
  if (ibl <= iblte) {
    const r = Math.sqrt(xi[ibl] / xi[ibm]);
    m.thi = th[ibm] * r;
    m.dsi = ds[ibm] * r;
  } else if (ibl === iblte + 1) {
    teMerge(S, teVals);
    m.cti = teVals[2];
    m.thi = teVals[0];
    m.dsi = teVals[1];
  } else {
    m.thi = th[ibm];
    const ratlen = (xi[ibl] - xi[ibm]) / (10.0 * ds[ibm]);
    m.dsi = (ds[ibm] + m.thi * ratlen) / (1.0 + ratlen);
  }
  if (ibl === S.itran[side]) m.cti = S_FALLBACK;
  if (ibl > S.itran[side]) m.cti = S.ctau[side][ibm];
  if (mixed) {
    m.uei = ue[ibm];
  } else {
    m.uei = ue[ibl];
    if (ibl > 1 && ibl < map.nbl[side] - 1) m.uei = 0.5 * (ue[ibl - 1] + ue[ibl + 1]);
  }
}

/** Clamps S on turbulent stations and applies the Hk floor to deltaStar (XFOIL DSLIM). */
function limitStation(S: BlState, side: number, ibl: number, m: MarchVars, dswaki: number): void {
  if (ibl >= S.itran[side]) m.cti = Math.min(Math.max(m.cti, 1e-7), 0.3);
  const hkLim = ibl <= S.map.iblte[side] ? HK_FLOOR_AIRFOIL : HK_FLOOR_WAKE;
  const msq = edgeMachSq(S.p, m.uei);
  m.dsi = dslim(m.dsi - dswaki, m.thi, msq, hkLim) + dswaki;
}

const mv: MarchVars = { ami: 0, cti: 0, thi: 0, dsi: 0, uei: 0, tran: false, xt: 0, forced: false };

/**
 * Initial direct march (XFOIL MRCHUE) with the current S.uedg (usually the inviscid edge speed),
 * inverse mode past Hk 3.8 / 2.5. Sets every station's variables, itran, xiTran.
 * Returns the number of stations whose Newton iteration did not converge.
 */
export function marchDirect(S: BlState): number {
  const p = S.p;
  const map = S.map;
  const m = mv;
  let failures = 0;
  for (let side = 0; side < 2; side++) {
    const xiforc = tripXi(S, side);
    const xi = map.xi[side];
    const nbl = map.nbl[side];
    const iblte = map.iblte[side];
    // Thwaites' stagnation-point solution for ue = K xi
    const ucon = S.uedg[side][1] / xi[1];
    m.thi = Math.sqrt(0.45 / (ucon * 6.0 * p.reybl));
    m.dsi = 2.2 * m.thi;
    m.ami = 0;
    m.cti = S_START;
    m.tran = false;
    m.xt = 0;
    let turb = false;
    S.itran[side] = iblte;
    let st1 = S.stA;
    const st2 = S.stB;
    for (let ibl = 1; ibl < nbl; ibl++) {
      const wake = ibl > iblte;
      m.uei = S.uedg[side][ibl];
      const dswaki = wake ? map.wgap[ibl - iblte - 1] : 0;
      let direct = true;
      let dmax = 0;
      let htarg = 0;
      let converged = false;
      for (let itbl = 0; itbl < MARCH_ITERATIONS; itbl++) {
        stationSystem(S, side, ibl, m, turb, xiforc, st1, st2);
        const itran = S.itran[side];
        loadRows(S, a4, b4);
        if (direct) {
          a4[12] = 0;
          a4[13] = 0;
          a4[14] = 0;
          a4[15] = 1;
          b4[3] = 0;
          if (!solve4(a4, b4)) break;
          dmax = Math.max(Math.abs(b4[1] / m.thi), Math.abs(b4[2] / m.dsi));
          dmax = Math.max(dmax, ibl < itran ? Math.abs(b4[0] / 10) : Math.abs(b4[0] / m.cti));
          const rlx = dmax > 0.3 ? 0.3 / dmax : 1;
          let hmax = HK_MAX_LAMINAR;
          if (ibl !== iblte + 1) {
            const msq = edgeMachSq(p, m.uei);
            const htest = (m.dsi + rlx * b4[2]) / (m.thi + rlx * b4[1]);
            const hktest = hkin(htest, msq, hk3);
            hmax = ibl < itran ? HK_MAX_LAMINAR : HK_MAX_TURBULENT;
            direct = hktest < hmax;
          }
          if (direct) {
            if (ibl >= itran) m.cti += rlx * b4[0];
            m.thi += rlx * b4[1];
            m.dsi += rlx * b4[2];
          } else {
            // prescribed Hk for the inverse solution
            const hk1 = st1.hk;
            const x1 = st1.xi;
            const x2 = xi[ibl];
            const t1 = st1.theta;
            if (ibl < itran) {
              htarg = hk1 + (0.03 * (x2 - x1)) / t1;
            } else if (ibl === itran) {
              htarg = hk1 + (0.03 * (m.xt - x1) - 0.15 * (x2 - m.xt)) / t1;
            } else if (wake) {
              const cst = (0.03 * (x2 - x1)) / t1;
              let hk2 = hk1;
              for (let k = 0; k < 3; k++) {
                hk2 -= (hk2 + cst * (hk2 - 1) ** 3 - hk1) / (1 + 3 * cst * (hk2 - 1) ** 2);
              }
              htarg = hk2;
            } else {
              htarg = hk1 - (0.15 * (x2 - x1)) / t1;
            }
            htarg = wake ? Math.max(htarg, 1.01) : Math.max(htarg, hmax);
            continue;
          }
        } else {
          a4[12] = 0;
          a4[13] = st2.hkRaw_th;
          a4[14] = st2.hkRaw_ds;
          a4[15] = st2.hkRaw_uk * st2.uk_ue;
          b4[3] = htarg - st2.hkRaw;
          if (!solve4(a4, b4)) break;
          dmax = Math.max(Math.abs(b4[1] / m.thi), Math.abs(b4[2] / m.dsi), Math.abs(b4[3] / m.uei));
          if (ibl >= itran) dmax = Math.max(dmax, Math.abs(b4[0] / m.cti));
          const rlx = dmax > 0.3 ? 0.3 / dmax : 1;
          if (ibl >= itran) m.cti += rlx * b4[0];
          m.thi += rlx * b4[1];
          m.dsi += rlx * b4[2];
          m.uei += rlx * b4[3];
        }
        limitStation(S, side, ibl, m, dswaki);
        if (dmax <= 1e-5) {
          converged = true;
          break;
        }
      }
      if (!converged) {
        failures++;
        if (!(dmax <= 0.1) && ibl > 2) extrapolate(S, side, ibl, m, false);
        // re-evaluate transition at the final values
        stationSystem(S, side, ibl, m, turb, xiforc, st1, st2);
      }
      st1 = storeStation(S, side, ibl, m);
      if (m.tran || ibl === iblte) {
        turb = true;
        if (m.tran) {
          S.xiTran[side] = m.xt;
          S.forced[side] = m.forced ? 1 : 0;
        }
      }
      m.tran = false;
      if (ibl === iblte && side === 1) {
        teMerge(S, teVals);
        m.thi = teVals[0];
        m.dsi = teVals[1];
      }
    }
  }
  S.initialized = true;
  return failures;
}

/** Ue-Hk coupling weight of MRCHDU (XFOIL SENSWT) */
const SENSWT = 1000.0;
/** MRCHDU station convergence tolerance (XFOIL DEPS) */
const MIXED_TOLERANCE = 5e-6;

/**
 * Mixed ue-Hk march (XFOIL MRCHDU) from the current stored state; establishes the transition
 * stations for the global Newton step. Returns the number of stations that did not converge.
 */
export function marchMixed(S: BlState): number {
  const map = S.map;
  const m = mv;
  let failures = 0;
  let sens = 0;
  let sennew = 0;
  for (let side = 0; side < 2; side++) {
    const xiforc = tripXi(S, side);
    const nbl = map.nbl[side];
    const iblte = map.iblte[side];
    const ctau = S.ctau[side];
    const itrold = S.itran[side];
    let turb = false;
    m.tran = false;
    m.ami = 0;
    S.itran[side] = iblte;
    let st1 = S.stA;
    const st2 = S.stB;
    for (let ibl = 1; ibl < nbl; ibl++) {
      const wake = ibl > iblte;
      m.uei = S.uedg[side][ibl];
      m.thi = S.thet[side][ibl];
      m.dsi = S.dstr[side][ibl];
      if (ibl < itrold) {
        m.ami = ctau[ibl];
        m.cti = S_START;
      } else {
        m.cti = ctau[ibl];
        if (m.cti <= 0) m.cti = S_START;
      }
      const dswaki = wake ? map.wgap[ibl - iblte - 1] : 0;
      m.dsi = Math.max(m.dsi - dswaki, (wake ? HK_FLOOR_WAKE : HK_FLOOR_AIRFOIL) * m.thi) + dswaki;
      let ueref = 0;
      let hkref = 0;
      let dmax = 0;
      let converged = false;
      for (let itbl = 0; itbl < MARCH_ITERATIONS; itbl++) {
        stationSystem(S, side, ibl, m, turb, xiforc, st1, st2);
        const itran = S.itran[side];
        if (itbl === 0) {
          ueref = st2.uk;
          hkref = st2.hkRaw;
          if (ibl < itran && ibl >= itrold) {
            // was turbulent, now laminar: extrapolate the reference Hk
            const uem = S.uedg[side][ibl - 1];
            hkref = hkin(S.dstr[side][ibl - 1] / S.thet[side][ibl - 1], edgeMachSq(S.p, uem), hk3);
          }
          if (ibl < itrold) {
            // was laminar: (re)initialize S if it is now turbulent
            if (m.tran) ctau[ibl] = S_START;
            if (turb) ctau[ibl] = ctau[ibl - 1];
            if (m.tran || turb) m.cti = ctau[ibl];
          }
        }
        loadRows(S, a4, b4);
        a4[12] = 0;
        if (ibl === 1 || ibl === iblte + 1) {
          // prescribed ue at the similarity station and the first wake station
          a4[13] = 0;
          a4[14] = 0;
          a4[15] = st2.uk_ue;
          b4[3] = ueref - st2.uk;
        } else {
          // ue response to a unit change of Hk: slope of the ue-Hk characteristic
          at4.set(a4);
          bt4[0] = b4[0];
          bt4[1] = b4[1];
          bt4[2] = b4[2];
          at4[13] = st2.hkRaw_th;
          at4[14] = st2.hkRaw_ds;
          at4[15] = st2.hkRaw_uk * st2.uk_ue;
          bt4[3] = 1.0;
          if (solve4(at4, bt4)) sennew = (SENSWT * bt4[3] * hkref) / ueref;
          if (itbl < 5) sens = sennew;
          else if (itbl < 15) sens = 0.5 * (sens + sennew);
          a4[13] = st2.hkRaw_th * hkref;
          a4[14] = st2.hkRaw_ds * hkref;
          a4[15] = (st2.hkRaw_uk * hkref + sens / ueref) * st2.uk_ue;
          b4[3] = -(hkref * hkref) * (st2.hkRaw / hkref - 1.0) - sens * (st2.uk / ueref - 1.0);
        }
        if (!solve4(a4, b4)) break;
        dmax = Math.max(Math.abs(b4[1] / m.thi), Math.abs(b4[2] / m.dsi), Math.abs(b4[3] / m.uei));
        if (ibl >= itran) dmax = Math.max(dmax, Math.abs(b4[0] / (10.0 * m.cti)));
        const rlx = dmax > 0.3 ? 0.3 / dmax : 1;
        if (ibl < itran) m.ami += rlx * b4[0];
        else m.cti += rlx * b4[0];
        m.thi += rlx * b4[1];
        m.dsi += rlx * b4[2];
        m.uei += rlx * b4[3];
        limitStation(S, side, ibl, m, dswaki);
        if (dmax <= MIXED_TOLERANCE) {
          converged = true;
          break;
        }
      }
      if (!converged) {
        failures++;
        if (!(dmax <= 0.1) && ibl > 2) extrapolate(S, side, ibl, m, true);
        stationSystem(S, side, ibl, m, turb, xiforc, st1, st2);
      }
      sens = sennew;
      st1 = storeStation(S, side, ibl, m);
      if (m.tran || ibl === iblte) {
        turb = true;
        if (m.tran) {
          S.xiTran[side] = m.xt;
          S.forced[side] = m.forced ? 1 : 0;
        }
      }
      m.tran = false;
    }
  }
  return failures;
}
