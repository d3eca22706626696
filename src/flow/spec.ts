/**
 * Operating-point specifications as the CLI and configs give them: "a0:a1:step" ranges and comma
 * lists, e.g. `--alpha -4:12:1`, `--alpha 0,2,4`, `--cl 0.2:1.0:0.2`, `--alpha -4:0:2,1,2`.
 */
import { FoiloptError } from '../errors';

/** Most values one specification may expand to (guards against typos such as a step of 1e-9). */
export const MAX_SPEC_VALUES = 10000;

/** A plain decimal number: optional sign, digits with optional fraction (or a bare fraction), exponent. */
const NUMBER_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Relative tolerance, in units of the step, with which the end of a range counts as reached:
 * "0:1:0.1" has (1 - 0)/0.1 = 9.999999999999998 steps in floating point and must still end at 1.
 */
const STEP_TOLERANCE = 1e-9;

/** Parses one number of a specification; FoiloptError naming the specification otherwise. */
function parseSpecNumber(raw: string, what: string, spec: string): number {
  const s = raw.trim();
  if (!NUMBER_RE.test(s)) {
    throw new FoiloptError(`${what} specification '${spec}': '${s}' is not a number`);
  }
  const v = Number(s);
  if (!Number.isFinite(v)) throw new FoiloptError(`${what} specification '${spec}': '${s}' is not finite`);
  return v;
}

/**
 * Removes floating-point noise from a range value a0 + i*step: rounds to a quantum 1e-9 times the
 * step's decade (so -0.3 + 3*0.1 -> 0 exactly), then to 15 significant digits (so
 * 0.30000000000000004 -> 0.3), and turns -0 into 0.
 */
function roundRangeValue(v: number, step: number): number {
  const quantum = 10 ** (Math.floor(Math.log10(Math.abs(step))) - 9);
  const clean = Number((Math.round(v / quantum) * quantum).toPrecision(15));
  return clean === 0 ? 0 : clean;
}

/** Expands "a0:a1:step" (inclusive of a1 when a1 - a0 is a whole number of steps, to 1e-9 steps). */
function expandRange(item: string, what: string, spec: string, out: number[]): void {
  const parts = item.split(':');
  if (parts.length !== 3) {
    throw new FoiloptError(`${what} specification '${spec}': range '${item.trim()}' must be start:end:step`);
  }
  const a0 = parseSpecNumber(parts[0], what, spec);
  const a1 = parseSpecNumber(parts[1], what, spec);
  const step = parseSpecNumber(parts[2], what, spec);
  if (step === 0) throw new FoiloptError(`${what} specification '${spec}': step must not be 0`);
  if (a0 === a1) {
    out.push(a0);
    return;
  }
  if ((a1 - a0) * step < 0) {
    throw new FoiloptError(
      `${what} specification '${spec}': step ${step} goes away from ${a1} (use a ${step > 0 ? 'negative' : 'positive'} step)`,
    );
  }
  const steps = Math.floor((a1 - a0) / step + STEP_TOLERANCE);
  if (steps + 1 > MAX_SPEC_VALUES) {
    throw new FoiloptError(
      `${what} specification '${spec}': ${steps + 1} values (at most ${MAX_SPEC_VALUES})`,
    );
  }
  for (let i = 0; i <= steps; i++) out.push(roundRangeValue(a0 + i * step, step));
  // the end point exactly as written when it is reached (within the tolerance)
  if (Math.abs(a0 + steps * step - a1) <= STEP_TOLERANCE * Math.abs(step)) out[out.length - 1] = a1;
}

/**
 * Parses a sweep specification: comma-separated items, each a number or an inclusive range
 * "start:end:step" (negative numbers and descending ranges with a negative step allowed; range
 * values are rounded to 1e-9 of the step's decade and 15 significant digits, so "0:1:0.1" gives exactly
 * 0, 0.1, ..., 1). The values keep the order written; duplicates are kept.
 * `what` names the quantity in error messages ("alpha", "CL").
 */
export function parseSweepSpec(spec: string, what: string): number[] {
  const s = spec.trim();
  if (s === '') throw new FoiloptError(`empty ${what} specification (expected e.g. -4:12:1 or 0,2,4)`);
  const out: number[] = [];
  for (const item of s.split(',')) {
    if (item.trim() === '')
      throw new FoiloptError(`${what} specification '${spec}': empty item between commas`);
    if (item.includes(':')) expandRange(item, what, spec, out);
    else out.push(parseSpecNumber(item, what, spec));
    if (out.length > MAX_SPEC_VALUES) {
      throw new FoiloptError(`${what} specification '${spec}': more than ${MAX_SPEC_VALUES} values`);
    }
  }
  return out;
}

/** Angles of attack in degrees from "a0:a1:step" and/or comma lists (see parseSweepSpec). */
export function parseAlphaSpec(spec: string): number[] {
  return parseSweepSpec(spec, 'alpha');
}

/** Lift coefficients from "c0:c1:step" and/or comma lists (see parseSweepSpec). */
export function parseClSpec(spec: string): number[] {
  return parseSweepSpec(spec, 'CL');
}
