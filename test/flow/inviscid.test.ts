import {
  airfoilSourceInfluence,
  buildInviscidSystem,
  cpFromSpeed,
  fieldVelocity,
  forceCoefficients,
  inviscidSolution,
  karmanTsien,
  panelGeometry,
} from '../../src/flow/inviscid';
import { luFactor, luSolve, luSolveMany } from '../../src/flow/dense-lu';
import { airfoilInfluence, newKernelOutput } from '../../src/flow/panel-kernels';
import { FoiloptError } from '../../src/errors';
import {
  XFOIL_REFERENCE,
  convergenceOrder,
  karmanTrefftz,
  nacaFixture,
  roundCoordinates,
} from './inviscid-fixtures';

const DEG = Math.PI / 180;

describe('panel geometry (SCALC, SEGSPL, NCALC, APCALC, TECALC)', () => {
  const a = nacaFixture(0.02, 0.4, 0.12, 61);
  const g = panelGeometry(a.x, a.y);

  test('spline TE tangents match the reference fixture (section 12)', () => {
    const ref = [-0.97924486745836, 0.20268079787469, 0.99729931374855, 0.07344439831873];
    const got = [g.xp[0], g.yp[0], g.xp[g.n - 1], g.yp[g.n - 1]];
    for (let k = 0; k < 4; k++) expect(Math.abs(got[k] - ref[k])).toBeLessThan(1e-13);
  });

  test('arc length, normals, panel angles and TE quantities', () => {
    expect(g.n).toBe(121);
    for (let i = 1; i < g.n; i++) {
      expect(g.s[i] - g.s[i - 1]).toBeCloseTo(Math.hypot(a.x[i] - a.x[i - 1], a.y[i] - a.y[i - 1]), 14);
    }
    // outward unit normals: upper surface points up, lower surface down (mid-chord nodes)
    for (let i = 0; i < g.n; i++) expect(Math.hypot(g.nx[i], g.ny[i])).toBeCloseTo(1, 14);
    expect(g.ny[30]).toBeGreaterThan(0.9);
    expect(g.ny[90]).toBeLessThan(-0.9);
    // panel angle = direction of the panel rotated by -90 deg: (sin ap, -cos ap) = unit tangent
    for (let j = 0; j < g.n - 1; j++) {
      const tx = (a.x[j + 1] - a.x[j]) / g.panelLength[j];
      const ty = (a.y[j + 1] - a.y[j]) / g.panelLength[j];
      expect(Math.sin(g.apanel[j])).toBeCloseTo(tx, 13);
      expect(-Math.cos(g.apanel[j])).toBeCloseTo(ty, 13);
    }
    // blunt TE: gap = 2 * 5 * 0.12 * (0.2969 - 0.126 - 0.3516 + 0.2843 - 0.1015) = 0.00252
    expect(g.dste).toBeCloseTo(0.00252, 12);
    expect(g.sharp).toBe(false);
    expect(g.gapPanel).toBe(true);
    // the gap is nearly normal to the bisector b (not normalized, |b| ~ 0.99): SCS ~ 1; ANTE^2 + ASTE^2 = |b|^2 DSTE^2
    expect(g.scs).toBeGreaterThan(0.98);
    const bx = 0.5 * (-g.xp[0] + g.xp[g.n - 1]);
    const by = 0.5 * (-g.yp[0] + g.yp[g.n - 1]);
    expect(g.ante ** 2 + g.aste ** 2).toBeCloseTo((bx * bx + by * by) * g.dste ** 2, 15);
    // LE near the origin, chord ~ 1
    expect(Math.abs(g.xle)).toBeLessThan(1e-3);
    expect(g.chord).toBeCloseTo(1, 3);
  });

  test('sharp TE detection and gap panel omission', () => {
    const s = nacaFixture(0.04, 0.4, 0.12, 61, -0.1036);
    const gs = panelGeometry(s.x, s.y);
    expect(gs.sharp).toBe(true);
    expect(gs.gapPanel).toBe(false);
    expect(gs.scs).toBe(1);
    expect(gs.sds).toBe(0);
    expect(gs.apanel[gs.n - 1]).toBe(Math.PI);
  });

  test('rejects too few nodes and doubled nodes with a FoiloptError', () => {
    expect(() => panelGeometry(new Float64Array(3), new Float64Array(3))).toThrow(FoiloptError);
    const d = nacaFixture(0, 0.4, 0.12, 11);
    const x = Float64Array.from([...d.x.subarray(0, 10), d.x[10], ...d.x.subarray(10)]);
    const y = Float64Array.from([...d.y.subarray(0, 10), d.y[10], ...d.y.subarray(10)]);
    expect(() => panelGeometry(x, y)).toThrow(/coincide/);
  });
});

