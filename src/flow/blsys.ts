/**
 * Boundary-layer station variables and interval systems of XFOIL 6.99 (xblsys.f equivalents:
 * BLPRV, BLKIN, BLVAR, BLMID, BLDIF, TRCHEK2, TRDIF, TESYS, BLSYS), written from
 * /work/shared/docs/xfoil-physics.md sections 1, 4, 5, 6, 7. Physics variable names are defined in
 * closures.ts.
 *
 * Usage (one side, downstream sweep):
 *   const p = createBlParams({ re, mach, nCrit });
 *   blStation(p, LAMINAR, xi, nAmp, theta, deltaStar, ue, 0, st[i]);   // every station once
 *   blInterval(p, LAMINAR, st[i-1], st[i], sys);                       // sys.res, sys.a1, sys.a2
 * Station i must be evaluated with the closure type of the interval that ENDS at it (laminar before
 * the transition station, turbulent from the transition station to the TE, wake after the TE); the
 * record then serves as station 1 of the next interval, exactly like XFOIL's COM1 <- COM2 copy.
 *
 * Interval system layout (BlSystem), XFOIL's BLSYS with VSREZ = -res:
 *   res[k]          residual R_k, rows k = 0: amplification (laminar) / shear lag (turbulent, wake,
 *                   transition) / N = 0 (similarity) / S merge (TE); 1: momentum; 2: shape
 *                   (kinetic energy). Positive as in physics doc 4.2-4.5.
 *   a1[5 k + c]     dR_k/d(station-1 variable c);   a2[5 k + c]  same for station 2
 *   columns c = 0: nAmp (laminar station) or s = sqrt(ctau) (turbulent/wake station);
 *               1: theta; 2: deltaStar (total, incl. wake gap; = d/dD);
 *               3: ue (incompressible edge speed; chained through uk as XFOIL's BLSYS does);
 *               4: xi (arc length from the stagnation point)
 *   axf[k]          dR_k/d(xi of the forced-transition trip) (nonzero only for a forced transition)
 *   az[5 k + c]     TE merge only: dR_k/d(upper-side TE station variable c); a1 is then the lower
 *                   (side 2) TE station, a2 the first wake station.
 * Mach and Reynolds sensitivities (XFOIL VSM, VSR) are not formed: Re and Minf are fixed per case.
 *
 * Jacobians are the exact derivatives of the residuals as implemented (checked against finite
 * differences). Where XFOIL's own Jacobian is approximate we use the exact one (identical converged
 * solution): (1) XFOIL drops the d/dRet_bar of Uq (GCCON/Ret term) in the lag row; (2) at the Hk floors
 * of BLVAR, the CFT exponent/ln floors and the upwinding min(L^2, 15) cap XFOIL keeps the unfloored
 * slopes, we use zero; (3) TRCHEK2 sets d xi_T/d xi_trip = 0 when a trip upstream of the free
 * transition point wins by a rounding tie, we keep the exact value 1; (4) XFOIL's DILW derivative has a
 * sign error (laminar-wake dissipation, only active at very low Ret), we use the exact one.
 */

import {
  axset,
  blThickness,
  cfl,
  cft,
  CTRCEX,
  CTRCON,
  ctauEqSqrt,
  dil,
  dilw,
  diTurbulent,
  DUXCON,
  DLCON,
  GM1,
  hct,
  hkin,
  hsl,
  hst,
  SCCON,
  slipVelocity,
  uqEquilibrium,
} from './closures';

/** closure type / interval type: similarity station (first station of a side, XFOIL ITYP 0) */
export const SIMILARITY = 0;
/** closure type / interval type: laminar (ITYP 1) */
export const LAMINAR = 1;
/** closure type / interval type: turbulent airfoil (ITYP 2) */
export const TURBULENT = 2;
/** closure type / interval type: wake (ITYP 3) */
export const WAKE = 3;

/** Per-case boundary-layer constants (XFOIL SETBL / COMSET), from `createBlParams`. */
export interface BlParams {
  /** chord Reynolds number (freestream) */
  re: number;
  /** freestream Mach number */
  mach: number;
  /** critical amplification exponent (XFOIL ACRIT / AMCRIT) */
  nCrit: number;
  /** amplification-rate model: 0 = DAMPL (XFOIL default), 1 = DAMPL2 */
  idamp: number;
  /** TRCHEK2 convergence tolerance on |dN2| (XFOIL DAEPS = 5e-5; tighter only for tests) */
  trTolerance: number;
  /**
   * xi of the forced-transition trip per side [top, bottom] (XFOIL XIFORC after XIFSET; the caller
   * sets these, xi_TE when there is no trip). Pass `xiTrip[side]` to `blTransition` / `trchek2`.
   */
  xiTrip: Float64Array;
  /** freestream speed (1) */
  qinf: number;
  /** Karman-Tsien constant lam_KT = Minf^2/(1 + sqrt(1 - Minf^2))^2 (XFOIL TKBL) */
  tkbl: number;
  /** stagnation/freestream density ratio (XFOIL RSTBL) */
  rstbl: number;
  /** inverse stagnation enthalpy (gam-1) Minf^2/(1 + 0.5 (gam-1) Minf^2) (XFOIL HSTINV) */
  hstinv: number;
  /** Sutherland constant over T0 in the BL viscosity law: 0 as in XFOIL's solver (HVRAT unset) */
  hvrat: number;
  /** Reynolds number referred to stagnation viscosity (XFOIL REYBL) */
  reybl: number;
}

/** Options of `createBlParams`. */
export interface BlParamsInput {
  re: number;
  mach?: number;
  nCrit?: number;
  idamp?: number;
  trTolerance?: number;
  /** Sutherland Ts/T0; default 0 (XFOIL solver behaviour, doc section 13) */
  hvrat?: number;
}

/** Per-case constants as XFOIL's SETBL computes them. */
export function createBlParams(o: BlParamsInput): BlParams {
  const mach = o.mach ?? 0;
  const qinf = 1;
  const beta = Math.sqrt(1 - mach * mach);
  const tkbl = (mach * mach) / ((1 + beta) * (1 + beta));
  const rstbl = Math.pow(1.0 + 0.5 * GM1 * mach * mach, 1.0 / GM1);
  const hstinv = (GM1 * (mach / qinf) * (mach / qinf)) / (1.0 + 0.5 * GM1 * mach * mach);
  const hvrat = o.hvrat ?? 0;
  const herat = 1.0 - 0.5 * qinf * qinf * hstinv;
  const reybl = (o.re * Math.sqrt(herat * herat * herat) * (1.0 + hvrat)) / (herat + hvrat);
  return {
    re: o.re,
    mach,
    nCrit: o.nCrit ?? 9,
    idamp: o.idamp ?? 0,
    trTolerance: o.trTolerance ?? 5e-5,
    xiTrip: new Float64Array([Infinity, Infinity]),
    qinf,
    tkbl,
    rstbl,
    hstinv,
    hvrat,
    reybl,
  };
}

/**
 * All variables of one BL station (XFOIL's COM2 block) with their derivatives. Derivative suffixes:
 * `_uk` w.r.t. the compressible edge speed uk, `_th` w.r.t. theta, `_ds` w.r.t. deltaStar (= D),
 * `_s` w.r.t. s = sqrt(ctau). Preallocate one per station and refill with `blStation`.
 */
