/**
 * A Problem + model as the driver's LocalProblem for one phase: scales the evaluation (problem.ts),
 * answers points already in the journal (resume by replay, journal.ts), journals new evaluations,
 * and emits one history record per evaluation. Used in the main thread and in the search workers.
 */
import type { ScaledEval, LocalProblem } from './driver';
import type { JournalEntry } from './journal';
import type { AeroModel, ModelPoint } from './model';
import type { Evaluation, Problem } from './problem';

/** One line of history.jsonl (documented in docs/optimize.md). */
export interface HistoryRecord {
  /** phase tag: baseline, search:K, verify:K, polish, run:K (single strategy) */
  phase: string;
  /** evaluation number within the phase (1-based) */
  evaluation: number;
  /** optimizer iteration: evaluations with gradients so far in the phase */
  iteration: number;
  model: 'solver' | 'operator';
  /** gradients computed at this point: 'adjoint', 'autodiff', 'fd' or null */
  gradient: string | null;
  ok: boolean;
  /** why the point was rejected (ok false) */
  reason?: string;
  /** natural objective value (e.g. weighted L/D), null when rejected */
  objective: number | null;
  /** raw constraint values, g <= 0 / h = 0, problem order */
  constraints: (number | null)[];
  /** worst violation (raw units, 0 = feasible), null when rejected */
  worstViolation: number | null;
  feasible: boolean;
  /** 2-norm of the scaled objective gradient (null without gradients) */
  gradientNorm: number | null;
  /** raw variables, layout order */
  x: number[];
  /** per-point forces */
  points: {
    alphaDeg: number | null;
    cl: number | null;
    cd: number | null;
    cm: number | null;
    confidence: number | null;
  }[];
  /** seconds since the run started */
  elapsed: number;
  /** answered from the journal of a previous run (resume) */
  replayed: boolean;
}

const num = (v: number): number | null => (Number.isFinite(v) ? v : null);
const unnum = (v: number | null | undefined): number => (v === null || v === undefined ? NaN : v);

/** Evaluation -> JSON-safe object (exact numbers, NaN as null). */
export function serializeEvaluation(e: Evaluation): unknown {
  return {
    ok: e.ok,
    reason: e.reason,
    f: num(e.f),
    natural: num(e.natural),
    c: Array.from(e.c, num),
    df: e.df ? Array.from(e.df) : null,
    dc: e.dc ? e.dc.map((g) => Array.from(g)) : null,
    points: e.points.map((p) => ({
      alphaDeg: num(p.alphaDeg),
      cl: num(p.cl),
      cd: num(p.cd),
      cm: num(p.cm),
      ld: num(p.ld),
      xtrTop: num(p.xtrTop),
      xtrBot: num(p.xtrBot),
      converged: p.converged,
      confidence: num(p.confidence),
    })),
  };
}

/** Inverse of serializeEvaluation. */
export function deserializeEvaluation(o: unknown): Evaluation {
  const s = o as {
    ok: boolean;
    reason?: string;
    f: number | null;
    natural: number | null;
    c: (number | null)[];
    df: number[] | null;
    dc: number[][] | null;
    points: Record<string, number | null | boolean>[];
  };
  return {
    ok: s.ok,
    reason: s.reason,
    f: unnum(s.f),
    natural: unnum(s.natural),
    c: Float64Array.from(s.c, unnum),
    df: s.df ? Float64Array.from(s.df) : undefined,
    dc: s.dc ? s.dc.map((g) => Float64Array.from(g)) : undefined,
    points: s.points.map((p): ModelPoint => ({
      alphaDeg: unnum(p.alphaDeg as number | null),
      cl: unnum(p.cl as number | null),
      cd: unnum(p.cd as number | null),
      cm: unnum(p.cm as number | null),
      ld: unnum(p.ld as number | null),
      xtrTop: unnum(p.xtrTop as number | null),
      xtrBot: unnum(p.xtrBot as number | null),
      converged: p.converged as boolean,
      confidence: unnum(p.confidence as number | null),
    })),
  };
}

/** Exact key of a z vector. */
export function zKey(z: ArrayLike<number>): string {
  return Array.from(z, (v) => v.toString()).join(',');
}

/** Where a phase evaluator looks up and stores journal entries. */
export interface JournalAccess {
  lookup(tag: string, key: string, grad: boolean): JournalEntry | undefined;
  record(entry: JournalEntry): void;
}

/** The phase evaluator (see the module comment). */
export class PhaseEvaluator implements LocalProblem {
  readonly n: number;
  readonly nIneq: number;
  readonly nEq: number;
  readonly lower: Float64Array;
  readonly upper: Float64Array;
  private readonly ineq: number[] = [];
  private readonly eq: number[] = [];
  evaluations = 0;
  iterations = 0;
  /** evaluations answered by the journal */
  replayed = 0;
  /** last evaluation (raw) */
  last: Evaluation | null = null;
  /** raw evaluations of this phase by z key */
  private readonly seen = new Map<string, Evaluation>();

