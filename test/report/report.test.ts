/**
 * The report without a browser: escaping, the partial plotly bundle, figure specifications (trace
 * counts, axes, styles), tables, and the collectors (analysis data, optimizer run directory).
 * test/report/browser.test.ts opens the generated pages in Chromium.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  convergenceRecords,
  defaultDetailAlphas,
  parseFieldGrid,
  polarData,
  readHistory,
  runReportData,
} from '../../src/cli/report-data';
import { FoiloptError } from '../../src/errors';
import { escapeHtml, jsonForScript } from '../../src/report/escape';
import { buildFigures, fmtRe, type FigureSpec } from '../../src/report/figures';
import { renderReport } from '../../src/report';
import { partialSource, plotlyBundle } from '../../src/report/plotly-bundle';
import { constraintMargin, constraintsTable, metricsTable } from '../../src/report/tables';
import { analyze } from '../../src/flow';
import { loadAirfoil } from '../../src/geometry/lookup';
import { findXfoil, runXfoilPolar } from '../../src/optimize/xfoil';
import { syntheticOptimization, writeSyntheticRunDir } from './fixtures';

const HOSTILE = '<img src=x onerror=alert(1)>';

describe('escaping', () => {
  test('escapeHtml escapes the five HTML metacharacters', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
    expect(escapeHtml(42)).toBe('42');
  });
  test('jsonForScript cannot close its <script> element and keeps the value', () => {
    const v = {
      s: '</script><script>alert(1)</script>\u2028',
      n: [1 / 3, NaN, Infinity],
      t: new Float64Array([0.5, 2]),
    };
    const text = jsonForScript(v);
    expect(text).not.toMatch(/<|>|\u2028/);
    const back = JSON.parse(text);
    expect(back.s).toBe(v.s);
    expect(back.n).toEqual([0.333333, null, null]);
    expect(back.t).toEqual([0.5, 2]);
  });
});

describe('plotly bundle', () => {
  test('partial registration keeps only the report traces of the real plotly.js-dist bundle', () => {
    const src = fs.readFileSync(require.resolve('plotly.js-dist/plotly.js'), 'utf8');
    const part = partialSource(src)!;
    expect(part).not.toBeNull();
    const reg = /Plotly\.register\(\[([^\]]*)\]\);\s*module\.exports = Plotly;/.exec(part)!;
    expect(reg[1].trim()).toMatch(/^require_contour\d*\(\)$/);
    expect(part.length).toBeLessThan(src.length);
    expect(partialSource(src, ['nosuchtrace'])).toBeNull();
    expect(partialSource('var x = 1;')).toBeNull();
  });
  test('the bundle is the installed version, gzip + base64, with its CSP hash', () => {
    const b = plotlyBundle();
    expect(b.version).toBe(require('plotly.js-dist/package.json').version);
    expect(b.traces).toEqual(['contour']);
    expect(b.cspHash).toMatch(/^'sha256-[A-Za-z0-9+/]+=*'$/);
    const js = require('zlib').gunzipSync(Buffer.from(b.gzipBase64, 'base64')).toString('utf8');
    expect(js).toContain('plotly');
    expect(b.gzipBase64.length).toBeLessThan(3.5e6);
  });
});

describe('figures of a full optimization report (synthetic data)', () => {
  let figs: FigureSpec[];
  beforeAll(() => {
    figs = buildFigures(syntheticOptimization({ baselineName: HOSTILE, nx: 41, ny: 25 }));
  });
  const byId = (id: string) => figs.find((f) => f.id === id)!;

  test('every section is there with the expected traces', () => {
    const counts = Object.fromEntries(figs.map((f) => [f.id, f.data.length]));
    expect(Object.keys(counts)).toEqual([
      'fig-shape',
      'fig-thickness-camber',
      'fig-cp',
      'fig-bl',
      'fig-polars',
      'fig-convergence',
      'fig-field',
    ]);
    expect(counts['fig-shape']).toBe(3 + 2); // iterates + baseline + optimized
    expect(counts['fig-thickness-camber']).toBe(2 * 2);
    // both design points as small multiples: baseline solver, optimized solver, optimized operator; 2 at climb
    expect(counts['fig-cp']).toBe(3 + 2);
    const cpg = byId('fig-cp');
    expect(cpg.data.map((t) => t.xaxis)).toEqual(['x', 'x', 'x', 'x2', 'x2']);
    expect((cpg.layout.yaxis2 as Record<string, unknown>).autorange).toBe('reversed');
    expect(counts['fig-polars']).toBe(6 * 4); // 6 polars x (Cl-alpha, Cl-Cd, L/D-alpha, Cm-alpha)
    // 3 operator starts + verification + polish, three panels each
    expect(counts['fig-convergence']).toBe((3 + 1 + 1) * 3);
    expect(counts['fig-field']).toBe(4); // contour, streamlines, displacement surface, body
    // boundary layer of both design points in one figure: 5 solutions x 2 sides x (Cf, H, delta*)
    // + one transition marker per transition; point 0 shown, the menu switches traces and lines
    const bl = byId('fig-bl');
    const lines = bl.data.filter((t) => t.mode === 'lines');
    const markers = bl.data.filter((t) => t.mode === 'markers');
    expect(lines.length).toBe(30);
    expect(markers.length).toBeGreaterThanOrEqual(5);
    expect(bl.data.filter((t) => t.visible).length).toBe(18 + markers.filter((t) => t.meta === 0).length);
    const menu = (
      bl.layout.updatemenus as {
        buttons: { label: string; args: [{ visible: boolean[] }, { shapes: unknown[] }] }[];
      }[]
    )[0];
    expect(menu.buttons.map((b) => b.label.split(':')[0])).toEqual(['cruise', 'climb']);
    for (const [k, b] of menu.buttons.entries()) {
      expect(b.args[0].visible).toEqual(bl.data.map((t) => t.meta === k));
      expect(b.args[1].shapes.length).toBe(3 * markers.filter((t) => t.meta === k).length);
    }
    // polars: one flow condition at a time
    const pol = byId('fig-polars');
    expect(pol.data.filter((t) => t.visible).length).toBe(4 * 4);
    const pm = (pol.layout.updatemenus as { buttons: { label: string }[] }[])[0];
    expect(pm.buttons.map((b) => b.label)).toEqual(['Re 1e6, Ncrit 9.0', 'Re 5e5, Ncrit 9.0']);
  });

  test('shapes and the flow field have equal axis scales; Cp is drawn suction up', () => {
    expect((byId('fig-shape').layout.yaxis as Record<string, unknown>).scaleanchor).toBe('x');
    expect((byId('fig-field').layout.yaxis as Record<string, unknown>).scaleanchor).toBe('x');
    expect((byId('fig-cp').layout.yaxis as Record<string, unknown>).autorange).toBe('reversed');
  });

  test('line styles: operator dashed, XFOIL dotted, solver solid', () => {
    const polars = byId('fig-polars').data.filter((t) => t.showlegend !== false && t.meta === 0);
    const dash = (t: Record<string, unknown>) => (t.line as { dash: string }).dash;
    expect(polars.map(dash)).toEqual(['solid', 'solid', 'dash', 'dot']);
    const cp = byId('fig-cp').data.filter((t) => t.xaxis === 'x');
    expect(cp.map(dash)).toEqual(['solid', 'solid', 'dash']);
  });

  test('every axis that carries data has a title with units', () => {
    for (const f of figs) {
      const titles = Object.entries(f.layout)
        .filter(([k]) => /^[xy]axis\d*$/.test(k))
        .map(([, v]) => ((v as { title?: { text?: string } }).title?.text ?? '') as string);
      expect(titles.some((t) => /x\/c|α|iteration|evaluation/.test(t))).toBe(true);
    }
    const y = (id: string, ax = 'yaxis') => (byId(id).layout[ax] as { title: { text: string } }).title.text;
    expect(y('fig-cp')).toContain('Cp [–]');
    expect(y('fig-polars', 'yaxis3')).toContain('L/D');
    expect(y('fig-polars', 'xaxis2' as string)).toContain('Cd [–]');
  });

  test('a hostile airfoil name is escaped in every figure string', () => {
    const json = JSON.stringify(figs);
    expect(json).not.toContain('<img');
    expect(json).toContain(escapeHtml(HOSTILE));
  });
});

describe('tables', () => {
  test('constraint margins: given, or from kind, bound and value', () => {
    expect(constraintMargin({ name: 'a', kind: '>=', bound: 0.12, final: 0.125 })).toBeCloseTo(0.005, 12);
    expect(constraintMargin({ name: 'b', kind: '<=', bound: 0.1, final: 0.125 })).toBeCloseTo(-0.025, 12);
    expect(constraintMargin({ name: 'c', kind: '=', bound: 0.5, final: 0.49 })).toBeCloseTo(-0.01, 12);
    expect(constraintMargin({ name: 'd', margin: 3e-5, final: null })).toBe(3e-5);
    expect(constraintMargin({ name: 'e', kind: '>=', bound: 1, baseline: 2 }, 'baseline')).toBe(1);
    const html = constraintsTable([
      { name: HOSTILE, kind: '>=', bound: 0.12, final: 0.11 },
      { name: 'ok', margin: 0.01 },
    ]);
    expect(html).toContain('✗ violated');
    expect(html).toContain('✓ met');
    expect(html).not.toContain('<img');
  });
  test('metrics: gaps of operator and XFOIL relative to the solver', () => {
    const html = metricsTable([{ name: 'L/D', final: { solver: 100, operator: 104, xfoil: 99 } }]);
    expect(html).toContain('+4.00 %');
    expect(html).toContain('-1.00 %');
    expect(html).toMatch(/class="num warn"[^>]*>4\.00 \(\+4\.00 %\)/);
  });
});

describe('collectors', () => {
  test('parseFieldGrid', () => {
    expect(parseFieldGrid('161x97')).toEqual({ nx: 161, ny: 97 });
    expect(parseFieldGrid('50')).toEqual({ nx: 50, ny: 50 });
    expect(parseFieldGrid('0')).toBe(false);
    expect(() => parseFieldGrid('2x2')).toThrow(FoiloptError);
    expect(() => parseFieldGrid('ax3')).toThrow(FoiloptError);
  });
  test('polars keep converged points in ascending alpha; detail angles: near 0, best L/D, highest', () => {
    const pts = [
      { alpha: 8, cl: 1.0, cd: 0.01, cm: 0, converged: true },
      { alpha: 0, cl: 0.2, cd: 0.006, cm: 0, converged: true },
      { alpha: 4, cl: 0.7, cd: 0.005, cm: 0, converged: true },
      { alpha: 10, cl: 1.1, cd: 0.02, cm: 0, converged: false },
    ];
    const p = polarData(pts, 'baseline', 'solver', { re: 1e6 });
    expect(p.alphaDeg).toEqual([0, 4, 8]);
    expect(p.cl).toEqual([0.2, 0.7, 1.0]);
    expect(defaultDetailAlphas(pts)).toEqual([0, 4, 8]);
    expect(fmtRe(1e6)).toBe('1e6');
    expect(fmtRe(3.2e6)).toBe('3.20e6');
  });
  test('convergence records: phases in run order, starts overlaid, rejected evaluations dropped', () => {
    const rec = (phase: string, evaluation: number, ok = true) => ({
      phase,
      evaluation,
      model: 'solver',
      gradient: null,
      ok,
      objective: ok ? evaluation : null,
      worstViolation: 0,
      gradientNorm: null,
      x: [],
      elapsed: 0,
    });
    const r = convergenceRecords([
      rec('baseline', 1),
      rec('search:0', 1),
      rec('search:1', 1),
      rec('search:0', 2),
      rec('search:1', 2, false),
      rec('polish', 1),
    ]);
    expect(r.map((x) => [x.phase, x.start, x.iteration])).toEqual([
      ['baseline', 0, 1],
      ['search', 0, 2],
      ['search', 1, 2],
      ['search', 0, 3],
      ['polish', 0, 4],
    ]);
  });
  test('a synthetic run directory: everything collected, missing polars and distributions computed', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'foilopt-run-'));
    try {
      writeSyntheticRunDir(dir, `run ${HOSTILE}`);
      // a truncated last history line (a killed run) is ignored
      fs.appendFileSync(path.join(dir, 'history.jsonl'), '{"phase":"run:0","evalu');
      expect(readHistory(path.join(dir, 'history.jsonl')).length).toBe(13);
      const data = runReportData(dir, { field: { nx: 41, ny: 25, streamlines: 5 }, iterates: 2 });
      expect(data.kind).toBe('optimization');
      expect(data.shapes.map((s) => s.role)).toEqual(['baseline', 'optimized', 'iterate', 'iterate']);
      expect(data.points[0].results.map((r) => [r.shape, r.model, !!r.top?.cf])).toEqual([
        ['baseline', 'solver', true],
        ['optimized', 'solver', true],
      ]);
      expect(data.polars.map((p) => [p.shape, p.model, p.alphaDeg.length])).toEqual([
        ['baseline', 'solver', 7],
        ['optimized', 'solver', 7],
      ]);
      expect(data.convergence!.iterations.length).toBe(13);
      expect(data.field!.x.length).toBe(41);
      expect(data.tables!.designVariables!.length).toBe(13);
      expect(data.notes!.some((n) => n.includes('XFOIL check skipped'))).toBe(true);
      const { html, figures } = renderReport(data);
      expect(figures.map((f) => f.id)).toContain('fig-convergence');
      // (booleans: a failing matcher would print the whole 2 MB page)
      expect(html.includes('<img')).toBe(false);
      expect(html.includes(escapeHtml(`run ${HOSTILE}`))).toBe(true);
      // only our three script elements; no external reference of any kind (links only to #anchors)
      expect(html.match(/<\/script>/g)!.length).toBe(3);
      expect(/<[a-z][^>]*\s(?:src|href|action)\s*=\s*(?!["']?#)/i.test(html)).toBe(false);
      expect(
        html.includes(`<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;`),
      ).toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
  test('a loaded operator adds its distributions at the design points and its polars (dashed)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'foilopt-run-'));
    try {
      writeSyntheticRunDir(dir);
      // stand-in operator: the solver's results, Cl scaled by 1.02, distributions included
      const calls: boolean[] = [];
      const operator = {
        predict: (
          airfoil: Parameters<typeof analyze>[0],
          c: { re: number; alphaDeg: number | number[] },
          o?: { distributions?: boolean },
        ) => {
          calls.push(!!o?.distributions);
          return analyze(airfoil, { re: c.re, alphaDeg: c.alphaDeg }).map((p) => ({ ...p, cl: p.cl * 1.02 }));
        },
      };
      const data = runReportData(dir, { field: false, iterates: 0, operator });
      expect(calls).toEqual([true, true, false, false]);
      expect(data.points[0].results.map((r) => [r.shape, r.model, !!r.top?.cp])).toEqual([
        ['baseline', 'solver', true],
        ['baseline', 'operator', true],
        ['optimized', 'solver', true],
        ['optimized', 'operator', true],
      ]);
      const op = data.points[0].results[1];
      expect(op.cl).toBeCloseTo(1.02 * data.points[0].results[0].cl, 3);
      expect(data.polars.filter((p) => p.model === 'operator').map((p) => p.shape)).toEqual([
        'baseline',
        'optimized',
      ]);
      const cp = buildFigures(data).find((f) => f.id === 'fig-cp-0')!;
      expect(cp.data.map((t) => (t.line as { dash: string }).dash)).toEqual([
        'solid',
        'dash',
        'solid',
        'dash',
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
  test('a directory without result.json is a user error', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'foilopt-run-'));
    try {
      expect(() => runReportData(dir)).toThrow(/result\.json/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

const xfoil = findXfoil();
(xfoil ? describe : describe.skip)('XFOIL polar of the report (needs an xfoil binary)', () => {
  test('one session over the angles in polar order agrees with the solver on NACA 2412', () => {
    const airfoil = loadAirfoil('naca2412');
    const alphas = [4, -2, 0, 2, 6];
    const cond = { re: 1e6, mach: 0, nCrit: 9, xtrTop: 1, xtrBot: 1 };
    const xf = runXfoilPolar(xfoil!, airfoil, cond, alphas);
    const ours = analyze(airfoil, { ...cond, alphaDeg: alphas });
    expect(xf.map((p) => p.alphaDeg)).toEqual(alphas);
    xf.forEach((p, i) => {
      expect(p.converged).toBe(true);
      // the solver matches XFOIL 6.99 (docs/solver.md: NACA 2412 Re 1e6 |dCl| <= 0.004, Cd 2.6 %)
      expect(Math.abs(p.cl! - ours[i].cl)).toBeLessThan(0.01);
      expect(Math.abs(p.cd! - ours[i].cd) / ours[i].cd).toBeLessThan(0.05);
    });
  });
});
