/**
 * Resolving an airfoil given by the user: a coordinate file, a NACA code, or the name of one of the
 * airfoils shipped in the package's airfoils/ folder (listed in airfoils/index.json).
 */
import * as fs from 'fs';
import * as path from 'path';
import { z } from 'zod';
import { FoiloptError } from '../errors';
import type { Airfoil } from './types';
import { readAirfoilFile } from './io';
import { nacaAirfoil } from './param/naca';

/** One shipped airfoil, as listed in airfoils/index.json (written by scripts/build-airfoil-index.ts). */
export interface AirfoilIndexEntry {
  /** lookup name, lower case, e.g. "e387" */
  name: string;
  /** file name inside airfoils/, e.g. "e387.dat" */
  file: string;
  /** citation, e.g. "UIUC Airfoil Coordinates Database, e387.dat" */
  source: string;
  /** the file's name line */
  description: string;
  /** maximum thickness / chord */
  thicknessMax: number;
  /** chordwise position of the maximum thickness / chord */
  thicknessMaxX: number;
  /** maximum camber / chord */
  camberMax: number;
  /** chordwise position of the maximum camber / chord */
  camberMaxX: number;
}

const indexSchema = z.array(
  z.object({
    name: z.string().min(1),
    file: z.string().min(1),
    source: z.string(),
    description: z.string(),
    thicknessMax: z.number(),
    thicknessMaxX: z.number(),
    camberMax: z.number(),
    camberMaxX: z.number(),
  }),
);

/** "naca2412", "NACA 0012", "naca-23012": the NACA prefix followed by 4 or 5 digits. */
const NACA_SPEC = /^naca[\s_-]*\d{4,5}$/i;

let packageRootCache: string | undefined;

/**
 * The foilopt package root: the nearest directory at or above this module's directory holding a
 * package.json whose name is "foilopt" (works from src/ under tsx and from dist/).
 */
export function packageRoot(): string {
  if (packageRootCache) return packageRootCache;
  let dir = __dirname;
  for (;;) {
    const pj = path.join(dir, 'package.json');
    if (fs.existsSync(pj)) {
      try {
        if (JSON.parse(fs.readFileSync(pj, 'utf8')).name === 'foilopt') {
          packageRootCache = dir;
          return dir;
        }
      } catch {
        // not a readable package.json; keep walking up
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new FoiloptError(
    `cannot find the foilopt package root (a package.json named "foilopt") above ${__dirname}`,
  );
}

/** Absolute path of the shipped airfoils/ folder. */
export function shippedAirfoilsDir(): string {
  return path.join(packageRoot(), 'airfoils');
}

/** The shipped airfoils, from airfoils/index.json. */
export function listShippedAirfoils(): AirfoilIndexEntry[] {
  const file = path.join(shippedAirfoilsDir(), 'index.json');
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new FoiloptError(
      'cannot read the shipped airfoil index (run: npx tsx scripts/build-airfoil-index.ts)',
      {
        file,
      },
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new FoiloptError(`invalid JSON in the shipped airfoil index: ${(e as Error).message}`, { file });
  }
  const parsed = indexSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new FoiloptError(`invalid shipped airfoil index: ${issue.path.join('.')}: ${issue.message}`, {
      file,
    });
  }
  return parsed.data;
}

/** Edit distance (insertions, deletions, substitutions) between two strings. */
function editDistance(a: string, b: string): number {
  let prev = new Int32Array(b.length + 1);
  let cur = new Int32Array(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const sub = prev[j - 1] + (a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1);
      cur[j] = Math.min(sub, prev[j] + 1, cur[j - 1] + 1);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[b.length];
}

/** Up to `max` shipped names closest to `spec` (edit distance, or one containing the other). */
function closeMatches(spec: string, names: string[], max = 5): string[] {
  const s = spec.toLowerCase();
  const scored = names
    .map((name) => {
      const n = name.toLowerCase();
      const contains = n.includes(s) || s.includes(n);
      return { name, d: contains ? 0.5 : editDistance(s, n) };
    })
    .filter((m) => m.d <= Math.max(2, Math.floor(s.length / 3)))
    .sort((a, b) => a.d - b.d || a.name.localeCompare(b.name));
  return scored.slice(0, max).map((m) => m.name);
}

/** The shipped entry named `spec` (case-insensitive; a trailing ".dat" is allowed), if any. */
function findShipped(spec: string, entries: AirfoilIndexEntry[]): AirfoilIndexEntry | undefined {
  const s = spec.toLowerCase().replace(/\.dat$/, '');
  return entries.find((e) => e.name.toLowerCase() === s || e.file.toLowerCase().replace(/\.dat$/, '') === s);
}

/** Loads a shipped airfoil; its source is the index's citation. */
function loadShipped(entry: AirfoilIndexEntry): Airfoil {
  const a = readAirfoilFile(path.join(shippedAirfoilsDir(), entry.file));
  a.source = entry.source;
  return a;
}

/**
 * Resolves an airfoil specification:
 * 1. a path to a coordinate file (an existing file, or anything ending in .dat or containing a
 *    path separator) -> readAirfoilFile; "airfoils/<file>" that does not exist relative to the
 *    working directory is looked up in the shipped airfoils/ folder;
 * 2. a NACA code, "naca" + 4 or 5 digits (case-insensitive, optional space/dash) -> nacaAirfoil
 *    (so "naca0012" is the formula airfoil, not the shipped UIUC file: "airfoils/naca0012.dat"
 *    loads that one);
 * 3. the name of a shipped airfoil (case-insensitive), e.g. "e387", "clarky".
 * Anything else is a FoiloptError listing close matches among the shipped names.
 */
export function loadAirfoil(spec: string): Airfoil {
  const s = spec.trim();
  if (s === '') {
    throw new FoiloptError(
      'no airfoil given: expected a .dat file, a NACA code (e.g. naca2412) or a shipped airfoil name (e.g. e387)',
    );
  }
  let isFile = false;
  try {
    isFile = fs.statSync(s).isFile();
  } catch {
    isFile = false;
  }
  const looksLikePath = /\.dat$/i.test(s) || s.includes('/') || s.includes('\\');
  if (isFile) return readAirfoilFile(s);
  if (looksLikePath) {
    // "airfoils/naca0012.dat": a shipped file, from any working directory
    const shippedPath = /^airfoils[/\\]([^/\\]+)$/i.exec(s);
    if (shippedPath) {
      const file = path.join(shippedAirfoilsDir(), shippedPath[1]);
      if (fs.existsSync(file)) return readAirfoilFile(file);
    }
    if (!fs.existsSync(s) && !s.includes('/') && !s.includes('\\')) {
      const shipped = findShipped(s, listShippedAirfoils());
      if (shipped) {
        const spelled = NACA_SPEC.test(shipped.name) ? `airfoils/${shipped.file}` : shipped.name;
        throw new FoiloptError(`file not found (a shipped airfoil exists: give "${spelled}")`, { file: s });
      }
    }
    return readAirfoilFile(s);
  }
  if (NACA_SPEC.test(s)) return nacaAirfoil(s);

  const entries = listShippedAirfoils();
  const entry = findShipped(s, entries);
  if (entry) return loadShipped(entry);
  const close = closeMatches(
    s,
    entries.map((e) => e.name),
  );
  const hint = close.length > 0 ? `; close matches: ${close.join(', ')}` : '';
  throw new FoiloptError(
    `unknown airfoil "${s}": not a file, a NACA code (e.g. naca2412, naca23012) or a shipped airfoil name` +
      `${hint} (see airfoils/index.json for the ${entries.length} shipped airfoils)`,
  );
}
