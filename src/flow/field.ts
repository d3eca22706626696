/**
 * Velocity and pressure field around the airfoil, and streamlines, from the solver's singularity
 * distribution (the equivalent inviscid flow of the viscous solution):
 *
 * - linear surface vorticity gam_j at the airfoil nodes and the TE gap panel (inviscid.ts);
 * - with a converged viscous state, the displacement (mass-defect) sources of the boundary layer on
 *   the airfoil and along the wake: node masses SIG_J = -vti_J m_J, m = ue deltaStar (the XFOIL
 *   transpiration model, source-influence.ts), whose half-panel-linear density is the blowing
 *   velocity d(ue deltaStar)/dxi;
 * - the freestream Qinf = 1 at angle alpha.
 *
 * The surface vorticity is the panel-system solution with those sources,
 *   gam_i = cos(a) gam0_i + sin(a) gam90_i + sum_J DIJ(i, J) SIG_J,
 * i.e. the airfoil rows of the solver's own ue = ue_inv + D m (equal to the converged q = vti ue).
 * Velocities come from the panel kernels (panel-kernels.ts: u = dpsi/dy, v = -dpsi/dx), so the field
 * is exactly the flow the solver's edge speeds belong to. Cp is the Karman-Tsien pressure coefficient
 * of the local incompressible speed (the correction the solver applies on the surface). Points inside
 * the airfoil contour are masked (NaN); points inside the boundary layer show the equivalent inviscid
 * flow, not the viscous velocity profile.
 */
import { FoiloptError } from '../errors';
import { cpFromSpeed, karmanTsien, type InviscidSystem, type PanelGeometry } from './inviscid';
import { airfoilInfluence, newKernelOutput, wakeSourceInfluence, type KernelOutput } from './panel-kernels';
import type { ViscousSolver } from './viscous';
import type { Wake } from './wake';

/** The singularity strengths of one solution (see the module comment). */
export interface Singularities {
  geom: PanelGeometry;
  /** angle of attack, radians (freestream direction) */
  alphaRad: number;
  /** freestream Mach number (Karman-Tsien Cp) */
  mach: number;
  /** surface vorticity gam at the n airfoil nodes (positive clockwise; = surface speed q) */
  gam: Float64Array;
  /** airfoil node masses SIG_j (length n); null without displacement sources */
  sigAirfoil: Float64Array | null;
  /** wake geometry and wake node masses (length nw); null without a viscous wake */
  wake: Wake | null;
  sigWake: Float64Array | null;
  /** true when the sources of a converged viscous boundary layer are included */
  viscous: boolean;
}

/** Options of flowField. Lengths in chord units of the solver's (chord-1, LE at 0) airfoil. */
export interface FlowFieldOptions {
  /** grid nodes along x (default 161) */
  nx?: number;
  /** grid nodes along y (default 97) */
  ny?: number;
  /** field window (default x in [-0.5, 1.7], y in [-0.55, 0.55]) */
  xMin?: number;
  xMax?: number;
  yMin?: number;
  yMax?: number;
  /** number of streamlines seeded on the upstream boundary (default 23; 0 = none) */
  streamlines?: number;
  /** include the boundary layer's displacement sources when the solver has a viscous state (default true) */
  displacement?: boolean;
}

/** A polyline (streamline, displacement surface). */
export interface Polyline {
  x: Float64Array;
  y: Float64Array;
}

/** Result of flowField: grid values row-major (index j*nx + i for x[i], y[j]). */
export interface FlowField {
  nx: number;
  ny: number;
  x: Float64Array;
  y: Float64Array;
  /** velocity components / Qinf; NaN inside the airfoil */
  u: Float64Array;
  v: Float64Array;
  /** Karman-Tsien pressure coefficient of the local speed; NaN inside the airfoil */
  cp: Float64Array;
  /** streamlines seeded upstream, integrated downstream until they leave the window */
  streamlines: Polyline[];
  /** the displacement surface: airfoil nodes moved out by deltaStar, and the wake +- deltaStar/2 (viscous only) */
  displacementTop: Polyline | null;
  displacementBottom: Polyline | null;
  /** wake centre line (viscous only) */
  wake: Polyline | null;
  alphaDeg: number;
  mach: number;
  viscous: boolean;
}

const DEG = Math.PI / 180;

/**
 * Singularity strengths of the solver's current solution: with a viscous state (after a solve, and
 * `displacement`), the vorticity with the displacement sources of airfoil and wake; otherwise the
 * inviscid vorticity at `alphaDeg` (default: the solver's current alpha).
 */
