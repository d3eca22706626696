/**
 * Inviscid linear-vorticity stream-function panel method in XFOIL 6.99's formulation (xpanel.f /
 * xfoil.f: SCALC, SEGSPL, NCALC, APCALC, TECALC, GGCALC, SPECAL, CLCALC), written from the physics
 * reference sections 2, 8 and 9.
 *
 * Conventions: n airfoil nodes, counterclockwise, node 0 = upper TE, node n-1 = lower TE (XFOIL's
 * node i+1), chord ~1 (normalize first); speeds divided by Qinf = 1; angles in radians here (the
 * public API of the solver converts from degrees). Panel j runs from node j to node j+1; "panel"
 * n-1 is the TE gap panel from node n-1 to node 0.
 *
 * Unknowns of the panel system: gam_0..gam_(n-1) (surface vorticity = surface speed q, positive in
 * the clockwise sense: upper surface LE -> TE) and Psi0 (the surface stream-function value).
 */
import { FoiloptError } from '../errors';
import { buildSpline, findLeadingEdge } from '../geometry/spline';
import { luFactor, luSolve, luSolveMany } from './dense-lu';
import { airfoilInfluence, newKernelOutput, type KernelOutput, type KernelPanels } from './panel-kernels';

/** XFOIL's TE bisector-point offset factor for the sharp-TE row (BWT) */
export const SHARP_TE_BISECTOR_WEIGHT = 0.1;
/** sharp TE when the gap |P_0 - P_(n-1)| < this times the chord [xfoil.f TECALC] */
export const SHARP_TE_GAP_RATIO = 1e-4;
/** gap panel omitted when the gap < this times the total arc length (SEPS) [xfoil.f] */
export const GAP_PANEL_EPS_RATIO = 1e-5;

/**
 * Airfoil panel geometry (everything the panel method derives from the node coordinates).
 * All arrays have length n.
 */
export interface PanelGeometry extends KernelPanels {
  /** number of airfoil nodes N */
  n: number;
  /** node coordinates (copies of the input) */
  x: Float64Array;
  y: Float64Array;
  /** cumulative chord length of the node polyline, s[0] = 0 (XFOIL SCALC; the spline parameter) */
  s: Float64Array;
  /** spline derivatives dx/ds, dy/ds at the nodes (XFOIL SEGSPL: zero-third-derivative ends) */
  xp: Float64Array;
  yp: Float64Array;
  /** outward unit normal (yp, -xp)/|.| at the nodes (XFOIL NCALC) */
  nx: Float64Array;
  ny: Float64Array;
  /** panel angle atan2(dx, -dy) of panel j (j = n-1: TE gap panel, pi when sharp) (XFOIL APCALC) */
  apanel: Float64Array;
  /** panel length |P_(j+1) - P_j|; j = n-1: TE gap |P_0 - P_(n-1)| */
  panelLength: Float64Array;
  /** TE midpoint (P_0 + P_(n-1))/2 */
  xte: number;
  yte: number;
  /** leading edge (XFOIL LEFIND): spline parameter and position */
  sle: number;
  xle: number;
  yle: number;
  /** |r_TE - r_LE| (XFOIL CHORD) */
  chord: number;
  /** TE gap projected normal to the TE bisector (b x c, b = mean downstream TE tangent, c = P_0 - P_(n-1)) */
  ante: number;
  /** TE gap projected along the bisector (b . c) */
  aste: number;
  /** TE gap |P_0 - P_(n-1)| */
  dste: number;
  /** dste < 1e-4 chord: sharp TE (bisector row replaces node n-1's stream-function row) */
  sharp: boolean;
  /** gap-panel source/vortex factors: ante/dste, aste/dste (1, 0 when sharp) */
  scs: number;
  sds: number;
  /** gap panel present: dste >= seps */
  gapPanel: boolean;
  /** 1e-5 (s[n-1] - s[0]) (XFOIL SEPS) */
  seps: number;
}

/**
 * Builds the panel geometry from node coordinates (XFOIL order, chord-1 normalized).
 * Throws a FoiloptError for fewer than 5 nodes or coincident consecutive nodes (doubled points).
 */
