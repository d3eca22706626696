/**
 * Adjoint acceptance figures (issue 4). Run: `npm run bench:adjoint` (BENCH_QUICK=1: every 7th
 * variable of the node parametrization only). Writes bench/out/adjoint.json and prints:
 *  1. accuracy: relative 2-norm error of the adjoint gradient against central finite differences of
 *     fully converged solves (tolerance 1e-10), for CL, CD, CM, L/D, per case (attached flow, fixed
 *     alpha and fixed CL) and parametrization (cst:8 = 18 variables; nodes = the 320 coordinates of
 *     the 160-node repaneled airfoil used as input, through normalize + repanel again). FD steps:
 *     1e-6 for CST weights, 1e-8 for node coordinates (the LE panels are ~1e-3 long: larger steps
 *     are in the nonlinear range). Every FD solve is checked to keep the transition stations and
 *     the stagnation panel of the base point (column off-station), and to stay on the base point's
 *     smooth piece (function piece: closed TE, sharp-TE and gap-panel switches, curvature sign at
 *     every input node). If a step leaves the piece, smaller steps are tried (column h-redu: e.g.
 *     the flat lower surface of the Clark Y, nodes with |curvature| ~1e-6); a variable for which
 *     every step leaves it sits on a kink (a closed TE opened by teThickness or by moving one TE
 *     node) and is left out of the norm and listed (piecewise smoothness, see docs/adjoint.md).
 *  2. the same with the wake trajectory frozen (diagnostic: is the wake's dependence needed?)
 *  3. cost: one adjoint gradient (objective CD, all variables, chain through repanel included) for
 *     8 (cst:3), 40 (cst:19) and 320 (nodes) variables, against one converged solve from a warm
 *     start (alpha step 3 -> 4 deg on an existing solver, default tolerance) and against one
 *     design-step solve (new geometry: prepare + createSolver + solve; the solver API has no
 *     cross-geometry warm start). Medians of interleaved repetitions.
 */
import { prepareAirfoil } from '../src/flow/analyze';
import { OBJECTIVES, adjointPanelGradients, type Objective } from '../src/flow/adjoint';
import {
  adjointShapeGradients,
  createDesign,
  objectiveOf,
  solveDesign,
  solveFixedCl,
  tightOptions,
  type Design,
  type Solved,
} from '../src/flow/adjoint-chain';
import { panelGeometry } from '../src/flow/inviscid';
import { createSolver } from '../src/flow/viscous';
import { buildSpline, cubicSecond, cubicSlope } from '../src/geometry/spline';
import { loadAirfoil } from '../src/geometry/lookup';
import type { Airfoil } from '../src/geometry/types';
import { fmtE, writeBenchJson } from './common';

interface Case {
  name: string;
  airfoil: string;
  re: number;
  alphaDeg?: number;
  cl?: number;
}

const CASES: Case[] = [
  { name: 'NACA 2412 Re 1e6 alpha 2', airfoil: 'naca2412', re: 1e6, alphaDeg: 2 },
  { name: 'NACA 2412 Re 1e6 alpha 4', airfoil: 'naca2412', re: 1e6, alphaDeg: 4 },
  { name: 'NACA 0012 Re 3e6 alpha 3', airfoil: 'naca0012', re: 3e6, alphaDeg: 3 },
  { name: 'E387 Re 5e5 alpha 3', airfoil: 'e387', re: 5e5, alphaDeg: 3 },
  { name: 'Clark Y Re 1e6 alpha 2', airfoil: 'clarky', re: 1e6, alphaDeg: 2 },
  { name: 'SD7037 Re 3e6 alpha 4', airfoil: 'sd7037', re: 3e6, alphaDeg: 4 },
  { name: 'NACA 2412 Re 1e6 CL 0.5 (fixed CL)', airfoil: 'naca2412', re: 1e6, cl: 0.5 },
  { name: 'NACA 0012 Re 3e6 CL 0.3 (fixed CL)', airfoil: 'naca0012', re: 3e6, cl: 0.3 },
];
const SKIP_TIMING = process.env.BENCH_SKIP_TIMING === '1';
const PARAMS = ['cst:8', 'nodes'];
const QUICK = process.env.BENCH_QUICK === '1';
/** optional filter: only cases whose name contains this text */
const ONLY = process.env.BENCH_CASES;

