/**
 * Airfoil coordinate files: reading Selig and Lednicer .dat files, writing Selig files.
 *
 * Selig format: a name line, then one "x y" pair per line from the upper-surface trailing edge over
 * the leading edge to the lower-surface trailing edge. Lednicer format: a name line, a count line
 * "NU. NL.", then the upper surface from leading to trailing edge, then the lower surface from
 * leading to trailing edge (blocks usually separated by blank lines). The format is detected from
 * the data; the result is always in Selig/XFOIL node order (see types.ts), coordinates as given.
 *
 * Accepted besides: BOM, CR/LF/CRLF line ends, tabs/commas as separators, blank lines, comment lines
 * (# or !), up to 3 text header lines (the first is the name; without one the name comes from the
 * file name), a point-count line, Fortran D exponents, a clockwise contour (reversed), consecutive
 * duplicate points (dropped), and the sharp trailing-edge point written only once (see
 * closeSharedTrailingEdge).
 *
 * Every problem with a file is reported as a FoiloptError carrying the file and the 1-based line.
 */
import * as fs from 'fs';
import * as path from 'path';
import { randomBytes } from 'crypto';
import { FoiloptError } from '../errors';
import type { Airfoil } from './types';
import { findSelfIntersection } from './intersect';

/** Largest accepted |coordinate|; anything bigger is treated as a corrupt value. */
export const MAX_ABS_COORDINATE = 1e6;
/** Fewest nodes accepted on each surface (leading-edge node counted on both). */
export const MIN_POINTS_PER_SIDE = 5;
/** Fewest nodes accepted in total. */
export const MIN_POINTS = 10;
/** Largest accepted distance between the first and last node, as a fraction of the chord. */
export const MAX_END_GAP_CHORDS = 0.1;
/** Largest turn from the open surface's last segment into an added shared-TE closing segment. */
const MAX_SHARED_TE_TURN_DEG = 20;
/** At most this many text lines may precede the coordinates (the first one is the name). */
const MAX_HEADER_LINES = 3;
/** Fraction of non-printable characters above which the input is treated as binary. */
const MAX_NONPRINTABLE_FRACTION = 0.1;

/** Decimal number, optionally with an E or Fortran D exponent. */
const NUMBER_TOKEN = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eEdD][+-]?\d+)?$/;
/** Spellings of non-finite values that some programs write. */
const NONFINITE_TOKEN = /^[+-]?(?:nan|inf|infinity)$/i;
/** Token separators on a data line: white space, commas, semicolons. */
const SEPARATORS = /[\s,;]+/;

/** One coordinate line of the file. */
interface DataRow {
  /** 1-based line number */
  line: number;
  x: number;
  y: number;
  /** index of the blank-line-separated block the row belongs to */
  block: number;
}

/** Where the parser is, so that an unexpected internal failure can still name a line. */
interface ParseContext {
  file: string;
  line: number;
}

function fail(ctx: ParseContext, line: number, reason: string): never {
  throw new FoiloptError(reason, { file: ctx.file, line });
}

/** `"token"`, with control characters escaped and very long tokens shortened. */
function quote(token: string): string {
  const t = token.length > 40 ? `${token.slice(0, 37)}...` : token;
  return JSON.stringify(t);
}

/** Default airfoil name from a file path: base name without extension. */
function nameFromFile(file: string): string {
  if (file === '<input>') return 'unnamed';
  const base = path.basename(file);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(0, dot) : base;
}

/** 1-based line number of character offset `pos` in `text` (any line-end convention). */
function lineOfOffset(text: string, pos: number): number {
  let line = 1;
  for (let k = 0; k < pos; k++) {
    const c = text.charCodeAt(k);
    if (c === 10) line++;
    else if (c === 13 && text.charCodeAt(k + 1) !== 10) line++;
  }
  return line;
}

