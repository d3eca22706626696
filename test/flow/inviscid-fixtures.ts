/**
 * Shared fixtures of the inviscid panel-method tests: the NACA 4-digit construction of the physics
 * reference's check case, a Karman-Trefftz airfoil with its exact conformal-map solution, and
 * reference numbers printed by XFOIL 6.99 (Debian build) for two fixture airfoils.
 */

/**
 * NACA 4-digit airfoil as in the physics reference's check fixture (section 12): thickness added
 * vertically to the camber line (yc +- yt), np points per side at x = (1 - cos b)/2, b uniform on
 * [0, pi], upper TE -> LE -> lower TE, LE once (2 np - 1 nodes). teCoef -0.1015 (open TE) or
 * -0.1036 (closed, sharp TE).
 */
export function nacaFixture(
  m: number,
  p: number,
  t: number,
  np: number,
  teCoef = -0.1015,
): { x: Float64Array; y: Float64Array } {
  const n = 2 * np - 1;
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  for (let k = 0; k < np; k++) {
    const xb = 0.5 * (1 - Math.cos((Math.PI * k) / (np - 1)));
    const yt =
      5 * t * (0.2969 * Math.sqrt(xb) - 0.126 * xb - 0.3516 * xb ** 2 + 0.2843 * xb ** 3 + teCoef * xb ** 4);
    let yc = 0;
    if (m !== 0) {
      yc =
        xb < p
          ? (m / p ** 2) * (2 * p * xb - xb * xb)
          : (m / (1 - p) ** 2) * (1 - 2 * p + 2 * p * xb - xb * xb);
    }
    x[np - 1 - k] = xb;
    y[np - 1 - k] = yc + yt;
    x[np - 1 + k] = xb;
    y[np - 1 + k] = yc - yt;
  }
  return { x, y };
}

/** Rounds coordinates to `digits` decimals (the precision of the .dat files given to XFOIL). */
export function roundCoordinates(
  a: { x: Float64Array; y: Float64Array },
  digits = 10,
): { x: Float64Array; y: Float64Array } {
  const f = 10 ** digits;
  return { x: a.x.map((v) => Math.round(v * f) / f), y: a.y.map((v) => Math.round(v * f) / f) };
}

/** Parses a whitespace-separated list of numbers. */
export function numbers(s: string): number[] {
  return s.trim().split(/\s+/).map(Number);
}

/**
 * XFOIL 6.99 output for the fixture airfoils written with 10 decimals and loaded without
 * repaneling (LOAD, OPER, ALFA 4, CPWR; then VISC 1e6, ALFA 4, DUMP), printed with 5 decimals.
 * n2412 = nacaFixture(0.02, 0.4, 0.12, 61) (blunt TE); n4412s = nacaFixture(0.04, 0.4, 0.12, 61,
 * -0.1036) (sharp TE). Wake: the NW = 20 wake nodes (x, y, s) of the DUMP file; cp: inviscid Cp at
 * the 121 nodes (CPWR).
 */
