/**
 * Generated reports opened in headless Chromium (Debian's chromium + playwright-core, network
 * blocked): no console error, no request leaving the file, every figure drawn with its traces, a
 * hostile airfoil name shown as text without running anything; screenshots are saved to a temporary
 * directory (printed). Needs /usr/bin/chromium (.ci/run installs it): without it the suite fails under
 * CI=true and is skipped with a warning elsewhere.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { writeAnalysisReport, writeRunReport } from '../../src/cli/report-data';
import { analyze } from '../../src/flow';
import { loadAirfoil } from '../../src/geometry/lookup';
import { MAX_REPORT_BYTES, writeReport } from '../../src/report';
import {
  chromiumAvailable,
  CHROMIUM,
  launchBrowser,
  openReport,
  plotSummary,
  screenshotDir,
  type OpenedReport,
} from './browser-helpers';
import { SWEEP, syntheticOptimization, writeSyntheticRunDir } from './fixtures';

const HOSTILE = '<img src=x onerror=alert(1)>';
const available = chromiumAvailable();
if (!available) {
  if (process.env.CI)
    throw new Error(
      `${CHROMIUM} is missing: .ci/run installs Debian's chromium (apt-get install -y chromium)`,
    );
  console.warn(`report browser tests skipped: ${CHROMIUM} not found (apt-get install -y chromium)`);
}
const describeBrowser = available ? describe : describe.skip;

describeBrowser('reports in headless Chromium (network blocked)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'foilopt-report-test-'));
  const files = {
    analysis: path.join(dir, 'analysis.html'),
    run: path.join(dir, 'run.html'),
    synthetic: path.join(dir, 'synthetic.html'),
    hostile: path.join(dir, 'hostile.html'),
  };
  let close: () => Promise<void> = async () => undefined;
  let context: Awaited<ReturnType<typeof launchBrowser>>['browser'];
  const opened: Record<string, OpenedReport> = {};

  beforeAll(async () => {
    // analysis report of NACA 2412
    const airfoil = loadAirfoil('naca2412');
    writeAnalysisReport(files.analysis, {
      airfoil,
      conditions: { re: 1e6 },
      solver: analyze(airfoil, { re: 1e6, alphaDeg: SWEEP }),
      field: { nx: 61, ny: 37 },
    });
    // an optimizer run directory through the collector
    const runDir = path.join(dir, 'run');
    writeSyntheticRunDir(runDir);
    writeRunReport(runDir, { out: files.run, field: { nx: 61, ny: 37 }, iterates: 3 });
    // every figure kind: operator (dashed) and XFOIL curves, multi-start convergence
    writeReport(files.synthetic, syntheticOptimization({ nx: 61, ny: 37 }));
    // an airfoil file whose name line is an HTML injection attempt
    const dat = path.join(dir, 'hostile.dat');
    const naca = loadAirfoil('naca0012');
    fs.writeFileSync(
      dat,
      `${HOSTILE}\n${Array.from(naca.x, (x, i) => `${x.toFixed(6)} ${naca.y[i].toFixed(6)}`).join('\n')}\n`,
    );
    const hostile = loadAirfoil(dat);
    expect(hostile.name).toBe(HOSTILE);
    writeAnalysisReport(files.hostile, {
      airfoil: hostile,
      conditions: { re: 1e6 },
      solver: analyze(hostile, { re: 1e6, alphaDeg: [0, 4] }),
      field: { nx: 41, ny: 25, streamlines: 5 },
      title: `${HOSTILE}</script><script>alert(2)</script>`,
    });
    const b = await launchBrowser();
    context = b.browser;
    close = b.close;
    for (const [k, f] of Object.entries(files)) opened[k] = await openReport(context, f);
  }, 120000);

  afterAll(async () => {
    await close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test.each(Object.keys(files))(
    '%s: ≤ 6 MB, renders, no console error, nothing leaves the file',
    async (k) => {
      const file = files[k as keyof typeof files];
      expect(fs.statSync(file).size).toBeLessThanOrEqual(MAX_REPORT_BYTES);
      const o = opened[k];
      expect(o.errors).toEqual([]);
      expect({ state: o.state, waitError: o.waitError }).toEqual({ state: 'rendered', waitError: undefined });
      expect(o.blocked).toEqual([]);
      expect(o.requests.every((u) => u.startsWith('file://') && u.endsWith(path.basename(file)))).toBe(true);
      expect(o.dialogs).toEqual([]);
      const plots = await plotSummary(o.page);
      expect(plots.length).toBe(o.info!.figures);
      for (const p of plots) {
        expect({ id: p.id, drawn: p.drawn, svg: p.svg }).toEqual({ id: p.id, drawn: p.expected, svg: true });
      }
      const shot = path.join(screenshotDir(), `${k}.png`);
      await o.page.screenshot({ path: shot, fullPage: true });
      expect(fs.statSync(shot).size).toBeGreaterThan(10000);
    },
  );

  test('the reports have the figures their data asks for', async () => {
    const ids = async (k: string) => (await plotSummary(opened[k].page)).map((p) => p.id);
    // analysis: the selected angles overlaid in one Cp and one boundary-layer figure
    expect(await ids('analysis')).toEqual([
      'fig-shape',
      'fig-thickness-camber',
      'fig-cp',
      'fig-bl',
      'fig-polars',
      'fig-field',
    ]);
    expect(await ids('run')).toEqual([
      'fig-shape',
      'fig-thickness-camber',
      'fig-cp-0',
      'fig-bl-0',
      'fig-polars',
      'fig-convergence',
      'fig-field',
    ]);
    // two design points: Cp as small multiples, one boundary-layer figure with a design-point menu
    expect(await ids('synthetic')).toEqual([
      'fig-shape',
      'fig-thickness-camber',
      'fig-cp',
      'fig-bl',
      'fig-polars',
      'fig-convergence',
      'fig-field',
    ]);
    // the shapes keep equal axis scales as drawn: one x unit spans as many pixels as one y unit
    const scale = (await opened.synthetic.page.evaluate(
      `(() => { const l = document.getElementById('fig-shape')._fullLayout; return [l.xaxis._m, l.yaxis._m]; })()`,
    )) as number[];
    expect(Math.abs(scale[0]) / Math.abs(scale[1])).toBeCloseTo(1, 3);
  });

  test('the design-point menu of the boundary-layer figure switches to the second point', async () => {
    const page = opened.synthetic.page;
    const shown = async () =>
      (await page.evaluate(
        `[...new Set(document.getElementById('fig-bl')._fullData.filter((t) => t.visible === true).map((t) => t.meta))]`,
      )) as number[];
    expect(await shown()).toEqual([0]);
    await page.click('#fig-bl .updatemenu-header-group');
    await page.locator('#fig-bl .updatemenu-dropdown-button').nth(1).click();
    await page.waitForTimeout(200);
    expect(await shown()).toEqual([1]);
    expect(opened.synthetic.errors).toEqual([]);
  });

  test('a hostile airfoil name shows as text and runs nothing', async () => {
    const o = opened.hostile;
    expect(o.dialogs).toEqual([]);
    const page = o.page;
    // give an onerror handler a chance to fire, then look again
    await page.waitForTimeout(300);
    expect(o.dialogs).toEqual([]);
    expect(await page.evaluate(`document.querySelectorAll('img').length`)).toBe(0);
    expect(await page.locator('h1').textContent()).toBe(`${HOSTILE}</script><script>alert(2)</script>`);
    // the name is visible as text in the legend of the shape figure and in the tables
    const legend = await page.evaluate(
      `Array.from(document.querySelectorAll('#fig-shape .legendtext')).map((e) => e.textContent)`,
    );
    expect(legend).toContain(HOSTILE);
    expect(await page.locator('table', { hasText: HOSTILE }).count()).toBeGreaterThan(0);
    expect(await page.evaluate(`document.body.innerText.includes(${JSON.stringify(HOSTILE)})`)).toBe(true);
  });
});
