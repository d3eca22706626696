/**
 * Saving and loading operator models: DIR/model.json (spec, parameter table, training record, sha256
 * of the weights) and DIR/weights.bin (little-endian float32, parameters in table order). Both are
 * written atomically (weights first, then the JSON that names their checksum), so a reader never sees
 * a mismatched pair; a mismatch found on load is a one-line error.
 */
import * as fs from 'fs';
import * as path from 'path';
import { FoiloptError } from '../errors';
import { sha256, writeFileAtomic } from '../dataset/files';
import { tf } from './backend';
import { OperatorNet, type OperatorSpec } from './model';

export interface ParamEntry {
  name: string;
  shape: number[];
  /** offset in float32 words */
  offset: number;
}

export interface ModelFile {
  format: 'foilopt-operator-model';
  spec: OperatorSpec;
  params: ParamEntry[];
  weightsFile: string;
  weightsSha256: string;
  /** how the model was trained and what it scored (train.ts) */
  training?: Record<string, unknown>;
}

/** The parameters of a net as one Float32Array plus the table. */
export function packParams(net: OperatorNet): { table: ParamEntry[]; data: Float32Array } {
  const table: ParamEntry[] = [];
  let words = 0;
  for (const p of net.store.params) {
    table.push({ name: p.name, shape: p.variable.shape, offset: words });
    words += p.variable.size;
  }
  const data = new Float32Array(words);
  for (const [k, p] of net.store.params.entries())
    data.set(p.variable.dataSync() as Float32Array, table[k].offset);
  return { table, data };
}

/** Assigns packed parameters to a net by name (every parameter of the net must be present). */
export function unpackParams(net: OperatorNet, table: ParamEntry[], data: Float32Array, where: string): void {
  const byName = new Map(table.map((e) => [e.name, e]));
  for (const p of net.store.params) {
    const e = byName.get(p.name);
    if (!e) throw new FoiloptError(`model weights lack parameter ${p.name}`, { file: where });
    const size = e.shape.reduce((a, b) => a * b, 1);
    if (size !== p.variable.size || e.offset + size > data.length)
      throw new FoiloptError(
        `model parameter ${p.name} has shape [${e.shape}], expected [${p.variable.shape}]`,
        {
          file: where,
        },
      );
    p.variable.assign(tf.tensor(data.subarray(e.offset, e.offset + size), p.variable.shape));
  }
}

function bytesOf(a: Float32Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/** Writes DIR/weights.bin then DIR/model.json (atomic each). */
export function saveModel(dir: string, net: OperatorNet, training?: Record<string, unknown>): void {
  fs.mkdirSync(dir, { recursive: true });
  const { table, data } = packParams(net);
  const bytes = bytesOf(data);
  writeFileAtomic(path.join(dir, 'weights.bin'), bytes);
  const file: ModelFile = {
    format: 'foilopt-operator-model',
    spec: net.spec,
    params: table,
    weightsFile: 'weights.bin',
    weightsSha256: sha256(bytes),
    training,
  };
  writeFileAtomic(path.join(dir, 'model.json'), JSON.stringify(file) + '\n');
}

/** Reads and checks DIR/model.json and its weights. */
export function readModelFile(dir: string): { file: ModelFile; weights: Float32Array } {
  const jf = path.join(dir, 'model.json');
  let file: ModelFile;
  try {
    file = JSON.parse(fs.readFileSync(jf, 'utf8')) as ModelFile;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new FoiloptError(
      code === 'ENOENT'
        ? 'no operator model here (model.json missing)'
        : `cannot read the model: ${(e as Error).message}`,
      { file: jf },
    );
  }
  if (file.format !== 'foilopt-operator-model' || !file.spec || !Array.isArray(file.params))
    throw new FoiloptError('not a foilopt operator model', { file: jf });
  const wf = path.join(dir, file.weightsFile);
  let buf: Buffer;
  try {
    buf = fs.readFileSync(wf);
  } catch {
    throw new FoiloptError('the model weights file is missing', { file: wf });
  }
  if (sha256(buf) !== file.weightsSha256)
    throw new FoiloptError('the model weights do not match model.json (sha256): corrupt or mixed files', {
      file: wf,
    });
  const weights = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  return { file, weights };
}

/** Builds the net of a saved model (backend must be initialized). */
export function loadNet(dir: string): { net: OperatorNet; file: ModelFile } {
  const { file, weights } = readModelFile(dir);
  const net = new OperatorNet(file.spec);
  unpackParams(net, file.params, weights, path.join(dir, file.weightsFile));
  return { net, file };
}
