/**
 * Integral boundary-layer closures of XFOIL 6.99 (xblsys.f equivalents), written from
 * /work/shared/docs/xfoil-physics.md sections 5 and 6.
 *
 * Physics variables (each defined here once; the other flow modules use the same names):
 * - `theta`     momentum thickness th = int (rho u/(rhoe ue)) (1 - u/ue) d eta
 * - `deltaStar` displacement thickness ds = int (1 - rho u/(rhoe ue)) d eta (in the wake it includes
 *               the dead-air gap `wakeGap`; the closures see D = ds - wakeGap)
 * - `h`         shape parameter H = D/theta
 * - `hk`        kinematic shape parameter Hk (H with density-free integrands), Whitfield fit of (H, Me2)
 * - `hs`        kinetic-energy shape parameter H* = (KE thickness)/theta
 * - `hss`       density shape parameter H** = (density thickness d**) over theta
 * - `ret`       momentum-thickness Reynolds number Re_theta = rhoe ue theta / mue
 * - `me2`       edge Mach number squared
 * - `ue`        incompressible (panel) edge speed / Vinf;  `uk` its Karman-Tsien compressible version
 * - `cf`        skin friction tau_w/(0.5 rhoe ue^2)
 * - `di`        dissipation Di = 2 CD/H*  (CD = dissipation coefficient)
 * - `us`        normalized slip velocity Us
 * - `cq`        sqrt of the equilibrium shear-stress coefficient, sqrt(Ctau_eq)
 * - `ctau`      max shear-stress coefficient tau_max/(rhoe ue^2); the turbulent state is
 *               `s` = sqrt(ctau) (XFOIL's CTAU array)
 * - `nAmp`      envelope amplification exponent N = ln(A/A0) (laminar state)
 * - `delta`     boundary-layer thickness (Green's correlation)
 * - `ax`        amplification rate dN/dxi
 *
 * Every closure writes `[value, d/d(arg1), d/d(arg2), ...]` (arguments in signature order) into the
 * caller's `out` Float64Array and also returns the value. No closure allocates.
 * Derivatives are the exact derivatives of the implemented functions (zero slope through active
 * floors and clamps, as XFOIL does for its clamps, except where noted).
 */

/** ratio of specific heats */
export const GAMMA = 1.4;
/** gamma - 1 */
export const GM1 = GAMMA - 1;

// BLPINI constants (xbl.f) - section 5.7
/** shear-lag rate constant K */
export const SCCON = 5.6;
/** G-beta locus constant A */
export const GACON = 6.7;
/** G-beta locus constant B */
export const GBCON = 0.75;
/** low-Ret term of the G-beta locus (turbulent airfoil only) */
export const GCCON = 18.0;
/** wake dissipation-length ratio */
export const DLCON = 0.9;
/** transition Ctau factor */
export const CTRCON = 1.8;
/** transition Ctau exponent */
export const CTRCEX = 3.3;
/** weight of the (Uq dxi - ln(ue2/ue1)) term in the lag equation */
export const DUXCON = 1.0;
/** Ctau_eq constant 0.5/(GACON^2 GBCON) */
export const CTCON = 0.5 / (GACON * GACON * GBCON);
/** factor on the turbulent Cf0 */
export const CFFAC = 1.0;

/**
 * Kinematic shape parameter (Whitfield): Hk = (H - 0.29 Me2)/(1 + 0.113 Me2).
 * out = [hk, dhk/dh, dhk/dme2]
 */
export function hkin(h: number, me2: number, out: Float64Array): number {
  const den = 1.0 + 0.113 * me2;
  const hk = (h - 0.29 * me2) / den;
  out[0] = hk;
  out[1] = 1.0 / den;
  out[2] = (-0.29 - 0.113 * hk) / den;
  return hk;
}

/**
 * Density shape parameter H** (Whitfield): Me2 (0.064/(Hk - 0.8) + 0.251).
 * out = [hss, dhss/dhk, dhss/dme2]
 */
export function hct(hk: number, me2: number, out: Float64Array): number {
  const hss = me2 * (0.064 / (hk - 0.8) + 0.251);
  out[0] = hss;
  out[1] = me2 * (-0.064 / ((hk - 0.8) * (hk - 0.8)));
  out[2] = 0.064 / (hk - 0.8) + 0.251;
  return hss;
}

