/**
 * The report page: one self-contained HTML file. Static parts (title, notes, summary, tables) are
 * HTML built here with every data string escaped; the figures are plotly specifications in a JSON
 * block, drawn by a small inline script after it inflates the embedded plotly bundle (gzip, base64)
 * with the browser's DecompressionStream. Nothing is fetched: no external script, style, font or
 * image. When drawing is done the page sets data-report-state="rendered" on <html> (tests and the
 * bench wait for it) and window.foiloptReport = { figures, traces, renderMs }.
 */
import { escapeHtml, jsonForScript } from './escape';
import { buildFigures, SECTION_TITLES, type FigureSpec, type SectionId } from './figures';
import { cspHash, type PlotlyBundle } from './plotly-bundle';
import {
  configTable,
  constraintsTable,
  designVariablesTable,
  genericTable,
  metricsTable,
  timingsTable,
  versionsTable,
} from './tables';
import type { ReportData } from './types';

const CSS = `
:root { --fg: #1d1d1f; --muted: #5f6368; --line: #dadce0; --accent: #1763c6; --bg: #f6f7f9; }
* { box-sizing: border-box; }
html { font-size: 15px; }
body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: var(--fg); background: var(--bg); line-height: 1.45; }
header { background: #fff; border-bottom: 1px solid var(--line); padding: 18px 28px 10px; }
header h1 { margin: 0 0 4px; font-size: 1.55rem; font-weight: 600; overflow-wrap: anywhere; }
header .meta { color: var(--muted); font-size: 0.9rem; }
header ul.summary { margin: 8px 0 0; padding-left: 1.2em; }
nav { position: sticky; top: 0; z-index: 10; background: #fff; border-bottom: 1px solid var(--line); padding: 6px 28px; }
nav a { color: var(--accent); text-decoration: none; margin-right: 18px; font-size: 0.95rem; }
nav a:hover { text-decoration: underline; }
main { padding: 8px 28px 40px; max-width: 1500px; margin: 0 auto; }
section { margin-top: 18px; }
section > h2 { font-size: 1.25rem; font-weight: 600; margin: 14px 0 8px; border-bottom: 2px solid var(--line); padding-bottom: 4px; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(560px, 1fr)); gap: 16px; }
figure { margin: 0; background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px 8px; min-width: 0; }
figure.wide { grid-column: 1 / -1; }
figure h3 { margin: 0 0 4px; font-size: 1rem; font-weight: 600; overflow-wrap: anywhere; }
figcaption { color: var(--muted); font-size: 0.85rem; margin-top: 4px; }
.plot { width: 100%; }
.notes { background: #fff8e1; border: 1px solid #f0d58a; border-radius: 6px; padding: 8px 14px; margin-top: 14px; }
.notes ul { margin: 0; padding-left: 1.2em; }
.error { background: #fdecea; border: 1px solid #f5b7b1; border-radius: 6px; padding: 8px 14px; margin-top: 14px; }
.loading { color: var(--muted); font-size: 0.9rem; }
.table-wrap { overflow-x: auto; background: #fff; border: 1px solid var(--line); border-radius: 6px; margin: 10px 0 16px; }
table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
caption { text-align: left; font-weight: 600; padding: 8px 12px; }
th, td { padding: 4px 12px; border-top: 1px solid #eceef1; text-align: left; vertical-align: top; }
thead th { background: #f1f3f5; font-weight: 600; white-space: nowrap; }
thead th:not(:first-child) { text-align: right; }
table.kv thead th { text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
th[scope=row] { font-weight: 500; overflow-wrap: anywhere; }
td.ok { color: #1e7b34; white-space: nowrap; }
td.bad, td.warn { color: #b3261e; font-weight: 600; }
td.bound { background: #fff4d6; }
tr.total th, tr.total td { font-weight: 600; }
table.kv td { overflow-wrap: anywhere; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.85rem; }
.unit { color: var(--muted); font-weight: 400; }
footer { color: var(--muted); font-size: 0.8rem; padding: 10px 28px 24px; }
@media (max-width: 700px) { .grid { grid-template-columns: 1fr; } main, header, nav { padding-left: 12px; padding-right: 12px; } }
`;

/**
 * In-page script: inflate plotly, draw every figure, report the state. Plain ES2017, no network:
 * the compressed bundle is read from the page itself.
 */
const BOOT = `
(function () {
  'use strict';
  var root = document.documentElement;
  function fail(e) {
    root.setAttribute('data-report-state', 'error');
    var box = document.getElementById('report-error');
    box.hidden = false;
    box.textContent = 'The figures could not be drawn: ' + (e && e.message ? e.message : String(e));
    console.error(e);
  }
  function loadPlotly() {
    if (typeof DecompressionStream !== 'function') {
      return Promise.reject(new Error('this browser has no DecompressionStream (needs Chrome/Edge 80+, Firefox 113+ or Safari 16.4+)'));
    }
    var bin = atob(document.getElementById('plotly-gzip').textContent.trim());
    var bytes = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
    return new Response(stream).text().then(function (code) {
      var s = document.createElement('script');
      s.textContent = code;
      document.head.appendChild(s);
      if (!window.Plotly) throw new Error('plotly.js did not load');
    });
  }
  var config = { responsive: true, displaylogo: false, scrollZoom: false,
    modeBarButtonsToRemove: ['select2d', 'lasso2d', 'autoScale2d'],
    toImageButtonOptions: { format: 'png', scale: 2 } };
  function draw() {
    var figures = JSON.parse(document.getElementById('report-figures').textContent);
    var traces = 0;
    var figureMs = {};
    var chain = Promise.resolve();
    figures.forEach(function (f) {
      chain = chain.then(function () {
        var el = document.getElementById(f.id);
        var t = performance.now();
        el.textContent = '';
        f.layout.height = f.height;
        traces += f.data.length;
        return Plotly.newPlot(el, f.data, f.layout, config).then(function () {
          figureMs[f.id] = Math.round(performance.now() - t);
        });
      });
    });
    return chain.then(function () {
      return { figures: figures.length, traces: traces, figureMs: figureMs };
    });
  }
  var plotlyMs = 0;
  loadPlotly().then(function () {
    plotlyMs = performance.now();
    return draw();
  }).then(function (r) {
    r.plotlyMs = Math.round(plotlyMs);
    r.renderMs = Math.round(performance.now());
    window.foiloptReport = r;
    root.setAttribute('data-report-state', 'rendered');
  }).catch(fail);
})();
`;

