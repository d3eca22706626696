/**
 * Solver validation bench: our viscous solver (src/flow/analyze.ts) against XFOIL 6.99 over the
 * validation matrix (test/fixtures/xfoil/), against wind-tunnel data (test/fixtures/reference/),
 * and a robustness run over random CST shapes.
 *
 *   npm run bench:solver [-- options]      (npm run build && tsx bench/solver.ts)
 *     --quick            a 4-case subset of the matrix (and the wind-tunnel section)
 *     --no-xfoil         use the committed fixtures instead of running XFOIL live
 *     --case SUBSTR      only matrix/reference cases whose id contains SUBSTR
 *     --iter N           SolverOptions.maxIterations for our solver (default: the solver's own)
 *     --robustness [N]   also run N (default 500) random CST shapes x random (alpha, Re, Ncrit)
 *     --seed S           seed of the robustness run (default 1)
 *     --source           time the TypeScript sources (src/, run by tsx) instead of the build
 *   FOILOPT_BENCH_ANALYZE=FILE benchmarks FILE's analyze() instead.
 *
 * Our solver is timed as users run it: the compiled JavaScript of dist/flow (what `foilopt analyze`
 * runs; `npm run bench:solver` builds it first). When dist/ is missing or older than a source file
 * of src/, the bench falls back to src/flow (tsx) and says so.
 *
 * For every case, XFOIL (xfoil-polar, same command as the fixture) and our analyze() sweep the same
 * alphas in the same order with warm starts. Times are wall clock per converged point: XFOIL's is
 * the XFOIL process time measured by xfoil-polar (process start, LOAD/NACA, PANE, the sweep, file
 * output), ours the analyze() call (repaneling included; Node JIT warmed up by two untimed sweeps
 * first). The acceptance ratio is ours / XFOIL's wall time per converged point over all matrix
 * cases. XFOIL does not report per-point times itself; with live XFOIL the bench also runs a
 * 1-point XFOIL sweep (alpha 0) per case and reports XFOIL's marginal time per point,
 * (T_sweep - T_1point) / (N_requested - 1), i.e. without process start, loading and paneling
 * (informational only). Statistics are over the points converged by both (src/flow/compare.ts;
 * p95 = type-7 percentile). Writes bench/out/solver.json; always exits 0 (a missing solver is
 * reported, not fatal).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { writeBenchJson } from './common';
import {
  checkAcceptance,
  comparePolars,
  interpolateLinear,
  isUsablePoint,
  polarAtAlpha,
  polarAtCl,
  summarizeErrors,
  type ErrorSummary,
  type PointErrors,
  type PolarComparison,
  type PolarPoint,
} from '../src/flow/compare';
import { parseAlphaSpec } from '../src/flow/spec';
import type { FlowConditions, PointResult, SolverOptions } from '../src/flow/types';
import type { Airfoil } from '../src/geometry/types';
import { loadAirfoil } from '../src/geometry/lookup';
import {
  airfoilArgument,
  hasXfoil,
  loadBlDump,
  loadFixture,
  loadIndex,
  REFERENCE_FIXTURE_DIR,
  REPO_ROOT,
  runXfoil,
  type XfoilFixture,
  type XfoilPoint,
} from '../test/fixtures/xfoil/fixtures';

/** The documented signature of analyze (src/flow/analyze.ts). */
type AnalyzeFn = (
  airfoil: Airfoil,
  conditions: FlowConditions & { alphaDeg?: number | number[]; cl?: number | number[] },
  options?: SolverOptions,
) => PointResult[];

// ------------------------------------------------------------------------------------------------
// options

interface BenchOptions {
  quick: boolean;
  xfoil: boolean;
  caseFilter?: string;
  maxIterations?: number;
  robustness: number;
  seed: number;
  /** time src/ under tsx even when an up-to-date build exists */
  source: boolean;
}

function parseOptions(argv: string[]): BenchOptions {
  const o: BenchOptions = { quick: false, xfoil: true, robustness: 0, seed: 1, source: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--quick') o.quick = true;
    else if (a === '--no-xfoil') o.xfoil = false;
    else if (a === '--case') o.caseFilter = argv[++i];
    else if (a === '--iter') o.maxIterations = Number(argv[++i]);
    else if (a === '--seed') o.seed = Number(argv[++i]);
    else if (a === '--source') o.source = true;
    else if (a === '--robustness') {
      const next = argv[i + 1];
      o.robustness = next !== undefined && /^\d+$/.test(next) ? Number(argv[++i]) : 500;
    } else {
      console.error(`bench:solver: unknown option ${a}`);
      process.exit(2);
    }
  }
  return o;
}

/** Matrix cases of --quick. */
const QUICK_CASES = ['naca2412_re1e6', 'naca0012_re1e6', 'e387_re1e5', 'naca0012_re1e6_xtr0.05'];

// ------------------------------------------------------------------------------------------------
// solver loading and running

/** Which code the bench times. */
interface SolverOrigin {
  /** "dist" (compiled JavaScript, as `foilopt analyze` runs it), "src" (tsx) or "override" */
  kind: 'dist' | 'src' | 'override';
  /** module file loaded */
  file: string;
  /** why the compiled code was not used (kind "src") */
  note?: string;
}

/** Newest modification time (ms) of the .ts files under dir. */
function newestSource(dir: string): number {
  let t = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const f = path.join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newestSource(f));
    else if (e.name.endsWith('.ts')) t = Math.max(t, fs.statSync(f).mtimeMs);
  }
  return t;
}