interface AccuracyRow {
  case: string;
  param: string;
  mode: 'alpha' | 'cl';
  variables: number;
  checked: number;
  fdStep: number;
  objective: Objective;
  value: number;
  relErr2: number;
  maxAbsErr: number;
  maxAbsGrad: number;
  relErr2FrozenWake: number;
  fdSolvesOffStation: number;
  /** variables whose FD step had to be reduced to stay on the base piece */
  fdStepReduced: number;
  /** variables left out: every step tried crosses a kink (not differentiable there) */
  nonDifferentiable: string[];
  adjointMs: number;
  fdSeconds: number;
}

const opts = tightOptions({});

function stations(s: Solved): string {
  const S = s.solver.state!;
  return `${S.itran[0]},${S.itran[1]},${s.solver.map!.stag.ist}`;
}

/**
 * The discrete state of a solve beyond the stations (the smooth piece it lies on, docs/adjoint.md):
 * closed TE (gap exactly 0), sharp-TE and gap-panel switches of the solver geometry, and the sign
 * of the curvature at every node of the normalized input spline (repanel uses |curvature|: a node
 * on a flat stretch whose curvature changes sign is a kink).
 */
function piece(s: Solved): string {
  const g = panelGeometry(s.trace.prepared.x, s.trace.prepared.y);
  const a = s.trace.normalized;
  const n = a.x.length;
  const te = a.x[0] === a.x[n - 1] && a.y[0] === a.y[n - 1];
  let signs = '';
  if (s.trace.repaneled) {
    const sp = buildSpline(a.x, a.y);
    for (let i = 0; i < sp.n; i++) {
      const iv = Math.min(i, sp.n - 2);
      const sq = sp.s[i];
      const cross =
        cubicSlope(sp.x, sp.xs, sp.s, iv, sq) * cubicSecond(sp.y, sp.ys, sp.s, iv, sq) -
        cubicSlope(sp.y, sp.ys, sp.s, iv, sq) * cubicSecond(sp.x, sp.xs, sp.s, iv, sq);
      signs += cross > 0 ? '+' : cross < 0 ? '-' : '0';
    }
  }
  return `${te ? 'closed' : 'open'},${g.sharp},${g.gapPanel},${signs}`;
}

/** FD steps tried per variable: the first that keeps both solves on the base piece is used. */
function fdSteps(spec: string): number[] {
  return spec === 'nodes' ? [1e-8, 3e-9, 1e-9, 3e-10, 1e-10, 3e-11, 1e-11] : [1e-6, 1e-7, 1e-8];
}

/** Coordinates of the design perturbed in variable j by h. */
function perturbed(d: Design, j: number, h: number): Airfoil {
  if (d.param && d.params) {
    const p = Float64Array.from(d.params);
    p[j] += h;
    return d.param.coordinates(p);
  }
  const x = Float64Array.from(d.coords.x);
  const y = Float64Array.from(d.coords.y);
  if ((j & 1) === 0) x[j >> 1] += h;
  else y[j >> 1] += h;
  return { name: d.coords.name, x, y };
}