export function solverSingularities(
  solver: ViscousSolver,
  opts: { displacement?: boolean; alphaDeg?: number } = {},
): Singularities {
  const g = solver.geom;
  const n = g.n;
  const mach = solver.settings.mach;
  const S = solver.state;
  const map = solver.map;
  const wake = solver.wake;
  const dij = solver.dij;
  const useSources =
    (opts.displacement ?? true) &&
    opts.alphaDeg === undefined &&
    solver.settings.viscous &&
    S !== null &&
    S.initialized &&
    map !== null &&
    wake !== null &&
    dij !== null;
  const alphaRad = opts.alphaDeg !== undefined ? opts.alphaDeg * DEG : solver.alpha;
  if (!useSources) return inviscidSingularities(solver.inv, alphaRad, mach);

  const nw = wake.nw;
  const nTot = n + nw;
  // masses per combined node: SIG_J = -vti_J m_J
  const sig = new Float64Array(nTot);
  for (let is = 0; is < 2; is++) {
    for (let ibl = 1; ibl < map.nbl[is]; ibl++) sig[map.ipan[is][ibl]] = -map.vti[is][ibl] * S.mass[is][ibl];
  }
  const alpha = solver.alpha;
  const ca = Math.cos(alpha);
  const sa = Math.sin(alpha);
  const gam = new Float64Array(n);
  const d = dij.dij;
  for (let i = 0; i < n; i++) {
    let q = ca * solver.inv.gam0[i] + sa * solver.inv.gam90[i];
    const r = i * nTot;
    for (let J = 0; J < nTot; J++) q += d[r + J] * sig[J];
    gam[i] = q;
  }
  return {
    geom: g,
    alphaRad: alpha,
    mach,
    gam,
    sigAirfoil: sig.subarray(0, n),
    wake,
    sigWake: sig.subarray(n),
    viscous: true,
  };
}

/** Inviscid singularities of a factored panel system at alphaRad (vorticity only). */
export function inviscidSingularities(sys: InviscidSystem, alphaRad: number, mach = 0): Singularities {
  const n = sys.geom.n;
  const gam = new Float64Array(n);
  const ca = Math.cos(alphaRad);
  const sa = Math.sin(alphaRad);
  for (let i = 0; i < n; i++) gam[i] = ca * sys.gam0[i] + sa * sys.gam90[i];
  return {
    geom: sys.geom,
    alphaRad,
    mach,
    gam,
    sigAirfoil: null,
    wake: null,
    sigWake: null,
    viscous: false,
  };
}

/** Reusable kernel scratch for velocityAt (allocate once per field). */
export interface FieldWork {
  k: KernelOutput;
}

/** Scratch for velocityAt. */
export function newFieldWork(s: Singularities): FieldWork {
  return { k: newKernelOutput(s.geom.n, s.wake ? s.wake.nw : 0) };
}

/**
 * Velocity (u, v) / Qinf at a field point off the airfoil surface, written into uv[0], uv[1].
 * u = dpsi/dy, v = -dpsi/dx of the freestream, vortex, gap-panel and source stream functions.
 */
export function velocityAt(s: Singularities, xp: number, yp: number, w: FieldWork, uv: Float64Array): void {
  const g = s.geom;
  const n = g.n;
  const ws = w.k;
  const sources = s.sigAirfoil !== null;
  const gam = s.gam;
  const sig = s.sigAirfoil;
  let psiY = Math.cos(s.alphaRad);
  let psiX = -Math.sin(s.alphaRad);
  // direction (0, 1): dpsi/dy
  airfoilInfluence(g, -1, xp, yp, 0, 1, sources, ws);
  for (let j = 0; j < n; j++) psiY += ws.dqdg[j] * gam[j];
  if (sig) for (let j = 0; j < n; j++) psiY += ws.dqdm[j] * sig[j];
  // direction (1, 0): dpsi/dx
  airfoilInfluence(g, -1, xp, yp, 1, 0, sources, ws);
  for (let j = 0; j < n; j++) psiX += ws.dqdg[j] * gam[j];
  if (sig) for (let j = 0; j < n; j++) psiX += ws.dqdm[j] * sig[j];
  if (s.wake && s.sigWake) {
    const nw = s.wake.nw;
    const sw = s.sigWake;
    wakeSourceInfluence(s.wake, n, -1, xp, yp, 0, 1, ws);
    for (let k = 0; k < nw; k++) psiY += ws.wqdm[k] * sw[k];
    wakeSourceInfluence(s.wake, n, -1, xp, yp, 1, 0, ws);
    for (let k = 0; k < nw; k++) psiX += ws.wqdm[k] * sw[k];
  }
  uv[0] = psiY;
  uv[1] = -psiX;
}

