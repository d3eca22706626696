/**
 * Plotly figure specifications of the report, built from ReportData in Node (the page only calls
 * Plotly.newPlot on them). Every string that can come from a user or a file is HTML-escaped here:
 * plotly renders label text through text nodes and decodes the entities, so an airfoil name shows
 * literally.
 *
 * Styles: colour = shape (baseline grey, optimized blue, iterates light blue), line dash = model
 * (solver solid, operator dashed, XFOIL dotted with markers); upper and lower surfaces side by side.
 */
import { escapeHtml } from './escape';
import type {
  ConditionsData,
  FlowFieldData,
  ModelName,
  OperatingPointData,
  PointSolution,
  PolarData,
  ReportData,
  ShapeData,
  SurfaceData,
} from './types';

/** Report sections, in page order. */
export type SectionId = 'shape' | 'pressure' | 'boundary-layer' | 'polars' | 'convergence' | 'field';

export const SECTION_TITLES: Record<SectionId, string> = {
  shape: 'Shape',
  pressure: 'Pressure distributions',
  'boundary-layer': 'Boundary layer',
  polars: 'Polars',
  convergence: 'Convergence',
  field: 'Flow field',
};

/** A plotly figure and where it goes. Strings are markup-safe (escaped). */
export interface FigureSpec {
  /** DOM id of the plot container */
  id: string;
  section: SectionId;
  /** heading above the figure */
  title: string;
  /** one line under the figure */
  caption?: string;
  /** plot height, px */
  height: number;
  /** spans the full page width */
  wide?: boolean;
  data: Record<string, unknown>[];
  layout: Record<string, unknown>;
}

type Trace = Record<string, unknown>;

const FONT = {
  family: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  size: 13,
};
const SHAPE_COLOR: Record<'baseline' | 'optimized', string> = { baseline: '#4d4d4d', optimized: '#1763c6' };
const ITERATE_COLOR = '#9ec3ea';
const MODEL_DASH: Record<ModelName, string> = { solver: 'solid', operator: 'dash', xfoil: 'dot' };
const MODEL_TEXT: Record<ModelName, string> = { solver: 'solver', operator: 'operator', xfoil: 'XFOIL' };
const START_DASH = ['solid', 'dot', 'dash', 'longdash', 'dashdot'];
const START_SYMBOL = ['circle', 'square', 'diamond', 'triangle-up', 'x'];
const PHASE_COLORS = ['#7b3fb5', '#d9730d', '#1763c6', '#2e9e5b', '#c0392b', '#8c564b', '#e377c2', '#17becf'];
const AXIS = {
  showline: true,
  linecolor: '#888',
  mirror: true,
  ticks: 'outside',
  zeroline: false,
  gridcolor: '#e6e6e6',
  automargin: false,
};

/** x/c on an axis title, and the dimensionless marker. */
const U = ' [–]';

function baseLayout(extra: Record<string, unknown>): Record<string, unknown> {
  return {
    font: FONT,
    paper_bgcolor: '#ffffff',
    plot_bgcolor: '#ffffff',
    margin: { l: 70, r: 20, t: 20, b: 60 },
    hovermode: 'closest',
    showlegend: true,
    legend: { orientation: 'h', x: 0, y: -0.18, yanchor: 'top', font: { size: 12 } },
    ...extra,
  };
}

function axis(title: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...AXIS, title: { text: title, standoff: 6 }, ...extra };
}

/** Formats a number for labels: fixed decimals, or exponent for large/small magnitudes. */
export function fmt(v: number | null | undefined, decimals = 4): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e5 || a < 10 ** -decimals)) return v.toExponential(Math.max(1, decimals - 2));
  return v.toFixed(decimals);
}

/** Reynolds number as 1.0e6. */
export function fmtRe(re: number): string {
  if (!Number.isFinite(re) || re === 0) return 'inviscid';
  return re.toExponential(re % 10 ** Math.floor(Math.log10(re)) === 0 ? 0 : 2).replace('e+', 'e');
}

/** "Re 1e6, M 0.10, Ncrit 9, trips 0.05/0.05" (trips only when forced). */
export function conditionsText(c: ConditionsData): string {
  const parts = [`Re ${fmtRe(c.re)}`];
  if (c.mach) parts.push(`M ${fmt(c.mach, 2)}`);
  if (c.nCrit !== undefined && Number.isFinite(c.re) && c.re > 0) parts.push(`Ncrit ${fmt(c.nCrit, 1)}`);
  const xt = c.xtrTop ?? 1;
  const xb = c.xtrBot ?? 1;
  if (xt < 1 || xb < 1) parts.push(`trips ${fmt(xt, 2)}/${fmt(xb, 2)}`);
  return parts.join(', ');
}

/** Label of an operating point: its own, or the specification. Escaped. */
export function pointLabel(p: OperatingPointData, index: number): string {
  const c = p.conditions;
  const spec =
    c.alphaDeg !== undefined
      ? `α ${fmt(c.alphaDeg, 2)}°`
      : c.cl !== undefined
        ? `target Cl ${fmt(c.cl, 3)}`
        : `point ${index + 1}`;
  const weight = c.weight !== undefined && c.weight !== 1 ? `, weight ${fmt(c.weight, 2)}` : '';
  const text = `${spec}, ${conditionsText(c)}${weight}`;
  return p.label ? `${escapeHtml(p.label)}: ${text}` : text;
}