/**
 * Chooses the solver module: FOILOPT_BENCH_ANALYZE, else the compiled dist/flow when it exists and is
 * at least as new as every source file (the build just ran), else src/flow (tsx) with the reason.
 */
function solverOrigin(opts: BenchOptions): SolverOrigin {
  const override = process.env.FOILOPT_BENCH_ANALYZE;
  if (override) return { kind: 'override', file: path.resolve(override) };
  const srcFile = path.join(REPO_ROOT, 'src', 'flow', 'analyze.ts');
  if (opts.source) return { kind: 'src', file: srcFile, note: '--source given' };
  const distFile = path.join(REPO_ROOT, 'dist', 'flow', 'analyze.js');
  if (!fs.existsSync(distFile))
    return { kind: 'src', file: srcFile, note: 'dist/flow/analyze.js does not exist (run npm run build)' };
  const built = fs.statSync(distFile).mtimeMs;
  const newest = newestSource(path.join(REPO_ROOT, 'src'));
  if (built < newest)
    return {
      kind: 'src',
      file: srcFile,
      note: 'dist/ is older than the sources (run npm run build, or npm run bench:solver)',
    };
  return { kind: 'dist', file: distFile };
}

/** analyze() of the chosen module if it exists and loads, else the reason why not. */
function loadAnalyze(origin: SolverOrigin): AnalyzeFn | string {
  const file = origin.file;
  const rel = path.relative(REPO_ROOT, file);
  if (!fs.existsSync(file)) return `${rel} does not exist yet (the viscous solver is not written)`;
  try {
    const m = require(file) as { analyze?: AnalyzeFn };
    if (typeof m.analyze !== 'function') return `${rel} does not export analyze() yet`;
    return m.analyze;
  } catch (e) {
    return `loading ${rel} failed: ${(e as Error).message.split('\n')[0]}`;
  }
}

interface OurRun {
  points: PointResult[];
  seconds: number;
  converged: number;
  /** message of an exception thrown by analyze (then points is empty) */
  error?: string;
}

function conditionsOf(f: XfoilFixture): FlowConditions {
  return { re: f.re, mach: f.mach, nCrit: f.nCrit, xtrTop: f.xtrTop, xtrBot: f.xtrBot };
}

/** Runs our solver over the fixture's sweep (timed: analyze only). */
function runOurs(
  analyze: AnalyzeFn,
  f: XfoilFixture,
  opts: BenchOptions,
  alphas = parseAlphaSpec(f.alpha),
): OurRun {
  const airfoil = loadAirfoil(airfoilArgument(f));
  const options: SolverOptions = { panels: f.panels };
  if (opts.maxIterations !== undefined) options.maxIterations = opts.maxIterations;
  const t0 = performance.now();
  try {
    const points = analyze(airfoil, { ...conditionsOf(f), alphaDeg: alphas }, options);
    const seconds = (performance.now() - t0) / 1000;
    return { points, seconds, converged: points.filter(isUsablePoint).length };
  } catch (e) {
    const seconds = (performance.now() - t0) / 1000;
    return { points: [], seconds, converged: 0, error: (e as Error).message.split('\n')[0] };
  }
}

interface XfoilSide {
  source: 'live' | 'fixture';
  points: XfoilPoint[];
  requested: number;
  converged: number;
  seconds: number;
  /**
   * live runs only: wall time of a 1-point XFOIL run (alpha 0) of the same case = process start,
   * loading, paneling and one point from scratch
   */
  onePointSeconds?: number;
  /** live runs only: (seconds - onePointSeconds)/(requested - 1), XFOIL's marginal time per point */
  marginalMsPerPoint?: number;
  /** live run failed: why (the fixture was used instead) */
  note?: string;
}

function xfoilSide(f: XfoilFixture, live: boolean): XfoilSide {
  const fromFixture = (note?: string): XfoilSide => ({
    source: 'fixture',
    points: f.points,
    requested: f.summary.requested,
    converged: f.summary.converged,
    seconds: f.summary.seconds,
    note,
  });
  if (!live) return fromFixture();
  try {
    const r = runXfoil(f);
    const side: XfoilSide = {
      source: 'live',
      points: r.points,
      requested: r.requested,
      converged: r.converged,
      seconds: r.seconds,
    };
    try {
      const one = runXfoil({ ...f, command: f.command.replace(/--alpha\s+\S+/, '--alpha 0') });
      side.onePointSeconds = one.seconds;
      if (r.requested > 1) side.marginalMsPerPoint = msPer(r.seconds - one.seconds, r.requested - 1);
    } catch {
      // informational only
    }
    return side;
  } catch (e) {
    return fromFixture(`live XFOIL failed (${(e as Error).message.split('\n')[0]}); fixture used`);
  }
}

// ------------------------------------------------------------------------------------------------
// formatting

const fx = (v: number | null | undefined, d: number) =>
  v === null || v === undefined || !Number.isFinite(v) ? '-' : v.toFixed(d);
const pct = (v: number, d = 1) => (Number.isFinite(v) ? `${(100 * v).toFixed(d)}%` : '-');
const msPer = (seconds: number, n: number) => (n > 0 ? (1000 * seconds) / n : NaN);

function row(cells: Array<[string, number]>): string {
  return cells.map(([s, w]) => (w < 0 ? s.padEnd(-w) : s.padStart(w))).join(' ');
}

// ------------------------------------------------------------------------------------------------
// matrix

