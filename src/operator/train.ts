/**
 * Training the operator (`foilopt train`): Adam on a Huber loss of the standardized forces and
 * distributions plus the confidence head's cross-entropy, mirror augmentation (every sample is used as given or as
 * its mirror image, drawn per step), a warm-up + cosine learning-rate schedule over the epochs,
 * validation metrics per epoch on held-back polars, atomic checkpoints (every few minutes and per
 * epoch) and exact resume. Fixed seeds: the same data, options and seed give the same model.
 */
import * as fs from 'fs';
import * as path from 'path';
import { EigenvalueDecomposition, Matrix, inverse } from 'ml-matrix';
import { FoiloptError } from '../errors';
import { sha256, writeFileAtomic } from '../dataset/files';
import { tf, initBackend } from './backend';
import { type DataSpec, loadTrainingData, type TrainingData } from './data';
import { DEFAULT_ENCODING, type EncodingSpec } from './encoding';
import { createEncoder, inputMirror } from './encoders';
import { CONDITION_FEATURES } from './features';
import { InitRng } from './layers';
import { saveModel, packParams, unpackParams, type ParamEntry } from './io';
import {
  DEFAULT_ARCHITECTURE,
  FORCE_OUTPUTS,
  OperatorNet,
  inputCount,
  stationCount,
  targetCount,
  type OperatorSpec,
} from './model';
import type { StationSpec } from './stations';

