/**
 * ConditionEncoder: flow conditions -> the operator's condition features, and the assembly of a full
 * raw input row (geometry features from encoding.ts, then conditions). Raw rows are standardized
 * inside the model (InputNormalization, model.ts).
 *
 * Features: alpha in radians; ln Re; Mach; the Prandtl-Glauert factor 1 / sqrt(1 - M^2) - 1; Ncrit;
 * trip x/c upper and lower (1 = free transition). Mirroring the airfoil negates alpha and swaps the
 * trips.
 */
import type { GeometryEncoding } from './encoding';

export const CONDITION_FEATURES = [
  'alphaRad',
  'lnRe',
  'mach',
  'prandtlGlauert',
  'nCrit',
  'tripTop',
  'tripBot',
] as const;
/** Sign of each condition feature under mirroring (the trips are swapped, see TRIP_COLUMNS). */
export const MIRROR_SIGNS_CONDITIONS = [-1, 1, 1, 1, 1, 1, 1];
/** Columns of the trip features inside the condition block. */
export const TRIP_COLUMNS = [5, 6] as const;
/** Column of alpha inside the condition block, and d(feature)/d(alpha in degrees). */
export const ALPHA_COLUMN = 0;
export const ALPHA_FEATURE_PER_DEG = Math.PI / 180;

/** Flow conditions of one operator evaluation (defaults: M 0, Ncrit 9, free transition). */
export interface OperatorConditions {
  alphaDeg: number;
  re: number;
  mach?: number;
  nCrit?: number;
  /** trip x/c on the upper surface (1 = free transition) */
  xtrTop?: number;
  /** trip x/c on the lower surface (1 = free transition) */
  xtrBot?: number;
}

/** Writes the condition features of `c` at out[offset ..]. */
export function encodeConditions(
  c: OperatorConditions,
  out: Float32Array | Float64Array,
  offset: number,
): void {
  const mach = c.mach ?? 0;
  out[offset] = (c.alphaDeg * Math.PI) / 180;
  out[offset + 1] = Math.log(c.re);
  out[offset + 2] = mach;
  out[offset + 3] = 1 / Math.sqrt(1 - mach * mach) - 1;
  out[offset + 4] = c.nCrit ?? 9;
  out[offset + 5] = Math.min(1, c.xtrTop ?? 1);
  out[offset + 6] = Math.min(1, c.xtrBot ?? 1);
}

/** One raw input row: geometry features of the nodes (x, y), then the condition features. */
export function encodeRow(
  encoder: GeometryEncoding,
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  c: OperatorConditions,
  out: Float32Array | Float64Array,
  offset = 0,
): void {
  encoder.encode(x, y, out, offset);
  encodeConditions(c, out, offset + encoder.featureCount);
}
