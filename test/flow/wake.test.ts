/**
 * Wake (XYWAKE, QWCALC), source influence matrix (QDCALC), stagnation point and BL stations
 * (STFIND, IBLPAN, XICALC, UICALC, UESET).
 */
import {
  buildInviscidSystem,
  fieldVelocity,
  inviscidSolution,
  panelGeometry,
  type InviscidSystem,
} from '../../src/flow/inviscid';
import { airfoilInfluence, newKernelOutput, wakeSourceInfluence } from '../../src/flow/panel-kernels';
import { sourceInfluenceMatrix } from '../../src/flow/source-influence';
import {
  buildStationMap,
  edgeSpeedWithMass,
  inviscidEdgeSpeed,
  stagnationPoint,
  wakeGapCoefficients,
  WAKE_GAP_LENGTH_RATIO,
} from '../../src/flow/stations';
import { buildWake, geometricSpacing, wakeNodeCount, type Wake } from '../../src/flow/wake';
import { XFOIL_REFERENCE, nacaFixture, roundCoordinates } from './inviscid-fixtures';

const DEG = Math.PI / 180;

function setup(sharp: boolean, alphaDeg: number, np = 61): { sys: InviscidSystem; wake: Wake } {
  const a = sharp
    ? roundCoordinates(nacaFixture(0.04, 0.4, 0.12, np, -0.1036))
    : roundCoordinates(nacaFixture(0.02, 0.4, 0.12, np));
  const sys = buildInviscidSystem(panelGeometry(a.x, a.y));
  return { sys, wake: buildWake(sys, alphaDeg * DEG, 1) };
}

describe('wake trajectory (XYWAKE) and wake speeds (QWCALC)', () => {
  test('node count and geometric spacing (SETEXP)', () => {
    expect(wakeNodeCount(160, 1)).toBe(23);
    expect(wakeNodeCount(121, 1)).toBe(20);
    expect(wakeNodeCount(160, 2.5)).toBe(33);
    const s = geometricSpacing(0.01, 1, 23);
    expect(s[0]).toBe(0);
    expect(s[1]).toBeCloseTo(0.01, 15);
    expect(s[22]).toBeCloseTo(1, 12);
    const r = (s[2] - s[1]) / (s[1] - s[0]);
    for (let k = 2; k < 22; k++) expect((s[k + 1] - s[k]) / (s[k] - s[k - 1])).toBeCloseTo(r, 12);
  });

  for (const [name, sharp] of [
    ['n2412', false],
    ['n4412s', true],
  ] as const) {
    test(`${name} (${sharp ? 'sharp' : 'blunt'} TE), alpha 4: wake nodes match XFOIL 6.99 to print precision`, () => {
      const { sys, wake } = setup(sharp, 4);
      const ref = XFOIL_REFERENCE[name];
      expect(wake.nw).toBe(20);
      for (let k = 0; k < 20; k++) {
        expect(Math.abs(wake.x[k] - ref.wakeX[k])).toBeLessThan(1e-5);
        expect(Math.abs(wake.y[k] - ref.wakeY[k])).toBeLessThan(1e-5);
        expect(Math.abs(wake.s[k] - ref.wakeS[k])).toBeLessThan(1e-5);
      }
      const g = sys.geom;
      // first node 1e-4 behind the TE midpoint, total length WAKLEN * chord
      expect(Math.hypot(wake.x[0] - g.xte, wake.y[0] - g.yte)).toBeCloseTo(1e-4, 12);
      expect(wake.s[19] - wake.s[0]).toBeCloseTo(g.chord, 9);
    });
  }

  test('the wake follows the local flow direction and its speeds are the unit-solution tangential velocities', () => {
    const { sys, wake } = setup(false, 6);
    const alpha = 6 * DEG;
    const sol = inviscidSolution(sys, alpha, 0);
    const uv = new Float64Array(2);
    for (let k = 1; k < wake.nw; k++) {
      // step k-1 -> k is along the velocity at node k-1
      fieldVelocity(sys, sol.gam, alpha, wake.x[k - 1], wake.y[k - 1], uv);
      const dx = wake.x[k] - wake.x[k - 1];
      const dy = wake.y[k] - wake.y[k - 1];
      expect(
        Math.abs(uv[0] * dy - uv[1] * dx) / (Math.hypot(dx, dy) * Math.hypot(uv[0], uv[1])),
      ).toBeLessThan(1e-12);
      // q(alpha) = cos a q0 + sin a q90 = minus the velocity along the step direction (-ny, nx) at node k
      fieldVelocity(sys, sol.gam, alpha, wake.x[k], wake.y[k], uv);
      const q = Math.cos(alpha) * wake.q0[k] + Math.sin(alpha) * wake.q90[k];
      expect(q).toBeCloseTo(-(uv[0] * -wake.ny[k] + uv[1] * wake.nx[k]), 12);
      expect(-q).toBeGreaterThan(0.7); // slower just behind the blunt TE
      expect(-q).toBeLessThan(1.0);
    }
    expect(wake.q0[0]).toBe(sys.gam0[sys.geom.n - 1]);
    // speeds recover toward freestream downstream
    expect(
      -(Math.cos(alpha) * wake.q0[wake.nw - 1] + Math.sin(alpha) * wake.q90[wake.nw - 1]),
    ).toBeGreaterThan(0.98);
  });
});

