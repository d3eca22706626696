/**
 * Report data for the report tests and the bench: a synthetic optimization (baseline NACA 2412,
 * "optimized" NACA 4412 standing in for a design, both solved by the real solver; the operator and
 * XFOIL curves are the solver's values perturbed, labelled as such) that exercises every figure and
 * table of the report, and a synthetic optimizer run directory.
 */
import * as fs from 'fs';
import * as path from 'path';
import { analyze } from '../../src/flow';
import { formatSelig } from '../../src/geometry/io';
import { resolveOptimizeConfig } from '../../src/optimize/config';
import { setupProblem } from '../../src/optimize/setup';
import type { PointResult } from '../../src/flow/types';
import { loadAirfoil } from '../../src/geometry/lookup';
import {
  computeField,
  pointSolution,
  polarData,
  shapeData,
  type ModelPointLike,
} from '../../src/cli/report-data';
import type { IterationRecord, ReportData } from '../../src/report/types';

export const SWEEP = [-2, 0, 2, 4, 6, 8, 10];

/** A model's point perturbed by a relative amount (the synthetic operator / XFOIL curves). */
function perturbed(p: PointResult, rel: number, withDistributions: boolean): ModelPointLike {
  const scale = (a: Float64Array) => Array.from(a, (v) => v * (1 + rel));
  return {
    alpha: p.alpha,
    cl: p.cl * (1 + rel),
    cd: p.cd * (1 - rel),
    cm: p.cm * (1 + rel),
    xtrTop: p.xtrTop,
    xtrBot: p.xtrBot,
    converged: p.converged,
    confidence: 0.9,
    boundaryLayer:
      withDistributions && p.boundaryLayer
        ? {
            top: {
              ...p.boundaryLayer.top,
              cp: scale(p.boundaryLayer.top.cp),
              cf: scale(p.boundaryLayer.top.cf),
            },
            bottom: {
              ...p.boundaryLayer.bottom,
              cp: scale(p.boundaryLayer.bottom.cp),
              cf: scale(p.boundaryLayer.bottom.cf),
            },
          }
        : null,
  };
}

/** Synthetic optimizer history: 3 operator starts, solver verification, adjoint polish. */
export function syntheticHistory(): IterationRecord[] {
  const out: IterationRecord[] = [];
  let it = 0;
  for (let s = 0; s < 3; s++) {
    for (let k = 0; k < 14; k++) {
      out.push({
        iteration: ++it,
        phase: 'operator search',
        model: 'operator',
        gradient: 'autodiff',
        start: s,
        objective: -(100 + 30 * (1 - Math.exp(-k / 4)) + 2 * s),
        worstViolation: k < 5 ? 0.02 * Math.exp(-k) : 0,
        gradientNorm: 5 * Math.exp(-k / 3),
        elapsedS: it * 0.05,
      });
    }
  }
  for (let k = 0; k < 3; k++) {
    out.push({
      iteration: ++it,
      phase: 'solver verification',
      model: 'solver',
      objective: -(128 - k),
      worstViolation: k === 2 ? 1e-3 : 0,
      gradientNorm: null,
    });
  }
  for (let k = 0; k < 8; k++) {
    out.push({
      iteration: ++it,
      phase: 'adjoint polish',
      model: 'solver',
      gradient: 'adjoint',
      objective: -(128 + 4 * (1 - Math.exp(-k / 2))),
      worstViolation: 0,
      gradientNorm: 0.5 * Math.exp(-k),
    });
  }
  return out;
}

/**
 * Synthetic optimization report data (see the module comment). `name` becomes the baseline's label
 * (the escaping tests pass a hostile one).
 */
