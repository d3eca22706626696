/**
 * `foilopt analyze <airfoil> --re R [--mach M] [--ncrit N] [--alpha SPEC | --cl SPEC]
 *  [--xtr-top X --xtr-bot X] [--panels N] [--json] [--bl DIR] [--report FILE [--field-grid NXxNY]
 *  [--field-alpha A]]`: viscous analysis with the XFOIL-class solver (src/flow/analyze.ts). Prints an
 * XFOIL-style polar table, or with --json one JSON object per requested point; --bl DIR writes each
 * point's boundary-layer distributions; --report FILE writes the HTML report (src/report) of the
 * polar with Cp, boundary layer and flow field.
 */
import { FLOW_OPTIONS, SWEEP_OPTIONS, flowConditionsFromArgs, sweepFromArgs } from '../flow-options';
import * as fs from 'fs';
import * as path from 'path';
import { FoiloptError } from '../../errors';
import { loadAirfoil } from '../../geometry/lookup';
import type { Airfoil } from '../../geometry/types';
import type { BoundaryLayerSide, FlowConditions, PointResult, SolverOptions } from '../../flow/types';
import type { ParsedArgs } from '../args';
import type { CliIO, CommandSpec } from '../command';
import { FIELD_OPTIONS, fieldRequestFromArgs, writeAnalysisReport } from '../report-data';

/** The signature of analyze() in src/flow/analyze.ts (loaded on first use, see loadAnalyze). */
type AnalyzeFn = (
  airfoil: Airfoil,
  conditions: FlowConditions & { alphaDeg?: number | number[]; cl?: number | number[] },
  options?: SolverOptions,
) => PointResult[];

/**
 * The solver, required lazily: other commands do not pay for loading it, and the CLI keeps working
 * (with a clear message for this command) while the solver module is missing.
 */
function loadAnalyze(): AnalyzeFn {
  let mod: { analyze?: AnalyzeFn };
  try {
    mod = require('../../flow/analyze');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err?.code === 'MODULE_NOT_FOUND' && /flow[\\/]analyze/.test(err.message)) {
      throw new FoiloptError('the viscous solver (src/flow/analyze.ts) is not available in this build');
    }
    throw e;
  }
  if (typeof mod.analyze !== 'function') {
    throw new FoiloptError('the viscous solver module does not export analyze()');
  }
  return mod.analyze;
}

/** The scalar fields of one point, in the order --json prints them. */
export function pointJson(p: PointResult): Record<string, number | boolean> {
  return {
    alpha: p.alpha,
    cl: p.cl,
    cd: p.cd,
    cdp: p.cdp,
    cdf: p.cdf,
    cm: p.cm,
    xtrTop: p.xtrTop,
    xtrBot: p.xtrBot,
    converged: p.converged,
    iterations: p.iterations,
  };
}

/** Fixed-width number (XFOIL's polar formats); non-finite values print as NaN, right-aligned. */
function num(v: number, width: number, decimals: number): string {
  return (Number.isFinite(v) ? v.toFixed(decimals) : 'NaN').padStart(width);
}

/**
 * XFOIL-style polar text: a header block (airfoil, Re, Mach, Ncrit, forced transition) and one row
 * per converged point, columns alpha CL CD CDp CDf CM Top_Xtr Bot_Xtr; points that did not converge
 * are listed after the table.
 */
export function formatPolarTable(
  airfoil: Airfoil,
  c: Required<FlowConditions>,
  points: readonly PointResult[],
): string {
  const lines = [
    ` Calculated polar for: ${airfoil.name}${airfoil.source ? `  (${airfoil.source})` : ''}`,
    '',
    ` Re = ${c.re.toExponential(3)}   Mach = ${c.mach.toFixed(3)}   Ncrit = ${c.nCrit.toFixed(3)}`,
    ` xtrf = ${c.xtrTop.toFixed(3)} (top)   ${c.xtrBot.toFixed(3)} (bottom)`,
    '',
    '   alpha     CL        CD       CDp       CDf       CM     Top_Xtr  Bot_Xtr',
    '  ------- -------- --------- --------- --------- -------- -------- --------',
  ];
  const failed: string[] = [];
  for (const p of points) {
    if (!p.converged) {
      failed.push(`${p.alpha.toFixed(3)} (${p.iterations} iterations)`);
      continue;
    }
    lines.push(
      `  ${num(p.alpha, 7, 3)}${num(p.cl, 9, 4)}${num(p.cd, 10, 5)}${num(p.cdp, 10, 5)}${num(p.cdf, 10, 5)}` +
        `${num(p.cm, 9, 4)}${num(p.xtrTop, 9, 4)}${num(p.xtrBot, 9, 4)}`,
    );
  }
  if (failed.length) lines.push('', ` not converged: alpha ${failed.join(', ')}`);
  return lines.join('\n') + '\n';
}

