/**
 * The closed-form panel kernels (stream function and its directional derivative) against direct
 * numerical quadrature of the singularity integrals and against finite differences.
 */
import { buildInviscidSystem, panelGeometry } from '../../src/flow/inviscid';
import { airfoilInfluence, newKernelOutput, wakeSourceInfluence } from '../../src/flow/panel-kernels';
import { buildWake } from '../../src/flow/wake';
import { nacaFixture } from './inviscid-fixtures';

/** tanh-sinh nodes on [-3.5, 3.5], step 1/32: u = L/(1+e^{-2v}), L - u = L/(1+e^{2v}), weight */
function tanhSinh(L: number): { u: number[]; uc: number[]; w: number[] } {
  const u: number[] = [];
  const uc: number[] = [];
  const w: number[] = [];
  const h = 1 / 32;
  for (let t = -3.5; t <= 3.5 + 1e-12; t += h) {
    const v = 0.5 * Math.PI * Math.sinh(t);
    u.push(L / (1 + Math.exp(-2 * v)));
    uc.push(L / (1 + Math.exp(2 * v)));
    const ch = Math.cosh(v);
    w.push(((h * 0.5 * Math.PI * Math.cosh(t)) / (ch * ch)) * 0.5 * L);
  }
  return { u, uc, w };
}

/** seeded uniform random numbers in [-0.5, 0.5) */
function rng(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 16807) % 2147483647;
    return s / 2147483647 - 0.5;
  };
}

