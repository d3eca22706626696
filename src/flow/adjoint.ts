/**
 * Discrete adjoint of the viscous solver (issue 4): exact gradients of CL, CD, CM, L/D w.r.t. the
 * panel node coordinates and alpha at a converged viscous solution, at the cost of about one solve.
 *
 * With U the station unknowns (nAmp|sqrt(ctau), theta, m) and R(U; X, alpha) = 0 the converged
 * Newton system (adjoint-residual.ts), for an objective J(U; X, alpha):
 *   (dR/dU)^T lam = (dJ/dU)^T                       one transposed solve (adjoint-solve.ts)
 *   dJ/dX = dJ/dX|_U - lam^T dR/dX                  one reverse sweep (this file)
 * dR/dX is never formed: lam^T dR/dX is a vector-Jacobian product taken in reverse through every
 * geometry-dependent input of R: the inviscid edge speeds (the panel system A(X) gam = rhs(X,
 * alpha): one A^T solve), the source influence DIJ (airfoil block A^-1 B(X), wake rows; a rank-one
 * weighting so one A^T solve again), the wake trajectory (reverse of the streamline march), the
 * station arc lengths and stagnation point, the wake gap and TE gap, and through the panel kernels
 * (adjoint-kernels.ts: O(N) per influence row, like the forward build). Objectives: CL, CM by the
 * Karman-Tsien pressure integration of the viscous surface speeds, CD by Squire-Young.
 *
 * Fixed-CL mode: alpha adjusts so that CL stays at its value; the total derivative is
 * dJ/dX|_CL = dJ/dX|_alpha - (dJ/dalpha / dCL/dalpha) dCL/dX|_alpha (the augmented adjoint with the
 * CL equation, eliminated).
 *
 * The chain to the input airfoil (normalize + repanel) and to a parametrization is in
 * adjoint-chain.ts; the user-level entry point is shapeGradient there.
 */
import { FoiloptError } from '../errors';
import {
  airfoilInfluenceVJP,
  airfoilRowsPsiVJP,
  airfoilRowsWakeSourcePsiVJP,
  clearPanelAccumulator,
  finishAirfoilPanels,
  finishWakePanels,
  MODE_DQ,
  newAirfoilBars,
  newFieldBars,
  newPanelAccumulator,
  panelConstants,
  wakeSourceInfluenceVJP,
  type AirfoilBars,
  type PanelConstants,
  type PanelAccumulator,
  type WakeBars,
} from './adjoint-kernels';
import {
  arcLengthReverse,
  cubicEval,
  cubicReverse,
  forcesReverse,
  geometricSpacingReverse,
  luSolveTransposed,
  newTeBars,
  panelGeometryReverse,
  splineSlopesReverse,
  wakeGapReverse,
  type TeBars,
} from './adjoint-geometry';
import { leadingEdgeReverse, newSplineBars } from './adjoint-prepare';
import { findInterval } from '../geometry/spline';
import {
  assembleJacobian,
  edgeSpeeds,
  multiplyTransposeStructured,
  newJacobianCoefficients,
  type JacobianCoefficients,
  newResidualBars,
  newResidualWork,
  residualDataFromSolver,
  residualReverse,
  type ResidualBars,
  type ResidualData,
  type ResidualWork,
} from './adjoint-residual';
import {
  factorBlockSystem,
  newGmresWorkspace,
  solveTransposed,
  type BlockFactor,
  type GmresWorkspace,
} from './adjoint-solve';
import { createBlockSystem, type BlockSystem } from './blsolve';
import { forceCoefficients } from './inviscid';
import { wakeNodeInfluence } from './panel-kernels';
import type { ViscousSolver } from './viscous';
import { geometricSpacing, WAKE_FIRST_POINT_OFFSET } from './wake';

/**
 * Skip threshold of the approximate factorization that preconditions the adjoint GMRES (XFOIL's
 * VACCEL is 0.01; 0.1 gives a cheaper factorization for two or three more GMRES iterations, measured
 * fastest overall; the solution is exact either way).
 */
export const ADJOINT_VACCEL = 0.1;

/** Objectives of the adjoint: lift, drag, moment coefficients and lift-to-drag ratio. */
export type Objective = 'cl' | 'cd' | 'cm' | 'ld';

/** The objectives in their canonical order. */
export const OBJECTIVES: readonly Objective[] = ['cl', 'cd', 'cm', 'ld'];

