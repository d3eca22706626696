/**
 * Flow field from the solver's singularities (src/flow/field.ts): the inviscid field against the
 * exact conformal-map solution of a Karman-Trefftz airfoil, and the viscous field (vorticity plus the
 * boundary layer's displacement sources) against integral laws: Gauss (net outflow = mass defect at
 * the end of the wake), Kutta-Joukowski (circulation = CL/2), the surface speed, the freestream far
 * away.
 */
import { createSolver, prepareAirfoil } from '../../src/flow';
import {
  flowField,
  flowFieldOf,
  insidePolygon,
  inviscidSingularities,
  newFieldWork,
  solverSingularities,
  streamlineSeeds,
  velocityAt,
} from '../../src/flow/field';
import { buildInviscidSystem, panelGeometry } from '../../src/flow/inviscid';
import { loadAirfoil } from '../../src/geometry/lookup';
import { convergenceOrder, karmanTrefftz } from './inviscid-fixtures';

const DEG = Math.PI / 180;

type C = [number, number];
const cadd = (a: C, b: C): C => [a[0] + b[0], a[1] + b[1]];
const csub = (a: C, b: C): C => [a[0] - b[0], a[1] - b[1]];
const cmul = (a: C, b: C): C => [a[0] * b[0] - a[1] * b[1], a[0] * b[1] + a[1] * b[0]];
const cdiv = (a: C, b: C): C => {
  const d = b[0] * b[0] + b[1] * b[1];
  return [(a[0] * b[0] + a[1] * b[1]) / d, (a[1] * b[0] - a[0] * b[1]) / d];
};
const cabs = (a: C): number => Math.hypot(a[0], a[1]);
/** a^p on the branch arg(a) + 2 pi m */
const cpowBranch = (a: C, p: number, m: number): C => {
  const r = cabs(a);
  const t = Math.atan2(a[1], a[0]) + 2 * Math.PI * m;
  return [Math.pow(r, p) * Math.cos(p * t), Math.pow(r, p) * Math.sin(p * t)];
};

/**
 * Exact velocity field of the Karman-Trefftz airfoil of the inviscid tests (circle through zeta = 1,
 * centre (cx, cy), k = 2 - tau/pi), in the chord-normalized coordinates of `karmanTrefftz`
 * (LE at 0, chord 1; velocities are unchanged by the scaling). The inverse map picks the branch of
 * the 1/k power that lands outside the circle and maps back to the point.
 */
function karmanTrefftzField(k: number, cx: number, cy: number, alphaRad: number) {
  const b = 1;
  const c: C = [cx, cy];
  const R = Math.hypot(b - cx, cy);
  const map = (zeta: C): C => {
    const w = cpowBranch(cdiv(csub(zeta, [b, 0]), cadd(zeta, [b, 0])), k, 0);
    return cmul([k * b, 0], cdiv(cadd([1, 0], w), csub([1, 0], w)));
  };
  const dmap = (zeta: C): C => {
    const r = cdiv(csub(zeta, [b, 0]), cadd(zeta, [b, 0]));
    const om = csub([1, 0], cpowBranch(r, k, 0));
    const zp = cadd(zeta, [b, 0]);
    return cmul(
      cdiv([2 * k * b, 0], cmul(om, om)),
      cmul(cmul([k, 0], cpowBranch(r, k - 1, 0)), cdiv([2 * b, 0], cmul(zp, zp))),
    );
  };
  const ea: C = [Math.cos(-alphaRad), Math.sin(-alphaRad)];
  const eb: C = [Math.cos(alphaRad), Math.sin(alphaRad)];
  const dz = csub([b, 0], c);
  const bracket = csub(ea, cdiv(cmul([R * R, 0], eb), cmul(dz, dz)));
  const gamma = cmul(cmul([0, 2 * Math.PI], dz), bracket)[0];
  const dW = (zeta: C): C => {
    const d = csub(zeta, c);
    return cadd(
      csub(ea, cdiv(cmul([R * R, 0], eb), cmul(d, d))),
      cdiv([0, gamma], cmul([2 * Math.PI, 0], d)),
    );
  };
  // the fixture's normalization z -> (z - zle)/chord, recovered from its TE node and one surface node
  // (node i sits at circle angle thTE + pi (1 - cos(pi i/(N-1))))
  const N = 101;
  const ref = karmanTrefftz(k, cx, cy, alphaRad, N);
  const zte = map([b, 0]);
  const i1 = 37;
  const t1 = Math.atan2(-cy, b - cx) + Math.PI * (1 - Math.cos((Math.PI * i1) / (N - 1)));
  const z1 = map(cadd(c, [R * Math.cos(t1), R * Math.sin(t1)]));
  const chord = cabs(csub(zte, z1)) / Math.hypot(ref.x[0] - ref.x[i1], ref.y[0] - ref.y[i1]);
  const zle: C = csub(zte, [chord * ref.x[0], chord * ref.y[0]]);
  // consistency: another node maps to the fixture's coordinates
  const t2 = Math.atan2(-cy, b - cx) + Math.PI * (1 - Math.cos((Math.PI * 71) / (N - 1)));
  const z2 = map(cadd(c, [R * Math.cos(t2), R * Math.sin(t2)]));
  if (Math.hypot((z2[0] - zle[0]) / chord - ref.x[71], (z2[1] - zle[1]) / chord - ref.y[71]) > 1e-12) {
    throw new Error('Karman-Trefftz normalization not recovered');
  }
  const velocity = (xn: number, yn: number): C => {
    const z: C = cadd(zle, [chord * xn, chord * yn]);
    const lhs = cdiv(csub(z, [k * b, 0]), cadd(z, [k * b, 0]));
    for (let m = -2; m <= 2; m++) {
      const w = cpowBranch(lhs, 1 / k, m);
      const zeta = cdiv(cmul([b, 0], cadd([1, 0], w)), csub([1, 0], w));
      if (cabs(csub(zeta, c)) < R) continue;
      if (cabs(csub(map(zeta), z)) > 1e-9 * (1 + cabs(z))) continue;
      const q = cdiv(dW(zeta), dmap(zeta)); // u - i v
      return [q[0], -q[1]];
    }
    throw new Error(`no branch for (${xn}, ${yn})`);
  };
  return { velocity, ref };
}

