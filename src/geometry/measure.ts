/**
 * Geometric measures of an airfoil, all taken on the chord-length spline of its nodes (spline.ts),
 * not on the polygon, so they converge at the spline's order for analytic shapes.
 *
 * Frame: the distribution measures (thickness, camber, their maxima and positions) are taken in the
 * chord frame, i.e. after `normalize(a, {derotate: true})`: LE (spline LE, XFOIL's LEFIND) at (0, 0),
 * TE midpoint at (1, 0), x along the chord line. All lengths are in chord units (divided by the chord)
 * and areas in chord^2 units, except `chord` and `leadingEdge`, which are in the input coordinates.
 */
import { findSelfIntersection } from './intersect';
import { normalize } from './normalize';
import {
  buildSpline,
  cubicSecond,
  cubicSlope,
  cubicValue,
  findInterval,
  findLeadingEdge,
  type Spline,
} from './spline';
import type { Airfoil } from './types';

/** Result of measureAirfoil (see the module comment for frame and units). */
export interface AirfoilMeasures {
  /** |r_TE - r_LE| in input units (r_TE = midpoint of the first and last node) */
  chord: number;
  /** spline leading edge in input coordinates */
  leadingEdge: { x: number; y: number };
  /** max of yU(x) - yL(x) (vertical thickness, same x, chord frame), chord units */
  maxThickness: number;
  /** x/c of maxThickness */
  maxThicknessX: number;
  /** camber (yU + yL)/2 of largest magnitude (signed), chord units */
  maxCamber: number;
  /** x/c of maxCamber */
  maxCamberX: number;
  /** area enclosed by the contour closed by the straight TE gap segment, chord^2 units */
  area: number;
  /** leading-edge radius 1/|kappa| at the spline LE, chord units */
  leRadius: number;
  /** trailing-edge gap |P_first - P_last|, chord units */
  teThickness: number;
  /** wedge angle between the upper and lower surface tangents at the TE, degrees */
  teAngleDeg: number;
  /** true when two non-adjacent panels of the node polygon cross (intersect.ts) */
  selfIntersecting: boolean;
}

/** Thickness and camber distributions at given chord stations. */
export interface ThicknessCamber {
  /** yU(x) - yL(x), chord units */
  thickness: Float64Array;
  /** (yU(x) + yL(x)) / 2, chord units */
  camber: Float64Array;
}

/**
 * Spline of the chord-frame airfoil with its LE, and the s values bracketing x(s) on each surface:
 * upper surface = s in [0, sLe] (x decreasing towards the LE), lower = [sLe, S].
 */
interface ChordFrame {
  sp: Spline;
  sLe: number;
  /** nodes strictly on the upper side, LE first: s values and x(s) */
  upS: Float64Array;
  upX: Float64Array;
  loS: Float64Array;
  loX: Float64Array;
}

function chordFrame(a: Airfoil): ChordFrame {
  const an = normalize(a, { derotate: true });
  const sp = buildSpline(an.x, an.y);
  const le = findLeadingEdge(sp);
  const n = sp.n;
  const up: number[] = [le.s];
  for (let i = n - 1; i >= 0; i--) if (sp.s[i] < le.s) up.push(sp.s[i]);
  const lo: number[] = [le.s];
  for (let i = 0; i < n; i++) if (sp.s[i] > le.s) lo.push(sp.s[i]);
  const upS = Float64Array.from(up);
  const loS = Float64Array.from(lo);
  const upX = upS.map((s) => cubicValue(sp.x, sp.xs, sp.s, findInterval(sp.s, s), s));
  const loX = loS.map((s) => cubicValue(sp.x, sp.xs, sp.s, findInterval(sp.s, s), s));
  return { sp, sLe: le.s, upS, upX, loS, loX };
}

/**
 * y on one surface at chord station xq: the first bracket of x(s) = xq going from the LE towards the
 * TE, refined by safeguarded Newton. Stations beyond the surface's x-range get the end value.
 */
function surfaceY(sp: Spline, ss: Float64Array, sx: Float64Array, xq: number): number {
  const m = ss.length;
  let k = -1;
  for (let j = 0; j + 1 < m; j++) {
    if ((sx[j] - xq) * (sx[j + 1] - xq) <= 0 && ss[j] !== ss[j + 1]) {
      k = j;
      break;
    }
  }
  let sq: number;
  if (k < 0) {
    // outside the x-range: the end (LE side or TE side) nearer in x
    sq = Math.abs(sx[0] - xq) < Math.abs(sx[m - 1] - xq) ? ss[0] : ss[m - 1];
  } else {
    let lo = Math.min(ss[k], ss[k + 1]);
    let hi = Math.max(ss[k], ss[k + 1]);
    // f(s) = x(s) - xq; bracket ends have opposite signs
    const iv = findInterval(sp.s, 0.5 * (lo + hi));
    const fLo = cubicValue(sp.x, sp.xs, sp.s, iv, lo) - xq;
    sq = lo + ((hi - lo) * fLo) / (fLo - (cubicValue(sp.x, sp.xs, sp.s, iv, hi) - xq) || 1);
    for (let it = 0; it < 60; it++) {
      const f = cubicValue(sp.x, sp.xs, sp.s, iv, sq) - xq;
      if (f === 0) break;
      if (f * fLo > 0) lo = sq;
      else hi = sq;
      const fp = cubicSlope(sp.x, sp.xs, sp.s, iv, sq);
      let next = fp !== 0 ? sq - f / fp : 0.5 * (lo + hi);
      if (!(next >= lo && next <= hi)) next = 0.5 * (lo + hi);
      const step = Math.abs(next - sq);
      sq = next;
      if (step < 1e-15 || hi - lo < 1e-15) break;
    }
  }
  return cubicValue(sp.y, sp.ys, sp.s, findInterval(sp.s, sq), sq);
}