export function panelGeometry(xIn: Float64Array, yIn: Float64Array): PanelGeometry {
  const n = xIn.length;
  if (n < 5 || yIn.length !== n) {
    throw new FoiloptError(`panel method needs at least 5 nodes with matching x/y (got ${n}, ${yIn.length})`);
  }
  const sp = buildSpline(xIn, yIn);
  const x = Float64Array.from(xIn);
  const y = Float64Array.from(yIn);
  const s = Float64Array.from(sp.s);
  const xp = Float64Array.from(sp.xs);
  const yp = Float64Array.from(sp.ys);
  const nx = new Float64Array(n);
  const ny = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const m = Math.hypot(xp[i], yp[i]);
    nx[i] = yp[i] / m;
    ny[i] = -xp[i] / m;
  }
  const panelLength = new Float64Array(n);
  for (let j = 0; j < n - 1; j++) {
    panelLength[j] = Math.hypot(x[j + 1] - x[j], y[j + 1] - y[j]);
    // a doubled node (XFOIL's corner marker) would make two stream-function rows identical
    if (panelLength[j] === 0) {
      throw new FoiloptError(`airfoil nodes ${j} and ${j + 1} coincide; remove duplicate points or repanel`);
    }
  }

  // TE geometry [TECALC]
  const xte = 0.5 * (x[0] + x[n - 1]);
  const yte = 0.5 * (y[0] + y[n - 1]);
  const dxte = x[0] - x[n - 1];
  const dyte = y[0] - y[n - 1];
  const dxs = 0.5 * (-xp[0] + xp[n - 1]);
  const dys = 0.5 * (-yp[0] + yp[n - 1]);
  const ante = dxs * dyte - dys * dxte;
  const aste = dxs * dxte + dys * dyte;
  const dste = Math.hypot(dxte, dyte);
  panelLength[n - 1] = dste;

  const le = findLeadingEdge(sp);
  const chord = Math.hypot(xte - le.x, yte - le.y);
  const sharp = dste < SHARP_TE_GAP_RATIO * chord;
  const scs = sharp ? 1 : ante / dste;
  const sds = sharp ? 0 : aste / dste;
  const seps = (s[n - 1] - s[0]) * GAP_PANEL_EPS_RATIO;
  const gapPanel = !(dxte * dxte + dyte * dyte < seps * seps);

  // panel angles [APCALC]
  const apanel = new Float64Array(n);
  for (let j = 0; j < n - 1; j++) {
    const sx = x[j + 1] - x[j];
    const sy = y[j + 1] - y[j];
    apanel[j] = Math.atan2(sx, -sy);
  }
  apanel[n - 1] = sharp ? Math.PI : Math.atan2(-dxte, dyte) + Math.PI;

  return {
    n,
    x,
    y,
    s,
    xp,
    yp,
    nx,
    ny,
    apanel,
    panelLength,
    xte,
    yte,
    sle: le.s,
    xle: le.x,
    yle: le.y,
    chord,
    ante,
    aste,
    dste,
    sharp,
    scs,
    sds,
    gapPanel,
    seps,
  };
}

/**
 * The factored inviscid panel system of one geometry (XFOIL GGCALC) and its unit solutions.
 * Matrix rows 0..n-1: psi(node i) - Psi0 = 0 (row n-1 replaced by the zero bisector velocity when
 * sharp); row n: Kutta gam_0 + gam_(n-1) = 0. Columns 0..n-1: gam_j; column n: Psi0.
 */
export interface InviscidSystem {
  geom: PanelGeometry;
  /** matrix size n+1 */
  size: number;
  /** LU factors of the (n+1)x(n+1) matrix, row-major, in place (see dense-lu.ts) */
  lu: Float64Array;
  /** pivot rows of the LU factorization */
  piv: Int32Array;
  /** alpha = 0 unit solution: gam (entries 0..n-1) and Psi0 (entry n); also the surface speed q */
  gam0: Float64Array;
  /** alpha = 90 deg unit solution, same layout */
  gam90: Float64Array;
  /**
   * Right-hand sides of the airfoil node sources, (n+1) x n row-major: bsig[i*n + j] = minus the
   * derivative of row i's residual w.r.t. SIG_j (-dpsi_i/dSIG_j; bisector row -dq_b/dSIG_j; Kutta 0).
   */
  bsig: Float64Array;
  /**
   * dgam_i/dSIG_j = dq_i/dSIG_j for airfoil nodes i, j, (n+1) x n row-major (row n: dPsi0/dSIG_j);
   * null until airfoilSourceInfluence(sys) is called (QDCALC airfoil block).
   */
  dgamDsig: Float64Array | null;
  /** sharp TE: bisector control point and bisector direction (cos, sin); zeros when blunt */
  xbis: number;
  ybis: number;
  cbis: number;
  sbis: number;
  /** kernel scratch (n airfoil nodes, wake arrays sized on demand) */
  work: KernelOutput;
}

