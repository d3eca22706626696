/**
 * `foilopt dataset info DIR`: what a dataset directory holds — a complete dataset (counts,
 * convergence rate, value ranges, every shard verified), the unmerged outputs of a split run, or a run
 * in progress (shards and checkpointed chunks so far).
 */
import * as fs from 'fs';
import * as path from 'path';
import { FoiloptError } from '../errors';
import { recordBytes } from './cases';
import { resolveConfig } from './config';
import { readRunRecord } from './generate';
import {
  addStats,
  emptyStats,
  jobShards,
  shardCount,
  shardRange,
  type CaseStats,
  type DatasetManifest,
  type Range,
} from './manifest';
import { findManifests } from './merge';
import { openDataset, verifyDataset } from './read';
import { SHAPE_FAMILIES } from './shapes';

/** Summary of a dataset directory. */
export interface DatasetInfo {
  dir: string;
  /** complete: manifest.json; jobs: job manifests only (merge them); in-progress: run.json only */
  status: 'complete' | 'jobs' | 'in-progress';
  nCases: number;
  seed: number;
  evaluator: string;
  nodes: number;
  shardsTotal: number;
  /** shards listed in the manifest(s), or finished shard files of a run in progress */
  shardsPresent: number;
  /** cases in those shards (plus checkpointed chunks of a run in progress) */
  casesPresent: number;
  /** bytes of the shard files */
  bytes: number;
  /** problems found by verification (empty = all shards good); null when not verified */
  problems: string[] | null;
  /** for complete datasets and job outputs */
  totals?: CaseStats & { convergenceRate: number | null };
  /** configured condition ranges */
  configuredRanges: {
    alphaDeg: [number, number];
    re: [number, number];
    mach: [number, number];
    nCrit: [number, number];
    forcedFraction: number;
  };
  /** job manifests found (status "jobs") */
  jobs?: { index: number; count: number }[];
}

/** Information about a dataset directory; `verify` checks every shard's checksum (default true). */
export function datasetInfo(dir: string, verify = true): DatasetInfo {
  if (!fs.existsSync(dir)) throw new FoiloptError('no such dataset directory', { file: dir });
  const manifests = findManifests(dir);
  const full = manifests.find((m) => path.basename(m.file) === 'manifest.json');
  if (full) {
    const h = openDataset(dir);
    return fromManifests(dir, 'complete', [h.manifest], verify ? verifyDataset(h) : null);
  }
  if (manifests.length) {
    return fromManifests(
      dir,
      'jobs',
      manifests.map((m) => m.manifest),
      null,
    );
  }
  const run = readRunRecord(dir);
  if (!run)
    throw new FoiloptError('not a foilopt dataset directory (no manifest.json, job manifest or run.json)', {
      file: dir,
    });
  const config = resolveConfig(run.config);
  const total = shardCount(run.nCases, config.casesPerShard);
  let shardsPresent = 0;
  let casesPresent = 0;
  let bytes = 0;
  for (const k of jobShards(total, null)) {
    const f = path.join(dir, `shard-${String(k).padStart(5, '0')}.bin`);
    if (fs.existsSync(f)) {
      shardsPresent++;
      casesPresent += shardRange(run.nCases, config.casesPerShard, k).count;
      bytes += fs.statSync(f).size;
    }
  }
  const partial = path.join(dir, '.partial');
  if (fs.existsSync(partial)) {
    for (const s of fs.readdirSync(partial)) {
      for (const c of fs.readdirSync(path.join(partial, s))) {
        if (c.endsWith('.bin'))
          casesPresent += Math.floor(fs.statSync(path.join(partial, s, c)).size / recordBytes(config));
      }
    }
  }
  return {
    dir,
    status: 'in-progress',
    nCases: run.nCases,
    seed: run.seed,
    evaluator: run.evaluator,
    nodes: config.panels,
    shardsTotal: total,
    shardsPresent,
    casesPresent,
    bytes,
    problems: null,
    configuredRanges: configured(config),
  };
}

function configured(c: DatasetManifest['config']): DatasetInfo['configuredRanges'] {
  const k = c.conditions;
  return {
    alphaDeg: k.alphaDeg,
    re: k.re,
    mach: k.mach,
    nCrit: k.nCrit,
    forcedFraction: k.forcedTransition.fraction,
  };
}