export class BlStation {
  /** closure type used for the secondary variables (LAMINAR, TURBULENT, WAKE) */
  type = LAMINAR;
  // ---- primary variables
  xi = 0;
  /** amplification exponent N (meaningful on laminar stations) */
  nAmp = 0;
  /** s = sqrt(ctau) (meaningful on turbulent/wake stations; 0 on laminar ones) */
  s = 0;
  theta = 0;
  /** displacement thickness including the wake gap */
  deltaStar = 0;
  /** wake dead-air gap thickness (0 on the airfoil) */
  wakeGap = 0;
  /** D = deltaStar - wakeGap, the thickness the closures see */
  dNoGap = 0;
  /** incompressible edge speed */
  ue = 0;
  /** compressible (Karman-Tsien) edge speed and duk/due */
  uk = 0;
  uk_ue = 1;
  // ---- kinematic variables (BLKIN)
  me2 = 0;
  me2_uk = 0;
  /** edge density / freestream density */
  rho = 1;
  rho_uk = 0;
  h = 0;
  h_th = 0;
  h_ds = 0;
  /** Hk straight from (H, Me2), before the closure floor (used by TRCHEK2 as XFOIL does) */
  hkRaw = 0;
  /** Hk after the closure floor (1.05 airfoil, 1.00005 wake) */
  hk = 0;
  hk_uk = 0;
  hk_th = 0;
  hk_ds = 0;
  /** unfloored Hk derivatives (TRCHEK2 uses the unfloored Hk) */
  hkRaw_uk = 0;
  hkRaw_th = 0;
  hkRaw_ds = 0;
  ret = 0;
  ret_uk = 0;
  ret_th = 0;
  // ---- secondary variables (BLVAR)
  hss = 0;
  hss_uk = 0;
  hss_th = 0;
  hss_ds = 0;
  hs = 0;
  hs_uk = 0;
  hs_th = 0;
  hs_ds = 0;
  us = 0;
  us_uk = 0;
  us_th = 0;
  us_ds = 0;
  cq = 0;
  cq_uk = 0;
  cq_th = 0;
  cq_ds = 0;
  cf = 0;
  cf_uk = 0;
  cf_th = 0;
  cf_ds = 0;
  di = 0;
  di_s = 0;
  di_uk = 0;
  di_th = 0;
  di_ds = 0;
  delta = 0;
  delta_uk = 0;
  delta_th = 0;
  delta_ds = 0;
}

/** xi_T = transition location and its sensitivities (XFOIL TRCHEK2 output). */
export class TransitionResult {
  /** transition inside the interval (free or forced) */
  tran = false;
  /** forced by the trip */
  forced = false;
  /** free (N reaches nCrit); false when forced wins */
  free = false;
  /** amplification at station 2 from the implicit N2 equation (XFOIL AMPL2 after TRCHEK2) */
  n2 = 0;
  /** transition arc length xi_T */
  xiT = 0;
  /** TRCHEK2 Newton iterations used, and whether |dN2| met the tolerance */
  iterations = 0;
  converged = false;
  /** d xi_T / d(station 1: nAmp, theta, deltaStar, uk, xi) */
  xt_n1 = 0;
  xt_th1 = 0;
  xt_ds1 = 0;
  xt_uk1 = 0;
  xt_xi1 = 0;
  /** d xi_T / d(station 2: theta, deltaStar, uk, xi) */
  xt_th2 = 0;
  xt_ds2 = 0;
  xt_uk2 = 0;
  xt_xi2 = 0;
  /** d xi_T / d xi_trip */
  xt_xf = 0;
  /** interpolated transition state T of the last iterate (kinematics only: uk, theta, D, hkRaw, ret) */
  readonly tState = new BlStation();
}

/** Residuals and Jacobians of one interval; preallocate one per solver and reuse. */
export class BlSystem {
  /** residuals R (rows: lag-or-amplification, momentum, shape) */
  readonly res = new Float64Array(3);
  /** dR/d(station 1 vars), 3x5 row-major, columns (nAmp|s, theta, deltaStar, ue, xi) */
  readonly a1 = new Float64Array(15);
  /** dR/d(station 2 vars), same layout */
  readonly a2 = new Float64Array(15);
  /** dR/d(trip xi) */
  readonly axf = new Float64Array(3);
  /** TE merge only: dR/d(upper TE station vars), same layout as a1 */
  readonly az = new Float64Array(15);
  /** transition data of the last `blTransition` call */
  readonly tr = new TransitionResult();
  /** @internal scratch */
  readonly rA = new Float64Array(3);
  readonly jA1 = new Float64Array(15);
  readonly jA2 = new Float64Array(15);
  readonly rB = new Float64Array(3);
  readonly jB1 = new Float64Array(15);
  readonly jB2 = new Float64Array(15);
  /** d(S_T, theta_T, D_T, uk_T, xi_T)/d(n1 th1 ds1 uk1 xi1 | s2 th2 ds2 uk2 xi2 | xf), 5 x 11 */
  readonly tv = new Float64Array(55);
  readonly stLam = new BlStation();
  readonly stTurb = new BlStation();
}

// ---------------------------------------------------------------------------------------------
// station variables

const c4 = new Float64Array(4);
const c4b = new Float64Array(4);
const c7 = new Float64Array(7);
const c9 = new Float64Array(9);

/**
 * Fill `st` for one station (XFOIL BLPRV + BLKIN + BLVAR(type)); type LAMINAR (also for the
 * similarity station), TURBULENT or WAKE. `ampOrS` is nAmp on a laminar station and s = sqrt(ctau)
 * on a turbulent or wake station; `deltaStar` includes `wakeGap`; `ue` is the incompressible speed.
 */
export function blStation(
  p: BlParams,
  type: number,
  xi: number,
  ampOrS: number,
  theta: number,
  deltaStar: number,
  ue: number,
  wakeGap: number,
  st: BlStation,
): void {
  if (type === SIMILARITY) type = LAMINAR;
  st.xi = xi;
  if (type === LAMINAR) {
    st.nAmp = ampOrS;
    st.s = 0;
  } else {
    st.s = ampOrS;
    st.nAmp = 0;
  }
  st.theta = theta;
  st.deltaStar = deltaStar;
  st.wakeGap = wakeGap;
  st.dNoGap = deltaStar - wakeGap;
  st.ue = ue;
  // Karman-Tsien speed (BLPRV)
  const tk = p.tkbl;
  const uq2 = (ue / p.qinf) * (ue / p.qinf);
  const den = 1.0 - tk * uq2;
  const uk = (ue * (1.0 - tk)) / den;
  st.uk = uk;
  st.uk_ue = (1.0 + tk * ((2.0 * uk * ue) / (p.qinf * p.qinf) - 1.0)) / den;
  blKinematics(p, st);
  blSecondary(type, st);
}

/** BLKIN: Me2, density, H, Hk, Ret (+ derivatives) from st.uk, st.theta, st.dNoGap. */
function blKinematics(p: BlParams, st: BlStation): void {
  const u = st.uk;
  const t = st.theta;
  const hstinv = p.hstinv;
  const m2 = (u * u * hstinv) / (GM1 * (1.0 - 0.5 * u * u * hstinv));
  const tr2 = 1.0 + 0.5 * GM1 * m2;
  const m2U = (2.0 * m2 * tr2) / u;
  const r2 = p.rstbl * Math.pow(tr2, -1.0 / GM1);
  const r2U = (-r2 / tr2) * 0.5 * m2U;
  st.me2 = m2;
  st.me2_uk = m2U;
  st.rho = r2;
  st.rho_uk = r2U;
  const h = st.dNoGap / t;
  st.h = h;
  st.h_ds = 1.0 / t;
  st.h_th = -h / t;
  const herat = 1.0 - 0.5 * u * u * hstinv;
  const heU = -u * hstinv;
  const hv = p.hvrat;
  const v2 = (Math.sqrt(herat * herat * herat) * (1.0 + hv)) / (herat + hv) / p.reybl;
  const v2He = v2 * (1.5 / herat - 1.0 / (herat + hv));
  const v2U = v2He * heU;
  hkin(h, m2, c4);
  const hk = c4[0];
  st.hkRaw = hk;
  st.hkRaw_uk = c4[2] * m2U;
  st.hkRaw_th = c4[1] * st.h_th;
  st.hkRaw_ds = c4[1] * st.h_ds;
  const rt = (r2 * u * t) / v2;
  st.ret = rt;
  st.ret_uk = rt * (1.0 / u + r2U / r2 - v2U / v2);
  st.ret_th = rt / t;
}

