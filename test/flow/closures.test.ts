/**
 * XFOIL 6.99 closures (src/flow/closures.ts): check values of /work/shared/docs/xfoil-physics.md
 * section 12 (computed with the compiled double-precision XFOIL routines) and every returned partial
 * derivative against a 5-point central finite difference.
 */
import {
  axset,
  blThickness,
  cfl,
  cft,
  ctauEqSqrt,
  dampl,
  dampl2,
  dil,
  dilw,
  diTurbulent,
  hct,
  hkin,
  hsl,
  hst,
  slipVelocity,
  transitionCtauFactor,
  uqEquilibrium,
} from '../../src/flow/closures';

/** |a - e| <= tol |e| (absolute tol when e = 0) */
function expectRel(actual: number, expected: number, tol = 1e-12): void {
  const err = expected === 0 ? Math.abs(actual) : Math.abs(actual - expected) / Math.abs(expected);
  if (!(err <= tol))
    throw new Error(`got ${actual}, expected ${expected} (rel err ${err.toExponential(2)} > ${tol})`);
}

/** 5-point central difference of f at x along argument i */
function fd5(f: (args: number[]) => number, args: number[], i: number, rel = 1e-4): number {
  const x = args[i];
  const h = rel * Math.max(Math.abs(x), 1e-2);
  const at = (d: number): number => {
    const a = args.slice();
    a[i] = x + d;
    return f(a);
  };
  return (-at(2 * h) + 8 * at(h) - 8 * at(-h) + at(-2 * h)) / (12 * h);
}

/**
 * Checks out[1 + k] against the FD derivative w.r.t. argument derivArgs[k] for a closure written as
 * (args, out) => value. Tolerance relative to max(|derivative|, floor * |value| / |arg|).
 */
function checkPartials(
  name: string,
  call: (args: number[], out: Float64Array) => number,
  args: number[],
  derivArgs: number[],
  tol = 1e-7,
): void {
  const out = new Float64Array(12);
  const value = call(args, out);
  const an = Array.from(out.slice(1, 1 + derivArgs.length));
  derivArgs.forEach((argIndex, k) => {
    const fd = fd5((a) => call(a, new Float64Array(12)), args, argIndex);
    // relative to the derivative, with an absolute floor of 1e-9 |value|/|arg| for (near-)zero partials
    const scale = Math.max(
      Math.abs(an[k]),
      Math.abs(fd),
      (1e-2 * Math.abs(value)) / Math.max(Math.abs(args[argIndex]), 1e-2),
    );
    const err = Math.abs(an[k] - fd) / scale;
    if (!(err <= tol)) {
      throw new Error(
        `${name} d/d(arg ${argIndex}) at [${args}]: analytic ${an[k]}, FD ${fd}, rel err ${err.toExponential(2)}`,
      );
    }
  });
}