interface CaseReport {
  id: string;
  airfoil: string;
  re: number;
  mach: number;
  nCrit: number;
  xtrTop: number;
  xtrBot: number;
  alpha: string;
  xfoil: Omit<XfoilSide, 'points'> & { msPerPoint: number; points: XfoilPoint[] };
  ours: {
    converged: number;
    seconds: number;
    msPerPoint: number;
    error?: string;
    points: PolarPoint[];
  } | null;
  comparison: Omit<PolarComparison, 'errors'> | null;
  errors: PointErrors[];
  speedRatio: number;
}

function scalarPoints(points: PointResult[]): PolarPoint[] {
  return points.map((p) => ({
    alpha: p.alpha,
    cl: p.cl,
    cd: p.cd,
    cm: p.cm,
    xtrTop: p.xtrTop,
    xtrBot: p.xtrBot,
    converged: p.converged,
    ...({ cdp: p.cdp, cdf: p.cdf, iterations: p.iterations, residual: p.residual } as object),
  }));
}

function runCase(
  f: XfoilFixture,
  analyze: AnalyzeFn | null,
  opts: BenchOptions,
  keep?: Map<string, OurRun>,
): CaseReport {
  const xf = xfoilSide(f, opts.xfoil);
  const xfMs = msPer(xf.seconds, xf.converged);
  let ours: OurRun | null = null;
  if (analyze) {
    ours = runOurs(analyze, f, opts);
    keep?.set(f.id, ours);
  }
  const comparison = ours ? comparePolars(ours.points, xf.points) : null;
  const oursMs = ours ? msPer(ours.seconds, ours.converged) : NaN;
  let cmp: Omit<PolarComparison, 'errors'> | null = null;
  if (comparison) {
    const { errors: _errors, ...rest } = comparison;
    cmp = rest;
  }
  return {
    id: f.id,
    airfoil: f.airfoil,
    re: f.re,
    mach: f.mach,
    nCrit: f.nCrit,
    xtrTop: f.xtrTop,
    xtrBot: f.xtrBot,
    alpha: f.alpha,
    xfoil: { ...xf, msPerPoint: xfMs },
    ours: ours
      ? {
          converged: ours.converged,
          seconds: ours.seconds,
          msPerPoint: oursMs,
          error: ours.error,
          points: scalarPoints(ours.points),
        }
      : null,
    comparison: cmp,
    errors: comparison?.errors ?? [],
    speedRatio: oursMs / xfMs,
  };
}

const TABLE_HEADER = row([
  ['case', -26],
  ['XF', 3],
  ['ours', 4],
  ['both', 4],
  ['|dCl| med', 10],
  ['p95', 7],
  ['Cd rel med', 10],
  ['p95', 7],
  ['|dCm| med', 9],
  ['xtr med', 8],
  ['XF ms/pt', 9],
  ['XF marg', 8],
  ['ours ms/pt', 10],
  ['ratio', 6],
]);

function caseLine(r: CaseReport): string {
  const c = r.comparison;
  return row([
    [r.id, -26],
    [String(r.xfoil.converged), 3],
    [r.ours ? String(r.ours.converged) : '-', 4],
    [c ? String(c.n) : '-', 4],
    [fx(c?.cl.median, 4), 10],
    [fx(c?.cl.p95, 4), 7],
    [c ? pct(c.cdRel.median) : '-', 10],
    [c ? pct(c.cdRel.p95) : '-', 7],
    [fx(c?.cm.median, 4), 9],
    [fx(c?.xtr.median, 3), 8],
    [fx(r.xfoil.msPerPoint, 1), 9],
    [fx(r.xfoil.marginalMsPerPoint, 1), 8],
    [fx(r.ours?.msPerPoint, 1), 10],
    [fx(r.speedRatio, 2), 6],
  ]);
}

// ------------------------------------------------------------------------------------------------
// wind tunnel

interface ExperimentStat {
  quantity: string;
  /** experimental points with a value from the polar (inside its range) */
  n: number;
  /** median |computed - measured| (CD: relative) */
  median: number;
  max: number;
}

function statOf(quantity: string, diffs: number[]): ExperimentStat {
  const v = diffs.filter((d) => Number.isFinite(d)).sort((a, b) => a - b);
  const med =
    v.length === 0
      ? NaN
      : v.length % 2
        ? v[(v.length - 1) / 2]
        : 0.5 * (v[v.length / 2 - 1] + v[v.length / 2]);
  return { quantity, n: v.length, median: med, max: v.length ? v[v.length - 1] : NaN };
}

interface E387Data {
  drag_polar: Array<{ cl: number; cd: number }>;
  lift_curve: Array<{ alpha: number; cl: number }>;
  moment_curve: Array<{ alpha: number; cm: number }>;
  cp_alpha4: { blocks: Array<Array<{ x: number; cp: number }>> };
}
interface LadsonData {
  points: Array<{ alpha: number; cl: number; cd: number }>;
}

/** Splits a list of (x, cp) into runs at every upward jump of x (the measured surfaces). */
function splitRuns(pts: Array<{ x: number; cp: number }>): Array<Array<{ x: number; cp: number }>> {
  const runs: Array<Array<{ x: number; cp: number }>> = [];
  let cur: Array<{ x: number; cp: number }> = [];
  for (const p of pts) {
    if (cur.length && p.x > cur[cur.length - 1].x) {
      runs.push(cur);
      cur = [];
    }
    cur.push(p);
  }
  if (cur.length) runs.push(cur);
  return runs;
}