/** BLVAR: closures of the given type (with the Hk floor) at a station whose kinematics are set. */
function blSecondary(type: number, st: BlStation): void {
  st.type = type;
  const wake = type === WAKE;
  const hkMin = wake ? 1.00005 : 1.05;
  let hk: number;
  let hkU: number;
  let hkT: number;
  let hkD: number;
  if (st.hkRaw < hkMin) {
    hk = hkMin;
    hkU = 0;
    hkT = 0;
    hkD = 0;
  } else {
    hk = st.hkRaw;
    hkU = st.hkRaw_uk;
    hkT = st.hkRaw_th;
    hkD = st.hkRaw_ds;
  }
  st.hk = hk;
  st.hk_uk = hkU;
  st.hk_th = hkT;
  st.hk_ds = hkD;
  const m2 = st.me2;
  const m2U = st.me2_uk;
  const rt = st.ret;
  const rtU = st.ret_uk;
  const rtT = st.ret_th;
  const h = st.h;
  const hT = st.h_th;
  const hD = st.h_ds;

  // H** (density shape parameter)
  hct(hk, m2, c4);
  st.hss = c4[0];
  st.hss_uk = c4[1] * hkU + c4[2] * m2U;
  st.hss_th = c4[1] * hkT;
  st.hss_ds = c4[1] * hkD;

  // H* (kinetic-energy shape parameter)
  if (type === LAMINAR) hsl(hk, rt, m2, c4);
  else hst(hk, rt, m2, c4);
  const hs = c4[0];
  const hsU = c4[1] * hkU + c4[2] * rtU + c4[3] * m2U;
  const hsT = c4[1] * hkT + c4[2] * rtT;
  const hsD = c4[1] * hkD;
  st.hs = hs;
  st.hs_uk = hsU;
  st.hs_th = hsT;
  st.hs_ds = hsD;

  // slip velocity Us
  slipVelocity(hs, hk, h, wake, c4);
  const us = c4[0];
  const usU = c4[1] * hsU + c4[2] * hkU;
  const usT = c4[1] * hsT + c4[2] * hkT + c4[3] * hT;
  const usD = c4[1] * hsD + c4[2] * hkD + c4[3] * hD;
  st.us = us;
  st.us_uk = usU;
  st.us_th = usT;
  st.us_ds = usD;

  // sqrt(Ctau_eq)
  ctauEqSqrt(hs, us, hk, h, rt, type === TURBULENT, c7);
  st.cq = c7[0];
  st.cq_uk = c7[1] * hsU + c7[2] * usU + c7[3] * hkU + c7[5] * rtU;
  st.cq_th = c7[1] * hsT + c7[2] * usT + c7[3] * hkT + c7[4] * hT + c7[5] * rtT;
  st.cq_ds = c7[1] * hsD + c7[2] * usD + c7[3] * hkD + c7[4] * hD;

  // skin friction
  let cfHk = 0;
  let cfRt = 0;
  let cfM2 = 0;
  // turbulent Cf and its partials (turbulent airfoil station; reused by the dissipation below)
  let cfTurb = 0;
  let cfTurbHk = 0;
  let cfTurbRt = 0;
  let cfTurbM2 = 0;
  if (wake) {
    st.cf = 0;
  } else if (type === LAMINAR) {
    st.cf = cfl(hk, rt, m2, c4);
    cfHk = c4[1];
    cfRt = c4[2];
    cfM2 = c4[3];
  } else {
    cfTurb = cft(hk, rt, m2, c4);
    cfTurbHk = c4[1];
    cfTurbRt = c4[2];
    cfTurbM2 = c4[3];
    st.cf = cfTurb;
    cfHk = cfTurbHk;
    cfRt = cfTurbRt;
    cfM2 = cfTurbM2;
    const cfLam = cfl(hk, rt, m2, c4b);
    if (cfLam > st.cf) {
      st.cf = cfLam;
      cfHk = c4b[1];
      cfRt = c4b[2];
      cfM2 = c4b[3];
    }
  }
  st.cf_uk = cfHk * hkU + cfRt * rtU + cfM2 * m2U;
  st.cf_th = cfHk * hkT + cfRt * rtT;
  st.cf_ds = cfHk * hkD;

  // dissipation 2 CD/H*
  if (type === LAMINAR) {
    st.di = dil(hk, rt, c4);
    st.di_s = 0;
    st.di_uk = c4[1] * hkU + c4[2] * rtU;
    st.di_th = c4[1] * hkT + c4[2] * rtT;
    st.di_ds = c4[1] * hkD;
  } else {
    let cftv = 0;
    let cftU = 0;
    let cftT = 0;
    let cftD = 0;
    if (!wake) {
      cftv = cfTurb;
      cftU = cfTurbHk * hkU + cfTurbRt * rtU + cfTurbM2 * m2U;
      cftT = cfTurbHk * hkT + cfTurbRt * rtT;
      cftD = cfTurbHk * hkD;
    }
    diTurbulent(hk, hs, us, cftv, rt, st.s, !wake, c7);
    let di = c7[0];
    let diS = c7[6];
    let diU = c7[1] * hkU + c7[2] * hsU + c7[3] * usU + c7[4] * cftU + c7[5] * rtU;
    let diT = c7[1] * hkT + c7[2] * hsT + c7[3] * usT + c7[4] * cftT + c7[5] * rtT;
    let diD = c7[1] * hkD + c7[2] * hsD + c7[3] * usD + c7[4] * cftD;
    const diLam = wake ? dilw(hk, rt, c4) : dil(hk, rt, c4);
    if (diLam > di) {
      di = diLam;
      diS = 0;
      diU = c4[1] * hkU + c4[2] * rtU;
      diT = c4[1] * hkT + c4[2] * rtT;
      diD = c4[1] * hkD;
    }
    if (wake) {
      // two wake halves
      di *= 2.0;
      diS *= 2.0;
      diU *= 2.0;
      diT *= 2.0;
      diD *= 2.0;
    }
    st.di = di;
    st.di_s = diS;
    st.di_uk = diU;
    st.di_th = diT;
    st.di_ds = diD;
  }

  // BL thickness delta
  blThickness(hk, st.theta, st.dNoGap, c4);
  st.delta = c4[0];
  st.delta_uk = c4[1] * hkU;
  st.delta_th = c4[1] * hkT + c4[2];
  st.delta_ds = c4[1] * hkD + c4[3];
}

// ---------------------------------------------------------------------------------------------
// interval differences (BLMID + BLDIF), in compressible-speed columns

/**
 * BLMID + BLDIF between stations a ("1") and b ("2"); ityp 0 (similarity, a === b), 1, 2, 3.
 * Writes r (R, positive) and j1, j2 (dR/d(vars), column 3 w.r.t. uk). Row 0 is skipped when
 * `skipRow0` (laminar part of a transition interval).
 */
