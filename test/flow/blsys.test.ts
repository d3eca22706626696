/**
 * Boundary-layer station variables and interval systems (src/flow/blsys.ts): residuals and station
 * details against the check values of /work/shared/docs/xfoil-physics.md section 12 (compiled
 * double-precision XFOIL BLPRV/BLKIN/BLVAR/BLMID/BLDIF/TRCHEK2/TRDIF), TRCHEK2 behaviour, and every
 * Jacobian (a1, a2, axf, az) against 5-point central finite differences of the residuals.
 */
import {
  BlParams,
  BlStation,
  BlSystem,
  blInterval,
  blSimilarity,
  blStation,
  blTransition,
  createBlParams,
  LAMINAR,
  teSystem,
  TransitionResult,
  trchek2,
  TURBULENT,
  WAKE,
} from '../../src/flow/blsys';
import { axset, cfl, cft } from '../../src/flow/closures';

/** station primaries: [xi, ue, theta, deltaStar, nAmp or s, wakeGap] (the doc's table order) */
type Prim = [number, number, number, number, number, number];

function expectRel(actual: number, expected: number, tol = 1e-12): void {
  const err = expected === 0 ? Math.abs(actual) : Math.abs(actual - expected) / Math.abs(expected);
  if (!(err <= tol))
    throw new Error(`got ${actual}, expected ${expected} (rel err ${err.toExponential(2)} > ${tol})`);
}

function fill(p: BlParams, type: number, v: Prim, st: BlStation): BlStation {
  blStation(p, type, v[0], v[4], v[2], v[3], v[1], v[5], st);
  return st;
}

const REF = {
  lam1: [0.1, 1.2, 1.5e-4, 3.9e-4, 2.0, 0] as Prim,
  lam2: [0.12, 1.18, 1.7e-4, 4.6e-4, 2.8, 0] as Prim,
  turb1: [0.5, 1.1, 1.2e-3, 1.8e-3, 0.07, 0] as Prim,
  turb2: [0.55, 1.08, 1.35e-3, 2.1e-3, 0.075, 0] as Prim,
  wake1: [1.05, 0.95, 3.0e-3, 5.0e-3, 0.05, 1e-3] as Prim,
  wake2: [1.15, 0.97, 3.1e-3, 4.7e-3, 0.045, 5e-4] as Prim,
  simi: [0.002, 0.15, 2.0e-5, 4.5e-5, 0, 0] as Prim,
  tr1: [0.3, 1.1, 3.0e-4, 7.8e-4, 8.9, 0] as Prim,
  tr2: [0.32, 1.09, 3.3e-4, 8.9e-4, 0.05, 0] as Prim,
};

