/** The geometry encoder of an encoding spec: spectral (default, the operator's) or CST (ablation). */
import { GeometryEncoder, type EncodingSpec, type GeometryEncoding } from './encoding';
import { CstEncoder } from './encoding-cst';
import { CONDITION_FEATURES, MIRROR_SIGNS_CONDITIONS, TRIP_COLUMNS } from './features';

export function createEncoder(spec: EncodingSpec): GeometryEncoding {
  return spec.kind === 'cst' ? new CstEncoder(spec) : new GeometryEncoder(spec);
}

/**
 * Mirror image of a full raw input row as a signed permutation: column j of the mirrored row is
 * sign[j] * row[source[j]] (geometry part from the encoder; alpha negated; trips swapped).
 */
export function inputMirror(encoder: GeometryEncoding): { source: Int32Array; sign: Float32Array } {
  const g = encoder.mirror();
  const fg = encoder.featureCount;
  const n = fg + CONDITION_FEATURES.length;
  const source = new Int32Array(n);
  const sign = new Float32Array(n);
  source.set(g.source);
  sign.set(g.sign);
  for (let j = 0; j < CONDITION_FEATURES.length; j++) {
    source[fg + j] = fg + j;
    sign[fg + j] = MIRROR_SIGNS_CONDITIONS[j];
  }
  source[fg + TRIP_COLUMNS[0]] = fg + TRIP_COLUMNS[1];
  source[fg + TRIP_COLUMNS[1]] = fg + TRIP_COLUMNS[0];
  return { source, sign };
}

/** Applies inputMirror to row `r` of `src` (width n) into `dst` at row `r2`. */
export function mirrorRow(
  m: { source: Int32Array; sign: Float32Array },
  src: Float32Array,
  r: number,
  dst: Float32Array,
  r2: number,
): void {
  const n = m.source.length;
  for (let j = 0; j < n; j++) dst[r2 * n + j] = m.sign[j] * src[r * n + m.source[j]];
}