function fillThicknessCamber(f: ChordFrame, xs: Float64Array, out: ThicknessCamber): void {
  for (let i = 0; i < xs.length; i++) {
    const yu = surfaceY(f.sp, f.upS, f.upX, xs[i]);
    const yl = surfaceY(f.sp, f.loS, f.loX, xs[i]);
    out.thickness[i] = yu - yl;
    out.camber[i] = 0.5 * (yu + yl);
  }
}

/**
 * Thickness yU(x) - yL(x) and camber (yU + yL)/2 at chord stations x/c (chord frame, see module
 * comment). Thickness is measured vertically (same x on both surfaces, as XFOIL reports it), not
 * perpendicular to the camber line. Stations outside a surface's x-range get that surface's end value.
 */
export function thicknessCamber(a: Airfoil, xStations: Float64Array): ThicknessCamber {
  const out = { thickness: new Float64Array(xStations.length), camber: new Float64Array(xStations.length) };
  fillThicknessCamber(chordFrame(a), xStations, out);
  return out;
}

/** Argmax of g on [0, 1]: cosine grid of 241 stations, then golden-section search around the best. */
function maximize(g: (x: number) => number): { x: number; value: number } {
  const m = 241;
  let best = -Infinity;
  let jb = 0;
  const grid = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    grid[j] = 0.5 * (1 - Math.cos((Math.PI * j) / (m - 1)));
    const v = g(grid[j]);
    if (v > best) {
      best = v;
      jb = j;
    }
  }
  let lo = grid[Math.max(jb - 1, 0)];
  let hi = grid[Math.min(jb + 1, m - 1)];
  const r = 0.5 * (Math.sqrt(5) - 1);
  let x1 = hi - r * (hi - lo);
  let x2 = lo + r * (hi - lo);
  let g1 = g(x1);
  let g2 = g(x2);
  while (hi - lo > 1e-10) {
    if (g1 > g2) {
      hi = x2;
      x2 = x1;
      g2 = g1;
      x1 = hi - r * (hi - lo);
      g1 = g(x1);
    } else {
      lo = x1;
      x1 = x2;
      g1 = g2;
      x2 = lo + r * (hi - lo);
      g2 = g(x2);
    }
  }
  const xm = 0.5 * (lo + hi);
  const vm = g(xm);
  return vm >= best ? { x: xm, value: vm } : { x: grid[jb], value: best };
}

/**
 * Area enclosed by the spline contour closed by the straight segment from the last node to the first:
 * (1/2) closed-integral of (x dy - y dx), 3-point Gauss per interval (exact for the cubic spline).
 * Positive for the counterclockwise node order. Input units squared.
 */
export function enclosedArea(sp: Spline): number {
  const gx = [-Math.sqrt(0.6), 0, Math.sqrt(0.6)];
  const gw = [5 / 9, 8 / 9, 5 / 9];
  let sum = 0;
  for (let i = 0; i < sp.n - 1; i++) {
    const h = sp.s[i + 1] - sp.s[i];
    if (h <= 0) continue;
    for (let k = 0; k < 3; k++) {
      const sq = sp.s[i] + 0.5 * h * (1 + gx[k]);
      const x = cubicValue(sp.x, sp.xs, sp.s, i, sq);
      const y = cubicValue(sp.y, sp.ys, sp.s, i, sq);
      const dx = cubicSlope(sp.x, sp.xs, sp.s, i, sq);
      const dy = cubicSlope(sp.y, sp.ys, sp.s, i, sq);
      sum += 0.5 * h * gw[k] * (x * dy - y * dx);
    }
  }
  const n = sp.n;
  sum += sp.x[n - 1] * sp.y[0] - sp.y[n - 1] * sp.x[0];
  return 0.5 * sum;
}

/** Spline interval holding node i from its own side (the interval before it at a segment end). */
function nodeInterval(sp: Spline, i: number): number {
  return i < sp.n - 1 && sp.s[i + 1] > sp.s[i] ? i : Math.max(i - 1, 0);
}