/**
 * Laminar H* (Falkner-Skan fit). Depends on hk only; ret and me2 are accepted for a uniform
 * signature with `hst`. out = [hs, dhs/dhk, dhs/dret (0), dhs/dme2 (0)]
 */
export function hsl(hk: number, _ret: number, _me2: number, out: Float64Array): number {
  let hs: number;
  let hsHk: number;
  if (hk < 4.35) {
    const t = hk - 4.35;
    const hp1 = hk + 1.0;
    hs = (0.0111 * t * t) / hp1 - (0.0278 * t * t * t) / hp1 + 1.528 - 0.0002 * (t * hk) * (t * hk);
    hsHk =
      (0.0111 * (2.0 * t - (t * t) / hp1)) / hp1 -
      (0.0278 * (3.0 * t * t - (t * t * t) / hp1)) / hp1 -
      0.0002 * 2.0 * t * hk * (t + hk);
  } else {
    const c = 0.015;
    hs = (c * (hk - 4.35) * (hk - 4.35)) / hk + 1.528;
    hsHk = (c * 2.0 * (hk - 4.35)) / hk - (c * (hk - 4.35) * (hk - 4.35)) / (hk * hk);
  }
  out[0] = hs;
  out[1] = hsHk;
  out[2] = 0;
  out[3] = 0;
  return hs;
}

/**
 * Turbulent H* (attached/separated branches, Ret floor 200, Whitfield Mach correction).
 * out = [hs, dhs/dhk, dhs/dret, dhs/dme2]
 */
export function hst(hk: number, ret: number, me2: number, out: Float64Array): number {
  const HSMIN = 1.5;
  const DHSINF = 0.015;
  let ho: number;
  let hoRt: number;
  if (ret > 400.0) {
    ho = 3.0 + 400.0 / ret;
    hoRt = -400.0 / (ret * ret);
  } else {
    ho = 4.0;
    hoRt = 0;
  }
  let rtz: number;
  let rtzRt: number;
  if (ret > 200.0) {
    rtz = ret;
    rtzRt = 1;
  } else {
    rtz = 200.0;
    rtzRt = 0;
  }
  let hs: number;
  let hsHk: number;
  let hsRt: number;
  if (hk < ho) {
    // attached branch
    const hr = (ho - hk) / (ho - 1.0);
    const hrHk = -1.0 / (ho - 1.0);
    const hrRt = ((1.0 - hr) / (ho - 1.0)) * hoRt;
    const a = 2.0 - HSMIN - 4.0 / rtz;
    hs = (a * hr * hr * 1.5) / (hk + 0.5) + HSMIN + 4.0 / rtz;
    hsHk = (-(a * hr * hr) * 1.5) / ((hk + 0.5) * (hk + 0.5)) + ((a * hr * 2.0 * 1.5) / (hk + 0.5)) * hrHk;
    hsRt =
      ((a * hr * 2.0 * 1.5) / (hk + 0.5)) * hrRt +
      (((hr * hr * 1.5) / (hk + 0.5) - 1.0) * 4.0 * rtzRt) / (rtz * rtz);
  } else {
    // separated branch
    const grt = Math.log(rtz);
    const hdif = hk - ho;
    const rtmp = hk - ho + 4.0 / grt;
    const htmp = (0.007 * grt) / (rtmp * rtmp) + DHSINF / hk;
    const htmpHk = (-0.014 * grt) / (rtmp * rtmp * rtmp) - DHSINF / (hk * hk);
    const htmpRt =
      ((-0.014 * grt) / (rtmp * rtmp * rtmp)) * (-hoRt - (4.0 / (grt * grt) / rtz) * rtzRt) +
      (0.007 / (rtmp * rtmp) / rtz) * rtzRt;
    hs = hdif * hdif * htmp + HSMIN + 4.0 / rtz;
    hsHk = hdif * 2.0 * htmp + hdif * hdif * htmpHk;
    hsRt = hdif * hdif * htmpRt - (4.0 / (rtz * rtz)) * rtzRt + hdif * 2.0 * htmp * -hoRt;
  }
  const fm = 1.0 + 0.014 * me2;
  hs = (hs + 0.028 * me2) / fm;
  out[0] = hs;
  out[1] = hsHk / fm;
  out[2] = hsRt / fm;
  out[3] = 0.028 / fm - (0.014 * hs) / fm;
  return hs;
}

