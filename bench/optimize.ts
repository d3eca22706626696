/**
 * bench:optimize — the acceptance figures of `foilopt optimize` (issue 9), each measured by running
 * the CLI (dist/, as a user does) on the shipped examples:
 *
 *   demo        `npm run demo` wall time in a clean clone (git clone + npm ci first, timed apart;
 *               --no-clone times it in this checkout)
 *   max-ld      examples/max-ld-naca2412.json: solver-verified L/D vs the baseline NACA 2412's max L/D
 *               (its own polar), constraints re-checked on optimized.dat, operator gap, XFOIL's L/D
 *               of optimized.dat (../shared/tools/xfoil-polar) vs ours
 *   solver-only the same problem with strategy single, model solver, gradient adjoint: L/D vs the
 *               multifidelity result, wall times of both and of the search (operator) phase
 *   daedalus    examples/daedalus-multipoint.json: weighted Cd vs DAE-11's (airfoils/dae11, same
 *               solver, same fixed-CL points), constraints
 *   inverse     examples/inverse-cp.json: max distance of the recovered shape from NACA 4412
 *   resume      the demo killed with SIGKILL mid-run, then --resume: optimized.dat and the final
 *               objective identical to an uninterrupted run
 *   errors      a wrong field, an unknown airfoil, a broken user module: exit code and message
 *
 * Usage: npm run bench:optimize [-- --only max-ld,daedalus] [--no-clone]
 * Writes bench/out/optimize/summary.json; prints every figure.
 */
