/**
 * Training data of the operator: `foilopt dataset` directories -> in-memory arrays of raw input rows
 * (features.ts) and latent targets (forces, then the distributions at the stations). A directory may
 * be a merged dataset (manifest.json) or the output of --shard jobs (job manifests; the finished jobs
 * are used), so training can start on the jobs that are done. Every shard is verified (sha256) before
 * use.
 *
 * Latent targets: Cl, ln Cd, Cm, x_tr upper, x_tr lower; Cp at the Cp stations; ln theta, ln H and
 * 1000 Cf at the boundary-layer stations. NaN where the case did not converge (forces and fields) or
 * has no surface data (fields); NaN targets carry no loss, and non-converged cases train only the
 * confidence head (target: converged).
 */
import * as fs from 'fs';
import * as path from 'path';
import { FoiloptError } from '../errors';
import { JOB_MANIFEST_PATTERN } from '../dataset/files';
import { parseManifest, type DatasetManifest, type ShardEntry } from '../dataset/manifest';
import { decodeCase, readShardRecords, type DatasetHandle } from '../dataset/read';
import { recordWords } from '../dataset/layout';
import type { EncodingSpec } from './encoding';
import { createEncoder } from './encoders';
import { encodeConditions } from './features';
import { FORCE_OUTPUTS, inputCount, stationCount, targetCount } from './model';
import { interpolate, nodesToStations, stationSigma, type StationSpec } from './stations';

export interface DataSpec {
  encoding: EncodingSpec;
  cpStations: StationSpec;
  blStations: StationSpec;
}

export interface TrainingData {
  n: number;
  nIn: number;
  nT: number;
  /** raw input rows, n x nIn */
  inputs: Float32Array;
  /** latent targets, n x nT (NaN = no target) */
  targets: Float32Array;
  /** 1 when the solver converged */
  converged: Uint8Array;
  /** shape group of every row (same shape and conditions but alpha = same group): for splitting */
  group: Int32Array;
  /** whether the row's shape comes from a held-out airfoil (never: the generator excludes them) */
  sources: string[];
  /** dataset directories and how many rows each gave */
  parts: { dir: string; rows: number; shards: number; seed: number; polarPoints: number }[];
}

/** The shards of a dataset directory: its manifest's, or those of its finished --shard jobs. */
export function datasetShards(dir: string): { handle: DatasetHandle; shards: ShardEntry[] } {
  let files: string[];
  try {
    files = fs.readdirSync(dir);
  } catch {
    throw new FoiloptError('no such dataset directory', { file: dir });
  }
  const manifests = files.includes('manifest.json')
    ? ['manifest.json']
    : files.filter((f) => JOB_MANIFEST_PATTERN.test(f)).sort();
  if (manifests.length === 0)
    throw new FoiloptError('not a foilopt dataset (no manifest.json and no finished --shard job)', {
      file: dir,
    });
  let manifest: DatasetManifest | undefined;
  const byIndex = new Map<number, ShardEntry>();
  for (const f of manifests) {
    const file = path.join(dir, f);
    const m = parseManifest(fs.readFileSync(file, 'utf8'), file);
    manifest ??= m;
    for (const s of m.shards) byIndex.set(s.index, s);
  }
  const shards = [...byIndex.values()].sort((a, b) => a.index - b.index);
  const m = manifest!;
  return {
    handle: {
      dir,
      manifestFile: path.join(dir, manifests[0]),
      manifest: m,
      nodes: m.nodes,
      nCases: m.nCases,
    },
    shards,
  };
}

