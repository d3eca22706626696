/**
 * Boundary-layer state of the viscous solver (XFOIL's BL arrays CTAU, THET, DSTR, UEDG, MASS, UINV,
 * TAU, ITRAN of xbl.f) and small helpers shared by the marches (march.ts) and the global Newton
 * solver (viscous.ts): the shape-parameter floor (DSLIM), the trip position in xi (XIFSET) and the
 * transition x/c. Physics names are those of closures.ts.
 *
 * Station numbering is that of stations.ts: per side, ibl = 0 is the stagnation point (no unknowns),
 * ibl = 1 the similarity station, map.iblte[side] the trailing-edge station; side 1 continues with the
 * wake. Each per-side array has capacity n + nw + 2.
 */
import { cubicValue, findInterval, splineSlopes } from '../geometry/spline';
import { BlStation, BlSystem, type BlParams } from './blsys';
import { GM1, hkin } from './closures';
import type { PanelGeometry } from './inviscid';
import type { StationMap } from './stations';

/** Shape-parameter floor on the state (airfoil), XFOIL UPDATE/MRCHUE HKLIM */
export const HK_FLOOR_AIRFOIL = 1.02;
/** Shape-parameter floor on the state (wake) */
export const HK_FLOOR_WAKE = 1.00005;

/** Per-side pair of arrays (side 0 = upper surface, side 1 = lower surface + wake). */
export type SidePair = [Float64Array, Float64Array];

/** The boundary-layer unknowns and derived arrays of both sides. */
export interface BlState {
  p: BlParams;
  geom: PanelGeometry;
  /** station map (stagnation point, station <-> node, xi, wake gap, system indices) */
  map: StationMap;
  /** per-side capacity */
  cap: number;
  /** nAmp on laminar stations (ibl < itran), s = sqrt(ctau) on turbulent and wake stations */
  ctau: SidePair;
  /** momentum thickness theta */
  thet: SidePair;
  /** displacement thickness deltaStar (wake: including the wake gap) */
  dstr: SidePair;
  /** edge speed ue (incompressible, positive downstream) */
  uedg: SidePair;
  /** mass defect m = ue deltaStar */
  mass: SidePair;
  /** inviscid edge speed and its alpha derivative (per radian) */
  uinv: SidePair;
  uinvA: SidePair;
  /** wall shear stress on freestream dynamic pressure, tau = 0.5 (rhoe/rhoinf) uk^2 Cf */
  tau: SidePair;
  /** first turbulent station per side (XFOIL ITRAN - 1) */
  itran: Int32Array;
  /** transition xi per side (XFOIL XSSITR) */
  xiTran: Float64Array;
  /** 1 when the side's transition was forced (trip or TE) */
  forced: Uint8Array;
  /** trip x/c per side (>= 1: none, i.e. forced at the TE) */
  xstrip: Float64Array;
  /** chord-line x/c at the airfoil nodes and its spline slopes (XIFSET, transition x/c) */
  xoc: Float64Array;
  xocS: Float64Array;
  /** true once the BL has been initialized (XFOIL LBLINI) */
  initialized: boolean;
  /**
   * station records (all closure variables of every station, type from the transition index), as
   * the last march (or refillRecords) left them; the assembly reads them
   */
  rec: [BlStation[], BlStation[]];
  /** scratch stations and interval system */
  stA: BlStation;
  stB: BlStation;
  sys: BlSystem;
}

