/**
 * Viscous/inviscid coupled solver in XFOIL 6.99's formulation (xbl.f SETBL, UPDATE; xsolve.f
 * BLSOLV; xpanel.f STMOVE; xoper.f VISCAL; xfoil.f CDCALC), physics reference sections 3, 7 and 8,
 * written from the published description.
 *
 * Unknowns per BL station (both surfaces and the wake): q1 = nAmp (laminar) or s = sqrt(ctau)
 * (turbulent, wake), theta and the mass defect m = ue deltaStar; the edge speed is eliminated through
 * ue = ue_inv(alpha) + D m (D = source influence in BL indexing) and every xi moves with the
 * stagnation point. One Newton iteration (VISCAL):
 *   1. mixed ue-Hk march (MRCHDU) with the current ue: moves transition, puts the stations on their
 *      interval equations;
 *   2. assembly (SETBL) of the interval residuals and their Jacobian w.r.t. (q1, theta, m) of all
 *      stations (dense in m through D and the stagnation-point xi), corrected for the mismatch
 *      between the marched ue and ue_inv + D m;
 *   3. block elimination (BLSOLV, VACCEL = 0.01);
 *   4. relaxed update (UPDATE): -0.5 <= rlx dq/q <= 1.5 for every normalized change, |dCL| <= 0.5
 *      (fixed alpha) or |dalpha| <= 0.5 deg (fixed CL), S <= 0.25, Hk floors, ue <= 0 islands removed;
 *   5. new stagnation point (STMOVE, with the array shift when it moves to another panel), CL, CM
 *      from the viscous surface speed, CD (Squire-Young at the end of the wake), CDF.
 * Converged when the rms of the normalized changes is below 1e-4.
 *
 * Angles are radians inside; the public API (solveAlpha/solveCl, PointResult) uses degrees.
 * Re = 0 or Infinity means inviscid (panel method only, CD = 0).
 */
import { FoiloptError } from '../errors';
import type { Airfoil } from '../geometry/types';
import { createBlockSystem, solveBlockSystem, type BlockSystem } from './blsolve';
import {
  dslim,
  createBlState,
  edgeMachSq,
  HK_FLOOR_AIRFOIL,
  HK_FLOOR_WAKE,
  transitionXoc,
  tripXi,
  type BlState,
} from './blstate';
import {
  blInterval,
  blSimilarity,
  blTransition,
  createBlParams,
  LAMINAR,
  teSystem,
  TURBULENT,
  WAKE,
  type BlParams,
} from './blsys';
import {
  buildInviscidSystem,
  cpFromSpeed,
  forceCoefficients,
  inviscidSolution,
  karmanTsien,
  newForceCoefficients,
  panelGeometry,
  type ForceCoefficients,
  type InviscidSystem,
  type KarmanTsien,
  type PanelGeometry,
} from './inviscid';
import { fillStoredStation, marchDirect, marchMixed, refillRecords } from './march';
import { sourceInfluenceMatrix, type SourceInfluence } from './source-influence';
import {
  buildStationMap,
  inviscidEdgeSpeed,
  newStationMap,
  stagnationPoint,
  type StagnationPoint,
  type StationMap,
} from './stations';
import { failedPoint } from './result';
import type { BoundaryLayerSide, FlowConditions, PointResult, SolverOptions } from './types';
import { buildWake, wakeNodeCount, type Wake } from './wake';

const DEG = Math.PI / 180;

/** XFOIL EPS1: convergence tolerance on the rms of the normalized Newton changes */
export const DEFAULT_TOLERANCE = 1e-4;
/** Newton iterations per point (XFOIL's ASEQ uses ITMAX + 5 = 25; generous default for robustness) */
export const DEFAULT_MAX_ITERATIONS = 50;
/** iteration budget of a point started from the inviscid solution, in units of maxIterations */
const COLD_START_ITERATION_FACTOR = 2;
/** XFOIL VACCEL: skip threshold of the block elimination */
export const VACCEL = 0.01;
/** wake rebuilt when alpha moved by more than this (radians) */
const WAKE_ALPHA_TOLERANCE = 1e-5;
/** max |alpha change| per Newton iteration in fixed-CL mode (radians) */
const DALPHA_MAX = 0.5 * DEG;
/**
 * TRCHEK2 tolerance on |dN2|. XFOIL stops at 5e-5, which leaves xi_T slightly dependent on the
 * iteration's starting value (the march and the assembly start from different values). Solving
 * tightly makes xi_T, hence the residual, a smooth function of the state, as the Jacobian (and an
 * adjoint) assumes; polars are unchanged at XFOIL's printed precision and converge as often.
 */
const TRANSITION_TOLERANCE = 1e-10;
/** iterations without a 20 % rms decrease that count as a stall */
const STALL_ITERATIONS = 3;
/** iterations without a 20 % rms decrease after which the point is given up */
const STALL_ABORT_ITERATIONS = 12;
/** stalls are only broken close to a solution (rms below this) */
const STALL_MAX_RMS = 0.05;
/** max |CL change| per Newton iteration in fixed-alpha mode */
const DCL_MAX = 0.5;

/** per-equation coefficients of one station's VM rows (scratch of assemble) */
const cBprev = new Float64Array(3);
const cBcur = new Float64Array(3);
const cX = new Float64Array(3);
const cDiag1 = new Float64Array(3);
const cDiag2 = new Float64Array(3);

/**
 * The three VM rows of a station in one pass: vm[row0 + k c + j] = bp[k] um[rp + j] +
 * bc[k] um[rc + j] + cx[k] xle[j], k = 0..2, j < n.
 */
function fillRows3(
  vm: Float64Array,
  row0: number,
  c: number,
  um: Float64Array,
  rp: number,
  rc: number,
  xle: Float64Array,
  n: number,
  bp: Float64Array,
  bc: Float64Array,
  cx: Float64Array,
): void {
  const p0 = bp[0];
  const p1 = bp[1];
  const p2 = bp[2];
  const b0 = bc[0];
  const b1 = bc[1];
  const b2 = bc[2];
  const x0 = cx[0];
  const x1 = cx[1];
  const x2 = cx[2];
  const o1 = row0 + c;
  const o2 = o1 + c;
  for (let j = 0; j < n; j++) {
    const up = um[rp + j];
    const uc = um[rc + j];
    const xl = xle[j];
    vm[row0 + j] = p0 * up + b0 * uc + x0 * xl;
    vm[o1 + j] = p1 * up + b1 * uc + x1 * xl;
    vm[o2 + j] = p2 * up + b2 * uc + x2 * xl;
  }
}

/** sum_j a[o + j] b[j], j < n (unrolled) */
function dot(a: Float64Array, o: number, b: Float64Array, n: number): number {
  let s0 = 0;
  let s1 = 0;
  let j = 0;
  for (; j + 1 < n; j += 2) {
    s0 += a[o + j] * b[j];
    s1 += a[o + j + 1] * b[j + 1];
  }
  if (j < n) s0 += a[o + j] * b[j];
  return s0 + s1;
}

