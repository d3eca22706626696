import { FoiloptError } from '../../src/errors';
import { MAX_SPEC_VALUES, parseAlphaSpec, parseClSpec, parseSweepSpec } from '../../src/flow/spec';

/** The FoiloptError message thrown by fn (fails the test when fn does not throw one). */
function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(FoiloptError);
    return (e as Error).message;
  }
  throw new Error('expected a FoiloptError');
}

describe('parseAlphaSpec ranges', () => {
  it('expands the XFOIL matrix sweep -4:12:1 to 17 integers, both ends included', () => {
    const a = parseAlphaSpec('-4:12:1');
    expect(a).toEqual([-4, -3, -2, -1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    // exact integers, and 0 is +0 (not -0, which would print as "-0")
    expect(Object.is(a[4], 0)).toBe(true);
  });

  it('reaches the end despite floating-point division (0.7/0.1 = 6.999999999999999 steps)', () => {
    expect(0.7 / 0.1).toBeLessThan(7);
    const a = parseAlphaSpec('0:0.7:0.1');
    expect(a).toHaveLength(8);
    // exact decimal values: 3*0.1 = 0.30000000000000004 in floating point must come out as 0.3
    expect(a).toEqual([0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]);
    expect(parseAlphaSpec('0:1:0.1')).toEqual([0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1]);
  });

  it('rounds values that cross zero to exactly 0 and keeps the written end point', () => {
    const a = parseAlphaSpec('-0.3:0.3:0.1');
    expect(a).toEqual([-0.3, -0.2, -0.1, 0, 0.1, 0.2, 0.3]);
    expect(Object.is(a[3], 0)).toBe(true);
    expect(parseAlphaSpec('-3:12.5:0.5')).toHaveLength(32);
    expect(parseAlphaSpec('-3:12.5:0.5')[31]).toBe(12.5);
  });

  it('stops before the end when the span is not a whole number of steps (like XFOIL ASEQ)', () => {
    expect(parseAlphaSpec('0:1:0.3')).toEqual([0, 0.3, 0.6, 0.9]);
  });

  it('runs descending ranges with a negative step and rejects a step of the wrong sign', () => {
    expect(parseAlphaSpec('4:-2:-2')).toEqual([4, 2, 0, -2]);
    expect(errorOf(() => parseAlphaSpec('4:-2:2'))).toMatch(/step 2 goes away from -2.*negative step/);
    expect(errorOf(() => parseAlphaSpec('0:5:-1'))).toMatch(/positive step/);
  });

  it('accepts exponents and a degenerate range', () => {
    expect(parseAlphaSpec('1e0:3e0:5e-1')).toEqual([1, 1.5, 2, 2.5, 3]);
    expect(parseAlphaSpec('2:2:1')).toEqual([2]);
  });
});

describe('parseAlphaSpec lists', () => {
  it('parses comma lists with spaces and signs, keeping order and duplicates', () => {
    expect(parseAlphaSpec(' 0, 2 ,-4, +1.5,2')).toEqual([0, 2, -4, 1.5, 2]);
    expect(parseAlphaSpec('4')).toEqual([4]);
    expect(parseAlphaSpec('.5')).toEqual([0.5]);
  });

  it('mixes ranges and single values', () => {
    expect(parseAlphaSpec('-4:0:2,1,8:10:1')).toEqual([-4, -2, 0, 1, 8, 9, 10]);
  });
});

describe('parseAlphaSpec errors', () => {
  it.each([
    ['', /empty alpha specification/],
    ['   ', /empty alpha specification/],
    ['0,,2', /empty item between commas/],
    ['0,2,', /empty item between commas/],
    ['abc', /'abc' is not a number/],
    ['0x10', /'0x10' is not a number/],
    ['1..2', /not a number/],
    ['Infinity', /not a number/],
    ['nan', /not a number/],
    ['0:10', /must be start:end:step/],
    ['0:10:1:2', /must be start:end:step/],
    ['0:10:0', /step must not be 0/],
    ['0::1', /'' is not a number/],
  ])('rejects %j', (spec, re) => {
    expect(errorOf(() => parseAlphaSpec(spec))).toMatch(re);
  });

  it('names the specification in the message', () => {
    expect(errorOf(() => parseAlphaSpec('0,x'))).toBe("alpha specification '0,x': 'x' is not a number");
  });

  it('refuses more than MAX_SPEC_VALUES values', () => {
    expect(parseAlphaSpec(`0:${MAX_SPEC_VALUES - 1}:1`)).toHaveLength(MAX_SPEC_VALUES);
    expect(errorOf(() => parseAlphaSpec('0:10:1e-9'))).toMatch(/at most 10000/);
    const many = Array.from({ length: MAX_SPEC_VALUES + 1 }, (_, i) => String(i)).join(',');
    expect(errorOf(() => parseAlphaSpec(many))).toMatch(/more than 10000 values/);
  });
});

describe('parseClSpec / parseSweepSpec', () => {
  it('parses CL sweeps with the same rules and names CL in errors', () => {
    expect(parseClSpec('0.2:1:0.2')).toEqual([0.2, 0.4, 0.6, 0.8, 1]);
    expect(errorOf(() => parseClSpec('0.2:y:0.2'))).toMatch(/^CL specification/);
    expect(parseSweepSpec('1,2', 'Re')).toEqual([1, 2]);
  });
});
