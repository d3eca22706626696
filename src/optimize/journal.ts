/**
 * Run directory bookkeeping: the evaluation journal (the checkpoint's data), checkpoint.json and
 * history.jsonl.
 *
 * Resume by replay: every model evaluation is appended to journal.jsonl (one JSON line: the
 * evaluation's phase tag, its exact variables and everything the optimizer saw: values, constraint
 * values, gradients), flushed with fsync. checkpoint.json (written atomically: temp file + rename)
 * holds the config's hash and the phase. `--resume` reads the journal and runs the same
 * deterministic sequence again: the optimizers ask for the same points, the journal answers them
 * without a model evaluation, and the run continues where it was killed with nothing lost. A torn
 * last line (kill -9 while writing) is ignored. Time limits make a run non-deterministic; the
 * replay is exact for evaluation limits.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { writeFileAtomic } from '../dataset/files';
import { FoiloptError } from '../errors';

/** What a journal line stores of an evaluation (numbers exact; NaN as null). */
export interface JournalEntry {
  /** phase tag: "baseline", "search:2", "verify:0", "polish", ... */
  tag: string;
  /** the optimizer variables z, as exact decimal strings joined by "," */
  key: string;
  /** gradients present */
  grad: boolean;
  /** the evaluation (problem.ts Evaluation, gradients as plain arrays) */
  ev: unknown;
}

export const CHECKPOINT_VERSION = 1;

export interface Checkpoint {
  version: number;
  configHash: string;
  status: 'running' | 'done' | 'interrupted';
  phase: string;
  updatedAt: string;
}

/** sha256 of the canonical JSON of the resolved config. */
export function configHash(config: unknown): string {
  return createHash('sha256').update(JSON.stringify(config)).digest('hex');
}

/** The journal and history of a run directory (or an in-memory stand-in without one). */
export class RunFiles {
  private journalFd: number | null = null;
  private historyFd: number | null = null;
  /** tag|key -> entry from a previous run (resume) */
  readonly cache = new Map<string, JournalEntry>();
  replayed = 0;

  constructor(
    readonly dir: string | null,
    readonly hash: string,
  ) {}

  /** Opens the directory: fresh (refuses an unfinished run unless resume) or resumed. */
  open(resume: boolean): void {
    if (!this.dir) return;
    fs.mkdirSync(this.dir, { recursive: true });
    const cpFile = path.join(this.dir, 'checkpoint.json');
    const jFile = path.join(this.dir, 'journal.jsonl');
    const cp = readCheckpoint(cpFile);
    if (resume) {
      if (!cp)
        throw new FoiloptError('--resume: no checkpoint in this directory (start without --resume)', {
          file: cpFile,
        });
      if (cp.configHash !== this.hash)
        throw new FoiloptError('--resume: the config differs from the checkpointed run (use a new --out)', {
          file: cpFile,
        });
      this.loadJournal(jFile);
    } else if (cp && cp.status !== 'done') {
      throw new FoiloptError(
        `the output directory holds an unfinished run (phase ${cp.phase}); continue it with --resume or choose another --out`,
        { file: this.dir },
      );
    } else {
      fs.rmSync(jFile, { force: true });
    }
    // rewrite the journal compactly (drops a torn line), then append
    const lines = [...this.cache.values()].map((e) => JSON.stringify(e) + '\n').join('');
    writeFileAtomic(jFile, lines);
    this.journalFd = fs.openSync(jFile, 'a');
    this.historyFd = fs.openSync(path.join(this.dir, 'history.jsonl'), 'w');
    this.checkpoint('running', 'setup');
  }

  private loadJournal(file: string): void {
    if (!fs.existsSync(file)) return;
    const text = fs.readFileSync(file, 'utf8');
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      let e: JournalEntry;
      try {
        e = JSON.parse(line) as JournalEntry;
      } catch {
        continue; // a torn last line
      }
      const k = `${e.tag}|${e.key}`;
      const prev = this.cache.get(k);
      if (!prev || (e.grad && !prev.grad)) this.cache.set(k, e);
    }
  }

  /** A journaled evaluation (with gradients when `grad`). */
  lookup(tag: string, key: string, grad: boolean): JournalEntry | undefined {
    const e = this.cache.get(`${tag}|${key}`);
    if (e && (e.grad || !grad)) {
      this.replayed++;
      return e;
    }
    return undefined;
  }

  record(entry: JournalEntry): void {
    const k = `${entry.tag}|${entry.key}`;
    const prev = this.cache.get(k);
    if (!prev || (entry.grad && !prev.grad)) this.cache.set(k, entry);
    if (this.journalFd !== null) {
      fs.writeSync(this.journalFd, JSON.stringify(entry) + '\n');
      fs.fsyncSync(this.journalFd);
    }
  }

  history(record: unknown): void {
    if (this.historyFd !== null) fs.writeSync(this.historyFd, JSON.stringify(record) + '\n');
  }

  checkpoint(status: Checkpoint['status'], phase: string): void {
    if (!this.dir) return;
    const cp: Checkpoint = {
      version: CHECKPOINT_VERSION,
      configHash: this.hash,
      status,
      phase,
      updatedAt: new Date().toISOString(),
    };
    writeFileAtomic(path.join(this.dir, 'checkpoint.json'), JSON.stringify(cp, null, 2) + '\n');
  }

  close(): void {
    if (this.journalFd !== null) fs.closeSync(this.journalFd);
    if (this.historyFd !== null) fs.closeSync(this.historyFd);
    this.journalFd = this.historyFd = null;
  }
}

function readCheckpoint(file: string): Checkpoint | null {
  if (!fs.existsSync(file)) return null;
  try {
    const c = JSON.parse(fs.readFileSync(file, 'utf8')) as Checkpoint;
    return c.version === CHECKPOINT_VERSION ? c : null;
  } catch {
    return null;
  }
}