export const XFOIL_REFERENCE = {
  n2412: {
    wakeX: numbers(`1.00010 1.00079 1.00176 1.00311 1.00500 1.00763 1.01132 1.01647 1.02366 1.03371 1.04774
      1.06736 1.09477 1.13306 1.18656 1.26131 1.36572 1.51158 1.71532 1.99987`),
    wakeY: numbers(`-0.00001 -0.00005 -0.00011 -0.00019 -0.00030 -0.00044 -0.00063 -0.00089 -0.00121 -0.00163
      -0.00216 -0.00280 -0.00354 -0.00433 -0.00507 -0.00555 -0.00539 -0.00395 -0.00023 0.00729`),
    wakeS: numbers(`2.04115 2.04184 2.04281 2.04417 2.04606 2.04870 2.05239 2.05754 2.06474 2.07480 2.08884
      2.10847 2.13589 2.17419 2.22770 2.30244 2.40686 2.55272 2.75649 3.04115`),
  },
  n4412s: {
    wakeX: numbers(`1.00010 1.00079 1.00176 1.00311 1.00500 1.00764 1.01132 1.01647 1.02366 1.03371 1.04775
      1.06737 1.09478 1.13308 1.18658 1.26133 1.36573 1.51155 1.71518 1.99951`),
    wakeY: numbers(`-0.00001 -0.00010 -0.00022 -0.00038 -0.00060 -0.00090 -0.00129 -0.00182 -0.00253 -0.00345
      -0.00464 -0.00615 -0.00802 -0.01028 -0.01287 -0.01566 -0.01834 -0.02032 -0.02063 -0.01775`),
    wakeS: numbers(`2.04742 2.04812 2.04910 2.05046 2.05236 2.05501 2.05872 2.06390 2.07112 2.08122 2.09531
      2.11498 2.14246 2.18082 2.23438 2.30918 2.41362 2.55945 2.76309 3.04742`),
    cp: numbers(`0.55383 0.41761 0.33019 0.26632 0.21249 0.16432 0.11969 0.07743 0.03684 -0.00253 -0.04096
      -0.07868 -0.11581 -0.15248 -0.18876 -0.22474 -0.26048 -0.29603 -0.33147 -0.36683 -0.40220 -0.43763
      -0.47319 -0.50896 -0.54501 -0.58144 -0.61832 -0.65578 -0.69395 -0.73301 -0.77322 -0.81496 -0.85915
      -0.90615 -0.96997 -1.02645 -1.07014 -1.10867 -1.14235 -1.17173 -1.19709 -1.21863 -1.23657 -1.25114
      -1.26263 -1.27138 -1.27777 -1.28224 -1.28528 -1.28735 -1.28886 -1.29000 -1.29053 -1.28924 -1.28294
      -1.26440 -1.21818 -1.11292 -0.89146 -0.47700 0.12813 0.69759 0.97978 0.96471 0.82641 0.67716 0.55262
      0.45692 0.38559 0.33311 0.29482 0.26718 0.24756 0.23401 0.22507 0.21962 0.21682 0.21596 0.21650
      0.21798 0.21999 0.22216 0.22416 0.22562 0.22607 0.22510 0.21937 0.21035 0.20800 0.20678 0.20647
      0.20665 0.20712 0.20773 0.20839 0.20903 0.20964 0.21018 0.21066 0.21110 0.21153 0.21200 0.21255
      0.21326 0.21421 0.21548 0.21718 0.21941 0.22233 0.22609 0.23088 0.23695 0.24461 0.25426 0.26649
      0.28216 0.30262 0.33030 0.36991 0.43650 0.55383`),
  },
};

type C = [number, number];
const cadd = (a: C, b: C): C => [a[0] + b[0], a[1] + b[1]];
const csub = (a: C, b: C): C => [a[0] - b[0], a[1] - b[1]];
const cmul = (a: C, b: C): C => [a[0] * b[0] - a[1] * b[1], a[0] * b[1] + a[1] * b[0]];
const cdiv = (a: C, b: C): C => {
  const d = b[0] * b[0] + b[1] * b[1];
  return [(a[0] * b[0] + a[1] * b[1]) / d, (a[1] * b[0] - a[0] * b[1]) / d];
};
/** principal power; the argument (zeta - b)/(zeta + b) stays in the right half plane here */
const cpow = (a: C, p: number): C => {
  const r = Math.hypot(a[0], a[1]);
  if (r === 0) return [0, 0];
  const t = Math.atan2(a[1], a[0]);
  const rp = Math.pow(r, p);
  return [rp * Math.cos(p * t), rp * Math.sin(p * t)];
};
const cexp = (t: number): C => [Math.cos(t), Math.sin(t)];

/** A Karman-Trefftz airfoil sampled at N nodes with its exact potential-flow solution. */
export interface KarmanTrefftzCase {
  /** node coordinates, XFOIL order, translated/scaled so that the LE is at 0 and the chord is 1 */
  x: Float64Array;
  y: Float64Array;
  /** exact Cp at the nodes (the two TE nodes, a stagnation point / corner, are left at NaN) */
  cpExact: Float64Array;
  /** exact CL = 2 Gamma / (Qinf chord) */
  clExact: number;
}

/**
 * Karman-Trefftz airfoil: the circle through zeta = b = 1 with center (cx, cy) mapped by
 *   (z - k b)/(z + k b) = ((zeta - b)/(zeta + b))^k,  k = 2 - tau/pi  (tau = TE angle; k = 2: Joukowski),
 * exact flow at angle alpha with the Kutta condition (zero zeta-plane velocity at zeta = b).
 * Nodes at circle angles theta_TE + 2 pi (1 - cos(pi i/(N-1)))/2 (cosine clustering in the circle
 * angle; the map itself clusters them at the LE). Chord = distance from the TE to the farthest
 * surface point (XFOIL's LE definition); coordinates are scaled by 1/chord, not rotated (the freestream
 * angle is the same in both planes since z ~ zeta at infinity).
 */