function bldif(
  p: BlParams,
  ityp: number,
  a: BlStation,
  b: BlStation,
  r: Float64Array,
  j1: Float64Array,
  j2: Float64Array,
  skipRow0: boolean,
): void {
  for (let i = 0; i < 15; i++) {
    j1[i] = 0;
    j2[i] = 0;
  }
  const x1 = a.xi;
  const x2 = b.xi;
  const u1 = a.uk;
  const u2 = b.uk;
  const t1 = a.theta;
  const t2 = b.theta;
  let xlog: number;
  let ulog: number;
  let tlog: number;
  let hlog: number;
  let ddlog: number;
  if (ityp === SIMILARITY) {
    // similarity logarithmic differences (BULE = 1)
    xlog = 1.0;
    ulog = 1.0;
    tlog = 0.0;
    hlog = 0.0;
    ddlog = 0.0;
  } else {
    xlog = Math.log(x2 / x1);
    ulog = Math.log(u2 / u1);
    tlog = Math.log(t2 / t1);
    hlog = Math.log(b.hs / a.hs);
    ddlog = 1.0;
  }
  const hk1 = a.hk;
  const hk2 = b.hk;

  // ---- local upwinding from the change of ln(Hk - 1)
  const hdcon = (ityp === WAKE ? 1.0 : 5.0) / (hk2 * hk2);
  const hdHk2 = (-hdcon * 2.0) / hk2;
  const hl = Math.log(Math.abs((hk2 - 1.0) / (hk1 - 1.0)));
  const hlHk1 = -1.0 / (hk1 - 1.0);
  const hlHk2 = 1.0 / (hk2 - 1.0);
  const hl2 = hl * hl;
  const hlsq = Math.min(hl2, 15.0);
  const ehh = Math.exp(-hlsq * hdcon);
  const upw = 1.0 - 0.5 * ehh;
  const upwHl = hl2 < 15.0 ? ehh * hl * hdcon : 0.0;
  const upwHd = 0.5 * ehh * hlsq;
  const upwHk1 = upwHl * hlHk1;
  const upwHk2 = upwHl * hlHk2 + upwHd * hdHk2;
  const upwU1 = upwHk1 * a.hk_uk;
  const upwT1 = upwHk1 * a.hk_th;
  const upwD1 = upwHk1 * a.hk_ds;
  const upwU2 = upwHk2 * b.hk_uk;
  const upwT2 = upwHk2 * b.hk_th;
  const upwD2 = upwHk2 * b.hk_ds;
  const wu1 = 1.0 - upw;

  // ---- row 0
  if (skipRow0) {
    r[0] = 0;
  } else if (ityp === SIMILARITY) {
    // N = 0 at the stagnation (similarity) station
    j2[0] = 1.0;
    r[0] = b.nAmp;
  } else if (ityp === LAMINAR) {
    // amplification equation N2 - N1 - AXbar dxi = 0
    axset(a.hk, t1, a.ret, a.nAmp, b.hk, t2, b.ret, b.nAmp, p.nCrit, p.idamp, c9);
    const ax = c9[0];
    r[0] = b.nAmp - a.nAmp - ax * (x2 - x1);
    const zax = -(x2 - x1);
    j1[0] = zax * c9[4] - 1.0;
    j1[1] = zax * (c9[1] * a.hk_th + c9[2] + c9[3] * a.ret_th);
    j1[2] = zax * (c9[1] * a.hk_ds);
    j1[3] = zax * (c9[1] * a.hk_uk + c9[3] * a.ret_uk);
    j1[4] = ax;
    j2[0] = zax * c9[8] + 1.0;
    j2[1] = zax * (c9[5] * b.hk_th + c9[6] + c9[7] * b.ret_th);
    j2[2] = zax * (c9[5] * b.hk_ds);
    j2[3] = zax * (c9[5] * b.hk_uk + c9[7] * b.ret_uk);
    j2[4] = -ax;
  } else {
    // shear-lag equation
    const s1 = a.s;
    const s2 = b.s;
    const sa = wu1 * s1 + upw * s2;
    const cqa = wu1 * a.cq + upw * b.cq;
    const cfa = wu1 * a.cf + upw * b.cf;
    const hka = wu1 * hk1 + upw * hk2;
    const usa = 0.5 * (a.us + b.us);
    const rta = 0.5 * (a.ret + b.ret);
    const dea = 0.5 * (a.delta + b.delta);
    const da = 0.5 * (a.dNoGap + b.dNoGap);
    const wake = ityp === WAKE;
    const ald = wake ? DLCON : 1.0;
    uqEquilibrium(cfa, hka, rta, da, wake, c9);
    const uq = c9[0];
    const uqCfa = c9[1];
    const uqHka = c9[2];
    const uqRta = c9[3];
    const uqDa = c9[4];
    const scc = (SCCON * 1.333) / (1.0 + usa);
    const sccUsa = -scc / (1.0 + usa);
    const slog = Math.log(s2 / s1);
    const dxi = x2 - x1;
    const src = cqa - sa * ald;
    r[0] = scc * src * dxi - dea * 2.0 * slog + dea * 2.0 * (uq * dxi - ulog) * DUXCON;

    const zCfa = dea * 2.0 * uqCfa * dxi * DUXCON;
    const zHka = dea * 2.0 * uqHka * dxi * DUXCON;
    const zRta = dea * 2.0 * uqRta * dxi * DUXCON;
    const zDa = dea * 2.0 * uqDa * dxi * DUXCON;
    const zSl = -dea * 2.0;
    const zUl = -dea * 2.0 * DUXCON;
    const zDxi = scc * src + dea * 2.0 * uq * DUXCON;
    const zUsa = sccUsa * src * dxi;
    const zCqa = scc * dxi;
    const zSa = -scc * dxi * ald;
    const zDea = 2.0 * ((uq * dxi - ulog) * DUXCON - slog);
    const zUpw = zCqa * (b.cq - a.cq) + zSa * (s2 - s1) + zCfa * (b.cf - a.cf) + zHka * (hk2 - hk1);
    const zDe = 0.5 * zDea;
    const zUs = 0.5 * zUsa;
    const zD = 0.5 * zDa;
    const zRt = 0.5 * zRta;
    const zCq1 = wu1 * zCqa;
    const zCq2 = upw * zCqa;
    const zCf1 = wu1 * zCfa;
    const zCf2 = upw * zCfa;
    const zHk1 = wu1 * zHka;
    const zHk2 = upw * zHka;

    j1[0] = wu1 * zSa - zSl / s1;
    j1[1] =
      zUpw * upwT1 +
      zDe * a.delta_th +
      zUs * a.us_th +
      zCq1 * a.cq_th +
      zCf1 * a.cf_th +
      zHk1 * a.hk_th +
      zRt * a.ret_th;
    j1[2] =
      zD + zUpw * upwD1 + zDe * a.delta_ds + zUs * a.us_ds + zCq1 * a.cq_ds + zCf1 * a.cf_ds + zHk1 * a.hk_ds;
    j1[3] =
      -zUl / u1 +
      zUpw * upwU1 +
      zDe * a.delta_uk +
      zUs * a.us_uk +
      zCq1 * a.cq_uk +
      zCf1 * a.cf_uk +
      zHk1 * a.hk_uk +
      zRt * a.ret_uk;
    j1[4] = -zDxi;
    j2[0] = upw * zSa + zSl / s2;
    j2[1] =
      zUpw * upwT2 +
      zDe * b.delta_th +
      zUs * b.us_th +
      zCq2 * b.cq_th +
      zCf2 * b.cf_th +
      zHk2 * b.hk_th +
      zRt * b.ret_th;
    j2[2] =
      zD + zUpw * upwD2 + zDe * b.delta_ds + zUs * b.us_ds + zCq2 * b.cq_ds + zCf2 * b.cf_ds + zHk2 * b.hk_ds;
    j2[3] =
      zUl / u2 +
      zUpw * upwU2 +
      zDe * b.delta_uk +
      zUs * b.us_uk +
      zCq2 * b.cq_uk +
      zCf2 * b.cf_uk +
      zHk2 * b.hk_uk +
      zRt * b.ret_uk;
    j2[4] = zDxi;
  }

  // ---- midpoint skin friction (BLMID) at the mean (Hk, Ret, Me2)
  let cfm = 0;
  let cfmHka = 0;
  let cfmRta = 0;
  let cfmMa = 0;
  if (ityp !== WAKE) {
    const hka = 0.5 * (hk1 + hk2);
    const rta = 0.5 * (a.ret + b.ret);
    const ma = 0.5 * (a.me2 + b.me2);
    if (ityp === TURBULENT) {
      cfm = cft(hka, rta, ma, c4);
      cfmHka = c4[1];
      cfmRta = c4[2];
      cfmMa = c4[3];
      const cfmL = cfl(hka, rta, ma, c4b);
      if (cfmL > cfm) {
        cfm = cfmL;
        cfmHka = c4b[1];
        cfmRta = c4b[2];
        cfmMa = c4b[3];
      }
    } else {
      cfm = cfl(hka, rta, ma, c4);
      cfmHka = c4[1];
      cfmRta = c4[2];
      cfmMa = c4[3];
    }
  }
  const cfmU1 = 0.5 * (cfmHka * a.hk_uk + cfmMa * a.me2_uk + cfmRta * a.ret_uk);
  const cfmT1 = 0.5 * (cfmHka * a.hk_th + cfmRta * a.ret_th);
  const cfmD1 = 0.5 * (cfmHka * a.hk_ds);
  const cfmU2 = 0.5 * (cfmHka * b.hk_uk + cfmMa * b.me2_uk + cfmRta * b.ret_uk);
  const cfmT2 = 0.5 * (cfmHka * b.hk_th + cfmRta * b.ret_th);
  const cfmD2 = 0.5 * (cfmHka * b.hk_ds);

  // ---- momentum equation
  const dw1 = a.wakeGap;
  const dw2 = b.wakeGap;
  {
    const ha = 0.5 * (a.h + b.h);
    const ma = 0.5 * (a.me2 + b.me2);
    const xa = 0.5 * (x1 + x2);
    const ta = 0.5 * (t1 + t2);
    const hwa = 0.5 * (dw1 / t1 + dw2 / t2);
    const cf1 = a.cf;
    const cf2 = b.cf;
    const cfx = (0.5 * cfm * xa) / ta + 0.25 * ((cf1 * x1) / t1 + (cf2 * x2) / t2);
    const cfxXa = (0.5 * cfm) / ta;
    const cfxTa = (-0.5 * cfm * xa) / (ta * ta);
    const cfxX1 = (0.25 * cf1) / t1 + cfxXa * 0.5;
    const cfxX2 = (0.25 * cf2) / t2 + cfxXa * 0.5;
    const cfxT1 = (-0.25 * cf1 * x1) / (t1 * t1) + cfxTa * 0.5;
    const cfxT2 = (-0.25 * cf2 * x2) / (t2 * t2) + cfxTa * 0.5;
    const cfxCf1 = (0.25 * x1) / t1;
    const cfxCf2 = (0.25 * x2) / t2;
    const cfxCfm = (0.5 * xa) / ta;
    const btmp = ha + 2.0 - ma + hwa;
    r[1] = tlog + btmp * ulog - xlog * 0.5 * cfx;
    const zCfx = -xlog * 0.5;
    const zHa = ulog;
    const zHwa = ulog;
    const zMa = -ulog;
    const zXl = -ddlog * 0.5 * cfx;
    const zUl = ddlog * btmp;
    const zTl = ddlog;
    const zCfm = zCfx * cfxCfm;
    const zCf1 = zCfx * cfxCf1;
    const zCf2 = zCfx * cfxCf2;
    const zT1 = -zTl / t1 + zCfx * cfxT1 + zHwa * 0.5 * (-dw1 / (t1 * t1));
    const zT2 = zTl / t2 + zCfx * cfxT2 + zHwa * 0.5 * (-dw2 / (t2 * t2));
    const zX1 = -zXl / x1 + zCfx * cfxX1;
    const zX2 = zXl / x2 + zCfx * cfxX2;
    const zU1 = -zUl / u1;
    const zU2 = zUl / u2;
    j1[6] = 0.5 * zHa * a.h_th + zCfm * cfmT1 + zCf1 * a.cf_th + zT1;
    j1[7] = 0.5 * zHa * a.h_ds + zCfm * cfmD1 + zCf1 * a.cf_ds;
    j1[8] = 0.5 * zMa * a.me2_uk + zCfm * cfmU1 + zCf1 * a.cf_uk + zU1;
    j1[9] = zX1;
    j2[6] = 0.5 * zHa * b.h_th + zCfm * cfmT2 + zCf2 * b.cf_th + zT2;
    j2[7] = 0.5 * zHa * b.h_ds + zCfm * cfmD2 + zCf2 * b.cf_ds;
    j2[8] = 0.5 * zMa * b.me2_uk + zCfm * cfmU2 + zCf2 * b.cf_uk + zU2;
    j2[9] = zX2;
  }

  // ---- shape-parameter (kinetic energy) equation
  {
    const xot1 = x1 / t1;
    const xot2 = x2 / t2;
    const ha = 0.5 * (a.h + b.h);
    const hsa = 0.5 * (a.hs + b.hs);
    const hca = 0.5 * (a.hss + b.hss);
    const hwa = 0.5 * (dw1 / t1 + dw2 / t2);
    const di1 = a.di;
    const di2 = b.di;
    const cf1 = a.cf;
    const cf2 = b.cf;
    const dix = wu1 * di1 * xot1 + upw * di2 * xot2;
    const cfx = wu1 * cf1 * xot1 + upw * cf2 * xot2;
    const dixUpw = di2 * xot2 - di1 * xot1;
    const cfxUpw = cf2 * xot2 - cf1 * xot1;
    const btmp = (2.0 * hca) / hsa + 1.0 - ha - hwa;
    r[2] = hlog + btmp * ulog + xlog * (0.5 * cfx - dix);
    const zCfx = xlog * 0.5;
    const zDix = -xlog;
    const zHca = (2.0 * ulog) / hsa;
    const zHa = -ulog;
    const zHwa = -ulog;
    const zXl = ddlog * (0.5 * cfx - dix);
    const zUl = ddlog * btmp;
    const zHl = ddlog;
    const zUpw = zCfx * cfxUpw + zDix * dixUpw;
    const zHs1 = (-hca * ulog) / (hsa * hsa) - zHl / a.hs;
    const zHs2 = (-hca * ulog) / (hsa * hsa) + zHl / b.hs;
    const zCf1 = wu1 * zCfx * xot1;
    const zCf2 = upw * zCfx * xot2;
    const zDi1 = wu1 * zDix * xot1;
    const zDi2 = upw * zDix * xot2;
    const zT1 = wu1 * (zCfx * cf1 + zDix * di1) * (-xot1 / t1) + zHwa * 0.5 * (-dw1 / (t1 * t1));
    const zT2 = upw * (zCfx * cf2 + zDix * di2) * (-xot2 / t2) + zHwa * 0.5 * (-dw2 / (t2 * t2));
    const zX1 = (wu1 * (zCfx * cf1 + zDix * di1)) / t1 - zXl / x1;
    const zX2 = (upw * (zCfx * cf2 + zDix * di2)) / t2 + zXl / x2;
    const zU1 = -zUl / u1;
    const zU2 = zUl / u2;
    j1[10] = zDi1 * a.di_s;
    j1[11] =
      zHs1 * a.hs_th +
      zCf1 * a.cf_th +
      zDi1 * a.di_th +
      zT1 +
      0.5 * (zHca * a.hss_th + zHa * a.h_th) +
      zUpw * upwT1;
    j1[12] =
      zHs1 * a.hs_ds +
      zCf1 * a.cf_ds +
      zDi1 * a.di_ds +
      0.5 * (zHca * a.hss_ds + zHa * a.h_ds) +
      zUpw * upwD1;
    j1[13] = zHs1 * a.hs_uk + zCf1 * a.cf_uk + zDi1 * a.di_uk + zU1 + 0.5 * (zHca * a.hss_uk) + zUpw * upwU1;
    j1[14] = zX1;
    j2[10] = zDi2 * b.di_s;
    j2[11] =
      zHs2 * b.hs_th +
      zCf2 * b.cf_th +
      zDi2 * b.di_th +
      zT2 +
      0.5 * (zHca * b.hss_th + zHa * b.h_th) +
      zUpw * upwT2;
    j2[12] =
      zHs2 * b.hs_ds +
      zCf2 * b.cf_ds +
      zDi2 * b.di_ds +
      0.5 * (zHca * b.hss_ds + zHa * b.h_ds) +
      zUpw * upwD2;
    j2[13] = zHs2 * b.hs_uk + zCf2 * b.cf_uk + zDi2 * b.di_uk + zU2 + 0.5 * (zHca * b.hss_uk) + zUpw * upwU2;
    j2[14] = zX2;
  }
}

