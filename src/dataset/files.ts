/**
 * Dataset files on disk: names, atomic writes (temp file + fsync + rename, so a reader or a resumed
 * run never sees half a file), sha256 checksums, and reading a shard with every check (size, header,
 * checksum) so that a corrupt or truncated shard is never read silently.
 *
 * Directory layout of a dataset DIR:
 *   run.json                      the run's parameters (n, seed, config, evaluator); written first
 *   shard-00000.bin ...           finished shards (header + records, layout.ts)
 *   manifest.json                 the manifest of a complete dataset (last file written)
 *   manifest.job-0001-of-0004.json  manifest of one job of a --shard i/n run (merge combines them)
 *   .partial/shard-00007/chunk-00003.bin  checkpointed chunks of an unfinished shard (records only)
 */
import { createHash, randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { FoiloptError } from '../errors';
import { decodeShardHeader, SCHEMA_VERSION, SHARD_HEADER_BYTES, type ShardHeader } from './layout';

/** File name of shard k. */
export function shardFileName(k: number): string {
  return `shard-${String(k).padStart(5, '0')}.bin`;
}

/** Directory of the checkpointed chunks of shard k. */
export function chunkDir(dir: string, k: number): string {
  return path.join(dir, '.partial', `shard-${String(k).padStart(5, '0')}`);
}

/** File of chunk c of shard k. */
export function chunkFile(dir: string, k: number, c: number): string {
  return path.join(chunkDir(dir, k), `chunk-${String(c).padStart(5, '0')}.bin`);
}

/** File name of the manifest of job `index` of `count` (manifest.json for a single job). */
export function manifestFileName(job: { index: number; count: number } | null): string {
  if (!job || job.count === 1) return 'manifest.json';
  const w = Math.max(4, String(job.count).length);
  return `manifest.job-${String(job.index).padStart(w, '0')}-of-${String(job.count).padStart(w, '0')}.json`;
}

/** Pattern of job manifest names. */
export const JOB_MANIFEST_PATTERN = /^manifest\.job-(\d+)-of-(\d+)\.json$/;

/** sha256 of some buffers, hex. */
export function sha256(...parts: Uint8Array[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest('hex');
}

/**
 * Writes `parts` to `file` atomically: a unique temp file in the same directory, fsync, rename.
 * Concurrent writers of the same file (several jobs writing an identical run.json) are safe.
 */
export function writeFileAtomic(file: string, ...parts: (Uint8Array | string)[]): void {
  const tmp = `${file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  const fd = fs.openSync(tmp, 'w');
  try {
    for (const p of parts) {
      const b = typeof p === 'string' ? Buffer.from(p, 'utf8') : p;
      let off = 0;
      while (off < b.length) off += fs.writeSync(fd, b, off, b.length - off);
    }
    fs.fsyncSync(fd);
  } catch (e) {
    fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    throw e;
  }
  fs.closeSync(fd);
  fs.renameSync(tmp, file);
}

/** JSON text as the dataset writes it (2-space indent, trailing newline): deterministic bytes. */
export function jsonText(value: unknown): string {
  return JSON.stringify(value, null, 2) + '\n';
}

/** Expected properties of a shard, from a manifest entry. */
export interface ShardExpectation {
  bytes?: number;
  sha256?: string;
  shardIndex?: number;
  firstCase?: number;
  caseCount?: number;
  nodes?: number;
  seed?: number;
}

/** A shard read and verified. */
export interface ShardData {
  file: string;
  header: ShardHeader;
  /** the whole file */
  bytes: Buffer;
  /** sha256 of the whole file, hex */
  sha256: string;
  /** the records (a view into `bytes`), 4-byte aligned copy when the file's offset was not */
  payload: Uint8Array;
}

/**
 * Reads shard `file` and checks it: header (magic, schema), size = header + caseCount * record bytes
 * (else "truncated"), payload sha256 against the header, whole-file sha256 against `expect.sha256`,
 * and the header fields against `expect`. Any failure is a one-line FoiloptError naming the shard.
 */
export function readShardFile(file: string, expect: ShardExpectation = {}): ShardData {
  const name = path.basename(file);
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new FoiloptError(`shard ${name} is missing or unreadable (${code ?? (e as Error).message})`, {
      file,
    });
  }
  const fail = (why: string): never => {
    throw new FoiloptError(
      `shard ${name} is corrupt: ${why}; regenerate it (foilopt dataset --resume) or restore it`,
      { file },
    );
  };
  if (expect.bytes !== undefined && bytes.length < expect.bytes) {
    throw new FoiloptError(
      `shard ${name} is truncated: ${bytes.length} bytes, the manifest says ${expect.bytes}; regenerate it (foilopt dataset --resume) or restore it`,
      { file },
    );
  }
  const h = decodeShardHeader(bytes);
  if (typeof h === 'string') fail(h);
  const header = h as ShardHeader;
  if (header.schemaVersion !== SCHEMA_VERSION) {
    throw new FoiloptError(
      `shard ${name} has dataset schema version ${header.schemaVersion}; this foilopt reads version ${SCHEMA_VERSION}`,
      { file },
    );
  }
  const expectedSize = SHARD_HEADER_BYTES + header.caseCount * header.recordWords * 4;
  if (bytes.length < expectedSize) {
    throw new FoiloptError(
      `shard ${name} is truncated: ${bytes.length} bytes, its header needs ${expectedSize}; regenerate it (foilopt dataset --resume) or restore it`,
      { file },
    );
  }
  if (bytes.length > expectedSize)
    fail(`${bytes.length - expectedSize} unexpected bytes after the last record`);
  const fileSha = sha256(bytes);
  if (expect.sha256 !== undefined && fileSha !== expect.sha256) {
    fail(`sha256 ${fileSha.slice(0, 12)}... does not match the manifest's ${expect.sha256.slice(0, 12)}...`);
  }
  let payload: Uint8Array = bytes.subarray(SHARD_HEADER_BYTES);
  if (sha256(payload) !== header.payloadSha256)
    fail('the records do not match the checksum in the shard header');
  if (expect.bytes !== undefined && bytes.length !== expect.bytes)
    fail(`${bytes.length} bytes, the manifest says ${expect.bytes}`);
  const checks: [keyof ShardExpectation, number][] = [
    ['shardIndex', header.shardIndex],
    ['firstCase', header.firstCase],
    ['caseCount', header.caseCount],
    ['nodes', header.nodes],
    ['seed', header.seed],
  ];
  for (const [k, v] of checks) {
    if (expect[k] !== undefined && expect[k] !== v) fail(`header ${k} ${v}, expected ${expect[k]}`);
  }
  if (payload.byteOffset % 4 !== 0) payload = Uint8Array.from(payload);
  return { file, header, bytes, sha256: fileSha, payload };
}