const rows: AccuracyRow[] = [];
const t0 = Date.now();
console.log('Adjoint gradient vs central finite differences of converged solves (tolerance 1e-10)\n');
console.log(
  'case                                  param   vars  obj        value   relErr(2-norm)  frozen-wake  off-station  adj ms  fd s  h-redu  left out (kink)',
);
for (const c of CASES.filter((x) => !ONLY || x.name.includes(ONLY))) {
  for (const spec of PARAMS) {
    const base = loadAirfoil(c.airfoil);
    const input = spec === 'nodes' ? prepareAirfoil(base) : base;
    const design = createDesign(input, spec);
    const mode: 'alpha' | 'cl' = c.cl !== undefined ? 'cl' : 'alpha';
    const s0 = solveDesign(design.coords, { conditions: { re: c.re }, alphaDeg: c.alphaDeg, cl: c.cl }, opts);
    if (!s0.point.converged) {
      console.log(`${c.name}: base point did not converge`);
      continue;
    }
    const ta = performance.now();
    const adj = adjointShapeGradients(s0, design, OBJECTIVES, mode);
    const adjMs = performance.now() - ta;
    const frozen = adjointShapeGradients(s0, design, OBJECTIVES, mode, { freezeWake: true });
    const stat0 = stations(s0);
    const piece0 = piece(s0);
    const nv = design.names.length;
    const steps = fdSteps(spec);
    const h = steps[0];
    const vars: number[] = [];
    for (let j = 0; j < nv; j += QUICK && spec === 'nodes' ? 7 : 1) vars.push(j);
    // CL slope for the fixed-CL secant
    let clAlphaDeg = 0.1;
    if (mode === 'cl') {
      const sv = createSolver(s0.trace.prepared, { re: c.re }, opts);
      const a = s0.point.alpha;
      clAlphaDeg = (sv.solveAlpha(a + 0.01).cl - sv.solveAlpha(a - 0.01).cl) / 0.02;
    }
    let off = 0;
    let reduced = 0;
    const kinked: number[] = [];
    const tf = performance.now();
    const fd = OBJECTIVES.map(() => new Float64Array(nv).fill(NaN));
    for (const j of vars) {
      let done = false;
      for (const hj of steps) {
        const vals: number[][] = [];
        let sameStations = true;
        let samePiece = true;
        for (const sg of [1, -1]) {
          const coords = perturbed(design, j, sg * hj);
          const s =
            mode === 'cl'
              ? solveFixedCl(coords, { re: c.re }, opts, s0.point.cl, s0.point.alpha, clAlphaDeg)
              : solveDesign(coords, { conditions: { re: c.re }, alphaDeg: c.alphaDeg }, opts);
          if (stations(s) !== stat0) sameStations = false;
          if (piece(s) !== piece0) samePiece = false;
          vals.push(OBJECTIVES.map((o) => (s.point.converged ? objectiveOf(s.point, o) : NaN)));
        }
        if (!samePiece) continue;
        if (!sameStations) off++;
        if (hj !== h) reduced++;
        OBJECTIVES.forEach((_, k) => (fd[k][j] = (vals[0][k] - vals[1][k]) / (2 * hj)));
        done = true;
        break;
      }
      if (!done) kinked.push(j);
    }
    const fdSeconds = (performance.now() - tf) / 1000;
    OBJECTIVES.forEach((o, k) => {
      if (mode === 'cl' && o === 'cl') return; // held fixed: the gradient is 0 (both ways)
      let e2 = 0;
      let n2 = 0;
      let ef2 = 0;
      let emax = 0;
      let gmax = 0;
      for (const j of vars) {
        if (kinked.includes(j)) continue;
        const f = fd[k][j];
        const e = adj[k].gradient[j] - f;
        e2 += e * e;
        n2 += f * f;
        ef2 += (frozen[k].gradient[j] - f) ** 2;
        emax = Math.max(emax, Math.abs(e));
        gmax = Math.max(gmax, Math.abs(f));
      }
      const row: AccuracyRow = {
        case: c.name,
        param: spec,
        mode,
        variables: nv,
        checked: vars.length,
        fdStep: h,
        objective: o,
        value: adj[k].value,
        relErr2: Math.sqrt(e2 / n2),
        maxAbsErr: emax,
        maxAbsGrad: gmax,
        relErr2FrozenWake: Math.sqrt(ef2 / n2),
        fdSolvesOffStation: off,
        fdStepReduced: reduced,
        nonDifferentiable: kinked.map((j) => design.names[j]),
        adjointMs: adjMs,
        fdSeconds,
      };
      rows.push(row);
      console.log(
        `${c.name.padEnd(37)} ${spec.padEnd(6)} ${String(nv).padStart(5)}  ${o.padEnd(3)} ${row.value.toPrecision(6).padStart(12)}   ` +
          `${fmtE(row.relErr2).padStart(12)}  ${fmtE(row.relErr2FrozenWake).padStart(11)}  ${String(off).padStart(11)}` +
          `  ${adjMs.toFixed(1).padStart(6)}  ${fdSeconds.toFixed(1)}` +
          `  ${String(reduced).padStart(7)}  ${row.nonDifferentiable.join(' ')}`,
      );
    });
  }
}
const worst = rows.reduce((m, r) => Math.max(m, r.relErr2), 0);
console.log(`\nworst relative 2-norm error: ${fmtE(worst)} (acceptance: <= 1e-4)\n`);