/**
 * Laminar skin friction (Falkner-Skan fit): Cf = f(Hk)/Ret.
 * out = [cf, dcf/dhk, dcf/dret, dcf/dme2 (0)]
 */
export function cfl(hk: number, ret: number, _me2: number, out: Float64Array): number {
  let cf: number;
  let cfHk: number;
  if (hk < 5.5) {
    const tmp = ((5.5 - hk) * (5.5 - hk) * (5.5 - hk)) / (hk + 1.0);
    cf = (0.0727 * tmp - 0.07) / ret;
    cfHk = ((-0.0727 * tmp * 3.0) / (5.5 - hk) - (0.0727 * tmp) / (hk + 1.0)) / ret;
  } else {
    const tmp = 1.0 - 1.0 / (hk - 4.5);
    cf = (0.015 * tmp * tmp - 0.07) / ret;
    cfHk = (0.015 * tmp * 2.0) / ((hk - 4.5) * (hk - 4.5)) / ret;
  }
  out[0] = cf;
  out[1] = cfHk;
  out[2] = -cf / ret;
  out[3] = 0;
  return cf;
}

/**
 * Turbulent skin friction (Coles / Swafford fit with XFOIL's literal 2.3026 and -20 exponent floor).
 * Derivatives are exact (zero slope through a floor where it is active; XFOIL keeps the unfloored
 * slopes there, far outside normal states).
 * out = [cf, dcf/dhk, dcf/dret, dcf/dme2]
 */
export function cft(hk: number, ret: number, me2: number, out: Float64Array): number {
  const fc = Math.sqrt(1.0 + 0.5 * GM1 * me2);
  const grtRaw = Math.log(ret / fc);
  const grtFloored = grtRaw < 3.0;
  const grt = grtFloored ? 3.0 : grtRaw;
  const gex = -1.74 - 0.31 * hk;
  const argRaw = -1.33 * hk;
  const argFloored = argRaw < -20.0;
  const arg = argFloored ? -20.0 : argRaw;
  const thk = Math.tanh(4.0 - hk / 0.875);
  const cfo = CFFAC * 0.3 * Math.exp(arg) * Math.pow(grt / 2.3026, gex);
  const cf = (cfo + 1.1e-4 * (thk - 1.0)) / fc;
  // d cfo/d grt = gex cfo/grt (0 when floored)
  const cfoGrt = grtFloored ? 0 : (gex * cfo) / grt;
  out[0] = cf;
  out[1] =
    ((argFloored ? 0 : -1.33 * cfo) -
      0.31 * Math.log(grt / 2.3026) * cfo -
      (1.1e-4 * (1.0 - thk * thk)) / 0.875) /
    fc;
  out[2] = cfoGrt / fc / ret;
  out[3] = (cfoGrt / fc) * ((-0.25 * GM1) / (fc * fc)) - (0.25 * GM1 * cf) / (fc * fc);
  return cf;
}

/**
 * Laminar dissipation Di = 2 CD/H* (Falkner-Skan fit): f(Hk)/Ret.
 * out = [di, ddi/dhk, ddi/dret]
 */
export function dil(hk: number, ret: number, out: Float64Array): number {
  let di: number;
  let diHk: number;
  if (hk < 4.0) {
    di = (0.00205 * Math.pow(4.0 - hk, 5.5) + 0.207) / ret;
    diHk = (-0.00205 * 5.5 * Math.pow(4.0 - hk, 4.5)) / ret;
  } else {
    const hkb = hk - 4.0;
    const den = 1.0 + 0.02 * hkb * hkb;
    di = ((-0.0016 * hkb * hkb) / den + 0.207) / ret;
    diHk = (-0.0016 * 2.0 * hkb * (1.0 / den - (0.02 * hkb * hkb) / (den * den))) / ret;
  }
  out[0] = di;
  out[1] = diHk;
  out[2] = -di / ret;
  return di;
}

const dilwScratch = new Float64Array(4);

/**
 * Laminar wake dissipation Di = 2 (1.10 (1 - 1/Hk)^2/Hk)/(Hs_lam(Hk) Ret) (one wake half).
 * out = [di, ddi/dhk, ddi/dret]
 */
