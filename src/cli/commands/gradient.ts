/**
 * `foilopt gradient <airfoil> --re R --alpha A|--cl C --of cl|cd|cm|ld [--param cst:8 | --param nodes]
 *  [--method adjoint|fd] [--json]`: gradient of an objective w.r.t. the shape variables at one
 * operating point, by the discrete adjoint of the viscous solver (src/flow/adjoint*.ts) or by
 * central finite differences of converged solves. --json prints exactly
 * {"of","value","names","gradient","method","seconds"}.
 */
import { FLOW_OPTIONS, flowConditionsFromArgs } from '../flow-options';
import { FoiloptError } from '../../errors';
import { loadAirfoil } from '../../geometry/lookup';
import type { Objective } from '../../flow/adjoint';
import { shapeGradient } from '../../flow/adjoint-chain';
import type { CommandSpec } from '../command';

const OBJECTIVE_NAMES: Record<string, Objective> = { cl: 'cl', cd: 'cd', cm: 'cm', ld: 'ld' };

/** A single finite number from an option value (the operating point takes one value, not a sweep). */
function singleNumber(raw: string, name: string): number {
  const v = Number(raw.trim());
  if (raw.trim() === '' || !Number.isFinite(v))
    throw new FoiloptError(`--${name}: expected one number, got '${raw}'`);
  return v;
}

export const gradientCommand: CommandSpec = {
  name: 'gradient',
  summary: 'shape gradient of CL, CD, CM or L/D (discrete adjoint of the viscous solver)',
  description:
    'Gradient of an objective (--of cl|cd|cm|ld) at one operating point (--alpha A degrees, or --cl C:\n' +
    "fixed lift, alpha adjusts) w.r.t. the shape variables: --param nodes (default; the airfoil's node\n" +
    'coordinates x0, y0, x1, ...) or a parametrization spec such as cst:8 (its fit to the airfoil is the\n' +
    'design point). The airfoil is normalized and repaneled as in `analyze`; the chain rule runs through\n' +
    'both. --method adjoint (default): one adjoint solve, cost independent of the number of variables;\n' +
    '--method fd: central differences of fully converged solves (slow reference). The design point is\n' +
    'converged to 1e-10.\n' +
    '--json prints {"of","value","names","gradient","method","seconds"}.',
  positionals: [
    { name: 'airfoil', description: 'path to .dat, NACA code (naca2412) or shipped name (e387)' },
  ],
  options: [
    ...FLOW_OPTIONS,
    { name: 'alpha', type: 'string', placeholder: 'A', description: 'angle of attack, degrees' },
    {
      name: 'cl',
      type: 'string',
      placeholder: 'C',
      description: 'target lift coefficient (instead of --alpha)',
    },
    {
      name: 'of',
      type: 'string',
      placeholder: 'J',
      default: 'cd',
      description: 'objective: cl, cd, cm or ld',
    },
    {
      name: 'param',
      type: 'string',
      placeholder: 'SPEC',
      default: 'nodes',
      description: 'design variables: nodes, or a parametrization such as cst:8, bezier:6',
    },
    { name: 'method', type: 'string', placeholder: 'M', default: 'adjoint', description: 'adjoint or fd' },
  ],
  examples: [
    'foilopt gradient naca2412 --re 1e6 --alpha 4 --of cd --param cst:8',
    'foilopt gradient naca0012 --re 3e6 --cl 0.4 --of ld --param nodes --json',
    'foilopt gradient naca2412 --re 1e6 --alpha 2 --of cl --param cst:3 --method fd',
  ],
  run(args, io) {
    const o = args.options;
    const conditions = flowConditionsFromArgs(args);
    if ((o.alpha === undefined) === (o.cl === undefined))
      throw new FoiloptError('give exactly one of --alpha or --cl');
    const of = OBJECTIVE_NAMES[String(o.of).trim().toLowerCase()];
    if (!of) throw new FoiloptError(`--of: expected cl, cd, cm or ld, got '${String(o.of)}'`);
    const method = String(o.method).trim().toLowerCase();
    if (method !== 'adjoint' && method !== 'fd')
      throw new FoiloptError(`--method: expected adjoint or fd, got '${String(o.method)}'`);
    const airfoil = loadAirfoil(args.positionals[0]);
    const r = shapeGradient({
      airfoil,
      conditions,
      alphaDeg: o.alpha !== undefined ? singleNumber(String(o.alpha), 'alpha') : undefined,
      cl: o.cl !== undefined ? singleNumber(String(o.cl), 'cl') : undefined,
      objective: of,
      param: String(o.param),
      method,
      options: { panels: o.panels as number },
    });
    if (o.json) {
      io.stdout(
        JSON.stringify({
          of: r.of,
          value: r.value,
          names: r.names,
          gradient: r.gradient,
          method: r.method,
          seconds: r.seconds,
        }) + '\n',
      );
      return 0;
    }
    const p = r.point;
    const lines = [
      ` ${airfoil.name}: Re = ${(o.re as number).toExponential(3)}  alpha = ${p.alpha.toFixed(4)} deg  CL = ${p.cl.toFixed(5)}` +
        `  CD = ${p.cd.toFixed(6)}  CM = ${p.cm.toFixed(5)}`,
      ` d(${of})/d(variables) by ${r.method} at ${o.cl !== undefined ? 'fixed CL' : 'fixed alpha'}, ${of} = ${r.value.toPrecision(8)}, ` +
        `${r.names.length} variables, ${r.seconds.toFixed(3)} s`,
    ];
    if (Number.isFinite(r.alphaDerivative))
      lines.push(` d(${of})/d(alpha) = ${r.alphaDerivative.toExponential(6)} per degree`);
    lines.push('');
    const w = Math.max(8, ...r.names.map((n) => n.length));
    for (let i = 0; i < r.names.length; i++)
      lines.push(`  ${r.names[i].padEnd(w)}  ${r.gradient[i].toExponential(8).padStart(16)}`);
    io.stdout(lines.join('\n') + '\n');
    return 0;
  },
};
