/**
 * Normalization of airfoil coordinates to the unit chord, with the leading edge defined on the
 * spline as in XFOIL (LEFIND, see spline.ts) and chord = |r_TE - r_LE| (r_TE = midpoint of the first
 * and last node) [xgeom.f LEFIND; xfoil.f PANGEN].
 */
import { FoiloptError } from '../errors';
import type { Airfoil } from './types';
import { buildSpline, findLeadingEdge, type LeadingEdge, type Spline } from './spline';

/** Options of normalize. */
export interface NormalizeOptions {
  /**
   * Also rotate so that the TE midpoint lies at (1, 0) (chord line along +x). Default false: like
   * XFOIL's NORM, only translate and scale, keeping the incidence of the input chord line.
   */
  derotate?: boolean;
}

/** Spline leading edge of an airfoil (parameter s on its chord-length spline, and position). */
export function leadingEdge(a: Airfoil, spline?: Spline): LeadingEdge {
  return findLeadingEdge(spline ?? buildSpline(a.x, a.y));
}

/** Trailing-edge midpoint (P_first + P_last)/2. */
export function trailingEdgeMidpoint(a: Airfoil): { x: number; y: number } {
  const n = a.x.length;
  return { x: 0.5 * (a.x[0] + a.x[n - 1]), y: 0.5 * (a.y[0] + a.y[n - 1]) };
}

/** Chord length |r_TE - r_LE| with the spline leading edge. */
export function chord(a: Airfoil, spline?: Spline): number {
  const le = leadingEdge(a, spline);
  const te = trailingEdgeMidpoint(a);
  return Math.hypot(te.x - le.x, te.y - le.y);
}

/**
 * Chord-line incidence in radians: angle of (r_TE - r_LE) from +x (positive counterclockwise, so a
 * nose-down airfoil with the TE above the chord-wise axis has a positive angle).
 */
export function chordAngle(a: Airfoil, spline?: Spline): number {
  const le = leadingEdge(a, spline);
  const te = trailingEdgeMidpoint(a);
  return Math.atan2(te.y - le.y, te.x - le.x);
}

/**
 * Returns a new airfoil translated so that the spline leading edge is at (0, 0) and scaled so that
 * the chord |r_TE - r_LE| is 1; with `derotate: true` it is also rotated about the LE so that the TE
 * midpoint is at (1, 0). Node order and count are kept. Because chord-length parametrization is
 * invariant under similarity transforms, the spline of the result has its LE at the origin to
 * rounding (the LE is generally not a node).
 */
export function normalize(a: Airfoil, opts: NormalizeOptions = {}): Airfoil {
  const derotate = opts.derotate ?? false;
  const n = a.x.length;
  const le = leadingEdge(a);
  const te = trailingEdgeMidpoint(a);
  const cx = te.x - le.x;
  const cy = te.y - le.y;
  const c = Math.hypot(cx, cy);
  if (!(c > 0))
    throw new FoiloptError(
      `airfoil "${a.name}" has zero chord (leading edge coincides with the trailing-edge midpoint)`,
    );
  // map r -> R (r - r_LE) / c with R = rotation by -angle (derotate) or identity
  const cosA = derotate ? cx / c : 1;
  const sinA = derotate ? cy / c : 0;
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const dx = (a.x[i] - le.x) / c;
    const dy = (a.y[i] - le.y) / c;
    x[i] = cosA * dx + sinA * dy;
    y[i] = -sinA * dx + cosA * dy;
  }
  return { name: a.name, x, y, source: a.source };
}