function section(id: SectionId | 'tables', title: string, body: string): string {
  return `<section id="${id}"><h2>${escapeHtml(title)}</h2>${body}</section>`;
}

function figureHtml(f: FigureSpec): string {
  return (
    `<figure class="${f.wide ? 'wide' : ''}"><h3>${f.title}</h3>` +
    `<div class="plot" id="${f.id}" data-traces="${f.data.length}" style="height:${f.height}px">` +
    `<p class="loading">drawing…</p></div>` +
    (f.caption ? `<figcaption>${f.caption}</figcaption>` : '') +
    `</figure>`
  );
}

function tablesHtml(t: NonNullable<ReportData['tables']>): string {
  const parts: string[] = [];
  if (t.metrics?.length) parts.push(metricsTable(t.metrics));
  if (t.constraints?.length) parts.push(constraintsTable(t.constraints));
  if (t.designVariables?.length) parts.push(designVariablesTable(t.designVariables));
  for (const e of t.extra ?? []) parts.push(genericTable(e));
  if (t.config !== undefined) parts.push(configTable(t.config));
  if (t.timings?.length) parts.push(timingsTable(t.timings));
  if (t.versions && Object.keys(t.versions).length) parts.push(versionsTable(t.versions));
  return parts.join('');
}

export interface RenderedReport {
  html: string;
  figures: FigureSpec[];
}

/** The report page for `data` with the given plotly bundle. */
export function renderHtml(data: ReportData, plotly: PlotlyBundle): RenderedReport {
  const figures = buildFigures(data);
  const order: SectionId[] = ['shape', 'pressure', 'boundary-layer', 'polars', 'convergence', 'field'];
  const sections: string[] = [];
  const nav: string[] = [];
  for (const id of order) {
    const figs = figures.filter((f) => f.section === id);
    if (!figs.length) continue;
    nav.push(`<a href="#${id}">${escapeHtml(SECTION_TITLES[id])}</a>`);
    sections.push(
      section(id, SECTION_TITLES[id], `<div class="grid">${figs.map(figureHtml).join('')}</div>`),
    );
  }
  const tables = data.tables
    ? tablesHtml({
        ...data.tables,
        versions: data.tables.versions ? { ...data.tables.versions, 'plotly.js': plotly.version } : undefined,
      })
    : '';
  if (tables) {
    nav.push('<a href="#tables">Tables</a>');
    sections.push(section('tables', 'Tables', tables));
  }
  const kindText = data.kind === 'optimization' ? 'foilopt optimization report' : 'foilopt analysis report';
  const meta = [kindText, data.createdAt ? `created ${data.createdAt}` : '', `plotly.js ${plotly.version}`]
    .filter(Boolean)
    .map(escapeHtml)
    .join(' · ');
  const summary = data.summary?.length
    ? `<ul class="summary">${data.summary.map((s) => `<li>${escapeHtml(s)}</li>`).join('')}</ul>`
    : '';
  const notes = data.notes?.length
    ? `<div class="notes" role="note"><ul>${data.notes.map((s) => `<li>${escapeHtml(s)}</li>`).join('')}</ul></div>`
    : '';
  // no network of any kind; scripts: exactly the boot script and the plotly bundle it inflates
  const csp = [
    "default-src 'none'",
    `script-src ${cspHash(BOOT)} ${plotly.cspHash}`,
    "style-src 'unsafe-inline'",
    'img-src data: blob:',
  ].join('; ');
  const html =
    `<!DOCTYPE html>\n<html lang="en" data-report-state="loading"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">` +
    `<title>${escapeHtml(data.title)} — foilopt</title><style>${CSS}</style></head><body>` +
    `<header><h1>${escapeHtml(data.title)}</h1><div class="meta">${meta}</div>${summary}</header>` +
    `<nav>${nav.join('')}</nav><main>${notes}<div id="report-error" class="error" role="alert" hidden></div>` +
    `${sections.join('')}</main>` +
    `<footer>Self-contained report: opens from disk without a network. Figures are interactive (zoom, pan, hover; double-click resets).</footer>` +
    `<script type="application/json" id="report-figures">${jsonForScript(figures)}</script>` +
    `<script type="application/octet-stream" id="plotly-gzip">${plotly.gzipBase64}</script>` +
    `<script>${BOOT}</script></body></html>\n`;
  return { html, figures };
}