/** True when (xp, yp) lies inside the closed node polygon (the TE gap closes it); even-odd rule. */
export function insidePolygon(x: Float64Array, y: Float64Array, xp: number, yp: number): boolean {
  const n = x.length;
  let inside = false;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const yi = y[i];
    const yj = y[j];
    if (yi > yp !== yj > yp) {
      const xc = x[j] + ((yp - yj) * (x[i] - x[j])) / (yi - yj);
      if (xp < xc) inside = !inside;
    }
  }
  return inside;
}

function checkCount(name: string, v: number, min: number, max: number): number {
  if (!(Number.isInteger(v) && v >= min && v <= max)) {
    throw new FoiloptError(`flow field: ${name} must be an integer in [${min}, ${max}], got ${v}`);
  }
  return v;
}

/**
 * The velocity and pressure field of the solver's current solution on an nx x ny grid, with
 * streamlines (see the module comment). Call after a solve; with a converged viscous state the
 * displacement sources are included (unless `displacement: false`).
 */
export function flowField(solver: ViscousSolver, opts: FlowFieldOptions = {}): FlowField {
  return flowFieldOf(solverSingularities(solver, { displacement: opts.displacement }), opts, solver);
}

/** flowField for given singularities (solver: for the displacement surface, optional). */
export function flowFieldOf(
  s: Singularities,
  opts: FlowFieldOptions = {},
  solver?: ViscousSolver,
): FlowField {
  const nx = checkCount('nx', opts.nx ?? 161, 3, 2001);
  const ny = checkCount('ny', opts.ny ?? 97, 3, 2001);
  const nStream = checkCount('streamlines', opts.streamlines ?? 23, 0, 500);
  const xMin = opts.xMin ?? -0.5;
  const xMax = opts.xMax ?? 1.7;
  const yMin = opts.yMin ?? -0.55;
  const yMax = opts.yMax ?? 0.55;
  if (!(xMax > xMin && yMax > yMin) || ![xMin, xMax, yMin, yMax].every(Number.isFinite)) {
    throw new FoiloptError(`flow field: empty window x [${xMin}, ${xMax}], y [${yMin}, ${yMax}]`);
  }
  const g = s.geom;
  const x = new Float64Array(nx);
  const y = new Float64Array(ny);
  for (let i = 0; i < nx; i++) x[i] = xMin + ((xMax - xMin) * i) / (nx - 1);
  for (let j = 0; j < ny; j++) y[j] = yMin + ((yMax - yMin) * j) / (ny - 1);
  const m = nx * ny;
  const u = new Float64Array(m);
  const v = new Float64Array(m);
  const cp = new Float64Array(m);
  const kt = karmanTsien(s.mach);
  const w = newFieldWork(s);
  const uv = new Float64Array(2);
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      const k = j * nx + i;
      if (insidePolygon(g.x, g.y, x[i], y[j])) {
        u[k] = NaN;
        v[k] = NaN;
        cp[k] = NaN;
        continue;
      }
      velocityAt(s, x[i], y[j], w, uv);
      u[k] = uv[0];
      v[k] = uv[1];
      cp[k] = cpFromSpeed(Math.hypot(uv[0], uv[1]), kt);
    }
  }
  const field: FlowField = {
    nx,
    ny,
    x,
    y,
    u,
    v,
    cp,
    streamlines: [],
    displacementTop: null,
    displacementBottom: null,
    wake: null,
    alphaDeg: s.alphaRad / DEG,
    mach: s.mach,
    viscous: s.viscous,
  };
  for (const [x0, y0] of streamlineSeeds(s.alphaRad, xMin, xMax, yMin, yMax, nStream)) {
    field.streamlines.push(traceStreamline(s, field, w, x0, y0));
  }
  if (s.viscous && solver) addDisplacementSurface(solver, field);
  return field;
}

/**
 * Streamline seeds on the window's inflow boundary: `count` freestream lines evenly spaced across the
 * flow direction (coordinate eta = -x sin(a) + y cos(a) over the window's range, end intervals
 * halved), each seeded where it enters the window.
 */