/** Rejects binary input: any NUL, or more than 10% non-printable characters. */
function checkNotBinary(text: string, ctx: ParseContext): void {
  const nul = text.indexOf('\0');
  if (nul >= 0) fail(ctx, lineOfOffset(text, nul), 'binary content (NUL byte): not a text coordinate file');
  let bad = 0;
  let firstBad = -1;
  for (let k = 0; k < text.length; k++) {
    const c = text.charCodeAt(k);
    const control = c < 32 && c !== 9 && c !== 10 && c !== 11 && c !== 12 && c !== 13;
    if (control || (c >= 0x7f && c <= 0x9f) || c === 0xfffd) {
      bad++;
      if (firstBad < 0) firstBad = k;
    }
  }
  if (bad > MAX_NONPRINTABLE_FRACTION * text.length) {
    const pct = ((100 * bad) / text.length).toFixed(0);
    fail(
      ctx,
      lineOfOffset(text, firstBad),
      `binary content (${pct}% non-printable characters): not a text coordinate file`,
    );
  }
}

/** Converts one numeric token (E or D exponent) to a number. */
function tokenValue(token: string): number {
  return Number(token.replace(/[dD]/, 'e'));
}

/**
 * Parses the text of an airfoil coordinate file (Selig or Lednicer, auto-detected) into an Airfoil
 * in Selig node order. `file` is used in error messages, as the source, and for the name when the
 * file has no name line. Throws FoiloptError (with file and line) for every malformed input.
 */
export function parseAirfoilDat(text: string, file = '<input>'): Airfoil {
  const ctx: ParseContext = { file, line: 1 };
  try {
    return parseDat(text, ctx);
  } catch (e) {
    if (e instanceof FoiloptError) throw e;
    const why = e instanceof Error ? e.message : String(e);
    throw new FoiloptError(`cannot read airfoil coordinates (internal error: ${why})`, {
      file,
      line: ctx.line,
    });
  }
}

function parseDat(text: string, ctx: ParseContext): Airfoil {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  // a DOS end-of-file marker (Ctrl-Z, possibly followed by blanks) is not content
  const eof = text.indexOf('\u001a');
  if (eof >= 0 && text.slice(eof).split('\u001a').join('').trim() === '') text = text.slice(0, eof);
  if (text.trim() === '') fail(ctx, 1, 'empty file');
  checkNotBinary(text, ctx);

  const lines = text.split(/\r\n|\r|\n/);
  const rows: DataRow[] = [];
  let name: string | undefined;
  let nameLine = 0;
  let headerLines = 0;
  let block = 0;
  let lastContentWasData = false;
  let pointCount: { n: number; line: number } | undefined;

  for (let k = 0; k < lines.length; k++) {
    const lineNo = k + 1;
    ctx.line = lineNo;
    const trimmed = lines[k].trim();
    if (trimmed === '') {
      if (lastContentWasData) block++;
      lastContentWasData = false;
      continue;
    }
    if (trimmed[0] === '#' || trimmed[0] === '!') continue;
    const tokens = trimmed.split(SEPARATORS).filter((t) => t !== '');
    let firstText = -1;
    let firstNonfinite = -1;
    for (let t = 0; t < tokens.length; t++) {
      if (NUMBER_TOKEN.test(tokens[t])) continue;
      if (NONFINITE_TOKEN.test(tokens[t])) {
        if (firstNonfinite < 0) firstNonfinite = t;
      } else if (firstText < 0) firstText = t;
    }

    if (rows.length === 0) {
      // header: text lines before the coordinates; a lone number on the first line is a name too
      const lonelyNumber = headerLines === 0 && tokens.length === 1 && firstText < 0;
      if (firstText >= 0 || lonelyNumber) {
        headerLines++;
        if (headerLines > MAX_HEADER_LINES) {
          fail(
            ctx,
            lineNo,
            `non-numeric value ${quote(tokens[Math.max(firstText, 0)])} (expected two numbers "x y")`,
          );
        }
        if (name === undefined) {
          name = trimmed.replace(/\s+/g, ' ');
          nameLine = lineNo;
        }
        continue;
      }
    }

    if (firstText >= 0) {
      fail(ctx, lineNo, `non-numeric value ${quote(tokens[firstText])} (expected two numbers "x y")`);
    }
    if (firstNonfinite >= 0) fail(ctx, lineNo, `not a finite number: ${quote(tokens[firstNonfinite])}`);
    const values: number[] = [];
    for (const token of tokens) {
      const v = tokenValue(token);
      if (!Number.isFinite(v)) fail(ctx, lineNo, `not a finite number: ${quote(token)} (overflows)`);
      if (Math.abs(v) > MAX_ABS_COORDINATE) {
        fail(ctx, lineNo, `value too large: ${quote(token)} (|value| > 1e6)`);
      }
      values.push(v);
    }
    if (rows.length === 0 && pointCount === undefined && values.length === 1 && isCount(values[0])) {
      // a point-count line ("61") after the name line
      pointCount = { n: values[0], line: lineNo };
      continue;
    }
    if (values.length !== 2) {
      fail(ctx, lineNo, `wrong number of columns: expected 2 ("x y"), found ${values.length}`);
    }
    rows.push({ line: lineNo, x: values[0], y: values[1], block });
    lastContentWasData = true;
  }

  // a first line holding just the point count ("61") is a count, not a name
  if (name !== undefined && /^\d+\.?$/.test(name) && Number(name) === rows.length) name = undefined;
  if (pointCount && pointCount.n !== rows.length) {
    fail(
      ctx,
      pointCount.line,
      `count line says ${pointCount.n} points, but ${rows.length} coordinate lines follow`,
    );
  }

  const ordered = orderRows(rows, ctx);
  return buildAirfoil(ordered, name ?? nameFromFile(ctx.file), ctx, nameLine, lines.length);
}

