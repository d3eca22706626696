/**
 * Viscous/inviscid coupled solver (src/flow/viscous.ts, analyze.ts) against XFOIL 6.99.
 *
 * - exact geometry: XFOIL run on exactly our 160 nodes (viscous-fixture.ts) must agree to XFOIL's
 *   printed precision, station by station in the boundary layer too;
 * - the committed polar fixtures (XFOIL's own NACA geometry and paneling) within the issue's
 *   tolerances;
 * - fixed-CL mode, sweeps, the Newton Jacobian against finite differences, and robustness.
 */
import { analyze, sweepOrder } from '../../src/flow/analyze';
import { inviscidSolution } from '../../src/flow/inviscid';
import type { PointResult } from '../../src/flow/types';
import { createSolver, type ViscousSolver } from '../../src/flow/viscous';
import { loadAirfoil } from '../../src/geometry/lookup';
import type { Airfoil } from '../../src/geometry/types';
import { loadFixture } from '../fixtures/xfoil/fixtures';
import { NACA2412_BL_A4, NACA2412_X, NACA2412_XFOIL, NACA2412_Y } from './viscous-fixture';

const exactNaca2412: Airfoil = { name: 'NACA 2412 (160 nodes)', x: NACA2412_X, y: NACA2412_Y };

function expectFinitePoint(r: PointResult): void {
  for (const v of [r.alpha, r.cl, r.cd, r.cdp, r.cdf, r.cm, r.xtrTop, r.xtrBot, r.residual]) {
    expect(Number.isFinite(v)).toBe(true);
  }
}

describe('viscous solver on the exact XFOIL geometry (NACA 2412, Re 1e6)', () => {
  const solver = createSolver(exactNaca2412, { re: 1e6 });
  const results = NACA2412_XFOIL.map((p) => solver.solveAlpha(p.alpha));

  it.each(NACA2412_XFOIL.map((p, k) => [p.alpha, k]))(
    'alpha %d matches XFOIL to its printed precision',
    (_a, k) => {
      const r = results[k as number];
      const x = NACA2412_XFOIL[k as number];
      expect(r.converged).toBe(true);
      expect(r.residual).toBeLessThan(1e-4);
      expectFinitePoint(r);
      expect(Math.abs(r.cl - x.cl)).toBeLessThan(2e-4);
      expect(Math.abs(r.cd - x.cd) / x.cd).toBeLessThan(0.005);
      expect(Math.abs(r.cm - x.cm)).toBeLessThan(2e-4);
      expect(Math.abs(r.xtrTop - x.xtr_top)).toBeLessThan(1e-3);
      expect(Math.abs(r.xtrBot - x.xtr_bot)).toBeLessThan(1e-3);
      // drag bookkeeping: CDP = CD - CDF, friction drag positive and smaller than the total
      expect(r.cdp).toBeCloseTo(r.cd - r.cdf, 12);
      expect(r.cdf).toBeGreaterThan(0);
      expect(r.cdf).toBeLessThan(r.cd);
    },
  );

  it('boundary layer at alpha 4 matches XFOIL DUMP station by station', () => {
    const bl = results[1].boundaryLayer!;
    // XFOIL rows in panel order: upper TE..LE = top reversed, lower LE..TE = bottom, then the wake
    const nTop = bl.top.x.length;
    const nBot = bl.bottom.x.length;
    expect(nTop + nBot).toBe(160);
    expect(bl.wake.x.length).toBe(23);
    for (const [row, , x, y, ue, ds, th, cf] of NACA2412_BL_A4) {
      let side = bl.top;
      let k = nTop - 1 - row;
      if (row >= nTop && row < 160) {
        side = bl.bottom;
        k = row - nTop;
      } else if (row >= 160) {
        side = bl.wake;
        k = row - 160;
      }
      expect(Math.abs(side.x[k] - x)).toBeLessThan(1e-5);
      expect(Math.abs(side.y[k] - y)).toBeLessThan(1e-5);
      expect(Math.abs(side.ue[k] - Math.abs(ue))).toBeLessThan(2e-5);
      expect(Math.abs(side.theta[k] - th)).toBeLessThan(0.002 * th + 1e-6);
      expect(Math.abs(side.deltaStar[k] - ds)).toBeLessThan(0.002 * ds + 1e-6);
      expect(Math.abs(side.cf[k] - cf)).toBeLessThan(0.002 * Math.abs(cf) + 1e-6);
    }
    // physics sanity: positive edge speed on the surfaces, theta grows along the upper surface
    for (const side of [bl.top, bl.bottom]) for (const u of side.ue) expect(u).toBeGreaterThan(0);
    expect(bl.top.theta[nTop - 1]).toBeGreaterThan(bl.top.theta[Math.floor(nTop / 2)]);
    // laminar before transition, turbulent after it; the wake is turbulent
    expect(bl.top.turbulent[0]).toBe(0);
    expect(bl.top.turbulent[nTop - 1]).toBe(1);
    expect(Array.from(bl.wake.turbulent).every((t) => t === 1)).toBe(true);
  });
});