/** The escaped label of the shape with a role (its name), or the role. */
export function shapeLabel(data: ReportData, role: 'baseline' | 'optimized'): string {
  const s = data.shapes.find((x) => x.role === role);
  return escapeHtml(s ? s.label : role);
}

function modelLine(model: ModelName, color: string, width = 2): Record<string, unknown> {
  return { color, dash: MODEL_DASH[model], width: model === 'solver' ? width : width * 0.85 };
}

/** Both surfaces as one curve: upper TE -> LE -> lower TE. */
function aroundAirfoil(
  top: SurfaceData | undefined,
  bottom: SurfaceData | undefined,
  key: 'cp',
): { x: number[]; y: number[] } {
  const x: number[] = [];
  const y: number[] = [];
  if (top) {
    for (let i = top.x.length - 1; i >= 0; i--) {
      x.push(top.x[i]);
      y.push(top[key][i]);
    }
  }
  if (bottom) {
    for (let i = 0; i < bottom.x.length; i++) {
      x.push(bottom.x[i]);
      y.push(bottom[key][i]);
    }
  }
  return { x, y };
}

/** " (Cl 0.717, Cd 0.00700)" of a solution (alpha too for non-solver or unconverged results). */
function solutionCoefficients(r: PointSolution): string {
  const coeffs = [`Cl ${fmt(r.cl, 3)}`];
  if (r.cd !== undefined && r.cd !== null && Number.isFinite(r.cd) && r.cd > 0)
    coeffs.push(`Cd ${fmt(r.cd, 5)}`);
  const warn = r.converged === false ? ', not converged' : '';
  return ` (${coeffs.join(', ')}${warn})`;
}

function solutionName(data: ReportData, r: PointSolution): string {
  // always the solution's own alpha: with alpha free or a target Cl it differs from the point's heading
  const alpha = ` at α ${fmt(r.alphaDeg, 2)}°`;
  return `${shapeLabel(data, r.shape)} · ${MODEL_TEXT[r.model]}${alpha}${solutionCoefficients(r)}`;
}

// ------------------------------------------------------------------------------------------------
// shape

function shapeFigures(data: ReportData): FigureSpec[] {
  const out: FigureSpec[] = [];
  const iterates = data.shapes.filter((s) => s.role === 'iterate');
  const mains = (['baseline', 'optimized'] as const)
    .map((role) => data.shapes.find((s) => s.role === role))
    .filter((s): s is ShapeData => s !== undefined);
  if (mains.length === 0 && iterates.length === 0) return out;
  const traces: Trace[] = [];
  iterates.forEach((s, k) => {
    traces.push({
      type: 'scatter',
      mode: 'lines',
      x: s.x,
      y: s.y,
      name: iterates.length > 1 ? `iterates (${iterates.length})` : escapeHtml(s.label),
      legendgroup: 'iterates',
      showlegend: k === 0,
      line: { color: ITERATE_COLOR, width: 1 },
      hovertemplate: `${escapeHtml(s.label)}<br>x/c %{x:.4f}<br>y/c %{y:.4f}<extra></extra>`,
    });
  });
  for (const s of mains) {
    const role = s.role as 'baseline' | 'optimized';
    traces.push({
      type: 'scatter',
      mode: 'lines',
      x: s.x,
      y: s.y,
      name: `${escapeHtml(s.label)}${mains.length > 1 ? ` (${role})` : ''}`,
      line: { color: SHAPE_COLOR[role], width: 2 },
      hovertemplate: `${escapeHtml(s.label)}<br>x/c %{x:.4f}<br>y/c %{y:.4f}<extra></extra>`,
    });
  }
  out.push({
    id: 'fig-shape',
    section: 'shape',
    title: mains.length > 1 ? 'Baseline and optimized shape' : 'Shape',
    caption: `Equal axis scales.${iterates.length ? ` Light blue: ${iterates.length} selected iterates of the optimizer.` : ''}`,
    height: 330,
    wide: true,
    data: traces,
    layout: baseLayout({
      xaxis: axis('x/c', { range: [-0.03, 1.03] }),
      yaxis: axis('y/c', { scaleanchor: 'x', scaleratio: 1 }),
      legend: { orientation: 'h', x: 0, y: 1.02, yanchor: 'bottom', font: { size: 12 } },
      margin: { l: 70, r: 20, t: 30, b: 50 },
    }),
  });
  const withDist = mains.filter((s) => s.distributions);
  if (withDist.length) {
    const t: Trace[] = [];
    for (const s of withDist) {
      const d = s.distributions!;
      const role = s.role as 'baseline' | 'optimized';
      const name = escapeHtml(s.label);
      const line = { color: SHAPE_COLOR[role], width: 2 };
      t.push({
        type: 'scatter',
        mode: 'lines',
        x: d.xOverC,
        y: d.thickness,
        name,
        legendgroup: role,
        line,
        xaxis: 'x',
        yaxis: 'y',
      });
      t.push({
        type: 'scatter',
        mode: 'lines',
        x: d.xOverC,
        y: d.camber,
        name,
        legendgroup: role,
        showlegend: false,
        line,
        xaxis: 'x2',
        yaxis: 'y2',
      });
    }
    out.push({
      id: 'fig-thickness-camber',
      section: 'shape',
      title: 'Thickness and camber distributions',
      caption: 'Thickness y_upper − y_lower and camber (y_upper + y_lower)/2 at the same x/c, chord frame.',
      height: 330,
      wide: true,
      data: t,
      layout: baseLayout({
        grid: { rows: 1, columns: 2, pattern: 'independent' },
        xaxis: axis('x/c'),
        yaxis: axis('thickness t/c'),
        xaxis2: axis('x/c'),
        yaxis2: axis('camber z/c'),
        legend: { orientation: 'h', x: 0, y: 1.02, yanchor: 'bottom', font: { size: 12 } },
        margin: { l: 70, r: 20, t: 30, b: 50 },
      }),
    });
  }
  return out;
}

