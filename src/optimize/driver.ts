/**
 * Local optimization drivers over nlopt-js: SLSQP (default), MMA, CCSAQ, COBYLA (gradient-free),
 * and L-BFGS inside an augmented-Lagrangian loop (PHR multipliers; nlopt-js cannot choose AUGLAG's
 * local optimizer, so the outer loop is here and LD_LBFGS solves each bound-constrained
 * subproblem).
 *
 * The functions are given scaled (see problem.ts): f, g <= 0, h = 0 at z. Evaluations that fail
 * (non-converged point, self-intersecting shape) get the last good values plus a penalty and the
 * last good gradients, which makes SLSQP's and MMA's line searches step back; they are recorded by
 * the caller. The driver returns the best feasible evaluation it saw (or the least infeasible one),
 * not nlopt's last iterate. nlopt-js calls the callbacks synchronously; a callback that throws
 * StopSignal ends the run (evaluation limit, time limit, Ctrl-C).
 */
import type { AlgorithmName } from './config';

/** Scaled function values at a point (see the module comment). */
export interface ScaledEval {
  ok: boolean;
  f: number;
  df?: Float64Array;
  /** inequality constraints g <= 0 */
  g: Float64Array;
  dg?: Float64Array[];
  /** equality constraints h = 0 */
  h: Float64Array;
  dh?: Float64Array[];
  /** raw worst violation (0 when feasible), for picking the best point */
  violation: number;
}

/** The problem as the driver sees it. */
export interface LocalProblem {
  n: number;
  nIneq: number;
  nEq: number;
  lower: Float64Array;
  upper: Float64Array;
  /** evaluates at z; `grad`: gradients needed */
  evaluate(z: Float64Array, grad: boolean): ScaledEval;
}

export interface LocalOptions {
  algorithm: AlgorithmName;
  /** objective evaluations (including the ones without gradients) */
  maxEvaluations: number;
  /** relative tolerance on f */
  tolerance: number;
  /** raw constraint tolerance for feasibility of the best point */
  constraintTolerance: number;
  /** scaled constraint tolerances for nlopt (per constraint; ineq then eq) */
  nloptConstraintTolerance: Float64Array;
  /** checked before every evaluation: return a reason to stop ('interrupted', 'time limit') */
  shouldStop?: () => string | null;
}

export interface LocalResult {
  z: Float64Array;
  best: ScaledEval | null;
  feasible: boolean;
  evaluations: number;
  /** why it ended: 'converged', 'evaluation limit', 'interrupted', 'time limit', 'failed' */
  stop: string;
}

/** Thrown from inside an nlopt callback to end the run. */
export class StopSignal extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Nlopt = any;
let nloptPromise: Promise<Nlopt> | null = null;

/**
 * nlopt-js, loaded once. Its import installs process-wide uncaughtException/unhandledRejection
 * handlers that print its whole minified source on any error: they are removed right after the
 * import so our one-line errors stay what the user sees.
 */
export function loadNlopt(): Promise<Nlopt> {
  if (!nloptPromise) {
    const before = {
      ue: new Set(process.listeners('uncaughtException')),
      ur: new Set(process.listeners('unhandledRejection')),
    };
    const nlopt = require('nlopt-js');
    for (const l of process.listeners('uncaughtException'))
      if (!before.ue.has(l)) process.removeListener('uncaughtException', l);
    for (const l of process.listeners('unhandledRejection'))
      if (!before.ur.has(l)) process.removeListener('unhandledRejection', l as (...a: unknown[]) => void);
    nloptPromise = Promise.resolve(nlopt.ready).then(() => nlopt);
  }
  return nloptPromise;
}

const NLOPT_NAMES: Record<Exclude<AlgorithmName, 'lbfgs'>, string> = {
  slsqp: 'LD_SLSQP',
  mma: 'LD_MMA',
  ccsaq: 'LD_CCSAQ',
  cobyla: 'LN_COBYLA',
};

function keyOf(z: ArrayLike<number>): string {
  return Array.from(z, (v) => v.toString()).join(',');
}

/** Runs one local optimization from z0 (see the module comment). */
export async function runLocal(prob: LocalProblem, z0: Float64Array, o: LocalOptions): Promise<LocalResult> {
  const nlopt = await loadNlopt();
  const state = new EvalState(prob, o);
  let stop = 'converged';
  try {
    if (o.algorithm === 'lbfgs') runAugLag(nlopt, prob, z0, o, state);
    else runNlopt(nlopt, NLOPT_NAMES[o.algorithm], prob, z0, o, state, null);
  } catch (e) {
    if (e instanceof StopSignal) stop = e.reason;
    else if (isNloptAbort(e)) stop = 'nlopt stopped (roundoff or invalid step)';
    else throw e;
  } finally {
    nlopt.GC.flush();
  }
  if (stop === 'converged' && state.evaluations >= o.maxEvaluations) stop = 'evaluation limit';
  if (!state.best) stop = state.evaluations > 0 ? stop : 'failed';
  return {
    z: state.best ? state.bestZ! : Float64Array.from(z0),
    best: state.best,
    feasible: state.best !== null && state.best.ok && state.best.violation <= o.constraintTolerance,
    evaluations: state.evaluations,
    stop,
  };
}

