import * as fs from 'fs';
import * as path from 'path';
import { FoiloptError } from '../../src/errors';
import { readAirfoilFile } from '../../src/geometry/io';
import { listShippedAirfoils, loadAirfoil, packageRoot, shippedAirfoilsDir } from '../../src/geometry/lookup';
import { measureAirfoil } from '../../src/geometry/measure';
import { nacaAirfoil } from '../../src/geometry/param/naca';
import type { Airfoil } from '../../src/geometry/types';
import { FIXTURES_DIR, REPO_ROOT, UIUC_DIR, hasShared } from '../helpers/paths';

function catchFoilopt(fn: () => unknown): FoiloptError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(FoiloptError);
    return e as FoiloptError;
  }
  throw new Error('expected a FoiloptError, nothing was thrown');
}

function sameCoordinates(a: Airfoil, b: Airfoil): void {
  expect(Array.from(a.x)).toEqual(Array.from(b.x));
  expect(Array.from(a.y)).toEqual(Array.from(b.y));
}

const REQUIRED = [
  'naca0012',
  'naca2412',
  'naca4412',
  'naca23012',
  'e387',
  'sd7037',
  's1223',
  'clarky',
  'dae11',
  'rae2822',
  'ag35',
];

describe('package root and shipped index', () => {
  test('package root is the folder of the foilopt package.json; airfoils/ is in it', () => {
    expect(packageRoot()).toBe(REPO_ROOT);
    expect(JSON.parse(fs.readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')).name).toBe(
      'foilopt',
    );
    expect(fs.existsSync(path.join(shippedAirfoilsDir(), 'index.json'))).toBe(true);
  });

  test('index lists the required airfoils, unique lower-case names, each file present with a UIUC citation', () => {
    const entries = listShippedAirfoils();
    const names = entries.map((e) => e.name);
    for (const r of REQUIRED) expect(names).toContain(r);
    expect(new Set(names).size).toBe(names.length);
    for (const e of entries) {
      expect(e.name).toBe(e.name.toLowerCase());
      expect(e.file).toBe(`${e.name}.dat`);
      expect(fs.existsSync(path.join(shippedAirfoilsDir(), e.file))).toBe(true);
      expect(e.source).toMatch(/^UIUC Airfoil Coordinates Database, \S+\.dat$/);
    }
    expect(entries.find((e) => e.name === 'naca0012')!.source).toBe(
      'UIUC Airfoil Coordinates Database, n0012.dat',
    );
    // every .dat file in airfoils/ is indexed
    const dats = fs.readdirSync(shippedAirfoilsDir()).filter((f) => f.endsWith('.dat'));
    expect(dats.sort()).toEqual(entries.map((e) => e.file).sort());
  });

  test('index measures are current (= measureAirfoil of the file, to the 6 stored decimals) and sane', () => {
    for (const e of listShippedAirfoils()) {
      const a = readAirfoilFile(path.join(shippedAirfoilsDir(), e.file));
      expect(e.description).toBe(a.name);
      const m = measureAirfoil(a);
      expect(Math.abs(e.thicknessMax - m.maxThickness)).toBeLessThanOrEqual(5.1e-7);
      expect(Math.abs(e.thicknessMaxX - m.maxThicknessX)).toBeLessThanOrEqual(5.1e-7);
      expect(Math.abs(e.camberMax - m.maxCamber)).toBeLessThanOrEqual(5.1e-7);
      expect(Math.abs(e.camberMaxX - m.maxCamberX)).toBeLessThanOrEqual(5.1e-7);
      expect(e.thicknessMax).toBeGreaterThan(0.05);
      expect(e.thicknessMax).toBeLessThan(0.2);
      expect(m.selfIntersecting).toBe(false);
      // no shared-TE artefact: the trailing-edge gap of every shipped file is under 1% chord
      expect(m.teThickness).toBeLessThan(0.01);
    }
    const byName = new Map(listShippedAirfoils().map((e) => [e.name, e]));
    // NACA 00xx: thickness xx% at 30% chord, no camber
    for (const [name, t] of [
      ['naca0012', 0.12],
      ['naca0015', 0.15],
      ['naca0018', 0.18],
    ] as const) {
      expect(byName.get(name)!.thicknessMax).toBeCloseTo(t, 3);
      expect(byName.get(name)!.thicknessMaxX).toBeCloseTo(0.3, 2);
      expect(Math.abs(byName.get(name)!.camberMax)).toBeLessThan(1e-4);
    }
    // NACA 4412: 4% camber near 40% chord, 12% thick (measured vertically in the chord frame)
    const n4412 = byName.get('naca4412')!;
    expect(n4412.thicknessMax).toBeCloseTo(0.12, 2);
    expect(n4412.camberMax).toBeGreaterThan(0.037);
    expect(n4412.camberMax).toBeLessThan(0.041);
    expect(n4412.camberMaxX).toBeGreaterThan(0.38);
    expect(n4412.camberMaxX).toBeLessThan(0.45);
  });

  (hasShared ? test : test.skip)('shipped files are byte-identical copies of their UIUC source files', () => {
    for (const e of listShippedAirfoils()) {
      const original = e.source.replace('UIUC Airfoil Coordinates Database, ', '');
      const shipped = fs.readFileSync(path.join(shippedAirfoilsDir(), e.file));
      expect(shipped.equals(fs.readFileSync(path.join(UIUC_DIR, original)))).toBe(true);
    }
  });
});

describe('loadAirfoil', () => {
  test('a path to a .dat file', () => {
    const f = path.join(FIXTURES_DIR, 'dat', 'selig.dat');
    const a = loadAirfoil(f);
    expect(a.name).toBe('TEST FOIL 9');
    sameCoordinates(a, readAirfoilFile(f));
    // relative path, surrounding blanks
    const rel = path.relative(process.cwd(), f);
    expect(loadAirfoil(`  ${rel} `).x.length).toBe(17);
  });

  test('a missing path is a FoiloptError naming the file; a shipped name with .dat gets a hint', () => {
    const e = catchFoilopt(() => loadAirfoil('no/such/file.dat'));
    expect(e.oneLine()).toBe('no/such/file.dat: file not found');
    const hint = catchFoilopt(() => loadAirfoil('E387.dat'));
    expect(hint.oneLine()).toMatch(/^E387\.dat: file not found \(a shipped airfoil exists: give "e387"\)/);
    const nacaHint = catchFoilopt(() => loadAirfoil('naca0012.dat'));
    expect(nacaHint.message).toMatch(/give "airfoils\/naca0012\.dat"/);
  });

  test('NACA codes: 4 and 5 digits, any case and spacing -> the NACA formula airfoil', () => {
    sameCoordinates(loadAirfoil('naca2412'), nacaAirfoil('2412'));
    sameCoordinates(loadAirfoil('NACA 0012'), nacaAirfoil('0012'));
    sameCoordinates(loadAirfoil('Naca-23012'), nacaAirfoil('23012'));
    const a = loadAirfoil('naca0012');
    expect(a.name).toBe('NACA 0012');
    expect(a.source).toMatch(/formula/);
    // the formula airfoil, not the shipped UIUC file (131 nodes): 0012 max thickness 12% at x = 0.3
    let maxT = 0;
    const n = a.x.length;
    for (let k = 0; k < (n - 1) / 2; k++) maxT = Math.max(maxT, a.y[k] - a.y[n - 1 - k]);
    expect(maxT).toBeCloseTo(0.12, 3);
    // an invalid 5-digit mean line is the NACA module's FoiloptError
    expect(catchFoilopt(() => loadAirfoil('naca27012')).message).toMatch(/invalid NACA code/);
  });

  test('shipped names, case-insensitive; "airfoils/<file>" finds a shipped file from any directory', () => {
    const e387 = loadAirfoil('E387');
    expect(e387.name).toBe('E387');
    expect(e387.source).toBe('UIUC Airfoil Coordinates Database, e387.dat');
    sameCoordinates(e387, readAirfoilFile(path.join(shippedAirfoilsDir(), 'e387.dat')));
    expect(loadAirfoil('clarky').name).toBe('CLARK Y AIRFOIL');
    const uiuc0012 = loadAirfoil('airfoils/naca0012.dat');
    expect(uiuc0012.x.length).toBe(131);
    expect(uiuc0012.name).toBe('NACA 0012 AIRFOILS');
    const cwd = process.cwd();
    try {
      process.chdir(FIXTURES_DIR);
      expect(loadAirfoil('airfoils/naca0012.dat').x.length).toBe(131);
      expect(loadAirfoil('s1223').name).toBe('S1223');
    } finally {
      process.chdir(cwd);
    }
  });

  test('unknown names list close matches', () => {
    const e = catchFoilopt(() => loadAirfoil('e38'));
    expect(e.message).toMatch(
      /^unknown airfoil "e38": not a file, a NACA code .* shipped airfoil name; close matches: .*e387/,
    );
    expect(catchFoilopt(() => loadAirfoil('clarkx')).message).toMatch(/close matches: clarky/);
    expect(catchFoilopt(() => loadAirfoil('naca241')).message).toMatch(/close matches: .*naca2412/);
    const none = catchFoilopt(() => loadAirfoil('zzzzzzzzzzzz'));
    expect(none.message).not.toMatch(/close matches/);
    expect(catchFoilopt(() => loadAirfoil('   ')).message).toMatch(/no airfoil given/);
  });
});
