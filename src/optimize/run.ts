/**
 * `optimize(config, options)`: the optimization run.
 *
 * Strategy "multifidelity" (default):
 *   1. baseline: the base airfoil's fit evaluated by the solver (and the operator);
 *   2. search: local optimizations from `search.starts` starts (the base shape and seeded random
 *      perturbations of it) with the search model (the operator, gradients by autodiff), in worker
 *      threads;
 *   3. verify: the best `search.verify` candidates evaluated by the solver; shapes that
 *      self-intersect or that the solver does not converge at every design point are rejected;
 *   4. polish: a local optimization with the solver and its adjoint from the best verified shape;
 *   5. final: the best feasible solver-evaluated design, solved again with distributions, polars of
 *      baseline and final, the operator's prediction of both (the gap), XFOIL when available.
 * Strategy "single": step 2 with config.model (multi-start), then 3 and 5.
 * Without the operator (not in this build, or search.model "solver"), the solver plays the search
 * model and result.json says so.
 *
 * Outputs (with an output directory): result.json, optimized.dat, baseline.dat, history.jsonl,
 * analysis.json, report.html, checkpoint.json + journal.jsonl (resume: journal.ts).
 */
import * as path from 'path';
import { Worker } from 'worker_threads';
import { caseRng } from '../dataset/rng';
import { FoiloptError } from '../errors';
import type { Parametrization } from '../geometry/param/types';
import { findSelfIntersection } from '../geometry/intersect';
import {
  DEFAULT_CONFIG,
  resolveOptimizeConfig,
  type OptimizeConfig,
  type OptimizeConfigInput,
} from './config';
import { deserializeEvaluation, PhaseEvaluator, type HistoryRecord } from './evaluator';
import { configHash, RunFiles, type JournalEntry } from './journal';
import type { AeroModel } from './model';
import {
  loadNeuralOperator,
  OperatorModel,
  operatorAvailable,
  type NeuralOperatorLike,
} from './operator-model';
import type { Evaluation } from './problem';
import { finalAnalysis, writeOutputs, type OptimizeResult, type PhaseSummary } from './outputs';
import { runStartTask, type StartResult, type StartTask } from './search';
import type { SearchWorkerInit } from './search-worker';
import { setupProblem, type Setup } from './setup';
import { SolverModel } from './solver-model';

/** Progress of a run, passed to onIteration after every evaluation. */
export interface IterationInfo extends HistoryRecord {
  /** label of the objective ("weighted L/D", ...) */
  objectiveLabel: string;
}

/** Options of optimize(). */
export interface OptimizeOptions {
  /** output directory (default: none, nothing is written) */
  outDir?: string;
  /** continue the run checkpointed in outDir */
  resume?: boolean;
  /** directory relative paths of the config refer to (default: the config file's, else cwd) */
  baseDir?: string;
  /** the config file (error messages, relative paths) */
  configFile?: string;
  /** a parametrization object (instead of config.parametrization) */
  parametrization?: Parametrization;
  /** called after every evaluation */
  onIteration?: (info: IterationInfo) => void;
  /** phase changes and notes ("search: 4 starts on 2 workers") */
  onLog?: (line: string) => void;
  /** aborting ends the optimization; what was found so far is written (Ctrl-C) */
  signal?: AbortSignal;
  /** an already loaded operator (default: loaded from src/operator when available); null: none */
  operator?: NeuralOperatorLike | null;
  /** directory of the operator model (default: the operator's, models/operator or FOILOPT_MODEL) */
  modelDir?: string;
  /** worker threads of the search (default config.search.workers; 0 = main thread) */
  workers?: number;
}

/**
 * Fractions of the way from the baseline to a search candidate the solver rejected, tried in order
 * until one converges (z = 0 is the baseline).
 */
const BACKTRACK_FRACTIONS = [0.75, 0.5, 0.25];

/** Path of the worker script: .js next to this file, or .ts under tsx/jest. */
function workerScript(): { file: string; execArgv: string[] } {
  const ts = __filename.endsWith('.ts');
  const file = path.join(__dirname, ts ? 'search-worker.ts' : 'search-worker.js');
  return { file, execArgv: ts ? ['--require', require.resolve('tsx/cjs')] : [] };
}