export function syntheticOptimization(
  opts: { baselineName?: string; title?: string; nx?: number; ny?: number } = {},
): ReportData {
  const re = 1e6;
  const cond = { re, mach: 0, nCrit: 9, xtrTop: 1, xtrBot: 1 };
  const base = loadAirfoil('naca2412');
  base.name = opts.baselineName ?? 'NACA 2412';
  const opt = loadAirfoil('naca4412');
  opt.name = 'optimized (synthetic: NACA 4412)';
  const pb = analyze(base, { re, alphaDeg: SWEEP });
  const po = analyze(opt, { re, alphaDeg: SWEEP });
  const a4 = SWEEP.indexOf(4);
  // a second design point at another Reynolds number (multi-point figures: design-point and condition menus)
  const cond2 = { ...cond, re: 5e5 };
  const pb2 = analyze(base, { ...cond2, alphaDeg: SWEEP });
  const po2 = analyze(opt, { ...cond2, alphaDeg: SWEEP });
  const a8 = SWEEP.indexOf(8);
  const field = computeField(
    opt,
    cond,
    { alphaDeg: 4, nx: opts.nx ?? 121, ny: opts.ny ?? 73 },
    'optimized',
  ).field!;
  const iterates = [0.25, 0.5, 0.75].map((t, k) => {
    const s = shapeData(base, 'iterate', `iteration ${k + 1}`);
    const o = shapeData(opt, 'iterate');
    return { ...s, iteration: (k + 1) * 10, y: s.y.map((y, i) => (1 - t) * y + t * (o.y[i] ?? y)) };
  });
  const ld = (p: PointResult) => p.cl / p.cd;
  return {
    kind: 'optimization',
    title: opts.title ?? 'max L/D of NACA 2412 at Re 1e6 (synthetic report data)',
    summary: ['synthetic optimization data for the report tests: the "optimized" shape is NACA 4412'],
    createdAt: '2026-12-03T00:00:00Z',
    shapes: [shapeData(base, 'baseline'), shapeData(opt, 'optimized'), ...iterates],
    points: [
      {
        label: 'cruise',
        conditions: { ...cond, alphaDeg: 4, weight: 1 },
        results: [
          pointSolution(pb[a4], 'baseline', 'solver'),
          pointSolution(po[a4], 'optimized', 'solver'),
          pointSolution(perturbed(po[a4], 0.02, true), 'optimized', 'operator'),
        ],
      },
      {
        label: 'climb',
        conditions: { ...cond2, alphaDeg: 8, weight: 0.5 },
        results: [
          pointSolution(pb2[a8], 'baseline', 'solver'),
          pointSolution(po2[a8], 'optimized', 'solver'),
        ],
      },
    ],
    polars: [
      polarData(pb, 'baseline', 'solver', cond),
      polarData(po, 'optimized', 'solver', cond),
      polarData(pb2, 'baseline', 'solver', cond2),
      polarData(po2, 'optimized', 'solver', cond2),
      polarData(
        po.map((p) => perturbed(p, 0.02, false)),
        'optimized',
        'operator',
        cond,
      ),
      polarData(
        po.map((p) => perturbed(p, -0.01, false)),
        'optimized',
        'xfoil',
        cond,
      ),
    ],
    convergence: { objectiveName: 'L/D', sense: 'max', iterations: syntheticHistory() },
    field,
    tables: {
      designVariables: ['wU0', 'wU1', 'wL0', 'wL1'].map((name, i) => ({
        name,
        baseline: 0.1 * (i + 1),
        final: 0.1 * (i + 1) + 0.02,
        lower: 0,
        upper: i === 1 ? 0.22 : 0.5,
      })),
      metrics: [
        {
          name: 'L/D, cruise',
          baseline: { solver: ld(pb[a4]), operator: ld(pb[a4]) * 1.01 },
          final: { solver: ld(po[a4]), operator: ld(po[a4]) * 1.04, xfoil: ld(po[a4]) * 0.99 },
        },
        {
          name: 'Cd, cruise',
          baseline: { solver: pb[a4].cd },
          final: { solver: po[a4].cd, operator: po[a4].cd * 0.98 },
        },
      ],
      constraints: [
        { name: 'max thickness ≥ 0.12', kind: '>=', bound: 0.12, baseline: 0.12, final: 0.12 },
        {
          name: 'Cm ≥ −0.1',
          kind: '>=',
          bound: -0.1,
          baseline: pb[a4].cm,
          final: po[a4].cm,
          model: 'solver',
        },
      ],
      config: {
        name: 'max-ld',
        points: [{ name: 'cruise', alphaDeg: 4, re }],
        note: '</script><b>not bold</b>',
      },
      versions: { foilopt: '0.1.0', node: process.version },
      timings: [
        { phase: 'operator search', seconds: 12.3 },
        { phase: 'solver verification', seconds: 2.1 },
        { phase: 'adjoint polish', seconds: 8.4 },
      ],
    },
    notes: ['synthetic data: operator and XFOIL curves are perturbed solver values'],
  };
}

/**
 * A synthetic optimizer run directory in the format of docs/optimize.md (result.json, history.jsonl,
 * baseline.dat, optimized.dat; no analysis.json, so the collector computes polars and distributions):
 * baseline = the CST fit of NACA 2412, final = the fit with its first upper weights moved, both solved
 * by the solver at the design point; the history is a made-up two-start run.
 */
