/**
 * CST fit survey: fits the CST parametrization (default 8 weights per side) to every UIUC airfoil in
 * ../shared/data/uiuc-airfoils (or the directory given as the first argument) and prints the
 * distribution of the max deviation (vertical distance at the normalized target's x, chord units).
 *
 *   npx tsx scripts/cst-fit-survey.ts [dir] [--weights 8] [--objective minimax|l2] [--json out.json]
 */
import * as fs from 'fs';
import * as path from 'path';
import { isFoiloptError } from '../src/errors';
import { readAirfoilFile } from '../src/geometry/io';
import { cst } from '../src/geometry/param/cst';
import type { Airfoil } from '../src/geometry/types';

/**
 * Fallback for files readAirfoilFile rejects (e.g. a trailing edge that crosses itself by a few
 * 1e-4): every line holding exactly two numbers, in file order, no checks. Survey-only.
 */
function rawSelig(file: string): Airfoil {
  const pts = fs
    .readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .map((l) => l.trim().split(/\s+/).map(Number))
    .filter((v) => v.length === 2 && v.every(Number.isFinite));
  return {
    name: path.basename(file),
    x: Float64Array.from(pts, (v) => v[0]),
    y: Float64Array.from(pts, (v) => v[1]),
  };
}

function main(): void {
  const args = process.argv.slice(2);
  let dir = path.resolve(__dirname, '..', '..', 'shared', 'data', 'uiuc-airfoils');
  let weights = 8;
  let jsonOut: string | undefined;
  let objective: 'minimax' | 'l2' = 'minimax';
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--weights') weights = Number(args[++i]);
    else if (args[i] === '--json') jsonOut = args[++i];
    else if (args[i] === '--objective') objective = args[++i] === 'l2' ? 'l2' : 'minimax';
    else dir = args[i];
  }
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.toLowerCase().endsWith('.dat'))
    .sort();
  const p = cst({ weightsPerSide: weights, fitObjective: objective });
  const results: { file: string; maxDeviation: number; rmsDeviation: number; rawParse: boolean }[] = [];
  const failures: { file: string; error: string }[] = [];
  const t0 = Date.now();
  for (const f of files) {
    let a: Airfoil;
    let rawParse = false;
    try {
      a = readAirfoilFile(path.join(dir, f));
    } catch (e) {
      if (!isFoiloptError(e)) throw e;
      failures.push({
        file: f,
        error: `readAirfoilFile: ${e.oneLine()} (fitted from the raw numbers instead)`,
      });
      a = rawSelig(path.join(dir, f));
      rawParse = true;
    }
    try {
      const r = p.fit(a);
      results.push({ file: f, maxDeviation: r.maxDeviation, rmsDeviation: r.rmsDeviation, rawParse });
    } catch (e) {
      if (!isFoiloptError(e)) throw e;
      failures.push({ file: f, error: `fit failed: ${e.oneLine()}` });
    }
  }
  const dev = results.map((r) => r.maxDeviation).sort((a, b) => a - b);
  const q = (f: number): number => dev[Math.min(dev.length - 1, Math.floor(f * (dev.length - 1) + 0.5))];
  const frac = (tol: number): number => dev.filter((d) => d <= tol).length / dev.length;
  const summary = {
    weightsPerSide: weights,
    objective,
    files: files.length,
    fitted: results.length,
    fittedFromRawNumbers: results.filter((r) => r.rawParse).length,
    seconds: (Date.now() - t0) / 1000,
    median: q(0.5),
    p90: q(0.9),
    p99: q(0.99),
    max: dev[dev.length - 1],
    fractionBelow5e4: frac(5e-4),
    fractionBelow2e3: frac(2e-3),
    goalMet: q(0.5) <= 5e-4 && frac(2e-3) >= 0.9,
  };
  console.log(JSON.stringify(summary, null, 2));
  const worst = [...results].sort((a, b) => b.maxDeviation - a.maxDeviation).slice(0, 15);
  console.log('worst files (max deviation, rms):');
  for (const w of worst) {
    const note = w.rawParse ? '  (raw numbers)' : '';
    console.log(
      `  ${w.file.padEnd(28)} ${w.maxDeviation.toExponential(3)}  ${w.rmsDeviation.toExponential(3)}${note}`,
    );
  }
  if (failures.length) {
    console.log('files readAirfoilFile rejects / fits that failed:');
    for (const f of failures) console.log(`  ${f.error}`);
  }
  if (jsonOut) fs.writeFileSync(jsonOut, JSON.stringify({ summary, results, failures }, null, 1));
}

main();