/** Fully-resolved solver settings (see resolveSettings). */
export interface Settings {
  re: number;
  mach: number;
  nCrit: number;
  xtrTop: number;
  xtrBot: number;
  maxIterations: number;
  tolerance: number;
  wakeLength: number;
  viscous: boolean;
}

/**
 * Checks and completes flow conditions and solver options (defaults of types.ts); throws a
 * FoiloptError for values a solve cannot use (Re < 0, Mach outside [0, 1), ...).
 */
export function resolveSettings(c: FlowConditions, o: SolverOptions = {}): Settings {
  const re = c.re;
  const mach = c.mach ?? 0;
  const nCrit = c.nCrit ?? 9;
  const xtrTop = c.xtrTop ?? 1;
  const xtrBot = c.xtrBot ?? 1;
  if (!(re >= 0) && re !== Infinity)
    throw new FoiloptError(`Reynolds number must be >= 0 (0 or Infinity = inviscid), got ${re}`);
  if (!(mach >= 0 && mach < 1)) throw new FoiloptError(`Mach number must be in [0, 1), got ${mach}`);
  if (!(nCrit > 0 && Number.isFinite(nCrit))) throw new FoiloptError(`nCrit must be positive, got ${nCrit}`);
  if (!(xtrTop > 0) || !(xtrBot > 0))
    throw new FoiloptError(`trip x/c must be positive, got ${xtrTop}, ${xtrBot}`);
  const maxIterations = o.maxIterations ?? DEFAULT_MAX_ITERATIONS;
  const tolerance = o.tolerance ?? DEFAULT_TOLERANCE;
  const wakeLength = o.wakeLengthChords ?? 1;
  if (!(Number.isInteger(maxIterations) && maxIterations >= 1))
    throw new FoiloptError(`maxIterations must be a positive integer, got ${maxIterations}`);
  if (!(tolerance > 0)) throw new FoiloptError(`tolerance must be positive, got ${tolerance}`);
  if (!(wakeLength >= 1 && wakeLength <= 20))
    throw new FoiloptError(`wakeLengthChords must be in [1, 20], got ${wakeLength}`);
  const viscous = re > 0 && Number.isFinite(re);
  return { re, mach, nCrit, xtrTop, xtrBot, maxIterations, tolerance, wakeLength, viscous };
}

/** A saved BL state of a ViscousSolver (see saveState / restoreState). */
export interface SolverSnapshot {
  ctau: [Float64Array, Float64Array];
  thet: [Float64Array, Float64Array];
  dstr: [Float64Array, Float64Array];
  uedg: [Float64Array, Float64Array];
  mass: [Float64Array, Float64Array];
  tau: [Float64Array, Float64Array];
  itran: Int32Array;
  xiTran: Float64Array;
  forced: Uint8Array;
  stag: StagnationPoint;
  alpha: number;
  cl: number;
  cm: number;
  cd: number;
  cdf: number;
  converged: boolean;
}

/** Outcome of one Newton iteration loop. */
interface LoopResult {
  converged: boolean;
  iterations: number;
  rms: number;
  /** a non-finite number appeared */
  nan: boolean;
}

/**
 * Viscous airfoil solver for one geometry and flow condition (XFOIL's OPER state). Keeps the last
 * converged boundary layer and warm-starts the next point from it; a failed point re-initializes
 * the next one with the direct march (MRCHUE). Create with `createSolver`.
 */
export class ViscousSolver {
  /** panel geometry of the (chord-1) airfoil as given */
  readonly geom: PanelGeometry;
  /** factored inviscid panel system and unit solutions */
  readonly inv: InviscidSystem;
  readonly settings: Readonly<Settings>;
  /** Karman-Tsien constants */
  readonly kt: KarmanTsien;
  /** BL constants (null when inviscid) */
  readonly params: BlParams | null;
  /** wake of the current alpha (null until the first viscous point) */
  wake: Wake | null = null;
  /** source influence matrix of the current wake */
  dij: SourceInfluence | null = null;
  /** station map (stagnation point, stations, xi) */
  map: StationMap | null = null;
  /** BL state */
  state: BlState | null = null;
  /** angle of attack of the current state, radians */
  alpha = 0;
  /** force coefficients of the current state */
  cl = 0;
  cm = 0;
  cd = 0;
  cdf = 0;
  /** true when the current state is a converged viscous solution */
  converged = false;
  /** optional sink for one line per Newton iteration (like XFOIL's iteration printout) */
  trace: ((line: string) => void) | null = null;

  // ---- workspaces
  private nTot = 0;
  private cap = 0;
  /** ue sensitivity to the masses in system indexing: um[iv*cap + jv] = -v_i v_j DIJ(I, J) */
  private um: Float64Array = new Float64Array(0);
  private umValid = false;
  /** node index and vti per system index */
  private sysNode: Int32Array = new Int32Array(0);
  private sysSide: Int8Array = new Int8Array(0);
  private sysStation: Int32Array = new Int32Array(0);
  /** ue_inv + D m at the last assembly (XFOIL USAV), per system index */
  private ueStar: Float64Array = new Float64Array(0);
  /** xi sensitivity row of a side w.r.t. the masses (through the stagnation-adjacent speeds) */
  private xle: Float64Array = new Float64Array(0);
  private bs: BlockSystem | null = null;
  /** viscous panel speed q = v ue at airfoil + wake nodes (XFOIL QVIS / GAM) */
  private qvis: Float64Array = new Float64Array(0);
  private unew: Float64Array = new Float64Array(0);
  /** masses (and their step) gathered in system order */
  private msys: Float64Array = new Float64Array(0);
  private dmA: Float64Array = new Float64Array(0);
  private uac: Float64Array = new Float64Array(0);
  private stag: StagnationPoint = { ist: 0, sst: 0, sstGo: 0, sstGp: 0, found: false };
  private readonly forces: ForceCoefficients = newForceCoefficients();
  /** fixed-CL mode target (NaN in fixed-alpha mode) */
  private clSpec = NaN;
  private lastRms = 0;