/**
 * Boundary-layer dump of one point in the layout of XFOIL's DUMP: rows in panel order (upper TE ->
 * stagnation point -> lower TE), then the wake; s = arc length from the upper TE (continued along the
 * wake), Ue/Vinf with XFOIL's sign (negative on the lower surface). Columns:
 * s x y Ue/Vinf Dstar Theta Cf H Cp N_or_sqrtCtau turbulent.
 */
export function formatBoundaryLayer(
  p: PointResult,
  bl: { top: BoundaryLayerSide; bottom: BoundaryLayerSide; wake: BoundaryLayerSide },
): string {
  const lines = [
    `# alpha ${p.alpha.toFixed(4)}  CL ${p.cl.toFixed(5)}  CD ${p.cd.toFixed(6)}  CM ${p.cm.toFixed(5)}  ` +
      `xtr top ${p.xtrTop.toFixed(4)}  bottom ${p.xtrBot.toFixed(4)}  converged ${p.converged}`,
    '#        s          x          y    Ue/Vinf      Dstar      Theta         Cf         H        Cp  N|sqrtCtau turb',
  ];
  const row = (s: number, side: BoundaryLayerSide, i: number, sign: number) =>
    `${num(s, 10, 5)} ${num(side.x[i], 10, 5)} ${num(side.y[i], 10, 5)} ${num(sign * side.ue[i], 10, 5)} ` +
    `${num(side.deltaStar[i], 10, 6)} ${num(side.theta[i], 10, 6)} ${num(side.cf[i], 10, 6)} ${num(side.h[i], 9, 4)} ` +
    `${num(side.cp[i], 9, 4)} ${num(side.nAmpOrSqrtCtau[i], 10, 5)} ${String(side.turbulent[i]).padStart(4)}`;
  const { top, bottom, wake } = bl;
  const xiTopTe = top.xi.length ? top.xi[top.xi.length - 1] : 0;
  for (let i = top.xi.length - 1; i >= 0; i--) lines.push(row(xiTopTe - top.xi[i], top, i, 1));
  for (let i = 0; i < bottom.xi.length; i++) lines.push(row(xiTopTe + bottom.xi[i], bottom, i, -1));
  const sWake0 = xiTopTe + (bottom.xi.length ? bottom.xi[bottom.xi.length - 1] : 0);
  for (let i = 0; i < wake.xi.length; i++) lines.push(row(sWake0 + (wake.xi[i] - wake.xi[0]), wake, i, 1));
  return lines.join('\n') + '\n';
}

/** The --bl directory, created (with parents) when given; undefined without --bl. */
export function blDirFromArgs(args: ParsedArgs): string | undefined {
  const blDir = args.options.bl as string | undefined;
  if (blDir !== undefined) {
    try {
      fs.mkdirSync(blDir, { recursive: true });
    } catch (e) {
      throw new FoiloptError(`cannot create the --bl directory: ${(e as Error).message}`, { file: blDir });
    }
  }
  return blDir;
}

/** The "report: FILE (size, figures)" line: on stderr under --json (stdout stays JSON), else stdout. */
export function printReportLine(
  io: CliIO,
  json: boolean,
  file: string,
  r: { bytes: number; figures: number },
): void {
  const line = `report: ${file} (${(r.bytes / 1e6).toFixed(2)} MB, ${r.figures} figures)\n`;
  if (json) io.stderr(line);
  else io.stdout(line);
}

