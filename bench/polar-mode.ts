/**
 * bench:polar-mode — does polar mode (12 warm-started angles per shape) buy more operator accuracy per
 * CPU-hour than one cold point per case (the dataset's default)? Both datasets use the core envelope
 * (data/operator/core.json) on both cores; the polar dataset is cut to the same compute time as the
 * cold one (whole polars); the same small operator is trained on each for the same number of samples
 * and scored on the held-out airfoils' core points (bench:operator's cached solver reference; run
 * `npm run bench:operator -- --quick` first if it is missing).
 *
 * Usage: npm run bench:polar-mode [-- --cold N] [--epochs E]
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { generateDataset } from '../src/dataset';
import { prepareAirfoil } from '../src/flow/analyze';
import { loadAirfoil } from '../src/geometry/lookup';
import { loadTrainingData, type TrainingData } from '../src/operator/data';
import { DEFAULT_ARCHITECTURE } from '../src/operator/model';
import { loadOperator } from '../src/operator/predict';
import { trainOperator } from '../src/operator/train';
import { OUT_DIR, REPO_ROOT, UIUC_DIR, writeBenchJson } from './common';

const args = process.argv.slice(2);
const opt = (n: string, d: number) => {
  const i = args.indexOf(`--${n}`);
  return i >= 0 ? Number(args[i + 1]) : d;
};
const COLD = opt('cold', 4800);
const EPOCHS = opt('epochs', 40);

interface RefPoint {
  airfoil: string;
  set: string;
  alphaDeg: number;
  re: number;
  mach: number;
  nCrit: number;
  converged: boolean;
  cl: number;
  cd: number;
  cm: number;
}

/** Rows [0, n) of a training set (whole polars: the first rows of the first shards). */
function head(d: TrainingData, n: number): TrainingData {
  return {
    ...d,
    n,
    inputs: d.inputs.subarray(0, n * d.nIn),
    targets: d.targets.subarray(0, n * d.nT),
    converged: d.converged.subarray(0, n),
    group: d.group.subarray(0, n),
    sources: d.sources.slice(0, n),
    parts: d.parts.map((p) => ({ ...p, rows: n })),
  };
}

async function main() {
  const refFile = ['operator-reference.json', 'operator-reference-quick.json']
    .map((f) => path.join(OUT_DIR, f))
    .find((f) => fs.existsSync(f));
  if (!refFile) throw new Error('no solver reference: run npm run bench:operator -- --quick first');
  const ref = (JSON.parse(fs.readFileSync(refFile, 'utf8')) as RefPoint[]).filter((p) => p.set === 'core' && p.converged);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'foilopt-polar-bench-'));
  const core = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'data', 'operator', 'core.json'), 'utf8'));
  const cold = await generateDataset({
    out: path.join(tmp, 'cold'),
    nCases: COLD,
    seed: 7,
    workers: 2,
    config: { ...core, polarPoints: 1, casesPerShard: 1200 },
  });
  console.log(`cold: ${COLD} cases in ${cold.computeSeconds.toFixed(0)} s (${cold.casesPerSecond.toFixed(1)} cases/s), ${cold.manifest.totals.converged} converged`);
  const polarN = 12 * Math.ceil((3 * COLD) / 12);
  const polar = await generateDataset({
    out: path.join(tmp, 'polar'),
    nCases: polarN,
    seed: 7,
    workers: 2,
    config: { ...core, casesPerShard: 1200 },
  });
  const keep = Math.min(polarN, 12 * Math.floor((polarN * (cold.computeSeconds / polar.computeSeconds)) / 12));
  console.log(
    `polar: ${polarN} cases in ${polar.computeSeconds.toFixed(0)} s (${polar.casesPerSecond.toFixed(1)} cases/s); ` +
      `same compute time as the cold set: ${keep} cases`,
  );
  const arch = { ...DEFAULT_ARCHITECTURE, width: 256 };
  const sets: Record<string, TrainingData> = {
    cold: loadTrainingData([path.join(tmp, 'cold')], arch),
    polar: head(loadTrainingData([path.join(tmp, 'polar')], arch), keep),
  };
  const samples = EPOCHS * COLD;
  const airfoils = new Map<string, ReturnType<typeof prepareAirfoil>>();
  const results: Record<string, unknown> = {};
  for (const [name, d] of Object.entries(sets)) {
    const conv = d.converged.reduce((s, c) => s + c, 0);
    const epochs = Math.max(1, Math.round(samples / d.n));
    const out = path.join(tmp, `model-${name}`);
    const t0 = performance.now();
    await trainOperator({ data: [], preloaded: d, out, epochs, batchSize: 256, width: 256, depth: 4, validationFraction: 0.02 });
    const trainSeconds = (performance.now() - t0) / 1000;
    const op = await loadOperator(out);
    let cl = 0;
    let lncd = 0;
    let cm = 0;
    for (const p of ref) {
      if (!airfoils.has(p.airfoil)) {
        const file = path.join(UIUC_DIR, `${p.airfoil}.dat`);
        const code = /^naca(\d+) \(formula\)$/.exec(p.airfoil)?.[1];
        const a = code ? loadAirfoil(`naca${code}`) : loadAirfoil(fs.existsSync(file) ? file : p.airfoil);
        airfoils.set(p.airfoil, prepareAirfoil(a, { panels: 160 }));
      }
      const [f] = op.predictForces([airfoils.get(p.airfoil)!], [{ alphaDeg: p.alphaDeg, re: p.re, mach: p.mach, nCrit: p.nCrit }]);
      cl += Math.abs(f.cl - p.cl);
      lncd += Math.abs(Math.log(f.cd) - Math.log(p.cd));
      cm += Math.abs(f.cm - p.cm);
    }
    op.dispose();
    const r = {
      rows: d.n,
      converged: conv,
      epochs,
      trainSeconds,
      heldOut: { points: ref.length, clMae: cl / ref.length, lnCdMae: lncd / ref.length, cmMae: cm / ref.length },
    };
    results[name] = r;
    console.log(
      `${name}: ${d.n} rows (${conv} converged), ${epochs} epochs -> held-out core Cl MAE ${r.heldOut.clMae.toFixed(4)}, ` +
        `|dlnCd| ${r.heldOut.lnCdMae.toFixed(4)}, Cm MAE ${r.heldOut.cmMae.toFixed(4)}`,
    );
  }
  fs.rmSync(tmp, { recursive: true, force: true });
  const file = writeBenchJson('polar-mode', {
    date: new Date().toISOString(),
    coldCases: COLD,
    coldSeconds: cold.computeSeconds,
    polarCases: polarN,
    polarSeconds: polar.computeSeconds,
    polarCasesAtEqualTime: keep,
    reference: path.basename(refFile),
    results,
  });
  console.log(`wrote ${file}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
