/**
 * Geometry acceptance figures (issue: foundation). Run: `npm run bench:geometry`.
 * Writes bench/out/geometry.json and prints a summary:
 *  1. UIUC load rate (>= 99 %), every failure with file, line and reason; no file crashes the process
 *  2. NACA 4/5-digit generators vs the UIUC naca2412/naca4412 files (<= 1e-3 chord);
 *     NACA 0012 max thickness and its location, LE radius vs 1.1019 t^2
 *  3. CST fit (8 weights per side) over the UIUC set: distribution of the max deviation
 *  4. analytic Jacobian vs central differences for every built-in parametrization
 *  5. repaneling (160 nodes): node and panel-midpoint distance from the input spline
 *  6. Selig write/read round trip
 *  7. garbage input through the CLI: one-line error and exit 1
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { isFoiloptError } from '../src/errors';
import { readAirfoilFile, formatSelig, parseAirfoilDat } from '../src/geometry/io';
import { nacaAirfoil } from '../src/geometry/param/naca';
import { measureAirfoil } from '../src/geometry/measure';
import { repanel, panelDeviation, distanceToSpline } from '../src/geometry/paneling';
import { buildSpline, evalSpline, newSplinePoint } from '../src/geometry/spline';
import { normalize } from '../src/geometry/normalize';
import { parametrizationFromSpec } from '../src/geometry/param';
import { jacobianFD } from '../src/geometry/param/common';
import { polylineDeviation } from '../src/geometry/param/fit';
import { listShippedAirfoils, loadAirfoil } from '../src/geometry/lookup';
import type { Airfoil } from '../src/geometry/types';
import { percentile, fmtE, writeBenchJson, UIUC_DIR, REPO_ROOT } from './common';

const report: Record<string, unknown> = {};
const t0 = Date.now();

// ---------------------------------------------------------------- 1. UIUC load
const files = fs
  .readdirSync(UIUC_DIR)
  .filter((f) => f.toLowerCase().endsWith('.dat'))
  .sort();
const loaded: { file: string; airfoil: Airfoil }[] = [];
const failures: { file: string; message: string; hasLine: boolean }[] = [];
let crashes = 0;
let tParse = Date.now();
for (const f of files) {
  try {
    loaded.push({ file: f, airfoil: readAirfoilFile(path.join(UIUC_DIR, f)) });
  } catch (e) {
    if (isFoiloptError(e)) failures.push({ file: f, message: e.oneLine(), hasLine: e.line !== undefined });
    else {
      crashes++;
      failures.push({ file: f, message: `NOT A FoiloptError: ${(e as Error).message}`, hasLine: false });
    }
  }
}
tParse = Date.now() - tParse;
const loadRate = loaded.length / files.length;
console.log(
  `1. UIUC load: ${loaded.length}/${files.length} = ${(100 * loadRate).toFixed(2)} % (parse ${tParse} ms total)`,
);
for (const fl of failures) console.log(`   FAIL ${fl.message}`);
console.log(
  `   failures without a line number: ${failures.filter((f) => !f.hasLine).length}; non-FoiloptError exceptions: ${crashes}`,
);
report.uiucLoad = {
  files: files.length,
  loaded: loaded.length,
  rate: loadRate,
  failures,
  crashes,
  parseMs: tParse,
};

// ---------------------------------------------------------------- 2. NACA generators
const nacaChecks: Record<string, number> = {};
for (const code of ['2412', '4412', '23012', '0012']) {
  const file = path.join(UIUC_DIR, `naca${code}.dat`);
  if (!fs.existsSync(file)) continue;
  // distance from every file point to the generated contour (polyline of 400 points per side)
  nacaChecks[`naca${code}`] = polylineDeviation(readAirfoilFile(file), nacaAirfoil(code, 400)).maxDeviation;
}
const n0012 = measureAirfoil(nacaAirfoil('0012', 400));
const leRadiusFormula = 1.1019 * 0.12 * 0.12;
console.log(
  `2. NACA generator vs UIUC files, max distance of the file points from the generated contour: ${Object.entries(
    nacaChecks,
  )
    .map(([k, v]) => `${k} ${fmtE(v)}`)
    .join(', ')}`,
);
console.log(
  `   NACA 0012 (400 pts/side): t/c ${n0012.maxThickness.toFixed(5)} at x ${n0012.maxThicknessX.toFixed(4)}; ` +
    `LE radius ${n0012.leRadius.toFixed(6)} vs 1.1019 t^2 = ${leRadiusFormula.toFixed(6)} (${((100 * (n0012.leRadius - leRadiusFormula)) / leRadiusFormula).toFixed(2)} %)`,
);
report.naca = {
  maxDeviationVsUiuc: nacaChecks,
  naca0012: {
    maxThickness: n0012.maxThickness,
    maxThicknessX: n0012.maxThicknessX,
    leRadius: n0012.leRadius,
    leRadiusFormula,
  },
};

// ---------------------------------------------------------------- 3. CST fit survey
const cst8 = parametrizationFromSpec('cst:8');
const dev: { file: string; maxDeviation: number }[] = [];
let tFit = Date.now();
for (const { file, airfoil } of loaded) {
  try {
    dev.push({ file, maxDeviation: cst8.fit(airfoil).maxDeviation });
  } catch (e) {
    dev.push({ file, maxDeviation: NaN });
    console.log(`   CST fit failed on ${file}: ${(e as Error).message}`);
  }
}
tFit = Date.now() - tFit;
const devs = dev.map((d) => d.maxDeviation);
const under2e3 = devs.filter((d) => d <= 2e-3).length / devs.length;
const cstStats = {
  n: devs.length,
  median: percentile(devs, 0.5),
  p75: percentile(devs, 0.75),
  p90: percentile(devs, 0.9),
  p95: percentile(devs, 0.95),
  p99: percentile(devs, 0.99),
  max: Math.max(...devs.filter(Number.isFinite)),
  fractionUnder5e4: devs.filter((d) => d <= 5e-4).length / devs.length,
  fractionUnder2e3: under2e3,
  msPerFit: tFit / Math.max(1, devs.length),
  worst: [...dev].sort((a, b) => b.maxDeviation - a.maxDeviation).slice(0, 10),
};
console.log(
  `3. CST(8) fit over ${cstStats.n} UIUC airfoils, max deviation (chord): median ${fmtE(cstStats.median)}, p75 ${fmtE(cstStats.p75)}, ` +
    `p90 ${fmtE(cstStats.p90)}, p95 ${fmtE(cstStats.p95)}, p99 ${fmtE(cstStats.p99)}, max ${fmtE(cstStats.max)}; ` +
    `<= 5e-4: ${(100 * cstStats.fractionUnder5e4).toFixed(1)} %, <= 2e-3: ${(100 * under2e3).toFixed(1)} %; ${cstStats.msPerFit.toFixed(2)} ms/fit`,
);
console.log(`   worst: ${cstStats.worst.map((w) => `${w.file} ${fmtE(w.maxDeviation)}`).join(', ')}`);
report.cstFit = cstStats;

// ---------------------------------------------------------------- 4. Jacobians
const e387 = loadAirfoil('e387');
const jacSpecs = ['cst:8', 'naca4', 'naca5', 'bezier:6', 'hh:8', 'parsec'];
const jac: Record<string, number> = {};
for (const spec of jacSpecs) {
  const p = parametrizationFromSpec(spec, e387);
  let worst = 0;
  for (const seed of [1, 2, 3]) {
    // a point near a fit of e387 (or the initial vector), perturbed inside the bounds
    let x0: Float64Array;
    try {
      x0 = p.fit(e387).params;
    } catch {
      x0 = p.initial();
    }
    const x = Float64Array.from(x0, (v, i) => {
      const r = Math.sin(seed * 12.9898 + i * 78.233) * 0.5; // deterministic pseudo-random in [-0.5, 0.5]
      const span = Number.isFinite(p.upper[i] - p.lower[i]) ? p.upper[i] - p.lower[i] : 1;
      return Math.min(p.upper[i], Math.max(p.lower[i], v + 0.01 * r * span));
    });
    const a = p.jacobian!(x);
    const f = jacobianFD(p, x, 1e-6);
    let num = 0;
    let den = 0;
    for (let k = 0; k < a.dx.length; k++) {
      num = Math.max(num, Math.abs(a.dx[k] - f.dx[k]), Math.abs(a.dy[k] - f.dy[k]));
      den = Math.max(den, Math.abs(a.dx[k]), Math.abs(a.dy[k]));
    }
    worst = Math.max(worst, num / Math.max(den, 1e-300));
  }
  jac[spec] = worst;
}
console.log(
  `4. Jacobian, max |analytic - central FD| / max |J|: ${Object.entries(jac)
    .map(([k, v]) => `${k} ${fmtE(v)}`)
    .join(', ')}`,
);
report.jacobians = jac;

// ---------------------------------------------------------------- 5. repaneling
/** Max distance from the spline through the repaneled nodes (sampled at its panel mid-arcs) to the input spline. */
function splineToSpline(a: Airfoil, r: Airfoil): number {
  const sa = buildSpline(a.x, a.y);
  const sr = buildSpline(r.x, r.y);
  const pt = newSplinePoint();
  let d = 0;
  for (let i = 0; i + 1 < sr.n; i++) {
    evalSpline(sr, 0.5 * (sr.s[i] + sr.s[i + 1]), pt);
    d = Math.max(d, distanceToSpline(sa, pt.x, pt.y));
  }
  return d;
}
const pan: Record<string, { maxNode: number; maxMidpoint: number; splineToSpline: number; ms: number }> = {};
for (const entry of listShippedAirfoils()) {
  const a = normalize(loadAirfoil(entry.name));
  const t = process.hrtime.bigint();
  const r = repanel(a, { nodes: 160 });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  const d = panelDeviation(a, r);
  pan[entry.name] = {
    maxNode: d.maxNode,
    maxMidpoint: d.maxMidpoint,
    splineToSpline: splineToSpline(a, r),
    ms,
  };
}
const panVals = Object.values(pan);
const uiucMid: number[] = [];
for (const { airfoil } of loaded) {
  try {
    const a = normalize(airfoil);
    uiucMid.push(panelDeviation(a, repanel(a, { nodes: 160 })).maxMidpoint);
  } catch {
    uiucMid.push(NaN);
  }
}
console.log(
  `5. repanel to 160 nodes, shipped airfoils (${panVals.length}): max node-to-spline ${fmtE(Math.max(...panVals.map((p) => p.maxNode)))}, ` +
    `max flat-panel midpoint-to-spline ${fmtE(Math.max(...panVals.map((p) => p.maxMidpoint)))}, ` +
    `max repaneled-spline-to-input-spline ${fmtE(Math.max(...panVals.map((p) => p.splineToSpline)))}, mean ${(panVals.reduce((s, p) => s + p.ms, 0) / panVals.length).toFixed(2)} ms`,
);
console.log(
  `   all UIUC (${uiucMid.length}): midpoint-to-spline median ${fmtE(percentile(uiucMid, 0.5))}, p95 ${fmtE(percentile(uiucMid, 0.95))}, ` +
    `max ${fmtE(Math.max(...uiucMid.filter(Number.isFinite)))}, failures ${uiucMid.filter((v) => !Number.isFinite(v)).length}`,
);
report.repanel = {
  shipped: pan,
  uiucMidpoint: {
    median: percentile(uiucMid, 0.5),
    p95: percentile(uiucMid, 0.95),
    max: Math.max(...uiucMid.filter(Number.isFinite)),
  },
};