/** Chain column 3 (d/duk) to the incompressible ue of each station (XFOIL BLSYS). */
function toIncompressible(sys: BlSystem, a: BlStation, b: BlStation): void {
  for (let k = 0; k < 3; k++) {
    sys.a1[5 * k + 3] *= a.uk_ue;
    sys.a2[5 * k + 3] *= b.uk_ue;
  }
}

// ---------------------------------------------------------------------------------------------
// public interval systems

/**
 * Residuals and Jacobians of a regular interval st1 -> st2 (XFOIL BLSYS with BLDIF(kind)):
 * kind = LAMINAR (rows: amplification, momentum, shape), TURBULENT or WAKE (rows: shear lag,
 * momentum, shape). Both stations must have been filled by `blStation` (station 2 with `kind`'s
 * closures). Writes sys.res, sys.a1, sys.a2; sys.axf = 0.
 */
export function blInterval(p: BlParams, kind: number, st1: BlStation, st2: BlStation, sys: BlSystem): void {
  bldif(p, kind, st1, st2, sys.res, sys.a1, sys.a2, false);
  sys.axf[0] = 0;
  sys.axf[1] = 0;
  sys.axf[2] = 0;
  toIncompressible(sys, st1, st2);
}

/**
 * Similarity (stagnation) station system of the first BL station of a side (XFOIL BLDIF(0) with
 * station 1 := station 2, ln(xi2/xi1) -> 1, ln(ue2/ue1) -> 1, ln(th2/th1) -> 0, ln(Hs2/Hs1) -> 0):
 * rows N = 0, momentum, shape. `st` filled by `blStation(p, LAMINAR, ...)`. Jacobian in sys.a2
 * (sys.a1 = 0).
 */
