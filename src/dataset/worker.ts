/**
 * Worker-thread entry of the dataset generator (started by generate.ts). Protocol:
 *   workerData: { config, seed, evaluator }            (resolved config, seed, EvaluatorSpec)
 *   worker -> main: {type: 'ready'} once, {type: 'case'} after every case,
 *                   {type: 'done', id, bytes, errors, firstError} per chunk (bytes transferred),
 *                   {type: 'fail', message, stack} on an exception outside a case evaluation
 *   main -> worker: {type: 'chunk', id, first, count}
 */
import { parentPort, workerData } from 'worker_threads';
import { caseContext } from './cases';
import { computeChunk } from './chunk';
import type { DatasetConfig } from './config';
import { resolveEvaluator, resolvePolarEvaluator, type EvaluatorSpec } from './evaluate';

/** Data every worker is started with. */
export interface WorkerInit {
  config: DatasetConfig;
  seed: number;
  evaluator: EvaluatorSpec;
}

/** A chunk request from the main thread. */
export interface ChunkRequest {
  type: 'chunk';
  id: number;
  first: number;
  count: number;
}

function fail(e: unknown): void {
  const err = e as Error;
  const oneLine =
    typeof (e as { oneLine?: () => string })?.oneLine === 'function'
      ? (e as { oneLine: () => string }).oneLine()
      : undefined;
  parentPort!.postMessage({
    type: 'fail',
    message: oneLine ?? err?.message ?? String(e),
    stack: err?.stack,
    user: !!oneLine,
  });
}

if (parentPort) {
  const port = parentPort;
  try {
    const init = workerData as WorkerInit;
    const ctx = caseContext(init.config, init.seed);
    const evaluate = resolveEvaluator(init.evaluator);
    const evaluatePolar = resolvePolarEvaluator(init.evaluator);
    port.on('message', (m: ChunkRequest) => {
      if (m?.type !== 'chunk') return;
      try {
        const out = computeChunk(
          ctx,
          evaluate,
          m.first,
          m.count,
          () => port.postMessage({ type: 'case' }),
          evaluatePolar,
        );
        port.postMessage(
          { type: 'done', id: m.id, bytes: out.bytes, errors: out.errors, firstError: out.firstError },
          [out.bytes.buffer as ArrayBuffer],
        );
      } catch (e) {
        fail(e);
      }
    });
    port.postMessage({ type: 'ready' });
  } catch (e) {
    fail(e);
  }
}
