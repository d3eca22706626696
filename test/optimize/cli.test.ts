/**
 * `foilopt optimize` user errors: a wrong field, bad JSON, an unknown airfoil, a broken or
 * incomplete user module each give one line on stderr (file, field, why) and exit code 1; the
 * custom-parametrization example loads its .ts module.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { run } from '../../src/cli/main';
import { loadOptimizeConfig, type OptimizeConfigInput } from '../../src/optimize/config';
import { optimize } from '../../src/optimize/run';
import { setupProblem } from '../../src/optimize/setup';
import { REPO_ROOT } from '../helpers/paths';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'foilopt-optcli-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function cli(...argv: string[]) {
  let out = '';
  let err = '';
  const code = await run(argv, { stdout: (t) => void (out += t), stderr: (t) => void (err += t) });
  return { code, out, err };
}

function write(name: string, text: string): string {
  const f = path.join(tmp, name);
  fs.writeFileSync(f, text);
  return f;
}

const base = { points: [{ alphaDeg: 3, re: 1e6 }], strategy: 'single', model: 'solver', xfoil: false };

async function expectOneLineError(file: string, re: RegExp) {
  const r = await cli('optimize', file, '--out', path.join(tmp, 'out-' + path.basename(file)));
  expect(r.code).toBe(1);
  expect(r.out).toBe('');
  expect(r.err.trim().split('\n')).toHaveLength(1);
  expect(r.err).toMatch(/^foilopt: /);
  expect(r.err).toMatch(re);
  expect(r.err).not.toMatch(/\bat .*\.ts:\d+/); // no stack trace
}

describe('foilopt optimize: bad input', () => {
  test('optimize --help documents the command', async () => {
    const r = await cli('optimize', '--help');
    expect(r.code).toBe(0);
    expect(r.out).toContain('--resume');
    expect(r.out).toContain('--out');
  });

  test('a wrong field names the file, the field and the value', async () => {
    const f = write('wrong-field.json', JSON.stringify({ ...base, points: [{ alphaDeg: 3, re: -5 }] }));
    await expectOneLineError(f, /wrong-field\.json: invalid optimize config: points\[0\]\.re: .*got -5/);
  });

  test('invalid JSON gives the line', async () => {
    const f = write('bad.json', '{\n  "points": [\n    { "alphaDeg": 3, }\n  ]\n}\n');
    await expectOneLineError(f, /bad\.json:3: the optimize config is not valid JSON/);
  });

  test('a missing config file', async () => {
    await expectOneLineError(
      path.join(tmp, 'nope.json'),
      /nope\.json: cannot read the optimize config: ENOENT/,
    );
  });

  test('an unknown airfoil', async () => {
    const f = write('unknown-airfoil.json', JSON.stringify({ ...base, airfoil: 'nacaXYZ' }));
    await expectOneLineError(f, /invalid optimize config: airfoil: unknown airfoil "nacaXYZ"/);
  });

  test('a user module with a syntax error', async () => {
    write('broken.ts', 'export class Broken {\n  constructor( {\n}\n');
    const f = write(
      'broken-module.json',
      JSON.stringify({ ...base, parametrization: { module: './broken.ts', export: 'Broken' } }),
    );
    await expectOneLineError(
      f,
      /broken\.ts.*: parametrization module "\.\/broken\.ts": the module failed to load/,
    );
  });

  test('a user module without the named export, and one that is not a parametrization', async () => {
    write('other.ts', 'export const Something = 1;\nexport class NotAParam { nVars = 2; }\n');
    const f = write(
      'no-export.json',
      JSON.stringify({ ...base, parametrization: { module: './other.ts', export: 'MyParam' } }),
    );
    await expectOneLineError(
      f,
      /has no export "MyParam" \(exports: (Something, NotAParam|NotAParam, Something)\)/,
    );
    const g = write(
      'not-param.json',
      JSON.stringify({ ...base, parametrization: { module: './other.ts', export: 'NotAParam' } }),
    );
    await expectOneLineError(g, /not a parametrization: varNames missing/);
  });

  test('a user module that throws while loading', async () => {
    write('throws.js', "throw new Error('module init failed');\n");
    const f = write('throws.json', JSON.stringify({ ...base, parametrization: { module: './throws.js' } }));
    await expectOneLineError(f, /the module failed to load: module init failed/);
  });
});

describe('custom parametrization example', () => {
  test('the .ts module loads from the config and fits the base airfoil', () => {
    const file = path.join(REPO_ROOT, 'examples', 'custom-parametrization', 'config.json');
    const { config, baseDir } = loadOptimizeConfig(file);
    const s = setupProblem(config, baseDir, { file });
    expect(s.param.name).toBe('thickness-camber');
    expect(s.param.nVars).toBe(5);
    expect(s.param.jacobian).toBeUndefined(); // FD Jacobian path
    expect(s.fitDeviation).toBeLessThan(0.01);
    expect(s.p0[0]).toBeCloseTo(0.12, 2); // NACA 2412's thickness
  });

  test('a parametrization object is accepted by the library (in the config or as an option)', async () => {
    const { ThicknessCamber } = await import('../../examples/custom-parametrization/thickness-camber');
    const config = {
      airfoil: 'naca2412',
      parametrization: new ThicknessCamber({ modes: 2 }),
      points: [{ alphaDeg: 2, re: 1e6 }],
      strategy: 'single' as const,
      model: 'solver' as const,
      search: { starts: 1 },
      maxEvaluations: 2,
      polarAlphaDeg: [1, 2, 1] as [number, number, number],
      xfoil: false,
    };
    const r = await optimize(config as unknown as OptimizeConfigInput, { operator: null });
    expect(r.parametrization.name).toBe('thickness-camber');
    expect(r.variables.names).toEqual(['thickness', 'camber1', 'camber2']);
  });
});