export function blSimilarity(p: BlParams, st: BlStation, sys: BlSystem): void {
  bldif(p, SIMILARITY, st, st, sys.res, sys.a1, sys.a2, false);
  for (let i = 0; i < 15; i++) {
    sys.a2[i] += sys.a1[i];
    sys.a1[i] = 0;
  }
  for (let k = 0; k < 3; k++) {
    sys.a2[5 * k + 3] *= st.uk_ue;
    sys.axf[k] = 0;
  }
}

/**
 * XFOIL TRCHEK2: solve the implicit amplification equation N2 - N1 = AXbar(1, T) (xi2 - xi1) for N2
 * (Newton from N1 + AXbar(1, 2)(xi2 - xi1) evaluated with station-2 amplification `n2Guess`; steps
 * limited to |dN2| <= 1 and |d xi_T| <= 0.05 (xi2 - xi1), a step crossing nCrit lands on nCrit, stop at
 * |dN2| < p.trTolerance, at most 30 iterations, stop if AX <= 0), decide free/forced transition and
 * linearize xi_T. st1 = laminar station 1 (filled with LAMINAR closures), st2 = station 2 (only its
 * theta, deltaStar, uk, xi and unfloored Hk/Ret are used). Returns tr.tran.
 */
export function trchek2(
  p: BlParams,
  st1: BlStation,
  st2: BlStation,
  n2Guess: number,
  xiForced: number,
  tr: TransitionResult,
): boolean {
  const x1 = st1.xi;
  const x2 = st2.xi;
  const t1 = st1.theta;
  const t2 = st2.theta;
  const d1 = st1.dNoGap;
  const d2 = st2.dNoGap;
  const u1 = st1.uk;
  const u2 = st2.uk;
  const a1 = st1.nAmp;
  const nCrit = p.nCrit;
  const dx = x2 - x1;
  const ts = tr.tState;
  ts.wakeGap = st2.wakeGap;
  const ax9 = c9;

  axset(st1.hk, t1, st1.ret, a1, st2.hkRaw, t2, st2.ret, n2Guess, nCrit, p.idamp, ax9);
  let ampl2 = a1 + ax9[0] * dx;

  // quantities of the last iterate, kept for the linearization
  let amplt = 0;
  let ampltA2 = 0;
  let wf1 = 0;
  let wf2 = 0;
  let wf2A1 = 0;
  let wf2A2 = 0;
  let wf2X1 = 0;
  let wf2X2 = 0;
  let wf2Xf = 0;
  let xt = 0;
  let xtA2 = 0;
  let ttA2 = 0;
  let dtA2 = 0;
  let utA2 = 0;
  let ax = 0;
  let converged = false;
  let it = 0;
  for (it = 1; it <= 30; it++) {
    let sfa: number;
    let sfaA1: number;
    let sfaA2: number;
    if (ampl2 <= nCrit) {
      amplt = ampl2;
      ampltA2 = 1.0;
      sfa = 1.0;
      sfaA1 = 0;
      sfaA2 = 0;
    } else {
      amplt = nCrit;
      ampltA2 = 0;
      sfa = (amplt - a1) / (ampl2 - a1);
      sfaA1 = (sfa - 1.0) / (ampl2 - a1);
      sfaA2 = -sfa / (ampl2 - a1);
    }
    let sfx: number;
    let sfxX1: number;
    let sfxX2: number;
    let sfxXf: number;
    if (xiForced < x2) {
      sfx = (xiForced - x1) / dx;
      sfxX1 = (sfx - 1.0) / dx;
      sfxX2 = -sfx / dx;
      sfxXf = 1.0 / dx;
    } else {
      sfx = 1.0;
      sfxX1 = 0;
      sfxX2 = 0;
      sfxXf = 0;
    }
    if (sfa < sfx) {
      wf2 = sfa;
      wf2A1 = sfaA1;
      wf2A2 = sfaA2;
      wf2X1 = 0;
      wf2X2 = 0;
      wf2Xf = 0;
    } else {
      wf2 = sfx;
      wf2A1 = 0;
      wf2A2 = 0;
      wf2X1 = sfxX1;
      wf2X2 = sfxX2;
      wf2Xf = sfxXf;
    }
    wf1 = 1.0 - wf2;
    const wf1A2 = -wf2A2;
    xt = x1 * wf1 + x2 * wf2;
    const tt = t1 * wf1 + t2 * wf2;
    const dt = d1 * wf1 + d2 * wf2;
    const ut = u1 * wf1 + u2 * wf2;
    xtA2 = x1 * wf1A2 + x2 * wf2A2;
    ttA2 = t1 * wf1A2 + t2 * wf2A2;
    dtA2 = d1 * wf1A2 + d2 * wf2A2;
    utA2 = u1 * wf1A2 + u2 * wf2A2;

    // kinematics of the interpolated state T
    ts.xi = xt;
    ts.theta = tt;
    ts.dNoGap = dt;
    ts.deltaStar = dt + ts.wakeGap;
    ts.uk = ut;
    blKinematics(p, ts);

    axset(st1.hk, t1, st1.ret, a1, ts.hkRaw, tt, ts.ret, amplt, nCrit, p.idamp, ax9);
    ax = ax9[0];
    if (ax <= 0.0) break;
    const axA2 =
      (ax9[5] * ts.hkRaw_th + ax9[6] + ax9[7] * ts.ret_th) * ttA2 +
      ax9[5] * ts.hkRaw_ds * dtA2 +
      (ax9[5] * ts.hkRaw_uk + ax9[7] * ts.ret_uk) * utA2 +
      ax9[8] * ampltA2;
    const res = ampl2 - a1 - ax * dx;
    const resA2 = 1.0 - axA2 * dx;
    const da2 = -res / resA2;
    let rlx = 1.0;
    const dxt = xtA2 * da2;
    if (rlx * Math.abs(dxt / dx) > 0.05) rlx = 0.05 * Math.abs(dx / dxt);
    if (rlx * Math.abs(da2) > 1.0) rlx = 1.0 * Math.abs(1.0 / da2);
    if (Math.abs(da2) < p.trTolerance) {
      converged = true;
      break;
    }
    if ((ampl2 > nCrit && ampl2 + rlx * da2 < nCrit) || (ampl2 < nCrit && ampl2 + rlx * da2 > nCrit)) {
      ampl2 = nCrit;
    } else {
      ampl2 = ampl2 + rlx * da2;
    }
  }
  tr.iterations = Math.min(it, 30);
  tr.converged = converged;
  tr.n2 = ampl2;

  let trfree = ampl2 >= nCrit;
  let trforc = xiForced > x1 && xiForced <= x2;
  tr.tran = trforc || trfree;
  tr.xiT = xt;
  if (!tr.tran) {
    tr.forced = false;
    tr.free = false;
    return false;
  }
  if (trfree && trforc) {
    trforc = xiForced < xt;
    trfree = xiForced >= xt;
  }
  tr.forced = trforc;
  tr.free = trfree;
  if (trforc) {
    tr.xiT = xiForced;
    tr.xt_n1 = 0;
    tr.xt_th1 = 0;
    tr.xt_ds1 = 0;
    tr.xt_uk1 = 0;
    tr.xt_xi1 = 0;
    tr.xt_th2 = 0;
    tr.xt_ds2 = 0;
    tr.xt_uk2 = 0;
    tr.xt_xi2 = 0;
    tr.xt_xf = 1.0;
    return true;
  }

  // ---- free transition: sensitivities of xi_T with N2 implicit
  const wf1A1 = -wf2A1;
  const wf1X1 = -wf2X1;
  const wf1X2 = -wf2X2;
  const wf1Xf = -wf2Xf;
  const ttT1 = wf1;
  const dtD1 = wf1;
  const utU1 = wf1;
  const ttT2 = wf2;
  const dtD2 = wf2;
  const utU2 = wf2;
  const xtA1 = x1 * wf1A1 + x2 * wf2A1;
  const ttA1 = t1 * wf1A1 + t2 * wf2A1;
  const dtA1 = d1 * wf1A1 + d2 * wf2A1;
  const utA1 = u1 * wf1A1 + u2 * wf2A1;
  const xtX1 = x1 * wf1X1 + x2 * wf2X1 + wf1;
  const ttX1 = t1 * wf1X1 + t2 * wf2X1;
  const dtX1 = d1 * wf1X1 + d2 * wf2X1;
  const utX1 = u1 * wf1X1 + u2 * wf2X1;
  const xtX2 = x1 * wf1X2 + x2 * wf2X2 + wf2;
  const ttX2 = t1 * wf1X2 + t2 * wf2X2;
  const dtX2 = d1 * wf1X2 + d2 * wf2X2;
  const utX2 = u1 * wf1X2 + u2 * wf2X2;
  const xtXf = x1 * wf1Xf + x2 * wf2Xf;
  const ttXf = t1 * wf1Xf + t2 * wf2Xf;
  const dtXf = d1 * wf1Xf + d2 * wf2Xf;
  const utXf = u1 * wf1Xf + u2 * wf2Xf;

  // AX = AX(HK1, T1, RT1, A1, HKT, TT, RTT, AT) of the last iterate
  const axHk1 = ax9[1];
  const axRt1 = ax9[3];
  const aT = ax9[5] * ts.hkRaw_th + ax9[6] + ax9[7] * ts.ret_th;
  const aD = ax9[5] * ts.hkRaw_ds;
  const aU = ax9[5] * ts.hkRaw_uk + ax9[7] * ts.ret_uk;
  const axT1 = axHk1 * st1.hk_th + ax9[2] + axRt1 * st1.ret_th + aT * ttT1;
  const axD1 = axHk1 * st1.hk_ds + aD * dtD1;
  const axU1 = axHk1 * st1.hk_uk + axRt1 * st1.ret_uk + aU * utU1;
  const axA1 = ax9[4] + aT * ttA1 + aD * dtA1 + aU * utA1;
  const axX1 = aT * ttX1 + aD * dtX1 + aU * utX1;
  const axT2 = aT * ttT2;
  const axD2 = aD * dtD2;
  const axU2 = aU * utU2;
  const axA2 = ax9[8] * ampltA2 + aT * ttA2 + aD * dtA2 + aU * utA2;
  const axX2 = aT * ttX2 + aD * dtX2 + aU * utX2;
  const axXf = aT * ttXf + aD * dtXf + aU * utXf;

  const zAx = -dx;
  const zA1 = zAx * axA1 - 1.0;
  const zA2 = zAx * axA2 + 1.0;
  const f = xtA2 / zA2;
  tr.xt_n1 = xtA1 - f * zA1;
  tr.xt_th1 = -f * (zAx * axT1);
  tr.xt_ds1 = -f * (zAx * axD1);
  tr.xt_uk1 = -f * (zAx * axU1);
  tr.xt_xi1 = xtX1 - f * (zAx * axX1 + ax);
  tr.xt_th2 = -f * (zAx * axT2);
  tr.xt_ds2 = -f * (zAx * axD2);
  tr.xt_uk2 = -f * (zAx * axU2);
  tr.xt_xi2 = xtX2 - f * (zAx * axX2 - ax);
  tr.xt_xf = xtXf - f * (zAx * axXf);
  return true;
}