describe('interval residuals and station details (section 12 check values)', () => {
  const a = new BlStation();
  const b = new BlStation();
  const sys = new BlSystem();

  test('laminar interval, Minf 0, Re 1e6', () => {
    const p = createBlParams({ re: 1e6 });
    fill(p, LAMINAR, REF.lam1, a);
    fill(p, LAMINAR, REF.lam2, b);
    blInterval(p, LAMINAR, a, b, sys);
    expectRel(sys.res[0], 4.83932815450098e-1);
    expectRel(sys.res[1], -8.15113447398714e-2);
    expectRel(sys.res[2], 7.21623771610045e-3);
    expectRel(b.ret, 200.6);
    expectRel(b.hs, 1.56547709597595);
    expectRel(b.cf, 1.78431731566984e-3);
    expectRel(b.di, 1.07410099890446e-3);
  });

  test('turbulent interval, Minf 0, Re 1e6', () => {
    const p = createBlParams({ re: 1e6 });
    fill(p, TURBULENT, REF.turb1, a);
    fill(p, TURBULENT, REF.turb2, b);
    blInterval(p, TURBULENT, a, b, sys);
    expectRel(sys.res[0], -9.16973057413782e-3);
    expectRel(sys.res[1], -8.19030790764922e-3);
    expectRel(sys.res[2], -1.03103199232001e-1);
    expectRel(b.hs, 1.70998445226255);
    expectRel(b.us, 0.447853070830667);
    expectRel(b.cq, 4.47560173708147e-2);
    expectRel(b.cf, 2.92872992146861e-3);
    expectRel(b.di, 4.38684113078372e-3);
    expectRel(b.delta, 1.05321e-2);
  });

  test('turbulent interval, Minf 0.5, Re 3e6 (Karman-Tsien uk, Me2, Hk, Ret with mu ~ sqrt(T))', () => {
    const p = createBlParams({ re: 3e6, mach: 0.5 });
    fill(p, TURBULENT, REF.turb1, a);
    fill(p, TURBULENT, REF.turb2, b);
    blInterval(p, TURBULENT, a, b, sys);
    expectRel(sys.res[0], -1.01846015974048e-2);
    expectRel(sys.res[1], -8.04736756858435e-3);
    expectRel(sys.res[2], -8.39258623922851e-2);
    expectRel(a.uk, 1.11816294297375);
    expectRel(a.me2, 0.316533322175981);
    expectRel(a.hk, 1.35957567305572);
    expectRel(a.ret, 3925.26626943452);
  });

  test('wake interval (wake gap, doubled dissipation, DLCON), Minf 0, Re 1e6', () => {
    const p = createBlParams({ re: 1e6 });
    fill(p, WAKE, REF.wake1, a);
    fill(p, WAKE, REF.wake2, b);
    blInterval(p, WAKE, a, b, sys);
    expectRel(sys.res[0], -3.13215748543757e-3);
    expectRel(sys.res[1], 1.0761331772137e-1);
    expectRel(sys.res[2], -8.60385476308336e-2);
    expectRel(b.hs, 1.7815899000533);
    expectRel(b.us, 0.579723697636391);
    expectRel(b.cq, 3.36303261831111e-2);
    expectRel(b.di, 1.9073686032502e-3);
    expect(b.cf).toBe(0);
  });

  test('similarity station, Minf 0, Re 1e6; equals the derived Hiemenz-flow equations', () => {
    const p = createBlParams({ re: 1e6 });
    fill(p, LAMINAR, REF.simi, a);
    blSimilarity(p, a, sys);
    expect(sys.res[0]).toBe(0);
    expectRel(sys.res[1], -7.3815625);
    expectRel(sys.res[2], 1.99787692570999);
    // doc 4.7: (2 + H - Me2) - 0.5 Cf xi/th and (2 Hss/Hs + 1 - H) + (xi/th)(0.5 Cf - Di)
    const xot = a.xi / a.theta;
    expectRel(sys.res[1], 2 + a.h - a.me2 - 0.5 * a.cf * xot, 1e-14);
    expectRel(sys.res[2], (2 * a.hss) / a.hs + 1 - a.h + xot * (0.5 * a.cf - a.di), 1e-14);
    for (let i = 0; i < 15; i++) expect(sys.a1[i]).toBe(0);
  });

  test('transition interval, Minf 0, Re 2e6 (TRCHEK2 iterate + TRDIF)', () => {
    const p = createBlParams({ re: 2e6 });
    fill(p, LAMINAR, REF.tr1, a);
    fill(p, TURBULENT, REF.tr2, b);
    // the reference harness started TRCHEK2 with station-2 N = 0
    expect(blTransition(p, a, b, 0, p.xiTrip[0], sys)).toBe(true);
    expectRel(sys.res[0], -1.87988637197318e-3);
    expectRel(sys.res[1], 3.44611925569695e-2);
    expectRel(sys.res[2], -4.07313067072291e-2);
    expectRel(sys.tr.n2, 9.09839743980702);
    expectRel(sys.tr.xiT, 0.310080775245615);
    expectRel(sys.stTurb.hk, 2.65118425003946);
    expectRel(sys.stTurb.s, 1.91136946857211e-2);
    expect(sys.tr.free).toBe(true);
    expect(sys.tr.forced).toBe(false);
  });
});

