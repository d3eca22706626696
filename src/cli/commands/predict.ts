/**
 * `foilopt predict <airfoil> --re R [--mach M] [--ncrit N] [--alpha SPEC | --cl SPEC] [--xtr-top X
 *  --xtr-bot X] [--panels N] [--json] [--bl DIR] [--report FILE] [--verify] [--model DIR]`: the neural
 * operator's prediction with analyze's flags. The table and --json carry analyze's fields plus the
 * confidence; --bl writes the predicted distributions in analyze's --bl format (no wake); --verify
 * also runs the solver and prints both side by side (and puts both in the report).
 */
import * as fs from 'fs';
import * as path from 'path';
import { loadAirfoil } from '../../geometry/lookup';
import type { BoundaryLayerSide, FlowConditions, PointResult } from '../../flow/types';
import type { CommandSpec } from '../command';
import { FLOW_OPTIONS, SWEEP_OPTIONS, flowConditionsFromArgs, sweepFromArgs } from '../flow-options';
import { FIELD_OPTIONS, fieldRequestFromArgs, writeAnalysisReport } from '../report-data';
import { blDirFromArgs, blFileName, formatBoundaryLayer, pointJson, printReportLine } from './analyze';
import type { OperatorPointResult } from '../../operator';

function num(v: number, width: number, decimals: number): string {
  return (Number.isFinite(v) ? v.toFixed(decimals) : 'NaN').padStart(width);
}

/** XFOIL-style table of operator points with a confidence column (and the solver's CL, CD when verified). */
export function formatPredictionTable(
  name: string,
  c: Required<FlowConditions>,
  points: readonly OperatorPointResult[],
  modelDir: string,
  solver?: readonly PointResult[],
): string {
  const lines = [
    ` Operator prediction for: ${name}   (model ${modelDir})`,
    '',
    ` Re = ${c.re.toExponential(3)}   Mach = ${c.mach.toFixed(3)}   Ncrit = ${c.nCrit.toFixed(3)}`,
    ` xtrf = ${c.xtrTop.toFixed(3)} (top)   ${c.xtrBot.toFixed(3)} (bottom)`,
    '',
    '   alpha     CL        CD       CDp       CDf       CM     Top_Xtr  Bot_Xtr   Conf' +
      (solver ? '   solver CL  solver CD' : ''),
    '  ------- -------- --------- --------- --------- -------- -------- -------- ------' +
      (solver ? ' ---------- ----------' : ''),
  ];
  points.forEach((p, i) => {
    let row =
      `  ${num(p.alpha, 7, 3)}${num(p.cl, 9, 4)}${num(p.cd, 10, 5)}${num(p.cdp, 10, 5)}${num(p.cdf, 10, 5)}` +
      `${num(p.cm, 9, 4)}${num(p.xtrTop, 9, 4)}${num(p.xtrBot, 9, 4)}${num(p.confidence, 7, 3)}`;
    if (solver) {
      const s = solver[i];
      row += s?.converged ? `${num(s.cl, 11, 4)}${num(s.cd, 11, 5)}` : '  (not converged)';
    }
    lines.push(row);
  });
  const low = points.filter((p) => p.confidence < 0.5).map((p) => p.alpha.toFixed(3));
  if (low.length)
    lines.push('', ` low confidence (< 0.5: the solver would likely not converge): alpha ${low.join(', ')}`);
  return lines.join('\n') + '\n';
}

const EMPTY_WAKE: BoundaryLayerSide = {
  side: 'wake',
  x: new Float64Array(0),
  y: new Float64Array(0),
  xi: new Float64Array(0),
  cp: new Float64Array(0),
  ue: new Float64Array(0),
  deltaStar: new Float64Array(0),
  theta: new Float64Array(0),
  h: new Float64Array(0),
  cf: new Float64Array(0),
  nAmpOrSqrtCtau: new Float64Array(0),
  turbulent: new Uint8Array(0),
};