/** True for a value written as a whole number (e.g. "61." in a Lednicer count line). */
function isCount(v: number): boolean {
  return Number.isInteger(v) && v >= 1;
}

/** Rows of one surface running from the leading edge to the trailing edge. */
function leToTe(surface: DataRow[]): DataRow[] {
  return surface.length > 1 && surface[0].x > surface[surface.length - 1].x
    ? surface.slice().reverse()
    : surface;
}

/** Selig order from two surfaces: upper TE -> LE, then lower LE -> TE. */
function joinSurfaces(upper: DataRow[], lower: DataRow[]): DataRow[] {
  return leToTe(upper).slice().reverse().concat(leToTe(lower));
}

/**
 * Detects the layout and returns the rows in contour order (one surface, the leading edge, the other
 * surface). Lednicer: a count line "NU NL" (whole numbers) followed by NU + NL rows, or, without a
 * count line, exactly two blank-line-separated blocks that both start at the leading edge.
 */
function orderRows(rows: DataRow[], ctx: ParseContext): DataRow[] {
  if (rows.length === 0) return rows;
  const first = rows[0];
  if (isCount(first.x) && isCount(first.y)) {
    const data = rows.slice(1);
    let maxAbs = 0;
    for (const r of data) maxAbs = Math.max(maxAbs, Math.abs(r.x), Math.abs(r.y));
    const nUpper = first.x;
    const nLower = first.y;
    const sumMatches = nUpper + nLower === data.length;
    // counts far above every coordinate cannot be a point of the contour
    const clearlyCounts = Math.min(nUpper, nLower) > 1.5 * maxAbs;
    if (sumMatches || clearlyCounts) {
      ctx.line = first.line;
      if (sumMatches) return joinSurfaces(data.slice(0, nUpper), data.slice(nUpper));
      const blocks = splitBlocks(data);
      if (blocks.length === 2) return joinSurfaces(blocks[0], blocks[1]);
      fail(
        ctx,
        first.line,
        `Lednicer count line says ${nUpper} upper + ${nLower} lower points, but ${data.length} coordinate lines follow`,
      );
    }
  }
  const blocks = splitBlocks(rows);
  if (blocks.length === 2 && blocks[0].length >= 2 && blocks[1].length >= 2) {
    const [a, b] = blocks;
    const aFromLe = a[0].x < a[a.length - 1].x;
    const bFromLe = b[0].x < b[b.length - 1].x;
    if (aFromLe && bFromLe) return joinSurfaces(a, b);
  }
  return rows;
}

/** Groups rows by their blank-line-separated block. */
function splitBlocks(rows: DataRow[]): DataRow[][] {
  const blocks: DataRow[][] = [];
  let current = -1;
  for (const r of rows) {
    if (r.block !== current) {
      blocks.push([]);
      current = r.block;
    }
    blocks[blocks.length - 1].push(r);
  }
  return blocks;
}

/**
 * Drops consecutive duplicate points, fixes the orientation (counterclockwise) and checks the
 * contour: enough points, closed, around a leading edge, no self-intersection.
 */
