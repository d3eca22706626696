/**
 * Boundary-layer stations on the panel nodes in XFOIL 6.99's formulation (xpanel.f STFIND, IBLPAN,
 * XICALC, UICALC, UESET), physics reference sections 2.7, 3 and 4.8, written from the published
 * description.
 *
 * Sides: 0 = upper surface (XFOIL side 1), 1 = lower surface followed by the wake (XFOIL side 2).
 * Stations on a side are numbered ibl = 0..nbl-1 in the downstream direction; ibl = 0 is the
 * stagnation point itself (no panel node, xi = 0, ue = 0; XFOIL's IBL = 1); ibl = 1 is the node next
 * to the stagnation point. Side 0 ends at its TE station iblte[0] = node 0; side 1 has its TE station
 * iblte[1] = node n-1 followed by the nw wake stations (combined node indices n..n+nw-1).
 *
 * Edge speed: ue = v q with v = +1 on side 0 and -1 on side 1 (lower surface and wake), where q is
 * the panel speed (gam on the airfoil, the wake speed on the wake).
 */
import type { InviscidSystem, PanelGeometry } from './inviscid';
import type { SourceInfluence } from './source-influence';
import type { Wake } from './wake';

/** minimum xi of a station, relative to the airfoil arc length (XFOIL XFEPS) */
export const XI_FLOOR_RATIO = 1e-7;
/** length of the wake-gap ("dead air") region in TE-gap heights (XFOIL TELRAT) */
export const WAKE_GAP_LENGTH_RATIO = 2.5;

/** Stagnation point located between two nodes (XFOIL STFIND). */
export interface StagnationPoint {
  /** index i with q_i >= 0 > q_(i+1) (XFOIL IST - 1) */
  ist: number;
  /** arc length s of the stagnation point (linear interpolation of q), kept 1e-7 off the nodes */
  sst: number;
  /** d sst / d q_ist */
  sstGo: number;
  /** d sst / d q_(ist+1) */
  sstGp: number;
  /** false when q has no + to - sign change (then ist = floor(n/2) - 1, as XFOIL) */
  found: boolean;
}

/**
 * Finds the stagnation point from the node speeds q (length >= n; gam inviscid, v*ue viscous) on
 * the arc lengths s (XFOIL STFIND). Writes into `out` when given.
 */
export function stagnationPoint(
  s: Float64Array,
  q: Float64Array,
  n: number,
  out: StagnationPoint = { ist: 0, sst: 0, sstGo: 0, sstGp: 0, found: false },
): StagnationPoint {
  let i = -1;
  for (let k = 0; k < n - 1; k++) {
    if (q[k] >= 0 && q[k + 1] < 0) {
      i = k;
      break;
    }
  }
  out.found = i >= 0;
  if (i < 0) i = Math.floor(n / 2) - 1;
  const dgam = q[i + 1] - q[i];
  const ds = s[i + 1] - s[i];
  // interpolate from the node with the smaller |q| to limit round-off
  let sst = q[i] < -q[i + 1] ? s[i] - ds * (q[i] / dgam) : s[i + 1] - ds * (q[i + 1] / dgam);
  if (sst <= s[i]) sst = s[i] + 1e-7;
  if (sst >= s[i + 1]) sst = s[i + 1] - 1e-7;
  out.ist = i;
  out.sst = sst;
  out.sstGo = (sst - s[i + 1]) / dgam;
  out.sstGp = (s[i] - sst) / dgam;
  return out;
}

/**
 * Mapping between BL stations and panel nodes, station arc lengths and the wake gap (XFOIL IBLPAN +
 * XICALC). Side arrays are allocated with capacity n + nw + 1 so the map can be rebuilt in place
 * when the stagnation point moves; only entries 0..nbl[side]-1 are meaningful.
 */