// ------------------------------------------------------------------------------------------------
// pressure and boundary layer

/** A solution drawn in the Cp and boundary-layer figures: colour and legend text. */
interface Curve {
  r: PointSolution;
  color: string;
  /** legend group and text (escaped) */
  group: string;
  name: string;
  /** design point index (multi-point boundary-layer figure with a point selector) */
  point?: number;
}

/** Colours of the operating points of an analysis (one colour per angle). */
const POINT_COLORS = ['#1763c6', '#d9730d', '#2e9e5b', '#7b3fb5', '#c0392b', '#8c564b', '#17becf', '#4d4d4d'];

function cpFigure(data: ReportData, curves: Curve[], id: string, title: string, caption: string): FigureSpec {
  const traces: Trace[] = curves.map(({ r, color, name }) => {
    const c = aroundAirfoil(r.top, r.bottom, 'cp');
    return {
      type: 'scatter',
      mode: r.model === 'xfoil' ? 'lines+markers' : 'lines',
      x: c.x,
      y: c.y,
      name,
      line: modelLine(r.model, color),
      marker: { size: 3 },
      hovertemplate: `x/c %{x:.4f}<br>Cp %{y:.4f}<extra>${shapeLabel(data, r.shape)} · ${MODEL_TEXT[r.model]}</extra>`,
    };
  });
  return {
    id,
    section: 'pressure',
    title,
    caption,
    height: 440,
    data: traces,
    layout: baseLayout({
      xaxis: axis('x/c', { range: [-0.02, 1.02] }),
      yaxis: axis(`pressure coefficient Cp${U}`, { autorange: 'reversed' }),
    }),
  };
}

/**
 * Cp and boundary-layer figures. Optimization: one pair per design point, baseline vs optimized (and
 * models). Analysis: all angles overlaid in one pair, one colour per angle.
 */
function pointFigures(data: ReportData): FigureSpec[] {
  const out: FigureSpec[] = [];
  const withCp = (r: PointSolution) => !!(r.top || r.bottom);
  const withBl = (r: PointSolution) => !!((r.top?.cf || r.bottom?.cf) && r.top?.h !== undefined);
  if (data.kind === 'analysis' && data.points.length > 1) {
    const curves: Curve[] = [];
    data.points.forEach((p, ip) => {
      const color = POINT_COLORS[ip % POINT_COLORS.length];
      const c = p.conditions;
      const spec = c.alphaDeg !== undefined ? `α ${fmt(c.alphaDeg, 2)}°` : `point ${ip + 1}`;
      for (const r of p.results) {
        curves.push({ r, color, group: `p${ip}-${r.model}`, name: `${spec} · ${MODEL_TEXT[r.model]}` });
      }
    });
    const cond = conditionsText(data.points[0].conditions);
    const cp = curves
      .filter((c) => withCp(c.r))
      .map((c) => ({ ...c, name: c.name + solutionCoefficients(c.r) }));
    if (cp.length) {
      out.push(
        cpFigure(
          data,
          cp,
          'fig-cp',
          `Cp(x): ${shapeLabel(data, 'baseline')}, ${cond}`,
          'Pressure coefficient on both surfaces at the selected angles (axis reversed: suction up).',
        ),
      );
    }
    const bl = curves.filter((c) => withBl(c.r));
    if (bl.length)
      out.push(boundaryLayerFigure(bl, 'fig-bl', `Boundary layer: ${shapeLabel(data, 'baseline')}, ${cond}`));
    return out;
  }
  const blCurves: Curve[] = [];
  const cpCurves: Curve[] = [];
  data.points.forEach((p, ip) => {
    const label = pointLabel(p, ip);
    const curves: Curve[] = p.results.map((r) => ({
      r,
      color: SHAPE_COLOR[r.shape],
      group: `${r.shape}-${r.model}`,
      name: solutionName(data, r),
      point: ip,
    }));
    const cp = curves.filter((c) => withCp(c.r));
    if (cp.length && data.points.length === 1) {
      out.push(
        cpFigure(
          data,
          cp,
          `fig-cp-${ip}`,
          `Cp(x): ${label}`,
          'Pressure coefficient on both surfaces (axis reversed: suction up).',
        ),
      );
    }
    cpCurves.push(...cp);
    const bl = curves
      .filter((c) => withBl(c.r))
      .map((c) => ({ ...c, name: `${shapeLabel(data, c.r.shape)} · ${MODEL_TEXT[c.r.model]}` }));
    if (bl.length && data.points.length === 1)
      out.push(boundaryLayerFigure(bl, `fig-bl-${ip}`, `Boundary layer: ${label}`));
    blCurves.push(...bl);
  });
  if (data.points.length > 1 && cpCurves.length) {
    out.push(
      cpGridFigure(
        data,
        cpCurves,
        data.points.map((p, ip) => pointLabel(p, ip)),
      ),
    );
  }
  if (data.points.length > 1 && blCurves.length) {
    // several design points: one boundary-layer figure with a design-point selector (drawing six
    // subplots per point would dominate the page's opening time)
    out.push(
      withPointSelector(
        boundaryLayerFigure(blCurves, 'fig-bl', 'Boundary layer at the design points'),
        data.points.map((p, ip) => pointLabel(p, ip)),
      ),
    );
  }
  return out;
}