/** Gradient of one objective w.r.t. the solver's (chord-1, repaneled) node coordinates. */
export interface PanelGradient {
  objective: Objective;
  /** 'alpha': alpha held fixed; 'cl': CL held fixed (alpha adjusts) */
  mode: 'alpha' | 'cl';
  /** objective value at the converged state (from the adjoint's own evaluation of J(U)) */
  value: number;
  /** dJ/dx_i, dJ/dy_i of the solver's nodes */
  x: Float64Array;
  y: Float64Array;
  /**
   * dJ/dalpha per radian at fixed geometry (fixed-alpha mode); in fixed-CL mode dJ/dCL at fixed
   * geometry (= dJ/dalpha / dCL/dalpha)
   */
  alpha: number;
  /** GMRES iterations and final relative residual of the adjoint solve(s) */
  iterations: number;
  relResidual: number;
}

/** Objective value and its partial derivatives (bars) at fixed inputs. */
interface ObjectivePartials {
  value: number;
  /** per system station: dJ/d ue, dJ/d theta, dJ/d m (direct) */
  ueB: Float64Array;
  thB: Float64Array;
  mB: Float64Array;
  /** dJ/d node coordinates (pressure integration), dJ/dalpha (direct) */
  xB: Float64Array;
  yB: Float64Array;
  alphaB: number;
}

/** Objective J(U; X, alpha) and its partials (CL, CM: Karman-Tsien Cp of q = v ue; CD: Squire-Young). */
function objectivePartials(
  solver: ViscousSolver,
  d: ResidualData,
  ue: Float64Array,
  obj: Objective,
): ObjectivePartials {
  const g = solver.geom;
  const n = g.n;
  const nsys = d.nsys;
  const u = d.u;
  const out: ObjectivePartials = {
    value: 0,
    ueB: new Float64Array(nsys),
    thB: new Float64Array(nsys),
    mB: new Float64Array(nsys),
    xB: new Float64Array(n),
    yB: new Float64Array(n),
    alphaB: 0,
  };
  const mach = solver.settings.mach;
  const alpha = solver.alpha;
  // surface speeds and the node -> station map
  const q = new Float64Array(n);
  const ivOf = new Int32Array(n);
  for (let iv = 0; iv < nsys; iv++) {
    const I = d.node[iv];
    if (I < n) {
      q[I] = d.vti[iv] * ue[iv];
      ivOf[I] = iv;
    }
  }
  const f = forceCoefficients(g.x, g.y, n, q, null, alpha, mach);
  // Squire-Young at the last wake station
  const iv = nsys - 1;
  const th = u[3 * iv + 1];
  const m = u[3 * iv + 2];
  const uel = ue[iv];
  const ds = m / uel;
  const tk = solver.kt.lambda;
  const den = 1 - tk * uel * uel;
  const uk = (uel * (1 - tk)) / den;
  const ukUe = ((1 - tk) * (1 + tk * uel * uel)) / (den * den);
  const hw = ds / th;
  const cd = 2 * th * Math.pow(uk, 0.5 * (5 + hw));
  let clB = 0;
  let cmB = 0;
  let cdB = 0;
  if (obj === 'cl') {
    out.value = f.cl;
    clB = 1;
  } else if (obj === 'cm') {
    out.value = f.cm;
    cmB = 1;
  } else if (obj === 'cd') {
    out.value = cd;
    cdB = 1;
  } else {
    out.value = f.cl / cd;
    clB = 1 / cd;
    cdB = -f.cl / (cd * cd);
  }
  if (clB !== 0 || cmB !== 0) {
    const qB = new Float64Array(n);
    out.alphaB += forcesReverse(g.x, g.y, n, q, alpha, mach, clB, cmB, out.xB, out.yB, qB);
    for (let I = 0; I < n; I++) out.ueB[ivOf[I]] += qB[I] * d.vti[ivOf[I]];
  }
  if (cdB !== 0) {
    const lnUk = Math.log(uk);
    const hwB = cdB * cd * 0.5 * lnUk;
    out.thB[iv] += cdB * (cd / th) - (hwB * hw) / th;
    const dsB = hwB / th;
    const ukB = (cdB * cd * 0.5 * (5 + hw)) / uk;
    out.mB[iv] += dsB / uel;
    out.ueB[iv] += ukB * ukUe - (dsB * m) / (uel * uel);
  }
  return out;
}

/**
 * Per-solver workspace of the adjoint (allocated once per solver and station count, reused by every
 * gradient evaluation: the gradient runs inside optimization loops).
 */
