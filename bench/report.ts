/**
 * bench:report — the report's acceptance figures (issue 10): file size (<= 6 MB) and the time from
 * opening the file to every figure drawn (< 2 s) in headless Chromium (Debian's /usr/bin/chromium via
 * playwright-core, network blocked), for
 *   - the analysis report of `foilopt analyze naca2412 --re 1e6 --alpha -4:12:1 --report`
 *     (default flow-field grid 161 x 97),
 *   - an optimization report: `foilopt report <run-dir>` of a run directory (--run DIR; default a
 *     synthetic run directory written by test/report/fixtures.ts).
 * Each report is opened --runs times (default 5), each time in a freshly launched browser with a new
 * profile (cold cache; the launch is not timed). Time = navigation start to <html
 * data-report-state="rendered"> (set after the last Plotly.newPlot resolved), measured by the page
 * clock; the wall time seen from Node is printed too. Output: bench/out/report.json.
 *
 *   npm run bench:report [-- --runs N] [-- --run runs/max-ld]
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { analyze } from '../src/flow';
import { loadAirfoil } from '../src/geometry/lookup';
import { writeAnalysisReport, writeRunReport } from '../src/cli/report-data';
import { MAX_REPORT_BYTES, plotlyBundle } from '../src/report';
import {
  chromiumAvailable,
  CHROMIUM,
  launchBrowser,
  openReport,
  plotSummary,
} from '../test/report/browser-helpers';
import { writeSyntheticRunDir } from '../test/report/fixtures';
import { percentile, writeBenchJson } from './common';

const LIMIT_MS = 2000;

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

interface Case {
  name: string;
  file: string;
  bytes: number;
  buildSeconds: number;
  runs: {
    pageMs: number;
    wallMs: number;
    plotlyMs: number;
    figures: number;
    traces: number;
    errors: number;
    blocked: number;
  }[];
}

async function main(): Promise<void> {
  if (!chromiumAvailable()) {
    console.error(`bench:report needs ${CHROMIUM} (apt-get install -y chromium)`);
    process.exit(1);
  }
  const runs = Number(arg('runs') ?? 5);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'foilopt-bench-report-'));
  const t0 = Date.now();
  const bundle = plotlyBundle();
  console.log(
    `plotly.js ${bundle.version}: ${bundle.minified ? 'minified' : 'unminified'}, traces ${bundle.traces?.join(', ') ?? 'all'}, ` +
      `${(bundle.gzipBase64.length / 1e6).toFixed(2)} MB base64 gzip (prepared in ${((Date.now() - t0) / 1000).toFixed(1)} s, cached afterwards)`,
  );

  const cases: Case[] = [];
  // 1. analysis report, as `foilopt analyze naca2412 --re 1e6 --alpha -4:12:1 --report`
  {
    const t = Date.now();
    const airfoil = loadAirfoil('naca2412');
    const alphas = Array.from({ length: 17 }, (_, i) => i - 4);
    const points = analyze(airfoil, { re: 1e6, alphaDeg: alphas });
    const file = path.join(dir, 'analyze-naca2412.html');
    const r = writeAnalysisReport(file, {
      airfoil,
      conditions: { re: 1e6 },
      solver: points,
      command: 'foilopt analyze naca2412 --re 1e6 --alpha -4:12:1 --report',
    });
    cases.push({
      name: 'analyze naca2412 --re 1e6 --alpha -4:12:1',
      file,
      bytes: r.bytes,
      buildSeconds: (Date.now() - t) / 1000,
      runs: [],
    });
  }
  // 2. optimization report of a run directory
  {
    const t = Date.now();
    let runDir = arg('run');
    let name = `report ${runDir}`;
    if (!runDir) {
      runDir = path.join(dir, 'run');
      writeSyntheticRunDir(runDir, 'synthetic run (bench)');
      name = 'report <synthetic run dir>';
    }
    const file = path.join(dir, 'run-report.html');
    const r = writeRunReport(runDir, { out: file });
    cases.push({ name, file, bytes: r.bytes, buildSeconds: (Date.now() - t) / 1000, runs: [] });
  }

  for (const c of cases) {
    for (let k = 0; k < runs; k++) {
      const b = await launchBrowser();
      try {
        const o = await openReport(b.browser, c.file);
        const plots = await plotSummary(o.page);
        const bad = plots.filter((p) => p.drawn !== p.expected || !p.svg);
        if (o.state !== 'rendered' || bad.length) {
          throw new Error(
            `${c.name}: state ${o.state} after ${o.wallMs} ms${o.waitError ? ` (${o.waitError})` : ''}, ` +
              `${bad.length} figures not drawn, errors: ${o.errors.join('; ') || 'none'}`,
          );
        }
        c.runs.push({
          pageMs: o.info!.renderMs,
          wallMs: o.wallMs,
          plotlyMs: o.info!.plotlyMs,
          figures: o.info!.figures,
          traces: o.info!.traces,
          errors: o.errors.length,
          blocked: o.blocked.length,
        });
      } finally {
        await b.close();
      }
    }
  }

  const load = os.loadavg();
  console.log(
    `\nmachine: ${os.cpus().length} cores, load average ${load.map((l) => l.toFixed(2)).join(' / ')} (1/5/15 min) at the end`,
  );
  console.log(
    'report                                          size MB  figures traces  open->rendered ms (median / max)  plotly ready ms  wall ms (median)  errors blocked',
  );
  let pass = true;
  const summary = cases.map((c) => {
    const page = c.runs.map((r) => r.pageMs);
    const wall = c.runs.map((r) => r.wallMs);
    const plotly = c.runs.map((r) => r.plotlyMs);
    const errors = c.runs.reduce((a, r) => a + r.errors, 0);
    const blocked = c.runs.reduce((a, r) => a + r.blocked, 0);
    const med = percentile(page, 0.5);
    const max = Math.max(...page);
    const ok = c.bytes <= MAX_REPORT_BYTES && max < LIMIT_MS && errors === 0 && blocked === 0;
    pass &&= ok;
    console.log(
      `${c.name.padEnd(48)}${(c.bytes / 1e6).toFixed(2).padStart(7)}  ${String(c.runs[0].figures).padStart(7)} ${String(c.runs[0].traces).padStart(6)}` +
        `  ${med.toFixed(0).padStart(14)} / ${max.toFixed(0).padEnd(17)}  ${percentile(plotly, 0.5).toFixed(0).padStart(15)}  ` +
        `${percentile(wall, 0.5).toFixed(0).padStart(16)}  ${String(errors).padStart(6)} ${String(blocked).padStart(7)}  ${ok ? 'PASS' : 'FAIL'}`,
    );
    return {
      name: c.name,
      bytes: c.bytes,
      buildSeconds: c.buildSeconds,
      runs: c.runs,
      medianRenderMs: med,
      maxRenderMs: max,
      pass: ok,
    };
  });
  console.log(
    `\nlimits: size <= ${MAX_REPORT_BYTES} bytes (6 MiB), open->rendered < ${LIMIT_MS} ms in every run; ${runs} runs each, fresh browser per run`,
  );
  const file = writeBenchJson('report', {
    date: new Date().toISOString(),
    node: process.version,
    chromium: CHROMIUM,
    plotly: {
      version: bundle.version,
      minified: bundle.minified,
      traces: bundle.traces,
      base64Bytes: bundle.gzipBase64.length,
    },
    loadAverage: load,
    cases: summary,
  });
  console.log(`written ${file}`);
  fs.rmSync(dir, { recursive: true, force: true });
  console.log(pass ? 'PASS' : 'FAIL');
  process.exitCode = pass ? 0 : 1;
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