/**
 * Sets up and LU-factors the panel system and solves the alpha = 0 and 90 deg unit solutions
 * (XFOIL GGCALC). Also stores the airfoil-source right-hand sides for the source influence matrix.
 */
export function buildInviscidSystem(geom: PanelGeometry): InviscidSystem {
  const n = geom.n;
  const m = n + 1;
  const a = new Float64Array(m * m);
  const bsig = new Float64Array(m * n);
  const gam0 = new Float64Array(m);
  const gam90 = new Float64Array(m);
  const ws = newKernelOutput(n, 0);
  const { x, y, nx, ny } = geom;
  for (let i = 0; i < n; i++) {
    airfoilInfluence(geom, i, x[i], y[i], nx[i], ny[i], true, ws);
    const ra = i * m;
    const rb = i * n;
    for (let j = 0; j < n; j++) {
      a[ra + j] = ws.dzdg[j];
      bsig[rb + j] = -ws.dzdm[j];
    }
    a[ra + n] = -1;
    gam0[i] = -y[i]; // -psi_inf(alpha=0) = -Qinf y
    gam90[i] = x[i]; // -psi_inf(alpha=90) = +Qinf x
  }
  // Kutta condition gam_0 + gam_(n-1) = 0 (no source influence)
  const rk = n * m;
  a[rk] = 1;
  a[rk + n - 1] = 1;
  gam0[n] = 0;
  gam90[n] = 0;

  let xbis = 0;
  let ybis = 0;
  let cbis = 0;
  let sbis = 0;
  if (geom.sharp) {
    // zero velocity along the TE bisector at an interior point just ahead of the TE
    const ag1 = Math.atan2(-geom.yp[0], -geom.xp[0]);
    let ag2 = Math.atan2(geom.yp[n - 1], geom.xp[n - 1]);
    if (ag2 - ag1 > Math.PI) ag2 -= 2 * Math.PI;
    else if (ag2 - ag1 < -Math.PI) ag2 += 2 * Math.PI;
    const abis = 0.5 * (ag1 + ag2);
    cbis = Math.cos(abis);
    sbis = Math.sin(abis);
    const ds1 = Math.hypot(x[0] - x[1], y[0] - y[1]);
    const ds2 = Math.hypot(x[n - 1] - x[n - 2], y[n - 1] - y[n - 2]);
    const dsmin = Math.min(ds1, ds2);
    xbis = geom.xte - SHARP_TE_BISECTOR_WEIGHT * dsmin * cbis;
    ybis = geom.yte - SHARP_TE_BISECTOR_WEIGHT * dsmin * sbis;
    airfoilInfluence(geom, -1, xbis, ybis, -sbis, cbis, true, ws);
    const ra = (n - 1) * m;
    const rb = (n - 1) * n;
    for (let j = 0; j < n; j++) {
      a[ra + j] = ws.dqdg[j];
      bsig[rb + j] = -ws.dqdm[j];
    }
    a[ra + n] = 0;
    gam0[n - 1] = -cbis; // minus the freestream velocity along the bisector
    gam90[n - 1] = -sbis;
  }
  const piv = new Int32Array(m);
  luFactor(a, m, piv);
  luSolve(a, m, piv, gam0);
  luSolve(a, m, piv, gam90);
  return { geom, size: m, lu: a, piv, gam0, gam90, bsig, dgamDsig: null, xbis, ybis, cbis, sbis, work: ws };
}

/**
 * Airfoil block of the source influence matrix, dgam_i/dSIG_j (XFOIL QDCALC, first part): the
 * stored source right-hand sides back-substituted through the kept LU factors. Cached in
 * sys.dgamDsig ((n+1) x n row-major, last row dPsi0/dSIG_j) and returned.
 */
export function airfoilSourceInfluence(sys: InviscidSystem): Float64Array {
  if (sys.dgamDsig) return sys.dgamDsig;
  const d = Float64Array.from(sys.bsig);
  luSolveMany(sys.lu, sys.size, sys.piv, d, sys.geom.n);
  sys.dgamDsig = d;
  return d;
}

/** Karman-Tsien constants for a freestream Mach number: beta = sqrt(1 - M^2), bfac = M^2/(2 (1 + beta)). */
export interface KarmanTsien {
  mach: number;
  beta: number;
  /** Cp = Cp_inc/(beta + bfac Cp_inc) */
  bfac: number;
  /** lam_KT = M^2/(1 + beta)^2 (speed map uk = ue (1 - lam)/(1 - lam ue^2)) */
  lambda: number;
}

