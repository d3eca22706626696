/**
 * bench:operator — the acceptance figures of the neural operator (docs/operator.md, README):
 *
 * 1. Held-out airfoils (data/holdout-airfoils.json, never trained on) against the solver, on the
 *    points the solver converged:
 *    core: alpha -4..10 (1 deg), Re {2e5, 5e5, 1e6, 2e6, 5e6}, M {0, 0.3}, Ncrit 9, free transition;
 *    full: alpha -6..16 (1 deg) at 4 random conditions per airfoil over the full default ranges
 *          (Re 5e4..1e7 log-uniform, M 0..0.5, Ncrit 3..12, 30 % tripped at x/c 0.02..0.9).
 *    Cl MAE, mean |d ln Cd|, Cm MAE, transition MAE, surface Cp relative L2 (arc-length weighted, at the
 *    solver's nodes), forces integrated from the predicted distributions vs the force heads.
 * 2. Confidence: ROC AUC, converged vs not (full set; core too).
 * 3. Ablation: the CST-MLP baseline (models/ablation-cst: same data, same trunk, same epochs) side by
 *    side; the operator at 80, 160 and 320 input points.
 * 4. Speed (wasm unless FOILOPT_BACKEND): 10,000 force evaluations of different airfoils, batched,
 *    features included; d(L/D)/d(all node coordinates) for one airfoil; the solver per point.
 * 5. Gradients vs central differences of the operator itself (step 1e-4; all node y, node x away from
 *    the LE and TE nodes where the Glauert-angle slope is capped, and the 18 CST variables); node x
 *    within h of a psi station of the piecewise-linear contour sampler (a kink) listed and left out.
 * 6. tf.memory() over 1,000 predict calls.
 *
 * Usage: npm run bench:operator [-- --model DIR] [--baseline DIR] [--fresh] [--quick] [--reference-only]
 * The solver reference is cached in bench/out/operator-reference.json (--fresh recomputes it).
 */
import * as fs from 'fs';
import * as path from 'path';
import { analyze, prepareAirfoil } from '../src/flow/analyze';
import { forceCoefficients } from '../src/flow/inviscid';
import { loadAirfoil } from '../src/geometry/lookup';
import { parametrizationFromSpec } from '../src/geometry';
import type { Airfoil } from '../src/geometry/types';
import { backendName, tf } from '../src/operator/backend';
import {
  incompressibleCp,
  loadOperator,
  type NeuralOperator,
  type OperatorDistributions,
  type OperatorForces,
} from '../src/operator/predict';
import { upperFlags } from '../src/operator/stations';
import { rocAuc } from '../src/operator/train';
import { caseContext, buildCase } from '../src/dataset/cases';
import { resolveConfig } from '../src/dataset/config';
import { OUT_DIR, REPO_ROOT, UIUC_DIR, percentile, writeBenchJson } from './common';

const args = process.argv.slice(2);
const opt = (name: string, def?: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : def;
};
const QUICK = args.includes('--quick');
const FRESH = args.includes('--fresh');
const MODEL = opt('model', path.join(REPO_ROOT, 'models', 'operator'))!;
const BASELINE = opt('baseline', path.join(REPO_ROOT, 'models', 'ablation-cst'))!;

interface RefPoint {
  airfoil: string;
  set: 'core' | 'full';
  alphaDeg: number;
  re: number;
  mach: number;
  nCrit: number;
  xtrTop: number;
  xtrBot: number;
  converged: boolean;
  cl: number;
  cd: number;
  cm: number;
  xtrTopOut: number;
  xtrBotOut: number;
  /** solver nodes and Cp at them (converged points only) */
  cp?: number[];
}

/** xorshift for the bench's random conditions (fixed seed). */
function rng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

