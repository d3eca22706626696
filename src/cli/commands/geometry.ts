/** `foilopt geometry <airfoil>`: measures, optional repaneling, parametrization fit and Selig output. */
import { loadAirfoil } from '../../geometry/lookup';
import { measureAirfoil } from '../../geometry/measure';
import { repanel } from '../../geometry/paneling';
import { normalize } from '../../geometry/normalize';
import { writeSeligFile } from '../../geometry/io';
import { parametrizationFromSpec } from '../../geometry/param';
import type { CommandSpec } from '../command';

const f = (v: number, d = 5) => (Number.isFinite(v) ? v.toFixed(d) : String(v));

export const geometryCommand: CommandSpec = {
  name: 'geometry',
  summary: 'measure an airfoil; optionally repanel, fit a parametrization, write a Selig .dat',
  description:
    'Loads an airfoil (.dat path, NACA code or shipped name) and prints its measures: chord, maximum\n' +
    'thickness and camber with their x/c, area, leading-edge radius, trailing-edge thickness and angle,\n' +
    'and a self-intersection check. --fit fits a parametrization (least squares) and prints its\n' +
    'parameters and fit error; --panels repanels with XFOIL-like curvature clustering.',
  positionals: [
    { name: 'airfoil', description: 'path to .dat, NACA code (naca2412) or shipped name (e387)' },
  ],
  options: [
    {
      name: 'fit',
      type: 'string',
      placeholder: 'SPEC',
      description: 'fit a parametrization: cst:8, naca4, naca5, bezier:6, hh:8, parsec',
    },
    {
      name: 'panels',
      type: 'integer',
      placeholder: 'N',
      min: 20,
      max: 2000,
      description: 'repanel to N nodes (XFOIL-like clustering)',
    },
    { name: 'normalize', type: 'boolean', description: 'normalize first (LE at origin, chord 1)' },
    {
      name: 'derotate',
      type: 'boolean',
      description: 'with --normalize: also rotate the chord line to the x axis',
    },
    {
      name: 'out',
      type: 'string',
      placeholder: 'FILE',
      description: 'write the (repaneled/normalized) airfoil as a Selig .dat',
    },
  ],
  examples: [
    'foilopt geometry e387',
    'foilopt geometry naca2412 --fit cst:8 --json',
    'foilopt geometry airfoils/s1223.dat --panels 160 --out s1223-160.dat',
  ],
  run(args, io) {
    let airfoil = loadAirfoil(args.positionals[0]);
    if (args.options.normalize) airfoil = normalize(airfoil, { derotate: Boolean(args.options.derotate) });
    const panels = args.options.panels as number | undefined;
    if (panels !== undefined) airfoil = repanel(airfoil, { nodes: panels });
    const m = measureAirfoil(airfoil);
    let fit: Record<string, unknown> | undefined;
    if (args.options.fit !== undefined) {
      const p = parametrizationFromSpec(String(args.options.fit), airfoil);
      const r = p.fit(airfoil);
      fit = {
        spec: String(args.options.fit),
        parametrization: p.name,
        names: [...p.varNames],
        params: Array.from(r.params),
        maxDeviation: r.maxDeviation,
        rmsDeviation: r.rmsDeviation,
      };
    }
    const out = args.options.out as string | undefined;
    if (out) writeSeligFile(out, airfoil);
    if (args.options.json) {
      io.stdout(
        JSON.stringify({
          name: airfoil.name,
          source: airfoil.source ?? null,
          nodes: airfoil.x.length,
          measures: m,
          fit: fit ?? null,
          out: out ?? null,
        }) + '\n',
      );
      return 0;
    }
    const lines = [
      `${airfoil.name}${airfoil.source ? `  (${airfoil.source})` : ''}`,
      `  nodes              ${airfoil.x.length}`,
      `  chord              ${f(m.chord)}`,
      `  max thickness      ${f(m.maxThickness)}  at x/c ${f(m.maxThicknessX, 4)}`,
      `  max camber         ${f(m.maxCamber)}  at x/c ${f(m.maxCamberX, 4)}`,
      `  area               ${f(m.area)}`,
      `  LE radius          ${f(m.leRadius)}`,
      `  TE thickness       ${f(m.teThickness)}`,
      `  TE angle           ${f(m.teAngleDeg, 2)} deg`,
      `  self-intersecting  ${m.selfIntersecting ? 'YES' : 'no'}`,
    ];
    if (fit) {
      lines.push(
        '',
        `  fit ${fit.spec}: max deviation ${(fit.maxDeviation as number).toExponential(3)}, rms ${(fit.rmsDeviation as number).toExponential(3)} (chord units)`,
      );
      const names = fit.names as string[];
      const params = fit.params as number[];
      for (let i = 0; i < names.length; i++)
        lines.push(`    ${names[i].padEnd(14)} ${params[i].toPrecision(8)}`);
    }
    if (out) lines.push('', `  wrote ${out}`);
    io.stdout(lines.join('\n') + '\n');
    return 0;
  },
};