export function dilw(hk: number, ret: number, out: Float64Array): number {
  const hs = hsl(hk, ret, 0, dilwScratch);
  const hsHk = dilwScratch[1];
  const hsRt = dilwScratch[2];
  const a = 1.0 - 1.0 / hk;
  const rcd = (1.1 * a * a) / hk;
  // exact derivative; XFOIL's DILW has the sign of the first term flipped (Jacobian only)
  const rcdHk = (1.1 * a * 2.0) / (hk * hk * hk) - rcd / hk;
  const di = (2.0 * rcd) / (hs * ret);
  out[0] = di;
  out[1] = (2.0 * rcdHk) / (hs * ret) - (di / hs) * hsHk;
  out[2] = -di / ret - (di / hs) * hsRt;
  return di;
}

/** half-width of the log10(Ret) ramp that switches amplification on (XFOIL DGR; mfoil uses 0.1) */
const DGR = 0.08;

/**
 * Envelope e^N amplification rate dN/dxi (XFOIL DAMPL, IDAMP = 0), zero below the critical Ret
 * with a cubic ramp of half-width DGR = 0.08 in log10(Ret).
 * out = [ax, dax/dhk, dax/dtheta, dax/dret]
 */
export function dampl(hk: number, theta: number, ret: number, out: Float64Array): number {
  const hmi = 1.0 / (hk - 1.0);
  const hmiHk = -hmi * hmi;
  const aa = 2.492 * Math.pow(hmi, 0.43);
  const aaHk = (aa / hmi) * 0.43 * hmiHk;
  const bb = Math.tanh(14.0 * hmi - 9.24);
  const bbHk = (1.0 - bb * bb) * 14.0 * hmiHk;
  const grcrit = aa + 0.7 * (bb + 1.0);
  const grcHk = aaHk + 0.7 * bbHk;
  const gr = Math.log10(ret);
  const grRt = 1.0 / (2.3025851 * ret);
  if (gr < grcrit - DGR) {
    out[0] = 0;
    out[1] = 0;
    out[2] = 0;
    out[3] = 0;
    return 0;
  }
  const rnorm = (gr - (grcrit - DGR)) / (2.0 * DGR);
  const rnHk = -grcHk / (2.0 * DGR);
  const rnRt = grRt / (2.0 * DGR);
  let rfac: number;
  let rfacHk: number;
  let rfacRt: number;
  if (rnorm >= 1.0) {
    rfac = 1.0;
    rfacHk = 0;
    rfacRt = 0;
  } else {
    rfac = 3.0 * rnorm * rnorm - 2.0 * rnorm * rnorm * rnorm;
    const rfacRn = 6.0 * rnorm - 6.0 * rnorm * rnorm;
    rfacHk = rfacRn * rnHk;
    rfacRt = rfacRn * rnRt;
  }
  const arg = 3.87 * hmi - 2.52;
  const argHk = 3.87 * hmiHk;
  const ex = Math.exp(-arg * arg);
  const exHk = ex * (-2.0 * arg * argHk);
  const dadr = 0.028 * (hk - 1.0) - 0.0345 * ex;
  const dadrHk = 0.028 - 0.0345 * exHk;
  const af = -0.05 + 2.7 * hmi - 5.5 * hmi * hmi + 3.0 * hmi * hmi * hmi;
  const afHmi = 2.7 - 11.0 * hmi + 9.0 * hmi * hmi;
  const afHk = afHmi * hmiHk;
  const ax0 = (af * dadr) / theta;
  const ax = ax0 * rfac;
  out[0] = ax;
  out[1] = ((afHk * dadr) / theta + (af * dadrHk) / theta) * rfac + ax0 * rfacHk;
  out[2] = -ax / theta;
  out[3] = ax0 * rfacRt;
  return ax;
}

/**
 * Modified amplification rate (XFOIL DAMPL2, IDAMP = 1; not XFOIL's default): DAMPL with the
 * +0.1 exp(-20/(Hk-1)) conversion term, blended for Hk > 3.5 into an Orr-Sommerfeld maximum rate.
 * out = [ax, dax/dhk, dax/dtheta, dax/dret]
 */
