/**
 * HTML tables of the report: design variables, metrics per model with the gaps, constraints with
 * margins, run configuration, versions, timings, and generic tables. Every cell value is escaped.
 */
import { escapeHtml } from './escape';
import { fmt } from './figures';
import type { ConstraintRow, GenericTable, MetricRow, ModelName, ModelValues, ReportTables } from './types';

const MODELS: ModelName[] = ['operator', 'solver', 'xfoil'];
const MODEL_HEAD: Record<ModelName, string> = { operator: 'operator', solver: 'solver', xfoil: 'XFOIL' };

/** Number cell with a tooltip holding the full value. */
function numCell(v: number | null | undefined, decimals = 5, cls = ''): string {
  const title =
    v !== null && v !== undefined && Number.isFinite(v) ? ` title="${escapeHtml(String(v))}"` : '';
  return `<td class="num${cls ? ` ${cls}` : ''}"${title}>${escapeHtml(fmt(v, decimals))}</td>`;
}

/** Significant-digit formatting for metric values of any magnitude (L/D ~ 100, Cd ~ 0.006). */
function metricDecimals(values: (number | null | undefined)[]): number {
  let m = 0;
  for (const v of values)
    if (v !== null && v !== undefined && Number.isFinite(v)) m = Math.max(m, Math.abs(v));
  if (m >= 100) return 2;
  if (m >= 10) return 3;
  if (m >= 1) return 4;
  return 5;
}

function table(caption: string, head: string[], rows: string[], cls = ''): string {
  return (
    `<div class="table-wrap"><table${cls ? ` class="${cls}"` : ''}><caption>${caption}</caption>` +
    `<thead><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr></thead>` +
    `<tbody>${rows.join('')}</tbody></table></div>`
  );
}

function gap(
  a: number | null | undefined,
  b: number | null | undefined,
): { abs: number | null; rel: number | null } {
  if (
    a === null ||
    a === undefined ||
    b === null ||
    b === undefined ||
    !Number.isFinite(a) ||
    !Number.isFinite(b)
  ) {
    return { abs: null, rel: null };
  }
  return { abs: a - b, rel: b !== 0 ? (a - b) / Math.abs(b) : null };
}

function pct(v: number | null): string {
  return v === null ? '–' : `${v >= 0 ? '+' : ''}${(100 * v).toFixed(2)} %`;
}

export function designVariablesTable(rows: NonNullable<ReportTables['designVariables']>): string {
  const body = rows.map((r) => {
    const atBound =
      (r.lower !== undefined &&
        r.lower !== null &&
        Math.abs(r.final - r.lower) <= 1e-9 * (1 + Math.abs(r.lower))) ||
      (r.upper !== undefined &&
        r.upper !== null &&
        Math.abs(r.final - r.upper) <= 1e-9 * (1 + Math.abs(r.upper)));
    return (
      `<tr><th scope="row">${escapeHtml(r.name)}</th>${numCell(r.baseline, 5)}${numCell(r.final, 5, atBound ? 'bound' : '')}` +
      `${numCell(r.final - r.baseline, 5)}${numCell(r.lower, 5)}${numCell(r.upper, 5)}</tr>`
    );
  });
  return table(
    'Design variables (highlighted: final value at a bound)',
    ['variable', 'baseline', 'final', 'change', 'lower bound', 'upper bound'],
    body,
  );
}

export function metricsTable(rows: MetricRow[]): string {
  const present = MODELS.filter((m) => rows.some((r) => r.baseline?.[m] != null || r.final?.[m] != null));
  const head = [
    'metric',
    ...present.map((m) => `baseline<br>${MODEL_HEAD[m]}`),
    ...present.map((m) => `final<br>${MODEL_HEAD[m]}`),
  ];
  const gapCols: ModelName[] = present.filter((m) => m !== 'solver' && present.includes('solver'));
  for (const m of gapCols) head.push(`final gap<br>${MODEL_HEAD[m]} − solver`);
  const body = rows.map((r) => {
    const vals = (v: ModelValues | undefined) => present.map((m) => v?.[m]);
    const dec = metricDecimals([...vals(r.baseline), ...vals(r.final)]);
    const cells = [...vals(r.baseline), ...vals(r.final)].map((v) => numCell(v, dec)).join('');
    const gaps = gapCols
      .map((m) => {
        const g = gap(r.final?.[m], r.final?.solver);
        const big = g.rel !== null && Math.abs(g.rel) > 0.03 ? ' warn' : '';
        return `<td class="num${big}">${escapeHtml(g.abs === null ? '–' : `${fmt(g.abs, dec)} (${pct(g.rel)})`)}</td>`;
      })
      .join('');
    const unit = r.unit ? ` <span class="unit">[${escapeHtml(r.unit)}]</span>` : '';
    return `<tr><th scope="row">${escapeHtml(r.name)}${unit}</th>${cells}${gaps}</tr>`;
  });
  return table('Metrics by model (gaps: relative to the solver; highlighted above 3 %)', head, body);
}

