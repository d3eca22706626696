/**
 * Geometry encoding of the operator: resolution independence (80 / 160 / 320 nodes give the same
 * features), spectral reconstruction of thickness and camber, mirror symmetry, and the exact
 * vector-Jacobian product against central differences.
 */
import { loadAirfoil } from '../../src/geometry/lookup';
import { prepareAirfoil } from '../../src/flow/analyze';
import { DEFAULT_ENCODING, GeometryEncoder, mirrorGeometryFeatures } from '../../src/operator/encoding';
import type { Airfoil } from '../../src/geometry/types';

const enc = new GeometryEncoder(DEFAULT_ENCODING);
const M = DEFAULT_ENCODING.modes;
const features = (a: Airfoil) => {
  const f = new Float64Array(enc.featureCount);
  enc.encode(a.x, a.y, f);
  return f;
};
const maxAbs = (a: Float64Array, b: Float64Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

describe('geometry encoding', () => {
  it('NACA 0012: symmetric (no camber), thickness series reproduces the formula', () => {
    const a = prepareAirfoil(loadAirfoil('naca0012'), { panels: 160 });
    const f = features(a);
    for (let k = 0; k < M; k++) expect(Math.abs(f[M + k])).toBeLessThan(2e-5);
    // reconstruct t(psi) from the modes and compare with the NACA thickness formula at the grid points
    const { x, t } = enc.distributions(a.x, a.y);
    let worst = 0;
    for (let g = 1; g < x.length - 1; g++) {
      let s = f[2 * M] * x[g];
      for (let k = 0; k < M; k++) s += f[k] * Math.sin((k + 1) * enc.psi[g]);
      const xx = x[g];
      const tNaca = 0.12 * 5 * (0.2969 * Math.sqrt(xx) - 0.126 * xx - 0.3516 * xx ** 2 + 0.2843 * xx ** 3 - 0.1015 * xx ** 4) * 2;
      worst = Math.max(worst, Math.abs(s - tNaca), Math.abs(t[g] - tNaca));
    }
    expect(worst).toBeLessThan(1e-3);
  });

  it('is resolution independent: 80, 160 and 320 nodes give the same features', () => {
    for (const name of ['naca2412', 'e387', 's1223']) {
      const raw = loadAirfoil(name);
      const f160 = features(prepareAirfoil(raw, { panels: 160 }));
      const f80 = features(prepareAirfoil(raw, { panels: 80 }));
      const f320 = features(prepareAirfoil(raw, { panels: 320 }));
      const scale = Math.max(...f160.map(Math.abs));
      expect(maxAbs(f80, f160) / scale).toBeLessThan(0.02);
      expect(maxAbs(f320, f160) / scale).toBeLessThan(0.005);
    }
  });

  it('mirrors: the mirrored airfoil encodes to the mirrored features', () => {
    const a = prepareAirfoil(loadAirfoil('naca4412'), { panels: 160 });
    const n = a.x.length;
    const m: Airfoil = { name: 'm', x: new Float64Array(n), y: new Float64Array(n) };
    for (let i = 0; i < n; i++) {
      m.x[i] = a.x[n - 1 - i];
      m.y[i] = -a.y[n - 1 - i];
    }
    const f = features(a);
    mirrorGeometryFeatures(f, DEFAULT_ENCODING);
    expect(maxAbs(features(m), f)).toBeLessThan(1e-12);
  });

  it('vector-Jacobian product equals central differences', () => {
    const a = prepareAirfoil(loadAirfoil('naca2412'), { panels: 100 });
    const n = a.x.length;
    const gf = Float64Array.from({ length: enc.featureCount }, (_, i) => Math.sin(1.7 * i + 0.3));
    const gx = new Float64Array(n);
    const gy = new Float64Array(n);
    enc.vjp(a.x, a.y, gf, gx, gy);
    const L = (x: Float64Array, y: Float64Array) => {
      const f = new Float64Array(enc.featureCount);
      enc.encode(x, y, f);
      return f.reduce((s, v, i) => s + v * gf[i], 0);
    };
    const h = 1e-7;
    let errY = 0;
    let errX = 0;
    let scale = 0;
    for (let i = 0; i < n; i++) {
      const y1 = Float64Array.from(a.y);
      y1[i] += h;
      const y2 = Float64Array.from(a.y);
      y2[i] -= h;
      errY = Math.max(errY, Math.abs((L(a.x, y1) - L(a.x, y2)) / (2 * h) - gy[i]));
      scale = Math.max(scale, Math.abs(gy[i]));
      if (a.x[i] < 1e-3 || a.x[i] > 0.999) continue; // capped slope at the LE and TE nodes
      const x1 = Float64Array.from(a.x);
      x1[i] += h;
      const x2 = Float64Array.from(a.x);
      x2[i] -= h;
      errX = Math.max(errX, Math.abs((L(x1, a.y) - L(x2, a.y)) / (2 * h) - gx[i]));
    }
    expect(errY / scale).toBeLessThan(1e-6);
    expect(errX / scale).toBeLessThan(1e-4);
  });
});