describe('closure check values (section 12, compiled XFOIL double precision)', () => {
  // Hk, Ret, Me2 | Hs lam, Hs turb, Cf lam, Cf turb, Di lam, Di lam-wake, Hss
  const table: number[][] = [
    [
      1.3, 1000, 0, 1.91268911369565, 1.82045833333333, 2.27182504347826e-3, 5.05403568531458e-3,
      6.90342032425793e-4, 4.71184230679755e-5, 0,
    ],
    [
      2.6, 1000, 0, 1.57468849305556, 1.53066666666667, 4.22522305555556e-4, 5.51285565318065e-4,
      2.2004541974239e-4, 2.03492284920703e-4, 0,
    ],
    [
      3.5, 10000, 0.25, 1.53180596944444, 1.520044707395, 5.92444444444444e-6, -5.14597728613716e-5,
      2.0704529902817e-5, 2.09360529239302e-5, 6.86759259259259e-2,
    ],
    [
      5.0, 350, 0.25, 1.5292675, 1.53055134083482, -1.95672619047619e-4, -1.90160347878546e-4,
      5.86946778711485e-4, 5.26115560927979e-4, 6.65595238095238e-2,
    ],
    [
      8.0, 150, 0, 1.5529796875, 1.57624598432871, -4.15646258503401e-4, -2.19722569921818e-4,
      1.25070707070707e-3, 9.03840433092164e-4, 0,
    ],
  ];
  const o = new Float64Array(8);
  test.each(table)('Hk %p Ret %p Me2 %p', (hk, ret, me2, hsL, hsT, cfL, cfT, diL, diLW, hss) => {
    // the table carries 15 significant digits
    expectRel(hsl(hk, ret, me2, o), hsL, 1e-13);
    expectRel(hst(hk, ret, me2, o), hsT, 1e-13);
    expectRel(cfl(hk, ret, me2, o), cfL, 1e-12);
    expectRel(cft(hk, ret, me2, o), cfT, 1e-12);
    expectRel(dil(hk, ret, o), diL, 1e-12);
    expectRel(dilw(hk, ret, o), diLW, 1e-12);
    expectRel(hct(hk, me2, o), hss, 1e-12);
  });

  test('amplification rates DAMPL / DAMPL2 at theta = 1e-3', () => {
    const cases: number[][] = [
      [2.6, 1000, 2.35922325782736, 2.35922722741069],
      [3.5, 10000, 19.3529790534041, 19.3548773578517],
      [5.0, 350, 35.7335233036919, 52.9438906274884],
      [1.3, 1000, 0, 0],
    ];
    for (const [hk, ret, a1, a2] of cases) {
      expectRel(dampl(hk, 1e-3, ret, o), a1);
      expectRel(dampl2(hk, 1e-3, ret, o), a2);
    }
  });

  test('Hk(H = 2.5, Me2 = 0.25) (Whitfield)', () => {
    expectRel(hkin(2.5, 0.25, o), 2.36080719669341);
    // incompressible: Hk = H
    expect(hkin(2.5, 0, o)).toBe(2.5);
  });

  test('DAMPL is zero below the critical Ret and ramps to the full rate over 2 DGR in log10(Ret)', () => {
    const hk = 2.6;
    const hmi = 1 / (hk - 1);
    const log10Ret0 = 2.492 * Math.pow(hmi, 0.43) + 0.7 * (Math.tanh(14 * hmi - 9.24) + 1);
    expect(dampl(hk, 1e-3, Math.pow(10, log10Ret0 - 0.0801), o)).toBe(0);
    const full = dampl(hk, 1e-3, Math.pow(10, log10Ret0 + 0.0801), o);
    expect(full).toBeGreaterThan(0);
    // mid-ramp: r = 1/2 -> Fr = 1/2 times the unramped rate (same Hk, th; AF dN/dRet does not depend on Ret)
    expectRel(dampl(hk, 1e-3, Math.pow(10, log10Ret0), o), 0.5 * full, 1e-12);
  });
});