/** RMS of (computed - measured) Cp at the measured x; upper/lower chosen by the run's mean Cp. */
function cpRms(
  measured: Array<{ x: number; cp: number }>,
  upper: { x: ArrayLike<number>; cp: ArrayLike<number> },
  lower: { x: ArrayLike<number>; cp: ArrayLike<number> },
): { n: number; rms: number } {
  const runs = splitRuns(measured);
  const mean = (r: Array<{ cp: number }>) => r.reduce((s, p) => s + p.cp, 0) / r.length;
  const sortedRuns = [...runs].sort((a, b) => mean(a) - mean(b)); // most negative = upper surface
  let n = 0;
  let sum = 0;
  sortedRuns.forEach((run, k) => {
    const surf = k === 0 ? upper : lower;
    for (const p of run) {
      const c = interpolateLinear(surf.x, surf.cp, p.x);
      if (Number.isFinite(c)) {
        n++;
        sum += (c - p.cp) ** 2;
      }
    }
  });
  return { n, rms: n ? Math.sqrt(sum / n) : NaN };
}

interface WindTunnelReport {
  case: string;
  experiment: string;
  xfoilSource: string;
  ours: ExperimentStat[] | null;
  xfoil: ExperimentStat[];
  oursError?: string;
}

function experimentStats(
  points: PolarPoint[],
  ref: 'e387' | 'naca0012',
  data: E387Data | LadsonData,
): ExperimentStat[] {
  if (ref === 'e387') {
    const d = data as E387Data;
    return [
      statOf(
        'CL(alpha) |dCL|',
        d.lift_curve.map((m) => Math.abs(polarAtAlpha(points, 'cl', m.alpha) - m.cl)),
      ),
      statOf(
        'CM(alpha) |dCM|',
        d.moment_curve.map((m) => Math.abs(polarAtAlpha(points, 'cm', m.alpha) - m.cm)),
      ),
      statOf(
        'CD(CL) rel. error',
        d.drag_polar.map((m) => Math.abs(polarAtCl(points, 'cd', m.cl) - m.cd) / m.cd),
      ),
    ];
  }
  const d = data as LadsonData;
  return [
    statOf(
      'CL(alpha) |dCL|',
      d.points.map((m) => Math.abs(polarAtAlpha(points, 'cl', m.alpha) - m.cl)),
    ),
    statOf(
      'CD(alpha) rel. error',
      d.points.map((m) => Math.abs(polarAtAlpha(points, 'cd', m.alpha) - m.cd) / m.cd),
    ),
  ];
}

function windTunnel(
  analyze: AnalyzeFn | null,
  opts: BenchOptions,
  say: (line: string) => void,
): WindTunnelReport[] {
  const reports: WindTunnelReport[] = [];
  const cases: Array<{ id: string; ref: 'e387' | 'naca0012'; file: string }> = [
    { id: 'ref_e387_re1e5', ref: 'e387', file: 'e387_ltpt_re1e5.json' },
    { id: 'ref_naca0012_re6e6_m0.15', ref: 'naca0012', file: 'naca0012_ladson_re6e6.json' },
  ];
  for (const c of cases) {
    if (opts.caseFilter && !c.id.includes(opts.caseFilter)) continue;
    const f = loadFixture(c.id);
    const data = JSON.parse(fs.readFileSync(path.join(REFERENCE_FIXTURE_DIR, c.file), 'utf8')) as
      E387Data | LadsonData;
    const xf = xfoilSide(f, opts.xfoil);
    const ours = analyze ? runOurs(analyze, f, opts) : null;
    const rep: WindTunnelReport = {
      case: c.id,
      experiment: c.file,
      xfoilSource: xf.source,
      xfoil: experimentStats(xf.points, c.ref, data),
      ours: ours && !ours.error ? experimentStats(ours.points, c.ref, data) : null,
      oursError: ours?.error,
    };
    // Cp at alpha 4 (E387): XFOIL's CPWR dump (from the -4:12:1 sweep) and our alpha-4 point
    if (c.ref === 'e387') {
      const meas = (data as E387Data).cp_alpha4.blocks.flat();
      const dump = loadBlDump('e387_re1e5', 4);
      if (dump) {
        let iLe = 0;
        for (let i = 1; i < dump.cp.x.length; i++) if (dump.cp.x[i] < dump.cp.x[iLe]) iLe = i;
        const up = {
          x: Array.from(dump.cp.x.slice(0, iLe + 1)).reverse(),
          cp: Array.from(dump.cp.cp.slice(0, iLe + 1)).reverse(),
        };
        const lo = { x: dump.cp.x.slice(iLe), cp: dump.cp.cp.slice(iLe) };
        const r = cpRms(meas, up, lo);
        rep.xfoil.push({ quantity: 'Cp(x) at alpha 4, rms', n: r.n, median: r.rms, max: NaN });
      }
      const p4 = ours?.points.find((p) => Math.abs(p.alpha - 4) < 1e-9);
      if (p4?.boundaryLayer && rep.ours) {
        const r = cpRms(meas, p4.boundaryLayer.top, p4.boundaryLayer.bottom);
        rep.ours.push({ quantity: 'Cp(x) at alpha 4, rms', n: r.n, median: r.rms, max: NaN });
      }
    }
    reports.push(rep);
    say(`\n${c.id} vs ${c.file} (XFOIL: ${xf.source}${xf.note ? `, ${xf.note}` : ''})`);
    say(
      row([
        ['quantity', -24],
        ['n ours/XF', 9],
        ['ours med', 10],
        ['ours max', 10],
        ['XFOIL med', 10],
        ['XFOIL max', 10],
      ]),
    );
    rep.xfoil.forEach((x, k) => {
      const o = rep.ours?.[k];
      const rel = x.quantity.includes('rel.');
      const v = (s: number) => (rel ? pct(s) : fx(s, 4));
      say(
        row([
          [x.quantity, -24],
          [`${o ? o.n : '-'}/${x.n}`, 9],
          [o ? v(o.median) : '-', 10],
          [o ? v(o.max) : '-', 10],
          [v(x.median), 10],
          [v(x.max), 10],
        ]),
      );
    });
    if (ours?.error) say(`  ours: analyze threw: ${ours.error}`);
  }
  return reports;
}

