/**
 * The ablation baseline's geometry encoding: the CST fit (Kulfan, 8 weights per side + LE weight + TE
 * thickness, src/geometry/param/cst.ts, least squares) of the airfoil's points — NeuralFoil's input.
 * Not differentiable with respect to the points here (the baseline is evaluated, not optimized).
 */
import { CstParametrization } from '../geometry/param/cst';
import type { Airfoil } from '../geometry/types';
import type { EncodingSpec, GeometryEncoding } from './encoding';

export class CstEncoder implements GeometryEncoding {
  readonly featureCount: number;
  private readonly cst: CstParametrization;
  constructor(readonly spec: EncodingSpec) {
    this.cst = new CstParametrization({ weightsPerSide: spec.modes, fitObjective: 'l2' });
    this.featureCount = 2 * spec.modes + 2;
  }
  encode(x: ArrayLike<number>, y: ArrayLike<number>, out: Float32Array | Float64Array, offset = 0): void {
    const a: Airfoil = { name: 'cst-encoder', x: Float64Array.from(x), y: Float64Array.from(y) };
    const { params } = this.cst.fit(a);
    for (let j = 0; j < this.featureCount; j++) out[offset + j] = params[j];
  }
  mirror(): { source: Int32Array; sign: Float32Array } {
    const n = this.spec.modes;
    const source = new Int32Array(this.featureCount);
    const sign = new Float32Array(this.featureCount).fill(-1);
    for (let i = 0; i < n; i++) {
      source[i] = n + i; // upper of the mirror = -lower
      source[n + i] = i;
    }
    source[2 * n] = 2 * n; // LE weight negates
    source[2 * n + 1] = 2 * n + 1; // TE thickness stays
    sign[2 * n + 1] = 1;
    return { source, sign };
  }
}