describe('station variables', () => {
  test('incompressible: uk = ue, Me2 = 0, Ret = Re ue theta, Hk = H, D = ds - wakeGap', () => {
    const p = createBlParams({ re: 1e6 });
    const st = fill(p, WAKE, [1.1, 0.97, 3e-3, 5e-3, 0.04, 1e-3], new BlStation());
    expect(st.uk).toBe(0.97);
    expect(st.uk_ue).toBe(1);
    expect(st.me2).toBe(0);
    expectRel(st.ret, 1e6 * 0.97 * 3e-3, 1e-15);
    expectRel(st.dNoGap, 4e-3, 1e-15);
    expectRel(st.hk, 4e-3 / 3e-3, 1e-15);
    expectRel(st.h, 4e-3 / 3e-3, 1e-15);
  });

  test('compressible: Karman-Tsien speed map and Me2 from the stagnation enthalpy', () => {
    const mach = 0.5;
    const p = createBlParams({ re: 3e6, mach });
    const ue = 1.1;
    const st = fill(p, TURBULENT, [0.5, ue, 1.2e-3, 1.8e-3, 0.07, 0], new BlStation());
    const beta = Math.sqrt(1 - mach * mach);
    const lam = (mach * mach) / ((1 + beta) * (1 + beta));
    expectRel(st.uk, (ue * (1 - lam)) / (1 - lam * ue * ue), 1e-15);
    const hinv = (0.4 * mach * mach) / (1 + 0.2 * mach * mach);
    expectRel(st.me2, (st.uk * st.uk * hinv) / (0.4 * (1 - 0.5 * st.uk * st.uk * hinv)), 1e-14);
    // duk/due against a central difference
    const q = new BlStation();
    const h = 1e-6;
    const up = fill(p, TURBULENT, [0.5, ue + h, 1.2e-3, 1.8e-3, 0.07, 0], q).uk;
    const um = fill(p, TURBULENT, [0.5, ue - h, 1.2e-3, 1.8e-3, 0.07, 0], q).uk;
    expectRel(st.uk_ue, (up - um) / (2 * h), 1e-8);
  });

  test('closure floors: Hk >= 1.05 (airfoil) and 1.00005 (wake); turbulent Cf = max(turbulent, laminar)', () => {
    const p = createBlParams({ re: 1e6 });
    const st = fill(p, TURBULENT, [0.5, 1.0, 1e-3, 1.03e-3, 0.05, 0], new BlStation());
    expect(st.hkRaw).toBeCloseTo(1.03, 14);
    expect(st.hk).toBe(1.05);
    expect(st.hk_th).toBe(0);
    const w = fill(p, WAKE, [1.2, 1.0, 1e-3, 1.00001e-3, 0.05, 0], new BlStation());
    expect(w.hk).toBe(1.00005);
    // very low Ret: the laminar Cf exceeds the turbulent one and is used on a turbulent station
    const lo = fill(
      createBlParams({ re: 1e3 }),
      TURBULENT,
      [0.5, 1.0, 2e-2, 3.6e-2, 0.05, 0],
      new BlStation(),
    );
    const o = new Float64Array(4);
    const lam = cfl(lo.hk, lo.ret, 0, o);
    expect(lam).toBeGreaterThan(cft(lo.hk, lo.ret, 0, o));
    expect(lo.cf).toBe(lam);
  });
});