import { execFileSync, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { analyze } from '../src/flow/analyze';
import { readAirfoilFile } from '../src/geometry/io';
import { loadAirfoil } from '../src/geometry/lookup';
import { measureAirfoil, thicknessCamber } from '../src/geometry/measure';
import { polylineDeviation } from '../src/geometry/param/fit';
import type { OptimizeResult } from '../src/optimize/outputs';

const ROOT = path.resolve(__dirname, '..');
const OUT = path.join(ROOT, 'bench', 'out', 'optimize');
const CLI = path.join(ROOT, 'bin', 'foilopt.js');
const SHARED = process.env.FOILOPT_SHARED ?? path.resolve(ROOT, '..', 'shared');
const XFOIL_POLAR = path.join(SHARED, 'tools', 'xfoil-polar');

const args = process.argv.slice(2);
const only = (() => {
  const k = args.indexOf('--only');
  return k >= 0 ? new Set(args[k + 1].split(',')) : null;
})();
const want = (name: string) => !only || only.has(name);
const summary: Record<string, unknown> = { date: new Date().toISOString(), cpus: os.cpus().length };

function log(s: string): void {
  process.stdout.write(s + '\n');
}

/** Runs the CLI; returns exit code, stdout, stderr and seconds. */
function cli(argv: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [CLI, ...argv], {
    cwd: opts.cwd ?? ROOT,
    env: opts.env ?? process.env,
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr, seconds: (Date.now() - t0) / 1000 };
}

/** Runs an example config into bench/out/optimize/<name>; returns result.json and the wall time. */
function runExample(name: string, config: string): { r: OptimizeResult; seconds: number; dir: string } {
  const dir = path.join(OUT, name);
  fs.rmSync(dir, { recursive: true, force: true });
  log(`\n== ${name}: foilopt optimize ${path.relative(ROOT, config)}`);
  const res = cli(['optimize', config, '--out', dir]);
  if (res.code !== 0)
    throw new Error(`${name}: exit ${res.code}: ${res.err.split('\n').slice(-3).join(' ')}`);
  log(res.out.trimEnd());
  const r = JSON.parse(fs.readFileSync(path.join(dir, 'result.json'), 'utf8')) as OptimizeResult;
  return { r, seconds: res.seconds, dir };
}

/** A config file derived from an example. */
function derivedConfig(example: string, name: string, patch: Record<string, unknown>): string {
  const c = JSON.parse(fs.readFileSync(path.join(ROOT, 'examples', example), 'utf8'));
  const file = path.join(OUT, `${name}.json`);
  fs.writeFileSync(file, JSON.stringify({ ...c, ...patch }, null, 2));
  return file;
}

/** XFOIL on a .dat at one alpha (null when XFOIL does not converge or is unavailable). */
function xfoil(dat: string, re: number, alphaDeg: number): { cl: number; cd: number; cm: number } | null {
  if (!fs.existsSync(XFOIL_POLAR)) return null;
  const r = spawnSync(XFOIL_POLAR, [dat, '--re', String(re), '--alpha', alphaDeg.toFixed(4)], {
    encoding: 'utf8',
  });
  const row = r.stdout
    .split('\n')
    .filter((l) => l.startsWith('{') && !l.includes('summary'))
    .map((l) => JSON.parse(l))[0];
  return row ? { cl: row.cl, cd: row.cd, cm: row.cm } : null;
}

/** Max L/D of a shape over alpha (polar 0..12 step 0.25, parabolic refinement of the best). */
function maxLd(dat: ReturnType<typeof loadAirfoil>, re: number): { ld: number; alpha: number } {
  const alphas = Array.from({ length: 49 }, (_, k) => k * 0.25);
  const pol = analyze(dat, { re, alphaDeg: alphas });
  let best = { ld: -Infinity, alpha: NaN };
  pol.forEach((p, k) => {
    if (p.converged && p.cl / p.cd > best.ld) best = { ld: p.cl / p.cd, alpha: alphas[k] };
  });
  // refine on a fine grid around the best
  const fine = Array.from({ length: 21 }, (_, k) => best.alpha - 0.25 + k * 0.025);
  analyze(dat, { re, alphaDeg: fine }).forEach((p, k) => {
    if (p.converged && p.cl / p.cd > best.ld) best = { ld: p.cl / p.cd, alpha: fine[k] };
  });
  return best;
}

const pct = (v: number) => `${(100 * v).toFixed(2)} %`;

async function main(): Promise<void> {
  fs.mkdirSync(OUT, { recursive: true });

  // ---- max-ld and the solver-only comparison
  if (want('max-ld') || want('solver-only')) {
    const mf = runExample('max-ld', path.join(ROOT, 'examples', 'max-ld-naca2412.json'));
    const fin = mf.r.final!;
    const p = fin.solver[0];
    const base = maxLd(loadAirfoil('naca2412'), 1e6);
    const ratio = p.ld! / base.ld;
    // constraints re-checked on optimized.dat (8-decimal coordinates) by fresh measures and solves
    const dat = readAirfoilFile(path.join(mf.dir, 'optimized.dat'));
    const m = measureAirfoil(dat);
    const fresh = analyze(dat, { re: 1e6, alphaDeg: p.alphaDeg! })[0];
    const cons = {
      maxThicknessMargin: m.maxThickness - 0.12,
      cmMargin: fresh.cm - -0.1,
      selfIntersecting: m.selfIntersecting,
    };
    const ours = { ld: fresh.cl / fresh.cd, cl: fresh.cl, cd: fresh.cd };
    const xf = xfoil(path.join(mf.dir, 'optimized.dat'), 1e6, p.alphaDeg!);
    const gap = fin.gap?.[0]?.ldRelative ?? null;
    log(
      `max-ld: baseline NACA 2412 max L/D ${base.ld.toFixed(2)} at ${base.alpha.toFixed(2)} deg (solver polar)`,
    );
    log(
      `max-ld: optimized L/D ${p.ld!.toFixed(2)} at alpha ${p.alphaDeg!.toFixed(3)} (solver-verified) = ${ratio.toFixed(3)}x the baseline (needs >= 1.35)`,
    );
    log(
      `max-ld: optimized.dat re-checked: max t/c - 0.12 = ${cons.maxThicknessMargin.toExponential(2)}, Cm + 0.1 = ${cons.cmMargin.toExponential(2)} (>= -1e-4 each), self-intersecting ${cons.selfIntersecting}`,
    );
    log(
      `max-ld: operator L/D gap ${gap === null ? 'not measured (no operator in this build)' : pct(gap)} (needs within 3 %)`,
    );
    log(
      `max-ld: XFOIL L/D of optimized.dat ${xf ? `${(xf.cl / xf.cd).toFixed(2)} vs ours ${ours.ld.toFixed(2)}: ${pct((xf.cl / xf.cd - ours.ld) / ours.ld)}` : 'not available'} (needs within 2 %)`,
    );
    summary.maxLd = {
      seconds: mf.seconds,
      baselineMaxLd: base,
      final: p,
      ratio,
      constraintsRecheck: cons,
      operatorGap: gap,
      xfoil: xf ? { ...xf, ld: xf.cl / xf.cd, relative: (xf.cl / xf.cd - ours.ld) / ours.ld } : null,
      searchModel: mf.r.models.search,
      timings: mf.r.timings,
    };
    if (want('solver-only')) {
      const cfg = derivedConfig('max-ld-naca2412.json', 'max-ld-solver-only', {
        name: 'max L/D of NACA 2412, solver only',
        strategy: 'single',
        model: 'solver',
        gradient: 'adjoint',
        search: { starts: 1 },
        maxEvaluations: 160,
      });
      const so = runExample('max-ld-solver-only', cfg);
      const sp = so.r.final!.solver[0];
      const rel = (sp.ld! - p.ld!) / p.ld!;
      log(
        `solver-only: L/D ${sp.ld!.toFixed(2)} (feasible: ${so.r.status === 'optimized'}) vs multifidelity ${p.ld!.toFixed(2)}: ${pct(rel)} (needs >= -2 %); ` +
          `run time ${so.r.timings.total.toFixed(1)} s vs multifidelity ${mf.r.timings.total.toFixed(1)} s (CLI wall incl. report: ${so.seconds.toFixed(1)} / ${mf.seconds.toFixed(1)} s); search phase (${mf.r.models.search}) ${mf.r.timings.search.toFixed(1)} s`,
      );
      summary.solverOnly = {
        ld: sp.ld,
        relative: rel,
        seconds: so.r.timings.total,
        multifidelitySeconds: mf.r.timings.total,
        wallSeconds: so.seconds,
        multifidelityWallSeconds: mf.seconds,
        searchPhaseSeconds: mf.r.timings.search,
        searchModel: mf.r.models.search,
      };
    }
  }

  // ---- daedalus
  if (want('daedalus')) {
    const d = runExample('daedalus', path.join(ROOT, 'examples', 'daedalus-multipoint.json'));
    const pts = d.r.designPoints;
    const wsum = pts.reduce((s, q) => s + q.weight, 0);
    const dae = loadAirfoil('dae11');
    const daePts = pts.map((q) => analyze(dae, { re: q.re, cl: q.cl!, mach: q.mach, nCrit: q.nCrit })[0]);
    const daeCd = daePts.reduce((s, q, i) => s + pts[i].weight * q.cd, 0) / wsum;
    const finCd = d.r.final!.objective!;
    const met = d.r.final!.constraints.every((c) => c.satisfied);
    log(
      `daedalus: weighted Cd optimized ${finCd.toFixed(6)} vs DAE-11 ${daeCd.toFixed(6)} (DAE-11 converged at ${daePts.filter((q) => q.converged).length}/6): ratio ${(finCd / daeCd).toFixed(4)} (needs <= 1.02); constraints met: ${met}`,
    );
    log(
      `daedalus: DAE-11 per point Cd ${daePts.map((q) => q.cd.toFixed(5)).join(', ')}; Cm ${daePts.map((q) => q.cm.toFixed(4)).join(', ')}`,
    );
    log(
      `daedalus: optimized per point Cd ${d.r.final!.solver.map((q) => q.cd!.toFixed(5)).join(', ')}; Cm ${d.r.final!.solver.map((q) => q.cm!.toFixed(4)).join(', ')}`,
    );
    summary.daedalus = {
      seconds: d.seconds,
      weightedCd: finCd,
      dae11WeightedCd: daeCd,
      ratio: finCd / daeCd,
      constraintsMet: met,
      constraints: d.r.final!.constraints,
    };
  }

  // ---- inverse design
  if (want('inverse')) {
    const inv = runExample('inverse', path.join(ROOT, 'examples', 'inverse-cp.json'));
    const dat = readAirfoilFile(path.join(inv.dir, 'optimized.dat'));
    const target = loadAirfoil('naca4412');
    const dev = Math.max(
      polylineDeviation(target, dat).maxDeviation,
      polylineDeviation(dat, target).maxDeviation,
    );
    const xs = Float64Array.from({ length: 9 }, (_, k) => 0.1 * (k + 1));
    const tc = thicknessCamber(dat, xs);
    const tt = thicknessCamber(target, xs);
    log(
      `inverse: recovered shape vs NACA 4412: max distance ${dev.toExponential(3)} chord (needs <= 2e-3); Cp mismatch ${inv.r.objective.baseline!.toExponential(3)} -> ${inv.r.objective.final!.toExponential(3)}`,
    );
    log(
      `inverse: thickness at x/c 0.1..0.9 ${Array.from(tc.thickness, (v, k) => (v - tt.thickness[k]).toExponential(1)).join(' ')} (minus NACA 4412's)`,
    );
    summary.inverse = { seconds: inv.seconds, maxDistance: dev, objective: inv.r.objective };
  }

  // ---- kill -9 and --resume (the demo config)
  if (want('resume')) {
    log('\n== resume: demo run uninterrupted, then killed with SIGKILL mid-run and resumed');
    const a = path.join(OUT, 'resume-a');
    const b = path.join(OUT, 'resume-b');
    fs.rmSync(a, { recursive: true, force: true });
    fs.rmSync(b, { recursive: true, force: true });
    const ra = cli(['optimize', '--out', a]);
    if (ra.code !== 0) throw new Error(`resume-a: ${ra.err}`);
    // run B, kill -9 once its history has reached the polish phase (or after 60 % of A's time)
    const child = spawn(process.execPath, [CLI, 'optimize', '--out', b], { stdio: 'ignore' });
    const t0 = Date.now();
    let killedAt = '';
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        const h = path.join(b, 'history.jsonl');
        const text = fs.existsSync(h) ? fs.readFileSync(h, 'utf8') : '';
        const lines = text.split('\n').filter(Boolean).length;
        if (text.includes('"phase":"polish"') || Date.now() - t0 > 0.6 * ra.seconds * 1000) {
          killedAt = `${lines} history lines, ${((Date.now() - t0) / 1000).toFixed(1)} s`;
          child.kill('SIGKILL');
          clearInterval(timer);
        }
      }, 200);
      child.on('exit', () => {
        clearInterval(timer);
        resolve();
      });
    });
    const cp = JSON.parse(fs.readFileSync(path.join(b, 'checkpoint.json'), 'utf8'));
    const rb = cli(['optimize', '--out', b, '--resume']);
    const resA = JSON.parse(fs.readFileSync(path.join(a, 'result.json'), 'utf8')) as OptimizeResult;
    const resB = JSON.parse(fs.readFileSync(path.join(b, 'result.json'), 'utf8')) as OptimizeResult;
    const same =
      fs.readFileSync(path.join(a, 'optimized.dat'), 'utf8') ===
        fs.readFileSync(path.join(b, 'optimized.dat'), 'utf8') &&
      resA.final!.objective === resB.final!.objective;
    log(
      `resume: killed at ${killedAt || 'the end (the run finished first)'} (checkpoint phase ${cp.phase}); resumed run exit ${rb.code}, ` +
        `${resB.evaluations.replayed} evaluations replayed from the journal; optimized.dat and objective identical: ${same} (${resA.final!.objective} vs ${resB.final!.objective})`,
    );
    summary.resume = {
      killedAt,
      checkpointPhase: cp.phase,
      identical: same,
      replayed: resB.evaluations.replayed,
    };
  }

  // ---- bad configs
  if (want('errors')) {
    log('\n== errors');
    // outside bench/ (the broken module would break the type check of the checkout)
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'foilopt-bench-errors-'));
    const base = { points: [{ alphaDeg: 3, re: 1e6 }] };
    const cases: [string, unknown][] = [
      ['wrong-field.json', { ...base, points: [{ alphaDeg: 3, re: 1e6, ncrit: 9 }] }],
      ['unknown-airfoil.json', { ...base, airfoil: 'naca24x2' }],
      ['broken-module.json', { ...base, parametrization: { module: './broken-param.ts', export: 'Param' } }],
    ];
    fs.writeFileSync(
      path.join(dir, 'broken-param.ts'),
      'export class Param {\n  nVars = 3\n  coordinates( {\n}\n',
    );
    const out: Record<string, unknown> = {};
    for (const [file, cfg] of cases) {
      fs.writeFileSync(path.join(dir, file), JSON.stringify(cfg, null, 2));
      const r = cli(['optimize', path.join(dir, file), '--out', path.join(dir, 'run')]);
      const lines = r.err.trim().split('\n');
      log(`errors: ${file}: exit ${r.code}, ${lines.length} line: ${lines[0]}`);
      out[file] = { code: r.code, lines: lines.length, message: lines[0] };
    }
    summary.errors = out;
  }

  // ---- demo from a clean clone
  if (want('demo')) {
    log('\n== demo');
    if (args.includes('--no-clone')) {
      fs.rmSync(path.join(ROOT, 'runs', 'demo'), { recursive: true, force: true });
      const t0 = Date.now();
      const r = spawnSync('npm', ['run', 'demo'], { cwd: ROOT, encoding: 'utf8' });
      const s = (Date.now() - t0) / 1000;
      log(
        `demo (this checkout): npm run demo ${s.toFixed(1)} s, exit ${r.status}, last line: ${r.stdout.trim().split('\n').pop()}`,
      );
      summary.demo = { clone: false, seconds: s, exit: r.status };
    } else {
      const clone = fs.mkdtempSync(path.join(os.tmpdir(), 'foilopt-demo-'));
      try {
        execFileSync('git', ['clone', '-q', ROOT, clone]);
        let t0 = Date.now();
        execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: clone, stdio: 'ignore' });
        const ci = (Date.now() - t0) / 1000;
        t0 = Date.now();
        const r = spawnSync('npm', ['run', 'demo'], { cwd: clone, encoding: 'utf8' });
        const s = (Date.now() - t0) / 1000;
        log(
          `demo (clean clone): npm ci ${ci.toFixed(1)} s, then npm run demo ${s.toFixed(1)} s (needs <= 120 s), exit ${r.status}, last line: ${r.stdout.trim().split('\n').pop()}`,
        );
        summary.demo = { clone: true, npmCiSeconds: ci, seconds: s, exit: r.status };
      } finally {
        fs.rmSync(clone, { recursive: true, force: true });
      }
    }
  }

  fs.writeFileSync(path.join(OUT, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
  log(`\nsummary: ${path.relative(ROOT, path.join(OUT, 'summary.json'))}`);
}

main().catch((e) => {
  process.stderr.write(`bench:optimize failed: ${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