// ---------------------------------------------------------------- 6. round trip
let rt = 0;
for (const { file, airfoil } of loaded) {
  const back = parseAirfoilDat(formatSelig(airfoil), file);
  if (back.x.length !== airfoil.x.length) {
    rt = Infinity;
    continue;
  }
  for (let i = 0; i < back.x.length; i++)
    rt = Math.max(rt, Math.abs(back.x[i] - airfoil.x[i]), Math.abs(back.y[i] - airfoil.y[i]));
}
console.log(`6. Selig write/read round trip over ${loaded.length} airfoils: max |d| ${fmtE(rt)}`);
report.roundTrip = { maxDifference: rt };

// ---------------------------------------------------------------- 7. garbage through the CLI
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'foilopt-bench-'));
const garbage: Record<string, Buffer | string> = {
  'binary.dat': Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 37) % 256)),
  'empty.dat': '',
  'one-line.dat': 'NACA 0012\n',
  'huge.dat': 'huge\n1e300 0\n0.5 1e300\n0 0\n0.5 -0.1\n1 0\n',
  'nan.dat': 'nan\n1 0\n0.5 NaN\n0 0\n0.5 -0.06\n1 0\n',
};
const cliResults: { file: string; exitCode: number | null; stderrLines: number; message: string }[] = [];
for (const [name, content] of Object.entries(garbage)) {
  const p = path.join(tmp, name);
  fs.writeFileSync(p, content);
  const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin', 'foilopt.js'), 'geometry', p], {
    encoding: 'utf8',
  });
  const lines = r.stderr.trim().split('\n').filter(Boolean);
  cliResults.push({ file: name, exitCode: r.status, stderrLines: lines.length, message: lines[0] ?? '' });
  console.log(`7. ${name.padEnd(13)} exit ${r.status}, ${lines.length} line(s): ${lines[0] ?? ''}`);
}
fs.rmSync(tmp, { recursive: true, force: true });
report.garbage = cliResults;

report.seconds = (Date.now() - t0) / 1000;
console.log(`\nwrote ${writeBenchJson('geometry', report)} in ${report.seconds} s`);