// ------------------------------------------------------------------------------------------------
// boundary-layer dumps (debugging aid): TE values and edge-speed rms against XFOIL's DUMP

interface BlCheck {
  dump: string;
  rows: Array<{ quantity: string; xfoil: number; ours: number }>;
}

function blChecks(ourRuns: Map<string, OurRun>, say: (line: string) => void): BlCheck[] {
  const wanted: Array<[string, number]> = [
    ['naca2412_re1e6', 0],
    ['naca2412_re1e6', 4],
    ['e387_re1e5', 4],
    ['s1223_re3e6', 8],
  ];
  const checks: BlCheck[] = [];
  for (const [id, alpha] of wanted) {
    const run = ourRuns.get(id);
    const dump = loadBlDump(id, alpha);
    const p = run?.points.find((q) => Math.abs(q.alpha - alpha) < 1e-9);
    if (!dump || !p?.boundaryLayer) continue;
    const b = dump.bl;
    // XFOIL's dump: panel order; the stagnation point is where Ue changes sign
    let iStag = 0;
    while (iStag + 1 < b.ue.length && b.ue[iStag + 1] > 0) iStag++;
    const nAir = b.x.length;
    const top = p.boundaryLayer.top;
    const bot = p.boundaryLayer.bottom;
    const last = (a: ArrayLike<number>) => a[a.length - 1];
    // XFOIL's xi (arc length from its stagnation point, where Ue crosses 0) on each side; x is not
    // usable near the leading edge (double-valued), xi is monotonic on both sides
    const sStag =
      b.s[iStag] + (b.ue[iStag] / (b.ue[iStag] - b.ue[iStag + 1])) * (b.s[iStag + 1] - b.s[iStag]);
    const xfTopXi: number[] = [];
    const xfTopUe: number[] = [];
    for (let i = iStag; i >= 0; i--) {
      xfTopXi.push(sStag - b.s[i]);
      xfTopUe.push(b.ue[i]);
    }
    const xfBotXi: number[] = [];
    const xfBotUe: number[] = [];
    for (let i = iStag + 1; i < nAir; i++) {
      xfBotXi.push(b.s[i] - sStag);
      xfBotUe.push(-b.ue[i]);
    }
    // rms over XFOIL's stations of (our ue at XFOIL's xi) - XFOIL's ue
    const ueRms = (xfXi: number[], xfUe: number[], ourXi: Float64Array, ourUe: Float64Array) => {
      let n = 0;
      let sum = 0;
      for (let i = 0; i < xfXi.length; i++) {
        const u = interpolateLinear(ourXi, ourUe, xfXi[i]);
        if (Number.isFinite(u)) {
          n++;
          sum += (u - xfUe[i]) ** 2;
        }
      }
      return n ? Math.sqrt(sum / n) : NaN;
    };
    const rows = [
      { quantity: 'theta TE top', xfoil: b.theta[0], ours: last(top.theta) },
      { quantity: 'theta TE bottom', xfoil: b.theta[nAir - 1], ours: last(bot.theta) },
      { quantity: 'H TE top', xfoil: b.h[0], ours: last(top.h) },
      { quantity: 'H TE bottom', xfoil: b.h[nAir - 1], ours: last(bot.h) },
      { quantity: 'theta wake end', xfoil: last(b.wake.theta), ours: last(p.boundaryLayer.wake.theta) },
      { quantity: 'rms Ue diff top (xi)', xfoil: 0, ours: ueRms(xfTopXi, xfTopUe, top.xi, top.ue) },
      { quantity: 'rms Ue diff bottom (xi)', xfoil: 0, ours: ueRms(xfBotXi, xfBotUe, bot.xi, bot.ue) },
    ];
    checks.push({ dump: `${id}_a${alpha}`, rows });
    say(`\n${id} alpha ${alpha}: ours vs XFOIL DUMP`);
    for (const r of rows)
      say(
        `  ${r.quantity.padEnd(24)} XFOIL ${fx(r.xfoil, 6).padStart(10)}   ours ${fx(r.ours, 6).padStart(10)}`,
      );
  }
  return checks;
}

// ------------------------------------------------------------------------------------------------
// robustness: random CST shapes x random operating points

/** Deterministic PRNG (mulberry32) so that a robustness failure can be reproduced by seed and index. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface RobustnessReport {
  cases: number;
  seed: number;
  exceptions: number;
  userErrors: number;
  unflaggedNaN: number;
  nonConverged: number;
  converged: number;
  maxSeconds: number;
  medianSeconds: number;
  worst: Array<{ index: number; alpha: number; re: number; nCrit: number; seconds: number; outcome: string }>;
  failures: Array<{
    index: number;
    alpha: number;
    re: number;
    nCrit: number;
    params: number[];
    outcome: string;
  }>;
}

/**
 * True when every number of a point result is finite: the scalars and every boundary-layer
 * distribution (what a converged point must satisfy).
 */
