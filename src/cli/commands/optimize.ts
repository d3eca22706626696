/**
 * `foilopt optimize [config.json] [--out DIR] [--resume] [--json]`: inverse design (src/optimize).
 * Without a config, the embedded default run (max L/D of NACA 2412 at Re 1e6; `npm run demo`).
 * Progress on stderr: phase, evaluation, iteration, objective, worst constraint, elapsed. Ctrl-C
 * stops the optimization and writes what it has (a second Ctrl-C exits at once); --resume
 * continues a killed or interrupted run.
 */
import * as path from 'path';
import { SingleBar } from 'cli-progress';
import { loadOptimizeConfig } from '../../optimize/config';
import { optimize, type IterationInfo } from '../../optimize/run';
import type { OptimizeResult } from '../../optimize/outputs';
import { writeRunReport } from '../report-data';
import type { CommandSpec } from '../command';

function fmt(v: number | null | undefined, digits = 5): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '-';
  return Math.abs(v) >= 100 ? v.toFixed(2) : v.toPrecision(digits);
}

/** Progress on stderr: a cli-progress line on a terminal, plain lines (every 10 evaluations) otherwise. */
function progress(tty: boolean, write: (s: string) => void) {
  let bar: SingleBar | null = null;
  let phase = '';
  let count = 0;
  return {
    update(i: IterationInfo) {
      count++;
      const vals = {
        phase: i.phase.padEnd(9),
        iter: String(i.iteration).padStart(3),
        label: i.objectiveLabel,
        objective: i.ok ? fmt(i.objective) : 'rejected',
        worst: i.ok ? fmt(i.worstViolation, 2) : (i.reason ?? ''),
        elapsed: i.elapsed.toFixed(1),
      };
      if (tty) {
        if (!bar) {
          bar = new SingleBar({
            format:
              '{phase} | eval {value} | iter {iter} | {label} {objective} | worst constraint {worst} | {elapsed} s',
            stream: process.stderr,
            hideCursor: true,
            fps: 5,
            noTTYOutput: false,
          });
          bar.start(0, 0, vals);
        }
        bar.setTotal(Math.max(count, 1));
        bar.update(count, vals);
        return;
      }
      if (i.phase !== phase || count % 10 === 0) {
        phase = i.phase;
        write(
          `${vals.phase} eval ${i.evaluation} iter ${i.iteration} | ${vals.label} ${vals.objective} | worst constraint ${vals.worst} | ${vals.elapsed} s\n`,
        );
      }
    },
    log(line: string) {
      if (bar) {
        bar.stop();
        bar = null;
        count = 0;
      }
      write(`${line}\n`);
    },
    stop() {
      bar?.stop();
      bar = null;
    },
  };
}

/** The closing summary. */
function summary(r: OptimizeResult, outDir: string): string {
  const lines = [`${r.status}: ${r.message}`];
  const pts = r.designPoints;
  const row = (label: string, m: OptimizeResult['baseline'] | null) => {
    if (!m) return;
    m.solver.forEach((p, i) =>
      lines.push(
        `  ${label.padEnd(9)} ${pts[i].name.padEnd(10)} alpha ${fmt(p.alphaDeg, 4).padStart(7)}  Cl ${fmt(p.cl).padStart(8)}  Cd ${fmt(p.cd).padStart(9)}  Cm ${fmt(p.cm).padStart(9)}  L/D ${fmt(p.ld).padStart(8)}`,
      ),
    );
  };
  row('baseline', r.baseline);
  row('final', r.final);
  if (r.final?.gap)
    lines.push(
      `  operator vs solver (final): ` +
        r.final.gap
          .map((g) => `${g.name} L/D ${g.ldRelative === null ? '-' : (100 * g.ldRelative).toFixed(2) + ' %'}`)
          .join(', '),
    );
  const worst = (r.final ?? r.bestInfeasible)?.constraints.filter((c) => c.margin !== null) ?? [];
  if (worst.length)
    lines.push(
      '  constraints: ' +
        worst
          .map((c) => `${c.name} (margin ${fmt(c.margin, 3)}${c.satisfied ? '' : ', VIOLATED'})`)
          .join('; '),
    );
  if (r.xfoil.status === 'ok' && r.final?.xfoil)
    lines.push(
      '  XFOIL (final): ' +
        r.final.xfoil
          .map((p, i) => `${pts[i].name} L/D ${fmt(p.ld)}${p.converged ? '' : ' (not converged)'}`)
          .join(', '),
    );
  else lines.push(`  XFOIL check ${r.xfoil.status}${r.xfoil.reason ? `: ${r.xfoil.reason}` : ''}`);
  for (const w of r.warnings) lines.push(`  warning: ${w}`);
  lines.push(
    `  ${r.evaluations.solver} solver and ${r.evaluations.operator} operator evaluations, ${r.timings.total.toFixed(1)} s`,
  );
  if (r.files) {
    if (r.files.optimized) lines.push(`optimized shape: ${path.join(outDir, r.files.optimized)}`);
    lines.push(`report: ${path.join(outDir, r.files.report)}`);
  }
  return lines.join('\n') + '\n';
}