/**
 * Unit outward normals at the nodes, (y', -x')/|r'| for the counterclockwise node order. At a corner
 * each of the two coincident nodes gets the normal of its own side.
 */
export function normals(a: Airfoil): { nx: Float64Array; ny: Float64Array } {
  const sp = buildSpline(a.x, a.y);
  const nx = new Float64Array(sp.n);
  const ny = new Float64Array(sp.n);
  for (let i = 0; i < sp.n; i++) {
    const iv = nodeInterval(sp, i);
    const dx = cubicSlope(sp.x, sp.xs, sp.s, iv, sp.s[i]);
    const dy = cubicSlope(sp.y, sp.ys, sp.s, iv, sp.s[i]);
    const q = Math.hypot(dx, dy);
    nx[i] = dy / q;
    ny[i] = -dx / q;
  }
  return { nx, ny };
}

/**
 * Signed curvature at the nodes (1 / input length units), positive where the contour is convex
 * (counterclockwise node order). At a corner each node gets its own side's value.
 */
export function curvature(a: Airfoil): Float64Array {
  const sp = buildSpline(a.x, a.y);
  const k = new Float64Array(sp.n);
  for (let i = 0; i < sp.n; i++) {
    const iv = nodeInterval(sp, i);
    const s = sp.s[i];
    const dx = cubicSlope(sp.x, sp.xs, sp.s, iv, s);
    const dy = cubicSlope(sp.y, sp.ys, sp.s, iv, s);
    const q = dx * dx + dy * dy;
    k[i] =
      (dx * cubicSecond(sp.y, sp.ys, sp.s, iv, s) - dy * cubicSecond(sp.x, sp.xs, sp.s, iv, s)) /
      (q * Math.sqrt(q));
  }
  return k;
}

/** All measures of AirfoilMeasures (see there and the module comment for definitions and units). */
export function measureAirfoil(a: Airfoil): AirfoilMeasures {
  const n = a.x.length;
  const spIn = buildSpline(a.x, a.y);
  const leIn = findLeadingEdge(spIn);
  const xte = 0.5 * (a.x[0] + a.x[n - 1]);
  const yte = 0.5 * (a.y[0] + a.y[n - 1]);
  const c = Math.hypot(xte - leIn.x, yte - leIn.y);

  const f = chordFrame(a);
  const sp = f.sp;
  const one = new Float64Array(1);
  const tc: ThicknessCamber = { thickness: new Float64Array(1), camber: new Float64Array(1) };
  const at = (x: number): ThicknessCamber => {
    one[0] = x;
    fillThicknessCamber(f, one, tc);
    return tc;
  };
  const tMax = maximize((x) => at(x).thickness[0]);
  const cPos = maximize((x) => at(x).camber[0]);
  const cNeg = maximize((x) => -at(x).camber[0]);
  const camberMax =
    cPos.value >= cNeg.value ? { x: cPos.x, value: cPos.value } : { x: cNeg.x, value: -cNeg.value };

  // LE radius on the chord-frame spline (unit chord)
  const ivLe = findInterval(sp.s, f.sLe);
  const dx = cubicSlope(sp.x, sp.xs, sp.s, ivLe, f.sLe);
  const dy = cubicSlope(sp.y, sp.ys, sp.s, ivLe, f.sLe);
  const q = dx * dx + dy * dy;
  const kLe =
    (dx * cubicSecond(sp.y, sp.ys, sp.s, ivLe, f.sLe) - dy * cubicSecond(sp.x, sp.xs, sp.s, ivLe, f.sLe)) /
    (q * Math.sqrt(q));

  // TE wedge angle: upper surface direction leaving the TE (+r'(0)) vs lower (-r'(S))
  const sEnd = sp.s[n - 1];
  const ivEnd = nodeInterval(sp, n - 1);
  const ux = cubicSlope(sp.x, sp.xs, sp.s, 0, 0);
  const uy = cubicSlope(sp.y, sp.ys, sp.s, 0, 0);
  const lx = -cubicSlope(sp.x, sp.xs, sp.s, ivEnd, sEnd);
  const ly = -cubicSlope(sp.y, sp.ys, sp.s, ivEnd, sEnd);
  const teAngle = Math.atan2(Math.abs(ux * ly - uy * lx), ux * lx + uy * ly);

  return {
    chord: c,
    leadingEdge: { x: leIn.x, y: leIn.y },
    maxThickness: tMax.value,
    maxThicknessX: tMax.x,
    maxCamber: camberMax.value,
    maxCamberX: camberMax.x,
    area: enclosedArea(sp),
    leRadius: 1 / Math.abs(kLe),
    teThickness: Math.hypot(a.x[0] - a.x[n - 1], a.y[0] - a.y[n - 1]) / c,
    teAngleDeg: (teAngle * 180) / Math.PI,
    selfIntersecting: findSelfIntersection(a.x, a.y) !== null,
  };
}