describe('source influence matrix (QDCALC)', () => {
  for (const sharp of [false, true]) {
    test(`${sharp ? 'sharp' : 'blunt'} TE: DIJ satisfies the panel equations for an arbitrary source distribution`, () => {
      const { sys, wake } = setup(sharp, 3, 31);
      const g = sys.geom;
      const n = g.n;
      const nw = wake.nw;
      const si = sourceInfluenceMatrix(sys, wake);
      const nt = si.nTot;
      expect(nt).toBe(n + nw);
      let seed = 3;
      const sig = Float64Array.from({ length: nt }, () => {
        seed = (seed * 16807) % 2147483647;
        return seed / 2147483647 - 0.5;
      });
      const alpha = 3 * DEG;
      const sol = inviscidSolution(sys, alpha, 0);
      // total node speeds q = q_inv + DIJ sig
      const q = new Float64Array(nt);
      for (let i = 0; i < nt; i++) {
        let s = i < n ? sol.gam[i] : Math.cos(alpha) * wake.q0[i - n] + Math.sin(alpha) * wake.q90[i - n];
        for (let j = 0; j < nt; j++) s += si.dij[i * nt + j] * sig[j];
        q[i] = s;
      }
      const ws = newKernelOutput(n, nw);
      const sigA = sig.subarray(0, n);
      const sigW = sig.subarray(n);
      // airfoil: psi is the same constant at every node (except the bisector row when sharp), Kutta holds
      const psi: number[] = [];
      for (let i = 0; i < (sharp ? n - 1 : n); i++) {
        airfoilInfluence(g, i, g.x[i], g.y[i], g.nx[i], g.ny[i], true, ws);
        wakeSourceInfluence(wake, n, i, g.x[i], g.y[i], g.nx[i], g.ny[i], ws);
        let p = Math.cos(alpha) * g.y[i] - Math.sin(alpha) * g.x[i];
        for (let j = 0; j < n; j++) p += ws.dzdg[j] * q[j] + ws.dzdm[j] * sigA[j];
        for (let k = 0; k < nw; k++) p += ws.wzdm[k] * sigW[k];
        psi.push(p);
      }
      for (const p of psi) expect(Math.abs(p - psi[0])).toBeLessThan(1e-11);
      expect(Math.abs(q[0] + q[n - 1])).toBeLessThan(1e-12);
      if (sharp) {
        // zero bisector velocity from gam and the airfoil sources (XFOIL leaves wake sources out of this row)
        airfoilInfluence(g, -1, sys.xbis, sys.ybis, -sys.sbis, sys.cbis, true, ws);
        let vb = Math.cos(alpha) * sys.cbis + Math.sin(alpha) * sys.sbis;
        for (let j = 0; j < n; j++) vb += ws.dqdg[j] * q[j] + ws.dqdm[j] * sigA[j];
        expect(Math.abs(vb)).toBeLessThan(1e-11);
      }
      // wake nodes k >= 1: direct tangential velocity of all singularities along the node normal
      for (let k = 1; k < nw; k++) {
        const x = wake.x[k];
        const y = wake.y[k];
        airfoilInfluence(g, n + k, x, y, wake.nx[k], wake.ny[k], true, ws);
        wakeSourceInfluence(wake, n, n + k, x, y, wake.nx[k], wake.ny[k], ws);
        let v = Math.cos(alpha) * wake.ny[k] - Math.sin(alpha) * wake.nx[k];
        for (let j = 0; j < n; j++) v += ws.dqdg[j] * q[j] + ws.dqdm[j] * sigA[j];
        for (let l = 0; l < nw; l++) v += ws.wqdm[l] * sigW[l];
        expect(Math.abs(v - q[n + k])).toBeLessThan(1e-11);
      }
      // first wake node = TE node
      for (let j = 0; j < nt; j++) expect(si.dij[n * nt + j]).toBe(si.dij[(n - 1) * nt + j]);
    });
  }

  test('a source distribution thickening the body speeds up the outer flow (sign convention)', () => {
    const { sys, wake } = setup(false, 0, 41);
    const g = sys.geom;
    const n = g.n;
    const si = sourceInfluenceMatrix(sys, wake);
    const nt = si.nTot;
    // mass defect m = ue * delta* with delta* growing along each side; SIG = -v m (v = +1 upper, -1 lower/wake)
    const sol = inviscidSolution(sys, 0, 0);
    const stag = stagnationPoint(g.s, sol.gam, n);
    const map = buildStationMap(g, wake, stag);
    const ueInv: [Float64Array, Float64Array] = [new Float64Array(nt + 1), new Float64Array(nt + 1)];
    const dueA: [Float64Array, Float64Array] = [new Float64Array(nt + 1), new Float64Array(nt + 1)];
    inviscidEdgeSpeed(sys, wake, map, 0, ueInv, dueA);
    const mass: [Float64Array, Float64Array] = [new Float64Array(nt + 1), new Float64Array(nt + 1)];
    for (let is = 0; is < 2; is++) {
      for (let b = 1; b < map.nbl[is]; b++) mass[is][b] = ueInv[is][b] * 2e-3 * Math.sqrt(map.xi[is][b]);
    }
    const ue: [Float64Array, Float64Array] = [new Float64Array(nt + 1), new Float64Array(nt + 1)];
    edgeSpeedWithMass(si, map, ueInv, mass, ue);
    // mid-chord stations on both sides get faster
    for (let is = 0; is < 2; is++) {
      for (let b = 1; b <= map.iblte[is]; b++) {
        const i = map.ipan[is][b];
        if (g.x[i] > 0.2 && g.x[i] < 0.6) expect(ue[is][b]).toBeGreaterThan(ueInv[is][b]);
      }
    }
    // UESET equals the explicit sum -v_i sum_j v_j DIJ m_j
    const is = 1;
    const b = 5;
    let dui = 0;
    for (let js = 0; js < 2; js++) {
      for (let c = 1; c < map.nbl[js]; c++) {
        dui +=
          -map.vti[is][b] * map.vti[js][c] * si.dij[map.ipan[is][b] * nt + map.ipan[js][c]] * mass[js][c];
      }
    }
    expect(ue[is][b] - ueInv[is][b]).toBeCloseTo(dui, 14);
  });
});