/**
 * nlopt's C++ exceptions (roundoff-limited, failure) arrive as Emscripten aborts in this build
 * ("Exception catching is disabled"): the run ends there, with the best point seen.
 */
function isNloptAbort(e: unknown): boolean {
  const m = e instanceof Error ? e.message : String(e);
  return /Exception catching is disabled|^\d+$/.test(m) || typeof e === 'number';
}

/** Evaluation bookkeeping shared by the callbacks: cache of the last point, best point, penalties. */
class EvalState {
  evaluations = 0;
  best: ScaledEval | null = null;
  bestZ: Float64Array | null = null;
  private lastKey = '';
  private last: ScaledEval | null = null;
  private lastOk: ScaledEval | null = null;
  private worstF = -Infinity;

  constructor(
    private readonly prob: LocalProblem,
    private readonly o: LocalOptions,
  ) {}

  /** The evaluation at z (cached for the objective + constraint callbacks of one point). */
  at(z: ArrayLike<number>, grad: boolean): ScaledEval {
    const key = keyOf(z);
    if (key === this.lastKey && this.last && (!grad || !this.last.ok || this.last.df)) return this.last;
    const reason = this.o.shouldStop?.();
    if (reason) throw new StopSignal(reason);
    if (this.evaluations >= this.o.maxEvaluations) throw new StopSignal('evaluation limit');
    this.evaluations++;
    const zz = Float64Array.from(z);
    let e = this.prob.evaluate(zz, grad);
    if (e.ok && (!Number.isFinite(e.f) || !e.g.every(Number.isFinite) || !e.h.every(Number.isFinite)))
      e = { ...e, ok: false };
    if (!e.ok && this.evaluations === 1) throw new StopSignal('start point rejected');
    if (e.ok) {
      this.lastOk = e;
      this.worstF = Math.max(this.worstF, e.f);
      this.consider(zz, e);
    }
    this.last = e.ok ? e : this.penalized(e);
    this.lastKey = key;
    return this.last;
  }

  private consider(z: Float64Array, e: ScaledEval): void {
    const tol = this.o.constraintTolerance;
    const b = this.best;
    const feas = e.violation <= tol;
    const bFeas = b !== null && b.violation <= tol;
    let better: boolean;
    if (!b) better = true;
    else if (feas && !bFeas) better = true;
    else if (!feas && bFeas) better = false;
    else if (feas) better = e.f < b.f;
    else better = e.violation < b.violation;
    if (better) {
      this.best = e;
      this.bestZ = z;
    }
  }

  /** A failed evaluation as the optimizer sees it: worse than anything seen, gradients of the last good point. */
  private penalized(_failed: ScaledEval): ScaledEval {
    const ok = this.lastOk;
    const pf = ok ? Math.max(this.worstF, ok.f) + 1 + Math.abs(ok.f) : 1e6;
    const g = ok ? ok.g.map((v) => Math.max(v, 0) + 1) : new Float64Array(this.prob.nIneq).fill(1e3);
    const h = ok ? ok.h.map((v) => v + (v >= 0 ? 1 : -1)) : new Float64Array(this.prob.nEq).fill(1e3);
    const n = this.prob.n;
    return {
      ok: false,
      f: pf,
      df: ok?.df ?? new Float64Array(n),
      g,
      dg: ok?.dg ?? Array.from({ length: this.prob.nIneq }, () => new Float64Array(n)),
      h,
      dh: ok?.dh ?? Array.from({ length: this.prob.nEq }, () => new Float64Array(n)),
      violation: Infinity,
    };
  }
}

function copyGrad(dst: number[] | null | undefined, src: Float64Array | undefined): void {
  if (!dst) return;
  for (let j = 0; j < dst.length; j++) dst[j] = src ? src[j] : 0;
}