/** Cp of several design points as small multiples (two per row), baseline vs optimized in each. */
function cpGridFigure(data: ReportData, curves: Curve[], labels: string[]): FigureSpec {
  const n = labels.length;
  const rows = Math.ceil(n / 2);
  const traces: Trace[] = [];
  const seen = new Set<string>();
  for (const { r, color, group, point } of curves) {
    const k = point ?? 0;
    const ax = k === 0 ? '' : String(k + 1);
    const c = aroundAirfoil(r.top, r.bottom, 'cp');
    const name = `${shapeLabel(data, r.shape)} · ${MODEL_TEXT[r.model]}`;
    traces.push({
      type: 'scatter',
      mode: r.model === 'xfoil' ? 'lines+markers' : 'lines',
      x: c.x,
      y: c.y,
      xaxis: `x${ax}`,
      yaxis: `y${ax}`,
      name,
      legendgroup: group,
      showlegend: !seen.has(group),
      line: modelLine(r.model, color),
      marker: { size: 3 },
      hovertemplate: `x/c %{x:.4f}<br>Cp %{y:.4f}<extra>${name}${solutionCoefficients(r)}</extra>`,
    });
    seen.add(group);
  }
  const layout: Record<string, unknown> = baseLayout({
    grid: {
      rows,
      columns: 2,
      pattern: 'independent',
      roworder: 'top to bottom',
      ygap: 0.55 / rows,
      xgap: 0.08,
    },
    annotations: labels.map((label, k) => ({
      text: `<b>${label}</b>`,
      xref: `x${k === 0 ? '' : k + 1} domain`,
      yref: `y${k === 0 ? '' : k + 1} domain`,
      x: 0.5,
      y: 1.02,
      yanchor: 'bottom',
      showarrow: false,
      font: { size: 12 },
    })),
    legend: { orientation: 'h', x: 0, y: 1.0 + 0.12 / rows, yanchor: 'bottom', font: { size: 12 } },
    margin: { l: 70, r: 20, t: 70, b: 50 },
  });
  for (let k = 0; k < n; k++) {
    const ax = k === 0 ? '' : String(k + 1);
    const bottom = k >= n - 2;
    layout[`xaxis${ax}`] = axis(bottom ? 'x/c' : '', { range: [-0.02, 1.02] });
    layout[`yaxis${ax}`] = axis(k % 2 === 0 ? `Cp${U}` : '', { autorange: 'reversed' });
  }
  return {
    id: 'fig-cp',
    section: 'pressure',
    title: 'Cp(x) at the design points',
    caption:
      'Pressure coefficient on both surfaces, baseline vs optimized per design point (axes reversed: suction up).',
    height: 120 + 300 * rows,
    wide: true,
    data: traces,
    layout,
  };
}

/**
 * Shows one design point at a time: traces and transition lines carry their point index in `meta`;
 * a dropdown switches visibility (first point shown).
 */
function withPointSelector(f: FigureSpec, labels: string[]): FigureSpec {
  const shapes = (f.layout.shapes as Record<string, unknown>[]) ?? [];
  const visibleFor = (k: number) => f.data.map((t) => t.meta === k);
  const shapesFor = (k: number) => shapes.filter((sh) => sh.meta === k);
  f.data.forEach((t) => (t.visible = t.meta === 0));
  f.layout.shapes = shapesFor(0);
  f.layout.updatemenus = [
    {
      type: 'dropdown',
      direction: 'down',
      x: 1,
      xanchor: 'right',
      y: 1.13,
      yanchor: 'bottom',
      showactive: true,
      active: 0,
      buttons: labels.map((label, k) => ({
        label,
        method: 'update',
        args: [{ visible: visibleFor(k) }, { shapes: shapesFor(k) }],
      })),
    },
  ];
  f.layout.margin = { l: 80, r: 20, t: 70, b: 60 };
  f.caption = `Design point selected in the menu (top right). ${f.caption ?? ''}`;
  return f;
}