function buildAirfoil(
  rows: DataRow[],
  name: string,
  ctx: ParseContext,
  nameLine: number,
  nLines: number,
): Airfoil {
  const lastLine = rows.length > 0 ? rows[rows.length - 1].line : Math.max(nameLine, 1);
  if (rows.length === 0) {
    fail(
      ctx,
      Math.min(Math.max(nameLine + 1, 1), nLines),
      `too few points: no coordinate lines found (need at least ${MIN_POINTS})`,
    );
  }

  let xMin = Infinity;
  let xMax = -Infinity;
  let yMin = Infinity;
  let yMax = -Infinity;
  for (const r of rows) {
    xMin = Math.min(xMin, r.x);
    xMax = Math.max(xMax, r.x);
    yMin = Math.min(yMin, r.y);
    yMax = Math.max(yMax, r.y);
  }
  /** reference length: the larger extent (the chord for any sensible airfoil) */
  const chordRef = Math.max(xMax - xMin, yMax - yMin);
  const dupTol = 1e-12 * Math.max(chordRef, Math.abs(xMax), Math.abs(xMin), 1e-300);

  const kept: DataRow[] = [];
  for (const r of rows) {
    const prev = kept[kept.length - 1];
    if (prev && Math.abs(prev.x - r.x) <= dupTol && Math.abs(prev.y - r.y) <= dupTol) continue;
    kept.push(r);
  }
  const n = kept.length;
  if (n < MIN_POINTS) {
    fail(
      ctx,
      lastLine,
      `too few points: ${n} distinct points (need at least ${MIN_POINTS}, ${MIN_POINTS_PER_SIDE} per side)`,
    );
  }

  // orientation: shoelace area > 0 for counterclockwise (upper surface first)
  let area2 = 0;
  for (let k = 0; k < n; k++) {
    const a = kept[k];
    const b = kept[(k + 1) % n];
    area2 += a.x * b.y - b.x * a.y;
  }
  if (area2 < 0) kept.reverse();

  if (!(chordRef > 0)) fail(ctx, lastLine, 'not a closed contour: all points coincide');
  closeSharedTrailingEdge(kept, xMax, chordRef);
  const head = kept[0];
  const tail = kept[kept.length - 1];
  const gap = Math.hypot(head.x - tail.x, head.y - tail.y);
  if (gap > MAX_END_GAP_CHORDS * chordRef) {
    const pct = ((100 * gap) / chordRef).toFixed(1);
    fail(
      ctx,
      tail.line,
      `not a closed contour: the first point (line ${head.line}) and the last point (line ${tail.line}) are ` +
        `${pct}% of the chord apart (at most ${100 * MAX_END_GAP_CHORDS}% allowed)`,
    );
  }

  // leading edge: the point farthest from the trailing-edge midpoint
  const teX = 0.5 * (head.x + tail.x);
  const teY = 0.5 * (head.y + tail.y);
  let iLe = 0;
  let best = -1;
  for (let k = 0; k < kept.length; k++) {
    const d = (kept[k].x - teX) ** 2 + (kept[k].y - teY) ** 2;
    if (d > best) {
      best = d;
      iLe = k;
    }
  }
  if (kept[iLe].x - xMin > 0.25 * chordRef) {
    fail(
      ctx,
      kept[iLe].line,
      'the points do not go around a leading edge: the contour must start at the trailing edge, run over ' +
        `one surface to the leading edge and back over the other (the point farthest from the ends, line ${kept[iLe].line}, is not at the front)`,
    );
  }
  const nAll = kept.length;
  const nUpper = iLe + 1;
  const nLower = nAll - iLe;
  if (nUpper < MIN_POINTS_PER_SIDE || nLower < MIN_POINTS_PER_SIDE) {
    const side = nUpper < MIN_POINTS_PER_SIDE ? 'upper' : 'lower';
    const count = Math.min(nUpper, nLower);
    fail(
      ctx,
      kept[iLe].line,
      `too few points on the ${side} surface: ${count} (need at least ${MIN_POINTS_PER_SIDE}; leading edge at line ${kept[iLe].line})`,
    );
  }

  const x = new Float64Array(nAll);
  const y = new Float64Array(nAll);
  for (let k = 0; k < nAll; k++) {
    x[k] = kept[k].x;
    y[k] = kept[k].y;
  }
  const cross = findSelfIntersection(x, y);
  if (cross) {
    const a = kept[cross.i];
    const b = kept[cross.i + 1];
    const c = kept[cross.j];
    const d = kept[cross.j + 1];
    // where they cross, to tell a crossed trailing edge from a scrambled contour
    const d1x = b.x - a.x;
    const d1y = b.y - a.y;
    const d2x = d.x - c.x;
    const d2y = d.y - c.y;
    const t = ((c.x - a.x) * d2y - (c.y - a.y) * d2x) / (d1x * d2y - d1y * d2x);
    const px = a.x + t * d1x;
    const py = a.y + t * d1y;
    fail(
      ctx,
      a.line,
      `self-intersecting contour: the segment between lines ${a.line} and ${b.line} crosses the segment ` +
        `between lines ${c.line} and ${d.line} at (${px.toPrecision(6)}, ${py.toPrecision(6)})`,
    );
  }

  const airfoil: Airfoil = { name, x, y };
  if (ctx.file !== '<input>') airfoil.source = ctx.file;
  return airfoil;
}

