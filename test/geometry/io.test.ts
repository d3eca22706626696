import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { FoiloptError } from '../../src/errors';
import { findSelfIntersection, segmentsCrossProperly } from '../../src/geometry/intersect';
import { formatSelig, parseAirfoilDat, readAirfoilFile, writeSeligFile } from '../../src/geometry/io';
import type { Airfoil } from '../../src/geometry/types';
import { FIXTURES_DIR, UIUC_DIR, hasShared } from '../helpers/paths';

const DAT = path.join(FIXTURES_DIR, 'dat');
const fixture = (name: string): string => path.join(DAT, name);
const fixtureText = (name: string): string => fs.readFileSync(fixture(name), 'utf8');

/** The reference test airfoil: 9 stations per side, sharp TE, 17 nodes (fixtures/dat/selig.dat). */
const REF = readAirfoilFile(fixture('selig.dat'));
/** selig.dat's coordinate lines, "x y" */
const REF_LINES = fixtureText('selig.dat').trim().split('\n').slice(1);

function maxDiff(a: Airfoil, b: Airfoil): number {
  expect(a.x.length).toBe(b.x.length);
  let d = 0;
  for (let k = 0; k < a.x.length; k++) d = Math.max(d, Math.abs(a.x[k] - b.x[k]), Math.abs(a.y[k] - b.y[k]));
  return d;
}

/** Twice the signed area (shoelace); > 0 for the counterclockwise (Selig) order. */
function signedArea2(a: Airfoil): number {
  let s = 0;
  const n = a.x.length;
  for (let k = 0; k < n; k++) s += a.x[k] * a.y[(k + 1) % n] - a.x[(k + 1) % n] * a.y[k];
  return s;
}

function catchFoilopt(fn: () => unknown): FoiloptError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(FoiloptError);
    return e as FoiloptError;
  }
  throw new Error('expected a FoiloptError, nothing was thrown');
}

/** Asserts a FoiloptError at file:line whose one-line message starts with "file:line: " and matches reason. */
function expectDatError(fn: () => unknown, file: string, line: number, reason: RegExp): FoiloptError {
  const e = catchFoilopt(fn);
  expect({ file: e.file, line: e.line }).toEqual({ file, line });
  const msg = e.oneLine();
  expect(msg.startsWith(`${file}:${line}: `)).toBe(true);
  expect(msg).toMatch(reason);
  expect(msg).not.toMatch(/\n/);
  return e;
}