  constructor(
    readonly problem: Problem,
    readonly model: AeroModel,
    readonly gradientMode: 'model' | 'fd',
    readonly tag: string,
    /** objective scale: f / fScale is what the optimizer sees */
    readonly fScale: number,
    private readonly journal: JournalAccess,
    private readonly emit: (r: HistoryRecord) => void,
    private readonly elapsed: () => number,
    private readonly constraintTolerance: number,
  ) {
    const L = problem.layout;
    this.n = L.names.length;
    this.lower = L.lower.map((v, j) => (v - L.x0[j]) / L.scale[j]);
    this.upper = L.upper.map((v, j) => (v - L.x0[j]) / L.scale[j]);
    problem.constraints.forEach((c, k) => (c.kind === 'eq' ? this.eq : this.ineq).push(k));
    this.nIneq = this.ineq.length;
    this.nEq = this.eq.length;
  }

  /** Gradient method name for the history. */
  private gradientName(): string {
    return this.gradientMode === 'fd' ? 'fd' : this.model.gradientMethod;
  }

  /** Raw evaluation at z (journal first). */
  evaluateRaw(z: Float64Array, grad: boolean): { ev: Evaluation; replayed: boolean } {
    const key = zKey(z);
    const hit = this.journal.lookup(this.tag, key, grad);
    if (hit) {
      this.replayed++;
      const ev = deserializeEvaluation(hit.ev);
      this.seen.set(key, ev);
      return { ev, replayed: true };
    }
    const x = this.problem.toX(z);
    const ev = this.problem.evaluate(x, this.model, grad ? this.gradientMode : 'none');
    this.journal.record({ tag: this.tag, key, grad: grad && ev.ok, ev: serializeEvaluation(ev) });
    this.seen.set(key, ev);
    return { ev, replayed: false };
  }

  /** The raw evaluation of a point this phase evaluated. */
  seenAt(z: ArrayLike<number>): Evaluation | undefined {
    return this.seen.get(zKey(z));
  }

  evaluate(z: Float64Array, grad: boolean): ScaledEval {
    const { ev, replayed } = this.evaluateRaw(z, grad);
    this.evaluations++;
    if (grad && ev.df) this.iterations++;
    this.last = ev;
    const s = this.scaled(ev);
    const x = this.problem.toX(z);
    let gn: number | null = null;
    if (s.df) {
      let q = 0;
      for (const v of s.df) q += v * v;
      gn = Math.sqrt(q);
    }
    this.emit({
      phase: this.tag,
      evaluation: this.evaluations,
      iteration: this.iterations,
      model: this.model.kind,
      gradient: ev.df ? this.gradientName() : null,
      ok: ev.ok,
      reason: ev.reason,
      objective: ev.ok ? ev.natural : null,
      constraints: Array.from(ev.c, num),
      worstViolation: ev.ok ? s.violation : null,
      feasible: ev.ok && s.violation <= this.constraintTolerance,
      gradientNorm: gn,
      x: Array.from(x),
      points: ev.points.map((p) => ({
        alphaDeg: num(p.alphaDeg),
        cl: num(p.cl),
        cd: num(p.cd),
        cm: num(p.cm),
        confidence: num(p.confidence),
      })),
      elapsed: this.elapsed(),
      replayed,
    });
    return s;
  }

  /** The optimizer's view of an evaluation. */
  scaled(ev: Evaluation): ScaledEval {
    const L = this.problem.layout;
    const cons = this.problem.constraints;
    const n = this.n;
    const g = new Float64Array(this.nIneq);
    const h = new Float64Array(this.nEq);
    this.ineq.forEach((k, i) => (g[i] = ev.c[k] / cons[k].unit));
    this.eq.forEach((k, i) => (h[i] = ev.c[k] / cons[k].unit));
    const out: ScaledEval = {
      ok: ev.ok,
      f: ev.f / this.fScale,
      g,
      h,
      violation: ev.ok ? this.problem.worstViolation(ev.c) : Infinity,
    };
    if (ev.df) {
      out.df = new Float64Array(n);
      for (let j = 0; j < n; j++) out.df[j] = (ev.df[j] * L.scale[j]) / this.fScale;
    }
    if (ev.dc) {
      const sc = (k: number) => {
        const v = new Float64Array(n);
        for (let j = 0; j < n; j++) v[j] = (ev.dc![k][j] * L.scale[j]) / cons[k].unit;
        return v;
      };
      out.dg = this.ineq.map(sc);
      out.dh = this.eq.map(sc);
    }
    return out;
  }
}
