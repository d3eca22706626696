/** Geometry layer: airfoil I/O, lookup, spline, normalization, repaneling, measures, parametrizations. */
export type { Airfoil } from './types';
export { cloneAirfoil, nodeCount } from './types';
export { parseAirfoilDat, readAirfoilFile, formatSelig, writeSeligFile } from './io';
export { loadAirfoil, listShippedAirfoils, type AirfoilIndexEntry } from './lookup';
export { findSelfIntersection } from './intersect';
export { buildSpline, evalSpline, findLeadingEdge, splineCurvature, type Spline } from './spline';
export {
  normalize,
  leadingEdge,
  chord,
  chordAngle,
  trailingEdgeMidpoint,
  type NormalizeOptions,
} from './normalize';
export { repanel, repanelWithInfo, panelDeviation } from './paneling';
export { measureAirfoil, thicknessCamber, normals, curvature, type AirfoilMeasures } from './measure';
export * from './param';