export const optimizeCommand: CommandSpec = {
  name: 'optimize',
  summary: 'inverse design: constrained shape optimization (operator search, solver + adjoint polish)',
  description:
    'Optimizes an airfoil shape as described by a JSON config (docs/optimize.md): base airfoil,\n' +
    'parametrization, design points (alpha or target Cl, Re, Mach, Ncrit, trips, weight), objective\n' +
    '(maxLD, minCd, maxCl, minCm, maxCm, inverseCp, or a user module), constraints, algorithm\n' +
    '(slsqp, mma, ccsaq, lbfgs, cobyla) and strategy (multifidelity: operator search, solver\n' +
    'verification, adjoint polish; single: one model). Without a config: the embedded demo (max L/D of\n' +
    'NACA 2412 at Re 1e6). Writes DIR/result.json, optimized.dat, history.jsonl, analysis.json,\n' +
    'report.html and a checkpoint; --resume continues a killed run with the same result; Ctrl-C stops and\n' +
    'writes what it has. --json prints result.json.',
  positionals: [
    { name: 'config', description: 'JSON config file (default: the embedded demo)', required: false },
  ],
  options: [
    {
      name: 'out',
      type: 'string',
      placeholder: 'DIR',
      description: 'output directory (default runs/<config name>)',
    },
    { name: 'resume', type: 'boolean', description: 'continue the run checkpointed in --out' },
    {
      name: 'report-xfoil',
      type: 'boolean',
      description:
        'add XFOIL polars of baseline and final to the report (slow; the design-point check runs anyway)',
    },
    {
      name: 'workers',
      type: 'integer',
      placeholder: 'N',
      min: 0,
      max: 64,
      description: 'worker threads of the search phase (default from the config: 2; 0 = main thread)',
    },
  ],
  examples: [
    'foilopt optimize',
    'foilopt optimize examples/max-ld-naca2412.json --out runs/max-ld',
    'foilopt optimize examples/daedalus-multipoint.json --out runs/dae --resume',
    'foilopt optimize examples/inverse-cp.json --json > result.json',
  ],
  async run(args, io) {
    const o = args.options;
    const file = args.positionals[0];
    const loaded = file ? loadOptimizeConfig(file) : null;
    const outDir = String(
      o.out ?? path.join('runs', file ? path.basename(file).replace(/\.json$/i, '') : 'demo'),
    );
    const p = progress(!o.json && !!process.stderr.isTTY, (s) => io.stderr(s));
    const ac = new AbortController();
    let sigints = 0;
    const onSigint = () => {
      sigints++;
      if (sigints > 1) process.exit(130);
      p.log(
        'interrupted: finishing the current evaluation and writing what there is (Ctrl-C again to quit now)',
      );
      ac.abort();
    };
    process.on('SIGINT', onSigint);
    let r: OptimizeResult;
    try {
      r = await optimize(loaded?.config, {
        outDir,
        resume: !!o.resume,
        configFile: file,
        workers: o.workers as number | undefined,
        signal: ac.signal,
        onIteration: o.json ? undefined : (i) => p.update(i),
        onLog: o.json ? undefined : (l) => p.log(l),
      });
    } finally {
      process.removeListener('SIGINT', onSigint);
      p.stop();
    }
    if (r.files && r.status !== 'interrupted') {
      // the full report (src/report, plotly) replaces the run's minimal summary
      try {
        writeRunReport(outDir, { xfoil: !!o['report-xfoil'] });
      } catch (e) {
        r.warnings.push(
          `the full report failed (${(e as Error).message}); report.html is the minimal summary`,
        );
      }
    }
    if (o.json) {
      const { airfoil: _a, ...json } = r;
      io.stdout(JSON.stringify(json) + '\n');
    } else io.stdout(summary(r, outDir));
    return r.status === 'no feasible design' ? 1 : r.status === 'interrupted' ? 130 : 0;
  },
};