interface Workspace {
  nsys: number;
  n: number;
  nw: number;
  d: ResidualData;
  rw: ResidualWork;
  ue: Float64Array;
  J: BlockSystem;
  /** m-column structure of J (fast J^T products) */
  jc: JacobianCoefficients;
  F: BlockFactor | null;
  gm: GmresWorkspace;
  lam: Float64Array;
  rhs: Float64Array;
  // geometry reverse scratch
  a: Float64Array;
  b: Float64Array;
  e: Float64Array;
  gs: Float64Array;
  gam: Float64Array;
  cvec: Float64Array;
  cpv: Float64Array;
  cneg: Float64Array;
  gE: Float64Array;
  sE: Float64Array;
  sw: Float64Array;
  gamB: Float64Array;
  sB: Float64Array;
  L: Float64Array;
  LB: Float64Array;
  snewB: Float64Array;
  gx: Float64Array;
  gy: Float64Array;
  ab: AirfoilBars;
  wb: WakeBars;
  wnB: WakeBars;
  accA: PanelAccumulator;
  accW: PanelAccumulator;
  /** panel constants of the geometry (computed on first use) */
  pc: PanelConstants | null;
  /** diagnostic: treat the wake trajectory as fixed (AdjointOptions.freezeWake) */
  freezeWake: boolean;
}

const workspaces = new WeakMap<ViscousSolver, Workspace>();

/** The solver's adjoint workspace for its current state (layout, inputs, state refreshed). */
function workspaceFor(solver: ViscousSolver): Workspace {
  const d = residualDataFromSolver(solver, workspaces.get(solver)?.d);
  const n = solver.geom.n;
  const nw = solver.wake!.nw;
  let ws = workspaces.get(solver);
  if (!ws || ws.nsys !== d.nsys || ws.n !== n || ws.nw !== nw) {
    const nTot = n + nw;
    const cap = d.nsys;
    ws = {
      nsys: d.nsys,
      n,
      nw,
      d,
      rw: newResidualWork(d),
      ue: new Float64Array(d.nsys),
      J: createBlockSystem(cap),
      jc: newJacobianCoefficients(d.nsys),
      F: null,
      gm: newGmresWorkspace(3 * d.nsys, d.nsys),
      lam: new Float64Array(3 * d.nsys),
      rhs: new Float64Array(3 * d.nsys),
      a: new Float64Array(nTot),
      b: new Float64Array(nTot),
      e: new Float64Array(nTot),
      gs: new Float64Array(n),
      gam: new Float64Array(n),
      cvec: new Float64Array(n + 1),
      cpv: new Float64Array(n + 1),
      cneg: new Float64Array(n),
      gE: new Float64Array(n),
      sE: new Float64Array(n),
      sw: new Float64Array(nw),
      gamB: new Float64Array(n),
      sB: new Float64Array(n),
      L: new Float64Array(nw),
      LB: new Float64Array(nw),
      snewB: new Float64Array(nw),
      gx: new Float64Array(n),
      gy: new Float64Array(n),
      ab: newAirfoilBars(n),
      wb: { x: new Float64Array(nw), y: new Float64Array(nw) },
      wnB: { x: new Float64Array(nw), y: new Float64Array(nw) },
      accA: newPanelAccumulator(n),
      accW: newPanelAccumulator(nw),
      pc: null,
      freezeWake: false,
    };
    workspaces.set(solver, ws);
  }
  ws.d = d;
  if (!ws.pc) ws.pc = panelConstants(solver.geom);
  edgeSpeeds(d, d.u, ws.ue);
  return ws;
}

/**
 * Geometry reverse sweep: from the bars of the residual inputs P (and the objective's direct bars)
 * to dJ/d(node coordinates) (added to xB, yB) and dJ/dalpha (returned). See the module comment.
 */