/**
 * Many tabulated airfoils list a sharp trailing-edge point once, at the start of the file, and end
 * the other surface one station short of it (UIUC goe101.dat: upper surface from (1, 0), lower
 * surface ending at (0.9, 0.0028)). Read literally that is a trailing-edge gap of a whole station.
 * Only where that gap is too wide to accept (more than MAX_END_GAP_CHORDS; smaller gaps are kept as
 * a blunt trailing edge, exactly as XFOIL reads the file) the shared point is repeated at the open
 * end, which closes the contour at a sharp trailing edge, when all of these hold:
 * - exactly one end is the rearmost point of the contour, the other end lies ahead of it;
 * - the open surface still runs rearward at its end and the closing segment continues it (turn of
 *   less than MAX_SHARED_TE_TURN_DEG), so it cannot be the base of a blunt trailing edge;
 * - the closing segment is about one station long: between 1/4 of the shorter and 1.5 times the
 *   longer of the two end segments (so a rounding-size gap is never "closed").
 * No new coordinate values are made up: the added node is a copy of the shared one.
 */
function closeSharedTrailingEdge(kept: DataRow[], xMax: number, chordRef: number): void {
  const n = kept.length;
  if (n < 3) return;
  const head = kept[0];
  const tail = kept[n - 1];
  if (Math.hypot(head.x - tail.x, head.y - tail.y) <= MAX_END_GAP_CHORDS * chordRef) return;
  const atRear = (r: DataRow): boolean => r.x >= xMax - 1e-9 * chordRef;
  let shared: DataRow;
  let sharedNeighbour: DataRow;
  let open: DataRow;
  let openNeighbour: DataRow;
  if (atRear(head) && !atRear(tail)) {
    [shared, sharedNeighbour, open, openNeighbour] = [head, kept[1], tail, kept[n - 2]];
  } else if (atRear(tail) && !atRear(head)) {
    [shared, sharedNeighbour, open, openNeighbour] = [tail, kept[n - 2], head, kept[1]];
  } else {
    return;
  }
  const ex = open.x - openNeighbour.x;
  const ey = open.y - openNeighbour.y;
  if (!(ex > 0)) return;
  const cx = shared.x - open.x;
  const cy = shared.y - open.y;
  const closing = Math.hypot(cx, cy);
  const openSegment = Math.hypot(ex, ey);
  const sharedSegment = Math.hypot(shared.x - sharedNeighbour.x, shared.y - sharedNeighbour.y);
  if (
    closing < 0.25 * Math.min(openSegment, sharedSegment) ||
    closing > 1.5 * Math.max(openSegment, sharedSegment)
  ) {
    return;
  }
  const cosTurn = (ex * cx + ey * cy) / (openSegment * closing);
  if (cosTurn < Math.cos((MAX_SHARED_TE_TURN_DEG * Math.PI) / 180)) return;
  const copy: DataRow = { ...shared };
  if (open === tail) kept.push(copy);
  else kept.unshift(copy);
}

