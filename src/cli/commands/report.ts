/**
 * `foilopt report <run-dir> [--out FILE] [--field-grid NXxNY] [--field-alpha A] [--iterates N]
 * [--no-xfoil] [--operator default|DIR] [--json]`: (re)generates the self-contained HTML report of an optimizer run directory
 * (src/cli/report-data.ts collects the data, src/report renders it).
 */
import * as fs from 'fs';
import { FoiloptError } from '../../errors';
import type { CommandSpec } from '../command';
import { loadNeuralOperator } from '../../optimize/operator-model';
import { FIELD_OPTIONS, fieldRequestFromArgs, writeRunReport, type OperatorLike } from '../report-data';

export const reportCommand: CommandSpec = {
  name: 'report',
  summary: 'HTML report of an optimizer run directory',
  description:
    'Writes the self-contained HTML report of a `foilopt optimize` run directory (result.json,\n' +
    'analysis.json, history.jsonl, baseline.dat, optimized.dat): shapes with iterates, Cp and boundary\n' +
    'layer at the design points, polars (XFOIL too when the run used it and xfoil is available), the\n' +
    'convergence history, the flow field of the final design, and the tables. Missing polars and\n' +
    'distributions are computed with the solver. The file opens offline in any current browser.',
  positionals: [{ name: 'run-dir', description: 'output directory of foilopt optimize' }],
  options: [
    {
      name: 'out',
      type: 'string',
      placeholder: 'FILE',
      description: 'report file (default <run-dir>/report.html)',
    },
    ...FIELD_OPTIONS,
    {
      name: 'iterates',
      type: 'integer',
      placeholder: 'N',
      min: 0,
      max: 50,
      default: 4,
      description: 'intermediate shapes drawn from the history',
    },
    {
      name: 'no-xfoil',
      type: 'boolean',
      description: 'do not run XFOIL polars even when the run used XFOIL',
    },
    {
      name: 'operator',
      type: 'string',
      placeholder: 'default|DIR',
      description:
        "add the neural operator's Cp, boundary layer and polars (dashed): 'default' = the committed model, or a model directory",
    },
  ],
  examples: [
    'foilopt report runs/max-ld',
    'foilopt report runs/max-ld --operator default',
    'foilopt report runs/max-ld --out max-ld.html --field-grid 241x145',
  ],
  async run(args, io) {
    const dir = args.positionals[0];
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
      throw new FoiloptError('not a directory (expected the output directory of foilopt optimize)', {
        file: dir,
      });
    }
    const o = args.options;
    const t0 = process.hrtime.bigint();
    let operator: OperatorLike | undefined;
    if (o.operator !== undefined) {
      const spec = String(o.operator);
      operator = (await loadNeuralOperator(spec === 'default' ? undefined : spec)) as unknown as OperatorLike;
    }
    const r = writeRunReport(dir, {
      operator,
      out: o.out as string | undefined,
      field: fieldRequestFromArgs(args),
      iterates: o.iterates as number,
      xfoil: !o['no-xfoil'],
    });
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    if (o.json)
      io.stdout(JSON.stringify({ report: r.file, bytes: r.bytes, figures: r.figures, seconds }) + '\n');
    else
      io.stdout(
        `report: ${r.file} (${(r.bytes / 1e6).toFixed(2)} MB, ${r.figures} figures, ${seconds.toFixed(1)} s)\n`,
      );
    return 0;
  },
};