/** Karman-Tsien constants (section 9); throws a FoiloptError for Mach outside [0, 1). */
export function karmanTsien(mach: number): KarmanTsien {
  if (!(mach >= 0 && mach < 1)) throw new FoiloptError(`Mach number must be in [0, 1), got ${mach}`);
  const beta = Math.sqrt(1 - mach * mach);
  return {
    mach,
    beta,
    bfac: (0.5 * mach * mach) / (1 + beta),
    lambda: (mach * mach) / ((1 + beta) * (1 + beta)),
  };
}

/** Karman-Tsien pressure coefficient of the incompressible speed q (Qinf = 1). */
export function cpFromSpeed(q: number, kt: KarmanTsien): number {
  const cpi = 1 - q * q;
  return cpi / (kt.beta + kt.bfac * cpi);
}

/** Integrated force coefficients (XFOIL CLCALC). */
export interface ForceCoefficients {
  /** lift coefficient (chord 1) */
  cl: number;
  /** pitching moment about (xref, yref), nose-up positive */
  cm: number;
  /** near-field pressure drag (noisy, not reported by XFOIL) */
  cdp: number;
  /** dCL/dalpha per radian (geometry rotation plus dq/dalpha) */
  clAlpha: number;
  /** dCL/d(Minf^2) */
  clMsq: number;
}

/** A zeroed ForceCoefficients, to be reused. */
export function newForceCoefficients(): ForceCoefficients {
  return { cl: 0, cm: 0, cdp: 0, clAlpha: 0, clMsq: 0 };
}

/**
 * CL, CM, CDp by integrating the Karman-Tsien Cp of the node speeds q (linear per panel) over all
 * panels including the TE gap panel (XFOIL CLCALC). `dqda` = dq/dalpha (may be null: clAlpha then
 * only holds the geometric part). CM about (xref, yref), default (0.25, 0).
 */
export function forceCoefficients(
  x: Float64Array,
  y: Float64Array,
  n: number,
  q: Float64Array,
  dqda: Float64Array | null,
  alphaRad: number,
  mach: number,
  out: ForceCoefficients = newForceCoefficients(),
  xref = 0.25,
  yref = 0,
): ForceCoefficients {
  const sa = Math.sin(alphaRad);
  const ca = Math.cos(alphaRad);
  const beta = Math.sqrt(1 - mach * mach);
  const betaMsq = -0.5 / beta;
  const bfac = (0.5 * mach * mach) / (1 + beta);
  const bfacMsq = 0.5 / (1 + beta) - (bfac / (1 + beta)) * betaMsq;
  let cl = 0;
  let cm = 0;
  let cdp = 0;
  let clAlf = 0;
  let clMsq = 0;

  let cginc = 1 - q[0] * q[0];
  let den = beta + bfac * cginc;
  let cpg1 = cginc / den;
  let cpg1Msq = (-cpg1 / den) * (betaMsq + bfacMsq * cginc);
  let cpg1Alf = dqda ? ((1 - bfac * cpg1) / den) * (-2 * q[0]) * dqda[0] : 0;
  for (let i = 0; i < n; i++) {
    const ip = i === n - 1 ? 0 : i + 1;
    cginc = 1 - q[ip] * q[ip];
    den = beta + bfac * cginc;
    const cpg2 = cginc / den;
    const cpg2Msq = (-cpg2 / den) * (betaMsq + bfacMsq * cginc);
    const cpg2Alf = dqda ? ((1 - bfac * cpg2) / den) * (-2 * q[ip]) * dqda[ip] : 0;
    const ddx = x[ip] - x[i];
    const ddy = y[ip] - y[i];
    const dx = ddx * ca + ddy * sa;
    const dy = ddy * ca - ddx * sa;
    const dg = cpg2 - cpg1;
    const mx = 0.5 * (x[ip] + x[i]) - xref;
    const my = 0.5 * (y[ip] + y[i]) - yref;
    const ax = mx * ca + my * sa;
    const ay = my * ca - mx * sa;
    const ag = 0.5 * (cpg2 + cpg1);
    const dxAlf = -ddx * sa + ddy * ca;
    cl += dx * ag;
    cdp -= dy * ag;
    cm -= dx * (ag * ax + (dg * dx) / 12) + dy * (ag * ay + (dg * dy) / 12);
    clAlf += dx * 0.5 * (cpg2Alf + cpg1Alf) + ag * dxAlf;
    clMsq += dx * 0.5 * (cpg2Msq + cpg1Msq);
    cpg1 = cpg2;
    cpg1Msq = cpg2Msq;
    cpg1Alf = cpg2Alf;
  }
  out.cl = cl;
  out.cm = cm;
  out.cdp = cdp;
  out.clAlpha = clAlf;
  out.clMsq = clMsq;
  return out;
}