export function streamlineSeeds(
  alphaRad: number,
  xMin: number,
  xMax: number,
  yMin: number,
  yMax: number,
  count: number,
): [number, number][] {
  const ca = Math.cos(alphaRad);
  const sa = Math.sin(alphaRad);
  const etas = [xMin, xMax].flatMap((xc) => [yMin, yMax].map((yc) => -xc * sa + yc * ca));
  const eMin = Math.min(...etas);
  const eMax = Math.max(...etas);
  const seeds: [number, number][] = [];
  for (let k = 0; k < count; k++) {
    const eta = eMin + ((eMax - eMin) * (k + 0.5)) / count;
    // line p(t) = eta (-sa, ca) + t (ca, sa); entry parameter = max of the slab entries
    const px = -eta * sa;
    const py = eta * ca;
    let tIn = -Infinity;
    let tOut = Infinity;
    for (const [p, d, lo, hi] of [
      [px, ca, xMin, xMax],
      [py, sa, yMin, yMax],
    ]) {
      if (Math.abs(d) < 1e-12) {
        if (p < lo || p > hi) tIn = Infinity;
        continue;
      }
      const t1 = (lo - p) / d;
      const t2 = (hi - p) / d;
      tIn = Math.max(tIn, Math.min(t1, t2));
      tOut = Math.min(tOut, Math.max(t1, t2));
    }
    if (!(tIn < tOut)) continue;
    const x0 = Math.min(xMax, Math.max(xMin, px + tIn * ca));
    const y0 = Math.min(yMax, Math.max(yMin, py + tIn * sa));
    seeds.push([x0, y0]);
  }
  return seeds;
}

/**
 * Velocity at (xp, yp): bilinear interpolation of the grid where the four surrounding nodes are
 * outside the airfoil, the exact kernel sum otherwise (near the surface). Returns false inside the
 * airfoil or outside the window.
 */
function sampleVelocity(
  s: Singularities,
  f: FlowField,
  w: FieldWork,
  xp: number,
  yp: number,
  uv: Float64Array,
): boolean {
  const { nx, ny, x, y } = f;
  if (!(xp >= x[0] && xp <= x[nx - 1] && yp >= y[0] && yp <= y[ny - 1])) return false;
  const hx = (x[nx - 1] - x[0]) / (nx - 1);
  const hy = (y[ny - 1] - y[0]) / (ny - 1);
  const i = Math.min(nx - 2, Math.floor((xp - x[0]) / hx));
  const j = Math.min(ny - 2, Math.floor((yp - y[0]) / hy));
  const k00 = j * nx + i;
  const k10 = k00 + 1;
  const k01 = k00 + nx;
  const k11 = k01 + 1;
  const { u, v } = f;
  if (Number.isNaN(u[k00]) || Number.isNaN(u[k10]) || Number.isNaN(u[k01]) || Number.isNaN(u[k11])) {
    if (insidePolygon(s.geom.x, s.geom.y, xp, yp)) return false;
    velocityAt(s, xp, yp, w, uv);
    return true;
  }
  const tx = (xp - x[i]) / hx;
  const ty = (yp - y[j]) / hy;
  const a = (1 - tx) * (1 - ty);
  const b = tx * (1 - ty);
  const c = (1 - tx) * ty;
  const d = tx * ty;
  uv[0] = a * u[k00] + b * u[k10] + c * u[k01] + d * u[k11];
  uv[1] = a * v[k00] + b * v[k10] + c * v[k01] + d * v[k11];
  return true;
}

/**
 * One streamline from (x0, y0), integrated downstream with classical RK4 in arc length (step 0.3
 * grid spacings, 0.05 of that near the surface) until it leaves the window, enters the airfoil or
 * reaches a stagnation point or 4 window lengths.
 */