export function writeSyntheticRunDir(dir: string, name = 'synthetic run'): void {
  fs.mkdirSync(dir, { recursive: true });
  const configInput = {
    name,
    airfoil: 'naca2412',
    parametrization: 'cst:6',
    points: [{ name: 'cruise', alphaDeg: 4, re: 1e6 }],
    objective: { type: 'maxLD' },
    constraints: [{ type: 'maxThickness', min: 0.12 }],
    variables: { freeze: ['teThickness'] },
    strategy: 'single',
    model: 'solver',
    polarAlphaDeg: [-2, 10, 2],
    xfoil: false,
  };
  const config = resolveOptimizeConfig(configInput);
  const setup = setupProblem(config, process.cwd());
  const L = setup.problem.layout;
  const x0 = Array.from(L.x0);
  const xf = x0.map((v, j) => (j < 2 ? v + 0.4 * (L.upper[j] - v) : v));
  const baseShape = { ...setup.problem.shapeOf(x0), name: 'NACA 2412 (cst fit)' };
  const finalShape = { ...setup.problem.shapeOf(xf), name: `${name} (foilopt)` };
  fs.writeFileSync(path.join(dir, 'baseline.dat'), formatSelig(baseShape));
  fs.writeFileSync(path.join(dir, 'optimized.dat'), formatSelig(finalShape));
  const metrics = (a: typeof baseShape) => {
    const [r] = analyze(a, { re: 1e6, alphaDeg: 4 });
    return {
      name: 'cruise',
      alphaDeg: 4,
      cl: r.cl,
      cd: r.cd,
      cm: r.cm,
      ld: r.cl / r.cd,
      xtrTop: r.xtrTop,
      xtrBot: r.xtrBot,
      converged: r.converged,
    };
  };
  const mb = metrics(baseShape);
  const mf = metrics(finalShape);
  const design = (source: string, x: number[], m: ReturnType<typeof metrics>, margin: number) => ({
    source,
    variables: x,
    params: x,
    objective: m.ld,
    solver: [m],
    operator: null,
    gap: null,
    geometry: { maxThickness: 0.12 + margin, maxCamber: 0.02, leRadius: 0.014, teAngleDeg: 14.9 },
    constraints: [{ name: 'max thickness >= 0.12', kind: 'ineq', value: -margin, margin, satisfied: true }],
    xfoil: null,
  });
  const result = {
    version: 1,
    name,
    status: 'optimized',
    message: `weighted L/D: ${mb.ld.toFixed(3)} -> ${mf.ld.toFixed(3)} (synthetic)`,
    strategy: 'single',
    algorithm: 'slsqp',
    models: { search: 'solver', verify: 'solver', polish: null, operatorLoaded: false },
    objective: { label: 'weighted L/D', baseline: mb.ld, final: mf.ld, ratio: mf.ld / mb.ld },
    variables: { names: L.names, lower: Array.from(L.lower), upper: Array.from(L.upper) },
    parametrization: {
      name: 'cst',
      nVars: setup.param.nVars,
      varNames: [...setup.param.varNames],
      fitDeviation: setup.fitDeviation,
    },
    designPoints: [
      {
        alphaDeg: 4,
        re: 1e6,
        mach: 0,
        nCrit: 9,
        xtrTop: 1,
        xtrBot: 1,
        name: 'cruise',
        weight: 1,
        alphaFree: false,
      },
    ],
    baseline: design('baseline', x0, mb, 1e-4),
    baseAirfoil: { name: 'NACA 2412', solver: [mb] },
    final: design('run:0', xf, mf, 2e-5),
    bestInfeasible: null,
    phases: [
      {
        name: 'run',
        model: 'solver',
        starts: [0, 1].map((k) => ({
          tag: `run:${k}`,
          objective: mf.ld - k,
          feasible: true,
          evaluations: 6,
          iterations: 4,
          stop: 'evaluation limit',
          seconds: 1.5,
        })),
        seconds: 3,
      },
    ],
    timings: { setup: 0.1, baseline: 0.5, run: 3, final: 1, total: 4.7 },
    evaluations: { solver: 13, operator: 0, replayed: 0 },
    modelSeconds: { solver: 4, operator: 0 },
    xfoil: { status: 'skipped', reason: 'disabled in the config (xfoil: false)' },
    warnings: [],
    files: null,
    config,
  };
  fs.writeFileSync(path.join(dir, 'result.json'), JSON.stringify(result, null, 2));
  type Line = {
    phase: string;
    evaluation: number;
    x: number[];
    objective: number;
    gradient: string | null;
    gradientNorm: number | null;
  };
  const lines: Line[] = [
    { phase: 'baseline', evaluation: 1, x: x0, objective: mb.ld, gradient: null, gradientNorm: null },
  ];
  for (const k of [0, 1]) {
    for (let e = 1; e <= 6; e++) {
      const t = e / 6;
      lines.push({
        phase: `run:${k}`,
        evaluation: e,
        x: x0.map((v, j) => v + t * (xf[j] - v)),
        objective: mb.ld + t * (mf.ld - mb.ld) - k,
        gradient: e % 2 ? 'adjoint' : null,
        gradientNorm: e % 2 ? 10 * Math.exp(-e) : null,
      });
    }
  }
  const history = lines.map((l, i) => ({
    phase: l.phase,
    evaluation: l.evaluation,
    iteration: Math.ceil(l.evaluation / 2),
    model: 'solver',
    gradient: l.gradient,
    ok: true,
    objective: l.objective,
    constraints: [-1e-4],
    worstViolation: i % 5 === 3 ? 2e-3 : 0,
    feasible: i % 5 !== 3,
    gradientNorm: l.gradientNorm,
    x: l.x,
    points: [{ alphaDeg: 4, cl: null, cd: null, cm: null, confidence: null }],
    elapsed: 0.2 * i,
    replayed: false,
  }));
  fs.writeFileSync(path.join(dir, 'history.jsonl'), history.map((h) => JSON.stringify(h)).join('\n') + '\n');
}