// ------------------------------------------------------------------------------ cost
console.log(
  'Cost: one adjoint gradient (CD, chain through repanel) vs one converged solve, NACA 2412 Re 1e6 alpha 4',
);
const median = (a: number[]): number => {
  const s = [...a].sort((x, y) => x - y);
  return s[Math.floor(s.length / 2)];
};
const naca = loadAirfoil('naca2412');
const timing: Record<string, unknown>[] = [];
if (!SKIP_TIMING) {
  // reference solves
  const prepared = prepareAirfoil(naca);
  const warm = createSolver(prepared, { re: 1e6 });
  warm.solveAlpha(3);
  const snap3 = warm.saveState();
  const designs = [
    { spec: 'cst:3', input: naca },
    { spec: 'cst:19', input: naca },
    { spec: 'nodes', input: prepared },
  ].map((x) => {
    const d = createDesign(x.input, x.spec);
    const s = solveDesign(d.coords, { conditions: { re: 1e6 }, alphaDeg: 4 }, opts);
    return { ...x, d, s };
  });
  const dStep = createDesign(naca, 'cst:3');
  const reps = 25;
  const tWarm: number[] = [];
  const tWarmIt: number[] = [];
  const tDesign: number[] = [];
  const tGrad: number[][] = designs.map(() => []);
  for (let r = 0; r < reps + 3; r++) {
    warm.restoreState(snap3);
    let t = performance.now();
    const p = warm.solveAlpha(4);
    if (r >= 3) {
      tWarm.push(performance.now() - t);
      tWarmIt.push(p.iterations);
    }
    const pp = Float64Array.from(dStep.params!);
    pp[0] += 1e-3 * (r + 1);
    const coords = dStep.param!.coordinates(pp);
    t = performance.now();
    const sd = createSolver(prepareAirfoil(coords), { re: 1e6 });
    sd.solveAlpha(4);
    if (r >= 3) tDesign.push(performance.now() - t);
    designs.forEach((x, k) => {
      t = performance.now();
      adjointShapeGradients(x.s, x.d, ['cd'], 'alpha');
      if (r >= 3) tGrad[k].push(performance.now() - t);
    });
  }
  const warmMs = median(tWarm);
  const designMs = median(tDesign);
  console.log(
    `  warm-start solve (alpha 3 -> 4 deg, ${median(tWarmIt)} Newton iterations): ${warmMs.toFixed(2)} ms`,
  );
  console.log(`  design-step solve (new geometry, cold start):          ${designMs.toFixed(2)} ms`);
  designs.forEach((x, k) => {
    const g = median(tGrad[k]);
    console.log(
      `  adjoint gradient, ${String(x.d.names.length).padStart(3)} variables (${x.spec.padEnd(6)}): ${g.toFixed(2)} ms = ` +
        `${(g / warmMs).toFixed(2)} x warm solve, ${(g / designMs).toFixed(2)} x design-step solve`,
    );
    timing.push({
      variables: x.d.names.length,
      param: x.spec,
      gradientMs: g,
      ratioToWarmSolve: g / warmMs,
      ratioToDesignStepSolve: g / designMs,
    });
  });
  // breakdown: the panel-node gradient alone
  const s = designs[0].s;
  const tp: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t = performance.now();
    adjointPanelGradients(s.solver, ['cd']);
    tp.push(performance.now() - t);
  }
  console.log(`  (of which the solver-node gradient: ${median(tp).toFixed(2)} ms)`);
  timing.push({
    warmSolveMs: warmMs,
    warmSolveIterations: median(tWarmIt),
    designStepSolveMs: designMs,
    panelGradientMs: median(tp),
  });
}

if (ONLY || SKIP_TIMING) {
  console.log('\npartial run (BENCH_CASES / BENCH_SKIP_TIMING): bench/out/adjoint.json not written');
} else {
  const file = writeBenchJson('adjoint', {
    generated: new Date().toISOString(),
    quick: QUICK,
    accuracy: rows,
    worstRelErr2: worst,
    timing,
    seconds: (Date.now() - t0) / 1000,
  });
  console.log(`\nwrote ${file} (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
}