export interface TrainOptions {
  /** dataset directories (merged datasets or --shard job outputs) */
  data: string[];
  /** output directory: model.json, weights.bin, training-log.jsonl, checkpoint */
  out: string;
  epochs?: number;
  batchSize?: number;
  learningRate?: number;
  width?: number;
  depth?: number;
  encoding?: EncodingSpec;
  cpStations?: StationSpec;
  blStations?: StationSpec;
  seed?: number;
  /** fraction of the polars held back for validation */
  validationFraction?: number;
  /** minutes between checkpoints inside an epoch */
  checkpointMinutes?: number;
  /** stop after this many minutes of training (checkpoint kept; --resume continues) */
  maxMinutes?: number;
  resume?: boolean;
  /** already loaded data (tests, benches) instead of reading `data` */
  preloaded?: TrainingData;
  onProgress?: (p: TrainProgress) => void;
  onEpoch?: (e: EpochRecord) => void;
  onLoad?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

export interface TrainProgress {
  epoch: number;
  epochs: number;
  step: number;
  stepsPerEpoch: number;
  loss: number;
  samplesPerSecond: number;
}

/** Validation figures of the symmetric model on the held-back polars (converged cases). */
export interface ValidationMetrics {
  cases: number;
  clMae: number;
  lnCdMae: number;
  cmMae: number;
  xtrMae: number;
  /** relative L2 of Cp over the Cp stations, mean over cases */
  cpRelL2: number;
  /** ROC AUC of the confidence for converged vs not converged (all validation cases) */
  confidenceAuc: number;
}

export interface EpochRecord {
  epoch: number;
  steps: number;
  trainLoss: number;
  learningRate: number;
  seconds: number;
  samplesPerSecond: number;
  validation: ValidationMetrics;
}

/** Loss weights of the latent targets (per column: forces, then each field's stations share its weight). */
const LOSS_WEIGHTS = { cl: 1, lnCd: 1.5, cm: 1, xtr: 0.5, cp: 1, lnTheta: 0.25, lnH: 0.25, cf1000: 0.25 };
const CONFIDENCE_WEIGHT = 0.2;
const HUBER_DELTA = 0.1;
const WARMUP_STEPS = 300;
const FINAL_LR_FRACTION = 0.02;

/** Everything that must match for --resume. */
interface RunKey {
  data: { dir: string; rows: number; shards: number }[];
  epochs: number;
  batchSize: number;
  learningRate: number;
  seed: number;
  validationFraction: number;
  arch: Pick<OperatorSpec, 'encoding' | 'cpStations' | 'blStations' | 'width' | 'depth'>;
}

interface CheckpointState {
  format: 'foilopt-operator-checkpoint';
  key: RunKey;
  spec: OperatorSpec;
  epoch: number;
  step: number;
  globalStep: number;
  seconds: number;
  history: EpochRecord[];
  params: ParamEntry[];
  optimizerWords: number[];
  file: string;
  sha256: string;
}

/** Signed permutation that mirrors a latent target row (forces, Cp stations, BL stations). */
export function targetMirror(spec: Pick<OperatorSpec, 'cpStations' | 'blStations'>): {
  source: Int32Array;
  sign: Float32Array;
} {
  const n = targetCount(spec);
  const source = Int32Array.from({ length: n }, (_, j) => j);
  const sign = new Float32Array(n).fill(1);
  sign[0] = -1; // cl
  sign[2] = -1; // cm
  source[3] = 4; // xtr upper <- lower
  source[4] = 3;
  const nf = FORCE_OUTPUTS.length;
  const scp = stationCount(spec.cpStations);
  const sbl = stationCount(spec.blStations);
  const rev = (start: number, len: number) => {
    for (let j = 0; j < len; j++) source[start + j] = start + len - 1 - j;
  };
  rev(nf, scp);
  for (let f = 0; f < 3; f++) rev(nf + scp + f * sbl, sbl);
  return { source, sign };
}

/** Column loss weights (length targetCount). */
function columnWeights(spec: Pick<OperatorSpec, 'cpStations' | 'blStations'>): Float32Array {
  const nf = FORCE_OUTPUTS.length;
  const scp = stationCount(spec.cpStations);
  const sbl = stationCount(spec.blStations);
  const w = new Float32Array(targetCount(spec));
  w.set([LOSS_WEIGHTS.cl, LOSS_WEIGHTS.lnCd, LOSS_WEIGHTS.cm, LOSS_WEIGHTS.xtr, LOSS_WEIGHTS.xtr]);
  w.fill(LOSS_WEIGHTS.cp / scp, nf, nf + scp);
  w.fill(LOSS_WEIGHTS.lnTheta / sbl, nf + scp, nf + scp + sbl);
  w.fill(LOSS_WEIGHTS.lnH / sbl, nf + scp + sbl, nf + scp + 2 * sbl);
  w.fill(LOSS_WEIGHTS.cf1000 / sbl, nf + scp + 2 * sbl, nf + scp + 3 * sbl);
  return w;
}

/** Deterministic 32-bit hash of a group id (validation split). */
function hashGroup(g: number, seed: number): number {
  let h = (g * 0x9e3779b1) ^ seed;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Splits rows into training and validation by polar (hash of the polar id; at least one polar when fraction > 0). */
export function splitRows(
  d: TrainingData,
  fraction: number,
  seed: number,
): { train: Int32Array; val: Int32Array } {
  const train: number[] = [];
  const val: number[] = [];
  const cut = Math.floor(fraction * 4294967296);
  for (let r = 0; r < d.n; r++) (hashGroup(d.group[r], seed) < cut ? val : train).push(r);
  if (fraction > 0 && val.length === 0 && d.n > 0) {
    // a small dataset whose hashes all missed the cut: hold back the one polar with the smallest hash
    let best = d.group[0];
    for (let r = 1; r < d.n; r++) if (hashGroup(d.group[r], seed) < hashGroup(best, seed)) best = d.group[r];
    train.length = 0;
    for (let r = 0; r < d.n; r++) (d.group[r] === best ? val : train).push(r);
    if (train.length === 0) return { train: Int32Array.from(val), val: new Int32Array(0) };
  }
  return { train: Int32Array.from(train), val: Int32Array.from(val) };
}

/** Smallest standard deviation (chord units) of a geometry component the network sees. */
export const GEOMETRY_FLOOR = 1e-4;

/**
 * Input and target statistics of the mirror-augmented training rows: condition means and standard
 * deviations; the GeometryProjection (principal directions of the raw geometry features with standard
 * deviation >= GEOMETRY_FLOOR, whitened); target means and standard deviations; and the precision
 * matrix of the normalized inputs (for the confidence prior). Geometry and covariance from at most
 * ~40,000 rows.
 */
export function dataStatistics(
  d: TrainingData,
  rows: Int32Array,
  spec: Pick<OperatorSpec, 'encoding' | 'cpStations' | 'blStations'>,
): Pick<
  OperatorSpec,
  | 'inputMean'
  | 'inputStd'
  | 'targetMean'
  | 'targetStd'
  | 'precision'
  | 'geometryBasis'
  | 'geometryComponents'
  | 'geometryFloor'
> {
  const nIn = d.nIn;
  const nT = d.nT;
  const fg = nIn - CONDITION_FEATURES.length;
  const im = inputMirror(createEncoder(spec.encoding));
  const tm = targetMirror(spec);
  const s1 = new Float64Array(nIn);
  const s2 = new Float64Array(nIn);
  const t1 = new Float64Array(nT);
  const t2 = new Float64Array(nT);
  const tn = new Float64Array(nT);
  const raw = (r: number, mirrored: boolean, j: number) =>
    mirrored ? im.sign[j] * d.inputs[r * nIn + im.source[j]] : d.inputs[r * nIn + j];
  for (const r of rows) {
    for (let j = 0; j < nIn; j++) {
      const a = raw(r, false, j);
      const b = raw(r, true, j);
      s1[j] += a + b;
      s2[j] += a * a + b * b;
    }
    for (let j = 0; j < nT; j++) {
      const a = d.targets[r * nT + j];
      if (Number.isNaN(a)) continue;
      const b = tm.sign[j] * d.targets[r * nT + tm.source[j]];
      t1[j] += a + b;
      t2[j] += a * a + b * b;
      tn[j] += 2;
    }
  }
  const n2 = 2 * rows.length;
  const inputMean = Array.from(s1, (s) => s / n2);
  const inputStd = Array.from(s2, (s, j) => Math.sqrt(Math.max(s / n2 - inputMean[j] ** 2, 0)) || 1);
  const targetMean = Array.from(t1, (s, j) => (tn[j] > 0 ? s / tn[j] : 0));
  const targetStd = Array.from(
    t2,
    (s, j) => (tn[j] > 0 ? Math.sqrt(Math.max(s / tn[j] - targetMean[j] ** 2, 0)) : 1) || 1,
  );
  const step = Math.max(1, Math.floor(rows.length / 40000));
  // geometry: covariance of the raw features (chord units), eigen-decomposition
  const G = new Matrix(fg, fg);
  let m = 0;
  for (let k = 0; k < rows.length; k += step)
    for (const mirrored of [false, true]) {
      const r = rows[k];
      for (let i = 0; i < fg; i++) {
        const zi = raw(r, mirrored, i) - inputMean[i];
        for (let j = 0; j <= i; j++) G.set(i, j, G.get(i, j) + zi * (raw(r, mirrored, j) - inputMean[j]));
      }
      m++;
    }
  for (let i = 0; i < fg; i++)
    for (let j = 0; j <= i; j++) {
      G.set(i, j, G.get(i, j) / m);
      G.set(j, i, G.get(i, j));
    }
  const evd = new EigenvalueDecomposition(G, { assumeSymmetric: true });
  const order = evd.realEigenvalues.map((v, k) => [v, k]).sort((a, b) => b[0] - a[0]);
  const kept = order.filter(([v]) => Math.sqrt(Math.max(v, 0)) >= GEOMETRY_FLOOR);
  const K = kept.length;
  const V = evd.eigenvectorMatrix;
  const geometryBasis: number[] = [];
  for (let i = 0; i < fg; i++) for (const [v, k] of kept) geometryBasis.push(V.get(i, k) / Math.sqrt(v));
  // precision of the normalized inputs (geometry components, standardized conditions), ridge
  const nZ = K + CONDITION_FEATURES.length;
  const C = new Matrix(nZ, nZ);
  const z = new Float64Array(nZ);
  m = 0;
  for (let k = 0; k < rows.length; k += step)
    for (const mirrored of [false, true]) {
      const r = rows[k];
      for (let c = 0; c < K; c++) {
        let s = 0;
        for (let i = 0; i < fg; i++) s += (raw(r, mirrored, i) - inputMean[i]) * geometryBasis[i * K + c];
        z[c] = s;
      }
      for (let j = 0; j < CONDITION_FEATURES.length; j++)
        z[K + j] = (raw(r, mirrored, fg + j) - inputMean[fg + j]) / inputStd[fg + j];
      for (let i = 0; i < nZ; i++) for (let j = 0; j <= i; j++) C.set(i, j, C.get(i, j) + z[i] * z[j]);
      m++;
    }
  for (let i = 0; i < nZ; i++)
    for (let j = 0; j <= i; j++) {
      const v = C.get(i, j) / m + (i === j ? 0.01 : 0);
      C.set(i, j, v);
      C.set(j, i, v);
    }
  const P = inverse(C);
  const precision: number[] = [];
  for (let i = 0; i < nZ; i++) for (let j = 0; j < nZ; j++) precision.push(P.get(i, j));
  return {
    inputMean,
    inputStd,
    targetMean,
    targetStd,
    precision,
    geometryBasis,
    geometryComponents: K,
    geometryFloor: GEOMETRY_FLOOR,
  };
}

/** ROC AUC of scores for positives (label 1) vs negatives (Mann-Whitney, ties averaged). */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const idx = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let pos = 0;
  let neg = 0;
  let rankSum = 0;
  for (let k = 0; k < idx.length;) {
    let e = k;
    while (e + 1 < idx.length && scores[idx[e + 1]] === scores[idx[k]]) e++;
    const rank = (k + e) / 2 + 1;
    for (let j = k; j <= e; j++) if (labels[idx[j]]) rankSum += rank;
    k = e + 1;
  }
  for (let i = 0; i < labels.length; i++) if (labels[i]) pos++;
  neg = labels.length - pos;
  if (pos === 0 || neg === 0) return NaN;
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

/** Validation metrics of a net on rows of d (symmetric forward, chunks of 2048). */
export function validate(net: OperatorNet, d: TrainingData, rows: Int32Array): ValidationMetrics {
  const nIn = d.nIn;
  const nT = d.nT;
  const scp = net.scp;
  const nf = FORCE_OUTPUTS.length;
  let cases = 0;
  let cl = 0;
  let lnCd = 0;
  let cm = 0;
  let xtr = 0;
  let cp = 0;
  let cpCases = 0;
  const scores = new Float64Array(rows.length);
  const labels = new Uint8Array(rows.length);
  for (let start = 0; start < rows.length; start += 2048) {
    const B = Math.min(2048, rows.length - start);
    const u = new Float32Array(B * nIn);
    for (let b = 0; b < B; b++)
      u.set(d.inputs.subarray(rows[start + b] * nIn, (rows[start + b] + 1) * nIn), b * nIn);
    const ts = tf.tidy(() => {
      const o = net.forward(tf.tensor2d(u, [B, nIn]), true);
      return [o.cl, o.lnCd, o.cm, o.xtrTop, o.xtrBot, o.logit, o.cp!] as tf.Tensor[];
    });
    // (never return typed arrays from tf.tidy: it walks every element looking for tensors)
    const out = ts.map((t) => t.dataSync() as Float32Array);
    for (const t of ts) t.dispose();
    for (let b = 0; b < B; b++) {
      const r = rows[start + b];
      scores[start + b] = out[5][b];
      labels[start + b] = d.converged[r];
      const t = d.targets.subarray(r * nT, (r + 1) * nT);
      if (Number.isNaN(t[0])) continue;
      cases++;
      cl += Math.abs(out[0][b] - t[0]);
      lnCd += Math.abs(out[1][b] - t[1]);
      cm += Math.abs(out[2][b] - t[2]);
      xtr += 0.5 * (Math.abs(out[3][b] - t[3]) + Math.abs(out[4][b] - t[4]));
      if (!Number.isNaN(t[nf])) {
        let e = 0;
        let s = 0;
        for (let j = 0; j < scp; j++) {
          e += (out[6][b * scp + j] - t[nf + j]) ** 2;
          s += t[nf + j] ** 2;
        }
        cp += Math.sqrt(e / s);
        cpCases++;
      }
    }
  }
  return {
    cases,
    clMae: cl / cases,
    lnCdMae: lnCd / cases,
    cmMae: cm / cases,
    xtrMae: xtr / cases,
    cpRelL2: cp / cpCases,
    confidenceAuc: rocAuc(scores, labels),
  };
}

/** Seeded permutation (Fisher-Yates with xorshift). */
function permutation(n: number, seed: number): Int32Array {
  const rng = new InitRng(seed);
  const p = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.uniform() * (i + 1));
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  return p;
}

function learningRate(lr0: number, step: number, total: number): number {
  if (step < WARMUP_STEPS) return (lr0 * (step + 1)) / WARMUP_STEPS;
  const f = Math.min(1, (step - WARMUP_STEPS) / Math.max(1, total - WARMUP_STEPS));
  return lr0 * (FINAL_LR_FRACTION + (1 - FINAL_LR_FRACTION) * 0.5 * (1 + Math.cos(Math.PI * f)));
}

export interface TrainResult {
  out: string;
  epochs: number;
  history: EpochRecord[];
  seconds: number;
  rows: { train: number; validation: number };
  parameters: number;
  finished: boolean;
}

/** Trains (or resumes training) an operator; writes the model after every epoch. */
export async function trainOperator(opts: TrainOptions): Promise<TrainResult> {
  await initBackend();
  const out = path.resolve(opts.out);
  fs.mkdirSync(out, { recursive: true });
  const arch = {
    encoding: opts.encoding ?? DEFAULT_ARCHITECTURE.encoding ?? DEFAULT_ENCODING,
    cpStations: opts.cpStations ?? DEFAULT_ARCHITECTURE.cpStations,
    blStations: opts.blStations ?? DEFAULT_ARCHITECTURE.blStations,
    width: opts.width ?? DEFAULT_ARCHITECTURE.width,
    depth: opts.depth ?? DEFAULT_ARCHITECTURE.depth,
  };
  const dataSpec: DataSpec = {
    encoding: arch.encoding,
    cpStations: arch.cpStations,
    blStations: arch.blStations,
  };
  const data = opts.preloaded ?? loadTrainingData(opts.data, dataSpec, opts.onLoad);
  if (data.nIn !== inputCount(arch) || data.nT !== targetCount(arch))
    throw new FoiloptError('the preloaded training data does not match the architecture');
  const epochs = opts.epochs ?? 60;
  const batch = opts.batchSize ?? 512;
  const lr0 = opts.learningRate ?? 1e-3;
  const seed = opts.seed ?? 1;
  const valFraction = opts.validationFraction ?? 0.04;
  const key: RunKey = {
    data: data.parts.map((p) => ({ dir: path.resolve(p.dir), rows: p.rows, shards: p.shards })),
    epochs,
    batchSize: batch,
    learningRate: lr0,
    seed,
    validationFraction: valFraction,
    arch,
  };
  const { train, val } = splitRows(data, valFraction, seed);
  if (train.length < batch)
    throw new FoiloptError(`too little training data: ${train.length} rows for batch ${batch}`);
  const ckFile = path.join(out, 'checkpoint.json');
  let state: CheckpointState | undefined;
  if (opts.resume && fs.existsSync(ckFile)) {
    state = JSON.parse(fs.readFileSync(ckFile, 'utf8')) as CheckpointState;
    if (JSON.stringify(state.key) !== JSON.stringify(key))
      throw new FoiloptError(
        'the checkpoint belongs to a different training run (data, options or architecture differ)',
        {
          file: ckFile,
        },
      );
  } else if (!opts.resume && fs.existsSync(ckFile)) {
    throw new FoiloptError(`${out} holds a training checkpoint: use --resume, or another --out`, {
      file: ckFile,
    });
  }
  const spec: OperatorSpec = state?.spec ?? {
    format: 'foilopt-operator',
    version: 1,
    ...arch,
    ...dataStatistics(data, train, arch),
    priorScale: 0, // set below from the normalized input size
    seed,
  };
  if (!spec.priorScale) spec.priorScale = spec.geometryComponents + CONDITION_FEATURES.length;
  const net = new OperatorNet(spec);
  const optimizer = tf.train.adam(lr0);
  const vars = net.variables();
  let epoch = 0;
  let step = 0;
  let globalStep = 0;
  let seconds = 0;
  const history: EpochRecord[] = [];
  if (state) {
    const buf = fs.readFileSync(path.join(out, state.file));
    if (sha256(buf) !== state.sha256)
      throw new FoiloptError('the checkpoint weights are corrupt (sha256)', { file: state.file });
    const words = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
    const nModel = state.params.reduce((s, p) => s + p.shape.reduce((a, b) => a * b, 1), 0);
    unpackParams(net, state.params, words.subarray(0, nModel), state.file);
    // optimizer: iterations, then first and second moments in variable order
    const o = words.subarray(nModel);
    const named: { name: string; tensor: tf.Tensor }[] = [
      { name: 'iter', tensor: tf.scalar(state.optimizerWords[0], 'int32') },
    ];
    let off = 0;
    for (const moment of ['m', 'v'])
      for (const v of vars) {
        named.push({
          name: `${v.name}/${moment}`,
          tensor: tf.tensor(o.subarray(off, off + v.size), v.shape),
        });
        off += v.size;
      }
    await optimizer.setWeights(named);
    for (const n of named) n.tensor.dispose();
    epoch = state.epoch;
    step = state.step;
    globalStep = state.globalStep;
    seconds = state.seconds;
    history.push(...state.history);
  }
  const nIn = data.nIn;
  const nT = data.nT;
  const stepsPerEpoch = Math.floor(train.length / batch);
  const totalSteps = stepsPerEpoch * epochs;
  const colW = columnWeights(spec);
  const im = inputMirror(createEncoder(spec.encoding));
  const tm = targetMirror(spec);
  const tMean = Float32Array.from(spec.targetMean);
  const tStd = Float32Array.from(spec.targetStd);
  const nf = FORCE_OUTPUTS.length;
  const nR = nT - nf;
  const uBuf = new Float32Array(batch * nIn);
  const fBuf = new Float32Array(batch * nf);
  const fwBuf = new Float32Array(batch * nf);
  const rBuf = new Float32Array(batch * nR);
  const rwBuf = new Float32Array(batch * nR);
  const yBuf = new Float32Array(batch);

  const writeCheckpoint = async () => {
    const { table, data: words } = packParams(net);
    const ow = await optimizer.getWeights();
    const iter = (ow[0].tensor.dataSync() as Int32Array | Float32Array)[0];
    const moments = ow.slice(1).map((n) => n.tensor.dataSync() as Float32Array);
    ow[0].tensor.dispose(); // the others are the optimizer's own moment variables
    const total = words.length + moments.reduce((s, m) => s + m.length, 0);
    const all = new Float32Array(total);
    all.set(words, 0);
    let off = words.length;
    for (const m of moments) {
      all.set(m, off);
      off += m.length;
    }
    const bytes = new Uint8Array(all.buffer);
    const file = `checkpoint-${globalStep}.bin`;
    writeFileAtomic(path.join(out, file), bytes);
    const st: CheckpointState = {
      format: 'foilopt-operator-checkpoint',
      key,
      spec,
      epoch,
      step,
      globalStep,
      seconds,
      history,
      params: table,
      optimizerWords: [iter],
      file,
      sha256: sha256(bytes),
    };
    writeFileAtomic(ckFile, JSON.stringify(st) + '\n');
    for (const f of fs.readdirSync(out))
      if (/^checkpoint-\d+\.bin$/.test(f) && f !== file) fs.rmSync(path.join(out, f), { force: true });
  };

  const started = performance.now();
  let lastCheckpoint = performance.now();
  const ckEvery = (opts.checkpointMinutes ?? 5) * 60_000;
  const maxMs = opts.maxMinutes !== undefined ? opts.maxMinutes * 60_000 : Infinity;
  let stopped = false;
  while (epoch < epochs && !stopped) {
    const perm = permutation(train.length, (seed * 7919 + epoch) >>> 0);
    const flip = new InitRng((seed * 104729 + epoch * 31 + 17) >>> 0);
    const flips = Uint8Array.from({ length: stepsPerEpoch * batch }, () => (flip.uniform() < 0.5 ? 1 : 0));
    let lossSum = 0;
    let lossN = 0;
    const t0 = performance.now();
    const sec0 = seconds;
    const step0 = step;
    for (; step < stepsPerEpoch; step++) {
      if (opts.signal?.aborted || performance.now() - started > maxMs) {
        stopped = true;
        break;
      }
      for (let b = 0; b < batch; b++) {
        const k = step * batch + b;
        const r = train[perm[k]];
        const mirrored = flips[k] === 1;
        for (let j = 0; j < nIn; j++)
          uBuf[b * nIn + j] = mirrored
            ? im.sign[j] * data.inputs[r * nIn + im.source[j]]
            : data.inputs[r * nIn + j];
        for (let j = 0; j < nT; j++) {
          const v = mirrored ? tm.sign[j] * data.targets[r * nT + tm.source[j]] : data.targets[r * nT + j];
          const [buf, wb, k] = j < nf ? [fBuf, fwBuf, b * nf + j] : [rBuf, rwBuf, b * nR + j - nf];
          if (Number.isNaN(v)) {
            buf[k] = 0;
            wb[k] = 0;
          } else {
            buf[k] = (v - tMean[j]) / tStd[j];
            wb[k] = colW[j];
          }
        }
        yBuf[b] = data.converged[r];
      }
      (optimizer as unknown as { learningRate: number }).learningRate = learningRate(
        lr0,
        globalStep,
        totalSteps,
      );
      const loss = tf.tidy(() => {
        const u = tf.tensor2d(uBuf, [batch, nIn]);
        const tf5 = tf.tensor2d(fBuf, [batch, nf]);
        const wf5 = tf.tensor2d(fwBuf, [batch, nf]);
        const tr = tf.tensor2d(rBuf, [batch, nR]);
        const wr = tf.tensor2d(rwBuf, [batch, nR]);
        const y = tf.tensor1d(yBuf);
        return optimizer.minimize(
          () => {
            const lat = net.latent(net.normalize(u), u, true);
            // Huber (delta in standardized units) on forces and fields alike: a squared error on the
            // fields made training diverge (rare Cp of -30 are 10 standard deviations out)
            const huber = (r: tf.Tensor, w: tf.Tensor) => {
              const a = tf.abs(r);
              const quad = tf.minimum(a, HUBER_DELTA);
              return tf.sum(
                tf.mul(tf.add(tf.mul(0.5, tf.square(quad)), tf.mul(HUBER_DELTA, tf.sub(a, quad))), w),
              );
            };
            const rf = tf.sub(tf.concat([net.standardizeCp(lat.cp!), lat.bl!], 1), tr);
            const phys = tf.div(tf.add(huber(tf.sub(lat.forces, tf5), wf5), huber(rf, wr)), batch);
            const bce = tf.mean(tf.sub(tf.softplus(lat.logit), tf.mul(y, lat.logit)));
            return tf.add(phys, tf.mul(CONFIDENCE_WEIGHT, bce)) as tf.Scalar;
          },
          true,
          vars,
        )!;
      });
      lossSum += (await loss.data())[0];
      loss.dispose();
      lossN++;
      globalStep++;
      seconds = sec0 + (performance.now() - t0) / 1000;
      opts.onProgress?.({
        epoch: epoch + 1,
        epochs,
        step: step + 1,
        stepsPerEpoch,
        loss: lossSum / lossN,
        samplesPerSecond: ((step + 1 - step0) * batch) / Math.max(1e-9, (performance.now() - t0) / 1000),
      });
      if (performance.now() - lastCheckpoint > ckEvery) {
        step++;
        await writeCheckpoint();
        step--;
        lastCheckpoint = performance.now();
      }
    }
    if (stopped) break;
    const validation = validate(net, data, val);
    const rec: EpochRecord = {
      epoch: epoch + 1,
      steps: stepsPerEpoch,
      trainLoss: lossN ? lossSum / lossN : NaN,
      learningRate: learningRate(lr0, globalStep, totalSteps),
      seconds,
      samplesPerSecond: ((stepsPerEpoch - step0) * batch) / Math.max(1e-9, (performance.now() - t0) / 1000),
      validation,
    };
    history.push(rec);
    fs.appendFileSync(path.join(out, 'training-log.jsonl'), JSON.stringify(rec) + '\n');
    epoch++;
    step = 0;
    saveModel(out, net, trainingRecord(key, data, train.length, val.length, history, net));
    await writeCheckpoint();
    lastCheckpoint = performance.now();
    opts.onEpoch?.(rec);
  }
  if (stopped) await writeCheckpoint();
  const parameters = net.store.count();
  optimizer.dispose();
  net.dispose();
  return {
    out,
    epochs: epoch,
    history,
    seconds: (performance.now() - started) / 1000,
    rows: { train: train.length, validation: val.length },
    parameters,
    finished: epoch >= epochs,
  };
}

function trainingRecord(
  key: RunKey,
  data: TrainingData,
  trainRows: number,
  valRows: number,
  history: EpochRecord[],
  net: OperatorNet,
): Record<string, unknown> {
  return {
    data: data.parts,
    rows: { train: trainRows, validation: valRows, converged: data.converged.reduce((s, c) => s + c, 0) },
    options: { epochs: key.epochs, batchSize: key.batchSize, learningRate: key.learningRate, seed: key.seed },
    parameters: net.store.count(),
    epochsDone: history.length,
    trainSeconds: history.length ? history[history.length - 1].seconds : 0,
    lastValidation: history.length ? history[history.length - 1].validation : null,
  };
}