function geometryReverse(
  solver: ViscousSolver,
  ws: Workspace,
  bars: ResidualBars,
  xB: Float64Array,
  yB: Float64Array,
  alphaB0: number,
): number {
  const d = ws.d;
  const g = solver.geom;
  const inv = solver.inv;
  const wake = solver.wake!;
  const dij = solver.dij!;
  const n = g.n;
  const nw = wake.nw;
  const nTot = n + nw;
  const alpha = solver.alpha;
  const ca = Math.cos(alpha);
  const sa = Math.sin(alpha);
  let alphaB = alphaB0;
  const u = d.u;

  // ---- node-indexed weights: D-row weights a, masses b, inviscid-speed weights e
  const { a, b, e, gs, gam, cvec, cpv, gE, sE, sw, gamB, sB, ab, wb, wnB, accA, accW } = ws;
  const cneg = ws.cneg;
  a.fill(0);
  b.fill(0);
  e.fill(0);
  for (let iv = 0; iv < d.nsys; iv++) {
    const I = d.node[iv];
    const v = d.vti[iv];
    const ub = bars.ue[iv];
    a[I] = -v * ub;
    b[I] = v * u[3 * iv + 2];
    e[I] = v * ub;
    alphaB += ub * d.ueInvA[iv];
  }
  // wake node 0: DIJ row = TE row n-1, speed = gam_(n-1)
  a[n - 1] += a[n];
  a[n] = 0;
  e[n - 1] += e[n];
  e[n] = 0;
  const bAir = b.subarray(0, n);
  const bW = b.subarray(n, nTot);
  // vortex strengths induced by the sources: gs = D_air b (airfoil rows of DIJ)
  for (let i = 0; i < n; i++) {
    let s = 0;
    const r = i * nTot;
    for (let J = 0; J < nTot; J++) s += dij.dij[r + J] * b[J];
    gs[i] = s;
  }
  for (let j = 0; j < n; j++) gam[j] = ca * inv.gam0[j] + sa * inv.gam90[j];
  // abar = a_air + Cw^T a_wake, ebar = e_air + Cw^T e_wake (Cw = wake rows' dq/dgam)
  for (let m = 0; m < n; m++) {
    cvec[m] = a[m];
    cpv[m] = e[m];
  }
  cvec[n] = 0;
  for (let k = 1; k < nw; k++) {
    const ak = a[n + k];
    const ek = e[n + k];
    if (ak === 0 && ek === 0) continue;
    const r = k * n;
    for (let m = 0; m < n; m++) {
      const c = wake.dqdg[r + m];
      cvec[m] += c * ak;
      cpv[m] += c * ek;
    }
  }
  luSolveTransposed(inv.lu, inv.size, inv.piv, cvec);

  ab.x.fill(0);
  ab.y.fill(0);
  ab.scs = 0;
  ab.sds = 0;
  wb.x.fill(0);
  wb.y.fill(0);
  wnB.x.fill(0);
  wnB.y.fill(0);
  clearPanelAccumulator(accA);
  clearPanelAccumulator(accW);
  const fb = newFieldBars();
  const tb: TeBars = newTeBars();
  const bis = g.sharp ? n - 1 : -1;

  // ---- airfoil rows, wake-source part (weights -c_i)
  for (let i = 0; i < n; i++) cneg[i] = -cvec[i];
  airfoilRowsWakeSourcePsiVJP(g, wake, cneg, bW, bis, ab, wb, accW);
  // ---- wake rows k >= 1 (dq along the wake normal)
  for (let k = 1; k < nw; k++) {
    const ak = a[n + k];
    const ek = e[n + k];
    if (ak === 0 && ek === 0) continue;
    for (let j = 0; j < n; j++) {
      gE[j] = ak * gs[j] + ek * gam[j];
      sE[j] = ak * bAir[j];
    }
    for (let l = 0; l < nw; l++) sw[l] = ak * bW[l];
    fb.x = fb.y = fb.nx = fb.ny = 0;
    airfoilInfluenceVJP(
      g,
      n + k,
      wake.x[k],
      wake.y[k],
      wake.nx[k],
      wake.ny[k],
      MODE_DQ,
      gE,
      sE,
      ab,
      accA,
      fb,
    );
    wakeSourceInfluenceVJP(
      wake,
      n,
      n + k,
      wake.x[k],
      wake.y[k],
      wake.nx[k],
      wake.ny[k],
      MODE_DQ,
      sw,
      wb,
      accW,
      fb,
    );
    wb.x[k] += fb.x;
    wb.y[k] += fb.y;
    // freestream part of the inviscid wake speed: ca ny - sa nx
    wnB.x[k] += fb.nx - ek * sa;
    wnB.y[k] += fb.ny + ek * ca;
  }
  finishWakePanels(wake, accW, wb);
  // ---- wake lengths (station xi) and wake gap
  const L = ws.L;
  const LB = ws.LB;
  L[0] = 0;
  for (let k = 1; k < nw; k++)
    L[k] = L[k - 1] + Math.hypot(wake.x[k] - wake.x[k - 1], wake.y[k] - wake.y[k - 1]);
  for (let k = 0; k < nw; k++) LB[k] = bars.sNode[d.ivWake0 + k];
  wakeGapReverse(g, L, bars.wgap, tb, LB);
  arcLengthReverse(wake.x, wake.y, LB, wb.x, wb.y);
  tb.ante += bars.ante;

  // ---- wake trajectory (reverse of the streamline march) -> gam bars
  gamB.fill(0);
  sB.fill(0);
  if (!ws.freezeWake) {
    alphaB += wakeMarchReverse(solver, ws, tb);
    // the march used gam(alpha) = cos(a) gam0 + sin(a) gam90
    for (let j = 0; j < n; j++) alphaB += gamB[j] * (-sa * inv.gam0[j] + ca * inv.gam90[j]);
  }

  // ---- inviscid speeds: c' = A^-T (ebar + gamB)
  for (let m = 0; m < n; m++) cpv[m] += gamB[m];
  cpv[n] = 0;
  luSolveTransposed(inv.lu, inv.size, inv.piv, cpv);

  // ---- airfoil rows, airfoil panels (weights -c_i with (gs, b_air), -c'_i with gam)
  airfoilRowsPsiVJP(g, ws.pc!, cvec, cpv, gs, gam, bAir, bis, ab, accA);
  for (let i = 0; i < n; i++) {
    if (i === bis) continue;
    xB[i] += cpv[i] * sa;
    yB[i] -= cpv[i] * ca;
  }
  if (bis >= 0) {
    const ci = cvec[bis];
    const cpi = cpv[bis];
    for (let j = 0; j < n; j++) {
      gE[j] = -(ci * gs[j] + cpi * gam[j]);
      sE[j] = -ci * bAir[j];
    }
    fb.x = fb.y = fb.nx = fb.ny = 0;
    airfoilInfluenceVJP(g, -1, inv.xbis, inv.ybis, -inv.sbis, inv.cbis, MODE_DQ, gE, sE, ab, accA, fb);
    bisectorReverse(solver, fb.x, fb.y, fb.nx, fb.ny, -cpi * ca, -cpi * sa, tb, xB, yB);
  }
  finishAirfoilPanels(g, accA, ab);
  for (let j = 0; j < n; j++) {
    xB[j] += ab.x[j];
    yB[j] += ab.y[j];
  }
  tb.scs += ab.scs;
  tb.sds += ab.sds;

  // ---- station arc lengths and stagnation point
  for (let iv = 0; iv < d.nsys; iv++) {
    const I = d.node[iv];
    if (I < n) sB[I] += bars.sNode[iv];
  }
  sB[d.ist] += bars.sA;
  sB[d.ist + 1] += bars.sB;
  for (let side = 0; side < 2; side++) {
    if (bars.trip[side] !== 0) tripReverse(solver, d.trip[side], bars.trip[side], sB, xB, yB);
  }
  panelGeometryReverse(g, tb, sB, xB, yB);
  return alphaB;
}