describe('TRCHEK2', () => {
  const a = new BlStation();
  const b = new BlStation();

  test('XFOIL stops at |dN2| < 5e-5; the fully converged N2 is 9.0984139', () => {
    const p = createBlParams({ re: 2e6 });
    fill(p, LAMINAR, REF.tr1, a);
    fill(p, TURBULENT, REF.tr2, b);
    const tr = new TransitionResult();
    expect(trchek2(p, a, b, 0, Infinity, tr)).toBe(true);
    expect(tr.converged).toBe(true);
    expectRel(tr.n2, 9.09839743980702);
    expectRel(tr.xiT, 0.310080775245615);
    const tight = createBlParams({ re: 2e6, trTolerance: 1e-12 });
    trchek2(tight, a, b, 0, Infinity, tr);
    expect(tr.converged).toBe(true);
    expect(Math.abs(tr.n2 - 9.0984139)).toBeLessThan(1e-7);
    // at the converged N2 the implicit equation holds: (Ncrit - N1)/(xi_T - xi1) = AXbar(1, T)
    const ts = tr.tState;
    const ax = axset(a.hk, a.theta, a.ret, a.nAmp, ts.hkRaw, ts.theta, ts.ret, 9, 9, 0, new Float64Array(9));
    expectRel((9 - a.nAmp) / (tr.xiT - a.xi), ax, 1e-10);
  });

  test('no transition: N2 solves N2 - N1 = AXbar(1,2) dxi, the laminar amplification row then vanishes', () => {
    const p = createBlParams({ re: 1e6, trTolerance: 1e-12 });
    fill(p, LAMINAR, REF.lam1, a);
    fill(p, LAMINAR, REF.lam2, b);
    const tr = new TransitionResult();
    expect(trchek2(p, a, b, REF.lam1[4], Infinity, tr)).toBe(false);
    expect(tr.n2).toBeLessThan(9);
    b.nAmp = tr.n2;
    const sys = new BlSystem();
    blInterval(p, LAMINAR, a, b, sys);
    expect(Math.abs(sys.res[0])).toBeLessThan(1e-11);
  });

  test('forced transition (trip inside the interval, upstream of free transition): xi_T = xi_trip', () => {
    const p = createBlParams({ re: 2e6 });
    fill(p, LAMINAR, REF.tr1, a);
    fill(p, TURBULENT, REF.tr2, b);
    const tr = new TransitionResult();
    // N2 >= Ncrit and trip in the interval: the TRCHEK2 iterate already places T at the trip, so
    // XFOIL's "trip < xi_T" test is a rounding tie (here it reports free); either way xi_T is the
    // trip, independent of the BL state, and moves one-to-one with the trip
    expect(trchek2(p, a, b, 0, 0.305, tr)).toBe(true);
    expect(tr.forced || tr.free).toBe(true);
    expectRel(tr.xiT, 0.305, 1e-15);
    expectRel(tr.xt_xf, 1, 1e-14);
    for (const d of [
      tr.xt_n1,
      tr.xt_th1,
      tr.xt_ds1,
      tr.xt_uk1,
      tr.xt_xi1,
      tr.xt_th2,
      tr.xt_ds2,
      tr.xt_uk2,
      tr.xt_xi2,
    ]) {
      expect(Math.abs(d)).toBeLessThan(1e-14);
    }
    // sub-critical N2 with a trip in the interval: forced
    fill(p, LAMINAR, [0.3, 1.1, 3.0e-4, 7.8e-4, 8.0, 0], a);
    expect(trchek2(p, a, b, 0, 0.305, tr)).toBe(true);
    expect(tr.forced).toBe(true);
    expect(tr.xiT).toBe(0.305);
    expect(tr.xt_xf).toBe(1);
    expect(tr.xt_th1).toBe(0);
    fill(p, LAMINAR, REF.tr1, a);
    // trip downstream of the free transition point: free transition wins
    expect(trchek2(p, a, b, 0, 0.315, tr)).toBe(true);
    expect(tr.free).toBe(true);
    expectRel(tr.xiT, 0.310080775245615);
    // a trip in a laminar (sub-critical) interval forces transition there
    fill(p, LAMINAR, [0.3, 1.1, 3.0e-4, 7.8e-4, 3.0, 0], a);
    expect(trchek2(p, a, b, 0, 0.31, tr)).toBe(true);
    expect(tr.forced).toBe(true);
    expect(tr.free).toBe(false);
  });

  test('d xi_T / d(station variables) against finite differences (implicit N2)', () => {
    const p = createBlParams({ re: 2e6, trTolerance: 1e-12 });
    const tr = new TransitionResult();
    const v1 = REF.tr1.slice() as Prim;
    const v2 = REF.tr2.slice() as Prim;
    const xiT = (): number => {
      fill(p, LAMINAR, v1, a);
      fill(p, TURBULENT, v2, b);
      trchek2(p, a, b, 0, Infinity, tr);
      return tr.xiT;
    };
    xiT();
    // [vector, index in Prim, analytic d/d(uk) -> d/due by uk_ue]
    const an = [
      [v1, 4, tr.xt_n1],
      [v1, 2, tr.xt_th1],
      [v1, 3, tr.xt_ds1],
      [v1, 1, tr.xt_uk1 * a.uk_ue],
      [v1, 0, tr.xt_xi1],
      [v2, 2, tr.xt_th2],
      [v2, 3, tr.xt_ds2],
      [v2, 1, tr.xt_uk2 * b.uk_ue],
      [v2, 0, tr.xt_xi2],
    ] as [Prim, number, number][];
    for (const [v, i, d] of an) {
      const x = v[i];
      const h = 1e-5 * Math.abs(x);
      const f = (dx: number): number => {
        v[i] = x + dx;
        const r = xiT();
        v[i] = x;
        return r;
      };
      const fd = (-f(2 * h) + 8 * f(h) - 8 * f(-h) + f(-2 * h)) / (12 * h);
      // compare in scaled form (d xi_T/dx * x) relative to the interval length
      expect(Math.abs((d - fd) * x)).toBeLessThan(1e-8 * (v2[0] - v1[0]) + 1e-6 * Math.abs(d * x));
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Jacobians against finite differences

type Kind = 'laminar' | 'turbulent' | 'wake' | 'similarity' | 'transition';

/** residuals of an interval given station primaries [ampOrS, theta, deltaStar, ue, xi] (+ wakeGap) */
class IntervalEval {
  readonly a = new BlStation();
  readonly b = new BlStation();
  readonly sys = new BlSystem();
  constructor(
    readonly p: BlParams,
    readonly kind: Kind,
    readonly gap1: number,
    readonly gap2: number,
  ) {}
  run(v1: number[], v2: number[], xiTrip: number): Float64Array {
    const { p, kind, a, b, sys } = this;
    const t1 = kind === 'turbulent' ? TURBULENT : kind === 'wake' ? WAKE : LAMINAR;
    const t2 = kind === 'laminar' || kind === 'similarity' ? LAMINAR : kind === 'wake' ? WAKE : TURBULENT;
    blStation(p, t1, v1[4], v1[0], v1[1], v1[2], v1[3], this.gap1, a);
    blStation(p, t2, v2[4], v2[0], v2[1], v2[2], v2[3], this.gap2, b);
    if (kind === 'similarity') blSimilarity(p, b, sys);
    else if (kind === 'transition') {
      if (!blTransition(p, a, b, 0, xiTrip, sys)) throw new Error('no transition');
    } else blInterval(p, t2, a, b, sys);
    return Float64Array.from(sys.res);
  }
}

/**
 * Compares a1, a2 (and axf when xiTrip is finite) with 5-point central differences. Entries are
 * compared scaled by their variable (J x): relative 1e-6 where |J x| >= 1e-3 of the row's largest
 * scaled entry, else absolute 1e-9 of it. Returns the worst relative error.
 */
function checkJacobian(ev: IntervalEval, v1: number[], v2: number[], xiTrip = Infinity): number {
  ev.run(v1, v2, xiTrip);
  const A1 = Float64Array.from(ev.sys.a1);
  const A2 = Float64Array.from(ev.sys.a2);
  const AX = Float64Array.from(ev.sys.axf);
  const scale = (v: number[], c: number): number => Math.max(Math.abs(v[c]), c === 0 ? 1e-2 : 1e-6);
  let worst = 0;
  const rowScale = [0, 1, 2].map((k) => {
    let m = 0;
    for (let c = 0; c < 5; c++)
      m = Math.max(m, Math.abs(A1[5 * k + c] * scale(v1, c)), Math.abs(A2[5 * k + c] * scale(v2, c)));
    return m;
  });
  const cols: [number, number][] = [];
  for (let c = 0; c < 5; c++) {
    if (ev.kind !== 'similarity') cols.push([1, c]);
    cols.push([2, c]);
  }
  if (Number.isFinite(xiTrip)) cols.push([3, 0]);
  for (const [s, c] of cols) {
    const v = s === 1 ? v1 : v2;
    const x = s === 3 ? xiTrip : v[c];
    const xs = s === 3 ? xiTrip : scale(v, c);
    const h = 1e-5 * xs;
    const f = (d: number): Float64Array => {
      if (s === 3) return ev.run(v1, v2, xiTrip + d);
      v[c] = x + d;
      const r = ev.run(v1, v2, xiTrip);
      v[c] = x;
      return r;
    };
    const r2p = f(2 * h);
    const r1p = f(h);
    const r1m = f(-h);
    const r2m = f(-2 * h);
    for (let k = 0; k < 3; k++) {
      const fd = (-r2p[k] + 8 * r1p[k] - 8 * r1m[k] + r2m[k]) / (12 * h);
      const an = s === 3 ? AX[k] : (s === 1 ? A1 : A2)[5 * k + c];
      const diff = Math.abs(an - fd) * xs;
      const mag = Math.abs(an) * xs;
      const err = mag >= 1e-3 * rowScale[k] ? diff / mag : diff / (1e-3 * rowScale[k] + 1e-300) / 1e3;
      if (!(err <= 1e-6)) {
        throw new Error(
          `${ev.kind}: dR${k}/d(st${s} col ${c}) analytic ${an} FD ${fd} (err ${err.toExponential(2)})`,
        );
      }
      worst = Math.max(worst, err);
    }
  }
  ev.run(v1, v2, xiTrip);
  return worst;
}

describe('interval Jacobians vs finite differences (columns nAmp|s, theta, deltaStar, ue, xi)', () => {
  const re1 = createBlParams({ re: 1e6 });
  const m5 = createBlParams({ re: 3e6, mach: 0.5 });
  const ps = [re1, m5];

  test('laminar: attached, near Ncrit (AXSET exp term), separated (Hk > 4.35, > 5.5), Ret ramp', () => {
    for (const p of ps) {
      const ev = new IntervalEval(p, 'laminar', 0, 0);
      checkJacobian(ev, [2.0, 1.5e-4, 3.9e-4, 1.2, 0.1], [2.8, 1.7e-4, 4.6e-4, 1.18, 0.12]);
      checkJacobian(ev, [8.6, 3e-4, 9e-4, 1.1, 0.3], [8.95, 3.2e-4, 1.0e-3, 1.09, 0.31]);
      checkJacobian(ev, [5.0, 4e-4, 1.8e-3, 1.0, 0.4], [5.6, 4.5e-4, 2.6e-3, 0.99, 0.42]);
      checkJacobian(ev, [0.1, 6e-5, 1.5e-4, 1.3, 0.02], [0.15, 6.2e-5, 1.57e-4, 1.32, 0.022]);
    }
  });

  test('turbulent: attached, strong upwinding (fast Hk drop), separated (Hk > Ho), low Ret (laminar Cf/Di max)', () => {
    for (const p of ps) {
      const ev = new IntervalEval(p, 'turbulent', 0, 0);
      checkJacobian(ev, [0.07, 1.2e-3, 1.8e-3, 1.1, 0.5], [0.075, 1.35e-3, 2.1e-3, 1.08, 0.55]);
      checkJacobian(ev, [0.05, 4e-4, 1.1e-3, 1.09, 0.32], [0.09, 4.3e-4, 7e-4, 1.085, 0.33]);
      checkJacobian(ev, [0.12, 3e-3, 1.2e-2, 0.9, 0.9], [0.13, 3.4e-3, 1.5e-2, 0.89, 0.95]);
    }
    checkJacobian(
      new IntervalEval(createBlParams({ re: 2e4 }), 'turbulent', 0, 0),
      [0.06, 4e-3, 7e-3, 1.0, 0.5],
      [0.061, 4.2e-3, 7.3e-3, 1.0, 0.52],
    );
  });

  test('wake: with and without the TE gap', () => {
    for (const p of ps) {
      checkJacobian(
        new IntervalEval(p, 'wake', 1e-3, 5e-4),
        [0.05, 3e-3, 5e-3, 0.95, 1.05],
        [0.045, 3.1e-3, 4.7e-3, 0.97, 1.15],
      );
      checkJacobian(
        new IntervalEval(p, 'wake', 0, 0),
        [0.1, 3e-3, 9e-3, 0.9, 1.02],
        [0.08, 3.2e-3, 7e-3, 0.93, 1.1],
      );
    }
  });

  test('similarity station (Jacobian w.r.t. the single station)', () => {
    for (const p of ps) {
      const ev = new IntervalEval(p, 'similarity', 0, 0);
      checkJacobian(ev, [0, 2e-5, 4.5e-5, 0.15, 0.002], [0, 2e-5, 4.5e-5, 0.15, 0.002]);
      checkJacobian(ev, [0, 2e-5, 4.5e-5, 0.15, 0.002], [0.3, 3e-5, 6.6e-5, 0.1, 0.003]);
    }
  });

  test('transition interval, free transition (xi_T moves with every variable; implicit N2)', () => {
    for (const mach of [0, 0.4]) {
      const p = createBlParams({ re: 2e6, mach, trTolerance: 1e-12 });
      const ev = new IntervalEval(p, 'transition', 0, 0);
      checkJacobian(ev, [8.9, 3e-4, 7.8e-4, 1.1, 0.3], [0.05, 3.3e-4, 8.9e-4, 1.09, 0.32]);
      checkJacobian(ev, [8.0, 5e-4, 1.4e-3, 1.0, 0.5], [0.03, 6e-4, 1.6e-3, 0.99, 0.7]);
    }
  });

  test('transition interval, forced by a trip (dR/d xi_trip in axf)', () => {
    const p = createBlParams({ re: 2e6, trTolerance: 1e-12 });
    const ev = new IntervalEval(p, 'transition', 0, 0);
    checkJacobian(ev, [8.0, 3e-4, 7.8e-4, 1.1, 0.3], [0.05, 3.3e-4, 8.9e-4, 1.09, 0.32], 0.305);
    ev.run([8.0, 3e-4, 7.8e-4, 1.1, 0.3], [0.05, 3.3e-4, 8.9e-4, 1.09, 0.32], 0.305);
    expect(ev.sys.tr.forced).toBe(true);
    expect(Math.abs(ev.sys.axf[1])).toBeGreaterThan(0);
  });

  test('at XFOIL tolerance the transition Jacobian is still close (N2 converged to |dN2| < 5e-5)', () => {
    const p = createBlParams({ re: 2e6 });
    const ev = new IntervalEval(p, 'transition', 0, 0);
    ev.run([8.9, 3e-4, 7.8e-4, 1.1, 0.3], [0.05, 3.3e-4, 8.9e-4, 1.09, 0.32], Infinity);
    const loose = Float64Array.from(ev.sys.a1);
    const tight = new IntervalEval(createBlParams({ re: 2e6, trTolerance: 1e-12 }), 'transition', 0, 0);
    tight.run([8.9, 3e-4, 7.8e-4, 1.1, 0.3], [0.05, 3.3e-4, 8.9e-4, 1.09, 0.32], Infinity);
    for (let i = 0; i < 15; i++)
      expect(Math.abs(loose[i] - tight.sys.a1[i])).toBeLessThan(1e-3 * (Math.abs(tight.sys.a1[i]) + 1));
  });
});

describe('TE merge (TESYS)', () => {
  test('residuals and Jacobian w.r.t. upper TE (az), lower TE (a1) and first wake station (a2)', () => {
    const p = createBlParams({ re: 1e6 });
    const up = new BlStation();
    const lo = new BlStation();
    const wk = new BlStation();
    const sys = new BlSystem();
    const hTE = 2.5e-3;
    const vu = [0.09, 2.1e-3, 4.0e-3, 0.9, 1.0];
    const vl = [0.06, 1.2e-3, 2.0e-3, 0.92, 1.02];
    const vw = [0.08, 3.4e-3, 8.6e-3, 0.91, 1.0e-4];
    const run = (): Float64Array => {
      blStation(p, TURBULENT, vu[4], vu[0], vu[1], vu[2], vu[3], 0, up);
      blStation(p, TURBULENT, vl[4], vl[0], vl[1], vl[2], vl[3], 0, lo);
      blStation(p, WAKE, vw[4], vw[0], vw[1], vw[2], vw[3], hTE, wk);
      teSystem(up, lo, wk, hTE, sys);
      return Float64Array.from(sys.res);
    };
    const r = run();
    const tte = vu[1] + vl[1];
    expectRel(r[0], vw[0] - (vu[0] * vu[1] + vl[0] * vl[1]) / tte, 1e-14);
    expectRel(r[1], vw[1] - tte, 1e-14);
    expectRel(r[2], vw[2] - (vu[2] + vl[2] + hTE), 1e-13);
    const J = { u: Float64Array.from(sys.az), l: Float64Array.from(sys.a1), w: Float64Array.from(sys.a2) };
    for (const [v, jac] of [
      [vu, J.u],
      [vl, J.l],
      [vw, J.w],
    ] as [number[], Float64Array][]) {
      for (let c = 0; c < 5; c++) {
        const x = v[c];
        const h = 1e-6 * Math.abs(x);
        v[c] = x + h;
        const rp = run();
        v[c] = x - h;
        const rm = run();
        v[c] = x;
        for (let k = 0; k < 3; k++)
          expect(Math.abs(jac[5 * k + c] - (rp[k] - rm[k]) / (2 * h))).toBeLessThan(1e-6);
      }
    }
  });
});