describe('GGCALC / CLCALC against the reference check values (section 12)', () => {
  const a = nacaFixture(0.02, 0.4, 0.12, 61);
  const sys = buildInviscidSystem(panelGeometry(a.x, a.y));

  test('NACA 2412, alpha 4 deg, Mach 0 and 0.3: CL and CM to 1e-10', () => {
    const s0 = inviscidSolution(sys, 4 * DEG, 0);
    expect(Math.abs(s0.cl - 0.73819188006754)).toBeLessThan(1e-10);
    expect(Math.abs(s0.cm - -0.0618671848118547)).toBeLessThan(1e-10);
    const s3 = inviscidSolution(sys, 4 * DEG, 0.3);
    expect(Math.abs(s3.cl - 0.786510424459911)).toBeLessThan(1e-10);
    expect(Math.abs(s3.cm - -0.0646578280834769)).toBeLessThan(1e-10);
  });

  test('unit solutions satisfy psi = Psi0 at every node and the Kutta condition', () => {
    const g = sys.geom;
    const n = g.n;
    const ws = newKernelOutput(n, 0);
    for (const [gam, psiInf] of [
      [sys.gam0, (i: number) => g.y[i]],
      [sys.gam90, (i: number) => -g.x[i]],
    ] as const) {
      expect(Math.abs(gam[0] + gam[n - 1])).toBeLessThan(1e-13);
      for (let i = 0; i < n; i += 7) {
        airfoilInfluence(g, i, g.x[i], g.y[i], g.nx[i], g.ny[i], false, ws);
        let psi = psiInf(i);
        for (let j = 0; j < n; j++) psi += ws.dzdg[j] * gam[j];
        expect(Math.abs(psi - gam[n])).toBeLessThan(1e-12);
      }
    }
  });

  test('dgam/dalpha and dCL/dalpha agree with central differences', () => {
    const h = 1e-6;
    const s = inviscidSolution(sys, 3 * DEG, 0.3);
    const sp = inviscidSolution(sys, 3 * DEG + h, 0.3);
    const sm = inviscidSolution(sys, 3 * DEG - h, 0.3);
    expect(Math.abs((sp.cl - sm.cl) / (2 * h) - s.clAlpha)).toBeLessThan(1e-7);
    for (let i = 0; i < sys.geom.n; i += 10) {
      expect(Math.abs((sp.gam[i] - sm.gam[i]) / (2 * h) - s.dgamDalpha[i])).toBeLessThan(1e-8);
    }
    // thin-airfoil scale: dCL/dalpha ~ 2 pi (1 + 0.77 t/c) for a 12 % section
    expect(s.clAlpha).toBeGreaterThan(2 * Math.PI);
    expect(s.clAlpha).toBeLessThan(2 * Math.PI * 1.25);
  });

  test('Karman-Tsien Cp and forces reduce to the incompressible values at Mach 0', () => {
    const kt0 = karmanTsien(0);
    expect(cpFromSpeed(1.3, kt0)).toBeCloseTo(1 - 1.69, 15);
    const kt = karmanTsien(0.5);
    const beta = Math.sqrt(0.75);
    const cpi = 1 - 1.2 * 1.2;
    expect(cpFromSpeed(1.2, kt)).toBeCloseTo(cpi / (beta + (0.25 / (1 + beta)) * (cpi / 2)), 15);
    expect(() => karmanTsien(1)).toThrow(FoiloptError);
    // forceCoefficients: symmetric Cp distribution on a flat plate of length 1 -> CL = sum(dx Cp)
    const x = Float64Array.from([1, 0.5, 0, 0.5, 1]);
    const y = new Float64Array(5);
    const q = Float64Array.from([1, 1, 0, 1, 1]);
    const f = forceCoefficients(x, y, 5, q, null, 0, 0);
    expect(f.cl).toBeCloseTo(0, 15);
  });

  test('field velocity: zero normal velocity just outside the surface, |V| ~ |gam| at the wall', () => {
    const g = sys.geom;
    const s = inviscidSolution(sys, 4 * DEG, 0);
    const uv = new Float64Array(2);
    for (const i of [20, 45, 80, 100]) {
      // midpoint of panel i, pushed out by 1e-4 along the panel normal
      const tx = (g.x[i + 1] - g.x[i]) / g.panelLength[i];
      const ty = (g.y[i + 1] - g.y[i]) / g.panelLength[i];
      const xm = 0.5 * (g.x[i] + g.x[i + 1]) + 1e-4 * ty;
      const ym = 0.5 * (g.y[i] + g.y[i + 1]) - 1e-4 * tx;
      fieldVelocity(sys, s.gam, 4 * DEG, xm, ym, uv);
      const vn = uv[0] * ty - uv[1] * tx;
      const vt = uv[0] * tx + uv[1] * ty;
      expect(Math.abs(vn)).toBeLessThan(2e-3);
      // counterclockwise tangent: upper surface flow runs against it (vt = -gam)
      expect(Math.abs(-vt - 0.5 * (s.gam[i] + s.gam[i + 1]))).toBeLessThan(5e-3);
    }
  });
});

