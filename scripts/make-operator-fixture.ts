/**
 * Writes test/fixtures/operator/holdout-sample.json: solver polars of four held-out airfoils (never in
 * any training set, data/holdout-airfoils.json) for the committed model's accuracy-floor test.
 * Usage: npx tsx scripts/make-operator-fixture.ts
 */
import * as fs from 'fs';
import * as path from 'path';
import { analyze } from '../src/flow/analyze';
import { loadAirfoil } from '../src/geometry/lookup';

const out: unknown[] = [];
for (const name of ['e387', 's1223', 'clarky', 'naca2412']) {
  const a = loadAirfoil(name);
  for (const re of [5e5, 2e6]) {
    const alphas = [0, 2, 4, 6, 8];
    const r = analyze(a, { re, mach: 0.1, nCrit: 9, alphaDeg: alphas });
    r.forEach((p) => {
      if (!p.converged) return;
      out.push({ airfoil: name, re, mach: 0.1, nCrit: 9, alphaDeg: p.alpha, cl: p.cl, cd: p.cd, cm: p.cm, xtrTop: p.xtrTop, xtrBot: p.xtrBot });
    });
  }
}
const file = path.join(__dirname, '..', 'test', 'fixtures', 'operator', 'holdout-sample.json');
fs.writeFileSync(file, JSON.stringify({ description: 'solver (src/flow) polars of held-out airfoils; scripts/make-operator-fixture.ts', points: out }, null, 1) + '\n');
console.log(`wrote ${out.length} points to ${file}`);
