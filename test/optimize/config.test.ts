/** Optimize config validation: defaults, and one-line errors that name the field and the value. */
import { resolveOptimizeConfig } from '../../src/optimize/config';
import { FoiloptError } from '../../src/errors';

const point = { alphaDeg: 4, re: 1e6 };

function message(input: unknown): string {
  try {
    resolveOptimizeConfig(input, 'cfg.json');
  } catch (e) {
    expect(e).toBeInstanceOf(FoiloptError);
    const m = (e as FoiloptError).oneLine();
    expect(m).not.toContain('\n');
    return m;
  }
  throw new Error('expected a validation error');
}

describe('optimize config', () => {
  test('defaults fill a minimal config', () => {
    const c = resolveOptimizeConfig({ points: [point] });
    expect(c.airfoil).toBe('naca2412');
    expect(c.parametrization).toBe('cst:8');
    expect(c.objective).toEqual({ type: 'maxLD' });
    expect(c.strategy).toBe('multifidelity');
    expect(c.algorithm).toBe('slsqp');
    expect(c.points[0]).toMatchObject({ mach: 0, nCrit: 9, xtrTop: 1, xtrBot: 1, weight: 1 });
    expect(c.search.starts).toBeGreaterThan(1);
  });

  test.each([
    [{}, /points: is required/],
    [{ points: [{ alphaDeg: 4 }] }, /points\[0\]\.re: is required/],
    [{ points: [{ re: 1e6 }] }, /points\[0\]: give exactly one of alphaDeg or cl/],
    [{ points: [{ alphaDeg: 4, cl: 0.5, re: 1e6 }] }, /points\[0\]: give exactly one of alphaDeg or cl/],
    [{ points: [point], colour: 'red' }, /top level: unknown field "colour"/],
    [{ points: [{ ...point, re: 'high' }] }, /points\[0\]\.re: .*got "high"/],
    [{ points: [point], algorithm: 'newton' }, /algorithm: .*got "newton"/],
    [{ points: [point], objective: { type: 'maxLift' } }, /objective\.type: .*got "maxLift"/],
    [
      { points: [point], constraints: [{ type: 'thickness', x: 1.5, min: 0.1 }] },
      /constraints\[0\]\.x: .*got 1\.5/,
    ],
    [
      { points: [point], constraints: [{ type: 'cm', min: -0.1, points: [3] }] },
      /constraints\[0\]\.points: point index 3 does not exist/,
    ],
    [{ points: [{ ...point, alphaBoundsDeg: [5, 10] }] }, /alphaDeg must lie inside alphaBoundsDeg/],
    [{ points: [point], constraints: [{ type: 'maxThickness' }] }, /constraints\[0\]: give min, max or both/],
    [
      { points: [point], strategy: 'single', model: 'solver', gradient: 'autodiff' },
      /gradient: autodiff needs model "operator"/,
    ],
    [{ points: [point], parametrization: { module: '' } }, /parametrization/],
  ])('%j -> %s', (input, re) => {
    const m = message(input);
    expect(m).toMatch(/^cfg\.json: invalid optimize config: /);
    expect(m).toMatch(re);
  });
});