function holdoutAirfoils(): Airfoil[] {
  const h = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'data', 'holdout-airfoils.json'), 'utf8'));
  const out: Airfoil[] = [];
  for (const name of h.uiuc as string[]) {
    const file = path.join(UIUC_DIR, `${name}.dat`);
    const a = fs.existsSync(file) ? loadAirfoil(file) : loadAirfoil(name);
    out.push({ ...a, name });
  }
  for (const code of h.naca as string[])
    out.push({ ...loadAirfoil(`naca${code}`), name: `naca${code} (formula)` });
  return QUICK ? out.slice(0, 6) : out;
}

function solverReference(airfoils: Airfoil[]): RefPoint[] {
  const file = path.join(OUT_DIR, `operator-reference${QUICK ? '-quick' : ''}.json`);
  if (!FRESH && fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, 'utf8')) as RefPoint[];
  const pts: RefPoint[] = [];
  const t0 = performance.now();
  const rand = rng(20261203);
  airfoils.forEach((a, k) => {
    const polars: {
      set: 'core' | 'full';
      re: number;
      mach: number;
      nCrit: number;
      xtrTop: number;
      xtrBot: number;
      alphas: number[];
    }[] = [];
    const core = Array.from({ length: 15 }, (_, i) => -4 + i);
    for (const re of [2e5, 5e5, 1e6, 2e6, 5e6])
      for (const mach of [0, 0.3])
        polars.push({ set: 'core', re, mach, nCrit: 9, xtrTop: 1, xtrBot: 1, alphas: core });
    const full = Array.from({ length: 23 }, (_, i) => -6 + i);
    for (let j = 0; j < 4; j++) {
      const re = Math.exp(Math.log(5e4) + rand() * Math.log(1e7 / 5e4));
      const mach = 0.5 * rand();
      const nCrit = 3 + 9 * rand();
      const tripped = rand() < 0.3;
      const xt = 0.02 + 0.88 * rand();
      const xb = 0.02 + 0.88 * rand();
      polars.push({
        set: 'full',
        re,
        mach,
        nCrit,
        xtrTop: tripped ? xt : 1,
        xtrBot: tripped ? xb : 1,
        alphas: full,
      });
    }
    const prepared = prepareAirfoil(a, { panels: 160 });
    for (const p of polars) {
      const r = analyze(a, {
        re: p.re,
        mach: p.mach,
        nCrit: p.nCrit,
        xtrTop: p.xtrTop,
        xtrBot: p.xtrBot,
        alphaDeg: p.alphas,
      });
      r.forEach((q) => {
        const pt: RefPoint = {
          airfoil: a.name,
          set: p.set,
          alphaDeg: q.alpha,
          re: p.re,
          mach: p.mach,
          nCrit: p.nCrit,
          xtrTop: p.xtrTop,
          xtrBot: p.xtrBot,
          converged: q.converged,
          cl: q.cl,
          cd: q.cd,
          cm: q.cm,
          xtrTopOut: q.xtrTop,
          xtrBotOut: q.xtrBot,
        };
        if (q.converged && q.boundaryLayer) {
          // Cp at the prepared nodes (node order): top side reversed, then bottom
          const { top, bottom } = q.boundaryLayer;
          const cp = [...Array.from(top.cp).reverse(), ...Array.from(bottom.cp)];
          if (cp.length === prepared.x.length) pt.cp = cp.map((v) => Math.round(v * 1e5) / 1e5);
        }
        pts.push(pt);
      });
    }
    process.stderr.write(
      `\rsolver reference: ${k + 1}/${airfoils.length} airfoils, ${pts.length} points, ${((performance.now() - t0) / 1000).toFixed(0)} s   `,
    );
  });
  process.stderr.write('\n');
  fs.mkdirSync(OUT_DIR, { recursive: true });
  fs.writeFileSync(file, JSON.stringify(pts));
  return pts;
}