/** Loads datasets into training arrays. `onShard` reports progress (shards done, total). */
export function loadTrainingData(
  dirs: string[],
  spec: DataSpec,
  onShard?: (done: number, total: number) => void,
): TrainingData {
  const opened = dirs.map((d) => ({ dir: d, ...datasetShards(d) }));
  let rows = 0;
  for (const o of opened) for (const s of o.shards) rows += s.cases;
  const nIn = inputCount(spec);
  const nT = targetCount(spec);
  const inputs = new Float32Array(rows * nIn);
  const targets = new Float32Array(rows * nT).fill(NaN);
  const converged = new Uint8Array(rows);
  const group = new Int32Array(rows);
  const sources: string[] = [];
  const encoder = createEncoder(spec.encoding);
  const cpSt = stationSigma(spec.cpStations);
  const blSt = stationSigma(spec.blStations);
  const scp = stationCount(spec.cpStations);
  const sbl = stationCount(spec.blStations);
  const nf = FORCE_OUTPUTS.length;
  const geom = new Float32Array(encoder.featureCount);
  const tmp = new Float64Array(Math.max(scp, sbl));
  const totalShards = opened.reduce((s, o) => s + o.shards.length, 0);
  let shardsDone = 0;
  let r = 0;
  let groupBase = 0;
  const parts: TrainingData['parts'] = [];
  for (const o of opened) {
    const k = o.handle.manifest.config?.polarPoints ?? 1;
    const words = recordWords(o.handle.nodes);
    const first = r;
    let lastX: Float32Array | undefined;
    let lastY: Float32Array | undefined;
    let maxGroup = 0;
    for (const e of o.shards) {
      const { f32, u32, count } = readShardRecords(o.handle, e);
      for (let i = 0; i < count; i++, r++) {
        const c = decodeCase(o.handle.manifest, f32, u32, i * words);
        // geometry: reuse the encoding while the shape repeats (polar mode)
        if (!lastX || !sameArray(lastX, c.x) || !sameArray(lastY!, c.y)) {
          encoder.encode(c.x, c.y, geom);
          lastX = c.x;
          lastY = c.y;
        }
        inputs.set(geom, r * nIn);
        encodeConditions(
          {
            alphaDeg: c.alphaDeg,
            re: c.re,
            mach: c.mach,
            nCrit: c.nCrit,
            xtrTop: c.tripTop,
            xtrBot: c.tripBot,
          },
          inputs,
          r * nIn + encoder.featureCount,
        );
        const g = Math.floor(c.index / k);
        group[r] = groupBase + g;
        maxGroup = Math.max(maxGroup, g);
        sources.push(c.sourceName);
        converged[r] = c.converged ? 1 : 0;
        if (!c.converged || !(c.cd > 0)) continue;
        const t = r * nT;
        targets[t] = c.cl;
        targets[t + 1] = Math.log(c.cd);
        targets[t + 2] = c.cm;
        targets[t + 3] = c.xtrTop;
        targets[t + 4] = c.xtrBot;
        if (!c.hasSurface) continue;
        const ipCp = nodesToStations(c.x, cpSt);
        interpolate(ipCp, c.cp, targets, t + nf);
        const ipBl = nodesToStations(c.x, blSt);
        const o1 = t + nf + scp;
        interpolate(ipBl, c.theta, tmp);
        for (let j = 0; j < sbl; j++) targets[o1 + j] = Math.log(Math.max(tmp[j], 1e-9));
        interpolate(ipBl, c.h, tmp);
        for (let j = 0; j < sbl; j++) targets[o1 + sbl + j] = Math.log(Math.max(tmp[j], 1.0001));
        interpolate(ipBl, c.cf, tmp);
        for (let j = 0; j < sbl; j++) targets[o1 + 2 * sbl + j] = 1000 * tmp[j];
      }
      onShard?.(++shardsDone, totalShards);
    }
    groupBase += maxGroup + 1;
    parts.push({
      dir: o.dir,
      rows: r - first,
      shards: o.shards.length,
      seed: o.handle.manifest.seed,
      polarPoints: k,
    });
  }
  return { n: rows, nIn, nT, inputs, targets, converged, group, sources, parts };
}

function sameArray(a: Float32Array, b: Float32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