describe('analyze() against the committed XFOIL polars (XFOIL NACA geometry + PANE)', () => {
  it('NACA 2412 Re 1e6, alpha 0 / 4 / 8', () => {
    const fx = loadFixture('naca2412_re1e6');
    const rs = analyze(loadAirfoil('naca2412'), { re: 1e6, alphaDeg: [0, 4, 8] });
    for (const r of rs) {
      const x = fx.points.find((p) => p.alpha === r.alpha)!;
      expect(r.converged).toBe(true);
      // our NACA generator applies the thickness normal to the camber line, XFOIL's NACA command
      // vertically: this, not the solver, is the source of the small differences here
      expect(Math.abs(r.cl - x.cl)).toBeLessThan(0.01);
      expect(Math.abs(r.cd - x.cd) / x.cd).toBeLessThan(0.05);
      expect(Math.abs(r.cm - x.cm)).toBeLessThan(0.005);
      expect(Math.abs(r.xtrTop - x.xtrTop)).toBeLessThan(0.02);
      expect(Math.abs(r.xtrBot - x.xtrBot)).toBeLessThan(0.02);
    }
  });

  it('NACA 0012 Re 1e6, alpha 0 (symmetric: same geometry as XFOIL)', () => {
    const fx = loadFixture('naca0012_re1e6');
    const x = fx.points.find((p) => p.alpha === 0)!;
    const [r] = analyze(loadAirfoil('naca0012'), { re: 1e6, alphaDeg: 0 });
    expect(r.converged).toBe(true);
    expect(Math.abs(r.cl)).toBeLessThan(1e-4);
    expect(Math.abs(r.cm)).toBeLessThan(1e-4);
    expect(Math.abs(r.cd - x.cd) / x.cd).toBeLessThan(0.01);
    expect(Math.abs(r.xtrTop - x.xtrTop)).toBeLessThan(0.005);
    expect(Math.abs(r.xtrTop - r.xtrBot)).toBeLessThan(1e-3);
  });

  it('a -4..12 deg polar converges every point XFOIL converged, results in the requested order', () => {
    const fx = loadFixture('naca2412_re1e6');
    const alphas = Array.from({ length: 17 }, (_, k) => k - 4);
    const rs = analyze(loadAirfoil('naca2412'), { re: 1e6, alphaDeg: alphas });
    expect(rs.map((r) => r.alpha)).toEqual(alphas);
    for (const p of fx.points) {
      const r = rs[alphas.indexOf(p.alpha)];
      expect(r.converged).toBe(true);
      expect(Math.abs(r.cl - p.cl)).toBeLessThan(0.01);
    }
    // CL rises with alpha over the linear range, drag bucket around small alpha
    for (let k = 1; k < rs.length; k++) expect(rs[k].cl).toBeGreaterThan(rs[k - 1].cl);
  });

  it('compressible (Mach 0.3) and tripped cases', () => {
    const fx = loadFixture('naca2412_re1e6_m0.3');
    const x = fx.points.find((p) => p.alpha === 2)!;
    const [r] = analyze(loadAirfoil('naca2412'), { re: 1e6, mach: 0.3, alphaDeg: 2 });
    expect(r.converged).toBe(true);
    expect(Math.abs(r.cl - x.cl)).toBeLessThan(0.01);
    expect(Math.abs(r.cd - x.cd) / x.cd).toBeLessThan(0.05);
    // a trip upstream of natural transition fixes the transition point and raises the drag
    const [free, tripped] = [
      analyze(loadAirfoil('naca0012'), { re: 1e6, alphaDeg: 2 })[0],
      analyze(loadAirfoil('naca0012'), { re: 1e6, xtrTop: 0.1, xtrBot: 0.2, alphaDeg: 2 })[0],
    ];
    expect(tripped.converged).toBe(true);
    expect(Math.abs(tripped.xtrTop - 0.1)).toBeLessThan(2e-3);
    expect(Math.abs(tripped.xtrBot - 0.2)).toBeLessThan(2e-3);
    expect(tripped.cd).toBeGreaterThan(1.3 * free.cd);
  });
});