function fromManifests(
  dir: string,
  status: 'complete' | 'jobs',
  ms: DatasetManifest[],
  problems: string[] | null,
): DatasetInfo {
  const m = ms[0];
  const shards = new Map(ms.flatMap((x) => x.shards.map((e) => [e.index, e] as const)));
  let totals: CaseStats | undefined;
  let bytes = 0;
  let cases = 0;
  for (const e of [...shards.values()].sort((a, b) => a.index - b.index)) {
    bytes += e.bytes;
    cases += e.cases;
  }
  if (status === 'complete') totals = m.totals;
  else {
    // totals over the distinct shards of all job manifests
    totals = [...shards.values()]
      .sort((a, b) => a.index - b.index)
      .reduce((s, e) => addStats(s, e.stats), emptyStats());
  }
  return {
    dir,
    status,
    nCases: m.nCases,
    seed: m.seed,
    evaluator: m.evaluator,
    nodes: m.nodes,
    shardsTotal: m.shardCount,
    shardsPresent: shards.size,
    casesPresent: cases,
    bytes,
    problems,
    totals: totals && { ...totals, convergenceRate: totals.cases ? totals.converged / totals.cases : null },
    configuredRanges: configured(m.config),
    jobs: status === 'jobs' ? ms.map((x) => x.job!).filter(Boolean) : undefined,
  };
}

function fmtRange(r: Range | [number, number], digits = 4): string {
  if (!r) return '-';
  const f = (v: number) =>
    Math.abs(v) >= 1e4 || (v !== 0 && Math.abs(v) < 1e-3)
      ? v.toExponential(2)
      : Number(v.toPrecision(digits)).toString();
  return `${f(r[0])} .. ${f(r[1])}`;
}

function pct(a: number, b: number): string {
  return b ? `${((100 * a) / b).toFixed(1)}%` : '-';
}

/** Human-readable text of datasetInfo. */
export function formatInfo(i: DatasetInfo): string {
  const L: string[] = [];
  const statusText =
    i.status === 'complete'
      ? 'complete'
      : i.status === 'jobs'
        ? `job outputs of a split run (jobs ${i.jobs?.map((j) => `${j.index}/${j.count}`).join(', ')}); merge them with foilopt dataset merge`
        : 'run in progress (resume with foilopt dataset --resume)';
  L.push(`dataset ${i.dir}: ${statusText}`);
  L.push(
    `  cases          ${i.casesPresent} of ${i.nCases}   shards ${i.shardsPresent} of ${i.shardsTotal}   ${(i.bytes / 1048576).toFixed(1)} MB`,
  );
  L.push(`  seed ${i.seed}   nodes ${i.nodes}   evaluator ${i.evaluator}`);
  if (i.problems)
    L.push(
      i.problems.length
        ? `  VERIFY FAILED: ${i.problems.length} bad shard(s):`
        : '  checksums      all shards verified (sha256)',
    );
  for (const p of i.problems ?? []) L.push(`    ${p}`);
  const t = i.totals;
  if (t) {
    L.push(
      `  converged      ${t.converged} of ${t.cases} (${pct(t.converged, t.cases)})   mean iterations ${t.converged ? (t.iterationsConverged / t.converged).toFixed(1) : '-'}`,
    );
    L.push(
      `  by family      ${SHAPE_FAMILIES.map((f) => `${f} ${t.byFamily[f].cases} (${pct(t.byFamily[f].converged, t.byFamily[f].cases)} conv.)`).join(', ')}`,
    );
    L.push(
      `  tripped        ${t.tripped}   perturbed CST ${t.perturbed}   with surface data ${t.withSurface}   converged by retry ${t.retried}   evaluator errors ${t.errors}`,
    );
    L.push('  conditions (all cases)       configured');
    const c = i.configuredRanges;
    for (const f of ['alphaDeg', 're', 'mach', 'nCrit'] as const) {
      L.push(`    ${f.padEnd(9)} ${fmtRange(t.conditions[f]).padEnd(20)} ${fmtRange(c[f])}`);
    }
    L.push('  results (converged cases)');
    for (const f of ['cl', 'cd', 'cdp', 'cdf', 'cm', 'xtrTop', 'xtrBot'] as const)
      L.push(`    ${f.padEnd(9)} ${fmtRange(t.results[f])}`);
  }
  return L.join('\n') + '\n';
}