/**
 * Transition interval (XFOIL TRCHEK2 + TRDIF): laminar part [xi1, xi_T] (momentum and shape rows)
 * plus turbulent part [xi_T, xi2] (lag, momentum, shape rows) with the state at T interpolated
 * linearly (theta, D, uk) and S_T = CTRCON exp(-CTRCEX/(Hk_T - 1)) CQ_T. st1 = laminar station
 * (LAMINAR closures, carries nAmp), st2 = first turbulent station (TURBULENT closures, carries s).
 * `n2Guess` = station-2 amplification used for TRCHEK2's starting rate (XFOIL SETBL passes the
 * upstream station's N); `xiForced` = trip xi of this side (p.xiTrip[side]).
 * Returns false (and leaves res/a1/a2 untouched) when TRCHEK2 finds no transition in the interval;
 * sys.tr then holds N2. Jacobian columns for station 1 start with nAmp1, for station 2 with s2;
 * xi_T's dependence on every station variable is included (transition motion).
 */
export function blTransition(
  p: BlParams,
  st1: BlStation,
  st2: BlStation,
  n2Guess: number,
  xiForced: number,
  sys: BlSystem,
): boolean {
  const tr = sys.tr;
  if (!trchek2(p, st1, st2, n2Guess, xiForced, tr)) return false;

  const x1 = st1.xi;
  const x2 = st2.xi;
  const dx = x2 - x1;
  const xt = tr.xiT;
  // d(var)/d(n1 th1 ds1 uk1 xi1 | s2 th2 ds2 uk2 xi2 | xf): rows of tv = S_T, TT, DT, UT, XT
  const tv = sys.tv;
  const XT = 44;
  tv[XT + 0] = tr.xt_n1;
  tv[XT + 1] = tr.xt_th1;
  tv[XT + 2] = tr.xt_ds1;
  tv[XT + 3] = tr.xt_uk1;
  tv[XT + 4] = tr.xt_xi1;
  tv[XT + 5] = 0;
  tv[XT + 6] = tr.xt_th2;
  tv[XT + 7] = tr.xt_ds2;
  tv[XT + 8] = tr.xt_uk2;
  tv[XT + 9] = tr.xt_xi2;
  tv[XT + 10] = tr.xt_xf;
  const wf2 = (xt - x1) / dx;
  const wf1 = 1.0 - wf2;
  const wf2Xt = 1.0 / dx;
  // interpolated primaries and their sensitivities
  const TT = 11;
  const DT = 22;
  const UT = 33;
  const t1 = st1.theta;
  const t2 = st2.theta;
  const d1 = st1.dNoGap;
  const d2 = st2.dNoGap;
  const u1 = st1.uk;
  const u2 = st2.uk;
  for (let i = 0; i < 11; i++) {
    let w2 = wf2Xt * tv[XT + i];
    if (i === 4) w2 += (wf2 - 1.0) / dx;
    else if (i === 9) w2 -= wf2 / dx;
    // wf1_i = -w2
    tv[TT + i] = (t2 - t1) * w2;
    tv[DT + i] = (d2 - d1) * w2;
    tv[UT + i] = (u2 - u1) * w2;
  }
  tv[TT + 1] += wf1;
  tv[TT + 6] += wf2;
  tv[DT + 2] += wf1;
  tv[DT + 7] += wf2;
  tv[UT + 3] += wf1;
  tv[UT + 8] += wf2;
  const tt = t1 * wf1 + t2 * wf2;
  const dt = d1 * wf1 + d2 * wf2;
  const ut = u1 * wf1 + u2 * wf2;

  // ---- laminar part X1 .. XT
  const sl = sys.stLam;
  sl.xi = xt;
  sl.theta = tt;
  sl.dNoGap = dt;
  sl.wakeGap = st2.wakeGap;
  sl.deltaStar = dt + st2.wakeGap;
  sl.uk = ut;
  sl.uk_ue = 1;
  sl.nAmp = p.nCrit;
  sl.s = 0;
  blKinematics(p, sl);
  blSecondary(LAMINAR, sl);
  const rA = sys.rA;
  const jA1 = sys.jA1;
  const jA2 = sys.jA2;
  bldif(p, LAMINAR, st1, sl, rA, jA1, jA2, true);

  // ---- turbulent part XT .. X2
  const sT = sys.stTurb;
  sT.xi = xt;
  sT.theta = tt;
  sT.dNoGap = dt;
  sT.wakeGap = st2.wakeGap;
  sT.deltaStar = dt + st2.wakeGap;
  sT.uk = ut;
  sT.uk_ue = 1;
  sT.nAmp = 0;
  sT.s = 0;
  blKinematics(p, sT);
  blSecondary(TURBULENT, sT);
  const hkm1 = sT.hk - 1.0;
  const ctr = CTRCON * Math.exp(-CTRCEX / hkm1);
  const ctrHk = (ctr * CTRCEX) / (hkm1 * hkm1);
  const stv = ctr * sT.cq;
  const stTt = ctr * sT.cq_th + sT.cq * ctrHk * sT.hk_th;
  const stDt = ctr * sT.cq_ds + sT.cq * ctrHk * sT.hk_ds;
  const stUt = ctr * sT.cq_uk + sT.cq * ctrHk * sT.hk_uk;
  for (let i = 0; i < 11; i++) tv[i] = stTt * tv[TT + i] + stDt * tv[DT + i] + stUt * tv[UT + i];
  sT.s = stv;
  blSecondary(TURBULENT, sT);
  const rB = sys.rB;
  const jB1 = sys.jB1;
  const jB2 = sys.jB2;
  bldif(p, TURBULENT, sT, st2, rB, jB1, jB2, false);

  // ---- combine in terms of the real station-1 and station-2 variables
  const res = sys.res;
  const a1 = sys.a1;
  const a2 = sys.a2;
  const axf = sys.axf;
  res[0] = rB[0];
  res[1] = rA[1] + rB[1];
  res[2] = rA[2] + rB[2];
  for (let k = 0; k < 3; k++) {
    const o = 5 * k;
    for (let c = 0; c < 5; c++) {
      // turbulent part: T is its station "1" (columns S, theta, D, uk, xi)
      let b1 = 0;
      let b2 = jB2[o + c];
      for (let m = 0; m < 5; m++) {
        const v = jB1[o + m];
        b1 += v * tv[11 * m + c];
        b2 += v * tv[11 * m + 5 + c];
      }
      let l1 = 0;
      let l2 = 0;
      if (k > 0) {
        // laminar part: T is its station "2" (no S column)
        l1 = jA1[o + c];
        for (let m = 1; m < 5; m++) {
          const v = jA2[o + m];
          l1 += v * tv[11 * m + c];
          l2 += v * tv[11 * m + 5 + c];
        }
      }
      a1[o + c] = l1 + b1;
      a2[o + c] = l2 + b2;
    }
    let bx = 0;
    for (let m = 0; m < 5; m++) bx += jB1[o + m] * tv[11 * m + 10];
    let lx = 0;
    if (k > 0) for (let m = 1; m < 5; m++) lx += jA2[o + m] * tv[11 * m + 10];
    axf[k] = lx + bx;
  }
  // the laminar part has no S2 dependence: a2[:,0] comes from the turbulent part only (done above
  // since tv[*, 5] = 0)
  toIncompressible(sys, st1, st2);
  return true;
}