/** Deterministic starts: z = 0 (the base shape), then uniform perturbations (seeded) that do not self-intersect. */
export function makeStarts(setup: Setup, count: number): Float64Array[] {
  const { problem, config } = setup;
  const n = problem.n;
  const starts = [new Float64Array(n)];
  const L = problem.layout;
  for (let k = 1; k < count; k++) {
    const rng = caseRng(config.seed, k, 7);
    let z = new Float64Array(n);
    for (let attempt = 0; attempt < 50; attempt++) {
      z = new Float64Array(n);
      for (let j = 0; j < n; j++) {
        const lo = (L.lower[j] - L.x0[j]) / L.scale[j];
        const hi = (L.upper[j] - L.x0[j]) / L.scale[j];
        const v = (2 * rng.uniform() - 1) * config.search.perturbation;
        z[j] = Math.min(hi, Math.max(lo, v));
      }
      const s = problem.shapeOf(problem.toX(z));
      if (!findSelfIntersection(s.x, s.y)) break;
    }
    starts.push(z);
  }
  return starts;
}

/** Runs an optimization (see the module comment). */
export async function optimize(
  input: OptimizeConfigInput | OptimizeConfig = DEFAULT_CONFIG,
  options: OptimizeOptions = {},
): Promise<OptimizeResult> {
  const t0 = Date.now();
  const elapsed = () => (Date.now() - t0) / 1000;
  const log = options.onLog ?? (() => {});
  // a parametrization object inside the config (library use) is taken out before validation
  const given = (input as { parametrization?: unknown } | undefined)?.parametrization as
    Parametrization | undefined;
  if (given && typeof given === 'object' && typeof (given as Parametrization).coordinates === 'function') {
    options = { ...options, parametrization: given };
    input = { ...(input as OptimizeConfigInput), parametrization: String(given.name ?? 'user') };
  }
  const config = resolveOptimizeConfig(input, options.configFile);
  const baseDir =
    options.baseDir ?? (options.configFile ? path.dirname(path.resolve(options.configFile)) : process.cwd());
  const timings: Record<string, number> = {};
  const tick = (name: string, since: number) =>
    (timings[name] = (timings[name] ?? 0) + (Date.now() - since) / 1000);

  let tp = Date.now();
  const setup = setupProblem(config, baseDir, {
    file: options.configFile,
    parametrization: options.parametrization,
  });
  const { problem } = setup;
  tick('setup', tp);
  const hashInput = {
    config,
    param: options.parametrization
      ? { name: options.parametrization.name, nVars: options.parametrization.nVars }
      : null,
  };
  const files = new RunFiles(options.outDir ?? null, configHash(hashInput));
  files.open(!!options.resume);
  const warnings: string[] = [];
  const phases: PhaseSummary[] = [];
  let interrupted = false;
  const shouldStop = (): string | null => {
    if (options.signal?.aborted) {
      interrupted = true;
      return 'interrupted';
    }
    if (config.maxTimeSeconds > 0 && elapsed() > config.maxTimeSeconds) return 'time limit';
    return null;
  };
  const emit = (r: HistoryRecord) => {
    files.history(r);
    options.onIteration?.({ ...r, objectiveLabel: problem.objectiveLabel });
  };

  // models
  const solver = new SolverModel({ panels: config.panels });
  let operator: OperatorModel | null = null;
  const wantOperator =
    (config.strategy === 'multifidelity' && config.search.model === 'operator') ||
    (config.strategy === 'single' && config.model === 'operator');
  if (options.operator) operator = new OperatorModel(options.operator);
  else if (options.operator === undefined && (wantOperator || operatorAvailable())) {
    try {
      operator = new OperatorModel(await loadNeuralOperator(options.modelDir));
    } catch (e) {
      if (config.strategy === 'single' && config.model === 'operator') throw e;
      if (wantOperator)
        warnings.push(
          `operator unavailable (${e instanceof FoiloptError ? e.message : String(e)}): the solver plays the search model`,
        );
    }
  }
  const searchKind: 'solver' | 'operator' =
    config.strategy === 'single'
      ? config.model
      : config.search.model === 'operator' && operator
        ? 'operator'
        : 'solver';
  const searchModel: AeroModel = searchKind === 'operator' ? operator! : solver;

  try {
    // 1. baseline
    files.checkpoint('running', 'baseline');
    log('baseline: solver at the base shape');
    tp = Date.now();
    const z0 = new Float64Array(problem.n);
    const basePe = new PhaseEvaluator(
      problem,
      solver,
      'model',
      'baseline',
      1,
      files,
      emit,
      elapsed,
      config.constraintTolerance,
    );
    basePe.evaluate(z0, false);
    const baseEval = basePe.last!;
    if (!baseEval.ok) warnings.push(`the baseline is not a valid solver design: ${baseEval.reason}`);
    let baseOperator: Evaluation | null = null;
    if (operator) {
      const opPe = new PhaseEvaluator(
        problem,
        operator,
        'model',
        'baseline-operator',
        1,
        files,
        emit,
        elapsed,
        config.constraintTolerance,
      );
      opPe.evaluate(z0, false);
      baseOperator = opPe.last!;
    }
    const fScale = baseEval.ok && Math.abs(baseEval.f) > 1e-12 ? Math.abs(baseEval.f) : 1;
    tick('baseline', tp);

    // 2. search (or the single run)
    const starts = makeStarts(setup, config.search.starts);
    const single = config.strategy === 'single';
    const phaseName = single ? 'run' : 'search';
    const gradientMode: 'model' | 'fd' = config.gradient === 'fd' ? 'fd' : 'model';
    const tasks: StartTask[] = starts.map((z, k) => ({
      tag: `${phaseName}:${k}`,
      z0: Array.from(z),
      gradientMode,
      maxEvaluations: single ? config.maxEvaluations : config.search.maxEvaluations,
      fScale,
      algorithm: config.algorithm,
      tolerance: config.tolerance,
      constraintTolerance: config.constraintTolerance,
    }));
    files.checkpoint('running', phaseName);
    tp = Date.now();
    const nWorkers = Math.min(options.workers ?? config.search.workers, tasks.length);
    const useWorkers =
      nWorkers > 0 && !setup.paramObject && options.operator === undefined && tasks.length > 1;
    log(
      `${phaseName}: ${tasks.length} start(s) with the ${searchKind} (${gradientMode === 'fd' ? 'fd' : searchModel.gradientMethod} gradients)` +
        (useWorkers ? ` on ${nWorkers} worker thread(s)` : ''),
    );
    let results: StartResult[];
    if (useWorkers) {
      results = await runTasksInWorkers(tasks, nWorkers, {
        config,
        baseDir,
        file: options.configFile,
        p0: setup.p0,
        fitDeviation: setup.fitDeviation,
        cpTarget: problem.cpTarget,
        model: searchKind,
        modelDir: options.modelDir,
        startTime: t0,
        maxTimeSeconds: config.maxTimeSeconds,
        journal: [...files.cache.values()].filter((e) => e.tag.startsWith(`${phaseName}:`)),
        files,
        emit,
        signal: options.signal,
        onInterrupt: () => (interrupted = true),
      });
    } else {
      results = [];
      for (const t of tasks) {
        if (shouldStop() === 'interrupted') break;
        results.push(await runStartTask(problem, searchModel, t, files, emit, elapsed, shouldStop));
      }
    }
    if (results.some((r) => r.stop === 'interrupted')) interrupted = true;
    if (useWorkers) {
      // model work done in the worker threads
      for (const r of results) {
        const m = searchKind === 'operator' ? operator! : solver;
        m.evaluations += r.modelEvaluations;
        m.seconds += r.modelSeconds;
        files.replayed += r.replayed;
      }
    }
    tick(phaseName, tp);
    phases.push({
      name: phaseName,
      model: searchKind,
      starts: results.map((r) => ({
        tag: r.tag,
        objective: r.objective,
        feasible: r.feasible,
        evaluations: r.evaluations,
        iterations: r.iterations,
        stop: r.stop,
        seconds: r.seconds,
      })),
      seconds: timings[phaseName],
    });

    // 3. verify the best candidates with the solver
    files.checkpoint('running', 'verify');
    tp = Date.now();
    const ranked = results
      .map((r, k) => ({ r, k }))
      .filter((c) => c.r.f !== null)
      .sort((a, b) =>
        a.r.feasible !== b.r.feasible ? (a.r.feasible ? -1 : 1) : a.r.f! - b.r.f! || a.k - b.k,
      );
    const nVerify =
      single && searchKind === 'solver' ? ranked.length : Math.min(config.search.verify, ranked.length);
    const verified: { z: Float64Array; ev: Evaluation; tag: string; feasible: boolean }[] = [];
    const verifyPe = new PhaseEvaluator(
      problem,
      solver,
      'model',
      'verify',
      fScale,
      files,
      emit,
      elapsed,
      config.constraintTolerance,
    );
    const verifyAt = (z: Float64Array): Evaluation => {
      verifyPe.evaluate(z, false);
      return verifyPe.last!;
    };
    const describeEv = (ev: Evaluation) =>
      ev.ok
        ? `solver ${problem.objectiveLabel} ${ev.natural.toPrecision(6)}, worst violation ${problem.worstViolation(ev.c).toExponential(2)}`
        : `rejected (${ev.reason})`;
    for (let i = 0; i < nVerify; i++) {
      const z = Float64Array.from(ranked[i].r.z);
      const ev =
        searchKind === 'solver' && ranked[i].r.ev ? deserializeEvaluation(ranked[i].r.ev) : verifyAt(z);
      const feasible = ev.ok && problem.worstViolation(ev.c) <= config.constraintTolerance;
      verified.push({ z, ev, tag: ranked[i].r.tag, feasible });
      log(`verify ${ranked[i].r.tag}: ${describeEv(ev)}`);
      if (ev.ok || searchKind === 'solver') continue;
      // the search model's optimum fails on the solver (surrogate optima exploit model error):
      // step back along the segment from the baseline towards it until the solver converges
      for (const t of BACKTRACK_FRACTIONS) {
        const zt = z.map((v) => t * v);
        const evt = verifyAt(zt);
        const tag = `${ranked[i].r.tag}@${t}`;
        log(`verify ${tag}: ${describeEv(evt)}`);
        if (!evt.ok) continue;
        verified.push({
          z: zt,
          ev: evt,
          tag,
          feasible: problem.worstViolation(evt.c) <= config.constraintTolerance,
        });
        break;
      }
    }
    tick('verify', tp);
    phases.push({
      name: 'verify',
      model: 'solver',
      candidates: verified.map((v) => ({
        tag: v.tag,
        ok: v.ev.ok,
        reason: v.ev.reason,
        objective: v.ev.ok ? v.ev.natural : null,
        worstViolation: v.ev.ok ? problem.worstViolation(v.ev.c) : null,
        feasible: v.feasible,
      })),
      seconds: timings.verify,
    });
    const byQuality = (a: { ev: Evaluation; feasible: boolean }, b: { ev: Evaluation; feasible: boolean }) =>
      a.feasible !== b.feasible ? (a.feasible ? -1 : 1) : a.ev.f - b.ev.f;
    const okVerified = verified.filter((v) => v.ev.ok).sort(byQuality);

    // 4. polish with the solver and its adjoint
    const pool: { z: Float64Array; ev: Evaluation; tag: string; feasible: boolean }[] = [...okVerified];
    if (baseEval.ok)
      pool.push({
        z: z0,
        ev: baseEval,
        tag: 'baseline',
        feasible: problem.worstViolation(baseEval.c) <= config.constraintTolerance,
      });
    if (!single && !interrupted && shouldStop() === null) {
      files.checkpoint('running', 'polish');
      tp = Date.now();
      const from = okVerified[0]?.z ?? z0;
      if (!okVerified.length)
        warnings.push(
          'no search candidate passed the solver verification: the polish starts from the baseline',
        );
      log(
        `polish: solver + ${gradientMode === 'fd' ? 'fd' : 'adjoint'} from ${okVerified[0]?.tag ?? 'the baseline'}`,
      );
      const r = await runStartTask(
        problem,
        solver,
        {
          tag: 'polish',
          z0: Array.from(from),
          gradientMode,
          maxEvaluations: config.maxEvaluations,
          fScale,
          algorithm: config.algorithm,
          tolerance: config.tolerance,
          constraintTolerance: config.constraintTolerance,
        },
        files,
        emit,
        elapsed,
        shouldStop,
      );
      if (r.stop === 'interrupted') interrupted = true;
      tick('polish', tp);
      phases.push({
        name: 'polish',
        model: 'solver',
        starts: [
          {
            tag: r.tag,
            objective: r.objective,
            feasible: r.feasible,
            evaluations: r.evaluations,
            iterations: r.iterations,
            stop: r.stop,
            seconds: r.seconds,
          },
        ],
        seconds: timings.polish,
      });
      if (r.ev) {
        const ev = deserializeEvaluation(r.ev);
        pool.push({ z: Float64Array.from(r.z), ev, tag: 'polish', feasible: r.feasible });
      }
    }

    // 5. final: the best feasible solver-evaluated design
    pool.sort(byQuality);
    const best = pool.find((p) => p.feasible) ?? null;
    const fallback = pool[0] ?? null;
    tp = Date.now();
    files.checkpoint('running', 'final');
    const analysis = finalAnalysis({
      setup,
      solver,
      operator,
      baseZ: z0,
      baseEval,
      baseOperator,
      best: best ? { z: best.z, ev: best.ev, tag: best.tag } : null,
      fallback: fallback ? { z: fallback.z, ev: fallback.ev, tag: fallback.tag } : null,
      full: !interrupted,
      log,
      warnings,
    });
    tick('final', tp);
    timings.total = elapsed();
    const status = interrupted ? 'interrupted' : best ? 'optimized' : 'no feasible design';
    const result = writeOutputs({
      setup,
      analysis,
      status,
      searchModel: searchKind,
      operatorLoaded: operator !== null,
      warnings,
      phases,
      timings,
      evaluations: {
        solver: solver.evaluations,
        operator: operator?.evaluations ?? 0,
        replayed: files.replayed,
      },
      modelSeconds: { solver: solver.seconds, operator: operator?.seconds ?? 0 },
      outDir: options.outDir ?? null,
    });
    files.checkpoint(interrupted ? 'interrupted' : 'done', interrupted ? 'interrupted' : 'done');
    return result;
  } finally {
    // the operator is not disposed: loadOperator() caches one instance per model directory
    files.close();
  }
}

