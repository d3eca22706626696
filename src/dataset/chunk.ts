/**
 * One unit of work: the records of a contiguous range of cases, computed by the same code in the main
 * thread (workers = 0) and in worker threads (worker.ts).
 */
import {
  buildCase,
  buildPolar,
  encodeCase,
  failedResult,
  type CaseContext,
  type CaseEvaluator,
  type CaseResult,
  type CaseSpec,
  type PolarEvaluator,
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
 * In polar mode (config.polarPoints = K > 1) the cases of a polar are evaluated together by
 * `evaluatePolar` (or case by case when it is absent); the chunk must hold whole polars.
 */
export function computeChunk(
  ctx: CaseContext,
  evaluate: CaseEvaluator,
  first: number,
  count: number,
  onCase?: () => void,
  evaluatePolar?: PolarEvaluator,
): ChunkOutput {
  const words = recordWords(ctx.config.panels);
  const buf = new ArrayBuffer(count * words * 4);
  const f32 = new Float32Array(buf);
  const u32 = new Uint32Array(buf);
  let errors = 0;
  let firstError: string | undefined;
  const k = ctx.config.polarPoints;
  if (k > 1 && (first % k !== 0 || count % k !== 0)) {
    throw new Error(`computeChunk: cases ${first}..${first + count - 1} split a polar of ${k} points`);
  }
  for (let i = 0; i < count;) {
    const specs: CaseSpec[] = k > 1 ? buildPolar(ctx, (first + i) / k) : [buildCase(ctx, first + i)];
    let results: CaseResult[];
    let extra = 0;
    try {
      results = specs.length > 1 && evaluatePolar ? evaluatePolar(specs) : specs.map((s) => evaluate(s));
      if (results.length !== specs.length)
        throw new Error(`the evaluator returned ${results.length} results for ${specs.length} cases`);
    } catch (e) {
      results = specs.map(() => failedResult());
      extra = FLAG_ERROR;
      errors += specs.length;
      firstError ??= `case ${first + i}: ${(e as Error)?.message ?? String(e)}`;
    }
    for (let j = 0; j < specs.length; j++) {
      encodeCase(specs[j], results[j], f32, u32, (i + j) * words, extra);
      onCase?.();
    }
    i += specs.length;
  }
  return { bytes: new Uint8Array(buf), errors, firstError };
}