/** Margin of a constraint for the final (or baseline) design: positive when satisfied by that much. */
export function constraintMargin(r: ConstraintRow, which: 'final' | 'baseline' = 'final'): number | null {
  const given = which === 'final' ? r.margin : r.baselineMargin;
  if (given !== undefined && given !== null) return given;
  const v = which === 'final' ? r.final : r.baseline;
  if (
    v === null ||
    v === undefined ||
    !Number.isFinite(v) ||
    r.bound === null ||
    r.bound === undefined ||
    !r.kind
  ) {
    return null;
  }
  if (r.kind === '>=') return v - r.bound;
  if (r.kind === '<=') return r.bound - v;
  return -Math.abs(v - r.bound);
}

export function constraintsTable(rows: ConstraintRow[]): string {
  const hasValues = rows.some((r) => r.final !== undefined || r.baseline !== undefined);
  const hasBound = rows.some((r) => r.bound !== undefined && r.bound !== null);
  const body = rows.map((r) => {
    const mb = constraintMargin(r, 'baseline');
    const m = constraintMargin(r, 'final');
    const tol = r.tolerance ?? 1e-4;
    const ok = r.satisfied ?? (m === null ? null : m >= -tol);
    const status = ok === null ? '–' : ok ? '✓ met' : '✗ violated';
    const kind = r.kind ? (r.kind === '=' ? '=' : r.kind === '>=' ? '≥' : '≤') : '';
    const bound = hasBound ? `<td class="num">${escapeHtml(kind)}</td>${numCell(r.bound, 5)}` : '';
    const values = hasValues ? `${numCell(r.baseline, 5)}${numCell(r.final, 5)}` : '';
    return (
      `<tr><th scope="row">${escapeHtml(r.name)}</th>${bound}${values}${numCell(mb, 6)}${numCell(m, 6)}` +
      `<td class="${ok === null ? '' : ok ? 'ok' : 'bad'}">${status}</td><td>${escapeHtml(r.model ? MODEL_HEAD[r.model] : '')}</td></tr>`
    );
  });
  return table(
    'Constraints (margin > 0: satisfied by that much)',
    [
      'constraint',
      ...(hasBound ? ['', 'bound'] : []),
      ...(hasValues ? ['baseline', 'final'] : []),
      'baseline margin',
      'final margin',
      'status',
      'model',
    ],
    body,
  );
}

/** Flattens a JSON value into (dotted path, printable value) pairs. */
export function flattenConfig(value: unknown, prefix = '', out: [string, string][] = []): [string, string][] {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const entries = Object.entries(value as Record<string, unknown>);
    if (!entries.length) out.push([prefix || '(root)', '{}']);
    for (const [k, v] of entries) flattenConfig(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (Array.isArray(value) && value.some((v) => v !== null && typeof v === 'object')) {
    value.forEach((v, i) => flattenConfig(v, `${prefix}[${i}]`, out));
    if (!value.length) out.push([prefix, '[]']);
  } else {
    out.push([prefix || '(value)', typeof value === 'string' ? value : JSON.stringify(value)]);
  }
  return out;
}

export function configTable(config: unknown): string {
  const rows = flattenConfig(config).map(
    ([k, v]) =>
      `<tr><th scope="row"><code>${escapeHtml(k)}</code></th><td><code>${escapeHtml(v)}</code></td></tr>`,
  );
  return table('Run configuration', ['field', 'value'], rows, 'kv');
}

export function versionsTable(versions: Record<string, string>): string {
  const rows = Object.entries(versions).map(
    ([k, v]) => `<tr><th scope="row">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`,
  );
  return table('Versions', ['component', 'version'], rows, 'kv');
}

export function timingsTable(timings: { phase: string; seconds: number }[]): string {
  const total = timings.reduce((a, t) => a + (Number.isFinite(t.seconds) ? t.seconds : 0), 0);
  const rows = timings.map(
    (t) =>
      `<tr><th scope="row">${escapeHtml(t.phase)}</th>${numCell(t.seconds, 2)}<td class="num">${total > 0 ? `${((100 * t.seconds) / total).toFixed(1)} %` : '–'}</td></tr>`,
  );
  rows.push(
    `<tr class="total"><th scope="row">total</th>${numCell(total, 2)}<td class="num">100 %</td></tr>`,
  );
  return table('Timings', ['phase', 'wall time [s]', 'share'], rows);
}

export function genericTable(t: GenericTable): string {
  // decimals per column from its largest magnitude (L/D ~ 100 and Cd ~ 0.006 side by side)
  const decimals = t.columns.map((_, j) =>
    metricDecimals(t.rows.map((r) => (typeof r[j] === 'number' ? (r[j] as number) : null))),
  );
  const rows = t.rows.map(
    (r) =>
      `<tr>${r
        .map((v, j) =>
          typeof v === 'number'
            ? Number.isInteger(v)
              ? `<td class="num">${v}</td>`
              : numCell(v, decimals[j])
            : `<td>${escapeHtml(v === null ? '–' : String(v))}</td>`,
        )
        .join('')}</tr>`,
  );
  return table(escapeHtml(t.title), t.columns.map(escapeHtml), rows);
}