  constructor(airfoil: Airfoil, conditions: FlowConditions, options: SolverOptions = {}) {
    this.settings = resolveSettings(conditions, options);
    const n = airfoil.x.length;
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(airfoil.x[i]) || !Number.isFinite(airfoil.y[i])) {
        throw new FoiloptError(`airfoil "${airfoil.name}" has a non-finite coordinate at node ${i}`);
      }
    }
    this.geom = panelGeometry(airfoil.x, airfoil.y);
    this.inv = buildInviscidSystem(this.geom);
    this.kt = karmanTsien(this.settings.mach);
    this.params = this.settings.viscous
      ? createBlParams({
          re: this.settings.re,
          mach: this.settings.mach,
          nCrit: this.settings.nCrit,
          trTolerance: TRANSITION_TOLERANCE,
        })
      : null;
  }

  /**
   * Operating point at angle of attack alphaDeg (degrees), warm-started from the current state.
   * When that fails and `retry` (default true) is set, the point is re-initialized from the
   * inviscid solution (MRCHUE) and solved once more. A failed point leaves no warm state (the next
   * point re-initializes).
   */
  solveAlpha(alphaDeg: number, retry = true): PointResult {
    if (!Number.isFinite(alphaDeg)) return failedPoint(alphaDeg);
    this.clSpec = NaN;
    const alpha = alphaDeg * DEG;
    if (!this.settings.viscous) return this.inviscidResult(alpha);
    return this.solvePoint(alpha, retry);
  }

  /** Operating point at lift coefficient cl (alpha found by the solver); `retry` as in solveAlpha. */
  solveCl(cl: number, retry = true): PointResult {
    if (!Number.isFinite(cl)) return failedPoint(NaN);
    this.clSpec = cl;
    const alphaInv = this.inviscidAlphaForCl(cl);
    if (!this.settings.viscous) {
      if (!Number.isFinite(alphaInv)) return failedPoint(NaN);
      return this.inviscidResult(alphaInv);
    }
    if (!Number.isFinite(alphaInv)) return failedPoint(NaN);
    // XFOIL SPECCL starts from the inviscid alpha of the target CL. With a converged viscous state
    // to warm-start from, the viscous alpha of the last point plus the inviscid lift slope is a
    // much closer start (the BL state matches it better, fewer relaxed iterations).
    let alpha0 = alphaInv;
    if (this.converged && this.state?.initialized && Number.isFinite(this.cl)) {
      const inv = inviscidSolution(this.inv, this.alpha, this.settings.mach);
      const est = this.alpha + (cl - this.cl) / inv.clAlpha;
      if (Number.isFinite(est) && Math.abs(est - alphaInv) < 10 * DEG) alpha0 = est;
    }
    return this.solvePoint(alpha0, retry);
  }

  /** Inviscid alpha (radians) giving lift coefficient cl (XFOIL SPECCL), NaN if not found. */
  inviscidAlphaForCl(cl: number): number {
    let a = this.alpha;
    for (let it = 0; it < 30; it++) {
      const sol = inviscidSolution(this.inv, a, this.settings.mach);
      const da = (cl - sol.cl) / sol.clAlpha;
      if (!Number.isFinite(da)) return NaN;
      a += Math.max(-0.3, Math.min(0.3, da));
      if (Math.abs(da) < 1e-10) return a;
    }
    return Math.abs(a) < Math.PI / 2 ? a : NaN;
  }

  // ------------------------------------------------------------------------------------------
  // point driver

  private solvePoint(alpha: number, retry: boolean): PointResult {
    const warm = this.state !== null && this.state.initialized;
    let res = this.runPoint(alpha, warm);
    if (!res.converged && warm && retry) {
      // re-initialize from the inviscid solution (MRCHUE) and try once more
      if (this.state) this.state.initialized = false;
      const first = res.iterations;
      res = this.runPoint(Number.isFinite(this.clSpec) ? this.inviscidAlphaForCl(this.clSpec) : alpha, false);
      res.iterations += first;
    }
    this.converged = res.converged;
    const out = this.result(res);
    if (!res.converged && this.state) this.state.initialized = false;
    return out;
  }

  /** Sets up the point (wake, inviscid speeds, BL initialization) and runs the Newton loop. */
  private runPoint(alpha: number, warm: boolean): LoopResult {
    if (!Number.isFinite(alpha)) return { converged: false, iterations: 0, rms: NaN, nan: true };
    try {
      this.alpha = alpha;
      this.ensureWake(alpha);
      const S = this.state!;
      const map = this.map!;
      if (!warm) {
        // stagnation point and stations from the inviscid solution
        const n = this.geom.n;
        const ca = Math.cos(alpha);
        const sa = Math.sin(alpha);
        for (let i = 0; i < n; i++) this.qvis[i] = ca * this.inv.gam0[i] + sa * this.inv.gam90[i];
        stagnationPoint(this.geom.s, this.qvis, n, this.stag);
        buildStationMap(this.geom, this.wake!, this.stag, map);
        this.umValid = false;
        inviscidEdgeSpeed(this.inv, this.wake!, map, alpha, S.uinv, S.uinvA);
        for (let is = 0; is < 2; is++) S.uedg[is].set(S.uinv[is].subarray(0, map.nbl[is]));
        const inv = inviscidSolution(this.inv, alpha, this.settings.mach);
        this.cl = inv.cl;
        marchDirect(S);
      } else {
        // keep the stations (XFOIL keeps IPAN); xi of the (new) wake recomputed
        buildStationMap(this.geom, this.wake!, this.stag, map);
        inviscidEdgeSpeed(this.inv, this.wake!, map, alpha, S.uinv, S.uinvA);
        this.updateForces();
      }
      if (!this.umValid) this.buildUm();
      // a start from the inviscid solution typically needs more iterations (XFOIL's first points)
      const budget = warm
        ? this.settings.maxIterations
        : COLD_START_ITERATION_FACTOR * this.settings.maxIterations;
      let res = this.newtonLoop(budget);
      if (
        res.converged &&
        Number.isFinite(this.clSpec) &&
        Math.abs(this.alpha - this.wake!.alphaRad) > 0.01 * DEG
      ) {
        // fixed CL: rebuild the wake at the converged alpha (as a fixed-alpha solve would) and reconverge
        this.ensureWake(this.alpha);
        buildStationMap(this.geom, this.wake!, this.stag, map);
        inviscidEdgeSpeed(this.inv, this.wake!, map, this.alpha, S.uinv, S.uinvA);
        this.buildUm();
        const more = this.newtonLoop(this.settings.maxIterations);
        res = { ...more, iterations: res.iterations + more.iterations };
      }
      return res;
    } catch {
      // numerical breakdown (e.g. a singular pivot deep inside): report the point as failed
      if (this.state) this.state.initialized = false;
      return { converged: false, iterations: 0, rms: NaN, nan: true };
    }
  }

  /** Builds the wake, DIJ, station map and BL state for alpha if the wake is not already there. */
  private ensureWake(alpha: number): void {
    if (this.wake && Math.abs(this.wake.alphaRad - alpha) <= WAKE_ALPHA_TOLERANCE) return;
    const n = this.geom.n;
    this.wake = buildWake(this.inv, alpha, this.settings.wakeLength, this.wake ?? undefined);
    this.dij = sourceInfluenceMatrix(this.inv, this.wake, this.dij ?? undefined);
    this.umValid = false;
    if (!this.map) {
      const nw = this.wake.nw;
      this.nTot = n + nw;
      this.cap = n + nw;
      this.map = newStationMap(n, nw);
      const ist = Math.floor(n / 2) - 1;
      this.stag = {
        ist,
        sst: 0.5 * (this.geom.s[ist] + this.geom.s[ist + 1]),
        sstGo: 0,
        sstGp: 0,
        found: false,
      };
      buildStationMap(this.geom, this.wake, this.stag, this.map);
      this.state = createBlState(
        this.params!,
        this.geom,
        this.map,
        this.settings.xtrTop,
        this.settings.xtrBot,
      );
      const c = this.cap;
      this.um = new Float64Array(c * c);
      this.sysNode = new Int32Array(c);
      this.sysSide = new Int8Array(c);
      this.sysStation = new Int32Array(c);
      this.ueStar = new Float64Array(c);
      this.xle = new Float64Array(2 * c);
      this.bs = createBlockSystem(c);
      this.qvis = new Float64Array(this.nTot);
      this.unew = new Float64Array(c);
      this.msys = new Float64Array(c);
      this.dmA = new Float64Array(c);
      this.uac = new Float64Array(c);
    }
  }

  /** Fills the system-indexed ue sensitivity matrix from DIJ for the current station map. */
  private buildUm(): void {
    const map = this.map!;
    const nsys = map.nsys;
    const c = this.cap;
    const nTot = this.nTot;
    const dij = this.dij!.dij;
    const node = this.sysNode;
    const vt = new Float64Array(nsys);
    for (let is = 0; is < 2; is++) {
      for (let ibl = 1; ibl < map.nbl[is]; ibl++) {
        const iv = map.isys[is][ibl];
        node[iv] = map.ipan[is][ibl];
        vt[iv] = map.vti[is][ibl];
        this.sysSide[iv] = is;
        this.sysStation[iv] = ibl;
      }
    }
    const um = this.um;
    for (let iv = 0; iv < nsys; iv++) {
      const r = node[iv] * nTot;
      const o = iv * c;
      const vi = -vt[iv];
      for (let jv = 0; jv < nsys; jv++) um[o + jv] = vi * vt[jv] * dij[r + node[jv]];
    }
    this.umValid = true;
  }

  // ------------------------------------------------------------------------------------------
  // Newton loop (VISCAL)

  /**
   * Newton iterations until rms < tolerance or maxIter. XFOIL's loop, plus a stall breaker: when the
   * rms has stopped decreasing (a limit cycle between the global step and the mixed march, which
   * XFOIL itself shows near transition jumps), iterations continue without the march (the global
   * Newton step alone, consistent with the assembled Jacobian); convergence is then confirmed by one
   * regular iteration with the march.
   */
  private newtonLoop(maxIter: number): LoopResult {
    const tol = this.settings.tolerance;
    let rms = NaN;
    let best = Infinity;
    let sinceBest = 0;
    let noMarch = false;
    let noMarchUsed = 0;
    for (let iter = 1; iter <= maxIter; iter++) {
      const march = !noMarch;
      this.assemble(march);
      const S = this.state!;
      const bs = this.bs!;
      const g = this.geom;
      if (!solveBlockSystem(bs, VACCEL, g.s[g.n - 1] - g.s[0]))
        return { converged: false, iterations: iter, rms: NaN, nan: true };
      rms = this.update();
      if (!Number.isFinite(rms) || !Number.isFinite(this.alpha))
        return { converged: false, iterations: iter, rms, nan: true };
      if (Number.isFinite(this.clSpec)) {
        inviscidEdgeSpeed(this.inv, this.wake!, this.map!, this.alpha, S.uinv, S.uinvA);
      }
      this.moveStagnation();
      this.updateForces();
      this.lastRms = rms;
      if (this.trace)
        this.trace(
          `it ${iter}${march ? '' : ' (no march)'} rms ${rms.toExponential(3)} a ${(this.alpha / DEG).toFixed(4)} cl ${this.cl.toFixed(5)} cd ${this.cd.toFixed(6)} cm ${this.cm.toFixed(5)} ist ${this.stag.ist} itr ${S.itran[0]},${S.itran[1]}`,
        );
      if (!Number.isFinite(this.cl) || !Number.isFinite(this.cd))
        return { converged: false, iterations: iter, rms, nan: true };
      if (rms < tol) {
        if (march) return { converged: true, iterations: iter, rms, nan: false };
        noMarch = false; // confirm with a regular iteration
        continue;
      }
      if (rms < 0.8 * best) {
        best = rms;
        sinceBest = 0;
      } else {
        sinceBest++;
      }
      if (march && sinceBest >= STALL_ITERATIONS && rms < STALL_MAX_RMS && noMarchUsed < 2) {
        noMarch = true;
        noMarchUsed++;
        sinceBest = 0;
        best = rms;
      } else if (!march && sinceBest >= STALL_ITERATIONS) {
        noMarch = false;
        sinceBest = 0;
        best = rms;
      } else if (sinceBest >= STALL_ABORT_ITERATIONS && best < STALL_MAX_RMS) {
        // a limit cycle the stall breaker could not resolve: give up early
        return { converged: false, iterations: iter, rms, nan: false };
      }
    }
    return { converged: false, iterations: maxIter, rms, nan: false };
  }

  /**
   * SETBL: (optionally) march in mixed mode, then assemble the global Newton system of the current
   * state into this.bs (rhs column 0 = residual with the ue-mismatch correction, column 1 = alpha
   * sensitivity in fixed-CL mode). Also sets the wall shear stress S.tau.
   */
  private assemble(march: boolean): void {
    const S = this.state!;
    const map = this.map!;
    const p = this.params!;
    const bs = this.bs!;
    const um = this.um;
    const c = this.cap;
    if (march) marchMixed(S);
    else refillRecords(S);
    const nsys = map.nsys;
    const fixedCl = Number.isFinite(this.clSpec);

    // ue* = ue_inv + D m (XFOIL UESET into USAV)
    const ueStar = this.ueStar;
    const msys = this.msys;
    const sideOf = this.sysSide;
    const stn = this.sysStation;
    for (let jv = 0; jv < nsys; jv++) msys[jv] = S.mass[sideOf[jv]][stn[jv]];
    for (let iv = 0; iv < nsys; iv++) {
      ueStar[iv] = S.uinv[sideOf[iv]][stn[iv]] + dot(um, iv * c, msys, nsys);
    }

    const iblte0 = map.iblte[0];
    const iblte1 = map.iblte[1];
    const ivLe0 = map.isys[0][1];
    const ivLe1 = map.isys[1][1];
    const ivTe0 = map.isys[0][iblte0];
    const ivTe1 = map.isys[1][iblte1];
    const dule0 = S.uedg[0][1] - ueStar[ivLe0];
    const dule1 = S.uedg[1][1] - ueStar[ivLe1];
    bs.nsys = nsys;
    bs.ivte1 = ivTe0;
    bs.ivz = map.isys[1][iblte1 + 1];
    bs.vz.fill(0);

    const st = this.stag;
    const sysBl = S.sys;
    for (let side = 0; side < 2; side++) {
      const xiforc = tripXi(S, side);
      const xiUle0 = side === 0 ? st.sstGo : -st.sstGo;
      const xiUle1 = side === 0 ? -st.sstGp : st.sstGp;
      // xi sensitivity row w.r.t. the masses
      const xle = this.xle;
      const r0 = ivLe0 * c;
      const r1 = ivLe1 * c;
      for (let jv = 0; jv < nsys; jv++) xle[jv] = xiUle0 * um[r0 + jv] + xiUle1 * um[r1 + jv];
      const xleA = xiUle0 * S.uinvA[0][1] + xiUle1 * S.uinvA[1][1];
      const dxiLe = xiUle0 * dule0 + xiUle1 * dule1;

      const nbl = map.nbl[side];
      const iblte = map.iblte[side];
      const itran = S.itran[side];
      const xi = map.xi[side];
      // station-1 carry (XFOIL U1_M, D1_M via the previous row of um, DUE1, DDS1, U1_A, D1_A)
      let due1 = 0;
      let dds1 = 0;
      let u1a = 0;
      let d1a = 0;
      let d1u1 = 0;
      let ue1 = 1;
      for (let ibl = 1; ibl < nbl; ibl++) {
        const iv = map.isys[side][ibl];
        const simi = ibl === 1;
        const wake = ibl > iblte;
        const tran = ibl === itran;
        const uei = S.uedg[side][ibl];
        const dsi = S.mass[side][ibl] / uei;
        const d2u2 = -dsi / uei;
        const u2a = S.uinvA[side][ibl];
        const d2a = d2u2 * u2a;
        const due2 = uei - ueStar[iv];
        const dds2 = d2u2 * due2;
        // station records: filled by the march (or refillRecords) from this same state
        const st2 = S.rec[side][ibl];
        const st1 = S.rec[side][ibl - 1];
        let teMerge = false;
        if (wake && ibl === iblte + 1) {
          teSystem(S.rec[0][iblte0], st1, st2, this.geom.ante, sysBl);
          teMerge = true;
        } else if (tran && !simi) {
          const n2Guess = S.ctau[side][ibl - 1];
          if (!blTransition(p, st1, st2, n2Guess, xiforc, sysBl)) {
            // the transition moved out of this interval since the march: force it at station 2
            blTransition(p, st1, st2, n2Guess, xi[ibl], sysBl);
          }
          S.xiTran[side] = sysBl.tr.xiT;
          S.forced[side] = sysBl.tr.forced ? 1 : 0;
        } else if (simi) {
          blSimilarity(p, st2, sysBl);
        } else {
          blInterval(p, wake ? WAKE : ibl >= itran ? TURBULENT : LAMINAR, st1, st2, sysBl);
        }
        S.tau[side][ibl] = 0.5 * st2.rho * st2.uk * st2.uk * st2.cf;

        const a1 = sysBl.a1;
        const a2 = sysBl.a2;
        const axf = sysBl.axf;
        const res = sysBl.res;
        const va = bs.va;
        const vb = bs.vb;
        const rhs = bs.rhs;
        const vm = bs.vm;
        const rc = iv * c;
        // per equation k: VM row = bprev um[iv-1] + bcur um[iv] + cx xle (+ diagonal terms)
        for (let k = 0; k < 3; k++) {
          const o5 = 5 * k;
          va[iv * 6 + 2 * k] = a2[o5];
          va[iv * 6 + 2 * k + 1] = a2[o5 + 1];
          vb[iv * 6 + 2 * k] = simi ? 0 : a1[o5];
          vb[iv * 6 + 2 * k + 1] = simi ? 0 : a1[o5 + 1];
          const c2u = a2[o5 + 3];
          const c2d = a2[o5 + 2];
          const cx = teMerge ? 0 : a1[o5 + 4] + a2[o5 + 4] + axf[k];
          cBcur[k] = c2u + c2d * d2u2;
          cX[k] = cx;
          let r0v = -res[k] + c2u * due2 + c2d * dds2 + cx * dxiLe;
          let r1v = fixedCl ? c2u * u2a + c2d * d2a + cx * xleA : 0;
          if (teMerge) {
            // station 1 = merged TE: deltaStar of both TE stations (ds = m/ue, ue = ue* + D m)
            const cz = sysBl.az[o5 + 2];
            const cl1 = a1[o5 + 2];
            const ue0 = S.uedg[0][iblte0];
            const ueb = S.uedg[1][iblte1];
            const f0 = -cz * (S.mass[0][iblte0] / ue0 / ue0);
            const fb = -cl1 * (S.mass[1][iblte1] / ueb / ueb);
            const row = (iv * 3 + k) * c;
            const o0 = ivTe0 * c;
            const ob = ivTe1 * c;
            const bcur = cBcur[k];
            for (let jv = 0; jv < nsys; jv++)
              vm[row + jv] = f0 * um[o0 + jv] + fb * um[ob + jv] + bcur * um[rc + jv];
            vm[row + ivTe0] += cz / ue0;
            vm[row + ivTe1] += cl1 / ueb;
            vm[row + iv] += c2d / uei;
            r0v += f0 * (ue0 - ueStar[ivTe0]) + fb * (ueb - ueStar[ivTe1]);
            if (fixedCl) r1v += f0 * S.uinvA[0][iblte0] + fb * S.uinvA[1][iblte1];
            bs.vz[2 * k] = sysBl.az[o5];
            bs.vz[2 * k + 1] = sysBl.az[o5 + 1];
          } else if (simi) {
            cBprev[k] = 0;
            cDiag1[k] = 0;
            cDiag2[k] = c2d / uei;
          } else {
            const c1u = a1[o5 + 3];
            const c1d = a1[o5 + 2];
            cBprev[k] = c1u + c1d * d1u1;
            cDiag1[k] = c1d / ue1;
            cDiag2[k] = c2d / uei;
            r0v += c1u * due1 + c1d * dds1;
            if (fixedCl) r1v += c1u * u1a + c1d * d1a;
          }
          rhs[iv * 6 + 2 * k] = r0v;
          rhs[iv * 6 + 2 * k + 1] = r1v;
        }
        if (!teMerge) {
          const row0 = iv * 3 * c;
          const rp = simi ? rc : (iv - 1) * c;
          fillRows3(vm, row0, c, um, rp, rc, xle, nsys, cBprev, cBcur, cX);
          if (!simi) {
            vm[row0 + iv - 1] += cDiag1[0];
            vm[row0 + c + iv - 1] += cDiag1[1];
            vm[row0 + 2 * c + iv - 1] += cDiag1[2];
          }
          vm[row0 + iv] += cDiag2[0];
          vm[row0 + c + iv] += cDiag2[1];
          vm[row0 + 2 * c + iv] += cDiag2[2];
        }
        // carry station 2 -> station 1
        due1 = due2;
        dds1 = dds2;
        u1a = u2a;
        d1a = d2a;
        d1u1 = d2u2;
        ue1 = uei;
      }
    }
  }

  /**
   * UPDATE: applies the relaxed Newton step from this.bs, updates alpha (fixed CL) or CL (fixed
   * alpha), applies the limits. Returns the rms of the normalized changes.
   */
  private update(): number {
    const S = this.state!;
    const map = this.map!;
    const bs = this.bs!;
    const um = this.um;
    const c = this.cap;
    const nsys = map.nsys;
    const rhs = bs.rhs;
    const fixedCl = Number.isFinite(this.clSpec);
    const unew = this.unew;
    const uac = this.uac;
    const side = this.sysSide;
    const stn = this.sysStation;
    // new ue assuming no relaxation, and its sensitivity to the global variable
    const msys = this.msys;
    const dmA = this.dmA;
    for (let jv = 0; jv < nsys; jv++) {
      msys[jv] = S.mass[side[jv]][stn[jv]] + rhs[jv * 6 + 4];
      dmA[jv] = -rhs[jv * 6 + 5];
    }
    for (let iv = 0; iv < nsys; iv++) {
      const o = iv * c;
      unew[iv] = S.uinv[side[iv]][stn[iv]] + dot(um, o, msys, nsys);
      uac[iv] = fixedCl ? S.uinvA[side[iv]][stn[iv]] + dot(um, o, dmA, nsys) : 0;
    }
    // new CL from the new surface speeds (Karman-Tsien), and its derivatives
    const g = this.geom;
    const n = g.n;
    const q = this.qvis;
    const qac = this.xle; // scratch (length >= n)
    for (let is = 0; is < 2; is++) {
      for (let ibl = 1; ibl <= map.iblte[is]; ibl++) {
        const i = map.ipan[is][ibl];
        const iv = map.isys[is][ibl];
        q[i] = map.vti[is][ibl] * unew[iv];
        qac[i] = map.vti[is][ibl] * uac[iv];
      }
    }
    const ca = Math.cos(this.alpha);
    const sa = Math.sin(this.alpha);
    const kt = this.kt;
    let clnew = 0;
    let clA = 0;
    let clAc = 0;
    let cginc = 1 - q[0] * q[0];
    let den = kt.beta + kt.bfac * cginc;
    let cp1 = cginc / den;
    let cp1Ac = ((1 - kt.bfac * cp1) / den) * (-2 * q[0]) * qac[0];
    for (let i = 0; i < n; i++) {
      const ip = i === n - 1 ? 0 : i + 1;
      cginc = 1 - q[ip] * q[ip];
      den = kt.beta + kt.bfac * cginc;
      const cp2 = cginc / den;
      const cp2Ac = ((1 - kt.bfac * cp2) / den) * (-2 * q[ip]) * qac[ip];
      const dx = (g.x[ip] - g.x[i]) * ca + (g.y[ip] - g.y[i]) * sa;
      const dxA = -(g.x[ip] - g.x[i]) * sa + (g.y[ip] - g.y[i]) * ca;
      const ag = 0.5 * (cp2 + cp1);
      clnew += dx * ag;
      clA += dxA * ag;
      clAc += dx * 0.5 * (cp2Ac + cp1Ac);
      cp1 = cp2;
      cp1Ac = cp2Ac;
    }
    let rlx = 1.0;
    let dac: number;
    if (!fixedCl) {
      dac = clnew - this.cl;
      if (rlx * dac > DCL_MAX) rlx = DCL_MAX / dac;
      if (rlx * dac < -DCL_MAX) rlx = -DCL_MAX / dac;
    } else {
      dac = (clnew - this.clSpec) / (-clAc - clA);
      if (rlx * dac > DALPHA_MAX) rlx = DALPHA_MAX / dac;
      if (rlx * dac < -DALPHA_MAX) rlx = -DALPHA_MAX / dac;
    }
    const dacU = fixedCl ? dac : 0;
    // normalized changes, rms, relaxation
    let rmsSum = 0;
    const dhi = 1.5;
    const dlo = -0.5;
    for (let iv = 0; iv < nsys; iv++) {
      const is = side[iv];
      const ibl = stn[iv];
      const dctau = rhs[iv * 6] - dacU * rhs[iv * 6 + 1];
      const dthet = rhs[iv * 6 + 2] - dacU * rhs[iv * 6 + 3];
      const dmass = rhs[iv * 6 + 4] - dacU * rhs[iv * 6 + 5];
      const ue = S.uedg[is][ibl];
      const duedg = unew[iv] + dacU * uac[iv] - ue;
      const ddstr = (dmass - S.dstr[is][ibl] * duedg) / ue;
      const dn1 = ibl < S.itran[is] ? dctau / 10.0 : dctau / S.ctau[is][ibl];
      const dn2 = dthet / S.thet[is][ibl];
      const dn3 = ddstr / S.dstr[is][ibl];
      const dn4 = Math.abs(duedg) / 0.25;
      rmsSum += dn1 * dn1 + dn2 * dn2 + dn3 * dn3 + dn4 * dn4;
      if (rlx * dn1 > dhi) rlx = dhi / dn1;
      if (rlx * dn1 < dlo) rlx = dlo / dn1;
      if (rlx * dn2 > dhi) rlx = dhi / dn2;
      if (rlx * dn2 < dlo) rlx = dlo / dn2;
      if (rlx * dn3 > dhi) rlx = dhi / dn3;
      if (rlx * dn3 < dlo) rlx = dlo / dn3;
      if (rlx * dn4 > dhi) rlx = dhi / dn4;
      if (rlx * dn4 < dlo) rlx = dlo / dn4;
    }
    const rms = Math.sqrt(rmsSum / (4.0 * (map.nbl[0] + map.nbl[1])));
    if (!fixedCl) this.cl += rlx * dac;
    else this.alpha += rlx * dac;
    // apply
    const p = this.params!;
    for (let iv = 0; iv < nsys; iv++) {
      const is = side[iv];
      const ibl = stn[iv];
      const dctau = rhs[iv * 6] - dacU * rhs[iv * 6 + 1];
      const dthet = rhs[iv * 6 + 2] - dacU * rhs[iv * 6 + 3];
      const dmass = rhs[iv * 6 + 4] - dacU * rhs[iv * 6 + 5];
      const ue = S.uedg[is][ibl];
      const duedg = unew[iv] + dacU * uac[iv] - ue;
      const ddstr = (dmass - S.dstr[is][ibl] * duedg) / ue;
      S.ctau[is][ibl] += rlx * dctau;
      S.thet[is][ibl] += rlx * dthet;
      S.dstr[is][ibl] += rlx * ddstr;
      S.uedg[is][ibl] += rlx * duedg;
    }
    for (let is = 0; is < 2; is++) {
      const iblte = map.iblte[is];
      const itran = S.itran[is];
      const ctau = S.ctau[is];
      const th = S.thet[is];
      const ds = S.dstr[is];
      const ue = S.uedg[is];
      for (let ibl = 1; ibl < map.nbl[is]; ibl++) {
        const wake = ibl > iblte;
        if (ibl >= itran) ctau[ibl] = Math.min(ctau[ibl], 0.25);
        const dsw = wake ? map.wgap[ibl - iblte - 1] : 0;
        const hkLim = wake ? HK_FLOOR_WAKE : HK_FLOOR_AIRFOIL;
        ds[ibl] = dslim(ds[ibl] - dsw, th[ibl], edgeMachSq(p, ue[ibl]), hkLim) + dsw;
        S.mass[is][ibl] = ds[ibl] * ue[ibl];
      }
      // no islands of negative ue downstream of a positive one
      for (let ibl = 2; ibl <= iblte; ibl++) {
        if (ue[ibl - 1] > 0 && ue[ibl] <= 0) {
          ue[ibl] = ue[ibl - 1];
          S.mass[is][ibl] = ds[ibl] * ue[ibl];
        }
      }
    }
    return rms;
  }

  /**
   * STMOVE: stagnation point from the viscous surface speed; when it moved to another panel, the
   * station map is rebuilt and the BL arrays are shifted (new stations near the stagnation point copy
   * the first retained station, ue ~ xi there).
   */
  private moveStagnation(): void {
    const S = this.state!;
    const map = this.map!;
    const g = this.geom;
    const n = g.n;
    const q = this.qvis;
    for (let is = 0; is < 2; is++) {
      for (let ibl = 1; ibl <= map.iblte[is]; ibl++)
        q[map.ipan[is][ibl]] = map.vti[is][ibl] * S.uedg[is][ibl];
    }
    const istOld = this.stag.ist;
    stagnationPoint(g.s, q, n, this.stag);
    const ist = this.stag.ist;
    buildStationMap(g, this.wake!, this.stag, map);
    if (ist !== istOld) {
      inviscidEdgeSpeed(this.inv, this.wake!, map, this.alpha, S.uinv, S.uinvA);
      const arrays = [S.ctau, S.thet, S.dstr, S.uedg];
      const [gain, lose] = ist > istOld ? [0, 1] : [1, 0];
      const idif = Math.abs(ist - istOld);
      S.itran[gain] += idif;
      S.itran[lose] = Math.max(1, S.itran[lose] - idif);
      const nbg = map.nbl[gain];
      const nbl = map.nbl[lose];
      const xig = map.xi[gain];
      for (const arr of arrays) {
        const a = arr[gain];
        for (let ibl = nbg - 1; ibl >= idif + 1; ibl--) a[ibl] = a[ibl - idif];
        const b = arr[lose];
        for (let ibl = 1; ibl < nbl; ibl++) b[ibl] = b[ibl + idif];
      }
      const dudx = S.uedg[gain][idif + 1] / xig[idif + 1];
      for (let ibl = idif; ibl >= 1; ibl--) {
        S.ctau[gain][ibl] = S.ctau[gain][idif + 1];
        S.thet[gain][ibl] = S.thet[gain][idif + 1];
        S.dstr[gain][ibl] = S.dstr[gain][idif + 1];
        S.uedg[gain][ibl] = dudx * xig[ibl];
      }
      const ueps = 1e-7;
      for (let is = 0; is < 2; is++) {
        for (let ibl = 1; ibl < map.nbl[is]; ibl++) {
          if (S.uedg[is][ibl] <= ueps) S.uedg[is][ibl] = ueps;
        }
      }
      this.buildUm();
    }
    for (let is = 0; is < 2; is++) {
      for (let ibl = 1; ibl < map.nbl[is]; ibl++) S.mass[is][ibl] = S.dstr[is][ibl] * S.uedg[is][ibl];
    }
  }

  /** CL, CM from the viscous surface speeds; CD (Squire-Young), CDF (XFOIL CLCALC + CDCALC). */
  private updateForces(): void {
    const S = this.state!;
    const map = this.map!;
    const g = this.geom;
    const n = g.n;
    const q = this.qvis;
    for (let is = 0; is < 2; is++) {
      for (let ibl = 1; ibl <= map.iblte[is]; ibl++)
        q[map.ipan[is][ibl]] = map.vti[is][ibl] * S.uedg[is][ibl];
    }
    const f = forceCoefficients(g.x, g.y, n, q, null, this.alpha, this.settings.mach, this.forces);
    this.cl = f.cl;
    this.cm = f.cm;
    // Squire-Young at the last wake station
    const last = map.nbl[1] - 1;
    const th = S.thet[1][last];
    const ue = S.uedg[1][last];
    const tk = this.kt.lambda;
    const uk = (ue * (1 - tk)) / (1 - tk * ue * ue);
    const hw = S.dstr[1][last] / th;
    this.cd = 2.0 * th * Math.pow(uk, 0.5 * (5.0 + hw));
    // friction drag: trapezoidal wall shear along the wind direction
    const ca = Math.cos(this.alpha);
    const sa = Math.sin(this.alpha);
    let cdf = 0;
    for (let is = 0; is < 2; is++) {
      const ip = map.ipan[is];
      const tau = S.tau[is];
      for (let ibl = 2; ibl <= map.iblte[is]; ibl++) {
        const i = ip[ibl];
        const im = ip[ibl - 1];
        const dx = (g.x[i] - g.x[im]) * ca + (g.y[i] - g.y[im]) * sa;
        cdf += 0.5 * (tau[ibl] + tau[ibl - 1]) * dx * 2.0;
      }
    }
    this.cdf = cdf;
  }

  // ------------------------------------------------------------------------------------------
  // results

  private inviscidResult(alpha: number): PointResult {
    const sol = inviscidSolution(this.inv, alpha, this.settings.mach);
    this.alpha = alpha;
    this.cl = sol.cl;
    this.cm = sol.cm;
    const ok = Number.isFinite(sol.cl) && Number.isFinite(sol.cm);
    return {
      alpha: alpha / DEG,
      cl: sol.cl,
      cd: 0,
      cdp: 0,
      cdf: 0,
      cm: sol.cm,
      xtrTop: 1,
      xtrBot: 1,
      converged: ok,
      iterations: 0,
      residual: 0,
    };
  }

  /** PointResult of the current state after a Newton loop. */
  private result(res: LoopResult): PointResult {
    const S = this.state;
    if (!S || res.nan) {
      const r = failedPoint(this.alpha / DEG);
      r.iterations = res.iterations;
      r.residual = res.rms;
      return r;
    }
    const bl = this.boundaryLayer();
    const xtrTop = transitionXoc(S, 0, S.xiTran[0]);
    const xtrBot = transitionXoc(S, 1, S.xiTran[1]);
    const out: PointResult = {
      alpha: this.alpha / DEG,
      cl: this.cl,
      cd: this.cd,
      cdp: this.cd - this.cdf,
      cdf: this.cdf,
      cm: this.cm,
      xtrTop,
      xtrBot,
      converged: res.converged,
      iterations: res.iterations,
      residual: res.rms,
      boundaryLayer: bl,
    };
    const scalars = [out.alpha, out.cl, out.cd, out.cdf, out.cm, out.xtrTop, out.xtrBot];
    if (!scalars.every(Number.isFinite)) {
      out.converged = false;
      if (!Number.isFinite(out.cl)) out.cl = NaN;
    }
    return out;
  }

  /** Surface and wake distributions of the current state. */
  private boundaryLayer(): { top: BoundaryLayerSide; bottom: BoundaryLayerSide; wake: BoundaryLayerSide } {
    const S = this.state!;
    const map = this.map!;
    const g = this.geom;
    const w = this.wake!;
    const n = g.n;
    const st = S.stA;
    const make = (
      side: number,
      from: number,
      to: number,
      name: 'top' | 'bottom' | 'wake',
    ): BoundaryLayerSide => {
      const m = Math.max(0, to - from + 1);
      const o: BoundaryLayerSide = {
        side: name,
        x: new Float64Array(m),
        y: new Float64Array(m),
        xi: new Float64Array(m),
        cp: new Float64Array(m),
        ue: new Float64Array(m),
        deltaStar: new Float64Array(m),
        theta: new Float64Array(m),
        h: new Float64Array(m),
        cf: new Float64Array(m),
        nAmpOrSqrtCtau: new Float64Array(m),
        turbulent: new Uint8Array(m),
      };
      for (let k = 0; k < m; k++) {
        const ibl = from + k;
        const i = map.ipan[side][ibl];
        o.x[k] = i < n ? g.x[i] : w.x[i - n];
        o.y[k] = i < n ? g.y[i] : w.y[i - n];
        o.xi[k] = map.xi[side][ibl];
        const ue = S.uedg[side][ibl];
        o.ue[k] = ue;
        o.cp[k] = cpFromSpeed(ue, this.kt);
        o.deltaStar[k] = S.dstr[side][ibl];
        o.theta[k] = S.thet[side][ibl];
        o.h[k] = S.dstr[side][ibl] / S.thet[side][ibl];
        fillStoredStation(S, side, ibl, st);
        o.cf[k] = st.rho * st.uk * st.uk * st.cf;
        o.nAmpOrSqrtCtau[k] = S.ctau[side][ibl];
        o.turbulent[k] = ibl >= S.itran[side] ? 1 : 0;
      }
      return o;
    };
    return {
      top: make(0, 1, map.iblte[0], 'top'),
      bottom: make(1, 1, map.iblte[1], 'bottom'),
      wake: make(1, map.iblte[1] + 1, map.nbl[1] - 1, 'wake'),
    };
  }

  // ------------------------------------------------------------------------------------------
  // warm-start snapshots

  /** Copy of the current BL state (null when there is none), for restoreState. */
  saveState(): SolverSnapshot | null {
    const S = this.state;
    if (!S || !S.initialized) return null;
    const cp = (a: [Float64Array, Float64Array]): [Float64Array, Float64Array] => [
      Float64Array.from(a[0]),
      Float64Array.from(a[1]),
    ];
    return {
      ctau: cp(S.ctau),
      thet: cp(S.thet),
      dstr: cp(S.dstr),
      uedg: cp(S.uedg),
      mass: cp(S.mass),
      tau: cp(S.tau),
      itran: Int32Array.from(S.itran),
      xiTran: Float64Array.from(S.xiTran),
      forced: Uint8Array.from(S.forced),
      stag: { ...this.stag },
      alpha: this.alpha,
      cl: this.cl,
      cm: this.cm,
      cd: this.cd,
      cdf: this.cdf,
      converged: this.converged,
    };
  }

  /** Restores a snapshot from saveState (null: forget the state, next point re-initializes). */
  restoreState(snap: SolverSnapshot | null): void {
    const S = this.state;
    if (!S) return;
    if (!snap) {
      S.initialized = false;
      return;
    }
    for (let is = 0; is < 2; is++) {
      S.ctau[is].set(snap.ctau[is]);
      S.thet[is].set(snap.thet[is]);
      S.dstr[is].set(snap.dstr[is]);
      S.uedg[is].set(snap.uedg[is]);
      S.mass[is].set(snap.mass[is]);
      S.tau[is].set(snap.tau[is]);
    }
    S.itran.set(snap.itran);
    S.xiTran.set(snap.xiTran);
    S.forced.set(snap.forced);
    Object.assign(this.stag, snap.stag);
    buildStationMap(this.geom, this.wake!, this.stag, this.map!);
    this.umValid = false;
    S.initialized = true;
    this.alpha = snap.alpha;
    this.cl = snap.cl;
    this.cm = snap.cm;
    this.cd = snap.cd;
    this.cdf = snap.cdf;
    this.converged = snap.converged;
  }

  // ------------------------------------------------------------------------------------------
  // adjoint support

  /**
   * The Newton system of the current state (XFOIL SETBL without the march): block Jacobian
   * w.r.t. (q1, theta, m) of every station, residual (rhs column 0 = -R corrected for the ue
   * mismatch, ~ -R at convergence), alpha sensitivity (column 1, fixed-CL mode). Returns a fresh
   * copy; the solver's workspaces are not disturbed.
   */
  jacobian(): BlockSystem {
    if (!this.state || !this.bs) throw new FoiloptError('no viscous state: solve a point first');
    this.assemble(false);
    const out = createBlockSystem(this.cap);
    out.nsys = this.bs.nsys;
    out.ivte1 = this.bs.ivte1;
    out.ivz = this.bs.ivz;
    out.va.set(this.bs.va);
    out.vb.set(this.bs.vb);
    out.vm.set(this.bs.vm);
    out.rhs.set(this.bs.rhs);
    out.vz.set(this.bs.vz);
    return out;
  }

  /** rms of the last Newton step */
  get lastResidual(): number {
    return this.lastRms;
  }

  /** Number of wake nodes the solver uses (XFOIL NW). */
  get wakeNodes(): number {
    return wakeNodeCount(this.geom.n, this.settings.wakeLength);
  }
}

/**
 * Creates a solver for a chord-1 airfoil (nodes in XFOIL order; no normalization or repaneling is
 * done here, see analyze()). Re = 0 or Infinity selects the inviscid panel method only.
 */
export function createSolver(
  airfoil: Airfoil,
  conditions: FlowConditions,
  options: SolverOptions = {},
): ViscousSolver {
  return new ViscousSolver(airfoil, conditions, options);
}