describe('parseAirfoilDat: format variants', () => {
  test('Selig reference file: name line, node order upper TE -> LE -> lower TE', () => {
    expect(REF.name).toBe('TEST FOIL 9');
    expect(REF.x.length).toBe(17);
    expect([REF.x[0], REF.y[0]]).toEqual([1, -0]);
    expect([REF.x[8], REF.y[8]]).toEqual([0, 0]);
    expect([REF.x[16], REF.y[16]]).toEqual([1, 0]);
    // coordinates as given: line 3 is "0.96194 0.00833"
    expect(REF.x[1]).toBe(0.96194);
    expect(REF.y[1]).toBe(0.00833);
    expect(signedArea2(REF)).toBeGreaterThan(0);
    expect(REF.source).toBe(fixture('selig.dat'));
  });

  test('BOM, CRLF, tabs, trailing blanks, comment lines and blank lines give the same airfoil', () => {
    const a = readAirfoilFile(fixture('selig_crlf_bom.dat'));
    expect(a.name).toBe('TEST FOIL 9');
    expect(maxDiff(a, REF)).toBe(0);
    // old-Mac CR-only line ends and "!" comments
    const cr = ['TEST FOIL 9', '! comment', ...REF_LINES].join('\r');
    expect(maxDiff(parseAirfoilDat(cr, 'cr.dat'), REF)).toBe(0);
    // commas as separators
    const commas = ['TEST FOIL 9', ...REF_LINES.map((l) => l.replace(' ', ', '))].join('\n');
    expect(maxDiff(parseAirfoilDat(commas, 'c.dat'), REF)).toBe(0);
  });

  test('encodings: UTF-16LE with BOM, Latin-1 name bytes, Ctrl-Z end-of-file marker', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'foilopt-enc-'));
    try {
      const body = ['Göttingen 9', ...REF_LINES].join('\r\n');
      const u16 = path.join(dir, 'u16.dat');
      fs.writeFileSync(u16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(body, 'utf16le')]));
      const a = readAirfoilFile(u16);
      expect(a.name).toBe('Göttingen 9');
      expect(maxDiff(a, REF)).toBe(0);
      const l1 = path.join(dir, 'latin1.dat');
      fs.writeFileSync(l1, Buffer.from(body, 'latin1'));
      expect(readAirfoilFile(l1).name).toBe('Göttingen 9');
      const z = path.join(dir, 'ctrlz.dat');
      fs.writeFileSync(z, `${body}\r\n\u001a`);
      expect(maxDiff(readAirfoilFile(z), REF)).toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('no name line: the name comes from the file name; a point-count first line is not a name', () => {
    const a = parseAirfoilDat(REF_LINES.join('\n'), 'some/dir/myfoil.dat');
    expect(a.name).toBe('myfoil');
    expect(maxDiff(a, REF)).toBe(0);
    const counted = parseAirfoilDat(['17', ...REF_LINES].join('\n'), 'counted.dat');
    expect(counted.name).toBe('counted');
    expect(maxDiff(counted, REF)).toBe(0);
    expect(parseAirfoilDat(REF_LINES.join('\n')).name).toBe('unnamed');
    // name line, then a count line
    const nameCount = parseAirfoilDat(['TEST FOIL 9', '17', ...REF_LINES].join('\n'), 'nc.dat');
    expect(nameCount.name).toBe('TEST FOIL 9');
    expect(maxDiff(nameCount, REF)).toBe(0);
    const wrong = ['TEST FOIL 9', '18', ...REF_LINES].join('\n');
    expectDatError(() => parseAirfoilDat(wrong, 'nc.dat'), 'nc.dat', 2, /count line says 18 points, but 17/);
  });

  test('odd header lines: names with numbers, a lone number as name, up to 3 header lines', () => {
    const withNumbers = parseAirfoilDat(
      ['NACA 2412 12% 1.0 0.0 (smoothed)', ...REF_LINES].join('\n'),
      'h.dat',
    );
    expect(withNumbers.name).toBe('NACA 2412 12% 1.0 0.0 (smoothed)');
    expect(maxDiff(withNumbers, REF)).toBe(0);
    const lone = parseAirfoilDat(['4412', ...REF_LINES].join('\n'), 'h.dat');
    expect(lone.name).toBe('4412');
    const three = parseAirfoilDat(['MY FOIL', 'designed 1987', 'x/c y/c', ...REF_LINES].join('\n'), 'h.dat');
    expect(three.name).toBe('MY FOIL');
    expect(maxDiff(three, REF)).toBe(0);
  });

  test('Lednicer with count line "9. 9." and blank lines gives the Selig airfoil (LE point merged)', () => {
    const a = readAirfoilFile(fixture('lednicer.dat'));
    expect(a.name).toBe('TEST FOIL 9');
    expect(maxDiff(a, REF)).toBe(0);
    // without blank lines, and with integer counts
    const text = fixtureText('lednicer.dat').replace(/\n\n/g, '\n').replace('9.       9.', '9 9');
    expect(maxDiff(parseAirfoilDat(text, 'l.dat'), REF)).toBe(0);
  });

  test('Lednicer without a count line: two blank-line blocks that both start at the LE', () => {
    const text = fixtureText('lednicer.dat').replace('9.       9.\n', '');
    expect(maxDiff(parseAirfoilDat(text, 'l.dat'), REF)).toBe(0);
  });

  test('Lednicer counts that do not match the data: error at the count line', () => {
    const text = fixtureText('lednicer.dat').replace('9.       9.', '61. 61.').replace(/\n\n/g, '\n');
    expectDatError(
      () => parseAirfoilDat(text, 'led.dat'),
      'led.dat',
      2,
      /count line says 61 upper \+ 61 lower/,
    );
  });

  test('clockwise file (lower surface first) is reversed to the Selig order', () => {
    const a = readAirfoilFile(fixture('clockwise_noname.dat'));
    expect(a.name).toBe('clockwise_noname');
    expect(maxDiff(a, REF)).toBe(0);
    expect(signedArea2(a)).toBeGreaterThan(0);
  });

  test('Fortran D exponents; duplicated LE and TE points are dropped', () => {
    const a = readAirfoilFile(fixture('fortran_d_dups.dat'));
    // 18 coordinate lines + 1 repeated TE, two of them duplicates
    expect(fixtureText('fortran_d_dups.dat').trim().split('\n').length - 1).toBe(19);
    expect(a.x.length).toBe(17);
    expect(maxDiff(a, REF)).toBeLessThan(6e-6); // %.5E vs %.5f rounding of the same values
    for (let k = 1; k < a.x.length; k++) {
      expect(a.x[k] !== a.x[k - 1] || a.y[k] !== a.y[k - 1]).toBe(true);
    }
    expect(
      parseAirfoilDat(['N', ...REF_LINES.map((l) => l.replace(/^1.00000/, '1.0d0'))].join('\n')).x[0],
    ).toBe(1);
  });

  test('sharp TE point listed once (lower surface one station short, > 10% gap): closed with a copy of it', () => {
    const a = readAirfoilFile(fixture('shared_te.dat'));
    const n = a.x.length;
    expect(n).toBe(27); // 26 coordinate lines + the repeated TE point
    expect([a.x[n - 1], a.y[n - 1]]).toEqual([a.x[0], a.y[0]]);
    expect(a.x[n - 2]).toBe(0.9);
  });

  test('a small gap is kept as a blunt TE, exactly as in the file', () => {
    // drop the lower TE point of the reference: the last node becomes (0.96194, -0.00247)
    const text = ['T', ...REF_LINES.slice(0, -1)].join('\n');
    const a = parseAirfoilDat(text, 'b.dat');
    expect(a.x.length).toBe(16);
    expect([a.x[15], a.y[15]]).toEqual([0.96194, -0.00247]);
  });
});

