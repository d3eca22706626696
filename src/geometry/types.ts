/**
 * Core geometry types shared by every stage (solver, operator, optimizer, report).
 *
 * Node order convention (XFOIL's, also the Selig file order): counterclockwise, starting at the
 * upper-surface trailing edge, running over the upper surface to the leading edge and back along the
 * lower surface to the lower-surface trailing edge. The leading edge appears once. The contour is
 * open at a blunt trailing edge (first and last node differ) and closed for a sharp one (first and
 * last node coincide in position, but are still two nodes).
 */
export interface Airfoil {
  /** display name (from the file's name line, the NACA code, or the file name) */
  name: string;
  /** x coordinates, chord units, node order as above */
  x: Float64Array;
  /** y coordinates, chord units */
  y: Float64Array;
  /** where the coordinates came from (file path, "NACA 4-digit formula", ...) */
  source?: string;
}

/** Number of nodes of an airfoil. */
export function nodeCount(a: Airfoil): number {
  return a.x.length;
}

/** Deep copy. */
export function cloneAirfoil(a: Airfoil, name = a.name): Airfoil {
  return { name, x: Float64Array.from(a.x), y: Float64Array.from(a.y), source: a.source };
}