describe('inviscid field: Karman-Trefftz airfoil (exact conformal map)', () => {
  const k = 1.9;
  const cx = -0.1;
  const cy = 0.08;
  const alpha = 4 * DEG;
  const exact = karmanTrefftzField(k, cx, cy, alpha);
  // probe points around the airfoil, at least 0.05 chord off the surface
  const probes: [number, number][] = [];
  for (let i = 0; i <= 16; i++) {
    for (let j = 0; j <= 10; j++) {
      const px = -0.4 + (1.8 * i) / 16;
      const py = -0.4 + (0.8 * j) / 10;
      let dmin = Infinity;
      for (let n = 0; n < exact.ref.x.length; n++)
        dmin = Math.min(dmin, Math.hypot(exact.ref.x[n] - px, exact.ref.y[n] - py));
      if (dmin >= 0.05 && !insidePolygon(exact.ref.x, exact.ref.y, px, py)) probes.push([px, py]);
    }
  }

  test('velocity at field points converges to the exact field at second order', () => {
    const nodes = [50, 100, 200];
    const errs: number[] = [];
    for (const N of nodes) {
      const kt = karmanTrefftz(k, cx, cy, alpha, N);
      const sys = buildInviscidSystem(panelGeometry(kt.x, kt.y));
      const s = inviscidSingularities(sys, alpha);
      const w = newFieldWork(s);
      const uv = new Float64Array(2);
      let e = 0;
      for (const [px, py] of probes) {
        velocityAt(s, px, py, w, uv);
        const [ue, ve] = exact.velocity(px, py);
        e = Math.max(e, Math.hypot(uv[0] - ue, uv[1] - ve));
      }
      errs.push(e);
    }
    // measured: max error over the probes 3.3e-3, 7.8e-4, 1.9e-4 (order 2.06)
    expect(probes.length).toBeGreaterThan(120);
    expect(errs[2]).toBeLessThan(3e-4);
    const p = convergenceOrder(nodes, errs);
    expect(p).toBeGreaterThan(1.7);
    expect(p).toBeLessThan(2.6);
  });

  test('grid Cp matches the exact field; inside points are masked', () => {
    const kt = karmanTrefftz(k, cx, cy, alpha, 200);
    const sys = buildInviscidSystem(panelGeometry(kt.x, kt.y));
    const f = flowFieldOf(inviscidSingularities(sys, alpha), { nx: 41, ny: 21, streamlines: 0 });
    let checked = 0;
    let masked = 0;
    for (let j = 0; j < f.ny; j++) {
      for (let i = 0; i < f.nx; i++) {
        const kk = j * f.nx + i;
        const inside = insidePolygon(kt.x, kt.y, f.x[i], f.y[j]);
        expect(Number.isNaN(f.cp[kk])).toBe(inside);
        if (inside) {
          masked++;
          continue;
        }
        let dmin = Infinity;
        for (let n = 0; n < kt.x.length; n++)
          dmin = Math.min(dmin, Math.hypot(kt.x[n] - f.x[i], kt.y[n] - f.y[j]));
        if (dmin < 0.03) continue;
        const [ue, ve] = exact.velocity(f.x[i], f.y[j]);
        expect(Math.abs(f.cp[kk] - (1 - ue * ue - ve * ve))).toBeLessThan(2e-3);
        checked++;
      }
    }
    expect(masked).toBeGreaterThan(5);
    expect(checked).toBeGreaterThan(600);
  });
});