function traceStreamline(s: Singularities, f: FlowField, w: FieldWork, x0: number, y0: number): Polyline {
  const hx = (f.x[f.nx - 1] - f.x[0]) / (f.nx - 1);
  const hy = (f.y[f.ny - 1] - f.y[0]) / (f.ny - 1);
  const hBase = 0.3 * Math.min(hx, hy);
  const keepDistance = Math.min(hx, hy);
  const maxLength = 4 * (f.x[f.nx - 1] - f.x[0] + f.y[f.ny - 1] - f.y[0]);
  const xs: number[] = [x0];
  const ys: number[] = [y0];
  const uv = new Float64Array(2);
  // direction field (unit velocity); returns false where undefined
  const dir = (px: number, py: number, out: Float64Array): boolean => {
    if (!sampleVelocity(s, f, w, px, py, uv)) return false;
    const q = Math.hypot(uv[0], uv[1]);
    if (!(q > 1e-6)) return false;
    out[0] = uv[0] / q;
    out[1] = uv[1] / q;
    return true;
  };
  const k1 = new Float64Array(2);
  const k2 = new Float64Array(2);
  const k3 = new Float64Array(2);
  const k4 = new Float64Array(2);
  let px = x0;
  let py = y0;
  let length = 0;
  let lastKeptX = x0;
  let lastKeptY = y0;
  while (length < maxLength) {
    if (!dir(px, py, k1)) break;
    // small steps where the exact (near-surface) evaluation is used: the grid cell touches the body
    const h = nearBody(f, px, py) ? 0.1 * hBase : hBase;
    if (!dir(px + 0.5 * h * k1[0], py + 0.5 * h * k1[1], k2)) break;
    if (!dir(px + 0.5 * h * k2[0], py + 0.5 * h * k2[1], k3)) break;
    if (!dir(px + h * k3[0], py + h * k3[1], k4)) break;
    const nxp = px + (h / 6) * (k1[0] + 2 * k2[0] + 2 * k3[0] + k4[0]);
    const nyp = py + (h / 6) * (k1[1] + 2 * k2[1] + 2 * k3[1] + k4[1]);
    if (insidePolygon(s.geom.x, s.geom.y, nxp, nyp)) break;
    px = nxp;
    py = nyp;
    length += h;
    // keep points about one grid spacing apart (the finer steps only serve accuracy)
    if (Math.hypot(px - lastKeptX, py - lastKeptY) >= keepDistance) {
      xs.push(px);
      ys.push(py);
      lastKeptX = px;
      lastKeptY = py;
    }
    if (px < f.x[0] || px > f.x[f.nx - 1] || py < f.y[0] || py > f.y[f.ny - 1]) break;
  }
  if (xs[xs.length - 1] !== px || ys[ys.length - 1] !== py) {
    xs.push(px);
    ys.push(py);
  }
  return { x: Float64Array.from(xs), y: Float64Array.from(ys) };
}

/** True when the grid cell containing (px, py) has a masked (inside-the-airfoil) corner. */
function nearBody(f: FlowField, px: number, py: number): boolean {
  const { nx, ny, x, y, u } = f;
  const hx = (x[nx - 1] - x[0]) / (nx - 1);
  const hy = (y[ny - 1] - y[0]) / (ny - 1);
  const i = Math.max(0, Math.min(nx - 2, Math.floor((px - x[0]) / hx)));
  const j = Math.max(0, Math.min(ny - 2, Math.floor((py - y[0]) / hy)));
  const k = j * nx + i;
  return (
    Number.isNaN(u[k]) || Number.isNaN(u[k + 1]) || Number.isNaN(u[k + nx]) || Number.isNaN(u[k + nx + 1])
  );
}

/**
 * Displacement surface of a viscous solution: each airfoil station moved out along the surface
 * normal by deltaStar, and the wake centre line +- deltaStar/2 along the wake normal.
 */
function addDisplacementSurface(solver: ViscousSolver, f: FlowField): void {
  const S = solver.state;
  const map = solver.map;
  const wake = solver.wake;
  if (!S || !map || !wake) return;
  const g = solver.geom;
  const sides: Polyline[] = [];
  for (let is = 0; is < 2; is++) {
    const xs: number[] = [];
    const ys: number[] = [];
    for (let ibl = 1; ibl <= map.iblte[is]; ibl++) {
      const i = map.ipan[is][ibl];
      const ds = S.dstr[is][ibl];
      xs.push(g.x[i] + g.nx[i] * ds);
      ys.push(g.y[i] + g.ny[i] * ds);
    }
    // continue along the wake with half the wake deltaStar on this side (the wake normal points to
    // the lower side, wake.ts)
    const sign = is === 0 ? -1 : 1;
    for (let k = 0; k < wake.nw; k++) {
      const ibl = map.iblte[1] + 1 + k;
      const half = 0.5 * S.dstr[1][ibl];
      xs.push(wake.x[k] + sign * wake.nx[k] * half);
      ys.push(wake.y[k] + sign * wake.ny[k] * half);
    }
    sides.push({ x: Float64Array.from(xs), y: Float64Array.from(ys) });
  }
  f.displacementTop = sides[0];
  f.displacementBottom = sides[1];
  f.wake = { x: Float64Array.from(wake.x), y: Float64Array.from(wake.y) };
}