interface Scores {
  points: number;
  clMae: number;
  lnCdMae: number;
  cmMae: number;
  xtrMae: number;
  cpRelL2?: number;
  /** |Cl integrated from the predicted Cp - Cl force head|, mean */
  clIntegratedVsHead?: number;
  /** |Cl integrated from the predicted Cp - solver Cl|, mean */
  clIntegratedVsSolver?: number;
  /** |Cm integrated from the predicted Cp - Cm force head|, mean */
  cmIntegratedVsHead?: number;
  /** |ln Cd(Squire-Young on the predicted TE theta, H, ue) - ln Cd force head|, mean */
  lnCdSquireYoungVsHead?: number;
  confidenceAuc: number;
  /** Cl MAE and mean |d ln Cd| per airfoil (converged points) */
  perAirfoil: Record<string, { points: number; clMae: number; lnCdMae: number }>;
}

function arcWeights(a: Airfoil): Float64Array {
  const n = a.x.length;
  const w = new Float64Array(n);
  for (let i = 0; i + 1 < n; i++) {
    const ds = Math.hypot(a.x[i + 1] - a.x[i], a.y[i + 1] - a.y[i]);
    w[i] += ds / 2;
    w[i + 1] += ds / 2;
  }
  return w;
}

/** Scores of a model on reference points (`panels`: input points given to the model). */
function score(
  op: NeuralOperator,
  airfoils: Airfoil[],
  ref: RefPoint[],
  set: 'core' | 'full',
  panels = 160,
  fields = true,
): Scores {
  const sel = ref.filter((p) => p.set === set);
  let n = 0;
  let cl = 0;
  let lncd = 0;
  let cm = 0;
  let xtr = 0;
  let cpSum = 0;
  let cpN = 0;
  let intHead = 0;
  let intSol = 0;
  let cmHead = 0;
  let sySum = 0;
  let syN = 0;
  const conf: number[] = [];
  const lab: number[] = [];
  const perAirfoil: Scores['perAirfoil'] = {};
  for (const a of airfoils) {
    const pts = sel.filter((p) => p.airfoil === a.name);
    if (!pts.length) continue;
    const nodes = prepareAirfoil(a, { panels: 160 });
    const input = panels === 160 ? nodes : prepareAirfoil(a, { panels });
    const conds = pts.map((p) => ({
      alphaDeg: p.alphaDeg,
      re: p.re,
      mach: p.mach,
      nCrit: p.nCrit,
      xtrTop: p.xtrTop,
      xtrBot: p.xtrBot,
    }));
    let forces: OperatorForces[];
    let dists: OperatorDistributions[] | undefined;
    if (fields) {
      const upper = upperFlags(nodes.x);
      const r = op.distributions(input, conds, { x: nodes.x, upper });
      forces = r.forces;
      dists = r.fields;
    } else forces = op.predictForces([input], conds);
    const w = arcWeights(nodes);
    pts.forEach((p, k) => {
      conf.push(forces[k].confidence);
      lab.push(p.converged ? 1 : 0);
      if (!p.converged) return;
      n++;
      cl += Math.abs(forces[k].cl - p.cl);
      lncd += Math.abs(Math.log(forces[k].cd) - Math.log(p.cd));
      const pa = (perAirfoil[a.name] ??= { points: 0, clMae: 0, lnCdMae: 0 });
      pa.points++;
      pa.clMae += (Math.abs(forces[k].cl - p.cl) - pa.clMae) / pa.points;
      pa.lnCdMae += (Math.abs(Math.log(forces[k].cd) - Math.log(p.cd)) - pa.lnCdMae) / pa.points;
      cm += Math.abs(forces[k].cm - p.cm);
      xtr += 0.5 * (Math.abs(forces[k].xtrTop - p.xtrTopOut) + Math.abs(forces[k].xtrBot - p.xtrBotOut));
      if (dists && p.cp) {
        const cp = dists[k].cp;
        const ref = p.cp;
        let e = 0;
        let s = 0;
        for (let i = 0; i < cp.length; i++) {
          e += w[i] * (cp[i] - ref[i]) ** 2;
          s += w[i] * ref[i] ** 2;
        }
        cpSum += Math.sqrt(e / s);
        cpN++;
        const q = Float64Array.from(cp, (c) => Math.sqrt(Math.max(0, 1 - incompressibleCp(c, p.mach))));
        const f = forceCoefficients(
          nodes.x,
          nodes.y,
          nodes.x.length,
          q,
          null,
          (p.alphaDeg * Math.PI) / 180,
          p.mach,
        );
        intHead += Math.abs(f.cl - forces[k].cl);
        intSol += Math.abs(f.cl - p.cl);
        cmHead += Math.abs(f.cm - forces[k].cm);
        // Squire-Young at the trailing edge (first and last node): theta = sum of both sides,
        // H from the summed displacement thicknesses, ue from the Cp
        const dd = dists[k];
        const last = dd.theta.length - 1;
        const th = dd.theta[0] + dd.theta[last];
        const h = (dd.deltaStar[0] + dd.deltaStar[last]) / th;
        const ue = 0.5 * (dd.ue[0] + dd.ue[last]);
        const cdSy = 2 * th * Math.pow(ue, (h + 5) / 2);
        if (cdSy > 0 && Number.isFinite(cdSy)) {
          sySum += Math.abs(Math.log(cdSy) - Math.log(forces[k].cd));
          syN++;
        }
      }
    });
  }
  const s: Scores = {
    points: n,
    clMae: cl / n,
    lnCdMae: lncd / n,
    cmMae: cm / n,
    xtrMae: xtr / n,
    confidenceAuc: rocAuc(conf, lab),
    perAirfoil,
  };
  if (cpN) {
    s.cpRelL2 = cpSum / cpN;
    s.clIntegratedVsHead = intHead / cpN;
    s.clIntegratedVsSolver = intSol / cpN;
    s.cmIntegratedVsHead = cmHead / cpN;
    s.lnCdSquireYoungVsHead = sySum / syN;
  }
  return s;
}