/**
 * Reverse of the trip's spline arc length sTrip (blstate.ts tripXi, XFOIL XIFSET): the root of
 * x/c(s) = xtr, x/c the chord-line coordinate of the nodes ((r - r_LE) . (r_TE - r_LE)/chord^2,
 * spline LE) splined in s. Given the bar of sTrip, adds node and arc-length bars.
 */
function tripReverse(
  solver: ViscousSolver,
  sTrip: number,
  sTripB: number,
  sB: Float64Array,
  xB: Float64Array,
  yB: Float64Array,
): void {
  const g = solver.geom;
  const S = solver.state!;
  const n = g.n;
  const xoc = S.xoc;
  const xocS = S.xocS;
  const i = findInterval(g.s, sTrip);
  const ev = cubicEval(xoc, xocS, g.s, i, sTrip, new Float64Array(3));
  // implicit: xoc(sTrip) = xtr
  const lam = -sTripB / ev[1];
  const xocB = new Float64Array(n);
  const xocSB = new Float64Array(n);
  cubicReverse(xoc, xocS, g.s, i, sTrip, lam, 0, 0, xocB, xocSB, sB);
  splineSlopesReverse(xoc, g.s, xocS, xocSB, xocB, sB);
  // xoc_i = ((x_i - xle) chx + (y_i - yle) chy)/chsq, ch = r_TE - r_LE
  const chx = g.xte - g.xle;
  const chy = g.yte - g.yle;
  const chsq = chx * chx + chy * chy;
  let chxB = 0;
  let chyB = 0;
  let xleB = 0;
  let yleB = 0;
  for (let k = 0; k < n; k++) {
    const b = xocB[k];
    if (b === 0) continue;
    const dx = g.x[k] - g.xle;
    const dy = g.y[k] - g.yle;
    xB[k] += (b * chx) / chsq;
    yB[k] += (b * chy) / chsq;
    xleB -= (b * chx) / chsq;
    yleB -= (b * chy) / chsq;
    chxB += (b * (dx - 2 * chx * xoc[k])) / chsq;
    chyB += (b * (dy - 2 * chy * xoc[k])) / chsq;
  }
  xB[0] += 0.5 * chxB;
  xB[n - 1] += 0.5 * chxB;
  yB[0] += 0.5 * chyB;
  yB[n - 1] += 0.5 * chyB;
  xleB -= chxB;
  yleB -= chyB;
  // spline LE of the panel geometry: value at s_le plus the implicit dependence of s_le
  const sp = { n, s: g.s, x: g.x, y: g.y, xs: g.xp, ys: g.yp };
  const b = newSplineBars(n);
  const il = findInterval(g.s, g.sle);
  let sleB = cubicReverse(g.x, g.xp, g.s, il, g.sle, xleB, 0, 0, b.x, b.xs, b.s);
  sleB += cubicReverse(g.y, g.yp, g.s, il, g.sle, yleB, 0, 0, b.y, b.ys, b.s);
  leadingEdgeReverse(sp, g.sle, sleB, b);
  // spline-data bars -> node bars; the s bars join sB (arc length converted with the rest)
  splineSlopesReverse(g.x, g.s, g.xp, b.xs, b.x, b.s);
  splineSlopesReverse(g.y, g.s, g.yp, b.ys, b.y, b.s);
  for (let k = 0; k < n; k++) {
    xB[k] += b.x[k];
    yB[k] += b.y[k];
    sB[k] += b.s[k];
  }
}

