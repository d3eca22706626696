/**
 * Builds data/uiuc-cst8.json: the CST fit (8 weights per side, minimax objective, src/geometry/param
 * cst) of every UIUC airfoil that readAirfoilFile accepts, stored compactly for the dataset generator
 * (src/dataset/shapes.ts) so that users never need the UIUC files at run time. With --holdout it also
 * (re)writes data/holdout-airfoils.json: the validation-matrix airfoils plus HOLDOUT_RANDOM names drawn
 * once from the sorted table with the fixed seed HOLDOUT_SEED. The held-out list is part of the dataset
 * contract: do not regenerate it for a published dataset.
 *
 *   npx tsx scripts/build-uiuc-cst.ts [--holdout]
 *
 * Input: $FOILOPT_SHARED/data/uiuc-airfoils (default ../shared relative to the repository root).
 */
import * as fs from 'fs';
import * as path from 'path';
import { isFoiloptError } from '../src/errors';
import { readAirfoilFile } from '../src/geometry/io';
import { cst } from '../src/geometry/param/cst';
import { CST_TABLE_SCALE, type CstTableFile, type HoldoutFile } from '../src/dataset/shapes';
import { caseRng } from '../src/dataset/rng';

const REPO_ROOT = path.resolve(__dirname, '..');
const SHARED_DIR = process.env.FOILOPT_SHARED ?? path.resolve(REPO_ROOT, '..', 'shared');
const UIUC_DIR = path.join(SHARED_DIR, 'data', 'uiuc-airfoils');
const WEIGHTS = 8;
/** airfoils of the solver validation matrix (test/fixtures/xfoil) and their UIUC file names */
const VALIDATION_UIUC = ['e387', 'sd7037', 's1223', 'clarky', 'dae11', 'n0012', 'naca2412', 'naca4412'];
const VALIDATION_NACA = ['0012', '2412', '4412'];
const HOLDOUT_SEED = 20260505;
const HOLDOUT_RANDOM = 20;

function main(): void {
  const writeHoldout = process.argv.includes('--holdout');
  const files = fs
    .readdirSync(UIUC_DIR)
    .filter((f) => f.toLowerCase().endsWith('.dat'))
    .sort();
  const p = cst({ weightsPerSide: WEIGHTS });
  const table: CstTableFile = {
    format: 'foilopt-cst-table',
    version: 1,
    parametrization: `cst:${WEIGHTS}`,
    scale: CST_TABLE_SCALE,
    vars: [...p.varNames],
    source: 'UIUC Airfoil Coordinates Database (Selig), CST fit by scripts/build-uiuc-cst.ts',
    airfoils: [],
  };
  const skipped: string[] = [];
  const t0 = Date.now();
  for (const f of files) {
    let fit;
    try {
      fit = p.fit(readAirfoilFile(path.join(UIUC_DIR, f)));
    } catch (e) {
      if (!isFoiloptError(e)) throw e;
      skipped.push(`${f}: ${e.oneLine()}`);
      continue;
    }
    table.airfoils.push({
      name: f.replace(/\.dat$/i, '').toLowerCase(),
      p: Array.from(fit.params, (v) => Math.round(v / CST_TABLE_SCALE)),
      dev: Number(fit.maxDeviation.toPrecision(2)),
    });
  }
  const out = path.join(REPO_ROOT, 'data', 'uiuc-cst8.json');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const text =
    JSON.stringify({ ...table, airfoils: [] }).replace(/\[\]\}$/, '[\n') +
    table.airfoils.map((a) => JSON.stringify(a)).join(',\n') +
    '\n]}\n';
  fs.writeFileSync(out + '.tmp', text);
  fs.renameSync(out + '.tmp', out);
  const devs = table.airfoils.map((a) => a.dev).sort((a, b) => a - b);
  console.log(
    `${out}: ${table.airfoils.length} airfoils (${skipped.length} files skipped), ` +
      `${(text.length / 1024).toFixed(0)} KB, ${((Date.now() - t0) / 1000).toFixed(0)} s; ` +
      `fit max deviation median ${devs[devs.length >> 1]}, p90 ${devs[Math.floor(devs.length * 0.9)]}`,
  );
  for (const s of skipped) console.log(`  skipped ${s}`);

  if (writeHoldout) {
    const names = new Set(table.airfoils.map((a) => a.name));
    for (const v of VALIDATION_UIUC)
      if (!names.has(v)) throw new Error(`validation airfoil ${v} is not in the table`);
    const pool = table.airfoils.map((a) => a.name).filter((n) => !VALIDATION_UIUC.includes(n));
    const rng = caseRng(HOLDOUT_SEED, 0, 0);
    const random: string[] = [];
    while (random.length < HOLDOUT_RANDOM) {
      const n = pool[rng.int(0, pool.length - 1)];
      if (!random.includes(n)) random.push(n);
    }
    const holdout: HoldoutFile = {
      format: 'foilopt-holdout',
      version: 1,
      description:
        'Airfoils held out of every foilopt training set (docs/dataset.md): the solver validation ' +
        `matrix plus ${HOLDOUT_RANDOM} UIUC airfoils drawn once with seed ${HOLDOUT_SEED}.`,
      uiuc: [...VALIDATION_UIUC, ...random.sort()],
      naca: VALIDATION_NACA,
    };
    const hf = path.join(REPO_ROOT, 'data', 'holdout-airfoils.json');
    fs.writeFileSync(hf, JSON.stringify(holdout, null, 2) + '\n');
    console.log(`${hf}: ${holdout.uiuc.length} UIUC names, NACA ${holdout.naca.join(', ')}`);
  }
}

main();