describe('stagnation point and BL stations (STFIND, IBLPAN, XICALC, UICALC)', () => {
  const { sys, wake } = setup(false, 4);
  const g = sys.geom;
  const n = g.n;
  const nw = wake.nw;
  const sol = inviscidSolution(sys, 4 * DEG, 0);

  test('stagnation point: sign change, linear interpolation and its derivatives', () => {
    const st = stagnationPoint(g.s, sol.gam, n);
    expect(st.found).toBe(true);
    const i = st.ist;
    expect(sol.gam[i]).toBeGreaterThanOrEqual(0);
    expect(sol.gam[i + 1]).toBeLessThan(0);
    expect(st.sst).toBeGreaterThan(g.s[i]);
    expect(st.sst).toBeLessThan(g.s[i + 1]);
    // lower surface, near the LE at positive alpha
    expect(i).toBeGreaterThanOrEqual(60);
    expect(g.x[i]).toBeLessThan(0.02);
    const h = 1e-7;
    const q = Float64Array.from(sol.gam);
    q[i] += h;
    const sp = stagnationPoint(g.s, q, n).sst;
    q[i] -= 2 * h;
    const sm = stagnationPoint(g.s, q, n).sst;
    expect((sp - sm) / (2 * h)).toBeCloseTo(st.sstGo, 6);
    q[i] += h;
    q[i + 1] += h;
    const sp2 = stagnationPoint(g.s, q, n).sst;
    q[i + 1] -= 2 * h;
    const sm2 = stagnationPoint(g.s, q, n).sst;
    expect((sp2 - sm2) / (2 * h)).toBeCloseTo(st.sstGp, 6);
  });

  test('station map covers every node once; xi, vti, wake gap and inviscid ue', () => {
    const st = stagnationPoint(g.s, sol.gam, n);
    const map = buildStationMap(g, wake, st);
    expect(map.nbl[0]).toBe(st.ist + 2);
    expect(map.iblte[0]).toBe(st.ist + 1);
    expect(map.iblte[1]).toBe(n - 1 - st.ist);
    expect(map.nbl[1]).toBe(n - st.ist + nw);
    expect(map.nsys).toBe(n + nw);
    const seen = new Int32Array(n + nw);
    for (let is = 0; is < 2; is++) {
      expect(map.ipan[is][0]).toBe(-1);
      for (let b = 1; b < map.nbl[is]; b++) {
        const i = map.ipan[is][b];
        seen[i]++;
        expect(map.nodeSide[i]).toBe(is);
        expect(map.nodeStation[i]).toBe(b);
        expect(map.vti[is][b]).toBe(is === 0 ? 1 : -1);
        if (b > 1 && b !== map.iblte[1] + 1) expect(map.xi[is][b]).toBeGreaterThan(map.xi[is][b - 1]);
      }
    }
    for (let i = 0; i < n + nw; i++) expect(seen[i]).toBe(1);
    expect(map.ipan[0][map.iblte[0]]).toBe(0);
    expect(map.ipan[1][map.iblte[1]]).toBe(n - 1);
    expect(map.xi[0][1]).toBeCloseTo(st.sst - g.s[st.ist], 14);
    expect(map.xi[1][1]).toBeCloseTo(g.s[st.ist + 1] - st.sst, 14);
    // first wake station repeats the TE xi; then wake panel lengths
    const ite = map.iblte[1];
    expect(map.xi[1][ite + 1]).toBe(map.xi[1][ite]);
    expect(map.xi[1][ite + 2] - map.xi[1][ite + 1]).toBeCloseTo(
      Math.hypot(wake.x[1] - wake.x[0], wake.y[1] - wake.y[0]),
      14,
    );
    // wake gap: the TE gap at the TE (A + B = 1), zero beyond TELRAT * ANTE, slope dwdxte at the TE
    expect(map.wgap[0]).toBeCloseTo(g.ante, 15);
    const { dwdxte, aa, bb } = wakeGapCoefficients(g);
    expect(aa + bb).toBeCloseTo(1, 15);
    const gap = (dxi: number): number => {
      const zn = 1 - dxi / (WAKE_GAP_LENGTH_RATIO * g.ante);
      return zn >= 0 ? g.ante * (aa + bb * zn) * zn * zn : 0;
    };
    expect((gap(1e-7) - gap(-1e-7)) / 2e-7).toBeCloseTo(dwdxte, 7);
    for (let k = 0; k < nw; k++) {
      const dxi = map.xi[1][ite + 1 + k] - map.xi[1][ite];
      expect(map.wgap[k]).toBeCloseTo(gap(dxi), 15);
      if (dxi > WAKE_GAP_LENGTH_RATIO * g.ante) expect(map.wgap[k]).toBe(0);
    }
    // inviscid ue = v q > 0 at every station, and its alpha derivative
    const cap = n + nw + 1;
    const ue: [Float64Array, Float64Array] = [new Float64Array(cap), new Float64Array(cap)];
    const ua: [Float64Array, Float64Array] = [new Float64Array(cap), new Float64Array(cap)];
    inviscidEdgeSpeed(sys, wake, map, 4 * DEG, ue, ua);
    const up: [Float64Array, Float64Array] = [new Float64Array(cap), new Float64Array(cap)];
    const um: [Float64Array, Float64Array] = [new Float64Array(cap), new Float64Array(cap)];
    inviscidEdgeSpeed(sys, wake, map, 4 * DEG + 1e-6, up, ua);
    inviscidEdgeSpeed(sys, wake, map, 4 * DEG - 1e-6, um, ua);
    inviscidEdgeSpeed(sys, wake, map, 4 * DEG, ue, ua);
    for (let is = 0; is < 2; is++) {
      for (let b = 1; b < map.nbl[is]; b++) {
        expect(ue[is][b]).toBeGreaterThan(0);
        expect((up[is][b] - um[is][b]) / 2e-6).toBeCloseTo(ua[is][b], 7);
        const i = map.ipan[is][b];
        if (i < n) expect(ue[is][b]).toBe(map.vti[is][b] * sol.gam[i]);
      }
    }
  });

  test('sharp TE: zero wake gap', () => {
    const s = setup(true, 4);
    const sl = inviscidSolution(s.sys, 4 * DEG, 0);
    const map = buildStationMap(s.sys.geom, s.wake, stagnationPoint(s.sys.geom.s, sl.gam, s.sys.geom.n));
    for (let k = 0; k < s.wake.nw; k++) expect(map.wgap[k]).toBe(0);
  });
});