function fmt(s: Scores): string {
  return (
    `Cl MAE ${s.clMae.toFixed(4)}  |dlnCd| ${s.lnCdMae.toFixed(4)}  Cm MAE ${s.cmMae.toFixed(4)}  xtr MAE ${s.xtrMae.toFixed(4)}` +
    (s.cpRelL2 !== undefined ? `  Cp L2 ${(100 * s.cpRelL2).toFixed(2)}%` : '') +
    `  AUC ${s.confidenceAuc.toFixed(3)}  (${s.points} pts)`
  );
}

async function main() {
  if (args.includes('--reference-only')) {
    const ref = solverReference(holdoutAirfoils());
    console.log(`solver reference: ${ref.length} points, ${ref.filter((p) => p.converged).length} converged`);
    return;
  }
  const op = await loadOperator(MODEL);
  const backend = backendName();
  console.log(`operator ${MODEL} on the ${backend} backend`);
  const airfoils = holdoutAirfoils();
  const ref = solverReference(airfoils);
  const conv = ref.filter((p) => p.converged).length;
  console.log(
    `reference: ${ref.length} solver points on ${airfoils.length} held-out airfoils, ${conv} converged`,
  );

  // 1-2. accuracy and confidence
  const core = score(op, airfoils, ref, 'core');
  const full = score(op, airfoils, ref, 'full');
  const allRef = ref.map((p) => ({ ...p, set: 'core' as const }));
  const all = score(op, airfoils, allRef, 'core', 160, false);
  console.log(`core (alpha -4..10, Re 2e5..5e6, M <= 0.3, free):  ${fmt(core)}`);
  console.log(`full (alpha -6..16, Re 5e4..1e7, M <= 0.5, trips): ${fmt(full)}`);
  console.log(`all points: ${fmt(all)}`);
  const perLine = (sc: Scores) => {
    const e = Object.entries(sc.perAirfoil).sort((x, y) => y[1].clMae - x[1].clMae);
    const cls = e.map(([, v]) => v.clMae).sort((x, y) => x - y);
    const lns = e.map(([, v]) => v.lnCdMae).sort((x, y) => x - y);
    const med = (v: number[]) => v[Math.floor((v.length - 1) / 2)];
    return (
      `median over the ${e.length} airfoils: Cl MAE ${med(cls).toFixed(4)}, |dlnCd| ${med(lns).toFixed(4)}; worst Cl: ` +
      e
        .slice(0, 8)
        .map(([k, v]) => `${k} ${v.clMae.toFixed(3)}/${v.lnCdMae.toFixed(3)}`)
        .join(', ')
    );
  };
  console.log(`core per airfoil (Cl MAE/|dlnCd|), ${perLine(core)}`);
  console.log(
    `forces from the predicted distributions: |Cl(Cp) - Cl head| mean ${core.clIntegratedVsHead!.toFixed(4)} (core), ` +
      `|Cl(Cp) - Cl solver| ${core.clIntegratedVsSolver!.toFixed(4)}, |Cm(Cp) - Cm head| ${core.cmIntegratedVsHead!.toFixed(4)}, ` +
      `|ln Cd(Squire-Young at the TE) - ln Cd head| ${core.lnCdSquireYoungVsHead!.toFixed(3)}`,
  );

  // 3. ablation
  const resolution: Record<string, Scores> = {};
  for (const panels of [80, 160, 320]) resolution[panels] = score(op, airfoils, ref, 'core', panels);
  for (const k of ['80', '320']) {
    const r = resolution[k];
    const b = resolution['160'];
    const worst = Math.max(
      r.clMae / b.clMae,
      r.lnCdMae / b.lnCdMae,
      r.cmMae / b.cmMae,
      r.xtrMae / b.xtrMae,
      r.cpRelL2! / b.cpRelL2!,
    );
    console.log(`${k} input points: ${fmt(r)}  worst ratio to 160: ${worst.toFixed(3)}`);
  }
  let baseline: { core: Scores; full: Scores; all: Scores; training?: unknown } | null = null;
  if (fs.existsSync(path.join(BASELINE, 'model.json'))) {
    const b = await loadOperator(BASELINE);
    baseline = {
      core: score(b, airfoils, ref, 'core', 160, false),
      full: score(b, airfoils, ref, 'full', 160, false),
      all: score(b, airfoils, allRef, 'core', 160, false),
      training: b.file.training,
    };
    console.log(`CST-MLP baseline core: ${fmt(baseline.core)}`);
    console.log(`CST-MLP baseline full: ${fmt(baseline.full)}`);
    console.log(`CST-MLP baseline core per airfoil, ${perLine(baseline.core)}`);
  } else console.log(`(no baseline model at ${BASELINE})`);

  // 4. speed
  const ctx = caseContext(resolveConfig({}), 777);
  const shapes: Airfoil[] = [];
  for (let i = 0; shapes.length < 10000; i++) shapes.push(buildCase(ctx, i).airfoil);
  const conds = shapes.map((_, i) => ({ alphaDeg: -4 + (i % 15), re: 1e6, mach: 0.1 }));
  op.predictForces(shapes.slice(0, 100), conds.slice(0, 100)); // warm-up
  const times: number[] = [];
  for (let k = 0; k < 3; k++) {
    const t0 = performance.now();
    op.predictForces(shapes, conds);
    times.push((performance.now() - t0) / 1000);
  }
  const t10k = Math.min(...times);
  const a0 = prepareAirfoil(loadAirfoil('naca2412'), { panels: 160 });
  const gTimes: number[] = [];
  for (let k = 0; k < 60; k++) {
    const t0 = performance.now();
    op.forcesWithGradient(a0, { alphaDeg: 4, re: 1e6 });
    if (k >= 10) gTimes.push(performance.now() - t0);
  }
  const gMs = percentile(gTimes, 0.5);
  const sTimes: number[] = [];
  for (let i = 0; i < (QUICK ? 5 : 20); i++) {
    const t0 = performance.now();
    analyze(shapes[i], { re: 1e6, mach: 0.1, alphaDeg: conds[i].alphaDeg });
    sTimes.push(performance.now() - t0);
  }
  const solverMs = percentile(sTimes, 0.5);
  console.log(
    `speed: 10,000 different airfoils, batched, features included: ${t10k.toFixed(3)} s (${((1e6 * t10k) / 1e4).toFixed(0)} us each); ` +
      `d(L/D)/d(${2 * a0.x.length} node coordinates): ${gMs.toFixed(2)} ms median; solver (cold point, new shape): ${solverMs.toFixed(1)} ms median ` +
      `-> ${(solverMs / ((1000 * t10k) / 1e4)).toFixed(0)}x`,
  );

  // 5. gradients vs central differences of the operator
  const gradCheck: Record<string, number> = {};
  const kinkNodes: Record<string, { nodes: number[]; errorWithThem: number }> = {};
  const G = op.net.spec.encoding.kind === 'spectral' ? op.net.spec.encoding.gridPoints : 0;
  const straddlesStation = (x: number, h: number) => {
    const lo = Math.acos(1 - 2 * Math.max(0, x - h));
    const hi = Math.acos(1 - 2 * Math.min(1, x + h));
    for (let g = 1; g < G - 1; g++) {
      const psi = (Math.PI * g) / (G - 1);
      if (psi > lo && psi < hi) return true;
    }
    return false;
  };
  for (const name of ['naca2412', 'e387', 's1223']) {
    const a = prepareAirfoil(loadAirfoil(name), { panels: 160 });
    const c = { alphaDeg: 3, re: 1e6, mach: 0.1 };
    const g = op.forcesWithGradient(a, c);
    const h = 1e-4;
    const ld = (x: Float64Array, y: Float64Array) => {
      const f = op.predictForces([{ ...a, x, y }], [c])[0];
      return f.cl / f.cd;
    };
    let eY = 0;
    let nY = 0;
    let eX = 0;
    let nX = 0;
    let eXall = 0;
    let nXall = 0;
    const kinks: number[] = [];
    for (let i = 0; i < a.x.length; i++) {
      const yp = Float64Array.from(a.y);
      yp[i] += h;
      const ym = Float64Array.from(a.y);
      ym[i] -= h;
      const fdY = (ld(a.x, yp) - ld(a.x, ym)) / (2 * h);
      eY += (fdY - g.dY.ld[i]) ** 2;
      nY += g.dY.ld[i] ** 2;
      if (a.x[i] < 0.01 || a.x[i] > 0.99) continue;
      const xp = Float64Array.from(a.x);
      xp[i] += h;
      const xm = Float64Array.from(a.x);
      xm[i] -= h;
      const fdX = (ld(xp, a.y) - ld(xm, a.y)) / (2 * h);
      eXall += (fdX - g.dX.ld[i]) ** 2;
      nXall += g.dX.ld[i] ** 2;
      // the contour sampler interpolates linearly in psi(x): where x +- h carries the node across a
      // psi station the features have a kink (one-sided derivatives differ) and a central difference
      // averages the two slopes; such nodes are listed and left out of the comparison
      if (straddlesStation(a.x[i], h)) {
        kinks.push(i);
        continue;
      }
      eX += (fdX - g.dX.ld[i]) ** 2;
      nX += g.dX.ld[i] ** 2;
    }
    kinkNodes[name] = { nodes: kinks, errorWithThem: Math.sqrt(eXall / nXall) };
    // CST variables through the parametrization's Jacobian
    const cst = parametrizationFromSpec('cst:8');
    const p0 = cst.fit(a).params;
    const shape0 = cst.coordinates(p0);
    const J = cst.jacobian!(p0);
    const gs = op.forcesWithGradient(shape0, c);
    let eP = 0;
    let nP = 0;
    for (let j = 0; j < p0.length; j++) {
      let ad = 0;
      for (let i = 0; i < shape0.x.length; i++)
        ad += gs.dX.ld[i] * J.dx[i * p0.length + j] + gs.dY.ld[i] * J.dy[i * p0.length + j];
      const pp = Float64Array.from(p0);
      pp[j] += h;
      const pm = Float64Array.from(p0);
      pm[j] -= h;
      const sp = cst.coordinates(pp);
      const sm = cst.coordinates(pm);
      const fd = (ld(sp.x, sp.y) - ld(sm.x, sm.y)) / (2 * h);
      eP += (fd - ad) ** 2;
      nP += ad ** 2;
    }
    gradCheck[`${name} dLD/dy`] = Math.sqrt(eY / nY);
    gradCheck[`${name} dLD/dx`] = Math.sqrt(eX / nX);
    gradCheck[`${name} dLD/dCST`] = Math.sqrt(eP / nP);
  }
  console.log(
    'gradient vs central differences (relative 2-norm error): ' +
      Object.entries(gradCheck)
        .map(([k, v]) => `${k} ${(100 * v).toFixed(2)}%`)
        .join(', ') +
      '; dx nodes at an interpolation kink, left out: ' +
      Object.entries(kinkNodes)
        .map(([k, v]) => `${k} ${v.nodes.length} (with them ${(100 * v.errorWithThem).toFixed(2)}%)`)
        .join(', '),
  );

  // 6. memory
  const before = tf.memory().numTensors;
  const bytesBefore = tf.memory().numBytes;
  for (let k = 0; k < 1000; k++) op.predict(a0, { alphaDeg: [k % 10], re: 1e6 }, { distributions: true });
  const after = tf.memory().numTensors;
  console.log(
    `tf.memory over 1,000 predict calls: tensors ${before} -> ${after}, bytes ${bytesBefore} -> ${tf.memory().numBytes}`,
  );

  const accept = {
    coreClMae: core.clMae <= 0.012,
    coreLnCd: core.lnCdMae <= 0.03,
    coreCm: core.cmMae <= 0.003,
    coreXtr: core.xtrMae <= 0.02,
    coreCp: (core.cpRelL2 ?? 1) <= 0.03,
    fullCl: full.clMae <= 0.03,
    fullLnCd: full.lnCdMae <= 0.06,
    auc: full.confidenceAuc >= 0.9,
    resolution: ['80', '320'].every((k) => {
      const r = resolution[k];
      const b = resolution['160'];
      return (
        Math.max(
          r.clMae / b.clMae,
          r.lnCdMae / b.lnCdMae,
          r.cmMae / b.cmMae,
          r.xtrMae / b.xtrMae,
          r.cpRelL2! / b.cpRelL2!,
        ) <= 1.1
      );
    }),
    speed10k: t10k <= 1.5,
    gradient20ms: gMs <= 20,
    gradientsFd: Object.values(gradCheck).every((v) => v <= 0.01),
    memory: after <= before,
  };
  for (const [k, v] of Object.entries(accept)) console.log(`${v ? 'PASS' : 'FAIL'} ${k}`);
  const file = writeBenchJson(QUICK ? 'operator-quick' : 'operator', {
    date: new Date().toISOString(),
    model: path.relative(REPO_ROOT, MODEL),
    backend,
    training: op.file.training,
    airfoils: airfoils.map((a) => a.name),
    referencePoints: ref.length,
    convergedPoints: conv,
    core,
    full,
    all,
    resolution,
    baseline,
    speed: { tenThousandSeconds: t10k, runs: times, gradientMs: gMs, solverMsPerPoint: solverMs },
    gradCheck,
    gradKinks: kinkNodes,
    memory: { before, after },
    accept,
  });
  console.log(`wrote ${file}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