/** Inviscid solution at one angle of attack (arrays of length n unless noted). */
export interface InviscidSolution {
  /** angle of attack, radians */
  alphaRad: number;
  /** freestream Mach number (Karman-Tsien Cp and forces) */
  mach: number;
  /** surface vorticity = surface speed q at the nodes (positive clockwise), cos(a) gam0 + sin(a) gam90 */
  gam: Float64Array;
  /** dgam/dalpha (per radian) */
  dgamDalpha: Float64Array;
  /** Karman-Tsien pressure coefficient at the nodes */
  cp: Float64Array;
  /** surface stream-function value Psi0 and its alpha derivative */
  psi0: number;
  dpsi0Dalpha: number;
  /** CL (chord 1) */
  cl: number;
  /** CM about (0.25, 0), nose-up positive */
  cm: number;
  /** dCL/dalpha per radian */
  clAlpha: number;
  /** near-field pressure drag (noisy; ~0 in theory) */
  cdp: number;
}

/** Allocates an InviscidSolution for n nodes. */
export function newInviscidSolution(n: number): InviscidSolution {
  return {
    alphaRad: 0,
    mach: 0,
    gam: new Float64Array(n),
    dgamDalpha: new Float64Array(n),
    cp: new Float64Array(n),
    psi0: 0,
    dpsi0Dalpha: 0,
    cl: 0,
    cm: 0,
    clAlpha: 0,
    cdp: 0,
  };
}

const forceScratch = newForceCoefficients();

/**
 * Inviscid solution at alphaRad (XFOIL SPECAL + CPCALC + CLCALC): superposition of the unit
 * solutions, Karman-Tsien Cp at `mach`, CL, CM, dCL/dalpha. Writes into `out` when given.
 */
export function inviscidSolution(
  sys: InviscidSystem,
  alphaRad: number,
  mach = 0,
  out?: InviscidSolution,
): InviscidSolution {
  const n = sys.geom.n;
  const sol = out ?? newInviscidSolution(n);
  const kt = karmanTsien(mach);
  const ca = Math.cos(alphaRad);
  const sa = Math.sin(alphaRad);
  const { gam0, gam90 } = sys;
  for (let i = 0; i < n; i++) {
    const g = ca * gam0[i] + sa * gam90[i];
    sol.gam[i] = g;
    sol.dgamDalpha[i] = -sa * gam0[i] + ca * gam90[i];
    sol.cp[i] = cpFromSpeed(g, kt);
  }
  sol.psi0 = ca * gam0[n] + sa * gam90[n];
  sol.dpsi0Dalpha = -sa * gam0[n] + ca * gam90[n];
  sol.alphaRad = alphaRad;
  sol.mach = mach;
  const f = forceCoefficients(
    sys.geom.x,
    sys.geom.y,
    n,
    sol.gam,
    sol.dgamDalpha,
    alphaRad,
    mach,
    forceScratch,
  );
  sol.cl = f.cl;
  sol.cm = f.cm;
  sol.clAlpha = f.clAlpha;
  sol.cdp = f.cdp;
  return sol;
}

/**
 * Velocity (u, v) at an arbitrary field point for the node vorticity `gam` (length n) at alphaRad,
 * airfoil vortex + gap panels and freestream (no sources). `io` = node index when the point is an
 * airfoil node, else -1. Writes [u, v] into `uv`.
 */
export function fieldVelocity(
  sys: InviscidSystem,
  gam: Float64Array,
  alphaRad: number,
  xi: number,
  yi: number,
  uv: Float64Array,
  io = -1,
): Float64Array {
  const n = sys.geom.n;
  const ws = sys.work;
  // u = dpsi/dy, v = -dpsi/dx
  airfoilInfluence(sys.geom, io, xi, yi, 0, 1, false, ws);
  let psiY = Math.cos(alphaRad);
  for (let j = 0; j < n; j++) psiY += ws.dqdg[j] * gam[j];
  airfoilInfluence(sys.geom, io, xi, yi, 1, 0, false, ws);
  let psiX = -Math.sin(alphaRad);
  for (let j = 0; j < n; j++) psiX += ws.dqdg[j] * gam[j];
  uv[0] = psiY;
  uv[1] = -psiX;
  return uv;
}