export function dampl2(hk: number, theta: number, ret: number, out: Float64Array): number {
  const HK1 = 3.5;
  const HK2 = 4.0;
  const hmi = 1.0 / (hk - 1.0);
  const hmiHk = -hmi * hmi;
  const aa = 2.492 * Math.pow(hmi, 0.43);
  const aaHk = (aa / hmi) * 0.43 * hmiHk;
  const bb = Math.tanh(14.0 * hmi - 9.24);
  const bbHk = (1.0 - bb * bb) * 14.0 * hmiHk;
  const grc = aa + 0.7 * (bb + 1.0);
  const grcHk = aaHk + 0.7 * bbHk;
  const gr = Math.log10(ret);
  const grRt = 1.0 / (2.3025851 * ret);
  let ax: number;
  let axHk: number;
  let axTh: number;
  let axRt: number;
  if (gr < grc - DGR) {
    ax = 0;
    axHk = 0;
    axTh = 0;
    axRt = 0;
  } else {
    const rnorm = (gr - (grc - DGR)) / (2.0 * DGR);
    const rnHk = -grcHk / (2.0 * DGR);
    const rnRt = grRt / (2.0 * DGR);
    let rfac: number;
    let rfacHk: number;
    let rfacRt: number;
    if (rnorm >= 1.0) {
      rfac = 1.0;
      rfacHk = 0;
      rfacRt = 0;
    } else {
      rfac = 3.0 * rnorm * rnorm - 2.0 * rnorm * rnorm * rnorm;
      const rfacRn = 6.0 * rnorm - 6.0 * rnorm * rnorm;
      rfacHk = rfacRn * rnHk;
      rfacRt = rfacRn * rnRt;
    }
    const arg = 3.87 * hmi - 2.52;
    const argHk = 3.87 * hmiHk;
    const ex = Math.exp(-arg * arg);
    const exHk = ex * (-2.0 * arg * argHk);
    const dadr = 0.028 * (hk - 1.0) - 0.0345 * ex;
    const dadrHk = 0.028 - 0.0345 * exHk;
    const brg = -20.0 * hmi;
    const af = -0.05 + 2.7 * hmi - 5.5 * hmi * hmi + 3.0 * hmi * hmi * hmi + 0.1 * Math.exp(brg);
    const afHmi = 2.7 - 11.0 * hmi + 9.0 * hmi * hmi - 2.0 * Math.exp(brg);
    const afHk = afHmi * hmiHk;
    const ax0 = (af * dadr) / theta;
    ax = ax0 * rfac;
    axHk = ((afHk * dadr) / theta + (af * dadrHk) / theta) * rfac + ax0 * rfacHk;
    axTh = -ax / theta;
    axRt = ax0 * rfacRt;
  }
  if (hk >= HK1) {
    const hnorm = (hk - HK1) / (HK2 - HK1);
    const hnHk = 1.0 / (HK2 - HK1);
    let hfac: number;
    let hfHk: number;
    if (hnorm >= 1.0) {
      hfac = 1.0;
      hfHk = 0;
    } else {
      hfac = 3.0 * hnorm * hnorm - 2.0 * hnorm * hnorm * hnorm;
      hfHk = (6.0 * hnorm - 6.0 * hnorm * hnorm) * hnHk;
    }
    const gr0 = 0.3 + 0.35 * Math.exp(-0.15 * (hk - 5.0));
    const gr0Hk = -0.35 * Math.exp(-0.15 * (hk - 5.0)) * 0.15;
    const tnr = Math.tanh(1.2 * (gr - gr0));
    const tnrRt = (1.0 - tnr * tnr) * 1.2 * grRt;
    const tnrHk = -(1.0 - tnr * tnr) * 1.2 * gr0Hk;
    let ax2 = (0.086 * tnr - 0.25 / Math.pow(hk - 1.0, 1.5)) / theta;
    let ax2Hk = (0.086 * tnrHk + (1.5 * 0.25) / Math.pow(hk - 1.0, 2.5)) / theta;
    let ax2Rt = (0.086 * tnrRt) / theta;
    let ax2Th = -ax2 / theta;
    if (ax2 < 0.0) {
      ax2 = 0;
      ax2Hk = 0;
      ax2Rt = 0;
      ax2Th = 0;
    }
    const ax1 = ax;
    axHk = hfac * ax2Hk + (1.0 - hfac) * axHk + hfHk * (ax2 - ax1);
    axRt = hfac * ax2Rt + (1.0 - hfac) * axRt;
    axTh = hfac * ax2Th + (1.0 - hfac) * axTh;
    ax = hfac * ax2 + (1.0 - hfac) * ax1;
  }
  out[0] = ax;
  out[1] = axHk;
  out[2] = axTh;
  out[3] = axRt;
  return ax;
}