/** Robust axis range: values at x/c > xFrom, padded; the LE peak of Cf would flatten everything else. */
function robustRange(
  sols: PointSolution[],
  key: 'cf' | 'h' | 'deltaStar',
  xFrom: number,
): [number, number] | undefined {
  let lo = Infinity;
  let hi = -Infinity;
  for (const r of sols) {
    for (const s of [r.top, r.bottom]) {
      const v = s?.[key];
      if (!s || !v) continue;
      for (let i = 0; i < v.length; i++) {
        if (s.x[i] < xFrom || !Number.isFinite(v[i])) continue;
        lo = Math.min(lo, v[i]);
        hi = Math.max(hi, v[i]);
      }
    }
  }
  if (!(hi > lo)) return undefined;
  const pad = 0.08 * (hi - lo);
  if (key === 'cf') return [Math.min(0, lo) - pad, hi + pad];
  if (key === 'deltaStar') return [0, hi + pad];
  return [Math.max(0, lo - pad), hi + pad];
}

function interpolateAt(s: SurfaceData, v: number[] | undefined, xq: number): number | null {
  if (!v) return null;
  for (let i = 0; i + 1 < s.x.length; i++) {
    const a = s.x[i];
    const b = s.x[i + 1];
    if ((a - xq) * (b - xq) <= 0 && a !== b) {
      const t = (xq - a) / (b - a);
      return v[i] + t * (v[i + 1] - v[i]);
    }
  }
  return null;
}

function boundaryLayerFigure(curves: Curve[], id: string, title: string): FigureSpec {
  const sols = curves.map((c) => c.r);
  const traces: Trace[] = [];
  const shapes: Record<string, unknown>[] = [];
  const quantities: { key: 'cf' | 'h' | 'deltaStar'; title: string }[] = [
    { key: 'cf', title: `Cf${U}` },
    { key: 'h', title: `H${U}` },
    { key: 'deltaStar', title: 'δ*/c' },
  ];
  const legendSeen = new Set<string>();
  const transitionSeen = new Set<string>();
  for (const { r, color, group, name, point } of curves) {
    (
      [
        ['top', r.top, r.xtrTop],
        ['bottom', r.bottom, r.xtrBot],
      ] as const
    ).forEach(([side, s, xtr], col) => {
      if (!s) return;
      quantities.forEach((q, row) => {
        const v = s[q.key];
        if (!v) return;
        const n = row * 2 + col + 1;
        const ax = n === 1 ? '' : String(n);
        traces.push({
          type: 'scatter',
          mode: 'lines',
          x: s.x,
          y: v,
          xaxis: `x${ax}`,
          yaxis: `y${ax}`,
          name,
          legendgroup: group,
          showlegend: !legendSeen.has(`${point}|${group}`),
          line: modelLine(r.model, color, 1.8),
          hovertemplate: `${side === 'top' ? 'upper' : 'lower'} x/c %{x:.4f}<br>%{y:.5g}<extra>${name}</extra>`,
          meta: point ?? 0,
        });
        legendSeen.add(`${point}|${group}`);
        if (xtr !== undefined && xtr !== null && Number.isFinite(xtr) && xtr < TRANSITION_AT_TE) {
          shapes.push({
            type: 'line',
            xref: `x${ax}`,
            yref: `y${ax} domain`,
            x0: xtr,
            x1: xtr,
            y0: 0,
            y1: 1,
            line: { color, width: 1, dash: 'dot' },
            meta: point ?? 0,
          });
          if (q.key === 'cf') {
            const tg = `transition-${group}`;
            traces.push({
              type: 'scatter',
              mode: 'markers',
              x: [xtr],
              y: [interpolateAt(s, v, xtr)],
              xaxis: `x${ax}`,
              yaxis: `y${ax}`,
              name: `transition · ${name}`,
              legendgroup: tg,
              showlegend: !transitionSeen.has(`${point}|${tg}`),
              marker: { symbol: 'diamond', size: 9, color, line: { color: '#fff', width: 1 } },
              hovertemplate: `transition x/c %{x:.4f}<extra></extra>`,
              meta: point ?? 0,
            });
            transitionSeen.add(`${point}|${tg}`);
          }
        }
      });
    });
  }
  const ranges = {
    cf: robustRange(sols, 'cf', 0.04),
    h: robustRange(sols, 'h', 0.02),
    deltaStar: robustRange(sols, 'deltaStar', 0),
  };
  const layout: Record<string, unknown> = baseLayout({
    grid: { rows: 3, columns: 2, pattern: 'independent', roworder: 'top to bottom', ygap: 0.12, xgap: 0.08 },
    shapes,
    annotations: [
      { text: '<b>upper surface</b>', xref: 'x domain', yref: 'y domain', x: 0.5, y: 1.12, showarrow: false },
      {
        text: '<b>lower surface</b>',
        xref: 'x2 domain',
        yref: 'y2 domain',
        x: 0.5,
        y: 1.12,
        showarrow: false,
      },
    ],
    margin: { l: 80, r: 20, t: 40, b: 60 },
    legend: { orientation: 'h', x: 0, y: -0.1, yanchor: 'top', font: { size: 12 } },
  });
  quantities.forEach((q, row) => {
    for (let col = 0; col < 2; col++) {
      const n = row * 2 + col + 1;
      const ax = n === 1 ? '' : String(n);
      const range = ranges[q.key];
      layout[`xaxis${ax}`] = axis(row === 2 ? 'x/c' : '', {
        range: [-0.02, 1.02],
        ...(row > 0 ? { matches: col === 0 ? 'x' : 'x2' } : {}),
      });
      layout[`yaxis${ax}`] = axis(col === 0 ? q.title : '', {
        ...(range ? { range } : {}),
        ...(col === 1 ? { matches: n === 2 ? 'y' : `y${n - 1}` } : {}),
      });
    }
  });
  return {
    id,
    section: 'boundary-layer',
    title,
    caption:
      'Skin friction Cf, shape factor H = δ*/θ and displacement thickness δ* along each surface (stagnation point to TE). ' +
      'Dotted vertical lines and diamonds: transition. The Cf axis is scaled to x/c > 0.04 (the leading-edge peak is cut).',
    height: 640,
    wide: true,
    data: traces,
    layout,
  };
}