describe('viscous field: NACA 2412, Re 1e6, alpha 4 deg (vorticity + displacement sources)', () => {
  const airfoil = prepareAirfoil(loadAirfoil('naca2412'));
  const solver = createSolver(airfoil, { re: 1e6 });
  for (const a of [0, 2, 4]) solver.solveAlpha(a);
  const s = solverSingularities(solver);
  const map = solver.map!;
  const S = solver.state!;
  const w = newFieldWork(s);
  const uv = new Float64Array(2);

  test('the solution is converged and viscous; the vorticity is the solver surface speed vti ue', () => {
    expect(solver.converged).toBe(true);
    expect(s.viscous).toBe(true);
    let maxDiff = 0;
    for (let is = 0; is < 2; is++) {
      for (let b = 1; b <= map.iblte[is]; b++) {
        maxDiff = Math.max(maxDiff, Math.abs(s.gam[map.ipan[is][b]] - map.vti[is][b] * S.uedg[is][b]));
      }
    }
    // the converged state satisfies ue = ue_inv + D m (to the Newton tolerance)
    expect(maxDiff).toBeLessThan(1e-6);
  });

  test('Gauss: net outflow through circles around airfoil and wake = mass defect ue deltaStar at the wake end', () => {
    const last = map.nbl[1] - 1;
    const massEnd = S.mass[1][last];
    expect(massEnd).toBeGreaterThan(1e-3);
    for (const R of [1.6, 3, 8]) {
      let flux = 0;
      let circ = 0;
      const N = 800;
      for (let k = 0; k < N; k++) {
        const th = (2 * Math.PI * (k + 0.5)) / N;
        velocityAt(s, 0.9 + R * Math.cos(th), R * Math.sin(th), w, uv);
        flux += (uv[0] * Math.cos(th) + uv[1] * Math.sin(th)) * ((R * 2 * Math.PI) / N);
        circ += (-uv[0] * Math.sin(th) + uv[1] * Math.cos(th)) * ((R * 2 * Math.PI) / N);
      }
      // measured: flux = 0.0036753 for mass 0.0036751
      expect(Math.abs(flux - massEnd) / massEnd).toBeLessThan(1e-3);
      // Kutta-Joukowski: clockwise circulation = CL/2 (CL from the surface pressure; 0.07 % apart)
      expect(Math.abs(-circ - solver.cl / 2) / (solver.cl / 2)).toBeLessThan(3e-3);
    }
  });

  test('without the displacement sources the only outflow is the TE gap source; far away the freestream', () => {
    const inv = solverSingularities(solver, { displacement: false });
    expect(inv.viscous).toBe(false);
    const wi = newFieldWork(inv);
    let fluxInv = 0;
    const N = 2000;
    const R = 3;
    for (let k = 0; k < N; k++) {
      const th = (2 * Math.PI * (k + 0.5)) / N;
      velocityAt(inv, 0.9 + R * Math.cos(th), R * Math.sin(th), wi, uv);
      fluxInv += (uv[0] * Math.cos(th) + uv[1] * Math.sin(th)) * ((R * 2 * Math.PI) / N);
    }
    // the only source left is XFOIL's blunt-TE gap panel: uniform density 0.5 SCS (gam_0 - gam_(n-1))
    const g = solver.geom;
    expect(g.gapPanel).toBe(true);
    const gapFlux = 0.5 * g.scs * (inv.gam[0] - inv.gam[g.n - 1]) * g.dste;
    expect(gapFlux).toBeGreaterThan(1e-3);
    expect(Math.abs(fluxInv - gapFlux)).toBeLessThan(1e-9);
    // far away the velocity tends to the freestream (vortex + source decay like 1/r)
    for (const r of [10, 100, 1000]) {
      velocityAt(s, 0.5, r, w, uv);
      const dev = Math.hypot(uv[0] - Math.cos(solver.alpha), uv[1] - Math.sin(solver.alpha));
      expect(dev).toBeLessThan(0.5 / r);
      expect(dev).toBeGreaterThan(0.01 / r);
    }
  });

  test('just off the surface the tangential speed tends to the surface vorticity (first order in the offset)', () => {
    const g = solver.geom;
    const rmsAt = (d: number): number => {
      let e2 = 0;
      let cnt = 0;
      for (let i = 3; i < g.n - 4; i++) {
        const L = g.panelLength[i];
        const tx = (g.x[i + 1] - g.x[i]) / L;
        const ty = (g.y[i + 1] - g.y[i]) / L;
        velocityAt(s, 0.5 * (g.x[i] + g.x[i + 1]) + ty * d, 0.5 * (g.y[i] + g.y[i + 1]) - tx * d, w, uv);
        const e = -(uv[0] * tx + uv[1] * ty) - 0.5 * (s.gam[i] + s.gam[i + 1]);
        e2 += e * e;
        cnt++;
      }
      return Math.sqrt(e2 / cnt);
    };
    const e1 = rmsAt(1e-3);
    const e2 = rmsAt(2.5e-4);
    // measured: 1.5e-2 at 1e-3, 6e-3 at 2.5e-4 (curvature and LE gradients: first order)
    expect(e2).toBeLessThan(1e-2);
    expect(e2).toBeLessThan(0.6 * e1);
  });

  test('grid field: Cp of the freestream far from the airfoil, stagnation Cp ~ 1, masked interior; streamlines stay outside', () => {
    const f = flowField(solver, { nx: 81, ny: 49, streamlines: 15 });
    expect(f.viscous).toBe(true);
    expect(f.alphaDeg).toBeCloseTo(4, 10);
    const finite = Array.from(f.cp).filter(Number.isFinite);
    expect(finite.length).toBeGreaterThan(0.95 * f.nx * f.ny);
    expect(Math.max(...finite)).toBeLessThanOrEqual(1 + 1e-9);
    // minimum Cp near the suction peak is near the surface Cp minimum
    const cpMinSurface = Math.min(
      ...Array.from(solver.state!.uedg[0].subarray(1, map.iblte[0] + 1)).map((u) => 1 - u * u),
    );
    expect(Math.min(...finite)).toBeGreaterThan(cpMinSurface - 0.05);
    expect(f.streamlines.length).toBe(15);
    for (const l of f.streamlines) {
      for (let k = 0; k < l.x.length; k++)
        expect(insidePolygon(airfoil.x, airfoil.y, l.x[k], l.y[k])).toBe(false);
    }
    // the middle streamlines cross the whole window (x from the left edge to the right edge)
    const crossing = f.streamlines.filter(
      (l) => l.x[0] <= f.x[0] + 1e-9 && l.x[l.x.length - 1] >= f.x[f.nx - 1] - 0.05,
    );
    expect(crossing.length).toBeGreaterThan(8);
    // displacement surface: outside the airfoil by deltaStar, upper above lower along the wake
    const top = f.displacementTop!;
    const bot = f.displacementBottom!;
    const nwk = solver.wake!.nw;
    for (let k = 1; k <= nwk; k++) expect(top.y[top.y.length - k]).toBeGreaterThan(bot.y[bot.y.length - k]);
  });

  test('streamline seeds lie on the inflow boundary, evenly spaced across the flow', () => {
    const seeds = streamlineSeeds(10 * DEG, -0.5, 1.5, -0.5, 0.5, 10);
    expect(seeds.length).toBe(10);
    const eta = seeds.map(([x, y]) => -x * Math.sin(10 * DEG) + y * Math.cos(10 * DEG));
    for (let k = 1; k < eta.length; k++) expect(eta[k] - eta[k - 1]).toBeCloseTo(eta[1] - eta[0], 10);
    for (const [x, y] of seeds) expect(Math.min(Math.abs(x + 0.5), Math.abs(y + 0.5))).toBeLessThan(1e-12);
  });
});