function allFinite(p: PointResult): boolean {
  const scalars = [p.alpha, p.cl, p.cd, p.cdp, p.cdf, p.cm, p.xtrTop, p.xtrBot, p.residual];
  if (!scalars.every(Number.isFinite)) return false;
  const bl = p.boundaryLayer;
  if (!bl) return true;
  for (const side of [bl.top, bl.bottom, bl.wake]) {
    for (const a of [
      side.x,
      side.y,
      side.xi,
      side.cp,
      side.ue,
      side.deltaStar,
      side.theta,
      side.h,
      side.cf,
    ]) {
      for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) return false;
    }
    for (let i = 0; i < side.nAmpOrSqrtCtau.length; i++)
      if (!Number.isFinite(side.nAmpOrSqrtCtau[i])) return false;
  }
  return true;
}

function robustness(
  analyze: AnalyzeFn,
  opts: BenchOptions,
  say: (line: string) => void,
): RobustnessReport | string {
  let cstModule: {
    cst: (o?: { weightsPerSide?: number }) => { nVars: number; coordinates(p: Float64Array): Airfoil };
  };
  let intersect: { findSelfIntersection(x: ArrayLike<number>, y: ArrayLike<number>): unknown };
  try {
    cstModule = require('../src/geometry/param/cst');
    intersect = require('../src/geometry/intersect');
  } catch (e) {
    return `CST parametrization not available (${(e as Error).message.split('\n')[0]})`;
  }
  const nW = 8;
  const param = cstModule.cst({ weightsPerSide: nW });
  const rnd = mulberry32(opts.seed);
  const uni = (a: number, b: number) => a + (b - a) * rnd();
  const rep: RobustnessReport = {
    cases: opts.robustness,
    seed: opts.seed,
    exceptions: 0,
    userErrors: 0,
    unflaggedNaN: 0,
    nonConverged: 0,
    converged: 0,
    maxSeconds: 0,
    medianSeconds: NaN,
    worst: [],
    failures: [],
  };
  const times: number[] = [];
  const all: RobustnessReport['worst'] = [];
  for (let k = 0; k < opts.robustness; k++) {
    // shape: thickness weights t_i (t/c about 0.385 * t: 5 % .. 18 %), camber weights c_i, LE
    // weight and TE gap; upper = c + t/2, lower = c - t/2 keeps the surfaces apart for 0 < x < 1
    let airfoil: Airfoil | undefined;
    let params = new Float64Array(param.nVars);
    for (let attempt = 0; attempt < 20 && !airfoil; attempt++) {
      const tBase = uni(0.13, 0.47);
      const cBase = uni(-0.03, 0.14);
      params = new Float64Array(param.nVars);
      for (let i = 0; i < nW; i++) {
        const t = tBase * uni(0.75, 1.25);
        const c = cBase * uni(0.5, 1.5) + uni(-0.02, 0.02);
        params[i] = c + t / 2;
        params[nW + i] = c - t / 2;
      }
      params[2 * nW] = uni(-0.05, 0.15);
      params[2 * nW + 1] = uni(0, 0.005);
      const a = param.coordinates(params);
      if (!intersect.findSelfIntersection(a.x, a.y)) airfoil = { ...a, name: `random CST #${k}` };
    }
    const alpha = uni(-4, 12);
    const re = 10 ** uni(5, Math.log10(6e6));
    const nCrit = uni(4, 12);
    if (!airfoil) {
      rep.failures.push({
        index: k,
        alpha,
        re,
        nCrit,
        params: Array.from(params),
        outcome: 'no valid shape drawn',
      });
      continue;
    }
    const t0 = performance.now();
    let outcome = 'converged';
    try {
      const r = analyze(airfoil, { re, nCrit, alphaDeg: alpha });
      const p = r[0];
      if (!p) outcome = 'no result returned';
      else if (!p.converged) outcome = 'not converged';
      else if (!allFinite(p)) outcome = 'unflagged NaN';
    } catch (e) {
      const name = (e as Error).name;
      outcome = `${name === 'FoiloptError' ? 'user error' : 'exception'}: ${(e as Error).message.split('\n')[0]}`;
    }
    const s = (performance.now() - t0) / 1000;
    times.push(s);
    if (outcome === 'converged') rep.converged++;
    else if (outcome === 'not converged') rep.nonConverged++;
    else if (outcome === 'unflagged NaN' || outcome === 'no result returned') rep.unflaggedNaN++;
    else if (outcome.startsWith('user error')) rep.userErrors++;
    else rep.exceptions++;
    if (outcome !== 'converged' && outcome !== 'not converged') {
      rep.failures.push({ index: k, alpha, re, nCrit, params: Array.from(params), outcome });
    }
    all.push({ index: k, alpha, re, nCrit, seconds: s, outcome });
    if ((k + 1) % 50 === 0) say(`  robustness: ${k + 1}/${opts.robustness} done`);
  }
  times.sort((a, b) => a - b);
  rep.maxSeconds = times.length ? times[times.length - 1] : NaN;
  rep.medianSeconds = times.length ? times[Math.floor((times.length - 1) / 2)] : NaN;
  rep.worst = all.sort((a, b) => b.seconds - a.seconds).slice(0, 5);
  return rep;
}

/**
 * The issue's acceptance list: compare.ts's median and speed criteria, plus the 95th percentiles
 * (|dCl| <= 0.03, Cd relative error <= 10 %) and "we converge at least as many points as XFOIL"
 * (value = XFOIL's count minus ours, limit 0).
 */