describe('fixed-CL mode', () => {
  it('reproduces the alpha of a fixed-alpha solve', () => {
    const a = createSolver(exactNaca2412, { re: 1e6 }).solveAlpha(4);
    const b = createSolver(exactNaca2412, { re: 1e6 }).solveCl(a.cl);
    expect(b.converged).toBe(true);
    expect(Math.abs(b.alpha - 4)).toBeLessThan(1e-3);
    expect(Math.abs(b.cl - a.cl)).toBeLessThan(1e-5);
    expect(Math.abs(b.cd - a.cd) / a.cd).toBeLessThan(1e-3);
    expect(Math.abs(b.cm - a.cm)).toBeLessThan(1e-4);
  });

  it('a CL sweep through analyze()', () => {
    const rs = analyze(loadAirfoil('naca2412'), { re: 1e6, cl: [0.8, -0.1, 0.5] });
    expect(rs.map((r) => r.converged)).toEqual([true, true, true]);
    expect(rs.map((r) => Math.round(r.cl * 1e4) / 1e4)).toEqual([0.8, -0.1, 0.5]);
    expect(rs[0].alpha).toBeGreaterThan(rs[2].alpha);
    expect(rs[2].alpha).toBeGreaterThan(rs[1].alpha);
  });
});

describe('Newton system', () => {
  /** Residuals R of the current state with ue = ue_inv + D m and ds = m/ue (no march). */
  function residual(s: ViscousSolver): Float64Array {
    const J = s.jacobian();
    const r = new Float64Array(3 * J.nsys);
    for (let i = 0; i < 3 * J.nsys; i++) r[i] = -J.rhs[2 * i];
    return r;
  }

  it('the assembled Jacobian matches finite differences of the residuals', () => {
    const s = createSolver(exactNaca2412, { re: 1e6 });
    expect(s.solveAlpha(2).converged).toBe(true);
    const S = s.state!;
    const map = s.map!;
    const J = s.jacobian();
    const nsys = J.nsys;
    // stations: near the LE, laminar, around transition, turbulent, TE, wake (both sides)
    const probes: Array<[number, number]> = [
      [0, 2],
      [0, 30],
      [0, S.itran[0] - 1],
      [0, S.itran[0]],
      [0, map.iblte[0]],
      [1, 20],
      [1, S.itran[1]],
      [1, map.iblte[1] + 1],
      [1, map.nbl[1] - 3],
    ];
    for (const [side, ibl] of probes) {
      const jv = map.isys[side][ibl];
      for (let v = 0; v < 3; v++) {
        const arr = v === 0 ? S.ctau[side] : v === 1 ? S.thet[side] : S.mass[side];
        const x0 = arr[ibl];
        const h = 1e-6 * Math.abs(x0);
        arr[ibl] = x0 + h;
        const rp = residual(s);
        arr[ibl] = x0 - h;
        const rm = residual(s);
        arr[ibl] = x0;
        let err = 0;
        let scale = 0;
        for (let iv = 0; iv < nsys; iv++) {
          for (let k = 0; k < 3; k++) {
            let a: number;
            if (v < 2) {
              a = 0;
              if (iv === jv) a += J.va[iv * 6 + 2 * k + v];
              if (iv === jv + 1) a += J.vb[iv * 6 + 2 * k + v];
              if (iv === J.ivz && jv === J.ivte1) a += J.vz[2 * k + v];
            } else {
              a = J.vm[(iv * 3 + k) * J.cap + jv];
            }
            const fd = (rp[iv * 3 + k] - rm[iv * 3 + k]) / (2 * h);
            err = Math.max(err, Math.abs(fd - a));
            scale = Math.max(scale, Math.abs(a));
          }
        }
        expect(err).toBeLessThan(1e-4 * scale);
      }
    }
  });
});