/**
 * Reverse of the sharp-TE bisector row geometry (inviscid.ts buildInviscidSystem): control point
 * r_TE - 0.1 dsmin (cos, sin)(abis), direction (-sin, cos)(abis), abis = mean of the two TE tangent
 * angles; cbisB0, sbisB0 = extra bars of cos/sin(abis) (the row's freestream right-hand side).
 */
function bisectorReverse(
  solver: ViscousSolver,
  fx: number,
  fy: number,
  fnx: number,
  fny: number,
  cbisB0: number,
  sbisB0: number,
  tb: TeBars,
  xB: Float64Array,
  yB: Float64Array,
): void {
  const g = solver.geom;
  const inv = solver.inv;
  const n = g.n;
  const { x, y } = g;
  const ds1 = Math.hypot(x[0] - x[1], y[0] - y[1]);
  const ds2 = Math.hypot(x[n - 1] - x[n - 2], y[n - 1] - y[n - 2]);
  const dsmin = Math.min(ds1, ds2);
  const cb = inv.cbis;
  const sb = inv.sbis;
  tb.xte += fx;
  tb.yte += fy;
  const cbisB = cbisB0 + fny - 0.1 * dsmin * fx;
  const sbisB = sbisB0 - fnx - 0.1 * dsmin * fy;
  const dsminB = -0.1 * (fx * cb + fy * sb);
  const abisB = -sb * cbisB + cb * sbisB;
  const agB = 0.5 * abisB;
  const xp0 = g.xp[0];
  const yp0 = g.yp[0];
  const xpN = g.xp[n - 1];
  const ypN = g.yp[n - 1];
  const q0 = xp0 * xp0 + yp0 * yp0;
  const qN = xpN * xpN + ypN * ypN;
  // ag1 = atan2(-yp0, -xp0), ag2 = atan2(ypN, xpN)
  tb.yp0 += (agB * xp0) / q0;
  tb.xp0 -= (agB * yp0) / q0;
  tb.ypN += (agB * xpN) / qN;
  tb.xpN -= (agB * ypN) / qN;
  const [ia, ib, l] = ds1 <= ds2 ? [1, 0, ds1] : [n - 2, n - 1, ds2];
  const fxl = (dsminB * (x[ib] - x[ia])) / l;
  const fyl = (dsminB * (y[ib] - y[ia])) / l;
  xB[ib] += fxl;
  yB[ib] += fyl;
  xB[ia] -= fxl;
  yB[ia] -= fyl;
}

/**
 * Reverse of the wake streamline march (wake.ts buildWake): from the bars of the wake nodes (ws.wb,
 * consumed) and wake normals (ws.wnB), adds the bars of the surface vorticity gam (ws.gamB), of the
 * airfoil nodes through the kernels (ws.ab, ws.accA), of the TE quantities (tb: TE midpoint, end
 * slopes, chord) and of the node arc lengths (ws.sB, through the first spacing). Returns the alpha bar.
 */
