/**
 * Worker-thread entry of the search phase (started by run.ts). Protocol:
 *   workerData: SearchWorkerInit
 *   worker -> main: {type:'ready'} once the problem and the model are built,
 *                   {type:'eval', entry, record} after every evaluation (journal entry + history),
 *                   {type:'done', result} per task, {type:'fail', message, user} on an error
 *   main -> worker: {type:'task', task}
 * The stop flag (shared Int32Array) is set by the main thread on Ctrl-C: the optimizer's next
 * evaluation ends the task.
 */
import { parentPort, workerData } from 'worker_threads';
import type { OptimizeConfig } from './config';
import type { HistoryRecord } from './evaluator';
import type { JournalEntry } from './journal';
import type { AeroModel } from './model';
import { loadNeuralOperator, OperatorModel } from './operator-model';
import type { CpTarget } from './problem';
import { runStartTask, type StartTask } from './search';
import { setupProblem } from './setup';
import { SolverModel } from './solver-model';

export interface SearchWorkerInit {
  config: OptimizeConfig;
  baseDir: string;
  file?: string;
  p0: Float64Array;
  fitDeviation: number;
  cpTarget?: CpTarget;
  model: 'solver' | 'operator';
  /** operator model directory (default: the operator's own default) */
  modelDir?: string;
  /** Date.now() at the start of the run */
  startTime: number;
  maxTimeSeconds: number;
  /** Int32Array(1) on a SharedArrayBuffer: 1 = interrupted */
  stopFlag: SharedArrayBuffer;
  /** journal entries of the search phase from a previous run (resume) */
  journal: JournalEntry[];
}

function fail(e: unknown): void {
  const oneLine =
    typeof (e as { oneLine?: () => string })?.oneLine === 'function'
      ? (e as { oneLine: () => string }).oneLine()
      : undefined;
  parentPort!.postMessage({
    type: 'fail',
    message: oneLine ?? (e as Error)?.message ?? String(e),
    user: !!oneLine,
    stack: (e as Error)?.stack,
  });
}

async function main(): Promise<void> {
  const port = parentPort!;
  const init = workerData as SearchWorkerInit;
  const setup = setupProblem(init.config, init.baseDir, {
    file: init.file,
    precomputed: { p0: init.p0, fitDeviation: init.fitDeviation, cpTarget: init.cpTarget },
  });
  const model: AeroModel =
    init.model === 'operator'
      ? new OperatorModel(await loadNeuralOperator(init.modelDir))
      : new SolverModel({ panels: init.config.panels });
  const cache = new Map<string, JournalEntry>();
  for (const e of init.journal) {
    const k = `${e.tag}|${e.key}`;
    const prev = cache.get(k);
    if (!prev || (e.grad && !prev.grad)) cache.set(k, e);
  }
  const flag = new Int32Array(init.stopFlag);
  const elapsed = () => (Date.now() - init.startTime) / 1000;
  const shouldStop = () => {
    if (Atomics.load(flag, 0) === 1) return 'interrupted';
    if (init.maxTimeSeconds > 0 && elapsed() > init.maxTimeSeconds) return 'time limit';
    return null;
  };
  let pendingRecord: HistoryRecord | null = null;
  let pendingEntry: JournalEntry | null = null;
  const flush = () => {
    if (pendingRecord || pendingEntry)
      port.postMessage({ type: 'eval', entry: pendingEntry, record: pendingRecord });
    pendingRecord = null;
    pendingEntry = null;
  };
  const journal = {
    lookup: (tag: string, key: string, grad: boolean) => {
      const e = cache.get(`${tag}|${key}`);
      return e && (e.grad || !grad) ? e : undefined;
    },
    record: (entry: JournalEntry) => {
      pendingEntry = entry;
    },
  };
  const emit = (r: HistoryRecord) => {
    pendingRecord = r;
    flush();
  };
  port.on('message', (m: { type: string; task: StartTask }) => {
    if (m?.type !== 'task') return;
    runStartTask(setup.problem, model, m.task, journal, emit, elapsed, shouldStop).then(
      (result) => port.postMessage({ type: 'done', result }),
      fail,
    );
  });
  port.postMessage({ type: 'ready' });
}

if (parentPort) main().catch(fail);
