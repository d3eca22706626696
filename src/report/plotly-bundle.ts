/**
 * plotly.js for the self-contained report, built from the installed `plotly.js-dist` (which ships
 * only the unminified full bundle, plotly.js, 11 MB):
 *
 * 1. partial bundle: the bundle's trace registration (lib/index.js: `Plotly.register([...])`) is cut
 *    down to the trace types the report draws (scatter, which the core registers, and contour), like
 *    plotly's own partial bundles. The other trace modules are then never initialized: the script
 *    runs in about a third of the time (0.27–0.30 s against 0.81–0.91 s in a bare test page in
 *    headless Chromium on the project machine). When the registration cannot be found (another plotly.js layout), the full
 *    bundle is used;
 * 2. minified with @swc/core (identifier mangling, no compressor transforms; 4.9 MB) when it is
 *    installed, else the source as it is;
 * 3. gzip, embedded as base64; the page inflates it with the browser's DecompressionStream, so no
 *    request ever leaves the file.
 *
 * The result is cached per plotly version, source checksum and variant in node_modules/.cache/foilopt
 * (override with FOILOPT_CACHE_DIR): minifying takes a few seconds, once per machine.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { gunzipSync, gzipSync } from 'zlib';
import { writeFileAtomic } from '../dataset/files';
import { FoiloptError } from '../errors';

export interface PlotlyBundle {
  /** plotly.js version */
  version: string;
  /** true when the code was minified (else the unminified source is embedded) */
  minified: boolean;
  /** trace types registered (null: the full bundle) */
  traces: string[] | null;
  /** gzip of the JavaScript, base64 */
  gzipBase64: string;
  /** CSP source of the JavaScript text ('sha256-<base64>'): the page allows exactly this script */
  cspHash: string;
}

let cached: PlotlyBundle | null = null;

function plotlyFiles(): { dir: string; file: string; version: string } {
  let pkgJson: string;
  try {
    pkgJson = require.resolve('plotly.js-dist/package.json');
  } catch {
    throw new FoiloptError('the report needs the npm package plotly.js-dist (npm ci installs it)');
  }
  const dir = path.dirname(pkgJson);
  const version = String((JSON.parse(fs.readFileSync(pkgJson, 'utf8')) as { version?: string }).version);
  return { dir, file: path.join(dir, 'plotly.js'), version };
}

/** Directory of the minified-bundle cache. */
export function cacheDir(plotlyDir: string): string {
  return process.env.FOILOPT_CACHE_DIR || path.join(path.dirname(plotlyDir), '.cache', 'foilopt');
}

/** Content-Security-Policy hash source of a script text (UTF-8 bytes). */
export function cspHash(text: Buffer | string): string {
  return `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
}

/** Trace modules the report registers (scatter is part of plotly's core). */
export const REPORT_TRACES = ['contour'];

/**
 * The bundle source with only REPORT_TRACES registered, or null when the registration list of
 * lib/index.js is not found or lacks one of them.
 */
export function partialSource(source: string, traces: readonly string[] = REPORT_TRACES): string | null {
  const re =
    /(var Plotly = (require_core\d*)\(\);\s*Plotly\.register\(\[)([^\]]*)(\]\);\s*module\.exports = Plotly;)/;
  const m = re.exec(source);
  if (!m) return null;
  const entries = m[3].split(',').map((e) => e.replace(/\/\/[^\n]*/g, '').trim());
  const keep: string[] = [];
  for (const t of traces) {
    const call = entries.find((e) => new RegExp(`^require_${t}\\d*\\(\\)$`).test(e));
    if (!call) return null;
    keep.push(call);
  }
  return source.slice(0, m.index) + m[1] + keep.join(', ') + m[4] + source.slice(m.index + m[0].length);
}

/** Minifies with @swc/core when it is installed; null otherwise. */
function minify(source: string): string | null {
  let swc: { minifySync?: (code: string, opts: object) => { code: string } };
  try {
    swc = require('@swc/core');
  } catch {
    return null;
  }
  if (typeof swc.minifySync !== 'function') return null;
  return swc.minifySync(source, { compress: false, mangle: true, format: { comments: false } }).code;
}

/**
 * The plotly bundle to inline (minified and compressed; cached on disk and in the process).
 * `minify: false` skips the minifier (the unminified source, compressed).
 */
export function plotlyBundle(opts: { minify?: boolean } = {}): PlotlyBundle {
  const wantMinified = opts.minify ?? true;
  if (cached && cached.minified === wantMinified) return cached;
  const { dir, file, version } = plotlyFiles();
  const raw = fs.readFileSync(file, 'utf8');
  const partial = partialSource(raw);
  const source = partial ?? raw;
  const traces = partial ? [...REPORT_TRACES] : null;
  const sum = createHash('sha256').update(raw).digest('hex').slice(0, 16);
  const variant = traces ? `-${traces.join('-')}` : '-full';
  const cacheFile = path.join(cacheDir(dir), `plotly-${version}-${sum}${variant}.min.js.gz`);
  let bundle: PlotlyBundle | null = null;
  if (wantMinified) {
    try {
      const gz = fs.readFileSync(cacheFile);
      bundle = {
        version,
        minified: true,
        traces,
        gzipBase64: gz.toString('base64'),
        cspHash: cspHash(gunzipSync(gz)),
      };
    } catch {
      const min = minify(source);
      if (min !== null) {
        const gz = gzipSync(Buffer.from(min, 'utf8'), { level: 9 });
        try {
          fs.mkdirSync(path.dirname(cacheFile), { recursive: true });
          writeFileAtomic(cacheFile, gz);
        } catch {
          // an unwritable cache only costs the minification next time
        }
        bundle = {
          version,
          minified: true,
          traces,
          gzipBase64: gz.toString('base64'),
          cspHash: cspHash(min),
        };
      }
    }
  }
  if (!bundle) {
    const gz = gzipSync(Buffer.from(source, 'utf8'), { level: 9 });
    bundle = {
      version,
      minified: false,
      traces,
      gzipBase64: gz.toString('base64'),
      cspHash: cspHash(source),
    };
  }
  cached = bundle;
  return bundle;
}