function wakeMarchReverse(solver: ViscousSolver, ws: Workspace, tb: TeBars): number {
  const g = solver.geom;
  const wake = solver.wake!;
  const { gam, wb, wnB, gamB, ab, accA, sB, gx, gy, snewB } = ws;
  const n = g.n;
  const nw = wake.nw;
  const alpha = wake.alphaRad;
  const ca = Math.cos(alpha);
  const sa = Math.sin(alpha);
  const fb = newFieldBars();
  let alphaB = 0;
  const ds1 = 0.5 * (g.s[1] - g.s[0] + g.s[n - 1] - g.s[n - 2]);
  const smax = wake.lengthChords * g.chord;
  const snew = geometricSpacing(ds1, smax, nw);
  snewB.fill(0);
  for (let k = nw - 1; k >= 1; k--) {
    // W_k = W_(k-1) + ds (-ny_k, nx_k)
    const ds = snew[k] - snew[k - 1];
    const wx = wb.x[k];
    const wy = wb.y[k];
    wb.x[k - 1] += wx;
    wb.y[k - 1] += wy;
    const dsB = -wake.ny[k] * wx + wake.nx[k] * wy;
    snewB[k] += dsB;
    snewB[k - 1] -= dsB;
    const nxB = wnB.x[k] + ds * wy;
    const nyB = wnB.y[k] - ds * wx;
    if (nxB === 0 && nyB === 0) continue;
    // n_k = -(psiX, psiY)/|psi|, psi gradient at W_(k-1) (freestream + airfoil vorticity)
    const xk = wake.x[k - 1];
    const yk = wake.y[k - 1];
    wakeNodeInfluence(g, xk, yk, 0, 0, false, true, gx, gx, 0, gx, gy);
    let psiX = -sa;
    let psiY = ca;
    for (let j = 0; j < n; j++) {
      psiX += gx[j] * gam[j];
      psiY += gy[j] * gam[j];
    }
    const gm = Math.hypot(psiX, psiY);
    const nx = -psiX / gm;
    const ny = -psiY / gm;
    const dot = nxB * nx + nyB * ny;
    const psiXB = -(nxB - dot * nx) / gm;
    const psiYB = -(nyB - dot * ny) / gm;
    alphaB += -psiXB * ca - psiYB * sa;
    for (let j = 0; j < n; j++) gamB[j] += psiXB * gx[j] + psiYB * gy[j];
    // geometry: the gradient kernels along the (constant) direction (psiXB, psiYB)
    fb.x = fb.y = fb.nx = fb.ny = 0;
    airfoilInfluenceVJP(g, n + k - 1, xk, yk, psiXB, psiYB, MODE_DQ, gam, null, ab, accA, fb);
    wb.x[k - 1] += fb.x;
    wb.y[k - 1] += fb.y;
  }
  // first node: TE midpoint + 1e-4 along the bisector normal n0 = (sx, sy)/|.|,
  // sx = (yp_(n-1) - yp_0)/2, sy = (xp_0 - xp_(n-1))/2; W0 = r_TE + 1e-4 (-n0y, n0x)
  tb.xte += wb.x[0];
  tb.yte += wb.y[0];
  const n0xB = wnB.x[0] + WAKE_FIRST_POINT_OFFSET * wb.y[0];
  const n0yB = wnB.y[0] - WAKE_FIRST_POINT_OFFSET * wb.x[0];
  {
    const sx = 0.5 * (g.yp[n - 1] - g.yp[0]);
    const sy = 0.5 * (g.xp[0] - g.xp[n - 1]);
    const sm = Math.hypot(sx, sy);
    const nx = sx / sm;
    const ny = sy / sm;
    const dot = n0xB * nx + n0yB * ny;
    const sxB = (n0xB - dot * nx) / sm;
    const syB = (n0yB - dot * ny) / sm;
    tb.ypN += 0.5 * sxB;
    tb.yp0 -= 0.5 * sxB;
    tb.xp0 += 0.5 * syB;
    tb.xpN -= 0.5 * syB;
  }
  const [ds1B, smaxB] = geometricSpacingReverse(ds1, smax, nw, snewB);
  tb.chord += smaxB * wake.lengthChords;
  sB[1] += 0.5 * ds1B;
  sB[0] -= 0.5 * ds1B;
  sB[n - 1] += 0.5 * ds1B;
  sB[n - 2] -= 0.5 * ds1B;
  return alphaB;
}