describe('robustness', () => {
  const naca = loadAirfoil('naca2412');

  it('non-finite alpha and absurd inputs give converged: false without throwing', () => {
    const rs = analyze(naca, { re: 1e6, alphaDeg: [NaN, 2] });
    expect(rs[0].converged).toBe(false);
    expect(rs[1].converged).toBe(true);
    const nanShape = { ...naca, y: Float64Array.from(naca.y) };
    nanShape.y[10] = NaN;
    expect(analyze(nanShape, { re: 1e6, alphaDeg: 2 })[0].converged).toBe(false);
    const n = 61;
    const zig = { name: 'zigzag', x: new Float64Array(n), y: new Float64Array(n) };
    for (let i = 0; i < n; i++) {
      const t = i / (n - 1);
      zig.x[i] = Math.abs(1 - 2 * t);
      zig.y[i] = 0.2 * Math.sin(37 * t) * (1 - zig.x[i]);
    }
    expect(analyze(zig, { re: 1e6, alphaDeg: 2 })[0].converged).toBe(false);
    const flat = { name: 'flat', x: Float64Array.from([1, 0.5, 0, 0.5, 1]), y: new Float64Array(5) };
    expect(analyze(flat, { re: 1e6, alphaDeg: 2 })[0].converged).toBe(false);
  });

  it('huge Re, stalled alpha and unreachable CL end within the iteration cap, never as silent NaN', () => {
    const rs = [
      ...analyze(naca, { re: 1e12, alphaDeg: 2 }),
      ...analyze(naca, { re: 1e6, alphaDeg: 90 }),
      ...analyze(naca, { re: 1e6, cl: 3 }),
    ];
    for (const r of rs) {
      const values = [r.cl, r.cd, r.cm, r.xtrTop, r.xtrBot];
      if (r.converged) values.forEach((v) => expect(Number.isFinite(v)).toBe(true));
    }
    expect(rs[2].converged).toBe(false);
  });

  it('invalid flow conditions are user errors', () => {
    expect(() => analyze(naca, { re: -1, alphaDeg: 0 })).toThrow(/Reynolds/);
    expect(() => analyze(naca, { re: 1e6, mach: 1.2, alphaDeg: 0 })).toThrow(/Mach/);
    expect(() => analyze(naca, { re: 1e6 })).toThrow(/alphaDeg or cl/);
  });
});

describe('inviscid mode and sweep order', () => {
  it('Re = 0 gives the panel-method forces and zero drag', () => {
    const s = createSolver(exactNaca2412, { re: 0 });
    const r = s.solveAlpha(4);
    const inv = inviscidSolution(s.inv, (4 * Math.PI) / 180);
    expect(r.converged).toBe(true);
    expect(r.cl).toBeCloseTo(inv.cl, 12);
    expect(r.cm).toBeCloseTo(inv.cm, 12);
    expect(r.cd).toBe(0);
    const c = s.solveCl(0.5);
    expect(c.cl).toBeCloseTo(0.5, 10);
  });

  it('sweeps start nearest 0 and march outward both ways', () => {
    expect(sweepOrder([4, -2, 0, 8, -4])).toEqual({ up: [0, 4, 8], down: [-2, -4] });
    expect(sweepOrder([6, 2, 4])).toEqual({ up: [2, 4, 6], down: [] });
    expect(sweepOrder([-1, -3, NaN])).toEqual({ up: [-1], down: [-3] });
  });
});