export interface StationMap {
  /** airfoil nodes */
  n: number;
  /** wake nodes */
  nw: number;
  /** stagnation point used for this map */
  stag: StagnationPoint;
  /** number of stations per side, including station 0 (XFOIL NBL) */
  nbl: Int32Array;
  /** TE station index per side (XFOIL IBLTE - 1) */
  iblte: Int32Array;
  /** combined node index (airfoil 0..n-1, wake n..n+nw-1) of each station; -1 at station 0 */
  ipan: [Int32Array, Int32Array];
  /** ue = vti q: +1 on side 0, -1 on side 1 (XFOIL VTI); 0 at station 0 */
  vti: [Float64Array, Float64Array];
  /**
   * xi = arc length from the stagnation point (XFOIL XSSI): side 0: max(sst - s_i, floor), side 1
   * airfoil: max(s_i - sst, floor), floor = 1e-7 (s_(n-1) - s_0); first wake station = xi of the
   * side-1 TE station, then + the wake panel lengths. dxi/dsst = +1 on side 0, -1 on side 1 (wake
   * included) away from the floor.
   */
  xi: [Float64Array, Float64Array];
  /**
   * wake gap ("dead air" thickness) at wake station k (station iblte[1] + 1 + k), length nw; 0 for a
   * sharp TE (XFOIL WGAP)
   */
  wgap: Float64Array;
  /** global system index of each station >= 1 (side 0 stations first, then side 1) (XFOIL ISYS - 1); -1 at station 0 */
  isys: [Int32Array, Int32Array];
  /** number of system stations nbl[0] - 1 + nbl[1] - 1 (XFOIL NSYS) */
  nsys: number;
  /** side of each combined node (length n + nw) */
  nodeSide: Int8Array;
  /** station index of each combined node */
  nodeStation: Int32Array;
}

/** Allocates a StationMap for n airfoil and nw wake nodes. */
export function newStationMap(n: number, nw: number): StationMap {
  const cap = n + nw + 1;
  return {
    n,
    nw,
    stag: { ist: 0, sst: 0, sstGo: 0, sstGp: 0, found: false },
    nbl: new Int32Array(2),
    iblte: new Int32Array(2),
    ipan: [new Int32Array(cap), new Int32Array(cap)],
    vti: [new Float64Array(cap), new Float64Array(cap)],
    xi: [new Float64Array(cap), new Float64Array(cap)],
    wgap: new Float64Array(nw),
    isys: [new Int32Array(cap), new Int32Array(cap)],
    nsys: 0,
    nodeSide: new Int8Array(n + nw),
    nodeStation: new Int32Array(n + nw),
  };
}

/**
 * Wake-gap cubic parameters of a geometry (XFOIL XICALC): the TE "flap" slope
 * dwdxte = cr/sqrt(1 - cr^2), cr = normalized cross product of the two TE tangents, clipped to
 * +-3/TELRAT; A = 3 + TELRAT dwdxte, B = -2 - TELRAT dwdxte.
 */
export function wakeGapCoefficients(g: PanelGeometry): { dwdxte: number; aa: number; bb: number } {
  const n = g.n;
  const crosp =
    (g.xp[0] * g.yp[n - 1] - g.yp[0] * g.xp[n - 1]) /
    Math.sqrt(
      (g.xp[0] * g.xp[0] + g.yp[0] * g.yp[0]) * (g.xp[n - 1] * g.xp[n - 1] + g.yp[n - 1] * g.yp[n - 1]),
    );
  let dwdxte = crosp / Math.sqrt(1 - crosp * crosp);
  dwdxte = Math.min(Math.max(dwdxte, -3 / WAKE_GAP_LENGTH_RATIO), 3 / WAKE_GAP_LENGTH_RATIO);
  return { dwdxte, aa: 3 + WAKE_GAP_LENGTH_RATIO * dwdxte, bb: -2 - WAKE_GAP_LENGTH_RATIO * dwdxte };
}

/**
 * Builds (or rebuilds in place) the station map for the stagnation point `stag` (XFOIL IBLPAN +
 * XICALC). `stag` is copied into map.stag.
 */