export const predictCommand: CommandSpec = {
  name: 'predict',
  summary: 'neural-operator prediction (fast surrogate) with the flags of analyze',
  description:
    'Predicts forces, transition, confidence and surface distributions with the pretrained neural\n' +
    'operator (models/operator, or --model DIR / FOILOPT_MODEL), thousands of times faster than the\n' +
    'solver. Same flags and output as `foilopt analyze`; --json adds "confidence" (0..1: that the solver\n' +
    'converges here and the input lies inside the training envelope). --cl SPEC finds the angle of\n' +
    'attack of each CL on the predicted polar. --verify also runs the solver and shows both.',
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
      description: "write each point's predicted distributions to DIR/bl_<i>_a<alpha>.txt",
    },
    {
      name: 'report',
      type: 'string',
      placeholder: 'FILE',
      description: 'write a self-contained HTML report to FILE',
    },
    ...FIELD_OPTIONS,
    { name: 'verify', type: 'boolean', description: 'also run the solver at the same points and show both' },
    {
      name: 'model',
      type: 'string',
      placeholder: 'DIR',
      description: 'operator model directory (default: the committed model)',
    },
  ],
  examples: [
    'foilopt predict naca2412 --re 1e6 --alpha -4:12:1',
    'foilopt predict e387 --re 2e5 --cl 0.2:1.0:0.2 --json',
    'foilopt predict airfoils/s1223.dat --re 3e5 --alpha 0:10:2 --verify --report s1223.html',
  ],
  async run(args, io) {
    const o = args.options;
    const conditions = flowConditionsFromArgs(args);
    const sweep = sweepFromArgs(args);
    const airfoil = loadAirfoil(args.positionals[0]);
    const blDir = blDirFromArgs(args);
    const field = o.verify ? fieldRequestFromArgs(args) : false;
    const { loadOperator, defaultModelDir } = await import('../../operator');
    const modelDir = (o.model as string | undefined) ?? defaultModelDir();
    const op = await loadOperator(modelDir);
    const panels = o.panels as number;
    const { prepareAirfoil, analyze } = await import('../../flow/analyze');
    const prepared = prepareAirfoil(airfoil, { panels });
    const t0 = process.hrtime.bigint();
    const alphas =
      'cl' in sweep ? sweep.cl.map((cl) => op.alphaForCl(prepared, conditions, cl)) : sweep.alphaDeg;
    const points = op.predict(airfoil, { ...conditions, alphaDeg: alphas }, { panels });
    const opSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
    let solver: PointResult[] | undefined;
    let solverSeconds = 0;
    if (o.verify) {
      const t1 = process.hrtime.bigint();
      solver = analyze(
        airfoil,
        { ...conditions, alphaDeg: alphas.map((a) => (Number.isFinite(a) ? a : 0)) },
        { panels },
      );
      solverSeconds = Number(process.hrtime.bigint() - t1) / 1e9;
    }
    if (o.json) {
      points.forEach((p, i) => {
        const j: Record<string, unknown> = {
          ...pointJson(p as unknown as PointResult),
          confidence: p.confidence,
        };
        if (solver) j.solver = pointJson(solver[i]);
        io.stdout(JSON.stringify(j) + '\n');
      });
    } else
      io.stdout(
        formatPredictionTable(
          airfoil.name,
          conditions,
          points,
          path.relative(process.cwd(), modelDir) || '.',
          solver,
        ),
      );
    if (blDir !== undefined) {
      points.forEach((p, i) => {
        if (!p.boundaryLayer) return;
        const bl = { top: p.boundaryLayer.top, bottom: p.boundaryLayer.bottom, wake: EMPTY_WAKE };
        fs.writeFileSync(
          path.join(blDir, blFileName(i, p.alpha)),
          formatBoundaryLayer(p as unknown as PointResult, bl),
        );
      });
    }
    if (o.report !== undefined) {
      const reportFile = String(o.report);
      const r = writeAnalysisReport(reportFile, {
        airfoil,
        conditions,
        operator: points,
        solver,
        field,
        panels,
        command: `foilopt predict ${process.argv.slice(3).join(' ')}`.trim(),
        timings: [
          { phase: 'operator prediction', seconds: opSeconds },
          ...(solver ? [{ phase: 'solver sweep (--verify)', seconds: solverSeconds }] : []),
        ],
        notes: solver
          ? undefined
          : ['Operator prediction only: run with --verify to add the solver and the flow field.'],
      });
      printReportLine(io, Boolean(o.json), reportFile, r);
    }
    return 0;
  },
};