// ------------------------------------------------------------------------------------------------
// polars

function polarName(data: ReportData, p: PolarData): string {
  if (p.label) return escapeHtml(p.label);
  return `${shapeLabel(data, p.shape)} · ${MODEL_TEXT[p.model]}`;
}

function polarFigure(data: ReportData): FigureSpec[] {
  const polars = data.polars.filter((p) => p.alphaDeg.length > 0);
  if (!polars.length) return [];
  const condKeys = new Set(polars.map((p) => conditionsText(p.conditions)));
  const multi = condKeys.size > 1;
  const traces: Trace[] = [];
  const conds = [...condKeys];
  polars.forEach((p, k) => {
    // several conditions: one condition at a time (menu), the legend names the shape and model only
    const name = polarName(data, p);
    const color = SHAPE_COLOR[p.shape];
    const condIndex = conds.indexOf(conditionsText(p.conditions));
    const line = modelLine(p.model, color);
    const mode = p.model === 'xfoil' ? 'lines+markers' : 'lines+markers';
    const marker = {
      size: p.model === 'xfoil' ? 6 : 4,
      symbol: p.model === 'xfoil' ? 'circle-open' : p.model === 'operator' ? 'square-open' : 'circle',
    };
    const ld = p.cl.map((cl, i) => (p.cd[i] > 0 ? cl / p.cd[i] : null));
    const common = {
      type: 'scatter',
      mode,
      name,
      legendgroup: `polar-${k}`,
      line,
      marker,
      ...(multi ? { meta: condIndex, visible: condIndex === 0 } : {}),
    };
    const extra = `<extra>${name}</extra>`;
    traces.push({
      ...common,
      x: p.alphaDeg,
      y: p.cl,
      xaxis: 'x',
      yaxis: 'y',
      hovertemplate: `α %{x:.2f}°<br>Cl %{y:.4f}${extra}`,
    });
    traces.push({
      ...common,
      x: p.cd,
      y: p.cl,
      xaxis: 'x2',
      yaxis: 'y2',
      showlegend: false,
      hovertemplate: `Cd %{x:.5f}<br>Cl %{y:.4f}${extra}`,
    });
    traces.push({
      ...common,
      x: p.alphaDeg,
      y: ld,
      xaxis: 'x3',
      yaxis: 'y3',
      showlegend: false,
      hovertemplate: `α %{x:.2f}°<br>L/D %{y:.1f}${extra}`,
    });
    traces.push({
      ...common,
      x: p.alphaDeg,
      y: p.cm,
      xaxis: 'x4',
      yaxis: 'y4',
      showlegend: false,
      hovertemplate: `α %{x:.2f}°<br>Cm %{y:.4f}${extra}`,
    });
  });
  const models = [...new Set(polars.map((p) => MODEL_TEXT[p.model]))].join(', ');
  const menu = multi
    ? {
        updatemenus: [
          {
            type: 'dropdown',
            direction: 'down',
            x: 1,
            xanchor: 'right',
            y: 1.08,
            yanchor: 'bottom',
            active: 0,
            buttons: conds.map((c, j) => ({
              label: c,
              method: 'restyle',
              args: [{ visible: traces.map((t) => t.meta === j) }],
            })),
          },
        ],
      }
    : {};
  return [
    {
      id: 'fig-polars',
      section: 'polars',
      title: multi ? 'Polars at the design conditions' : `Polars (${conds[0]})`,
      caption:
        `Converged points only; ${models}. Cm about the quarter chord, nose up positive.` +
        (multi ? ' Flow condition selected in the menu (top right).' : ''),
      height: 720,
      wide: true,
      data: traces,
      layout: baseLayout({
        grid: {
          rows: 2,
          columns: 2,
          pattern: 'independent',
          roworder: 'top to bottom',
          ygap: 0.2,
          xgap: 0.1,
        },
        xaxis: axis('angle of attack α [deg]'),
        yaxis: axis(`lift coefficient Cl${U}`),
        xaxis2: axis(`drag coefficient Cd${U}`),
        yaxis2: axis(`lift coefficient Cl${U}`),
        xaxis3: axis('angle of attack α [deg]'),
        yaxis3: axis(`lift-to-drag ratio L/D${U}`),
        xaxis4: axis('angle of attack α [deg]'),
        yaxis4: axis(`moment coefficient Cm${U}`),
        legend: { orientation: 'h', x: 0, y: -0.08, yanchor: 'top', font: { size: 12 } },
        margin: { l: 80, r: 20, t: multi ? 60 : 20, b: 60 },
        ...menu,
      }),
    },
  ];
}