const axScratch1 = new Float64Array(4);
const axScratch2 = new Float64Array(4);
/** inputs of the station-1 rate held in axScratch1 (NaN: none) */
const axMemo = { hk: NaN, th: NaN, ret: NaN, idamp: -1 };

/**
 * Interval mean amplification rate (XFOIL AXSET): rms of the two station rates plus the near-Ncrit
 * term 0.002 E/(th1 + th2), E = exp(-min(20 (Ncrit - (N1 + N2)/2), 20)) (E = 1 at or past Ncrit).
 * `idamp` 0 = DAMPL (XFOIL default), 1 = DAMPL2.
 * out = [ax, d/dhk1, d/dth1, d/dret1, d/dn1, d/dhk2, d/dth2, d/dret2, d/dn2]
 */
export function axset(
  hk1: number,
  th1: number,
  ret1: number,
  n1: number,
  hk2: number,
  th2: number,
  ret2: number,
  n2: number,
  nCrit: number,
  idamp: number,
  out: Float64Array,
): number {
  const r1 = axScratch1;
  const r2 = axScratch2;
  // station 1 is usually the same as in the previous call (TRCHEK2 iterations, march iterations):
  // its rate is then reused (same inputs, same numbers)
  if (hk1 !== axMemo.hk || th1 !== axMemo.th || ret1 !== axMemo.ret || idamp !== axMemo.idamp) {
    if (idamp === 0) dampl(hk1, th1, ret1, r1);
    else dampl2(hk1, th1, ret1, r1);
    axMemo.hk = hk1;
    axMemo.th = th1;
    axMemo.ret = ret1;
    axMemo.idamp = idamp;
  }
  if (idamp === 0) dampl(hk2, th2, ret2, r2);
  else dampl2(hk2, th2, ret2, r2);
  const ax1 = r1[0];
  const ax2 = r2[0];
  const axsq = 0.5 * (ax1 * ax1 + ax2 * ax2);
  let axa: number;
  let axaAx1: number;
  let axaAx2: number;
  if (axsq <= 0.0) {
    axa = 0;
    axaAx1 = 0;
    axaAx2 = 0;
  } else {
    axa = Math.sqrt(axsq);
    axaAx1 = (0.5 * ax1) / axa;
    axaAx2 = (0.5 * ax2) / axa;
  }
  const arg = Math.min(20.0 * (nCrit - 0.5 * (n1 + n2)), 20.0);
  let exn: number;
  let exnA: number;
  if (arg <= 0.0) {
    exn = 1.0;
    exnA = 0;
  } else {
    exn = Math.exp(-arg);
    exnA = 20.0 * 0.5 * exn;
  }
  const tsum = th1 + th2;
  const dax = (exn * 0.002) / tsum;
  const daxA = (exnA * 0.002) / tsum;
  const daxT = -dax / tsum;
  const ax = axa + dax;
  out[0] = ax;
  out[1] = axaAx1 * r1[1];
  out[2] = axaAx1 * r1[2] + daxT;
  out[3] = axaAx1 * r1[3];
  out[4] = daxA;
  out[5] = axaAx2 * r2[1];
  out[6] = axaAx2 * r2[2] + daxT;
  out[7] = axaAx2 * r2[3];
  out[8] = daxA;
  return ax;
}

/**
 * Normalized slip velocity Us = 0.5 Hs (1 - (Hk - 1)/(GBCON H)) with XFOIL's clamps
 * (airfoil: Us > 0.95 -> 0.98; wake: Us > 0.99995 -> 0.99995; derivatives then 0).
 * out = [us, dus/dhs, dus/dhk, dus/dh]
 */