describe('sharp trailing edge (bisector row) against XFOIL 6.99', () => {
  test('NACA 4412 closed TE, alpha 4: Cp at all 121 nodes within the 5-decimal print precision', () => {
    const a = roundCoordinates(nacaFixture(0.04, 0.4, 0.12, 61, -0.1036));
    const sys = buildInviscidSystem(panelGeometry(a.x, a.y));
    expect(sys.geom.sharp).toBe(true);
    const s = inviscidSolution(sys, 4 * DEG, 0);
    const ref = XFOIL_REFERENCE.n4412s.cp;
    let err = 0;
    for (let i = 0; i < 121; i++) err = Math.max(err, Math.abs(s.cp[i] - ref[i]));
    expect(err).toBeLessThan(1e-5);
    // zero velocity along the bisector at the control point
    const uv = fieldVelocity(sys, s.gam, 4 * DEG, sys.xbis, sys.ybis, new Float64Array(2));
    expect(Math.abs(uv[0] * sys.cbis + uv[1] * sys.sbis)).toBeLessThan(1e-12);
  });
});

describe('dense LU', () => {
  test('solves random systems (single and many right-hand sides) to round-off', () => {
    const n = 37;
    const m = 5;
    let seed = 7;
    const rnd = (): number => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647 - 0.5;
    };
    const a = new Float64Array(n * n).map(() => rnd());
    const xs = new Float64Array(n * m).map(() => rnd());
    const b = new Float64Array(n * m);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < m; j++) {
        let s = 0;
        for (let k = 0; k < n; k++) s += a[i * n + k] * xs[k * m + j];
        b[i * m + j] = s;
      }
    }
    const lu = Float64Array.from(a);
    const piv = new Int32Array(n);
    luFactor(lu, n, piv);
    const many = Float64Array.from(b);
    luSolveMany(lu, n, piv, many, m);
    for (let i = 0; i < n * m; i++) expect(Math.abs(many[i] - xs[i])).toBeLessThan(1e-11);
    const one = new Float64Array(n);
    for (let i = 0; i < n; i++) one[i] = b[i * m + 2];
    luSolve(lu, n, piv, one);
    for (let i = 0; i < n; i++) expect(Math.abs(one[i] - xs[i * m + 2])).toBeLessThan(1e-11);
    expect(() => luFactor(new Float64Array(4), 2, new Int32Array(2))).toThrow(FoiloptError);
  });

  test('airfoil source block: dgam/dSIG solves the system with the source right-hand sides', () => {
    const a = nacaFixture(0, 0.4, 0.12, 21);
    const sys = buildInviscidSystem(panelGeometry(a.x, a.y));
    const d = airfoilSourceInfluence(sys);
    const n = sys.geom.n;
    const g = sys.geom;
    const ws = newKernelOutput(n, 0);
    // column j: psi_i(dgam) + dpsi_i/dSIG_j - dPsi0 = 0 at every node
    for (const j of [0, 5, 10, 17]) {
      for (let i = 0; i < n; i++) {
        airfoilInfluence(g, i, g.x[i], g.y[i], g.nx[i], g.ny[i], true, ws);
        let r = ws.dzdm[j] - d[n * n + j];
        for (let k = 0; k < n; k++) r += ws.dzdg[k] * d[k * n + j];
        expect(Math.abs(r)).toBeLessThan(1e-12);
      }
      expect(Math.abs(d[j] + d[(n - 1) * n + j])).toBeLessThan(1e-12);
    }
  });
});

describe('Karman-Trefftz airfoil: exact conformal-map solution, second-order convergence', () => {
  test('CL and L2(Cp) errors converge at second order (k = 1.9, 18 deg TE angle, alpha 4 deg)', () => {
    const alpha = 4 * DEG;
    const nodes = [50, 100, 200, 400];
    const clErr: number[] = [];
    const cpErr: number[] = [];
    for (const N of nodes) {
      const kt = karmanTrefftz(1.9, -0.1, 0.08, alpha, N);
      const g = panelGeometry(kt.x, kt.y);
      expect(g.sharp).toBe(true);
      const s = inviscidSolution(buildInviscidSystem(g), alpha, 0);
      clErr.push(Math.abs(s.cl - kt.clExact));
      // arc-length weighted L2 norm of the Cp error over the nodes (TE nodes excluded)
      let e2 = 0;
      let w = 0;
      for (let i = 1; i < N - 1; i++) {
        const ds = 0.5 * (g.s[i + 1] - g.s[i - 1]);
        e2 += (s.cp[i] - kt.cpExact[i]) ** 2 * ds;
        w += ds;
      }
      cpErr.push(Math.sqrt(e2 / w));
    }
    const pCl = convergenceOrder(nodes, clErr);
    const pCp = convergenceOrder(nodes, cpErr);
    // measured: CL error 2.7e-3, 5.4e-4, 1.3e-4, 3.0e-5 (order ~2.15); L2 Cp 2.8e-2 ... 4.9e-4 (~1.95)
    expect(pCl).toBeGreaterThan(1.7);
    expect(pCl).toBeLessThan(2.5);
    expect(pCp).toBeGreaterThan(1.7);
    expect(pCp).toBeLessThan(2.5);
    expect(clErr[3]).toBeLessThan(5e-5);
  });
});