// ------------------------------------------------------------------------------------------------
// convergence

/** Transition at x/c >= this is the trailing edge (XFOIL's forced transition there): not marked. */
export const TRANSITION_AT_TE = 0.99;

/** Violations at or below this are drawn at it on the log axis. */
export const VIOLATION_FLOOR = 1e-12;

function convergenceFigure(data: ReportData): FigureSpec[] {
  const conv = data.convergence;
  if (!conv || conv.iterations.length === 0) return [];
  const phases: string[] = [];
  for (const it of conv.iterations) if (!phases.includes(it.phase)) phases.push(it.phase);
  const traces: Trace[] = [];
  const objName = escapeHtml(conv.objectiveName ?? 'objective');
  const xName = escapeHtml(conv.xLabel ?? 'iteration');
  phases.forEach((phase, k) => {
    const rows = conv.iterations.filter((it) => it.phase === phase);
    const starts = [...new Set(rows.map((r) => r.start ?? 0))];
    const first = rows[0];
    const name = `${escapeHtml(phase)} (${escapeHtml(first.model)}${first.gradient ? `, ${escapeHtml(first.gradient)}` : ''})`;
    const color = PHASE_COLORS[k % PHASE_COLORS.length];
    starts.forEach((st, j) => {
      const r = rows.filter((x) => (x.start ?? 0) === st);
      const it = r.map((x) => x.iteration);
      const common = {
        type: 'scatter',
        mode: 'lines+markers',
        name: starts.length > 1 ? `${name} start ${st}` : name,
        legendgroup: `phase-${k}-${st}`,
        line: { color, width: 1.5, dash: START_DASH[j % START_DASH.length] },
        marker: { color, size: 4, symbol: START_SYMBOL[j % START_SYMBOL.length] },
        connectgaps: true,
      };
      const startText = starts.length > 1 ? ` start ${st}` : '';
      traces.push({
        ...common,
        x: it,
        y: r.map((x) => x.objective),
        xaxis: 'x',
        yaxis: 'y',
        showlegend: true,
        hovertemplate: `${xName} %{x}<br>${objName} %{y:.6g}<extra>${escapeHtml(phase)}${startText}</extra>`,
      });
      traces.push({
        ...common,
        x: it,
        y: r.map((x) => Math.max(x.worstViolation, VIOLATION_FLOOR)),
        customdata: r.map((x) => x.worstViolation),
        xaxis: 'x2',
        yaxis: 'y2',
        showlegend: false,
        hovertemplate: `${xName} %{x}<br>worst violation %{customdata:.3g}<extra>${escapeHtml(phase)}${startText}</extra>`,
      });
      traces.push({
        ...common,
        x: it,
        y: r.map((x) =>
          x.gradientNorm !== undefined && x.gradientNorm !== null && x.gradientNorm > 0
            ? x.gradientNorm
            : null,
        ),
        xaxis: 'x3',
        yaxis: 'y3',
        showlegend: false,
        hovertemplate: `${xName} %{x}<br>|gradient| %{y:.3g}<extra>${escapeHtml(phase)}${startText}</extra>`,
      });
    });
  });
  const sense = conv.sense === 'max' ? ' (maximized)' : ' (minimized)';
  return [
    {
      id: 'fig-convergence',
      section: 'convergence',
      title: 'Optimizer convergence',
      caption:
        `Colour = phase (model, gradient); line style = start of a multi-start phase. Worst constraint violation 0 ` +
        `(feasible) is drawn at ${VIOLATION_FLOOR.toExponential(0)}; evaluations without a gradient are skipped in the gradient-norm panel.`,
      height: 640,
      wide: true,
      data: traces,
      layout: baseLayout({
        grid: { rows: 3, columns: 1, pattern: 'independent', roworder: 'top to bottom', ygap: 0.12 },
        xaxis: axis(''),
        yaxis: axis(`${objName}${sense}`),
        xaxis2: axis('', { matches: 'x' }),
        yaxis2: axis('worst violation', { type: 'log', exponentformat: 'power' }),
        xaxis3: axis(xName, { matches: 'x' }),
        yaxis3: axis('gradient norm', { type: 'log', exponentformat: 'power' }),
        legend: { orientation: 'h', x: 0, y: 1.02, yanchor: 'bottom', font: { size: 12 } },
        margin: { l: 80, r: 20, t: 40, b: 50 },
      }),
    },
  ];
}