/** Text of a file's bytes: UTF-16 with BOM, else UTF-8, else Latin-1. */
function decodeText(buf: Buffer): string {
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) return buf.subarray(2).toString('utf16le');
  const utf8 = buf.toString('utf8');
  return utf8.includes('\ufffd') ? buf.toString('latin1') : utf8;
}

/** Reads and parses an airfoil coordinate file (see parseAirfoilDat); errors name `file`. */
export function readAirfoilFile(file: string): Airfoil {
  let buf: Buffer;
  try {
    buf = fs.readFileSync(file);
  } catch (e) {
    throw new FoiloptError(fileErrorReason(e, 'read'), { file });
  }
  // high bytes alone are fine (Latin-1 names); mostly control/high bytes is binary
  let odd = 0;
  for (let k = 0; k < buf.length; k++) {
    const b = buf[k];
    if ((b < 32 && b !== 9 && b !== 10 && b !== 13 && b !== 12 && b !== 11) || b >= 0x80) odd++;
  }
  const utf16 = buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe;
  if (!utf16 && buf.length > 0 && odd > 0.3 * buf.length) {
    const firstNul = buf.indexOf(0);
    const upTo = firstNul >= 0 ? firstNul : 0;
    let line = 1;
    for (let k = 0; k < upTo; k++) if (buf[k] === 10) line++;
    const pct = ((100 * odd) / buf.length).toFixed(0);
    throw new FoiloptError(`binary content (${pct}% non-text bytes): not a text coordinate file`, {
      file,
      line,
    });
  }
  return parseAirfoilDat(decodeText(buf), file);
}

/** One-line reason for a failed file-system call. */
function fileErrorReason(e: unknown, verb: 'read' | 'write'): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return verb === 'read' ? 'file not found' : 'cannot write: directory does not exist';
  if (code === 'EISDIR') return `cannot ${verb}: is a directory, not an airfoil file`;
  if (code === 'EACCES' || code === 'EPERM') return `cannot ${verb}: permission denied`;
  return `cannot ${verb} file: ${code ?? (e instanceof Error ? e.message : String(e))}`;
}

/** Coordinate as text, non-negative values padded with a space so the columns line up. */
function formatCoordinate(v: number, decimals: number): string {
  const s = v.toFixed(decimals);
  return s[0] === '-' ? s : ` ${s}`;
}

/**
 * Selig-format text of an airfoil: the name line, then one "x y" pair per line in node order
 * (`decimals` digits after the point). XFOIL's LOAD reads it. A name that would itself read as a
 * coordinate pair gets an "airfoil " prefix.
 */
export function formatSelig(a: Airfoil, decimals = 8): string {
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 20) {
    throw new RangeError(`formatSelig: decimals must be an integer 0..20, got ${decimals}`);
  }
  const n = a.x.length;
  if (a.y.length !== n) throw new RangeError(`formatSelig: x has ${n} values but y has ${a.y.length}`);
  let name = (a.name ?? '').replace(/\s+/g, ' ').trim();
  if (name === '') name = 'airfoil';
  const nameTokens = name.split(SEPARATORS).filter((t) => t !== '');
  if (nameTokens.every((t) => NUMBER_TOKEN.test(t) || NONFINITE_TOKEN.test(t))) name = `airfoil ${name}`;
  const out: string[] = [name];
  for (let k = 0; k < n; k++) {
    if (!Number.isFinite(a.x[k]) || !Number.isFinite(a.y[k])) {
      throw new RangeError(`formatSelig: node ${k} of "${name}" is not finite (${a.x[k]}, ${a.y[k]})`);
    }
    out.push(`${formatCoordinate(a.x[k], decimals)} ${formatCoordinate(a.y[k], decimals)}`);
  }
  return `${out.join('\n')}\n`;
}

/**
 * Writes an airfoil as a Selig file, atomically: the text goes to a temporary file in the same
 * directory, which is then renamed over `file`. Errors are FoiloptErrors naming `file`.
 */
export function writeSeligFile(file: string, a: Airfoil, decimals = 8): void {
  const text = formatSelig(a, decimals);
  const tmp = path.join(
    path.dirname(file),
    `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
  );
  try {
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, file);
  } catch (e) {
    try {
      fs.unlinkSync(tmp);
    } catch {
      // the temporary file was never created
    }
    throw new FoiloptError(fileErrorReason(e, 'write'), { file });
  }
}