/**
 * TE merge (XFOIL TESYS + SETBL's TE chain): the first wake station equals the merged TE state,
 * rows R0 = s_w - (s_u th_u + s_l th_l)/(th_u + th_l), R1 = th_w - (th_u + th_l),
 * R2 = ds_w - (ds_u + ds_l + hTE); hTE = TE gap thickness (XFOIL ANTE). upper/lower = TE stations
 * of side 1 (top) and side 2 (bottom), turbulent (s); wake = first wake station (fill it with
 * WAKE closures for the next interval). Writes sys.res, sys.az (upper), sys.a1 (lower), sys.a2
 * (wake), all with the usual 5 columns; sys.axf = 0.
 */
export function teSystem(
  upper: BlStation,
  lower: BlStation,
  wake: BlStation,
  hTE: number,
  sys: BlSystem,
): void {
  const a1 = sys.a1;
  const a2 = sys.a2;
  const az = sys.az;
  for (let i = 0; i < 15; i++) {
    a1[i] = 0;
    a2[i] = 0;
    az[i] = 0;
  }
  const tte = upper.theta + lower.theta;
  const dte = upper.deltaStar + lower.deltaStar + hTE;
  const cte = (upper.s * upper.theta + lower.s * lower.theta) / tte;
  sys.res[0] = wake.s - cte;
  sys.res[1] = wake.theta - tte;
  sys.res[2] = wake.deltaStar - dte;
  a2[0] = 1.0;
  a2[6] = 1.0;
  a2[12] = 1.0;
  az[0] = -upper.theta / tte;
  az[1] = -(upper.s - cte) / tte;
  az[6] = -1.0;
  az[12] = -1.0;
  a1[0] = -lower.theta / tte;
  a1[1] = -(lower.s - cte) / tte;
  a1[6] = -1.0;
  a1[12] = -1.0;
  sys.axf[0] = 0;
  sys.axf[1] = 0;
  sys.axf[2] = 0;
}
