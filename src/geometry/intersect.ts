/**
 * Self-intersection test for an airfoil polyline (node order as in types.ts).
 *
 * Segment k joins node k and node k + 1 (k = 0 .. n-2). Two segments "properly cross" when each
 * one's end points lie strictly on opposite sides of the other's line; touching, a shared end point
 * or collinear overlap is not a crossing. Adjacent segments (k, k + 1) are never tested, and neither
 * are the first and last segment when the first and last node coincide (closed sharp trailing edge).
 * "Coincide" allows for the rounding of tabulated coordinates: the ends may be up to
 * SHARP_TE_TOLERANCE times the contour's size apart (files such as UIUC sd7003.dat end at
 * (1.00001, 0) after starting at (1, 0), and the last segment then grazes the first one).
 */

/** Ends closer than this fraction of the larger bounding-box extent count as one sharp TE point. */
export const SHARP_TE_TOLERANCE = 1e-4;

/** A crossing pair of segments: segment i joins nodes i, i+1; segment j joins nodes j, j+1 (i < j). */
export interface SegmentCrossing {
  i: number;
  j: number;
}

/**
 * Sign of the turn a -> b -> c (twice the signed triangle area): > 0 left turn, < 0 right turn,
 * 0 collinear.
 */
function orient(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): number {
  return (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
}

/** True when segment (a, b) and segment (c, d) cross at a point interior to both. */
export function segmentsCrossProperly(
  ax: number,
  ay: number,
  bx: number,
  by: number,
  cx: number,
  cy: number,
  dx: number,
  dy: number,
): boolean {
  const o1 = orient(ax, ay, bx, by, cx, cy);
  const o2 = orient(ax, ay, bx, by, dx, dy);
  if (!((o1 > 0 && o2 < 0) || (o1 < 0 && o2 > 0))) return false;
  const o3 = orient(cx, cy, dx, dy, ax, ay);
  const o4 = orient(cx, cy, dx, dy, bx, by);
  return (o3 > 0 && o4 < 0) || (o3 < 0 && o4 > 0);
}

/**
 * First pair (smallest i, then smallest j) of non-adjacent segments of the polyline x, y that
 * properly cross, or null if there is none. `sharpTeTolerance` is the largest end-to-end distance,
 * as a fraction of the larger bounding-box extent, at which the contour counts as closed (first and
 * last segment then count as adjacent).
 *
 * Sweep over segments sorted by their smallest x: a segment is only compared with the segments whose
 * x-range overlaps its own, then a y-range check, then the exact orientation test. For an airfoil
 * (two surfaces above each x) this is O(n log n) in practice, O(n^2) at worst.
 */
export function findSelfIntersection(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  sharpTeTolerance = SHARP_TE_TOLERANCE,
): SegmentCrossing | null {
  const n = Math.min(x.length, y.length);
  const nSeg = n - 1;
  if (nSeg < 3) return null;

  const xMin = new Float64Array(nSeg);
  const xMax = new Float64Array(nSeg);
  const yMin = new Float64Array(nSeg);
  const yMax = new Float64Array(nSeg);
  const order = new Int32Array(nSeg);
  for (let k = 0; k < nSeg; k++) {
    const x0 = x[k];
    const x1 = x[k + 1];
    const y0 = y[k];
    const y1 = y[k + 1];
    xMin[k] = x0 < x1 ? x0 : x1;
    xMax[k] = x0 < x1 ? x1 : x0;
    yMin[k] = y0 < y1 ? y0 : y1;
    yMax[k] = y0 < y1 ? y1 : y0;
    order[k] = k;
  }
  let extent = 0;
  {
    let bx0 = Infinity;
    let bx1 = -Infinity;
    let by0 = Infinity;
    let by1 = -Infinity;
    for (let k = 0; k < nSeg; k++) {
      bx0 = Math.min(bx0, xMin[k]);
      bx1 = Math.max(bx1, xMax[k]);
      by0 = Math.min(by0, yMin[k]);
      by1 = Math.max(by1, yMax[k]);
    }
    extent = Math.max(bx1 - bx0, by1 - by0);
  }
  const endGap = Math.hypot(x[n - 1] - x[0], y[n - 1] - y[0]);
  const closed = endGap <= sharpTeTolerance * extent;
  order.sort((a, b) => xMin[a] - xMin[b]);

  let bestI = -1;
  let bestJ = -1;
  for (let p = 0; p < nSeg; p++) {
    const a = order[p];
    const aXMax = xMax[a];
    for (let q = p + 1; q < nSeg; q++) {
      const b = order[q];
      if (xMin[b] > aXMax) break;
      if (yMin[b] > yMax[a] || yMin[a] > yMax[b]) continue;
      const i = a < b ? a : b;
      const j = a < b ? b : a;
      if (j === i + 1) continue;
      if (closed && i === 0 && j === nSeg - 1) continue;
      if (bestI >= 0 && (i > bestI || (i === bestI && j >= bestJ))) continue;
      if (segmentsCrossProperly(x[i], y[i], x[i + 1], y[i + 1], x[j], y[j], x[j + 1], y[j + 1])) {
        bestI = i;
        bestJ = j;
      }
    }
  }
  return bestI >= 0 ? { i: bestI, j: bestJ } : null;
}
