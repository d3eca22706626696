/**
 * One local optimization from one start ("search:K" of the multifidelity strategy, "run:K" of the
 * single strategy), the same code in the main thread and in a worker thread (search-worker.ts).
 */
import type { AlgorithmName } from './config';
import { runLocal } from './driver';
import { PhaseEvaluator, serializeEvaluation, type HistoryRecord, type JournalAccess } from './evaluator';
import type { AeroModel } from './model';
import type { Problem } from './problem';

/** A start to optimize from. */
export interface StartTask {
  tag: string;
  /** start (scaled variables) */
  z0: number[];
  gradientMode: 'model' | 'fd';
  maxEvaluations: number;
  fScale: number;
  algorithm: AlgorithmName;
  tolerance: number;
  constraintTolerance: number;
}

/** Result of a start (JSON-safe: crosses the worker boundary). */
export interface StartResult {
  tag: string;
  /** best point (scaled variables) */
  z: number[];
  /** its evaluation (serialized), null when nothing succeeded */
  ev: unknown | null;
  /** natural objective and worst violation of the best point under the phase's model */
  objective: number | null;
  violation: number | null;
  f: number | null;
  feasible: boolean;
  evaluations: number;
  iterations: number;
  stop: string;
  seconds: number;
  /** model evaluations (not answered by the journal) and the seconds they took */
  modelEvaluations: number;
  modelSeconds: number;
  /** evaluations answered by the journal (resume) */
  replayed: number;
}

/** Runs one start. */
export async function runStartTask(
  problem: Problem,
  model: AeroModel,
  task: StartTask,
  journal: JournalAccess,
  emit: (r: HistoryRecord) => void,
  elapsed: () => number,
  shouldStop: () => string | null,
): Promise<StartResult> {
  const t0 = performance.now();
  const counted = model as AeroModel & { evaluations?: number; seconds?: number };
  const e0 = counted.evaluations ?? 0;
  const s0 = counted.seconds ?? 0;
  const pe = new PhaseEvaluator(
    problem,
    model,
    task.gradientMode,
    task.tag,
    task.fScale,
    journal,
    emit,
    elapsed,
    task.constraintTolerance,
  );
  const nTol = new Float64Array(pe.nIneq + pe.nEq);
  let i = 0;
  for (const c of problem.constraints)
    if (c.kind === 'ineq') nTol[i++] = (0.1 * task.constraintTolerance) / c.unit;
  for (const c of problem.constraints)
    if (c.kind === 'eq') nTol[i++] = (0.1 * task.constraintTolerance) / c.unit;
  const r = await runLocal(pe, Float64Array.from(task.z0), {
    algorithm: task.algorithm,
    maxEvaluations: task.maxEvaluations,
    tolerance: task.tolerance,
    constraintTolerance: task.constraintTolerance,
    nloptConstraintTolerance: nTol,
    shouldStop,
  });
  const ev = r.best ? pe.seenAt(r.z) : undefined;
  return {
    tag: task.tag,
    z: Array.from(r.z),
    ev: ev ? serializeEvaluation(ev) : null,
    objective: ev?.ok ? ev.natural : null,
    violation: r.best && r.best.ok ? r.best.violation : null,
    f: r.best && r.best.ok ? r.best.f : null,
    feasible: r.feasible,
    evaluations: r.evaluations,
    iterations: pe.iterations,
    stop: r.stop,
    seconds: (performance.now() - t0) / 1000,
    modelEvaluations: (counted.evaluations ?? 0) - e0,
    modelSeconds: (counted.seconds ?? 0) - s0,
    replayed: pe.replayed,
  };
}