describe('parseAirfoilDat: malformed input -> FoiloptError with file, line, reason', () => {
  test('non-numeric value (token quoted)', () => {
    const f = fixture('nonnumeric.dat');
    expectDatError(() => readAirfoilFile(f), f, 7, /non-numeric value "abc"/);
    // more than 3 header lines
    const text = ['A', 'B', 'C', 'D words', ...REF_LINES].join('\n');
    expectDatError(() => parseAirfoilDat(text, 'h.dat'), 'h.dat', 4, /non-numeric value "D"/);
  });

  test('wrong number of columns', () => {
    const f = fixture('columns.dat');
    expectDatError(() => readAirfoilFile(f), f, 5, /wrong number of columns: expected 2 \("x y"\), found 3/);
    const one = ['T', ...REF_LINES.slice(0, 5), '0.5', ...REF_LINES.slice(5)].join('\n');
    expectDatError(() => parseAirfoilDat(one, 'one.dat'), 'one.dat', 7, /wrong number of columns.*found 1/);
  });

  test('NaN / Infinity / overflowing values', () => {
    const f = fixture('nan.dat');
    expectDatError(() => readAirfoilFile(f), f, 12, /not a finite number: "NaN"/);
    for (const tok of ['Infinity', '-inf', 'INF']) {
      const t = ['T', ...REF_LINES.slice(0, 3), `${tok} 0.1`, ...REF_LINES.slice(3)].join('\n');
      expectDatError(
        () => parseAirfoilDat(t, 'i.dat'),
        'i.dat',
        5,
        new RegExp(`not a finite number: "${tok}"`),
      );
    }
    const big = ['T', ...REF_LINES.slice(0, 3), '0.5 1e999', ...REF_LINES.slice(3)].join('\n');
    expectDatError(
      () => parseAirfoilDat(big, 'o.dat'),
      'o.dat',
      5,
      /not a finite number: "1e999" \(overflows\)/,
    );
  });

  test('huge numbers', () => {
    const f = fixture('huge.dat');
    expectDatError(() => readAirfoilFile(f), f, 14, /value too large: "3.5e7" \(\|value\| > 1e6\)/);
    // the limit is |value| <= 1e6: the reference scaled to a chord of 1e6 loads, 1000001 does not
    const scaled = REF_LINES.map((l) =>
      l
        .split(' ')
        .map((v) => `${Number(v) * 1e6}`)
        .join(' '),
    );
    const a = parseAirfoilDat(['T', ...scaled].join('\n'), 'x.dat');
    expect(a.x[0]).toBe(1e6);
    scaled[0] = '1000001 0';
    expectDatError(
      () => parseAirfoilDat(['T', ...scaled].join('\n'), 'x.dat'),
      'x.dat',
      2,
      /value too large: "1000001"/,
    );
  });

  test('too few points (total, and per side)', () => {
    const f = fixture('toofew.dat');
    expectDatError(
      () => readAirfoilFile(f),
      f,
      6,
      /too few points: 5 distinct points \(need at least 10, 5 per side\)/,
    );
    // 10 points but only 3 on the upper side (LE at line 4)
    const pts = [
      '1 0',
      '0.5 0.08',
      '0 0',
      '0.05 -0.03',
      '0.1 -0.04',
      '0.2 -0.05',
      '0.4 -0.05',
      '0.6 -0.04',
      '0.8 -0.02',
      '1 0',
    ];
    expectDatError(
      () => parseAirfoilDat(['T', ...pts].join('\n'), 's.dat'),
      's.dat',
      4,
      /too few points on the upper surface: 3/,
    );
    // a name line and nothing else
    expectDatError(
      () => parseAirfoilDat('JUST A NAME\n', 'n.dat'),
      'n.dat',
      2,
      /too few points: no coordinate lines/,
    );
  });

  test('not a closed contour: one surface only', () => {
    const f = fixture('open_upper_only.dat');
    expectDatError(
      () => readAirfoilFile(f),
      f,
      15,
      /not a closed contour: .*line 2.*line 15.*100\.0% of the chord apart/,
    );
  });

  test('points that do not go around a leading edge (contour starting at the LE)', () => {
    // start at the LE (line 10 of selig.dat), go over the lower surface to the TE and back over the upper
    const loop = [...REF_LINES.slice(8), ...REF_LINES.slice(1, 9)];
    const e = expectDatError(
      () => parseAirfoilDat(['T', ...loop].join('\n'), 'le.dat'),
      'le.dat',
      10,
      /do not go around a leading edge/,
    );
    expect(e.message).toMatch(/line 10/);
  });

  test('self-intersecting contour: names the crossing segments and their lines', () => {
    const f = fixture('crossing.dat');
    expectDatError(
      () => readAirfoilFile(f),
      f,
      3,
      /self-intersecting contour: the segment between lines 3 and 4 crosses the segment between lines 16 and 17 at \(0\.938/,
    );
  });

  test('binary content', () => {
    const f = fixture('binary.dat');
    expectDatError(() => readAirfoilFile(f), f, 3, /binary content/);
    expectDatError(
      () => parseAirfoilDat('T\n1 0\n\u0000\n', 'b.dat'),
      'b.dat',
      3,
      /binary content \(NUL byte\)/,
    );
    const junk = 'T\n' + '\u0001\u0002\u0003\u0004\u0005x'.repeat(50);
    expectDatError(() => parseAirfoilDat(junk, 'j.dat'), 'j.dat', 2, /binary content \(\d+% non-printable/);
  });

  test('empty file', () => {
    const f = fixture('empty.dat');
    expectDatError(() => readAirfoilFile(f), f, 1, /empty file/);
    expectDatError(() => parseAirfoilDat(' \r\n\n\t\n', 'e.dat'), 'e.dat', 1, /empty file/);
    expectDatError(() => parseAirfoilDat('\ufeff', 'e.dat'), 'e.dat', 1, /empty file/);
  });

  test('file not found / directory', () => {
    const missing = path.join(DAT, 'does-not-exist.dat');
    const e = catchFoilopt(() => readAirfoilFile(missing));
    expect(e.file).toBe(missing);
    expect(e.oneLine()).toBe(`${missing}: file not found`);
    const d = catchFoilopt(() => readAirfoilFile(DAT));
    expect(d.oneLine()).toMatch(/is a directory/);
  });

  test('an unexpected internal exception becomes a FoiloptError for that file', () => {
    const e = catchFoilopt(() => parseAirfoilDat({} as unknown as string, 'weird.dat'));
    expect(e.file).toBe('weird.dat');
    expect(e.line).toBe(1);
    expect(e.message).toMatch(/internal error/);
  });
});

describe('formatSelig / writeSeligFile', () => {
  test('round trip formatSelig -> parseAirfoilDat reproduces the coordinates to 1e-8', () => {
    // a smooth foil with full-precision coordinates and a blunt TE
    const n = 81;
    const x = new Float64Array(n);
    const y = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      const th = (2 * Math.PI * k) / (n - 1);
      x[k] = 0.5 + 0.5 * Math.cos(th) + 1e-7 * Math.sin(7 * k);
      y[k] = 0.06 * Math.sin(th) + 0.02 * Math.sin(th / 2) ** 2 + 0.001 * (k === n - 1 ? -1 : 0) + 1e-9 * k;
    }
    const a: Airfoil = { name: 'round trip 1', x, y };
    const text = formatSelig(a);
    const b = parseAirfoilDat(text, 'rt.dat');
    expect(b.name).toBe('round trip 1');
    expect(maxDiff(a, b)).toBeLessThanOrEqual(5.000001e-9);
    // decimals: 5 -> 5e-6
    expect(maxDiff(a, parseAirfoilDat(formatSelig(a, 5), 'rt.dat'))).toBeLessThanOrEqual(5.000001e-6);
    // the UIUC-style file through format and back is exact (8 decimals > its 5)
    expect(maxDiff(REF, parseAirfoilDat(formatSelig(REF), 'rt.dat'))).toBe(0);
  });

  test('format: name line then one "x y" pair per line; a numeric-looking name is made a text line', () => {
    const lines = formatSelig(REF).split('\n');
    expect(lines[0]).toBe('TEST FOIL 9');
    expect(lines[1]).toBe(' 1.00000000  0.00000000'); // -0 prints as 0
    expect(lines[16]).toBe(' 0.96194000 -0.00247000');
    expect(lines[9]).toBe(' 0.00000000  0.00000000');
    expect(lines.length).toBe(17 + 2); // name + nodes + final newline
    const numeric = formatSelig({ ...REF, name: '1 2' });
    expect(numeric.split('\n')[0]).toBe('airfoil 1 2');
    expect(parseAirfoilDat(numeric).x.length).toBe(17);
  });

  test('writeSeligFile writes atomically (no temp file left) and overwrites', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'foilopt-io-'));
    try {
      const f = path.join(dir, 'out.dat');
      fs.writeFileSync(f, 'old content');
      writeSeligFile(f, REF);
      expect(fs.readFileSync(f, 'utf8')).toBe(formatSelig(REF));
      expect(fs.readdirSync(dir)).toEqual(['out.dat']);
      expect(maxDiff(readAirfoilFile(f), REF)).toBe(0);
      const bad = path.join(dir, 'no-such-dir', 'x.dat');
      const e = catchFoilopt(() => writeSeligFile(bad, REF));
      expect(e.file).toBe(bad);
      expect(fs.readdirSync(dir)).toEqual(['out.dat']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('findSelfIntersection', () => {
  /** Reference: every pair, in (i, j) order. */
  function bruteForce(x: Float64Array, y: Float64Array, closed: boolean): { i: number; j: number } | null {
    const nSeg = x.length - 1;
    for (let i = 0; i < nSeg; i++) {
      for (let j = i + 2; j < nSeg; j++) {
        if (closed && i === 0 && j === nSeg - 1) continue;
        if (segmentsCrossProperly(x[i], y[i], x[i + 1], y[i + 1], x[j], y[j], x[j + 1], y[j + 1]))
          return { i, j };
      }
    }
    return null;
  }

  test('matches the all-pairs reference on random polylines (first pair by i, then j)', () => {
    let seed = 12345;
    const rand = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    let found = 0;
    for (let trial = 0; trial < 400; trial++) {
      const n = 4 + Math.floor(rand() * 30);
      const x = new Float64Array(n);
      const y = new Float64Array(n);
      // a noisy circle: some cross, some do not
      const noise = rand() * 0.8;
      for (let k = 0; k < n; k++) {
        const th = (2 * Math.PI * k) / n;
        x[k] = Math.cos(th) + noise * (rand() - 0.5);
        y[k] = Math.sin(th) + noise * (rand() - 0.5);
      }
      const expected = bruteForce(x, y, false);
      if (expected) found++;
      expect(findSelfIntersection(x, y)).toEqual(expected);
    }
    expect(found).toBeGreaterThan(50);
    expect(found).toBeLessThan(350);
  });

  test('figure eight crosses; touching, shared end points and collinear overlap do not', () => {
    // figure eight: (0,0)->(1,1)->(1,0)->(0,1): segments 0 and 2 cross at (0.5, 0.5)
    expect(findSelfIntersection([0, 1, 1, 0], [0, 1, 0, 1])).toEqual({ i: 0, j: 2 });
    // a vertex touching another segment (T junction): not a proper crossing
    expect(findSelfIntersection([0, 2, 2, 1, 1], [0, 0, 1, 1, 0])).toBeNull();
    // collinear overlap
    expect(findSelfIntersection([0, 2, 2, 1, 3], [0, 0, 1, 0, 0])).toBeNull();
    // closed square (first node == last node): first and last segment share the closing point
    expect(findSelfIntersection([1, 0, 0, 1, 1], [1, 1, 0, 0, 1])).toBeNull();
  });

  test('closing point of a sharp TE: ends within 1e-4 of the size count as coinciding', () => {
    // the last segment runs just past the first node (like UIUC sd7003.dat: (1, 0) ... (1.00001, 0))
    const x = [1, 0.99681, 0.5, 0, 0.5, 0.99679, 1.00001];
    const y = [0, 0.00031, 0.06, 0, -0.04, 0.00011, 0];
    expect(findSelfIntersection(x, y, 0)).toEqual({ i: 0, j: 5 });
    expect(findSelfIntersection(x, y)).toBeNull();
    // ends 2e-4 apart (relative to the size 1.00001) are a real blunt TE: the crossing counts
    x[6] = 1.0002;
    expect(findSelfIntersection(x, y)).toEqual({ i: 0, j: 5 });
  });

  test('fast: 400-node contour with 20,000 repetitions in well under a second', () => {
    const n = 400;
    const x = new Float64Array(n);
    const y = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      const th = (2 * Math.PI * k) / (n - 1);
      x[k] = 0.5 + 0.5 * Math.cos(th);
      y[k] = 0.06 * Math.sin(th);
    }
    const t0 = Date.now();
    for (let r = 0; r < 2000; r++) expect(findSelfIntersection(x, y)).toBeNull();
    expect(Date.now() - t0).toBeLessThan(3000);
  });
});

(hasShared ? describe : describe.skip)('all 1,617 UIUC files', () => {
  test('at least 99% load; every failure is a FoiloptError with file and line', () => {
    const files = fs
      .readdirSync(UIUC_DIR)
      .filter((f) => f.endsWith('.dat'))
      .sort();
    expect(files.length).toBe(1617);
    const t0 = Date.now();
    let ok = 0;
    const failures: string[] = [];
    for (const f of files) {
      const file = path.join(UIUC_DIR, f);
      try {
        const a = readAirfoilFile(file);
        ok++;
        // Selig order, counterclockwise, no consecutive duplicates, ends at the rear
        expect(signedArea2(a)).toBeGreaterThan(0);
        for (let k = 1; k < a.x.length; k++) {
          if (a.x[k] === a.x[k - 1] && a.y[k] === a.y[k - 1]) throw new Error(`${f}: duplicate node ${k}`);
        }
        expect(a.x.length).toBeGreaterThanOrEqual(10);
      } catch (e) {
        if (!(e instanceof FoiloptError)) throw e;
        expect(e.file).toBe(file);
        const nLines = fs.readFileSync(file, 'latin1').split(/\r\n|\r|\n/).length;
        expect(e.line).toBeGreaterThanOrEqual(1);
        expect(e.line).toBeLessThanOrEqual(nLines);
        failures.push(e.oneLine());
      }
    }
    const ms = Date.now() - t0;
    console.log(
      `UIUC: ${ok}/${files.length} load (${((100 * ok) / files.length).toFixed(2)}%) in ${ms} ms; failures:\n${failures.join('\n')}`,
    );
    expect(ok / files.length).toBeGreaterThanOrEqual(0.99);
    expect(ms).toBeLessThan(15000);
  });

  test('known quirks: sharp TE past the first node, TE listed once, stray point after blank lines', () => {
    // sd7003: last node (1.00001, -0) just past the first (1, 0)
    const sd = readAirfoilFile(path.join(UIUC_DIR, 'sd7003.dat'));
    expect(sd.x[sd.x.length - 1]).toBe(1.00001);
    // goe101: lower surface ends at x = 0.9, the TE (1, 0) is written once at the top
    const goe = readAirfoilFile(path.join(UIUC_DIR, 'goe101.dat'));
    const n = goe.x.length;
    expect([goe.x[n - 1], goe.y[n - 1], goe.x[n - 2]]).toEqual([1, 0, 0.9]);
    // cap21c: one more point after two blank lines is kept, like XFOIL keeps it
    const cap = readAirfoilFile(path.join(UIUC_DIR, 'cap21c.dat'));
    expect(cap.x[cap.x.length - 1]).toBe(0.9989);
    // n0012 (the shipped naca0012): 131 lines, blunt TE (1, +-0.00126) kept as given
    const n12 = readAirfoilFile(path.join(UIUC_DIR, 'n0012.dat'));
    expect(n12.x.length).toBe(131);
    expect([n12.y[0], n12.y[130]]).toEqual([0.00126, -0.00126]);
  });
});
