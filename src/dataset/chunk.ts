/**
 * One unit of work: the records of a contiguous range of cases, computed by the same code in the main
 * thread (workers = 0) and in worker threads (worker.ts).
 */
import {
  buildCase,
  encodeCase,
  failedResult,
  type CaseContext,
  type CaseEvaluator,
  type CaseResult,
} from './cases';
import { FLAG_ERROR, recordWords } from './layout';

/** Records of a chunk plus what went wrong in it. */
export interface ChunkOutput {
  bytes: Uint8Array;
  /** cases whose evaluator threw (stored as failed cases with FLAG_ERROR) */
  errors: number;
  /** message of the first such error */
  firstError?: string;
}

/**
 * Computes cases first..first+count-1 into records (layout.ts). An evaluator exception makes that case
 * a failed case with FLAG_ERROR (kept, like every non-converged case); `onCase` runs after each case.
 */
export function computeChunk(
  ctx: CaseContext,
  evaluate: CaseEvaluator,
  first: number,
  count: number,
  onCase?: () => void,
): ChunkOutput {
  const words = recordWords(ctx.config.panels);
  const buf = new ArrayBuffer(count * words * 4);
  const f32 = new Float32Array(buf);
  const u32 = new Uint32Array(buf);
  let errors = 0;
  let firstError: string | undefined;
  for (let i = 0; i < count; i++) {
    const spec = buildCase(ctx, first + i);
    let r: CaseResult;
    let extra = 0;
    try {
      r = evaluate(spec);
    } catch (e) {
      r = failedResult();
      extra = FLAG_ERROR;
      errors++;
      firstError ??= `case ${first + i}: ${(e as Error)?.message ?? String(e)}`;
    }
    encodeCase(spec, r, f32, u32, i * words, extra);
    onCase?.();
  }
  return { bytes: new Uint8Array(buf), errors, firstError };
}
