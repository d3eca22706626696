/**
 * Independent check with XFOIL: when an `xfoil` binary is on PATH (or named by FOILOPT_XFOIL), a
 * shape is written as a Selig file and run through it at given operating points (XFOIL's own
 * paneling, PANE with the same node count). Debian's xfoil build enables floating-point traps and
 * aborts on harmless exceptions; a preloaded one-line library that turns the trap off is compiled
 * with gcc into ~/.cache/foilopt when gcc is available (the same workaround as
 * ../shared/tools/xfoil-polar). XFOIL is never required: without it the check says why it was skipped.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { formatSelig } from '../geometry/io';
import type { Airfoil } from '../geometry/types';
import type { OperatingPoint } from './model';

/** One XFOIL point (null fields when XFOIL did not converge there). */
export interface XfoilPoint {
  alphaDeg: number | null;
  cl: number | null;
  cd: number | null;
  cm: number | null;
  ld: number | null;
  converged: boolean;
}

/** Path of the xfoil binary, or null. */
export function findXfoil(): string | null {
  const env = process.env.FOILOPT_XFOIL;
  if (env) return fs.existsSync(env) ? env : null;
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const f = path.join(dir, 'xfoil');
    try {
      fs.accessSync(f, fs.constants.X_OK);
      return f;
    } catch {
      // not here
    }
  }
  return null;
}

/** The FP-trap shim (compiled once with gcc), or null when gcc is missing. */
function fpeShim(): string | null {
  const dir = path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'foilopt');
  const so = path.join(dir, 'nofpe.so');
  if (fs.existsSync(so)) return so;
  try {
    fs.mkdirSync(dir, { recursive: true });
    const src = path.join(dir, 'nofpe.c');
    fs.writeFileSync(src, 'void _gfortran_set_fpe(int v){(void)v;}\n');
    const r = spawnSync('gcc', ['-shared', '-fPIC', '-o', so, src], { stdio: 'ignore' });
    return r.status === 0 && fs.existsSync(so) ? so : null;
  } catch {
    return null;
  }
}

/**
 * Runs XFOIL on `airfoil` at the points (alpha, or CL for fixed-CL points); one result per point.
 * Throws an Error when XFOIL cannot be run at all.
 */
export function runXfoil(
  binary: string,
  airfoil: Airfoil,
  points: OperatingPoint[],
  panels = 160,
): XfoilPoint[] {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'foilopt-xfoil-'));
  try {
    fs.writeFileSync(path.join(work, 'foil.dat'), formatSelig({ ...airfoil, name: 'foilopt shape' }));
    const out: XfoilPoint[] = [];
    const shim = fpeShim();
    const env = { ...process.env, ...(shim ? { LD_PRELOAD: shim } : {}) };
    points.forEach((p, i) => {
      const polar = `polar${i}.txt`;
      const cmds = ['PLOP', 'G F', '', 'LOAD foil.dat', 'PPAR', `N ${panels}`, '', '', 'PANE', 'OPER'];
      cmds.push('VPAR', `N ${p.nCrit}`, `XTR ${p.xtrTop} ${p.xtrBot}`, '', 'ITER 200');
      if (p.mach) cmds.push(`MACH ${p.mach}`);
      cmds.push(`VISC ${p.re}`, 'PACC', polar, '');
      cmds.push(p.cl !== undefined ? `CL ${p.cl}` : `ALFA ${p.alphaDeg}`);
      cmds.push('PACC', '', 'QUIT');
      const r = spawnSync(binary, [], {
        input: cmds.join('\n') + '\n',
        cwd: work,
        env,
        timeout: 120000,
        encoding: 'utf8',
      });
      if (r.error) throw r.error;
      const file = path.join(work, polar);
      const rows = fs.existsSync(file) ? parsePolar(fs.readFileSync(file, 'utf8')) : [];
      const row = rows[rows.length - 1];
      out.push(
        row
          ? { alphaDeg: row[0], cl: row[1], cd: row[2], cm: row[4], ld: row[1] / row[2], converged: true }
          : { alphaDeg: null, cl: null, cd: null, cm: null, ld: null, converged: false },
      );
    });
    return out;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** Rows of an XFOIL polar file (alpha, CL, CD, CDp, CM, Top_Xtr, Bot_Xtr). */
export function parsePolar(text: string): number[][] {
  const lines = text.split('\n');
  const k = lines.findIndex((l) => /^\s*-{5,}/.test(l));
  if (k < 0) return [];
  return lines
    .slice(k + 1)
    .map((l) => l.trim().split(/\s+/).map(Number))
    .filter((r) => r.length >= 7 && r.every(Number.isFinite));
}

/**
 * An XFOIL polar in one session (the report's XFOIL curves): the angles in XFOIL's polar order, from
 * the one nearest 0 upward, then (after INIT, from the first again) downward, each warm-started from
 * the previous like ASEQ; one result per requested angle (null fields where XFOIL did not converge).
 * Throws an Error when XFOIL cannot be run at all.
 */
export function runXfoilPolar(
  binary: string,
  airfoil: Airfoil,
  conditions: Omit<OperatingPoint, 'alphaDeg' | 'cl'>,
  alphaDeg: number[],
  panels = 160,
): XfoilPoint[] {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'foilopt-xfoil-'));
  try {
    fs.writeFileSync(path.join(work, 'foil.dat'), formatSelig({ ...airfoil, name: 'foilopt shape' }));
    const shim = fpeShim();
    const env = { ...process.env, ...(shim ? { LD_PRELOAD: shim } : {}) };
    const sorted = [...new Set(alphaDeg)].sort((a, b) => a - b);
    let k0 = 0;
    for (let k = 1; k < sorted.length; k++) if (Math.abs(sorted[k]) < Math.abs(sorted[k0])) k0 = k;
    const up = sorted.slice(k0);
    const down = sorted.slice(0, k0).reverse();
    const c = conditions;
    const cmds = ['PLOP', 'G F', '', 'LOAD foil.dat', 'PPAR', `N ${panels}`, '', '', 'PANE', 'OPER'];
    cmds.push('VPAR', `N ${c.nCrit}`, `XTR ${c.xtrTop} ${c.xtrBot}`, '', 'ITER 200');
    if (c.mach) cmds.push(`MACH ${c.mach}`);
    cmds.push(`VISC ${c.re}`, 'PACC', 'polar.txt', '');
    for (const a of up) cmds.push(`ALFA ${a}`);
    if (down.length) {
      cmds.push('INIT', `ALFA ${up[0]}`);
      for (const a of down) cmds.push(`ALFA ${a}`);
    }
    cmds.push('PACC', '', 'QUIT');
    // XFOIL's printout of a whole sweep exceeds spawnSync's output buffer: not read
    const r = spawnSync(binary, [], {
      input: cmds.join('\n') + '\n',
      cwd: work,
      env,
      timeout: 300000,
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    if (r.error) throw r.error;
    const file = path.join(work, 'polar.txt');
    const rows = fs.existsSync(file) ? parsePolar(fs.readFileSync(file, 'utf8')) : [];
    return alphaDeg.map((a) => {
      const row = rows.find((q) => Math.abs(q[0] - a) < 1e-3);
      return row
        ? { alphaDeg: row[0], cl: row[1], cd: row[2], cm: row[4], ld: row[1] / row[2], converged: true }
        : { alphaDeg: a, cl: null, cd: null, cm: null, ld: null, converged: false };
    });
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