export function slipVelocity(hs: number, hk: number, h: number, wake: boolean, out: Float64Array): number {
  let us = 0.5 * hs * (1.0 - (hk - 1.0) / (GBCON * h));
  let usHs = 0.5 * (1.0 - (hk - 1.0) / (GBCON * h));
  let usHk = 0.5 * hs * (-1.0 / (GBCON * h));
  let usH = (0.5 * hs * (hk - 1.0)) / (GBCON * h * h);
  const lim = wake ? 0.99995 : 0.95;
  if (us > lim) {
    us = wake ? 0.99995 : 0.98;
    usHs = 0;
    usHk = 0;
    usH = 0;
  }
  out[0] = us;
  out[1] = usHs;
  out[2] = usHk;
  out[3] = usH;
  return us;
}

/**
 * Square root of the equilibrium shear coefficient, CQ = sqrt(CTCON Hs (Hk-1) Hkc^2/((1-Us) H Hk^2)),
 * Hkc = Hk - 1 - GCCON/Ret floored at 0.01 on turbulent airfoil stations, Hkc = Hk - 1 otherwise.
 * out = [cq, dcq/dhs, dcq/dus, dcq/dhk, dcq/dh, dcq/dret]
 */
export function ctauEqSqrt(
  hs: number,
  us: number,
  hk: number,
  h: number,
  ret: number,
  turbulentAirfoil: boolean,
  out: Float64Array,
): number {
  let hkc = hk - 1.0;
  let hkcHk = 1.0;
  let hkcRt = 0.0;
  if (turbulentAirfoil) {
    hkc = hk - 1.0 - GCCON / ret;
    hkcHk = 1.0;
    hkcRt = GCCON / (ret * ret);
    if (hkc < 0.01) {
      hkc = 0.01;
      hkcHk = 0;
      hkcRt = 0;
    }
  }
  const hkb = hk - 1.0;
  const usb = 1.0 - us;
  const den = usb * h * hk * hk;
  const cq = Math.sqrt((CTCON * hs * hkb * hkc * hkc) / den);
  const half = 0.5 / cq;
  out[0] = cq;
  out[1] = ((CTCON * hkb * hkc * hkc) / den) * half;
  out[2] = ((CTCON * hs * hkb * hkc * hkc) / den / usb) * half;
  out[3] =
    ((CTCON * hs * hkc * hkc) / den) * half -
    ((CTCON * hs * hkb * hkc * hkc) / (usb * h * hk * hk * hk)) * 2.0 * half +
    ((CTCON * hs * hkb * hkc) / den) * 2.0 * half * hkcHk;
  out[4] = -((CTCON * hs * hkb * hkc * hkc) / den / h) * half;
  out[5] = ((CTCON * hs * hkb * hkc) / den) * 2.0 * half * hkcRt;
  return cq;
}

/**
 * Turbulent dissipation before the laminar maximum and the wake doubling (XFOIL BLVAR):
 * Di = [wall] 0.5 Cft Us Fw 2/Hs + S^2 (0.995 - Us) 2/Hs + 0.15 (0.995 - Us)^2/Ret 2/Hs,
 * Fw = 0.5 + 0.5 tanh((Hk - 1)/(Hmin - 1)), Hmin = 1 + 2.1/ln(Ret); the wall term is included
 * when `wall` (airfoil), omitted in the wake. `cftv` is the CFT value (no laminar max).
 * out = [di, ddi/dhk, ddi/dhs, ddi/dus, ddi/dcft, ddi/dret, ddi/ds]
 */
export function diTurbulent(
  hk: number,
  hs: number,
  us: number,
  cftv: number,
  ret: number,
  s: number,
  wall: boolean,
  out: Float64Array,
): number {
  let di = 0;
  let diHk = 0;
  let diHs = 0;
  let diUs = 0;
  let diCf = 0;
  let diRt = 0;
  if (wall) {
    di = 0.5 * cftv * us * (2.0 / hs);
    diHs = -(0.5 * cftv * us) * (2.0 / (hs * hs));
    diUs = 0.5 * cftv * (2.0 / hs);
    diCf = 0.5 * us * (2.0 / hs);
    const grt = Math.log(ret);
    const hmin = 1.0 + 2.1 / grt;
    const hmRt = -(2.1 / (grt * grt)) / ret;
    const fl = (hk - 1.0) / (hmin - 1.0);
    const flHk = 1.0 / (hmin - 1.0);
    const flRt = (-fl / (hmin - 1.0)) * hmRt;
    const tfl = Math.tanh(fl);
    const dfac = 0.5 + 0.5 * tfl;
    const dfFl = 0.5 * (1.0 - tfl * tfl);
    diHk = di * dfFl * flHk;
    diRt = di * dfFl * flRt;
    diHs *= dfac;
    diUs *= dfac;
    diCf *= dfac;
    di *= dfac;
  }
  // outer-layer Ctau contribution
  const ou = 0.995 - us;
  const dd = s * s * ou * (2.0 / hs);
  di += dd;
  diHs += -s * s * ou * (2.0 / (hs * hs));
  diUs += -s * s * (2.0 / hs);
  const diS = s * 2.0 * ou * (2.0 / hs);
  // laminar stress contribution to the outer layer
  const dl = ((0.15 * ou * ou) / ret) * (2.0 / hs);
  di += dl;
  diUs += ((-0.15 * ou * 2.0) / ret) * (2.0 / hs);
  diHs += -dl / hs;
  diRt += -dl / ret;
  out[0] = di;
  out[1] = diHk;
  out[2] = diHs;
  out[3] = diUs;
  out[4] = diCf;
  out[5] = diRt;
  out[6] = diS;
  return di;
}