export function karmanTrefftz(
  k: number,
  cx: number,
  cy: number,
  alphaRad: number,
  N: number,
): KarmanTrefftzCase {
  const b = 1;
  const c: C = [cx, cy];
  const R = Math.hypot(b - cx, cy);
  const thTE = Math.atan2(-cy, b - cx);
  const onCircle = (t: number): C => cadd(c, cmul([R, 0], cexp(t)));
  const map = (zeta: C): C => {
    const w = cpow(cdiv(csub(zeta, [b, 0]), cadd(zeta, [b, 0])), k);
    return cmul([k * b, 0], cdiv(cadd([1, 0], w), csub([1, 0], w)));
  };
  const dmap = (zeta: C): C => {
    const r = cdiv(csub(zeta, [b, 0]), cadd(zeta, [b, 0]));
    const om = csub([1, 0], cpow(r, k));
    const zp = cadd(zeta, [b, 0]);
    return cmul(
      cdiv([2 * k * b, 0], cmul(om, om)),
      cmul(cmul([k, 0], cpow(r, k - 1)), cdiv([2 * b, 0], cmul(zp, zp))),
    );
  };
  const ea = cexp(-alphaRad);
  const eb = cexp(alphaRad);
  const dz = csub([b, 0], c);
  // clockwise circulation from the Kutta condition: e^{-ia} - R^2 e^{ia}/(b-c)^2 + i G/(2 pi (b-c)) = 0
  const bracket = csub(ea, cdiv(cmul([R * R, 0], eb), cmul(dz, dz)));
  const gamma = cmul(cmul([0, 2 * Math.PI], dz), bracket)[0];
  const dW = (zeta: C): C => {
    const d = csub(zeta, c);
    return cadd(
      csub(ea, cdiv(cmul([R * R, 0], eb), cmul(d, d))),
      cdiv([0, gamma], cmul([2 * Math.PI, 0], d)),
    );
  };
  const zte = map([b, 0]);
  const dist = (t: number): number => {
    const z = map(onCircle(t));
    return Math.hypot(z[0] - zte[0], z[1] - zte[1]);
  };
  // LE = farthest point from the TE: dense scan, then golden-section refinement
  const M = 4000;
  let bt = thTE;
  let best = 0;
  for (let i = 1; i < M; i++) {
    const t = thTE + (2 * Math.PI * i) / M;
    const d = dist(t);
    if (d > best) {
      best = d;
      bt = t;
    }
  }
  let lo = bt - (2 * Math.PI) / M;
  let hi = bt + (2 * Math.PI) / M;
  for (let it = 0; it < 200; it++) {
    const m1 = lo + (hi - lo) / 3;
    const m2 = hi - (hi - lo) / 3;
    if (dist(m1) > dist(m2)) hi = m2;
    else lo = m1;
  }
  const tle = 0.5 * (lo + hi);
  const chord = dist(tle);
  const zle = map(onCircle(tle));
  const x = new Float64Array(N);
  const y = new Float64Array(N);
  const cpExact = new Float64Array(N).fill(NaN);
  for (let i = 0; i < N; i++) {
    const t = thTE + Math.PI * (1 - Math.cos((Math.PI * i) / (N - 1)));
    const zeta = onCircle(t);
    const z = i === 0 || i === N - 1 ? zte : map(zeta);
    x[i] = (z[0] - zle[0]) / chord;
    y[i] = (z[1] - zle[1]) / chord;
    if (i > 0 && i < N - 1) {
      const v = cdiv(dW(zeta), dmap(zeta));
      cpExact[i] = 1 - (v[0] * v[0] + v[1] * v[1]);
    }
  }
  return { x, y, cpExact, clExact: (2 * gamma) / chord };
}

/** Least-squares slope of log(err) against log(1/N) (the observed order of convergence). */
export function convergenceOrder(nodes: number[], err: number[]): number {
  const xs = nodes.map((n) => Math.log(n));
  const ys = err.map((e) => Math.log(e));
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < xs.length; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
  }
  return -sxy / sxx;
}
