/**
 * Binary layout of a dataset case record and of a shard file header (schema version 1). Everything
 * is little-endian 32-bit words; see docs/dataset.md for the table.
 *
 * Record of one case, RECORD_HEADER_WORDS + ARRAY_FIELDS.length * nodes words:
 *   words 0..3   uint32   caseIndex, flags, sourceId, iterations
 *   words 4..17  float32  alphaDeg, re, mach, nCrit, tripTop, tripBot, cl, cd, cdp, cdf, cm,
 *                         xtrTop, xtrBot, residual
 *   words 18..23 zero (reserved)
 *   then per array field (x, y, cp, ue, deltaStar, theta, h, cf, nAmpOrSqrtCtau, turbulent) `nodes`
 *   float32 values in node order (upper TE -> LE -> lower TE).
 * Non-converged cases are kept: their results are whatever the solver returned (NaN when nothing).
 */

/** Dataset file-format version (shards and manifest); bumped on any layout change. */
export const SCHEMA_VERSION = 1;

/** Words of the fixed part of a record. */
export const RECORD_HEADER_WORDS = 24;

/** uint32 fields, word = index in this list. */
export const INT_FIELDS = ['caseIndex', 'flags', 'sourceId', 'iterations'] as const;

/** float32 scalar fields, word = INT_FIELDS.length + index in this list. */
export const SCALAR_FIELDS = [
  'alphaDeg',
  're',
  'mach',
  'nCrit',
  'tripTop',
  'tripBot',
  'cl',
  'cd',
  'cdp',
  'cdf',
  'cm',
  'xtrTop',
  'xtrBot',
  'residual',
] as const;

/** Per-node float32 arrays, in record order. */
export const ARRAY_FIELDS = [
  'x',
  'y',
  'cp',
  'ue',
  'deltaStar',
  'theta',
  'h',
  'cf',
  'nAmpOrSqrtCtau',
  'turbulent',
] as const;

export type IntField = (typeof INT_FIELDS)[number];
export type ScalarField = (typeof SCALAR_FIELDS)[number];
export type ArrayField = (typeof ARRAY_FIELDS)[number];

/** Word offset of a uint32 or float32 scalar field in a record. */
export const WORD: Record<IntField | ScalarField, number> = (() => {
  const w = {} as Record<IntField | ScalarField, number>;
  INT_FIELDS.forEach((f, i) => (w[f] = i));
  SCALAR_FIELDS.forEach((f, i) => (w[f] = INT_FIELDS.length + i));
  return w;
})();

/** Flag bits of the `flags` word. */
export const FLAG_CONVERGED = 1;
/** forced transition (trip) on both sides: tripTop/tripBot < 1 */
export const FLAG_TRIPPED = 2;
/** surface distributions present (else the distribution arrays are NaN) */
export const FLAG_SURFACE = 4;
/** CST weights were randomly perturbed */
export const FLAG_PERTURBED = 8;
/** the evaluator threw for this case (stored as a failed case) */
export const FLAG_ERROR = 16;
/** converged only in the warm-started retry sweep (solver.retrySweepStepDeg) */
export const FLAG_RETRIED = 32;
/** shape family code (SHAPE_FAMILIES index) in bits 8..15 */
export const FAMILY_SHIFT = 8;

/** Words of one record for a node count. */
export function recordWords(nodes: number): number {
  return RECORD_HEADER_WORDS + ARRAY_FIELDS.length * nodes;
}

/** Word offset of an array field in a record. */
export function arrayOffset(field: ArrayField, nodes: number): number {
  return RECORD_HEADER_WORDS + ARRAY_FIELDS.indexOf(field) * nodes;
}

/** Shard file header: 128 bytes. */
export const SHARD_HEADER_BYTES = 128;
/** First 8 bytes of every shard file. */
export const SHARD_MAGIC = 'FOILDS01';

/** The decoded shard header. */
export interface ShardHeader {
  schemaVersion: number;
  nodes: number;
  recordWords: number;
  shardIndex: number;
  firstCase: number;
  caseCount: number;
  seed: number;
  /** sha256 of the payload (the records), hex */
  payloadSha256: string;
}

/**
 * Shard header bytes: magic (8), uint32 schemaVersion, headerBytes, nodes, recordWords, shardIndex,
 * firstCase, caseCount, seed (bytes 8..39), zeros to 64, payload sha256 (64..95), zeros to 128.
 */
export function encodeShardHeader(h: ShardHeader): Buffer {
  const b = Buffer.alloc(SHARD_HEADER_BYTES);
  b.write(SHARD_MAGIC, 0, 'latin1');
  const words = [
    h.schemaVersion,
    SHARD_HEADER_BYTES,
    h.nodes,
    h.recordWords,
    h.shardIndex,
    h.firstCase,
    h.caseCount,
    h.seed,
  ];
  words.forEach((v, i) => b.writeUInt32LE(v >>> 0, 8 + 4 * i));
  Buffer.from(h.payloadSha256, 'hex').copy(b, 64);
  return b;
}

/** Decodes a shard header; returns a reason string when the bytes are not a shard header. */
export function decodeShardHeader(b: Buffer): ShardHeader | string {
  if (b.length < SHARD_HEADER_BYTES) return `shorter than the ${SHARD_HEADER_BYTES}-byte header`;
  if (b.toString('latin1', 0, 8) !== SHARD_MAGIC) return 'not a foilopt dataset shard (bad magic)';
  const u = (i: number) => b.readUInt32LE(8 + 4 * i);
  if (u(1) !== SHARD_HEADER_BYTES) return `unexpected header size ${u(1)}`;
  return {
    schemaVersion: u(0),
    nodes: u(2),
    recordWords: u(3),
    shardIndex: u(4),
    firstCase: u(5),
    caseCount: u(6),
    seed: u(7),
    payloadSha256: b.toString('hex', 64, 96),
  };
}

/** Host must be little-endian for the typed-array views of records. */
export function assertLittleEndian(): void {
  if (new Uint8Array(new Uint32Array([1]).buffer)[0] !== 1) {
    throw new Error('foilopt datasets need a little-endian host');
  }
}