export function buildStationMap(
  g: PanelGeometry,
  wake: Wake,
  stag: StagnationPoint,
  out?: StationMap,
): StationMap {
  const n = g.n;
  const nw = wake.nw;
  const map = out && out.n === n && out.nw === nw ? out : newStationMap(n, nw);
  Object.assign(map.stag, stag);
  const ist = stag.ist;
  const sst = stag.sst;
  const xeps = XI_FLOOR_RATIO * (g.s[n - 1] - g.s[0]);

  // side 0: nodes ist, ist-1, ..., 0
  let ibl = 0;
  const [ip0, ip1] = map.ipan;
  const [v0, v1] = map.vti;
  const [xi0, xi1] = map.xi;
  ip0[0] = -1;
  v0[0] = 0;
  xi0[0] = 0;
  for (let i = ist; i >= 0; i--) {
    ibl++;
    ip0[ibl] = i;
    v0[ibl] = 1;
    xi0[ibl] = Math.max(sst - g.s[i], xeps);
  }
  map.iblte[0] = ibl;
  map.nbl[0] = ibl + 1;

  // side 1: nodes ist+1 .. n-1, then the wake
  ibl = 0;
  ip1[0] = -1;
  v1[0] = 0;
  xi1[0] = 0;
  for (let i = ist + 1; i < n; i++) {
    ibl++;
    ip1[ibl] = i;
    v1[ibl] = -1;
    xi1[ibl] = Math.max(g.s[i] - sst, xeps);
  }
  const ite = ibl;
  map.iblte[1] = ite;
  for (let k = 0; k < nw; k++) {
    ibl = ite + 1 + k;
    ip1[ibl] = n + k;
    v1[ibl] = -1;
    xi1[ibl] =
      k === 0 ? xi1[ite] : xi1[ibl - 1] + Math.hypot(wake.x[k] - wake.x[k - 1], wake.y[k] - wake.y[k - 1]);
  }
  map.nbl[1] = ite + nw + 1;

  // wake gap [XICALC]
  if (g.sharp) {
    map.wgap.fill(0);
  } else {
    const { aa, bb } = wakeGapCoefficients(g);
    for (let k = 0; k < nw; k++) {
      const zn = 1 - (xi1[ite + 1 + k] - xi1[ite]) / (WAKE_GAP_LENGTH_RATIO * g.ante);
      map.wgap[k] = zn >= 0 ? g.ante * (aa + bb * zn) * zn * zn : 0;
    }
  }

  // system indices and the inverse map
  let iv = 0;
  for (let is = 0; is < 2; is++) {
    const isys = map.isys[is];
    const ipan = map.ipan[is];
    isys[0] = -1;
    for (let b = 1; b < map.nbl[is]; b++) {
      isys[b] = iv++;
      map.nodeSide[ipan[b]] = is;
      map.nodeStation[ipan[b]] = b;
    }
  }
  map.nsys = iv;
  return map;
}

/**
 * Inviscid edge speed per station at alphaRad (XFOIL QISET + UICALC): ueInv[side][ibl] = vti q_inv,
 * q_inv = cos(a) q0 + sin(a) q90 (airfoil: the unit gam; wake: the unit wake speeds), and its alpha
 * derivative. Station 0 gets 0. The output arrays need length >= nbl[side].
 */
export function inviscidEdgeSpeed(
  sys: InviscidSystem,
  wake: Wake,
  map: StationMap,
  alphaRad: number,
  ueInv: [Float64Array, Float64Array],
  dueInvDalpha: [Float64Array, Float64Array],
): void {
  const n = sys.geom.n;
  const ca = Math.cos(alphaRad);
  const sa = Math.sin(alphaRad);
  for (let is = 0; is < 2; is++) {
    const ipan = map.ipan[is];
    const vti = map.vti[is];
    const u = ueInv[is];
    const ua = dueInvDalpha[is];
    u[0] = 0;
    ua[0] = 0;
    for (let b = 1; b < map.nbl[is]; b++) {
      const i = ipan[b];
      const q0 = i < n ? sys.gam0[i] : wake.q0[i - n];
      const q90 = i < n ? sys.gam90[i] : wake.q90[i - n];
      u[b] = vti[b] * (ca * q0 + sa * q90);
      ua[b] = vti[b] * (-sa * q0 + ca * q90);
    }
  }
}

/**
 * Edge speed with the displacement effect (XFOIL UESET):
 *   ue[is][ibl] = ueInv[is][ibl] + sum over stations (js, jbl >= 1) of
 *                 -vti[is][ibl] vti[js][jbl] DIJ(I, J) mass[js][jbl],
 * I, J the stations' combined node indices, mass = ue delta* (m). Station 0 gets 0.
 */
export function edgeSpeedWithMass(
  si: SourceInfluence,
  map: StationMap,
  ueInv: [Float64Array, Float64Array],
  mass: [Float64Array, Float64Array],
  ue: [Float64Array, Float64Array],
): void {
  const nTot = si.nTot;
  const dij = si.dij;
  for (let is = 0; is < 2; is++) {
    ue[is][0] = 0;
    for (let b = 1; b < map.nbl[is]; b++) {
      const r = map.ipan[is][b] * nTot;
      let dui = 0;
      for (let js = 0; js < 2; js++) {
        const ipj = map.ipan[js];
        const vj = map.vti[js];
        const mj = mass[js];
        for (let c = 1; c < map.nbl[js]; c++) dui += vj[c] * dij[r + ipj[c]] * mj[c];
      }
      ue[is][b] = ueInv[is][b] - map.vti[is][b] * dui;
    }
  }
}