/**
 * Boundary-layer thickness (simplified Green's correlation) delta = theta (3.15 + 1.72/(Hk - 1)) + D,
 * capped at 12 theta. `dNoGap` = D = deltaStar - wakeGap.
 * out = [delta, d/dhk, d/dtheta, d/dD]
 */
export function blThickness(hk: number, theta: number, dNoGap: number, out: Float64Array): number {
  let de = (3.15 + 1.72 / (hk - 1.0)) * theta + dNoGap;
  let deHk = (-1.72 / ((hk - 1.0) * (hk - 1.0))) * theta;
  let deTh = 3.15 + 1.72 / (hk - 1.0);
  let deD = 1.0;
  const HDMAX = 12.0;
  if (de > HDMAX * theta) {
    de = HDMAX * theta;
    deHk = 0;
    deTh = HDMAX;
    deD = 0;
  }
  out[0] = de;
  out[1] = deHk;
  out[2] = deTh;
  out[3] = deD;
  return de;
}

/**
 * Equilibrium (1/ue) due/dxi from the G-beta locus (XFOIL BLDIF):
 * Uq = (0.5 Cf - (Hkc/(GACON lam Hk))^2)/(GBCON D); airfoil: lam = 1, Hkc = Hk - 1 - GCCON/Ret
 * floored at 0.01; wake: lam = DLCON, Hkc = Hk - 1.
 * out = [uq, duq/dcf, duq/dhk, duq/dret, duq/dD]
 */
export function uqEquilibrium(
  cf: number,
  hk: number,
  ret: number,
  dNoGap: number,
  wake: boolean,
  out: Float64Array,
): number {
  let hkc: number;
  let hkcHk: number;
  let hkcRt: number;
  let ald: number;
  if (!wake) {
    ald = 1.0;
    hkc = hk - 1.0 - GCCON / ret;
    hkcHk = 1.0;
    hkcRt = GCCON / (ret * ret);
    if (hkc < 0.01) {
      hkc = 0.01;
      hkcHk = 0;
      hkcRt = 0;
    }
  } else {
    ald = DLCON;
    hkc = hk - 1.0;
    hkcHk = 1.0;
    hkcRt = 0;
  }
  const g = GACON * ald * hk;
  const hr = hkc / g;
  const hrHk = hkcHk / g - hr / hk;
  const hrRt = hkcRt / g;
  const gd = GBCON * dNoGap;
  const uq = (0.5 * cf - hr * hr) / gd;
  out[0] = uq;
  out[1] = 0.5 / gd;
  out[2] = (-2.0 * hr * hrHk) / gd;
  out[3] = (-2.0 * hr * hrRt) / gd;
  out[4] = -uq / dNoGap;
  return uq;
}

/**
 * Transition shear-stress factor: S_tr = ctr CQ with ctr = CTRCON exp(-CTRCEX/(Hk - 1)) (XFOIL TRDIF).
 * out = [ctr, dctr/dhk]
 */
export function transitionCtauFactor(hk: number, out: Float64Array): number {
  const ctr = CTRCON * Math.exp(-CTRCEX / (hk - 1.0));
  out[0] = ctr;
  out[1] = (ctr * CTRCEX) / ((hk - 1.0) * (hk - 1.0));
  return ctr;
}
