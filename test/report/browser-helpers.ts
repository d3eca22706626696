/**
 * Opening a report in headless Chromium (Debian's chromium driven by playwright-core; never a
 * downloaded browser) with the network blocked: every request other than the report file itself is
 * aborted and recorded. Shared by test/report/browser.test.ts and bench/report.ts.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import type { Browser, BrowserContext, Page } from 'playwright-core';

/** The browser executable (FOILOPT_CHROMIUM overrides /usr/bin/chromium). */
export const CHROMIUM = process.env.FOILOPT_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
];

export function chromiumAvailable(): boolean {
  return fs.existsSync(CHROMIUM);
}

/** Launches Chromium with a fresh user-data directory (removed by closeBrowser). */
export async function launchBrowser(): Promise<{ browser: BrowserContext; close: () => Promise<void> }> {
  const { chromium } = await import('playwright-core');
  const userData = fs.mkdtempSync(path.join(os.tmpdir(), 'foilopt-chromium-'));
  const browser = await chromium.launchPersistentContext(userData, {
    executablePath: CHROMIUM,
    args: CHROMIUM_FLAGS,
    headless: true,
    viewport: { width: 1440, height: 900 },
    offline: true,
  });
  return {
    browser,
    close: async () => {
      await browser.close();
      fs.rmSync(userData, { recursive: true, force: true });
    },
  };
}

/** What happened while a report opened. */
export interface OpenedReport {
  page: Page;
  /** final state of <html data-report-state> ('rendered', 'error', or 'loading' on timeout) */
  state: string;
  /** console messages of type error, and uncaught page errors */
  errors: string[];
  /** every request URL the page made (the report file itself included) */
  requests: string[];
  /** requests that were aborted because they leave the file */
  blocked: string[];
  /** JavaScript dialogs (alert, confirm, prompt) that opened */
  dialogs: string[];
  /** wall time from navigation start to the rendered state, ms */
  wallMs: number;
  /** why waiting for the rendered state failed (timeout or a page error), when it did */
  waitError?: string;
  /** window.foiloptReport: figures, traces, plotlyMs, renderMs (page clock), figureMs */
  info: {
    figures: number;
    traces: number;
    plotlyMs: number;
    renderMs: number;
    figureMs: Record<string, number>;
  } | null;
}

/** Opens `file` in a new page with the network blocked and waits until the report has drawn (or failed). */
export async function openReport(
  context: BrowserContext,
  file: string,
  timeoutMs = 30000,
): Promise<OpenedReport> {
  const url = pathToFileURL(path.resolve(file)).href;
  const page = await context.newPage();
  const errors: string[] = [];
  const requests: string[] = [];
  const blocked: string[] = [];
  const dialogs: string[] = [];
  await page.route('**/*', (route) => {
    const u = route.request().url();
    if (u === url) return route.continue();
    blocked.push(u);
    return route.abort('blockedbyclient');
  });
  page.on('request', (r) => requests.push(r.url()));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('dialog', (d) => {
    dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
  const t0 = Date.now();
  await page.goto(url);
  let state = 'loading';
  let waitError: string | undefined;
  // (page code as strings: the project compiles without the DOM library)
  try {
    await page.waitForFunction(
      `document.documentElement.getAttribute('data-report-state') !== 'loading'`,
      null,
      {
        timeout: timeoutMs,
        polling: 20,
      },
    );
    state = String(await page.evaluate(`document.documentElement.getAttribute('data-report-state')`));
  } catch (e) {
    state = 'loading';
    waitError = (e as Error).message.split('\n')[0];
  }
  const wallMs = Date.now() - t0;
  const info = (await page.evaluate('window.foiloptReport ?? null')) as OpenedReport['info'];
  return { page, state, errors, requests, blocked, dialogs, wallMs, info, waitError };
}

/** Per plot container: id, expected traces (data-traces), drawn traces, and whether an SVG exists. */
export async function plotSummary(
  page: Page,
): Promise<{ id: string; expected: number; drawn: number; svg: boolean }[]> {
  return (await page.evaluate(`Array.from(document.querySelectorAll('.plot')).map((el) => ({
    id: el.id,
    expected: Number(el.dataset.traces),
    drawn: el.classList.contains('js-plotly-plot') && el._fullData ? el._fullData.length : -1,
    svg: el.querySelector('svg.main-svg') !== null,
  }))`)) as { id: string; expected: number; drawn: number; svg: boolean }[];
}

/** Screenshot directory (temporary, outside the repository). */
export function screenshotDir(): string {
  const dir = path.join(os.tmpdir(), 'foilopt-report-screenshots');
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

export type { Browser };