describe('closure partial derivatives vs finite differences', () => {
  const hks = [1.3, 2.2, 3.1, 3.8, 4.6, 5.2, 6.5, 9.0];
  const rets = [150, 320, 1000, 12000];
  const me2s = [0, 0.3];

  test('hkin, hct', () => {
    for (const h of [1.4, 2.5, 4.0])
      for (const m of me2s) checkPartials('hkin', (a, out) => hkin(a[0], a[1], out), [h, m + 0.05], [0, 1]);
    for (const hk of hks)
      for (const m of [0.1, 0.4]) checkPartials('hct', (a, out) => hct(a[0], a[1], out), [hk, m], [0, 1]);
  });

  test('hsl, hst, cfl, cft (Hk, Ret, Me2)', () => {
    for (const hk of hks)
      for (const rt of rets)
        for (const m of me2s) {
          const args = [hk, rt, m + 0.02];
          checkPartials('hsl', (a, out) => hsl(a[0], a[1], a[2], out), args, [0, 1, 2]);
          checkPartials('hst', (a, out) => hst(a[0], a[1], a[2], out), args, [0, 1, 2]);
          checkPartials('cfl', (a, out) => cfl(a[0], a[1], a[2], out), args, [0, 1, 2]);
          checkPartials('cft', (a, out) => cft(a[0], a[1], a[2], out), args, [0, 1, 2]);
        }
  });

  test('dil, dilw', () => {
    for (const hk of hks)
      for (const rt of rets) {
        checkPartials('dil', (a, out) => dil(a[0], a[1], out), [hk, rt], [0, 1]);
        checkPartials('dilw', (a, out) => dilw(a[0], a[1], out), [hk, rt], [0, 1]);
      }
  });

  test('dampl, dampl2 (inside and past the Ret ramp)', () => {
    for (const hk of [2.3, 2.6, 3.2, 3.7, 4.5, 6.0])
      for (const rt of [250, 400, 800, 3000, 20000]) {
        const args = [hk, 2e-4, rt];
        const out = new Float64Array(4);
        if (dampl(hk, 2e-4, rt, out) > 0)
          checkPartials('dampl', (a, o) => dampl(a[0], a[1], a[2], o), args, [0, 1, 2], 1e-6);
        if (dampl2(hk, 2e-4, rt, out) > 0)
          checkPartials('dampl2', (a, o) => dampl2(a[0], a[1], a[2], o), args, [0, 1, 2], 1e-6);
      }
  });

  test('axset: rms mean rate + near-Ncrit term, all 8 partials', () => {
    const f = (a: number[], out: Float64Array): number =>
      axset(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], 9, 0, out);
    // below Ncrit (exp term active), above Ncrit (E = 1), amplified and ramping stations
    checkPartials('axset', f, [2.6, 1.5e-4, 600, 7.5, 2.8, 1.7e-4, 700, 8.6], [0, 1, 2, 3, 4, 5, 6, 7], 1e-6);
    checkPartials(
      'axset',
      f,
      [3.1, 2.5e-4, 900, 9.2, 3.3, 2.7e-4, 1000, 9.9],
      [0, 1, 2, 3, 4, 5, 6, 7],
      1e-6,
    );
    const o = new Float64Array(9);
    // both rates zero: AX = 0.002 E/(th1 + th2) exactly
    const ax = axset(2.3, 1e-4, 50, 0, 2.3, 1.2e-4, 60, 0, 9, 0, o);
    expectRel(ax, (Math.exp(-20) * 0.002) / 2.2e-4, 1e-14);
  });

  test('Us, CQ, Di turbulent/wake, delta, Uq, S_tr factor', () => {
    for (const [hs, hk, h] of [
      [1.6, 1.4, 1.45],
      [1.52, 2.2, 2.3],
      [1.7, 3.5, 3.7],
    ]) {
      checkPartials('us', (a, o) => slipVelocity(a[0], a[1], a[2], false, o), [hs, hk, h], [0, 1, 2]);
      checkPartials('usw', (a, o) => slipVelocity(a[0], a[1], a[2], true, o), [hs, hk, h], [0, 1, 2]);
      for (const rt of [300, 5000]) {
        const us = slipVelocity(hs, hk, h, false, new Float64Array(4));
        checkPartials(
          'cq',
          (a, o) => ctauEqSqrt(a[0], a[1], a[2], a[3], a[4], true, o),
          [hs, us, hk, h, rt],
          [0, 1, 2, 3, 4],
        );
        checkPartials(
          'cqw',
          (a, o) => ctauEqSqrt(a[0], a[1], a[2], a[3], a[4], false, o),
          [hs, us, hk, h, rt],
          [0, 1, 2, 3],
        );
        const args = [hk, hs, us, 3e-3, rt, 0.06];
        checkPartials(
          'dit',
          (a, o) => diTurbulent(a[0], a[1], a[2], a[3], a[4], a[5], true, o),
          args,
          [0, 1, 2, 3, 4, 5],
        );
        checkPartials(
          'diw',
          (a, o) => diTurbulent(a[0], a[1], a[2], a[3], a[4], a[5], false, o),
          args,
          [0, 1, 2, 3, 4, 5],
        );
        checkPartials(
          'uq',
          (a, o) => uqEquilibrium(a[0], a[1], a[2], a[3], false, o),
          [3e-3, hk, rt, 2e-3],
          [0, 1, 2, 3],
        );
        checkPartials(
          'uqw',
          (a, o) => uqEquilibrium(a[0], a[1], a[2], a[3], true, o),
          [0, hk, rt, 2e-3],
          [0, 1, 2, 3],
        );
      }
      checkPartials('delta', (a, o) => blThickness(a[0], a[1], a[2], o), [hk, 1e-3, 1e-3 * h], [0, 1, 2]);
      checkPartials('ctr', (a, o) => transitionCtauFactor(a[0], o), [hk], [0]);
    }
  });

  test('clamps: Us (airfoil 0.95 -> 0.98, wake 0.99995), delta <= 12 theta, Hkc >= 0.01', () => {
    const o = new Float64Array(8);
    expect(slipVelocity(2.0, 1.01, 1.01, false, o)).toBe(0.98);
    expect(o[1]).toBe(0);
    expect(slipVelocity(2.1, 1.0001, 1.0001, true, o)).toBe(0.99995);
    expect(blThickness(1.05, 1e-3, 1.05e-3, o)).toBe(12e-3);
    expect(o[2]).toBe(12);
    // Hkc floor: Ret so small that Hk - 1 - 18/Ret < 0.01
    ctauEqSqrt(1.6, 0.4, 1.4, 1.45, 40, true, o);
    expect(o[5]).toBe(0);
  });

  test('turbulent Cf: literal 2.3026 in the Ret log (not ln 10) is what XFOIL uses', () => {
    const o = new Float64Array(4);
    const hk = 1.4;
    const ret = 5000;
    const lr = Math.log(ret) / 2.3026;
    const expected =
      0.3 * Math.exp(-1.33 * hk) * Math.pow(lr, -1.74 - 0.31 * hk) + 1.1e-4 * (Math.tanh(4 - hk / 0.875) - 1);
    expectRel(cft(hk, ret, 0, o), expected, 1e-14);
  });
});
