/**
 * The self-contained HTML report (see docs/report.md). It renders the ReportData it is given and
 * imports no model: producers (src/cli/report-data.ts, the optimizer) compute the data.
 */
import * as fs from 'fs';
import * as path from 'path';
import { writeFileAtomic } from '../dataset/files';
import { FoiloptError } from '../errors';
import { renderHtml } from './html';
import { plotlyBundle } from './plotly-bundle';
import type { ReportData } from './types';

export type * from './types';
export { buildFigures, type FigureSpec } from './figures';
export { escapeHtml } from './escape';
export { plotlyBundle, type PlotlyBundle } from './plotly-bundle';

/** Report size limit of the issue (bytes). */
export const MAX_REPORT_BYTES = 6 * 1024 * 1024;

export interface RenderOptions {
  /** minify plotly.js (default true; false embeds the unminified source) */
  minifyPlotly?: boolean;
}

/** The report HTML for `data`, and the number of plotly traces per figure id. */
export function renderReport(
  data: ReportData,
  opts: RenderOptions = {},
): { html: string; figures: { id: string; traces: number }[] } {
  const { html, figures } = renderHtml(data, plotlyBundle({ minify: opts.minifyPlotly }));
  return { html, figures: figures.map((f) => ({ id: f.id, traces: f.data.length })) };
}

/** Writes the report for `data` to `file` (atomically; directories created). Returns its size in bytes. */
export function writeReport(
  file: string,
  data: ReportData,
  opts: RenderOptions = {},
): { bytes: number; figures: number } {
  const { html, figures } = renderReport(data, opts);
  try {
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    writeFileAtomic(file, html);
  } catch (e) {
    throw new FoiloptError(`cannot write the report: ${(e as Error).message}`, { file });
  }
  return { bytes: Buffer.byteLength(html), figures: figures.length };
}