/** Options of adjointPanelGradient. */
export interface AdjointOptions {
  /** 'alpha' (default): alpha held fixed; 'cl': CL held fixed (alpha adjusts) */
  mode?: 'alpha' | 'cl';
  /** GMRES tolerance of the adjoint solve (default 1e-12) */
  tolerance?: number;
  /**
   * diagnostic only: treat the wake trajectory as independent of the geometry and alpha (drops the
   * reverse of the streamline march); the solver does rebuild it, so this gradient is inexact
   */
  freezeWake?: boolean;
}

/** dJ/dX|_alpha and dJ/dalpha of one objective (one adjoint solve + one reverse sweep). */
function fixedAlphaGradient(
  solver: ViscousSolver,
  ws: Workspace,
  obj: Objective,
  tol: number,
): PanelGradient {
  const d = ws.d;
  const nsys = d.nsys;
  const op = objectivePartials(solver, d, ws.ue, obj);
  // adjoint right-hand side dJ/dU (ue = ueInv + UM m)
  const rhs = ws.rhs;
  rhs.fill(0);
  for (let j = 0; j < nsys; j++) {
    rhs[3 * j + 1] = op.thB[j];
    rhs[3 * j + 2] = op.mB[j];
  }
  for (let i = 0; i < nsys; i++) {
    const c = op.ueB[i];
    if (c === 0) continue;
    const o = i * nsys;
    for (let j = 0; j < nsys; j++) rhs[3 * j + 2] += c * d.um[o + j];
  }
  const sol = solveTransposed(
    ws.J,
    ws.F!,
    rhs,
    { tolerance: tol, multiply: (y, x) => void multiplyTransposeStructured(ws.J, ws.jc, d.um, y, x) },
    ws.lam,
    ws.gm,
  );
  const lam = sol.lam;
  for (let i = 0; i < lam.length; i++) lam[i] = -lam[i];
  const bars = newResidualBars(d);
  residualReverse(d, d.u, lam, bars, ws.rw);
  for (let i = 0; i < nsys; i++) bars.ue[i] += op.ueB[i];
  const xB = op.xB;
  const yB = op.yB;
  const alphaB = geometryReverse(solver, ws, bars, xB, yB, op.alphaB);
  return {
    objective: obj,
    mode: 'alpha',
    value: op.value,
    x: xB,
    y: yB,
    alpha: alphaB,
    iterations: sol.iterations,
    relResidual: sol.relResidual,
  };
}

/**
 * Adjoint gradients of the given objectives at the solver's current converged viscous state, w.r.t.
 * the solver's node coordinates (and alpha). In fixed-CL mode (options.mode 'cl') the gradients hold
 * CL at its current value (one more adjoint solve and reverse sweep, for CL). Throws a FoiloptError
 * when the solver has no converged viscous state.
 */
export function adjointPanelGradients(
  solver: ViscousSolver,
  objectives: readonly Objective[],
  options: AdjointOptions = {},
): PanelGradient[] {
  if (!solver.state || !solver.converged || !solver.settings.viscous)
    throw new FoiloptError('adjoint: the solver has no converged viscous solution');
  const mode = options.mode ?? 'alpha';
  const tol = options.tolerance ?? 1e-12;
  const ws = workspaceFor(solver);
  ws.freezeWake = options.freezeWake ?? false;
  assembleJacobian(ws.d, ws.d.u, ws.rw, ws.J, ws.jc);
  const g = solver.geom;
  ws.F = factorBlockSystem(ws.J, ADJOINT_VACCEL, g.s[g.n - 1] - g.s[0], ws.F ?? undefined);
  if (!ws.F) throw new FoiloptError('adjoint: singular Newton system');
  const out: PanelGradient[] = [];
  let clGrad: PanelGradient | null = null;
  for (const obj of objectives) {
    const gr = fixedAlphaGradient(solver, ws, obj, tol);
    if (mode === 'cl') {
      if (!clGrad) clGrad = obj === 'cl' ? gr : fixedAlphaGradient(solver, ws, 'cl', tol);
      const ratio = gr.alpha / clGrad.alpha;
      const x = new Float64Array(gr.x.length);
      const y = new Float64Array(gr.y.length);
      for (let i = 0; i < x.length; i++) {
        x[i] = gr.x[i] - ratio * clGrad.x[i];
        y[i] = gr.y[i] - ratio * clGrad.y[i];
      }
      out.push({
        ...gr,
        mode: 'cl',
        x,
        y,
        alpha: ratio,
        iterations: gr.iterations + (obj === 'cl' ? 0 : clGrad.iterations),
        relResidual: Math.max(gr.relResidual, clGrad.relResidual),
      });
    } else {
      out.push(gr);
    }
  }
  return out;
}
