/**
 * Builds airfoils/index.json: one entry per shipped airfoil with its citation, name line and
 * thickness/camber measures.
 *
 *   npx tsx scripts/build-airfoil-index.ts                    # re-index the files in airfoils/
 *   npx tsx scripts/build-airfoil-index.ts --from <uiuc-dir>  # first (re)copy them from a UIUC folder
 *
 * SHIPPED below is the list of shipped airfoils and the UIUC Airfoil Coordinates Database file each
 * one is a verbatim copy of. Left out on purpose: goe398.dat and naca64a010.dat list the sharp
 * trailing-edge point only once and stop the lower surface at x = 0.95, which reads (like XFOIL
 * reads it) as a 5%-chord blunt trailing edge.
 */
import * as fs from 'fs';
import * as path from 'path';
import { readAirfoilFile } from '../src/geometry/io';
import { measureAirfoil } from '../src/geometry/measure';
import type { AirfoilIndexEntry } from '../src/geometry/lookup';

/** Shipped name -> original UIUC file name. */
const SHIPPED: ReadonlyArray<{ name: string; uiuc: string }> = [
  { name: 'naca0012', uiuc: 'n0012.dat' },
  { name: 'naca0015', uiuc: 'naca0015.dat' },
  { name: 'naca0018', uiuc: 'naca0018.dat' },
  { name: 'naca2412', uiuc: 'naca2412.dat' },
  { name: 'naca4412', uiuc: 'naca4412.dat' },
  { name: 'naca23012', uiuc: 'naca23012.dat' },
  { name: 'naca64a410', uiuc: 'naca64a410.dat' },
  { name: 'naca633418', uiuc: 'naca633418.dat' },
  { name: 'e205', uiuc: 'e205.dat' },
  { name: 'e374', uiuc: 'e374.dat' },
  { name: 'e387', uiuc: 'e387.dat' },
  { name: 'e423', uiuc: 'e423.dat' },
  { name: 'sd7003', uiuc: 'sd7003.dat' },
  { name: 'sd7037', uiuc: 'sd7037.dat' },
  { name: 'sd7062', uiuc: 'sd7062.dat' },
  { name: 's1210', uiuc: 's1210.dat' },
  { name: 's1223', uiuc: 's1223.dat' },
  { name: 'clarky', uiuc: 'clarky.dat' },
  { name: 'dae11', uiuc: 'dae11.dat' },
  { name: 'rae2822', uiuc: 'rae2822.dat' },
  { name: 'sc20714', uiuc: 'sc20714.dat' },
  { name: 'ls417', uiuc: 'ls417.dat' },
  { name: 'nlf416', uiuc: 'nlf416.dat' },
  { name: 'ag25', uiuc: 'ag25.dat' },
  { name: 'ag35', uiuc: 'ag35.dat' },
  { name: 'fx63137', uiuc: 'fx63137.dat' },
  { name: 'mh32', uiuc: 'mh32.dat' },
  { name: 'mh45', uiuc: 'mh45.dat' },
  { name: 'mh60', uiuc: 'mh60.dat' },
  { name: 'rg15', uiuc: 'rg15.dat' },
];

/** Rounds to 6 significant decimals for a readable index. */
function round6(v: number): number {
  return Math.round(v * 1e6) / 1e6;
}

function main(): void {
  const root = path.resolve(__dirname, '..');
  const dir = path.join(root, 'airfoils');
  const args = process.argv.slice(2);
  const fromAt = args.indexOf('--from');
  if (fromAt >= 0) {
    const from = args[fromAt + 1];
    if (!from) throw new Error('--from needs a directory');
    for (const s of SHIPPED) fs.copyFileSync(path.join(from, s.uiuc), path.join(dir, `${s.name}.dat`));
    console.log(`copied ${SHIPPED.length} files from ${from}`);
  }

  const entries: AirfoilIndexEntry[] = [];
  for (const s of SHIPPED) {
    const file = `${s.name}.dat`;
    const a = readAirfoilFile(path.join(dir, file));
    const m = measureAirfoil(a);
    entries.push({
      name: s.name,
      file,
      source: `UIUC Airfoil Coordinates Database, ${s.uiuc}`,
      description: a.name,
      thicknessMax: round6(m.maxThickness),
      thicknessMaxX: round6(m.maxThicknessX),
      camberMax: round6(m.maxCamber),
      camberMaxX: round6(m.maxCamberX),
    });
  }
  entries.sort((p, q) => p.name.localeCompare(q.name));

  const listed = new Set(entries.map((e) => e.file));
  for (const f of fs.readdirSync(dir)) {
    if (f.toLowerCase().endsWith('.dat') && !listed.has(f))
      console.warn(`warning: airfoils/${f} is not in SHIPPED`);
  }

  const out = path.join(dir, 'index.json');
  const tmp = `${out}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(entries, null, 2)}\n`);
  fs.renameSync(tmp, out);
  console.log(`wrote ${path.relative(root, out)}: ${entries.length} airfoils`);
  for (const e of entries) {
    console.log(
      `${e.name.padEnd(11)} t/c ${(100 * e.thicknessMax).toFixed(2)}% at ${e.thicknessMaxX.toFixed(3)}, ` +
        `camber ${(100 * e.camberMax).toFixed(2)}% at ${e.camberMaxX.toFixed(3)}`,
    );
  }
}

main();
