/** Small helpers shared by the bench scripts (paths to shared inputs, statistics, output). */
import * as fs from 'fs';
import * as path from 'path';

export const REPO_ROOT = path.resolve(__dirname, '..');
export const SHARED_DIR = process.env.FOILOPT_SHARED ?? path.resolve(REPO_ROOT, '..', 'shared');
export const UIUC_DIR = path.join(SHARED_DIR, 'data', 'uiuc-airfoils');
export const OUT_DIR = path.join(REPO_ROOT, 'bench', 'out');

/** Percentile by linear interpolation between order statistics (q in [0, 1]). */
export function percentile(values: ArrayLike<number>, q: number): number {
  const v = Array.from(values)
    .filter(Number.isFinite)
    .sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const pos = q * (v.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(v.length - 1, lo + 1);
  return v[lo] + (v[hi] - v[lo]) * (pos - lo);
}

/** Write bench/out/<name>.json (atomically) and return its path. */
export function writeBenchJson(name: string, data: unknown): string {
  fs.mkdirSync(OUT_DIR, { recursive: true });
  const file = path.join(OUT_DIR, `${name}.json`);
  fs.writeFileSync(file + '.tmp', JSON.stringify(data, null, 2));
  fs.renameSync(file + '.tmp', file);
  return file;
}

export function fmtE(v: number, d = 2): string {
  return Number.isFinite(v) ? v.toExponential(d) : String(v);
}
