/**
 * A minimal self-contained HTML summary of a run (report.html until src/report renders the full
 * report from result.json and analysis.json): status, objective, per-point forces, constraints with
 * margins, the baseline and optimized shapes and the Cp at each design point as inline SVG. No
 * scripts, no network; every user-supplied string is HTML-escaped.
 */
import type { FinalAnalysis, OptimizeResult, PointMetrics } from './outputs';

/** HTML-escapes text for element content and attribute values. */
export function escapeHtml(s: unknown): string {
  return String(s).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

const f = (v: number | null | undefined, d = 4) =>
  v === null || v === undefined ? '–' : Math.abs(v) >= 1000 ? v.toFixed(1) : v.toPrecision(d + 1);

type Series = {
  x: ArrayLike<number | null>;
  y: ArrayLike<number | null>;
  color: string;
  label: string;
  dash?: boolean;
};

/** An SVG line plot (equal axes optional, y inverted for Cp). */
function svgPlot(
  series: Series[],
  o: { w: number; h: number; equal?: boolean; invertY?: boolean; xLabel: string; yLabel: string },
): string {
  let x0 = Infinity;
  let x1 = -Infinity;
  let y0 = Infinity;
  let y1 = -Infinity;
  for (const s of series)
    for (let i = 0; i < s.x.length; i++) {
      const x = s.x[i];
      const y = s.y[i];
      if (x === null || y === null || !Number.isFinite(x) || !Number.isFinite(y)) continue;
      x0 = Math.min(x0, x);
      x1 = Math.max(x1, x);
      y0 = Math.min(y0, y);
      y1 = Math.max(y1, y);
    }
  if (!Number.isFinite(x0)) return '<p>(no data)</p>';
  const pad = 40;
  const W = o.w - 2 * pad;
  const H = o.h - 2 * pad;
  let sx = W / (x1 - x0 || 1);
  let sy = H / (y1 - y0 || 1);
  if (o.equal) sx = sy = Math.min(sx, sy);
  const X = (x: number) => pad + (x - x0) * sx;
  const Y = (y: number) => (o.invertY ? pad + (y - y0) * sy : o.h - pad - (y - y0) * sy);
  const paths = series
    .map((s) => {
      let d = '';
      let pen = false;
      for (let i = 0; i < s.x.length; i++) {
        const x = s.x[i];
        const y = s.y[i];
        if (x === null || y === null || !Number.isFinite(x) || !Number.isFinite(y)) {
          pen = false;
          continue;
        }
        d += `${pen ? 'L' : 'M'}${X(x).toFixed(1)},${Y(y).toFixed(1)}`;
        pen = true;
      }
      return `<path d="${d}" fill="none" stroke="${s.color}" stroke-width="1.5"${s.dash ? ' stroke-dasharray="5,3"' : ''}/>`;
    })
    .join('');
  const legend = series
    .map(
      (s, i) =>
        `<text x="${pad + 10}" y="${pad - 22 + 14 * i}" fill="${s.color}" font-size="12">${escapeHtml(s.label)}</text>`,
    )
    .join('');
  const axes =
    `<text x="${o.w / 2}" y="${o.h - 8}" font-size="12" text-anchor="middle">${escapeHtml(o.xLabel)} (${f(x0, 2)} … ${f(x1, 2)})</text>` +
    `<text x="12" y="${o.h / 2}" font-size="12" transform="rotate(-90 12 ${o.h / 2})" text-anchor="middle">${escapeHtml(o.yLabel)} (${f(o.invertY ? y1 : y0, 2)} … ${f(o.invertY ? y0 : y1, 2)})</text>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${o.w}" height="${o.h + (series.length > 2 ? 14 : 0)}" viewBox="0 0 ${o.w} ${o.h}"><rect x="0" y="0" width="${o.w}" height="${o.h}" fill="#fff" stroke="#ccc"/>${paths}${legend}${axes}</svg>`;
}

function pointRows(label: string, pts: PointMetrics[] | null | undefined): string {
  if (!pts) return '';
  return pts
    .map(
      (p) =>
        `<tr><td>${escapeHtml(label)}</td><td>${escapeHtml(p.name)}</td><td>${f(p.alphaDeg, 3)}</td><td>${f(p.cl)}</td><td>${f(p.cd)}</td><td>${f(p.cm)}</td><td>${f(p.ld)}</td><td>${p.converged ? 'yes' : 'no'}</td></tr>`,
    )
    .join('');
}

/** The HTML document. */
export function summaryHtml(r: OptimizeResult, a: FinalAnalysis): string {
  const shapes: Series[] = [
    {
      x: a.baselineAirfoil.x,
      y: a.baselineAirfoil.y,
      color: '#888',
      label: `baseline: ${a.baselineAirfoil.name}`,
      dash: true,
    },
  ];
  if (a.finalAirfoil)
    shapes.push({ x: a.finalAirfoil.x, y: a.finalAirfoil.y, color: '#c00', label: 'optimized' });
  const cpPlots = r.designPoints
    .map((p, i) => {
      const s: Series[] = [];
      const add = (
        an: FinalAnalysis['analysis']['baseline'],
        label: string,
        color: string,
        dash: boolean,
      ) => {
        const bl = an?.points[i]?.boundaryLayer;
        if (!bl) return;
        s.push({ x: bl.top.x, y: bl.top.cp, color, label: `${label}`, dash });
        s.push({ x: bl.bottom.x, y: bl.bottom.cp, color, label: '', dash });
      };
      add(a.analysis.baseline, 'baseline', '#888', true);
      add(a.analysis.final, 'optimized', '#c00', false);
      if (!s.length) return '';
      return `<figure><figcaption>Cp at ${escapeHtml(p.name)} (Re ${p.re.toExponential(2)})</figcaption>${svgPlot(
        s.filter((x) => x.label !== '' || true),
        { w: 420, h: 300, invertY: true, xLabel: 'x/c', yLabel: 'Cp' },
      )}</figure>`;
    })
    .join('');
  const cons = (r.final ?? r.bestInfeasible ?? r.baseline).constraints
    .map((c, k) => {
      const b = r.baseline.constraints[k];
      return `<tr class="${c.satisfied ? 'ok' : 'bad'}"><td>${escapeHtml(c.name)}</td><td>${f(b?.margin)}</td><td>${f(c.margin)}</td><td>${c.satisfied ? 'met' : 'VIOLATED'}</td></tr>`;
    })
    .join('');
  const warn = r.warnings.length
    ? `<ul class="warn">${r.warnings.map((w) => `<li>${escapeHtml(w)}</li>`).join('')}</ul>`
    : '';
  const timing = Object.entries(r.timings)
    .map(([k, v]) => `<tr><td>${escapeHtml(k)}</td><td>${v.toFixed(2)} s</td></tr>`)
    .join('');
  const xf =
    r.xfoil.status === 'ok'
      ? 'XFOIL check: see the table'
      : `XFOIL check ${escapeHtml(r.xfoil.status)}: ${escapeHtml(r.xfoil.reason ?? '')}`;
  const xfRows = [
    ['baseline', r.baseline.xfoil],
    ['optimized', r.final?.xfoil],
  ]
    .filter(([, v]) => v)
    .map(([label, v]) =>
      (v as NonNullable<typeof r.baseline.xfoil>)
        .map(
          (p, i) =>
            `<tr><td>${escapeHtml(label as string)}</td><td>${escapeHtml(r.designPoints[i].name)}</td><td>${f(p.alphaDeg, 3)}</td><td>${f(p.cl)}</td><td>${f(p.cd)}</td><td>${f(p.cm)}</td><td>${f(p.ld)}</td><td>${p.converged ? 'yes' : 'no'}</td></tr>`,
        )
        .join(''),
    )
    .join('');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(r.name)} — foilopt</title>
<style>body{font-family:system-ui,sans-serif;margin:2em;max-width:1000px}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}td:first-child,td:nth-child(2){text-align:left}tr.bad td{background:#fdd}.warn{color:#a60}figure{display:inline-block;margin:0.5em}</style>
</head><body>
<h1>${escapeHtml(r.name)}</h1>
<p><b>${escapeHtml(r.status)}</b>: ${escapeHtml(r.message)}</p>
<p>strategy ${escapeHtml(r.strategy)}, algorithm ${escapeHtml(r.algorithm)}, search model ${escapeHtml(r.models.search)}, parametrization ${escapeHtml(r.parametrization.name)} (${r.variables.names.length} free variables)</p>
${warn}
<h2>Objective: ${escapeHtml(r.objective.label)}</h2>
<p>baseline ${f(r.objective.baseline)} → final ${f(r.objective.final)}${r.objective.ratio !== null ? ` (ratio ${r.objective.ratio.toFixed(4)})` : ''}</p>
<h2>Shapes</h2>
${svgPlot(shapes, { w: 900, h: 260, equal: true, xLabel: 'x/c', yLabel: 'y/c' })}
<h2>Design points (solver)</h2>
<table><tr><th>shape</th><th>point</th><th>α°</th><th>Cl</th><th>Cd</th><th>Cm</th><th>L/D</th><th>converged</th></tr>
${pointRows('baseline', r.baseline.solver)}${pointRows('optimized', r.final?.solver)}${pointRows('operator: optimized', r.final?.operator)}</table>
${cpPlots}
<h2>Constraints (margin ≥ 0 is feasible)</h2>
<table><tr><th>constraint</th><th>baseline margin</th><th>final margin</th><th></th></tr>${cons}</table>
<h2>Independent check</h2><p>${xf}</p>
${xfRows ? `<table><tr><th>shape</th><th>point</th><th>α°</th><th>Cl</th><th>Cd</th><th>Cm</th><th>L/D</th><th>converged</th></tr>${xfRows}</table>` : ''}
<h2>Timings</h2><table>${timing}</table>
<p>Data: result.json, analysis.json (polars, Cp and boundary layer), history.jsonl, optimized.dat.</p>
</body></html>
`;
}