describe('panel kernels', () => {
  const a = nacaFixture(0.02, 0.4, 0.12, 13); // 25 nodes, blunt TE
  const g = panelGeometry(a.x, a.y);
  const sys = buildInviscidSystem(g);
  const wake = buildWake(sys, 5 * (Math.PI / 180), 1);
  const n = g.n;
  const nw = wake.nw;
  const rnd = rng(11);
  const gam = Float64Array.from({ length: n }, () => rnd());
  const sig = Float64Array.from({ length: n }, () => rnd());
  const sigw = Float64Array.from({ length: nw }, () => rnd());
  const ws = newKernelOutput(n, nw);

  /** node source densities (one-sided at the ends) and panel midpoint densities of a node-mass array */
  function densities(px: ArrayLike<number>, py: ArrayLike<number>, m: Float64Array, np: number) {
    const node = new Float64Array(np);
    const mid = new Float64Array(np - 1);
    for (let j = 0; j < np; j++) {
      const jm = Math.max(j - 1, 0);
      const jp = Math.min(j + 1, np - 1);
      node[j] = (m[jp] - m[jm]) / Math.hypot(px[jp] - px[jm], py[jp] - py[jm]);
    }
    for (let j = 0; j < np - 1; j++)
      mid[j] = (m[j + 1] - m[j]) / Math.hypot(px[j + 1] - px[j], py[j + 1] - py[j]);
    return { node, mid };
  }

  /**
   * Quadrature of (1/4pi) int gam ln r^2 ds (vortex) and -(1/2pi) int sigma (T - apanel) ds (source,
   * T = atan2(X, Y) in the panel frame: the global polar angle with the cut on the outward normal)
   * over the airfoil panels and the gap panel, at airfoil node i.
   */
  function psiQuadrature(i: number): number {
    const xi = g.x[i];
    const yi = g.y[i];
    const dens = densities(g.x, g.y, sig, n);
    let psi = 0;
    const panel = (
      x1: number,
      y1: number,
      x2: number,
      y2: number,
      ap: number,
      gamAt: (u: number, L: number) => number,
      sigAt: (u: number, L: number) => number,
      u0: number,
      u1: number,
    ): void => {
      const L = Math.hypot(x2 - x1, y2 - y1);
      const tx = (x2 - x1) / L;
      const ty = (y2 - y1) / L;
      const q = tanhSinh(u1 - u0);
      // interval ends (exact panel ends where they are ones, so node field points sit exactly on them)
      const ax = u0 === 0 ? x1 : 0.5 * (x1 + x2);
      const ay = u0 === 0 ? y1 : 0.5 * (y1 + y2);
      const bx = u1 === L ? x2 : 0.5 * (x1 + x2);
      const by = u1 === L ? y2 : 0.5 * (y1 + y2);
      for (let k = 0; k < q.u.length; k++) {
        // field point minus source point, accurate near both ends of [u0, u1]
        const near1 = q.u[k] < 0.5 * (u1 - u0);
        const u = near1 ? u0 + q.u[k] : u1 - q.uc[k];
        const vx = near1 ? xi - ax - q.u[k] * tx : xi - bx + q.uc[k] * tx;
        const vy = near1 ? yi - ay - q.u[k] * ty : yi - by + q.uc[k] * ty;
        const X = vx * tx + vy * ty;
        const Y = tx * vy - ty * vx;
        const r2 = vx * vx + vy * vy;
        psi +=
          q.w[k] *
          ((gamAt(u, L) * Math.log(r2)) / (4 * Math.PI) -
            (sigAt(u, L) * (Math.atan2(X, Y) - ap)) / (2 * Math.PI));
      }
    };
    for (let j = 0; j < n - 1; j++) {
      const L = g.panelLength[j];
      const gl = (u: number): number => gam[j] + ((gam[j + 1] - gam[j]) * u) / L;
      // half 1-0 and half 0-2 of the source density
      panel(
        g.x[j],
        g.y[j],
        g.x[j + 1],
        g.y[j + 1],
        g.apanel[j],
        gl,
        (u) => dens.node[j] + ((dens.mid[j] - dens.node[j]) * u) / (0.5 * L),
        0,
        0.5 * L,
      );
      panel(
        g.x[j],
        g.y[j],
        g.x[j + 1],
        g.y[j + 1],
        g.apanel[j],
        () => 0,
        (u) => dens.mid[j] + ((dens.node[j + 1] - dens.mid[j]) * (u - 0.5 * L)) / (0.5 * L),
        0.5 * L,
        L,
      );
      // (the vortex is integrated with the first half only; add its second half)
      panel(g.x[j], g.y[j], g.x[j + 1], g.y[j + 1], g.apanel[j], gl, () => 0, 0.5 * L, L);
    }
    // gap panel: uniform source and vortex tied to gam_0 - gam_(n-1)
    const sigTE = 0.5 * g.scs * (gam[0] - gam[n - 1]);
    const gamTE = -0.5 * g.sds * (gam[0] - gam[n - 1]);
    panel(
      g.x[n - 1],
      g.y[n - 1],
      g.x[0],
      g.y[0],
      g.apanel[n - 1],
      () => gamTE,
      () => sigTE,
      0,
      Math.hypot(g.x[0] - g.x[n - 1], g.y[0] - g.y[n - 1]),
    );
    return psi;
  }

  test('airfoil vortex + source + gap-panel stream function equals quadrature at the nodes', () => {
    let err = 0;
    for (let i = 0; i < n; i++) {
      airfoilInfluence(g, i, g.x[i], g.y[i], g.nx[i], g.ny[i], true, ws);
      let psi = 0;
      for (let j = 0; j < n; j++) psi += ws.dzdg[j] * gam[j] + ws.dzdm[j] * sig[j];
      err = Math.max(err, Math.abs(psi - psiQuadrature(i)));
    }
    expect(err).toBeLessThan(1e-11);
  });

  test('wake-source stream function on the airfoil = quadrature with a downstream branch cut (+ a constant)', () => {
    const dens = densities(wake.x, wake.y, sigw, nw);
    const diff: number[] = [];
    for (let i = 0; i < n; i++) {
      wakeSourceInfluence(wake, n, i, g.x[i], g.y[i], g.nx[i], g.ny[i], ws);
      let psi = 0;
      for (let k = 0; k < nw; k++) psi += ws.wzdm[k] * sigw[k];
      let ref = 0;
      for (let j = 0; j < nw - 1; j++) {
        const L = Math.hypot(wake.x[j + 1] - wake.x[j], wake.y[j + 1] - wake.y[j]);
        const tx = (wake.x[j + 1] - wake.x[j]) / L;
        const ty = (wake.y[j + 1] - wake.y[j]) / L;
        for (const half of [0, 1]) {
          const q = tanhSinh(0.5 * L);
          for (let k = 0; k < q.u.length; k++) {
            const u = half * 0.5 * L + q.u[k];
            const s =
              half === 0
                ? dens.node[j] + ((dens.mid[j] - dens.node[j]) * u) / (0.5 * L)
                : dens.mid[j] + ((dens.node[j + 1] - dens.mid[j]) * (u - 0.5 * L)) / (0.5 * L);
            const vx = g.x[i] - (wake.x[j] + u * tx);
            const vy = g.y[i] - (wake.y[j] + u * ty);
            // polar angle measured from -t: the cut runs downstream along the panel line
            const phi = Math.atan2(-tx * vy + ty * vx, -tx * vx - ty * vy);
            ref += (q.w[k] * s * phi) / (2 * Math.PI);
          }
        }
      }
      diff.push(psi - ref);
    }
    for (const d of diff) expect(Math.abs(d - diff[0])).toBeLessThan(1e-11);
  });

  test('directional derivatives equal central differences of the stream-function coefficients off the body', () => {
    const pts = [
      [0.5, 0.15],
      [0.3, -0.1],
      [1.2, 0.03],
      [1.05, -0.03],
      [-0.2, 0.1],
      [0.8, 0.0],
    ];
    const c = Math.cos(0.3);
    const s = Math.sin(0.3);
    const h = 1e-5;
    const wp = newKernelOutput(n, nw);
    const wm = newKernelOutput(n, nw);
    for (const [px, py] of pts) {
      airfoilInfluence(g, -1, px, py, c, s, true, ws);
      wakeSourceInfluence(wake, n, -1, px, py, c, s, ws);
      airfoilInfluence(g, -1, px + h * c, py + h * s, c, s, true, wp);
      wakeSourceInfluence(wake, n, -1, px + h * c, py + h * s, c, s, wp);
      airfoilInfluence(g, -1, px - h * c, py - h * s, c, s, true, wm);
      wakeSourceInfluence(wake, n, -1, px - h * c, py - h * s, c, s, wm);
      for (let j = 0; j < n; j++) {
        expect(Math.abs((wp.dzdg[j] - wm.dzdg[j]) / (2 * h) - ws.dqdg[j])).toBeLessThan(1e-7);
        expect(Math.abs((wp.dzdm[j] - wm.dzdm[j]) / (2 * h) - ws.dqdm[j])).toBeLessThan(1e-7);
      }
      for (let k = 0; k < nw; k++) {
        expect(Math.abs((wp.wzdm[k] - wm.wzdm[k]) / (2 * h) - ws.wqdm[k])).toBeLessThan(1e-7);
      }
    }
  });

  test('wake self-influence at a node of a straight wake is the principal value (mean of both sides)', () => {
    // straight, geometrically stretched source sheet: the tangential velocity is continuous across it
    const m = 9;
    const ang = 0.07;
    const sw = { nw: m, x: new Float64Array(m), y: new Float64Array(m), apanel: new Float64Array(m) };
    let d = 0.01;
    for (let k = 1; k < m; k++) {
      sw.x[k] = sw.x[k - 1] + d * Math.cos(ang);
      sw.y[k] = sw.y[k - 1] + d * Math.sin(ang);
      d *= 1.4;
    }
    sw.apanel.fill(Math.atan2(Math.cos(ang), -Math.sin(ang)));
    const nx = -Math.sin(ang);
    const ny = Math.cos(ang);
    const w0 = newKernelOutput(n, m);
    const wp = newKernelOutput(n, m);
    const wm = newKernelOutput(n, m);
    const eps = 1e-9;
    for (let k = 1; k < m - 1; k++) {
      const x = sw.x[k];
      const y = sw.y[k];
      wakeSourceInfluence(sw, n, n + k, x, y, nx, ny, w0);
      wakeSourceInfluence(sw, n, -1, x + eps * nx, y + eps * ny, nx, ny, wp);
      wakeSourceInfluence(sw, n, -1, x - eps * nx, y - eps * ny, nx, ny, wm);
      for (let l = 0; l < m; l++) {
        expect(Math.abs(wp.wqdm[l] - wm.wqdm[l])).toBeLessThan(1e-5 * Math.max(1, Math.abs(wp.wqdm[l])));
        const pv = 0.5 * (wp.wqdm[l] + wm.wqdm[l]);
        expect(Math.abs(w0.wqdm[l] - pv)).toBeLessThan(1e-5 * Math.max(1, Math.abs(pv)));
      }
    }
  });
});