// ------------------------------------------------------------------------------------------------
// flow field

function quantile(sorted: number[], q: number): number {
  if (!sorted.length) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))));
  return sorted[i];
}

function fieldFigure(data: ReportData): FigureSpec[] {
  const f: FlowFieldData | undefined = data.field;
  if (!f || f.x.length < 2 || f.y.length < 2) return [];
  const nx = f.x.length;
  const z: (number | null)[][] = [];
  const finite: number[] = [];
  for (let j = 0; j < f.y.length; j++) {
    const row = f.cp.slice(j * nx, (j + 1) * nx).map((v) => (v === null || !Number.isFinite(v) ? null : v));
    for (const v of row) if (v !== null) finite.push(v);
    z.push(row);
  }
  finite.sort((a, b) => a - b);
  // symmetric about the freestream (Cp 0, the scale's neutral middle); the lowest 0.5 % of the
  // suction peak are clipped so that it does not wash out the rest
  const span = Math.max(-quantile(finite, 0.005), quantile(finite, 1), 0.2);
  const zmin = -span;
  const zmax = span;
  const shape = shapeLabel(data, f.shape);
  const traces: Trace[] = [
    {
      type: 'contour',
      x: f.x,
      y: f.y,
      z,
      name: 'Cp',
      zmin,
      zmax,
      ncontours: 28,
      // plotly's RdBu runs blue (low) to red (high): suction blue, stagnation red
      colorscale: 'RdBu',
      contours: { coloring: 'fill', showlines: true },
      line: { width: 0.5, color: 'rgba(0,0,0,0.25)' },
      // the masked interior is interpolated for drawing only (the airfoil covers it), no hover there
      connectgaps: true,
      hoverongaps: false,
      colorbar: { title: { text: `Cp${U}`, side: 'right' }, thickness: 14, len: 0.9 },
      hovertemplate: 'x/c %{x:.3f}<br>y/c %{y:.3f}<br>Cp %{z:.3f}<extra></extra>',
      showlegend: false,
    },
  ];
  const sx: (number | null)[] = [];
  const sy: (number | null)[] = [];
  for (const l of f.streamlines) {
    sx.push(...l.x, null);
    sy.push(...l.y, null);
  }
  traces.push({
    type: 'scatter',
    mode: 'lines',
    x: sx,
    y: sy,
    name: 'streamlines',
    line: { color: 'rgba(15,15,15,0.75)', width: 1 },
    hoverinfo: 'skip',
    showlegend: true,
  });
  if (f.displacement && f.displacement.length) {
    const dx: (number | null)[] = [];
    const dy: (number | null)[] = [];
    for (const d of f.displacement) {
      dx.push(...d.x, null);
      dy.push(...d.y, null);
    }
    traces.push({
      type: 'scatter',
      mode: 'lines',
      x: dx,
      y: dy,
      name: 'displacement surface (δ*)',
      line: { color: '#e8a100', width: 1.5 },
      hoverinfo: 'skip',
    });
  }
  traces.push({
    type: 'scatter',
    mode: 'lines',
    x: [...f.body.x, f.body.x[0]],
    y: [...f.body.y, f.body.y[0]],
    fill: 'toself',
    fillcolor: '#d0d0d0',
    line: { color: '#222', width: 1.2 },
    name: shape,
    hoverinfo: 'skip',
  });
  const viscousText = f.viscous
    ? 'vorticity and the boundary layer’s displacement sources on the airfoil and the wake'
    : 'inviscid vorticity (no boundary layer)';
  return [
    {
      id: 'fig-field',
      section: 'field',
      title: `Flow around ${shape}: α ${fmt(f.alphaDeg, 2)}°, ${conditionsText(f.conditions)}${f.cl !== undefined ? `, Cl ${fmt(f.cl, 3)}` : ''}`,
      caption: `Pressure coefficient and streamlines of the solver’s singularity distribution (${viscousText}); grid ${nx} × ${f.y.length}. Equal axis scales.`,
      // plot area about as wide as the page for the window's aspect ratio
      height: Math.round(
        Math.min(900, Math.max(420, 1150 * ((f.y[f.y.length - 1] - f.y[0]) / (f.x[nx - 1] - f.x[0])) + 110)),
      ),
      wide: true,
      data: traces,
      layout: baseLayout({
        xaxis: axis('x/c', { range: [f.x[0], f.x[nx - 1]], constrain: 'domain' }),
        yaxis: axis('y/c', {
          range: [f.y[0], f.y[f.y.length - 1]],
          scaleanchor: 'x',
          scaleratio: 1,
          constrain: 'domain',
        }),
        legend: { orientation: 'h', x: 0, y: 1.02, yanchor: 'bottom', font: { size: 12 } },
        margin: { l: 70, r: 20, t: 30, b: 55 },
      }),
    },
  ];
}

/** Every figure of the report, in page order. */
export function buildFigures(data: ReportData): FigureSpec[] {
  return [
    ...shapeFigures(data),
    ...pointFigures(data),
    ...polarFigure(data),
    ...convergenceFigure(data),
    ...fieldFigure(data),
  ];
}