/** Allocates the BL state for a geometry and station map (capacity n + nw + 2 per side). */
export function createBlState(
  p: BlParams,
  geom: PanelGeometry,
  map: StationMap,
  xstripTop: number,
  xstripBot: number,
): BlState {
  const cap = map.n + map.nw + 2;
  const pair = (): SidePair => [new Float64Array(cap), new Float64Array(cap)];
  const n = geom.n;
  // chord-line x/c of the nodes [XIFSET]
  const chx = geom.xte - geom.xle;
  const chy = geom.yte - geom.yle;
  const chsq = chx * chx + chy * chy;
  const xoc = new Float64Array(n);
  for (let i = 0; i < n; i++) xoc[i] = ((geom.x[i] - geom.xle) * chx + (geom.y[i] - geom.yle) * chy) / chsq;
  const xocS = splineSlopes(xoc, geom.s);
  return {
    p,
    geom,
    map,
    cap,
    ctau: pair(),
    thet: pair(),
    dstr: pair(),
    uedg: pair(),
    mass: pair(),
    uinv: pair(),
    uinvA: pair(),
    tau: pair(),
    itran: new Int32Array(2),
    xiTran: new Float64Array(2),
    forced: new Uint8Array(2),
    xstrip: new Float64Array([xstripTop, xstripBot]),
    xoc,
    xocS,
    initialized: false,
    rec: [
      Array.from({ length: cap }, () => new BlStation()),
      Array.from({ length: cap }, () => new BlStation()),
    ],
    stA: new BlStation(),
    stB: new BlStation(),
    sys: new BlSystem(),
  };
}

const hkScratch = new Float64Array(3);

/** Edge Mach number squared as XFOIL's marches/UPDATE evaluate it (from the incompressible ue). */
export function edgeMachSq(p: BlParams, ue: number): number {
  const u2h = ue * ue * p.hstinv;
  return u2h / (GM1 * (1.0 - 0.5 * u2h));
}

/**
 * XFOIL DSLIM: raises the displacement thickness `dNoGap` (without wake gap) so that
 * Hk(dNoGap/theta, me2) >= hkLim; returns the (possibly) raised value.
 */
export function dslim(dNoGap: number, theta: number, me2: number, hkLim: number): number {
  const hk = hkin(dNoGap / theta, me2, hkScratch);
  const dh = Math.max(0, hkLim - hk) / hkScratch[1];
  return dNoGap + dh * theta;
}

/**
 * Forced-transition xi of a side (XFOIL XIFSET): the arc length from the stagnation point of the
 * trip x/c on that side (chord-line projection, spline-inverted); xi of the TE station when there is
 * no trip (x/c >= 1) or when the stagnation point lies behind the trip.
 */
export function tripXi(S: BlState, side: number): number {
  const map = S.map;
  const xiTe = map.xi[side][map.iblte[side]];
  const xs = S.xstrip[side];
  if (!(xs < 1)) return xiTe;
  const g = S.geom;
  const n = g.n;
  const s = g.s;
  // initial guess, then Newton on xoc(s) = xs (XFOIL SINVRT)
  let str = side === 0 ? g.sle + (s[0] - g.sle) * xs : g.sle + (s[n - 1] - g.sle) * xs;
  for (let it = 0; it < 20; it++) {
    const i = findInterval(s, str);
    const h = s[i + 1] - s[i];
    const f = cubicValue(S.xoc, S.xocS, s, i, str) - xs;
    // slope by a centred difference on the same cubic (robust, cheap)
    const e = 1e-6 * h;
    const fp =
      (cubicValue(S.xoc, S.xocS, s, i, str + e) - cubicValue(S.xoc, S.xocS, s, i, str - e)) / (2 * e);
    if (!(Math.abs(fp) > 0)) break;
    const ds = -f / fp;
    str += ds;
    if (Math.abs(ds) < 1e-10 * (s[n - 1] - s[0])) break;
  }
  const sst = map.stag.sst;
  let xif = side === 0 ? Math.min(sst - str, xiTe) : Math.min(str - sst, xiTe);
  if (!(xif >= 0)) xif = xiTe;
  return xif;
}

/**
 * Transition x/c of a side from its transition xi (XFOIL SETBL): the spline point at arc length
 * s_st - xi_T (upper) or s_st + xi_T (lower), projected on the chord line.
 */
export function transitionXoc(S: BlState, side: number, xiT: number): number {
  const g = S.geom;
  const str = side === 0 ? S.map.stag.sst - xiT : S.map.stag.sst + xiT;
  const i = findInterval(g.s, str);
  return cubicValue(S.xoc, S.xocS, g.s, i, str);
}