/** File name of a point's BL dump: bl_<index>_a<alpha>.txt (index in request order, 3 digits). */
export function blFileName(index: number, alphaDeg: number): string {
  return `bl_${String(index).padStart(3, '0')}_a${alphaDeg.toFixed(3)}.txt`;
}

export const analyzeCommand: CommandSpec = {
  name: 'analyze',
  summary: 'viscous analysis (XFOIL-class): polar over alpha or CL',
  description:
    'Viscous-inviscid analysis with the XFOIL 6.99 formulation (panel method + integral boundary layer,\n' +
    'e^N transition). Sweeps the requested alphas (or target CLs) in the given order, each point\n' +
    'warm-started from the previous one. Prints an XFOIL-style polar (converged points; the others are\n' +
    'listed below it); --json prints one object per requested point:\n' +
    '{"alpha","cl","cd","cdp","cdf","cm","xtrTop","xtrBot","converged","iterations"}.\n' +
    'SPEC: start:end:step (inclusive) and/or comma lists, e.g. -4:12:1 or 0,2,4. Default: --alpha 0.',
  positionals: [
    { name: 'airfoil', description: 'path to .dat, NACA code (naca2412) or shipped name (e387)' },
  ],
  options: [
    ...FLOW_OPTIONS,
    ...SWEEP_OPTIONS,
    {
      name: 'bl',
      type: 'string',
      placeholder: 'DIR',
      description: "write each point's boundary layer to DIR/bl_<i>_a<alpha>.txt",
    },
    {
      name: 'report',
      type: 'string',
      placeholder: 'FILE',
      description: 'write a self-contained HTML report (polar, Cp, boundary layer, flow field) to FILE',
    },
    ...FIELD_OPTIONS,
  ],
  examples: [
    'foilopt analyze naca2412 --re 1e6 --alpha -4:12:1',
    'foilopt analyze e387 --re 1e5 --ncrit 9 --cl 0.2:1.0:0.2 --json',
    'foilopt analyze naca0012 --re 6e6 --mach 0.15 --xtr-top 0.05 --xtr-bot 0.05 --alpha 0,4,8 --bl bl-out',
    'foilopt analyze naca2412 --re 1e6 --alpha -4:12:1 --report naca2412.html --field-grid 241x145',
  ],
  run(args, io) {
    const o = args.options;
    const conditions = flowConditionsFromArgs(args);
    const sweep = sweepFromArgs(args);
    const airfoil = loadAirfoil(args.positionals[0]);
    const blDir = blDirFromArgs(args);
    const reportFile = o.report as string | undefined;
    const field = fieldRequestFromArgs(args);
    const analyze = loadAnalyze();
    const t0 = process.hrtime.bigint();
    const points = analyze(airfoil, { ...conditions, ...sweep }, { panels: o.panels as number });
    const sweepSeconds = Number(process.hrtime.bigint() - t0) / 1e9;

    if (o.json) {
      for (const p of points) io.stdout(JSON.stringify(pointJson(p)) + '\n');
    } else {
      io.stdout(formatPolarTable(airfoil, conditions, points));
    }
    if (blDir !== undefined) {
      let written = 0;
      points.forEach((p, i) => {
        if (!p.boundaryLayer) return;
        fs.writeFileSync(path.join(blDir, blFileName(i, p.alpha)), formatBoundaryLayer(p, p.boundaryLayer));
        written++;
      });
      if (written < points.length) {
        io.stderr(
          `foilopt: ${points.length - written} point(s) had no boundary-layer result; no file written for them\n`,
        );
      }
    }
    if (reportFile !== undefined) {
      const r = writeAnalysisReport(reportFile, {
        airfoil,
        conditions,
        solver: points,
        field,
        panels: o.panels as number,
        command: `foilopt analyze ${process.argv.slice(3).join(' ')}`.trim(),
        timings: [{ phase: 'solver sweep', seconds: sweepSeconds }],
      });
      printReportLine(io, Boolean(o.json), reportFile, r);
    }
    return 0;
  },
};