function allCriteria(
  pooled: ErrorSummary,
  speedRatio: number,
  ourConverged: number,
  xfoilConverged: number,
): ReturnType<typeof checkAcceptance> {
  const list = checkAcceptance(pooled, speedRatio);
  const extra = [
    { name: 'p95 |dCl|', value: pooled.cl.p95, limit: 0.03 },
    { name: 'p95 Cd rel. error', value: pooled.cdRel.p95, limit: 0.1 },
    { name: 'XFOIL converged - ours', value: xfoilConverged - ourConverged, limit: 0 },
  ];
  for (const e of extra) list.push({ ...e, pass: e.value <= e.limit });
  return list;
}

// ------------------------------------------------------------------------------------------------
// main

function main(): void {
  const opts = parseOptions(process.argv.slice(2));
  const say = (line: string) => console.log(line);
  const index = loadIndex();
  const origin = solverOrigin(opts);
  const loaded = loadAnalyze(origin);
  const analyze = typeof loaded === 'function' ? loaded : null;
  const liveXfoil = opts.xfoil && hasXfoil();
  const originText =
    origin.kind === 'dist'
      ? 'compiled JavaScript dist/flow (as foilopt analyze runs it)'
      : origin.kind === 'src'
        ? `TypeScript sources src/flow via tsx (NOT the compiled build: ${origin.note})`
        : `${path.relative(REPO_ROOT, origin.file)} (FOILOPT_BENCH_ANALYZE)`;
  say(`bench:solver — ours vs ${index.xfoilVersion}`);
  say(`date ${new Date().toISOString()}; Node ${process.version}; ${os.cpus().length} CPU(s)`);
  const compiled = origin.kind === 'dist' || (origin.kind === 'override' && origin.file.endsWith('.js'));
  say(`ours: ${originText}; compiled code used: ${compiled ? 'yes' : 'no'}`);
  if (!analyze) say(`OUR SOLVER IS NOT AVAILABLE: ${loaded as string}. Showing XFOIL's side only.`);
  if (opts.xfoil && !liveXfoil)
    say('xfoil-polar not found (set FOILOPT_SHARED or XFOIL_POLAR): using the committed fixtures.');
  say(
    `XFOIL: ${liveXfoil ? 'run live now, in this run' : 'committed fixtures (--no-xfoil)'}; times are wall clock per converged point` +
      ` (XFOIL: its whole process incl. start, loading, paneling; ours: the analyze() call incl. repaneling).`,
  );
  if (liveXfoil)
    say(
      "'XF marg' = XFOIL's marginal time per point, (T_sweep - T_1point)/(N - 1): without process start/load/paneling; informational, not the acceptance ratio.",
    );

  let ids = index.cases.filter((c) => c.tags.includes('matrix')).map((c) => c.id);
  if (opts.quick) ids = ids.filter((id) => QUICK_CASES.includes(id));
  if (opts.caseFilter) ids = ids.filter((id) => id.includes(opts.caseFilter!));

  if (analyze) {
    // JIT warm-up (untimed): two full sweeps, so that the timed cases run optimized code
    const sweep = parseAlphaSpec('-4:12:1');
    try {
      analyze(loadAirfoil('naca2412'), { re: 1e6, alphaDeg: sweep }, { panels: 160 });
      analyze(loadAirfoil('e387'), { re: 2e5, alphaDeg: sweep }, { panels: 160 });
    } catch {
      // reported by the timed runs
    }
  }

  say('\n== XFOIL validation matrix (statistics over points converged by both)');
  say(TABLE_HEADER);
  const reports: CaseReport[] = [];
  const ourRuns = new Map<string, OurRun>();
  for (const id of ids) {
    const r = runCase(loadFixture(id), analyze, { ...opts, xfoil: liveXfoil }, ourRuns);
    reports.push(r);
    say(caseLine(r));
    if (r.ours?.error) say(`    ours: analyze threw: ${r.ours.error}`);
    if (r.xfoil.note) say(`    ${r.xfoil.note}`);
    if (r.comparison && (r.comparison.onlyRef.length || r.comparison.onlyOurs.length)) {
      say(
        `    converged by XFOIL only: [${r.comparison.onlyRef.join(', ')}]  by ours only: [${r.comparison.onlyOurs.join(', ')}]`,
      );
    }
    if (r.comparison?.nUnflaggedNaN)
      say(`    ${r.comparison.nUnflaggedNaN} point(s) flagged converged with NaN/Infinity`);
  }

  // overall
  const xfSec = reports.reduce((s, r) => s + r.xfoil.seconds, 0);
  const xfConv = reports.reduce((s, r) => s + r.xfoil.converged, 0);
  const xfRequested = reports.reduce((s, r) => s + r.xfoil.requested, 0);
  const ourSec = reports.reduce((s, r) => s + (r.ours?.seconds ?? 0), 0);
  const ourConv = reports.reduce((s, r) => s + (r.ours?.converged ?? 0), 0);
  const overallSpeed = msPer(ourSec, ourConv) / msPer(xfSec, xfConv);
  let pooled: ErrorSummary | null = null;
  say('\n== Overall (all matrix cases pooled point by point)');
  say(
    `requested points: ${xfRequested}; converged by XFOIL: ${xfConv}; by ours: ${analyze ? ourConv : '-'}; by both: ${analyze ? reports.reduce((s, r) => s + (r.comparison?.n ?? 0), 0) : '-'}`,
  );
  say(
    `XFOIL: ${xfSec.toFixed(2)} s, ${fx(msPer(xfSec, xfConv), 1)} ms per converged point (wall, process start included)`,
  );
  const withMarginal = reports.filter((r) => r.xfoil.onePointSeconds !== undefined && r.xfoil.requested > 1);
  let xfMarginal = NaN;
  if (withMarginal.length > 0) {
    const dt = withMarginal.reduce((s, r) => s + r.xfoil.seconds - r.xfoil.onePointSeconds!, 0);
    const dn = withMarginal.reduce((s, r) => s + r.xfoil.requested - 1, 0);
    const one = withMarginal.reduce((s, r) => s + r.xfoil.onePointSeconds!, 0) / withMarginal.length;
    xfMarginal = msPer(dt, dn);
    say(
      `XFOIL marginal: ${fx(xfMarginal, 1)} ms per additional point (mean 1-point run ${fx(1000 * one, 1)} ms = start + load + paneling + 1 point)`,
    );
  }
  if (analyze) {
    say(
      `ours:  ${ourSec.toFixed(2)} s, ${fx(msPer(ourSec, ourConv), 1)} ms per converged point (ratio ${fx(overallSpeed, 2)} = acceptance ratio, wall per converged point)`,
    );
    if (Number.isFinite(xfMarginal))
      say(
        `       ours per converged point / XFOIL marginal per point = ${fx(msPer(ourSec, ourConv) / xfMarginal, 2)} (informational)`,
      );
    say(
      `exceptions: ${reports.filter((r) => r.ours?.error).length} case(s); unflagged NaN points: ${reports.reduce((s, r) => s + (r.comparison?.nUnflaggedNaN ?? 0), 0)}`,
    );
    pooled = summarizeErrors(reports.flatMap((r) => r.errors));
    say(
      `|dCl|        median ${fx(pooled.cl.median, 4)}  p95 ${fx(pooled.cl.p95, 4)}  max ${fx(pooled.cl.max, 4)}`,
    );
    say(
      `Cd rel. err  median ${pct(pooled.cdRel.median, 2)}  p95 ${pct(pooled.cdRel.p95, 2)}  max ${pct(pooled.cdRel.max, 2)}`,
    );
    say(
      `|dCm|        median ${fx(pooled.cm.median, 4)}  p95 ${fx(pooled.cm.p95, 4)}  max ${fx(pooled.cm.max, 4)}`,
    );
    say(
      `xtr |dx/c|   median ${fx(pooled.xtr.median, 4)}  p95 ${fx(pooled.xtr.p95, 4)}  max ${fx(pooled.xtr.max, 4)}`,
    );
    say('acceptance:');
    for (const c of allCriteria(pooled, overallSpeed, ourConv, xfConv)) {
      say(
        `  ${c.pass ? 'PASS' : 'FAIL'}  ${c.name.padEnd(26)} ${fx(c.value, 4).padStart(8)}  (limit ${c.limit})`,
      );
    }
  }

  say('\n== Wind tunnel: ours vs XFOIL vs experiment (median / max of |computed - measured|)');
  const wt = windTunnel(analyze, { ...opts, xfoil: liveXfoil }, say);

  let bl: BlCheck[] = [];
  if (analyze) {
    say('\n== Boundary layer vs XFOIL DUMP (debugging aid)');
    bl = blChecks(ourRuns, say);
    if (bl.length === 0) say('  (no dump case in this run, or no boundaryLayer in the results)');
  }

  let rob: RobustnessReport | string | undefined;
  if (opts.robustness > 0) {
    say(
      `\n== Robustness: ${opts.robustness} random CST shapes x random (alpha, Re, Ncrit), seed ${opts.seed}`,
    );
    if (!analyze) rob = 'skipped: solver not available';
    else rob = robustness(analyze, opts, say);
    if (typeof rob === 'string') say(`  ${rob}`);
    else {
      say(
        `  converged ${rob.converged}, not converged (flagged) ${rob.nonConverged}, exceptions ${rob.exceptions}, user errors ${rob.userErrors}, unflagged NaN ${rob.unflaggedNaN}`,
      );
      say(
        `  time per case: median ${fx(1000 * rob.medianSeconds, 1)} ms, max ${fx(1000 * rob.maxSeconds, 1)} ms`,
      );
      for (const f of rob.failures.slice(0, 10))
        say(
          `  #${f.index} alpha ${f.alpha.toFixed(2)} Re ${f.re.toExponential(2)} Ncrit ${f.nCrit.toFixed(1)}: ${f.outcome}`,
        );
    }
  }

  const file = writeBenchJson('solver', {
    date: new Date().toISOString(),
    node: process.version,
    cpus: os.cpus().length,
    solverCode: { kind: origin.kind, file: path.relative(REPO_ROOT, origin.file), note: origin.note },
    compiledCodeUsed: compiled,
    xfoilVersion: index.xfoilVersion,
    options: opts,
    solverAvailable: Boolean(analyze),
    solverNote: analyze ? undefined : loaded,
    xfoilSource: liveXfoil ? 'live' : 'fixture',
    cases: reports,
    overall: {
      requested: xfRequested,
      xfoilConverged: xfConv,
      oursConverged: analyze ? ourConv : null,
      xfoilSeconds: xfSec,
      oursSeconds: analyze ? ourSec : null,
      xfoilMsPerPoint: msPer(xfSec, xfConv),
      oursMsPerPoint: analyze ? msPer(ourSec, ourConv) : null,
      speedRatio: analyze ? overallSpeed : null,
      xfoilMarginalMsPerPoint: Number.isFinite(xfMarginal) ? xfMarginal : null,
      errors: pooled,
      acceptance: pooled ? allCriteria(pooled, overallSpeed, ourConv, xfConv) : null,
    },
    windTunnel: wt,
    boundaryLayer: bl,
    robustness: rob ?? null,
  });
  console.log(`\nwrote ${path.relative(process.cwd(), file)}`);
}

main();