interface WorkerRun {
  config: OptimizeConfig;
  baseDir: string;
  file?: string;
  p0: Float64Array;
  fitDeviation: number;
  cpTarget: SearchWorkerInit['cpTarget'];
  model: 'solver' | 'operator';
  modelDir?: string;
  startTime: number;
  maxTimeSeconds: number;
  journal: JournalEntry[];
  files: RunFiles;
  emit: (r: HistoryRecord) => void;
  signal?: AbortSignal;
  onInterrupt: () => void;
}

/** Runs the start tasks on a pool of worker threads; results in task order. */
function runTasksInWorkers(tasks: StartTask[], nWorkers: number, run: WorkerRun): Promise<StartResult[]> {
  const { file, execArgv } = workerScript();
  const stopFlag = new SharedArrayBuffer(4);
  const flag = new Int32Array(stopFlag);
  const init: SearchWorkerInit = {
    config: run.config,
    baseDir: run.baseDir,
    file: run.file,
    p0: run.p0,
    fitDeviation: run.fitDeviation,
    cpTarget: run.cpTarget,
    model: run.model,
    modelDir: run.modelDir,
    startTime: run.startTime,
    maxTimeSeconds: run.maxTimeSeconds,
    stopFlag,
    journal: run.journal,
  };
  const onAbort = () => {
    Atomics.store(flag, 0, 1);
    run.onInterrupt();
  };
  if (run.signal?.aborted) onAbort();
  run.signal?.addEventListener('abort', onAbort);
  return new Promise((resolve, reject) => {
    const results: (StartResult | undefined)[] = new Array(tasks.length);
    let next = 0;
    let done = 0;
    let failed = false;
    const workers: Worker[] = [];
    const finish = (err?: Error) => {
      if (failed) return;
      if (err) failed = true;
      for (const w of workers) void w.terminate();
      run.signal?.removeEventListener('abort', onAbort);
      if (err) reject(err);
      else resolve(results.filter((r): r is StartResult => r !== undefined));
    };
    const feed = (w: Worker) => {
      if (next >= tasks.length || Atomics.load(flag, 0) === 1) {
        if (done === tasks.length || Atomics.load(flag, 0) === 1) {
          // all handed out; the pool ends when every busy worker reported
        }
        return false;
      }
      w.postMessage({ type: 'task', task: tasks[next++] });
      return true;
    };
    let busy = 0;
    for (let i = 0; i < nWorkers; i++) {
      const w = new Worker(file, { workerData: init, execArgv });
      workers.push(w);
      w.on(
        'message',
        (m: {
          type: string;
          entry?: JournalEntry;
          record?: HistoryRecord;
          result?: StartResult;
          message?: string;
          user?: boolean;
        }) => {
          if (m.type === 'ready') {
            if (feed(w)) busy++;
            else if (busy === 0) finish();
          } else if (m.type === 'eval') {
            if (m.entry) run.files.record(m.entry);
            if (m.record) run.emit(m.record);
          } else if (m.type === 'done') {
            const k = tasks.findIndex((t) => t.tag === m.result!.tag);
            results[k] = m.result;
            done++;
            busy--;
            if (feed(w)) busy++;
            else if (busy === 0) finish();
          } else if (m.type === 'fail') {
            finish(m.user ? new FoiloptError(m.message!) : new Error(`search worker: ${m.message}`));
          }
        },
      );
      w.on('error', (e) => finish(e));
    }
  });
}