/** One nlopt run with the problem's constraints (or an augmented Lagrangian objective `aug`). */
function runNlopt(
  nlopt: Nlopt,
  algName: string,
  prob: LocalProblem,
  z0: Float64Array,
  o: LocalOptions,
  state: EvalState,
  aug: ((z: ArrayLike<number>, grad: number[] | null) => number) | null,
  maxEval = o.maxEvaluations,
): Float64Array {
  const n = prob.n;
  const opt = new nlopt.Optimize(nlopt.Algorithm[algName], n);
  const gradFree = algName.startsWith('LN_');
  opt.setLowerBounds(Array.from(prob.lower));
  opt.setUpperBounds(Array.from(prob.upper));
  opt.setMaxeval(maxEval);
  if (aug) {
    opt.setMinObjective((z: number[], grad: number[] | null) => aug(z, grad), o.tolerance);
  } else {
    opt.setMinObjective((z: number[], grad: number[] | null) => {
      const e = state.at(z, !gradFree && !!grad);
      copyGrad(grad, e.df);
      return e.f;
    }, o.tolerance);
    if (prob.nIneq > 0) {
      opt.addInequalityMConstraint(
        (z: number[], grad: number[] | null, r: number[]) => {
          const e = state.at(z, !gradFree && !!grad);
          for (let k = 0; k < prob.nIneq; k++) {
            r[k] = e.g[k];
            if (grad) for (let j = 0; j < n; j++) grad[k * n + j] = e.dg ? e.dg[k][j] : 0;
          }
        },
        Array.from(o.nloptConstraintTolerance.subarray(0, prob.nIneq)),
      );
    }
    if (prob.nEq > 0) {
      opt.addEqualityMConstraint(
        (z: number[], grad: number[] | null, r: number[]) => {
          const e = state.at(z, !gradFree && !!grad);
          for (let k = 0; k < prob.nEq; k++) {
            r[k] = e.h[k];
            if (grad) for (let j = 0; j < n; j++) grad[k * n + j] = e.dh ? e.dh[k][j] : 0;
          }
        },
        Array.from(o.nloptConstraintTolerance.subarray(prob.nIneq)),
      );
    }
  }
  const z = Array.from(z0, (v, j) => Math.min(prob.upper[j], Math.max(prob.lower[j], v)));
  const r = opt.optimize(z);
  return Float64Array.from(r.x as number[]);
}

/**
 * Augmented Lagrangian (Powell-Hestenes-Rockafellar) with L-BFGS subproblems:
 * L(z) = f + (rho/2) sum max(0, g_k + lam_k/rho)^2 + (rho/2) sum (h_k + mu_k/rho)^2; after each
 * subproblem lam_k = max(0, lam_k + rho g_k), mu_k += rho h_k, and rho grows 10x when the
 * infeasibility did not fall by 4x.
 */
function runAugLag(
  nlopt: Nlopt,
  prob: LocalProblem,
  z0: Float64Array,
  o: LocalOptions,
  state: EvalState,
): void {
  const lam = new Float64Array(prob.nIneq);
  const mu = new Float64Array(prob.nEq);
  let rho = 10;
  let z: Float64Array = Float64Array.from(z0);
  let prevInfeas = Infinity;
  for (let outer = 0; outer < 30; outer++) {
    const aug = (zz: ArrayLike<number>, grad: number[] | null): number => {
      const e = state.at(zz, !!grad);
      let L = e.f;
      if (grad) copyGrad(grad, e.df);
      for (let k = 0; k < prob.nIneq; k++) {
        const t = e.g[k] + lam[k] / rho;
        if (t > 0) {
          L += 0.5 * rho * t * t;
          if (grad && e.dg) for (let j = 0; j < prob.n; j++) grad[j] += rho * t * e.dg[k][j];
        }
      }
      for (let k = 0; k < prob.nEq; k++) {
        const t = e.h[k] + mu[k] / rho;
        L += 0.5 * rho * t * t;
        if (grad && e.dh) for (let j = 0; j < prob.n; j++) grad[j] += rho * t * e.dh[k][j];
      }
      return L;
    };
    const remaining = o.maxEvaluations - state.evaluations;
    if (remaining <= 0) throw new StopSignal('evaluation limit');
    z = runNlopt(nlopt, 'LD_LBFGS', prob, z, o, state, aug, remaining);
    const e = state.at(z, false);
    if (!e.ok) return;
    let infeas = 0;
    for (let k = 0; k < prob.nIneq; k++) {
      lam[k] = Math.max(0, lam[k] + rho * e.g[k]);
      infeas = Math.max(infeas, e.g[k]);
    }
    for (let k = 0; k < prob.nEq; k++) {
      mu[k] += rho * e.h[k];
      infeas = Math.max(infeas, Math.abs(e.h[k]));
    }
    if (infeas <= Math.min(...Array.from(o.nloptConstraintTolerance), 1e-6) && outer > 0) return;
    if (infeas > 0.25 * prevInfeas) rho *= 10;
    prevInfeas = infeas;
  }
}
